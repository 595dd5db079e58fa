"""Conditional evidence: a likelihood ratio that counts only where a condition on other answers holds.

A pattern can mean something only as a combination (gradual pain in a runner with no injury), while each of
its findings alone also comes with harmless causes. A ratio with ``when`` multiplies only where its condition
holds, the reason names the combination, the fast ranking path agrees with the reference one, and `check`
refuses a condition that is wrong.
"""

from __future__ import annotations

import json
import math

from kneetriage import answers as answers_mod
from kneetriage import engine, knowledge

SHIPPED = knowledge.default_path().read_text(encoding="utf-8")
CAUSE = "hamstring_injury"  # a calm cause, so the test ratio touches no safety rule
STRESS_PATTERN = {"all": [{"finding": "injury", "is": "none"}, {"finding": "onset", "is": "gradual"}]}


def edited(*ratios: dict, cause: str = CAUSE) -> tuple[dict, int]:
    data = json.loads(SHIPPED)
    i = next(i for i, c in enumerate(data["causes"]) if c["id"] == cause)
    data["causes"][i]["evidence"].extend(ratios)
    return data, i


def parsed(data: dict) -> knowledge.KnowledgeBase:
    return knowledge.parse(json.dumps(data).encode(), "edited.json")


def log_odds(kb, answers: dict, cause: str = CAUSE) -> tuple[float, engine.RankedCause]:
    rc = next(rc for rc in engine.rank_causes(kb, answers) if rc.id == cause)
    return rc.log_odds, rc


BASE = {"age": 40, "sex": "male", "side": "left", "duration": "weeks", "sport": "running"}


def test_a_conditional_ratio_counts_only_where_its_condition_holds():
    plain = parsed(json.loads(SHIPPED))
    kb = parsed(edited({"finding": "sport", "is": "running", "lr": 7, "basis": "judgement", "when": STRESS_PATTERN})[0])
    holds = {**BASE, "injury": "none", "onset": "gradual"}
    for answers, counts in (
        (holds, True),
        ({**BASE, "injury": "twist", "onset": "gradual"}, False),  # one part of the combination is missing
        ({**BASE, "injury": "none", "onset": "sudden"}, False),
        ({**BASE, "injury": "none"}, False),  # "not sure" or unasked never completes a combination
        ({**holds, "sport": "pivoting"}, False),  # the ratio's own answer differs
    ):
        with_it, ranked = log_odds(kb, answers)
        without, _ = log_odds(plain, answers)
        assert math.isclose(with_it - without, math.log(7) if counts else 0.0, abs_tol=1e-12), answers
        texts = [c.text for c in ranked.raised]
        assert any("together with" in t for t in texts) == counts, texts


def test_the_reason_names_the_combination_in_plain_words(run, tmp_path, answers_file):
    data, _ = edited({"finding": "sport", "is": "running", "lr": 7, "basis": "judgement", "when": STRESS_PATTERN})
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    answers = answers_file({**BASE, "injury": "none", "onset": "gradual"})
    result = run("ask", "--answers", answers, "--data", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    cause = next(c for c in out["causes"] if c["id"] == CAUSE)
    reasons = " | ".join(cause["why"])
    kb = parsed(data)
    sport = kb.finding["sport"].describe("running")
    injury = kb.finding["injury"].describe("none")
    onset = kb.finding["onset"].describe("gradual")
    assert f"{sport} together with {injury} and {onset}" in reasons, reasons


def test_the_fast_path_agrees_with_the_reference_for_conditional_ratios():
    """score_causes (compiled conditions, indexed weights) against score_cause, also for a number range ratio
    an ``any`` condition with ``in``, and a condition on a number."""
    kb = parsed(
        edited(
            {"finding": "sport", "is": "running", "lr": 7, "basis": "judgement", "when": STRESS_PATTERN},
            {
                "finding": "age",
                "min": 50,
                "lr": 0.5,
                "basis": "judgement",
                "when": {
                    "any": [
                        {"finding": "injury", "in": ["fall", "twist"]},
                        {"finding": "duration", "in": ["weeks", "months"]},
                    ]
                },
            },
            {
                "finding": "getting_worse",
                "is": True,
                "lr": 3,
                "basis": "judgement",
                "when": {"finding": "age", "max": 30},
            },
        )[0]
    )
    checked = 0
    for age in (20, 60):
        for injury in ("none", "fall", "twist", None):
            for onset in ("gradual", "sudden", None):
                for worse in (True, False, None):
                    raw = {**BASE, "age": age, "injury": injury, "onset": onset, "getting_worse": worse}
                    answers = answers_mod.check(kb, {k: v for k, v in raw.items() if v is not None})
                    reference = [engine.score_cause(kb, c, answers) for c in kb.causes]
                    assert engine.score_causes(kb, answers) == reference, answers
                    checked += 1
    assert checked == 72


def refused(run, tmp_path, data: dict) -> str:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.stderr
    return lines[0]


def test_check_refuses_a_bad_condition_naming_the_cause_and_the_problem(run, tmp_path):
    ratio = {"finding": "sport", "is": "running", "lr": 7, "basis": "judgement"}
    cases = (
        ({"finding": "injuri", "is": "none"}, "unknown finding 'injuri'"),
        ({"finding": "injury", "is": "gradual"}, "does not fit finding 'injury'"),
        ({"all": []}, "needs at least one condition"),
        ({"finding": "injury", "is": "none", "or_unknown": True}, f"cause '{CAUSE}' must not use or_unknown"),
        ({"finding": "sport", "is": "running"}, f"cause '{CAUSE}' tests the ratio's own finding 'sport'"),
    )
    for when, problem in cases:
        data, i = edited({**ratio, "when": when})
        line = refused(run, tmp_path, data)
        j = len(data["causes"][i]["evidence"]) - 1
        assert f"at $.causes[{i}].evidence[{j}].when" in line and problem in line, line


def test_check_refuses_a_condition_by_which_a_warning_sign_would_lower_an_urgent_cause(run, tmp_path):
    """Raising a clot only while there is no swelling of the calf would make reporting that swelling lower it."""
    ratio = {"finding": "long_travel", "is": True, "lr": 3, "basis": "judgement"}
    data, i = edited({**ratio, "when": {"finding": "calf_swollen", "is": False}}, cause="dvt")
    line = refused(run, tmp_path, data)
    assert "must not need a 'no' to red flag 'calf_swollen'" in line and "cause 'dvt'" in line, line
    data, i = edited({**ratio, "lr": 0.5, "when": {"finding": "calf_swollen", "is": True}}, cause="dvt")
    line = refused(run, tmp_path, data)
    assert "must not need a 'yes' to red flag 'calf_swollen'" in line, line


def test_a_ratio_for_after_a_fall_is_not_listed_as_not_checked_when_there_was_no_injury(run, tmp_path, answers_file):
    """The 'not checked' list names the unanswered questions that could still make a dangerous cause possible.
    A ratio that counts only after a fall cannot do that for someone who had no injury, so its question is not
    listed (it was, while the estimate of what an answer could add took every condition as one that could hold);
    after a fall it is."""
    data, _ = edited(
        {
            "finding": "tiptoe_pain",
            "is": True,
            "lr": 60,
            "basis": "judgement",
            "when": {"finding": "injury", "is": "fall"},
        },
        cause="fracture_or_dislocation",
    )
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    kb = parsed(data)
    said = {f.id: False for f in kb.findings if f.group in ("red_flag", "risk") and f.type == "boolean"}
    for gated in ("pregnant_or_recent_birth", "hormone_medication"):
        said.pop(gated)
    said |= {**BASE, "sport": "none", "onset": "gradual", "pain_site": "centre", "known_arthritis": "none"}
    said |= {"swelling_timing": "none"}
    listed = {}
    for injury in ("none", "fall"):
        result = run(
            "ask", "--answers", answers_file({**said, "injury": injury}), "--data", str(path), "--format", "json"
        )
        assert result.exit_code == 0, result.output
        listed[injury] = {q["id"] for q in json.loads(result.stdout)["not_checked"]}
    assert "tiptoe_pain" not in listed["none"], listed["none"]
    assert "tiptoe_pain" in listed["fall"], listed["fall"]


def test_the_most_an_answer_can_add_leaves_out_a_ratio_whose_condition_is_ruled_out():
    """engine.lifts, which the interview and the 'not checked' list use to judge what an unasked question could
    still do: a raising ratio counts unless its condition is ruled out, a lowering one only once it holds."""
    fall = {"finding": "injury", "is": "fall"}
    data, i = edited(
        {"finding": "tiptoe_pain", "is": True, "lr": 60, "basis": "judgement", "when": fall},
        {"finding": "cannot_fully_bend", "is": True, "lr": 1 / 1.5, "basis": "judgement", "when": fall},
        cause="fracture_or_dislocation",
    )
    kb = parsed(data)
    cause = kb.causes[i]
    bend = next(e.log_lr for e in cause.evidence if e.finding == "cannot_fully_bend" and e.when is None)
    for answers, tiptoe, bends in (
        ({}, True, bend),
        ({"injury": "twist"}, False, bend),
        ({"injury": "fall"}, True, None),  # 1.5 / 1.5: a knee that will not bend adds nothing after a fall here
    ):
        got = dict(engine.lifts(kb, cause, answers))
        assert ("tiptoe_pain" in got) == tiptoe, (answers, got)
        assert got.get("cannot_fully_bend") == bends, (answers, got)
    assert dict(engine.lifts(kb, cause)) == dict(engine.lifts(kb, cause, {}))


def test_the_shipped_fracture_ratios_for_an_acute_injury_count_and_show_only_after_one():
    """The Ottawa knee rule is for acute knee injuries: a child's age, a knee that will not bend to a right angle
    or swells within hours raise a broken bone only after an injury or a sudden start, and only then are they
    given as reasons for it (a 7-month-old with an infected hip and no injury was ranked a broken bone first)."""
    kb = knowledge.load(knowledge.default_path())
    child = {"age": 9, "sex": "female", "side": "left", "cannot_bend_90": True, "swelling_timing": "within_hours"}
    reasons = {}
    for story in ({"injury": "none", "onset": "gradual"}, {"injury": "fall", "onset": "sudden"}):
        answers = answers_mod.check(kb, {**child, **story})
        rc = next(rc for rc in engine.rank_causes(kb, answers) if rc.id == "fracture_or_dislocation")
        reasons[story["injury"]] = {c.finding for c in rc.raised}
    assert not {"age", "cannot_bend_90", "swelling_timing"} & reasons["none"], reasons
    assert {"age", "cannot_bend_90", "swelling_timing"} <= reasons["fall"], reasons


def test_a_cold_blue_leg_points_to_a_clot_only_when_the_leg_is_swollen():
    """A clot blocking the leg's veins makes it swollen and blue; a cold, pale leg that is not swollen is the
    artery's sign, so the shipped clot weight for it counts only with a swollen calf or leg."""
    kb = knowledge.load()
    base = {**BASE, "injury": "none", "onset": "sudden"}
    for swelling, counts in (({}, False), ({"calf_swollen": True}, True), ({"whole_leg_swollen": True}, True)):
        answers = {**base, **swelling}
        with_cold, ranked = log_odds(kb, {**answers, "leg_cold_pale_or_blue": True}, cause="dvt")
        without, _ = log_odds(kb, {**answers, "leg_cold_pale_or_blue": False}, cause="dvt")
        assert math.isclose(with_cold - without, math.log(3) if counts else 0.0, abs_tol=1e-12), swelling
        assert any("together with" in c.text for c in ranked.raised) == counts
