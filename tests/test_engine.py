"""The training engine: parameters declared once, changed parameters applied or refused, cross-parameter rules."""

import inspect
import re

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback, EarlyStopping, GradientNormClipping, ProgressBar

from sklearn_seq import (
    CharRNNLanguageModel,
    GRUClassifier,
    GRURegressor,
    LSTMClassifier,
    LSTMRegressor,
    RNNClassifier,
    RNNRegressor,
    Seq2SeqTranslator,
    SequenceAutoencoder,
    SequenceTagger,
)
from sklearn_seq._parameters import PARAMETERS, TRAINING_PARAMETERS
from sklearn_seq.base import BaseSequenceNet

NETWORK_ESTIMATORS = [RNNClassifier, LSTMClassifier, GRUClassifier, RNNRegressor, LSTMRegressor, GRURegressor,
                      SequenceTagger, CharRNNLanguageModel, SequenceAutoencoder, Seq2SeqTranslator]
# Where a task chooses another default than the declaration's, and why.
TASK_DEFAULTS = {
    LSTMClassifier: {"cell": "lstm"}, GRUClassifier: {"cell": "gru"},
    LSTMRegressor: {"cell": "lstm"}, GRURegressor: {"cell": "gru"},
    # A tagger reads words (embedding) in both directions: a tag depends on the words after it.
    SequenceTagger: {"cell": "lstm", "bidirectional": True, "embedding_dim": 64},
    # Symbols are always tokens; characters need fewer dimensions than words.
    CharRNNLanguageModel: {"cell": "lstm", "embedding_dim": 32},
    SequenceAutoencoder: {"cell": "lstm"},
    Seq2SeqTranslator: {"cell": "lstm", "embedding_dim": 32},
}
FAST = {"hidden_size": 8, "max_epochs": 2, "random_state": 0}


def test_every_network_estimator_uses_the_engine():
    assert all(issubclass(cls, BaseSequenceNet) for cls in NETWORK_ESTIMATORS)


@pytest.mark.parametrize("cls", NETWORK_ESTIMATORS, ids=lambda cls: cls.__name__)
def test_signature_defaults_and_constraints_follow_the_declaration(cls):
    signature = inspect.signature(cls.__init__).parameters
    names = list(signature)[1:]
    declared = [name for name in names if name in PARAMETERS]
    first = names.index(TRAINING_PARAMETERS[0])
    assert names[first : first + len(TRAINING_PARAMETERS)] == list(TRAINING_PARAMETERS)  # one block, in order
    for name in declared:
        expected = TASK_DEFAULTS.get(cls, {}).get(name, PARAMETERS[name].default)
        assert signature[name].default == expected, name
        assert cls._parameter_constraints[name] is PARAMETERS[name].constraint, name
        assert re.search(rf"\n    {name} : .*default=", cls.__doc__), f"{name} is not documented with its default"
    assert set(cls._parameter_constraints) == set(names)


def test_docstring_shows_each_flavours_own_default():
    cells = "{'rnn', 'lstm', 'gru', 'peephole_lstm', 'coupled_lstm', 'conv', 'transformer'}"
    assert f"cell : {cells}, default='gru'" in GRUClassifier.__doc__
    assert f"cell : {cells}, default='rnn'" in RNNRegressor.__doc__


def test_flavours_share_the_init_code_and_the_docstring():
    assert LSTMClassifier.__init__.__code__ is RNNClassifier.__init__.__code__
    assert LSTMClassifier().cell == "lstm" and RNNClassifier().cell == "rnn"
    assert GRURegressor(cell="rnn").get_params()["cell"] == "rnn"
    assert "return_sequences : bool, default=False" in LSTMRegressor.__doc__  # the base's sections
    assert ">>> reg = LSTMRegressor(" in LSTMRegressor.__doc__ and "RNNRegressor(" not in LSTMRegressor.__doc__


# -- changed parameters on a fitted network ---------------------------------------------


def _warm_model(X, y, **params):
    return GRUClassifier(lr=0.02, max_epochs=1, warm_start=True, random_state=0, hidden_size=4, **params).fit(X, y)


def test_changed_training_parameters_reach_the_fitted_net(ragged_data):
    X, y = ragged_data
    model = _warm_model(X, y)
    module = model.module_
    model.set_params(lr=1e-5, weight_decay=0.01, batch_size=8, gradient_clip=0.1, early_stopping=True,
                     n_iter_no_change=3, verbose=0).fit(X, y)
    assert model.module_ is module  # continued, not rebuilt
    net = model.net_
    assert [group["lr"] for group in net.optimizer_.param_groups] == [1e-5]
    assert [group["weight_decay"] for group in net.optimizer_.param_groups] == [0.01]
    assert net.batch_size == 8
    callbacks = dict(net.callbacks_)
    assert isinstance(callbacks["gradient_clip"], GradientNormClipping)
    assert callbacks["gradient_clip"].gradient_clip_value == 0.1
    assert isinstance(callbacks["early_stopping"], EarlyStopping) and callbacks["early_stopping"].patience == 3
    assert "valid_loss" in model.history_[-1] and "valid_loss" not in model.history_[0]
    # 12 of 120 sequences held out: the last epoch trained on 108, in batches of at most 8.
    assert sum(batch.get("train_batch_size", 0) for batch in net.history[-1]["batches"]) == 108
    assert max(batch.get("train_batch_size", 0) for batch in net.history[-1]["batches"]) == 8


def test_switching_early_stopping_off_again_trains_on_everything(ragged_data):
    X, y = ragged_data
    model = _warm_model(X, y, early_stopping=True)
    model.set_params(early_stopping=False, verbose=1).fit(X, y)
    assert "early_stopping" not in dict(model.net_.callbacks_)
    assert isinstance(dict(model.net_.callbacks_)["progress_bar"], ProgressBar)
    assert sum(batch.get("train_batch_size", 0) for batch in model.net_.history[-1]["batches"]) == 120


def test_user_callbacks_set_after_fitting_are_used(ragged_data):
    X, y = ragged_data
    seen = []

    class Count(Callback):
        def on_epoch_end(self, net, **kwargs):
            seen.append(len(net.history))

    model = _warm_model(X, y)
    model.set_params(callbacks=[Count()], max_epochs=2).fit(X, y)
    assert seen == [2, 3]


def test_the_same_data_and_parameters_continue_identically(ragged_data):
    """A warm fit that changes nothing gives what two epochs in one fit give (same seeds per epoch)."""
    X, y = ragged_data
    a = _warm_model(X, y).fit(X, y)
    b = _warm_model(X, y).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


@pytest.mark.parametrize("change", [{"optimizer": "sgd"}, {"hidden_size": 8}, {"cell": "lstm"}, {"device": "meta"},
                                    {"class_weight": "balanced"}, {"init": "torch"}])
def test_parameters_the_fitted_net_cannot_take_are_refused(ragged_data, change):
    X, y = ragged_data
    model = _warm_model(X, y)
    (name,) = change
    with pytest.raises(ValueError, match=f"but {name} changed since it was built"):
        model.set_params(**change).fit(X, y)


def test_partial_fit_refuses_early_stopping(ragged_data):
    X, y = ragged_data
    model = GRUClassifier(early_stopping=True, **FAST)
    with pytest.raises(ValueError, match="partial_fit .* holds nothing out for early_stopping"):
        model.partial_fit(X, y, classes=[0, 1])
    model.set_params(early_stopping=False).partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="early_stopping"):
        model.set_params(early_stopping=True).partial_fit(X, y)


def test_partial_fit_applies_a_new_learning_rate(ragged_data):
    X, y = ragged_data
    model = GRUClassifier(**FAST).partial_fit(X, y, classes=[0, 1])
    model.set_params(lr=0.5).partial_fit(X, y)
    assert model.net_.optimizer_.param_groups[0]["lr"] == 0.5 and model.n_iter_ == 2


# -- rules that tie parameters together -----------------------------------------------------


@pytest.mark.parametrize("params, message", [
    ({"vocab_size": 50}, "vocab_size=50 describes an embedding layer"),
    ({"freeze_embedding": True}, "freeze_embedding=True describes an embedding layer"),
    ({"cell": "gru", "forget_bias": 0.0}, "forget_bias=0.0 sets the LSTM's forget gate, but cell='gru'"),
    ({"embedding_weights": np.zeros((5, 3)), "embedding_dim": 4}, r"embedding_weights has shape \(5, 3\)"),
])
def test_parameter_combinations_that_would_be_ignored_are_errors(ragged_data, params, message):
    X, y = ragged_data
    with pytest.raises(ValueError, match=message):
        RNNClassifier(**FAST, **params).fit(X, y)


def test_forget_bias_is_checked_for_every_network_estimator():
    with pytest.raises(ValueError, match="forget_bias"):
        SequenceTagger(cell="gru", forget_bias=2.0, max_epochs=1).fit([["a", "b"]], [["x", "y"]])


# -- class weights are given by label -------------------------------------------------------


@pytest.mark.parametrize("labels", [[1, 2], ["neg", "pos"]])
def test_class_weight_dict_is_read_by_label(labels):
    X = np.random.RandomState(0).randn(30, 4)
    y = np.repeat(labels, 15)
    model = GRUClassifier(hidden_size=4, max_epochs=1, class_weight={labels[0]: 10.0}, random_state=0).fit(X, y)
    torch.testing.assert_close(model.net_.criterion_.weight, torch.tensor([10.0, 1.0]))
    model.set_params(class_weight={labels[0]: 1.0, labels[1]: 10.0}).fit(X, y)
    torch.testing.assert_close(model.net_.criterion_.weight, torch.tensor([1.0, 10.0]))


def test_balanced_class_weight_follows_the_data_of_each_warm_fit():
    X = np.random.RandomState(0).randn(100, 5)
    y = np.r_[np.zeros(90, int), np.ones(10, int)]
    model = GRUClassifier(hidden_size=4, max_epochs=1, warm_start=True, class_weight="balanced", random_state=0)
    model.fit(X, y)
    optimizer_state = model.net_.optimizer_.state_dict()["state"]
    model.fit(X, 1 - y)
    torch.testing.assert_close(model.net_.criterion_.weight, torch.tensor([100 / 20, 100 / 180]))
    assert model.net_.optimizer_.state_dict()["state"].keys() == optimizer_state.keys()  # Adam's moments kept
    with pytest.raises(ValueError, match="class_weight='balanced' weighs the classes by their frequencies"):
        model.partial_fit(X, y)


def test_bucket_by_length_is_refused_after_fitting_and_leaves_the_net_as_it_was(ragged_data):
    X, y = ragged_data
    model = _warm_model(X, y)
    with pytest.raises(ValueError, match="but bucket_by_length changed since it was built"):
        model.set_params(bucket_by_length=True).fit(X, y)
    assert model.net_.iterator_train__bucket_by_length is False
    assert model.set_params(bucket_by_length=False).fit(X, y).n_iter_ == 2


@pytest.mark.parametrize("cls, X, y, classes", [
    (GRUClassifier, np.zeros((4, 3)), [0, 1, 0, 1], [0, 1]),
    (SequenceTagger, [["a", "b"], ["c"]], [["D", "N"], ["N"]], ["D", "N"]),
])
def test_partial_fit_refuses_other_classes_than_its_first_call(cls, X, y, classes):
    model = cls(hidden_size=4, max_epochs=1, random_state=0).partial_fit(X, y, classes=classes)
    model.partial_fit(X, y, classes=classes)  # the same ones again are fine
    with pytest.raises(ValueError, match=r"classes=\[.*\] differs from classes_=\[.*\] of the first call"):
        model.partial_fit(X, y, classes=[*classes, "Q"])


def test_max_epochs_reaches_the_fitted_net(ragged_data):
    X, y = ragged_data
    model = _warm_model(X, y).set_params(max_epochs=3).fit(X, y)
    assert model.net_.max_epochs == 3 and model.n_iter_ == 4


def test_training_only_parameters_changed_after_fitting_leave_predictions_alone(ragged_data):
    X, y = ragged_data
    model = _warm_model(X, y, class_weight="balanced")
    expected = model.predict_proba(X)
    model.set_params(optimizer="sgd", class_weight=None, bucket_by_length=True, lr=0.5, max_epochs=9)
    np.testing.assert_array_equal(model.predict_proba(X), expected)
    with pytest.raises(ValueError, match="hidden_size changed since the network was fitted"):
        model.set_params(hidden_size=16).predict(X)
