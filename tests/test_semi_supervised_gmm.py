"""SemiSupervisedGMM: the supervised limit, EM's monotone objective, and when unlabelled data helps or hurts."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_iris, load_wine
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklearn_seq import SemiSupervisedGMM

COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"]


def hide_labels(y, n_per_class, rng):
    """A copy of ``y`` with all but ``n_per_class`` random labels per class set to -1."""
    partial = np.full_like(y, -1)
    for c in np.unique(y):
        keep = rng.choice(np.flatnonzero(y == c), n_per_class, replace=False)
        partial[keep] = c
    return partial


@pytest.fixture(scope="module")
def iris_few_labels():
    X, y = load_iris(return_X_y=True)
    return X, y, hide_labels(y, 3, np.random.RandomState(0))


def semi_supervised_accuracies(X, y, n_labels, weights, seeds, **params):
    """Mean held-out accuracy per unlabelled weight: 2/3 train (n_labels per class, rest unlabelled), 1/3 test."""
    scores = {weight: [] for weight in weights}
    for seed in seeds:
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=1 / 3, stratify=y, random_state=seed)
        y_partial = hide_labels(y_train, n_labels, np.random.RandomState(seed))
        for weight in weights:
            gmm = SemiSupervisedGMM(unlabeled_weight=weight, random_state=seed, **params).fit(X_train, y_partial)
            scores[weight].append(gmm.score(X_test, y_test))
    return {weight: np.mean(values) for weight, values in scores.items()}


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_zero_unlabeled_weight_is_the_supervised_per_class_fit(iris_few_labels, covariance_type):
    X, _, y = iris_few_labels
    gmm = SemiSupervisedGMM(covariance_type=covariance_type, unlabeled_weight=0.0).fit(X, y)
    labeled = y != -1
    class_means = np.array([X[y == c].mean(axis=0) for c in range(3)])
    np.testing.assert_allclose(gmm.means_, class_means, rtol=0, atol=1e-8)
    np.testing.assert_allclose(gmm.weights_, np.bincount(y[labeled]) / labeled.sum(), atol=1e-12)
    if covariance_type == "full":
        class_covariances = np.array([np.cov(X[y == c].T, bias=True) + 1e-6 * np.eye(4) for c in range(3)])
        np.testing.assert_allclose(gmm.covariances_, class_covariances, rtol=0, atol=1e-8)
    # the unlabelled samples change nothing
    supervised = SemiSupervisedGMM(covariance_type=covariance_type, unlabeled_weight=0.0).fit(X[labeled], y[labeled])
    np.testing.assert_allclose(gmm.covariances_, supervised.covariances_, rtol=0, atol=1e-10)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("unlabeled_weight", [0.3, 1.0])
def test_em_objective_never_decreases(iris_few_labels, covariance_type, unlabeled_weight):
    X, _, y = iris_few_labels
    gmm = SemiSupervisedGMM(
        2, covariance_type=covariance_type, unlabeled_weight=unlabeled_weight, tol=0, max_iter=60,
        init_params="random", random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tol=0 never converges
        gmm.fit(X, y)
    assert len(gmm.lower_bounds_) == gmm.n_iter_ == 60
    steps = np.diff(gmm.lower_bounds_)
    assert steps.min() >= -1e-9 * np.abs(gmm.lower_bounds_).max()
    assert gmm.lower_bounds_[-1] > gmm.lower_bounds_[0]


@pytest.mark.parametrize("loader", [load_iris, load_wine], ids=["iris", "wine"])
def test_unlabeled_data_helps_a_well_specified_model(loader):
    """Standardised, 3 labels per class, 20 seeds, tied covariance (the lecture's shared-covariance model)."""
    X, y = loader(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    scores = semi_supervised_accuracies(X, y, 3, [0.0, 1.0], range(20), covariance_type="tied")
    # measured: iris 0.961 vs 0.898, wine 0.956 vs 0.852
    assert scores[1.0] >= 0.95
    assert scores[1.0] >= scores[0.0] + 0.04


def test_auto_weight_protects_a_misspecified_model():
    """Digits in 20 PCA dimensions are far from diagonal Gaussians: lambda=1 hurts, 'auto' does not."""
    X, y = load_digits(return_X_y=True)
    X = PCA(20, random_state=0).fit_transform(X)
    scores = semi_supervised_accuracies(X, y, 10, [0.0, 1.0, "auto"], range(6), covariance_type="diag")
    # measured: 0.840 (lambda=0), 0.814 (lambda=1), 0.854 ('auto')
    assert scores[1.0] < scores[0.0] - 0.02
    assert scores["auto"] >= scores[0.0] - 0.01


def four_blobs_on_a_line(seed, n_per_blob=100, n_labels=10):
    """Blobs at x = 0, 5, 10, 15 with classes 0, 1, 0, 1: each class is bimodal."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(4 * n_per_blob, 2))
    X[:, 0] += np.repeat(np.arange(4) * 5.0, n_per_blob)
    y = np.repeat([0, 1, 0, 1], n_per_blob)
    return X, y, hide_labels(y, n_labels, rng)


def test_several_components_per_class_model_multimodal_classes():
    one, two = [], []
    for seed in range(6):
        X, y, y_partial = four_blobs_on_a_line(seed)
        one.append(np.mean(SemiSupervisedGMM(1, random_state=seed).fit(X, y_partial).transduction_ == y))
        gmm = SemiSupervisedGMM(2, n_init=5, random_state=seed).fit(X, y_partial)
        two.append(np.mean(gmm.transduction_ == y))
        assert np.array_equal(gmm.component_class_, [0, 0, 1, 1])
    # measured: 2 per class 0.98-0.99 on every seed; 1 per class 0.52-0.66, mean 0.55
    assert min(two) >= 0.95
    assert np.mean(one) <= 0.65


def test_components_per_class_as_a_dict():
    X, y, y_partial = four_blobs_on_a_line(0)
    y_partial = np.where(y_partial == -1, "?", np.where(y_partial == 0, "even", "odd"))
    gmm = SemiSupervisedGMM({"even": 2, "odd": 2}, unlabeled_label="?", random_state=0).fit(X, y_partial)
    assert gmm.classes_.tolist() == ["even", "odd"]
    assert np.mean(gmm.transduction_ == np.where(y == 0, "even", "odd")) >= 0.95
    with pytest.raises(ValueError, match=r"n_components_per_class has no entry for the labelled classes \['odd'\]"):
        SemiSupervisedGMM({"even": 2}, unlabeled_label="?").fit(X, y_partial)
    with pytest.raises(ValueError, match=r"names classes without labelled samples: \['three'\]"):
        SemiSupervisedGMM({"even": 1, "odd": 1, "three": 1}, unlabeled_label="?").fit(X, y_partial)


def test_string_labels_with_a_marker(iris_few_labels):
    X, y, y_partial = iris_few_labels
    names = np.array(["setosa", "versicolor", "virginica"])
    y_str = np.where(y_partial == -1, "unlabeled", names[y_partial]).astype(object)
    gmm = SemiSupervisedGMM(covariance_type="tied", unlabeled_label="unlabeled", random_state=0).fit(X, y_str)
    numeric = SemiSupervisedGMM(covariance_type="tied", random_state=0).fit(X, y_partial)
    assert gmm.classes_.tolist() == names.tolist()
    np.testing.assert_array_equal(gmm.transduction_, names[numeric.transduction_])
    np.testing.assert_allclose(gmm.predict_proba(X), numeric.predict_proba(X))


def test_transduction_and_label_distributions(iris_few_labels):
    X, y, y_partial = iris_few_labels
    gmm = SemiSupervisedGMM(covariance_type="tied", random_state=0).fit(X, y_partial)
    labeled = y_partial != -1
    np.testing.assert_array_equal(gmm.transduction_[labeled], y_partial[labeled])
    np.testing.assert_array_equal(gmm.label_distributions_[labeled], np.eye(3)[y_partial[labeled]])
    np.testing.assert_allclose(gmm.label_distributions_[~labeled], gmm.predict_proba(X[~labeled]))
    np.testing.assert_array_equal(gmm.transduction_[~labeled], gmm.predict(X[~labeled]))
    assert np.mean(gmm.transduction_ == y) >= 0.97  # measured 0.98


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_densities_match_scikit_learn_gaussian_mixture(iris_few_labels, covariance_type):
    """Copy the fitted parameters into GaussianMixture: same log-densities, BIC, AIC and component posteriors."""
    X, _, y = iris_few_labels
    gmm = SemiSupervisedGMM(2, covariance_type=covariance_type, init_params="random", random_state=0).fit(X, y)
    reference = GaussianMixture(6, covariance_type=covariance_type)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_", "n_features_in_"):
        setattr(reference, name, getattr(gmm, name))
    np.testing.assert_allclose(gmm.score_samples(X), reference.score_samples(X), rtol=1e-10)
    assert gmm.bic(X) == pytest.approx(reference.bic(X), rel=1e-10)
    assert gmm.aic(X) == pytest.approx(reference.aic(X), rel=1e-10)
    class_proba = reference.predict_proba(X) @ np.eye(3)[gmm.component_class_]
    np.testing.assert_allclose(gmm.predict_proba(X), class_proba, atol=1e-10)
    inverse = np.linalg.inv(gmm.covariances_) if covariance_type in ("full", "tied") else 1 / gmm.covariances_
    np.testing.assert_allclose(gmm.precisions_, inverse, rtol=1e-6, atol=1e-9 * np.abs(inverse).max())


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_sample_draws_from_the_class_components(covariance_type):
    X, y, y_partial = four_blobs_on_a_line(0)
    gmm = SemiSupervisedGMM(2, covariance_type=covariance_type, random_state=0).fit(X, y_partial)
    X_new, y_new = gmm.sample(4000)
    assert X_new.shape == (4000, 2) and set(np.unique(y_new)) == {0, 1}
    np.testing.assert_allclose(np.bincount(y_new) / 4000, [0.5, 0.5], atol=0.03)
    assert np.mean(gmm.predict(X_new) == y_new) >= 0.97  # samples land in their own class's regions


def test_warm_start_continues_from_the_previous_fit(iris_few_labels):
    X, _, y = iris_few_labels
    gmm = SemiSupervisedGMM(covariance_type="tied", warm_start=True, tol=1e-8, random_state=0).fit(X, y)
    means = gmm.means_.copy()
    gmm.fit(X, y)
    assert gmm.n_iter_ <= 2
    np.testing.assert_allclose(gmm.means_, means, atol=1e-4)
    y_other = np.where(y == 2, -1, y)
    with pytest.raises(ValueError, match="whose classes or components per class differ"):
        gmm.fit(X, y_other)


def two_classes_far_apart_of_two_overlapping_blobs(seed=0, n_per_blob=150, n_labels=10):
    """Classes 60 units apart, each two overlapping Gaussians: EM needs many iterations within a class."""
    rng = np.random.RandomState(seed)
    centres = np.array([[0.0, 0.0], [2.5, 1.0], [60.0, 0.0], [61.0, 2.5]])
    scales = np.array([[1.0, 0.6], [0.7, 1.2], [1.2, 0.8], [0.6, 1.0]])
    X = np.concatenate([c + s * rng.normal(size=(n_per_blob, 2)) for c, s in zip(centres, scales, strict=True)])
    y = np.repeat([0, 0, 1, 1], n_per_blob)
    return X, hide_labels(y, n_labels, rng)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_em_and_its_warm_start_match_gaussian_mixture_where_the_models_coincide(covariance_type):
    """lambda = 1 and classes so far apart that a labelled sample's other-class responsibilities underflow to 0.

    Restricting labelled samples to their class's components then changes nothing, and the objective is
    GaussianMixture's mean log-likelihood: from the same start, both must run the same EM, iteration for
    iteration, through a first fit stopped early, a warm start that resumes it, and a warm start on a
    converged fit (one iteration: the objective resumes from ``lower_bound_``, not from -inf).
    """
    X, y = two_classes_far_apart_of_two_overlapping_blobs()
    params = {"covariance_type": covariance_type, "tol": 1e-8, "random_state": 0}
    start = SemiSupervisedGMM(2, max_iter=0, **params).fit(X, y)  # the initial mixture of a cold fit
    ours = SemiSupervisedGMM(2, unlabeled_weight=1.0, warm_start=True, **params)
    reference = GaussianMixture(
        4, warm_start=True, weights_init=start.weights_, means_init=start.means_, precisions_init=start.precisions_,
        **params,
    )
    n_iters = []
    for max_iter in (5, 500, 500):
        ours.set_params(max_iter=max_iter)
        reference.set_params(max_iter=max_iter)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # the first fit stops early on purpose
            ours.fit(X, y)
            reference.fit(X)
        assert ours.n_iter_ == reference.n_iter_
        assert ours.converged_ == reference.converged_
        if hasattr(reference, "lower_bounds_"):  # scikit-learn >= 1.7 records them
            np.testing.assert_allclose(ours.lower_bounds_, reference.lower_bounds_, rtol=0, atol=1e-9)
        assert ours.lower_bound_ == pytest.approx(reference.lower_bound_, rel=0, abs=1e-9)
        np.testing.assert_allclose(ours.means_, reference.means_, rtol=0, atol=1e-6)
        np.testing.assert_allclose(ours.covariances_, reference.covariances_, rtol=0, atol=1e-6)
        n_iters.append(ours.n_iter_)
    assert n_iters[0] == 5 and n_iters[1] > 5 and n_iters[2] == 1


def test_auto_records_the_cross_validated_weights(iris_few_labels):
    X, _, y = iris_few_labels
    gmm = SemiSupervisedGMM(covariance_type="tied", unlabeled_weight="auto", random_state=0).fit(X, y)
    assert set(gmm.unlabeled_weight_scores_) == {0.0, 0.01, 0.03, 0.1, 0.3, 1.0}
    assert gmm.unlabeled_weight_ == max(gmm.unlabeled_weight_scores_, key=gmm.unlabeled_weight_scores_.get)
    assert not hasattr(SemiSupervisedGMM().fit(X, y), "unlabeled_weight_scores_")


def test_verbose_prints_initializations_and_iterations(iris_few_labels, capsys):
    X, _, y = iris_few_labels
    SemiSupervisedGMM(covariance_type="tied", n_init=2, verbose=2, random_state=0).fit(X, y)
    out = capsys.readouterr().out
    assert out.count("Initialization converged.") == 2
    assert "Iteration 1\t time lapse" in out


def test_errors():
    X = np.random.RandomState(0).normal(size=(12, 2))
    with pytest.raises(ValueError, match=r"needs labelled samples; every sample of y is marked unlabelled"):
        SemiSupervisedGMM().fit(X, np.full(12, -1))
    with pytest.raises(ValueError, match="needs labelled samples of at least 2 classes; got one class: 3"):
        SemiSupervisedGMM().fit(X, np.r_[3, np.full(11, -1)])
    y = np.r_[0, 1, 1, np.full(9, -1)]
    with pytest.raises(ValueError, match="'auto' needs at least 2 labelled samples per class"):
        SemiSupervisedGMM(unlabeled_weight="auto").fit(X, y)
    with pytest.raises(ValueError, match=r"init_params='kmeans' needs at least as many labelled samples as components"):
        SemiSupervisedGMM(2).fit(X, y)
    assert SemiSupervisedGMM(2, init_params="random", random_state=0).fit(X, y).means_.shape == (4, 2)
    with pytest.raises(ValueError, match="Unknown label type"):
        SemiSupervisedGMM().fit(X, np.linspace(0, 1, 12))
    with pytest.raises(ValueError, match="n_samples must be a positive integer; got 0"):
        SemiSupervisedGMM().fit(X, np.r_[0, 0, 1, 1, np.full(8, -1)]).sample(0)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
@pytest.mark.parametrize(("scale", "dtype"), [(1e200, np.float64), (1e30, np.float32)])
def test_finite_but_huge_X_says_the_covariance_overflowed(covariance_type, scale, dtype):
    # Was: scipy's "array must not contain infs or NaNs" from the Cholesky factorisation.
    rng = np.random.RandomState(0)
    X = (np.r_[rng.randn(10, 2) - 3, rng.randn(10, 2) + 3] * scale).astype(dtype)
    assert np.isfinite(X).all()
    y = np.repeat([0, 1], 10)
    y[2:8] = y[12:18] = -1
    with pytest.raises(ValueError, match=f"covariance of X overflowed.*{np.dtype(dtype).name}.*StandardScaler"):
        SemiSupervisedGMM(covariance_type=covariance_type, random_state=0).fit(X, y)
    # The remedy works: the same data rescaled fits.
    model = SemiSupervisedGMM(covariance_type=covariance_type, random_state=0).fit(X / scale, y)
    assert (model.predict(X / scale) == np.repeat([0, 1], 10)).all()
