"""`quiz scores stats`: per bank and per tag, how a learner (or everyone) is doing.

Pure aggregation over the totals the store hands out (`Store.group_rows`, `Store.trend`,
`Store.question_rows`) and the bank snapshots: no SQL here, and nothing is printed.

For each bank and each tag:
- `attempts`: attempts that answered at least one of its questions (any status);
- `last`, `best`, `trend`: score fractions of finished attempts (oldest to newest in `trend`);
- `accuracy`: points scored over points possible, over every response;
- `missed`: the questions most often not answered fully right.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quiz.store.records import BankSnapshot
from quiz.store.report_records import GroupTotals, QuestionTotals

if TYPE_CHECKING:
    from quiz.store import Store

TREND_LENGTH = 10
MISSED_COUNT = 3
SPARKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Missed:
    bank_id: str
    question_id: str
    prompt: str | None
    missed: int
    answered: int

    def as_dict(self) -> dict[str, object]:
        return {
            "bank": self.bank_id,
            "question": self.question_id,
            "prompt": self.prompt,
            "missed": self.missed,
            "answered": self.answered,
        }


@dataclass(frozen=True)
class GroupStats:
    group: str  # "bank" or "tag"
    id: str
    title: str | None
    attempts: int
    finished: int
    responses: int
    accuracy: float | None
    last: float | None
    best: float | None
    trend: tuple[float, ...] = ()
    missed: tuple[Missed, ...] = field(default=())

    @property
    def sparkline(self) -> str:
        return sparkline(self.trend)

    def as_dict(self) -> dict[str, object]:
        return {
            "group": self.group,
            "id": self.id,
            "title": self.title,
            "attempts": self.attempts,
            "finished": self.finished,
            "responses": self.responses,
            "accuracy": _round(self.accuracy),
            "last": _round(self.last),
            "best": _round(self.best),
            "trend": [_round(v) for v in self.trend],
            "most_missed": [m.as_dict() for m in self.missed],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def sparkline(values: Sequence[float]) -> str:
    """Fractions 0..1 as block characters, one per value."""
    top = len(SPARKS) - 1
    return "".join(SPARKS[max(0, min(top, round(v * top)))] for v in values)


def compute(
    group_rows: Iterable[GroupTotals],
    trends: Mapping[tuple[str, str, str], Sequence[float]],
    question_rows: Iterable[QuestionTotals],
    snapshots: Iterable[BankSnapshot],
    *,
    missed_count: int = MISSED_COUNT,
) -> list[GroupStats]:
    """Banks (by id), then tags (by name).

    `group_rows` and `trends` (keyed by (scope, bank id, tag)) come from `Store.group_rows`
    and `Store.trend`; a `bank_tag` row (a tag within one bank) counts as that tag."""
    titles: dict[str, str] = {}
    prompts: dict[tuple[str, str], str] = {}
    tagged: dict[str, set[tuple[str, str]]] = {}
    for snap in snapshots:  # oldest first: the newest version's title and prompts win
        titles[snap.bank_id] = snap.title
        for q in snap.questions:
            prompts[(snap.bank_id, q.question_id)] = q.prompt
            for tag in q.tags:
                tagged.setdefault(tag, set()).add((snap.bank_id, q.question_id))

    per_question = sorted(
        (row for row in question_rows if row.missed > 0),
        key=lambda row: (-row.missed, row.bank_id, row.question_id),
    )

    def most_missed(bank_id: str | None, keys: set[tuple[str, str]] | None) -> tuple[Missed, ...]:
        found: list[Missed] = []
        for row in per_question:
            if len(found) >= missed_count:
                break
            key = (row.bank_id, row.question_id)
            if (bank_id is None or row.bank_id == bank_id) and (keys is None or key in keys):
                prompt = prompts.get(key)
                found.append(Missed(*key, prompt, row.missed, row.answered))
        return tuple(found)

    banks: list[GroupStats] = []
    tags: list[GroupStats] = []
    for g in group_rows:
        trend = tuple(trends.get((g.scope, g.bank_id, g.tag), ()))
        is_bank = g.scope == "bank"
        stats = GroupStats(
            group="bank" if is_bank else "tag",
            id=g.bank_id if is_bank else g.tag,
            title=titles.get(g.bank_id) if is_bank else None,
            attempts=g.attempts,
            finished=g.finished,
            responses=g.answered,
            accuracy=g.score / g.max_score if g.max_score else None,
            last=trend[-1] if trend else None,
            best=g.best,
            trend=trend,
            missed=most_missed(g.bank_id or None, None if is_bank else tagged.get(g.tag, set())),
        )
        (banks if is_bank else tags).append(stats)
    return sorted(banks, key=lambda g: g.id) + sorted(tags, key=lambda g: g.id)


def collect(
    store: Store,
    *,
    user: str | None = None,
    bank: str | None = None,
    trend_length: int = TREND_LENGTH,
) -> list[GroupStats]:
    """Everything `quiz scores stats` shows, straight from a store."""
    groups = store.group_rows(user=user, bank=bank)
    trends = {
        (g.scope, g.bank_id, g.tag): store.trend(
            g.scope, g.bank_id, g.tag, user=user, limit=trend_length
        )
        for g in groups
        if g.finished
    }
    snapshots = [s for s in store.snapshots() if bank is None or s.bank_id == bank]
    return compute(groups, trends, store.question_rows(user=user, bank=bank), snapshots)
