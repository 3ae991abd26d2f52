"""The one place untrusted files are read: banks, seed records, answer sheets, GIFT files,
articles and results files.

A name is read only when it is a regular file (or `-`, standard input, where a command says
so): a FIFO, a device (`/dev/zero`, `/dev/urandom`), a socket or a folder is refused before a
byte is read, so nothing blocks forever or grows without bound. Each kind of input has a size
cap, checked while reading (a file that grows meanwhile is caught too). Banks, sheets and the
like are read whole (`read_input`); results files, which may be large, are read line by line
(`input_lines`), each line capped.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from quiz.errors import QuizError

MB = 1024 * 1024

# The largest file of each kind read (bytes). Generous for real files, small enough that a
# mistake (a disk image named bank.yaml) is a message rather than minutes of parsing.
LIMITS: dict[str, int] = {
    "bank": 64 * MB,
    "seeds": 16 * MB,
    "sheet": 64 * MB,
    "gift": 64 * MB,
    "article": 16 * MB,
    "results": 1024 * MB,
}
# One line of a results file (one attempt, or one bank's snapshot).
LINE_LIMIT = 256 * MB

_WHAT = {
    "bank": "a bank",
    "seeds": "a seed record",
    "sheet": "an answer sheet",
    "gift": "a GIFT file",
    "article": "an article",
    "results": "a results file",
}
_CHUNK = 1 << 20


class InputError(QuizError):
    """A file that cannot be read as input: `reason` says why, `name` which file (cleaned)."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


def shown_name(path: str | Path) -> str:
    """A file name as messages show it: control characters removed, on one line."""
    from quiz.sanitize import clean_line

    return clean_line(os.fsdecode(path) if not isinstance(path, str) else path)


def _size_text(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit} bytes"


def _kind_of_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _open(path: str | Path, kind: str) -> int:
    """A descriptor of the regular file `path`; `InputError` for anything else."""
    name = shown_name(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not wait for one (it is refused below).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, f"is a folder, not {_WHAT[kind]}") from None
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket, or a FIFO on some systems
            raise InputError(name, f"is not a regular file: not {_WHAT[kind]}") from None
        raise InputError(name, f"cannot read the file: {error.strerror or error}") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as error:
        os.close(fd)
        raise InputError(name, f"cannot read the file: {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = _kind_of_file(mode)
        raise InputError(name, f"is {what}, not {_WHAT[kind]}: name a regular file")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return fd


def _too_large(name: str, kind: str) -> InputError:
    limit = LIMITS[kind]
    return InputError(
        name, f"is larger than the {_size_text(limit)} {_WHAT[kind]} may be: not read"
    )


def read_input(path: str | Path, kind: str, *, stdin_ok: bool = False) -> bytes:
    """The whole content of an input of `kind` (a key of `LIMITS`); `InputError` when it is not
    a regular file (`-` is standard input when `stdin_ok`), cannot be read, or is too large."""
    limit = LIMITS[kind]
    if stdin_ok and str(path) == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise _too_large("<stdin>", kind)
        return data
    name = shown_name(path)
    fd = _open(path, kind)
    try:
        with os.fdopen(fd, "rb", closefd=True) as handle:
            chunks: list[bytes] = []
            size = 0
            while chunk := handle.read(min(_CHUNK, limit + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise _too_large(name, kind)
    except OSError as error:
        raise InputError(name, f"cannot read the file: {error.strerror or error}") from None
    return b"".join(chunks)


def input_lines(path: str | Path, kind: str, *, stdin_ok: bool = False) -> Iterator[bytes]:
    """The lines of an input (each with its newline), read as they are used: a results file is
    never held whole. The same refusals as `read_input`; a line over `LINE_LIMIT` is refused."""
    limit = LIMITS[kind]
    if stdin_ok and str(path) == "-":
        name = "<stdin>"
        handle = sys.stdin.buffer
        close = False
    else:
        name = shown_name(path)
        fd = _open(path, kind)
        if os.fstat(fd).st_size > limit:  # known before a line is read: say so first
            os.close(fd)
            raise _too_large(name, kind)
        handle = os.fdopen(fd, "rb", closefd=True)
        close = True
    size = 0
    try:
        while True:
            try:
                line = handle.readline(LINE_LIMIT + 1)
            except OSError as error:
                raise InputError(name, f"cannot read the file: {error.strerror or error}") from None
            if not line:
                return
            if len(line) > LINE_LIMIT:
                raise InputError(
                    name, f"has a line longer than {_size_text(LINE_LIMIT)}: not {_WHAT[kind]}"
                )
            size += len(line)
            if size > limit:
                raise _too_large(name, kind)
            yield line
    finally:
        if close:
            handle.close()
