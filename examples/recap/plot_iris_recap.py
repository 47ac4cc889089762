"""
==============================================================================
The recap: recurrent networks in the map of machine learning, on Iris and wine
==============================================================================

The lecture places recurrent networks among the models of a first machine
learning course: supervised learning (classification), unsupervised learning
(clustering, dimensionality reduction). This example runs them side by side on
the same data: the 4 Iris measurements (and the 13 wine measurements) read as a
univariate sequence for the recurrent models, as a feature vector for the
others.

**Takeaway:** on small tabular data the recurrent classifiers are as accurate
as an SVM or a logistic regression on Iris (95-96 % against 95-96 %) and
slightly worse on wine (93-98 % against 98 %), at a hundred times the training
time: reading features as a sequence imposes an order they do not have.
Without labels, a Gaussian mixture finds Iris's species far better than K-Means
(adjusted Rand index 0.90 against 0.62); on wine they tie. A recurrent
autoencoder rebuilds the data from 2 numbers better than PCA does (two thirds
of its error on Iris), yet its codes separate the species less well: a lower
reconstruction error is not a better representation for clustering.
"""

# %%
# The data and the models
# -----------------------
# Every model sees standardised features. The recurrent classifiers read the
# standardised row as a sequence of ``n_features`` steps of one value each (a
# 2-D array is exactly that for ``sklearn_seq``).
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, load_wine
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_seq import GRUClassifier, LSTMClassifier, RNNClassifier, SequenceAutoencoder

torch.set_num_threads(1)  # tiny networks: one thread is fastest

rnn_params = dict(hidden_size=16, lr=0.02, max_epochs=60, random_state=0)
classifiers = {
    "LSTM": LSTMClassifier(**rnn_params),
    "GRU": GRUClassifier(**rnn_params),
    "RNN": RNNClassifier(**rnn_params),
    "SVC": SVC(),
    "LogisticRegression": LogisticRegression(),
    "RandomForest": RandomForestClassifier(random_state=0),
}
datasets = {"Iris": load_iris(return_X_y=True), "wine": load_wine(return_X_y=True)}
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

# %%
# Supervised: cross-validated accuracy
# ------------------------------------
# The same five folds for every model; the scaler is fitted inside each fold.
accuracy, fit_time = {}, {}
for data_name, (X, y) in datasets.items():
    for name, model in classifiers.items():
        result = cross_validate(make_pipeline(StandardScaler(), model), X, y, cv=cv)
        accuracy[data_name, name] = result["test_score"]
        fit_time[data_name, name] = result["fit_time"].mean()

print(f"{'model':20s}" + "".join(f"{d:>22s}" for d in datasets))
for name in classifiers:
    cells = [f"{accuracy[d, name].mean():.3f} ± {accuracy[d, name].std():.3f} ({fit_time[d, name]:.2f}s)"
             for d in datasets]
    print(f"{name:20s}" + "".join(f"{c:>22s}" for c in cells))

fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained", sharey=True)
colors = ["tab:blue", "tab:green", "tab:orange", "tab:red", "tab:purple", "tab:brown"]
for ax, data_name in zip(axes, datasets, strict=True):
    for i, (name, color) in enumerate(zip(classifiers, colors, strict=True)):
        scores = accuracy[data_name, name]
        ax.bar(i, scores.mean(), yerr=scores.std(), capsize=4, color=color, alpha=0.85)
        ax.text(i, 0.81, f"{scores.mean():.3f}", ha="center", color="white", fontsize=9, rotation=90, va="bottom")
    ax.set_xticks(range(len(classifiers)), list(classifiers), rotation=30, ha="right")
    ax.set_ylim(0.8, 1.02)
    ax.set_title(f"{data_name}: 5-fold accuracy (mean ± std)")
    ax.grid(axis="y", alpha=0.3)
axes[0].set_ylabel("accuracy")

# %%
# Unsupervised: clusters against the species
# -------------------------------------------
# K-Means and a Gaussian mixture with 3 components never see the labels; the
# adjusted Rand index (ARI) measures how well their clusters match the species
# (1 = perfectly, 0 = chance).
for data_name, (X, y) in datasets.items():
    X_scaled = StandardScaler().fit_transform(X)
    kmeans = KMeans(3, n_init=10, random_state=0).fit_predict(X_scaled)
    gmm = GaussianMixture(3, n_init=5, random_state=0).fit(X_scaled).predict(X_scaled)
    print(f"{data_name}: ARI K-Means {adjusted_rand_score(y, kmeans):.3f}, "
          f"Gaussian mixture {adjusted_rand_score(y, gmm):.3f}")

# %%
# Unsupervised: two dimensions from PCA and from a recurrent autoencoder
# ----------------------------------------------------------------------
# PCA projects on the two directions of largest variance; the
# :class:`~sklearn_seq.SequenceAutoencoder` reads the standardised row as a
# sequence, compresses it into a 2-number code and rebuilds the row from the
# code. Both are scored by the mean squared reconstruction error of the
# standardised data.
projections, errors = {}, {}
for data_name, (X, y) in datasets.items():
    X_scaled = StandardScaler().fit_transform(X)
    pca = PCA(2).fit(X_scaled)
    autoencoder = SequenceAutoencoder(n_components=2, hidden_size=32, lr=0.01, max_epochs=150,
                                      random_state=0).fit(X_scaled)
    projections[data_name, "PCA"] = pca.transform(X_scaled)
    projections[data_name, "autoencoder"] = autoencoder.transform(X_scaled)
    errors[data_name, "PCA"] = np.mean((pca.inverse_transform(pca.transform(X_scaled)) - X_scaled) ** 2)
    errors[data_name, "autoencoder"] = -autoencoder.score(X_scaled)
    for method in ("PCA", "autoencoder"):
        codes = projections[data_name, method]
        ari = adjusted_rand_score(y, GaussianMixture(3, n_init=5, random_state=0).fit_predict(codes))
        print(f"{data_name} {method:12s} reconstruction MSE {errors[data_name, method]:.3f}, "
              f"ARI of a 3-component mixture on the 2-D codes {ari:.3f}")

fig, axes = plt.subplots(2, 2, figsize=(9, 8), layout="constrained")
for row, (data_name, (_, y)) in zip(axes, datasets.items(), strict=True):
    for ax, method in zip(row, ("PCA", "autoencoder"), strict=True):
        codes = projections[data_name, method]
        points = ax.scatter(codes[:, 0], codes[:, 1], c=y, cmap="viridis", s=14, edgecolor="k", linewidth=0.3)
        ax.legend(points.legend_elements()[0], load_wine().target_names if data_name == "wine"
                  else load_iris().target_names, fontsize=8)
        ax.set_title(f"{data_name}: {method} (reconstruction MSE {errors[data_name, method]:.3f})", fontsize=10)
        ax.set_xlabel("component 1")
        ax.set_ylabel("component 2")

# %%
# Decision regions in the PCA plane
# ---------------------------------
# To draw decision regions, each classifier is trained on Iris's two PCA
# components (for the recurrent models: a sequence of two steps). The
# recurrent networks draw smooth boundaries much like the SVC's; the random
# forest's are axis-aligned steps that fit every training flower.
X, y = datasets["Iris"]
plane = make_pipeline(StandardScaler(), PCA(2)).fit_transform(X)
grid_x, grid_y = np.meshgrid(np.linspace(plane[:, 0].min() - 0.5, plane[:, 0].max() + 0.5, 150),
                             np.linspace(plane[:, 1].min() - 0.5, plane[:, 1].max() + 0.5, 150))
grid = np.c_[grid_x.ravel(), grid_y.ravel()]
shown = ["LSTM", "GRU", "SVC", "RandomForest"]
species = load_iris().target_names
cmap = plt.get_cmap("viridis", 3)  # one colour per species, the same in regions and points
fig, axes = plt.subplots(2, 2, figsize=(9, 8), layout="constrained", sharex=True, sharey=True)
for ax, name in zip(axes.ravel(), shown, strict=True):
    model = classifiers[name].fit(plane, y)
    ax.contourf(grid_x, grid_y, model.predict(grid).reshape(grid_x.shape), levels=[-0.5, 0.5, 1.5, 2.5],
                cmap=cmap, alpha=0.3)
    ax.scatter(plane[:, 0], plane[:, 1], c=y, cmap=cmap, vmin=-0.5, vmax=2.5, s=14, edgecolor="k", linewidth=0.3)
    ax.set_title(f"{name} (training accuracy {model.score(plane, y):.2f})", fontsize=10)
for ax in axes[1]:
    ax.set_xlabel("PCA component 1")
for ax in axes[:, 0]:
    ax.set_ylabel("PCA component 2")
handles = [plt.Line2D([], [], marker="o", linestyle="", markerfacecolor=cmap(k), markeredgecolor="k",
                      markersize=8, label=name) for k, name in enumerate(species)]
fig.legend(handles=handles, loc="outside lower center", ncols=3, title="species (points: true; regions: predicted)")
plt.show()
