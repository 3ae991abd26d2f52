"""On a real PostgreSQL class store: `quiz class status` shows times as people read them
(JSON keeps ISO), and a learner's `--user` naming someone else is refused by every scores
command that takes it, as `quiz take --user` is, instead of silently showing their own rows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from quiz.times import near_time
from tests.class_setup import ClassStore, class_fixture
from tests.conftest import psycopg_or_skip

psycopg_or_skip()


@pytest.fixture
def room(postgres_server: Any, postgres_db: str, tmp_path: Path) -> Iterator[ClassStore]:
    yield from class_fixture(postgres_server, postgres_db, tmp_path)


def test_class_status_shows_times_as_people_read_them(room: ClassStore) -> None:
    ann, bea, cy = room.add("ann", "bea", "cy")
    take = ["take", "class-bank", "--plain", "--no-shuffle"]
    for who in (ann, bea):
        taken = room.run(who, take, "1\n:quit\n")
        assert taken.exit_code == 0, taken.output
    long_ago = datetime(2021, 3, 9, 12, 0, tzinfo=timezone.utc)
    with room.connect() as conn:  # bea answered long ago
        conn.execute(
            "UPDATE responses SET answered_at = %s WHERE attempt_id IN"
            " (SELECT id FROM attempts WHERE user_name = %s)",
            (long_ago.isoformat(timespec="microseconds"), bea),
        )
        conn.execute(
            "UPDATE attempts SET started_at = %s WHERE user_name = %s",
            (long_ago.isoformat(timespec="microseconds"), bea),
        )
    shown = room.run(None, ["class", "status"], None)
    assert shown.exit_code == 0, shown.output
    assert not re.search(r"\d{4}-\d\d-\d\dT", shown.output), shown.output  # no raw ISO
    (ann_line,) = [line for line in shown.output.splitlines() if line.startswith(ann)]
    assert re.search(r"today \d\d:\d\d$", ann_line), shown.output
    (bea_line,) = [line for line in shown.output.splitlines() if line.startswith(bea)]
    assert bea_line.endswith(near_time(long_ago.isoformat())), shown.output
    assert "2021" in bea_line
    (cy_line,) = [line for line in shown.output.splitlines() if line.startswith(cy)]
    assert cy_line.endswith("never")
    rows = {
        row["name"]: row for row in json.loads(room.run(None, ["class", "status", "--json"]).output)
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", rows[ann]["last_activity"])


@pytest.mark.parametrize(
    "args",
    [
        ["scores", "list"],
        ["scores", "list", "--json"],
        ["scores", "stats"],
        ["scores", "export"],
        ["scores", "report", "--by", "user"],
    ],
)
def test_a_learner_may_not_list_someone_elses_scores(room: ClassStore, args: list[str]) -> None:
    ann, bob = room.add("ann", "bob")
    for who, answers in ((ann, "1\n2\n3\n4\n"), (bob, "1\n:quit\n")):
        taken = room.run(who, ["take", "class-bank", "--plain", "--no-shuffle"], answers)
        assert taken.exit_code == 0, taken.output
    refused = room.run(ann, [*args, "--user", bob])
    assert refused.exit_code == 2, refused.output
    assert "on a class store you see your own scores only" in refused.output
    assert f"--user '{bob}'" in refused.output and "for the instructor" in refused.output
    assert "Traceback" not in refused.output
    own = room.run(ann, [*args, "--user", ann])  # naming oneself is fine
    assert own.exit_code == 0, own.output
    theirs = room.run(None, [*args, "--user", bob])  # the instructor may
    assert theirs.exit_code == 0, theirs.output


def test_take_refuses_a_learners_user_the_same_way(room: ClassStore) -> None:
    ann, bob = room.add("ann", "bob")
    refused = room.run(ann, ["take", "class-bank", "--plain", "--user", bob], "1\n")
    assert refused.exit_code == 2, refused.output


# -- near_time, the one way a recent time is shown -------------------------------------------------
NOW = datetime(2026, 11, 30, 18, 30, tzinfo=timezone.utc)


def local(moment: datetime) -> datetime:
    return moment.astimezone()


@pytest.mark.parametrize(
    ("ago", "shape"),
    [
        (timedelta(minutes=5), r"today \d\d:\d\d"),
        (timedelta(days=1), r"(today|yesterday) \d\d:\d\d"),
        (timedelta(days=20), r"\d{1,2} (Oct|Nov) \d\d:\d\d"),
        (timedelta(days=800), r"\d{1,2} [A-Z][a-z]{2} 2024 \d\d:\d\d"),
    ],
)
def test_near_time_says_the_day_as_people_do(ago: timedelta, shape: str) -> None:
    moment = NOW - ago
    shown = near_time(moment.isoformat(), now=NOW)
    assert re.fullmatch(shape, shown), shown
    assert shown.endswith(local(moment).strftime("%H:%M"))  # local time


def test_near_time_in_a_fixed_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("no tzset")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert near_time("2026-11-30T18:01:02.123+00:00", now=NOW) == "today 18:01"
        assert near_time("2026-11-29T18:01:02+00:00", now=NOW) == "yesterday 18:01"
        assert near_time("2026-11-02T09:05:00Z", now=NOW) == "2 Nov 09:05"
        assert near_time("2025-11-29T18:01:00+00:00", now=NOW) == "29 Nov 2025 18:01"
        assert near_time(None) == "" and near_time("not a time") == "not a time"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
