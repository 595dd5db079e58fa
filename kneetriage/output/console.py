"""The one console factory: a width that always reads, and output any terminal can carry.

The emergency number must be printed whatever the environment says:

- the width is clamped to MIN_WIDTH..MAX_WIDTH; a COLUMNS that is not a usable
  number (0, 1, 10**20, "abc") falls back to the terminal's size, or 80;
- where the output's encoding cannot carry the text (PYTHONIOENCODING=ascii or
  latin-1), characters are written as plain ASCII (boxes in ASCII, "•" as "*",
  "…" as "..."), never a UnicodeEncodeError.
"""

from __future__ import annotations

import codecs
import os
import sys

MIN_WIDTH, MAX_WIDTH, FALLBACK_WIDTH = 40, 200, 80

# Characters kneetriage draws, and their plain-ASCII stand-ins.
ASCII = str.maketrans(
    {
        "•": "*",
        "…": "...",
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "·": "-",
        "→": "->",
        "≥": ">=",
        "≤": "<=",
        "×": "x",
        "°": " degrees",
        "\u00a0": " ",
    }
)
SAMPLE = "•…╭─│━"  # if the encoding carries these, it carries what we draw


def width(environ=None, stream=None) -> int:
    """The width to draw at: COLUMNS if usable, else the terminal's, clamped to MIN_WIDTH..MAX_WIDTH."""
    environ = os.environ if environ is None else environ
    value = environ.get("COLUMNS", "").strip()
    columns = None
    if value.isascii() and value.isdigit() and len(value) <= 4 and int(value) > 1:
        columns = int(value)
    if columns is None:
        try:
            columns = os.get_terminal_size((stream or sys.stdout).fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 0
        if columns <= 1:
            columns = FALLBACK_WIDTH
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


def encoding_of(stream) -> str:
    return (getattr(stream, "encoding", None) or "utf-8").lower()


def carries(stream, text: str = SAMPLE) -> bool:
    """Whether a stream's encoding can carry ``text``."""
    try:
        text.encode(encoding_of(stream))
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def plain(text: str, encoding: str) -> str:
    """Text made safe for an encoding: known characters as ASCII, anything else as '?'."""
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "ascii"
    return text.translate(ASCII).encode(encoding, "replace").decode(encoding)


class SafeWriter:
    """Wraps a text stream whose encoding cannot carry everything: writes what it can, in ASCII."""

    def __init__(self, stream):
        self._stream = stream
        self.encoding = "ascii" if not carries(stream, "•") else encoding_of(stream)

    def write(self, text: str) -> int:
        return self._stream.write(plain(text, encoding_of(self._stream)))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def safe_stream(stream):
    """The stream itself if it carries what we draw, else a :class:`SafeWriter` around it."""
    return stream if carries(stream) else SafeWriter(stream)


def make_console(file=None, *, stderr: bool = False):
    """The console every command draws on (rich imported here, only when something is drawn)."""
    from rich.console import Console

    stream = file if file is not None else (sys.stderr if stderr else sys.stdout)
    safe = safe_stream(stream)
    return Console(
        file=safe,
        width=width(stream=stream),
        soft_wrap=False,
        safe_box=True,
        emoji=False,
        highlight=False,
    )


def write(text: str, stream=None) -> None:
    """Write a string (Markdown, JSON-free text) to stdout in whatever its encoding can carry."""
    safe_stream(stream or sys.stdout).write(text)
