"""What a walk through every `scores` table at 60, 80 and 120 columns found: the report by
attempt repeated its table's title as its own, and the marks report's blocks began with a
blank line under their title where every other stacked table begins at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import cli
from tests.test_scores_counts import FOUR


@pytest.fixture
def taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path / "home"))
    path = tmp_path / "four.yaml"
    path.write_text(FOUR, encoding="utf-8")
    for user, answers in (("ann", "one\ntwo\nx\nfour\n"), ("bea", "one\nx\nx\nx\n")):
        result = CliRunner().invoke(
            cli, ["take", "--plain", "--no-shuffle", "--user", user, str(path)], input=answers
        )
        assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("taken")
@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_report_by_attempt_is_titled_as_the_other_reports(width: int) -> None:
    out = CliRunner().invoke(
        cli, ["scores", "report", "--by", "attempt"], env={"COLUMNS": str(width)}
    )
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == "Scores by attempt"  # as "Scores by learner"; the table is "Attempts"
    assert lines.count("Attempts") == 1


@pytest.mark.usefixtures("taken")
@pytest.mark.parametrize("width", [60, 80, 120])
def test_stacked_marks_begin_under_their_title(width: int) -> None:
    out = CliRunner().invoke(
        cli, ["scores", "report", "four", "--by", "marks"], env={"COLUMNS": str(width)}
    )
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    start = lines.index("Marks")
    assert lines[start + 1] == "ann", out.output  # the first block at once, as tables stack
    assert "" in lines[start + 1 :]  # and a blank line between blocks
    assert max(len(line) for line in lines) <= width


@pytest.mark.parametrize("width", [60, 80, 120])
def test_banks_show_wraps_between_words_at_the_width(width: int) -> None:
    """`banks show` printed each question as one long line, which a terminal breaks inside
    words ("repo" / "rted"): it wraps between words, continuing under the question's text."""
    from quiz.app.banks import load_for_show

    out = CliRunner().invoke(
        cli, ["banks", "show", "rason-figures", "--answers"], env={"COLUMNS": str(width)}
    )
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert max(len(line) for line in lines) <= width, out.output
    bank, _ = load_for_show("rason-figures", False)
    text = " ".join(out.output.split())
    for question in bank.questions:
        assert " ".join(question.prompt.split()) in text  # every word whole, in order
    first = next(i for i, line in enumerate(lines) if line.startswith("1. [china-share]"))
    assert lines[first + 1].startswith("   ") and lines[first + 1][3] != " "


@pytest.mark.parametrize("terminal", [True, False])
@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_a_long_user_name_is_never_broken(width: int, terminal: bool) -> None:
    """A class store's role names can be long single words: scores list shows one whole
    (a table, or a block when the table cannot fit), never folded inside the name."""
    import io

    from quiz.commands.scores import attempts_table
    from quiz.store.summaries import AttemptSummary
    from quiz.ui.tables import draw

    name = "bea-with-a-rather-long-name_15353_1"
    row = AttemptSummary(
        id="54354298-0000-4000-8000-000000000000",
        user=name,
        banks=(("class-bank", "h"),),
        mode="take",
        status="finished",
        started_at="2026-11-30T19:00:00+00:00",
        finished_at=None,
        seed=None,
        planned=4,
        answered=4,
        score=4.0,
        max_score=4.0,
    )
    columns, cells = attempts_table([row])
    out = io.StringIO()
    draw("Attempts", columns, cells, file=out, width=width, terminal=terminal, color=False)
    assert name in out.getvalue(), out.getvalue()
    assert max(len(line.rstrip()) for line in out.getvalue().splitlines()) <= width


@pytest.mark.parametrize(("by", "width"), [("user", 70), ("user", 90), ("attempt", 115)])
def test_a_long_learner_name_is_never_broken_in_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by: str, width: int
) -> None:
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path / "home"))
    name = "bea-with-a-rather-long-name_15353_1"
    path = tmp_path / "four.yaml"
    path.write_text(FOUR, encoding="utf-8")
    took = CliRunner().invoke(
        cli, ["take", "--plain", "--no-shuffle", "--user", name, str(path)], input="one\n" * 4
    )
    assert took.exit_code == 0, took.output
    out = CliRunner().invoke(cli, ["scores", "report", "--by", by], env={"COLUMNS": str(width)})
    assert out.exit_code == 0, out.output
    assert name in out.output, out.output
