"""Use cases as plain functions over banks, session and store: start, resume, answer, finish,
grade a sheet, study, report. They never import click and never print.
"""
