"""Training faults: a diverging loss, an interrupted fit, a process killed mid-fit and resumed."""

import os
import signal
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback

from sklearn_seq import GRUClassifier, GRURegressor, SequenceTagger, _faults

X = np.random.RandomState(0).randn(60, 5)
Y = X.sum(axis=1)
DIVERGING = {"hidden_size": 8, "lr": 50, "optimizer": "sgd", "max_epochs": 6, "random_state": 0}


def _all_finite(estimator):
    return all(torch.isfinite(p).all() for p in estimator.module_.parameters())


def test_a_diverging_fit_raises_and_leaves_the_estimator_unfitted():
    model = GRURegressor(**DIVERGING)
    with pytest.raises(ValueError, match=r"Training diverged in epoch \d: .*Lower the learning rate \(lr=50\) or set "
                                         r"gradient_clip.*left unfitted"):
        model.fit(X, Y)
    with pytest.raises(NotFittedError):
        model.predict(X)
    # The cure the message suggests works.
    assert np.isfinite(model.set_params(lr=0.01).fit(X, Y).predict(X)).all()


def test_a_diverging_warm_start_returns_to_the_fitted_model():
    model = GRURegressor(**{**DIVERGING, "lr": 0.01, "max_epochs": 2, "warm_start": True}).fit(X, Y)
    before = model.predict(X)
    with pytest.raises(ValueError, match="left as it was before this fit"):
        model.fit(X, np.full(60, 1.8e19))  # each square fits float32, their batch sum does not: inf at once
    np.testing.assert_array_equal(model.predict(X), before)
    assert model.n_iter_ == 2


def test_a_non_finite_input_loss_stops_at_the_first_batch():
    """A loss that is inf from the start (huge targets) stops in epoch 1, not after max_epochs of NaN."""
    with pytest.raises(ValueError, match=r"Training diverged in epoch 1: a training batch's loss is inf"):
        GRURegressor(hidden_size=4, max_epochs=50, random_state=0).fit(X, np.full(60, 1.8e19))


def test_early_stopping_restores_its_best_weights_instead_of_raising():
    model = GRURegressor(**DIVERGING, early_stopping=True, n_iter_no_change=10)
    with pytest.warns(UserWarning, match=r"Training diverged in epoch (\d).*The weights of epoch (\d), early "
                                         r"stopping's best, were restored") as record:
        model.fit(X, Y)
    best = dict(model.net_.callbacks_)["early_stopping"]
    assert f"weights of epoch {best.best_epoch_}," in str(record[0].message)
    assert best.best_epoch_ < model.n_iter_
    assert _all_finite(model) and np.isfinite(model.predict(X)).all()


@pytest.mark.parametrize("params", [
    DIVERGING, {**DIVERGING, "early_stopping": True}, {**DIVERGING, "lr": 5}, {**DIVERGING, "lr": 1},
    {**DIVERGING, "gradient_clip": 1.0}, {**DIVERGING, "lr": 0.5, "optimizer": "adam"},
])
def test_predict_after_any_fit_is_finite_or_the_fit_raised(params):
    model = GRURegressor(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            model.fit(X, Y)
        except ValueError as error:
            assert "Training diverged" in str(error)
            return
    assert np.isfinite(model.predict(X)).all()


class _InterruptAt(Callback):
    """Raise KeyboardInterrupt (what Ctrl-C does) at the end or the start of an epoch."""

    def __init__(self, epoch, when="on_epoch_end"):
        self.epoch = epoch
        self.when = when

    def on_epoch_end(self, net, **kwargs):
        if self.when == "on_epoch_end" and len(net.history) == self.epoch:
            raise KeyboardInterrupt

    def on_batch_end(self, net, **kwargs):
        if self.when == "on_batch_end" and len(net.history) == self.epoch:
            raise KeyboardInterrupt


@pytest.mark.parametrize("when, done", [("on_epoch_end", 2), ("on_batch_end", 1)])
def test_keyboard_interrupt_leaves_a_usable_estimator_with_the_epochs_done(when, done):
    model = GRUClassifier(hidden_size=4, max_epochs=5, random_state=0, callbacks=[_InterruptAt(2, when)])
    with pytest.warns(UserWarning, match=rf"interrupted \(KeyboardInterrupt\) after {done} of 5 epochs.*"
                                         rf"n_iter_={done}"):
        model.fit(X, Y > 0)
    assert model.n_iter_ == done and len(model.loss_curve_) == done and np.isfinite(model.loss_curve_).all()
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    if when == "on_epoch_end":  # stopped between epochs: the model of a 2-epoch fit
        np.testing.assert_array_equal(proba, GRUClassifier(hidden_size=4, max_epochs=2, random_state=0)
                                      .fit(X, Y > 0).predict_proba(X))


def test_early_stopping_is_no_interruption(recwarn):
    model = GRUClassifier(hidden_size=4, max_epochs=50, lr=0.05, early_stopping=True, n_iter_no_change=1,
                          random_state=0).fit(X, Y > 0)
    assert model.n_iter_ < 50
    assert not [w for w in recwarn if "interrupted" in str(w.message)]


# -- checkpoints ----------------------------------------------------------------------------

RESUMABLE = {"hidden_size": 8, "max_epochs": 6, "dropout": 0.3, "num_layers": 2, "batch_size": 16,
             "checkpoint_every": 3, "random_state": 0}


def _killed_mid_fit(directory):
    """Fit in a subprocess that is SIGKILLed in epoch 5, after the epoch-3 checkpoint; return its checkpoints."""
    script = textwrap.dedent(f"""
        import sys, time
        import numpy as np
        from skorch.callbacks import Callback
        from sklearn_seq import GRURegressor

        class Hang(Callback):
            def on_batch_end(self, net, **kwargs):
                if len(net.history) == 5:
                    print("in epoch 5", flush=True)
                    time.sleep(600)

        X = np.random.RandomState(0).randn(60, 5)
        GRURegressor(**{RESUMABLE!r}, checkpoint_dir={str(directory)!r}, callbacks=[Hang()]).fit(X, X.sum(axis=1))
    """)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]), "OMP_NUM_THREADS": "1"}
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert process.stdout.readline() == "in epoch 5\n"
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
    finally:
        process.kill()
    return sorted(path.name for path in directory.iterdir())


@pytest.mark.slow
def test_a_fit_killed_mid_way_resumes_to_the_weights_of_an_uninterrupted_one(tmp_path):
    assert _killed_mid_fit(tmp_path) == ["epoch-000003", "model.json"]
    resumed = GRURegressor(**RESUMABLE, checkpoint_dir=str(tmp_path)).fit(X, Y)
    uninterrupted = GRURegressor(**RESUMABLE).fit(X, Y)
    assert resumed.n_iter_ == 6
    np.testing.assert_array_equal(resumed.loss_curve_, uninterrupted.loss_curve_)
    for (name, a), (_, b) in zip(resumed.module_.state_dict().items(), uninterrupted.module_.state_dict().items(),
                                 strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0, msg=name)  # bit for bit
    assert list(tmp_path.iterdir()) == []  # a fit that ended removes its checkpoint


def test_a_checkpoint_of_another_model_is_refused(tmp_path):
    with pytest.warns(UserWarning, match="fit resumes from checkpoint_dir"):
        GRURegressor(**RESUMABLE, checkpoint_dir=tmp_path, callbacks=[_InterruptAt(4)]).fit(X, Y)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epoch-000003", "model.json"]
    with pytest.raises(ValueError, match=r"holds a checkpoint of another model \(hidden_size differ\)"):
        GRURegressor(**{**RESUMABLE, "hidden_size": 4}, checkpoint_dir=tmp_path).fit(X, Y)
    with pytest.raises(ValueError, match=r"another model \(the training data differ\)"):
        GRURegressor(**RESUMABLE, checkpoint_dir=tmp_path).fit(X, -Y)
    with pytest.raises(ValueError, match=r"another model \(the estimator class differ\)"):
        GRUClassifier(**RESUMABLE, checkpoint_dir=tmp_path).fit(X, Y > 0)
    # The matching model resumes: three epochs after the checkpoint's three.
    model = GRURegressor(**{**RESUMABLE, "verbose": 0}, checkpoint_dir=tmp_path).fit(X, Y)
    assert model.n_iter_ == 6 and list(tmp_path.iterdir()) == []


def test_checkpoints_are_written_every_n_epochs_and_only_the_newest_is_kept(tmp_path):
    seen = []

    class Look(Callback):
        def on_epoch_end(self, net, **kwargs):
            seen.append(sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("epoch-")))

    GRURegressor(**{**RESUMABLE, "checkpoint_every": 2}, checkpoint_dir=tmp_path, callbacks=[Look()]).fit(X, Y)
    # Look runs before the checkpoint callback of the same epoch: it sees the previous ones.
    assert seen == [[], [], ["epoch-000002"], ["epoch-000002"], ["epoch-000004"], ["epoch-000004"]]


def test_partial_fit_refuses_checkpoint_dir(tmp_path):
    with pytest.raises(ValueError, match="partial_fit trains one epoch per call"):
        SequenceTagger(max_epochs=1, checkpoint_dir=tmp_path).partial_fit([["a"]], [["D"]])


def test_checkpoints_refuse_early_stopping_and_a_file_and_ignore_other_folders(tmp_path):
    X, y = np.random.RandomState(0).randn(30, 4), np.arange(30) % 2
    with pytest.raises(ValueError, match="checkpoint_dir resumes a killed fit exactly, but not early stopping"):
        GRUClassifier(max_epochs=1, early_stopping=True, checkpoint_dir=tmp_path).fit(X, y)
    a_file = tmp_path / "file"
    a_file.write_text("")
    with pytest.raises(ValueError, match="is a file; give a directory"):
        GRUClassifier(max_epochs=1, checkpoint_dir=a_file).fit(X, y)
    (tmp_path / "epoch-results").mkdir()  # the user's, not a checkpoint
    GRUClassifier(hidden_size=4, max_epochs=1, checkpoint_dir=tmp_path).fit(X, y)
    assert (tmp_path / "epoch-results").is_dir()


def test_a_changed_dict_parameter_is_a_different_model(tmp_path):
    X, y = np.random.RandomState(0).randn(30, 4), np.arange(30) % 2
    first = GRUClassifier(hidden_size=4, class_weight={0: 1, 1: 50}, random_state=0)
    second = GRUClassifier(hidden_size=4, class_weight={0: 1, 1: 1}, random_state=0)
    dataset = first._build_dataset(X, y, reset=True)
    assert _faults.fingerprint(first, dataset) != _faults.fingerprint(second, dataset)
    assert _faults.fingerprint(first, dataset) == _faults.fingerprint(clone(first), dataset)


def test_a_diverged_fit_leaves_no_checkpoint_to_block_the_remedy(tmp_path):
    X = np.random.RandomState(0).randn(40, 5)
    y = X.sum(axis=1)
    with pytest.raises(ValueError, match="Training diverged"):
        GRURegressor(optimizer="sgd", lr=50, random_state=0, checkpoint_dir=tmp_path).fit(X, y)
    assert not list(tmp_path.iterdir())
    GRURegressor(optimizer="sgd", lr=0.01, max_epochs=2, random_state=0, checkpoint_dir=tmp_path).fit(X, y)
