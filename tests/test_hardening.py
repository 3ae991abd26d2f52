"""Hardening (#13): every hostile input gives a located message and exit 1 or 2, never a
traceback or a hang; every output is free of raw control characters."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quiz import inputs
from quiz.cli import cli
from quiz.sanitize import RAW_CONTROLS
from tests.conftest import DATA

GOOD = """\
id: good
title: Good
questions:
  - {id: a, kind: text, prompt: Who?, answer: Kim}
"""


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input, env=env)
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args} raised {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2), result.output
    return result


def bank_with(tmp_path: Path, question_extra: str, name: str = "bad") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"id: {name}\ntitle: T\nquestions:\n"
        f"  - id: q\n    kind: choice\n    prompt: P?\n    answer: dog\n"
        f"    distractors: [cat]\n{question_extra}",
        encoding="utf-8",
    )
    return path


# -- 1. tracebacks from banks ------------------------------------------------------------------
BAD_QUESTIONS = {
    "feedback-list-key": ("    feedback: {[dog, cat]: nope}\n", 9, "plain text"),
    "superscript-paragraph": ("    paragraph: ²\n", 9, "whole number"),
    "huge-paragraph": (f"    paragraph: {'9' * 5000}\n", 9, "whole number"),
}


@pytest.mark.parametrize("case", sorted(BAD_QUESTIONS))
@pytest.mark.parametrize("command", ["validate", "show", "take"])
def test_bad_values_in_a_bank_are_located_errors(tmp_path: Path, case: str, command: str) -> None:
    extra, line, words = BAD_QUESTIONS[case]
    path = bank_with(tmp_path, extra)
    args = ["banks", command, str(path)] if command != "take" else ["take", str(path), "--plain"]
    result = run(*args, input="")
    assert result.exit_code == 1
    assert f"bad.yaml:{line}:" in result.output
    assert words in result.output


@pytest.mark.parametrize("paragraph", ["²", "9" * 5000, "٣"])
def test_bad_paragraph_in_a_seeds_record_is_a_located_error(tmp_path: Path, paragraph: str) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "src.yaml").write_text(
        "id: src\ntitle: T\noutlet: O\nfacts:\n"
        f"  - id: f\n    kind: claim\n    statement: S.\n    paragraph: {paragraph}\n",
        encoding="utf-8",
    )
    banks = tmp_path / "banks"
    banks.mkdir()
    bank = banks / "b.yaml"
    bank.write_text(
        "id: b\ntitle: T\nsource: src\nquestions:\n"
        "  - {id: q, kind: text, prompt: P?, answer: A, facts: [f]}\n",
        encoding="utf-8",
    )
    result = run("banks", "validate", str(bank))
    assert result.exit_code == 1
    assert "src.yaml:8:" in result.output and "whole number" in result.output


def test_one_bad_file_in_quiz_banks_breaks_no_other_bank(tmp_path: Path) -> None:
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    for case, (extra, _, _) in BAD_QUESTIONS.items():
        bank_with(folder, extra, name=case)
    env = {"QUIZ_BANKS": str(folder)}
    listed = run("banks", "list", env=env)
    assert listed.exit_code == 0
    assert "good" in listed.output and "INVALID" in listed.output
    taken = run("take", "good", "--plain", input="Kim\n", env=env)
    assert taken.exit_code == 0, taken.output
    assert "1/1" in taken.output or "100" in taken.output


def test_tolerance_too_large_is_not_called_negative(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "id: t\ntitle: T\nquestions:\n"
        "  - {id: q, kind: number, prompt: P?, answer: 1, tolerance: 1e999}\n",
        encoding="utf-8",
    )
    result = run("banks", "validate", str(path))
    assert result.exit_code == 1
    assert "too large" in result.output and "negative" not in result.output


# -- 2. one reader of untrusted input ----------------------------------------------------------
def within_a_minute(*args: str, input: str | None = None) -> Result:
    """`run`, in a thread: a hang fails the test after a minute instead of blocking the suite."""
    outcome: list[Result] = []
    worker = threading.Thread(target=lambda: outcome.append(run(*args, input=input)), daemon=True)
    worker.start()
    worker.join(60)
    assert outcome, f"quiz {' '.join(args)} hung"
    return outcome[0]


def reader_commands(name: str) -> list[tuple[str, ...]]:
    return [
        ("banks", "validate", name),
        ("banks", "show", name),
        ("take", name, "--plain"),
        ("grade", str(DATA / "banks" / "mini.yaml"), name),
        ("scores", "import", name),
        ("banks", "import", name),
        ("banks", "draft", name),
    ]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("index", range(7))
def test_a_fifo_is_refused_without_waiting(fifo: Path, index: int) -> None:
    result = within_a_minute(*reader_commands(str(fifo))[index], input="")
    assert result.exit_code == 1
    assert "pipe.yaml: is a pipe (FIFO)" in result.output and "regular file" in result.output


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("index", range(7))
def test_a_device_is_refused_before_reading(device: str, index: int) -> None:
    result = within_a_minute(*reader_commands(device)[index], input="")
    assert result.exit_code == 1
    assert f"{device}: is a device" in result.output


def test_a_fifo_as_a_seed_record_is_refused(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    os.mkfifo(tmp_path / "seeds" / "src.yaml")
    bank = tmp_path / "b.yaml"
    bank.write_text(
        "id: b\ntitle: T\nsource: src\nquestions:\n"
        "  - {id: q, kind: text, prompt: P?, answer: A, facts: [f]}\n",
        encoding="utf-8",
    )
    result = within_a_minute("banks", "validate", str(bank))
    assert result.exit_code == 1 and "is a pipe (FIFO)" in result.output


@pytest.mark.parametrize(
    ("kind", "command"),
    [
        ("bank", ("banks", "validate", "{}")),
        ("sheet", ("grade", str(DATA / "banks" / "mini.yaml"), "{}")),
        ("results", ("scores", "import", "{}")),
        ("gift", ("banks", "import", "{}")),
    ],
)
def test_each_kind_of_input_has_a_size_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, command: tuple[str, ...]
) -> None:
    monkeypatch.setitem(inputs.LIMITS, kind, 1000)
    path = tmp_path / "big.txt"
    path.write_text("# padding\n" * 200, encoding="utf-8")
    result = run(*(part.replace("{}", str(path)) for part in command))
    assert result.exit_code == 1
    assert "big.txt: is larger than the 1000 bytes" in result.output


def test_a_sheet_can_come_from_stdin(tmp_path: Path) -> None:
    sheet = "answers:\n  capital: Paris\n"
    result = run("grade", str(DATA / "banks" / "mini.yaml"), "-", "--no-record", input=sheet)
    assert result.exit_code == 0, result.output
    assert "capital" in result.output


def test_input_lines_streams_and_caps_each_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b"one\ntwo\n" + b"x" * 50 + b"\n")
    assert list(inputs.input_lines(path, "results"))[:2] == [b"one\n", b"two\n"]
    monkeypatch.setattr(inputs, "LINE_LIMIT", 20)
    with pytest.raises(inputs.InputError, match="line longer than 20 bytes"):
        list(inputs.input_lines(path, "results"))
    monkeypatch.setitem(inputs.LIMITS, "results", 6)
    with pytest.raises(inputs.InputError, match="larger than"):
        list(inputs.input_lines(path, "results"))


# -- 3. no raw control character in any output -----------------------------------------------
# Escapes YAML reads in double quotes: CSI, OSC (8-bit), NEL, RLO, ESC sequences, BEL, CR, BS.
HOSTILE = r"\x9b31m\x9d0;t\x07\x85\u202e\e]0;evil\a\r\b\b\e[2J"
HOSTILE_BANK = f"""\
id: evil
title: "Title {HOSTILE}"
description: "About {HOSTILE}"
questions:
  - id: a
    kind: choice
    prompt: "Pick {HOSTILE}"
    answer: "Right {HOSTILE}"
    distractors: ["Wrong {HOSTILE}"]
    explanation: "Because {HOSTILE}"
  - id: b
    kind: text
    prompt: "Who {HOSTILE}?"
    answer: Kim
"""


def assert_no_raw_controls(text: str) -> None:
    found = RAW_CONTROLS.findall(text)
    assert not found, f"raw control characters {found!r} in {text[:300]!r}"


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "banks"
    folder.mkdir()
    path = folder / "evil.yaml"
    path.write_text(HOSTILE_BANK, encoding="utf-8")
    monkeypatch.setenv("QUIZ_BANKS", str(folder))
    return path


def test_every_json_output_escapes_control_characters(hostile: Path, tmp_path: Path) -> None:
    taken = run("take", "evil", "--plain", "--no-shuffle", input="1\n\u202eKim\x9b\n")
    assert taken.exit_code == 0, taken.output
    assert_no_raw_controls(taken.output)
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text('answers:\n  b: "Kim \\u202e\\x9b"\n', encoding="utf-8")
    attempt = json.loads(run("scores", "list", "--json").stdout)[0]["id"]
    commands = [
        ("banks", "show", "evil", "--json", "--answers"),
        ("banks", "list", "--json"),
        ("banks", "lint", str(hostile), "--json"),
        ("banks", "validate", str(hostile), "--json"),
        ("grade", "evil", str(sheet), "--json"),
        ("scores", "list", "--json"),
        ("scores", "stats", "--json"),
        ("scores", "show", attempt, "--json"),
        ("banks", "export", "evil", "--to", "json"),
    ]
    for command in commands:
        result = run(*command)
        assert result.exit_code in (0, 1), (command, result.output)
        assert_no_raw_controls(result.output)
        json.loads(result.stdout)  # still JSON, the text intact
    shown = json.loads(run("banks", "show", "evil", "--json").stdout)
    assert "\u202e" in shown["title"] and "\x9b" in shown["title"]
    exported = run("scores", "export")
    assert exported.exit_code == 0
    assert_no_raw_controls(exported.output)
    assert all(json.loads(line) for line in exported.stdout.splitlines())
    assert "\\u202e" in exported.stdout


def test_gift_and_yaml_exports_carry_no_raw_control(hostile: Path, tmp_path: Path) -> None:
    gift = run("banks", "export", "evil", "--to", "gift")
    assert gift.exit_code == 0
    assert_no_raw_controls(gift.output)
    first = gift.stdout.splitlines()[0]
    assert first.startswith("// Title") and "\r" not in gift.stdout
    yaml_out = run("banks", "export", "evil", "--to", "yaml")
    assert_no_raw_controls(yaml_out.output)
    assert "\\u202e" in yaml_out.stdout
    # Both read back to the same bank: the exact text travels escaped.
    for fmt, text in (("gift", gift.stdout), ("yaml", yaml_out.stdout)):
        back = tmp_path / f"back.{fmt}"
        back.write_text(text, encoding="utf-8")
        if fmt == "gift":
            out = tmp_path / "back.yaml"
            assert run("banks", "import", str(back), "-o", str(out)).exit_code == 0
            back = out
        original = json.loads(run("banks", "export", str(hostile), "--to", "json").stdout)
        again = json.loads(run("banks", "export", str(back), "--to", "json").stdout)
        assert again["title"] == original["title"]
        assert again["questions"][0]["prompt"] == original["questions"][0]["prompt"]


def test_file_names_in_os_errors_are_cleaned(tmp_path: Path) -> None:
    name = tmp_path / "dir\x1b]0;owned\x07\u202e"
    name.mkdir()
    result = run("banks", "new", "x", "-o", str(name / "sub" / "x.yaml"))
    assert result.exit_code == 1
    assert_no_raw_controls(result.output)


@pytest.mark.parametrize("name", ["a\u202eb", "a\x1bb", "a\u200bb", "a\x9bb", "bo\u2066b"])
def test_user_names_with_invisible_characters_are_refused(tmp_path: Path, name: str) -> None:
    mini = str(DATA / "banks" / "mini.yaml")
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("answers:\n  capital: Paris\n", encoding="utf-8")
    by_option = run("--user", name, "grade", mini, str(sheet))
    assert by_option.exit_code == 2 and "--user" in by_option.output
    by_env = run("grade", mini, str(sheet), env={"QUIZ_USER": name})
    assert by_env.exit_code == 2 and "QUIZ_USER" in by_env.output
    escaped = json.dumps(name)
    sheet.write_text(f"user: {escaped}\nanswers:\n  capital: Paris\n", encoding="utf-8")
    by_sheet = run("grade", mini, str(sheet))
    assert by_sheet.exit_code == 1 and "sheet.yaml:1:7:" in by_sheet.output
    for result in (by_option, by_env, by_sheet):
        assert "user name" in result.output
        assert_no_raw_controls(result.output)


def test_a_results_file_with_an_invisible_user_name_is_refused(tmp_path: Path) -> None:
    mini = str(DATA / "banks" / "mini.yaml")
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("answers:\n  capital: Paris\n", encoding="utf-8")
    assert run("--user", "alice", "grade", mini, str(sheet)).exit_code == 0
    exported = run("scores", "export").stdout
    evil = tmp_path / "evil.jsonl"
    evil.write_text(exported.replace('"user":"alice"', '"user":"ali\\u202ece"'), encoding="utf-8")
    result = run("scores", "import", str(evil))
    assert result.exit_code == 1
    assert "evil.jsonl:" in result.output and "user name" in result.output


# -- 4. alias amplification, and a bounded number of problems ----------------------------------
def alias_bank(value_size: int, aliases: int) -> str:
    head = f'id: amp\ntitle: &t "{"x" * value_size}"\nquestions:\n'
    return head + "".join("  - *t\n" for _ in range(aliases))


def test_scalar_aliases_are_capped_by_total_size(tmp_path: Path) -> None:
    path = tmp_path / "amp.yaml"
    path.write_text(alias_bank(100_000, 1_000), encoding="utf-8")  # 106 KB, 100 MB expanded
    assert path.stat().st_size < 110_000
    result = run("banks", "validate", str(path))
    assert result.exit_code == 1
    assert len(result.output) < 2_000, len(result.output)
    assert "amp.yaml:2:" in result.output and "aliases (*name) repeat values" in result.output


def test_scalar_aliases_use_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    from quiz.bank.loader import check_bank

    path = tmp_path / "amp.yaml"
    path.write_text(alias_bank(500_000, 100_000), encoding="utf-8")  # 1 MB, 50 GB expanded
    tracemalloc.start()
    try:
        bank, problems = check_bank(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert bank is None and len(problems) == 1
    assert peak < 100 * 1024 * 1024, peak


def test_a_few_scalar_aliases_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(
        "id: ok\ntitle: T\nquestions:\n"
        "  - {id: a, kind: text, prompt: P?, answer: &k Kim, explanation: &e Because.}\n"
        "  - {id: b, kind: text, prompt: Q?, answer: *k, explanation: *e}\n",
        encoding="utf-8",
    )
    assert run("banks", "validate", str(path)).exit_code == 0


def test_problems_per_file_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    line = "  - {{id: q{}, kind: number, prompt: P?, answer: x}}\n"
    questions = "".join(line.format(i) for i in range(3000))
    path.write_text("id: many\ntitle: T\nquestions:\n" + questions, encoding="utf-8")
    result = run("banks", "validate", str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) < 110
    assert "… 2900 more problem(s) not shown, 2900 of them error(s)" in result.output
    located = [line for line in lines if line.startswith(str(path) + ":")]
    numbers = [int(line.split(":")[1]) for line in located if line.split(":")[1].isdigit()]
    assert numbers == sorted(numbers) and numbers[0] == 4


def test_a_bank_of_only_warnings_past_the_cap_is_still_valid(tmp_path: Path) -> None:
    """The count of problems not shown is a warning when they all are: 3,000 drafts make a
    valid bank (it once counted as an error, and the bank was refused)."""
    path = tmp_path / "drafts.yaml"
    line = "  - {{id: q{0}, kind: text, prompt: P{0}?, answer: A{0}, draft: true}}\n"
    questions = "".join(line.format(i) for i in range(3000))
    path.write_text("id: drafts\ntitle: T\nquestions:\n" + questions, encoding="utf-8")
    result = run("banks", "validate", str(path))
    assert result.exit_code == 0, result.output[-500:]
    assert f"{path}: warning: … 2900 more warning(s) not shown" in result.output
    assert "1 file(s) valid." in result.output
    shown = run("banks", "validate", "--json", str(path))
    counted = json.loads(shown.output)[-1]
    assert counted["severity"] == "warning" and counted["line"] is None


def test_errors_past_the_cap_are_shown_before_warnings_and_all_counted(tmp_path: Path) -> None:
    """3,000 drafts (warnings) then 5 questions without an answer (errors): the errors take
    the place of warnings in the 100 lines shown, located, and every count says 5 errors."""
    path = tmp_path / "mixed.yaml"
    line = "  - {{id: q{0}, kind: text, prompt: P{0}?, answer: A{0}, draft: true}}\n"
    drafts = "".join(line.format(i) for i in range(3000))
    bad = "".join(f"  - {{id: bad{i}, kind: text, prompt: B{i}?}}\n" for i in range(5))
    path.write_text("id: mixed\ntitle: T\nquestions:\n" + drafts + bad, encoding="utf-8")
    result = run("banks", "validate", str(path))
    assert result.exit_code == 1
    shown = [line for line in result.output.splitlines() if "[bad" in line]
    assert len(shown) == 5 and all(line.startswith(f"{path}:300") for line in shown), shown
    # the errors took the place of 5 warnings: what is left out is only warnings
    assert f"{path}: warning: … 2905 more warning(s) not shown" in result.output
    assert "1 of 1 file(s) invalid, 5 error(s)." in result.output
    problems = json.loads(run("banks", "validate", "--json", str(path)).output)
    assert len(problems) == 101
    assert sum(p["severity"] == "error" and p["line"] is not None for p in problems) == 5
    taken = run("take", "--plain", str(path))
    assert taken.exit_code == 1
    assert "Error: 5 problems found." in taken.output


def test_every_error_past_the_cap_is_counted(tmp_path: Path) -> None:
    path = tmp_path / "errors.yaml"
    bad = "".join(f"  - {{id: bad{i}, kind: text, prompt: B{i}?}}\n" for i in range(150))
    path.write_text("id: errors\ntitle: T\nquestions:\n" + bad, encoding="utf-8")
    result = run("banks", "validate", str(path))
    assert "… 50 more problem(s) not shown, 50 of them error(s)" in result.output
    assert "1 of 1 file(s) invalid, 150 error(s)." in result.output
    assert "Error: 150 problems found." in run("take", "--plain", str(path)).output


# -- 5. the store: every read inside the error boundary ----------------------------------------
READ_COMMANDS = [
    ("scores", "list"),
    ("scores", "list", "--json"),
    ("scores", "stats"),
    ("scores", "stats", "--json"),
    ("scores", "report"),
    ("scores", "report", "--by", "question"),
    ("scores", "export"),
    ("scores", "show", "{id}"),
    ("scores", "show", "{id}", "--json"),
]
EDITS = {
    "response-not-json": "UPDATE responses SET response = 'not json{'",
    "snapshot-wrong-shape": "UPDATE snapshots SET questions = '{\"a\": 1}'",
    "snapshot-of-numbers": "UPDATE snapshots SET questions = '[1, 2]'",
    "text-score": "UPDATE responses SET score = 'abc'",
    "text-total": "UPDATE attempt_scores SET score = 'abc'",
    "no-attempt-scores": "DROP TABLE attempt_scores",
    "plan-not-json": "UPDATE attempts SET plan = 'x'",
    "bytes-user": "UPDATE attempts SET user_name = x'ff00'",
}


def recorded_store(quiz_home: Path, tmp_path: Path) -> str:
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("answers:\n  capital: Paris\n  author: Shakespeare\n", encoding="utf-8")
    assert run("grade", str(DATA / "banks" / "mini.yaml"), str(sheet)).exit_code == 0
    attempt: str = json.loads(run("scores", "list", "--json").stdout)[0]["id"]
    return attempt


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_rows_edited_by_hand_give_a_message(quiz_home: Path, tmp_path: Path, edit: str) -> None:
    import sqlite3

    attempt = recorded_store(quiz_home, tmp_path)
    conn = sqlite3.connect(quiz_home / "scores.db")
    conn.executescript(EDITS[edit])
    conn.commit()
    conn.close()
    failed = 0
    for command in READ_COMMANDS:
        result = run(*(part.replace("{id}", attempt[:8]) for part in command))
        assert_no_raw_controls(result.output)
        if result.exit_code == 1:
            failed += 1
            assert "score store" in result.output, (command, result.output)
    assert failed, "the damage went unnoticed by every command"


def test_a_damaged_store_names_itself(quiz_home: Path, tmp_path: Path) -> None:
    import sqlite3

    recorded_store(quiz_home, tmp_path)
    conn = sqlite3.connect(quiz_home / "scores.db")
    conn.execute("UPDATE responses SET score = 'abc'")
    conn.commit()
    conn.close()
    result = run("scores", "export")
    assert result.exit_code == 1
    assert "is damaged" in result.output and "scores.db" in result.output


def test_a_dangling_store_link_is_refused_by_every_command(quiz_home: Path) -> None:
    (quiz_home / "scores.db").symlink_to(quiz_home / "nowhere" / "scores.db")
    for command in [*READ_COMMANDS, ("take", str(DATA / "banks" / "mini.yaml"), "--plain")]:
        result = run(*(part.replace("{id}", "abc") for part in command), input=":quit\n")
        assert result.exit_code == 1, (command, result.output)
        assert "broken symbolic link" in result.output


def _read_only_runner() -> list[str] | None:
    """A command prefix that runs with the home on a read-only file system, or None."""
    import shutil
    import subprocess

    if os.geteuid() != 0:
        return []  # chmod is enough
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = subprocess.run([unshare, "-rm", "true"], capture_output=True, check=False)
    return [unshare, "-rm"] if probe.returncode == 0 else None


def test_a_read_only_home_lets_read_commands_work(quiz_home: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    prefix = _read_only_runner()
    if prefix is None:
        pytest.skip("cannot make a read-only folder here")
    recorded_store(quiz_home, tmp_path)
    quiz = f"{sys.executable} -m quiz"
    script = "\n".join(
        [
            *(
                f"{quiz} {' '.join(c).replace('{id}', '')} >/dev/null || exit 9"
                for c in READ_COMMANDS[:7]
            ),
            f"{quiz} grade {DATA / 'banks' / 'mini.yaml'} {tmp_path / 'sheet.yaml'}; echo rc=$?",
        ]
    )
    if prefix:
        script = (
            f"mount --bind {quiz_home} {quiz_home} && mount -o remount,bind,ro {quiz_home}\n"
            + script
        )
    else:
        quiz_home.chmod(0o500)
        (quiz_home / "scores.db").chmod(0o400)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [*prefix, "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if not prefix:
        quiz_home.chmod(0o700)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rc=1" in done.stdout and "read-only" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_full_disk_during_grade_leaves_no_half_written_attempt(
    quiz_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz.store import dialect

    recorded_store(quiz_home, tmp_path)
    connect = dialect.connect

    def full(path: Path) -> dialect.Connection:
        conn = connect(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(dialect, "connect", full)
    sheet = tmp_path / "big.yaml"
    sheet.write_text(f"answers:\n  author: {'x' * 200_000}\n", encoding="utf-8")
    result = run("grade", str(DATA / "banks" / "mini.yaml"), str(sheet))
    assert result.exit_code == 1
    assert "full" in result.output
    monkeypatch.setattr(dialect, "connect", connect)
    listed = json.loads(run("scores", "list", "--json").stdout)
    assert len(listed) == 1 and listed[0]["status"] == "finished"


# -- 6. GIFT import ----------------------------------------------------------------------------
GIFT_CASES = {
    "huge-integer": ('// quiz: {"points": ' + "9" * 5000 + "}\n", "1:9:", "too long a number"),
    "deep-lists": ("// quiz: " + "[" * 100_000 + "\n", "1:9:", "nested too deeply"),
    "deep-objects": ('// quiz: {"a": ' + '{"a": ' * 100_000 + "\n", "1:9:", "nested too deeply"),
    "deep-but-valid": ('// quiz: {"tags": ' + "[" * 500 + "]" * 500 + "}\n", "1:9:", "deeply"),
    "superscript-paragraph": ('// quiz: {"paragraph": "²"}\n', "1:1:", "whole number"),
}


@pytest.mark.parametrize("case", sorted(GIFT_CASES))
def test_hostile_quiz_comments_in_gift_are_located_errors(tmp_path: Path, case: str) -> None:
    comment, where, words = GIFT_CASES[case]
    path = tmp_path / "in.gift"
    path.write_text(comment + "::a:: Which? {=yes ~no}\n", encoding="utf-8")
    result = within_a_minute("banks", "import", str(path), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 1
    assert f"in.gift:{where}" in result.output and words in result.output
    assert not (tmp_path / "out.yaml").exists()


# -- 7. smaller ones ---------------------------------------------------------------------------
def test_a_new_bank_file_name_cannot_write_a_yaml_line(tmp_path: Path) -> None:
    target = tmp_path / "new\nid: evil.yaml"
    result = run("banks", "new", "my-bank", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "\nid: evil" not in text
    assert run("banks", "validate", str(target)).exit_code == 0
    assert_no_raw_controls(result.output)


def test_grade_turns_only_parser_errors_into_wrong_marks(monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.bank.loader import load_bank
    from quiz.grading.hints import unreadable
    from quiz.kinds import find_kind, grade

    question = next(
        q for q in load_bank(DATA / "banks" / "mini.yaml").questions if q.kind == "number"
    )
    kind = find_kind("number")
    assert kind is not None

    def unreadable_grade(q: object, response: object) -> object:
        raise unreadable("number.range")

    monkeypatch.setattr(kind, "grade", unreadable_grade)
    marked = grade(question, "12")
    assert not marked.correct and marked.hint is not None and marked.hint.code == "number.range"

    def buggy_grade(q: object, response: object) -> object:
        return {}["a grader bug"]

    monkeypatch.setattr(kind, "grade", buggy_grade)
    with pytest.raises(KeyError):
        grade(question, "12")


def test_the_design_example_sheet_grades_against_its_bank(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "design.md").read_text("utf-8")
    start = text.index("```yaml", text.index("## Answer sheets")) + len("```yaml\n")
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text(text[start : text.index("```", start)], encoding="utf-8")
    result = run("grade", "rason-figures", str(sheet), "--no-record", "--json")
    assert result.exit_code == 0, result.output
    graded = json.loads(result.stdout)
    assert sum(q["correct"] for q in graded["questions"]) == 3
