"""Sequences to and from the channels-first layout of aeon and sktime.

This package, like tslearn and PyTorch's ``batch_first`` recurrent layers, puts the
time steps before the features: ``(n_sequences, n_timesteps, n_features)``, or a
list of ``(T_i, n_features)`` arrays. aeon and sktime put the channels (features)
first: ``(n_cases, n_channels, n_timepoints)``, or a list of ``(n_channels, T_i)``
arrays for unequal lengths. A channels-first array passed as it is raises no error:
it is read as ``n_channels`` steps of ``n_timepoints`` features each. These two
functions convert in both directions; see :ref:`sequence_inputs_layouts`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .sequences import _check_not_text, _is_ragged, _trailing_nan_lengths

__all__ = ["from_channels_first", "to_channels_first"]


def from_channels_first(X: Any) -> np.ndarray | list[np.ndarray]:
    """Convert aeon's or sktime's channels-first series to this package's layout.

    Parameters
    ----------
    X : array-like of shape (n_cases, n_channels, n_timepoints), or list of array-like of \
shape (n_channels, T_i)
        Equal-length series as one 3-D array (aeon's and sktime's ``numpy3D``), or
        series of any lengths as a list of 2-D arrays (aeon's ``np-list``).

    Returns
    -------
    X_seq : ndarray of shape (n_cases, n_timepoints, n_channels), or list of ndarray of \
shape (T_i, n_channels)
        The same values, as float64, with the time steps first: an array for an
        array, a list for a list. NaN (a missing value) stays NaN.

    Raises
    ------
    TypeError
        If a value is not a real number (strings, objects, complex numbers).
    ValueError
        If the array is not 3-D, the list is empty, an element of the list is not
        2-D, a case has no channel or no time point, or the cases have different
        numbers of channels.

    See Also
    --------
    to_channels_first : The conversion back.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq.interop import from_channels_first
    >>> X_aeon = np.zeros((40, 6, 100))   # 40 cases, 6 channels, 100 time points
    >>> from_channels_first(X_aeon).shape
    (40, 100, 6)
    >>> [x.shape for x in from_channels_first([np.zeros((2, 5)), np.zeros((2, 3))])]
    [(5, 2), (3, 2)]
    """
    if isinstance(X, (list, tuple)) or (isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1):
        if len(X) == 0:
            raise ValueError("X is an empty list; it holds no case")
        cases = [_real(case, f"case {i}") for i, case in enumerate(X)]
        for i, case in enumerate(cases):
            if case.ndim != 2 or 0 in case.shape:
                raise ValueError(f"case {i} has shape {case.shape}; a channels-first case is (n_channels, T_i), "
                                 "with at least one channel and one time point")
            if len(case) != len(cases[0]):
                raise ValueError(f"case {i} has {len(case)} channels, but case 0 has {len(cases[0])}")
        return [np.ascontiguousarray(case.T) for case in cases]
    X = _real(X, "X")
    if X.ndim != 3:
        raise ValueError(f"X has {X.ndim} dimensions; a channels-first array has 3, (n_cases, n_channels, "
                         "n_timepoints) (a 2-D (n_cases, n_timepoints) array needs no conversion)")
    if 0 in X.shape[1:]:
        raise ValueError(f"X has shape {X.shape}; a case needs at least one channel and one time point")
    return np.ascontiguousarray(X.transpose(0, 2, 1))


def to_channels_first(X: Any) -> np.ndarray | list[np.ndarray]:
    """Convert sequences in this package's layout to aeon's and sktime's channels-first layout.

    Parameters
    ----------
    X : array-like of shape (n_sequences, n_timesteps) or (n_sequences, n_timesteps, \
n_features), or list of array-like of shape (T_i,) or (T_i, n_features)
        Sequences in one of the numeric forms of :ref:`sequence_inputs`: a 2-D array of
        univariate sequences, a 3-D array whose trailing all-NaN steps are padding,
        or a list of sequences.

    Returns
    -------
    X_cf : ndarray of shape (n_cases, n_channels, n_timepoints), or list of ndarray of \
shape (n_channels, T_i)
        float64 values: a 3-D array when every sequence has the same length, else a
        list; the padding of a 2-D or 3-D input is dropped. Any other NaN (a missing
        value) stays NaN.

    Raises
    ------
    TypeError
        If a value is not a real number (strings, objects, complex numbers).
    ValueError
        If ``X`` holds no sequence, a sequence has more than 2 dimensions, no step
        or no feature, or another number of features than the first.

    See Also
    --------
    from_channels_first : The conversion back.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq.interop import to_channels_first
    >>> to_channels_first(np.zeros((40, 100, 6))).shape
    (40, 6, 100)
    >>> [x.shape for x in to_channels_first([np.zeros((5, 2)), np.zeros((3, 2))])]
    [(2, 5), (2, 3)]
    >>> to_channels_first([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])   # two univariate sequences
    array([[[1., 2., 3.]],
    <BLANKLINE>
           [[4., 5., 6.]]])
    """
    cases = _sequences(X)
    if isinstance(cases, np.ndarray):
        return cases
    for i, case in enumerate(cases):
        if case.shape[1] != cases[0].shape[1]:
            raise ValueError(f"sequence {i} has {case.shape[1]} features per step, but sequence 0 has "
                             f"{cases[0].shape[1]}")
    if len({len(case) for case in cases}) == 1:
        return np.stack([case.T for case in cases])
    return [np.ascontiguousarray(case.T) for case in cases]


def _sequences(X: Any) -> np.ndarray | list[np.ndarray]:
    """A regular array without padding as a channels-first array; else every sequence as ``(T_i, n_features)``.

    Ragged or regular, and where padding ends, are decided as the input layer decides them.
    """
    if _is_ragged(X):
        if len(X) == 0:
            raise ValueError("X holds no sequence")
        cases = [_real(case, f"sequence {i}") for i, case in enumerate(X)]
        for i, case in enumerate(cases):
            if case.ndim not in (1, 2) or 0 in case.shape:
                raise ValueError(f"sequence {i} has shape {case.shape}; expected (T_i,) or (T_i, n_features) "
                                 "with at least one step")
        return [case.reshape(len(case), -1) for case in cases]
    _check_not_text(X)
    array = _real(X, "X")
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3:
        raise ValueError(f"X has {array.ndim} dimensions; expected (n_sequences, n_timesteps), "
                         "(n_sequences, n_timesteps, n_features) or a list of sequences")
    if 0 in array.shape[1:]:
        raise ValueError(f"X has shape {array.shape}; a sequence needs at least one step and one feature")
    lengths = _trailing_nan_lengths(array)
    if (lengths == 0).any():
        raise ValueError(f"sequence {np.argmin(lengths)} has no step: every step is NaN (padding)")
    if (lengths == array.shape[1]).all():
        return np.ascontiguousarray(array.transpose(0, 2, 1))
    return [case[:length] for case, length in zip(array, lengths, strict=True)]


def _real(X: Any, what: str) -> np.ndarray:
    """``X`` as a float64 array; anything but real numbers is a TypeError."""
    try:
        array = np.asarray(X)
        if array.dtype == object:  # numbers in an object array become floats; anything else fails here
            array = array.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what} is not an array of real numbers ({exc})") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{what} has dtype {array.dtype}; the series must be real numbers")
    return array.astype(np.float64, copy=False)
