"""Everything kneetriage draws: one document model and one renderer per format.

A page (the triage result, the emergency panel, the self-care sheet, the
report for a doctor, the evaluate summary, the list of questions) is built by
:mod:`kneetriage.output.pages` as a :class:`Document`: plain data, a list of
blocks. Each format draws those same blocks:

- :mod:`.terminal` on a rich console (rich is imported only there),
- :mod:`.markdown`, :mod:`.text` and :mod:`.html` as strings.

A block a renderer does not know is an error (:class:`UnknownBlock`), never
silently dropped. The console every command prints on comes from
:func:`kneetriage.output.console.make_console` (width and encoding made safe).
"""

from __future__ import annotations

from msgspec import Struct, field

FORMATS = ("terminal", "markdown", "text", "html")


class UnknownBlock(TypeError):
    """A renderer met a block type it does not know how to draw."""

    def __init__(self, renderer: str, block: object):
        super().__init__(f"the {renderer} renderer cannot draw a {type(block).__name__} block")


class Heading(Struct, frozen=True):
    text: str
    level: int = 2


class Paragraph(Struct, frozen=True):
    text: str
    style: str = ""  # "", "strong", "meta" (date, versions), "note" (the small print)


class Bullets(Struct, frozen=True):
    items: tuple[str, ...]


class KeyValue(Struct, frozen=True):
    """Labelled lines: (key, value) rows; a value of several lines is a tuple of strings."""

    rows: tuple[tuple[str, str | tuple[str, ...]], ...]
    name: str = ""  # a class for HTML, e.g. "steps"


class Table(Struct, frozen=True):
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = ""
    show_header: bool = True
    ratios: tuple[int, ...] = ()  # relative column widths on a terminal (default: the last column widest)


class Panel(Struct, frozen=True):
    """A box that stands out; ``severity`` is an urgency level id, "emergency", "warning" or "info"."""

    title: str
    severity: str
    blocks: tuple = ()


class Section(Struct, frozen=True):
    """A group of blocks; ``page`` starts it on a new printed page."""

    blocks: tuple = ()
    page: bool = False
    name: str = ""


class Document(Struct):
    title: str = ""
    blocks: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)  # for HTML's head: "date" (ISO), "version" (knowledge base)


def render(doc: Document, fmt: str, **options) -> str:
    """A document as Markdown, plain text or HTML (the terminal draws on a console: ``terminal.draw``)."""
    if fmt == "markdown":
        from .markdown import render as draw
    elif fmt == "text":
        from .text import render as draw
    elif fmt == "html":
        from .html import render as draw
    else:
        raise ValueError(f"unknown output format {fmt!r}")
    return draw(doc, **options)
