"""Partial credit in the bank format (issue #17): per option, per accepted answer, per number
answer, several right options, multi weights and penalties, match distractors."""

from __future__ import annotations

import json

import pytest

from quiz.bank.dump import dump_bank
from quiz.bank.loader import load_bank_text
from quiz.errors import BankError
from quiz.formats.schema import bank_schema
from quiz.kinds import grade, kind_of

BANK = """
id: credits
title: Credits
questions:
  - {id: c, kind: choice, prompt: Port, answer: Rason,
     distractors: [Hamhung, {text: Sonbong, credit: 0.5}, {text: Pyongyang, credit: "-50%"}]}
  - {id: c2, kind: choice, prompt: Port, answers: [Rason, Rajin], distractors: [Hamhung]}
  - {id: m, kind: multi, prompt: Which, answers: [{text: A, credit: 0.7}, {text: B, credit: 0.3}],
     distractors: [{text: C, credit: -0.5}, D]}
  - {id: m2, kind: multi, prompt: Which, answers: [A, B], distractors: [C]}
  - {id: t, kind: text, prompt: Who, answer: Kozlov,
     accept: [{text: Alexander Kozlov, credit: 1}, {text: Koslov, credit: 0.5}, Kozlof]}
  - {id: n, kind: number, prompt: How many, answer: 29,
     answers: [{value: 30, tolerance: 1, credit: 0.5, feedback: Close.}]}
  - {id: p, kind: match, prompt: Match., pairs: [[KOTRA, South Korea], [KITA, South Korea 2]],
     distractors: [Japan]}
"""


@pytest.fixture
def bank():
    return load_bank_text(BANK)


def _fraction(bank, qid, response):
    return grade(bank.question(qid), response).fraction


def test_choice_credit_per_option(bank) -> None:
    assert _fraction(bank, "c", "Rason") == 1
    assert _fraction(bank, "c", "Sonbong") == 0.5
    assert _fraction(bank, "c", "Hamhung") == 0
    assert _fraction(bank, "c", "Pyongyang") == 0  # a penalty: the question's floor is 0
    assert kind_of(bank.question("c")).credits(bank.question("c")) == (
        ("Rason", 1.0),
        ("Hamhung", 0.0),
        ("Sonbong", 0.5),
        ("Pyongyang", -0.5),
    )


def test_choice_several_fully_right(bank) -> None:
    question = bank.question("c2")
    assert question.answers == ("Rason", "Rajin")
    assert _fraction(bank, "c2", "Rajin") == 1
    assert grade(question, "Hamhung").expected == "Rason or Rajin"


def test_multi_unequal_weights_and_penalties(bank) -> None:
    assert _fraction(bank, "m", ["A", "B"]) == 1
    assert _fraction(bank, "m", ["A"]) == pytest.approx(0.7)
    assert _fraction(bank, "m", ["B", "D"]) == pytest.approx(0.3)  # unlisted penalty: 0
    assert _fraction(bank, "m", ["A", "C"]) == pytest.approx(0.2)
    assert _fraction(bank, "m", ["A", "B", "C", "D"]) == pytest.approx(0.5)


def test_multi_without_credits_keeps_its_meaning(bank) -> None:
    assert _fraction(bank, "m2", ["A", "C"]) == 0
    assert _fraction(bank, "m2", ["A"]) == 0.5
    assert _fraction(bank, "m2", ["A", "B", "C"]) == 0.5


def test_text_credit_per_accepted_answer(bank) -> None:
    assert _fraction(bank, "t", "alexander kozlov") == 1
    assert _fraction(bank, "t", "Koslov") == 0.5
    assert _fraction(bank, "t", "Kozlof") == 1  # no credit given: fully right, as before


def test_number_answers_each_with_tolerance_and_credit(bank) -> None:
    result = grade(bank.question("n"), "31")
    assert result.fraction == 0.5 and result.feedback == "Close."
    assert _fraction(bank, "n", "29") == 1
    assert _fraction(bank, "n", "32") == 0


def test_match_distractors_are_offered_but_match_nothing(bank) -> None:
    import random

    question = bank.question("p")
    options, _lefts = kind_of(question).options(question, random.Random(1), True)
    assert "Japan" in options and len(options) == 3
    assert _fraction(bank, "p", {"KOTRA": "Japan", "KITA": "South Korea 2"}) == 0.5


def test_credits_round_trip_through_yaml(bank) -> None:
    again = load_bank_text(dump_bank(bank))
    assert again == bank
    text = dump_bank(bank)
    assert "credit: 0.5" in text and "answers:" in text


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            "{id: x, kind: choice, prompt: P, answer: a, distractors: [{text: b, credit: 1}]}",
            "a fully right option goes in `answers`",
        ),
        (
            "{id: x, kind: choice, prompt: P, answer: a, distractors: [{text: b, credit: 2}]}",
            "must be from -1 to 1",
        ),
        (
            "{id: x, kind: choice, prompt: P, answer: a, answers: [a, b], distractors: [c]}",
            "not both",
        ),
        (
            "{id: x, kind: multi, prompt: P,"
            " answers: [{text: a, credit: 0.5}, {text: b, credit: 0.4}]}",
            "add up to 0.9, not 1",
        ),
        (
            "{id: x, kind: multi, prompt: P, answers: [a], distractors: [{text: b, credit: 0.5}]}",
            "must be from -1 to 0",
        ),
        (
            "{id: x, kind: text, prompt: P, answer: a, accept: [{text: b, credit: -0.5}]}",
            "above 0, up to 1",
        ),
        (
            "{id: x, kind: text, prompt: P, answer: a, accept: [{text: b, credits: 1}]}",
            "unknown key 'credits'",
        ),
        ("{id: x, kind: number, prompt: P, answer: 1, answers: [{credit: 1}]}", "needs a value"),
        (
            "{id: x, kind: match, prompt: P, pairs: [[a, b], [c, d]], distractors: [b]}",
            "also a right-hand side",
        ),
        # a text in a format of its own (from Moodle) is written {text, format}
        (
            "{id: x, kind: choice, prompt: P, answer: a, distractors: [{text: b, format: rtf}]}",
            "the format of 'b' must be one of moodle, html, markdown, plain, not 'rtf'",
        ),
        (
            "{id: x, kind: choice, prompt: P, answer: a, distractors: [b],"
            " feedback: {b: {text: No, fmt: html}}}",
            "unknown key 'fmt' in the message for 'b'",
        ),
        (
            "{id: x, kind: choice, prompt: P, answer: a, distractors: [b],"
            " feedback: {b: {text: No}}}",
            "the message for 'b' written as a mapping needs text and format",
        ),
        (
            "{id: x, kind: choice, prompt: P, answer: {text: a, format: html},"
            " distractors: [b], feedback: {b: {text: a, format: plain}}}",
            "'a' is given two formats, plain and html",
        ),
        (
            "{id: x, kind: match, prompt: P, pairs: [[{text: a, format: html, x: 1}, b], [c, d]]}",
            "unknown key 'x'",
        ),
    ],
)
def test_bad_credits_are_located_errors(question: str, message: str) -> None:
    with pytest.raises(BankError) as info:
        load_bank_text(f"id: b\ntitle: B\nquestions:\n  - {question}\n")
    problems = info.value.problems
    assert any(message in p.message for p in problems), problems
    assert all(p.line == 4 for p in problems)


def test_case_differs_so_the_options_differ() -> None:
    bank = load_bank_text(
        "id: b\ntitle: B\nquestions:\n"
        "  - {id: x, kind: choice, prompt: P, answer: GB, distractors: [Gb]}\n"
    )
    assert _fraction(bank, "x", "GB") == 1 and _fraction(bank, "x", "Gb") == 0


def test_schema_accepts_the_credit_forms(bank) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    data = yaml.safe_load(BANK)
    jsonschema.validate(data, bank_schema())
    bad = json.loads(json.dumps(data))
    bad["questions"][0]["distractors"][1]["credit"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, bank_schema())
    bad = json.loads(json.dumps(data))
    bad["questions"][1]["answer"] = "Rason"  # both answer and answers
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, bank_schema())


def test_lint_warns_when_picking_everything_earns_full_marks(tmp_path) -> None:
    from quiz.bank.lint import lint_bank

    path = tmp_path / "b.yaml"
    path.write_text(
        "id: b\ntitle: B\nquestions:\n"
        "  - {id: x, kind: multi, prompt: P, explanation: E,\n"
        "     answers: [{text: a, credit: 0.5}, {text: b, credit: 0.5}], distractors: [c]}\n"
        "  - {id: y, kind: multi, prompt: Q, explanation: E, answers: [a, b], distractors: [c]}\n",
        encoding="utf-8",
    )
    findings = [f for f in lint_bank(load_bank_text(path.read_text()), str(path))]
    assert [(f.rule, f.problem.question, f.problem.line) for f in findings] == [
        ("pick-all", "x", 5)
    ]


def test_banks_show_gives_credits_with_the_answers_only(tmp_path) -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    path = tmp_path / "credits.yaml"
    path.write_text(BANK, encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(cli, ["banks", "show", str(path), "--answers"])
    assert shown.exit_code == 0, shown.output
    assert "   credit: Sonbong 50%; Pyongyang -50%" in shown.output
    assert "   credit: A 70%; B 30%; C -50%" in shown.output
    hidden = runner.invoke(cli, ["banks", "show", str(path), "--json"])
    assert '"credit"' not in hidden.output and "Sonbong" in hidden.output
    plain = runner.invoke(cli, ["banks", "show", str(path)])
    assert "credit:" not in plain.output


# -- item analysis: the random guess score counts credits ----------------------------------------


def test_random_guess_score_counts_credits_and_several_right_options() -> None:
    import itertools

    from quiz.reports.items import random_guess_score
    from quiz.store.records import QuestionSnapshot

    loaded = load_bank_text(BANK)

    def guess(qid: str, *, with_credits: bool = True) -> float | None:
        question = loaded.question(qid)
        assert question is not None
        kind = kind_of(question)
        options, answers = kind.snapshot_options(question)
        snapshot = QuestionSnapshot("credits", qid, question.kind, "", 1, "", (), options, answers)
        return random_guess_score(snapshot, kind.credits(question) if with_credits else None)

    # choice: the mean of what each option earns, a penalty counting 0 (quiz never scores a
    # question below 0): Rason 1, Hamhung 0, Sonbong 0.5, Pyongyang -0.5 -> 1.5 / 4.
    assert guess("c") == pytest.approx(0.375)
    assert guess("c", with_credits=False) == pytest.approx(0.25)  # no credits known: 1/n
    # two fully right options of three, known from the snapshot alone
    assert guess("c2") == pytest.approx(2 / 3)
    assert guess("c2", with_credits=False) == pytest.approx(2 / 3)
    # multi with weights: every non-empty set of A 0.7, B 0.3, C -0.5, D 0, its score the sum of
    # its credits from 0 to 1, as grade() gives it
    question = loaded.question("m")
    assert question is not None
    options = question.options
    sets = [s for n in range(1, 5) for s in itertools.combinations(options, n)]
    by_grade = sum(grade(question, list(s)).score for s in sets) / len(sets)
    assert guess("m") == pytest.approx(by_grade)
    assert guess("m") != pytest.approx(guess("m", with_credits=False))
    # without credits, multi keeps its rule (and credits() gives the same figure)
    assert guess("m2") == pytest.approx(guess("m2", with_credits=False))


def test_the_report_counts_credits_where_the_bank_is_known(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "credits.yaml").write_text(BANK, encoding="utf-8")
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("bank: credits\nuser: ann\nanswers: {c: Rason, c2: Rajin}\n", "utf-8")
    monkeypatch.setenv("QUIZ_BANKS", str(banks))
    runner = CliRunner()
    assert runner.invoke(cli, ["grade", "credits", str(sheet)]).exit_code == 0

    def guesses() -> dict[str, float]:
        result = runner.invoke(cli, ["scores", "report", "--by", "question", "--format", "json"])
        assert result.exit_code == 0, result.output
        (found,) = json.loads(result.stdout)["banks"]
        return {q["question"]: q["random_guess"] for q in found["questions"]}

    known = guesses()
    assert known["c"] == pytest.approx(37.5) and known["c2"] == pytest.approx(66.6667)
    # The bank gone (or changed), the stored snapshot keeps the credits: the same figures
    # (tests/test_snapshot_credits.py: snapshots saved before they kept credits fall back).
    (banks / "credits.yaml").unlink()
    gone = guesses()
    assert gone["c"] == pytest.approx(37.5) and gone["c2"] == pytest.approx(66.6667)
