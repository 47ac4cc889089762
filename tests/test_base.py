"""Training machinery shared by every estimator: seeding, persistence, callbacks, warm starts."""

import pickle
import re

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from skorch.callbacks import Callback, GradientNormClipping

from sklearn_seq import GRUClassifier, LSTMClassifier, LSTMRegressor, RNNClassifier
from sklearn_seq._compat import InvalidParameterError

FAST = {"hidden_size": 8, "max_epochs": 3, "lr": 0.02, "random_state": 0}


def test_same_random_state_gives_identical_predictions(ragged_data):
    X, y = ragged_data
    first = GRUClassifier(dropout=0.3, **FAST).fit(X, y).predict_proba(X)
    second = GRUClassifier(dropout=0.3, **FAST).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)
    other = GRUClassifier(dropout=0.3, **{**FAST, "random_state": 1}).fit(X, y).predict_proba(X)
    assert not np.array_equal(first, other)


def test_global_random_state_is_left_untouched(ragged_data):
    X, y = ragged_data
    torch.manual_seed(123)
    np.random.seed(123)
    torch_state, numpy_state = torch.get_rng_state(), np.random.get_state()
    LSTMClassifier(dropout=0.5, **FAST).fit(X, y).predict(X)
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.random.get_state()[1].tolist() == numpy_state[1].tolist()


def test_ragged_nan_padded_and_2d_inputs_give_the_same_model():
    rng = np.random.RandomState(0)
    lengths = rng.randint(2, 9, size=40)
    ragged = [rng.normal(size=(n, 2)) for n in lengths]
    padded = np.full((40, 8, 2), np.nan)
    for i, seq in enumerate(ragged):
        padded[i, : len(seq)] = seq
    y = rng.randint(0, 2, size=40)
    from_ragged = LSTMClassifier(**FAST).fit(ragged, y).predict_proba(ragged)
    from_padded = LSTMClassifier(**FAST).fit(padded, y).predict_proba(padded)
    np.testing.assert_array_equal(from_ragged, from_padded)

    table = rng.normal(size=(30, 6))
    y = rng.randint(0, 2, size=30)
    from_table = LSTMClassifier(**FAST).fit(table, y).predict_proba(table)
    from_list = LSTMClassifier(**FAST).fit(list(table), y).predict_proba(list(table))
    np.testing.assert_array_equal(from_table, from_list)


def test_prediction_does_not_depend_on_batch_companions(ragged_data):
    X, y = ragged_data
    model = LSTMClassifier(**FAST).fit(X, y)
    together = model.predict_proba(X)
    alone = np.vstack([model.predict_proba([x]) for x in X[:10]])
    np.testing.assert_allclose(alone, together[:10], rtol=1e-6, atol=1e-7)
    reordered = model.predict_proba(X[::-1])[::-1]
    np.testing.assert_allclose(reordered, together, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("roundtrip", [clone, pickle, joblib], ids=["clone", "pickle", "joblib"])
def test_roundtrips_give_identical_predictions(ragged_data, tmp_path, roundtrip):
    X, y = ragged_data
    model = LSTMClassifier(**FAST).fit(X, y)
    if roundtrip is clone:
        copy = clone(model).fit(X, y)
    elif roundtrip is pickle:
        copy = pickle.loads(pickle.dumps(model))
    else:
        joblib.dump(model, tmp_path / "model.joblib")
        copy = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(copy.predict_proba(X), model.predict_proba(X))
    assert copy.loss_curve_ == model.loss_curve_


def test_grid_search_over_a_pipeline_in_parallel():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 6)) * 10
    y = (X[:, :3].sum(axis=1) > 0).astype(int)
    pipe = make_pipeline(StandardScaler(), GRUClassifier(**FAST))
    search = GridSearchCV(pipe, {"gruclassifier__hidden_size": [4, 8], "gruclassifier__cell": ["gru", "rnn"]},
                          cv=3, n_jobs=2)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_estimator_[-1].hidden_size in (4, 8)
    assert search.score(X, y) > 0.7


def test_cross_validate_returns_fitted_estimators(ragged_data):
    X, y = ragged_data
    result = cross_validate(LSTMClassifier(**FAST), np.array(X, dtype=object), y, cv=3, return_estimator=True)
    assert len(result["test_score"]) == 3 and all(0 <= s <= 1 for s in result["test_score"])
    assert all(est.n_iter_ == 3 for est in result["estimator"])


def test_history_loss_curve_and_n_iter(ragged_data):
    X, y = ragged_data
    model = RNNClassifier(**{**FAST, "max_epochs": 5}).fit(X, y)
    assert model.n_iter_ == 5 == len(model.history_) == len(model.loss_curve_)
    assert [epoch["epoch"] for epoch in model.history_] == [1, 2, 3, 4, 5]
    assert model.loss_curve_[-1] < model.loss_curve_[0]
    assert "batches" not in model.history_[0]


def test_early_stopping_holds_out_data_and_restores_the_best_weights(ragged_data):
    X, y = ragged_data
    model = LSTMClassifier(
        hidden_size=8, lr=0.2, max_epochs=60, early_stopping=True, n_iter_no_change=3,
        validation_fraction=0.2, random_state=0,
    ).fit(X, y)
    valid = [epoch["valid_loss"] for epoch in model.history_]
    assert model.n_iter_ < 60
    assert model.n_iter_ - 1 - np.argmin(valid) <= 3  # stopped after 3 epochs without improvement
    assert model.history_[0]["train_batch_count"] == 3  # 96 of 120 sequences trained on
    # the restored best weights reproduce the best validation loss
    held_out = model.net_.train_split(model.net_.get_dataset(_dataset(model, X, y)))[1]
    x, target = held_out.dataset.__getitems__(list(held_out.indices))
    loss = torch.nn.functional.cross_entropy(model.module_(**x), target).item()
    assert loss == pytest.approx(min(valid), rel=2e-4)


def _dataset(model, X, y):
    from sklearn_seq.sequences import SequenceDataset, check_sequences

    return SequenceDataset(check_sequences(X), np.searchsorted(model.classes_, y))


def test_without_early_stopping_every_sample_is_trained_on(ragged_data):
    X, y = ragged_data
    model = LSTMClassifier(**FAST).fit(X, y)
    assert model.history_[0]["train_batch_count"] == 4  # ceil(120 / 32)
    assert "valid_loss" not in model.history_[0]


def test_gradient_clipping_and_user_callbacks_are_wired(ragged_data):
    class CountEpochs(Callback):
        def initialize(self):
            self.epochs = 0
            return self

        def on_epoch_end(self, net, **kwargs):
            self.epochs += 1

    X, y = ragged_data
    counter = CountEpochs()
    model = LSTMClassifier(gradient_clip=0.5, callbacks=[counter], **FAST).fit(X, y)
    callbacks = dict(model.net_.callbacks_)
    assert isinstance(callbacks["gradient_clip"], GradientNormClipping)
    assert callbacks["gradient_clip"].gradient_clip_value == 0.5
    assert callbacks["CountEpochs"].epochs == 3
    assert not hasattr(counter, "epochs")  # the parameter itself is not mutated


def test_gradient_clip_bounds_the_update():
    """One SGD step with lr=1 moves the weights by exactly the clipped gradient norm."""
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(32, 5)) * 100, rng.randint(0, 2, size=32)

    def step_norm(clip):
        model = RNNClassifier(hidden_size=8, max_epochs=1, lr=1.0, optimizer="sgd", batch_size=32,
                              gradient_clip=clip, random_state=0)
        initial = RNNClassifier(**{**model.get_params(), "max_epochs": 1, "lr": 1e-12}).fit(X, y).module_
        model.fit(X, y)
        deltas = [p - q for p, q in zip(model.module_.parameters(), initial.parameters(), strict=True)]
        return torch.linalg.vector_norm(torch.cat([d.flatten() for d in deltas])).item()

    assert step_norm(0.01) == pytest.approx(0.01, rel=1e-3)
    assert step_norm(None) > 0.1


def test_bad_callbacks_raise():
    with pytest.raises(TypeError, match="callbacks must be skorch callbacks"):
        LSTMClassifier(callbacks=["not a callback"], **FAST).fit(np.ones((4, 3)), [0, 1, 0, 1])


def test_verbose_prints_the_epoch_table(ragged_data, capsys):
    X, y = ragged_data
    LSTMClassifier(**FAST).fit(X, y)
    assert capsys.readouterr().out == ""
    LSTMClassifier(verbose=1, **FAST).fit(X, y)
    captured = capsys.readouterr()
    assert re.search(r"epoch\s+train_loss", captured.out)
    assert len(re.findall(r"^\s+[123]\s", captured.out, re.M)) == 3  # one row per epoch
    assert "0/4 [" in captured.err  # the tqdm progress bar over 4 batches


def test_warm_start_and_partial_fit_continue_training(ragged_data):
    X, y = ragged_data
    model = LSTMClassifier(warm_start=True, **FAST).fit(X, y)
    module = model.module_
    model.fit(X, y)
    assert model.n_iter_ == 6 and model.module_ is module

    online = LSTMClassifier(**FAST)
    with pytest.raises(ValueError, match="classes must be passed on the first call to partial_fit"):
        online.partial_fit(X, y)
    online.partial_fit(X, y, classes=[0, 1]).partial_fit(X, y)
    assert online.n_iter_ == 2
    with pytest.raises(ValueError, match=re.escape("y contains labels not in classes_: [7]")):
        online.partial_fit(X[:2], [0, 7])

    model.set_params(hidden_size=16)
    with pytest.raises(ValueError, match="but hidden_size changed since it was built"):
        model.fit(X, y)


def test_cold_fit_starts_over(ragged_data):
    X, y = ragged_data
    model = LSTMClassifier(**FAST).fit(X, y)
    first = model.predict_proba(X)
    np.testing.assert_array_equal(model.fit(X, y).predict_proba(X), first)
    assert model.n_iter_ == 3


def test_summary_lists_layers_and_counts_parameters():
    model = LSTMClassifier(hidden_size=8, bidirectional=True, num_layers=2, pooling="attention",
                           embedding_dim=5, max_epochs=1, random_state=0)
    model.fit([[2, 3, 4], [5, 6]], ["a", "b"])
    text = model.summary()
    total = sum(p.numel() for p in model.module_.parameters())
    assert f"Total params: {total:,}" in text
    assert "embedding (Embedding)" in text and "(None, T, 5)" in text
    assert "rnn (LSTM)" in text and "(None, T, 16)" in text
    assert "pooling (attention) (SequencePooling)" in text and "head (Linear)" in text
    assert "(None, 2)" in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"hidden_size": 0}, "'hidden_size' parameter of LSTMClassifier must be an int in the range [1, inf)"),
        ({"cell": "mamba"}, "'cell' parameter of LSTMClassifier must be a str among"),
        ({"pooling": "sum"}, "'pooling' parameter of LSTMClassifier must be a str among"),
        ({"dropout": 1.0}, "'dropout' parameter of LSTMClassifier must be a float in the range [0.0, 1.0)"),
    ],
)
def test_invalid_parameters_are_rejected_at_fit(params, message):
    with pytest.raises(InvalidParameterError, match=re.escape(message)):
        LSTMClassifier(**params).fit(np.ones((4, 3)), [0, 1, 0, 1])


def test_device_auto_falls_back_to_cpu(ragged_data):
    X, y = ragged_data
    model = LSTMRegressor(device="auto", **FAST).fit(X, y.astype(float))
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert model.net_.device == expected
    assert next(model.module_.parameters()).device.type == expected


def _token_data():
    rng = np.random.RandomState(0)
    X = [rng.randint(1, 6, size=rng.randint(2, 8)) for _ in range(40)]
    return X, np.array([int(3 in x) for x in X])


@pytest.mark.parametrize("freeze", [True, False])
def test_embedding_weights_initialise_and_optionally_freeze_the_embedding(freeze):
    X, y = _token_data()
    weights = np.random.RandomState(1).normal(size=(6, 3)).astype(np.float32)
    original = weights.copy()
    clf = LSTMClassifier(embedding_weights=weights, freeze_embedding=freeze, hidden_size=4, max_epochs=2,
                         random_state=0).fit(X, y)
    learned = clf.module_.encoder.embedding.weight.detach().numpy()
    assert clf.vocab_size_ == 6 and learned.shape == (6, 3)
    assert np.array_equal(learned, weights) == freeze
    assert np.array_equal(learned[0], weights[0])  # the padding row never trains
    assert np.array_equal(weights, original)  # the caller's array is copied, not trained


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"embedding_dim": 4}, r"embedding_weights has shape \(6, 3\), but embedding_dim=4"),
        ({"vocab_size": 9}, r"embedding_weights has shape \(6, 3\), but vocab_size=9"),
    ],
)
def test_embedding_weights_must_match_the_declared_shape(params, message):
    X, y = _token_data()
    clf = LSTMClassifier(embedding_weights=np.zeros((6, 3)), max_epochs=1, **params)
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)


def test_token_ids_beyond_embedding_weights_are_rejected():
    X, y = _token_data()
    with pytest.raises(ValueError, match="token id 5 is out of range for a vocabulary of 4 ids"):
        LSTMClassifier(embedding_weights=np.zeros((4, 3)), max_epochs=1).fit(X, y)
