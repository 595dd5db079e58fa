"""The command line: thin Typer commands over the pure core.

Start-up time is the product's speed, so this module imports only typer and
the standard library at the top; everything else is imported inside the
command that needs it. Errors become one line on stderr and exit 2 here, and
Ctrl-C becomes exit 130, in one place: :func:`edge`.
"""

from __future__ import annotations

import functools
import os
import sys
from enum import Enum
from pathlib import Path

import typer

from . import __version__
from .errors import ExitCode, UsageError

app = typer.Typer(
    name="kneetriage",
    help=(
        "Triage for pain behind the knee: checks warning signs first, then ranks the likely causes "
        "and says how urgently to get help.\n\n"
        "It gives information, not a diagnosis. In an emergency call your emergency number "
        "(999 UK, 911 US, 112 EU, 000 Australia).\n\n"
        "Start with:  kneetriage ask"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class ListFormat(str, Enum):
    table = "table"
    json = "json"


# Control characters (C0, DEL, C1) shown as escapes, so a message quoting hostile input
# stays one line and cannot drive the terminal.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def _say_error(message: str) -> None:
    colour = sys.stderr.isatty() and "NO_COLOR" not in os.environ
    message = message.translate(_CONTROL).encode("utf-8", "backslashreplace").decode("utf-8")
    line = f"kneetriage: error: {message}"
    sys.stderr.write((f"\x1b[31m{line}\x1b[0m" if colour else line) + "\n")


def edge(func):
    """Turn the one user-error type into exit 2 and Ctrl-C into exit 130, with one line and no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except UsageError as e:
            _say_error(e.message)
            raise typer.Exit(ExitCode.USAGE) from None
        except KeyboardInterrupt as e:
            # A command may say what happened to its work, e.g. "interview stopped; answers so far saved to x".
            sys.stderr.write(f"\nkneetriage: {e.args[0] if e.args else 'interrupted; nothing was saved'}\n")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:  # e.g. `kneetriage questions | head`
            sys.stderr.close()
            raise typer.Exit(ExitCode.OK) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kneetriage {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    pass


DATA_OPTION = typer.Option(
    None,
    "--data",
    metavar="FILE",
    help="Use another knowledge-base file instead of the one shipped (for clinical editors).",
    show_default=False,
)
REGION_OPTION = typer.Option(
    "uk",
    "--region",
    "-r",
    envvar="KNEETRIAGE_REGION",
    metavar="REGION",
    help="Whose phone numbers to show: uk (999, NHS 111), us (911), eu (112), au (000, healthdirect).",
)


REPORT_OPTION = typer.Option(
    None,
    "--report",
    metavar="FILE",
    help="Also save a report to show a GP or physiotherapist: your care sheet, your answers and the "
    "ranked causes with reasons. The format follows the extension: .md, .html or .txt.",
    show_default=False,
)


def load_kb(data: Path | None):
    from . import knowledge

    return knowledge.load(data)


def _console(file=None):
    """The one console (width clamped, ASCII where the terminal's encoding needs it): output.console."""
    from .output.console import make_console

    return make_console(file)


def emit(kb, built: dict, fmt: OutputFormat, everything: bool = False) -> None:
    """Write a triage result to stdout in the chosen format (the JSON is the result itself, unchanged)."""
    from .output import console

    if fmt is OutputFormat.json:
        import json

        ascii_only = not console.carries(sys.stdout, "é•…")
        sys.stdout.write(json.dumps(built, indent=2, ensure_ascii=ascii_only) + "\n")
        return
    from .output import pages

    doc = pages.result(built, kb, everything=everything)
    if fmt is OutputFormat.markdown:
        from .output import render

        console.write(render(doc, "markdown"))
    else:
        from .output import terminal

        terminal.draw(doc, _console())


def _is_terminal() -> bool:
    """Whether a person can answer questions: standard input and output are both terminals."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@app.command()
@edge
def ask(
    answers: str | None = typer.Option(
        None,
        "--answers",
        "-a",
        metavar="FILE",
        help="Read answers from a JSON file ('-' for standard input) instead of asking. "
        "In a terminal, questions the file leaves out are then asked (not with --no-input or --format json/markdown). "
        "See 'kneetriage questions' for the ids.",
        show_default=False,
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="How to print the result."),
    everything: bool = typer.Option(
        False, "--all", help="Explain every cause, not only the likely ones (the JSON always has every cause)."
    ),
    report_file: Path | None = REPORT_OPTION,
    save: Path | None = typer.Option(
        None,
        "--save",
        metavar="FILE",
        help="Also write the answers to FILE (JSON, readable only by you), after every screen; "
        "'kneetriage ask --answers FILE' gives the same result again, or carries on where an interview stopped.",
        show_default=False,
    ),
    no_input: bool = typer.Option(False, "--no-input", help="Never ask questions: use --answers exactly as given."),
    region: str = REGION_OPTION,
    data: Path | None = DATA_OPTION,
) -> None:
    """Answer a few questions and get the urgency, the likely causes and what to do.

    Warning signs are asked first; if one is present it stops at once and says
    who to call. With --answers it runs without questions, for scripts.
    Ctrl-C stops the interview (exit 130).

    Examples:

      kneetriage ask

      kneetriage ask --save my-knee.json

      kneetriage ask --answers case.json --format json

      echo '{"age": 30, "injury": "twist"}' | kneetriage ask --answers -

      kneetriage ask --report for-my-gp.html
    """
    if report_file is not None:
        from .sheet import check_output

        check_output(report_file)  # before any question is asked
    kb = load_kb(data)
    reg = kb.get_region(region)
    terminal = not no_input and _is_terminal()
    if answers is None and not terminal:
        raise UsageError(
            (
                "--no-input asks no questions; give the answers with --answers FILE "
                if no_input
                else "no terminal to ask questions in; give the answers with --answers FILE "
            )
            + "(or --answers - to read them from standard input)"
        )
    from . import answers as answers_mod
    from . import engine, result

    given = answers_mod.load(kb, answers) if answers is not None else {}
    prompting = terminal and (answers is None or (answers != "-" and fmt is OutputFormat.table))
    emergency: tuple[str, ...] = ()  # reasons, when the interview stopped for an emergency
    if prompting:
        given, emergency = _interview(kb, given, save)
    if save is not None:
        answers_mod.save(save, given)
    rep = result.build(kb, engine.triage(kb, given), reg)
    if emergency and fmt is OutputFormat.table:
        from . import prompts

        prompts.print_emergency(rep, emergency, _console())
    else:
        emit(kb, rep, fmt, everything)
    if save is not None and prompting:
        sys.stderr.write(f"kneetriage: answers saved to {save}\n")
    if report_file is not None:
        save_report(kb, rep, report_file)


def save_report(kb, built: dict, path: Path) -> None:
    """Write the report for a GP or physiotherapist and say where, on stderr (stdout may be JSON)."""
    from .sheet import write_report

    write_report(kb, built, path)
    typer.echo(f"kneetriage: saved the report for your doctor to {path}", err=True)


@app.command()
@edge
def sheet(
    answers: str | None = typer.Option(
        None,
        "--answers",
        "-a",
        metavar="FILE",
        help="Make the sheet personal: read answers from a JSON file ('-' for standard input).",
        show_default=False,
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Save the sheet to FILE instead of printing it; the format follows the extension: "
        ".md, .html (print-ready) or .txt.",
        show_default=False,
    ),
    region: str = REGION_OPTION,
    data: Path | None = DATA_OPTION,
) -> None:
    """Print a self-care sheet: POLICE and HARM, when to get help, and who to call.

    Without answers it is the sheet for a minor strain. With --answers it puts
    the urgency first, then the advice for the likely causes; where a clot,
    infection, broken bone or blood-supply problem is possible it gives the
    urgent action and no home-treatment plan.

    Examples:

      kneetriage sheet

      kneetriage sheet --output sheet.html

      kneetriage sheet --answers case.json --output my-sheet.md
    """
    from . import sheet as sheet_mod

    if output is not None:
        sheet_mod.check_output(output)
    kb = load_kb(data)
    reg = kb.get_region(region)
    if answers is None:
        built = sheet_mod.build_generic(kb, reg)
    else:
        from . import answers as answers_mod
        from . import engine, result

        triaged = engine.triage(kb, answers_mod.load(kb, answers))
        built = sheet_mod.build_personal(kb, result.build(kb, triaged, reg))
    if output is None:
        from .output import terminal

        terminal.draw(sheet_mod.document(built), _console())
        return
    sheet_mod.write_sheet(built, output)
    typer.echo(f"kneetriage: saved the sheet to {output}", err=True)


def _interview(kb, prefill: dict, save: Path | None) -> tuple[dict, tuple[str, ...]]:
    """Run the interview in the terminal. Ctrl-C says whether anything was saved (--save writes after every screen)."""
    from . import answers as answers_mod
    from . import prompts

    saved = False

    def keep(so_far: dict) -> None:
        nonlocal saved
        answers_mod.save(save, so_far)
        saved = True

    if save is not None and (save.is_dir() or not save.absolute().parent.is_dir()):
        raise UsageError(f"cannot save the answers to {save}: give a file name in a folder that exists")
    try:
        iv = prompts.run(kb, prefill, console=_console(), on_answer=keep if save is not None else None)
    except KeyboardInterrupt:
        where = f"answers so far saved to {save}" if saved else "nothing was saved"
        raise KeyboardInterrupt(f"interview stopped; {where}") from None
    return iv.answers, iv.emergency_reasons() if iv.stopped_for_emergency else ()


@app.command()
@edge
def questions(
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table to read, json for scripts."),
    data: Path | None = DATA_OPTION,
) -> None:
    """List every question with its id, type and allowed answers, for writing answer files.

    An answers file is a JSON object of id -> answer, for example
    {"age": 34, "injury": "twist", "fever": false}. Leave out what was not asked;
    use null for "not sure".
    """
    kb = load_kb(data)
    if fmt is ListFormat.table:
        from .output import pages, terminal

        terminal.draw(pages.questions(kb), _console())
        return
    rows = []
    for f in kb.findings:
        row = {"id": f.id, "group": f.group, "type": f.type, "question": f.question, "help": f.help}
        if f.type == "choice":
            row["choices"] = [{"value": c.value, "label": c.label} for c in f.choices]
        if f.type == "integer":
            row["min"], row["max"] = f.min, f.max
        rows.append(row)
    import json

    from .output.console import carries

    sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=not carries(sys.stdout, "é•…")) + "\n")


@app.command()
@edge
def check(
    file: Path | None = typer.Argument(
        None, metavar="[FILE]", help="Knowledge-base file to check (default: the one shipped).", show_default=False
    ),
) -> None:
    """Validate a knowledge-base file, for clinical editors.

    Exits 0 and prints a summary when the file is valid and every line of the
    safety specification (data/safety_spec.json) holds under it; otherwise exits 2
    with one line naming the file and the JSON path, or the failing presentation.
    """
    kb = load_kb(file)
    import datetime

    from . import spec

    where = str(file) if file else "shipped knowledge base"
    lines = spec.enforce(kb, str(file) if file else "data/knowledge.json")
    typer.echo(
        f"ok: {where}, version {kb.version}: {len(kb.findings)} findings, {len(kb.causes)} causes, "
        f"{len(kb.red_flag_rules)} red-flag rules, reviewed {kb.reviewed}; {lines} safety lines hold"
    )
    if kb.next_review < datetime.date.today().isoformat():
        typer.echo(f"note: the review due on {kb.next_review} is overdue")


@app.command()
@edge
def evaluate(
    cases_file: str = typer.Argument(
        ...,
        metavar="CASES.jsonl",
        help="Cases to check: one JSON object a line with id, answers, top, top3, urgency, unanswered "
        "('-' for standard input).",
        show_default=False,
    ),
    fmt: ListFormat = typer.Option(
        ListFormat.table, "--format", "-f", help="table: the cases that missed and the totals; json: the counts."
    ),
    interview: bool = typer.Option(
        False,
        "--interview",
        help="Run each case through the interview instead, answered by a simulated person: the case's answer "
        "where it gives one, no to any other warning sign, risk factor or symptom, not sure to the rest. "
        "Adds the screens shown (median and longest).",
    ),
    data: Path | None = DATA_OPTION,
) -> None:
    """Run written cases through the knowledge base and count how many come out as expected.

    Each case runs through the same checks and scoring as 'ask --answers'. Use it
    with --data to check a knowledge-base change before it ships, and with
    --interview to check the interview on the same cases.

    Examples:

      kneetriage evaluate cases.jsonl

      kneetriage evaluate cases.jsonl --data draft-knowledge.json --format json

      kneetriage evaluate cases.jsonl --interview
    """
    kb = load_kb(data)
    from . import answers as answers_mod
    from . import evaluate as ev

    label = "standard input" if cases_file == "-" else cases_file
    cases = ev.parse_cases(kb, answers_mod.read_source(cases_file, "cases file", limit=None), label)
    outcomes = ev.score_all(kb, cases, interview)
    if (len(cases) >= 500 or interview) and sys.stderr.isatty():
        from rich.progress import track

        outcomes = track(
            outcomes, total=len(cases), description="Scoring cases", console=_console(sys.stderr), transient=True
        )
    outcomes = list(outcomes)
    totals = ev.count(outcomes)
    if fmt is ListFormat.json:
        import json

        sys.stdout.write(json.dumps(totals) + "\n")
    else:
        ev.print_table(kb, [o for o in outcomes if not o.ok], totals, _console())


def main() -> None:
    app()
