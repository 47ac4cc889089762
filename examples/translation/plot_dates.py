"""
=========================================================================
Normalising dates: an encoder-decoder with and without attention
=========================================================================

"SAMEDI 22 DÉCEMBRE 2001", "Do. 22 Nov. 1990" and "11/22/90" should all become
ISO dates ``YYYY-MM-DD``. A :class:`~sklearn_seq.Seq2SeqTranslator` reads the
characters of the written date and writes the characters of the ISO date, with
additive (Bahdanau) attention and without.

**Takeaway:** dates are short (at most 30 characters), yet in 5 epochs only
attention learns them: with it a 64-unit network writes 99.4 % of 1,000
held-out dates exactly after 2 epochs and all of them after 3 (99.7 % after
5; half a minute of training on an idle core), without it 89.1 % after 5
epochs, still climbing. Attention makes the learning faster, and it is what a
*small* network needs: with 16 units it reaches 99.7 %, against 25.1 %
without. 2,000 training pairs are enough with attention (99.0 %). The
attention maps are readable: the month digits look at the month's name, and
the two day digits of the output put on average 84 % of their attention on
the day in the source.
"""

# %%
# The data
# --------
# :func:`~sklearn_seq.datasets.make_dates` writes random dates between 1950 and
# 2049 with babel, in English, German and French, in each locale's short,
# medium, long and full formats and four more patterns, as is, in lower or in
# upper case. 10,000 pairs train the models, 1,000 other dates test them.
# ``return_formats=True`` also gives each date's babel pattern, used at the end
# to find where the day is written in the source.
import datetime
import re
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from babel.dates import format_date, parse_pattern

from sklearn_seq import Seq2SeqTranslator
from sklearn_seq.datasets import make_dates
from sklearn_seq.plotting import plot_attention

torch.set_num_threads(1)  # small networks: one thread is as fast as two

X, y, formats = make_dates(11000, locales=("en_US", "de_DE", "fr_FR"), return_formats=True, random_state=0)
X_train, y_train = X[:10000], y[:10000]
X_test, y_test, formats_test = X[10000:], y[10000:], formats[10000:]
for source, target, (locale, pattern, case) in list(zip(X_test, y_test, formats_test, strict=True))[:5]:
    print(f"{source!r:28s} -> {target}   ({locale}, {pattern!r}, {case})")

# %%
# Four models, epoch by epoch
# ---------------------------
# The encoder is a bidirectional LSTM, the decoder an LSTM; both models with
# 64 units and both with 16, with attention and without, train with Adam
# (batch 64, learning rate 0.003). ``partial_fit`` trains one epoch per call,
# so the exact match on the test dates can be read after every epoch.
N_EPOCHS = 5


def train(X, y, *, hidden_size, attention, n_epochs=N_EPOCHS):
    """Train epoch by epoch; return the model, its test exact match per epoch and the fit time."""
    model = Seq2SeqTranslator(hidden_size=hidden_size, bidirectional=True, attention=attention, batch_size=64,
                              lr=3e-3, random_state=0)
    curve, seconds = [], 0.0
    for _ in range(n_epochs):
        start = time.perf_counter()
        model.partial_fit(X, y)
        seconds += time.perf_counter() - start
        curve.append(model.score(X_test, y_test))
    return model, curve, seconds


models, curves, fit_seconds = {}, {}, {}
for hidden_size in (64, 16):
    for attention in ("bahdanau", "none"):
        name = f"{hidden_size} units, {'attention' if attention == 'bahdanau' else 'no attention'}"
        models[name], curves[name], fit_seconds[name] = train(X_train, y_train, hidden_size=hidden_size,
                                                              attention=attention)

print(f"{'model':26s} {'exact match after each epoch':>36s} {'fit time':>9s}")
for name, curve in curves.items():
    print(f"{name:26s} {' '.join(f'{score:6.3f}' for score in curve):>36s} {fit_seconds[name]:8.0f}s")
exact = {name: curve[-1] for name, curve in curves.items()}

# %%
# With 64 units the attention model is near perfect after two epochs, the
# model without attention climbs for five, to 0.891 (a plain PyTorch loop with
# the same network reached 0.999 without attention after 9 epochs: the 64
# numbers of the encoder's final state can hold a date). With 16 units the
# single summary vector is the bottleneck: the model without attention is
# still at 0.251 after 5 epochs, while with attention the decoder reads each
# field where it is written and reaches 0.997.
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
for (name, curve), style in zip(curves.items(), ["o-", "o--", "s-", "s--"], strict=True):
    ax.plot(range(1, N_EPOCHS + 1), curve, style, color="tab:blue" if "no" not in name else "tab:orange",
            label=name)
ax.legend(fontsize=8, loc="lower right", bbox_to_anchor=(1, 0.3))
ax.set_xlabel("epoch")
ax.xaxis.get_major_locator().set_params(integer=True)
ax.set_ylabel("exact match on 1,000 test dates")
ax.set_ylim(0, 1.02)

# %%
# Exact match against the length of the source
# ---------------------------------------------
# With attention the exact match is flat over the sources' lengths. Without
# attention both ends are harder: the shortest sources are the numeric
# formats, where only the separator tells the order of day and month
# (``3/7/24`` is 7 March 2024 in American English, ``03.07.24`` 3 July in
# German), and the longest are full dates with weekday and month names.
lengths = np.array([len(source) for source in X_test])
bins = [(5, 9), (9, 12), (12, 16), (16, 20), (20, 31)]
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
for (name, model), style in zip(models.items(), ["o-", "o--", "s-", "s--"], strict=True):
    right = np.array(model.predict(X_test)) == np.array(y_test)
    ax.plot(range(len(bins)), [right[(lengths >= low) & (lengths < high)].mean() for low, high in bins], style,
            color="tab:blue" if "no" not in name else "tab:orange", label=name)
ax.set_xticks(range(len(bins)), [f"{low}-{high - 1}\n({np.sum((lengths >= low) & (lengths < high))} dates)"
                                 for low, high in bins])
ax.set_xlabel("characters of the source")
ax.set_ylabel("exact match")
ax.legend(fontsize=8)

# %%
# Fewer training pairs
# --------------------
# The 64-unit attention model on the first 2,000 training pairs only, for 10
# epochs (the same number of updates as 2 epochs on 10,000 pairs):
small, small_curve, small_seconds = train(X_train[:2000], y_train[:2000], hidden_size=64, attention="bahdanau",
                                          n_epochs=10)
exact["64 units, attention, 2k pairs"] = small_curve[-1]
print(f"2,000 pairs: exact match {small_curve[-1]:.3f} after 10 epochs ({small_seconds:.0f} s)")

# %%
# Where the decoder looks
# -----------------------
# ``translate(X, return_attention=True)`` also returns, for every output, its
# attention matrix: one row per output character (and one for the end symbol),
# one column per source character, each row summing to 1.
model = models["64 units, attention"]
examples = ["samedi 22 décembre 2001", "Do. 22 Nov. 1990", "MARCH 7, 2024"]
outputs, attention = model.translate(examples, return_attention=True)
fig, axes = plt.subplots(1, 3, figsize=(12, 4), layout="constrained")
for ax, source, output, weights in zip(axes, examples, outputs, attention, strict=True):
    plot_attention(weights[:-1], tokens=list(source), row_labels=list(output), ax=ax, colorbar=False)
    ax.set_title(f"{source} -> {output}", fontsize=10)

# %%
# In each map a row is an output character (the end symbol left out), a
# column a source character. The year digits look at the year, the day digits
# at the day, and the month digits at the month's name, wherever the locale
# puts it: "décembre" and "Nov." before the year, "MARCH" at the start; the
# hyphens look at nothing in particular.
#
# How much attention the day gets
# -------------------------------
# For every test date, the babel pattern says which source characters are the
# day: each field of the pattern (``d``, ``MMMM``, ``y``, ...) is written alone
# and the pieces are put together again, which must give the source back. Then
# the attention that the two day digits of the output (characters 9 and 10 of
# ``YYYY-MM-DD``) put on that span is summed, and the same for the month and the
# year.
CASES = {"as is": str, "lower": str.lower, "upper": str.upper}


def field_spans(target, locale, pattern, case):
    """The source written from the pattern field by field, and each field's span in it."""
    day = datetime.date.fromisoformat(target)
    text, spans = "", {}
    for i, piece in enumerate(re.split(r"%\((\w+)\)s", parse_pattern(pattern).format)):
        if i % 2:  # a field such as 'dd' or 'MMMM'
            written = CASES[case](format_date(day, format=piece, locale=locale))
            spans.setdefault(piece[0], (len(text), len(text) + len(written)))
            text += written
        else:
            text += CASES[case](piece.replace("%%", "%"))
    return text, spans


outputs, attention = model.translate(X_test, return_attention=True)
shares = {"d": [], "M": [], "y": []}  # day, month, year
output_rows = {"d": [8, 9], "M": [5, 6], "y": [0, 1, 2, 3]}
for source, target, format_, output, weights in zip(X_test, y_test, formats_test, outputs, attention, strict=True):
    text, spans = field_spans(target, *format_)
    assert text == source, (text, source)
    if output != target:
        continue
    for field, rows in output_rows.items():
        start, stop = spans[field]
        shares[field].append(weights[rows, start:stop].sum(axis=1).mean())
day_share = float(np.mean(shares["d"]))
for field, name in [("d", "day"), ("M", "month"), ("y", "year")]:
    print(f"the {name} characters of the output put {np.mean(shares[field]):.3f} of their attention on the "
          f"{name} in the source (mean over {len(shares[field])} correct outputs; "
          f"{np.mean(np.array(shares[field]) >= 0.5):.1%} put at least half)")
plt.show()
