"""The test PostgreSQL server: it starts, takes a password over TCP and refuses a wrong one; as
root it runs as an unprivileged user with a data directory of its own outside pytest's
tmp_path; without the binaries or psycopg the tests skip saying what to install (fail under
QUIZ_REQUIRE_POSTGRES=1); and no test ever sees a class server named by the shell."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pg_server
from tests.conftest import psycopg_or_skip, start_postgres
from tests.pg_server import INSTALL_HINT, PostgresServer, Unavailable

ROOT = Path(__file__).resolve().parent.parent


def test_server_answers_with_password(postgres_db: str) -> None:
    import psycopg

    with psycopg.connect(postgres_db) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
    assert version is not None and int(version[0]) >= 120000


def test_server_refuses_a_wrong_password(postgres_server: PostgresServer) -> None:
    import psycopg

    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(postgres_server.url("postgres", postgres_server.superuser, "wrong"))


def test_the_server_runs_as_the_owner_of_its_data_outside_tmp_path(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """initdb refuses root: as root (CI) the server is an unprivileged user's, with a data
    directory that user owns, not under pytest's 0700 base temp directory."""
    import psycopg

    data = postgres_server.data
    pid = int((data / "postmaster.pid").read_text().split()[0])
    runs_as = os.stat(f"/proc/{pid}").st_uid
    assert runs_as == data.stat().st_uid
    assert runs_as != 0 if os.geteuid() == 0 else runs_as == os.geteuid()
    assert stat.S_IMODE(data.stat().st_mode) in (0o700, 0o750)
    assert tmp_path_factory.getbasetemp().resolve() not in data.resolve().parents
    with psycopg.connect(postgres_server.admin_url()) as conn:
        (directory,) = conn.execute("SHOW data_directory").fetchone()  # type: ignore[misc]
    assert Path(directory).resolve() == data.resolve()


def _no_binaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_server.shutil, "which", lambda name: None)
    monkeypatch.setattr(pg_server.glob, "glob", lambda pattern: [])


def test_without_the_binaries_the_tests_skip_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_binaries(monkeypatch)
    with pytest.raises(Unavailable, match="apt-get install postgresql"):
        pg_server.bindir()
    with pytest.raises(pytest.skip.Exception) as skipped:
        start_postgres(required=False)
    assert INSTALL_HINT in str(skipped.value)
    with pytest.raises(pytest.fail.Exception) as failed:
        start_postgres(required=True)
    assert "QUIZ_REQUIRE_POSTGRES=1" in str(failed.value) and INSTALL_HINT in str(failed.value)


def test_without_psycopg_the_tests_skip_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg -> ImportError
    with pytest.raises(pytest.skip.Exception, match=r"pip install 'psycopg\[binary\]'"):
        start_postgres(required=False)


def test_class_test_modules_without_psycopg_skip_or_fail_under_require(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg -> ImportError
    monkeypatch.delenv("QUIZ_REQUIRE_POSTGRES", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        psycopg_or_skip()
    assert str(skipped.value) == INSTALL_HINT
    monkeypatch.setenv("QUIZ_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="QUIZ_REQUIRE_POSTGRES=1 but no psycopg"):
        psycopg_or_skip()


def test_the_environment_names_no_class_server() -> None:
    """Run by the next test with QUIZ_DB and PG* set in its environment: the autouse fixture
    has removed them."""
    assert "QUIZ_DB" not in os.environ
    assert [name for name in os.environ if name.startswith("PG")] == []


def test_a_class_server_named_by_the_shell_never_reaches_a_test(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QUIZ_DB": "postgresql://someone@db.example.org/course",
        "PGHOST": "db.example.org",
        "PGUSER": "someone",
        "PGPASSWORD": "secret",
        "PGDATABASE": "course",
    }
    this = f"{Path(__file__).relative_to(ROOT)}::test_the_environment_names_no_class_server"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", this],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
