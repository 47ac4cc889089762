"""Sequence regression: RNNRegressor and its LSTM and GRU flavours.

Many-to-one (one or several numbers per sequence) by default; with
``return_sequences=True`` many-to-many of equal length (numbers at every step).
"""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_is_fitted

from ._compat import _fit_context
from ._many_to_one import ManyToOneMixin
from ._nets import HoldOut
from ._parameters import TRAINING_PARAMETERS, cell_flavour, constraints, fill_shared_doc, set_init_params
from ._targets import check_finite_targets
from .base import BaseSequenceNet
from .classification import _NETWORK_PARAMETERS
from .nn import ManyToManyNet, MaskedMSELoss, WeightedMSELoss
from .sequences import SequenceDataset, check_sequences, nan_padded


@fill_shared_doc
class RNNRegressor(RegressorMixin, ManyToOneMixin, BaseSequenceNet):
    """Recurrent network that predicts one or several numbers per sequence (many-to-one), or per step.

    Trained with the mean squared error. Targets are not rescaled: standardise
    them (e.g. with :class:`~sklearn.compose.TransformedTargetRegressor`) when their
    scale is far from one.

    Read more in the :ref:`User Guide <recurrent_models>`.

    Parameters
    ----------
    {shared_parameters}
    Attributes
    ----------
    n_outputs_ : int
        Number of targets.

    {shared_attributes}
    See Also
    --------
    LSTMRegressor : The same with ``cell='lstm'``.
    GRURegressor : The same with ``cell='gru'``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq import RNNRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(200, 5))
    >>> y = X.sum(axis=1)  # the sum of the sequence
    >>> reg = RNNRegressor(hidden_size=16, lr=0.02, max_epochs=30, random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.9
    True

    Per step, the running sum of each sequence:

    >>> seq = RNNRegressor(hidden_size=16, lr=0.02, max_epochs=30, return_sequences=True, random_state=0)
    >>> seq.fit(X, X.cumsum(axis=1)).score(X, X.cumsum(axis=1)) > 0.9
    True
    >>> seq.predict(X[:2])[0].shape  # one value per step
    (5,)
    """

    _parameter_constraints: dict = constraints(*_NETWORK_PARAMETERS, "return_sequences", *TRAINING_PARAMETERS,
                                               "validation_split")
    _target_check_params = {"multi_output": True, "y_numeric": True}

    def __init__(self, *, cell="rnn", hidden_size=64, num_layers=1, bidirectional=False, pooling="last", dropout=0.0,
                 forget_bias=1.0, init="keras",
                 residual=False, layer_norm=False, conv_channels=None, conv_kernel_size=3, num_heads=4,
                 embedding_dim=None, vocab_size=None, embedding_weights=None, freeze_embedding=False,
                 return_sequences=False, max_epochs=20, batch_size=32, lr=1e-3, optimizer="adam", weight_decay=0.0,
                 gradient_clip=None, early_stopping=False, validation_fraction=0.1, validation_data=None,
                 n_iter_no_change=5, bucket_by_length=False, callbacks=None, checkpoint_dir=None, checkpoint_every=1,
                 device="cpu", precision="32", torch_threads=None, random_state=None, verbose=0, warm_start=False,
                 validation_split="random"):
        set_init_params(self, locals())

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train for one epoch on ``X, y``, starting the network on the first call.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.
        y : array-like of shape (n_sequences,) or (n_sequences, n_outputs), or sequences
            Targets; with ``return_sequences=True``, one target sequence per sequence.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence in the loss, as in :meth:`fit`.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._partial_fit(X, y, sample_weight)

    def predict(self, X):
        """Predicted targets of each sequence (or of each step, with ``return_sequences=True``).

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.

        Returns
        -------
        y : ndarray of shape (n_sequences,) or (n_sequences, n_outputs), or list of ndarray
            One column per target; 1-D for a single target. With
            ``return_sequences=True``, a list with one array of shape ``(T_i,)`` or
            ``(T_i, n_outputs)`` per sequence.
        """
        if not self.return_sequences:
            y = self._forward(X)
            return y.ravel() if y.shape[1] == 1 else y
        check_is_fitted(self)
        sequences, _ = self._validate_sequences(X, reset=False)
        outputs = self._per_step_outputs(sequences)
        return [out.ravel() for out in outputs] if self.n_outputs_ == 1 else outputs

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R² of the predictions; over every step with ``return_sequences=True``.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.
        y : array-like or sequences
            True targets, as in :meth:`fit`.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence (shared by its steps with ``return_sequences=True``).

        Returns
        -------
        score : float
            R² of ``self.predict(X)`` against ``y`` (uniform average over the targets).
        """
        if not self.return_sequences:
            return super().score(X, y, sample_weight=sample_weight)
        predicted = self.predict(X)
        lengths = np.array([len(p) for p in predicted])
        targets = _step_targets(y, lengths)
        true = np.concatenate([values[:n] for values, n in zip(targets.values, lengths, strict=True)])
        weights = None if sample_weight is None else np.repeat(sample_weight, lengths)
        return r2_score(true, np.concatenate([p.reshape(len(p), -1) for p in predicted]), sample_weight=weights)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    # -- hooks of BaseSequenceNet -------------------------------------------------------

    def _build_dataset(self, X, y, *, reset):
        if not self.return_sequences:
            return super()._build_dataset(X, y, reset=reset)
        sequences, _ = self._validate_sequences(X, reset=reset)
        targets = _step_targets(y, sequences.lengths)
        self._check_n_outputs(targets.n_features, reset=reset)
        return SequenceDataset(sequences, nan_padded(targets), per_step=True)  # the loss skips NaN

    def _build_module(self, dataset):
        if not self.return_sequences:
            return super()._build_module(dataset)
        return ManyToManyNet(self._make_encoder(self._n_step_features), self.n_outputs_, init=self.init)

    def _build_criterion(self, dataset):
        return MaskedMSELoss() if self.return_sequences else WeightedMSELoss()

    def _hold_out(self, seed):
        return HoldOut(self.validation_fraction, False, seed, time=self.validation_split == "time")

    @property
    def _scores_predictions(self):
        return not self.return_sequences  # per-step predictions are padded arrays, not one per sequence

    def _more_validate_params(self):
        super()._more_validate_params()
        if self.validation_split == "time" and (not self.early_stopping or self.validation_data is not None):
            why = "validation_data is the validation set" if self.early_stopping else "early_stopping is off"
            raise ValueError(f"validation_split='time' chooses the data early_stopping holds out, but {why}; "
                             "leave validation_split='random'")
        if self.return_sequences and self.pooling != "last":
            raise ValueError(
                f"pooling={self.pooling!r} turns the step outputs into one vector, but return_sequences=True "
                "predicts at every step; leave pooling='last'"
            )

    def _check_n_outputs(self, n_outputs, *, reset):
        if reset:
            self.n_outputs_ = n_outputs
        elif n_outputs != self.n_outputs_:
            raise ValueError(f"y has {n_outputs} targets, but the estimator was fitted with {self.n_outputs_}")

    def _encode_targets(self, y, *, reset):
        y = check_finite_targets(y)
        y = y.reshape(len(y), -1)
        self._check_n_outputs(y.shape[1], reset=reset)
        return y

    @property
    def _n_outputs(self):
        return self.n_outputs_


def _step_targets(y, lengths):
    """Per-step targets ``y``, validated as sequences of the given ``lengths``."""
    if isinstance(y, str) or not hasattr(y, "__len__"):
        raise TypeError(f"with return_sequences=True, y must hold one target sequence per sequence, got {y!r}")
    if not isinstance(y, list | tuple) and np.asarray(y).dtype != object and np.ndim(y) == 1:
        raise ValueError(f"with return_sequences=True, y must hold one target sequence per sequence, got an array "
                         f"of shape {np.shape(y)}; one number per sequence is return_sequences=False")
    if len(y) != len(lengths):
        raise ValueError(f"X has {len(lengths)} sequences but y has {len(y)} target sequences")
    targets = check_sequences(y)
    for i, (n_targets, n_steps) in enumerate(zip(targets.lengths, lengths, strict=True)):
        if n_targets != n_steps:
            raise ValueError(f"sample {i} has {n_steps} steps but {n_targets} targets; return_sequences=True "
                             "needs one target per step")
    return targets


@cell_flavour(RNNRegressor, "lstm",
              "Long short-term memory regressor: :class:`RNNRegressor` with ``cell='lstm'``."
              "\n\n    Read more in the :ref:`User Guide <recurrent_models>`.")
class LSTMRegressor(RNNRegressor):
    pass


@cell_flavour(RNNRegressor, "gru",
              "Gated recurrent unit regressor: :class:`RNNRegressor` with ``cell='gru'``."
              "\n\n    Read more in the :ref:`User Guide <recurrent_models>`.")
class GRURegressor(RNNRegressor):
    pass
