"""Row-level security on a class store: each test connects as a learner's own role (the
password `quiz class add` wrote, never one in a URL) and tries what a learner must not do;
the instructor reads, grades and reports on everything.
"""

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
errors = psycopg.errors

ANSWERS = "1\n2\n9\n4\n"  # q03 wrong: 3 of 4
BOGUS = "sha256:" + "0" * 64  # a grading hash of no question


@pytest.fixture
def room(postgres_server: Any, postgres_db: str, tmp_path: Path) -> Iterator[ClassStore]:
    yield from class_fixture(postgres_server, postgres_db, tmp_path)


@pytest.fixture
def pair(room: ClassStore) -> tuple[ClassStore, str, str]:
    """Alice and Bob, each with one finished attempt (3 of 4 right), taken as themselves."""
    alice, bob = room.add("alice", "bob")
    for learner in (alice, bob):
        result = room.run(learner, ["take", "class-bank", "--plain", "--no-shuffle"], ANSWERS)
        assert result.exit_code == 0, result.output
        assert "Score: 3/4" in result.output
    graded = room.run(None, ["class", "grade"])
    assert graded.exit_code == 0, graded.output
    assert "Graded 8 responses in 2 attempts." in graded.output
    return room, alice, bob


def attempt_of(room: ClassStore, learner: str) -> str:
    with room.connect() as conn:
        row = conn.execute(
            "SELECT id FROM attempts WHERE user_name = %s ORDER BY started_at DESC", [learner]
        ).fetchone()
    assert row is not None
    return str(row[0])


def open_attempt(conn: Any, learner: str) -> str:
    """A new in-progress attempt of the learner's own, inserted as they may."""
    attempt_id = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO attempts (id, user_name, mode, quiz_key, seed, plan, started_at, status)"
        " VALUES (%s, %s, 'take', 'class-bank', 1, '[[\"class-bank\", \"q01\"]]',"
        " '2026-01-01T00:00:00+00:00', 'in_progress')",
        [attempt_id, learner],
    )
    conn.execute(
        "INSERT INTO attempt_banks (attempt_id, position, bank_id, content_hash)"
        " VALUES (%s, 0, 'class-bank', 'x')",
        [attempt_id],
    )
    return attempt_id


def answer(conn: Any, attempt_id: str, question: str, response: object, **extra: object) -> None:
    columns = ["attempt_id", "bank_id", "question_id", "response", "skipped", "answered_at"]
    values: list[object] = [attempt_id, "class-bank", question, json.dumps(response), 0]
    values.append("2026-01-01T00:00:01+00:00")
    for column, value in extra.items():
        columns.append(column)
        values.append(value)
    marks = ", ".join(["%s"] * len(values))
    conn.execute(f"INSERT INTO responses ({', '.join(columns)}) VALUES ({marks})", values)


def test_a_learner_reads_only_their_own_rows(pair: tuple[ClassStore, str, str]) -> None:
    room, alice, bob = pair
    theirs = attempt_of(room, bob)
    with room.connect(alice) as conn:
        users = {row[0] for row in conn.execute("SELECT user_name FROM attempts")}
        assert users == {alice}
        assert conn.execute("SELECT * FROM attempts WHERE id = %s", [theirs]).fetchall() == []
        assert (
            conn.execute("SELECT * FROM responses WHERE attempt_id = %s", [theirs]).fetchall() == []
        )
        assert (
            conn.execute("SELECT * FROM attempt_banks WHERE attempt_id = %s", [theirs]).fetchall()
            == []
        )
        assert {r[0] for r in conn.execute("SELECT user_name FROM attempt_scores")} <= {alice}
        assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 4
    # Through quiz itself: the learner's list is their own.
    listed = room.run(alice, ["scores", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert {a["user"] for a in json.loads(listed.output)} == {alice}


def test_a_learner_cannot_insert_an_attempt_for_another(pair: tuple[ClassStore, str, str]) -> None:
    room, alice, bob = pair
    with room.connect(alice) as conn:
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            open_attempt(conn, bob)
        mine = open_attempt(conn, alice)  # their own is fine
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO attempt_banks (attempt_id, position, bank_id, content_hash)"
                " VALUES (%s, 1, 'other', 'x')",
                [attempt_of(room, bob)],
            )
        # nor a finished attempt out of nothing (its answers would never have been open)
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO attempts (id, user_name, mode, quiz_key, plan, started_at,"
                " finished_at, status) VALUES (%s, %s, 'take', 'k', '[]', 'x', 'y', 'finished')",
                [str(uuid.uuid4()), alice],
            )
    assert mine


def test_a_learner_cannot_update_a_finished_attempt(pair: tuple[ClassStore, str, str]) -> None:
    room, alice, bob = pair
    finished = attempt_of(room, alice)
    with room.connect(alice) as conn:
        reopened = conn.execute(
            "UPDATE attempts SET status = 'in_progress', finished_at = NULL WHERE id = %s",
            [finished],
        )
        assert reopened.rowcount == 0
        closed = conn.execute(
            "UPDATE attempts SET status = 'abandoned' WHERE id = %s", [attempt_of(room, bob)]
        )
        assert closed.rowcount == 0  # not theirs: not even seen
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            conn.execute("UPDATE attempts SET user_name = %s WHERE id = %s", [bob, finished])
        # Their own attempt in progress: they may close it, once.
        mine = open_attempt(conn, alice)
        done = conn.execute(
            "UPDATE attempts SET status = 'finished', finished_at = 'now' WHERE id = %s", [mine]
        )
        assert done.rowcount == 1
        again = conn.execute("UPDATE attempts SET finished_at = 'later' WHERE id = %s", [mine])
        assert again.rowcount == 0
    with room.connect() as conn:
        rows = conn.execute(
            "SELECT id, status, finished_at FROM attempts WHERE id IN (%s, %s)", [finished, mine]
        ).fetchall()
    states = {row[0]: (row[1], row[2]) for row in rows}
    assert states[finished][0] == "finished" and states[finished][1] is not None
    assert states[mine] == ("finished", "now")


def test_a_learner_cannot_rewrite_a_response(pair: tuple[ClassStore, str, str]) -> None:
    room, alice, _ = pair
    with room.connect(alice) as conn:
        mine = open_attempt(conn, alice)
        answer(conn, mine, "q01", "7")
        with pytest.raises(errors.UniqueViolation):
            answer(conn, mine, "q01", "1")
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            conn.execute("UPDATE responses SET response = '\"1\"' WHERE attempt_id = %s", [mine])
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            conn.execute("DELETE FROM responses WHERE attempt_id = %s", [mine])
        stored = conn.execute(
            "SELECT response FROM responses WHERE attempt_id = %s", [mine]
        ).fetchall()
    assert stored == [('"7"',)]
    # quiz itself says so, rather than replacing the answer
    from quiz.errors import StoreError
    from quiz.store.records import ResponseRecord

    record = ResponseRecord("class-bank", "q01", "1", 1.0, 1.0, True)
    with room_store(room, alice) as store, pytest.raises(StoreError, match="cannot be changed"):
        store.record_response(mine, record)


def room_store(room: ClassStore, learner: str) -> Any:
    import os

    from quiz.app.classroom import open_class_store

    os.environ["PGPASSFILE"] = str(room.folder / f"{learner}.pgpass")
    return open_class_store(room.url(learner))


def test_a_forged_score_is_refused_and_answers_are_regraded(
    pair: tuple[ClassStore, str, str],
) -> None:
    room, alice, _ = pair
    with room.connect(alice) as conn:
        mine = open_attempt(conn, alice)
        for column, value in (("score", 1.0), ("max_score", 1.0), ("correct", 1), ("graded", 1)):
            with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
                answer(conn, mine, "q01", "1", **{column: value})
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            answer(conn, mine, "q01", "1", score=float("nan"))
        with pytest.raises(errors.CheckViolation):
            answer(conn, mine, "q01", "1", seconds=float("nan"))
        with pytest.raises(errors.CheckViolation):
            answer(conn, mine, "q01", "1", seconds=float("inf"))
        with pytest.raises(errors.InvalidTextRepresentation):  # not JSON
            conn.execute(
                "INSERT INTO responses (attempt_id, bank_id, question_id, response, skipped,"
                " answered_at) VALUES (%s, 'class-bank', 'q01', '[1', 0, 'x')",
                [mine],
            )
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            conn.execute(
                "INSERT INTO attempt_scores (attempt_id, scope, bank_id, tag, user_name,"
                " started_at, finished, score, max_score, answered, correct)"
                " VALUES (%s, 'bank', 'class-bank', '', %s, 'x', 1, 9, 9, 1, 1)",
                [mine, alice],
            )
        answer(conn, mine, "q01", "1")  # right
        answer(conn, mine, "q02", "5")  # wrong
        stored = conn.execute(
            "SELECT score, max_score, graded FROM responses WHERE attempt_id = %s", [mine]
        ).fetchall()
        assert stored == [(0.0, 0.0, 0), (0.0, 0.0, 0)]  # nothing claimed: ungraded
    # The attempt names a bank version the store has (the one alice's client saved).
    with room.connect() as conn:
        content_hash = conn.execute(
            "SELECT content_hash FROM snapshots WHERE bank_id = 'class-bank'"
        ).fetchone()[0]
        conn.execute(
            "UPDATE attempt_banks SET content_hash = %s WHERE attempt_id = %s",
            [content_hash, mine],
        )
    graded = room.run(None, ["class", "grade", "--json"])
    assert graded.exit_code == 0, graded.output
    assert json.loads(graded.output)["graded"] == 2
    with room.connect() as conn:
        rows = conn.execute(
            "SELECT question_id, score, max_score, correct, graded FROM responses"
            " WHERE attempt_id = %s ORDER BY question_id",
            [mine],
        ).fetchall()
    assert rows == [("q01", 1.0, 1.0, 1, 1), ("q02", 0.0, 1.0, 0, 1)]
    shown = room.run(None, ["scores", "show", mine, "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["score"] == 1


def test_the_server_checks_sizes_and_json_of_what_a_learner_writes(
    pair: tuple[ClassStore, str, str],
) -> None:
    """CHECK constraints, whatever a client sends: bounded sizes and durations, well-formed
    JSON in responses, plans and bank versions."""
    room, alice, _ = pair
    with room.connect(alice) as conn:
        mine = open_attempt(conn, alice)
        for column, value in (("seconds", -1.0), ("seconds", 1e12)):
            with pytest.raises(errors.CheckViolation):
                answer(conn, mine, "q01", "1", **{column: value})
        with pytest.raises(errors.CheckViolation):
            answer(conn, mine, "q01", "x" * (1024 * 1024 + 1))  # a response over 1 MiB
        with pytest.raises(errors.CheckViolation):
            answer(conn, mine, "q" * 1025, "1")
        with pytest.raises(errors.InvalidTextRepresentation):  # a plan that is not JSON
            conn.execute(
                "INSERT INTO attempts (id, user_name, mode, quiz_key, plan, started_at, status)"
                " VALUES (%s, %s, 'take', 'k', '[[', 'x', 'in_progress')",
                [str(uuid.uuid4()), alice],
            )
        with pytest.raises(errors.InvalidTextRepresentation):  # a bank version's questions
            conn.execute(
                "INSERT INTO snapshots (bank_id, content_hash, title, questions, saved_at)"
                " VALUES ('class-bank', 'bad', 'T', '{', 'x')"
            )
        answer(conn, mine, "q01", "1", seconds=12.5)  # within bounds: stored
        assert conn.execute(
            "SELECT count(*) FROM responses WHERE attempt_id = %s", [mine]
        ).fetchone() == (1,)


def test_a_forged_bank_version_grades_nothing_right(pair: tuple[ClassStore, str, str]) -> None:
    """A learner may save bank versions (their client does, for reports' question texts), so
    one may save a forged one: its own text and "right" answer for q01, and a version naming
    q02 by a grading hash of no question. The grade step grades by the instructor's bank alone:
    q01 is graded against the real answer (wrong), q02 matches no question of the
    instructor's and stays ungraded; q01's text and the title become the instructor's."""
    from dataclasses import replace

    from quiz.bank.loader import load_bank
    from quiz.store.records import ResponseRecord, snapshot_of

    room, alice, _ = pair
    real = snapshot_of(load_bank(room.banks / "class-bank.yaml"))
    q01, q02 = real.questions[:2]
    forged = replace(
        real,
        content_hash="forged",
        title="Forged title",
        questions=(
            # the real question's grading hash, copied, with a text and answer of its own
            replace(q01, prompt="Forged prompt", expected="999"),
            replace(q02, grading=BOGUS),
        ),
    )
    with room_store(room, alice) as store:
        store.save_snapshot(forged)
        mine = store.start_attempt(
            user=alice,
            banks=[("class-bank", "forged")],
            mode="take",
            seed=1,
            plan=[("class-bank", "q01"), ("class-bank", "q02")],
        )
        store.record_response(mine, ResponseRecord("class-bank", "q01", "999", 1.0, 1.0, True))
        store.record_response(mine, ResponseRecord("class-bank", "q02", "2", 1.0, 1.0, True))
        store.finish_attempt(mine)
    graded = room.run(None, ["class", "grade", "--json"])
    assert graded.exit_code == 0, graded.output
    assert json.loads(graded.output)["graded"] == 1 and json.loads(graded.output)["ungraded"] == 1
    with room.connect() as conn:
        rows = conn.execute(
            "SELECT question_id, score, max_score, correct, graded FROM responses"
            " WHERE attempt_id = %s ORDER BY question_id",
            [mine],
        ).fetchall()
    assert rows == [("q01", 0.0, 1.0, 0, 1), ("q02", 0.0, 0.0, 0, 0)]
    shown = json.loads(room.run(None, ["scores", "show", mine, "--json"]).output)
    assert (shown["score"], shown["max_score"]) == (0, 1)
    # The version is the instructor's where their bank vouches for it: q01 (its id and grading
    # hash match) and the title; q02, which no question of theirs matches, stays as saved.
    with room.connect() as conn:
        (title, questions) = conn.execute(
            "SELECT title, questions FROM snapshots WHERE content_hash = 'forged'"
        ).fetchone()
    kept = [(q["prompt"], q["expected"]) for q in json.loads(questions)]
    assert (title, kept) == ("A class bank", [("Type 1.", "1"), (q02.prompt, q02.expected)])
    assert "Forged" not in room.run(None, ["scores", "show", mine]).output


def test_a_bank_version_saved_first_by_a_learner_is_replaced_by_the_instructors(
    room: ClassStore,
) -> None:
    """The first copy of a bank version saved is kept, and a learner's role may save one: a
    learner who saves the class bank's version first, with texts, right options, tags and
    grading hashes of their own, must not have them shown in the instructor's reports (nor to
    other learners), nor leave everyone's answers ungraded: the grade step puts the
    instructor's copy of that version in its place before grading."""
    from dataclasses import replace

    from quiz.bank.loader import load_bank
    from quiz.store.records import snapshot_of

    alice, bob = room.add("alice", "bob")
    real = snapshot_of(load_bank(room.banks / "class-bank.yaml"))
    forged = replace(
        real,
        title="Forged title",
        questions=tuple(
            replace(q, prompt="Forged prompt", expected="0", tags=("forged",), grading=BOGUS)
            for q in real.questions
        ),
    )
    with room_store(room, alice) as store:
        store.save_snapshot(forged)  # before anyone took the quiz
    for learner in (alice, bob):
        taken = room.run(learner, ["take", "class-bank", "--plain", "--no-shuffle"], ANSWERS)
        assert taken.exit_code == 0, taken.output
    with room.connect(bob) as conn:  # what learners read, until the grade step
        (title,) = conn.execute("SELECT title FROM public_snapshots").fetchone()
    assert title == "Forged title"
    graded = room.run(None, ["class", "grade"])
    assert graded.exit_code == 0, graded.output
    # graded by the instructor's grading hashes, not left ungraded by the forged ones
    assert "Graded 8 responses in 2 attempts." in graded.output
    report = room.run(None, ["scores", "report", "--by", "question", "--format", "json"])
    assert report.exit_code == 0, report.output
    assert "Forged" not in report.output and "Type 1." in report.output
    with room.connect() as conn:
        stored = conn.execute("SELECT title, questions FROM snapshots").fetchall()
        tags = {row[0] for row in conn.execute("SELECT tag FROM question_tags")}
    assert [(t, json.loads(q)[0]["prompt"]) for t, q in stored] == [("A class bank", "Type 1.")]
    assert json.loads(stored[0][1])[0]["expected"] == "1" and "forged" not in tags
    for learner in (alice, bob):
        shown = room.run(learner, ["scores", "show", attempt_of(room, learner), "--json"])
        assert shown.exit_code == 0, shown.output
        assert "Forged" not in shown.output and "Type 1." in shown.output
    with room.connect(bob) as conn:
        (title, questions) = conn.execute(
            "SELECT title, questions FROM public_snapshots"
        ).fetchone()
    assert title == "A class bank" and json.loads(questions)[0]["expected"] == ""
    # nothing more to correct: the next step changes nothing
    with room.connect() as conn:
        before = conn.execute("SELECT xmin::text FROM snapshots").fetchall()
    assert room.run(None, ["class", "grade", "--all"]).exit_code == 0
    with room.connect() as conn:
        assert conn.execute("SELECT xmin::text FROM snapshots").fetchall() == before


def test_a_learner_cannot_read_the_answers(pair: tuple[ClassStore, str, str]) -> None:
    room, alice, _ = pair
    with room.connect(alice) as conn:
        assert conn.execute("SELECT bank_id, title FROM snapshots").fetchall() == [
            ("class-bank", "A class bank")
        ]
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            conn.execute("SELECT questions FROM snapshots")
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            conn.execute("SELECT * FROM snapshots")
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            conn.execute("UPDATE snapshots SET title = 'x'")
        # what learners read instead: every answer, explanation and grading hash blanked
        (questions,) = conn.execute("SELECT questions FROM public_snapshots").fetchone()
        assert {(q["expected"], q["explanation"], q["grading"]) for q in json.loads(questions)} == {
            ("", "", "")
        }
    with room.connect() as conn:
        assert '"expected": "1"' in conn.execute("SELECT questions FROM snapshots").fetchone()[0]
    # quiz's own commands work for the learner, without the answers
    attempt = attempt_of(room, alice)
    for args in (["scores", "show", attempt, "--json"], ["scores", "stats"], ["scores", "export"]):
        result = room.run(alice, args)
        assert result.exit_code == 0, result.output
        assert "It is 1." not in result.output and '"expected": "1"' not in result.output
    shown = room.run(None, ["scores", "show", attempt, "--json"])
    assert "It is 1." in shown.output  # the instructor sees them


def test_learners_read_only_the_allowed_fields_of_a_bank_version(
    pair: tuple[ClassStore, str, str],
) -> None:
    """What learners read of a bank version is an allow-list: a field the stored questions
    gain later (here "secret") never reaches them, published by the trigger or by setup."""
    from quiz.store.classroom import _PUBLIC_KEYS

    room, alice, _ = pair
    question = {
        "question_id": "q9",
        "kind": "choice",
        "prompt": "Which?",
        "max_score": 1.0,
        "expected": "b",
        "tags": ["t"],
        "options": ["a", "b"],
        "answers": ["b"],
        "difficulty": None,
        "grading": BOGUS,
        "explanation": "Because b.",
        "credits": [["b", 1.0]],
        "secret": "b is right",
    }
    with room.connect() as conn:
        conn.execute(
            "INSERT INTO snapshots (bank_id, content_hash, title, questions, saved_at)"
            " VALUES ('later-bank', 'h9', 'Later', %s, '2026-01-02T00:00:00+00:00')",
            [json.dumps([question])],
        )
    with room.connect(alice) as conn:
        (text,) = conn.execute(
            "SELECT questions FROM public_snapshots WHERE bank_id = 'later-bank'"
        ).fetchone()
    (shown,) = json.loads(text)
    assert "secret" not in shown and "b is right" not in text and "Because" not in text
    assert set(shown) == {*_PUBLIC_KEYS, "expected", "answers", "explanation", "grading", "credits"}
    assert (shown["expected"], shown["answers"], shown["grading"], shown["credits"]) == (
        "",
        [],
        "",
        [],
    )
    assert shown["options"] == ["a", "b"] and shown["prompt"] == "Which?"


def test_the_instructor_reads_everything_and_runs_every_report(
    pair: tuple[ClassStore, str, str],
) -> None:
    room, alice, bob = pair
    listed = room.run(None, ["scores", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    attempts = json.loads(listed.output)
    assert {a["user"] for a in attempts} == {alice, bob}
    assert all(a["score"] == 3 and a["max_score"] == 4 for a in attempts)  # graded by the step
    for by in ("user", "question", "attempt"):
        report = room.run(None, ["scores", "report", "--by", by, "--format", "json"])
        assert report.exit_code == 0, report.output
        assert json.loads(report.output)
    by_user = json.loads(room.run(None, ["scores", "report", "--format", "json"]).output)
    assert {(row["user"], row["best"]) for row in by_user["users"]} == {(alice, 75.0), (bob, 75.0)}
    stats = room.run(None, ["scores", "stats", "--json"])
    assert stats.exit_code == 0, stats.output
    status = room.run(None, ["class", "status", "--json"])
    rows = {row["name"]: row for row in json.loads(status.output)}
    assert rows[alice]["attempts"] == 1 and rows[alice]["responses"] == 4
    assert rows[alice]["ungraded"] == 0 and rows[alice]["last_activity"]


def test_the_instructor_records_for_any_learner(
    pair: tuple[ClassStore, str, str], tmp_path: Path
) -> None:
    room, alice, bob = pair
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("bank: class-bank\nanswers:\n  q01: 1\n  q02: 2\n")
    graded = room.run(None, ["grade", "class-bank", str(sheet), "--user", bob])
    assert graded.exit_code == 0, graded.output
    # local history moved in: exported from a SQLite store, imported --as the learner
    local = CliRunnerLocal(tmp_path / "home")
    assert local.run(["take", "class-bank", "--plain", "--no-shuffle"], "1\n2\n3\n4\n", room)
    mine = tmp_path / "mine.jsonl"
    assert local.run(["scores", "export", "-o", str(mine)], None, room)
    for _ in range(2):  # idempotent
        imported = room.run(None, ["scores", "import", str(mine), "--as", alice])
        assert imported.exit_code == 0, imported.output
    with room.connect() as conn:
        users = conn.execute(
            "SELECT user_name, count(*) FROM attempts GROUP BY user_name ORDER BY 1"
        ).fetchall()
    assert dict(users) == {alice: 2, bob: 2}
    # a learner may not import as another (nor at all: importing is the instructor's)
    refused = room.run(alice, ["scores", "import", str(mine), "--as", bob])
    assert refused.exit_code != 0


class CliRunnerLocal:
    """quiz on a local SQLite store (no QUIZ_DB), with the class's banks."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def run(self, args: list[str], input: str | None, room: ClassStore) -> bool:
        from click.testing import CliRunner

        from quiz.cli import cli

        env = {"QUIZ_HOME": str(self.home), "QUIZ_BANKS": str(room.banks), "QUIZ_DB": ""}
        result = CliRunner().invoke(cli, args, input=input, env=env)
        assert result.exit_code == 0, result.output
        return True


def test_a_learner_is_their_role(pair: tuple[ClassStore, str, str]) -> None:
    room, alice, bob = pair
    result = room.run(alice, ["take", "class-bank", "--plain", "--user", bob], ANSWERS)
    assert result.exit_code != 0
    assert "--user" in result.output
    for args in (["class", "status"], ["class", "grade"], ["class", "add", "eve"]):
        refused = room.run(alice, args)
        assert refused.exit_code == 1, refused.output
        assert "instructor" in refused.output
        assert "Traceback" not in refused.output


def test_class_commands_need_a_role_that_may_create_roles(room: ClassStore, tmp_path: Path) -> None:
    plain = room.name("plain")
    room.extra_roles.append(plain)
    with room.connect() as conn:
        conn.execute(f"CREATE ROLE \"{plain}\" LOGIN PASSWORD 'pw-{plain}'")
        conn.execute(f'GRANT "{room.groups[1]}" TO "{plain}"')  # an instructor, but no CREATEROLE
    env = {"QUIZ_DB": room.url(plain), "PGPASSWORD": f"pw-{plain}"}
    from click.testing import CliRunner

    from quiz.cli import cli

    for args in (["class", "init"], ["class", "add", "someone", "--dir", str(tmp_path)]):
        result = CliRunner().invoke(cli, args, env=env)
        assert result.exit_code == 1, result.output
        assert "CREATEROLE" in result.output and plain in result.output
        assert "Traceback" not in result.output
    # what it may do as an instructor: grade and read
    assert CliRunner().invoke(cli, ["class", "status"], env=env).exit_code == 0
