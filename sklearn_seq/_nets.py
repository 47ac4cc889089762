"""The skorch nets that the engine builds into ``net_``, their hold-out split, and the checks of what they train with.

Each batch of a weighted dataset carries its ``sample_weight`` among the inputs (see
:class:`~sklearn_seq.sequences.SequenceDataset`); the nets hand it to the loss
instead of the module.
"""

import numbers
from collections.abc import Mapping

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from skorch import NeuralNet, NeuralNetClassifier
from skorch.callbacks import BatchScoring, EpochScoring
from skorch.utils import to_tensor
from torch.utils.data import Subset

from ._compat import _check_sample_weight
from ._compute import AutocastSteps


class _WeightedLossNet:
    """skorch hooks that move each batch's ``sample_weight`` (see SequenceDataset) from the inputs to the loss.

    Overrides skorch's public ``infer`` and ``get_loss``, as skorch's documentation
    advises for sample weights; the losses of :mod:`sklearn_seq.nn` take them.
    """

    def infer(self, x, **fit_params):
        if isinstance(x, Mapping) and "sample_weight" in x:
            x = {key: value for key, value in x.items() if key != "sample_weight"}
        return super().infer(x, **fit_params)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        if isinstance(X, Mapping) and "sample_weight" in X:
            sample_weight = to_tensor(X["sample_weight"], device=self.device)
            return self.criterion_(y_pred, to_tensor(y_true, device=self.device), sample_weight=sample_weight)
        return super().get_loss(y_pred, y_true, X=X, training=training)


class SequenceNet(_WeightedLossNet, AutocastSteps, NeuralNet):
    """The ``net_`` of the network estimators: a skorch ``NeuralNet`` whose losses take sample weights
    and whose forward passes run in the estimator's ``precision``."""


class SequenceNetClassifier(_WeightedLossNet, AutocastSteps, NeuralNetClassifier):
    """The classifiers' ``net_``: a skorch ``NeuralNetClassifier`` whose loss takes sample weights
    and whose forward passes run in the estimator's ``precision``.

    Its ``predict_proba`` gives probabilities and its ``predict`` indices into the
    estimator's ``classes_``, which are the encoded targets: skorch's scoring
    callbacks (``EpochScoring('accuracy')``, ``'roc_auc'``, ...) work on it.
    """


def checked_sample_weight(sample_weight, n_samples):
    """``sample_weight`` as a float32 tensor whose largest value is 1.

    As scikit-learn's ``_check_sample_weight``: one finite non-negative weight per
    sample, or one number for all. The losses are weighted means, which do not change
    when every weight is scaled: scaled to a largest weight of 1, weights that float32
    cannot hold as given (1e-45 underflows, 1e39 overflows) train as any other scale.
    """
    if not isinstance(sample_weight, numbers.Number):  # one number is every sample's weight
        sample_weight = np.asarray(sample_weight)
    if np.ndim(sample_weight) == 1 and len(sample_weight) != n_samples:  # a clearer message than scikit-learn's
        raise ValueError(f"sample_weight has {len(sample_weight)} values, but X has {n_samples} samples; give one "
                         "weight per sample")
    weights = _check_sample_weight(sample_weight, np.empty((n_samples, 0)), dtype=np.float64,
                                   ensure_non_negative=True)
    largest = weights.max(initial=0.0)
    if not largest > 0:  # scikit-learn < 1.8 lets all-zero weights through
        raise ValueError("sample_weight is zero for every sample, which leaves nothing to train on; give at least one "
                         "positive weight")
    return torch.as_tensor(weights / largest, dtype=torch.float32)


def check_validation_pair(validation_data, name, learns_targets):
    """Refuse a ``validation_data`` that is not ``(X_val, y_val)``, or whose ``y_val`` the estimator would not read."""
    if len(validation_data) != 2:
        raise ValueError(f"validation_data must be a pair (X_val, y_val) (y_val None for the unsupervised "
                         f"estimators), got a tuple of {len(validation_data)} items")
    y_val = validation_data[1]
    if learns_targets and y_val is None:
        raise ValueError(f"validation_data: y_val is None, but {name} learns targets; give (X_val, y_val)")
    if not learns_targets and y_val is not None:
        raise ValueError(f"validation_data: {name} learns from X alone and would ignore y_val; give (X_val, None)")


def check_no_scoring_callbacks(callbacks, name):
    """Refuse skorch's scoring callbacks for a network whose ``predict`` gives no one value per sequence."""
    for item in callbacks or []:
        callback = item[-1] if isinstance(item, tuple) and item else item  # a callback, or a (name, callback) pair
        if isinstance(callback, (EpochScoring, BatchScoring)):
            raise ValueError(
                f"callbacks: skorch's EpochScoring and BatchScoring score net_.predict against the targets, one "
                f"per sequence: only the many-to-one classifiers and regressors predict so; {name}'s network "
                "predicts per step or per token. Follow valid_loss (history_) instead"
            )


class HoldOut:
    """skorch ``train_split``: a seeded (stratified) hold-out of ``fraction`` of the data, or its last ``fraction``.

    ``time=True`` keeps the order: the last samples (e.g. the latest windows of a
    series) are held out, so that no validation window overlaps a training one but
    at the boundary.
    """

    def __init__(self, fraction, stratify, seed, *, time=False):
        self.fraction = fraction
        self.stratify = stratify
        self.seed = seed
        self.time = time

    def __call__(self, dataset, y=None, **fit_params):
        labels = dataset.y.numpy() if self.stratify else None
        train, valid = train_test_split(
            np.arange(len(dataset)), test_size=self.fraction, stratify=labels, random_state=self.seed,
            shuffle=not self.time,
        )
        return Subset(dataset, train), Subset(dataset, valid)
