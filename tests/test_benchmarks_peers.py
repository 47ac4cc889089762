"""The peer benchmark runs every system in its own process and reports what it claims to compare."""

import importlib.util
import runpy
from pathlib import Path

import numpy as np
import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_peers.py"


@pytest.fixture(scope="module")
def bench():
    return runpy.run_path(str(BENCHMARK))  # not as __main__: defines the functions only


def test_every_system_reads_the_same_token_ids(bench):
    data = bench["load_data"](bench["Settings"](n_train=50, n_test=20))
    for split in ("train", "test"):
        post, pre, lengths = data[f"{split}_post"], data[f"{split}_pre"], data[f"{split}_lengths"]
        assert post.shape == pre.shape == (len(lengths), 60)
        assert post.max() < 10_000 and lengths.min() >= 1
        for row, n in zip(range(len(lengths)), lengths, strict=True):  # the same ids, padded after or before
            np.testing.assert_array_equal(post[row, :n], pre[row, 60 - n:])
            assert not post[row, n:].any() and not pre[row, : 60 - n].any()


@pytest.mark.slow
def test_quick_run_prints_a_table_per_model_with_ratios_to_the_hand_loop(bench, capsys):
    results = bench["main"](["--quick", "--models", "rnn"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    systems = [s for s in bench["SYSTEMS"] if s != "keras" or importlib.util.find_spec("keras") is not None]
    assert {r["system"] for r in results} == set(systems)
    header = lines.index("RNN(32)") + 1
    assert lines[header].split() == ["system", "s/epoch", "x", "loop", "acc", "seed", "0", "acc", "mean"]
    table = lines[header + 2 : header + 2 + len(systems)]
    rows = {line.rsplit(None, 4)[0].strip(): line.rsplit(None, 4)[1:] for line in table}
    assert set(rows) == set(systems)
    loop = next(r for r in results if r["system"] == "torch loop")["seconds_per_epoch"]
    for result in results:
        seconds, ratio, accuracy, mean = rows[result["system"]]
        assert float(seconds) == pytest.approx(result["seconds_per_epoch"], abs=5e-4) and float(seconds) > 0
        assert float(ratio) == pytest.approx(result["seconds_per_epoch"] / loop, abs=0.006)
        assert 0 <= result["accuracy"] <= 1 and accuracy == mean == f"{result['accuracy']:.3f}"
    assert any(line.startswith("rnn: time ours/loop ") and line.endswith(("yes", "NO")) for line in lines)
    if "keras" not in systems:
        assert "Keras 3 is not installed: skipping it" in out
