"""The class store's own SQL (PostgreSQL only): the two group roles, the grants and row-level
security policies that let each learner's role write and read only its own rows, the CHECK
constraints, a learner's write path, and the instructor's grade step.

How scores stay the instructor's (docs/design.md, "The class store"): the report queries are
the ones the SQLite store runs, over `responses.score`/`max_score`/`correct`/`graded` and the
`attempt_scores` totals. A learner's role may INSERT a response only into the columns that say
what was answered (`LEARNER_RESPONSE_COLUMNS`): the score columns keep their defaults (0,
ungraded) and only the instructor's grade step fills them, with the instructor's grader; the
learner's role has no privilege at all on `attempt_scores`. So a learner's score is never
stored, only re-graded, and no report query had to change.

Roles: `<db>_learners` (each learner's login role is a member) and `<db>_instructors` (owns
every table, so its members migrate and bypass row-level security). Identifiers are quoted by
`ident`, never taken from a learner. Statements use `?` placeholders, as everywhere in the
store; the connection is the dialect's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quiz.errors import StoreError
from quiz.store import dialect_pg, totals
from quiz.store.records import AttemptRecord, BankSnapshot, ResponseRecord
from quiz.times import normalize_time, utc_now

if TYPE_CHECKING:
    from quiz.store.store import Store

# The tables the class setup adds beside the migrations' (never in the SQLite store).
SETTINGS_TABLE = "class_settings"
CHECKED_TABLE = "class_checked"  # responses the grade step found no bank for (instructors only)
# Bank versions as learners may read them: every answer, explanation and grading hash blanked
# (filled from `snapshots` by the instructor's side; learners read this, never `snapshots`).
PUBLIC_TABLE = "public_snapshots"
_BLANKS = '{"expected": "", "answers": [], "explanation": "", "grading": "", "credits": []}'
# What learners may read of a stored question (`records.question_snapshot_dict`'s keys): an
# allow-list, so that a field a later quiz adds to the stored questions stays hidden from them
# until it is named here. The answer fields are then written blank (`_BLANKS`).
_PUBLIC_KEYS: tuple[str, ...] = ("question_id", "kind", "prompt", "max_score", "tags", "options")
_PUBLIC_KEYS += ("difficulty", "formats")  # formats: each option's own (html...), no answer
# The class setup's own version (class_settings 'setup'): a quiz whose setup adds tables,
# grants or policies raises it, and the instructor runs `quiz class upgrade` to apply them.
SETUP_VERSION = "2"  # 2: a bank version a learner saves is published to learners at once
PUBLISH_FUNCTION = "quiz_publish_snapshot"

_CLASS_TABLES = f"""
CREATE TABLE IF NOT EXISTS {SETTINGS_TABLE} (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS {CHECKED_TABLE} (
    response_id BIGINT PRIMARY KEY, checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS {PUBLIC_TABLE} (
    bank_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    questions TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (bank_id, content_hash)
);
CREATE INDEX IF NOT EXISTS responses_ungraded ON responses (attempt_id) WHERE graded = 0;
CREATE INDEX IF NOT EXISTS attempt_scores_open ON attempt_scores (attempt_id) WHERE finished = 0
"""

# What a learner's role may do with each table (row-level security narrows it to their rows).
# A table not named here gets nothing: a later migration's table is the instructors' until a
# line here says otherwise.
LEARNER_RESPONSE_COLUMNS = (
    "attempt_id",
    "bank_id",
    "question_id",
    "response",
    "skipped",
    "seconds",
    "answered_at",
)
LEARNER_GRANTS: dict[str, tuple[str, ...]] = {
    "migrations": ("SELECT",),
    "schema_version": ("SELECT",),
    SETTINGS_TABLE: ("SELECT",),
    PUBLIC_TABLE: ("SELECT",),
    "attempts": ("SELECT", "INSERT", "UPDATE (status, finished_at)"),
    "attempt_banks": ("SELECT", "INSERT"),
    "responses": ("SELECT", f"INSERT ({', '.join(LEARNER_RESPONSE_COLUMNS)})"),
    # Everything but `questions` (right answers, explanations) may be read.
    "snapshots": (
        "SELECT (bank_id, content_hash, title, saved_at)",
        "INSERT (bank_id, content_hash, title, questions, saved_at)",
    ),
    "question_tags": ("SELECT",),
    "attempt_scores": ("SELECT",),
    "cards": ("SELECT", "INSERT", "UPDATE", "DELETE"),
}

_OWN_ATTEMPT = (
    "EXISTS (SELECT 1 FROM attempts a WHERE a.id = attempt_id AND a.user_name = current_user"
)
# (name, table, command, USING, WITH CHECK) for the learners' group; tables with row-level
# security enabled are those named here (the instructors own them, and owners bypass it).
POLICIES: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    ("learner_reads_own", "attempts", "SELECT", "user_name = current_user", None),
    (
        "learner_starts_own",
        "attempts",
        "INSERT",
        None,
        "user_name = current_user AND status = 'in_progress' AND finished_at IS NULL",
    ),
    (
        "learner_closes_own",
        "attempts",
        "UPDATE",
        "user_name = current_user AND status = 'in_progress'",
        "user_name = current_user AND status IN ('finished', 'abandoned')",
    ),
    ("learner_reads_own", "attempt_banks", "SELECT", _OWN_ATTEMPT + ")", None),
    (
        "learner_adds_own",
        "attempt_banks",
        "INSERT",
        None,
        _OWN_ATTEMPT + " AND a.status = 'in_progress')",
    ),
    ("learner_reads_own", "responses", "SELECT", _OWN_ATTEMPT + ")", None),
    (
        "learner_answers_own",
        "responses",
        "INSERT",
        None,
        _OWN_ATTEMPT + " AND a.status = 'in_progress')",
    ),
    ("learner_reads_own", "attempt_scores", "SELECT", "user_name = current_user", None),
    (
        "learner_keeps_own",
        "cards",
        "ALL",
        "user_name = current_user",
        "user_name = current_user",
    ),
)

_FINITE = "{c} <> 'NaN' AND {c} BETWEEN -1e6 AND 1e6"
# (name, table, condition): values finite and bounded, JSON well-formed, text of sane length.
# NaN is a valid float8 (and equal to itself there), so it is refused by name.
CHECKS: tuple[tuple[str, str, str], ...] = (
    (
        "quiz_responses_scores",
        "responses",
        f"{_FINITE.format(c='score')} AND {_FINITE.format(c='max_score')}",
    ),
    (
        "quiz_responses_seconds",
        "responses",
        "seconds IS NULL OR (seconds <> 'NaN' AND seconds BETWEEN 0 AND 31622400)",
    ),
    (
        "quiz_responses_flags",
        "responses",
        "correct IN (0, 1) AND skipped IN (0, 1) AND graded IN (0, 1)",
    ),
    (
        "quiz_responses_json",
        "responses",
        "octet_length(response) <= 1048576 AND (response::json) IS NOT NULL",
    ),
    (
        "quiz_responses_text",
        "responses",
        "octet_length(bank_id) <= 1024 AND octet_length(question_id) <= 1024"
        " AND octet_length(answered_at) <= 64",
    ),
    (
        "quiz_attempts_values",
        "attempts",
        "octet_length(id) <= 128 AND octet_length(user_name) <= 1024"
        " AND octet_length(started_at) <= 64 AND octet_length(coalesce(finished_at, '')) <= 64"
        " AND octet_length(quiz_key) <= 65536 AND octet_length(plan) <= 16777216"
        " AND (plan::json) IS NOT NULL",
    ),
    (
        "quiz_attempt_banks_values",
        "attempt_banks",
        "octet_length(bank_id) <= 1024 AND octet_length(content_hash) <= 1024"
        " AND position BETWEEN 0 AND 100000",
    ),
    (
        "quiz_snapshots_values",
        "snapshots",
        "octet_length(questions) <= 67108864 AND (questions::json) IS NOT NULL"
        " AND octet_length(title) <= 65536",
    ),
    ("quiz_cards_state", "cards", "octet_length(state) <= 65536 AND (state::json) IS NOT NULL"),
)

# What a learner's role cannot write gets these defaults: a response the grade step has not seen
# yet is stored ungraded, scoring nothing.
_RESPONSE_DEFAULTS = (("score", "0"), ("max_score", "0"), ("correct", "0"), ("graded", "0"))

ROLE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,62}")


def ident(name: str) -> str:
    """`name` as a quoted SQL identifier (a role or table name)."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def role_name_problem(name: str) -> str | None:
    """Why `name` cannot be a learner's login role (None if it can)."""
    if not ROLE_NAME.fullmatch(name) or len(name.encode()) > 63:
        return (
            "a learner's name must be 1 to 63 letters, digits and . _ - @ (starting with a"
            " letter or digit)"
        )
    if name.lower().startswith("pg_"):
        return "a learner's name cannot start with pg_ (the server's own roles)"
    return None


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677): the role
    is created with it, so the password itself never reaches the server or its logs."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


# --- who is connected ------------------------------------------------------------------------


@dataclass(frozen=True)
class Me:
    """The connected role and what it may do."""

    name: str
    superuser: bool
    createrole: bool
    database: str
    can_create_tables: bool


def me(conn: Any) -> Me:
    row = _execute(
        conn,
        "SELECT current_user, r.rolsuper, r.rolcreaterole, current_database(),"
        " has_schema_privilege(current_schema(), 'CREATE')"
        " FROM pg_roles r WHERE r.rolname = current_user",
    ).fetchone()
    return Me(str(row[0]), bool(row[1]), bool(row[2]), str(row[3]), bool(row[4]))


def _execute(conn: Any, sql: str, params: Sequence[object] = ()) -> Any:
    return conn.execute(sql, list(params))


def settings(conn: Any) -> dict[str, str] | None:
    """The class setup's settings (the two group roles), or None: not a class store."""
    found = _execute(
        conn,
        "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?",
        [SETTINGS_TABLE],
    ).fetchone()
    if found is None:
        return None
    return {
        str(k): str(v)
        for k, v in _execute(conn, f"SELECT name, value FROM {SETTINGS_TABLE}").fetchall()
    }


def role_of(conn: Any) -> str | None:
    """What the connected role is on this store: "instructor" (a member of the instructors'
    group, or a superuser), "learner", "none" (neither), or None: not a class store."""
    found = settings(conn)
    if found is None:
        return None
    row = _execute(
        conn,
        "SELECT pg_has_role(current_user, ?, 'USAGE'), pg_has_role(current_user, ?, 'USAGE')",
        [found["instructors"], found["learners"]],
    ).fetchone()
    return "instructor" if row[0] else "learner" if row[1] else "none"


def group_exists(conn: Any, name: str) -> tuple[bool, bool]:
    """(the role exists, it may log in)."""
    row = _execute(conn, "SELECT rolcanlogin FROM pg_roles WHERE rolname = ?", [name]).fetchone()
    return (row is not None, bool(row[0]) if row is not None else False)


# --- setting up the class --------------------------------------------------------------------


def setup(conn: Any, learners: str, instructors: str, tables: Iterable[str]) -> None:
    """Create (or bring up to date) the class: groups, ownership, grants, policies, checks.
    Idempotent: `quiz class init` again and `quiz class upgrade` run it after migrating.
    `tables`: every table of the store (the migrations'). Run it in one write transaction."""
    me_ = me(conn)
    for group in (learners, instructors):
        exists, login = group_exists(conn, group)
        if exists and login:
            raise StoreError(
                f"the role {group} exists and can log in: it cannot be a class's group role"
                " (choose other names with --learners/--instructors)"
            )
        if not exists:
            _execute(conn, f"CREATE ROLE {ident(group)} NOLOGIN")
    if not me_.superuser:
        _execute(conn, f"GRANT {ident(instructors)} TO {ident(me_.name)}")
    for statement in dialect_pg.ddl(_CLASS_TABLES).split(";"):
        if statement.strip():
            _execute(conn, statement)
    _execute(
        conn,
        f"INSERT INTO {SETTINGS_TABLE} (name, value)"
        " VALUES ('learners', ?), ('instructors', ?), ('setup', ?)"
        + dialect_pg.on_conflict_update(["name"], f"value = {dialect_pg.excluded('value')}"),
        [learners, instructors, SETUP_VERSION],
    )
    every = sorted({*tables, SETTINGS_TABLE, CHECKED_TABLE, PUBLIC_TABLE})
    _grant(conn, me_.database, learners, instructors, every)
    _secure_rows(conn, learners)
    _add_checks(conn)
    for column, default in _RESPONSE_DEFAULTS:
        _execute(conn, f"ALTER TABLE responses ALTER COLUMN {column} SET DEFAULT {default}")
    publish_snapshots(conn)
    _publish_on_insert(conn, instructors)


def _blanked(questions: str) -> str:
    """SQL for the JSON text of the questions `questions` (a column) holds, as learners may
    read them: the `_PUBLIC_KEYS` kept, every answer, explanation and grading hash blank."""
    kept = ", ".join(f"'{key}', q -> '{key}'" for key in _PUBLIC_KEYS)
    return (
        f"(SELECT CAST(COALESCE(json_agg(jsonb_build_object({kept}) || CAST('{_BLANKS}' AS jsonb)),"
        " '[]') AS TEXT)"
        f"  FROM jsonb_array_elements(CAST({questions} AS jsonb)) AS q)"
    )


def _publish_on_insert(conn: Any, instructors: str) -> None:
    """A trigger publishing each new bank version (the one a learner saves as they start a
    quiz) to `public_snapshots` at once, blanked as `publish_snapshots` does, so a learner's
    `scores show` has the question texts before any grade step. It runs as the instructors'
    group (SECURITY DEFINER), which owns both tables; learners still cannot write
    `public_snapshots` themselves, so what they read there is always a blanked `snapshots` row."""
    schema = str(_execute(conn, "SELECT current_schema()").fetchone()[0])
    function = f"{ident(schema)}.{ident(PUBLISH_FUNCTION)}"
    _execute(
        conn,
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql"
        f" SECURITY DEFINER SET search_path = {ident(schema)}, pg_temp AS $publish$ BEGIN"
        f" INSERT INTO {PUBLIC_TABLE} (bank_id, content_hash, title, questions, saved_at)"
        f" VALUES (NEW.bank_id, NEW.content_hash, NEW.title, {_blanked('NEW.questions')},"
        " NEW.saved_at) ON CONFLICT DO NOTHING; RETURN NEW; END $publish$",
    )
    _execute(conn, f"ALTER FUNCTION {function}() OWNER TO {ident(instructors)}")
    _execute(conn, f"REVOKE ALL ON FUNCTION {function}() FROM PUBLIC")
    _execute(conn, f"DROP TRIGGER IF EXISTS {ident(PUBLISH_FUNCTION)} ON snapshots")
    _execute(
        conn,
        f"CREATE TRIGGER {ident(PUBLISH_FUNCTION)} AFTER INSERT ON snapshots"
        f" FOR EACH ROW EXECUTE FUNCTION {function}()",
    )


def publish_snapshots(conn: Any) -> None:
    """Copy every bank version learners cannot read yet into `public_snapshots`, with each
    question's right answers, credits, explanation and grading hash blanked (a grading hash
    over a true/false answer would give the answer away)."""
    _execute(
        conn,
        f"INSERT INTO {PUBLIC_TABLE} (bank_id, content_hash, title, questions, saved_at)"
        f" SELECT s.bank_id, s.content_hash, s.title, {_blanked('s.questions')}, s.saved_at"
        f" FROM snapshots s WHERE NOT EXISTS (SELECT 1 FROM {PUBLIC_TABLE} p"
        " WHERE p.bank_id = s.bank_id AND p.content_hash = s.content_hash)"
        + dialect_pg.on_conflict_ignore(),
    )


def public_snapshots(
    conn: Any,
    keys: Iterable[tuple[str, str]] | None = None,
    bank_ids: Iterable[str] | None = None,
    newest: bool = False,
) -> list[BankSnapshot]:
    """Bank versions as a learner reads them (`snapshots.read`'s order: by bank, oldest
    first), of these keys or banks; `newest`: the last one per bank only."""
    from quiz.store.snapshots import decode_questions

    wanted = None if keys is None else set(keys)
    banks = None if bank_ids is None else set(bank_ids)
    found = [
        BankSnapshot(row[0], row[1], row[2], decode_questions(row[0], row[3]))
        for row in _execute(
            conn,
            f"SELECT bank_id, content_hash, title, questions FROM {PUBLIC_TABLE}"
            " ORDER BY bank_id, saved_at, content_hash",
        ).fetchall()
        if (wanted is None or (row[0], row[1]) in wanted) and (banks is None or row[0] in banks)
    ]
    if newest:
        return list({s.bank_id: s for s in found}.values())
    return found


def _grant(
    conn: Any, database: str, learners: str, instructors: str, tables: Sequence[str]
) -> None:
    db, lg, ig = ident(database), ident(learners), ident(instructors)
    _execute(conn, f"REVOKE ALL ON DATABASE {db} FROM PUBLIC")
    _execute(conn, f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {lg}, {ig}")
    schema = ident(str(_execute(conn, "SELECT current_schema()").fetchone()[0]))
    _execute(conn, f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC")
    _execute(conn, f"GRANT USAGE ON SCHEMA {schema} TO {lg}, {ig}")
    # the instructors' group owns the tables, so it must be allowed to create them there
    _execute(conn, f"GRANT CREATE ON SCHEMA {schema} TO {ig}")
    for table in tables:
        _execute(conn, f"ALTER TABLE {ident(table)} OWNER TO {ig}")
        _execute(conn, f"REVOKE ALL ON {ident(table)} FROM PUBLIC, {lg}")
        for privilege in LEARNER_GRANTS.get(table, ()):
            _execute(conn, f"GRANT {privilege} ON {ident(table)} TO {lg}")


def _secure_rows(conn: Any, learners: str) -> None:
    for table in sorted({p[1] for p in POLICIES}):
        _execute(conn, f"ALTER TABLE {ident(table)} ENABLE ROW LEVEL SECURITY")
    for name, table, command, using, check in POLICIES:
        _execute(conn, f"DROP POLICY IF EXISTS {ident(name)} ON {ident(table)}")
        sql = f"CREATE POLICY {ident(name)} ON {ident(table)} FOR {command} TO {ident(learners)}"
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        _execute(conn, sql)


def _add_checks(conn: Any) -> None:
    for name, table, condition in CHECKS:
        found = _execute(
            conn,
            "SELECT 1 FROM pg_constraint WHERE conname = ? AND conrelid = CAST(? AS regclass)",
            [name, table],
        ).fetchone()
        if found is None:
            _execute(
                conn, f"ALTER TABLE {ident(table)} ADD CONSTRAINT {ident(name)} CHECK ({condition})"
            )


# --- learners --------------------------------------------------------------------------------


def learner_state(conn: Any, name: str, learners: str) -> str:
    """ "new" (no such role), "learner" (a member of the class), or "other" (a role that is
    not this class's learner: left alone)."""
    row = _execute(
        conn,
        "SELECT pg_has_role(r.oid, CAST(? AS regrole), 'MEMBER'), r.rolsuper"
        " FROM pg_roles r WHERE r.rolname = ?",
        [ident(learners), name],
    ).fetchone()
    if row is None:
        return "new"
    return "learner" if row[0] and not row[1] else "other"


def create_learner(conn: Any, name: str, password: str, learners: str) -> None:
    _execute(
        conn,
        f"CREATE ROLE {ident(name)} LOGIN INHERIT PASSWORD {_literal(scram_verifier(password))}",
    )
    _execute(conn, f"GRANT {ident(learners)} TO {ident(name)}")


def set_password(conn: Any, name: str, password: str) -> None:
    _execute(conn, f"ALTER ROLE {ident(name)} PASSWORD {_literal(scram_verifier(password))}")


@dataclass(frozen=True)
class LearnerRow:
    name: str
    attempts: int
    finished: int
    responses: int
    ungraded: int
    last_activity: str | None
    enrolled: bool  # a member of the learners' group (False: rows left from a removed role)


def status(conn: Any, learners: str) -> list[LearnerRow]:
    """Every learner of the class (and anyone else with rows), with their attempts, responses
    and the time of their last answer, start or finish."""
    rows = _execute(
        conn,
        "WITH members AS (SELECT r.rolname AS name FROM pg_roles r"
        "   WHERE pg_has_role(r.oid, CAST(? AS regrole), 'MEMBER') AND r.rolcanlogin"
        "   AND NOT r.rolsuper),"
        " names AS (SELECT name FROM members UNION SELECT user_name FROM attempts),"
        " per_attempt AS (SELECT a.user_name, a.id, a.status,"
        "   GREATEST(a.started_at, COALESCE(a.finished_at, ''),"
        "     COALESCE(MAX(r.answered_at), '')) AS last_at,"
        "   COUNT(r.id) AS responses, COUNT(r.id) FILTER (WHERE r.graded = 0) AS ungraded"
        "   FROM attempts a LEFT JOIN responses r ON r.attempt_id = a.id"
        "   GROUP BY a.user_name, a.id, a.status, a.started_at, a.finished_at)"
        " SELECT n.name, COUNT(p.id), COUNT(p.id) FILTER (WHERE p.status = 'finished'),"
        "   COALESCE(SUM(p.responses), 0), COALESCE(SUM(p.ungraded), 0), MAX(p.last_at),"
        "   n.name IN (SELECT name FROM members)"
        " FROM names n LEFT JOIN per_attempt p ON p.user_name = n.name"
        " GROUP BY n.name ORDER BY n.name",
        [ident(learners)],
    ).fetchall()
    return [
        LearnerRow(str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), r[5] or None, bool(r[6]))
        for r in rows
    ]


# --- a learner's writes (their role cannot write scores or totals) ----------------------------


def answered(conn: Any, attempt_id: str, bank_id: str, question_id: str) -> bool:
    return (
        _execute(
            conn,
            "SELECT 1 FROM responses WHERE attempt_id = ? AND bank_id = ? AND question_id = ?",
            [attempt_id, bank_id, question_id],
        ).fetchone()
        is not None
    )


def insert_response(conn: Any, attempt_id: str, response: ResponseRecord) -> None:
    """A learner's answer: what was answered, never its score (the grade step's)."""
    import json

    if answered(conn, attempt_id, response.bank_id, response.question_id):
        raise StoreError(
            f"{response.bank_id}/{response.question_id} was answered already in this attempt:"
            " on a class store an answer cannot be changed once given"
        )
    started = _execute(
        conn, "SELECT started_at FROM attempts WHERE id = ?", [attempt_id]
    ).fetchone()
    when = normalize_time(response.answered_at) if response.answered_at else utc_now()
    _execute(
        conn,
        f"INSERT INTO responses ({', '.join(LEARNER_RESPONSE_COLUMNS)})"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            attempt_id,
            response.bank_id,
            response.question_id,
            json.dumps(response.response, ensure_ascii=False),
            1 if response.skipped else 0,
            None if response.seconds is None else float(response.seconds),
            max(when, str(started[0]) if started else ""),
        ],
    )


def latest_ungraded(conn: Any, user: str, bank_id: str) -> int:
    """How many questions of this bank have, as the user's latest response to them, one the
    grade step has not graded yet (skipped ones need no grading)."""
    row = _execute(
        conn,
        "SELECT COUNT(*) FROM (SELECT DISTINCT ON (r.question_id) r.graded, r.skipped"
        " FROM responses r JOIN attempts a ON a.id = r.attempt_id"
        " WHERE a.user_name = ? AND r.bank_id = ?"
        " ORDER BY r.question_id, r.answered_at DESC, r.id DESC) latest"
        " WHERE latest.graded = 0 AND latest.skipped = 0",
        [user, bank_id],
    ).fetchone()
    return int(row[0])


def waiting_answers(conn: Any) -> int:
    """Answers (not skips) the grade step has not graded yet, of the rows the connected role
    may read (a learner's: their own)."""
    row = _execute(
        conn, "SELECT COUNT(*) FROM responses WHERE graded = 0 AND skipped = 0"
    ).fetchone()
    return int(row[0])


def close_attempt(conn: Any, attempt_id: str, finished_at: str) -> None:
    """A learner finishes their own attempt (the totals follow at the next grade step)."""
    _execute(
        conn,
        "UPDATE attempts SET status = 'finished', finished_at = ?"
        " WHERE id = ? AND status = 'in_progress'",
        [finished_at, attempt_id],
    )


def offer_snapshot(conn: Any, snapshot: BankSnapshot) -> None:
    """A learner's copy of a bank version, kept if the store has none (it describes questions
    in reports; grades come from the instructor's banks, matched by grading hash)."""
    from quiz.store.snapshots import encode_questions

    _execute(
        conn,
        "INSERT INTO snapshots (bank_id, content_hash, title, questions, saved_at)"
        " VALUES (?, ?, ?, ?, ?)" + dialect_pg.on_conflict_ignore(),
        [
            snapshot.bank_id,
            snapshot.content_hash,
            snapshot.title,
            encode_questions(snapshot),
            utc_now(),
        ],
    )


# --- the instructor's grade step ---------------------------------------------------------------


def to_grade(conn: Any, everything: bool = False) -> list[str]:
    """Attempts with responses no grade step has looked at yet (`everything`: with any
    ungraded response), oldest first."""
    unchecked = (
        ""
        if everything
        else f" AND NOT EXISTS (SELECT 1 FROM {CHECKED_TABLE} c WHERE c.response_id = r.id)"
    )
    return [
        str(row[0])
        for row in _execute(
            conn,
            "SELECT a.id FROM attempts a WHERE a.id IN (SELECT r.attempt_id FROM responses r"
            f" WHERE r.graded = 0{unchecked}) ORDER BY a.started_at, a.id",
        ).fetchall()
    ]


def unsettled(conn: Any) -> list[str]:
    """Finished attempts whose totals still say in progress (a learner finished them)."""
    return [
        str(row[0])
        for row in _execute(
            conn,
            "SELECT a.id FROM attempts a WHERE a.status = 'finished' AND a.id IN"
            " (SELECT s.attempt_id FROM attempt_scores s WHERE s.finished = 0)",
        ).fetchall()
    ]


def mark_checked(conn: Any, attempt_ids: Sequence[str]) -> None:
    """Remember the responses of these attempts still ungraded after a grade step (no bank of
    the instructor's matched them): the next step skips them (`quiz class grade --all` and
    `quiz scores regrade` try them again)."""
    now = utc_now()
    for start in range(0, len(attempt_ids), 500):
        chunk = list(attempt_ids[start : start + 500])
        _execute(
            conn,
            f"INSERT INTO {CHECKED_TABLE} (response_id, checked_at) SELECT r.id, ? FROM"
            f" responses r WHERE r.graded = 0 AND r.attempt_id IN ({dialect_pg.marks(len(chunk))})"
            + dialect_pg.on_conflict_ignore(),
            [now, *chunk],
        )


def correct_snapshots(conn: Any, official: Iterable[BankSnapshot]) -> int:
    """Put the instructor's own copy of these bank versions in place of what a learner saved.
    A learner's role may save a bank version (its client does, as a quiz starts), and the first
    copy saved is kept: its title, question texts, right options and tags are a learner's claim,
    which reports would show the instructor (and the blanked copy, other learners) until the
    grade step puts the instructor's copy of the same version in its place. How many changed."""
    from quiz.store.snapshots import encode_questions

    changed = 0
    for snapshot in official:
        text = encode_questions(snapshot)
        key = [snapshot.bank_id, snapshot.content_hash]
        done = _execute(
            conn,
            "UPDATE snapshots SET title = ?, questions = ? WHERE bank_id = ? AND content_hash = ?"
            " AND (title <> ? OR questions <> ?)",
            [snapshot.title, text, *key, snapshot.title, text],
        )
        if done.rowcount:
            changed += 1
            _execute(
                conn,
                f"UPDATE {PUBLIC_TABLE} SET title = ?, questions = {_blanked('CAST(? AS TEXT)')}"
                " WHERE bank_id = ? AND content_hash = ?",
                [snapshot.title, text, *key],
            )
    return changed


def tag_snapshots(conn: Any, snapshots: Iterable[BankSnapshot]) -> None:
    """The tags of bank versions learners saved (their role cannot write `question_tags`)."""
    totals.insert_tags(conn, [q for s in snapshots for q in s.questions])


# --- the class room: the facade the use cases call ---------------------------------------------


@dataclass(frozen=True)
class GradeCounts:
    attempts: int = 0  # attempts with responses graded now
    graded: int = 0  # responses graded now
    ungraded: int = 0  # responses no bank of the instructor's matched (left ungraded)
    settled: int = 0  # finished attempts whose totals were brought up to date


Grader = Callable[[list[AttemptRecord], list[BankSnapshot]], list[AttemptRecord]]
# The instructor's own copies of those of these bank versions the instructor has.
Official = Callable[[list[BankSnapshot]], list[BankSnapshot]]


class ClassRoom:
    """The class store's own operations on an open `Store`: each runs this module's statements
    through `Store.run` (one transaction, the store's dialect and error boundary)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def me(self) -> Me:
        return self.store.run(me, write=False)

    def settings(self) -> dict[str, str] | None:
        return self.store.run(settings, write=False)

    def role(self) -> str | None:
        return self.store.run(role_of, write=False)

    def setup(self, learners: str, instructors: str) -> None:
        self.store.run(_setup_store, learners, instructors)
        self.store.forget_class_role()  # the setup may have changed it

    def add_learner(
        self, name: str, password: str, *, replace_password: bool, keep: Callable[[], None]
    ) -> str:
        """Create the learner's role (or give an existing learner this new password, when
        `replace_password`); what was done: "created", "password", "exists", "other". `keep`
        (writing the password where the instructor finds it) runs before the commit: if it
        fails, no role is left with a password nobody has."""
        return self.store.run(_add_learner, name, password, replace_password, keep)

    def status(self) -> list[LearnerRow]:
        return self.store.run(_status, write=False)

    def grade(
        self, grader: Grader, *, official: Official | None = None, everything: bool = False
    ) -> GradeCounts:
        """The grade step: every response no grade step has looked at (`everything`: every
        ungraded one) graded by `grader`, the bank versions those attempts name replaced by
        the instructor's copies (`official`) where the instructor has them, the attempts'
        totals recomputed, and the totals of attempts learners finished since brought up to
        date. A write transaction per chunk of attempts (learners' answers wait for one
        chunk, never for the whole step)."""
        ids = self.store.run(to_grade, everything, write=False)
        counts = [0, 0, 0]
        for start in range(0, len(ids), GRADE_CHUNK):
            chunk = ids[start : start + GRADE_CHUNK]
            done = self.store.run(_grade_chunk, chunk, grader, official)
            counts = [a + b for a, b in zip(counts, done, strict=True)]
        settled = self.store.run(_settle)
        return GradeCounts(len(ids), counts[1], counts[2], settled)

    def target(self) -> tuple[str, int, str]:
        """(host or socket folder, port, database) of the connection, as libpq made it."""
        return self.store.run(_target, write=False)


def _groups(conn: Any) -> dict[str, str]:
    found = settings(conn)
    if found is None:
        raise StoreError("this store is not a class store yet: run `quiz class init` first")
    return found


def _setup_store(conn: Any, learners: str, instructors: str) -> None:
    tables = {t for t in dialect_pg.table_names(conn) if not dialect_pg.is_internal_table(t)}
    setup(conn, learners, instructors, tables)


def _add_learner(
    conn: Any, name: str, password: str, replace_password: bool, keep: Callable[[], None]
) -> str:
    learners = _groups(conn)["learners"]
    state = learner_state(conn, name, learners)
    if state == "new":
        create_learner(conn, name, password, learners)
    elif state == "learner" and replace_password:
        set_password(conn, name, password)
    else:
        return "exists" if state == "learner" else "other"
    keep()
    return "created" if state == "new" else "password"


def _status(conn: Any) -> list[LearnerRow]:
    return status(conn, _groups(conn)["learners"])


def _settle(conn: Any) -> int:
    """Publish new bank versions to learners, and bring the totals of attempts learners
    finished up to date; how many attempts that was."""
    publish_snapshots(conn)
    settle = unsettled(conn)
    totals.refresh(conn, settle)
    return len(settle)


def _target(conn: Any) -> tuple[str, int, str]:
    info = conn.raw.info
    return str(info.host), int(info.port), str(info.dbname)


GRADE_CHUNK = 200  # attempts per transaction of the grade step


def _grade_chunk(
    conn: Any, chunk: list[str], grader: Grader, official: Official | None = None
) -> tuple[int, int, int]:
    """Grade these attempts' ungraded responses; (attempts, graded, left ungraded)."""
    from quiz.store import attempts as attempt_rows
    from quiz.store import snapshots as versions

    records = attempt_rows.load_ids(conn, chunk)
    keys = {key for record in records for key in record.banks}
    snaps = versions.read(conn, keys)
    if official is not None:
        mine = {(s.bank_id, s.content_hash): s for s in official(snaps)}
        correct_snapshots(conn, mine.values())
        snaps = [mine.get((s.bank_id, s.content_hash), s) for s in snaps]
    tag_snapshots(conn, snaps)
    graded = ungraded = 0
    for before, after in zip(records, grader(records, snaps), strict=True):
        for old, new in zip(before.responses, after.responses, strict=True):
            if old.graded:
                continue  # graded before: `quiz scores regrade` decides those
            if new.graded:
                attempt_rows.regrade_response(conn, before.id, new)
                graded += 1
            else:
                ungraded += 1
    totals.refresh(conn, chunk)
    mark_checked(conn, chunk)
    return len(records), graded, ungraded


def probe(url: str) -> Me:
    """Who a class store's URL connects as, before anything is created or migrated there
    (StoreError, one line, when it cannot connect)."""
    from quiz.store import store

    try:
        conn = dialect_pg.connect(url)
    except dialect_pg.Error as exc:
        raise StoreError(store._cannot_connect(store._shown(url), exc)) from None
    try:
        return me(conn)
    except dialect_pg.Error as exc:
        raise StoreError(f"class store {store._shown(url)}: {exc}") from None
    finally:
        conn.close()
