"""Where things live: the user's home dir for the store, who is answering, the bundled data."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

HOME_ENV = "QUIZ_HOME"
USER_ENV = "QUIZ_USER"
BANKS_ENV = "QUIZ_BANKS"


def home_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The store's directory: `--home`, else `QUIZ_HOME`, else the platform user-data dir."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(HOME_ENV)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("quiz", appauthor=False))


def current_user(explicit: str | None = None, sheet: str | None = None) -> str:
    """Who is answering: `--user` > an answer sheet's `user:` > `QUIZ_USER` > the login name."""
    for candidate in (explicit, sheet, os.environ.get(USER_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still a usable default
        return "anonymous"


def bundled_dir(name: str) -> Path:
    """`banks` or `seeds`: inside the wheel when installed, the checkout's folder when editable."""
    package = Path(__file__).resolve().parent
    installed = package / "_bundled" / name
    if installed.is_dir():
        return installed
    return package.parent / name


def extra_bank_dirs() -> list[Path]:
    """Folders named in `QUIZ_BANKS` (separated by the OS path separator)."""
    value = os.environ.get(BANKS_ENV, "")
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]
