"""
=====================================================================
Word vectors from the Bible: neighbours, analogies, and a classifier
=====================================================================

Word embeddings place words that occur in similar contexts close together.
The lectures use GloVe vectors, trained on billions of words; here we train
count-based vectors on a corpus that ships with the package, the 790,000
words of the King James Bible: the positive pointwise mutual information
(PPMI) of words within two positions of each other, reduced to 50 dimensions
by a truncated SVD. Those are close relatives of GloVe and word2vec (Levy and
Goldberg, 2014). We look at nearest neighbours, try analogies such as the
lectures' *man : woman :: king : queen*, and give the vectors to a recurrent
classifier as ``embedding_weights``.

**Takeaway:** (seed 0) neighbours are meaningful (*gold*: silver, brass,
...), and *father : mother :: son : ?* gives *daughter*, but *man : woman ::
king : ?* does not give *queen*: a corpus this small, where "queen" is rare,
does not have the regular geometry of vectors trained on billions of words.
With only 1,000 labelled verses, a GRU starting from these frozen vectors
finds the section of the Bible (7 classes) a verse comes from more often than
the same network learning its embedding from scratch: 52.2 % against 44.8 %
of 3,000 test verses (the most frequent section: 22.6 %).
"""

# %%
# Counting contexts
# -----------------
# Lowercase words seen at least 5 times; each pair of words at most two
# positions apart counts once. PPMI keeps the pairs that occur more often than
# chance (with the context counts smoothed by the power 0.75, as word2vec).
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import scipy.sparse as sp
import torch
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import normalize

from sklearn_seq import GRUClassifier, SequenceVectorizer
from sklearn_seq.datasets import load_bible_verses
from sklearn_seq.text import embedding_matrix

torch.set_num_threads(1)  # small networks: one thread is as fast as two

bible = load_bible_verses()
tokenize = CountVectorizer(token_pattern=r"[a-z]+").build_analyzer()  # lowercase words
verses = [tokenize(verse) for verse in bible.data]
counts = Counter(word for verse in verses for word in verse)
vocabulary = sorted(word for word, count in counts.items() if count >= 5)
index = {word: i for i, word in enumerate(vocabulary)}
print(f"{sum(counts.values()):,} words, {len(vocabulary):,} of them seen at least 5 times")

rows, cols = [], []
for verse in verses:
    ids = [index.get(word, -1) for word in verse]
    for i, a in enumerate(ids):
        for j in range(max(0, i - 2), min(len(ids), i + 3)):
            if j != i and a >= 0 and ids[j] >= 0:
                rows.append(a)
                cols.append(ids[j])
cooc = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(vocabulary),) * 2).tocsr().tocoo()
total = cooc.sum()
word_p = np.asarray(cooc.sum(axis=1)).ravel() / total
context_p = np.asarray(cooc.sum(axis=0)).ravel() ** 0.75
context_p /= context_p.sum()
pmi = np.log(cooc.data / total / word_p[cooc.row] / context_p[cooc.col])
ppmi = sp.csr_matrix((np.maximum(pmi, 0), (cooc.row, cooc.col)), shape=cooc.shape)

# %%
# 50 dimensions by truncated SVD
# ------------------------------
# The word vectors are :math:`U \Sigma^{1/2}`, normalised to unit length so
# that a dot product is the cosine similarity.
svd = TruncatedSVD(n_components=50, random_state=0)
vectors = normalize(svd.fit_transform(ppmi) / np.sqrt(svd.singular_values_))


def neighbours(word, k=6):
    similarity = vectors @ vectors[index[word]]
    return [vocabulary[i] for i in np.argsort(-similarity)[1 : k + 1]]


for word in ["gold", "bread", "water", "sword", "god", "king"]:
    print(f"{word:6s} -> {', '.join(neighbours(word))}")

# %%
# Analogies
# ---------
# *a : b :: c : ?* is the word closest to :math:`b - a + c`; the 3CosMul
# score of Levy and Goldberg (2014) below is a more robust version of that
# search (the product of the similarities to :math:`b` and :math:`c` divided
# by the similarity to :math:`a`).


def analogy(a, b, c, k=3):
    similarity = {word: (vectors @ vectors[index[word]] + 1) / 2 for word in (a, b, c)}
    score = similarity[b] * similarity[c] / (similarity[a] + 1e-3)
    return [vocabulary[i] for i in np.argsort(-score) if vocabulary[i] not in (a, b, c)][:k]


for a, b, c in [("father", "mother", "son"), ("brother", "sister", "son"), ("father", "mother", "brother"),
                ("man", "woman", "king")]:
    print(f"{a} : {b} :: {c} : {' / '.join(analogy(a, b, c))}")

# %%
# Family words in two dimensions: PCA of the vectors of a few words. Most
# male → female arrows point the same way (up and to the right); husband →
# wife does not: on a corpus this small the offsets are only roughly parallel.
pairs = [("father", "mother"), ("son", "daughter"), ("brother", "sister"), ("husband", "wife"),
         ("king", "queen"), ("man", "woman")]
words = [word for pair in pairs for word in pair]
points = PCA(n_components=2).fit_transform(vectors[[index[word] for word in words]])
fig, ax = plt.subplots(figsize=(6, 4.5), layout="constrained")
ax.scatter(points[:, 0], points[:, 1], c=[f"C{k // 2}" for k in range(len(words))], s=12)
for k, (male, female) in enumerate(pairs):
    (x0, y0), (x1, y1) = points[2 * k], points[2 * k + 1]
    ax.annotate("", (x1, y1), (x0, y0), arrowprops={"arrowstyle": "->", "color": f"C{k}"})
    ax.text(x0, y0, male, color=f"C{k}", ha="right", va="top")
    ax.text(x1, y1, female, color=f"C{k}", ha="left", va="bottom")
ax.set_xlabel("first principal component")
ax.set_ylabel("second principal component")
ax.set_title("Male → female word pairs (PCA of the 50-d vectors)")
ax.margins(0.15)
plt.show()

# %%
# The vectors as a classifier's embedding
# ---------------------------------------
# Which of the 7 sections of the Bible (Law, History, Wisdom, ...) does a verse
# come from? With 1,000 labelled verses, the same GRU either learns its
# embedding from scratch or starts from the vectors above, frozen
# (``freeze_embedding=True``). :func:`~sklearn_seq.text.embedding_matrix` lines
# the vectors up with the vectorizer's vocabulary; the words without a vector
# get small random rows.
X_train, X_test, y_train, y_test = train_test_split(bible.data, bible.target, train_size=1000, test_size=3000,
                                                    stratify=bible.target, random_state=0)
# The vocabulary comes from all verses (words only, no labels), fitted once so that the
# rows of the matrix match the ids the classifiers read.
vectorizer = SequenceVectorizer(token_pattern=r"[a-z]+").fit(bible.data)
ids_train, ids_test = vectorizer.transform(X_train), vectorizer.transform(X_test)
pretrained = embedding_matrix(vectorizer.vocabulary_, {word: vectors[i] for word, i in index.items()},
                              random_state=0)
network = dict(hidden_size=32, max_epochs=15, lr=3e-3, random_state=0)
models = {
    # vocab_size: the ids of the whole vocabulary, not only those of the training verses
    "embedding learned from scratch": GRUClassifier(embedding_dim=50, vocab_size=len(pretrained), **network),
    "frozen PPMI-SVD vectors": GRUClassifier(embedding_weights=pretrained, freeze_embedding=True, **network),
}
for name, classifier in models.items():
    classifier.fit(ids_train, y_train)
    print(f"{name:32s} test accuracy {classifier.score(ids_test, y_test):.3f}")
print(f"{'most frequent section':32s} test accuracy {np.mean(y_test == np.bincount(y_train).argmax()):.3f}")
