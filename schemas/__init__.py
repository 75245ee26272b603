"""Installed as the data package generator.schemas (see setup.py); holds no code."""
