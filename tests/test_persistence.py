"""sklearn_seq.save / sklearn_seq.load: exact round trips without pickle, refusals, and version warnings."""

import inspect
import json
import pickle
import sys
import warnings
import zipfile

import numpy as np
import pytest
import safetensors.torch
import torch
from sklearn.base import BaseEstimator, clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from skorch.callbacks import EpochScoring, EpochTimer

import sklearn_seq
from sklearn_seq import (
    CharRNNLanguageModel,
    GRUClassifier,
    GRURegressor,
    LSTMClassifier,
    LSTMRegressor,
    NGramLanguageModel,
    RNNClassifier,
    RNNRegressor,
    SelfTrainingClassifier,
    SemiSupervisedGMM,
    Seq2SeqTranslator,
    SequenceAutoencoder,
    SequenceTagger,
    SequenceVectorizer,
    SlidingWindowTransformer,
    load,
    save,
)
from sklearn_seq.base import BaseSequenceNet
from sklearn_seq.vocabulary import Vocabulary

NET = {"hidden_size": 4, "max_epochs": 2, "random_state": 0}
TOKENS = {**NET, "embedding_dim": 3}
RNG = np.random.RandomState(0)
X_TABLE = RNG.randn(12, 5).astype(np.float32)
X_RAGGED = [RNG.randn(n, 2) for n in (3, 5, 4, 6, 2, 5)]
Y_BINARY = np.array([0, 1] * 6)
Y_SEMI = np.array([0, 1, -1] * 4)
WORDS = [["the", "cat", "sat"], ["a", "dog"], ["the", "dog", "ran"]]
TAGS = [["D", "N", "V"], ["D", "N"], ["D", "N", "V"]]
TEXTS = ["the cat sat", "a dog ran", "the dog sat", "a cat ran"]

# One fitted case per public estimator, then the variants whose state needs more than the defaults:
# (estimator, fit arguments, data to predict on).
CASES = {
    "RNNClassifier": (RNNClassifier(**NET), (X_TABLE, Y_BINARY), X_TABLE),
    "LSTMClassifier": (LSTMClassifier(**NET), (X_TABLE, Y_BINARY), X_TABLE),
    "GRUClassifier": (GRUClassifier(**NET), (X_TABLE, Y_BINARY), X_TABLE),
    "RNNRegressor": (RNNRegressor(**NET), (X_TABLE, X_TABLE[:, 0]), X_TABLE),
    "LSTMRegressor": (LSTMRegressor(**NET), (X_TABLE, X_TABLE[:, :2]), X_TABLE),
    "GRURegressor": (GRURegressor(**NET), (X_TABLE, X_TABLE[:, 0]), X_TABLE),
    "SequenceAutoencoder": (SequenceAutoencoder(**NET, n_components=2), (X_RAGGED,), X_RAGGED),
    "SemiSupervisedGMM": (SemiSupervisedGMM(random_state=0), (X_TABLE, Y_SEMI), X_TABLE),
    "SelfTrainingClassifier": (SelfTrainingClassifier(LogisticRegression()), (X_TABLE, Y_SEMI), X_TABLE),
    "SequenceTagger": (SequenceTagger(**TOKENS), (WORDS, TAGS), WORDS),
    "CharRNNLanguageModel": (CharRNNLanguageModel(**TOKENS), (TEXTS,), TEXTS),
    "NGramLanguageModel": (NGramLanguageModel(order=3), (TEXTS,), TEXTS),
    "Seq2SeqTranslator": (Seq2SeqTranslator(**TOKENS), (TEXTS, [t[::-1] for t in TEXTS]), TEXTS),
    "SequenceVectorizer": (SequenceVectorizer(), (TEXTS,), TEXTS),
    "SlidingWindowTransformer": (SlidingWindowTransformer(window=2), (RNG.randn(10, 2),), RNG.randn(6, 2)),
    # Variants: string labels, class weights (a loss buffer), attention, an optimizer class,
    # early stopping (its hold-out seed), an array parameter, per-step outputs, shared and
    # character vocabularies, a network inside a meta-estimator, and a pipeline.
    "classifier-variants": (
        GRUClassifier(**NET, class_weight="balanced", pooling="attention", optimizer=torch.optim.SGD,
                      early_stopping=True, validation_fraction=0.25),
        (X_RAGGED * 2, np.array(["no", "yes", "yes"] * 4)), X_RAGGED),
    "embedding-weights": (
        RNNClassifier(**NET, embedding_weights=RNG.randn(6, 3)), ([[1, 2, 3], [4, 5], [5, 1]] * 2, [0, 1, 1] * 2),
        [[1, 2, 3], [4, 5]]),
    "return-sequences": (LSTMRegressor(**NET, return_sequences=True), (X_RAGGED, [x[:, 0] for x in X_RAGGED]),
                         X_RAGGED),
    "char-tagger": (SequenceTagger(**TOKENS, char_embedding_dim=2, char_hidden_size=2), (WORDS, TAGS), WORDS),
    "shared-vocabulary": (Seq2SeqTranslator(**TOKENS, share_vocabulary=True, attention="luong", beam_size=2),
                          (TEXTS, [t[::-1] for t in TEXTS]), TEXTS),
    "self-training-network": (SelfTrainingClassifier(RNNClassifier(**NET), max_iter=2), (X_TABLE, Y_SEMI), X_TABLE),
    "pipeline": (make_pipeline(SequenceVectorizer(), LSTMClassifier(**TOKENS)), (TEXTS, [0, 1, 1, 0]), TEXTS),
    "sklearn-pipeline": (make_pipeline(StandardScaler(), RNNRegressor(**NET)), (X_TABLE, X_TABLE[:, 0]), X_TABLE),
}
METHODS = ("predict", "predict_proba", "transform", "translate", "inverse_transform")


def _fitted(name):
    estimator, fit_args, X = CASES[name]
    return clone(estimator).fit(*fit_args), X


def _outputs(estimator, X):
    outputs = {}
    for method in METHODS:
        if hasattr(estimator, method):
            data = estimator.transform(X) if method == "inverse_transform" else X
            outputs[method] = getattr(estimator, method)(data)
    if hasattr(estimator, "perplexity"):  # the language models
        outputs["score_samples"] = estimator.score_samples(X)
        outputs["sample"] = estimator.sample(3, random_state=0)
    return outputs


def _assert_same(a, b, where="estimator"):
    """``a`` and ``b`` are equal values of the same types, down to numpy dtypes and nested estimators."""
    assert type(a) is type(b), f"{where}: {type(a)} != {type(b)}"
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype, where
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            _assert_same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, (BaseEstimator, Vocabulary)):
        state_a = {k: v for k, v in vars(a).items() if k != "net_"}
        state_b = {k: v for k, v in vars(b).items() if k != "net_"}
        _assert_same(state_a, state_b, where)
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b), where
    elif inspect.isclass(a):
        assert a is b, where
    else:
        assert a == b, where


def test_every_public_estimator_has_a_round_trip_case():
    public = {obj.__name__ for obj in vars(sklearn_seq).values()
              if inspect.isclass(obj) and issubclass(obj, BaseEstimator) and obj.__name__ in sklearn_seq.__all__}
    assert len(public) == 15
    assert public <= set(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_load_predicts_exactly_as_the_saved_estimator(name, tmp_path):
    estimator, X = _fitted(name)
    save(estimator, tmp_path / "model.skseq")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # same versions: no warning
        loaded = load(tmp_path / "model.skseq")
    assert type(loaded) is type(estimator)
    _assert_same(loaded, estimator)
    expected, actual = _outputs(estimator, X), _outputs(loaded, X)
    assert expected and list(expected) == list(actual)
    _assert_same(actual, expected, name)
    if isinstance(estimator, BaseSequenceNet):
        assert loaded.history_ == estimator.history_
        assert loaded.summary() == estimator.summary()


def test_the_file_is_json_and_safetensors_in_a_zip(tmp_path):
    estimator, _ = _fitted("LSTMClassifier")
    save(estimator, tmp_path / "model.skseq")
    with zipfile.ZipFile(tmp_path / "model.skseq") as archive:
        assert sorted(archive.namelist()) == ["arrays.safetensors", "estimator.json", "format.json",
                                              "weights.safetensors"]
        header = json.loads(archive.read("format.json"))
        tree = json.loads(archive.read("estimator.json"))
    assert header["format"] == "sklearn-seq" and header["format_version"] == 1
    assert header["sklearn_seq_version"] == sklearn_seq.__version__
    assert header["estimator"] == tree["class"] == "sklearn_seq.classification.LSTMClassifier"
    assert tree["params"]["hidden_size"] == 4 and tree["attributes"]["n_features_in_"] == 5
    with zipfile.ZipFile(tmp_path / "model.skseq") as archive:
        tensors = safetensors.torch.load(archive.read("weights.safetensors"))
    for key, value in estimator.module_.state_dict().items():
        torch.testing.assert_close(tensors[f"net_/module/{key}"], value, rtol=0, atol=0)


def test_loading_unpickles_nothing(tmp_path, monkeypatch):
    estimator, X = _fitted("pipeline")
    save(estimator, tmp_path / "model.skseq")

    def refuse(*args, **kwargs):
        raise AssertionError("load must not unpickle")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    monkeypatch.setattr(torch, "load", refuse)
    np.testing.assert_array_equal(load(tmp_path / "model.skseq").predict_proba(X), estimator.predict_proba(X))


@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_training_continues_after_loading_as_without_saving(method, tmp_path):
    """The optimizer's moments, the history (seeds derive from n_iter_) and the net all come back."""
    estimator = LSTMClassifier(**NET, warm_start=True).fit(X_TABLE, Y_BINARY)
    save(estimator, tmp_path / "model.skseq")
    loaded = load(tmp_path / "model.skseq")
    getattr(estimator, method)(X_TABLE, Y_BINARY)
    getattr(loaded, method)(X_TABLE, Y_BINARY)
    assert loaded.n_iter_ == estimator.n_iter_ == (4 if method == "fit" else 3)
    np.testing.assert_array_equal(loaded.predict_proba(X_TABLE), estimator.predict_proba(X_TABLE))
    fresh_optimizer = LSTMClassifier(**NET, warm_start=True).fit(X_TABLE, Y_BINARY)
    fresh_optimizer.net_.optimizer_.load_state_dict(torch.optim.Adam(fresh_optimizer.module_.parameters()).state_dict())
    getattr(fresh_optimizer, method)(X_TABLE, Y_BINARY)
    assert not np.array_equal(fresh_optimizer.predict_proba(X_TABLE), estimator.predict_proba(X_TABLE))


def test_a_parameter_changed_after_fitting_keeps_the_fitted_network(tmp_path):
    estimator = GRUClassifier(**NET).fit(X_TABLE, Y_BINARY).set_params(hidden_size=7)
    save(estimator, tmp_path / "model.skseq")
    loaded = load(tmp_path / "model.skseq")
    assert loaded.hidden_size == 7
    with pytest.raises(ValueError, match="hidden_size changed since the network was fitted"):
        loaded.predict_proba(X_TABLE)  # as the estimator itself refuses it
    with pytest.raises(ValueError, match="hidden_size changed since it was built"):
        loaded.set_params(warm_start=True).fit(X_TABLE, Y_BINARY)
    original = NET.get("hidden_size", GRUClassifier().hidden_size)
    np.testing.assert_array_equal(loaded.set_params(hidden_size=original).predict_proba(X_TABLE),
                                  estimator.set_params(hidden_size=original).predict_proba(X_TABLE))


def _rewrite(path, member, edit):
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members[member] = edit(members[member])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _edit_json(change):
    def edit(data):
        content = json.loads(data)
        change(content)
        return json.dumps(content)

    return edit


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "model.skseq"
    save(_fitted("pipeline")[0], path)
    return path


def test_load_refuses_a_file_that_is_not_ours(saved, tmp_path):
    (tmp_path / "text.skseq").write_text("hello")
    with pytest.raises(ValueError, match="is not a file of sklearn_seq.save \\(not a zip archive"):
        load(tmp_path / "text.skseq")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as archive:
        archive.writestr("model.pkl", b"\x80\x04K\x01.")
    with pytest.raises(ValueError, match="it has no format.json"):
        load(tmp_path / "other.zip")
    _rewrite(saved, "format.json", _edit_json(lambda header: header.update(format="keras")))
    with pytest.raises(ValueError, match="names no format 'sklearn-seq'"):
        load(saved)


def test_load_refuses_an_unknown_format_version(saved):
    _rewrite(saved, "format.json", _edit_json(lambda header: header.update(format_version=2)))
    with pytest.raises(ValueError, match="has format version 2, but this sklearn-seq .* reads version 1 only"):
        load(saved)


@pytest.mark.parametrize("name", ["os.system", "subprocess.Popen", "builtins.eval", "sklearn.base.clone",
                                  "sklearn_seq.vocabulary.Vocabulary", "sklearn_seq._persistence.json",
                                  "sklearn_seq.classification.torch.nn.Linear", "torch.nn.Linear",
                                  "sklearn.pipeline.Pipeline.__init__"])
def test_load_refuses_a_tampered_class_name(saved, name):
    def top(content):
        content.update({"estimator": name} if "format" in content else {"class": name})

    _rewrite(saved, "format.json", _edit_json(top))
    _rewrite(saved, "estimator.json", _edit_json(top))
    with pytest.raises(ValueError, match=f"names the class '{name}', which is not a BaseEstimator class"):
        load(saved)


def test_load_refuses_a_tampered_nested_class(saved):
    def step(tree):
        tree["params"]["steps"][1]["items"][1]["tree"]["class"] = "subprocess.Popen"

    _rewrite(saved, "estimator.json", _edit_json(step))
    with pytest.raises(ValueError, match="names the class 'subprocess.Popen'"):
        load(saved)


def test_save_refuses_what_only_pickle_could_store(tmp_path):
    with pytest.raises(TypeError, match="cannot save /params/callbacks/0: a EpochTimer is not data"):
        save(RNNClassifier(callbacks=[EpochTimer()]), tmp_path / "model.skseq")
    with pytest.raises(TypeError, match="cannot save /params/random_state: a RandomState"):
        save(RNNClassifier(random_state=np.random.RandomState(0)), tmp_path / "model.skseq")

    class Custom(BaseEstimator):
        pass

    with pytest.raises(TypeError, match="is not a BaseEstimator class of sklearn or sklearn_seq"):
        save(make_pipeline(SequenceVectorizer(), Custom()), tmp_path / "model.skseq")
    with pytest.raises(TypeError, match="save takes an estimator, got dict"):
        save({}, tmp_path / "model.skseq")


def test_a_file_of_another_version_loads_with_a_warning(tmp_path, monkeypatch):
    estimator, X = _fitted("SemiSupervisedGMM")
    with monkeypatch.context() as patch:
        patch.setattr(sklearn_seq, "__version__", "0.0.1")
        save(estimator, tmp_path / "model.skseq")
    with pytest.warns(UserWarning, match=r"saved with sklearn-seq 0.0.1 and is loaded with " + sklearn_seq.__version__):
        loaded = load(tmp_path / "model.skseq")
    np.testing.assert_array_equal(loaded.predict(X), estimator.predict(X))


def test_missing_safetensors_names_the_extra(tmp_path, monkeypatch):
    for module in ("safetensors", "safetensors.numpy", "safetensors.torch"):
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=r"pip install 'sklearn-seq\[persistence\]'"):
        save(SequenceVectorizer(), tmp_path / "model.skseq")
    with pytest.raises(ImportError, match=r"pip install 'sklearn-seq\[persistence\]'"):
        load(tmp_path / "model.skseq")


@pytest.mark.parametrize("name", [name for name in CASES if name[0].isupper()])
def test_pickles_carry_the_package_version(name):
    estimator, _ = _fitted(name)
    assert estimator.__getstate__()["_sklearn_seq_version"] == sklearn_seq.__version__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pickle.loads(pickle.dumps(estimator))


def test_a_pickle_of_another_version_warns(monkeypatch):
    estimator, X = _fitted("SequenceTagger")
    with monkeypatch.context() as patch:
        patch.setattr(sklearn_seq, "__version__", "0.0.1")
        data = pickle.dumps(estimator)
    with pytest.warns(UserWarning, match=f"SequenceTagger saved by sklearn-seq 0.0.1 with sklearn-seq "
                                         f"{sklearn_seq.__version__}"):
        loaded = pickle.loads(data)
    _assert_same(loaded.predict(X), estimator.predict(X))
    state = estimator.__getstate__()
    del state["_sklearn_seq_version"]
    with pytest.warns(UserWarning, match=r"saved by sklearn-seq unknown \(older than version stamps\)"):
        SequenceTagger().__setstate__(state)


def test_a_pickle_from_before_a_parameter_existed_takes_its_default():
    """An estimator pickled before ``init``, ``residual`` and ``validation_data`` were added has neither
    the attributes nor their entries among the parameters its network last trained with."""
    estimator, X = _fitted("GRUClassifier")
    state = estimator.__getstate__()
    added = ("init", "residual", "validation_data")
    for name in added:
        del state[name], state["_net_params"][name]
    old = GRUClassifier.__new__(GRUClassifier)
    old.__setstate__(state)
    assert [old.get_params()[name] for name in added] == ["keras", False, None]
    _assert_same(old.predict(X), estimator.predict(X))
    n_iter = old.n_iter_
    old.set_params(warm_start=True, max_epochs=1).fit(X, Y_BINARY)
    assert old.n_iter_ == n_iter + 1
    old.set_params(hidden_size=3)
    with pytest.raises(ValueError, match="hidden_size changed since it was built"):
        old.fit(X, Y_BINARY)


def test_save_after_dropping_the_callbacks(tmp_path):
    X = np.random.RandomState(0).normal(size=(20, 4))
    y = np.where(X.sum(axis=1) > 0, "pos", "neg")
    scored = GRUClassifier(hidden_size=4, max_epochs=2, random_state=0, validation_data=(X, y),
                           callbacks=[EpochScoring("accuracy", lower_is_better=False)]).fit(X, y)
    with pytest.raises(TypeError, match=r"a EpochScoring is not data .* set_params\(callbacks=None\) before saving"):
        save(scored, tmp_path / "model.skseq")
    save(scored.set_params(callbacks=None), tmp_path / "model.skseq")
    loaded = load(tmp_path / "model.skseq")
    assert loaded.history_[-1]["accuracy"] == scored.history_[-1]["accuracy"]
    _assert_same(loaded.predict_proba(X), scored.predict_proba(X))
    assert loaded.set_params(warm_start=True).fit(X, y).n_iter_ == 4
