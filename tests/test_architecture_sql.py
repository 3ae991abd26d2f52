"""Every line of SQL lives in `quiz/store/`, and what is SQLite's own in `quiz/store/dialect.py`.

The source is read with `ast`: every string constant (an f-string with its values as `x`) that
looks like an SQL statement, every import of the driver and every `.execute(...)` call outside
the store is named in the failure. The detector is checked first, on the store's own SQL, so
that a detector that finds nothing cannot pass the tests.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "quiz"
STORE = PACKAGE / "store"
DIALECT = STORE / "dialect.py"
DIALECT_PG = STORE / "dialect_pg.py"
DIALECTS = (DIALECT, DIALECT_PG)
# The class store's own setup (roles, grants, row-level security) exists only on PostgreSQL.
CLASSROOM = STORE / "classroom.py"

# A statement's first words, case-insensitive, after any whitespace. Each keyword is followed by
# what makes it a statement rather than an English sentence ("With no BANK", "Delete attempt").
_STATEMENT = re.compile(
    r"""\s*(?:
        SELECT\s+(?:DISTINCT\b|ALL\b|\*|\d|[\w.]+\s*(?:,|\(|\bAS\b)|.*\bFROM\b)
      | INSERT\s+(?:OR\s+\w+\s+)?INTO\b
      | UPDATE\s+[\w.]+\s+SET\b
      | DELETE\s+FROM\b
      | CREATE\s+(?:TEMP(?:ORARY)?\s+|UNIQUE\s+|VIRTUAL\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\b
      | ALTER\s+TABLE\b
      | DROP\s+(?:TABLE|INDEX|VIEW|TRIGGER)\b
      | WITH\s+(?:RECURSIVE\s+)?\w+\s*(?:\([^)]*\)\s*)?AS\s*\(
      | PRAGMA\s+\w+
      | BEGIN(?:\s+(?:DEFERRED|IMMEDIATE|EXCLUSIVE|TRANSACTION))?\s*;?\s*$
      | (?:COMMIT|ROLLBACK|END)(?:\s+TRANSACTION)?\s*;?\s*$
    )""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)

# What only SQLite understands: allowed in the dialect module alone.
_SQLITE_ONLY = re.compile(
    r"\bPRAGMA\b|\bsqlite_\w+|\bBEGIN\s+IMMEDIATE\b|\bjson_\w+\(|\btemp\.\w|\bON\s+CONFLICT\b"
    r"|\bexcluded\.\w|\bINTEGER\s+PRIMARY\s+KEY\b",
    re.IGNORECASE,
)

_DRIVERS = ("sqlite3", "_sqlite3", "psycopg", "psycopg2", "apsw")
_ABOVE_THE_STORE = (
    "quiz.reports",
    "quiz.app",
    "quiz.commands",
    "quiz.ui",
    "quiz.cli",
    "quiz.session",
    "quiz.formats",
)


def looks_like_sql(text: str) -> bool:
    return bool(_STATEMENT.match(text))


def _modules(under: Path) -> list[Path]:
    return sorted(under.rglob("*.py"))


def _outside_store() -> list[Path]:
    return [p for p in _modules(PACKAGE) if STORE not in p.parents]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def strings(path: Path, *, docstrings: bool = True) -> Iterator[tuple[ast.AST, str]]:
    """Every string constant of a module; an f-string whole, with each value as `x`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = set() if docstrings else _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                skip.add(id(value))
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    parts.append(value.value)
                else:
                    parts.append("x")
            yield node, "".join(parts)
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        ):
            yield node, node.value


def _imports(path: Path) -> Iterator[tuple[ast.AST, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node, node.module
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node, node.args[0].value


def _is_driver(module: str) -> bool:
    return module.split(".")[0] in _DRIVERS


# --- the detector ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "SELECT bank_id, questions FROM snapshots",
        "  select count(*) from responses",
        "\nSELECT DISTINCT user_name FROM attempts ORDER BY user_name",
        "SELECT 1 FROM snapshots WHERE bank_id = ?",
        "SELECT x, COALESCE(SUM(s.score), 0) FROM attempts a",
        "INSERT INTO attempts (id) VALUES (?)",
        "insert or ignore into question_tags values (?, ?, ?)",
        "UPDATE attempts SET status = 'finished' WHERE id = ?",
        "DELETE FROM cards WHERE user_name = ?",
        "CREATE TABLE migrations (name TEXT PRIMARY KEY)",
        "\nCREATE TEMP TABLE quiz_sel AS SELECT 1",
        "create index cards_due on cards (user_name, due)",
        "ALTER TABLE attempts ADD COLUMN note TEXT",
        "DROP TABLE IF EXISTS temp.quiz_sel",
        "WITH firsts AS (SELECT 1) SELECT * FROM firsts",
        "PRAGMA user_version",
        "BEGIN IMMEDIATE",
        "BEGIN",
        "COMMIT",
        "rollback",
    ],
)
def test_the_detector_finds_sql(text: str) -> None:
    assert looks_like_sql(text)


@pytest.mark.parametrize(
    "text",
    [
        "With --wide: which attempt gives a learner's grade [default: best].",
        "With no BANK: offer the known banks",
        "Delete one ATTEMPT (id or unique prefix), or with --user every attempt",
        "Delete attempt ",
        "delete",
        "Update the bank first",
        "Select a bank",
        "Select one of the options below",
        "Create a new bank from a template.",
        "Drop the draft flag",
        "Begin the quiz",
        "update",
        "select",
    ],
)
def test_the_detector_leaves_english_alone(text: str) -> None:
    assert not looks_like_sql(text)


def test_the_detector_finds_the_stores_own_sql() -> None:
    found = {
        text.split()[0].upper()
        for path in _modules(STORE)
        for _, text in strings(path)
        if looks_like_sql(text)
    }
    # Every kind of statement the store runs, f-strings and templates included.
    assert {"SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "PRAGMA", "BEGIN"} <= found


# --- the rules -------------------------------------------------------------------------------


def test_no_sql_outside_the_store() -> None:
    found = [
        f"{_where(path, node)}: {text.strip()[:60]!r}"
        for path in _outside_store()
        for node, text in strings(path)
        if looks_like_sql(text)
    ]
    assert not found, "SQL outside quiz/store/ (move it behind a Store method):\n" + "\n".join(
        found
    )


def test_no_database_driver_outside_the_store() -> None:
    found = [
        f"{_where(path, node)}: imports {module}"
        for path in _outside_store()
        for node, module in _imports(path)
        if _is_driver(module)
    ]
    assert not found, "a database driver imported outside quiz/store/:\n" + "\n".join(found)


def test_no_statement_is_run_outside_the_store() -> None:
    found = []
    for path in _outside_store():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("execute", "executemany", "executescript")
            ):
                found.append(f"{_where(path, node)}: .{node.func.attr}(...)")
    assert not found, "statements run outside quiz/store/:\n" + "\n".join(found)


def test_the_driver_is_imported_by_the_dialect_alone() -> None:
    found = [
        f"{_where(path, node)}: imports {module}"
        for path in _modules(STORE)
        if path not in DIALECTS
        for node, module in _imports(path)
        if _is_driver(module)
    ]
    assert not found, "only the dialect modules may import a driver:\n" + "\n".join(found)
    assert any(_is_driver(module) for _, module in _imports(DIALECT))
    assert any(module.startswith("psycopg") for _, module in _imports(DIALECT_PG))
    assert not any(module.startswith("psycopg") for _, module in _imports(DIALECT))


def test_sqlite_only_sql_is_in_the_dialect_alone() -> None:
    found = [
        f"{_where(path, node)}: {text.strip()[:60]!r}"
        for path in _modules(STORE)
        if path not in (*DIALECTS, CLASSROOM)  # classroom.py's json_*( are PostgreSQL's
        for node, text in strings(path, docstrings=False)
        if _SQLITE_ONLY.search(text)
    ]
    assert not found, "SQLite's own SQL outside quiz/store/dialect.py:\n" + "\n".join(found)
    assert any(_SQLITE_ONLY.search(text) for _, text in strings(DIALECT, docstrings=False))


# What only PostgreSQL understands: allowed in its dialect module alone.
_POSTGRES_ONLY = re.compile(
    r"\bpg_\w+|::\s*\w|\bLATERAL\b|\bAS\s+IDENTITY\b|\bILIKE\b|\bjsonb?_array_elements"
    r"|\bDOUBLE\s+PRECISION\b|\bISOLATION\s+LEVEL\b|\bcurrent_user\b",
    re.IGNORECASE,
)


def test_postgres_only_sql_is_in_its_dialect_alone() -> None:
    found = [
        f"{_where(path, node)}: {text.strip()[:60]!r}"
        for path in _modules(STORE)
        if path not in (*DIALECTS, CLASSROOM)
        for node, text in strings(path, docstrings=False)
        if _POSTGRES_ONLY.search(text)
    ]
    assert not found, "PostgreSQL's own SQL outside quiz/store/dialect_pg.py:\n" + "\n".join(found)
    assert any(_POSTGRES_ONLY.search(text) for _, text in strings(DIALECT_PG, docstrings=False))


def test_the_two_dialects_have_the_same_names() -> None:
    """Every name the SQLite dialect offers the store has its PostgreSQL twin, so a helper added
    to dialect.py (for a new query) cannot silently build SQLite's SQL for a class store."""
    file_only = {"MAGIC", "BadFile", "SafeConnection", "check_file", "connect_readonly"}

    def names(path: Path) -> set[str]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found.add(node.name)
            elif isinstance(node, ast.Assign):
                found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                found.add(node.target.id)
        return {n for n in found if not n.startswith("_")}

    missing = names(DIALECT) - file_only - names(DIALECT_PG)
    assert not missing, f"quiz/store/dialect_pg.py lacks {sorted(missing)}"


def test_the_store_imports_nothing_above_it() -> None:
    found = [
        f"{_where(path, node)}: imports {module}"
        for path in _modules(STORE)
        for node, module in _imports(path)
        if module.startswith(_ABOVE_THE_STORE)
    ]
    assert not found, "quiz/store/ imports a layer above it:\n" + "\n".join(found)
