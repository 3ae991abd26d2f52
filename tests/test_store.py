"""The score store: migrations, refusing what it must not touch, attempts, merging, concurrency."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from quiz.errors import NotFound, ResultsFileError, StoreError
from quiz.reports import learner as stats_module
from quiz.store import Store, dialect, schema
from quiz.store.merge import MergeResult
from quiz.store.records import (
    AttemptRecord,
    BankSnapshot,
    QuestionSnapshot,
    ResponseRecord,
)
from quiz.store.schema import MIGRATIONS
from quiz.store.snapshots import encode_questions

ROOT = Path(__file__).resolve().parent.parent


def snapshot(bank_id: str = "b1", content_hash: str = "h1", n: int = 4) -> BankSnapshot:
    questions = tuple(
        QuestionSnapshot(
            bank_id=bank_id,
            question_id=f"q{i}",
            kind="text",
            prompt=f"Question {i}?",
            max_score=1.0,
            expected=f"answer {i}",
            tags=("odd",) if i % 2 else ("even",),
        )
        for i in range(1, n + 1)
    )
    return BankSnapshot(bank_id, content_hash, f"Bank {bank_id}", questions)


def response(
    question: str, score: float = 1.0, bank: str = "b1", value: object = "x", **kw: object
) -> ResponseRecord:
    return ResponseRecord(
        bank_id=bank,
        question_id=question,
        response=value,  # type: ignore[arg-type]
        score=score,
        max_score=1.0,
        correct=score >= 1.0,
        **kw,  # type: ignore[arg-type]
    )


def start(store: Store, user: str = "alice", banks: tuple[str, ...] = ("b1",), mode: str = "take"):
    plan = [(b, f"q{i}") for b in banks for i in range(1, 5)]
    return store.start_attempt(
        user=user, banks=[(b, "h1") for b in banks], mode=mode, seed=7, plan=plan
    )


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), isolation_level=None)


# --- opening, migrations ---------------------------------------------------------------------


def test_fresh_store_has_every_migration(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        names = [name for name, _ in store.migrations()]
        assert names == [name for name, _ in MIGRATIONS]
        assert store.schema_version == len(MIGRATIONS)
        assert store.path == tmp_path / "scores.db"
    conn = raw(tmp_path / "scores.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    # Opening again changes nothing.
    with Store.open(tmp_path) as store:
        assert len(store.migrations()) == len(MIGRATIONS)


def test_permissions_are_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "new" / "home"
    with Store.open(home):
        pass
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "scores.db").stat().st_mode) == 0o600


def test_upgrade_from_the_first_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS[:1])
    with Store.open(tmp_path) as old:
        assert [n for n, _ in old.migrations()] == ["m001_initial"]
        assert old.schema_version == 1
    conn = raw(tmp_path / "scores.db")
    snap = snapshot()
    conn.execute(
        "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?)",
        ("b1", "h1", "Bank b1", encode_questions(snap), "2024-01-01T00:00:00+00:00"),
    )
    conn.execute(
        "INSERT INTO attempts VALUES ('a-1', 'alice', 'take', 'b1', 1, ?, ?, ?, 'finished')",
        (json.dumps([["b1", "q1"], ["b1", "q2"]]), "2024-01-01T00:00:00.000000+00:00", None),
    )
    conn.execute("INSERT INTO attempt_banks VALUES ('a-1', 0, 'b1', 'h1')")
    for q, score in (("q1", 1.0), ("q2", 0.0)):
        conn.execute(
            "INSERT INTO responses (attempt_id, bank_id, question_id, response, score, max_score,"
            " correct, skipped, seconds, answered_at) VALUES ('a-1', 'b1', ?, '\"x\"', ?, 1, ?, 0,"
            " 2.0, '2024-01-01T00:00:01.000000+00:00')",
            (q, score, int(score == 1.0)),
        )
    conn.close()
    monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS)

    with Store.open(tmp_path) as store:
        assert [n for n, _ in store.migrations()] == [n for n, _ in MIGRATIONS]
        assert store.schema_version == len(MIGRATIONS)
        record = store.attempt("a-1")
        assert [r.question_id for r in record.responses] == ["q1", "q2"]
        (summary,) = store.summaries()
        assert (summary.score, summary.max_score, summary.answered) == (1.0, 2.0, 2)
        groups = {(g.group, g.id): g for g in stats_module.collect(store)}
        assert groups[("bank", "b1")].best == 0.5
        assert groups[("tag", "odd")].accuracy == 1.0  # q1
        assert groups[("tag", "even")].accuracy == 0.0  # q2


@pytest.mark.parametrize("how", ["user_version", "migration"])
def test_a_newer_database_is_refused_and_unchanged(tmp_path: Path, how: str) -> None:
    with Store.open(tmp_path) as store:
        store.save_snapshot(snapshot())
    conn = raw(tmp_path / "scores.db")
    if how == "user_version":
        conn.execute("PRAGMA user_version = 99")
    else:
        conn.execute("INSERT INTO migrations VALUES ('m999_from_the_future', '2030-01-01')")
    conn.close()
    before = (tmp_path / "scores.db").read_bytes()
    with pytest.raises(StoreError, match="newer version of quiz"):
        Store.open(tmp_path)
    assert (tmp_path / "scores.db").read_bytes() == before


def test_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    conn = raw(tmp_path / "scores.db")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    before = (tmp_path / "scores.db").read_bytes()
    with pytest.raises(StoreError, match="not a quiz score store"):
        Store.open(tmp_path)
    assert (tmp_path / "scores.db").read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "scores.db"
    content = b"name,score\nalice,3\n" * 300
    path.write_bytes(content)
    os.chmod(path, 0o644)
    with pytest.raises(StoreError, match="not a quiz score store"):
        Store.open(tmp_path)
    assert path.read_bytes() == content
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not (tmp_path / "scores.db-wal").exists()


def _full_store(home: Path) -> bytes:
    with Store.open(home) as store:
        for i in range(40):
            store.save_snapshot(snapshot(f"bank{i}", f"h{i}", n=20))
        attempt = start(store)
        store.record_response(attempt, response("q1"))
    data = (home / "scores.db").read_bytes()
    assert len(data) > 8 * 4096
    return data


@pytest.mark.parametrize("cut", [10, 50, 4096, "half", "odd"])
def test_a_truncated_store_is_refused_untouched(tmp_path: Path, cut: object) -> None:
    data = _full_store(tmp_path)
    size = {"half": (len(data) // 2) // 4096 * 4096, "odd": len(data) - 100}.get(cut, cut)
    assert isinstance(size, int)
    path = tmp_path / "scores.db"
    path.write_bytes(data[:size])
    with pytest.raises(StoreError, match=r"truncated|not a usable|damaged"):
        Store.open(tmp_path)
    assert path.read_bytes() == data[:size]


def test_a_directory_in_the_way_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "scores.db").mkdir()
    with pytest.raises(StoreError):
        Store.open(tmp_path)


@pytest.mark.parametrize("where", ["home", "parent"])
def test_a_home_that_is_a_file_says_so(tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "h-file"
    blocker.write_text("not a folder\n")
    home = blocker if where == "home" else blocker / "quiz"
    with pytest.raises(StoreError) as caught:
        Store.open(home)
    message = str(caught.value)
    if where == "home":
        assert message.startswith(f"the quiz home {blocker} is not a folder (it is a file)")
    else:
        assert f"{blocker} is not a folder (it is a file)" in message
    assert "File exists" not in message and "Not a directory" not in message
    assert blocker.read_text() == "not a folder\n"


def test_a_store_damaged_after_opening_gives_store_errors(tmp_path: Path) -> None:
    """Every query, item analysis included, says what went wrong as a StoreError (exit 1);
    `scores report --by question` shows it as a message, never a traceback."""
    with Store.open(tmp_path) as store:
        attempt = start(store)
        store.record_response(attempt, response("q1"))
        store.finish_attempt(attempt)
    conn = raw(tmp_path / "scores.db")
    conn.execute("DROP TABLE attempt_scores")
    conn.execute("DROP TABLE attempt_banks")
    conn.close()
    with Store.open(tmp_path) as store:
        for query in (
            store.summaries,
            store.group_rows,
            store.reportable_banks,
            lambda: store.item_inputs("b1"),
        ):
            with pytest.raises(StoreError, match="no such table"):
                query()
    from click.testing import CliRunner

    from quiz.cli import cli

    for args in (["b1", "--by", "question"], ["--by", "question"]):
        result = CliRunner().invoke(cli, ["--home", str(tmp_path), "scores", "report", *args])
        assert result.exit_code == 1, result.output
        assert "no such table" in result.output
        assert "Traceback" not in result.output
        assert not isinstance(result.exception, sqlite3.Error)


# --- text SQLite cannot encode ----------------------------------------------------------------

BAD = "\udcff"  # what Python makes of the byte 0xff in argv or the environment


def test_lone_surrogates_never_reach_sqlite(store_location: Path | str) -> None:
    """Every text the store writes or queries with is made encodable in one place."""
    with Store.open(store_location) as store:
        title = f"T{BAD}"
        store.save_snapshot(replace(snapshot(), title=title))
        attempt = start(store, user=f"a{BAD}")
        store.record_response(attempt, response("q1", value=f"answer {BAD}", answered_at=None))
        store.record_response(attempt, response("q2", value={f"k{BAD}": f"v{BAD}"}))
        store.finish_attempt(attempt)
        [stored] = store.attempts(user=f"a{BAD}")  # the query finds what was written
        assert stored.user == "a\ufffd"
        assert stored.responses[0].response == "answer \ufffd"
        assert stored.responses[1].response == {"k\ufffd": "v\ufffd"}
        assert store.snapshots()[0].title == "T\ufffd"
        # Queries with such text find nothing, or the right thing; none raises.
        assert store.summaries(user=f"z{BAD}") == []
        assert store.attempts(bank=f"x{BAD}") == []
        assert store.group_rows(user=f"z{BAD}") == []
        assert store.question_rows(bank=f"x{BAD}") == []
        assert store.trend("bank", f"x{BAD}", "", user=f"z{BAD}") == []
        assert store.wrong_last_time(f"z{BAD}", "b1") == set()
        assert store.cards(f"z{BAD}", [f"x{BAD}"]) == []
        assert store.find_resumable(f"z{BAD}", [f"x{BAD}"]) is None
        with pytest.raises(NotFound):
            store.attempt(f"r{BAD}")
        with pytest.raises(NotFound):
            store.delete_user(f"z{BAD}")
        store.update_card(f"a{BAD}", "b1", f"q{BAD}", lambda old: ("2030-01-01T00:00:00", "{}"))
        assert [c.question_id for c in store.cards(f"a{BAD}")] == ["q\ufffd"]
        other = replace(
            stored,
            id="00000000-0000-4000-8000-00000000abcd",
            user=f"m{BAD}",
            responses=(replace(stored.responses[0], question_id=f"q{BAD}", response=[BAD]),),
        )
        assert store.merge([other]).added == 1
        assert store.summaries(user=f"m{BAD}")[0].user == "m\ufffd"
        # The same file imported again is the same attempt, not a conflict.
        assert store.merge([other]) == MergeResult(0, 0, 1)
        assert store.reportable_banks(f"z{BAD}") == []
        assert store.reportable_banks(f"a{BAD}") == ["b1"]
        assert store.item_inputs("b1", user=f"z{BAD}").percents == ()
        assert len(store.item_inputs("b1", user=f"a{BAD}").percents) == 1
    assert dialect.storable(f"a{BAD}b\ud800") == "a\ufffdb\ufffd"
    assert dialect.storable("plain é ✓") == "plain é ✓"


# --- snapshots -------------------------------------------------------------------------------


def test_snapshots_are_kept_once_per_version(store_location: Path | str) -> None:
    with Store.open(store_location) as store:
        store.save_snapshot(snapshot())
        store.save_snapshot(snapshot())
        store.save_snapshot(snapshot(content_hash="h2", n=2))
        assert [(s.bank_id, s.content_hash) for s in store.snapshots()] == [
            ("b1", "h1"),
            ("b1", "h2"),
        ]
        assert store.snapshots([("b1", "h1")]) == [snapshot()]
        newest = store.snapshot("b1")
        assert newest is not None and newest.content_hash == "h2"
        assert store.snapshot("nope") is None


# --- attempts and responses ------------------------------------------------------------------


def test_responses_round_trip_every_shape(store_location: Path | str) -> None:
    values = ["Kim", ["a", "b"], {"left": "right", "x": "y"}, None]
    with Store.open(store_location) as store:
        attempt = start(store)
        for i, value in enumerate(values, 1):
            store.record_response(
                attempt,
                response(f"q{i}", 0.5, value=value, seconds=1.5, skipped=value is None),
            )
        record = store.attempt(attempt)
    assert [r.response for r in record.responses] == values
    assert record.responses[0].seconds == 1.5
    assert record.responses[3].skipped
    assert record.plan == tuple(("b1", f"q{i}") for i in range(1, 5))
    assert record.banks == (("b1", "h1"),)
    assert record.seed == 7 and record.mode == "take" and record.status == "in_progress"
    assert all(r.answered_at and r.answered_at.endswith("+00:00") for r in record.responses)


def test_each_response_is_committed_at_once(store_location: Path | str) -> None:
    store = Store.open(store_location)
    attempt = start(store)
    store.record_response(attempt, response("q1"))
    # Another connection sees it while the first is still open.
    with Store.open(store_location) as other:
        assert len(other.attempt(attempt).responses) == 1
    store.close()


def test_resume_and_abandon(store_location: Path | str) -> None:
    with Store.open(store_location) as store:
        first = start(store)
        store.record_response(first, response("q1"))
        store.record_response(first, response("q2", 0.0))
        found = store.find_resumable("alice", ["b1"])
        assert found is not None and found.id == first
        assert [r.question_id for r in found.responses] == ["q1", "q2"]
        assert found.plan[len(found.responses)] == ("b1", "q3")

        others = [
            start(store, user="bob"),
            start(store, banks=("b1", "b2")),
            start(store, mode="study"),
        ]
        assert store.attempt(first).status == "in_progress"
        assert store.find_resumable("alice", ["b1"], mode="take").id == first  # type: ignore[union-attr]

        second = start(store)
        assert store.attempt(first).status == "abandoned"
        assert store.find_resumable("alice", ["b1"], mode="take").id == second  # type: ignore[union-attr]
        assert all(store.attempt(o).status == "in_progress" for o in others)
        assert store.find_resumable("alice", ["b2", "b1"]).id == others[1]  # type: ignore[union-attr]

        store.finish_attempt(second)
        record = store.attempt(second)
        assert record.status == "finished" and record.finished_at
        assert store.find_resumable("alice", ["b1"], mode="take") is None
        with pytest.raises(StoreError, match="finished"):
            store.record_response(second, response("q1"))
        with pytest.raises(NotFound):
            store.record_response("no-such-attempt", response("q1"))
        with pytest.raises(NotFound):
            store.finish_attempt("no-such-attempt")


def test_answering_again_replaces(store_location: Path | str) -> None:
    with Store.open(store_location) as store:
        attempt = start(store)
        store.record_response(attempt, response("q1", 0.0))
        store.record_response(attempt, response("q1", 1.0))
        record = store.attempt(attempt)
        assert [(r.question_id, r.score) for r in record.responses] == [("q1", 1.0)]
        assert store.summaries()[0].score == 1.0


def test_wrong_last_time(store_location: Path | str) -> None:
    with Store.open(store_location) as store:
        first = start(store)
        for q, score in (("q1", 0.0), ("q2", 1.0), ("q3", 0.5), ("q4", 1.0)):
            store.record_response(first, response(q, score))
        store.finish_attempt(first)
        second = start(store)
        store.record_response(second, response("q1", 1.0))
        store.record_response(
            second, ResponseRecord("b1", "q4", None, 0.0, 1.0, False, skipped=True)
        )
        bob = start(store, user="bob")
        store.record_response(bob, response("q2", 0.0))
        other_bank = start(store, banks=("b2",))
        store.record_response(other_bank, response("q2", 0.0, bank="b2"))
        assert store.wrong_last_time("alice", "b1") == {"q3", "q4"}
        assert store.wrong_last_time("bob", "b1") == {"q2"}
        assert store.wrong_last_time("carol", "b1") == set()


def test_attempt_by_prefix(store_location: Path | str) -> None:
    records = [
        AttemptRecord(id=i, user="u", banks=(("b1", "h1"),), mode="take", started_at=t)
        for i, t in (
            ("aaaa1111-0000", "2024-01-01T00:00:00Z"),
            ("aaaa2222-0000", "2024-01-02T00:00:00Z"),
            ("bbbb3333-0000", "2024-01-03T00:00:00Z"),
        )
    ]
    with Store.open(store_location) as store:
        store.merge(records)
        assert store.attempt("bbbb").id == "bbbb3333-0000"
        assert store.attempt("AAAA1").id == "aaaa1111-0000"
        assert store.attempt("aaaa2222-0000").id == "aaaa2222-0000"
        with pytest.raises(NotFound, match="several"):
            store.attempt("aaaa")
        with pytest.raises(NotFound):
            store.attempt("cccc")
        with pytest.raises(NotFound):
            store.attempt("%")
        assert [a.id for a in store.attempts()] == [r.id for r in reversed(records)]
        assert [a.id for a in store.attempts(limit=1)] == ["bbbb3333-0000"]


def test_attempts_filters(store_location: Path | str) -> None:
    with Store.open(store_location) as store:
        a = start(store)
        b = start(store, user="bob", banks=("b2",))
        c = start(store, banks=("b1", "b2"))
        store.finish_attempt(c)
        assert {x.id for x in store.attempts(user="alice")} == {a, c}
        assert {x.id for x in store.attempts(bank="b2")} == {b, c}
        assert {x.id for x in store.attempts(status="finished")} == {c}
        assert [x.id for x in store.summaries(user="bob")] == [b]
        with pytest.raises(StoreError):
            store.attempts(status="paused")
        assert store.users() == ["alice", "bob"]


def _count(conn: Any, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def test_delete_attempt_and_user(store_location: Path | str) -> None:
    with Store.open(store_location) as store:
        store.save_snapshot(snapshot())
        keep = start(store, user="bob")
        store.record_response(keep, response("q1"))
        gone = start(store)
        store.record_response(gone, response("q1"))
        store.update_card("alice", "b1", "q1", lambda old: ("2030-01-01T00:00:00Z", "{}"))
        store.delete_attempt(gone)
        with pytest.raises(NotFound):
            store.attempt(gone)
        with pytest.raises(NotFound):
            store.delete_attempt(gone)
        again = start(store)
        store.record_response(again, response("q2"))
        assert store.delete_user("alice") == 1
        assert store.cards("alice") == []
        with pytest.raises(NotFound):
            store.delete_user("alice")
        assert [a.id for a in store.attempts()] == [keep]
        # nothing of the deleted attempts is left behind, on either backend
        for table in ("responses", "attempt_banks"):
            assert store.run(_count, f"SELECT count(*) FROM {table}", write=False) == 1
        scored = "SELECT count(DISTINCT attempt_id) FROM attempt_scores"
        assert store.run(_count, scored, write=False) == 1


# --- merge -----------------------------------------------------------------------------------


def _exported(home: Path) -> tuple[list[AttemptRecord], list[BankSnapshot]]:
    with Store.open(home) as store:
        store.save_snapshot(snapshot())
        first = start(store)
        store.record_response(first, response("q1"))
        store.record_response(first, response("q2", 0.0))
        store.finish_attempt(first)
        second = start(store, user="bob")
        store.record_response(second, response("q1", 0.5))
        return store.attempts(), store.snapshots()


def test_merge_is_idempotent(tmp_path: Path, store_location: Path | str) -> None:
    attempts, snapshots = _exported(tmp_path / "a")
    with Store.open(store_location) as store:
        assert store.merge(attempts, snapshots) == MergeResult(2, 0, 0)
        assert store.merge(attempts, snapshots) == MergeResult(0, 0, 2)
        assert store.attempts() == attempts
        assert store.snapshots() == snapshots


def test_merge_grows_a_known_attempt(tmp_path: Path, store_location: Path | str) -> None:
    attempts, snapshots = _exported(tmp_path / "a")
    alice = next(a for a in attempts if a.user == "alice")
    partial = replace(alice, responses=alice.responses[:1], status="in_progress", finished_at=None)
    with Store.open(store_location) as store:
        assert store.merge([partial], snapshots).added == 1
        assert store.merge([alice]) == MergeResult(0, 1, 0)
        merged = store.attempt(alice.id)
        assert merged.status == "finished"
        assert [r.question_id for r in merged.responses] == ["q1", "q2"]
        assert store.summaries()[0].score == 1.0


def test_merge_disagreement_is_an_error_and_nothing_is_merged(
    tmp_path: Path, store_location: Path | str
) -> None:
    attempts, snapshots = _exported(tmp_path / "a")
    with Store.open(store_location) as store:
        store.merge(attempts[:1], snapshots)
        before = store.attempts()
        changed = replace(
            attempts[0],
            responses=(
                replace(attempts[0].responses[0], response="something else"),
                *attempts[0].responses[1:],
            ),
        )
        with pytest.raises(ResultsFileError, match="'response' differs") as caught:
            store.merge(
                [attempts[1], changed], [snapshot("new-bank")], origins=["a.jsonl:3", "b.jsonl:7"]
            )
        assert str(caught.value).startswith(f"b.jsonl:7: attempt {changed.id}, question b1/")
        assert store.attempts() == before  # the new attempt was not added either
        assert [s.bank_id for s in store.snapshots()] == ["b1"]
        other_user = replace(attempts[0], user="mallory")
        with pytest.raises(ResultsFileError) as caught:
            store.merge([other_user], origins=["class.jsonl:4"])
        assert str(caught.value).startswith(f"class.jsonl:4: attempt {other_user.id}: its 'user'")
        with pytest.raises(ResultsFileError):
            store.merge([replace(attempts[1], started_at="yesterday")])
        with pytest.raises(ResultsFileError):
            store.merge([replace(attempts[1], status="paused")])
        assert store.attempts() == before
        # Only the scores differ: the attempt is skipped, its claimed scores ignored.
        rescored = replace(
            attempts[0],
            responses=(replace(attempts[0].responses[0], score=0.25), *attempts[0].responses[1:]),
        )
        result = store.merge([rescored])
        assert (result.skipped, result.scores_ignored) == (1, (attempts[0].id,))
        assert store.attempts() == before


# --- stats -----------------------------------------------------------------------------------


def test_stats_per_bank_and_tag(store_location: Path | str) -> None:
    with Store.open(store_location) as store:
        store.save_snapshot(snapshot())
        for scores in ((1.0, 0.0, 0.0, 0.0), (1.0, 1.0, 0.0, 1.0)):
            attempt = start(store)
            for i, score in enumerate(scores, 1):
                store.record_response(attempt, response(f"q{i}", score))
            store.finish_attempt(attempt)
        unfinished = start(store, user="bob")
        store.record_response(unfinished, response("q3", 0.0))
        groups = {(g.group, g.id): g for g in stats_module.collect(store)}
        bank = groups[("bank", "b1")]
        assert (bank.attempts, bank.finished, bank.responses) == (3, 2, 9)
        assert bank.title == "Bank b1"
        assert bank.trend == (0.25, 0.75) and bank.last == 0.75 and bank.best == 0.75
        assert bank.accuracy == pytest.approx(4 / 9)
        assert [(m.question_id, m.missed, m.answered) for m in bank.missed] == [
            ("q3", 3, 3),
            ("q2", 1, 2),
            ("q4", 1, 2),
        ]
        assert bank.missed[0].prompt == "Question 3?"
        odd = groups[("tag", "odd")]  # q1, q3
        assert odd.trend == (0.5, 0.5) and odd.attempts == 3
        assert [m.question_id for m in odd.missed] == ["q3"]
        even = groups[("tag", "even")]  # q2, q4
        assert even.trend == (0.0, 1.0) and even.best == 1.0
        alice = {(g.group, g.id): g for g in stats_module.collect(store, user="alice")}
        assert alice[("bank", "b1")].attempts == 2
        assert alice[("bank", "b1")].missed[0].missed == 2
        only = stats_module.collect(store, bank="b1")
        assert {(g.group, g.id) for g in only} == set(groups)
        assert stats_module.collect(store, bank="nope") == []
        assert [g.as_dict()["id"] for g in only] == ["b1", "even", "odd"]


def test_stats_tags_combine_banks_in_one_attempt(store_location: Path | str) -> None:
    with Store.open(store_location) as store:
        store.save_snapshot(snapshot("b1"))
        store.save_snapshot(snapshot("b2"))
        attempt = start(store, banks=("b1", "b2"))
        store.record_response(attempt, response("q1", 1.0, bank="b1"))
        store.record_response(attempt, response("q1", 0.0, bank="b2"))
        store.finish_attempt(attempt)
        groups = {(g.group, g.id): g for g in stats_module.collect(store)}
        assert groups[("tag", "odd")].trend == (0.5,)
        assert groups[("tag", "odd")].attempts == 1
        within = {(g.group, g.id): g for g in stats_module.collect(store, bank="b2")}
        assert within[("tag", "odd")].trend == (0.0,)


def test_tags_learned_after_answers_are_counted(store_location: Path | str) -> None:
    with Store.open(store_location) as store:
        attempt = start(store)
        store.record_response(attempt, response("q1"))
        assert [g.group for g in stats_module.collect(store)] == ["bank"]
        store.save_snapshot(snapshot())
        assert {g.id for g in stats_module.collect(store)} == {"b1", "odd"}


def test_sparkline() -> None:
    assert stats_module.sparkline([0.0, 0.5, 1.0]) == "▁▅█"
    assert stats_module.sparkline([]) == ""


# --- two processes at once -------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, {root!r})
    from quiz.store.records import ResponseRecord
    from quiz.store import Store
    home, user, go = sys.argv[1], sys.argv[2], sys.argv[3]
    open(go + "." + user, "w").close()  # ready: imports done
    while not os.path.exists(go):
        time.sleep(0.001)
    with Store.open(home) as store:
        for i in range(500):
            attempt = store.start_attempt(
                user=user, banks=[("b1", "h1")], mode="take", seed=i, plan=[("b1", "q1")]
            )
            store.record_response(attempt, ResponseRecord("b1", "q1", "x", 1.0, 1.0, True))
            time.sleep(0.002)  # a learner's thinking time, much compressed
    print("done")
    """
)


@pytest.mark.slow
def test_two_processes_on_an_empty_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    go = tmp_path / "go"
    script = WRITER.format(root=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(home), user, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for user in ("left", "right")
    ]
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}.{user}").exists() for user in ("left", "right")):
        assert time.monotonic() < deadline, "the writers did not start"
        time.sleep(0.005)
    go.touch()  # both start together
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert "database is locked" not in err
        assert proc.returncode == 0, err
        assert out.strip() == "done"
    conn = raw(home / "scores.db")
    users = [row[0] for row in conn.execute("SELECT user_name FROM attempts ORDER BY rowid")]
    assert users.count("left") == users.count("right") == 500
    switches = sum(1 for a, b in itertools.pairwise(users) if a != b)
    assert switches >= 3, f"writes did not interleave ({switches} switches)"
    assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 1000
    assert [r[0] for r in conn.execute("SELECT name FROM migrations")] == [
        name for name, _ in MIGRATIONS
    ]


def test_a_long_list_sums_totals_as_a_page_does(
    store_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `scores list` to a pipe joins the totals summed once; a page looks them up per attempt.
    # Both must give the same rows: attempts of two banks, skipped answers, none at all.
    from quiz.store import attempts as attempt_rows

    with Store.open(store_location) as store:
        store.save_snapshot(snapshot())
        store.save_snapshot(snapshot("b2"))
        both = start(store, banks=("b1", "b2"))
        store.record_response(both, response("q1", 1.0))
        store.record_response(both, response("q2", 0.0, bank="b2"))
        store.finish_attempt(both)
        skipped = start(store, user="bob")
        store.record_response(skipped, response("q1", 0.0, value=None, skipped=True))
        start(store, user="carol")  # no answer at all
        partly = start(store, user="dan", banks=("b2",))
        store.record_response(partly, response("q3", 0.5, bank="b2"))

        def both_ways(**kw: object) -> tuple[object, object]:
            monkeypatch.setattr(attempt_rows, "_LOOKUP_ROWS", -1)  # always joined
            joined = store.attempt_page(**kw)  # type: ignore[arg-type]
            listed = store.summaries()
            monkeypatch.setattr(attempt_rows, "_LOOKUP_ROWS", 10**9)  # always looked up
            assert store.summaries() == listed
            # Banks read in one pass over every attempt's banks (most attempts listed), not
            # in chunks of ids: the same banks, in their order.
            monkeypatch.setattr(attempt_rows, "_CHUNK", 1)
            assert store.summaries() == listed
            monkeypatch.undo()
            return joined, store.attempt_page(**kw)  # type: ignore[arg-type]

        joined, looked_up = both_ways()
        assert joined == looked_up
        [two_banks] = [row for row in store.summaries() if row.id == both]
        assert [bank for bank, _ in two_banks.banks] == ["b1", "b2"]
        assert [row.user for row in looked_up.rows] == ["dan", "alice"]  # answers only
        assert looked_up.rows[1].score == 1.0 and looked_up.rows[1].max_score == 2.0
        for kw in ({"limit": 1}, {"limit": 1, "offset": 1}, {"user": "dan"}, {"bank": "b1"}):
            joined, looked_up = both_ways(**kw)
            assert joined == looked_up, kw


def test_attempt_summaries_are_the_records_the_constructor_makes() -> None:
    # `scores list` builds 10,000 summaries without the frozen __init__: they must be the same
    # records in every way a caller sees (equal, hashable alike, frozen, every field).
    from dataclasses import FrozenInstanceError, astuple

    from quiz.store.summaries import AttemptSummary, attempt_summaries

    values = [
        ("a1", "alice", (("b1", "h1"), ("b2", "h2")), "take", "finished", "2024-01-07T22:39",
         None, 7, 14, 12, 9.5, 14.0, 1, 2),
        ("a2", "bob", (), "exam", "in_progress", "2024-01-08T10:00", None, None, 3, 0, 0.0,
         0.0, 0, 0),
    ]  # fmt: skip
    built = attempt_summaries(iter(values))
    made = [AttemptSummary(*row) for row in values]
    assert built == made and [hash(b) for b in built] == [hash(m) for m in made]
    assert [astuple(b) for b in built] == [astuple(m) for m in made]
    assert [repr(b) for b in built] == [repr(m) for m in made]
    with pytest.raises(FrozenInstanceError):
        built[0].score = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError):  # a row short of a field is refused, not half-built
        attempt_summaries([values[0][:-1]])
