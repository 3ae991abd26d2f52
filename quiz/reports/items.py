"""Summaries and item analysis over stored records (pure: no SQL, no I/O).

Item analysis follows Moodle's quiz statistics (`question/classes/statistics/questions/
calculator.php` and the quiz statistics report); the formulas are written out in
`docs/item-analysis.md`. The store collects the sufficient statistics per question
(`Store.item_inputs` returns `BankInputs` of `ItemSums`: counts, sums, and histograms of the
question's marks and of the rest of the test); `analyse_bank` turns them into the statistics.

Which attempts count: finished ones, not study sessions; for item analysis the first attempt of
each learner that includes the bank (by start time) unless `all_attempts`. Within an attempt a
question is *included* when it was planned or answered; an included question without an answer
scores 0, a question the attempt did not include is missing, not zero.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import comb, factorial

from quiz.store.records import (
    AttemptRecord,
    BankInputs,
    BankSnapshot,
    ItemSums,
    QuestionSnapshot,
    ResponseValue,
)
from quiz.store.snapshots import SnapshotIndex
from quiz.times import attempt_order

NO_ANSWER = "(no answer)"
OTHER = "(other)"
GRADE_RULES: tuple[str, ...] = ("best", "last", "first", "mean")
HISTOGRAM_BINS = 10
_EPSILON = 1e-9


# ---------------------------------------------------------------------------------------------
# Which attempts count


def counts_for_reports(attempt: AttemptRecord) -> bool:
    """Finished attempts of a quiz; study sessions and unfinished attempts are left out."""
    return attempt.status == "finished" and attempt.mode != "study"


def attempt_bank_ids(attempt: AttemptRecord) -> list[str]:
    """The banks an attempt drew from, in the attempt's order (responses and plan included)."""
    seen: dict[str, None] = {}
    for bank_id, _ in attempt.banks:
        seen.setdefault(bank_id, None)
    for bank_id, _ in attempt.plan:
        seen.setdefault(bank_id, None)
    for response in attempt.responses:
        seen.setdefault(response.bank_id, None)
    return list(seen)


def includes_bank(attempt: AttemptRecord, bank_id: str) -> bool:
    return bank_id in attempt_bank_ids(attempt)


_order_key = attempt_order  # oldest first (`quiz.times`)


# ---------------------------------------------------------------------------------------------
# One attempt's part in one bank


@dataclass(frozen=True)
class Mark:
    """One included question of one attempt."""

    score: float
    max_score: float
    response: ResponseValue
    answered: bool

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score > 0 else 0.0


MaxOf = Callable[[str, str], float]


def _default_max(bank_id: str, question_id: str) -> float:
    return 1.0


def attempt_marks(
    attempt: AttemptRecord, bank_id: str | None = None, max_of: MaxOf = _default_max
) -> dict[tuple[str, str], Mark]:
    """The questions an attempt included (planned or answered), optionally of one bank.

    A planned question without a response scores 0 out of its points (`max_of`, from the
    snapshots); the last response to a question wins.
    """
    marks: dict[tuple[str, str], Mark] = {}
    for key in attempt.plan:
        if bank_id is None or key[0] == bank_id:
            marks[key] = Mark(0.0, max_of(*key), None, False)
    for r in attempt.responses:
        if bank_id is None or r.bank_id == bank_id:
            answered = not r.skipped and r.response is not None
            marks[(r.bank_id, r.question_id)] = Mark(
                float(r.score), float(r.max_score), r.response if answered else None, answered
            )
    return marks


def percent_of(marks: Iterable[Mark]) -> float | None:
    """Score over maximum, as a percentage (None when nothing could be scored)."""
    score = total = 0.0
    for mark in marks:
        score += mark.score
        total += mark.max_score
    return 100.0 * score / total if total > 0 else None


# ---------------------------------------------------------------------------------------------
# Random guess score (Moodle: question_type::get_random_guess_score, as a fraction)


def random_guess_score(question: QuestionSnapshot) -> float | None:
    """What guessing at random scores on average, as a fraction of the question's marks.

    choice: 1/options (Moodle's single-answer multichoice: mean fraction over the options);
    truefalse: 0.5; multi: the mean, over every non-empty set of options picked with equal
    chance, of the partial-credit rule max(0, (right - wrong) / right answers) (Moodle's core
    multichoice gives none for several answers; this is the equal-chance rule some Moodle
    question types use); match: 1/distinct right-hand options (Moodle's match type);
    order: E[(L-1)/(n-1)] over random orders (L: longest run in right relative order);
    text, number, date: 0.
    """
    kind = question.kind
    n_options = len(question.options)
    if kind == "choice":
        return 1.0 / n_options if n_options else None
    if kind == "truefalse":
        return 0.5
    if kind == "multi":
        right = len(set(question.answers))
        wrong = max(n_options - right, 0)
        return _multi_guess(right, wrong) if right else None
    if kind == "match":
        distinct = len(set(question.options))
        return 1.0 / distinct if distinct else None
    if kind == "order":
        return _order_guess(n_options) if n_options else None
    return 0.0


def _multi_guess(right: int, wrong: int) -> float:
    total = 0.0
    subsets = 0
    for a in range(right + 1):
        for w in range(wrong + 1):
            if a == 0 and w == 0:
                continue
            ways = comb(right, a) * comb(wrong, w)
            total += ways * max(0.0, (a - w) / right)
            subsets += ways
    return total / subsets if subsets else 0.0


def _partitions(n: int, largest: int | None = None) -> Iterable[tuple[int, ...]]:
    largest = n if largest is None else largest
    if n == 0:
        yield ()
        return
    for first in range(min(n, largest), 0, -1):
        for rest in _partitions(n - first, first):
            yield (first, *rest)


def _standard_tableaux(shape: tuple[int, ...]) -> int:
    """f_lambda by the hook length formula."""
    n = sum(shape)
    columns = [sum(1 for row in shape if row > j) for j in range(shape[0])] if shape else []
    hooks = 1
    for i, row in enumerate(shape):
        for j in range(row):
            hooks *= (row - j - 1) + (columns[j] - i - 1) + 1
    return factorial(n) // hooks


@lru_cache(maxsize=64)
def _order_guess(n: int) -> float | None:
    """E[(L-1)/(n-1)] for a uniformly random order of n items.

    By the Robinson-Schensted correspondence, the number of permutations whose longest
    increasing subsequence is k is the sum of f_lambda squared over shapes with first row k.
    """
    if n <= 1:
        return 1.0
    if n > 40:
        return None
    expected = 0
    for shape in _partitions(n):
        expected += _standard_tableaux(shape) ** 2 * shape[0]
    mean_lis = expected / factorial(n)
    return (mean_lis - 1) / (n - 1)


# ---------------------------------------------------------------------------------------------
# The statistics


@dataclass(frozen=True)
class OptionCount:
    option: str
    count: int
    percent: float | None  # of the attempts that included the question
    correct: bool


@dataclass(frozen=True)
class ItemStats:
    bank_id: str
    question_id: str
    kind: str
    prompt: str
    max_score: float | None
    attempts: int
    facility: float | None  # percent
    sd: float | None  # percent of the question's marks
    random_guess: float | None  # percent
    discrimination: float | None  # 100 x correlation with the rest of the test
    efficiency: float | None  # 100 x cov / max cov
    options: tuple[OptionCount, ...] = ()
    no_answer: int = 0


@dataclass(frozen=True)
class BankStats:
    bank_id: str
    title: str
    attempts: int
    complete: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None  # Cronbach's alpha, 0..1 (Moodle shows 100 x alpha as CIC)
    error_ratio: float | None  # percent
    standard_error: float | None  # percentage points
    items: tuple[ItemStats, ...]
    percents: tuple[float, ...] = ()
    versions: tuple[str, ...] = ()
    all_attempts: bool = False


def _hist_mean_var(hist: Mapping[float, int]) -> tuple[int, float, float | None]:
    """(n, mean, sample variance); exactly 0 when every value is the same."""
    n = sum(hist.values())
    if n == 0:
        return 0, 0.0, None
    mean = sum(v * c for v, c in hist.items()) / n
    if n < 2:
        return n, mean, None
    if len(hist) == 1:
        return n, mean, 0.0
    return n, mean, sum(c * (v - mean) ** 2 for v, c in hist.items()) / (n - 1)


def _sorted_cross_sum(x_hist: Mapping[float, int], y_hist: Mapping[float, int]) -> float:
    """Sum of x_(i) * y_(i) with both sorted ascending: pairs the i-th smallest of each."""
    xs = sorted(x_hist.items())
    ys = sorted(y_hist.items())
    total = 0.0
    i = j = 0
    x_left = xs[0][1] if xs else 0
    y_left = ys[0][1] if ys else 0
    while i < len(xs) and j < len(ys):
        take = min(x_left, y_left)
        total += take * xs[i][0] * ys[j][0]
        x_left -= take
        y_left -= take
        if x_left == 0:
            i += 1
            x_left = xs[i][1] if i < len(xs) else 0
        if y_left == 0:
            j += 1
            y_left = ys[j][1] if j < len(ys) else 0
    return total


def _clean_zero(value: float, scale: float) -> float:
    return 0.0 if abs(value) <= _EPSILON * max(1.0, scale) else value


def analyse_item(item: ItemSums) -> ItemStats:
    """Moodle's per-question statistics from one question's sums."""
    q = item.question
    n = item.n
    facility = sd = discrimination = efficiency = None
    if n:
        facility = 100.0 * item.sum_f / n
    if n >= 2:
        var_f = (item.sum_f2 - item.sum_f * item.sum_f / n) / (n - 1)
        sd = 100.0 * math.sqrt(var_f) if var_f > _EPSILON else 0.0
        _, mean_x, var_x = _hist_mean_var(item.x_hist)
        _, mean_y, var_y = _hist_mean_var(item.y_hist)
        cov = (item.sum_xy - n * mean_x * mean_y) / (n - 1)
        cov_max = (_sorted_cross_sum(item.x_hist, item.y_hist) - n * mean_x * mean_y) / (n - 1)
        scale = max(abs(mean_x * mean_y), 1.0)
        cov = _clean_zero(cov, scale)
        cov_max = _clean_zero(cov_max, scale)
        if var_x and var_y:
            discrimination = 100.0 * cov / math.sqrt(var_x * var_y)
        if cov_max:
            efficiency = 100.0 * cov / cov_max
    guess = random_guess_score(q) if q is not None else None
    return ItemStats(
        bank_id=item.bank_id,
        question_id=item.question_id,
        kind=q.kind if q is not None else "",
        prompt=q.prompt if q is not None else "",
        max_score=q.max_score if q is not None else None,
        attempts=n,
        facility=facility,
        sd=sd,
        random_guess=100.0 * guess if guess is not None else None,
        discrimination=discrimination,
        efficiency=efficiency,
        options=option_counts(item),
        no_answer=item.no_answer,
    )


def option_counts(item: ItemSums) -> tuple[OptionCount, ...]:
    """How often each option was picked (choice and multi), then other responses, no answer."""
    q = item.question
    if q is None or q.kind not in ("choice", "multi"):
        return ()
    n = item.n

    def share(count: int) -> float | None:
        return 100.0 * count / n if n else None

    counts = dict(item.option_counts)
    rows = []
    for option in dict.fromkeys(q.options):
        count = counts.pop(option, 0)
        rows.append(OptionCount(option, count, share(count), option in q.answers))
    other = sum(counts.values())
    if other:
        rows.append(OptionCount(OTHER, other, share(other), False))
    if item.no_answer:
        rows.append(OptionCount(NO_ANSWER, item.no_answer, share(item.no_answer), False))
    return tuple(rows)


def analyse_bank(inputs: BankInputs) -> BankStats:
    """Per-question statistics and the test's: mean, median, SD, Cronbach's alpha."""
    items = tuple(analyse_item(item) for item in inputs.items)
    percents = inputs.percents
    mean = statistics.fmean(percents) if percents else None
    median = statistics.median(percents) if percents else None
    sd = statistics.stdev(percents) if len(percents) >= 2 else None
    alpha = cronbach_alpha(inputs)
    error_ratio = standard_error = None
    if alpha is not None and 0.0 <= alpha <= 1.0:
        error_ratio = 100.0 * math.sqrt(1.0 - alpha)
        if sd is not None:
            standard_error = error_ratio / 100.0 * sd
    return BankStats(
        bank_id=inputs.bank_id,
        title=inputs.title,
        attempts=len(percents),
        complete=inputs.complete,
        mean=mean,
        median=median,
        sd=sd,
        alpha=alpha,
        error_ratio=error_ratio,
        standard_error=standard_error,
        items=items,
        percents=tuple(percents),
        versions=inputs.versions,
        all_attempts=inputs.all_attempts,
    )


def cronbach_alpha(inputs: BankInputs) -> float | None:
    """k/(k-1) x (1 - sum of item variances / variance of totals), over complete attempts."""
    n = inputs.complete
    seen = [item for item in inputs.items if item.n]
    k = len(seen)
    if k < 2 or n < 2:
        return None
    total_var = (inputs.complete_sum_t2 - inputs.complete_sum_t**2 / n) / (n - 1)
    mean_t = inputs.complete_sum_t / n
    if total_var <= _EPSILON * max(1.0, mean_t * mean_t):
        return None
    item_var = 0.0
    for item in seen:
        item_var += max(0.0, (item.complete_sum_x2 - item.complete_sum_x**2 / n) / (n - 1))
    return k / (k - 1) * (1.0 - item_var / total_var)


def banks_in(attempts: Iterable[AttemptRecord]) -> list[str]:
    """Every bank the reportable attempts drew from, sorted."""
    found: set[str] = set()
    for attempt in attempts:
        if counts_for_reports(attempt):
            found.update(attempt_bank_ids(attempt))
    return sorted(found)


# ---------------------------------------------------------------------------------------------
# By attempt, by user, gradebook


@dataclass(frozen=True)
class AttemptRow:
    id: str
    user: str
    banks: tuple[str, ...]
    mode: str
    status: str
    started_at: str
    finished_at: str | None
    score: float
    max_score: float
    percent: float | None
    answered: int
    questions: int


def attempt_rows(
    attempts: Iterable[AttemptRecord],
    snapshots: Iterable[BankSnapshot] = (),
    bank_id: str | None = None,
) -> list[AttemptRow]:
    """One row per attempt (every status and mode), oldest first; a bank's part when given."""
    attempts = list(attempts)
    index = SnapshotIndex(snapshots, attempts)
    rows = []
    for attempt in sorted(attempts, key=_order_key):
        if bank_id is not None and not includes_bank(attempt, bank_id):
            continue
        marks = attempt_marks(attempt, bank_id, index.max_of)
        rows.append(
            AttemptRow(
                id=attempt.id,
                user=attempt.user,
                banks=(bank_id,) if bank_id else tuple(attempt_bank_ids(attempt)),
                mode=attempt.mode,
                status=attempt.status,
                started_at=attempt.started_at,
                finished_at=attempt.finished_at,
                score=sum(m.score for m in marks.values()),
                max_score=sum(m.max_score for m in marks.values()),
                percent=percent_of(marks.values()),
                answered=sum(1 for m in marks.values() if m.answered),
                questions=len(marks),
            )
        )
    return rows


@dataclass(frozen=True)
class UserRow:
    user: str
    attempts: int
    best: float | None
    last: float | None
    mean: float | None
    first: float | None
    tags: tuple[tuple[str, float], ...]  # tag -> mastery percent, sorted by tag


def _percents_by_user(
    attempts: Sequence[AttemptRecord], index: SnapshotIndex, bank_id: str | None
) -> dict[str, list[float]]:
    """Each user's reportable attempts' percentages (a bank's part when given), oldest first."""
    found: dict[str, list[float]] = {}
    for attempt in sorted(attempts, key=_order_key):
        if not counts_for_reports(attempt):
            continue
        if bank_id is not None and not includes_bank(attempt, bank_id):
            continue
        percent = percent_of(attempt_marks(attempt, bank_id, index.max_of).values())
        if percent is not None:
            found.setdefault(attempt.user, []).append(percent)
    return found


def pick_grade(percents: Sequence[float], rule: str) -> float | None:
    """best, last, first or mean of percentages given oldest first."""
    if not percents:
        return None
    if rule == "best":
        return max(percents)
    if rule == "last":
        return percents[-1]
    if rule == "first":
        return percents[0]
    if rule == "mean":
        return statistics.fmean(percents)
    raise ValueError(f"unknown grade rule {rule!r}: use one of {', '.join(GRADE_RULES)}")


def user_rows(
    attempts: Iterable[AttemptRecord],
    snapshots: Iterable[BankSnapshot] = (),
    bank_id: str | None = None,
) -> list[UserRow]:
    """Per learner: attempts, best, last, mean and first percentage, and per-tag mastery.

    Mastery of a tag is the share of marks on the tagged questions in each question's latest
    response (reportable attempts only), so it follows what the learner knows now.
    """
    attempts = list(attempts)
    index = SnapshotIndex(snapshots, attempts)
    percents = _percents_by_user(attempts, index, bank_id)
    latest: dict[str, dict[tuple[str, str], Mark]] = {}
    for attempt in sorted(attempts, key=_order_key):
        if counts_for_reports(attempt) and attempt.user in percents:
            latest.setdefault(attempt.user, {}).update(
                attempt_marks(attempt, bank_id, index.max_of)
            )
    rows = []
    for user in sorted(percents):
        values = percents[user]
        tag_sums: dict[str, list[float]] = {}
        for key, mark in latest.get(user, {}).items():
            question = index.question(*key)
            for tag in question.tags if question is not None else ():
                sums = tag_sums.setdefault(tag, [0.0, 0.0])
                sums[0] += mark.score
                sums[1] += mark.max_score
        tags = tuple((tag, 100.0 * s / m) for tag, (s, m) in sorted(tag_sums.items()) if m > 0)
        rows.append(
            UserRow(
                user=user,
                attempts=len(values),
                best=max(values),
                last=values[-1],
                mean=statistics.fmean(values),
                first=values[0],
                tags=tags,
            )
        )
    return rows


@dataclass(frozen=True)
class Gradebook:
    banks: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float | None, ...]], ...]  # (user, one cell per bank)
    rule: str


def gradebook(
    attempts: Iterable[AttemptRecord],
    snapshots: Iterable[BankSnapshot] = (),
    bank_ids: Sequence[str] | None = None,
    *,
    rule: str = "best",
) -> Gradebook:
    """One row per learner, one column per bank: the percentage `rule` picks from their attempts."""
    if rule not in GRADE_RULES:
        raise ValueError(f"unknown grade rule {rule!r}: use one of {', '.join(GRADE_RULES)}")
    attempts = list(attempts)
    index = SnapshotIndex(snapshots, attempts)
    banks = tuple(bank_ids) if bank_ids is not None else tuple(banks_in(attempts))
    per_bank = {b: _percents_by_user(attempts, index, b) for b in banks}
    users = sorted({user for found in per_bank.values() for user in found})
    rows = tuple(
        (user, tuple(pick_grade(per_bank[b].get(user, []), rule) for b in banks)) for user in users
    )
    return Gradebook(banks=banks, rows=rows, rule=rule)


# ---------------------------------------------------------------------------------------------
# Bank versions, histogram


def version_notes(
    attempts: Iterable[AttemptRecord], bank_ids: Sequence[str] | None = None
) -> list[str]:
    """A note for each bank whose content hash differs between the attempts given."""
    hashes: dict[str, dict[str, None]] = {}
    for attempt in sorted(attempts, key=_order_key):
        for bank_id, content_hash in attempt.banks:
            if bank_ids is None or bank_id in bank_ids:
                hashes.setdefault(bank_id, {})[content_hash] = None
    return [
        version_note(bank_id, tuple(found))
        for bank_id, found in sorted(hashes.items())
        if len(found) > 1
    ]


def version_note(bank_id: str, versions: Sequence[str]) -> str:
    short = " ".join(v[:12] for v in versions)
    return (
        f"bank {bank_id} changed between attempts: {len(versions)} versions ({short}); "
        "figures mix them"
    )


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int


def histogram(percents: Iterable[float], bins: int = HISTOGRAM_BINS) -> list[Bin]:
    """Counts of percentages in equal bins over 0..100 (the last bin includes 100)."""
    width = 100.0 / bins
    counts = [0] * bins
    for value in percents:
        index = min(max(int(value // width), 0), bins - 1)
        counts[index] += 1
    return [Bin(i * width, (i + 1) * width, c) for i, c in enumerate(counts)]
