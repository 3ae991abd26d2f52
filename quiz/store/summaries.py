"""What `scores list` shows of attempts: their summaries without responses, and a page of them.

Apart from `quiz.store.records` (whose classes a list does not use) so that listing builds only
these two classes at start-up: `scores list --limit 20` is mostly start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class AttemptSummary:
    """One attempt without its responses, for listing: totals come from the store."""

    id: str
    user: str
    banks: tuple[tuple[str, str], ...]
    mode: str
    status: str
    started_at: str
    finished_at: str | None
    seed: int | None
    planned: int
    answered: int
    score: float
    max_score: float
    ungraded: int = 0  # responses stored ungraded: not in the score
    skipped: int = 0  # responses that hold no answer (skipped): neither answered nor left

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "user": self.user,
            "banks": [{"id": b, "content_hash": h} for b, h in self.banks],
            "mode": self.mode,
            "status": self.status,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "seed": self.seed,
            "planned": self.planned,
            "answered": self.answered,
            "skipped": self.skipped,
            "score": self.score,
            "max_score": self.max_score,
            "ungraded": self.ungraded,
        }


def attempt_summaries(values: Iterable[tuple[object, ...]]) -> list[AttemptSummary]:
    """Attempt summaries from their fields' values, in the fields' order: equal to
    `AttemptSummary(*row)`, without the frozen `__init__`'s `object.__setattr__` per field (a
    list to a pipe builds 10,000: a third of the time it took)."""
    new = object.__new__
    built = []
    for row in values:
        summary = new(AttemptSummary)
        summary.__dict__.update(zip(_SUMMARY_FIELDS, row, strict=True))
        built.append(summary)
    return built


_SUMMARY_FIELDS = tuple(f.name for f in fields(AttemptSummary))


@dataclass(frozen=True)
class AttemptPage:
    """One page of `scores list`: attempts that hold an answer, newest first, and how many
    such attempts match over every page."""

    rows: tuple[AttemptSummary, ...]
    total: int
