"""Options and left items in a format of their own (imported from Moodle) are shown on the quiz
screens as plain text: tags removed, entities decoded; the response is still the option."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from quiz.bank.loader import load_bank
from quiz.cli import cli
from quiz.kinds import kind_of
from quiz.session import Session

BANK = """\
id: formatted
title: Formatted options
questions:
  - id: c
    kind: choice
    prompt: Which is bold?
    answer: {text: "<b>Bold</b> &amp; co", format: html}
    distractors: [Plain one]
  - id: m
    kind: match
    prompt: Match them
    pairs:
      - [{text: "<i>Left</i> one", format: html}, Right one]
      - [Second, Other]
"""


def _bank(tmp_path: Path) -> Path:
    path = tmp_path / "formatted.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


def test_plain_mode_shows_formatted_options_as_plain_text(tmp_path: Path) -> None:
    path = _bank(tmp_path)
    result = CliRunner().invoke(
        cli,
        ["take", str(path), "--plain", "--no-shuffle", "-n", "1", "--kind", "choice"],
        input="1\n",
    )
    assert result.exit_code == 0, result.output
    assert "Bold & co" in result.output
    assert "<b>" not in result.output and "&amp;" not in result.output


def test_plain_mode_reads_a_formatted_option_typed_as_it_is_shown(tmp_path: Path) -> None:
    path = _bank(tmp_path)
    args = ["take", str(path), "--plain", "-n", "1", "--kind", "choice"]
    right = CliRunner().invoke(cli, args, input="bold & CO\n")
    assert right.exit_code == 0, right.output
    assert "✓ Right" in right.output and "Your answer" not in right.output
    wrong = CliRunner().invoke(cli, args, input="plain one\n")
    assert "✗ Wrong" in wrong.output and "Unreadable" not in wrong.output


def test_the_match_widget_shows_plain_text_and_answers_with_the_option(
    tmp_path: Path,
) -> None:
    from quiz.ui.interactive import _shown
    from quiz.ui.widgets.match import MatchState

    bank = load_bank(_bank(tmp_path))
    match = Session([bank], [(bank.id, "m")], seed=1, shuffle=False).current
    assert match is not None
    assert "<i>Left</i> one" in match.lefts  # the response keeps the text as stored

    state = MatchState(match.lefts, match.options, shown=_shown(match))
    drawn = " ".join(str(line) for line in state.lines(80))
    assert "Left one" in drawn and "<i>" not in drawn
    assert kind_of(match.question).option_title(match.question, "<i>Left</i> one") == "Left one"
    right = match.options.index("Right one") + 1
    state.key(str(right))
    second = match.options.index("Other") + 1
    state.key(str(second))
    answer = state.key("enter")
    assert answer == {"<i>Left</i> one": "Right one", "Second": "Other"}
