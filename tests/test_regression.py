"""RNNRegressor and its flavours: target shapes, multi-output, and an R² floor."""

import numpy as np
import pytest
from sklearn.metrics import r2_score

from sklearn_seq import GRURegressor, LSTMRegressor, RNNRegressor
from sklearn_seq._targets import check_finite_targets


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


# -- many-to-many of equal length: return_sequences=True ------------------------------------


def _running_sums(n=150, seed=0):
    """Ragged univariate sequences; the target at each step is the running sum and the running mean."""
    rng = np.random.RandomState(seed)
    X = [rng.uniform(-1, 1, size=rng.randint(3, 12)) for _ in range(n)]
    y = [np.column_stack([x.cumsum(), x.cumsum() / np.arange(1, len(x) + 1)]) for x in X]
    return X, y


def test_return_sequences_learns_a_value_per_step():
    X, y = _running_sums()
    model = GRURegressor(hidden_size=32, lr=0.02, max_epochs=40, return_sequences=True, random_state=0)
    model.fit(X[:120], y[:120])
    predicted = model.predict(X[120:])
    assert [p.shape for p in predicted] == [(len(x), 2) for x in X[120:]]
    assert model.n_outputs_ == 2
    assert model.score(X[120:], y[120:]) > 0.95


def test_return_sequences_single_output_is_one_array_per_sequence_and_padding_is_ignored():
    X, y = _running_sums(60)
    y = [targets[:, 0] for targets in y]
    model = LSTMRegressor(hidden_size=8, max_epochs=2, return_sequences=True, random_state=0).fit(X, y)
    alone = model.predict([X[0]])[0]
    assert alone.shape == (len(X[0]),)
    # Predicted next to a much longer sequence, the same values: padding never reaches a result.
    np.testing.assert_allclose(model.predict([X[0], np.zeros(40)])[0], alone, rtol=1e-6, atol=1e-7)
    # 2-D input with 2-D per-step targets of the same shape works too.
    table = np.random.RandomState(0).randn(30, 6)
    assert np.shape(model.set_params(warm_start=False).fit(table, table.cumsum(axis=1)).predict(table[:4])) == (4, 6)


@pytest.mark.parametrize("y, message", [
    ([np.zeros(3)] * 4, "X has 5 sequences but y has 4 target sequences"),
    ([np.zeros(3)] * 4 + [np.zeros(2)], "sample 4 has 3 steps but 2 targets"),
    (np.zeros(5), r"got an array of shape \(5,\); one number per sequence is return_sequences=False"),
])
def test_return_sequences_rejects_targets_that_do_not_match_the_steps(y, message):
    X = [np.ones(3)] * 5
    with pytest.raises(ValueError, match=message):
        RNNRegressor(max_epochs=1, return_sequences=True).fit(X, y)


def test_return_sequences_refuses_pooling():
    with pytest.raises(ValueError, match="pooling='mean' turns the step outputs into one vector"):
        RNNRegressor(pooling="mean", return_sequences=True, max_epochs=1).fit([np.ones(3)], [np.ones(3)])


def test_return_sequences_switched_after_fitting_is_refused():
    X = np.random.RandomState(0).randn(20, 4)
    model = RNNRegressor(hidden_size=4, max_epochs=1, random_state=0).fit(X, X[:, 0])
    with pytest.raises(ValueError, match="return_sequences changed since the network was fitted"):
        model.set_params(return_sequences=True).predict(X)


def test_targets_whose_square_overflows_float32_are_refused_with_the_remedy():
    # Was: the float32 squared error overflowed and the fit reported a diverging learning rate.
    assert check_finite_targets([1e19, -1e19]).tolist() == [np.float32(1e19), np.float32(-1e19)]
    with pytest.raises(ValueError, match=r"magnitude 2e\+19, whose square overflows float32.*standardise y"):
        GRURegressor(hidden_size=2, max_epochs=1).fit(np.ones((4, 3)), [0.0, 1.0, 2e19, 3.0])
