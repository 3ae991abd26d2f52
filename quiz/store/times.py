"""Times as the store writes them: ISO 8601 in UTC with microseconds, so that they sort as text."""

from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    """Now, in the store's one format."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def normalize_time(value: str | datetime) -> str:
    """Any ISO 8601 time (naive means UTC) in the store's one format; ValueError if not a time."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
