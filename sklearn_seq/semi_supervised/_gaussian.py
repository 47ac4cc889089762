"""Gaussian mixture arithmetic: weighted M-step estimators, Cholesky precisions, log densities.

Vectorised over components, in log space, parameterised by the Cholesky factor ``U`` of each
precision matrix (``precision = U @ U.T``) as scikit-learn's ``GaussianMixture`` is, so that the
log-determinant is a sum of logs of a diagonal and no matrix is ever inverted twice.
Responsibilities passed to the estimators may be scaled per sample (a sample's row sums to its
weight), which is how unlabelled samples enter with weight ``lambda``.
"""

import math
from typing import NamedTuple

import numpy as np

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")

_ILL_DEFINED = (
    "Fitting the mixture failed because some components have an ill-defined empirical covariance "
    "(for instance caused by singleton or collapsed samples). Try fewer components per class, a larger "
    "reg_covar, or scaled input data."
)


class Mixture(NamedTuple):
    """The parameters of a Gaussian mixture (shapes depend on the covariance type)."""

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    precisions_cholesky: np.ndarray


def _add_to_diagonal(matrices: np.ndarray, value: float) -> np.ndarray:
    n_features = matrices.shape[-1]
    matrices[..., np.arange(n_features), np.arange(n_features)] += value
    return matrices


def _covariances_full(X, resp, nk, means, reg_covar):
    # One (n_samples, n_features) product per component: a stacked (n_components, n_samples, n_features)
    # difference would be as many floating-point operations but several times slower, memory-bound.
    covariances = np.empty((len(means), X.shape[1], X.shape[1]), dtype=X.dtype)
    for k, mean in enumerate(means):
        diff = X - mean
        covariances[k] = (diff.T * resp[:, k]) @ diff / nk[k]
    return _add_to_diagonal(covariances, reg_covar)


def _covariances_tied(X, resp, nk, means, reg_covar):
    sample_weight = resp.sum(axis=1)
    covariance = (X.T * sample_weight) @ X - (nk * means.T) @ means
    return _add_to_diagonal(covariance / nk.sum(), reg_covar)


def _covariances_diag(X, resp, nk, means, reg_covar):
    return (resp.T @ (X * X)) / nk[:, None] - means**2 + reg_covar


def _covariances_spherical(X, resp, nk, means, reg_covar):
    return _covariances_diag(X, resp, nk, means, reg_covar).mean(axis=1)


_COVARIANCE_ESTIMATORS = {
    "full": _covariances_full,
    "tied": _covariances_tied,
    "diag": _covariances_diag,
    "spherical": _covariances_spherical,
}


def precision_cholesky(covariances: np.ndarray, covariance_type: str) -> np.ndarray:
    """Cholesky factors ``U`` of the precisions, ``precision = U @ U.T`` (upper triangular)."""
    if covariance_type in ("full", "tied"):
        try:
            cov_chol = np.linalg.cholesky(covariances)
        except np.linalg.LinAlgError:
            raise ValueError(_ILL_DEFINED) from None
        eye = np.broadcast_to(np.eye(covariances.shape[-1], dtype=covariances.dtype), covariances.shape)
        return np.swapaxes(np.linalg.solve(cov_chol, eye), -1, -2)
    if np.any(covariances <= 0.0):
        raise ValueError(_ILL_DEFINED)
    return 1.0 / np.sqrt(covariances)


def precisions(precisions_chol: np.ndarray, covariance_type: str) -> np.ndarray:
    """The precision matrices (or vectors, or scalars) from their Cholesky factors."""
    if covariance_type in ("full", "tied"):
        return precisions_chol @ np.swapaxes(precisions_chol, -1, -2)
    return precisions_chol**2


def m_step(X: np.ndarray, resp: np.ndarray, reg_covar: float, covariance_type: str) -> Mixture:
    """Maximum-likelihood mixture for (weighted) responsibilities ``resp`` of shape (n_samples, n_components)."""
    nk = resp.sum(axis=0) + 10 * np.finfo(resp.dtype).eps
    means = (resp.T @ X) / nk[:, None]
    covariances = _COVARIANCE_ESTIMATORS[covariance_type](X, resp, nk, means, reg_covar)
    return Mixture(nk / nk.sum(), means, covariances, precision_cholesky(covariances, covariance_type))


def _log_det_cholesky(precisions_chol, covariance_type, n_features):
    if covariance_type in ("full", "tied"):
        return np.log(np.diagonal(precisions_chol, axis1=-2, axis2=-1)).sum(axis=-1)
    if covariance_type == "diag":
        return np.log(precisions_chol).sum(axis=1)
    return n_features * np.log(precisions_chol)


def _squared_mahalanobis(X, means, precisions_chol, covariance_type):
    n_components, n_features = means.shape
    if covariance_type == "full":
        # One product for all components: the factors side by side, (n_features, n_components * n_features).
        stacked = precisions_chol.transpose(1, 0, 2).reshape(n_features, -1)
        shift = np.einsum("kd,kde->ke", means, precisions_chol).reshape(-1)
        projected = X @ stacked
        projected -= shift
        np.square(projected, out=projected)
        # a product with ones sums the squares faster than a reduction over the short last axis
        return (projected.reshape(-1, n_features) @ np.ones(n_features, dtype=X.dtype)).reshape(-1, n_components)
    if covariance_type == "tied":
        projected, centres = X @ precisions_chol, means @ precisions_chol
        return (
            np.einsum("nd,nd->n", projected, projected)[:, None]
            - 2.0 * projected @ centres.T
            + np.einsum("kd,kd->k", centres, centres)
        )
    precision = precisions_chol**2
    if covariance_type == "diag":
        return (means**2 * precision).sum(axis=1) - 2.0 * X @ (means * precision).T + (X * X) @ precision.T
    return (
        (means**2).sum(axis=1) * precision
        - 2.0 * (X @ means.T) * precision
        + np.outer(np.einsum("nd,nd->n", X, X), precision)
    )


def weighted_log_prob(X: np.ndarray, mixture: Mixture, covariance_type: str) -> np.ndarray:
    """``log weight_k + log N(x_i; mean_k, cov_k)`` for every sample and component."""
    n_features = X.shape[1]
    distances = _squared_mahalanobis(X, mixture.means, mixture.precisions_cholesky, covariance_type)
    log_det = _log_det_cholesky(mixture.precisions_cholesky, covariance_type, n_features)
    return -0.5 * (n_features * math.log(2 * math.pi) + distances) + log_det + np.log(mixture.weights)


def logsumexp_rows(a: np.ndarray) -> np.ndarray:
    """``log(sum(exp(a), axis=1))`` without overflow; each row needs one finite entry."""
    a_max = a.max(axis=1)
    return np.log(np.exp(a - a_max[:, None]).sum(axis=1)) + a_max


def n_parameters(mixture: Mixture, covariance_type: str) -> int:
    """Number of free parameters of the mixture."""
    n_components, n_features = mixture.means.shape
    covariance_parameters = {
        "full": n_components * n_features * (n_features + 1) // 2,
        "tied": n_features * (n_features + 1) // 2,
        "diag": n_components * n_features,
        "spherical": n_components,
    }[covariance_type]
    return covariance_parameters + n_components * n_features + n_components - 1


def sample_components(mixture: Mixture, covariance_type: str, components: np.ndarray, rng) -> np.ndarray:
    """One draw from the Gaussian of each entry of ``components``."""
    means = mixture.means[components]
    noise = rng.standard_normal(size=means.shape)
    if covariance_type == "full":
        chol = np.linalg.cholesky(mixture.covariances)[components]
        return means + np.einsum("nij,nj->ni", chol, noise)
    if covariance_type == "tied":
        return means + noise @ np.linalg.cholesky(mixture.covariances).T
    scale = np.sqrt(mixture.covariances[components])
    return means + noise * (scale if covariance_type == "diag" else scale[:, None])
