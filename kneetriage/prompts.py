"""The interview in a terminal: questionary prompts over :class:`kneetriage.interview.Interview`.

The engine decides what to ask; this module only shows it and turns key
presses into answers. Prompts use ``unsafe_ask()``, so Ctrl-C raises
KeyboardInterrupt for the CLI to turn into exit 130.

Each screen shows "Question 4 of about 9". A tick-box screen ends with "I'm
not sure about some of these"; ticking it brings one more screen asking which,
and those are stored as null ("not sure"), the rest as no. Every single
question offers "Not sure" (null) and "Why are we asking?", which shows the
knowledge base's reason and asks again.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from .interview import Interview, Screen
from .knowledge import Finding, KnowledgeBase

NOT_SURE = "\0not sure"  # choice values that no finding can have
WHY = "\0why"
NOT_SURE_TICK = "I'm not sure about some of these"
WHY_DEFAULT = "The answer helps tell the likely causes apart."
CHECK_HINT = "(space ticks, enter when done; tick nothing if none apply)"


def _questionary():
    """questionary, imported only once an interview runs (start-up time; the scripted path never needs it)."""
    import questionary  # noqa: TID251 (the ban is on module-level imports; this is the one place it is loaded)

    return questionary


def _columns() -> int:
    from prompt_toolkit.application import get_app_session

    try:
        return max(20, get_app_session().output.get_size().columns)
    except Exception:  # an output that cannot tell its size
        return 80


def _wrap(text: str, indent: int, width: int | None = None) -> str:
    """Wrap a choice's text to the terminal, continuation lines lined up under the first.

    questionary draws choices without wrapping, so at 40 columns a long choice
    would be cut off."""
    width = (width or _columns()) - indent - 1
    lines = textwrap.wrap(text, max(width, 10)) or [""]
    return ("\n" + " " * indent).join(lines)


def _hint(text: str) -> str:
    """An instruction on its own lines under the question."""
    return "\n  " + _wrap(text, 2)


def _cap(label: str) -> str:
    return label[:1].upper() + label[1:]


def run(
    kb: KnowledgeBase,
    prefill: dict | None = None,
    *,
    console,
    on_answer: Callable[[dict], None] | None = None,
) -> Interview:
    """Ask until the engine stops; return the interview (answers, stopped_for_emergency).

    ``on_answer`` is called with the answers after every screen (for --save).
    """
    iv = Interview(kb, prefill)
    shown = 0
    while (screen := iv.next_screen()) is not None:
        about = max(shown + iv.screens_left(), shown + 1)
        shown += 1
        _progress(console, shown, about)
        if screen.kind == "checklist":
            ticked = _ask_checklist(screen)
            unsure: set[str] = set()
            if NOT_SURE in ticked:
                ticked.remove(NOT_SURE)
                rest = [f for f in screen.findings if f.id not in ticked]
                if rest:
                    shown += 1
                    _progress(console, shown, about + 1)
                    unsure = set(_ask_unsure(rest))
            value = {f.id: (None if f.id in unsure else f.id in ticked) for f in screen.findings}
        else:
            value = _ask_question(screen.finding, console)
        iv.record(screen, value)
        if on_answer is not None:
            on_answer(iv.answers)
    return iv


def _progress(console, n: int, about: int) -> None:
    console.print(f"\nQuestion {n} of about {about}", style="dim", highlight=False)


def _style():
    questionary = _questionary()

    # Bold and reverse carry the meaning; colour only adds to it (and NO_COLOR drops it).
    return questionary.Style([("question", "bold"), ("instruction", "italic"), ("pointer", "bold")])


def _ask_checklist(screen: Screen) -> list[str]:
    questionary = _questionary()

    choices = [_tick(questionary, f) for f in screen.findings]
    choices.append(questionary.Choice(title=_wrap(NOT_SURE_TICK, 5), value=NOT_SURE))
    return questionary.checkbox(
        _wrap(screen.title, 2), choices=choices, instruction=_hint(CHECK_HINT), style=_style(), use_jk_keys=False
    ).unsafe_ask()


def _ask_unsure(findings: list[Finding]) -> list[str]:
    questionary = _questionary()

    choices = [_tick(questionary, f) for f in findings]
    return questionary.checkbox(
        _wrap("Which of these are you not sure about? The rest count as no.", 2),
        choices=choices,
        instruction=_hint("(space ticks, enter when done)"),
        style=_style(),
        use_jk_keys=False,
    ).unsafe_ask()


def _tick(questionary, f: Finding):
    return questionary.Choice(title=_wrap(_cap(f.label), 5), value=f.id, description=_describe(f))


def _describe(f: Finding) -> str:
    """A tick box's full question and why it matters, shown while it is highlighted."""
    return _after_description_label(f"{f.question} Why we ask: {f.help}" if f.help else f.question)


def _describe_why(f: Finding) -> str:
    return _after_description_label(f.help or WHY_DEFAULT)


def _after_description_label(text: str) -> str:
    """Wrapped to follow questionary's "  Description: " (15 characters), later lines indented 2."""
    lead = " " * 15
    return textwrap.fill(text, max(_columns() - 1, 30), initial_indent=lead, subsequent_indent="  ")[len(lead) :]


def _ask_question(f: Finding, console):
    """One question; None means "not sure"."""
    questionary = _questionary()

    if f.type == "integer":
        return _ask_number(f, console)
    options = [("Yes", True), ("No", False)] if f.type == "boolean" else [(c.label, c.value) for c in f.choices]
    choices = [questionary.Choice(title=_wrap(label, 3), value=value) for label, value in options]
    choices += [
        questionary.Choice("Not sure", NOT_SURE),
        # Pointing at it shows the reason; choosing it prints the reason and asks again.
        questionary.Choice("Why are we asking?", WHY, description=_describe_why(f)),
    ]
    while True:
        picked = questionary.select(
            _wrap(f.question, 2), choices=choices, style=_style(), use_jk_keys=False
        ).unsafe_ask()
        if picked == WHY:
            _why(f, console)
            continue
        return None if picked == NOT_SURE else picked


def _ask_number(f: Finding, console):
    questionary = _questionary()

    def valid(text: str):
        text = text.strip()
        if text in ("", "?"):
            return True
        if text.isdigit() and f.min <= int(text) <= f.max:
            return True
        return f"Type a whole number from {f.min} to {f.max}, ? for why we ask, or leave it empty if not sure"

    while True:
        text = (
            questionary.text(
                _wrap(f.question, 2),
                validate=valid,
                instruction=_hint(f"(a number from {f.min} to {f.max}; ? says why we ask; leave it empty if not sure)"),
                style=_style(),
            )
            .unsafe_ask()
            .strip()
        )
        if text == "?":
            _why(f, console)
            continue
        return int(text) if text else None


def _why(f: Finding, console) -> None:
    from rich.text import Text

    console.print(Text.assemble(("Why we ask: ", "bold"), f.help or WHY_DEFAULT))


def print_emergency(report: dict, reasons, console) -> None:
    """The emergency stop: a red box with the action and the number, then the reasons (output.pages.emergency)."""
    from .output import pages, terminal

    console.print()
    terminal.draw(pages.emergency(report, reasons), console)
