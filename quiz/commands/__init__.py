"""Click commands, one module per noun. Each module's `register(root)` adds its commands."""
