"""The shipped safety specification (data/safety_spec.json) holds through the real CLI, and `check` enforces it.

Each line is a minimal presentation with the least urgency guidance requires (and, for calm ones, the most),
the causes that must be shown, whether the home soft-tissue plan must be withheld or given, and its guidance.
"""

from __future__ import annotations

import copy
import json

import msgspec
import pytest
from conftest import read_cases

from kneetriage import engine, interview, knowledge, spec
from kneetriage.knowledge import rank

SPEC = spec.load()
LINES = {line.id: line for line in SPEC.presentations}


def raw_kb() -> dict:
    return json.loads(knowledge.default_path().read_text(encoding="utf-8"))


def ask_json(run, answers_file, answers: dict) -> dict:
    result = run("ask", "--answers", answers_file(answers), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("line_id", list(LINES))
def test_every_line_holds_through_ask(line_id, run, answers_file, kb):
    line = LINES[line_id]
    out = ask_json(run, answers_file, spec.answers_for(kb, line))
    level = out["urgency"]["level"]
    assert rank(level) <= rank(line.at_least), f"{line_id}: {level}, guidance needs at least {line.at_least}"
    if line.at_most:
        assert rank(level) >= rank(line.at_most), f"{line_id}: {level}, guidance allows at most {line.at_most}"
    first3 = [c["id"] for c in out["causes"][:3]]
    for cause in line.shows:
        assert cause in first3, f"{line_id}: {cause} not among the first three {first3}"
    care = out["self_care"]
    if line.soft_tissue == "withheld":
        assert care["given"] is False and care["withheld_because"] and "police" not in care
    if line.soft_tissue == "given":
        assert care["given"] is True and [s["word"] for s in care["police"]][:1] == ["Protect"]
    if line.child is not None:
        assert out["child"]["applies"] is line.child
        if line.child:
            assert "16" in out["child"]["reason"]
    listed = {item["id"] for item in out["not_checked"]}
    assert set(line.not_checked) <= listed
    if listed:
        assert level != "self_care", "a missing answer that could raise the urgency never reads as home care"


def test_the_specification_covers_the_guidance():
    """Every group of the guidance has lines, each line cites its source, and the calm ones have a ceiling."""
    prefixes = {line_id.split("-")[0] for line_id in LINES}
    assert {"clot", "injury", "blood", "infection", "child", "night", "artery", "missing", "calm"} <= prefixes
    for line in SPEC.presentations:
        assert line.guidance.url.startswith("https://") and line.guidance.line
    calm = [line for line in SPEC.presentations if line.id.startswith("calm-")]
    five = (
        "stiff-arthritic-knee",
        "mild-hamstring-pull",
        "night-cramps",
        "bakers-cyst-comes-and-goes",
        "pes-anserine-bursitis",
    )
    assert {f"calm-{name}" for name in five} <= {line.id for line in calm}, (
        "the five calm presentations keep their lines"
    )
    assert all(line.at_most in ("self_care", "consultation") for line in calm)


def test_check_runs_the_specification(run):
    result = run("check")
    assert result.exit_code == 0
    assert f"{len(LINES)} safety lines hold" in result.stdout


def refused(run, tmp_path, data: dict):
    edited = tmp_path / "weakened.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", str(edited))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def rule(data: dict, rule_id: str) -> dict:
    return next(r for r in data["red_flag_rules"] if r["id"] == rule_id)


def cause(data: dict, cause_id: str) -> dict:
    return next(c for c in data["causes"] if c["id"] == cause_id)


def test_check_refuses_breathlessness_lowered_to_home_care(run, tmp_path):
    data = raw_kb()
    rule(data, "possible_lung_clot")["level"] = "self_care"
    message = refused(run, tmp_path, data)
    assert "fails safety line 'clot-breathless'" in message
    assert "must be at least emergency_ambulance" in message and "NHS" in message


@pytest.mark.parametrize("level", ["consultation", "self_care"])
def test_check_refuses_a_lowered_clot_floor(run, tmp_path, level):
    data = raw_kb()
    cause(data, "dvt")["urgency_floor"] = level
    message = refused(run, tmp_path, data)
    assert "clot-top-ranked-never-home-care" in message and "must be at least consultation_24" in message


def test_check_refuses_a_removed_clot_floor(run, tmp_path):
    data = raw_kb()
    del cause(data, "dvt")["urgency_floor"]
    assert "urgency_floor" in refused(run, tmp_path, data)


def test_check_refuses_a_removed_clot_hazard(run, tmp_path):
    data = raw_kb()
    del cause(data, "dvt")["hazard"]
    assert "'clot-top-ranked-never-home-care'" in refused(run, tmp_path, data)


def test_check_refuses_making_a_calm_presentation_urgent(run, tmp_path):
    """Safety is not bought by making everything urgent: a calm line has a ceiling too."""
    data = raw_kb()
    rule(data, "long_duration")["level"] = "consultation_24"
    message = refused(run, tmp_path, data)
    assert "'calm-stiff-arthritic-knee'" in message and "must be at most consultation" in message


def test_check_refuses_a_rule_that_no_longer_points_to_its_cause(run, tmp_path):
    data = raw_kb()
    rule(data, "child")["points_to"] = ["referred_pain"]
    rule(data, "child_pain_without_injury")["points_to"] = ["referred_pain"]
    assert "must include tumour" in refused(run, tmp_path, data)


# Every line checks the knowledge base: with every rule and cause floor lowered to home care (and hazards and
# pointers dropped), that very line fails, and `check` refuses the file. (A line whose floor is home care is a
# ceiling only, which no weakening can fail, whatever its name; an unchecked red flag keeps the result off home care
# in the engine itself, whatever the file says.)
KB_LINES = [i for i, line in LINES.items() if line.at_least != "self_care" and i != "missing-breathlessness"]


@pytest.mark.parametrize("line_id", KB_LINES)
def test_check_refuses_a_knowledge_base_under_which_a_line_fails(line_id, run, tmp_path):
    data = raw_kb()
    for r in data["red_flag_rules"]:
        r["level"] = "self_care"
        r.pop("hazard", None)
        r["points_to"] = []
    for c in data["causes"]:
        c["urgency_floor"] = "self_care"
        c.pop("hazard", None)
        c.pop("milder_floor", None)
    weakened = knowledge.parse(json.dumps(data).encode(), "weakened.json")
    assert spec.failure(weakened, LINES[line_id]) is not None
    assert "fails safety line '" in refused(run, tmp_path, data)


def test_a_missing_answer_never_lowers_the_urgency_in_silence(kb):
    """Remove any one answer other than a red flag from any public or own case or any specification line:
    where the urgency drops (a rule that no longer fires, or a hazardous cause no longer possible), the removed
    answer is listed as not checked and the result is not home care."""
    red = set(kb.red_flags)
    cases = [(c["id"], c["answers"]) for c in read_cases("public_cases.jsonl") + read_cases("own_cases.jsonl")]
    cases += [(line.id, spec.answers_for(kb, line)) for line in SPEC.presentations]
    for case_id, answers in cases:
        before = engine.triage(kb, answers).urgency.level
        for key in answers:
            if key in red:
                continue
            fewer = {k: v for k, v in answers.items() if k != key}
            after = engine.triage(kb, fewer)
            if rank(after.urgency.level) > rank(before):
                assert key in after.not_checked, f"{case_id} without {key}: {before} -> {after.urgency.level}"
                assert after.urgency.level != "self_care"


def test_not_checked_lists_the_question_and_keeps_the_contract_key(run, answers_file, kb):
    answers = spec.answers_for(kb, LINES["missing-long-cramp"]) | {"fainted": None}
    out = ask_json(run, answers_file, answers)
    assert out["unanswered_red_flags"] == ["fainted"]
    ids = [item["id"] for item in out["not_checked"]]
    assert ids[0] == "fainted" and "cramp_long" in ids
    cramp = next(item for item in out["not_checked"] if item["id"] == "cramp_long")
    assert cramp["question"] == kb.finding["cramp_long"].question


@pytest.mark.parametrize("hazard", knowledge.HAZARDS)
def test_every_hazard_is_set_by_guidance_and_named_in_plain_words_where_home_care_is_withheld(hazard, kb):
    """Each kind of hazard the knowledge base can mark (clot, infection, ..., nerve) is reached by at least one
    line of the shipped specification, and there the reason home care is left out names it in words a person
    reads ("a warning sign of a possible blood clot is present"), not its id; a hazard added to the code
    without its words would stop the page with a traceback."""
    lines = [
        line for line in SPEC.presentations if hazard in engine.triage(kb, spec.answers_for(kb, line)).urgency.hazards
    ]
    assert lines, f"no line of the specification sets the {hazard} hazard"
    result = engine.triage(kb, spec.answers_for(kb, lines[0]))
    words = engine.HAZARD_WORDS[hazard]
    assert f"a warning sign of a possible {words} is present" in result.soft_tissue_withheld
    assert "_" not in words and words != hazard and not result.soft_tissue_plan


def test_an_unchecked_sign_withholds_home_care_only_where_it_could_point_to_a_hazard(kb):
    """The decision on answer files written before 1.1: a missing 'fainted' could mean a clot, so the ice and
    compression plan waits for it; a missing 'weight_loss' cannot point to a hazard here, so it does not."""
    mild = spec.answers_for(kb, LINES["calm-mild-hamstring-pull"])
    assert engine.triage(kb, mild).soft_tissue_plan
    without_fainted = engine.triage(kb, {k: v for k, v in mild.items() if k != "fainted"})
    assert not without_fainted.soft_tissue_plan
    assert any("fainting" in r and "blood clot" in r for r in without_fainted.soft_tissue_withheld)
    without_weight_loss = engine.triage(kb, {k: v for k, v in mild.items() if k != "weight_loss"})
    assert without_weight_loss.soft_tissue_plan
    assert without_weight_loss.urgency.level == "consultation", "but it is still not home care"


def test_a_copy_of_the_shipped_knowledge_base_passes(run, tmp_path):
    data = copy.deepcopy(raw_kb())
    edited = tmp_path / "copy.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    assert run("check", str(edited)).exit_code == 0


def test_missing_clot_risk_factors_keep_a_strain_off_home_care_but_keep_its_plan(kb):
    """No rule needs them here (there was an injury), but together they could make a clot possible: they are
    listed, the result is not home care, and the plan for the strain stays (no warning sign is missing)."""
    answers = spec.answers_for(kb, LINES["calm-mild-hamstring-pull"])
    assert engine.triage(kb, answers).urgency.level == "self_care"
    risks = ("active_cancer", "previous_clot", "recent_surgery_or_bedrest", "leg_in_cast")
    result = engine.triage(kb, answers | dict.fromkeys(risks))
    assert result.urgency.level == "consultation"
    listed = set(result.not_checked)
    assert listed and listed <= set(risks), "the risk factors that could together make a clot possible, no others"
    assert result.soft_tissue_plan


def test_schema_file_matches_the_structs():
    shipped = spec.default_path().with_name("safety_spec.schema.json")
    assert json.loads(shipped.read_text()) == json.loads(json.dumps(spec.json_schema(), sort_keys=True))


def test_exercise_calf_pain_keeps_the_milder_compartment_floor_until_a_sign_of_the_acute_kind(kb):
    """Calf pain on running that settles with rest is a GP matter even where compartment syndrome is possible;
    severe pain at rest or a weak foot brings the emergency back."""
    answers = spec.answers_for(kb, LINES["exertional-calf-pain-not-emergency"])
    calm = engine.triage(kb, answers)
    compartment = next(rc for rc in calm.causes if rc.id == "compartment_syndrome")
    assert compartment.probability >= engine.POSSIBLE, "the line must make compartment syndrome possible"
    assert calm.urgency.level == "consultation_24"
    for sign in ("severe_pain_at_rest", "foot_weak"):
        assert engine.triage(kb, answers | {sign: True}).urgency.level == "emergency", sign


@pytest.mark.parametrize("line_id", list(LINES))
def test_every_line_holds_through_the_interview(line_id, kb):
    """A person with a line's presentation who answers the interview truthfully (yes to what the line gives,
    "not sure" where it says null, no to every other warning sign, risk factor and symptom) reaches the level
    the guidance requires, and no more than a calm line allows: rules fire on what the person said, so an
    honest "no" to everything else never ends in home care where guidance asks for more."""
    line = LINES[line_id]
    given = {k: v for k, v in line.answers.items() if v is not None}
    unsure = [k for k, v in line.answers.items() if v is None]
    _, _, result = interview.simulate(kb, given, unsure)
    level = result.urgency.level
    assert rank(level) <= rank(line.at_least), f"{line_id}: {level}, guidance needs at least {line.at_least}"
    if line.at_most:
        assert rank(level) >= rank(line.at_most), f"{line_id}: {level}, guidance allows at most {line.at_most}"
    if line.soft_tissue == "withheld":
        assert result.soft_tissue_withheld and not result.soft_tissue_plan
    assert set(line.not_checked) <= set(result.not_checked)


def test_the_overuse_bone_form_has_a_milder_floor_and_any_injury_keeps_the_emergency(kb):
    """A bone pain with no injury, walked on and the knee in shape (a stress fracture), is for a GP; one that
    stops the person walking, the same day. Any injury, or the injury not known, keeps the emergency floor of an
    acute fracture, and so do a misshapen knee and weight bearing not known."""
    fracture = next(c for c in kb.causes if c.id == "fracture_or_dislocation")
    calm = {"injury": "none", "knee_deformed": False, "cannot_bear_weight": False, "duration": "weeks"}
    assert fracture.floor_for(calm) == "consultation"
    assert fracture.floor_for(calm | {"cannot_bear_weight": True}) == "consultation_24"
    injuries = [c.value for c in kb.finding["injury"].choices if c.value != "none"]
    for injury in [*injuries, None]:
        assert fracture.floor_for(calm | {"injury": injury}) == "emergency", injury
    for worse in ({"knee_deformed": True}, {"knee_deformed": None}, {"cannot_bear_weight": None}):
        assert fracture.floor_for(calm | worse) == "emergency", worse
    # the old-injury form is kept: more than 6 weeks, walked on, in shape
    assert fracture.floor_for(calm | {"injury": "fall", "duration": "months"}) == "consultation"
    assert fracture.floor_for(calm | {"injury": "fall", "duration": "months", "knee_deformed": True}) == "emergency"


def test_a_cause_with_several_milder_forms_sets_the_most_urgent_that_fits(kb):
    fracture = next(c for c in kb.causes if c.id == "fracture_or_dislocation")
    assert {"consultation", "consultation_24"} <= {m.level for m in fracture.milder_forms}
    calm = {"injury": "none", "knee_deformed": False, "cannot_bear_weight": False}
    no_injury = knowledge.Condition(finding="injury", is_="none")
    same_day = msgspec.structs.replace(fracture.milder_forms[-1], when=no_injury)
    both = msgspec.structs.replace(fracture, milder_floor=(*fracture.milder_forms, same_day))
    assert fracture.floor_for(calm) == "consultation"
    assert both.floor_for(calm) == "consultation_24"
