"""One attempt replayed question by question (`scores show`).

`scores show`'s rule lives here: while an attempt is unfinished, the right answer of a question
not answered yet is withheld, since showing it would give the rest of the quiz away.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.app.scores import open_existing

if TYPE_CHECKING:
    from quiz.bank.model import Bank
    from quiz.store import Store
    from quiz.store.records import AttemptRecord, QuestionSnapshot, ResponseValue


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
