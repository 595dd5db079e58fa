"""`kneetriage check` refuses every edit that could weaken safety, naming the JSON path (docs/safety.md, H09).

Each test starts from the shipped knowledge base, makes one edit a careless or hurried editor
could make, and runs the real command on the file: exit 2, one line, the JSON path of the edit.
"""

from __future__ import annotations

import json

import pytest

from kneetriage import knowledge

SHIPPED = knowledge.default_path().read_text(encoding="utf-8")


def raw_kb() -> dict:
    return json.loads(SHIPPED)


def index_of(items: list[dict], item_id: str) -> int:
    return next(i for i, item in enumerate(items) if item["id"] == item_id)


def refused(run, tmp_path, text: str) -> str:
    path = tmp_path / "edited.json"
    path.write_text(text, encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kneetriage: error: knowledge base {path}"), result.stderr
    assert "Traceback" not in result.output and result.stdout == ""
    return lines[0]


def test_the_shipped_file_passes_the_strict_check(run):
    """The same rules as an edited file: no repeated key anywhere in what ships."""
    assert knowledge.load(knowledge.default_path(), strict=True).version
    assert run("check").exit_code == 0


def test_a_repeated_top_level_key_is_refused_not_last_one_wins(run, tmp_path):
    """A second, weakened red_flag_rules after the real one would win in a plain JSON reader."""
    data = raw_kb()
    weakened = [dict(r, level="self_care") for r in data["red_flag_rules"]]
    text = json.dumps(data, indent=1)
    text = text[: text.rindex("}")] + ', "red_flag_rules": ' + json.dumps(weakened) + "}"
    line = refused(run, tmp_path, text)
    assert "at $: key 'red_flag_rules' appears more than once" in line


def test_a_repeated_source_key_is_refused(run, tmp_path):
    data = raw_kb()
    first = next(iter(data["sources"]))
    text = json.dumps(data, indent=1)
    entry = f'"{first}": ' + json.dumps(data["sources"][first])
    text = text.replace('"sources": {', '"sources": {' + entry + ", ", 1)
    assert text.count(f'"{first}":') >= 2
    line = refused(run, tmp_path, text)
    assert f"at $.sources: key '{first}' appears more than once" in line


def test_a_repeated_key_deep_inside_is_refused_with_its_path(run, tmp_path):
    data = raw_kb()
    i = index_of(data["red_flag_rules"], "possible_lung_clot")
    text = json.dumps(data)
    text = text.replace('"id": "possible_lung_clot",', '"id": "possible_lung_clot", "level": "self_care",', 1)
    line = refused(run, tmp_path, text)
    assert f"at $.red_flag_rules[{i}]: key 'level' appears more than once" in line


@pytest.mark.parametrize("group", ["findings", "causes", "red_flag_rules"])
def test_a_duplicate_id_is_refused(run, tmp_path, group):
    data = raw_kb()
    data[group].append(data[group][0])
    line = refused(run, tmp_path, json.dumps(data))
    assert f"at $.{group}[{len(data[group]) - 1}].id: duplicate" in line


def test_a_cause_citing_one_source_twice_is_refused(run, tmp_path):
    data = raw_kb()
    data["causes"][0]["sources"].append(data["causes"][0]["sources"][0])
    line = refused(run, tmp_path, json.dumps(data))
    assert f"at $.causes[0].sources[{len(data['causes'][0]['sources']) - 1}]" in line and "twice" in line


def test_an_ask_if_cycle_is_refused(run, tmp_path):
    """cramp_long is asked if cramp_episodes is yes; make cramp_episodes wait for cramp_long."""
    data = raw_kb()
    i = index_of(data["findings"], "cramp_episodes")
    data["findings"][i]["ask_if"] = {"finding": "cramp_long", "is": True}
    line = refused(run, tmp_path, json.dumps(data))
    assert "ask_if goes round in a circle" in line
    assert (
        "cramp_episodes -> cramp_long -> cramp_episodes" in line or "cramp_long -> cramp_episodes -> cramp_long" in line
    )


def test_a_question_asked_only_if_itself_is_answered_is_refused(run, tmp_path):
    data = raw_kb()
    i = index_of(data["findings"], "sport")
    data["findings"][i]["ask_if"] = {"finding": "sport", "is": "running"}
    line = refused(run, tmp_path, json.dumps(data))
    assert f"at $.findings[{i}].ask_if: ask_if goes round in a circle: sport -> sport" in line


def nested(depth: int) -> dict:
    condition = {"finding": "age", "min": 12}
    for _ in range(depth - 1):
        condition = {"all": [condition]}
    return condition


def test_a_condition_just_within_the_depth_limit_is_accepted(run, tmp_path):
    data = raw_kb()
    data["findings"][index_of(data["findings"], "sport")]["ask_if"] = nested(knowledge.MAX_CONDITION_DEPTH)
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert run("check", str(path)).exit_code == 0


def test_an_over_deep_condition_is_refused_naming_where(run, tmp_path):
    data = raw_kb()
    i = index_of(data["findings"], "sport")
    data["findings"][i]["ask_if"] = nested(knowledge.MAX_CONDITION_DEPTH + 1)
    line = refused(run, tmp_path, json.dumps(data))
    assert f"at $.findings[{i}].ask_if.all[0]" in line and f"more than {knowledge.MAX_CONDITION_DEPTH} deep" in line


def test_a_3000_deep_condition_is_one_line_not_a_recursion_error(run, tmp_path):
    text = json.dumps(raw_kb())
    deep = '{"all": [' * 3000 + '{"finding": "age", "min": 12}' + "]}" * 3000
    text = text.replace('"findings": [{', '"findings": [{"ask_if": ' + deep + ", ", 1)
    line = refused(run, tmp_path, text)
    assert "nested too deeply" in line


@pytest.mark.parametrize("flag", sorted(knowledge.CONTRACT_RED_FLAGS & {f.id for f in knowledge.load().findings}))
def test_a_red_flag_moved_out_of_its_group_is_refused(run, tmp_path, flag):
    """Moved to 'symptom', it would no longer be asked first nor listed as not checked."""
    data = raw_kb()
    i = index_of(data["findings"], flag)
    data["findings"][i]["group"] = "symptom"
    line = refused(run, tmp_path, json.dumps(data))
    assert f"at $.findings[{i}].group" in line and "must be in group red_flag" in line


@pytest.mark.parametrize(
    "rule_id",
    [r.id for r in knowledge.load().red_flag_rules if r.level in knowledge.EMERGENCY_LEVELS],
)
def test_an_emergency_rule_without_its_hazard_is_refused(run, tmp_path, rule_id):
    """Without the hazard, home-care advice would be printed under 'Call 999'."""
    data = raw_kb()
    i = index_of(data["red_flag_rules"], rule_id)
    del data["red_flag_rules"][i]["hazard"]
    line = refused(run, tmp_path, json.dumps(data))
    assert f"at $.red_flag_rules[{i}].hazard: emergency rule '{rule_id}' names no hazard" in line


def test_a_latin_1_byte_is_one_line(run, tmp_path):
    path = tmp_path / "edited.json"
    path.write_bytes(SHIPPED.encode("utf-8").replace(b'"disclaimer": "', b'"disclaimer": "caf\xe9 ', 1))
    result = run("check", str(path))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "not UTF-8" in result.stderr and "0xe9" in result.stderr


@pytest.mark.parametrize("value", ["NaN", "Infinity", "9" * 5000])
def test_odd_numbers_in_a_knowledge_base_are_one_line(run, tmp_path, value):
    data = raw_kb()
    text = json.dumps(data).replace('"prior": ', f'"prior": {value}, "x": ', 1)
    line = refused(run, tmp_path, text)
    assert "not a valid JSON value" in line or "5000 digits" in line


def test_every_check_is_a_named_function_run_by_validate():
    """validate is a list of named checks (the 126-line function is gone)."""
    names = [check.__name__ for check in knowledge.CHECKS]
    assert len(names) == len(set(names)) >= 8
    assert {"ask_if_without_cycles", "condition_depths", "contract_red_flags_in_their_group"} <= set(names)


def test_a_milder_floor_as_urgent_as_the_full_one_is_refused(run, tmp_path):
    """The exercise-linked kind of compartment syndrome may have a milder floor, never an equal or higher one."""
    data = raw_kb()
    i = index_of(data["causes"], "compartment_syndrome")
    data["causes"][i]["milder_floor"]["level"] = "emergency_ambulance"
    line = refused(run, tmp_path, json.dumps(data))
    assert f"at $.causes[{i}].milder_floor.level" in line and "less urgent" in line
