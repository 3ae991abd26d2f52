"""Widgets questionary lacks, built on prompt_toolkit in questionary's style.

`match` shows every left item with its current pick and the options with the used ones marked;
`order` is the list of items the learner places first to last, the whole order shown before it
is submitted. Each widget is a pure state (`MatchState`, `OrderState`: keys in, lines out,
testable without a terminal) and `base.build` turns one into a prompt_toolkit application that
`quiz.ui.interactive` runs like any questionary prompt (Ctrl-C, Ctrl-D and the footer of keys
are added there).
"""
