"""`quiz banks lint`: each rule, located at the key it is about."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.bank.lint import RULES, Finding, lint_bank, lint_paths, words
from quiz.bank.loader import load_bank
from quiz.bank.scaffold import new_bank_text

ROOT = Path(__file__).resolve().parent.parent

WEAK = """\
id: weak
title: Weak questions
questions:
  - id: two-options
    kind: choice
    prompt: Which river runs along the northern border?
    answer: Amnok
    distractors: [Han]
    explanation: The Amnok runs along the border.
  - id: long-right
    kind: choice
    prompt: Why did the harbour close for the winter months?
    answer: Because the sea froze solid and no ship could reach the quay
    distractors: [Storms, Strikes, Repairs]
    explanation: Ice.
  - id: giveaway
    kind: text
    prompt: Which city is Seoul's port, Incheon or another?
    answer: Incheon
    explanation: Incheon serves Seoul.
  - id: choice-giveaway
    kind: choice
    prompt: Is the capital of Japan Tokyo?
    answer: Tokyo
    distractors: [Osaka, Kyoto]
    explanation: Tokyo is the capital.
  - id: either-or
    kind: choice
    prompt: Was it Osaka or Tokyo?
    answer: Tokyo
    distractors: [Osaka, Kyoto]
    explanation: Both are named, so the prompt gives nothing away.
  - id: first
    kind: truefalse
    prompt: The harbour of Port Allard was rebuilt in 2021.
    answer: true
    explanation: It reopened in 2021.
  - id: second
    kind: truefalse
    prompt: The harbour at Port Allard was rebuilt in 2021!
    answer: true
  - id: many-long
    kind: multi
    prompt: Pick the true statements.
    answers: [The breakwater that protects the harbour is six hundred metres long, Short]
    distractors: [Wrong, Also wrong]
    explanation: Only these.
"""


@pytest.fixture
def weak(tmp_path: Path) -> list[Finding]:
    path = tmp_path / "weak.yaml"
    path.write_text(WEAK, encoding="utf-8")
    return lint_bank(load_bank(path), str(path))


def located(findings: list[Finding], rule: str) -> list[tuple[str | None, int | None, int | None]]:
    return [
        (f.problem.question, f.problem.line, f.problem.column) for f in findings if f.rule == rule
    ]


def test_few_options(weak: list[Finding]) -> None:
    assert located(weak, "few-options") == [("two-options", 8, 5)]


def test_long_right_option(weak: list[Finding]) -> None:
    assert located(weak, "long-answer") == [("long-right", 13, 5), ("many-long", 45, 5)]


def test_answer_in_prompt(weak: list[Finding]) -> None:
    assert located(weak, "answer-in-prompt") == [("giveaway", 18, 5), ("choice-giveaway", 23, 5)]


def test_similar_prompts(weak: list[Finding]) -> None:
    assert located(weak, "similar-prompts") == [("second", 40, 5)]
    message = next(f for f in weak if f.rule == "similar-prompts").problem.message
    assert "'first' (line 33)" in message


def test_no_explanation(weak: list[Finding]) -> None:
    assert located(weak, "no-explanation") == [("second", 38, 5)]


def test_findings_read_as_located_warnings(weak: list[Finding]) -> None:
    text = str(next(f for f in weak if f.rule == "few-options"))
    assert text.endswith(
        "weak.yaml:8:5: warning: [two-options] only 2 options: give at least two distractors"
        " (few-options)"
    )
    row = next(f for f in weak if f.rule == "few-options").as_dict()
    assert row["rule"] == "few-options"
    assert row["severity"] == "warning"
    assert row["line"] == 8


def test_every_rule_is_described() -> None:
    assert {"few-options", "long-answer", "answer-in-prompt", "similar-prompts"} <= set(RULES)
    assert {"no-explanation", "no-facts", "unused-fact"} <= set(RULES)


def test_words_ignore_case_accents_and_punctuation() -> None:
    assert words("Kim Jong-un, Jeong Eun-lée!") == ["kim", "jong", "un", "jeong", "eun", "lee"]


SEED = """\
id: harbour-news
title: A harbour reopens
outlet: The Coastal Ledger
facts:
  - id: reopened-2021
    kind: date
    statement: The harbour reopened in 2021.
    paragraph: 1
  - id: catch-doubled
    kind: claim
    statement: The mayor expects the catch to double.
    paragraph: 2
  - id: breakwater-length
    kind: figure
    statement: The new breakwater is 640 metres long.
    paragraph: 5
  - id: cost
    kind: figure
    statement: The works cost 4.5 million dollars.
    paragraph: 4
unused:
  cost: Asked in another course.
"""

SOURCED = """\
id: {id}
title: Sourced
source: harbour-news
questions:
  - id: reopened
    kind: date
    prompt: When did the harbour reopen?
    answer: "2021"
    explanation: In 2021.
    facts: [{fact}]
"""


def test_unused_facts_across_the_linted_banks(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    seed = tmp_path / "seeds" / "harbour-news.yaml"
    seed.write_text(SEED, encoding="utf-8")
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "a.yaml").write_text(SOURCED.format(id="a", fact="reopened-2021"), encoding="utf-8")
    (banks / "b.yaml").write_text(SOURCED.format(id="b", fact="catch-doubled"), encoding="utf-8")
    report = lint_paths([banks])
    assert report.errors == []
    unused = [f for f in report.findings if f.rule == "unused-fact"]
    # breakwater-length is tested by neither bank; cost is excused under `unused`.
    assert [(f.problem.path, f.problem.line, f.problem.column) for f in unused] == [
        (str(seed), 13, 5)
    ]
    assert "breakwater-length" in unused[0].problem.message
    # Linting one bank alone: the other's fact counts as unused too.
    alone = lint_paths([banks / "a.yaml"])
    assert len([f for f in alone.findings if f.rule == "unused-fact"]) == 2


def test_no_facts_in_a_sourced_bank() -> None:
    from quiz.bank.model import Bank, TextQuestion

    bank = Bank(
        id="x",
        title="X",
        source="harbour-news",
        questions=(TextQuestion(id="q", prompt="Who?", answer="Kim", explanation="E.", line=3),),
    )
    findings = lint_bank(bank, "x.yaml")
    assert located(findings, "no-facts") == [("q", 3, 1)]


def test_invalid_banks_give_their_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\ntitle: Bad\nquestions: []\n", encoding="utf-8")
    report = lint_paths([path])
    assert report.invalid
    assert report.findings == []


def test_draft_warnings_of_the_loader_are_findings(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text(
        "id: d\ntitle: D\nquestions:\n  - {id: a, kind: text, prompt: Who?, answer: Kim,"
        " explanation: E., draft: true}\n",
        encoding="utf-8",
    )
    report = lint_paths([path])
    assert [f.rule for f in report.findings] == ["loader"]
    assert "draft" in report.findings[0].problem.message


def test_a_new_bank_lints_clean(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(new_bank_text("demo"), encoding="utf-8")
    report = lint_paths([path])
    assert (report.errors, report.findings) == ([], [])


def test_bundled_banks_lint_without_errors() -> None:
    report = lint_paths([ROOT / "banks"])
    assert report.files
    assert report.errors == []
    assert not [f for f in report.findings if f.rule in ("unused-fact", "no-explanation")]


GIVEAWAYS = """\
id: made-up
title: Made-up give-aways
questions:
  - id: share
    kind: number
    prompt: What share of the trade came from China?
    answer: 97
    unit: "%"
    explanation: A large share, in the year 1997.
  - id: source
    kind: choice
    prompt: Which body said that 97 per cent of the trade came from China?
    answer: The trade agency
    distractors: [UN data, Customs, The ministry]
    explanation: The agency did.
  - id: agency
    kind: text
    prompt: Which agency reported the figures?
    answer: KOTRA
    explanation: The agency reported them.
  - id: year
    kind: date
    prompt: When did the figures appear?
    answer: "2023"
    explanation: KOTRA published them that year.
    reveals: [agency]
"""


@pytest.fixture
def giveaway_findings(tmp_path: Path) -> list[Finding]:
    path = tmp_path / "made-up.yaml"
    path.write_text(GIVEAWAYS, encoding="utf-8")
    return lint_bank(load_bank(path), str(path))


def test_gives_away_is_located_at_both_questions(giveaway_findings: list[Finding]) -> None:
    found = [
        (f.problem.question, f.problem.line, f.problem.column, f.problem.message)
        for f in giveaway_findings
        if f.rule == "gives-away"
    ]
    assert found == [
        # share's answer (97, written "97 per cent") is in source's prompt: one warning at each;
        # "1997" in share's own explanation is another number
        (
            "source",
            12,
            5,
            "the prompt gives away the answer '97' of 'share' (line 7): reword it, or list"
            " 'share' under `reveals:`",
        ),
        ("share", 7, 5, "the answer '97' is given away by the prompt of 'source' (line 12)"),
        # year's explanation gives agency's answer away, but year declares `reveals: [agency]`
    ]
    text = str([f for f in giveaway_findings if f.rule == "gives-away"][1])
    assert text.endswith(
        "made-up.yaml:7:5: warning: [share] the answer '97' is given away by the prompt of"
        " 'source' (line 12) (gives-away)"
    )


def test_without_reveals_the_declared_pair_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "made-up.yaml"
    path.write_text(GIVEAWAYS.replace("    reveals: [agency]\n", ""), encoding="utf-8")
    found = [
        (f.problem.question, f.problem.line, f.problem.message)
        for f in lint_bank(load_bank(path), str(path))
        if f.rule == "gives-away"
    ]
    assert (
        "year",
        25,
        "the explanation gives away the answer 'KOTRA' of 'agency' (line 19): reword it, or list"
        " 'agency' under `reveals:`",
    ) in found


def test_reveals_must_name_other_questions_of_the_bank(tmp_path: Path) -> None:
    from quiz.errors import BankError

    path = tmp_path / "bad.yaml"
    path.write_text(
        GIVEAWAYS.replace("reveals: [agency]", "reveals: [agencies, year]"), encoding="utf-8"
    )
    with pytest.raises(BankError) as error:
        load_bank(path)
    text = str(error.value)
    assert (
        "bad.yaml:26:15: [year] 'reveals' names 'agencies', which is not a question of this bank"
        " (did you mean 'agency'?)"
    ) in text
    assert "bad.yaml:26:25: [year] a question cannot list itself under 'reveals'" in text


def test_bundled_banks_are_clean_under_strict_lint() -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    result = CliRunner().invoke(cli, ["banks", "lint", "--strict", str(ROOT / "banks")])
    assert result.exit_code == 0, result.output


def test_options_from_moodle_are_linted_as_the_learner_sees_them() -> None:
    # An option in HTML of its own (from Moodle) is as long as the plain text it shows, and
    # the prompt's words are those it shows: markup alone gives nothing away.
    from quiz.formats.gift import read_gift

    bank = read_gift(
        '::styled:: Which city? {=[html]<span style="color: red">Paris</span> ~London ~Rome}\n\n'
        "::tagged:: [html]<p>Which <b>one</b>?</p> {=[html]<b>one</b> ~two ~three}\n\n"
        "::long:: Which? {=[html]<i>a very long right option, twenty more</i> ~x ~y}\n",
        "moodle.gift",
    )
    rules = {(f.problem.question, f.rule) for f in lint_bank(bank, "moodle.gift")}
    assert ("styled", "long-answer") not in rules
    assert ("tagged", "answer-in-prompt") in rules  # "one" is in "Which one?"
    assert ("long", "long-answer") in rules
