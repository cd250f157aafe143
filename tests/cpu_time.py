"""CPU seconds of one call, for the tests that tell a linear pass from a quadratic one by timing.

Two things outside the call must not count. Other threads of the test process (an export pool, a
limiter's sweeper, a heartbeat left by an earlier test) spend CPU that `time.process_time` would add,
so the clock is this thread's. And the cyclic collector is paused: in a worker that has run a
thousand tests each full collection walks their leftovers too, a cost that grows with the call's
allocations and is not the code's.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def cpu_seconds(call: Callable[[], object]) -> float:
    """The CPU time this thread spends in `call()`, with the cyclic collector paused."""
    gc.collect()
    gc.disable()
    try:
        start = time.thread_time()
        call()
        return time.thread_time() - start
    finally:
        gc.enable()
