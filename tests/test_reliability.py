"""Issue 16: faults found by trying the package as a new user would, each fixed as a kind.

Labels are matched by value wherever they are encoded (fault 1), devices are checked at fit
(fault 3), bidirectional predictions depend on the other sequences of a batch only within rounding (fault 4),
and prediction from several threads gives the sequential answers. The sample-count contract
(fault 2) is tests/test_sample_count.py.
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression

from sklearn_seq import (
    GRUClassifier,
    GRURegressor,
    LSTMClassifier,
    SelfTrainingClassifier,
    SemiSupervisedGMM,
    Seq2SeqTranslator,
    SequenceTagger,
)
from sklearn_seq.nn import RecurrentEncoder

LABEL_SETS = [[1, 2], [-3, 7], ["neg", "pos"]]


def _separable(labels, n=40, seed=0):
    """Ragged sequences whose mean says the class: label 0 near -2, label 1 near +2."""
    rng = np.random.RandomState(seed)
    y = np.array(labels, dtype=object if isinstance(labels[0], str) else None)[np.arange(n) % 2]
    X = [rng.randn(3 + i % 4, 1) * 0.3 + (2.0 if i % 2 else -2.0) for i in range(n)]
    return X, y


# -- fault 1: labels are read by value, whatever their type or values -----------------------


@pytest.mark.parametrize("labels", LABEL_SETS)
def test_classifier_partial_fit_weights_and_predicts_by_label(labels):
    X, y = _separable(labels)
    model = GRUClassifier(hidden_size=8, lr=0.05, class_weight={labels[1]: 3.0}, random_state=0)
    for _ in range(15):
        model.partial_fit(X, y, classes=labels[::-1])  # classes in another order than sorted
    assert model.classes_.tolist() == sorted(labels)
    expected = [1.0, 3.0] if sorted(labels)[1] == labels[1] else [3.0, 1.0]
    torch.testing.assert_close(model.net_.criterion_.weight, torch.tensor(expected))
    assert model.score(X, y) == 1.0
    assert model.predict(X[:2]).tolist() == [labels[0], labels[1]]


def test_class_weight_naming_an_unknown_label_is_an_error_that_names_it():
    X, y = _separable([-3, 7])
    with pytest.raises(ValueError, match=r"class_weight names labels that are not classes: \['7'\]; the classes "
                                         r"are \[-3, 7\]"):
        GRUClassifier(hidden_size=4, max_epochs=1, class_weight={"7": 2.0}).fit(X, y)


@pytest.mark.parametrize(("labels", "marker"), [([1, 2], -1), ([-3, 7], 0), (["neg", "pos"], "?")])
def test_self_training_hands_labels_by_value_to_its_classifier(labels, marker):
    X, y = _separable(labels)
    y[2::4] = marker
    base = GRUClassifier(hidden_size=8, lr=0.05, max_epochs=15, class_weight={labels[0]: 2.0}, random_state=0)
    model = SelfTrainingClassifier(base, unlabeled_label=marker, max_iter=2).fit(X, y)
    assert model.classes_.tolist() == sorted(labels)
    weights = [2.0, 1.0] if sorted(labels)[0] == labels[0] else [1.0, 2.0]
    torch.testing.assert_close(model.estimator_.net_.criterion_.weight, torch.tensor(weights))
    truth = np.array(labels, dtype=object)[np.arange(len(X)) % 2]
    assert model.transduction_.tolist() == truth.tolist()  # each unlabelled sample got its own class
    assert model.predict(X).tolist() == truth.tolist()


@pytest.mark.parametrize("estimator", [SemiSupervisedGMM(), SelfTrainingClassifier(LogisticRegression())],
                         ids=["gmm", "self-training"])
def test_a_marker_turned_into_a_string_is_an_error_not_a_class(estimator):
    X = np.random.RandomState(0).randn(8, 2)
    y = np.array(["neg", "pos", -1, "neg", "pos", -1, "neg", "pos"])  # numpy makes -1 the string '-1'
    with pytest.raises(ValueError, match="y holds the string '-1' but unlabeled_label=-1 is not a string"):
        estimator.fit(X, y)


@pytest.mark.parametrize("labels", LABEL_SETS)
def test_gaussian_mixture_reads_labels_and_components_by_value(labels):
    rng = np.random.RandomState(0)
    X = np.r_[rng.randn(20, 2) - 5, rng.randn(20, 2) + 5]
    y = np.array(labels)[np.repeat([1, 0], 20)]  # the first label for the second cluster
    marker = "?" if isinstance(labels[0], str) else -1
    y[::2] = marker
    model = SemiSupervisedGMM(unlabeled_label=marker, n_components_per_class={labels[1]: 2, labels[0]: 1},
                              random_state=0).fit(X, y)
    assert model.predict([[-5, -5], [5, 5]]).tolist() == [labels[1], labels[0]]
    second = sorted(labels).index(labels[1])
    assert np.bincount(model.component_class_).tolist() == ([2, 1] if second == 0 else [1, 2])
    proba = model.predict_proba([[-5, -5]])[0]
    assert proba[second] > 0.99


@pytest.mark.parametrize("labels", LABEL_SETS)
def test_tagger_reads_labels_and_partial_fit_classes_by_value(labels):
    first, second = labels
    X = [["a", "b"], ["b", "a", "a"]] * 10
    y = [[first, second], [second, first, first]] * 10
    tagger = SequenceTagger(min_count=1, hidden_size=8, embedding_dim=8, lr=0.05, random_state=0)
    for _ in range(15):
        tagger.partial_fit(X, y, classes=[second, first])
    assert tagger.classes_.tolist() == sorted(labels)
    assert [tags.tolist() for tags in tagger.predict([["b", "a", "b"]])] == [[second, first, second]]


# -- fault 3: the device is checked at fit, with what is available --------------------------

DATA = (np.random.RandomState(0).randn(6, 3), np.repeat([0, 1], 3))


@pytest.mark.parametrize("device", ["gpu", "meta", "cuda:x", torch.device("meta")])
def test_an_unknown_device_lists_the_accepted_ones(device):
    message = r"is not a device sklearn_seq can use; expected 'cpu', 'cuda', 'cuda:N', 'mps', 'auto'"
    with pytest.raises(ValueError, match=message):
        GRUClassifier(max_epochs=1, device=device).fit(*DATA)


@pytest.mark.skipif(torch.cuda.is_available(), reason="tests the message on a machine without CUDA")
@pytest.mark.parametrize("device", ["cuda", "cuda:0", torch.device("cuda")])
def test_cuda_without_cuda_says_so(device):
    with pytest.raises(ValueError, match=r"but torch sees no CUDA device on this machine "
                                         r"\(torch.cuda.is_available\(\) is False\); use 'cpu' or 'auto'"):
        SequenceTagger(max_epochs=1, device=device).fit([["a", "b"]], [["x", "y"]])


@pytest.mark.skipif(torch.backends.mps.is_available(), reason="tests the message on a machine without MPS")
def test_mps_without_mps_says_so():
    with pytest.raises(ValueError, match=r"device='mps' but torch's MPS backend \(Apple GPUs\) is not available"):
        GRUClassifier(max_epochs=1, device="mps").fit(*DATA)


def test_a_torch_device_is_accepted_and_trains_as_its_name():
    by_name = GRUClassifier(hidden_size=4, max_epochs=2, random_state=0, device="cpu").fit(*DATA)
    by_device = GRUClassifier(hidden_size=4, max_epochs=2, random_state=0, device=torch.device("cpu")).fit(*DATA)
    np.testing.assert_array_equal(by_device.predict_proba(DATA[0]), by_name.predict_proba(DATA[0]))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_devices_train_and_a_missing_index_lists_those_present():
    model = GRUClassifier(hidden_size=4, max_epochs=2, random_state=0, device="cuda:0").fit(*DATA)
    assert next(model.module_.parameters()).device.type == "cuda"
    assert model.predict(DATA[0]).shape == (6,)
    n_gpus = torch.cuda.device_count()
    with pytest.raises(ValueError, match=rf"but torch sees {n_gpus} CUDA device\(s\) on this machine: cuda:0"):
        GRUClassifier(max_epochs=1, device=f"cuda:{n_gpus}").fit(*DATA)


# -- fault 4: bidirectional outputs do not depend on the rest of the batch ------------------


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("num_layers", [1, 2])
def test_bidirectional_encoder_outputs_alone_and_in_a_ragged_batch_agree_within_rounding(cell, num_layers):
    """Packed kernels round by the other lengths: within 2.5e-7 (the guide's stated tolerance), not bit for bit."""
    torch.manual_seed(0)
    encoder = RecurrentEncoder(3, 8, cell=cell, num_layers=num_layers, bidirectional=True).eval()
    lengths = torch.tensor([9, 1, 4, 7, 2, 9])
    x = torch.randn(6, 9, 3) * (torch.arange(9)[None, :] < lengths[:, None])[..., None]
    with torch.no_grad():
        outputs, last = encoder(x, lengths)
        for i, n in enumerate(lengths.tolist()):
            alone, alone_last = encoder(x[[i] * 6, :n], torch.full((6,), n))
            torch.testing.assert_close(outputs[i, :n], alone[0], rtol=0, atol=2.5e-7)
            torch.testing.assert_close(last[i], alone_last[0], rtol=0, atol=2.5e-7)
            assert not outputs[i, n:].any()


def test_bidirectional_predictions_alone_and_in_a_ragged_batch_agree_within_rounding():
    rng = np.random.RandomState(0)
    X = [rng.randn(rng.randint(2, 15), 2) for _ in range(40)]
    y = rng.randint(0, 2, 40)
    model = LSTMClassifier(hidden_size=8, num_layers=2, bidirectional=True, max_epochs=2, random_state=0).fit(X, y)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(np.concatenate([model.predict_proba([x]) for x in X]), proba, rtol=0, atol=2.5e-7)
    np.testing.assert_allclose(model.predict_proba([np.ones((30, 2)), *X])[1:], proba, rtol=0, atol=2.5e-7)


# -- concurrency: prediction from several threads on one fitted estimator -------------------


def _in_threads(method, inputs):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(method, inputs))


def _chunks(X, size=5):
    return [X[i:i + size] for i in range(0, len(X), size)]


@pytest.mark.parametrize("estimator", [GRUClassifier(hidden_size=8, max_epochs=2, random_state=0),
                                       GRURegressor(hidden_size=8, max_epochs=2, random_state=0),
                                       LSTMClassifier(hidden_size=8, num_layers=2, bidirectional=True, max_epochs=2,
                                                      random_state=0)],
                         ids=["classifier", "regressor", "bidirectional stack"])
def test_many_to_one_prediction_from_threads_equals_sequential(estimator):
    X, y = _separable([0, 1], n=60)
    model = estimator.fit(X, y)
    method = model.predict_proba if hasattr(model, "predict_proba") else model.predict
    chunks = _chunks(X) * 3
    expected = [method(chunk) for chunk in chunks]
    for got, want in zip(_in_threads(method, chunks), expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_tagger_and_translator_predictions_from_threads_equal_sequential():
    X = [["a", "b"], ["b", "a", "a"], ["a"], ["b", "b", "a", "b"]] * 5
    tagger = SequenceTagger(min_count=1, hidden_size=8, embedding_dim=8, max_epochs=2, random_state=0)
    tagger.fit(X, [["x" if t == "a" else "y" for t in s] for s in X])
    texts = ["abc", "ba", "cab", "a", "bcca"] * 4
    translator = Seq2SeqTranslator(hidden_size=8, embedding_dim=8, max_epochs=2, beam_size=2,
                                   max_output_length=6, random_state=0).fit(texts, [t[::-1] for t in texts])
    for method, data in [(tagger.predict_proba, X), (translator.predict, texts),
                         (lambda chunk: translator.translate(chunk, n_best=2), texts)]:
        chunks = _chunks(data, 3) * 3
        expected = [method(chunk) for chunk in chunks]
        for got, want in zip(_in_threads(method, chunks), expected, strict=True):
            assert len(got) == len(want)
            for g, w in zip(got, want, strict=True):
                np.testing.assert_array_equal(g, w)


def test_a_device_changed_after_fitting_is_never_ignored_at_prediction():
    X, y = _separable([0, 1], n=20)
    model = GRUClassifier(hidden_size=4, max_epochs=1, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="is not a device sklearn_seq can use"):
        model.set_params(device="gpu").predict(X)
    model.set_params(device=torch.device("cpu"))
    assert model.predict(X).shape == (20,)  # the same device, named another way
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="torch sees no CUDA device"):
            model.set_params(device="cuda").predict(X)
    else:
        with pytest.raises(ValueError, match="but the network was fitted on cpu"):
            model.set_params(device="cuda").predict(X)


@pytest.mark.parametrize("make", [lambda: SemiSupervisedGMM(random_state=0),
                                  lambda: SelfTrainingClassifier(LogisticRegression())], ids=["GMM", "self-training"])
@pytest.mark.parametrize("marker", ["unl", None, np.nan], ids=["string", "None", "NaN"])
def test_integer_labels_beside_a_marker_in_an_object_array(make, marker):
    # Was: scikit-learn's "Unknown label type: unknown" (and "Input y contains NaN." for a NaN marker), although
    # our own error message tells users to put the marker in an object array.
    rng = np.random.RandomState(0)
    X = np.r_[rng.randn(20, 2) - 3, rng.randn(20, 2) + 3]
    y = np.repeat([0, 1], 20).astype(object if marker is not np.nan else float)
    y[5:15] = y[25:35] = marker
    model = make().set_params(unlabeled_label=marker).fit(X, y)
    assert model.classes_.tolist() == [0, 1] and model.classes_.dtype.kind in "if"
    np.testing.assert_array_equal(model.transduction_[[0, 5, 25, 39]].astype(float), [0, 0, 1, 1])
    assert model.predict(X[[0, 39]]).tolist() == [0, 1]
