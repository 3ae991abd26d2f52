"""A throwaway PostgreSQL server for the tests: started by the tests themselves, on loopback.

`initdb` refuses to run as root (CI runs as root), so as root the server runs as an unprivileged
user (`postgres` when Debian's package made it, else `nobody`) with a data directory that user
owns, under the system temp dir rather than pytest's 0700 `tmp_path`. Not root: it runs as the
current user. The cluster has one superuser, `quiz_admin`, whose password is in `password`;
TCP connections need a password (scram-sha-256), as a class server's would.

Without the binaries or psycopg, `PostgresServer.start()` raises `Unavailable`, whose message
says what to install; the fixture turns that into a skip, or a failure when
`QUIZ_REQUIRE_POSTGRES=1` (as `.ci/run` sets).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

INSTALL_HINT = (
    "PostgreSQL tests need the server binaries (Debian: apt-get install postgresql) and "
    "psycopg (pip install 'psycopg[binary]', in the test extra)"
)


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says what is missing."""


def bindir() -> Path:
    """Where initdb and pg_ctl are: `pg_config --bindir`, else Debian's versioned dirs."""
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            candidates.append(out)
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise Unavailable(INSTALL_HINT)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> pwd.struct_passwd | None:
    """The unprivileged user to run the server as when we are root; None when we are not."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise Unavailable("running as root and no unprivileged user (postgres, nobody) to run initdb")


@dataclass
class PostgresServer:
    """One running cluster. `url(db, user)` names a database on it."""

    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="quiz-pg-")))
    superuser: str = "quiz_admin"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    host: str = "127.0.0.1"
    port: int = 0
    _bindir: Path | None = None
    _user: pwd.struct_passwd | None = None
    _databases: int = 0

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base / "run"

    def _cmd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        user = self._user

        def demote() -> None:  # runs in the child, before exec
            if user is not None:
                os.setgid(user.pw_gid)
                os.setgroups([])
                os.setuid(user.pw_uid)

        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        if user is not None:
            env["HOME"] = str(self.base)
        return subprocess.run(
            list(args),
            capture_output=True,
            text=True,
            check=check,
            env=env,
            preexec_fn=demote,  # no threads are running when the server starts
            cwd=self.base,
            timeout=120,
        )

    def start(self) -> PostgresServer:
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise Unavailable(INSTALL_HINT) from exc
        self._bindir = bindir()
        self._user = _run_as()
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        pwfile = self.base / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._user is not None:
            # The user must own (and be able to reach) its data, socket and password files.
            os.chmod(self.base, 0o755)
            for path in (self.base, self.socket_dir, pwfile):
                os.chown(path, self._user.pw_uid, self._user.pw_gid)
        try:
            self._cmd(
                str(self._bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                self.superuser,
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-sync",
            )
        except subprocess.CalledProcessError as exc:
            raise Unavailable(f"initdb failed: {exc.stderr.strip()[-500:]}") from exc
        pwfile.unlink()
        self.port = _free_port()
        options = (
            f"-c listen_addresses={self.host} -c port={self.port} "
            f"-c unix_socket_directories={self.socket_dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=64MB"
        )
        try:
            self._cmd(
                str(self._bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.base / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            )
        except subprocess.CalledProcessError as exc:
            log = (self.base / "server.log").read_text(errors="replace")[-1000:]
            raise Unavailable(f"pg_ctl start failed: {exc.stderr.strip()} {log}") from exc
        return self

    def stop(self) -> None:
        if self._bindir is not None and self.data.exists():
            self._cmd(
                str(self._bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "immediate",
                "stop",
                check=False,
            )
        shutil.rmtree(self.base, ignore_errors=True)

    def url(
        self, dbname: str = "postgres", user: str | None = None, password: str | None = None
    ) -> str:
        """A libpq URL on loopback TCP; the password is in it only when asked for."""
        who = quote(user or self.superuser, safe="")
        if password is not None:
            who += ":" + quote(password, safe="")
        return f"postgresql://{who}@{self.host}:{self.port}/{quote(dbname, safe='')}"

    def admin_url(self, dbname: str = "postgres") -> str:
        return self.url(dbname, self.superuser, self.password)

    def create_database(self, prefix: str = "quiz") -> str:
        """A new empty database (its name); each test that writes gets its own."""
        import psycopg

        self._databases += 1
        name = f"{prefix}_{os.getpid()}_{self._databases}"
        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.stop()
