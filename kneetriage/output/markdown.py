"""Draw a document as Markdown: panels are block quotes, so they stand out in any viewer."""

from __future__ import annotations

from . import Bullets, Document, Heading, KeyValue, Panel, Paragraph, Section, Table, UnknownBlock

EMPHASIS = {"": "{}", "strong": "**{}**", "meta": "_{}_", "note": "_{}_"}


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def blocks(items, out: list[str], heading_base: int = 0) -> None:
    for b in items:
        if isinstance(b, Section):
            blocks(b.blocks, out, heading_base)
        elif isinstance(b, Heading):
            out += ["#" * (b.level + heading_base) + " " + b.text, ""]
        elif isinstance(b, Paragraph):
            out += [EMPHASIS[b.style].format(b.text), ""]
        elif isinstance(b, Bullets):
            out += [f"- {i}" for i in b.items] + [""]
        elif isinstance(b, KeyValue):
            for key, value in b.rows:
                text = " ".join(value) if isinstance(value, tuple) else value
                out.append(f"- **{key}**: {text}")
            out.append("")
        elif isinstance(b, Table):
            if b.title:
                out += [f"**{b.title}**", ""]
            out.append("| " + " | ".join(b.header if b.show_header else ("",) * len(b.header)) + " |")
            out.append("|" + "---|" * len(b.header))
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
        elif isinstance(b, Panel):
            inner: list[str] = ["#" * (2 + heading_base) + " " + b.title, ""]
            blocks(b.blocks, inner, heading_base + 1)
            while inner and inner[-1] == "":
                inner.pop()
            out += [f"> {line}".rstrip() for line in inner] + [""]
        else:
            raise UnknownBlock("markdown", b)


def render(doc: Document) -> str:
    items = list(doc.blocks)
    if doc.title:
        out = [f"# {doc.title}", ""]
    elif items and isinstance(items[0], Panel):  # a page that opens with its verdict: the verdict is the title
        out = [f"# {items[0].title}", ""]
        blocks(items.pop(0).blocks, out, 1)
    else:
        out = []
    blocks(items, out)
    return "\n".join(out).rstrip() + "\n"
