"""
=====================================================================
Stacked and bidirectional networks: when each one is needed
=====================================================================

A unidirectional network's state at step :math:`t` has read the steps up to
:math:`t` only; a bidirectional one also has a second network reading from the
end, so each step sees its whole context. Stacking layers (``num_layers=2``)
lets the second layer combine what the first computed. Two many-to-many
targets on random sequences separate the two: at every step :math:`t`, the
sum :math:`x_{t-1} + x_{t+1}` and the product :math:`4\\,x_{t-1} x_{t+1}` of
its two neighbours. Both need the *next* step; the product also needs the two
directions *combined* non-linearly, which the linear output layer over the
concatenated forward and backward states cannot do.

**Takeaway:** (GRU, 16 units, 20 epochs, seed 0) unidirectional networks,
stacked or not, explain only the past half of the sum (R² 0.50) and none of
the product (R² 0.00); one bidirectional layer gets the sum (R² 1.00) but not
the product (0.00); two stacked bidirectional layers get both (1.00 and
1.00). Bidirectionality gives access to the future; depth lets the two
directions interact.
"""

# %%
# The data: random sequences and two targets per step
# ---------------------------------------------------
# 1,500 sequences of 20 values drawn uniformly in [-1, 1]; the steps beyond
# the ends count as 0. ``return_sequences=True`` makes the regressors
# many-to-many of equal length: one prediction per step, here 2 numbers.
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.metrics import r2_score

from sklearn_seq import GRURegressor

torch.set_num_threads(1)  # tiny networks: one thread is fastest

rng = np.random.default_rng(0)
X = rng.uniform(-1, 1, size=(1500, 20))
previous = np.pad(X, ((0, 0), (1, 0)))[:, :-1]
following = np.pad(X, ((0, 0), (0, 1)))[:, 1:]
Y = np.stack([previous + following, 4 * previous * following], axis=-1)  # (n, T, 2)
X_train, X_test, Y_train, Y_test = X[:1000], X[1000:], Y[:1000], Y[1000:]
targets = ["sum of the neighbours", "product of the neighbours"]

# %%
# Four networks: one or two layers, one or two directions
# -------------------------------------------------------
configurations = {
    "1 layer": dict(num_layers=1, bidirectional=False),
    "2 layers (stacked)": dict(num_layers=2, bidirectional=False),
    "1 layer, bidirectional": dict(num_layers=1, bidirectional=True),
    "2 layers, bidirectional": dict(num_layers=2, bidirectional=True),
}
scores, predictions = {}, {}
for name, params in configurations.items():
    model = GRURegressor(hidden_size=16, return_sequences=True, max_epochs=20, lr=1e-2, random_state=0, **params)
    model.fit(X_train, Y_train)
    predictions[name] = np.asarray(model.predict(X_test))
    scores[name] = [r2_score(Y_test[..., k].ravel(), predictions[name][..., k].ravel()) for k in range(2)]

print(f"{'network':26s} {'R² sum':>8s} {'R² product':>11s}")
for name, (r2_sum, r2_product) in scores.items():
    print(f"{name:26s} {r2_sum:8.2f} {r2_product:11.2f}")

# %%
# The scores, and one test sequence
# ---------------------------------
# Left: R² on the 500 test sequences. Right: the product target of one test
# sequence, with the predictions of the one- and two-layer bidirectional
# networks.
fig, (ax_scores, ax_steps) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
positions = np.arange(len(configurations))
for k, (target, color) in enumerate(zip(targets, ["tab:blue", "tab:orange"], strict=True)):
    ax_scores.barh(positions + (k - 0.5) * 0.38, [max(s[k], 0) for s in scores.values()], height=0.38,
                   color=color, label=target)
ax_scores.set_yticks(positions, list(configurations))
ax_scores.invert_yaxis()
ax_scores.set_xlim(0, 1.05)
ax_scores.set_xlabel("R² on the test sequences (negative shown as 0)")
ax_scores.set_title("Which network can compute which target")
ax_scores.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, fontsize=8)  # below the bars

steps = np.arange(1, X.shape[1] + 1)
ax_steps.plot(steps, Y_test[0, :, 1], "k-o", markersize=4, label="target: 4 x[t-1] x[t+1]")
for name, style in [("1 layer, bidirectional", "--"), ("2 layers, bidirectional", "-")]:
    ax_steps.plot(steps, predictions[name][0, :, 1], style, label=name)
ax_steps.set_xlabel("step t")
ax_steps.set_ylabel("product target")
ax_steps.set_title("The product target of one test sequence")
ax_steps.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
plt.show()

# %%
# What it means for real data
# ---------------------------
# A part-of-speech tagger needs the words on both sides of a word, which is
# why :class:`~sklearn_seq.SequenceTagger` is bidirectional (see
# :ref:`sphx_glr_auto_examples_text_plot_pos_tagging.py`). A many-to-one
# classifier reads the whole sequence before it answers, so it needs
# bidirectionality less; there, it mostly shortens the path from the first
# steps to the output.
