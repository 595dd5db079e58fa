"""The pure core: answers -> ranked causes, urgency and advice. No I/O, no printing.

Ranking is Bayesian log-odds, one cause at a time: each cause starts from its
prior odds and every answered finding multiplies them by the likelihood ratio
the knowledge base gives for that answer. "Not sure" and unasked findings
multiply by nothing. A conditional ratio (``when``) multiplies only where its
condition on other answers also holds, and its reason names the combination.
Each cause keeps the answers that moved it, so every ranking explains itself.

Urgency is the most urgent of: every red-flag rule that fires; the floor of
every cause the answers support (its own probability >= SUPPORTED); the floor of
every hazardous cause (clot, infection, fracture, artery, compartment, growth)
that is possible (probability >= POSSIBLE) or ranked first (``leads``: a worrying "yes" that lifts
another cause above it does not take its floor away); a cause whose milder form fits
the answers (the exercise-linked kind of compartment syndrome) sets that form's floor. Red flags that were
not asked (or answered "not sure") are listed and never taken as "no"; so is any
other missing answer that could make a rule fire that is more urgent than the
result (``not_checked``). While anything is not checked the result is never
home care. A missing answer about the history (what happened, how it started, how
long, where it hurts) is read the worst way what was said allows (``worst_case``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from itertools import combinations, product

from msgspec import Struct
from msgspec.structs import replace

from .knowledge import LEVELS, Cause, Condition, Evidence, Finding, KnowledgeBase, RedFlagRule, leaf_matches, rank
from .wording import POSSIBLE_HAZARD, POSSIBLE_HERE

STRONG = 0.5  # probability at which a cause is called a "strong match"
POSSIBLE_MATCH = 0.2  # ... and a "possible match"
WEAK_MATCH = 0.05  # ... and a "weak match"; below it, "unlikely"
SUPPORTED = 0.25  # probability at which a cause's urgency floor applies
# Probability (the cause's own posterior, not its share of the total) at which a hazardous cause counts as
# possible: its urgency floor applies and soft-tissue advice is withheld. Guidance asks for help the same day
# for a clot that is "likely" (two-level Wells, where the moderate band already runs at about 17%), and the
# review asked for "about 10% or more"; below 10% a clot is what the low band of Wells calls unlikely.
POSSIBLE = 0.1
# A hazardous cause ranked first sets its floor even under POSSIBLE (``leads``), but not under LEAD_MIN: at less
# than 1 in 25 a cause is first only where every cause is unlikely, and the floor would rest on a near tie. The
# value is the lowest at which no result on our own or the published tuning cases changed (an own case, a clot
# with a swollen calf after a fall, put a 3.9% fracture first through the interview).
LEAD_MIN = 0.04
CHILD_AGE = 16  # the causes and their priors are drawn up for people this age and over
STRENGTH_WORDS = (
    (STRONG, "strong match"),
    (POSSIBLE_MATCH, "possible match"),
    (WEAK_MATCH, "weak match"),
    (0.0, "unlikely"),
)
_LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}  # knowledge.rank, as a lookup for the hot path
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
    flagged_by: tuple[str, ...] = ()  # reasons of fired red-flag rules that point to this cause, most urgent first

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
    # How many reasons, from the first, set the level; each after them would on its own ask for less urgent help.
    at_level: int = 1


class TriageResult(Struct, frozen=True):
    answers: dict
    urgency: Urgency
    causes: tuple[RankedCause, ...]
    unanswered_red_flags: tuple[str, ...]
    soft_tissue_withheld: tuple[str, ...]  # reasons; empty when soft-tissue advice is safe to give
    # Every missing answer that could make the result more urgent: the unanswered red flags, then any other
    # finding through which a more urgent rule could still fire (e.g. cramp_long, a clot risk factor).
    not_checked: tuple[str, ...] = ()
    child: str = ""  # why the adult ranking does not simply apply, when the person is under CHILD_AGE
    first: tuple[bool, ...] = ()  # for each cause, whether it counts as ranked first for the floors (leads)

    @property
    def soft_tissue_plan(self) -> bool:
        """Whether the POLICE plan and HARM list are given: a fresh strain leads and nothing withholds them."""
        return not self.soft_tissue_withheld and any(rc.cause.soft_tissue_injury for rc in self.leading)

    @property
    def leading(self) -> tuple[RankedCause, ...]:
        """The causes worth showing advice for: strong or possible matches, at least the first."""
        return tuple(c for i, c in enumerate(self.causes) if i == 0 or c.probability >= 0.2)[:3]


def _contribution(kb: KnowledgeBase, finding_id: str, answer, lr: float, when: Condition | None = None) -> Contribution:
    f = kb.finding[finding_id]
    text = f.describe(answer)
    if when is not None:  # a conditional ratio names the combination it counts for
        text = f"{text} together with {describe_condition(kb, when)}"
    return Contribution(finding_id, answer, text, lr)


def describe_condition(kb: KnowledgeBase, cond: Condition) -> str:
    """A condition in plain words: 'what happened: no injury and how it started: gradually'."""
    if cond.finding is None:
        parts = [describe_condition(kb, c) for c in cond.all or cond.any or ()]
        return (" and " if cond.all is not None else " or ").join(parts)
    f = kb.finding[cond.finding]
    values = [cond.is_] if cond.is_ is not None else list(cond.in_ or ())
    if len(values) == 1:
        return f.describe(values[0])
    if values:
        if f.type == "choice":
            short = {c.value: c.short or c.label for c in f.choices}
            left = [v for v in f.choice_values if v not in values]
            if len(left) < len(values):  # "what happened: anything but no injury" reads better than five injuries
                return f"{f.label}: anything but " + " or ".join(short[v] for v in left)
            return f"{f.label}: " + " or ".join(short[v] for v in values)
        return " or ".join(f.describe(v) for v in values)
    if cond.max is None:
        return f"{f.label} {cond.min} or over"
    if cond.min is None:
        return f"{f.label} {cond.max} or under"
    return f"{f.label} {cond.min} to {cond.max}"


def _compile_holds(cond: Condition) -> Callable[[dict], bool]:
    """``cond.holds`` as a closure worked out once (the condition of a conditional ratio, checked in the hot
    path of :func:`score_causes`): the rules' compiled form (:func:`_compile_open`) with no ask_if, where a
    condition holds exactly when nothing is left open."""
    still_open = _compile_open(cond, {}, {})
    return lambda answers: still_open(answers) == _HOLDS


def score_cause(kb: KnowledgeBase, cause: Cause, answers: dict) -> tuple[float, list, list]:
    log_odds = cause.prior_log_odds
    raised, lowered = [], []
    redundant = redundant_findings(answers)
    for e in cause.evidence:
        answer = answers.get(e.finding)
        if answer is None or e.finding in redundant:
            continue
        is_ = e.is_
        if is_ is not None:  # the common test, inlined (this loop is most of the cost of a triage)
            if answer != is_ or type(answer) is not type(is_):
                continue
        elif not leaf_matches(e, answer):
            continue
        if not e.counts(answers):
            continue  # a conditional ratio counts only where its condition holds
        log_odds += e.log_lr
        if e.lr > 1.0:
            raised.append(_contribution(kb, e.finding, answer, e.lr, e.when))
        elif e.lr < 1.0:
            lowered.append(_contribution(kb, e.finding, answer, e.lr, e.when))
    raised.sort(key=lambda c: -c.lr)
    lowered.sort(key=lambda c: c.lr)
    return log_odds, raised, lowered


def score_causes(kb: KnowledgeBase, answers: dict) -> list[tuple[float, list, list]]:
    """:func:`score_cause` for every cause at once, in the knowledge base's order, with the same result.

    The hot path of evaluate and the interview. Instead of testing every weight of
    every cause, it looks up the weights an answer matches in an index built once
    per knowledge base (an ``is``/``in`` test is a dictionary key; only ``min``/``max``
    tests are tried). The weights that apply are then added in the order
    score_cause adds them, so the sums are identical to the last bit.
    """
    exact, ranges, made = _evidence_index(kb)
    matched: list[list] = [[] for _ in kb.causes]
    redundant = redundant_findings(answers)
    for finding_id, answer in answers.items():
        if answer is None or finding_id in redundant:
            continue
        for hit in exact.get((finding_id, answer, type(answer)), ()):
            matched[hit[0]].append(hit)
        if finding_id in ranges:
            key = (finding_id, answer, type(answer))
            hits = made.get(key)
            if hits is None:  # the min/max weights this answer matches, worked out once per answer
                hits = made[key] = tuple(
                    (ci, j, e, _contribution(kb, e.finding, answer, e.lr, e.when), check)
                    for ci, j, e, check in ranges[finding_id]
                    if leaf_matches(e, answer)
                )
            for hit in hits:
                matched[hit[0]].append(hit)
    out = []
    for cause, hits in zip(kb.causes, matched, strict=True):
        log_odds = cause.prior_log_odds
        raised, lowered = [], []
        if len(hits) > 1:
            hits.sort()  # by weight index (unique within a cause), as score_cause adds them
        for _, _, e, contribution, check in hits:
            if check is not None and not check(answers):
                continue  # a conditional ratio whose condition does not hold (compiled: _compile_holds)
            log_odds += e.log_lr
            if e.lr > 1.0:
                raised.append(contribution)
            elif e.lr < 1.0:
                lowered.append(contribution)
        if len(raised) > 1:
            raised.sort(key=lambda c: -c.lr)
        if len(lowered) > 1:
            lowered.sort(key=lambda c: c.lr)
        out.append((log_odds, raised, lowered))
    return out


_PER_KB: dict[tuple, tuple] = {}  # (id(knowledge base), builder) -> (the base, what was built from it)


def _per_kb(kb: KnowledgeBase, build):
    """``build(kb)``, computed once per knowledge base (tests load many edited bases: the newest few are kept)."""
    key = (id(kb), build)
    held = _PER_KB.get(key)
    if held is None or held[0] is not kb:
        held = (kb, build(kb))
        _PER_KB[key] = held
        if len(_PER_KB) > 16:
            del _PER_KB[next(iter(_PER_KB))]
    return held[1]


def _evidence_index(kb: KnowledgeBase) -> tuple[dict, dict, dict]:
    """The weights of a knowledge base, indexed once.

    ``exact``: (finding id, answer, type of answer) -> ((cause index, weight index, weight,
    contribution, check), ...) for ``is``/``in`` tests; ``ranges``: finding id -> ((cause index,
    weight index, weight, check), ...) for ``min``/``max`` tests; and a cache of the hits those make, by answer.
    ``check`` is the compiled condition of a conditional ratio (``when``), None for the rest.
    """
    return _per_kb(kb, _build_evidence_index)


def _build_evidence_index(kb: KnowledgeBase) -> tuple[dict, dict, dict]:
    exact: dict[tuple, list] = {}
    ranges: dict[str, list] = {}
    for ci, cause in enumerate(kb.causes):
        for j, e in enumerate(cause.evidence):
            check = None if e.when is None else _compile_holds(e.when)
            values = [e.is_] if e.is_ is not None else list(e.in_) if e.in_ is not None else None
            if values is None:
                ranges.setdefault(e.finding, []).append((ci, j, e, check))
                continue
            for v in dict.fromkeys(values):
                hit = (ci, j, e, _contribution(kb, e.finding, v, e.lr, e.when), check)
                exact.setdefault((e.finding, v, type(v)), []).append(hit)
    return {k: tuple(v) for k, v in exact.items()}, {k: tuple(v) for k, v in ranges.items()}, {}


def _probability(log_odds: float) -> float:
    return 1.0 / (1.0 + math.exp(-log_odds))


def fired_rules(kb: KnowledgeBase, answers: dict) -> tuple[RedFlagRule, ...]:
    return tuple(rule for rule in kb.red_flag_rules if rule.when.holds(answers))


def rank_causes(
    kb: KnowledgeBase, answers: dict, fired: tuple[RedFlagRule, ...] | None = None
) -> tuple[RankedCause, ...]:
    """Causes, most likely first, except that a cause a fired red-flag rule points to is never below third, and
    in an emergency the most likely cause its rule points to comes first, unless the most likely cause is a
    strong match or hazardous itself, or a possible match while the cause the rule points to is unlikely
    (:func:`_may_lead`)."""
    scored = score_causes(kb, answers)
    probabilities = [_probability(lo) for lo, _, _ in scored]
    total = sum(probabilities)
    ranked = [
        RankedCause(c, lo, p, p / total, tuple(up), tuple(down))
        for c, (lo, up, down), p in zip(kb.causes, scored, probabilities, strict=True)
    ]
    # Most likely first; ties broken by urgency (the more dangerous first), then by id for stability.
    ranked.sort(key=lambda r: (-r.log_odds, _LEVEL_RANK[r.cause.urgency_floor], r.cause.id))
    fired = fired_rules(kb, answers) if fired is None else fired
    flagged: dict[str, list[str]] = {}
    # Each cause's reasons most urgent first: the one a cause shows as its warning sign is its most urgent.
    for rule in sorted(fired, key=lambda r: _LEVEL_RANK[r.level]):
        for cid in rule.points_to:
            flagged.setdefault(cid, []).append(rule.reason)
    if not flagged:
        return tuple(ranked)
    ranked = [replace(r, flagged_by=tuple(flagged[r.id])) if r.id in flagged else r for r in ranked]
    pointed = _emergency_pointed(ranked, fired)
    if pointed is not None and pointed is not ranked[0] and _may_lead(ranked[0], pointed):
        ranked.remove(pointed)
        ranked.insert(0, pointed)
    # Safety: a cause that a warning sign points to is shown among the first three.
    # The first cause stays first; flagged causes take the places after it, most likely first.
    late = [r for r in ranked[3:] if r.flagged_by][:2]
    if late:
        keep = list(ranked[:3])
        # Room is made by dropping the least likely unflagged causes after the first.
        for r in reversed(ranked[1:3]):
            if len(keep) + len(late) <= 3:
                break
            if not r.flagged_by:
                keep.remove(r)
        head = keep[:1] + sorted(keep[1:] + late, key=lambda r: -r.log_odds)
        ranked = head + [r for r in ranked if r not in head]
    # Where it did not lead, the cause the emergency sign points to is third at the latest, whatever else the
    # signs point to: it is what the person is sent for help now to rule out.
    if pointed is not None and pointed not in ranked[:3]:
        ranked.remove(pointed)
        ranked.insert(2, pointed)
    return tuple(ranked)


EMERGENCY_LEVELS = frozenset(LEVELS[:2])  # the levels that send a person for help now


def _emergency_pointed(ranked: list[RankedCause], fired) -> RankedCause | None:
    """Of the causes an emergency rule that fired points to, the most likely; None when no emergency rule fired."""
    pointed = {cid for rule in fired if rule.level in EMERGENCY_LEVELS for cid in rule.points_to}
    return next((r for r in ranked if r.id in pointed), None)


def _may_lead(first: RankedCause, pointed: RankedCause) -> bool:
    """Whether ``pointed``, the most likely cause an emergency sign points to, goes before ``first``, the most
    likely cause: unless that is a strong match (STRONG) or itself a hazardous cause, or a possible match
    (POSSIBLE_MATCH) while ``pointed`` is unlikely (under WEAK_MATCH), in the words the result shows.

    An emergency often rests on few answers (the interview stops at the warning sign, before the history), and
    then the most likely cause is mostly the most common one, a weak match: a torn meniscus, for a fever with a
    very swollen knee. What the warning sign points to is what the emergency service has to rule out, so it leads.
    Where the answers make the likeliest cause a possible match and the cause the sign points to unlikely (pain
    from the back, for a foot that drags after back pain spread down the leg, where a squeezed calf is under 5%),
    the likeliest stays first and the sign's cause follows it among the first three: on the published tuning cases
    (round 68) that put the right cause first more often on every path and lost none from the first three, where
    letting every possible match stay first also put a joint infection or a broken bone behind gout or a torn
    muscle in fourteen cases. Where the most likely cause is hazardous too (a clot after a long flight, when
    whether the pain is severe at rest was not checked), the service has to rule it out as well, so the likelier
    one stays first."""
    if first.cause.hazard or first.probability >= STRONG:
        return False
    return first.probability < POSSIBLE_MATCH or pointed.probability >= WEAK_MATCH


def unanswered_red_flags(kb: KnowledgeBase, answers: dict) -> tuple[str, ...]:
    return tuple(f for f in kb.red_flags if answers.get(f) is None)


_HOLDS: frozenset[str] = frozenset()


def open_findings(cond: Condition, answers: dict, ask_if: dict | None = None) -> frozenset[str] | None:
    """The missing answers through which a condition could still come to hold.

    None when no answer to the missing findings could make it hold; an empty set
    when it holds already. A missing answer is one not given or "not sure". A
    finding that is only asked when its ``ask_if`` holds (``ask_if``: finding id
    -> condition) cannot be answered yes while the other answers rule that out
    (no cramp bouts: no cramp bout over 10 minutes).
    """
    if cond.finding is not None:
        answer = answers.get(cond.finding)
        if answer is None:
            if cond.or_unknown:
                return _HOLDS
            gate = ask_if.get(cond.finding) if ask_if else None
            if gate is not None:
                needed = open_findings(gate, answers, ask_if)
                if needed is None:
                    return None
                return frozenset((cond.finding, *needed))
            return frozenset((cond.finding,))
        is_ = cond.is_
        if is_ is not None:
            return _HOLDS if answer == is_ and type(answer) is type(is_) else None
        return _HOLDS if leaf_matches(cond, answer) else None
    if cond.all is not None:
        out: set[str] = set()
        for child in cond.all:
            missing = open_findings(child, answers, ask_if)
            if missing is None:
                return None
            out |= missing
        return frozenset(out)
    out = set()
    for child in cond.any or ():
        missing = open_findings(child, answers, ask_if)
        if missing is not None:
            if not missing:
                return _HOLDS
            out |= missing
    return frozenset(out) if out else None


def _rule_states(kb: KnowledgeBase, answers: dict) -> tuple[tuple[RedFlagRule, ...], tuple]:
    """In one pass over the rules: those that fire, and those that could, with the answers they wait for."""
    fired, open_ = [], []
    for rule, missing_for in _per_kb(kb, _compiled_rules):
        missing = missing_for(answers)
        if missing is None:
            continue
        if missing:
            open_.append((rule, missing))
        else:
            fired.append(rule)
    return tuple(fired), tuple(open_)


def _compiled_gates(kb: KnowledgeBase) -> dict[str, Callable[[dict], frozenset[str] | None]]:
    """Once per knowledge base: finding id -> its ask_if made into a function (:func:`_compile_open`)."""
    ask_if, _ = _precomputed(kb)
    gates: dict[str, Callable[[dict], frozenset[str] | None]] = {}
    for fid, gate in ask_if.items():
        gates[fid] = _compile_open(gate, ask_if, gates)
    return gates


def _compiled_rules(kb: KnowledgeBase) -> tuple[tuple[RedFlagRule, Callable[[dict], frozenset[str] | None]], ...]:
    """Once per knowledge base: each rule with its condition made into a function of the answers that gives
    what ``open_findings(rule.when, answers, ask_if)`` gives (:func:`_compile_open`)."""
    ask_if, _ = _precomputed(kb)
    gates = _per_kb(kb, _compiled_gates)
    return tuple((rule, _compile_open(rule.when, ask_if, gates)) for rule in kb.red_flag_rules)


def _compile_open(cond: Condition, ask_if: dict, gates: dict) -> Callable[[dict], frozenset[str] | None]:
    """:func:`open_findings` for one condition, worked out once into nested functions: the same answer for
    every set of answers, without looking at the condition's fields again on every triage.

    A leaf on one finding becomes a test of that answer; ``all`` and ``any`` call their parts, tests on one
    answer before groups (an answer that rules the rule out is met first; the order does not change what they
    give). A finding asked only under its ``ask_if`` looks up that condition's function (``gates``, by finding
    id) when it is missing."""
    if cond.finding is not None:
        return _compile_leaf(cond, ask_if, gates)
    children = sorted(cond.all if cond.all is not None else cond.any or (), key=lambda c: c.finding is None)
    if cond.all is not None:
        # The plain parts, a test of one answer against listed values (``is``/``in``, not behind an ask_if), are
        # checked in the loop itself (:func:`_plain`); the rest are called. Most rules are out on the first of them.
        plain = tuple(_plain(c) for c in children if _is_plain(c, ask_if))
        parts = tuple(_compile_open(c, ask_if, gates) for c in children if not _is_plain(c, ask_if))

        def all_open(answers: dict) -> frozenset[str] | None:
            out = _HOLDS
            try:
                for fid, values, when_missing in plain:
                    answer = answers.get(fid)
                    if answer is None:
                        if when_missing:
                            out = out | when_missing if out else when_missing
                    elif (answer, type(answer)) not in values:
                        return None
            except TypeError:  # an answer that cannot be a key (not from a checked file) matches no value
                return None
            for part in parts:
                missing = part(answers)
                if missing is None:
                    return None
                if missing:
                    out = out | missing if out else missing
            return out

        return all_open

    parts = tuple(_compile_open(c, ask_if, gates) for c in children)

    def any_open(answers: dict) -> frozenset[str] | None:
        out = None
        for part in parts:
            missing = part(answers)
            if missing is not None:
                if not missing:
                    return _HOLDS
                out = missing if out is None else out | missing
        return out

    return any_open


def _is_plain(cond: Condition, ask_if: dict) -> bool:
    """Whether a condition tests one answer against listed values (``is`` or ``in``), not behind an ask_if."""
    return cond.finding is not None and (cond.is_ is not None or cond.in_ is not None) and cond.finding not in ask_if


def _plain(cond: Condition) -> tuple[str, frozenset[tuple], frozenset[str]]:
    """A plain test as (finding, its values each with its type, what it waits for when the answer is missing).

    Each value is kept with its type, as leaf_matches compares them (yes is not 1, 1 is not 1.0); a missing
    answer holds (``or_unknown``: the empty set) or waits for the finding."""
    values = (cond.is_,) if cond.is_ is not None else cond.in_ or ()
    return (
        cond.finding,
        frozenset((v, type(v)) for v in values),
        _HOLDS if cond.or_unknown else frozenset((cond.finding,)),
    )


def _compile_leaf(cond: Condition, ask_if: dict, gates: dict) -> Callable[[dict], frozenset[str] | None]:
    fid = cond.finding
    alone = frozenset((fid,))
    when_missing = _HOLDS if cond.or_unknown else alone
    gated = not cond.or_unknown and fid in ask_if
    values = _plain(cond)[1] if cond.is_ is not None or cond.in_ is not None else None

    def leaf_open(answers: dict) -> frozenset[str] | None:
        answer = answers.get(fid)
        if answer is None:
            if gated:  # asked only when its ask_if holds: open only where that could still hold
                needed = gates[fid](answers)
                return None if needed is None else alone | needed
            return when_missing
        if values is None:  # min/max
            return _HOLDS if leaf_matches(cond, answer) else None
        try:
            return _HOLDS if (answer, type(answer)) in values else None
        except TypeError:  # an answer that cannot be a key (not from a checked file) matches no value
            return None

    return leaf_open


def _precomputed(kb: KnowledgeBase) -> tuple[dict, dict]:
    """Once per knowledge base: each finding's ask_if, and the red flags each rule reads (by rule id)."""
    return _per_kb(kb, _build_precomputed)


def _build_precomputed(kb: KnowledgeBase) -> tuple[dict, dict]:
    ask_if = {f.id: f.ask_if for f in kb.findings if f.ask_if is not None}
    red = set(kb.red_flags)
    flags = {r.id: frozenset(r.when.findings() & red) for r in kb.red_flag_rules}
    return ask_if, flags


def lifts(kb: KnowledgeBase, cause: Cause, answers: dict | None = None) -> tuple[tuple[str, float], ...]:
    """(finding id, the most one answer to that finding adds to the cause's log-odds: every weight that
    answer matches, summed), for the findings that can raise it, the largest first (equal ones in the order
    of the cause's weights). Worked out once per knowledge base and cause, when first needed (start-up pays
    only for the causes it looks at).

    A conditional ratio (``when``) adds only where its condition could hold: given ``answers``, one raising the
    cause whose condition those answers already rule out (a ratio for after an injury, when there was none) lifts
    nothing, and one lowering it is taken off only where its condition already holds (the most an answer adds is
    the most it could add). Without ``answers`` every raising condition is taken as one that could hold and no
    lowering one as holding. A cause with no conditional ratio gets the table worked out once either way."""
    table = _per_kb(kb, _on_demand)
    got = table.get(("lifts", cause.id))
    if got is None:
        best = _lifts_of(kb, cause, lambda e: e.when is None or e.lr > 1.0)  # a raising condition could hold
        got = table["lifts", cause.id] = tuple(sorted(best.items(), key=lambda item: -item[1]))
        table["conditional", cause.id] = tuple(e for e in cause.evidence if e.when is not None)
    conditional = table["conditional", cause.id]
    if answers is None or not conditional:
        return got
    # The table depends on the answers only through which conditional ratios count: one per pattern.
    could_hold = _per_kb(kb, _could_hold)
    pattern = tuple(_counted_given(e, could_hold[id(e.when)](answers)) for e in conditional)
    key = ("lifts", cause.id, pattern)
    got = table.get(key)
    if got is None:
        counts = dict(zip(map(id, conditional), pattern, strict=True))
        best = _lifts_of(kb, cause, lambda e: counts.get(id(e), True))
        got = table[key] = tuple(sorted(best.items(), key=lambda item: -item[1]))
    return got


def _counted_given(e: Evidence, still_open: frozenset[str] | None) -> bool:
    """Whether a conditional ratio counts in :func:`lifts`, given what :func:`open_findings` says of its
    condition: a raising one unless the answers rule its condition out, a lowering one only where it holds."""
    if e.lr > 1.0:
        return still_open is not None
    return still_open == _HOLDS


def _on_demand(kb: KnowledgeBase) -> dict:
    """A per-knowledge-base table filled as entries are first needed (see :func:`lifts`)."""
    return {}


def _could_hold(kb: KnowledgeBase) -> dict[int, Callable[[dict], frozenset[str] | None]]:
    """Once per knowledge base: id of a conditional ratio's condition -> :func:`open_findings` on it, compiled
    (None where the answers already rule the condition out; a finding behind its ask_if counts as open only
    where it could still be asked)."""
    ask_if, _ = _precomputed(kb)
    gates = _per_kb(kb, _compiled_gates)
    return {
        id(e.when): _compile_open(e.when, ask_if, gates) for c in kb.causes for e in c.evidence if e.when is not None
    }


def _lifts_of(kb: KnowledgeBase, cause: Cause, counted: Callable[[Evidence], bool]) -> dict[str, float]:
    best: dict[str, float] = {}
    for fid in dict.fromkeys(e.finding for e in cause.evidence):
        weights = [e for e in cause.evidence if e.finding == fid and counted(e)]
        if not weights:
            continue
        answers = possible_answers(kb, kb.finding[fid])
        lift = max(sum(e.log_lr for e in weights if leaf_matches(e, a)) for a in answers)
        if lift > 0:
            best[fid] = lift
    return best


def possible_answers(kb: KnowledgeBase, f: Finding) -> tuple:
    """The distinct known answers worth telling apart (for a number, one from each band the knowledge base uses)."""
    if f.type == "boolean":
        return (True, False)
    if f.type == "choice":
        return f.choice_values
    table = _per_kb(kb, _on_demand)
    got = table.get(("bands", f.id))
    if got is None:
        got = table["bands", f.id] = _number_bands(kb, f)
    return got


def _number_bands(kb: KnowledgeBase, f: Finding) -> tuple:
    tests = [e for c in kb.causes for e in c.evidence if e.finding == f.id]
    tests += [leaf for r in kb.red_flag_rules for leaf in _leaves(r.when) if leaf.finding == f.id]
    cuts = {f.min, f.max + 1}
    for t in tests:
        cuts |= {v for v in (t.min, None if t.max is None else t.max + 1) if v is not None}
    edges = sorted(c for c in cuts if f.min <= c <= f.max + 1)
    return tuple((lo + hi - 1) // 2 for lo, hi in zip(edges, edges[1:], strict=False))


def _leaves(condition):
    if condition.finding is not None:
        yield condition
    for child in condition.all or condition.any or ():
        yield from _leaves(child)


_POSSIBLE_LOG_ODDS = math.log(POSSIBLE / (1.0 - POSSIBLE))


def _worrying(kb: KnowledgeBase) -> tuple[tuple[str, ...], frozenset[str]]:
    """Warning signs and risk factors, in the knowledge base's order and as a set: the answers whose "yes" must
    never lower the urgency."""
    ids = tuple(f.id for f in kb.findings if f.group in ("red_flag", "risk"))
    return ids, frozenset(ids)


def leads(kb: KnowledgeBase, causes: tuple[RankedCause, ...], answers: dict) -> tuple[bool, ...]:
    """For each ranked cause, whether it counts as ranked first for the hazard floors.

    The first cause does, and so does a cause that would be first if no warning sign or risk factor answered
    "yes" counted for another cause more than for it. A hazardous cause ranked first sets its floor even when it
    is under POSSIBLE; without the second clause a "yes" that lifts another cause above it (a long journey lifting
    a clot above a compartment syndrome, a cold leg lifting the artery above an infected knee) would take that
    floor away, and a worrying answer would lower the urgency. Each cause's own probability never falls with a
    worrying "yes" (no unsourced weight lowers a hazard), so with this clause the floors never fall either.
    A cause does not count by the second clause where a hazard already counted above it has a floor at least as
    urgent (its floor would add nothing but a reason: a clot, for a knee that is plainly infected). Neither
    clause counts a cause under LEAD_MIN.
    """
    order, worrying = _per_kb(kb, _worrying)
    said = [f for f in order if answers.get(f) is True]
    out: list[bool] = []
    lifts_by: list[dict] | None = None
    covered = len(LEVELS)  # the most urgent floor of a hazard counted so far, as a rank (lower is more urgent)
    for i, rc in enumerate(causes):
        if rc.probability < LEAD_MIN or (i and not (said and rc.cause.hazard)):
            out.append(False)
            continue
        floor = _LEVEL_RANK[rc.cause.floor_for(answers)] if rc.cause.hazard else len(LEVELS)
        if i == 0:
            counts = True
        elif floor >= covered:
            counts = False
        else:
            if lifts_by is None:
                lifts_by = [
                    {
                        c.finding: math.log(c.lr)
                        for c in (*r.raised, *r.lowered)
                        if c.answer is True and c.finding in worrying
                    }
                    for r in causes
                ]
            own = lifts_by[i]
            counts = all(
                rc.log_odds - other.log_odds + sum(max(0.0, theirs.get(f, 0.0) - own.get(f, 0.0)) for f in said) >= 0
                for j, (other, theirs) in enumerate(zip(causes, lifts_by, strict=True))
                if j != i
            )
        if counts:
            covered = min(covered, floor)
        out.append(counts)
    return tuple(out)


def _hazard_pending(
    kb: KnowledgeBase, answers: dict, causes: tuple[RankedCause, ...], level: str, first: tuple[bool, ...]
) -> set[str]:
    """Missing answers that could lift a hazardous cause to POSSIBLE where its floor would raise the urgency.

    For each such cause, the missing findings that raise it most are taken until together they could
    reach the threshold (a long journey, with the pill, for a clot); none are listed if all of them
    together could not.
    """
    gates = _per_kb(kb, _compiled_gates)
    out: set[str] = set()
    at = _LEVEL_RANK[level]
    for i, rc in enumerate(causes):
        cause = rc.cause
        if not cause.hazard or first[i] or rc.probability >= POSSIBLE:
            continue
        if _LEVEL_RANK[cause.floor_for(answers)] >= at:
            continue
        need = _POSSIBLE_LOG_ODDS - rc.log_odds
        chosen = []
        for finding, gain in lifts(kb, cause, answers):
            if answers.get(finding) is not None:
                continue
            gate = gates.get(finding)  # open_findings(ask_if[finding], answers, ask_if), made once per knowledge base
            if gate is not None and gate(answers) is None:
                continue  # never asked on these answers
            chosen.append(finding)
            need -= gain
            if need <= 0:
                out.update(chosen)
                break
    return out


# Answers that another answer already gives: the place chosen on the picture of where it hurts says whether
# the back of the thigh hurts, so that is not asked again (and a checklist left unticked cannot contradict it).
# Applied by triage and by the interview alike; an answer given explicitly is never overridden.
IMPLIED_BY: dict[str, dict[object, dict[str, object]]] = {
    "pain_site": {"thigh": {"thigh_back_pain": True}},
}


def redundant_findings(answers: dict) -> frozenset[str]:
    """Findings whose answer another given answer already settles, so that they carry no evidence of their own.

    Pain most in the back of the thigh (``pain_site``) says that the back of the thigh hurts: weighing
    ``thigh_back_pain`` as well would count the same fact twice (a hamstring strain was multiplied by both, 15
    times, and outranked a clot in a vein of the thigh or a trapped nerve on the place alone). Whatever the
    answer to the implied finding, only the implying answer's weights count; it still counts for the rules."""
    if not any(isinstance(answers.get(source), str) for source in IMPLIED_BY):
        return _NONE
    return frozenset(fid for fid, _ in _implications(answers))


_NONE: frozenset[str] = frozenset()


def _implications(answers: dict) -> Iterator[tuple[str, object]]:
    for source, by_value in IMPLIED_BY.items():
        given = answers.get(source)
        if isinstance(given, str):
            yield from by_value.get(given, {}).items()


def implied(kb: KnowledgeBase, answers: dict) -> dict:
    """The answers the given ones imply and that are not given themselves (finding id -> value)."""
    return {fid: v for fid, v in _implications(answers) if fid in kb.finding and fid not in answers}


def routine_only(kb: KnowledgeBase) -> frozenset[str]:
    """Findings that can only ever ask for a routine appointment (whether the pain is getting worse): every
    rule that reads them asks for a GP at most, and no hazardous cause counts them. Left unasked, such a
    finding is "not checked", which by itself keeps the result from home care; so once the result already
    reads something not said the worst way, asking it changes nothing the person is told to do. Worked out
    once per knowledge base."""
    return _per_kb(kb, _routine_only)


def _routine_only(kb: KnowledgeBase) -> frozenset[str]:
    routine = _LEVEL_RANK["consultation"]
    only: dict[str, bool] = {}
    for rule in kb.red_flag_rules:
        for fid in rule.when.findings():
            only[fid] = only.get(fid, True) and _LEVEL_RANK[rule.level] >= routine
    hazards = {e.finding for cause in kb.causes if cause.hazard for e in cause.evidence}
    return frozenset(fid for fid, yes in only.items() if yes and fid not in hazards)


def is_implied(answers: dict, fid: str) -> bool:
    """Whether the answer to ``fid`` is the one another answer implies (it took no question of its own)."""
    return fid in answers and any(f == fid and answers[fid] == v for f, v in _implications(answers))


def child_reason(answers: dict) -> str:
    age = answers.get("age")
    if isinstance(age, int) and not isinstance(age, bool) and age < CHILD_AGE:
        return (
            f"the causes and how common they are were drawn up for people aged {CHILD_AGE} and over; in a child "
            "or teenager knee pain can come from the hip or the growing bone, so a doctor should judge the list"
        )
    return ""


def _floors(
    kb: KnowledgeBase, causes: tuple[RankedCause, ...], answers: dict, first: tuple[bool, ...]
) -> list[tuple[str, str]]:
    """The urgency floors of supported causes, and of hazardous causes that are possible or counted as ranked
    first (``first``: :func:`leads` for these causes and answers).

    A cause whose milder form fits the answers (``Cause.milder_floor``) sets that form's floor, and says so.
    """
    out = []
    for i, rc in enumerate(causes):
        supported = rc.probability >= SUPPORTED
        if not supported and not (rc.cause.hazard and (rc.probability >= POSSIBLE or first[i])):
            continue  # neither supported nor a possible hazard: no floor (the cheap tests first)
        floor = rc.cause.floor_for(answers)
        if floor == "self_care":
            continue
        title = _lower_first(kb.urgency[floor].title)
        if floor != rc.cause.urgency_floor:
            title = f"{title} ({rc.cause.milder_form(answers).reason})"
        if rc.cause.hazard and (first[i] or rc.probability >= POSSIBLE) and rc.probability < SUPPORTED:
            out.append((floor, f"{rc.cause.name}{POSSIBLE_HAZARD}{title}"))
        elif rc.probability >= SUPPORTED:
            out.append((floor, f"your answers closely fit {rc.cause.name}; for that the advice is at least: {title}"))
    return out


# The worst case of the history not given. An answer not given is never taken as "no". Where an answer about
# the history of the pain (what happened, how it started, how long it has lasted, where it hurts, which knee,
# the sport) was not given or was "not sure", the urgency is the most urgent that a reading of it consistent
# with what WAS said gives: each rule that could still fire is tried with that answer set to each value the
# rule tells apart. The search is bounded and each reading needs a reason in what was said:
# - one unknown history answer at a time (HISTORY_AT_ONCE): a single answer left out is read the worst way,
#   not a story built from several (a blow to the knee, yesterday, for a calf pain that started at football);
# - the rule must rest on something the person did say (its anchor): a warning sign, risk factor or symptom
#   it reads (a long journey, for a clot), or, for reading an injury in, a sudden start with a clue to one
#   (a pop, a knee that gives way, a sport unless the pain is in the calf or thigh): a sudden calf cramp at
#   night, or a sudden calf pain at football, is not read as a twist;
# - symptoms (a pop, how the knee swelled, a high-impact injury) are findings, not history: unknown, they are
#   listed as not checked but not assumed, like the warning signs;
# - a warning sign is read the worst way only in context (IN_CONTEXT_SIGNS): a calf sign when the pain is in
#   the calf, where a clot or a torn muscle shows. A person who skipped the checklist is told what was not
#   checked, not sent to the emergency department.
# A person who answers everything is not affected: nothing is left to read.
WORST_CASE_HISTORY = ("injury", "onset", "duration", "pain_site", "side", "sport")
IN_CONTEXT_SIGNS: dict[str, tuple[str, object]] = {  # warning sign -> the given answer that puts it in context
    "calf_swollen": ("pain_site", "calf"),
    "calf_tender": ("pain_site", "calf"),
    "calf_warm_red": ("pain_site", "calf"),
}
HISTORY_AT_ONCE = 1  # unknown history answers read together in one reading
# Who the person is, when not given, is not read the worst way at the same time as a history answer is read in:
# a rule that takes a missing age as 55 or over (the Ottawa knee rule's age, "or the age not given") fires on
# an injury that was said, not on an injury read in for a person whose age is not known either (two unknowns
# read the worst way build a story, as HISTORY_AT_ONCE forbids). A rule that fires on the answers given is not
# affected.
NOT_READ_WITH_HISTORY = ("age",)
# Answers to "what happened" that are an injury (anything but "nothing happened" or "not sure").
INJURIES = ("twist", "blow_to_front", "overstretch", "push_off", "fall", "other")


class Reading(Struct, frozen=True):
    """A rule that fires on the worst reading of answers not given, and that reading (finding id -> value)."""

    rule: RedFlagRule
    values: dict


def worst_case(
    kb: KnowledgeBase, answers: dict, open_: tuple[tuple[RedFlagRule, frozenset[str]], ...], level: str
) -> tuple[Reading, ...]:
    """Rules more urgent than ``level`` that fire on a worst-case reading (see above), the most urgent and
    least assuming first."""
    out = []
    # An injury may be read in only where a sudden start came with a clue to one (a pop, giving way, a sport).
    injury_ok = answers.get("onset") == "sudden" and _injury_clue(answers)
    at = _LEVEL_RANK[level]
    table = _per_kb(kb, _on_demand)
    for rule, missing in open_:
        if _LEVEL_RANK[rule.level] >= at:
            continue
        got = table.get(("worst", rule.id))
        readings, readable, anchors, unread = got if got is not None else _worst_case_table(kb, rule)
        free = missing & readable
        if not free:
            continue
        history, signs = [], []
        for fid in free:
            context = IN_CONTEXT_SIGNS.get(fid)
            if context is None:
                history.append(fid)
            elif answers.get(context[0]) == context[1]:
                signs.append(fid)
        if not history and not signs:
            continue
        # Something the person said that the rule reads: a warning sign, risk factor or symptom they have (a
        # long journey, for a clot); else a sudden start with a clue to an injury, to read one in; else a calf
        # sign in context.
        anchored = any(
            answers.get(leaf.finding) not in (None, False) and leaf_matches(leaf, answers[leaf.finding])
            for leaf in anchors
        )
        if not anchored and not signs and not (injury_ok and "injury" in history):
            continue
        # A missing age is not read the worst way as well (the reading is the one answer read in).
        kept = {fid: v for fid, v in unread.items() if answers.get(fid) is None}
        best = _least_reading(rule, {**answers, **kept}, sorted(history) + sorted(signs), readings, anchored, injury_ok)
        if best is not None:
            out.append(Reading(rule, best))
    out.sort(key=lambda r: (_LEVEL_RANK[r.rule.level], len(r.values)))
    return tuple(out)


def _worst_case_table(kb: KnowledgeBase, rule: RedFlagRule) -> tuple[dict[str, tuple], frozenset[str], tuple, dict]:
    """Once per rule: each finding it reads that may be read the worst way -> one value from each class of
    values the rule tells apart; those findings; and its leaves on other findings (what the person said that
    can anchor it)."""
    table = _per_kb(kb, _on_demand)
    got = table.get(("worst", rule.id))
    if got is None:
        leaves = list(_leaves(rule.when))
        readings = {}
        for fid in (*WORST_CASE_HISTORY, *IN_CONTEXT_SIGNS):
            mine = [leaf for leaf in leaves if leaf.finding == fid]
            if mine and fid in kb.finding:
                classes: dict[tuple, object] = {}
                for value in possible_answers(kb, kb.finding[fid]):
                    classes.setdefault(tuple(leaf_matches(leaf, value) for leaf in mine), value)
                readings[fid] = tuple(classes.values())
        # Only what the person has can anchor a reading, not who they are: an age is no clue to an injury.
        anchors = tuple(
            leaf for leaf in leaves if leaf.finding in kb.finding and kb.finding[leaf.finding].group != "about"
        )
        # For each finding in NOT_READ_WITH_HISTORY that the rule reads "or not given", a value under which
        # those leaves do not hold, if there is one: a reading takes the finding as that.
        unread = {}
        for fid in NOT_READ_WITH_HISTORY:
            mine = [leaf for leaf in leaves if leaf.finding == fid and leaf.or_unknown]
            if mine and fid in kb.finding:
                value = next(
                    (
                        v
                        for v in reversed(possible_answers(kb, kb.finding[fid]))
                        if not any(leaf_matches(x, v) for x in mine)
                    ),
                    None,
                )
                if value is not None:
                    unread[fid] = value
        got = table["worst", rule.id] = (readings, frozenset(readings), anchors, unread)
    return got


def _least_reading(
    rule: RedFlagRule, answers: dict, free: list[str], readings: dict, anchored: bool, injury_ok: bool
) -> dict | None:
    """The reading of the fewest free findings (history before warning signs) under which the rule holds.
    Unless ``anchored``, the reading must read a calf sign in context, or an injury where ``injury_ok``."""
    for size in range(1, len(free) + 1):
        for chosen in combinations(free, size):
            if sum(f not in IN_CONTEXT_SIGNS for f in chosen) > HISTORY_AT_ONCE:
                continue
            for values in product(*(readings[f] for f in chosen)):
                reading = dict(zip(chosen, values, strict=True))
                trial = {**answers, **reading}
                if not _consistent(trial) or not rule.when.holds(trial):
                    continue
                if anchored or any(f in IN_CONTEXT_SIGNS for f in reading):
                    return reading
                if injury_ok and reading.get("injury") in INJURIES:
                    return reading
    return None


def _injury_clue(answers: dict) -> bool:
    """Whether what was said points to an injury to the knee: a pop when it started, a knee that gives way, or
    a sport, unless the pain is said to be in the calf or the back of the thigh.

    There a sport is the setting, not the event: a runner's calf cramps, a footballer's torn hamstring or a
    calf muscle that tore on a push-off start suddenly at sport too, and the X-ray rules read in for a knee
    injury (Ottawa knee rule: a blow or a twist to the knee) do not fit them (round 4's cases with a sudden
    start at sport and what happened not said were all calf or thigh tears or cramps). A sudden pain at sport
    whose place was not said may be a knee hurt in a tackle (round 5's held-out half had one), so it still
    counts."""
    if answers.get("pop_at_onset") is True or answers.get("giving_way") is True:
        return True
    away_from_knee = answers.get("pain_site") in ("calf", "thigh") or answers.get("thigh_back_pain") is True
    return answers.get("sport") not in (None, "none") and not away_from_knee


def _consistent(answers: dict) -> bool:
    """Whether a reading agrees with what was said: an injury starts at a moment you can point to."""
    return not (answers.get("injury") in INJURIES and answers.get("onset") == "gradual")


def worst_case_reason(kb: KnowledgeBase, reading: Reading) -> str:
    """The reason a worst-case reading gives: what was not said, the reading, and the rule's own reason."""
    not_said, values = [], []
    for fid, value in reading.values.items():
        f = kb.finding[fid]
        if f.type == "boolean":
            not_said.append(f"whether you have {f.label}")
            values.append(f"you have {f.label}")
        else:
            not_said.append(f.label)
            values.append(f"it is {next((c.short for c in f.choices if c.value == value), str(value))}")
    return f"you did not say {' or '.join(not_said)}; if {' and '.join(values)}: {reading.rule.reason}"


def assess_urgency(
    kb: KnowledgeBase,
    fired: tuple[RedFlagRule, ...],
    causes: tuple[RankedCause, ...],
    unanswered: tuple[str, ...],
    pending: tuple[str, ...] = (),
    answers: dict | None = None,
    worst: Reading | None = None,
    floors: list[tuple[str, str]] | None = None,
) -> Urgency:
    """``pending``: answers other than red flags that were not given and could make the result more urgent.
    ``worst``: the most urgent rule that fires on a worst-case reading of answers not given (:func:`worst_case`).
    ``floors``: the causes' floors (:func:`_floors`), when already worked out for these answers."""
    candidates = [(rule.level, rule.reason) for rule in fired]
    if worst is not None:
        candidates.append((worst.rule.level, worst_case_reason(kb, worst)))
    hazards = {rule.hazard for rule in fired if rule.hazard}
    if floors is None:
        answers = answers or {}
        floors = _floors(kb, causes, answers, leads(kb, causes, answers))
    candidates += floors
    if unanswered or pending:
        parts = []
        if unanswered:
            n = len(unanswered)
            parts.append(f"{n} warning {'sign was' if n == 1 else 'signs were'} not checked")
        if pending:
            labels = ", ".join(kb.finding[f].label for f in pending[:3]) + (", ..." if len(pending) > 3 else "")
            other = " other" if unanswered else ""
            n = len(pending)
            answer = (
                "answer that could make this more urgent was"
                if n == 1
                else "answers that could make this more urgent were"
            )
            parts.append(f"{n}{other} {answer} not given ({labels})")
        candidates.append(
            (
                NOT_CHECKED_FLOOR,
                " and ".join(parts) + ", so looking after it at home cannot be advised on these answers alone",
            )
        )
    if not candidates:
        return Urgency("self_care", ("no warning signs among your answers",), frozenset())
    level = min((lv for lv, _ in candidates), key=rank)
    # Reasons: the most urgent first, then the rest, each said once.
    reasons: list[str] = []
    at_level = 0
    for lv, reason in sorted(candidates, key=lambda c: _LEVEL_RANK[c[0]]):
        if reason not in reasons:
            reasons.append(reason)
            at_level += lv == level
    return Urgency(level, tuple(reasons), frozenset(hazards), at_level)


def soft_tissue_withheld(
    kb: KnowledgeBase,
    urgency: Urgency,
    causes: tuple[RankedCause, ...],
    unanswered: tuple[str, ...],
    open_: tuple[tuple[RedFlagRule, frozenset[str]], ...] | None = None,
    answers: dict | None = None,
    readings: tuple[Reading, ...] = (),
    first: tuple[bool, ...] | None = None,
) -> tuple[str, ...]:
    """Why ice, compression and massage must not be suggested, if they must not.

    An unchecked warning sign withholds them only where it could complete a rule
    about a hazard given the other answers (``open_``): a missing "fainted" could
    mean a clot, a missing "foot_weak" after an injury a nerve or artery injury.
    A missing answer that is not a warning sign (a risk factor, a symptom) withholds
    it only where a warning sign of that rule is already present (a tender calf and
    no answer about a long journey); otherwise it keeps the result from reading as
    home care but does not by itself withhold the plan.
    A rule about a hazard that fires on a worst-case reading of answers not given (``readings``) withholds it.
    Without ``open_`` every unchecked red flag withholds it.
    """
    reasons = []
    for hazard in sorted(urgency.hazards):
        reasons.append(f"a warning sign of a possible {HAZARD_WORDS[hazard]} is present")
    first = leads(kb, causes, answers or {}) if first is None else first
    for i, rc in enumerate(causes):
        if rc.cause.hazard and (rc.probability >= POSSIBLE or first[i]):
            reasons.append(f"{rc.cause.name}{POSSIBLE_HERE}")
    if open_ is None:
        if unanswered:
            reasons.append("some warning signs were not checked, so a clot, infection or fracture is not ruled out")
        return tuple(reasons)
    hazards_open: dict[str, set[str]] = {}
    unchecked = set(unanswered)
    _, rule_flags = _precomputed(kb)
    given = answers or {}
    for rule, missing in open_:
        if not rule.hazard or rule.hazard in urgency.hazards:
            continue
        signs = missing & unchecked
        if not signs and any(given.get(f) is True for f in rule_flags[rule.id]):
            signs = missing  # a warning sign of this rule is present: what is missing could complete it
        if signs:
            hazards_open.setdefault(rule.hazard, set()).update(signs)
    for reading in readings:
        if reading.rule.hazard and reading.rule.hazard not in urgency.hazards:
            hazards_open.setdefault(reading.rule.hazard, set()).update(reading.values)
    for hazard in sorted(hazards_open):
        labels = sorted(kb.finding[f].label for f in hazards_open[hazard])
        reasons.append(f"not checked ({', '.join(labels)}), so a {HAZARD_WORDS[hazard]} is not ruled out")
    return tuple(reasons)


HAZARD_WORDS = {
    "clot": "blood clot",
    "infection": "joint infection",
    "fracture": "broken bone or dislocation",
    "vascular": "problem with the blood supply to the leg",
    "compartment": "dangerous build-up of pressure in the calf",
    "tumour": "growth in the bone or soft tissue",
    "nerve": "squeezing of the nerves at the base of the spine",
}


def _finding_order(kb: KnowledgeBase) -> dict[str, int]:
    return {fid: i for i, fid in enumerate(kb.finding)}


def triage(kb: KnowledgeBase, answers: dict, worst: bool = True) -> TriageResult:
    """``worst``: take the worst case of the history not given (:func:`worst_case`); an interview still under
    way passes False, since what it has not asked yet is not "not given"."""
    # The answers are kept in the knowledge base's order, so the order of the keys in an
    # answers file never changes the result, not even the answers echoed in it.
    order = _per_kb(kb, _finding_order)
    answers = {**answers, **implied(kb, answers)}
    known = sorted((fid for fid in answers if fid in order), key=order.__getitem__)
    answers = {fid: answers[fid] for fid in (*known, *sorted(fid for fid in answers if fid not in order))}
    fired, open_ = _rule_states(kb, answers)
    causes = rank_causes(kb, answers, fired)
    unanswered = unanswered_red_flags(kb, answers)
    # A missing answer counts as "not checked" when it could make a rule fire, or lift a hazardous cause to
    # possible, more urgent than everything else would make the result.
    first = leads(kb, causes, answers)
    floors = _floors(kb, causes, answers, first)
    base = assess_urgency(kb, fired, causes, unanswered, answers=answers, floors=floors)
    red = set(kb.red_flags)
    at = _LEVEL_RANK[base.level]
    pending = {f for rule, missing in open_ if _LEVEL_RANK[rule.level] < at for f in missing}
    if base.level != "emergency_ambulance":
        pending |= _hazard_pending(kb, answers, causes, base.level, first)
    pending -= red
    pending_ids = tuple(f for f in kb.finding if f in pending)
    # The worst case of the history not given (one reason, the most urgent reading, explains the level).
    readings = worst_case(kb, answers, open_, base.level) if worst and base.level != LEVELS[0] else ()
    if pending_ids or readings:
        worst_reading = next(iter(readings), None)
        urgency = assess_urgency(kb, fired, causes, unanswered, pending_ids, answers, worst_reading, floors)
    else:
        urgency = base
    withheld = soft_tissue_withheld(kb, urgency, causes, unanswered, open_, answers, readings, first)
    return TriageResult(
        answers, urgency, causes, unanswered, withheld, unanswered + pending_ids, child_reason(answers), first
    )
