"""The sequence-to-sequence examples of the gallery (``examples/translation``) reach the numbers their pages state.

Each test runs one example as the documentation build does (one torch thread, off-screen
figures) and reads its module-level results. The floors sit below the values measured with
one torch thread on a 2-core x86 CPU (torch 2.13); float32 training rounds differently on
other CPUs and thread counts. Each example trains for about a minute or two.
"""


import numpy as np
import pytest
from _examples import run_example


@pytest.fixture(scope="module")
def dates():
    return run_example("translation/plot_dates.py")


@pytest.fixture(scope="module")
def number_words():
    return run_example("translation/plot_number_words.py")


@pytest.mark.slow
def test_dates_with_attention_reach_the_issue_targets(dates):
    exact = dates["exact"]
    # Measured: 1.000 after 5 epochs (0.999 after 2); the issue's target is 0.995.
    assert exact["64 units, attention"] >= 0.995
    # Measured 0.991 on 2,000 pairs (10 epochs); the issue's target is 0.98.
    assert exact["64 units, attention, 2k pairs"] >= 0.98
    # The issue's target: under 2 minutes on 2 cores (about 25 s on an idle core, 113 s
    # with the two cores shared by five busy processes).
    assert dates["fit_seconds"]["64 units, attention"] < 120
    # The day digits of the output look at the day of the source: measured 0.863 (month
    # 0.823, year 0.856); the issue's target is 0.7.
    assert dates["day_share"] >= 0.8
    assert min(map(np.mean, dates["shares"].values())) >= 0.75


@pytest.mark.slow
def test_dates_attention_helps_the_small_model(dates):
    exact = dates["exact"]
    # Measured: 16 units reach 0.994 with attention and 0.402 without; 64 units without
    # attention 0.976 (PyTorch's initialisation). With init='keras': 0.997, 0.251 and 0.891,
    # 64 units with attention 0.997: within 5 epochs only attention learns every date.
    assert exact["16 units, attention"] >= 0.97
    assert exact["16 units, attention"] >= exact["16 units, no attention"] + 0.3
    assert exact["64 units, no attention"] >= 0.85
    assert exact["64 units, attention"] >= exact["64 units, no attention"] + 0.05


@pytest.mark.slow
def test_number_words_attention_beats_none(number_words):
    scores = number_words["scores"]
    # Measured: exact match 0.996 with attention (BLEU 99.5, chrF 99.9), 0.731 without
    # (BLEU 90.8, chrF 90.5).
    attention, none = scores["attention, greedy"], scores["no attention, greedy"]
    assert attention["exact"] >= 0.98
    assert attention["bleu"] >= 98
    assert attention["chrf"] >= 98
    assert attention["exact"] >= none["exact"] + 0.15
    assert attention["bleu"] >= none["bleu"] + 4
    # score() gives what the example computes with sacrebleu directly.
    model = number_words["models"]["bahdanau"].set_params(beam_size=1)
    X_test, y_test = number_words["X_test"], number_words["y_test"]
    assert model.score(X_test, y_test, metric="bleu") == pytest.approx(attention["bleu"])
    assert model.score(X_test, y_test, metric="chrf") == pytest.approx(attention["chrf"])


@pytest.mark.slow
def test_number_words_beam_is_never_worse_than_greedy(number_words):
    scores = number_words["scores"]
    for model in ("attention", "no attention"):
        assert scores[f"{model}, beam 5"]["exact"] >= scores[f"{model}, greedy"]["exact"]
