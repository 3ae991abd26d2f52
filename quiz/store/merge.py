"""Merging results files into the store: each attempt added, completed, or found known.

The caller (`Store.merge`) holds one write transaction over a whole file, so that a file is
merged all or nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from quiz.errors import MAX_LABEL, ResultsFileError, shortened
from quiz.sanitize import without_surrogates
from quiz.store import attempts, dialect, totals
from quiz.store import snapshots as versions
from quiz.store.dialect import storable
from quiz.store.records import (
    ATTEMPT_MODES,
    ATTEMPT_STATUSES,
    AttemptRecord,
    BankSnapshot,
    ResponseRecord,
)
from quiz.times import normalize_time, utc_now


@dataclass(frozen=True)
class MergeResult:
    added: int = 0  # attempts new to this store
    grown: int = 0  # known attempts that gained responses or were finished
    skipped: int = 0  # known attempts with nothing new
    # of the skipped: attempts whose file claimed other scores than the stored ones (ignored)
    scores_ignored: tuple[str, ...] = ()


def as_stored(record: AttemptRecord) -> AttemptRecord:
    """The attempt as the store holds it (its texts through `storable`), so that merging
    compares like with like: a results file may spell a lone surrogate the store replaced."""

    try:
        attempt_id = attempts.canonical_id(record.id)
    except ValueError:
        attempt_id = record.id
    return replace(
        record,
        id=storable(attempt_id),
        user=storable(record.user),
        banks=tuple((storable(b), storable(h)) for b, h in record.banks),
        plan=tuple((storable(b), storable(q)) for b, q in record.plan),
        responses=tuple(_stored_response(r) for r in record.responses),
    )


def _stored_response(r: ResponseRecord) -> ResponseRecord:
    """The response as stored; itself (not a copy) when nothing in it changes."""
    value = r.response
    if (
        r.bank_id.isascii()
        and r.question_id.isascii()
        and (value is None or (isinstance(value, str) and value.isascii()))
    ):
        return r  # ASCII holds no surrogate (the usual case, at once)
    bank_id, question_id = storable(r.bank_id), storable(r.question_id)
    value = without_surrogates(r.response)
    if bank_id == r.bank_id and question_id == r.question_id and value == r.response:
        return r
    return replace(r, bank_id=bank_id, question_id=question_id, response=value)


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _difference(old: ResponseRecord, new: ResponseRecord) -> str | None:
    """Which field of what the learner gave differs (scores are derived, not compared)."""
    if old.response != new.response:
        return "'response'"
    if old.skipped != new.skipped:
        return "'skipped'"
    return None


def _scores_differ(old: ResponseRecord, new: ResponseRecord) -> bool:
    return not (
        _same_number(old.score, new.score)
        and _same_number(old.max_score, new.max_score)
        and old.correct == new.correct
        and old.graded == new.graded
    )


def merge_one(
    conn: dialect.Connection, record: AttemptRecord, refresh_later: list[str] | None = None
) -> str:
    """Merge one attempt (already `as_stored`): "added", "grown", "skipped", or "ignored"
    (skipped, and its claimed scores differ from the stored ones: the store's stand);
    ResultsFileError when it is malformed or disagrees with what is stored. With `refresh_later`,
    the ids of attempts whose totals need refreshing are added to it (the caller refreshes a
    chunk at once) instead of being refreshed here."""

    def refresh() -> None:
        if refresh_later is None:
            totals.refresh(conn, [record.id])
        else:
            refresh_later.append(record.id)

    if record.status not in ATTEMPT_STATUSES:
        raise ResultsFileError(f"attempt {record.id}: unknown status {record.status!r}")
    if record.mode not in ATTEMPT_MODES:
        raise ResultsFileError(f"attempt {record.id}: unknown mode {record.mode!r}")
    if not record.id or not record.user:
        raise ResultsFileError("an attempt without an id or a user")
    times: dict[str, str] = {}  # each answer's time as given -> as stored (checked once)
    try:
        started = normalize_time(record.started_at)
        finished = normalize_time(record.finished_at) if record.finished_at else None
        for r in record.responses:
            if r.answered_at and r.answered_at not in times:
                times[r.answered_at] = normalize_time(r.answered_at)
    except (ValueError, OverflowError) as exc:
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
        attempts.insert_responses(conn, record.id, record.responses, times)
        refresh()
        return "added"
    user, mode, status = known
    if user != record.user:
        raise ResultsFileError(
            f"attempt {record.id}: its 'user' is {shortened(user, MAX_LABEL)!r} in the store"
            f" but {shortened(record.user, MAX_LABEL)!r} in"
            " the file: nothing was imported"
        )
    if mode != record.mode:
        raise ResultsFileError(
            f"attempt {record.id}: its 'mode' is {mode} in the store but {record.mode} in the"
            " file: nothing was imported"
        )
    stored = attempts.stored_responses(conn, record.id)
    new = []
    ignored = regraded = False
    for r in record.responses:
        old = stored.get((r.bank_id, r.question_id))
        if old is None:
            new.append(r)
            continue
        field = _difference(old, r)
        if field is not None:
            raise ResultsFileError(
                f"attempt {record.id}, question"
                f" {shortened(f'{r.bank_id}/{r.question_id}', MAX_LABEL)}: the file's"
                f" {field} differs from the stored one; nothing was imported"
            )
        if not old.graded and r.graded:  # graded at last (a handout, a bank found)
            attempts.regrade_response(conn, record.id, r)
            regraded = True
            continue
        ignored = ignored or _scores_differ(old, r)
    changed = bool(new) or regraded
    if regraded and not new:
        refresh()
    if new:
        attempts.insert_responses(conn, record.id, new, times)
        refresh()
    if record.status == "finished" and status != "finished":
        attempts.finish(conn, record.id, finished or utc_now())
        changed = True
    if changed:
        return "grown"
    return "ignored" if ignored else "skipped"


# Responses added by one merge from which the store's statistics are gathered again (ANALYZE):
# the query planner then knows a class-sized store.
ANALYZE_AFTER = 50_000


class Merger:
    """Merging inside one write transaction (held by the caller), chunk by chunk: each chunk's
    attempts are merged, then their totals refreshed with a few set-based statements."""

    def __init__(self, conn: dialect.Connection) -> None:
        self.conn = conn
        self.added = self.grown = self.skipped = 0
        self.ignored: list[str] = []
        self.responses = 0

    def save_snapshots(self, snapshots: Iterable[BankSnapshot]) -> None:
        for snapshot in snapshots:
            versions.save(self.conn, snapshot)

    def merge(self, records: Sequence[AttemptRecord], origins: Sequence[str] | None = None) -> None:
        """Merge these attempts; ResultsFileError (prefixed by the attempt's origin) when one
        is malformed or disagrees with what is stored."""
        changed: list[str] = []
        for number, record in enumerate(records):
            try:
                outcome = merge_one(self.conn, as_stored(record), changed)
            except ResultsFileError as exc:
                if origins is None or number >= len(origins):
                    raise
                raise ResultsFileError(f"{origins[number]}: {exc}") from exc
            self.added += outcome == "added"
            self.grown += outcome == "grown"
            self.skipped += outcome in ("skipped", "ignored")
            if outcome == "ignored":
                self.ignored.append(record.id)
            self.responses += len(record.responses)
        if changed:
            totals.refresh(self.conn, changed)

    def stored(self, attempt_id: str) -> AttemptRecord | None:
        """The stored copy of an attempt (as merged so far), or None."""
        found = attempts.load(self.conn, "WHERE a.id = ?", [attempt_id], None)
        return found[0] if found else None

    def finish(self) -> MergeResult:
        if self.responses >= ANALYZE_AFTER:
            self.conn.execute(dialect.ANALYZE)
        return MergeResult(self.added, self.grown, self.skipped, tuple(self.ignored))
