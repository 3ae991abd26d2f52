"""A class store on the test server, set up as an instructor would (`quiz class init`, `quiz
class add`), for the class tests: each learner connects with their own role and the password
file `quiz class add` wrote (PGPASSFILE), never a password in a URL.

Roles are cluster-wide: the group roles are named after the test's database and learners get
the database's suffix, so tests never share a role; `drop_roles` removes them afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from click.testing import CliRunner, Result

from quiz.cli import cli

BANK = """\
id: class-bank
title: A class bank
questions:
{questions}
"""


def bank_text(count: int = 4, bank_id: str = "class-bank") -> str:
    """A bank of `count` number questions: question qNN's answer is NN."""
    questions = "".join(
        f"  - id: q{n:02d}\n    kind: number\n    prompt: Type {n}.\n    answer: {n}\n"
        f"    explanation: It is {n}.\n    tags: [t{n % 3}]\n"
        for n in range(1, count + 1)
    )
    return BANK.format(questions=questions).replace("class-bank", bank_id)


@dataclass
class ClassStore:
    server: Any  # tests.pg_server.PostgresServer
    admin_url: str  # the instructor (the test server's superuser); password in it
    database: str
    folder: Path  # where `quiz class add` wrote the .pgpass files
    banks: Path  # QUIZ_BANKS: the instructor's (and learners') banks
    learners: list[str] = field(default_factory=list)
    extra_roles: list[str] = field(default_factory=list)

    @property
    def groups(self) -> tuple[str, str]:
        return f"{self.database}_learners", f"{self.database}_instructors"

    def name(self, base: str) -> str:
        """A learner's role name unique to this test."""
        return f"{base}_{self.database.rsplit('_', 2)[-2]}_{self.database.rsplit('_', 1)[-1]}"

    def url(self, learner: str) -> str:
        return self.server.url(self.database, learner)

    def password(self, learner: str) -> str:
        line = (self.folder / f"{learner}.pgpass").read_text().strip()
        return line.rsplit(":", 1)[1]

    def learner_env(self, learner: str) -> dict[str, str]:
        return {
            "QUIZ_DB": self.url(learner),
            "PGPASSFILE": str(self.folder / f"{learner}.pgpass"),
            "QUIZ_BANKS": str(self.banks),
        }

    def admin_env(self) -> dict[str, str]:
        """The instructor: the server's superuser, password in PGPASSWORD (not the URL)."""
        return {
            "QUIZ_DB": self.server.url(self.database),
            "PGPASSWORD": self.server.password,
            "QUIZ_BANKS": str(self.banks),
        }

    def run(self, who: str | None, args: Sequence[str], input: str | None = None) -> Result:
        """`quiz ARGS` as this learner (None: the instructor), through CliRunner."""
        env = self.admin_env() if who is None else self.learner_env(who)
        return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)

    def connect(self, learner: str | None = None) -> Any:
        """A psycopg connection (autocommit) as this learner, or as the instructor."""
        import psycopg

        if learner is None:
            return psycopg.connect(self.admin_url, autocommit=True)
        return psycopg.connect(self.url(learner), password=self.password(learner), autocommit=True)

    def add(self, *bases: str) -> list[str]:
        names = [self.name(b) for b in bases]
        result = self.run(None, ["class", "add", *names, "--dir", str(self.folder)])
        assert result.exit_code == 0, result.output
        self.learners += names
        return names


def make_class(server: Any, admin_url: str, tmp_path: Path, bank_questions: int = 4) -> ClassStore:
    database = unquote(urlsplit(admin_url).path.lstrip("/"))
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "class-bank.yaml").write_text(bank_text(bank_questions))
    room = ClassStore(server, admin_url, database, tmp_path / "passwords", banks)
    result = room.run(None, ["class", "init"])
    assert result.exit_code == 0, result.output
    return room


def drop_roles(room: ClassStore) -> None:
    """Remove the test's roles from the cluster (their objects first, in the class database)."""
    import psycopg

    roles = [*room.learners, *room.extra_roles, *room.groups]
    with psycopg.connect(room.admin_url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
            " AND pid <> pg_backend_pid()",
            [room.database],
        )
        existing = [
            r[0]
            for r in conn.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", [roles])
        ]
        if existing:
            names = ", ".join(f'"{r}"' for r in existing)
            conn.execute(f"DROP OWNED BY {names} CASCADE")
    with psycopg.connect(room.server.admin_url(), autocommit=True) as conn:
        for role in roles:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def class_fixture(
    postgres_server: Any, postgres_db: str, tmp_path: Path, bank_questions: int = 4
) -> Iterator[ClassStore]:
    os.environ.pop("QUIZ_DB", None)
    room = make_class(postgres_server, postgres_db, tmp_path, bank_questions)
    try:
        yield room
    finally:
        drop_roles(room)
