"""Score totals per attempt (`attempt_scores`) and every tag a question has had
(`question_tags`), kept with every write so that `scores list` and `scores stats` need not add
up every response.

Three scopes of totals: `bank` (bank_id, tag ''), `tag` (bank_id '': the tag across all the
attempt's banks) and `bank_tag` (the tag within one bank). The attempt's user, start and whether
it is finished are copied in, so that stats read one index.
"""

from __future__ import annotations

from collections.abc import Iterable

from quiz.store import dialect
from quiz.store.records import QuestionSnapshot

_SCORE_INSERT = """
INSERT INTO attempt_scores (attempt_id, scope, bank_id, tag, user_name, started_at, finished,
    score, max_score, answered, correct)
SELECT r.attempt_id, {scope}, {bank}, {tag}, a.user_name, a.started_at,
    CASE WHEN a.status = 'finished' THEN 1 ELSE 0 END,
    SUM(r.score), SUM(r.max_score), COUNT(*), SUM(r.correct)
FROM responses r
JOIN attempts a ON a.id = r.attempt_id
{join}
{where}
GROUP BY r.attempt_id, a.user_name, a.started_at, a.status{group}
"""
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
    _SCORE_INSERT.format(
        scope="'tag'", bank="''", tag="t.tag", join=_TAG_JOIN, where="{where}", group=", t.tag"
    ),
)


def insert_tags(conn: dialect.Connection, questions: Iterable[QuestionSnapshot]) -> None:
    rows = {(q.bank_id, q.question_id, tag) for q in questions for tag in q.tags}
    conn.executemany(
        "INSERT INTO question_tags (bank_id, question_id, tag) VALUES (?, ?, ?)"
        + dialect.on_conflict_ignore(),
        sorted(rows),
    )


def refresh(conn: dialect.Connection, attempt_ids: Iterable[str] | None) -> None:
    """Recompute `attempt_scores` for these attempts, or for every attempt."""
    if attempt_ids is None:
        conn.execute("DELETE FROM attempt_scores")
        for sql in _SCORE_SCOPES:
            conn.execute(sql.format(where=""))
        return
    for attempt_id in sorted(set(attempt_ids)):
        conn.execute("DELETE FROM attempt_scores WHERE attempt_id = ?", (attempt_id,))
        for sql in _SCORE_SCOPES:
            conn.execute(sql.format(where="WHERE r.attempt_id = ?"), (attempt_id,))


def mark_finished(conn: dialect.Connection, attempt_id: str) -> None:
    conn.execute("UPDATE attempt_scores SET finished = 1 WHERE attempt_id = ?", (attempt_id,))
