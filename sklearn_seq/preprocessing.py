"""Forecasting with sequence models: a series cut into (window, value ahead) pairs.

A regressor forecasts a series by reading the last ``window`` steps and predicting
the value ``horizon`` steps after the last of them. :func:`make_windows` builds those
pairs from one or several series; :class:`SlidingWindowTransformer` is the same cut as
a fitted scikit-learn transformer, which remembers the number of features and can
window new data the same way (``transform`` for the windows, ``transform_target``
for their targets, ``last_window`` for the input of a forecast past the end).
:func:`recursive_forecast` forecasts several steps with a one-step model by feeding
its forecasts back as input.

Accepted series:

* a 1-D array-like (or pandas Series) of shape ``(n_timesteps,)``: one univariate
  series; its windows are the 2-D array ``(n_windows, window)``, scikit-learn's
  tabular shape, which the recurrent estimators read as univariate sequences and any
  other regressor as ``window`` lag features;
* a 2-D array-like (or DataFrame) of shape ``(n_timesteps, n_features)``: one
  multivariate series, rows in time order; its windows are the 3-D array
  ``(n_windows, window, n_features)`` that the recurrent estimators read;
* a list or tuple of such series given as arrays or pandas objects (all 1-D, or all
  2-D with the same number of features), of any lengths: each is windowed on its own
  (no window straddles two series) and the windows are concatenated in order.

A nested list (or tuple) of numbers means what it means to numpy and scikit-learn:
``[[x0, z0], [x1, z1], ...]`` is one 2-D series, rows in time order, windowed exactly
as ``np.asarray`` of it. Several series are therefore passed as a list of arrays,
e.g. ``[np.asarray(s) for s in series]``; a list of plain lists of different lengths
is refused rather than guessed.

Cross-validation without leakage: window one series once and split the windows with
:class:`~sklearn.model_selection.TimeSeriesSplit` and ``gap=window + horizon - 1``.
Window ``i`` reads steps ``i`` to ``i + window - 1`` and its target is step
``i + window - 1 + horizon``; with that gap no time step of a test window (input or
target) was seen in training, exactly as if the series had been cut in time and
each part windowed on its own; see :ref:`time_series` in the user guide.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import FLOAT_DTYPES, check_array, check_is_fitted, validate_data

from ._compat import HasMethods, Interval, _fit_context, validate_params
from ._version_stamp import VersionStampMixin

__all__ = ["SlidingWindowTransformer", "make_windows", "recursive_forecast"]


class SlidingWindowTransformer(TransformerMixin, VersionStampMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Cut series into windows of ``window`` steps, each paired with the value ``horizon`` steps ahead.

    Window ``i`` of a series ``s`` is ``s[i : i + window]``; its target is
    ``s[i + window - 1 + horizon]``, the value ``horizon`` steps after the window's
    last step. Only windows that have a target are returned, so a series of
    ``n_timesteps`` steps gives ``n_timesteps - window - horizon + 1`` windows, and
    ``transform(series)[k]`` is paired with ``transform_target(series)[k]``. The
    window to forecast from beyond the end of a series is :meth:`last_window`.

    Read more in the :ref:`User Guide <time_series>`.

    Parameters
    ----------
    window : int, default=10
        Number of past steps in each window.

    horizon : int, default=1
        How many steps after the window's last step its target lies: 1 forecasts
        the next step.

    target_features : int, array-like of int or str, or None, default=None
        For multivariate series, the feature(s) to forecast: column indices, or
        column names when fitted on a DataFrame. None forecasts every feature.
        An int or a single name gives a 1-D target; a list gives one column per
        entry.

    Attributes
    ----------
    n_features_in_ : int
        Number of features per step of the series seen in :meth:`fit` (1 for 1-D
        series).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of the series, when it was a DataFrame with string column names.

    target_features_ : ndarray of int
        Column indices of the forecast features.

    See Also
    --------
    make_windows : The windows and their targets in one call.
    sklearn.model_selection.TimeSeriesSplit : Cross-validation in time order; use
        ``gap=window + horizon - 1`` on the windows of one series.

    Notes
    -----
    scikit-learn's common estimator checks do not apply: the rows of a 2-D input
    are time steps, not independent samples. The windows depend on the order of the
    rows (``check_methods_sample_order_invariance`` would fail by design) and
    there are fewer windows than rows. The transformer is therefore not in the
    package's ``parametrize_with_checks`` list; its tests run the checks that do
    apply (cloning, parameters, pickling, feature counts, NaN handling).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq import SlidingWindowTransformer
    >>> series = np.arange(6.0)
    >>> windows = SlidingWindowTransformer(window=3, horizon=1)
    >>> windows.fit_transform(series)
    array([[0., 1., 2.],
           [1., 2., 3.],
           [2., 3., 4.]])
    >>> windows.transform_target(series)
    array([3., 4., 5.])
    >>> windows.last_window(series)  # the input of the forecast of step 6
    array([[3., 4., 5.]])

    A multivariate series (here 2 features), forecasting its first feature:

    >>> series = np.c_[np.arange(6.0), 10 * np.arange(6.0)]
    >>> windows = SlidingWindowTransformer(window=2, horizon=2, target_features=0).fit(series)
    >>> X, y = windows.transform(series), windows.transform_target(series)
    >>> X.shape, y
    ((3, 2, 2), array([3., 4., 5.]))
    """

    _parameter_constraints: dict = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "target_features": [Integral, str, "array-like", None],
    }

    def __init__(self, window=10, *, horizon=1, target_features=None):
        self.window = window
        self.horizon = horizon
        self.target_features = target_features

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, series, y=None):
        """Check the series and learn its number of features.

        Parameters
        ----------
        series : array-like of shape (n_timesteps,) or (n_timesteps, n_features), or list of them
            One series, or several of the same number of features, in time order.
        y : None
            Ignored: the targets come from the series itself.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        self._validate_series(series, reset=True)
        return self

    def transform(self, series):
        """Every window of the series that has a target.

        Parameters
        ----------
        series : array-like of shape (n_timesteps,) or (n_timesteps, n_features), or list of them
            Series with the fitted number of features, each at least
            ``window + horizon`` steps long.

        Returns
        -------
        windows : ndarray of shape (n_windows, window) or (n_windows, window, n_features)
            2-D for 1-D series, 3-D for 2-D series; float, of the input's float
            dtype (float64 for integer input). The windows of several series
            follow each other, series by series.
        """
        check_is_fitted(self)
        arrays, one_dimensional = self._validate_series(series, reset=False)
        windows = [_windows(array, self.window, len(array) - self.window - self.horizon + 1) for array in arrays]
        return _stack(windows, one_dimensional)

    def transform_target(self, series):
        """The target of each window of :meth:`transform`.

        Parameters
        ----------
        series : array-like of shape (n_timesteps,) or (n_timesteps, n_features), or list of them
            The series passed to :meth:`transform`.

        Returns
        -------
        y : ndarray of shape (n_windows,) or (n_windows, n_targets)
            ``y[k]`` is the value ``horizon`` steps after the last step of window
            ``k``. 1-D for 1-D series and for a single target feature given as an
            int or a name; otherwise one column per target feature.
        """
        check_is_fitted(self)
        arrays, one_dimensional = self._validate_series(series, reset=False)
        start = self.window + self.horizon - 1
        y = np.concatenate([array[start:, self.target_features_] for array in arrays])
        if one_dimensional or _is_scalar(self.target_features):
            return y[:, 0]
        return y

    def last_window(self, series):
        """The last ``window`` steps of each series: the input of a forecast past its end.

        A regressor trained on :meth:`transform` and :meth:`transform_target`
        forecasts from it the value ``horizon`` steps after the last step.

        Parameters
        ----------
        series : array-like of shape (n_timesteps,) or (n_timesteps, n_features), or list of them
            Series with the fitted number of features, each at least ``window``
            steps long.

        Returns
        -------
        windows : ndarray of shape (n_series, window) or (n_series, window, n_features)
            One window per series (one row for a single series).
        """
        check_is_fitted(self)
        arrays, one_dimensional = self._validate_series(series, reset=False, min_length=self.window)
        return _stack([array[np.newaxis, -self.window:] for array in arrays], one_dimensional)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    # -- validation -------------------------------------------------------------------

    def _validate_series(self, series, *, reset, min_length=None):
        """The series as a list of 2-D float arrays, and whether they came in 1-D."""
        if min_length is None:
            min_length = self.window + self.horizon
        if isinstance(series, (list, tuple)) and not len(series):
            raise ValueError("Expected a series or a list of series, got an empty list.")
        collection = _is_collection(series)
        items = list(series) if collection else [series]
        arrays, dims = [], set()
        for i, item in enumerate(items):
            array, ndim = _check_one_series(item, name=f"series {i}" if collection else "the series")
            arrays.append(array)
            dims.add(ndim)
        if len(dims) > 1:
            raise ValueError("All series must have the same number of dimensions: all 1-D or all 2-D.")
        n_features = {array.shape[1] for array in arrays}
        if len(n_features) > 1:
            raise ValueError(f"All series must have the same number of features, got {sorted(n_features)}.")
        if not collection and dims == {2}:
            # Feature names of a DataFrame, and the feature-count check, as every estimator does.
            validate_data(self, series, skip_check_array=True, reset=reset)
        elif reset:
            self.n_features_in_ = arrays[0].shape[1]
            if hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        elif arrays[0].shape[1] != self.n_features_in_:
            raise ValueError(
                f"The series have {arrays[0].shape[1]} features per step, but {type(self).__name__} "
                f"was fitted with {self.n_features_in_}."
            )
        if reset:
            self.target_features_ = _resolve_targets(self.target_features, self.n_features_in_,
                                                     getattr(self, "feature_names_in_", None))
        for i, array in enumerate(arrays):
            if len(array) < min_length:
                name = f"series {i}" if collection else "The series"
                needed = "window" if min_length == self.window else "window + horizon"
                raise ValueError(
                    f"{name} has {len(array)} steps, fewer than {needed} = {min_length} "
                    f"(window={self.window}, horizon={self.horizon}): it gives no window."
                )
        return arrays, dims == {1}


@validate_params(
    {
        "series": ["array-like", list, tuple],
        "window": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "target_features": [Integral, str, "array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def make_windows(series, *, window, horizon=1, target_features=None):
    """Cut series into windows of past values and the value ``horizon`` steps ahead of each.

    The training set of a forecaster in one call: the same as
    ``SlidingWindowTransformer(window, ...).fit(series)`` followed by its
    ``transform`` and ``transform_target``.

    Parameters
    ----------
    series : array-like of shape (n_timesteps,) or (n_timesteps, n_features), or list of them
        One series, or several of the same number of features, each at least
        ``window + horizon`` steps long, rows in time order.

    window : int
        Number of past steps in each window.

    horizon : int, default=1
        How many steps after the window's last step its target lies.

    target_features : int, array-like of int or str, or None, default=None
        For multivariate series, the feature(s) to forecast (see
        :class:`SlidingWindowTransformer`); None forecasts every feature.

    Returns
    -------
    X : ndarray of shape (n_windows, window) or (n_windows, window, n_features)
        The windows: 2-D for 1-D series, 3-D for 2-D series.

    y : ndarray of shape (n_windows,) or (n_windows, n_targets)
        The value ``horizon`` steps after the last step of each window.

    See Also
    --------
    SlidingWindowTransformer : The same cut as a fitted transformer.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq.preprocessing import make_windows
    >>> X, y = make_windows(np.arange(7.0), window=3, horizon=2)
    >>> X
    array([[0., 1., 2.],
           [1., 2., 3.],
           [2., 3., 4.]])
    >>> y
    array([4., 5., 6.])

    Two series of different lengths: no window straddles them.

    >>> X, y = make_windows([np.arange(4.0), np.arange(10.0, 15.0)], window=3)
    >>> X.tolist(), y.tolist()
    ([[0.0, 1.0, 2.0], [10.0, 11.0, 12.0], [11.0, 12.0, 13.0]], [3.0, 13.0, 14.0])
    """
    transformer = SlidingWindowTransformer(window, horizon=horizon, target_features=target_features).fit(series)
    return transformer.transform(series), transformer.transform_target(series)


@validate_params(
    {
        "estimator": [HasMethods(["predict"])],
        "series": ["array-like"],
        "window": [Interval(Integral, 1, None, closed="left")],
        "n_steps": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def recursive_forecast(estimator, series, *, window, n_steps):
    """Forecast several steps past the end of a series, feeding each forecast back as input.

    ``estimator`` forecasts one step ahead from a window of ``window`` steps (it was
    trained on ``make_windows(..., window=window, horizon=1)`` of a series of the
    same kind, forecasting every feature). Its forecast of the next step is
    appended to the series and the window moves on by one step, ``n_steps`` times.
    Errors compound: each step reads earlier forecasts, so the error grows with the
    distance; training one model per horizon (``horizon=h``) is the alternative.

    Parameters
    ----------
    estimator : fitted regressor
        Predicts the next step of each window: a value for 1-D series, one per
        feature for 2-D series.

    series : array-like of shape (n_timesteps,) or (n_timesteps, n_features)
        The history, at least ``window`` steps long, in time order.

    window : int
        The window length the estimator was trained with.

    n_steps : int
        How many steps to forecast.

    Returns
    -------
    forecast : ndarray of shape (n_steps,) or (n_steps, n_features)
        The forecasts of the steps after the end of the series.

    See Also
    --------
    sklearn_seq.SlidingWindowTransformer.last_window : The input of a single forecast.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn_seq.preprocessing import make_windows, recursive_forecast
    >>> series = np.arange(20.0)
    >>> model = LinearRegression().fit(*make_windows(series, window=3))
    >>> recursive_forecast(model, series, window=3, n_steps=4).round(6)
    array([20., 21., 22., 23.])
    """
    array, ndim = _check_one_series(series, name="the series")
    if len(array) < window:
        raise ValueError(f"The series has {len(array)} steps, fewer than window = {window}.")
    history = list(array[-window:])
    forecasts = []
    for _ in range(n_steps):
        current = np.asarray(history[-window:])[np.newaxis]
        prediction = np.asarray(estimator.predict(current[:, :, 0] if ndim == 1 else current), dtype=array.dtype)
        if prediction.size != array.shape[1]:
            raise ValueError(
                f"The estimator predicts {prediction.size} values per window, but the series has "
                f"{array.shape[1]} features per step: recursive forecasting needs a forecast of every feature."
            )
        step = prediction.reshape(array.shape[1])
        forecasts.append(step)
        history.append(step)
    forecast = np.asarray(forecasts)
    return forecast[:, 0] if ndim == 1 else forecast


def _is_collection(series):
    """Whether ``series`` is several series: a list or tuple holding arrays or pandas objects.

    A list of plain lists or tuples is a nested list, read as numpy reads it (one 2-D series), so the
    same numbers mean the same series as a list and as an array.
    """
    return isinstance(series, (list, tuple)) and any(
        not np.isscalar(item) and not isinstance(item, (list, tuple)) for item in series
    )


def _check_one_series(item, *, name):
    """One series as a 2-D float array ``(n_timesteps, n_features)``, and its original ndim."""
    ragged = ValueError(
        f"{_capitalized(name)} is a nested list whose rows have different lengths or depths. A list of lists "
        "is one 2-D series (rows are time steps), as numpy reads it; pass several series as a list of "
        "arrays, e.g. [np.asarray(s) for s in series]."
    )
    rows = [len(row) for row in item if isinstance(row, (list, tuple))] if isinstance(item, (list, tuple)) else []
    if len(set(rows)) > 1 or (rows and len(rows) != len(item)):
        # Rows of different lengths: numpy >= 1.24 refuses the nesting (older ones make objects), and so do we.
        raise ragged
    try:
        array = check_array(item, dtype=FLOAT_DTYPES, ensure_2d=False, allow_nd=True, ensure_min_samples=1,
                            input_name=name, ensure_all_finite=False)
    except ValueError as error:
        if "inhomogeneous" in str(error) or "sequence" in str(error):  # rows nested to different depths
            raise ragged from error
        raise
    ndim = array.ndim
    if ndim not in (1, 2):
        raise ValueError(
            f"{_capitalized(name)} must be 1-D (n_timesteps,) or 2-D (n_timesteps, n_features); got an array with "
            f"{ndim} dimensions. Pass several series as a list of arrays."
        )
    if not np.isfinite(array).all():
        step = int(np.argwhere(~np.isfinite(array.reshape(len(array), -1)))[0, 0])
        raise ValueError(f"{_capitalized(name)} contains NaN or infinity (first at step {step}); fill or drop it "
                         "first.")
    return array.reshape(len(array), -1), ndim


def _resolve_targets(target_features, n_features, feature_names):
    """``target_features`` as an array of column indices."""
    if target_features is None:
        return np.arange(n_features)
    requested = [target_features] if _is_scalar(target_features) else list(np.asarray(target_features).ravel())
    if not requested:
        raise ValueError("target_features is empty; pass None to forecast every feature.")
    indices = []
    for feature in requested:
        if isinstance(feature, str):
            if feature_names is None or feature not in feature_names:
                known = "no names (fit on a DataFrame to use names)" if feature_names is None else list(feature_names)
                raise ValueError(f"target_features: unknown feature {feature!r}; the series has {known}.")
            indices.append(int(np.flatnonzero(feature_names == feature)[0]))
        elif isinstance(feature, Integral) and -n_features <= feature < n_features:
            indices.append(int(feature) % n_features)
        else:
            raise ValueError(f"target_features: {feature!r} is not a feature index of a series with "
                             f"{n_features} features.")
    return np.asarray(indices)


def _capitalized(name):
    return name[0].upper() + name[1:]


def _is_scalar(target_features):
    return isinstance(target_features, (Integral, str))


def _windows(array, window, n_windows):
    """The first ``n_windows`` windows of ``window`` steps of a 2-D array, as a new 3-D array."""
    view = np.lib.stride_tricks.sliding_window_view(array, window, axis=0)[:n_windows]
    return np.ascontiguousarray(view.transpose(0, 2, 1))


def _stack(windows, one_dimensional):
    stacked = np.concatenate(windows)
    return stacked[:, :, 0] if one_dimensional else stacked
