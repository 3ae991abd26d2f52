"""Attempts and their responses: the statements that write and read them.

Each function takes a connection the caller has put in the right transaction (`Store` does);
none begins or ends one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from quiz.errors import NotFound, StoreError
from quiz.store import dialect
from quiz.store.summaries import attempt_summaries
from quiz.times import normalize_time, utc_now

if TYPE_CHECKING:  # (made where they are read: a list needs none of them)
    from quiz.store.records import AttemptRecord, ResponseRecord, ResponseValue
    from quiz.store.summaries import AttemptSummary

_CHUNK = 500  # ids per `IN (...)` list
_ATTEMPT_COLUMNS = (
    "a.id, a.user_name, a.mode, a.seed, a.plan, a.started_at, a.finished_at, a.status"
)
_RESPONSE_COLUMNS = (
    "r.attempt_id, r.bank_id, r.question_id, r.response, r.score, r.max_score, r.correct,"
    " r.seconds, r.answered_at, r.skipped, r.graded"
)
_NEWEST_FIRST = " ORDER BY a.started_at DESC, a.id DESC"
_NO_LIMIT = 2**62  # a LIMIT no store reaches
_LOOKUP_ROWS = 500  # up to this many rows, totals are looked up per attempt
# An attempt that holds an answer (the counts kept with the totals, `quiz.store.totals`).
_HAS_ANSWER = (
    "EXISTS (SELECT 1 FROM attempt_scores hs WHERE hs.attempt_id = a.id AND hs.scope = 'bank'"
    " AND hs.given > 0)"
)
# The same, and the same totals, read from the responses themselves: for a learner's role on a
# class store, whose answers wait ungraded (no totals) until the instructor's grade step.
_GIVEN = "r.skipped = 0 AND r.response <> 'null'"
_HAS_ANSWER_LIVE = f"EXISTS (SELECT 1 FROM responses r WHERE r.attempt_id = a.id AND {_GIVEN})"
_LIVE_TOTALS = {
    "score": "SUM(r.score)",
    "max_score": "SUM(r.max_score)",
    "given": f"SUM(CASE WHEN {_GIVEN} THEN 1 ELSE 0 END)",
    "ungraded": "SUM(1 - r.graded)",
    "skipped": "COUNT(*) - " + f"SUM(CASE WHEN {_GIVEN} THEN 1 ELSE 0 END)",
}
# Responses that hold no answer, from the kept counts: every response (graded or not) less
# those that hold one.
_KEPT_SKIPPED = "s.answered + s.ungraded - s.given"


def response_value(text: str) -> ResponseValue:
    """A stored response (JSON text) as its value. Most are a plain JSON string, read here
    without the JSON decoder (an export reads a million): quoted, no quote, escape or
    unprintable character inside; anything else is decoded (ValueError if it is not JSON)."""
    if (
        len(text) >= 2
        and text[0] == '"'
        and text[-1] == '"'
        and text.isprintable()
        and '"' not in text[1:-1]
        and "\\" not in text
    ):
        return text[1:-1]
    value: ResponseValue = json.loads(text)
    return value


def quiz_key(bank_ids: Iterable[str]) -> str:
    """What identifies "the same quiz" for resuming: its banks, sorted."""
    return " ".join(sorted(set(bank_ids)))


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _plan_json(plan: Iterable[tuple[str, str]]) -> str:
    return json.dumps([[b, q] for b, q in plan], ensure_ascii=False)


# --- writing ---------------------------------------------------------------------------------


def abandon_unfinished(conn: dialect.Connection, user: str, key: str, mode: str) -> None:
    conn.execute(
        "UPDATE attempts SET status = 'abandoned' WHERE user_name = ? AND quiz_key = ?"
        " AND mode = ? AND status = 'in_progress'",
        (user, key, mode),
    )


def insert(
    conn: dialect.Connection,
    *,
    attempt_id: str,
    user: str,
    mode: str,
    banks: Sequence[tuple[str, str]],
    seed: int | None,
    plan: Iterable[tuple[str, str]],
    started_at: str,
    finished_at: str | None = None,
    status: str = "in_progress",
) -> None:
    """A new attempt and the banks it draws from (no responses)."""
    plan = list(plan)
    conn.execute(
        "INSERT INTO attempts (id, user_name, mode, quiz_key, seed, plan, started_at,"
        " finished_at, status, unanswered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            attempt_id,
            user,
            mode,
            quiz_key(b for b, _ in banks),
            seed,
            _plan_json(plan),
            started_at,
            finished_at,
            status,
            len({(b, q) for b, q in plan}),  # no response yet (`totals.refresh` keeps it)
        ),
    )
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


def status(conn: dialect.Connection, attempt_id: str) -> str:
    """An attempt's status (NotFound if there is no such attempt)."""
    row = conn.execute("SELECT status FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
    if row is None:
        raise NotFound(f"no attempt {attempt_id}")
    return str(row[0])


def owner(conn: dialect.Connection, attempt_id: str) -> tuple[str, str, str] | None:
    """(user, mode, status) of an attempt, or None if there is none with this id."""
    row = conn.execute(
        "SELECT user_name, mode, status FROM attempts WHERE id = ?", (attempt_id,)
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def canonical_id(attempt_id: str) -> str:
    """An attempt id in the one form the store keeps: a UUID's lower-case hyphenated form,
    whichever way it was written (no hyphens, braces, `urn:uuid:`, upper case); ValueError if
    it is not a UUID."""
    return str(uuid.UUID(attempt_id.strip()))


def started_at(conn: dialect.Connection, attempt_id: str) -> str | None:
    row = conn.execute("SELECT started_at FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
    return None if row is None else str(row[0])


_RESPONSE_INSERT = (
    "attempt_id",
    "bank_id",
    "question_id",
    "response",
    "score",
    "max_score",
    "correct",
    "skipped",
    "seconds",
    "answered_at",
    "graded",
)


def insert_responses(
    conn: dialect.Connection,
    attempt_id: str,
    responses: Iterable[ResponseRecord],
    times: Mapping[str, str] | None = None,
) -> None:
    """Insert these responses. An answer is never stamped before its attempt started (a
    clock read to the second can look earlier than a start read to the microsecond).
    `times`: answer times as given -> in the store's format, already normalised (a merge
    checks them first)."""
    now = utc_now()
    start = started_at(conn, attempt_id) or ""
    known = times or {}

    def when(text: str | None) -> str:
        if not text:
            return now
        found = known.get(text)
        return found if found is not None else normalize_time(text)

    dialect.insert_rows(
        conn,
        "responses",
        _RESPONSE_INSERT,
        [
            (
                attempt_id,
                r.bank_id,
                r.question_id,
                json.dumps(r.response, ensure_ascii=False),
                float(r.score) if r.graded else 0.0,
                float(r.max_score) if r.graded else 0.0,
                1 if r.correct and r.graded else 0,
                1 if r.skipped else 0,
                None if r.seconds is None else float(r.seconds),
                max(when(r.answered_at), start),
                1 if r.graded else 0,
            )
            for r in responses
        ],
    )


def regrade_response(conn: dialect.Connection, attempt_id: str, response: ResponseRecord) -> None:
    """Store a new grade for a stored response (the response itself is unchanged)."""
    conn.execute(
        "UPDATE responses SET score = ?, max_score = ?, correct = ?, graded = ?"
        " WHERE attempt_id = ? AND bank_id = ? AND question_id = ?",
        (
            float(response.score) if response.graded else 0.0,
            float(response.max_score) if response.graded else 0.0,
            1 if response.correct and response.graded else 0,
            1 if response.graded else 0,
            attempt_id,
            response.bank_id,
            response.question_id,
        ),
    )


def canonicalise_ids(conn: dialect.Connection) -> int:
    """Put every attempt id in its canonical form (migration m005), merging an attempt stored
    under two spellings into one: the canonical copy keeps its responses and gains those only
    the other had. Ids that are not UUIDs are left as they are. How many rows went."""
    ids = [row[0] for row in conn.execute("SELECT id FROM attempts ORDER BY started_at, id")]
    existing = set(ids)
    merged = 0
    for old in ids:
        try:
            new = canonical_id(old)
        except ValueError:
            continue
        if new == old:
            continue
        if new in existing:
            have = {
                (b, q)
                for b, q in conn.execute(
                    "SELECT bank_id, question_id FROM responses WHERE attempt_id = ?", (new,)
                )
            }
            for row_id, bank_id, question_id in conn.execute(
                "SELECT id, bank_id, question_id FROM responses WHERE attempt_id = ?", (old,)
            ).fetchall():
                if (bank_id, question_id) not in have:
                    conn.execute("UPDATE responses SET attempt_id = ? WHERE id = ?", (new, row_id))
            banks = {
                b
                for (b,) in conn.execute(
                    "SELECT bank_id FROM attempt_banks WHERE attempt_id = ?", (new,)
                )
            }
            for position, bank_id, content_hash in conn.execute(
                "SELECT position, bank_id, content_hash FROM attempt_banks WHERE attempt_id = ?",
                (old,),
            ).fetchall():
                if bank_id not in banks:
                    conn.execute(
                        "INSERT INTO attempt_banks (attempt_id, position, bank_id, content_hash)"
                        " VALUES (?, ?, ?, ?)",
                        (new, position, bank_id, content_hash),
                    )
            row = conn.execute(
                "SELECT status, finished_at FROM attempts WHERE id = ?", (old,)
            ).fetchone()
            if row[0] == "finished" and status(conn, new) != "finished":
                conn.execute(
                    "UPDATE attempts SET status = 'finished', finished_at = ? WHERE id = ?",
                    (row[1], new),
                )
            delete(conn, [old])
            merged += 1
            continue
        conn.execute(
            "INSERT INTO attempts (id, user_name, mode, quiz_key, seed, plan, started_at,"
            " finished_at, status) SELECT ?, user_name, mode, quiz_key, seed, plan, started_at,"
            " finished_at, status FROM attempts WHERE id = ?",
            (new, old),
        )
        for table in ("responses", "attempt_banks", "attempt_scores"):
            conn.execute(f"UPDATE {table} SET attempt_id = ? WHERE attempt_id = ?", (new, old))
        conn.execute("DELETE FROM attempts WHERE id = ?", (old,))
        existing.add(new)
    return merged


def replace_response(conn: dialect.Connection, attempt_id: str, response: ResponseRecord) -> None:
    """Store one answer, replacing an earlier answer to the same question."""
    conn.execute(
        "DELETE FROM responses WHERE attempt_id = ? AND bank_id = ? AND question_id = ?",
        (attempt_id, response.bank_id, response.question_id),
    )
    insert_responses(conn, attempt_id, [response])


def stored_responses(
    conn: dialect.Connection, attempt_id: str
) -> dict[tuple[str, str], ResponseRecord]:
    """An attempt's responses by (bank id, question id), as far as merging compares them."""
    from quiz.store.records import ResponseRecord

    return {
        (r[0], r[1]): ResponseRecord(
            bank_id=r[0],
            question_id=r[1],
            response=response_value(r[2]),
            score=r[3],
            max_score=r[4],
            correct=bool(r[5]),
            skipped=bool(r[6]),
            graded=bool(r[7]),
        )
        for r in conn.execute(
            "SELECT bank_id, question_id, response, score, max_score, correct, skipped, graded"
            " FROM responses WHERE attempt_id = ?",
            (attempt_id,),
        )
    }


def finish(conn: dialect.Connection, attempt_id: str, finished_at: str) -> None:
    conn.execute(
        "UPDATE attempts SET status = 'finished', finished_at = ? WHERE id = ?",
        (finished_at, attempt_id),
    )
    from quiz.store import totals

    totals.mark_finished(conn, attempt_id)


def delete(conn: dialect.Connection, ids: Sequence[str]) -> int:
    """Delete these attempts (full ids) with their responses and totals; how many there were."""
    deleted = 0
    for chunk in _chunks(list(ids)):
        marks = dialect.marks(len(chunk))
        for table in ("attempt_scores", "responses", "attempt_banks"):
            conn.execute(f"DELETE FROM {table} WHERE attempt_id IN ({marks})", list(chunk))
        deleted += conn.execute(f"DELETE FROM attempts WHERE id IN ({marks})", list(chunk)).rowcount
    if ids and not deleted:
        raise NotFound(f"no attempt {ids[0]}")
    return deleted


def ids_of_user(conn: dialect.Connection, user: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM attempts WHERE user_name = ?", (user,))]


# --- reading ---------------------------------------------------------------------------------


def filters(user: str | None, bank: str | None, status: str | None) -> tuple[str, list[object]]:
    """A WHERE clause over `attempts a` and its parameters."""
    clauses: list[str] = []
    params: list[object] = []
    if user is not None:
        clauses.append("a.user_name = ?")
        params.append(user)
    if bank is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM attempt_banks fb WHERE fb.attempt_id = a.id AND fb.bank_id = ?)"
        )
        params.append(bank)
    if status is not None:
        from quiz.store.records import ATTEMPT_STATUSES

        if status not in ATTEMPT_STATUSES:
            raise StoreError(f"unknown attempt status {status!r}")
        clauses.append("a.status = ?")
        params.append(status)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def resumable_filter(
    user: str, bank_ids: Sequence[str], mode: str | None
) -> tuple[str, list[object]]:
    """The WHERE clause of `find_resumable`: in progress, on exactly these banks."""
    where = "WHERE a.user_name = ? AND a.quiz_key = ? AND a.status = 'in_progress'"
    params: list[object] = [user, quiz_key(bank_ids)]
    if mode is not None:
        where += " AND a.mode = ?"
        params.append(mode)
    return where, params


def _limited(sql: str, params: Sequence[object], limit: int | None) -> tuple[str, list[object]]:
    args = list(params)
    if limit is not None:
        sql += " LIMIT ?"
        args.append(max(0, int(limit)))
    return sql, args


def _banks_of(conn: dialect.Connection, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    banks: dict[str, list[tuple[str, str]]] = {i: [] for i in ids}
    if len(ids) > _CHUNK:
        (stored,) = conn.execute("SELECT COUNT(*) FROM attempt_banks").fetchone()
        if len(ids) * 2 >= stored:  # most attempts (a list to a pipe): one pass over them all
            for row in conn.execute(
                "SELECT attempt_id, bank_id, content_hash FROM attempt_banks"
                " ORDER BY attempt_id, position"
            ):
                found = banks.get(row[0])
                if found is not None:
                    found.append((row[1], row[2]))
            return banks
    for chunk in _chunks(ids):
        for row in conn.execute(
            f"SELECT attempt_id, bank_id, content_hash FROM attempt_banks"
            f" WHERE attempt_id IN ({dialect.marks(len(chunk))}) ORDER BY attempt_id, position",
            list(chunk),
        ):
            banks[row[0]].append((row[1], row[2]))
    return banks


def load(
    conn: dialect.Connection, where: str, params: Sequence[object], limit: int | None
) -> list[AttemptRecord]:
    """Attempts matching `where`, newest first, with their banks and responses (run it in one
    read transaction)."""
    from quiz.store.records import AttemptRecord, ResponseRecord

    sql, args = _limited(
        f"SELECT {_ATTEMPT_COLUMNS} FROM attempts a {where}{_NEWEST_FIRST}", params, limit
    )
    rows = conn.execute(sql, args).fetchall()
    ids = [row[0] for row in rows]
    banks = _banks_of(conn, ids)
    responses: dict[str, list[ResponseRecord]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        for r in conn.execute(
            f"SELECT {_RESPONSE_COLUMNS} FROM responses r"
            f" WHERE r.attempt_id IN ({dialect.marks(len(chunk))}) ORDER BY r.attempt_id, r.id",
            list(chunk),
        ):
            responses[r[0]].append(  # by position: an export builds a million
                ResponseRecord(
                    r[1],  # bank_id
                    r[2],  # question_id
                    response_value(r[3]),  # response
                    r[4],  # score
                    r[5],  # max_score
                    bool(r[6]),  # correct
                    r[7],  # seconds
                    r[8],  # answered_at
                    bool(r[9]),  # skipped
                    bool(r[10]),  # graded
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


def ids_oldest_first(
    conn: dialect.Connection, where: str, params: Sequence[object]
) -> tuple[list[str], list[tuple[str, str]]]:
    """Ids of the attempts matching `where`, oldest first (`quiz.times.attempt_order`), and
    the (bank id, content hash) of every bank version they used, sorted."""
    ids = [
        row[0]
        for row in conn.execute(
            f"SELECT a.id FROM attempts a {where} ORDER BY a.started_at, a.id", list(params)
        )
    ]
    keys = conn.execute(
        "SELECT DISTINCT ab.bank_id, ab.content_hash FROM attempt_banks ab"
        f" WHERE ab.attempt_id IN (SELECT a.id FROM attempts a {where})"
        " ORDER BY ab.bank_id, ab.content_hash",
        list(params),
    ).fetchall()
    return ids, [(row[0], row[1]) for row in keys]


def load_ids(conn: dialect.Connection, ids: Sequence[str]) -> list[AttemptRecord]:
    """These attempts (at most a chunk of ids), in the order given."""
    found = {
        a.id: a for a in load(conn, f"WHERE a.id IN ({dialect.marks(len(ids))})", list(ids), None)
    }
    return [found[i] for i in ids if i in found]


def ids_with_prefix(conn: dialect.Connection, prefix: str, limit: int = 3) -> list[str]:
    """Attempt ids starting with `prefix`, whatever the case (at most `limit`)."""
    pattern = prefix.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [
        row[0]
        for row in conn.execute(
            "SELECT id FROM attempts WHERE lower(id) LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
            (pattern + "%", limit),
        )
    ]


def summaries(
    conn: dialect.Connection,
    where: str,
    params: Sequence[object],
    limit: int | None,
    *,
    offset: int = 0,
    answered_only: bool = False,
    live: bool = False,
) -> list[AttemptSummary]:
    """Attempts matching `where`, newest first, with score totals instead of responses (run it
    in one read transaction): one page (`limit`, `offset`), and with `answered_only` only
    those that hold an answer. The totals and counts are the ones kept with every write
    (`attempt_scores`, scope 'bank'): no response is read, no JSON decoded but the plan's
    length. `live`: counted from the responses instead (a class store's learner)."""
    if offset and limit is None:
        limit = _NO_LIMIT  # standard SQL has no OFFSET without a LIMIT
    # One index lookup per attempt shown (attempt_scores' key starts with the attempt): the
    # newest attempts are walked in order (attempts_newest) and only a page is summed. A long
    # list (every attempt, to a pipe) sums the totals once, grouped, and joins them: a third
    # cheaper than a lookup per attempt and column.
    summed = ""
    if live:
        totals = ", ".join(
            f"(SELECT COALESCE({_LIVE_TOTALS[column]}, 0) FROM responses r"
            " WHERE r.attempt_id = a.id)"
            for column in ("score", "max_score", "given", "ungraded", "skipped")
        )
    elif limit is None or limit > _LOOKUP_ROWS:
        sums = {
            "score": "s.score",
            "max_score": "s.max_score",
            "given": "s.given",
            "ungraded": "s.ungraded",
            "skipped": _KEPT_SKIPPED,
        }
        totals = ", ".join(f"COALESCE(t.{column}, 0)" for column in sums)
        summed = (
            " LEFT JOIN (SELECT s.attempt_id, "
            + ", ".join(f"SUM({sql}) AS {column}" for column, sql in sums.items())
            + " FROM attempt_scores s WHERE s.scope = 'bank' GROUP BY s.attempt_id) t"
            " ON t.attempt_id = a.id"
        )
    else:
        totals = ", ".join(
            f"(SELECT COALESCE(SUM({column}), 0) FROM attempt_scores s"
            " WHERE s.attempt_id = a.id AND s.scope = 'bank')"
            for column in ("s.score", "s.max_score", "s.given", "s.ungraded", _KEPT_SKIPPED)
        )
    if answered_only:  # a long list reads the joined count, not a lookup per attempt
        has_answer = "t.given > 0" if summed else _HAS_ANSWER_LIVE if live else _HAS_ANSWER
        where = (f"{where} AND " if where else "WHERE ") + has_answer
    sql, args = _limited(
        f"SELECT a.id, a.user_name, a.mode, a.seed, {dialect.json_array_length('a.plan')},"
        f" a.started_at, a.finished_at, a.status, {totals} FROM attempts a{summed} {where}"
        f"{_NEWEST_FIRST}",
        params,
        limit,
    )
    if offset:
        sql += " OFFSET ?"
        args.append(max(0, int(offset)))
    rows = conn.execute(sql, args).fetchall()
    banks = _banks_of(conn, [row[0] for row in rows])
    return attempt_summaries(
        (  # in the fields' order
            row[0],  # id
            row[1],  # user
            tuple(banks[row[0]]),  # banks
            row[2],  # mode
            row[7],  # status
            row[5],  # started_at
            row[6],  # finished_at
            row[3],  # seed
            int(row[4]),  # planned
            int(row[10]),  # answered
            float(row[8]),  # score
            float(row[9]),  # max_score
            int(row[11]),  # ungraded
            int(row[12]),  # skipped
        )
        for row in rows
    )


def answered_count(
    conn: dialect.Connection, where: str, params: Sequence[object], *, live: bool = False
) -> int:
    """How many attempts matching `where` hold an answer (`summaries(answered_only=True)`'s
    rows over every page)."""
    return answered_counts(conn, where, params, live=live)[0]


def answered_counts(
    conn: dialect.Connection, where: str, params: Sequence[object], *, live: bool = False
) -> tuple[int, int]:
    """How many attempts matching `where` hold an answer, and how many of them are unfinished
    (in progress or set aside): what `scores list --all` lists and `scores stats` counts."""
    joined = f"{where} AND " if where else "WHERE "
    has_answer = _HAS_ANSWER_LIVE if live else _HAS_ANSWER
    row = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.status = 'finished' THEN 0 ELSE 1 END), 0)"
        f" FROM attempts a {joined}{has_answer}",
        list(params),
    ).fetchone()
    return int(row[0]), int(row[1])


def ungraded_count(conn: dialect.Connection, user: str | None, bank: str | None) -> int:
    """Responses of finished attempts stored ungraded (no bank of the instructor's matched
    them yet), of one user or bank if given: reports say they are left out. Read from the
    counts kept with the totals (`quiz.store.totals`), not by counting responses."""
    sql = (
        "SELECT COALESCE(SUM(s.ungraded), 0) FROM attempt_scores s"
        " WHERE s.scope = 'bank' AND s.finished = 1"
    )
    params: list[object] = []
    if user is not None:
        sql += " AND s.user_name = ?"
        params.append(user)
    if bank is not None:
        sql += " AND s.bank_id = ?"
        params.append(bank)
    return int(conn.execute(sql, params).fetchone()[0])


def users(conn: dialect.Connection) -> list[str]:
    return [
        row[0] for row in conn.execute("SELECT DISTINCT user_name FROM attempts ORDER BY user_name")
    ]


def wrong_last_time(conn: dialect.Connection, user: str, bank_id: str) -> set[str]:
    """Question ids of this bank whose latest response by this user was not fully right."""
    latest: dict[str, bool] = {}
    for question_id, correct in conn.execute(
        "SELECT r.question_id, r.correct FROM responses r"
        " JOIN attempts a ON a.id = r.attempt_id"
        " WHERE a.user_name = ? AND r.bank_id = ? ORDER BY r.answered_at, r.id",
        (user, bank_id),
    ):
        latest[question_id] = bool(correct)
    return {question_id for question_id, correct in latest.items() if not correct}
