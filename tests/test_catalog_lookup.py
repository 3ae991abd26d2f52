"""`Catalog.bank_with_id`: the bank `entries()` finds for an id, reading only the files that
can hold it (item analysis looks up one bank's credits without loading every bank)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.bank.catalog import Catalog

BANK = """id: {id}
title: A bank
questions:
  - id: q1
    kind: choice
    prompt: Which?
    answer: Yes
    distractors: [No, Maybe]
"""


def by_entries(catalog: Catalog, bank_id: str) -> object:
    bank = next((b for b in catalog.banks() if b.id == bank_id), None)
    return None if bank is None else (bank.id, bank.path, bank.content_hash)


def by_lookup(catalog: Catalog, bank_id: str) -> object:
    bank = catalog.bank_with_id(bank_id)
    return None if bank is None else (bank.id, bank.path, bank.content_hash)


def test_every_id_is_found_as_entries_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "banks"
    extra.mkdir()
    (extra / "mine.yaml").write_text(BANK.format(id="mine"), encoding="utf-8")
    # hides the bundled bank of this id
    (extra / "hides.yaml").write_text(BANK.format(id="rason-exam"), encoding="utf-8")
    (extra / "one.yaml").write_text(BANK.format(id="twice"), encoding="utf-8")
    (extra / "two.yaml").write_text(BANK.format(id="twice"), encoding="utf-8")  # a clash
    (extra / "escaped.yaml").write_text(BANK.format(id='"esc\\x61ped"'), encoding="utf-8")
    (extra / "broken.yaml").write_text("id: [broken\n", encoding="utf-8")
    monkeypatch.setenv("QUIZ_BANKS", str(extra))
    ids = ["mine", "rason-exam", "rason-figures", "twice", "escaped", "broken", "nowhere"]
    for bank_id in ids:
        assert by_lookup(Catalog(), bank_id) == by_entries(Catalog(), bank_id), bank_id
    assert by_lookup(Catalog(), "rason-exam")[1] == str(extra / "hides.yaml")  # type: ignore[index]
    assert by_lookup(Catalog(), "escaped") is not None
    assert by_lookup(Catalog(), "twice") is None


def test_only_the_files_that_can_hold_the_id_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[str] = []
    from quiz.bank import loader

    original = loader.check_bank_bytes

    def counting(data: bytes, path: str, sources: object = None) -> object:
        loaded.append(Path(path).name)
        return original(data, path)

    monkeypatch.setattr(loader, "check_bank_bytes", counting)
    bank = Catalog().bank_with_id("rason-figures")
    assert bank is not None and bank.id == "rason-figures"
    assert "rason-figures.yaml" in loaded
    assert len(loaded) < len(Catalog().entries())  # not every bundled bank was parsed
