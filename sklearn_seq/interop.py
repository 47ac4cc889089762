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
        The same values with the time steps first: an array for an array, a list for a list.

    Raises
    ------
    ValueError
        If the array is not 3-D, an element of the list is not 2-D, or the elements
        have different numbers of channels.

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
    if isinstance(X, np.ndarray) and X.dtype != object:
        if X.ndim != 3:
            raise ValueError(f"X has {X.ndim} dimensions; a channels-first array has 3, (n_cases, n_channels, "
                             "n_timepoints) (a 2-D (n_cases, n_timepoints) array needs no conversion)")
        return np.ascontiguousarray(X.transpose(0, 2, 1))
    cases = [np.asarray(case) for case in X]
    for i, case in enumerate(cases):
        if case.ndim != 2:
            raise ValueError(f"case {i} has shape {case.shape}; a channels-first case is (n_channels, T_i)")
        if len(case) != len(cases[0]):
            raise ValueError(f"case {i} has {len(case)} channels, but case 0 has {len(cases[0])}")
    return [np.ascontiguousarray(case.T) for case in cases]


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
        A 3-D array when every sequence has the same length, else a list; the padding of
        a 3-D input is dropped.

    Raises
    ------
    ValueError
        If a sequence has more than 2 dimensions, no step, or another number of
        features than the first.

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
    for i, case in enumerate(cases):
        if case.shape[1] != cases[0].shape[1]:
            raise ValueError(f"sequence {i} has {case.shape[1]} features per step, but sequence 0 has "
                             f"{cases[0].shape[1]}")
    if len({len(case) for case in cases}) == 1:
        return np.stack([case.T for case in cases])
    return [np.ascontiguousarray(case.T) for case in cases]


def _sequences(X: Any) -> list[np.ndarray]:
    """Every sequence as a ``(T_i, n_features)`` array, the padding of a 3-D array cut off."""
    array = None
    if not isinstance(X, (list, tuple)) or _regular(X):
        array = np.asarray(X)
    if array is not None and array.dtype != object:
        if array.ndim == 2:
            return list(array[:, :, None])
        if array.ndim != 3:
            raise ValueError(f"X has {array.ndim} dimensions; expected (n_sequences, n_timesteps), "
                             "(n_sequences, n_timesteps, n_features) or a list of sequences")
        padding = np.isnan(array).all(axis=2)
        lengths = array.shape[1] - np.cumprod(padding[:, ::-1], axis=1).sum(axis=1)
        X = [case[:length] for case, length in zip(array, lengths, strict=True)]
    cases = []
    for i, case in enumerate(X):
        case = np.asarray(case, dtype=np.float64)
        if case.ndim not in (1, 2) or len(case) == 0:
            raise ValueError(f"sequence {i} has shape {case.shape}; expected (T_i,) or (T_i, n_features) "
                             "with at least one step")
        cases.append(case.reshape(len(case), -1))
    return cases


def _regular(X: list | tuple) -> bool:
    """Whether a list is one regular numeric array (as the input layer reads it) rather than ragged."""
    try:
        return np.asarray(X).dtype.kind in "biuf"
    except ValueError:  # inhomogeneous lengths
        return False
