"""The training engine of every network estimator: scikit-learn parameters in, a trained skorch net out.

The estimators compose skorch instead of inheriting from it. :class:`BaseSequenceNet`
owns what all of them share: the training parameters (declared once in
:mod:`sklearn_seq._parameters`), ``fit``/``partial_fit``/warm starts, seeding, the
skorch net built from public skorch options into ``net_``, batched inference and the
layer summary. A task (classification, tagging, language modelling, ...) implements
three hooks:

- ``_build_dataset(X, y, *, reset, ...)``: validate the data, learn its shapes
  (``n_features_in_``, ``classes_``, vocabularies) when ``reset``, and return a
  :class:`~sklearn_seq.sequences.SequenceDataset`;
- ``_build_module(dataset)``: the torch module, from :mod:`sklearn_seq.nn`;
- ``_build_criterion(dataset)``: the loss module.

Parameters are never written to, and global random state is left as it was.
"""

import copy
from abc import ABCMeta, abstractmethod
from contextlib import contextmanager

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet
from skorch.callbacks import Callback, EarlyStopping, GradientNormClipping, ProgressBar
from skorch.history import History
from skorch.utils import noop
from torch.utils.data import Subset

from ._compat import _fit_context
from ._parameters import OPTIMIZERS
from ._version_stamp import VersionStampMixin
from .sequences import fixed_size_batches, sequence_loader

# The skorch options that each training parameter feeds. A fitted net gets them again
# through skorch's public ``set_params`` when the parameter changes before a warm start
# or a ``partial_fit``; any parameter not listed here (or in _READ_AT_EACH_FIT) defines
# the network, or feeds an option skorch cannot change on a fitted net (the data loader
# of bucket_by_length), and changing it then is an error.
_NET_OPTIONS_OF = {
    "lr": ("lr",),
    "weight_decay": ("optimizer__weight_decay",),
    "batch_size": ("batch_size",),
    "max_epochs": ("max_epochs",),
    "early_stopping": ("train_split", "callbacks"),
    "validation_fraction": ("train_split",),
    "n_iter_no_change": ("callbacks",),
    "gradient_clip": ("callbacks",),
    "callbacks": ("callbacks",),
    "verbose": ("callbacks", "verbose"),
}
_READ_AT_EACH_FIT = {"random_state", "warm_start"}


class BaseSequenceNet(VersionStampMixin, BaseEstimator, metaclass=ABCMeta):
    """The training engine of the network estimators; not for direct use.

    Subclasses declare their parameters with an explicit ``__init__`` whose body is
    :func:`~sklearn_seq._parameters.set_init_params`, and implement the three hooks of
    the module docstring.
    """

    # Fitted attributes described by the shared docstring text (see fill_shared_doc).
    _shared_attributes = ("net_", "module_", "history_", "loss_curve_", "n_iter_")
    # Whether the early-stopping hold-out is stratified by the (encoded) targets.
    _stratify_hold_out = False
    # Task parameters that may change between fits of one network: those only inference
    # reads, and those the fitted module holds as attributes of the same name.
    _inference_params: tuple = ()
    _module_attributes: tuple = ()

    # -- the task's hooks ---------------------------------------------------------------

    @abstractmethod
    def _build_dataset(self, X, y, *, reset):
        """Validate ``X, y``, learn their shapes when ``reset``; return the training dataset."""

    @abstractmethod
    def _build_module(self, dataset):
        """The torch module for the training ``dataset``, sized by the fitted attributes alone.

        ``dataset`` is None when :meth:`_restore_net` rebuilds a saved network.
        """

    @abstractmethod
    def _build_criterion(self, dataset):
        """The loss module for the training ``dataset``.

        ``dataset`` is None when :meth:`_restore_net` rebuilds a saved network: the
        loss's buffers then come from its saved state.
        """

    def _more_validate_params(self):
        """Check rules that tie several parameters together; extended by tasks and mixins."""
        if self.cell != "lstm" and self.forget_bias != 1.0:
            raise ValueError(f"forget_bias={self.forget_bias} sets the LSTM's forget gate, but cell={self.cell!r}")

    # -- fitting ------------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the network on sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences in any form of :mod:`sklearn_seq.sequences`: 2-D
            ``(n_sequences, n_timesteps)``, 3-D ``(n_sequences, n_timesteps,
            n_features)`` with trailing-NaN padding, or a list of arrays of shape
            ``(T_i,)`` / ``(T_i, n_features)``; integer token ids with ``embedding_dim``.
        y : array-like of shape (n_sequences,) or (n_sequences, n_outputs), default=None
            Targets (None for the unsupervised estimators).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        continuing = self.warm_start and hasattr(self, "net_")
        return self._train(X, y, epochs=self.max_epochs, reset=not continuing, hold_out=self.early_stopping)

    def _partial_fit(self, X, y, **dataset_params):
        """One epoch on ``X, y``; the first call builds the network (``dataset_params`` go to the dataset hook)."""
        first_call = not hasattr(self, "net_")
        if first_call:
            self._validate_params()
        if self.early_stopping:
            raise ValueError(
                "partial_fit trains one epoch on all the data it is given and holds nothing out for "
                "early_stopping; set early_stopping=False, or use fit"
            )
        return self._train(X, y, epochs=1, reset=first_call, hold_out=False, **dataset_params)

    def _train(self, X, y, *, epochs, reset, hold_out, **dataset_params):
        self._more_validate_params()
        if not reset:
            self._check_only_training_params_changed()
        dataset = self._build_dataset(X, y, reset=reset, **dataset_params)
        seed = _derive_seed(self.random_state, 0 if reset else self.n_iter_)
        device = self._torch_device()
        with _seeded_torch(seed, device):
            if reset:
                self.net_ = self._build_net(dataset, device, hold_out, seed)
            else:
                self._apply_changed_training_params(hold_out, seed)
                # The loss may depend on the data (class_weight='balanced'): this fit's, in place.
                self.net_.criterion_.load_state_dict(self._build_criterion(dataset).state_dict())
            self._net_params = self.get_params(deep=False)
            self.net_.iterator_train__generator.manual_seed(seed)
            self.net_.partial_fit(dataset, epochs=epochs)
        return self

    def _build_net(self, dataset, device, hold_out, seed):
        net = NeuralNet(
            module=self._build_module(dataset),
            criterion=self._build_criterion(dataset),
            optimizer=OPTIMIZERS.get(self.optimizer, self.optimizer),
            iterator_train=sequence_loader,
            iterator_train__shuffle=True,
            iterator_train__bucket_by_length=self.bucket_by_length,
            iterator_train__generator=torch.Generator(),
            iterator_valid=sequence_loader,
            iterator_valid__bucket_by_length=self.bucket_by_length,
            predict_nonlinearity=None,
            device=device,
            **self._training_options(hold_out, seed),
        )
        return net.initialize()

    def _training_options(self, hold_out, seed):
        """The skorch options that come from the training parameters (see ``_NET_OPTIONS_OF``)."""
        return {
            "lr": self.lr,
            "optimizer__weight_decay": self.weight_decay,
            "batch_size": self.batch_size,
            "max_epochs": self.max_epochs,
            "train_split": _HoldOut(self.validation_fraction, self._stratify_hold_out, seed) if hold_out else None,
            "callbacks": self._training_callbacks(hold_out),
            "verbose": self.verbose,
        }

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

    def _changed_params(self):
        """Names of the parameters that differ from those the fitted net last trained with."""
        current = self.get_params(deep=False)
        return [name for name, value in current.items() if not _same_value(value, self._net_params[name])]

    def _check_only_training_params_changed(self):
        free = {*_NET_OPTIONS_OF, *_READ_AT_EACH_FIT, *self._inference_params, *self._module_attributes}
        refused = [name for name in self._changed_params() if name not in free]
        if refused:
            raise ValueError(
                f"warm_start and partial_fit continue the fitted network, but {', '.join(refused)} changed since "
                "it was built and cannot change on it; refit with warm_start=False (or call fit instead of "
                "partial_fit)"
            )

    def _apply_changed_training_params(self, hold_out, seed):
        """Give the fitted net the training parameters changed since it last trained (public skorch API)."""
        changed = self._changed_params()
        for name in set(changed) & set(self._module_attributes):
            setattr(self.module_, name, getattr(self, name))
        options = self._training_options(hold_out, seed)
        keys = {key for name in changed for key in _NET_OPTIONS_OF.get(name, ())}
        if keys:
            self.net_.set_params(**{key: options[key] for key in sorted(keys)})
        if "callbacks" in keys:
            # skorch's set_params rebuilds callbacks_ from the list it replaces; build it from the new one.
            self.net_.initialize_callbacks()

    # -- saved networks (sklearn_seq.save / sklearn_seq.load) -----------------------------

    def _net_state(self):
        """The fitted net's state as tensors and plain values: what :meth:`_restore_net` rebuilds it from."""
        net = self.net_
        return {
            "module": net.module_.state_dict(),
            "criterion": net.criterion_.state_dict(),
            "optimizer": net.optimizer_.state_dict(),
            "history": list(net.history),
            "hold_out_seed": net.train_split.seed if isinstance(net.train_split, _HoldOut) else None,
        }

    def _restore_net(self, state):
        """Rebuild ``net_`` from the fitted attributes and a :meth:`_net_state`, on the current ``device``."""
        device = self._torch_device()
        current = self.get_params(deep=False)
        # The network of the parameters it last trained with, whatever changed since (as a warm start sees it).
        self.set_params(**self._net_params)
        try:
            seed = state["hold_out_seed"]
            with _seeded_torch(0, device):  # initial weights, replaced below; global RNG state untouched
                net = self._build_net(None, device, seed is not None, seed)
        finally:
            self.set_params(**current)
        net.module_.load_state_dict(state["module"])
        net.criterion_.load_state_dict(state["criterion"])
        net.optimizer_.load_state_dict(state["optimizer"])
        net.history = History(state["history"])
        self.net_ = net

    def _torch_device(self):
        if self.device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        return self.device

    # -- inference ----------------------------------------------------------------------

    def _batched_inference(self, sequences, forward):
        """Apply ``forward(module, x, lengths)`` in eval mode over fixed-size batches, without gradients.

        Every batch has ``batch_size`` rows (the last one padded), so that a sequence's
        result never depends on how many others it is predicted with. Returns one
        ``(outputs, lengths)`` pair per batch, restricted to its real rows: ``outputs``
        is what ``forward`` returned (a tensor, or a tuple of tensors or None) as float64
        arrays, ``lengths`` an int array.
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


def check_partial_fit_classes(estimator, classes):
    """Refuse a ``classes`` argument that differs from the ``classes_`` of the first ``partial_fit``."""
    if classes is not None and hasattr(estimator, "classes_"):
        given = list(dict.fromkeys(np.asarray(classes, dtype=object).ravel().tolist()))
        if set(given) != set(estimator.classes_.tolist()):
            raise ValueError(f"classes={given} differs from classes_={estimator.classes_.tolist()} of the first "
                             "call to partial_fit; the output layer has one unit per class")


def _same_value(a, b):
    """Whether two parameter values are the same (arrays compared by content)."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b))
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # values without a truth value of their comparison
        return False


def _to_numpy(outputs, n_rows):
    """The first ``n_rows`` of a tensor (or of each tensor of a tuple) as float64 numpy arrays."""
    if isinstance(outputs, tuple):
        return tuple(_to_numpy(out, n_rows) for out in outputs)
    return None if outputs is None else outputs[:n_rows].double().cpu().numpy()


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
