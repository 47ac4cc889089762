"""The training-overhead benchmark runs end to end and compares what it claims to compare."""

import math
import runpy
from pathlib import Path

import numpy as np
import pytest
import torch

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_training_overhead.py"


@pytest.fixture(scope="module")
def bench():
    return runpy.run_path(str(BENCHMARK))  # not as __main__: defines the functions only


def test_quick_run_prints_the_three_cases_with_finite_ratios(bench, capsys):
    bench["main"](["--quick"])
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("case"))
    assert lines[header].split()[:6] == ["case", "ours", "(s)", "reference", "(s)", "ratio"]
    rows = {line.split()[0]: line.split() for line in lines[header + 2 : header + 5]}
    assert set(rows) == {"fixed", "ragged", "bucketing"}
    for name, cells in rows.items():
        ours, reference, ratio = (float(cell) for cell in cells[1:4])
        assert ours > 0 and reference > 0, name
        assert math.isfinite(ratio) and ratio > 0, name
        assert cells[-1] in {"yes", "NO"}, name


def test_reference_shuffles_with_the_estimators_seed(bench):
    """Without bucketing both sides must see the same batches, so the shuffling seeds must agree."""
    scale = bench["QUICK"]
    X, y = bench["make_skewed"](scale, np.random.default_rng(0))
    clf = bench["fit_ours"](X, y, scale, seed=3)
    assert clf.net_.iterator_train__generator.initial_seed() == bench["shuffle_seed"](3)


def test_padded_reference_reads_the_same_state_as_the_packed_one(bench):
    """Padding to the global maximum changes the cost, not the network's output."""
    torch.manual_seed(0)
    packed = bench["ReferenceLSTM"](3, 5, 2, pack=True)
    padded = bench["ReferenceLSTM"](3, 5, 2, pack=False)
    padded.load_state_dict(packed.state_dict())
    lengths = torch.tensor([4, 9, 1])
    x = torch.randn(3, 12, 3) * (torch.arange(12)[None, :, None] < lengths[:, None, None])
    torch.testing.assert_close(padded(x, lengths), packed(x, lengths))
