"""
=====================================================================
Autoencoder against PCA: reconstruction error against code size
=====================================================================

A handwritten digit (8 x 8 pixels) can be read as a sequence of 8 rows of 8
pixels. PCA compresses the 64 pixels linearly into ``k`` components; a
:class:`~sklearn_seq.SequenceAutoencoder` reads the rows with an LSTM,
compresses them into a code of ``k`` numbers and rebuilds the rows from it. We
compare their reconstruction errors on held-out digits for growing ``k``.

**Takeaway:** at every code size from 1 to 16 numbers the recurrent
autoencoder rebuilds unseen digits better than PCA, by a third to a half with 2
to 8 numbers (test MSE 0.037 against 0.054 with 2); the gap closes as the code
grows (0.0089 against 0.0119 with 16), because each added principal component
removes the next largest share of variance, while the autoencoder, trained for
a fixed budget, improves more slowly. With 2 numbers PCA's digits are blurs;
the autoencoder's are recognisable. PCA remains exact, instant and the best
*linear* code.
"""

# %%
# Digits as sequences of rows
# ---------------------------
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split

from sklearn_seq import SequenceAutoencoder

torch.set_num_threads(1)

images = load_digits().images / 16.0  # (1797, 8, 8), pixels in [0, 1]
train, test = train_test_split(images, test_size=0.25, random_state=0)
print(f"{len(train)} training and {len(test)} test digits, each 8 steps of 8 pixels")

# %%
# Reconstruction error for growing code sizes
# -------------------------------------------
# Both are fitted on the training digits and scored on the test digits by the
# mean squared error per pixel.
code_sizes = [1, 2, 4, 8, 16]
pca_error, autoencoder_error, autoencoders = [], [], {}
for k in code_sizes:
    pca = PCA(k).fit(train.reshape(len(train), -1))
    rebuilt = pca.inverse_transform(pca.transform(test.reshape(len(test), -1)))
    pca_error.append(np.mean((rebuilt - test.reshape(len(test), -1)) ** 2))
    autoencoder = SequenceAutoencoder(n_components=k, hidden_size=64, lr=0.005, max_epochs=40,
                                      random_state=0).fit(train)
    autoencoders[k] = autoencoder
    autoencoder_error.append(-autoencoder.score(test))
    print(f"code size {k:2d}: PCA {pca_error[-1]:.4f}, autoencoder {autoencoder_error[-1]:.4f}")

fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
ax.plot(code_sizes, pca_error, "o-", label="PCA")
ax.plot(code_sizes, autoencoder_error, "s-", label="SequenceAutoencoder (LSTM)")
ax.set_xscale("log", base=2)
ax.set_xticks(code_sizes, code_sizes)
ax.set_xlabel("code size (numbers per digit)")
ax.set_ylabel("test reconstruction MSE per pixel")
ax.set_title("Digits as 8-step sequences: reconstruction error")
ax.legend()
ax.grid(alpha=0.3)

# %%
# What the reconstructions look like
# ----------------------------------
# The first test digits, rebuilt from codes of 2 and 8 numbers.
shown = test[:8]
fig, axes = plt.subplots(5, len(shown), figsize=(8, 5.4), layout="constrained")
rows = [("original", shown)]
for k in (2, 8):
    pca = PCA(k).fit(train.reshape(len(train), -1))
    rows.append((f"PCA, {k}", pca.inverse_transform(pca.transform(shown.reshape(len(shown), -1))).reshape(shown.shape)))
    rows.append((f"autoencoder, {k}", autoencoders[k].inverse_transform(autoencoders[k].transform(shown))))
for row_axes, (title, digits) in zip(axes, rows, strict=True):
    for ax, digit in zip(row_axes, digits, strict=True):
        ax.imshow(digit, cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
    row_axes[0].set_ylabel(title, fontsize=8)
plt.show()
