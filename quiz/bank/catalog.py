"""Finding banks: the bundled ones, folders in `QUIZ_BANKS`, explicit paths, and ids.

Listing reads every bank once; an id is resolved by scanning the known folders, so a bank is
found the same way from any working directory, installed or editable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quiz.bank.model import Bank, Source
from quiz.errors import BankError, NotFound, Problem, UsageProblem
from quiz.paths import bundled_dir, extra_bank_dirs

BANK_SUFFIXES = (".yaml", ".yml")


def looks_like_path(name: str) -> bool:
    """Whether a BANK argument names a file rather than an id: a slash (or backslash) in it, or
    a YAML suffix. The one "is it a path?" test (an id is [a-z0-9-]+)."""
    return "/" in name or "\\" in name or name.lower().endswith(BANK_SUFFIXES)


@dataclass(frozen=True)
class Entry:
    """One bank file the catalog knows, loaded or not."""

    path: Path
    origin: str  # "bundled", "QUIZ_BANKS" or "path"
    bank: Bank | None
    problems: tuple[Problem, ...] = ()


def bank_files(folder: Path) -> list[Path]:
    """The bank files in a folder (not recursive: subfolders are the author's business)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in BANK_SUFFIXES and p.is_file())


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given, folders as their bank files (recursively), known bank ids as their
    files: what validate and lint check."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in BANK_SUFFIXES and p.is_file())
        elif path.exists():
            found.append(path)
        elif _is_id(str(given)) and (known := _known_file(str(given))) is not None:
            found.append(known)
        else:
            raise NotFound(f"{given}: no such file or folder, nor a known bank id")
    return found


def _known_file(bank_id: str) -> Path | None:
    """The file of a known bank (valid or not: validate should show why not)."""
    for entry in Catalog().entries():
        if (entry.bank.id if entry.bank else entry.path.stem) == bank_id:
            return entry.path
    return None


class Catalog:
    def __init__(self, folders: list[tuple[Path, str]] | None = None) -> None:
        if folders is None:
            folders = [(bundled_dir("banks"), "bundled")]
            folders += [(folder, "QUIZ_BANKS") for folder in extra_bank_dirs()]
        self.folders = folders
        self._entries: list[Entry] | None = None

    def entries(self) -> list[Entry]:
        """Every bank in the known folders, loaded; two files with one id is an error."""
        if self._entries is None:
            from quiz.bank.loader import check_bank

            entries = []
            for folder, origin in self.folders:
                for file in bank_files(folder):
                    bank, problems = check_bank(file)
                    entries.append(Entry(file, origin, bank, tuple(problems)))
            self._check_unique(entries)
            self._entries = entries
        return self._entries

    @staticmethod
    def _check_unique(entries: list[Entry]) -> None:
        seen: dict[str, Path] = {}
        for entry in entries:
            if entry.bank is None:
                continue
            first = seen.get(entry.bank.id)
            if first is not None and first.resolve() != entry.path.resolve():
                raise BankError(
                    [
                        Problem(
                            str(entry.path),
                            None,
                            None,
                            f"bank id '{entry.bank.id}' is also used by {first}",
                        )
                    ]
                )
            seen[entry.bank.id] = entry.path

    def banks(self) -> list[Bank]:
        return [entry.bank for entry in self.entries() if entry.bank is not None]

    def ids(self) -> list[str]:
        return [bank.id for bank in self.banks()]

    def resolve(self, name: str | Path) -> Bank:
        """A bank by path (anything with a slash or a YAML suffix, or an existing file) or id."""
        from quiz.bank.loader import load_bank

        text = str(name)
        path = Path(text)
        if looks_like_path(text) or (path.is_file() and not _is_id(text)):
            if not path.exists():
                raise NotFound(f"{text}: no such bank file")
            if path.is_dir():
                raise UsageProblem(f"{text} is a folder: name a bank file or a bank id")
            return load_bank(path)
        for entry in self.entries():
            if entry.bank is not None and entry.bank.id == text:
                return entry.bank
        broken = [e for e in self.entries() if e.bank is None and e.path.stem == text]
        if broken:
            raise BankError(list(broken[0].problems))
        known = ", ".join(self.ids()) or "none"
        raise NotFound(f"no bank with id '{text}' (known banks: {known})")

    def resolve_many(self, names: list[str]) -> list[Bank]:
        banks = [self.resolve(name) for name in names]
        ids: dict[str, Bank] = {}
        for bank in banks:
            if bank.id in ids and ids[bank.id].path != bank.path:
                raise BankError(
                    [
                        Problem(
                            str(bank.path),
                            None,
                            None,
                            f"bank id '{bank.id}' is also used by {ids[bank.id].path}",
                        )
                    ]
                )
            ids[bank.id] = bank
        return list(ids.values())

    def source(self, source_id: str, bank: Bank | None = None) -> Source:
        """A source record, looked for beside `bank` first (as the loader does)."""
        from quiz.bank.loader import default_sources

        bank_dir = Path(bank.path).resolve().parent if bank and bank.path else None
        source = default_sources(source_id, bank_dir)
        if source is None:
            raise NotFound(f"no source record '{source_id}'")
        return source


def _is_id(text: str) -> bool:
    from quiz.bank.model import ID_RE

    return bool(ID_RE.match(text))
