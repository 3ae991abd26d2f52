"""Showing stored times in local time: the per-hour offset cache must give what
`astimezone()` gives, across changes to and from summer time, in zones whose changes fall on a
half hour (St John's) or move by half an hour (Lord Howe)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from quiz import times


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch):
    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()
        times._OFFSETS.clear()
        times._STORED_HOURS.clear()
        times._DAY_LABELS.clear()

    yield use
    monkeypatch.undo()
    time.tzset()
    times._OFFSETS.clear()
    times._STORED_HOURS.clear()
    times._DAY_LABELS.clear()


@pytest.mark.parametrize(
    "name", ["UTC", "America/St_Johns", "Australia/Lord_Howe", "Europe/Paris", "Asia/Kolkata"]
)
def test_short_time_is_local_time_around_every_change_of_offset(zone, name: str) -> None:
    zone(name)
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    for minutes in range(0, 366 * 24 * 60, 13):
        moment = start + timedelta(minutes=minutes)
        want = moment.astimezone().strftime("%Y-%m-%d %H:%M")
        for shown_in in (timezone.utc, timezone(timedelta(hours=-3, minutes=-30))):
            text = moment.astimezone(shown_in).isoformat(timespec="microseconds")
            assert times.short_time(text) == want, text


def test_short_time_in_utc_and_odd_input() -> None:
    assert times.short_time("2024-01-07T22:39:59.999999+02:00", local=False) == "2024-01-07 20:39"
    assert times.short_time("2024-01-07T22:39:00Z", local=False) == "2024-01-07 22:39"
    assert times.short_time(None) == ""
    assert times.short_time("not a time\x1b[31m") == "not a time"


@pytest.mark.parametrize("name", ["UTC", "America/St_Johns", "Europe/Paris"])
def test_the_stored_format_fast_path_agrees_and_refuses_what_is_no_time(zone, name: str) -> None:
    zone(name)
    start = datetime(2023, 3, 1, tzinfo=timezone.utc)
    for minutes in range(0, 300 * 24 * 60, 17):
        moment = start + timedelta(minutes=minutes)
        text = moment.isoformat(timespec="microseconds")  # the store's own format
        assert times.short_time(text) == moment.astimezone().strftime("%Y-%m-%d %H:%M")
    # Shaped like a stored time, but no time: shown as text (cleaned), never reformatted.
    for text in ("2024-02-31T10:00:00.000000+00:00", "2024-01-01T25:00:00.000000+00:00"):
        assert times.short_time(text) == text
    assert times.short_time("2024-01-01T10:00:00.000000+00:00")  # its hour is fine...
    odd = "2024-01-01T10:61:00.000000+00:00"  # ...but not this minute: no fast path
    assert times.short_time(odd) == odd


@pytest.mark.parametrize(
    "name", ["UTC", "America/St_Johns", "Australia/Lord_Howe", "Europe/Paris", "Asia/Kolkata"]
)
def test_near_time_from_the_stored_format_agrees_with_astimezone(zone, name: str) -> None:
    """A list shows near_time for every attempt: the stored format's shortcut must say what
    datetime arithmetic says, on every side of a change of offset and of midnight."""
    zone(name)
    now = datetime(2023, 12, 31, 12, 0, tzinfo=timezone.utc)
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    start = datetime(2022, 12, 25, tzinfo=timezone.utc)
    stored, wanted = [], []
    for minutes in range(0, 372 * 24 * 60, 29):
        moment = start + timedelta(minutes=minutes)
        seen = moment.astimezone()
        days = (now.astimezone().date() - seen.date()).days
        clock = seen.strftime("%H:%M")
        if days == 0:
            want = f"today {clock}"
        elif days == 1:
            want = f"yesterday {clock}"
        else:
            year = "" if seen.year == now.astimezone().year else f" {seen.year}"
            want = f"{seen.day} {months[seen.month - 1]}{year} {clock}"
        text = moment.isoformat(timespec="microseconds")  # the store's own format
        assert times.near_time(text, now=now) == want, text
        assert times.near_time(text.replace("+00:00", "Z"), now=now) == want, text
        stored.append(text)
        wanted.append(want)
    # a list's rows, all at once: one "today", each hour's label read once
    assert times.near_times(stored, now=now) == wanted
    for text in ("2024-02-31T10:00:00.000000+00:00", "2024-01-01T10:61:00.000000+00:00"):
        assert times.near_time(text, now=now) == text


def test_near_times_says_what_near_time_says_of_each_value(zone) -> None:
    """A list's times at once (`near_times`), whatever they hold: the store's format, other
    ISO forms, none, and text that is no time (a results file may hold anything)."""
    zone("Europe/Paris")
    now = datetime(2026, 3, 29, 12, 0, tzinfo=timezone.utc)  # the day summer time begins
    values: list[object] = [
        "2026-03-29T00:59:00.000000+00:00",  # 01:59 winter time
        "2026-03-29T01:00:00.000000+00:00",  # 03:00 summer time
        "2026-03-29T00:30:00.000000+00:00",  # an hour read before: from the cache
        "2026-03-28T22:00:00.000000+00:00",
        "2026-03-29T01:00:00Z",
        "2025-12-31T23:59:59+01:00",
        "2024-02-31T10:00:00.000000+00:00",  # the store's shape, no such day
        "2026-03-29T01:00:00.000000+00:00\x1b[2J",
        None,
        "",
        "not a time",
        42,
    ]
    assert times.near_times(values, now=now) == [times.near_time(v, now=now) for v in values]
    assert times.near_times(values[:4], now=now) == [
        "today 01:59",
        "today 03:00",
        "today 01:30",
        "yesterday 23:00",
    ]
    assert times.near_times([], now=now) == []
