"""Score totals per attempt (`attempt_scores`) and every tag a question has had
(`question_tags`), kept with every write so that `scores list` and `scores stats` need not add
up every response; and the queries that read them.

Three scopes of totals: `bank` (bank_id, tag ''), `tag` (bank_id '': the tag across all the
attempt's banks) and `bank_tag` (the tag within one bank). The attempt's user, start and whether
it is finished are copied in, so that stats read one index. `answered` counts graded responses:
one stored ungraded (no bank matched it) is left out of every total until it is graded. `given`
counts the responses that hold an answer (neither skipped nor left out) and `ungraded` those
stored ungraded, so that `scores list` reads a page of attempts without counting responses.
`attempts.unanswered` counts an attempt's planned questions without a response: the reports
look for those (they score 0) only in the attempts that have some.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from quiz.store import dialect

if TYPE_CHECKING:  # every write keeps the totals; only reports build these records
    from quiz.store.records import QuestionSnapshot
    from quiz.store.report_records import GroupTotals, QuestionTotals

_SCORE_INSERT = """
INSERT INTO attempt_scores (attempt_id, scope, bank_id, tag, user_name, started_at, finished,
    score, max_score, answered, correct, given, ungraded)
SELECT r.attempt_id, {scope}, {bank}, {tag}, a.user_name, a.started_at,
    CASE WHEN a.status = 'finished' THEN 1 ELSE 0 END,
    SUM(r.score), SUM(r.max_score), SUM(r.graded), SUM(r.correct),
    SUM(CASE WHEN r.skipped = 0 AND r.response <> 'null' THEN 1 ELSE 0 END),
    SUM(1 - r.graded)
FROM responses r
JOIN attempts a ON a.id = r.attempt_id
{join}
{where}
GROUP BY r.attempt_id, a.user_name, a.started_at, a.status{group}
"""
# An attempt (of rows aliased {0}, with an attempt_id) that holds an answer: only those count in
# `scores stats`, as only those are listed by `scores list` (an empty attempt says nothing).
# (Not in the few attempts that hold none: a small set built once, so that the full scans
# of `scores stats` cost what they did.)
_HOLDS_ANSWER = (
    "{0}.attempt_id NOT IN (SELECT hs.attempt_id FROM attempt_scores hs WHERE hs.scope = 'bank'"
    " GROUP BY hs.attempt_id HAVING SUM(hs.given) = 0)"
)
_TAG_JOIN = "JOIN question_tags t ON t.bank_id = r.bank_id AND t.question_id = r.question_id"
_SCORE_SCOPES = (
    _SCORE_INSERT.format(
        scope="'bank'", bank="r.bank_id", tag="''", join="", where="{where}", group=", r.bank_id"
    ),
    _SCORE_INSERT.format(
        scope="'bank_tag'",
        bank="r.bank_id",
        tag="t.tag",
        join=_TAG_JOIN,
        where="{where}",
        group=", r.bank_id, t.tag",
    ),
    # A tag across the attempt's banks: the sum of its per-bank rows just written (a few
    # rows per attempt instead of every response again).
    """
INSERT INTO attempt_scores (attempt_id, scope, bank_id, tag, user_name, started_at, finished,
    score, max_score, answered, correct, given, ungraded)
SELECT s.attempt_id, 'tag', '', s.tag, s.user_name, s.started_at, s.finished,
    SUM(s.score), SUM(s.max_score), SUM(s.answered), SUM(s.correct), SUM(s.given),
    SUM(s.ungraded)
FROM attempt_scores s
WHERE s.scope = 'bank_tag' {where_s}
GROUP BY s.attempt_id, s.tag, s.user_name, s.started_at, s.finished
""",
)


_REFRESH_CHUNK = 500  # attempt ids per statement (well under any driver's parameter limit)


def insert_tags(conn: dialect.Connection, questions: Iterable[QuestionSnapshot]) -> None:
    rows = {(q.bank_id, q.question_id, tag) for q in questions for tag in q.tags}
    conn.executemany(
        "INSERT INTO question_tags (bank_id, question_id, tag) VALUES (?, ?, ?)"
        + dialect.on_conflict_ignore(),
        sorted(rows),
    )


def _unanswered_sql() -> str:
    """Set `attempts.unanswered`: the distinct planned questions with no response."""
    bank, question = dialect.json_item("e.value", 0), dialect.json_item("e.value", 1)
    return (
        "UPDATE attempts SET unanswered = (SELECT COUNT(*) FROM (SELECT DISTINCT"
        f" {bank} AS bank_id, {question} AS question_id"
        f" FROM {dialect.json_each('attempts.plan')} e) p WHERE NOT EXISTS (SELECT 1"
        " FROM responses r WHERE r.attempt_id = attempts.id AND r.bank_id = p.bank_id"
        " AND r.question_id = p.question_id))"
    )


def refresh(conn: dialect.Connection, attempt_ids: Iterable[str] | None) -> None:
    """Recompute `attempt_scores`, and each attempt's count of planned questions without a
    response (`attempts.unanswered`), for these attempts, or for every attempt."""
    if attempt_ids is None:
        conn.execute("DELETE FROM attempt_scores")
        for sql in _SCORE_SCOPES:
            conn.execute(sql.format(where="", where_s=""))
        conn.execute(_unanswered_sql())
        return
    ids = sorted(set(attempt_ids))
    for start in range(0, len(ids), _REFRESH_CHUNK):  # set-based: a few statements per chunk
        chunk = ids[start : start + _REFRESH_CHUNK]
        marks = dialect.marks(len(chunk))
        conn.execute(f"DELETE FROM attempt_scores WHERE attempt_id IN ({marks})", chunk)
        for sql in _SCORE_SCOPES:
            where = f"WHERE r.attempt_id IN ({marks})"
            conn.execute(sql.format(where=where, where_s=f"AND s.attempt_id IN ({marks})"), chunk)
        conn.execute(f"{_unanswered_sql()} WHERE id IN ({marks})", chunk)


def mark_finished(conn: dialect.Connection, attempt_id: str) -> None:
    conn.execute("UPDATE attempt_scores SET finished = 1 WHERE attempt_id = ?", (attempt_id,))


# --- reading the totals (`scores stats`, aggregated by quiz.reports.learner) -----------------


def groups(
    conn: dialect.Connection, *, user: str | None = None, bank: str | None = None
) -> list[GroupTotals]:
    """Per bank and per tag: attempts, finished attempts, score, max score, answered and the
    best finished score fraction. With `bank`, its tags are counted within it alone."""
    from quiz.store.report_records import GroupTotals

    if bank is None:
        clauses = ["s.scope IN ('bank', 'tag')", _HOLDS_ANSWER.format("s")]
        params: list[object] = []
    else:
        clauses = ["s.scope IN ('bank', 'bank_tag')", "s.bank_id = ?", _HOLDS_ANSWER.format("s")]
        params = [bank]
    if user is not None:
        clauses.append("s.user_name = ?")
        params.append(user)
    rows = conn.execute(
        "SELECT s.scope, s.bank_id, s.tag, COUNT(*), SUM(s.finished), SUM(s.score),"
        " SUM(s.max_score), SUM(s.answered),"
        " MAX(CASE WHEN s.finished = 1 AND s.max_score > 0 THEN s.score / s.max_score END)"
        f" FROM attempt_scores s WHERE {' AND '.join(clauses)}"
        " GROUP BY s.scope, s.bank_id, s.tag ORDER BY s.scope, s.bank_id, s.tag",
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


def trend(
    conn: dialect.Connection,
    scope: str,
    bank_id: str,
    tag: str,
    *,
    user: str | None = None,
    limit: int = 10,
) -> list[float]:
    """Score fractions of the last `limit` finished attempts in one group, oldest first."""
    sql = (
        "SELECT s.score, s.max_score FROM attempt_scores s WHERE s.scope = ?"
        " AND s.bank_id = ? AND s.tag = ? AND s.finished = 1 AND s.max_score > 0"
        f" AND {_HOLDS_ANSWER.format('s')}"
    )
    params: list[object] = [scope, bank_id, tag]
    if user is not None:
        sql += " AND s.user_name = ?"
        params.append(user)
    sql += " ORDER BY s.started_at DESC, s.attempt_id DESC LIMIT ?"
    params.append(max(0, int(limit)))
    rows = conn.execute(sql, params).fetchall()
    return [score / max_score for score, max_score in reversed(rows)]


def questions(
    conn: dialect.Connection, *, user: str | None = None, bank: str | None = None
) -> list[QuestionTotals]:
    """Per question: responses, score and max score totals, and how often it was missed."""
    from quiz.store.report_records import QuestionTotals

    # Responses of the attempts `groups` counts: a skip counts where its attempt holds an answer.
    clauses: list[str] = [_HOLDS_ANSWER.format("r")]
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
    rows = conn.execute(
        "SELECT r.bank_id, r.question_id, COUNT(*), SUM(r.score), SUM(r.max_score),"
        f" SUM(1 - r.correct) FROM responses r{join} {where}"
        " GROUP BY r.bank_id, r.question_id ORDER BY r.bank_id, r.question_id",
        params,
    ).fetchall()
    return [
        QuestionTotals(row[0], row[1], int(row[2]), float(row[3]), float(row[4]), int(row[5]))
        for row in rows
    ]
