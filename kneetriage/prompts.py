"""The interview in a terminal: questionary prompts over :class:`kneetriage.interview.Interview`.

The engine decides what to ask; this module only shows it and turns key
presses into answers. Prompts use ``unsafe_ask()``, so Ctrl-C raises
KeyboardInterrupt (and Ctrl-D EOFError, on lists and tick boxes too) for the
CLI to turn into exit 130.

Each screen shows "Question 4 of about 11" (or "Question 12 (nearly done)"
once the engine's estimate is reached: see :func:`kneetriage.interview.progress`).
A tick-box screen ends with "I'm not sure about some of these"; ticking it
brings one more screen asking which, and those are stored as null ("not
sure"), the rest as no. That screen needs at least one sign ticked (or "go
back to the list"), so "not sure" never turns into "no" by pressing Enter.
Each sign left unsure gets a line on how to check it. Every single question
offers "Not sure" (null) and "Why are we asking?", which shows the knowledge
base's reason and asks again. Where it hurts (``pain_site``) is chosen on a
drawing of the back of the leg, numbered so that it reads without colour.
When and how it began is one list whose choices say both ("Suddenly, 1 to 6
days ago"), recorded as ``onset`` and ``duration``; not knowing how it began
is said on the same list ("1 to 6 weeks ago, not sure how", "Not sure how or
when"), so how long never takes a screen of its own.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from .interview import Interview, Screen, progress, when_choices
from .knowledge import Finding, KnowledgeBase

NOT_SURE = "\0not sure"  # choice values that no finding can have
WHY = "\0why"
NOT_SURE_TICK = "I'm not sure about some of these"
BACK = "\0back"
BACK_TITLE = "Go back to the list"
UNSURE_QUESTION = "Which of these are you not sure about? Tick at least one; the rest count as no."
UNSURE_NEEDED = "Tick at least one you are not sure about, or tick 'Go back to the list'"
WHY_DEFAULT = "The answer helps tell the likely causes apart."
CHECK_HINT = "(space ticks, enter when done; tick nothing if none apply)"
ARROWS = "(Use arrow keys)"  # questionary's instruction on a list
PRESS_NUMBER = "(press its number)"


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


def _question(text: str, answers: list[str], width: int | None = None) -> str:
    """A question wrapped to the terminal, for questionary to show as "? question answer".

    Where the longest answer (or instruction) would not fit after the question's last line, it goes on
    the next line: the terminal would otherwise break it mid-word ("No, nothin" / "g happened")."""
    width = width or _columns()
    wrapped = _wrap(text, 2, width)
    last = wrapped.rsplit("\n", 1)[-1]
    used = len(last) + (2 if "\n" not in wrapped else 0)  # the first line follows "? "
    longest = max((len(a.split("\n", 1)[0]) for a in answers), default=0)
    return wrapped + "\n " if used + 1 + longest > width - 1 else wrapped


def _titles(choices) -> list[str]:
    return [c.title for c in choices if isinstance(c.title, str)]


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
        left = iv.screens_left()
        if screen.kind == "checklist":
            while True:  # until the ticks are settled ("go back to the list" shows it again)
                shown += 1
                _progress(console, shown, left)
                ticked = _ask_checklist(screen)
                unsure: list[str] = []
                if NOT_SURE not in ticked:
                    break
                ticked.remove(NOT_SURE)
                rest = [f for f in screen.findings if f.id not in ticked]
                if not rest:
                    break
                shown += 1
                _progress(console, shown, left)
                unsure = _ask_unsure(rest)
                if BACK not in unsure:
                    break
            value = {f.id: (None if f.id in unsure else f.id in ticked) for f in screen.findings}
            _how_to_check([f for f in screen.findings if f.id in unsure], console)
        elif screen.kind == "when":
            shown += 1
            _progress(console, shown, left)
            value = _ask_when(iv, screen, console)
        else:
            shown += 1
            _progress(console, shown, left)
            value = _ask_question(screen.finding, console, iv.answers)
        iv.record(screen, value)
        if on_answer is not None:
            on_answer(iv.answers)
    return iv


def _progress(console, n: int, left: int) -> None:
    console.print("\n" + progress(n, left), style="dim", highlight=False)


def _asked(question):
    """Ask a list or tick-box prompt; Ctrl-D leaves it as it leaves a typed answer (EOFError: exit 130).

    questionary binds only Ctrl-C there, so Ctrl-D did nothing on those screens."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    keys = KeyBindings()

    @keys.add("c-d", eager=True)
    def _(event):
        event.app.exit(exception=EOFError, style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, keys]) if app.key_bindings else keys
    return question.unsafe_ask()


def _style():
    questionary = _questionary()

    # Bold and reverse carry the meaning; colour only adds to it (and NO_COLOR drops it).
    return questionary.Style([("question", "bold"), ("instruction", "italic"), ("pointer", "bold")])


def _ask_checklist(screen: Screen) -> list[str]:
    questionary = _questionary()

    room = _room(screen.title, CHECK_HINT, screen.findings, NOT_SURE_TICK)
    choices = [_tick(questionary, f, room) for f in screen.findings]
    choices.append(questionary.Choice(title=_wrap(NOT_SURE_TICK, 5), value=NOT_SURE))
    return _asked(
        questionary.checkbox(
            _wrap(screen.title, 2),  # not _question: a tick-box screen has no row to spare
            choices=choices,
            instruction=_hint(CHECK_HINT),
            style=_style(),
            use_jk_keys=False,
        )
    )


def _ask_unsure(findings: list[Finding]) -> list[str]:
    """Which signs are "not sure"; at least one must be ticked, or "go back to the list"."""
    questionary = _questionary()

    room = _room(UNSURE_QUESTION, "(space ticks, enter when done)", findings, BACK_TITLE)
    choices = [_tick(questionary, f, room) for f in findings]
    choices.append(questionary.Choice(title=_wrap(BACK_TITLE, 5), value=BACK))
    return _asked(
        questionary.checkbox(
            _wrap(UNSURE_QUESTION, 2),
            choices=choices,
            instruction=_hint("(space ticks, enter when done)"),
            validate=lambda chosen: bool(chosen) or UNSURE_NEEDED,
            style=_style(),
            use_jk_keys=False,
        )
    )


def _how_to_check(findings: list[Finding], console) -> None:
    """For warning signs left "not sure": how to check them, and that they count as not checked meanwhile."""
    from rich.text import Text

    if not findings:
        return
    console.print(
        Text(
            "Not checked yet, so home care alone will not be advised. You can check these now and "
            "run kneetriage again:",
            style="bold",
        )
    )
    for f in findings:
        how = f.how_to_check or "Ask someone to look at or feel both legs with you and compare the two sides."
        console.print(Text.assemble("- ", (_cap(f.label), "bold"), ": ", how))


def _tick(questionary, f: Finding, room: int | None = None):
    return questionary.Choice(title=_wrap(_cap(f.label), 5), value=f.id, description=_describe(f, room))


def _rows() -> int:
    from prompt_toolkit.application import get_app_session

    try:
        return get_app_session().output.get_size().rows
    except Exception:  # an output that cannot tell its size
        return 24


def _room(title: str, hint: str, findings: list[Finding], extra: str) -> int:
    """Rows left for the description under a tick-box screen (progress line, question, hint, boxes)."""
    shown = [_wrap(title, 2), _wrap(hint, 2), *(_wrap(_cap(f.label), 5) for f in findings), _wrap(extra, 5)]
    return _rows() - 1 - sum(text.count("\n") + 1 for text in shown)


def _describe(f: Finding, room: int | None = None) -> str:
    """A tick box's full question, how to check it and why it matters, shown while it is highlighted.

    Where the terminal has fewer than ``room`` rows left for it, "why we ask" is left out, then "how to
    check": a description that does not fit is cut off at the bottom, and the screen's top scrolls away."""
    parts = [f.question]
    if f.how_to_check:
        parts.append(f"How to check: {f.how_to_check}")
    if f.help:
        parts.append(f"Why we ask: {f.help}")
    while True:
        text = _after_description_label(" ".join(parts))
        if room is None or len(parts) == 1 or text.count("\n") + 1 <= room:
            return text
        parts.pop()


def _describe_why(f: Finding) -> str:
    return _after_description_label(f.help or WHY_DEFAULT)


def _after_description_label(text: str) -> str:
    """Wrapped to follow questionary's "  Description: " (15 characters), later lines indented 2."""
    lead = " " * 15
    return textwrap.fill(text, max(_columns() - 1, 30), initial_indent=lead, subsequent_indent="  ")[len(lead) :]


def _ask_question(f: Finding, console, answers: dict | None = None):
    """One question; None means "not sure"."""
    questionary = _questionary()

    if f.type == "integer":
        return _ask_number(f, console)
    if is_pain_site(f):
        return _ask_pain_site(f, console, (answers or {}).get("side"))
    options = [("Yes", True), ("No", False)] if f.type == "boolean" else [(c.label, c.value) for c in f.choices]
    choices = [questionary.Choice(title=_wrap(label, 3), value=value) for label, value in options]
    choices += [
        questionary.Choice("Not sure", NOT_SURE),
        # Pointing at it shows the reason; choosing it prints the reason and asks again.
        questionary.Choice("Why are we asking?", WHY, description=_describe_why(f)),
    ]
    while True:
        message = _question(f.question, [*_titles(choices), ARROWS])
        picked = _asked(questionary.select(message, choices=choices, style=_style(), use_jk_keys=False))
        if picked == WHY:
            _why(f, console)
            continue
        return None if picked == NOT_SURE else picked


def _ask_when(iv: Interview, screen: Screen, console) -> dict:
    """When and how it began, one list whose choices say both ("Suddenly, 1 to 6 days ago", "1 to 6 weeks ago,
    not sure how", "Not sure how or when")."""
    questionary = _questionary()

    onset, duration = screen.findings
    options = when_choices(iv.kb)
    choices = [questionary.Choice(title=_wrap(label, 3), value=i) for i, (label, _) in enumerate(options)]
    why = " ".join(f.help for f in (onset, duration) if f.help) or WHY_DEFAULT
    choices.append(questionary.Choice("Why are we asking?", WHY, description=_after_description_label(why)))
    while True:
        message = _question(screen.title, [*_titles(choices), ARROWS])
        picked = _asked(questionary.select(message, choices=choices, style=_style(), use_jk_keys=False))
        if picked == WHY:
            console.print(_why_text(why))
            continue
        return dict(options[picked][1])


# -- where it hurts: a picture of the back of the leg -------------------------------------------

# The number marking each place on the drawing, in the order of the list under it.
PAIN_SITE_MARKS = {"thigh": "1", "inner": "2", "centre": "3", "outer": "4", "calf": "5", "all_over": "6"}


def is_pain_site(f: Finding) -> bool:
    """Whether a question is "where does it hurt most" with the places the drawing marks."""
    return f.type == "choice" and set(f.choice_values) == set(PAIN_SITE_MARKS)


def pain_site_picture(side: str | None) -> str:
    """The back of the leg, as someone standing behind the person sees it, places numbered (no colour needed).

    Seen from behind, the inner side of the right leg is on the left of the
    picture and that of the left leg on the right; for both knees or an
    unknown side the right leg is drawn and the swap is said in words. At most
    38 characters wide, so it reads in a 40-column terminal.
    """
    leg = "left" if side == "left" else "right"
    left_word, right_word = ("outer", "inner") if leg == "left" else ("inner", "outer")
    m = PAIN_SITE_MARKS
    row = f"{m[left_word]}      {m['centre']}      {m[right_word]}"
    lines = [
        f"The back of your {leg} leg, from behind:",
        f"   {left_word:<18}{right_word:>5}",
        "    ______________________",
        f"   |          {m['thigh']}           |  thigh",
        "   |======================|",
        f"   |   {row}    |  knee",
        "   |======================|",
        f"    \\         {m['calf']}          /   calf",
        "     \\____________________/",
    ]
    if side not in ("left", "right"):
        lines[1:1] = ["(on the left leg, inner and outer swap)"]
    return "\n".join(lines)


def _ask_pain_site(f: Finding, console, side: str | None):
    """The drawing, then a list whose titles say each place in full words (for screen readers)."""
    from rich.text import Text

    questionary = _questionary()

    console.print(Text(pain_site_picture(side)))
    labels = {c.value: _cap(c.short or c.label) for c in f.choices}
    full = {c.value: c.label for c in f.choices}  # shown under the list for the place pointed at
    order = sorted(PAIN_SITE_MARKS, key=PAIN_SITE_MARKS.get)
    choices = [
        questionary.Choice(
            title=_wrap(labels[v], 6),
            value=v,
            shortcut_key=PAIN_SITE_MARKS[v],
            description=_after_description_label(full[v]),
        )
        for v in order
    ]
    choices.append(questionary.Choice("Why are we asking?", WHY, description=_describe_why(f), shortcut_key="7"))
    while True:
        picked = _asked(
            questionary.select(
                _question(f.question, [*_titles(choices), PRESS_NUMBER]),
                choices=choices,
                instruction=PRESS_NUMBER,
                style=_style(),
                use_jk_keys=False,
                use_shortcuts=True,
            )
        )
        if picked == WHY:
            _why(f, console)
            continue
        return picked


def _ask_number(f: Finding, console):
    questionary = _questionary()

    def valid(text: str):
        text = text.strip()
        if text in ("", "?"):
            return True
        # ASCII digits only: str.isdigit() also accepts '²' or '٣', which int() refuses or reads otherwise.
        if text.isascii() and text.isdigit() and len(text) <= 6 and f.min <= int(text) <= f.max:
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
    console.print(_why_text(f.help or WHY_DEFAULT))


def _why_text(reason: str):
    from rich.text import Text

    return Text.assemble(("Why we ask: ", "bold"), reason)


def print_emergency(report: dict, reasons, console) -> None:
    """The emergency stop: a red box with the action and the number, then the reasons (output.pages.emergency)."""
    from .output import pages, terminal

    console.print()
    terminal.draw(pages.emergency(report, reasons), console)
