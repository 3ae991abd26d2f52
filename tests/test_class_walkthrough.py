"""README "A class on one server", step by step as a new instructor and learner follow it: a
roster, the password file handed over (PGPASSFILE), a quiz taken with QUIZ_DB set, the
instructor's report; what a learner is told without their file; `scores path` and `scores
delete` on a class store.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quiz.cli import cli
from tests.class_setup import ClassStore, class_fixture
from tests.conftest import psycopg_or_skip

psycopg_or_skip()


@pytest.fixture
def room(postgres_server: Any, postgres_db: str, tmp_path: Path) -> Iterator[ClassStore]:
    yield from class_fixture(postgres_server, postgres_db, tmp_path)


def test_the_readme_walkthrough(room: ClassStore, tmp_path: Path) -> None:
    names = [room.name("alice"), room.name("bob")]
    roster = tmp_path / "roster.csv"
    roster.write_text("username,email\n" + "".join(f"{n},{n}@example.org\n" for n in names))
    added = room.run(None, ["class", "add", "--roster", str(roster), "--dir", str(room.folder)])
    assert added.exit_code == 0, added.output
    room.learners += names
    alice, bob = names
    url = next(
        line.split("QUIZ_DB=", 1)[1].strip()
        for line in added.output.splitlines()
        if f"QUIZ_DB=postgresql://{alice}@" in line
    )
    # Alice, on her machine: the URL printed, and the file she was given, nothing else.
    handed = tmp_path / "alice-home" / "alice.pgpass"
    handed.parent.mkdir()
    shutil.copy(room.folder / f"{alice}.pgpass", handed)
    handed.chmod(0o600)
    without = CliRunner().invoke(cli, ["scores", "list"], env={"QUIZ_DB": url})
    assert without.exit_code == 1 and "Traceback" not in without.output
    assert "no password supplied" in without.output
    assert "PGPASSFILE" in without.output and "~/.pgpass" in without.output
    env = {"QUIZ_DB": url, "PGPASSFILE": str(handed), "QUIZ_BANKS": str(room.banks)}
    taken = CliRunner().invoke(
        cli, ["take", "class-bank", "--plain", "--no-shuffle"], input="1\n2\n9\n4\n", env=env
    )
    assert taken.exit_code == 0 and "Score: 3/4" in taken.output, taken.output
    path = CliRunner().invoke(cli, ["scores", "path"], env=env)
    assert path.output.strip() == url  # a URL, and no password in it
    refused = CliRunner().invoke(cli, ["scores", "delete", "--user", alice, "--yes"], env=env)
    assert refused.exit_code == 1 and "the instructor's" in refused.output
    assert "nothing was deleted" in refused.output

    # The instructor's report covers every learner, graded by the instructor's banks.
    report = json.loads(room.run(None, ["scores", "report", "--format", "json"]).output)
    assert [(u["user"], u["finished_attempts"], u["best"]) for u in report["users"]] == [
        (alice, 1, 75.0)
    ]
    status = json.loads(room.run(None, ["class", "status", "--json"]).output)
    assert {r["name"]: r["responses"] for r in status} == {alice: 4, bob: 0}
    listed = json.loads(room.run(None, ["scores", "list", "--json"]).output)
    deleted = room.run(None, ["scores", "delete", listed[0]["id"], "--yes"])
    assert deleted.exit_code == 0, deleted.output
    assert deleted.output == (
        f"Deleted attempt {listed[0]['id']} from the class store"
        f" {room.server.url(room.database)}.\n"
    )
    assert room.server.password not in deleted.output
