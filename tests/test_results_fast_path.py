"""The results file's fast path for a response (`_fast_response`, #18: a class's file holds a
million) accepts exactly what the field-by-field reader accepts, and reads the same record."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from quiz.formats.results import _checked_response, _fast_response, _Located

_TEXT = st.one_of(st.sampled_from(["b", "q1", " ", "", "other"]), st.text(max_size=5))
_NUMBERS = st.one_of(
    st.integers(min_value=-3, max_value=3),
    st.sampled_from([0.5, 1.0, 2.0, 1e6, 1e6 + 1, -0.0, 10**30, 400 * 24 * 3600]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
_TIMES = st.sampled_from(
    ["2024-06-01T09:00:00+00:00", "2024-06-01T09:00:00Z", "2024-06-01", "not a time", " ", ""]
)
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "bank": st.one_of(_TEXT, st.none(), st.integers()),
    "question": st.one_of(_TEXT, st.none(), st.just(["q1"])),
    "score": _NUMBERS,
    "max_score": _NUMBERS,
    "correct": st.one_of(st.booleans(), st.none(), st.integers(0, 1)),
    "response": st.one_of(
        st.none(),
        _TEXT,
        st.lists(_TEXT, max_size=3),
        st.lists(st.one_of(_TEXT, st.integers()), max_size=3),
        st.dictionaries(_TEXT, _TEXT, max_size=2),
        st.dictionaries(_TEXT, st.integers(), max_size=2),
        st.integers(),
    ),
    "seconds": st.one_of(st.none(), _NUMBERS, st.text(max_size=2)),
    "answered_at": st.one_of(st.none(), _TIMES, st.integers()),
    "skipped": st.one_of(st.booleans(), st.none(), st.integers(0, 1)),
    "graded": st.one_of(st.booleans(), st.none(), st.integers(0, 1)),
    "unknown": st.integers(),
}


@st.composite
def response_objects(draw: st.DrawFn) -> object:
    if draw(st.integers(0, 20)) == 0:
        return draw(st.one_of(st.none(), st.lists(st.integers(), max_size=2), _TEXT))
    keys = draw(st.sets(st.sampled_from(sorted(_VALUES))))
    required = {"bank", "question", "score", "max_score", "correct"}
    if draw(st.booleans()):
        keys |= required  # well-formed more often than not
        keys.discard("unknown")
    return {key: draw(_VALUES[key]) for key in sorted(keys)}


@given(response_objects(), st.sampled_from([set(), {"b"}, {"b", "other"}]))
def test_the_fast_path_reads_what_the_checked_path_reads(data: object, banks: set[str]) -> None:
    fast = _fast_response(data, banks)
    try:
        checked = _checked_response(data, "response 1", banks)
    except _Located:
        assert fast is None
        return
    if fast is not None:  # None: the checked path reads it (always correct, only slower)
        assert fast == checked
        assert type(fast.response) is type(checked.response)


def test_a_well_formed_response_takes_the_fast_path() -> None:
    data = {
        "bank": "b",
        "question": "q1",
        "response": ["x", "y"],
        "score": 1,
        "max_score": 2.0,
        "correct": False,
        "seconds": 3,
        "answered_at": "2024-06-01T09:00:00Z",
    }
    fast = _fast_response(data, {"b"})
    assert fast is not None and fast == _checked_response(data, "response 1", {"b"})
    assert fast.score == 1.0 and isinstance(fast.score, float) and fast.skipped is False
