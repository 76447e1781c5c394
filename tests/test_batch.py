"""qa group and qa batch: grouping a generated pile, bad inputs, a real two-worker LocalCluster (same outputs
as one process), resume after a killed run and a killed worker, a failing group."""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from qa import cli
from qa.articles import read_articles
from qa.batch import STATE_DIR, run_batch
from qa.engine import Engine
from qa.group import group_articles, write_groups

ROOT = Path(__file__).resolve().parents[1]


def _pile_module():
    spec = importlib.util.spec_from_file_location("bench_pile", ROOT / "bench" / "pile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pile(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    articles = _pile_module().make_pile(14, seed=3)
    path = tmp_path_factory.mktemp("pile") / "pile.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path, {a["id"]: a["story"] for a in articles}


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit=0, dashboard_address=None)
    with Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def grouped(pile, tmp_path_factory) -> Path:
    """The pile grouped in this process (the reference run)."""
    path, _ = pile
    out = tmp_path_factory.mktemp("groups") / "groups.jsonl"
    with Engine(workers=0, progress=False) as engine:
        write_groups(group_articles(read_articles(path), engine), str(out))
    return out


@pytest.fixture(scope="module")
def checked(grouped, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("batch-ref")
    with Engine(workers=0, progress=False) as engine:
        result = run_batch(grouped, out, engine, groups_per_task=2)
    assert result.exit_code == 0 and not result.failures
    return out


def _pairs(assignment: dict[str, str]) -> set[tuple[str, str]]:
    return {(a, b) for a, b in itertools.combinations(sorted(assignment), 2) if assignment[a] == assignment[b]}


def _reports(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.json")) if p.name != "index.json"}


def test_groups_found(pile, grouped):
    _, truth = pile
    predicted = {m["id"]: g["group"] for line in grouped.read_text().splitlines() for g in [json.loads(line)] for m in g["members"]}
    assert set(predicted) == set(truth)  # every article listed, singletons too
    assert _pairs(predicted) == _pairs(truth)
    for line in grouped.read_text().splitlines():
        group = json.loads(line)
        reference = group["members"][0]
        assert reference["id"] == group["reference"] and reference["coverage"] == 1.0
        assert all(m["published"] >= reference["published"] for m in group["members"])  # earliest is the reference


def test_cluster_gives_the_same_groups_and_reports(pile, grouped, checked, client, tmp_path):
    path, _ = pile
    with Engine(client=client, progress=False) as engine:
        write_groups(group_articles(read_articles(path), engine), str(tmp_path / "groups.jsonl"))
        assert (tmp_path / "groups.jsonl").read_text() == grouped.read_text()
        result = run_batch(grouped, tmp_path / "out", engine, groups_per_task=2)
    assert result.exit_code == 0 and result.ran == len(grouped.read_text().splitlines())
    assert _reports(tmp_path / "out") == _reports(checked)
    assert (tmp_path / "out" / "flags.csv").read_text() == (checked / "flags.csv").read_text()
    index = json.loads((tmp_path / "out" / "index.json").read_text())
    assert [r["group"] for r in index] == [r["group"] for r in json.loads((checked / "index.json").read_text())]
    assert "<a href=" in (tmp_path / "out" / "index.html").read_text()


class _KilledAfterFirst(Engine):
    """The run dies after its first task result was written (as a killed process would)."""

    def map(self, *args, **kwargs):
        for outcome in super().map(*args, **kwargs):
            yield outcome
            raise KeyboardInterrupt


def test_resume_after_a_killed_run_and_a_killed_worker(grouped, checked, client, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt), _KilledAfterFirst(client=client, progress=False) as engine:
        run_batch(grouped, out, engine, groups_per_task=2)
    first = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    assert first  # something was finished before the kill

    pids = list(client.run(os.getpid).values())
    killer = threading.Thread(target=_kill_when_done, args=(out, len(first) + 1, pids[0]))
    killer.start()
    with Engine(client=client, progress=False) as engine:
        result = run_batch(grouped, out, engine, groups_per_task=2)
    killer.join()
    assert result.skipped == len(first) and result.ran == result.total - len(first) and result.exit_code == 0
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json") if p.name in first} == first  # not recomputed
    assert _reports(out) == _reports(checked)  # nothing lost, nothing different
    with Engine(client=client, progress=False) as engine:
        again = run_batch(grouped, out, engine, groups_per_task=2)
    assert again.ran == 0 and again.skipped == again.total


def _kill_when_done(out: Path, count: int, pid: int) -> None:
    """Kill one worker process once ``count`` groups are done (mid-run): Dask reruns its task elsewhere."""
    deadline = time.time() + 120
    while time.time() < deadline and len(list((out / STATE_DIR).glob("*.done"))) < count:
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def test_a_failing_group_is_recorded_and_the_rest_done(grouped, tmp_path, capsys):
    lines = grouped.read_text().splitlines()
    broken = json.loads(lines[0])
    broken["group"] = "broken-group"
    broken["members"][0]["text"] = ""
    groups = tmp_path / "groups.jsonl"
    groups.write_text("\n".join([json.dumps(broken)] + lines[1:3]) + "\n")
    code = cli.main(["batch", str(groups), "--out", str(tmp_path / "out"), "--workers", "0", "--no-progress"])
    assert code == 2
    err = capsys.readouterr().err
    assert "failed: " in err and "is empty" in err and "broken-group" in err
    index = json.loads((tmp_path / "out" / "index.json").read_text())
    assert index[0]["group"] == "broken-group" and index[0]["status"] == "failed" and "is empty" in index[0]["reason"]
    assert all(r["status"] == "ok" for r in index[1:]) and len(index) == 3
    assert "is empty" in (tmp_path / "out" / "index.html").read_text()


def test_bad_inputs_are_reported_and_listed(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    story = _pile_module().make_pile(4, seed=5)
    for a in story:
        (folder / f"{a['id']}.txt").write_text(a["text"], encoding="utf-8")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0IHDR" + bytes(200))
    (folder / "blank.txt").write_text("   \n\n")
    (folder / "numbers.txt").write_text("1234 5678 ### 99 %%%%")
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text('{"id": "a", "text": "Rain fell in the city on Monday."}\n{"id": "a", "text": "Again the id a, about snow."}\nnot json\n')

    out = tmp_path / "groups.jsonl"
    assert cli.main(["group", str(folder), "--out", str(out), "--workers", "0", "--no-progress"]) == 0
    err = capsys.readouterr().err
    listed = {m["id"]: m for line in out.read_text().splitlines() for m in json.loads(line)["members"]}
    assert set(listed) == {f"{a['id']}.txt" for a in story} | {"photo.txt", "blank.txt", "numbers.txt", "huge.txt"}
    for name, words in [("photo.txt", "binary"), ("blank.txt", "empty"), ("numbers.txt", "language"), ("huge.txt", "too large")]:
        line = next(x for x in err.splitlines() if x.startswith(f"warning: {name}"))
        assert words in line and listed[name]["error"]

    assert cli.main(["group", str(jsonl), "--out", str(out), "--workers", "0", "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "duplicate id" in err and "a~2" in err and "more.jsonl:3: not a JSON object" in err
    assert {m["id"] for line in out.read_text().splitlines() for m in json.loads(line)["members"]} == {"a", "a~2", "more.jsonl:3"}
