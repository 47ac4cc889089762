"""
==========================================================================
Forecasting stock prices: an LSTM does not beat "tomorrow equals today"
==========================================================================

An :class:`~sklearn_seq.LSTMRegressor` reads the last 20 daily returns of Apple's
share and forecasts the next day's price. It is cross-validated in time order with
:class:`~sklearn.model_selection.TimeSeriesSplit` against two baselines on the same
windows: the naive forecast (tomorrow's price is today's) and a ridge regression.

**Takeaway:** nothing beats the naive forecast. The LSTM's next-day error stays
within about 1 % of the naive one in every fold (it learns to predict a return
close to zero), and the ridge regression is up to 3 % worse. Daily returns of a
liquid stock are close to unpredictable from their own past: this is the
efficient-market baseline that every forecaster must be compared with. The same
LSTM trained on price *levels* instead of returns is 4 to 17 times worse than
naive: the price leaves the range seen in training and the network cannot
extrapolate.
"""

# %%
# The data: 13 years of daily prices
# ----------------------------------
# :func:`~sklearn_seq.datasets.load_stock_prices` returns the daily prices of a
# stock until March 2013 (Quandl WIKI data, public domain). The target is the
# adjusted close, corrected for splits and dividends, so that its day-to-day
# changes are real returns.
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_seq import LSTMRegressor, SlidingWindowTransformer
from sklearn_seq.datasets import load_stock_prices
from sklearn_seq.plotting import plot_history
from sklearn_seq.preprocessing import make_windows

torch.set_num_threads(1)  # tiny networks: one thread is fastest
start = time.perf_counter()

apple = load_stock_prices(symbol="AAPL")
price, dates = apple.target, apple.dates
returns = np.diff(np.log(price))  # returns[i]: log-return from day i to day i + 1
print(f"{len(price)} trading days, {dates[0]} to {dates[-1]}; "
      f"daily returns: mean {returns.mean():+.4f}, standard deviation {returns.std():.4f}")

fig, axes = plt.subplots(2, 1, figsize=(9, 5), sharex=True, layout="constrained")
axes[0].semilogy(dates, price)
axes[0].set_ylabel("adjusted close ($, log scale)")
axes[0].set_title("Apple (AAPL), 2000-2013")
axes[1].plot(dates[1:], 100 * returns, linewidth=0.5)
axes[1].set_ylabel("daily return (%)")
axes[1].set_ylim(-20, 20)

# %%
# Windows of returns, not of prices
# ---------------------------------
# The price grew 70-fold: a network trained on the prices of 2000-2005 never saw
# the prices of 2010, and a scaler fitted on the training years maps them far
# outside the range its tanh units learned. Returns (log-differences) keep the same
# scale over the years, so every model here reads **windows of the last 20 daily
# returns** and forecasts the next one; the forecast price is the last price times
# ``exp(forecast return)``. The naive forecast is a return of zero.
#
# :func:`~sklearn_seq.preprocessing.make_windows` cuts the series into windows and
# the value ``horizon`` steps after each: window ``k`` holds ``returns[k:k + 20]``,
# i.e. the prices up to day ``k + 20``, and its target is the return from day
# ``k + 20`` to day ``k + 21``. For the comparison with levels, the same windows are
# cut from the prices of days ``k + 1`` to ``k + 20``.
window, horizon = 20, 1
X, y = make_windows(returns, window=window, horizon=horizon)
X_levels, y_levels = make_windows(price[1:], window=window, horizon=horizon)
last_price = price[window : window + len(y)]  # the price on the last day of each window
next_price = price[window + 1 : window + 1 + len(y)]  # the price to forecast
assert np.allclose(next_price, last_price * np.exp(y)) and np.allclose(y_levels, next_price)
print(f"windows: {X.shape}, targets: {y.shape}")

# %%
# Cross-validation in time order, without leakage
# -----------------------------------------------
# :class:`~sklearn.model_selection.TimeSeriesSplit` trains on the past and tests on
# the following period, 5 times with a growing past. Neighbouring windows share 19
# of their 20 days, so a ``gap`` of ``window + horizon - 1 = 20`` windows is dropped
# between training and test: no day of a test window, input or target, was seen in
# training, exactly as if the series had been cut in time and each part windowed on
# its own. Scalers are fitted inside the pipeline, on the training fold only;
# :class:`~sklearn.compose.TransformedTargetRegressor` standardises the target, whose
# standard deviation of 0.03 is far from the scale a network trains well at.
cv = TimeSeriesSplit(n_splits=5, gap=window + horizon - 1)


def standardised(regressor):
    """Scale the windows and the target with statistics of the training fold."""
    return TransformedTargetRegressor(make_pipeline(StandardScaler(), regressor), transformer=StandardScaler())


def lstm():
    return LSTMRegressor(hidden_size=16, lr=1e-3, max_epochs=20, batch_size=64, random_state=0)


models = {
    "Ridge": standardised(Ridge(alpha=1.0)),
    "LSTM": standardised(lstm()),
    "LSTM on levels": standardised(lstm()),
}

# %%
# Fitting and scoring the folds
# -----------------------------
# The error is the root mean squared error of the forecast price, in per cent of
# the last known price: comparable across folds although the price rose from 1 to
# 90 dollars.
rmse = {name: [] for name in ["naive", *models]}
forecasts = {}
for fold, (train, test) in enumerate(cv.split(X)):
    forecasts["naive"] = last_price[test]
    for name, model in models.items():
        if name == "LSTM on levels":
            forecasts[name] = model.fit(X_levels[train], y_levels[train]).predict(X_levels[test])
        else:
            forecasts[name] = last_price[test] * np.exp(model.fit(X[train], y[train]).predict(X[test]))
    for name, forecast in forecasts.items():
        error = (forecast - next_price[test]) / last_price[test]
        rmse[name].append(100 * np.sqrt(np.mean(error**2)))
    test_period = f"{dates[window + 1 + test[0]]} to {dates[window + 1 + test[-1]]}"
    print(f"fold {fold}: {len(train)} training windows, test {test_period}")

print(f"\nRMSE of the next-day price (% of the last price)\n{'model':16s}"
      + "".join(f"{f'fold {i}':>9s}" for i in range(cv.n_splits)) + f"{'mean':>9s}{'vs naive':>10s}")
for name, values in rmse.items():
    ratio = np.mean(values) / np.mean(rmse["naive"])
    print(f"{name:16s}" + "".join(f"{v:9.3f}" for v in values) + f"{np.mean(values):9.3f}{ratio:10.3f}")

# %%
# Forecasts against the truth
# ---------------------------
# The last 60 days of the last fold. The naive forecast is the price curve shifted
# by one day; the ridge and LSTM forecasts of returns stay so close to zero that
# their prices lie on top of it. The LSTM on levels is off by far: it never saw
# prices this high in training.
last_days = test[-60:]
shown_dates = dates[window + 1 + last_days]
fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
ax.plot(shown_dates, next_price[last_days], color="black", linewidth=2, label="truth")
for name, style in [("naive", "-"), ("Ridge", "--"), ("LSTM", ":"), ("LSTM on levels", "-.")]:
    ax.plot(shown_dates, forecasts[name][-60:], linestyle=style, label=name)
ax.set_ylabel("adjusted close ($)")
ax.set_title("Next-day forecasts, last 60 days of the last fold")
ax.legend(ncols=3)
fig.autofmt_xdate()

# %%
# The forecast returns themselves show why: a good forecaster would put the points
# on the diagonal, these models put them on the horizontal line of zero (the naive
# forecast), give or take a small tilt that does not help.
ridge_returns = models["Ridge"].predict(X[test])
lstm_returns = models["LSTM"].predict(X[test])
fig, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
ax.scatter(100 * y[test], 100 * ridge_returns, s=6, alpha=0.5, label="Ridge")
ax.scatter(100 * y[test], 100 * lstm_returns, s=6, alpha=0.5, label="LSTM")
ax.axline((0, 0), slope=1, color="0.5", linewidth=1, label="perfect forecast")
ax.axhline(0, color="black", linewidth=1, label="naive forecast")
ax.set_xlabel("actual return (%)")
ax.set_ylabel("forecast return (%)")
ax.set_ylim(-2, 2)
ax.set_title("Next-day returns, last fold")
ax.legend()

# %%
# What the network learned
# ------------------------
# :func:`~sklearn_seq.plotting.plot_history` draws the training loss per epoch of the
# LSTM of the last fold (a mean squared error of standardised returns). Predicting
# the mean return scores 1.0 there: the network barely goes below it, and what it
# gains on the training windows is noise that does not carry over to the test
# period.
ax = plot_history(models["LSTM"].regressor_[-1])
ax.axhline(1.0, color="0.5", linestyle="--", label="predicting the mean")
ax.legend()
ax.set_title("LSTM on returns, last fold")

# %%
# Forecasting past the end of the data
# ------------------------------------
# The fitted model forecasts beyond the series from its last window:
# :meth:`SlidingWindowTransformer.last_window
# <sklearn_seq.SlidingWindowTransformer.last_window>` returns the last 20 returns,
# in the shape the model reads. Trained on all the windows, the LSTM forecasts the
# price of the next trading day after 1 March 2013, a forecast as uncertain as the
# errors above (about 2 % of the price).
windows = SlidingWindowTransformer(window=window, horizon=horizon).fit(returns)
final_model = standardised(lstm()).fit(windows.transform(returns), windows.transform_target(returns))
forecast_return = final_model.predict(windows.last_window(returns))[0]
print(f"last close {price[-1]:.2f}, forecast for the next trading day {price[-1] * np.exp(forecast_return):.2f} "
      f"({100 * forecast_return:+.2f} %)")
print(f"example run time: {time.perf_counter() - start:.0f} s")
plt.show()
