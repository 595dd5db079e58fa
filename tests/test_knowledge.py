"""The knowledge base: complete against the contract, sourced, and guarded by validation at load."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from kneetriage import knowledge

REPO = Path(__file__).resolve().parents[1]

CONTRACT_FINDINGS = [
    "age",
    "sex",
    "side",
    "duration",
    "onset",
    "injury",
    "sport",
    "pop_at_onset",
    "breathless_or_chest_pain",
    "leg_cold_pale_or_blue",
    "leg_numb_or_tingling",
    "knee_deformed",
    "cannot_bear_weight",
    "severe_pain_at_rest",
    "knee_locked",
    "fever",
    "knee_hot_red",
    "knee_very_swollen",
    "calf_swollen",
    "calf_tender",
    "calf_warm_red",
    "veins_swollen",
    "whole_leg_swollen",
    "night_pain",
    "weight_loss",
    "recent_surgery_or_bedrest",
    "long_travel",
    "previous_clot",
    "active_cancer",
    "leg_in_cast",
    "pregnant_or_recent_birth",
    "hormone_medication",
    "smoker",
    "overweight",
    "known_arthritis",
    "joint_replacement",
    "previous_knee_injury",
    "other_joints",
    "swelling_timing",
    "lump_behind_knee",
    "fluid_down_calf",
    "bruising_down_leg",
    "catching_or_locking",
    "giving_way",
    "pain_on_twisting",
    "pain_kneeling",
    "pain_downstairs",
    "pain_rising_or_upstairs",
    "pain_with_activity",
    "morning_stiffness",
    "stiff_after_rest",
    "grinding",
    "cannot_fully_straighten",
    "cannot_fully_bend",
    "tiptoe_pain",
    "thigh_back_pain",
    "inner_knee_below_joint",
    "cramp_episodes",
    "cramp_at_night",
    "cramp_long",
    # interface 1.1
    "pain_site",
    "foot_weak",
    "fainted",
    "cannot_bend_90",
    "blood_thinners",
    "recent_knee_procedure",
    "weak_immune_system",
    "lump_pulsates",
    "calf_pain_on_exercise",
]
CONTRACT_ENUMS = {
    "sex": ["female", "male", "other"],
    "side": ["left", "right", "both"],
    "duration": ["hours", "days", "weeks", "months"],
    "onset": ["sudden", "gradual"],
    "injury": ["none", "twist", "blow_to_front", "overstretch", "push_off", "fall", "other"],
    "sport": ["none", "pivoting", "running", "other"],
    "known_arthritis": ["none", "osteoarthritis", "rheumatoid", "gout", "other"],
    "swelling_timing": ["none", "within_hours", "next_day", "comes_and_goes"],
    "morning_stiffness": ["none", "under_30_min", "over_30_min"],
    "pain_site": ["centre", "inner", "outer", "calf", "thigh", "all_over"],
}


def test_every_contract_finding_has_a_plain_question(kb):
    assert set(CONTRACT_FINDINGS) <= set(kb.finding)
    for fid in CONTRACT_FINDINGS:
        f = kb.finding[fid]
        assert f.question.endswith("?") and f.label and f.help, fid
    for fid, values in CONTRACT_ENUMS.items():
        assert list(kb.finding[fid].choice_values) == values
    assert kb.finding["age"].min == 0 and kb.finding["age"].max == 120


def test_every_cause_is_described_advised_and_sourced(kb):
    for c in kb.causes:
        assert len(c.description.split()) >= 20, c.id
        assert c.typical and c.see_doctor and c.advice, c.id
        assert c.sources, c.id
        for s in c.sources:
            assert kb.sources[s].url.startswith("http")
        assert c.evidence, c.id


def test_weights_say_where_they_come_from(kb):
    bases = {e.basis for c in kb.causes for e in c.evidence}
    assert "judgement" in bases, "clinical-judgement weights are marked"
    assert bases - {"judgement"} <= set(kb.sources)


HAZARDOUS_LEVELS = ("emergency_ambulance", "emergency", "consultation_24")


def test_every_ratio_is_judgement_or_quotes_its_figure_from_its_source(kb):
    """A ratio tied to a source says, in its notes, the figure and where the source gives it."""
    sourced = 0
    for c in kb.causes:
        for e in c.evidence:
            if e.basis == "judgement":
                continue
            sourced += 1
            assert e.basis in kb.sources, (c.id, e.finding)
            assert f"{e.lr:g}" in e.notes, f"{c.id}/{e.finding}: notes must quote the figure {e.lr:g}"
            assert "LR" in e.notes, f"{c.id}/{e.finding}: notes must say which ratio of the source it is"
    assert sourced, "the few ratios a source does report stay tied to it"


def test_no_unsourced_ratio_lowers_a_cause_that_needs_help_today(kb):
    """Lowering a clot, an infection, a fracture ... needs a source that gives that number."""
    for c in kb.causes:
        if c.hazard or c.urgency_floor in HAZARDOUS_LEVELS:
            for e in c.evidence:
                assert e.lr >= 1 or e.basis != "judgement", f"{c.id}: unsourced lr {e.lr} for {e.finding}"


def test_where_it_hurts_weighs_every_cause_and_every_1_1_finding_is_used(kb):
    for c in kb.causes:
        assert any(e.finding == "pain_site" for e in c.evidence), c.id
    used = {e.finding for c in kb.causes for e in c.evidence}
    new = {"pain_site", "foot_weak", "fainted", "cannot_bend_90", "blood_thinners", "recent_knee_procedure",
           "weak_immune_system", "lump_pulsates", "calf_pain_on_exercise"}  # fmt: skip
    assert new <= used, new - used


def test_cause_texts_name_services_through_the_region_placeholders(kb):
    for c in kb.causes:
        for text in (c.description, c.typical, c.see_doctor, *c.advice):
            for word in ("A&E", "999", "NHS", "emergency number", "urgent-care line"):
                assert word not in text, f"{c.id}: '{word}' in {text!r}"


def test_a_see_doctor_opening_left_out_under_a_more_urgent_verdict_is_an_instruction_not_a_condition(kb):
    """Under a more urgent verdict the first sentence of "when to see a doctor" is left out where
    `see_doctor_opens_with` is set, so that sentence must be the unconditional one (no "if": a condition such as
    "Go to A&E now if the knee looks misshapen" must stay; "even if" is no condition), and a sentence must follow
    it that reads on its own."""
    marked = [c for c in kb.causes if c.see_doctor_opens_with is not None]
    assert {c.id for c in marked} >= {"dvt", "bakers_cyst_rupture", "septic_arthritis", "cellulitis"}
    for c in marked:
        first, _, rest = c.see_doctor.partition(". ")
        assert " if " not in f" {first} ".replace("even if", ""), f"{c.id}: {first!r}"  # "even if" is no condition
        assert rest[:1].isupper() and not rest.startswith(("It ", "This ", "Otherwise")), f"{c.id}: {rest!r}"


def test_regions_have_the_right_numbers(kb):
    numbers = {r.id: (r.emergency, r.urgent) for r in kb.regions}
    assert numbers["uk"][0] == "999" and "111" in numbers["uk"][1]
    assert numbers["us"][0] == "911"
    assert numbers["eu"][0] == "112"
    assert numbers["au"][0] == "000" and "1800 022 222" in numbers["au"][1]


def test_has_a_content_version_and_review_date(kb):
    assert kb.version and kb.reviewed <= kb.next_review


def test_schema_file_matches_the_structs():
    shipped = knowledge.default_path().with_name("knowledge.schema.json")
    assert json.loads(shipped.read_text()) == json.loads(json.dumps(knowledge.json_schema(), sort_keys=True))


def raw_kb() -> dict:
    return json.loads(knowledge.default_path().read_text(encoding="utf-8"))


def _break(mutate) -> dict:
    data = copy.deepcopy(raw_kb())
    mutate(data)
    return data


BROKEN = [
    (
        "unknown finding in a weight",
        lambda d: d["causes"][0]["evidence"][0].update(finding="calf_swolen"),
        "$.causes[0].evidence[0].finding",
        "unknown finding 'calf_swolen' (did you mean 'calf_swollen'?)",
    ),
    (
        "unknown finding in a rule",
        lambda d: d["red_flag_rules"][0]["when"].update(finding="fevr"),
        "$.red_flag_rules[0].when.finding",
        "unknown finding 'fevr'",
    ),
    (
        "bad urgency level",
        lambda d: d["red_flag_rules"][0].update(level="urgent"),
        "$.red_flag_rules[0].level",
        "invalid enum value 'urgent'; allowed: emergency_ambulance, emergency",
    ),
    (
        "duplicate cause id",
        lambda d: d["causes"][1].update(id=d["causes"][0]["id"]),
        "$.causes[1].id",
        "duplicate cause id",
    ),
    (
        "duplicate finding id",
        lambda d: d["findings"][1].update(id=d["findings"][0]["id"]),
        "$.findings[1].id",
        "duplicate finding id",
    ),
    (
        "weight out of range",
        lambda d: d["causes"][0]["evidence"][0].update(lr=500),
        "$.causes[0].evidence[0].lr",
        "<= 100.0",
    ),
    (
        "missing source",
        lambda d: d["causes"][2].update(sources=[]),
        "$.causes[2].sources",
        "cites no source",
    ),
    (
        "source not in the list",
        lambda d: d["causes"][2].update(sources=["made-up-paper"]),
        "$.causes[2].sources[0]",
        "unknown source 'made-up-paper'",
    ),
    (
        "value that does not fit the finding",
        lambda d: d["causes"][0]["evidence"][0].update({"is": "sideways"}),
        "$.causes[0].evidence[0]",
        "does not fit finding",
    ),
    (
        "unknown field",
        lambda d: d["causes"][0].update(colour="red"),
        "$.causes[0]",
        "unknown field `colour`",
    ),
    (
        "red flag with no rule",
        lambda d: d.update(red_flag_rules=[r for r in d["red_flag_rules"] if "weight_loss" not in json.dumps(r)]),
        "$.findings[",
        "red flag 'weight_loss' has no red-flag rule",
    ),
    (
        "red flag that lowers an urgent cause",
        lambda d: next(c for c in d["causes"] if c["id"] == "dvt")["evidence"].append(
            {"finding": "calf_tender", "is": True, "lr": 0.2, "basis": "judgement"}
        ),
        ".lr",
        "must not lower urgent cause 'dvt'",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "path", "problem"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_copy_is_refused_with_file_path_and_problem(run, tmp_path, name, mutate, path, problem):
    bad = tmp_path / "broken-kb.json"
    bad.write_text(json.dumps(_break(mutate)), encoding="utf-8")
    for args in (["check", str(bad)], ["ask", "--answers", "-", "--data", str(bad)]):
        result = run(*args, input="{}")
        assert result.exit_code == 2, result.output
        line = result.stderr.strip()
        assert "\n" not in line and "Traceback" not in result.output
        assert str(bad) in line and path in line and problem in line, line


def test_invalid_json_knowledge_base(run, tmp_path):
    bad = tmp_path / "kb.json"
    bad.write_text('{"version": ', encoding="utf-8")
    result = run("check", str(bad))
    assert result.exit_code == 2 and "not valid JSON" in result.stderr


# Every version the shipped knowledge base has been given, with the fingerprint of its content. A version once
# given names that content for good: reports, sheets and `evaluate` print it, so a doctor or a researcher reading
# one can tell which ratios and rules made it. Changing the content means a new version and a new line here.
VERSIONS = {
    "2026.11.1": "dfd2f379a93315b90a04295c4c849a741528cf801321c3b6db3565c992605f99",
    "2026.11.2": "b743cffe69082d030f1026b466a91821c8b2c6ec045837de32c94ea79972948c",
    "2026.11.3": "92c46795720acfea31da7ffbe18c7fb34c7d3bf7cde0a82fcb3561857d9dad2e",
    "2026.11.4": "a513d64d9accc4c1d1c283cedd32b038d727cdeba39193e9046a74ec4cf9bf4d",
    "2026.11.5": "5e12d40cf4db8110490ef0c7daeebb1fbf6c0d19dc63cbb45ed7c7676e3d6d4b",
    "2026.11.6": "c243a6f79d5b42a7ffeb539eef3cc84c977d2ecee47b1cac9f1073f1b6353433",
    "2026.11.7": "77d4bb97a281366fe56b731302197c4b4eeb670bbf230b685177e1999a839cbb",
    "2026.11.8": "214c39dc6ff15d169cd844ebacd5da08f4afc1bee871bea0014bcadab208dfa4",
    "2026.11.9": "5bc4eb28730e1905c3726efd1d49cd8af4019c547d77dbe4b13309cfbd14fe1a",
    "2026.11.10": "aaf21d120bc227e0aac52c1f614a7aad1e34d45307df8f638410b9457aac39d0",
    "2026.11.11": "86c8526b08adadff9d07f76f796a897825a0b57fde6dae83e5334668d2cf25c3",
    "2026.11.12": "a2f56c679ba3db1dfcba2017f979c3925c7085f7975dafe14ea57900d36ec158",
    "2026.11.13": "d34630fad6d870c12bd76e8e859c92ead29a91732d94ed632d894367a0d051c9",
    "2026.11.14": "83a0172da5c26f3a0c75dd9a61dd9e3b0a17e101f0bb4ea3302641be9d93afe9",
    "2026.11.15": "ee0624e7e5c046e4d6bd023c2ca9cfe8a358ca12e6d77863f200c42cc1ab51c1",
    "2026.11.16": "a2683ca5c9b0c23e1b931b11b2e6027da7d8fbbf7d4cc444bc007a3e97285e6a",
    "2026.11.17": "4a3419bdeea5d79963e287b07b7ad151105db449a3c3873fc1d174c6fc357992",
    "2026.11.18": "781438ed4b02323fd0d7cd5e15d2cd9a058291960007be38509c2f906e44f8d6",
    "2026.11.19": "5a95e456c5f71fc2b96ceff9044ca417e4a8de4d8f613f187b6a1c6ce0cdcf5d",
}


def test_the_shipped_version_names_its_content():
    raw = knowledge.default_path().read_bytes()
    kb = knowledge.parse(raw, "data/knowledge.json")
    content = knowledge.fingerprint(raw)
    assert kb.content_sha256 == content, (
        f"data/knowledge.json changed since version {kb.version} was recorded: give it a new version, set "
        f"content_sha256 to {content} and add the pair to VERSIONS"
    )
    assert VERSIONS.get(kb.version) == content, (
        f"version {kb.version} is not in VERSIONS with this content: a version once given keeps its content"
    )
    assert len(set(VERSIONS.values())) == len(VERSIONS), "two versions were given the same content"


def test_check_notes_content_changed_under_the_same_version(run, tmp_path):
    data = raw_kb()
    data["causes"][0]["description"] += " Edited."  # same version, other content
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, indent=1), encoding="utf-8")
    result = run("check", str(edited))
    said = "".join(result.stdout.split())  # the note is wrapped to the terminal
    assert result.exit_code == 0 and "contenthaschangedsinceversion2026" in said
    assert "newversion" in said and knowledge.fingerprint(edited.read_bytes()) in said


def test_check_says_nothing_of_content_that_was_only_reformatted_or_reviewed(run, tmp_path):
    data = raw_kb()
    for name, text in (("compact.json", json.dumps(data)), ("sorted.json", json.dumps(data, sort_keys=True))):
        (tmp_path / name).write_text(text, encoding="utf-8")
        result = run("check", str(tmp_path / name))
        assert result.exit_code == 0 and "content" not in result.stdout, name
    data["reviewed"] = data["next_review"]  # a review that changed nothing keeps the version
    (tmp_path / "reviewed.json").write_text(json.dumps(data), encoding="utf-8")
    assert "content" not in run("check", str(tmp_path / "reviewed.json")).stdout


def test_check_offers_a_fingerprint_to_a_file_without_one(run, tmp_path):
    data = raw_kb()
    del data["content_sha256"]
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", str(bare))
    said = "".join(result.stdout.split())
    assert result.exit_code == 0 and "nocontentfingerprintisrecorded" in said
    assert knowledge.fingerprint(bare.read_bytes()) in said


def test_missing_knowledge_base(run, tmp_path):
    result = run("check", str(tmp_path / "none.json"))
    assert result.exit_code == 2 and "not found" in result.stderr


def test_check_accepts_the_shipped_file(run):
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout.startswith("ok:") and "causes" in result.stdout


def test_data_option_changes_the_result(run, tmp_path, answers_file):
    """--data really points the triage at another file: make dvt overwhelmingly common there."""
    data = raw_kb()
    next(c for c in data["causes"] if c["id"] == "dvt")["prior"] = 0.99
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    result = run("ask", "--answers", answers_file({"age": 30}), "--format", "json", "--data", str(other))
    assert json.loads(result.stdout)["causes"][0]["id"] == "dvt"


def test_readme_reports_the_ratio_counts(kb):
    """The README says how many ratios there are, how many a source gives, and how many are judgement."""
    import re

    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    ratios = [e for c in kb.causes for e in c.evidence]
    sourced = sum(e.basis != "judgement" for e in ratios)
    said = re.search(
        r"(\d+) likelihood ratios, (\d+) are tied to a study.*?other (\d+) are `\"basis\": \"judgement\"`", text
    )
    assert said, "README: the 'Where the numbers come from' paragraph"
    assert tuple(map(int, said.groups())) == (len(ratios), sourced, len(ratios) - sourced)
