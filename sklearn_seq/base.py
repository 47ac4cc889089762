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
import inspect
import warnings
from abc import ABCMeta, abstractmethod
from contextlib import contextmanager

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import Callback, EarlyStopping, GradientNormClipping, ProgressBar
from skorch.helper import predefined_split
from skorch.history import History
from skorch.utils import noop

from . import _faults
from ._compat import _fit_context
from ._compute import (
    check_device,
    check_precision,
    compute_context,
    lacks_accelerator,
    move_net,
    same_device,
    torch_threads,
    usable_device,
)
from ._nets import HoldOut as _HoldOut  # under its former name here, which older pickles of fitted nets hold
from ._nets import SequenceNet, check_no_scoring_callbacks, check_validation_pair, checked_sample_weight
from ._parameters import OPTIMIZERS, TRAINING_PARAMETERS, check_encoder_params
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
    "validation_data": ("train_split",),
    "validation_split": ("train_split",),
    "n_iter_no_change": ("callbacks",),
    "gradient_clip": ("callbacks",),
    "callbacks": ("callbacks",),
    "checkpoint_dir": ("callbacks",),
    "checkpoint_every": ("callbacks",),
    "verbose": ("callbacks", "verbose"),
    "precision": ("precision",),
}
_READ_AT_EACH_FIT = {"random_state", "warm_start", "torch_threads"}


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
    # Task parameters that only training reads (the loss's class weights, input noise): a
    # fitted network predicts the same whatever they say now.
    _training_only_params: tuple = ()
    # The skorch net class of ``net_``: skorch's scoring callbacks read predictions through it.
    _net_class = SequenceNet
    # Whether fit takes targets y (else validation_data's y_val must be None), and whether
    # net_.predict gives one prediction per sequence that skorch's scoring callbacks can score.
    _learns_targets = True
    _scores_predictions = False

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
        if self.checkpoint_dir is not None and self.early_stopping:
            raise ValueError(
                "checkpoint_dir resumes a killed fit exactly, but not early stopping's state (its patience count and "
                "best weights): a resumed fit would stop elsewhere than the uninterrupted one; use one or the other"
            )
        check_encoder_params(self)
        if self.validation_data is not None:
            check_validation_pair(self.validation_data, type(self).__name__, self._learns_targets)
        if not self._scores_predictions:
            check_no_scoring_callbacks(self.callbacks, type(self).__name__)

    # -- fitting ------------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
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
        sample_weight : array-like of shape (n_sequences,), default=None
            Non-negative weight of each sequence in the loss (see :ref:`training`):
            each mini-batch's loss is the weighted mean of its sequences' losses,
            and a sequence's steps share its weight.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        continuing = self.warm_start and hasattr(self, "net_")
        return self._train(X, y, sample_weight, epochs=self.max_epochs, reset=not continuing,
                           hold_out=self.early_stopping)

    def _partial_fit(self, X, y, sample_weight=None, **dataset_params):
        """One epoch on ``X, y``; the first call builds the network (``dataset_params`` go to the dataset hook)."""
        first_call = not hasattr(self, "net_")
        if first_call:
            self._validate_params()
        if self.early_stopping and self.validation_data is not None:
            raise ValueError(
                "partial_fit trains one epoch per call, but early_stopping counts its patience over the epochs "
                "of one fit; set early_stopping=False (validation_data still gives each call's valid_loss), or "
                "use fit"
            )
        if self.early_stopping:
            raise ValueError(
                "partial_fit trains one epoch on all the data it is given and holds nothing out for "
                "early_stopping; set early_stopping=False, or use fit"
            )
        if self.checkpoint_dir is not None:
            raise ValueError(
                "checkpoint_dir lets fit resume after its process is killed, but partial_fit trains one epoch per "
                "call; set checkpoint_dir=None and save the estimator between calls (sklearn_seq.save)"
            )
        return self._train(X, y, sample_weight, epochs=1, reset=first_call, hold_out=False, **dataset_params)

    def _train(self, X, y, sample_weight, *, epochs, reset, hold_out, **dataset_params):
        self._more_validate_params()
        if not reset:
            self._check_only_training_params_changed()
        seed = _derive_seed(self.random_state, 0 if reset else self.n_iter_)
        device = self._torch_device()
        fitted = dict(vars(self))  # what a call that fails before training leaves the estimator as
        check_precision(self.precision, device)
        with _seeded_torch(seed, device), torch_threads(self.torch_threads):
            try:
                dataset = self._build_dataset(X, y, reset=reset, **dataset_params)
                if sample_weight is not None:
                    dataset.sample_weight = checked_sample_weight(sample_weight, len(dataset))
                if reset:
                    before = None
                    self.net_ = self._build_net(dataset, device, hold_out, seed)
                else:
                    if not same_device(device, self.net_.device):
                        move_net(self.net_, device)  # e.g. a model trained on a GPU, continued on this CPU
                    before = _snapshot(self.net_)  # what a diverging continuation returns to
                    # The loss may depend on the data (class_weight='balanced'): this fit's, in place.
                    criterion_state = self._build_criterion(dataset).state_dict()
                    self._apply_changed_training_params(hold_out, seed)
                    self.net_.criterion_.load_state_dict(criterion_state)
            except BaseException:
                _put_back_attributes(self, fitted)
                raise
            self._net_params = self.get_params(deep=False)
            self.net_.iterator_train__generator.manual_seed(seed)
            if self.checkpoint_dir is not None:
                # Only a fit that starts anew resumes; a warm continuation has its own network.
                expected = _faults.fingerprint(self, dataset)
                if reset and _faults.resume(self.net_, self.checkpoint_dir, expected):
                    epochs = max(epochs - self.n_iter_, 0)
                elif not reset:
                    _faults.start(self.checkpoint_dir, expected)
            n_before = self.n_iter_
            self.net_.partial_fit(dataset, epochs=epochs)
        self._check_training_ended_well(epochs, n_before, before)
        return self

    def _check_training_ended_well(self, epochs, n_before, before):
        """Handle a diverged or interrupted training; clear the checkpoint of one that ended."""
        net = self.net_
        if len(net.history) > n_before and "train_loss" not in net.history[-1]:
            del net.history[-1]  # the row of an epoch cut short
        callbacks = dict(net.callbacks_)
        diverged = callbacks["divergence_guard"].diverged_
        if diverged is not None:
            epoch, what = diverged
            early_stopping = callbacks.get("early_stopping")
            if early_stopping is None or early_stopping.best_model_weights_ is None:
                _restore(self, before)
                if self.checkpoint_dir is not None:  # a diverging run is nothing to resume
                    _faults.remove(self.checkpoint_dir)
                state = "left unfitted" if before is None else "left as it was before this fit"
                raise ValueError(
                    f"Training diverged in epoch {epoch}: {what}. Lower the learning rate (lr={self.lr}) or set "
                    "gradient_clip (e.g. gradient_clip=1.0); scaling the inputs may also help. The estimator is "
                    f"{state}."
                )
            warnings.warn(
                f"Training diverged in epoch {epoch}: {what}. The weights of epoch {early_stopping.best_epoch_}, "
                f"early stopping's best, were restored; lower the learning rate (lr={self.lr}) or set gradient_clip "
                "to train further.", UserWarning, stacklevel=3,
            )
        elif len(net.history) - n_before < epochs and not _stopped_early(net):
            resumable = "; fit resumes from checkpoint_dir" if self.checkpoint_dir is not None else ""
            warnings.warn(
                f"Training was interrupted (KeyboardInterrupt) after {len(net.history) - n_before} of {epochs} "
                f"epochs; the estimator holds the weights reached (n_iter_={self.n_iter_}){resumable}.",
                UserWarning, stacklevel=3,
            )
            return
        if self.checkpoint_dir is not None:
            _faults.remove(self.checkpoint_dir)

    def _build_net(self, dataset, device, hold_out, seed):
        net = self._net_class(
            module=self._build_module(dataset),
            criterion=self._build_criterion(dataset),
            optimizer=OPTIMIZERS.get(self.optimizer, self.optimizer),
            iterator_train=sequence_loader,
            iterator_train__shuffle=True,
            iterator_train__bucket_by_length=self.bucket_by_length,
            iterator_train__generator=torch.Generator(),
            iterator_valid=sequence_loader,
            iterator_valid__bucket_by_length=self.bucket_by_length,
            device=device,
            **self._task_net_options(),
            **self._training_options(hold_out, seed),
        )
        return net.initialize()

    def _task_net_options(self):
        """skorch options of the task's net class; the network's outputs are returned as they are."""
        return {"predict_nonlinearity": None}

    def _training_options(self, hold_out, seed):
        """The skorch options that come from the training parameters (see ``_NET_OPTIONS_OF``)."""
        return {
            "lr": self.lr,
            "optimizer__weight_decay": self.weight_decay,
            "batch_size": self.batch_size,
            "max_epochs": self.max_epochs,
            "train_split": self._train_split(hold_out, seed),
            "callbacks": self._training_callbacks(hold_out),
            "verbose": self.verbose,
            "precision": self.precision,
        }

    def _train_split(self, hold_out, seed):
        """skorch's ``train_split``: the fixed ``validation_data``, else a hold-out with early stopping, else none."""
        if self.validation_data is not None:
            return predefined_split(self._validation_dataset())
        return self._hold_out(seed) if hold_out else None

    def _hold_out(self, seed):
        """The hold-out of early stopping: a seeded random sample, stratified by the targets where the task says so."""
        return _HoldOut(self.validation_fraction, self._stratify_hold_out, seed)

    def _validation_dataset(self):
        """The dataset of ``validation_data``, read without learning from it.

        The dataset hook also updates what later training data may extend (the
        autoencoder's decoding lengths, the translator's output cap): validation data
        must not, so those attributes are put back as they were.
        """
        X_val, y_val = self.validation_data
        learned = dict(vars(self))
        try:
            return self._build_dataset(X_val, y_val, reset=False)
        except (TypeError, ValueError) as error:  # say which data is wrong: not the X, y given to fit
            raise (TypeError if isinstance(error, TypeError) else ValueError)(f"validation_data: {error}") from error
        finally:
            _put_back_attributes(self, learned)

    def _training_callbacks(self, hold_out):
        # First, so that a diverged epoch ends before early stopping or a checkpoint takes it as good.
        callbacks = [("divergence_guard", _faults.StopOnDivergence())]
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
        if self.checkpoint_dir is not None:
            # Last, so that an epoch's state is saved after every other callback has acted on it.
            callbacks.append(("resume_checkpoint", _faults.EpochCheckpoint(self.checkpoint_dir, self.checkpoint_every)))
        return callbacks

    def _changed_params(self):
        """Names of the parameters that differ from those the fitted net last trained with."""
        trained = self._trained_params()
        return [name for name, value in self.get_params(deep=False).items() if not _same_value(value, trained[name])]

    def _trained_params(self):
        """The parameters the fitted net last trained with.

        A net fitted (and pickled or saved) before a parameter was added to the package
        has no entry for it: it gets the parameter's default, as the unpickled or
        loaded estimator does.
        """
        defaults = {name: parameter.default for name, parameter in inspect.signature(type(self)).parameters.items()}
        return {**defaults, **self._net_params}

    def _refused_changes(self):
        """The parameters changed since the net last trained that it cannot take without rebuilding."""
        free = {*_NET_OPTIONS_OF, *_READ_AT_EACH_FIT, *self._inference_params, *self._module_attributes}
        if usable_device(self):
            free.add("device")  # the fitted network moves there
        return [name for name in self._changed_params() if name not in free]

    def _check_only_training_params_changed(self):
        refused = self._refused_changes()
        if refused:
            raise ValueError(
                f"warm_start and partial_fit continue the fitted network, but {', '.join(refused)} changed since "
                "it was built and cannot change on it; refit with warm_start=False (or call fit instead of "
                "partial_fit)"
            )

    def _apply_changed_training_params(self, hold_out, seed):
        """Give the fitted net the training parameters changed since it last trained (public skorch API)."""
        changed = self._changed_params()
        options = self._training_options(hold_out, seed)  # first: reading validation_data may fail
        for name in set(changed) & set(self._module_attributes):
            setattr(self.module_, name, getattr(self, name))
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
        """Rebuild ``net_`` from the fitted attributes and a :meth:`_net_state`, on the current ``device``.

        A ``device`` this machine lacks (a GPU-trained model loaded on a CPU-only machine)
        gives the CPU, with a warning, as unpickling does through skorch.
        """
        if lacks_accelerator(self.device):
            warnings.warn(f"device={self.device!r}, but this machine lacks it: the network is loaded on the CPU, "
                          "where it predicts; set device='cpu' to train it further", UserWarning, stacklevel=3)
            device = "cpu"
        else:
            device = self._torch_device()
        current = self.get_params(deep=False)
        # The network of the parameters it last trained with, whatever changed since (as a warm start sees it).
        self.set_params(**self._trained_params())
        try:
            seed = state["hold_out_seed"]
            with _seeded_torch(0, device):  # initial weights, replaced below; global RNG state untouched
                net = self._build_net(None, device, self.early_stopping, seed)
        finally:
            self.set_params(**current)
        net.module_.load_state_dict(state["module"])
        net.criterion_.load_state_dict(state["criterion"])
        net.optimizer_.load_state_dict(state["optimizer"])
        net.history = History(state["history"])
        self.net_ = net

    def _torch_device(self):
        if isinstance(self.device, str) and self.device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        return check_device(self.device)

    # -- inference ----------------------------------------------------------------------

    def _fitted_device(self):
        """The device of the fitted net, once the parameters are checked to still describe it (never ignored).

        Every inference path asks for it: a parameter that defines the network (or how
        data is read into it) changed since the last training would otherwise be ignored
        or misread. The ``device`` it was trained with, when this machine lacks it (a
        GPU-trained model unpickled on a CPU-only machine), leaves it where unpickling
        put it: on the CPU.
        """
        training_only = {*TRAINING_PARAMETERS, *self._training_only_params}  # device: checked below
        changed = [name for name in self._refused_changes() if name not in training_only]
        if changed:
            raise ValueError(
                f"{', '.join(changed)} changed since the network was fitted, which it cannot follow without "
                "training: set them back, or fit again"
            )
        if lacks_accelerator(self.device) and _same_value(self.device, self._net_params["device"]):
            # Trained on a GPU, unpickled where there is none: skorch mapped the network to the CPU (and warned).
            return self.net_.device
        if not same_device(self._torch_device(), self.net_.device):
            raise ValueError(
                f"device={self.device!r}, but the network was fitted on {torch.device(self.net_.device)} and stays "
                "there until it is trained again: set device back, or train (warm_start or partial_fit move it; "
                "sklearn_seq.save and load rebuild a model on the device it then names)"
            )
        return self.net_.device

    def _batched_inference(self, sequences, forward):
        """Apply ``forward(module, x, lengths)`` in eval mode over fixed-size batches, without gradients.

        Every batch has ``batch_size`` rows (the last one padded), so that a sequence's
        result never depends on how many others it is predicted with. Returns one
        ``(outputs, lengths)`` pair per batch, restricted to its real rows: ``outputs``
        is what ``forward`` returned (a tensor, or a tuple of tensors or None) as float64
        arrays, ``lengths`` an int array.
        """
        module = self.module_
        module.eval()
        batches = []
        with self._inference_context() as device:
            for x, lengths, n_valid in fixed_size_batches(sequences, self.batch_size):
                outputs = forward(module, x.to(device), lengths.to(device))
                batches.append((_to_numpy(outputs, n_valid), lengths[:n_valid].numpy()))
        return batches

    @contextmanager
    def _inference_context(self):
        """No gradients, with the estimator's ``torch_threads`` and ``precision``; yields the fitted net's device."""
        device = self._fitted_device()
        with torch.no_grad(), compute_context(self, device):
            yield device

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

    def __sklearn_is_fitted__(self):
        return hasattr(self, "net_")

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


def _put_back_attributes(estimator, attributes):
    """Make the estimator's attributes exactly ``attributes`` again (a copy of ``vars`` taken earlier)."""
    vars(estimator).clear()
    vars(estimator).update(attributes)


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


def _snapshot(net):
    """The weights, optimizer state and epoch count of a fitted ``net``, to return to."""
    return copy.deepcopy(net.module_.state_dict()), copy.deepcopy(net.optimizer_.state_dict()), len(net.history)


def _restore(estimator, snapshot):
    """Return ``estimator`` to ``snapshot`` (from :func:`_snapshot`), or to unfitted when it is None."""
    if snapshot is None:
        del estimator.net_
        return
    module_state, optimizer_state, n_epochs = snapshot
    estimator.net_.module_.load_state_dict(module_state)
    estimator.net_.optimizer_.load_state_dict(optimizer_state)
    del estimator.net_.history[n_epochs:]


def _stopped_early(net):
    """Whether an EarlyStopping callback of ``net`` ended its training."""
    return any(isinstance(callback, EarlyStopping) and callback.misses_ >= callback.patience
               for _, callback in net.callbacks_)


def _to_numpy(outputs, n_rows):
    """The first ``n_rows`` of a tensor (or of each tensor of a tuple) as float64 numpy arrays."""
    if isinstance(outputs, tuple):
        return tuple(_to_numpy(out, n_rows) for out in outputs)
    return None if outputs is None else outputs[:n_rows].double().cpu().numpy()


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
