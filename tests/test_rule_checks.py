"""The red-flag rules are checked, on the triage path, by functions made once from each rule's condition
(engine._compiled_rules). These tests hold them to the readable definition, engine.open_findings, and to
Condition.holds: the same rules fire and the same answers are waited for, on generated answers, on every
written and published case, and on hand-made conditions that use every kind of test."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from strategies import CHEAP, KB, cases

from kneetriage import engine
from kneetriage.knowledge import Condition

DATA = Path(__file__).parent / "data"


def _by_definition(kb, answers):
    ask_if, _ = engine._precomputed(kb)
    return [(rule.id, engine.open_findings(rule.when, answers, ask_if)) for rule in kb.red_flag_rules]


def _compiled(kb, answers):
    return [(rule.id, check(answers)) for rule, check in engine._compiled_rules(kb)]


def _states(kb, answers):
    fired, open_ = engine._rule_states(kb, answers)
    return [r.id for r in fired], [(r.id, missing) for r, missing in open_]


@given(case=cases())
@CHEAP
def test_compiled_rule_checks_agree_with_the_definition_on_any_answers(case):
    assert _compiled(KB, case) == _by_definition(KB, case)
    ask_if, _ = engine._precomputed(KB)
    gates = engine._compiled_gates(KB)
    assert {f: gates[f](case) for f in ask_if} == {f: engine.open_findings(g, case, ask_if) for f, g in ask_if.items()}
    fired, _ = _states(KB, case)
    assert fired == [rule.id for rule in KB.red_flag_rules if rule.when.holds(case)]


def test_compiled_rule_checks_agree_with_the_definition_on_every_case_file():
    checked = 0
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            answers = json.loads(line).get("answers")
            if not isinstance(answers, dict):
                continue
            assert _compiled(KB, answers) == _by_definition(KB, answers), path.name
            checked += 1
    assert checked > 500


def _leaf(**fields) -> Condition:
    return Condition(finding="x", **fields)


def test_every_kind_of_test_is_compiled_as_defined():
    ask_if = {"gated": Condition(finding="opener", is_=True)}
    conditions = [
        _leaf(is_=True),
        _leaf(is_=1),
        _leaf(in_=("a", "b")),
        _leaf(in_=(True, 2)),
        _leaf(min=3),
        _leaf(max=3),
        _leaf(min=2, max=4, or_unknown=True),
        _leaf(is_="a", or_unknown=True),
        Condition(finding="gated", is_=True),
        Condition(all=(Condition(any=(_leaf(is_=True), Condition(finding="y", is_=True))), _leaf(in_=("a",)))),
        Condition(any=(Condition(all=(Condition(finding="gated", is_=True), _leaf(max=1))), _leaf(is_="b"))),
        Condition(all=(_leaf(is_=True), Condition(finding="y", is_=False), Condition(finding="gated", is_=True))),
        Condition(all=(Condition(finding="y", is_=True), _leaf(min=2), _leaf(is_="a", or_unknown=True))),
        Condition(all=(_leaf(in_=()), Condition(finding="y", in_=(True,), or_unknown=True))),
        Condition(all=(Condition(finding="gated", in_=(True,), or_unknown=True), _leaf(in_=(1, "a")))),
        Condition(all=()),
        Condition(any=()),
    ]
    values = [None, True, False, 0, 1, 2, 3, 5, 1.0, 2.0, "a", "b", "c", [1], {"a": 1}]
    gates: dict = {}
    gates["gated"] = engine._compile_open(ask_if["gated"], ask_if, gates)
    for cond in conditions:
        check = engine._compile_open(cond, ask_if, gates)
        for x in values:
            for y in (None, True, False):
                for opener in (None, True, False):
                    answers = {k: v for k, v in (("x", x), ("y", y), ("opener", opener)) if v is not None}
                    assert check(answers) == engine.open_findings(cond, answers, ask_if), (cond, answers)
