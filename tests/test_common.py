"""scikit-learn's estimator checks over every public estimator, found from the public ``__all__`` lists.

Each estimator either runs the full ``parametrize_with_checks`` suite, with one expected failure for the
networks that scikit-learn declares for its SGD estimators too, or is listed in ``SKIPPED_FULL_CHECKS`` with the
reason; the checks that need no data (and the one that
fits on toy data without looking at the results) run on every estimator, without exception.
"""

import importlib
import inspect
from pathlib import Path

import joblib
import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import (
    check_estimators_overwrite_params,
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
    parametrize_with_checks,
)
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import EpochScoring

import sklearn_seq
from sklearn_seq import (
    CharRNNLanguageModel,
    GRUClassifier,
    GRURegressor,
    LSTMClassifier,
    LSTMRegressor,
    NGramLanguageModel,
    RNNClassifier,
    RNNRegressor,
    SelfTrainingClassifier,
    SemiSupervisedGMM,
    Seq2SeqTranslator,
    SequenceAutoencoder,
    SequenceTagger,
    SequenceVectorizer,
    SlidingWindowTransformer,
)
from sklearn_seq.base import BaseSequenceNet

# The public modules whose __all__ may name estimators (sklearn_seq.nn holds torch modules only).
PUBLIC_MODULES = ("sklearn_seq", "sklearn_seq.generation", "sklearn_seq.preprocessing", "sklearn_seq.semi_supervised",
                  "sklearn_seq.text")


def _public_estimators():
    """Every ``BaseEstimator`` subclass named in a public module's ``__all__``, in name order."""
    found = set()
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                found.add(obj)
    return sorted(found, key=lambda cls: cls.__name__)


PUBLIC_ESTIMATORS = _public_estimators()

# Tiny networks that still learn the checks' toy problems (R² > 0.5, accuracy > 0.83).
TINY = {"hidden_size": 16, "lr": 0.03, "max_epochs": 30, "random_state": 0}
# The network estimators that only run the API checks train on toy data once; two epochs do.
TINY_TOKENS = {"hidden_size": 8, "embedding_dim": 4, "max_epochs": 2, "random_state": 0}

class _Accuracy(EpochScoring):
    """skorch's EpochScoring with a repr free of memory addresses.

    Test ids come from the estimators' reprs, and pytest-xdist's workers must collect the same ids.
    """

    def __repr__(self):
        return f"EpochScoring({self.scoring!r})"


INSTANCES = {
    **{cls: cls(**TINY) for cls in (RNNClassifier, LSTMClassifier, RNNRegressor, LSTMRegressor, GRURegressor,
                                    SequenceAutoencoder)},
    # A skorch scoring callback, which reads the classifier's net_ predictions every epoch. (validation_data
    # is sized to one data set, which the checks vary; validation_split='time' needs early_stopping, which
    # the partial_fit checks refuse: tests/test_training_api.py checks both.)
    GRUClassifier: GRUClassifier(**TINY, callbacks=[_Accuracy("accuracy", lower_is_better=False, on_train=True)]),
    # check_classifiers_classes trains on the labels [-1, 1]; scikit-learn hands its semi-supervised
    # estimators other labels there by name, so this instance marks no label as unlabelled.
    SemiSupervisedGMM: SemiSupervisedGMM(unlabeled_label="unlabeled", random_state=0),
    SelfTrainingClassifier: SelfTrainingClassifier(LogisticRegression()),
    SequenceTagger: SequenceTagger(**TINY_TOKENS),
    CharRNNLanguageModel: CharRNNLanguageModel(**TINY_TOKENS),
    Seq2SeqTranslator: Seq2SeqTranslator(**TINY_TOKENS),
    NGramLanguageModel: NGramLanguageModel(order=2),
    SequenceVectorizer: SequenceVectorizer(max_features=5),
    SlidingWindowTransformer: SlidingWindowTransformer(window=2),
}

# One more instance per encoder behind ``cell`` and per stacking option, tiny and fast: they run the full
# checks too (the classes above stay the keys of INSTANCES).
ENCODER_INSTANCES = [
    LSTMClassifier(cell="peephole_lstm", **TINY),
    LSTMRegressor(cell="coupled_lstm", **TINY),
    RNNClassifier(cell="conv", num_layers=2, **TINY),
    RNNRegressor(cell="transformer", num_heads=2, **TINY),
    GRUClassifier(num_layers=2, residual=True, layer_norm=True, **TINY),
    SequenceAutoencoder(**{**TINY, "hidden_size": [16, 8]}, conv_channels=8),
]

SKIPPED_FULL_CHECKS = {
    SlidingWindowTransformer: "its input rows are the time steps of one series: it returns fewer rows than it gets "
                              "and its output depends on their order (tests/test_preprocessing.py runs every other "
                              "check)",
    SequenceTagger: "its X is token sequences and its y one label per token, not a table and one label per row",
    CharRNNLanguageModel: "it models token sequences (text); it has no predict on tables and no target y",
    NGramLanguageModel: "it counts n-grams of token sequences (text); it has no predict on tables and no target y",
    Seq2SeqTranslator: "its y is one sequence per sample (strings or token lists) and its predictions are sequences "
                       "of their own lengths, not one label or number per row",
    SequenceVectorizer: "it takes raw strings (tags string=True, two_d_array=False); scikit-learn skips such "
                        "estimators itself",
}

# What scikit-learn declares for SGDClassifier and SGDRegressor (PER_ESTIMATOR_XFAIL_CHECKS in
# sklearn/utils/_test_common/instance_generator.py), true of every network trained by mini-batch SGD:
# a weight scales a sample's share of its batch's loss, which is not the same path as repeating it.
SAMPLE_WEIGHT_XFAIL = {
    "check_sample_weight_equivalence_on_dense_data": "sample_weight is not equivalent to removing/repeating samples.",
}
# The networks that pass it all the same: the check's 15 weighted rows and 27 repeated ones each fill one
# batch, the same weighted mean up to rounding, and after 30 epochs these regressors' predictions still
# agree to scikit-learn's rtol of 1e-7 (the classifiers', the autoencoder's and the other cells' do not).
SAMPLE_WEIGHT_EQUIVALENT = [INSTANCES[GRURegressor], INSTANCES[LSTMRegressor], ENCODER_INSTANCES[1]]


def _expected_failed_checks(estimator):
    """The one declared expected failure: the networks' sample-weight equivalence, as scikit-learn's SGD estimators."""
    equivalent = any(estimator is instance for instance in SAMPLE_WEIGHT_EQUIVALENT)
    return SAMPLE_WEIGHT_XFAIL if isinstance(estimator, BaseSequenceNet) and not equivalent else {}


API_CHECKS = (check_no_attributes_set_in_init, check_get_params_invariance, check_parameters_default_constructible,
              check_set_params, check_estimators_overwrite_params)

# check_estimators_overwrite_params fits on make_blobs (floats, one int label per row). These two
# refuse such data by design, so the same property is checked on data of their own kind as well.
TOY_DATA_REFUSED = {
    SequenceTagger: (TypeError, "must be a sequence of labels",
                     ([["the", "cat", "sat"], ["a", "dog"]], [["DET", "NOUN", "VERB"], ["DET", "NOUN"]])),
    Seq2SeqTranslator: (TypeError, r"y\[0\] must be a string or a sequence", (["abc", "ab"], ["cba", "ba"])),
    SequenceVectorizer: (TypeError, r"X\[0\] must be a string, got ndarray", (["the cat sat", "a dog ran"], None)),
}


def test_every_public_estimator_is_checked_or_skipped_with_a_reason():
    assert set(INSTANCES) == set(PUBLIC_ESTIMATORS), "give each public estimator a test instance"
    assert set(SKIPPED_FULL_CHECKS) < set(PUBLIC_ESTIMATORS)
    assert all(isinstance(reason, str) and len(reason) > 40 for reason in SKIPPED_FULL_CHECKS.values())
    for cls in PUBLIC_ESTIMATORS:
        assert type(INSTANCES[cls]) is cls
        assert cls.__name__ in sklearn_seq.__all__, f"{cls.__name__} is not importable from sklearn_seq"


def test_discovery_finds_the_estimators_of_the_design():
    """The discovery is not vacuous: it finds the estimators named in the design's API table."""
    names = {cls.__name__ for cls in PUBLIC_ESTIMATORS}
    assert {"RNNClassifier", "GRURegressor", "SequenceTagger", "CharRNNLanguageModel", "NGramLanguageModel",
            "SequenceVectorizer", "SlidingWindowTransformer", "SemiSupervisedGMM"} <= names


@parametrize_with_checks([INSTANCES[cls] for cls in PUBLIC_ESTIMATORS if cls not in SKIPPED_FULL_CHECKS]
                         + ENCODER_INSTANCES, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda check: check.__name__)
@pytest.mark.parametrize("cls", PUBLIC_ESTIMATORS, ids=lambda cls: cls.__name__)
def test_api_checks_on_every_public_estimator(cls, check):
    estimator = INSTANCES[cls]
    if check is check_estimators_overwrite_params and cls in TOY_DATA_REFUSED:
        error, message, (X, y) = TOY_DATA_REFUSED[cls]
        with pytest.raises(error, match=message):
            check(cls.__name__, estimator)
        _check_fit_leaves_params_unchanged(estimator, X, y)
    else:
        check(cls.__name__, estimator)


def _check_fit_leaves_params_unchanged(estimator_orig, X, y):
    """check_estimators_overwrite_params on given data: fitting neither replaces nor mutates a parameter."""
    estimator = clone(estimator_orig)
    before = {name: joblib.hash(value) for name, value in estimator.get_params().items()}
    estimator.fit(X, y)
    after = {name: joblib.hash(value) for name, value in estimator.get_params().items()}
    assert after == before
    check_is_fitted(estimator)  # it really fitted


def test_readme_names_exactly_the_estimators_each_level_of_checks_runs_on():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## scikit-learn's estimator checks")[1].split("\n## ")[0]
    bullets = section.split("\n- ")[1:]
    named = [{cls for cls in PUBLIC_ESTIMATORS if f"`{cls.__name__}`" in bullet} for bullet in bullets]
    assert named == [set(PUBLIC_ESTIMATORS) - set(SKIPPED_FULL_CHECKS),
                     set(SKIPPED_FULL_CHECKS) - {SlidingWindowTransformer}, {SlidingWindowTransformer}]
    assert all(f"`{check.__name__}`" in bullets[1] for check in API_CHECKS)
