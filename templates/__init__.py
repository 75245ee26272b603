"""Installed as the data package generator.templates (see setup.py); holds no code."""
