"""RNNClassifier and its flavours: labels, probabilities, pooling, embeddings, and accuracy floors."""

import re

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.class_weight import compute_class_weight

from sklearn_seq import GRUClassifier, LSTMClassifier, RNNClassifier

FAST = {"hidden_size": 16, "max_epochs": 15, "lr": 0.02, "random_state": 0}


def test_string_labels_and_probabilities(ragged_data):
    X, y = ragged_data
    labels = np.array(["negative", "positive"])[y]
    model = GRUClassifier(**FAST).fit(X, labels)
    assert model.classes_.tolist() == ["negative", "positive"]
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), model.classes_[proba.argmax(axis=1)])
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(proba))
    assert model.score(X, labels) > 0.9


def test_cell_defaults():
    assert RNNClassifier().cell == "rnn" and LSTMClassifier().cell == "lstm" and GRUClassifier().cell == "gru"
    assert LSTMClassifier(cell="gru").get_params()["cell"] == "gru"


def test_one_class_is_an_error():
    with pytest.raises(ValueError, match="needs samples of at least 2 classes; got one class: 'a'"):
        LSTMClassifier().fit(np.ones((3, 4)), ["a", "a", "a"])


def test_balanced_class_weight_helps_the_minority_class():
    rng = np.random.RandomState(0)
    y = (rng.uniform(size=400) < 0.1).astype(int)
    X = rng.normal(size=(400, 6)) + 0.6 * y[:, None]
    X_test = rng.normal(size=(400, 6)) + 0.6 * np.repeat([0, 1], 200)[:, None]
    plain = LSTMClassifier(**FAST).fit(X, y)
    balanced = LSTMClassifier(class_weight="balanced", **FAST).fit(X, y)
    weight = balanced.net_.criterion_.weight.numpy()
    np.testing.assert_allclose(weight, compute_class_weight("balanced", classes=np.array([0, 1]), y=y), rtol=1e-6)
    minority_recall = [(m.predict(X_test[200:]) == 1).mean() for m in (plain, balanced)]
    assert minority_recall[1] > minority_recall[0] + 0.2


@pytest.mark.parametrize("pooling", ["last", "mean", "max", "attention"])
@pytest.mark.parametrize(("bidirectional", "num_layers"), [(False, 1), (True, 2)])
def test_every_pooling_learns(ragged_data, pooling, bidirectional, num_layers):
    X, y = ragged_data
    model = LSTMClassifier(pooling=pooling, bidirectional=bidirectional, num_layers=num_layers, **FAST)
    assert model.fit(X, y).score(X, y) >= 0.9


def test_attention_weights_cover_each_sequence(ragged_data):
    X, y = ragged_data
    model = GRUClassifier(pooling="attention", **FAST).fit(X, y)
    weights = model.attention_weights(X)
    assert [len(w) for w in weights] == [len(x) for x in X]
    np.testing.assert_allclose([w.sum() for w in weights], 1.0, rtol=1e-6)
    assert all((w >= 0).all() for w in weights)
    assert not hasattr(GRUClassifier(pooling="mean"), "attention_weights")


def _token_task(n, rng):
    """Token sequences labelled by whether the id 7 occurs in them."""
    X = [rng.randint(2, 20, size=rng.randint(4, 15)) for _ in range(n)]
    y = np.array([int(7 in x) for x in X])
    return X, y


def test_embedding_input_learns_and_checks_the_vocabulary():
    rng = np.random.RandomState(0)
    X, y = _token_task(400, rng)
    X_test, y_test = _token_task(200, rng)
    model = LSTMClassifier(embedding_dim=8, pooling="max", **{**FAST, "max_epochs": 20}).fit(X, y)
    assert model.vocab_size_ == 20 and model.n_features_in_ == 1
    assert model.score(X_test, y_test) >= 0.95
    padded = np.zeros((2, 15), dtype=np.int64)
    padded[0, :3], padded[1, :2] = [7, 3, 4], [5, 6]
    np.testing.assert_array_equal(model.predict_proba(padded), model.predict_proba([[7, 3, 4], [5, 6]]))
    with pytest.raises(ValueError, match=re.escape("sample 1 has token id 25, but the embedding knows ids below")):
        model.predict([[3, 4], [25, 2]])
    with pytest.raises(ValueError, match="token id 19 is out of range for a vocabulary of 10 ids"):
        LSTMClassifier(embedding_dim=4, vocab_size=10).fit(X, y)


@pytest.mark.slow
@pytest.mark.parametrize("estimator", [LSTMClassifier, GRUClassifier])
def test_iris_as_four_step_sequences(estimator):
    """Iris's 4 measurements read as a univariate 4-step sequence: 5-fold CV accuracy >= 0.90."""
    X, y = load_iris(return_X_y=True)
    model = make_pipeline(StandardScaler(), estimator(hidden_size=32, lr=0.02, max_epochs=40, random_state=0))
    scores = cross_val_score(model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0))
    assert scores.mean() >= 0.90, scores
