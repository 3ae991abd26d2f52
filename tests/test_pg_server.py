"""The test PostgreSQL server starts, takes a password over TCP, and refuses a wrong one."""

from __future__ import annotations

import pytest

from tests.pg_server import PostgresServer


def test_server_answers_with_password(postgres_db: str) -> None:
    import psycopg

    with psycopg.connect(postgres_db) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
    assert version is not None and int(version[0]) >= 120000


def test_server_refuses_a_wrong_password(postgres_server: PostgresServer) -> None:
    import psycopg

    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(postgres_server.url("postgres", postgres_server.superuser, "wrong"))
