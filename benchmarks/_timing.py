"""Timing helpers shared by the benchmarks: interleaved best-of-N runs and the machine's load."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Case:
    """One comparison: two zero-argument callables and how their times are judged."""

    name: str
    description: str
    ours: Callable[[], object]
    reference: Callable[[], object]
    speedup: bool  # judge reference / ours >= target instead of ours / reference <= target
    target: float | None  # None: reported, not judged


def shuffle_seed(random_state: int) -> int:
    """The seed an estimator with this ``random_state`` gives torch and its shuffling generator.

    A hand-written reference shuffles with it too, so both sides train on the same batches.
    """
    return int(np.random.RandomState(random_state).randint(np.iinfo(np.int32).max))


def best_times(case: Case, repeats: int) -> tuple[float, float]:
    """Best wall time of ``case.ours`` and ``case.reference`` over ``repeats`` interleaved runs."""
    ours, reference = [], []
    for _ in range(repeats):
        ours.append(timed(case.ours))
        reference.append(timed(case.reference))
    return min(ours), min(reference)


def timed(run: Callable[[], object]) -> float:
    """Wall time of one call of ``run``."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def other_cpu_seconds() -> float:
    """CPU seconds the whole machine spent busy (or stolen by the hypervisor) minus this process's; Linux only."""
    try:
        with open("/proc/stat") as stat:
            user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
    except (OSError, ValueError):
        return float("nan")
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK") - time.process_time()
