"""The model -> plain data -> YAML: what `banks import` writes and what round trips check.

Keys come out in the key table's order, with only what differs from the defaults, so a dumped
bank reads like one an author wrote.
"""

from __future__ import annotations

from typing import Any

from quiz.bank.model import (
    BANK_KEYS,
    QUESTION_KEYS,
    Bank,
    Defaults,
    NumberAnswer,
    PartialDate,
    Question,
    Tolerance,
)
from quiz.kinds import kind_of


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Tolerance):
        return str(value) if value.relative else _plain(value.value)
    if isinstance(value, NumberAnswer):
        out: dict[str, Any] = {"value": _plain(value.value)}
        if value.tolerance != Tolerance():
            out["tolerance"] = _plain(value.tolerance)
        if value.credit != 1:
            out["credit"] = _plain(value.credit)
        if value.feedback is not None:
            out["feedback"] = value.feedback
        return out
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple) and value and all(isinstance(v, NumberAnswer) for v in value):
        return [_plain(v) for v in value]
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) for v in value):
        return [list(v) for v in value]
    if isinstance(value, tuple):
        return list(value)
    return value


def question_to_dict(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id, "kind": question.kind, "prompt": question.prompt}
    kind = kind_of(question)
    for spec in kind.fields:
        value = kind.field_value(question, spec.name)
        if spec.required or value not in (None, (), [], False, Tolerance()):
            data[spec.name] = _plain(value)
    for spec in QUESTION_KEYS:
        if spec.name in data:
            continue
        value = getattr(question, spec.name)
        if value in (None, (), False):
            continue
        data[spec.name] = dict(value) if spec.name == "feedback" else _plain(value)
    return inline_formats(data, dict(question.formats))


def inline_formats(data: dict[str, Any], formats: dict[str, str]) -> dict[str, Any]:
    """A question's data (bank keys, plain values) with each text that has a format of its own
    (`Question.formats`) written where it stands as {text, format}: options, left items,
    feedback messages, number answers' feedback and the explanation. The GIFT and Moodle XML
    readers give their data in this form too."""
    from quiz.kinds import find_kind

    if not formats:
        return data

    def mark(value: Any) -> Any:
        if isinstance(value, str) and value in formats:
            return {"text": value, "format": formats[value]}
        if isinstance(value, dict) and value.get("text") in formats and "format" not in value:
            return {**value, "format": formats[value["text"]]}
        return value

    kind = find_kind(str(data.get("kind")))
    for spec in kind.fields if kind is not None else ():
        value = data.get(spec.name)
        if value is None:
            continue
        if spec.type == "option-text":
            data[spec.name] = mark(value)
        elif spec.type in ("option-texts", "options"):
            data[spec.name] = [mark(item) for item in value]
        elif spec.type == "pairs":
            data[spec.name] = [[mark(pair[0]), *pair[1:]] for pair in value]
        elif spec.type == "number-answers":
            data[spec.name] = [
                {**item, "feedback": mark(item["feedback"])} if "feedback" in item else item
                for item in value
            ]
    if isinstance(data.get("feedback"), dict):
        data["feedback"] = {key: mark(message) for key, message in data["feedback"].items()}
    if "explanation" in data:
        data["explanation"] = mark(data["explanation"])
    return data


def bank_to_dict(bank: Bank) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for spec in BANK_KEYS:
        if spec.name == "questions":
            data["questions"] = [question_to_dict(q) for q in bank.questions]
        elif spec.name == "defaults":
            if bank.defaults != Defaults():
                data["defaults"] = {
                    "points": _plain(float(bank.defaults.points)),
                    "shuffle_choices": bank.defaults.shuffle_choices,
                }
        else:
            value = getattr(bank, spec.name)
            if value is not None:
                data[spec.name] = value
    return data


def dump_bank(bank: Bank) -> str:
    """YAML text that loads back to an equal bank (every string quoted where YAML would guess)."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    from quiz.sanitize import RAW_CONTROLS, escape_controls

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        # A control or bidi character: double quotes, where `\\uXXXX` (written below) is an
        # escape, so no such character is ever written raw.
        style = '"' if RAW_CONTROLS.search(value) else "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    text = yaml.dump(
        bank_to_dict(bank), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    # Only double-quoted scalars can hold these characters (see `_str`).
    return escape_controls(text)
