"""quiz: quizzes in the terminal, and a small Python API.

    import quiz

    bank = quiz.find_bank("rason-figures")          # or quiz.load_bank("path/to/bank.yaml")
    question = bank.question("china-share")
    result = quiz.grade(question, "97 percent")      # result.score, .max_score, .correct
    for attempt in quiz.attempts(user="alice"):      # the store in QUIZ_HOME (or the user dir)
        print(attempt.id, attempt.score, attempt.max_score)

Names are imported on first use, so `import quiz` (and `quiz --help`) load nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it (imported when the name is first used)
_API = {
    "load_bank": "quiz.api",
    "find_bank": "quiz.api",
    "grade": "quiz.api",
    "open_store": "quiz.api",
    "attempts": "quiz.api",
    "QuizError": "quiz.errors",
    "BankError": "quiz.errors",
}
__all__ = [
    "BankError",
    "QuizError",
    "__version__",
    "attempts",
    "find_bank",
    "grade",
    "load_bank",
    "open_store",
]

if TYPE_CHECKING:
    from quiz.api import attempts, find_bank, grade, load_bank, open_store
    from quiz.errors import BankError, QuizError


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'quiz' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
