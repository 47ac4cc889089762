"""SemiSupervisedGMM: a Gaussian mixture classifier fitted by EM on labelled and unlabelled samples."""

from numbers import Integral, Real

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d, validate_data

from .._compat import Interval, StrOptions, _fit_context
from .._version_stamp import VersionStampMixin
from . import _gaussian as gaussian
from ._em import EMResult, EMSettings, class_log_joint, class_posteriors, cross_validate_weights, fit_em
from ._labels import check_labeled, unlabeled_mask


class SemiSupervisedGMM(ClassifierMixin, VersionStampMixin, BaseEstimator):
    """Gaussian mixture classifier fitted by EM on labelled and unlabelled samples.

    Each class is a mixture of ``n_components_per_class`` Gaussians; all
    components together form one Gaussian mixture ``p(x) = sum_k w_k N(x; mu_k,
    Sigma_k)``. EM maximises the labelled log-likelihood plus ``unlabeled_weight``
    (lambda) times the unlabelled one::

        sum_labelled log sum_{k in class(y_i)} w_k N(x_i; mu_k, Sigma_k)
        + lambda * sum_unlabelled log sum_k w_k N(x_u; mu_k, Sigma_k)

    In the E-step a labelled sample's responsibilities are restricted to its own
    class's components; an unlabelled sample is shared among all of them. The
    M-step is the usual weighted maximum-likelihood update, with each unlabelled
    sample weighted by lambda. Unlabelled samples are those whose label equals
    ``unlabeled_label`` (-1 by default). With ``unlabeled_weight=0`` the model
    is the supervised per-class Gaussian (mixture) fit, i.e. quadratic or (tied)
    linear discriminant analysis.

    Unlabelled data helps when the model is right and can hurt when it is wrong:
    ``unlabeled_weight='auto'`` chooses lambda by cross-validation on the
    labelled samples, 0 (the supervised fit) among the candidates.

    Read more in the :ref:`User Guide <semi_supervised>`.

    Parameters
    ----------
    n_components_per_class : int or dict, default=1
        Gaussian components of each class; a dict maps each class label to its
        number of components.

    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default='full'
        Each component has its own full covariance matrix (``'full'``), all
        share one (``'tied'``), each has a diagonal one (``'diag'``) or a single
        variance (``'spherical'``).

    unlabeled_weight : float in [0, 1] or 'auto', default=1.0
        Weight lambda of the unlabelled samples' log-likelihood. ``'auto'``
        picks the value among (0, 0.01, 0.03, 0.1, 0.3, 1) with the best accuracy
        in a stratified (up to 3-fold) cross-validation over the labelled samples (held-out labelled
        samples count as unlabelled; ties go to the smaller lambda); it needs at
        least 2 labelled samples per class.

    unlabeled_label : int, float or str, default=-1
        The value of ``y`` that marks a sample as unlabelled: ``-1`` is
        scikit-learn's convention for numeric labels; with string labels use the
        marker of your data, e.g. ``'unlabeled'``. Every other value is a class.

    tol : float, default=1e-3
        EM stops when the objective (the weighted mean log-likelihood) changes
        by less than this.

    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance so that it stays positive
        definite.

    max_iter : int, default=100
        Maximum number of EM iterations per initialization.

    n_init : int, default=1
        Number of initializations; the one with the highest objective is kept.

    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data'}, \
default='kmeans'
        How the components of a class with several are initialised from that
        class's labelled samples: responsibilities from k-means, one seed
        sample per component by k-means++ or at random, or random
        responsibilities. Classes with one component start from their labelled
        mean and covariance.

    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation, the folds of ``'auto'`` and :meth:`sample`.

    warm_start : bool, default=False
        Start from the previous fit's parameters (one initialization) when
        ``fit`` is called again with the same classes. As in
        :class:`~sklearn.mixture.GaussianMixture`, EM resumes: the first
        iteration's change of the objective is measured from ``lower_bound_``,
        so a converged fit continued on the same data stops after one iteration.

    verbose : int, default=0
        1 prints each initialization's outcome, 2 also every iteration.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels of the labelled samples.

    component_class_ : ndarray of shape (n_components,)
        Index into ``classes_`` of each component's class.

    weights_ : ndarray of shape (n_components,)
        Mixture weights ``p(component)``; a class's prior is the sum over its
        components.

    means_ : ndarray of shape (n_components, n_features)
        Component means.

    covariances_ : ndarray
        Component covariances, of shape ``(n_components, n_features,
        n_features)`` if 'full', ``(n_features, n_features)`` if 'tied',
        ``(n_components, n_features)`` if 'diag', ``(n_components,)`` if
        'spherical'.

    precisions_ : ndarray
        Inverses of ``covariances_``, same shape.

    precisions_cholesky_ : ndarray
        Upper-triangular Cholesky factors of the precisions (``precision = U @
        U.T``), same shape.

    converged_ : bool
        Whether the best initialization converged.

    n_iter_ : int
        EM iterations of the best initialization.

    lower_bound_ : float
        Objective of the best initialization: the log-likelihood above divided by
        ``n_labelled + lambda * n_unlabelled``.

    lower_bounds_ : list of float
        The objective at every iteration of the best initialization; EM never
        lets it decrease.

    unlabeled_weight_ : float
        The lambda used: ``unlabeled_weight``, or the one ``'auto'`` chose.

    unlabeled_weight_scores_ : dict
        Only with ``'auto'``: mean cross-validated accuracy of each candidate.

    transduction_ : ndarray of shape (n_samples,)
        Labels of the training samples: the given ones, and the predicted class
        of each unlabelled sample.

    label_distributions_ : ndarray of shape (n_samples, n_classes)
        Class distribution of every training sample: one-hot for labelled
        samples, the posterior ``p(class | x)`` for unlabelled ones.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`, when ``X`` has string column
        names.

    See Also
    --------
    sklearn.mixture.GaussianMixture : The unsupervised mixture.
    SelfTrainingClassifier : Self-training around any classifier.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq import SemiSupervisedGMM
    >>> rng = np.random.RandomState(0)
    >>> X = np.concatenate([rng.normal(-2, 1, (50, 2)), rng.normal(2, 1, (50, 2))])
    >>> y = np.full(100, -1)
    >>> y[[0, 50]] = [0, 1]  # one label per class, 98 unlabelled samples
    >>> gmm = SemiSupervisedGMM(covariance_type="spherical").fit(X, y)
    >>> gmm.predict([[-2.0, -1.5], [2.5, 2.0]])
    array([0, 1])
    >>> float((gmm.transduction_ == np.repeat([0, 1], 50)).mean())
    1.0
    """

    _parameter_constraints: dict = {
        "n_components_per_class": [Interval(Integral, 1, None, closed="left"), dict],
        "covariance_type": [StrOptions(set(gaussian.COVARIANCE_TYPES))],
        "unlabeled_weight": [Interval(Real, 0.0, 1.0, closed="both"), StrOptions({"auto"})],
        "unlabeled_label": "no_validation",
        "tol": [Interval(Real, 0.0, None, closed="left")],
        "reg_covar": [Interval(Real, 0.0, None, closed="left")],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "init_params": [StrOptions({"kmeans", "k-means++", "random", "random_from_data"})],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        n_components_per_class=1,
        *,
        covariance_type="full",
        unlabeled_weight=1.0,
        unlabeled_label=-1,
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        random_state=None,
        warm_start=False,
        verbose=0,
    ):
        self.n_components_per_class = n_components_per_class
        self.covariance_type = covariance_type
        self.unlabeled_weight = unlabeled_weight
        self.unlabeled_label = unlabeled_label
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the mixture by EM on the labelled and unlabelled samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples, labelled and unlabelled.

        y : array-like of shape (n_samples,)
            Labels; samples equal to ``unlabeled_label`` are unlabelled.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        # y apart from X: scikit-learn's check of y would refuse a NaN marker before it is read as one.
        X = _validate_table(self, X, reset=True)
        y = column_or_1d(y, warn=True)
        check_consistent_length(X, y)
        unlabeled = unlabeled_mask(y, self.unlabeled_label)
        classes, y_index = check_labeled(y, unlabeled, self.unlabeled_label, type(self).__name__)
        n_per_class = self._components_per_class(classes, y_index)
        warm = self._warm_start(classes, n_per_class)
        settings = EMSettings(
            self.covariance_type, self.tol, self.reg_covar, self.max_iter, self.n_init, self.init_params, self.verbose
        )
        random_state = check_random_state(self.random_state)

        if self.unlabeled_weight == "auto":
            self.unlabeled_weight_scores_ = cross_validate_weights(X, y_index, n_per_class, settings, random_state)
            self.unlabeled_weight_ = max(self.unlabeled_weight_scores_, key=self.unlabeled_weight_scores_.get)
        else:
            self.unlabeled_weight_ = float(self.unlabeled_weight)
        result = fit_em(X, y_index, n_per_class, self.unlabeled_weight_, settings, random_state, warm)

        self.classes_ = classes
        self.component_class_ = np.repeat(np.arange(len(classes)), n_per_class)
        self.weights_, self.means_, self.covariances_, self.precisions_cholesky_ = result.mixture
        self.precisions_ = gaussian.precisions(self.precisions_cholesky_, self.covariance_type)
        self.converged_ = result.converged
        self.n_iter_ = result.n_iter
        self.lower_bound_ = result.lower_bound
        self.lower_bounds_ = result.lower_bounds

        distributions = class_posteriors(X, result.mixture, self.covariance_type, n_per_class)
        labeled = ~unlabeled
        distributions[labeled] = np.eye(len(classes))[y_index[labeled]]
        self.label_distributions_ = distributions
        self.transduction_ = classes[distributions.argmax(axis=1)]
        return self

    def _components_per_class(self, classes, y_index):
        """Number of components of each class, checked against the labelled samples."""
        spec = self.n_components_per_class
        if isinstance(spec, dict):
            unknown = [label for label in spec if label not in set(classes.tolist())]
            if unknown:
                raise ValueError(f"n_components_per_class names classes without labelled samples: {unknown}")
            missing = [label for label in classes.tolist() if label not in spec]
            if missing:
                raise ValueError(f"n_components_per_class has no entry for the labelled classes {missing}")
            n_per_class = np.array([spec[label] for label in classes.tolist()])
            if np.any(n_per_class < 1):
                raise ValueError(f"n_components_per_class must be at least 1 for every class; got {spec}")
        else:
            n_per_class = np.full(len(classes), spec)
        n_labeled = np.bincount(y_index[y_index >= 0], minlength=len(classes))
        short = (n_per_class > n_labeled) & (n_per_class > 1)
        if self.init_params != "random" and np.any(short):
            c = np.flatnonzero(short)[0]
            raise ValueError(
                f"init_params={self.init_params!r} needs at least as many labelled samples as components in each "
                f"class; class {classes[c]!r} has {n_labeled[c]} for {n_per_class[c]} components "
                "(use init_params='random' or fewer components)"
            )
        return n_per_class

    def _warm_start(self, classes, n_per_class):
        """The previous fit to resume, as scikit-learn's ``GaussianMixture`` does: its mixture and objective."""
        if not (self.warm_start and hasattr(self, "converged_")):
            return None
        if not np.array_equal(classes, self.classes_) or not np.array_equal(
            np.repeat(np.arange(len(classes)), n_per_class), self.component_class_
        ):
            raise ValueError(
                "warm_start continues the fitted mixture, whose classes or components per class differ from "
                "this fit's; refit with warm_start=False"
            )
        return EMResult(self._mixture, self.converged_, self.n_iter_, self.lower_bound_, self.lower_bounds_)

    @property
    def _mixture(self):
        return gaussian.Mixture(self.weights_, self.means_, self.covariances_, self.precisions_cholesky_)

    @property
    def _n_per_class(self):
        return np.bincount(self.component_class_, minlength=len(self.classes_))

    def _validate_X(self, X):
        check_is_fitted(self)
        return _validate_table(self, X, reset=False)

    def predict_proba(self, X):
        """Class posteriors ``p(class | x)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``.
        """
        X = self._validate_X(X)
        return class_posteriors(X, self._mixture, self.covariance_type, self._n_per_class)

    def predict(self, X):
        """Most probable class of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted labels.
        """
        X = self._validate_X(X)
        log_joint = class_log_joint(X, self._mixture, self.covariance_type, self._n_per_class)
        return self.classes_[log_joint.argmax(axis=1)]

    def score_samples(self, X):
        """Log-density ``log p(x)`` of each sample under the whole mixture.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_prob : ndarray of shape (n_samples,)
            Log-likelihood of each sample.
        """
        X = self._validate_X(X)
        return logsumexp(gaussian.weighted_log_prob(X, self._mixture, self.covariance_type), axis=1)

    def sample(self, n_samples=1):
        """Draw samples, and their classes, from the fitted mixture.

        Parameters
        ----------
        n_samples : int, default=1
            Number of samples.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            Samples, grouped by component.

        y : ndarray of shape (n_samples,)
            The class of each sample.
        """
        check_is_fitted(self)
        if not isinstance(n_samples, Integral) or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer; got {n_samples!r}")
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_)
        components = np.repeat(np.arange(len(self.weights_)), counts)
        X = gaussian.sample_components(self._mixture, self.covariance_type, components, rng)
        return X, self.classes_[self.component_class_[components]]

    def _information_criterion(self, X, penalty_per_parameter):
        n_parameters = gaussian.n_parameters(self._mixture, self.covariance_type)
        return -2.0 * self.score_samples(X).sum() + penalty_per_parameter * n_parameters

    def bic(self, X):
        """Bayesian information criterion of the mixture on ``X`` (lower is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        bic : float
            ``-2 log-likelihood + n_parameters * log(n_samples)``.
        """
        return float(self._information_criterion(X, np.log(len(X))))

    def aic(self, X):
        """Akaike information criterion of the mixture on ``X`` (lower is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        aic : float
            ``-2 log-likelihood + 2 n_parameters``.
        """
        return float(self._information_criterion(X, 2.0))


def _validate_table(estimator, X, y="no_validation", *, reset):
    """scikit-learn's validation of a table, with a clear error for rows of different lengths (sequences)."""
    try:
        return validate_data(estimator, X, y, reset=reset, dtype=[np.float64, np.float32])
    except ValueError as error:
        if not str(error).startswith("setting an array element with a sequence"):  # numpy's words for ragged rows
            raise
        raise ValueError(f"{type(estimator).__name__} takes a table of shape (n_samples, n_features), but X holds "
                         "sequences or rows of different lengths; give every sample the same features") from None
