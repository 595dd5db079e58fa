"""The self-care sheet and the report for a clinician, as plain data, and the files they are written to.

A sheet is built as plain data (a dict) from the knowledge base alone (the
generic sheet for a minor strain) or from a triage result (``result.build``),
which makes it personal: the urgency first, then the likely causes' own advice,
then the POLICE and HARM plan only where ``result["self_care"]["given"]``.
Where a clot, infection, fracture or vascular cause is possible, there is no
home-treatment plan at all, only the urgent action and a warning.

The pages themselves are laid out in :mod:`kneetriage.output.pages` and drawn
by the renderers in :mod:`kneetriage.output` (terminal, Markdown, text, HTML).
Files are written only at the path the user names, atomically, with mode 0600
because a personal sheet holds health information.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from .errors import UsageError
from .files import write_private
from .knowledge import LEVELS, KnowledgeBase, Region
from .wording import SCOPE_INSTEAD, SCOPE_TEXT, SCOPE_TITLE, fill

FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".txt": "text"}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
HELP_LEVELS = tuple(lv for lv in LEVELS if lv != "self_care")  # the tiers of "when to get help"


# ---------------------------------------------------------------- the sheet as data


def _date(today: datetime.date | None) -> dict:
    d = today or datetime.date.today()
    return {"iso": d.isoformat(), "words": f"{d.day} {MONTHS[d.month - 1]} {d.year}"}


def _region(region: Region) -> dict:
    return {"id": region.id, "name": region.name, "emergency": region.emergency, "urgent": region.urgent}


def _plan(kb: KnowledgeBase) -> dict:
    return {
        "police": [
            {"word": s.word, "what": s.what, "how_long": s.how_long, "how_often": s.how_often}
            for s in kb.self_care.police
        ],
        "harm": [{"word": s.word, "why": s.why} for s in kb.self_care.harm],
    }


def _help(kb: KnowledgeBase, region: Region) -> list[dict]:
    return [
        {
            "level": lv,
            "title": fill(kb.urgency[lv].title, region),
            "action": fill(kb.urgency[lv].action, region),
            "signs": [fill(s, region) for s in kb.urgency[lv].signs],
        }
        for lv in HELP_LEVELS
        if kb.urgency[lv].signs
    ]


def _common(kb: KnowledgeBase, region: Region, today: datetime.date | None) -> dict:
    return {
        "date": _date(today),
        "knowledge_base": {"version": kb.version, "reviewed": kb.reviewed},
        "region": _region(region),
        "help": _help(kb, region),
        "disclaimer": fill(kb.disclaimer, region),
    }


def build_generic(kb: KnowledgeBase, region: Region, today: datetime.date | None = None) -> dict:
    """The sheet for a minor strain, from the knowledge base alone."""
    return {
        "kind": "generic",
        "title": "Pain behind the knee: looking after a minor strain",
        "scope": {
            "title": SCOPE_TITLE,
            "text": SCOPE_TEXT,
            "instead": [fill(s, region) for s in SCOPE_INSTEAD],
        },
        "urgency": None,
        "unchecked": [],
        "cause_advice": [],
        "plan": _plan(kb),
        "withheld": None,
        **_common(kb, region, today),
    }


def build_personal(kb: KnowledgeBase, report: dict, today: datetime.date | None = None) -> dict:
    """The sheet for one person's answers, from a triage result (``result.build``)."""
    from .result import see_doctor_under  # here, so the generic sheet never loads the engine

    region = kb.get_region(report["region"]["id"])
    sc = report["self_care"]
    strength = {c["id"]: c["strength"] for c in report["causes"]}
    return {
        "kind": "personal",
        "title": "Pain behind the knee: your care sheet",
        "scope": None,
        "urgency": {k: report["urgency"][k] for k in ("level", "title", "action", "reasons", "reasons_at_level")},
        "unchecked": list(report["unanswered_red_flag_questions"]),
        "cause_advice": [
            {
                "id": ca["cause"],
                "name": ca["name"],
                "strength": strength.get(ca["cause"], ""),
                "advice": list(ca["advice"]),
                "see_doctor": see_doctor_under(kb.cause[ca["cause"]], report["urgency"]["level"], region),
            }
            for ca in sc["cause_advice"]
        ],
        # The plan comes from the report, never from the knowledge base, so a report
        # that withholds soft-tissue care can never grow one here.
        "plan": {"police": sc["police"], "harm": sc["harm"]} if sc["given"] else None,
        "withheld": list(sc["withheld_because"]) or None,
        **_common(kb, region, today),
    }


def _summary(kb: KnowledgeBase, given: dict) -> list[tuple[str, str]]:
    """Which knee first, then the other answers about the person and the pain, in words."""
    side = given.get("side")
    rows = [("Knee", kb.finding["side"].answer_label(side) if side is not None else "not said")]
    for f in kb.findings:
        if f.group == "about" and f.id != "side" and f.id in given and f.type != "boolean":
            rows.append((f.label[:1].upper() + f.label[1:], f.answer_label(given[f.id])))
    return rows


def _yes(kb: KnowledgeBase, given: dict) -> list[str]:
    """What was answered yes (or a choice other than 'none'), in the knowledge base's order."""
    out = []
    for f in kb.findings:
        value = given.get(f.id)
        if value is True or (f.type == "choice" and f.group != "about" and value not in (None, "none")):
            out.append(f.describe(value)[:1].upper() + f.describe(value)[1:])
    return out


def build_report(kb: KnowledgeBase, report: dict, today: datetime.date | None = None) -> dict:
    """The personal sheet plus what a GP or physiotherapist needs first: which knee, the urgency,
    the leading causes with their reasons, the yes answers and the warning signs not checked."""
    from .output.pages import shown_causes

    sheet = build_personal(kb, report, today)
    sheet["sheet_title"] = sheet["title"]
    sheet["kind"] = "report"
    sheet["title"] = "Pain behind the knee: a report for a doctor or physiotherapist"
    given = report["answers"]
    sheet["summary"] = _summary(kb, given)
    sheet["yes"] = _yes(kb, given)
    sheet["answers"] = [
        {"question": f.question, "answer": f.answer_label(given[f.id])} for f in kb.findings if f.id in given
    ]
    leading = shown_causes(report["causes"])
    sheet["leading"] = [{"name": c["name"], "strength": c["strength"], "why": list(c["why"])} for c in leading]
    sheet["others"] = [c["name"] for c in report["causes"] if c not in leading]
    sheet["sources"] = [
        f"{c['name']}: " + "; ".join(f"{s['title']} ({s['url']})" for s in c["sources"]) for c in leading
    ]
    sheet["unanswered_red_flags"] = list(report["unanswered_red_flag_questions"])
    labels = [kb.finding[f].label for f in report["unanswered_red_flags"]]
    sheet["unchecked_labels"] = [label[:1].upper() + label[1:] for label in labels]
    return sheet


# ---------------------------------------------------------------- files


def output_format(path: str | Path) -> str:
    """The format a file name asks for, by its extension; a UsageError for any other name."""
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        shown = f"'{p.suffix}'" if p.suffix else "no extension"
        raise UsageError(
            f"cannot tell which format to write for {p.name or path} ({shown}); "
            "end the file name with .md, .html or .txt"
        )
    return fmt


def document(sheet: dict):
    """The sheet (or, for ``build_report``'s data, the report) laid out as a document."""
    from .output import pages

    return pages.report(sheet) if sheet["kind"] == "report" else pages.sheet(sheet)


def render(sheet: dict, fmt: str) -> str:
    """A sheet or report as Markdown, plain text or HTML."""
    from . import output

    return output.render(document(sheet), fmt)


def write_sheet(sheet: dict, path: str | Path) -> None:
    """Write a sheet all at once, private to the user (mode 0600): a personal sheet holds health information.

    The path itself (folder, kind of file, overwriting) was checked by ``files.check_outputs`` before any work."""
    write_private(path, render(sheet, output_format(path)), "the sheet")


def write_report(kb: KnowledgeBase, report: dict, path: str | Path, today: datetime.date | None = None) -> None:
    """Write the report for a GP or physiotherapist (``ask --report``): page 1 for the doctor, then the
    answers in full, then the personal sheet. The format follows the file's extension (.md, .html or .txt)."""
    write_sheet(build_report(kb, report, today), path)
