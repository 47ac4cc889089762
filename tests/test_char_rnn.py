"""CharRNNLanguageModel: scoring and step-by-step generation agree, sampling, training modes, errors, names.

Like NGramLanguageModel it is not in tests/test_common.py: scikit-learn's estimator checks
feed numeric 2-D arrays, while a language model takes a list of strings or token
sequences. The parts of the contract that apply are tested here.
"""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import train_test_split
from skorch.callbacks import LRScheduler
from torch.optim.lr_scheduler import CosineAnnealingLR

from sklearn_seq import CharRNNLanguageModel, NGramLanguageModel
from sklearn_seq._language_model import BOS, EOS, PAD
from sklearn_seq.datasets import load_names

WORDS = ["abc", "abd", "abcd", "bcd", "b"] * 12
SMALL = {"hidden_size": 16, "lr": 0.05, "max_epochs": 5, "random_state": 0}


@pytest.fixture(scope="module")
def lm():
    return CharRNNLanguageModel(**SMALL).fit(WORDS)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_batched_scores_equal_the_chain_of_step_by_step_predictions(cell):
    """score_samples runs the network over padded batches, predict_proba_next one step at a time."""
    model = CharRNNLanguageModel(cell=cell, num_layers=2, **SMALL).fit(WORDS)
    for word in ["abcd", "b", "", "dab"]:
        chain = sum(np.log(model.predict_proba_next(word[:t])[model.vocabulary_[word[t]]]) for t in range(len(word)))
        chain += np.log(model.predict_proba_next(word)[EOS])
        assert model.score_samples([word, "abc"])[0] == pytest.approx(chain, rel=1e-5)


def test_next_symbol_distribution(lm):
    proba = lm.predict_proba_next("ab")
    assert proba.shape == (len(lm.symbols_),) == (8,)
    assert proba.sum() == pytest.approx(1.0)
    assert proba[PAD] == proba[BOS] == 0.0
    assert lm.symbols_[int(proba.argmax())] in {"c", "d"}  # 'ab' is always followed by c or d


def test_score_and_perplexity_conventions(lm):
    log_likelihood = lm.score_samples(WORDS)
    n_predictions = sum(len(word) + 1 for word in WORDS)
    assert lm.score(WORDS) == pytest.approx(log_likelihood.sum() / n_predictions)
    assert lm.perplexity(WORDS) == pytest.approx(np.exp(-lm.score(WORDS)))
    # Five equally frequent words whose letters follow from a few choices: far below the
    # 6 predictable symbols (a-d, end, unknown) of a model that knows nothing.
    assert lm.perplexity(WORDS) < 2.0
    assert np.isfinite(lm.score_samples(["xyz"])[0])  # unknown letters score as <unk>


def test_sampling(lm):
    samples = lm.sample(50, random_state=1)
    assert samples == lm.sample(50, random_state=1)
    assert all(isinstance(s, str) and set(s) <= set("abcd") for s in samples)
    assert {"abc", "abd", "abcd", "bcd", "b"} & set(samples)
    assert all(s.startswith("bc") for s in lm.sample(5, prefix="bc", random_state=0))
    assert all(len(s) <= 2 for s in lm.sample(20, max_length=2, temperature=1.5, random_state=0))


def test_temperature_zero_follows_the_most_probable_symbol(lm):
    greedy = ""
    while True:
        best = int(lm.predict_proba_next(greedy).argmax())
        if best == EOS:
            break
        greedy += lm.symbols_[best]
    assert lm.sample(3, temperature=0, random_state=0) == [greedy] * 3


def test_token_sequences():
    sentences = [["the", "cat", "sleeps"], ["the", "dog", "runs"], ["a", "cat", "runs"]] * 10
    lm = CharRNNLanguageModel(**SMALL).fit(sentences)
    assert not lm.text_input_ and "cat" in lm.vocabulary_
    samples = lm.sample(5, prefix=["the"], random_state=0)
    assert all(isinstance(s, list) and s[0] == "the" for s in samples)
    with pytest.raises(TypeError, match="holds strings, but CharRNNLanguageModel was fitted on token sequences"):
        lm.score(["the cat"])


def test_reproducible_and_leaves_global_random_state_alone():
    state = torch.get_rng_state()
    first = CharRNNLanguageModel(**SMALL, dropout=0.3).fit(WORDS)
    assert torch.equal(state, torch.get_rng_state())
    second = CharRNNLanguageModel(**SMALL, dropout=0.3).fit(WORDS)
    np.testing.assert_array_equal(first.score_samples(WORDS), second.score_samples(WORDS))


def test_clone_and_pickle(lm):
    assert clone(lm).get_params() == lm.get_params()
    restored = pickle.loads(pickle.dumps(lm))
    np.testing.assert_array_equal(restored.score_samples(WORDS), lm.score_samples(WORDS))
    assert restored.sample(5, random_state=0) == lm.sample(5, random_state=0)


def test_partial_fit_and_warm_start_continue_training():
    lm = CharRNNLanguageModel(**SMALL)
    for _ in range(3):
        lm.partial_fit(WORDS)
    assert lm.n_iter_ == 3
    warm = CharRNNLanguageModel(**{**SMALL, "max_epochs": 2}, warm_start=True).fit(WORDS)
    before = warm.perplexity(WORDS)
    assert warm.fit(WORDS).n_iter_ == 4 and warm.perplexity(WORDS) < before
    lm.partial_fit(["abz"])  # a symbol the first call did not see trains as <unk>
    assert "z" not in lm.vocabulary_
    with pytest.raises(ValueError, match="but hidden_size changed since it was built"):
        warm.set_params(hidden_size=8).fit(WORDS)


def test_early_stopping_scores_a_held_out_share_every_epoch():
    lm = CharRNNLanguageModel(**{**SMALL, "max_epochs": 8}, early_stopping=True, n_iter_no_change=2).fit(WORDS)
    valid_losses = [epoch["valid_loss"] for epoch in lm.history_]
    assert len(valid_losses) == lm.n_iter_ <= 8
    assert all(np.isfinite(valid_losses))


def test_errors():
    with pytest.raises(NotFittedError):
        CharRNNLanguageModel().sample(1)
    with pytest.raises(TypeError, match="got a single str"):
        CharRNNLanguageModel(**SMALL).fit("abc")
    with pytest.raises(ValueError, match="X is empty"):
        CharRNNLanguageModel(**SMALL).fit([])
    with pytest.raises(ValueError, match="'cell' parameter of CharRNNLanguageModel must be"):
        CharRNNLanguageModel(cell="mamba").fit(WORDS)
    with pytest.raises(TypeError, match="bidirectional"):
        CharRNNLanguageModel(bidirectional=True)


# The settings of examples/generation/plot_names_generation.py, with PyTorch's initialisation:
# with Keras's (the default) the GRU reached 6.67, behind the n-gram.
NAMES_SETTINGS = {"hidden_size": 256, "embedding_dim": 32, "dropout": 0.5, "lr": 0.005, "batch_size": 64,
                  "bucket_by_length": True, "max_epochs": 20, "init": "torch", "random_state": 0}


@pytest.fixture(scope="module")
def names_split():
    return train_test_split(load_names().data, test_size=0.1, random_state=0)


@pytest.mark.slow
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gated_networks_beat_the_best_ngram_on_held_out_names(names_split, cell):
    train, valid = names_split
    best_ngram = min(NGramLanguageModel(order, discount=0.9).fit(train).perplexity(valid) for order in range(2, 8))
    assert best_ngram == pytest.approx(6.58, abs=0.01)
    scheduler = LRScheduler(CosineAnnealingLR, T_max=NAMES_SETTINGS["max_epochs"])
    lm = CharRNNLanguageModel(cell=cell, callbacks=[scheduler], **NAMES_SETTINGS).fit(train)
    # Measured 6.34 (LSTM) and 6.45 (GRU) with one torch thread; the criterion is the baseline.
    assert lm.perplexity(valid) < best_ngram
    samples = lm.sample(1000, random_state=0)
    well_formed = np.mean([s.isalpha() and 2 <= len(s) <= 15 for s in samples])
    new = np.mean([s not in set(train) for s in samples])
    assert well_formed >= 0.95  # measured 0.998 (LSTM), 0.995 (GRU)
    assert new >= 0.55  # measured 0.67 (LSTM), 0.69 (GRU)
