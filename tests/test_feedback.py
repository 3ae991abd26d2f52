"""What is said after an answer, in the end summary and in `quiz scores show` (issue 12, item 5):
multi, match and order one line per item (right or not), true/false as the widget shows it,
a typo forgiven by `fuzzy` noted, the source paragraph's words, and plain mode from a pipe
never asking again."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quiz.bank.loader import load_bank
from quiz.bank.model import Bank
from quiz.cli import cli as main
from quiz.session import Filters, Item, Session
from quiz.ui.interactive import footer_for, live_hint
from quiz.ui.plain import (
    PlainFrontEnd,
    end_screen_lines,
    feedback_lines,
    summary_lines,
)
from quiz.ui.terminal import Style, wrap_lines

ROOT = Path(__file__).resolve().parent.parent
MINI = str(ROOT / "tests" / "data" / "banks" / "mini.yaml")


@pytest.fixture
def mini() -> Bank:
    return load_bank(MINI)


def one(bank: Bank, kind: str, seed: int = 12) -> Session:
    return Session.build([bank], Filters(kinds=(kind,)), seed=seed)


def right_match(item: Item) -> dict[str, str]:
    return {left: right for left, right in item.question.pairs}  # type: ignore[attr-defined]


def only_attempt(home: Path) -> str:
    from quiz.store import Store

    with Store.open(home) as store:
        [attempt] = store.attempts()
    return attempt.id


# -- one line per item -------------------------------------------------------------------------
def test_a_right_match_is_shown_one_pair_a_line_not_a_paragraph(mini: Bank) -> None:
    session = one(mini, "match")
    [item] = session.items
    result = session.answer(right_match(item))
    lines = feedback_lines(result, Style())
    assert lines[0] == "✓ Right  (1/1)"
    assert "  ✓ France → Paris" in lines and "  ✓ Spain → Madrid" in lines
    assert not any("Answer:" in line or ";" in line for line in lines), lines


def test_a_skipped_match_lists_its_right_pairs_one_a_line(mini: Bank) -> None:
    session = one(mini, "match")
    result = session.skip()
    lines = feedback_lines(result, Style())
    assert lines[:2] == ["→ Skipped  (0/1)", "  Answer:"]
    assert "    France → Paris" in lines and "    Italy → Rome" in lines
    summary = "\n".join(summary_lines(session.summary(), Style()))
    assert "        Spain → Madrid" in summary and "Paris; " not in summary


def test_a_right_order_and_multi_are_one_item_a_line(mini: Bank) -> None:
    session = one(mini, "order")
    result = session.answer(["mouse", "cat", "horse"])
    assert feedback_lines(result, Style())[1:4] == ["  ✓ 1. mouse", "  ✓ 2. cat", "  ✓ 3. horse"]
    session = one(mini, "multi")
    lines = feedback_lines(session.answer(["2", "3"]), Style())
    assert lines[1:3] == ["  ✓ 2", "  ✓ 3"]


def test_an_item_line_that_wraps_hangs_under_its_text() -> None:
    line = "  ✗ Cho Sung-chan → More Russian tourists could bring Rason's tourism back to life"
    first, *more = wrap_lines([line], 40)
    assert first.startswith("  ✗ Cho")
    assert more and all(row.startswith("    ") and row[4] != " " for row in more), more


def test_a_partly_right_multi_has_no_hint_label_beside_its_items(mini: Bank) -> None:
    session = one(mini, "multi")
    lines = feedback_lines(session.answer(["2"]), Style())
    assert lines[0].startswith("◐ Partly right")
    assert not any("Hint:" in line for line in lines), lines  # the items say which
    assert "  ✗ 3  (a right option, not picked)" in lines


# -- true/false as the widget shows it ---------------------------------------------------------
def test_a_skipped_true_false_shows_false_capitalised_everywhere(
    mini: Bank, quiz_home: Path
) -> None:
    session = one(mini, "truefalse")
    lines = feedback_lines(session.skip(), Style())
    assert "  Answer: False" in lines
    assert "Answer: False" in "\n".join(summary_lines(session.summary(), Style()))
    runner = CliRunner()
    took = runner.invoke(main, ["take", MINI, "--kind", "truefalse"], input=":skip\n")
    assert took.exit_code == 0, took.output
    assert "Answer: False" in took.output and "Answer: false" not in took.output
    attempt = only_attempt(quiz_home)
    replay = runner.invoke(main, ["scores", "show", attempt], env={"COLUMNS": "120"})
    assert replay.exit_code == 0, replay.output
    assert re.search(r"\bFalse\b", replay.output) and not re.search(r"\bfalse\b", replay.output)


@pytest.mark.parametrize("typed", ["t", "f"])
def test_an_answered_true_false_shows_the_answer_capitalised_in_scores_show(
    quiz_home: Path, typed: str
) -> None:
    runner = CliRunner()
    took = runner.invoke(main, ["take", MINI, "--kind", "truefalse"], input=f"{typed}\n")
    assert took.exit_code == 0, took.output
    replay = runner.invoke(
        main, ["scores", "show", only_attempt(quiz_home)], env={"COLUMNS": "120"}
    )
    assert replay.exit_code == 0, replay.output
    assert re.search(r"\bTrue\b" if typed == "t" else r"\bFalse\b", replay.output), replay.output
    assert not re.search(r"\b(true|false)\b", replay.output), replay.output


# -- a typo forgiven ---------------------------------------------------------------------------
def typo_item() -> tuple[Bank, Any]:
    from quiz.bank.catalog import Catalog

    [bank] = [b for b in Catalog().banks() if b.id == "rason-people-places"]
    question = bank.question("food-plant-funder")
    assert question is not None and question.fuzzy  # type: ignore[attr-defined]
    return bank, question


def test_a_typo_accepted_is_noted_after_the_answer_at_the_end_and_in_scores_show(
    quiz_home: Path,
) -> None:
    bank, question = typo_item()
    typo = question.answer[:-2] + question.answer[-1]  # one letter left out
    session = Session([bank], [(bank.id, question.id)], seed=1)
    result = session.answer(typo)
    assert result.correct
    assert f"  Accepted, spelled {question.answer}" in feedback_lines(result, Style())
    summary = session.summary()
    assert f"accepted, spelled {question.answer}" in "\n".join(summary_lines(summary, Style()))
    end = end_screen_lines(summary, Style(), width=60, rows=20)
    assert any(f"accepted, spelled {question.answer}" in line for line in end), end

    runner = CliRunner()
    plan = [q.id for q in bank.questions]
    lines = [typo if qid == question.id else ":skip" for qid in plan]
    took = runner.invoke(main, ["take", bank.id, "--no-shuffle"], input="\n".join(lines) + "\n")
    assert took.exit_code == 0, took.output
    assert f"Accepted, spelled {question.answer}" in took.output
    attempt = only_attempt(quiz_home)
    replay = runner.invoke(main, ["scores", "show", attempt, "--all"], env={"COLUMNS": "200"})
    assert replay.exit_code == 0, replay.output
    assert f"(accepted, spelled {question.answer})" in replay.output
    data = json.loads(runner.invoke(main, ["scores", "show", attempt, "--json"]).output)
    [noted] = [q for q in data["questions"] if q["spelled"]]
    assert noted["question"] == question.id and noted["spelled"] == question.answer


def test_an_alias_or_the_exact_answer_is_no_typo() -> None:
    bank, question = typo_item()
    session = Session([bank], [(bank.id, question.id)], seed=1)
    result = session.answer(question.answer.upper())
    assert not any("Accepted, spelled" in line for line in feedback_lines(result, Style()))


# -- the source paragraph ----------------------------------------------------------------------
def test_the_source_paragraph_says_what_it_says_cleaned(mini: Bank) -> None:
    session = one(mini, "choice")
    result = session.answer("Lyon")
    lines = feedback_lines(result, Style(), source="Paris is \x1b[31mthe\x1b[0m capital.\x07")
    assert "  Source: paragraph 3: Paris is the capital." in lines
    long = feedback_lines(result, Style(), source="word " * 100)
    [cited] = [line for line in long if "Source:" in line]
    assert cited.endswith("…") and len(cited) < 200


def test_a_bundled_question_shows_its_source_paragraph_text(quiz_home: Path) -> None:
    from quiz.app.attempts import source_notes
    from quiz.bank.catalog import Catalog

    [bank] = [b for b in Catalog().banks() if b.id == "rason-figures"]
    question = bank.questions[0]
    notes = source_notes([bank], [(bank.id, question.id)])  # a quiz of that one question
    assert notes[(bank.id, question.id)]
    took = CliRunner().invoke(main, ["take", bank.id, "--no-shuffle", "-n", "1"], input="x\n")
    assert took.exit_code == 0, took.output
    words = notes[(bank.id, question.id)].split()[:4]
    assert re.search(r"Source: paragraphs? [\d, and]+: " + re.escape(" ".join(words)), took.output)


def test_a_fact_another_question_of_the_quiz_tests_is_cited_not_stated(quiz_home: Path) -> None:
    """The source's words for a fact two questions test would give the other's answer away
    (the containers' number, 2,000, in the feedback of the question on who reported them)."""
    from quiz.app.attempts import citations, source_notes
    from quiz.bank.catalog import Catalog

    [bank] = [b for b in Catalog().banks() if b.id == "rason-figures"]
    facts = {q.id: q.facts for q in bank.questions}
    assert facts["containers-source"] == facts["containers-estimate"]  # one fact, two questions
    source, estimate = (bank.id, "containers-source"), (bank.id, "containers-estimate")
    alone = source_notes([bank], [source])
    assert "2,000" in alone[source] or "2000" in alone[source]
    together = source_notes([bank], [source, estimate])
    assert source not in together and estimate not in together
    assert citations([bank])[source]  # its paragraph is still cited
    every = source_notes([bank])  # no plan: every question of the bank counts
    assert source not in every
    record = Catalog().source(bank.source, bank)
    for (_, qid), said in source_notes([bank], [(bank.id, q.id) for q in bank.questions]).items():
        shared = {f for q in bank.questions if q.id != qid for f in q.facts} & set(facts[qid])
        for fact_id in shared:  # what another question tests is never stated
            assert " ".join(record.fact(fact_id).statement.split()) not in said, (qid, fact_id)


# -- plain mode from a pipe never asks again ---------------------------------------------------
def test_a_match_read_from_a_pipe_is_never_asked_again(mini: Bank) -> None:
    session = one(mini, "match")
    [item] = session.items
    numbers = {o: str(item.options.index(o) + 1) for o in item.options}
    # France: right; Italy: no option at all; Spain: right. Three lines for three rows.
    pipe = io.StringIO(f"{numbers['Paris']}\nzz\n{numbers['Madrid']}\n:skip\n")
    out = io.StringIO()
    PlainFrontEnd(pipe, out, style=Style()).run(session)
    [result] = session.results
    assert result.response == {"France": "Paris", "Spain": "Madrid"}
    assert "type a number from 1 to" not in out.getvalue()  # not asked again
    assert "  ✗ Italy → (none)  (right: Rome)" in out.getvalue()
    assert pipe.read() == ":skip\n"  # the lines after it were left for what follows


@pytest.mark.parametrize("kind", ["multi", "order"])
def test_a_bad_multi_or_order_line_from_a_pipe_is_recorded_unreadable(
    mini: Bank, kind: str
) -> None:
    session = one(mini, kind)
    pipe = io.StringIO("9\nnext line\n")
    out = io.StringIO()
    PlainFrontEnd(pipe, out, style=Style()).run(session)
    [result] = session.results
    assert result.unreadable and result.score == 0 and result.response == "9"
    assert "✗ Unreadable answer" in out.getvalue()
    assert pipe.read() == "next line\n"


def test_the_cli_reads_one_line_per_match_row_from_a_pipe(quiz_home: Path) -> None:
    took = CliRunner().invoke(main, ["take", MINI, "--kind", "match"], input="1\nzz\n2\n")
    assert took.exit_code == 0, took.output
    assert "recorded without a match" in took.output and "Score: " in took.output


# -- the date hint and the order footer --------------------------------------------------------
def test_the_live_hint_for_a_year_on_a_month_question_says_what_is_missing(
    tmp_path: Path,
) -> None:
    from quiz.ui.hints import hint_text

    bank_file = tmp_path / "months.yaml"
    bank_file.write_text(
        "id: months\ntitle: Months\nquestions:\n"
        "  - id: restart\n    kind: date\n    prompt: When did it restart?\n"
        '    answer: "2022-12"\n'
    )
    [item] = Session.build([load_bank(str(bank_file))], seed=1).items
    hint = live_hint(item, "2023")
    refused = item.well_formed("2023")
    assert refused is not None
    assert hint == hint_text(refused, item.question)  # the refusal's own words
    assert "month" in hint and "reads as" not in hint
    assert live_hint(item, "Dec 2023") == "reads as 2023-12"


def test_the_order_footer_says_what_the_digits_do_in_60_columns(mini: Bank) -> None:
    [item] = one(mini, "order").items
    footer = footer_for(item)
    assert footer.startswith("1-3 place next") and len(footer) < 60
    assert "1-9 next" not in footer


def test_the_feedback_pager_draws_colour_as_colour_and_scrolls() -> None:
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    from quiz.ui.interactive import feedback_pager

    style = Style(color=True)
    body = [f"  {style.paint('✓', 'right')} item {n}" for n in range(1, 11)]
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=20, columns=60), term="xterm")
    with create_pipe_input() as pipe:
        pipe.send_text("jj ")  # two lines down, then any other key goes on
        feedback_pager(body, 4, "Press any key", input=pipe, output=output).ask()
    drawn = screen.getvalue()
    assert "[32m" not in drawn.replace("\x1b[", "")  # no escape drawn as text ("^[[32m")
    assert "item 3" in drawn and "2 above" in drawn and "Press any key" in drawn
