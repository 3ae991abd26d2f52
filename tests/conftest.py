"""Shared test setup: every test gets its own store, and hypothesis never times out on CI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

from tests.pg_server import INSTALL_HINT, PostgresServer, Unavailable

settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("dev", deadline=None, max_examples=50)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

os.environ["PROMPT_TOOLKIT_NO_CPR"] = "1"
os.environ.setdefault("NO_COLOR", "1")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def quiz_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private QUIZ_HOME for each test, and no stray QUIZ_USER/QUIZ_BANKS from the shell."""
    home = tmp_path_factory.mktemp("quiz-home")
    monkeypatch.setenv("QUIZ_HOME", str(home))
    monkeypatch.setenv("QUIZ_USER", "tester")
    monkeypatch.delenv("QUIZ_BANKS", raising=False)
    monkeypatch.delenv("QUIZ_TEST_SIGINT_AT", raising=False)
    # No test ever reaches a real class server named by the shell.
    monkeypatch.delenv("QUIZ_DB", raising=False)
    for name in [n for n in os.environ if n.startswith("PG")]:
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole run, started here on loopback (tests/pg_server.py).

    Skips with what to install when it cannot start, unless QUIZ_REQUIRE_POSTGRES=1 (CI).
    """
    server = start_postgres(os.environ.get("QUIZ_REQUIRE_POSTGRES") == "1")
    try:
        yield server
    finally:
        server.stop()


def psycopg_or_skip() -> ModuleType:
    """psycopg, for a module of class-store tests; without it the module skips saying what to
    install, or fails under QUIZ_REQUIRE_POSTGRES=1 (as `.ci/run` sets: there they must run)."""
    try:
        import psycopg
    except ImportError as exc:
        if os.environ.get("QUIZ_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"QUIZ_REQUIRE_POSTGRES=1 but no psycopg: {INSTALL_HINT}", pytrace=False)
        raise pytest.skip.Exception(INSTALL_HINT, allow_module_level=True) from exc
    return psycopg


def start_postgres(required: bool) -> PostgresServer:
    """A started test server; without one, a skip saying what to install, or a failure when
    it is `required` (QUIZ_REQUIRE_POSTGRES=1, as `.ci/run` sets)."""
    server = PostgresServer()
    try:
        return server.start()
    except Unavailable as exc:
        server.stop()
        if required:
            pytest.fail(f"QUIZ_REQUIRE_POSTGRES=1 but no PostgreSQL server: {exc}")
        pytest.skip(str(exc))


@pytest.fixture
def postgres_db(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh empty database on the test server, as the superuser's URL (password in it)."""
    name = postgres_server.create_database()
    try:
        yield postgres_server.admin_url(name)
    finally:
        postgres_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgres"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a test's store is, once per backend: a fresh home folder (SQLite), and a fresh
    database on the test server (PostgreSQL, as its superuser's URL). `Store.open` and
    `--db`/`QUIZ_DB` take either (see `use_store`)."""
    if request.param == "sqlite":
        return tmp_path / "store-home"
    url: str = request.getfixturevalue("postgres_db")
    return url


def use_store(monkeypatch: pytest.MonkeyPatch, location: Path | str) -> None:
    """Point the CLI at `location`: QUIZ_HOME for a folder, QUIZ_DB for a class store (its
    password in PGPASSWORD, as a user would keep it, not in the URL)."""
    if isinstance(location, Path):
        monkeypatch.setenv("QUIZ_HOME", str(location))
        return
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(location)
    if parts.password is not None:
        monkeypatch.setenv("PGPASSWORD", unquote(parts.password))
        location = location.replace(":" + parts.password + "@", "@", 1)
    monkeypatch.setenv("QUIZ_DB", location)
