"""RNNRegressor and its flavours: target shapes, multi-output, and an R² floor."""

import numpy as np
import pytest
from sklearn.metrics import r2_score

from sklearn_seq import GRURegressor, LSTMRegressor, RNNRegressor


def _running_statistics(n, rng):
    """Ragged sequences; targets are their mean and their last value."""
    X = [rng.uniform(-1, 1, size=rng.randint(5, 30)) for _ in range(n)]
    Y = np.array([[x.mean(), x[-1]] for x in X])
    return X, Y


def test_target_shapes():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 4))
    assert RNNRegressor(max_epochs=1).fit(X, X[:, 0]).predict(X).shape == (30,)
    assert RNNRegressor(max_epochs=1).fit(X, X[:, :1]).predict(X).shape == (30,)
    model = RNNRegressor(max_epochs=1).fit(X, X[:, :3])
    assert model.n_outputs_ == 3 and model.predict(X).shape == (30, 3)
    with pytest.raises(ValueError, match="y has 1 targets, but the estimator was fitted with 3"):
        model.partial_fit(X, X[:, 0])


@pytest.mark.slow
@pytest.mark.parametrize("estimator", [LSTMRegressor, GRURegressor])
def test_multi_output_regression_on_ragged_sequences(estimator):
    rng = np.random.RandomState(0)
    X, Y = _running_statistics(1000, rng)
    X_test, Y_test = _running_statistics(300, rng)
    model = estimator(hidden_size=32, lr=0.01, max_epochs=30, random_state=0, bucket_by_length=True)
    predicted = model.fit(X, Y).predict(X_test)
    assert r2_score(Y_test, predicted) >= 0.9
    assert model.score(X_test, Y_test) == pytest.approx(r2_score(Y_test, predicted))


def test_partial_fit_improves_the_fit():
    rng = np.random.RandomState(0)
    X, Y = _running_statistics(200, rng)
    model = GRURegressor(hidden_size=16, lr=0.01, random_state=0)
    scores = [model.partial_fit(X, Y).score(X, Y) for _ in range(10)]
    assert model.n_iter_ == 10 and scores[-1] > scores[0]


def test_token_input_regression():
    """Count the occurrences of token 7 in sequences of token ids."""
    rng = np.random.RandomState(0)
    X = [rng.randint(2, 12, size=rng.randint(3, 12)) for _ in range(600)]
    y = np.array([np.sum(x == 7) for x in X], dtype=float)
    model = LSTMRegressor(embedding_dim=8, hidden_size=16, lr=0.02, max_epochs=25, random_state=0)
    model.fit(X[:500], y[:500])
    assert model.vocab_size_ == 12
    assert model.score(X[500:], y[500:]) >= 0.9
