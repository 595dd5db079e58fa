"""Draw a document as plain text (a .txt file): words, rules and indents only, wrapped to a width."""

from __future__ import annotations

import textwrap

from . import Bullets, Document, Heading, KeyValue, Panel, Paragraph, Section, Table, UnknownBlock

RULE = {"emergency_ambulance": "#", "emergency": "#", "warning": "#", "consultation_24": "="}


def _wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, width, initial_indent=first, subsequent_indent=first if rest is None else rest, break_on_hyphens=False
    ) or [first.rstrip()]


def blocks(items, out: list[str], width: int, indent: str = "") -> None:
    for b in items:
        if isinstance(b, Section):
            if b.page:
                out += ["", "=" * width, ""]
            blocks(b.blocks, out, width, indent)
        elif isinstance(b, Heading):
            lines = _wrap(b.text, width, indent)
            underline = ("-" if b.level > 2 else "=") * (max(len(s) for s in lines) - len(indent))
            out += lines + [indent + underline, ""]
        elif isinstance(b, Paragraph):
            out += _wrap(b.text, width, indent) + [""]
        elif isinstance(b, Bullets):
            for i in b.items:
                out += _wrap(i, width, indent + "  * ", indent + "    ")
            out.append("")
        elif isinstance(b, KeyValue):
            for key, value in b.rows:
                lines = value if isinstance(value, tuple) else (value,)
                out.append(indent + key)
                for line in lines:
                    out += _wrap(line, width, indent + "    ")
            out.append("")
        elif isinstance(b, Table):
            if b.title:
                out += _wrap(b.title, width, indent) + [""]
            for row in b.rows:
                if len(row) == 2:
                    out += _wrap(f"{row[0]}: {row[1]}", width, indent + "  * ", indent + "    ")
                else:
                    out += _wrap(" | ".join(row[:-1]), width, indent + "  * ", indent + "    ")
                    out += _wrap(row[-1], width, indent + "    ")
            out.append("")
        elif isinstance(b, Panel):
            rule = RULE.get(b.severity, "-")
            out += [indent + rule * (width - len(indent)), *_wrap(b.title, width, indent), ""]
            blocks(b.blocks, out, width, indent)
            if out and out[-1] == "":
                out.pop()
            out += [indent + rule * (width - len(indent)), ""]
        else:
            raise UnknownBlock("text", b)


def render(doc: Document, width: int = 78) -> str:
    out = [doc.title.upper(), "#" * min(width, len(doc.title)), ""] if doc.title else []
    blocks(doc.blocks, out, width)
    return "\n".join(out).rstrip() + "\n"
