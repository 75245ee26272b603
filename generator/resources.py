"""The defaults the installed package carries: schema, templates, fonts, reference document.

The sources are the top-level `schemas/` and `templates/` folders of the avtal repository;
pyproject.toml installs them as the packages `generator.schemas` and `generator.templates`, so an
editable install and a wheel both find them here through importlib.resources.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from .errors import EnvironmentProblem

SCHEMA_NAME = "agreement.schema.json"


@cache
def _folder(package: str) -> Path:
    """The folder of a data package; pandoc and typst need real files, not a zip."""
    try:
        root = files(package)
    except ModuleNotFoundError as err:
        raise EnvironmentProblem(
            f"avtal är ofullständigt installerat ({package} saknas); installera om paketet "
            "med pip install avtal (eller pip install -e . i en utcheckning)"
        ) from err
    if not isinstance(root, Path):
        raise EnvironmentProblem(
            f"avtal måste installeras som vanliga filer, inte i ett zip-arkiv ({root})"
        )
    return root


def templates_dir() -> Path:
    """The built-in templates (Jinja2, Lua filter, Typst template, reference.docx, fonts)."""
    return _folder("generator.templates")


def schema_path() -> Path:
    """The agreement JSON Schema shipped with the package."""
    return _folder("generator.schemas") / SCHEMA_NAME


def code_dir() -> Path:
    """The generator package's own folder (its code is part of every build hash)."""
    return Path(__file__).resolve().parent


def parse_data(text: str) -> Any:
    """One of our own data files (generator/data: laws, thresholds, the statute index),
    read with libyaml where it is installed: the files are ours, not the user's, and
    some are read on every start, where PyYAML's own reader takes five times longer."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
