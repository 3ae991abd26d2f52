"""Times, once for every layer: the store's one format (ISO 8601 in UTC with microseconds, so
that times sort as text), reading an ISO time, showing one, and the order of attempts. Standard
library only (and `quiz.sanitize`, when a time is shown).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Protocol


def utc_now() -> str:
    """Now, in the store's one format."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """An ISO 8601 time ("Z" for UTC allowed), aware: naive means UTC. ValueError if not one."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def short_time(value: object, *, local: bool = True) -> str:
    """A stored ISO time to the minute, "YYYY-MM-DD HH:MM": local time for the terminal, UTC
    (`local=False`) for a page read elsewhere. Empty for None; text that is not a time as is
    (cleaned: it may come from a results file)."""
    from quiz.sanitize import clean_line

    if value is None or value == "":
        return ""
    if local and type(value) is str and _STORED.fullmatch(value):
        # The store's own format (a list shows 10,000): in an hour whose local time is UTC's,
        # the text's own digits, with no arithmetic. An hour is read once (2024-02-31T10 is
        # no hour: it is shown as any text that is not a time is).
        offset = _STORED_OFFSETS.get(value[:13])
        if offset is None:
            try:
                moment = parse_time(value)
            except ValueError:
                return clean_line(value)
            offset = _local_offset(moment)
            if moment.replace(minute=0, second=0, microsecond=0) in _OFFSETS:  # a whole hour
                _STORED_OFFSETS[value[:13]] = offset
        if not offset:
            return f"{value[:10]} {value[11:16]}"
    text = clean_line(value)
    try:
        moment = parse_time(text)
    except ValueError:
        return text
    moment = moment.astimezone(timezone.utc)
    if local:
        moment += _local_offset(moment)
    return f"{moment:%Y-%m-%d %H:%M}"


_OFFSETS: dict[datetime, timedelta] = {}
_STORED_OFFSETS: dict[str, timedelta] = {}  # by a stored time's hour, "YYYY-MM-DDTHH"
_STORED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:[0-5]\d:[0-5]\d\.\d{6}\+00:00", re.ASCII)


def _local_offset(moment: datetime) -> timedelta:
    """The local time's offset from UTC at `moment` (in UTC), computed once per hour (a list
    of 10,000 attempts converts 10,000 times). An hour whose start and end differ (a change to
    or from summer time within it, at a half hour, say) is computed for each time in it."""
    hour = moment.replace(minute=0, second=0, microsecond=0)
    found = _OFFSETS.get(hour)
    if found is not None:
        return found
    offset = _offset_at(moment)
    if _offset_at(hour) == _offset_at(hour + timedelta(hours=1)) == offset:
        _OFFSETS[hour] = offset
    return offset


def _offset_at(moment: datetime) -> timedelta:
    return moment.astimezone().utcoffset() or timedelta(0)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def near_time(value: object, *, now: datetime | None = None) -> str:
    """A stored ISO time as people read a recent one, in local time to the minute: "today
    18:01", "yesterday 18:01", "29 Nov 18:01" this year, "29 Nov 2025 18:01" before. Empty
    for None; text that is not a time as is (cleaned). `now` (aware) for tests."""
    from quiz.sanitize import clean_line

    if value is None or value == "":
        return ""
    text = clean_line(value)
    try:
        moment = parse_time(text).astimezone()
    except ValueError:
        return text
    today = (now or datetime.now(timezone.utc)).astimezone(moment.tzinfo).date()
    clock = moment.strftime("%H:%M")
    days = (today - moment.date()).days
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"yesterday {clock}"
    day = f"{moment.day} {_MONTHS[moment.month - 1]}"
    if moment.year != today.year:
        day += f" {moment.year}"
    return f"{day} {clock}"


def normalize_time(value: str | datetime) -> str:
    """Any ISO 8601 time (naive means UTC) in the store's one format; ValueError if not a time."""
    moment = value if isinstance(value, datetime) else parse_time(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


class _Started(Protocol):
    @property
    def started_at(self) -> str: ...

    @property
    def id(self) -> str: ...


def attempt_order(attempt: _Started) -> tuple[str, str]:
    """The one attempt comparison: oldest first by start time, then by id (stored times sort
    as text); `sorted(..., key=attempt_order)`."""
    return (attempt.started_at, attempt.id)
