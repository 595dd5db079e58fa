"""Draw a document on a rich console. rich is imported here and nowhere else at draw time.

Nothing is ever cut to "…": tables fold long words (a table of three columns
or more that is too narrow for its words is listed row by row instead), and a
panel whose title would not fit its border puts the title inside instead.
"""

from __future__ import annotations

from . import Bullets, Document, Heading, KeyValue, Panel, Paragraph, Section, Table, UnknownBlock

# The one map of how each severity looks on a terminal: (title style, border style, heavy border).
SEVERITY = {
    "emergency_ambulance": ("bold white on red", "bold red", True),
    "emergency": ("bold white on red", "bold red", True),
    "consultation_24": ("bold black on yellow", "yellow", False),
    "consultation": ("bold", "cyan", False),
    "self_care": ("bold", "green", False),
    "warning": ("bold", "bold", False),
    "info": ("bold", "", False),
}
PARAGRAPH = {"": "", "strong": "bold", "meta": "dim", "note": "italic"}


def draw(doc: Document, console) -> None:
    """Print a document on a console, in one go."""
    from rich.console import Group

    items = renderables(doc.blocks, console.width)
    if doc.title:
        items.insert(0, wrapped(doc.title, console.width, "bold"))
    console.print(Group(*items))


def hanging(rows, width: int, key_style: str = ""):
    """Labelled lines with a hanging indent, wrapped here (textwrap is much quicker than a rich grid):

    • a bullet that runs on       key  a value that runs on
      under its first word             under its first word
    """
    import textwrap

    from rich.text import Text

    pad = max(len(key) for key, _ in rows) + 1
    text = Text()
    for n, (key, value) in enumerate(rows):
        lines = []
        for part in value.split("\n"):
            indent = "  " if part.startswith("- ") else ""  # a list item runs on under its first word
            lines += textwrap.wrap(part, max(width - pad, 10), break_on_hyphens=False, subsequent_indent=indent) or [""]
        if n:
            text.append("\n")
        text.append(key.ljust(pad), style=key_style)
        text.append(("\n" + " " * pad).join(lines))
    return text


def wrapped(text: str, width: int, style: str = ""):
    """A paragraph wrapped here, so no line ends in a space (rich keeps the space where it breaks a line)."""
    import textwrap

    from rich.text import Text

    lines = []
    for part in text.split("\n"):
        lines += textwrap.wrap(part, max(width, 10), break_on_hyphens=False) or [""]
    return Text("\n".join(lines), style=style)


def fits_whole_words(table: Table, width: int) -> bool:
    """Whether each column can be as wide as its longest word (3 characters of border and padding a column)."""
    longest = [0] * len(table.header)
    for row in (table.header, *table.rows):
        for n, cell in enumerate(row):
            longest[n] = max(longest[n], max((len(word) for word in cell.split()), default=0))
    return sum(longest) + 3 * len(longest) + 1 <= width


def renderables(blocks, width: int) -> list:
    from rich import box as rich_box
    from rich.console import Group
    from rich.panel import Panel as RichPanel
    from rich.text import Text

    out: list = []
    for b in blocks:
        if isinstance(b, Section):
            if b.page:
                out.append(Text(""))
            out += renderables(b.blocks, width)
        elif isinstance(b, Heading):
            if b.level <= 2:  # a blank line before a section, not before a sub-heading
                out.append(Text(""))
            out.append(wrapped(b.text, width, "bold underline" if b.level <= 2 else "bold"))
        elif isinstance(b, Paragraph):
            out.append(wrapped(b.text, width, PARAGRAPH[b.style]))
        elif isinstance(b, Bullets):
            if b.items:
                out.append(hanging([("•", item) for item in b.items], width))
        elif isinstance(b, KeyValue):
            rows = []
            for key, value in b.rows:
                rows.append((key, "\n".join(value) if isinstance(value, tuple) else value))
            if max((len(k) for k, _ in rows), default=0) * 3 > width:  # long keys: each on its own line
                for key, value in rows:
                    out += [Text(key, style="bold"), hanging([(" ", value)], width)]  # indented 2
            elif rows:
                out.append(hanging(rows, width, "bold"))
        elif isinstance(b, Table) and len(b.header) > 2 and not fits_whole_words(b, width):
            # Too narrow for its columns (evaluate's four at 80): one row after another, its first cell as a
            # heading and the others labelled below it, so no id or word is broken across lines.
            if b.title:
                out.append(wrapped(b.title, width, "italic"))
            for row in b.rows:
                out.append(Text(""))
                out.append(wrapped(row[0], width, "bold"))
                out += renderables([KeyValue(tuple(zip(b.header[1:], row[1:], strict=True)))], width)
            out.append(Text(""))  # the next block does not run on from the last row
        elif isinstance(b, Table):
            from rich.table import Table as RichTable  # only here: the result page has no table (start-up)

            t = RichTable(
                title=b.title or None,
                show_header=b.show_header,
                show_lines=len(b.header) > 2,
                expand=True,
                box=rich_box.SQUARE,
                title_justify="left",
            )
            ratios = b.ratios or tuple(3 if n == len(b.header) - 1 else 1 for n in range(len(b.header)))
            # The first column (a name or an id) is kept whole where it can be.
            first = max((len(word) for row in b.rows for word in row[0].split()), default=0)
            # ... where its first line is one word a row (an id), short enough to leave two-thirds of the width.
            one_word = all(" " not in row[0].split("\n")[0] for row in b.rows)
            whole = len(b.header) > 1 and first <= width // 3 and one_word
            for n, h in enumerate(b.header):
                if n == 0 and whole:
                    t.add_column(h, min_width=first, no_wrap=True)
                else:
                    t.add_column(h, ratio=ratios[n], overflow="fold")
            for row in b.rows:
                t.add_row(*row)
            out.append(t)
        elif isinstance(b, Panel):
            title_style, border, heavy = SEVERITY[b.severity]
            inner = renderables(b.blocks, width - 4)
            fits = len(b.title) + 4 <= width - 4
            if not fits:
                inner = [Text(b.title, style="bold"), *inner]
            out.append(
                RichPanel(
                    Group(*inner),
                    title=Text(f" {b.title} ", style=title_style) if fits else None,
                    title_align="left",
                    border_style=border,
                    box=rich_box.HEAVY if heavy else rich_box.ROUNDED,
                    padding=(0, 1),
                )
            )
        else:
            raise UnknownBlock("terminal", b)
    return out
