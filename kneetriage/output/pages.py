"""Every page kneetriage shows, built as a :class:`~kneetriage.output.Document` from plain data.

- :func:`result`: the triage result (``ask``): the verdict first, then the likely
  causes with their reasons, then home care and when to get help sooner;
- :func:`recap`: the verdict said again under the result of an interview;
- :func:`emergency`: the panel shown when the interview stops for an emergency;
- :func:`sheet`: the self-care sheet (``sheet``), generic or personal;
- :func:`report`: the report for a doctor (``ask --report``): page 1 for the
  doctor, then the answers in full, then the personal sheet;
- :func:`evaluate`: the summary of ``evaluate``; :func:`questions`: ``questions``.

Each builder takes plain data (dicts from ``result.build`` and ``sheet.build_*``)
and the knowledge base where it needs its words. No rich here.
"""

from __future__ import annotations

from kneetriage import wording
from kneetriage.knowledge import LEVELS, KnowledgeBase

from . import Bullets, Document, Heading, KeyValue, Panel, Paragraph, Section, Table

MOST_CAUSES = 5  # causes shown with their reasons on the result page (all with --all)
MOST_REASONS = 3  # reasons for the urgency shown on the result page (all with --all)
MOST_WITHHELD = 2  # reasons home treatment is withheld, on the result page (all with --all)
SHEET_HINT = "'kneetriage sheet -a FILE' shows each step."
LIKELY_NOTE = f": {wording.NOT_A_DIAGNOSIS}"
SHOWN_STRENGTHS = ("strong match", "possible match")
HELP_TITLE = "When to get help (most urgent first; if unsure, choose the more urgent)"
SOONER_TITLE = "Get help sooner if"
GROUPS = {
    "about": "About you and the pain",
    "red_flag": "Warning signs",
    "risk": "Risk factors",
    "symptom": "Symptoms",
}


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _region_line(region: dict) -> str:
    return f"In an emergency call {region['emergency']}. " + wording.PHONE_NUMBERS.format(region=region["name"])


def _reasons(why: list[str], said: tuple[str, ...] = (), short: bool = False) -> KeyValue | Paragraph:
    """A cause's reasons grouped: 'warning sign', 'for' and 'against', each on one line, at most four
    of each, three on the ``short`` page. A warning sign in ``said`` is not given under the cause: one said
    above, or one that on its own asks for less urgent help than the verdict (the verdict's "Why" counts or
    lists those), which under the cause would read as a second, slower instruction; a cause left with no
    other line points to "Why". On the short page a cause shown for its warning sign gives one reason for
    it fewer: the sign says why it is there, and the page stays one 100-column, 50-line screen (``--all``
    and the report give them all)."""
    most = 3 if short else 4
    rows: dict[str, list[str]] = {}
    left_out = False
    for line in why:
        key, sep, text = line.partition(": ")
        if not sep or key not in ("for", "against", "warning sign"):
            return Paragraph(_sentence(line))
        if key == "warning sign" and text in said:
            left_out = True
            continue
        if len(rows.setdefault(key, [])) < most:
            rows[key].append(text)
    if left_out and not rows:
        rows["warning sign"] = [wording.SIGN_IN_WHY]
    if short and "warning sign" in rows and "for" in rows:
        rows["for"] = rows["for"][: most - 1]
    return KeyValue(tuple((key, "; ".join(texts)) for key, texts in rows.items()), name="reasons")


def shown_causes(causes: list[dict], everything: bool = False) -> list[dict]:
    """The causes the result page explains: strong and possible matches and any a warning sign points to
    (at most MOST_CAUSES, at least the first); every cause with ``everything``."""
    if everything:
        return list(causes)
    shown = [
        c
        for i, c in enumerate(causes)
        if i == 0 or c["strength"] in SHOWN_STRENGTHS or any(w.startswith("warning sign:") for w in c["why"])
    ]
    return shown[:MOST_CAUSES]


def _causes(causes: list[dict], everything: bool, said: tuple[str, ...], child: bool = False) -> list:
    shown = shown_causes(causes, everything)
    title = "Likely causes" if not everything else "Every cause, most likely first"
    if child:  # the causes and their weights are drawn up for adults: not "likely" for a child
        title = "Causes drawn up for adults, for a doctor to judge in a child"
    out: list = [Heading(title + LIKELY_NOTE)]
    for i, c in enumerate(shown, 1):
        out += [Heading(f"{i}. {c['name']} ({c['strength']})", 3), _reasons(c["why"], said, short=not everything)]
    rest = [c for c in causes if c not in shown]
    if rest:
        out.append(Paragraph(_also_considered(rest)))
    return out


def short_name(name: str) -> str:
    """A cause's name without its parenthesis: 'Baker's cyst (popliteal cyst)' -> 'Baker's cyst'."""
    head = name.split(" (", 1)[0].strip()
    return head or name


def _also_considered(rest: list[dict]) -> str:
    weak = [short_name(c["name"]) for c in rest if c["strength"] != "unlikely"]
    unlikely = len(rest) - len(weak)
    said = [f"{', '.join(weak)} ({'weak matches' if len(weak) > 1 else 'a weak match'})"] if weak else []
    if unlikely:
        said.append(f"{unlikely} more, unlikely on these answers")
    return f"Also considered: {'; '.join(said)}. --all explains every cause."


def _withheld(reasons: list[str], compact: bool = False) -> Panel:
    if compact:
        why: tuple = (Paragraph(f"{wording.NO_SOFT_TISSUE_INTRO} {'; '.join(reasons)}."),)
    else:
        why = (Paragraph(wording.NO_SOFT_TISSUE_INTRO), Bullets(tuple(_sentence(r) for r in reasons)))
    return Panel(wording.NO_SOFT_TISSUE_TITLE, "warning", (*why, Paragraph(wording.NO_SOFT_TISSUE_CARE, "strong")))


def _plan_in_short(police: list[dict], harm: list[dict]) -> str:
    return (
        f"Use POLICE ({', '.join(s['word'] for s in police)}) for 2 to 3 days and avoid HARM "
        f"({', '.join(s['word'] for s in harm)}) for 72 hours; {SHEET_HINT}"
    )


def _lower_list(signs) -> str:
    return "; ".join(s[:1].lower() + s[1:] if not s[1:2].isupper() else s for s in signs).rstrip(".")


def _plan(police: list[dict], harm: list[dict]) -> list:
    return [
        Section(
            (
                Heading("POLICE: " + ", ".join(s["word"] for s in police)),
                KeyValue(
                    tuple(
                        (s["word"], (s["what"], f"How long: {s['how_long']}", f"How often: {s['how_often']}"))
                        for s in police
                    ),
                    name="steps",
                ),
            ),
            name="police",
        ),
        Section(
            (
                Heading("Avoid HARM for 72 hours after an injury: " + ", ".join(s["word"] for s in harm)),
                KeyValue(tuple((s["word"], s["why"]) for s in harm), name="steps"),
            ),
            name="harm",
        ),
    ]


def tiers(kb: KnowledgeBase, region, below: str | None = None) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """The levels of 'when to get help' more urgent than ``below`` (all of them without it), most urgent first:
    (level, title, action, signs), in the region's words."""
    levels = [lv for lv in LEVELS if kb.urgency[lv].signs]
    if below is not None:
        levels = [lv for lv in levels if LEVELS.index(lv) < LEVELS.index(below)]
    return [
        (
            lv,
            wording.fill(kb.urgency[lv].title, region),
            wording.fill(kb.urgency[lv].action, region),
            tuple(wording.fill(s, region) for s in kb.urgency[lv].signs),
        )
        for lv in levels
    ]


def result(rep: dict, kb: KnowledgeBase, *, everything: bool = False) -> Document:
    """The triage result: verdict, likely causes, home care, when to get help sooner; one timeline."""
    u, region = rep["urgency"], kb.get_region(rep["region"]["id"])
    level = u["level"]
    own, lesser = _split_reasons(u)
    joined = wording.alike_groups(own)
    shown = joined if everything else joined[:MOST_REASONS]
    more = len(joined) - len(shown)
    why = "Why: " + " ".join(_sentence(r) for r, _ in shown)
    if everything and lesser:
        why += f" {wording.lesser_intro(len(lesser))}: " + "; ".join(lesser) + "."
    elif more:
        why += f" And {more + len(lesser)} more (--all lists them)."
    elif lesser:
        n = len(lesser)
        why += f" And {n} more that on {'its' if n == 1 else 'their'} own would be less urgent (--all lists them)."
    # A cause's warning sign said here is not repeated (with --all, every reason is), nor one less urgent on
    # its own than the verdict: counted here, and listed by --all.
    said = tuple(u["reasons"]) if everything else (*(r for _, members in shown for r in members), *_lesser(u))
    verdict = [Paragraph(u["action"], "strong"), Paragraph(why)]
    if rep["unanswered_red_flags"]:
        labels = [kb.finding[f].label for f in rep["unanswered_red_flags"] if f in kb.finding]
        verdict.append(Paragraph(f"{wording.UNCHECKED_INTRO}: {'; '.join(labels)}.", "strong"))
    doc = Document(blocks=[Panel(u["title"], level, tuple(verdict)), Paragraph(_region_line(rep["region"]), "meta")])
    doc.blocks += _causes(rep["causes"], everything, said, rep.get("child", {}).get("applies", False))
    sc = rep["self_care"]
    care: list = [Heading("Looking after it")]
    if sc["withheld_because"]:
        because = wording.join_alike(sc["withheld_because"])
        withheld = because if everything else because[:MOST_WITHHELD]
        more = len(because) - len(withheld)
        care.append(_withheld([*withheld, *([f"and {more} more (--all lists them)"] if more else [])], compact=True))
    elif sc["given"]:  # a fresh strain; otherwise the causes' own advice below says what to do
        care.append(Paragraph(_plan_in_short(sc["police"], sc["harm"])))
    # The leading cause's own advice, and that of every cause that is a hazard (the only ones given
    # while home care is withheld); the care sheet gives every leading cause's advice.
    advised = sc["cause_advice"] if sc["withheld_because"] or everything else sc["cause_advice"][:1]
    for ca in advised:
        care += [Heading(f"For {short_name(ca['name'])}", 3), Bullets(tuple(ca["advice"]))]
    if len(care) > 1:
        doc.blocks += care
    sooner = tiers(kb, region, below=level)
    if sooner:
        doc.blocks += [
            Heading(SOONER_TITLE),
            Bullets(tuple(f"{title}: {_lower_list(signs)}." for _, title, _, signs in sooner)),
        ]
    kbv = rep["knowledge_base"]
    doc.blocks.append(Paragraph(f"Knowledge base {kbv['version']}, reviewed {kbv['reviewed']}.", "note"))
    return doc


def _split_reasons(u: dict) -> tuple[list[str], list[str]]:
    """The urgency's reasons that set its level, and the rest, each less urgent on its own (those of one form
    said once): under "Call 999 now", "severe pain even at rest needs a doctor today" is not a reason for it."""
    own = u["reasons_at_level"]
    return u["reasons"][:own], wording.join_alike(u["reasons"][own:])


def _lesser(u: dict) -> tuple[str, ...]:
    """The urgency's reasons that on their own ask for less urgent help than its level, as written."""
    own = u["reasons"][: u["reasons_at_level"]]
    return tuple(r for r in u["reasons"][u["reasons_at_level"] :] if r not in own)


def recap(rep: dict) -> Document:
    """The verdict again under a result drawn after an interview: in a 24-row terminal the top has scrolled away."""
    u = rep["urgency"]
    return Document(
        blocks=[
            Paragraph(""),
            Paragraph(f"In short: {u['title']}.", "strong"),
            Paragraph("Scroll up for what to do, why, and the likely causes.", "meta"),
        ]
    )


def emergency(rep: dict, reasons) -> Document:
    """The emergency stop: what to do and the number, in a red box, then the reasons."""
    u = rep["urgency"]
    return Document(
        blocks=[
            Panel(
                "EMERGENCY",
                "emergency",
                (
                    Paragraph(u["title"].upper(), "strong"),
                    Paragraph(u["action"]),
                    Bullets(tuple(_sentence(r) for r in wording.join_alike(reasons))),
                ),
            ),
            Paragraph(rep["disclaimer"], "note"),
        ]
    )


# ------------------------------------------------------------------ the self-care sheet and the report


def _sheet_blocks(sheet: dict) -> list:
    kbv, reg, date = sheet["knowledge_base"], sheet["region"], sheet["date"]
    out: list = [
        Paragraph(
            f"Made on {date['words']} · knowledge base {kbv['version']} · phone numbers for {reg['name']}", "meta"
        )
    ]
    if sheet["scope"]:
        sc = sheet["scope"]
        out.append(Panel(sc["title"], "warning", (Paragraph(sc["text"]), Bullets(tuple(sc["instead"])))))
    if sheet["urgency"]:
        u = sheet["urgency"]
        own, lesser = _split_reasons(u)
        reasons = wording.join_alike(own)  # those of one form said once, the most urgent first
        why = (Paragraph(f"Why: {reasons[0]}."),) if len(reasons) == 1 else (Paragraph("Why:"), Bullets(tuple(reasons)))
        if lesser:
            why += (Paragraph(f"{wording.lesser_intro(len(lesser))}:"), Bullets(tuple(lesser)))
        out.append(Panel(u["title"], u["level"], (Paragraph(u["action"], "strong"), *why)))
    if sheet["unchecked"]:
        out.append(
            Section(
                (
                    Heading("Warning signs not checked"),
                    Paragraph("These were not answered. If any of them is true, follow 'When to get help' below:"),
                    Bullets(tuple(sheet["unchecked"])),
                )
            )
        )
    for ca in sheet["cause_advice"]:
        fit = f" ({ca['strength']})" if ca["strength"] else ""
        out.append(
            Section(
                (
                    Heading(f"Possible cause{fit}: {ca['name']}"),
                    Bullets(tuple(ca["advice"])),
                    *((Paragraph(f"When to see a doctor about it: {ca['see_doctor']}"),) if ca["see_doctor"] else ()),
                ),
                name="cause",
            )
        )
    if sheet["withheld"] is not None:
        out.append(_withheld(wording.join_alike(sheet["withheld"])))
    if sheet["plan"]:
        out += _plan(sheet["plan"]["police"], sheet["plan"]["harm"])
    help_panels = tuple(
        Panel(t["title"], t["level"], (Bullets(tuple(t["signs"])), Paragraph(t["action"]))) for t in sheet["help"]
    )
    out.append(Section((Heading(HELP_TITLE), *help_panels), name="help"))
    out.append(Paragraph(f"{sheet['disclaimer']} Knowledge base {kbv['version']}, reviewed {kbv['reviewed']}.", "note"))
    return out


def sheet(data: dict) -> Document:
    """The self-care sheet (generic or personal) from ``sheet.build_generic`` / ``sheet.build_personal``."""
    return Document(
        data["title"],
        _sheet_blocks(data),
        {"date": data["date"]["iso"], "version": data["knowledge_base"]["version"]},
    )


def _why_this_urgency(u: dict) -> str:
    own, lesser = _split_reasons(u)
    why = "Why this urgency: " + " ".join(_sentence(r) for r in wording.join_alike(own))
    return why + (f" {wording.lesser_intro(len(lesser))}: " + "; ".join(lesser) + "." if lesser else "")


def report(data: dict) -> Document:
    """The report for a doctor, from ``sheet.build_report``: page 1 says what a clinician needs first;
    then the answers in full; then the person's care sheet."""
    u, kbv = data["urgency"], data["knowledge_base"]
    summary = KeyValue(
        tuple((label, value) for label, value in data["summary"]) + (("Urgency advised", f"{u['title']}."),),
        name="summary",
    )
    first: list = [
        Paragraph(
            f"Answers given on {data['date']['words']} to kneetriage, a questionnaire for pain behind the knee "
            f"(knowledge base {kbv['version']}). Nobody examined the person: what follows comes from these "
            f"answers alone, {wording.NOT_A_DIAGNOSIS}.",
            "meta",
        ),
        summary,
        Paragraph(_why_this_urgency(u)),
        Heading("Leading causes, most likely first"),
    ]
    for i, c in enumerate(data["leading"], 1):  # a cause's sign less urgent than the verdict is in "Also found"
        first += [Heading(f"{i}. {c['name']} ({c['strength']})", 3), _reasons(c["why"], _lesser(u))]
    if data["others"]:
        first.append(Paragraph(f"Also considered, less likely: {', '.join(map(short_name, data['others']))}."))
    first.append(Heading("Answered yes"))
    first.append(Paragraph("; ".join(data["yes"]) + "." if data["yes"] else "No question was answered yes."))
    first.append(Heading("Warning signs not checked (not asked, or 'not sure')"))
    unchecked = data["unchecked_labels"]
    first.append(Paragraph("; ".join(unchecked) + "." if unchecked else "None: every warning sign was asked about."))
    answers = Section(
        (
            Heading("All answers given"),
            Table(("Question", "Answer"), tuple((a["question"], a["answer"]) for a in data["answers"]))
            if data["answers"]
            else Paragraph("No answers were given."),
            Heading("Sources for the leading causes", 3),
            Bullets(tuple(data["sources"])),
        ),
        page=True,
        name="answers",
    )
    care = Section((Heading(data["sheet_title"], 1), *_sheet_blocks(data)), page=True, name="sheet")
    return Document(
        data["title"],
        [Section(tuple(first), name="for-the-doctor"), answers, care],
        {"date": data["date"]["iso"], "version": kbv["version"]},
    )


# ------------------------------------------------------------------ for editors and scripts


def evaluate(version: str, misses: list[tuple[str, str, str, str]], totals: dict) -> Document:
    """The evaluate summary: the cases that missed (case, expected, came out, top reasons), then the totals."""
    doc = Document()
    if misses:
        doc.blocks.append(
            Table(("case", "expected", "came out", "top reasons"), tuple(misses), f"Cases that missed ({len(misses)})")
        )
    n, ranked = totals["cases"], totals["ranked"]
    rows = (
        ("cases", str(n)),
        ("expected cause first", f"{totals['top1']} / {ranked}"),
        ("expected causes in the first three", f"{totals['top3']} / {ranked}"),
        ("urgency accepted", f"{totals['urgency_ok']} / {n}"),
        ("under-triage (less urgent than accepted)", str(totals["under_triage"])),
        ("over-triage (more urgent than accepted)", str(totals["over_triage"])),
        ("unchecked red flags listed", f"{totals['unanswered_ok']} / {n}"),
        ("cases that missed", str(totals["missed"])),
    )
    if "screens_median" in totals:  # evaluate --interview
        rows += (("interview screens: median / longest", f"{totals['screens_median']:g} / {totals['screens_max']}"),)
        if "emergency_stops" in totals:
            rows += (("interviews stopped for an emergency (no causes shown)", str(totals["emergency_stops"])),)
    doc.blocks.append(Table(("check", "result"), rows, f"Totals (knowledge base {version})", False, (3, 1)))
    return doc


def questions(kb: KnowledgeBase) -> Document:
    """Every question, by group: its id, its allowed answers and its wording."""
    doc = Document(f"Questions (knowledge base {kb.version})")
    doc.blocks.append(
        Paragraph("An answers file is a JSON object of id -> answer; leave out what was not asked, null is 'not sure'.")
    )
    for group, name in GROUPS.items():
        rows = []
        for f in kb.findings:
            if f.group != group:
                continue
            if f.type == "boolean":
                allowed = "true / false"
            elif f.type == "integer":
                allowed = f"a whole number {f.min}-{f.max}"
            else:
                allowed = " / ".join(c.value for c in f.choices)
            rows.append((f.id, f"{f.question} Answers: {allowed}"))
        if rows:
            doc.blocks += [Heading(name), Table(("id", "question and answers"), tuple(rows), ratios=(1, 2))]
    return doc
