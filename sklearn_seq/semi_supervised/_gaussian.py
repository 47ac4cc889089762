"""Gaussian mixture arithmetic: scikit-learn's estimators and log densities, weighted samples allowed.

The E- and M-step computations are scikit-learn's own (``sklearn.mixture._gaussian_mixture``,
through ``_compat``): Cholesky factors ``U`` of the precisions (``precision = U @ U.T``), log
densities from them, and the maximum-likelihood estimators. Those estimators take
responsibilities scaled per sample (a sample's row summing to its weight) as they are, which is
how unlabelled samples enter with weight ``lambda``, with one exception, ``'tied'``, which
stays ours (see ``_tied_parameters``).
"""

from typing import NamedTuple

import numpy as np

from .._compat import _compute_precision_cholesky, _estimate_gaussian_parameters, _estimate_log_gaussian_prob

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


class Mixture(NamedTuple):
    """The parameters of a Gaussian mixture (shapes depend on the covariance type)."""

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    precisions_cholesky: np.ndarray


def _tied_parameters(X, resp, reg_covar):
    """``_estimate_gaussian_parameters(..., 'tied')`` with each sample weighted by its row of ``resp``.

    scikit-learn's tied estimator sums ``X.T @ X``, every sample weighing 1: right when each row of
    ``resp`` sums to 1, wrong here, where an unlabelled sample's row sums to lambda.
    """
    nk = resp.sum(axis=0) + 10 * np.finfo(resp.dtype).eps
    means = (resp.T @ X) / nk[:, None]
    covariance = (X.T * resp.sum(axis=1)) @ X - (nk * means.T) @ means
    covariance /= nk.sum()
    covariance.flat[:: X.shape[1] + 1] += reg_covar
    return nk, means, covariance


def precision_cholesky(covariances: np.ndarray, covariance_type: str) -> np.ndarray:
    """scikit-learn's Cholesky factors of the precisions, refusing covariances that overflowed.

    Finite but huge X (beyond about 1e154 in float64, 1e19 in float32) has squared deviations
    that overflow to infinity; scipy would then report "array must not contain infs or NaNs".
    """
    if not np.isfinite(covariances).all():
        raise ValueError(
            f"The covariance of X overflowed: its squared deviations exceed {covariances.dtype}'s maximum "
            f"({np.finfo(covariances.dtype).max:.3g}); rescale X, e.g. with sklearn.preprocessing.StandardScaler"
        )
    return _compute_precision_cholesky(covariances, covariance_type)


def precisions(precisions_chol: np.ndarray, covariance_type: str) -> np.ndarray:
    """The precision matrices (or vectors, or scalars) from their Cholesky factors."""
    if covariance_type in ("full", "tied"):
        return precisions_chol @ np.swapaxes(precisions_chol, -1, -2)
    return precisions_chol**2


def m_step(X: np.ndarray, resp: np.ndarray, reg_covar: float, covariance_type: str) -> Mixture:
    """Maximum-likelihood mixture for (weighted) responsibilities ``resp`` of shape (n_samples, n_components)."""
    if covariance_type == "tied":
        nk, means, covariances = _tied_parameters(X, resp, reg_covar)
    else:
        nk, means, covariances = _estimate_gaussian_parameters(X, resp, reg_covar, covariance_type)
    return Mixture(nk / nk.sum(), means, covariances, precision_cholesky(covariances, covariance_type))


def weighted_log_prob(X: np.ndarray, mixture: Mixture, covariance_type: str) -> np.ndarray:
    """``log weight_k + log N(x_i; mean_k, cov_k)`` for every sample and component."""
    log_prob = _estimate_log_gaussian_prob(X, mixture.means, mixture.precisions_cholesky, covariance_type)
    return log_prob + np.log(mixture.weights)


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
