"""Report writers (quiz.reports.render): each medium's escaping, and what each format holds."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib.resources import files

import pytest

from quiz.reports.items import Gradebook, UserRow
from quiz.reports.render import (
    Column,
    Report,
    Table,
    csv_cell,
    fmt,
    gradebook_report,
    md_escape,
    print_table,
    render,
    to_csv,
    to_html,
    to_json,
    to_markdown,
    user_report,
)

HOSTILE = [
    "<script>alert(1)</script>",
    "[/x]",
    "[bold red]loud[/]",
    '=HYPERLINK("http://evil")',
    "a|b",
    "\x1b]0;title\x07\x1b[31mred",
]


def users_report(names: list[str], notes: tuple[str, ...] = ()) -> Report:
    rows = [
        UserRow(name, 1, 50.0 + i, 40.0, 45.0, 30.0, (("dates", 50.0),))
        for i, name in enumerate(names)
    ]
    return user_report(rows, notes)


def test_template_is_package_data() -> None:
    assert files("quiz.reports").joinpath("templates").joinpath("report.html.j2").is_file()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'cmd"),
        ("\r=1", "'=1"),
        ("  =1", "'=1"),
        ("plain", "plain"),
        ("a\nb", "a b"),
        (-3.5, -3.5),
        (0, 0),
        (None, ""),
    ],
)
def test_csv_cells(value: object, expected: object) -> None:
    assert csv_cell(value) == expected  # type: ignore[arg-type]


def test_csv_neutralises_text_and_keeps_numbers() -> None:
    table = Table("T", (Column("name", "Name"), Column("d", "Disc", "number")), (("=cmd()", -3.5),))
    text = to_csv(Report("t", "user", (table,)))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["Name", "Disc"], ["'=cmd()", "-3.5"]]
    assert float(rows[1][1]) == -3.5


def test_csv_is_the_table_alone_header_first() -> None:
    # A note row first made csv.DictReader (and LMS imports) take it as the header.
    text = to_csv(users_report(["a"], ("bank x changed",)))
    assert "note" not in text and "bank x changed" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["Learner"] == "a" and rows[0]["Finished attempts"] == "1"
    book = to_csv(gradebook_report(Gradebook(("b1",), (("ann", (90.0,)),), "best"), ["changed"]))
    assert list(csv.DictReader(io.StringIO(book))) == [{"Learner": "ann", "b1": "90.0"}]


def test_markdown_escapes_pipes_and_markup() -> None:
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("<script>") == "\\<script\\>"
    assert md_escape("*x* [y](z)") == "\\*x\\* \\[y\\](z)"
    text = to_markdown(users_report(HOSTILE))
    for line in text.splitlines():
        if line.startswith("| a"):
            assert line.count(" | ") == 6  # the pipe in "a|b" did not add a column
    assert "<script>" not in text
    assert "\x1b" not in text and "\x07" not in text


def test_html_escapes_everything() -> None:
    html = to_html(users_report(HOSTILE, ("note <b>bold</b>",)))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html
    assert "\x1b" not in html and "\x07" not in html
    assert "<svg" in html and "<script" not in html.lower().replace("&lt;script", "")
    # self-contained: no external resources
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)


def test_html_has_the_charts() -> None:
    html = to_html(users_report(["a", "b"]))
    assert 'id="histogram"' in html
    assert html.count("<tr>") >= 2


def test_table_escapes_rich_markup() -> None:
    out = io.StringIO()
    print_table(users_report(HOSTILE), out, color=False)
    text = out.getvalue()
    assert "[/x]" in text
    assert "[bold red]loud[/]" in text
    assert "\x1b" not in text and "\x07" not in text
    assert "<script>alert(1)</script>" in text  # a terminal shows it as text


def test_table_with_color_still_escapes() -> None:
    out = io.StringIO()
    print_table(users_report(["[/x]"]), out, color=True)
    assert "[/x]" in out.getvalue()


def test_json_is_data_with_control_characters_removed() -> None:
    data = json.loads(to_json(users_report(HOSTILE)))
    names = [u["user"] for u in data["users"]]
    assert names[0] == "<script>alert(1)</script>"
    assert names[-1] == "red"
    assert data["report"] == "user"


def test_gradebook_report_shape() -> None:
    book = Gradebook(("b1", "b2"), (("ann", (90.0, None)), ("bo", (None, 12.345))), "best")
    report = gradebook_report(book)
    rows = list(csv.reader(io.StringIO(to_csv(report))))
    assert rows == [["Learner", "b1", "b2"], ["ann", "90.0", ""], ["bo", "", "12.35"]]
    assert json.loads(render(report, "json"))["users"][1]["grades"] == {"b1": None, "b2": 12.345}


def test_fmt() -> None:
    assert fmt(None) == "—"
    assert fmt(12.345, "percent") == "12.3%"
    assert fmt(float("nan"), "percent") == "—"
    assert fmt(0.6, "ratio") == "0.60"
    assert fmt(-3.25, "number") == "-3.2"
    assert fmt(3, "int") == "3"
