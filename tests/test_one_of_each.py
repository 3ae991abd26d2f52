"""One of each helper (issue #11): each is defined once in quiz/, and the one width rule holds
for every table a command prints."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import cli
from quiz.store import Store
from quiz.store.records import BankSnapshot, QuestionSnapshot, ResponseRecord

PACKAGE = Path(__file__).resolve().parent.parent / "quiz"

# name -> the module that defines it, the only one.
ONE_OF_EACH = {
    "PIPE_WIDTH": "ui/terminal.py",
    "output_width": "ui/terminal.py",
    "make_console": "ui/terminal.py",
    "new_table": "ui/terminal.py",
    "TABLE_STYLE": "ui/terminal.py",
    "MARKS": "ui/terminal.py",
    "ASCII_MARKS": "ui/terminal.py",
    "Style": "ui/terminal.py",
    "color_wanted": "ui/terminal.py",
    "wrap_line": "ui/terminal.py",
    "wrap_lines": "ui/terminal.py",
    "MONTH_NAMES": "grading/dates.py",
    "replace_surrogates": "sanitize.py",
    "without_surrogates": "sanitize.py",
    "looks_like_path": "paths.py",
    "format_response": "kinds/base.py",
    "utc_now": "times.py",
    "normalize_time": "times.py",
    "parse_time": "times.py",
    "attempt_order": "times.py",
}


def _definitions() -> dict[str, list[str]]:
    """Every top-level or class-level name defined (def, class, assignment), and where."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            for name in names:
                found.setdefault(name, []).append(where)
    return found


def test_each_helper_is_defined_once() -> None:
    found = _definitions()
    for name, module in ONE_OF_EACH.items():
        assert found.get(name) == [module], f"{name} defined in {found.get(name)}"


def _strings_and_attributes() -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                seen.append((where, node.value))
            elif isinstance(node, ast.Attribute):
                seen.append((where, f".{node.attr}"))
            elif isinstance(node, ast.ImportFrom) and node.module:
                seen += [(where, f"{node.module}:{alias.name}") for alias in node.names]
    return seen


def test_no_second_copy_by_another_name() -> None:
    seen = _strings_and_attributes()
    # Month names: the grading table only, never the locale's.
    assert not [w for w, s in seen if s in {".month_name", ".month_abbr"}]
    assert sorted({w for w, s in seen if s == "September"}) == ["grading/dates.py"]
    # The surrogate range: scrubbed in one place.
    assert sorted({w for w, s in seen if "\ud800" in s}) == ["sanitize.py"]
    # Verdict marks: the terminal's table.
    assert sorted({w for w, s in seen if s in {"✓ right", "✗ wrong", "◐ partly right"}}) == []
    # rich's console and tables: made in the terminal module only.
    rich = {"rich.console:Console", "rich.table:Table", "rich:box"}
    assert sorted({w for w, s in seen if s in rich}) == ["ui/terminal.py"]
    # The width of a pipe: one number.
    assert not [w for w, s in seen if s == "PIPE_WIDTH" and w != "ui/terminal.py"]


# --- the width rule ------------------------------------------------------------------------

LONG = "a-bank-whose-identifier-is-long-enough-to-need-room"


@pytest.fixture
def wide_rows(quiz_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bank folder with a long path, and scores on a bank with a long id and title."""
    folder = tmp_path / ("folder-with-a-long-name-" * 3)
    folder.mkdir()
    (folder / "x.yaml").write_text(
        f"id: {LONG}\ntitle: {'A long title ' * 4}\nquestions:\n"
        "  - {id: q1, kind: text, prompt: Who?, answer: Kim}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("QUIZ_BANKS", str(folder))
    snap = BankSnapshot(
        LONG, "h1", "A long title " * 4, (QuestionSnapshot(LONG, "q1", "text", "Who?", 1.0, "Kim"),)
    )
    with Store.open(quiz_home) as store:
        store.save_snapshot(snap)
        for user in ("someone-with-a-rather-long-user-name", "bob"):
            attempt = store.start_attempt(
                user=user, banks=[(LONG, "h1")], mode="take", seed=1, plan=[(LONG, "q1")]
            )
            store.record_response(attempt, ResponseRecord(LONG, "q1", "Kim", 1.0, 1.0, True))
            store.finish_attempt(attempt)


@pytest.mark.parametrize("columns", ["60", "130", None])
def test_piped_tables_keep_to_columns_else_100(
    wide_rows: None, monkeypatch: pytest.MonkeyPatch, columns: str | None
) -> None:
    # `COLUMNS=60 quiz banks list | cat`: CliRunner's output is not a terminal.
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    width = int(columns or 100)
    widest = 0
    for args in (["banks", "list"], ["scores", "list"], ["scores", "stats"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
        lines = result.output.splitlines()
        assert max(len(line) for line in lines) <= width, (args, result.output)
        widest = max(widest, *(len(line) for line in lines))
    assert widest > min(width, 100) - 15  # the page is used, not some narrower default
