"""`quiz class init|add|status|grade|upgrade` as the instructor runs them (CliRunner), and what
each says to a role that may not."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quiz.cli import cli
from tests.class_setup import ClassStore, bank_text, class_fixture, drop_roles
from tests.conftest import psycopg_or_skip

psycopg = psycopg_or_skip()


@pytest.fixture
def room(postgres_server: Any, postgres_db: str, tmp_path: Path) -> Iterator[ClassStore]:
    yield from class_fixture(postgres_server, postgres_db, tmp_path)


def test_init_makes_the_groups_and_runs_again(room: ClassStore) -> None:
    learners, instructors = room.groups
    again = room.run(None, ["class", "init"])
    assert again.exit_code == 0, again.output
    assert f"learners' group {learners}, instructors' group {instructors}" in again.output
    with room.connect() as conn:
        roles = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY(%s)",
                [[learners, instructors]],
            )
        }
        owners = {
            r[0]
            for r in conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")
        }
        secured = {
            r[0]
            for r in conn.execute(
                "SELECT relname FROM pg_class WHERE relrowsecurity AND relkind = 'r'"
            )
        }
    assert roles == {learners: False, instructors: False}
    assert owners == {instructors}
    assert {"attempts", "attempt_banks", "responses", "attempt_scores", "cards"} <= secured


def test_add_writes_a_private_password_file_and_never_prints_it(room: ClassStore) -> None:
    name = room.name("ann")
    result = room.run(None, ["class", "add", name, "--dir", str(room.folder)])
    assert result.exit_code == 0, result.output
    room.learners.append(name)
    pgpass = room.folder / f"{name}.pgpass"
    assert stat.S_IMODE(pgpass.stat().st_mode) == 0o600
    host, port, database, user, password = pgpass.read_text().strip().split(":")
    assert (host, int(port), database, user) == (
        room.server.host,
        room.server.port,
        room.database,
        name,
    )
    assert len(password) >= 32 and password not in result.output
    assert f"QUIZ_DB=postgresql://{name}@{host}:{port}/{database}" in result.output
    assert "~/.pgpass" in result.output
    # the file is all the learner needs: libpq finds the password in it
    learner = CliRunner().invoke(cli, ["scores", "list"], env=room.learner_env(name))
    assert learner.exit_code == 0, learner.output
    # adding again keeps the password; --new-password issues one
    again = room.run(None, ["class", "add", name, "--dir", str(room.folder)])
    assert "already a learner" in again.output and pgpass.read_text().endswith(password + "\n")
    renewed = room.run(None, ["class", "add", name, "--dir", str(room.folder), "--new-password"])
    assert renewed.exit_code == 0 and "new password" in renewed.output
    assert room.password(name) != password
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(room.url(name), password=password).close()
    room.connect(name).close()


def test_add_reads_a_roster_and_refuses_bad_names(room: ClassStore, tmp_path: Path) -> None:
    names = [room.name("rita"), room.name("rob")]
    roster = tmp_path / "roster.csv"
    roster.write_text("username,email\n" + "".join(f"{n},{n}@example.org\n" for n in names))
    result = room.run(None, ["class", "add", "--roster", str(roster), "--dir", str(room.folder)])
    assert result.exit_code == 0, result.output
    room.learners += names
    assert sorted(p.stem for p in room.folder.glob("*.pgpass")) == sorted(names)
    for bad in ("pg_x", "a b", "x" * 64, "semi;colon", ""):
        refused = room.run(None, ["class", "add", bad, "--dir", str(room.folder)])
        assert refused.exit_code == 2, refused.output
        assert "Traceback" not in refused.output
    # a role that exists but is not this class's learner is left alone
    other = room.name("other")
    room.extra_roles.append(other)
    with room.connect() as conn:
        conn.execute(f'CREATE ROLE "{other}" LOGIN')
    skipped = room.run(None, ["class", "add", other, "--dir", str(room.folder)])
    assert skipped.exit_code == 0 and "skipped" in skipped.output
    assert not (room.folder / f"{other}.pgpass").exists()


def test_status_lists_learners_attempts_and_last_activity(room: ClassStore) -> None:
    (ann, bea) = room.add("ann", "bea")
    taken = room.run(ann, ["take", "class-bank", "--plain", "--no-shuffle"], "1\n2\n3\n")
    assert taken.exit_code == 130 or taken.exit_code == 0, taken.output  # stdin ends at q4
    status = room.run(None, ["class", "status", "--json"])
    assert status.exit_code == 0, status.output
    rows = {row["name"]: row for row in json.loads(status.output)}
    assert rows[ann]["attempts"] == 1 and rows[ann]["finished"] == 0
    assert rows[ann]["responses"] == 3 and rows[ann]["ungraded"] == 0  # graded first
    assert rows[ann]["last_activity"] and rows[bea]["last_activity"] is None
    table = room.run(None, ["class", "status"])
    assert ann in table.output and "never" in table.output and "2 learners" in table.output


def test_every_instructor_command_grades_first(room: ClassStore) -> None:
    (ann,) = room.add("ann")
    taken = room.run(ann, ["take", "class-bank", "--plain", "--no-shuffle"], "1\n2\n3\n9\n")
    assert taken.exit_code == 0, taken.output
    mine = json.loads(room.run(ann, ["scores", "list", "--json"]).output)
    assert (mine[0]["score"], mine[0]["max_score"]) == (0, 0)  # not graded yet: a claim
    listed = json.loads(room.run(None, ["scores", "list", "--json"]).output)
    assert (listed[0]["score"], listed[0]["max_score"]) == (3, 4)
    mine = json.loads(room.run(ann, ["scores", "list", "--json"]).output)
    assert (mine[0]["score"], mine[0]["max_score"]) == (3, 4)
    nothing = room.run(None, ["class", "grade"])
    assert "Graded 0 responses in 0 attempts." in nothing.output


def test_grade_leaves_what_no_bank_matches_until_asked(room: ClassStore, tmp_path: Path) -> None:
    (ann,) = room.add("ann")
    own = tmp_path / "own"
    own.mkdir()
    (own / "private-bank.yaml").write_text(bank_text(2, "private-bank"))
    env = {**room.learner_env(ann), "QUIZ_BANKS": str(own)}
    taken = CliRunner().invoke(
        cli, ["take", "private-bank", "--plain", "--no-shuffle"], input="1\n2\n", env=env
    )
    assert taken.exit_code == 0, taken.output
    first = room.run(None, ["class", "grade", "--json"])
    assert json.loads(first.output) == {"attempts": 1, "graded": 0, "ungraded": 2, "settled": 0}
    second = room.run(None, ["class", "grade", "--json"])
    assert json.loads(second.output)["attempts"] == 0  # remembered: not tried every time
    bank = own / "private-bank.yaml"
    retried = room.run(None, ["class", "grade", "--all", "--bank", str(bank), "--json"])
    assert json.loads(retried.output) == {"attempts": 1, "graded": 2, "ungraded": 0, "settled": 0}


def test_upgrade_is_the_instructors(room: ClassStore) -> None:
    (ann,) = room.add("ann")
    done = room.run(None, ["class", "upgrade"])
    assert done.exit_code == 0, done.output
    assert "grants and policies renewed" in done.output
    refused = room.run(ann, ["class", "upgrade"])
    assert refused.exit_code == 1
    assert "instructor" in refused.output and "Traceback" not in refused.output


def test_class_commands_need_a_class_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["class", "status"], env={"QUIZ_HOME": str(tmp_path)})
    assert result.exit_code == 2
    assert "postgresql://" in result.output


def test_init_on_an_unreachable_server_says_so(tmp_path: Path) -> None:
    url = "postgresql://nobody@127.0.0.1:1/none"
    result = CliRunner().invoke(cli, ["class", "init"], env={"QUIZ_DB": url})
    assert result.exit_code == 1
    assert "cannot connect" in result.output and "Traceback" not in result.output


def test_a_setup_from_another_version_asks_for_an_upgrade(room: ClassStore) -> None:
    (ann,) = room.add("ann")
    with room.connect() as conn:
        conn.execute("UPDATE class_settings SET value = '0' WHERE name = 'setup'")
    learner = room.run(ann, ["scores", "list"])
    assert learner.exit_code == 1
    assert "ask your instructor to run `quiz class upgrade`" in learner.output
    instructor = room.run(None, ["scores", "list"])
    assert instructor.exit_code == 1
    assert "run `quiz class upgrade`" in instructor.output
    assert room.run(None, ["class", "upgrade"]).exit_code == 0
    assert room.run(ann, ["scores", "list"]).exit_code == 0


def test_an_instructor_who_is_not_a_superuser(
    postgres_server: Any, postgres_db: str, tmp_path: Path
) -> None:
    """The usual set-up: the server's administrator makes a role with CREATEROLE that owns the
    course's database; that role runs everything."""
    from urllib.parse import unquote, urlsplit

    database = unquote(urlsplit(postgres_db).path.lstrip("/"))
    teacher = f"teach_{database.split('_', 1)[1]}"
    room = ClassStore(postgres_server, postgres_db, database, tmp_path / "pw", tmp_path)
    (tmp_path / "class-bank.yaml").write_text(bank_text())
    room.extra_roles.append(teacher)
    try:
        with room.connect() as conn:
            conn.execute(f"CREATE ROLE \"{teacher}\" LOGIN CREATEROLE PASSWORD 'pw-{teacher}'")
            conn.execute(f'ALTER DATABASE "{database}" OWNER TO "{teacher}"')
        env = {
            "QUIZ_DB": postgres_server.url(database, teacher),
            "PGPASSWORD": f"pw-{teacher}",
            "QUIZ_BANKS": str(tmp_path),
        }

        def teach(*args: str) -> Any:
            result = CliRunner().invoke(cli, list(args), env=env)
            assert result.exit_code == 0, result.output
            return result

        teach("class", "init")
        ann = room.name("ann")
        teach("class", "add", ann, "--dir", str(room.folder))
        room.learners.append(ann)
        taken = room.run(ann, ["take", "class-bank", "--plain", "--no-shuffle"], "1\n2\n3\n9\n")
        assert taken.exit_code == 0, taken.output
        listed = json.loads(teach("scores", "list", "--json").output)
        assert (listed[0]["user"], listed[0]["score"]) == (ann, 3)
        teach("class", "upgrade")
        assert ann in teach("class", "status").output
    finally:
        with room.connect() as conn:
            conn.execute(f'ALTER DATABASE "{database}" OWNER TO "{postgres_server.superuser}"')
        drop_roles(room)


def test_init_by_a_role_that_does_not_own_the_database_says_so(
    postgres_server: Any, postgres_db: str
) -> None:
    """CREATEROLE is not enough: quiz class init says the role must own the database (on
    PostgreSQL 15 only the owner may create in its public schema), and changes nothing."""
    from urllib.parse import unquote, urlsplit

    database = unquote(urlsplit(postgres_db).path.lstrip("/"))
    teacher = f"notowner_{database.split('_', 1)[1]}"
    with psycopg.connect(postgres_db, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE \"{teacher}\" LOGIN CREATEROLE PASSWORD 'pw-{teacher}'")
    try:
        env = {"QUIZ_DB": postgres_server.url(database, teacher), "PGPASSWORD": f"pw-{teacher}"}
        result = CliRunner().invoke(cli, ["class", "init"], env=env)
        assert result.exit_code == 1, result.output
        assert result.output == (
            f"Error: quiz class init needs to create tables in the database {database}, and"
            f" {teacher} may not: make {teacher} the database's owner (ALTER DATABASE"
            f" {database} OWNER TO {teacher}) or use the owner's role\n"
        )
        with psycopg.connect(postgres_db, autocommit=True) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()
            groups = conn.execute(
                "SELECT count(*) FROM pg_roles WHERE rolname LIKE %s", [f"{database}_%"]
            ).fetchone()
        assert tables == (0,) and groups == (0,)
    finally:
        with psycopg.connect(postgres_server.admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{teacher}"')
