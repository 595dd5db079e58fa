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


def _numbers_for(report: dict) -> str:
    return f"Phone numbers are for: {report['region']['name']} (change with --region)."


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
    out += [
        "",
        f"_{report['disclaimer']}_",
        "",
        f"{_numbers_for(report)} Knowledge base {kb['version']}, reviewed {kb['reviewed']}.",
        "",
    ]
    return "\n".join(out)


def _markdown_self_care(sc: dict) -> list[str]:
    out = ["", "## Looking after it", ""]
    if sc.get("not_needed"):
        out += [sc["not_needed"]]
    elif not sc["given"]:
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
    """Draw the report on a rich console: urgency first, then gaps, causes, care and when to see a doctor."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    def bullets(lines, mark="•", style=None):
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for line in lines:
            grid.add_row(mark, Text(line, style=style) if isinstance(line, str) else line)
        return grid

    def heading(text):
        return Text(text, style="bold")

    u = report["urgency"]
    level = u["level"]
    console.print(
        Panel(
            Group(Text(u["action"]), Text(""), heading("Why:"), bullets(u["reasons"])),
            title=Text(f" {u['title']} ", style=URGENCY_STYLE[level]),
            title_align="left",
            border_style=URGENCY_BORDER[level],
        )
    )
    if report["unanswered_red_flags"]:
        console.print(
            Panel(
                bullets(report["unanswered_red_flag_questions"], mark="?"),
                title=Text("Warning signs not checked, so not ruled out", style="bold"),
                title_align="left",
                border_style="yellow",
            )
        )

    table = Table(title="Possible causes, most likely first", caption=NOT_A_DIAGNOSIS, show_lines=True, expand=True)
    table.add_column("#", justify="right", width=2, no_wrap=True)
    table.add_column("Cause", ratio=2, min_width=10)
    table.add_column("Match", ratio=1, min_width=8)
    table.add_column("Why", ratio=4, min_width=12)
    for i, c in enumerate(report["causes"], 1):
        shown = c["why"][: 4 if i <= 3 else 2]
        why = Text("\n").join(
            Text(line, style="green" if line.startswith("for") else "red" if line.startswith("against") else "dim")
            for line in shown
        )
        table.add_row(str(i), c["name"], c["strength"], why)
    console.print(table)

    sc = report["self_care"]
    care = []
    if sc.get("not_needed"):
        care += [Text(sc["not_needed"])]
    elif not sc["given"]:
        care += [heading("Home treatment (ice, compression, massage, exercise) is not suggested, because:")]
        care += [bullets(sc["withheld_because"])]
    else:
        care += [heading("POLICE, for the first days")]
        care += [bullets([Text.assemble((s["word"], "bold"), f": {s['what']} ({s['how_long']}; {s['how_often']})")
                          for s in sc["police"]])]  # fmt: skip
        care += [heading("Avoid HARM for the first 72 hours")]
        care += [bullets([Text.assemble((s["word"], "bold"), f": {s['why']}") for s in sc["harm"]])]
    for ca in sc["cause_advice"]:
        care += [heading(f"For {ca['name']}:"), bullets(ca["advice"])]
    console.print(Panel(Group(*care), title="Looking after it", title_align="left"))
    console.print(Panel(bullets(report["see_doctor"]), title="When to see a doctor", title_align="left"))
    kb = report["knowledge_base"]
    console.print(
        Text(
            f"{report['disclaimer']} {_numbers_for(report)} "
            f"Knowledge base {kb['version']} (reviewed {kb['reviewed']}).",
            style="italic",
        )
    )
