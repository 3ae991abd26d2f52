"""Tables that fit (#12 item 8) and cost what they show (#18 item 3).

Every table (`banks list`, `scores list`, `scores stats`, `scores show`, `scores report`, the
end's by-tag table) at 60, 80 and 120 columns: the terminal layout through the function that
draws it (`quiz.ui.tables.draw`, given a width and terminal=True), the plain writer through
the CLI (CliRunner's output is not a terminal). Checked: no line wider than the page, ids never
cut below their shortest unique prefix, numbers such as `0.33/1 (33%)` never cut, stacked
blocks below the width, the line naming left-out columns, 20 rows and "N more (--all)" on a
terminal, --all, --limit.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from quiz.cli import cli
from quiz.store import Store
from quiz.store.records import AttemptRecord, BankSnapshot, QuestionSnapshot, ResponseRecord
from quiz.ui import tables
from quiz.ui.tables import (
    SCREEN_ROWS,
    SHORT_ID,
    TerminalColumn,
    draw,
    page,
    plain_lines,
    unique_prefix_length,
)

WIDTHS = (60, 80, 120)
BANK = "rason-people-and-places"
ON_TERMINAL = tables.on_terminal
START = datetime(2024, 6, 1, 9, 0, tzinfo=timezone.utc)
TAGS = ("people", "places", "a-rather-long-tag-name-for-the-zone")


# -- data ------------------------------------------------------------------------------------------
def attempt_ids(count: int) -> list[str]:
    """UUIDs in twins: each pair shares its first 12 characters, so 8 do not tell them apart."""
    ids = []
    for n in range(count):
        base = uuid.UUID(int=(n // 2 + 1) * 2**100 + n).hex
        ids.append(str(uuid.UUID(base[:12] + f"{n:04x}" + base[16:])))
    return ids


def seed_store(
    home: Path, count: int, *, questions: int = 3, name: str = "q"
) -> list[AttemptRecord]:
    """`count` attempts of one learner each (the newest first when listed); every one scores
    0.33 of question 1 ("0.33/1 (33%)" when it is the only one answered)."""
    snap = BankSnapshot(
        BANK,
        "h1",
        "People and places",
        tuple(
            QuestionSnapshot(BANK, f"{name}{k}", "text", f"Question {k}?", 1.0, "Kim", TAGS)
            for k in range(1, questions + 1)
        ),
    )
    made = []
    for n, attempt_id in enumerate(attempt_ids(count)):
        responses = (ResponseRecord(BANK, f"{name}1", "Ki", 1 / 3, 1.0, False),)
        made.append(
            AttemptRecord(
                id=attempt_id,
                user=f"learner-{n:02d}",
                banks=((BANK, "h1"),),
                mode="take",
                started_at=(START + timedelta(minutes=n)).isoformat(),
                status="finished",
                finished_at=(START + timedelta(minutes=n, seconds=30)).isoformat(),
                plan=tuple((BANK, q.question_id) for q in snap.questions),
                responses=responses,
            )
        )
    with Store.open(home) as store:
        store.merge(made, [snap])
    return made


def run(*args: str, columns: int) -> str:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def drawn(columns: Sequence[TerminalColumn], cells: Sequence[Sequence[Any]], width: int) -> str:
    """The terminal layout at `width` (rich, no colour), as text."""
    out = io.StringIO()
    draw("Table", columns, cells, file=out, width=width, terminal=True, color=False)
    return out.getvalue()


def assert_fits(text: str, width: int) -> None:
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width, text
    assert "…" not in text, text  # nothing cropped


def assert_ids_whole(text: str, ids: Sequence[str]) -> None:
    """Each id shown by at least its shortest unique prefix among `ids`, never cut below."""
    keep = unique_prefix_length(ids)
    assert keep > SHORT_ID  # the twins need more than 8 characters
    for attempt_id in ids:
        assert re.search(rf"(^|\s){re.escape(attempt_id[:keep])}(\s|$)", text, re.M), attempt_id


def is_stacked(text: str, labels: Sequence[str]) -> bool:
    """Whether rows are blocks: a `label  value` line per column, indented under a heading."""
    return all(re.search(rf"^  {re.escape(label)} +\S", text, re.M) for label in labels)


# -- the pieces ------------------------------------------------------------------------------------
def test_every_table_is_drawn_by_quiz_ui_tables() -> None:
    """One table style: only quiz/ui/tables.py draws with `new_table` (the style's one maker,
    in quiz/ui/terminal.py), and nothing else builds a rich Table."""
    import ast

    package = Path(__file__).resolve().parent.parent / "quiz"
    users = set()
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            names = {alias.name for alias in node.names}
            if (
                node.module in ("rich.table", "rich.box")
                or "new_table" in names
                or (node.module == "rich" and names & {"box", "table"})
            ):
                users.add(where)
    assert users == {"ui/tables.py", "ui/terminal.py"}


def test_unique_prefix_length() -> None:
    assert unique_prefix_length(["abcdefghij", "abcdefghik"]) == 10
    assert unique_prefix_length(["abc", "xyz"]) == SHORT_ID
    assert unique_prefix_length(["abcdefghij", "abcdefghij"]) == SHORT_ID  # one id, twice
    assert unique_prefix_length([]) == SHORT_ID


@given(st.lists(st.text("abc", min_size=1, max_size=12), min_size=1, max_size=20, unique=True))
def test_a_unique_prefix_tells_every_id_apart(ids: list[str]) -> None:
    keep = unique_prefix_length(ids, minimum=1)
    prefixes = [i[:keep] for i in ids]
    # Apart, unless one id is a prefix of another (then it is shown whole).
    assert len(set(prefixes)) == len(ids) or any(
        a != b and b.startswith(a) for a in ids for b in ids
    )
    if keep > 1:
        assert len({i[: keep - 1] for i in ids}) < len(ids)  # one fewer is not enough


def test_page_shows_20_on_a_terminal_every_row_elsewhere_and_limit_caps() -> None:
    rows = list(range(45))
    assert page(rows, terminal=True) == (rows[:SCREEN_ROWS], 25)
    assert page(rows, terminal=True, show_all=True) == (rows, 0)
    assert page(rows, terminal=False) == (rows, 0)
    assert page(rows, terminal=True, limit=30) == (rows[:30], 0)
    assert page(rows, terminal=False, limit=3) == (rows[:3], 0)
    assert page(rows[:20], terminal=True) == (rows[:20], 0)


def test_draw_says_how_many_more_on_a_terminal_only() -> None:
    columns = [TerminalColumn("Id", no_wrap=True)]
    out = io.StringIO()
    draw("T", columns, [["a"]], file=out, width=60, terminal=True, color=False, more=25)
    assert "25 more (--all)" in out.getvalue()
    out = io.StringIO()
    draw("T", columns, [["a"]], file=out, width=60, terminal=False, more=25)
    assert "more" not in out.getvalue()


@pytest.mark.parametrize("width", WIDTHS)
def test_columns_left_out_are_named_then_rows_stack(width: int) -> None:
    columns = [
        TerminalColumn("Id", no_wrap=True),
        TerminalColumn("Score", no_wrap=True, right=True),
        TerminalColumn("Extra", no_wrap=True, drop=1),
    ]
    rows = [["x" * 20, "0.33/1 (33%)", "e" * 30]]
    for text in (drawn(columns, rows, width), "\n".join(plain_lines("", columns, rows, width))):
        assert_fits(text, width)
        assert "0.33/1 (33%)" in text and "x" * 20 in text
        if width >= 20 + 12 + 30 + 6:
            assert "e" * 30 in text and "Left out" not in text
        else:
            assert "Left out to fit the terminal: Extra" in text and "e" * 30 not in text
    wide = [["x" * 50, "0.33/1 (33%)", "e"]]  # too wide even without the extra column
    text = drawn(columns, wide, 60)
    assert_fits(text, 60)
    assert "Left out" not in text and is_stacked(text, ["Score", "Extra"])
    assert re.search(r"^  Score +0\.33/1 \(33%\)$", text, re.M)
    assert text.splitlines()[1] == "x" * 50  # the first cell is the block's heading


@pytest.mark.parametrize("width", WIDTHS)
def test_wide_free_text_never_narrows_an_id_below_its_longest_word(width: int) -> None:
    # rich alone would share the width out evenly and break the id beside two long texts
    columns = [TerminalColumn("Id"), TerminalColumn("Question"), TerminalColumn("Answer")]
    rows = [["identifier-of-twenty-seven", "word " * 60, "word " * 60]]
    for text in (drawn(columns, rows, width), "\n".join(plain_lines("", columns, rows, width))):
        assert_fits(text, width)
        assert re.search(r"^ ?identifier-of-twenty-seven ", text, re.M), text


def test_free_text_wraps_between_words_in_the_plain_writer() -> None:
    columns = [TerminalColumn("Id", no_wrap=True), TerminalColumn("Title")]
    rows = [["bank-one", "a title of several words that will not fit in forty columns"]]
    lines = plain_lines("", columns, rows, 40)
    assert max(len(line) for line in lines) <= 40
    assert lines[1].startswith("bank-one  a title")
    words = " ".join(line[len("bank-one  ") :].strip() for line in lines[1:]).split()
    assert " ".join(words) == rows[0][1]  # wrapped between words, nothing lost


# Words and spaces, up to 40 characters: free text that must wrap within its column.
_CELL = st.lists(
    st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=9),
    max_size=6,
).map(" ".join) | st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=14)


@given(
    rows=st.integers(1, 6).flatmap(
        lambda n: st.lists(st.lists(_CELL, min_size=n, max_size=n), min_size=1, max_size=8)
    ),
    flags=st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 2)), min_size=6),
    width=st.integers(20, 130),
)
@example(rows=[["", "", "X XX XXXX XXXXX"]], flags=[(False, False, 0)] * 6, width=22)
def test_the_plain_writers_one_format_a_row_draws_what_the_general_writer_draws(
    rows: list[list[str]], flags: list[tuple[bool, bool, int]], width: int
) -> None:
    """A table of one-line ASCII cells (a list to a pipe: 10,000 rows) is written a format a
    row. A tab sends the same table through the general writer (which reads a tab as a space):
    every line must be the same."""
    columns = [
        TerminalColumn(f"C{i}", right=right, no_wrap=no_wrap, drop=drop)
        for i, (right, no_wrap, drop) in enumerate(flags[: len(rows[0])])
    ]
    spaced = [*rows, ["a b"] * len(columns)]
    tabbed = [*rows, ["a\tb"] * len(columns)]
    assert plain_lines("T", columns, spaced, width) == plain_lines("T", columns, tabbed, width)


# -- scores list -----------------------------------------------------------------------------------
@pytest.mark.parametrize("width", [*WIDTHS, 100])
def test_scores_list_terminal_layout(quiz_home: Path, width: int) -> None:
    from quiz.commands.scores import attempts_table
    from quiz.store.store import Store as TheStore

    made = seed_store(quiz_home, 6)
    with TheStore.open(quiz_home) as store:
        rows = store.summaries()
    columns, cells = attempts_table(rows)
    text = drawn(columns, cells, width)
    assert_fits(text, width)
    assert_ids_whole(text, [a.id for a in made])
    assert text.count("0.33/1 (33%)") == 6  # never cut
    # 18 characters of id and a long bank: blocks below 100 columns, then a table that
    # leaves out the mode and the count of answers, then every column
    stacked = is_stacked(text, ["Started", "User", "Score"])
    assert stacked == (width < 100), text
    if width == 100:
        assert "Left out to fit the terminal: Mode, Answered" in text
    if width == 120:
        assert "Left out" not in text and "Mode" in text


@given(
    status=st.sampled_from(["finished", "in_progress", "abandoned"]),
    planned=st.integers(0, 5),
    answered=st.integers(0, 5),
    score=st.sampled_from([0.0, 1.0, 2.5, 1 / 3, 4.0]),
    max_score=st.sampled_from([0.0, 1.0, 4.0, 3.0]),
    ungraded=st.integers(0, 2),
    skipped=st.integers(0, 2),
    banks=st.integers(1, 3),
    waiting=st.booleans(),
)
def test_a_finished_rows_cells_are_what_the_cell_functions_say(
    status: str,
    planned: int,
    answered: int,
    score: float,
    max_score: float,
    ungraded: int,
    skipped: int,
    banks: int,
    waiting: bool,
) -> None:
    """`attempts_table` writes the commonest row (finished, graded, none skipped) directly: a
    list to a pipe has 10,000. It must say what the status, answered and score cells say."""
    from quiz.commands import scores as command
    from quiz.store.summaries import AttemptSummary

    row = AttemptSummary(
        id="54354298-0000-4000-8000-000000000000",
        user="ana",
        banks=tuple((f"bank-{n}", "h") for n in range(banks)),
        mode="take",
        status=status,
        started_at="2026-11-30T19:00:00.000000+00:00",
        finished_at=None,
        seed=None,
        planned=planned,
        answered=answered,
        score=score,
        max_score=max_score,
        ungraded=ungraded,
        skipped=skipped,
    )
    _, (cells,) = command.attempts_table([row], waiting=waiting)
    percent = command._percent(score / max_score if max_score else None)
    assert cells[3] == "\n".join(f"bank-{n}" for n in range(banks))
    assert cells[5:] == [
        command._status_cell(row),
        command._answered_cell(row),
        command._score_cell(row, percent, waiting),
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_scores_list_piped_lists_every_row_plainly(quiz_home: Path, width: int) -> None:
    made = seed_store(quiz_home, SCREEN_ROWS + 5)
    out = run("scores", "list", columns=width)
    assert_fits(out, width)
    assert_ids_whole(out, [a.id for a in made])
    assert out.count("0.33/1 (33%)") == len(made)  # every row: a pipe is not paged
    assert "more (--all)" not in out
    assert "─" not in out  # plain text, not rich's rules
    assert is_stacked(out, ["Started", "Score"]) == (width < 100)
    capped = run("scores", "list", "--limit", "3", columns=width)
    assert capped.count("0.33/1 (33%)") == 3
    listed = json.loads(run("scores", "list", "--json", "--limit", "4", columns=width))
    assert [row["id"] for row in listed] == [a.id for a in reversed(made)][:4]


def on_a_terminal(monkeypatch: pytest.MonkeyPatch, *args: str, columns: int = 120) -> str:
    """The command as a terminal of `columns` would show it."""
    monkeypatch.setattr(tables, "on_terminal", lambda file=None: True)
    return run(*args, columns=columns)


def test_scores_list_on_a_terminal_pages_and_all_and_limit(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = seed_store(quiz_home, SCREEN_ROWS + 7)
    newest = [a.id for a in reversed(made)]
    keep = unique_prefix_length(newest)
    out = on_a_terminal(monkeypatch, "scores", "list")
    assert "7 more (--all)" in out
    assert out.count("0.33/1 (33%)") == SCREEN_ROWS
    assert newest[SCREEN_ROWS - 1][:keep] in out and newest[SCREEN_ROWS][:keep] not in out
    every = on_a_terminal(monkeypatch, "scores", "list", "--all")
    assert every.count("0.33/1 (33%)") == len(made) and "more" not in every
    five = on_a_terminal(monkeypatch, "scores", "list", "--limit", "5")
    assert five.count("0.33/1 (33%)") == 5 and "more" not in five
    # JSON is never paged, even on a terminal
    listed = json.loads(on_a_terminal(monkeypatch, "scores", "list", "--json"))
    assert len(listed) == len(made)


# -- banks list ------------------------------------------------------------------------------------
@pytest.fixture
def many_banks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    folder = tmp_path / "banks"
    folder.mkdir()
    ids = [f"bank-{n:02d}-with-a-longish-identifier" for n in range(SCREEN_ROWS + 3)]
    for bank_id in ids:
        (folder / f"{bank_id}.yaml").write_text(
            f"id: {bank_id}\ntitle: A bank of questions about the zone and its trade\n"
            "questions:\n  - {id: q1, kind: text, prompt: Who?, answer: Kim}\n",
            encoding="utf-8",
        )
    monkeypatch.setenv("QUIZ_BANKS", str(folder))
    return ids


@pytest.mark.parametrize("width", WIDTHS)
def test_banks_list_terminal_layout(many_banks: list[str], width: int) -> None:
    from quiz.app.banks import bank_rows
    from quiz.commands.banks import banks_table

    columns, cells = banks_table(bank_rows())
    text = drawn(columns, cells, width)
    assert_fits(text, width)
    for bank_id in [*many_banks, "rason-who-said-what"]:
        assert re.search(rf"^ ?{bank_id}(\s|$)", text, re.M), bank_id  # never broken
    if width < 120:  # where a bank lives and its kinds left out; or, narrower, blocks
        assert "Left out to fit the terminal:" in text or is_stacked(text, ["Title", "Where"])
    assert "questi\n" not in text  # no header broken


@pytest.mark.parametrize("width", WIDTHS)
def test_banks_list_piped(many_banks: list[str], width: int) -> None:
    out = run("banks", "list", columns=width)
    assert_fits(out, width)
    for bank_id in many_banks:
        assert bank_id in out
    assert "more (--all)" not in out
    assert run("banks", "list", "--limit", "2", columns=width).count("bank-0") <= 2


def test_banks_list_on_a_terminal_pages(
    many_banks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = on_a_terminal(monkeypatch, "banks", "list")
    total = len(many_banks) + 5  # and the bundled ones
    assert f"{total - SCREEN_ROWS} more (--all)" in out
    every = on_a_terminal(monkeypatch, "banks", "list", "--all")
    assert all(bank_id in every for bank_id in many_banks) and "more" not in every
    assert len(json.loads(on_a_terminal(monkeypatch, "banks", "list", "--json"))) == total


# -- scores stats ----------------------------------------------------------------------------------
@pytest.mark.parametrize("width", WIDTHS)
def test_scores_stats_layout(quiz_home: Path, width: int) -> None:
    from quiz.app.scores import stats
    from quiz.commands.scores import stats_table

    seed_store(quiz_home, 4)
    groups = stats(quiz_home, user=None, bank=None) or []
    for kind in ("bank", "tag"):
        columns, cells = stats_table(kind, [g for g in groups if g.group == kind])
        text = drawn(columns, cells, width)
        assert_fits(text, width)
        assert "Attemp\n" not in text and "Attempts" in text  # no header cut
        assert "33%" in text  # Best is never cut to "…"
        if kind == "tag":
            assert "a-rather-long-tag-name-for-the-zone" in text
    piped = run("scores", "stats", columns=width)
    assert_fits(piped, width)
    assert "By bank" in piped and "By tag" in piped and "33%" in piped


def test_scores_stats_limit_caps_each_table(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_store(quiz_home, 2)
    out = run("scores", "stats", "--limit", "1", columns=120)
    assert TAGS[2] in out and not re.search(r"^(people|places) ", out, re.M)  # first tag only
    assert len(json.loads(run("scores", "stats", "--json", "--limit", "1", columns=120))) == 2


# -- scores show -----------------------------------------------------------------------------------
@pytest.mark.parametrize("width", WIDTHS)
def test_scores_show_table_layout(quiz_home: Path, width: int) -> None:
    from quiz.app.replays import show
    from quiz.commands.scores import replay_table

    made = seed_store(quiz_home, 1, questions=25)
    shown = show(quiz_home, made[0].id)
    columns, cells = replay_table(shown, list(shown.items))
    text = drawn(columns, cells, width)
    assert_fits(text, width)
    assert f"{BANK}/q1" in text and f"{BANK}/q25" in text  # question ids never broken
    assert "0.33/1" in text
    assert is_stacked(text, ["Question", "Response", "Score"]) == (width < 80)
    piped = run("scores", "show", made[0].id, columns=width)
    assert_fits(piped, width)
    assert f"{BANK}/q25" in piped and "0.33/1" in piped and "─" not in piped


@pytest.mark.parametrize("width", WIDTHS)
def test_scores_show_never_breaks_a_long_question_id(quiz_home: Path, width: int) -> None:
    from quiz.app.replays import show
    from quiz.commands.scores import replay_table

    name = "tf-defence-minister-name-"  # with the bank, 50 characters: no room beside labels
    made = seed_store(quiz_home, 1, questions=2, name=name)
    shown = show(quiz_home, made[0].id)
    columns, cells = replay_table(shown, list(shown.items))
    text = drawn(columns, cells, width)
    assert_fits(text, width)
    for k in (1, 2):
        assert re.search(rf"(^|\s){BANK}/{name}{k}(\s|$)", text, re.M), text


def test_scores_show_pages_on_a_terminal(quiz_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = seed_store(quiz_home, 1, questions=25)
    out = on_a_terminal(monkeypatch, "scores", "show", made[0].id)
    assert "5 more (--all)" in out and f"{BANK}/q20" in out and f"{BANK}/q21" not in out
    every = on_a_terminal(monkeypatch, "scores", "show", made[0].id, "--all")
    assert f"{BANK}/q25" in every and "more (--all)" not in every
    monkeypatch.setattr(tables, "on_terminal", ON_TERMINAL)  # CliRunner's: not a terminal
    piped = run("scores", "show", made[0].id, columns=80)
    assert f"{BANK}/q25" in piped and "more (--all)" not in piped
    shown = json.loads(run("scores", "show", made[0].id, "--json", "--limit", "3", columns=80))
    assert [q["question"] for q in shown["questions"]] == ["q1", "q2", "q3"]


# -- scores report ---------------------------------------------------------------------------------
@pytest.mark.parametrize("width", WIDTHS)
def test_scores_report_layout(quiz_home: Path, width: int) -> None:
    from quiz.app.reports import build_report
    from quiz.reports.render import print_table

    made = seed_store(quiz_home, SCREEN_ROWS + 2)
    with Store.open(quiz_home) as store:
        report = build_report(store, by="attempt", bank=None, user=None, attempts=None)
    out = io.StringIO()
    print_table(report, out, color=False, terminal=True, width=width)
    text = out.getvalue()
    assert_fits(text, width)
    assert "2 more (--all)" in text
    shown = [str(row[0]) for row in report.main.rows[:SCREEN_ROWS]]
    keep = unique_prefix_length(shown)
    assert_ids_whole(text, shown)
    assert is_stacked(text, ["Learner", "Started"]) == (width < 100)
    piped = run("scores", "report", "--by", "attempt", columns=width)
    assert_fits(piped, width)
    assert "more (--all)" not in piped and all(a.id[:keep] in piped for a in made)


def test_scores_report_limit(quiz_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_store(quiz_home, 5)
    csv_text = run(
        "scores", "report", "--by", "attempt", "--format", "csv", "--limit", "2", columns=80
    )
    assert len(csv_text.strip().splitlines()) == 3  # the header and two rows
    table = on_a_terminal(monkeypatch, "scores", "report", "--by", "user", "--limit", "1")
    assert "learner-00" in table and "learner-01" not in table
    refused = CliRunner().invoke(
        cli, ["scores", "report", "--format", "json", "--limit", "2"], env={"COLUMNS": "80"}
    )
    assert refused.exit_code == 2 and "--limit" in refused.output


# -- the end of a quiz -----------------------------------------------------------------------------
@pytest.mark.parametrize("width", WIDTHS)
def test_end_by_tag_table_is_never_cut(width: int) -> None:
    from quiz.session import TagTotal
    from quiz.ui.plain import tag_table_lines

    totals = [
        TagTotal(tag="people", score=1 / 3, max_score=1.0, asked=1, right=0),
        TagTotal(tag="t" * 70, score=0.5, max_score=2.0, asked=2, right=0),
    ]
    lines = tag_table_lines(totals, width)
    text = "\n".join(lines)
    assert max(len(line) for line in lines) <= max(width, 72)
    assert "0.33/1" in text and "33%" in text and "t" * 70 in text
    assert "  Score" in text  # a tag longer than the width: blocks, the numbers whole
    short = "\n".join(tag_table_lines(totals[:1], width))
    assert re.search(r"^  people +0\.33/1 +33%$", short, re.M)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_end_of_a_piped_quiz_shows_its_by_tag_table(quiz_home: Path, width: int) -> None:
    mini = str(Path(__file__).parent / "data" / "banks" / "mini.yaml")
    result = CliRunner().invoke(
        cli,
        ["take", mini, "--plain", "--seed", "5"],
        input=":skip\n" * 8,
        env={"COLUMNS": str(width)},
    )
    assert result.exit_code == 0, result.output
    end = result.output[result.output.index("Score: ") :]
    assert_fits(end, width)
    assert re.search(r"^By tag:\n  Tag +Score +Percent$", end, re.M), end
    assert re.search(r"^  geography +\S+/\d+ +\d+%$", end, re.M), end
