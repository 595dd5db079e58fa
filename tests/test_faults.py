"""Every fault from the fault-injection run (issue 12), run again: one line and exit 2, or exit 130
(128 + the signal) with a saved/not-saved line; never a traceback; no temporary file left.

Faults that need a real process (closed or full standard streams, signals, endless devices, peak
memory) run the installed ``kneetriage`` command; the others run in-process. The knowledge-base
refusals of ``check`` are in tests/test_check_refusals.py; the width and encoding faults belong
to the output tests.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, read_cases
from typer.testing import CliRunner

from kneetriage import cli, files, interview, knowledge, prompts
from kneetriage.cli import app

KB = knowledge.load()
BREATHLESS = {"age": 50, "breathless_or_chest_pain": True}
PUBLIC = {c["id"]: c for c in read_cases("public_cases.jsonl")}
LONG_NAME = "a" * 300 + ".json"
CTRL_C, CTRL_D, ENTER, SPACE, BACKSPACE = "\x03", "\x04", "\r", " ", "\x7f"


def command() -> list[str]:
    """The installed console script next to this Python (python -m kneetriage otherwise)."""
    script = Path(sys.executable).with_name("kneetriage")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kneetriage"]


def kt(*args: str, cwd: Path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, timeout: float = 60, env=None):
    environ = {k: v for k, v in os.environ.items() if k not in ("KNEETRIAGE_REGION", "FORCE_COLOR")}
    environ.update(env or {})
    return subprocess.run(
        [*command(), *args], cwd=cwd, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout, env=environ
    )


def shell(script: str, cwd: Path, timeout: float = 60):
    """A shell line, for what Python's subprocess cannot do (close a standard stream): $KT is the command."""
    env = {**os.environ, "KT": " ".join(command())}
    env.pop("KNEETRIAGE_REGION", None)
    return subprocess.run(["sh", "-c", script], cwd=cwd, capture_output=True, timeout=timeout, env=env)


def no_temp_files(folder: Path) -> None:
    left = [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")]
    assert left == [], f"temporary files left behind: {left}"


def one_line(code: int, stderr: str | bytes, expected: str, returncode: int) -> str:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = [line for line in text.splitlines() if line.strip()]
    assert returncode == code, text
    assert len(lines) == 1, text
    assert expected in lines[0], lines[0]
    assert "Traceback" not in text
    return lines[0]


def write(path: Path, value) -> str:
    path.write_text(value if isinstance(value, str) else json.dumps(value), encoding="utf-8")
    return str(path)


@pytest.fixture
def keys(monkeypatch):
    """A prompt_toolkit pipe standing in for the keyboard, and a CLI that believes it is in a terminal."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    monkeypatch.setattr(cli, "_is_terminal", lambda: True)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


def ask(*args: str, input=None):
    return CliRunner().invoke(app, ["ask", *args], input=input, catch_exceptions=False)


# -- a failure to save never hides the advice ----------------------------------------------------


def test_save_that_cannot_be_written_prints_the_advice_first_then_one_line(tmp_path, monkeypatch):
    """A folder that refuses the write (simulated where the file is created, so it holds for root too)."""
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = ask("--answers", write(tmp_path / "a.json", BREATHLESS), "--save", str(tmp_path / "saved.json"))
    assert "999" in result.stdout, "the emergency number is shown although the answers could not be saved"
    one_line(2, result.stderr, "cannot save the answers", result.exit_code)
    assert not (tmp_path / "saved.json").exists()


def test_report_that_cannot_be_written_prints_the_advice_first(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "mkstemp", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space left")))
    result = ask("--answers", write(tmp_path / "a.json", BREATHLESS), "--report", str(tmp_path / "r.md"))
    assert "999" in result.stdout
    one_line(2, result.stderr, "cannot save the sheet", result.exit_code)


def test_save_folder_deleted_mid_interview_still_shows_the_emergency(keys, tmp_path, monkeypatch):
    folder = tmp_path / "answers"
    folder.mkdir()
    real_progress = prompts._progress

    def progress_then_delete(console, n, about):
        real_progress(console, n, about)
        shutil.rmtree(folder, ignore_errors=True)  # gone before the first screen is saved

    monkeypatch.setattr(prompts, "_progress", progress_then_delete)
    keys.send_text(SPACE + ENTER)  # tick breathlessness (the first box): the emergency stop
    result = ask("--save", str(folder / "mine.json"))
    assert "EMERGENCY" in result.stdout and "999" in result.stdout
    one_line(2, result.stderr, "cannot save the answers", result.exit_code)


# -- output paths: checked once, before any question -------------------------------------------


@pytest.mark.parametrize("kind", ["copy of /dev/null", "symbolic link to /dev/null", "FIFO"])
@pytest.mark.parametrize("option", ["--save", "--report"])
def test_a_device_or_pipe_as_output_is_refused_and_left_alone(tmp_path, kind, option):
    target = tmp_path / ("out.md" if option == "--report" else "out.json")
    if kind == "FIFO":
        os.mkfifo(target)
    elif kind == "copy of /dev/null":
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.stat("/dev/null").st_rdev)
        except PermissionError:
            pytest.skip("making a device node needs root; the symbolic link case covers the same check")
    else:
        target.symlink_to("/dev/null")
    result = ask("--answers", write(tmp_path / "a.json", BREATHLESS), option, str(target))
    one_line(2, result.stderr, "not a regular file", result.exit_code)
    assert result.stdout == ""
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    mode = os.lstat(target).st_mode
    assert stat.S_ISLNK(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode), "left as it was, not made a file"


def test_sheet_output_to_a_pipe_is_refused(run, tmp_path):
    os.mkfifo(tmp_path / "sheet.md")
    result = run("sheet", "--output", str(tmp_path / "sheet.md"))
    one_line(2, result.stderr, "not a regular file", result.exit_code)


def test_an_existing_save_file_is_carried_on_from_not_overwritten(keys, tmp_path):
    first = interview.Interview(KB).next_screen()
    earlier = {f.id: False for f in first.findings}  # the first screen, answered in an earlier run
    saved = tmp_path / "mine.json"
    write(saved, earlier)
    second = interview.Interview(KB, earlier).next_screen()
    if second.kind == "checklist":  # nothing ticked
        press, added = ENTER, {f.id: False for f in second.findings}
    elif second.finding.type == "boolean":  # "No", the second option
        press, added = "\x1b[B" + ENTER, {second.finding.id: False}
    elif second.finding.type == "choice":  # the first option
        press, added = ENTER, {second.finding.id: second.finding.choice_values[0]}
    else:
        press, added = "40" + ENTER, {second.finding.id: 40}
    keys.send_text(press + CTRL_C)  # the next screen, then stop
    result = ask("--save", str(saved))
    assert result.exit_code == 130
    assert f"carrying on from the answers in {saved}" in result.stderr
    now = json.loads(saved.read_text(encoding="utf-8"))
    assert now == {**earlier, **added}, "kept the earlier answers, added the new"


def test_an_existing_save_file_is_the_answers_of_a_scripted_run(tmp_path):
    saved = write(tmp_path / "mine.json", PUBLIC["p-dvt"]["answers"])
    before = Path(saved).read_bytes()
    result = ask("--save", saved, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answers"] == json.loads(before)
    assert json.loads(Path(saved).read_bytes()) == json.loads(before)


def test_an_existing_save_file_that_is_not_answers_is_refused_naming_force(tmp_path):
    saved = tmp_path / "notes.json"
    saved.write_text("my own notes", encoding="utf-8")
    result = ask("--save", str(saved), "--no-input")
    one_line(2, result.stderr, "not valid JSON", result.exit_code)
    assert "--force starts afresh" in result.stderr
    assert saved.read_text(encoding="utf-8") == "my own notes"


def test_an_existing_save_file_is_not_replaced_by_other_answers_without_force(tmp_path):
    saved = tmp_path / "mine.json"
    write(saved, {"age": 70})
    other = write(tmp_path / "other.json", BREATHLESS)
    result = ask("--answers", other, "--save", str(saved))
    one_line(2, result.stderr, "already exists", result.exit_code)
    assert "--force" in result.stderr
    assert json.loads(saved.read_text()) == {"age": 70}
    assert ask("--answers", other, "--save", str(saved), "--force").exit_code == 0
    assert json.loads(saved.read_text()) == BREATHLESS


def test_an_existing_report_or_sheet_is_not_replaced_without_force(run, tmp_path):
    report = tmp_path / "for-gp.md"
    report.write_text("my notes", encoding="utf-8")
    result = ask("--answers", write(tmp_path / "a.json", BREATHLESS), "--report", str(report))
    one_line(2, result.stderr, "already exists", result.exit_code)
    assert report.read_text(encoding="utf-8") == "my notes"
    result = run("sheet", "--output", str(report))
    one_line(2, result.stderr, "already exists", result.exit_code)
    assert report.read_text(encoding="utf-8") == "my notes"


def test_save_and_report_to_the_same_file_is_refused(tmp_path):
    same = tmp_path / "same.md"
    result = ask("--answers", write(tmp_path / "b.json", BREATHLESS), "--save", str(same), "--report", str(same))
    one_line(2, result.stderr, "both name", result.exit_code)
    assert not same.exists()


def test_sheet_never_overwrites_its_own_input(run, tmp_path):
    both = tmp_path / "X.md"
    write(both, PUBLIC["p-dvt"]["answers"])
    before = both.read_bytes()
    result = run("sheet", "--answers", str(both), "--output", str(both))
    one_line(2, result.stderr, "also read by this run", result.exit_code)
    assert both.read_bytes() == before
    result = run("sheet", "--answers", str(both), "--output", str(both), "--force")
    one_line(2, result.stderr, "also read by this run", result.exit_code)
    assert both.read_bytes() == before


def test_a_report_never_overwrites_the_answers_it_reads(tmp_path):
    answers = tmp_path / "a.md"
    write(answers, BREATHLESS)
    result = ask("--answers", str(answers), "--report", str(answers), "--force")
    one_line(2, result.stderr, "also read by this run", result.exit_code)
    assert json.loads(answers.read_text()) == BREATHLESS


@pytest.mark.parametrize(
    "args",
    [
        ["ask", "--answers", LONG_NAME],
        ["ask", "--answers", "{answers}", "--save", LONG_NAME],
        ["ask", "--answers", "{answers}", "--report", "b" * 300 + ".md"],
        ["ask", "--answers", "{answers}", "--data", LONG_NAME],
        ["sheet", "--output", "c" * 300 + ".md"],
        ["evaluate", LONG_NAME],
        ["check", LONG_NAME],
    ],
    ids=["answers", "save", "report", "data", "sheet output", "evaluate", "check"],
)
def test_a_file_name_over_255_bytes_is_one_line(run, tmp_path, args):
    answers = write(tmp_path / "a.json", BREATHLESS)
    result = run(*[a.replace("{answers}", answers) for a in args])
    line = one_line(2, result.stderr, "longer than 255 bytes", result.exit_code)
    assert len(line) < 200
    no_temp_files(tmp_path)


# -- prompts: odd characters, Ctrl-D -------------------------------------------------------------


def test_a_superscript_two_at_the_age_prompt_is_refused_not_a_crash(keys):
    """'²'.isdigit() is True but int('²') fails: the prompt asks again, then takes 40."""
    from rich.console import Console

    keys.send_text("\u00b2" + ENTER + BACKSPACE + "40" + ENTER)
    assert prompts._ask_question(KB.finding["age"], Console(file=open(os.devnull, "w"))) == 40  # noqa: SIM115


@pytest.fixture
def age_first(monkeypatch):
    """An interview whose first two screens ask the age (the real prompt and CLI around it); then as usual."""

    class AgeFirst(interview.Interview):
        asked = 0

        def next_screen(self):
            if self.asked < 2:
                self.asked += 1
                return interview.Screen(kind="question", findings=(self.kb.finding["age"],), title="")
            return super().next_screen()

    monkeypatch.setattr(prompts, "Interview", AgeFirst)


def test_ctrl_d_at_the_age_prompt_exits_130_with_one_line(keys, age_first):
    keys.send_text(CTRL_D)
    result = ask()
    one_line(130, result.stderr, "kneetriage: interview stopped; nothing was saved", result.exit_code)
    assert "Aborted" not in result.output


def test_ctrl_d_after_some_answers_says_they_were_saved(keys, age_first, tmp_path):
    saved = tmp_path / "mine.json"
    keys.send_text("40" + ENTER + CTRL_D)
    result = ask("--save", str(saved))
    one_line(130, result.stderr, f"answers so far saved to {saved}", result.exit_code)
    assert json.loads(saved.read_text())["age"] == 40


def test_odd_characters_then_a_number_at_the_age_prompt_through_the_cli(keys, age_first, tmp_path):
    saved = tmp_path / "mine.json"
    keys.send_text("\u00b2" + ENTER + BACKSPACE + "\u0663" + ENTER + BACKSPACE + "35" + ENTER + CTRL_C)
    result = ask("--save", str(saved))
    assert result.exit_code == 130 and "Traceback" not in result.output
    assert json.loads(saved.read_text())["age"] == 35


# -- signals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("signame", "code"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_signal_while_a_file_is_written_leaves_no_temp_file(run, tmp_path, monkeypatch, signame, code):
    real_fsync = os.fsync

    def fsync_then_signal(fd):
        real_fsync(fd)
        os.kill(os.getpid(), getattr(signal, signame))  # arrives while the temporary file exists

    monkeypatch.setattr(files.os, "fsync", fsync_then_signal)
    result = run("sheet", "--output", str(tmp_path / "sheet.md"))
    one_line(code, result.stderr, "interrupted; nothing was saved", result.exit_code)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_a_file_is_written_leaves_no_temp_file(run, tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    result = ask("--answers", write(tmp_path / "a.json", BREATHLESS), "--save", str(tmp_path / "s.json"))
    assert result.exit_code == 130 and "nothing was saved" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_the_signal_handlers_are_put_back_after_a_command(run):
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)
    assert run("questions").exit_code == 0
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)) == before


@pytest.mark.parametrize(("signame", "code", "word"), [("SIGTERM", 143, "terminated"), ("SIGHUP", 129, "hung up")])
def test_a_signal_at_a_prompt_restores_the_terminal_and_says_what_was_saved(tmp_path, signame, code, word):
    pexpect = pytest.importorskip("pexpect")
    environ = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "KNEETRIAGE_REGION")}
    environ.update({"TERM": "xterm", "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1"})
    cmd = command()
    saved = tmp_path / "mine.json"
    child = pexpect.spawn(
        cmd[0], [*cmd[1:], "ask", "--save", str(saved)], env=environ, cwd=str(tmp_path), encoding="utf-8", timeout=20
    )
    child.expect("Question 1 of about")
    child.send(ENTER)  # nothing ticked on the first screen: saved
    child.expect("Question 2 of about")
    assert wait_for(lambda: not child.getecho()), "the prompt has echo off while it reads keys"
    child.kill(getattr(signal, signame))
    child.expect(f"interview {word}; answers so far saved to {saved}")
    child.expect(pexpect.EOF)
    assert wait_for(child.getecho), "echo is back on: the terminal was restored"
    child.close()
    assert child.exitstatus == code
    assert saved.exists()
    no_temp_files(tmp_path)


def wait_for(condition, tries: int = 100) -> bool:
    """Poll a terminal setting (a pseudo-terminal changes a moment after the text arrives); not a timing test."""
    import time

    for _ in range(tries):
        if condition():
            return True
        time.sleep(0.05)
    return False


# -- standard streams ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["sheet"], ["ask", "--answers", "a.json", "--format", "json"], ["ask", "--answers", "a.json"]]
)
def test_standard_output_on_a_full_disk_is_one_line(tmp_path, args):
    if not Path("/dev/full").exists():
        pytest.fail("this test needs /dev/full (Linux)")
    write(tmp_path / "a.json", BREATHLESS)
    with open("/dev/full", "w") as full:
        proc = kt(*args, cwd=tmp_path, stdout=full)
    one_line(2, proc.stderr, "cannot write the output (No space left on device)", proc.returncode)


def test_closed_standard_output_is_one_line(tmp_path):
    write(tmp_path / "a.json", BREATHLESS)
    proc = shell("$KT ask --answers a.json --save s.json >&-", tmp_path)
    one_line(2, proc.stderr, "standard output is closed", proc.returncode)
    assert not (tmp_path / "s.json").exists(), "nothing written when the result cannot be shown"


def test_closed_standard_input_is_one_line_when_it_is_read(tmp_path):
    proc = shell("$KT ask --answers - <&-", tmp_path)
    one_line(2, proc.stderr, "standard input is closed", proc.returncode)
    proc = shell("$KT evaluate - <&-", tmp_path)
    one_line(2, proc.stderr, "standard input is closed", proc.returncode)


def test_closed_standard_input_is_fine_when_it_is_not_read(tmp_path):
    write(tmp_path / "a.json", BREATHLESS)
    proc = shell("$KT ask --answers a.json --format json <&-", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["urgency"]["level"] == "emergency_ambulance"


# -- endless and oversized input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "/dev/zero"], "larger than 10 MB"),
        (["ask", "--answers", "a.json", "--data", "/dev/zero"], "larger than 10 MB"),
        (["evaluate", "/dev/zero"], "line 1 is longer than 1 MB"),
        (["ask", "--answers", "/dev/zero"], "larger than 1 MB"),
    ],
)
def test_an_endless_device_is_refused_after_a_bounded_read(tmp_path, args, expected):
    if not Path("/dev/zero").exists():
        pytest.fail("this test needs /dev/zero")
    write(tmp_path / "a.json", BREATHLESS)
    proc = kt(*args, cwd=tmp_path, timeout=60)  # the timeout only stops a runaway; nothing is timed
    one_line(2, proc.stderr, expected, proc.returncode)


def test_evaluate_with_a_5000_digit_number_is_one_line_naming_the_line(run, tmp_path):
    case = {"id": "x", "answers": {"age": 1}, "urgency": ["self_care"]}
    text = json.dumps(case).replace('"age": 1', '"age": ' + "9" * 5000)
    result = run("evaluate", write(tmp_path / "c.jsonl", "\n" + text + "\n"))
    one_line(2, result.stderr, "line 2: a number with 5000 digits", result.exit_code)


def test_a_knowledge_base_with_a_latin_1_byte_is_one_line_for_every_command(run, tmp_path):
    bad = tmp_path / "kb.json"
    bad.write_bytes(knowledge.default_path().read_bytes().replace(b'"disclaimer": "', b'"disclaimer": "\xe9', 1))
    answers = write(tmp_path / "a.json", BREATHLESS)
    for args in (
        ["check", str(bad)],
        ["ask", "--answers", answers, "--data", str(bad)],
        ["questions", "--data", str(bad)],
    ):
        result = run(*args)
        one_line(2, result.stderr, "is not UTF-8 text (byte 0xe9", result.exit_code)


def test_a_knowledge_base_with_a_3000_deep_condition_is_one_line(run, tmp_path):
    text = knowledge.default_path().read_text(encoding="utf-8")
    deep = '{"all": [' * 3000 + '{"finding": "age", "min": 1}' + "]}" * 3000
    text = text.replace('"findings": [', '"findings": [{"id": "deep", "ask_if": ' + deep + "},", 1)
    path = write(tmp_path / "kb.json", text)
    answers = write(tmp_path / "a.json", BREATHLESS)
    for args in (["check", path], ["ask", "--answers", answers, "--data", path]):
        result = run(*args)
        one_line(2, result.stderr, "nested too deeply", result.exit_code)


# -- evaluate streams ------------------------------------------------------------------------------

MEASURE = """
import os, resource, subprocess, sys
with open(sys.argv[1], "rb") as cases:
    done = subprocess.run(sys.argv[2:], stdin=cases, stdout=subprocess.PIPE)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stdout.write(done.stdout.decode())
"""


def test_evaluate_holds_100000_cases_in_under_150_mb(tmp_path):
    """Peak memory of the whole process (its own maximum resident set, in a bare wrapper process)."""
    base = [c for c in read_cases("public_cases.jsonl")]
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(100_000):
            case = dict(base[i % len(base)], id=f"case-{i}")
            fh.write(json.dumps(case) + "\n")
    proc = subprocess.run(
        [sys.executable, "-S", "-I", "-c", MEASURE, str(path), *command(), "evaluate", "-", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    code, peak_kib, out = proc.stdout.split(maxsplit=2)
    assert code == "0", proc.stderr
    assert json.loads(out)["cases"] == 100_000
    peak_mib = int(peak_kib) / 1024
    assert peak_mib < 150, f"evaluate peaked at {peak_mib:.0f} MiB on 100,000 cases"


def test_a_repeated_id_far_apart_is_found_while_streaming(run, tmp_path):
    base = read_cases("public_cases.jsonl")
    lines = [json.dumps(dict(base[i % len(base)], id=f"case-{i}")) for i in range(3000)]
    lines.append(json.dumps(dict(base[0], id="case-7")))
    result = run("evaluate", write(tmp_path / "c.jsonl", "\n".join(lines) + "\n"))
    one_line(2, result.stderr, "line 3001: id 'case-7' is already used on line 8", result.exit_code)


def test_evaluate_reads_published_cases_the_same_as_public(run):
    """source and notes (contract 1.1) are kept and not scored."""
    result = run("evaluate", str(DATA / "public_cases.jsonl"), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["cases"] == len(PUBLIC)
