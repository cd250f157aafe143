"""Speed against bare baselines, as ratios measured in one run (issue 3).

    .venv/bin/python bench/run.py [--repeat N]

Every module bench/bench_*.py exposing `run(report)` adds its rows: `report(name, ours_seconds,
baseline_seconds, target)`. Use `median_time` so both sides are timed the same way.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: repetitions per measurement; the median is reported
REPEAT = 9


def median_time(function: Callable[[], object], repeat: int | None = None) -> float:
    """Median wall time of `function()` over `repeat` runs, after one warm-up run."""
    function()
    times = []
    for _ in range(repeat or REPEAT):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_times(
    ours: Callable[[], object], baseline: Callable[[], object], repeat: int | None = None
) -> tuple[float, float]:
    """Medians of `ours` and `baseline` run alternately, so that load from other processes falls on
    both sides alike; one warm-up run each."""
    ours()
    baseline()
    ours_times, baseline_times = [], []
    for _ in range(repeat or REPEAT):
        start = time.perf_counter()
        baseline()
        middle = time.perf_counter()
        ours()
        baseline_times.append(middle - start)
        ours_times.append(time.perf_counter() - middle)
    return statistics.median(ours_times), statistics.median(baseline_times)


class Report:
    """Collects rows and prints them as they come; `failed` lists the rows above their target."""

    def __init__(self) -> None:
        self.failed: list[str] = []
        print(f"{'benchmark':<44} {'ours ms':>9} {'base ms':>9} {'ratio':>7} {'target':>7}")

    def __call__(self, name: str, ours: float, baseline: float, target: float) -> None:
        ratio = ours / baseline if baseline else float("inf")
        verdict = "ok" if ratio <= target else "SLOW"
        if ratio > target:
            self.failed.append(name)
        print(
            f"{name:<44} {ours * 1000:>9.1f} {baseline * 1000:>9.1f} {ratio:>7.2f} {target:>7.2f}  {verdict}"
        )


def discover() -> list[str]:
    """bench_core first, then the other bench_*.py modules by name."""
    names = sorted(path.stem for path in Path(__file__).parent.glob("bench_*.py"))
    return sorted(names, key=lambda name: name != "bench_core")


def main(argv: list[str] | None = None) -> int:
    global REPEAT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=REPEAT, help="runs per measurement (median)")
    parser.add_argument("only", nargs="*", help="bench modules to run (default: all)")
    args = parser.parse_args(argv)
    REPEAT = args.repeat
    # the bench modules import `bench.run`, a module apart from this script when it runs as __main__
    importlib.import_module("bench.run").REPEAT = args.repeat
    report = Report()
    for name in discover():
        if args.only and name not in args.only and name.removeprefix("bench_") not in args.only:
            continue
        module = importlib.import_module(f"bench.{name}")
        module.run(report)
    if report.failed:
        print(f"above target: {', '.join(report.failed)}")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
