"""SlidingWindowTransformer and make_windows: shapes, alignment, errors, the checks that apply.

The slow test at the end reproduces the numbers of examples/recap/plot_stock_prices.py.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.utils.estimator_checks import check_estimator

from sklearn_seq import LSTMRegressor, SlidingWindowTransformer
from sklearn_seq.preprocessing import make_windows, recursive_forecast


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny networks train fastest on one thread, and far faster when other jobs share the cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_univariate_windows_and_targets():
    series = np.arange(10.0)
    windows = SlidingWindowTransformer(window=4, horizon=2)
    X = windows.fit_transform(series)
    y = windows.transform_target(series)
    assert X.shape == (5, 4) and y.shape == (5,)  # 10 - 4 - 2 + 1 windows
    np.testing.assert_array_equal(X[0], [0, 1, 2, 3])
    np.testing.assert_array_equal(X[-1], [4, 5, 6, 7])
    np.testing.assert_array_equal(y, X[:, -1] + 2)  # the value 2 steps after each window's last step
    np.testing.assert_array_equal(windows.last_window(series), [[6, 7, 8, 9]])
    assert windows.n_features_in_ == 1
    X2, y2 = make_windows(series, window=4, horizon=2)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)


def test_multivariate_windows_and_target_features():
    series = np.c_[np.arange(8.0), 100 + np.arange(8.0), -np.arange(8.0)]
    X, Y = make_windows(series, window=3)
    assert X.shape == (5, 3, 3) and Y.shape == (5, 3)
    np.testing.assert_array_equal(X[1], series[1:4])
    np.testing.assert_array_equal(Y, series[3:])
    _, y = make_windows(series, window=3, target_features=1)
    np.testing.assert_array_equal(y, 100 + np.arange(3.0, 8.0))
    _, y = make_windows(series, window=3, target_features=[-1])  # a list keeps the column
    assert y.shape == (5, 1)
    np.testing.assert_array_equal(y[:, 0], -np.arange(3.0, 8.0))
    # A (T, 1) series stays 3-D, with a 2-D target.
    X, y = make_windows(series[:, :1], window=3)
    assert X.shape == (5, 3, 1) and y.shape == (5, 1)


def test_target_features_by_name_on_a_dataframe():
    frame = pd.DataFrame({"price": np.arange(6.0), "volume": 10 * np.arange(6.0)})
    windows = SlidingWindowTransformer(window=2, target_features="volume").fit(frame)
    assert list(windows.feature_names_in_) == ["price", "volume"]
    np.testing.assert_array_equal(windows.target_features_, [1])
    np.testing.assert_array_equal(windows.transform_target(frame), [20.0, 30.0, 40.0, 50.0])
    with pytest.raises(ValueError, match="unknown feature 'close'"):
        SlidingWindowTransformer(window=2, target_features="close").fit(frame)
    with pytest.raises(ValueError, match="fit on a DataFrame to use names"):
        SlidingWindowTransformer(window=2, target_features="volume").fit(frame.to_numpy())
    with pytest.raises(ValueError, match="not a feature index"):
        SlidingWindowTransformer(window=2, target_features=2).fit(frame)


def test_several_series_are_windowed_apart():
    a, b = np.arange(5.0), np.arange(100.0, 107.0)
    windows = SlidingWindowTransformer(window=3).fit([a, b])
    X, y = windows.transform([a, b]), windows.transform_target([a, b])
    assert X.shape == (2 + 4, 3)
    np.testing.assert_array_equal(X[:2], [[0, 1, 2], [1, 2, 3]])
    np.testing.assert_array_equal(y, [3, 4, 103, 104, 105, 106])
    assert not np.any((X < 50) & (X.max(axis=1, keepdims=True) > 50))  # no window straddles a and b
    np.testing.assert_array_equal(windows.last_window([a, b]), [[2, 3, 4], [104, 105, 106]])


def test_dtype_is_kept_and_output_is_a_copy():
    series = np.arange(12, dtype=np.float32)
    X, y = make_windows(series, window=4)
    assert X.dtype == np.float32 and y.dtype == np.float32
    X[0, 0] = 99
    assert series[0] == 0 and X[1, 0] == 1  # windows are independent copies
    X, y = make_windows(list(range(6)), window=2)  # integers become float64
    assert X.dtype == np.float64 and y.tolist() == [2.0, 3.0, 4.0, 5.0]


@pytest.mark.parametrize(
    ("series", "message"),
    [
        (np.arange(4.0), r"has 4 steps, fewer than window \+ horizon = 5"),
        ([np.arange(10.0), np.arange(3.0)], r"series 1 has 3 steps, fewer than window \+ horizon = 5"),
        (np.array([0.0, 1.0, np.nan, 3.0, 4.0, 5.0]), "contains NaN or infinity \\(first at step 2\\)"),
        (np.zeros((6, 2, 2)), "must be 1-D .* or 2-D .*; got an array with 3 dimensions"),
        ([np.arange(6.0), np.zeros((6, 2))], "same number of dimensions"),
        ([np.zeros((6, 2)), np.zeros((6, 3))], "same number of features"),
        ([], "got an empty list"),
    ],
)
def test_clear_errors(series, message):
    with pytest.raises(ValueError, match=message):
        SlidingWindowTransformer(window=4, horizon=1).fit(series)


def test_parameters_are_validated_at_fit():
    with pytest.raises(ValueError, match="'window' parameter"):
        SlidingWindowTransformer(window=0).fit(np.arange(5.0))
    with pytest.raises(ValueError, match="'horizon' parameter"):
        make_windows(np.arange(5.0), window=2, horizon=0)


def test_transform_checks_the_number_of_features():
    windows = SlidingWindowTransformer(window=2).fit(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="3 features"):
        windows.transform(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="have 1 features per step, but SlidingWindowTransformer was fitted with 3"):
        windows.transform([np.zeros(5)])
    # last_window needs only `window` steps, not window + horizon.
    assert windows.last_window(np.ones((2, 3))).shape == (1, 2, 3)


def test_clone_and_pickle():
    windows = SlidingWindowTransformer(window=3, horizon=2).fit(np.arange(10.0))
    assert clone(windows).get_params() == {"window": 3, "horizon": 2, "target_features": None}
    restored = pickle.loads(pickle.dumps(windows))
    np.testing.assert_array_equal(restored.transform(np.arange(10.0)), windows.transform(np.arange(10.0)))


# The checks of scikit-learn that cannot hold for a transformer whose input rows are time
# steps of one series: windows depend on the order of the rows, there are fewer windows than
# rows, and a 1-D array is a valid univariate series.
NOT_APPLICABLE = {
    "check_transformer_general": "n_windows = n_timesteps - window - horizon + 1, not n_timesteps",
    "check_transformer_data_not_an_array": "the same row-count assertion",
    "check_methods_sample_order_invariance": "shuffling the time steps changes every window",
    "check_methods_subset_invariance": "a window needs its window + horizon - 1 neighbours",
    "check_fit2d_1sample": "one time step gives no window; the error says so in its own words",
    "check_fit1d": "a 1-D array is a univariate series, not an error",
    "check_fit2d_predict1d": "idem: the error is about the number of features instead",
}


def test_every_applicable_estimator_check_passes():
    results = check_estimator(SlidingWindowTransformer(window=2), on_fail=None)
    failed = {r["check_name"]: r["exception"] for r in results if r["status"] == "failed"}
    unexpected = {name: error for name, error in failed.items() if name not in NOT_APPLICABLE}
    assert not unexpected
    passed = {r["check_name"] for r in results if r["status"] == "passed"}
    assert {"check_estimators_nan_inf", "check_n_features_in", "check_transformer_preserve_dtypes",
            "check_estimators_pickle", "check_fit_check_is_fitted", "check_no_attributes_set_in_init"} <= passed


def test_time_series_split_gap_equals_cutting_the_series_first():
    """Window once + TimeSeriesSplit(gap=window + horizon - 1) == cut in time, then window each part."""
    series = np.arange(60.0)
    window, horizon = 5, 3
    X, y = make_windows(series, window=window, horizon=horizon)
    for train, test in TimeSeriesSplit(n_splits=3, gap=window + horizon - 1).split(X):
        cut = train[-1] + window + horizon  # first step not seen in training
        X_train, y_train = make_windows(series[:cut], window=window, horizon=horizon)
        X_test, y_test = make_windows(series[cut : test[-1] + window + horizon], window=window, horizon=horizon)
        np.testing.assert_array_equal(X[train], X_train)
        np.testing.assert_array_equal(y[train], y_train)
        np.testing.assert_array_equal(X[test], X_test)
        np.testing.assert_array_equal(y[test], y_test)
        assert X[test].min() > y[train].max()  # no test step, input or target, was seen in training


def test_windows_feed_sequence_and_tabular_regressors():
    rng = np.random.RandomState(0)
    series = np.sin(np.arange(300) / 5.0) + 0.05 * rng.normal(size=300)
    X, y = make_windows(series, window=10)
    assert LinearRegression().fit(X[:250], y[:250]).score(X[250:], y[250:]) > 0.95
    X3, y3 = make_windows(np.c_[series, np.cos(np.arange(300) / 5.0)], window=10, target_features=0)
    model = LSTMRegressor(hidden_size=8, lr=0.02, max_epochs=10, random_state=0).fit(X3[:250], y3[:250])
    assert model.n_features_in_ == 2 and model.score(X3[250:], y3[250:]) > 0.8


class _Persistence:
    """Forecasts the last step of each window (of its first ``n_features`` features)."""

    def __init__(self, n_features=None):
        self.n_features = n_features

    def predict(self, X):
        last = np.asarray(X)[:, -1]
        return last if self.n_features is None else last[:, : self.n_features]


def test_recursive_forecast_feeds_forecasts_back():
    series = np.arange(30.0)
    model = LinearRegression().fit(*make_windows(series, window=4))
    np.testing.assert_allclose(recursive_forecast(model, series, window=4, n_steps=5), [30, 31, 32, 33, 34])
    multivariate = np.c_[np.arange(6.0), -np.arange(6.0)]
    forecast = recursive_forecast(_Persistence(), multivariate, window=3, n_steps=2)
    np.testing.assert_array_equal(forecast, [[5, -5], [5, -5]])
    # A model of one feature out of two cannot feed a whole step back.
    with pytest.raises(ValueError, match="predicts 1 values per window, but the series has 2 features"):
        recursive_forecast(_Persistence(n_features=1), multivariate, window=3, n_steps=1)
    with pytest.raises(ValueError, match="fewer than window = 8"):
        recursive_forecast(model, series[:5], window=8, n_steps=1)


def test_recursive_forecast_of_a_sine_with_an_lstm():
    series = np.sin(np.arange(260) * 2 * np.pi / 20)
    X, y = make_windows(series[:240], window=20)
    model = LSTMRegressor(hidden_size=16, lr=0.02, max_epochs=20, random_state=0).fit(X, y)
    forecast = recursive_forecast(model, series[:240], window=20, n_steps=20)
    assert forecast.shape == (20,)
    assert np.sqrt(np.mean((forecast - series[240:]) ** 2)) < 0.05  # a whole period (measured 0.005-0.008)


@pytest.mark.slow
def test_stock_example_forecasts():
    """The numbers of examples/recap/plot_stock_prices.py, with margins for float32 training across CPUs.

    Measured (torch 2.13, CPU, 1 thread): RMSE of the next-day price in % of the last price,
    naive 2.585 2.568 2.876 2.157 1.845; LSTM on returns 2.611 2.588 2.871 2.162 1.849 (mean 1.004
    times naive); ridge 1.015 times naive; LSTM on price levels 13.4 times naive.
    """
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_seq.datasets import load_stock_prices

    price = load_stock_prices(symbol="AAPL").target
    window = 20
    X, y = make_windows(np.diff(np.log(price)), window=window)
    X_levels, y_levels = make_windows(price[1:], window=window)
    last, nxt = price[window : window + len(y)], price[window + 1 : window + 1 + len(y)]

    def standardised(regressor):
        return TransformedTargetRegressor(make_pipeline(StandardScaler(), regressor), transformer=StandardScaler())

    def lstm():
        return LSTMRegressor(hidden_size=16, lr=1e-3, max_epochs=20, batch_size=64, random_state=0)

    rmse = {"naive": [], "Ridge": [], "LSTM": [], "levels": []}
    folds = list(TimeSeriesSplit(n_splits=5, gap=window).split(X))
    for i, (train, test) in enumerate(folds):
        forecasts = {
            "naive": last[test],
            "Ridge": last[test] * np.exp(standardised(Ridge()).fit(X[train], y[train]).predict(X[test])),
            "LSTM": last[test] * np.exp(standardised(lstm()).fit(X[train], y[train]).predict(X[test])),
        }
        if i in (0, 4):  # the LSTM on levels in the first and last fold only: 2 fits instead of 5
            forecasts["levels"] = standardised(lstm()).fit(X_levels[train], y_levels[train]).predict(X_levels[test])
        for name, forecast in forecasts.items():
            rmse[name].append(100 * np.sqrt(np.mean(((forecast - nxt[test]) / last[test]) ** 2)))
    naive = np.array(rmse["naive"])
    # The naive forecast involves no training: exact numbers.
    np.testing.assert_allclose(naive, [2.585, 2.568, 2.876, 2.157, 1.845], atol=5e-4)
    lstm_ratio, ridge_ratio = np.array(rmse["LSTM"]) / naive, np.array(rmse["Ridge"]) / naive
    # The LSTM on returns neither beats the naive forecast by more than 2 % in a fold (floor) nor
    # falls behind it by more than 5 % (it learns to forecast returns close to zero).
    assert np.all(lstm_ratio > 0.98) and np.all(lstm_ratio < 1.05)
    assert 0.99 < lstm_ratio.mean() < 1.03
    # Ridge (deterministic, float64): 1.009-1.026 times naive.
    assert np.all(ridge_ratio > 1.0) and np.all(ridge_ratio < 1.04)
    # On price levels the LSTM cannot extrapolate: measured 8.5 and 19 times naive.
    assert np.all(np.array(rmse["levels"]) / naive[[0, 4]] > 4)


@pytest.mark.parametrize("form", [np.asarray, lambda s: s.tolist(), lambda s: tuple(map(tuple, s.tolist()))],
                         ids=["array", "list of lists", "tuple of tuples"])
def test_a_nested_list_is_one_multivariate_series_as_in_numpy(form):
    # Was: a list of lists was read as one univariate series per row, (5, 1) windows instead of (4, 1, 2).
    series = np.c_[np.arange(5.0), 10 * np.arange(5.0)]
    windows = SlidingWindowTransformer(window=1).fit(form(series))
    assert windows.n_features_in_ == 2
    np.testing.assert_array_equal(windows.transform(form(series)), series[:4, np.newaxis, :])
    np.testing.assert_array_equal(windows.transform_target(form(series)), series[1:])
    X, y = make_windows(form(series), window=1)
    assert X.shape == (4, 1, 2) and y.shape == (4, 2)


def test_series_of_different_lengths_as_plain_lists_are_refused_with_the_array_form():
    with pytest.raises(ValueError, match=r"rows have different lengths or depths.*list of arrays"):
        make_windows([[0.0, 1.0, 2.0, 3.0], [5.0, 6.0, 7.0]], window=2)
    with pytest.raises(ValueError, match=r"rows have different lengths or depths"):  # found by hypothesis
        make_windows([[0.0, 0.0, 0.0], [[0.0], [0.0], [0.0]]], window=2)
    # The same series as arrays are a collection: windowed apart.
    X, _ = make_windows([np.arange(4.0), np.arange(5.0, 8.0)], window=2)
    assert X.shape == (2 + 1, 2)
