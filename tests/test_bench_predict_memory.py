"""Prediction streams in batches: its peak memory stays within a small multiple of the input's size."""

import runpy
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from sklearn_seq import LSTMClassifier

BENCHMARK = runpy.run_path(str(Path(__file__).resolve().parents[1] / "benchmarks" / "bench_predict_memory.py"))


# numpy's allocations at the peak of predict_proba over the input's bytes, measured with 30,000
# sequences (seed 0): 3-D float 0.96 (boolean masks; the float32 array itself is used as is),
# ragged list 1.76 (the padded float32 values), tokens 1.55 (padded int64 ids). Before this was
# kept so they were 4.26, 3.87 and 1.55: padding a float input copied it several times.
@pytest.mark.parametrize("case, bound", [("3-D float", 1.5), ("ragged list", 2.5), ("tokens", 2.0)])
def test_predict_proba_adds_at_most_the_padded_values(case, bound):
    params = {"embedding_dim": 8} if case == "tokens" else {}
    model = LSTMClassifier(hidden_size=8, max_epochs=1, batch_size=256, random_state=0, **params)
    model.fit(BENCHMARK["make_input"](case, 64, 1), np.arange(64) % 2)
    X = BENCHMARK["make_input"](case, 30_000, 0)
    tracemalloc.start()
    try:
        proba = model.predict_proba(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert proba.shape == (30_000, 2)
    assert peak / BENCHMARK["input_bytes"](X) < bound


@pytest.mark.slow
def test_the_benchmark_prints_each_case(capsys):
    results = BENCHMARK["main"](["--n", "2000"])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines[3:6]] == ["3-D float", "ragged list", "tokens"]
    for result, line in zip(results, lines[3:6], strict=True):
        assert result["input_mb"] > 0 and result["sequences_per_s"] > 0
        assert f"{result['added_mb']:.1f}" in line.split()
