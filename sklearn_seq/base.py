"""BaseSequenceNet: scikit-learn parameters in, a trained skorch net out.

The estimators compose skorch instead of inheriting from it: ``fit`` validates the
data, learns its shapes into trailing-underscore attributes, builds a torch module
from :mod:`sklearn_seq.nn` and a :class:`skorch.NeuralNet` into ``net_``, and lets
skorch run the training loop. Parameters are never written to, and global random
state is left as it was.
"""

import copy
from abc import ABCMeta, abstractmethod
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_array, check_is_fitted
from skorch import NeuralNet
from skorch.callbacks import Callback, EarlyStopping, GradientNormClipping, ProgressBar
from skorch.utils import noop
from torch.utils.data import Subset

from ._compat import Interval, StrOptions, _fit_context
from .nn import POOLING_MODES, ManyToOneNet, RecurrentEncoder
from .sequences import SequenceDataset, fixed_size_batches, sequence_loader, validate_sequences

_OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}

def _attention_pooling(estimator):
    return estimator.pooling == "attention"


# The parameters of the training loop, shared by every network estimator.
TRAINING_PARAMETERS = (
    "max_epochs", "batch_size", "lr", "optimizer", "weight_decay", "gradient_clip", "early_stopping",
    "validation_fraction", "n_iter_no_change", "bucket_by_length", "callbacks", "device", "random_state",
    "verbose", "warm_start",
)


def parameter_constraints(*names):
    """The constraints of ``BaseSequenceNet`` for ``names``, for estimators with other parameter sets."""
    return {name: BaseSequenceNet._parameter_constraints[name] for name in names}


class BaseSequenceNet(BaseEstimator, metaclass=ABCMeta):
    """Shared machinery of the many-to-one sequence estimators; not for direct use."""

    _parameter_constraints: dict = {
        "cell": [StrOptions({"rnn", "lstm", "gru"})],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "pooling": [StrOptions(set(POOLING_MODES))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "forget_bias": [Real],
        "embedding_dim": [Interval(Integral, 1, None, closed="left"), None],
        "vocab_size": [Interval(Integral, 2, None, closed="left"), None],
        "embedding_weights": ["array-like", None],
        "freeze_embedding": ["boolean"],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "optimizer": [StrOptions(set(_OPTIMIZERS)), type],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "gradient_clip": [Interval(Real, 0, None, closed="neither"), None],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "bucket_by_length": ["boolean"],
        "callbacks": [list, None],
        "device": [str],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
    }

    @abstractmethod
    def __init__(
        self,
        *,
        cell,
        hidden_size=64,
        num_layers=1,
        bidirectional=False,
        pooling="last",
        dropout=0.0,
        forget_bias=1.0,
        embedding_dim=None,
        vocab_size=None,
        embedding_weights=None,
        freeze_embedding=False,
        max_epochs=20,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        gradient_clip=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        bucket_by_length=False,
        callbacks=None,
        device="cpu",
        random_state=None,
        verbose=0,
        warm_start=False,
    ):
        self.cell = cell
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.pooling = pooling
        self.dropout = dropout
        self.forget_bias = forget_bias
        self.embedding_dim = embedding_dim
        self.vocab_size = vocab_size
        self.embedding_weights = embedding_weights
        self.freeze_embedding = freeze_embedding
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.gradient_clip = gradient_clip
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.bucket_by_length = bucket_by_length
        self.callbacks = callbacks
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    # -- what a task (classification, regression) defines ------------------------------

    _target_check_params: dict = {}  # passed to sklearn's target validation
    # Parameters that define the module; warm starts must keep them.
    # Fitted attributes described by the shared text (see fill_shared_doc).
    _shared_attributes = ("net_", "module_", "history_", "loss_curve_", "n_iter_", "n_features_in_",
                          "feature_names_in_", "vocab_size_")
    _architecture_names = (
        "cell", "hidden_size", "num_layers", "bidirectional", "pooling", "embedding_dim", "vocab_size",
    )

    @abstractmethod
    def _encode_targets(self, y, *, reset, classes=None):
        """Learn the target's shape/labels when ``reset``; return the array the loss expects."""

    @abstractmethod
    def _make_criterion(self, y):
        """Return the loss module for encoded targets ``y``."""

    @property
    @abstractmethod
    def _n_outputs(self):
        """Size of the network's output layer."""

    # -- fitting ------------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train the network on sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences in any form of :mod:`sklearn_seq.sequences`: 2-D
            ``(n_sequences, n_timesteps)``, 3-D ``(n_sequences, n_timesteps,
            n_features)`` with trailing-NaN padding, or a list of arrays of shape
            ``(T_i,)`` / ``(T_i, n_features)``; integer token ids with ``embedding_dim``.
        y : array-like of shape (n_sequences,) or (n_sequences, n_outputs)
            Targets.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        warm = self.warm_start and hasattr(self, "net_")
        return self._train(X, y, epochs=self.max_epochs, reset=not warm, hold_out=self.early_stopping)

    def _partial_fit(self, X, y, classes=None):
        first_call = not hasattr(self, "net_")
        if first_call:
            self._validate_params()
        return self._train(X, y, epochs=1, reset=first_call, hold_out=False, classes=classes)

    def _train(self, X, y, *, epochs, reset, hold_out, classes=None):
        dataset = self._training_dataset(X, y, reset=reset, classes=classes)
        if not reset:
            self._check_architecture_unchanged()
        seed = _derive_seed(self.random_state, 0 if reset else self.n_iter_)
        device = self._torch_device()
        with _seeded_torch(seed, device):
            if reset:
                self.net_ = self._build_net(dataset, device, hold_out, seed)
                self._architecture = self._architecture_params()
            self.net_.iterator_train__generator.manual_seed(seed)
            self.net_.partial_fit(dataset, epochs=epochs)
        return self

    def _training_dataset(self, X, y, *, reset, classes=None):
        """Validate ``X`` and ``y``, learn their shapes when ``reset``; return the training dataset."""
        sequences, y = self._validate_sequences(X, y, reset=reset, **self._target_check_params)
        return SequenceDataset(sequences, self._encode_targets(y, reset=reset, classes=classes))

    @property
    def _token_input(self):
        return self.embedding_dim is not None or self.embedding_weights is not None

    def _validate_sequences(self, X, y="no_validation", *, reset, **y_params):
        tokens = self._token_input
        sequences, y = validate_sequences(self, X, y, reset=reset, tokens=tokens, **y_params)
        if tokens:
            self._check_vocabulary(sequences, reset=reset)
        return sequences, y

    def _build_module(self, dataset):
        """The torch module for the validated training data: many-to-one by default."""
        return ManyToOneNet(self._make_encoder(dataset.sequences.n_features), self.pooling, self._n_outputs)

    def _make_encoder(self, n_features):
        params = {
            "cell": self.cell,
            "num_layers": self.num_layers,
            "bidirectional": self.bidirectional,
            "dropout": self.dropout,
            "forget_bias": self.forget_bias,
            "num_embeddings": getattr(self, "vocab_size_", None),
            "embedding_dim": self.embedding_dim,
            "freeze_embedding": self.freeze_embedding,
        }
        if self.embedding_weights is not None:
            # A copy: training must never change the caller's array.
            params["embedding_weights"] = torch.tensor(_check_embedding_weights(self))
        return RecurrentEncoder(n_features, self.hidden_size, **params)

    def _build_net(self, dataset, device, hold_out, seed):
        optimizer = _OPTIMIZERS.get(self.optimizer, self.optimizer)
        net = _SequenceNet(
            module=self._build_module(dataset),
            criterion=self._make_criterion(dataset.y.numpy()),
            optimizer=optimizer,
            optimizer__weight_decay=self.weight_decay,
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            iterator_train=sequence_loader,
            iterator_train__shuffle=True,
            iterator_train__bucket_by_length=self.bucket_by_length,
            iterator_train__generator=torch.Generator(),
            iterator_valid=sequence_loader,
            iterator_valid__bucket_by_length=self.bucket_by_length,
            train_split=_HoldOut(self.validation_fraction, self._stratify, seed) if hold_out else None,
            callbacks=self._training_callbacks(hold_out),
            predict_nonlinearity=None,
            device=device,
            verbose=self.verbose,
        )
        return net.initialize()

    def _training_callbacks(self, hold_out):
        callbacks = []
        if hold_out:
            sink = print if self.verbose else noop
            callbacks.append(
                ("early_stopping", EarlyStopping(patience=self.n_iter_no_change, load_best=True, sink=sink))
            )
        if self.gradient_clip is not None:
            callbacks.append(("gradient_clip", GradientNormClipping(self.gradient_clip)))
        if self.verbose:
            callbacks.append(("progress_bar", ProgressBar()))
        for callback in copy.deepcopy(self.callbacks or []):
            if not isinstance(callback, (Callback, tuple)):
                raise TypeError(f"callbacks must be skorch callbacks or (name, callback) pairs, got {callback!r}")
            callbacks.append(callback)
        return callbacks

    @property
    def _stratify(self):
        return False

    def _torch_device(self):
        if self.device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        return self.device

    def _architecture_params(self):
        return {name: getattr(self, name) for name in self._architecture_names}

    def _check_architecture_unchanged(self):
        changed = [k for k, v in self._architecture_params().items() if self._architecture[k] != v]
        if changed:
            raise ValueError(
                f"warm_start and partial_fit continue the fitted network, whose {', '.join(changed)} "
                "differ from the current parameters; refit with warm_start=False"
            )

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

    # -- inference ----------------------------------------------------------------------

    def _forward(self, X, return_attention=False):
        """Network outputs for ``X`` as float64, computed in fixed-size batches."""
        check_is_fitted(self)
        sequences, _ = self._validate_sequences(X, reset=False)
        batches = self._batched_inference(sequences, lambda module, x, lengths: module(x, lengths, True))
        outputs = np.concatenate([out for (out, _), _ in batches])
        if not return_attention:
            return outputs
        return outputs, [w[:n] for (_, weights), lengths in batches for w, n in zip(weights, lengths, strict=True)]

    def _batched_inference(self, sequences, forward):
        """Apply ``forward(module, x, lengths)`` in eval mode over fixed-size batches, without gradients.

        Returns one ``(outputs, lengths)`` pair per batch, restricted to its real rows:
        ``outputs`` is what ``forward`` returned (a tensor, or a tuple of tensors or
        None) as float64 arrays, ``lengths`` an int array.
        """
        module, device = self.module_, self.net_.device
        module.eval()
        batches = []
        with torch.no_grad():
            for x, lengths, n_valid in fixed_size_batches(sequences, self.batch_size):
                outputs = forward(module, x.to(device), lengths.to(device))
                batches.append((_to_numpy(outputs, n_valid), lengths[:n_valid].numpy()))
        return batches

    def _per_step_outputs(self, sequences):
        """The many-to-many network's outputs for each of ``sequences``, cut to its length (float64)."""
        batches = self._batched_inference(sequences, lambda module, x, lengths: module(x, lengths))
        return [out[:n] for outputs, lengths in batches for out, n in zip(outputs, lengths, strict=True)]

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

    def summary(self):
        """Describe the fitted network layer by layer, as Keras's ``model.summary()`` does.

        Returns
        -------
        table : str
            One row per layer (name, type, output shape with ``None`` for the batch
            and ``T`` for time, parameter count), then the totals.
        """
        check_is_fitted(self)
        rows = [(f"{name} ({kind})", str(shape).replace("'", ""), f"{n:,}")
                for name, kind, shape, n in self.module_.layer_table()]
        header = ("Layer (type)", "Output shape", "Param #")
        widths = [max(len(r[i]) for r in [header, *rows]) + 2 for i in range(3)]
        line, *body = ["".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                       for row in [header, *rows]]
        rule = "=" * len(line)
        total = sum(p.numel() for p in self.module_.parameters())
        trainable = sum(p.numel() for p in self.module_.parameters() if p.requires_grad)
        footer = [f"Total params: {total:,}", f"Trainable params: {trainable:,}"]
        return "\n".join([f"{type(self).__name__} ({self.cell})", rule, line, rule, *body, rule, *footer])

    # -- fitted state, derived from the skorch net --------------------------------------

    @property
    def module_(self):
        return self.net_.module_

    @property
    def history_(self):
        return [{k: v for k, v in epoch.items() if k != "batches"} for epoch in self.net_.history]

    @property
    def loss_curve_(self):
        return [epoch["train_loss"] for epoch in self.net_.history]

    @property
    def n_iter_(self):
        return len(self.net_.history)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = False
        return tags


def _to_numpy(outputs, n_rows):
    """The first ``n_rows`` of a tensor (or of each tensor of a tuple) as float64 numpy arrays."""
    if isinstance(outputs, tuple):
        return tuple(_to_numpy(out, n_rows) for out in outputs)
    return None if outputs is None else outputs[:n_rows].double().cpu().numpy()


def _check_embedding_weights(estimator):
    """``embedding_weights`` as a float32 array, consistent with ``embedding_dim`` and ``vocab_size``."""
    weights = check_array(estimator.embedding_weights, dtype=np.float32, input_name="embedding_weights")
    for name, expected, actual in [("vocab_size", estimator.vocab_size, weights.shape[0]),
                                   ("embedding_dim", estimator.embedding_dim, weights.shape[1])]:
        if expected is not None and expected != actual:
            raise ValueError(f"embedding_weights has shape {weights.shape}, but {name}={expected}")
    return weights


class _SequenceNet(NeuralNet):
    """skorch's ``NeuralNet`` without a redundant train/eval switch before every batch.

    skorch sets the mode on every module and criterion at each step, a recursive walk
    that costs about 2 % of a small LSTM's training time; switching only when the mode
    changes keeps the behaviour.
    """

    def _set_training(self, training=True):
        modules = [getattr(self, name + "_") for name in self._modules + self._criteria]
        if any(isinstance(module, torch.nn.Module) and module.training != training for module in modules):
            super()._set_training(training)


class _HoldOut:
    """skorch ``train_split``: a seeded (stratified) hold-out of ``fraction`` of the data."""

    def __init__(self, fraction, stratify, seed):
        self.fraction = fraction
        self.stratify = stratify
        self.seed = seed

    def __call__(self, dataset, y=None, **fit_params):
        labels = dataset.y.numpy() if self.stratify else None
        train, valid = train_test_split(
            np.arange(len(dataset)), test_size=self.fraction, stratify=labels, random_state=self.seed
        )
        return Subset(dataset, train), Subset(dataset, valid)


def _derive_seed(random_state, offset):
    """A torch seed from ``random_state``; ``offset`` varies it across partial fits."""
    base = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return (base + offset) % np.iinfo(np.int32).max


@contextmanager
def _seeded_torch(seed, device):
    """Seed torch inside a forked RNG so the caller's global random state is untouched."""
    device = torch.device(device)
    devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield
