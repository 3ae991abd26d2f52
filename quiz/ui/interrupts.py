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

# Tests set these to a point's name (optionally `NAME:N`, the N-th time it is reached) to act
# exactly there: the pseudo-terminal tests use them to hit windows that a key sent from outside
# would only hit by chance. SIGINT_AT: the process sends itself SIGINT. CTRL_C_AT: Ctrl-C is
# typed on the controlling terminal (TIOCSTI), as if the learner pressed it at that instant.
TEST_HOOK = "QUIZ_TEST_SIGINT_AT"
TYPE_HOOK = "QUIZ_TEST_CTRL_C_AT"
_reached: dict[tuple[str, str], int] = {}


def checkpoint(name: str) -> None:
    """A named instant of a quiz; a no-op unless a test asked for a Ctrl-C here."""
    for hook in (TEST_HOOK, TYPE_HOOK):
        wanted = os.environ.get(hook)
        if not wanted:
            continue
        point, _, nth = wanted.partition(":")
        if point != name:
            continue
        _reached[hook, name] = _reached.get((hook, name), 0) + 1
        if _reached[hook, name] != (int(nth) if nth.isdigit() else 1):
            continue
        if hook == TEST_HOOK:
            os.kill(os.getpid(), signal.SIGINT)
        else:
            _type_ctrl_c()


def _type_ctrl_c() -> None:
    import fcntl
    import termios

    with open("/dev/tty", "rb", buffering=0) as tty:
        fcntl.ioctl(tty.fileno(), termios.TIOCSTI, b"\x03")


@contextmanager
def keys_not_signals(stream: Any) -> Iterator[None]:
    """While the block runs, Ctrl-C, Ctrl-D and the like reach the program as bytes to read.

    Turns off the terminal's ISIG and ICANON (and echo) on `stream`, as prompt_toolkit's raw
    mode will, but before prompt_toolkit starts; restores the settings after. A no-op when
    `stream` is not a terminal.
    """
    try:
        import termios
    except ImportError:  # not POSIX
        yield
        return
    try:
        fd = stream.fileno()
        before = termios.tcgetattr(fd)
    except (AttributeError, ValueError, OSError, termios.error):
        yield
        return
    changed = list(before)
    changed[3] = before[3] & ~(termios.ISIG | termios.ICANON | termios.ECHO | termios.IEXTEN)
    changed[6] = list(before[6])
    changed[6][termios.VMIN] = 1
    changed[6][termios.VTIME] = 0
    try:
        termios.tcsetattr(fd, termios.TCSANOW, changed)
    except termios.error:
        yield
        return
    try:
        yield
    finally:
        try:
            termios.tcsetattr(fd, termios.TCSANOW, before)
        except termios.error:
            pass


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
