"""Build records this machine wrote, told apart from records a repository carries.

A manifest lets a later build skip work: reuse a spec's check, its Markdown-field
check, its documents. Anything in the repository may come from a pull request, so a
manifest is trusted only when it bears an HMAC made with a key that never is in the
repository: a random key in the user's cache folder (XDG_CACHE_HOME or ~/.cache,
LOCALAPPDATA on Windows), created readable by its owner alone. A record without a
valid signature counts as no record: everything it would have skipped is done again.
Where no key can be kept, the process makes one of its own, so nothing written
before it is trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from functools import cache
from pathlib import Path

KEY_BYTES = 32
_FIELD = b'{\n  "signature": "'
_HEX = 64


def key_path() -> Path:
    """Where this user's build key is kept, outside any repository."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif os.environ.get("XDG_CACHE_HOME", "").startswith("/"):
        base = Path(os.environ["XDG_CACHE_HOME"])
    else:
        base = Path.home() / ".cache"
    return base / "avtal" / "build.key"


@cache
def machine_key() -> bytes:
    """The key of this user on this machine: read, or created once with mode 0600."""
    path = key_path()
    try:
        return _read_key(path) or _create_key(path) or secrets.token_bytes(KEY_BYTES)
    except (OSError, RuntimeError):  # no home, a read-only cache: trust nothing earlier
        return secrets.token_bytes(KEY_BYTES)


def _read_key(path: Path) -> bytes | None:
    """The key file's bytes when it is a regular file of ours that only we can read."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size != KEY_BYTES:
            raise OSError(f"{path}: ingen nyckelfil")
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            raise OSError(f"{path}: andra än ägaren kan läsa nyckeln")
        return file.read(KEY_BYTES)


def _create_key(path: Path) -> bytes | None:
    """A new random key written to `path` (0600); None when another process won the race."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(handle, "wb") as file:
        file.write(key)
    return key


def _mac(body: bytes) -> bytes:
    return hmac.new(machine_key(), body, hashlib.sha256).hexdigest().encode()


def sign(body: bytes) -> bytes:
    """A JSON object's text (`{\\n  ...`, as json.dumps(indent=2) writes it) with this
    machine's signature as its first field."""
    if not body.startswith(b"{\n"):
        raise ValueError("a signed record is a JSON object written with indent=2")
    return _FIELD + _mac(body) + b'",\n' + body[2:]


def verified(data: bytes) -> bytes | None:
    """The record's text as signed, or None unless this machine signed exactly these bytes."""
    end = len(_FIELD) + _HEX
    if not data.startswith(_FIELD) or data[end : end + 3] != b'",\n':
        return None
    body = b"{\n" + data[end + 3 :]
    return body if hmac.compare_digest(data[len(_FIELD) : end], _mac(body)) else None
