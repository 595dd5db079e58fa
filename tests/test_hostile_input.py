"""Hostile and odd input beyond tests/test_bad_input.py: each exits 2 with one plain line, or works as documented.

docs/safety.md ("Odd and hostile input") lists how each of these is handled.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import drawing
import pytest
from conftest import read_cases

from kneetriage import answers, engine, result

ESC = "\x1b"
PUBLIC = {c["id"]: c for c in read_cases("public_cases.jsonl")}


def assert_one_line_error(result, expected: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kneetriage: error:") and expected in lines[0], lines[0]
    assert ESC not in result.stderr, "no terminal control sequences from the input reach the terminal"
    assert "Traceback" not in result.output and result.stdout == ""
    return lines[0]


ODD = [
    ("UTF-16 with its byte-order mark", '{"fever": false}'.encode("utf-16"), "not UTF-8"),
    ("a byte-order mark and nothing else", b"\xef\xbb\xbf", "is empty"),
    ("a byte-order mark before a list", b"\xef\xbb\xbf[]", "must hold a JSON object"),
    ("deeply nested objects", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
    ("a deeply nested value under a real key", b'{"fever": ' + b"[" * 500 + b"]" * 500 + b"}", "'fever'"),
    ("an integer of 5,000 digits", b'{"age": ' + b"9" * 5000 + b"}", "5000 digits"),
    ("an integer of 40 digits", b'{"age": ' + b"1" * 40 + b"}", "40 digits"),
    ("a number too large for a float", b'{"age": 1e400}', "'age' is Infinity"),
    ("minus Infinity", b'{"age": -Infinity}', "not a valid JSON value"),
    ("duplicate keys among others", b'{"age": 30, "fever": false, "age": 31}', "'age' appears more than once"),
    ("a key in the wrong case", b'{"Fever": true}', "did you mean 'fever'"),
    ("a NUL byte", b'{"fever": false}\x00', "not valid JSON"),
    ("JSON followed by more text", b'{"fever": false} {"fever": true}', "not valid JSON"),
]


@pytest.mark.parametrize(("name", "content", "expected"), ODD, ids=[o[0] for o in ODD])
def test_odd_answers_file(run, answers_file, name, content, expected):
    assert_one_line_error(run("ask", "--answers", answers_file(content)), expected)


def test_ten_megabytes_on_standard_input(run):
    big = b'{"age": 40, "pad": "' + b"x" * 10_000_000 + b'"}'
    assert_one_line_error(run("ask", "--answers", "-", input=big), "larger than 1 MB")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_an_endless_file_is_not_read_to_the_end(run):
    assert_one_line_error(run("ask", "--answers", "/dev/zero"), "larger than 1 MB")


def test_control_characters_in_a_key_are_shown_escaped_on_one_line(run, answers_file):
    hostile = {"fe\nver\x1b[2J\x1b]0;owned\x07\u009b31m": True}
    line = assert_one_line_error(run("ask", "--answers", answers_file(hostile)), "unknown key")
    assert "\\n" in line and "\\u001b" in line


def test_a_lone_surrogate_in_a_key_is_shown_escaped(run):
    line = assert_one_line_error(run("ask", "--answers", "-", input=b'{"\\ud800": 1}'), "unknown key")
    assert "\\ud800" in line


def test_a_huge_key_is_cut_short_in_the_message(run, answers_file):
    line = assert_one_line_error(run("ask", "--answers", answers_file({"k" * 500_000: 1})), "unknown key")
    assert len(line) < 300


def test_control_characters_in_a_region_are_escaped(run, answers_file):
    assert_one_line_error(run("ask", "--answers", answers_file({}), "--region", "\x1b[2J\nuk"), "unknown region")


def test_a_whole_number_written_with_a_decimal_point_is_accepted(run, answers_file):
    """Documented: 40.0 is read as 40 (some spreadsheets and scripts write whole numbers that way)."""
    out = json.loads(run("ask", "--answers", answers_file(b'{"age": 40.0}'), "--format", "json").stdout)
    assert out["answers"]["age"] == 40 and isinstance(out["answers"]["age"], int)


def test_an_empty_path(run):
    assert_one_line_error(run("ask", "--answers", ""), "empty path")


def test_a_path_through_a_file(run, answers_file):
    assert_one_line_error(run("ask", "--answers", answers_file({}) + "/more.json"), "cannot be read")


def test_a_broken_symbolic_link(run, tmp_path):
    link = tmp_path / "answers.json"
    link.symlink_to(tmp_path / "gone.json")
    assert_one_line_error(run("ask", "--answers", str(link)), "not found")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="run as root, chmod 000 does not stop reading; the permission-denied branch is still covered by "
    "test_unreadable_file_reported_when_opening_is_refused",
)
def test_unreadable_file_chmod_000(run, answers_file):
    path = answers_file({"fever": False})
    os.chmod(path, 0)
    try:
        assert_one_line_error(run("ask", "--answers", path), "permission denied")
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def test_unreadable_file_reported_when_opening_is_refused(run, answers_file, monkeypatch):
    """Works as root too: the operating system's refusal is simulated where the file is opened."""
    path = answers_file({"fever": False})
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if os.fspath(self) == path:
            raise PermissionError(13, "Permission denied", path)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert_one_line_error(run("ask", "--answers", path), "permission denied")


def test_unreadable_knowledge_base_reported(run, tmp_path, monkeypatch):
    kb_file = tmp_path / "kb.json"
    kb_file.write_text("{}")
    real = Path.read_bytes

    def refuse(self):
        if self == kb_file:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert_one_line_error(run("check", str(kb_file)), "cannot be read")


def test_directory_as_knowledge_base(run, tmp_path):
    assert_one_line_error(run("ask", "--answers", "-", "--data", str(tmp_path), input="{}"), "is a directory")


def test_the_core_reads_answers_the_same_from_a_file_and_from_bytes(kb, answers_file):
    """answers.load is what the CLI uses; the hostile-input fixes live in it, not in the CLI only."""
    case = PUBLIC["p-dvt"]["answers"]
    assert answers.load(kb, answers_file(case)) == case
    with pytest.raises(answers.UsageError, match="digits"):
        answers.decode(b'{"age": ' + b"7" * 100 + b"}")


def test_real_process_hostile_key_gives_one_escaped_line(tmp_path):
    """The installed command on a real stderr stream, not the test runner's."""
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"\\u001b[2J\\nfever\\ud800": true}')
    proc = subprocess.run(
        [sys.executable, "-m", "kneetriage", "ask", "--answers", str(bad)],
        capture_output=True,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert proc.stderr.count(b"\n") == 1 and b"\x1b" not in proc.stderr and b"Traceback" not in proc.stderr


# A 40-column terminal: every command renders without a crash or an overlong line.


@pytest.mark.parametrize("case", ["p-septic", "p-dvt", "p-rupture", "p-oa"])
def test_results_at_40_columns(run, answers_file, case):
    result = run("ask", "--answers", answers_file(PUBLIC[case]["answers"]), env={"COLUMNS": "40"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 40


def test_emergency_with_unchecked_signs_at_40_columns(kb):
    """The longest kind of result: an emergency, several reasons, every warning sign unchecked."""
    out = result.build(kb, engine.triage(kb, {"knee_deformed": True}), kb.get_region("au"))
    text = drawing.result_text(out, 40, kb)
    assert max(len(line) for line in text.splitlines()) <= 40
    assert "000" in text and "not checked" in " ".join(text.split())


@pytest.mark.parametrize("args", [["questions"], ["--help"], ["ask", "--help"]])
def test_other_commands_at_40_columns(run, args):
    result = run(*args, env={"COLUMNS": "40"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 40


def test_check_at_40_columns(run):
    """check prints one plain sentence, which the terminal wraps; it is not laid out."""
    result = run("check", env={"COLUMNS": "40"})
    assert result.exit_code == 0 and result.stdout.startswith("ok:")
