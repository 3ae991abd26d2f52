"""One file writer for every `-o FILE` (issue #11, intended change): it refuses to replace a file
without --force, writes atomically, and gives results files owner-only permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from quiz.app import files
from quiz.app.files import PRIVATE_MODE, write_output
from quiz.cli import cli
from quiz.errors import QuizError
from tests.test_reports_cli import class_attempts, seed

DATA = Path(__file__).resolve().parent / "data"

# Every command with -o, with the arguments that make it write something.
WRITERS: dict[str, list[str]] = {
    "banks schema": ["banks", "schema"],
    "banks new": ["banks", "new", "demo"],
    "banks import": ["banks", "import", str(DATA / "gift" / "constructs.gift")],
    "banks export": ["banks", "export", str(DATA / "banks" / "mini.yaml")],
    "banks draft": ["banks", "draft", str(DATA / "draft" / "harbour.txt")],
    "scores export": ["scores", "export"],
    "scores report": ["scores", "report"],
}


def quiz(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    seed(tmp_path / "home", class_attempts())
    return tmp_path / "home"


def leftovers(folder: Path, name: str) -> list[str]:
    """Temporary files of the writer (`.NAME.*.tmp`) left in `folder`."""
    return [p.name for p in folder.iterdir() if p.name.startswith(f".{name}.")]


# --- every -o command -----------------------------------------------------------------------


def test_every_command_with_output_has_force() -> None:
    """A new command's -o gets the same rule: it must offer --force."""

    def walk(command: click.Command, path: str) -> list[str]:
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            return [
                found
                for name in command.list_commands(ctx)
                for found in walk(command.get_command(ctx, name), f"{path} {name}")  # type: ignore[arg-type]
            ]
        names = {param.name for param in command.params}
        return [path.strip()] if "output" in names else []

    with_output = walk(cli, "")
    assert sorted(with_output) == sorted(WRITERS)
    for path in with_output:
        group, _, name = path.partition(" ")
        command = cli.get_command(click.Context(cli), group)
        assert isinstance(command, click.Group)
        sub = command.get_command(click.Context(command), name)
        assert sub is not None and "force" in {p.name for p in sub.params}, path


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_refuses_to_replace_a_file_without_force(name: str, home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("keep me", encoding="utf-8")
    result = quiz(home, *WRITERS[name], "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "exists: give --force to replace it" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    assert leftovers(tmp_path, "out.txt") == []


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_replaces_a_file_with_force(name: str, home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("keep me", encoding="utf-8")
    result = quiz(home, *WRITERS[name], "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text != "keep me" and text.strip()
    printed = quiz(home, *WRITERS[name]).stdout
    if name not in {"scores report", "banks new"}:  # (the table is drawn; new names the file)
        assert text == printed


def test_a_results_file_is_owner_only(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "class.jsonl"
    assert quiz(home, "scores", "export", "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    out.chmod(0o644)  # replacing one gives it the results file's mode too
    assert quiz(home, "scores", "export", "-o", str(out), "--force").exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_other_files_follow_the_umask(home: Path, tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        out = tmp_path / "report.html"
        assert quiz(home, "scores", "report", "--format", "html", "-o", str(out)).exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "class.jsonl"
    out.write_text("the old export\n", encoding="utf-8")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", fail)
    result = quiz(home, "scores", "export", "-o", str(out), "--force")
    assert result.exit_code == 1
    assert f"{out}: No space left on device" in result.output
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "the old export\n"
    assert leftovers(tmp_path, "class.jsonl") == []


def test_dash_still_prints(home: Path) -> None:
    result = quiz(home, "banks", "schema", "-o", "-")
    assert result.exit_code == 0 and result.stdout.startswith("{")


# --- the writer itself ----------------------------------------------------------------------


def test_write_output_writes_text_and_bytes(tmp_path: Path) -> None:
    write_output(tmp_path / "a.txt", "héllo\n", force=False)
    assert (tmp_path / "a.txt").read_bytes() == "héllo\n".encode()
    write_output(tmp_path / "b.bin", b"\x00\x01", force=False, mode=PRIVATE_MODE)
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert stat.S_IMODE((tmp_path / "b.bin").stat().st_mode) == 0o600


def test_write_output_refuses_without_force(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(QuizError, match="--force"):
        write_output(target, "new", force=False)
    assert target.read_text(encoding="utf-8") == "old"
    write_output(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"


def test_write_output_refuses_folders_and_special_files(tmp_path: Path) -> None:
    with pytest.raises(QuizError, match="is a folder"):
        write_output(tmp_path, "x", force=True)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(QuizError, match="not a regular file"):
        write_output(fifo, "x", force=True)  # a rename would replace the FIFO, not feed it
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_write_output_replaces_a_symlinks_target_not_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(QuizError, match="--force"):
        write_output(link, "new", force=False)
    write_output(link, "new", force=True)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_write_output_failing_mid_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")

    def fail(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(OSError) as caught:
        write_output(target, "new", force=True)
    assert caught.value.filename == str(target)  # the name asked for, not the temporary one
    assert target.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path, "a.txt") == []


def test_write_output_in_a_missing_folder_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "a.txt"
    with pytest.raises(OSError) as caught:
        write_output(target, "x", force=False)
    assert caught.value.filename == str(target)
