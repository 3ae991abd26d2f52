"""The one file writer behind every `-o FILE`: never overwrites by surprise, never half-writes.

A file is written to a temporary name in the same folder, flushed to disk, given its mode and
only then renamed over the target, so a reader (or a crash) sees the old file or the new one,
never a mix. An existing file is replaced only when the user said `--force`.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from quiz.errors import QuizError

# Files anyone may read (0666 less the umask, as `open()` would make them): banks, schemas,
# reports. Results files hold a learner's answers: owner only (DESIGN.md, Safety).
SHARED_MODE = 0o666
PRIVATE_MODE = 0o600


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _target(path: str | Path, force: bool) -> Path:
    """The file to write (a symlink's target, so the link stays); refuse what must not go."""
    from quiz.sanitize import clean_line

    given = Path(path).expanduser()
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    shown = clean_line(str(path))
    if target.is_dir():
        raise QuizError(f"{shown} is a folder: name a file")
    if target.exists() or given.is_symlink():
        if not force:
            raise QuizError(f"{shown} exists: give --force to replace it")
        if target.exists() and not stat.S_ISREG(target.stat().st_mode):
            # A device or a FIFO would be replaced by the rename, not written to.
            raise QuizError(f"{shown} is not a regular file: name a file")
    return target


def write_output(
    path: str | Path, data: str | bytes | Iterable[str], *, force: bool, mode: int = SHARED_MODE
) -> Path:
    """Write `data` (text as UTF-8; text chunks as they come) to `path` whole, with `mode`
    less the umask.

    Raises `QuizError` when `path` exists and `force` is false, or names a folder; an
    `OSError` names `path`, never the temporary file, and leaves no temporary file behind.
    """
    target = _target(path, force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    chunks: Iterable[bytes] = (
        [payload] if isinstance(payload, bytes) else (c.encode("utf-8") for c in payload)
    )
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:  # text given in chunks is written as it comes
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode & ~_umask())
        os.replace(tmp, target)
    except BaseException as error:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise OSError(error.errno, error.strerror or str(error), str(path)) from None
        raise
    _sync_folder(folder)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
