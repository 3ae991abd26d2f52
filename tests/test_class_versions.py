"""Versions on a class store: a store set up by an older quiz (the migrations up to an earlier
one, and the class setup of that time) is upgraded by the instructor's `quiz class upgrade`
only; a learner whose quiz is newer or older than the store is told who must upgrade what.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from quiz.store import schema
from quiz.store.schema import MIGRATIONS
from tests.class_setup import ClassStore, class_fixture, drop_roles, make_class
from tests.conftest import psycopg_or_skip

psycopg_or_skip()

ANSWERS = "1\n2\n9\n4\n"  # q03 wrong: 3 of 4
# The store as the quiz before per-attempt list counts (m006) set it up.
OLD = [name for name, _ in MIGRATIONS].index("m006_list_counts")


@pytest.fixture
def old_room(
    postgres_server: Any, postgres_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ClassStore]:
    """A class store with migrations m001..m005 and its class setup, one learner added, and an
    attempt that learner answered then (inserted as their role, in the columns of the time)."""
    monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS[:OLD])
    room = make_class(postgres_server, postgres_db, tmp_path)
    try:
        (ann,) = room.add("ann")
        with room.connect(ann) as conn:
            conn.execute(
                "INSERT INTO attempts (id, user_name, mode, quiz_key, seed, plan, started_at,"
                " status) VALUES ('old-attempt', %s, 'take', 'class-bank', 1,"
                " '[[\"class-bank\", \"q01\"]]', '2026-01-01T00:00:00+00:00', 'in_progress')",
                [ann],
            )
            conn.execute(
                "INSERT INTO responses (attempt_id, bank_id, question_id, response, skipped,"
                " answered_at) VALUES ('old-attempt', 'class-bank', 'q01', '\"1\"', 0,"
                " '2026-01-01T00:00:01+00:00')"
            )
        with room.connect() as conn:
            assert conn.execute("SELECT count(*) FROM migrations").fetchone()[0] == OLD
        monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS)
        yield room
    finally:
        drop_roles(room)


def failed(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output  # one clear message
    return lines[0]


def schema_of(room: ClassStore) -> int:
    """The migrations applied on the server (a PostgreSQL store's schema version)."""
    with room.connect() as conn:
        return int(conn.execute("SELECT count(*) FROM migrations").fetchone()[0])


def test_an_older_class_store_is_upgraded_by_the_instructor(old_room: ClassStore) -> None:
    room = old_room
    (ann,) = room.learners
    for args in (["scores", "list"], ["take", "class-bank", "--plain", "--no-shuffle"]):
        message = failed(room.run(ann, args, ANSWERS))
        assert f"has schema {OLD}, older than this quiz's ({len(MIGRATIONS)})" in message
        assert message.endswith("ask your instructor to run `quiz class upgrade`")
    # An instructor's everyday command does not migrate behind their back (the grants and
    # policies must follow the schema): it says what to run.
    message = failed(room.run(None, ["scores", "list"]))
    assert message.endswith(": run `quiz class upgrade`")
    assert schema_of(room) == OLD
    # The learner cannot upgrade it either.
    assert "ask your instructor" in failed(room.run(ann, ["class", "upgrade"]))
    assert schema_of(room) == OLD

    upgraded = room.run(None, ["class", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"is at schema {len(MIGRATIONS)}, this quiz's" in upgraded.output
    assert schema_of(room) == len(MIGRATIONS)

    # The learner works again: the attempt from before is theirs, a new one is recorded.
    mine = json.loads(room.run(ann, ["scores", "list", "--json", "--all"]).output)
    assert [a["id"] for a in mine] == ["old-attempt"]
    taken = room.run(ann, ["take", "class-bank", "--plain", "--no-shuffle"], ANSWERS)
    assert taken.exit_code == 0 and "Score: 3/4" in taken.output, taken.output
    listed = json.loads(room.run(None, ["scores", "list", "--json", "--all"]).output)
    scores = {a["id"]: (a["score"], a["max_score"], a["ungraded"]) for a in listed}
    assert len(scores) == 2 and (3, 4, 0) in scores.values()
    assert scores["old-attempt"] == (0, 0, 1)  # kept (no bank version was recorded with it)


def test_class_init_again_upgrades_too(old_room: ClassStore) -> None:
    again = old_room.run(None, ["class", "init"])
    assert again.exit_code == 0, again.output
    assert f"(schema {len(MIGRATIONS)})" in again.output
    assert schema_of(old_room) == len(MIGRATIONS)
    (ann,) = old_room.learners
    assert old_room.run(ann, ["scores", "list"]).exit_code == 0


@pytest.fixture
def room(postgres_server: Any, postgres_db: str, tmp_path: Path) -> Iterator[ClassStore]:
    yield from class_fixture(postgres_server, postgres_db, tmp_path)


def test_a_quiz_older_than_the_class_store_is_told_to_upgrade_itself(room: ClassStore) -> None:
    """The store was upgraded by a newer quiz (a migration this one does not know): whoever
    runs this quiz must upgrade it, and nothing is changed."""
    (ann,) = room.add("ann")
    with room.connect() as conn:
        conn.execute("INSERT INTO migrations VALUES ('m999_from_the_future', '2030-01-01')")
    for who in (ann, None):
        message = failed(room.run(who, ["scores", "list"]))
        assert "was set up by a newer version of quiz than this one" in message
        assert "m999_from_the_future" in message
        assert "upgrade quiz here (pip install -U quiz)" in message
        assert "password" not in message and "class upgrade" not in message
    assert "newer version of quiz" in failed(room.run(None, ["class", "upgrade"]))
    assert schema_of(room) == len(MIGRATIONS) + 1  # left unchanged
