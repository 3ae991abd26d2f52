"""A class on one server (`quiz class ...`): setting up the class store on PostgreSQL, adding
learners, its status, the instructor's grade step and upgrades. Plain functions: no click, no
printing. The SQL is `quiz.store.classroom`'s.

The grade step (`grade_pending`) runs at the start of every instructor command on a class
store: learners' roles store what they answered, never a score; the instructor's banks grade it
(`quiz.app.regrade`, matched by the snapshot's grading hash) into the columns and totals only
the instructor's role can write, and every report reads those.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.errors import QuizError, UsageProblem

if TYPE_CHECKING:
    from quiz.app.regrade import InstructorBanks
    from quiz.bank.model import Bank
    from quiz.store import Store
    from quiz.store.classroom import ClassRoom, GradeCounts, LearnerRow
    from quiz.store.records import AttemptRecord, BankSnapshot, QuestionSnapshot

PASSWORD_BYTES = 24  # secrets.token_urlsafe: 32 characters


@dataclass(frozen=True)
class Setup:
    database: str
    learners: str
    instructors: str
    schema: int  # the schema version the store has now


@dataclass(frozen=True)
class Added:
    """One learner of `quiz class add`: what was done and how they connect."""

    name: str
    outcome: str  # created | password (a new one) | exists | other (a role not of this class)
    pgpass: Path | None  # the file with their password (None: none was made)
    url: str  # their QUIZ_DB: no password in it


@dataclass(frozen=True)
class Target:
    """Where the class store is, as a learner's client must name it."""

    host: str  # a name or address, or a socket folder ("/run/postgresql")
    port: int
    database: str

    def url(self, user: str) -> str:
        from urllib.parse import quote

        who = quote(user, safe="")
        db = quote(self.database, safe="")
        if self.host.startswith("/"):
            return f"postgresql://{who}@/{db}?host={quote(self.host, safe='')}&port={self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"postgresql://{who}@{host}:{self.port}/{db}"

    def pgpass_line(self, user: str, password: str) -> str:
        """A ~/.pgpass line (host:port:database:user:password, `:` and `\\` escaped)."""

        def esc(text: str) -> str:
            return text.replace("\\", "\\\\").replace(":", "\\:")

        host = "localhost" if self.host.startswith("/") else self.host
        return ":".join(esc(p) for p in (host, str(self.port), self.database, user, password))


def room(store: Store) -> ClassRoom:
    from quiz.store.classroom import ClassRoom

    return ClassRoom(store)


def open_class_store(location: Path | str, *, migrate: bool = False, grade: bool = False) -> Store:
    """The class store at `location` (QUIZ_DB / --db): UsageProblem when it names the local
    SQLite store instead. `grade`: the instructor's grade step runs first (`opened`)."""
    from quiz.paths import is_database_url
    from quiz.store import Store

    if not is_database_url(location):
        raise UsageProblem(
            "quiz class works on a class store on PostgreSQL: name it with --db URL or"
            " QUIZ_DB=postgresql://ROLE@HOST/DATABASE"
        )
    store = Store.open(str(location), migrate=migrate, upgrade_class=migrate)
    return opened(store) if grade else store


def target_of(store: Store) -> Target:
    host, port, database = room(store).target()
    return Target(host, port, database)


def _lacks_createrole(name: str, what: str) -> QuizError:
    return QuizError(
        f"{what} needs a role that may create roles, and {name} may not (no CREATEROLE):"
        f" connect as the class's instructor, or ask the server's administrator to run"
        f" ALTER ROLE {name} CREATEROLE"
    )


def init(
    location: Path | str, *, learners: str | None = None, instructors: str | None = None
) -> Setup:
    """Make the database a class store (or bring its setup up to date): the schema's
    migrations, the learners' and instructors' group roles, grants, row-level security and
    checks. What the connected role lacks is said before anything is created."""
    from quiz.store.classroom import probe

    for group in (learners, instructors):
        _check_group(group)
    me = probe(str(location))
    if not (me.superuser or me.createrole):
        raise _lacks_createrole(me.name, "quiz class init")
    try:
        store = open_class_store(location, migrate=True)
    except QuizError as error:
        if me.can_create_tables:
            raise
        raise QuizError(
            f"quiz class init needs to create tables in the database {me.database}, and"
            f" {me.name} may not: make {me.name} the database's owner"
            f" (ALTER DATABASE {me.database} OWNER TO {me.name}) or use the owner's role"
        ) from error
    with store:
        here = room(store)
        found = here.settings() or {}
        learners = learners or found.get("learners") or _check_group(f"{me.database}_learners")
        instructors = (
            instructors or found.get("instructors") or _check_group(f"{me.database}_instructors")
        )
        if learners == instructors:
            raise UsageProblem("the learners' and the instructors' group roles must differ")
        here.setup(learners, instructors)
        return Setup(me.database, learners, instructors, store.schema_version)


def _check_group(name: str | None) -> str:
    from quiz.store.classroom import role_name_problem

    if name is None:
        return ""
    problem = role_name_problem(name)
    if problem is not None:
        raise UsageProblem(
            f"group role {name!r}: {problem.replace('a learner', 'a role')} (name the groups"
            " with --learners/--instructors)"
        )
    return name


def require_instructor(store: Store, what: str) -> ClassRoom:
    """The class room, if the connected role is the class's instructor (else QuizError)."""
    here = room(store)
    role = here.role()
    if role is None:
        raise QuizError(
            f"{store.where} is not a class store yet: run `quiz class init` (as the instructor)"
        )
    if role != "instructor":
        raise QuizError(f"{what} is the instructor's: {here.me().name} is not an instructor here")
    return here


def upgrade(location: Path | str) -> Setup:
    """Migrate a class store to this version of quiz and renew its grants and policies (new
    tables, new checks); only an instructor's role may."""
    with open_class_store(location, migrate=True) as store:
        here = require_instructor(store, "upgrading the class store (quiz class upgrade)")
        found = here.settings() or {}
        here.setup(found["learners"], found["instructors"])
        return Setup(
            here.me().database, found["learners"], found["instructors"], store.schema_version
        )


def learner_names(names: Sequence[str], roster: str | None) -> list[str]:
    """The learners named and those of a roster file (its `username` column), in order, once
    each; UsageProblem naming the first name that cannot be a role."""
    from quiz.store.classroom import role_name_problem

    found = [n.strip() for n in names]
    if roster is not None:
        from quiz.app.reports import read_roster

        found += [entry.username.strip() for entry in read_roster(roster).entries]
    if not found:
        raise UsageProblem("name at least one learner (or give --roster FILE)")
    unique = list(dict.fromkeys(found))
    for name in unique:
        problem = role_name_problem(name)
        if problem is not None:
            from quiz.sanitize import clean_line

            raise UsageProblem(f"{clean_line(name)!r}: {problem}")
    return unique


def add(
    store: Store,
    target: Target,
    names: Sequence[str],
    folder: Path,
    *,
    new_password: bool = False,
) -> list[Added]:
    """A login role per learner, in the learners' group, with a generated password written
    only to `folder/NAME.pgpass` (owner-only, ~/.pgpass format): it is never shown. A learner
    already there keeps their password unless `new_password`."""
    here = require_instructor(store, "adding learners (quiz class add)")
    me = here.me()
    if not (me.superuser or me.createrole):
        raise _lacks_createrole(me.name, "quiz class add")
    _make_private_folder(folder)
    import secrets

    added = []
    for name in names:
        password = secrets.token_urlsafe(PASSWORD_BYTES)
        path = folder / f"{name}.pgpass"
        outcome = here.add_learner(
            name,
            password,
            replace_password=new_password,
            keep=functools.partial(_write_pgpass, path, target.pgpass_line(name, password)),
        )
        made = outcome in ("created", "password")
        added.append(Added(name, outcome, path if made else None, target.url(name)))
    return added


def _make_private_folder(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(folder)) from None
    if not folder.is_dir():
        raise QuizError(f"{folder} is not a folder")


def _write_pgpass(path: Path, line: str) -> None:
    from quiz.app.files import PRIVATE_MODE, write_output

    write_output(path, line + "\n", force=True, mode=PRIVATE_MODE)
    os.chmod(path, PRIVATE_MODE)  # owner-only whatever the umask


def status(store: Store) -> list[LearnerRow]:
    here = require_instructor(store, "the class's status (quiz class status)")
    return here.status()


def grade_pending(
    store: Store,
    *,
    bank_paths: Sequence[str | Path] = (),
    home: Path | None = None,
    everything: bool = False,
) -> GradeCounts:
    """The instructor's grade step: responses learners stored since the last one, graded by
    the instructor's banks (`--bank` paths, then the catalog) into the score columns and totals
    only the instructor's role writes. `everything`: every ungraded response, tried again."""
    from quiz.app.regrade import InstructorBanks, gradings_of, regrade_attempt

    # The catalog is read only when there is something to grade (every instructor command
    # runs this step); banks given by path are read at once, so a bad path always says so.
    found: list[InstructorBanks] = [InstructorBanks(bank_paths, home=home)] if bank_paths else []

    def banks() -> InstructorBanks:
        if not found:
            found.append(InstructorBanks(home=home))
        return found[0]

    def grader(attempts: list[AttemptRecord], snapshots: list[BankSnapshot]) -> list[AttemptRecord]:
        gradings = gradings_of(snapshots)
        return [regrade_attempt(banks(), attempt, gradings)[0] for attempt in attempts]

    def official(snapshots: list[BankSnapshot]) -> list[BankSnapshot]:
        return instructors_copies(banks(), snapshots)

    return room(store).grade(grader, official=official, everything=everything)


def instructors_copies(
    banks: InstructorBanks, snapshots: Sequence[BankSnapshot]
) -> list[BankSnapshot]:
    """The instructor's copy of each of these bank versions (saved by learners' clients, so a
    learner's claim) that the instructor's banks vouch for: a bank with the same content, whole;
    else each question a question of the instructor's matches (same id and grading hash, as
    the grade step matches answers), with the bank's title. Questions no bank matches keep the
    learner's text (their answers stay ungraded); a version nothing matches is left out."""
    from dataclasses import replace

    from quiz.store.records import snapshot_of

    copies: dict[int, BankSnapshot] = {}

    def copy(bank: Bank) -> BankSnapshot:
        if id(bank) not in copies:
            copies[id(bank)] = snapshot_of(bank)
        return copies[id(bank)]

    mine = []
    for s in snapshots:
        candidates = banks.candidates(s.bank_id)
        same = [b for b in candidates if b.content_hash == s.content_hash]
        if same:
            mine.append(replace(copy(same[0]), content_hash=s.content_hash))
            continue
        theirs: dict[tuple[str, str], QuestionSnapshot] = {}
        for bank in candidates:
            for q in copy(bank).questions:
                theirs.setdefault((q.question_id, q.grading), q)
        matched = [theirs.get((q.question_id, q.grading)) for q in s.questions]
        if any(m is not None for m in matched):
            questions = tuple(m or q for m, q in zip(matched, s.questions, strict=True))
            mine.append(replace(s, title=candidates[0].title, questions=questions))
    return mine


WAITING = "waiting for your instructor's grading"


def is_learner(location: Path | str) -> bool:
    """Whether `location` is a class store the connected role is a learner of: their answers
    are graded by the instructor's next command, and until then they score nothing and are
    said to be waiting (`WAITING`). Asked only to word a message (a connection of its own)."""
    from quiz.paths import is_database_url
    from quiz.store import Store

    if not is_database_url(location):
        return False
    with Store.open(str(location), migrate=False) as store:
        return store.class_role == "learner"


def awaiting_grades(store: Store, user: str, bank_ids: Sequence[str]) -> list[str]:
    """On a class store, as a learner: the banks whose latest answers (per question) are still
    ungraded, waiting for the instructor's grade step; [] elsewhere."""
    if store.class_role != "learner":
        return []
    from quiz.store.classroom import latest_ungraded

    return [b for b in bank_ids if store.run(latest_ungraded, user, b, write=False)]


def _setup_is_current(store: Store, role: str) -> None:
    from quiz.store.classroom import SETUP_VERSION

    found = (room(store).settings() or {}).get("setup")
    if found == SETUP_VERSION:
        return
    who = "run" if role == "instructor" else "ask your instructor to run"
    raise QuizError(
        f"the class store {store.where} was set up by another version of quiz (setup"
        f" {found or 0}, this quiz's is {SETUP_VERSION}): {who} `quiz class upgrade`"
    )


def opened(store: Store, *, home: Path | None = None) -> Store:
    """A store as every command gets it: on a class store, the instructor's role first runs
    the grade step (what learners answered since, graded; `grade_pending`). The store is
    closed if that fails."""
    role = store.class_role
    if role is None:
        return store
    try:
        _setup_is_current(store, role)
        if role == "instructor":
            grade_pending(store, home=home)
    except BaseException:
        store.close()
        raise
    return store
