"""Many-to-one sequence classification: RNNClassifier and its LSTM and GRU flavours."""

import numpy as np
import torch
from scipy.special import log_softmax, softmax
from sklearn.base import ClassifierMixin
from sklearn.utils.class_weight import compute_class_weight

from ._compat import StrOptions, _fit_context
from ._many_to_one import ManyToOneMixin
from ._nets import SequenceNetClassifier
from ._parameters import (
    ENCODER_PARAMETERS,
    TRAINING_PARAMETERS,
    cell_flavour,
    constraints,
    fill_shared_doc,
    set_init_params,
)
from ._targets import check_labels
from .base import BaseSequenceNet, check_partial_fit_classes
from .nn import WeightedCrossEntropyLoss

# The network parameters of the many-to-one estimators, after which come the training ones.
_NETWORK_PARAMETERS = ("cell", "hidden_size", "num_layers", "bidirectional", "pooling", "dropout", "forget_bias",
                       *ENCODER_PARAMETERS, "embedding_dim", "vocab_size", "embedding_weights", "freeze_embedding")


@fill_shared_doc
class RNNClassifier(ClassifierMixin, ManyToOneMixin, BaseSequenceNet):
    """Recurrent network that assigns one label to each sequence (many-to-one).

    The encoder reads the sequence step by step; its outputs are pooled over time
    and a linear layer gives one logit per class, trained with cross-entropy.
    Labels may be of any type (ints, strings).

    Read more in the :ref:`User Guide <recurrent_models>`.

    Parameters
    ----------
    {shared_parameters}
    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes in the loss, as in scikit-learn's linear models.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.

    {shared_attributes}
    See Also
    --------
    LSTMClassifier : The same with ``cell='lstm'``.
    GRUClassifier : The same with ``cell='gru'``.
    RNNRegressor : Many-to-one regression.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_seq import RNNClassifier
    >>> X, y = load_iris(return_X_y=True)  # 4 features read as a 4-step sequence
    >>> clf = RNNClassifier(hidden_size=16, lr=0.02, max_epochs=30, random_state=0)
    >>> clf.fit(X, y).score(X, y) > 0.9
    True
    >>> clf.predict_proba(X[:1]).shape
    (1, 3)
    """

    _parameter_constraints: dict = {
        **constraints(*_NETWORK_PARAMETERS, *TRAINING_PARAMETERS),
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }
    _stratify_hold_out = True
    _training_only_params = ("class_weight",)
    _net_class = SequenceNetClassifier

    def __init__(self, *, cell="rnn", hidden_size=64, num_layers=1, bidirectional=False, pooling="last", dropout=0.0,
                 forget_bias=1.0, init="keras",
                 residual=False, layer_norm=False, conv_channels=None, conv_kernel_size=3, num_heads=4,
                 embedding_dim=None, vocab_size=None, embedding_weights=None, freeze_embedding=False,
                 max_epochs=20, batch_size=32, lr=1e-3, optimizer="adam", weight_decay=0.0, gradient_clip=None,
                 early_stopping=False, validation_fraction=0.1, validation_data=None, n_iter_no_change=5,
                 bucket_by_length=False, callbacks=None, checkpoint_dir=None, checkpoint_every=1,
                 device="cpu", precision="32", torch_threads=None, random_state=None, verbose=0, warm_start=False,
                 class_weight=None):
        set_init_params(self, locals())

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one epoch on ``X, y``, starting the network on the first call.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.
        y : array-like of shape (n_sequences,)
            Labels.
        classes : array-like of shape (n_classes,), default=None
            Every label the estimator will see; required on the first call.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence in the loss, as in :meth:`fit`.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        if classes is None and not hasattr(self, "classes_"):
            raise ValueError("classes must be passed on the first call to partial_fit")
        check_partial_fit_classes(self, classes)
        if isinstance(self.class_weight, str):  # 'balanced', as SGDClassifier refuses it
            raise ValueError("class_weight='balanced' weighs the classes by their frequencies in all the training "
                             "data, which partial_fit does not see at once; pass a dict of weights, or use fit")
        return self._partial_fit(X, y, sample_weight, classes=classes)

    def predict_proba(self, X):
        """Class probabilities of each sequence.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_sequences, n_classes)
            Probabilities in the order of ``classes_``.
        """
        return softmax(self._forward(X), axis=1)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably from the logits.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.

        Returns
        -------
        log_proba : ndarray of shape (n_sequences, n_classes)
            Log-probabilities in the order of ``classes_``.
        """
        return log_softmax(self._forward(X), axis=1)

    def predict(self, X):
        """Most probable class of each sequence.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.

        Returns
        -------
        y : ndarray of shape (n_sequences,)
            Predicted labels.
        """
        logits = self._forward(X)  # checks fitted before classes_ is read
        return self.classes_[np.argmax(logits, axis=1)]

    def _encode_targets(self, y, *, reset, classes=None):
        check_labels(y)
        if reset:
            self.classes_ = np.unique(y) if classes is None else np.unique(classes)
            if len(self.classes_) < 2:
                only = self.classes_.tolist()[0]
                raise ValueError(f"{type(self).__name__} needs samples of at least 2 classes; got one class: {only!r}")
        unknown = np.setdiff1d(y, self.classes_)
        if len(unknown):
            raise ValueError(f"y contains labels not in classes_: {unknown.tolist()}")
        return np.searchsorted(self.classes_, y).astype(np.int64)

    def _build_criterion(self, dataset):
        weight = None
        if isinstance(self.class_weight, dict):
            unknown = [label for label in self.class_weight if label not in set(self.classes_.tolist())]
            if unknown:
                raise ValueError(f"class_weight names labels that are not classes: {unknown}; the classes are "
                                 f"{self.classes_.tolist()}")
        if self.class_weight is not None and dataset is None:
            weight = torch.ones(len(self.classes_))  # a restored net: its saved state holds the weights
        elif self.class_weight is not None:
            # Weights are given by label, as in scikit-learn; the targets are indices into classes_.
            labels = self.classes_[dataset.y.numpy()]
            weight = torch.as_tensor(compute_class_weight(self.class_weight, classes=self.classes_, y=labels),
                                     dtype=torch.float32)
        return WeightedCrossEntropyLoss(weight=weight)

    def _task_net_options(self):
        # skorch's classifier: probabilities, and predictions as indices into classes_ (the encoded targets),
        # for its scoring callbacks. Its default valid_acc scoring is left to the user's callbacks.
        return {"classes": list(range(len(self.classes_))), "predict_nonlinearity": "auto",
                "callbacks__valid_acc": None}

    @property
    def _n_outputs(self):
        return len(self.classes_)


@cell_flavour(RNNClassifier, "lstm",
              "Long short-term memory classifier: :class:`RNNClassifier` with ``cell='lstm'``."
              "\n\n    Read more in the :ref:`User Guide <recurrent_models>`.")
class LSTMClassifier(RNNClassifier):
    pass


@cell_flavour(RNNClassifier, "gru",
              "Gated recurrent unit classifier: :class:`RNNClassifier` with ``cell='gru'``."
              "\n\n    Read more in the :ref:`User Guide <recurrent_models>`.")
class GRUClassifier(RNNClassifier):
    pass
