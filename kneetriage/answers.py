"""Reading and checking an answers file (contract §1).

Every problem becomes a one-line UsageError that names the key, the bad value
and what is allowed, so the CLI can print it and exit 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .errors import UsageError, suggest
from .knowledge import KnowledgeBase

MAX_BYTES = 1_000_000  # an answers file is a few hundred bytes; this is generous
Answers = dict  # finding id -> bool | int | str | None ("not sure")

_IGNORED_KEYS = ("$schema",)


def read_source(source: str, what: str = "answers file", limit: int | None = MAX_BYTES) -> bytes:
    """The bytes of a file, or of standard input for '-'; at most ``limit`` bytes (None: no limit)."""
    size = -1 if limit is None else limit + 1
    if not source:
        raise UsageError(f"no {what} named (an empty path); give the path of a .json file, or - for standard input")
    if source == "-":
        data = sys.stdin.buffer.read(size)
    else:
        p = Path(source)
        try:
            if p.is_dir():
                raise UsageError(f"{what} {source} is a directory; give the path of a .json file")
            with p.open("rb") as fh:
                data = fh.read(size)
        except FileNotFoundError:
            raise UsageError(f"{what} {source} not found; check the path (use - to read standard input)") from None
        except PermissionError:
            raise UsageError(f"{what} {source} cannot be read (permission denied); check its permissions") from None
        except OSError as e:
            raise UsageError(f"{what} {source} cannot be read ({e.strerror or e}); check the path") from None
    if limit is not None and len(data) > limit:
        raise UsageError(
            f"{what} {source} is larger than {MAX_BYTES // 1_000_000} MB; it should be a small JSON object"
        )
    return data


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise UsageError(f"answers: key '{shown_key(key)}' appears more than once; keep one answer for it")
        seen[key] = value
    return seen


def _no_constants(name):
    raise UsageError(f"answers: {name} is not a valid JSON value; use a number, true, false or null")


MAX_DIGITS = 30  # no answer needs more; Python refuses to read integers of over 4,300 digits at all


def _whole_number(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise UsageError(
            f"answers: a number with {len(text.lstrip('-'))} digits ({text[:12]}...) is not an answer; "
            "use a whole number such as an age"
        )
    return int(text)


def shown_key(key: str, most: int = 40) -> str:
    """A key as it can be shown in a one-line message: control characters escaped, long keys cut."""
    text = json.dumps(key, ensure_ascii=False)[1:-1]
    return text if len(text) <= most else text[:most] + "..."


def decode(data: bytes, source: str = "answers file") -> object:
    """Bytes -> a JSON value, with one-line errors for everything that can go wrong."""
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark, as some editors write: accepted
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UsageError(
            f"{source} is not UTF-8 text (byte 0x{data[e.start]:02x} at position {e.start}); save it as UTF-8 JSON"
        ) from None
    if not text.strip():
        raise UsageError(f'{source} is empty; it should hold a JSON object such as {{"age": 40, "fever": false}}')
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants, parse_int=_whole_number)
    except json.JSONDecodeError as e:
        raise UsageError(f"{source} is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except RecursionError:
        raise UsageError(f"{source} is nested too deeply; an answers file is one flat JSON object") from None


def _type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _shown(value: object) -> str:
    """A value as written, for an error message (made only when one is raised: checking is a hot path)."""
    return json.dumps(value)[:40]


def check(kb: KnowledgeBase, value: object, source: str = "answers file") -> Answers:
    """A decoded JSON value -> validated answers. Raises UsageError naming the key and what is allowed."""
    if not isinstance(value, dict):
        raise UsageError(f'{source} must hold a JSON object of answers such as {{"age": 40}}, not {_type_name(value)}')
    answers: Answers = {}
    for key, v in value.items():
        if key in _IGNORED_KEYS:
            continue
        finding = kb.finding.get(key)
        if finding is None:
            raise UsageError(
                f"answers: unknown key '{shown_key(key)}'{suggest(key, kb.finding)}; "
                "run 'kneetriage questions' for the list of ids"
            )
        if v is None:
            answers[key] = None
            continue
        if finding.type == "boolean":
            if not isinstance(v, bool):
                raise UsageError(f"answers: '{key}' is {_shown(value[key])}; use true, false or null (not sure)")
        elif finding.type == "integer":
            if isinstance(v, bool) or not isinstance(v, int):
                if isinstance(v, float) and v.is_integer():
                    v = int(v)
                else:
                    raise UsageError(
                        f"answers: '{key}' is {_shown(value[key])}; "
                        f"use a whole number from {finding.min} to {finding.max}"
                    )
            if not finding.min <= v <= finding.max:
                raise UsageError(
                    f"answers: '{key}' is {_shown(value[key])}, out of range; "
                    f"use a whole number from {finding.min} to {finding.max}"
                )
        else:
            if not isinstance(v, str) or v not in finding.choice_values:
                hint = suggest(v, finding.choice_values) if isinstance(v, str) else ""
                raise UsageError(
                    f"answers: '{key}' is {_shown(value[key])}{hint}; "
                    f"allowed: {', '.join(finding.choice_values)} or null"
                )
        answers[key] = v
    return answers


def load(kb: KnowledgeBase, source: str) -> Answers:
    """Read, decode and check the answers file at ``source`` ('-' for standard input)."""
    label = "standard input" if source == "-" else f"answers file {source}"
    return check(kb, decode(read_source(source), label), label)


def save(path: str | Path, answers: Answers) -> None:
    """Write answers (contract §1) to ``path`` atomically, readable and writable only by the owner."""
    from .files import write_private

    write_private(path, json.dumps(answers, indent=2, ensure_ascii=False) + "\n", "the answers")
