"""Renderers for a report (see report.py): JSON, Markdown and a rich table.

JSON and Markdown are plain strings and import nothing heavy; the rich table
imports rich's renderables inside the function that draws it.
"""

from __future__ import annotations

import json

URGENCY_STYLE = {
    "emergency_ambulance": "bold white on red",
    "emergency": "bold white on red",
    "consultation_24": "bold black on yellow",
    "consultation": "bold",
    "self_care": "bold",
}
URGENCY_BORDER = {
    "emergency_ambulance": "red",
    "emergency": "red",
    "consultation_24": "yellow",
    "consultation": "cyan",
    "self_care": "green",
}
NOT_A_DIAGNOSIS = "This ranking is information to take to a clinician, not a diagnosis."


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False)


def to_markdown(report: dict) -> str:
    u = report["urgency"]
    out = [f"# {u['title']}", "", u["action"], "", "Why:", ""]
    out += [f"- {r}" for r in u["reasons"]]
    if report["unanswered_red_flags"]:
        out += ["", "## Warning signs not checked", "", "These were not answered, so they are not ruled out:", ""]
        out += [f"- {q}" for q in report["unanswered_red_flag_questions"]]
    out += ["", "## Possible causes, most likely first", "", NOT_A_DIAGNOSIS, ""]
    out += ["| # | Cause | Match | Why |", "|---|---|---|---|"]
    for i, c in enumerate(report["causes"], 1):
        why = "; ".join(c["why"]).replace("|", "/")
        out.append(f"| {i} | {c['name']} | {c['strength']} | {why} |")
    out += _markdown_self_care(report["self_care"])
    out += ["", "## When to see a doctor", ""] + [f"- {s}" for s in report["see_doctor"]]
    out += ["", "## Sources", ""]
    for c in report["causes"][:3]:
        out += [f"- {c['name']}: " + "; ".join(f"[{s['title']}]({s['url']})" for s in c["sources"])]
    kb = report["knowledge_base"]
    out += ["", f"_{report['disclaimer']}_", "", f"Knowledge base {kb['version']}, reviewed {kb['reviewed']}.", ""]
    return "\n".join(out)


def _markdown_self_care(sc: dict) -> list[str]:
    out = ["", "## Looking after it", ""]
    if not sc["given"]:
        out += ["Ice, compression, massage and exercise advice is **not** given here, because:", ""]
        out += [f"- {r}" for r in sc["withheld_because"]]
    else:
        out += ["**POLICE** for the first days:", ""]
        out += [f"- **{s['word']}**: {s['what']} ({s['how_long']}; {s['how_often']})" for s in sc["police"]]
        out += ["", "**Avoid HARM** for the first 72 hours:", ""]
        out += [f"- **{s['word']}**: {s['why']}" for s in sc["harm"]]
    for ca in sc["cause_advice"]:
        out += ["", f"For {ca['name']}:", ""] + [f"- {a}" for a in ca["advice"]]
    return out


def print_table(report: dict, console) -> None:
    """Draw the report on a rich console: urgency first, then causes, care, doctor, gaps."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    u = report["urgency"]
    level = u["level"]
    body = Text()
    body.append(u["action"] + "\n\n")
    body.append("Why:\n", style="bold")
    for r in u["reasons"]:
        body.append(f"  • {r}\n")
    console.print(
        Panel(
            _trimmed(body),
            title=Text(f" {u['title']} ", style=URGENCY_STYLE[level]),
            title_align="left",
            border_style=URGENCY_BORDER[level],
        )
    )
    if report["unanswered_red_flags"]:
        warn = Text("Not checked, so not ruled out:\n", style="bold yellow")
        for q in report["unanswered_red_flag_questions"]:
            warn.append(f"  ? {q}\n")
        console.print(_trimmed(warn))

    table = Table(
        title="Possible causes, most likely first",
        caption=NOT_A_DIAGNOSIS,
        show_lines=True,
        expand=True,
    )
    table.add_column("#", justify="right", width=2, no_wrap=True)
    table.add_column("Cause", ratio=2, min_width=10)
    table.add_column("Match", ratio=1, min_width=8)
    table.add_column("Why", ratio=4, min_width=12)
    for i, c in enumerate(report["causes"], 1):
        why = Text()
        for j, line in enumerate(c["why"][:4]):
            if j:
                why.append("\n")
            style = "green" if line.startswith("for") else "red" if line.startswith("against") else "dim"
            why.append(line, style=style)
        table.add_row(str(i), c["name"], c["strength"], why)
    console.print(table)

    sc = report["self_care"]
    care = Text()
    if not sc["given"]:
        care.append("Home treatment (ice, compression, massage, exercise) is not suggested, because:\n", style="bold")
        for r in sc["withheld_because"]:
            care.append(f"  • {r}\n")
    else:
        care.append("POLICE, for the first days\n", style="bold")
        for s in sc["police"]:
            care.append(f"  {s['word']}: ", style="bold")
            care.append(f"{s['what']} ({s['how_long']}; {s['how_often']})\n")
        care.append("Avoid HARM for 72 hours\n", style="bold")
        for s in sc["harm"]:
            care.append(f"  {s['word']}: ", style="bold")
            care.append(f"{s['why']}\n")
    for ca in sc["cause_advice"]:
        care.append(f"For {ca['name']}:\n", style="bold")
        for a in ca["advice"]:
            care.append(f"  • {a}\n")
    console.print(Panel(_trimmed(care), title="Looking after it", title_align="left"))

    doc = Text()
    for s in report["see_doctor"]:
        doc.append(f"• {s}\n")
    console.print(Panel(_trimmed(doc), title="When to see a doctor", title_align="left"))
    kb = report["knowledge_base"]
    console.print(
        Text(f"{report['disclaimer']} Knowledge base {kb['version']} (reviewed {kb['reviewed']}).", style="italic")
    )


def _trimmed(text):
    text.rstrip()  # rich's Text.rstrip works in place
    return text
