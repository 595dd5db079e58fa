"""Writing the files a user asks for: all at once, and readable only by them."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError


def write_private(path: str | Path, text: str, what: str) -> None:
    """Write ``text`` to ``path`` atomically with mode 0600 (it holds health information).

    A temporary file in the same folder is written, flushed to disk and renamed
    over ``path``, so a reader never sees half a file and a failed write leaves
    nothing behind. ``what`` names the file in the one-line error ("the answers").
    """
    import tempfile  # only when a file is written: keeps it off the start-up path

    p = Path(path)
    if p.is_dir():
        raise UsageError(f"cannot save {what} to {path}: it is a directory; give a file name")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.absolute().parent)  # mode 0600
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
        tmp = None
    except OSError as e:
        raise UsageError(
            f"cannot save {what} to {path} ({e.strerror or e}); check the folder exists and you can write to it"
        ) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
