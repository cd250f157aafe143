"""The rate limits' in-process storage when there is no Redis (`make run`, tests): `memory-swept://`.

limits' own memory storage sweeps expired counters in a `threading.Timer` that it starts again on
every hit once the last one has run (10 ms later): under a stream of API calls (casting votes) each
worker started about a hundred threads a second, and each start waits for the new thread to get the
interpreter from the request threads. The counters need no thread: a fixed-window counter is already
dropped when it is read after its expiry, and the sweep that bounds memory for keys never read again
runs here inline, at most once a second, on the hit that finds it due.

Production counts in Redis (RATELIMIT_STORAGE_URI from REDIS_URL) and never loads this.
"""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

from limits.storage import MemoryStorage

#: seconds between two sweeps of expired counters
SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    """limits' memory storage with its expired entries swept inline instead of by timer threads."""

    STORAGE_SCHEME: ClassVar[list[str]] = ["memory-swept"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._sweep_lock = threading.Lock()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    # limits calls `self.__schedule_expiry()` after every hit; its mangled name is this
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
        finally:
            self._sweep_lock.release()


#: RATELIMIT_STORAGE_URI of this storage (wsgi's default without Redis)
SWEPT_MEMORY_URI = "memory-swept://"
