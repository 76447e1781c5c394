"""Zip archives from strangers (.docx uploads): unpacked with a real byte counter, never trusting declared sizes.

A zip's central directory states each member's size, and a hostile file can state anything. ``zipfile`` stops
a member at its declared size, but reads it with one huge decompression call (up to 2 GB of output held at
once), so a 1 MB member that claims little and inflates a thousandfold costs gigabytes before the CRC check
rejects it. Here every member is read through :meth:`zipfile.ZipFile.open` in small chunks, so each call
inflates at most one chunk, and the bytes that actually come out are counted against the limits; the first
byte over a limit stops the read. A member that does not match its stated size or checksum is refused.

:func:`read_members` returns the verified bytes of the members asked for; every other member (images, fonts,
styles) is inflated, checked and counted too, then dropped.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from qa.errors import InputError

CHUNK = 64 * 1024
MAX_MEMBERS = 2_000
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # everything inflated, media included (counted and dropped)
# the members kept (a .docx: its document part). Streamed through the parser at ~3 us an element, 8 MB of the
# densest markup (empty runs, 6 bytes each) costs about 5 s; a 2M-character article in Word is ~6 MB
MAX_KEPT_BYTES = 8 * 1024 * 1024


def read_members(
    data: bytes,
    name: str,
    keep: set[str],
    max_total: int = MAX_TOTAL_BYTES,
    max_kept: int = MAX_KEPT_BYTES,
) -> dict[str, bytes]:
    """The members ``keep`` of the zip ``data`` (every member checked while it is inflated).

    Raises :class:`InputError` for a file that is not a zip, holds too many members, inflates past a limit,
    lies about a member's size or checksum, or lacks a member of ``keep``.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, struct.error, NotImplementedError,
            RuntimeError) as exc:  # damaged directory, unsupported zip version or feature
        raise InputError(f"{name}: is not a valid .docx file (not a zip archive)") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"{name}: holds {len(infos):,} files; a document has far fewer")
        if not keep <= {i.filename for i in infos}:
            raise InputError(f"{name}: is not a Word .docx document")
        kept: dict[str, bytes] = {}
        total = kept_bytes = 0
        for info in infos:
            if info.is_dir():
                continue
            wanted = info.filename in keep and info.filename not in kept
            chunks: list[bytes] = []
            size = 0
            try:
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if total > max_total:
                            raise InputError(f"{name}: the document unpacks to more than {max_total // 2**20} MB")
                        if wanted:
                            kept_bytes += len(chunk)
                            if kept_bytes > max_kept:
                                raise InputError(
                                    f"{name}: the document's text part unpacks to more than {max_kept // 2**20} MB"
                                )
                            chunks.append(chunk)
            except InputError:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
                    RuntimeError, struct.error, UnicodeDecodeError) as exc:
                # bad CRC, truncated or overlong stream, unsupported compression or encryption
                raise InputError(f"{name}: the .docx file is damaged ({info.filename}: {exc})") from exc
            if size != info.file_size:
                raise InputError(f"{name}: the .docx file is damaged ({info.filename} is not the size it states)")
            if wanted:
                kept[info.filename] = b"".join(chunks)
    return kept


__all__ = ["read_members"]
