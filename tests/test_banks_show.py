"""`quiz banks show --json` without --answers: nothing from which an answer can be read."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from quiz.bank.loader import load_bank
from quiz.cli import cli
from quiz.kinds import kind_of

EXAMPLES = Path(__file__).parent / "data" / "banks" / "examples.yaml"
MINI = Path(__file__).parent / "data" / "banks" / "mini.yaml"


def test_json_without_answers_hides_every_answer_field() -> None:
    for path in (EXAMPLES, MINI):
        bank = load_bank(path)
        shown = CliRunner().invoke(cli, ["banks", "show", "--json", str(path)])
        assert shown.exit_code == 0, shown.output
        questions = {q["id"]: q for q in json.loads(shown.output)["questions"]}
        for question in bank.questions:
            data = questions[question.id]
            hidden = {spec.name for spec in kind_of(question).fields} - {"unit", "fuzzy"}
            leaked = hidden & set(data)
            assert not leaked, (question.id, leaked)
            assert not {"explanation", "feedback", "facts"} & set(data), question.id
            options = data.get("options", [])
            assert options == sorted(options, key=str.casefold), question.id


def test_json_without_answers_still_shows_what_is_asked() -> None:
    bank = load_bank(MINI)
    shown = json.loads(CliRunner().invoke(cli, ["banks", "show", "--json", str(MINI)]).output)
    by_kind = {q["kind"]: q for q in shown["questions"]}
    match = next(q for q in bank.questions if q.kind == "match")
    assert sorted(by_kind["match"]["lefts"]) == sorted(left for left, _ in match.pairs)  # type: ignore[attr-defined]
    order = next(q for q in bank.questions if q.kind == "order")
    assert sorted(by_kind["order"]["options"]) == sorted(order.items)  # type: ignore[attr-defined]
    full = json.loads(
        CliRunner().invoke(cli, ["banks", "show", "--json", "--answers", str(MINI)]).output
    )
    assert any("pairs" in q for q in full["questions"])


def test_lint_help_names_every_rule() -> None:
    from quiz.bank.lint import RULES

    shown = " ".join(CliRunner().invoke(cli, ["banks", "lint", "--help"]).output.split())
    missing = [rule for rule in RULES if rule not in shown]
    assert not missing, missing


def test_an_imported_html_prompt_is_shown_as_text(tmp_path: Path) -> None:
    path = tmp_path / "html.yaml"
    path.write_text(
        "id: html\ntitle: H\nquestions:\n"
        "  - {id: a, kind: text, format: html, prompt: '<p>Capital of <b>France</b>?</p>',"
        " answer: Paris}\n",
        encoding="utf-8",
    )
    shown = CliRunner().invoke(cli, ["banks", "show", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "Capital of France?" in shown.output and "<b>" not in shown.output


def test_the_api_says_when_there_is_no_question() -> None:
    import pytest

    import quiz

    bank = quiz.load_bank(MINI)
    with pytest.raises(TypeError, match="found none with that id"):
        quiz.grade(bank.question("no-such-id"), "x")  # type: ignore[arg-type]


def test_gift_export_warns_that_a_date_becomes_text(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "id: d\ntitle: D\nquestions:\n  - {id: a, kind: date, prompt: When?, answer: 1969-07}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["banks", "export", str(path), "--to", "gift"])
    assert result.exit_code == 0, result.output
    assert "a date question has no Moodle type" in result.output
