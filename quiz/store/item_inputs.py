"""Item-analysis inputs computed inside the score store's SQLite database.

`quiz.reports.items.collect_bank` reads attempt records; with a million responses, building those
records costs far more than the statistics. This module computes the same `BankInputs` with a
few grouped queries over the store's tables (`attempts`, `attempt_banks`, `responses`,
`attempt_scores`, `snapshots`), then hands them to the same pure `analyse_bank`. Tests check
that both paths agree.

The queries only read. They run on their own read-only connection to the store file, opened
after `Store.open` has created and migrated it; the working table lives in the connection's
TEMP schema. `json_array_length` (SQLite's JSON1, built in since 3.38; PostgreSQL has its own)
counts planned questions.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from quiz.errors import StoreError
from quiz.reports.items import (
    HIST_DIGITS,
    BankInputs,
    ItemSums,
    SnapshotIndex,
)
from quiz.store.records import BankSnapshot, ResponseValue
from quiz.store.store import SafeConnection

_DIGITS = HIST_DIGITS


def connect_readonly(db_path: Path) -> sqlite3.Connection:
    """A read-only connection to the store file (the caller closes it)."""
    try:
        conn = sqlite3.connect(
            db_path.resolve().as_uri() + "?mode=ro",
            uri=True,
            timeout=10.0,
            factory=SafeConnection,  # text parameters made storable, as in the store
        )
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA temp_store = MEMORY")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read the score store {db_path}: {exc}") from exc
    return conn


def reportable_banks(conn: sqlite3.Connection, user: str | None = None) -> list[str]:
    """Banks drawn from by finished, non-study attempts (of this user), sorted."""
    sql = (
        "SELECT DISTINCT ab.bank_id FROM attempt_banks ab JOIN attempts a ON a.id = ab.attempt_id"
        " WHERE a.status = 'finished' AND a.mode <> 'study'"
    )
    params: list[object] = []
    if user is not None:
        sql += " AND a.user_name = ?"
        params.append(user)
    return [row[0] for row in conn.execute(sql + " ORDER BY ab.bank_id", params)]


def load_snapshots(conn: sqlite3.Connection, bank_ids: Iterable[str]) -> list[BankSnapshot]:
    """The stored versions of these banks, oldest first (as `Store.snapshots` returns them)."""
    from quiz.store.store import decode_questions

    wanted = set(bank_ids)
    found = []
    for bank_id, content_hash, title, questions in conn.execute(
        "SELECT bank_id, content_hash, title, questions FROM snapshots"
        " ORDER BY bank_id, saved_at, content_hash"
    ):
        if bank_id not in wanted:
            continue
        found.append(
            BankSnapshot(
                bank_id,
                content_hash,
                title,
                decode_questions(bank_id, questions),
            )
        )
    return found


_SELECT = """
CREATE TEMP TABLE quiz_sel AS
SELECT a.id AS attempt_id, a.started_at AS started_at, ab.content_hash AS content_hash,
       COALESCE(s.score, 0.0) AS total, COALESCE(s.max_score, 0.0) AS maxs,
       COALESCE(s.answered, 0) AS included, json_array_length(a.plan) AS planned,
       CASE WHEN a.quiz_key = ? THEN 1 ELSE 0 END AS single
FROM attempts a
JOIN attempt_banks ab ON ab.attempt_id = a.id AND ab.bank_id = ?
LEFT JOIN attempt_scores s ON s.attempt_id = a.id AND s.bank_id = ab.bank_id AND s.tag = ''
WHERE a.status = 'finished' AND a.mode <> 'study' {user} {first}
"""

# Each learner's first reportable attempt that drew from the bank (by start time, then id).
_FIRST = """
AND a.id IN (
    SELECT id FROM (
        SELECT x.id AS id, ROW_NUMBER() OVER (
            PARTITION BY x.user_name ORDER BY x.started_at, x.id) AS nth
        FROM attempts x JOIN attempt_banks y ON y.attempt_id = x.id AND y.bank_id = ?
        WHERE x.status = 'finished' AND x.mode <> 'study' {user}
    ) WHERE nth = 1)
"""

# One row per response of the chosen attempts; Python counts the distinct rows (a Counter is
# several times faster here than SQLite's GROUP BY, which sorts). The response text is kept
# only for choice and multi questions (option counts); others give 'null' when unanswered.
_RESPONSES = """
SELECT r.question_id, r.score, r.max_score, q.total,
       CASE WHEN r.skipped = 1 OR r.response = 'null' THEN 'null'
            WHEN r.question_id IN ({options}) THEN r.response END
       {included}
FROM quiz_sel q JOIN responses r ON r.attempt_id = q.attempt_id AND r.bank_id = ?
"""


def collect_bank_sql(
    conn: sqlite3.Connection,
    bank_id: str,
    *,
    all_attempts: bool = False,
    user: str | None = None,
    snapshots: Sequence[BankSnapshot] | None = None,
) -> BankInputs:
    """The same `BankInputs` as `quiz.reports.items.collect_bank`, from the store's tables."""
    if snapshots is None:
        snapshots = load_snapshots(conn, [bank_id])
    user_a = "AND a.user_name = ?" if user is not None else ""
    user_x = "AND x.user_name = ?" if user is not None else ""
    user_params: list[object] = [user] if user is not None else []
    first = "" if all_attempts else _FIRST.format(user=user_x)
    first_params = [] if all_attempts else [bank_id, *user_params]
    conn.execute("DROP TABLE IF EXISTS temp.quiz_sel")
    conn.execute(
        _SELECT.format(user=user_a, first=first),
        [bank_id, bank_id, *user_params, *first_params],
    )
    try:
        return _collect(conn, bank_id, snapshots, all_attempts)
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.quiz_sel")


def _collect(
    conn: sqlite3.Connection,
    bank_id: str,
    snapshots: Sequence[BankSnapshot],
    all_attempts: bool,
) -> BankInputs:
    # The newest version's view of a question wins, as in `SnapshotIndex`: a version is newer
    # when an attempt that used it started later; versions nobody used come first.
    last_used = dict(
        conn.execute(
            "SELECT ab.content_hash, MAX(a.started_at) FROM attempt_banks ab"
            " JOIN attempts a ON a.id = ab.attempt_id WHERE ab.bank_id = ?"
            " GROUP BY ab.content_hash",
            (bank_id,),
        ).fetchall()
    )
    ordered = sorted(
        (s for s in snapshots if s.bank_id == bank_id),
        key=lambda s: str(last_used.get(s.content_hash) or ""),
    )
    index = SnapshotIndex(ordered)
    items: dict[str, ItemSums] = {
        qid: ItemSums(bank_id, qid, index.question(bank_id, qid))
        for qid in index.order.get(bank_id, [])
    }

    def item(qid: str) -> ItemSums:
        found = items.get(qid)
        if found is None:
            found = items[qid] = ItemSums(bank_id, qid, index.question(bank_id, qid))
        return found

    # Planned questions an attempt has no response to score 0: find those attempts (a planned
    # count above the responses' for single-bank attempts; every multi-bank one), add them.
    extra: dict[str, list[tuple[str, float]]] = {}  # attempt -> [(question, max)]
    suspects = conn.execute(
        "SELECT attempt_id FROM quiz_sel WHERE single = 0 OR planned > included"
    ).fetchall()
    for (attempt_id,) in suspects:
        plan_row = conn.execute("SELECT plan FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        planned = [q for b, q in json.loads(plan_row[0]) if b == bank_id]
        answered = {
            row[0]
            for row in conn.execute(
                "SELECT question_id FROM responses WHERE attempt_id = ? AND bank_id = ?",
                (attempt_id, bank_id),
            )
        }
        missing = [q for q in dict.fromkeys(planned) if q not in answered]
        if missing:
            extra[attempt_id] = [(q, index.max_of(bank_id, q)) for q in missing]
    if extra:
        conn.executemany(
            "UPDATE quiz_sel SET included = included + ?, maxs = maxs + ? WHERE attempt_id = ?",
            [(len(m), sum(mx for _, mx in m), a) for a, m in extra.items()],
        )

    # Every attempt including the same number of questions is the usual case: then the
    # attempts are all complete or none is, and the per-row count of included questions is
    # not needed.
    low, high = conn.execute("SELECT MIN(included), MAX(included) FROM quiz_sel").fetchone()
    uniform = low == high
    option_questions = [
        q.question_id
        for q in index.questions.values()
        if q.bank_id == bank_id and q.kind in ("choice", "multi")
    ]
    sql = _RESPONSES.format(
        options=", ".join("?" * len(option_questions)) or "NULL",
        included="" if uniform else ", q.included",
    )
    counted = Counter(conn.execute(sql, [*option_questions, bank_id]))

    complete_rows: list[tuple[str, float, int, int]] = []  # (question, x, included, count)
    for row, count in counted.items():
        qid, score, max_score, total, response = row[:5]
        included = low if uniform else row[5]
        x = round(score, _DIGITS)
        y = round(total - score, _DIGITS)
        f = score / max_score if max_score > 0 else 0.0
        sums = item(qid)
        sums.n += count
        sums.sum_f += f * count
        sums.sum_f2 += f * f * count
        sums.sum_xy += x * y * count
        sums.x_hist[x] = sums.x_hist.get(x, 0) + count
        sums.y_hist[y] = sums.y_hist.get(y, 0) + count
        if response == "null":
            sums.no_answer += count
        elif response is not None:
            for option in _options(response):
                sums.option_counts[option] = sums.option_counts.get(option, 0) + count
        complete_rows.append((qid, x, included, count))
    # The planned questions without a response: x = 0, y = the attempt's total.
    if extra:
        found = conn.execute("SELECT attempt_id, total, included FROM quiz_sel").fetchall()
        by_attempt = {a: (t, i) for a, t, i in found}
        for attempt_id, missing in extra.items():
            total, included = by_attempt[attempt_id]
            for qid, _ in missing:
                sums = item(qid)
                y = round(total, _DIGITS)
                sums.n += 1
                sums.x_hist[0.0] = sums.x_hist.get(0.0, 0) + 1
                sums.y_hist[y] = sums.y_hist.get(y, 0) + 1
                sums.no_answer += 1
                complete_rows.append((qid, 0.0, included, 1))

    k = sum(1 for s in items.values() if s.n)
    inputs = BankInputs(
        bank_id=bank_id,
        title=index.title(bank_id),
        items=list(items.values()),
        percents=[],
        versions=tuple(_first_use_order(conn)),
        all_attempts=all_attempts,
    )
    # Complete attempts include every question someone saw: `included` equals k.
    if k:
        for qid, x, included, count in complete_rows:
            if included == k:
                sums = items[qid]
                sums.complete_sum_x += x * count
                sums.complete_sum_x2 += x * x * count
        row = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(total), 0), COALESCE(SUM(total * total), 0)"
            " FROM quiz_sel WHERE included = ?",
            (k,),
        ).fetchone()
        inputs.complete, inputs.complete_sum_t, inputs.complete_sum_t2 = (
            int(row[0]),
            float(row[1]),
            float(row[2]),
        )
    for total, maxs, count in conn.execute(
        "SELECT total, maxs, COUNT(*) FROM quiz_sel WHERE maxs > 0 AND included > 0"
        " GROUP BY total, maxs"
    ):
        inputs.percents.extend([100.0 * total / maxs] * count)
    return inputs


def _first_use_order(conn: sqlite3.Connection) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT content_hash FROM quiz_sel GROUP BY content_hash ORDER BY MIN(started_at)"
        )
    ]


def _options(text: str) -> list[str]:
    try:
        value: ResponseValue = json.loads(text)
    except ValueError:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return list(dict.fromkeys(v for v in value if isinstance(v, str)))
    return []
