"""EM for a Gaussian mixture whose components belong to classes, on labelled and unlabelled samples.

The loop of :class:`~sklearn_seq.SemiSupervisedGMM`: a labelled sample's responsibilities
are restricted to its class's components, an unlabelled sample's spread over all of them
and weighted by lambda (``unlabeled_weight``); ``cross_validate_weights`` chooses lambda
for ``unlabeled_weight='auto'``.

The arithmetic of each step is scikit-learn's (see ``_gaussian``); the loop is written here
because ``BaseMixture.fit_predict``, scikit-learn's loop, has no place for either difference:
its E-step cannot mask a labelled sample's responsibilities to its class, and its M-step and
lower bound weigh every sample alike. It follows that loop otherwise: the objective is
computed in the E-step before each M-step, ``n_init`` keeps the best run, and a warm start
resumes from the previous fit's parameters *and* objective, so that its first change is
measured against where the previous fit stopped.
"""

import warnings
from dataclasses import dataclass
from time import perf_counter

import numpy as np
from scipy.special import logsumexp
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold

from . import _gaussian as gaussian

# Values of ``unlabeled_weight`` that ``'auto'`` cross-validates (0 is the supervised fit); in the docstring too.
AUTO_UNLABELED_WEIGHTS = (0.0, 0.01, 0.03, 0.1, 0.3, 1.0)

_AUTO_MAX_FOLDS = 3


@dataclass(frozen=True)
class EMSettings:
    covariance_type: str
    tol: float
    reg_covar: float
    max_iter: int
    n_init: int
    init_params: str
    verbose: int


@dataclass(frozen=True)
class EMResult:
    mixture: gaussian.Mixture
    converged: bool
    n_iter: int
    lower_bound: float
    lower_bounds: list


def _cluster_responsibilities(X, n_clusters, init_params, random_state):
    """Initial responsibilities of one class's labelled samples over that class's components."""
    n_samples = X.shape[0]
    if init_params == "random":
        resp = random_state.uniform(size=(n_samples, n_clusters))
        return resp / resp.sum(axis=1, keepdims=True)
    resp = np.zeros((n_samples, n_clusters))
    if init_params == "kmeans":
        labels = KMeans(n_clusters=n_clusters, n_init=1, random_state=random_state).fit(X).labels_
        resp[np.arange(n_samples), labels] = 1.0
    else:  # one seed sample per component, as scikit-learn's GaussianMixture does
        if init_params == "k-means++":
            _, seeds = kmeans_plusplus(X, n_clusters, random_state=random_state)
        else:
            seeds = random_state.choice(n_samples, size=n_clusters, replace=False)
        resp[seeds, np.arange(n_clusters)] = 1.0
    return resp


def initial_mixture(X_labeled, y_labeled, n_per_class, settings, random_state):
    """Start from the labelled samples: component means by ``init_params`` within each class, pooled covariance.

    Every component starts with the covariance pooled over all components (the 'tied' estimate), not with
    that of the few samples ``init_params`` gives it, which would collapse onto a single sample.
    """
    resp = np.zeros((X_labeled.shape[0], n_per_class.sum()), dtype=X_labeled.dtype)
    starts = np.concatenate([[0], np.cumsum(n_per_class)[:-1]])
    for c, (start, n_components) in enumerate(zip(starts, n_per_class, strict=True)):
        rows = np.flatnonzero(y_labeled == c)
        if n_components == 1:
            resp[rows, start] = 1.0
        else:
            resp[np.ix_(rows, range(start, start + n_components))] = _cluster_responsibilities(
                X_labeled[rows], n_components, settings.init_params, random_state
            )
    weights, means, pooled, _ = gaussian.m_step(X_labeled, resp, settings.reg_covar, "tied")
    n_components, covariance_type = len(weights), settings.covariance_type
    covariances = {
        "full": lambda: np.repeat(pooled[None], n_components, axis=0),
        "tied": lambda: pooled,
        "diag": lambda: np.repeat(np.diag(pooled)[None], n_components, axis=0),
        "spherical": lambda: np.full(n_components, np.diag(pooled).mean()),
    }[covariance_type]()
    precisions_chol = gaussian.precision_cholesky(covariances, covariance_type)
    return gaussian.Mixture(weights, means, covariances, precisions_chol)


def _e_step(X, mixture, covariance_type, log_masks, sample_weight):
    """Objective (weighted mean log-likelihood) and log-responsibilities.

    The first ``len(log_masks)`` rows of ``X`` are labelled: ``log_masks`` (0 or -inf) restricts
    each to the components of its class.
    """
    weighted_log_prob = gaussian.weighted_log_prob(X, mixture, covariance_type)
    weighted_log_prob[: len(log_masks)] += log_masks
    log_norm = logsumexp(weighted_log_prob, axis=1)
    with np.errstate(under="ignore"):
        log_resp = weighted_log_prob - log_norm[:, None]
    return float(log_norm @ sample_weight / sample_weight.sum()), log_resp


def _run_em(X, mixture, lower_bound, log_masks, sample_weight, settings):
    """EM from ``mixture`` until the objective changes by less than ``tol``; ``lower_bound`` is its starting value."""
    covariance_type, lower_bounds, converged, n_iter = settings.covariance_type, [], False, 0
    if settings.max_iter == 0:
        lower_bound, _ = _e_step(X, mixture, covariance_type, log_masks, sample_weight)
    tic = perf_counter()
    for n_iter in range(1, settings.max_iter + 1):
        previous = lower_bound
        lower_bound, log_resp = _e_step(X, mixture, covariance_type, log_masks, sample_weight)
        resp = np.exp(log_resp, out=log_resp)
        resp *= sample_weight[:, None]
        mixture = gaussian.m_step(X, resp, settings.reg_covar, covariance_type)
        lower_bounds.append(lower_bound)
        if settings.verbose >= 2:
            toc, tic = tic, perf_counter()
            change = lower_bound - previous
            print(f"  Iteration {n_iter}\t time lapse {tic - toc:.5f}s\t objective change {change:.5f}")
        if abs(lower_bound - previous) < settings.tol:
            converged = True
            break
    if settings.verbose:
        status = "converged" if converged else "did not converge"
        print(f"Initialization {status}. objective {lower_bound:.5f}.")
    return EMResult(mixture, converged, n_iter, lower_bound, lower_bounds)


def fit_em(X, y_index, n_per_class, unlabeled_weight, settings, random_state, warm=None):
    """Best of ``n_init`` EM runs on labelled + weighted unlabelled X, or one run resumed from ``warm``.

    ``warm`` is the previous fit's ``EMResult``: its mixture is the start and its objective the
    value the first iteration's change is measured from, as scikit-learn's warm start does.
    """
    labeled = y_index >= 0
    X_labeled, y_labeled = X[labeled], y_index[labeled]
    X_fit = np.concatenate([X_labeled, X[~labeled]]) if unlabeled_weight > 0 else X_labeled
    sample_weight = np.full(X_fit.shape[0], unlabeled_weight, dtype=X.dtype)
    sample_weight[: len(X_labeled)] = 1.0
    component_class = np.repeat(np.arange(len(n_per_class)), n_per_class)
    log_masks = np.where(component_class == y_labeled[:, None], 0.0, -np.inf).astype(X.dtype)

    best = None
    for init in range(1 if warm is not None else settings.n_init):
        if settings.verbose:
            print(f"Initialization {init}")
        if warm is None:
            start = initial_mixture(X_labeled, y_labeled, n_per_class, settings, random_state), -np.inf
        else:
            start = warm.mixture, warm.lower_bound
        result = _run_em(X_fit, *start, log_masks, sample_weight, settings)
        if best is None or result.lower_bound > best.lower_bound:
            best = result
    if not best.converged and settings.max_iter > 0:
        warnings.warn(
            "Best performing initialization did not converge. Try different init parameters, or increase "
            "max_iter, tol, or check for degenerate data.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return best


def class_log_joint(X, mixture, covariance_type, n_per_class):
    """``log p(x, class)`` of every sample and class: a log-sum over each class's components."""
    weighted_log_prob = gaussian.weighted_log_prob(X, mixture, covariance_type)
    bounds = np.cumsum(n_per_class)
    return np.stack(
        [logsumexp(weighted_log_prob[:, stop - n:stop], axis=1) for n, stop in zip(n_per_class, bounds, strict=True)],
        axis=1,
    )


def class_posteriors(X, mixture, covariance_type, n_per_class):
    log_joint = class_log_joint(X, mixture, covariance_type, n_per_class)
    with np.errstate(under="ignore"):
        return np.exp(log_joint - logsumexp(log_joint, axis=1, keepdims=True))


def cross_validate_weights(X, y_index, n_per_class, settings, random_state):
    """Mean held-out accuracy of each candidate lambda, held-out labelled samples counted as unlabelled."""
    labeled = np.flatnonzero(y_index >= 0)
    counts = np.bincount(y_index[labeled])
    if counts.min() < 2:
        raise ValueError(
            "unlabeled_weight='auto' needs at least 2 labelled samples per class to cross-validate; "
            f"class index {counts.argmin()} has {counts.min()}"
        )
    folds = StratifiedKFold(min(_AUTO_MAX_FOLDS, counts.min()), shuffle=True, random_state=random_state)
    quiet = EMSettings(**{**settings.__dict__, "verbose": 0})
    scores = dict.fromkeys(AUTO_UNLABELED_WEIGHTS, 0.0)
    for _, held_out in folds.split(labeled, y_index[labeled]):
        held_out = labeled[held_out]
        y_fold = y_index.copy()
        y_fold[held_out] = -1
        for weight in AUTO_UNLABELED_WEIGHTS:
            mixture = fit_em(X, y_fold, n_per_class, weight, quiet, random_state).mixture
            log_joint = class_log_joint(X[held_out], mixture, settings.covariance_type, n_per_class)
            scores[weight] += np.mean(log_joint.argmax(axis=1) == y_index[held_out]) / folds.n_splits
    return scores
