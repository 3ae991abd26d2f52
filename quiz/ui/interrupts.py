"""Ctrl-C at any instant: answers are saved whole, and a test can interrupt at a named point.

A learner's Ctrl-C must always save and leave (exit 130). Two things make that hold everywhere:
saving an answer is a critical section that a SIGINT waits for (it is re-raised the moment the
answer is stored), and the prompts bind prompt_toolkit's `<sigint>` key (see `quiz.ui.interactive`).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Tests set this to a point's name (optionally `NAME:N`, the N-th time it is reached) to have the
# process send itself SIGINT exactly there: the pseudo-terminal tests use it to hit windows that
# a key sent from outside would only hit by chance.
TEST_HOOK = "QUIZ_TEST_SIGINT_AT"
_reached: dict[str, int] = {}


def checkpoint(name: str) -> None:
    """A named instant of a quiz; a no-op unless a test asked for a SIGINT here."""
    wanted = os.environ.get(TEST_HOOK)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] == (int(nth) if nth.isdigit() else 1):
        os.kill(os.getpid(), signal.SIGINT)


@contextmanager
def deferred_sigint() -> Iterator[None]:
    """Hold a SIGINT that arrives inside the block until the block is done, then raise it.

    Used around storing an answer, so an answer is either stored whole or was never given.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[Any] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *args: caught.append(args))
    except ValueError:  # not the main interpreter
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt
