"""`attempts.response_value`: a stored response read without the JSON decoder when it is a
plain JSON string gives exactly what `json.loads` gives, for any text."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from quiz.store.attempts import response_value

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=8,
)


def decoded(text: str) -> object:
    try:
        return ("value", json.loads(text))
    except ValueError:
        return ("error",)


def ours(text: str) -> object:
    try:
        return ("value", response_value(text))
    except ValueError:
        return ("error",)


@given(JSON, st.booleans())
def test_any_stored_value_reads_back(value: object, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert ours(text) == decoded(text)


@given(st.text())
def test_any_text_reads_as_json_loads_reads_it(inner: str) -> None:
    for text in (inner, f'"{inner}"', json.dumps(inner)):
        assert ours(text) == decoded(text)


def test_plain_strings_and_their_edges() -> None:
    for text in ['"Russia"', '""', '"a\\"b"', '"a"b"', '"\\u00e9"', '"\x01"', '"\u2028"', '"', "1"]:
        assert ours(text) == decoded(text), text
