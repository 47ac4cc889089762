"""sklearn_seq.export.to_onnx: onnxruntime gives the estimators' outputs on ragged batches of any size."""

import json
import sys

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

from sklearn_seq import (
    CharRNNLanguageModel,
    GRUClassifier,
    LSTMRegressor,
    RNNClassifier,
    RNNRegressor,
    Seq2SeqTranslator,
    SequenceAutoencoder,
    SequenceTagger,
)
from sklearn_seq.export import to_onnx

ATOL = 1e-5


@pytest.fixture
def onnxruntime():
    pytest.importorskip("onnx")
    return pytest.importorskip("onnxruntime")


def _ragged(token_input, n=14, seed=0):
    """``n`` sequences of 1-8 steps: 2 features each, or token ids 1-9."""
    rng = np.random.RandomState(seed)
    lengths = rng.randint(1, 9, size=n)
    if token_input:
        return [rng.randint(1, 10, size=t) for t in lengths]
    return [rng.normal(size=(t, 2)) for t in lengths]


def _padded(X, time):
    """``X`` as the graph's inputs: padded to ``time`` steps (NaN, or token id 0), and the lengths."""
    lengths = np.array([len(x) for x in X], dtype=np.int64)
    token_input = np.asarray(X[0]).dtype.kind == "i"
    shape = (len(X), time) if token_input else (len(X), time, np.shape(X[0])[1])
    values = np.zeros(shape, np.int64) if token_input else np.full(shape, np.nan, np.float32)
    for row, x in zip(values, X, strict=True):
        row[: len(x)] = x
    return values, lengths


def _run(session, X, time):
    values, lengths = _padded(X, time)
    (out,) = session.run(None, {"values": values, "lengths": lengths})
    return out


@pytest.mark.parametrize("task", ["classifier", "regressor"])
@pytest.mark.parametrize("token_input", [False, True], ids=["values", "tokens"])
@pytest.mark.parametrize("pooling", ["last", "mean", "max", "attention"])
@pytest.mark.parametrize("bidirectional", [False, True], ids=["forward", "bidirectional"])
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_onnx_outputs_equal_the_estimators(onnxruntime, tmp_path, cell, bidirectional, pooling, token_input, task):
    X = _ragged(token_input)
    rng = np.random.RandomState(1)
    params = {"cell": cell, "bidirectional": bidirectional, "pooling": pooling, "hidden_size": 3, "num_layers": 2,
              "dropout": 0.1, "max_epochs": 2, "lr": 0.05, "random_state": 0,
              "embedding_dim": 4 if token_input else None}
    if task == "classifier":
        estimator = RNNClassifier(**params).fit(X, rng.choice(["a", "b", "c"], size=len(X)))
        expected = estimator.predict_proba
    else:
        estimator = RNNRegressor(**params).fit(X, rng.normal(size=len(X)))
        expected = estimator.predict
    session = onnxruntime.InferenceSession(to_onnx(estimator, tmp_path / "model.onnx"))

    # One graph for any batch size and time axis, however much padding follows each sequence.
    np.testing.assert_allclose(_run(session, X, 8), expected(X), rtol=0, atol=ATOL)
    others = _ragged(token_input, n=3, seed=2)
    out = _run(session, others, 12)
    assert out.shape == ((3, 3) if task == "classifier" else (3,))
    np.testing.assert_allclose(out, expected(others), rtol=0, atol=ATOL)


def test_onnx_regressor_several_targets_and_univariate_input(onnxruntime, tmp_path):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(10, 6))  # 2-D: univariate sequences, one feature per step
    reg = LSTMRegressor(hidden_size=3, max_epochs=2, random_state=0).fit(X, rng.normal(size=(10, 2)))
    session = onnxruntime.InferenceSession(to_onnx(reg, tmp_path / "model.onnx"))
    out = _run(session, list(X[:4, :, None]), 6)
    assert out.shape == (4, 2)
    np.testing.assert_allclose(out, reg.predict(X[:4]), rtol=0, atol=ATOL)


@pytest.mark.parametrize("n_outputs", [1, 2])
def test_onnx_regressor_per_step(onnxruntime, tmp_path, n_outputs):
    X = _ragged(False)
    rng = np.random.RandomState(1)
    y = [rng.normal(size=(len(x), n_outputs)) if n_outputs > 1 else rng.normal(size=len(x)) for x in X]
    reg = RNNRegressor(cell="gru", bidirectional=True, return_sequences=True, hidden_size=3, max_epochs=2,
                       random_state=0).fit(X, y)
    session = onnxruntime.InferenceSession(to_onnx(reg, tmp_path / "model.onnx"))
    out = _run(session, X, 10)
    assert out.shape == (len(X), 10) + ((n_outputs,) if n_outputs > 1 else ())
    for row, x, expected in zip(out, X, reg.predict(X), strict=True):
        np.testing.assert_allclose(row[: len(x)], expected, rtol=0, atol=ATOL)
        assert np.isnan(row[len(x):]).all()


def test_onnx_metadata(onnxruntime, tmp_path):
    import onnx

    X, y = _ragged(False), np.array(["no", "yes"] * 7)
    clf = GRUClassifier(hidden_size=3, max_epochs=1, random_state=0).fit(X, y)
    model = onnx.load(to_onnx(clf, tmp_path / "model.onnx"))
    metadata = {prop.key: prop.value for prop in model.metadata_props}
    assert json.loads(metadata["classes"]) == ["no", "yes"]
    assert metadata["estimator"] == "GRUClassifier"
    assert metadata["input:lengths"].startswith("int64 (batch,)")
    assert metadata["input:values"].startswith("float32 (batch, time, features)")
    assert [value.name for value in model.graph.input] == ["values", "lengths"]
    assert [value.name for value in model.graph.output] == ["probabilities"]
    assert model.opset_import[0].version == 17


@pytest.mark.parametrize("opset", [14, 20])
def test_onnx_other_opsets(onnxruntime, tmp_path, opset):
    import onnx

    X = _ragged(False)
    clf = GRUClassifier(hidden_size=3, bidirectional=True, pooling="attention", max_epochs=1,
                        random_state=0).fit(X, np.arange(14) % 2)
    path = to_onnx(clf, tmp_path / "model.onnx", opset=opset)
    assert onnx.load(path).opset_import[0].version == opset
    np.testing.assert_allclose(_run(onnxruntime.InferenceSession(path), X, 9), clf.predict_proba(X), rtol=0, atol=ATOL)


def test_to_onnx_leaves_the_estimator_as_it_was(onnxruntime, tmp_path):
    X, y = _ragged(False), np.arange(14) % 2
    clf = RNNClassifier(hidden_size=3, max_epochs=1, random_state=0).fit(X, y)
    clf.module_.train()
    before = clf.predict_proba(X)
    clf.module_.train()
    to_onnx(clf, tmp_path / "model.onnx")
    assert clf.module_.training
    np.testing.assert_array_equal(clf.predict_proba(X), before)


@pytest.mark.parametrize("estimator", [SequenceTagger(), CharRNNLanguageModel(), Seq2SeqTranslator(),
                                       SequenceAutoencoder(), make_pipeline(RNNClassifier())],
                         ids=lambda estimator: type(estimator).__name__)
def test_to_onnx_refuses_other_estimators(tmp_path, estimator):
    with pytest.raises(TypeError, match=r"exports the many-to-one classifiers and regressors \(RNNClassifier"):
        to_onnx(estimator, tmp_path / "model.onnx")


def test_to_onnx_refuses_an_unfitted_estimator(onnxruntime, tmp_path):
    with pytest.raises(NotFittedError):
        to_onnx(RNNClassifier(), tmp_path / "model.onnx")


def test_to_onnx_names_the_extra_when_onnx_is_missing(monkeypatch, tmp_path):
    clf = RNNClassifier(hidden_size=2, max_epochs=1, random_state=0).fit([[0.0, 1.0], [1.0, 0.0]], [0, 1])
    monkeypatch.setitem(sys.modules, "onnx", None)  # makes `import onnx` raise ImportError
    with pytest.raises(ImportError, match=r'pip install "sklearn-seq\[export\]"'):
        to_onnx(clf, tmp_path / "model.onnx")
