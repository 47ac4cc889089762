"""The training API of issue 13: sample_weight, a fixed validation set, the time hold-out, scoring callbacks."""

import numpy as np
import pytest
import sklearn
import torch
from numpy.testing import assert_allclose
from sklearn.metrics import accuracy_score, f1_score, log_loss, make_scorer, mean_squared_error, roc_auc_score
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from skorch.callbacks import Checkpoint, EpochScoring, LoadInitState

from sklearn_seq import (
    CharRNNLanguageModel,
    GRUClassifier,
    GRURegressor,
    RNNClassifier,
    RNNRegressor,
    SelfTrainingClassifier,
    Seq2SeqTranslator,
    SequenceAutoencoder,
    SequenceTagger,
)
from sklearn_seq._faults import fingerprint
from sklearn_seq.preprocessing import make_windows


@pytest.fixture
def binary():
    """60 sequences of 6 steps whose label says whether their sum is positive, and 30 to validate on."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, 6))
    y = np.where(X.sum(axis=1) + rng.normal(scale=1.0, size=90) > 0, "pos", "neg")
    return X[:60], y[:60], X[60:], y[60:]


FULL_BATCH = {"hidden_size": 8, "batch_size": 256, "max_epochs": 5, "lr": 0.05, "random_state": 0}

# -- sample_weight ----------------------------------------------------------------------


def _per_step_data():
    # Every sentence holds each word equally often: the tagger's vocabulary (by count) is the same for any subset.
    tokens = [["a", "b", "c"], ["c", "a", "b"], ["b", "c", "a", "a", "b", "c"], ["a", "b", "c"], ["c", "b", "a"],
              ["b", "a", "c"]] * 3
    tags = [["X" if t == "a" else "Y" for t in seq] for seq in tokens]
    return tokens, tags


# Each network with data of its kind: zero weights must train as if those samples were not there.
ZERO_WEIGHT_CASES = {
    "classifier": lambda X, y: (RNNClassifier(**FULL_BATCH), X, y),
    "regressor": lambda X, y: (GRURegressor(**FULL_BATCH), X, X.sum(axis=1)),
    "per-step regressor": lambda X, y: (RNNRegressor(**FULL_BATCH, return_sequences=True), X, X.cumsum(axis=1)),
    "autoencoder": lambda X, y: (SequenceAutoencoder(**FULL_BATCH), X, None),
    "tagger": lambda X, y: (SequenceTagger(**FULL_BATCH, embedding_dim=4), *_per_step_data()),
    "language model": lambda X, y: (CharRNNLanguageModel(**FULL_BATCH, embedding_dim=4), ["abc", "ba", "cab"] * 6,
                                    None),
    "translator": lambda X, y: (Seq2SeqTranslator(**FULL_BATCH, embedding_dim=4), ["abc", "ba", "cab"] * 6,
                                ["cba", "ab", "bac"] * 6),
}


@pytest.mark.parametrize("case", ZERO_WEIGHT_CASES)
def test_zero_weights_train_as_if_the_samples_were_dropped(binary, case):
    estimator, X, y = ZERO_WEIGHT_CASES[case](*binary[:2])
    n = len(X)
    weights = np.tile([1.0, 0.0, 2.0], n // 3 + 1)[:n]
    keep = np.repeat(np.arange(n), weights.astype(int))  # weight 2 is the sample twice: one batch holds all
    subset = [X[i] for i in keep] if isinstance(X, list) else X[keep]
    y_subset = None if y is None else ([y[i] for i in keep] if isinstance(y, list) else y[keep])
    weighted = estimator.fit(X, y, sample_weight=weights).loss_curve_
    repeated = estimator.fit(subset, y_subset).loss_curve_
    unweighted = estimator.fit(X, y).loss_curve_
    assert_allclose(weighted, repeated, rtol=1e-5)
    assert not np.allclose(weighted, unweighted, rtol=1e-3)


def test_integer_weights_equal_repetition_with_full_batch_sgd(binary):
    X, y, _, _ = binary
    weights = np.random.RandomState(1).randint(1, 4, size=len(X))
    # lr 0.2: at 0.5 the loss spikes near epoch 18 and the spike amplifies the rounding of the
    # two sums (weighted rows vs repeated rows) past any tolerance.
    params = {**FULL_BATCH, "optimizer": "sgd", "lr": 0.2, "max_epochs": 20}
    weighted = RNNClassifier(**params).fit(X, y, sample_weight=weights)
    repeated = RNNClassifier(**params).fit(np.repeat(X, weights, axis=0), np.repeat(y, weights))
    assert_allclose(weighted.loss_curve_, repeated.loss_curve_, rtol=1e-5)
    assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=5e-5)


def test_a_heavier_class_is_predicted_more_often(binary):
    X, y, X_val, _ = binary
    params = {**FULL_BATCH, "max_epochs": 30}
    plain = RNNClassifier(**params).fit(X, y)
    heavy = RNNClassifier(**params).fit(X, y, sample_weight=np.where(y == "pos", 10.0, 1.0))
    X_all = np.vstack([X, X_val])
    assert (heavy.predict(X_all) == "pos").mean() > (plain.predict(X_all) == "pos").mean() + 0.1
    assert heavy.predict_proba(X_all)[:, 1].mean() > plain.predict_proba(X_all)[:, 1].mean() + 0.1


def test_all_one_weights_change_nothing(binary):
    X, y, _, _ = binary
    params = {**FULL_BATCH, "batch_size": 16}  # mini-batches
    ones = RNNClassifier(**params).fit(X, y, sample_weight=np.ones(len(X)))
    none = RNNClassifier(**params).fit(X, y)
    assert_allclose(ones.loss_curve_, none.loss_curve_, rtol=1e-6)


def test_class_weight_and_sample_weight_multiply(binary):
    X, y, _, _ = binary
    params = {**FULL_BATCH, "optimizer": "sgd", "lr": 0.5}
    by_class = RNNClassifier(**params, class_weight={"neg": 1.0, "pos": 3.0}).fit(X, y)
    by_sample = RNNClassifier(**params).fit(X, y, sample_weight=np.where(y == "pos", 3.0, 1.0))
    assert_allclose(by_class.loss_curve_, by_sample.loss_curve_, rtol=1e-5)


@pytest.mark.parametrize("weights, message", [
    (np.ones(59), "sample_weight has 59 values, but X has 60 samples"),
    (-np.ones(60), "Negative values in data passed to `?sample_weight"),
    (np.full(60, np.nan), "Input sample_weight contains NaN"),
])
def test_bad_sample_weight_is_refused(binary, weights, message):
    X, y, _, _ = binary
    model = RNNClassifier(**FULL_BATCH)
    with pytest.raises(ValueError, match=message):
        model.fit(X, y, sample_weight=weights)
    assert not hasattr(model, "net_")


def test_partial_fit_takes_sample_weight(binary):
    X, y, _, _ = binary
    weights = np.tile([1.0, 0.0], 30)
    weighted = RNNClassifier(**FULL_BATCH).partial_fit(X, y, classes=["neg", "pos"], sample_weight=weights)
    dropped = RNNClassifier(**FULL_BATCH).partial_fit(X[::2], y[::2], classes=["neg", "pos"])
    assert_allclose(weighted.loss_curve_, dropped.loss_curve_, rtol=1e-5)


def test_sample_weight_is_routed_through_pipeline_and_grid_search(binary):
    X, y, _, _ = binary
    weights = np.where(y == "pos", 5.0, 1.0)
    direct = RNNClassifier(**FULL_BATCH).fit(X, y, sample_weight=weights)
    with sklearn.config_context(enable_metadata_routing=True):
        model = RNNClassifier(**FULL_BATCH).set_fit_request(sample_weight=True).set_score_request(sample_weight=True)
        pipe = Pipeline([("identity", FunctionTransformer()), ("clf", model)]).fit(X, y, sample_weight=weights)
        assert_allclose(pipe[-1].loss_curve_, direct.loss_curve_, rtol=1e-6)
        search = GridSearchCV(model, {"hidden_size": [8]}, cv=2, refit=True).fit(X, y, sample_weight=weights)
        assert_allclose(search.best_estimator_.loss_curve_, direct.loss_curve_, rtol=1e-6)
        with pytest.raises(sklearn.exceptions.UnsetMetadataPassedError):
            Pipeline([("clf", RNNClassifier(**FULL_BATCH))]).fit(X, y, sample_weight=weights)


def test_self_training_weighs_pseudo_labels_by_confidence(binary):
    X, y, _, _ = binary
    y_partial = y.astype(object)
    y_partial[20:] = "unlabeled"
    results = {}
    for weighting in ("uniform", "confidence"):
        model = SelfTrainingClassifier(RNNClassifier(**FULL_BATCH), pseudo_label_weight=weighting, threshold=0.5,
                                       unlabeled_label="unlabeled", max_iter=1).fit(X, y_partial)
        assert len(model.estimator_.classes_) == 2 and model.transduction_.tolist().count("unlabeled") == 0
        results[weighting] = model.estimator_.loss_curve_
    # Pseudo-labels weigh less than one: the final round's loss differs from the uniform one.
    assert not np.allclose(results["uniform"], results["confidence"], rtol=1e-3)


# -- validation_data and the time split -------------------------------------------------


def test_validation_data_is_the_valid_loss_and_nothing_is_held_out(binary):
    X, y, X_val, y_val = binary
    model = RNNClassifier(**{**FULL_BATCH, "batch_size": 16}, validation_data=(X_val, y_val)).fit(X, y)
    history = model.history_
    assert all("valid_loss" in epoch for epoch in history)
    assert sum(b.get("train_batch_size", 0) for b in model.net_.history[-1]["batches"]) == 60
    assert sum(b.get("valid_batch_size", 0) for b in model.net_.history[-1]["batches"]) == 30
    encoded = np.searchsorted(model.classes_, y_val)
    assert_allclose(history[-1]["valid_loss"], log_loss(encoded, model.predict_proba(X_val), labels=[0, 1]),
                    rtol=1e-5)


def test_validation_data_decides_early_stopping(binary):
    X, y, X_val, y_val = binary
    model = RNNClassifier(**{**FULL_BATCH, "max_epochs": 40, "lr": 0.2}, early_stopping=True, n_iter_no_change=2,
                          validation_data=(X_val, y_val)).fit(X, y)
    losses = [epoch["valid_loss"] for epoch in model.history_]
    best = int(np.argmin(losses))
    assert model.n_iter_ == best + 3 < 40  # stopped two epochs after the best
    encoded = np.searchsorted(model.classes_, y_val)
    assert_allclose(log_loss(encoded, model.predict_proba(X_val)), losses[best], rtol=1e-5)  # best restored


def test_a_new_validation_set_reaches_a_warm_start(binary):
    X, y, X_val, y_val = binary
    model = RNNClassifier(**{**FULL_BATCH, "max_epochs": 1}, warm_start=True, validation_data=(X_val, y_val))
    model.fit(X, y)
    model.set_params(validation_data=(X[:10], y[:10])).fit(X, y)
    assert sum(b.get("valid_batch_size", 0) for b in model.net_.history[-1]["batches"]) == 10
    model.set_params(validation_data=None).fit(X, y)
    assert "valid_loss" not in model.history_[-1]


def test_partial_fit_validates_on_validation_data(binary):
    X, y, X_val, y_val = binary
    model = RNNClassifier(**FULL_BATCH, validation_data=(X_val, y_val))
    for _ in range(2):
        model.partial_fit(X, y, classes=["neg", "pos"])
    encoded = np.searchsorted(model.classes_, y_val)
    assert_allclose(model.history_[-1]["valid_loss"], log_loss(encoded, model.predict_proba(X_val)), rtol=1e-5)
    assert sum(b.get("train_batch_size", 0) for b in model.net_.history[-1]["batches"]) == 60


def test_validation_data_for_an_unsupervised_network(binary):
    X, _, X_val, _ = binary
    longer = np.concatenate([X_val, X_val], axis=1)[..., None]  # 12 steps where training has 6
    model = SequenceAutoencoder(**FULL_BATCH, validation_data=(longer, None)).fit(X[..., None])
    assert all(np.isfinite(epoch["valid_loss"]) for epoch in model.history_)
    # Read, not learned from: decoding without lengths follows the training lengths alone.
    assert [len(x) for x in model.inverse_transform(model.transform(X[:2, :, None]))] == [6, 6]
    with pytest.raises(ValueError, match="validation_data must be a pair"):
        SequenceAutoencoder(**FULL_BATCH, validation_data=(X_val,)).fit(X)


def test_time_split_holds_out_the_last_windows():
    X, y = make_windows(np.sin(np.arange(120) / 5.0), window=8)
    model = RNNRegressor(**{**FULL_BATCH, "max_epochs": 4}, early_stopping=True, validation_split="time",
                         validation_fraction=0.25, n_iter_no_change=10).fit(X, y)
    n_valid = int(np.ceil(0.25 * len(X)))
    train, valid = model.net_.train_split(model._build_dataset(X, y, reset=False))
    assert valid.indices.tolist() == list(range(len(X) - n_valid, len(X)))
    assert train.indices.tolist() == list(range(len(X) - n_valid))
    best = min(epoch["valid_loss"] for epoch in model.history_)  # early stopping restored the best epoch
    assert_allclose(mean_squared_error(y[-n_valid:], model.predict(X[-n_valid:])), best, rtol=1e-5)
    # The random split of the same fraction draws validation windows from all over the series.
    shuffled = RNNRegressor(**FULL_BATCH, early_stopping=True, validation_fraction=0.25).fit(X, y)
    _, random_valid = shuffled.net_.train_split(shuffled._build_dataset(X, y, reset=False))
    assert min(random_valid.indices) < len(X) - n_valid


def test_time_split_needs_early_stopping(binary):
    X, _, _, _ = binary
    with pytest.raises(ValueError, match="validation_split='time' chooses the data early_stopping holds out"):
        RNNRegressor(**FULL_BATCH, validation_split="time").fit(X, X.sum(axis=1))


# -- skorch's scoring callbacks ---------------------------------------------------------


def _balanced_accuracy(net, X, y):
    """A user scorer of skorch's kind: (net, X, y)."""
    predicted = net.predict(X)
    return np.mean([np.mean(predicted[y == label] == label) for label in np.unique(y)])


def _scoring_callbacks():
    return [EpochScoring("accuracy", lower_is_better=False), EpochScoring("roc_auc", lower_is_better=False),
            EpochScoring("neg_log_loss", lower_is_better=False), EpochScoring("f1", lower_is_better=False),
            EpochScoring(_balanced_accuracy, name="balanced", lower_is_better=False)]


def test_scoring_callbacks_score_the_classifier(binary):
    X, y, X_val, y_val = binary
    model = GRUClassifier(**FULL_BATCH, callbacks=_scoring_callbacks(), validation_data=(X_val, y_val)).fit(X, y)
    last = model.history_[-1]
    proba, predicted = model.predict_proba(X_val), model.predict(X_val)
    assert_allclose(last["accuracy"], accuracy_score(y_val, predicted))
    assert_allclose(last["roc_auc"], roc_auc_score(y_val == "pos", proba[:, 1]), rtol=1e-6)
    assert_allclose(last["neg_log_loss"], -last["valid_loss"], rtol=1e-5)
    assert_allclose(last["f1"], f1_score(y_val, predicted, pos_label="pos"))  # classes_[1], the positive class
    recalls = [np.mean(predicted[y_val == label] == label) for label in ("neg", "pos")]
    assert_allclose(last["balanced"], np.mean(recalls))
    assert 0.6 < last["accuracy"] < 1 and 0.6 < last["roc_auc"] <= 1


def test_scoring_callbacks_inside_grid_search(binary):
    X, y, _, _ = binary
    model = RNNClassifier(**FULL_BATCH, early_stopping=True, validation_fraction=0.3, callbacks=_scoring_callbacks())
    search = GridSearchCV(model, {"hidden_size": [4, 8]}, cv=2, scoring="accuracy").fit(X, y)
    history = search.best_estimator_.history_
    for name in ("accuracy", "roc_auc", "f1", "balanced"):
        assert all(0 <= epoch[name] <= 1 for epoch in history), name
    assert all(epoch["neg_log_loss"] == pytest.approx(-epoch["valid_loss"], rel=1e-5) for epoch in history)


def test_checkpoint_and_load_init_state_resume(binary, tmp_path):
    X, y, _, _ = binary

    def resumable():
        checkpoint = Checkpoint(monitor="train_loss_best", dirname=str(tmp_path))
        return RNNClassifier(**{**FULL_BATCH, "max_epochs": 3}, callbacks=[checkpoint, LoadInitState(checkpoint)])

    first = resumable().fit(X, y)
    assert (tmp_path / "params.pt").exists()
    second = resumable().fit(X, y)
    assert second.n_iter_ == 6  # the saved history, and three more epochs
    assert_allclose(second.loss_curve_[:3], first.loss_curve_)
    assert second.loss_curve_[3] < first.loss_curve_[0]  # it went on from the saved weights


def test_checkpoint_inside_a_search_without_load_init_state(binary, tmp_path):
    """The recipe of the guide: a search's fits are other models, so none of them loads a checkpoint."""
    X, y, _, _ = binary
    checkpoint = Checkpoint(monitor="train_loss_best", dirname=str(tmp_path))
    model = RNNClassifier(**{**FULL_BATCH, "max_epochs": 3}, callbacks=[checkpoint])
    folds = cross_validate(model, X, y, cv=3, return_estimator=True)["estimator"]
    assert [fold.n_iter_ for fold in folds] == [3, 3, 3]  # each fold trained from scratch
    search = GridSearchCV(model, {"hidden_size": [4, 8]}, cv=2).fit(X, y)
    best = search.best_estimator_
    assert best.n_iter_ == 3
    # The refit is the search's last fit: the files hold its training, which LoadInitState resumes.
    resumed = RNNClassifier(**{**FULL_BATCH, "max_epochs": 3, **search.best_params_},
                            callbacks=[checkpoint, LoadInitState(checkpoint)]).fit(X, y)
    assert resumed.n_iter_ == 6
    assert_allclose(resumed.loss_curve_[:3], best.loss_curve_)
    # What goes wrong with LoadInitState in a search: each fold resumes from the one before.
    shared = Checkpoint(monitor="train_loss_best", dirname=str(tmp_path / "shared"))
    leaking = RNNClassifier(**{**FULL_BATCH, "max_epochs": 3}, callbacks=[shared, LoadInitState(shared)])
    folds = cross_validate(leaking, X, y, cv=3, return_estimator=True)["estimator"]
    assert [fold.n_iter_ for fold in folds] == [3, 6, 9]


def test_checkpoint_dir_inside_a_sequential_search(binary, tmp_path):
    X, y, _, _ = binary
    model = RNNClassifier(**{**FULL_BATCH, "max_epochs": 3}, checkpoint_dir=str(tmp_path))
    folds = cross_validate(model, X, y, cv=3, return_estimator=True)["estimator"]
    assert [fold.n_iter_ for fold in folds] == [3, 3, 3]  # each fit clears the directory when it ends
    assert list(tmp_path.iterdir()) == []


def test_a_checkpoint_knows_the_weights_and_the_validation_set(binary):
    X, y, X_val, y_val = binary
    model = RNNClassifier(**FULL_BATCH, validation_data=(X_val, y_val)).fit(X, y)
    dataset = model._build_dataset(X, y, reset=False)
    plain = fingerprint(model, dataset)
    dataset.sample_weight = torch.ones(len(X))
    assert fingerprint(model, dataset)["data"] != plain["data"]  # a resume with other weights is refused
    other_set = fingerprint(model.set_params(validation_data=(X_val[:5], y_val[:5])), dataset)
    assert other_set["params"]["validation_data"] != plain["params"]["validation_data"]
    ragged = [x[: 3 + i % 3] for i, x in enumerate(X_val)]
    described = fingerprint(model.set_params(validation_data=(ragged, y_val)), dataset)["params"]["validation_data"]
    assert len(described) == 2 and len(described[0]) == len(ragged)  # each sequence by its content


# -- review fixes: failed calls, validation_data's errors, weights' scale, losses, saving ----------


def test_a_fit_that_fails_on_validation_data_leaves_the_estimator_as_it_was(binary):
    X, y, X_val, _ = binary
    model = RNNClassifier(**FULL_BATCH).fit(X, y)
    before = dict(vars(model))
    proba = model.predict_proba(X_val)
    three_classes = np.array(list("abc"))[np.arange(len(X)) % 3]
    with pytest.raises(ValueError, match=r"validation_data: y contains labels not in classes_: \['zzz'\]"):
        model.set_params(validation_data=(X_val[:3], np.array(["zzz"] * 3))).fit(X, three_classes)
    with pytest.raises(ValueError, match="validation_data: X has 2 features per step, but RNNClassifier was fitted "
                                         "with 1 features per step"):
        model.set_params(validation_data=(X_val[..., None].repeat(2, axis=2), y[:30])).fit(X[..., None], y)
    assert vars(model).keys() - {"validation_data"} == before.keys() - {"validation_data"}
    assert all(vars(model)[name] is value for name, value in before.items() if name != "validation_data")
    model.set_params(validation_data=None)
    assert model.classes_.tolist() == ["neg", "pos"]
    assert_allclose(model.predict_proba(X_val), proba)
    # A first partial_fit that fails leaves the estimator unfitted; a warm start, its network untouched.
    fresh = RNNClassifier(**FULL_BATCH, validation_data=(X_val, np.where(y[:30] == "pos", "pos", "zzz")))
    with pytest.raises(ValueError, match="validation_data: y contains labels not in classes_"):
        fresh.partial_fit(X, y, classes=["neg", "pos"])
    assert not hasattr(fresh, "net_") and not hasattr(fresh, "classes_")
    warm = RNNClassifier(**FULL_BATCH, warm_start=True).fit(X, y)
    with pytest.raises(ValueError, match="validation_data: "):
        warm.set_params(validation_data=(X_val, np.full(30, "zzz")), lr=0.5).fit(X, y)
    assert warm.n_iter_ == 5 and warm.net_.lr == 0.05 and warm.net_.train_split is None


def _tokens():
    return [["a", "b"], ["b", "a", "c"]] * 3, [["X", "Y"], ["Y", "X", "X"]] * 3


VALIDATION_ERRORS = {
    "classifier without y_val": (lambda X, y: RNNClassifier(**FULL_BATCH, validation_data=(X, None)).fit(X, y),
                                 "validation_data: y_val is None, but RNNClassifier learns targets"),
    "tagger without y_val": (lambda X, y: SequenceTagger(**FULL_BATCH, validation_data=(_tokens()[0], None))
                             .fit(*_tokens()), "validation_data: y_val is None, but SequenceTagger learns targets"),
    "translator without y_val": (lambda X, y: Seq2SeqTranslator(**FULL_BATCH, validation_data=(["ab"], None))
                                 .fit(["ab", "ba"], ["ba", "ab"]), "validation_data: y_val is None"),
    "language model with y_val": (lambda X, y: CharRNNLanguageModel(**FULL_BATCH, validation_data=(["ab"], ["x"]))
                                  .fit(["ab", "ba"]), "CharRNNLanguageModel learns from X alone .* ignore y_val"),
    "autoencoder with y_val": (lambda X, y: SequenceAutoencoder(**FULL_BATCH, validation_data=(X, np.ones(len(X))))
                               .fit(X), "SequenceAutoencoder learns from X alone and would ignore y_val"),
    "tagger with an unseen tag": (lambda X, y: SequenceTagger(**FULL_BATCH, validation_data=([["a"]], [["Q"]]))
                                  .fit(*_tokens()), "validation_data: "),
    "regressor with another length of y": (lambda X, y: GRURegressor(**FULL_BATCH, validation_data=(X, X[:5, 0]))
                                           .fit(X, X[:, 0]), "validation_data: Found input variables with "
                                                             "inconsistent numbers of samples"),
}


@pytest.mark.parametrize("case", VALIDATION_ERRORS)
def test_errors_of_validation_data_say_so(binary, case):
    fit, message = VALIDATION_ERRORS[case]
    with pytest.raises(ValueError, match=message):
        fit(*binary[:2])


def test_the_scale_of_the_weights_changes_nothing(binary):
    X, y, _, _ = binary
    weights = np.random.RandomState(0).uniform(0.5, 3, size=len(X))
    reference = RNNClassifier(**FULL_BATCH).fit(X, y, sample_weight=weights).loss_curve_
    for scale in (1e-45, 1e39):  # below float32's smallest normal / above its largest value
        scaled = RNNClassifier(**FULL_BATCH).fit(X, y, sample_weight=weights * scale).loss_curve_
        assert_allclose(scaled, reference, rtol=1e-6)
    one_sample = np.r_[1e-50, np.zeros(len(X) - 1)]  # zero in float32 as given
    alone = RNNClassifier(**FULL_BATCH).fit(X, y, sample_weight=one_sample).loss_curve_
    assert_allclose(alone, RNNClassifier(**FULL_BATCH).fit(X, y, sample_weight=one_sample > 0).loss_curve_)
    # A number is every sample's weight, as in scikit-learn.
    assert_allclose(RNNClassifier(**FULL_BATCH).fit(X, y, sample_weight=2.0).loss_curve_,
                    RNNClassifier(**FULL_BATCH).fit(X, y).loss_curve_, rtol=1e-6)
    with pytest.raises(ValueError, match="zero|non-zero"):
        RNNClassifier(**FULL_BATCH).fit(X, y, sample_weight=np.zeros(len(X)))


@pytest.mark.parametrize("params", [{}, {"weight": torch.tensor([1.0, 2.0, 0.5])}, {"label_smoothing": 0.2},
                                    {"weight": torch.tensor([1.0, 2.0, 0.5]), "label_smoothing": 0.2}])
def test_all_one_weights_are_the_unweighted_cross_entropy(params):
    from sklearn_seq.nn import WeightedCrossEntropyLoss

    generator = torch.Generator().manual_seed(0)
    logits, target = torch.randn(7, 3, generator=generator), torch.tensor([0, 1, 2, 0, 1, 2, -100])
    loss = WeightedCrossEntropyLoss(**params)
    assert float(loss(logits, target, sample_weight=torch.ones(7))) == float(loss(logits, target))
    assert_allclose(float(loss(logits, target)), float(torch.nn.CrossEntropyLoss(**params)(logits, target)),
                    rtol=1e-6)


def test_the_weighted_losses_refuse_another_reduction():
    from sklearn_seq.nn import WeightedCrossEntropyLoss, WeightedMSELoss

    for loss, reduction in [(WeightedCrossEntropyLoss, "sum"), (WeightedMSELoss, "none")]:
        with pytest.raises(ValueError, match=f"takes reduction='mean' only .* got reduction='{reduction}'"):
            loss(reduction=reduction)(torch.zeros(2, 2), torch.zeros(2, dtype=torch.long))


def test_partial_fit_refuses_early_stopping_with_validation_data_for_its_own_reason(binary):
    X, y, X_val, y_val = binary
    model = RNNClassifier(**FULL_BATCH, early_stopping=True, validation_data=(X_val, y_val))
    with pytest.raises(ValueError, match="early_stopping counts its patience over the epochs of one fit"):
        model.partial_fit(X, y, classes=["neg", "pos"])


@pytest.mark.parametrize("make", [
    lambda: SequenceTagger(**FULL_BATCH, callbacks=[EpochScoring("accuracy")]),
    lambda: RNNRegressor(**FULL_BATCH, return_sequences=True, callbacks=[("r2", EpochScoring("r2"))]),
])
def test_scoring_callbacks_are_refused_where_predictions_are_per_step(binary, make):
    X, _, _, _ = binary
    model = make()
    data = _tokens() if isinstance(model, SequenceTagger) else (X, X.cumsum(axis=1))
    with pytest.raises(ValueError, match="callbacks: skorch's EpochScoring and BatchScoring .* only the "
                                         "many-to-one classifiers and regressors"):
        model.fit(*data)


def test_scoring_callbacks_score_a_many_to_one_regressor(binary):
    X, _, X_val, _ = binary
    model = GRURegressor(**FULL_BATCH, validation_data=(X_val, X_val.sum(axis=1)),
                         callbacks=[EpochScoring("r2", lower_is_better=False)]).fit(X, X.sum(axis=1))
    assert_allclose(model.history_[-1]["r2"], model.score(X_val, X_val.sum(axis=1)), rtol=1e-5)


def test_user_scorers_see_the_encoded_labels(binary):
    X, y, X_val, y_val = binary
    f1_of_pos = EpochScoring(make_scorer(f1_score, pos_label=1), name="f1_pos", lower_is_better=False)
    model = GRUClassifier(**FULL_BATCH, validation_data=(X_val, y_val), callbacks=[f1_of_pos]).fit(X, y)
    assert_allclose(model.history_[-1]["f1_pos"], f1_score(y_val, model.predict(X_val), pos_label="pos"))
    with pytest.raises(ValueError, match="pos_label=pos is not a valid label"):
        GRUClassifier(**FULL_BATCH, validation_data=(X_val, y_val),
                      callbacks=[EpochScoring(make_scorer(f1_score, pos_label="pos"))]).fit(X, y)
