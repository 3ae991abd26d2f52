"""Notes the library has for the person at the terminal (a bank that hides a bundled one): the
`quiz.notes` logger. The CLI asks for them with `show_with` at start-up; the logger, and the
`logging` module, are only made when a module that writes notes is imported, so that a command
that never looks for a bank does not pay for them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

NAME = "quiz.notes"
_sink: Callable[[str], None] | None = None
_HANDLER = "quiz-notes-sink"  # the name of the one handler that calls the sink


def show_with(sink: Callable[[str], None]) -> None:
    """Send every note to `sink` (one handler, however often it is asked: tests run many
    commands in one process)."""
    global _sink
    _sink = sink
    if "logging" in sys.modules:
        logger()


def logger() -> logging.Logger:
    """The notes' logger: silent (no propagation) unless `show_with` gave it somewhere to go."""
    import logging

    found = logging.getLogger(NAME)
    if not found.handlers:
        found.addHandler(logging.NullHandler())
        found.propagate = False
    if _sink is not None and not any(h.get_name() == _HANDLER for h in found.handlers):

        class SinkHandler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if _sink is not None:
                    _sink(record.getMessage())

        handler = SinkHandler()
        handler.set_name(_HANDLER)
        found.addHandler(handler)
    return found
