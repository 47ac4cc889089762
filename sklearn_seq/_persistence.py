"""Weights-only saving and loading of fitted estimators: JSON and safetensors in one zip file, no pickle.

Unpickling a file runs whatever code it names, so a pickle from an untrusted source is
a program. :func:`save` writes an estimator as data only, in a zip archive (one file
to move around, as Keras's ``.keras`` files are) of four members:

- ``format.json``: the format name ``"sklearn-seq"``, its version, the versions of
  sklearn-seq, scikit-learn and torch that wrote it, and the estimator's class;
- ``estimator.json``: the estimator as a tree of plain JSON values: its class (a
  qualified name in ``sklearn_seq`` or ``sklearn``), ``get_params(deep=False)``, its
  fitted attributes and, for the network estimators, the state of the trained net
  (optimizer settings, training history). Values JSON lacks are tagged objects
  (``{"__kind__": "tuple", ...}``): tuples, dicts with keys other than strings,
  non-finite floats, numpy scalars, arrays of strings or objects, vocabularies,
  nested estimators (pipeline steps, a meta-estimator's ``estimator``), torch
  optimizer classes, and references to the tensors of the two members below;
- ``arrays.safetensors``: the numeric numpy arrays of params and fitted attributes;
- ``weights.safetensors``: the torch tensors: each network's ``state_dict`` (keys
  ``<path>/module/<name>``), its loss's and its optimizer's state.

:func:`load` reads nothing but these members, imports classes only from
``sklearn_seq``, ``sklearn`` (estimators) and ``torch.optim`` (optimizers), and refuses
anything else with a ``ValueError``.
"""

import importlib
import json
import math
import warnings
import zipfile
from collections import OrderedDict

import numpy as np
import sklearn
import torch
from sklearn.base import BaseEstimator
from skorch.callbacks import Callback

from .base import BaseSequenceNet
from .vocabulary import Vocabulary

__all__ = ["load", "save"]

FORMAT_NAME = "sklearn-seq"
FORMAT_VERSION = 1
_ESTIMATOR_ROOTS = ("sklearn", "sklearn_seq")
_OPTIMIZER_ROOTS = ("torch",)
_KIND = "__kind__"
_MEMBERS = ("format.json", "estimator.json", "arrays.safetensors", "weights.safetensors")


def save(estimator, path):
    """Save an estimator, fitted or not, to a file that :func:`load` reads back without pickle.

    Parameters, fitted attributes and the trained network (weights, optimizer state,
    training history) go into one zip file of JSON and safetensors members (see
    :ref:`persistence`). Parameters that are not data (skorch callbacks, a
    ``RandomState``, functions) cannot be saved: set them to None first.

    Parameters
    ----------
    estimator : estimator object
        An estimator of sklearn-seq or scikit-learn, e.g. a :class:`~sklearn.pipeline.Pipeline`
        of them.
    path : str or path-like
        The file to write (conventionally ``*.skseq``).

    Raises
    ------
    TypeError
        If a parameter or attribute holds a value that can be saved only as a pickle.

    See Also
    --------
    load : Read the file back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn_seq import SemiSupervisedGMM, load, save
    >>> X, y = [[0.0, 0.1], [0.1, 0.0], [3.0, 3.1], [3.1, 3.0]], [0, -1, 1, -1]
    >>> model = SemiSupervisedGMM(random_state=0).fit(X, y)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "gmm.skseq"
    >>> save(model, path)
    >>> load(path).predict(X)
    array([0, 0, 1, 1])
    """
    safetensors = _import_safetensors()
    if not isinstance(estimator, BaseEstimator):
        raise TypeError(f"save takes an estimator, got {type(estimator).__name__}")
    encoder = _Encoder()
    tree = encoder.encode(estimator, "")["tree"]
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "sklearn_seq_version": _package_version(),
        "sklearn_version": sklearn.__version__,
        "torch_version": torch.__version__,
        "estimator": tree["class"],
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("format.json", json.dumps(header, indent=1))
        archive.writestr("estimator.json", json.dumps(tree, allow_nan=False))
        archive.writestr("arrays.safetensors", safetensors.numpy.save(encoder.arrays))
        archive.writestr("weights.safetensors", safetensors.torch.save(encoder.tensors))


def load(path):
    """Load an estimator written by :func:`save`, running no code from the file.

    The estimator is rebuilt from its parameters and fitted attributes; a network is
    rebuilt on the estimator's ``device`` with its saved weights, optimizer state and
    history, so that it predicts exactly as before and ``warm_start``/``partial_fit``
    continue its training.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`save`.

    Returns
    -------
    estimator : estimator object
        The estimator as it was saved.

    Raises
    ------
    ValueError
        If the file is not one of ours, has an unknown format version, or names a
        class outside ``sklearn_seq``, ``sklearn`` and ``torch.optim``.

    Warns
    -----
    UserWarning
        If the file was written by another version of sklearn-seq or scikit-learn.

    See Also
    --------
    save : Write the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn_seq import SequenceVectorizer, load, save
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "vectorizer.skseq"
    >>> save(SequenceVectorizer().fit(["the cat sat", "the dog"]), path)
    >>> load(path).transform(["the cat ran"])
    [[2, 3, 1]]
    """
    safetensors = _import_safetensors()
    try:
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in _MEMBERS if name in archive.namelist()}
    except zipfile.BadZipFile as error:
        raise ValueError(f"{path} is not a file of sklearn_seq.save (not a zip archive: {error})") from None
    header = _read_json(members, "format.json", path)
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise ValueError(f"{path} is not a file of sklearn_seq.save: its format.json names no format {FORMAT_NAME!r}")
    if header.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{path} has format version {header.get('format_version')!r}, but this sklearn-seq "
                         f"({_package_version()}) reads version {FORMAT_VERSION} only; load it with the sklearn-seq "
                         f"that wrote it ({header.get('sklearn_seq_version')})")
    missing = [name for name in _MEMBERS if name not in members]
    if missing:
        raise ValueError(f"{path} is damaged: it lacks {', '.join(missing)}")
    _warn_other_versions(header, path)
    tree = _read_json(members, "estimator.json", path)
    if not isinstance(tree, dict) or tree.get("class") != header.get("estimator"):
        raise ValueError(f"{path} is damaged: format.json and estimator.json name different estimators")
    decoder = _Decoder(safetensors.numpy.load(members["arrays.safetensors"]),
                       safetensors.torch.load(members["weights.safetensors"]))
    try:
        return decoder.estimator(tree)
    except (KeyError, TypeError) as error:
        raise ValueError(f"{path} is damaged: {type(error).__name__}: {error}") from error


def _import_safetensors():
    try:
        import safetensors.numpy
        import safetensors.torch
    except ImportError as error:
        raise ImportError("sklearn_seq.save and sklearn_seq.load write tensors with safetensors; install it "
                          "with: pip install 'sklearn-seq[persistence]'") from error
    return safetensors


def _package_version():
    from . import __version__

    return __version__


def _read_json(members, name, path):
    if name not in members:
        raise ValueError(f"{path} is not a file of sklearn_seq.save: it has no {name}")
    try:
        return json.loads(members[name])
    except ValueError as error:
        raise ValueError(f"{path} is not a file of sklearn_seq.save: its {name} is not JSON ({error})") from None


def _warn_other_versions(header, path):
    for package, key, current in [("sklearn-seq", "sklearn_seq_version", _package_version()),
                                  ("scikit-learn", "sklearn_version", sklearn.__version__)]:
        if header.get(key) != current:
            warnings.warn(f"{path} was saved with {package} {header.get(key)} and is loaded with {current}; "
                          "check its predictions, or refit it with this version", UserWarning, stacklevel=3)


def _qualified_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def _check_class(cls, roots, base, where):
    """``cls``'s qualified name, if it is a ``base`` class defined under one of ``roots``; else a TypeError."""
    if not (isinstance(cls, type) and issubclass(cls, base) and cls.__module__.split(".")[0] in roots):
        raise TypeError(f"cannot save {where}: {cls!r} is not a {base.__name__} class of {' or '.join(roots)}; "
                        "only those are loaded back without pickle")
    return _qualified_name(cls)


def _resolve_class(name, roots, base):
    """The class of qualified ``name``, imported only from ``roots`` and only if it subclasses ``base``."""
    module_name, _, class_name = str(name).rpartition(".")
    refused = ValueError(f"the file names the class {name!r}, which is not a {base.__name__} class of "
                         f"{' or '.join(roots)}; refusing to load it")
    if module_name.split(".")[0] not in roots or not class_name.isidentifier():
        raise refused
    try:
        cls = getattr(importlib.import_module(module_name), class_name, None)
    except ImportError:
        raise refused from None
    # Defined there under that name: no re-exported object, no attribute path to elsewhere.
    if not (isinstance(cls, type) and issubclass(cls, base) and _qualified_name(cls) == name):
        raise refused
    return cls


def _tagged(kind, **fields):
    return {_KIND: kind, **fields}


def _json_float(value):
    return value if math.isfinite(value) else repr(value)  # 'nan', 'inf', '-inf': float() reads them back


class _Encoder:
    """Turn an estimator into a JSON tree; numeric arrays and tensors go to two dicts of named tensors."""

    def __init__(self):
        self.arrays = {}
        self.tensors = {}

    def encode(self, value, path):
        if value is None or type(value) in (bool, int, str):
            return value
        if type(value) is float:
            return value if math.isfinite(value) else _tagged("float", value=repr(value))
        if isinstance(value, np.generic):
            item = value.item()
            return _tagged("scalar", dtype=value.dtype.str,
                           value=_json_float(item) if isinstance(item, float) else self.encode(item, path))
        if type(value) is list:
            return [self.encode(item, f"{path}/{i}") for i, item in enumerate(value)]
        if type(value) is tuple:
            return _tagged("tuple", items=self.encode(list(value), path))
        if type(value) in (dict, OrderedDict):  # state_dicts are OrderedDicts
            if all(type(key) is str for key in value) and _KIND not in value:
                return {key: self.encode(item, f"{path}/{key}") for key, item in value.items()}
            return _tagged("dict", items=[[self.encode(key, f"{path}/{i}"), self.encode(item, f"{path}/{i}")]
                                          for i, (key, item) in enumerate(value.items())])
        if type(value) is np.ndarray:
            return self._array(value, path)
        if isinstance(value, torch.Tensor):
            return _tagged("tensor", key=self._name(self.tensors, path, value.detach().cpu().contiguous().clone()))
        if type(value) is Vocabulary:
            return _tagged("vocabulary", reserved=list(value.reserved),
                           tokens=self.encode(value.symbols[len(value.reserved):], path))
        if isinstance(value, BaseEstimator):
            return _tagged("estimator", tree=self._estimator(value, path))
        if isinstance(value, type):
            return _tagged("optimizer_class", name=_check_class(value, _OPTIMIZER_ROOTS, torch.optim.Optimizer, path))
        if isinstance(value, Callback):
            raise TypeError(f"cannot save {path}: a {type(value).__name__} is not data that loads back without "
                            "pickle (a skorch callback is code); call set_params(callbacks=None) before saving "
                            "(history_ keeps what the callbacks recorded)")
        raise TypeError(f"cannot save {path or 'the estimator'}: a {type(value).__name__} is not data that loads "
                        "back without pickle (numbers, strings, lists, dicts, arrays, tensors, estimators)")

    def _array(self, value, path):
        if value.dtype.kind in "biuf" and value.dtype.isnative:
            return _tagged("array", key=self._name(self.arrays, path, np.ascontiguousarray(value)))
        if value.dtype.kind in "OUS":
            items = [self.encode(item, f"{path}/{i}") for i, item in enumerate(value.ravel().tolist())]
            return _tagged("object_array", dtype=value.dtype.str, shape=list(value.shape), items=items)
        raise TypeError(f"cannot save {path}: arrays of dtype {value.dtype} are not supported")

    def _estimator(self, estimator, path):
        cls = _check_class(type(estimator), _ESTIMATOR_ROOTS, BaseEstimator, path or "the estimator")
        params = estimator.get_params(deep=False)
        attributes = {name: value for name, value in vars(estimator).items() if name not in params}
        if "_net_params" in attributes and params.get("callbacks") is None:
            # The callbacks the net last trained with are code: the loaded net is rebuilt without them, as
            # callbacks=None now says (a warm start would drop them too).
            attributes["_net_params"] = {**attributes["_net_params"], "callbacks": None}
        tree = {"class": cls, "params": self.encode(params, f"{path}/params")}
        if isinstance(estimator, BaseSequenceNet) and "net_" in attributes:
            del attributes["net_"]
            tree["net"] = self.encode(estimator._net_state(), f"{path}/net_")
        tree["attributes"] = self.encode(attributes, path)
        return tree

    @staticmethod
    def _name(store, path, value):
        """A key for ``value`` in ``store``: its path in the tree, made unique if keys with '/' collide."""
        key = path.lstrip("/") or "estimator"
        while key in store:
            key += "'"
        store[key] = value
        return key


class _Decoder:
    """Rebuild the values of an :class:`_Encoder` tree from its JSON and named tensors."""

    def __init__(self, arrays, tensors):
        self.arrays = arrays
        self.tensors = tensors

    def decode(self, value):
        if isinstance(value, list):
            return [self.decode(item) for item in value]
        if not isinstance(value, dict):
            return value
        if _KIND not in value:
            return {key: self.decode(item) for key, item in value.items()}
        kind = value[_KIND]
        if kind == "float":
            return float(value["value"])
        if kind == "scalar":
            return np.dtype(value["dtype"]).type(self.decode(value["value"]))
        if kind == "tuple":
            return tuple(self.decode(value["items"]))
        if kind == "dict":
            return {self.decode(key): self.decode(item) for key, item in value["items"]}
        if kind == "array":
            return np.array(self._stored(self.arrays, value["key"]))  # a writable copy
        if kind == "tensor":
            return self._stored(self.tensors, value["key"])
        if kind == "object_array":
            flat = np.empty(len(value["items"]), dtype=np.dtype(value["dtype"]))
            for i, item in enumerate(value["items"]):
                flat[i] = self.decode(item)
            return flat.reshape(value["shape"])
        if kind == "vocabulary":
            return Vocabulary(self.decode(value["tokens"]), reserved=value["reserved"])
        if kind == "estimator":
            return self.estimator(value["tree"])
        if kind == "optimizer_class":
            return _resolve_class(value["name"], _OPTIMIZER_ROOTS, torch.optim.Optimizer)
        raise ValueError(f"the file holds a value of unknown kind {kind!r}; refusing to load it")

    def estimator(self, tree):
        cls = _resolve_class(tree["class"], _ESTIMATOR_ROOTS, BaseEstimator)
        estimator = cls(**self.decode(tree["params"]))
        vars(estimator).update(self.decode(tree["attributes"]))
        if "net" in tree:
            if not issubclass(cls, BaseSequenceNet):
                raise ValueError(f"the file gives {cls.__name__} a network, which it has none of; refusing to load it")
            estimator._restore_net(self.decode(tree["net"]))
        return estimator

    @staticmethod
    def _stored(store, key):
        if key not in store:
            raise ValueError(f"the file refers to a tensor {key!r} it does not hold; it is damaged")
        return store[key]

