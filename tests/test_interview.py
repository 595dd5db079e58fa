"""The interactive interview: the engine (what to ask, when to stop) and the real prompts driven through a pipe."""

from __future__ import annotations

import collections
import functools
import io
import json
import os
import re
import stat
import statistics
from pathlib import Path

import msgspec
import pytest
import strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kneetriage import answers as answers_mod
from kneetriage import cli, engine, interview, knowledge, prompts, result
from kneetriage.cli import app

KB = knowledge.load()
EMERGENCY = interview.EMERGENCY_LEVELS
DOWN, ENTER, SPACE, CTRL_C = "\x1b[B", "\r", " ", "\x03"
COPIED_CASES = Path(__file__).parent / "data" / "public_cases.jsonl"


def public_cases() -> list[dict]:
    """The public cases kept in the repository (a missing file fails the suite, it is not skipped)."""
    return [json.loads(line) for line in COPIED_CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


CASES = public_cases()


# -- driving the real prompts ----------------------------------------------------------------


@pytest.fixture
def keys(monkeypatch):
    """A prompt_toolkit pipe standing in for the keyboard, and a CLI that believes it is in a terminal."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    monkeypatch.setattr(cli, "_is_terminal", lambda: True)
    monkeypatch.delenv("KNEETRIAGE_REGION", raising=False)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


def run(*args: str):
    return CliRunner().invoke(app, ["ask", *args])


def keys_for(screen: interview.Screen, value) -> str:
    """The key presses that give ``value`` on ``screen`` (the prompts' layout: see kneetriage.prompts)."""
    if screen.kind == "checklist":
        out = "".join((SPACE if value[f.id] is True else "") + DOWN for f in screen.findings)
        unsure = [f for f in screen.findings if value[f.id] is None]
        out += (SPACE if unsure else "") + ENTER  # the last tick box: "I'm not sure about some of these"
        if unsure:  # then: which ones? (those not ticked as yes)
            rest = [f for f in screen.findings if value[f.id] is not True]
            out += "".join((SPACE if value[f.id] is None else "") + DOWN for f in rest) + ENTER
        return out
    if screen.kind == "when":  # one list: how and when together; "Not sure how it began" last
        options = [recorded for _, recorded in interview.when_choices(KB)]
        return DOWN * options.index(value) + ENTER
    f = screen.finding
    if f.type == "integer":
        return ("" if value is None else str(value)) + ENTER
    if prompts.is_pain_site(f):  # the picture's list: numbered places, pressed by number
        return prompts.PAIN_SITE_MARKS[value] + ENTER
    options = [True, False] if f.type == "boolean" else list(f.choice_values)
    index = len(options) if value is None else options.index(value)  # "Not sure" follows the options
    return DOWN * index + ENTER


def interview_keys(case_answers: dict, prefill: dict | None = None) -> tuple[str, dict]:
    """Keys that answer an interview truthfully from a case, and the answers they give.

    The picture of where it hurts has no "not sure" of its own: "all over, or hard to say" stands for it."""
    iv = interview.Interview(KB, prefill)
    out = ""
    while (screen := iv.next_screen()) is not None:
        value = interview.screen_value(screen, lambda f: interview.truthful_answer(case_answers, f))
        if screen.kind == "question" and prompts.is_pain_site(screen.finding) and value is None:
            value = "all_over"
        out += keys_for(screen, value)
        iv.record(screen, value)
    return out, iv.answers


def everything_the_person_would_say(case_answers: dict) -> dict:
    """The case's answers with the simulated person's "no" to every yes/no question the case leaves out."""
    return interview.everything_said(KB, case_answers)


def json_after_prompts(output: str) -> dict:
    """The JSON result printed after the interview's progress lines."""
    return json.loads(output[output.index("\n{") + 1 :])


def answered_in_the_prompts(keys, tmp_path, person: dict) -> tuple[dict, dict]:
    """Types a truthful interview for ``person`` into the real prompts, saving the answers: the answers saved and
    the JSON result shown."""
    typed, _ = interview_keys(person)
    keys.send_text(typed)
    saved = tmp_path / "a.json"
    result = run("--format", "json", "--save", str(saved))
    assert result.exit_code == 0, result.output
    return json.loads(saved.read_text()), json_after_prompts(result.stdout)


def flat(text: str) -> str:
    """Text without panel borders and line breaks, to find wrapped sentences."""
    return " ".join(re.sub(r"[┃│┏┓┗┛━╭╮╰╯─]", " ", text).split())


def result_for(answers: dict) -> dict:
    return result.build(KB, engine.triage(KB, answers), KB.get_region("uk"))


NO = {f: False for f in KB.red_flags}


# -- red flags first, emergency stop --------------------------------------------------------


def test_every_red_flag_is_on_exactly_one_checklist_and_breathlessness_is_on_the_first():
    lists = [c for c in interview.checklists(KB) if c.red_flags]
    on_lists = [f for c in interview.checklists(KB) for f in c.findings if f in KB.red_flags]
    assert sorted(on_lists) == sorted(KB.red_flags)
    assert set(on_lists) <= {f for c in lists for f in c.findings}  # on the screens asked before any other
    assert "breathless_or_chest_pain" in lists[0].findings
    first = interview.Interview(KB).next_screen()
    assert first.kind == "checklist" and "breathless_or_chest_pain" in [f.id for f in first.findings]


def _order_of_screens(person: dict) -> list[interview.Screen]:
    iv = interview.Interview(KB)
    shown = []
    while (screen := iv.next_screen()) is not None:
        shown.append(screen)
        iv.record(screen, interview.screen_value(screen, lambda f: person.get(f.id, _unticked(screen))))
    return shown


def _unticked(screen: interview.Screen):
    """What a person answers who says nothing about a finding: a tick box left unticked is "no"; a question
    left is "not sure"."""
    return False if screen.kind == "checklist" else None


@pytest.mark.parametrize(
    "person",
    [
        {},
        {"age": 30, "injury": "twist", "onset": "sudden", "duration": "days"},
        {"age": 30, "injury": "fall", "onset": "gradual", "duration": "weeks"},
        {"age": 70, "injury": "none", "onset": "gradual", "duration": "months"},
        {"age": 50, "injury": "none", "onset": "sudden", "duration": "hours"},
    ],
    ids=["not sure of anything", "a twist", "a fall, then pain that built up", "no injury", "sudden, no injury"],
)
def test_emergency_screen_then_the_history_in_order_then_the_other_warning_signs_then_symptoms(person):
    shown = _order_of_screens(person)
    assert shown[0].phase == "emergency" and shown[0].kind == "checklist"
    history = [s for s in shown if s.phase == "history"]
    assert [s.phase for s in shown[1 : 1 + len(history)]] == ["history"] * len(history)
    asked = [[f.id for f in s.findings] for s in history]
    assert asked[:3] == [["age"], ["side"], ["injury"]]  # the first question after the emergency screen: the person
    assert asked[-1] == ["pain_site"]
    # when and how it began: one screen, after an injury too (pain that built up after a knock is not a sudden start)
    when = [s for s in history if s.kind == "when"]
    assert len(when) == 1 and [f.id for f in when[0].findings] == ["onset", "duration"]
    pop = [i for i, ids in enumerate(asked) if "pop_at_onset" in ids]
    if person.get("injury") in interview.INJURIES:  # the injury's details straight after what happened
        assert pop == [3] and (("high_energy_injury" in asked[3]) == (person["injury"] == "fall"))
        assert history[4] is when[0]
    else:  # without an injury the pop is not part of the history (it tells injuries apart)
        assert history[3] is when[0] and pop == []
    rest = shown[1 + len(history)]
    assert rest.phase == "warning_signs" and rest.kind == "checklist"
    asked_so_far = set()
    for s in shown:
        if s.phase == "adaptive":
            assert set(KB.red_flags) <= asked_so_far, "a symptom was asked before every warning sign"
        asked_so_far |= {f.id for f in s.findings}
    assert set(KB.red_flags) <= asked_so_far


@pytest.mark.parametrize(
    "rule",
    # A sign asked only after another (a numb saddle, after a back that hurts) is not one sign on its own: its
    # stop is tested with its gate (test_a_back_that_hurts_brings_the_question_on_a_numb_bottom_or_bladder_...).
    [
        r
        for r in KB.red_flag_rules
        if r.level in EMERGENCY and r.when.finding and r.when.is_ is True and KB.finding[r.when.finding].ask_if is None
    ],
    ids=lambda r: r.id,
)
def test_a_single_emergency_sign_stops_the_interview_at_once(rule):
    iv = interview.Interview(KB)
    screens = 0
    while (screen := iv.next_screen()) is not None:
        screens += 1
        iv.record(screen, {f.id: f.id == rule.when.finding for f in screen.findings})
    assert iv.stopped_for_emergency
    assert iv.result().urgency.level == rule.level
    assert rule.reason in iv.emergency_reasons()
    where = next(i for i, c in enumerate(interview.checklists(KB)) if rule.when.finding in c.findings)
    assert screens == where + 1  # nothing asked after the screen it was ticked on


@pytest.mark.parametrize(("injury", "level"), [("twist", "emergency"), ("fall", "emergency"), ("none", None)])
def test_cannot_bear_weight_asks_the_age_then_about_an_injury_which_decides_the_urgency(injury, level):
    iv = interview.Interview(KB)
    while (screen := iv.next_screen()).kind == "checklist":
        iv.record(screen, {f.id: f.id == "cannot_bear_weight" for f in screen.findings})
    assert screen.finding.id == "age"  # a nurse's first question, and a child is known before a stop ranks
    iv.record(screen, 40)
    screen = iv.next_screen()
    assert screen.finding.id == "injury"
    iv.record(screen, injury)
    after = iv.next_screen()
    if level:
        assert after is None and iv.stopped_for_emergency and iv.result().urgency.level == level
    else:
        assert after is not None and not iv.stopped_for_emergency
        assert iv.result().urgency.level == "consultation_24"


def test_not_sure_about_the_injury_after_cannot_bear_weight_counts_as_an_emergency():
    iv = interview.Interview(KB, {**NO, "cannot_bear_weight": True, "age": 40})
    screen = iv.next_screen()
    assert screen.finding.id == "injury"
    iv.record(screen, None)
    assert iv.next_screen() is None and iv.stopped_for_emergency


@pytest.mark.parametrize(
    ("ticked", "leads"),
    [
        (("fever", "knee_very_swollen"), "septic_arthritis"),  # not the most common cause, a torn meniscus
        (("breathless_or_chest_pain",), "dvt"),
    ],
)
def test_an_interview_that_stops_for_an_emergency_leads_with_what_the_warning_sign_points_to(keys, ticked, leads):
    first = interview.Interview(KB).next_screen()
    keys.send_text(keys_for(first, {f.id: f.id in ticked for f in first.findings}))
    result = run("--format", "json")
    assert result.exit_code == 0, result.output
    assert "Question 2" not in result.stdout  # sent for help at once: nothing more is asked
    shown = json_after_prompts(result.stdout)
    assert shown["urgency"]["level"] in EMERGENCY
    assert shown["causes"][0]["id"] == leads


def test_a_child_who_cannot_stand_on_the_leg_after_a_fall_is_sent_for_help_with_the_childrens_causes(keys):
    """The emergency waits on what happened, and the age is asked first: a stop ranked without it listed a torn
    meniscus and a torn ligament for a toddler, and said nothing of a child's hip or growing bone."""
    first = interview.Interview(KB).next_screen()
    typed = keys_for(first, {f.id: f.id == "cannot_bear_weight" for f in first.findings}) + "2" + ENTER
    injury = KB.finding["injury"]
    keys.send_text(typed + keys_for(interview.Screen("question", (injury,), injury.question), "fall"))
    result = run("--format", "json")
    assert result.exit_code == 0, result.output
    assert "Question 4" not in result.stdout  # age and what happened, then sent for help
    shown = json_after_prompts(result.stdout)
    assert shown["urgency"]["level"] in EMERGENCY
    assert shown["answers"]["age"] == 2 and shown["child"]["applies"]
    first_three = [c["id"] for c in shown["causes"][:3]]
    assert first_three[0] == "fracture_or_dislocation"
    assert not {"meniscus_tear", "osteoarthritis", "pcl_injury"} & set(first_three)


def test_a_cause_the_answers_strongly_fit_stays_first_in_an_emergency():
    # A calf that swelled and hurts at rest after pushing off: an emergency (pressure in the calf), but the
    # answers fit a torn calf muscle strongly, and the list says so.
    answers = {**NO, "age": 53, "side": "right", "injury": "push_off", "severe_pain_at_rest": True}
    answers |= {"calf_swollen": True, "pain_site": "calf", "pop_at_onset": True}
    shown = result_for(answers)
    assert shown["urgency"]["level"] in EMERGENCY
    assert shown["causes"][0]["id"] == "gastrocnemius_injury"
    assert "compartment_syndrome" in [c["id"] for c in shown["causes"][:3]]


@pytest.mark.parametrize(
    ("age", "first_id", "first_strength"),
    [
        (45, "referred_pain", "possible match"),  # the causes the sign points to are unlikely: the back stays first
        (62, "popliteal_artery_disease", "weak match"),  # at 62 the artery is a weak match, and it leads
    ],
)
def test_a_possible_match_stays_first_in_an_emergency_only_while_the_signs_causes_are_unlikely(
    age, first_id, first_strength
):
    # Pain that came on suddenly weeks ago with no injury, a numb leg and a foot that will not lift: an emergency
    # (a nerve or the blood supply may be squeezed); the answers make pain from the back a possible match.
    answers = {**NO, "age": age, "sex": "male", "side": "right", "injury": "none", "onset": "sudden"}
    answers |= {"duration": "weeks", "leg_numb_or_tingling": True, "foot_weak": True}
    shown = result_for(answers)
    assert shown["urgency"]["level"] in EMERGENCY
    first_three = {c["id"]: c["strength"] for c in shown["causes"][:3]}
    assert (shown["causes"][0]["id"], shown["causes"][0]["strength"]) == (first_id, first_strength)
    assert first_three["referred_pain"] == "possible match"
    assert {"popliteal_artery_disease", "compartment_syndrome"} <= set(first_three)


def test_a_hazardous_cause_the_answers_fit_best_stays_first_in_an_emergency():
    # A calf that swelled and turned warm and red two days after a long flight, with no injury; whether it hurts
    # badly at rest was not checked, so pressure in the calf cannot be ruled out and it is an emergency. A clot is
    # the likelier of the two and has to be ruled out as well: it stays first, the pressure in the first three.
    answers = {**NO, "age": 31, "sex": "female", "side": "left", "injury": "none", "pain_site": "calf"}
    answers |= {"onset": "sudden", "duration": "days", "long_travel": True, "calf_swollen": True}
    answers |= {"calf_warm_red": True, "severe_pain_at_rest": None}
    shown = result_for(answers)
    assert shown["urgency"]["level"] in EMERGENCY
    assert [c["id"] for c in shown["causes"][:3]].index("compartment_syndrome") in (1, 2)
    assert shown["causes"][0]["id"] == "dvt"


# -- adaptive questions ------------------------------------------------------------------------


def _answer_strategy(warning_signs=(False, False, False, False, False, True, None)):
    """Any answers a person could give: a value or "not sure" for every finding."""

    def values(f):
        if f.group == "red_flag":  # mostly "no", so that interviews get past the warning signs
            return st.sampled_from(warning_signs)
        return strategies.finding_value(f)

    return st.fixed_dictionaries({f.id: values(f) for f in KB.findings})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person=_answer_strategy())
def test_interview_asks_each_thing_once_respects_ask_if_and_ends(person):
    iv = interview.Interview(KB)
    screens = 0  # as the terminal shows them: a checklist with a "not sure" takes two
    while (screen := iv.next_screen()) is not None:
        for f in screen.findings:
            assert f.id not in iv.answers, f"{f.id} asked twice"
            assert f.ask_if is None or f.ask_if.holds(iv.answers), f"{f.id} asked although its ask_if does not hold"
        if screen.phase == "adaptive" and screen.kind == "question" and screen.finding.ask_if is not None:
            # a single gated question waits for its gate (pregnancy after sex and age)
            gates = [KB.finding[g] for g in screen.finding.ask_if.findings()]
            assert not any(iv.askable(g) for g in gates)
        value = interview.screen_value(screen, lambda f: person[f.id])
        screens += interview.screens_taken(screen, value)
        iv.record(screen, value)
    assert screens <= interview.MAX_SCREENS
    result = iv.result()
    if iv.stopped_for_emergency:
        assert result.urgency.level in EMERGENCY
    else:
        assert all(f in iv.answers for f in KB.red_flags)
        assert {"age", "side", "injury"} <= set(iv.answers)  # asked in every interview not stopped for an emergency
        # the same answers given back stop at the same place: nothing more to ask
        assert interview.Interview(KB, iv.answers).next_screen() is None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person=_answer_strategy(warning_signs=(False,) * 30 + (True, None)))  # most get past the warning signs
def test_an_interview_that_stops_before_the_cap_leaves_no_answer_that_would_change_the_urgency(person):
    """Through a rule or through the ranking (a cause becoming likely enough for its floor to apply); nor one that
    would make a hazardous cause possible or change whether ice, compression and massage are withheld."""
    iv = interview.Interview(KB)
    while (screen := iv.next_screen()) is not None:
        iv.record(screen, interview.screen_value(screen, lambda f: person[f.id]))
    if iv.stopped_for_emergency or iv.screens_answered >= interview.MAX_SCREENS - 1:
        return  # stopped for an emergency, or at the cap
    now = iv.result()

    def possible(result):
        return {rc.id for i, rc in enumerate(result.causes) if rc.cause.hazard and (i == 0 or rc.probability >= 0.1)}

    for f in KB.findings:
        if iv.askable(f):
            for a in interview.possible_answers(KB, f):
                after = engine.triage(KB, {**iv.answers, f.id: a})
                assert after.urgency.level == now.urgency.level, f"{f.id}={a!r} would change the urgency"
                if iv.child:
                    continue  # the adult causes do not decide a child's result
                assert possible(after) <= possible(now), f"{f.id}={a!r} would make a hazardous cause possible"
                assert bool(after.soft_tissue_withheld) == bool(now.soft_tissue_withheld), f"{f.id}={a!r}"
    if not iv.child:  # nothing the engine lists as not checked is left that could still be asked
        assert [f for f in now.not_checked if iv.askable(KB.finding[f])] == []


def test_sex_is_asked_where_a_mans_answer_would_make_artery_disease_possible_beside_a_same_day_result():
    """A smoker with calf pain on exercise after overstretching, clot risks, sent to the same day already: "male"
    makes artery disease possible (its floor, a GP appointment, below the same day), so sex is asked before the
    interview stops; once the hypothesis test above found an interview that stopped with it unasked."""
    person = {f.id: (False if f.group == "red_flag" else None) for f in KB.findings}
    person |= {"side": "left", "injury": "overstretch", "duration": "hours", "calf_pain_on_exercise": True}
    person |= {"fluid_down_calf": True, "long_travel": True, "previous_clot": True, "overweight": True}
    person |= {"smoker": True, "sex": "male"}
    asked, _, outcome = interview.simulate(KB, person)
    assert asked["sex"] == "male"
    artery = next(rc for rc in outcome.causes if rc.id == "popliteal_artery_disease")
    assert artery.probability >= engine.POSSIBLE
    assert outcome.urgency.level == "consultation_24"


def test_answers_that_only_together_make_a_cause_need_a_doctor_are_asked_before_the_interview_stops():
    """No single answer makes inflammatory arthritis likely enough for its floor (a GP appointment); its known
    arthritis, morning stiffness and swelling together do, so the interview asks them all and does not end in
    home care."""
    person = {**NO, "age": 45, "sex": "male", "side": "right", "duration": "weeks", "onset": "gradual"}
    person |= {"injury": "none", "sport": "pivoting", "known_arthritis": "other", "other_joints": None}
    person |= {"morning_stiffness": "over_30_min", "swelling_timing": "comes_and_goes", "pain_with_activity": True}
    asked, _, outcome = interview.simulate(KB, person)
    full = engine.triage(KB, everything_the_person_would_say(person))
    assert full.urgency.level == "consultation"
    assert outcome.urgency.level == "consultation"
    assert {"known_arthritis", "morning_stiffness"} <= set(asked)
    assert outcome.causes[0].id == "inflammatory_arthritis"


def test_a_checklist_whose_signs_together_change_the_result_is_asked_even_if_no_single_sign_does():
    """A young man with days of knee pain, no injury and no warning sign, who would deny every knee symptom: no
    single "no" makes a clot possible, but all of them together do (nothing else explains the pain), which needs
    the same day. The interview asks the knee's symptoms and ends where the same answers in full end."""
    person = {**NO, "age": 24, "sex": "male", "side": "right", "duration": "days", "onset": "gradual"}
    person = {k: v for k, v in person.items() if k != "knee_very_swollen"} | {"injury": "none"}  # not sure
    asked, _, outcome = interview.simulate(KB, person, ("knee_very_swollen",))
    full = engine.triage(KB, interview.everything_said(KB, person, ("knee_very_swollen",)))
    assert full.urgency.level == "consultation_24"
    assert "catching_or_locking" in asked and asked["catching_or_locking"] is False
    assert outcome.urgency.level == full.urgency.level


def test_pregnancy_is_not_asked_of_a_man_and_cramp_details_only_after_cramps():
    man = {**NO, "sex": "male", "age": 30, "cramp_episodes": False, "calf_tender": True}
    iv = interview.Interview(KB, man)
    asked = []
    while (screen := iv.next_screen()) is not None:
        asked += [f.id for f in screen.findings]
        iv.record(screen, interview.screen_value(screen, lambda f: True if screen.kind == "checklist" else None))
    assert {"pregnant_or_recent_birth", "hormone_medication", "cramp_at_night", "cramp_long"}.isdisjoint(asked)


@pytest.mark.parametrize("sex", [None, "not asked", "female"])
def test_pregnancy_and_the_pill_say_they_are_for_women_where_the_persons_sex_is_not_known(sex):
    questionary = prompts._questionary()
    story = {"age": 35, "side": "left", "injury": "none", "onset": "sudden", "duration": "days", "pain_site": "calf"}
    signs = dict.fromkeys(interview.WITH_WARNING_SIGNS, False)
    given = {**NO, **story, **signs} | ({} if sex == "not asked" else {"sex": sex})
    screen = interview.Interview(KB, given).next_screen()
    shown = {f.id: (prompts._tick(questionary, f).title, prompts._describe(f)) for f in screen.findings}
    for fid in ("pregnant_or_recent_birth", "hormone_medication"):
        tick, said = shown[fid]
        for_women = sex != "female"
        assert tick.startswith("Women:") is for_women, tick
        assert said.startswith("If you are a woman:") is for_women, said
    assert not any("Women" in tick for fid, (tick, _) in shown.items() if fid not in ADULT_ONLY)
    # what is ticked is recorded as the answer to the question itself
    iv = interview.Interview(KB, given)
    iv.record(screen, {f.id: f.id == "hormone_medication" for f in screen.findings})
    assert iv.answers["hormone_medication"] is True and iv.answers["pregnant_or_recent_birth"] is False


def test_a_long_cramp_is_asked_about_after_cramps_because_it_makes_the_urgency_same_day():
    iv = interview.Interview(KB, {**NO, "cramp_episodes": True})
    asked = []
    while (screen := iv.next_screen()) is not None:
        asked += [f.id for f in screen.findings]
        iv.record(screen, interview.screen_value(screen, lambda f: False if screen.kind == "checklist" else None))
    assert "cramp_long" in asked


def _screens_of(person: dict) -> list[interview.Screen]:
    iv = interview.Interview(KB)
    shown = []
    while (screen := iv.next_screen()) is not None:
        shown.append(screen)
        iv.record(screen, interview.screen_value(screen, lambda f: interview.truthful_answer(person, f)))
    return shown


@pytest.mark.parametrize(
    ("ticked", "follow_ups"),
    [("lump_behind_knee", {"lump_pulsates", "lump_growing"}), ("cramp_episodes", {"cramp_at_night", "cramp_long"})],
)
def test_a_follow_up_of_a_ticked_sign_is_a_tick_box_beside_the_risk_factors_not_a_screen_of_its_own(ticked, follow_ups):
    person = {**NO, "age": 58, "side": "left", "injury": "none", "onset": "gradual", "duration": "weeks"}
    person |= {"pain_site": "centre", ticked: True}
    shown = _screens_of(person)
    asked = {f.id for s in shown for f in s.findings}
    assert follow_ups <= asked
    holding = [s for s in shown if follow_ups & {f.id for f in s.findings}]
    assert len(holding) == 1 and holding[0].kind == "checklist"
    assert "blood_thinners" in {f.id for f in holding[0].findings}  # the risk factors' screen
    # without the tick, nothing about it is asked
    assert follow_ups.isdisjoint({f.id for s in _screens_of({**person, ticked: False}) for f in s.findings})


def test_the_knees_yes_no_symptoms_are_asked_on_one_screen():
    """What the knee does and what makes it hurt are asked together, as a clinician asks them."""
    # Outer pain after a twist leaves a meniscus tear and a hamstring strain to tell apart, so the knee's
    # questions are worth a screen (inner pain now makes the tear clear enough to stop before them).
    person = {**NO, "age": 45, "side": "right", "injury": "twist", "onset": "sudden", "duration": "weeks"}
    person |= {"pain_site": "outer", "pain_on_twisting": True}
    shown = _screens_of(person)
    knee = {"catching_or_locking", "giving_way", "pain_on_twisting", "pain_downstairs", "pain_kneeling"}
    holding = [s for s in shown if knee & {f.id for f in s.findings}]
    assert len(holding) == 1 and knee <= {f.id for f in holding[0].findings}


@pytest.mark.parametrize("sport", ["running", "pivoting", "none"])
def test_calf_pain_that_comes_with_exercise_is_followed_by_what_sport_before_the_interview_ends(sport):
    """A runner's exertional compartment syndrome, an athlete's trapped artery and an older smoker's narrowed
    artery are told apart by the exercise: a clinician asks it, whatever else is asked."""
    person = {**NO, "age": 34, "sex": "female", "side": "both", "injury": "none", "onset": "gradual"}
    person |= {"pain_site": "calf", "leg_numb_or_tingling": True, "calf_pain_on_exercise": True, "sport": sport}
    asked, screens, _ = interview.simulate(KB, person)
    assert asked["sport"] == sport and screens <= interview.MAX_SCREENS


@pytest.mark.parametrize("age", [24, None])
def test_a_calf_hurt_in_a_tackle_is_asked_the_sport_after_where_it_hurts_and_a_footballer_gets_the_calf_muscle(
    keys, tmp_path, age
):
    """A footballer kicked on the calf in a match: no swelling, no warning sign. Where it hurts (the calf) closes
    the history with the sport. Before, the sport came late or not at all: a footballer who kept his age to
    himself was never asked his sport, and a burst cyst, a clot and a broken bone were his first three."""
    person = {**NO, "age": age, "sex": "male", "side": "left", "injury": "other", "high_energy_injury": False}
    person |= {"onset": "sudden", "duration": "hours", "pain_site": "calf", "sport": "pivoting"}
    history = [s for s in _screens_of(person) if s.phase == "history"]
    assert [s.finding.id for s in history[-2:]] == ["pain_site", "sport"]
    saved, shown = answered_in_the_prompts(keys, tmp_path, person)
    assert saved["sport"] == "pivoting"
    assert shown["causes"][0]["id"] == "gastrocnemius_injury"
    assert shown["urgency"]["level"] not in EMERGENCY


@pytest.mark.parametrize(("duration", "level"), [("hours", "emergency"), ("days", "consultation_24")])
def test_a_footballer_whose_knee_went_numb_when_he_was_kicked_is_sent_to_ae_typed_or_scripted(
    keys, tmp_path, answers_file, duration, level
):
    """A published midfielder of 33, kicked on the knee in a match: the leg buckled and the knee went numb, and
    he limped off. A fine break of the top of the shin bone was found the next day. An injured part that is
    numb is an emergency (999 or A&E at once), but both paths sent him to a doctor the same day. Numbness that
    is still there days after an injury keeps the same-day verdict, with the home plan withheld on both."""
    person = {**NO, "age": 33, "sex": "male", "side": "left", "injury": "other", "high_energy_injury": False}
    person |= {"onset": "sudden", "duration": duration, "sport": "pivoting", "giving_way": True}
    person |= {"leg_numb_or_tingling": True}
    _, shown = answered_in_the_prompts(keys, tmp_path, person)
    scripted = json.loads(run("-a", answers_file(person), "-f", "json").stdout)
    for out in (shown, scripted):
        assert out["urgency"]["level"] == level
        at_level = out["urgency"]["reasons"][: out["urgency"]["reasons_at_level"]]
        assert any("within hours of an injury" in r for r in at_level) == (duration == "hours")
        assert out["self_care"]["given"] is False


def test_without_an_injury_calf_pain_alone_does_not_add_the_sport_to_the_history():
    person = {**NO, "age": 60, "sex": "female", "side": "left", "injury": "none", "onset": "gradual"}
    person |= {"duration": "weeks", "pain_site": "calf", "sport": "none"}
    history = [s for s in _screens_of(person) if s.phase == "history"]
    assert "sport" not in {f.id for s in history for f in s.findings}
    assert history[-1].finding.id == "pain_site"


@pytest.mark.parametrize(("site", "growing"), [("outer", False), ("inner", True)])
def test_a_man_of_65_with_a_lump_behind_the_knee_is_asked_his_sex_and_the_artery_stays_in_the_first_three(
    keys, tmp_path, site, growing
):
    """A clinician who sees an older man with a lump behind the knee thinks of a popliteal aneurysm, about
    fifteen times commoner in men. Before, his sex was never asked, and a lump that was not growing, with the
    pain at the outer side, gave him a cyst, arthritis and a tumour as his first three."""
    person = {**NO, "age": 65, "sex": "male", "side": "left", "injury": "none", "onset": "gradual"}
    person |= {"duration": "months", "pain_site": site, "lump_behind_knee": True, "lump_pulsates": False}
    saved, shown = answered_in_the_prompts(keys, tmp_path, {**person, "lump_growing": growing})
    assert saved["sex"] == "male"
    assert "popliteal_artery_disease" in [c["id"] for c in shown["causes"][:3]]


def test_a_lump_behind_a_younger_knee_does_not_make_the_sex_a_question_of_its_own():
    person = {**NO, "age": 45, "sex": "male", "side": "left", "injury": "none", "onset": "gradual"}
    person |= {"duration": "months", "pain_site": "centre", "lump_behind_knee": True, "lump_pulsates": False}
    assert "sex" not in {f.id for s in _screens_of(person) for f in s.findings}
    assert "sex" in {f.id for s in _screens_of({**person, "age": 65}) for f in s.findings}


@pytest.mark.parametrize("age, level", [(48, "consultation"), (58, "consultation"), (25, "self_care")])
def test_a_sudden_pull_at_the_back_of_the_thigh_from_40_is_booked_in_and_still_gets_the_home_plan(
    keys, tmp_path, age, level
):
    """Published men of 48 and 58 who tore their hamstrings sprinting were told, asked everything, to look
    after it at home. From the middle years such a pull is more often the tendon torn from the bone, which is
    best repaired within weeks, so it is booked in; at 25 the same pull stays at home care. Neither withholds
    the home plan."""
    person = {**NO, "age": age, "sex": "male", "side": "left", "injury": "overstretch", "onset": "sudden"}
    person |= {"duration": "days", "pain_site": "thigh", "thigh_back_pain": True, "sport": "running"}
    _, shown = answered_in_the_prompts(keys, tmp_path, person)
    assert shown["urgency"]["level"] == level
    assert ("tendon torn away from the bone" in " ".join(shown["urgency"]["reasons"])) == (age >= 40)
    assert shown["causes"][0]["id"] == "hamstring_injury"
    assert shown["self_care"]["given"] is True


# -- when and how it began: one screen -------------------------------------------------------------


def test_when_and_how_it_began_is_one_list_in_plain_words_that_fits_40_columns():
    choices = interview.when_choices(KB)
    labels = [label for label, _ in choices]
    assert "Suddenly, less than a day ago" in labels and "Gradually, over more than 6 weeks" in labels
    assert "1 to 6 weeks ago, not sure how" in labels and labels[-1] == "Not sure how or when"
    assert all(len(label) + 3 <= 40 for label in labels)  # after the pointer, on one line of a 40-column terminal
    # every pair of the contract's answers can be given, "not sure" for either or both, each exactly once
    recorded = [r for _, r in choices]
    for how in (*KB.finding["onset"].choice_values, None):
        for long in (*KB.finding["duration"].choice_values, None):
            assert recorded.count({"onset": how, "duration": long}) == 1
    assert len(recorded) == len(set(labels))


def test_a_knowledge_base_with_other_durations_asks_how_it_began_and_how_long_apart():
    """The joined choices are worded for the shipped answers; an edited file's own are never misread."""
    data = json.loads(knowledge.default_path().read_text(encoding="utf-8"))
    duration = next(f for f in data["findings"] if f["id"] == "duration")
    duration["choices"].append({"value": "years", "label": "More than a year", "short": "over a year"})
    kb = knowledge.parse(json.dumps(data).encode(), "edited.json", strict=False)
    assert interview.when_choices(kb) == ()
    iv = interview.Interview(kb, {**NO, "age": 40, "side": "left", "injury": "none"})
    first = iv.next_screen()
    assert first.kind == "question" and first.finding.id == "onset"
    iv.record(first, "gradual")
    second = iv.next_screen()
    assert second.kind == "question" and second.finding.id == "duration"


@pytest.mark.parametrize(
    ("person", "recorded", "screens"),
    [
        ({"onset": "gradual", "duration": "weeks"}, {"onset": "gradual", "duration": "weeks"}, 1),
        ({"onset": "sudden"}, {"onset": "sudden", "duration": None}, 1),  # "Suddenly, not sure when"
        ({"duration": "days"}, {"onset": None, "duration": "days"}, 1),  # "1 to 6 days ago, not sure how"
        ({}, {"onset": None, "duration": None}, 1),  # "Not sure how or when"
    ],
    ids=["both", "how only", "how long only", "neither"],
)
def test_the_simulated_person_answers_how_and_how_long_each_as_it_would_alone(person, recorded, screens):
    story = {**NO, "age": 40, "side": "left", "injury": "fall", **person}
    iv = interview.Interview(KB)
    shown = 0
    while (screen := iv.next_screen()) is not None and "pain_site" not in [f.id for f in screen.findings]:
        value = interview.screen_value(screen, lambda f: interview.truthful_answer(story, f))
        if screen.kind == "when" or screen.findings[0].id == "duration":
            shown += interview.screens_taken(screen, value)
        iv.record(screen, value)
    assert {k: iv.answers[k] for k in ("onset", "duration")} == recorded
    assert shown == screens


def test_pain_that_built_up_after_a_minor_knock_is_recorded_as_gradual_not_taken_as_a_sudden_start():
    """After an injury, how it began is asked too: a tumour or a stress fracture can first hurt after a knock."""
    story = {**NO, "age": 17, "side": "left", "injury": "other", "high_energy_injury": False, "pop_at_onset": False}
    story |= {"onset": "gradual", "duration": "weeks"}
    asked, _, _ = interview.simulate(KB, story)
    assert asked["onset"] == "gradual" and asked["duration"] == "weeks"


def test_after_an_injury_the_pop_and_how_hard_it_was_are_ticked_on_one_screen(keys, tmp_path):
    iv = interview.Interview(KB, {**NO, "age": 60, "side": "right", "injury": "fall"})
    details = iv.next_screen()
    assert details.kind == "checklist" and [f.id for f in details.findings] == ["pop_at_onset", "high_energy_injury"]
    # after a twist only the pop applies (high impact is asked after a fall, a blow or another injury): one question
    alone = interview.Interview(KB, {**NO, "age": 30, "side": "right", "injury": "twist"}).next_screen()
    assert alone.kind == "question" and alone.finding.id == "pop_at_onset"
    # in the prompts: the pop ticked, then "Suddenly, less than a day ago"
    path = tmp_path / "so-far.json"
    path.write_text(json.dumps({**NO, "age": 60, "side": "right", "injury": "fall"}))
    saved = tmp_path / "a.json"
    keys.send_text(SPACE + DOWN + DOWN + ENTER + ENTER + CTRL_C)
    result = run("--answers", str(path), "--save", str(saved))
    assert result.exit_code == 130
    got = json.loads(saved.read_text())
    assert got["pop_at_onset"] is True and got["high_energy_injury"] is False
    assert got["onset"] == "sudden" and got["duration"] == "hours"
    assert "Question 3 of about" in result.stdout and "The back of your right leg" in result.stdout  # two screens


def test_not_sure_how_it_began_is_said_with_how_long_on_the_same_screen(keys, tmp_path):
    path = tmp_path / "so-far.json"
    path.write_text(json.dumps({**NO, "age": 60, "side": "right", "injury": "none"}))
    saved = tmp_path / "a.json"
    choices = [r for _, r in interview.when_choices(KB)]
    keys.send_text(DOWN * choices.index({"onset": None, "duration": "weeks"}) + ENTER + CTRL_C)
    result = run("--answers", str(path), "--save", str(saved))
    assert result.exit_code == 130
    got = json.loads(saved.read_text())
    assert got["onset"] is None and got["duration"] == "weeks"  # not sure is kept as null, never a guess
    # how long took no screen of its own: the next screen is the picture of where it hurts
    assert "Question 2 of about" in result.stdout and "The back of your right leg" in result.stdout
    assert "Question 3" not in result.stdout


def test_a_saved_file_that_is_not_sure_how_it_began_and_leaves_out_how_long_asks_how_long_alone():
    """An answers file (or one saved before how long was on the same list) is never asked for what it gives."""
    iv = interview.Interview(KB, {**NO, "age": 60, "side": "right", "injury": "none", "onset": None})
    screen = iv.next_screen()
    assert screen.kind == "question" and screen.finding.id == "duration"


def test_a_saved_interview_with_how_and_how_long_on_one_screen_stops_at_the_same_place():
    story = {**NO, "age": 50, "side": "left", "injury": "twist", "onset": "sudden", "duration": "days"}
    asked, screens, _ = interview.simulate(KB, story)
    iv = interview.Interview(KB, asked)
    assert iv.next_screen() is None
    assert iv.screens_answered == screens  # how and how long counted as the one screen they took


def test_public_cases_answered_truthfully_reach_the_same_urgency_in_few_screens():
    screens = {}
    for case in CASES:
        given_answers = answers_mod.check(KB, case["answers"])
        asked, n, result = interview.simulate(KB, given_answers)
        full = engine.triage(KB, everything_the_person_would_say(given_answers))
        assert knowledge.rank(result.urgency.level) <= knowledge.rank(full.urgency.level), case["id"]
        assert full.causes[0].id in [rc.id for rc in result.causes[:3]], case["id"]
        assert all(asked[k] == interview.truthful_answer(given_answers, KB.finding[k]) for k in asked), case["id"]
        screens[case["id"]] = n
    assert max(screens.values()) <= interview.MAX_SCREENS == 16, screens
    assert statistics.median(screens.values()) <= 10, screens


# -- the prompts, through a pipe --------------------------------------------------------------


def test_ticking_breathlessness_shows_the_emergency_panel_with_999_and_asks_nothing_more(keys):
    keys.send_text(SPACE + ENTER)  # the pointer starts on the first item: breathlessness
    result = run()
    assert result.exit_code == 0, result.output
    assert "EMERGENCY" in result.stdout and "999" in result.stdout
    assert "Call 999" in result.stdout
    assert "clot has moved to the lungs" in flat(result.stdout)
    assert "Question 2" not in result.stdout


def test_emergency_panel_uses_the_regions_number(keys):
    keys.send_text(SPACE + ENTER)
    result = run("--region", "us")
    assert result.exit_code == 0
    assert "911" in result.stdout and "999" not in result.stdout


def test_progress_is_shown_on_every_screen(keys):
    case = {**NO, "age": 40, "injury": "twist"}
    typed, _ = interview_keys(case)
    keys.send_text(typed)
    result = run()
    assert result.exit_code == 0, result.output
    shown = re.findall(r"Question (\d+)(?: of about (\d+)| \(nearly done\))", result.stdout)
    assert [int(n) for n, _ in shown] == list(range(1, len(shown) + 1))
    assert all(int(about) > int(n) for n, about in shown if about)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_a_full_interview_in_the_prompts_gives_the_answers_typed_and_the_result_of_answers(keys, tmp_path, case):
    case_answers = answers_mod.check(KB, case["answers"])
    typed, expected = interview_keys(case_answers)
    keys.send_text(typed)
    saved = tmp_path / "a.json"
    result = run("--format", "json", "--save", str(saved))
    assert result.exit_code == 0, result.output
    assert json.loads(saved.read_text()) == expected
    shown = json_after_prompts(result.stdout)
    assert shown == result_for(expected)
    full = engine.triage(KB, everything_the_person_would_say(case_answers))
    assert knowledge.rank(shown["urgency"]["level"]) <= knowledge.rank(full.urgency.level)


def test_not_sure_is_stored_as_null_on_a_checklist_and_on_a_question(keys, tmp_path):
    not_sure = {f.id: None for f in KB.findings if f.group != "red_flag"}
    case = {**NO, **not_sure, "fever": None, "knee_hot_red": True}  # hot knee, not sure about a fever or anything else
    typed, expected = interview_keys(case)
    assert expected["fever"] is None
    keys.send_text(typed)
    saved = tmp_path / "a.json"
    result = run("--save", str(saved))
    assert result.exit_code == 0, result.output
    got = json.loads(saved.read_text())
    assert got["fever"] is None and got["knee_hot_red"] is True and got["knee_deformed"] is False
    questions = [k for k in got if KB.finding[k].group != "red_flag" and k != "pain_site"]
    assert questions and all(got[k] is None for k in questions)  # "Not sure" on each question
    assert got["pain_site"] == "all_over"  # the picture's "all over, or hard to say"


def test_save_is_private_and_replays_to_the_identical_result(keys, tmp_path):
    case = {**NO, "age": 67, "sex": "female", "onset": "gradual", "duration": "months", "grinding": True}
    typed, expected = interview_keys(case)
    keys.send_text(typed)
    saved = tmp_path / "answers.json"
    first = run("--format", "json", "--save", str(saved))
    assert first.exit_code == 0, first.output
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"]  # no temporary file left behind
    replay = CliRunner().invoke(app, ["ask", "--answers", str(saved), "--format", "json"])
    assert replay.exit_code == 0, replay.output
    assert json.loads(replay.stdout) == json_after_prompts(first.stdout)


def test_a_saved_file_given_back_in_a_terminal_asks_nothing_more(keys, tmp_path):
    case = {**NO, "age": 30, "injury": "overstretch", "thigh_back_pain": True}
    _, answers_given = interview_keys(case)
    saved = tmp_path / "a.json"
    answers_mod.save(saved, answers_given)
    keys.send_text(CTRL_C)  # would stop it with 130 if anything were asked
    result = run("--answers", str(saved))
    assert result.exit_code == 0, result.output
    assert "Question" not in result.stdout


def test_a_partial_answers_file_in_a_terminal_asks_only_the_rest(keys, tmp_path):
    partial = {f: False for f in KB.red_flags if f != "fever"} | {"age": 70}
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(partial))
    case = {**partial, "fever": False}
    typed, expected = interview_keys(case, prefill=partial)
    keys.send_text(typed)
    saved = tmp_path / "all.json"
    result = run("--answers", str(path), "--save", str(saved))
    assert result.exit_code == 0, result.output
    got = json.loads(saved.read_text())
    assert got == expected and got["age"] == 70 and got["fever"] is False
    first = interview.Interview(KB, partial).next_screen()
    assert [f.id for f in first.findings] == ["fever"]  # only the red flag the file left out


@pytest.mark.parametrize("extra", [["--format", "json"], ["--no-input"]])
def test_scripts_with_an_answers_file_are_never_prompted(keys, tmp_path, extra):
    path = tmp_path / "partial.json"
    path.write_text(json.dumps({"age": 30}))
    keys.send_text(CTRL_C)
    result = run("--answers", str(path), *extra)
    assert result.exit_code == 0, result.output
    assert "Question" not in result.stdout


def test_ctrl_c_at_the_first_question_exits_130_with_one_line(keys):
    keys.send_text(CTRL_C)
    result = run()
    assert result.exit_code == 130
    assert result.stderr.strip() == "kneetriage: interview stopped; nothing was saved"
    assert "Traceback" not in result.output


def test_ctrl_c_with_save_keeps_the_answers_so_far_and_says_where(keys, tmp_path):
    saved = tmp_path / "so-far.json"
    keys.send_text(ENTER + CTRL_C)  # no to the first red flags, then stop
    result = run("--save", str(saved))
    assert result.exit_code == 130
    assert result.stderr.strip() == f"kneetriage: interview stopped; answers so far saved to {saved}"
    first = interview.checklists(KB)[0].findings
    assert json.loads(saved.read_text()) == {f: False for f in first}


def test_why_are_we_asking_shows_the_reason_and_asks_again(keys, tmp_path):
    path = tmp_path / "flags.json"
    path.write_text(json.dumps({**NO, "age": 40}))
    f = interview.Interview(KB, {**NO, "age": 40}).next_screen().finding  # which knee
    n = (len(f.choices) if f.type == "choice" else 2) + 1  # past the options and "Not sure"
    keys.send_text(DOWN * n + ENTER + CTRL_C)  # "Why are we asking?", then stop at the same question
    result = run("--answers", str(path))
    assert result.exit_code == 130
    assert f.help in flat(result.stdout)
    assert result.stdout.count("Question 1 of") == 1


# -- no terminal -------------------------------------------------------------------------------


def test_without_a_terminal_or_answers_it_exits_2_naming_answers():
    result = CliRunner().invoke(app, ["ask"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--answers" in lines[0]


def test_no_input_never_prompts_even_in_a_terminal(keys):
    keys.send_text(CTRL_C)
    result = run("--no-input")
    assert result.exit_code == 2
    assert "--answers" in result.stderr and "Question" not in result.stdout


def test_save_into_a_missing_folder_is_a_usage_error_before_any_question(keys, tmp_path):
    keys.send_text(CTRL_C)
    result = run("--save", str(tmp_path / "no" / "such" / "a.json"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "Question" not in result.stdout


def test_the_scripted_path_does_not_load_the_prompt_library(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "a.json"
    path.write_text(json.dumps(NO))
    code = (
        "import sys\n"
        "from kneetriage.cli import app\n"
        f"try:\n    app(['ask', '--answers', {str(path)!r}, '--format', 'json'])\n"
        "except SystemExit:\n    pass\n"
        "print('questionary' in sys.modules, 'prompt_toolkit' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "False False"


# -- narrow terminals ---------------------------------------------------------------------------


def test_the_emergency_stop_under_call_999_gives_only_the_reasons_for_999():
    """A cold, pale leg whose calf hurts when pressed, for days: the stop box says to call 999 because the blood
    supply may be blocked, and not also "go to the emergency department now", a rule of the level below."""
    from rich.console import Console

    from kneetriage import prompts

    answers_given = {"leg_cold_pale_or_blue": True, "calf_tender": True, "duration": "days"}
    rep = result_for(answers_given)
    out = io.StringIO()
    prompts.print_emergency(
        rep, interview.Interview(KB, answers_given).emergency_reasons(), Console(file=out, width=80)
    )
    text = " ".join(out.getvalue().replace("┃", " ").split())
    assert "CALL 999 NOW" in text and "blood supply is blocked" in text
    assert "emergency department" not in text


@pytest.mark.parametrize("width", [40, 80])
def test_emergency_panel_and_result_fit_narrow_terminals(width):
    from rich.console import Console

    from kneetriage import prompts
    from kneetriage.output import pages, terminal

    answers_given = {**NO, "breathless_or_chest_pain": True}
    rep = result_for(answers_given)
    out = io.StringIO()
    console = Console(width=width, file=out, color_system=None)
    prompts.print_emergency(rep, interview.Interview(KB, answers_given).emergency_reasons(), console)
    terminal.draw(pages.result(rep, KB), console)
    text = out.getvalue()
    assert "999" in text
    assert max(len(line) for line in text.splitlines()) <= width


def test_choices_are_wrapped_to_the_terminal_width():
    from kneetriage import prompts

    injury = KB.finding["injury"]
    for c in injury.choices:
        wrapped = prompts._wrap(c.label, 3, width=40)
        assert all(len(line) <= 40 - 1 for line in wrapped.splitlines())
        assert " ".join(w.strip() for w in wrapped.splitlines()) == c.label


@pytest.mark.parametrize("width", [40, 80, 100])
def test_an_answer_shown_after_its_question_is_never_broken_mid_word(width):
    """Once chosen, questionary shows "? question answer"; where that would not fit, the answer has its own line."""
    from kneetriage import prompts

    for f in KB.findings:
        labels = ["Yes", "No"] if f.type == "boolean" else [c.label for c in f.choices]
        titles = [prompts._wrap(label, 3, width) for label in labels] + ["Not sure", prompts.ARROWS]
        message = prompts._question(f.question, titles, width)
        for title in titles:
            shown = f"? {message} {title.splitlines()[0]}"
            assert all(len(line) < width for line in shown.splitlines()), (f.id, shown)
        assert " ".join(message.split()) == " ".join(f.question.split())


@pytest.mark.parametrize(("columns", "rows"), [(40, 30), (80, 24), (100, 45)])
def test_a_tick_box_screen_with_its_description_fits_the_terminal(monkeypatch, columns, rows):
    """What a highlighted sign says under the boxes is never cut off at the bottom: where the full text
    (question, how to check, why we ask) has no room, the last parts are left out."""
    from kneetriage import prompts

    monkeypatch.setattr(prompts, "_columns", lambda: columns)
    monkeypatch.setattr(prompts, "_rows", lambda: rows)
    first = interview.Interview(KB).next_screen()
    # and the risk factors' screen with a follow-up ticked beside them (a lump: does it pulse?)
    story = {
        "age": 40,
        "side": "left",
        "injury": "none",
        "onset": "gradual",
        "duration": "weeks",
        "pain_site": "centre",
    }
    signs = dict.fromkeys(interview.WITH_WARNING_SIGNS, False) | {"lump_behind_knee": True}
    iv = interview.Interview(KB, {**NO, **story, **signs})
    risks = iv.next_screen()
    assert {"lump_pulsates", "lump_growing", "blood_thinners"} <= {f.id for f in risks.findings}
    for screen in (first, risks):
        _fits(prompts, screen, rows)


def _fits(prompts, screen, rows):
    room = prompts._room(screen.title, prompts.CHECK_HINT, screen.findings, prompts.NOT_SURE_TICK)
    assert room >= 3
    for f in screen.findings:
        said = prompts._describe(f, room)
        assert said.count("\n") + 1 <= room, f.id
        assert " ".join(said.split()).startswith(" ".join(f.question.split()))
        if rows >= 45:
            assert "Why we ask" in " ".join(said.split()) or not f.help


# -- "not sure" is never turned into "no" by accident ---------------------------------------------


def _first_list() -> list[str]:
    return [f.id for f in interview.Interview(KB).next_screen().findings]


def test_not_sure_then_nothing_ticked_does_not_record_no_it_asks_again(keys, tmp_path):
    first = _first_list()
    saved = tmp_path / "a.json"
    keys.send_text(
        DOWN * len(first)
        + SPACE
        + ENTER  # tick "I'm not sure about some of these"
        + ENTER  # then press Enter with nothing ticked: refused, the same screen stays
        + DOWN * first.index("fever")
        + SPACE
        + ENTER  # tick the one not sure about
        + CTRL_C
    )
    result = run("--save", str(saved))
    assert result.exit_code == 130
    got = json.loads(saved.read_text())
    assert got["fever"] is None  # not sure, not "no"
    assert got == {f: (None if f == "fever" else False) for f in first}
    assert KB.finding["fever"].how_to_check in flat(result.stdout)  # how to check it, once it is left unsure


def test_going_back_from_which_are_you_not_sure_about_shows_the_list_again(keys, tmp_path):
    first = _first_list()
    saved = tmp_path / "a.json"
    keys.send_text(
        DOWN * len(first)
        + SPACE
        + ENTER  # "not sure about some"
        + DOWN * len(first)
        + SPACE
        + ENTER  # "Go back to the list"
        + ENTER  # the list again: nothing applies
        + CTRL_C
    )
    result = run("--save", str(saved))
    assert result.exit_code == 130
    assert json.loads(saved.read_text()) == dict.fromkeys(first, False)  # "no" only when the person said so
    assert "Question 3" in result.stdout  # the list, which ones, the list again


def test_every_warning_sign_a_person_checks_on_their_leg_says_how():
    for fid in ("calf_swollen", "calf_tender", "calf_warm_red", "fever", "knee_hot_red", "whole_leg_swollen"):
        assert KB.finding[fid].how_to_check, fid
    assert "both" in KB.finding["calf_swollen"].how_to_check  # compare both calves
    assert "temperature" in KB.finding["fever"].how_to_check


def test_a_not_sure_warning_sign_keeps_the_not_checked_floor():
    case = {**NO, "calf_tender": None, "age": 30, "injury": "none", "side": "left"}
    asked, _, result = interview.simulate(KB, case)
    assert asked["calf_tender"] is None
    assert "calf_tender" in result.unanswered_red_flags
    assert knowledge.rank(result.urgency.level) <= knowledge.rank(engine.NOT_CHECKED_FLOOR)


# -- where it hurts: the picture ------------------------------------------------------------------


@pytest.mark.parametrize("side", ["left", "right", "both", None])
def test_the_pain_site_picture_fits_40_columns_and_numbers_every_place(side):
    picture = prompts.pain_site_picture(side)
    assert max(len(line) for line in picture.splitlines()) <= 40
    assert "\x1b" not in picture  # meaning in numbers and words, not colour
    for mark in ("1", "2", "3", "4", "5"):
        assert picture.count(mark) == 1, mark
    assert "behind" in picture  # the back of the leg, seen from behind
    assert set(prompts.PAIN_SITE_MARKS) == set(KB.finding["pain_site"].choice_values)


def test_the_pain_site_picture_is_mirrored_for_the_left_leg():
    def inner_is_left_of_outer(side):
        row = next(line for line in prompts.pain_site_picture(side).splitlines() if "knee" in line)
        return row.index(prompts.PAIN_SITE_MARKS["inner"]) < row.index(prompts.PAIN_SITE_MARKS["outer"])

    # Seen from behind, the right leg's inner side is on the viewer's left; the left leg's on the right.
    assert inner_is_left_of_outer("right")
    assert not inner_is_left_of_outer("left")
    assert "swap" in prompts.pain_site_picture("both")


def test_the_place_chosen_on_the_picture_is_recorded_as_pain_site(keys, tmp_path):
    prefill = {**NO, "age": 40, "side": "left", "injury": "none", "onset": "gradual", "duration": "weeks"}
    path = tmp_path / "so-far.json"
    path.write_text(json.dumps(prefill))
    saved = tmp_path / "a.json"
    assert interview.Interview(KB, prefill).next_screen().finding.id == "pain_site"
    keys.send_text(prompts.PAIN_SITE_MARKS["calf"] + ENTER + CTRL_C)  # "5", the calf
    result = run("--answers", str(path), "--save", str(saved))
    assert result.exit_code == 130
    assert json.loads(saved.read_text())["pain_site"] == "calf"
    assert "The back of your left leg" in result.stdout


def test_the_pain_site_list_says_each_place_in_words():
    labels = {c.value: c.label for c in KB.finding["pain_site"].choices}
    assert "inner side" in labels["inner"] and "calf" in labels["calf"] and "thigh" in labels["thigh"]


# -- the progress line stays honest ---------------------------------------------------------------


def test_progress_never_says_n_of_about_n():
    assert interview.progress(4, 6) == "Question 4 of about 9"
    assert interview.progress(10, 1) == "Question 10 (nearly done)"
    for shown in range(1, 20):
        for left in range(1, 20):
            text = interview.progress(shown, left)
            about = re.search(r"of about (\d+)", text)
            assert about is None or int(about.group(1)) > shown, text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person=_answer_strategy())
def test_progress_over_a_whole_interview_counts_up_and_never_promises_less_than_it_asks(person):
    iv = interview.Interview(KB)
    lines = []
    shown = 0
    while (screen := iv.next_screen()) is not None:
        left = iv.screens_left()
        value = interview.screen_value(screen, lambda f: person[f.id])
        for _ in range(interview.screens_taken(screen, value)):
            shown += 1
            lines.append(interview.progress(shown, left))
        iv.record(screen, value)
    for n, text in enumerate(lines, 1):
        about = re.search(r"of about (\d+)", text)
        assert text.startswith(f"Question {n}")
        assert about is None or int(about.group(1)) > n
    nearly = [i for i, t in enumerate(lines) if "nearly done" in t]
    assert all("nearly done" in t for t in lines[nearly[0] :]) if nearly else True  # no going back to "of about"


# -- under 16 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", [{"injury": "fall"}, {"injury": "none", "onset": "gradual", "cramp_episodes": True}])
def test_a_child_is_known_before_anything_is_ranked_and_gets_no_questions_to_tell_adult_causes_apart(person):
    person = {"age": 10, "side": "right", **person}
    iv = interview.Interview(KB)
    first_questions = []
    while (screen := iv.next_screen()) is not None:
        if screen.kind == "question":
            first_questions.append(screen.finding.id)
        if screen.phase == "adaptive":  # only a question an answer to which could change the urgency (as it
            # stands so far, or of the result if the interview stopped here: what was not said read the worst way)
            now = iv._so_far()
            worst_now = engine.triage(KB, iv.answers) if iv._worst_case_open() else None
            assert any(
                iv._changes(now, {**iv.answers, f.id: a}, f, worst_now)
                for f in screen.findings
                for a in interview.possible_answers(KB, f)
            ), screen.title
        iv.record(screen, interview.screen_value(screen, lambda f: person.get(f.id, _unticked(screen))))
    assert iv.child and first_questions[0] == "age"


# -- evaluate --interview: the interview measured on the cases ------------------------------------

DATA = Path(__file__).parent / "data"
CASE_FILES = [p for p in sorted(DATA.glob("*_cases.jsonl")) if p.name != "sheet_cases.jsonl"]
CASE_FILES += [p for p in sorted(DATA.glob("published*_tune.jsonl"))]
CASE_FILES = [p for p in CASE_FILES if "holdout" not in p.name]  # never a held-out half


@pytest.mark.parametrize("path", sorted(DATA.glob("published*.jsonl")), ids=lambda p: p.name)
def test_every_published_case_that_gives_a_detail_of_an_injury_says_what_happened(path):
    """The high-impact question is a detail of what happened: an interview reaches it only after a fall, a blow or
    "something else". A case giving it without what happened answers a question no interview can reach, so the
    interview and the same answers cannot agree on it (its answers only, read, never run: held-out halves too)."""
    details = [f.id for f in KB.findings if f.ask_if is not None and f.ask_if.findings() == {"injury"}]
    assert details, "no question asked only after what happened"
    orphans = []
    for line in path.read_text().splitlines():
        answers = json.loads(line)["answers"] if line.strip() else {}
        orphans += [f for f in details if f in answers and "injury" not in answers]
    assert not orphans, f"{len(orphans)} case(s) give {sorted(set(orphans))} without injury"


# "calf_swollen true" in a case's notes: a yes-or-no answer the notes give, not "... true is not stated".
NOTED_ANSWER = re.compile(r"(?<![\w`-])`?([a-z][a-z0-9_]+)`? (true|false)\b(?! is not)")


@pytest.mark.parametrize("path", sorted(DATA.glob("published*.jsonl")), ids=lambda p: p.name)
def test_every_published_case_answers_as_its_notes_say(path):
    """A case's notes give the basis of each answer ("a swollen left calf: calf_swollen true"); an answer written
    otherwise in `answers` is a slip in copying that would score a different person (answers and notes only, read,
    never run: held-out halves too)."""
    yes_no = {f.id for f in KB.findings if f.type == "boolean"}
    slips = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        case = json.loads(line) if line.strip() else {}
        for m in NOTED_ANSWER.finditer(case.get("notes", "")):
            fid, said = m.group(1), m.group(2) == "true"
            if fid in yes_no and case["answers"].get(fid) is not said:
                slips.append(
                    f"line {n}: notes say {fid} {m.group(2)}, answers {case['answers'].get(fid, 'leave it out')}"
                )
    assert not slips, "; ".join(slips)


def test_evaluate_interview_prints_the_screens_in_json_and_for_each_miss_in_the_table(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cramp = {**NO, "age": 60, "side": "left", "injury": "none", "onset": "sudden", "cramp_episodes": True}
    lines = [
        {"id": "cramp", "answers": cramp, "top": ["leg_cramp"], "urgency": ["self_care", "consultation"]},
        {"id": "wrong", "answers": cramp, "top": ["dvt"], "urgency": ["emergency"]},
    ]
    cases.write_text("".join(json.dumps(c) + "\n" for c in lines))
    out = CliRunner().invoke(app, ["evaluate", str(cases), "--interview", "--format", "json"])
    assert out.exit_code == 0, out.output
    totals = json.loads(out.stdout)
    assert totals["cases"] == 2 and totals["missed"] == 1
    assert 1 <= totals["screens_median"] <= totals["screens_max"] <= interview.MAX_SCREENS
    scripted = json.loads(CliRunner().invoke(app, ["evaluate", str(cases), "--format", "json"]).stdout)
    assert "screens_median" not in scripted
    table = CliRunner().invoke(app, ["evaluate", str(cases), "--interview"], env={"COLUMNS": "120"})
    assert re.search(r"│ \d+ screens", table.stdout)
    assert "wrong" in table.stdout and "median / longest" in table.stdout


def test_evaluate_interview_counts_the_interviews_that_stopped_for_an_emergency(tmp_path):
    """Their causes rank on the first screens' answers alone, and the terminal shows the emergency panel, not the
    causes: the totals say how many there were, and the table marks each miss that stopped."""
    cases = tmp_path / "cases.jsonl"
    story = {"age": 60, "side": "left", "injury": "none", "onset": "sudden", "duration": "days"}
    lines = [
        {"id": "calm", "answers": {**NO, **story}, "urgency": ["self_care", "consultation"]},
        {"id": "short-of-breath", "answers": {**NO, **story, "breathless_or_chest_pain": True}, "top": ["dvt"]}
        | {"urgency": ["emergency_ambulance"]},
        {"id": "cold-leg", "answers": {**NO, **story, "leg_cold_pale_or_blue": True}, "top": ["leg_cramp"]}
        | {"urgency": ["emergency_ambulance", "emergency"]},
    ]
    cases.write_text("".join(json.dumps(c) + "\n" for c in lines))
    totals = json.loads(CliRunner().invoke(app, ["evaluate", str(cases), "--interview", "--format", "json"]).stdout)
    assert totals["emergency_stops"] == 2
    scripted = json.loads(CliRunner().invoke(app, ["evaluate", str(cases), "--format", "json"]).stdout)
    assert "emergency_stops" not in scripted
    table = CliRunner().invoke(app, ["evaluate", str(cases), "--interview"], env={"COLUMNS": "120"}).stdout
    assert "stopped for an emergency" in flat(table) and "cold-leg" in table


def _stops_for_emergency(answers: dict) -> bool:
    """Whether an interview that gave these answers stopped for an emergency (the same answers stop at the same
    place)."""
    return interview.stopped_for_emergency(KB, answers, engine.triage(KB, answers))


@functools.cache
def _same_answers_and_interview(path: Path) -> tuple[list, list]:
    """A case file scored on the same answers (the ones the simulated person would give if asked everything, by
    the scripted path) and by the interview, once for the tests below."""
    from kneetriage import evaluate as ev

    cases = ev.parse_cases(KB, path.read_bytes(), path.name)
    same = [msgspec.structs.replace(c, answers=interview.everything_said(KB, c.answers, c.unanswered)) for c in cases]
    return list(ev.score_all(KB, same)), list(ev.score_all(KB, cases, interview=True))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_the_interview_on_the_cases_is_never_less_urgent_than_the_same_answers_and_stays_short(path):
    from kneetriage import evaluate as ev

    scripted, asked = _same_answers_and_interview(path)
    less_urgent = [
        f"{s.case.id}: {s.result.urgency.level} -> {a.result.urgency.level}"
        for s, a in zip(scripted, asked, strict=True)
        if knowledge.rank(a.result.urgency.level) > knowledge.rank(s.result.urgency.level)
    ]
    assert less_urgent == []
    totals, interviewed = ev.count(scripted), ev.count(asked)
    assert interviewed["under_triage"] <= totals["under_triage"]
    if not path.name.startswith("published"):  # the published cases' own misses are the knowledge base's to fix
        assert interviewed["under_triage"] == 0
    if not path.name.startswith("published"):
        assert 100 * (totals["top3"] - interviewed["top3"]) / totals["ranked"] <= 3, (totals, interviewed)
    assert interviewed["screens_max"] <= interview.MAX_SCREENS == 16, interviewed
    if len(asked) >= 50:  # the median of a dozen cases moves by half a screen with one case
        assert interviewed["screens_median"] <= 10, interviewed


# A tuning half on which the interview misses the bound below when it first arrives, before anyone tunes on it:
# kept as a strict expected failure, so the test says when it is met, and reported in the README.
BOUND_MISSED_ON_ARRIVAL = {
    "published_round20_tune.jsonl": "on arrival the interview lost 2 of the 13 that went on (15 points): gout in a"
    " 35-year-old man, ranked as a hamstring strain in 13 screens (sex and the known gout not asked), and a"
    " footballer's torn PCL, fourth in 10 screens (sex and sport not asked); the PCL is back in the first three since"
    " round 24's lower hamstring prior, the gout is not",
    "published_round59_tune.jsonl": "on arrival the interview lost 1 of the 7 that went on (14 points): a runner with"
    " pain at the inner knee from a pes anserine tendon problem and no injury, whose sport is not asked without an"
    " injury or calf pain (osteoarthritis, pain from the hip or back and a torn cartilage came first)",
    "published_round61_tune.jsonl": "on arrival the interview lost 1 of the 5 that went on (20 points): a football"
    " captain whose knee swelled after training with no injury told and an earlier injury to it, a torn cartilage,"
    " whose sport is not asked without an injury or calf pain (osteoarthritis, pain from the hip or back and a clot"
    " came first); asking every person's sport put him back but lost 6 others from the first three over the pool",
    "published_round63_tune.jsonl": "on arrival the interview lost 1 of the 8 that went on (13 points): a tennis"
    " player of 37 who slipped and fell on clay, a torn cartilage, whose sport is not asked after an injury whose"
    " place is not said (a PCL injury, a fracture and a hamstring strain came first); asking the sport after every"
    " injury put him and one other back, but lost another from the first three, three first causes for two gained,"
    " and made the median interview that goes on a screen longer (10 to 11)",
    "published_round64_tune.jsonl": "on arrival the interview lost 1 of the 8 that went on (13 points): a former"
    " striker of 42 whose sudden heavy pain in one leg, with no injury, was two clots in it; the knee's symptoms,"
    ' whose "no"s put the clot second on the same answers, were not asked (a torn cartilage, a hamstring strain'
    " and a pes anserine bursitis came first, the clot fourth just behind them)",
}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=BOUND_MISSED_ON_ARRIVAL[p.name]))
        if p.name in BOUND_MISSED_ON_ARRIVAL
        else p
        for p in CASE_FILES
    ],
    ids=lambda p: p.name,
)
def test_the_interview_keeps_top3_within_3_points_of_the_same_answers_when_it_goes_on(path):
    """Top-3 within 3 points of the same answers on the cases whose interview goes on to the end. One that stops
    for an emergency ranks on the first screens' answers alone, by design (the person is sent for help at once,
    nothing more is asked): over every case the bound is held on our own and the example cases, and the
    published files' figures are reported in the README (one emergency stop is 1.8 points of 57)."""
    went_on = [
        (s, a)
        for s, a in zip(*_same_answers_and_interview(path), strict=True)
        if s.case.top and not _stops_for_emergency(a.result.answers)
    ]
    lost = sum(s.top3_ok for s, _ in went_on) - sum(a.top3_ok for _, a in went_on)
    assert 100 * lost / len(went_on) <= 3, [s.case.id for s, a in went_on if s.top3_ok and not a.top3_ok]


def test_at_ten_screens_one_more_question_is_asked_where_it_would_bring_a_clot_into_the_first_three():
    """Round 16's compartment syndrome without an injury: days of pain, every warning sign "no" but rest pain not
    sure. The questions that must be asked fill screens 9 and 10; the knee's symptoms, whose "no"s leave a clot
    second, were never asked and the clot stayed fourth. One more screen now asks them, and the clot the case needs
    is in the first three, as on the same answers."""
    from kneetriage import evaluate

    path = DATA / "published_round16_tune.jsonl"
    cases = evaluate.parse_cases(KB, path.read_bytes(), path.name)
    case = next(c for c in cases if c.id.startswith("pub16a-non-traumatic-lower-leg-compartment-syndrome"))
    out = evaluate.score(KB, case, interview=True)
    assert out.screens == interview.TELL_APART_SCREENS + 1
    assert out.result.answers.get("catching_or_locking") is False
    assert "dvt" in [rc.id for rc in out.result.causes[:3]]


@pytest.mark.parametrize(
    "story",
    [
        {"injury": "fall", "duration": "days", "pain_site": "centre"},
        {"injury": "none", "onset": "gradual", "duration": "weeks", "pain_site": "calf", "pain_with_activity": True},
        {"injury": "twist", "duration": "hours", "pain_site": "inner", "cramp_episodes": True},
    ],
)
def test_a_10_year_olds_interview_never_ends_in_home_care_or_shows_adult_causes_as_likely(story):
    from rich.console import Console

    from kneetriage.output import pages, terminal

    _, _, outcome = interview.simulate(KB, {"age": 10, "side": "left", **story})
    assert outcome.urgency.level != "self_care"
    rep = result.build(KB, outcome, KB.get_region("uk"))
    assert rep["child"]["applies"]
    out = io.StringIO()
    terminal.draw(pages.result(rep, KB), Console(width=80, file=out, color_system=None))
    assert "Likely causes" not in out.getvalue()
    assert "drawn up for adults" in flat(out.getvalue())


CHILD_STORIES = [
    {"injury": "twist", "onset": "sudden", "pop_at_onset": False, "duration": "hours", "pain_site": "centre"},
    {"injury": "fall", "duration": "days", "pain_site": "outer"},
    {"injury": "none", "onset": "gradual", "duration": "weeks", "pain_site": "calf"},
]


@pytest.mark.parametrize("story", CHILD_STORIES, ids=lambda s: s["injury"])
def test_a_10_year_old_typing_a_minor_story_in_the_prompts_is_sent_to_a_gp_not_home_care(keys, story):
    # Everything not in the story answered "no": the minor twist under a day once ended in "Look after it at home".
    typed, _ = interview_keys({**NO, "age": 10, "sex": "male", "side": "right", **story})
    keys.send_text(typed)
    out = run("--format", "json")
    assert out.exit_code == 0, out.output
    shown = json_after_prompts(out.stdout)
    assert shown["urgency"]["level"] != "self_care"
    assert knowledge.rank(shown["urgency"]["level"]) <= knowledge.rank("consultation")
    assert shown["child"]["applies"]
    assert any("worked out for adults" in r for r in map(str, shown["urgency"]["reasons"]))


def test_a_10_year_olds_minor_twist_from_an_answers_file_is_not_home_care(tmp_path):
    path = tmp_path / "child.json"
    story = {"age": 10, "sex": "male", "side": "right", **CHILD_STORIES[0]}
    everything_no = {f.id: False for f in KB.findings if f.type == "boolean"}
    nothing_else = {"sport": "none", "swelling_timing": "none", "known_arthritis": "none", "morning_stiffness": "none"}
    path.write_text(json.dumps({**everything_no, **nothing_else, **story}))
    out = run("--answers", str(path), "--region", "uk")
    assert out.exit_code == 0, out.output
    assert "Look after it at home" not in out.stdout
    assert "physio" in flat(out.stdout)


# -- an answer the picture already gives is not asked again ---------------------------------------

FOOTBALLER = {"age": 28, "sex": "male", "side": "right", "injury": "push_off", "sport": "pivoting", "duration": "hours"}


def test_back_of_the_thigh_on_the_picture_is_not_asked_again_nor_contradicted_in_the_prompts(keys, tmp_path):
    # Everything after the picture left unticked ("no"), as a person in a hurry would.
    iv = interview.Interview(KB)
    typed = ""
    while (screen := iv.next_screen()) is not None:
        if screen.kind == "checklist":
            assert "thigh_back_pain" not in [f.id for f in screen.findings] or "pain_site" not in iv.answers
            value = {f.id: False for f in screen.findings}
        else:
            value = interview.screen_value(
                screen,
                lambda f: (
                    "thigh" if f.id == "pain_site" else FOOTBALLER.get(f.id, False if f.type == "boolean" else None)
                ),
            )
        typed += keys_for(screen, value)
        iv.record(screen, value)
    keys.send_text(typed)
    saved = tmp_path / "a.json"
    out = run("--format", "json", "--save", str(saved))
    assert out.exit_code == 0, out.output
    shown = json_after_prompts(out.stdout)
    assert json.loads(saved.read_text())["thigh_back_pain"] is True
    said_no = [e for c in shown["causes"] for e in c["raised"] + c["lowered"] if e["finding"] == "thigh_back_pain"]
    assert all(e["answer"] is True for e in said_no)  # never "back of thigh pain: no"
    hamstring = next(c for c in shown["causes"] if c["id"] == "hamstring_injury")
    assert "for: where it hurts most: the back of the thigh (strong)" in hamstring["why"]
    assert "for: back of thigh pain (strong)" not in hamstring["why"]  # the same fact, counted once


def test_back_of_the_thigh_in_an_answers_file_counts_as_thigh_pain_unless_said_otherwise(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({**FOOTBALLER, "pain_site": "thigh"}))
    shown = json.loads(run("--answers", str(path), "--format", "json").stdout)
    assert shown["answers"]["thigh_back_pain"] is True
    assert "for: where it hurts most: the back of the thigh (strong)" in shown["causes"][0]["why"]
    path.write_text(json.dumps({**FOOTBALLER, "pain_site": "thigh", "thigh_back_pain": False}))  # said: kept
    shown = json.loads(run("--answers", str(path), "--format", "json").stdout)
    assert shown["answers"]["thigh_back_pain"] is False
    path.write_text(json.dumps({**FOOTBALLER, "pain_site": "calf"}))  # another place implies nothing
    assert "thigh_back_pain" not in json.loads(run("--answers", str(path), "--format", "json").stdout)["answers"]


# -- a child is not asked about the pill, pregnancy or smoking -------------------------------------

ADULT_ONLY = ("pregnant_or_recent_birth", "hormone_medication", "smoker")


def _asked_in_the_prompts(keys, person: dict) -> tuple[list[str], str]:
    """The finding ids on the screens a person is shown, and what the terminal printed."""
    iv = interview.Interview(KB)
    typed, asked = "", []
    while (screen := iv.next_screen()) is not None:
        asked += [f.id for f in screen.findings]
        value = interview.screen_value(screen, lambda f: person.get(f.id, _unticked(screen)))
        if screen.kind == "question" and value is None and prompts.is_pain_site(screen.finding):
            value = "all_over"
        typed += keys_for(screen, value)
        iv.record(screen, value)
    keys.send_text(typed)
    out = run("--format", "json")
    assert out.exit_code == 0, out.output
    return asked, out.stdout


@pytest.mark.parametrize("age", [7, 11])
def test_a_child_under_12_is_not_asked_about_the_pill_pregnancy_or_smoking(keys, age):
    girl = {"age": age, "sex": "female", "side": "left", "injury": "none", "onset": "sudden", "duration": "days"}
    asked, printed = _asked_in_the_prompts(keys, girl)
    assert set(ADULT_ONLY).isdisjoint(asked)
    assert set(ADULT_ONLY).isdisjoint(json_after_prompts(printed)["answers"])


@pytest.mark.parametrize("limps", [True, False])
def test_a_child_is_asked_about_a_limp_and_one_with_no_injury_is_seen_the_same_day(keys, limps):
    # Guidance: a child with knee pain who limps with no injury to explain it is seen the same day. No answer
    # recorded a limp short of a leg the child cannot stand on, so a limping child got a routine appointment.
    child = {**NO, "age": 8, "sex": "female", "side": "left", "injury": "none", "onset": "gradual"}
    child |= {"duration": "days", "pain_site": "centre", "limp": limps}
    asked, printed = _asked_in_the_prompts(keys, child)
    assert "limp" in asked
    # A tick box on the screen of the calf and leg warning signs, which every child is shown: no screen of its own.
    on_screen = interview.checklists(KB)[1].findings
    assert set(asked[asked.index(on_screen[0]) : asked.index("limp") + 1]) <= set(on_screen)
    shown = json_after_prompts(printed)
    assert shown["answers"]["limp"] is limps
    assert shown["urgency"]["level"] == ("consultation_24" if limps else "consultation")


def test_an_adult_is_never_asked_about_a_limp(keys):
    adult = {**NO, "age": 34, "sex": "male", "side": "left", "injury": "none", "onset": "gradual"}
    asked, printed = _asked_in_the_prompts(keys, adult | {"duration": "days", "pain_site": "centre"})
    assert "limp" not in asked and "limp" not in json_after_prompts(printed)["answers"]


def test_from_12_the_pill_pregnancy_and_smoking_can_be_asked():
    for fid in ADULT_ONLY:
        f = KB.finding[fid]
        assert f.ask_if.holds({"age": 12, "sex": "female"}) and f.ask_if.holds({"sex": "female"})
        assert not f.ask_if.holds({"age": 11, "sex": "female"})


# -- the progress line over whole interviews on the cases -----------------------------------------


def _progress_lines(case_answers: dict, unsure=()) -> list[str]:
    """The progress lines a case's simulated person sees, screen by screen, as the prompts print them."""
    iv = interview.Interview(KB)
    lines: list[str] = []
    while (screen := iv.next_screen()) is not None:
        left = iv.screens_left()
        value = interview.screen_value(screen, lambda f: interview.truthful_answer(case_answers, f, unsure))
        if screen.kind == "question" and value is None and prompts.is_pain_site(screen.finding):
            value = "all_over"
        for _ in range(interview.screens_taken(screen, value)):  # a "not sure" tick: then "which ones?"
            lines.append(interview.progress(len(lines) + 1, left))
        iv.record(screen, value)
    return lines


def _own_and_child_cases():
    from kneetriage import evaluate as ev

    cases = [(c.id, c.answers, c.unanswered) for c in ev.parse_cases(KB, (DATA / "own_cases.jsonl").read_bytes(), "")]
    cases += [(f"child-{s['injury']}", {"age": 10, "sex": "female", "side": "left", **s}, ()) for s in CHILD_STORIES]
    return cases


def test_the_total_the_progress_line_announces_is_never_passed_by_more_than_one_and_nearly_done_is_at_the_end():
    checked = 0
    for case_id, answers, unsure in _own_and_child_cases():
        lines = _progress_lines(answers, unsure)
        total = len(lines)
        for n, text in enumerate(lines, 1):
            assert text.startswith(f"Question {n}")
            about = re.search(r"of about (\d+)", text)
            if about:
                assert total <= int(about.group(1)) + 1, (case_id, lines)
            else:
                assert n >= total - 1, (case_id, lines)  # "nearly done" only on the last two screens
        checked += total > 8
    assert checked >= 100  # long interviews were among them


def test_the_first_progress_line_announces_about_as_many_screens_as_the_interview_takes():
    # It once said "Question 1 of about 14" to everyone, and most interviews ended at 10.
    off = []
    for _, answers, unsure in _own_and_child_cases():
        lines = _progress_lines(answers, unsure)
        about = re.search(r"of about (\d+)", lines[0])
        if len(lines) > 2:  # not a stop at the emergency screen
            off.append(int(about.group(1)) - len(lines))
    assert statistics.median(off) <= 2 and statistics.mean(off) <= 2.5, collections.Counter(off)
    assert min(off) >= -1  # and never a promise the interview breaks by more than one screen


def test_the_pain_site_question_fits_its_choices_the_thigh_and_the_calf_included():
    f = KB.finding["pain_site"]
    assert {"thigh", "calf"} <= set(f.choice_values)
    assert "behind the knee" not in f.question and "leg" in f.question  # not only the knee: the whole picture


def test_the_interview_asks_what_would_change_the_result_read_the_worst_way_before_it_stops():
    """A sudden pain with a pop and what happened not known: the pop makes an injury a possible reading
    (engine.worst_case), which needs the same day, so the pop is asked before the interview stops, and the
    interview ends as urgent as the same answers given in full."""
    signs = {f: v for f, v in NO.items() if f != "cannot_bear_weight"}  # whether they can walk is not known
    person = {**signs, "age": 31, "sex": "male", "onset": "sudden", "pop_at_onset": True}
    answers, _, outcome = interview.simulate(KB, person, ("cannot_bear_weight",))
    assert answers.get("pop_at_onset") is True
    full = engine.triage(KB, interview.everything_said(KB, person, ("cannot_bear_weight",)))
    assert full.urgency.level == "consultation_24"
    assert outcome.urgency.level == full.urgency.level
    assert any(r.startswith("you did not say what happened") for r in outcome.urgency.reasons)


@pytest.mark.parametrize(("worse", "level"), [(True, "consultation"), (False, "self_care")])
def test_whether_the_pain_is_getting_worse_is_asked_where_it_would_otherwise_be_home_care(keys, tmp_path, worse, level):
    """Weeks of an ache behind the knee with no injury and no warning sign would be home care; the interview asks
    whether it is getting worse, and a yes books a GP or physio."""
    person = {**NO, "age": 49, "sex": "male", "side": "right", "duration": "weeks", "onset": "gradual"}
    person |= {"injury": "none", "sport": "running", "pain_site": "centre", "pain_with_activity": True}
    person |= {"getting_worse": worse}
    typed, expected = interview_keys(person)
    assert expected["getting_worse"] is worse
    keys.send_text(typed)
    saved = tmp_path / "a.json"
    result = run("--format", "json", "--save", str(saved))
    assert result.exit_code == 0, result.output
    assert json.loads(saved.read_text())["getting_worse"] is worse
    assert json_after_prompts(result.stdout)["urgency"]["level"] == level


@pytest.mark.parametrize(("worse", "level"), [(True, "consultation_24"), (False, "consultation")])
def test_a_teenager_whose_knee_pain_keeps_building_for_months_ticks_it_with_the_warning_signs_and_a_growth_leads(
    keys, tmp_path, worse, level
):
    """Published teenagers whose bone tumours were taken for sports pains had months of pain that kept building.
    Whether it is getting worse is a tick beside night pain and weight loss, costing no screen; for a young
    person a yes puts a growth in the bone first and asks for a doctor within a day (guidance asks for an X-ray
    within two days for unexplained bone pain at that age); a no leaves a GP appointment."""
    person = {**NO, "age": 17, "sex": "male", "side": "left", "injury": "none", "onset": "gradual"}
    person |= {"duration": "months", "pain_site": "centre", "pain_with_activity": True, "getting_worse": worse}
    screens = _screens_of(person)
    warning_signs = [s for s in screens if s.phase == "warning_signs"]
    assert "getting_worse" in {f.id for s in warning_signs for f in s.findings}
    assert not [s for s in screens if s.kind == "question" and s.finding.id == "getting_worse"]
    saved, shown = answered_in_the_prompts(keys, tmp_path, person)
    assert saved["getting_worse"] is worse
    assert (shown["causes"][0]["id"] == "tumour") is worse
    assert shown["urgency"]["level"] == level


@pytest.mark.parametrize("unknown", ["age", "injury"])
def test_whether_it_is_getting_worse_costs_no_screen_where_a_missing_history_answer_already_rules_out_home_care(
    unknown,
):
    """A person who is not sure of their age, or of what happened, is sent to a GP whatever else they say (what
    was not said is read the worst way). "Is it getting worse?" is a tick on the warning-sign screen, so it costs
    them no screen, and the answer is kept: ticked or not, the interview is as long and ends at the same GP."""
    person = {**NO, "age": 49, "sex": "male", "side": "right", "duration": "weeks", "onset": "gradual"}
    person |= {"injury": "none", "sport": "running", "pain_site": "centre", "pain_with_activity": True}
    del person[unknown]
    worse = interview.simulate(KB, {**person, "getting_worse": True}, ())
    easing = interview.simulate(KB, {**person, "getting_worse": False}, ())
    assert worse[0]["getting_worse"] is True and easing[0]["getting_worse"] is False
    screens = _screens_of({**person, "getting_worse": True})
    asked_on = [s.phase for s in screens if "getting_worse" in {f.id for f in s.findings}]
    assert asked_on == ["warning_signs"]
    assert worse[1] == easing[1]
    assert worse[2].urgency.level == easing[2].urgency.level == "consultation"
    assert "getting_worse" not in worse[2].not_checked
    # Told their age and what happened, the same person's answer decides: worse books the GP, easing stays home.
    told = {**person, unknown: {"age": 49, "injury": "none"}[unknown]}
    assert interview.simulate(KB, {**told, "getting_worse": True}, ())[2].urgency.level == "consultation"
    assert interview.simulate(KB, {**told, "getting_worse": False}, ())[2].urgency.level == "self_care"


def test_a_back_that_hurts_too_is_ticked_on_the_warning_sign_screen_and_puts_pain_from_the_back_first(keys, tmp_path):
    # Weeks of aching all over the back of the knee with a sore lower back: the back is one line of the warning-sign
    # screen, with the lump and the calf's symptoms (no screen of its own), and ticking it puts pain from the back
    # first.
    person = {
        "age": 52,
        "sex": "female",
        "side": "left",
        "injury": "none",
        "onset": "gradual",
        "duration": "weeks",
        "pain_site": "all_over",
        "back_pain": True,
    }
    iv, lines_of = interview.Interview(KB), []
    while (screen := iv.next_screen()) is not None:
        lines_of.append([f.id for f in screen.findings] if screen.kind == "checklist" else [])
        iv.record(screen, interview.screen_value(screen, lambda f: interview.truthful_answer(person, f)))
    assert any("back_pain" in ids and "lump_behind_knee" in ids and "cramp_episodes" in ids for ids in lines_of)
    saved, shown = answered_in_the_prompts(keys, tmp_path, person)
    assert saved["back_pain"] is True
    assert shown["causes"][0]["id"] == "referred_pain"
    assert "for: low back pain, or pain shooting down from the back or buttock (moderate)" in shown["causes"][0]["why"]


def test_a_back_that_hurts_brings_the_question_on_a_numb_bottom_or_bladder_and_a_yes_stops_for_an_emergency(
    keys, tmp_path
):
    # Cauda equina: back pain with numbness of the saddle or new trouble with urine or stools. The question comes
    # only after the back is ticked, on the next tick-box screen (no screen of its own), and a yes stops the
    # interview with the emergency department.
    person = {
        "age": 45,
        "sex": "male",
        "side": "left",
        "injury": "none",
        "onset": "sudden",
        "duration": "days",
        "pain_site": "thigh",
        "back_pain": True,
        "saddle_numb_or_bladder": True,
    }
    saved, shown = answered_in_the_prompts(keys, tmp_path, person)
    assert saved["saddle_numb_or_bladder"] is True
    assert shown["urgency"]["level"] == "emergency"
    assert any("base of the spine" in r for r in shown["urgency"]["reasons"])
    assert not shown["self_care"]["given"]
    without_back = interview_keys({**person, "back_pain": False})[1]
    assert "saddle_numb_or_bladder" not in without_back  # never asked without a back that hurts
