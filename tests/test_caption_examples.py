"""The digit-captioning and many-to-many stock examples reach the numbers their pages state.

Each test runs one example as the documentation build does (one torch thread, off-screen
figures) and reads its module-level results. The floors sit slightly below the values
measured with one torch thread on a 2-core x86 CPU (torch 2.13); float32 training rounds
differently on other CPUs and thread counts, so each floor leaves at least the spread measured
over the networks' ``random_state`` 0, 1 and 2 (noted beside it). Each test trains for about
a minute.
"""


import numpy as np
import pytest
from _examples import run_example


@pytest.mark.slow
def test_digit_captions_pipeline_wins_and_attention_finds_the_digits():
    pytest.importorskip("num2words")  # the translation extra
    result = run_example("translation/plot_digit_captions.py")
    exact, seen, unseen = result["exact_match"], result["exact_seen"], result["exact_unseen"]
    svm, vector, columns = ("SVM per digit + num2words", "translator, image as a vector",
                            "translator, pixel columns + attention")
    assert result["unseen"].sum() == 117  # the split is deterministic
    # The pipeline is deterministic: measured 0.969 (0.973 on seen numbers, 0.940 on unseen).
    assert exact[svm] == pytest.approx(0.969, abs=0.002)
    # Measured: vector 0.837 (seen 0.895, unseen 0.402; 0.838-0.850, 0.898-0.906, 0.385-0.427 with
    # random_state 1, 2); columns 0.852 (seen 0.912, unseen 0.402; 0.880-0.924, 0.926-0.950, 0.530-0.726),
    # with PyTorch's initialisation. With init='keras' (random_state 0): vector 0.835 (0.890, 0.419),
    # columns 0.909 (0.941, 0.667); the hundreds word 0.90 on digit 1, the tens/units words 0.46 and 0.52
    # on digits 2 and 3.
    assert exact[vector] >= 0.80
    assert exact[columns] >= 0.81
    assert min(seen[vector], seen[columns]) >= 0.86
    assert min(unseen[vector], unseen[columns]) >= 0.30
    # What the page says: the pipeline wins, and both translators fail far more often on
    # numbers they never wrote than on numbers seen in other handwriting.
    assert exact[svm] > max(exact[vector], exact[columns])
    for name in (vector, columns):  # measured gaps 0.49-0.51 (0.22-0.52 with random_state 1, 2)
        assert unseen[name] <= seen[name] - 0.15
    # Attention, averaged over the correct 3-digit captions (rows: hundreds word, 'hundred',
    # 'and', tens/units words, end; columns: digits 1-3). Measured: the hundreds word puts 0.86
    # on digit 1 (0.95-0.99 with random_state 1, 2), the tens/units words 0.99 on digit 3, which
    # becomes 0.53 and 0.36 with random_state 1 and 2, the rest on digit 2: 1.00 on the last two.
    shares = result["mean_shares"]
    np.testing.assert_allclose(shares.sum(axis=1), 1, atol=1e-5)
    assert shares[0, 0] >= 0.8
    assert shares[3, 1:].sum() >= 0.9


@pytest.mark.slow
def test_many_to_many_stock_forecast_does_not_beat_naive():
    result = run_example("recap/plot_stock_sequences.py")
    rmse, ratio = result["step_rmse"], result["ratio"]
    assert ratio.shape == (5, 20)  # folds x output steps
    # Every prediction is one return per step, the naive one a return of zero: measured naive
    # RMSE per fold 1.84-2.85 % (deterministic).
    assert 1.8 <= np.sqrt((rmse["naive"] ** 2).mean(axis=1)).min() <= 1.85
    # Measured: LSTM / naive 1.009 over all steps and folds (1.004-1.008 with random_state 1, 2),
    # 0.996-1.029 per fold and step (0.986-1.030), 1.004-1.012 per step averaged over the folds.
    # With init='keras' (random_state 0): 1.009 overall, 0.993-1.047 per fold and step.
    # The network stays within a few per cent of "no change" and does not beat it on average.
    assert 0.99 <= ratio.mean() <= 1.04
    assert ratio.min() >= 0.97 and ratio.max() <= 1.08
    assert (ratio.mean(axis=0) >= 0.99).all()
