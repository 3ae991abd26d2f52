"""Times, once for every layer: the store's one format (ISO 8601 in UTC with microseconds, so
that times sort as text), reading an ISO time, showing one, and the order of attempts. Standard
library only (and `quiz.sanitize`, when a time is shown).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
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
    if local:
        hour = _stored_local_hour(value)
        if hour is not None:
            return f"{hour}:{value[14:16]}"  # type: ignore[index]
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
_STORED_HOURS: dict[str, str | None] = {}  # a stored time's hour "YYYY-MM-DDTHH" → local
_STORED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:[0-5]\d:[0-5]\d\.\d{6}\+00:00", re.ASCII)
_HOUR = timedelta(hours=1)
_TICK = timedelta(microseconds=1)


def _stored_local_hour(value: object) -> str | None:
    """For a time in the store's own format (a list shows 10,000 of them), its local hour
    "YYYY-MM-DD HH", read once per hour, so that showing it needs no datetime arithmetic; the
    minutes are the text's own. None when the shortcut does not hold: not the store's format,
    no real hour (2024-02-31T10 is shown as any text that is not a time is), or an hour whose
    offset is not whole hours or changes within it."""
    if type(value) is not str or not _STORED.fullmatch(value):
        return None
    key = value[:13]
    try:
        return _STORED_HOURS[key]
    except KeyError:
        pass
    local: str | None = None
    try:
        hour = parse_time(f"{key}:00:00+00:00")
    except ValueError:
        hour = None
    if hour is not None:
        offset = _offset_at(hour)
        if offset % _HOUR == timedelta(0) and _offset_at(hour + _HOUR - _TICK) == offset:
            local = f"{hour + offset:%Y-%m-%d %H}"
    _STORED_HOURS[key] = local
    return local


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
    return near_times((value,), now=now)[0]


def near_times(values: Iterable[object], *, now: datetime | None = None) -> list[str]:
    """`near_time` of each of `values`, seen from one "today" (a list shows 10,000): a time in
    the store's own format costs a regular expression and a dictionary lookup."""
    today = now.astimezone().date() if now else datetime.now().date()  # (local)
    shown: dict[str, str] = {}  # a stored hour "YYYY-MM-DDTHH" -> "label HH:"
    out = []
    for value in values:
        if type(value) is str and _STORED.fullmatch(value):
            start = shown.get(value[:13])
            if start is None:
                start = shown[value[:13]] = _near_hour(value, today)
            if start:
                out.append(start + value[14:16])
                continue
        out.append(_near_time_parsed(value, now))
    return out


def _near_hour(value: str, today: date) -> str:
    """The shown start ("29 Nov 18:") of a stored time's hour; empty when the shortcut of
    `_stored_local_hour` does not hold."""
    hour = _stored_local_hour(value)
    if hour is None:
        return ""
    label = _DAY_LABELS.get((hour[:10], today))
    if label is None:
        label = _DAY_LABELS[hour[:10], today] = _day_label(date.fromisoformat(hour[:10]), today)
    return f"{label} {hour[11:13]}:"


def _near_time_parsed(value: object, now: datetime | None) -> str:
    from quiz.sanitize import clean_line

    if value is None or value == "":
        return ""
    text = clean_line(value)
    try:
        moment = parse_time(text).astimezone()
    except ValueError:
        return text
    today = (now or datetime.now(timezone.utc)).astimezone(moment.tzinfo).date()
    return f"{_day_label(moment.date(), today)} {moment:%H:%M}"


_DAY_LABELS: dict[tuple[str, date], str] = {}  # (local day "YYYY-MM-DD", today) -> its label


def _day_label(day: date, today: date) -> str:
    """A local day as people say it, seen from `today`: "today", "yesterday", "29 Nov", or
    "29 Nov 2025" in another year."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    label = f"{day.day} {_MONTHS[day.month - 1]}"
    return label if day.year == today.year else f"{label} {day.year}"


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
