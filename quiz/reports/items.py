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

import dataclasses
import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import comb, factorial
from typing import Any, Protocol

from quiz.store.records import AttemptRecord, BankSnapshot, QuestionSnapshot, ResponseValue
from quiz.store.report_records import BankInputs, ItemSums, UserReportInputs
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


# A question's credits: (option, credit) for every option, in order (`Kind.credits`).
Credits = Sequence[tuple[str, float]]


def random_guess_score(question: QuestionSnapshot, credits: Credits | None = None) -> float | None:
    """What guessing at random scores on average, as a fraction of the question's marks.

    choice: the mean over the options of what each earns (Moodle's single-answer multichoice:
    mean fraction over the options), below 0 counting 0 as quiz grades: 1/options with one
    right option, right options/options with several; truefalse: 0.5; multi: the mean, over
    every non-empty set of options picked with equal chance, of the score the set earns: the
    sum of its options' credits, from 0 to 1 (Moodle's core multichoice gives none for several
    answers; this is the equal-chance rule some Moodle question types use), which without
    credits is max(0, (right - wrong) / right answers); match: 1/distinct right-hand options
    (Moodle's match type); order: E[(L-1)/(n-1)] over random orders (L: longest run in right
    relative order); text, number, date: 0.

    The snapshot's own credits (kept with each bank version since snapshots had them), else
    `credits` (the kind's, from the bank's copy of the question) give choice and multi their
    partial credits; without either the snapshot's right options are worth 1 (choice) or 1/n
    (multi) and the rest 0 (choice) or -1/n (multi).
    """
    credits = question.credits or credits
    kind = question.kind
    n_options = len(question.options)
    if kind == "choice":
        if credits:
            return sum(max(0.0, credit) for _, credit in credits) / len(credits)
        # (an older snapshot without its right options had one)
        right = len(set(question.answers) & set(question.options)) or 1
        return right / n_options if n_options else None
    if kind == "truefalse":
        return 0.5
    if kind == "multi":
        if credits:
            return _credited_multi_guess([credit for _, credit in credits])
        right = len(set(question.answers))
        wrong = max(n_options - right, 0)
        return _multi_guess(right, wrong) if right else None
    if kind == "match":
        distinct = len(set(question.options))
        return 1.0 / distinct if distinct else None
    if kind == "order":
        return _order_guess(n_options) if n_options else None
    return 0.0


_MAX_CREDITED_OPTIONS = 16  # 65,535 sets to sum; more options give no figure


def _credited_multi_guess(credits: Sequence[float]) -> float | None:
    """The mean, over every non-empty set of options, of min(1, max(0, sum of credits))."""
    n = len(credits)
    if not n or n > _MAX_CREDITED_OPTIONS:
        return None
    sums = [0.0]
    for credit in credits:  # the sums of every subset, the empty one first
        sums += [total + credit for total in sums]
    return math.fsum(min(1.0, max(0.0, total)) for total in sums[1:]) / (len(sums) - 1)


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
# Needs checking (Moodle's question bank: qbank_statistics' helper::format_discrimination_index)

VERY_LIKELY_BELOW = 30.0  # discrimination index below this: "very likely" to need checking
LIKELY_BELOW = 50.0  # below this: "likely"
HARD_BELOW = 5.0  # facility below this (percent) is a reason to look
EASY_ABOVE = 95.0  # and above this
LEVELS: tuple[str, ...] = ("very likely", "likely", "unlikely")


@dataclass(frozen=True)
class Check:
    """Moodle's "Needs checking?" for one question, and why.

    `level` is "very likely" (discrimination index below 30), "likely" (below 50) or
    "unlikely", and None where the index is undefined (Moodle shows "—"); `reasons` say what
    to look at: a negative discrimination, a facility below 5% or above 95%, a low
    discrimination."""

    level: str | None
    reasons: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The level as a word ("—" when undefined)."""
        return self.level if self.level is not None else "—"


def needs_checking(facility: float | None, discrimination: float | None) -> Check:
    """Moodle's thresholds on the discrimination index, with the reasons found."""
    reasons: list[str] = []
    if discrimination is None:
        level = None
    elif discrimination < VERY_LIKELY_BELOW:
        level = "very likely"
    elif discrimination < LIKELY_BELOW:
        level = "likely"
    else:
        level = "unlikely"
    if discrimination is not None:
        if discrimination < 0:
            reasons.append("negative discrimination")
        elif discrimination < LIKELY_BELOW:
            reasons.append(f"low discrimination (below {LIKELY_BELOW:.0f})")
    if facility is not None:
        if facility < HARD_BELOW:
            reasons.append(f"facility below {HARD_BELOW:.0f}%: almost nobody got it right")
        elif facility > EASY_ABOVE:
            reasons.append(f"facility above {EASY_ABOVE:.0f}%: almost everybody got it right")
    return Check(level, tuple(reasons))


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
    position: int = 0  # 1, 2, ... in the bank's order (Moodle's Q#)
    common_wrong: str | None = None  # the most common wrong response (`--by responses`)
    common_wrong_count: int = 0

    @property
    def check(self) -> Check:
        """Whether the question needs checking, by Moodle's rule (see `needs_checking`)."""
        return needs_checking(self.facility, self.discrimination)


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
    rule: str = ""  # which attempts: first, last, best or all ("" as `all_attempts` says)

    @property
    def attempts_rule(self) -> str:
        return self.rule or ("all" if self.all_attempts else "first")


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


def analyse_item(item: ItemSums, credits: Credits | None = None) -> ItemStats:
    """Moodle's per-question statistics from one question's sums (`credits`: the question's,
    when known, for its random guess score)."""
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
    guess = random_guess_score(q, credits) if q is not None else None
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
        shown = q.shown_option(option)  # (a formatted option as its plain text)
        rows.append(OptionCount(shown, count, share(count), option in q.answers))
    other = sum(counts.values())
    if other:
        rows.append(OptionCount(OTHER, other, share(other), False))
    if item.no_answer:
        rows.append(OptionCount(NO_ANSWER, item.no_answer, share(item.no_answer), False))
    return tuple(rows)


def analyse_bank(
    inputs: BankInputs, rule: str = "", credits: Mapping[str, Credits] | None = None
) -> BankStats:
    """Per-question statistics and the test's: mean, median, SD, Cronbach's alpha.
    `credits`: question id -> its credits, where the bank's copy of it is known."""
    known = credits or {}
    items = tuple(
        dataclasses.replace(analyse_item(item, known.get(item.question_id)), position=n)
        for n, item in enumerate(inputs.items, start=1)
    )
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
        rule=rule,
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
        rows.append(_user_row(user, values, tag_sums))
    return rows


def _user_row(user: str, values: Sequence[float], tag_sums: dict[str, list[float]]) -> UserRow:
    """A learner's row from their attempts' percentages (oldest first) and, per tag, the sum
    of their marks and of the marks possible."""
    tags = tuple((tag, 100.0 * s / m) for tag, (s, m) in sorted(tag_sums.items()) if m > 0)
    return UserRow(
        user=user,
        attempts=len(values),
        best=max(values),
        last=values[-1],
        mean=statistics.fmean(values),
        first=values[0],
        tags=tags,
    )


def user_rows_from_totals(
    inputs: UserReportInputs, snapshots: Iterable[BankSnapshot] = ()
) -> list[UserRow]:
    """`user_rows` from the sums the store computes (`Store.user_report_inputs`): the same
    rows, without loading a response. The planned questions an attempt has no response to
    score 0 out of their points, as `attempt_marks` counts them."""
    index = SnapshotIndex(snapshots, uses=inputs.banks)
    by_id = {a.attempt_id: a for a in inputs.attempts}
    missing: dict[str, float] = {}
    # (user, bank id, question id) -> (when, score, max score) of the latest mark
    latest: dict[tuple[str, str, str], tuple[tuple[str, str], float, float]] = {}
    for m in inputs.latest:
        latest[(m.user, m.bank_id, m.question_id)] = (
            (m.started_at, m.attempt_id),
            m.score,
            m.max_score,
        )
    for attempt_id, bank_id, question_id in inputs.unanswered:
        attempt = by_id[attempt_id]
        points = index.max_of(bank_id, question_id)
        missing[attempt_id] = missing.get(attempt_id, 0.0) + points
        key = (attempt.user, bank_id, question_id)
        when = (attempt.started_at, attempt_id)
        if key not in latest or latest[key][0] < when:
            latest[key] = (when, 0.0, points)
    percents: dict[str, list[float]] = {}
    for a in inputs.attempts:  # oldest first
        total = a.max_score + missing.get(a.attempt_id, 0.0)
        if total > 0:
            percents.setdefault(a.user, []).append(100.0 * a.score / total)
    tag_sums: dict[str, dict[str, list[float]]] = {}
    for (user, bank_id, question_id), (_, score, max_score) in latest.items():
        if user not in percents:
            continue
        question = index.question(bank_id, question_id)
        for tag in question.tags if question is not None else ():
            sums = tag_sums.setdefault(user, {}).setdefault(tag, [0.0, 0.0])
            sums[0] += score
            sums[1] += max_score
    rows = []
    for user in sorted(percents):
        values = percents[user]
        rows.append(_user_row(user, values, tag_sums.get(user, {})))
    return rows


def version_notes_of(
    uses: Iterable[tuple[str, str, str]], bank_ids: Sequence[str] | None = None
) -> list[str]:
    """`version_notes` from (bank id, content hash, start) of the attempts, oldest first."""
    hashes: dict[str, dict[str, None]] = {}
    for bank_id, content_hash, _ in uses:
        if bank_ids is None or bank_id in bank_ids:
            hashes.setdefault(bank_id, {})[content_hash] = None
    return [
        version_note(bank_id, tuple(found))
        for bank_id, found in sorted(hashes.items())
        if len(found) > 1
    ]


@dataclass(frozen=True)
class Grade:
    """A learner's grade in one bank: the percentage, and the marks behind it."""

    percent: float
    score: float
    max_score: float


@dataclass(frozen=True)
class Gradebook:
    banks: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float | None, ...]], ...]  # (user, one cell per bank)
    rule: str
    grades: tuple[tuple[Grade | None, ...], ...] = ()  # the same cells with their marks
    titles: tuple[str, ...] = ()  # each bank's title


def _grades_by_user(
    attempts: Sequence[AttemptRecord], index: SnapshotIndex, bank_id: str
) -> dict[str, list[Grade]]:
    found: dict[str, list[Grade]] = {}
    for attempt in sorted(attempts, key=_order_key):
        if not counts_for_reports(attempt) or not includes_bank(attempt, bank_id):
            continue
        marks = attempt_marks(attempt, bank_id, index.max_of).values()
        percent = percent_of(marks)
        if percent is not None:
            score = sum(m.score for m in marks)
            found.setdefault(attempt.user, []).append(
                Grade(percent, score, sum(m.max_score for m in marks))
            )
    return found


def pick_graded(grades: Sequence[Grade], rule: str) -> Grade | None:
    """The grade `rule` picks from a learner's grades, oldest first (mean: the means)."""
    if not grades:
        return None
    if rule == "best":
        return max(grades, key=lambda g: g.percent)  # the first of equals
    if rule == "last":
        return grades[-1]
    if rule == "first":
        return grades[0]
    if rule == "mean":
        return Grade(
            statistics.fmean(g.percent for g in grades),
            statistics.fmean(g.score for g in grades),
            statistics.fmean(g.max_score for g in grades),
        )
    raise ValueError(f"unknown grade rule {rule!r}: use one of {', '.join(GRADE_RULES)}")


def gradebook(
    attempts: Iterable[AttemptRecord],
    snapshots: Iterable[BankSnapshot] = (),
    bank_ids: Sequence[str] | None = None,
    *,
    rule: str = "best",
) -> Gradebook:
    """One row per learner, one column per bank: the percentage `rule` picks from their attempts
    (and the marks behind it)."""
    if rule not in GRADE_RULES:
        raise ValueError(f"unknown grade rule {rule!r}: use one of {', '.join(GRADE_RULES)}")
    attempts = list(attempts)
    index = SnapshotIndex(snapshots, attempts)
    banks = tuple(bank_ids) if bank_ids is not None else tuple(banks_in(attempts))
    per_bank = {b: _grades_by_user(attempts, index, b) for b in banks}
    users = sorted({user for found in per_bank.values() for user in found})
    grades = tuple(
        tuple(pick_graded(per_bank[b].get(user, []), rule) for b in banks) for user in users
    )
    rows = tuple(
        (user, tuple(g.percent if g is not None else None for g in cells))
        for user, cells in zip(users, grades, strict=True)
    )
    titles = tuple(index.title(b) for b in banks)
    return Gradebook(banks=banks, rows=rows, rule=rule, grades=grades, titles=titles)


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


# ---------------------------------------------------------------------------------------------
# Which attempt of each learner


ATTEMPT_RULES: tuple[str, ...] = ("first", "last", "best", "all")


def bank_total(attempt: AttemptRecord, bank_id: str) -> float:
    """The marks an attempt earned in a bank (what "best" compares, as the store does)."""
    return sum(r.score for r in attempt.responses if r.bank_id == bank_id)


def pick_attempts(
    attempts: Iterable[AttemptRecord], bank_id: str, rule: str = "first"
) -> list[AttemptRecord]:
    """The reportable attempts that drew from `bank_id`, oldest first: each learner's first,
    last or best (the highest total in the bank, the earliest of equals), or all of them."""
    if rule not in ATTEMPT_RULES:
        raise ValueError(f"unknown attempt rule {rule!r}: use one of {', '.join(ATTEMPT_RULES)}")
    chosen = sorted(
        (a for a in attempts if counts_for_reports(a) and includes_bank(a, bank_id)),
        key=_order_key,
    )
    if rule == "all":
        return chosen
    picked: dict[str, AttemptRecord] = {}
    for attempt in chosen:
        held = picked.get(attempt.user)
        if (
            held is None
            or rule == "last"
            or (rule == "best" and bank_total(attempt, bank_id) > bank_total(held, bank_id))
        ):
            picked[attempt.user] = attempt
    return sorted(picked.values(), key=_order_key)


# ---------------------------------------------------------------------------------------------
# Response analysis (`--by responses`)

# (question id, response as stored, count, sum of scores, sum of maximum scores)
ResponseCount = tuple[str, ResponseValue, int, float, float]


class Part(Protocol):
    """A part of a response as a kind counts it (`quiz.kinds.base.ReportPart`)."""

    @property
    def part(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def right(self) -> bool | None: ...


PartsOf = Callable[[str, ResponseValue], Sequence[Part]]


@dataclass(frozen=True)
class ResponseRow:
    part: str  # "" for a whole response; match: the left item; order: "position 2"
    response: str  # normalised as the grader compares (the spelling given most often)
    count: int
    share: float | None  # percent of the attempts that included the question
    mark: float | None  # mean mark these responses earned, percent of the question's marks
    right: bool | None  # this part right (None: the kind cannot tell by part; see `mark`)

    @property
    def wrong(self) -> bool:
        if self.response == NO_ANSWER:
            return False
        if self.right is not None:
            return not self.right
        return self.mark is not None and self.mark < 100.0 - 1e-6


@dataclass(frozen=True)
class QuestionResponses:
    item: ItemStats
    rows: tuple[ResponseRow, ...]

    @property
    def common_wrong(self) -> ResponseRow | None:
        """The wrong response (or part) given most often, the first of equals."""
        wrong = [row for row in self.rows if row.wrong]
        return max(wrong, key=lambda row: row.count) if wrong else None


def response_analysis(
    bank: BankStats, counts: Iterable[ResponseCount], parts_of: PartsOf
) -> list[QuestionResponses]:
    """For each question of a bank, the responses given: normalised by the question's kind
    (`parts_of`), counted, with their share of the attempts and the mean mark they earned,
    most frequent first (within each part: per left item for match, per position for order),
    then "(no answer)"."""
    groups: dict[str, dict[tuple[str, str], list[Any]]] = {}
    for qid, response, count, score, max_score in counts:
        try:
            parts = parts_of(qid, response)
        except Exception:  # a response the kind cannot read is counted as its text
            parts = ()
        per_question = groups.setdefault(qid, {})
        for part in parts:
            entry = per_question.setdefault(
                (part.part, part.key), [Counter(), 0, 0.0, 0.0, part.right]
            )
            entry[0][part.text] += count
            entry[1] += count
            entry[2] += score
            entry[3] += max_score
            if entry[4] is None:
                entry[4] = part.right
    found = []
    for item in bank.items:
        n = item.attempts
        part_order: dict[str, int] = {}
        rows = []
        for (label, _), (texts, count, score, max_score, right) in groups.get(
            item.question_id, {}
        ).items():
            part_order.setdefault(label, len(part_order))
            text = max(texts.items(), key=lambda kv: kv[1])[0]  # the first of equals
            mark = 100.0 * score / max_score if max_score > 0 else None
            share = 100.0 * count / n if n else None
            if right is None and not label and mark is not None:
                # A response counted whole earned the same mark each time it was given (the
                # grader reads it the same way): full marks is right.
                right = True if mark >= 100.0 - 1e-6 else False if mark <= 1e-6 else None
            rows.append(ResponseRow(label, text, count, share, mark, right))
        rows.sort(key=lambda r: (_part_rank(r.part, part_order), -r.count, r.response))
        if item.no_answer:
            share = 100.0 * item.no_answer / n if n else None
            rows.append(ResponseRow("", NO_ANSWER, item.no_answer, share, 0.0, None))
        analysed = QuestionResponses(item, tuple(rows))
        wrong = analysed.common_wrong
        if wrong is not None:
            shown = f"{wrong.part}: {wrong.response}" if wrong.part else wrong.response
            analysed = QuestionResponses(
                dataclasses.replace(item, common_wrong=shown, common_wrong_count=wrong.count),
                analysed.rows,
            )
        found.append(analysed)
    return found


def _part_rank(part: str, order: Mapping[str, int]) -> tuple[int, int]:
    """Whole responses first; positions in number order; other parts as first seen."""
    if part.startswith("position ") and part[9:].isdigit():
        return (1, int(part[9:]))
    return (0 if not part else 1, order.get(part, 0))


# ---------------------------------------------------------------------------------------------
# Learner x question marks (`--by marks`, Moodle's Grades report)


@dataclass(frozen=True)
class MarksRow:
    user: str
    attempt: str
    started_at: str
    score: float
    max_score: float
    percent: float | None
    marks: tuple[float | None, ...]  # one per question; None: the attempt did not include it


@dataclass(frozen=True)
class MarksTable:
    bank_id: str
    title: str
    questions: tuple[QuestionSnapshot, ...]  # Q1...Qn, in the bank's order
    rows: tuple[MarksRow, ...]
    rule: str


def marks_table(
    attempts: Iterable[AttemptRecord],
    snapshots: Iterable[BankSnapshot],
    bank_id: str,
    rule: str = "first",
) -> MarksTable:
    """One row per attempt `rule` picks (each learner's first, last, best, or all), one mark
    per question of the bank: Moodle's Grades report."""
    attempts = list(attempts)
    index = SnapshotIndex(snapshots, attempts)
    chosen = pick_attempts(attempts, bank_id, rule)
    marks = [attempt_marks(a, bank_id, index.max_of) for a in chosen]
    order = list(index.order.get(bank_id, []))
    for found in marks:
        for _, qid in found:
            if qid not in order:
                order.append(qid)
    questions = tuple(
        index.question(bank_id, qid)
        or QuestionSnapshot(bank_id, qid, "", "", index.max_of(bank_id, qid), "")
        for qid in order
    )
    rows = tuple(
        MarksRow(
            user=a.user,
            attempt=a.id,
            started_at=a.started_at,
            score=sum(m.score for m in found.values()),
            max_score=sum(m.max_score for m in found.values()),
            percent=percent_of(found.values()),
            marks=tuple(
                found[(bank_id, q.question_id)].score if (bank_id, q.question_id) in found else None
                for q in questions
            ),
        )
        for a, found in zip(chosen, marks, strict=True)
        if found
    )
    return MarksTable(bank_id, index.title(bank_id), questions, rows, rule)
