"""Installed as the data package generator.templates (see pyproject.toml); holds no code."""
