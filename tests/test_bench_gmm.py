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
    assert lines[header].split()[-3:] == ["target", "<=", str(bench["TARGET"])]
    rows = [line.split() for line in lines[header + 2 : header + 6]]
    assert [row[0] for row in rows] == ["full", "tied", "diag", "spherical"]
    assert all(row[-1] in {"yes", "NO"} for row in rows)
    for name, ours_ms, reference_ms, ratio, verdict in rows:
        # The ratio column is what main returns and ours / reference of the printed times
        # (2 decimals each), and the verdict is that ratio against the stated target.
        assert ratio == f"{ratios[name]:.2f}", name
        expected = float(ours_ms) / float(reference_ms)
        rounding = expected * (0.005 / float(ours_ms) + 0.005 / float(reference_ms)) + 0.005
        assert float(ratio) == pytest.approx(expected, abs=rounding), name
        assert verdict == ("yes" if ratios[name] <= bench["TARGET"] else "NO"), name
    # Not slower than the reference by far. The tiny sizes of --quick measure per-call overhead on a
    # shared machine (1.13-1.35 there against 1.08-1.22 for the full run the README reports; 3.03
    # once for 'tied' while another test process and a browser shared the 2 cores).
    assert all(ratio <= 4.0 for ratio in ratios.values()), ratios


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
