"""Recompute the character offsets of a story's annotations from their exact text.

Usage: ``python corpora/annotate.py corpora/<story>``. Each problem in ``annotations.json`` names its version
and the exact ``text`` of its span; this tool finds that text in the version file and rewrites ``start``/``end``,
so annotations survive edits to the texts and never need counting by hand. A text that occurs more than once
must carry a ``start`` pointing at the intended occurrence; a text that is missing is an error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FIELDS = ("version", "start", "end", "text", "type", "severity", "note")


def locate(text: str, needle: str, hint: int | None) -> int:
    """Offset of ``needle`` in ``text``: its only occurrence, or the one at ``hint`` when it occurs several times."""
    hits = []
    pos = text.find(needle)
    while pos != -1:
        hits.append(pos)
        pos = text.find(needle, pos + 1)
    if not hits:
        raise ValueError(f"not found: {needle!r}")
    if len(hits) == 1:
        return hits[0]
    if hint in hits:
        return hint
    raise ValueError(f"{needle!r} occurs {len(hits)} times (at {hits}); give 'start' of the intended one")


def annotate(folder: Path) -> list[dict]:
    """The story's problems with offsets recomputed from their text (raises ValueError on any mismatch)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    texts = {v["label"]: (folder / v["file"]).read_text(encoding="utf-8") for v in manifest["versions"]}
    problems = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))["problems"]
    out = []
    for item in problems:
        if item["version"] not in texts:
            raise ValueError(f"unknown version {item['version']!r}")
        start = locate(texts[item["version"]], item["text"], item.get("start"))
        item = {**item, "start": start, "end": start + len(item["text"])}
        item.setdefault("note", "")
        out.append({key: item[key] for key in FIELDS})
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    folder = Path(argv[0])
    try:
        problems = annotate(folder)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    body = ",\n".join("    " + json.dumps(p, ensure_ascii=False) for p in problems)
    (folder / "annotations.json").write_text('{\n  "problems": [\n' + body + "\n  ]\n}\n", encoding="utf-8")
    print(f"{folder}: {len(problems)} problems, offsets rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
