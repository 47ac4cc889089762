"""Many-to-one sequence regression: RNNRegressor and its LSTM and GRU flavours."""

import numpy as np
import torch
from sklearn.base import RegressorMixin

from ._compat import _fit_context
from ._many_to_one import ManyToOneMixin
from ._parameters import TRAINING_PARAMETERS, constraints, fill_shared_doc, set_init_params, with_cell_default
from .base import BaseSequenceNet
from .classification import _NETWORK_PARAMETERS


@fill_shared_doc
class RNNRegressor(RegressorMixin, ManyToOneMixin, BaseSequenceNet):
    """Recurrent network that predicts one or several numbers per sequence (many-to-one).

    Trained with the mean squared error. Targets are not rescaled: standardise
    them (e.g. with :class:`~sklearn.compose.TransformedTargetRegressor`) when their
    scale is far from one.

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
    """

    _parameter_constraints: dict = constraints(*_NETWORK_PARAMETERS, *TRAINING_PARAMETERS)
    _target_check_params = {"multi_output": True, "y_numeric": True}

    def __init__(self, *, cell="rnn", hidden_size=64, num_layers=1, bidirectional=False, pooling="last", dropout=0.0,
                 forget_bias=1.0, embedding_dim=None, vocab_size=None, embedding_weights=None, freeze_embedding=False,
                 max_epochs=20, batch_size=32, lr=1e-3, optimizer="adam", weight_decay=0.0, gradient_clip=None,
                 early_stopping=False, validation_fraction=0.1, n_iter_no_change=5, bucket_by_length=False,
                 callbacks=None, device="cpu", random_state=None, verbose=0, warm_start=False):
        set_init_params(self, locals())

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y):
        """Train for one epoch on ``X, y``, starting the network on the first call.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.
        y : array-like of shape (n_sequences,) or (n_sequences, n_outputs)
            Targets.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._partial_fit(X, y)

    def predict(self, X):
        """Predicted targets of each sequence.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.

        Returns
        -------
        y : ndarray of shape (n_sequences,) or (n_sequences, n_outputs)
            One column per target; 1-D for a single target.
        """
        y = self._forward(X)
        return y.ravel() if y.shape[1] == 1 else y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _encode_targets(self, y, *, reset):
        y = np.asarray(y, dtype=np.float32)
        y = y.reshape(len(y), -1)
        if reset:
            self.n_outputs_ = y.shape[1]
        elif y.shape[1] != self.n_outputs_:
            raise ValueError(f"y has {y.shape[1]} targets, but the estimator was fitted with {self.n_outputs_}")
        return y

    def _build_criterion(self, dataset):
        return torch.nn.MSELoss()

    @property
    def _n_outputs(self):
        return self.n_outputs_


@fill_shared_doc
class LSTMRegressor(RNNRegressor):
    """Long short-term memory regressor: :class:`RNNRegressor` with ``cell='lstm'``.

    Parameters
    ----------
    {shared_parameters}
    Attributes
    ----------
    n_outputs_ : int
        Number of targets.

    {shared_attributes}
    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq import LSTMRegressor
    >>> X = np.random.RandomState(0).uniform(-1, 1, size=(200, 5))
    >>> reg = LSTMRegressor(hidden_size=16, lr=0.02, max_epochs=30, random_state=0)
    >>> reg.fit(X, X.sum(axis=1)).score(X, X.sum(axis=1)) > 0.9
    True
    """

    __init__ = with_cell_default(RNNRegressor.__init__, "lstm")


@fill_shared_doc
class GRURegressor(RNNRegressor):
    """Gated recurrent unit regressor: :class:`RNNRegressor` with ``cell='gru'``.

    Parameters
    ----------
    {shared_parameters}
    Attributes
    ----------
    n_outputs_ : int
        Number of targets.

    {shared_attributes}
    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq import GRURegressor
    >>> X = np.random.RandomState(0).uniform(-1, 1, size=(200, 5))
    >>> reg = GRURegressor(hidden_size=16, lr=0.02, max_epochs=30, random_state=0)
    >>> reg.fit(X, X.sum(axis=1)).score(X, X.sum(axis=1)) > 0.9
    True
    """

    __init__ = with_cell_default(RNNRegressor.__init__, "gru")
