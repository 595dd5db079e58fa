"""Reading and checking an answers file (contract §1).

Every problem becomes a one-line UsageError that names the key, the bad value
and what is allowed, so the CLI can print it and exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import files
from .errors import UsageError, suggest
from .knowledge import KnowledgeBase

Answers = dict  # finding id -> bool | int | str | None ("not sure")

_IGNORED_KEYS = ("$schema",)


def decode(data: bytes, source: str = "answers file") -> object:
    """Bytes -> a JSON value under the strict rules of :mod:`kneetriage.files`, one-line errors."""
    return files.loads(files.decode_text(data, source), source)


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
                f"answers: unknown key '{files.shown_key(key)}'{suggest(key, kb.finding)}; "
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
    label = "standard input" if source == "-" else f"answers file {files.shown_path(source)}"
    return check(kb, files.read_json(source, "answers file", files.MAX_ANSWERS_BYTES), label)


def save(path: str | Path, answers: Answers) -> None:
    """Write answers (contract §1) to ``path`` atomically, readable and writable only by the owner."""
    files.write_private(path, json.dumps(answers, indent=2, ensure_ascii=False) + "\n", "the answers")
