"""The JSON Schema of `quiz banks schema`: generated from the key table, true to the loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
import yaml
from hypothesis import given

from quiz.bank.dump import dump_bank
from quiz.bank.model import BANK_KEYS, DEFAULTS_KEYS, QUESTION_KEYS, ValueType
from quiz.bank.scaffold import new_bank_text
from quiz.formats.schema import VALUE_SCHEMAS, bank_schema, missing_value_types, schema_text
from quiz.kinds import kind_names, registered
from tests.strategies import banks

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "data" / "bad"

# Malformed banks whose fault a schema can express. The others (a key given twice, ids
# repeated, the answer among the distractors, an impossible date, an unknown fact, YAML that
# does not parse...) need `quiz banks validate`.
SCHEMA_REJECTS = [
    "bad-bank-id.yaml",
    "bad-question-id.yaml",
    "bad-truefalse.yaml",
    "choice-no-distractors.yaml",
    "empty.yaml",
    "many-errors.yaml",
    "missing-field.yaml",
    "multi-no-answers.yaml",
    "negative-tolerance.yaml",
    "not-a-number.yaml",
    "order-one-item.yaml",
    "questions-not-list.yaml",
    "top-level-list.yaml",
    "unknown-key.yaml",
    "unknown-kind.yaml",
    "wrong-kind-field.yaml",
]


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's schema checker sees it: no YAML 1.1 timestamps (dates stay text)."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str | bytes) -> Any:
    return yaml.load(text, Loader=_EditorLoader)  # a SafeLoader subclass


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(bank_schema())


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = bank_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_value_type_has_a_schema() -> None:
    assert missing_value_types() == []
    assert set(VALUE_SCHEMAS) == set(get_args(ValueType))


def test_the_keys_come_from_the_key_table() -> None:
    schema = bank_schema()
    assert list(schema["properties"]) == [spec.name for spec in BANK_KEYS]
    assert schema["required"] == [spec.name for spec in BANK_KEYS if spec.required]
    defaults = schema["$defs"]["defaults"]
    assert list(defaults["properties"]) == [spec.name for spec in DEFAULTS_KEYS]
    question = schema["$defs"]["question"]
    assert list(question["properties"]) == [spec.name for spec in QUESTION_KEYS]
    assert question["properties"]["kind"]["enum"] == list(kind_names())
    by_kind = {
        branch["if"]["properties"]["kind"]["const"]: branch["then"] for branch in question["allOf"]
    }
    assert list(by_kind) == list(kind_names())
    for kind in registered():
        specs = kind.fields
        assert list(by_kind[kind.name]["properties"]) == [spec.name for spec in specs]
        assert by_kind[kind.name]["required"] == [spec.name for spec in specs if spec.required]
    # Each key's help text is its description, for an editor's hover.
    assert question["properties"]["prompt"]["description"] == QUESTION_KEYS[2].help


def test_schema_text_is_the_schema_as_json() -> None:
    assert json.loads(schema_text()) == bank_schema()


BUNDLED = sorted((ROOT / "banks").glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_every_bundled_bank_validates(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    errors = [e.message for e in validator.iter_errors(load_yaml(path.read_bytes()))]
    assert errors == []


def test_there_are_bundled_banks() -> None:
    assert BUNDLED


def test_a_new_bank_validates(validator: jsonschema.Draft202012Validator) -> None:
    assert list(validator.iter_errors(load_yaml(new_bank_text("demo")))) == []


@pytest.mark.parametrize("name", SCHEMA_REJECTS)
def test_the_schema_rejects_malformed_banks(
    name: str, validator: jsonschema.Draft202012Validator
) -> None:
    path = BAD / name
    if not path.exists():
        pytest.skip(f"{name} is not written yet")
    assert list(validator.iter_errors(load_yaml(path.read_bytes())))


@pytest.mark.parametrize(
    ("snippet", "valid"),
    [
        ("answer: 2022-12-01", True),  # a date, written bare
        ("answer: 2022", True),  # a year
        ("answer: '2022-13'", False),
        ("answer: December 2022", False),
    ],
)
def test_date_answers(
    snippet: str, valid: bool, validator: jsonschema.Draft202012Validator
) -> None:
    text = (
        f"id: d\ntitle: D\nquestions:\n  - id: a\n    kind: date\n    prompt: When?\n    {snippet}"
    )
    assert (not list(validator.iter_errors(load_yaml(text)))) is valid


@pytest.mark.parametrize(
    ("fields", "valid"),
    [
        ("answer: 97\n    tolerance: 2", True),
        ("answer: '67,300'", False),  # the loader refuses it too
        (
            "answer: '97'\n    tolerance: 5%",
            True,
        ),  # a number written as text, as the loader reads it
        ("answer: 1_000", True),
        ("answer: 97\n    tolerance: -1", False),
        ("answer: 97\n    unit: 97", True),  # any scalar is text
        ("answer: 97\n    points: 0", False),
        ("answer: 97\n    paragraph: 0", False),
        ("answer: 97\n    draft: yes", True),
        ("answer: 97\n    draft: maybe", False),
        ("answer: 97\n    difficulty: easy", True),
        ("answer: 97\n    difficulty: trivial", False),
        ("answer: 97\n    distractors: [1, 2]", False),  # a choice field on a number question
    ],
)
def test_number_fields(
    fields: str, valid: bool, validator: jsonschema.Draft202012Validator
) -> None:
    head = "id: n\ntitle: N\nquestions:\n  - id: a\n    kind: number\n    prompt: How many?\n"
    text = f"{head}    {fields}\n"
    assert (not list(validator.iter_errors(load_yaml(text)))) is valid


@given(banks())
def test_every_valid_bank_validates(bank: Any) -> None:
    """What the loader accepts (here: what dump writes for any valid bank), the schema accepts."""
    validator = jsonschema.Draft202012Validator(bank_schema())
    assert list(validator.iter_errors(load_yaml(dump_bank(bank)))) == []


def test_formats_validate_as_the_loader_reads_them(
    validator: jsonschema.Draft202012Validator,
) -> None:
    # A bank imported from GIFT with format markers on an option and a feedback: its dumped
    # YAML validates; a format the loader refuses, the schema refuses too.
    from quiz.bank.dump import dump_bank
    from quiz.bank.loader import load_bank_text
    from quiz.errors import BankError
    from quiz.formats.gift import read_gift

    bank = read_gift(
        "::q:: Pick. {=[html]<b>a</b> ~[html]<i>b</i> #[html]<b>no</b> ~%50%[plain]c"
        " ####[markdown]*why*}\n\n"
        "::m:: Pair. {=[html]<i>x</i> -> 1 =y -> 2}\n\n"
        "::n:: How many? {#=3 =%50%4#[html]<i>close</i>}\n"
    )
    text = dump_bank(bank)
    assert "format: html" in text and "format: markdown" in text
    assert list(validator.iter_errors(load_yaml(text))) == []
    assert load_bank_text(text) == bank
    bad = text.replace("format: html", "format: rtf", 1)
    assert list(validator.iter_errors(load_yaml(bad)))
    with pytest.raises(BankError, match="must be one of"):
        load_bank_text(bad)
