"""The `quiz` command: the root group, global options, and the one place errors become messages.

Commands live in `quiz.commands.*`; this module and those import only click at load time, so
`quiz --help` costs little more than importing click.
"""

from __future__ import annotations

import os
from typing import Any, NoReturn

import click

from quiz import __version__
from quiz.commands.common import Config


def fail(ctx: click.Context, message: str, exit_code: int, bare: bool = False) -> NoReturn:
    """Show a library error as the user sees it (cleaned), then exit with its code."""
    click.echo(message if bare else f"Error: {message}", err=True)
    ctx.exit(exit_code)


class QuizGroup(click.Group):
    """Translates `QuizError` (and unreadable or unwritable files) into messages: no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from quiz.errors import BankError, Interrupted, QuizError

        try:
            return super().invoke(ctx)
        except BankError as error:
            from quiz.sanitize import clean

            lines = [clean(str(p)) for p in error.problems]
            count = sum(p.errors for p in error.problems) or len(lines)
            lines.append(f"Error: {count} problem{'s' if count != 1 else ''} found.")
            fail(ctx, "\n".join(lines), error.exit_code, bare=True)
        except Interrupted as error:
            fail(ctx, str(error), error.exit_code, bare=True)
        except (KeyboardInterrupt, EOFError):
            # Ctrl-C or Ctrl-D outside a quiz's questions (loading, the end): nothing was
            # being answered; leave as an interruption (click alone would say "Aborted!", 1).
            fail(ctx, "Interrupted.", Interrupted.exit_code, bare=True)
        except QuizError as error:
            from quiz.sanitize import clean

            if error.exit_code == 2:
                # No context: the root's usage line would mislead about a subcommand's error.
                raise click.UsageError(clean(str(error))) from None
            fail(ctx, clean(str(error)), error.exit_code)
        except BrokenPipeError:
            raise  # `quiz ... | head`: click's main exits quietly
        except OSError as error:
            from quiz.sanitize import clean_line

            name = f"{os.fsdecode(error.filename)}: " if error.filename else ""
            fail(ctx, clean_line(f"{name}{error.strerror or error}"), 1)


# Each top-level command: its one-line help, and the one module whose `register` builds it.
# Commands are imported only when used, so `quiz --help` loads click and this file, nothing else.
COMMANDS: dict[str, tuple[str, str]] = {
    "take": (
        "Take a quiz: arrow keys and Enter, feedback after each answer.",
        "quiz.commands.take",
    ),
    "study": (
        "Study with spaced repetition (FSRS): what is due, then new questions.",
        "quiz.commands.study",
    ),
    "grade": (
        "Grade an answer sheet (YAML) against a bank, and record it.",
        "quiz.commands.grade",
    ),
    "banks": (
        "Find, inspect, check and write question banks.",
        "quiz.commands.banks",
    ),
    "scores": (
        "Your scores, and instructors' results files and reports.",
        "quiz.commands.scores",
    ),
    "class": (
        "A class on one PostgreSQL server (QUIZ_DB): set it up, add learners, follow them.",
        "quiz.commands.class_",
    ),
}


class LazyGroup(QuizGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        import importlib

        registry = click.Group()
        importlib.import_module(COMMANDS[cmd_name][1]).register(registry)
        return registry.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (text, _) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="quiz", message="%(prog)s %(version)s")
@click.option(
    "--home",
    metavar="DIR",
    help="Folder holding the score store [env QUIZ_HOME; default: the platform user-data dir].",
)
@click.option(
    "--user",
    metavar="NAME",
    help="Who is answering [env QUIZ_USER; default: the login name].",
)
@click.option(
    "--db",
    metavar="URL",
    help="A class store on PostgreSQL (postgresql://user@host/db; the password comes from"
    " ~/.pgpass or PGPASSWORD) [env QUIZ_DB; default: the local store in --home].",
)
@click.pass_context
def cli(ctx: click.Context, home: str | None, user: str | None, db: str | None) -> None:
    """Quizzes in the terminal: take them, write them in YAML, report on them.

    \b
    Learners:    quiz take, quiz study, quiz scores stats
    Authors:     quiz banks new|validate|lint|show|import|export|draft
    Instructors: quiz grade, quiz scores export|import|report
    """
    ctx.obj = Config(home_option=home, user_option=user, db_option=db)
    _show_notes()


def _show_notes() -> None:
    """Notes from the library (the `quiz.notes` logger: a bundled bank hidden by another) go
    to stderr, cleaned, as they happen."""
    from quiz.notes import show_with

    show_with(_echo_note)


def _echo_note(message: str) -> None:
    from quiz.sanitize import clean

    click.echo(clean(message), err=True)


def main() -> None:
    import sys

    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe whose encoding cannot show some text (PYTHONIOENCODING=latin-1,
        # a C locale) gets "?" for it, never a UnicodeEncodeError.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    for arg in sys.argv[1:]:
        # Bytes that are not UTF-8 arrive as lone surrogates: refuse them here, where the
        # message can say which argument, rather than deep in the store.
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            click.echo(f"Error: the argument {shown!r} is not valid UTF-8 text.", err=True)
            sys.exit(2)
    try:
        cli(prog_name="quiz")
    except KeyboardInterrupt:  # before click is in charge (while importing): no traceback
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)
