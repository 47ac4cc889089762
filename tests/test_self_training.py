"""SelfTrainingClassifier: scikit-learn parity, selection criteria, and sequences that stay lists."""

import numpy as np
import pytest
import torch
from sklearn import config_context
from sklearn.datasets import load_breast_cancer, load_iris, make_classification
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier as SklearnSelfTraining
from sklearn.svm import SVC

from sklearn_seq import GRUClassifier, SelfTrainingClassifier

PARITY_SETTINGS = [
    {"criterion": "threshold", "threshold": 0.75},
    {"criterion": "threshold", "threshold": 0.99, "max_iter": 3},
    {"criterion": "k_best", "k_best": 10},
    {"criterion": "k_best", "k_best": 25, "max_iter": None},
]


def partially_labelled(y, fraction_unlabelled, seed):
    return np.where(np.random.RandomState(seed).rand(len(y)) < fraction_unlabelled, -1, y)


@pytest.mark.parametrize("loader", [load_iris, load_breast_cancer], ids=["iris", "breast_cancer"])
@pytest.mark.parametrize("settings", PARITY_SETTINGS, ids=lambda s: "-".join(f"{k}={v}" for k, v in s.items()))
def test_reproduces_scikit_learn_self_training(loader, settings):
    X, y = loader(return_X_y=True)
    y_partial = partially_labelled(y, 0.8, seed=1)
    estimator = make_pipeline(StandardScaler(), LogisticRegression())
    ours = SelfTrainingClassifier(estimator, **settings).fit(X, y_partial)
    reference = SklearnSelfTraining(estimator, **settings).fit(X, y_partial)
    np.testing.assert_array_equal(ours.transduction_, reference.transduction_)
    np.testing.assert_array_equal(ours.labeled_iter_, reference.labeled_iter_)
    assert ours.n_iter_ == reference.n_iter_
    assert ours.termination_condition_ == reference.termination_condition_
    np.testing.assert_allclose(ours.predict_proba(X), reference.predict_proba(X))
    assert len(ours.pseudo_label_history_) == ours.n_iter_
    np.testing.assert_array_equal(ours.pseudo_label_history_[-1], ours.transduction_)


def test_parity_covers_every_termination_condition():
    X, y = load_iris(return_X_y=True)
    y_partial = partially_labelled(y, 0.8, seed=1)
    conditions = {
        SelfTrainingClassifier(LogisticRegression(), **settings).fit(X, y_partial).termination_condition_
        for settings in PARITY_SETTINGS
    }
    assert conditions == {"max_iter", "all_labeled", "no_change"}


def test_fully_labelled_y_is_one_supervised_round():
    X, y = load_iris(return_X_y=True)
    with pytest.warns(UserWarning, match="y contains no unlabeled samples"):
        model = SelfTrainingClassifier(LogisticRegression(max_iter=1000)).fit(X, y)
    assert (model.n_iter_, model.termination_condition_) == (1, "all_labeled")
    np.testing.assert_allclose(model.predict_proba(X), LogisticRegression(max_iter=1000).fit(X, y).predict_proba(X))


def imbalanced(seed=0):
    X, y = make_classification(
        n_samples=2000, n_features=6, n_informative=4, weights=[0.9, 0.1], class_sep=2.0, random_state=seed
    )
    return X, y, partially_labelled(y, 0.95, seed)


@pytest.mark.parametrize("criterion", ["k_best", "percentile", "threshold"])
def test_class_balanced_selection_keeps_the_labelled_prior(criterion):
    X, y, y_partial = imbalanced()
    labelled = y_partial != -1
    prior = np.bincount(y_partial[labelled]) / labelled.sum()
    params = {"criterion": criterion, "k_best": 50, "percentile": 10.0, "threshold": 0.75, "max_iter": 5}
    pseudo = {}
    for balance in (False, True):
        model = SelfTrainingClassifier(LogisticRegression(), class_balance=balance, **params).fit(X, y_partial)
        pseudo_labels = model.transduction_[model.labeled_iter_ > 0]
        assert len(pseudo_labels) >= 100
        pseudo[balance] = np.bincount(pseudo_labels, minlength=2) / len(pseudo_labels)
    np.testing.assert_allclose(pseudo[True], prior, rtol=0.10)  # within +-10 % of each class's labelled share
    assert abs(pseudo[False][1] - prior[1]) > 0.1 * prior[1]  # unbalanced selection drifts from the prior


def test_class_quotas_split_by_largest_remainder():
    from sklearn_seq.semi_supervised._selection import class_quotas

    np.testing.assert_array_equal(class_quotas(10, np.array([0.9, 0.1])), [9, 1])
    np.testing.assert_array_equal(class_quotas(7, np.array([0.5, 0.3, 0.2])), [4, 2, 1])
    np.testing.assert_array_equal(class_quotas(3, np.array([1 / 3, 1 / 3, 1 / 3])), [1, 1, 1])


def test_percentile_curriculum_grows_by_a_fixed_share():
    X, y = load_iris(return_X_y=True)
    y_partial = partially_labelled(y, 0.8, seed=0)
    n_pool = (y_partial == -1).sum()
    model = SelfTrainingClassifier(LogisticRegression(), criterion="percentile", percentile=25.0).fit(X, y_partial)
    counts = [(history != -1).sum() - (y_partial != -1).sum() for history in model.pseudo_label_history_]
    assert counts == [int(np.ceil(min(1, 0.25 * t) * n_pool)) for t in range(1, 5)]
    assert (model.n_iter_, model.termination_condition_) == (4, "all_labeled")


def test_relabel_revises_pseudo_labels():
    X, y = load_iris(return_X_y=True)
    y_partial = partially_labelled(y, 0.9, seed=0)
    model = SelfTrainingClassifier(
        LogisticRegression(C=0.05), criterion="threshold", threshold=0.6, relabel=True, max_iter=10
    ).fit(X, y_partial)
    history = model.pseudo_label_history_
    pool = y_partial == -1
    # a sample may lose or change its pseudo-label between rounds, which relabel=False never does
    revised = ((history[:-1] != -1) & (history[1:] != history[:-1]))[:, pool]
    assert revised.any()
    fixed = SelfTrainingClassifier(LogisticRegression(C=0.05), threshold=0.6, max_iter=10).fit(X, y_partial)
    fixed_history = fixed.pseudo_label_history_
    assert not ((fixed_history[:-1] != -1) & (fixed_history[1:] != fixed_history[:-1])).any()
    labelled_now = model.transduction_ != -1
    assert np.all((model.labeled_iter_ >= 0) == labelled_now)
    assert model.termination_condition_ in {"no_change", "max_iter", "all_labeled"}


def test_confidence_weights_reach_the_estimator():
    seen = []

    class Recorder(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            seen.append(sample_weight)
            return super().fit(X, y, sample_weight=sample_weight)

    X, y = load_iris(return_X_y=True)
    y_partial = partially_labelled(y, 0.8, seed=0)
    model = SelfTrainingClassifier(Recorder(), pseudo_label_weight="confidence", threshold=0.7).fit(X, y_partial)
    final = seen[-1]
    train = model.transduction_ != -1
    assert len(final) == train.sum()
    assert np.all(final[model.labeled_iter_[train] == 0] == 1.0)
    pseudo_weights = final[model.labeled_iter_[train] > 0]
    assert len(pseudo_weights) and np.all((pseudo_weights > 0.7) & (pseudo_weights <= 1.0))
    with pytest.raises(ValueError, match="pseudo_label_weight='confidence' passes sample_weight, which Pipeline.fit"):
        SelfTrainingClassifier(make_pipeline(LogisticRegression()), pseudo_label_weight="confidence").fit(X, y_partial)


def test_validation_fraction_stops_early_and_keeps_the_best_fit():
    X, y = load_breast_cancer(return_X_y=True)
    y_partial = partially_labelled(y, 0.9, seed=0)
    model = SelfTrainingClassifier(
        make_pipeline(StandardScaler(), LogisticRegression()), criterion="k_best", k_best=5,
        validation_fraction=0.3, n_iter_no_change=2, max_iter=30, random_state=0,
    ).fit(X, y_partial)
    scores = model.validation_scores_
    assert model.termination_condition_ == "early_stopping"
    assert len(scores) == model.n_iter_ < 30
    assert max(scores[-2:]) <= max(scores[:-2])
    labelled = np.flatnonzero(y_partial != -1)
    _, held_out = train_test_split(labelled, test_size=0.3, stratify=y_partial[labelled], random_state=0)
    assert model.estimator_.score(X[held_out], y[held_out]) == max(scores)  # the best fit is kept
    assert np.max(model.labeled_iter_) <= int(np.argmax(scores))  # with the pseudo-labels it was trained on
    assert np.all(model.labeled_iter_[held_out] == 0)


class WeightRecorder(LogisticRegression):
    """Records the sample weights of every fit and score."""

    seen = []

    def fit(self, X, y, sample_weight=None):
        WeightRecorder.seen.append(("fit", len(X), sample_weight))
        return super().fit(X, y, sample_weight=sample_weight)

    def score(self, X, y, sample_weight=None):
        WeightRecorder.seen.append(("score", len(X), sample_weight))
        return super().score(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize("pseudo_label_weight", ["uniform", "confidence"])
def test_metadata_routing_gives_each_fit_the_weights_of_its_samples(pseudo_label_weight):
    X, y = load_iris(return_X_y=True)
    y_partial = partially_labelled(y, 0.8, seed=0)
    weights = np.linspace(0.2, 3.0, 150)
    WeightRecorder.seen.clear()
    with config_context(enable_metadata_routing=True):
        # score is routed too (for validation_fraction), so its request must be set, as in scikit-learn
        estimator = WeightRecorder(C=0.1).set_fit_request(sample_weight=True).set_score_request(sample_weight=False)
        model = SelfTrainingClassifier(
            estimator, criterion="k_best", k_best=20, max_iter=3, pseudo_label_weight=pseudo_label_weight
        ).fit(X, y_partial, sample_weight=weights)
    fits = [(n, w) for call, n, w in WeightRecorder.seen if call == "fit"]
    assert len(fits) == model.n_iter_ + 1 == 4 and all(len(w) == n for n, w in fits)
    train = np.flatnonzero(model.transduction_ != -1)
    given = model.labeled_iter_[train] == 0
    final = fits[-1][1]
    np.testing.assert_array_equal(final[given], weights[train][given])
    if pseudo_label_weight == "uniform":
        np.testing.assert_array_equal(final, weights[train])
        reference = LogisticRegression(C=0.1).fit(X[train], model.transduction_[train], sample_weight=weights[train])
        np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(X))
    else:  # routed weights times the confidence of each pseudo-label
        ratio = final[~given] / weights[train][~given]
        assert np.all((ratio > 1 / 3) & (ratio < 1))


def test_metadata_routing_reaches_the_validation_score():
    X, y = load_iris(return_X_y=True)
    y_partial = partially_labelled(y, 0.6, seed=0)
    weights = np.linspace(0.2, 3.0, 150)
    WeightRecorder.seen.clear()
    with config_context(enable_metadata_routing=True):
        estimator = WeightRecorder(C=0.1).set_fit_request(sample_weight=False).set_score_request(sample_weight=True)
        model = SelfTrainingClassifier(estimator, validation_fraction=0.3, max_iter=2, random_state=0)
        model.fit(X, y_partial, sample_weight=weights)
    labelled = np.flatnonzero(y_partial != -1)
    _, held_out = train_test_split(labelled, test_size=0.3, stratify=y_partial[labelled], random_state=0)
    scores = [w for call, _, w in WeightRecorder.seen if call == "score"]
    fits = [w for call, _, w in WeightRecorder.seen if call == "fit"]
    assert len(scores) == len(model.validation_scores_) >= 2
    for w in scores:
        np.testing.assert_array_equal(w, weights[np.sort(held_out)])
    assert all(w is None for w in fits)  # not requested for fit: not routed there


def test_metadata_without_routing_or_request_is_refused_as_scikit_learn_does():
    X, y = load_iris(return_X_y=True)
    y_partial = partially_labelled(y, 0.8, seed=0)
    weights = np.ones(150)
    message = "Passing extra keyword arguments to SelfTrainingClassifier.fit is only supported if"
    for cls in (SelfTrainingClassifier, SklearnSelfTraining):
        with pytest.raises(ValueError, match=message):
            cls(LogisticRegression()).fit(X, y_partial, sample_weight=weights)
    with config_context(enable_metadata_routing=True), pytest.raises(UnsetMetadataPassedError, match="sample_weight"):
        SelfTrainingClassifier(LogisticRegression()).fit(X, y_partial, sample_weight=weights)
    with config_context(enable_metadata_routing=True):  # nothing passed: the same fit as without routing
        routed = SelfTrainingClassifier(LogisticRegression()).fit(X, y_partial)
    plain = SelfTrainingClassifier(LogisticRegression()).fit(X, y_partial)
    np.testing.assert_array_equal(routed.transduction_, plain.transduction_)
    np.testing.assert_allclose(routed.predict_proba(X), plain.predict_proba(X))


def test_string_labels_with_a_marker():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])
    y_partial = partially_labelled(y, 0.8, seed=1)
    y_str = np.where(y_partial == -1, "?", names[y_partial])
    ours = SelfTrainingClassifier(LogisticRegression(), unlabeled_label="?").fit(X, y_str)
    numeric = SelfTrainingClassifier(LogisticRegression()).fit(X, y_partial)
    expected = np.where(numeric.transduction_ == -1, "?", names[numeric.transduction_])
    np.testing.assert_array_equal(ours.transduction_, expected)
    assert ours.classes_.tolist() == names.tolist()


def test_errors():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        SelfTrainingClassifier(LogisticRegression()).fit(X, None)
    with pytest.raises(ValueError, match="every sample of y is marked unlabelled"):
        SelfTrainingClassifier(LogisticRegression()).fit(X, np.full(150, -1))
    with pytest.raises(ValueError, match="through the estimator's warm_start parameter, which SVC does not have"):
        SelfTrainingClassifier(SVC(), warm_start=True).fit(X, y)


# -- sequences -----------------------------------------------------------------------------------------------------

RECEIVED = []


class SpyGRU(GRUClassifier):
    """GRUClassifier that records the type of every X it is given."""

    def fit(self, X, y):
        RECEIVED.append(("fit", type(X)))
        return super().fit(X, y)

    def predict_proba(self, X):
        RECEIVED.append(("predict_proba", type(X)))
        return super().predict_proba(X)


def ragged_sign_data(n=200, seed=0):
    """Sequences of lengths 5-50 whose label is the sign of their drift; all but 20 unlabelled."""
    rng = np.random.RandomState(seed)
    y = rng.randint(2, size=n)
    X = [rng.normal(loc=0.6 * (2 * label - 1), size=rng.randint(5, 51)) for label in y]
    y_partial = np.full(n, -1)
    for c in (0, 1):
        y_partial[rng.choice(np.flatnonzero(y == c), 10, replace=False)] = c
    return X, y, y_partial


@pytest.mark.slow
def test_ragged_sequences_stay_a_list_end_to_end():
    torch.set_num_threads(1)
    X, y, y_partial = ragged_sign_data()
    RECEIVED.clear()
    model = SelfTrainingClassifier(
        SpyGRU(hidden_size=16, lr=0.03, max_epochs=15, random_state=0), criterion="k_best", k_best=40, max_iter=3
    ).fit(X, y_partial)
    assert RECEIVED and all(kind is list for _, kind in RECEIVED)
    assert {call for call, _ in RECEIVED} == {"fit", "predict_proba"}
    assert model.n_iter_ == 3 and (model.labeled_iter_ > 0).sum() == 120
    pseudo = model.labeled_iter_ > 0
    assert np.mean(model.transduction_[pseudo] == y[pseudo]) >= 0.9
    assert model.score(X, y) >= 0.9
    assert isinstance(model.predict(X[:3]), np.ndarray)


@pytest.mark.slow
def test_warm_start_continues_the_network_with_fewer_epochs():
    torch.set_num_threads(1)
    X, y, y_partial = ragged_sign_data()
    gru = GRUClassifier(hidden_size=16, lr=0.03, max_epochs=15, random_state=0)
    settings = {"criterion": "k_best", "k_best": 40, "max_iter": 3}
    cold = SelfTrainingClassifier(gru, **settings).fit(X, y_partial)
    warm = SelfTrainingClassifier(gru, warm_start=True, warm_start_params={"max_epochs": 5}, **settings)
    warm.fit(X, y_partial)
    # cold: 4 fits of 15 epochs from scratch; warm: 15 epochs, then 5 more for each of the 3 later fits
    assert len(cold.estimator_.history_) == 15
    assert len(warm.estimator_.history_) == 15 + 3 * 5
    assert warm.estimator_.get_params()["warm_start"] and warm.estimator_.max_epochs == 5
    # Measured with Keras's initialisation: cold 0.99, warm 0.955 (3 epochs per round: 0.91; seed 1: 1.0 both)
    assert warm.score(X, y) >= cold.score(X, y) - 0.04


FITS = []  # (estimator, its probabilities on PROBE) after every fit of a RoundRecorder


class RoundRecorderGRU(GRUClassifier):
    def fit(self, X, y):
        super().fit(X, y)
        FITS.append((self, self.predict_proba(FITS_PROBE[0])))
        return self


class RoundRecorderMLP(MLPClassifier):
    def fit(self, X, y):
        super().fit(X, y)
        FITS.append((self, self.predict_proba(FITS_PROBE[0])))
        return self


FITS_PROBE = [None]


def best_round_case(kind):
    """Data, an estimator that records its rounds, and its warm_start_params."""
    if kind == "mlp":  # one epoch a round: the validation score climbs for a few rounds, then stalls
        X, y = load_breast_cancer(return_X_y=True)
        X = (X - X.mean(axis=0)) / X.std(axis=0)
        estimator = RoundRecorderMLP(hidden_layer_sizes=(4,), max_iter=1, learning_rate_init=0.001, random_state=0)
        return X, partially_labelled(y, 0.9, seed=0), estimator, {"max_iter": 1}
    X, _, y_partial = ragged_sign_data(n=120)
    estimator = RoundRecorderGRU(hidden_size=8, lr=0.03, max_epochs=4, random_state=0)
    return X, y_partial, estimator, {"max_epochs": 2}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("kind, warm_start", [("gru", False), ("gru", True), ("mlp", True)])
def test_the_restored_best_round_predicts_as_it_did_at_that_round(kind, warm_start):
    """The best validated fit is restored after later rounds refit (or, warm, keep training) the estimator."""
    torch.set_num_threads(1)
    X, y_partial, estimator, warm_start_params = best_round_case(kind)
    FITS.clear()
    FITS_PROBE[0] = X
    model = SelfTrainingClassifier(
        estimator, criterion="k_best", k_best=15, validation_fraction=0.5, n_iter_no_change=2, max_iter=8,
        warm_start=warm_start, warm_start_params=warm_start_params if warm_start else None, random_state=1,
    ).fit(X, y_partial)
    assert model.termination_condition_ == "early_stopping"
    assert len(FITS) == len(model.validation_scores_)
    best = int(np.argmax(model.validation_scores_))
    assert best == (3 if kind == "mlp" else 0)  # measured; the MLP's best is a middle round
    assert not np.allclose(FITS[best][1], FITS[-1][1])  # later rounds changed the fit ...
    np.testing.assert_array_equal(model.predict_proba(X), FITS[best][1])  # ... and the best one is back
    if kind == "gru":  # restored by its weights, in the estimator that was refitted: no copy of the net
        assert model.estimator_ is FITS[-1][0]
