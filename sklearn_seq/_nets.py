"""The skorch nets that the engine builds into ``net_``, and the check of the sample weights they train with.

Each batch of a weighted dataset carries its ``sample_weight`` among the inputs (see
:class:`~sklearn_seq.sequences.SequenceDataset`); the nets hand it to the loss
instead of the module.
"""

from collections.abc import Mapping

import numpy as np
import torch
from skorch import NeuralNet, NeuralNetClassifier
from skorch.utils import to_tensor

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
    """``sample_weight`` as float32 tensor, one non-negative finite value per sample."""
    sample_weight = np.asarray(sample_weight)
    if sample_weight.ndim == 1 and len(sample_weight) != n_samples:
        raise ValueError(f"sample_weight has {len(sample_weight)} values, but X has {n_samples} samples; give one "
                         "weight per sample")
    weights = _check_sample_weight(sample_weight, np.empty((n_samples, 1)), dtype=np.float64,
                                   ensure_non_negative=True)
    return torch.as_tensor(weights, dtype=torch.float32)
