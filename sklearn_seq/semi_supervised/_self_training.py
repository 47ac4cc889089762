"""SelfTrainingClassifier: pseudo-labelling around any classifier, without ever coercing X."""

import math
import warnings
from dataclasses import dataclass, field, replace
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch, check_random_state, get_tags, indexable
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping, process_routing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, column_or_1d, has_fit_parameter

from .._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_method_params,
    _fit_context,
    _raise_for_params,
    _routing_enabled,
    _safe_indexing,
)
from .._version_stamp import VersionStampMixin
from . import _selection as selection
from ._best_fit import restore, snapshot
from ._labels import check_labeled, natural_labels, unlabeled_mask


def _estimator_has(attr):
    """``available_if`` check: the fitted estimator, else the unfitted one, has ``attr``."""

    def check(self):
        return hasattr(getattr(self, "estimator_", self.estimator), attr)

    return check


@dataclass
class _State:
    """What the rounds of one ``fit`` share."""

    X: object  # the training samples, as given
    unlabeled: np.ndarray  # samples given without a label
    labeled: np.ndarray  # training mask: given labels (minus validation) and accepted pseudo-labels
    validation: np.ndarray  # held-out labelled samples
    sample_weight: np.ndarray  # 1, or the confidence of a pseudo-label when it was accepted
    prior: np.ndarray  # class frequencies of the labelled training samples
    routed: Bunch  # metadata for the estimator's fit and score, one entry per sample where sample-aligned
    stale: bool = True  # the training set changed since the last fit
    history: list = field(default_factory=list)  # transduction_ after each round's pseudo-labelling
    best: tuple | None = None  # (Snapshot, transduction_, labeled_iter_) of the best validated fit

    @property
    def all_labeled(self):
        return bool(self.labeled[self.unlabeled].all())


class SelfTrainingClassifier(ClassifierMixin, MetaEstimatorMixin, VersionStampMixin, BaseEstimator):
    """Self-training: a classifier repeatedly retrained on its own confident predictions.

    Each round fits a clone of ``estimator`` on the labelled samples and the
    pseudo-labelled ones so far, predicts the unlabelled samples and adds the
    confident predictions as pseudo-labels. Unlike scikit-learn's
    :class:`~sklearn.semi_supervised.SelfTrainingClassifier`, ``X`` is never
    converted: it is only indexed (with scikit-learn's safe indexing), so a
    list of variable-length sequences, token lists or raw strings reach the
    wrapped estimator or pipeline as they came. With the default settings the
    rounds, pseudo-labels and attributes are scikit-learn's.

    Read more in the :ref:`User Guide <semi_supervised>`.

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``fit`` and ``predict_proba``; a clone of it is fitted
        into ``estimator_``.

    threshold : float in [0, 1), default=0.75
        With ``criterion='threshold'``, accept predictions whose probability
        exceeds this. Needs a calibrated classifier to mean what it says.

    criterion : {'threshold', 'k_best', 'percentile'}, default='threshold'
        Which predictions become pseudo-labels each round: those above
        ``threshold``; the ``k_best`` most confident; or a curriculum where round
        ``t`` has pseudo-labelled the most confident ``t * percentile`` percent of
        the unlabelled samples.

    k_best : int, default=10
        Pseudo-labels added per round with ``criterion='k_best'``.

    percentile : float in (0, 100], default=20.0
        Percent of the unlabelled samples added per round with
        ``criterion='percentile'``.

    class_balance : bool, default=False
        Share each round's pseudo-labels among the predicted classes in
        proportion to the labelled class frequencies, taking the most confident
        of each class. With ``'threshold'``, as many as every class's confident
        predictions allow. Keeps the majority class from swamping the others.

    relabel : bool, default=False
        Revise pseudo-labels every round: all unlabelled samples are predicted
        again and the pseudo-labelled set is chosen afresh (the counts of
        ``'k_best'`` and ``'percentile'`` then accumulate over rounds). Without
        it a pseudo-label, once given, is kept.

    pseudo_label_weight : {'uniform', 'confidence'}, default='uniform'
        Train with every sample weighing 1, or pass each pseudo-labelled
        sample's confidence (its predicted probability when it was labelled) as
        ``sample_weight``; the latter needs an estimator whose ``fit`` accepts
        ``sample_weight``.

    warm_start : bool, default=False
        From the second fit on, continue training the previous fit's estimator
        instead of a fresh clone: ``estimator_`` gets ``warm_start=True`` and
        ``warm_start_params``. For neural networks (``sklearn_seq``'s
        estimators, scikit-learn's MLPs) a few more epochs on the grown
        training set replace a full training from scratch. Needs an estimator
        with a ``warm_start`` parameter.

    warm_start_params : dict, default=None
        Parameters set on ``estimator_`` for the continued fits, e.g.
        ``{'max_epochs': 5}``.

    validation_fraction : float in (0, 1), default=None
        Hold out this fraction of the labelled samples (stratified) and score
        each fit on them; self-training stops after ``n_iter_no_change`` fits
        without improvement and keeps the best fit. ``None`` uses all labelled
        samples for training and does not stop early.

    n_iter_no_change : int, default=2
        Fits without a better validation score before stopping.

    max_iter : int or None, default=10
        Maximum number of rounds; ``None`` runs until no pseudo-label is added
        or all samples are labelled.

    unlabeled_label : int, float or str, default=-1
        The value of ``y`` that marks a sample as unlabelled: ``-1`` is
        scikit-learn's convention for numeric labels; with string labels use the
        marker of your data, e.g. ``'unlabeled'``. Every other value is a class.

    random_state : int, RandomState instance or None, default=None
        Seeds the validation split.

    verbose : bool, default=False
        Print the pseudo-labels added each round.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted estimator (of the best round with ``validation_fraction``).
        A network is restored to that round by its weights, so after warm
        starts its ``history_`` still runs to the last round.

    classes_ : ndarray of shape (n_classes,)
        The class labels, from ``estimator_``.

    transduction_ : ndarray of shape (n_samples,)
        The labels of the final fit's training set: given labels and
        pseudo-labels; ``unlabeled_label`` for samples never pseudo-labelled.

    labeled_iter_ : ndarray of shape (n_samples,)
        The round in which each sample got its current label: 0 for given
        labels, -1 for samples without a label.

    n_iter_ : int
        Number of self-training rounds, i.e. fits on a grown training set. A
        ``y`` without unlabelled samples is one round of plain supervised
        training (scikit-learn counts it as 0).

    termination_condition_ : {'max_iter', 'no_change', 'all_labeled', 'early_stopping'}
        Why self-training stopped: ``n_iter_`` reached ``max_iter``, a round
        added (or, with ``relabel``, changed) no pseudo-label, every sample is
        labelled, or the validation score stopped improving.

    pseudo_label_history_ : ndarray of shape (n_rounds, n_samples)
        ``transduction_`` after each round's selection.

    validation_scores_ : list of float
        With ``validation_fraction``: the score of every fit on the held-out
        samples.

    n_features_in_ : int
        From ``estimator_``, where it has it.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        From ``estimator_``, where it has it.

    See Also
    --------
    SemiSupervisedGMM : A generative semi-supervised classifier.
    sklearn.semi_supervised.SelfTrainingClassifier : The version for 2-D arrays.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_seq import SelfTrainingClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = np.where(np.random.RandomState(0).rand(150) < 0.7, -1, y)  # 70 % unlabelled
    >>> model = SelfTrainingClassifier(LogisticRegression(), criterion="k_best", k_best=20).fit(X, y_partial)
    >>> model.n_iter_, model.termination_condition_
    (6, 'all_labeled')
    >>> round(model.score(X, y), 2)
    0.91
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "threshold": [Interval(Real, 0.0, 1.0, closed="left")],
        "criterion": [StrOptions({"threshold", "k_best", "percentile"})],
        "k_best": [Interval(Integral, 1, None, closed="left")],
        "percentile": [Interval(Real, 0.0, 100.0, closed="right")],
        "class_balance": ["boolean"],
        "relabel": ["boolean"],
        "pseudo_label_weight": [StrOptions({"uniform", "confidence"})],
        "warm_start": ["boolean"],
        "warm_start_params": [dict, None],
        "validation_fraction": [Interval(Real, 0.0, 1.0, closed="neither"), None],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 0, None, closed="left"), None],
        "unlabeled_label": "no_validation",
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        *,
        threshold=0.75,
        criterion="threshold",
        k_best=10,
        percentile=20.0,
        class_balance=False,
        relabel=False,
        pseudo_label_weight="uniform",
        warm_start=False,
        warm_start_params=None,
        validation_fraction=None,
        n_iter_no_change=2,
        max_iter=10,
        unlabeled_label=-1,
        random_state=None,
        verbose=False,
    ):
        self.estimator = estimator
        self.threshold = threshold
        self.criterion = criterion
        self.k_best = k_best
        self.percentile = percentile
        self.class_balance = class_balance
        self.relabel = relabel
        self.pseudo_label_weight = pseudo_label_weight
        self.warm_start = warm_start
        self.warm_start_params = warm_start_params
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.max_iter = max_iter
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)  # the wrapped estimator is validated by its own fit
    def fit(self, X, y, **fit_params):
        """Self-train on labelled and unlabelled samples.

        Parameters
        ----------
        X : array-like, sparse matrix, DataFrame or list of n_samples items
            Training samples in whatever form ``estimator`` accepts (ragged
            sequences, texts, ...); only indexed, never converted.

        y : array-like of shape (n_samples,)
            Labels; samples equal to ``unlabeled_label`` are unlabelled.

        **fit_params : dict
            Metadata for ``estimator``'s ``fit`` (and its ``score`` on the
            validation samples), e.g. ``sample_weight``: one value per sample
            of ``X``; each fit gets those of its training samples. Only with
            ``sklearn.set_config(enable_metadata_routing=True)`` and the
            estimator's ``set_fit_request`` (see scikit-learn's `metadata
            routing guide <https://scikit-learn.org/stable/metadata_routing.html>`__). With
            ``pseudo_label_weight='confidence'`` a routed ``sample_weight``
            is multiplied by the confidences.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        _raise_for_params(fit_params, self, "fit")
        X, y = self._check_inputs(X, y)
        unlabeled = unlabeled_mask(y, self.unlabeled_label)
        classes, y_index = check_labeled(y, unlabeled, self.unlabeled_label, type(self).__name__)
        self._warn_about_unlabeled(unlabeled)
        state = self._initial_state(X, y_index, unlabeled, len(classes), self._route(fit_params))

        self.estimator_ = clone(self.estimator)
        self.transduction_ = y.copy()
        self.labeled_iter_ = np.where(unlabeled, -1, 0)
        self.validation_scores_ = []
        self.termination_condition_ = self._self_train(state)
        if state.best is not None:
            best_fit, self.transduction_, self.labeled_iter_ = state.best
            self.estimator_ = restore(best_fit)
        self.pseudo_label_history_ = np.asarray(state.history, dtype=y.dtype).reshape(len(state.history), len(y))
        self.classes_ = self.estimator_.classes_
        return self

    def _check_inputs(self, X, y):
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        # Only made indexable: sparse matrices become CSR, objects without __getitem__ arrays.
        X, y = indexable(X, column_or_1d(y, warn=True))
        if self.pseudo_label_weight == "confidence" and not has_fit_parameter(self.estimator, "sample_weight"):
            raise ValueError(
                f"pseudo_label_weight='confidence' passes sample_weight, which {type(self.estimator).__name__}.fit "
                "does not accept; use pseudo_label_weight='uniform'"
            )
        if self.warm_start and "warm_start" not in self.estimator.get_params(deep=False):
            raise ValueError(
                "warm_start=True continues the previous round's fit through the estimator's warm_start parameter, "
                f"which {type(self.estimator).__name__} does not have"
            )
        return X, y

    def _warn_about_unlabeled(self, unlabeled):
        if not unlabeled.any():
            warnings.warn("y contains no unlabeled samples", UserWarning, stacklevel=3)
        if self.criterion == "k_best" and self.k_best > unlabeled.sum():
            warnings.warn(
                "k_best is larger than the amount of unlabeled samples. All unlabeled samples will be labeled in "
                "the first iteration",
                UserWarning,
                stacklevel=3,
            )

    def _route(self, fit_params):
        """The metadata for ``estimator``: routed when routing is enabled, else none (any given raised already)."""
        if _routing_enabled():
            return process_routing(self, "fit", **fit_params).estimator
        return Bunch(fit={}, score={})

    def _initial_state(self, X, y_index, unlabeled, n_classes, routed):
        validation = self._validation_mask(y_index, unlabeled)
        labeled = ~unlabeled & ~validation
        prior = np.bincount(y_index[labeled], minlength=n_classes) / labeled.sum()
        return _State(X, unlabeled, labeled, validation, np.ones(len(y_index)), prior, routed)

    def _validation_mask(self, y_index, unlabeled):
        validation = np.zeros(len(y_index), dtype=bool)
        if self.validation_fraction is not None:
            labeled = np.flatnonzero(~unlabeled)
            _, held_out = train_test_split(
                labeled, test_size=self.validation_fraction, stratify=y_index[labeled],
                random_state=check_random_state(self.random_state),
            )
            validation[held_out] = True
        return validation

    def _self_train(self, state):
        """Rounds of fitting and pseudo-labelling, then a last fit on the final labels; return why they stopped."""
        reason = None
        self.n_iter_ = 0
        while self.max_iter is None or self.n_iter_ < self.max_iter:
            self.n_iter_ += 1
            self._fit_round(state)
            if self._stop_early():
                return "early_stopping"
            if not self._pseudo_label(state):
                reason = "no_change"
                break
            if state.all_labeled:
                break
        if self.n_iter_ == self.max_iter:
            reason = "max_iter"
        if state.all_labeled:
            reason = "all_labeled"
        if state.stale:
            self._fit_round(state)
        return reason

    def _fit_round(self, state):
        """Fit ``estimator_`` on the labelled samples; score it on the validation samples, if any."""
        train = np.flatnonzero(state.labeled)
        params = _check_method_params(state.X, state.routed.fit, indices=train)
        if self.pseudo_label_weight == "confidence":
            params["sample_weight"] = state.sample_weight[train] * params.get("sample_weight", 1.0)
        self.estimator_.fit(_safe_indexing(state.X, train), natural_labels(self.transduction_[train]), **params)
        state.stale = False
        if self.warm_start:
            self.estimator_.set_params(warm_start=True, **(self.warm_start_params or {}))
        if state.validation.any():
            self._validate_round(state)

    def _validate_round(self, state):
        """Score ``estimator_`` on the held-out samples and keep it if it is the best so far."""
        held_out = np.flatnonzero(state.validation)
        params = _check_method_params(state.X, state.routed.score, indices=held_out)
        score = self.estimator_.score(_safe_indexing(state.X, held_out), natural_labels(self.transduction_[held_out]),
                                      **params)
        if not self.validation_scores_ or score > max(self.validation_scores_):
            state.best = (snapshot(self.estimator_), self.transduction_.copy(), self.labeled_iter_.copy())
        self.validation_scores_.append(score)

    def _stop_early(self):
        scores, patience = self.validation_scores_, self.n_iter_no_change
        return len(scores) > patience and max(scores[-patience:]) <= max(scores[:-patience])

    def _pseudo_label(self, state):
        """Accept confident predictions as pseudo-labels (updating ``state.labeled``); return whether any changed."""
        labeled = state.labeled
        pool = np.flatnonzero(state.unlabeled)
        if not pool.size:
            return False
        candidates = pool if self.relabel else pool[~labeled[pool]]
        proba = self.estimator_.predict_proba(_safe_indexing(state.X, candidates))
        predicted, confidence = proba.argmax(axis=1), proba.max(axis=1)
        positions = np.sort(self._select(confidence, predicted, len(pool), int(labeled[pool].sum()), state.prior))
        chosen, labels = candidates[positions], self.estimator_.classes_[predicted[positions]]

        n_labeled_before = labeled.sum()
        if self.relabel:
            dropped = np.setdiff1d(candidates, chosen, assume_unique=True)
            dropped = dropped[labeled[dropped]]
            self.transduction_[dropped] = self.unlabeled_label
            self.labeled_iter_[dropped] = -1
            labeled[dropped] = False
        revised = ~labeled[chosen] | (self.transduction_[chosen] != labels)
        self.transduction_[chosen] = labels
        state.sample_weight[chosen] = confidence[positions]
        labeled[chosen] = True
        self.labeled_iter_[chosen[revised]] = self.n_iter_
        state.history.append(self.transduction_.copy())
        if self.verbose:
            print(f"End of iteration {self.n_iter_}, added {revised.sum()} new labels.")
        changed = bool(revised.any()) or labeled.sum() != n_labeled_before
        state.stale = changed
        return changed

    def _select(self, confidence, predicted, n_pool, n_pseudo_labeled, prior):
        """Positions of the accepted candidates."""
        if self.criterion == "threshold":
            eligible = confidence > self.threshold
            if not self.class_balance:
                return np.flatnonzero(eligible)
            n_select = len(confidence)
        else:
            eligible = np.ones(len(confidence), dtype=bool)
            if self.criterion == "k_best":
                n_select = self.k_best * (self.n_iter_ if self.relabel else 1)
            else:
                n_select = math.ceil(min(1.0, self.n_iter_ * self.percentile / 100) * n_pool)
                n_select -= 0 if self.relabel else n_pseudo_labeled
            if not self.class_balance:
                return selection.most_confident(confidence, n_select)
        # no more than every class's candidates can fill in the labelled proportions
        n_select = min(n_select, selection.balanced_total(eligible, predicted, prior))
        quotas = selection.class_quotas(n_select, prior)
        return selection.per_class_most_confident(confidence, predicted, eligible, quotas)

    @property
    def n_features_in_(self):
        """Number of features seen by ``estimator_`` during :term:`fit`."""
        return self.estimator_.n_features_in_

    @property
    def feature_names_in_(self):
        """Names of the features seen by ``estimator_`` during :term:`fit`."""
        return self.estimator_.feature_names_in_

    @available_if(_estimator_has("predict"))
    def predict(self, X):
        """Predict classes with ``estimator_``.

        Parameters
        ----------
        X : array-like, sparse matrix, DataFrame or list of n_samples items
            Samples in the form ``estimator`` accepts.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted labels.
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from ``estimator_``.

        Parameters
        ----------
        X : array-like, sparse matrix, DataFrame or list of n_samples items
            Samples in the form ``estimator`` accepts.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log class probabilities from ``estimator_``.

        Parameters
        ----------
        X : array-like, sparse matrix, DataFrame or list of n_samples items
            Samples in the form ``estimator`` accepts.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self.estimator_.predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of ``estimator_``.

        Parameters
        ----------
        X : array-like, sparse matrix, DataFrame or list of n_samples items
            Samples in the form ``estimator`` accepts.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The estimator's decision values.
        """
        check_is_fitted(self)
        return self.estimator_.decision_function(X)

    @available_if(_estimator_has("score"))
    def score(self, X, y):
        """Score of ``estimator_`` on ``X, y`` (accuracy for classifiers).

        Parameters
        ----------
        X : array-like, sparse matrix, DataFrame or list of n_samples items
            Samples in the form ``estimator`` accepts.

        y : array-like of shape (n_samples,)
            True labels.

        Returns
        -------
        score : float
            The estimator's score.
        """
        check_is_fitted(self)
        return self.estimator_.score(X, y)

    def get_metadata_routing(self):
        """How :meth:`fit`'s metadata reach ``estimator``: its ``fit``, and its ``score`` on validation samples.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter` with the
            routing information.
        """
        return MetadataRouter(owner=type(self).__name__).add(
            estimator=self.estimator,
            method_mapping=MethodMapping().add(caller="fit", callee="fit").add(caller="fit", callee="score"),
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags = replace(get_tags(self.estimator).input_tags)
        return tags
