"""Label handling shared by the semi-supervised estimators: which samples are unlabelled."""

from numbers import Number

import numpy as np

from .._targets import check_labels


def unlabeled_mask(y, unlabeled_label):
    """Boolean mask of the samples of the 1-D array ``y`` equal to ``unlabeled_label``.

    Comparing a numeric ``y`` with a string marker (or the reverse) marks nothing, but a
    marker that only appears in ``y`` as its string (``np.array(["neg", -1])`` holds
    ``'-1'``) is an error rather than a class of its own.
    """
    if isinstance(unlabeled_label, float) and np.isnan(unlabeled_label):  # NaN equals nothing, itself included
        return np.array([label != label for label in y.tolist()], dtype=bool)
    mask = np.broadcast_to(np.asarray(y == unlabeled_label, dtype=bool), y.shape).copy()
    if not mask.any() and not isinstance(unlabeled_label, str) and y.dtype.kind in "OUS":
        as_text = str(unlabeled_label)
        if any(isinstance(label, str) and label == as_text for label in y.tolist()):
            raise ValueError(
                f"y holds the string {as_text!r} but unlabeled_label={unlabeled_label!r} is not a string, so no "
                f"sample is unlabelled and {as_text!r} would be a class; pass unlabeled_label={as_text!r}, or mark "
                "unlabelled samples with the marker itself in an object array"
            )
    return mask


def natural_labels(labels):
    """Labels held in an object array (beside a marker such as ``"unl"`` or None) in their natural dtype.

    scikit-learn reads an object array of numbers as labels of "unknown" type; the numbers of the
    labelled part become a numeric array. Strings, and labels of mixed types, stay as they are.
    """
    if labels.dtype != object or not all(isinstance(label, Number) for label in labels.tolist()):
        return labels
    return np.asarray(labels.tolist())


def check_labeled(y, unlabeled, unlabeled_label, owner):
    """Validate the labelled part of ``y``; return the classes and each labelled sample's index.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Labels, unlabelled samples included.
    unlabeled : ndarray of bool of shape (n_samples,)
        Which samples are unlabelled.
    unlabeled_label : object
        The marker, for error messages.
    owner : str
        Name of the estimator, for error messages.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        The sorted labels of the labelled samples.
    y_index : ndarray of int of shape (n_samples,)
        Index into ``classes`` of each sample's label; -1 for unlabelled samples.
    """
    labeled = natural_labels(y[~unlabeled])
    if labeled.size == 0:
        raise ValueError(
            f"{owner} needs labelled samples; every sample of y is marked unlabelled "
            f"(unlabeled_label={unlabeled_label!r})"
        )
    check_labels(labeled)
    classes, labeled_index = np.unique(labeled, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(
            f"{owner} needs labelled samples of at least 2 classes; got one class: {classes.tolist()[0]!r}"
        )
    y_index = np.full(y.shape[0], -1, dtype=np.intp)
    y_index[~unlabeled] = labeled_index
    return classes, y_index
