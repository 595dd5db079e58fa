"""Draw a document as one self-contained, print-ready HTML page: inline CSS, no scripts, no files to fetch.

Print first: A4 with margins that leave the content no taller than a US
Letter page's; 12pt type at least; meaning carried by words, rules and weight,
never by colour alone (colour is only a screen nicety and prints as grey).
"""

from __future__ import annotations

import html

from . import Bullets, Document, Heading, KeyValue, Panel, Paragraph, Section, Table, UnknownBlock

CSS = """
@page { size: A4; margin: 9mm 11mm 9mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; }
body {
  font-family: Arial, "Liberation Sans", Helvetica, "DejaVu Sans", sans-serif;
  font-size: 12pt; line-height: 1.2; max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem;
}
h1 { font-size: 19pt; line-height: 1.15; margin: 0 0 .15em; }
h2 { font-size: 14.5pt; margin: .4em 0 .15em; }
h3 { font-size: 13pt; margin: .45em 0 .15em; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
p { margin: .25em 0 .35em; }
ul { margin: .15em 0 .35em; padding-left: 1.3em; }
li { margin: .08em 0; }
.meta { margin-bottom: .6em; }
.strong { font-weight: bold; }
.note { font-style: italic; margin-top: .4em; border-top: 1pt solid #000; padding-top: .25em; }
.box { border: 1.5pt solid #000; padding: .1em .7em .2em; margin: .5em 0; }
.box, tr { break-inside: avoid; page-break-inside: avoid; }
.box > h2:first-child, .box > h3:first-child { margin-top: .25em; }
.box.warning { border-width: 3pt; }
.box.emergency_ambulance, .box.emergency { border: 4.5pt double #000; }
.box.consultation_24 { border-width: 3pt; }
table { border-collapse: collapse; width: 100%; margin: .2em 0 .4em; }
th, td { border: 1pt solid #000; padding: .12em .35em; text-align: left; vertical-align: top; }
thead th { border-bottom-width: 2pt; }
table.kv th[scope=row] { width: 9em; }
table.kv td p { margin: 0; }
table.steps th[scope=row] { width: 7.6em; }
table.steps td p + p { display: inline; margin-right: 1em; }
section.help { display: grid; grid-template-columns: 1fr 1fr; gap: .3em .5em; align-items: start; }
section.help > h2 { grid-column: 1 / -1; margin-bottom: 0; }
section.help .box { margin: 0; padding: 0 .5em .1em; }
section.help .box ul { margin: 0 0 .1em; }
section.help .box h3 { margin: .15em 0 .05em; }
section.help .box p { margin: .05em 0 .15em; font-weight: bold; }
@media screen {
  .box.emergency_ambulance, .box.emergency { border-color: #b00000; }
  .box.consultation_24 { border-color: #8a5a00; }
}
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  a { color: #000; text-decoration: none; }
  section.new-page { break-before: page; page-break-before: always; }
}
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def blocks(items, out: list[str], level_base: int = 0) -> None:
    for b in items:
        if isinstance(b, Section):
            classes = " ".join(c for c in (b.name, "new-page" if b.page else "") if c)
            out.append(f'<section class="{classes}">' if classes else "<section>")
            blocks(b.blocks, out, level_base)
            out.append("</section>")
        elif isinstance(b, Heading):
            n = min(6, b.level + level_base)
            out.append(f"<h{n}>{_h(b.text)}</h{n}>")
        elif isinstance(b, Paragraph):
            cls = f' class="{b.style}"' if b.style else ""
            out.append(f"<p{cls}>{_h(b.text)}</p>")
        elif isinstance(b, Bullets):
            out.append("<ul>" + "".join(f"<li>{_h(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, KeyValue):
            out.append(f'<table class="{" ".join(c for c in ("kv", b.name) if c)}"><tbody>')
            for key, value in b.rows:
                lines = value if isinstance(value, tuple) else (value,)
                cell = "".join(f"<p>{_h(line)}</p>" for line in lines)
                out.append(f'<tr><th scope="row">{_h(key)}</th><td>{cell}</td></tr>')
            out.append("</tbody></table>")
        elif isinstance(b, Table):
            if b.title:
                out.append(f'<p class="strong">{_h(b.title)}</p>')
            out.append("<table>")
            if b.show_header:
                out.append("<thead><tr>" + "".join(f'<th scope="col">{_h(c)}</th>' for c in b.header) + "</tr></thead>")
            out.append("<tbody>")
            out += ["<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in b.rows]
            out.append("</tbody></table>")
        elif isinstance(b, Panel):
            n = 2 + level_base
            out.append(f'<div class="box {b.severity}"><h{n}>{_h(b.title)}</h{n}>')
            blocks(b.blocks, out, level_base + 1)
            out.append("</div>")
        else:
            raise UnknownBlock("html", b)


def render(doc: Document) -> str:
    meta = doc.meta
    dated = f" ({_h(meta['date'])})" if meta.get("date") else ""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="kneetriage, knowledge base {_h(meta.get("version", ""))}">',
        f"<title>{_h(doc.title)}{dated}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
    ]
    if doc.title:
        out.append(f"<h1>{_h(doc.title)}</h1>")
    blocks(doc.blocks, out)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
