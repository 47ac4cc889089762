"""The skorch nets that the engine builds into ``net_``, and the check of the sample weights they train with.

Each batch of a weighted dataset carries its ``sample_weight`` among the inputs (see
:class:`~sklearn_seq.sequences.SequenceDataset`); the nets hand it to the loss
instead of the module.
"""

import numbers
from collections.abc import Mapping

import numpy as np
import torch
from skorch import NeuralNet, NeuralNetClassifier
from skorch.utils import to_tensor

from ._compat import _check_sample_weight


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


class SequenceNet(_WeightedLossNet, NeuralNet):
    """The ``net_`` of the network estimators: a skorch ``NeuralNet`` whose losses take sample weights."""


class SequenceNetClassifier(_WeightedLossNet, NeuralNetClassifier):
    """The classifiers' ``net_``: a skorch ``NeuralNetClassifier`` whose loss takes sample weights.

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
        raise ValueError("sample_weight is 0 for every sample, which leaves nothing to train on; give at least one "
                         "positive weight")
    return torch.as_tensor(weights / largest, dtype=torch.float32)
