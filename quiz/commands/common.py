"""What the commands share: the global options' values (`ctx.obj`), JSON and table output,
`-o FILE`/`--force` and the one way a command writes a file, bank-id completion, and the
learner's run that `take` and `study` have in common (picking a bank, the front end, stopping).

Only click is imported at load time: `quiz --help` loads this module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from quiz.app.attempts import Progress, Running
    from quiz.bank.model import Bank
    from quiz.session import Session
    from quiz.ui.plain import Outcome


class StoredInt(click.IntRange):
    """An integer the store can hold (SQLite's 64-bit INTEGER). Out-of-range values are refused
    with the bounds, but the help shows only the bound a person would meet (`x>=1`), not
    9223372036854775807."""

    def __init__(self, min: int | None = None) -> None:
        from quiz.limits import MAX_INTEGER, MIN_INTEGER

        super().__init__(min=MIN_INTEGER if min is None else min, max=MAX_INTEGER)
        self._shown_min = min

    def _describe_range(self) -> str:
        return "" if self._shown_min is None else f"x>={self._shown_min}"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = click.INT.convert(value, param, ctx)
        assert self.min is not None and self.max is not None
        if self._shown_min is not None and number < self._shown_min:
            self.fail(f"{number} is smaller than {self._shown_min}.", param, ctx)
        if not self.min <= number <= self.max:
            self.fail(f"{number} is out of range: {self.min} to {self.max}.", param, ctx)
        return number

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str | None:
        return "INTEGER"


class Config:
    """`--home`, `--user` and `--db` from the root group (None: fall back as `quiz.paths`
    says).

    A plain class, not a dataclass: `quiz --help` loads this module and should stay cheap."""

    def __init__(
        self,
        home_option: str | None = None,
        user_option: str | None = None,
        db_option: str | None = None,
    ) -> None:
        self.home_option = home_option
        self.user_option = user_option
        self.db_option = db_option
        self._warned = False

    @property
    def home(self) -> Path:
        from quiz.paths import home_dir

        return home_dir(self.home_option)

    @property
    def db_url(self) -> str | None:
        """The class store's URL (`--db`, else `QUIZ_DB`), or None for the local store. A URL
        with a password in it is used, with a warning (once): anyone who can list processes or
        read the shell's history can read it."""
        from quiz.errors import UsageProblem
        from quiz.paths import database_url, url_password

        try:
            url = database_url(self.db_option)
        except ValueError as exc:
            raise UsageProblem(str(exc)) from None
        if url is not None and not self._warned and url_password(url):
            self._warned = True
            click.echo(
                "Warning: the class store's URL holds a password; keep it in ~/.pgpass or"
                " PGPASSWORD instead.",
                err=True,
            )
        return url

    @property
    def store(self) -> Path | str:
        """Where the scores are: the class store's URL, else the home folder (`scores.db`)."""
        url = self.db_url
        return url if url is not None else self.home

    def user(self, explicit: str | None = None, sheet: str | None = None) -> str:
        """Who is answering; a name with a control, format or bidi character in it (which could
        pass for another name) is refused, naming where it was given."""
        import os

        from quiz.errors import UsageProblem
        from quiz.paths import USER_ENV, current_user
        from quiz.sanitize import name_problem

        for given, where in (
            (explicit or self.user_option, "--user"),
            (sheet, "the sheet's user:"),
            (os.environ.get(USER_ENV), USER_ENV),
        ):
            if given and given.strip():
                problem = name_problem(given.strip())
                if problem is not None:
                    raise UsageProblem(f"{where}: {problem}")
                break
        return current_user(explicit or self.user_option, sheet)

    def user_on(self, store: Any, who: str, named: bool = False) -> str:
        """Who is answering on this store: `who` (as `user` found it) on the local store; on a
        class store the connected database role, unless `--user` (`named`, or the root's
        option) names someone (the instructor's role may record for a learner; a learner's
        role is held to its own rows by the server)."""
        if store.is_class_store and store.class_role == "learner":
            role = str(store.role())
            if (named or self.user_option) and who != role:
                from quiz.errors import UsageProblem

                raise UsageProblem(
                    f"on a class store you answer as your own role, {role}: --user (or a"
                    " sheet's user:) naming someone else is for the instructor"
                )
            return role
        if not store.is_class_store or named or self.user_option:
            return who
        return str(store.role())


def config(ctx: click.Context | None = None) -> Config:
    ctx = ctx or click.get_current_context()
    obj = ctx.find_object(Config)
    return obj if obj is not None else Config()


def echo_json(data: object) -> None:
    """`data` as indented JSON on stdout, every control character escaped (`\\uXXXX`)."""
    from quiz.sanitize import json_text

    click.echo(json_text(finite(data), indent=2))


def finite(data: object) -> object:
    """`data` with every infinite or NaN number as null: JSON has no Infinity or NaN."""
    if isinstance(data, float):
        return data if data == data and abs(data) != float("inf") else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [finite(value) for value in data]
    return data


# The instructor's bank files to grade against (`scores regrade`, `class grade`).
bank_files_option = click.option(
    "--bank",
    "bank_paths",
    multiple=True,
    metavar="PATH",
    type=click.Path(dir_okay=False),
    help="Grade against this bank file (repeatable) before the known banks.",
)


# --- tables: --all / --limit ---------------------------------------------------------------------

all_option = click.option(
    "--all", "show_all", is_flag=True, help="Every row (a terminal shows the first 20)."
)


def limit_option(
    help_text: str = "At most N rows, on a terminal, in a pipe or as JSON.",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--limit N`, a decorator; N must fit a store's INTEGER (`StoredInt`)."""
    return click.option("--limit", type=StoredInt(min=1), metavar="N", help=help_text)


def complete_bank_ids(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion for a BANK argument: the known bank ids, then matching file paths."""
    from click.shell_completion import CompletionItem

    from quiz.bank.catalog import looks_like_path

    items: list[CompletionItem] = []
    if not looks_like_path(incomplete) and not incomplete.startswith((".", "~")):
        try:
            from quiz.bank.catalog import Catalog

            banks = Catalog().banks()
        except Exception:  # completion must never print a traceback into the shell
            banks = []
        items = [
            CompletionItem(bank.id, help=bank.title)
            for bank in sorted(banks, key=lambda b: b.id)
            if bank.id.startswith(incomplete)
        ]
    # Else let the shell offer files: a bank may be named by its path. Not both: click's bash
    # script drops every other item when a "file" item is among them.
    if not items:
        items.append(CompletionItem(incomplete, type="file"))
    return items


# --- -o FILE / --force: every command that writes a file -----------------------------------------


output_option = click.option(
    "-o", "--output", metavar="FILE", help="Write to FILE instead of printing (- prints)."
)
force_option = click.option("--force", is_flag=True, help="Replace FILE if it exists.")


def to_file(output: str | None) -> bool:
    """Whether `-o` names a file (no `-o`, or `-o -`: standard output)."""
    return bool(output) and output != "-"


def write_or_echo(
    text: str | Iterable[str], output: str | None, force: bool, *, private: bool = False
) -> bool:
    """Print `text` (or its chunks as they come), or write it to `output` with
    `quiz.app.files.write_output` (refusing to replace a file without --force; owner-only when
    `private`). True when a file was written."""
    if not to_file(output):
        for chunk in [text] if isinstance(text, str) else text:
            click.echo(chunk, nl=False)
        return False
    from quiz.app.files import PRIVATE_MODE, SHARED_MODE, write_output

    assert output is not None
    write_output(output, text, force=force, mode=PRIVATE_MODE if private else SHARED_MODE)
    return True


def shown_path(path: str) -> str:
    """A file name as a message may show it (no control characters)."""
    from quiz.sanitize import clean_line

    return clean_line(path)


# --- the learner's run: `quiz take` and `quiz study` ---------------------------------------------


def interactive(plain: bool) -> bool:
    """questionary needs a terminal on both sides; otherwise (or with --plain) plain mode."""
    if plain:
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def screen_mode(plain: bool) -> bool:
    """Interactive or not; in plain mode stdin is read tolerantly. True: interactive."""
    chosen = interactive(plain)
    if not chosen:
        tolerant_stdin()
    return chosen


def tolerant_stdin() -> None:
    """Plain mode reads answers from stdin: bytes that are not text in its encoding must not
    crash the quiz or reach the store; they are read as U+FFFD (see also `quiz.ui.plain`)."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError, AttributeError):  # a stream that cannot change: plain
            pass  # mode still turns surrogates into U+FFFD


def choose_banks(banks: tuple[str, ...], is_interactive: bool) -> tuple[list[Bank], list[str]]:
    """The banks named (ids or files), or the one picked from the known banks: with the
    words that name them again in a "resume with" command."""
    if banks:
        from quiz.bank.catalog import Catalog

        return Catalog().resolve_many(list(banks)), list(banks)
    bank = pick_bank(is_interactive)
    return [bank], [bank.id]


def pick_bank(is_interactive: bool) -> Bank:
    """With no BANK: offer the known banks (the bundled ones, and QUIZ_BANKS folders).

    Choosing "Quit" (or typing :quit) leaves quietly with exit code 0: nothing had started.
    Ctrl-C, Ctrl-D or the end of the input are interruptions (exit 130).
    """
    from quiz.bank.catalog import Catalog
    from quiz.errors import Interrupted, NotFound

    banks = Catalog().banks()
    if not banks:
        raise NotFound("no bundled banks found: name a bank file or id, as in `quiz take BANK`")
    entries = [(bank.id, bank.title) for bank in banks]
    if is_interactive:
        from quiz.ui.interactive import choose_bank

        try:
            chosen = choose_bank(entries)
        except (KeyboardInterrupt, EOFError):
            raise Interrupted("No quiz chosen.") from None
        if chosen is None:
            quit_quietly()
    else:
        chosen = _pick_bank_plain(entries)
    return next(b for b in banks if b.id == chosen)


def _pick_bank_plain(entries: list[tuple[str, str]]) -> str:
    """The numbered list of banks; a number or an id picks one."""
    from quiz.errors import Interrupted
    from quiz.sanitize import clean_line

    click.echo("Which quiz?")
    for number, (bank_id, title) in enumerate(entries, 1):
        click.echo(f"  {number}) {clean_line(title)}  ({clean_line(bank_id)})")
    while True:
        click.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line:
            click.echo("")
            raise Interrupted("No quiz chosen.")
        text = line.strip()
        if not sys.stdin.isatty():
            click.echo(clean_line(text))  # echo piped answers, as plain mode does
        if len(text) <= 9 and text.isascii() and text.isdigit() and 1 <= int(text) <= len(entries):
            return entries[int(text) - 1][0]
        if text in {bank_id for bank_id, _ in entries}:
            return text
        if text.lower() in {":quit", ":q"}:
            quit_quietly()
        click.echo(f"  type a number from 1 to {len(entries)}")


def quit_quietly() -> NoReturn:
    """The learner chose to quit before a quiz started: nothing to save or say; exit 0."""
    click.get_current_context().exit(0)


def progress_text(progress: Progress) -> str:
    """ "3 of 17 answered", "3 of 17 answered, 2 skipped": a skip is not an answer."""
    text = f"{progress.answered} of {progress.total} answered"
    return text + (f", {progress.skipped} skipped" if progress.skipped else "")


def run_front_end(running: Running, is_interactive: bool, citations: Any) -> Outcome:
    """Ask the session's questions; a Ctrl-C or Ctrl-D at any instant once the attempt is
    stored (before the first question, between two) is an interruption, answers kept."""
    from quiz.app.attempts import source_notes
    from quiz.ui.interrupts import checkpoint
    from quiz.ui.plain import Outcome

    front_end: Any
    sources = source_notes(running.banks, running.session.plan)  # what the paragraphs say
    if is_interactive:
        from quiz.ui.interactive import InteractiveFrontEnd

        front_end = InteractiveFrontEnd(
            stdout=sys.stdout, exam=running.exam, citations=citations, sources=sources
        )
    else:
        from quiz.ui.plain import PlainFrontEnd

        front_end = PlainFrontEnd(
            sys.stdin, sys.stdout, exam=running.exam, citations=citations, sources=sources
        )
    try:
        checkpoint("start")
        outcome: Outcome = front_end.run(running.session)
    except (KeyboardInterrupt, EOFError):
        return Outcome.INTERRUPTED
    return outcome


@contextmanager
def answers_kept(session: Session, how_to_continue: str) -> Iterator[None]:
    """A lost connection to a class store while a quiz runs: every answer given before is
    kept (each was committed as it was given); the one in flight was not saved. Say so, and
    how to go on (exit 1)."""
    from quiz.errors import ConnectionLost, StoreError
    from quiz.sanitize import clean

    try:
        yield
    except ConnectionLost as lost:
        skipped = sum(1 for r in session.results if r.skipped)
        answered = len(session.results) - skipped
        kept = f"{answered} answer{'s' if answered != 1 else ''}" + (
            f" and {skipped} skip{'s' if skipped != 1 else ''}" if skipped else ""
        )
        verb = "is" if len(session.results) == 1 else "are"
        raise StoreError(
            clean(
                f"{lost}\nThe answer in flight was not saved; the {kept} given before it"
                f" {verb} kept.\n{how_to_continue}"
            )
        ) from None


def resume_command(ctx: click.Context, bank_args: Sequence[str], extra: Sequence[str]) -> str:
    """The exact command that continues this quiz."""
    cfg = config(ctx)
    words = ["quiz"]
    if cfg.home_option:
        words += ["--home", cfg.home_option]
    if cfg.db_option:
        from quiz.paths import shown_url

        words += ["--db", shown_url(cfg.db_option)]
    if cfg.user_option:
        words += ["--user", cfg.user_option]
    words += [ctx.info_name or "take", *bank_args, *extra]
    import shlex  # (its pattern is compiled on import: not for every command)

    return " ".join(shlex.quote(word) for word in words)


def stopped(session: Session, outcome: Outcome, how_to_continue: str) -> NoReturn:
    """Every answer is already saved: say so, say how to go on, and exit: 0 when the learner
    chose "Save and quit" (a normal end), 130 for Ctrl-C, Ctrl-D or the end of the input."""
    from quiz.errors import Interrupted
    from quiz.sanitize import clean
    from quiz.ui.plain import Outcome

    skipped = sum(1 for r in session.results if r.skipped)
    answered = len(session.results) - skipped
    why = "Saved." if outcome is Outcome.QUIT else "Interrupted."
    noun = "question" if session.total == 1 else "questions"
    progress = f"{answered} of {session.total} {noun} answered"
    if skipped:
        progress += f", {skipped} skipped"
    # Wrapped between words to the terminal (60 columns would break "kept" in two); the
    # command that continues stays on one line, to be copied whole.
    from quiz.ui.terminal import output_width, wrap_lines

    said = wrap_lines([clean(f"{why} {progress}; every answer is kept.")], output_width(sys.stderr))
    message = "\n".join([*said, clean(how_to_continue)])
    if outcome is Outcome.QUIT:
        click.echo(message, err=True)
        click.get_current_context().exit(0)
    raise Interrupted(message)


def print_end_screen(running: Running, next_steps: Sequence[str], *, below: int = 0) -> None:
    """The end on a terminal: one screen (see `quiz.ui.plain.end_screen_lines`), leaving
    `below` lines for what the command prints after it. The next steps are shown only when
    something was missed."""
    import os

    from quiz.ui.plain import end_screen_lines
    from quiz.ui.terminal import Style, output_width

    style = Style.for_stream(sys.stdout)
    try:
        rows = os.get_terminal_size(sys.stdout.fileno()).lines
    except OSError:
        rows = 24
    summary = running.session.summary()
    lines = end_screen_lines(
        summary,
        style,
        width=output_width(sys.stdout),
        rows=max(rows - 1 - below, 8),
        attempt_id=running.attempt_id,
        next_steps=next_steps if summary.missed else (),
    )
    for line in lines:
        click.echo(line, color=style.color)


def print_handout_end(session: Session) -> None:
    """The end of a handout: what was answered, and that the instructor grades it (no score,
    no right answers: the learner's copy has none)."""
    skipped = sum(1 for r in session.results if r.skipped)
    answered = len(session.results) - skipped
    click.echo(
        f"Done: {answered} of {session.total} questions answered"
        + (f", {skipped} skipped" if skipped else "")
        + ".\nThis is a handout: your instructor grades it. Send your results with"
        " `quiz scores export -o results.jsonl`; their graded file, imported with"
        " `quiz scores import --trust-scores`, shows your scores and the right answers."
    )


def print_end(session: Session, exam: bool, citations: Any = None, *, summary: bool = True) -> None:
    """The exam review (with --exam) and the summary (unless `summary` is False: a terminal
    ends with `print_end_screen` instead), wrapped to the terminal."""
    from quiz.ui.plain import exam_review_lines, summary_lines
    from quiz.ui.terminal import Style, output_width, wrap_lines

    style = Style.for_stream(sys.stdout)
    totals = session.summary()
    lines: list[str] = []
    if exam:
        lines += exam_review_lines(totals.results, style, citations)
    if summary:
        lines += summary_lines(totals, style)
    for line in wrap_lines(lines, output_width(sys.stdout)):
        click.echo(line, color=style.color)
