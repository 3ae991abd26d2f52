"""The score store: one SQLite file, `scores.db`, in the home directory.

Everything a learner answers is committed when it is given. Every SQL statement of quiz lives
in this package: the schema and its named migrations (`schema`), bank versions (`snapshots`),
per-attempt totals (`totals`), item-analysis inputs (`item_inputs`) and here the `Store`, whose
methods return plain records (`records`). What is particular to SQLite is in `dialect`; the
rest is standard SQL, so that a shared PostgreSQL store can follow without a rewrite.

Writes that read first begin with the dialect's `BEGIN_WRITE` (`BEGIN IMMEDIATE`): a deferred
transaction that later wants to write fails at once with "database is locked" when another
process wrote in between, whatever the busy timeout says.
"""

from __future__ import annotations

import functools
import json
import math
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from quiz.errors import NotFound, ResultsFileError, StoreError
from quiz.store import dialect, item_inputs, schema, totals
from quiz.store import snapshots as versions
from quiz.store.dialect import storable
from quiz.store.records import (
    ATTEMPT_MODES,
    ATTEMPT_STATUSES,
    AttemptRecord,
    AttemptSummary,
    BankInputs,
    BankSnapshot,
    CardRow,
    GroupTotals,
    MergeResult,
    QuestionTotals,
    ResponseRecord,
)
from quiz.store.times import normalize_time, utc_now

__all__ = [
    "DB_NAME",
    "AttemptSummary",
    "CardRow",
    "MergeResult",
    "Store",
    "check_home",
    "normalize_time",
    "storable",
    "utc_now",
]

DB_NAME = "scores.db"
_CHUNK = 500  # ids per `IN (...)` list

F = TypeVar("F", bound=Callable[..., Any])


def _as_stored(record: AttemptRecord) -> AttemptRecord:
    """The attempt as the store holds it (its texts through `storable`), so that merging
    compares like with like: a results file may spell a lone surrogate the store replaced."""

    def text(value: str) -> str:
        return storable(value)

    def answer(value: Any) -> Any:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, list):
            return [text(v) for v in value]
        if isinstance(value, dict):
            return {text(k): text(v) for k, v in value.items()}
        return value

    return replace(
        record,
        id=text(record.id),
        user=text(record.user),
        banks=tuple((text(b), text(h)) for b, h in record.banks),
        plan=tuple((text(b), text(q)) for b, q in record.plan),
        responses=tuple(
            replace(
                r,
                bank_id=text(r.bank_id),
                question_id=text(r.question_id),
                response=answer(r.response),
            )
            for r in record.responses
        ),
    )


# --- helpers ---------------------------------------------------------------------------------


def _guard(method: F) -> F:
    """Turn the driver's errors into StoreError, naming the file."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except dialect.Error as exc:
            raise StoreError(f"score store {self.path}: {exc}") from exc

    return wrapper  # type: ignore[return-value]


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _quiz_key(bank_ids: Iterable[str]) -> str:
    return " ".join(sorted(set(bank_ids)))


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# --- opening ---------------------------------------------------------------------------------


def check_home(home: Path | str) -> None:
    """StoreError when the home, or a folder on the way to it, exists but is not a folder."""
    home = Path(home)
    for place in (home, *home.parents):
        if not os.path.lexists(place):
            continue
        if place.is_dir():
            return
        what = "a broken symbolic link" if not place.exists() else "a file"
        if place == home:
            raise StoreError(
                f"the quiz home {home} is not a folder (it is {what}): point --home or"
                " QUIZ_HOME at a folder; it is created if missing"
            )
        raise StoreError(
            f"the quiz home {home} cannot be created: {place} is not a folder (it is {what})"
        )


def _make_home(home: Path) -> None:
    check_home(home)
    if home.is_dir():
        return
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(home, 0o700)


def _create_file(path: Path) -> bool:
    """Create an empty store file, owner-only; False if something is already there."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, 0o600)
    return True


# --- the store -------------------------------------------------------------------------------

_CARD_UPDATES = ("due", "state", "reviewed_at")
_ATTEMPT_COLUMNS = (
    "a.id, a.user_name, a.mode, a.seed, a.plan, a.started_at, a.finished_at, a.status"
)
_RESPONSE_COLUMNS = (
    "r.attempt_id, r.bank_id, r.question_id, r.response, r.score, r.max_score, r.correct,"
    " r.seconds, r.answered_at, r.skipped"
)


class Store:
    """The score store. Open with `Store.open(home)`; use as a context manager to close it."""

    def __init__(self, conn: dialect.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    # opening and closing

    @staticmethod
    def path_for(home: Path | str) -> Path:
        return Path(home) / DB_NAME

    @classmethod
    def open(cls, home: Path | str) -> Store:
        """Open (creating, migrating) the store in `home`; StoreError if it cannot be used."""
        path = cls.path_for(home)
        try:
            _make_home(path.parent)
            created = _create_file(path)
            if not created:
                if not path.is_file():
                    raise StoreError(f"{path} is not a file: it cannot be the score store")
                try:
                    dialect.check_file(path)
                except dialect.BadFile as exc:
                    raise StoreError(f"{path} {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot use the score store {path}: {exc.strerror or exc}") from exc
        current = False if created else schema.check_readonly(path)
        try:
            conn = dialect.connect(path)
        except dialect.Error as exc:
            raise StoreError(f"cannot open the score store {path}: {exc}") from exc
        try:
            if not current:
                schema.migrate(conn, path)
        except dialect.Error as exc:
            conn.close()
            raise StoreError(f"cannot prepare the score store {path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[dialect.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) and committed on success."""
        conn = self._conn
        conn.execute(dialect.BEGIN_WRITE)
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if dialect.in_transaction(conn):
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _read(self) -> Iterator[dialect.Connection]:
        """Several reads from one consistent snapshot."""
        conn = self._conn
        conn.execute(dialect.BEGIN_READ)
        try:
            yield conn
        finally:
            if dialect.in_transaction(conn):
                conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return dialect.schema_version(self._conn)

    @_guard
    def migrations(self) -> list[tuple[str, str]]:
        """(name, applied_at) of every applied migration, in order."""
        return [
            (row[0], row[1])
            for row in self._conn.execute("SELECT name, applied_at FROM migrations ORDER BY name")
        ]

    # snapshots

    @_guard
    def save_snapshot(self, snapshot: BankSnapshot) -> None:
        """Keep this bank version (idempotent on bank id + content hash)."""
        with self._write() as conn:
            versions.save(conn, snapshot)

    @_guard
    def snapshots(self, keys: Iterable[tuple[str, str]] | None = None) -> list[BankSnapshot]:
        """Every stored bank version, or those with these (bank id, content hash) keys.

        Ordered by bank id, then oldest first (so the last one per bank is the newest seen)."""
        return versions.read(self._conn, keys)

    @_guard
    def snapshot(self, bank_id: str, content_hash: str | None = None) -> BankSnapshot | None:
        """One bank version; without a hash, the newest one seen."""
        if content_hash is not None:
            found = self.snapshots([(bank_id, content_hash)])
            return found[0] if found else None
        return versions.newest(self._conn, bank_id)

    # attempts

    @_guard
    def start_attempt(
        self,
        *,
        user: str,
        banks: Sequence[tuple[str, str]],
        mode: str,
        seed: int | None,
        plan: Sequence[tuple[str, str]],
        started_at: str | None = None,
    ) -> str:
        """A new attempt's UUID. The user's unfinished attempt on the same banks and mode, if
        any, becomes `abandoned`."""
        if mode not in ATTEMPT_MODES:
            raise StoreError(f"unknown attempt mode {mode!r}")
        if not banks:
            raise StoreError("an attempt needs at least one bank")
        attempt_id = str(uuid.uuid4())
        key = _quiz_key(bank for bank, _ in banks)
        plan_json = json.dumps([[b, q] for b, q in plan], ensure_ascii=False)
        when = normalize_time(started_at) if started_at else utc_now()
        with self._write() as conn:
            conn.execute(
                "UPDATE attempts SET status = 'abandoned' WHERE user_name = ? AND quiz_key = ?"
                " AND mode = ? AND status = 'in_progress'",
                (user, key, mode),
            )
            conn.execute(
                "INSERT INTO attempts (id, user_name, mode, quiz_key, seed, plan, started_at,"
                " finished_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'in_progress')",
                (attempt_id, user, mode, key, seed, plan_json, when),
            )
            self._insert_banks(conn, attempt_id, banks)
        return attempt_id

    @staticmethod
    def _insert_banks(
        conn: dialect.Connection, attempt_id: str, banks: Sequence[tuple[str, str]]
    ) -> None:
        seen: set[str] = set()
        rows = []
        for position, (bank_id, content_hash) in enumerate(banks):
            if bank_id not in seen:
                seen.add(bank_id)
                rows.append((attempt_id, position, bank_id, content_hash or ""))
        conn.executemany(
            "INSERT INTO attempt_banks (attempt_id, position, bank_id, content_hash)"
            " VALUES (?, ?, ?, ?)",
            rows,
        )

    @_guard
    def record_response(self, attempt_id: str, response: ResponseRecord) -> None:
        """Store one answer, committed at once. Answering a question again replaces it."""
        with self._write() as conn:
            row = conn.execute("SELECT status FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise NotFound(f"no attempt {attempt_id}")
            if row[0] == "finished":
                raise StoreError(f"attempt {attempt_id} is finished: it takes no more answers")
            conn.execute(
                "DELETE FROM responses WHERE attempt_id = ? AND bank_id = ? AND question_id = ?",
                (attempt_id, response.bank_id, response.question_id),
            )
            self._insert_responses(conn, attempt_id, [response])
            totals.refresh(conn, [attempt_id])

    @staticmethod
    def _insert_responses(
        conn: dialect.Connection, attempt_id: str, responses: Iterable[ResponseRecord]
    ) -> None:
        now = utc_now()
        conn.executemany(
            "INSERT INTO responses (attempt_id, bank_id, question_id, response, score, max_score,"
            " correct, skipped, seconds, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    attempt_id,
                    r.bank_id,
                    r.question_id,
                    json.dumps(r.response, ensure_ascii=False),
                    float(r.score),
                    float(r.max_score),
                    1 if r.correct else 0,
                    1 if r.skipped else 0,
                    None if r.seconds is None else float(r.seconds),
                    normalize_time(r.answered_at) if r.answered_at else now,
                )
                for r in responses
            ],
        )

    @_guard
    def finish_attempt(self, attempt_id: str, finished_at: str | None = None) -> None:
        when = normalize_time(finished_at) if finished_at else utc_now()
        with self._write() as conn:
            row = conn.execute("SELECT status FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise NotFound(f"no attempt {attempt_id}")
            if row[0] != "finished":
                conn.execute(
                    "UPDATE attempts SET status = 'finished', finished_at = ? WHERE id = ?",
                    (when, attempt_id),
                )
                totals.mark_finished(conn, attempt_id)

    @_guard
    def find_resumable(
        self, user: str, bank_ids: Sequence[str], mode: str | None = None
    ) -> AttemptRecord | None:
        """The user's latest `in_progress` attempt on exactly these banks (and mode, if given)."""
        sql = "WHERE a.user_name = ? AND a.quiz_key = ? AND a.status = 'in_progress'"
        params: list[object] = [user, _quiz_key(bank_ids)]
        if mode is not None:
            sql += " AND a.mode = ?"
            params.append(mode)
        found = self._load_attempts(sql, params, limit=1)
        return found[0] if found else None

    @_guard
    def attempt(self, id_or_prefix: str) -> AttemptRecord:
        """An attempt by its id or a unique prefix of it (NotFound otherwise)."""
        text = id_or_prefix.strip()
        if not text:
            raise NotFound("no attempt id given")
        found = self._load_attempts("WHERE a.id = ?", [text], limit=None)
        if found:
            return found[0]
        prefix = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        ids = [
            row[0]
            for row in self._conn.execute(
                "SELECT id FROM attempts WHERE lower(id) LIKE ? ESCAPE '\\' ORDER BY id LIMIT 3",
                (prefix + "%",),
            )
        ]
        if not ids:
            raise NotFound(f"no attempt {id_or_prefix!r} (see `quiz scores list`)")
        if len(ids) > 1:
            raise NotFound(f"{id_or_prefix!r} matches several attempts: give more of the id")
        return self._load_attempts("WHERE a.id = ?", [ids[0]], limit=None)[0]

    @_guard
    def attempts(
        self,
        *,
        user: str | None = None,
        bank: str | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[AttemptRecord]:
        """Attempts, newest first, with their responses."""
        where, params = self._filters(user, bank, status)
        return self._load_attempts(where, params, limit)

    @staticmethod
    def _filters(
        user: str | None, bank: str | None, status: str | None
    ) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if user is not None:
            clauses.append("a.user_name = ?")
            params.append(user)
        if bank is not None:
            clauses.append(
                "EXISTS (SELECT 1 FROM attempt_banks fb WHERE fb.attempt_id = a.id"
                " AND fb.bank_id = ?)"
            )
            params.append(bank)
        if status is not None:
            if status not in ATTEMPT_STATUSES:
                raise StoreError(f"unknown attempt status {status!r}")
            clauses.append("a.status = ?")
            params.append(status)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _banks_of(self, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        banks: dict[str, list[tuple[str, str]]] = {i: [] for i in ids}
        for chunk in _chunks(ids):
            for attempt_id, bank_id, content_hash in self._conn.execute(
                f"SELECT attempt_id, bank_id, content_hash FROM attempt_banks"
                f" WHERE attempt_id IN ({dialect.marks(len(chunk))}) ORDER BY attempt_id, position",
                list(chunk),
            ):
                banks[attempt_id].append((bank_id, content_hash))
        return banks

    def _load_attempts(
        self, where: str, params: Sequence[object], limit: int | None
    ) -> list[AttemptRecord]:
        sql = f"SELECT {_ATTEMPT_COLUMNS} FROM attempts a {where}"
        sql += " ORDER BY a.started_at DESC, a.id DESC"
        args = list(params)
        if limit is not None:
            sql += " LIMIT ?"
            args.append(max(0, int(limit)))
        with self._read() as conn:
            rows = conn.execute(sql, args).fetchall()
            ids = [row[0] for row in rows]
            banks = self._banks_of(ids)
            responses: dict[str, list[ResponseRecord]] = {i: [] for i in ids}
            for chunk in _chunks(ids):
                for r in conn.execute(
                    f"SELECT {_RESPONSE_COLUMNS} FROM responses r"
                    f" WHERE r.attempt_id IN ({dialect.marks(len(chunk))})"
                    " ORDER BY r.attempt_id, r.id",
                    list(chunk),
                ):
                    responses[r[0]].append(
                        ResponseRecord(
                            bank_id=r[1],
                            question_id=r[2],
                            response=json.loads(r[3]),
                            score=r[4],
                            max_score=r[5],
                            correct=bool(r[6]),
                            seconds=r[7],
                            answered_at=r[8],
                            skipped=bool(r[9]),
                        )
                    )
        return [
            AttemptRecord(
                id=row[0],
                user=row[1],
                mode=row[2],
                seed=row[3],
                plan=tuple((b, q) for b, q in json.loads(row[4])),
                started_at=row[5],
                finished_at=row[6],
                status=row[7],
                banks=tuple(banks[row[0]]),
                responses=tuple(responses[row[0]]),
            )
            for row in rows
        ]

    @_guard
    def summaries(
        self,
        *,
        user: str | None = None,
        bank: str | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[AttemptSummary]:
        """Attempts, newest first, with score totals instead of responses (`scores list`)."""
        where, params = self._filters(user, bank, status)
        sql = (
            f"SELECT {_ATTEMPT_COLUMNS}, COALESCE(SUM(s.score), 0), COALESCE(SUM(s.max_score), 0),"
            " COALESCE(SUM(s.answered), 0) FROM attempts a"
            f" LEFT JOIN attempt_scores s ON s.attempt_id = a.id AND s.scope = 'bank' {where}"
            " GROUP BY a.id, a.user_name, a.mode, a.seed, a.plan, a.started_at, a.finished_at,"
            " a.status ORDER BY a.started_at DESC, a.id DESC"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(0, int(limit)))
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
            banks = self._banks_of([row[0] for row in rows])
        return [
            AttemptSummary(
                id=row[0],
                user=row[1],
                mode=row[2],
                seed=row[3],
                planned=len(json.loads(row[4])),
                started_at=row[5],
                finished_at=row[6],
                status=row[7],
                score=float(row[8]),
                max_score=float(row[9]),
                answered=int(row[10]),
                banks=tuple(banks[row[0]]),
            )
            for row in rows
        ]

    @_guard
    def users(self) -> list[str]:
        return [
            row[0]
            for row in self._conn.execute(
                "SELECT DISTINCT user_name FROM attempts ORDER BY user_name"
            )
        ]

    @_guard
    def wrong_last_time(self, user: str, bank_id: str) -> set[str]:
        """Question ids of this bank whose latest response by this user was not fully right."""
        latest: dict[str, bool] = {}
        for question_id, correct in self._conn.execute(
            "SELECT r.question_id, r.correct FROM responses r"
            " JOIN attempts a ON a.id = r.attempt_id"
            " WHERE a.user_name = ? AND r.bank_id = ? ORDER BY r.answered_at, r.id",
            (user, bank_id),
        ):
            latest[question_id] = bool(correct)
        return {question_id for question_id, correct in latest.items() if not correct}

    # deleting

    @_guard
    def delete_attempt(self, attempt_id: str) -> None:
        """Delete one attempt (by its full id) and its responses."""
        with self._write() as conn:
            self._delete_attempts(conn, [attempt_id])

    @staticmethod
    def _delete_attempts(conn: dialect.Connection, ids: Sequence[str]) -> int:
        deleted = 0
        for chunk in _chunks(list(ids)):
            marks = dialect.marks(len(chunk))
            for table in ("attempt_scores", "responses", "attempt_banks"):
                conn.execute(f"DELETE FROM {table} WHERE attempt_id IN ({marks})", list(chunk))
            deleted += conn.execute(
                f"DELETE FROM attempts WHERE id IN ({marks})", list(chunk)
            ).rowcount
        if ids and not deleted:
            raise NotFound(f"no attempt {ids[0]}")
        return deleted

    @_guard
    def delete_user(self, user: str) -> int:
        """Delete every attempt, response and card of this learner; the attempts' count."""
        with self._write() as conn:
            ids = [
                r[0] for r in conn.execute("SELECT id FROM attempts WHERE user_name = ?", (user,))
            ]
            cards = conn.execute("DELETE FROM cards WHERE user_name = ?", (user,)).rowcount
            if not ids and not cards:
                raise NotFound(f"no data for user {user!r}")
            return self._delete_attempts(conn, ids) if ids else 0

    # merging results files

    @_guard
    def merge(
        self,
        attempts: Iterable[AttemptRecord],
        snapshots: Iterable[BankSnapshot] = (),
        *,
        origins: Sequence[str] | None = None,
    ) -> MergeResult:
        """Add these attempts and snapshots, all or nothing. An attempt already stored (or given
        earlier in `attempts`) is completed with the responses it lacks; one whose responses
        disagree raises ResultsFileError and nothing is merged. `origins`, one per attempt
        (such as `alice.jsonl:3`), begin the message of an error about that attempt."""
        added = grown = skipped = 0
        with self._write() as conn:
            for snapshot in snapshots:
                versions.save(conn, snapshot)
            for number, record in enumerate(attempts):
                try:
                    outcome = self._merge_one(conn, _as_stored(record))
                except ResultsFileError as exc:
                    if origins is None or number >= len(origins):
                        raise
                    raise ResultsFileError(f"{origins[number]}: {exc}") from exc
                added += outcome == "added"
                grown += outcome == "grown"
                skipped += outcome == "skipped"
        return MergeResult(added, grown, skipped)

    def _merge_one(self, conn: dialect.Connection, record: AttemptRecord) -> str:
        if record.status not in ATTEMPT_STATUSES:
            raise ResultsFileError(f"attempt {record.id}: unknown status {record.status!r}")
        if record.mode not in ATTEMPT_MODES:
            raise ResultsFileError(f"attempt {record.id}: unknown mode {record.mode!r}")
        if not record.id or not record.user:
            raise ResultsFileError("an attempt without an id or a user")
        try:
            started = normalize_time(record.started_at)
            finished = normalize_time(record.finished_at) if record.finished_at else None
            for r in record.responses:
                if r.answered_at:
                    normalize_time(r.answered_at)
        except ValueError as exc:
            raise ResultsFileError(f"attempt {record.id}: bad time: {exc}") from exc
        keys = [(r.bank_id, r.question_id) for r in record.responses]
        if len(set(keys)) != len(keys):
            raise ResultsFileError(f"attempt {record.id}: a question is answered twice")
        row = conn.execute(
            "SELECT user_name, mode, status FROM attempts WHERE id = ?", (record.id,)
        ).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO attempts (id, user_name, mode, quiz_key, seed, plan, started_at,"
                " finished_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.id,
                    record.user,
                    record.mode,
                    _quiz_key(b for b, _ in record.banks),
                    record.seed,
                    json.dumps([[b, q] for b, q in record.plan], ensure_ascii=False),
                    started,
                    finished,
                    record.status,
                ),
            )
            self._insert_banks(conn, record.id, record.banks)
            self._insert_responses(conn, record.id, record.responses)
            totals.refresh(conn, [record.id])
            return "added"
        if (row[0], row[1]) != (record.user, record.mode):
            raise ResultsFileError(
                f"attempt {record.id} is stored for {row[0]!r} ({row[1]}) but the file says"
                f" {record.user!r} ({record.mode}): nothing was imported"
            )
        stored = {
            (r[0], r[1]): r
            for r in conn.execute(
                "SELECT bank_id, question_id, response, score, max_score, correct, skipped"
                " FROM responses WHERE attempt_id = ?",
                (record.id,),
            )
        }
        new = []
        for r in record.responses:
            old = stored.get((r.bank_id, r.question_id))
            if old is None:
                new.append(r)
            elif not (
                json.loads(old[2]) == r.response
                and _same_number(old[3], r.score)
                and _same_number(old[4], r.max_score)
                and bool(old[5]) == r.correct
                and bool(old[6]) == r.skipped
            ):
                raise ResultsFileError(
                    f"attempt {record.id}, question {r.bank_id}/{r.question_id}: the file's"
                    " response differs from the stored one; nothing was imported"
                )
        changed = bool(new)
        if new:
            self._insert_responses(conn, record.id, new)
            totals.refresh(conn, [record.id])
        if record.status == "finished" and row[2] != "finished":
            conn.execute(
                "UPDATE attempts SET status = 'finished', finished_at = ? WHERE id = ?",
                (finished or utc_now(), record.id),
            )
            totals.mark_finished(conn, record.id)
            changed = True
        return "grown" if changed else "skipped"

    # study cards (the scheduler's state is opaque JSON here)

    @_guard
    def cards(self, user: str, bank_ids: Sequence[str] | None = None) -> list[CardRow]:
        """This user's cards (in these banks), soonest due first."""
        sql = "SELECT bank_id, question_id, due, state, reviews FROM cards WHERE user_name = ?"
        params: list[object] = [user]
        if bank_ids is not None:
            if not bank_ids:
                return []
            sql += f" AND bank_id IN ({dialect.marks(len(bank_ids))})"
            params.extend(bank_ids)
        sql += " ORDER BY due, bank_id, question_id"
        return [CardRow(*row) for row in self._conn.execute(sql, params)]

    @_guard
    def update_card(
        self,
        user: str,
        bank_id: str,
        question_id: str,
        update: Callable[[str | None], tuple[str, str]],
    ) -> None:
        """Read this card's state (None if new), compute (due, new state), and store them,
        in one write transaction."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT state FROM cards WHERE user_name = ? AND bank_id = ? AND question_id = ?",
                (user, bank_id, question_id),
            ).fetchone()
            due, state = update(None if row is None else row[0])
            conn.execute(
                "INSERT INTO cards (user_name, bank_id, question_id, due, state, reviewed_at,"
                " reviews) VALUES (?, ?, ?, ?, ?, ?, 1)"
                + dialect.on_conflict_update(
                    ("user_name", "bank_id", "question_id"),
                    ", ".join(
                        [
                            *(f"{c} = {dialect.excluded(c)}" for c in _CARD_UPDATES),
                            "reviews = cards.reviews + 1",
                        ]
                    ),
                ),
                (user, bank_id, question_id, normalize_time(due), state, utc_now()),
            )

    # statistics (aggregated by quiz.reports.learner)

    @_guard
    def group_rows(self, *, user: str | None = None, bank: str | None = None) -> list[GroupTotals]:
        """Per bank and per tag: attempts, finished attempts, score, max score, answered and the
        best finished score fraction. With `bank`, its tags are counted within it alone."""
        if bank is None:
            clauses = ["s.scope IN ('bank', 'tag')"]
            params: list[object] = []
        else:
            clauses = ["s.scope IN ('bank', 'bank_tag')", "s.bank_id = ?"]
            params = [bank]
        if user is not None:
            clauses.append("s.user_name = ?")
            params.append(user)
        rows = self._conn.execute(
            "SELECT s.scope, s.bank_id, s.tag, COUNT(*), SUM(s.finished), SUM(s.score),"
            " SUM(s.max_score), SUM(s.answered),"
            " MAX(CASE WHEN s.finished = 1 AND s.max_score > 0 THEN s.score / s.max_score END)"
            f" FROM attempt_scores s WHERE {' AND '.join(clauses)}"
            " GROUP BY s.scope, s.bank_id, s.tag",
            params,
        ).fetchall()
        return [
            GroupTotals(
                scope=row[0],
                bank_id=row[1],
                tag=row[2],
                attempts=int(row[3]),
                finished=int(row[4] or 0),
                score=float(row[5] or 0),
                max_score=float(row[6] or 0),
                answered=int(row[7] or 0),
                best=None if row[8] is None else float(row[8]),
            )
            for row in rows
        ]

    @_guard
    def trend(
        self, scope: str, bank_id: str, tag: str, *, user: str | None = None, limit: int = 10
    ) -> list[float]:
        """Score fractions of the last `limit` finished attempts in one group, oldest first."""
        sql = (
            "SELECT s.score, s.max_score FROM attempt_scores s WHERE s.scope = ?"
            " AND s.bank_id = ? AND s.tag = ? AND s.finished = 1 AND s.max_score > 0"
        )
        params: list[object] = [scope, bank_id, tag]
        if user is not None:
            sql += " AND s.user_name = ?"
            params.append(user)
        sql += " ORDER BY s.started_at DESC, s.attempt_id DESC LIMIT ?"
        params.append(max(0, int(limit)))
        rows = self._conn.execute(sql, params).fetchall()
        return [score / max_score for score, max_score in reversed(rows)]

    @_guard
    def question_rows(
        self, *, user: str | None = None, bank: str | None = None
    ) -> list[QuestionTotals]:
        """Per question: responses, score and max score totals, and how often it was missed."""
        clauses: list[str] = []
        params: list[object] = []
        join = ""
        if user is not None:
            join = " JOIN attempts a ON a.id = r.attempt_id"
            clauses.append("a.user_name = ?")
            params.append(user)
        if bank is not None:
            clauses.append("r.bank_id = ?")
            params.append(bank)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._conn.execute(
            "SELECT r.bank_id, r.question_id, COUNT(*), SUM(r.score), SUM(r.max_score),"
            f" SUM(1 - r.correct) FROM responses r{join} {where}"
            " GROUP BY r.bank_id, r.question_id",
            params,
        ).fetchall()
        return [
            QuestionTotals(row[0], row[1], int(row[2]), float(row[3]), float(row[4]), int(row[5]))
            for row in rows
        ]

    # item analysis (the statistics are `quiz.reports.items.analyse_bank`)

    @_guard
    def reportable_banks(self, user: str | None = None) -> list[str]:
        """Banks drawn from by finished, non-study attempts (of this user), sorted."""
        return item_inputs.bank_ids(self._conn, user)

    @_guard
    def item_inputs(
        self,
        bank_id: str,
        *,
        all_attempts: bool = False,
        user: str | None = None,
        snapshots: Sequence[BankSnapshot] | None = None,
    ) -> BankInputs:
        """Item-analysis inputs of one bank: each learner's first finished attempt that drew
        from it (every finished attempt with `all_attempts`), of this user if given; study
        sessions never count. `snapshots` saves reading them again for several banks."""
        with self._read() as conn:
            return item_inputs.collect_bank_inputs(
                conn, bank_id, all_attempts=all_attempts, user=user, snapshots=snapshots
            )
