"""Clinical cases run end to end through `kneetriage ask --answers` (the public ones and our own).

Each case gives the accepted first causes, causes required in the first three,
the accepted urgency levels and the red flags that must be listed as not checked.
"""

from __future__ import annotations

import json

import pytest
from conftest import read_cases

from kneetriage.knowledge import rank

PUBLIC = read_cases("public_cases.jsonl")
OWN = read_cases("own_cases.jsonl")
CASES = PUBLIC + OWN
CONTRACT_CAUSES = {
    "hamstring_injury", "bakers_cyst", "bakers_cyst_rupture", "meniscus_tear", "pcl_injury", "osteoarthritis",
    "inflammatory_arthritis", "leg_cramp", "gastrocnemius_injury", "pes_anserine_bursitis", "dvt", "septic_arthritis",
}  # fmt: skip


# Cases whose first cause is a close call we accept: the expected cause must still be in the first three.
CLOSE_CALLS: set[str] = set()


# Public cases whose accepted urgency is less urgent than a line of the guidance that the safety specification
# (data/safety_spec.json) enforces. The tool follows the guidance: the result must be exactly one level more
# urgent than the case accepts, for the reason that line names, and never less urgent.
GUIDANCE_OVER_CASE: dict[str, str] = {
    # None now: p-pcl (a dashboard blow days ago, swelling within hours, the knee not very swollen, walking) was
    # one here until the rapid-swelling rule followed the ELHT leaflet's words ("large amounts of swelling ...
    # within 1-2 hours"): days after the injury it needs the knee to be very swollen (or that not known).
}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case, run, answers_file):
    result = run("ask", "--answers", answers_file(case["answers"]), "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    ranked = [c["id"] for c in out["causes"]]
    if case["top"] and case["id"] not in CLOSE_CALLS:
        assert ranked[0] in case["top"], f"first cause {ranked[0]}, expected one of {case['top']}"
        assert any(c in ranked[:3] for c in case["top"])
    for needed in case["top3"]:
        assert needed in ranked[:3], f"{needed} should be in the first three, got {ranked[:3]}"
    level = out["urgency"]["level"]
    if case["id"] in GUIDANCE_OVER_CASE:
        assert rank(level) == rank(max(case["urgency"], key=rank)) - 1
        assert GUIDANCE_OVER_CASE[case["id"]] in out["urgency"]["reasons"][0]
    else:
        assert level in case["urgency"], f"urgency {level}, accepted {case['urgency']}"
    least_urgent_accepted = max(case["urgency"], key=rank)
    assert rank(level) <= rank(least_urgent_accepted), "under-triage"
    for flag in case["unanswered"]:
        assert flag in out["unanswered_red_flags"]


def test_close_calls_are_still_close_calls(kb):
    """If a close call starts passing, or a new one appears, this list needs a look."""
    from kneetriage import engine

    for case in CASES:
        if case["top"]:
            first = engine.triage(kb, case["answers"]).causes[0].id
            assert (first not in case["top"]) == (case["id"] in CLOSE_CALLS), case["id"]


def test_every_contract_cause_has_cases_that_put_it_first():
    firsts = {c["top"][0] for c in CASES if c["top"]}
    assert firsts >= CONTRACT_CAUSES


def test_every_cause_in_result_with_reasons_and_sources(run, answers_file):
    result = run("ask", "--answers", answers_file(PUBLIC[0]["answers"]), "--format", "json")
    out = json.loads(result.stdout)
    assert {c["id"] for c in out["causes"]} >= CONTRACT_CAUSES | {"tumour", "compartment_syndrome", "referred_pain"}
    for cause in out["causes"]:
        assert cause["why"], cause["id"]
        assert cause["sources"] and all(s["url"].startswith("http") for s in cause["sources"])
        assert isinstance(cause["score"], float)
    scores = [c["score"] for c in out["causes"]]
    assert scores == sorted(scores, reverse=True), "with no warning sign, causes are ranked most likely first"


def test_a_cause_a_warning_sign_points_to_is_among_the_first_three(run, answers_file):
    """A clear calf strain after a long flight: the clot is shown third, with the warning sign as its reason."""
    strain = {"age": 50, "injury": "push_off", "onset": "sudden", "pop_at_onset": True, "tiptoe_pain": True}
    out = json.loads(
        run("ask", "-a", answers_file(strain | {"calf_tender": True, "long_travel": True}), "-f", "json").stdout
    )
    ranked = [c["id"] for c in out["causes"]]
    assert ranked[0] == "gastrocnemius_injury"
    assert "dvt" in ranked[:3]
    dvt = next(c for c in out["causes"] if c["id"] == "dvt")
    assert dvt["why"][0].startswith("warning sign:")
    calm = json.loads(run("ask", "-a", answers_file(strain), "-f", "json").stdout)
    assert "dvt" not in [c["id"] for c in calm["causes"]][:3], "without the warning sign the clot is not promoted"


# Interface 1.1: where it hurts and the new findings tell causes apart. Minimal presentations, every
# warning sign answered unless the presentation gives one; the cause a clinician would name first is first,
# or (where two stay close) among the first three.
ALL_NO = {f: False for f in (
    "breathless_or_chest_pain", "leg_cold_pale_or_blue", "leg_numb_or_tingling", "knee_deformed", "cannot_bear_weight",
    "severe_pain_at_rest", "knee_locked", "fever", "knee_hot_red", "knee_very_swollen", "calf_swollen", "calf_tender",
    "calf_warm_red", "veins_swollen", "whole_leg_swollen", "foot_weak", "fainted", "cannot_bend_90", "night_pain",
    "weight_loss",
)}  # fmt: skip
PRESENTATIONS = [
    ("a lump behind the knee that beats with the pulse, 72-year-old man",
     {"age": 72, "sex": "male", "onset": "gradual", "injury": "none", "pain_site": "centre", "lump_behind_knee": True,
      "lump_pulsates": True}, "popliteal_artery_disease", 1),
    ("calf pain after the same walk every time, 62-year-old smoker",
     {"age": 62, "sex": "male", "smoker": True, "onset": "gradual", "injury": "none", "pain_site": "calf",
      "calf_pain_on_exercise": True, "pain_with_activity": True, "duration": "months"}, "popliteal_artery_disease", 1),
    ("a hot knee weeks after keyhole surgery",
     {"age": 66, "recent_knee_procedure": True, "knee_hot_red": True, "injury": "none", "duration": "days"},
     "septic_arthritis", 1),
    ("a hard, sore vein on the calf",
     {"age": 50, "sex": "female", "veins_swollen": True, "injury": "none", "pain_site": "calf"},
     "superficial_thrombophlebitis", 1),
    ("hot red calf skin with a temperature, diabetic",
     {"age": 60, "weak_immune_system": True, "calf_warm_red": True, "fever": True, "injury": "none",
      "pain_site": "calf", "duration": "days"}, "cellulitis", 1),
    ("a tender spot low on the inner side of the knee",
     {"age": 55, "sex": "female", "overweight": True, "inner_knee_below_joint": True, "pain_site": "inner",
      "pain_rising_or_upstairs": True, "onset": "gradual", "injury": "none"}, "pes_anserine_bursitis", 1),
    ("a tense calf with pain out of proportion after a knock, on a blood thinner",
     {"age": 70, "blood_thinners": True, "injury": "blow_to_front", "calf_swollen": True, "severe_pain_at_rest": True,
      "pain_site": "calf", "duration": "hours"}, "compartment_syndrome", 1),
    ("pain down the back of the thigh with tingling and no injury",
     {"age": 45, "injury": "none", "leg_numb_or_tingling": True, "pain_site": "thigh", "thigh_back_pain": True,
      "onset": "gradual"}, "referred_pain", 3),
    ("a 10-year-old with weeks of knee pain and no injury",
     {"age": 10, "duration": "weeks", "onset": "gradual", "injury": "none"}, "referred_pain", 3),
    ("a 16-year-old woken at night by weeks of knee pain, losing weight",
     {"age": 16, "duration": "weeks", "onset": "gradual", "injury": "none", "night_pain": True, "weight_loss": True},
     "tumour", 1),
    ("calf pain a week after a knee operation, no injury",
     {"age": 55, "recent_surgery_or_bedrest": True, "recent_knee_procedure": True, "pain_site": "calf",
      "injury": "none", "duration": "days"}, "dvt", 1),
    ("calf pain for some hours since a long flight, 73-year-old, no cramp bouts",
     {"age": 73, "sex": "female", "long_travel": True, "pain_site": "calf", "duration": "hours", "onset": "sudden",
      "injury": "none"}, "dvt", 1),
    ("a 70-year-old with gout whose knee swelled up over a day, no injury",
     {"age": 70, "sex": "male", "known_arthritis": "gout", "knee_very_swollen": True, "injury": "none",
      "onset": "sudden", "duration": "days"}, "inflammatory_arthritis", 1),
]  # fmt: skip


@pytest.mark.parametrize(("story", "answers", "cause", "within"), PRESENTATIONS, ids=[p[0] for p in PRESENTATIONS])
def test_new_findings_tell_causes_apart(kb, story, answers, cause, within):
    from kneetriage import engine

    ranked = [c.id for c in engine.triage(kb, ALL_NO | answers).causes]
    assert cause in ranked[:within], f"{story}: {ranked[:3]}"


def test_where_it_hurts_moves_the_ranking(kb):
    """The same vague knee pain: inner side points to the cartilage, the back of the thigh to the hamstring."""
    from kneetriage import engine

    base = ALL_NO | {"age": 35, "onset": "sudden", "sport": "pivoting"}
    first = {site: engine.triage(kb, base | {"pain_site": site}).causes[0].id for site in ("inner", "thigh", "calf")}
    assert first["inner"] == "meniscus_tear"
    assert first["thigh"] == "hamstring_injury"
    assert first["calf"] in {"gastrocnemius_injury", "leg_cramp", "dvt", "bakers_cyst_rupture"}
