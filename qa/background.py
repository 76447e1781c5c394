"""Work that starts at once and finishes in the background (the encoder's first load), so a page can show
itself and its inputs while it runs, and report progress."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class BackgroundLoad:
    """Runs ``load()`` once in a daemon thread; the result (or the error it raised) is kept for every caller."""

    def __init__(self, load: Callable[[], Any], name: str = "load"):
        self.started = time.monotonic()
        self.finished: float | None = None
        self._result: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(load,), name=f"parallax-{name}", daemon=True)
        self._thread.start()

    def _run(self, load: Callable[[], Any]) -> None:
        try:
            self._result = load()
        except BaseException as exc:  # kept and raised to the caller of result()
            self._error = exc
        finally:
            self.finished = time.monotonic()

    @property
    def done(self) -> bool:
        return self.finished is not None

    @property
    def elapsed(self) -> float:
        """Seconds since the start (until the end, once done)."""
        return (self.finished or time.monotonic()) - self.started

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; whether the load is done."""
        self._thread.join(timeout)
        return self.done

    def result(self) -> Any:
        """The loaded value (waits for it); re-raises the load's error."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result
