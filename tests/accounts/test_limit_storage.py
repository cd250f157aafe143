"""The in-process rate-limit storage (`memory-swept://`): limits like limits' memory storage, starts no
thread per hit, and still forgets counters that expired."""

from __future__ import annotations

import threading
import time

import pytest
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from accounts import limit_storage
from accounts.limit_storage import SWEPT_MEMORY_URI, SweptMemoryStorage


@pytest.fixture
def thread_starts(monkeypatch) -> list[threading.Thread]:
    started: list[threading.Thread] = []
    start = threading.Thread.start

    def counting(thread: threading.Thread) -> None:
        started.append(thread)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", counting)
    return started


def _hits(storage: MemoryStorage, count: int) -> None:
    for n in range(count):
        storage.incr(f"key{n % 20}", 0.005)
        time.sleep(0.0002)


def test_hits_start_no_thread_where_limits_own_storage_starts_many(thread_starts):
    swept = storage_from_string(SWEPT_MEMORY_URI)
    assert isinstance(swept, SweptMemoryStorage)
    thread_starts.clear()
    _hits(swept, 1000)
    assert thread_starts == []

    _hits(MemoryStorage(), 1000)  # the behaviour this storage replaces
    assert len(thread_starts) > 10


def test_it_limits_and_forgets_expired_counters(monkeypatch):
    monkeypatch.setattr(limit_storage, "SWEEP_SECONDS", 0.05)
    storage = SweptMemoryStorage()
    limiter = FixedWindowRateLimiter(storage)
    one_a_second = RateLimitItemPerSecond(3)
    assert [limiter.hit(one_a_second, "user:1") for _ in range(4)] == [True, True, True, False]
    for n in range(200):
        storage.incr(f"once{n}", 0.01)
    time.sleep(0.1)
    storage.incr("late", 10)  # the hit that finds the sweep due
    assert "late" in storage.storage
    assert not [key for key in storage.storage if key.startswith("once")]
