"""Merging results files into the store: each attempt added, completed, or found known.

The caller (`Store.merge`) holds one write transaction over a whole file, so that a file is
merged all or nothing.
"""

from __future__ import annotations

import math
from dataclasses import replace

from quiz.errors import ResultsFileError
from quiz.sanitize import without_surrogates
from quiz.store import attempts, dialect, totals
from quiz.store.dialect import storable
from quiz.store.records import ATTEMPT_MODES, ATTEMPT_STATUSES, AttemptRecord, ResponseRecord
from quiz.times import normalize_time, utc_now


def as_stored(record: AttemptRecord) -> AttemptRecord:
    """The attempt as the store holds it (its texts through `storable`), so that merging
    compares like with like: a results file may spell a lone surrogate the store replaced."""

    return replace(
        record,
        id=storable(record.id),
        user=storable(record.user),
        banks=tuple((storable(b), storable(h)) for b, h in record.banks),
        plan=tuple((storable(b), storable(q)) for b, q in record.plan),
        responses=tuple(
            replace(
                r,
                bank_id=storable(r.bank_id),
                question_id=storable(r.question_id),
                response=without_surrogates(r.response),
            )
            for r in record.responses
        ),
    )


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _same_response(old: ResponseRecord, new: ResponseRecord) -> bool:
    return (
        old.response == new.response
        and _same_number(old.score, new.score)
        and _same_number(old.max_score, new.max_score)
        and old.correct == new.correct
        and old.skipped == new.skipped
    )


def merge_one(conn: dialect.Connection, record: AttemptRecord) -> str:
    """Merge one attempt (already `as_stored`): "added", "grown" or "skipped";
    ResultsFileError when it is malformed or disagrees with what is stored."""
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
    known = attempts.owner(conn, record.id)
    if known is None:
        attempts.insert(
            conn,
            attempt_id=record.id,
            user=record.user,
            mode=record.mode,
            banks=record.banks,
            seed=record.seed,
            plan=record.plan,
            started_at=started,
            finished_at=finished,
            status=record.status,
        )
        attempts.insert_responses(conn, record.id, record.responses)
        totals.refresh(conn, [record.id])
        return "added"
    user, mode, status = known
    if (user, mode) != (record.user, record.mode):
        raise ResultsFileError(
            f"attempt {record.id} is stored for {user!r} ({mode}) but the file says"
            f" {record.user!r} ({record.mode}): nothing was imported"
        )
    stored = attempts.stored_responses(conn, record.id)
    new = []
    for r in record.responses:
        old = stored.get((r.bank_id, r.question_id))
        if old is None:
            new.append(r)
        elif not _same_response(old, r):
            raise ResultsFileError(
                f"attempt {record.id}, question {r.bank_id}/{r.question_id}: the file's"
                " response differs from the stored one; nothing was imported"
            )
    changed = bool(new)
    if new:
        attempts.insert_responses(conn, record.id, new)
        totals.refresh(conn, [record.id])
    if record.status == "finished" and status != "finished":
        attempts.finish(conn, record.id, finished or utc_now())
        changed = True
    return "grown" if changed else "skipped"
