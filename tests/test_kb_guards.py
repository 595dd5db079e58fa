"""Knowledge-base edits that would weaken safety are caught: by validation at load, or by the red-flag specification.

Two layers (docs/safety.md, hazard H09):
- validation at load refuses weights and rules by which reporting a red flag could
  lower the urgency (`kneetriage check` names the JSON path);
- the red-flag specification in tests/test_red_flag_spec.py, written independently of
  the data file, and the shipped safety specification (data/safety_spec.json, run by
  `kneetriage check`) fail when any red-flag rule is made less urgent. The test below
  proves that for every rule in the shipped file, one at a time.
"""

from __future__ import annotations

import copy
import json

import pytest
from test_red_flag_spec import SPEC, all_clear

from kneetriage import engine, knowledge, spec
from kneetriage.errors import KnowledgeBaseError
from kneetriage.knowledge import LEVELS, rank


def raw_kb() -> dict:
    return json.loads(knowledge.default_path().read_text(encoding="utf-8"))


def parse(data: dict):
    return knowledge.parse(json.dumps(data).encode(), "edited.json")


def cause(data: dict, cause_id: str) -> dict:
    return next(c for c in data["causes"] if c["id"] == cause_id)


def rule(data: dict, rule_id: str) -> dict:
    return next(r for r in data["red_flag_rules"] if r["id"] == rule_id)


REFUSED = [
    (
        "a red flag that lowers an urgent cause, written with 'in'",
        lambda d: cause(d, "septic_arthritis")["evidence"].append(
            {"finding": "fever", "in": [True], "lr": 0.5, "basis": "judgement"}
        ),
        "must not lower urgent cause 'septic_arthritis'",
    ),
    (
        "a 'no' to a red flag that raises an urgent cause",
        lambda d: cause(d, "septic_arthritis")["evidence"].append(
            {"finding": "night_pain", "is": False, "lr": 60, "basis": "judgement"}
        ),
        "a 'no' to red flag 'night_pain' must not raise urgent cause 'septic_arthritis'",
    ),
    (
        "a rule that needs a red flag to be absent",
        lambda d: rule(d, "fever_hot_knee")["when"]["all"].append({"finding": "knee_deformed", "is": False}),
        "must not need a 'no' to red flag 'knee_deformed'",
    ),
    (
        "a rule that needs a red flag to be absent, inside 'any'",
        lambda d: rule(d, "swollen_tender_calf")["when"]["all"][1]["any"].append({"finding": "fever", "in": [False]}),
        "$.red_flag_rules[",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "problem"), REFUSED, ids=[r[0] for r in REFUSED])
def test_weakening_edits_are_refused_at_load(name, mutate, problem):
    data = copy.deepcopy(raw_kb())
    mutate(data)
    with pytest.raises(KnowledgeBaseError) as refused:
        parse(data)
    assert problem in refused.value.message


def test_check_names_the_path_of_a_weakening_edit(run, tmp_path):
    data = copy.deepcopy(raw_kb())
    cause(data, "dvt")["evidence"].append({"finding": "calf_tender", "is": False, "lr": 3, "basis": "judgement"})
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", str(edited))
    assert result.exit_code == 2
    assert "$.causes[" in result.stderr and "must not raise urgent cause 'dvt'" in result.stderr


def triggering_answers(cond: dict) -> dict:
    """Answers that make a rule's condition hold (the first way, where there are several)."""
    if "all" in cond:
        out: dict = {}
        for child in cond["all"]:
            out |= triggering_answers(child)
        return out
    if "any" in cond:
        return triggering_answers(cond["any"][0])
    if "is" in cond:
        return {cond["finding"]: cond["is"]}
    if "in" in cond:  # an empty list with or_unknown holds only while the finding is not answered
        return {cond["finding"]: cond["in"][0]} if cond["in"] else {}
    return {cond["finding"]: cond.get("min", cond.get("max"))}


def spec_failures(kb) -> list[str]:
    failed = []
    for name, added, least in SPEC:
        level = engine.triage(kb, all_clear() | added).urgency.level
        if rank(level) > rank(least):
            failed.append(f"{name}: {level}, needs {least}")
    # The shipped safety specification (data/safety_spec.json), which `kneetriage check` runs.
    failed += [f"{line.id}: {problem}" for line, problem in spec.failures(kb)]
    return failed


SHIPPED_RULES = [r["id"] for r in raw_kb()["red_flag_rules"]]


@pytest.mark.parametrize("rule_id", SHIPPED_RULES)
def test_every_weakened_rule_fails_the_red_flag_specification(rule_id):
    """Lower one rule by one level in a copy of the shipped file. Where that lowers the urgency of the very
    answers that fire the rule (another rule may cover them just as urgently), a specification row must fail."""
    data = copy.deepcopy(raw_kb())
    r = rule(data, rule_id)
    if r["level"] == LEVELS[-1]:
        pytest.skip("already the least urgent level")
    shipped = parse(data)
    r["level"] = LEVELS[rank(r["level"]) + 1]
    weakened = parse(data)
    trigger = all_clear() | triggering_answers(r["when"])
    before = engine.triage(shipped, trigger).urgency.level
    after = engine.triage(weakened, trigger).urgency.level
    assert spec_failures(shipped) == []
    if after == before:
        return  # another rule gives the same answers the same urgency: nothing was weakened for them
    assert spec_failures(weakened), f"rule {rule_id} lowered to {r['level']} ({before} -> {after}) went unnoticed"


def test_check_warns_when_the_review_is_overdue(run, tmp_path):
    data = copy.deepcopy(raw_kb())
    data["reviewed"], data["next_review"] = "2000-01-01", "2001-01-01"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", str(old))
    assert result.exit_code == 0 and "overdue" in result.stdout
    assert "overdue" not in run("check").stdout, "the shipped file is within its review date"
