"""The reference for item analysis: its inputs collected from attempt records, plainly.

The store computes the same `BankInputs` with grouped SQL (`Store.item_inputs`); the tests in
`test_analysis.py` compare the two on hand-worked classes and on random ones. This is the
definition of which attempts and questions count, written as directly as possible:

- attempts: finished ones, not study sessions, that include the bank; each learner's first
  (by start time, then id) unless `all_attempts`;
- an attempt includes a question it planned or answered; a planned question without an answer
  scores 0 out of its points; a question the attempt did not include is missing, not zero;
- complete attempts (Cronbach's alpha) include every question anyone's attempt included.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from quiz.reports.items import (
    BankStats,
    Mark,
    analyse_bank,
    attempt_marks,
    banks_in,
    counts_for_reports,
    includes_bank,
    percent_of,
)
from quiz.store.item_inputs import chosen_options
from quiz.store.records import AttemptRecord, BankSnapshot
from quiz.store.report_records import HIST_DIGITS, BankInputs, ItemSums
from quiz.store.snapshots import SnapshotIndex


def _order_key(attempt: AttemptRecord) -> tuple[str, str]:
    return (attempt.started_at, attempt.id)


def select_attempts(
    attempts: Iterable[AttemptRecord],
    bank_id: str,
    *,
    all_attempts: bool = False,
    rule: str | None = None,
) -> list[AttemptRecord]:
    """The attempts item analysis of `bank_id` uses, oldest first: each learner's first, last
    or best (highest total in the bank, the earliest of equals), or all."""
    rule = rule or ("all" if all_attempts else "first")
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
            or (rule == "best" and _bank_total(attempt, bank_id) > _bank_total(held, bank_id))
        ):
            picked[attempt.user] = attempt
    return sorted(picked.values(), key=_order_key)


def _bank_total(attempt: AttemptRecord, bank_id: str) -> float:
    total = 0.0
    for response in attempt.responses:
        if response.bank_id == bank_id:
            total += response.score
    return total


def _bank_hash(attempt: AttemptRecord, bank_id: str) -> str | None:
    for bid, content_hash in attempt.banks:
        if bid == bank_id:
            return content_hash
    return None


def _add(item: ItemSums, mark: Mark, rest: float) -> ItemSums:
    """`item` with one more attempt's mark (x) and rest of the test (y)."""
    f = mark.fraction
    x = round(mark.score, HIST_DIGITS)
    y = round(rest, HIST_DIGITS)
    options = dict(item.option_counts)
    for option in chosen_options(mark.response):
        options[option] = options.get(option, 0) + 1
    return dataclasses.replace(
        item,
        n=item.n + 1,
        no_answer=item.no_answer + (0 if mark.answered else 1),
        sum_f=item.sum_f + f,
        sum_f2=item.sum_f2 + f * f,
        sum_xy=item.sum_xy + x * y,
        x_hist={**item.x_hist, x: item.x_hist.get(x, 0) + 1},
        y_hist={**item.y_hist, y: item.y_hist.get(y, 0) + 1},
        option_counts=options,
    )


def collect_bank(
    attempts: Iterable[AttemptRecord],
    snapshots: Iterable[BankSnapshot],
    bank_id: str,
    *,
    all_attempts: bool = False,
    rule: str | None = None,
) -> BankInputs:
    """Item-analysis inputs for one bank from attempt records."""
    attempts = list(attempts)
    index = SnapshotIndex(snapshots, attempts)
    chosen = select_attempts(attempts, bank_id, all_attempts=all_attempts, rule=rule)
    all_attempts = (rule or ("all" if all_attempts else "first")) == "all"
    parts = [(a, attempt_marks(a, bank_id, index.max_of)) for a in chosen]
    parts = [(a, marks) for a, marks in parts if marks]

    items: dict[str, ItemSums] = {
        qid: ItemSums(bank_id, qid, index.question(bank_id, qid))
        for qid in index.order.get(bank_id, [])
    }
    percents: list[float] = []
    seen: set[str] = set()
    for _, marks in parts:
        total = sum(m.score for m in marks.values())
        for (_, qid), mark in marks.items():
            item = items.get(qid) or ItemSums(bank_id, qid, index.question(bank_id, qid))
            items[qid] = _add(item, mark, total - mark.score)
            seen.add(qid)
        percent = percent_of(marks.values())
        if percent is not None:
            percents.append(percent)

    complete = 0
    sum_t = sum_t2 = 0.0
    for _, marks in parts:
        if seen and all((bank_id, qid) in marks for qid in seen):
            total = sum(m.score for m in marks.values())
            complete += 1
            sum_t += total
            sum_t2 += total * total
            for (_, qid), mark in marks.items():
                item = items[qid]
                items[qid] = dataclasses.replace(
                    item,
                    complete_sum_x=item.complete_sum_x + mark.score,
                    complete_sum_x2=item.complete_sum_x2 + mark.score * mark.score,
                )
    return BankInputs(
        bank_id=bank_id,
        title=index.title(bank_id),
        items=tuple(items.values()),
        percents=tuple(percents),
        versions=tuple(dict.fromkeys(h for a, _ in parts if (h := _bank_hash(a, bank_id)))),
        complete=complete,
        complete_sum_t=sum_t,
        complete_sum_t2=sum_t2,
        all_attempts=all_attempts,
    )


def item_analysis(
    attempts: Iterable[AttemptRecord],
    snapshots: Iterable[BankSnapshot],
    bank_ids: Sequence[str] | None = None,
    *,
    all_attempts: bool = False,
) -> list[BankStats]:
    """`analyse_bank(collect_bank(...))` for each bank (every bank attempted when None)."""
    attempts = list(attempts)
    snapshots = list(snapshots)
    if bank_ids is None:
        bank_ids = banks_in(attempts)
    return [
        analyse_bank(collect_bank(attempts, snapshots, b, all_attempts=all_attempts))
        for b in bank_ids
    ]
