"""`quiz study`: spaced repetition. The scheduler is `quiz.app.study`, the session's start and
saving `quiz.app.attempts`; this module has the options and what is printed."""

from __future__ import annotations

import sys
from collections.abc import Mapping

import click

from quiz.commands import common
from quiz.commands.common import StoredInt, complete_bank_ids, config


def register(root: click.Group) -> None:
    """Add `study` to the root group."""
    root.add_command(study)


@click.command()
@click.argument("banks", nargs=-1, metavar="[BANK]...", shell_complete=complete_bank_ids)
@click.option(
    "--count",
    "-n",
    type=StoredInt(min=1),
    default=20,
    show_default=True,
    help="Review at most N questions.",
)
@click.option("--user", metavar="NAME", help="Who is answering [default: QUIZ_USER, the login].")
@click.option("--plain", is_flag=True, help="Numbered options, answers read line by line.")
@click.pass_context
def study(
    ctx: click.Context, banks: tuple[str, ...], count: int, user: str | None, plain: bool
) -> None:
    """Spaced repetition (FSRS): the questions due for review first, then new ones.

    A right answer rates Good, a partly right one Hard, a wrong one Again; a skipped question
    stays due. At the end: how many questions are due today, tomorrow and this week.
    The keys are `quiz take`'s (1-9 pick, t/f, s skips, q saves and quits: exit 0);
    Ctrl-C or Ctrl-D stops with every answer kept, exit 130.
    """
    from quiz.app import attempts
    from quiz.ui.interrupts import checkpoint
    from quiz.ui.plain import Outcome

    checkpoint("load")
    is_interactive = common.screen_mode(plain)
    who = config(ctx).user(user)
    chosen, bank_args = common.choose_banks(banks, is_interactive)
    bank_ids = [b.id for b in chosen]
    with attempts.open_store(config(ctx).store) as store:
        who = config(ctx).user_on(store, who, user is not None)
        running = attempts.start_study(store, who, chosen, count)
        if running is None:
            click.echo("Nothing to review now.")
            click.echo(forecast_text(attempts.study_forecast(store, who, bank_ids)))
            return
        citations = attempts.citations(chosen)
        due, new = attempts.study_counts(store, who, running)
        click.echo(f"Study: {due} due for review, {new} new.")
        extra = [*(["--user", user] if user else []), *(["--plain"] if plain else [])]
        command = common.resume_command(ctx, bank_args, extra)
        with common.answers_kept(running.session, f"Continue with: {command}"):
            outcome = common.run_front_end(running, is_interactive, citations)
            attempts.finish(store, running)  # a study session is not resumed: rerun it
        forecast = attempts.study_forecast(store, who, bank_ids)
        if outcome is not Outcome.DONE:
            common.stopped(
                running.session, outcome, f"{forecast_text(forecast)}\nContinue with: {command}"
            )
    if is_interactive and sys.stdout.isatty():  # the end on one screen, then what is due
        common.print_end_screen(running, [], below=1)
    else:
        common.print_end(running.session, exam=False, citations=citations)
    click.echo(forecast_text(forecast))


def forecast_text(forecast: Mapping[str, int]) -> str:
    """ "Due today: 3, tomorrow: 0, this week: 5." """
    return (
        f"Due today: {forecast.get('today', 0)}, tomorrow: {forecast.get('tomorrow', 0)},"
        f" this week: {forecast.get('week', 0)}."
    )
