"""An import into a PostgreSQL store copies each attempt's responses (COPY FROM): the rows must
be exactly those that inserting them one statement a row would store, and a role that row-level
security applies to (a learner) must never be sent a COPY, which PostgreSQL refuses then."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.class_setup import ClassStore, class_fixture
from tests.conftest import psycopg_or_skip

psycopg = psycopg_or_skip()

from quiz.store import Store, dialect_pg  # noqa: E402  (psycopg first: skip without it)
from quiz.store.records import AttemptRecord, BankSnapshot, QuestionSnapshot, ResponseRecord  # noqa: E402

BANK = "copy-bank"
QUESTIONS = 30  # more than COPY_FROM_ROWS: each attempt's responses are one COPY

# What COPY's text format must escape or the store must clean: tab, newline, backslash, \N,
# quotes, a NUL and a lone surrogate (stored as U+FFFD), wide and combining characters.
ODD = ["a\tb", "line\nbreak", "back\\slash", "\\N", "\"quoted\" 'it'", "nul\x00", "x\udcffy"]
ODD += ["平壌 Rason", "é", "", "{}", "[1, 2]"]


def snapshot() -> BankSnapshot:
    return BankSnapshot(
        BANK,
        "h1",
        "Copy",
        tuple(
            QuestionSnapshot(BANK, f"q{k:02d}", "text", f"Question {k}?", 1.0, "x")
            for k in range(QUESTIONS)
        ),
    )


def attempts() -> list[AttemptRecord]:
    made = []
    for n in range(3):
        responses = []
        for k in range(QUESTIONS):
            skipped = k % 9 == 8
            graded = k % 7 != 6
            responses.append(
                ResponseRecord(
                    BANK,
                    f"q{k:02d}",
                    None if skipped else ODD[(k + n) % len(ODD)],
                    0.0 if skipped else (k % 3) / 3,
                    1.0,
                    k % 3 == 2,
                    seconds=None if k % 5 == 0 else k * 1.25,
                    answered_at=f"2026-03-01T10:{k:02d}:00+00:00",
                    skipped=skipped,
                    graded=graded,
                )
            )
        made.append(
            AttemptRecord(
                id=str(uuid.UUID(int=n + 1)),
                user=f"learner-{n}",
                banks=((BANK, "h1"),),
                mode="take",
                started_at="2026-03-01T09:59:00+00:00",
                status="finished",
                finished_at="2026-03-01T11:00:00+00:00",
                plan=tuple((BANK, f"q{k:02d}") for k in range(QUESTIONS)),
                responses=tuple(responses),
            )
        )
    return made


COLUMNS = (
    "attempt_id, bank_id, question_id, response, score, max_score, correct, skipped, seconds,"
    " answered_at, graded"
)


def stored_rows(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            f"SELECT {COLUMNS} FROM responses ORDER BY attempt_id, question_id"
        ).fetchall()
    return [tuple(row) for row in rows]


@pytest.fixture
def second_db(postgres_server: Any) -> Iterator[str]:
    name = postgres_server.create_database()
    try:
        yield postgres_server.admin_url(name)
    finally:
        postgres_server.drop_database(name)


def test_an_import_copies_what_a_statement_a_row_would_store(
    postgres_db: str, second_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies: list[str] = []
    copy_rows = dialect_pg.PgConnection.copy_rows

    def counted(self: Any, table: str, *args: Any) -> None:
        copies.append(table)
        copy_rows(self, table, *args)

    monkeypatch.setattr(dialect_pg.PgConnection, "copy_rows", counted)
    with Store.open(postgres_db) as store:
        store.merge(attempts(), [snapshot()])
    assert copies == ["responses"] * 3  # one COPY an attempt
    monkeypatch.setattr(dialect_pg, "COPY_FROM_ROWS", 10**9)  # a statement a row
    with Store.open(second_db) as store:
        store.merge(attempts(), [snapshot()])
    assert len(copies) == 3
    copied, inserted = stored_rows(postgres_db), stored_rows(second_db)
    assert copied == inserted
    assert len(copied) == 3 * QUESTIONS
    texts = {json.loads(row[3]) for row in copied}
    # (a NUL is escaped by JSON, \u0000; a lone surrogate cannot be stored: U+FFFD)
    assert {"a\tb", "line\nbreak", "back\\slash", "\\N", "nul\x00", "x\ufffdy"} <= texts
    assert None in texts  # a skipped question's response
    # and the store reads back what was merged, scores and totals included
    with Store.open(postgres_db) as a, Store.open(second_db) as b:
        assert a.attempts() == b.attempts()
        assert [s.score for s in a.summaries()] == [s.score for s in b.summaries()]


@pytest.fixture
def room(postgres_server: Any, postgres_db: str, tmp_path: Path) -> Iterator[ClassStore]:
    yield from class_fixture(postgres_server, postgres_db, tmp_path)


def test_a_learner_is_never_sent_a_copy(room: ClassStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row-level security applies to a learner: PostgreSQL refuses them COPY FROM, so their
    rows are inserted (and checked by the policies) a statement a row, however many."""
    (alice,) = room.add("alice")
    monkeypatch.setenv("PGPASSFILE", str(room.folder / f"{alice}.pgpass"))
    conn = dialect_pg.connect(room.url(alice))
    try:
        assert conn.row_security_active("responses")
        attempt = str(uuid.uuid4())
        conn.execute(
            "INSERT INTO attempts (id, user_name, mode, quiz_key, seed, plan, started_at,"
            " status) VALUES (?, ?, 'take', 'class-bank', 1, '[]', '2026-01-01T00:00:00+00:00',"
            " 'in_progress')",
            (attempt, alice),
        )
        rows = [
            (attempt, "class-bank", f"q{k:02d}", json.dumps(str(k)), 0, "2026-01-01T00:00:01")
            for k in range(dialect_pg.COPY_FROM_ROWS + 5)
        ]
        columns = ("attempt_id", "bank_id", "question_id", "response", "skipped", "answered_at")
        with pytest.raises(psycopg.errors.FeatureNotSupported, match="row-level security"):
            conn.copy_rows("responses", columns, rows)  # what the check keeps them from
        dialect_pg.insert_rows(conn, "responses", columns, rows)
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM responses WHERE attempt_id = ?", (attempt,)
        ).fetchone()
        assert count == len(rows)
        # the policies still hold: no rows into another learner's attempt
        other = [(str(uuid.uuid4()), *row[1:]) for row in rows]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            dialect_pg.insert_rows(conn, "responses", columns, other)
    finally:
        conn.close()
    instructor = dialect_pg.connect(room.admin_url)
    try:
        assert instructor.row_security_active("responses") is False  # imports are copied
    finally:
        instructor.close()
