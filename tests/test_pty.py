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


def test_ctrl_c_at_the_first_question_exits_130_without_a_traceback():
    child = spawn()
    child.expect("Breathlessness")
    child.sendcontrol("c")
    child.expect("interview stopped; nothing was saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in everything(child)
