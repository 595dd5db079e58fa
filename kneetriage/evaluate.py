"""Checking a knowledge base against written cases, for clinical editors.

A cases file is JSON Lines, one case a line::

    {"id": "p-dvt", "story": "...", "answers": {...}, "top": ["dvt"], "top3": [],
     "urgency": ["consultation_24"], "unanswered": []}

``answers`` is an answers file (checked by the same function as ``ask --answers``);
``top`` the causes accepted in first place (empty: the ranking is not scored);
``top3`` causes that must be among the first three; ``urgency`` the accepted
levels; ``unanswered`` red flags the result must list as not checked.

:func:`read_cases` streams a file one case at a time (memory does not grow
with the number of cases); parsing and scoring are pure; :func:`print_table`
draws a summary on a rich console that the caller passes in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from msgspec import Struct

from . import answers as answers_mod
from . import engine, files
from .errors import UsageError, suggest
from .knowledge import LEVELS, KnowledgeBase, rank

FIELDS = ("id", "story", "source", "notes", "answers", "top", "top3", "urgency", "unanswered")
REQUIRED = ("id", "answers", "urgency")


class Case(Struct, frozen=True):
    id: str
    line: int
    answers: dict  # checked answers, as ask --answers would use them
    top: tuple[str, ...]
    top3: tuple[str, ...]
    urgency: tuple[str, ...]
    unanswered: tuple[str, ...]
    story: str = ""
    source: str = ""  # where a published case comes from: kept, not scored
    notes: str = ""


class Outcome(Struct, frozen=True):
    """One case scored: what came out, and which expectations it met."""

    case: Case
    result: engine.TriageResult
    top1_ok: bool
    top3_ok: bool
    urgency_ok: bool
    under_triage: bool  # less urgent than the least urgent accepted level
    over_triage: bool  # more urgent than the most urgent accepted level
    unanswered_ok: bool
    screens: int | None = None  # screens the interview showed (``--interview``), as in the terminal
    # ``--interview``: whether it stopped for an emergency (the terminal then shows the emergency panel, not the
    # causes, and the ranking rests on the answers given up to then)
    stopped_for_emergency: bool | None = None

    @property
    def ok(self) -> bool:
        return self.top1_ok and self.top3_ok and self.urgency_ok and self.unanswered_ok

    def misses(self) -> list[str]:
        """What was expected and not met, one phrase each."""
        c, out = self.case, []
        if not self.urgency_ok:
            word = " (under-triage)" if self.under_triage else " (over-triage)" if self.over_triage else ""
            out.append(f"urgency {' or '.join(c.urgency)}{word}")
        if not self.top1_ok:
            out.append(f"first: {' or '.join(c.top)}")
        if not self.top3_ok:
            need = list(c.top3) + ([f"one of {', '.join(c.top)}"] if len(c.top) > 1 else list(c.top))
            out.append(f"in the first three: {', '.join(dict.fromkeys(need))}")
        if not self.unanswered_ok:
            missing = [f for f in c.unanswered if f not in self.result.unanswered_red_flags]
            out.append(f"listed as not checked: {', '.join(missing)}")
        return out


def _error(source: str, line: int, problem: str) -> UsageError:
    return UsageError(f"{source} line {line}: {problem}")


def _ids(value, key: str, known, what: str, source: str, line: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(source, line, f"'{key}' must be a list of {what} ids, such as [\"{next(iter(known))}\"]")
    for v in value:
        if v not in known:
            raise _error(source, line, f"'{key}' names unknown {what} '{v}'{suggest(v, known)}")
    return tuple(value)


def parse_case(kb: KnowledgeBase, text: str, line: int, source: str = "cases file") -> Case:
    """One line of a cases file -> a checked Case. Raises UsageError naming the line."""
    try:
        value = files.parse_json(text)  # the same strict rules as an answers file
    except UsageError as e:
        raise _error(source, line, f"{e.message}; each line holds one case object") from None
    if not isinstance(value, dict):
        raise _error(source, line, 'a case must be a JSON object with "id", "answers" and "urgency"')
    for key in value:
        if key not in FIELDS:
            raise _error(source, line, f"unknown key '{key}'{suggest(key, FIELDS)}; allowed: {', '.join(FIELDS)}")
    for key in REQUIRED:
        if key not in value:
            raise _error(source, line, f"missing '{key}'; a case needs {', '.join(REQUIRED)}")
    case_id = value["id"]
    if not isinstance(case_id, str) or not case_id:
        raise _error(source, line, "'id' must be a non-empty string")
    for key in ("story", "source", "notes"):
        if not isinstance(value.get(key, ""), str):
            raise _error(source, line, f"'{key}' must be a string")
    try:
        given = answers_mod.check(kb, value["answers"], "'answers'")
    except UsageError as e:
        raise _error(source, line, e.message) from None
    urgency = _ids(value["urgency"], "urgency", LEVELS, "urgency level", source, line)
    if not urgency:
        raise _error(source, line, f"'urgency' is empty; list the accepted levels from: {', '.join(LEVELS)}")
    return Case(
        id=case_id,
        line=line,
        answers=given,
        top=_ids(value.get("top", []), "top", kb.cause, "cause", source, line),
        top3=_ids(value.get("top3", []), "top3", kb.cause, "cause", source, line),
        urgency=urgency,
        unanswered=_ids(value.get("unanswered", []), "unanswered", kb.red_flags, "red flag", source, line),
        story=value.get("story", ""),
        source=value.get("source", ""),
        notes=value.get("notes", ""),
    )


def read_cases(kb: KnowledgeBase, path: str, source: str = "cases file") -> Iterator[Case]:
    """Each case of a cases file ('-' for standard input), read, parsed and checked one at a time."""
    return parse_lines(kb, files.read_lines(path, "cases file"), source)


def parse_cases(kb: KnowledgeBase, raw: bytes, source: str = "cases file") -> list[Case]:
    """Every case in the bytes of a cases file (the CLI streams with :func:`read_cases` instead)."""
    return list(parse_lines(kb, enumerate(raw.split(b"\n"), 1), source))


def parse_lines(kb: KnowledgeBase, lines: Iterable[tuple[int, bytes]], source: str) -> Iterator[Case]:
    """(line number, bytes) -> checked cases, one at a time. Blank lines are skipped.

    Raises UsageError at the first bad line, naming it; a repeated id is found
    while streaming (only the ids and their line numbers are kept).
    """
    seen: dict[str, int] = {}
    for number, raw in lines:
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark, as some editors write
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _error(
                source, number, f"not UTF-8 text (byte 0x{raw[e.start]:02x}); save the file as UTF-8"
            ) from None
        if not text.strip():
            continue
        case = parse_case(kb, text, number, source)
        if case.id in seen:
            raise _error(
                source, number, f"id '{case.id}' is already used on line {seen[case.id]}; give each case its own id"
            )
        seen[case.id] = number
        yield case


def score(kb: KnowledgeBase, case: Case, interview: bool = False) -> Outcome:
    """Run one case through the engine, as ``ask --answers`` does, and compare.

    With ``interview``, the case goes through the interview instead, answered
    by its simulated person (:func:`kneetriage.interview.truthful_answer`), and
    the outcome counts the screens shown.
    """
    screens = stopped = None
    if interview:
        from .interview import simulate, stopped_for_emergency

        given, screens, result = simulate(kb, case.answers, case.unanswered)
        stopped = stopped_for_emergency(kb, given, result)
    else:
        result = engine.triage(kb, case.answers)
    first3 = [rc.id for rc in result.causes[:3]]
    level = rank(result.urgency.level)
    accepted = [rank(lv) for lv in case.urgency]
    return Outcome(
        case=case,
        result=result,
        top1_ok=not case.top or result.causes[0].id in case.top,
        top3_ok=all(c in first3 for c in case.top3) and (not case.top or any(c in first3 for c in case.top)),
        urgency_ok=result.urgency.level in case.urgency,
        under_triage=level > max(accepted),
        over_triage=level < min(accepted),
        unanswered_ok=all(f in result.unanswered_red_flags for f in case.unanswered),
        screens=screens,
        stopped_for_emergency=stopped,
    )


def score_all(kb: KnowledgeBase, cases: Iterable[Case], interview: bool = False) -> Iterator[Outcome]:
    return (score(kb, case, interview) for case in cases)


def keep_misses(outcomes: Iterable[Outcome], misses: list[Outcome], most: int) -> Iterator[Outcome]:
    """Pass the outcomes on, keeping the first ``most`` that missed in ``misses``."""
    for o in outcomes:
        if not o.ok and len(misses) < most:
            misses.append(o)
        yield o


def count(outcomes: Iterable[Outcome]) -> dict:
    """The totals. ``top1``/``top3`` count only cases with a non-empty ``top`` (their number is ``ranked``).

    Interview outcomes add ``screens_median``, ``screens_max`` and ``emergency_stops`` (interviews that
    stopped for an emergency)."""
    screens: list[int] = []
    stops = 0
    totals = dict.fromkeys(
        ("cases", "top1", "top3", "urgency_ok", "under_triage", "over_triage", "unanswered_ok", "ranked", "missed"), 0
    )
    for o in outcomes:
        ranked = bool(o.case.top)
        totals["cases"] += 1
        totals["ranked"] += ranked
        totals["top1"] += ranked and o.top1_ok
        totals["top3"] += ranked and o.top3_ok
        totals["urgency_ok"] += o.urgency_ok
        totals["under_triage"] += o.under_triage
        totals["over_triage"] += o.over_triage
        totals["unanswered_ok"] += o.unanswered_ok
        totals["missed"] += not o.ok
        if o.screens is not None:
            screens.append(o.screens)
            stops += bool(o.stopped_for_emergency)
    if screens:
        import statistics

        totals["screens_median"] = statistics.median(screens)
        totals["screens_max"] = max(screens)
        totals["emergency_stops"] = stops
    return totals


def print_table(kb: KnowledgeBase, misses: list[Outcome], totals: dict, console) -> None:
    """The cases that missed (expected, got, top reasons), then the totals (output.pages.evaluate)."""
    from .output import pages, terminal
    from .wording import fill

    region = kb.region.get("uk") or kb.regions[0]  # the reasons read as `ask` shows them by default
    rows = []
    for o in misses:
        r = o.result
        got = [f"urgency {r.urgency.level}"] + [f"{i}. {rc.id}" for i, rc in enumerate(r.causes[:3], 1)]
        if o.screens is not None:
            got.append(f"{o.screens} screens" + (", stopped for an emergency" if o.stopped_for_emergency else ""))
        if o.case.unanswered:
            got.append(f"not checked: {', '.join(r.unanswered_red_flags) or 'none'}")
        reasons = [r.urgency.reasons[0]] + [f"{r.causes[0].id}: {w}" for w in r.causes[0].why(2)[:2]]
        rows.append(
            (
                f"{o.case.id}\nline {o.case.line}",
                "\n".join(o.misses()),
                "\n".join(got),
                "\n".join(f"- {fill(w, region)}" for w in reasons),
            )
        )
    terminal.draw(pages.evaluate(kb.version, rows, totals), console)
