"""Every file kneetriage reads or writes, in one place.

Reading: :func:`read_bytes` reads a file, or standard input for '-', never more
than a limit (so ``/dev/zero`` is refused at once); :func:`read_lines` yields a
cases file one line at a time with a limit per line; :func:`loads` decodes JSON
with the same strict rules everywhere (a repeated key, NaN or Infinity, or a
whole number of more than :data:`MAX_DIGITS` digits is refused in one line).

Writing: :func:`check_outputs` looks at every output path once, before any
question is asked (regular files only, no silent overwrite, never over an input
of the same run, names the file system accepts); :func:`write_private` writes
atomically with mode 0600. While a file is written or a question asked,
SIGTERM and SIGHUP raise :class:`Stopped` (a KeyboardInterrupt) so temporary
files are removed and the terminal is restored as for Ctrl-C
(:func:`stop_on_signals`).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError

MAX_ANSWERS_BYTES = 1_000_000  # an answers file is a few hundred bytes; this is generous
MAX_KNOWLEDGE_BYTES = 10_000_000  # the shipped knowledge base is about 150 kB
MAX_CASE_LINE_BYTES = 1_000_000  # one case a line
MAX_DIGITS = 30  # no answer needs more; Python refuses to read integers of over 4,300 digits at all
NAME_MAX = 255  # bytes in one file name, on every common file system


def _size(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit:,} bytes"


def _name_too_long(path: str) -> str | None:
    """The part of ``path`` longer than the file system allows, or None."""
    for part in Path(path).parts:
        if len(os.fsencode(part)) > NAME_MAX:
            return part
    return None


def shown_path(text: str, most: int = 60) -> str:
    """A path as it can be shown in a one-line message: long ones cut."""
    return text if len(text) <= most else text[: most - 3] + "..."


# Reading


def read_bytes(source: str, what: str, limit: int) -> bytes:
    """The bytes of a file, or of standard input for '-'; a UsageError past ``limit`` bytes."""
    if not source:
        raise UsageError(f"no {what} named (an empty path); give the path of a file, or - for standard input")
    if source == "-":
        if sys.stdin is None:
            raise UsageError("standard input is closed; give a file name instead of -")
        data = sys.stdin.buffer.read(limit + 1)
        shown = "standard input"
    else:
        with open_input(source, what) as fh:
            data = fh.read(limit + 1)
        shown = f"{what} {shown_path(source)}"
    if len(data) > limit:
        raise UsageError(f"{shown} is larger than {_size(limit)}; check it is the right file")
    return data


@contextmanager
def open_input(source: str, what: str):
    """A file opened for reading in binary, every failure as one line naming the file and the fix."""
    shown = shown_path(source)
    if _name_too_long(source):
        raise UsageError(f"{what} {shown}: a name in the path is longer than {NAME_MAX} bytes; check the path")
    try:
        if os.path.isdir(source):
            raise UsageError(f"{what} {shown} is a directory; give the path of a file")
        fh = Path(source).open("rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise UsageError(f"{what} {shown} not found; check the path (use - to read standard input)") from None
    except PermissionError:
        raise UsageError(f"{what} {shown} cannot be read (permission denied); check its permissions") from None
    except OSError as e:
        raise UsageError(f"{what} {shown} cannot be read ({e.strerror or e}); check the path") from None
    with fh:
        try:
            yield fh
        except OSError as e:
            raise UsageError(f"{what} {shown} cannot be read ({e.strerror or e}); check the file") from None


def read_lines(source: str, what: str, limit: int = MAX_CASE_LINE_BYTES) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) for each line of a file or of standard input, one at a time.

    A line longer than ``limit`` bytes is refused without reading the rest of it,
    so an endless stream without newlines (``/dev/zero``) stops at once.
    """
    shown = "standard input" if source == "-" else f"{what} {shown_path(source)}"
    if source == "-":
        if sys.stdin is None:
            raise UsageError("standard input is closed; give a file name instead of -")
        yield from _lines(sys.stdin.buffer, shown, limit)
        return
    if not source:
        raise UsageError(f"no {what} named (an empty path); give the path of a file, or - for standard input")
    with open_input(source, what) as fh:
        yield from _lines(fh, shown, limit)


def _lines(fh, shown: str, limit: int) -> Iterator[tuple[int, bytes]]:
    number = 0
    while line := fh.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            raise UsageError(f"{shown} line {number} is longer than {_size(limit)}; each line holds one case")
        yield number, line


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 bytes -> text (a byte-order mark, as some editors write, is accepted)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise UsageError(
            f"{source} is not UTF-8 text (byte 0x{data[e.start]:02x} on line {line}); save it as UTF-8"
        ) from None


class _Repeated(dict):
    """An object in which a key appeared twice (kept so the walk can name its JSON path)."""

    repeated: str = ""


def shown_key(key: str, most: int = 40) -> str:
    """A key as it can be shown in a one-line message: control characters escaped, long keys cut."""
    text = json.dumps(key, ensure_ascii=False)[1:-1]
    return text if len(text) <= most else text[:most] + "..."


def _marked(pairs) -> _Repeated:
    out = _Repeated()
    for key, value in pairs:
        if key in out and not out.repeated:
            out.repeated = key
        out[key] = value
    return out


def _constant(name):
    raise UsageError(f"{name} is not a valid JSON value; use a number, true, false or null")


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise UsageError(
            f"a number with {len(text.lstrip('-'))} digits ({text[:12]}...) is too long; "
            f"no value here needs more than {MAX_DIGITS} digits"
        )
    return int(text)


def _find_repeated(value, path: str = "$") -> tuple[str, str] | None:
    """(JSON path, key) of the first object with a repeated key, or None."""
    stack = [(value, path)]
    while stack:
        v, p = stack.pop()
        if isinstance(v, dict):
            if isinstance(v, _Repeated):
                return p, v.repeated
            stack.extend((child, f"{p}.{k}" if k.isidentifier() else f"{p}[{json.dumps(k)}]") for k, child in v.items())
        elif isinstance(v, list):
            stack.extend((child, f"{p}[{i}]") for i, child in enumerate(v))
    return None


def parse_json(text: str) -> object:
    """Text -> a JSON value under the strict rules; a UsageError whose message is the problem alone."""
    repeated = False

    def pairs(items):
        nonlocal repeated
        out = dict(items)
        if len(out) == len(items):
            return out
        repeated = True  # then the value is walked to name the object's JSON path
        return _marked(items)

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=_constant, parse_int=_whole_number)
    except json.JSONDecodeError as e:
        raise UsageError(f"not valid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    except RecursionError:
        raise UsageError("nested too deeply to be read; check its brackets") from None
    found = _find_repeated(value) if repeated else None
    if found is not None:
        where, key = found
        raise UsageError(f"at {where}: key '{shown_key(key)}' appears more than once; keep one")
    return value


def loads(text: str, source: str) -> object:
    """Text -> a JSON value under the strict rules, every problem one line starting with ``source``."""
    if not text.strip():
        raise UsageError(f'{source} is empty; it should hold a JSON value such as {{"age": 40}}')
    try:
        return parse_json(text)
    except UsageError as e:
        raise UsageError(f"{source}: {e.message}") from None


def read_json(source: str, what: str, limit: int) -> object:
    label = "standard input" if source == "-" else f"{what} {shown_path(source)}"
    return loads(decode_text(read_bytes(source, what, limit), label), label)


# Writing


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived; unwinds like Ctrl-C (temporary files removed, terminal restored)."""

    def __init__(self, signum: int) -> None:
        super().__init__()
        self.signum = signum


def _raise_stopped(signum, frame):
    raise Stopped(signum)


@contextmanager
def stop_on_signals():
    """While inside, SIGTERM and SIGHUP unwind the program like Ctrl-C (exit 128 + signal)."""
    import signal  # here, not at the top: every command passes through, --help does not need it

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    try:
        previous = {s: signal.signal(s, _raise_stopped) for s in wanted}
    except ValueError:  # not the main thread: leave the signals alone
        yield
        return
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def check_outputs(
    outputs: dict[str, str | Path | None], inputs=(), force: bool = False, keep=(), hints: dict | None = None
) -> None:
    """Check every output path of one run before any work is done.

    ``outputs`` maps an option ("--report") to its path; ``inputs`` are the
    files the run reads ('-' ignored); ``keep`` are options whose existing file
    the run carries on from (``--save``), so replacing it is not an overwrite.
    Raises a one-line UsageError naming the option, the path and the fix.
    """
    seen: dict[str, str] = {}
    read = {_identity(p): p for p in inputs if p and p != "-"}
    for option, path in outputs.items():
        if path is None:
            continue
        name = os.fspath(path)
        shown = shown_path(name)
        if not name:
            raise UsageError(f"{option}: an empty path; give a file name")
        if _name_too_long(name):
            raise UsageError(f"{option} {shown}: a name in the path is longer than {NAME_MAX} bytes; use a shorter one")
        ident = _identity(name)
        if ident in seen:
            raise UsageError(f"{seen[ident]} and {option} both name {shown}; give each its own file")
        seen[ident] = option
        if ident in read and option not in keep:
            raise UsageError(f"{option} {shown} is also read by this run; write to another file")
        try:
            st = os.stat(name)
        except FileNotFoundError:
            folder = os.path.dirname(os.path.abspath(name))
            if not os.path.isdir(folder):
                raise UsageError(
                    f"{option} {shown}: the folder {shown_path(folder)} does not exist; "
                    "create it or choose another path"
                ) from None
            continue
        except OSError as e:
            raise UsageError(f"{option} {shown}: cannot be used ({e.strerror or e}); check the path") from None
        if stat.S_ISDIR(st.st_mode):
            raise UsageError(f"{option} {shown} is a folder; give a file name")
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{option} {shown} is not a regular file (a device or pipe); give a file name")
        if not force and ident not in read:
            raise UsageError(
                f"{option} {shown} already exists; choose another name, or add --force to replace it"
                + (hints or {}).get(option, "")
            )


def _identity(path: str | Path) -> str:
    """The same string for two names of one file (symbolic links and '..' resolved)."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return os.path.abspath(path)


def write_private(path: str | Path, text: str, what: str) -> None:
    """Write ``text`` to ``path`` atomically with mode 0600 (it holds health information).

    A temporary file in the same folder is written, flushed to disk and renamed
    over ``path``, so a reader never sees half a file; a failure or a signal
    leaves nothing behind. ``what`` names the file in the one-line error.
    """
    import tempfile  # only when a file is written: keeps it off the start-up path

    p = Path(path)
    shown = shown_path(os.fspath(path))
    if _name_too_long(os.fspath(path)):
        raise UsageError(f"cannot save {what} to {shown}: a name in the path is longer than {NAME_MAX} bytes")
    if p.is_dir():
        raise UsageError(f"cannot save {what} to {shown}: it is a directory; give a file name")
    if p.exists() and not p.is_file():
        raise UsageError(f"cannot save {what} to {shown}: it is not a regular file (a device or pipe)")
    tmp = None
    try:
        with stop_on_signals():
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{p.name[:200]}.", suffix=".tmp", dir=p.absolute().parent)
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, p)
                tmp = None
            finally:
                if tmp is not None:
                    Path(tmp).unlink(missing_ok=True)
    except OSError as e:
        hint = (
            "free some space"
            if e.errno in (errno.ENOSPC, errno.EDQUOT)
            else "check the folder exists and you can write to it"
        )
        raise UsageError(f"cannot save {what} to {shown} ({e.strerror or e}); {hint}") from None
