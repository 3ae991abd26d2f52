"""The bank layer: the model (frozen dataclasses), YAML read with every problem located,
finding banks, lint, scaffold, dump, answer sheets.
"""
