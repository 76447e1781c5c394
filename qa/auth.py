"""Who may use a shared Parallax: sign-in when the app listens beyond this machine, and who decided what.

``make run`` binds 127.0.0.1: only this machine reaches the app, and review decisions are recorded under the
local account's name. Opened to the network (``make run HOST=0.0.0.0``, or any address that is not loopback,
or Streamlit's default of every interface), the app asks for a user name and password first. Passwords live
in Streamlit's secrets file (``.streamlit/secrets.toml``, never in the repository) as scrypt hashes only::

    [auth.users]
    alice = "scrypt$16384$8$1$<salt>$<hash>"

``python -m qa hash-password`` prints such a line. Without any user configured, a network-facing app refuses
everyone (it never falls back to open access). Failed sign-ins are slowed down per user name.
"""

from __future__ import annotations

import base64
import functools
import getpass
import hashlib
import hmac
import ipaddress
import os
import threading
import time
from collections.abc import Mapping

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # the interactive-login cost scrypt's authors recommend
SALT_BYTES, KEY_BYTES = 16, 32
MAX_FAILURES = 5  # failed attempts per user name in FAILURE_WINDOW_S before sign-in pauses...
FAILURE_WINDOW_S = 300.0
LOCKOUT_S = 60.0  # ...for this long
MAX_PASSWORD_CHARS = 1024


def hash_password(password: str, salt: bytes | None = None) -> str:
    """An scrypt hash of ``password`` as one string: ``scrypt$N$r$p$salt$hash`` (base64)."""
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=KEY_BYTES)
    encode = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (a :func:`hash_password` string); False for a malformed one."""
    try:
        scheme, n, r, p, salt, key = stored.strip().split("$")
        n_, r_, p_ = int(n), int(r), int(p)
        if scheme != "scrypt" or not (2 <= n_ <= 2**20 and 1 <= r_ <= 32 and 1 <= p_ <= 16):
            return False
        salt_bytes, key_bytes = base64.b64decode(salt, validate=True), base64.b64decode(key, validate=True)
    except (ValueError, TypeError):
        return False
    if len(password) > MAX_PASSWORD_CHARS or not key_bytes:
        return False
    try:
        candidate = hashlib.scrypt(
            password.encode("utf-8", "surrogatepass"), salt=salt_bytes, n=n_, r=r_, p=p_, dklen=len(key_bytes),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(candidate, key_bytes)


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to ``address`` is reachable from this machine only (None or "": every interface)."""
    if not address:
        return False
    host = address.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def configured_users(secrets: Mapping | None) -> dict[str, str]:
    """User name -> password hash from Streamlit secrets (``[auth.users]``); {} when none is configured."""
    try:
        users = (secrets or {}).get("auth", {}).get("users", {})
        return {str(name): str(value) for name, value in dict(users).items()}
    except (AttributeError, TypeError, ValueError):
        return {}


def local_user() -> str:
    """The name decisions are recorded under when the app is reachable from this machine only."""
    try:
        return f"{getpass.getuser()} (local)"
    except (KeyError, OSError):
        return "local user"


class SignIn:
    """Checks user names and passwords, pausing a user name after repeated failures (process-wide)."""

    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def attempt(self, users: Mapping[str, str], name: str, password: str, now: float | None = None) -> str | None:
        """The signed-in user name, or None; raises :class:`PermissionError` while ``name`` is paused."""
        now = time.monotonic() if now is None else now
        name = name.strip()
        with self._lock:
            recent = [t for t in self._failures.get(name, []) if now - t < FAILURE_WINDOW_S]
            if len(recent) >= MAX_FAILURES and now - recent[-1] < LOCKOUT_S:
                raise PermissionError(f"too many failed sign-ins; try again in {LOCKOUT_S - (now - recent[-1]):.0f} s")
        stored = users.get(name)
        # an unknown name costs the same hashing as a known one, so timing does not tell names apart
        ok = verify_password(password, stored if stored is not None else _dummy_hash()) and stored is not None
        with self._lock:
            if ok:
                self._failures.pop(name, None)
            else:
                self._failures[name] = [*recent, now]
        return name if ok else None


@functools.cache
def _dummy_hash() -> str:
    return hash_password("", salt=b"\0" * SALT_BYTES)


SIGN_IN = SignIn()

__all__ = ["SIGN_IN", "SignIn", "configured_users", "hash_password", "is_loopback", "local_user", "verify_password"]
