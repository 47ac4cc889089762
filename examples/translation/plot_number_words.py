"""
=========================================================================
Numbers in words, English to German: attention, BLEU and beam search
=========================================================================

"two hundred and twenty-three thousand, ..." becomes
"zweihundertdreiundzwanzigtausend...": German writes a number below a million
as one word and says the units before the tens ("dreiundzwanzig", three and
twenty), so a translator must reorder and compound, not copy word by word. A
:class:`~sklearn_seq.Seq2SeqTranslator` reads the English words and writes the
German characters, once with additive attention and once without.

**Takeaway:** attention is what makes this work: trained 5 epochs on 5,000
pairs, the model with attention writes 99.4 % of 1,000 held-out numbers
exactly (BLEU 99.8 on characters, chrF 99.8), the same network without
attention 62.6 % (BLEU 87.8), and its errors pile up on the long numbers,
which it gets right less than half of the time. Beam search (5
hypotheses) adds a little on top of greedy decoding: 99.6 % with attention,
65.5 % without; where the two differ, the beam's output is the more likely one.
"""

# %%
# The data
# --------
# :func:`~sklearn_seq.datasets.make_number_words` spells random numbers below
# 10^6 with num2words; the number of digits is drawn uniformly, so one- and
# six-digit numbers are equally common. 5,000 pairs train the models, 1,000
# other pairs test them.
import time

import matplotlib.pyplot as plt
import numpy as np
import sacrebleu
import torch

from sklearn_seq import Seq2SeqTranslator
from sklearn_seq.datasets import make_number_words

torch.set_num_threads(1)  # small networks: one thread is as fast as two

X, y = make_number_words(6000, random_state=0)
X_train, y_train, X_test, y_test = X[:5000], y[:5000], X[5000:], y[5000:]
for source, target in zip(X_test[:3], y_test[:3], strict=True):
    print(f"{source!r:60s} -> {target!r}")

# %%
# The models
# ----------
# The source is read as words (``analyzer='word'``: "twenty-three" and
# "thousand," are tokens), the target as characters (``target_analyzer='char'``),
# since a German number is a single word. The encoder is a bidirectional LSTM
# of 64 units per direction; both models train 5 epochs with Adam, so that the
# only difference is ``attention``.
network = dict(analyzer="word", target_analyzer="char", hidden_size=64, bidirectional=True, batch_size=64, lr=3e-3,
               max_epochs=5, random_state=0)
models, fit_seconds = {}, {}
for attention in ("bahdanau", "none"):
    start = time.perf_counter()
    models[attention] = Seq2SeqTranslator(attention=attention, **network).fit(X_train, y_train)
    fit_seconds[attention] = time.perf_counter() - start

# %%
# Exact match, BLEU and chrF, greedy and beam
# -------------------------------------------
# Each model decodes greedily (``beam_size=1``) and with a beam of 5
# (``beam_size`` is a decoding parameter: ``set_params`` changes it without
# refitting). BLEU and chrF come from sacrebleu. With a character target
# analyzer, ``score(metric='bleu')`` counts character n-grams (up to 4): it
# joins the characters with spaces and turns sacrebleu's tokenizer off; chrF
# compares the character n-grams of the strings as they are. To decode each
# test set once, the table below calls sacrebleu the way ``score`` does.
bleu, chrf = sacrebleu.metrics.BLEU(tokenize="none"), sacrebleu.metrics.CHRF()
predictions, scores = {}, {}
for attention, model in models.items():
    for beam_size in (1, 5):
        name = f"{'attention' if attention == 'bahdanau' else 'no attention'}, " + (
            "greedy" if beam_size == 1 else f"beam {beam_size}")
        predicted = predictions[name] = model.set_params(beam_size=beam_size).predict(X_test)
        scores[name] = {
            "exact": np.mean(np.array(predicted) == np.array(y_test)),
            "bleu": bleu.corpus_score([" ".join(p) for p in predicted], [[" ".join(t) for t in y_test]]).score,
            "chrf": chrf.corpus_score(predicted, [y_test]).score,
        }
    model.set_params(beam_size=1)

print(f"{'model and decoding':26s} {'exact match':>11s} {'BLEU':>6s} {'chrF':>6s}")
for name, score in scores.items():
    print(f"{name:26s} {score['exact']:11.3f} {score['bleu']:6.1f} {score['chrf']:6.1f}")
print(f"fit time: {fit_seconds['bahdanau']:.0f} s with attention, {fit_seconds['none']:.0f} s without")

# %%
# Attention wins by 37 points of exact match. The beam gains three points
# without attention and two numbers with it: see the outputs where it differs
# from greedy decoding at the end.
#
# The same numbers through ``score``, and sacrebleu's signatures, which say how
# the scores were computed (two BLEU scores are comparable only under one
# signature):
greedy = models["bahdanau"]
print(f"score: exact {greedy.score(X_test, y_test):.3f}, BLEU {greedy.score(X_test, y_test, metric='bleu'):.1f}, "
      f"chrF {greedy.score(X_test, y_test, metric='chrf'):.1f}")
print(f"BLEU: {bleu.get_signature()}")
print(f"chrF: {chrf.get_signature()}")

# %%
# Where the errors are
# --------------------
# Exact match against the length of the German word (the longest numbers run
# past 50 characters). Without attention the decoder must carry the whole
# number in one vector, and the long numbers fail; with attention greedy
# decoding is near perfect at every length.
lengths = np.array([len(target) for target in y_test])
bins = [1, 11, 21, 31, 41, 51, 64]
centers = [(low + high - 1) / 2 for low, high in zip(bins[:-1], bins[1:], strict=True)]
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
for (name, predicted), style in zip(predictions.items(), ["o-", "o--", "s-", "s--"], strict=True):
    right = np.array(predicted) == np.array(y_test)
    ax.plot(centers, [right[(lengths >= low) & (lengths < high)].mean()
                      for low, high in zip(bins[:-1], bins[1:], strict=True)],
            style, color="tab:blue" if name.startswith("attention") else "tab:orange", label=name)
ax.set_xlabel("characters of the German number")
ax.set_ylabel("exact match")
ax.set_title("Held-out numbers by length")
ax.legend(fontsize=8)

# %%
# The outputs that differ between greedy and beam decoding, with attention.
# Greedy decoding commits to its most likely next character and can go astray
# ("neununddreißig" for "neunhundert"); the beam keeps the hypothesis that is
# more likely as a whole. A beam search that stopped a sentence at its first
# five finished hypotheses (fairseq's rule) did worse than greedy here, 84.5 %
# (measured with PyTorch's initialisation, the default then): unlikely early endings
# filled the five places before the likely long output could finish. Ours stops
# only when no live hypothesis can beat the finished ones.
differ = [i for i in range(len(X_test)) if predictions["attention, greedy"][i] != predictions["attention, beam 5"][i]]
print(f"{len(differ)} of {len(X_test)} outputs differ")
for i in differ[:5]:
    print(f"{X_test[i]}\n  reference {y_test[i]}\n  greedy    {predictions['attention, greedy'][i]}\n"
          f"  beam 5    {predictions['attention, beam 5'][i]}")
plt.show()
