"""No input form changes the number of samples: every public estimator returns one output per input sample.

Issue 16, fault 2: a one-column DataFrame was read as its column name, so three reviews became one
sequence. Each public estimator (found as tests/test_common.py finds them) is fitted and asked for every
per-sample output, on every input form it accepts, and each output must have one entry per sample.
"""

import numpy as np
import pandas as pd
import pytest
from test_common import PUBLIC_ESTIMATORS

from sklearn_seq import (
    CharRNNLanguageModel,
    GRUClassifier,
    GRURegressor,
    NGramLanguageModel,
    SelfTrainingClassifier,
    SemiSupervisedGMM,
    Seq2SeqTranslator,
    SequenceAutoencoder,
    SequenceTagger,
    SequenceVectorizer,
    SlidingWindowTransformer,
)

N = 5  # samples; never a batch size or a sequence length, so a wrong count cannot pass by chance
SMALL = {"hidden_size": 4, "max_epochs": 1, "random_state": 0}
SMALL_TOKENS = {**SMALL, "embedding_dim": 4}
# The methods that return one output per sample (first argument X only, or X and y).
PER_SAMPLE_METHODS = ("predict", "predict_proba", "predict_log_proba", "decision_function", "transform",
                      "score_samples", "translate", "attention_weights")


def _numeric_forms():
    """Each accepted form of N numeric sequences, by name."""
    rng = np.random.RandomState(0)
    ragged = [rng.randn(3 + i % 3, 2) for i in range(N)]
    univariate = [rng.randn(3 + i % 3) for i in range(N)]
    objects = np.empty(N, dtype=object)
    objects[:] = univariate
    table = rng.randn(N, 4)
    padded = rng.randn(N, 5, 2)
    padded[0, 3:] = np.nan  # trailing all-NaN steps are padding
    return {
        "ragged list": ragged,
        "ragged tuple": tuple(ragged),
        "list of lists": [x.tolist() for x in univariate],
        "1-D object array": objects,
        "Series": pd.Series(univariate),
        "one-column DataFrame": pd.DataFrame({"series": univariate}),
        "one-column 2-D object array": pd.DataFrame({"series": univariate}).to_numpy(),
        "2-D array": table,
        "one-column 2-D array": table[:, :1],
        "DataFrame": pd.DataFrame(table, columns=["a", "b", "c", "d"]),
        "3-D array": padded,
    }


def _text_forms(texts):
    return {
        "list": list(texts),
        "tuple": tuple(texts),
        "1-D object array": np.array(texts, dtype=object),
        "1-D str array": np.array(texts),
        "Series": pd.Series(texts),
        "one-column DataFrame": pd.DataFrame({"review": texts}),
        "one-column 2-D array": np.array(texts, dtype=object)[:, None],
    }


def _token_forms(sequences):
    objects = np.empty(len(sequences), dtype=object)
    objects[:] = [list(s) for s in sequences]
    return {
        "list of lists": [list(s) for s in sequences],
        "tuple of tuples": tuple(tuple(s) for s in sequences),
        "1-D object array": objects,
        "Series": pd.Series([list(s) for s in sequences]),
        "one-column DataFrame": pd.DataFrame({"tokens": [list(s) for s in sequences]}),
    }


TEXTS = ["the cat sat", "a dog ran", "birds fly", "the dog sat", "a cat ran"]
TOKENS = [text.split() for text in TEXTS]
LABELS = np.array([0, 1, 0, 1, 1])


def _cases():
    """``(estimator, forms, y)`` for every public estimator: what it is fitted and asked on."""
    numeric, texts, tokens = _numeric_forms(), _text_forms(TEXTS), _token_forms(TOKENS)
    semi = LABELS.copy()
    semi[1] = -1
    cases = {
        "classifier": (GRUClassifier(**SMALL), numeric, LABELS),
        "classifier, attention pooling": (GRUClassifier(pooling="attention", **SMALL), numeric, LABELS),
        "regressor": (GRURegressor(**SMALL), numeric, LABELS.astype(float)),
        "autoencoder": (SequenceAutoencoder(**SMALL), numeric, None),
        "self-training": (SelfTrainingClassifier(GRUClassifier(**SMALL), max_iter=2), numeric, semi),
        "semi-supervised GMM": (SemiSupervisedGMM(random_state=0),
                                {k: v for k, v in numeric.items() if k in ("2-D array", "DataFrame")}, semi),
        "tagger": (SequenceTagger(min_count=1, **SMALL_TOKENS), tokens, [[str(len(t)) for t in s] for s in TOKENS]),
        "char language model": (CharRNNLanguageModel(**SMALL_TOKENS), {**texts, **tokens}, None),
        "n-gram language model": (NGramLanguageModel(order=2), {**texts, **tokens}, None),
        "translator": (Seq2SeqTranslator(max_output_length=12, **SMALL_TOKENS), texts, [t[::-1] for t in TEXTS]),
        "vectorizer": (SequenceVectorizer(), texts, None),
    }
    return cases


CASES = _cases()
PARAMS = [pytest.param(name, form, id=f"{name}: {form}") for name, (_, forms, _) in CASES.items() for form in forms]


def test_every_public_estimator_is_covered():
    """Each public estimator is tested here, or is a cell flavour (LSTMClassifier, ...) of a tested one."""
    tested = {cls for estimator, _, _ in CASES.values() for cls in type(estimator).__mro__ if cls in PUBLIC_ESTIMATORS}
    tested.add(SlidingWindowTransformer)
    untested = [cls.__name__ for cls in PUBLIC_ESTIMATORS if cls not in tested and cls.__bases__[0] not in tested]
    assert not untested


def _per_sample_outputs(estimator, X, y):
    """``{method: output}`` of every method of ``estimator`` that returns one output per sample."""
    outputs = {}
    for method in PER_SAMPLE_METHODS:
        if hasattr(estimator, method):
            # The translator scores (source, target) pairs; every other method reads X alone.
            takes_y = method == "score_samples" and isinstance(estimator, Seq2SeqTranslator)
            outputs[method] = getattr(estimator, method)(*((X, y) if takes_y else (X,)))
    if hasattr(estimator, "inverse_transform"):
        outputs["inverse_transform"] = estimator.inverse_transform(outputs["transform"])
    return outputs


@pytest.mark.parametrize(("name", "form"), PARAMS)
def test_one_output_per_sample(name, form):
    estimator, forms, y = CASES[name]
    X = forms[form]
    fitted = estimator.fit(X, y) if y is not None else estimator.fit(X)
    outputs = _per_sample_outputs(fitted, X, y)
    assert outputs, f"{type(estimator).__name__} has no per-sample method"
    assert {method: len(out) for method, out in outputs.items()} == dict.fromkeys(outputs, N)
    if hasattr(fitted, "fit_transform"):
        assert len(estimator.fit_transform(X)) == N


@pytest.mark.parametrize("series", [np.arange(12.0), list(range(12)), pd.Series(np.arange(12.0)),
                                    pd.DataFrame({"value": np.arange(12.0)}), np.arange(12.0)[:, None]],
                         ids=["1-D array", "list", "Series", "one-column DataFrame", "one-column 2-D array"])
def test_sliding_windows_count_the_steps_of_one_series(series):
    """Its rows are time steps: a series of 12 steps has 12 - window - horizon + 1 windows, whatever its form."""
    windows = SlidingWindowTransformer(window=3, horizon=2).fit(series)
    assert len(windows.transform(series)) == len(windows.transform_target(series)) == 12 - 3 - 2 + 1
