"""The queries behind `quiz scores report --by user`: per-attempt marks and each learner's latest
mark per question, summed in SQL, without loading responses or decoding their JSON.

What counts is what `quiz.reports.items.user_rows` counts (its Python is the oracle): finished
attempts that are not study sessions, of a user, drawing from a bank (`attempts.filters`).
An attempt's marks are its responses (of the bank, when given) plus, for a planned question it
has no response to, 0 out of that question's points; the planned questions without a response
are rare (an attempt left early: `attempts.unanswered` counts them, kept with the totals), so
they are looked for in those attempts only and listed for the caller to price with its
snapshot index.
"""

from __future__ import annotations

from quiz.store import attempts, dialect
from quiz.store.report_records import AttemptMarks, LatestMark, UserReportInputs

_REPORTABLE = "a.status = 'finished' AND a.mode <> 'study'"


def _where(user: str | None, bank: str | None) -> tuple[str, list[object]]:
    where, params = attempts.filters(user, bank, None)
    return (where + " AND " if where else "WHERE ") + _REPORTABLE, params


def user_report_inputs(
    conn: dialect.Connection, user: str | None, bank: str | None
) -> UserReportInputs:
    """Everything `--by user` needs (run it in one read transaction)."""
    where, params = _where(user, bank)
    bank_only = "" if bank is None else " AND r.bank_id = ?"
    bank_param: list[object] = [] if bank is None else [bank]
    # The per-attempt totals kept with every write (`totals`): one row per attempt and bank.
    scores_bank = "" if bank is None else " AND s.bank_id = ?"
    rows = conn.execute(
        "SELECT a.id, a.user_name, a.started_at, COALESCE(SUM(s.score), 0),"
        " COALESCE(SUM(s.max_score), 0) FROM attempts a LEFT JOIN attempt_scores s"
        f" ON s.attempt_id = a.id AND s.scope = 'bank' AND s.tag = ''{scores_bank}"
        f" {where} GROUP BY a.id, a.user_name, a.started_at ORDER BY a.started_at, a.id",
        bank_param + params,
    ).fetchall()
    marks = tuple(AttemptMarks(r[0], r[1], r[2], float(r[3]), float(r[4])) for r in rows)
    planned_bank = "" if bank is None else " AND p.bank_id = ?"
    unanswered = conn.execute(
        "SELECT DISTINCT p.attempt_id, p.bank_id, p.question_id FROM ("
        f"SELECT a.id AS attempt_id, {dialect.json_item('e.value', 0)} AS bank_id,"
        f" {dialect.json_item('e.value', 1)} AS question_id"
        f" FROM attempts a, {dialect.json_each('a.plan')} e {where} AND a.unanswered > 0) p"
        f" WHERE NOT EXISTS (SELECT 1 FROM responses r WHERE r.attempt_id = p.attempt_id"
        f" AND r.bank_id = p.bank_id AND r.question_id = p.question_id){planned_bank}",
        params + bank_param,
    ).fetchall()
    latest = conn.execute(
        "SELECT user_name, bank_id, question_id, score, max_score, started_at, attempt_id FROM ("
        "SELECT a.user_name, r.bank_id, r.question_id, r.score, r.max_score, a.started_at,"
        " r.attempt_id, ROW_NUMBER() OVER (PARTITION BY a.user_name, r.bank_id, r.question_id"
        " ORDER BY a.started_at DESC, a.id DESC) AS newest"
        f" FROM responses r JOIN attempts a ON a.id = r.attempt_id {where}{bank_only}"
        ") latest WHERE newest = 1",
        params + bank_param,
    ).fetchall()
    banks = conn.execute(
        "SELECT ab.bank_id, ab.content_hash, a.started_at FROM attempt_banks ab"
        f" JOIN attempts a ON a.id = ab.attempt_id {where}"
        " ORDER BY a.started_at, a.id, ab.position",
        params,
    ).fetchall()
    return UserReportInputs(
        attempts=marks,
        unanswered=tuple((r[0], r[1], r[2]) for r in unanswered),
        latest=tuple(
            LatestMark(r[0], r[1], r[2], float(r[3]), float(r[4]), r[5], r[6]) for r in latest
        ),
        banks=tuple((r[0], r[1], r[2]) for r in banks),
    )
