"""The SQL dialect of the store: SQLite. Everything that would differ on another database.

The rest of `quiz.store` writes standard SQL and asks this module for the few things that are
not standard: opening a connection (and its pragmas), the schema catalogue and version, the
start of a write transaction, column types, upserts, TEMP tables, JSON functions, and which
driver errors exist. A PostgreSQL backend is a second module with the same names, not a fork
of the store.

Statements are written with `?` placeholders (`marks(n)` for a list). The connection this
module returns is the one place every statement passes through (`SafeConnection.execute`), so a
driver with another parameter style (psycopg's `%s`) rewrites them there, as this one makes
every text parameter storable there.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quiz.sanitize import replace_surrogates

NAME = "sqlite"
DESCRIPTION = "an SQLite database"
BUSY_TIMEOUT_SECONDS = 10.0
MAGIC = b"SQLite format 3\x00"

# The driver's errors. The store turns any of them into `quiz.errors.StoreError`.
Error = sqlite3.Error
DatabaseError = sqlite3.DatabaseError
OperationalError = sqlite3.OperationalError
Connection = sqlite3.Connection

# Column types and clauses the migrations are written with (`{identity}`, `{real}`).
IDENTITY = "INTEGER PRIMARY KEY"  # an auto-numbered row id that also orders rows as inserted
REAL = "REAL"  # SQLite's REAL is an 8-byte float (PostgreSQL would say DOUBLE PRECISION)

# A transaction that will write: taken at once, so that a read-then-write transaction never
# fails with "database is locked" when another process wrote in between.
BEGIN_WRITE = "BEGIN IMMEDIATE"
BEGIN_READ = "BEGIN"
ANALYZE = "ANALYZE"  # gather the statistics the query planner uses


def ddl(sql: str) -> str:
    """A migration's DDL with this dialect's column types filled in."""
    return sql.replace("{identity}", IDENTITY).replace("{real}", REAL)


def marks(n: int) -> str:
    """`n` placeholders for an `IN (...)` list."""
    return ", ".join("?" * n)


def on_conflict_ignore() -> str:
    """The tail of an INSERT that skips rows already there."""
    return " ON CONFLICT DO NOTHING"


def on_conflict_update(key: Sequence[str], assignments: str) -> str:
    """The tail of an INSERT that updates the row with this key instead; `assignments` may use
    `excluded(column)` for the value that was to be inserted."""
    return f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {assignments}"


def excluded(column: str) -> str:
    return f"excluded.{column}"


def temp_table(name: str) -> str:
    """How to name a connection-private TEMP table once it exists."""
    return f"temp.{name}"


def prefer_lookups(conn: Connection) -> None:
    """Before a query that reads the rows of a few keys (a few hundred attempts' responses),
    in a transaction: the planner should look them up by index. SQLite's does already (the
    query says `CROSS JOIN`)."""


def json_array_length(expression: str) -> str:
    """SQL for the length of the JSON array held as text in `expression` (JSON1, built in)."""
    return f"json_array_length({expression})"


def json_each(expression: str) -> str:
    """A table of the elements of the JSON array held as text in `expression` (column
    `value`), to join with (JSON1, built in)."""
    return f"json_each({expression})"


def json_item(expression: str, index: int) -> str:
    """SQL for item `index` of the JSON array held as text in `expression`."""
    return f"json_extract({expression}, '$[{int(index)}]')"


def insert_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert `rows` (each its values in `columns`' order) into `table`: one prepared
    statement for them all (PostgreSQL copies a large batch instead)."""
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks(len(columns))})", rows
    )


def in_transaction(conn: Connection) -> bool:
    return conn.in_transaction


# --- text SQLite can take --------------------------------------------------------------------


def storable(text: str) -> str:
    """`text` as the store writes and queries it: every lone surrogate becomes U+FFFD.

    Python decodes bytes that are not UTF-8 (in argv, the environment, file names) with
    `surrogateescape`, and JSON may spell a lone surrogate as an escape; SQLite can store
    neither, and encoding them fails. Every text parameter of every statement passes through
    here (see `SafeConnection`), so nothing can fail there: a user named "a" + U+DCFF is
    stored, and found, as "a" + U+FFFD.
    """
    return replace_surrogates(text)


def _storable_params(parameters: Any) -> Any:
    if isinstance(parameters, dict):
        return {k: storable(v) if isinstance(v, str) else v for k, v in parameters.items()}
    # ASCII text holds no surrogate: only other text is looked at (an import passes millions)
    return [storable(v) if isinstance(v, str) and not v.isascii() else v for v in parameters]


class SafeConnection(sqlite3.Connection):
    """A connection that passes every text parameter through `storable` (the one place)."""

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return super().execute(sql, _storable_params(parameters))

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> sqlite3.Cursor:
        return super().executemany(sql, (_storable_params(p) for p in seq_of_parameters))


# --- the file --------------------------------------------------------------------------------


class BadFile(Exception):
    """The file is not a whole database of this kind; the message says what it is."""


def check_file(path: Path) -> None:
    """Refuse what is not a whole SQLite database before SQLite is let near it (BadFile)."""
    size = path.stat().st_size
    if size == 0:
        return  # new (perhaps another process is creating it right now)
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header.startswith(MAGIC[: len(header)]) or len(header) < len(MAGIC):
        if MAGIC.startswith(header):
            raise BadFile("is truncated: it is not a usable score store")
        raise BadFile("is not a quiz score store (not an SQLite database)")
    if len(header) < 100:
        raise BadFile("is truncated: it is not a usable score store")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise BadFile("is damaged: its header is not a valid SQLite header")
    if size % page_size:
        raise BadFile("is truncated: it is not a usable score store")
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]
    wal = path.with_name(path.name + "-wal")
    wal_in_use = wal.exists() and wal.stat().st_size > 0
    if header_valid and not wal_in_use and pages * page_size > size:
        raise BadFile("is truncated: it is not a usable score store")


# --- connections -----------------------------------------------------------------------------


def connect_readonly(path: Path) -> Connection:
    """A connection that cannot write (the caller closes it), in autocommit mode.

    In a folder we cannot write (a read-only home or file system) SQLite cannot make the WAL's
    shared-memory file, so the file is opened as immutable: nobody can change it there."""
    try:
        return _connect_readonly(path, "?mode=ro")
    except sqlite3.OperationalError:
        if os.access(path.parent, os.W_OK):
            raise
        return _connect_readonly(path, "?mode=ro&immutable=1")


def _connect_readonly(path: Path, query: str) -> Connection:
    conn = sqlite3.connect(
        path.resolve().as_uri() + query,
        uri=True,
        timeout=BUSY_TIMEOUT_SECONDS,
        factory=SafeConnection,
        isolation_level=None,
    )
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the file now
    except BaseException:
        conn.close()
        raise
    return conn


def connect(path: Path) -> Connection:
    """The store's read-write connection, in autocommit mode (transactions are explicit):
    busy timeout, foreign keys, WAL, full sync, TEMP tables in memory."""
    conn = sqlite3.connect(
        str(path), isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS, factory=SafeConnection
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: Connection) -> None:
    """Switch to WAL. The switch needs the file to itself and SQLite does not wait for that
    (the busy timeout is not consulted), so two first runs at once retry here."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    delay = 0.005
    while True:
        try:
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


# --- the schema's catalogue and version ------------------------------------------------------


def table_names(conn: Connection) -> set[str]:
    """Every table in the database, the engine's own included."""
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def is_internal_table(name: str) -> bool:
    return name.startswith("sqlite_")


def schema_version(conn: Connection) -> int:
    """The number of migrations the database says it has (0 for a new one)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def current_role(conn: Connection) -> str | None:
    """The connected database role: none for a file."""
    return None


def owns_schema(conn: Connection) -> bool:
    """Whether this connection may migrate the schema: whoever may write the file may."""
    return True


def set_schema_version(conn: Connection, version: int) -> None:
    conn.execute(f"PRAGMA user_version = {int(version)}")
