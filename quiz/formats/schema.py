"""The JSON Schema (draft 2020-12) of the bank format, generated from the model's key table.

Nothing here lists keys by hand: every property comes from `BANK_KEYS`, `DEFAULTS_KEYS` and
`QUESTION_KEYS` in `quiz.bank.model` and each registered kind's `fields` (`quiz.kinds`, read
when the schema is made), and every value type from `VALUE_SCHEMAS`
below (one entry per `ValueType`; a test checks that none is missing). An editor that reads
the schema (yaml-language-server) completes keys, shows their help, and marks unknown keys.

The schema describes what the loader accepts as YAML 1.2 sees it (the core schema editors
use): a date answer is a string, or a bare year such as `2022`; a text answer written as a
number or `true` is the text the author wrote. It cannot say everything the loader checks
(ids unique within a bank, the right answer not among the distractors, a date that exists,
facts that exist in the source): `quiz banks validate` does.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from quiz.bank.model import (
    BANK_KEYS,
    DEFAULTS_KEYS,
    DIFFICULTIES,
    ID_RE,
    QUESTION_KEYS,
    TEXT_FORMATS,
    KeySpec,
    ValueType,
)
from quiz.kinds import kind_names, registered

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://quiz.invalid/schemas/bank.schema.json"

_NON_EMPTY = r"\S"
# YYYY, YYYY-MM or YYYY-MM-DD with a month 01-12 and a day 01-31 (the loader checks the rest).
_DATE_PATTERN = r"^\s*\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?\s*$"
_NUMBER = r"[+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER_PATTERN = rf"^\s*{_NUMBER}\s*$"
_TOLERANCE_PATTERN = r"^\s*(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*%?\s*$"
# The loader's words for true and false, in any case (JSON Schema patterns have no flags).
_BOOL_WORDS = ("true", "yes", "on", "false", "no", "off")
_BOOL_PATTERN = (
    "^\\s*(?:"
    + "|".join("".join(f"[{c.upper()}{c}]" for c in word) for word in _BOOL_WORDS)
    + ")\\s*$"
)

_TEXT: dict[str, Any] = {"type": "string", "pattern": _NON_EMPTY}
# The loader reads every scalar as the text the author wrote: `1991` or `true` is text too.
_SCALAR_TEXT: dict[str, Any] = {"anyOf": [_TEXT, {"type": "number"}, {"type": "boolean"}]}
_ID: dict[str, Any] = {
    "anyOf": [{"type": "string", "pattern": ID_RE.pattern}, {"type": "integer", "minimum": 0}]
}
_NUMBER_VALUE: dict[str, Any] = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": _NUMBER_PATTERN}]
}

_TOLERANCE: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": _TOLERANCE_PATTERN},
    ]
}
# A credit: a fraction from -1 to 1, or a percentage string from -100% to 100%.
_CREDIT: dict[str, Any] = {
    "description": 'A fraction of the marks from -1 to 1 (0.5), or a percentage ("50%").',
    "anyOf": [
        {"type": "number", "minimum": -1, "maximum": 1},
        {"type": "string", "pattern": r"^\s*-?(?:100(?:\.0*)?|\d{1,2}(?:\.\d*)?|\.\d+)\s*%\s*$"},
    ],
}
# A text in a format of its own (from Moodle): {text, format}.
_FORMATTED: dict[str, Any] = {
    "type": "object",
    "properties": {"text": _SCALAR_TEXT, "format": {"enum": list(TEXT_FORMATS)}},
    "required": ["text", "format"],
    "additionalProperties": False,
}
_TEXT_OR_FORMATTED: dict[str, Any] = {"anyOf": [_SCALAR_TEXT, _FORMATTED]}
# An option with a credit, a format of its own, or both: {text, credit, format}.
_OPTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": _SCALAR_TEXT,
        "credit": _CREDIT,
        "format": {"enum": list(TEXT_FORMATS)},
    },
    "required": ["text"],
    "anyOf": [{"required": ["credit"]}, {"required": ["format"]}],
    "additionalProperties": False,
}

# One JSON Schema per value type of the key table.
VALUE_SCHEMAS: dict[str, dict[str, Any]] = {
    "str": _SCALAR_TEXT,
    "answer-text": _SCALAR_TEXT,
    "id": _ID,
    "ids": {"type": "array", "items": _ID},
    "strs": {"type": "array", "items": _SCALAR_TEXT},
    "option-text": _TEXT_OR_FORMATTED,
    "option-texts": {"type": "array", "items": _TEXT_OR_FORMATTED},
    "formatted": _TEXT_OR_FORMATTED,
    "number": _NUMBER_VALUE,
    "tolerance": _TOLERANCE,
    "bool": {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": _BOOL_PATTERN}]},
    "date": {
        "anyOf": [
            {"type": "string", "pattern": _DATE_PATTERN},
            {"type": "integer", "minimum": 1000, "maximum": 9999},
        ]
    },
    "pairs": {
        "type": "array",
        "items": {
            "type": "array",
            "prefixItems": [_TEXT_OR_FORMATTED, _SCALAR_TEXT],
            "minItems": 2,
            "items": False,
        },
    },
    "options": {"type": "array", "items": {"anyOf": [_SCALAR_TEXT, _OPTION]}},
    "number-answers": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "value": _NUMBER_VALUE,
                "tolerance": _TOLERANCE,
                "credit": _CREDIT,
                "feedback": _TEXT_OR_FORMATTED,
            },
            "required": ["value"],
            "additionalProperties": False,
        },
    },
    "format": {"enum": list(TEXT_FORMATS)},
    "difficulty": {"enum": list(DIFFICULTIES)},
    "kind": {"enum": []},  # the registered kinds, filled in when the schema is made
    "mapping-str": {"type": "object", "additionalProperties": _TEXT_OR_FORMATTED},
    "int": {
        "anyOf": [
            {"type": "integer", "minimum": 1},
            {"type": "string", "pattern": r"^0*[1-9]\d*$"},
        ]
    },
    "points": {
        "anyOf": [
            {"type": "number", "exclusiveMinimum": 0},
            {"type": "string", "pattern": _NUMBER_PATTERN},
        ]
    },
    # The two containers point into `$defs`, which `bank_schema` fills from the key table.
    "questions": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/question"}},
    "defaults": {"$ref": "#/$defs/defaults"},
}


def _property(spec: KeySpec) -> dict[str, Any]:
    schema = dict(VALUE_SCHEMAS[spec.type])
    if spec.min_items:  # a list that must not be empty: what the loader also requires
        schema["minItems"] = spec.min_items
    if spec.type == "kind":
        names = kind_names()
        schema["enum"] = list(names)
        schema["description"] = "One of: " + ", ".join(names) + "."
    elif spec.help:
        schema["description"] = spec.help
    return schema


def _object(specs: tuple[KeySpec, ...]) -> dict[str, Any]:
    return {
        "properties": {spec.name: _property(spec) for spec in specs},
        "required": [spec.name for spec in specs if spec.required],
    }


def bank_schema() -> dict[str, Any]:
    """The JSON Schema of a bank file, as a dict."""
    bank = _object(BANK_KEYS)
    defaults = _object(DEFAULTS_KEYS)
    common = _object(QUESTION_KEYS)
    question: dict[str, Any] = {
        "type": "object",
        "properties": common["properties"],
        "required": common["required"],
        # Each kind adds its answer fields; any other key is an error.
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]},
                "then": {**_object(kind.fields), **kind.schema_rules},
            }
            for kind in registered()
        ],
        "unevaluatedProperties": False,
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "quiz question bank",
        "description": "A bank of questions for `quiz` (see `quiz banks new` for an example).",
        "type": "object",
        "properties": bank["properties"],
        "required": bank["required"],
        "additionalProperties": False,
        "$defs": {
            "defaults": {
                "type": "object",
                "properties": defaults["properties"],
                "additionalProperties": False,
            },
            "question": question,
        },
    }


def schema_text() -> str:
    """The schema as JSON text, ending with a newline."""
    return json.dumps(bank_schema(), indent=2, ensure_ascii=False) + "\n"


def missing_value_types() -> list[str]:
    """Value types of the model that have no schema here (should be none)."""
    return [name for name in get_args(ValueType) if name not in VALUE_SCHEMAS]
