"""Properties: the loader raises only its own error, and a dumped bank loads back equal."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from quiz.bank.dump import dump_bank
from quiz.bank.loader import check_bank_bytes, load_bank_text
from quiz.bank.model import Bank
from quiz.errors import BankError
from tests.strategies import banks

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
keys = st.sampled_from(
    [
        "id",
        "title",
        "questions",
        "kind",
        "prompt",
        "answer",
        "answers",
        "distractors",
        "pairs",
        "items",
        "tolerance",
        "unit",
        "accept",
        "facts",
        "tags",
        "defaults",
        "points",
        "source",
        "feedback",
        "draft",
        "paragraph",
        "fuzzy",
        "difficulty",
        "explanation",
        "x",
    ]
)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=6),
    max_leaves=30,
)
kinds = st.sampled_from(
    ["choice", "multi", "truefalse", "text", "number", "date", "match", "order", "essay"]
)
question_like = st.fixed_dictionaries(
    {"id": st.text(max_size=6), "kind": kinds, "prompt": scalars},
    optional={
        "answer": documents,
        "answers": documents,
        "distractors": documents,
        "pairs": documents,
        "items": documents,
        "tolerance": documents,
    },
)
bank_like = st.fixed_dictionaries(
    {
        "id": st.text(max_size=6) | st.just("ok"),
        "title": scalars,
        "questions": st.lists(question_like, max_size=4) | documents,
    },
)


@given(st.binary(max_size=300))
def test_any_bytes_give_a_bank_or_problems(data: bytes) -> None:
    bank, problems = check_bank_bytes(data, "fuzz.yaml")
    assert bank is not None or any(p.severity == "error" for p in problems)


@given(st.text(max_size=300))
def test_any_text_raises_only_bank_error(text: str) -> None:
    try:
        load_bank_text(text, "fuzz.yaml")
    except BankError as error:
        assert error.problems
        assert all(str(p).startswith("fuzz.yaml") for p in error.problems)


@given(st.one_of(documents, bank_like))
def test_any_yaml_document_raises_only_bank_error(document: object) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    try:
        load_bank_text(text, "doc.yaml")
    except BankError as error:
        assert error.problems


@given(banks())
def test_dumped_bank_loads_back_equal(bank: Bank) -> None:
    assert load_bank_text(dump_bank(bank)) == bank
