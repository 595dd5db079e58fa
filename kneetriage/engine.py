"""The pure core: answers -> ranked causes, urgency and advice. No I/O, no printing.

Ranking is Bayesian log-odds, one cause at a time: each cause starts from its
prior odds and every answered finding multiplies them by the likelihood ratio
the knowledge base gives for that answer. "Not sure" and unasked findings
multiply by nothing. Each cause keeps the answers that moved it, so every
ranking explains itself.

Urgency is the most urgent of every red-flag rule that fires and the floor of
every cause the answers support (probability >= SUPPORTED). Red flags that were not asked
(or answered "not sure") are listed and never taken as "no".
"""

from __future__ import annotations

import math

from msgspec import Struct
from msgspec.structs import replace

from .knowledge import Cause, KnowledgeBase, RedFlagRule, leaf_matches, rank

STRONG = 0.5  # probability at which a cause is called a "strong match"
SUPPORTED = 0.25  # probability at which a cause's urgency floor applies
POSSIBLE = 0.1  # probability at which a hazardous cause counts as possible (soft-tissue advice withheld)
STRENGTH_WORDS = ((STRONG, "strong match"), (0.2, "possible match"), (0.05, "weak match"), (0.0, "unlikely"))
NOT_CHECKED_FLOOR = "consultation"  # least urgent level while any red flag is unchecked


class Contribution(Struct, frozen=True):
    """One answer's effect on one cause."""

    finding: str
    answer: object
    text: str  # e.g. "a pop when it started", "what happened: a twist"
    lr: float


class RankedCause(Struct, frozen=True):
    cause: Cause
    log_odds: float
    probability: float  # this cause's own posterior probability
    score: float  # share of the total, for ordering and display; relative, not a diagnosis
    raised: tuple[Contribution, ...]
    lowered: tuple[Contribution, ...]
    flagged_by: tuple[str, ...] = ()  # reasons of fired red-flag rules that point to this cause

    @property
    def id(self) -> str:
        return self.cause.id

    @property
    def strength(self) -> str:
        return next(word for limit, word in STRENGTH_WORDS if self.probability >= limit)

    def why(self, most: int = 4) -> list[str]:
        """Findings that raised it and then those that lowered it, strongest first."""
        flags = [f"warning sign: {reason}" for reason in self.flagged_by[:1]]
        up = [f"for: {c.text} ({_weight_word(c.lr)})" for c in self.raised[:most]]
        down = [f"against: {c.text} ({_weight_word(c.lr)})" for c in self.lowered[:most]]
        return flags + up + down or ["no answer given bears on this cause; ranked by how common it is"]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _weight_word(lr: float) -> str:
    """How strongly one answer moves a cause, in words (likelihood ratio in either direction)."""
    factor = lr if lr >= 1 else 1 / lr
    return "strong" if factor >= 5 else "moderate" if factor >= 2 else "slight"


class Urgency(Struct, frozen=True):
    level: str
    reasons: tuple[str, ...]
    hazards: frozenset[str]  # clot, infection, fracture, vascular: from rules that fired


class TriageResult(Struct, frozen=True):
    answers: dict
    urgency: Urgency
    causes: tuple[RankedCause, ...]
    unanswered_red_flags: tuple[str, ...]
    soft_tissue_withheld: tuple[str, ...]  # reasons; empty when soft-tissue advice is safe to give

    @property
    def leading(self) -> tuple[RankedCause, ...]:
        """The causes worth showing advice for: strong or possible matches, at least the first."""
        return tuple(c for i, c in enumerate(self.causes) if i == 0 or c.probability >= 0.2)[:3]


def _contribution(kb: KnowledgeBase, finding_id: str, answer, lr: float) -> Contribution:
    f = kb.finding[finding_id]
    return Contribution(finding_id, answer, f.describe(answer), lr)


def score_cause(kb: KnowledgeBase, cause: Cause, answers: dict) -> tuple[float, list, list]:
    log_odds = cause.prior_log_odds
    raised, lowered = [], []
    for e in cause.evidence:
        answer = answers.get(e.finding)
        if answer is None or not leaf_matches(e, answer):
            continue
        log_odds += e.log_lr
        if e.lr > 1.0:
            raised.append(_contribution(kb, e.finding, answer, e.lr))
        elif e.lr < 1.0:
            lowered.append(_contribution(kb, e.finding, answer, e.lr))
    raised.sort(key=lambda c: -c.lr)
    lowered.sort(key=lambda c: c.lr)
    return log_odds, raised, lowered


def _probability(log_odds: float) -> float:
    return 1.0 / (1.0 + math.exp(-log_odds))


def fired_rules(kb: KnowledgeBase, answers: dict) -> tuple[RedFlagRule, ...]:
    return tuple(rule for rule in kb.red_flag_rules if rule.when.holds(answers))


def rank_causes(
    kb: KnowledgeBase, answers: dict, fired: tuple[RedFlagRule, ...] | None = None
) -> tuple[RankedCause, ...]:
    """Causes, most likely first, except that a cause a fired red-flag rule points to is never below third."""
    scored = []
    for cause in kb.causes:
        log_odds, raised, lowered = score_cause(kb, cause, answers)
        scored.append((cause, log_odds, raised, lowered))
    total = sum(_probability(lo) for _, lo, _, _ in scored)
    ranked = [
        RankedCause(c, lo, _probability(lo), _probability(lo) / total, tuple(up), tuple(down))
        for c, lo, up, down in scored
    ]
    # Most likely first; ties broken by urgency (the more dangerous first), then by id for stability.
    ranked.sort(key=lambda r: (-r.log_odds, rank(r.cause.urgency_floor), r.cause.id))
    flagged: dict[str, list[str]] = {}
    for rule in fired_rules(kb, answers) if fired is None else fired:
        for cid in rule.points_to:
            flagged.setdefault(cid, []).append(rule.reason)
    if not flagged:
        return tuple(ranked)
    ranked = [replace(r, flagged_by=tuple(flagged[r.id])) if r.id in flagged else r for r in ranked]
    # Safety: a cause that a warning sign points to is shown among the first three.
    # The most likely cause stays first; flagged causes take the places after it, most likely first.
    late = [r for r in ranked[3:] if r.flagged_by][:2]
    if late:
        keep = ranked[:3]
        while len(keep) > 1 and len(keep) + len(late) > 3 and not keep[-1].flagged_by:
            keep.pop()
        head = keep[:1] + sorted(keep[1:] + late, key=lambda r: -r.log_odds)
        ranked = head + [r for r in ranked if r not in head]
    return tuple(ranked)


def unanswered_red_flags(kb: KnowledgeBase, answers: dict) -> tuple[str, ...]:
    return tuple(f for f in kb.red_flags if answers.get(f) is None)


def assess_urgency(
    kb: KnowledgeBase, fired: tuple[RedFlagRule, ...], causes: tuple[RankedCause, ...], unanswered: tuple[str, ...]
) -> Urgency:
    candidates = [(rule.level, rule.reason) for rule in fired]
    hazards = {rule.hazard for rule in fired if rule.hazard}
    for rc in causes:
        if rc.probability >= SUPPORTED and rc.cause.urgency_floor != "self_care":
            candidates.append(
                (
                    rc.cause.urgency_floor,
                    f"your answers closely fit {rc.cause.name}; for that the advice is at least: "
                    f"{_lower_first(kb.urgency[rc.cause.urgency_floor].title)}",
                )
            )
    if unanswered:
        candidates.append(
            (
                NOT_CHECKED_FLOOR,
                f"{len(unanswered)} warning sign(s) were not checked, so looking after it at home "
                "cannot be advised on these answers alone",
            )
        )
    if not candidates:
        return Urgency("self_care", ("no warning signs among your answers",), frozenset())
    level = min((lv for lv, _ in candidates), key=rank)
    # Reasons: the most urgent first, then the rest, each said once.
    reasons: list[str] = []
    for _, reason in sorted(candidates, key=lambda c: rank(c[0])):
        if reason not in reasons:
            reasons.append(reason)
    return Urgency(level, tuple(reasons), frozenset(hazards))


def soft_tissue_withheld(
    kb: KnowledgeBase, urgency: Urgency, causes: tuple[RankedCause, ...], unanswered: tuple[str, ...]
) -> tuple[str, ...]:
    """Why ice, compression and massage must not be suggested, if they must not."""
    reasons = []
    for hazard in sorted(urgency.hazards):
        reasons.append(f"a warning sign of a possible {HAZARD_WORDS[hazard]} is present")
    for rc in causes:
        if rc.cause.hazard and rc.probability >= POSSIBLE:
            reasons.append(f"{rc.cause.name} is possible on these answers")
    if unanswered:
        reasons.append("some warning signs were not checked, so a clot, infection or fracture is not ruled out")
    return tuple(reasons)


HAZARD_WORDS = {
    "clot": "blood clot",
    "infection": "joint infection",
    "fracture": "broken bone or dislocation",
    "vascular": "problem with the blood supply to the leg",
    "compartment": "dangerous build-up of pressure in the calf",
    "tumour": "growth in the bone or soft tissue",
}


def triage(kb: KnowledgeBase, answers: dict) -> TriageResult:
    # The answers are kept in the knowledge base's order, so the order of the keys in an
    # answers file never changes the result, not even the answers echoed in it.
    order = {fid: i for i, fid in enumerate(kb.finding)}
    answers = dict(sorted(answers.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    fired = fired_rules(kb, answers)
    causes = rank_causes(kb, answers, fired)
    unanswered = unanswered_red_flags(kb, answers)
    urgency = assess_urgency(kb, fired, causes, unanswered)
    withheld = soft_tissue_withheld(kb, urgency, causes, unanswered)
    return TriageResult(answers, urgency, causes, unanswered, withheld)
