"""The EM benchmark runs end to end and compares like with like."""

import math
import runpy
from pathlib import Path

import numpy as np
import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_gmm.py"


@pytest.fixture(scope="module")
def bench():
    return runpy.run_path(str(BENCHMARK))  # not as __main__: defines the functions only


def test_quick_run_prints_a_finite_ratio_per_covariance_type(bench, capsys):
    ratios = bench["main"](["--quick"])
    assert set(ratios) == {"full", "tied", "diag", "spherical"}
    assert all(math.isfinite(ratio) and ratio > 0 for ratio in ratios.values())
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("covariance"))
    rows = [line.split() for line in lines[header + 2 : header + 6]]
    assert [row[0] for row in rows] == ["full", "tied", "diag", "spherical"]
    assert all(row[-1] in {"yes", "NO"} for row in rows)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_both_sides_fit_the_same_mixture_size_for_the_same_iterations(bench, covariance_type):
    scale = bench["QUICK"]
    X, y = bench["make_data"](scale, np.random.default_rng(0))
    ours = bench["ours"](covariance_type, scale, 3)
    reference = bench["reference"](covariance_type, scale, 3)
    assert bench["fit_seconds"](ours, X, y) > 0 and bench["fit_seconds"](reference, X, None) > 0
    assert ours.means_.shape == reference.means_.shape == (4, 4)
    assert ours.covariances_.shape == reference.covariances_.shape
    assert ours.n_iter_ == reference.n_iter_ == 3
