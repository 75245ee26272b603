"""Where this avtal was installed from, as a requirement pip can install again.

pip records the source of a direct install in the distribution's direct_url.json
(PEP 610): the wheel file or URL, the git commit, or the folder. A team repository
made by `avtal init` installs avtal from the same source, so its requirements.txt,
CI and pre-commit hook get the avtal its author has; installed from an index, the
version is pinned.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib.metadata import distributions
from typing import Any

from . import __version__

NAME = "avtal"


def requirement() -> str:
    """The requirement that installs this avtal again (see the module's docstring)."""
    for dist in distributions(name=NAME):
        text = dist.read_text("direct_url.json")
        if text:
            try:
                return from_direct_url(json.loads(text))
            except ValueError:
                break  # a direct_url.json pip did not write: pin the version instead
    return f"{NAME}=={__version__}"


def from_direct_url(data: Mapping[str, Any]) -> str:
    """A PEP 508 requirement for the source a PEP 610 direct_url.json records."""
    url = data.get("url")
    if not isinstance(url, str) or not url or any(c.isspace() for c in url):
        raise ValueError("direct_url.json has no usable url")
    vcs = data.get("vcs_info")
    if isinstance(vcs, Mapping):
        commit = vcs.get("commit_id")
        return f"{NAME} @ {vcs.get('vcs', 'git')}+{url}" + (f"@{commit}" if commit else "")
    archive = data.get("archive_info")
    if isinstance(archive, Mapping) and "#" not in url:
        sha256 = _sha256(archive)
        if sha256:  # pip checks the file against it
            url = f"{url}#sha256={sha256}"
    return f"{NAME} @ {url}"


def _sha256(archive: Mapping[str, Any]) -> str:
    hashes = archive.get("hashes")
    if isinstance(hashes, Mapping) and isinstance(hashes.get("sha256"), str):
        return str(hashes["sha256"])
    legacy = archive.get("hash")  # "sha256=<hex>", before the hashes table
    if isinstance(legacy, str) and legacy.startswith("sha256="):
        return legacy.removeprefix("sha256=")
    return ""
