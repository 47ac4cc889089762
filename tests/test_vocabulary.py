"""Tests of Vocabulary and check_token_sequences, and that every token reader uses them."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest

from sklearn_seq import CharRNNLanguageModel, NGramLanguageModel, SequenceTagger, SequenceVectorizer
from sklearn_seq.vocabulary import FRAMED_RESERVED, Vocabulary, check_token_sequences

# counts: b 3, a 2, c 2, d 1; in 3, 2, 1 and 1 sequences; first occurrences c, a, b, d
SEQUENCES = [["c", "a", "b"], ["b", "a", "c", "b"], ["d"]]


def test_frequency_order_breaks_ties_by_sorted_token_or_first_occurrence():
    assert dict(Vocabulary.learn(SEQUENCES).token_to_id) == {"b": 2, "a": 3, "c": 4, "d": 5}
    assert dict(Vocabulary.learn(SEQUENCES, ties="first").token_to_id) == {"b": 2, "c": 3, "a": 4, "d": 5}
    # sorted ties do not depend on the order of the sequences, first-occurrence ties do
    assert Vocabulary.learn(SEQUENCES[::-1]) == Vocabulary.learn(SEQUENCES)
    assert Vocabulary.learn(SEQUENCES[::-1], ties="first").symbols[2:] == ["b", "a", "c", "d"]


def test_sorted_order_groups_types():
    vocab = Vocabulary.learn([[3, "b", 1], ["a", 2.5]], reserved=FRAMED_RESERVED, order="sorted")
    assert vocab.symbols == ["<pad>", "<s>", "</s>", "<unk>", 2.5, 1, 3, "a", "b"]
    assert vocab.token_to_id[1] == 5


def test_min_count_min_sequences_and_max_size():
    assert list(Vocabulary.learn(SEQUENCES, min_count=2).token_to_id) == ["b", "a", "c"]
    assert list(Vocabulary.learn(SEQUENCES, min_sequences=2).token_to_id) == ["b", "a", "c"]
    assert list(Vocabulary.learn(SEQUENCES, min_sequences=1.5).token_to_id) == ["b", "a", "c"]
    assert list(Vocabulary.learn(SEQUENCES, min_sequences=2.5).token_to_id) == []
    assert list(Vocabulary.learn(SEQUENCES, min_count=3).token_to_id) == ["b"]
    assert list(Vocabulary.learn(SEQUENCES, max_size=2).token_to_id) == ["b", "a"]
    assert list(Vocabulary.learn(SEQUENCES, max_size=2, ties="first").token_to_id) == ["b", "c"]
    assert len(Vocabulary.learn(SEQUENCES, min_count=4)) == 2  # only the reserved ids


def test_encode_decode_framing_and_unknown_id():
    vocab = Vocabulary.learn(["abba", "cab"], reserved=FRAMED_RESERVED, order="sorted")
    assert (vocab.pad_id, vocab.bos_id, vocab.eos_id, vocab.unk_id) == (0, 1, 2, 3)
    assert len(vocab) == 7 and "a" in vocab and "<s>" not in vocab and ["a"] not in vocab
    assert vocab.encode("abz") == [4, 5, 3]
    assert vocab.encode("abz", bos=True, eos=True) == [1, 4, 5, 3, 2]
    ids = vocab.encode("cab", bos=True, eos=True) + [0, 0]
    assert vocab.decode(ids) == ["<s>", "c", "a", "b", "</s>", "<pad>", "<pad>"]
    assert vocab.decode(ids, stop_at_eos=True, skip=("<s>",)) == ["c", "a", "b"]
    assert vocab.decode(ids, skip=("<s>", "</s>", "<pad>")) == ["c", "a", "b"]
    assert vocab.decode(np.array([6, 4])) == ["c", "a"]
    with pytest.raises(ValueError, match=re.escape("id 7 is outside the vocabulary's ids 0 to 6")):
        vocab.decode([4, 7])
    plain = Vocabulary(["x", "y"])  # ('<pad>', '<unk>')
    assert plain.bos_id is None and plain.encode(["y", "?"]) == [3, 1]
    with pytest.raises(ValueError, match=re.escape("framing needs the reserved symbol '<s>'")):
        plain.encode(["x"], bos=True)
    with pytest.raises(ValueError, match=re.escape("token 'z' is not in the vocabulary, which has no '<unk>'")):
        Vocabulary(["x"], reserved=("<pad>",)).encode(["x", "z"])


def test_reserved_names_are_not_matched_in_the_data():
    vocab = Vocabulary.learn([["<unk>", "a", "<unk>"]])
    assert vocab.symbols == ["<pad>", "<unk>", "<unk>", "a"]
    assert vocab.encode(["<unk>", "b"]) == [2, 1]


def test_construction_from_tokens_or_a_fitted_mapping():
    vocab = Vocabulary({"a": 4, "b": 5}, reserved=FRAMED_RESERVED)
    assert vocab == Vocabulary(["a", "b"], reserved=FRAMED_RESERVED)
    assert vocab != Vocabulary(["a", "b"])
    with pytest.raises(ValueError, match=re.escape("the ids of a mapping must be 2, 3, ... in order")):
        Vocabulary({"a": 3, "b": 2})
    with pytest.raises(ValueError, match="the tokens must differ from each other"):
        Vocabulary(["a", "a"])
    with pytest.raises(ValueError, match="the reserved symbols must differ"):
        Vocabulary(reserved=("<pad>", "<pad>"))
    with pytest.raises(ValueError, match="order must be 'frequency' or 'sorted'"):
        Vocabulary.learn(SEQUENCES, order="alphabetical")
    with pytest.raises(TypeError):
        vocab.token_to_id["c"] = 6  # a read-only view
    assert repr(vocab) == "Vocabulary(2 tokens, reserved=('<pad>', '<s>', '</s>', '<unk>'))"


def test_pickle_round_trip():
    vocab = Vocabulary.learn(SEQUENCES, reserved=FRAMED_RESERVED)
    restored = pickle.loads(pickle.dumps(vocab))
    assert restored == vocab and restored.encode("abz", eos=True) == [5, 4, 3, 2]


# -- every token reader learns its vocabulary through Vocabulary -------------------------


def test_vectorizer_vocabulary_is_a_frequency_vocabulary():
    docs = ["b a c b", "c a d", "d d e"]  # in 2 documents: a, c (2 times), d (3 times); b is in one
    vectorizer = SequenceVectorizer(min_df=2, max_features=2).fit(docs)
    expected = Vocabulary.learn([doc.split() for doc in docs], min_sequences=2, max_size=2)
    assert vectorizer.vocabulary_ == dict(expected.token_to_id) == {"d": 2, "a": 3}
    assert vectorizer.get_feature_names_out().tolist() == expected.symbols == ["<pad>", "<unk>", "d", "a"]
    assert vectorizer.transform(["a e d"]) == [expected.encode(["a", "e", "d"])] == [[3, 1, 2]]


def test_tagger_vocabularies_are_frequency_vocabularies_with_first_occurrence_ties():
    X = [["the", "dog", "runs"], ["a", "cat", "runs"], ["the", "cat", "sleeps"]]
    y = [["D", "N", "V"], ["D", "N", "V"], ["D", "N", "V"]]
    tagger = SequenceTagger(min_count=1, char_embedding_dim=2, char_hidden_size=2, hidden_size=2,
                            embedding_dim=2, max_epochs=1, random_state=0).fit(X, y)
    assert tagger.vocabulary_ == dict(Vocabulary.learn(X, ties="first").token_to_id)
    assert list(tagger.vocabulary_) == ["the", "runs", "cat", "dog", "a", "sleeps"]
    spellings = ["the", "dog", "runs", "a", "cat", "sleeps"]  # each distinct token once
    assert tagger.char_vocabulary_ == dict(Vocabulary.learn(spellings, ties="first").token_to_id)
    assert list(tagger.char_vocabulary_)[:4] == ["e", "s", "t", "a"]  # e, s 3 times (e seen first), t, a twice


@pytest.mark.parametrize("model", [NGramLanguageModel(2), CharRNNLanguageModel(hidden_size=4, max_epochs=1)])
def test_language_model_vocabulary_is_a_sorted_framed_vocabulary(model):
    X = ["cab", "abba", "bd"]
    model.fit(X)
    expected = Vocabulary.learn(X, reserved=FRAMED_RESERVED, order="sorted")
    assert model.vocabulary_ == dict(expected.token_to_id) == {"a": 4, "b": 5, "c": 6, "d": 7}
    assert model.symbols_ == expected.symbols


# -- check_token_sequences, and Series / DataFrame input of every reader -----------------


def test_check_token_sequences_reads_series_and_one_column_frames():
    series = pd.Series([["a", "b"], np.array(["c"])], index=[10, 20])
    assert check_token_sequences(series, kind="tokens") == ([("a", "b"), ("c",)], False)
    assert check_token_sequences(pd.DataFrame({"text": ["ab", "c"]})) == (["ab", "c"], True)
    assert check_token_sequences([np.array([1, 2])]) == ([(1, 2)], False)
    assert all(type(t) is int for t in check_token_sequences([np.array([1, 2])])[0][0])
    with pytest.raises(ValueError, match=re.escape("X is a DataFrame with 2 columns; pass the one column that holds "
                                                   "the token sequences (a Series or a one-column DataFrame).")):
        check_token_sequences(pd.DataFrame({"a": [["x"]], "b": [["y"]]}), kind="tokens")


@pytest.mark.parametrize(
    ("kind", "X", "error", "message"),
    [
        ("tokens", 5, TypeError, "X must be a list of token sequences, got int."),
        ("text", 5, TypeError, "X must be a list of documents (strings), got int."),
        ("tokens", [], ValueError, "X is empty: at least one sequence is required."),
        ("tokens", [["a"], {"b": 1}], TypeError, "X[1] must be a sequence (list, tuple, 1-D array) of tokens, got"),
        ("tokens", [["a", None]], TypeError, "X[0][1] is not a valid token: got None"),
        ("tokens", [np.zeros((2, 2))], ValueError, "X[0] must be a 1-D sequence of tokens, got an array of shape"),
        ("text_or_tokens", np.array(3), TypeError, "X must be a list of sequences (strings or token lists), got ndarr"),
    ],
)
def test_check_token_sequences_errors_name_the_sample(kind, X, error, message):
    with pytest.raises(error, match=re.escape(message)):
        check_token_sequences(X, kind=kind)


DOCS = ["the cat sat", "the dog sat"]


def test_vectorizer_reads_series_and_one_column_frames():
    expected = SequenceVectorizer().fit_transform(DOCS)
    assert SequenceVectorizer().fit_transform(pd.Series(DOCS, index=[5, 3])) == expected
    vectorizer = SequenceVectorizer().fit(pd.DataFrame({"review": DOCS}))
    assert "review" not in vectorizer.vocabulary_ and vectorizer.transform(pd.DataFrame({"r": DOCS})) == expected
    with pytest.raises(ValueError, match=re.escape("X is a DataFrame with 2 columns")):
        SequenceVectorizer().fit(pd.DataFrame({"a": DOCS, "b": DOCS}))


def test_tagger_reads_series_and_one_column_frames():
    X, y = [["the", "dog"], ["a", "cat"]], [["D", "N"], ["D", "N"]]
    params = {"min_count": 1, "hidden_size": 2, "embedding_dim": 2, "max_epochs": 1, "random_state": 0}
    tagger = SequenceTagger(**params).fit(pd.Series(X, index=[7, 8]), pd.Series(y, index=[7, 8]))
    assert tagger.vocabulary_ == SequenceTagger(**params).fit(X, y).vocabulary_
    assert [list(p) for p in tagger.predict(pd.DataFrame({"tokens": X}))] == [list(p) for p in tagger.predict(X)]
    assert tagger.score(pd.Series(X), y) == tagger.score(X, y)
    with pytest.raises(ValueError, match=re.escape("X is a DataFrame with 2 columns")):
        tagger.predict(pd.DataFrame({"a": X, "b": X}))
    with pytest.raises(TypeError, match=re.escape("X[0][1] is not a valid token: got None")):
        SequenceTagger(**params).fit([["the", None]], [["D", "N"]])


def test_language_models_read_series_and_one_column_frames():
    names = ["anna", "bob", "ada"]
    lm = NGramLanguageModel(2).fit(pd.DataFrame({"name": names}))
    assert lm.vocabulary_ == NGramLanguageModel(2).fit(names).vocabulary_ == {"a": 4, "b": 5, "d": 6, "n": 7, "o": 8}
    assert lm.score(pd.Series(names, index=[3, 1, 2])) == lm.score(names)
    with pytest.raises(ValueError, match=re.escape("X is a DataFrame with 2 columns")):
        lm.score(pd.DataFrame({"a": names, "b": names}))
    rnn = CharRNNLanguageModel(hidden_size=4, max_epochs=1, random_state=0).fit(pd.Series(names))
    assert rnn.vocabulary_ == lm.vocabulary_
