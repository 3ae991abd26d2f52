"""Click commands, one module per command group: `take`, `study`, `grade`, `banks`, `scores`.

Each module's `register(root)` adds its one command (or group, with every subcommand) to the
root; `quiz.cli.COMMANDS` maps each command to its module. Shared click helpers are in `common`;
the use cases they call are in `quiz.app`.
"""
