"""The interview: which question to ask next, and when to stop. No I/O, no prompts.

An :class:`Interview` is a small state machine over the answers so far:

1. The emergency screen comes first: one tick-box screen with every red flag
   that can, alone or with others, make the urgency an emergency, so
   breathlessness or a cold leg is checked at once.
2. After every screen the urgency is worked out again; as soon as it is an
   emergency (and no unasked answer could make it less than one, as whether
   there was an injury can for "cannot bear weight"), the interview stops.
   Where such an answer is still to be asked, the age is asked first, as in
   the history below, so that a child is known before even a stop ranks the
   causes (a toddler who cannot stand after a fall is not given a torn
   meniscus as a likely cause).
3. Then the history, in the order a nurse takes it: age, which knee, what
   happened; after an injury its details (was there a pop, and after a fall,
   a blow or another injury was it high-impact: ticked on one screen), then
   when and how it began, one question whose choices say both ("Suddenly, 1
   to 6 days ago", "Gradually, over more than 6 weeks"), asked after an
   injury too (pain that builds up after a minor knock is not a sudden
   start); and where it hurts most (:data:`HISTORY`). Without an injury the
   pop is not part of the history (it tells injuries apart; it is asked
   when the answers make it worth a screen). Age comes first so that a child is known
   before anything is ranked. After an injury that hurts most in the calf,
   the sport closes the history: a tackle or a push-off at sport tells a torn
   calf muscle from a clot.
4. Then one screen with all the other warning signs (the calf and leg first),
   and the yes/no symptoms a person notices behind the knee and in the calf,
   with, after weeks or months of pain, whether it keeps getting worse
   (:data:`WITH_WARNING_SIGNS`). It comes after the history because a nurse
   lets the person tell the story first, and the signs then read as follow-up
   questions about it; it is still asked before any other question about
   symptoms, so no warning sign is ever left unasked (and none of these can
   make it an emergency on its own: those are all on the first screen).
5. For a child (under :data:`CHILD_AGE`) the causes and their weights were
   drawn up for adults, so questions only to tell them apart stop one screen
   sooner (:data:`CHILD_TELL_APART_SCREENS`); a child's limp is asked on the
   warning-sign screen, where it costs no screen of its own.
6. Then one screen at a time. A question **must** be asked before the
   interview stops when the engine, run on the answers so far plus one of its
   possible answers, changes the urgency, makes a hazardous cause possible
   (``engine.POSSIBLE``: its floor applies and soft-tissue advice is withheld),
   whatever its floor (the person's sex, where "male" makes artery disease
   possible), or changes whether that advice is withheld; when the engine
   lists it as not checked (answers that together could make the result more
   urgent); or when
   it is one of the unasked answers that together could make a cause at least
   :data:`REACH_MIN` likely supported enough for a more urgent floor to apply
   (so a question that can change the urgency through the ranking, not only
   through a rule, is asked); or when a clinician asks it after a sign ticked
   (:data:`ASKED_AFTER`: the sport after calf pain on exercise; the sex after a lump behind the knee from
   the age of 60). Once none is left, any other question is
   **worth a screen** while fewer than :data:`TELL_APART_SCREENS` screens
   were shown, when the chance that its answer changes which causes are in
   the first three is at least :data:`TOP3_MIN`; with exactly that many shown,
   one more is, where room is left for those that must be asked, when its
   answer is at least :data:`HAZARD_TOP3_MIN` likely to bring into the first
   three a hazardous cause at least :data:`REACH_MIN` likely (a clot left
   fourth behind causes that the knee questions, never asked, would move). Among either kind, the one
   with the most expected information about the ranking (entropy before and
   after each possible answer), plus the chance of changing the first three
   and the urgency, comes first. Risk
   factors and symptoms are asked a few like ones to a tick-box screen, worth
   what its members are together. Questions whose ``ask_if`` does not hold
   are skipped; a single question gated on an unanswered one (pregnancy on
   sex and age) waits until its gate is asked.
7. It stops when no question is left that must be asked or is worth a screen,
   or at the hard cap :data:`MAX_SCREENS` (near it, the screens left go to the
   questions that must be asked). Every stop rule depends only on the answers,
   so the same answers (for instance a saved file given back with
   ``--answers``) stop at the same place.

:func:`simulate` runs an interview answered by a written case's simulated
person (:func:`truthful_answer`), for ``evaluate --interview``, tests and
benchmarks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal

from msgspec.structs import replace

from . import engine
from .engine import possible_answers
from .knowledge import Finding, KnowledgeBase, leaf_matches, rank

EMERGENCY_LEVELS = engine.EMERGENCY_LEVELS  # the levels that send a person for help now

# A question is worth a screen when the chance that its answer changes which causes are in the first three
# (on the current ranking) is at least this; a checklist's chance is that of any of its members.
TOP3_MIN = 0.15
# A cause this likely or more whose more urgent floor unasked answers could together make apply keeps those
# questions to be asked before the interview stops (see Interview._floor_reachable).
REACH_MIN = 0.03
# At TELL_APART_SCREENS, one question more is asked (room for the questions that must be asked kept) when its
# answer is at least this likely to bring into the first three a hazardous cause at least REACH_MIN likely, one the
# result would otherwise leave out of them (see Interview._best_question). Tuning round 25, on the fifty pool files
# (interview top-1/top-3 814/1107 before): 815/1108, no file losing, the same at 0.7; medians 10 -> 10.5 and 11 in
# two files of 28 and 15 cases. Without the REACH_MIN, this chance (TOP3_MIN instead) or the one screen, it
# lengthened 264 interviews and raised the median above 10 in 12 more files for the same top-1 and one top-3 more.
HAZARD_TOP3_MIN = 0.5
URGENCY_WEIGHT = 0.5  # what a certain change of urgency adds to a question's worth when choosing the next one
# A question only to tell the causes apart is asked after every question that must be asked, and only while
# fewer screens than this were shown: so it never pushes an interview that had 10 screens or fewer past 10, but
# for one more screen where a hazardous cause would otherwise stay out of the first three (HAZARD_TOP3_MIN).
TELL_APART_SCREENS = 10
# Measured on the forty published tuning files (round 20, interview 720/990 top-1/top-3): a lower TOP3_MIN
# (0.10) changed nothing, as the questions that must be asked fill the screens first; TELL_APART_SCREENS 11
# gained one top-1 and one top-3 answer but made the median 11 screens in 38 of the 40 files, so both are kept.
# Asking known arthritis after a hot red knee (the hot swollen joint guidance) changed nothing either: the
# 35-year-old man with known gout of round 20's tuning half said no redness, so that gate never held; traced, known
# arthritis was the question likeliest to change his first three (0.61) from the first adaptive screen, but the
# questions that must be asked (the knee checklist, the risk checklist, swelling timing, the pop) came first and
# reached TELL_APART_SCREENS. Asking once past it a question more likely than not (0.5) to change the first three,
# where none to tell the causes apart had come, room for the must-asks kept: interview top-3 990 -> 995 but top-1
# 726 -> 723, and the median rose to 11 or 12 screens in 12 more files (he was asked his sport, valued higher, not
# his gout): dropped.
# Round 22, on the forty-four pool files (interview top-1/top-3 751/1027 against the same answers' 746/1026):
# URGENCY_WEIGHT 1.0, or doubling the weight of the chance of changing the first three for a question only to
# tell the causes apart, changed no file (the must-asks still fill the screens); REACH_MIN 0.05 or 0.10 lost
# two top-1 and one top-3 answers with no file gaining: all dropped.
# Round 26 measured four ways to let the knee checklist past the must-asks (docs/accuracy.md, "Round 26",
# Interview): each lengthened interviews or lost an answer, and all were dropped.
# A child's list of causes is a rough guide (the causes and their weights were drawn up for adults), so a child is
# asked questions only to tell them apart for one screen fewer. Round 36, on the 73 published tuning files: with
# the limp on the warning-sign screen, a child asked only what could change the urgency (as before) lost two
# interview top-3 answers (a 2-year-old's juvenile arthritis, no longer asked about stiffness once her limp had
# sent her the same day). 9 kept top-3 at 1309 (top-1 953 -> 955): three children whose limp now settles the
# urgency by screen 9 lost the right cause (that 2-year-old among them), three with a torn discoid meniscus,
# now asked about the knee, gained it; four small files' medians went from 10.5 or 11 back to 10. 10 gave the
# 200 children top-3 175 (9: 173), but their median went from 8 to 10 screens (9: 9).
CHILD_TELL_APART_SCREENS = 9
MAX_SCREENS = 16  # hard cap: no more questions once the answers fill this many screens (red flags are always asked)
CHILD_AGE = getattr(engine, "CHILD_AGE", 16)  # under this age the adult causes do not apply

# The history, in the order it is taken, after the emergency screen. Each is asked when the knowledge base has
# it and its ``ask_if`` holds. After an injury, what happened is followed by its details (was there a pop, was it
# high-impact: :data:`INJURY_DETAILS`, one tick-box screen), then when and how it began. Without an injury the pop
# is left to the adaptive questions (see Interview._history_todo).
HISTORY = ("age", "side", "injury", "high_energy_injury", "pop_at_onset", "onset", "duration", "pain_site")
# Sex and sport are not part of it: measured on the published cases, asking either of every person at no cost
# in screens (as if said beside the age, or beside what happened) lost top-1 and top-3 answers overall (sex:
# 5 and 6 of 1240; sport: 2 and none, one more over-triage), so each is asked only where the ranking needs it.
# One exception: after an injury that hurts most in the calf, the sport is the history's last question. A calf
# hurt in a tackle or a push-off at sport is most often a torn calf muscle; one hurt otherwise leaves a clot and a
# burst cyst beside it, and the ranking alone did not ask (footballers kicked on the calf were given a burst cyst,
# a clot and a fracture). Measured on the published cases run so far (1936): 38 interviews one screen longer, 4
# more with the right cause first and 4 more with it in the first three; 1 fewer (a man of 51 with a torn calf
# muscle and no sport given: the sport took the tenth screen, which had asked the knee's symptoms and so ruled out
# a torn meniscus). See Interview._history_todo.
INJURIES = engine.INJURIES  # answers to "what happened" that are an injury
# What a nurse asks right after "what happened" when something did: ticked together on one screen (one question
# when only one of them applies, as after a twist, where high impact is not asked).
INJURY_DETAILS = ("pop_at_onset", "high_energy_injury")
INJURY_DETAILS_TITLE = "About the injury: do any of these apply?"

# When and how it began, asked as one question whose choices join the two answers ("Suddenly, 1 to 6 days ago"),
# recorded as the separate ``onset`` and ``duration`` answers. Not knowing how it began is said on the same list,
# with when ("1 to 6 weeks ago, not sure how") or without ("Not sure how or when"), so how long never takes a
# screen of its own. Used when the knowledge base's choices are the ones worded here.
WHEN = ("onset", "duration")
WHEN_QUESTION = "When did the pain start, and did it come on suddenly or gradually?"
WHEN_WORDS = {
    "sudden": (
        "Suddenly",
        {
            "hours": "less than a day ago",
            "days": "1 to 6 days ago",
            "weeks": "1 to 6 weeks ago",
            "months": "more than 6 weeks ago",
            None: "not sure when",
        },
    ),
    "gradual": (
        "Gradually",
        {
            "hours": "within the last day",
            "days": "over 1 to 6 days",
            "weeks": "over 1 to 6 weeks",
            "months": "over more than 6 weeks",
            None: "not sure how long",
        },
    ),
}
WHEN_NOT_SURE = "not sure how"  # after when it began ("1 to 6 weeks ago, not sure how")
WHEN_NOT_SURE_AT_ALL = "Not sure how or when"


def when_choices(kb: KnowledgeBase) -> tuple[tuple[str, dict], ...]:
    """The choices of the when-and-how question, in order: (words, the answers they record). Empty when the
    knowledge base's ``onset`` or ``duration`` choices are not the ones worded here (then each is asked alone)."""
    onset, duration = kb.finding.get("onset"), kb.finding.get("duration")
    if onset is None or duration is None or onset.type != "choice" or duration.type != "choice":
        return ()
    if set(onset.choice_values) != set(WHEN_WORDS) or any(
        set(duration.choice_values) != set(words) - {None} for _, words in WHEN_WORDS.values()
    ):
        return ()
    out = []
    for how in onset.choice_values:
        lead, words = WHEN_WORDS[how]
        out += [(f"{lead}, {words[d]}", {"onset": how, "duration": d}) for d in (*duration.choice_values, None)]
    # Not sure how it began, but knowing when (or not): said on the same screen too, so how long never takes a
    # screen of its own.
    _, ago = WHEN_WORDS["sudden"]
    out += [
        (f"{ago[d][:1].upper()}{ago[d][1:]}, {WHEN_NOT_SURE}", {"onset": None, "duration": d})
        for d in duration.choice_values
    ]
    out.append((WHEN_NOT_SURE_AT_ALL, {"onset": None, "duration": None}))
    return tuple(out)


# Put before a question asked only of women (pregnancy, the pill) where the person's sex is not known, on its
# tick box (kept short: it fits 40 columns) and in its question: the interview asks sex only where the ranking
# needs it, and a man should not be asked whether he is pregnant.
ONLY_FOR_WOMEN = ("Women: ", "If you are a woman: ")

# Yes/no symptoms asked on the warning-sign screen, with the warning signs that are not on the emergency
# screen: what a person notices behind the knee and in the calf (and, from round 71, a back that hurts too).
# They tell apart the causes most often in play (a cyst, cramps, a calf tear, the artery, a clot, pain sent from
# the back) and a nurse asks them with the calf signs; asked there, they cost no screen of their own.
# Whether the pain is getting worse (asked only after weeks or months of it) goes with night pain and weight loss,
# as a nurse asks them together: the pain of a growth in bone keeps building where a strain settles. Asked on a
# screen of its own only when it could change the urgency, it was mostly left unasked, so a growth's worsening
# pain never counted; every earlier weight on it made the interview ask it far more often. Measured on the
# published cases run so far (2000, with the tumour's judgement ratio of 2 up to 24 that came with it): interview
# top-1 +7, top-3 +2, none lost, no urgency moved out of the accepted; 5 interviews 1 to 3 screens longer (young
# people with months of worsening pain, now asked more before stopping), 2 shorter.
WITH_WARNING_SIGNS = (
    "lump_behind_knee",
    "cramp_episodes",
    "calf_pain_on_exercise",
    "tiptoe_pain",
    "fluid_down_calf",
    "bruising_down_leg",
    "back_pain",  # pain sent from the back (sciatica) has no other clue a person can name
    "limp",  # a child's only (its condition): shown on this screen, it costs a child no screen of its own
    "getting_worse",  # after weeks or months of pain only (its condition)
)

# The other yes/no symptoms of the knee, asked together on one tick-box screen when one of them is worth asking:
# what the knee does and what makes it hurt, as a clinician asks them in one breath ("does it catch, give way,
# hurt on stairs or kneeling?"). One screen answers all thirteen: as two lists of six and seven they cost a
# screen more in every interview that needed both, and the second was often left unasked at the screen limit,
# leaving in the first three a cause that one of its "no"s would have moved out. Follow-up questions (cramp
# details, a lump that pulses) are ticked with the risk factors (see checklists()).
SYMPTOM_LISTS = (
    (
        "Does your knee do any of these, or hurt in any of these ways?",
        (
            "catching_or_locking",
            "giving_way",
            "grinding",
            "cannot_fully_straighten",
            "cannot_fully_bend",
            "stiff_after_rest",
            "pain_on_twisting",
            "pain_kneeling",
            "pain_downstairs",
            "pain_rising_or_upstairs",
            "pain_with_activity",
            "thigh_back_pain",
            "inner_knee_below_joint",
        ),
    ),
)

# A question a clinician asks after a sign, whatever else is asked, as (sign ticked, question, from this age or
# None for any). Calf pain that comes on with exercise and eases with rest is told apart by what exercise (a
# runner's exertional compartment syndrome, an athlete's trapped popliteal artery, an older smoker's narrowed
# artery), so the sport is asked before the interview stops. A lump behind the knee from 60 (the knowledge base's
# own age band for artery disease) brings the sex, which a clinician sees without asking: a popliteal aneurysm,
# most often found as such a lump, is about fifteen times commoner in men, and a man's lump keeps the artery in
# the first three, where the ranking alone did not ask (men of 62 and 65 with an aneurysm were given a cyst,
# arthritis of both kinds). Measured on the published cases run so far (1959): 12 interviews one screen longer,
# 2 more with the right cause in the first three, none fewer, no urgency moved.
ASKED_AFTER = (("calf_pain_on_exercise", "sport", None), ("lump_behind_knee", "sex", 60))

ScreenKind = Literal["checklist", "question", "when"]
Phase = Literal["emergency", "history", "warning_signs", "adaptive"]


@dataclass(frozen=True)
class Screen:
    """One thing to show: a tick-box checklist (unticked means "no"), one question, or the when-and-how
    question (``when``: its findings are onset and duration, its choices :func:`when_choices`)."""

    kind: ScreenKind
    findings: tuple[Finding, ...]
    title: str
    phase: Phase = "adaptive"

    @property
    def finding(self) -> Finding:
        """The one finding of a question screen."""
        return self.findings[0]


@dataclass(frozen=True)
class Checklist:
    """Yes/no findings asked together on one tick-box screen."""

    title: str
    findings: tuple[str, ...]
    red_flags: bool  # the warning-sign checklists: asked first, always (the second with a few calf symptoms)


def checklists(kb: KnowledgeBase) -> tuple[Checklist, ...]:
    """The tick-box screens, derived from the rules so a new red flag always lands on one.

    Red flags: first every one that takes part in an emergency rule (so one
    screen settles whether to call for help now); then, after the history, one
    screen with all the others, the calf and leg signs of a clot first, and the
    symptoms of :data:`WITH_WARNING_SIGNS` (two short screens would cost every
    interview a screen). Then every yes/no risk factor on one screen (those in a
    warning-sign rule, a clot, bleeding on a blood thinner, a joint infection,
    first), with the yes/no follow-ups that a tick on the warning-sign screen
    opens (does the lump pulse; cramps at night, or over 10 minutes): shown only
    after that tick, they cost no screen of their own. Then the symptoms of
    :data:`SYMPTOM_LISTS`, each list asked together when one of its members is
    worth asking; a yes/no symptom on none of them
    (not a follow-up question) goes on one more list. The injury's details
    (:data:`INJURY_DETAILS`) are a list of their own, asked in the history.
    """
    in_emergency: set[str] = set()
    in_clot: set[str] = set()
    in_rules: set[str] = set()
    for rule in kb.red_flag_rules:
        ids = rule.when.findings()
        in_rules |= ids
        if rule.level in EMERGENCY_LEVELS:
            in_emergency |= ids
        if rule.hazard == "clot":
            in_clot |= ids
    first = tuple(f for f in kb.red_flags if f in in_emergency)
    calf = tuple(f for f in kb.red_flags if f in in_clot and f not in first)
    rest = tuple(f for f in kb.red_flags if f not in first and f not in calf)
    with_signs = tuple(f for f in WITH_WARNING_SIGNS if _yes_no(kb, f))
    risks = [f.id for f in kb.findings if f.group == "risk" and f.type == "boolean"]
    risks.sort(key=lambda f: f not in in_rules)  # those in a warning-sign rule first (a stable sort)
    # Follow-ups of the warning-sign screen (does the lump pulse, do the cramps come at night): a yes/no question
    # that only a tick on that screen opens is ticked on the next tick-box screen, not asked on one of its own.
    second = set(calf + rest + with_signs)
    follow_ups = [
        f.id
        for f in kb.findings
        if f.type == "boolean" and f.ask_if is not None and f.ask_if.findings() <= second and f.id not in risks
    ]
    details = tuple(f for f in INJURY_DETAILS if _yes_no(kb, f))
    lists = [
        Checklist("Do any of these apply to you right now?", first, True),
        Checklist("Do any of these apply to your leg or knee?", calf + rest + with_signs, True),
        Checklist(INJURY_DETAILS_TITLE, details if len(details) > 1 else (), False),
        Checklist("Do any of these apply to you?", tuple(risks + follow_ups), False),
    ]
    for title, ids in SYMPTOM_LISTS:
        lists.append(Checklist(title, tuple(f for f in ids if _yes_no(kb, f) and f not in with_signs), False))
    # A yes/no symptom on no list (a knowledge base's new one) is asked with the others like it, not alone.
    listed = {f for c in lists for f in c.findings}
    others = tuple(
        f.id
        for f in kb.findings
        if f.group == "symptom" and f.type == "boolean" and f.ask_if is None and f.id not in listed
    )
    lists.append(Checklist("Have you noticed any of these?", others, False))
    return tuple(c for c in lists if c.findings)


def _only_for_women(f: Finding, answers: dict) -> bool:
    """Whether ``f`` is asked only where the person is not a man (its ``ask_if`` reads sex) and the answers do
    not say the person's sex."""
    if f.ask_if is None or "sex" not in f.ask_if.findings() or answers.get("sex") is not None:
        return False
    return f.ask_if.holds(answers) and not f.ask_if.holds({**answers, "sex": "male"})


def _yes_no(kb: KnowledgeBase, fid: str) -> bool:
    return fid in kb.finding and kb.finding[fid].type == "boolean"


def _first_three(log_odds) -> frozenset[int]:
    """The causes (by index) in the first three of a ranking (ties as engine.rank_causes breaks them)."""
    return frozenset(sorted(range(len(log_odds)), key=lambda i: -log_odds[i])[:3])


def _newly_possible(result: engine.TriageResult, now: engine.TriageResult) -> bool:
    """Whether a hazardous cause is possible in ``result`` that is not in ``now``."""
    return not _possible_hazards(result) <= _possible_hazards(now)


def _possible_hazards(result: engine.TriageResult) -> frozenset[str]:
    """Hazardous causes whose floor applies and for which soft-tissue advice is withheld: possible, or counted
    as first as the engine counts it (:func:`engine.leads`)."""
    return frozenset(
        rc.id
        for rc, first in zip(result.causes, result.first, strict=True)
        if rc.cause.hazard and (first or rc.probability >= engine.POSSIBLE)
    )


def _entropy(weights) -> float:
    """Entropy in bits of a distribution given as non-negative weights."""
    weights = list(weights)
    total = sum(weights)
    return -sum(w / total * math.log2(w / total) for w in weights if w > 0)


class Interview:
    """The state of one interview. ``prefill`` answers (from a file) are never asked again."""

    def __init__(self, kb: KnowledgeBase, prefill: dict | None = None) -> None:
        self.kb = kb
        self.answers: dict = dict(prefill or {})
        self.answers.update(engine.implied(kb, self.answers))
        self.checklists = checklists(kb)
        self._checklist_of = {f: c for c in self.checklists for f in c.findings}
        self._checklist_by_title = {c.title: c for c in self.checklists}
        self._when_choices = when_choices(kb)
        self.stopped_for_emergency = False
        self._done = False
        # What the last choice of an adaptive question found still to ask (questions that must be asked, and
        # whether one only to tell the causes apart may still come), for the progress estimate; None before.
        self._still_needed: tuple[int, bool] = (0, True)
        self._adaptive_now = False  # whether the screen being shown is an adaptive one
        self._last_left = 0  # the last estimate given: once "nearly done", it stays so
        # finding id -> (index of a cause, its evidence on that finding), to score "what if" answers quickly
        self._evidence: dict[str, list] = {}
        for i, cause in enumerate(kb.causes):
            for e in cause.evidence:
                self._evidence.setdefault(e.finding, []).append((i, e))

    # -- what the engine says about the answers so far -------------------------------------

    def result(self) -> engine.TriageResult:
        return engine.triage(self.kb, self.answers)

    def _so_far(self) -> engine.TriageResult:
        """The result on the answers so far, for choosing what to ask: what is not asked yet is not "not given"."""
        return engine.triage(self.kb, self.answers, worst=False)

    def _level(self, answers: dict) -> str:
        return engine.triage(self.kb, answers, worst=False).urgency.level

    def askable(self, f: Finding) -> bool:
        return f.id not in self.answers and (f.ask_if is None or f.ask_if.holds(self.answers))

    def _when_together(self) -> bool:
        """Whether when and how it began are still to be asked together, on one screen."""
        return bool(self._when_choices) and all(
            fid not in self.answers and self.askable(self.kb.finding[fid]) for fid in WHEN
        )

    @property
    def screens_answered(self) -> int:
        """How many screens the answers so far take: one per question, one per checklist touched and
        one more for a checklist with a "not sure" (the terminal then asks which ones).

        Counted over all the answers, given beforehand or not, so the hard cap
        stops a saved interview given back with --answers at the same place.
        """
        singles = 0
        lists: dict[str, list] = {}  # checklist title -> [answers on it, has a "not sure"]
        for fid, value in self.answers.items():
            if engine.is_implied(self.answers, fid):
                continue  # given by another answer, it took no screen
            if fid == "duration" and self._when_choices and "onset" in self.answers:
                continue  # said with how it began, on the same screen
            c = self._checklist_of.get(fid)
            if c is None:
                singles += 1
            else:
                seen = lists.setdefault(c.title, [0, False])
                seen[0] += 1
                seen[1] = seen[1] or value is None
        for title, (answered, unsure) in lists.items():
            # The only one of a list that was asked was asked as one question (see _list_screen).
            one = answered == 1 and not self._checklist_by_title[title].red_flags
            singles += 1 if one else 2 if unsure else 1
        return singles

    def emergency_reasons(self) -> tuple[str, ...]:
        """Why the urgency is an emergency, without the less urgent reasons that come with it."""
        urgency = self.result().urgency
        return urgency.reasons[: urgency.at_level]

    # -- the interview ---------------------------------------------------------------------

    def record(self, screen: Screen, value) -> None:
        """Store the answer to a screen.

        A checklist takes a dict of finding id -> True/False/None for every
        finding on it; a question takes one value (None = not sure); the
        when-and-how question a dict of onset and duration, as :func:`when_choices` records them (a saved
        file's onset without duration asks how long next, alone).
        """
        if screen.kind == "checklist":
            missing = [f.id for f in screen.findings if f.id not in value]
            if missing:
                raise ValueError(f"no answer for: {', '.join(missing)}")
            for f in screen.findings:
                self.answers[f.id] = value[f.id]
        elif screen.kind == "when":  # {"onset": ..., "duration": ...}
            if "onset" not in value or not set(value) <= set(WHEN):
                raise ValueError(f"when and how it began takes onset and duration, not: {', '.join(value)}")
            self.answers.update(value)
        else:
            self.answers[screen.finding.id] = value
        self.answers.update(engine.implied(self.kb, self.answers))  # not asked again, never contradicted

    def next_screen(self) -> Screen | None:
        """The next screen to show, or None when the interview is over."""
        if self._done:
            return None
        screen = self._next()
        if screen is None:
            self._done = True
        return screen

    @property
    def _tell_apart_screens(self) -> int:
        """Screens after which no question only to tell the causes apart is asked."""
        return CHILD_TELL_APART_SCREENS if self.child else TELL_APART_SCREENS

    @property
    def child(self) -> bool:
        """Whether the person is a child, for whom the adult causes do not apply."""
        age = self.answers.get("age")
        return isinstance(age, int) and not isinstance(age, bool) and age < CHILD_AGE

    def _history_todo(self) -> list[Finding]:
        """History questions still to ask, in order (those whose ``ask_if`` does not hold yet included).

        After an injury its details (the pop, high impact) come straight after what happened. Without one,
        the pop is not part of the history: it tells injuries apart, so it is asked only where the answers
        make it worth a screen, as any other question. After an injury that hurts most in the calf, the
        sport comes last, once where it hurts has been said (see the note under :data:`HISTORY`)."""
        order = list(HISTORY)
        if "injury" in self.answers and self.answers["injury"] not in INJURIES:
            order.remove("pop_at_onset")
        if self.answers.get("injury") in INJURIES and self.answers.get("pain_site") == "calf":
            order.append("sport")
        return [self.kb.finding[fid] for fid in order if fid in self.kb.finding and fid not in self.answers]

    def _red_checklists_todo(self) -> list[Checklist]:
        return [c for c in self.checklists if c.red_flags and any(self.askable(self.kb.finding[f]) for f in c.findings)]

    def as_asked(self, f: Finding) -> Finding:
        """``f`` worded for this person: a question asked only of women (pregnancy, the pill) says so, on its
        tick box and in its question, where the person's sex is not known (not asked, or "not sure"), so a
        man is not asked whether he is pregnant. The answer is recorded as ``f``'s, unchanged."""
        if not _only_for_women(f, self.answers):
            return f
        question = f.question[:1].lower() + f.question[1:]
        on_tick, in_question = ONLY_FOR_WOMEN
        return replace(f, label=f"{on_tick}{f.label}", question=f"{in_question}{question}")

    def _checklist_screen(self, c: Checklist, phase: Phase) -> Screen:
        todo = tuple(self.kb.finding[f] for f in c.findings if self.askable(self.kb.finding[f]))
        return Screen("checklist", todo, c.title, phase)

    def _list_screen(self, c: Checklist, phase: Phase) -> Screen:
        """The members of a (not warning-sign) list that may be asked, ticked together; only one: asked alone."""
        todo = tuple(self.as_asked(self.kb.finding[g]) for g in c.findings if self.askable(self.kb.finding[g]))
        if len(todo) == 1:
            return Screen("question", todo, todo[0].question, phase)
        return Screen("checklist", todo, c.title, phase)

    def _next(self) -> Screen | None:
        level = self._level(self.answers)
        deciders = self._emergency_deciders(level)
        if level in EMERGENCY_LEVELS and not deciders:
            self.stopped_for_emergency = True
            return None
        todo = self._red_checklists_todo()
        if todo and todo[0] is self.checklists[0]:  # the emergency screen
            return self._checklist_screen(todo[0], "emergency")
        if deciders:
            age = self.kb.finding.get("age")
            if age is not None and self.askable(age):  # a child is known before anything is ranked, a stop too
                return self._question(age, "history")
            return self._question(deciders[0], "emergency")
        for f in self._history_todo():
            if not self.askable(f):
                continue
            c = self._checklist_of.get(f.id)
            if c is not None:  # the injury's details
                return self._list_screen(c, "history")
            if f.id in WHEN and self._when_together():
                return Screen("when", tuple(self.kb.finding[g] for g in WHEN), WHEN_QUESTION, "history")
            return Screen("question", (f,), f.question, "history")
        if todo:
            return self._checklist_screen(todo[0], "warning_signs")
        if self.screens_answered >= MAX_SCREENS:
            return None
        best = self._best_question(level)
        self._adaptive_now = True
        return None if best is None else self._question(best)

    def _question(self, f: Finding, phase: Phase = "adaptive") -> Screen:
        c = self._checklist_of.get(f.id)
        if c is not None and not c.red_flags:  # asked with the rest of its checklist (all that may be asked)
            return self._list_screen(c, phase)
        # A question gated on one not yet asked (pregnancy on sex) waits for its gate.
        if f.ask_if is not None:
            for gate in sorted(f.ask_if.findings()):
                g = self.kb.finding[gate]
                if self.askable(g):
                    return self._question(g, phase)
        return Screen("question", (f,), f.question, phase)

    def _emergency_deciders(self, level: str) -> list[Finding]:
        """Unasked findings whose absence is what makes an emergency rule fire, and an answer to
        which could make the urgency less than an emergency (``injury`` after "cannot bear weight")."""
        if level not in EMERGENCY_LEVELS:
            return []
        out: list[Finding] = []
        for rule in self.kb.red_flag_rules:
            if rule.level not in EMERGENCY_LEVELS or not rule.when.holds(self.answers):
                continue
            for fid in sorted(rule.when.findings()):
                f = self.kb.finding[fid]
                if f in out or not self.askable(f):
                    continue
                if any(
                    self._level({**self.answers, fid: a}) not in EMERGENCY_LEVELS for a in possible_answers(self.kb, f)
                ):
                    out.append(f)
        return out

    def _answer_chances(self, f: Finding, answers_to: tuple, shares: dict[str, float]) -> list[float]:
        """How likely each answer is on the current ranking: each cause's likelihood ratios for
        the answers, normalised per cause, weighted by the cause's share."""
        chances = [0.0] * len(answers_to)
        for cause in self.kb.causes:
            ratios = []
            for a in answers_to:
                lr = 1.0
                for e in cause.evidence:
                    if e.finding == f.id and leaf_matches(e, a) and e.counts(self.answers):
                        lr *= e.lr
                ratios.append(lr)
            total = sum(ratios)
            for i, r in enumerate(ratios):
                chances[i] += shares[cause.id] * r / total
        return chances

    def _best_question(self, level: str) -> Finding | None:
        """The most useful next question, or None when none is left that must be asked or is worth a screen.

        Must be asked (before the interview stops, whatever else): a question an answer to which would change
        the urgency, make a hazardous cause possible (engine.POSSIBLE, where its floor applies and soft-tissue
        advice is withheld), whatever its floor, or change whether that
        advice is withheld (each found by running the engine on the
        answers so far plus each possible answer); one the engine lists as not checked (answers that together
        could make the result more urgent); or one of those that together could make a cause in play need a
        more urgent floor (:meth:`_floor_reachable`). Worth a screen, once none of those is left and while
        fewer than :data:`TELL_APART_SCREENS` screens were shown: a question whose answer is likely enough
        (:data:`TOP3_MIN`) to change which causes are in the first three, and at exactly that many one likely
        enough (:data:`HAZARD_TOP3_MIN`) to bring a hazardous cause in play into them. Of either kind, the one
        that tells the most (expected information about the ranking, plus the chance of changing the first three and the
        urgency) is asked first; a checklist is worth what its members are together.
        """
        now = self._so_far()
        # The result if the interview stopped here reads what was not said the worst way (engine.worst_case);
        # an answer that would change that result must be asked too (the sport that makes a sudden start an
        # injury, for one).
        worst_now = engine.triage(self.kb, self.answers) if self._worst_case_open() else None
        ranked = now.causes
        shares = {rc.id: rc.score for rc in ranked}
        before = _entropy(shares.values())
        log_odds = {rc.id: rc.log_odds for rc in ranked}
        base = [log_odds[c.id] for c in self.kb.causes]
        top3 = _first_three(base)
        # At TELL_APART_SCREENS, the hazardous causes in play (REACH_MIN) outside the first three: a question
        # likely to bring one in is still asked (HAZARD_TOP3_MIN).
        hazards: frozenset[int] = frozenset()
        if not self.child and self.screens_answered == TELL_APART_SCREENS:
            in_play = {rc.id for rc in ranked if rc.cause.hazard and rc.probability >= REACH_MIN}
            hazards = frozenset(i for i, c in enumerate(self.kb.causes) if c.id in in_play) - top3
        pending = set(now.not_checked) - set(self.kb.red_flags)
        if not self.child:
            pending |= self._floor_reachable(now)
            age = self.answers.get("age")
            pending |= {
                q
                for sign, q, from_age in ASKED_AFTER
                if self.answers.get(sign) is True and (from_age is None or (isinstance(age, int) and age >= from_age))
            }
        # question id or checklist title -> [information, chance the first three stay, chance the urgency
        # stays, must be asked, a finding, chance a hazardous cause stays out of the first three]
        units: dict[str, list] = {}
        nothing_chance: dict[str, float] = {}  # checklist title -> chance that nothing on it is ticked
        for f in self.kb.findings:
            if not self.askable(f):
                continue
            answers_to = possible_answers(self.kb, f)
            chances = self._answer_chances(f, answers_to, shares)
            # One only ever asking for a routine appointment is not forced once the result reads something
            # not said the worst way (``worst_now``): it would change nothing the person is told to do.
            forced = f.id in pending and not (worst_now is not None and f.id in engine.routine_only(self.kb))
            gain, moved, change, must, hazard_in = before, 0.0, 0.0, forced and not self.child, 0.0
            for a, p in zip(answers_to, chances, strict=True):
                probabilities = self._probabilities_after(base, f.id, a)
                gain -= p * _entropy(probabilities)
                if (three := _first_three(probabilities)) != top3:
                    moved += p
                    if three & hazards:
                        hazard_in += p
                if hazards and a is False and f.id in self._checklist_of:
                    title = self._checklist_of[f.id].title
                    nothing_chance[title] = nothing_chance.get(title, 1.0) * p
                if self._changes(now, {**self.answers, f.id: a}, f, worst_now):
                    change += p
                    must = True
            c = self._checklist_of.get(f.id)
            unit = units.setdefault(f.id if c is None else c.title, [0.0, 1.0, 1.0, False, f, 1.0])
            unit[0] += max(gain, 0.0)
            unit[1] *= 1.0 - moved
            unit[2] *= 1.0 - change
            unit[3] = unit[3] or must
            unit[5] *= 1.0 - hazard_in
        # A checklist left with nothing ticked says "no" to all of its signs at once. Together those answers can
        # change the result where none does alone (every knee symptom denied leaves a clot possible), so that
        # answer is weighed too.
        for c in self.checklists:
            unit = units.get(c.title)
            if c.red_flags or unit is None or unit[3]:
                continue
            nothing = {fid: False for fid in c.findings if self.askable(self.kb.finding[fid])}
            if self._changes(now, {**self.answers, **nothing}, unit[4], worst_now):
                unit[3] = True
            elif hazards and _first_three(self._probabilities_after_all(base, nothing)) & hazards:
                unit[5] *= 1.0 - nothing_chance.get(c.title, 0.0)
        left = MAX_SCREENS - self.screens_answered
        musts = sum(1 for unit in units.values() if unit[3])
        # Near the cap, or after TELL_APART_SCREENS (a child: CHILD_TELL_APART_SCREENS), the screens left go to
        # the questions that must be asked.
        urgency_only = self.screens_answered >= self._tell_apart_screens or left <= musts
        fixed = {c.title for c in self.checklists if c.red_flags} | set(HISTORY)  # counted by screens_left
        self._still_needed = (sum(1 for k, u in units.items() if u[3] and k not in fixed), not urgency_only)
        # The questions that must be asked come first; one only to tell the causes apart is asked after them,
        # while there is room, so it never keeps one of them from being asked.
        best, best_key = None, (False, 0.0)
        for gain, stays, same_level, must, f, hazard_out in units.values():
            moved, change = 1.0 - stays, 1.0 - same_level
            if f.id in self._checklist_of and left < 2:
                continue  # a checklist may take two screens ("which are you not sure about?")
            # At TELL_APART_SCREENS, one likely to bring a hazardous cause in play into the first three is still
            # asked, while there is room beside the questions that must be asked (``hazards`` is empty otherwise).
            hazard_reach = bool(hazards) and left > musts and 1.0 - hazard_out >= HAZARD_TOP3_MIN
            if not must and not hazard_reach and (urgency_only or moved < TOP3_MIN):
                continue
            key = (must, gain + moved + URGENCY_WEIGHT * change)
            if best is None or key > best_key:
                best, best_key = f, key
        return best

    def _floor_reachable(self, now: engine.TriageResult) -> set[str]:
        """Unasked questions through which a cause in play could come to set a more urgent floor.

        For each cause at least :data:`REACH_MIN` likely whose floor is above the urgency so far and does not
        apply yet (a hazardous cause applies it from engine.POSSIBLE, any other from engine.SUPPORTED), the
        unasked questions that could raise it most are taken, largest first, until together they could take
        it there; none are taken if all of them together could not.
        """
        out: set[str] = set()
        level = rank(now.urgency.level)
        for rc in now.causes:
            at = engine.POSSIBLE if rc.cause.hazard else engine.SUPPORTED
            if rc.probability >= at or rc.probability < REACH_MIN or rank(rc.cause.urgency_floor) >= level:
                continue
            need = math.log(at / (1.0 - at)) - rc.log_odds
            chosen = []
            for fid, g in engine.lifts(self.kb, rc.cause, self.answers):
                if not self.askable(self.kb.finding[fid]):
                    continue
                chosen.append(fid)
                need -= g
                if need <= 0:
                    out.update(chosen)
                    break
        return out

    def _pending_screens(self) -> int:
        """Screens that the questions the answers so far leave to be asked would take (for the progress
        estimate, before the adaptive questions start): those the engine lists as not checked and those
        through which a cause in play could come to need a more urgent floor (:meth:`_floor_reachable`), a
        checklist counted once; the warning-sign checklists and the history are counted apart."""
        now = self._so_far()
        pending = set(now.not_checked) - set(self.kb.red_flags)
        if not self.child:
            pending |= self._floor_reachable(now)
        screens = set()
        for fid in pending - set(HISTORY):
            if not self.askable(self.kb.finding[fid]):
                continue  # answered, or asked only once its condition holds (a child's limp, once the age is known)
            c = self._checklist_of.get(fid)
            if c is None or not c.red_flags:
                screens.add(fid if c is None else c.title)
        return len(screens)

    def _worst_case_open(self) -> bool:
        """Whether a history answer is still missing or "not sure", so the result would read it the worst way."""
        return any(self.answers.get(fid) is None for fid in engine.WORST_CASE_HISTORY if fid in self.kb.finding)

    def _changes(
        self,
        now: engine.TriageResult,
        after: dict,
        asked: Finding,
        worst_now: engine.TriageResult | None = None,
    ) -> bool:
        """Whether these answers change the urgency, make a hazardous cause possible (whatever its floor), or
        change whether soft-tissue advice is withheld
        (for a child: only the urgency), or open a question (cramp details)
        an answer to which would change the urgency; or change the urgency of ``worst_now``, the result if the
        interview stopped now (what was not said read the worst way). On that reading, an adult's answer is
        also asked where it alone changes whether soft-tissue advice is
        withheld or makes a hazardous cause newly possible
        (as on the answers so far, below): a missing history answer read the worst way can make a hazard
        possible that the answers so far do not (a knee that swelled within hours, what happened not known)."""
        if worst_now is not None:
            worst = engine.triage(self.kb, after)
            if worst.urgency.level != worst_now.urgency.level:
                return True
            if not self.child:
                if bool(worst.soft_tissue_withheld) != bool(worst_now.soft_tissue_withheld):
                    return True
                if _newly_possible(worst, worst_now):
                    return True
        if self.child:
            return self._changes_urgency(after, now.urgency.level, asked)
        result = engine.triage(self.kb, after, worst=False)
        if result.urgency.level != now.urgency.level:
            return True
        if bool(result.soft_tissue_withheld) != bool(now.soft_tissue_withheld):
            return True
        # Any hazard newly possible, whatever its floor: the result then names it for the doctor to rule out
        # and gives its own advice (the artery's: call for help if the leg turns cold), so it is asked even
        # where the urgency so far is already as urgent as its floor and soft-tissue advice already withheld.
        # (Round 24: exempting those, as earlier rounds did, let an interview stop with a smoker's sex unasked
        # where "male" made artery disease possible beside a clot already sent to the same day; asking them
        # cost one top-1 answer and one screen in the longest interview of two files, the medians unchanged.)
        if _newly_possible(result, now):
            return True
        return self._changes_urgency(after, now.urgency.level, asked, opened_only=True)

    def _probabilities_after(self, base: list[float], fid: str, answer) -> list[float]:
        """Each cause's probability if ``fid`` (not answered yet) were answered ``answer``: the same
        numbers as engine.rank_causes, without its explanations."""
        return self._probabilities_after_all(base, {fid: answer})

    def _probabilities_after_all(self, base: list[float], answers: dict) -> list[float]:
        """Each cause's probability if the unasked findings of ``answers`` were answered so, together."""
        lo = list(base)
        after = {**self.answers, **answers}  # what a conditional ratio's condition is read on
        for fid, answer in answers.items():
            for i, e in self._evidence.get(fid, ()):
                if leaf_matches(e, answer) and e.counts(after):
                    lo[i] += e.log_lr
        return [1.0 / (1.0 + math.exp(-x)) for x in lo]

    def _changes_urgency(self, after: dict, level: str, asked: Finding, opened_only: bool = False) -> bool:
        """Whether these answers change the urgency, or open a question (cramp details) an answer to
        which would."""
        if not opened_only and self._level(after) != level:
            return True
        for g in self.kb.findings:
            if (
                g.ask_if is not None
                and asked.id in g.ask_if.findings()
                and g.id not in after
                and g.ask_if.holds(after)
                and not g.ask_if.holds(self.answers)
                and any(self._level({**after, g.id: b}) != level for b in possible_answers(self.kb, g))
            ):
                return True
        return False

    def _history_screens_left(self) -> int:
        """History screens still to come: the injury's details and when and how it began count one each."""
        screens: set[str] = set()
        for f in self._history_todo():
            if f.ask_if is not None and not f.ask_if.holds(self.answers):
                continue
            if f.id in INJURY_DETAILS and "injury" not in self.answers:
                screens.add("details")  # asked only after an injury (or, without one, the pop after a sudden start)
            elif f.id in WHEN and self._when_choices and "onset" not in self.answers:
                screens.add("when")
            else:
                c = self._checklist_of.get(f.id)
                screens.add(f.id if c is None else c.title)
        return len(screens)

    def screens_left(self) -> int:
        """About how many screens are left, the one being shown included, for "question 4 of about 11".

        The warning-sign checklists and history questions still to come, plus the adaptive questions. Most
        interviews that do not stop for an emergency end at :data:`TELL_APART_SCREENS`, when no question
        that must be asked is left: so the estimate fills the interview up to that, or, where more
        questions must be asked, counts them (before the adaptive questions start, those the answers so far
        leave open, :meth:`_pending_screens`; once they have, those the last choice found) and one more
        that an answer may open; within the hard cap. The total it announces is revised up, never down, and
        once "nearly done" it stays so. Call it once for each screen, in order.
        """
        fixed = len(self._red_checklists_todo()) + self._history_screens_left()
        if not self._adaptive_now:
            # Before the adaptive questions: those to tell the causes apart fill the interview up to
            # TELL_APART_SCREENS, and the questions the answers so far leave to be asked (a missing clot risk
            # factor, say) may take it past that; one more for what an answer may open.
            adaptive = max(self._tell_apart_screens - self.screens_answered - fixed, self._pending_screens() + 1)
        else:  # those that must still be asked (this one included) and one that an answer may open, or those
            musts, telling_apart = self._still_needed  # to tell the causes apart while they may still come
            room_to_tell = max(0, self._tell_apart_screens - self.screens_answered)
            adaptive = max(1, musts + 1, room_to_tell if telling_apart else 0)
        room = max(1, MAX_SCREENS - self.screens_answered)
        left = max(1, min(fixed + adaptive, room))
        if self._last_left == 1:
            left = 1  # "nearly done" never turns back into "of about"
        elif self._last_left:  # the total announced is revised up as questions become needed, never down
            left = max(left, min(self._last_left - 1, room))
        self._last_left = left
        return left


def progress(shown: int, left: int) -> str:
    """The progress line of screen ``shown`` (from 1) when about ``left`` screens are left, this one included.

    It never says "question 10 of about 10": where the estimate says this is
    about the last screen, or the interview has gone past it, it says "nearly
    done" instead.
    """
    about = shown + left - 1
    return f"Question {shown} of about {about}" if about > shown else f"Question {shown} (nearly done)"


YES_NO_GROUPS = ("red_flag", "risk", "symptom")


def truthful_answer(case_answers: dict, f: Finding, unsure: Collection[str] = ()):
    """How the simulated person of a written case answers a question (the public interface, section 6).

    A question whose id is in the case's answers gets that answer. A case lists
    the warning signs, risk factors and symptoms the person has, so asked about
    another one they say no, except for a warning sign the case lists as not
    checked (``unsure``, the case's ``unanswered``): "not sure". Anything else
    the case does not give (age, which knee) is "not sure".
    """
    if f.id in case_answers:
        return case_answers[f.id]
    if f.id in unsure:
        return None
    return False if f.type == "boolean" and f.group in YES_NO_GROUPS else None


def screen_value(screen: Screen, answer_of: Callable[[Finding], object]):
    """What a person whose answer to each finding is ``answer_of(finding)`` records on a screen (the value
    :meth:`Interview.record` takes).

    On the when-and-how question each part is answered as it would be alone, both on the one screen
    ("Suddenly, not sure when", "1 to 6 weeks ago, not sure how", "Not sure how or when")."""
    if screen.kind == "checklist":
        return {f.id: answer_of(f) for f in screen.findings}
    if screen.kind == "when":
        onset, duration = screen.findings
        return {onset.id: answer_of(onset), duration.id: answer_of(duration)}
    return answer_of(screen.finding)


def screens_taken(screen: Screen, value) -> int:
    """Screens the terminal shows to record ``value``: a checklist with a "not sure" takes two (the tick
    boxes, then "which of these are you not sure about?"); any other screen one."""
    return 2 if screen.kind == "checklist" and None in value.values() else 1


def everything_said(kb: KnowledgeBase, case_answers: dict, unsure: Collection[str] = ()) -> dict:
    """Every answer the simulated person of a case would give if asked everything: the scripted path's
    "same answers" for comparing the interview with it (the case's own, plus "no" to each yes/no
    question it leaves out)."""
    case_answers = {**engine.implied(kb, case_answers), **case_answers}
    said = {f.id: truthful_answer(case_answers, f, unsure) for f in kb.findings}
    return {k: v for k, v in said.items() if v is not None or k in case_answers or k in unsure}


def stopped_for_emergency(kb: KnowledgeBase, answers: dict, result: engine.TriageResult) -> bool:
    """Whether an interview that ended with these answers stopped for an emergency (the same answers stop at
    the same place, so this holds for a saved interview given back too)."""
    if result.urgency.level not in EMERGENCY_LEVELS:
        return False
    iv = Interview(kb, answers)
    return iv.next_screen() is None and iv.stopped_for_emergency


def simulate(
    kb: KnowledgeBase, case_answers: dict, unsure: Collection[str] = ()
) -> tuple[dict, int, engine.TriageResult]:
    """Run an interview answered by a case's simulated person (see :func:`truthful_answer`).

    Returns (answers given, screens shown, result), the screens counted as
    the terminal shows them (:func:`screens_taken`); each screen is answered
    as :func:`screen_value` says.
    """
    iv = Interview(kb)
    screens = 0
    while (screen := iv.next_screen()) is not None:
        value = screen_value(screen, lambda f: truthful_answer(case_answers, f, unsure))
        screens += screens_taken(screen, value)
        iv.record(screen, value)
    return iv.answers, screens, iv.result()
