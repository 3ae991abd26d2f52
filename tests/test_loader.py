"""The loader: every class of malformed bank gets a located, readable error and exit 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.bank.loader import check_bank, load_bank, load_bank_text
from quiz.bank.model import DateQuestion, NumberQuestion, PartialDate, TextQuestion, Tolerance
from quiz.cli import cli
from quiz.errors import BankError

BAD = Path(__file__).parent / "data" / "bad"

# file -> (line, column, text the message must contain)
EXPECTED = {
    "tab-indent.yaml": (4, 1, "tab character"),
    "empty.yaml": (1, 1, "the file is empty"),
    "top-level-list.yaml": (1, 1, "top level of a bank must be a mapping"),
    "questions-not-list.yaml": (4, 3, "questions must be a list"),
    "unknown-key.yaml": (
        8,
        5,
        "unknown key 'explanaton' in a question (did you mean 'explanation'?)",
    ),
    "duplicate-key.yaml": (8, 5, "'answer' is given twice (first on line 7)"),
    "missing-field.yaml": (4, 5, "missing required key 'answer' for a choice question"),
    "unknown-kind.yaml": (5, 11, "unknown kind 'essay'"),
    "duplicate-question-id.yaml": (5, 5, "duplicate question id 'a' (first on line 4)"),
    "bad-bank-id.yaml": (1, 5, "'id' must use only a-z, 0-9"),
    "bad-question-id.yaml": (4, 10, "'id' must use only a-z, 0-9"),
    "answer-in-distractors.yaml": (8, 18, "the answer is also listed among the distractors"),
    "not-a-number.yaml": (7, 13, "'answer' must be a number, not 'lots'"),
    "impossible-date.yaml": (7, 13, "'2023-02-30' is not a real date"),
    "negative-tolerance.yaml": (8, 16, "'tolerance' cannot be negative"),
    "match-repeated-left.yaml": (8, 7, "the left side 'Kozlov' is given twice"),
    "order-one-item.yaml": (7, 12, "an order question needs at least two items"),
    "multi-no-answers.yaml": (7, 14, "a multi question needs at least one right answer"),
    "choice-no-distractors.yaml": (8, 18, "a choice question needs at least one distractor"),
    "not-utf8.yaml": (2, 11, "not UTF-8"),
    "python-tag.yaml": (2, 8, "the tag !!python/object/apply:os.system is not allowed"),
    "billion-laughs.yaml": (10, 4, "aliases (*name) of lists and mappings are not supported"),
    "syntax-error.yaml": (2, 8, "this quote is never closed"),  # where the quote opens
    "wrong-kind-field.yaml": (8, 5, "'distractors' is not a field of a text question"),
    "unknown-fact.yaml": (9, 13, "unknown fact 'no-such-fact-here' in source 'rason-sez'"),
    "bad-truefalse.yaml": (7, 13, "'answer' must be true or false"),
    "many-errors.yaml": (7, 13, "'answer' must be a number, not 'ten'"),
}


def test_every_bad_file_is_covered() -> None:
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_bank_is_located(name: str) -> None:
    line, column, text = EXPECTED[name]
    path = BAD / name
    result = CliRunner().invoke(cli, ["banks", "validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}:{line}:{column}: " in result.output
    assert text in result.output


def test_every_error_in_a_file_is_reported_at_once() -> None:
    bank, problems = check_bank(BAD / "many-errors.yaml")
    assert bank is None
    assert [(p.line, p.question) for p in problems] == [(7, "a"), (11, "b"), (16, "c")]


def test_validate_json_lists_located_problems() -> None:
    import json

    result = CliRunner().invoke(cli, ["banks", "validate", "--json", str(BAD / "many-errors.yaml")])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert {"path", "line", "column", "question", "message"} <= set(data[0])
    assert [d["line"] for d in data] == [7, 11, 16]


def test_validate_a_folder_reports_every_file() -> None:
    result = CliRunner().invoke(cli, ["banks", "validate", str(BAD)])
    assert result.exit_code == 1
    assert f"{len(EXPECTED)} of {len(EXPECTED)} file(s) invalid" in result.output


def test_python_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "owned"
    text = (
        "id: x\ntitle: !!python/object/apply:os.system ['touch " + str(marker) + "']\n"
        "questions: [{id: a, kind: text, prompt: P, answer: x}]\n"
    )
    with pytest.raises(BankError):
        load_bank_text(text)
    assert not marker.exists()


def test_billion_laughs_fails_without_expanding() -> None:
    code = (
        "import resource, sys; from quiz.bank.loader import check_bank;"
        "b, p = check_bank(sys.argv[1]); assert b is None;"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(BAD / "billion-laughs.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert int(out.stdout) < 500_000  # kilobytes: a fully expanded document would not fit


def test_scalars_are_read_as_written() -> None:
    bank = load_bank_text(
        "id: s\ntitle: S\nquestions:\n"
        "  - {id: a, kind: text, prompt: P, answer: no}\n"
        "  - {id: b, kind: date, prompt: P, answer: 2022-12-01}\n"
        "  - {id: c, kind: text, prompt: P, answer: 1:30}\n"
        "  - {id: d, kind: number, prompt: P, answer: 67300, tolerance: 5%}\n"
        "  - {id: e, kind: date, prompt: P, answer: 2022-12}\n"
        "  - {id: f, kind: text, prompt: P, answer: 010}\n"
    )
    a, b, c, d, e, f = bank.questions
    assert isinstance(a, TextQuestion) and a.answer == "no"
    assert isinstance(b, DateQuestion) and b.answer == PartialDate(2022, 12, 1)
    assert isinstance(c, TextQuestion) and c.answer == "1:30"
    assert isinstance(d, NumberQuestion) and d.tolerance == Tolerance(0.05, relative=True)
    assert isinstance(e, DateQuestion) and e.answer.precision == "month"
    assert isinstance(f, TextQuestion) and f.answer == "010"


def test_draft_questions_load_with_a_warning() -> None:
    text = (
        "id: d\ntitle: D\nquestions:\n  - {id: a, kind: text, prompt: P, answer: x, draft: true}\n"
    )
    from quiz.bank.loader import check_bank_bytes

    bank, problems = check_bank_bytes(text.encode(), "d.yaml")
    assert bank is not None
    assert [p.severity for p in problems] == ["warning"]
    assert "draft" in problems[0].message


def test_load_bank_raises_with_all_problems() -> None:
    with pytest.raises(BankError) as info:
        load_bank(BAD / "many-errors.yaml")
    assert len(info.value.problems) == 3


def test_bad_bank_in_quiz_banks_show_is_a_message_not_a_traceback() -> None:
    result = CliRunner().invoke(cli, ["banks", "show", str(BAD / "duplicate-key.yaml")])
    assert result.exit_code == 1
    assert "given twice" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_duplicates_and_cross_field_checks_are_reported_beside_other_errors() -> None:
    text = (
        "id: all-at-once\ntitle: T\nquestions:\n"
        "  - {id: q1, kind: choice, prompt: P, answer: x, distractors: [x, y], points: lots}\n"
        "  - {id: q1, kind: text, prompt: P, answer: z, tags: [Bad Tag]}\n"
    )
    from quiz.bank.loader import check_bank_bytes

    bank, problems = check_bank_bytes(text.encode(), "b.yaml")
    messages = [p.message for p in problems]
    assert bank is None
    assert any("'points' must be a number" in m for m in messages)
    assert any("the answer is also listed among the distractors" in m for m in messages)
    assert any("duplicate question id 'q1'" in m for m in messages)
    assert any("in 'tags' must use only" in m for m in messages)


def test_feedback_must_name_an_option() -> None:
    text = (
        "id: fb\ntitle: T\nquestions:\n"
        "  - id: q\n    kind: choice\n    prompt: P\n    answer: Russia\n"
        "    distractors: [China, Japan]\n    feedback: {Chian: no, Japan: not Japan}\n"
    )
    with pytest.raises(BankError) as info:
        load_bank_text(text, "fb.yaml")
    [problem] = info.value.problems
    assert (problem.line, problem.column) == (9, 16)
    assert "feedback for 'Chian', which is not an option" in problem.message
    assert "did you mean 'China'" in problem.message


# -- located like every other error (#13) --------------------------------------------------------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from quiz.bank.loader import check_bank_bytes  # noqa: E402

_VALID = (
    "id: located\ntitle: Tést ☃ 😀\nquestions:\n"
    '  - {id: a, kind: text, prompt: "Whó? ☃", answer: Kim}\n'
    "  - id: b\n    kind: choice\n    prompt: Which one?\n    answer: ünö\n    distractors: [two]\n"
)
_REFUSED = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]] + [
    chr(c) for c in range(0x80, 0xA0) if c != 0x85
]


@given(st.integers(0, len(_VALID)), st.sampled_from(_REFUSED))
def test_a_control_character_is_located_as_line_and_column(at: int, char: str) -> None:
    text = _VALID[:at] + char + _VALID[at:]
    bank, problems = check_bank_bytes(text.encode("utf-8"), "b.yaml")
    assert bank is None
    before = text[:at]
    line, column = before.count("\n") + 1, at - (before.rfind("\n") + 1) + 1
    assert (problems[0].line, problems[0].column) == (line, column)
    assert f"U+{ord(char):04X}" in problems[0].message


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_unclosed_quote_is_located_where_it_opens(quote: str) -> None:
    text = (
        f"id: q\ntitle: T\nquestions:\n  - {{id: a, kind: text, prompt: {quote}Who, answer: K}}\n"
    )
    text += "  - {id: b, kind: text, prompt: P, answer: K}\n"
    bank, problems = check_bank_bytes(text.encode(), "q.yaml")
    assert bank is None
    assert (problems[0].line, problems[0].column) == (4, 33)
    assert "never closed" in problems[0].message
