"""The HTML report in a real browser: headless Chromium dumps the DOM and takes a screenshot.

Skipped when no `chromium` (or `chromium-browser`) is on PATH, unless QUIZ_REQUIRE_BROWSER=1,
as `.ci/run` sets after installing Debian's chromium: then a missing browser is a failure.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.records import AttemptRecord, BankSnapshot, QuestionSnapshot, ResponseRecord
from quiz.store import Store

BANK = "browser-bank"
HOSTILE = "<script>alert(1)</script>"
LEARNERS = ("Ana Lima", "Ben Okafor", "Cho Min-jun", HOSTILE)
BROWSER_TIMEOUT = 120


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    reason = "no Chromium on PATH (looked for chromium and chromium-browser)"
    if os.environ.get("QUIZ_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + ", and QUIZ_REQUIRE_BROWSER=1")
    pytest.skip(reason)


def chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=BROWSER_TIMEOUT,
        check=False,
        env={**os.environ, "HOME": str(profile)},
    )


@pytest.fixture
def html_report(tmp_path: Path) -> Path:
    """An HTML report of four learners (one named like a script) on one bank."""
    questions = tuple(
        QuestionSnapshot(
            BANK, f"q{i}", "choice", f"Question {i}?", 1.0, "a", (), ("a", "b"), ("a",)
        )
        for i in range(3)
    )
    attempts = []
    for n, name in enumerate(LEARNERS):
        responses = tuple(
            ResponseRecord(BANK, q.question_id, "a" if i < n else "b", float(i < n), 1.0, i < n)
            for i, q in enumerate(questions)
        )
        attempts.append(
            AttemptRecord(
                id=str(uuid.uuid4()),
                user=name,
                banks=((BANK, "hash1"),),
                mode="take",
                started_at=f"2024-06-01T09:0{n}:00+00:00",
                status="finished",
                finished_at=f"2024-06-01T09:1{n}:00+00:00",
                plan=tuple((BANK, q.question_id) for q in questions),
                responses=responses,
            )
        )
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.merge(attempts, [BankSnapshot(BANK, "hash1", "Browser bank", questions)])
    from quiz.cli import cli

    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli,
        [
            "--home",
            str(home),
            "scores",
            "report",
            "--by",
            "user",
            "--format",
            "html",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_report_renders_in_chromium(html_report: Path, tmp_path: Path) -> None:
    browser = find_chromium()
    dumped = chromium(browser, tmp_path / "profile", "--dump-dom", html_report.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    assert "<table" in dom

    # The learners are on the page, as table cells.
    cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", dom, re.S)]
    for name in LEARNERS:
        assert name in cells, name

    # The chart is there: an inline SVG with one bar per band.
    svg = re.search(r'<svg[^>]*id="histogram".*?</svg>', dom, re.S)
    assert svg is not None
    assert len(re.findall(r"<rect", svg.group(0))) == 10

    shot = tmp_path / "report.png"
    taken = chromium(
        browser,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        html_report.as_uri(),
    )
    assert taken.returncode == 0, taken.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 1600)
    assert len(data) > 10_000  # not a blank page


def test_hostile_name_stays_text_in_the_dom(html_report: Path, tmp_path: Path) -> None:
    browser = find_chromium()
    dumped = chromium(browser, tmp_path / "profile", "--dump-dom", html_report.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    # No script element was created: the name is text, serialised escaped.
    assert "<script" not in dom.lower()
    assert html.escape(HOSTILE, quote=False) in dom
