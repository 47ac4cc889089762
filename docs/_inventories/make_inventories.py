"""Write the intersphinx inventories of scikit-learn, NumPy, SciPy, pandas, PyTorch and skorch.

The documentation links names such as :class:`sklearn.pipeline.Pipeline` to those projects'
sites through intersphinx, which reads an *inventory* (``objects.inv``) per project. Sphinx
would download them at every build; the build must work offline, so the inventories are
shipped in this folder instead, written by this script from the INSTALLED packages: each
public object gets the address its project's documentation gives it (the URL patterns
below, checked against each site). Run it again after upgrading one of the packages::

    python docs/_inventories/make_inventories.py

The file format is Sphinx's inventory version 2: four header lines, then zlib-compressed
lines ``name domain:role priority uri display-name`` (``uri`` ending in ``$`` stands for
``uri`` + ``name``, ``-`` for a display name equal to ``name``).
"""

import importlib
import inspect
import zlib
from pathlib import Path

HERE = Path(__file__).parent


def _public(module):
    """Public names of a module: its ``__all__``, else those without a leading underscore."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [name for name in vars(module) if not name.startswith("_")]
    return [name for name in names if hasattr(module, name)]


def _role(obj):
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    return "function" if callable(obj) else "data"


def _members(cls):
    """Public methods and attributes a class defines or inherits, with their roles."""
    for name, value in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        if isinstance(value, property) or not callable(value):
            yield name, "attribute"
        elif not inspect.isclass(value):
            yield name, "method"


def _objects(module_names, *, with_members=True):
    """(full name, role, object) for every public object of the given modules."""
    for module_name in module_names:
        module = importlib.import_module(module_name)
        yield module_name, "module", module
        for name in _public(module):
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            yield f"{module_name}.{name}", _role(obj), obj


def _write(name, version, entries):
    """Write ``<name>.inv`` from (full name, role, uri) entries, sorted for stable diffs."""
    lines = sorted({f"{full} py:{role} 1 {uri} -" for full, role, uri in entries})
    header = (f"# Sphinx inventory version 2\n# Project: {name}\n# Version: {version}\n"
              "# The remainder of this file is compressed using zlib.\n")
    path = HERE / f"{name}.inv"
    path.write_bytes(header.encode() + zlib.compress("\n".join(lines).encode() + b"\n", 9))
    print(f"{path.name}: {len(lines)} objects, {path.stat().st_size // 1024} KiB")


def sklearn_entries():
    """https://scikit-learn.org/stable/modules/generated/sklearn.pipeline.Pipeline.html."""
    import sklearn
    from sklearn.experimental import enable_halving_search_cv, enable_iterative_imputer  # noqa: F401

    skipped = {"externals", "experimental", "clone", "get_config", "set_config", "config_context", "show_versions"}
    modules = [f"sklearn.{name}" for name in sklearn.__all__ if name not in skipped]
    modules += ["sklearn.feature_extraction.text", "sklearn.utils.validation", "sklearn.utils.metadata_routing",
                "sklearn.utils.estimator_checks", "sklearn.utils", "sklearn.metrics.pairwise"]
    for full, role, obj in _objects(modules):
        if role == "module":
            yield full, role, f"api/{full}.html"
            continue
        # scikit-learn documents each object under the public module that lists it.
        page = f"modules/generated/{full}.html"
        yield full, role, f"{page}#$"
        if role == "class":
            for member, member_role in _members(obj):
                yield f"{full}.{member}", member_role, f"{page}#$"
    for full in ("sklearn.clone", "sklearn.get_config", "sklearn.set_config", "sklearn.config_context"):
        yield full, "function", f"modules/generated/{full}.html#$"


def numpy_entries():
    """https://numpy.org/doc/stable/reference/generated/numpy.zeros.html."""
    for full, role, obj in _objects(["numpy", "numpy.linalg", "numpy.random"]):
        if role == "module":
            yield full, role, f"reference/routines.{full.removeprefix('numpy.')}.html" if "." in full else (
                "reference/index.html")
            continue
        if full.startswith("numpy.random.") and inspect.isclass(obj):
            page = {"Generator": "generator", "RandomState": "legacy"}.get(obj.__name__)
            if page is None:
                continue
            yield full, role, f"reference/random/{page}.html#$"
            for member, member_role in _members(obj):
                yield f"{full}.{member}", member_role, f"reference/random/generated/{full}.{member}.html#$"
            continue
        if isinstance(obj, type) and issubclass(obj, __import__("numpy").generic):
            yield full, role, "reference/arrays.scalars.html#$"
            continue
        if not callable(obj):
            yield full, "data", "reference/constants.html#$"
            continue
        yield full, role, f"reference/generated/{full}.html#$"
        if full == "numpy.ndarray":
            for member, member_role in _members(obj):
                yield f"{full}.{member}", member_role, f"reference/generated/{full}.{member}.html#$"


def pandas_entries():
    """https://pandas.pydata.org/docs/reference/api/pandas.DataFrame.html; one page per method."""
    for full, role, obj in _objects(["pandas"]):
        if role == "module":
            yield full, role, "reference/index.html"
            continue
        yield full, role, f"reference/api/{full}.html#$"
        if full in ("pandas.DataFrame", "pandas.Series", "pandas.Index"):
            for member, member_role in _members(obj):
                yield f"{full}.{member}", member_role, f"reference/api/{full}.{member}.html#$"


def torch_entries():
    """https://docs.pytorch.org/docs/stable/generated/torch.nn.LSTM.html, with a few special pages."""
    special = {"torch.Tensor": "tensors.html#$", "torch.device": "tensor_attributes.html#$",
               "torch.dtype": "tensor_attributes.html#$", "torch.utils.data": "data.html"}
    modules = ["torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.nn.utils.rnn", "torch.optim",
               "torch.optim.lr_scheduler", "torch.utils.data"]
    for full, role, obj in _objects(modules):
        if full in special:
            yield full, role, special[full]
        elif role == "module":
            yield full, role, f"{full.removeprefix('torch.') if '.' in full else 'torch'}.html"
        elif full.startswith("torch.utils.data."):
            yield full, role, "data.html#$"
        elif full.startswith("torch.nn.init."):
            yield full, role, "nn.init.html#$"
        else:
            yield full, role, f"generated/{full}.html#$"
        if full in ("torch.Tensor", "torch.nn.Module"):
            for member, member_role in _members(obj):
                page = f"generated/{full}.{member}.html" if full == "torch.Tensor" else f"generated/{full}.html"
                yield f"{full}.{member}", member_role, f"{page}#$"


def skorch_entries():
    """https://skorch.readthedocs.io/en/stable/callbacks.html#skorch.callbacks.EarlyStopping."""
    modules = ["skorch.net", "skorch.classifier", "skorch.regressor", "skorch.callbacks", "skorch.dataset",
               "skorch.helper", "skorch.history", "skorch.utils", "skorch.exceptions"]
    for full, role, obj in _objects(modules):
        page = f"{full.split('.')[1]}.html"
        if role == "module":
            yield full, role, page
            continue
        if not getattr(obj, "__module__", "").startswith("skorch"):
            continue  # a name skorch imports from elsewhere
        yield full, role, f"{page}#$"
        if role == "class":
            for member, member_role in _members(obj):
                yield f"{full}.{member}", member_role, f"{page}#$"
    import skorch

    for name in skorch.__all__:  # top-level aliases point at the page of the defining module
        obj = getattr(skorch, name)
        if inspect.isclass(obj):
            defined = f"{obj.__module__}.{obj.__qualname__}"
            yield f"skorch.{name}", "class", f"{obj.__module__.split('.')[1]}.html#{defined}"


def scipy_entries():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.special.logsumexp.html."""
    for full, role, _ in _objects(["scipy.special", "scipy.sparse", "scipy.stats", "scipy.linalg"]):
        yield full, role, f"reference/{full.removeprefix('scipy.')}.html" if role == "module" else (
            f"reference/generated/{full}.html#$")


def main():
    import numpy
    import pandas
    import scipy
    import sklearn
    import skorch
    import torch

    _write("sklearn", sklearn.__version__, sklearn_entries())
    _write("numpy", numpy.__version__, numpy_entries())
    _write("pandas", pandas.__version__, pandas_entries())
    _write("torch", torch.__version__.split("+")[0], torch_entries())
    _write("skorch", skorch.__version__, skorch_entries())
    _write("scipy", scipy.__version__, scipy_entries())


if __name__ == "__main__":
    main()
