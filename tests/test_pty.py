"""End to end in a real pseudo-terminal: what a person's terminal does, which a pipe hides."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pseudo-terminals are POSIX only", allow_module_level=True)


def _command() -> list[str]:
    """The installed console script (next to this Python, or on PATH), else the module."""
    here = Path(sys.executable).parent / "kneetriage"
    found = str(here) if here.exists() else shutil.which("kneetriage")
    return [found] if found else [sys.executable, "-m", "kneetriage"]


def spawn(*args: str, columns: int = 80, **env):
    cmd = _command()
    environ = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "KNEETRIAGE_REGION")}
    environ.update({"TERM": "xterm", "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1"}, **env)
    child = pexpect.spawn(
        cmd[0], [*cmd[1:], "ask", *args], env=environ, dimensions=(24, columns), encoding="utf-8", timeout=20
    )
    child.logfile_read = io.StringIO()  # everything the terminal received
    return child


def everything(child) -> str:
    return child.logfile_read.getvalue()


SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colours(text: str) -> list[str]:
    """SGR codes that set a colour (30-38, 40-48, 90-107): NO_COLOR allows bold and reverse only."""
    found = []
    for params in SGR.findall(text):
        for p in params.split(";"):
            if p.isdigit() and (30 <= int(p) <= 38 or 40 <= int(p) <= 48 or 90 <= int(p) <= 107):
                found.append(params)
    return found


@pytest.mark.parametrize(("columns", "region", "number"), [(80, "uk", "999"), (40, "uk", "999"), (80, "us", "911")])
def test_breathlessness_on_the_first_screen_stops_with_the_emergency_number(columns, region, number):
    child = spawn("--region", region, columns=columns)
    child.expect("Question 1 of about")
    child.expect("Breathlessness")
    child.send(" ")  # the pointer starts on breathlessness: tick it
    child.send("\r")
    child.expect("EMERGENCY")
    child.expect(number)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = everything(child)
    assert "Question 2" not in shown
    assert "Traceback" not in shown


@pytest.mark.parametrize("no_color", ["1", ""])
def test_no_color_means_no_colour_codes(no_color):
    child = spawn(NO_COLOR=no_color)
    child.expect("Breathlessness")
    child.send(" \r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "EMERGENCY" in everything(child)
    if no_color:
        assert colours(everything(child)) == []
    else:  # the check can see colour where it is allowed
        assert colours(everything(child)) != []


def stops_with_130(child) -> None:
    """The interview was left: it says nothing was saved and exits 130, without a traceback."""
    child.expect("interview stopped; nothing was saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in everything(child)


def test_ctrl_c_at_the_first_question_exits_130_without_a_traceback():
    child = spawn()
    child.expect("Breathlessness")
    child.sendcontrol("c")
    stops_with_130(child)


@pytest.mark.parametrize("where", ["tick boxes", "a list"])
def test_ctrl_d_on_a_tick_box_or_list_screen_exits_130(where):
    """Ctrl-D leaves every kind of screen, not only a typed answer (questionary binds only Ctrl-C there)."""
    child = spawn()
    child.expect("Breathlessness")
    if where == "a list":
        child.send("\r")  # none of the warning signs
        child.expect("How old are you")
        child.send("34\r")
        child.expect("Which knee")
    child.sendcontrol("d")
    stops_with_130(child)


def test_a_terminal_interview_takes_the_history_first_and_records_the_place_on_the_picture(tmp_path):
    import json

    from kneetriage import interview, knowledge

    kb = knowledge.load()
    down = "\x1b[B"
    saved = tmp_path / "answers.json"
    child = spawn("--save", str(saved), columns=40)
    child.expect("Breathlessness")
    child.send("\r")  # the emergency screen: none of these
    child.expect(r"Question 2 of about \d+")
    before = len(everything(child))
    child.expect("How old are you")  # the first question after the emergency screen is about the person
    assert "Question 3" not in everything(child)[before:]
    child.send("34\r")
    child.expect("Which knee")
    child.send(down * kb.finding["side"].choice_values.index("left") + "\r")
    child.expect("happen")  # what happened
    child.send(down * kb.finding["injury"].choice_values.index("overstretch") + "\r")
    child.expect("pop")  # after an injury, straight after what happened
    child.send("\r")  # yes
    child.expect("When did the pain start")  # when and how, one list whose choices say both
    child.expect("Not sure how or when")
    choices = [label for label, _ in interview.when_choices(kb)]
    shown = everything(child)
    assert all(label in shown for label in choices)  # each choice whole on one line at 40 columns
    child.send(down * choices.index("Suddenly, 1 to 6 days ago") + "\r")
    child.expect("The back of your left leg")  # the picture, drawn at 40 columns
    child.expect("calf")
    child.send("5\r")  # the number on the picture: the calf
    child.expect(r"Question \d+")  # the next screen: stop here
    child.expect_exact("\x1b[?7h")  # once its prompt is drawn (a Ctrl-C sent sooner can be lost under load)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    got = json.loads(saved.read_text())
    assert got["age"] == 34 and got["side"] == "left" and got["injury"] == "overstretch"
    assert got["pop_at_onset"] is True and got["pain_site"] == "calf"
    assert got["onset"] == "sudden" and got["duration"] == "days"  # the contract's two answers, from one screen
    shown = everything(child)
    assert "Traceback" not in shown and colours(shown) == []


def test_after_an_interview_the_verdict_is_said_again_at_the_bottom(tmp_path):
    """In a 24-row terminal the result's top has scrolled away: its last lines say the verdict again."""
    import json

    from conftest import all_answered, read_cases

    from kneetriage import engine, knowledge, result

    kb = knowledge.load()
    answers = all_answered(next(c for c in read_cases("public_cases.jsonl") if c["id"] == "p-hamstring")["answers"])
    given = tmp_path / "answers.json"
    given.write_text(json.dumps(answers))
    child = spawn("--answers", str(given))  # in a terminal, the questions the file leaves out are asked
    for _ in range(5):
        if child.expect(["In short: ", r"\(Use arrow keys\)|\(press its number\)"]) == 0:
            break
        child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    title = result.build(kb, engine.triage(kb, answers), kb.get_region("uk"))["urgency"]["title"]
    tail = everything(child).rsplit("In short: ", 1)[1]
    assert tail.startswith(title) and "Scroll up" in tail
