"""The knowledge base: typed, immutable, validated once at load.

The JSON file (``data/knowledge.json``) is decoded straight into the frozen
structs below by msgspec, which checks every type and range and names the JSON
path of the first problem. The cross-references msgspec cannot see (a weight
naming an unknown finding, a duplicate id, a cause with no source ...) are
checked afterwards by :func:`validate`, which names the path the same way.
"""

import math
import os
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, Union, get_args

import msgspec
from msgspec import Meta, Struct, field

from .errors import KnowledgeBaseError, UsageError, suggest
from .wording import check_texts

# Urgency levels, most urgent first (contract §3).
LEVELS: tuple[str, ...] = ("emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care")
Level = Literal["emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care"]
Hazard = Literal["clot", "infection", "fracture", "vascular", "compartment", "tumour", "nerve"]
HAZARDS: tuple[str, ...] = get_args(Hazard)
Value = Union[bool, int, str]  # noqa: UP007 (a runtime alias: msgspec reads it on Python 3.10)
Id = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
SourceKey = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
Text = Annotated[str, Meta(min_length=1)]
LikelihoodRatio = Annotated[float, Meta(ge=0.01, le=100.0)]
Probability = Annotated[float, Meta(gt=0.0, lt=1.0)]


def rank(level: str) -> int:
    """0 for the most urgent level, 4 for self care."""
    return LEVELS.index(level)


def most_urgent(levels) -> str:
    return min(levels, key=rank)


class _Base(Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True, dict=True):
    pass


class Source(_Base):
    title: Text
    url: Annotated[str, Meta(pattern=r"^https?://")]


class Choice(_Base):
    value: Id
    label: Text
    short: str = ""  # a few words for explanations; the label is used where empty


class Condition(_Base):
    """A test on the answers. Either ``all``/``any`` of other conditions, or a leaf on one finding.

    A leaf is true only when the finding has a known answer that matches, unless
    ``or_unknown`` is set, in which case a missing or "not sure" answer also counts
    (for safety rules where not knowing must not reassure).
    """

    # Real annotations, not `from __future__ import annotations`: msgspec then needs no
    # string evaluation when it builds the decoder (~1 ms of every start-up).
    all: "tuple[Condition, ...] | None" = None
    any: "tuple[Condition, ...] | None" = None
    finding: Id | None = None
    is_: Value | None = field(default=None, name="is")
    in_: tuple[Value, ...] | None = field(default=None, name="in")
    min: int | None = None
    max: int | None = None
    or_unknown: bool = False

    def holds(self, answers: dict) -> bool:
        if self.all is not None:
            return all(c.holds(answers) for c in self.all)
        if self.any is not None:
            return any(c.holds(answers) for c in self.any)
        return leaf_matches(self, answers.get(self.finding))

    def findings(self) -> set[str]:
        if self.finding is not None:
            return {self.finding}
        out: set[str] = set()
        for c in self.all or self.any or ():
            out |= c.findings()
        return out


def leaf_matches(leaf, answer) -> bool:
    """Whether a known answer matches a leaf test (``is``, ``in``, ``min``/``max``)."""
    if answer is None:
        return bool(getattr(leaf, "or_unknown", False))
    if leaf.is_ is not None:
        return answer == leaf.is_ and type(answer) is type(leaf.is_)
    if leaf.in_ is not None:
        return any(answer == v and type(answer) is type(v) for v in leaf.in_)
    if isinstance(answer, bool) or not isinstance(answer, int):
        return False
    return (leaf.min is None or answer >= leaf.min) and (leaf.max is None or answer <= leaf.max)


class Finding(_Base):
    id: Id
    group: Literal["about", "red_flag", "risk", "symptom"]
    type: Literal["boolean", "choice", "integer"]
    question: Text
    label: Text
    help: str = ""
    how_to_check: str = ""  # for a warning sign: how a person can check it at home, shown when they are not sure
    choices: tuple[Choice, ...] = ()
    min: int | None = None
    max: int | None = None
    ask_if: Condition | None = None  # the interview asks it only when this holds

    @cached_property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def answer_label(self, value) -> str:
        if value is None:
            return "not sure"
        if self.type == "boolean":
            return "yes" if value else "no"
        if self.type == "choice":
            for c in self.choices:
                if c.value == value:
                    return c.label
        return str(value)

    @cached_property
    def choice_phrases(self) -> dict[str, str]:
        return {c.value: f"{self.label}: {c.short or c.label}" for c in self.choices}

    def describe(self, value) -> str:
        """A short phrase for an answer, used in explanations: 'a pop when it started', 'age 24'."""
        if self.type == "boolean":
            return self.label if value else f"{self.label}: no"
        if isinstance(value, str) and value in self.choice_phrases:  # called for every answer that moves a cause
            return self.choice_phrases[value]
        return f"{self.label} {value}"


class Evidence(_Base):
    """How much one answer changes the odds of a cause: a likelihood ratio.

    ``basis`` is a source key where the ratio comes from a study, or
    ``"judgement"`` where it is the editors' clinical judgement.
    """

    finding: Id
    lr: LikelihoodRatio
    basis: Text
    notes: str = ""  # where a sourced ratio stands in its source (the figure, quoted), or why a judgement
    is_: Value | None = field(default=None, name="is")
    in_: tuple[Value, ...] | None = field(default=None, name="in")
    min: int | None = None
    max: int | None = None
    # conditional evidence: the ratio counts only where this condition on other answers also holds (known
    # answers only), for a pattern that means something only as a combination (gradual pain, no injury, running)
    when: Condition | None = None

    @cached_property
    def log_lr(self) -> float:
        return math.log(self.lr)

    def counts(self, answers: dict) -> bool:
        """Whether the ratio's condition (``when``), if it has one, holds on these answers."""
        return self.when is None or self.when.holds(answers)


class MilderFloor(_Base):
    """A milder form of a cause with a less urgent floor of its own, where ``when`` holds.

    Compartment syndrome after an injury is a surgical emergency; the exercise-linked kind,
    calf pain that comes with running and settles with rest, is a matter for a GP. ``when``
    should need the signs of the dangerous form to be absent, so that reporting one of them
    brings the full floor back.
    """

    when: Condition
    level: Level
    reason: Text  # why the milder floor applies, in plain words
    basis: Text  # a source key, or "judgement"


class Cause(_Base):
    id: Id
    name: Text
    description: Text
    typical: Text
    advice: tuple[Text, ...]
    see_doctor: Text
    prior: Probability
    urgency_floor: Level
    sources: tuple[SourceKey, ...]
    evidence: tuple[Evidence, ...]
    hazard: Hazard | None = None  # soft-tissue advice is withheld while this cause is possible
    # The level at which the first line of ``advice`` tells the person to get help, whatever the answers ("Get
    # medical help today: ..."). Under a more urgent verdict that line would say less than the verdict, so the
    # result leaves it out (result.build); a line that says "if ..." has no level here.
    advice_opens_with: Level | None = None
    # The same for the first sentence of ``see_doctor`` ("Get seen today, even if ..."): under a more urgent
    # verdict the care sheet and the result give only the sentences after it (result.see_doctor_under).
    see_doctor_opens_with: Level | None = None
    soft_tissue_injury: bool = False  # a fresh strain or sprain: POLICE and HARM apply
    # a less urgent floor for a milder form of the cause; a list where the cause has several milder forms
    milder_floor: MilderFloor | tuple[MilderFloor, ...] | None = None

    @cached_property
    def milder_forms(self) -> tuple[MilderFloor, ...]:
        """The milder forms, as a tuple whether ``milder_floor`` is one object or a list."""
        m = self.milder_floor
        return () if m is None else m if isinstance(m, tuple) else (m,)

    def milder_form(self, answers: dict) -> MilderFloor | None:
        """The milder form whose condition holds on these answers; where several hold, the most urgent of them."""
        fits = [m for m in self.milder_forms if m.when.holds(answers)]
        return min(fits, key=lambda m: rank(m.level)) if fits else None

    def floor_for(self, answers: dict) -> str:
        """The urgency floor on these answers: the milder form's where one fits (:meth:`milder_form`)."""
        if self.milder_floor is None:
            return self.urgency_floor
        milder = self.milder_form(answers)
        return self.urgency_floor if milder is None else milder.level

    @cached_property
    def prior_log_odds(self) -> float:
        return math.log(self.prior / (1.0 - self.prior))


def _milder_paths(c: Cause, path: str) -> list[tuple[str, MilderFloor]]:
    """Each milder form of a cause with its place in the file (``path`` alone, or ``path[i]`` in a list)."""
    if isinstance(c.milder_floor, tuple):
        return [(f"{path}[{j}]", m) for j, m in enumerate(c.milder_floor)]
    return [(path, m) for m in c.milder_forms]


class RedFlagRule(_Base):
    id: Id
    when: Condition
    level: Level
    reason: Text
    basis: Text
    hazard: Hazard | None = None
    points_to: tuple[Id, ...] = ()  # causes this warning sign is about: moved up near the top (engine.rank_causes)


class UrgencyLevel(_Base):
    id: Level
    title: Text
    action: Text
    signs: tuple[Text, ...] = ()  # what calls for this level, in plain words (the self-care sheet lists them)


class Region(_Base):
    """A region's own words for its services; they fill the placeholders in every text (see wording.py)."""

    id: Id
    name: Text
    emergency: Text  # {emergency}: the number to call, e.g. 999
    urgent: Text  # {urgent}: the same-day service, e.g. NHS 111
    ed: Text  # {ed}: the emergency department as people there call it, e.g. A&E
    gp: Text  # {gp}: the family doctor, e.g. GP


class PoliceStep(_Base):
    letter: Text
    word: Text
    what: Text
    how_long: Text
    how_often: Text


class HarmStep(_Base):
    letter: Text
    word: Text
    why: Text


class SelfCare(_Base):
    police: tuple[PoliceStep, ...]
    harm: tuple[HarmStep, ...]
    sources: tuple[SourceKey, ...]


class KnowledgeBase(_Base):
    version: Text
    reviewed: Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    next_review: Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    disclaimer: Text
    sources: dict[SourceKey, Source]
    findings: tuple[Finding, ...]
    causes: tuple[Cause, ...]
    red_flag_rules: tuple[RedFlagRule, ...]
    urgency_levels: tuple[UrgencyLevel, ...]
    regions: tuple[Region, ...]
    self_care: SelfCare
    schema: str | None = field(default=None, name="$schema")
    content_sha256: Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$")] | None = None

    @cached_property
    def finding(self) -> dict[str, Finding]:
        return {f.id: f for f in self.findings}

    @cached_property
    def cause(self) -> dict[str, Cause]:
        return {c.id: c for c in self.causes}

    @cached_property
    def region(self) -> dict[str, Region]:
        return {r.id: r for r in self.regions}

    @cached_property
    def urgency(self) -> dict[str, UrgencyLevel]:
        return {u.id: u for u in self.urgency_levels}

    @cached_property
    def red_flags(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.findings if f.group == "red_flag")

    def get_region(self, region_id: str) -> Region:
        try:
            return self.region[region_id]
        except KeyError:
            raise UsageError(
                f"unknown region '{region_id}'{suggest(region_id, self.region)}; "
                f"use --region (or KNEETRIAGE_REGION) with one of: {', '.join(self.region)}"
            ) from None


def default_path() -> Path:
    """The knowledge base shipped in the package (or, in a source checkout, the top-level data/)."""
    here = Path(__file__).resolve().parent
    shipped = here / "data" / "knowledge.json"
    return shipped if shipped.exists() else here.parent / "data" / "knowledge.json"


def load(path: str | Path | None = None, strict: bool | None = None) -> KnowledgeBase:
    """Read, decode and validate a knowledge-base file. Raises KnowledgeBaseError or UsageError.

    ``strict`` (the default for any file but the shipped one) also refuses repeated keys,
    NaN and overlong numbers, as for every other input; a test holds the shipped file to it.
    """
    raw, name = read(path)
    return parse(raw, name, strict=path is not None if strict is None else strict)


def read(path: str | Path | None = None) -> tuple[bytes, str]:
    """A knowledge-base file's bytes (the shipped one when ``path`` is None) and the name errors give it."""
    from . import files

    name = os.fspath(path) if path is not None else "data/knowledge.json"
    return files.read_bytes(os.fspath(path or default_path()), "knowledge base", files.MAX_KNOWLEDGE_BYTES), name


_ALLOWED = {
    "level": LEVELS,
    "urgency_floor": LEVELS,
    "hazard": HAZARDS,
    "group": ("about", "red_flag", "risk", "symptom"),
    "type": ("boolean", "choice", "integer"),
}


def parse(raw: bytes, name: str = "<knowledge base>", strict: bool = True) -> KnowledgeBase:
    """Bytes -> a validated KnowledgeBase; every problem one line naming the file and the JSON path."""
    from . import files

    text = files.decode_text(raw, f"knowledge base {name}")
    try:
        if strict:
            files.loads(text, f"knowledge base {name}")
        kb = msgspec.json.decode(text, type=KnowledgeBase)
    except RecursionError:
        raise KnowledgeBaseError(
            name, "$", f"nested too deeply to be read (a condition may be at most {MAX_CONDITION_DEPTH} deep)"
        ) from None
    except msgspec.ValidationError as e:
        problem, where = str(e), "$"
        if " - at `" in problem:
            problem, _, where = problem.rpartition(" - at `")
            where = where.rstrip("`").replace("key` in `", "a key in ")
        if problem.startswith("Invalid enum value"):
            field_name = where.rsplit(".", 1)[-1]
            allowed = _ALLOWED.get(field_name)
            if allowed:
                problem += f"; allowed: {', '.join(allowed)}"
        raise KnowledgeBaseError(name, where, problem[:1].lower() + problem[1:]) from None
    except msgspec.DecodeError as e:
        raise KnowledgeBaseError(name, "$", f"not valid JSON ({e})") from None
    validate(kb, name)
    return kb


# The red flags of the public interface (contract v1.1): each must stay in the red_flag group,
# where it is asked first and listed as not checked when it is missing.
CONTRACT_RED_FLAGS = frozenset(
    {
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
        "foot_weak",
        "fainted",
        "cannot_bend_90",
        "night_pain",
        "weight_loss",
    }
)
EMERGENCY_LEVELS = ("emergency_ambulance", "emergency")  # a rule at these levels must name its hazard
MAX_CONDITION_DEPTH = 20  # all/any nested deeper than this is refused (the shipped file needs 3)


class _Checks:
    """The cross-reference checks that types alone cannot express, one named method each.

    :func:`validate` runs them in order; each raises KnowledgeBaseError naming the JSON path.
    """

    def __init__(self, kb: KnowledgeBase, name: str) -> None:
        self.kb = kb
        self.name = name
        self.findings = kb.finding

    def fail(self, path: str, problem: str):
        raise KnowledgeBaseError(self.name, path, problem)

    def unique_ids(self) -> None:
        kb = self.kb
        for items, what, base in (
            (kb.findings, "finding", "findings"),
            (kb.causes, "cause", "causes"),
            (kb.red_flag_rules, "rule", "red_flag_rules"),
            (kb.regions, "region", "regions"),
            (kb.urgency_levels, "urgency level", "urgency_levels"),
        ):
            seen: set[str] = set()
            for i, item in enumerate(items):
                if item.id in seen:
                    self.fail(f"$.{base}[{i}].id", f"duplicate {what} id '{item.id}'")
                seen.add(item.id)

    def every_urgency_level(self) -> None:
        missing = [lv for lv in LEVELS if lv not in self.kb.urgency]
        if missing:
            self.fail("$.urgency_levels", f"missing urgency level(s): {', '.join(missing)}")

    def contract_red_flags_in_their_group(self) -> None:
        for i, f in enumerate(self.kb.findings):
            if f.id in CONTRACT_RED_FLAGS and f.group != "red_flag":
                self.fail(
                    f"$.findings[{i}].group",
                    f"'{f.id}' is a red flag (contract) and must be in group red_flag, not {f.group}",
                )

    def condition_depths(self) -> None:
        """Before anything walks a condition: none deeper than MAX_CONDITION_DEPTH."""
        for i, f in enumerate(self.kb.findings):
            if f.ask_if is not None:
                self._depth(f.ask_if, f"$.findings[{i}].ask_if", 1)
        for i, r in enumerate(self.kb.red_flag_rules):
            self._depth(r.when, f"$.red_flag_rules[{i}].when", 1)
        for i, c in enumerate(self.kb.causes):
            for path, m in _milder_paths(c, f"$.causes[{i}].milder_floor"):
                self._depth(m.when, f"{path}.when", 1)
            for j, e in enumerate(c.evidence):
                if e.when is not None:
                    self._depth(e.when, f"$.causes[{i}].evidence[{j}].when", 1)

    def _depth(self, c: Condition, path: str, level: int) -> None:
        if level > MAX_CONDITION_DEPTH:
            self.fail(path, f"conditions nested more than {MAX_CONDITION_DEPTH} deep; simplify it")
        kind = "all" if c.all is not None else "any"
        for j, child in enumerate(getattr(c, kind) or ()):
            self._depth(child, f"{path}.{kind}[{j}]", level + 1)

    def findings_well_formed(self) -> None:
        for i, f in enumerate(self.kb.findings):
            p = f"$.findings[{i}]"
            if f.type == "choice" and len(f.choices) < 2:
                self.fail(f"{p}.choices", f"choice finding '{f.id}' needs at least two choices")
            if f.type != "choice" and f.choices:
                self.fail(f"{p}.choices", f"only choice findings have choices ('{f.id}' is {f.type})")
            if f.type == "integer" and (f.min is None or f.max is None or f.min > f.max):
                self.fail(p, f"whole-number finding '{f.id}' needs min <= max")
            if f.ask_if is not None:
                self.condition(f.ask_if, f"{p}.ask_if")

    def ask_if_without_cycles(self) -> None:
        """A question asked only if another is answered, which is asked only if the first is: never asked."""
        gates = {f.id: sorted(f.ask_if.findings()) if f.ask_if else [] for f in self.kb.findings}
        index = {f.id: i for i, f in enumerate(self.kb.findings)}
        done: set[str] = set()
        for start in gates:
            trail: list[str] = []
            stack = [(start, iter(gates[start]))]
            on_trail = {start}
            trail.append(start)
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    on_trail.discard(trail.pop())
                    done.add(node)
                elif child in on_trail:
                    loop = trail[trail.index(child) :] + [child]
                    self.fail(
                        f"$.findings[{index[loop[0]]}].ask_if", f"ask_if goes round in a circle: {' -> '.join(loop)}"
                    )
                elif child not in done and child in gates:
                    stack.append((child, iter(gates[child])))
                    on_trail.add(child)
                    trail.append(child)

    def causes_sourced_and_safe(self) -> None:
        for i, c in enumerate(self.kb.causes):
            p = f"$.causes[{i}]"
            if not c.sources:
                self.fail(f"{p}.sources", f"cause '{c.id}' cites no source; every cause needs at least one")
            for j, s in enumerate(c.sources):
                self.source(s, f"{p}.sources[{j}]")
                if s in c.sources[:j]:
                    self.fail(f"{p}.sources[{j}]", f"cause '{c.id}' cites source '{s}' twice")
            if not c.advice:
                self.fail(f"{p}.advice", f"cause '{c.id}' has no advice")
            for path, m in _milder_paths(c, f"{p}.milder_floor"):
                self.milder_floor(c, m, path)
            for j, e in enumerate(c.evidence):
                ep = f"{p}.evidence[{j}]"
                self.test(e, ep)
                if e.basis != "judgement":
                    self.source(e.basis, f"{ep}.basis")
                self.red_flag_evidence_keeps_urgency(c, e, ep)
                if e.when is not None:
                    self.evidence_condition(c, e, f"{ep}.when")

    def milder_floor(self, c: Cause, m: MilderFloor, path: str) -> None:
        self.condition(m.when, f"{path}.when")
        if rank(m.level) <= rank(c.urgency_floor):
            self.fail(
                f"{path}.level",
                f"the milder floor of cause '{c.id}' must be less urgent than its urgency_floor ({c.urgency_floor})",
            )
        if m.basis != "judgement":
            self.source(m.basis, f"{path}.basis")

    def red_flag_evidence_keeps_urgency(self, c: Cause, e: Evidence, path: str) -> None:
        """For a cause that needs help today or sooner, a red flag that is present must never make it
        less likely, and one that is absent must never make it more likely (either way, adding a
        worrying answer would lower the urgency)."""
        if rank(c.urgency_floor) > rank("consultation_24") or self.findings[e.finding].group != "red_flag":
            return
        said = [e.is_] if e.is_ is not None else list(e.in_ or ())
        if any(v is True for v in said) and e.lr < 1.0:
            self.fail(f"{path}.lr", f"red flag '{e.finding}' must not lower urgent cause '{c.id}' (lr < 1)")
        if any(v is False for v in said) and e.lr > 1.0:
            self.fail(f"{path}.lr", f"a 'no' to red flag '{e.finding}' must not raise urgent cause '{c.id}' (lr > 1)")

    def evidence_condition(self, c: Cause, e: Evidence, path: str) -> None:
        """A conditional ratio: a sound condition on other known answers that cannot let a warning sign lower
        an urgent cause (the condition needing a 'no' to a red flag to raise it, or a 'yes' to lower it)."""
        self.condition(e.when, path)
        for leaf in _leaves_with_paths(e.when, path):
            node, where = leaf
            if node.or_unknown:
                self.fail(
                    where,
                    f"the condition on a ratio of cause '{c.id}' must not use or_unknown: a conditional ratio "
                    "counts only on known answers",
                )
            if node.finding == e.finding:
                self.fail(
                    where,
                    f"the condition on a ratio of cause '{c.id}' tests the ratio's own finding '{e.finding}'; "
                    "put that test in the ratio itself",
                )
            if rank(c.urgency_floor) > rank("consultation_24") or self.findings[node.finding].group != "red_flag":
                continue
            said = [node.is_] if node.is_ is not None else list(node.in_ or ())
            if e.lr > 1.0 and any(v is False for v in said):
                self.fail(
                    where,
                    f"a ratio raising urgent cause '{c.id}' must not need a 'no' to red flag '{node.finding}'",
                )
            if e.lr < 1.0 and any(v is True for v in said):
                self.fail(
                    where, f"a ratio lowering urgent cause '{c.id}' must not need a 'yes' to red flag '{node.finding}'"
                )

    def red_flag_rules_sound(self) -> None:
        for i, r in enumerate(self.kb.red_flag_rules):
            p = f"$.red_flag_rules[{i}]"
            self.condition(r.when, f"{p}.when")
            self.no_red_flag_tested_for_no(r.when, f"{p}.when")
            for j, cid in enumerate(r.points_to):
                if cid not in self.kb.cause:
                    self.fail(f"{p}.points_to[{j}]", f"unknown cause '{cid}'{suggest(cid, self.kb.cause)}")
            if r.basis != "judgement":
                self.source(r.basis, f"{p}.basis")
            if r.level in EMERGENCY_LEVELS and r.hazard is None:
                self.fail(
                    f"{p}.hazard",
                    f"emergency rule '{r.id}' names no hazard ({', '.join(HAZARDS)}); "
                    "without it home-care advice would be printed beside the emergency",
                )

    def no_red_flag_tested_for_no(self, c: Condition, path: str) -> None:
        """A rule that needs a red flag to be absent would stop firing when it is reported."""
        if c.finding is not None:
            said = [c.is_] if c.is_ is not None else list(c.in_ or ())
            if self.findings[c.finding].group == "red_flag" and any(v is False for v in said):
                self.fail(path, f"a red-flag rule must not need a 'no' to red flag '{c.finding}'")
            return
        kind = "all" if c.all is not None else "any"
        for j, child in enumerate(getattr(c, kind)):
            self.no_red_flag_tested_for_no(child, f"{path}.{kind}[{j}]")

    def every_red_flag_has_a_rule(self) -> None:
        covered: set[str] = set()
        for r in self.kb.red_flag_rules:
            covered |= r.when.findings()
        for i, f in enumerate(self.kb.findings):
            if f.group == "red_flag" and f.id not in covered:
                self.fail(f"$.findings[{i}]", f"red flag '{f.id}' has no red-flag rule")

    def self_care_sourced(self) -> None:
        for j, s in enumerate(self.kb.self_care.sources):
            self.source(s, f"$.self_care.sources[{j}]")

    def wording_fits_every_region(self) -> None:
        """Placeholders each region can fill, no one region's service names (wording.check_texts)."""
        problem = check_texts(self.kb)
        if problem:
            self.fail(*problem)

    # Shared by the checks above

    def source(self, key: str, path: str) -> None:
        if key not in self.kb.sources:
            self.fail(path, f"unknown source '{key}'{suggest(key, self.kb.sources)}; add it to $.sources")

    def test(self, t, path: str) -> None:
        """A leaf test (Condition leaf or Evidence) must name a finding and fit its type."""
        findings = self.findings
        if t.finding not in findings:
            self.fail(f"{path}.finding", f"unknown finding '{t.finding}'{suggest(t.finding, findings)}")
        f = findings[t.finding]
        given = [k for k in ("is_", "in_", "min", "max") if getattr(t, k) is not None]
        if not given:
            self.fail(path, f"a test on '{f.id}' needs one of: is, in, min, max")
        values = [t.is_] if t.is_ is not None else list(t.in_ or ())
        for v in values:
            ok = (
                (f.type == "boolean" and isinstance(v, bool))
                or (f.type == "choice" and isinstance(v, str) and v in f.choice_values)
                or (f.type == "integer" and isinstance(v, int) and not isinstance(v, bool))
            )
            if not ok:
                allowed = {"boolean": "true or false", "integer": "a whole number"}.get(
                    f.type, ", ".join(f.choice_values)
                )
                self.fail(path, f"value {v!r} does not fit finding '{f.id}' (allowed: {allowed})")
        if (t.min is not None or t.max is not None) and f.type != "integer":
            self.fail(path, f"min/max only apply to whole-number findings, not '{f.id}'")

    def condition(self, c: Condition, path: str) -> None:
        kinds = [k for k in ("all", "any", "finding") if getattr(c, k) is not None]
        if len(kinds) != 1:
            self.fail(path, "a condition needs exactly one of: all, any, finding")
        if c.finding is not None:
            self.test(c, path)
            return
        children = c.all if c.all is not None else c.any
        if not children:
            self.fail(f"{path}.{kinds[0]}", "needs at least one condition")
        for i, child in enumerate(children):
            self.condition(child, f"{path}.{kinds[0]}[{i}]")


def _leaves_with_paths(c: Condition, path: str):
    """Each leaf of a condition with its place in the file."""
    if c.finding is not None:
        yield c, path
        return
    kind = "all" if c.all is not None else "any"
    for j, child in enumerate(getattr(c, kind) or ()):
        yield from _leaves_with_paths(child, f"{path}.{kind}[{j}]")


CHECKS = (
    _Checks.unique_ids,
    _Checks.every_urgency_level,
    _Checks.contract_red_flags_in_their_group,
    _Checks.condition_depths,
    _Checks.findings_well_formed,
    _Checks.ask_if_without_cycles,
    _Checks.causes_sourced_and_safe,
    _Checks.red_flag_rules_sound,
    _Checks.every_red_flag_has_a_rule,
    _Checks.self_care_sourced,
    _Checks.wording_fits_every_region,
)


def validate(kb: KnowledgeBase, name: str) -> None:
    """Run every check in :data:`CHECKS`; the first problem raises KnowledgeBaseError naming its JSON path."""
    checks = _Checks(kb, name)
    for check in CHECKS:
        check(checks)


# What a content fingerprint leaves out: the version it is recorded for, the review dates (a review that changes
# nothing keeps the version), the schema's address and the fingerprint itself.
NOT_CONTENT = ("version", "reviewed", "next_review", "$schema", "content_sha256")


def fingerprint(raw: bytes) -> str:
    """The SHA-256 of a knowledge base's content: every key but NOT_CONTENT, with keys sorted and no spaces, so
    reformatting the file or moving keys about changes nothing while any changed text or number does."""
    import hashlib
    import json

    body = {k: v for k, v in json.loads(raw).items() if k not in NOT_CONTENT}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def json_schema() -> dict:
    """The JSON Schema for knowledge-base files, generated from the structs above.

    data/knowledge.schema.json is this, written out so editors validate as they
    type; a test keeps the two identical.
    """
    schema = msgspec.json.schema(KnowledgeBase)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kneetriage knowledge base"
    return schema
