"""Peak memory and speed of ``predict_proba`` on many short sequences, in each input form.

Each case runs in a fresh subprocess: it fits a small ``LSTMClassifier`` (hidden 16,
``batch_size=256``) on 256 sequences, builds the input (``--n`` sequences of up to 20
steps), reads the process's resident memory, predicts, and reports the peak resident
memory (``VmHWM``, reset just before the call) above what it held then: what ``predict_proba``
itself added, next to the size of the input's values. The cases:

- ``3-D float``: one float32 array ``(n, 20, 1)``;
- ``ragged list``: a list of float32 arrays of 10 to 20 steps;
- ``tokens``: a list of int64 arrays of 10 to 20 token ids (an embedding of 16).

    python benchmarks/bench_predict_memory.py               # 300,000 sequences, about a minute
    python benchmarks/bench_predict_memory.py --n 30000     # tests/test_bench_predict_memory.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

CASES = ("3-D float", "ragged list", "tokens")
N_STEPS = 20
VOCABULARY = 1000


def make_input(case, n, seed):
    rng = np.random.RandomState(seed)
    if case == "3-D float":
        return rng.normal(size=(n, N_STEPS, 1)).astype(np.float32)
    lengths = rng.randint(N_STEPS // 2, N_STEPS + 1, size=n)
    if case == "ragged list":
        return [rng.normal(size=length).astype(np.float32) for length in lengths]
    return [rng.randint(1, VOCABULARY, size=length) for length in lengths]


def input_bytes(X):
    """The bytes of the input's values (without Python's per-object overhead of a list)."""
    return X.nbytes if isinstance(X, np.ndarray) else sum(sample.nbytes for sample in X)


def _status_mb(field):
    """A memory field of this process (Linux): VmRSS now, VmHWM its peak since the last reset."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(f"{field}:")) / 1024


def _reset_peak():
    """Make the peak resident memory start again from the current one (Linux >= 4.0)."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def measure(case, n, seed):
    """Run one case in this process: input MB, MB added at the peak of predict_proba, sequences/s."""
    import torch

    from sklearn_seq import LSTMClassifier

    torch.set_num_threads(1)
    params = {"embedding_dim": 16} if case == "tokens" else {}
    model = LSTMClassifier(hidden_size=16, max_epochs=1, batch_size=256, random_state=seed, **params)
    train = make_input(case, 256, seed + 1)
    model.fit(train, np.arange(256) % 2)
    model.predict_proba(train)  # warm up: lazy imports and allocator pools
    X = make_input(case, n, seed)
    _reset_peak()
    before = _status_mb("VmRSS")
    start = time.perf_counter()
    proba = model.predict_proba(X)
    seconds = time.perf_counter() - start
    assert proba.shape == (n, 2)
    return {"case": case, "n": n, "input_mb": input_bytes(X) / 2**20, "added_mb": _status_mb("VmHWM") - before,
            "sequences_per_s": n / seconds}


def run_case(case, n, seed):
    """:func:`measure` in a fresh subprocess, so that no case inherits another's peak."""
    script = ("import json, sys; sys.path.insert(0, sys.argv[1]); import bench_predict_memory as b; "
              "print(json.dumps(b.measure(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))")
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", script, os.path.dirname(os.path.abspath(__file__)), case, str(n),
                          str(seed)], check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300_000, help="sequences to predict")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    results = [run_case(case, args.n, args.seed) for case in CASES]
    print(f"predict_proba on {args.n:,} sequences of up to {N_STEPS} steps (LSTM, hidden 16, batch 256, 1 thread)")
    print(f"{'case':<14}{'input MB':>10}{'added MB':>10}{'added/input':>13}{'sequences/s':>13}")
    print("-" * 60)
    for r in results:
        print(f"{r['case']:<14}{r['input_mb']:>10.1f}{r['added_mb']:>10.1f}{r['added_mb'] / r['input_mb']:>13.2f}"
              f"{r['sequences_per_s']:>13,.0f}")
    return results


if __name__ == "__main__":
    main()
