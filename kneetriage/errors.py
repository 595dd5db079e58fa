"""The one error type for "the user gave us something wrong", and the exit codes."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    USAGE = 2  # bad usage, answers file or knowledge-base file
    INTERRUPTED = 130  # Ctrl-C


class UsageError(Exception):
    """Something the user gave us is wrong. The message is one line naming the problem and the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class KnowledgeBaseError(UsageError):
    """A knowledge-base file is invalid. The message names the file and the JSON path."""

    def __init__(self, file: str, path: str, problem: str) -> None:
        super().__init__(f"knowledge base {file}: at {path}: {problem}")
        self.file = file
        self.path = path
        self.problem = problem


def suggest(word: str, options) -> str:
    """' (did you mean X?)' for the closest option, or ''."""
    from difflib import get_close_matches

    close = get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
