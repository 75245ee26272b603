"""Install schemas/ and templates/ inside the package, as generator.schemas and
generator.templates, so that editable installs and wheels both read them through
importlib.resources. Every subfolder of them (fonts/, and any added later) goes along.
"""

from pathlib import Path

from setuptools import find_packages, setup

DATA = {"generator.schemas": "schemas", "generator.templates": "templates"}


def data_packages() -> list[str]:
    """The data packages: each data folder and every subfolder in it."""
    names = []
    for package, folder in DATA.items():
        names.append(package)
        for sub in sorted(p for p in Path(folder).rglob("*") if p.is_dir()):
            if "__pycache__" not in sub.parts:
                names.append(".".join((package, *sub.relative_to(folder).parts)))
    return names


setup(
    packages=[*find_packages(include=["generator", "generator.*"]), *data_packages()],
    package_dir=DATA,
    package_data={
        "generator": ["data/*.yaml"],  # laws and thresholds registries
        **{name: ["*"] for name in data_packages()},
    },
)
