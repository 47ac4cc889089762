"""The decoding benchmark runs end to end, prints what it measured, and compares like with like."""

import contextlib
import dataclasses
import io
import math
import runpy
from pathlib import Path

import pytest
import torch

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_decoding.py"


@pytest.fixture(scope="module")
def bench():
    return runpy.run_path(str(BENCHMARK))  # not as __main__: defines the functions only


@pytest.fixture(scope="module")
def quick_run(bench):
    """``main(['--quick'])``'s result and printed lines."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        measured = bench["main"](["--quick"])
    return measured, out.getvalue().splitlines()


@pytest.fixture(scope="module")
def quick_model(bench):
    """The quick setup's trained reversal model and its held-out sources."""
    scale = bench["QUICK"]
    X, y, X_test, y_test = bench["make_data"](scale, 0)
    return bench["make_translator"](scale, 0).fit(X, y), X_test, y_test


def _table(lines, title):
    """The header cells and ``{case: cells}`` of the table printed under the line starting with ``title``."""
    start = next(i for i, line in enumerate(lines) if line.startswith(title)) + 1
    end = lines.index("", start)
    return lines[start].split(), {line.split()[0]: line.split() for line in lines[start + 2 : end]}


def _check_ratio_and_verdict(name, ours, reference, ratio, target_cells, verdict, *, speedup, target):
    quotient = "ref/ours" if speedup else "ours/ref"
    expected = reference / ours if speedup else ours / reference
    rounding = expected * (0.0005 / ours + 0.0005 / reference) + 0.0005  # times and ratio print 3 decimals
    assert math.isfinite(ratio) and ratio == pytest.approx(expected, abs=rounding), name
    if target is None:
        assert (target_cells, verdict) == ([quotient, "(none)"], "-"), name
        return
    comparison = ">=" if speedup else "<="
    assert target_cells == [quotient, comparison, f"{target:.2f}"], name
    met = ratio >= target if speedup else ratio <= target
    assert verdict == ("yes" if met else "NO"), name


def test_quick_run_prints_both_tables_with_the_ratios_of_its_times(quick_run, bench):
    measured, lines = quick_run
    n_sentences = bench["QUICK"].n_test
    header, rows = _table(lines, "Decoding ")
    assert header[:9] == ["case", "ours", "(s)", "reference", "(s)", "ours", "(sent/s)", "reference", "(sent/s)"]
    assert list(rows) == [case.name for case, _, _ in measured["decoding"]] == ["greedy", "beam5"]
    for case, ours, reference in measured["decoding"]:
        cells = rows[case.name]
        assert (cells[1], cells[2]) == (f"{ours:.3f}", f"{reference:.3f}"), case.name
        assert (cells[3], cells[4]) == (f"{n_sentences / ours:.0f}", f"{n_sentences / reference:.0f}"), case.name
        _check_ratio_and_verdict(case.name, ours, reference, float(cells[5]), cells[6:-1], cells[-1],
                                 speedup=True, target=10.0 if case.name == "greedy" else None)

    header, rows = _table(lines, "Fit:")
    assert header[:6] == ["case", "ours", "(s)", "reference", "(s)", "ratio"] and list(rows) == ["fit"]
    (case, ours, reference), = measured["fit"]
    cells = rows["fit"]
    assert (cells[1], cells[2]) == (f"{ours:.3f}", f"{reference:.3f}")
    _check_ratio_and_verdict("fit", ours, reference, float(cells[3]), cells[4:-1], cells[-1],
                             speedup=False, target=1.10)

    agreement = next(line for line in lines if "outputs equal to the batched ones" in line)
    assert agreement.endswith(", ".join(f"{name} {count}/{n_sentences}"
                                        for name, count in measured["same_outputs"].items()))


def test_one_by_one_decoding_gives_the_batched_outputs(bench, quick_model):
    """The per-sentence reference decodes the same tokens, so the throughput ratio compares like with like."""
    model, X_test, y_test = quick_model
    assert model.score(X_test, y_test) >= 0.85  # a trained model (measured 0.938), not a constant output
    scale = bench["QUICK"]
    greedy = bench["batched_predict"](model, X_test, beam_size=1, batch_size=scale.decode_batch)
    assert bench["greedy_one_by_one"](model.set_params(beam_size=1), X_test) == greedy
    beam = bench["batched_predict"](model, X_test, beam_size=scale.beam_size, batch_size=scale.decode_batch)
    assert bench["beam_one_by_one"](model.set_params(beam_size=scale.beam_size), X_test) == beam


def test_batched_greedy_decoding_is_much_faster_than_one_sentence_at_a_time(bench, quick_model):
    model, X_test, _ = quick_model
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        greedy = bench["decoding_cases"](model, X_test, bench["QUICK"])[0]
        greedy.ours(), greedy.reference()  # warm-up
        ours, reference = bench["best_times"](greedy, 3)
    finally:
        torch.set_num_threads(threads)
    # Measured 35x on 2 shared cores (256 reversal strings in one batch); 5x leaves room for a busy machine.
    assert greedy.name == "greedy" and reference / ours >= 5, (ours, reference)


def test_reference_loop_trains_the_same_network_on_the_same_batches(bench):
    """Same initial weights, ids and batch order: the hand-written loop's losses equal the estimator's."""
    scale = dataclasses.replace(bench["QUICK"], epochs=2)
    X, y, _, _ = bench["make_data"](scale, 0)
    ours = bench["make_translator"](scale, 3).fit(X[:64], y[:64])
    reference, losses = bench["fit_reference"](X[:64], y[:64], scale, seed=3)
    assert ours.loss_curve_ == pytest.approx(losses, rel=1e-6)
    for (name, ours_weight), (_, reference_weight) in zip(ours.module_.state_dict().items(),
                                                          reference.state_dict().items(), strict=True):
        torch.testing.assert_close(ours_weight, reference_weight, msg=name)
