"""The red-flag table as a safety specification, written here independently of the data file.

If an edit to data/knowledge.json weakens any of these rules, a test here fails.
Each row: answers added to a case whose every red flag was answered "no" ->
the least urgent level the tool may give.
"""

from __future__ import annotations

import itertools

import pytest
from conftest import all_answered

from kneetriage import engine
from kneetriage.knowledge import LEVELS, rank

RED_FLAGS = [
    "breathless_or_chest_pain", "leg_cold_pale_or_blue", "leg_numb_or_tingling", "knee_deformed",
    "cannot_bear_weight", "severe_pain_at_rest", "knee_locked", "fever", "knee_hot_red", "knee_very_swollen",
    "calf_swollen", "calf_tender", "calf_warm_red", "veins_swollen", "whole_leg_swollen", "night_pain", "weight_loss",
    "foot_weak", "fainted", "cannot_bend_90",  # interface 1.1
]  # fmt: skip
CALF_SIGNS = ["calf_swollen", "calf_tender", "calf_warm_red", "veins_swollen", "whole_leg_swollen"]
CLOT_RISKS = [
    "recent_surgery_or_bedrest", "long_travel", "previous_clot", "active_cancer", "leg_in_cast",
    "pregnant_or_recent_birth", "hormone_medication",
]  # fmt: skip
INJURIES = ["twist", "blow_to_front", "overstretch", "push_off", "fall", "other"]

SPEC: list[tuple[str, dict, str]] = [
    ("breathless or chest pain", {"breathless_or_chest_pain": True}, "emergency_ambulance"),
    ("cold, pale or blue leg", {"leg_cold_pale_or_blue": True}, "emergency_ambulance"),
    ("misshapen knee", {"knee_deformed": True}, "emergency"),
    ("fever with a hot or red knee", {"fever": True, "knee_hot_red": True}, "emergency"),
    (
        "hot swollen artificial knee",
        {"joint_replacement": True, "knee_hot_red": True, "knee_very_swollen": True},
        "emergency",
    ),
    ("cannot bear weight, injury not known", {"cannot_bear_weight": True}, "emergency"),
    ("cannot bear weight without injury", {"cannot_bear_weight": True, "injury": "none"}, "consultation_24"),
    ("swollen tender calf", {"calf_swollen": True, "calf_tender": True}, "consultation_24"),
    ("swollen warm or red calf", {"calf_swollen": True, "calf_warm_red": True}, "consultation_24"),
    ("knee locked", {"knee_locked": True}, "consultation_24"),
    ("severe pain at rest", {"severe_pain_at_rest": True}, "consultation_24"),
    ("numbness or tingling", {"leg_numb_or_tingling": True}, "consultation_24"),
    ("very swollen knee", {"knee_very_swollen": True}, "consultation_24"),
    ("night pain", {"night_pain": True}, "consultation"),
    ("weight loss", {"weight_loss": True}, "consultation"),
    ("cramp over 10 minutes", {"cramp_episodes": True, "cramp_long": True}, "consultation_24"),
    ("pain for more than 6 weeks", {"duration": "months"}, "consultation"),
    # Added with the hazard log (docs/safety.md), from the clinical brief's dispositions:
    ("hot, red and very swollen knee", {"knee_hot_red": True, "knee_very_swollen": True}, "emergency"),
    ("fever on its own", {"fever": True}, "consultation_24"),
    ("fever with a very swollen knee", {"fever": True, "knee_very_swollen": True}, "emergency"),
    ("hot or red knee on its own", {"knee_hot_red": True}, "consultation_24"),
    ("swollen calf with no injury", {"calf_swollen": True, "injury": "none"}, "consultation_24"),
    ("whole leg swollen", {"whole_leg_swollen": True}, "consultation_24"),
    # Interface 1.1 warning signs (brief section 5: injuries, clots):
    ("fainted or collapsed", {"fainted": True}, "emergency_ambulance"),
    ("weak foot with no injury", {"foot_weak": True, "injury": "none"}, "consultation_24"),
]
SPEC += [(f"weak foot after {inj}", {"foot_weak": True, "injury": inj}, "emergency") for inj in INJURIES]
SPEC += [
    (f"cannot bend to a right angle after {inj}", {"cannot_bend_90": True, "injury": inj}, "consultation_24")
    for inj in INJURIES
]
SPEC += [
    (f"cannot bear weight after {inj}", {"cannot_bear_weight": True, "injury": inj}, "emergency") for inj in INJURIES
]
SPEC += [
    (f"{sign} with {risk}", {sign: True, risk: True}, "consultation_24")
    for sign, risk in itertools.product(CALF_SIGNS, CLOT_RISKS)
]
SPEC += [(f"{flag} on its own", {flag: True}, "consultation") for flag in RED_FLAGS]
# High-impact trauma (Cornwall and Lothian acute knee trauma): the emergency department.
SPEC += [
    (f"high-impact {inj}", {"high_energy_injury": True, "injury": inj, "duration": "hours"}, "emergency")
    for inj in ("fall", "blow_to_front", "other")
]
# A clot can follow an injury (brief section 5: lowering a clot for an injury has no source): new calf pain with a
# clot risk factor needs the same day whatever began it.
SPEC += [
    (f"calf pain with {risk} after {inj}", {"pain_site": "calf", risk: True, "injury": inj}, "consultation_24")
    for risk, inj in itertools.product(CLOT_RISKS, [*INJURIES, "none"])
]
# A tender calf that stops a person walking, with no injury (NHS: compartment syndrome, severe pain -> A&E).
SPEC += [
    (
        f"tender calf, cannot bear weight, no injury, {dur}",
        {"cannot_bear_weight": True, "calf_tender": True, "injury": "none", "duration": dur},
        "emergency",
    )
    for dur in ("hours", "days")
]
# Sudden leg pain in the last hours with no injury, where it hurts and how bad at rest not known (NHS: compartment
# syndrome): the same day.
SPEC += [
    (
        f"sudden pain without injury for hours, site {site}, rest pain not known",
        {"onset": "sudden", "injury": "none", "duration": "hours", "severe_pain_at_rest": None, "pain_site": site},
        "consultation_24",
    )
    for site in ("calf", None)
]
# A red, warm calf with a fever (NHS: cellulitis with a high temperature may be spreading -> A&E).
SPEC += [("red, warm calf with a fever", {"calf_warm_red": True, "fever": True}, "emergency")]
# A fever with calf, thigh or whole-leg pain that came on suddenly without an injury (UKHSA and NHS: necrotising
# fasciitis, intense pain and a fever before the skin shows much -> A&E).
SPEC += [
    (
        f"fever with sudden {site} pain and no injury",
        {"fever": True, "onset": "sudden", "injury": "none", "duration": "days", "pain_site": site},
        "emergency",
    )
    for site in ("calf", "thigh", "all_over")
]
# A knee locked in the first hours after an injury (Gloucestershire knee pathway): the emergency department.
SPEC += [
    (f"locked knee hours after {inj}", {"knee_locked": True, "injury": inj, "duration": "hours"}, "emergency")
    for inj in ("twist", "blow_to_front", "fall", "other")
]
# A child hurt in the last hours, weight bearing not known (Healthier Together, limping: sudden knee pain or a
# possible broken bone in a child -> A&E).
SPEC += [
    (
        f"child aged {age} hours after {inj}, weight bearing not known",
        {"age": age, "injury": inj, "duration": "hours", "cannot_bear_weight": None},
        "emergency",
    )
    for age, inj in itertools.product((6, 15), ("twist", "fall"))
]
# A child under 5 with days of leg pain and no injury (NHS Healthier Together, a child with a limp): a joint or bone
# infection has to be ruled out the same day.
SPEC += [
    (
        f"child aged {age} with {dur} of pain and no injury",
        {"age": age, "injury": "none", "duration": dur},
        "consultation_24",
    )
    for age, dur in itertools.product((1, 4), ("days", "weeks"))
]
# A fever with pain in the knee and other joints over days to weeks, no injury, the knee's heat and swelling not
# checked (Patient.info, hot swollen joints: a joint infection spread through the blood, such as gonococcal
# arthritis, can start in several joints and build up over weeks): the emergency department.
SPEC += [
    (
        f"fever with pain in several joints for {dur}, knee heat and swelling not checked",
        {"fever": True, "other_joints": True, "injury": "none", "duration": dur, "knee_hot_red": None,
         "knee_very_swollen": None},
        "emergency",
    )
    for dur in ("days", "weeks")
]  # fmt: skip
# Pain behind the knee that came on suddenly by itself in a knee with arthritis, the calf not checked for swelling or
# soreness (NHS DVT and NICE NG158: a possible clot the same day; a burst Baker's cyst looks the same): the same day.
SPEC += [
    (
        f"sudden pain behind the knee by itself for {dur}, calf not checked",
        {"onset": "sudden", "injury": "none", "duration": dur, "pain_site": "centre",
         "known_arthritis": "osteoarthritis", "calf_swollen": None, "calf_tender": None},
        "consultation_24",
    )
    for dur in ("hours", "days")
]  # fmt: skip
# At 65 or over, knee pain with no injury and walking on it not checked (septic arthritis in older people: often no
# fever, found late; Patient.info acute monoarthritis): the same day.
SPEC += [
    (
        f"aged {age}, knee pain for {dur} without injury, weight bearing not checked",
        {"age": age, "injury": "none", "duration": dur, "pain_site": "centre", "cannot_bear_weight": None},
        "consultation_24",
    )
    for age, dur in itertools.product((65, 80), ("days", "weeks"))
]
# A weak immune system with knee pain and no injury, heat not checked (Kaandorp 1995; Patient.info hot swollen
# joints: the usual signs of a joint infection can be missing): the same day.
SPEC += [
    (
        f"weak immune system, knee pain for {dur}, heat not checked",
        {"weak_immune_system": True, "injury": "none", "duration": dur, "pain_site": "inner", "knee_hot_red": None},
        "consultation_24",
    )
    for dur in ("days", "weeks")
]
# A heavy 16-year-old with knee pain and no injury (RCH Melbourne, SUFE: referred knee pain at 10 to 16): the same day.
SPEC += [
    (
        f"overweight 16-year-old, knee pain for {dur} without injury",
        {"age": 16, "overweight": True, "injury": "none", "duration": dur},
        "consultation_24",
    )
    for dur in ("days", "weeks")
]


def all_clear() -> dict:
    return {flag: False for flag in RED_FLAGS}


# A result is home care only once the answers that could make it more urgent are in too (a long cramp, a blood
# thinner, a clot risk factor, ...): the calm case below answers every other yes/no question "no".
CALM_REST = {"duration": "days", "swelling_timing": "none"}


def test_spec_covers_every_red_flag_in_the_knowledge_base(kb):
    assert set(kb.red_flags) == set(RED_FLAGS)


@pytest.mark.parametrize(("name", "added", "least"), SPEC, ids=[row[0] for row in SPEC])
def test_red_flag_sets_at_least_its_level(kb, name, added, least):
    answers = all_clear() | added
    result = engine.triage(kb, answers)
    assert rank(result.urgency.level) <= rank(least), (
        f"{name}: got {result.urgency.level}, the specification needs at least {least}"
    )
    assert result.urgency.reasons, "every urgency carries its reasons"


def test_all_clear_with_nothing_else_is_not_home_care_until_the_rest_is_answered(kb):
    result = engine.triage(kb, all_clear())
    assert result.unanswered_red_flags == ()
    assert result.urgency.level == "consultation", "age, injury, duration ... could still make it more urgent"
    assert {"age", "injury", "duration", "cramp_long"} <= set(result.not_checked)


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_a_red_flag_beats_a_reassuring_ranking(kb, flag):
    """A textbook mild hamstring strain, plus one red flag: the red flag decides the urgency."""
    mild = all_answered(all_clear() | CALM_REST | {
        "age": 25, "injury": "overstretch", "onset": "sudden", "thigh_back_pain": True, "sport": "running",
    })  # fmt: skip
    assert engine.triage(kb, mild).urgency.level == "self_care"
    worse = engine.triage(kb, mild | {flag: True})
    assert rank(worse.urgency.level) <= rank("consultation")


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_unasked_red_flag_is_listed_and_not_taken_as_no(kb, flag):
    answers = all_clear()
    del answers[flag]
    result = engine.triage(kb, answers)
    assert flag in result.unanswered_red_flags
    assert result.urgency.level != "self_care"
    assert any("not checked" in r for r in result.urgency.reasons)


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_not_sure_red_flag_is_listed(kb, flag):
    result = engine.triage(kb, all_clear() | {flag: None})
    assert flag in result.unanswered_red_flags


def test_levels_are_the_contract_levels():
    assert LEVELS == ("emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care")


@pytest.mark.parametrize("onset", ["sudden", "gradual"])
def test_a_very_swollen_feverish_knee_is_not_told_it_might_not_be_very_swollen(kb, onset):
    """The two fever rules that read a swelling not checked as very swollen give no reason once it is said."""
    said = {"age": 40, "fever": True, "knee_hot_red": True, "onset": onset, "injury": "none", "duration": "days"}
    swollen = engine.triage(kb, {**all_clear(), **said, "knee_very_swollen": True})
    assert swollen.urgency.level == "emergency"
    assert not [r for r in swollen.urgency.reasons if "known not to be very swollen" in r]
    not_checked = engine.triage(kb, {**all_clear(), **said, "knee_very_swollen": None})
    assert not_checked.urgency.level == "emergency"
    assert [r for r in not_checked.urgency.reasons if "known not to be very swollen" in r]
