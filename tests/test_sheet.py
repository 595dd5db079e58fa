"""The self-care sheet (`kneetriage sheet`) and the report for a clinician (`ask --report`)."""

from __future__ import annotations

import datetime
import html.parser
import json
import os
import re
import stat
from pathlib import Path

import pytest
import strategies
from conftest import all_answered
from drawing import draw
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from typer.testing import CliRunner

from kneetriage import engine, knowledge, result, sheet, wording
from kneetriage.cli import app
from kneetriage.wording import fill

DATA = Path(__file__).parent / "data"
KB = knowledge.load()
UK = KB.get_region("uk")
POLICE_WORDS = [s.word for s in KB.self_care.police]
HARM_WORDS = [s.word for s in KB.self_care.harm]


def _cases() -> dict[str, dict]:
    cases = {}
    for path in (DATA / "sheet_cases.jsonl", DATA / "public_cases.jsonl"):  # a missing file fails the suite
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                cases.setdefault(case["id"], case)
    return cases


CASES = _cases()


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "KNEETRIAGE_REGION", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def answers_file(tmp_path: Path, case_id: str) -> str:
    path = tmp_path / f"{case_id}.json"
    path.write_text(json.dumps(all_answered(CASES[case_id]["answers"])), encoding="utf-8")
    return str(path)


def personal(answers: dict, region=UK) -> dict:
    return sheet.build_personal(KB, result.build(KB, engine.triage(KB, answers), region))


def terminal(built: dict, width: int = 60) -> str:
    return draw(sheet.document(built), width)


def to_markdown(built: dict) -> str:
    return sheet.render(built, "markdown")


def to_html(built: dict) -> str:
    return sheet.render(built, "html")


def to_text(built: dict) -> str:
    return sheet.render(built, "text")


def flat(text: str) -> str:
    """Text without HTML tags, terminal box borders or line breaks, to search for phrases."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", re.sub(r"[\u2500-\u257f]", " ", text))


class StrictHTML(html.parser.HTMLParser):
    """Checks that every element is closed, in order (html.parser alone accepts anything)."""

    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.seen: list[str] = []
        self.style = ""
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.style += data
        else:
            self.text.append(data)


def parse_html(text: str) -> StrictHTML:
    p = StrictHTML()
    p.feed(text)
    p.close()
    assert p.stack == [], f"unclosed elements: {p.stack}"
    return p


# ------------------------------------------------------------------ the generic sheet


def test_terminal_sheet_has_every_police_and_harm_word():
    result = run("sheet")
    assert result.exit_code == 0
    for word in POLICE_WORDS + HARM_WORDS:
        assert word in result.stdout, word
    # The same holds on a narrow terminal: no step name is split across lines.
    narrow = terminal(sheet.build_generic(KB, UK))
    for word in POLICE_WORDS + HARM_WORDS:
        assert word in narrow, word


@pytest.mark.parametrize("name", ["sheet.md", "sheet.html", "sheet.txt", "SHEET.HTM"])
def test_saved_sheet_has_every_police_and_harm_word(tmp_path, name):
    out = tmp_path / name
    result = run("sheet", "--output", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""  # the sheet went to the file, not the screen
    assert str(out) in result.stderr
    text = out.read_text(encoding="utf-8")
    for word in POLICE_WORDS + HARM_WORDS:
        assert word in flat(text), word
    for step in KB.self_care.police:
        assert step.how_long in flat(text) and step.how_often in flat(text)


def test_html_sheet_is_one_self_contained_print_ready_page(tmp_path):
    out = tmp_path / "sheet.html"
    assert run("sheet", "--output", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    parsed = parse_html(text)
    assert parsed.seen[:2] == ["html", "head"]
    css = parsed.style
    assert "@media print" in css
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    body_pt = float(re.search(r"body\s*\{[^}]*font-size:\s*([\d.]+)pt", css).group(1))
    assert body_pt >= 12
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)pt", css)]
    assert min(sizes) >= 12, "no text smaller than 12pt"
    # Self-contained: nothing to fetch, nothing to run.
    assert not {"script", "link", "img", "iframe"} & set(parsed.seen)
    assert not re.search(r"url\(|@import|src=", text)
    # Carries the date and the knowledge-base version.
    assert datetime.date.today().isoformat() in text
    assert KB.version in flat(text)


def test_sheet_carries_the_date_it_was_made():
    built = sheet.build_generic(KB, UK, today=datetime.date(2027, 3, 4))
    for render in (to_html, to_markdown, to_text):
        assert "4 March 2027" in render(built)
    assert "2027-03-04" in to_html(built)


def test_html_escapes_what_it_draws():
    built = sheet.build_generic(KB, UK)
    built["help"][0]["signs"].append("<script>alert(1)</script> & more")
    text = to_html(built)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
    parse_html(text)


def test_generic_sheet_says_at_the_top_what_it_is_not_for():
    for text in (run("sheet").stdout, to_markdown(sheet.build_generic(KB, UK))):
        flat_text = flat(text)
        scope = flat_text.index(wording.SCOPE_TITLE)
        assert scope < flat_text.index("Protect")
        head = flat_text[scope : flat_text.index("Protect")]
        for hazard in ("blood clot", "infected joint", "broken bone", "cold, pale or numb"):
            assert hazard in head
        # ... and what to do instead, with the region's numbers.
        assert "Call 999 now" in head and "A&E" in head and "NHS 111" in head


def test_when_to_get_help_has_every_tier_with_the_regions_numbers():
    for region_id in ("uk", "us", "eu", "au"):
        reg = KB.get_region(region_id)
        result = run("sheet", "--region", region_id)
        text = flat(result.stdout)
        for level in sheet.HELP_LEVELS:
            assert fill(KB.urgency[level].title, reg) in text
            for sign in KB.urgency[level].signs:
                assert flat(sign) in text
        assert reg.emergency in text and reg.urgent in text
        for other in KB.regions:
            if other.emergency != reg.emergency:
                assert f"Call {other.emergency}" not in text
        assert "{emergency}" not in text and "{urgent}" not in text
        assert fill(KB.disclaimer, reg) in text


def test_every_urgency_level_but_self_care_lists_its_signs():
    for level in KB.urgency_levels:
        assert bool(level.signs) == (level.id != "self_care"), level.id


def test_tiers_run_most_urgent_first():
    text = flat(run("sheet").stdout)
    positions = [text.index(fill(KB.urgency[lv].title, UK), text.index("When to get help")) for lv in sheet.HELP_LEVELS]
    assert positions == sorted(positions)


# ------------------------------------------------------------------ output files


@pytest.mark.parametrize("name", ["sheet.pdf", "sheet", "sheet.doc", "notes.md.bak"])
def test_unknown_extension_is_exit_2_with_one_line(tmp_path, name):
    out = tmp_path / name
    result = run("sheet", "--output", str(out))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and ".md, .html or .txt" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_exit_2_with_one_line(tmp_path):
    result = run("sheet", "--output", str(tmp_path / "nowhere" / "sheet.md"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_a_folder_as_output_is_exit_2_with_one_line(tmp_path):
    (tmp_path / "is-a-dir.md").mkdir()
    result = run("sheet", "--output", str(tmp_path / "is-a-dir.md"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "folder" in result.stderr


def test_file_is_written_whole_private_and_replaces_the_old_one_only_with_force(tmp_path):
    out = tmp_path / "sheet.txt"
    out.write_text("old contents", encoding="utf-8")
    refused = run("sheet", "--output", str(out))
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "old contents"
    assert run("sheet", "--output", str(out), "--force").exit_code == 0
    assert "old contents" not in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.txt"]  # no temporary file left behind


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    def boom(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    result = run("sheet", "--output", str(tmp_path / "sheet.md"))
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ personal sheets


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.:;!?])\s+|\n", flat(text)) if s.strip()]


NEGATION = re.compile(r"\b(not|never|no|left out)\b", re.I)
SOFT_TISSUE = re.compile(r"\b(ice|icing|compress\w*|bandage|massag\w*|rub)\b", re.I)


def assert_no_soft_tissue_plan(text: str) -> None:
    """No POLICE or HARM plan, and ice, compression or massage only ever inside a 'do not'."""
    plain = flat(text)
    assert "POLICE" not in plain and "HARM" not in plain
    for step in KB.self_care.police:
        assert step.what not in plain and step.how_long not in plain
    for step in KB.self_care.harm:
        assert step.why not in plain
    for s in _sentences(text):
        if SOFT_TISSUE.search(s):
            assert NEGATION.search(s), f"soft-tissue care offered: {s!r}"


def personal_sheet(tmp_path, case_id: str, name: str | None) -> str:
    """The personal sheet for a public case: printed (name None) or written to tmp_path / name."""
    args = ["sheet", "--answers", answers_file(tmp_path, case_id)]
    if name:
        args += ["--output", str(tmp_path / name)]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return (tmp_path / name).read_text(encoding="utf-8") if name else result.stdout


@pytest.mark.parametrize("name", [None, "dvt.md", "dvt.html", "dvt.txt"])
def test_dvt_case_names_the_clot_gives_same_day_action_and_no_soft_tissue_plan(tmp_path, name):
    text = personal_sheet(tmp_path, "p-dvt", name)
    plain = flat(text)
    assert KB.cause["dvt"].name in plain
    today = KB.urgency["consultation_24"]
    assert fill(today.title, UK) in plain and fill(today.action, UK) in plain
    # The urgent action comes first, before any advice.
    assert plain.index(fill(today.action, UK)) < plain.index(KB.cause["dvt"].name)
    for line in KB.cause["dvt"].advice:
        assert fill(line, UK) in plain
    assert wording.NO_SOFT_TISSUE_TITLE in plain
    assert_no_soft_tissue_plan(text)


@pytest.mark.parametrize("name", [None, "ham.md", "ham.html", "ham.txt"])
def test_hamstring_case_names_the_strain_and_gives_its_advice(tmp_path, name):
    text = personal_sheet(tmp_path, "p-hamstring", name)
    plain = flat(text)
    cause = KB.cause["hamstring_injury"]
    assert cause.name in plain
    for line in cause.advice:
        assert fill(line, UK) in plain
    for word in POLICE_WORDS + HARM_WORDS:
        assert word in plain
    assert wording.SCOPE_TITLE not in plain  # the answers checked the warning signs
    # Urgency first, then the cause's advice, then the plan.
    assert plain.index(fill(KB.urgency["self_care"].title, UK)) < plain.index(cause.name)
    assert plain.index(cause.advice[-1]) < plain.index(f"POLICE: {POLICE_WORDS[0]}")


def test_unchecked_warning_signs_are_listed_and_no_plan_is_given():
    built = personal({"age": 30, "injury": "overstretch", "thigh_back_pain": True})
    text = to_markdown(built)
    for f in KB.red_flags:
        assert KB.finding[f].question in text
    assert_no_soft_tissue_plan(text)


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_every_public_case_sheet_matches_the_reports_soft_tissue_decision(case_id):
    answers = CASES[case_id]["answers"]
    built_report = result.build(KB, engine.triage(KB, answers), UK)
    built = sheet.build_personal(KB, built_report)
    texts = [to_markdown(built), to_html(built), to_text(built), terminal(built, 100)]
    for text in texts:
        sc = built_report["self_care"]
        if sc["given"]:
            assert all(step.what in flat(text) for step in KB.self_care.police)
        elif sc["withheld_because"]:
            assert_no_soft_tissue_plan(text)
        else:  # not a fresh injury: the causes' own advice, without the POLICE plan
            assert not any(step.what in flat(text) for step in KB.self_care.police)
        for ca in built_report["self_care"]["cause_advice"]:
            assert ca["name"] in flat(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.answers())
def test_any_answers_never_offer_soft_tissue_care_where_the_core_withholds_it(answers):
    built_report = result.build(KB, engine.triage(KB, answers), UK)
    built = sheet.build_personal(KB, built_report)
    md = to_markdown(built)
    assert built_report["urgency"]["title"] in md
    if built_report["self_care"]["given"]:
        assert "POLICE" in md
    else:
        assert_no_soft_tissue_plan(md)


# ------------------------------------------------------------------ ask --report


INTERNAL = re.compile(
    r"\b(" + "|".join(sorted({f.id for f in KB.findings} | {c.id for c in KB.causes} | set(knowledge.LEVELS))) + r")\b"
)


def internal_ids(text: str) -> set[str]:
    """Ids a person should never read: urgency levels, and finding or cause ids with an underscore
    (in HTML, the words shown, not the markup and its style sheet)."""
    if text.lstrip().startswith("<!DOCTYPE"):
        text = " ".join(parse_html(text).text)
    return {m for m in INTERNAL.findall(flat(text)) if "_" in m}


@pytest.mark.parametrize("name", ["report.md", "report.html", "report.txt"])
def test_ask_report_opens_for_the_doctor(tmp_path, name):
    out = tmp_path / name
    result_ = run("ask", "--answers", answers_file(tmp_path, "p-dvt"), "--format", "json", "--report", str(out))
    assert result_.exit_code == 0
    printed = json.loads(result_.stdout)  # stdout stays the JSON result; the note goes to stderr
    assert str(out) in result_.stderr
    text = out.read_text(encoding="utf-8")
    plain = flat(text)
    first, rest = plain.split("All answers given", 1)
    answers = CASES["p-dvt"]["answers"]
    # Page 1: which knee, the urgency in words, the leading causes with their reasons, the yes answers.
    assert re.search(rf"Knee\W+{KB.finding['side'].answer_label(answers['side'])}", first)
    assert printed["urgency"]["title"] in first
    leading = [c for c in printed["causes"] if c["strength"] in ("strong match", "possible match")]
    positions = [first.index(c["name"]) for c in leading]
    assert positions == sorted(positions) and leading
    for c in leading:
        for why in c["why"]:
            assert why.split(": ", 1)[1] in first, why
    yes = first.split("Answered yes", 1)[1]
    for fid, value in answers.items():
        if value is True:
            assert KB.finding[fid].label.lower() in yes.lower(), fid
    # Then every answer in words, then the person's care sheet.
    for fid, value in answers.items():
        f = KB.finding[fid]
        assert f.question in rest, fid
        assert f.answer_label(value) in rest
    assert KB.cause["dvt"].name in rest.split("your care sheet", 1)[1]
    assert_no_soft_tissue_plan(text)
    assert internal_ids(text) == set()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_ask_report_lists_unanswered_warning_signs(tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text('{"age": 40, "fever": false}', encoding="utf-8")
    out = tmp_path / "r.md"
    assert run("ask", "--answers", str(answers), "--report", str(out)).exit_code == 0
    first = flat(out.read_text(encoding="utf-8")).split("All answers given", 1)[0]
    assert re.search(r"Knee\W+not said", first)
    unchecked = first.split("Warning signs not checked", 1)[1]
    for f in KB.red_flags:
        if f != "fever":
            assert KB.finding[f].label.lower() in unchecked.lower(), f
    assert KB.finding["fever"].label.lower() not in unchecked.lower()


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_no_printed_text_shows_an_internal_id(case_id):
    built = result.build(KB, engine.triage(KB, CASES[case_id]["answers"]), UK)
    for text in (sheet.render(sheet.build_report(KB, built), "text"), terminal(personal(CASES[case_id]["answers"]))):
        assert internal_ids(text) == set()


def test_the_printed_generic_sheet_needs_no_terminal():
    for text in (to_html(sheet.build_generic(KB, UK)), to_text(sheet.build_generic(KB, UK))):
        assert "kneetriage ask" not in text and "Run " not in text


def test_ask_report_bad_extension_fails_before_anything_else(tmp_path):
    # Checked before the answers are even read, so an interview is never wasted.
    result = run("ask", "--answers", str(tmp_path / "missing.json"), "--report", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2
    assert ".md, .html or .txt" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_write_report_is_callable_on_its_own(tmp_path):
    built = result.build(KB, engine.triage(KB, {"age": 70, "breathless_or_chest_pain": True}), UK)
    out = tmp_path / "r.html"
    sheet.write_report(KB, built, out, today=datetime.date(2026, 12, 1))
    text = out.read_text(encoding="utf-8")
    parse_html(text)
    assert "1 December 2026" in text
    assert fill(KB.urgency["emergency_ambulance"].title, UK) in flat(text)
    assert "new-page" in text  # the clinician's part starts on its own printed page


# ------------------------------------------------------------------ reasons of one form said once

CALF_RULES = ("calf_swollen", "calf_tender", "calf_warm_red")  # one finding each: "... should be checked by a doctor"
RULE = {r.id: r for r in KB.red_flag_rules}


def why_items(markdown: str) -> list[str]:
    """The bullets of the urgency's 'Why' list on a Markdown sheet, then those of its 'Also found' list (the
    reasons that on their own would be less urgent than the verdict)."""
    lines = markdown[markdown.index("> Why:") :].splitlines()[1:]
    items = []
    for line in lines:
        if line.startswith("> - "):
            items.append(line[4:])
        elif line.startswith("> Also found, "):
            continue
        elif line.strip() not in (">", "") or items and not line.startswith(">"):
            break
    return items


def test_dvt_sheet_names_each_calf_sign_once_in_one_sentence(tmp_path):
    """Three lines that said the same thing about three calf signs are one sentence naming each sign once;
    the JSON result still holds each rule's own reason."""
    built = result.build(KB, engine.triage(KB, all_answered(CASES["p-dvt"]["answers"])), UK)  # as the file says
    reasons = [RULE[r].reason for r in CALF_RULES]
    assert all(r in built["urgency"]["reasons"] for r in reasons)  # the JSON keeps each
    # The burst cyst is a further hazard to rule out today here, so the list is the long one that
    # test_sheet_print.py prints on one or two pages (A4 and Letter).
    assert any(r.startswith(KB.cause["bakers_cyst_rupture"].name) for r in built["urgency"]["reasons"])
    items = why_items(personal_sheet(tmp_path, "p-dvt", "dvt.md"))
    checked = [i for i in items if "checked by a doctor" in i]
    assert len(checked) == 1, items
    for r in reasons:
        subject, _, rest = r.partition(" should be ")
        assert r not in items
        assert checked[0].count(subject) == 1 and checked[0].endswith(rest)
    # Nothing else was lost or moved: the other reasons are there, in the same order (alike ones joined too).
    others = [r for r in built["urgency"]["reasons"] if r not in reasons]
    assert [i for i in items if i not in checked] == wording.join_alike(others)
    assert len(items) < len(built["urgency"]["reasons"]) - 1


JOINED_FORMS = [one for one, _ in wording.ALIKE]


def _parts(reason: str) -> tuple[str, str] | None:
    for one in JOINED_FORMS:
        subject, sep, rest = reason.partition(one)
        if sep and subject and not any(c in subject for c in ":;"):
            return subject, rest
    return None


RULE_REASONS = sorted({fill(r.reason, UK) for r in KB.red_flag_rules})
# The engine's own reasons of these forms: a hazard that has to be ruled out at a level, or that withholds home care.
ENGINE_REASONS = [
    f"{c.name}{wording.POSSIBLE_HAZARD}{fill(KB.urgency[lv].title, UK).lower()}"
    for c in KB.causes
    if c.hazard
    for lv in ("consultation_24", "emergency_ambulance")
] + [f"{c.name}{wording.POSSIBLE_HERE}" for c in KB.causes if c.hazard]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.lists(hs.sampled_from(RULE_REASONS + ENGINE_REASONS), unique=True, max_size=12))
def test_joining_alike_reasons_keeps_every_word_and_the_order(reasons):
    joined = wording.alike_groups(reasons)
    assert len(joined) <= len(reasons)
    # Every reason is said by exactly one sentence, in the order the reasons first came.
    assert sorted(r for _, members in joined for r in members) == sorted(reasons)
    firsts = [members[0] for _, members in joined]
    assert firsts == [r for r in reasons if r in firsts]
    for sentence, members in joined:
        if len(members) == 1:
            assert sentence == members[0]
            continue
        for r in members:
            subject, rest = _parts(r)
            assert subject in sentence and sentence.endswith(rest)


def test_reasons_of_different_forms_or_worst_case_readings_are_not_joined():
    swollen, tender = (RULE[r].reason for r in CALF_RULES[:2])
    worst = f"you did not say whether your calf is swollen; if it is: {swollen}"
    examined = "a knee that will not bend to a right angle should be examined"
    assert wording.join_alike([worst, tender]) == [worst, tender]
    assert wording.join_alike([tender, examined]) == [tender, examined]
    two = wording.join_alike([swollen, examined, tender])
    assert len(two) == 2 and two[1] == examined and "should each be checked by a doctor" in two[0]
