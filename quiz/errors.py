"""Domain errors. The library raises these; `quiz.cli` turns them into messages in one place."""

from __future__ import annotations

from dataclasses import dataclass

# The longest message a problem keeps, in characters: one quoting a value in full (a 1 MB
# fraction in a Moodle XML file, a sheet's 2 MB answer) would be megabytes on one line.
MAX_MESSAGE = 400
# The longest question id shown in a problem's [label] (an imported question's may be its name).
MAX_LABEL = 80


def shortened(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One located finding in a file: `path:line:col: [question] message`."""

    path: str
    line: int | None
    column: int | None
    message: str
    question: str | None = None
    severity: str = "error"  # "error" or "warning"
    # A line that counts the problems not shown past a file's cap: how many of them are errors.
    hidden_errors: int = 0

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE:
            object.__setattr__(self, "message", shortened(self.message, MAX_MESSAGE))

    @property
    def errors(self) -> int:
        """How many errors this line stands for: itself, or the errors it counts."""
        return self.hidden_errors or int(self.severity == "error")

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        label = f"[{shortened(self.question, MAX_LABEL)}] " if self.question else ""
        kind = "warning: " if self.severity == "warning" else ""
        return f"{where}: {kind}{label}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "question": self.question,
            "message": self.message,
            "severity": self.severity,
        }


class QuizError(Exception):
    """Anything a user can cause and fix: shown as a message, exit code 1."""

    exit_code = 1


class UsageProblem(QuizError):
    """The command line itself is wrong: exit code 2."""

    exit_code = 2


class BankError(QuizError):
    """A bank (or seed record) is invalid. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = [p for p in problems if p.severity == "error"] or problems
        super().__init__("\n".join(str(p) for p in self.problems))


class NotFound(QuizError):
    """A bank, attempt or file that was asked for does not exist."""


class AnswerSheetError(QuizError):
    """An answer sheet for `quiz grade` is malformed."""


class StoreError(QuizError):
    """The score store cannot be opened or used (not SQLite, from a newer quiz, ...)."""


class ConnectionLost(StoreError):
    """The connection to the class store's server went away (ended, dropped, the server down):
    what was committed before is kept; the statement in flight was not."""


class ResultsFileError(QuizError):
    """A results file for `quiz scores import` is malformed; nothing was imported."""


class Interrupted(QuizError):
    """The learner stopped a quiz (Ctrl-C, Ctrl-D or quit): answers so far are saved."""

    exit_code = 130
