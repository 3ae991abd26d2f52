"""The schema: named migrations, recorded in the database (`migrations`) and counted in its
schema version; a database written by a newer quiz is refused and never altered.

The DDL is standard SQL; column types that differ between databases are written `{identity}`
and `{real}` and filled in by the dialect.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quiz.errors import StoreError
from quiz.store import attempts, dialect, snapshots, totals
from quiz.times import utc_now

Migration = Callable[[dialect.Connection], None]

_M001_INITIAL = """
CREATE TABLE attempts (
    id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    mode TEXT NOT NULL,
    quiz_key TEXT NOT NULL,
    seed INTEGER,
    plan TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('in_progress', 'finished', 'abandoned'))
);
CREATE INDEX attempts_user_quiz ON attempts (user_name, quiz_key, status);
CREATE INDEX attempts_started ON attempts (started_at);
CREATE TABLE attempt_banks (
    attempt_id TEXT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    bank_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (attempt_id, bank_id)
);
CREATE INDEX attempt_banks_bank ON attempt_banks (bank_id, content_hash);
CREATE TABLE responses (
    id {identity},
    attempt_id TEXT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    bank_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    response TEXT NOT NULL,
    score {real} NOT NULL,
    max_score {real} NOT NULL,
    correct INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    seconds {real},
    answered_at TEXT NOT NULL,
    UNIQUE (attempt_id, bank_id, question_id)
);
CREATE TABLE snapshots (
    bank_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    questions TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (bank_id, content_hash)
);
"""

_M002_CARDS = """
CREATE TABLE cards (
    user_name TEXT NOT NULL,
    bank_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    due TEXT NOT NULL,
    state TEXT NOT NULL,
    reviewed_at TEXT,
    reviews INTEGER NOT NULL,
    PRIMARY KEY (user_name, bank_id, question_id)
);
CREATE INDEX cards_due ON cards (user_name, due);
"""

# The tables `quiz.store.totals` keeps up to date with every write.
_M003_ATTEMPT_SCORES = """
CREATE TABLE question_tags (
    bank_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (bank_id, question_id, tag)
);
CREATE TABLE attempt_scores (
    attempt_id TEXT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    scope TEXT NOT NULL CHECK (scope IN ('bank', 'tag', 'bank_tag')),
    bank_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    user_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished INTEGER NOT NULL,
    score {real} NOT NULL,
    max_score {real} NOT NULL,
    answered INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, scope, bank_id, tag)
);
CREATE INDEX attempt_scores_group ON attempt_scores
    (scope, bank_id, tag, finished, started_at, score, max_score, answered);
CREATE INDEX attempt_scores_user ON attempt_scores
    (user_name, scope, bank_id, tag, finished, started_at)
"""


def _script(sql: str) -> Migration:
    def run(conn: dialect.Connection) -> None:
        for statement in dialect.ddl(sql).split(";"):
            if statement.strip():
                conn.execute(statement)

    return run


def _m003(conn: dialect.Connection) -> None:
    _script(_M003_ATTEMPT_SCORES)(conn)
    snapshots.tag_every_snapshot(conn)
    # The totals are computed by m006, which the totals' statements need (its columns):
    # migrations run in order in one transaction, so no store is left between the two.


def _m004(conn: dialect.Connection) -> None:
    """Responses may be stored ungraded (`graded` = 0: no bank the instructor has could grade
    them); snapshots keep each question's grading hash, unknown ("") for the versions seen
    before: their attempts are matched by the whole bank's content hash."""
    conn.execute("ALTER TABLE responses ADD COLUMN graded INTEGER NOT NULL DEFAULT 1")
    snapshots.add_grading_field(conn)
    # The totals are recomputed by m006, which their statements need (attempt_scores.given):
    # pending migrations run in order in one transaction.


def _m005(conn: dialect.Connection) -> None:
    """Attempt ids in one canonical form; an attempt stored under two spellings becomes one."""
    attempts.canonicalise_ids(conn)
    # m006 recomputes every total (in the same transaction).


_M006_LIST_COUNTS = """
ALTER TABLE attempt_scores ADD COLUMN given INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempt_scores ADD COLUMN ungraded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN unanswered INTEGER NOT NULL DEFAULT 0;
CREATE INDEX attempts_newest ON attempts (started_at, id)
"""


def _m006(conn: dialect.Connection) -> None:
    """Per-attempt counts of answers given and of responses stored ungraded, kept with the
    totals (`scores list` pages through attempts without counting their responses); each
    attempt's count of planned questions without a response (`attempts.unanswered`: the
    reports look for those in the few attempts that have any); an index that walks attempts
    newest first (a page of them is read in order, not sorted); every total recomputed."""
    _script(_M006_LIST_COUNTS)(conn)
    totals.refresh(conn, None)


MIGRATIONS: list[tuple[str, Migration]] = [
    ("m001_initial", _script(_M001_INITIAL)),
    ("m002_cards", _script(_M002_CARDS)),
    ("m003_attempt_scores", _m003),
    ("m004_grading_hash", _m004),
    ("m005_canonical_attempts", _m005),
    ("m006_list_counts", _m006),
]


def inspect(conn: dialect.Connection) -> tuple[set[str], int, list[str]]:
    """The store's tables, schema version and applied migrations (read only)."""
    tables = dialect.table_names(conn)
    version = dialect.schema_version(conn)
    applied: list[str] = []
    if "migrations" in tables:
        applied = [row[0] for row in conn.execute("SELECT name FROM migrations ORDER BY name")]
    return tables, version, applied


def refuse_unknown(
    path: Path | str, tables: set[str], version: int, applied: list[str], *, how: str = ""
) -> None:
    """StoreError for a database a newer quiz wrote, or one that is not a score store. `how`
    says how to upgrade quiz (on a class store: the pip command)."""
    known = {name for name, _ in MIGRATIONS}
    unknown = [name for name in applied if name not in known]
    if version > len(MIGRATIONS) or unknown:
        raise StoreError(
            f"{path} was written by a newer version of quiz (schema {version}"
            + (f", migrations {', '.join(unknown)}" if unknown else "")
            + f"): upgrade quiz to use it{how}; it was left unchanged"
        )
    if "migrations" not in tables and (
        version or {t for t in tables if not dialect.is_internal_table(t)}
    ):
        raise StoreError(
            f"{path} is {dialect.DESCRIPTION} but not a quiz score store; it was left unchanged"
        )


def is_current(version: int, applied: list[str]) -> bool:
    return version == len(MIGRATIONS) and set(applied) == {name for name, _ in MIGRATIONS}


UPGRADE_QUIZ = " (pip install -U quiz)"


def open_class_store(
    conn: dialect.Connection, where: str, *, migrate: bool, upgrade_class: bool = False
) -> None:
    """Check (and, for the role owning it, migrate) a class store's schema as it is opened.

    A schema newer than this quiz is refused (whoever runs this quiz upgrades it); an older
    one is migrated only with `migrate` and by a role that may (the instructor's,
    `owns_schema`). Once `quiz class init` has set the store up, only `upgrade_class` (`quiz
    class init` again, `quiz class upgrade`) migrates it, since the grants and policies must
    follow; anyone else is told who must run `quiz class upgrade`."""
    tables, version, applied = inspect(conn)
    known = {name for name, _ in MIGRATIONS}
    unknown = [name for name in applied if name not in known]
    if version > len(MIGRATIONS) or unknown:
        raise StoreError(
            f"the class store {where} was set up by a newer version of quiz than this one"
            f" (schema {version}"
            + (f"; migrations {', '.join(unknown)}" if unknown else "")
            + f", this quiz knows {len(MIGRATIONS)}): upgrade quiz here{UPGRADE_QUIZ}; the"
            " store was left unchanged"
        )
    refuse_unknown(f"the class store {where}", tables, version, applied, how=UPGRADE_QUIZ)
    if is_current(version, applied):
        return
    from quiz.store.classroom import SETTINGS_TABLE

    set_up = SETTINGS_TABLE in tables
    owner = dialect.owns_schema(conn)
    if migrate and owner and (upgrade_class or not set_up):
        migrate_class_store(conn, where)
        return
    if "migrations" not in tables:
        raise StoreError(
            f"the class store {where} has no quiz schema yet: ask your instructor to run"
            " `quiz class init`"
        )
    who = "run" if owner else "ask your instructor to run"
    raise StoreError(
        f"the class store {where} has schema {version}, older than this quiz's"
        f" ({len(MIGRATIONS)}): {who} `quiz class upgrade`"
    )


def migrate_class_store(conn: dialect.Connection, where: str) -> None:
    """Apply every migration not yet applied to a class store (under the write lock, so two
    first runs at once apply them once)."""
    migrate(conn, f"the class store {where}", how=UPGRADE_QUIZ)


def check_readonly(path: Path) -> bool:
    """Look at an existing file through a read-only connection (nothing can be written);
    True if it is a store with every migration applied."""
    try:
        conn = dialect.connect_readonly(path)
    except dialect.Error as exc:
        raise StoreError(f"cannot open the score store {path}: {exc}") from exc
    try:
        # One read transaction: the tables, the version and the migrations must come from one
        # snapshot, or another process's first run can commit between two of the reads.
        conn.execute(dialect.BEGIN_READ)
        tables, version, applied = inspect(conn)
    except dialect.DatabaseError as exc:
        raise StoreError(
            f"{path} is not a usable score store ({exc}); it was left unchanged"
        ) from exc
    finally:
        conn.close()
    refuse_unknown(path, tables, version, applied)
    return is_current(version, applied)


def migrate(conn: dialect.Connection, path: Path | str, *, how: str = "") -> None:
    """Apply every migration not yet recorded, in one write transaction."""
    conn.execute(dialect.BEGIN_WRITE)
    try:
        tables, version, applied = inspect(conn)
        refuse_unknown(path, tables, version, applied, how=how)
        if "migrations" not in tables:
            conn.execute(
                "CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
        done = set(applied)
        for name, migration in MIGRATIONS:
            if name not in done:
                migration(conn)
                conn.execute(
                    "INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, utc_now())
                )
        if version != len(MIGRATIONS):
            dialect.set_schema_version(conn, len(MIGRATIONS))
        conn.execute("COMMIT")
    except BaseException:
        if dialect.in_transaction(conn):
            conn.execute("ROLLBACK")
        raise


def applied(conn: dialect.Connection) -> list[tuple[str, str]]:
    """(name, applied_at) of every applied migration, in order."""
    return [
        (row[0], row[1])
        for row in conn.execute("SELECT name, applied_at FROM migrations ORDER BY name")
    ]
