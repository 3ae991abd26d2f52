"""What the store keeps, as plain frozen records: the contract between store, analysis and export.

The store reads and writes these; analysis and export compute over them and never touch SQL;
results files are these records as JSON. Questions are always identified by (bank id, question id).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quiz.bank.model import Bank
from quiz.kinds import kind_of

# A response as the learner gave it: text for choice/truefalse/text/number/date, a list of option
# texts for multi and order, a mapping left -> right for match; None for a skipped question.
ResponseValue = str | list[str] | dict[str, str] | None

ATTEMPT_STATUSES: tuple[str, ...] = ("in_progress", "finished", "abandoned")
ATTEMPT_MODES: tuple[str, ...] = ("take", "exam", "study", "grade", "import")


@dataclass(frozen=True)
class QuestionSnapshot:
    """A question as it was in one bank version: enough to report on it without the YAML."""

    bank_id: str
    question_id: str
    kind: str
    prompt: str
    max_score: float
    expected: str
    tags: tuple[str, ...] = ()
    options: tuple[str, ...] = ()  # choice/multi: every option; others: empty
    answers: tuple[str, ...] = ()  # choice/multi: the right options (for distractor counts)
    difficulty: str | None = None


def question_snapshot_dict(q: QuestionSnapshot, id_key: str = "question_id") -> dict[str, object]:
    """A snapshot question as JSON data: the store keeps it so, results files under `id`."""
    return {
        id_key: q.question_id,
        "kind": q.kind,
        "prompt": q.prompt,
        "max_score": q.max_score,
        "expected": q.expected,
        "tags": list(q.tags),
        "options": list(q.options),
        "answers": list(q.answers),
        "difficulty": q.difficulty,
    }


@dataclass(frozen=True)
class BankSnapshot:
    bank_id: str
    content_hash: str
    title: str
    questions: tuple[QuestionSnapshot, ...]


@dataclass(frozen=True)
class ResponseRecord:
    bank_id: str
    question_id: str
    response: ResponseValue
    score: float
    max_score: float
    correct: bool
    seconds: float | None = None
    answered_at: str | None = None  # ISO 8601, UTC
    skipped: bool = False


@dataclass(frozen=True)
class AttemptRecord:
    id: str  # a UUID
    user: str
    banks: tuple[tuple[str, str], ...]  # (bank id, content hash) of every bank drawn from
    mode: str
    started_at: str  # ISO 8601, UTC
    status: str = "in_progress"
    finished_at: str | None = None
    seed: int | None = None
    # The quiz's questions in the order asked: resume follows it, and a question not planned
    # for an attempt is missing from its analysis, not zero.
    plan: tuple[tuple[str, str], ...] = ()
    responses: tuple[ResponseRecord, ...] = field(default=())

    @property
    def score(self) -> float:
        return sum(r.score for r in self.responses)

    @property
    def max_score(self) -> float:
        """Planned questions' points where known, else the answered ones'."""
        return sum(r.max_score for r in self.responses)


def snapshot_of(bank: Bank) -> BankSnapshot:
    """The store's record of one bank version (DESIGN.md: reports outlive the YAML)."""
    questions = []
    for q in bank.questions:
        kind = kind_of(q)
        options, answers = kind.snapshot_options(q)
        questions.append(
            QuestionSnapshot(
                bank_id=bank.id,
                question_id=q.id,
                kind=q.kind,
                prompt=q.prompt,
                max_score=float(bank.points(q)),
                expected=kind.expected_text(q),
                tags=q.tags,
                options=options,
                answers=answers,
                difficulty=q.difficulty,
            )
        )
    return BankSnapshot(bank.id, bank.content_hash or "", bank.title, tuple(questions))
