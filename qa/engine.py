"""Where archive-scale work runs: in this process, on a Dask ``LocalCluster`` sized to the machine, or on an
existing Dask scheduler (``--cluster tcp://HOST:PORT``), with one code path for all three.

:class:`Engine` maps a task function over a list of items and yields each result as it completes, with a
terminal progress bar (done, failed, ETA).  A task's exception, or a worker dying more often than Dask's
retries allow, comes back as that item's one-line failure; the other items go on.  Every Dask worker loads the
sentence encoder once when it starts (:class:`ModelPreload`), not once per task; the encoder then stays cached
in the worker process.  Workers run one thread each, so one task never competes with another for a core.

Task results must not depend on which worker ran a task or what it ran before: :func:`task_encoder` gives a
task an encoder with an empty cache that shares the process's loaded model, so the vectors of a task depend
only on the task's own texts (int8 activations are scaled per batch).
"""

from __future__ import annotations

import logging
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from distributed import WorkerPlugin

from qa.encoder import Encoder, get_encoder
from qa.errors import ParallaxError

LOCAL = "local"  # the default: a LocalCluster on this machine
IN_PROCESS = "in-process"  # no Dask: tasks run here one after the other (tests, debugging)


def task_encoder(model: str | None = None) -> Encoder:
    """An encoder sharing this process's loaded model but with a cache of its own (see the module docstring)."""
    base = get_encoder(model)
    return Encoder(base.name, base.model, base.prefix, base.precision, base.batch_size)


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class ModelPreload(WorkerPlugin):
    """Dask worker plugin: load the encoder when the worker starts, so tasks find it in the process cache."""

    name = "parallax-model-preload"

    def __init__(self, model: str | None) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:  # noqa: ARG002 - Dask's plugin API
        get_encoder(self.model)


@dataclass
class Outcome:
    """One item's result: ``value`` when its task ran, else ``error`` (one line)."""

    index: int
    value: Any = None
    error: str | None = None


class Engine:
    """Run tasks in this process (``workers=0``), on a fresh ``LocalCluster`` or on the scheduler at ``cluster``."""

    def __init__(
        self,
        cluster: str | None = None,
        workers: int | None = None,
        model: str | None = None,
        progress: bool = True,
        client: Any = None,
    ) -> None:
        self.address = cluster
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        self.model = model
        self.progress = progress
        self.client = client  # an already connected dask.distributed.Client (tests share one)
        self._own_client = False
        self._cluster = None

    @property
    def mode(self) -> str:
        if self.client is not None or self.address:
            return self.address or "client"
        return IN_PROCESS if self.workers == 0 else LOCAL

    def __enter__(self) -> Engine:
        if self.mode == IN_PROCESS:
            get_encoder(self.model)
            return self
        if self.client is None:
            self._connect()
        self._register_preload()
        return self

    def _register_preload(self) -> None:
        """Register :class:`ModelPreload` (workers that join later get it too).  A worker dying meanwhile makes
        the broadcast fail: try again; if it keeps failing, tasks still load the model on first use."""
        for attempt in range(3):
            try:
                self.client.register_plugin(ModelPreload(self.model), name=ModelPreload.name)
                return
            except OSError:  # distributed's CommClosedError is one
                time.sleep(1.0 + attempt)
        print("dask: could not preload the model on every worker; tasks load it on first use", file=sys.stderr)

    def __exit__(self, *_exc: object) -> None:
        if self._own_client:
            self.client.close()
            if self._cluster is not None:
                self._cluster.close()
            self.client = self._cluster = None

    def _connect(self) -> None:
        from dask.distributed import Client, LocalCluster

        logging.getLogger("distributed").setLevel(logging.ERROR)
        try:
            if self.address:
                self.client = Client(self.address, timeout="20s")
            else:
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    memory_limit=0,
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self._cluster)
        except OSError as exc:
            raise ParallaxError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from exc
        self._own_client = True
        link = _dashboard_link(self.client)
        where = self.address or f"local cluster of {self.workers} worker{'s' if self.workers != 1 else ''}"
        print(f"dask: {where}" + (f"; dashboard {link}" if link else "; no dashboard (bokeh not installed)"), file=sys.stderr)

    def worker_count(self) -> int:
        if self.mode == IN_PROCESS:
            return 1
        return len(self.client.scheduler_info(n_workers=-1)["workers"])

    def worker_memory_mb(self) -> dict[str, float]:
        """Peak resident memory of each worker (this process's when running in-process), in MB."""
        if self.mode == IN_PROCESS:
            return {"in-process": round(peak_memory_mb(), 1)}
        return {k: round(v, 1) for k, v in self.client.run(peak_memory_mb).items()}

    def map(
        self,
        fn: Callable[..., Any],
        items: Sequence[Any],
        *shared: Any,
        label: str = "tasks",
        weights: Sequence[int] | None = None,
        on_result: Callable[[Outcome], int | None] | None = None,
    ) -> Iterator[Outcome]:
        """Yield ``Outcome(i, fn(items[i], *shared))`` for every item, in completion order.

        ``shared`` arguments go to every task (sent to each worker once); ``weights`` (e.g. groups per task)
        drive the progress bar; ``on_result`` sees each outcome first and may return how many of its items
        failed (shown on the bar).
        """
        weights = list(weights) if weights is not None else [1] * len(items)
        bar = _bar(sum(weights), label, self.progress)
        failed = 0
        try:
            for outcome in self._run(fn, items, shared):
                counted = on_result(outcome) if on_result is not None else None
                failed += counted if counted is not None else weights[outcome.index] * (outcome.error is not None)
                bar.set_postfix_str(f"failed {failed}", refresh=False)
                bar.update(weights[outcome.index])
                yield outcome
        finally:
            bar.close()

    def _run(self, fn: Callable[..., Any], items: Sequence[Any], shared: tuple) -> Iterator[Outcome]:
        if self.mode == IN_PROCESS:
            for i, item in enumerate(items):
                try:
                    yield Outcome(i, fn(item, *shared))
                except Exception as exc:  # noqa: BLE001 - one task's failure is recorded, the run goes on
                    yield Outcome(i, error=one_line(exc))
            return
        from dask.distributed import as_completed

        # one future per shared object (a dict given as such would be scattered key by key)
        shared_futures = self.client.scatter(list(shared), broadcast=True, hash=False) if shared else []
        futures = [self.client.submit(fn, item, *shared_futures, pure=False) for item in items]
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for future in as_completed(futures):
                i = index[future.key]
                try:
                    yield Outcome(i, future.result())
                except Exception as exc:  # noqa: BLE001 - a task error or a worker that kept dying
                    yield Outcome(i, error=one_line(exc))
                future.release()
        finally:
            for future in futures:
                future.cancel()


def one_line(exc: BaseException) -> str:
    """An exception as one line a user can read: the message of ours, else type and first line."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, ParallaxError):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _dashboard_link(client: Any) -> str | None:
    try:
        import bokeh  # noqa: F401 - Dask serves its dashboard only with bokeh installed
    except ImportError:
        return None
    services = client.scheduler_info(n_workers=0).get("services", {})
    return client.dashboard_link if "dashboard" in services else None


def _bar(total: int, label: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="", disable=not enabled, file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
