"""The parallel-search benchmark runs end to end and prints the ratios it defines."""

import math
import runpy
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_parallel_search.py"


@pytest.mark.slow
def test_quick_run_prints_the_three_cases_with_their_ratios(capsys):
    best = runpy.run_path(str(BENCHMARK))["main"](["--quick", "--repeats", "1"])
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("case"))
    rows = {line.rsplit(maxsplit=2)[0]: line.rsplit(maxsplit=2)[1:] for line in lines[header + 2 : header + 5]}
    assert set(rows) == set(best) == {"n_jobs=1", "n_jobs=2", "n_jobs=2 oversubscribed"}
    for name, (seconds, ratio) in rows.items():
        assert float(seconds) == pytest.approx(best[name], abs=5e-4), name
        assert math.isfinite(float(ratio)) and float(ratio) == pytest.approx(best["n_jobs=1"] / best[name], abs=0.01)
    assert rows["n_jobs=1"][1] == "1.00"
