"""Diagrams of the user guide, drawn with matplotlib when the documentation is built.

``sequence_tasks.png`` (the five task shapes), ``rnn_unrolled.png``, ``lstm_cell.png``,
``gru_cell.png`` and ``attention.png`` are written to ``docs/_diagrams/`` (ignored by git)
whenever this file is newer than them, before sphinx-gallery and the readers run. Pages
include them with ``.. figure:: /_diagrams/NAME.png``. Run it alone to look at them::

    python docs/_ext/diagrams.py
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "_diagrams"
# One colour per role, the same in every diagram: inputs, hidden states, outputs, gates.
INPUT, HIDDEN, OUTPUT, GATE, OP = "#d9ead3", "#cfe2f3", "#f4cccc", "#fff2cc", "#ffffff"


def _box(ax, x, y, text, color, *, w=0.8, h=0.6, size=11):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.08",
                                facecolor=color, edgecolor="#333333", linewidth=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=size)


def _arrow(ax, start, end, *, color="#333333", style="-|>", rad=0.0, text=None, size=10, lw=1.3):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12, color=color, linewidth=lw,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=2, shrinkB=2))
    if text:
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.12, text, ha="center", va="bottom",
                fontsize=size, color=color)


def _canvas(width, height, xlim, ylim):
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _save(fig, name):
    fig.savefig(OUT / name, dpi=150, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def sequence_tasks():
    """One-to-one, one-to-many, many-to-one, many-to-many (equal lengths), sequence to sequence."""
    fig, axes = plt.subplots(1, 5, figsize=(15, 3.6), gridspec_kw={"width_ratios": [1, 3, 3, 3, 5]})
    shapes = [  # (title, estimator, input steps, output steps, offset of the outputs)
        ("one-to-one", "MLP, SVM, ...", [0], [0]),
        ("one-to-many", "CharRNNLanguageModel.sample", [0], [0, 1, 2]),
        ("many-to-one", "RNNClassifier, RNNRegressor", [0, 1, 2], [2]),
        ("many-to-many, equal lengths", "SequenceTagger", [0, 1, 2], [0, 1, 2]),
        ("sequence to sequence", "Seq2SeqTranslator", [0, 1, 2], [3, 4]),
    ]
    for ax, (title, estimator, inputs, outputs) in zip(axes, shapes, strict=True):
        steps = max(inputs + outputs) + 1
        ax.set_xlim(-0.6, steps - 0.4)
        ax.set_ylim(-0.7, 3.0)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(f"{title}\n{estimator}", fontsize=10)
        for t in range(steps):
            _box(ax, t, 1.15, "", HIDDEN, w=0.6, h=0.5)
            if t:
                _arrow(ax, (t - 0.7, 1.15), (t - 0.3, 1.15))
        for t in inputs:
            _box(ax, t, 0, "x", INPUT, w=0.6, h=0.5)
            _arrow(ax, (t, 0.25), (t, 0.9))
        for t in outputs:
            _box(ax, t, 2.3, "y", OUTPUT, w=0.6, h=0.5)
            _arrow(ax, (t, 1.4), (t, 2.05))
        if outputs[0] > inputs[-1]:  # the decoder feeds back what it produced
            for t in outputs[:-1]:
                _arrow(ax, (t + 0.2, 2.05), (t + 0.8, 1.4), color="#888888", rad=0.0)
    fig.text(0.5, 0.06, "green: inputs x  ·  blue: hidden state h (one box per step)  ·  red: outputs y",
             ha="center", fontsize=10)
    _save(fig, "sequence_tasks.png")


def rnn_unrolled():
    """The folded Elman cell and the same cell unrolled over four steps, sharing its weights."""
    fig, ax = _canvas(11, 3.9, (-1.2, 9.8), (-1.2, 3.0))
    _box(ax, 0, 1.1, "$h$", HIDDEN)
    _box(ax, 0, -0.2, "$x$", INPUT)
    _box(ax, 0, 2.4, "$y$", OUTPUT)
    _arrow(ax, (0, 0.1), (0, 0.8), text=None)
    _arrow(ax, (0, 1.4), (0, 2.1))
    _arrow(ax, (0.4, 1.25), (0.4, 0.95), rad=-2.2, text=None)
    ax.text(0.95, 1.1, "$W_h$", fontsize=11, va="center")
    ax.text(1.75, 1.1, "=", fontsize=20, va="center", ha="center")
    for i, t in enumerate(range(1, 5)):
        x = 3.6 + 1.7 * i
        _box(ax, x, 1.1, f"$h_{t}$", HIDDEN)
        _box(ax, x, -0.2, f"$x_{t}$", INPUT)
        _box(ax, x, 2.4, f"$y_{t}$", OUTPUT)
        _arrow(ax, (x, 0.1), (x, 0.8))
        ax.text(x + 0.08, 0.45, "$W_x$", fontsize=9)
        _arrow(ax, (x, 1.4), (x, 2.1))
        ax.text(x + 0.08, 1.75, "$W_y$", fontsize=9)
        _arrow(ax, (x - 1.3 if i else x - 1.05, 1.1), (x - 0.4, 1.1), text="$W_h$" if i else "$h_0 = 0$", size=9)
    ax.text(3.6 + 1.7 * 1.5, -1.0, r"$h_t = \tanh(W_x x_t + W_h h_{t-1} + b)$   (the same $W_x, W_h, b$ at every step)",
            ha="center", fontsize=11)
    _save(fig, "rnn_unrolled.png")


def _gate(ax, x, y, name, label):
    _box(ax, x, y, name, GATE, w=0.7, h=0.5, size=11)
    ax.text(x, y - 0.42, label, ha="center", va="top", fontsize=8, color="#555555")


def _op(ax, x, y, symbol):
    ax.add_patch(plt.Circle((x, y), 0.22, facecolor=OP, edgecolor="#333333", linewidth=1.2))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=12)


def lstm_cell():
    """The LSTM cell: forget, input and output gates, the candidate, the cell state highway."""
    fig, ax = _canvas(10, 5.4, (-1.5, 8.5), (-1.6, 4.2))
    ax.add_patch(FancyBboxPatch((-0.4, -0.6), 7.2, 4.0, boxstyle="round,pad=0.05", facecolor="#f7f7f7",
                                edgecolor="#999999"))
    # the cell state runs along the top, touched only by a product and a sum
    _arrow(ax, (-1.3, 3.0), (1.28, 3.0))
    ax.text(-1.3, 3.15, "$c_{t-1}$", fontsize=12)
    _op(ax, 1.5, 3.0, "×")
    _arrow(ax, (1.72, 3.0), (3.78, 3.0))
    _op(ax, 4.0, 3.0, "+")
    _arrow(ax, (4.22, 3.0), (8.3, 3.0))
    ax.text(7.9, 3.15, "$c_t$", fontsize=12)
    # the four layers read [h_{t-1}, x_t]
    _arrow(ax, (-1.3, 0.0), (5.9, 0.0), style="-")
    ax.text(-1.3, 0.15, "$h_{t-1}$", fontsize=12)
    _box(ax, 0.2, -1.2, "$x_t$", INPUT, w=0.7, h=0.5)
    _arrow(ax, (0.2, -0.95), (0.2, 0.0), style="-")
    gates = [(1.5, "$f_t$", "forget: σ"), (2.8, "$i_t$", "input: σ"), (4.2, "$g_t$", "candidate: tanh"),
             (5.6, "$o_t$", "output: σ")]
    for x, name, label in gates:
        _arrow(ax, (x, 0.0), (x, 0.95))
        _gate(ax, x, 1.2, name, "")
        ax.text(x, 0.55, label, ha="center", fontsize=8, color="#555555",
                bbox={"facecolor": "#f7f7f7", "edgecolor": "none", "pad": 0.5})
    _arrow(ax, (1.5, 1.45), (1.5, 2.78))
    _op(ax, 3.5, 2.1, "×")
    _arrow(ax, (2.8, 1.45), (3.33, 1.95))
    _arrow(ax, (4.2, 1.45), (3.67, 1.95))
    _arrow(ax, (3.5, 2.32), (3.85, 2.85))
    # output: h_t = o_t * tanh(c_t)
    _box(ax, 5.6, 2.45, "tanh", OP, w=0.7, h=0.4, size=9)
    _arrow(ax, (5.6, 3.0), (5.6, 2.65))
    _op(ax, 6.3, 1.9, "×")
    _arrow(ax, (5.95, 2.4), (6.12, 2.05))
    _arrow(ax, (5.95, 1.2), (6.1, 1.75))
    _arrow(ax, (6.52, 1.9), (8.3, 1.9))
    ax.text(7.9, 2.05, "$h_t$", fontsize=12)
    ax.text(3.5, -1.45, r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t, \quad h_t = o_t \odot \tanh(c_t)$",
            ha="center", fontsize=11)
    _save(fig, "lstm_cell.png")


def gru_cell():
    """The GRU cell: reset and update gates, one state, a mix of the old state and the candidate."""
    fig, ax = _canvas(10, 5.8, (-1.5, 8.5), (-2.1, 4.2))
    ax.add_patch(FancyBboxPatch((-0.4, -0.6), 7.2, 4.0, boxstyle="round,pad=0.05", facecolor="#f7f7f7",
                                edgecolor="#999999"))
    _arrow(ax, (-1.3, 3.0), (2.28, 3.0))
    ax.text(-1.3, 3.15, "$h_{t-1}$", fontsize=12)
    _op(ax, 2.5, 3.0, "×")
    _arrow(ax, (2.72, 3.0), (4.78, 3.0))
    _op(ax, 5.0, 3.0, "+")
    _arrow(ax, (5.22, 3.0), (8.3, 3.0))
    ax.text(7.9, 3.15, "$h_t$", fontsize=12)
    _arrow(ax, (-0.9, 3.0), (-0.9, 0.0), style="-")
    _arrow(ax, (-0.9, 0.0), (3.9, 0.0), style="-")
    _box(ax, 0.2, -1.2, "$x_t$", INPUT, w=0.7, h=0.5)
    _arrow(ax, (0.2, -0.95), (0.2, 0.0), style="-")
    for x, name, label in [(1.0, "$r_t$", "reset: σ"), (2.5, "$z_t$", "update: σ")]:
        _arrow(ax, (x, 0.0), (x, 0.95))
        _gate(ax, x, 1.2, name, "")
        ax.text(x, 0.55, label, ha="center", fontsize=8, color="#555555",
                bbox={"facecolor": "#f7f7f7", "edgecolor": "none", "pad": 0.5})
    # PyTorch's convention, as the user guide: z_t keeps the old state, 1 - z_t lets the candidate in
    _arrow(ax, (2.5, 1.45), (2.5, 2.78))
    _arrow(ax, (2.85, 1.2), (4.3, 1.2), style="-")
    _box(ax, 4.55, 1.2, "1 −", OP, w=0.5, h=0.38, size=9)
    _arrow(ax, (4.8, 1.2), (5.0, 1.2), style="-")
    _op(ax, 5.0, 2.1, "×")
    _arrow(ax, (5.0, 1.2), (5.0, 1.88))
    _arrow(ax, (5.0, 2.32), (5.0, 2.78))
    # candidate: tanh(W x_t + U (r_t * h_{t-1}))
    _op(ax, 1.0, 1.85, "×")
    _arrow(ax, (1.0, 1.45), (1.0, 1.63))
    _arrow(ax, (-0.9, 1.85), (0.78, 1.85))
    _gate(ax, 3.9, 2.1, "$n_t$", "")
    ax.text(3.9, 2.45, "candidate: tanh", ha="center", fontsize=8, color="#555555")
    _arrow(ax, (1.22, 1.85), (3.55, 2.0))
    _arrow(ax, (3.9, 0.0), (3.9, 1.85))
    _arrow(ax, (4.25, 2.1), (4.78, 2.1))
    ax.text(3.5, -1.9, r"$h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}, \quad "
            r"n_t = \tanh(W_{in} x_t + r_t \odot (W_{hn} h_{t-1}))$  (biases left out)", ha="center", fontsize=11)
    _save(fig, "gru_cell.png")


def attention():
    """Encoder-decoder with attention: the decoder state scores every encoder state."""
    fig, ax = _canvas(11, 5.4, (-1.0, 10.0), (-1.3, 4.4))
    sources = ["le", "chat", "noir", "<eos>"]
    for i, word in enumerate(sources):
        _box(ax, i * 1.2, -0.7, word, INPUT, w=0.9, h=0.45, size=9)
        _box(ax, i * 1.2, 0.4, f"$h_{i + 1}$", HIDDEN, w=0.8, h=0.55)
        _arrow(ax, (i * 1.2, -0.47), (i * 1.2, 0.12))
        if i:
            _arrow(ax, ((i - 1) * 1.2 + 0.4, 0.4), (i * 1.2 - 0.4, 0.4))
    ax.text(1.8, -1.25, "encoder (reads the source)", ha="center", fontsize=10)
    weights = [0.1, 0.15, 0.7, 0.05]
    _box(ax, 1.8, 2.4, "$c_t = \\sum_j \\alpha_{tj} h_j$", GATE, w=2.3, h=0.6, size=10)
    for i, a in enumerate(weights):
        _arrow(ax, (i * 1.2, 0.7), (1.8 + (i - 1.5) * 0.4, 2.1), color="#c0504d", lw=0.6 + 5 * a)
        ax.text((i * 1.2 + 1.8 + (i - 1.5) * 0.4) / 2 + 0.1, 1.4, f"$\\alpha_{{t{i + 1}}}$={a:.2f}", fontsize=8,
                color="#c0504d", ha="left", bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    for k, word in enumerate(["the", "black", "cat"]):
        x = 5.5 + k * 1.5
        _box(ax, x, 2.4, f"$s_{k + 1}$", HIDDEN, w=0.8, h=0.55)
        _box(ax, x, 3.8, word, OUTPUT, w=0.9, h=0.45, size=9)
        _arrow(ax, (x, 2.68), (x, 3.55))
        if k:
            _arrow(ax, (x - 1.1, 2.4), (x - 0.4, 2.4))
    _arrow(ax, (2.95, 2.5), (6.65, 2.65), color="#c0504d", rad=-0.35)
    ax.text(3.0, 3.5, "context $c_t$ enters decoder step $t$", ha="center", fontsize=9, color="#c0504d")
    ax.text(7.0, 1.55, "decoder (writes the target);\nat step $t$, $\\alpha_{tj} = \\mathrm{softmax}_j"
            "(\\mathrm{score}(s_{t-1}, h_j))$", ha="center", fontsize=9)
    _save(fig, "attention.png")


DIAGRAMS = [sequence_tasks, rnn_unrolled, lstm_cell, gru_cell, attention]


def draw_all(force=False):
    """Draw every diagram that is missing or older than this file."""
    OUT.mkdir(exist_ok=True)
    source_time = Path(__file__).stat().st_mtime
    for draw in DIAGRAMS:
        target = OUT / f"{draw.__name__}.png"
        if force or not target.exists() or target.stat().st_mtime < source_time:
            draw()


def _on_config_inited(app, config):
    draw_all()


def setup(app):
    # config-inited: before sphinx-gallery (builder-inited), which may use one as a thumbnail
    app.connect("config-inited", _on_config_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    draw_all(force=True)
    print(f"written to {OUT}")
