"""The records of the store's report queries: totals (`scores stats`), item analysis
(`scores report --by question`) and `--by user`. Apart from `quiz.store.records` so that a
command that lists or takes does not pay to build their classes at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from quiz.store.records import QuestionSnapshot


@dataclass(frozen=True)
class GroupTotals:
    """One bank, tag, or tag within a bank (`scope`): its attempts' totals (`scores stats`)."""

    scope: str  # "bank", "tag" or "bank_tag"
    bank_id: str  # "" for a tag across banks
    tag: str  # "" for a bank
    attempts: int
    finished: int
    score: float
    max_score: float
    answered: int
    best: float | None  # the best finished score fraction


@dataclass(frozen=True)
class QuestionTotals:
    """One question's responses, score and max score totals, and how often it was missed."""

    bank_id: str
    question_id: str
    answered: int
    score: float
    max_score: float
    missed: int


HIST_DIGITS = 9  # item analysis rounds marks to this many decimals before it counts them


@dataclass(frozen=True)
class ItemSums:
    """What item analysis needs of one question, summed over the attempts that included it.

    x is the question's mark, y the rest of the test (the attempt's total in this bank minus x),
    f the question's score fraction. `complete_*` sums run over complete attempts (alpha).
    Marks in the histograms are rounded to `HIST_DIGITS` decimals.
    """

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


@dataclass(frozen=True)
class BankInputs:
    """Everything item analysis (`quiz.reports.items.analyse_bank`) needs of one bank."""

    bank_id: str
    title: str
    items: tuple[ItemSums, ...]
    percents: tuple[float, ...]  # each analysed attempt's percentage in this bank
    versions: tuple[str, ...] = ()  # content hashes seen among the analysed attempts
    complete: int = 0  # attempts that included every question someone saw
    complete_sum_t: float = 0.0
    complete_sum_t2: float = 0.0
    all_attempts: bool = False


# --- `scores report --by user` (quiz.store.learners) ---


@dataclass(frozen=True)
class AttemptMarks:
    """One reportable attempt's marks from its responses (a bank's part when given)."""

    attempt_id: str
    user: str
    started_at: str
    score: float
    max_score: float


@dataclass(frozen=True)
class LatestMark:
    """A learner's latest response to a question, and the attempt it is in."""

    user: str
    bank_id: str
    question_id: str
    score: float
    max_score: float
    started_at: str
    attempt_id: str


@dataclass(frozen=True)
class UserReportInputs:
    attempts: tuple[AttemptMarks, ...]  # oldest first
    # (attempt id, bank id, question id): planned questions the attempt has no response to
    unanswered: tuple[tuple[str, str, str], ...]
    latest: tuple[LatestMark, ...]
    # (bank id, content hash, attempt started at) of every reportable attempt, oldest first
    banks: tuple[tuple[str, str, str], ...]
