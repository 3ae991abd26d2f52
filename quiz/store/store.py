"""The score store: one SQLite file, `scores.db`, in the home directory.

Everything a learner answers is committed when it is given. `Store` is the one interface: it
opens the store, owns the transactions, turns driver errors into `StoreError`, and returns the
plain records of `records`. The statements live beside it, one module per concern: `schema`
(named migrations), `attempts`, `merge` (results files), `cards` (study), `snapshots` (bank
versions), `totals` (per-attempt totals and `scores stats`), `item_inputs` (item analysis).
What is particular to SQLite is in `dialect`; the rest is standard SQL, so that a shared
PostgreSQL store can follow without a rewrite.

Writes that read first begin with the dialect's `BEGIN_WRITE` (`BEGIN IMMEDIATE`): a deferred
transaction that later wants to write fails at once with "database is locked" when another
process wrote in between, whatever the busy timeout says.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from quiz.errors import ConnectionLost, NotFound, StoreError
from quiz.store import attempts as attempt_rows
from quiz.store import dialect, dialects, schema
from quiz.store import snapshots as versions
from quiz.store.dialect import storable
from quiz.store.summaries import AttemptPage
from quiz.times import normalize_time, utc_now

if TYPE_CHECKING:  # (the records are made where they are read: `quiz.store.records`' foot)
    from quiz.store import cards as card_rows
    from quiz.store import item_inputs, learners, totals
    from quiz.store import merge as merging
    from quiz.store.cards import CardRow
    from quiz.store.merge import MergeResult
    from quiz.store.records import AttemptRecord, BankSnapshot, ResponseRecord, ResponseValue
    from quiz.store.report_records import (
        BankInputs,
        GroupTotals,
        QuestionTotals,
        UserReportInputs,
    )
    from quiz.store.summaries import AttemptSummary
else:

    class _Later:
        """A module of the store imported when first used: `scores list` never merges, plans
        cards or analyses items, and need not load what does."""

        def __init__(self, name: str) -> None:
            self._name = name

        def __getattr__(self, attr: str) -> Any:
            import importlib

            return getattr(importlib.import_module(self._name), attr)

    card_rows = _Later("quiz.store.cards")
    item_inputs = _Later("quiz.store.item_inputs")
    learners = _Later("quiz.store.learners")
    merging = _Later("quiz.store.merge")
    totals = _Later("quiz.store.totals")

__all__ = [
    "DB_NAME",
    "ConnectionLost",
    "Store",
    "check_home",
    "normalize_time",
    "storable",
    "utc_now",
]

DB_NAME = "scores.db"

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")


# --- helpers ---------------------------------------------------------------------------------


# What reading a row edited by hand or a damaged page raises: text that is not JSON or not
# UTF-8, JSON of the wrong shape, a value of the wrong type.
_DAMAGE = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
    OverflowError,
)


def _damaged(path: Path | str, what: str) -> StoreError:
    if isinstance(path, str):  # a class store: nothing to move aside
        return StoreError(
            f"the class store {path} holds rows quiz cannot read ({what}): nothing was changed;"
            " ask whoever runs the server to look at it"
        )
    return StoreError(
        f"the score store {path} is damaged ({what}): nothing was changed; move it aside"
        " (or restore a copy) to start afresh"
    )


def _guard(method: F) -> F:
    """The store's error boundary: the driver's errors, and rows that cannot be read back as
    the records they should be (edited by hand, damaged), become StoreError naming the store.
    Every record returned is checked against its fields' types (`_check`). Statements are
    built for the store's dialect (`dialects.using`)."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        sql = self._dialect
        try:
            with dialects.using(sql):
                result = method(self, *args, **kwargs)
        except (sql.Error, *_DAMAGE) as exc:
            raise self._error(exc) from exc
        problem = _check(result)
        if problem is not None:
            raise _damaged(self.where, problem)
        return result

    return wrapper  # type: ignore[return-value]


def _read_error(path: Path, exc: BaseException) -> StoreError:
    """The StoreError that `_guard` makes of an error met reading or writing the store."""
    if isinstance(exc, dialect.Error):
        if "readonly" in str(exc) or "read-only" in str(exc):
            return StoreError(
                f"the score store {path} is read-only here: it can be read, not changed"
            )
        if isinstance(exc, dialect.DatabaseError) and "malformed" in str(exc):
            return _damaged(path, str(exc))
        return StoreError(f"score store {path}: {exc}")
    return _damaged(path, f"{type(exc).__name__}: {exc}")


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _pg_error(where: str, exc: BaseException, broken: bool) -> StoreError:
    """The StoreError for an error met on a class store."""
    from quiz.store import dialect_pg

    if isinstance(exc, dialect_pg.Error):
        if broken:
            return ConnectionLost(
                f"lost the connection to the class store {where}: {_first_line(exc)}"
            )
        if isinstance(exc, dialect_pg.InsufficientPrivilege):
            return StoreError(
                f"class store {where}: your role may not do this ({_first_line(exc)})"
            )
        return StoreError(f"class store {where}: {_first_line(exc)}")
    return _damaged(where, f"{type(exc).__name__}: {exc}")


# --- checking what is read back --------------------------------------------------------------

_Checker = Callable[[Any], str | None]
_CHECKERS: dict[type, list[tuple[str, _Checker]]] = {}


def _checker_for(hint: Any) -> _Checker | None:
    """A function naming what is wrong with a value of type `hint` (None: fine), or None when
    the type is not checked (Any, a response value)."""
    import types
    import typing

    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is str:
        return lambda v: None if isinstance(v, str) else f"text expected, not {type(v).__name__}"
    if hint is bool:
        return lambda v: None if isinstance(v, int) else f"a flag expected, not {type(v).__name__}"
    if hint is int:
        return lambda v: (
            None if isinstance(v, int) else f"a whole number expected, not {type(v).__name__}"
        )
    if hint is float:
        return lambda v: (
            None
            if isinstance(v, (int, float))
            else f"a number expected, not {type(v).__name__} {str(v)[:20]!r}"
        )
    if origin in (typing.Union, types.UnionType):
        parts = [a for a in args if a is not type(None)]
        if len(parts) != 1 or len(args) != 2:
            return None  # a response value: any JSON
        inner = _checker_for(parts[0])
        if inner is None:
            return None
        return lambda v: None if v is None else inner(v)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _checker_for(args[0])
            record: type | None = args[0] if isinstance(args[0], type) else None
            if record is not None and not dataclasses.is_dataclass(record):
                record = None

            def each(v: Any) -> str | None:
                if not isinstance(v, tuple):
                    return f"a list expected, not {type(v).__name__}"
                if record is not None:  # records of one class (responses): the fast test
                    fast, others = _fast_of(record)
                    if not others and all(type(p) is record and fast(p) for p in v):
                        return None
                if item is not None:
                    for part in v:
                        if (problem := item(part)) is not None:
                            return problem
                return None

            return each
        parts = [_checker_for(a) for a in args]

        def fixed(v: Any) -> str | None:
            if not isinstance(v, tuple) or len(v) != len(parts):
                return f"{len(parts)} values expected"
            for check, part in zip(parts, v, strict=True):
                problem: str | None = check(part) if check is not None else None
                if problem is not None:
                    return problem
            return None

        return fixed
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda v: _check(v)
    return None


def _fields_of(cls: type) -> list[tuple[str, _Checker]]:
    import typing

    found = _CHECKERS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = []
        for item in dataclasses.fields(cls):
            check = _checker_for(hints[item.name])
            if check is not None:
                found.append((item.name, check))
        _CHECKERS[cls] = found
    return found


def _simple_test(hint: Any) -> str | None:
    """A Python expression over `@` (the value), true exactly when its field's checker
    (`_checker_for`) finds nothing wrong, for the simple types (text, flags, numbers, optional
    ones); None for the others."""
    import types
    import typing

    if hint is str:
        return "type(@) is str"
    if hint is bool or hint is int:
        return "isinstance(@, int)"
    if hint is float:
        return "isinstance(@, (int, float))"
    args = typing.get_args(hint)
    if hint == tuple[tuple[str, str], ...]:  # an attempt's plan and banks
        return (
            "(type(@) is tuple and all(type(p) is tuple and len(p) == 2 and type(p[0]) is str"
            " and type(p[1]) is str for p in @))"
        )
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 2:
        parts = [a for a in args if a is not type(None)]
        inner = _simple_test(parts[0]) if len(parts) == 1 else None
        return None if inner is None else f"(@ is None or {inner})"
    return None


_FAST: dict[type, tuple[Callable[[Any], bool], list[tuple[str, _Checker]]]] = {}


def _fast_of(cls: type) -> tuple[Callable[[Any], bool], list[tuple[str, _Checker]]]:
    """One function testing every simple field of a record at once (an export checks a
    million responses), and the checkers of its other fields."""
    import typing

    found = _FAST.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        tests, others = ["True"], []
        for name, check in _fields_of(cls):
            test = _simple_test(hints[name])
            if test is None:
                others.append((name, check))
            else:
                tests.append("(" + test.replace("@", f"v.{name}") + ")")
        # Code made from the record's own type hints and field names (nothing read from
        # outside): one call per record instead of one per field.
        fast = eval("lambda v: " + " and ".join(tests))
        found = _FAST[cls] = (fast, others)
    return found


def _check(value: Any) -> str | None:
    """What is wrong with a record read back (or a list or tuple of them), or None."""
    if isinstance(value, (list, tuple)):
        for item in value:
            if dataclasses.is_dataclass(item) and (problem := _check(item)) is not None:
                return problem
        return None
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return None
    fast, others = _fast_of(type(value))
    if fast(value):  # the usual case: only the fields that are not simple are looked at
        for name, check in others:
            problem = check(getattr(value, name))
            if problem is not None:
                return f"{type(value).__name__}.{name}: {problem}"
        return None
    for name, check in _fields_of(type(value)):
        problem = check(getattr(value, name))
        if problem is not None:
            return f"{type(value).__name__}.{name}: {problem}"
    return None


# --- opening ---------------------------------------------------------------------------------


def check_home(home: Path | str) -> None:
    """StoreError when the home, or a folder on the way to it, exists but is not a folder."""
    home = Path(home)
    for place in (home, *home.parents):
        if not os.path.lexists(place):
            continue
        if place.is_dir():
            return
        what = "a broken symbolic link" if not place.exists() else "a file"
        if place == home:
            raise StoreError(
                f"the quiz home {home} is not a folder (it is {what}): point --home or"
                " QUIZ_HOME at a folder; it is created if missing"
            )
        raise StoreError(
            f"the quiz home {home} cannot be created: {place} is not a folder (it is {what})"
        )


def _make_home(home: Path) -> None:
    check_home(home)
    if home.is_dir():
        return
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(home, 0o700)


def _read_only_place(path: Path) -> bool:
    """Whether the store's file or folder cannot be written by us."""
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


def _create_file(path: Path) -> bool:
    """Create an empty store file, owner-only; False if something is already there."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, 0o600)
    return True


def _shown(url: str) -> str:
    from quiz.paths import shown_url

    return shown_url(url)


def _cannot_connect(where: str, exc: BaseException) -> str:
    """One clear line for a class store that cannot be reached or refuses us."""
    import re

    text = _first_line(exc)
    for prefix in ("connection failed: ", "connection is bad: "):
        text = text.removeprefix(prefix)
    text = re.sub(r"\b(?:FATAL|ERROR):\s+", "", text)
    hint = ""
    lowered = str(exc).lower()
    if "no password supplied" in lowered or "password authentication failed" in lowered:
        hint = (
            " (the password comes from ~/.pgpass, the file PGPASSFILE names, or PGPASSWORD:"
            " a learner saves the file `quiz class add` made for them as ~/.pgpass, chmod 600)"
        )
    elif "connection refused" in lowered or "timeout" in lowered or "could not" in lowered:
        hint = " (is the server running, and is the URL right?)"
    elif "resolve host" in lowered:
        hint = " (is the URL right?)"
    return f"cannot connect to the class store {where}: {text}{hint}"


# --- the store -------------------------------------------------------------------------------


class Store:
    """The score store. Open with `Store.open(home)` (the SQLite file in that folder) or
    `Store.open("postgresql://...")` (a class store); use as a context manager to close it."""

    def __init__(
        self,
        conn: dialect.Connection,
        path: Path,
        *,
        sql: ModuleType = dialect,
        url: str | None = None,
    ) -> None:
        self._conn = conn
        self._dialect = sql
        self.path = path
        # A class store: its URL (as given: libpq may need the password in it), and the
        # location as messages show it (no password).
        self.url = url
        self.where: str | Path = path if url is None else _shown(url)
        self._class_role: str | None = None

    @property
    def is_class_store(self) -> bool:
        """Whether this is a class store on PostgreSQL (else the local SQLite file)."""
        return self.url is not None

    @property
    def class_role(self) -> str | None:
        """On a class store set up by `quiz class init`: "instructor", "learner" or "none"
        (`quiz.store.classroom.role_of`); None elsewhere. A learner's role writes what was
        answered, never scores or totals (the instructor's grade step does)."""
        if self.url is None:
            return None
        if self._class_role is None:
            from quiz.store import classroom

            with dialects.using(self._dialect):
                self._class_role = classroom.role_of(self._conn) or ""
        return self._class_role or None

    def forget_class_role(self) -> None:
        """Ask the server again next time (after `quiz class init` changed the setup)."""
        self._class_role = None

    # opening and closing

    @staticmethod
    def path_for(home: Path | str) -> Path:
        return Path(home) / DB_NAME

    @classmethod
    def open(
        cls, location: Path | str, *, migrate: bool = True, upgrade_class: bool = False
    ) -> Store:
        """Open the store: `location` is the home folder holding the SQLite file (created and
        migrated on first use), or a class store's `postgresql://` URL. StoreError if it cannot
        be used.

        On a class store, migrations run only with `migrate` and when the connected role owns
        the schema (the instructor's); another role, or `migrate=False`, gets a StoreError
        saying who must upgrade what when the schema is older than this quiz. A store `quiz
        class init` has set up is migrated only with `upgrade_class` (`quiz class upgrade`),
        which renews its grants and policies after."""
        from quiz.paths import is_database_url

        if is_database_url(location):
            return cls._open_class_store(str(location).strip(), migrate, upgrade_class)
        path = cls.path_for(location)
        try:
            return cls._open(path)
        except _DAMAGE as exc:  # the schema's own rows unreadable (not UTF-8, ...)
            raise _damaged(path, f"{type(exc).__name__}: {exc}") from exc

    @classmethod
    def _open_class_store(cls, url: str, migrate: bool, upgrade_class: bool) -> Store:
        where = _shown(url)
        try:
            sql = dialects.postgres()
        except ImportError:
            raise StoreError(
                f"the class store {where} is on PostgreSQL, which needs psycopg:"
                " pip install 'quiz[postgres]'"
            ) from None
        try:
            conn = sql.connect(url)
        except sql.Error as exc:
            raise StoreError(_cannot_connect(where, exc)) from None
        store = cls(cast(dialect.Connection, conn), Path(DB_NAME), sql=sql, url=url)
        try:
            with dialects.using(sql):
                schema.open_class_store(conn, where, migrate=migrate, upgrade_class=upgrade_class)
        except sql.Error as exc:
            broken = conn.broken
            conn.close()
            raise _pg_error(where, exc, broken) from None
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def _open(cls, path: Path) -> Store:
        try:
            _make_home(path.parent)
            created = _create_file(path)
            if not created:
                if path.is_symlink() and not path.exists():
                    raise StoreError(
                        f"{path} is a broken symbolic link: it cannot be the score store"
                    )
                if not path.is_file():
                    raise StoreError(f"{path} is not a file: it cannot be the score store")
                try:
                    dialect.check_file(path)
                except dialect.BadFile as exc:
                    raise StoreError(f"{path} {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot use the score store {path}: {exc.strerror or exc}") from exc
        current = False if created else schema.check_readonly(path)
        try:
            conn = dialect.connect(path)
        except dialect.Error as exc:
            if current and _read_only_place(path):
                # A read-only home (or file): reading works, writing says why it cannot.
                try:
                    return cls(dialect.connect_readonly(path), path)
                except dialect.Error:
                    pass
            raise StoreError(f"cannot open the score store {path}: {exc}") from exc
        try:
            if not current:
                schema.migrate(conn, path)
        except dialect.Error as exc:
            conn.close()
            raise StoreError(f"cannot prepare the score store {path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _error(self, exc: BaseException) -> StoreError:
        """The StoreError for an error met reading or writing this store."""
        if self.url is not None:
            return _pg_error(str(self.where), exc, bool(getattr(self._conn, "broken", False)))
        return _read_error(self.path, exc)

    def _end(self, conn: dialect.Connection, statement: str) -> None:
        """COMMIT or ROLLBACK, if a transaction is open and the connection still there."""
        if getattr(conn, "broken", False):
            return
        if self._dialect.in_transaction(conn):
            conn.execute(statement)

    @contextmanager
    def _write(self) -> Iterator[dialect.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE; on PostgreSQL the write lock)
        and committed on success."""
        conn = self._conn
        with dialects.using(self._dialect):
            conn.execute(self._dialect.BEGIN_WRITE)
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                self._end(conn, "ROLLBACK")
                raise

    def _refuse_learner(self, what: str) -> None:
        if self.class_role == "learner":
            raise StoreError(
                f"on a class store {what} is the instructor's; your answers are recorded as"
                " you give them (quiz take)"
            )

    @contextmanager
    def _read(self) -> Iterator[dialect.Connection]:
        """Several reads from one consistent snapshot."""
        conn = self._conn
        with dialects.using(self._dialect):
            conn.execute(self._dialect.BEGIN_READ)
            try:
                yield conn
            finally:
                self._end(conn, "COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self._dialect.schema_version(self._conn))

    @_guard
    def role(self) -> str | None:
        """The connected database role on a class store (who is answering there); None for
        the local store."""
        if self.url is None:
            return None
        return str(self._dialect.current_role(self._conn))

    @_guard
    def run(
        self, statements: Callable[..., R], /, *args: Any, write: bool = True, **kwargs: Any
    ) -> R:
        """`statements(conn, *args, **kwargs)`, a function of a `quiz.store` module taking a
        connection (as the query modules' functions do), in one transaction (a write one,
        or one read snapshot with `write=False`), with this store's dialect and error
        boundary. For statements no Store method wraps yet, such as a class store's roles."""
        with self._write() if write else self._read() as conn:
            return statements(conn, *args, **kwargs)

    @_guard
    def may_migrate(self) -> bool:
        """Whether the connected role may change the schema (always, on the local store; on a
        class store, the role owning it: the instructor's)."""
        if self.url is None:
            return True
        return bool(self._dialect.owns_schema(self._conn))

    @_guard
    def migrations(self) -> list[tuple[str, str]]:
        """(name, applied_at) of every applied migration, in order."""
        return schema.applied(self._conn)

    # snapshots

    @_guard
    def save_snapshot(self, snapshot: BankSnapshot) -> None:
        """Keep this bank version (idempotent on bank id + content hash)."""
        with self._write() as conn:
            if self.class_role == "learner":
                from quiz.store import classroom

                classroom.offer_snapshot(conn, snapshot)
                return
            versions.save(conn, snapshot)

    @_guard
    def snapshots(self, keys: Iterable[tuple[str, str]] | None = None) -> list[BankSnapshot]:
        """Every stored bank version, or those with these (bank id, content hash) keys.

        Ordered by bank id, then oldest first (so the last one per bank is the newest seen).
        A learner's role on a class store reads them without their answers."""
        if self.class_role == "learner":
            from quiz.store import classroom

            return classroom.public_snapshots(self._conn, keys)
        return versions.read(self._conn, keys)

    @_guard
    def snapshot(self, bank_id: str, content_hash: str | None = None) -> BankSnapshot | None:
        """One bank version; without a hash, the newest one seen."""
        if content_hash is not None:
            found = self.snapshots([(bank_id, content_hash)])
            return found[0] if found else None
        if self.class_role == "learner":
            from quiz.store import classroom

            newest = classroom.public_snapshots(self._conn, bank_ids=[bank_id], newest=True)
            return newest[0] if newest else None
        return versions.newest(self._conn, bank_id)

    # attempts

    @_guard
    def start_attempt(
        self,
        *,
        user: str,
        banks: Sequence[tuple[str, str]],
        mode: str,
        seed: int | None,
        plan: Sequence[tuple[str, str]],
        started_at: str | None = None,
    ) -> str:
        """A new attempt's UUID. The user's unfinished attempt on the same banks and mode, if
        any, becomes `abandoned`."""
        from quiz.store.records import ATTEMPT_MODES

        if mode not in ATTEMPT_MODES:
            raise StoreError(f"unknown attempt mode {mode!r}")
        if not banks:
            raise StoreError("an attempt needs at least one bank")
        attempt_id = str(uuid.uuid4())
        when = normalize_time(started_at) if started_at else utc_now()
        with self._write() as conn:
            attempt_rows.abandon_unfinished(
                conn, user, attempt_rows.quiz_key(b for b, _ in banks), mode
            )
            attempt_rows.insert(
                conn,
                attempt_id=attempt_id,
                user=user,
                mode=mode,
                banks=banks,
                seed=seed,
                plan=plan,
                started_at=when,
            )
        return attempt_id

    @_guard
    def record_response(self, attempt_id: str, response: ResponseRecord) -> None:
        """Store one answer, committed at once. Answering a question again replaces it."""
        with self._write() as conn:
            if attempt_rows.status(conn, attempt_id) == "finished":
                raise StoreError(f"attempt {attempt_id} is finished: it takes no more answers")
            if self.class_role == "learner":
                from quiz.store import classroom

                classroom.insert_response(conn, attempt_id, response)  # graded by the instructor
                return
            attempt_rows.replace_response(conn, attempt_id, response)
            totals.refresh(conn, [attempt_id])

    @_guard
    def finish_attempt(self, attempt_id: str, finished_at: str | None = None) -> None:
        when = normalize_time(finished_at) if finished_at else utc_now()
        with self._write() as conn:
            if self.class_role == "learner":
                from quiz.store import classroom

                classroom.close_attempt(conn, attempt_id, when)
                return
            if attempt_rows.status(conn, attempt_id) != "finished":
                attempt_rows.finish(conn, attempt_id, when)

    @_guard
    def find_resumable(
        self, user: str, bank_ids: Sequence[str], mode: str | None = None
    ) -> AttemptRecord | None:
        """The user's latest `in_progress` attempt on exactly these banks (and mode, if given)."""
        where, params = attempt_rows.resumable_filter(user, bank_ids, mode)
        with self._read() as conn:
            found = attempt_rows.load(conn, where, params, limit=1)
        return found[0] if found else None

    @_guard
    def attempt(self, id_or_prefix: str) -> AttemptRecord:
        """An attempt by its id or a unique prefix of it (NotFound otherwise)."""
        text = id_or_prefix.strip()
        if not text:
            raise NotFound("no attempt id given")
        try:
            text = attempt_rows.canonical_id(text)
        except ValueError:
            pass  # a prefix
        with self._read() as conn:
            found = attempt_rows.load(conn, "WHERE a.id = ?", [text], limit=None)
            if found:
                return found[0]
            ids = attempt_rows.ids_with_prefix(conn, text)
            if not ids:
                raise NotFound(f"no attempt {id_or_prefix!r} (see `quiz scores list`)")
            if len(ids) > 1:
                raise NotFound(f"{id_or_prefix!r} matches several attempts: give more of the id")
            return attempt_rows.load(conn, "WHERE a.id = ?", [ids[0]], limit=None)[0]

    @_guard
    def attempts(
        self,
        *,
        user: str | None = None,
        bank: str | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[AttemptRecord]:
        """Attempts, newest first, with their responses."""
        where, params = attempt_rows.filters(user, bank, status)
        with self._read() as conn:
            return attempt_rows.load(conn, where, params, limit)

    @_guard
    def summaries(
        self,
        *,
        user: str | None = None,
        bank: str | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[AttemptSummary]:
        """Attempts, newest first, with score totals instead of responses (`scores list`)."""
        where, params = attempt_rows.filters(user, bank, status)
        live = self.class_role == "learner"  # no totals until the instructor's grade step
        with self._read() as conn:
            return attempt_rows.summaries(conn, where, params, limit, live=live)

    @_guard
    def attempt_page(
        self,
        *,
        user: str | None = None,
        bank: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        count: bool = True,
    ) -> AttemptPage:
        """`scores list`: attempts that hold an answer, newest first, `limit` of them from
        `offset`, and how many there are in all (pages are read, not every attempt). The
        count is read only when a full page leaves it unknown; `count=False` (a caller that
        shows no "N more") never reads it: `total` is then what was read."""
        where, params = attempt_rows.filters(user, bank, None)
        live = self.class_role == "learner"  # no totals until the instructor's grade step
        with self._read() as conn:
            rows = attempt_rows.summaries(
                conn, where, params, limit, offset=offset, answered_only=True, live=live
            )
            unknown = (limit is not None and len(rows) >= limit) or (not rows and offset > 0)
            if count and unknown:
                total = attempt_rows.answered_count(conn, where, params, live=live)
            else:
                total = max(0, offset) + len(rows)
        return AttemptPage(tuple(rows), total)

    @_guard
    def attempt_counts(
        self, *, user: str | None = None, bank: str | None = None
    ) -> tuple[int, int]:
        """How many attempts hold an answer (what `scores list --all` lists, and `scores stats`
        counts), and how many of them are unfinished."""
        where, params = attempt_rows.filters(user, bank, None)
        with self._read() as conn:
            return attempt_rows.answered_counts(conn, where, params)

    @_guard
    def ungraded_count(self, *, user: str | None = None, bank: str | None = None) -> int:
        """Responses of finished attempts still stored ungraded (`scores regrade` grades them
        once their bank is found)."""
        with self._read() as conn:
            return attempt_rows.ungraded_count(conn, user, bank)

    @_guard
    def users(self) -> list[str]:
        return attempt_rows.users(self._conn)

    @_guard
    def wrong_last_time(self, user: str, bank_id: str) -> set[str]:
        """Question ids of this bank whose latest response by this user was not fully right."""
        return attempt_rows.wrong_last_time(self._conn, user, bank_id)

    # deleting

    @_guard
    def delete_attempt(self, attempt_id: str) -> None:
        """Delete one attempt (by its full id) and its responses."""
        with self._write() as conn:
            attempt_rows.delete(conn, [attempt_id])

    @_guard
    def delete_user(self, user: str) -> int:
        """Delete every attempt, response and card of this learner; the attempts' count."""
        with self._write() as conn:
            ids = attempt_rows.ids_of_user(conn, user)
            deleted_cards = card_rows.delete_user(conn, user)
            if not ids and not deleted_cards:
                raise NotFound(f"no data for user {user!r}")
            return attempt_rows.delete(conn, ids) if ids else 0

    # merging results files

    @_guard
    def merge(
        self,
        attempts: Iterable[AttemptRecord],
        snapshots: Iterable[BankSnapshot] = (),
        *,
        origins: Sequence[str] | None = None,
    ) -> MergeResult:
        """Add these attempts and snapshots, all or nothing. An attempt already stored (or given
        earlier in `attempts`) is completed with the responses it lacks; one whose responses
        disagree raises ResultsFileError and nothing is merged. `origins`, one per attempt
        (such as `alice.jsonl:3`), begin the message of an error about that attempt."""
        self._refuse_learner("importing results and recording answer sheets")
        with self._write() as conn:
            merger = merging.Merger(conn)
            merger.save_snapshots(snapshots)
            merger.merge(list(attempts), origins)
            return merger.finish()

    @contextmanager
    def merging(self) -> Iterator[merging.Merger]:
        """One write transaction for merging results chunk by chunk (`Merger.merge`), all or
        nothing: an exception rolls every chunk back. Call `finish()` for the counts."""
        self._refuse_learner("importing results")
        try:
            with self._write() as conn:
                yield merging.Merger(conn)
        except self._dialect.Error as exc:
            raise self._error(exc) from exc

    def attempt_pages(
        self, *, user: str | None = None, bank: str | None = None, page: int = 50
    ) -> Generator[tuple[int, list[tuple[str, str]]] | list[AttemptRecord], None, None]:
        """For a results file, in one read transaction: first (how many attempts, the (bank id,
        content hash) of every bank version they used), then the attempts oldest first, a page
        at a time (memory that does not grow with the store)."""
        where, params = attempt_rows.filters(user, bank, None)
        try:
            with self._read() as conn:
                ids, keys = attempt_rows.ids_oldest_first(conn, where, params)
                yield len(ids), keys
                for start in range(0, len(ids), page):
                    with dialects.using(self._dialect):
                        records = attempt_rows.load_ids(conn, ids[start : start + page])
                    problem = _check(records)  # the same checks as `_guard` makes
                    if problem is not None:
                        raise _damaged(self.where, problem)
                    yield records
        except (self._dialect.Error, *_DAMAGE) as exc:
            raise self._error(exc) from exc

    @_guard
    def user_report_inputs(
        self, *, user: str | None = None, bank: str | None = None
    ) -> UserReportInputs:
        """What `scores report --by user` sums, summed here (`quiz.store.learners`)."""
        with self._read() as conn:
            return learners.user_report_inputs(conn, user, bank)

    @_guard
    def regrade(self, attempts: Iterable[AttemptRecord]) -> None:
        """Store new grades for these attempts' responses (their responses are unchanged)."""
        with self._write() as conn:
            ids = []
            for record in attempts:
                for response in record.responses:
                    attempt_rows.regrade_response(conn, record.id, response)
                ids.append(record.id)
            totals.refresh(conn, ids)

    # study cards (the scheduler's state is opaque JSON here)

    @_guard
    def cards(self, user: str, bank_ids: Sequence[str] | None = None) -> list[CardRow]:
        """This user's cards (in these banks), soonest due first."""
        return card_rows.read(self._conn, user, bank_ids)

    @_guard
    def update_card(
        self,
        user: str,
        bank_id: str,
        question_id: str,
        update: Callable[[str | None], tuple[str, str]],
    ) -> None:
        """Read this card's state (None if new), compute (due, new state), and store them,
        in one write transaction."""
        with self._write() as conn:
            card_rows.update(conn, user, bank_id, question_id, update)

    # statistics (aggregated by quiz.reports.learner)

    @_guard
    def group_rows(self, *, user: str | None = None, bank: str | None = None) -> list[GroupTotals]:
        """Per bank and per tag: attempts, finished attempts, score, max score, answered and the
        best finished score fraction. With `bank`, its tags are counted within it alone."""
        return totals.groups(self._conn, user=user, bank=bank)

    @_guard
    def trend(
        self, scope: str, bank_id: str, tag: str, *, user: str | None = None, limit: int = 10
    ) -> list[float]:
        """Score fractions of the last `limit` finished attempts in one group, oldest first."""
        return totals.trend(self._conn, scope, bank_id, tag, user=user, limit=limit)

    @_guard
    def question_rows(
        self, *, user: str | None = None, bank: str | None = None
    ) -> list[QuestionTotals]:
        """Per question: responses, score and max score totals, and how often it was missed."""
        return totals.questions(self._conn, user=user, bank=bank)

    # item analysis (the statistics are `quiz.reports.items.analyse_bank`)

    @_guard
    def reportable_banks(self, user: str | None = None) -> list[str]:
        """Banks drawn from by finished, non-study attempts (of this user), sorted."""
        return item_inputs.bank_ids(self._conn, user)

    def _learners_snapshots(
        self, bank_id: str, snapshots: Sequence[BankSnapshot] | None
    ) -> Sequence[BankSnapshot] | None:
        """A learner's role on a class store reads bank versions without their answers."""
        if snapshots is not None or self.class_role != "learner":
            return snapshots
        from quiz.store import classroom

        return classroom.public_snapshots(self._conn, bank_ids=[bank_id])

    @_guard
    def item_inputs(
        self,
        bank_id: str,
        *,
        all_attempts: bool = False,
        user: str | None = None,
        snapshots: Sequence[BankSnapshot] | None = None,
        rule: str | None = None,
    ) -> BankInputs:
        """Item-analysis inputs of one bank: each learner's first finished attempt that drew
        from it (every finished attempt with `all_attempts`), of this user if given; study
        sessions never count. `rule` picks each learner's first, last or best attempt, or all
        (it overrides `all_attempts`). `snapshots` saves reading them again for several banks."""
        snapshots = self._learners_snapshots(bank_id, snapshots)
        with self._read() as conn:
            return item_inputs.collect_bank_inputs(
                conn, bank_id, all_attempts=all_attempts, user=user, snapshots=snapshots, rule=rule
            )

    @_guard
    def item_inputs_with_responses(
        self,
        bank_id: str,
        *,
        rule: str = "first",
        user: str | None = None,
        snapshots: Sequence[BankSnapshot] | None = None,
    ) -> tuple[BankInputs, list[tuple[str, ResponseValue, int, float, float]]]:
        """`item_inputs`, and the responses to the bank's questions in the same attempts,
        counted: (question id, response, count, score sum, max score sum)."""
        snapshots = self._learners_snapshots(bank_id, snapshots)
        with self._read() as conn:
            return item_inputs.collect_with_responses(
                conn, bank_id, rule=rule, user=user, snapshots=snapshots
            )
