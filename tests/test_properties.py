"""Safety properties, checked by hypothesis over the whole answer space (see docs/safety.md).

The pure core (``engine.triage``) is called directly where speed matters; the
properties about what a user or script sees run the whole command line.
Examples are deterministic (tests/strategies.py), so a failure here fails the
same way on every machine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import drawing
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import CHEAP, CLI, KB, RED_FLAGS, RENDER, answer_like_objects, cases, json_values
from typer.testing import CliRunner

from kneetriage import engine, result, sheet
from kneetriage.cli import app
from kneetriage.knowledge import rank
from kneetriage.output import pages

RUNNER = CliRunner()

# Written here, not read from the data file: what each region's emergency number is.
EMERGENCY_NUMBERS = {"uk": "999", "us": "911", "eu": "112", "au": "000"}

# Answers that mean a dangerous cause is possible, written independently of the data file.
# Where any of these is present, no ice, compression, massage or exercise plan may be given.
HAZARD_SIGNS = {
    "breathless or chest pain (lung clot)": {"breathless_or_chest_pain": True},
    "swollen tender calf (clot)": {"calf_swollen": True, "calf_tender": True},
    "swollen warm or red calf (clot)": {"calf_swollen": True, "calf_warm_red": True},
    "whole leg swollen (clot)": {"whole_leg_swollen": True},
    "calf sign after surgery (clot)": {"calf_tender": True, "recent_surgery_or_bedrest": True},
    "calf sign in a cast (clot)": {"veins_swollen": True, "leg_in_cast": True},
    "fever with a hot knee (infection)": {"fever": True, "knee_hot_red": True},
    "hot swollen artificial knee (infection)": {
        "joint_replacement": True,
        "knee_hot_red": True,
        "knee_very_swollen": True,
    },
    "misshapen knee (fracture or dislocation)": {"knee_deformed": True},
    "no weight after a fall (fracture)": {"cannot_bear_weight": True, "injury": "fall"},
    "cold, pale or blue leg (blood supply)": {"leg_cold_pale_or_blue": True},
}


def invoke(args: list[str], input: bytes | str | None = None):
    """Run the CLI in-process, keeping any unexpected exception for the assertion message."""
    return RUNNER.invoke(app, args, input=input, catch_exceptions=True)


def assert_done_or_one_line_error(result) -> None:
    unexpected = result.exception if not isinstance(result.exception, SystemExit) else None
    assert result.exit_code in (0, 2) and unexpected is None, f"exit {result.exit_code}: {unexpected!r}"
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        out = json.loads(result.stdout)
        assert rank(out["urgency"]["level"]) >= 0
    else:
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("kneetriage: error: "), result.stderr


def core_json(case: dict, region: str = "uk") -> str:
    return drawing.result_json(result.build(KB, engine.triage(KB, case), KB.get_region(region)))


# 1. Any JSON value as an answers file exits 0 or 2, with no traceback.


@CLI
@given(value=json_values | answer_like_objects() | cases())
@example(value=[])
@example(value={"age": 10**400})
@example(value={"\n\x1b[2Jfever": True})
@example(value={"fever": float("nan")})
@example(value={"age": 40.0, "fever": False})
def test_any_json_value_exits_0_or_2_without_a_traceback(value):
    assert_done_or_one_line_error(invoke(["ask", "--answers", "-", "--format", "json"], input=json.dumps(value)))


@CLI
@given(data=st.binary(max_size=200))
@example(data=b"\xef\xbb\xbf{}")
@example(data=b'{"age": ' + b"9" * 5000 + b"}")
def test_any_bytes_as_an_answers_file_exit_0_or_2_without_a_traceback(data):
    assert_done_or_one_line_error(invoke(["ask", "--answers", "-", "--format", "json"], input=data))


# 2. Adding any red-flag answer never lowers the urgency, and always reaches at least `consultation`.


@CHEAP
@given(case=cases(), flags=st.sets(st.sampled_from(RED_FLAGS), min_size=1, max_size=3))
def test_adding_red_flags_never_lowers_the_urgency(case, flags):
    before = engine.triage(KB, case).urgency.level
    after = engine.triage(KB, case | dict.fromkeys(flags, True))
    assert rank(after.urgency.level) <= rank(before), f"{sorted(flags)}: {before} -> {after.urgency.level}"
    assert rank(after.urgency.level) <= rank("consultation")
    assert after.urgency.reasons


def single_answer_cases() -> list[dict]:
    """Every allowed answer to every finding on its own, alone and on top of an all-clear (ages by decade)."""
    singles = [{}]
    for f in KB.findings:
        if f.type == "boolean":
            values = [True, False, None]
        elif f.type == "integer":
            values = [*range(f.min, f.max + 1, 10), f.max, None]
        else:
            values = [*f.choice_values, None]
        singles += [{f.id: v} for v in values]
    all_clear = dict.fromkeys(RED_FLAGS, False)
    return singles + [all_clear | s for s in singles]


def test_adding_any_red_flag_to_any_single_answer_never_lowers_the_urgency():
    """An exhaustive sweep beside the random search above: cheap (about 0.1 ms a triage) and catches a
    weight that only matters when little else is answered."""
    failures = []
    for case in single_answer_cases():
        before = engine.triage(KB, case).urgency.level
        for flag in RED_FLAGS:
            after = engine.triage(KB, case | {flag: True}).urgency.level
            if rank(after) > rank(before) or rank(after) > rank("consultation"):
                failures.append(f"{case} + {flag}: {before} -> {after}")
    assert not failures, "\n".join(failures[:10])


# Warning signs and risk factors: a "yes" to any of them is worrying news.
WORRYING = [f.id for f in KB.findings if f.group in ("red_flag", "risk")]
CASE_FILES = sorted(p for p in (Path(__file__).parent / "data").glob("*.jsonl") if "holdout" not in p.name)


@CHEAP
@given(case=cases(), worrying=st.sets(st.sampled_from(WORRYING), min_size=1, max_size=3))
def test_adding_a_warning_sign_or_risk_factor_never_lowers_the_urgency(case, worrying):
    before = engine.triage(KB, case).urgency.level
    after = engine.triage(KB, case | dict.fromkeys(worrying, True)).urgency.level
    assert rank(after) <= rank(before), f"{sorted(worrying)}: {before} -> {after}"


def test_a_worrying_yes_added_to_any_written_or_published_case_never_lowers_its_urgency():
    """Real answers carry rankings where a hazard leads by little: a long journey that lifts a clot above a
    compartment syndrome, or a cold leg that lifts the artery above an infected joint, once took the leading
    hazard's floor away (emergency -> same day). Every case line, every sign or risk factor not already "yes"."""
    failures = []
    for path in CASE_FILES:
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            answers = json.loads(line)["answers"]
            before = engine.triage(KB, answers).urgency.level
            for fid in WORRYING:
                if answers.get(fid) is True:
                    continue
                after = engine.triage(KB, answers | {fid: True}).urgency.level
                if rank(after) > rank(before):
                    failures.append(f"{path.name} {json.loads(line)['id']} + {fid}: {before} -> {after}")
    assert not failures, "\n".join(failures[:10])


@CHEAP
@given(case=cases())
def test_unchecked_red_flags_never_read_as_home_care(case):
    result = engine.triage(KB, case)
    missing = [f for f in RED_FLAGS if case.get(f) is None]
    assert list(result.unanswered_red_flags) == missing
    if missing:
        assert result.urgency.level != "self_care"
        assert result.soft_tissue_withheld, "no home plan while a warning sign is unchecked"


# Soft-tissue advice is never given where a clot, infection, fracture or blood-supply problem is possible.


@CHEAP
@given(case=cases(), sign=st.sampled_from(sorted(HAZARD_SIGNS)))
def test_no_soft_tissue_advice_where_a_dangerous_cause_is_possible(case, sign):
    out = result.build(KB, engine.triage(KB, case | HAZARD_SIGNS[sign]), KB.get_region("uk"))
    assert out["self_care"]["given"] is False, sign
    assert "police" not in out["self_care"] and "harm" not in out["self_care"]
    assert out["self_care"]["withheld_because"]
    assert rank(out["urgency"]["level"]) <= rank("consultation_24"), sign


# A cause's own advice never tells the person to get help less urgently than the verdict above it.
# Written here, not read from the data file: how an advice line that says when to get help begins (UK wording),
# and the level it sets. A line that begins "If ..." is a condition, not an instruction, and is not listed.
OPENINGS = {
    "Get medical help today": "consultation_24",
    "Book a GP": "consultation",
    "Have any new lump behind the knee checked by a GP": "consultation",
    "Have the knee examined": "consultation",
    "Go to A&E now:": "emergency",
}


def with_sign(case: dict, sign: str) -> dict:
    """The JSON result for the answers, with a danger sign of HAZARD_SIGNS added ("" for none)."""
    return result.build(KB, engine.triage(KB, case | HAZARD_SIGNS.get(sign, {})), KB.get_region("uk"))


def assert_none_later(levels, verdict: str, said: str) -> None:
    """No level named in what is said is later (less urgent) than the verdict."""
    for level in levels:
        assert rank(level) <= rank(verdict), f"under {verdict}: {said}"


@CHEAP
@given(case=cases(), sign=st.sampled_from(["", *sorted(HAZARD_SIGNS)]))
def test_a_causes_advice_never_says_to_get_help_later_than_the_verdict(case, sign):
    out = with_sign(case, sign)
    for ca in out["self_care"]["cause_advice"]:
        for line in ca["advice"]:
            named = (level for opening, level in OPENINGS.items() if line.startswith(opening))
            assert_none_later(named, out["urgency"]["level"], f"{ca['cause']}: {line}")


# The same for "when to see a doctor about it", in the result and on the personal care sheet. Written here: how a
# sentence that says when to get help whatever the answers begins, and its level ("... if ..." is a condition).
SEE_DOCTOR_OPENINGS = {
    re.compile(r"Get seen today[,:]"): "consultation_24",
    re.compile(r"Go to A&E now( for an X-ray)?\.?$"): "emergency",
    re.compile(r"Book a (prompt )?GP (or physiotherapy )?appointment (to|so) "): "consultation",
    re.compile(r"See a GP promptly"): "consultation",
}


@CHEAP
@given(case=cases(), sign=st.sampled_from(["", *sorted(HAZARD_SIGNS)]))
def test_when_to_see_a_doctor_never_says_to_get_help_later_than_the_verdict(case, sign):
    out = with_sign(case, sign)
    said = [line.split(": ", 1)[1] for line in out["see_doctor"]]
    said += [ca["see_doctor"] for ca in sheet.build_personal(KB, out)["cause_advice"]]
    for text in said:
        sentences = text.split(". ")
        named = (level for opening, level in SEE_DOCTOR_OPENINGS.items() for s in sentences if opening.match(s))
        assert_none_later(named, out["urgency"]["level"], text)


# And the verdict's own "Why" on the result page: a reason that on its own asks for later help ("severe pain even at
# rest needs a doctor today" under "Call 999 now") is not given as a reason for the verdict (--all lists it apart).
# Written here: words that name a level in the reasons a person reads.
LATER_WORDS = {
    re.compile(r"\btoday\b|\bsame day\b"): "consultation_24",
    re.compile(r"\bappointment\b|should be checked by a doctor|\bGP or physio\b"): "consultation",
}


@CHEAP
@given(case=cases(), sign=st.sampled_from(["", *sorted(HAZARD_SIGNS)]))
@example(case={"fainted": True, "severe_pain_at_rest": True}, sign="")
def test_the_verdicts_why_never_gives_a_reason_that_asks_for_later_help(case, sign):
    out = with_sign(case, sign)
    why = next(b.text for b in pages.result(out, KB).blocks[0].blocks if b.text.startswith("Why: "))
    if why.endswith("(--all lists them)."):
        why = why.rsplit(" And ", 1)[0]
    assert_none_later(
        (level for words, level in LATER_WORDS.items() if words.search(why)), out["urgency"]["level"], why
    )


def _warning_signs(doc) -> list[str]:
    """The 'warning sign' lines under the causes of a page (blocks nested in sections included)."""
    found, todo = [], list(doc.blocks)
    while todo:
        block = todo.pop()
        todo += getattr(block, "blocks", None) or ()
        if getattr(block, "name", "") == "reasons":
            found += [text for key, text in block.rows if key == "warning sign"]
    return found


# The same for the warning sign under each cause, on the result page and in the report for the doctor: under
# "Go to A&E now", an infected joint's "a high temperature with knee pain needs a doctor today" would be a second,
# slower instruction (the verdict's "Why" counts such reasons, and --all and the report list them apart).
@CHEAP
@given(case=cases(), sign=st.sampled_from(["", *sorted(HAZARD_SIGNS)]))
@example(case={"fever": True, "knee_very_swollen": True, "age": 40}, sign="")
@example(case={"age": 9, "limp": True, "injury": "none", "duration": "weeks"}, sign="")
def test_a_causes_warning_sign_never_asks_for_later_help_than_the_verdict(case, sign):
    out = with_sign(case, sign)
    for doc in (pages.result(out, KB), pages.report(sheet.build_report(KB, out))):
        for text in _warning_signs(doc):
            named = (level for words, level in LATER_WORDS.items() if words.search(text))
            assert_none_later(named, out["urgency"]["level"], text)


# 3. Key order never changes the result.


@CHEAP
@given(data=st.data(), case=cases())
def test_key_order_never_changes_the_result(data, case):
    shuffled = dict(data.draw(st.permutations(list(case.items()))))
    assert core_json(shuffled) == core_json(case)


@CLI
@given(data=st.data(), case=cases())
def test_key_order_in_the_file_never_changes_the_printed_result(data, case):
    shuffled = dict(data.draw(st.permutations(list(case.items()))))
    first = invoke(["ask", "--answers", "-", "--format", "json"], input=json.dumps(case))
    second = invoke(["ask", "--answers", "-", "--format", "json"], input=json.dumps(shuffled))
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout


# 4. A saved interview replays to the identical result.
# The interview's --save writes a JSON object of the answered keys only (null for
# "not sure"). Until the interview is merged, this checks that format end to end:
# any answers written that way and given back with --answers give the very result
# the core gives for those answers, in every output format.


@pytest.fixture(scope="module")
def save_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("saved")


@CLI
@given(case=cases(), region=st.sampled_from(sorted(EMERGENCY_NUMBERS)))
def test_saved_answers_replay_to_the_identical_result(save_dir, case, region):
    saved = save_dir / "answers.json"
    saved.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    replay = invoke(["ask", "--answers", str(saved), "--format", "json", "--region", region])
    assert replay.exit_code == 0, replay.output
    assert replay.stdout == core_json(case, region) + "\n"
    # The answers echoed are the ones given, plus any they imply (the back of the thigh on the picture is thigh pain).
    assert json.loads(replay.stdout)["answers"] == {**engine.implied(KB, case), **case}
    again = invoke(["ask", "--answers", str(saved), "--format", "markdown", "--region", region])
    assert again.stdout == drawing.result_markdown(json.loads(replay.stdout))


# The emergency number is the region's own, and no placeholder is left unfilled.


@CHEAP
@given(case=cases(), region=st.sampled_from(sorted(EMERGENCY_NUMBERS)))
def test_the_emergency_number_is_the_regions_own(case, region):
    text = core_json(case, region)
    assert "{emergency}" not in text and "{urgent}" not in text
    out = json.loads(text)
    if out["urgency"]["level"] == "emergency_ambulance":
        assert EMERGENCY_NUMBERS[region] in out["urgency"]["action"]
    said = " ".join([out["urgency"]["action"], out["urgency"]["title"], out["disclaimer"], *out["see_doctor"]])
    for other, number in EMERGENCY_NUMBERS.items():
        if other != region:
            assert not re.search(rf"(?<![\d ]){number}(?![\d])", said), f"{region} result shows {other}'s {number}"


# A 40-column terminal renders every result without a crash or an overlong line.


@RENDER
@given(case=cases())
def test_any_result_renders_in_40_columns(case):
    out = result.build(KB, engine.triage(KB, case), KB.get_region("uk"))
    text = drawing.result_text(out, 40)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 40
    words = " ".join(text.split())
    assert "not a diagnosis" in words
    assert out["urgency"]["title"].split()[0] in words
