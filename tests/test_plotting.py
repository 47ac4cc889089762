"""plot_history and plot_attention: what they draw, their errors, and matplotlib as an optional dependency."""

import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402
from sklearn.exceptions import ConvergenceWarning, NotFittedError  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402

from sklearn_seq import GRURegressor, LSTMClassifier  # noqa: E402
from sklearn_seq.plotting import plot_attention, plot_history  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures_one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny networks: one thread is fastest on shared cores
    yield
    torch.set_num_threads(threads)
    plt.close("all")


HISTORY = [
    {"epoch": 1, "train_batch_count": 3, "dur": 0.1, "train_loss": 1.0, "train_loss_best": True,
     "valid_loss": 1.2, "valid_loss_best": True, "valid_acc": 0.5, "event_lr": 0.01},
    {"epoch": 2, "train_batch_count": 3, "dur": 0.1, "train_loss": 0.6, "train_loss_best": True,
     "valid_loss": 0.9, "valid_loss_best": True, "valid_acc": 0.7, "event_lr": 0.01},
    {"epoch": 3, "train_batch_count": 3, "dur": 0.1, "train_loss": 0.4, "train_loss_best": True,
     "valid_loss": 1.0, "valid_loss_best": False, "valid_acc": 0.6, "event_lr": 0.01},
]


def test_plot_history_draws_losses_scores_and_the_best_epoch():
    ax = plot_history(HISTORY)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines) == ["train_loss", "valid_loss", "best epoch"]
    np.testing.assert_array_equal(lines["train_loss"].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(lines["train_loss"].get_ydata(), [1.0, 0.6, 0.4])
    np.testing.assert_array_equal(lines["best epoch"].get_xdata(), [2, 2])  # lowest valid_loss
    scores = ax.right_ax.get_lines()
    assert [line.get_label() for line in scores] == ["valid_acc"]
    np.testing.assert_array_equal(scores[0].get_ydata(), [0.5, 0.7, 0.6])
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.right_ax.get_ylabel()) == ("epoch", "loss", "score")
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "train_loss", "valid_loss", "best epoch", "valid_acc"]


def test_plot_history_keys_ax_and_log_scale():
    fig, ax = plt.subplots()
    returned = plot_history(HISTORY, keys=["valid_loss"], ax=ax, log_scale=True)
    assert returned is ax and ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.get_lines()] == ["valid_loss", "best epoch"]
    assert not hasattr(ax, "right_ax")
    with pytest.raises(ValueError, match="No entry 'valid_f1'"):
        plot_history(HISTORY, keys=["valid_f1"])


def test_plot_history_of_fitted_estimators():
    X = np.random.RandomState(0).uniform(-1, 1, size=(60, 4))
    reg = GRURegressor(hidden_size=4, max_epochs=3, random_state=0).fit(X, X.sum(axis=1))
    ax = plot_history(reg)
    (line,) = ax.get_lines()  # no validation: the training loss only
    assert line.get_label() == "train_loss"
    np.testing.assert_allclose(line.get_ydata(), reg.loss_curve_)
    ax = plot_history(reg.net_)  # the skorch net itself
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), reg.loss_curve_)
    mlp = MLPRegressor(hidden_layer_sizes=(4,), max_iter=5, early_stopping=True, random_state=0)
    with pytest.warns(ConvergenceWarning):
        mlp.fit(X, X.sum(axis=1))
    ax = plot_history(mlp)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), mlp.loss_curve_)
    assert [line.get_label() for line in ax.right_ax.get_lines()] == ["valid_score"]


def test_plot_history_errors():
    with pytest.raises(NotFittedError):
        plot_history(GRURegressor())
    with pytest.raises(TypeError, match="has no epoch log"):
        plot_history(object())
    with pytest.raises(ValueError, match="non-empty list of dicts"):
        plot_history([])


def test_plot_attention_one_sequence_with_tokens():
    ax = plot_attention(np.array([0.2, 0.5, 0.3]), tokens=["a", "good", "film"])
    image = ax.images[0]
    np.testing.assert_array_equal(image.get_array(), [[0.2, 0.5, 0.3]])
    assert [label.get_text() for label in ax.get_xticklabels()] == ["a", "good", "film"]
    assert list(ax.get_yticks()) == []
    assert len(ax.figure.axes) == 2 and ax.figure.axes[1].get_ylabel() == "attention weight"


def test_plot_attention_ragged_rows_tokens_in_cells():
    weights = [np.array([0.5, 0.5]), np.array([0.1, 0.2, 0.7])]  # as attention_weights returns them
    ax = plot_attention(weights, tokens=[["so", "bad"], ["not", "bad", "at all"]], row_labels=["r1", "r2"],
                        colorbar=False)
    matrix = ax.images[0].get_array()
    assert matrix.shape == (2, 3) and matrix.mask[0, 2] and not matrix.mask[1].any()  # padding is blank
    assert [text.get_text() for text in ax.texts] == ["so", "bad", "not", "bad", "at all"]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["r1", "r2"]
    assert len(ax.figure.axes) == 1


def test_plot_attention_alignment_matrix():
    alignment = np.eye(3)[::-1]
    ax = plot_attention(alignment, tokens=["le", "chat", "noir"], row_labels=["the", "black", "cat"][::-1])
    np.testing.assert_array_equal(ax.images[0].get_array(), alignment)
    assert [label.get_text() for label in ax.get_xticklabels()] == ["le", "chat", "noir"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": [0.5, 0.5], "tokens": ["a"]}, "tokens has 1 labels, but the weights have 2 columns"),
        ({"weights": [[0.5, 0.5]], "row_labels": ["a", "b"]}, "row_labels has 2 labels"),
        ({"weights": [[0.5, 0.5]], "tokens": [["a"], ["b"]]}, "tokens has 2 rows of tokens"),
        ({"weights": [-0.1, 1.1]}, "non-negative"),
        ({"weights": np.zeros((2, 2, 2))}, "got shape"),
    ],
)
def test_plot_attention_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_attention(**kwargs)


def test_plot_attention_of_a_fitted_classifier():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 5))
    clf = LSTMClassifier(hidden_size=4, pooling="attention", max_epochs=2, random_state=0).fit(X, X[:, 0] > 0)
    weights = clf.attention_weights(X[:3])
    ax = plot_attention(weights)
    np.testing.assert_allclose(ax.images[0].get_array(), np.vstack(weights))


@pytest.mark.parametrize("plot", [lambda: plot_history(HISTORY), lambda: plot_attention([1.0])])
def test_missing_matplotlib_names_the_plots_extra(plot, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib...` raise ImportError
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r'pip install "sklearn-seq\[plots\]"'):
        plot()
