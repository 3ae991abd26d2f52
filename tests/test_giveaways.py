"""Questions that give each other's answers away: the comparison (`quiz.bank.giveaways`), and
what `quiz take` tells the learner when it leaves a question out because of one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.bank.giveaways import dates_in, find_giveaways, given_away, numbers_in, reveal_graph
from quiz.bank.loader import load_bank_text
from quiz.bank.model import PartialDate, Question
from quiz.cli import cli


def question(body: str) -> Question:
    (found,) = load_bank_text(f"id: b\ntitle: B\nquestions:\n  - {body}\n").questions
    return found


def test_numbers_by_value_not_digit_strings() -> None:
    assert {float(v) for v in numbers_in("67,300 barrels, 67 300 or 67.3k; 2 thousand")} == {
        67300.0,
        2000.0,
    }
    assert {2, 21, 97} <= {float(v) for v in numbers_in("two experts, twenty-one ships, 97%")}
    for text in ("1,200,000", "200,0001", "a 200000th", "1997", "9.7", "970"):
        assert 97 not in numbers_in(text) and 200000 not in numbers_in(text), text


def test_a_number_within_its_tolerance_is_given_away() -> None:
    share = question("{id: s, kind: number, prompt: Share?, answer: 50, tolerance: '10%'}")
    assert given_away(["about 54 of them"], share) == "50"
    assert given_away(["about 56 of them"], share) is None


def test_dates_at_their_precision() -> None:
    assert PartialDate(2022, 12) in dates_in("in Dec. 2022")
    assert PartialDate(2022, 12, 5) in dates_in("on December 5, 2022")
    assert PartialDate(2022) in dates_in("on 5 December 2022")
    assert PartialDate(2022, 13) not in dates_in("2022-13")


def test_the_verb_may_is_not_the_month() -> None:
    """A date answer of May 2022 is not in "prices may 2022-style rise": only a capital May is
    the month (March and Mar likewise). A choice answer "May" is whole words, whatever they
    mean (tests/test_bundled_banks.py)."""
    month = question("{id: m, kind: date, prompt: When?, answer: 2022-05}")
    assert given_away(["It opened in May 2022."], month) == "2022-05"
    assert given_away(["MAY 2022 was busy"], month) == "2022-05"
    assert given_away(["Prices may 2022 levels exceed."], month) is None
    assert (
        given_away(
            ["troops march 2022 miles"],
            question("{id: n, kind: date, prompt: When?, answer: 2022-03}"),
        )
        is None
    )


def test_multi_answers_and_the_distractor_exception() -> None:
    multi = question(
        "{id: m, kind: multi, prompt: Which?, answers: [Food, Energy], distractors: [Tourism]}"
    )
    assert given_away(["help with energy"], multi) == "Energy"
    assert given_away(["food, energy or tourism"], multi) is None


BANK = """\
id: made-up
title: Made up
questions:
  - id: port
    kind: text
    prompt: Which port did the first ships leave in 2015?
    answer: Rajin
    explanation: They left Rajin.
  - id: ships-year
    kind: date
    prompt: In which year did the first ships leave?
    answer: "2015"
    explanation: The ships left Rajin that year.
  - id: order
    kind: order
    prompt: Put the ports in order, north first.
    items: [Rajin, Sonbong, Chongjin]
    explanation: North to south.
    reveals: [ships-year]
  - id: other
    kind: truefalse
    prompt: The port is ice-free.
    answer: true
    explanation: It is.
"""


def test_find_giveaways_names_the_field_and_keeps_declared_pairs() -> None:
    bank = load_bank_text(BANK)
    found = {(g.shown.id, g.field, g.asked.id, g.part, g.declared) for g in find_giveaways(bank)}
    assert found == {
        ("port", "prompt", "ships-year", "2015", False),
        ("ships-year", "explanation", "port", "Rajin", False),
        ("order", "options", "port", "Rajin", False),
    }
    graph = reveal_graph(bank)
    assert graph["order"] == {"port", "ships-year"}  # found, and declared
    assert graph["other"] == set()


@pytest.mark.parametrize("extra", [[], ["--exam"]])
def test_take_tells_the_learner_what_it_left_out(tmp_path: Path, extra: list[str]) -> None:
    path = tmp_path / "made-up.yaml"
    path.write_text(BANK, encoding="utf-8")
    # the order question shows port's answer, and port and ships-year show each other's: with
    # every question asked, one of the pair is left out
    result = CliRunner().invoke(cli, ["take", str(path), "--plain", *extra], input=":q\n")
    assert result.exit_code == 0, result.output  # saved and quit at the first question
    note = " ".join(result.stderr.split())
    assert "Note: 1 question was left out, because it and a question of this quiz give away" in (
        note
    )
    assert "(with port)" in note or "(with ships-year)" in note
    assert "takes its place" not in note
    assert "Question 1 of 3" in result.output


def test_under_a_count_the_note_says_another_question_takes_its_place(tmp_path: Path) -> None:
    path = tmp_path / "made-up.yaml"
    path.write_text(BANK, encoding="utf-8")
    seen = 0
    for seed in range(12):
        result = CliRunner().invoke(
            cli, ["take", str(path), "--plain", "--count", "3", "--seed", str(seed)], input=":q\n"
        )
        assert result.exit_code == 0, result.output
        assert "Question 1 of 3" in result.output
        note = " ".join(result.stderr.split())
        if "left out" in note:
            assert ". Another question takes its place. Saved." in note, note
            seen += 1
    assert seen > 0
