"""`quiz take` and `quiz study` through Click's runner: plain mode (stdin is not a terminal)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from quiz.bank.loader import load_bank
from quiz.cli import cli
from quiz.session import Filters, Item, Session
from quiz.store import Store
from quiz.store.records import AttemptRecord

BANKS = Path(__file__).parent / "data" / "banks"
MINI = str(BANKS / "mini.yaml")
THREE = str(BANKS / "three.yaml")
HOSTILE = str(BANKS / "hostile.yaml")


def number_of(options: tuple[str, ...] | list[str], wanted: str) -> str:
    return str(list(options).index(wanted) + 1)


def right_lines(item: Item) -> list[str]:
    q: Any = item.question
    if q.kind == "choice":
        return [number_of(item.options, q.answer)]
    if q.kind == "truefalse":
        return [number_of(item.options, "true" if q.answer else "false")]
    if q.kind == "multi":
        return [",".join(number_of(item.options, a) for a in q.answers)]
    if q.kind == "order":
        return [" ".join(number_of(item.options, x) for x in q.items)]
    if q.kind == "match":
        return [number_of(item.options, right) for _, right in q.pairs]
    return {"text": ["Shakespeare"], "number": ["67 300"], "date": ["1969"]}[q.kind]


def wrong_lines(item: Item) -> list[str]:
    q: Any = item.question
    if q.kind == "choice":
        return [number_of(item.options, next(o for o in item.options if o != q.answer))]
    if q.kind == "truefalse":
        return [number_of(item.options, "false" if q.answer else "true")]
    if q.kind == "match":
        return ["1"] * len(item.lefts)
    if q.kind == "multi":
        return [",".join(number_of(item.options, d) for d in q.distractors)]
    if q.kind == "order":
        return [" ".join(number_of(item.options, x) for x in reversed(q.items))]
    return ["nothing like it"]


def planned(paths: list[str], seed: int, filters: Filters = Filters()) -> Session:
    """The quiz `quiz take PATHS --seed SEED` asks: same seed, same plan and options."""
    return Session.build([load_bank(p) for p in paths], filters, seed=seed)


def take(*args: str, input: str = "") -> Result:
    return CliRunner().invoke(cli, ["take", *args], input=input)


def attempts(home: Path, **filters: Any) -> list[AttemptRecord]:
    with Store.open(home) as store:
        return store.attempts(**filters)


def feed(lines: list[str]) -> str:
    return "".join(f"{line}\n" for line in lines)


def asked(output: str) -> list[str]:
    """The prompts in the order they were shown (the line after each question header)."""
    lines = output.splitlines()
    return [lines[i + 1] for i, line in enumerate(lines) if re.match(r"Question \d+ of \d+", line)]


def test_take_a_whole_quiz_in_plain_mode(quiz_home: Path) -> None:
    session = planned([MINI], seed=12)
    lines = [line for item in session.items for line in right_lines(item)]
    result = take(MINI, "--seed", "12", input=feed(lines))
    assert result.exit_code == 0, result.output
    assert "Score: 8/8 (100%)" in result.output
    assert result.output.count("✓ Right") == 8
    assert "  1) " in result.output  # numbered options
    [attempt] = attempts(quiz_home)
    assert attempt.status == "finished" and attempt.mode == "take" and attempt.user == "tester"
    assert attempt.seed == 12
    assert attempt.plan == session.plan
    assert len(attempt.responses) == 8 and all(r.correct for r in attempt.responses)
    assert all(r.seconds is not None and r.seconds >= 0 for r in attempt.responses)
    by_id = {r.question_id: r.response for r in attempt.responses}
    assert by_id["capital"] == "Paris"  # the option's text, not its number
    assert by_id["sky"] == "false"
    assert sorted(by_id["primes"]) == ["2", "3"]  # type: ignore[arg-type]
    assert attempt.banks == (("mini", load_bank(MINI).content_hash),)


def test_same_seed_same_questions() -> None:
    one = take(MINI, "--seed", "3", "--count", "3", input="")
    two = take(MINI, "--seed", "3", "--count", "3", input="")
    assert asked(one.output) == asked(two.output) and len(asked(one.output)) == 1
    assert one.output.split("Question 1")[1] == two.output.split("Question 1")[1]


def test_quit_then_resume(quiz_home: Path) -> None:
    session = planned([MINI], seed=4)
    first, second = session.items[0], session.items[1]
    result = take(MINI, "--seed", "4", input=feed([*right_lines(first), ":quit"]))
    assert result.exit_code == 0, result.output  # save and quit is a normal end
    assert "Saved. 1 of 8 questions answered" in result.stderr
    assert f"Resume with: quiz take {MINI} --resume" in result.stderr
    [attempt] = attempts(quiz_home)
    assert attempt.status == "in_progress" and len(attempt.responses) == 1

    rest = [line for item in session.items[1:] for line in right_lines(item)]
    result = take(MINI, "--resume", input=feed(rest))
    assert result.exit_code == 0, result.output
    assert asked(result.output)[0] == second.question.prompt
    assert "Question 2 of 8" in result.output and "Question 1 of 8" not in result.output
    assert "Score: 8/8 (100%)" in result.output
    [attempt] = attempts(quiz_home)
    assert attempt.status == "finished" and len(attempt.responses) == 8


def test_end_of_input_is_an_interrupt(quiz_home: Path) -> None:
    session = planned([MINI], seed=4)
    result = take(MINI, "--seed", "4", "--user", "ann", input=feed(right_lines(session.items[0])))
    assert result.exit_code == 130
    assert "Interrupted. 1 of 8" in result.stderr
    assert f"quiz take {MINI} --resume --user ann" in result.stderr
    [attempt] = attempts(quiz_home)
    assert attempt.user == "ann" and len(attempt.responses) == 1


def test_resume_without_a_bank_finds_the_last_quiz(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_BANKS", str(BANKS))
    session = planned([THREE], seed=1)
    assert take("three", "--seed", "1", input=feed(["1"])).exit_code == 130
    lines = [line for item in session.items[1:] for line in right_lines(item)]
    result = take("--resume", input=feed(lines))
    assert result.exit_code == 0, result.output
    assert "Question 2 of 3" in result.output
    assert attempts(quiz_home)[0].status == "finished"


def test_resume_needs_something_to_resume() -> None:
    result = take(MINI, "--resume")
    assert result.exit_code == 1
    assert "no unfinished quiz" in result.output


def test_resume_refuses_new_filters() -> None:
    result = take(MINI, "--resume", "--count", "2")
    assert result.exit_code == 2
    assert "--count" in result.output


def test_a_new_take_abandons_the_unfinished_one(quiz_home: Path) -> None:
    take(MINI, "--seed", "1", input="1\n")
    take(MINI, "--seed", "2", input="1\n")
    statuses = [a.status for a in attempts(quiz_home)]
    assert statuses == ["in_progress", "abandoned"]


def test_a_new_take_says_the_unfinished_one_was_set_aside(quiz_home: Path) -> None:
    first = take(MINI, "--seed", "1", input="1\n")
    assert first.exit_code == 130 and "set aside" not in first.output
    second = take(MINI, "--seed", "2", input=":skip\n1\n")
    said = " ".join(second.stderr.split())
    first_id = attempts(quiz_home)[-1].id  # the oldest: the one set aside
    assert (
        "Your unfinished attempt on mini (1 of 8 answered) was set aside: it is closed, its"
        f" answers kept in your scores (quiz scores show {first_id[:8]}). To continue an"
        " unfinished quiz instead, start it with --resume." in said
    )
    assert [a.status for a in attempts(quiz_home)] == ["in_progress", "abandoned"]
    assert second.output.index("set aside") < second.output.index("Question 1 of 8")
    third = take(MINI, "--seed", "3", input="")
    assert "(1 of 8 answered, 1 skipped)" in third.stderr
    assert "Plain mode does not ask" in " ".join(third.stderr.split())  # and says so
    # a finished quiz, another user, or nothing answered yet: nothing is set aside
    lines = [line for item in planned([MINI], seed=4).items for line in right_lines(item)]
    assert take(MINI, "--seed", "4", input=feed(lines)).exit_code == 0
    assert "set aside" not in take(MINI, "--seed", "5", input="").stderr
    assert "set aside" not in take(MINI, "--seed", "6", input="").stderr  # 0 answered
    assert "set aside" not in take(MINI, "--user", "bo", input="1\n").stderr


def test_counts_say_answered_and_skipped_apart(quiz_home: Path) -> None:
    session = planned([MINI], seed=4)
    result = take(MINI, "--seed", "4", input=feed([":skip", *right_lines(session.items[1])]))
    assert result.exit_code == 130
    assert "Interrupted. 1 of 8 questions answered, 1 skipped; every answer is kept." in (
        result.stderr
    )
    result = take(MINI, "--resume", input=":quit\n")
    assert result.exit_code == 0, result.output  # save and quit: 0; Ctrl-D above: 130
    assert "Resuming: 1 of 8 answered, 1 skipped." in result.stderr
    assert "Saved. 1 of 8 questions answered, 1 skipped" in result.stderr


def test_no_shuffle_shows_match_and_order_options_the_same_every_time() -> None:
    three = "1\n1\n1\n"  # the match question's three lines; the order one is then shown
    runs = [
        take(MINI, "--no-shuffle", "--kind", "order", "--kind", "match", input=three).stdout
        for _ in range(4)
    ]
    assert len(set(runs)) == 1, runs
    sizes = runs[0].split("Put these from smallest to largest.\n")[1].splitlines()[:3]
    shown = [line.split(") ", 1)[1] for line in sizes]
    assert sorted(shown) == ["cat", "horse", "mouse"] and shown != ["mouse", "cat", "horse"]


def test_feedback_cites_every_paragraph_of_the_facts() -> None:
    # figures-size-order uses four facts from four paragraphs (its own `paragraph` says 16)
    result = take("rason-figures", "--no-shuffle", "--kind", "order", input="1 2 3 4\n")
    assert result.exit_code == 0, result.output
    assert "Source: paragraphs 9, 10, 16 and 21" in result.output
    assert "Source: paragraph 16" not in result.output


def test_undecodable_input_does_not_crash(quiz_home: Path) -> None:
    result = CliRunner().invoke(
        cli, ["take", "rason-figures", "--no-shuffle", "-n", "1"], input=b"\xff\n"
    )
    assert result.exit_code == 0, result.output
    assert "Your answer: \ufffd" in result.output
    [attempt] = attempts(quiz_home)
    # (no number: an unreadable answer, stored with its flag)
    assert attempt.responses[0].response == {"unreadable": "\ufffd"}


def test_wrong_only(quiz_home: Path) -> None:
    session = planned([MINI], seed=6)
    lines: list[str] = []
    wrong: set[str] = set()
    for index, item in enumerate(session.items):
        if index % 3 == 0:
            lines += wrong_lines(item)
            wrong.add(item.question.id)
        else:
            lines += right_lines(item)
    assert take(MINI, "--seed", "6", input=feed(lines)).exit_code == 0
    with Store.open(quiz_home) as store:
        assert store.wrong_last_time("tester", "mini") == wrong

    retry = planned([MINI], seed=9, filters=Filters(only=frozenset(("mini", q) for q in wrong)))
    assert {q for _, q in retry.plan} == wrong
    lines = [line for item in retry.items for line in right_lines(item)]
    result = take(MINI, "--wrong-only", "--seed", "9", input=feed(lines))
    assert result.exit_code == 0, result.output
    assert f"Question 1 of {len(wrong)}" in result.output
    assert f"Score: {len(wrong)}/{len(wrong)} (100%)" in result.output

    result = take(MINI, "--wrong-only")
    assert result.exit_code == 0 and "Nothing to retry" in result.output


def test_filters_and_count(quiz_home: Path) -> None:
    result = take(MINI, "--tag", "geography", "--kind", "choice", input="1\n")
    assert result.exit_code == 0, result.output
    assert asked(result.output) == ["Which city is the capital of France?"]
    result = take(MINI, "--difficulty", "hard", "--no-shuffle", input="67300\n")
    assert asked(result.output) == ["How many barrels?"]
    assert "Score: 1/1 (100%)" in result.output
    result = take(MINI, "--count", "2", "--seed", "1", input="1\n1\n")
    assert "of 2 questions" in result.output
    result = take(MINI, "--tag", "nope")
    assert result.exit_code == 1 and "no question matches" in result.output
    result = take(MINI, "--kind", "essay")
    assert result.exit_code == 2


def test_no_shuffle_asks_in_bank_order(quiz_home: Path) -> None:
    result = take(MINI, "--no-shuffle", "--count", "3", input="")
    assert asked(result.output)[0] == "Which city is the capital of France?"
    attempt = attempts(quiz_home)[0]
    assert attempt.seed is None  # no shuffle: nothing to replay


def test_exam_holds_feedback_until_the_end(quiz_home: Path) -> None:
    session = planned([MINI], seed=2)
    lines = [line for item in session.items for line in right_lines(item)]
    result = take(MINI, "--seed", "2", "--exam", input=feed(lines))
    assert result.exit_code == 0, result.output
    before, _, after = result.output.partition("Review")
    assert "✓ Right" not in before
    assert after.count("✓ Right") == 8 + 0  # review only; the summary lists no misses
    assert "Score: 8/8 (100%)" in after
    assert attempts(quiz_home)[0].mode == "exam"


def test_several_banks(quiz_home: Path) -> None:
    session = planned([MINI, THREE], seed=5, filters=Filters(count=4))
    lines = [line for item in session.items for line in right_lines(item)]
    result = take(MINI, THREE, "--seed", "5", "--count", "4", input=feed(lines))
    assert result.exit_code == 0, result.output
    assert "Score: 4/4 (100%)" in result.output
    [attempt] = attempts(quiz_home)
    assert {b for b, _ in attempt.banks} == {"mini", "three"}
    assert {r.bank_id for r in attempt.responses} == {b for b, _ in session.plan}


def test_pick_a_bank_when_none_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_BANKS", str(BANKS))
    result = take("--count", "1", input="9999\nthree\n1\n")
    assert "Which quiz?" in result.output
    assert re.search(r"\d+\) Three choices  \(three\)", result.output)
    assert "type a number from 1 to" in result.output
    assert "Question 1 of 1  (three" in result.output
    result = take(input="")
    assert result.exit_code == 130 and "No quiz chosen" in result.output


@pytest.mark.parametrize("word", [":quit", ":q"])
def test_quitting_the_bank_picker_exits_0_quietly(
    monkeypatch: pytest.MonkeyPatch, quiz_home: Path, word: str
) -> None:
    monkeypatch.setenv("QUIZ_BANKS", str(BANKS))
    result = take(input=f"{word}\n")
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and "No quiz chosen" not in result.output
    assert not attempts(quiz_home)


def test_choosing_quit_in_the_interactive_picker_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    import quiz.commands.common as common_module
    import quiz.ui.interactive

    monkeypatch.setattr(common_module, "interactive", lambda plain: True)
    monkeypatch.setattr(quiz.ui.interactive, "choose_bank", lambda entries: None)
    for command in ("take", "study"):
        result = CliRunner().invoke(cli, [command])
        assert result.exit_code == 0, result.output
        assert result.output == ""

    def interrupted(entries: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(quiz.ui.interactive, "choose_bank", interrupted)
    result = CliRunner().invoke(cli, ["take"])
    assert result.exit_code == 130 and "No quiz chosen" in result.output


def test_unknown_bank_is_an_error() -> None:
    result = take("no-such-bank")
    assert result.exit_code == 1
    assert "no-such-bank" in result.output and "Traceback" not in result.output


def test_hostile_bank_in_plain_mode() -> None:
    result = take(HOSTILE, "--no-shuffle", input="2\n\x1b]0;owned\x07safe\n")
    assert result.exit_code == 0, result.output
    assert "Which is safe?" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


# -- quiz study ------------------------------------------------------------------------------
needs_study = pytest.mark.skipif(
    importlib.util.find_spec("quiz.app.study") is None, reason="quiz.app.study has not landed yet"
)


@needs_study
def test_study_reviews_and_records(quiz_home: Path) -> None:
    result = CliRunner().invoke(cli, ["study", THREE, "--count", "2"], input="1\n1\n")
    assert result.exit_code == 0, result.output
    assert "Question 1 of 2" in result.output and "Question 2 of 2" in result.output
    assert re.search(r"Due today: \d+, tomorrow: \d+, this week: \d+\.", result.output)
    [attempt] = attempts(quiz_home)
    assert attempt.mode == "study" and attempt.status == "finished"
    assert len(attempt.responses) == 2
    with Store.open(quiz_home) as store:
        assert len(store.cards("tester", ["three"])) == 2


@needs_study
def test_study_interrupted_keeps_answers(quiz_home: Path) -> None:
    result = CliRunner().invoke(cli, ["study", THREE], input="1\n")
    assert result.exit_code == 130
    assert f"Continue with: quiz study {THREE}" in result.stderr
    [attempt] = attempts(quiz_home)
    assert len(attempt.responses) == 1


@needs_study
def test_study_until_nothing_is_due(quiz_home: Path) -> None:
    result = CliRunner().invoke(cli, ["study", THREE, "--count", "3"], input="1\n2\n1\n")
    assert result.exit_code == 0, result.output
    assert "Study: 0 due for review, 3 new." in result.output  # says what it is
    assert "Score: 2/3" in result.output
    week = re.search(r"this week: (\d+)", result.output)
    assert week is not None and int(week.group(1)) == 3  # all three come back soon

    # FSRS learning steps: every card comes back later today, none is due this minute
    result = CliRunner().invoke(cli, ["study", THREE])
    assert result.exit_code == 0, result.output
    assert "Nothing to review now." in result.output
    assert re.search(r"Due today: \d+, tomorrow: \d+, this week: 3\.", result.output)
    assert [a.mode for a in attempts(quiz_home)] == ["study"]  # nothing asked, nothing stored


def test_the_stop_message_is_wrapped_between_words(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 60 columns "Interrupted. 1 of 8 questions answered, 1 skipped; every answer is
    kept." would be cut inside "kept" by the terminal: it is wrapped, and the command that
    resumes stays whole on its own line."""
    monkeypatch.setenv("COLUMNS", "60")
    session = planned([MINI], seed=4)
    result = take(MINI, "--seed", "4", input=feed([":skip", *right_lines(session.items[1])]))
    assert result.exit_code == 130
    lines = result.stderr.splitlines()
    said = lines[lines.index(next(line for line in lines if line.startswith("Interrupted."))) :]
    assert all(len(line) <= 60 for line in said[:-1]), said
    assert " ".join(said[:-1]).endswith("1 skipped; every answer is kept.")
    assert said[-1] == f"Resume with: quiz take {MINI} --resume"


@needs_study
def test_study_save_and_quit_exits_0_as_its_help_says(quiz_home: Path) -> None:
    result = CliRunner().invoke(cli, ["study", THREE], input="1\n:quit\n")
    assert result.exit_code == 0, result.output
    assert "Saved. 1 of 3 questions answered" in result.stderr
    said = " ".join(CliRunner().invoke(cli, ["study", "--help"]).output.split())
    assert "q saves and quits: exit 0" in said and "exit 130" in said
