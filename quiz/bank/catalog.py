"""Finding banks: the bundled ones, folders in `QUIZ_BANKS`, explicit paths, and ids.

A BANK argument is a path (it has a slash or a YAML suffix), or an id, found in this order:
`./ID.yaml` or `./banks/ID.yaml` in the current folder (only those two names: the folder is
never scanned), then the `QUIZ_BANKS` folders, then the bundled banks. A bank that hides a
bundled one of the same id says so in a note (the `quiz.notes` logger, which the CLI prints).
Two banks with one id in the `QUIZ_BANKS` folders are listed as invalid, naming each other,
and only naming that id fails: other banks are used as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quiz.bank.model import Bank, Source
from quiz.errors import BankError, NotFound, Problem, UsageProblem
from quiz.notes import logger
from quiz.paths import BANK_SUFFIXES as BANK_SUFFIXES  # (here too, by its older home)
from quiz.paths import bundled_dir, extra_bank_dirs
from quiz.paths import looks_like_path as looks_like_path

# Notes for the user (a bundled bank hidden by another): the CLI shows them on stderr.
notes = logger()


@dataclass(frozen=True)
class Entry:
    """One bank file the catalog knows, loaded or not."""

    path: Path
    origin: str  # "bundled", "QUIZ_BANKS" or "path"
    bank: Bank | None
    problems: tuple[Problem, ...] = ()
    clash: str | None = None  # the id this file shares with another (then `bank` is None)


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
        elif _is_id(str(given)) and (known := _here(str(given)) or _known_file(str(given))):
            found.append(known)
        else:
            raise NotFound(f"{given}: no such file or folder, nor a known bank id")
    return found


def _here(bank_id: str) -> Path | None:
    """`./ID.yaml` (or .yml), else `./banks/ID.yaml`: a bank in the current folder named by its
    id. Only these names are looked at; anything there that is not a regular file is left to
    the reader to refuse. The bundled folder itself (in a checkout of quiz) is not "here"."""
    bundled = bundled_dir("banks").resolve()
    for folder in (Path("."), Path("banks")):
        for suffix in BANK_SUFFIXES:
            candidate = folder / f"{bank_id}{suffix}"
            if candidate.exists() and candidate.resolve().parent != bundled:
                return candidate
    return None


def _bundled_file(bank_id: str) -> Path | None:
    for suffix in BANK_SUFFIXES:
        candidate = bundled_dir("banks") / f"{bank_id}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def _same_bytes(bank: Bank, file: Path) -> bool:
    """Whether `file` holds exactly the bank loaded (a checkout's `banks/` beside the installed
    copy of the same bundled banks: nothing to note)."""
    import hashlib

    try:
        return hashlib.sha256(file.read_bytes()).hexdigest() == bank.content_hash
    except OSError:
        return False


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
        """Every bank in the known folders, loaded. A bundled bank that a `QUIZ_BANKS` one of
        the same id hides is left out (with a note); banks sharing an id otherwise are each
        listed as invalid, naming the others."""
        if self._entries is None:
            from quiz.bank.loader import check_bank

            entries = []
            seen_files: set[Path] = set()
            for folder, origin in self.folders:
                for file in bank_files(folder):
                    real = file.resolve()
                    if real in seen_files:  # one file reached twice (a link, a folder twice)
                        continue
                    seen_files.add(real)
                    bank, problems = check_bank(file)
                    entries.append(Entry(file, origin, bank, tuple(problems)))
            self._entries = self._one_per_id(entries)
        return self._entries

    def bank_with_id(self, bank_id: str) -> Bank | None:
        """The valid bank of this id that `entries()` lists, if any, loading only the files
        that can hold it: a UTF-8 bank's id is written in it as is, unless through a YAML
        escape (a backslash), so a file holding neither is not read (reports look a bank up
        by id without loading every bank)."""
        if self._entries is not None:
            return next((b for b in self.banks() if b.id == bank_id), None)
        from quiz.inputs import InputError, read_input

        needle = bank_id.encode("utf-8")
        entries = []
        seen_files: set[Path] = set()
        for folder, origin in self.folders:
            for file in bank_files(folder):
                real = file.resolve()
                if real in seen_files:
                    continue
                seen_files.add(real)
                try:
                    data = read_input(file, "bank")
                except InputError:
                    continue  # no bank: `entries()` lists it as a problem
                if needle in data or b"\\" in data:
                    from quiz.bank.loader import check_bank_bytes

                    bank, problems = check_bank_bytes(data, str(file))
                    entries.append(Entry(file, origin, bank, tuple(problems)))
        kept = self._one_per_id(entries)
        return next((e.bank for e in kept if e.bank is not None and e.bank.id == bank_id), None)

    @staticmethod
    def _one_per_id(entries: list[Entry]) -> list[Entry]:
        by_id: dict[str, list[int]] = {}
        for number, entry in enumerate(entries):
            if entry.bank is not None:
                by_id.setdefault(entry.bank.id, []).append(number)
        hidden: set[int] = set()
        replaced: dict[int, Entry] = {}
        for bank_id, numbers in by_id.items():
            if len(numbers) < 2:
                continue
            added = [n for n in numbers if entries[n].origin != "bundled"]
            bundled = [n for n in numbers if entries[n].origin == "bundled"]
            if added and bundled:
                hidden.update(bundled)
                if len(added) == 1:
                    notes.warning(
                        f"note: the bank '{bank_id}' of {entries[added[0]].path} is used"
                        " instead of the bundled one"
                    )
            clashing = added if len(added) > 1 else ([] if added else bundled)
            for n in clashing:
                others = ", ".join(str(entries[m].path) for m in clashing if m != n)
                problem = Problem(
                    str(entries[n].path),
                    None,
                    None,
                    f"bank id '{bank_id}' is also used by {others}: give each bank its own id",
                )
                replaced[n] = Entry(entries[n].path, entries[n].origin, None, (problem,), bank_id)
        return [replaced.get(n, e) for n, e in enumerate(entries) if n not in hidden]

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
        here = _here(text) if _is_id(text) else None
        if here is not None:
            bank = load_bank(here)
            if bank.id == text:
                bundled = _bundled_file(text)
                if bundled is not None and not _same_bytes(bank, bundled):
                    notes.warning(
                        f"note: {here} is used for '{text}', not the bundled bank ({bundled})"
                    )
                return bank
            notes.warning(f"note: {here} holds the bank '{bank.id}', not '{text}': not used")
        for entry in self.entries():
            if entry.bank is not None and entry.bank.id == text:
                return entry.bank
        broken = [e for e in self.entries() if e.bank is None and e.path.stem == text]
        broken += [e for e in self.entries() if e.clash == text and e not in broken]
        if broken:
            raise BankError([p for e in broken for p in e.problems])
        from quiz.bank.yamlnodes import did_you_mean

        ids = self.ids()
        known = ", ".join(ids) or "none"
        raise NotFound(
            f"no bank with id '{text}'{did_you_mean(text, ids)} (known banks: {known};"
            " a bank file in this folder is found as ./ID.yaml or ./banks/ID.yaml)"
        )

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
