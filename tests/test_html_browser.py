"""The HTML report in a real browser: headless Chromium dumps the DOM and takes a screenshot.

Skipped when no `chromium` (or `chromium-browser`) is on PATH, unless QUIZ_REQUIRE_BROWSER=1,
as `.ci/run` sets after installing Debian's chromium: then a missing browser is a failure.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quiz.store import Store
from quiz.store.records import AttemptRecord, BankSnapshot, QuestionSnapshot, ResponseRecord

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


# --- layout: measured in Chromium ----------------------------------------------------------------

# A page that loads the report in a 1200 px frame and writes what it measured into the DOM. The
# report itself runs no script (its CSP forbids it); this harness is the test's, not the report's.
HARNESS = """<!DOCTYPE html>
<html><body>
<iframe id="frame" style="width: 1200px; height: 1600px; border: 0"></iframe>
<pre id="out">pending</pre>
<script>
const frame = document.getElementById("frame");
function lines(doc, el) {
  const range = doc.createRange();
  range.selectNodeContents(el);
  return new Set(Array.from(range.getClientRects(), r => Math.round(r.top))).size;
}
frame.onload = () => {
  const doc = frame.contentDocument, win = frame.contentWindow;
  const out = {
    page_overflow: doc.scrollingElement.scrollWidth - doc.scrollingElement.clientWidth,
    labels: [], keys: [], tables: [],
  };
  for (const el of doc.querySelectorAll("#checking .qid")) {
    out.labels.push({
      text: el.textContent, left: el.getBoundingClientRect().left,
      cut: el.scrollWidth > el.clientWidth, title: el.getAttribute("title") || "",
    });
  }
  for (const el of doc.querySelectorAll("td.key, td.keys .key")) {
    out.keys.push({text: el.textContent, lines: lines(doc, el), title: el.title});
  }
  for (const el of doc.querySelectorAll("table")) {
    out.tables.push({
      right: el.getBoundingClientRect().right,
      box_right: el.parentElement.getBoundingClientRect().right,
      box_scrolls: win.getComputedStyle(el.parentElement).overflowX === "auto",
    });
  }
  document.getElementById("out").textContent = JSON.stringify(out);
};
frame.src = decodeURIComponent(location.hash.slice(1));
</script>
</body></html>
"""


def wide_report(tmp_path: Path, by: str) -> Path:
    """A report with what made pages overflow: two banks with long hyphenated ids, UUIDs,
    times with microseconds, long question ids."""
    banks = {
        "rason-exam": ("ships-thought-to-carry", "property-legal-everywhere", "investment-1991"),
        "rason-figures": (
            "customs-stopped-publishing",
            "what-200000-describes-according-to-the-estimate-of-the-russian-side-in-2023",
            "china-share",
        ),
    }
    snapshots = [
        BankSnapshot(
            bank,
            f"{bank}-hash",
            bank.title(),
            tuple(
                QuestionSnapshot(bank, q, "choice", f"{q}?", 1.0, "a", (), ("a", "b"), ("a",))
                for q in questions
            ),
        )
        for bank, questions in banks.items()
    ]
    attempts = []
    for n, name in enumerate(["Ana Lima", "Ben Okafor", "Cho Min-jun", "Dana Kowalczyk"] * 2):
        for bank, questions in banks.items():
            attempts.append(
                AttemptRecord(
                    id=str(uuid.uuid4()),
                    user=name,
                    banks=((bank, f"{bank}-hash"),),
                    mode="exam" if n % 3 else "take",
                    started_at=f"2024-06-0{1 + n % 7}T09:0{n}:13.123456+00:00",
                    status="finished" if n != 5 else "in_progress",
                    finished_at=None if n == 5 else f"2024-06-0{1 + n % 7}T09:3{n}:59.654321+00:00",
                    plan=tuple((bank, q) for q in questions),
                    responses=tuple(
                        ResponseRecord(
                            bank,
                            q,
                            "a" if (i + n) % 3 else "b",
                            float(bool((i + n) % 3)),
                            1.0,
                            bool((i + n) % 3),
                        )
                        for i, q in enumerate(questions)
                    ),
                )
            )
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.merge(attempts, snapshots)
    from quiz.cli import cli

    out = tmp_path / f"{by}.html"
    args = ["--home", str(home), "scores", "report", "--by", by, "--format", "html", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out


def measure(browser: str, tmp_path: Path, page: Path) -> dict[str, Any]:
    harness = tmp_path / "harness.html"
    harness.write_text(HARNESS, encoding="utf-8")
    dumped = chromium(
        browser,
        tmp_path / "profile",
        "--allow-file-access-from-files",
        "--virtual-time-budget=10000",
        "--window-size=1300,1800",
        "--dump-dom",
        f"{harness.as_uri()}#{page.as_uri()}",
    )
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    found = re.search(r'<pre id="out">(.*?)</pre>', dumped.stdout, re.S)
    assert found is not None and found.group(1) != "pending", dumped.stdout[-2000:]
    data: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return data


@pytest.mark.parametrize("by", ["attempt", "question"])
def test_report_fits_1200_pixels(tmp_path: Path, by: str) -> None:
    browser = find_chromium()
    page = wide_report(tmp_path, by)
    found = measure(browser, tmp_path, page)
    assert found["page_overflow"] <= 0  # no horizontal scrollbar on the page
    for table in found["tables"]:
        # A table fits (the attempts always do), or scrolls inside its own box (the question
        # table here, for its 75-character question id).
        fits = table["right"] <= table["box_right"] + 1
        assert fits or (by == "question" and table["box_scrolls"]), table
    # Ids, banks, question ids and times stay on one line; attempt ids and times are short,
    # whole in their tooltip.
    assert found["keys"]
    for key in found["keys"]:
        assert key["lines"] == 1, key
    if by == "attempt":
        ids = [k for k in found["keys"] if re.fullmatch(r"[0-9a-f]{8}", k["text"])]
        assert len(ids) == 16
        assert all(re.fullmatch(r"[0-9a-f-]{36}", k["title"]) for k in ids)
        times = [k for k in found["keys"] if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", k["text"])]
        assert len(times) == 16 + 14 and all("." in k["title"] for k in times)
        assert not any("13.123456" in k["text"] for k in found["keys"])


def test_question_labels_are_whole(tmp_path: Path) -> None:
    browser = find_chromium()
    found = measure(browser, tmp_path, wide_report(tmp_path, "question"))
    assert len(found["labels"]) == 6
    for label in found["labels"]:
        assert label["left"] >= 0, label  # not cut at the left edge
        assert not label["cut"], label  # wrapped where needed, never cut: no hover needed
        assert "/" in label["text"]
    assert any("what-200000-describes" in label["text"] for label in found["labels"])


# --- a phone's width: measured by a script in a test copy of the page ---------------------------

# Appended to a copy of the report whose content-security policy lets an inline script run (the
# report itself allows none). It measures every piece of text from its rendered boxes
# (`getClientRects` of a range over each text node, so an SVG scaled down counts) and writes
# what it found into the page, which --dump-dom prints.
MEASURE = """<script>
addEventListener("load", () => {
  const out = {width: innerWidth, height: document.scrollingElement.scrollHeight,
               overflow: document.scrollingElement.scrollWidth - innerWidth, small: [], texts: 0};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || parent.closest("script, title, #measured")) continue;
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.width < 0.5) continue;  // not drawn
      out.texts += 1;
      // The font size as drawn: an SVG's text shrinks with the SVG.
      const svg = parent.closest("svg");
      const scale = svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width
        ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : 1;
      const size = parseFloat(getComputedStyle(parent).fontSize) * scale;
      if (rect.height < 12 || size < 12) {
        out.small.push({text: node.textContent.trim().slice(0, 40), height: rect.height, size});
      }
    }
  }
  parent.postMessage(JSON.stringify(out), "*");
});
</script>"""

# Chromium's headless window is at least 500 px wide: the copy is measured in a frame of the
# width asked for, and posts what it found to this page, which writes it where --dump-dom
# prints it.
FRAME = """<!DOCTYPE html>
<html><body style="margin: 0">
<iframe id="frame" style="width: WIDTHpx; height: 900px; border: 0"></iframe>
<pre id="measured">pending</pre>
<script>
addEventListener("message", (event) => {
  document.getElementById("measured").textContent = event.data;
});
document.getElementById("frame").src = decodeURIComponent(location.hash.slice(1));
</script>
</body></html>
"""


def measurable_copy(page: Path, tmp_path: Path) -> Path:
    """The report with a content-security policy that lets MEASURE run, and MEASURE."""
    text = page.read_text(encoding="utf-8")
    strict = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert strict in text and "<script" not in text  # the report itself runs nothing
    copy = tmp_path / f"measured-{page.name}"
    copy.write_text(
        text.replace(strict, strict + "; script-src 'unsafe-inline'").replace(
            "</body>", MEASURE + "\n</body>"
        ),
        encoding="utf-8",
    )
    return copy


def measure_at(browser: str, tmp_path: Path, page: Path, width: int) -> dict[str, Any]:
    frame = tmp_path / f"frame-{width}.html"
    frame.write_text(FRAME.replace("WIDTH", str(width)), encoding="utf-8")
    dumped = chromium(
        browser,
        tmp_path / f"profile-{width}",
        "--allow-file-access-from-files",
        "--virtual-time-budget=10000",
        "--window-size=1300,1000",
        "--dump-dom",
        f"{frame.as_uri()}#{page.as_uri()}",
    )
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    found = re.search(r'<pre id="measured">(.*?)</pre>', dumped.stdout, re.S)
    assert found is not None and found.group(1) != "pending", dumped.stdout[-2000:]
    data: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return data


def class_report(tmp_path: Path, by: str) -> Path:
    from tests.class_gen import seed_class

    home = tmp_path / "class-home"
    if not home.exists():
        seed_class(home)
    from quiz.cli import cli

    out = tmp_path / f"class-{by}.html"
    args = ["--home", str(home), "scores", "report", "--by", by, "--format", "html", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("by", ["question", "user", "responses", "marks"])
def test_report_reads_at_400_pixels(tmp_path: Path, by: str) -> None:
    browser = find_chromium()
    page = measurable_copy(class_report(tmp_path, by), tmp_path)
    desktop = measure_at(browser, tmp_path, page, 1200)
    phone = measure_at(browser, tmp_path, page, 400)
    assert (desktop["width"], phone["width"]) == (1200, 400)
    for found in (desktop, phone):
        assert found["texts"] > 50
        assert found["small"] == [], found["small"][:10]  # no text drawn below 12 px
        assert found["overflow"] <= 0  # tables scroll inside their own box; the page does not
    assert phone["height"] <= 3 * desktop["height"], (phone["height"], desktop["height"])


def test_question_page_shows_the_bands_and_the_text(tmp_path: Path) -> None:
    browser = find_chromium()
    page = class_report(tmp_path, "question")
    dumped = chromium(browser, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    rows = re.findall(r'<li class="qrow">(.*?)</li>', dom, re.S)
    assert len(rows) == 11  # one per question, with its whole text visible, not in a tooltip
    assert "A question whose key is wrong." in rows[8]
    assert re.search(r'class="band very-likely">very likely<', rows[8])
    assert "negative discrimination" in rows[8]
    assert re.search(r'class="band undefined">—<', rows[9])  # the giveaway: undefined
    svg = re.search(r'<svg[^>]*id="histogram".*?</svg>', dom, re.S)
    assert svg is not None and "Score (%)" in svg.group(0) and ">Attempts<" in svg.group(0)
    assert "each learner's first attempt" in html.unescape(dom)
