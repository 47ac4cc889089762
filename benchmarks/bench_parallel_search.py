"""A small grid search with n_jobs=2 against n_jobs=1: what process parallelism buys, and over-subscription costs.

Three ways to run the same ``GridSearchCV`` (LSTMClassifier, 4 candidates x 2 folds, then
the refit) on the same data:

- ``n_jobs=1``: one process, torch with its own thread count (all cores by default);
- ``n_jobs=2``: two joblib (loky) worker processes with ``torch_threads=None``, i.e. the
  thread count joblib gives each worker (cores / workers);
- ``n_jobs=2 oversubscribed``: the same with ``torch_threads`` = all cores in each worker.

Each time is the best of ``--repeats`` runs, the three alternating; the workers are started
once before timing (loky reuses them, as a session of searches does). The ratios are
t(n_jobs=1) / t(case): above 1 is faster than one process.

    python benchmarks/bench_parallel_search.py            # about a minute on 2 idle cores
    python benchmarks/bench_parallel_search.py --quick    # tiny sizes, a few seconds (smoke test)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GridSearchCV

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import timed  # noqa: E402

from sklearn_seq import LSTMClassifier  # noqa: E402

GRID = {"lr": [0.003, 0.01], "hidden_size": [16, 32]}


def make_data(n_sequences, n_timesteps, seed):
    """Sequences of 4 features whose label is the sign of their first feature's mean."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_sequences, n_timesteps, 4)).astype(np.float32)
    X[:, :, 0] += rng.choice([-0.5, 0.5], size=(n_sequences, 1))
    return X, (X[:, :, 0].mean(axis=1) > 0).astype(int)


def search(n_jobs, torch_threads, max_epochs, seed):
    estimator = LSTMClassifier(max_epochs=max_epochs, batch_size=32, torch_threads=torch_threads, random_state=seed)
    return GridSearchCV(estimator, GRID, cv=2, n_jobs=n_jobs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks that it runs, ratios are noise")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    n_sequences, n_timesteps, max_epochs = (64, 10, 1) if args.quick else (600, 30, 4)
    X, y = make_data(n_sequences, n_timesteps, args.seed)
    cores = os.cpu_count()
    cases = {
        "n_jobs=1": search(1, None, max_epochs, args.seed),
        "n_jobs=2": search(2, None, max_epochs, args.seed),
        "n_jobs=2 oversubscribed": search(2, cores, max_epochs, args.seed),
    }
    load = os.getloadavg()[0]  # before our own processes add to it
    for grid in cases.values():  # warm up: lazy imports, and the loky workers started once
        grid.fit(X, y)
    times = {name: [] for name in cases}
    for _ in range(args.repeats):
        for name, grid in cases.items():
            times[name].append(timed(lambda grid=grid: grid.fit(X, y)))
    best = {name: min(values) for name, values in times.items()}
    print(f"GridSearchCV, {len(GRID['lr']) * len(GRID['hidden_size'])} candidates x 2 folds + refit, "
          f"{n_sequences} sequences x {n_timesteps} steps x 4, {max_epochs} epochs; {cores} cores, "
          f"best of {args.repeats}")
    print(f"{'case':<26}{'time (s)':>10}{'t(n_jobs=1)/t':>16}")
    print("-" * 52)
    for name, seconds in best.items():
        print(f"{name:<26}{seconds:>10.3f}{best['n_jobs=1'] / seconds:>16.2f}")
    print(f"load average of the machine before the runs: {load:.2f} (above 0.1 it was shared)")
    return best


if __name__ == "__main__":
    main()
