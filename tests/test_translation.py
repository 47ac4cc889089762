"""Seq2SeqTranslator: learning, batched decoding that never depends on the batch, attention, scores, errors."""

import pickle
import sys

import numpy as np
import pandas as pd
import pytest

from sklearn_seq import Seq2SeqTranslator
from sklearn_seq._compat import InvalidParameterError
from sklearn_seq.datasets import make_reversal

FAST = {"hidden_size": 32, "lr": 0.02, "max_epochs": 15, "random_state": 0}


@pytest.fixture(scope="module")
def reversal():
    X, y = make_reversal(300, min_length=2, max_length=4, random_state=0)
    X_test, y_test = make_reversal(200, min_length=2, max_length=4, random_state=1)
    return Seq2SeqTranslator(**FAST).fit(X, y), X_test, y_test


def test_learns_to_reverse_unseen_strings(reversal):
    model, X_test, y_test = reversal
    assert model.score(X_test, y_test) >= 0.85  # measured 0.905
    assert model.source_type_ == "text" and model.target_text_
    assert model.source_vocabulary_.symbols[:4] == ["<pad>", "<s>", "</s>", "<unk>"]


@pytest.fixture
def decoding(reversal):
    """The fitted reversal model, its decoding parameters restored after the test."""
    model = reversal[0]
    yield model
    model.set_params(beam_size=1, batch_size=32, max_output_length=None)


@pytest.mark.parametrize("beam_size", [1, 4])
def test_outputs_never_depend_on_the_batch(reversal, decoding, beam_size):
    _, X_test, _ = reversal
    model = decoding.set_params(beam_size=beam_size)
    long = "abcdefghij" * 3
    alone = [model.predict([x])[0] for x in X_test[:6]]
    assert model.predict([*X_test[:6], long])[:6] == alone
    for batch_size in (1, 3, 64):
        assert model.set_params(batch_size=batch_size).predict(X_test[:6]) == alone
    weights_alone = model.translate(X_test[:1], return_attention=True)[1][0]
    weights_batched = model.translate([X_test[0], long], return_attention=True)[1][0]
    np.testing.assert_allclose(weights_batched, weights_alone, atol=1e-5)


def test_attention_matrices_have_one_row_per_output_step_and_sum_to_one(reversal):
    model, X_test, _ = reversal
    outputs, attention = model.translate(X_test[:20], return_attention=True)
    for source, output, weights in zip(X_test[:20], outputs, attention, strict=True):
        assert weights.shape == (len(output) + 1, len(source))
        np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)
    # Reversal attends to the mirrored position: the first output letter looks at the last input letter.
    assert np.mean([w[0].argmax() == len(s) - 1 for s, w in zip(X_test[:20], attention, strict=True)]) >= 0.9


def test_beam_search_gives_n_best_hypotheses_best_first(reversal, decoding):
    _, X_test, _ = reversal
    model = decoding.set_params(beam_size=3)
    hypotheses = model.translate(X_test[:5], n_best=3)
    assert [len(h) for h in hypotheses] == [3] * 5
    assert [h[0] for h in hypotheses] == model.predict(X_test[:5])
    assert all(len(set(h)) == 3 for h in hypotheses)
    with pytest.raises(ValueError, match="n_best must be an int from 1 to beam_size=3"):
        model.translate(X_test[:1], n_best=4)


def test_score_samples_is_the_log_likelihood_of_the_greedy_output(reversal):
    model, X_test, _ = reversal
    predicted = model.predict(X_test[:8])
    scores = model.score_samples(X_test[:8], predicted)
    assert scores.shape == (8,) and (scores <= 0).all()
    # The greedy output is at least as likely as any other target, e.g. the source itself.
    assert (scores >= model.score_samples(X_test[:8], X_test[:8]) - 1e-6).all()


def test_bleu_and_chrf_come_from_sacrebleu(reversal, monkeypatch):
    model, X_test, y_test = reversal
    bleu, chrf = model.score(X_test, y_test, metric="bleu"), model.score(X_test, y_test, metric="chrf")
    # A perfect translation scores 100 up to sacrebleu's rounding (100.00000000000004 with init='keras').
    assert 80 <= bleu <= 100 + 1e-9 and 80 <= chrf <= 100 + 1e-9
    assert model.score(y_test[:10], y_test[:10], metric="bleu") < bleu  # copying the input is wrong
    with pytest.raises(ValueError, match="metric must be one of"):
        model.score(X_test, y_test, metric="rouge")
    monkeypatch.setitem(sys.modules, "sacrebleu", None)
    with pytest.raises(ImportError, match=r"sklearn-seq\[translation\]"):
        model.score(X_test, y_test, metric="bleu")


def test_relative_output_cap(reversal, decoding):
    _, X_test, _ = reversal
    predicted = decoding.set_params(max_output_length=0.5).predict(X_test)
    assert all(len(out) <= -(-len(x) // 2) for x, out in zip(X_test, predicted, strict=True))


def test_token_lists_in_and_out_with_words_and_a_shared_vocabulary():
    rng = np.random.RandomState(0)
    words = ["red", "green", "blue", "cat", "dog"]
    X = [list(rng.choice(words, size=rng.randint(1, 4))) for _ in range(200)]
    y = [list(reversed(x)) for x in X]
    model = Seq2SeqTranslator(share_vocabulary=True, **FAST).fit(X, y)
    assert model.source_vocabulary_ is model.target_vocabulary_
    predicted = model.predict([["red", "cat", "dog"]])
    assert predicted == [["dog", "cat", "red"]]
    text = Seq2SeqTranslator(analyzer="word", **FAST).fit([" ".join(x) for x in X], [" ".join(t) for t in y])
    assert text.predict(["red cat dog"]) == ["dog cat red"]
    assert text.predict(["red zebra"])[0].endswith("red")  # an unknown word is the unknown id, not an error


def test_vector_sources_start_the_decoder():
    names = ["zero", "one", "two", "three", "four"]
    rng = np.random.RandomState(0)
    labels = rng.randint(5, size=300)
    X = np.eye(5)[labels] + rng.normal(scale=0.1, size=(300, 5))
    y = [names[label] for label in labels]
    with pytest.raises(ValueError, match="set attention='none', bidirectional=False and an int"):
        Seq2SeqTranslator(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="a vector source has no steps"):
        Seq2SeqTranslator(attention="none", max_output_length=1.5, **FAST).fit(X, y)
    model = Seq2SeqTranslator(attention="none", **FAST).fit(X, y)
    assert model.source_type_ == "vector" and model.n_features_in_ == 5
    assert model.score(X, y) >= 0.95
    with pytest.raises(ValueError, match="relative to the source's length"):
        model.set_params(max_output_length=2.0).predict(X[:2])
    with pytest.raises(ValueError, match="X has 4 features, but Seq2SeqTranslator is expecting 5"):
        model.set_params(max_output_length=None).predict(X[:2, :4])
    frame = pd.DataFrame(X, columns=list("abcde"))
    named = Seq2SeqTranslator(attention="none", **FAST).fit(frame, y)
    assert named.feature_names_in_.tolist() == list("abcde")
    with pytest.raises(ValueError, match="feature names"):
        named.predict(frame[list("edcba")])


def test_numeric_sequence_sources_are_read_by_the_encoder():
    rng = np.random.RandomState(0)
    X = [rng.randint(3, size=rng.randint(2, 6)) for _ in range(300)]
    y = ["".join("abc"[v] for v in x) for x in X]  # spell each step
    sources = [np.eye(3)[x].astype(np.float32) for x in X]
    model = Seq2SeqTranslator(**FAST).fit(sources, y)
    assert model.source_type_ == "sequence" and model.n_features_in_ == 3
    assert model.score(sources, y) >= 0.9


@pytest.mark.parametrize("analyzer, X, y, error, message", [
    ("char", ["ab", ""], ["ba", "x"], ValueError, r"X\[1\] is empty"),
    ("char", ["ab", "cd"], ["ba", ""], ValueError, r"y\[1\] is empty"),
    ("char", ["ab", "cd"], ["ba"], ValueError, "X holds 2 sources but y holds 1 targets"),
    ("word", ["ab", "  "], ["ba", "x"], ValueError, r"X\[1\] has no token"),
    ("char", "ab", ["ba"], TypeError, "wrap it in a list"),
])
def test_bad_pairs_are_refused(analyzer, X, y, error, message):
    with pytest.raises(error, match=message):
        Seq2SeqTranslator(analyzer=analyzer, max_epochs=1).fit(X, y)


def test_predicting_another_kind_of_source_is_refused(reversal):
    model, _, _ = reversal
    with pytest.raises(TypeError, match="X holds tokens sources, but the translator was fitted on text sources"):
        model.predict([["a", "b"]])


@pytest.mark.parametrize("params, X, y, message", [
    ({"analyzer": "word"}, [["a", "b"]], ["ba"], "analyzer='word' cuts source strings, but X holds tokens sources"),
    ({"target_analyzer": "word"}, ["ab"], [["b", "a"]], "target_analyzer='word' cuts target strings"),
    ({"length_penalty": 0.5}, ["ab"], ["ba"], "beam_size=1 decodes greedily"),
])
def test_parameters_the_data_leaves_without_effect_are_refused(params, X, y, message):
    with pytest.raises(ValueError, match=message):
        Seq2SeqTranslator(max_epochs=1, **params).fit(X, y)


def test_one_column_tables_of_strings_read_as_their_column(reversal):
    model, X_test, _ = reversal
    expected = model.predict(X_test[:5])
    assert model.predict(pd.DataFrame({"source": X_test[:5]})) == expected
    assert model.predict(pd.Series(X_test[:5])) == expected
    assert model.predict(np.array(X_test[:5], dtype=object)[:, None]) == expected
    assert all("<unk>" not in output for output in model.predict(["xyz!?", "a b"]))  # never writes the unknown id


def test_share_vocabulary_needs_one_analyzer():
    with pytest.raises(ValueError, match="share_vocabulary=True needs one analyzer"):
        Seq2SeqTranslator(share_vocabulary=True, target_analyzer="word", max_epochs=1).fit(["ab"], ["b a"])


def test_warm_start_applies_decoding_and_teacher_forcing_changes_and_refuses_the_rest():
    X, y = make_reversal(60, min_length=2, max_length=4, random_state=0)
    model = Seq2SeqTranslator(hidden_size=8, max_epochs=1, warm_start=True, random_state=0).fit(X, y)
    module = model.module_
    model.set_params(teacher_forcing_ratio=0.5, beam_size=2, length_penalty=0.0).fit(X, y)
    assert model.module_ is module and module.teacher_forcing_ratio == 0.5 and model.n_iter_ == 2
    with pytest.raises(ValueError, match="but attention changed since it was built"):
        model.set_params(attention="luong").fit(X, y)


def test_same_seed_same_model_and_pickle_round_trip():
    X, y = make_reversal(80, min_length=2, max_length=4, random_state=0)
    params = {"hidden_size": 8, "max_epochs": 2, "teacher_forcing_ratio": 0.5, "random_state": 3}
    a, b = Seq2SeqTranslator(**params).fit(X, y), Seq2SeqTranslator(**params).fit(X, y)
    np.testing.assert_array_equal(a.score_samples(X, y), b.score_samples(X, y))
    restored = pickle.loads(pickle.dumps(a))
    assert restored.predict(X) == a.predict(X)
    np.testing.assert_array_equal(restored.score_samples(X, y), a.score_samples(X, y))


def test_partial_fit_learns_the_vocabulary_once():
    X, y = make_reversal(60, min_length=2, max_length=4, random_state=0)
    model = Seq2SeqTranslator(hidden_size=8, random_state=0).partial_fit(X, y).partial_fit(["zz"], ["zz"])
    assert model.n_iter_ == 2 and "z" not in model.source_vocabulary_


def test_early_stopping_holds_out_pairs_and_stops():
    X, y = make_reversal(300, min_length=2, max_length=4, random_state=0)
    model = Seq2SeqTranslator(hidden_size=16, lr=0.02, max_epochs=60, early_stopping=True, n_iter_no_change=2,
                              bucket_by_length=True, random_state=0).fit(X, y)
    assert model.n_iter_ < 60 and "valid_loss" in model.history_[-1]
    assert model.history_[0]["valid_batch_count"] == 1  # 30 of 300 pairs held out, one batch of 32


def test_later_data_with_longer_targets_raises_the_default_cap():
    short, _ = make_reversal(50, min_length=1, max_length=2, random_state=0)
    long, _ = make_reversal(100, min_length=8, max_length=12, random_state=1)
    model = Seq2SeqTranslator(hidden_size=8, random_state=0).partial_fit(short, short).partial_fit(long, long)
    assert model._longest_target == 12
    assert max(len(out) for out in model.predict(long[:20])) > 4  # not cut at twice the first call's 2


def test_integer_arrays_are_token_ids_like_integer_lists():
    X = [[1, 4, 2], [3, 3], [5, 1, 1, 2]] * 10
    y = ["a", "b", "c"] * 10
    as_lists = Seq2SeqTranslator(hidden_size=8, max_epochs=1, random_state=0).fit(X, y)
    as_arrays = Seq2SeqTranslator(hidden_size=8, max_epochs=1, random_state=0).fit([np.array(x) for x in X], y)
    assert as_arrays.source_type_ == as_lists.source_type_ == "tokens"
    assert as_arrays.predict(X[:3]) == as_lists.predict(X[:3])


def test_unfilled_n_best_slots_are_left_out_and_outputs_are_never_empty():
    X, y = make_reversal(100, min_length=1, max_length=3, alphabet="ab", random_state=0)
    model = Seq2SeqTranslator(hidden_size=16, lr=0.02, max_epochs=5, random_state=0, beam_size=5,
                              max_output_length=1).fit(X, y)
    outputs, attention = model.translate(["ab", "a"], n_best=5, return_attention=True)
    assert all(len(hyps) == len(set(hyps)) <= 2 and "" not in hyps for hyps in outputs)  # 'a' or 'b': 2 at most
    assert [len(w) for w in attention] == [len(h) for h in outputs]
    assert "" not in Seq2SeqTranslator(hidden_size=8, max_epochs=1, random_state=0).fit(X, y).predict(X)


@pytest.mark.parametrize("change", [{"target_analyzer": "word"}, {"hidden_size": 8}, {"min_count": 3}])
def test_parameters_changed_after_fitting_are_refused_at_prediction(reversal, change):
    model, X_test, _ = reversal
    original = {name: model.get_params()[name] for name in change}
    try:
        with pytest.raises(ValueError, match=f"{next(iter(change))} changed since the network was fitted"):
            model.set_params(**change).predict(X_test[:2])
    finally:
        model.set_params(**original)


def test_decoding_parameters_are_validated_at_prediction(decoding):
    with pytest.raises(InvalidParameterError, match="beam_size"):
        decoding.set_params(beam_size=0).predict(["ab"])
