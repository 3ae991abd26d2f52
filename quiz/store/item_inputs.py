"""Item-analysis inputs, computed inside the store: `Store.item_inputs` and
`Store.reportable_banks` run these queries on the store's own connection.

With a million responses, building attempt records costs far more than the statistics, so a few
grouped queries over the store's tables (`attempts`, `attempt_banks`, `responses`,
`attempt_scores`, `snapshots`) produce the sufficient statistics (`BankInputs`) that the pure
`quiz.reports.items.analyse_bank` turns into Moodle's figures. The tests compare the result with
a reference written over attempt records (`tests/oracle_items.py`).

Which attempts count: finished ones, not study sessions; the first attempt of each learner that
includes the bank (by start time, then id), or the last, or the best (the highest total in the
bank, the earliest of equals), or all of them. Within an attempt a question
is *included* when it was planned or answered; an included question without an answer scores 0,
a question the attempt did not include is missing, not zero.

The queries only read, inside one read transaction; the working table is a TEMP table, private to
the connection. Planned questions without a response are looked for in the attempts whose
count of them (`attempts.unanswered`, kept with the totals) is not 0.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from quiz.store import dialect
from quiz.store import snapshots as versions
from quiz.store.records import BankSnapshot, QuestionSnapshot, ResponseValue
from quiz.store.report_records import HIST_DIGITS, BankInputs, ItemSums
from quiz.store.snapshots import SnapshotIndex

_SEL = "quiz_sel"  # the TEMP table of the attempts analysed


def chosen_options(response: ResponseValue) -> list[str]:
    """The option texts a response picked: one for choice, each (once) for multi."""
    if isinstance(response, str):
        return [response]
    if isinstance(response, list):
        return list(dict.fromkeys(item for item in response if isinstance(item, str)))
    return []


def bank_ids(conn: dialect.Connection, user: str | None = None) -> list[str]:
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


_SELECT = """
CREATE TEMP TABLE {table} AS
SELECT a.id AS attempt_id, a.started_at AS started_at, ab.content_hash AS content_hash,
       COALESCE(s.score, 0.0) AS total, COALESCE(s.max_score, 0.0) AS maxs,
       COALESCE(s.answered, 0) AS included, a.unanswered AS unanswered
FROM attempts a
JOIN attempt_banks ab ON ab.attempt_id = a.id AND ab.bank_id = ?
LEFT JOIN attempt_scores s ON s.attempt_id = a.id AND s.scope = 'bank' AND s.bank_id = ab.bank_id
    AND s.tag = ''
WHERE a.status = 'finished' AND a.mode <> 'study' {user} {first}
"""

# Each learner's first (last, best) reportable attempt that drew from the bank: by start time,
# then id; best is the highest total in the bank, the earliest of equals.
ATTEMPT_RULES: tuple[str, ...] = ("first", "last", "best", "all")
_ORDER = {
    "first": "x.started_at, x.id",
    "last": "x.started_at DESC, x.id DESC",
    "best": "COALESCE(z.score, 0) DESC, x.started_at, x.id",
}
_PICK = """
AND a.id IN (
    SELECT id FROM (
        SELECT x.id AS id, ROW_NUMBER() OVER (
            PARTITION BY x.user_name ORDER BY {order}) AS nth
        FROM attempts x JOIN attempt_banks y ON y.attempt_id = x.id AND y.bank_id = ?
        LEFT JOIN attempt_scores z ON z.attempt_id = x.id AND z.scope = 'bank'
            AND z.bank_id = y.bank_id AND z.tag = ''
        WHERE x.status = 'finished' AND x.mode <> 'study' {user}
    ) picked WHERE nth = 1)
"""

# One row per response of the chosen attempts; Python counts the distinct rows (a Counter is
# several times faster here than SQLite's GROUP BY, which sorts). The response text is kept
# only for choice and multi questions (option counts), or for all with the response analysis;
# others give 'null' when unanswered.
_RESPONSES = """
SELECT r.question_id, r.score, r.max_score, q.total,
       CASE WHEN r.skipped = 1 OR r.response = 'null' THEN 'null'
            WHEN {kept} THEN r.response END
       {included}
FROM {table} q {join} responses r {on} r.attempt_id = q.attempt_id AND r.bank_id = ?
    AND r.graded = 1
"""
# A few attempts picked (one per learner): their responses are found by the responses' key,
# the TEMP table walked first (`CROSS JOIN`: the planner knows nothing of a TEMP table and
# would scan every response). Every attempt: one pass over the responses is cheaper.
_JOIN_PICKED = ("CROSS JOIN", "WHERE")
_JOIN_ALL = ("JOIN", "ON")


def _select(conn: dialect.Connection, bank_id: str, rule: str, user: str | None) -> None:
    """Fill the TEMP table with the attempts analysed (see the module docstring)."""
    if rule not in ATTEMPT_RULES:
        raise ValueError(f"unknown attempt rule {rule!r}: use one of {', '.join(ATTEMPT_RULES)}")
    user_a = "AND a.user_name = ?" if user is not None else ""
    user_x = "AND x.user_name = ?" if user is not None else ""
    user_params: list[object] = [user] if user is not None else []
    pick = "" if rule == "all" else _PICK.format(order=_ORDER[rule], user=user_x)
    pick_params = [] if rule == "all" else [bank_id, *user_params]
    table = dialect.temp_table(_SEL)
    conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute(
        _SELECT.format(table=_SEL, user=user_a, first=pick),
        [bank_id, *user_params, *pick_params],
    )
    # Its size for the planner: knowing nothing of a TEMP table, SQLite assumes a large one
    # and builds a Bloom filter over every response to join it (0.1 s at a million).
    conn.execute(f"{dialect.ANALYZE} {table}")


def collect_bank_inputs(
    conn: dialect.Connection,
    bank_id: str,
    *,
    all_attempts: bool = False,
    user: str | None = None,
    snapshots: Sequence[BankSnapshot] | None = None,
    rule: str | None = None,
) -> BankInputs:
    """Item-analysis inputs of one bank from the store's tables (see the module docstring).

    `rule` picks each learner's attempt: first (the default), last, best, or all of them
    (`all_attempts` is the same as "all"). Run it inside one read transaction
    (`Store.item_inputs` does)."""
    rule = rule or ("all" if all_attempts else "first")
    if snapshots is None:
        snapshots = versions.read(conn, bank_ids=[bank_id])
    _select(conn, bank_id, rule, user)
    table = dialect.temp_table(_SEL)
    try:
        return _collect(conn, bank_id, snapshots, rule == "all")
    finally:
        conn.execute(f"DROP TABLE IF EXISTS {table}")


def collect_with_responses(
    conn: dialect.Connection,
    bank_id: str,
    *,
    rule: str = "first",
    user: str | None = None,
    snapshots: Sequence[BankSnapshot] | None = None,
) -> tuple[BankInputs, list[tuple[str, ResponseValue, int, float, float]]]:
    """Item-analysis inputs and, in the same pass over the responses, the responses counted:
    (question id, response, count, sum of scores, sum of maximum scores), one row per
    (question, stored response). Skipped questions and planned ones without a response are not
    among them (item analysis counts them as no answer)."""
    if snapshots is None:
        snapshots = versions.read(conn, bank_ids=[bank_id])
    _select(conn, bank_id, rule, user)
    table = dialect.temp_table(_SEL)
    counts: dict[tuple[str, str], list[Any]] = {}
    try:
        inputs = _collect(conn, bank_id, snapshots, rule == "all", counts)
    finally:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    found = []
    for (qid, text), (count, score, max_score) in counts.items():
        try:
            value: ResponseValue = json.loads(text)
        except ValueError:
            value = text
        found.append((str(qid), value, int(count), float(score), float(max_score)))
    return inputs, found


@dataclass
class _Sums:
    """An `ItemSums` being added up (the same fields, mutable)."""

    bank_id: str
    question_id: str
    question: QuestionSnapshot | None = None
    n: int = 0
    no_answer: int = 0
    sum_f: float = 0.0
    sum_f2: float = 0.0
    sum_xy: float = 0.0
    x_hist: dict[float, int] = field(default_factory=dict)
    y_hist: dict[float, int] = field(default_factory=dict)
    option_counts: dict[str, int] = field(default_factory=dict)
    complete_sum_x: float = 0.0
    complete_sum_x2: float = 0.0

    def frozen(self) -> ItemSums:
        return ItemSums(**{f.name: getattr(self, f.name) for f in fields(ItemSums)})


def _collect(
    conn: dialect.Connection,
    bank_id: str,
    snapshots: Sequence[BankSnapshot],
    all_attempts: bool,
    counts: dict[tuple[str, str], list[Any]] | None = None,
) -> BankInputs:
    # The newest version's view of a question wins, as in `SnapshotIndex`: a version is newer
    # when an attempt that used it started later; versions nobody used come first.
    used = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT content_hash FROM attempt_banks WHERE bank_id = ?", (bank_id,)
        )
    ]  # (from an index alone: most banks were used in one version, which needs no times)
    last_used = (
        {used[0]: "1"}
        if len(used) == 1
        else dict(
            conn.execute(
                "SELECT ab.content_hash, MAX(a.started_at) FROM attempt_banks ab"
                " JOIN attempts a ON a.id = ab.attempt_id WHERE ab.bank_id = ?"
                " GROUP BY ab.content_hash",
                (bank_id,),
            ).fetchall()
        )
    )
    ordered = sorted(
        (s for s in snapshots if s.bank_id == bank_id),
        key=lambda s: str(last_used.get(s.content_hash) or ""),
    )
    index = SnapshotIndex(ordered)
    items: dict[str, _Sums] = {
        qid: _Sums(bank_id, qid, index.question(bank_id, qid))
        for qid in index.order.get(bank_id, [])
    }

    def item(qid: str) -> _Sums:
        found = items.get(qid)
        if found is None:
            found = items[qid] = _Sums(bank_id, qid, index.question(bank_id, qid))
        return found

    # Planned questions an attempt has no response to score 0: find those attempts (those
    # with any, of any bank: `attempts.unanswered`, kept with the totals), add them.
    extra: dict[str, list[tuple[str, float]]] = {}  # attempt -> [(question, max)]
    suspects = conn.execute(f"SELECT attempt_id FROM {_SEL} WHERE unanswered > 0").fetchall()
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
            f"UPDATE {_SEL} SET included = included + ?, maxs = maxs + ? WHERE attempt_id = ?",
            [(len(m), sum(mx for _, mx in m), a) for a, m in extra.items()],
        )

    # Every attempt including the same number of questions is the usual case: then the
    # attempts are all complete or none is, and the per-row count of included questions is
    # not needed.
    low, high = conn.execute(f"SELECT MIN(included), MAX(included) FROM {_SEL}").fetchone()
    uniform = low == high
    option_questions = [
        q.question_id
        for q in index.questions.values()
        if q.bank_id == bank_id and q.kind in ("choice", "multi")
    ]
    if counts is None:
        kept = f"r.question_id IN ({dialect.marks(len(option_questions)) or 'NULL'})"
        params = [*option_questions, bank_id]
    else:
        kept, params = "1 = 1", [bank_id]
    join, on = _JOIN_ALL if all_attempts else _JOIN_PICKED
    sql = _RESPONSES.format(
        kept=kept, included="" if uniform else ", q.included", table=_SEL, join=join, on=on
    )
    if not all_attempts:
        dialect.prefer_lookups(conn)
    counted = Counter(conn.execute(sql, params))
    with_options = set(option_questions)

    complete_rows: list[tuple[str, float, int, int]] = []  # (question, x, included, count)
    for row, count in counted.items():
        qid, score, max_score, total, response = row[:5]
        included = low if uniform else row[5]
        x = round(score, HIST_DIGITS)
        y = round(total - score, HIST_DIGITS)
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
            if qid in with_options:
                for option in _options(response):
                    sums.option_counts[option] = sums.option_counts.get(option, 0) + count
            if counts is not None:
                found = counts.setdefault((qid, response), [0, 0.0, 0.0])
                found[0] += count
                found[1] += score * count
                found[2] += max_score * count
        complete_rows.append((qid, x, included, count))
    # The planned questions without a response: x = 0, y = the attempt's total.
    if extra:
        found = conn.execute(f"SELECT attempt_id, total, included FROM {_SEL}").fetchall()
        by_attempt = {a: (t, i) for a, t, i in found}
        for attempt_id, missing in extra.items():
            total, included = by_attempt[attempt_id]
            for qid, _ in missing:
                sums = item(qid)
                y = round(total, HIST_DIGITS)
                sums.n += 1
                sums.x_hist[0.0] = sums.x_hist.get(0.0, 0) + 1
                sums.y_hist[y] = sums.y_hist.get(y, 0) + 1
                sums.no_answer += 1
                complete_rows.append((qid, 0.0, included, 1))

    # Complete attempts include every question someone saw: `included` equals k.
    k = sum(1 for s in items.values() if s.n)
    complete, complete_sum_t, complete_sum_t2 = 0, 0.0, 0.0
    if k:
        for qid, x, included, count in complete_rows:
            if included == k:
                sums = items[qid]
                sums.complete_sum_x += x * count
                sums.complete_sum_x2 += x * x * count
        row = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(total), 0), COALESCE(SUM(total * total), 0)"
            f" FROM {_SEL} WHERE included = ?",
            (k,),
        ).fetchone()
        complete, complete_sum_t, complete_sum_t2 = int(row[0]), float(row[1]), float(row[2])
    percents: list[float] = []
    for total, maxs, count in conn.execute(
        f"SELECT total, maxs, COUNT(*) FROM {_SEL} WHERE maxs > 0 AND included > 0"
        " GROUP BY total, maxs ORDER BY total, maxs"
    ):
        percents.extend([100.0 * total / maxs] * count)
    return BankInputs(
        bank_id=bank_id,
        title=index.title(bank_id),
        items=tuple(s.frozen() for s in items.values()),
        percents=tuple(percents),
        versions=tuple(_first_use_order(conn)),
        complete=complete,
        complete_sum_t=complete_sum_t,
        complete_sum_t2=complete_sum_t2,
        all_attempts=all_attempts,
    )


def _first_use_order(conn: dialect.Connection) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            f"SELECT content_hash FROM {_SEL} GROUP BY content_hash ORDER BY MIN(started_at)"
        )
    ]


def _options(text: str) -> list[str]:
    try:
        value: ResponseValue = json.loads(text)
    except ValueError:
        return []
    return chosen_options(value)
