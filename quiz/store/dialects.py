"""Which SQL dialect the store's statements are built for: SQLite (`quiz.store.dialect`) or
PostgreSQL (`quiz.store.dialect_pg`, the same names).

The query modules write `dialect.marks(n)`, `dialect.json_item(...)` and so on, where `dialect`
is the SQLite module. While a PostgreSQL store runs a statement (`using(dialect_pg)`, which
`Store` does around each of its methods and transactions), a name looked up on that module is
the PostgreSQL module's instead: the query modules need not know which store they serve, and a
helper added to `dialect.py` needs only its twin in `dialect_pg.py` (a test checks that every
name has one). Outside `using`, or for a name only SQLite has, the SQLite module answers.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from quiz.store import dialect as sqlite_dialect

_ACTIVE: ContextVar[types.ModuleType | None] = ContextVar("quiz_store_dialect", default=None)


class _Dispatching(types.ModuleType):
    """The SQLite dialect module, answering with the active dialect's names when one is set."""

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("__"):
            active = _ACTIVE.get()
            if active is not None:
                try:
                    return getattr(active, name)
                except AttributeError:
                    pass
        return super().__getattribute__(name)


sqlite_dialect.__class__ = _Dispatching


@contextmanager
def using(module: types.ModuleType) -> Iterator[None]:
    """Build statements for `module`'s dialect in this block (SQLite's: nothing changes)."""
    token = _ACTIVE.set(None if module is sqlite_dialect else module)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def postgres() -> types.ModuleType:
    """The PostgreSQL dialect (imports psycopg: only for a class store)."""
    from quiz.store import dialect_pg

    return dialect_pg
