"""GIFT import and export: each construct on hand-written files, errors located, round trips."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.bank.dump import dump_bank
from quiz.bank.loader import load_bank, load_bank_text
from quiz.bank.model import (
    TEXT_FORMATS,
    Bank,
    ChoiceQuestion,
    DateQuestion,
    Defaults,
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    PartialDate,
    Question,
    TextQuestion,
    Tolerance,
    TrueFalseQuestion,
)
from quiz.errors import BankError
from quiz.formats.gift import bank_to_gift, load_gift, read_gift, slug
from tests.strategies import banks, ids, numbers, partial_dates, tolerances, valid_bank

DATA = Path(__file__).resolve().parent / "data" / "gift"
ROOT = Path(__file__).resolve().parent.parent


def by_id(bank: Bank) -> dict[str, Question]:
    return {q.id: q for q in bank.questions}


# -- each construct ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def constructs() -> Bank:
    return load_gift(DATA / "constructs.gift")


def test_bank_id_and_title_default_to_the_file_name(constructs: Bank) -> None:
    assert constructs.id == "constructs"
    assert constructs.title == "constructs"
    assert constructs.path == str(DATA / "constructs.gift")


def test_multiple_choice_with_feedback_and_general_feedback(constructs: Bank) -> None:
    assert by_id(constructs)["longest-river"] == ChoiceQuestion(
        id="longest-river",
        prompt="Which river is the longest in Korea?",
        answer="Amnok",
        distractors=("Taedong", "Han"),
        explanation="The Amnok (Yalu) runs along the border with China.",
        feedback=(("Amnok", "Right: about 800 km."), ("Taedong", "Shorter than the Amnok.")),
        tags=("geography", "rivers"),
    )


def test_category_segments_become_tags_until_the_next_category(constructs: Bank) -> None:
    questions = by_id(constructs)
    assert questions["capital-city"].tags == ("geography", "rivers")
    assert questions["true-statement"].tags == ("quiz-basics",)


def test_short_answer_first_answer_then_accepted_ones(constructs: Bank) -> None:
    question = by_id(constructs)["capital-city"]
    assert question == TextQuestion(
        id="capital-city",
        prompt="What is the capital of the Republic of Korea?",
        answer="Seoul",
        accept=("Soul",),
        tags=("geography", "rivers"),
        format="markdown",  # format.php parse_text_with_format: the marker is the text's format
    )


def test_missing_word_form_and_an_id_from_the_prompt(constructs: Bank) -> None:
    question = by_id(constructs)["the-tumen-river-flows-into-the"]
    assert isinstance(question, TextQuestion)
    assert question.prompt == "The Tumen river flows into the _____ near the border."
    assert (question.answer, question.accept) == ("Sea of Japan", ("East Sea",))


def test_true_false_forms_and_their_feedback(constructs: Bank) -> None:
    questions = by_id(constructs)
    assert [questions[q].answer for q in ("true-statement", "short-true")] == [True, True]  # type: ignore[attr-defined]
    assert [questions[q].answer for q in ("false-with-feedback", "short-false")] == [False, False]  # type: ignore[attr-defined]
    # {FALSE#shown to a wrong answer#shown to a right one####general}
    question = questions["false-with-feedback"]
    assert question.feedback == (
        ("true", "No, it is much smaller."),
        ("false", "Right, it is smaller."),
    )
    assert question.explanation == "The Moon's diameter is about a quarter of the Earth's."


def test_weights_give_a_multi_question(constructs: Bank) -> None:
    question = by_id(constructs)["many-right"]
    assert isinstance(question, MultiQuestion)
    assert question.answers == ("Red", "Green")
    assert question.distractors == ("Brown",)
    assert question.feedback == (("Brown", "Brown is a mixture."),)


def test_matching(constructs: Bank) -> None:
    question = by_id(constructs)["matching"]
    assert isinstance(question, MatchQuestion)
    assert question.pairs == (("Japan", "Tokyo"), ("China", "Beijing"), ("Mongolia", "Ulaanbaatar"))


@pytest.mark.parametrize(
    ("qid", "answer", "tolerance"),
    [("tolerance", 42, 1), ("range", 3, 2), ("exact", 6, 0), ("numeric-equals", 1953, 0)],
)
def test_numeric_forms(constructs: Bank, qid: str, answer: float, tolerance: float) -> None:
    question = by_id(constructs)[qid]
    assert isinstance(question, NumberQuestion)
    assert question.answer == answer
    assert question.tolerance == Tolerance(tolerance)


def test_numeric_feedback(constructs: Bank) -> None:
    assert by_id(constructs)["exact"].feedback == (("6", "Six, as in hex."),)


def test_escapes(constructs: Bank) -> None:
    question = by_id(constructs)["escapes-all-of-them"]
    assert isinstance(question, ChoiceQuestion)
    assert question.prompt == "Which sign is written ~, =, #, {, } or : in GIFT?"
    assert question.answer == "the escaped one {ok} with a colon: here"
    assert question.distractors == ("a plain = sign", "a tilde ~ sign")


def test_same_titles_get_unique_ids(constructs: Bank) -> None:
    assert {"same-title", "same-title-2"} <= set(by_id(constructs))


def test_questions_know_their_line(constructs: Bank) -> None:
    assert by_id(constructs)["longest-river"].line == 6
    assert by_id(constructs)["same-title-2"].line == 59


def test_an_imported_bank_dumps_to_a_valid_bank(constructs: Bank) -> None:
    assert load_bank_text(dump_bank(constructs)) == constructs


# -- `// quiz:` lines ------------------------------------------------------------------------------


def test_quiz_lines_carry_what_gift_cannot_say() -> None:
    bank = load_gift(DATA / "quiz-lines.gift")
    assert (bank.id, bank.title, bank.description, bank.language) == (
        "history-mix",
        "History mix",
        "Dates and orders.",
        "en",
    )
    assert bank.defaults == Defaults(points=2, shuffle_choices=False)
    questions = by_id(bank)
    assert questions["armistice-month"] == DateQuestion(
        id="armistice-month",
        prompt="In which month was the Korean War armistice signed?",
        answer=PartialDate(1953, 7),
    )
    assert questions["deal-month"].answer == PartialDate(2022, 12)  # type: ignore[attr-defined]
    assert questions["dynasties"] == OrderQuestion(
        id="dynasties",
        prompt="Put these Korean dynasties in order, earliest first.",
        items=("Silla", "Goryeo", "Joseon"),
    )
    assert questions["share"] == NumberQuestion(
        id="share",
        prompt="What share of the trade came from the largest partner?",
        answer=97,
        unit="%",
        tolerance=Tolerance(0.05, relative=True),
        difficulty="hard",
        facts=("share-fact",),
        points=3,
        draft=True,
        paragraph=4,
    )
    spell = questions["spell"]
    assert isinstance(spell, TextQuestion)
    assert spell.fuzzy is True
    assert spell.tags == ("names",)
    assert spell.feedback == ()  # removed by "feedback": null


def test_options_override_the_bank_line() -> None:
    bank = load_gift(DATA / "quiz-lines.gift", bank_id="other", title="Other")
    assert (bank.id, bank.title) == ("other", "Other")


# -- errors ------------------------------------------------------------------------------------


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_gift(path)
    return [str(p) for p in caught.value.problems]


def test_every_error_is_reported_at_once_and_located() -> None:
    path = DATA / "errors.gift"
    found = [p.removeprefix(f"{path}:") for p in problems_of(path)]
    # The description, essay and cloze are skipped with warnings; the partial choice, the two
    # right options and the unclosed title read as Moodle reads them; `%fifty%` is no weight in
    # format.php (`$giftanswerweightregex`), so no option is right.
    expected = [
        ("9:27", "not closed"),
        ("15:24", "no right option"),
        ("17:28", "must be a number, not 'many'"),
        ("19:33", "runs backwards"),
        ("21:45", "=left -> right"),
        ("23:9", "unknown key(s) in a `// quiz:` line: colour"),
        ("26:11", "must hold a JSON object"),
    ]
    assert len(found) == len(expected)
    for problem, (where, words) in zip(found, expected, strict=True):
        assert problem.startswith(where + ": "), problem
        assert words in problem


def test_the_loaders_errors_are_placed_on_the_gift_question() -> None:
    path = DATA / "invalid-bank.gift"
    assert problems_of(path) == [
        f"{path}:3:1: [same-option] the answer is also listed among the distractors",
        f"{path}:5:1: [not-a-date] 'answer' must be a date as YYYY, YYYY-MM or YYYY-MM-DD,"
        " not 'sometime'",
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "no questions"),
        ("// only a comment\n", "no questions"),
        ('::a:: Q? {=x}\n\n// quiz: {"kind": "date"}\n', "no question after it"),
        ("::a:: Q? {#1..}", "the high end of the range must be a number"),
        ("::a:: Q? {#=%50%1:0}", "needs one answer worth 100%"),
        ("::a:: Q? {~x ~y}", "no right option"),
        ("::a:: Q? {~%150%x ~y}", "more than 100%"),
        ("::a:: Q? {= -> b =c -> d}", "at least two pairs"),  # `= -> b` is a distractor
        ("::a:: Q? } {=x}", "a } with no {"),
        ("::a:: Q? {={x}}", "a { inside an answer block"),
        ("::a:: {=x}", "no text"),
        (
            '// quiz: {"bank": {"id": "b"}}\n// quiz: {"bank": {"id": "c"}}\n::a:: Q? {=x}',
            "second bank line",
        ),
        ("// quiz: [1]\n::a:: Q? {=x}", "JSON object"),
        ('// quiz: {"bank": {"colour": "red"}}\n::a:: Q? {=x}', "unknown key(s)"),
        ('// quiz: {"kind": "order"}\n::a:: Q? {=x -> 1 =y -> 3}', "run 1, 2, 3"),
    ],
)
def test_errors(text: str, words: str) -> None:
    with pytest.raises(BankError) as caught:
        read_gift(text, "t.gift")
    assert words in str(caught.value)
    assert all(p.line is not None for p in caught.value.problems)


# -- export --------------------------------------------------------------------------------------


def test_export_of_what_gift_can_say_needs_no_quiz_lines() -> None:
    bank = Bank(
        id="plain",
        title="Plain",
        questions=(
            ChoiceQuestion(id="c", prompt="Pick: one?", answer="a=b", distractors=("c~d", "e#f")),
            MultiQuestion(id="m", prompt="Pick all", answers=("x", "y", "z"), distractors=("w",)),
            TrueFalseQuestion(
                id="t", prompt="True?", answer=True, feedback=(("false", "No."), ("true", "Yes."))
            ),
            TextQuestion(id="s", prompt="Say {it}", answer="it", accept=("that",)),
            NumberQuestion(id="n", prompt="How many?", answer=2.5, tolerance=Tolerance(0.5)),
            MatchQuestion(id="p", prompt="Match", pairs=(("a", "b"), ("c", "d->e"))),
            TextQuestion(id="gap", prompt="Seoul is _____ of Busan.", answer="north"),
        ),
    )
    text = bank_to_gift(bank)
    question_lines = [line for line in text.splitlines()[3:] if line.startswith("// quiz:")]
    assert question_lines == []
    assert "::gap:: Seoul is {" in text  # the missing-word form
    assert "~%33.33333%x" in text and "~%-33.33333%w" in text
    assert "{TRUE#No.#Yes.}" in text
    assert read_gift(text) == bank


def test_export_uses_quiz_lines_for_the_rest() -> None:
    bank = Bank(
        id="rest",
        title="Rest",
        questions=(
            DateQuestion(id="d", prompt="When?", answer=PartialDate(2022, 12), difficulty="easy"),
            OrderQuestion(id="o", prompt="Order", items=("a", "b", "c")),
        ),
    )
    text = bank_to_gift(bank)
    assert '// quiz: {"kind": "date", "difficulty": "easy"}' in text
    assert "::d:: When? {\n  =2022-12\n}" in text
    assert '// quiz: {"kind": "order"}' in text
    assert "  =b -> 2" in text
    assert read_gift(text) == bank


@pytest.mark.parametrize("path", sorted((ROOT / "banks").glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_banks_round_trip(path: Path) -> None:
    bank = load_bank(path)
    assert read_gift(bank_to_gift(bank), "x.gift") == bank


def test_slug() -> None:
    assert slug("Who said it?") == "who-said-it"
    assert slug("Kozlov's rôle") == "kozlov-s-role"
    assert slug("???") == ""


# -- property: export then import gives an equal bank ----------------------------------------

# Text that GIFT finds hard: its special characters, arrows, weights, brackets, blanks.
_tricky_pieces = st.sampled_from(
    [
        "~",
        "=",
        "#",
        "{",
        "}",
        ":",
        "\\",
        "->",
        "%50%",
        "%",
        "..",
        "[html]",
        "_____",
        "//",
        "\\n",
        "::",
        "####",
        "T",
        "$CATEGORY:",
        "é",
        "한",
        " ",
    ]
)
_letters = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=6)
tricky = (
    st.lists(st.one_of(_letters, _tricky_pieces), min_size=1, max_size=6)
    .map("".join)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
texts = st.one_of(tricky, tricky.map(lambda s: s.replace(" ", "\n")))


def _distinct(n_min: int, n_max: int) -> st.SearchStrategy[list[str]]:
    return st.lists(
        tricky, min_size=n_min, max_size=n_max, unique_by=lambda s: " ".join(s.casefold().split())
    )


@st.composite
def tricky_questions(draw: st.DrawFn, qid: str) -> Question:
    kind = draw(
        st.sampled_from(
            ["choice", "multi", "truefalse", "text", "number", "date", "match", "order"]
        )
    )
    common: dict[str, Any] = {
        "id": qid,
        "prompt": draw(texts),
        "explanation": draw(st.none() | texts),
        "tags": tuple(draw(st.lists(ids, max_size=2, unique=True))),
        "facts": tuple(draw(st.lists(ids, max_size=2, unique=True))),
    }
    feedback_keys: list[str] = []
    question: Question
    if kind == "choice":
        options = draw(_distinct(2, 4))
        question = ChoiceQuestion(**common, answer=options[0], distractors=tuple(options[1:]))
        feedback_keys = options
    elif kind == "multi":
        options = draw(_distinct(1, 5))
        split = draw(st.integers(1, len(options)))
        question = MultiQuestion(
            **common, answers=tuple(options[:split]), distractors=tuple(options[split:])
        )
        feedback_keys = options
    elif kind == "truefalse":
        question = TrueFalseQuestion(**common, answer=draw(st.booleans()))
        feedback_keys = ["true", "false"]
    elif kind == "text":
        answers = draw(_distinct(1, 3))
        question = TextQuestion(
            **common, answer=answers[0], accept=tuple(answers[1:]), fuzzy=draw(st.booleans())
        )
        feedback_keys = answers
    elif kind == "number":
        question = NumberQuestion(
            **common,
            answer=draw(numbers),
            unit=draw(st.none() | tricky),
            tolerance=draw(tolerances),
        )
    elif kind == "date":
        question = DateQuestion(**common, answer=draw(partial_dates()))
    elif kind == "match":
        lefts = draw(_distinct(2, 4))
        rights = draw(st.lists(tricky, min_size=len(lefts), max_size=len(lefts)))
        question = MatchQuestion(**common, pairs=tuple(zip(lefts, rights, strict=True)))
    else:
        question = OrderQuestion(**common, items=tuple(draw(_distinct(2, 4))))
    keys = (
        draw(st.lists(st.sampled_from(feedback_keys) | tricky, max_size=3, unique=True))
        if feedback_keys
        else []
    )
    messages = [draw(tricky) for _ in keys]
    # Texts with a format marker of their own (format.php parse_text_with_format): options,
    # left items, feedback messages and the general feedback keep it in `formats`.
    own: list[str] = list(messages)
    if kind in ("choice", "multi"):
        own += list(getattr(question, "options", ()))
    if isinstance(question, MatchQuestion):
        own += [left for left, _ in question.pairs]
    if question.explanation:
        own.append(question.explanation)
    chosen = draw(st.lists(st.sampled_from(own), unique=True)) if own else []
    formats = tuple(sorted((text, draw(st.sampled_from(TEXT_FORMATS))) for text in chosen))
    return type(question)(
        **{
            **question.__dict__,
            "feedback": tuple(zip(keys, messages, strict=True)),
            "formats": formats,
        }
    )


@st.composite
def tricky_banks(draw: st.DrawFn) -> Bank:
    qids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    return Bank(
        id=draw(ids),
        title=draw(tricky),
        description=draw(st.none() | texts),
        questions=tuple(draw(tricky_questions(qid)) for qid in qids),
    )


@given(banks())
def test_round_trip_any_valid_bank(bank: Bank) -> None:
    bank = valid_bank(bank)
    assert read_gift(bank_to_gift(bank)) == bank


@given(tricky_banks())
def test_round_trip_banks_full_of_gift_syntax(bank: Bank) -> None:
    bank = valid_bank(bank)
    assert read_gift(bank_to_gift(bank)) == bank


@pytest.mark.parametrize("title", ["quiz", "quiz: a title", "quiz:{", 'quiz: {"bank": {}}'])
def test_a_bank_titled_like_a_quiz_line_round_trips(title: str) -> None:
    # The export's first line is a comment with the title: it must never read as `// quiz:`.
    from quiz.bank.model import TrueFalseQuestion

    bank = valid_bank(
        Bank(id="t", title=title, questions=(TrueFalseQuestion(id="q", prompt="p?", answer=False),))
    )
    assert read_gift(bank_to_gift(bank)) == bank
