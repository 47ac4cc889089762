"""What the many-to-one estimators (classifiers and regressors) share on top of the engine.

One output per sequence: the encoder's per-step outputs are pooled over time
(``pooling``) and a linear head maps the pooled vector to the task's outputs. Token
input goes through an embedding, trained or initialised from pre-trained vectors.
"""

import numpy as np
import torch
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_array, check_is_fitted

from ._parameters import encoder_params
from .nn import ManyToOneNet, RecurrentEncoder
from .sequences import SequenceDataset, validate_sequences


def _attention_pooling(estimator):
    return estimator.pooling == "attention"


class ManyToOneMixin:
    """Pooling, embeddings and the many-to-one module for the classifiers and regressors.

    The task gives ``_encode_targets(y, *, reset, **params)``, the targets as the loss
    expects them, and ``_n_outputs``, the size of the output layer.
    """

    _shared_attributes = ("net_", "module_", "history_", "loss_curve_", "n_iter_", "n_features_in_",
                          "feature_names_in_", "vocab_size_")
    _target_check_params: dict = {}  # passed to scikit-learn's target validation
    _scores_predictions = True  # one prediction per sequence: skorch's scoring callbacks score them

    # -- hooks of BaseSequenceNet -------------------------------------------------------

    def _build_dataset(self, X, y, *, reset, **target_params):
        sequences, y = self._validate_sequences(X, y, reset=reset, **self._target_check_params)
        return SequenceDataset(sequences, self._encode_targets(y, reset=reset, **target_params))

    def _build_module(self, dataset):
        return ManyToOneNet(self._make_encoder(self._n_step_features), self.pooling, self._n_outputs, init=self.init)

    def _more_validate_params(self):
        super()._more_validate_params()
        if not self._token_input:
            for name in ("vocab_size", "freeze_embedding"):
                if getattr(self, name) not in (None, False):
                    raise ValueError(
                        f"{name}={getattr(self, name)!r} describes an embedding layer, which only token input "
                        "has: set embedding_dim (or embedding_weights) too, or leave it at its default"
                    )
        if self.embedding_weights is not None:
            _check_embedding_weights(self)

    # -- input --------------------------------------------------------------------------

    @property
    def _token_input(self):
        return self.embedding_dim is not None or self.embedding_weights is not None

    def _validate_sequences(self, X, y="no_validation", *, reset, **y_params):
        tokens = self._token_input
        sequences, y = validate_sequences(self, X, y, reset=reset, tokens=tokens, **y_params)
        if tokens:
            self._check_vocabulary(sequences, reset=reset)
        return sequences, y

    def _check_vocabulary(self, sequences, *, reset):
        largest = int(sequences.values.max())
        if reset:
            known = self.vocab_size
            if self.embedding_weights is not None:
                known = len(_check_embedding_weights(self))
            if known is not None and largest >= known:
                raise ValueError(f"token id {largest} is out of range for a vocabulary of {known} ids")
            self.vocab_size_ = known or largest + 1
        elif largest >= self.vocab_size_:
            sample = int(np.argwhere(sequences.values >= self.vocab_size_)[0, 0])
            raise ValueError(
                f"sample {sample} has token id {largest}, but the embedding knows ids below "
                f"vocab_size_={self.vocab_size_}"
            )

    def _make_encoder(self, n_features):
        params = {
            **encoder_params(self),
            "bidirectional": self.bidirectional,
            "num_embeddings": getattr(self, "vocab_size_", None),
            "embedding_dim": self.embedding_dim,
            "freeze_embedding": self.freeze_embedding,
        }
        if self.embedding_weights is not None:
            # A copy: training must never change the caller's array.
            params["embedding_weights"] = torch.tensor(_check_embedding_weights(self))
        return RecurrentEncoder(n_features, **params)

    # -- inference ----------------------------------------------------------------------

    def _forward(self, X, return_attention=False):
        """Network outputs for ``X`` as float64, computed in fixed-size batches."""
        check_is_fitted(self)
        sequences, _ = self._validate_sequences(X, reset=False)
        # The weights only when asked: kept for every sequence, they would outweigh the outputs.
        batches = self._batched_inference(sequences, lambda module, x, lengths: module(x, lengths, return_attention))
        if not return_attention:
            return np.concatenate([out for out, _ in batches])
        outputs = np.concatenate([out for (out, _), _ in batches])
        return outputs, [w[:n] for (_, weights), lengths in batches for w, n in zip(weights, lengths, strict=True)]

    @available_if(_attention_pooling)
    def attention_weights(self, X):
        """Attention weights over the steps of each sequence (``pooling='attention'`` only).

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.

        Returns
        -------
        weights : list of ndarray of shape (T_i,)
            For each sequence, non-negative weights over its valid steps that sum to one.
        """
        return self._forward(X, return_attention=True)[1]


def _check_embedding_weights(estimator):
    """``embedding_weights`` as a float32 array, consistent with ``embedding_dim`` and ``vocab_size``."""
    weights = check_array(estimator.embedding_weights, dtype=np.float32, input_name="embedding_weights")
    for name, expected, actual in [("vocab_size", estimator.vocab_size, weights.shape[0]),
                                   ("embedding_dim", estimator.embedding_dim, weights.shape[1])]:
        if expected is not None and expected != actual:
            raise ValueError(f"embedding_weights has shape {weights.shape}, but {name}={expected}")
    return weights
