"""``python -m qa batch GROUPS.jsonl --out DIR``: the full check on every group, resumable.

Per group ``DIR/<group>.json`` (the schema of ``check --format json``) and ``DIR/<group>.html`` (the standalone
report); for the whole run ``DIR/flags.parquet`` and ``DIR/flags.csv`` (one row per flag, all groups),
``DIR/index.json`` and the dashboard ``DIR/index.html``.

Groups go to the engine in tasks of :data:`GROUPS_PER_TASK`, cut from the groups file in its order, so a task
holds the same groups however many workers run it; a task embeds the sentences of all its groups in one
encoder pass, then aligns and checks one group after the other.  A group is done when ``DIR/.state/<group>.done``
holds the content hash of its inputs (texts, languages, reference, model, precision, schema), written after its
outputs; a rerun skips done groups, so a killed run loses nothing and recomputes nothing that was finished.
A group that fails (bad input, an exception, a worker that kept dying) is recorded with a one-line reason in
``.state/<group>.failed`` and the index; the run goes on, and the next run tries it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from qa.checks.base import SEVERITIES
from qa.engine import Engine, Outcome, task_encoder
from qa.errors import InputError
from qa.report import FLAG_COLUMNS, SCHEMA_VERSION

GROUPS_PER_TASK = 4
STATE_DIR = ".state"
EXIT_OK, EXIT_FLAGGED, EXIT_FAILED = 0, 1, 2


@dataclass
class BatchResult:
    """What a run did: counts, the failures (one line each), the exit status, and where the time went."""

    total: int
    ran: int
    skipped: int
    failures: list[str]
    exit_code: int
    timings: dict[str, float] = field(default_factory=dict)

    def summary_line(self) -> str:
        return (f"{self.total} groups: {self.ran} checked, {self.skipped} unchanged since the last run (skipped), "
                f"{len(self.failures)} failed")


def read_groups(path: str | Path) -> list[dict]:
    """The groups of a GROUPS.jsonl file; raises :class:`InputError` naming the line that is malformed."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: is not UTF-8 text") from exc
    groups, seen = [], set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            group = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{p}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(group, dict) or not isinstance(group.get("members"), list) or not group.get("group"):
            raise InputError(f"{p}:{number}: expected a group object with \"group\" and \"members\" (as 'qa group' writes)")
        gid = str(group["group"])
        if gid in seen or not _safe_name(gid):
            raise InputError(f"{p}:{number}: group id '{gid}' is repeated or not usable as a file name")
        seen.add(gid)
        groups.append(group)
    return groups


def content_hash(group: dict, model: str | None) -> str:
    """Hash of everything that changes a group's report."""
    from qa.encoder import default_model_name, resolve_precision

    name = model or default_model_name()
    members = [(m.get("id"), m.get("text"), m.get("lang"), m.get("error")) for m in group["members"]]
    key = json.dumps([SCHEMA_VERSION, name, resolve_precision(None, name), group.get("reference"), members], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def check_groups(task: dict, model: str | None = None) -> list[dict]:
    """Task: check the groups of ``task`` (``{"groups": [...], "todo": [ids]}``); one result per group to do.

    All groups' sentences are embedded in one pass (those already done too, so that the embedding batches, and
    with int8 the vectors, are the same as in an uninterrupted run); then each group is aligned and checked.
    """
    from qa.checks import wordalign
    from qa.pipeline import VersionInput, analyze_versions, prepare_versions

    timings = {"embed_s": 0.0, "align_s": 0.0, "check_s": 0.0}
    prepared: dict[str, object] = {}
    for group in task["groups"]:
        try:
            prepared[group["group"]] = prepare_versions([_version_input(m, VersionInput) for m in group["members"]])
        except InputError as exc:
            prepared[group["group"]] = f"{group['group']}: {exc}"
    start = time.perf_counter()
    encoder = task_encoder(model)
    texts = [s for versions in prepared.values() if isinstance(versions, list) for v in versions for s in v.sentence_texts]
    encoder.encode(texts)
    timings["embed_s"] = time.perf_counter() - start
    results = []
    for group in task["groups"]:
        gid = group["group"]
        if gid not in task["todo"]:
            continue
        versions = prepared[gid]
        if isinstance(versions, str):
            results.append({"group": gid, "error": versions})
            continue
        stages: list[tuple[str, float]] = []
        try:
            embeddings = {v.label: encoder.encode(v.sentence_texts) for v in versions}
            reference = group.get("reference") if len(versions) > 1 else None
            with wordalign.private_cache():
                report = analyze_versions(versions, reference, model, lambda stage, _done, log=stages: log.append((stage, time.perf_counter())), embeddings)
        except Exception as exc:  # noqa: BLE001 - recorded as this group's failure; the others go on
            from qa.engine import one_line

            results.append({"group": gid, "error": f"{gid}: {one_line(exc)}"})
            continue
        _add_stage_times(stages, timings)
        results.append(_group_output(gid, report))
    if results:
        results[0]["timings"] = timings  # the task's times, counted once
    return results


def _version_input(member: dict, cls):
    if member.get("error"):
        raise InputError(member["error"])
    label = str(member.get("id") or "").strip()
    if not label:
        raise InputError("a member has no id")
    return cls(label, member.get("text") or "", member.get("lang"), member.get("source"))


def _add_stage_times(stages: list[tuple[str, float]], timings: dict[str, float]) -> None:
    """Aligning = from "Aligning" to the first check; checking = from there to "Done"."""
    marks = {}
    for stage, at in stages:
        kind = "align" if stage.startswith("Aligning") else "check" if stage.startswith("Checking") else "done" if stage == "Done" else None
        if kind and kind not in marks:
            marks[kind] = at
    if "check" in marks and "done" in marks:
        if "align" in marks:
            timings["align_s"] += marks["check"] - marks["align"]
        timings["check_s"] += marks["done"] - marks["check"]


def _group_output(gid: str, report) -> dict:
    from qa.export_html import to_html
    from qa.report import to_dict

    data = to_dict(report)
    return {
        "group": gid,
        "json": json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        "html": to_html(report, title=f"Parallax report · {gid}"),
    }


def run_batch(groups_path: str | Path, out_dir: str | Path, engine: Engine, model: str | None = None,
              fail_on: str | None = None, groups_per_task: int = GROUPS_PER_TASK) -> BatchResult:
    """Check every group of ``groups_path`` into ``out_dir``; see the module docstring."""
    out = Path(out_dir)
    state = out / STATE_DIR
    try:
        state.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {out}: {exc.strerror}") from exc
    groups = read_groups(groups_path)
    hashes = {g["group"]: content_hash(g, model) for g in groups}
    done = {gid for gid, h in hashes.items() if _read(state / f"{gid}.done") == h and (out / f"{gid}.json").exists()}
    tasks = []
    for i in range(0, len(groups), groups_per_task):
        chunk = groups[i : i + groups_per_task]
        todo = [g["group"] for g in chunk if g["group"] not in done]
        if todo:
            tasks.append({"groups": chunk, "todo": todo})
    timings = {"embed_s": 0.0, "align_s": 0.0, "check_s": 0.0}
    failures: dict[str, str] = {}
    ran = 0

    def record(outcome: Outcome) -> int:
        """Write one task's outputs; return how many of its groups failed."""
        nonlocal ran
        task = tasks[outcome.index]
        before = len(failures)
        if outcome.error:
            for gid in task["todo"]:
                _record_failure(state, gid, hashes[gid], f"{gid}: {outcome.error}", failures)
            return len(task["todo"])
        for result in outcome.value:
            gid = result["group"]
            for key, value in result.get("timings", {}).items():
                timings[key] += value
            if result.get("error"):
                _record_failure(state, gid, hashes[gid], result["error"], failures)
                continue
            _write_atomic(out / f"{gid}.json", result["json"])
            _write_atomic(out / f"{gid}.html", result["html"])
            (state / f"{gid}.failed").unlink(missing_ok=True)
            _write_atomic(state / f"{gid}.done", hashes[gid])
            ran += 1
        return len(failures) - before

    start = time.perf_counter()
    for _ in engine.map(check_groups, tasks, model, label="groups", weights=[len(t["todo"]) for t in tasks], on_result=record):
        pass
    timings["wall_s"] = time.perf_counter() - start
    for gid in {g["group"] for g in groups} - done - failures.keys():
        if _read(state / f"{gid}.done") != hashes[gid]:  # a task result that never came back
            _record_failure(state, gid, hashes[gid], f"{gid}: no result (the run was interrupted)", failures)
    from qa.batch_index import write_index

    summary = write_index(out, groups, failures)
    flagged = fail_on is not None and any(
        SEVERITIES.index(sev) <= SEVERITIES.index(fail_on) and row.get(sev, 0) for row in summary for sev in SEVERITIES
    )
    code = EXIT_FAILED if failures else EXIT_FLAGGED if flagged else EXIT_OK
    return BatchResult(len(groups), ran, len(done), [failures[g] for g in sorted(failures)], code, timings)


def _record_failure(state: Path, gid: str, digest: str, reason: str, failures: dict[str, str]) -> None:
    failures[gid] = reason
    (state / f"{gid}.done").unlink(missing_ok=True)
    _write_atomic(state / f"{gid}.failed", json.dumps({"hash": digest, "reason": reason}, ensure_ascii=False))


def failure_reason(out_dir: Path, gid: str) -> str | None:
    """The recorded one-line reason why group ``gid`` failed in the last run, if it did."""
    text = _read(Path(out_dir) / STATE_DIR / f"{gid}.failed")
    if text is None:
        return None
    try:
        return json.loads(text)["reason"]
    except (ValueError, KeyError, TypeError):
        return "failed (reason unreadable)"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: a killed run never leaves half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc


def _safe_name(gid: str) -> bool:
    return bool(gid) and all(ch.isalnum() or ch in "-_." for ch in gid) and not gid.startswith(".")


__all__ = ["FLAG_COLUMNS", "BatchResult", "check_groups", "content_hash", "read_groups", "run_batch"]
