"""Every public callable's numpydoc Parameters section matches its signature: names, order, defaults.

Classes are checked through their docstring (which documents ``__init__``; a dataclass documents its
fields as Attributes), methods and functions through their own; a class whose ``__init__`` is torch's
(a loss subclass) is documented by torch. A parameter with a default states it as ``default=...``
(scikit-learn style), with the same value as the signature; a parameter without one states none. An
ignored parameter (scikit-learn's ``y : None`` / ``Ignored``) must default to None.
"""

import ast
import dataclasses
import importlib
import inspect
import math

import pytest

# numpydoc comes with the docs extra, which the minimum-versions environment does not install.
NumpyDocString = pytest.importorskip("numpydoc.docscrape").NumpyDocString

PUBLIC_MODULES = ("sklearn_seq", "sklearn_seq.datasets", "sklearn_seq.generation", "sklearn_seq.nn",
                  "sklearn_seq.plotting", "sklearn_seq.preprocessing", "sklearn_seq.semi_supervised",
                  "sklearn_seq.sequences", "sklearn_seq.text", "sklearn_seq.export", "sklearn_seq.interop")


def _public_names(module):
    """``__all__``, or the public names a module without one defines itself (sklearn_seq.sequences)."""
    if hasattr(module, "__all__"):
        return module.__all__
    return [name for name, obj in vars(module).items()
            if not name.startswith("_") and getattr(obj, "__module__", None) == module.__name__]


def _own_methods(cls):
    """Public methods (and ``__call__``) that sklearn_seq itself defines, inherited ones included."""
    for name, member in inspect.getmembers(cls):
        function = inspect.unwrap(member) if inspect.isfunction(inspect.unwrap(member)) else None
        if (function is not None and (not name.startswith("_") or name == "__call__")
                and function.__module__.startswith("sklearn_seq")):
            yield function


def _public_callables():
    """{qualified name: (callable whose docstring is read, callable whose signature is read)}."""
    found = {}
    for module_name in PUBLIC_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:  # sklearn_seq.export is not written yet
            if error.name != module_name:
                raise
            continue
        for name in _public_names(module):
            obj = getattr(module, name)
            if inspect.isclass(obj):
                init_module = getattr(obj.__init__, "__module__", None) or ""  # None: a NamedTuple's slot wrapper
                if init_module.startswith("sklearn_seq") or dataclasses.is_dataclass(obj):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = (obj, obj)
                for method in _own_methods(obj):
                    found[f"{method.__module__}.{method.__qualname__}"] = (method, method)
            elif inspect.isfunction(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = (obj, obj)
    return dict(sorted(found.items()))


CALLABLES = _public_callables()


def _signature_parameters(obj):
    """(name as documented, default or inspect.Parameter.empty) for each parameter, ``self`` left out."""
    parameters = []
    for parameter in inspect.signature(obj).parameters.values():
        if parameter.kind is parameter.VAR_POSITIONAL:
            parameters.append(("*" + parameter.name, inspect.Parameter.empty))
        elif parameter.kind is parameter.VAR_KEYWORD:
            parameters.append(("**" + parameter.name, inspect.Parameter.empty))
        else:
            parameters.append((parameter.name, parameter.default))
    return parameters


IGNORED_TYPES = ("None", "Ignored")


def _documented_parameters(docstring, section="Parameters"):
    """(name, stated default text or None) for each documented parameter, ``a, b : int`` split.

    An ignored parameter (type ``None`` or ``Ignored``) states its default None that way.
    """
    documented = []
    for parameter in NumpyDocString(docstring or "")[section]:
        if parameter.type.strip() in IGNORED_TYPES:
            found, default = True, "None"
        else:
            _, found, default = parameter.type.partition("default=")
        for name in parameter.name.split(","):
            documented.append((name.strip(), default.strip() if found else None))
    return documented


def _same_default(stated, actual):
    """Whether the docstring's ``default=`` text names the signature's default value."""
    try:
        value = ast.literal_eval(stated)
    except (ValueError, SyntaxError):
        return stated in (repr(actual), str(actual), getattr(actual, "__name__", None))
    if isinstance(value, float) and isinstance(actual, float) and math.isnan(value):
        return math.isnan(actual)
    if type(value) is type(actual):
        return value == actual
    numbers = [isinstance(v, int | float) and not isinstance(v, bool) for v in (value, actual)]
    return all(numbers) and value == actual  # 1e-3 == 0.001, 1 == 1.0


def docstring_mismatches(doc_obj, signature_obj):
    """What is wrong with ``doc_obj``'s Parameters section against ``signature_obj``'s signature."""
    signature = _signature_parameters(signature_obj)
    if inspect.isclass(signature_obj) or next(iter(inspect.signature(signature_obj).parameters), None) == "self":
        signature = [parameter for parameter in signature if parameter[0] != "self"]
    section = "Attributes" if dataclasses.is_dataclass(doc_obj) else "Parameters"
    documented = _documented_parameters(inspect.getdoc(doc_obj), section)
    problems = []
    if [name for name, _ in documented] != [name for name, _ in signature]:
        problems.append(f"documents {[n for n, _ in documented]}, signature has {[n for n, _ in signature]}")
    defaults = dict(signature)
    for name, stated in documented:
        if name not in defaults:
            continue
        actual = defaults[name]
        if actual is inspect.Parameter.empty and stated is not None:
            problems.append(f"{name}: states default={stated}, the signature has none")
        elif actual is not inspect.Parameter.empty and stated is None:
            problems.append(f"{name}: states no default, the signature's is {actual!r}")
        elif stated is not None and not _same_default(stated, actual):
            problems.append(f"{name}: states default={stated}, the signature's is {actual!r}")
    return problems


def test_the_public_callables_are_found():
    assert {"sklearn_seq.classification.RNNClassifier", "sklearn_seq.tagging.SequenceTagger.fit",
            "sklearn_seq.preprocessing.make_windows", "sklearn_seq.plotting.plot_history",
            "sklearn_seq.sequences.check_sequences", "sklearn_seq.nn.encoder.RecurrentEncoder",
            "sklearn_seq.datasets._names.load_names"} <= set(CALLABLES)


@pytest.mark.parametrize("qualname", list(CALLABLES))
def test_docstring_parameters_match_the_signature(qualname):
    problems = docstring_mismatches(*CALLABLES[qualname])
    assert not problems, "; ".join(problems)


# -- the test of the test: it fails on wrong docs ---------------------------------------------------


def _documented(x, *, mode="lstm", rate=1e-3, size=None, **kwargs):
    """A function whose Parameters section is right.

    Parameters
    ----------
    x : array-like
        Input.
    mode : {'lstm', 'gru'}, default="lstm"
        Cell.
    rate : float, default=0.001
        Rate.
    size : int, default=None
        Size.
    **kwargs : dict
        Passed on.
    """


def test_a_right_docstring_passes():
    assert docstring_mismatches(_documented, _documented) == []


@pytest.mark.parametrize(("wrong", "problem"), [
    ('mode : {\'lstm\', \'gru\'}, default="lstm"', "mode : {'lstm', 'gru'}"),  # default not stated
    ('default="lstm"', "default='gru'"),  # another default
    ("rate : float, default=0.001", "rate : float, default=0.01"),
    ("size : int, default=None", "size : int, default=0"),
    ("x : array-like", "x : array-like, default=None"),  # a default the signature does not have
    ("    size : int, default=None\n        Size.\n", ""),  # a parameter left out
    ("    **kwargs : dict\n        Passed on.\n", ""),  # **kwargs left out
])
def test_a_wrong_docstring_fails(wrong, problem):
    def broken(x, *, mode="lstm", rate=1e-3, size=None, **kwargs):
        pass

    assert wrong in _documented.__doc__
    broken.__doc__ = _documented.__doc__.replace(wrong, problem)
    assert docstring_mismatches(broken, broken) != []


def test_parameters_out_of_order_fail():
    def swapped(x, *, rate=1e-3, mode="lstm", size=None, **kwargs):
        pass

    swapped.__doc__ = _documented.__doc__
    assert docstring_mismatches(swapped, swapped) == [
        "documents ['x', 'mode', 'rate', 'size', '**kwargs'], signature has ['x', 'rate', 'mode', 'size', '**kwargs']"
    ]


def test_a_class_is_checked_against_its_init_without_self():
    class Model:
        """A class.

        Parameters
        ----------
        alpha : float, default=1.0
            Strength.
        """

        def __init__(self, alpha=1):
            self.alpha = alpha

    assert docstring_mismatches(Model, Model) == []  # 1 == 1.0: a number is a number
    Model.__init__.__defaults__ = (2,)
    assert docstring_mismatches(Model, Model) == ["alpha: states default=1.0, the signature's is 2"]


def test_an_ignored_parameter_must_default_to_none():
    def fit(X, y=None):
        """Fit.

        Parameters
        ----------
        X : array-like
            Data.
        y : None
            Ignored.
        """

    assert docstring_mismatches(fit, fit) == []
    fit.__defaults__ = ("no",)
    assert docstring_mismatches(fit, fit) == ["y: states default=None, the signature's is 'no'"]


def test_a_dataclass_documents_its_fields_as_attributes():
    @dataclasses.dataclass
    class Pair:
        """Two numbers.

        Attributes
        ----------
        first : int
            One.
        second : int, default=2
            Two.
        """

        first: int
        second: int = 3

    assert docstring_mismatches(Pair, Pair) == ["second: states default=2, the signature's is 3"]
