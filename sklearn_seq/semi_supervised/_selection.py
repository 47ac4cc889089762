"""Which pseudo-labels a self-training round accepts: thresholds, top-k and per-class quotas."""

import numpy as np


def class_quotas(n_select: int, prior: np.ndarray) -> np.ndarray:
    """Split ``n_select`` among the classes in proportion to ``prior`` (largest-remainder rounding)."""
    exact = n_select * prior
    quotas = np.floor(exact).astype(int)
    remainder = n_select - quotas.sum()
    quotas[np.argsort(quotas - exact, kind="stable")[:remainder]] += 1
    return quotas


def balanced_total(eligible: np.ndarray, predicted: np.ndarray, prior: np.ndarray) -> int:
    """The largest count whose class quotas the eligible candidates of every class can fill."""
    available = np.bincount(predicted[eligible], minlength=len(prior))
    return int(np.floor(np.min(available[prior > 0] / prior[prior > 0])))


def most_confident(confidence: np.ndarray, n_select: int) -> np.ndarray:
    """Positions of the ``n_select`` highest confidences (scikit-learn's ``k_best`` selection)."""
    if n_select >= len(confidence):
        return np.arange(len(confidence))
    return np.argpartition(-confidence, n_select)[:n_select]


def per_class_most_confident(confidence, predicted, eligible, quotas) -> np.ndarray:
    """Positions of the most confident eligible candidates of each predicted class, up to its quota."""
    chosen = []
    for c, quota in enumerate(quotas):
        candidates = np.flatnonzero(eligible & (predicted == c))
        chosen.append(candidates[most_confident(confidence[candidates], quota)] if quota else candidates[:0])
    return np.sort(np.concatenate(chosen))
