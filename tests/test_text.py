"""SequenceVectorizer, load_word_vectors and embedding_matrix.

scikit-learn's estimator checks are not run on SequenceVectorizer: like
CountVectorizer, it takes raw strings (tags ``string=True``, ``two_d_array=False``),
and ``check_estimator`` feeds numeric arrays to every data check, so it skips the
whole estimator with a warning ("Can't test estimator ... which requires input of
type ..."). The checks that need no data are run below, and the rest of the
contract (clone, pickle, ``fit_transform == fit().transform``, pipelines, grid
search) is tested directly.
"""

import gzip
import pickle
import re

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from sklearn_seq import GRUClassifier, LSTMClassifier, SequenceVectorizer
from sklearn_seq._compat import InvalidParameterError
from sklearn_seq.text import embedding_matrix, load_word_vectors

DOCS = ["The cat sat.", "The dog sat down!", "A bird"]


def test_fit_transform_numbers_tokens_by_frequency():
    vectorizer = SequenceVectorizer()
    assert vectorizer.fit_transform(DOCS) == [[3, 8, 2, 5], [3, 9, 2, 10, 4], [6, 7]]
    # "sat" and "the" occur twice (alphabetical tie-break), the rest once.
    assert vectorizer.vocabulary_ == {"sat": 2, "the": 3, "!": 4, ".": 5, "a": 6, "bird": 7, "cat": 8, "dog": 9,
                                      "down": 10}
    assert vectorizer.get_feature_names_out().tolist() == [
        "<pad>", "<unk>", "sat", "the", "!", ".", "a", "bird", "cat", "dog", "down"
    ]
    assert vectorizer.transform(DOCS) == vectorizer.fit(DOCS).transform(DOCS) == vectorizer.fit_transform(DOCS)


def test_transform_unknown_tokens_and_empty_documents():
    vectorizer = SequenceVectorizer().fit(DOCS)
    # Unknown tokens get id 1; a document without any token becomes a single id 1.
    assert vectorizer.transform(["the cow sat", "", "   ", "THE BIRD"]) == [[3, 1, 2], [1], [1], [3, 7]]


def test_inverse_transform_lists_and_padded_arrays():
    vectorizer = SequenceVectorizer().fit(DOCS)
    tokens = vectorizer.inverse_transform([[3, 1, 2], [7]])
    assert [t.tolist() for t in tokens] == [["the", "<unk>", "sat"], ["bird"]]
    padded = np.array([[3, 8, 2, 5], [6, 7, 0, 0]])
    assert [t.tolist() for t in vectorizer.inverse_transform(padded)] == [["the", "cat", "sat", "."], ["a", "bird"]]
    with pytest.raises(ValueError, match=re.escape("sample 1 has token id 11, but the vocabulary has ids 0 to 10")):
        vectorizer.inverse_transform([[3], [11, 2]])


@pytest.mark.parametrize(
    ("params", "vocabulary", "ids"),
    [
        ({"min_df": 2}, {"sat": 2, "the": 3}, [[3, 1, 2, 1], [3, 1, 2, 1, 1], [1, 1]]),
        ({"min_df": 0.5}, {"sat": 2, "the": 3}, [[3, 1, 2, 1], [3, 1, 2, 1, 1], [1, 1]]),
        ({"max_features": 3}, {"sat": 2, "the": 3, "!": 4}, [[3, 1, 2, 1], [3, 1, 2, 1, 4], [1, 1]]),
        ({"lowercase": False, "min_df": 2}, {"The": 2, "sat": 3}, [[2, 1, 3, 1], [2, 1, 3, 1, 1], [1, 1]]),
        ({"token_pattern": r"(?u)\b\w\w+\b", "max_features": 2}, {"sat": 2, "the": 3},
         [[3, 1, 2], [3, 1, 2, 1], [1]]),
        ({"tokenizer": str.split, "max_features": 2}, {"the": 2, "a": 3}, [[2, 1, 1], [2, 1, 1, 1], [3, 1]]),
    ],
)
def test_vocabulary_options(params, vocabulary, ids):
    vectorizer = SequenceVectorizer(**params)
    assert vectorizer.fit_transform(DOCS) == ids
    assert vectorizer.vocabulary_ == vocabulary


def test_char_analyzer():
    vectorizer = SequenceVectorizer(analyzer="char")
    assert vectorizer.fit_transform(["abba", "Ab  c"]) == [[2, 3, 3, 2], [2, 3, 4, 5]]
    assert vectorizer.vocabulary_ == {"a": 2, "b": 3, " ": 4, "c": 5}


@pytest.mark.parametrize(("truncation", "ids"), [("pre", [[4, 5], [3, 2]]), ("post", [[2, 3], [3, 2]])])
def test_max_length_truncation(truncation, ids):
    vectorizer = SequenceVectorizer(max_length=2, truncation=truncation)
    assert vectorizer.fit_transform(["a b c d", "b a"]) == ids
    # The vocabulary holds only the kept tokens: "b" and "c" (pre) or "a" and "b" (post) are cut from the first
    # document, so every vocabulary id occurs in the transformed training documents.
    assert sorted(vectorizer.vocabulary_.values()) == [2, 3, 4, 5][: len(vectorizer.vocabulary_)]
    assert {i for doc in vectorizer.transform(["a b c d", "b a"]) for i in doc} == {*vectorizer.vocabulary_.values()}


@pytest.mark.parametrize(
    ("X", "error", "message"),
    [
        ("a single string", TypeError, "X must be a list of documents (strings), got a single str; wrap it"),
        ([], ValueError, "X is empty: at least one sequence is required."),
        (["fine", None], TypeError, "X[1] must be a string, got NoneType."),
        (["...", "?!"], ValueError, "empty vocabulary: the documents contain no tokens (check token_pattern"),
    ],
)
def test_invalid_documents(X, error, message):
    with pytest.raises(error, match=re.escape(message)):
        SequenceVectorizer(token_pattern=r"\w+").fit(X)


def test_min_df_too_high_and_bad_parameters():
    with pytest.raises(ValueError, match=re.escape("empty vocabulary: no token occurs in min_df=3 or more")):
        SequenceVectorizer(min_df=3).fit(DOCS)
    with pytest.raises(InvalidParameterError, match="The 'truncation' parameter of SequenceVectorizer must be"):
        SequenceVectorizer(truncation="middle").fit(DOCS)
    with pytest.raises(NotFittedError):
        SequenceVectorizer().transform(DOCS)
    with pytest.warns(UserWarning, match=re.escape("tokenizer is ignored with analyzer='char'")):
        SequenceVectorizer(analyzer="char", tokenizer=str.split).fit(DOCS)


def test_scikit_learn_api():
    vectorizer = SequenceVectorizer(max_features=5)
    check_parameters_default_constructible("SequenceVectorizer", vectorizer)
    check_no_attributes_set_in_init("SequenceVectorizer", vectorizer)
    check_get_params_invariance("SequenceVectorizer", vectorizer)
    check_set_params("SequenceVectorizer", vectorizer)
    fitted = clone(vectorizer).fit(DOCS)
    assert not hasattr(vectorizer, "vocabulary_")
    restored = pickle.loads(pickle.dumps(fitted))
    assert restored.transform(DOCS) == fitted.transform(DOCS)
    assert not hasattr(vectorizer, "set_output")  # the output is a list of sequences, not a table
    tags = vectorizer.__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def _sentiment_corpus(n, seed):
    """Short documents whose label is whether they use a word from the positive list."""
    rng = np.random.RandomState(seed)
    positive, negative = ["good", "great", "fine", "superb"], ["bad", "awful", "poor", "dull"]
    neutral = ["the", "film", "plot", "was", "a", "and", "cast", "story", "it"]
    docs, labels = [], []
    for _ in range(n):
        label = rng.randint(2)
        words = list(rng.choice(neutral, size=rng.randint(2, 6)))
        words.insert(rng.randint(len(words) + 1), rng.choice(positive if label else negative))
        docs.append(" ".join(words))
        labels.append(label)
    return docs, np.array(labels)


def test_pipeline_grid_search_on_raw_text():
    X, y = _sentiment_corpus(90, seed=0)
    X_test, y_test = _sentiment_corpus(60, seed=1)
    pipeline = make_pipeline(
        SequenceVectorizer(),
        LSTMClassifier(embedding_dim=8, hidden_size=8, lr=0.05, max_epochs=10, random_state=0),
    )
    grid = GridSearchCV(
        pipeline,
        {"sequencevectorizer__max_features": [2, None], "lstmclassifier__bidirectional": [False, True]},
        cv=3,
    ).fit(X, y)
    # Measured mean CV accuracies: 0.49 with max_features=2 (only filler words are kept), 0.96 (forward) and
    # 0.93 (bidirectional) with the whole vocabulary; 0.98 on the test documents.
    scores = {params["sequencevectorizer__max_features"]: [] for params in grid.cv_results_["params"]}
    for params, score in zip(grid.cv_results_["params"], grid.cv_results_["mean_test_score"], strict=True):
        scores[params["sequencevectorizer__max_features"]].append(score)
    assert max(scores[2]) <= 0.6 and min(scores[None]) >= 0.9
    assert grid.best_params_["sequencevectorizer__max_features"] is None
    assert grid.score(X_test, y_test) >= 0.95
    # Each fold's vectorizer is refitted; the classifier's vocab_size_ is the vectorizer's whole vocabulary.
    vectorizer, classifier = grid.best_estimator_.steps[0][1], grid.best_estimator_.steps[1][1]
    assert classifier.vocab_size_ == len(vectorizer.get_feature_names_out())


def test_vocab_size_when_the_vectorizer_is_fitted_outside_the_split():
    X, y = _sentiment_corpus(60, seed=0)
    X[-1] += " unseen"  # the rarest token, hence the largest id, occurs only in the held-out document
    vectorizer = SequenceVectorizer().fit(X)
    ids = vectorizer.transform(X)
    params = {"embedding_dim": 4, "hidden_size": 4, "max_epochs": 1, "random_state": 0}
    inferred = GRUClassifier(**params).fit(ids[:-1], y[:-1])
    with pytest.raises(ValueError, match="but the embedding knows ids below vocab_size_"):
        inferred.predict(ids[-1:])
    # The documented remedy: give the classifier the vectorizer's number of ids.
    sized = GRUClassifier(vocab_size=len(vectorizer.get_feature_names_out()), **params).fit(ids[:-1], y[:-1])
    assert sized.predict(ids[-1:]).shape == (1,)


# -- pre-trained word vectors ------------------------------------------------------------------------------

GLOVE = "the 0.1 0.2 0.3\ncat 1 -1 0.5\nsat -0.25 0 2e-1\n"


def _write(path, text, compress=False):
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


@pytest.mark.parametrize(
    ("text", "compress"),
    [(GLOVE, False), (GLOVE, True), ("3 3\n" + GLOVE.replace("\n", " \n"), False), ("3 3\n" + GLOVE, True)],
    ids=["glove", "glove-gzip", "word2vec", "word2vec-gzip"],
)
def test_load_word_vectors_formats(tmp_path, text, compress):
    vectors = load_word_vectors(_write(tmp_path / "vectors.bin", text, compress))
    assert list(vectors) == ["the", "cat", "sat"]
    assert all(v.dtype == np.float32 and v.shape == (3,) for v in vectors.values())
    np.testing.assert_array_equal(vectors["sat"], np.array([-0.25, 0.0, 0.2], dtype=np.float32))


def test_load_word_vectors_words_filter_duplicates_and_spaces(tmp_path):
    text = "the 1 2\nof 3 4\nthe 5 6\n. . . 7 8\n\n"
    vectors = load_word_vectors(_write(tmp_path / "v.txt", text))
    assert list(vectors) == ["the", "of", ". . ."]
    assert vectors["the"].tolist() == [1.0, 2.0]  # the first of two vectors is kept
    assert vectors[". . ."].tolist() == [7.0, 8.0]
    assert list(load_word_vectors(tmp_path / "v.txt", words={"of", "missing"})) == ["of"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("the 1 2\ncat 1\n", "v.txt, line 2: expected a word and 2 numbers, got 2 fields"),
        ("the 1 2\ncat 1 two\n", "v.txt, line 2: could not convert string to float: 'two'"),
        ("3 2\nthe 1 2\ncat 3 4\n", "v.txt: the word2vec header announces 3 vectors, but the file has 2"),
        ("\n\n", "v.txt contains no word vectors"),
    ],
)
def test_load_word_vectors_errors(tmp_path, text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        load_word_vectors(_write(tmp_path / "v.txt", text))


def test_embedding_matrix_rows_follow_the_ids():
    vocabulary = SequenceVectorizer().fit(DOCS).vocabulary_
    vectors = {"the": [1.0, 2.0], "cat": [3.0, 4.0], "unused": [9.0, 9.0]}
    matrix, found = embedding_matrix(vocabulary, vectors, random_state=0, return_found=True)
    assert matrix.dtype == np.float32 and matrix.shape == (11, 2)
    assert matrix[0].tolist() == [0.0, 0.0]  # padding
    assert matrix[3].tolist() == [1.0, 2.0] and matrix[8].tolist() == [3.0, 4.0]
    assert found.nonzero()[0].tolist() == [3, 8]
    random_rows = matrix[~found][1:]  # id 1 and the tokens without a vector, drawn at the vectors' scale
    assert np.all(random_rows != 0.0)
    np.testing.assert_array_equal(matrix, embedding_matrix(vocabulary, vectors, random_state=0))
    zeros = embedding_matrix(vocabulary, vectors, unknown="zeros")
    assert np.count_nonzero(zeros.any(axis=1)) == 2


@pytest.mark.parametrize(
    ("vocabulary", "vectors", "message"),
    [
        ({}, {"a": [1.0]}, "the vocabulary is empty"),
        ({"a": 0, "b": 2}, {"a": [1.0]}, "the vocabulary uses id 0 or below; id 0 is reserved for padding"),
        ({"The": 2}, {"the": [1.0]}, "none of the 1 vocabulary tokens has a vector"),
        ({"a": 2, "b": 3}, {"a": [1.0], "b": [1.0, 2.0]}, "the word vectors have different shapes: [(1,), (2,)]"),
    ],
)
def test_embedding_matrix_errors(vocabulary, vectors, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        embedding_matrix(vocabulary, vectors)


def test_pretrained_frozen_embedding_in_a_classifier(tmp_path):
    X, y = _sentiment_corpus(60, seed=0)
    vectorizer = SequenceVectorizer().fit(X)
    rng = np.random.RandomState(0)
    glove = "".join(f"{word} {' '.join(map(str, rng.normal(size=6)))}\n" for word in ["good", "bad", "film", "zzz"])
    vectors = load_word_vectors(_write(tmp_path / "glove.txt.gz", glove, compress=True))
    weights, found = embedding_matrix(vectorizer.vocabulary_, vectors, random_state=0, return_found=True)
    assert found.sum() == 3  # "zzz" is not in the vocabulary
    classifier = GRUClassifier(embedding_weights=weights, freeze_embedding=True, hidden_size=4, max_epochs=2,
                               random_state=0).fit(vectorizer.transform(X), y)
    learned = classifier.module_.encoder.embedding.weight.detach()
    torch.testing.assert_close(learned, torch.from_numpy(weights))
