"""Gradebooks an LMS imports: a roster joined to quiz's learners, and Moodle's and Canvas's
layouts of `quiz scores report --wide` (pure: the text of a roster in, a report table out).

A roster is a CSV file with a header row holding `username` and any of `email`, `idnumber`,
`firstname`, `lastname` (Moodle's user fields; a few spellings are understood, see `ALIASES`);
other columns are kept and written after the identity columns. A quiz learner is matched to
the roster row whose username is the same (exactly, else case aside). Learners with grades but
no roster row are kept (never dropped) and listed as unmatched; roster rows without grades get
empty cells.

- `moodle`: Moodle's grade import ("Import grades > CSV file") maps a user column to a user
  field ("Identify user by": username, email address or ID number) and each other column to a
  grade item. Columns: Username, ID number, Email address, First name, Last name (those the
  roster has), the roster's other columns, then one column per bank.
- `canvas`: Canvas's gradebook import reads Student, ID, SIS User ID, SIS Login ID and Section,
  then one column per assignment. Student is "Last, First" when the roster has the names; ID
  and Section come from roster columns of those names; SIS User ID is the ID number; SIS Login
  ID the username. With points, a "Points Possible" row follows the header, as in a Canvas
  export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from quiz.errors import QuizError
from quiz.reports.items import Gradebook
from quiz.sanitize import name_problem

LAYOUTS: tuple[str, ...] = ("moodle", "canvas")
FIELDS: tuple[str, ...] = ("username", "email", "idnumber", "firstname", "lastname")
ALIASES = {
    "username": "username",
    "user": "username",
    "user name": "username",
    "login": "username",
    "email": "email",
    "email address": "email",
    "e-mail": "email",
    "idnumber": "idnumber",
    "id number": "idnumber",
    "student id": "idnumber",
    "sis user id": "idnumber",
    "firstname": "firstname",
    "first name": "firstname",
    "given name": "firstname",
    "lastname": "lastname",
    "last name": "lastname",
    "surname": "lastname",
    "family name": "lastname",
}
ROSTER_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class RosterEntry:
    username: str
    email: str = ""
    idnumber: str = ""
    firstname: str = ""
    lastname: str = ""
    extra: tuple[str, ...] = ()  # the roster's other columns, in `Roster.extra_columns` order


@dataclass(frozen=True)
class Roster:
    entries: tuple[RosterEntry, ...]
    fields: tuple[str, ...]  # which of FIELDS the header has
    extra_columns: tuple[str, ...]
    # Username -> first entry, exactly and case aside: built once, so joining N learners to a
    # roster of M rows is N + M steps, not N x M (100,000 learners once took 20 minutes).
    _exact: dict[str, RosterEntry] = field(init=False, repr=False, compare=False)
    _folded: dict[str, RosterEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact: dict[str, RosterEntry] = {}
        folded: dict[str, RosterEntry] = {}
        for entry in self.entries:
            exact.setdefault(entry.username, entry)
            folded.setdefault(entry.username.casefold(), entry)
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_folded", folded)

    def find(self, user: str) -> RosterEntry | None:
        """The entry whose username is `user` exactly, else case aside, else None."""
        entry = self._exact.get(user)
        return entry if entry is not None else self._folded.get(user.casefold())


# Rows times columns a roster may have: every row is given a cell per column of the header, so
# a short file with a wide header would otherwise grow a thousandfold in memory and output.
# (100,000 learners with 100 columns fit.)
ROSTER_MAX_CELLS = 10_000_000


def parse_roster(text: str, path: str) -> Roster:
    """A roster from a CSV file's text; QuizError naming `path:line` when it cannot be read."""
    text = text.removeprefix("\ufeff")
    # strict: a quote left open is an error, not the rest of the file read into one cell
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    starts: list[int] = []  # the line each row starts on (a quoted cell may hold line breaks)
    ended = 0
    try:
        for row in reader:
            rows.append(row)
            starts.append(ended + 1)
            ended = reader.line_num
    except csv.Error as error:  # located where the row it stopped in starts: where a quote opened
        raise QuizError(f"{path}:{ended + 1}: not a CSV file: {error}") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise QuizError(f"{path}:1: the roster has no header row (it needs a username column)")
    if len(rows) * len(rows[0]) > ROSTER_MAX_CELLS:
        raise QuizError(
            f"{path}: the roster has {len(rows):,} rows of {len(rows[0]):,} columns: more than"
            f" {ROSTER_MAX_CELLS:,} cells; keep the columns the gradebook needs"
        )
    header = [cell.strip() for cell in rows[0]]
    where: dict[str, int] = {}
    extra: list[tuple[int, str]] = []
    for i, name in enumerate(header):
        field = ALIASES.get(" ".join(name.casefold().replace("_", " ").split()))
        if field is not None and field not in where:
            where[field] = i
        elif name:
            extra.append((i, name))
    if "username" not in where:
        raise QuizError(
            f"{path}:1: the roster has no username column (its header: {', '.join(header)});"
            " add one, with any of email, idnumber, firstname, lastname"
        )
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    for line, row in zip(starts[1:], rows[1:], strict=True):
        if not any(cell.strip() for cell in row):
            continue

        def cell(i: int, row: Sequence[str] = row) -> str:
            return row[i].strip() if i < len(row) else ""

        username = cell(where["username"])
        if not username:
            raise QuizError(f"{path}:{line}: a roster row without a username")
        invisible = name_problem(username)
        if invisible is not None:  # shown cleaned, it would pass for another learner
            raise QuizError(f"{path}:{line}: {invisible}")
        if username in seen:
            raise QuizError(
                f"{path}:{line}: the username {username!r} is already on line {seen[username]}"
            )
        seen[username] = line
        values = {f: cell(i) for f, i in where.items()}
        entries.append(
            RosterEntry(
                username=username,
                email=values.get("email", ""),
                idnumber=values.get("idnumber", ""),
                firstname=values.get("firstname", ""),
                lastname=values.get("lastname", ""),
                extra=tuple(cell(i) for i, _ in extra),
            )
        )
    fields = tuple(f for f in FIELDS if f in where)
    return Roster(tuple(entries), fields, tuple(name for _, name in extra))


@dataclass(frozen=True)
class GradebookRows:
    """A gradebook laid out for an LMS: its header, rows, and the learners not on the roster."""

    headers: tuple[str, ...]
    keys: tuple[str, ...]
    rows: tuple[tuple[str | float | None, ...], ...]
    unmatched: tuple[str, ...]
    grade_columns: int  # the last this many columns are grades


_MOODLE_HEADERS = {
    "username": "Username",
    "idnumber": "ID number",
    "email": "Email address",
    "firstname": "First name",
    "lastname": "Last name",
}


def layout(
    book: Gradebook,
    *,
    lms: str | None = None,
    roster: Roster | None = None,
    points: bool = False,
    digits: int = 2,
) -> GradebookRows:
    """The gradebook's rows for `lms` (None: quiz's own, a Learner column then the banks)."""
    if lms is not None and lms not in LAYOUTS:
        raise ValueError(f"unknown LMS layout {lms!r}: use one of {', '.join(LAYOUTS)}")
    grades = {
        user: cells
        for (user, _), cells in zip(book.rows, _cells(book, points, digits), strict=True)
    }
    users = list(grades)
    unmatched: list[str] = []
    people: list[tuple[str, RosterEntry | None]] = []
    if roster is None:
        people = [(user, None) for user in users]
    else:
        matched: dict[str, str] = {}
        for user in users:
            entry = roster.find(user)
            if entry is None or entry.username in matched:
                unmatched.append(user)
            else:
                matched[entry.username] = user
        people = [(matched.get(e.username, e.username), e) for e in roster.entries]
        people += [(user, None) for user in unmatched]
    extra_names = roster.extra_columns if roster is not None else ()
    fields = roster.fields if roster is not None else ("username",)
    empty: tuple[float | None, ...] = tuple(None for _ in book.banks)
    keys: list[str]
    headers: list[str]
    shown: list[str]
    rows: list[tuple[str | float | None, ...]] = []
    if lms == "canvas":
        lowered = [name.casefold() for name in extra_names]
        id_at = lowered.index("id") if "id" in lowered else None
        section_at = lowered.index("section") if "section" in lowered else None
        kept = [i for i in range(len(extra_names)) if i not in (id_at, section_at)]
        headers = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        headers += [extra_names[i] for i in kept] + list(book.banks)
        keys = ["student", "id", "sis_user_id", "sis_login_id", "section"]
        keys += [f"roster:{extra_names[i]}" for i in kept] + list(book.banks)
        if points:
            rows.append(
                (
                    "    Points Possible",
                    None,
                    None,
                    None,
                    None,
                    *(None for _ in kept),
                    *_possible(book),
                )
            )
        for user, entry in people:
            extra = entry.extra if entry is not None else ()
            name = user
            if entry is not None and (entry.firstname or entry.lastname):
                name = ", ".join(p for p in (entry.lastname, entry.firstname) if p)
            rows.append(
                (
                    name,
                    _at(extra, id_at),
                    entry.idnumber if entry is not None else "",
                    entry.username if entry is not None else user,
                    _at(extra, section_at),
                    *(_at(extra, i) for i in kept),
                    *grades.get(user, empty),
                )
            )
    elif lms == "moodle":
        shown = [
            f for f in ("username", "idnumber", "email", "firstname", "lastname") if f in fields
        ]
        headers = [_MOODLE_HEADERS[f] for f in shown] + list(extra_names) + list(book.banks)
        keys = shown + [f"roster:{n}" for n in extra_names] + list(book.banks)
        for user, entry in people:
            values = _identity(user, entry)
            extra = entry.extra if entry is not None else tuple("" for _ in extra_names)
            rows.append((*(values[f] for f in shown), *extra, *grades.get(user, empty)))
    else:
        shown = [f for f in fields if f != "username"]
        headers = ["Learner", *(_MOODLE_HEADERS[f] for f in shown), *extra_names, *book.banks]
        keys = ["user", *shown, *(f"roster:{n}" for n in extra_names), *book.banks]
        for user, entry in people:
            values = _identity(user, entry)
            extra = entry.extra if entry is not None else tuple("" for _ in extra_names)
            rows.append((user, *(values[f] for f in shown), *extra, *grades.get(user, empty)))
    return GradebookRows(
        tuple(headers), tuple(keys), tuple(rows), tuple(unmatched), len(book.banks)
    )


def _identity(user: str, entry: RosterEntry | None) -> dict[str, str]:
    if entry is None:
        return {"username": user, "email": "", "idnumber": "", "firstname": "", "lastname": ""}
    return {
        "username": entry.username,
        "email": entry.email,
        "idnumber": entry.idnumber,
        "firstname": entry.firstname,
        "lastname": entry.lastname,
    }


def _at(values: Sequence[str], index: int | None) -> str:
    return values[index] if index is not None and index < len(values) else ""


def _cells(book: Gradebook, points: bool, digits: int) -> list[tuple[float | None, ...]]:
    if not points:
        return [tuple(_round(v, digits) for v in cells) for _, cells in book.rows]
    return [
        tuple(_round(g.score, digits) if g is not None else None for g in row)
        for row in book.grades
    ]


def _possible(book: Gradebook) -> tuple[float | None, ...]:
    """Each bank's most marks a learner could earn (the largest maximum among the grades)."""
    found: list[float | None] = []
    for column in range(len(book.banks)):
        maxima = [g.max_score for row in book.grades if (g := row[column]) is not None]
        found.append(_round(max(maxima)) if maxima else None)
    return tuple(found)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
