"""Learner stats, item analysis, report builders and renderers (CSV, JSON, Markdown, HTML)."""
