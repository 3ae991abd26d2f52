"""A learner's scores: which attempts are stored, per-group stats, and one attempt replayed.

`scores show`'s rule lives here: while an attempt is unfinished, the right answer of a question
not answered yet is withheld, since showing it would give the rest of the quiz away.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.app.stores import only_own

if TYPE_CHECKING:
    from quiz.bank.model import Bank
    from quiz.reports.learner import GroupStats
    from quiz.store import Store
    from quiz.store.records import AttemptPage, AttemptRecord, QuestionSnapshot, ResponseValue
    from quiz.store.store import AttemptSummary


def open_existing(home: Path | str) -> Store | None:
    """The store, or None when nothing was ever recorded (reading creates no file). `home`
    may be a class store's URL: that store is opened."""
    import os

    from quiz.paths import is_database_url
    from quiz.store.store import Store, check_home

    if is_database_url(home):
        from quiz.app.classroom import opened

        return opened(Store.open(home))
    check_home(home)
    if not os.path.lexists(Store.path_for(home)):  # a broken link is refused by Store.open
        return None
    return Store.open(home)


def summaries(
    home: Path | str, *, user: str | None, bank: str | None, limit: int | None
) -> list[AttemptSummary] | None:
    """Attempts, newest first; None when no store exists yet."""
    store = open_existing(home)
    if store is None:
        return None
    with store:
        return store.summaries(user=user, bank=bank, limit=limit)


def attempt_page(
    home: Path | str,
    *,
    user: str | None,
    bank: str | None,
    limit: int | None = None,
    offset: int = 0,
    count: bool = True,
) -> AttemptPage | None:
    """`scores list`: the attempts that hold an answer (an empty attempt says nothing), newest
    first, `limit` of them from `offset`, with how many there are in all (`count=False`: not
    counted beyond the page, for output that says nothing of the rest); None when no store
    exists yet. Only the page is read from the store."""
    store = open_existing(home)
    if store is None:
        return None
    with store:
        only_own(store, user)
        return store.attempt_page(user=user, bank=bank, limit=limit, offset=offset, count=count)


def stats(home: Path | str, *, user: str | None, bank: str | None) -> list[GroupStats] | None:
    """Per bank and per tag statistics; None when no store exists yet."""
    counted = counted_stats(home, user=user, bank=bank)
    return None if counted is None else counted[0]


@dataclass(frozen=True)
class Counted:
    """The attempts `scores stats` counts: those that hold an answer (the ones `scores list
    --all` lists), and how many of them are unfinished (in progress or set aside)."""

    attempts: int
    unfinished: int


def counted_stats(
    home: Path | str, *, user: str | None, bank: str | None
) -> tuple[list[GroupStats], Counted] | None:
    """Per bank and per tag statistics, and the attempts they count; None when no store
    exists yet."""
    from quiz.reports.learner import collect

    store = open_existing(home)
    if store is None:
        return None
    with store:
        only_own(store, user)
        groups = collect(store, user=user, bank=bank)
        return groups, Counted(*store.attempt_counts(user=user, bank=bank))


@dataclass(frozen=True)
class ReplayItem:
    """One question of a replayed attempt; `expected` is None when withheld or unknown."""

    bank: str
    question: str
    prompt: str | None
    expected: str | None
    answered: bool
    response: ResponseValue
    score: float | None
    max_score: float | None
    correct: bool | None
    skipped: bool | None
    seconds: float | None
    graded: bool = True  # False: stored ungraded (no bank matched it; a handout not graded)
    explanation: str | None = None
    held: bool = False  # an exam not finished: its verdicts and answers come at the end
    kind: str | None = None  # None: the question is not in any stored bank version
    unreadable: bool = False  # no answer at all, recorded as given (0 points): `response`
    # What a per-item detail compares the response with (withheld like `expected`): a multi's
    # right options, a match's [left, right] pairs, an order's items in the right order.
    right_parts: tuple[Any, ...] = ()
    spelled: str | None = None  # a typo forgiven (`fuzzy`): the spelling it was accepted for


@dataclass(frozen=True)
class Replay:
    """An attempt question by question (`quiz scores show`)."""

    attempt: AttemptRecord
    items: tuple[ReplayItem, ...]

    @property
    def withheld(self) -> bool:
        """Whether right answers of unanswered questions are hidden: the attempt is open."""
        return self.attempt.status != "finished"

    def as_dict(self) -> dict[str, Any]:
        """`quiz scores show --json`'s object."""
        record = self.attempt
        return {
            "id": record.id,
            "user": record.user,
            "mode": record.mode,
            "status": record.status,
            "started_at": record.started_at,
            "finished_at": record.finished_at,
            "seed": record.seed,
            "banks": [{"id": b, "content_hash": h} for b, h in record.banks],
            "score": record.score,
            "max_score": record.max_score,
            "questions": [dataclasses.asdict(item) for item in self.items],
        }


def show(home: Path | str, attempt_ref: str) -> Replay:
    """Replay one attempt (its id or a unique prefix); NotFound if there is no such attempt."""
    from quiz.errors import NotFound

    store = open_existing(home)
    if store is None:
        raise NotFound(f"no attempt {attempt_ref!r}: no scores are recorded yet")
    with store:
        record = store.attempt(attempt_ref)
        return Replay(record, tuple(with_typos(replay(store, record), record)))


def replay(store: Store, attempt: AttemptRecord) -> list[ReplayItem]:
    """The attempt question by question: prompt (from the stored bank version), response,
    right answer, score. Planned order first, then anything answered outside the plan.

    While an attempt is not finished, the right answer of a question not answered yet is
    withheld (None): showing it would give the rest of the quiz away. An exam not finished
    holds back every verdict, score and right answer (`held`), as the exam itself does: a
    learner could otherwise stop, look, and resume."""
    from quiz.store.records import unreadable_text

    finished = attempt.status == "finished"
    held = attempt.mode == "exam" and not finished
    exact = {
        (q.bank_id, q.question_id): q
        for snap in store.snapshots(attempt.banks)
        for q in snap.questions
    }
    fallback: dict[tuple[str, str], QuestionSnapshot] = {}
    for bank_id, _ in attempt.banks:
        newest = store.snapshot(bank_id)
        if newest is not None:
            fallback.update({(q.bank_id, q.question_id): q for q in newest.questions})
    answers = {(r.bank_id, r.question_id): r for r in attempt.responses}
    result = []
    for key in dict.fromkeys([*attempt.plan, *answers]):
        question = exact.get(key) or fallback.get(key)
        answer = answers.get(key)
        withhold = question is None or held or (answer is None and not finished)
        response = None if answer is None else answer.response
        text = None if question is None else unreadable_text(response, question.kind)
        result.append(
            ReplayItem(
                bank=key[0],
                question=key[1],
                prompt=None if question is None else question.prompt,
                expected=None if withhold or question is None else question.expected,
                answered=answer is not None,
                response=response if text is None else text,
                score=None if answer is None or held else answer.score,
                max_score=(
                    answer.max_score
                    if answer is not None
                    else (None if question is None else question.max_score)
                ),
                correct=None if answer is None or held else answer.correct,
                skipped=None if answer is None else answer.skipped,
                seconds=None if answer is None else answer.seconds,
                graded=True if answer is None else answer.graded,
                explanation=(
                    None if withhold or question is None else (question.explanation or None)
                ),
                held=held and answer is not None,
                kind=None if question is None else question.kind,
                unreadable=text is not None,
                right_parts=() if withhold or question is None else _right_parts(question),
            )
        )
    return result


def with_typos(items: list[ReplayItem], attempt: AttemptRecord) -> list[ReplayItem]:
    """Each right text answer that was accepted with a typo notes the spelling it was accepted
    for (`spelled`). A snapshot keeps no accepted answers nor `fuzzy`, so this is worked out
    again from the bank, when the version answered (or, failing that, one of the same id) is
    still in the catalog; the bank is read only when a right text answer differs from the
    stored right answer."""
    import dataclasses

    from quiz.grading.text import normalize_text

    def differs(item: ReplayItem) -> bool:
        response, expected = item.response, item.expected or ""
        return (
            item.kind == "text"
            and bool(item.score)
            and isinstance(response, str)
            and normalize_text(response) != normalize_text(expected)
        )

    if not any(differs(item) for item in items):
        return items
    from quiz.bank.catalog import Catalog
    from quiz.errors import QuizError
    from quiz.kinds import kind_of

    try:
        banks = Catalog().banks()
    except (QuizError, OSError):
        return items
    hashes = dict(attempt.banks)
    by_id: dict[str, Bank] = {}
    for bank in banks:
        if bank.id in hashes and (bank.id not in by_id or bank.content_hash == hashes[bank.id]):
            by_id[bank.id] = bank
    out = []
    for item in items:
        found = by_id.get(item.bank) if differs(item) else None
        question = found.question(item.question) if found is not None else None
        spelled = None
        if question is not None:
            spelled = kind_of(question).typo_of(question, item.response)
        out.append(dataclasses.replace(item, spelled=spelled) if spelled else item)
    return out


def _right_parts(question: QuestionSnapshot) -> tuple[Any, ...]:
    """A snapshot's `ReplayItem.right_parts`: a multi's right options, an order's items (the
    snapshot keeps them in the right order), a match's pairs read back from its right answer
    ("left → right; ..."), or () when they cannot be read back for sure."""
    if question.kind == "multi":
        return question.answers
    if question.kind == "order":
        return question.options
    if question.kind != "match":
        return ()
    pairs = tuple(tuple(part.split(" → ")) for part in question.expected.split("; "))
    if any(len(pair) != 2 or pair[1] not in question.options for pair in pairs):
        return ()
    if "; ".join(f"{left} → {right}" for left, right in pairs) != question.expected:
        return ()
    return pairs


@dataclass(frozen=True)
class UserData:
    """What deleting a learner's data would remove."""

    user: str
    attempts: int
    cards: int


def user_data(store: Store, user: str) -> UserData:
    """How many attempts and study cards a learner has; NotFound if none at all."""
    from quiz.errors import NotFound
    from quiz.sanitize import clean_line

    data = UserData(user, len(store.summaries(user=user)), len(store.cards(user)))
    if not data.attempts and not data.cards:
        raise NotFound(f"no scores or study cards for user {clean_line(user)!r}")
    return data
