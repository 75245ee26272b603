"""Installed as the data package generator.schemas (see pyproject.toml); holds no code."""
