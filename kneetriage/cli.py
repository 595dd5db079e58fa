"""The command line: thin Typer commands over the pure core.

Start-up time is the product's speed, so this module imports only typer and
the standard library at the top; everything else is imported inside the
command that needs it. Its annotations are real (no ``from __future__ import
annotations``), so Typer reads the options without evaluating strings. Errors
become one line on stderr and exit 2 here, and Ctrl-C becomes exit 130, in one
place: :func:`edge` (command-line mistakes, caught before a command runs, in
:class:`_Group`, with the same one line).
"""

import functools
import os
import sys
from enum import Enum
from pathlib import Path

import typer
import typer.core

from . import __version__
from .errors import ExitCode, UsageError


class _Group(typer.core.TyperGroup):
    """The command group, whose command-line mistakes (an unknown option, a bad --format) are one line too.

    Typer draws them as a usage line, a hint and a box; here they go through :func:`_say_error` like
    every other mistake, with exit code 2."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except Exception as e:
            if type(e).__name__ == "Abort":
                sys.stderr.write("Aborted!\n")
                sys.exit(1)
            if not hasattr(e, "format_message") or not isinstance(getattr(e, "exit_code", None), int):
                raise
            if type(e).__name__ != "NoArgsIsHelpError":  # that one has printed the help already
                ctx = getattr(e, "ctx", None)
                where = f"{ctx.command_path} --help" if ctx is not None else "kneetriage --help"
                message = e.format_message().rstrip(".")
                _say_error(f"{message[:1].lower()}{message[1:]}; see '{where}'")
            sys.exit(e.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_Group,
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
    """Turn the one user-error type into exit 2 and an interruption into exit 130, with one line and no traceback.

    Ctrl-C (and Ctrl-D at a question) exit 130; SIGTERM and SIGHUP unwind the same way (temporary files
    removed, the terminal restored) and exit 128 + the signal number (143, 129).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .files import Stopped, stop_on_signals

        try:
            if sys.stdout is None:
                raise UsageError("standard output is closed; send the output to a file or to /dev/null")
            with stop_on_signals():
                result = func(*args, **kwargs)
                sys.stdout.flush()  # a full disk shows here, not at exit
            return result
        except UsageError as e:
            _say_error(e.message)
            raise typer.Exit(ExitCode.USAGE) from None
        except (KeyboardInterrupt, EOFError) as e:
            # A command may say what happened to its work, e.g. "interview stopped; answers so far saved to x".
            said = e.args[0] if isinstance(e, KeyboardInterrupt) and e.args else "interrupted; nothing was saved"
            if sys.stderr is not None:
                sys.stderr.write(f"\nkneetriage: {said}\n")
            code = 128 + e.signum if isinstance(e, Stopped) else ExitCode.INTERRUPTED
            raise typer.Exit(code) from None
        except BrokenPipeError:  # e.g. `kneetriage questions | head`
            _quiet_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except OSError as e:  # standard output on a full disk, or gone
            _quiet_stdout()
            _say_error(f"cannot write the output ({e.strerror or e}); check there is space where it goes")
            raise typer.Exit(ExitCode.USAGE) from None

    return wrapper


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so the exit does not fail again flushing what could not be written."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):  # a test runner's stream, or no stdout at all
        pass


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


FORCE_OPTION = typer.Option(
    False,
    "--force",
    help="Replace an output file that already exists (without it, kneetriage refuses to overwrite one).",
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
    return sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()


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
        help="Also write the answers to FILE (JSON, readable only by you), after every screen. "
        "If FILE exists, it is read first and the interview carries on from it (as with --answers FILE); "
        "--force starts afresh and replaces it. 'kneetriage ask --answers FILE' gives the same result again.",
        show_default=False,
    ),
    no_input: bool = typer.Option(False, "--no-input", help="Never ask questions: use --answers exactly as given."),
    force: bool = FORCE_OPTION,
    region: str = REGION_OPTION,
    data: Path | None = DATA_OPTION,
) -> None:
    """Answer a few questions and get the urgency, the likely causes and what to do.

    Warning signs are asked first; if one is present it stops at once and says
    who to call. With --answers it runs without questions, for scripts.
    Ctrl-C or Ctrl-D stops the interview (exit 130).

    Examples:

      kneetriage ask

      kneetriage ask --save my-knee.json

      kneetriage ask --answers case.json --format json

      echo '{"age": 30, "injury": "twist"}' | kneetriage ask --answers -

      kneetriage ask --report for-my-gp.html
    """
    from . import files

    carried_on = answers is None and save is not None and not force and os.path.lexists(save)
    if carried_on:
        answers = os.fspath(save)  # an existing --save file: carry on from it, as --answers does
    files.check_outputs(
        {"--save": save, "--report": report_file},
        inputs=(answers, data and os.fspath(data)),
        force=force,
        keep=("--save",),
        hints={"--save": " (without --answers, kneetriage ask --save carries on from it)"},
    )
    if report_file is not None:
        from .sheet import output_format

        output_format(report_file)  # the format, before any question is asked
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

    try:
        given = answers_mod.load(kb, answers) if answers is not None else {}
    except UsageError as e:
        if carried_on:  # an existing --save file that is not an answers file
            raise UsageError(f"{e.message} (--save carries on from an existing file; --force starts afresh)") from None
        raise
    prompting = terminal and (answers is None or (answers != "-" and fmt is OutputFormat.table))
    emergency: tuple[str, ...] = ()  # reasons, when the interview stopped for an emergency
    failures: list[UsageError] = []  # shown after the advice: a file that cannot be written never hides it
    if prompting:
        if carried_on:
            sys.stderr.write(f"kneetriage: carrying on from the answers in {save}\n")
        given, emergency, save_failure = _interview(kb, given, save)
        failures += save_failure
    rep = result.build(kb, engine.triage(kb, given), reg)
    if emergency and fmt is OutputFormat.table:
        from . import prompts

        prompts.print_emergency(rep, emergency, _console())
    else:
        emit(kb, rep, fmt, everything)
        if prompting and fmt is OutputFormat.table:  # the verdict has scrolled off a small terminal by now
            from .output import pages, terminal

            terminal.draw(pages.recap(rep), _console())
    sys.stdout.flush()
    if save is not None and not failures:
        try:
            answers_mod.save(save, given)
            if prompting:
                sys.stderr.write(f"kneetriage: answers saved to {save}\n")
        except UsageError as e:
            failures.append(e)
    if report_file is not None:
        try:
            save_report(kb, rep, report_file)
        except UsageError as e:
            failures.append(e)
    if failures:
        raise failures[0]


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
    force: bool = FORCE_OPTION,
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
    from . import files
    from . import sheet as sheet_mod

    files.check_outputs({"--output": output}, inputs=(answers, data and os.fspath(data)), force=force)
    if output is not None:
        sheet_mod.output_format(output)
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


def _interview(kb, prefill: dict, save: Path | None) -> tuple[dict, tuple[str, ...], list[UsageError]]:
    """Run the interview in the terminal. Ctrl-C says whether anything was saved (--save writes after every screen).

    A screen that cannot be saved (the folder went away) does not stop the interview: the failure is returned,
    to be shown after the advice.
    """
    from . import answers as answers_mod
    from . import prompts

    saved = False
    failures: list[UsageError] = []

    def keep(so_far: dict) -> None:
        nonlocal saved
        if failures:
            return
        try:
            answers_mod.save(save, so_far)
            saved = True
        except UsageError as e:
            failures.append(e)

    try:
        iv = prompts.run(kb, prefill, console=_console(), on_answer=keep if save is not None else None)
    except (KeyboardInterrupt, EOFError) as e:
        where = f"answers so far saved to {save}" if saved and not failures else "nothing was saved"
        how = {1: "hung up", 15: "terminated"}.get(getattr(e, "signum", 0), "stopped")
        stop = e if isinstance(e, KeyboardInterrupt) else KeyboardInterrupt()
        stop.args = (f"interview {how}; {where}",)
        raise stop from None
    return iv.answers, iv.emergency_reasons() if iv.stopped_for_emergency else (), failures


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
    Notes (still exit 0) say when the review is overdue, or when the content no
    longer matches the fingerprint recorded for its version (content_sha256).
    """
    from . import knowledge

    # Read once: the same bytes are checked (the shipped file too: repeated keys and all) and fingerprinted.
    raw, name = knowledge.read(file)
    kb = knowledge.parse(raw, name, strict=True)
    import datetime
    import shutil
    import textwrap

    from . import spec

    where = str(file) if file else "shipped knowledge base"
    held = spec.enforce(kb, str(file) if file else "data/knowledge.json")
    lines = [
        f"ok: {where}, version {kb.version}: {len(kb.findings)} findings, {len(kb.causes)} causes, "
        f"{len(kb.red_flag_rules)} red-flag rules, reviewed {kb.reviewed}; {held} safety lines hold"
    ]
    if kb.next_review < datetime.date.today().isoformat():
        lines.append(f"note: the review due on {kb.next_review} is overdue")
    content = knowledge.fingerprint(raw)
    if kb.content_sha256 is None:
        lines.append(
            f"note: no content fingerprint is recorded; to tie version {kb.version} to this content, "
            f"set content_sha256 to {content}"
        )
    elif kb.content_sha256 != content:
        lines.append(
            f"note: the content has changed since version {kb.version} was recorded, so reports would name the "
            f"wrong content: give the file a new version and set content_sha256 to {content}"
        )
    width = max(20, min(shutil.get_terminal_size().columns, 100))  # plain text, wrapped to the terminal
    for line in lines:
        typer.echo(textwrap.fill(line, width, subsequent_indent="  ", break_on_hyphens=False))


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
    from . import evaluate as ev

    label = "standard input" if cases_file == "-" else cases_file
    outcomes = ev.score_all(kb, ev.read_cases(kb, cases_file, label), interview)  # one case at a time
    if sys.stderr is not None and sys.stderr.isatty():
        from rich.progress import track

        outcomes = track(outcomes, description="Scoring cases", console=_console(sys.stderr), transient=True)
    misses: list = []  # the first MISSES_SHOWN cases that missed, for the table; the totals count them all
    totals = ev.count(ev.keep_misses(outcomes, misses, MISSES_SHOWN))
    if fmt is ListFormat.json:
        import json

        sys.stdout.write(json.dumps(totals) + "\n")
    else:
        ev.print_table(kb, misses, totals, _console())


MISSES_SHOWN = 200  # cases that missed, listed in evaluate's table


def _open_closed_standard_streams() -> None:
    """A closed standard stream (`>&-`) is reopened on /dev/null, so no file we open lands on its number.

    Python has already set sys.stdin/sys.stdout to None for it; :func:`edge` and the readers say so in one line.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            devnull = os.open(os.devnull, os.O_RDWR)
            if devnull != fd:
                os.dup2(devnull, fd)
                os.close(devnull)


def main() -> None:
    _open_closed_standard_streams()
    app()
