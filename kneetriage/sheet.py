"""The self-care sheet and the report for a clinician: plain data first, then four formats.

A sheet is built as plain data (a dict) from the knowledge base alone (the
generic sheet for a minor strain) or from a triage report (``report.build``),
which makes it personal: the urgency first, then the likely causes' own advice,
then the POLICE and HARM plan only where ``report["self_care"]["given"]``.
Where a clot, infection, fracture or vascular cause is possible, there is no
home-treatment plan at all, only the urgent action and a warning.

The data is laid out once as a short list of blocks (headings, paragraphs,
lists, boxes, tables) and every format draws those same blocks, so the
terminal, Markdown, plain-text and HTML versions always say the same thing.

Files are written only at the path the user names, atomically (a temporary
file in the same folder, fsync, os.replace), with mode 0600 because a personal
sheet holds health information. rich is imported only inside the terminal
renderer.
"""

from __future__ import annotations

import datetime
import html
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .files import write_private
from .knowledge import LEVELS, KnowledgeBase, Region
from .report import fill

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

# The generic sheet is for a minor strain; this box at its top says what it is not for.
SCOPE_TITLE = "Read this first: this sheet is for a minor strain or sprain"
SCOPE_TEXT = (
    "Use it for a pulled muscle or a twisted or knocked knee. It is not for a possible blood clot, an "
    "infected joint, a broken bone, or a leg that is cold, pale or numb: ice, compression and massage "
    "can do harm there. Instead:"
)
SCOPE_INSTEAD = (
    "Call {emergency} now for a cold, pale or blue leg, or for breathlessness, chest pain or coughing up blood.",
    "Go to A&E now if the knee looks misshapen, is hot and red with a fever, or you cannot take four steps "
    "after an injury.",
    "Get seen today for a swollen, tender, warm or red calf, a hot knee, or numbness or tingling in the "
    "leg: ask for an urgent GP appointment or contact {urgent}.",
    "Not sure? Run 'kneetriage ask' first: it checks the warning signs for you.",
)
WITHHELD_TITLE = "No home-treatment plan on this sheet"
WITHHELD_INTRO = "Ice, compression, massage and exercise plans are left out of this sheet on purpose, because:"
WITHHELD_WARNING = (
    "Until a doctor has checked your leg, do not massage or rub it, and do not put ice or a tight "
    "bandage on it: with a clot or an infection these can do harm."
)
HELP_TITLE = "When to get help (most urgent first; if unsure, choose the more urgent)"


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
    """The sheet for one person's answers, from a triage report (``report.build``)."""
    region = kb.get_region(report["region"]["id"])
    sc = report["self_care"]
    strength = {c["id"]: c["strength"] for c in report["causes"]}
    return {
        "kind": "personal",
        "title": "Pain behind the knee: your care sheet",
        "scope": None,
        "urgency": {k: report["urgency"][k] for k in ("level", "title", "action", "reasons")},
        "unchecked": list(report["unanswered_red_flag_questions"]),
        "cause_advice": [
            {
                "id": ca["cause"],
                "name": ca["name"],
                "strength": strength.get(ca["cause"], ""),
                "advice": list(ca["advice"]),
                "see_doctor": fill(kb.cause[ca["cause"]].see_doctor, region),
            }
            for ca in sc["cause_advice"]
        ],
        # The plan comes from the report, never from the knowledge base, so a report
        # that withholds soft-tissue care can never grow one here.
        "plan": {"police": sc["police"], "harm": sc["harm"]} if sc["given"] else None,
        "withheld": list(sc["withheld_because"]) or None,
        **_common(kb, region, today),
    }


def build_report(kb: KnowledgeBase, report: dict, today: datetime.date | None = None) -> dict:
    """The personal sheet plus what a GP or physiotherapist needs: the answers and the ranking."""
    sheet = build_personal(kb, report, today)
    sheet["kind"] = "report"
    sheet["title"] = "Pain behind the knee: your care sheet and a report for your doctor"
    given = report["answers"]
    sheet["answers"] = [
        {"question": f.question, "answer": f.answer_label(given[f.id])} for f in kb.findings if f.id in given
    ]
    sheet["causes"] = [{"name": c["name"], "strength": c["strength"], "why": list(c["why"])} for c in report["causes"]]
    sheet["unanswered_red_flags"] = list(report["unanswered_red_flag_questions"])
    return sheet


# ---------------------------------------------------------------- the sheet as blocks


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    text: str
    style: str = ""  # "", "meta", "strong", "note"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Steps:
    """POLICE or HARM: a word, then its details as (label, text); an empty label is the main text."""

    name: str
    rows: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Box:
    title: str
    style: str  # "scope", "withheld", or an urgency level
    blocks: tuple = ()
    level: int = 2  # heading level of the title


@dataclass(frozen=True)
class Tiers:
    """When to get help: (level, title, action, signs) rows, most urgent first."""

    rows: tuple[tuple[str, str, str, tuple[str, ...]], ...]

    def as_boxes(self) -> tuple[Box, ...]:
        return tuple(Box(title, level, (Bullets(signs), Para(action)), 3) for level, title, action, signs in self.rows)


@dataclass(frozen=True)
class Section:
    """A group of blocks; ``page`` starts it on a new printed page."""

    blocks: tuple = ()
    page: bool = False
    name: str = ""


@dataclass
class Document:
    title: str
    blocks: list = field(default_factory=list)


def _plan_blocks(plan: dict) -> list:
    police, harm = plan["police"], plan["harm"]
    return [
        Section(
            (
                Heading("POLICE: " + ", ".join(s["word"] for s in police)),
                Steps(
                    "police",
                    tuple(
                        (s["word"], (("", s["what"]), ("How long", s["how_long"]), ("How often", s["how_often"])))
                        for s in police
                    ),
                ),
            ),
            name="police",
        ),
        Section(
            (
                Heading("Avoid HARM for 72 hours after an injury: " + ", ".join(s["word"] for s in harm)),
                Steps("harm", tuple((s["word"], (("", s["why"]),)) for s in harm)),
            ),
            name="harm",
        ),
    ]


def blocks(sheet: dict) -> Document:
    """Lay a sheet out as blocks, in reading order."""
    kb, reg, date = sheet["knowledge_base"], sheet["region"], sheet["date"]
    doc = Document(sheet["title"])
    doc.blocks.append(
        Para(
            f"Made on {date['words']} · knowledge base {kb['version']} · phone numbers for {reg['name']}",
            "meta",
        )
    )
    if sheet["scope"]:
        sc = sheet["scope"]
        doc.blocks.append(Box(sc["title"], "scope", (Para(sc["text"]), Bullets(tuple(sc["instead"])))))
    if sheet["urgency"]:
        u = sheet["urgency"]
        why = (
            (Para(f"Why: {u['reasons'][0]}."),)
            if len(u["reasons"]) == 1
            else (Para("Why:"), Bullets(tuple(u["reasons"])))
        )
        doc.blocks.append(Box(u["title"], u["level"], (Para(u["action"], "strong"), *why)))
    if sheet["unchecked"]:
        doc.blocks.append(
            Section(
                (
                    Heading("Warning signs not checked"),
                    Para(
                        "These were not answered, so they are not ruled out. "
                        "If any of them is true, follow 'When to get help' below:"
                    ),
                    Bullets(tuple(sheet["unchecked"])),
                )
            )
        )
    for ca in sheet["cause_advice"]:
        fit = f" ({ca['strength']})" if ca["strength"] else ""
        doc.blocks.append(
            Section(
                (
                    Heading(f"Possible cause{fit}: {ca['name']}"),
                    Bullets(tuple(ca["advice"])),
                    Para(f"When to see a doctor about it: {ca['see_doctor']}"),
                ),
                name="cause",
            )
        )
    if sheet["withheld"] is not None:
        doc.blocks.append(
            Box(
                WITHHELD_TITLE,
                "withheld",
                (Para(WITHHELD_INTRO), Bullets(tuple(sheet["withheld"])), Para(WITHHELD_WARNING, "strong")),
            )
        )
    if sheet["plan"]:
        doc.blocks += _plan_blocks(sheet["plan"])
    tiers = Tiers(tuple((t["level"], t["title"], t["action"], tuple(t["signs"])) for t in sheet["help"]))
    doc.blocks.append(Section((Heading(HELP_TITLE), tiers), name="help"))
    doc.blocks.append(Para(f"{sheet['disclaimer']} Knowledge base {kb['version']}, reviewed {kb['reviewed']}.", "note"))
    if sheet["kind"] == "report":
        doc.blocks.append(_report_section(sheet))
    return doc


def _report_section(sheet: dict) -> Section:
    likely = [c for c in sheet["causes"] if c["strength"] != "unlikely"] or sheet["causes"][:3]
    rest = [c["name"] for c in sheet["causes"] if c not in likely]
    u = sheet["urgency"]
    parts: list = [
        Heading("For your doctor or physiotherapist"),
        Para(
            f"Answers given on {sheet['date']['words']} to kneetriage, a questionnaire for pain behind the knee "
            f"(knowledge base {sheet['knowledge_base']['version']}). Nobody examined the person: the ranking "
            "below comes from these answers alone and is not a diagnosis."
        ),
        Para(f"Urgency advised: {u['title']} ({u['level']}).", "strong"),
        Heading("Answers given", 3),
        Table(("Question", "Answer"), tuple((a["question"], a["answer"]) for a in sheet["answers"]))
        if sheet["answers"]
        else Para("No answers were given."),
        Heading("Possible causes, most likely first", 3),
        Table(
            ("#", "Cause", "Match", "Why"),
            tuple((str(i), c["name"], c["strength"], "; ".join(c["why"])) for i, c in enumerate(likely, 1)),
        ),
    ]
    if rest:
        parts.append(Para("Also considered, and unlikely on these answers: " + "; ".join(rest) + "."))
    parts.append(Heading("Warning signs not asked, or answered 'not sure'", 3))
    if sheet["unanswered_red_flags"]:
        parts.append(Bullets(tuple(sheet["unanswered_red_flags"])))
    else:
        parts.append(Para("None: every warning-sign question was answered."))
    return Section(tuple(parts), page=True, name="report")


# ---------------------------------------------------------------- Markdown and plain text


def _md_escape(text: str) -> str:
    return text.replace("|", "/")


def _markdown_blocks(items, out: list[str]) -> None:
    for b in items:
        if isinstance(b, Tiers):
            _markdown_blocks(b.as_boxes(), out)
        elif isinstance(b, Section):
            _markdown_blocks(b.blocks, out)
        elif isinstance(b, Heading):
            out += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Para):
            text = {"strong": f"**{b.text}**", "meta": f"_{b.text}_", "note": f"_{b.text}_"}.get(b.style, b.text)
            out += [text, ""]
        elif isinstance(b, Bullets):
            out += [f"- {i}" for i in b.items] + [""]
        elif isinstance(b, Steps):
            for word, details in b.rows:
                main = next(t for label, t in details if not label)
                extra = " ".join(f"_{label}:_ {t}." for label, t in details if label)
                out.append(f"- **{word}**: {main}" + (f" {extra}" if extra else ""))
            out.append("")
        elif isinstance(b, Table):
            out.append("| " + " | ".join(b.header) + " |")
            out.append("|" + "---|" * len(b.header))
            out += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in b.rows]
            out.append("")
        elif isinstance(b, Box):  # a box is a block quote, so it stands out in any viewer
            inner: list[str] = ["#" * b.level + " " + b.title, ""]
            _markdown_blocks(b.blocks, inner)
            while inner and inner[-1] == "":
                inner.pop()
            out += [f"> {line}".rstrip() for line in inner] + [""]


def to_markdown(sheet: dict) -> str:
    doc = blocks(sheet)
    out = [f"# {doc.title}", ""]
    _markdown_blocks(doc.blocks, out)
    return "\n".join(out).rstrip() + "\n"


def _wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, width, initial_indent=first, subsequent_indent=first if rest is None else rest, break_on_hyphens=False
    ) or [first]


def _text_blocks(items, out: list[str], width: int, indent: str = "") -> None:
    for b in items:
        if isinstance(b, Tiers):
            _text_blocks(b.as_boxes(), out, width, indent)
        elif isinstance(b, Section):
            if b.page:
                out += ["", "=" * width, ""]
            _text_blocks(b.blocks, out, width, indent)
        elif isinstance(b, Heading):
            lines = _wrap(b.text, width, indent)
            out += lines + [indent + ("-" if b.level > 2 else "=") * (max(len(s) for s in lines) - len(indent)), ""]
        elif isinstance(b, Para):
            out += _wrap(b.text, width, indent) + [""]
        elif isinstance(b, Bullets):
            for i in b.items:
                out += _wrap(i, width, indent + "  * ", indent + "    ")
            out.append("")
        elif isinstance(b, Steps):
            for word, details in b.rows:
                out.append(indent + word)
                for label, t in details:
                    out += _wrap(f"{label}: {t}" if label else t, width, indent + "    ")
                out.append("")
        elif isinstance(b, Table):
            for n, row in enumerate(b.rows, 1):
                if len(b.header) == 2:
                    out += _wrap(f"{row[0]}  ->  {row[1]}", width, indent + "  * ", indent + "    ")
                else:
                    out += _wrap(f"{row[0]}. {row[1]}: {row[2]}", width, indent + "  ", indent + "     ")
                    out += _wrap(row[3], width, indent + "     ")
                    if n < len(b.rows):
                        out.append("")
            out.append("")
        elif isinstance(b, Box):
            rule = TEXT_RULE.get(b.style, "-")
            out += [indent + rule * (width - len(indent)), indent + b.title, ""]
            _text_blocks(b.blocks, out, width, indent)
            if out and out[-1] == "":
                out.pop()
            out += [indent + rule * (width - len(indent)), ""]


TEXT_RULE = {"emergency_ambulance": "#", "emergency": "#", "scope": "#", "withheld": "#", "consultation_24": "="}


def to_text(sheet: dict, width: int = 78) -> str:
    doc = blocks(sheet)
    out = [doc.title.upper(), "#" * min(width, len(doc.title)), ""]
    _text_blocks(doc.blocks, out, width)
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- HTML

# Print first: A4 with margins that leave the content no taller than a US Letter
# page's would be; 12.5pt type; meaning carried by words, rules and weight, never
# by colour alone (colour is only a screen nicety and prints as grey).
CSS = """
@page { size: A4; margin: 9mm 11mm 9mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; }
body {
  font-family: Arial, "Liberation Sans", Helvetica, "DejaVu Sans", sans-serif;
  font-size: 12pt; line-height: 1.2; max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem;
}
h1 { font-size: 19pt; line-height: 1.15; margin: 0 0 .15em; }
h2 { font-size: 14.5pt; margin: .5em 0 .2em; }
h3 { font-size: 13.5pt; margin: .5em 0 .2em; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
p { margin: .25em 0 .35em; }
ul { margin: .15em 0 .35em; padding-left: 1.3em; }
li { margin: .08em 0; }
.meta { font-size: 12pt; margin-bottom: .6em; }
.strong { font-weight: bold; }
.note { font-style: italic; margin-top: .7em; border-top: 1pt solid #000; padding-top: .35em; }
.box { border: 1.5pt solid #000; padding: .2em .7em .3em; margin: .6em 0; }
.box, tr { break-inside: avoid; page-break-inside: avoid; }
.box > h2:first-child, .box > h3:first-child { margin-top: .25em; }
.box.scope, .box.withheld { border-width: 3pt; }
.box.emergency_ambulance, .box.emergency { border: 4.5pt double #000; }
.box.consultation_24 { border-width: 3pt; }
.box.consultation, .box.self_care { border-style: solid; }
.label { font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: .2em 0 .4em; }
th, td { border: 1pt solid #000; padding: .15em .35em; text-align: left; vertical-align: top; }
thead th { border-bottom-width: 2pt; }
table.steps th[scope=row] { width: 7.6em; font-size: 13pt; }
table.steps td p { margin: 0 0 .15em; }
table.steps p.when { display: inline; margin-right: 1em; }
table.tiers td:first-child { width: 66%; }
table.tiers ul { margin: 0; padding-left: 1.1em; }
table.tiers p { margin: 0 0 .2em; }
table.tiers p.do { font-weight: bold; font-size: 13.5pt; }
table.tiers tr.emergency_ambulance td, table.tiers tr.emergency td { border-width: 3pt; }
table.tiers tr.emergency_ambulance p.do, table.tiers tr.emergency p.do { text-transform: uppercase; }
@media screen {
  .box.emergency_ambulance, .box.emergency { border-color: #b00000; }
  .box.consultation_24 { border-color: #8a5a00; }
}
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  a { color: #000; text-decoration: none; }
  section.new-page { break-before: page; page-break-before: always; }
}
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _html_blocks(items, out: list[str]) -> None:
    for b in items:
        if isinstance(b, Tiers):  # a two-column table: what you notice, what to do
            out.append('<table class="tiers"><thead><tr><th scope="col">If you notice any of these</th>')
            out.append('<th scope="col">Do this</th></tr></thead><tbody>')
            for level, title, action, signs in b.rows:
                items_ = "".join(f"<li>{_h(s)}</li>" for s in signs)
                out.append(
                    f'<tr class="{level}"><td><ul>{items_}</ul></td>'
                    f'<td><p class="do">{_h(title)}</p><p>{_h(action)}</p></td></tr>'
                )
            out.append("</tbody></table>")
        elif isinstance(b, Section):
            classes = " ".join(c for c in (b.name, "new-page" if b.page else "") if c)
            out.append(f'<section class="{classes}">' if classes else "<section>")
            _html_blocks(b.blocks, out)
            out.append("</section>")
        elif isinstance(b, Heading):
            out.append(f"<h{b.level}>{_h(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            cls = f' class="{b.style}"' if b.style else ""
            out.append(f"<p{cls}>{_h(b.text)}</p>")
        elif isinstance(b, Bullets):
            out.append("<ul>" + "".join(f"<li>{_h(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Steps):
            out.append(f'<table class="steps {b.name}"><tbody>')
            for word, details in b.rows:
                cell = "".join(
                    f'<p class="when"><span class="label">{_h(lb)}:</span> {_h(t)}</p>' if lb else f"<p>{_h(t)}</p>"
                    for lb, t in details
                )
                out.append(f'<tr><th scope="row">{_h(word)}</th><td>{cell}</td></tr>')
            out.append("</tbody></table>")
        elif isinstance(b, Table):
            out.append("<table><thead><tr>" + "".join(f'<th scope="col">{_h(c)}</th>' for c in b.header))
            out.append("</tr></thead><tbody>")
            out += ["<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in b.rows]
            out.append("</tbody></table>")
        elif isinstance(b, Box):
            out.append(f'<div class="box {b.style}"><h{b.level}>{_h(b.title)}</h{b.level}>')
            _html_blocks(b.blocks, out)
            out.append("</div>")


def to_html(sheet: dict) -> str:
    """One self-contained, print-ready HTML page: inline CSS, no scripts, no external files."""
    doc = blocks(sheet)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="kneetriage, knowledge base {_h(sheet["knowledge_base"]["version"])}">',
        f"<title>{_h(doc.title)} ({_h(sheet['date']['iso'])})</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_h(doc.title)}</h1>",
    ]
    _html_blocks(doc.blocks, out)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- terminal (rich)

BOX_BORDER = {
    "scope": "bold",
    "withheld": "bold",
    "emergency_ambulance": "bold red",
    "emergency": "bold red",
    "consultation_24": "yellow",
    "consultation": "cyan",
    "self_care": "green",
}


def _renderables(items) -> list:
    from rich import box as rich_box
    from rich.console import Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table as RichTable
    from rich.text import Text

    out: list = []
    for b in items:
        if isinstance(b, Tiers):
            out += _renderables(b.as_boxes())
        elif isinstance(b, Section):
            if b.page:
                out.append(Text(""))
            out += _renderables(b.blocks)
        elif isinstance(b, Heading):
            out.append(Text("\n" + b.text, style="bold underline" if b.level <= 2 else "bold"))
        elif isinstance(b, Para):
            style = {"strong": "bold", "meta": "dim", "note": "italic"}.get(b.style, "")
            out.append(Text(b.text, style=style))
        elif isinstance(b, Bullets):
            t = RichTable.grid(padding=(0, 1))
            t.add_column(no_wrap=True)
            t.add_column(ratio=1)
            for i in b.items:
                t.add_row("•", i)
            out.append(t)
        elif isinstance(b, Steps):
            for word, details in b.rows:
                body = Text()
                for n, (label, t) in enumerate(details):
                    if n:
                        body.append("\n")
                    if label:
                        body.append(f"{label}: ", style="bold")
                    body.append(t)
                out += [Text(word, style="bold"), Padding(body, (0, 0, 0, 2))]
        elif isinstance(b, Table):
            t = RichTable(show_lines=True, expand=True, box=rich_box.SQUARE)
            for n, h in enumerate(b.header):
                wide = n == len(b.header) - 1 or len(b.header) == 2
                t.add_column(h, ratio=3 if wide else 1, no_wrap=(h == "#"))
            for row in b.rows:
                t.add_row(*row)
            out.append(t)
        elif isinstance(b, Box):
            style = BOX_BORDER.get(b.style, "")
            out.append(
                Panel(
                    Group(*_renderables(b.blocks)),
                    title=Text(f" {b.title} ", style="bold"),
                    title_align="left",
                    border_style=style,
                    box=rich_box.DOUBLE if b.style in ("emergency_ambulance", "emergency") else rich_box.ROUNDED,
                )
            )
    return out


def print_sheet(sheet: dict, console) -> None:
    """Draw a sheet on a rich console."""
    from rich.text import Text

    doc = blocks(sheet)
    console.print(Text(doc.title, style="bold"))
    for r in _renderables(doc.blocks):
        console.print(r)


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


def check_output(path: str | Path) -> str:
    """Check an output path before any work is done (so nobody answers questions in vain)."""
    p = Path(path)
    fmt = output_format(p)
    if p.is_dir():
        raise UsageError(f"cannot write {p}: it is a folder; give a file name ending .md, .html or .txt")
    folder = p.parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {p}: the folder {folder} does not exist; create it or choose another path")
    return fmt


def render(sheet: dict, fmt: str) -> str:
    return {"markdown": to_markdown, "html": to_html, "text": to_text}[fmt](sheet)


def write_atomic(path: str | Path, text: str) -> None:
    """Write a sheet all at once, private to the user (mode 0600): a personal sheet holds health information."""
    check_output(Path(path))
    write_private(path, text, "the sheet")


def write_sheet(sheet: dict, path: str | Path) -> None:
    write_atomic(path, render(sheet, check_output(path)))


def write_report(kb: KnowledgeBase, report: dict, path: str | Path, today: datetime.date | None = None) -> None:
    """Write the report for a GP or physiotherapist (``ask --report``): the personal sheet plus
    the answers given, the ranked causes with their reasons and the unanswered warning signs.
    The format follows the file's extension (.md, .html or .txt)."""
    write_sheet(build_report(kb, report, today), path)
