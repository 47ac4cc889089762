"""Tests of NGramLanguageModel and of the helpers that the language models share.

NGramLanguageModel is not in tests/test_common.py: scikit-learn's estimator checks feed
numeric 2-D arrays (and expect ``n_features_in_``, column-count checks, ``fit(X, y)`` on
numbers), while a language model takes a list of strings or of token sequences. The
parts of the contract that do apply (``clone``, pickling, parameter validation at
``fit``, ``get_params``/``set_params``, not-fitted errors) are tested here.
"""

import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, KFold, train_test_split

from sklearn_seq import NGramLanguageModel
from sklearn_seq._language_model import BOS, EOS, PAD, UNK, _check_texts, _draw_next, _encode
from sklearn_seq.datasets import load_names

TINY = ["ab", "b"]  # vocabulary a=4, b=5; predictable: </s>, <unk>, a, b (V=4)


@pytest.fixture(scope="module")
def names_split():
    return train_test_split(load_names().data, test_size=0.1, random_state=0)


def test_add_k_score_matches_hand_computation():
    lm = NGramLanguageModel(order=2, smoothing="add_k", alpha=1.0).fit(TINY)
    assert lm.vocabulary_ == {"a": 4, "b": 5}
    assert lm.symbols_ == ["<pad>", "<s>", "</s>", "<unk>", "a", "b"]
    # bigram counts: <s> -> a 1, b 1; a -> b 1; b -> </s> 2.  p = (c + 1) / (c(h) + 4)
    p_a_start, p_b_start, p_b_a, p_end_b = 2 / 6, 2 / 6, 2 / 5, 3 / 6
    expected = [np.log(p_a_start * p_b_a * p_end_b), np.log(p_b_start * p_end_b)]
    np.testing.assert_allclose(lm.score_samples(TINY), expected, rtol=1e-12)
    assert lm.score(TINY) == pytest.approx(sum(expected) / 5, rel=1e-12)  # 5 predictions: 3 + 2
    # an unknown symbol: p(<unk> | <s>) = 1/6, then an unseen context: uniform 1/4
    np.testing.assert_allclose(lm.score_samples(["c"]), [np.log(1 / 6 * 1 / 4)], rtol=1e-12)


def test_kneser_ney_score_matches_hand_computation():
    lm = NGramLanguageModel(order=2, smoothing="kneser_ney", discount=0.5).fit(TINY)
    # continuation counts (distinct left neighbours): a 1 (<s>), b 2 (<s>, a), </s> 1 (b); total 4, 3 types
    # p(w) = (max(N(w) - 0.5, 0) + 0.5 * 3 * 1/4) / 4
    p_end, p_unk, p_a, p_b = 0.875 / 4, 0.375 / 4, 0.875 / 4, 1.875 / 4
    np.testing.assert_allclose(lm.predict_proba_next("c"), [0, 0, p_end, p_unk, p_a, p_b], rtol=1e-12)
    # p(w | h) = (max(c(h, w) - 0.5, 0) + 0.5 * n_types(h) * p(w)) / c(h)
    p_a_start = (0.5 + 0.5 * 2 * p_a) / 2
    p_b_start = (0.5 + 0.5 * 2 * p_b) / 2
    p_b_a = (0.5 + 0.5 * 1 * p_b) / 1
    p_end_b = (1.5 + 0.5 * 1 * p_end) / 2
    assert (p_a_start, p_b_start, p_b_a, p_end_b) == (0.359375, 0.484375, 0.734375, 0.8046875)
    expected = np.log([p_a_start * p_b_a * p_end_b, p_b_start * p_end_b])
    np.testing.assert_allclose(lm.score_samples(TINY), expected, rtol=1e-12)
    assert lm.score(TINY) == pytest.approx(expected.sum() / 5, rel=1e-12)
    assert lm.perplexity(TINY) == pytest.approx(np.exp(-expected.sum() / 5), rel=1e-12)
    p_unk_start = (0 + 0.5 * 2 * p_unk) / 2
    np.testing.assert_allclose(lm.score_samples(["c"]), [np.log(p_unk_start * p_end)], rtol=1e-12)


@pytest.mark.parametrize("smoothing", ["kneser_ney", "add_k"])
@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_probabilities_sum_to_one_in_every_context(names_split, smoothing, order):
    train, _ = names_split
    lm = NGramLanguageModel(order, smoothing=smoothing, alpha=0.1).fit(train[:500])
    n_ids = len(lm.symbols_)
    assert n_ids == 4 + len(set("".join(train[:500])))
    contexts = list(lm.counts_[-1]) + [(UNK,) * (order - 1), (BOS,) * (order - 1)]
    for context in contexts:
        proba = lm._next_proba(context)
        assert proba.shape == (n_ids,)
        assert proba.sum() == pytest.approx(1.0, abs=1e-12)
        assert proba[PAD] == proba[BOS] == 0.0
        assert (proba[EOS:] > 0).all()
    for prefix in ["", "a", "zzq", "mar", "christoph", "é"]:
        assert lm.predict_proba_next(prefix).sum() == pytest.approx(1.0, abs=1e-12)


def test_validation_perplexity_on_names(names_split):
    train, valid = names_split
    perplexity = {
        (order, smoothing): NGramLanguageModel(order, smoothing=smoothing, discount=0.9, alpha=0.1)
        .fit(train)
        .perplexity(valid)
        for order in (1, 3, 5)
        for smoothing in ("kneser_ney", "add_k")
    }
    # measured: unigram 16.53, KN 3-gram 8.24, KN 5-gram 6.60, add-0.1 5-gram 9.27
    assert perplexity[1, "kneser_ney"] == pytest.approx(16.53, abs=0.01)
    assert perplexity[3, "kneser_ney"] < 8.3
    assert perplexity[5, "kneser_ney"] < 6.65
    assert perplexity[5, "add_k"] > perplexity[3, "add_k"] > perplexity[5, "kneser_ney"]
    assert perplexity[5, "kneser_ney"] < NGramLanguageModel(5).fit(train).perplexity(valid)  # D 0.9 beats 0.75


def test_score_conventions(names_split):
    train, valid = names_split
    lm = NGramLanguageModel(4).fit(train)
    log_likelihood = lm.score_samples(valid)
    n_predictions = sum(len(name) + 1 for name in valid)  # every letter and the end
    assert lm.score(valid) == pytest.approx(log_likelihood.sum() / n_predictions, rel=1e-12)
    assert lm.perplexity(valid) == pytest.approx(np.exp(-lm.score(valid)), rel=1e-12)
    assert lm.score(train) > lm.score(valid)
    # the log-likelihood of a sequence is the sum of its next-symbol log-probabilities
    name = valid[0]
    steps = [lm.predict_proba_next(name[:t])[lm.vocabulary_[name[t]]] for t in range(len(name))]
    steps.append(lm.predict_proba_next(name)[EOS])
    assert log_likelihood[0] == pytest.approx(np.log(steps).sum(), rel=1e-12)


def test_sampling_is_reproducible_and_respects_prefix_and_length(names_split):
    train, _ = names_split
    lm = NGramLanguageModel(5, discount=0.9).fit(train)
    samples = lm.sample(300, random_state=0)
    assert samples == lm.sample(300, random_state=0)
    assert samples != lm.sample(300, random_state=1)
    assert all(isinstance(s, str) and s.isalpha() for s in samples)
    lengths = [len(s) for s in samples]
    assert 5.2 < np.mean(lengths) < 6.8  # training names: 6.0 letters on average
    assert np.mean([s not in set(train) for s in samples]) > 0.3  # measured 0.41
    with_prefix = lm.sample(50, prefix="mar", max_length=6, random_state=0)
    assert all(s.startswith("mar") and len(s) <= 6 for s in with_prefix)
    assert max(len(s) for s in with_prefix) == 6
    assert lm.sample(2, prefix="ab", max_length=2) == ["ab", "ab"]


def test_temperature(names_split):
    train, _ = names_split
    lm = NGramLanguageModel(3).fit(train)
    # temperature 0: follow the most probable symbol (the unknown symbol excluded)
    prefix = ""
    while True:
        proba = lm.predict_proba_next(prefix)
        proba[UNK] = 0
        if proba.argmax() == EOS:
            break
        prefix += lm.symbols_[proba.argmax()]
    assert lm.sample(3, temperature=0) == [prefix] * 3
    assert lm.sample(3, temperature=1e-3, random_state=0) == [prefix] * 3
    # cooler samples are more likely under the model, hotter ones less
    mean_score = {t: lm.score(lm.sample(300, temperature=t, random_state=0)) for t in (0.5, 1.0, 1.5)}
    assert mean_score[0.5] > mean_score[1.0] > mean_score[1.5]


def test_draw_next_follows_the_probabilities():
    rng = np.random.RandomState(0)
    log_proba = np.tile(np.log([0.1, 0.1, 0.2, 0.1, 0.6, 1e-300]), (20000, 1))
    counts = np.bincount(_draw_next(log_proba, 1.0, rng), minlength=6) / 20000
    # padding, start and unknown are never drawn; the others are renormalised: 0.2/0.8, 0.6/0.8
    np.testing.assert_allclose(counts, [0, 0, 0.25, 0, 0.75, 0], atol=0.01)
    counts = np.bincount(_draw_next(log_proba, 0.5, rng), minlength=6) / 20000
    np.testing.assert_allclose(counts, [0, 0, 0.1, 0, 0.9, 0], atol=0.01)  # 0.2², 0.6² renormalised
    assert set(_draw_next(log_proba, 0.0, rng)) == {4}


def test_token_sequences():
    sentences = [["the", "cat", "sat"], ["the", "dog", "sat"], ("a", "cat"), np.array(["the", "cat"])]
    lm = NGramLanguageModel(2).fit(sentences)
    assert lm.vocabulary_ == {"a": 4, "cat": 5, "dog": 6, "sat": 7, "the": 8}
    assert not lm.text_input_
    samples = lm.sample(20, random_state=0)
    assert all(isinstance(s, list) and set(s) <= set(lm.vocabulary_) for s in samples)
    assert all(s[:1] == ["the"] for s in lm.sample(5, prefix=["the"], random_state=0))
    assert lm.score([["the", "cat"]]) > lm.score([["cat", "the"]])
    ints = NGramLanguageModel(2).fit([[3, 1, 2], np.array([1, 2])])
    assert ints.vocabulary_ == {1: 4, 2: 5, 3: 6}
    assert all(type(token) is int for s in ints.sample(5, random_state=0) for token in s)


def test_encode_frames_sequences():
    vocabulary = {"a": 4, "b": 5}
    encoded = _encode(["ab", "", "ca"], vocabulary)
    assert [ids.tolist() for ids in encoded] == [[BOS, 4, 5, EOS], [BOS, EOS], [BOS, UNK, 4, EOS]]
    assert _encode(["ab"], vocabulary, end=False)[0].tolist() == [BOS, 4, 5]


@pytest.mark.parametrize(
    ("X", "error", "message"),
    [
        ("anna", TypeError, "X must be a list of sequences (strings or token lists), got a single str; wrap it in"),
        ([], ValueError, "X is empty: at least one sequence is required."),
        (5, TypeError, "X must be a list of sequences (strings or token lists), got int."),
        ({"a": 1}, TypeError, "X must be a list of sequences (strings or token lists), got dict."),
        (["ab", 3], TypeError, "X[1] must be a string, got int."),
        (["ab", ["c"]], TypeError, "X mixes strings and token sequences: X[0] is of type str and X[1] of type list."),
        ([["a"], 3.5], TypeError, "X[1] must be a string or a sequence (list, tuple, 1-D array) of tokens, got float"),
        ([["a", None]], TypeError, "X[0][1] is not a valid token: got None; tokens are hashable values other than"),
        ([["a", ["b"]]], TypeError, "X[0][1] is not a valid token: got ['b']; tokens are hashable values other"),
        ([np.zeros((2, 2))], ValueError, "X[0] must be a 1-D sequence of tokens, got an array of shape (2, 2)."),
    ],
)
def test_invalid_input(X, error, message):
    with pytest.raises(error, match=re.escape(message)):
        _check_texts(X)
    with pytest.raises(error, match=re.escape(message)):
        NGramLanguageModel().fit(X)


def test_errors_of_fitted_model():
    lm = NGramLanguageModel(2).fit(["anna", "bob"])
    with pytest.raises(TypeError, match=re.escape("X holds token sequences, but NGramLanguageModel was fitted on str")):
        lm.score([["a", "b"]])
    with pytest.raises(TypeError, match=re.escape("prefix holds token sequences, but NGramLanguageModel was fitted")):
        lm.sample(prefix=["a"])
    with pytest.raises(ValueError, match=re.escape("prefix has 4 symbols, more than max_length=3.")):
        lm.sample(prefix="anna", max_length=3)
    with pytest.raises(ValueError, match="The 'temperature' parameter of NGramLanguageModel.sample must be a float"):
        lm.sample(temperature=-1.0)
    with pytest.raises(ValueError, match="The 'n_samples' parameter of NGramLanguageModel.sample must be an int"):
        lm.sample(0)
    with pytest.raises(NotFittedError):
        NGramLanguageModel().sample()
    with pytest.raises(NotFittedError):
        NGramLanguageModel().score(["a"])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"order": 0}, "The 'order' parameter of NGramLanguageModel must be an int in the range [1, inf)"),
        ({"smoothing": "laplace"}, "The 'smoothing' parameter of NGramLanguageModel must be a str among"),
        ({"alpha": 0.0}, "The 'alpha' parameter of NGramLanguageModel must be a float in the range (0.0, inf)"),
        ({"discount": 1.5}, "The 'discount' parameter of NGramLanguageModel must be a float in the range (0.0, 1.0]"),
    ],
)
def test_invalid_parameters(params, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        NGramLanguageModel(**params).fit(["ab"])


def test_clone_and_pickle(names_split):
    train, valid = names_split
    lm = NGramLanguageModel(4, discount=0.8).fit(train[:1000])
    assert clone(lm).get_params() == lm.get_params()
    restored = pickle.loads(pickle.dumps(lm))
    assert restored.score(valid) == lm.score(valid)
    assert restored.sample(10, random_state=0) == lm.sample(10, random_state=0)


def test_empty_sequences():
    lm = NGramLanguageModel(2, smoothing="add_k").fit(["", "a"])
    # <s> -> </s> once, a once: (1 + 1) / (2 + 3)
    assert lm.score_samples([""])[0] == pytest.approx(np.log(2 / 5))
    assert NGramLanguageModel(3).fit([""]).sample(3, random_state=0) == ["", "", ""]


def test_grid_search_picks_order_by_held_out_log_likelihood():
    names = load_names().data
    search = GridSearchCV(NGramLanguageModel(), {"order": [1, 2, 5]}, cv=KFold(3, shuffle=True, random_state=0))
    search.fit(names)
    assert search.best_params_ == {"order": 5}
    scores = search.cv_results_["mean_test_score"]
    assert scores[0] < scores[1] < scores[2]
    assert search.best_estimator_.perplexity(names) < np.exp(-search.best_score_)  # seen names are easier
