"""The README's two Quickstart commands are what CI runs: keep them in step."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quickstart_has_two_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert commands[0] == "pip install . && quiz take"
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    test_command = quickstart_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in [line.strip() for line in ci.splitlines()]


def test_readme_answer_sheet_grades(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from quiz.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sheet = re.search(r"```yaml\n(bank: rason-figures\n.+?)```", readme, re.S)
    assert sheet is not None
    path = tmp_path / "sheet.yaml"
    path.write_text(sheet.group(1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["grade", "rason-figures", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["user"] == "alice"
    answered = [q for q in data["questions"] if q["response"] is not None]
    assert len(answered) == 3 and all(q["correct"] for q in answered)


def test_readme_python_example_runs(tmp_path: Path) -> None:
    """The "Use from Python" example, run as a user would run it, against a store with one
    attempt of alice's in it."""
    import os
    import subprocess
    import sys

    from click.testing import CliRunner

    from quiz.cli import cli

    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("bank: rason-figures\nuser: alice\nanswers: {china-share: 97}\n")
    recorded = CliRunner().invoke(cli, ["grade", "rason-figures", str(sheet)])
    assert recorded.exit_code == 0, recorded.output

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use from Python", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.+?)```", section, re.S)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "True 1.0 1.0"
    assert lines[1] == "False"
    assert len(lines) == 3 and "finished" in lines[2]


def test_import_quiz_is_light() -> None:
    import subprocess
    import sys

    heavy = ("yaml", "click", "sqlite3", "questionary", "jinja2")
    code = f"import sys, quiz; print(' '.join(m for m in sys.modules if m.startswith({heavy})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_the_api_names_are_all_importable() -> None:
    import quiz

    assert set(quiz.__all__) == {*quiz._API, "__version__"}
    for name in quiz.__all__:
        assert getattr(quiz, name) is not None
