"""What the store keeps, as plain frozen records: the contract between store, analysis and export.

The store reads and writes these; analysis and export compute over them and never touch SQL;
results files are these records as JSON. Questions are always identified by (bank id, question id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model and the kinds load when a snapshot is made, not for every read
    from quiz.bank.model import Bank, Question

# A response as the learner gave it: text for choice/truefalse/text/number/date, a list of option
# texts for multi and order, a mapping left -> right for match; None for a skipped question.
ResponseValue = str | list[str] | dict[str, str] | None

# An answer that was no answer (given with no terminal to ask again, or in a sheet: an option
# number out of range, a number or date that cannot be read) is stored as {"unreadable": TEXT}.
# Only kinds answered with one text are ever unreadable, and for them no response is a mapping:
# the marker keeps the flag without a new column, and any grader scores it 0, as it was scored.
UNREADABLE_KEY = "unreadable"


def unreadable_response(text: str) -> dict[str, str]:
    """How an unreadable answer `text` is stored (see `UNREADABLE_KEY`)."""
    return {UNREADABLE_KEY: text}


def unreadable_text(response: object, kind: str) -> str | None:
    """The text of a stored unreadable answer to a question of `kind`, else None."""
    from quiz.kinds import find_kind

    if not isinstance(response, dict) or list(response) != [UNREADABLE_KEY]:
        return None
    found = find_kind(kind)
    if found is None or found.sheet_shape == "mapping":  # a match's left item may be named so
        return None
    text = response[UNREADABLE_KEY]
    return text if isinstance(text, str) else None


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
    # What matches a response's question to the instructor's copy when a results file is
    # imported: "sha256:..." (`quiz.kinds.grading_hash`) for a bank, "hmac-sha256:..." (keyed
    # by the instructor's secret) for a handout; "" when not known (an older store or file).
    grading: str = ""
    explanation: str = ""  # shown with the right answer in `scores show`
    # choice/multi: (option, the fraction of the marks it earns) for every option, every
    # default resolved (`Kind.credits`): the random guess score's input. Empty when not known
    # (an older store or results file, a learner's handout, a class store's learner view).
    credits: tuple[tuple[str, float], ...] = ()
    # The options in a format of their own (from Moodle: "html", ...): option -> format.
    formats: tuple[tuple[str, str], ...] = ()

    def own_format(self, text: str) -> str | None:
        """The format an option has of its own, if any (as `Question.own_format`)."""
        for key, text_format in self.formats:
            if key == text:
                return text_format
        return None

    def shown_option(self, text: str) -> str:
        """An option as the terminal and reports show it: plain text (`quiz.kinds.shown_option`)."""
        if not self.formats:
            return text
        from quiz.grading.text import plain_text

        return plain_text(text, self.own_format(text))


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
        "grading": q.grading,
        "explanation": q.explanation,
        **({"credits": [[text, credit] for text, credit in q.credits]} if q.credits else {}),
        **({"formats": [[text, fmt] for text, fmt in q.formats]} if q.formats else {}),
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
    # False: no bank the instructor has could grade it (an unknown question or bank version,
    # or a handout's response not yet graded); its score and max score are then 0.
    graded: bool = True


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


def option_credits(question: Question) -> tuple[tuple[str, float], ...]:
    """What a snapshot keeps as a question's `credits`: each option's, for a kind with options
    and credits per option (choice, multi); none for the others."""
    from quiz.kinds import kind_of

    kind = kind_of(question)
    if not kind.snapshot_options(question)[0]:
        return ()
    return tuple((text, float(credit)) for text, credit in kind.credits(question) or ())


def snapshot_of(bank: Bank) -> BankSnapshot:
    """The store's record of one bank version (DESIGN.md: reports outlive the YAML)."""
    from quiz.kinds import grading_hash, kind_of

    questions = []
    tokens = dict(bank.handout.tokens) if bank.handout is not None else {}
    for q in bank.questions:
        kind = kind_of(q)
        options, answers = kind.snapshot_options(q)
        credits = option_credits(q)
        if bank.handout is not None:  # a handout's answer fields are placeholders
            answers = credits = ()
        in_options = set(options)
        questions.append(
            QuestionSnapshot(
                bank_id=bank.id,
                question_id=q.id,
                kind=q.kind,
                prompt=q.prompt,
                max_score=float(bank.points(q)),
                expected="" if bank.handout is not None else kind.expected_text(q),
                tags=q.tags,
                options=options,
                answers=answers,
                difficulty=q.difficulty,
                grading=tokens.get(q.id, "")
                if bank.handout is not None
                else grading_hash(q, bank.points(q)),
                explanation="" if bank.handout is not None else (q.explanation or ""),
                credits=credits,
                formats=tuple((t, f) for t, f in q.formats if t in in_options),
            )
        )
    return BankSnapshot(bank.id, bank.content_hash or "", bank.title, tuple(questions))


# The records of `scores list` are in `quiz.store.summaries`, of the report queries (totals, item
# analysis, --by user) in `quiz.store.report_records`, a merge's count in `quiz.store.merge` and
# a study card's row in `quiz.store.cards`: a command builds the classes it uses (a frozen
# dataclass costs most of a millisecond to make, and `scores list --limit 20` takes 70).
