"""Property-based tests (hypothesis) of the input layer and of every public estimator.

The contract on any input: a correct result (one output per sample, finite values,
probabilities in [0, 1] that sum to one) or a ``ValueError``/``TypeError`` raised by this
package or by scikit-learn's own validation, never an internal torch/numpy/pandas error,
a hang or a NaN prediction. The profiles (tests/conftest.py) fix the number of examples
and derandomize the search, so CI sees the same examples every run.
"""

import math
import os
import traceback
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator
from test_common import PUBLIC_ESTIMATORS

from sklearn_seq import GRUClassifier, SemiSupervisedGMM
from sklearn_seq.sequences import check_sequences, validate_sequences

ESTIMATORS = {cls.__name__: cls for cls in PUBLIC_ESTIMATORS}

# Package folders whose code may raise the errors users see.
_OURS = (str(Path(__file__).resolve().parents[1] / "sklearn_seq"), f"{os.sep}sklearn{os.sep}")
# Messages of numpy, pandas and torch internals: a ValueError/TypeError carrying one escaped our validation.
_INTERNAL = ("could not broadcast", "setting an array element", "could not convert", "invalid literal",
             "out of bounds", "unhashable", "not supported between", "zero-size array", "cannot reshape",
             "object of type", "inhomogeneous", "expected scalar type", "must be real number", "size mismatch",
             "Expected input", "too many indices", "unsupported operand", "truth value of an array")
_FLOAT32_MAX = float(np.finfo(np.float32).max)


def _check_error(error):
    """``error`` is a ValueError/TypeError of ours or of scikit-learn's validation, naming the problem."""
    where = traceback.extract_tb(error.__traceback__)[-1].filename
    assert isinstance(error, (ValueError, TypeError)), f"{type(error).__name__} from {where}: {error}"
    assert any(part in where for part in _OURS), f"{type(error).__name__} raised in {where}: {error}"
    message = str(error)
    assert len(message) >= 10 and not any(text in message for text in _INTERNAL), message


def _outcome(function, *args, **kwargs):
    """``function(*args, **kwargs)``, or None after checking the error it raised."""
    try:
        return function(*args, **kwargs)
    except (ValueError, TypeError) as error:
        _check_error(error)
    except Exception as error:  # noqa: BLE001 - any other kind breaks the contract: say which
        pytest.fail(f"{type(error).__name__}: {error}\n{''.join(traceback.format_exception(error))}")
    return None


# -- data ------------------------------------------------------------------------------

_SPECIAL = [np.nan, np.inf, -np.inf, 1e30, -1e30, 1e39, 0.0, -0.0, 1.0]
_DTYPES = ["float64", "float32", "float16", "int64", "int8", "uint8", "bool", "object", "str"]


@st.composite
def _numbers(draw, shape, *, special=True):
    """A float64 array of ``shape``: small numbers, with special values at random positions when ``special``."""
    size = math.prod(shape)
    values = draw(st.lists(st.floats(-10, 10, allow_nan=False, width=32), min_size=size, max_size=size))
    array = np.array(values, dtype=np.float64)
    if special and size and draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):
            array[draw(st.integers(0, size - 1))] = draw(st.sampled_from(_SPECIAL))
    return array.reshape(shape)


def _as_dtype(array, dtype):
    """``array`` as a user would hold it in ``dtype`` (strings and objects keep the numbers' text or value)."""
    if dtype in ("int64", "int8", "uint8"):
        low = 0 if dtype == "uint8" else -100
        return np.clip(np.nan_to_num(array, posinf=100, neginf=-100), low, 100).astype(dtype)
    if dtype == "bool":
        return array > 0
    if dtype == "str":
        return array.astype(str)
    with np.errstate(over="ignore"):
        return array.astype(dtype)


def _in_form(array, form):
    """``array`` passed as an array, a non-contiguous or read-only view, nested lists or tuples, or a DataFrame."""
    if form == "non-contiguous":
        return np.repeat(array, 2, axis=-1)[..., ::2]
    if form == "read-only":
        array = array.copy()
        array.setflags(write=False)
        return array
    if form == "fortran":
        return np.asfortranarray(array)
    if form == "list":
        return array.tolist()
    if form == "tuple":
        return _tuples(array.tolist())
    if form == "dataframe" and array.ndim == 2:
        names = ["a b", "", "naïve", "0", "x" * 40, "col"][: array.shape[1]]
        names += [f"c{i}" for i in range(len(names), array.shape[1])]
        return pd.DataFrame(array, columns=names)
    return array


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


_FORMS = ["array", "non-contiguous", "read-only", "fortran", "list", "tuple", "dataframe"]


@st.composite
def regular_inputs(draw):
    """A regular (n, T) or (n, T, F) input, any dtype and form, with NaN/inf/huge values at random positions."""
    ndim = draw(st.sampled_from([2, 2, 3, 3, 1, 4]))
    shape = tuple(draw(st.integers(0 if axis < 2 else 1, 4)) for axis in range(ndim))
    array = _as_dtype(draw(_numbers(shape)), draw(st.sampled_from(_DTYPES)))
    return _in_form(array, draw(st.sampled_from(_FORMS)))


@st.composite
def ragged_inputs(draw):
    """Separate sequences of random lengths (empty and length-1 ones included) in a list, tuple, object array
    or Series; each sample an array, a list or a tuple, of any dtype, with special values at random positions."""
    n = draw(st.integers(0, 5))
    n_features = draw(st.sampled_from([None, 1, 2]))
    samples = []
    for _ in range(n):
        length = draw(st.integers(0, 4))
        features = draw(st.sampled_from([n_features, n_features, 3])) if n_features else None
        shape = (length,) if features is None else (length, features)
        sample = _as_dtype(draw(_numbers(shape)), draw(st.sampled_from(_DTYPES)))
        samples.append(_in_form(sample, draw(st.sampled_from(["array", "list", "tuple", "read-only"]))))
    container = draw(st.sampled_from(["list", "tuple", "object", "series"]))
    if container == "tuple":
        return tuple(samples)
    if container in ("object", "series"):
        holder = np.empty(n, dtype=object)
        holder[:] = samples if n else []
        return holder if container == "object" else pd.Series(holder, index=np.arange(n) * 2 + 1)
    return samples


def _n_samples(X):
    return len(X) if not hasattr(X, "shape") else X.shape[0]


def _check_padded(X, sequences):
    """Invariants of a successful :func:`check_sequences` on numeric input."""
    values, lengths = sequences.values, sequences.lengths
    assert values.dtype == np.float32 and lengths.dtype == np.int64
    assert values.ndim == 3 and len(values) == len(lengths) == _n_samples(X) > 0
    assert np.isfinite(values).all()
    assert (lengths >= 1).all() and lengths.max() == values.shape[1]
    steps = np.arange(values.shape[1])
    assert (values[steps[None, :] >= lengths[:, None]] == 0).all()


# -- sequences.py ----------------------------------------------------------------------


@given(regular_inputs() | ragged_inputs())
def test_check_sequences_pads_or_names_the_problem(X):
    sequences = _outcome(check_sequences, X)
    if sequences is not None:
        _check_padded(X, sequences)


@st.composite
def valid_sequences(draw):
    """Finite numeric sequences of lengths >= 1, and the float32 values they must become."""
    n, n_features = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    equal = draw(st.booleans())
    lengths = [draw(st.integers(1, 4))] * n if equal else [draw(st.integers(1, 4)) for _ in range(n)]
    dtype = draw(st.sampled_from(["float64", "float32", "float16", "int64", "uint8", "bool"]))
    samples = [_as_dtype(draw(_numbers((length, n_features), special=False)), dtype) for length in lengths]
    return samples, [sample.astype(np.float32) for sample in samples]


@given(valid_sequences(), st.sampled_from(["ragged", "ragged-1d", "padded", "nan-padded"] + _FORMS))
def test_check_sequences_keeps_every_valid_value(data, form):
    samples, expected = data
    lengths = [len(sample) for sample in samples]
    if form == "ragged":
        X = [_in_form(sample, "list") for sample in samples]
    elif form == "ragged-1d":
        X = [sample[:, 0] for sample in samples]
        expected = [e[:, :1] for e in expected]
    elif form == "nan-padded" or len(set(lengths)) == 1:
        width = max(lengths)
        X = np.full((len(samples), width, samples[0].shape[1]), np.nan)
        for i, sample in enumerate(samples):
            X[i, : len(sample)] = sample
        if form not in ("padded", "nan-padded"):
            X = _in_form(X.astype(samples[0].dtype) if len(set(lengths)) == 1 else X, form)
    else:
        X = samples
    sequences = check_sequences(X)
    assert sequences.lengths.tolist() == lengths
    for i, values in enumerate(expected):
        np.testing.assert_array_equal(sequences.values[i, : lengths[i]], values)
    _check_padded(X, sequences)


@st.composite
def token_inputs(draw):
    """Token ids: lists of ints (0 and negatives included), padded int arrays, floats, strings, empty rows."""
    n = draw(st.integers(0, 4))
    rows = [draw(st.lists(st.integers(-1, 6), max_size=4)) for _ in range(n)]
    form = draw(st.sampled_from(["lists", "arrays", "padded", "float", "strings", "tuple"]))
    if form == "arrays":
        return [np.array(row, dtype=np.int32) for row in rows]
    if form == "tuple":
        return tuple(tuple(row) for row in rows)
    if form == "strings":
        return [" ".join(map(str, row)) for row in rows]
    width = max([len(row) for row in rows], default=0)
    padded = np.array([row + [0] * (width - len(row)) for row in rows], dtype=np.int64).reshape(n, width)
    return padded.astype(float) if form == "float" else padded if form == "padded" else rows


@given(token_inputs())
def test_check_sequences_of_tokens_keeps_the_ids_or_names_the_problem(X):
    sequences = _outcome(check_sequences, X, tokens=True)
    if sequences is None:
        return
    assert sequences.values.dtype == np.int64 and len(sequences.lengths) == len(X) > 0
    for i, length in enumerate(sequences.lengths):
        row = sequences.values[i]
        assert length >= 1 and (row[:length] >= 1).all() and (row[length:] == 0).all()
        assert row[:length].tolist() == [v for v in np.asarray(X[i]).tolist() if v != 0]


class _Table(BaseEstimator):
    """The least an estimator needs to call :func:`validate_sequences`."""


@st.composite
def targets(draw, n):
    """Targets for ``n`` samples, sometimes of another length, 2-D, with NaN, strings or objects."""
    length = draw(st.sampled_from([n, n, n, 0, n + 1, max(n - 1, 0)]))
    kind = draw(st.sampled_from(["int", "float", "nan", "str", "object", "2d", "none"]))
    if kind == "none":
        return None
    y = np.array(draw(st.lists(st.integers(0, 2), min_size=length, max_size=length)))
    if kind == "float":
        return y * 1.5
    if kind == "nan":
        return np.where(y == 0, np.nan, y)
    if kind == "str":
        return y.astype(str).tolist()
    if kind == "object":
        return np.array([v if v else None for v in y.tolist()], dtype=object)
    return np.c_[y, y] if kind == "2d" else y


@given(st.data())
def test_validate_sequences_fits_then_checks_or_names_the_problem(data):
    X = data.draw(regular_inputs() | ragged_inputs())
    y = data.draw(targets(_n_samples(X)))
    estimator = _Table()
    result = _outcome(validate_sequences, estimator, X, y, reset=True, y_numeric=True)
    if result is None:
        return
    sequences, y_checked = result
    _check_padded(X, sequences)
    assert len(y_checked) == len(sequences.lengths)  # its values are the estimator's to check
    assert estimator.n_features_in_ >= 1
    X_new = data.draw(regular_inputs() | ragged_inputs())
    result = _outcome(validate_sequences, estimator, X_new, reset=False)
    if result is not None:
        _check_padded(X_new, result[0])
        assert result[0].n_features == sequences.n_features


# -- every public estimator ------------------------------------------------------------

NET = {"hidden_size": 4, "max_epochs": 1, "random_state": 0}
TOKENS = {**NET, "embedding_dim": 2}
# Each estimator property runs a tenth of the profile's examples: each example trains a network.
ESTIMATOR_SETTINGS = settings(max_examples=max(settings().max_examples // 10, 1))


@st.composite
def numeric_inputs(draw):
    """Half valid sequences in any form, half anything of :func:`regular_inputs` and :func:`ragged_inputs`."""
    if draw(st.booleans()):
        samples, _ = draw(valid_sequences())
        if len({len(sample) for sample in samples}) == 1 and draw(st.booleans()):
            return _in_form(np.stack(samples)[..., 0], draw(st.sampled_from(_FORMS)))  # a table
        return samples
    return draw(regular_inputs() | ragged_inputs())


@st.composite
def labels(draw, n):
    """Class labels: ints or strings, one class, more classes than samples, NaN, None, 2-D, another length."""
    kind = draw(st.sampled_from(["int", "int", "str", "one", "many", "nan", "none", "2d", "length", "float"]))
    length = n + draw(st.sampled_from([-1, 1])) if kind == "length" else n
    y = np.array(draw(st.lists(st.integers(0, 2), min_size=max(length, 0), max_size=max(length, 0))), dtype=int)
    if kind == "str":
        return [["cat", "dog", "a b"][v] for v in y]
    if kind == "one":
        return np.full(n, 7)
    if kind == "many":
        return np.arange(n) * 3 - 1
    if kind == "nan":
        return np.where(y == 0, np.nan, y)
    if kind == "none":
        return np.array([None if v == 0 else "x" for v in y], dtype=object)
    if kind == "float":
        return y + 0.5
    return np.c_[y, y] if kind == "2d" else y


@st.composite
def real_targets(draw, n):
    """Regression targets: small or huge (1e30) numbers, NaN/inf, 2-D (multi-output), None, another length."""
    kind = draw(st.sampled_from(["1d", "1d", "2d", "special", "none", "length", "str"]))
    length = n + draw(st.sampled_from([-1, 1])) if kind == "length" else n
    shape = (max(length, 0), 2) if kind == "2d" else (max(length, 0),)
    y = draw(_numbers(shape, special=kind == "special"))
    if kind == "none":
        return np.array([None] * n, dtype=object)
    return y.astype(str) if kind == "str" else y


def _n_rows(X):
    return len(X) if isinstance(X, (list, tuple)) else X.shape[0]


def _check_probabilities(proba, n, n_classes):
    assert proba.shape == (n, n_classes) and np.isfinite(proba).all()
    assert (proba >= 0).all() and (proba <= 1).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-6)


def _check_classifier(model, X):
    predicted = model.predict(X)
    assert len(predicted) == _n_rows(X) and set(np.asarray(predicted).tolist()) <= set(model.classes_.tolist())
    _check_probabilities(model.predict_proba(X), _n_rows(X), len(model.classes_))


def _check_regressor(model, X):
    predicted = model.predict(X)
    assert len(predicted) == _n_rows(X) and np.isfinite(predicted).all()


def _check_autoencoder(model, X):
    codes = model.transform(X)
    assert codes.shape == (_n_rows(X), model.n_components) and np.isfinite(codes).all()
    assert np.isfinite(model.score(X))


def _classifier_case(make):
    return make, lambda draw, X: draw(labels(_n_rows(X))), numeric_inputs, _check_classifier


NUMERIC_CASES = {
    "RNNClassifier": _classifier_case(lambda cls: cls(**NET)),
    "LSTMClassifier": _classifier_case(lambda cls: cls(**NET)),
    "GRUClassifier": _classifier_case(lambda cls: cls(**NET)),
    "SemiSupervisedGMM": _classifier_case(lambda cls: cls(unlabeled_weight=1.0, max_iter=5, random_state=0)),
    "SelfTrainingClassifier": _classifier_case(lambda cls: cls(GRUClassifier(**NET), max_iter=1)),
    **{name: (lambda cls: cls(**NET), lambda draw, X: draw(real_targets(_n_rows(X))), numeric_inputs,
              _check_regressor) for name in ("RNNRegressor", "LSTMRegressor", "GRURegressor")},
    "SequenceAutoencoder": (lambda cls: cls(n_components=2, **NET), lambda draw, X: None, numeric_inputs,
                            _check_autoencoder),
}


def _fit_and_check(estimator, X, y, check, X_new):
    """Fit, then check the outputs on the training X (which must be accepted) and on other input."""
    fitted = _outcome(estimator.fit, X, y)
    event("fitted" if fitted is not None else "refused")  # --hypothesis-show-statistics shows the share
    if fitted is None:
        return
    assert fitted is estimator
    check(estimator, X)
    _outcome(check, estimator, X_new)


@pytest.mark.parametrize("name", sorted(NUMERIC_CASES))
@ESTIMATOR_SETTINGS
@given(data=st.data())
def test_numeric_estimator_fits_and_predicts_or_names_the_problem(name, data):
    cls = ESTIMATORS[name]
    make, draw_y, inputs, check = NUMERIC_CASES[name]
    X = data.draw(inputs(), label="X")
    y = data.draw(st.composite(lambda draw: draw_y(draw, X))(), label="y")
    _fit_and_check(make(cls), X, y, check, data.draw(inputs(), label="X_new"))


_WORDS = st.sampled_from(["a", "b", "cat", "a b", "é", "", " "])


@st.composite
def text_inputs(draw, n=None):
    """Documents: strings, token lists, ints, None or NaN items, in a list, tuple, object array, Series or
    DataFrame (one odd-named column, or two)."""
    n = draw(st.integers(0, 5)) if n is None else n
    kind = draw(st.sampled_from(["str", "str", "tokens", "tokens", "mixed"]))
    item = {"str": _WORDS, "tokens": st.lists(_WORDS.filter(bool), max_size=4),
            "mixed": st.one_of(_WORDS, st.lists(st.integers(-1, 3), max_size=3), st.none(), st.just(np.nan),
                               st.integers(0, 3))}[kind]
    items = draw(st.lists(item, min_size=n, max_size=n))
    container = draw(st.sampled_from(["list", "list", "tuple", "object", "series", "frame", "frame2"]))
    if container == "tuple":
        return tuple(items)
    if container in ("object", "series", "frame", "frame2"):
        holder = np.empty(n, dtype=object)
        holder[:] = items if n else []
        if container == "object":
            return holder
        if container == "series":
            return pd.Series(holder, index=np.arange(n)[::-1])
        return pd.DataFrame({"a review ": holder, **({0: holder} if container == "frame2" else {})})
    return items


def _tag_targets(draw, X):
    """One label per token (sometimes the wrong count, a string, NaN, or one class only)."""
    kind = draw(st.sampled_from(["ok", "ok", "one", "count", "str", "nan", "length"]))
    rows = [x if isinstance(x, (list, tuple)) else str(x).split() for x in (X.iloc[:, 0] if hasattr(X, "columns")
                                                                          else X)]
    y = [[draw(st.sampled_from(["N", "V", 0])) if kind != "one" else "N" for _ in row] for row in rows]
    if kind == "count" and y:
        y[0] = y[0] + ["N"]
    if kind == "str":
        return ["N" for _ in y]
    if kind == "nan" and y and y[0]:
        y[0][0] = np.nan
    return y[:-1] if kind == "length" else y


def _check_tagger(model, X):
    predicted = model.predict(X)
    assert len(predicted) == _n_rows(X)
    for tags, proba in zip(predicted, model.predict_proba(X), strict=True):
        assert len(tags) == len(proba) and set(tags) <= set(model.classes_)
        _check_probabilities(np.asarray(proba), len(tags), len(model.classes_))


def _check_language_model(model, X):
    scores = model.score_samples(X)
    assert len(scores) == _n_rows(X) and np.isfinite(scores).all()
    assert np.isfinite(model.perplexity(X)) and len(model.sample(2, max_length=5, random_state=0)) == 2
    proba = model.predict_proba_next()
    assert np.isfinite(proba).all() and abs(proba.sum() - 1) < 1e-6


def _check_translator(model, X):
    assert len(model.predict(X)) == _n_rows(X)


def _check_vectorizer(model, X):
    ids = model.transform(X)
    assert len(ids) == _n_rows(X) and all(isinstance(i, int) and i >= 1 for row in ids for i in row)


def _translation_targets(draw, X):
    return draw(text_inputs(n=draw(st.sampled_from([_n_rows(X), _n_rows(X), _n_rows(X) + 1]))))


@st.composite
def series_inputs(draw):
    """Series for windows: 1-D or 2-D numbers (special values included), a list of them, or rows of a DataFrame."""
    series = [draw(_numbers((draw(st.integers(0, 6)),) + draw(st.sampled_from([(), (1,), (2,)]))))
              for _ in range(draw(st.integers(1, 2)))]
    series = [_in_form(_as_dtype(s, draw(st.sampled_from(_DTYPES))), draw(st.sampled_from(_FORMS))) for s in series]
    return series[0] if len(series) == 1 else series


def _check_windows(model, series):
    windows, targets = model.transform(series), model.transform_target(series)
    assert len(windows) == len(targets) >= 1 and np.isfinite(windows).all() and np.isfinite(targets).all()


TEXT_CASES = {
    "SequenceTagger": (lambda cls: cls(min_count=1, **TOKENS), _tag_targets, text_inputs, _check_tagger),
    "CharRNNLanguageModel": (lambda cls: cls(**TOKENS), lambda draw, X: None, text_inputs, _check_language_model),
    "NGramLanguageModel": (lambda cls: cls(order=2), lambda draw, X: None, text_inputs, _check_language_model),
    "Seq2SeqTranslator": (lambda cls: cls(**TOKENS), _translation_targets, text_inputs, _check_translator),
    "SequenceVectorizer": (lambda cls: cls(), lambda draw, X: None, text_inputs, _check_vectorizer),
    "SlidingWindowTransformer": (lambda cls: cls(window=2), lambda draw, X: None, series_inputs, _check_windows),
}


def test_every_public_estimator_has_a_property():
    assert set(NUMERIC_CASES) | set(TEXT_CASES) == set(ESTIMATORS)


@pytest.mark.parametrize("name", sorted(TEXT_CASES))
@ESTIMATOR_SETTINGS
@given(data=st.data())
def test_text_estimator_fits_and_predicts_or_names_the_problem(name, data):
    make, draw_y, inputs, check = TEXT_CASES[name]
    X = data.draw(inputs(), label="X")
    y = data.draw(st.composite(lambda draw: draw_y(draw, X))(), label="y")
    _fit_and_check(make(ESTIMATORS[name]), X, y, check, data.draw(inputs(), label="X_new"))


# -- the faults these properties found, one plain test each -------------------------------------


@pytest.mark.parametrize("X", [np.array([[1.0, 1e39]]), [np.array([1.0]), np.array([1.0, 1e39])], [[1.0, 1e39]]],
                         ids=["array", "ragged", "list"])
def test_values_beyond_float32_are_refused_not_made_infinite(X):
    # Was: float64 arrays became inf silently; lists reported "NaN or infinity" the user never had.
    with pytest.raises(ValueError, match=r"sample \d+ has a value beyond float32's range .* at step 1"):
        check_sequences(X)
    assert check_sequences(np.array([[1e30, -1e30]])).values.ravel().tolist() == [np.float32(1e30), -np.float32(1e30)]


@pytest.mark.parametrize("X", [np.array([["a", "b"]]), np.array([["1.5", "2"]]),
                               pd.DataFrame({"a": [1.0], "b": ["x"]})],
                         ids=["letters", "numeric-strings", "dataframe"])
def test_tables_of_strings_are_refused_like_ragged_strings(X):
    # Was: numpy's "could not convert string to float", or numeric strings silently parsed as numbers.
    with pytest.raises(TypeError, match="X holds strings; sequences must be numeric"):
        check_sequences(X)
    with pytest.raises(TypeError, match="X holds strings"):
        GRUClassifier(**NET).fit(X, [0] * len(X))


@pytest.mark.parametrize("y", [np.array([1.0, None, 2.0, 0.5], dtype=object), np.array([1.0, 1e39, 2.0, 0.5])],
                         ids=["None", "beyond-float32"])
def test_regressor_refuses_targets_that_would_be_nan_or_infinite(y):
    # Was: scikit-learn turns None into NaN after its finiteness check; the fit then predicted NaN.
    with pytest.raises(ValueError, match="y contains NaN, infinity or a missing value|beyond float32's range"):
        ESTIMATORS["GRURegressor"](**NET).fit(np.ones((4, 3)), y)


@pytest.mark.parametrize("name", ["GRUClassifier", "SelfTrainingClassifier", "SemiSupervisedGMM"])
def test_labels_that_cannot_be_ordered_are_named(name):
    # Was: numpy's "'<' not supported between instances of 'NoneType' and 'str'".
    make = NUMERIC_CASES[name][0]
    with pytest.raises(TypeError, match=r"y mixes labels of types \['NoneType', 'str'\]"):
        make(ESTIMATORS[name]).fit(np.ones((4, 2)), np.array(["x", None, "y", "x"], dtype=object))


def test_tagger_labels_that_cannot_be_ordered_are_named():
    # Was: numpy's "'<' not supported between instances of 'int' and 'str'".
    with pytest.raises(TypeError, match=r"y mixes labels of types \['int', 'str'\]"):
        TEXT_CASES["SequenceTagger"][0](ESTIMATORS["SequenceTagger"]).fit([["a", "a"]], [["N", 0]])


@pytest.mark.parametrize("X", [[[0.0], [0.0, 1.0]], pd.Series([np.zeros(1), np.zeros(2)])], ids=["ragged", "object"])
def test_gmm_names_sequences_given_for_a_table(X):
    # Was: numpy's "setting an array element with a sequence ... inhomogeneous shape".
    gmm = SemiSupervisedGMM(unlabeled_weight=1.0)
    with pytest.raises(ValueError, match=r"takes a table of shape \(n_samples, n_features\), but X holds sequences"):
        gmm.fit(X, np.arange(len(X)))
    gmm.fit(np.array([[0.0], [1.0], [5.0], [6.0]]), [0, 0, 1, -1])
    with pytest.raises(ValueError, match="but X holds sequences"):
        gmm.predict(X)
