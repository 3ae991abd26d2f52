"""The numeric bounds every input is held to, so that no value can poison a report.

Scores, max scores, points and tolerances are finite and at most `MAX_MAGNITUDE` per question;
seeds and limits fit SQLite's INTEGER; times fit `datetime` (in UTC, after their offset). The
loader, the answer-sheet reader, the results parser and the CLI options check them, each with
a located message. Standard library only: `quiz --help` may import it.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

MAX_MAGNITUDE = 10**6  # per question: scores, max scores, points, tolerances
MAX_INTEGER = 2**63 - 1  # SQLite's INTEGER: seeds, counts, limits
MIN_INTEGER = -(2**63)


def format_number(value: float) -> str:
    """67300.0 -> '67300', 0.5 -> '0.5': how an answer (and a score) is shown and dumped."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def magnitude_problem(value: object) -> str | None:
    """Why a number cannot be a score, points or a tolerance (None if it can)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "must be a number"
    try:
        number = float(value)
    except OverflowError:
        return f"must be at most {MAX_MAGNITUDE:,} in size"
    if not math.isfinite(number):
        return "must be a finite number"
    if abs(number) > MAX_MAGNITUDE:
        return f"must be at most {MAX_MAGNITUDE:,} in size"
    return None


def integer_problem(value: object) -> str | None:
    """Why a whole number cannot be stored as a seed or a limit (None if it can)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number"
    if not MIN_INTEGER <= value <= MAX_INTEGER:
        return f"must be between {MIN_INTEGER} and {MAX_INTEGER}"
    return None


def time_problem(value: str) -> str | None:
    """Why a text is not a time the store can keep (None if it is): ISO 8601, and within
    `datetime`'s range once its offset is applied (year 1 at +01:00 is not)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return "is not an ISO 8601 time"
    try:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        moment.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return "is outside the range of times (years 1 to 9999 in UTC)"
    return None
