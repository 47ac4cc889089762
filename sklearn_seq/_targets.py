"""Checks of the targets ``y`` that scikit-learn's validation leaves to the estimators."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.multiclass import check_classification_targets

_FLOAT32_MAX = float(np.finfo(np.float32).max)
_FLOAT32_MAX_ROOT = float(np.sqrt(_FLOAT32_MAX))  # the largest target whose squared error is finite


def check_labels(y: np.ndarray) -> None:
    """scikit-learn's check of classification targets, after :func:`check_sortable_labels`.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Class labels.
    """
    check_sortable_labels(y)
    check_classification_targets(y)


def check_sortable_labels(y: np.ndarray) -> None:
    """Refuse labels of types that cannot be ordered (e.g. strings and None), which numpy cannot sort into classes.

    Parameters
    ----------
    y : ndarray
        Class labels.
    """
    try:
        np.unique(np.asarray(y, dtype=object))
    except TypeError:
        kinds = sorted({type(label).__name__ for label in np.asarray(y, dtype=object).ravel()})
        raise TypeError(f"y mixes labels of types {kinds}, which cannot be ordered; labels must be all numbers "
                        "or all strings (and a missing label is not a class)") from None


def check_finite_targets(y: Any) -> np.ndarray:
    """Regression targets as float32, refusing NaN, infinity, missing values and values beyond float32's range.

    Parameters
    ----------
    y : array-like
        Numeric targets (scikit-learn's validation turns missing values of an object array into NaN).

    Returns
    -------
    y : ndarray
        The targets as float32.
    """
    y = np.asarray(y, dtype=np.float64)
    if not np.isfinite(y).all():
        raise ValueError("y contains NaN, infinity or a missing value (None); regression targets must be finite")
    if y.size and np.abs(y).max() > _FLOAT32_MAX:
        raise ValueError(f"y has a value beyond float32's range (±{_FLOAT32_MAX:.3g}); the networks compute in "
                         "float32: rescale y")
    if y.size and np.abs(y).max() > _FLOAT32_MAX_ROOT:
        # The squared error would overflow float32 and the fit would look like a diverging learning rate.
        raise ValueError(f"y has a value of magnitude {np.abs(y).max():.3g}, whose square overflows float32 "
                         f"(|y| must stay below {_FLOAT32_MAX_ROOT:.3g} for the squared error): standardise y, e.g. "
                         "with sklearn.compose.TransformedTargetRegressor(transformer=StandardScaler())")
    return y.astype(np.float32)
