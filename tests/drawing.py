"""Helpers for tests that draw pages: a plain console of a given width, and the result in each format."""

from __future__ import annotations

import io
import json

from rich.console import Console

from kneetriage import knowledge, output
from kneetriage.output import pages, terminal

KB = knowledge.load()


def console(width: int) -> tuple[Console, io.StringIO]:
    """A deterministic console (no colour, fixed width) writing into a buffer, as rich's own tests do."""
    buffer = io.StringIO()
    return Console(width=width, file=buffer, color_system=None, soft_wrap=False), buffer


def draw(doc: output.Document, width: int = 80) -> str:
    con, buffer = console(width)
    terminal.draw(doc, con)
    return buffer.getvalue()


def result_text(rep: dict, width: int = 80, kb=KB, everything: bool = False) -> str:
    """The triage result as the table format draws it."""
    return draw(pages.result(rep, kb, everything=everything), width)


def result_markdown(rep: dict, kb=KB) -> str:
    return output.render(pages.result(rep, kb), "markdown")


def result_json(rep: dict) -> str:
    """The JSON result exactly as `ask --format json` prints it (without the final newline)."""
    return json.dumps(rep, indent=2, ensure_ascii=False)
