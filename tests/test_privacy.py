"""Privacy: the whole command line runs with the network blocked and writes nothing anywhere.

Each command runs in its own Python process under a guard installed before
kneetriage is imported:
- ``socket.socket``, ``socket.create_connection`` and ``socket.getaddrinfo`` are
  replaced by functions that refuse, and an audit hook (``sys.addaudithook``)
  refuses every ``socket.*`` event, which also catches C code that bypasses the
  Python functions;
- the same hook records every file opened for writing and every rename, removal,
  new directory, link or permission change, wherever on the disk it happens.
The process starts in an empty working directory with HOME and TMPDIR pointed at
empty directories; they must still be empty afterwards, and the record must be
empty. Python's own bytecode cache is switched off (PYTHONDONTWRITEBYTECODE):
it is the interpreter's cache of the installed code, not something kneetriage writes.

Saved answers (the interview's --save, mode 0600) are tested with the interview
in tests/test_interview.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import DATA, read_cases

from kneetriage import knowledge

GUARD = r"""
import json, os, socket, sys

_record = []
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CHANGES = {
    "os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.symlink", "os.link",
    "os.truncate", "os.utime", "os.setxattr", "os.removexattr", "shutil.copyfile", "shutil.rmtree",
}
_done = False


def _refuse(*args, **kwargs):
    _record.append(["network", "socket function called"])
    raise PermissionError("network use is blocked in this test")


def _hook(event, args):
    if _done:
        return
    if event.startswith("socket."):
        _record.append(["network", event])
        raise PermissionError("network use is blocked in this test: " + event)
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(flags, int) and flags > 0 and flags & _WRITE_FLAGS) or (
            isinstance(mode, str) and any(c in mode for c in "wax+")
        )
        if writing:
            _record.append(["write", str(path)])
    elif event in _CHANGES:
        _record.append(["change", event, str(args[0])])


class _BlockedSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        _refuse()


sys.addaudithook(_hook)
socket.socket = _BlockedSocket
socket.create_connection = _refuse
socket.getaddrinfo = _refuse


def _report(code):
    global _done
    _done = True
    sys.stdout.flush()
    sys.stderr.write("\nGUARD " + json.dumps(_record) + "\n")
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 1)
"""

RUN_CLI = r"""
sys.argv = ["kneetriage", *json.loads(os.environ["GUARDED_ARGS"])]
code = 0
try:
    from kneetriage.cli import main

    main()
except SystemExit as e:
    code = e.code or 0
except BaseException:
    import traceback

    traceback.print_exc()
    code = 1
_report(code)
"""


@pytest.fixture
def sandbox(tmp_path):
    """An empty working directory, home and temporary directory, and a separate place for inputs."""
    dirs = {name: tmp_path / name for name in ("cwd", "home", "tmp", "inputs")}
    for d in dirs.values():
        d.mkdir()
    return dirs


def tree(*roots) -> dict:
    found = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            for name in dirnames + filenames:
                p = os.path.join(dirpath, name)
                st = os.lstat(p)
                found[p] = (st.st_size, st.st_mtime_ns, st.st_mode)
    return found


def start(sandbox, code: str, args=(), input: bytes | None = None):
    """Start one guarded process (they run side by side: the suite stays fast)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(sandbox["home"]),
        "TMPDIR": str(sandbox["tmp"]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "COLUMNS": "80",
        "GUARDED_ARGS": json.dumps(list(args)),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", GUARD + code],
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=sandbox["cwd"],
        env=env,
    )
    return proc, input


def finish(started):
    proc, input = started
    out, err = proc.communicate(input, timeout=60)
    stderr = err.decode("utf-8", "replace")
    head, _, guard_line = stderr.rstrip("\n").rpartition("\nGUARD ")
    assert guard_line, f"the guard did not report: {stderr}"
    return proc.returncode, out.decode("utf-8"), head, json.loads(guard_line)


def test_the_guard_catches_network_use_and_writes(sandbox):
    """The guard can fail: a program that connects or writes is caught, wherever it writes."""
    probe = (
        "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\nexcept PermissionError:\n    pass\n"
        "import _socket\ntry:\n    _socket.socket()\nexcept PermissionError:\n    pass\n"
        f"open({str(sandbox['inputs'] / 'x.txt')!r}, 'w').close()\n"
        f"os.rename({str(sandbox['inputs'] / 'x.txt')!r}, {str(sandbox['inputs'] / 'y.txt')!r})\n"
        "_report(0)\n"
    )
    _, _, _, record = finish(start(sandbox, probe))
    kinds = [r[0] for r in record]
    assert kinds.count("network") >= 2 and "write" in kinds and "change" in kinds, record


PUBLIC = {c["id"]: c for c in read_cases("public_cases.jsonl")}


def commands(sandbox):
    case = sandbox["inputs"] / "case.json"
    case.write_text(json.dumps(PUBLIC["p-dvt"]["answers"]), encoding="utf-8")
    bad = sandbox["inputs"] / "bad.json"
    bad.write_text('{"fever": "yes"}', encoding="utf-8")
    kb_copy = sandbox["inputs"] / "kb.json"
    kb_copy.write_bytes(knowledge.default_path().read_bytes())
    stdin_case = json.dumps(PUBLIC["p-septic"]["answers"]).encode()
    cases = sandbox["inputs"] / "cases.jsonl"
    cases.write_bytes((DATA / "public_cases.jsonl").read_bytes())
    return [
        (["sheet"], None, 0),
        (["sheet", "--answers", str(case), "--region", "au"], None, 0),
        (["sheet", "--answers", "-"], stdin_case, 0),
        (["evaluate", str(cases)], None, 0),
        (["evaluate", "-", "--format", "json", "--data", str(kb_copy)], cases.read_bytes(), 0),
        (["evaluate", str(bad)], None, 2),
        (["ask", "--answers", str(case), "--format", "json"], None, 0),
        (["ask", "--answers", str(case), "--format", "table"], None, 0),
        (["ask", "--answers", str(case), "--format", "markdown"], None, 0),
        (["ask", "--answers", "-", "--format", "json", "--region", "us"], stdin_case, 0),
        (["ask", "--answers", str(case), "--data", str(kb_copy)], None, 0),
        (["ask", "--answers", str(bad)], None, 2),
        (["ask"], None, 2),  # no terminal: a usage error, and nothing is started
        (["questions"], None, 0),
        (["questions", "--format", "json"], None, 0),
        (["check"], None, 0),
        (["check", str(kb_copy)], None, 0),
        (["--help"], None, 0),
        (["ask", "--help"], None, 0),
        (["--version"], None, 0),
    ]


def test_every_command_runs_offline_and_writes_nothing(sandbox):
    cmds = commands(sandbox)
    watched = (sandbox["cwd"], sandbox["home"], sandbox["tmp"], sandbox["inputs"])
    before = tree(*watched)
    running = [(args, expected, start(sandbox, RUN_CLI, args, stdin)) for args, stdin, expected in cmds]
    for args, expected, started in running:
        code, stdout, stderr, record = finish(started)
        assert code == expected, f"{args}: exit {code}\n{stderr}"
        assert "Traceback" not in stderr and "blocked" not in stderr, f"{args}: {stderr}"
        assert record == [], f"{args}: {record}"
        assert stdout or expected == 2, args
    assert tree(*watched) == before, "nothing appeared or changed in the working directory, home, tmp or inputs"
    for name in ("cwd", "home", "tmp"):
        assert list(sandbox[name].iterdir()) == [], name
