"""scikit-learn's estimator checks over every public estimator, with no expected failures."""

from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_seq import (
    GRUClassifier,
    GRURegressor,
    LSTMClassifier,
    LSTMRegressor,
    RNNClassifier,
    RNNRegressor,
    SelfTrainingClassifier,
    SemiSupervisedGMM,
    SequenceAutoencoder,
)

# Tiny networks that still learn the checks' toy problems (R² > 0.5, accuracy > 0.83).
TINY = {"hidden_size": 16, "lr": 0.03, "max_epochs": 30, "random_state": 0}

ESTIMATORS = [
    cls(**TINY)
    for cls in (RNNClassifier, LSTMClassifier, GRUClassifier, RNNRegressor, LSTMRegressor, GRURegressor,
                SequenceAutoencoder)
] + [
    # check_classifiers_classes trains on the labels [-1, 1]; scikit-learn hands its semi-supervised
    # estimators other labels there by name, so this instance marks no label as unlabelled.
    SemiSupervisedGMM(unlabeled_label="unlabeled", random_state=0),
    SelfTrainingClassifier(LogisticRegression()),
]


# Not listed: SlidingWindowTransformer. Its input rows are the time steps of one series, so it
# returns fewer rows than it gets and its output depends on their order; the checks that assume
# independent samples cannot hold. tests/test_preprocessing.py runs every other check on it.
@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
