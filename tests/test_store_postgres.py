"""The class store's backend on PostgreSQL: choosing it (QUIZ_DB, --db), the dialect's one
connection (placeholders), what a user is told when the server is down or refuses them, schema
versions, who is answering, writers at once, and a connection dropped in the middle of a quiz.

The server is the one the tests start (tests/pg_server.py); every test gets a fresh database.
The tests that run the store's other tests on both backends use `store_location`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.cli import cli
from quiz.errors import StoreError
from quiz.store import Store, schema
from quiz.store.records import AttemptRecord, ResponseRecord
from quiz.store.schema import MIGRATIONS
from tests.conftest import use_store
from tests.pg_server import PostgresServer

ROOT = Path(__file__).resolve().parent.parent

BANK = """\
id: four
title: Four questions
questions:
  - {id: q1, kind: text, prompt: "One?", answer: one, explanation: One.}
  - {id: q2, kind: text, prompt: "Two?", answer: two, explanation: Two.}
  - {id: q3, kind: text, prompt: "Three?", answer: three, explanation: Three.}
  - {id: q4, kind: text, prompt: "Four?", answer: four, explanation: Four.}
"""


def admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.fixture
def role(postgres_server: PostgresServer, postgres_db: str) -> Iterator[tuple[str, str]]:
    """A login role of its own (roles are cluster-wide: a unique name), dropped afterwards:
    (name, its URL on the test's database, password in it)."""
    name = f"learner_{uuid.uuid4().hex[:10]}"
    password = uuid.uuid4().hex
    with admin(postgres_db) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
    dbname = postgres_db.rsplit("/", 1)[1]
    try:
        yield name, postgres_server.url(dbname, name, password)
    finally:
        with admin(postgres_db) as conn:
            conn.execute(f"DROP OWNED BY {name}")
            conn.execute(f"DROP ROLE {name}")


def grant_all(admin_url: str, name: str) -> None:
    """Let a role read and write every table (no row-level security: pg-class adds that)."""
    with admin(admin_url) as conn:
        conn.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {name}")
        conn.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}")


def without_password(url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    use_store(monkeypatch, url)
    return os.environ["QUIZ_DB"]


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input)


# --- the one connection: placeholders ---------------------------------------------------------


def test_placeholders_become_psycopgs_outside_literals() -> None:
    from quiz.store.dialect_pg import convert

    assert convert("SELECT a FROM t WHERE x = ? AND y IN (?, ?)") == (
        "SELECT a FROM t WHERE x = %s AND y IN (%s, %s)"
    )
    assert convert("SELECT '?', 'it''s ?', \"odd?name\" FROM t WHERE x LIKE ?") == (
        "SELECT '?', 'it''s ?', \"odd?name\" FROM t WHERE x LIKE %s"
    )
    assert convert("SELECT 100 % 7, '50%' -- why? 5%\nFROM t WHERE x = ?") == (
        "SELECT 100 %% 7, '50%%' -- why? 5%%\nFROM t WHERE x = %s"
    )
    assert convert("SELECT /* ? */ ? ESCAPE '\\'") == "SELECT /* ? */ %s ESCAPE '\\'"


_LITERAL = st.text(alphabet="ab?%' ", max_size=8).map(lambda t: "'" + t.replace("'", "''") + "'")


@given(st.lists(st.one_of(st.just("?"), _LITERAL, st.sampled_from(["x", " = ", "%", ", "]))))
def test_placeholders_are_counted_as_psycopg_counts_them(parts: list[str]) -> None:
    """Every `?` outside a literal is one `%s`; psycopg reads back the literals as written."""
    from quiz.store.dialect_pg import convert

    sql = "".join(parts)
    converted = convert(sql)
    expected = sum(1 for p in parts if p == "?")
    assert converted.replace("%%", "").count("%s") == expected
    # Undoing the doubling and the placeholders gives the statement back.
    assert converted.replace("%s", "?").replace("%%", "%") == sql


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.text(alphabet="ab?%'\" -\n", max_size=6), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_literals_and_parameters_reach_the_server_as_written(
    postgres_server: PostgresServer, parts: list[tuple[str, bool]]
) -> None:
    """A statement mixing string literals (holding ?, %, quotes) and `?` parameters, through
    the one connection, gives back exactly the literals and the parameters."""
    from quiz.store import dialect_pg

    items = ["?" if is_param else "'" + text.replace("'", "''") + "'" for text, is_param in parts]
    params = [text for text, is_param in parts if is_param]
    sql = "SELECT " + ", ".join(f"{item}::text" for item in items) + " -- why? 100%"
    conn = dialect_pg.connect(postgres_server.admin_url())
    try:
        row = conn.execute(sql, params).fetchone()
    finally:
        conn.close()
    assert list(row) == [text for text, _ in parts]


def test_queries_with_percent_and_question_marks_in_text(postgres_db: str) -> None:
    with Store.open(postgres_db) as store:
        attempt = store.start_attempt(
            user="50% ?", banks=[("b1", "h1")], mode="take", seed=1, plan=[("b1", "q?")]
        )
        store.record_response(attempt, ResponseRecord("b1", "q?", "100%? 'yes'", 1.0, 1.0, True))
        [record] = store.attempts(user="50% ?")
        assert record.responses[0].response == "100%? 'yes'"
        assert store.attempt(attempt[:4]).id == attempt  # LIKE ? ESCAPE '\'
        assert store.users() == ["50% ?"]


def test_nul_and_lone_surrogates_are_storable(postgres_db: str) -> None:
    with Store.open(postgres_db) as store:
        attempt = store.start_attempt(
            user="a\x00b\udcff", banks=[("b1", "h1")], mode="take", seed=1, plan=[]
        )
        assert store.attempt(attempt).user == "a\ufffdb\ufffd"
        assert store.users() == ["a\ufffdb\ufffd"]


def test_the_same_migrations_make_the_same_schema(postgres_db: str, tmp_path: Path) -> None:
    with Store.open(postgres_db) as pg, Store.open(tmp_path) as local:
        assert [n for n, _ in pg.migrations()] == [n for n, _ in local.migrations()]
        assert pg.schema_version == local.schema_version == len(MIGRATIONS)
        assert pg.is_class_store and not local.is_class_store
    import sqlite3

    local_db = sqlite3.connect(str(tmp_path / "scores.db"))
    local_columns = {
        table: [row[1] for row in local_db.execute(f"PRAGMA table_info({table})")]
        for (table,) in local_db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    local_db.close()
    with admin(postgres_db) as conn:
        pg_columns: dict[str, list[str]] = {}
        for table, column in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        ):
            pg_columns.setdefault(table, []).append(column)
    assert pg_columns == local_columns
    assert {"attempts", "responses", "snapshots", "migrations"} <= set(pg_columns)
    with Store.open(postgres_db) as again:  # opening again changes nothing
        assert len(again.migrations()) == len(MIGRATIONS)


# --- choosing the store ------------------------------------------------------------------------


def test_db_option_and_quiz_db_choose_the_class_store(
    postgres_db: str, monkeypatch: pytest.MonkeyPatch, quiz_home: Path
) -> None:
    url = without_password(postgres_db, monkeypatch)
    monkeypatch.delenv("QUIZ_DB")
    with Store.open(postgres_db) as store:
        attempt = store.start_attempt(
            user="zoe", banks=[("b1", "h1")], mode="take", seed=1, plan=[("b1", "q1")]
        )
        store.record_response(attempt, ResponseRecord("b1", "q1", "x", 1.0, 1.0, True))
    assert "zoe" not in run("scores", "list").output  # unset: the local store
    listed = run("--db", url, "scores", "list", "--all")
    assert listed.exit_code == 0, listed.output
    assert "zoe" in listed.output
    monkeypatch.setenv("QUIZ_DB", url)
    assert "zoe" in run("scores", "list").output
    assert run("scores", "path").output.strip() == url


def test_not_a_postgres_url_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("--db", "mysql://x/y", "scores", "list")
    assert result.exit_code == 2 and "postgresql://" in result.output
    monkeypatch.setenv("QUIZ_DB", "/tmp/scores.db")
    result = run("scores", "list")
    assert result.exit_code == 2 and "QUIZ_DB must be a postgresql:// URL" in result.output


def test_a_password_in_the_url_is_warned_about_and_never_printed(postgres_db: str) -> None:
    result = run("--db", postgres_db, "scores", "path")
    assert result.exit_code == 0, result.output
    assert "Warning: the class store's URL holds a password" in result.output
    password = postgres_db.split(":")[2].split("@")[0]
    assert password not in result.output
    assert "quiz_admin@127.0.0.1" in result.output


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://", None),  # everything from PG* variables
        ("postgresql:///course", None),  # the local socket
        ("postgres://ann@/course?host=/var/run/postgresql", None),
        ("postgresql://ann:secret@db.example.org:5432/course", "postgresql://ann@db.example.org:5432/course"),
        ("postgresql://ann:se/cr@t@db/course", "postgresql://ann@db/course"),
        ("postgresql://ann@db/course?sslmode=require&password=secret", "postgresql://ann@db/course?sslmode=require"),
        ("postgresql://ann@db/course?pass%77ord=secret", "postgresql://ann@db/course"),
        ("postgresql://h1:5432,h2:5433/course?target_session_attrs=any", None),
    ],
)  # fmt: skip
def test_a_url_is_shown_as_written_without_its_password(url: str, shown: str | None) -> None:
    """Messages, `scores path` and the resume hint show the URL libpq was given, less any
    password (None: there is none, the URL is shown as given): still a URL that reaches the
    same store."""
    from quiz.paths import shown_url, url_password

    assert shown_url(url) == (shown or url)
    assert url_password(url) == (shown is not None)  # warned about when there is one
    assert "secret" not in shown_url(url) and "cr@t" not in shown_url(url)


def test_pg_variables_name_the_class_store(
    postgres_server: PostgresServer, postgres_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libpq's PG* variables fill in what the URL leaves out (here: all of it)."""
    with Store.open(postgres_db) as store:
        attempt = store.start_attempt(
            user="zoe", banks=[("b1", "h1")], mode="take", seed=1, plan=[("b1", "q1")]
        )
        store.record_response(attempt, ResponseRecord("b1", "q1", "x", 1.0, 1.0, True))
    for name, value in (
        ("PGHOST", postgres_server.host),
        ("PGPORT", str(postgres_server.port)),
        ("PGUSER", postgres_server.superuser),
        ("PGDATABASE", postgres_db.rsplit("/", 1)[1]),
        ("PGPASSWORD", postgres_server.password),
    ):
        monkeypatch.setenv(name, value)
    listed = run("--db", "postgresql://", "scores", "list", "--all", "--json")
    assert listed.exit_code == 0, listed.output
    assert [a["user"] for a in json.loads(listed.output)] == ["zoe"]
    assert run("--db", "postgresql://", "scores", "path").output == "postgresql://\n"


def test_a_server_that_is_down_is_one_clear_message(
    postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run("--db", f"postgresql://nobody@127.0.0.1:{port}/class", "scores", "list")
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: cannot connect to the class store postgresql://nobody@127.0.0.1:{port}/class"
    )
    assert "Traceback" not in result.output and result.output.count("\n") == 1


def test_refused_credentials_say_where_the_password_comes_from(
    postgres_server: PostgresServer, postgres_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    dbname = postgres_db.rsplit("/", 1)[1]
    wrong = postgres_server.url(dbname, "quiz_admin", "not-the-password")
    result = run("--db", wrong, "scores", "list")
    assert result.exit_code == 1
    assert "password authentication failed" in result.output
    assert "~/.pgpass, the file PGPASSFILE names, or PGPASSWORD" in result.output
    missing = run("--db", postgres_server.url(dbname), "scores", "list")
    assert missing.exit_code == 1 and "the file PGPASSFILE names" in missing.output
    # PGPASSWORD and ~/.pgpass are read by libpq: no password on the command line.
    monkeypatch.setenv("PGPASSWORD", postgres_server.password)
    assert run("--db", postgres_server.url(dbname), "scores", "list").exit_code == 0
    monkeypatch.delenv("PGPASSWORD")
    pgpass = Path(os.environ["QUIZ_HOME"]) / "pgpass"
    pgpass.write_text(f"127.0.0.1:*:{dbname}:quiz_admin:{postgres_server.password}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    assert run("--db", postgres_server.url(dbname), "scores", "list").exit_code == 0


def test_psycopg_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg -> ImportError
    import quiz.store

    monkeypatch.delitem(sys.modules, "quiz.store.dialect_pg", raising=False)
    monkeypatch.delattr(quiz.store, "dialect_pg", raising=False)
    result = run("--db", "postgresql://alice@db.example.org/course", "scores", "list")
    assert result.exit_code == 1
    assert "pip install 'quiz[postgres]'" in result.output
    assert "Traceback" not in result.output


def test_help_never_needs_psycopg() -> None:
    code = (
        "import sys; from quiz.cli import cli\ntry:\n cli(['--help'])\nexcept SystemExit: pass\n"
        "print('psycopg' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().endswith("False") and "--db URL" in out.stdout


# --- versions ----------------------------------------------------------------------------------


def test_a_newer_class_store_is_refused_and_unchanged(postgres_db: str) -> None:
    with Store.open(postgres_db):
        pass
    with admin(postgres_db) as conn:
        conn.execute("INSERT INTO migrations VALUES ('m999_from_the_future', '2030-01-01')")
    with pytest.raises(StoreError) as refused:
        Store.open(postgres_db)
    message = str(refused.value)
    assert "was set up by a newer version of quiz than this one" in message
    assert "m999_from_the_future" in message and "pip install -U quiz" in message
    assert "password" not in message and "quiz_admin@127.0.0.1" in message
    with admin(postgres_db) as conn:
        assert conn.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS) + 1


def test_an_older_schema_is_migrated_by_its_owner_only(
    postgres_db: str, role: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name, learner = role
    monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS[:3])
    with Store.open(postgres_db) as old:
        assert old.schema_version == 3
    grant_all(postgres_db, name)
    monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS)
    with pytest.raises(StoreError) as refused:
        Store.open(learner)
    assert f"has schema 3, older than this quiz's ({len(MIGRATIONS)})" in str(refused.value)
    assert "ask your instructor to run `quiz class upgrade`" in str(refused.value)
    with pytest.raises(StoreError, match="quiz class upgrade"):
        Store.open(postgres_db, migrate=False)  # the owner, asked not to migrate
    with Store.open(postgres_db) as store:  # the owner (the instructor's role) migrates
        assert store.schema_version == len(MIGRATIONS)
        assert store.may_migrate()
    grant_all(postgres_db, name)
    with Store.open(learner) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert not store.may_migrate() and store.role() == name


def test_a_learner_on_an_empty_database_is_told_to_ask_for_class_init(
    role: tuple[str, str],
) -> None:
    _, learner = role
    with pytest.raises(StoreError, match="ask your instructor to run `quiz class init`"):
        Store.open(learner)


def test_a_learner_cannot_delete_scores_on_a_class_store(
    postgres_db: str, role: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name, learner = role
    with Store.open(postgres_db) as store:
        attempt = store.start_attempt(user=name, banks=[("b1", "h1")], mode="take", seed=1, plan=[])
    grant_all(postgres_db, name)
    use_store(monkeypatch, learner)
    result = run("scores", "delete", attempt, "--yes")
    assert result.exit_code == 1
    assert "deleting scores is the instructor's" in result.output
    with Store.open(postgres_db) as store:
        assert store.attempt(attempt).user == name
    use_store(monkeypatch, postgres_db)  # the instructor (the owner) may
    assert run("scores", "delete", attempt, "--yes").exit_code == 0


def test_driver_errors_become_store_errors(postgres_db: str, role: tuple[str, str]) -> None:
    """A role that may read the schema's version but not the scores: a clear StoreError (no
    driver exception), naming the store without its password."""
    name, learner = role
    with Store.open(postgres_db):
        pass
    with admin(postgres_db) as conn:
        conn.execute(f"GRANT SELECT ON migrations TO {name}")
    with Store.open(learner) as store:
        with pytest.raises(StoreError) as refused:
            store.attempts()
        message = str(refused.value)
        assert "your role may not do this" in message and "permission denied" in message
        assert f"postgresql://{name}@127.0.0.1" in message and "password" not in message
        with pytest.raises(StoreError, match="may not"):
            store.start_attempt(user=name, banks=[("b1", "h1")], mode="take", seed=1, plan=[])


def test_the_postgres_scheme_works_too(postgres_db: str) -> None:
    with Store.open(postgres_db.replace("postgresql://", "postgres://", 1)) as store:
        assert store.is_class_store and store.schema_version == len(MIGRATIONS)


# --- who is answering --------------------------------------------------------------------------


def test_on_a_class_store_the_learner_is_the_connected_role(
    postgres_db: str, role: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    name, learner = role
    with Store.open(postgres_db):
        pass
    grant_all(postgres_db, name)
    bank = tmp_path / "four.yaml"
    bank.write_text(BANK, encoding="utf-8")
    use_store(monkeypatch, learner)  # QUIZ_USER=tester is set too: the role wins
    result = run("take", str(bank), "--plain", "--no-shuffle", input="one\ntwo\nthree\nfour\n")
    assert result.exit_code == 0, result.output
    with Store.open(postgres_db) as store:
        [attempt] = store.attempts()
    assert attempt.user == name and attempt.status == "finished"
    assert [r.score for r in attempt.responses] == [1.0] * 4


def test_take_grade_and_study_record_on_either_store(
    store_location: Path | str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bank = tmp_path / "four.yaml"
    bank.write_text(BANK, encoding="utf-8")
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("answers:\n  q1: one\n  q2: nope\n", encoding="utf-8")
    use_store(monkeypatch, store_location)
    took = run("take", str(bank), "--plain", "--no-shuffle", input="one\ntwo\nx\nfour\n")
    assert took.exit_code == 0, took.output
    graded = run("grade", str(bank), str(sheet), "--json")
    assert graded.exit_code == 0, graded.output
    assert json.loads(graded.output)["score"] == 1.0
    studied = run("study", str(bank), "--plain", input="one\ntwo\nthree\nfour\n")
    assert studied.exit_code == 0, studied.output
    assert "Due today:" in studied.output
    listed = json.loads(run("scores", "list", "--json").output)
    # Locally QUIZ_USER (tester); on a class store the connected role (quiz_admin here).
    who = "tester" if isinstance(store_location, Path) else "quiz_admin"
    assert sorted((row["mode"], row["user"], row["score"]) for row in listed) == [
        ("grade", who, 1.0),
        ("study", who, 4.0),
        ("take", who, 3.0),
    ]


# --- writers at once ----------------------------------------------------------------------------

_CARD_WRITER = textwrap.dedent(
    """
    import sys
    from quiz.store import Store

    def bump(old):
        return "2030-01-01T00:00:00Z", str(int(old or 0) + 1)

    with Store.open(sys.argv[1]) as store:
        print("ready", flush=True)
        sys.stdin.readline()
        for _ in range(int(sys.argv[2])):
            store.update_card("alice", "b1", "q1", bump)
    """
)


def _processes(code: str, *args: str, count: int) -> list[subprocess.Popen[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for _ in range(count)
    ]
    return procs


def test_concurrent_read_then_write_loses_no_update(postgres_db: str) -> None:
    """Four processes each bump one study card 25 times (read its state, write state + 1): the
    write lock makes every read-then-write see the last committed write."""
    with Store.open(postgres_db):
        pass
    procs = _processes(_CARD_WRITER, postgres_db, "25", count=4)
    for proc in procs:  # all connected before any writes
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    with Store.open(postgres_db) as store:
        [card] = store.cards("alice")
    assert card.state == "100" and card.reviews == 100


_ANSWER_WRITER = textwrap.dedent(
    """
    import sys
    from quiz.store import Store
    from quiz.store.records import ResponseRecord

    shared, me = sys.argv[2], int(sys.argv[3])
    with Store.open(sys.argv[1]) as store:
        own = store.start_attempt(
            user=f"p{me}", banks=[("b1", "h1")], mode="take", seed=me,
            plan=[("b1", f"q{i}") for i in range(10)],
        )
        print("ready", flush=True)
        sys.stdin.readline()
        for i in range(10):
            score = float((i + me) % 2)
            for attempt in (shared, own):
                store.record_response(
                    attempt, ResponseRecord("b1", f"q{i}", f"{me}", score, 1.0, score == 1.0)
                )
    """
)


def test_answers_at_once_are_each_stored_once_with_fresh_totals(postgres_db: str) -> None:
    """Four learners' processes answer at once: each into its own attempt, and all four into
    one shared attempt, answering its questions again and again (the last answer stays). No
    error, every answer stored once, and the kept totals equal totals computed afresh."""
    from quiz.store import totals

    with Store.open(postgres_db) as store:
        shared = store.start_attempt(
            user="shared", banks=[("b1", "h1")], mode="take", seed=0, plan=[]
        )
    procs = _processes(_ANSWER_WRITER, postgres_db, shared, "0", count=1) + [
        proc
        for me in (1, 2, 3)
        for proc in _processes(_ANSWER_WRITER, postgres_db, shared, str(me), count=1)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    with Store.open(postgres_db) as store:
        attempts = {a.user: a for a in store.attempts()}
        assert len(attempts) == 5
        assert all(len(a.responses) == 10 for a in attempts.values())
        assert sorted(r.question_id for r in attempts["shared"].responses) == sorted(
            f"q{i}" for i in range(10)
        )
        kept = store.summaries()
        with store._write() as conn:
            totals.refresh(conn, None)
        assert store.summaries() == kept
        assert {s.user: s.score for s in kept if s.user != "shared"} == {
            "p0": 5.0,
            "p1": 5.0,
            "p2": 5.0,
            "p3": 5.0,
        }


def test_first_runs_at_once_migrate_once(postgres_db: str) -> None:
    code = textwrap.dedent(
        """
        import sys
        from quiz.store import Store
        sys.stdin.readline()
        with Store.open(sys.argv[1]) as store:
            print(store.schema_version)
        """
    )
    procs = _processes(code, postgres_db, count=4)
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert out.strip() == str(len(MIGRATIONS))
    with admin(postgres_db) as conn:
        assert conn.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


# --- a connection dropped mid-quiz --------------------------------------------------------------


def _terminate(admin_url: str, pid: int) -> None:
    """End one backend from the admin connection, and wait until it is gone."""
    import time

    with admin(admin_url) as conn:
        assert conn.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        for _ in range(500):
            row = conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
            if row is None:
                return
            time.sleep(0.01)
    raise AssertionError(f"backend {pid} still there")


def test_a_dropped_connection_keeps_every_answer_and_resume_continues(
    postgres_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bank = tmp_path / "four.yaml"
    bank.write_text(BANK, encoding="utf-8")
    use_store(monkeypatch, postgres_db)
    real = Store.record_response
    saved: list[str] = []

    def record(self: Store, attempt_id: str, response: ResponseRecord) -> None:
        if len(saved) == 2:  # between the second answer and the third
            _terminate(postgres_db, self._conn.raw.info.backend_pid)  # type: ignore[attr-defined]
        real(self, attempt_id, response)
        saved.append(response.question_id)

    monkeypatch.setattr(Store, "record_response", record)
    args = ["take", str(bank), "--plain", "--no-shuffle"]
    result = run(*args, input="one\nwrong\nthree\nfour\n")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "Error: lost the connection to the class store" in result.output
    assert "The answer in flight was not saved; the 2 answers given before it are kept." in (
        result.output
    )
    assert f"Resume with: quiz take {bank} --resume --plain" in result.output
    with Store.open(postgres_db) as store:
        [attempt] = store.attempts()
    assert [r.question_id for r in attempt.responses] == ["q1", "q2"]
    assert attempt.status == "in_progress"

    monkeypatch.setattr(Store, "record_response", real)
    resumed = run("take", str(bank), "--plain", "--resume", input="three\nfour\n")
    assert resumed.exit_code == 0, resumed.output
    assert "Resuming: 2 of 4 answered." in resumed.output
    with Store.open(postgres_db) as store:
        [attempt] = store.attempts()
    assert [r.question_id for r in attempt.responses] == ["q1", "q2", "q3", "q4"]
    assert [r.score for r in attempt.responses] == [1.0, 0.0, 1.0, 1.0]
    assert attempt.status == "finished"


# --- the same output on both ---------------------------------------------------------------------

_LIST_JSON = ["scores", "list", "--json"]
_SAME_OUTPUT = [
    ["scores", "list", "--all"],
    _LIST_JSON,
    ["scores", "stats"],
    ["scores", "stats", "--json"],
    ["scores", "stats", "--user", "learner03"],
    ["scores", "export"],
    *(
        ["scores", "report", "--by", by, "--format", fmt]
        for by in ("user", "question", "responses", "marks", "attempt")
        for fmt in ("table", "csv", "json", "md", "html")
    ),
    ["scores", "report", "--by", "question", "--attempts", "all", "--format", "json"],
    ["scores", "report", "--by", "question", "--attempts", "best", "--format", "csv"],
    ["scores", "report", "--by", "question", "--attempts", "last", "--format", "csv"],
    ["scores", "report", "--by", "user", "--user", "learner05", "--format", "json"],
    ["scores", "report", "--wide", "--format", "csv"],
    ["scores", "report", "--wide", "--grade", "mean", "--lms", "moodle", "--format", "csv"],
    ["scores", "show", "00000000-0000-0000-0000-000000001f41", "--json"],
    ["scores", "show", "00000000-0000-0000-0000-0000000003e8"],
]


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def test_every_report_is_the_same_on_both_backends(
    postgres_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One generated class (30 learners, 40 attempts, every kind, planted bad questions, an
    unfinished attempt), stored in a local file and on the server: every listing, statistic,
    report, format and export prints the same bytes."""
    from tests.class_gen import make_class

    made = make_class()
    attempts = [  # answered at a time of their own (not "now", which differs per store)
        replace(a, responses=tuple(replace(r, answered_at=a.started_at) for r in a.responses))
        for a in made.attempts
    ]
    unfinished = AttemptRecord(
        id="00000000-0000-4000-8000-000000000029",
        user="learner29",
        banks=(("class-exam", made.snapshot.content_hash),),
        mode="take",
        started_at="2024-06-03T08:00:00+00:00",
        status="in_progress",
        plan=(("class-exam", "port-choice"), ("class-exam", "giveaway")),
        responses=(
            ResponseRecord(
                "class-exam", "port-choice", "Rason", 1.0, 1.0, True, 4.0, "2024-06-03T08:00:09Z"
            ),
        ),
    )
    local = tmp_path / "local"
    for where in (local, postgres_db):
        with Store.open(where) as store:
            store.merge([*attempts, unfinished], [made.snapshot])
    monkeypatch.setenv("COLUMNS", "120")
    # The HTML and Markdown reports say when they were made: the same minute for both runs.
    monkeypatch.setattr("quiz.reports.render.generated_stamp", lambda: "2024-07-01 12:00 UTC")
    outputs: dict[str, list[str]] = {}
    for name, where in (("sqlite", local), ("postgres", postgres_db)):
        use_store(monkeypatch, where)
        if isinstance(where, Path):
            monkeypatch.delenv("QUIZ_DB", raising=False)
        found = []
        for args in _SAME_OUTPUT:
            result = run(*args)
            assert result.exit_code == 0, (name, args, result.output)
            found.append(result.output)
        outputs[name] = found
    differ = [
        " ".join(args)
        for args, on_sqlite, on_postgres in zip(
            _SAME_OUTPUT, outputs["sqlite"], outputs["postgres"], strict=True
        )
        if on_postgres != on_sqlite
    ]
    # Per-attempt score totals are sums of floats, which the two databases add in their own
    # order: `scores list --json` prints them in full and may differ in the last binary digit.
    # Every figure a report rounds is the same byte for byte.
    assert differ in ([], ["scores list --json"])
    listed = [json.loads(outputs[name][_SAME_OUTPUT.index(_LIST_JSON)]) for name in outputs]
    assert _rounded(listed[0]) == _rounded(listed[1])
    assert "learner29" in outputs["sqlite"][0]


def test_run_gives_a_module_function_the_stores_transaction(store_location: Path | str) -> None:
    """`Store.run`: statements of a store module, in one transaction with the store's dialect
    (the class store's role and policy statements use it)."""
    from quiz.store import dialect

    def count(conn: Any, table: str) -> tuple[int, str]:
        rows = conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE bank_id IN ({dialect.marks(2)})", ["b1", "b2"]
        ).fetchone()
        return int(rows[0]), dialect.NAME

    def fail(conn: Any) -> None:
        conn.execute(
            "INSERT INTO question_tags (bank_id, question_id, tag) VALUES (?, ?, ?)",
            ("b1", "q1", "t"),
        )
        raise RuntimeError("rolled back")

    with Store.open(store_location) as store:
        assert store.run(count, "snapshots", write=False) == (
            0,
            "sqlite" if isinstance(store_location, Path) else "postgresql",
        )
        with pytest.raises(RuntimeError):
            store.run(fail)
        assert store.run(count, "question_tags")[0] == 0
