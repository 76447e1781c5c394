"""Zip archives from strangers (.docx uploads): unpacked with a real byte counter, never trusting declared sizes.

A zip's central directory states each member's size, and a hostile file can state anything. ``zipfile`` stops
a member at its declared size, but reads it with one huge decompression call (up to 2 GB of output held at
once), so a 1 MB member that claims little and inflates a thousandfold costs gigabytes before the CRC check
rejects it. Here every member is read through :meth:`zipfile.ZipFile.open` in small chunks, so each call
inflates at most one chunk, and the bytes that actually come out are counted against the limits; the first
byte over a limit stops the read. A member that does not match its stated size or checksum is refused.

:func:`verified_archive` returns a fresh archive built from the verified bytes, so the parser that reads it
next (python-docx) never inflates the original stream. Members the text does not need (images, fonts,
embedded objects: anything but XML parts) are counted, then written empty, which keeps the rebuilt
archive's size to the document's markup.
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
MAX_MARKUP_BYTES = 32 * 1024 * 1024  # XML parts kept for the parser (a 2M-character article is ~10 MB of XML)
MARKUP_SUFFIXES = (".xml", ".rels")


def verified_archive(
    data: bytes,
    name: str,
    max_total: int = MAX_TOTAL_BYTES,
    max_markup: int = MAX_MARKUP_BYTES,
    required: str | None = None,
) -> bytes:
    """A rebuilt zip of ``data``'s markup members, each checked while it is inflated.

    Raises :class:`InputError` for a file that is not a zip, holds too many members, inflates past a limit,
    lies about a member's size or checksum, or lacks the ``required`` member.
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
        if required is not None and required not in {i.filename for i in infos}:
            raise InputError(f"{name}: is not a Word .docx document")
        out = io.BytesIO()
        total = markup = 0
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rebuilt:
            for info in infos:
                if info.is_dir():
                    continue
                keep = info.filename.lower().endswith(MARKUP_SUFFIXES)
                chunks: list[bytes] = []
                size = 0
                try:
                    with archive.open(info) as member:
                        while chunk := member.read(CHUNK):
                            size += len(chunk)
                            total += len(chunk)
                            if total > max_total:
                                raise InputError(f"{name}: the document unpacks to more than {max_total // 2**20} MB")
                            if keep:
                                markup += len(chunk)
                                if markup > max_markup:
                                    raise InputError(
                                        f"{name}: the document's text parts unpack to more than {max_markup // 2**20} MB"
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
                rebuilt.writestr(info.filename, b"".join(chunks) if keep else b"")
    return out.getvalue()


__all__ = ["verified_archive"]
