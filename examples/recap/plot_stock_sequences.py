"""
==========================================================================
Many-to-many forecasting: the last 20 days in, the same days shifted out
==========================================================================

The lectures' other way to train a forecaster: an
:class:`~sklearn_seq.LSTMRegressor` with ``return_sequences=True`` reads a window
of 20 daily returns of Apple's share and outputs a sequence of the same length,
trained to be the same window shifted by one day. At every step it forecasts
the next day from the days it has read so far, so one window trains 20
forecasts, each with 1 to 20 days of history. It is cross-validated in time
order against the naive forecast (tomorrow's price is today's: a return of
zero), step by step.

**Takeaway:** the many-to-many network does not beat the naive forecast either,
at any step: its next-day error is about 1 % larger than the naive one whether
it has read 1 day or 20 (0.9 to 1.3 % larger on average over the folds at
steps 1, 5, 10 and 20, from 0.7 % smaller to 4.7 % larger in single folds and
steps). More history does not help,
because daily returns are close to unpredictable from their own past (see
:ref:`sphx_glr_auto_examples_recap_plot_stock_prices.py` for the many-to-one
forecast, which reaches the same conclusion).
"""

# %%
# Windows and their shifted copies
# --------------------------------
# As in the next-day example, the model reads daily log-returns, not prices:
# returns keep the same scale over the 13 years. Each window of 21 consecutive
# returns gives an input, its first 20 returns, and a target, its last 20: the
# same days shifted by one. Step ``t`` of the output (1 to 20) is thus the
# forecast of the return on the day after the ``t``-th day of the input.
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.model_selection import TimeSeriesSplit

from sklearn_seq import LSTMRegressor
from sklearn_seq.datasets import load_stock_prices

torch.set_num_threads(1)  # tiny networks: one thread is fastest
start = time.perf_counter()

price = load_stock_prices(symbol="AAPL").target
returns = np.diff(np.log(price))
window = 20
spans = np.lib.stride_tricks.sliding_window_view(returns, window + 1)
X, Y = spans[:, :-1], spans[:, 1:]
assert np.array_equal(X[:, 1:], Y[:, :-1])  # the target is the input shifted by one day
print(f"{len(X)} windows of {window} returns, targets of shape {Y.shape}")

# %%
# Cross-validation in time order
# ------------------------------
# The same folds as the next-day example: 5 splits of
# :class:`~sklearn.model_selection.TimeSeriesSplit`, with a gap of 20 windows so
# that no day of a test window, input or target, lies in a training window.
# The returns are standardised with the mean and standard deviation of the
# training fold (inputs and targets alike), and the forecasts turned back into
# returns. The error at each step is the root mean squared error of the
# forecast return in per cent, which is also the error of the next-day price in
# per cent of the last price (up to a second-order term), as in the next-day
# example.
cv = TimeSeriesSplit(n_splits=5, gap=window)
step_rmse = {"naive": [], "LSTM, many-to-many": []}
for fold, (train, test) in enumerate(cv.split(X)):
    mean, std = X[train].mean(), X[train].std()
    model = LSTMRegressor(hidden_size=16, lr=1e-3, max_epochs=20, batch_size=64, return_sequences=True,
                          random_state=0)
    model.fit((X[train] - mean) / std, (Y[train] - mean) / std)
    forecast = mean + std * np.stack(model.predict((X[test] - mean) / std))
    step_rmse["naive"].append(100 * np.sqrt(np.mean(Y[test] ** 2, axis=0)))
    step_rmse["LSTM, many-to-many"].append(100 * np.sqrt(np.mean((forecast - Y[test]) ** 2, axis=0)))
    print(f"fold {fold}: {len(train)} training windows, {len(test)} test windows; RMSE over all steps: "
          f"naive {np.sqrt(np.mean(step_rmse['naive'][-1] ** 2)):.3f} %, "
          f"LSTM {np.sqrt(np.mean(step_rmse['LSTM, many-to-many'][-1] ** 2)):.3f} %")
step_rmse = {name: np.array(values) for name, values in step_rmse.items()}  # (fold, step)
ratio = step_rmse["LSTM, many-to-many"] / step_rmse["naive"]
print("\nLSTM RMSE / naive RMSE, mean over the folds, at steps 1, 5, 10, 20: "
      + ", ".join(f"{ratio[:, t - 1].mean():.3f}" for t in (1, 5, 10, 20)))
print(f"over all steps and folds: {ratio.mean():.3f} (from {ratio.min():.3f} to {ratio.max():.3f})")

# %%
# The error step by step
# ----------------------
# The ratio of the network's error to the naive error, for each number of days
# read, in every fold: above 1 the network is worse than saying "no change".
# No fold's ratio falls along the window: the days read beyond the first bring
# nothing, and the spread between the folds (different years) is larger than
# any trend with the step.
steps = np.arange(1, window + 1)
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
for fold, values in enumerate(ratio):
    ax.plot(steps, values, color="0.6", linewidth=1, label="one fold" if fold == 0 else None)
ax.plot(steps, ratio.mean(axis=0), color="tab:blue", linewidth=2, marker="o", label="mean over the folds")
ax.axhline(1, color="black", linestyle="--", label="naive forecast (zero return)")
ax.set_xticks(steps[::2])
ax.set_xlabel("days of history read (output step)")
ax.set_ylabel("RMSE, LSTM / naive")
ax.set_title("Next-day error of the many-to-many LSTM, per output step")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3, fontsize=8)  # below: no fold line hidden

# %%
# One test window
# ---------------
# The last window of the last fold: the network's 20 forecasts against the 20
# returns they forecast. The forecasts hug zero, the naive forecast, while the
# true returns swing by a percent or two from day to day.
fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
ax.bar(steps, 100 * Y[test[-1]], color="0.7", label="true next-day return")
ax.plot(steps, 100 * forecast[-1], "o-", color="tab:blue", label="LSTM forecast")
ax.axhline(0, color="black", linewidth=1, label="naive forecast")
ax.set_xlabel("output step")
ax.set_ylabel("return (%)")
ax.legend(fontsize=8)
print(f"example run time: {time.perf_counter() - start:.0f} s")
plt.show()
