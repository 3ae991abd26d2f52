"""`quiz class ...`: a class on one PostgreSQL server (QUIZ_DB / --db names it). The use cases
are `quiz.app.classroom`; this module has the options and what is printed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from quiz.commands.common import bank_files_option, config, echo_json, shown_path

if TYPE_CHECKING:
    from quiz.app.classroom import Added
    from quiz.store import Store


def register(root: click.Group) -> None:
    """Add the `class` group, with every subcommand, to the root group."""
    root.add_command(class_group)


@click.group("class")
def class_group() -> None:
    """A class on one PostgreSQL server: set it up, add learners, follow them.

    \b
    The instructor, once:  QUIZ_DB=postgresql://teacher@server/course quiz class init
                           quiz class add alice bob   (or --roster roster.csv)
    Each learner:          QUIZ_DB=postgresql://alice@server/course quiz take BANK
    Reports:               quiz scores report (every learner's responses, graded by you)
    """


@contextmanager
def _class_store(ctx: click.Context, *, grade: bool = True) -> Iterator[Store]:
    """The class store QUIZ_DB/--db names (never the local SQLite file); for the instructor,
    after the grade step (`grade`)."""
    from quiz.app.classroom import open_class_store

    with open_class_store(config(ctx).store, grade=grade) as store:
        yield store


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@class_group.command("init")
@click.option("--learners", metavar="ROLE", help="The learners' group role [default: DB_learners].")
@click.option(
    "--instructors", metavar="ROLE", help="The instructors' group role [default: DB_instructors]."
)
@click.pass_context
def init_command(ctx: click.Context, learners: str | None, instructors: str | None) -> None:
    """Make the database a class store: the schema, a learners' and an instructors' group
    role, grants and row-level security. Run it as a role that may create roles (CREATEROLE)
    and owns the database; running it again brings the setup up to date."""
    from quiz.app import classroom

    setup = classroom.init(config(ctx).store, learners=learners, instructors=instructors)
    click.echo(
        f"Class store ready in database {setup.database} (schema {setup.schema}): learners'"
        f" group {setup.learners}, instructors' group {setup.instructors}."
    )
    click.echo("Next: quiz class add LEARNER... (or --roster FILE)")


@class_group.command("add")
@click.argument("learners", nargs=-1, metavar="LEARNER...")
@click.option(
    "--roster",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="A roster CSV (a username column), as `scores report --roster` reads.",
)
@click.option(
    "--dir",
    "folder",
    metavar="DIR",
    default="class-passwords",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where each learner's NAME.pgpass file is written (owner-only).",
)
@click.option("--new-password", is_flag=True, help="Give learners already added a new password.")
@click.pass_context
def add_command(
    ctx: click.Context,
    learners: tuple[str, ...],
    roster: str | None,
    folder: str,
    new_password: bool,
) -> None:
    """Add learners: a login role each, in the learners' group, with a generated password
    written to DIR/NAME.pgpass (never printed) for you to hand over privately."""
    from pathlib import Path

    from quiz.app import classroom

    names = classroom.learner_names(learners, roster)
    with _class_store(ctx) as store:
        added = classroom.add(
            store, classroom.target_of(store), names, Path(folder), new_password=new_password
        )
    for learner in added:
        _print_added(learner)
    made = sum(1 for a in added if a.pgpass is not None)
    click.echo(
        f"{_plural(made, 'password file')} in {shown_path(folder)}: give each learner theirs;"
        " they save it as ~/.pgpass (chmod 600) or add its line to their ~/.pgpass."
    )


def _print_added(learner: Added) -> None:
    from quiz.sanitize import clean_line

    name = clean_line(learner.name)
    if learner.outcome == "other":
        click.echo(f"{name}: a role of that name exists and is not this class's learner; skipped.")
        return
    what = {
        "created": "added",
        "password": "new password",
        "exists": "already a learner (password unchanged; --new-password issues one)",
    }[learner.outcome]
    where = f"; password in {shown_path(str(learner.pgpass))}" if learner.pgpass else ""
    click.echo(f"{name}: {what}{where}")
    click.echo(f"  connects with: QUIZ_DB={clean_line(learner.url)}")


@class_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Each learner: attempts (finished), responses, ungraded ones, and the last activity."""
    from dataclasses import asdict

    from quiz.app import classroom

    with _class_store(ctx) as store:
        rows = classroom.status(store)
    if as_json:
        echo_json([asdict(row) for row in rows])
        return
    if not rows:
        click.echo("No learners yet: quiz class add LEARNER...")
        return
    from quiz.times import near_time
    from quiz.ui.tables import TerminalColumn, draw

    columns = [
        TerminalColumn("Learner", no_wrap=True),
        TerminalColumn("Attempts", right=True, no_wrap=True),
        TerminalColumn("Finished", right=True, no_wrap=True, drop=2),
        TerminalColumn("Responses", right=True, no_wrap=True, drop=3),
        TerminalColumn("Ungraded", right=True, no_wrap=True, drop=1),
        TerminalColumn("Last activity", no_wrap=True),
    ]
    cells = [
        [
            row.name + ("" if row.enrolled else " (not a learner)"),
            str(row.attempts),
            str(row.finished),
            str(row.responses),
            str(row.ungraded),
            near_time(row.last_activity) or "never",  # local time, as people read it
        ]
        for row in rows
    ]
    draw(_plural(sum(r.enrolled for r in rows), "learner"), columns, cells)


@class_group.command("grade")
@bank_files_option
@click.option("--all", "everything", is_flag=True, help="Try every ungraded response again.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
def grade_command(
    ctx: click.Context, bank_paths: tuple[str, ...], everything: bool, as_json: bool
) -> None:
    """Grade what learners answered since the last grade step, with your banks (every
    instructor command does this first; this runs it alone)."""
    from dataclasses import asdict

    from quiz.app import classroom

    with _class_store(ctx, grade=False) as store:
        classroom.require_instructor(store, "grading the class (quiz class grade)")
        counts = classroom.grade_pending(
            store, bank_paths=bank_paths, home=config(ctx).home, everything=everything
        )
    if as_json:
        echo_json(asdict(counts))
        return
    text = f"Graded {_plural(counts.graded, 'response')} in {_plural(counts.attempts, 'attempt')}"
    if counts.ungraded:
        text += (
            f"; {_plural(counts.ungraded, 'response')} left ungraded (no bank of yours matched:"
            " give --bank PATH, then quiz class grade --all)"
        )
    click.echo(text + ".")


@class_group.command("upgrade")
@click.pass_context
def upgrade_command(ctx: click.Context) -> None:
    """Bring the class store's schema to this version of quiz (the instructor's role only),
    and renew the grants and policies."""
    from quiz.app import classroom

    setup = classroom.upgrade(config(ctx).store)
    click.echo(
        f"The class store in database {setup.database} is at schema {setup.schema}, this"
        " quiz's; grants and policies renewed."
    )
