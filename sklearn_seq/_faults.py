"""What the engine does when training goes wrong: a diverging loss, an interruption, a killed process.

- :class:`StopOnDivergence` ends training at the first non-finite loss or weight;
  the engine then restores early stopping's best weights or raises.
- :class:`EpochCheckpoint` saves, every few epochs, all that a fit killed mid-way
  needs to resume exactly: weights, optimizer state, history and the random
  generators' states (so the resumed epochs draw the same shuffles and dropout).
  A checkpoint is an ``epoch-NNNNNN`` folder that appears whole (by a rename) or
  not at all; ``model.json`` beside it says which model and data it belongs to.

Everything goes through skorch's public API (``Callback``, ``save_params``, ``load_params``).
"""

import hashlib
import json
import math
import os
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
import torch
from skorch.callbacks import Callback

# Parameters a resumed fit may change: they neither define the network nor change the
# draws of the epochs to come (max_epochs only says where training ends).
_FREE_ON_RESUME = {"callbacks", "checkpoint_dir", "checkpoint_every", "device", "max_epochs", "verbose",
                   "warm_start", "torch_threads"}
_MODEL_FILE = "model.json"
_CHECKPOINT = re.compile(r"epoch-\d{6}")  # and nothing else of the user's in the directory


class StopOnDivergence(Callback):
    """Stop training at the first non-finite training loss, validation loss or weight.

    skorch ends training on a ``KeyboardInterrupt`` from a callback (as its
    ``EarlyStopping`` does); ``diverged_`` then holds ``(epoch, what)``, else None.
    """

    def on_train_begin(self, net, **kwargs):
        self.diverged_ = None

    def on_batch_end(self, net, batch=None, training=None, loss=None, **kwargs):
        if training and not math.isfinite(value := loss.item()):  # skorch has synchronised it already
            self._stop(net, f"a training batch's loss is {value}")

    def on_epoch_end(self, net, **kwargs):
        for key in ("train_loss", "valid_loss"):
            value = net.history[-1].get(key)
            if value is not None and not math.isfinite(value):
                self._stop(net, f"the {key.replace('_', ' ')} is {value}")
        if not torch.stack([p.isfinite().all() for p in net.module_.parameters()]).all():
            self._stop(net, "the weights are no longer finite")

    def _stop(self, net, what):
        self.diverged_ = (len(net.history), what)
        raise KeyboardInterrupt


class EpochCheckpoint(Callback):
    """Save a resumable checkpoint into ``directory`` after every ``every``-th epoch."""

    def __init__(self, directory, every):
        self.directory = directory
        self.every = every

    def on_epoch_end(self, net, **kwargs):
        epoch = len(net.history)
        if epoch % self.every:
            return
        directory = Path(self.directory)
        partial = Path(tempfile.mkdtemp(prefix=".epoch-", dir=directory))
        net.save_params(f_params=partial / "params.pt", f_optimizer=partial / "optimizer.pt",
                        f_history=partial / "history.json")
        torch.save(_random_states(net), partial / "random_states.pt")
        final = directory / f"epoch-{epoch:06d}"
        shutil.rmtree(final, ignore_errors=True)  # the same epoch saved by an earlier warm start
        os.replace(partial, final)  # the checkpoint appears whole or not at all
        for older in _checkpoints(directory)[:-1]:
            shutil.rmtree(older)


def fingerprint(estimator, dataset):
    """What a checkpoint must match to be resumed: the estimator's class, parameters and training data."""
    data = hashlib.sha256()
    for name in ("values", "lengths", "y", "sample_weight"):
        tensor = getattr(dataset, name, None)
        if tensor is not None:
            data.update(name.encode() + np.ascontiguousarray(tensor.numpy()).tobytes())
    params = {name: _describe(value) for name, value in estimator.get_params(deep=False).items()
              if name not in _FREE_ON_RESUME}
    return {"estimator": type(estimator).__qualname__, "params": params, "data": data.hexdigest()}


def resume(net, directory, expected):
    """Load the newest checkpoint in ``directory`` into ``net`` if there is one; return whether there was.

    A checkpoint of another model (class, parameters or data: ``expected`` from
    :func:`fingerprint`) is refused. Without a checkpoint, ``directory`` is
    prepared for this fit's.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ValueError(f"checkpoint_dir={str(directory)!r} is a file; give a directory (it is created if need be)")
    checkpoints = _checkpoints(directory) if directory.is_dir() else []
    if not checkpoints:
        start(directory, expected)
        return False
    model_file = directory / _MODEL_FILE
    stored = json.loads(model_file.read_text()) if model_file.is_file() else {}
    differences = _differences(stored, expected)
    if differences:
        raise ValueError(
            f"checkpoint_dir={str(directory)!r} holds a checkpoint of another model ({differences} differ), "
            "which fit will not resume; give another checkpoint_dir, or remove that directory's checkpoint"
        )
    newest = checkpoints[-1]
    net.load_params(f_params=newest / "params.pt", f_optimizer=newest / "optimizer.pt",
                    f_history=newest / "history.json")
    _set_random_states(net, torch.load(newest / "random_states.pt", weights_only=True))
    return True


def start(directory, expected):
    """Prepare ``directory`` for a new fit's checkpoints: its model file, and no older checkpoint."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    remove(directory)
    partial = directory / f".{_MODEL_FILE}"
    partial.write_text(json.dumps(expected, indent=1))
    os.replace(partial, directory / _MODEL_FILE)


def remove(directory):
    """Delete the checkpoint files of ``directory`` (a fit that ended needs them no more); keep the directory."""
    directory = Path(directory)
    for path in [*_checkpoints(directory), *directory.glob(".epoch-*")]:
        shutil.rmtree(path, ignore_errors=True)
    (directory / _MODEL_FILE).unlink(missing_ok=True)


def _checkpoints(directory):
    return sorted(path for path in directory.glob("epoch-*") if path.is_dir() and _CHECKPOINT.fullmatch(path.name))


def _differences(stored, expected):
    if stored.get("estimator") != expected["estimator"]:
        return "the estimator class"
    names = sorted(name for name in {*stored.get("params", {}), *expected["params"]}
                   if stored.get("params", {}).get(name) != expected["params"].get(name))
    if stored.get("data") != expected["data"]:
        names.append("the training data")
    return ", ".join(names)


def _describe(value):
    """A JSON value that is equal for equal parameter values across processes."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and all(v is None or isinstance(v, (bool, int, float, str)) for v in value):
        return list(value)
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    if isinstance(value, dict):  # e.g. class_weight: by content, keys of any type
        return sorted([repr(key), _describe(item)] for key, item in value.items())
    if isinstance(value, (np.ndarray, torch.Tensor, list, tuple)):
        try:
            array = np.ascontiguousarray(np.asarray(value))
        except ValueError:  # items of different shapes: validation_data's (X_val, y_val), ragged sequences
            array = None
        if array is None or array.dtype == object:  # by content, not by the addresses an object array holds
            return [_describe(item) for item in value]
        return f"{array.dtype}{array.shape}:{hashlib.sha256(array.tobytes()).hexdigest()}"
    if isinstance(value, np.random.RandomState):  # the seeds it will give
        key, position = value.get_state()[1:3]
        return f"RandomState:{hashlib.sha256(key.tobytes()).hexdigest()}:{position}"
    return repr(value)  # an object whose repr shows no content differs across processes: refused, not misread


def _random_states(net):
    states = {"torch": torch.get_rng_state(), "shuffle": net.iterator_train__generator.get_state()}
    device = torch.device(net.device)
    if device.type == "cuda":
        states["cuda"] = torch.cuda.get_rng_state(device)
    return states


def _set_random_states(net, states):
    torch.set_rng_state(states["torch"])
    net.iterator_train__generator.set_state(states["shuffle"])
    device = torch.device(net.device)
    if device.type == "cuda" and "cuda" in states:
        torch.cuda.set_rng_state(states["cuda"], device)
