"""Streamed results files (#18): `scores export` writes a page of attempts at a time and
`scores import` reads, re-grades and merges a chunk at a time. The streamed paths must give
what the whole-file paths give (`read_results` + `merge_results`, and the export built from
`Store.attempts`, both kept as the oracle) on generated stores, keep re-grading every
response, and stay all or nothing."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quiz.app.reports import (
    export_results,
    export_stream,
    import_results,
    merge_results,
    read_results,
)
from quiz.cli import cli
from quiz.errors import ResultsFileError
from quiz.formats.results import needed_snapshots, parse_results_text, results_lines
from quiz.store import Store, totals
from quiz.times import attempt_order
from tests.class_gen import BANK_YAML, make_class


def oracle_export(store: Store, user: str | None = None, bank: str | None = None) -> str:
    """The export as it was before streaming: every attempt loaded, sorted, written."""
    attempts = store.attempts(user=user, bank=bank)
    attempts.sort(key=attempt_order)
    wanted = {pair for a in attempts for pair in a.banks}
    snapshots = needed_snapshots(attempts, store.snapshots(wanted))
    return "".join(line + "\n" for line in results_lines(attempts, snapshots))


def _rounded(value: Any) -> Any:
    """`value` with every float rounded to 9 significant digits, records as tuples: sums of
    the same floats in another order (another database's plan) differ in the last bits."""
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            *(_rounded(getattr(value, f.name)) for f in dataclasses.fields(value)),
        )
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def store_state(home: Path | str) -> dict[str, Any]:
    """Everything the store shows about its attempts, scores and bank versions (floats as
    `_rounded`)."""
    with Store.open(home) as store:
        return _rounded(
            {
                "attempts": sorted(store.attempts(), key=attempt_order),
                "summaries": store.summaries(),
                "groups": store.group_rows(),
                "questions": store.question_rows(),
                "snapshots": store.snapshots(),
                "ungraded": store.ungraded_count(),
            }
        )


def assert_totals_fresh(home: Path | str) -> None:
    """The per-attempt totals kept while merging equal totals computed afresh."""
    with Store.open(home) as store:
        kept = _rounded((store.summaries(), store.group_rows()))
        with store._write() as conn:
            totals.refresh(conn, None)
        assert _rounded((store.summaries(), store.group_rows())) == kept


def seeded(home: Path | str, seed: int) -> None:
    """A generated class, with some claimed scores tampered (so re-grading has work) and some
    attempts left unfinished with fewer responses."""
    made = make_class()
    rng = random.Random(seed)
    attempts = []
    for attempt in made.attempts:
        responses = list(attempt.responses)
        for i, r in enumerate(responses):
            if rng.random() < 0.1:
                responses[i] = dataclasses.replace(r, score=r.max_score - r.score)
        if rng.random() < 0.2:
            attempt = dataclasses.replace(attempt, status="in_progress", finished_at=None)
            responses = responses[: rng.randint(0, len(responses))]
        attempts.append(dataclasses.replace(attempt, responses=tuple(responses)))
    with Store.open(home) as store:
        store.merge(attempts, [made.snapshot])


@pytest.fixture
def bank_file(tmp_path: Path) -> str:
    path = tmp_path / "class-exam.yaml"
    path.write_text(BANK_YAML, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_streamed_export_equals_the_whole_file_export(
    store_location: Path | str, seed: int
) -> None:
    seeded(store_location, seed)
    with Store.open(store_location) as store:
        for user, bank in [(None, None), ("learner03", None), (None, "class-exam"), (None, "x")]:
            expected = oracle_export(store, user, bank)
            assert export_results(store, user=user, bank=bank).text == expected
            streamed = export_stream(store, user=user, bank=bank)
            lines = list(streamed.lines)
            streamed.close()
            assert "".join(lines) == expected
            parsed = parse_results_text(expected)
            assert (streamed.attempts, streamed.snapshots) == (
                len(parsed.attempts),
                len(parsed.snapshots),
            )


def test_export_pages_hold_every_attempt_once_in_order(store_location: Path | str) -> None:
    seeded(store_location, 4)
    with Store.open(store_location) as store:
        pages = store.attempt_pages(page=7)
        count, keys = next(pages)  # type: ignore[misc]
        seen = [a for page in pages for a in page]  # type: ignore[union-attr]
        assert len(seen) == count == 40
        assert [a.id for a in seen] == [a.id for a in sorted(store.attempts(), key=attempt_order)]
        assert keys == sorted({pair for a in seen for pair in a.banks})


def write_file(path: Path, home: Path, user: str | None = None) -> str:
    with Store.open(home) as store:
        path.write_text(export_results(store, user=user, bank=None).text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("seed", "chunk"), [(1, 1), (2, 3), (3, 500)])
@pytest.mark.parametrize("with_bank", [True, False])
def test_streamed_import_equals_the_whole_file_import(
    tmp_path: Path,
    bank_file: str,
    seed: int,
    chunk: int,
    with_bank: bool,
    store_location: Path | str,
) -> None:
    seeded(tmp_path / "source", seed)
    files = [
        write_file(tmp_path / "all.jsonl", tmp_path / "source"),
        write_file(tmp_path / "one.jsonl", tmp_path / "source", user="learner02"),
    ]
    banks = [bank_file] if with_bank else []
    with Store.open(tmp_path / "old") as store:
        old = merge_results(store, read_results(files), bank_paths=banks, home=tmp_path / "old")
    with Store.open(store_location) as store:
        new = import_results(store, files, bank_paths=banks, home=tmp_path / "new", chunk=chunk)
    assert new.as_dict() == old.as_dict()
    assert new.changes  # the tampered scores were re-graded, in both
    assert store_state(store_location) == store_state(tmp_path / "old")
    assert_totals_fresh(store_location)
    # Importing again merges nothing new, alike.
    with Store.open(tmp_path / "old") as store:
        again_old = merge_results(store, read_results(files), bank_paths=banks)
    with Store.open(store_location) as store:
        again_new = import_results(store, files, bank_paths=banks, chunk=chunk)
    assert again_new.as_dict() == again_old.as_dict()
    assert store_state(store_location) == store_state(tmp_path / "old")


def test_streamed_import_with_trusted_scores_equals_the_whole_file_import(
    tmp_path: Path, store_location: Path | str
) -> None:
    seeded(tmp_path / "source", 5)
    files = [write_file(tmp_path / "all.jsonl", tmp_path / "source")]
    with Store.open(tmp_path / "old") as store:
        old = merge_results(store, read_results(files), trust_scores=True)
    with Store.open(store_location) as store:
        new = import_results(store, files, trust_scores=True, chunk=4)
    assert new.as_dict() == old.as_dict()
    assert new.trusted == old.trusted > 0
    assert store_state(store_location) == store_state(tmp_path / "old")


def test_a_file_failing_late_leaves_the_store_unchanged(
    tmp_path: Path, bank_file: str, store_location: Path | str
) -> None:
    seeded(tmp_path / "source", 6)
    good = write_file(tmp_path / "good.jsonl", tmp_path / "source")
    lines = Path(good).read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:40] + "\n", encoding="utf-8")
    seeded(store_location, 7)  # a store holding something already
    before = store_state(store_location)
    with Store.open(store_location) as store, pytest.raises(ResultsFileError) as caught:
        import_results(store, [good, str(bad)], bank_paths=[bank_file], chunk=2)
    assert str(caught.value).startswith(f"{bad}:{len(lines)}: not valid JSON")
    assert store_state(store_location) == before
    with Store.open(tmp_path / "empty") as store, pytest.raises(ResultsFileError):
        import_results(store, [good, str(bad)], chunk=2)
    assert store_state(tmp_path / "empty")["attempts"] == []


def test_copies_that_disagree_across_files_are_named_as_before(
    tmp_path: Path, store_location: Path | str
) -> None:
    seeded(tmp_path / "source", 8)
    first = write_file(tmp_path / "a.jsonl", tmp_path / "source")
    lines = Path(first).read_text(encoding="utf-8").splitlines()
    data = json.loads(lines[2])
    data["responses"][0]["response"] = "something else"
    lines[2] = json.dumps(data)
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    files = [first, str(tmp_path / "b.jsonl")]
    with pytest.raises(ResultsFileError) as old:
        read_results(files)
    with Store.open(store_location) as store, pytest.raises(ResultsFileError) as new:
        import_results(store, files, trust_scores=True)
    assert str(new.value) == str(old.value)
    assert store_state(store_location)["attempts"] == []


def test_scores_export_and_import_commands_stream(tmp_path: Path, bank_file: str) -> None:
    seeded(tmp_path / "source", 9)
    runner = CliRunner()
    out = tmp_path / "out.jsonl"
    env = {"QUIZ_HOME": str(tmp_path / "source")}
    result = runner.invoke(cli, ["scores", "export", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    with Store.open(tmp_path / "source") as store:
        assert out.read_text(encoding="utf-8") == oracle_export(store)
    printed = runner.invoke(cli, ["scores", "export"], env=env)
    assert printed.exit_code == 0 and printed.output == out.read_text(encoding="utf-8")
    refused = runner.invoke(cli, ["scores", "export", "-o", str(out)], env=env)
    assert refused.exit_code == 1 and "exists" in refused.output
    env = {"QUIZ_HOME": str(tmp_path / "dest")}
    result = runner.invoke(cli, ["scores", "import", str(out), "--bank", bank_file], env=env)
    assert result.exit_code == 0, result.output
    assert "40 attempts added" in result.output
    missing = runner.invoke(cli, ["scores", "import", str(tmp_path / "none.jsonl")], env=env)
    assert missing.exit_code == 1 and "no such file" in missing.output
