"""Documents in: bytes or files -> validated text, with errors a user can act on."""

from __future__ import annotations

from pathlib import Path

from qa.errors import InputError

MAX_CHARS = 2_000_000  # about 300,000 words: far beyond any news report
MAX_BYTES = 8 * MAX_CHARS


def decode_text(data: bytes, name: str = "input") -> str:
    """Decode ``data`` as text (UTF-8, UTF-16 with BOM, or a legacy code page).

    Raises :class:`InputError` for binary data, undecodable bytes, or empty text.
    """
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: {len(data) / 1e6:.1f} MB is too large (limit {MAX_BYTES / 1e6:.0f} MB)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data, "utf-16", name)
    elif b"\0" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_legacy(data, name)
    return validate_text(text.replace("\r\n", "\n").replace("\r", "\n"), name)


def validate_text(text: str, name: str = "input") -> str:
    """Check pasted or decoded text: not empty, not huge, no NUL bytes."""
    if "\0" in text:
        raise InputError(f"{name}: contains NUL bytes; it looks like a binary file, not text")
    if len(text) > MAX_CHARS:
        raise InputError(f"{name}: {len(text):,} characters is too long (limit {MAX_CHARS:,})")
    if not text.strip():
        raise InputError(f"{name}: is empty")
    return text


def read_file_bytes(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of the file at ``path``, at most ``max_bytes`` + 1 of them (a device such as /dev/zero never ends).

    Raises :class:`InputError` when the path is missing, a folder, or unreadable.  Callers
    compare the length with their own limit to say what is too large.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, not a file")
    try:
        with p.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror})") from exc


def read_text_file(path: str | Path) -> str:
    """Read a plain-text version from ``path`` with the checks of :func:`decode_text`."""
    data = read_file_bytes(path, MAX_BYTES)
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: more than {MAX_BYTES / 1e6:.0f} MB is too large for a news report")
    return decode_text(data, str(path))


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: is not valid {encoding} text (byte {exc.start})") from exc


def _decode_legacy(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: is neither UTF-8 nor a recognisable text encoding; save it as UTF-8")
    return str(best)
