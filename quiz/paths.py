"""Where things live: the user's home dir for the store, who is answering, the bundled data."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

HOME_ENV = "QUIZ_HOME"
USER_ENV = "QUIZ_USER"
BANKS_ENV = "QUIZ_BANKS"
BANK_SUFFIXES = (".yaml", ".yml")


def looks_like_path(name: str) -> bool:
    """Whether a BANK argument names a file rather than an id: a slash (or backslash) in it, or
    a YAML suffix. The one "is it a path?" test (an id is [a-z0-9-]+)."""
    return "/" in name or "\\" in name or name.lower().endswith(BANK_SUFFIXES)


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


# --- the store's location: a home folder (SQLite) or a class store's URL (PostgreSQL) ----------

DB_ENV = "QUIZ_DB"
DB_SCHEMES = ("postgresql://", "postgres://")

StoreLocation = Path | str  # a Path: the home holding scores.db; a str: a class store's URL


def is_database_url(location: object) -> bool:
    """Whether `location` names a class store on PostgreSQL (a libpq URL)."""
    return isinstance(location, str) and location.strip().lower().startswith(DB_SCHEMES)


def database_url(explicit: str | None = None) -> str | None:
    """The class store's URL: `--db`, else `QUIZ_DB`; None for the local store. ValueError
    (its message for the user) for a value that is not a postgresql:// URL."""
    for given, where in ((explicit, "--db"), (os.environ.get(DB_ENV), DB_ENV)):
        if given is None or not given.strip():
            continue
        if not is_database_url(given):
            raise ValueError(
                f"{where} must be a postgresql:// URL (such as postgresql://alice@db.example.org"
                f"/course); leave it unset for your local store"
            )
        return given.strip()
    return None


def url_password(url: str) -> bool:
    """Whether the URL carries a password (in its user part or as a `password=` parameter):
    whether showing it must leave something out."""
    return shown_url(url) != url


def shown_url(url: str) -> str:
    """The URL as messages and `scores path` show it: any password removed, the rest as
    written (`postgresql:///course`, a local socket, stays a URL libpq reads)."""
    from urllib.parse import unquote

    scheme, sep, rest = url.partition("://")
    if not sep:
        return url.split("//", 1)[0] + "//…"
    user = ""
    before_query = rest.split("?", 1)[0]
    if "@" in before_query:  # user[:password]@ (a password written raw may hold a / too)
        at = before_query.rindex("@")
        user, rest = rest[:at].split(":", 1)[0] + "@", rest[at + 1 :]
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    netloc, tail = user + rest[:cut], rest[cut:]
    path, qmark, query = tail.partition("?")
    if qmark:
        query, hash_, fragment = query.partition("#")
        kept = [p for p in query.split("&") if unquote(p.split("=", 1)[0]).strip() != "password"]
        tail = path + ("?" + "&".join(kept) if kept else "") + hash_ + fragment
    return f"{scheme}://{netloc}{tail}"
