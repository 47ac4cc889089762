"""Plots of training curves and attention weights, with matplotlib.

matplotlib is an optional dependency (the ``plots`` extra:
``pip install "sklearn-seq[plots]"``); it is imported when a function is called.
Every function draws on ``ax`` when given (else on a new figure) and returns the
matplotlib Axes.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .sequences import pad_rows

__all__ = ["plot_attention", "plot_history"]

# Entries of a skorch epoch log that are bookkeeping, not curves.
_NOT_CURVES = ("epoch", "dur", "batches")


def _pyplot():
    """matplotlib.pyplot, or an ImportError that says how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            'sklearn_seq.plotting needs matplotlib, an optional dependency: pip install "sklearn-seq[plots]" '
            "(or pip install matplotlib)."
        ) from exc
    return plt


def _ticker():
    import matplotlib.ticker

    return matplotlib.ticker


def _axes(ax):
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(layout="constrained")
    return ax


def plot_history(estimator, *, keys=None, ax=None, log_scale=False):
    """Plot the training and validation loss, and any other score, per epoch.

    Losses (entries ending in ``loss``) are drawn on ``ax``; other scores recorded
    per epoch (for instance a skorch ``EpochScoring`` callback's ``valid_acc``) on a
    second y axis on the right, dashed. With early stopping, a dotted vertical line
    marks the epoch of the lowest validation loss, whose weights the estimator kept.

    Parameters
    ----------
    estimator : fitted estimator, skorch net or list of dict
        A fitted network estimator of this package (its ``history_``), a skorch
        ``NeuralNet`` (its ``history``), an estimator with ``loss_curve_`` (such as
        scikit-learn's ``MLPRegressor``, with ``validation_scores_`` when it early
        stops), or the epoch log itself: one dict per epoch.

    keys : list of str, default=None
        The entries to draw; by default every numeric entry but the bookkeeping
        ones (``epoch``, ``dur``, batch counts, ``*_best`` flags).

    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.

    log_scale : bool, default=False
        Draw the losses on a logarithmic scale.

    Returns
    -------
    ax : matplotlib Axes
        The Axes of the losses (the scores' Axes is ``ax.right_ax`` when there are
        scores).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq import GRURegressor
    >>> from sklearn_seq.plotting import plot_history
    >>> X = np.random.RandomState(0).uniform(-1, 1, size=(100, 5))
    >>> reg = GRURegressor(hidden_size=8, lr=0.02, max_epochs=10, early_stopping=True, random_state=0)
    >>> ax = plot_history(reg.fit(X, X.sum(axis=1)))
    >>> [line.get_label() for line in ax.get_lines()]
    ['train_loss', 'valid_loss', 'best epoch']
    >>> ax.get_xlabel()
    'epoch'
    """
    history = _epoch_log(estimator)
    if keys is None:
        keys = [key for key in history[0] if _is_curve(key, history)]
    missing = [key for key in keys if key not in history[0]]
    if missing:
        raise ValueError(f"No entry {missing[0]!r} in the epoch log, whose entries are {list(history[0])}.")
    ax = _axes(ax)
    epochs = [row.get("epoch", i + 1) for i, row in enumerate(history)]
    losses = [key for key in keys if key.endswith("loss")]
    scores = [key for key in keys if key not in losses]
    for key in losses:
        ax.plot(epochs, [row.get(key, np.nan) for row in history], marker="." if len(epochs) < 50 else None,
                label=key)
    if "valid_loss" in losses and len(history) > 1:
        valid = np.array([row.get("valid_loss", np.nan) for row in history], dtype=float)
        ax.axvline(epochs[int(np.nanargmin(valid))], color="0.5", linestyle=":", label="best epoch")
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(_ticker().MaxNLocator(integer=True))
    ax.set_ylabel("loss")
    if log_scale:
        ax.set_yscale("log")
    handles, labels = ax.get_legend_handles_labels()
    if scores:
        right = ax.twinx()
        for i, key in enumerate(scores, start=len(losses)):  # colours continue after the losses'
            right.plot(epochs, [row.get(key, np.nan) for row in history], linestyle="--", color=f"C{i % 10}",
                       label=key)
        right.set_ylabel("score")
        ax.right_ax = right
        more_handles, more_labels = right.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    if handles:
        ax.legend(handles, labels)
    return ax


def plot_attention(weights, *, tokens=None, row_labels=None, ax=None, cmap="viridis", colorbar=True):
    """Draw attention weights as a heat map, with the tokens when given.

    Parameters
    ----------
    weights : array-like of shape (n_steps,) or (n_rows, n_steps), or list of 1-D arrays
        Attention weights: one sequence's weights over its steps, one row per
        sequence (the list returned by a classifier's ``attention_weights``, of
        any lengths: shorter rows are left blank), or an alignment matrix (one row
        per output step of a translation, one column per input step).

    tokens : list of str, or list of list of str, default=None
        Labels of the attended steps. A flat list labels the columns (its length
        is the number of columns). A list of lists, one per row, writes each row's
        tokens inside its cells, for several sequences of different words.

    row_labels : list of str, default=None
        Labels of the rows (the output tokens of an alignment, or a name per
        sequence).

    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.

    cmap : str or matplotlib Colormap, default='viridis'
        Colour map of the weights.

    colorbar : bool, default=True
        Add a colour bar labelled "attention weight".

    Returns
    -------
    ax : matplotlib Axes
        The Axes of the heat map.

    Examples
    --------
    >>> from sklearn_seq.plotting import plot_attention
    >>> ax = plot_attention([0.1, 0.2, 0.7], tokens=["not", "bad", "at all"])
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['not', 'bad', 'at all']
    >>> ax.images[0].get_array().shape
    (1, 3)
    """
    matrix = _attention_matrix(weights)
    n_rows, n_cols = matrix.shape
    in_cells = tokens is not None and len(tokens) > 0 and not isinstance(tokens[0], str)
    if tokens is not None and not in_cells and len(tokens) != n_cols:
        raise ValueError(f"tokens has {len(tokens)} labels, but the weights have {n_cols} columns.")
    if in_cells and len(tokens) != n_rows:
        raise ValueError(f"tokens has {len(tokens)} rows of tokens, but the weights have {n_rows} rows.")
    if row_labels is not None and len(row_labels) != n_rows:
        raise ValueError(f"row_labels has {len(row_labels)} labels, but the weights have {n_rows} rows.")
    ax = _axes(ax)
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, aspect="auto", vmin=0,
                      vmax=max(float(np.nanmax(matrix)), 1e-12), interpolation="nearest")
    if tokens is not None and not in_cells:
        ax.set_xticks(range(n_cols), list(tokens), rotation=45 if max(map(len, tokens)) > 3 else 0,
                      ha="right" if max(map(len, tokens)) > 3 else "center")
    else:
        ax.set_xlabel("step")
    if in_cells:
        for row, row_tokens in enumerate(tokens):
            if len(row_tokens) > n_cols or np.isnan(matrix[row, : len(row_tokens)]).any():
                raise ValueError(f"row {row} has {len(row_tokens)} tokens but fewer weights.")
            for col, token in enumerate(row_tokens):
                dark = matrix[row, col] < 0.5 * np.nanmax(matrix)
                ax.text(col, row, str(token), ha="center", va="center", fontsize=8,
                        color="white" if dark else "black")
    if row_labels is not None:
        ax.set_yticks(range(n_rows), list(row_labels))
    elif n_rows == 1:
        ax.set_yticks([])
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="attention weight")
    return ax


def _epoch_log(estimator):
    """The epoch log of ``estimator``: a non-empty list of dicts."""
    if isinstance(estimator, (list, tuple)):
        history = list(estimator)
    else:
        if isinstance(estimator, BaseEstimator):
            check_is_fitted(estimator)
        if hasattr(estimator, "history_"):
            history = list(estimator.history_)
        elif hasattr(estimator, "history") and hasattr(estimator, "module_"):  # a skorch net
            history = [{k: v for k, v in row.items() if k != "batches"} for row in estimator.history]
        elif hasattr(estimator, "loss_curve_"):
            history = [{"epoch": i + 1, "train_loss": loss} for i, loss in enumerate(estimator.loss_curve_)]
            for row, score in zip(history, getattr(estimator, "validation_scores_", None) or [], strict=False):
                row["valid_score"] = score
        else:
            raise TypeError(
                f"{type(estimator).__name__} has no epoch log: pass a fitted network estimator (the last "
                "step of a pipeline, e.g. pipeline[-1]), a skorch net, or a list of dicts."
            )
    if not history or not all(isinstance(row, dict) for row in history):
        raise ValueError("The epoch log must be a non-empty list of dicts, one per epoch.")
    return history


def _is_curve(key, history):
    if key in _NOT_CURVES or key.endswith(("_best", "_batch_count")) or key.startswith("event_"):
        return False
    value = history[0][key]
    return isinstance(value, (Real, np.floating, np.integer)) and not isinstance(value, (bool, np.bool_))


def _attention_matrix(weights):
    """Weights as a 2-D float array, ragged rows padded with NaN."""
    if isinstance(weights, (list, tuple)) and weights and not np.isscalar(weights[0]):
        matrix = pad_rows([np.asarray(row, dtype=float).ravel() for row in weights], fill=np.nan, dtype=float)
    else:
        matrix = np.atleast_2d(np.asarray(weights, dtype=float))
    if matrix.ndim != 2 or matrix.size == 0:
        raise ValueError(f"weights must be 1-D, 2-D or a list of 1-D arrays; got shape {matrix.shape}.")
    if np.nanmin(matrix) < 0 or np.isinf(matrix).any():
        raise ValueError("Attention weights must be finite and non-negative.")
    return matrix
