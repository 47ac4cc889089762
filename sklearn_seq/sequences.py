"""The one input layer: validate every accepted sequence form once, pad and batch.

Accepted forms of ``X`` (see the "Sequence inputs" user guide):

* a 2-D numeric array or DataFrame ``(n_sequences, n_timesteps)``: univariate sequences
  under scikit-learn's tabular contract (``n_features_in_`` is the column count);
* a 3-D numeric array ``(n_sequences, n_timesteps, n_features)`` whose trailing
  all-NaN steps are padding;
* a list (or 1-D object array) of arrays of shape ``(T_i,)`` or ``(T_i, n_features)``;
* for estimators with an embedding layer, integer token ids: a list of int sequences
  or a 2-D int array whose trailing zeros are padding.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.utils.validation import check_array, validate_data
from torch.utils.data import DataLoader, Dataset, Sampler, Subset

SPARSE_MESSAGE = "sparse input is not supported; pass a dense array or a list of arrays"
IGNORED = -100  # per-step target of padding, skipped by PerStepCrossEntropyLoss
_BUCKET_BATCHES = 50  # batches per bucket: big enough to sort well, small enough to stay random
# Non-float input becomes float64 first, so that values beyond float32's range are caught, not made inf.
_FLOATS = [np.float64, np.float32]
_FLOAT32_MAX = float(np.finfo(np.float32).max)


@dataclass(frozen=True)
class PaddedSequences:
    """Validated sequences, zero-padded to the longest one.

    Attributes
    ----------
    values : ndarray of shape (n_sequences, max_length, n_features) or (n_sequences, max_length)
        float32 values, or int64 token ids (the 2-D form).
    lengths : ndarray of shape (n_sequences,)
        int64 number of valid steps of each sequence.
    """

    values: np.ndarray
    lengths: np.ndarray

    @property
    def n_features(self) -> int:
        """Features per step (1 for token ids)."""
        return self.values.shape[2] if self.values.ndim == 3 else 1


def check_sequences(X: Any, *, tokens: bool = False) -> PaddedSequences:
    """Validate sequences in any accepted form and pad them.

    Use :func:`validate_sequences` inside estimators: it also keeps scikit-learn's
    tabular contract for 2-D input.

    Parameters
    ----------
    X : array-like, list of array-like
        Sequences in one of the module's accepted forms.
    tokens : bool, default=False
        Expect non-negative integer token ids instead of numeric features.

    Returns
    -------
    sequences : PaddedSequences
        Padded values and lengths.

    Raises
    ------
    TypeError
        For sparse input, strings, or non-numeric samples.
    ValueError
        For empty sequences, NaN or infinity that is not trailing padding, inconsistent
        numbers of features, or arrays with the wrong number of dimensions.

    Examples
    --------
    >>> seqs = check_sequences([[1.0, 2.0, 3.0], [4.0]])
    >>> seqs.values.shape, seqs.lengths.tolist()
    ((2, 3, 1), [3, 1])
    """
    if sp.issparse(X):
        raise TypeError(SPARSE_MESSAGE)
    X = _sequence_column(X)
    if _is_ragged(X, tokens):
        return _pad_ragged(X, tokens)
    if not tokens:
        _check_not_text(X)
    X = check_array(X, dtype=None if tokens else _FLOATS, allow_nd=True,
                    ensure_all_finite=tokens, ensure_min_features=1)
    if tokens:
        return _padded_tokens(X)
    if X.ndim == 2:
        X = X[:, :, None]
    if X.ndim != 3:
        raise ValueError(
            f"X has {X.ndim} dimensions; expected (n_sequences, n_timesteps) or "
            "(n_sequences, n_timesteps, n_features), or a list of arrays"
        )
    return _nan_padded(X)


def validate_sequences(estimator: Any, X: Any, y: Any = "no_validation", *, reset: bool,
                       tokens: bool = False, **y_params: Any) -> tuple[PaddedSequences, Any]:
    """Validate ``X`` (and ``y``) for ``estimator``, learning or checking its input shape.

    2-D numeric input goes through :func:`sklearn.utils.validation.validate_data`, so
    ``n_features_in_`` and ``feature_names_in_`` follow the tabular contract; other
    forms set ``n_features_in_`` to the number of features per step. ``y`` is checked
    by scikit-learn with ``y_params`` (e.g. ``multi_output``, ``y_numeric``).

    An estimator fitted on 2-D input checks the column count of 2-D input at
    predict time; ragged or 3-D univariate sequences of any length remain welcome.

    Parameters
    ----------
    estimator : estimator instance
        Receives ``n_features_in_`` (and ``feature_names_in_``) when ``reset``.
    X : array-like or list of array-like
        Sequences in any accepted form.
    y : array-like or 'no_validation', default='no_validation'
        Targets to validate alongside ``X``.
    reset : bool
        Learn the input shape (``fit``) rather than check it (``predict``).
    tokens : bool, default=False
        Expect integer token ids.
    **y_params : dict
        Passed to scikit-learn's target validation.

    Returns
    -------
    sequences : PaddedSequences
        Padded values and lengths.
    y : ndarray or str
        The validated target, or ``'no_validation'`` when no ``y`` was given.
    """
    if sp.issparse(X):
        raise TypeError(SPARSE_MESSAGE)
    X = _sequence_column(X)
    no_y = isinstance(y, str) and y == "no_validation"
    tabular = not tokens and not _is_ragged(X) and _ndim(X) == 2
    if tabular:
        _check_not_text(X)
    if tabular and (reset or estimator._fitted_on_table):
        if no_y:
            X = validate_data(estimator, X, reset=reset, dtype=_FLOATS)
        else:
            X, y = validate_data(estimator, X, y, reset=reset, dtype=_FLOATS, **y_params)
        sequences = check_sequences(X)
    else:
        sequences = check_sequences(X, tokens=tokens)
        if not no_y:
            y = validate_data(estimator, y=y, **y_params)
        if reset:
            estimator.n_features_in_ = sequences.n_features
            if hasattr(estimator, "feature_names_in_"):
                del estimator.feature_names_in_
    if not no_y and len(y) != len(sequences.lengths):
        raise ValueError(f"X has {len(sequences.lengths)} sequences but y has {len(y)} samples")
    if reset:
        estimator._fitted_on_table = tabular
        estimator._n_step_features = sequences.n_features
    elif sequences.n_features != estimator._n_step_features:
        raise ValueError(
            f"X has {sequences.n_features} features per step, but {type(estimator).__name__} "
            f"was fitted with {estimator._n_step_features} features per step"
        )
    return sequences, y


def _ndim(X: Any) -> int:
    return X.ndim if hasattr(X, "ndim") else np.asarray(X).ndim


def _is_ragged(X: Any, tokens: bool = False) -> bool:
    """Whether ``X`` is a collection of separate sequences rather than one regular array.

    A list of equal-length numeric rows is a regular 2-D (or 3-D) array, as scikit-learn
    expects of lists; token lists always stay sequences.
    """
    if isinstance(X, np.ndarray) or _is_series(X):
        return X.dtype == object and X.ndim == 1
    if not isinstance(X, (list, tuple)):
        return False
    if tokens:
        return True
    try:
        array = np.asarray(X)
    except ValueError:  # inhomogeneous lengths
        return True
    return array.dtype.kind not in "biuf" or array.ndim not in (2, 3)


def _is_series(X: Any) -> bool:
    return hasattr(X, "index") and getattr(X, "ndim", None) == 1 and hasattr(X, "dtype")


def _sequence_column(X: Any) -> Any:
    """A one-column DataFrame or 2-D object array of sequences as its column; anything else as it is.

    A wider DataFrame whose cells are sequences is an error: which column holds the
    samples is the caller's to say. An iterator, mapping or set is refused: it has no
    sample order to index (numpy would report a float conversion instead).
    """
    if isinstance(X, Iterator | Mapping | Set):
        raise TypeError(f"X is a {type(X).__name__}; pass the samples as an array, a list of arrays, a pandas "
                        "Series or a one-column DataFrame (e.g. list(X) for a generator)")
    if isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 2 and X.shape[1] == 1 and any(
            isinstance(cell, Sequence | np.ndarray) and not isinstance(cell, str) for cell in X[:, 0]):
        return X[:, 0]  # e.g. DataFrame({"seq": sequences}).to_numpy()
    if not hasattr(X, "columns"):
        return X
    if X.shape[1] == 0:  # scikit-learn 1.6 fails on it inside numpy
        raise ValueError("X is a DataFrame without columns; it holds no sequence")
    if X.shape[1] == 1 and X.dtypes.iloc[0].kind == "O":
        return X[X.columns[0]]
    if len(X) and any(isinstance(cell, Sequence | np.ndarray) and not isinstance(cell, str) for cell in X.iloc[0]):
        raise ValueError(f"X is a DataFrame with {X.shape[1]} columns of sequences; pass the one column that "
                         "holds the samples (a Series or a one-column DataFrame)")
    return X


def _pad_ragged(X: Any, tokens: bool) -> PaddedSequences:
    """Validate each sample, then copy it into one padded array.

    The validated samples are not kept between the two passes: a list of one array
    object per sample would cost more memory than the padded values themselves.
    """
    if len(X) == 0:
        raise ValueError("X contains no sequences; at least one is required")
    lengths = np.empty(len(X), dtype=np.int64)
    n_features = None
    for i, sample in enumerate(X):
        checked = _check_sample(i, sample, tokens)
        if n_features is None:
            n_features, dtype = checked.shape[1:], checked.dtype
        elif checked.shape[1:] != n_features:
            raise ValueError(
                f"sample {i} has {checked.shape[1]} features per step, but sample 0 has {n_features[0]}"
            )
        lengths[i] = len(checked)
    padded = np.zeros((len(X), int(lengths.max()), *n_features), dtype=dtype)
    for i, sample in enumerate(X):
        padded[i, : lengths[i]] = np.asarray(sample).reshape(lengths[i], *n_features)
    return PaddedSequences(padded, lengths)


def _check_sample(i: int, sample: Any, tokens: bool) -> np.ndarray:
    """One ragged sample as float32 ``(T_i, n_features)`` or int64 ``(T_i,)`` token ids."""
    if isinstance(sample, (str, bytes)):
        raise TypeError(
            f"sample {i} is a string; turn raw text into token ids first, e.g. with SequenceVectorizer"
        )
    if sp.issparse(sample):
        raise TypeError(f"sample {i}: {SPARSE_MESSAGE}")
    try:
        array = np.asarray(sample)
    except ValueError as exc:  # e.g. a nested list that is itself ragged
        raise TypeError(f"sample {i} is not a numeric array: {exc}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"sample {i} has dtype {array.dtype}; sequences must be numeric")
    if array.ndim == 0:
        raise ValueError(f"sample {i} is a scalar; expected an array of shape (T_i,) or (T_i, n_features)")
    if len(array) == 0:
        raise ValueError(f"sample {i} is an empty sequence")
    if tokens:
        return _check_token_sample(i, array)
    if array.ndim > 2:
        raise ValueError(
            f"sample {i} has {array.ndim} dimensions; expected (T_i,) or (T_i, n_features)"
        )
    finite = np.isfinite(array).reshape(len(array), -1).all(axis=1)
    if not finite.all():
        raise ValueError(f"sample {i} contains NaN or infinity at step {np.argmin(finite)}")
    array = array.reshape(len(array), -1)
    _check_float32_range(array[None], offset=i)
    return array.astype(np.float32, copy=False)


def _check_not_text(X: Any) -> None:
    """Refuse a regular array (or DataFrame) holding strings, which numpy would parse or misreport."""
    columns = [X.iloc[:, j] for j in range(X.shape[1])] if hasattr(X, "columns") else [X]
    for column in columns:
        array = np.asarray(column)
        if array.dtype.kind in "US" or (array.dtype.kind == "O" and any(isinstance(v, (str, bytes))
                                                                        for v in array.ravel())):
            raise TypeError("X holds strings; sequences must be numeric: turn raw text into token ids first, "
                            "e.g. with SequenceVectorizer")


def _check_float32_range(X: np.ndarray, offset: int = 0) -> None:
    """Refuse finite values that float32, the networks' dtype, would turn into infinity."""
    if X.dtype.kind != "f" or X.dtype.itemsize <= 4:
        return  # integers, float16 and float32 fit
    # Comparisons, not abs(): boolean temporaries an eighth of X's size. Infinities are reported elsewhere.
    huge = (((X > _FLOAT32_MAX) & (X < np.inf)) | ((X < -_FLOAT32_MAX) & (X > -np.inf))).reshape(
        len(X), X.shape[1], -1).any(axis=2)
    if huge.any():
        i, t = np.argwhere(huge)[0]
        raise ValueError(f"sample {i + offset} has a value beyond float32's range (±{_FLOAT32_MAX:.3g}) at step "
                         f"{t}; the networks compute in float32: rescale X")


def _check_token_sample(i: int, array: np.ndarray) -> np.ndarray:
    if array.ndim != 1:
        raise ValueError(f"sample {i} has shape {array.shape}; token sequences must be 1-D")
    if array.dtype.kind not in "biu":
        raise TypeError(f"sample {i} has dtype {array.dtype}; token ids must be integers")
    if array.min() < 0:
        raise ValueError(f"sample {i} has a negative token id; ids must be >= 0 (0 is padding)")
    if (array == 0).any():
        raise ValueError(f"sample {i} holds token id 0, the padding id, which no real token may have; "
                         "number tokens from 1 (SequenceVectorizer does: 1 is unknown, words from 2)")
    return array.astype(np.int64, copy=False)


def _nan_padded(X: np.ndarray) -> PaddedSequences:
    """Lengths from trailing all-NaN steps; any other NaN or infinity is an error.

    Works with boolean masks the size of ``X``'s steps and one float32 copy at most (none
    when ``X`` is a float32 array without padding), so that large inputs stay affordable.
    """
    lengths = _trailing_nan_lengths(X)
    steps = np.arange(X.shape[1])
    valid = steps[None, :] < lengths[:, None]
    bad = valid & ~np.isfinite(X).all(axis=2)
    if bad.any():
        i, t = np.argwhere(bad)[0]
        raise ValueError(
            f"sample {i} contains NaN or infinity at step {t}; only trailing all-NaN steps are padding"
        )
    if (lengths == 0).any():
        why = "it has no steps" if X.shape[1] == 0 else "every step is NaN"
        raise ValueError(f"sample {np.argmin(lengths)} is an empty sequence ({why})")
    _check_float32_range(X)
    if valid.all() and X.dtype == np.float32 and X.flags.c_contiguous:
        # Nothing to replace: the caller's array (a read-only memory map too), not a copy; batches index it.
        return PaddedSequences(X, lengths)
    values = X.astype(np.float32)
    values[~valid] = 0
    return PaddedSequences(values, lengths)


def _trailing_nan_lengths(X: np.ndarray) -> np.ndarray:
    """The length of each sequence of a 3-D array: its steps before the trailing all-NaN ones (the padding)."""
    valid = ~np.isnan(X).all(axis=2)
    last = np.argmax(valid[:, ::-1], axis=1) if X.shape[1] else 0  # argmax has nothing to look at without steps
    return np.where(valid.any(axis=1), X.shape[1] - last, 0).astype(np.int64)


def _padded_tokens(X: np.ndarray) -> PaddedSequences:
    """Token ids in a 2-D array whose trailing zeros are padding."""
    if X.ndim != 2:
        raise ValueError(f"token input has {X.ndim} dimensions; expected a 2-D array or a list of sequences")
    if X.dtype.kind not in "biu":
        raise TypeError(f"token ids must be integers, got dtype {X.dtype}")
    if (X < 0).any():
        raise ValueError(f"sample {np.argwhere(X < 0)[0, 0]} has a negative token id; ids must be >= 0")
    nonzero = X != 0
    lengths = np.where(nonzero.any(axis=1), X.shape[1] - np.argmax(nonzero[:, ::-1], axis=1), 0)
    if (lengths == 0).any():
        raise ValueError(f"sample {np.argmin(lengths)} is an empty sequence (only padding ids 0)")
    inner_padding = ~nonzero & (np.arange(X.shape[1]) < lengths[:, None])
    if inner_padding.any():
        raise ValueError(f"sample {np.argwhere(inner_padding)[0, 0]} holds the padding id 0 before its last token; "
                         "0 may only pad the end of a row (number tokens from 1)")
    return PaddedSequences(X.astype(np.int64), lengths.astype(np.int64))


def nan_padded(sequences: PaddedSequences) -> np.ndarray:
    """The float32 values of ``sequences`` with NaN past each one's length: per-step targets for a masked loss.

    Parameters
    ----------
    sequences : PaddedSequences
        Validated sequences of numeric features.

    Returns
    -------
    values : ndarray of shape (n_sequences, max_length, n_features)
        Their values, NaN where a sequence has ended.

    Examples
    --------
    >>> nan_padded(check_sequences([[1.0, 2.0], [3.0]]))[:, :, 0]
    array([[ 1.,  2.],
           [ 3., nan]], dtype=float32)
    """
    steps = np.arange(sequences.values.shape[1])
    valid = (steps < sequences.lengths[:, None])[..., None]
    return np.where(valid, sequences.values, np.nan).astype(np.float32)


class SequenceDataset(Dataset):
    """Padded sequences (and targets) served as trimmed batches ``({'x', 'lengths'}, y)``.

    Batches are built by fancy indexing in :meth:`__getitems__` and trimmed to the
    longest sequence they hold, so a batch of short sequences stays short.

    Parameters
    ----------
    sequences : PaddedSequences
        Validated sequences from :func:`check_sequences`.
    y : ndarray or None, default=None
        Targets, already encoded for the loss; None for inference.
    per_step : bool, default=False
        Whether ``y`` holds one target per step, shape ``(n_sequences, n_timesteps)``
        padded like the sequences; its batches are then trimmed with them.

    Attributes
    ----------
    sample_weight : Tensor of shape (n_sequences,) or None
        When set, each batch's dict also holds the batch's ``'sample_weight'``, which
        the training engine hands to the loss (None: no such key).
    """

    def __init__(self, sequences: PaddedSequences, y: np.ndarray | None = None, *, per_step: bool = False) -> None:
        self.sequences = sequences
        self.values = _shared_tensor(sequences.values)
        self.lengths = _shared_tensor(sequences.lengths)
        self.y = None if y is None else _shared_tensor(y)
        self.per_step = per_step
        self.sample_weight: torch.Tensor | None = None

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, index: int) -> tuple[dict[str, torch.Tensor], torch.Tensor | None]:
        return self.__getitems__([index])

    def __getitems__(self, indices: list[int]) -> tuple[dict[str, torch.Tensor], torch.Tensor | None]:
        index = torch.as_tensor(indices)
        lengths = self.lengths[index]
        steps = slice(int(lengths.max()))
        inputs = {"x": self.values[index, steps], "lengths": lengths}
        if self.sample_weight is not None:
            inputs["sample_weight"] = self.sample_weight[index]
        if self.y is None:
            return inputs, None
        return inputs, self.y[index, steps] if self.per_step else self.y[index]


class LengthBucketBatchSampler(Sampler):
    """Yield batches of indices, optionally grouping sequences of similar length.

    With ``bucket_by_length=True`` the (shuffled) indices are cut into chunks of
    ``50 * batch_size``, each chunk is sorted by length and split into batches, and
    the batch order is shuffled: batches hold similar lengths, so they carry little
    padding, while every epoch still sees a different order.

    Parameters
    ----------
    lengths : array-like of shape (n_sequences,)
        Length of each sequence.
    batch_size : int
        Indices per batch; the last batch may be smaller.
    shuffle : bool, default=False
        Draw a new order every epoch.
    bucket_by_length : bool, default=False
        Sort each chunk of ``50 * batch_size`` indices by length before batching.
    generator : torch.Generator or None, default=None
        Source of randomness for shuffling.

    Examples
    --------
    >>> sampler = LengthBucketBatchSampler([5, 1, 4, 2], 2, bucket_by_length=True)
    >>> [batch.tolist() for batch in sampler]
    [[1, 3], [2, 0]]
    """

    def __init__(self, lengths: Any, batch_size: int, *, shuffle: bool = False,
                 bucket_by_length: bool = False, generator: torch.Generator | None = None) -> None:
        self.lengths = torch.as_tensor(lengths)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.bucket_by_length = bucket_by_length
        self.generator = generator

    def __len__(self) -> int:
        return -(-len(self.lengths) // self.batch_size)

    def __iter__(self):
        n = len(self.lengths)
        order = torch.randperm(n, generator=self.generator) if self.shuffle else torch.arange(n)
        if not self.bucket_by_length:
            yield from order.split(self.batch_size)
            return
        batches = []
        for chunk in order.split(self.batch_size * _BUCKET_BATCHES):
            by_length = chunk[torch.argsort(self.lengths[chunk], stable=True)]
            batches.extend(by_length.split(self.batch_size))
        if self.shuffle:
            batches = [batches[i] for i in torch.randperm(len(batches), generator=self.generator)]
        yield from batches


def sequence_loader(dataset: Dataset, batch_size: int, *, shuffle: bool = False,
                    bucket_by_length: bool = False, generator: torch.Generator | None = None) -> DataLoader:
    """A :class:`~torch.utils.data.DataLoader` over a :class:`SequenceDataset` (or a Subset of one).

    skorch calls it as its ``iterator_train`` and ``iterator_valid``.

    Parameters
    ----------
    dataset : SequenceDataset or torch.utils.data.Subset of one
        The sequences to batch.
    batch_size : int
        Sequences per batch.
    shuffle : bool, default=False
        Draw the batches in random order.
    bucket_by_length : bool, default=False
        Group sequences of similar lengths into the same batches (see
        :class:`LengthBucketBatchSampler`).
    generator : torch.Generator, default=None
        Source of the shuffling; None uses torch's global one.
    """
    sampler = LengthBucketBatchSampler(_lengths_of(dataset), batch_size, shuffle=shuffle,
                                       bucket_by_length=bucket_by_length, generator=generator)
    return DataLoader(dataset, batch_sampler=sampler, collate_fn=_already_collated)


def _lengths_of(dataset: Dataset) -> torch.Tensor:
    if isinstance(dataset, Subset):
        return _lengths_of(dataset.dataset)[dataset.indices]
    return dataset.lengths


def _already_collated(batch: Any) -> Any:
    return batch  # SequenceDataset.__getitems__ builds whole batches


def fixed_size_batches(sequences: PaddedSequences, batch_size: int):
    """Yield ``(x, lengths, n_valid)`` batches of exactly ``batch_size`` rows, for inference.

    The last batch is filled up with copies of its final row (``n_valid`` rows are
    real), so every batch has the same shape and a sequence's output never depends
    on how many others are predicted with it: BLAS kernels can round differently
    for a different number of rows.

    Parameters
    ----------
    sequences : PaddedSequences
        The validated sequences to predict on.
    batch_size : int
        Rows per batch.
    """
    values, lengths = _shared_tensor(sequences.values), _shared_tensor(sequences.lengths)
    for index, n_valid in fixed_size_indices(len(lengths), batch_size):
        batch_lengths = lengths[index]
        yield values[index, : int(batch_lengths.max())], batch_lengths, n_valid


def fixed_size_indices(n_rows: int, batch_size: int):
    """Yield ``(index, n_valid)``: the rows of each batch of :func:`fixed_size_batches`.

    Parameters
    ----------
    n_rows : int
        Rows to cover.
    batch_size : int
        Rows per batch; the last batch repeats its final row.
    """
    for start in range(0, n_rows, batch_size):
        yield torch.arange(start, start + batch_size).clamp_(max=n_rows - 1), min(batch_size, n_rows - start)


def pad_rows(rows: Sequence[Any], *, fill: float, length: int | None = None, dtype: Any = "int64") -> np.ndarray:
    """Stack rows of different lengths into one array padded with ``fill`` after each row.

    Rows of shape ``(T_i, *rest)`` (all with the same ``rest``) give an array of shape
    ``(n_rows, length, *rest)``; ``length`` is the longest row's when None, and must
    hold every row otherwise.

    Parameters
    ----------
    rows : sequence of array-like
        The rows, at least one.
    fill : float
        The padding value.
    length : int, default=None
        Padded length; the longest row's when None.
    dtype : data-type, default='int64'
        Of the result.
    """
    arrays = [np.asarray(row, dtype=dtype) for row in rows]
    width = max(len(array) for array in arrays) if length is None else length
    rest = next((array.shape[1:] for array in arrays if len(array)), ())
    padded = np.full((len(arrays), width, *rest), fill, dtype=dtype)
    for i, array in enumerate(arrays):
        if len(array):  # an empty row has no trailing shape to broadcast
            padded[i, : len(array)] = array
    return padded


def _shared_tensor(array: np.ndarray) -> torch.Tensor:
    """A tensor sharing ``array``'s memory, read-only memory maps included.

    torch warns that it cannot protect a read-only array from writes; nothing writes to
    these tensors (batches are gathered copies), so the warning says nothing here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable", category=UserWarning)
        return torch.from_numpy(array)
