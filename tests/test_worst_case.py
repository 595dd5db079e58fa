"""An answer about the history that was not given is read the worst way a person's other answers allow.

Where what happened, how it started, how long it has lasted, where it hurts, which knee or the sport is not
given (or "not sure"), the urgency is the most urgent that one such answer, read consistently with what was
said, gives to a rule that rests on something the person did say (an injury is read in only where a sudden
start came with a pop, a knee giving way, or a sport where the pain is not said to be in the calf or thigh); a calf
sign not checked counts only when the pain is in the calf. The reason names what was not said.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import all_answered, read_cases

from kneetriage import engine, interview
from kneetriage.knowledge import rank

# The swelling is checked (rule leg_swelling_not_checked would otherwise send a painful leg to the same day itself).
LONG_JOURNEY = {
    "age": 50,
    "sex": "female",
    "side": "right",
    "injury": "none",
    "long_travel": True,
    "calf_swollen": False,
    "whole_leg_swollen": False,
}
FOOTBALL_KNEE = {"age": 31, "sex": "male", "onset": "sudden", "sport": "pivoting", "giving_way": True}
CALF_WORSE = {"age": 42, "sex": "male", "duration": "weeks", "onset": "sudden", "pain_site": "calf"}
CALF_SIGNS = ("calf_swollen", "calf_tender", "calf_warm_red")


def urgency(run, answers_file, answers: dict) -> dict:
    result = run("ask", "--answers", answers_file(answers), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["urgency"]


def not_said(reasons: list[str]) -> list[str]:
    return [r for r in reasons if r.startswith("you did not say")]


def test_long_journey_without_where_it_hurts_is_seen_today_and_says_what_was_not_said(run, answers_file):
    got = urgency(run, answers_file, LONG_JOURNEY)
    assert got["level"] == "consultation_24"
    first = got["reasons"][0]
    assert first.startswith("you did not say where it hurts most; if it is the calf")
    assert "a journey of more than 3 hours" in first and "blood clot" in first


def test_saying_where_it_hurts_replaces_the_reading_with_the_answer(run, answers_file):
    behind_knee = urgency(run, answers_file, {**LONG_JOURNEY, "pain_site": "centre"})
    assert not not_said(behind_knee["reasons"])
    calf = urgency(run, answers_file, {**LONG_JOURNEY, "pain_site": "calf"})
    assert calf["level"] == "consultation_24" and not not_said(calf["reasons"])


def test_a_clot_read_into_what_was_not_said_withholds_ice_and_compression(kb):
    result = engine.triage(kb, LONG_JOURNEY)
    assert any("where it hurts most" in r and "blood clot" in r for r in result.soft_tissue_withheld)
    assert not result.soft_tissue_plan


def test_a_sudden_knee_pain_at_sport_without_what_happened_is_read_as_an_injury(run, answers_file):
    got = urgency(run, answers_file, {**FOOTBALL_KNEE, "knee_deformed": False})
    assert got["level"] == "consultation_24"
    assert got["reasons"][0].startswith("you did not say what happened; if it is")


def test_an_injury_read_in_with_the_knees_shape_and_walking_unknown_is_sent_now(run, answers_file):
    """The same footballer's file says nothing of the knee's shape or of walking on it either: read as a fresh
    injury, a fracture or a dislocation that went back cannot be ruled out (NHS Lothian acute knee trauma), so he
    is sent to the emergency department, and the reason says what was not said."""
    got = urgency(run, answers_file, FOOTBALL_KNEE)
    assert got["level"] == "emergency"
    assert got["reasons"][0].startswith("you did not say what happened; if it is")
    assert "four steps" in got["reasons"][0] and "shape" in got["reasons"][0]
    told_shape = urgency(run, answers_file, {**FOOTBALL_KNEE, "knee_deformed": False})
    assert rank(told_shape["level"]) > rank("emergency")


def test_a_gradual_start_is_not_read_as_an_injury(run, answers_file):
    """An injury starts at a moment you can point to: a pain that came on gradually gets no injury reading."""
    got = urgency(run, answers_file, {**FOOTBALL_KNEE, "onset": "gradual"})
    assert rank(got["level"]) > rank("consultation_24")
    assert not not_said(got["reasons"])


def test_a_sudden_night_cramp_is_not_read_as_an_injury(kb):
    """A sudden start alone is no clue to an injury: an older person's sudden calf cramps at night, everything
    else answered no and what happened not said, are not sent to the same day for an X-ray."""
    cramps = {"age": 70, "onset": "sudden", "pain_site": "calf", "cramp_episodes": True, "cramp_at_night": True}
    result = engine.triage(kb, all_answered(cramps))
    assert rank(result.urgency.level) > rank("consultation_24")
    assert not not_said(list(result.urgency.reasons))


@pytest.mark.parametrize("site", ["calf", "thigh"])
def test_a_sudden_calf_or_thigh_pain_at_sport_is_not_read_as_a_knee_injury(kb, site):
    """A sport is where a calf or hamstring pain started, not what happened: a footballer's sudden calf or
    hamstring pain, with what happened and whether he can walk not said and no pop or giving way, is not sent to
    the same day for a knee X-ray."""
    footballer = {"age": 29, "sex": "male", "onset": "sudden", "duration": "hours", "sport": "pivoting"}
    answers = {k: v for k, v in all_answered(footballer | {"pain_site": site}).items() if k != "cannot_bear_weight"}
    result = engine.triage(kb, answers)
    assert rank(result.urgency.level) > rank("consultation_24")
    assert not not_said(list(result.urgency.reasons))


def test_a_sudden_pain_at_sport_whose_place_was_not_said_may_be_a_knee_injury(kb):
    """A footballer hurt in a match an hour ago, where and what happened not said, and whether he can take four
    steps not known: it may be a knee hurt in a tackle, so the Ottawa rule is read in (get checked today)."""
    footballer = {"age": 29, "sex": "male", "onset": "sudden", "duration": "hours", "sport": "pivoting"}
    answers = {k: v for k, v in all_answered(footballer).items() if k != "cannot_bear_weight"}
    result = engine.triage(kb, answers)
    assert rank(result.urgency.level) <= rank("consultation_24")
    assert any(r.startswith("you did not say what happened") for r in result.urgency.reasons)


def test_calf_signs_not_checked_count_when_the_pain_is_in_the_calf(run, answers_file):
    got = urgency(run, answers_file, {**CALF_WORSE, **dict.fromkeys(CALF_SIGNS)})
    assert got["level"] == "consultation_24"
    assert got["reasons"][0].startswith("you did not say whether you have a swollen calf")


def test_calf_signs_not_checked_are_listed_but_not_assumed_elsewhere(run, answers_file):
    """Pain behind the knee with the calf signs not checked: they are listed as not checked, not read as
    present, so the result is not sent to the same day by them."""
    got = urgency(run, answers_file, {**CALF_WORSE, "pain_site": "centre", **dict.fromkeys(CALF_SIGNS)})
    assert rank(got["level"]) > rank("consultation_24")
    assert not not_said(got["reasons"])


def test_a_person_who_answers_everything_is_not_affected(kb):
    """Own cases with every history question answered (the case's answer, else the first choice) and every
    yes/no question answered: nothing is left to read, so the result is the same with or without the worst case."""
    history = [kb.finding[f] for f in engine.WORST_CASE_HISTORY]
    for case in read_cases("own_cases.jsonl"):
        answers = all_answered({f.id: f.choice_values[0] for f in history} | case["answers"])
        answers = {k: v for k, v in answers.items() if v is not None}
        with_worst, without = engine.triage(kb, answers), engine.triage(kb, answers, worst=False)
        assert with_worst.urgency == without.urgency, case["id"]


@pytest.mark.parametrize(
    ("answers", "unsure"),
    [(LONG_JOURNEY, ()), (FOOTBALL_KNEE, ()), (CALF_WORSE, CALF_SIGNS)],
    ids=["long-journey", "football-knee", "calf-worse"],
)
def test_the_interview_reads_not_sure_the_same_way(kb, answers, unsure):
    """The interview asks the history; a person who answers "not sure" where the file said nothing gets the
    same day too, without the interview stopping early for an emergency it only read into the gaps."""
    given, _, result = interview.simulate(kb, answers, unsure)
    assert result.urgency.level == "consultation_24"
    assert not_said(list(result.urgency.reasons))
    assert not interview.stopped_for_emergency(kb, given, result)


def test_evaluate_counts_the_long_journey_case_as_seen_today_by_both_paths(run, tmp_path):
    case = {"id": "long-journey", "answers": LONG_JOURNEY, "top": [], "top3": [], "urgency": ["consultation_24"]}
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(case) + "\n", encoding="utf-8")
    for extra in ((), ("--interview",)):
        result = run("evaluate", str(path), "--format", "json", *extra)
        assert result.exit_code == 0, result.output
        totals = json.loads(result.stdout)
        assert totals["urgency_ok"] == 1 and totals["under_triage"] == 0, extra


SUDDEN_LEG_PAIN = {"age": 40, "sex": "female", "injury": "none", "onset": "sudden", "duration": "hours"}


def printed(run, answers_file, answers: dict) -> str:
    """What `ask --answers --all` prints, as one line of words (the panel's borders and line breaks removed)."""
    result = run("ask", "--answers", answers_file(answers), "--all")
    assert result.exit_code == 0, result.output
    return re.sub(r"[\s┃│║]+", " ", result.stdout)


def test_a_reason_never_calls_an_answer_given_not_known(run, answers_file):
    """Sudden leg pain with no injury in the last hours, said to be severe at rest: sent to the emergency
    department, and no reason says how bad it is at rest is not known."""
    text = printed(run, answers_file, {**SUDDEN_LEG_PAIN, "severe_pain_at_rest": True})
    assert "Go to A&E now" in text
    assert "came on suddenly in the last few hours and is severe even at rest" in text
    assert "not known" not in text and "how bad it is at rest" not in text


def test_not_sure_how_bad_it_is_at_rest_is_listed_and_the_reason_says_what_to_do_if_it_is(run, answers_file):
    text = printed(run, answers_file, {**SUDDEN_LEG_PAIN, "severe_pain_at_rest": None})
    assert "Get medical help today" in text
    assert "go straight away if it came on suddenly and is severe even at rest" in text
    assert "is severe even at rest can be" not in text  # the reason for pain said to be severe is not given


def test_a_missing_age_is_not_read_as_55_or_over_while_an_injury_is_read_in(kb):
    """Two unknowns are not read the worst way together: a woman whose leg popped at sport two days ago, her age and
    what happened not said, who can walk, is not sent for a same-day X-ray as if she were 55 or over and had
    twisted her knee; with her age given as 60, the injury read in does send her (Ottawa knee rule: 55 or over)."""
    popped = {"sex": "female", "onset": "sudden", "duration": "days", "sport": "running", "pop_at_onset": True}
    answers = {k: v for k, v in all_answered(popped).items() if k != "age"}
    result = engine.triage(kb, answers)
    assert not any("55 or over" in r for r in result.urgency.reasons), result.urgency.reasons
    older = engine.triage(kb, {**answers, "age": 60})
    assert rank(older.urgency.level) <= rank("consultation_24")
    assert any(r.startswith("you did not say what happened") and "55 or over" in r for r in older.urgency.reasons)
