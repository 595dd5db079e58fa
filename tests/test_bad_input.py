"""Bad input: exit 2 and one line on stderr that names the problem and the fix, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

ALL_CLEAR = {"fever": False, "knee_hot_red": False}

BAD = [
    ("invalid JSON", b'{"age": 40,', "not valid JSON"),
    ("a list, not an object", b"[1, 2]", "must hold a JSON object"),
    ("a bare string", b'"hello"', "must hold a JSON object"),
    ("empty file", b"", "is empty"),
    ("only white space", b"  \n\t ", "is empty"),
    ("non-UTF-8 bytes", b'{"sex": "\xff\xfe"}', "not UTF-8"),
    ("Latin-1 text", '{"sex": "fémale"}'.encode("latin-1"), "not UTF-8"),
    ("a string for a boolean", b'{"fever": "yes"}', "use true, false or null"),
    ("a number for a boolean", b'{"fever": 1}', "use true, false or null"),
    ("age out of range", b'{"age": 130}', "from 0 to 120"),
    ("negative age", b'{"age": -1}', "from 0 to 120"),
    ("age as text", b'{"age": "forty"}', "whole number"),
    ("age with a fraction", b'{"age": 40.5}', "whole number"),
    ("age as a boolean", b'{"age": true}', "whole number"),
    ("unknown enum value", b'{"injury": "kick"}', "allowed: none, twist"),
    ("enum value with wrong case", b'{"sex": "Female"}', "did you mean 'female'"),
    ("misspelt key", b'{"calf_swolen": true}', "did you mean 'calf_swollen'"),
    ("unknown key", b'{"colour": "blue"}', "kneetriage questions"),
    ("duplicate key", b'{"fever": false, "fever": true}', "more than once"),
    ("NaN", b'{"age": NaN}', "not a valid JSON value"),
    ("Infinity", b'{"age": Infinity}', "not a valid JSON value"),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("a list as a value", b'{"fever": [true]}', "use true, false or null"),
]


def assert_one_line_error(result, expected: str):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kneetriage: error:")
    assert expected in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize(("name", "content", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_answers_file(run, answers_file, name, content, expected):
    assert_one_line_error(run("ask", "--answers", answers_file(content)), expected)


@pytest.mark.parametrize(("name", "content", "expected"), BAD[:6], ids=[b[0] for b in BAD[:6]])
def test_bad_answers_on_stdin(run, name, content, expected):
    assert_one_line_error(run("ask", "--answers", "-", input=content), expected)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["ask", "--format", "xml"], "'xml' is not one of 'table', 'json', 'markdown'; see 'kneetriage ask --help'"),
        (["ask", "--bogus"], "no such option: --bogus; see 'kneetriage ask --help'"),
        (["nosuch"], "no such command 'nosuch'; see 'kneetriage --help'"),
        (["evaluate"], "missing argument 'CASES.jsonl'; see 'kneetriage evaluate --help'"),
        (["ask", "--answers"], "requires an argument"),
    ],
    ids=["bad choice", "unknown option", "unknown command", "missing argument", "option without its value"],
)
def test_a_command_line_mistake_is_one_line_too(run, args, expected):
    assert_one_line_error(run(*args), expected)


def test_missing_file(run, tmp_path):
    assert_one_line_error(run("ask", "--answers", str(tmp_path / "nope.json")), "not found")


def test_directory_as_file(run, tmp_path):
    assert_one_line_error(run("ask", "--answers", str(tmp_path)), "is a directory")


def test_too_large_file(run, answers_file):
    big = b'{"age": 40, "pad": "' + b"x" * 10_000_000 + b'"}'
    assert_one_line_error(run("ask", "--answers", answers_file(big)), "larger than")


def test_unknown_region(run, answers_file):
    assert_one_line_error(run("ask", "--answers", answers_file(ALL_CLEAR), "--region", "fr"), "unknown region 'fr'")


def test_unknown_region_from_environment(run, answers_file):
    result = run("ask", "--answers", answers_file(ALL_CLEAR), env={"KNEETRIAGE_REGION": "mars"})
    assert_one_line_error(result, "KNEETRIAGE_REGION")


def test_bom_and_schema_key_are_accepted(run, answers_file):
    content = b"\xef\xbb\xbf" + json.dumps({"$schema": "x", "age": 30, **ALL_CLEAR}).encode()
    result = run("ask", "--answers", answers_file(content), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answers"]["age"] == 30


def test_null_means_not_sure(run, answers_file):
    result = run("ask", "--answers", answers_file({"fever": None, "age": None}), "--format", "json")
    assert result.exit_code == 0
    assert "fever" in json.loads(result.stdout)["unanswered_red_flags"]


def test_no_terminal_and_no_answers_names_the_option(run):
    result = run("ask", input="")
    assert_one_line_error(result, "--answers")


def test_installed_command_gives_one_line_and_no_traceback(tmp_path):
    """The real console script, as a user runs it, from another directory."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"fever": "yes"}')
    proc = subprocess.run(
        [sys.executable, "-m", "kneetriage", "ask", "--answers", str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "'fever'" in proc.stderr
    assert "Traceback" not in proc.stderr
