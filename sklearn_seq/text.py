"""Text to token ids, and pre-trained word vectors for the embedding layer.

:class:`SequenceVectorizer` turns raw documents into the integer token sequences
that the estimators read with ``embedding_dim`` set: id 0 is padding, id 1 stands
for every token outside the vocabulary, real tokens are numbered from 2 by
decreasing frequency. :func:`load_word_vectors` reads pre-trained vectors (GloVe or
word2vec text format) and :func:`embedding_matrix` lines them up with a
vocabulary, for the estimators' ``embedding_weights``.
"""

from __future__ import annotations

import gzip
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from numbers import Integral
from typing import IO, Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._compat import HasMethods, Interval, RealNotInt, StrOptions, _fit_context, validate_params
from ._version_stamp import VersionStampMixin
from .sequences import check_sequences
from .vocabulary import Vocabulary, check_token_sequences

__all__ = ["SequenceVectorizer", "embedding_matrix", "load_word_vectors"]

_PAD = 0  # id of '<pad>', the first of Vocabulary's default reserved symbols ('<pad>', '<unk>')


class SequenceVectorizer(TransformerMixin, VersionStampMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Turn raw documents into sequences of integer token ids, for embedding models.

    Each document is split into tokens (words or characters), and each token is
    replaced by its id in a vocabulary learned at ``fit``. The output is what the
    estimators read with ``embedding_dim`` set, so that a
    :class:`~sklearn.pipeline.Pipeline` of this vectorizer and, e.g.,
    :class:`~sklearn_seq.LSTMClassifier` learns from raw text. Unlike
    :class:`~sklearn.feature_extraction.text.CountVectorizer`, the order of the
    tokens is kept. Read more in the :ref:`User Guide <text>`.

    Ids:

    * 0 is reserved for padding (it never occurs in the output);
    * 1 stands for any token outside the vocabulary (unseen at ``fit``, or left
      out by ``min_df`` or ``max_features``);
    * the vocabulary's tokens are numbered from 2 by decreasing number of
      occurrences in the training documents (ties in alphabetical order), so the
      embedding needs ``len(vocabulary_) + 2`` rows.

    A document with no token at all (an empty string, or only characters that
    ``token_pattern`` does not match) becomes ``[1]``, a single out-of-vocabulary
    id: recurrent networks cannot read empty sequences, and "nothing known here"
    is what the sequence says.

    Parameters
    ----------
    analyzer : {'word', 'char'}, default='word'
        Split documents into words (with ``token_pattern`` or ``tokenizer``) or
        into single characters (runs of white space count as one space).

    lowercase : bool, default=True
        Lowercase the documents before splitting them.

    token_pattern : str, default=r"(?u)\\w+|[^\\w\\s]+"
        Regular expression of a word token (``analyzer='word'`` without
        ``tokenizer``). The default keeps words and runs of punctuation (``"!"``,
        ``"..."``) as tokens, as NLTK's ``wordpunct_tokenize`` does; unlike
        :class:`~sklearn.feature_extraction.text.CountVectorizer`'s default it keeps
        one-letter words. If it has a capturing group, the group is the token.

    tokenizer : callable, default=None
        Function from a (lowercased) document to its list of tokens; replaces
        ``token_pattern``. Ignored with ``analyzer='char'``.

    max_features : int, default=None
        Keep only the ``max_features`` most frequent tokens in the vocabulary;
        all tokens when None.

    min_df : float or int, default=1
        Leave out tokens found in fewer documents than this: a count when an
        integer, a fraction of the documents when a float in [0.0, 1.0].

    max_length : int, default=None
        Cut each document to at most ``max_length`` tokens; no limit when None.
        The vocabulary is learned from the kept tokens only, so every one of its
        tokens occurs in the transformed training documents.

    truncation : {'pre', 'post'}, default='pre'
        Which tokens ``max_length`` removes: those at the start (``'pre'``, keep
        the last ``max_length`` tokens, nearest to a recurrent network's final
        state) or those at the end (``'post'``), as Keras's ``pad_sequences``.

    Attributes
    ----------
    vocabulary_ : dict
        Token to id, ids from 2 to ``len(vocabulary_) + 1``.

    See Also
    --------
    sklearn.feature_extraction.text.CountVectorizer : Token counts, without order.
    embedding_matrix : Pre-trained vectors in the order of ``vocabulary_``.

    Examples
    --------
    >>> from sklearn_seq import SequenceVectorizer
    >>> docs = ["The cat sat.", "The dog sat down!", "A bird"]
    >>> vectorizer = SequenceVectorizer()
    >>> vectorizer.fit_transform(docs)
    [[3, 8, 2, 5], [3, 9, 2, 10, 4], [6, 7]]
    >>> vectorizer.vocabulary_["sat"], len(vectorizer.vocabulary_)
    (2, 9)
    >>> ids = vectorizer.transform(["The cat ate."])
    >>> ids
    [[3, 8, 1, 5]]
    >>> vectorizer.inverse_transform(ids)[0].tolist()
    ['the', 'cat', '<unk>', '.']
    """

    _parameter_constraints: dict = {
        "analyzer": [StrOptions({"word", "char"})],
        "lowercase": ["boolean"],
        "token_pattern": [str],
        "tokenizer": [callable, None],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
        "min_df": [Interval(RealNotInt, 0, 1, closed="both"), Interval(Integral, 1, None, closed="left")],
        "max_length": [Interval(Integral, 1, None, closed="left"), None],
        "truncation": [StrOptions({"pre", "post"})],
    }

    def __init__(
        self,
        *,
        analyzer: str = "word",
        lowercase: bool = True,
        token_pattern: str = r"(?u)\w+|[^\w\s]+",
        tokenizer: Callable[[str], list] | None = None,
        max_features: int | None = None,
        min_df: float = 1,
        max_length: int | None = None,
        truncation: str = "pre",
    ):
        self.analyzer = analyzer
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.max_features = max_features
        self.min_df = min_df
        self.max_length = max_length
        self.truncation = truncation

    def fit(self, X: Iterable[str], y: Any = None) -> SequenceVectorizer:
        """Learn the vocabulary of the documents.

        Parameters
        ----------
        X : iterable of str
            The documents.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted vectorizer.
        """
        self.fit_transform(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X: Iterable[str], y: Any = None) -> list[list[int]]:
        """Learn the vocabulary and return the documents as token ids.

        Same as ``fit(X).transform(X)``, splitting the documents only once.

        Parameters
        ----------
        X : iterable of str
            The documents.
        y : None
            Ignored.

        Returns
        -------
        ids : list of list of int
            The token ids of each document (at least one per document).
        """
        if self.analyzer == "char" and self.tokenizer is not None:
            warnings.warn("tokenizer is ignored with analyzer='char'", UserWarning, stacklevel=2)
        tokens = self._tokenize(X)
        self.vocabulary_ = _learn_vocabulary(tokens, min_df=self.min_df, max_features=self.max_features)
        return self._to_ids(tokens)

    def transform(self, X: Iterable[str]) -> list[list[int]]:
        """Return the documents as sequences of token ids.

        Parameters
        ----------
        X : iterable of str
            The documents.

        Returns
        -------
        ids : list of list of int
            The token ids of each document: 1 for tokens outside the vocabulary,
            ``[1]`` for a document without tokens.
        """
        check_is_fitted(self)
        return self._to_ids(self._tokenize(X))

    def inverse_transform(self, X: Any) -> list[np.ndarray]:
        """Return the tokens of sequences of ids.

        Parameters
        ----------
        X : list of sequences of int, or ndarray of shape (n_sequences, n_timesteps)
            Token ids, as :meth:`transform` returns them; in a 2-D array, trailing
            zeros are padding and are dropped.

        Returns
        -------
        tokens : list of ndarray of str
            The tokens of each sequence; ``'<unk>'`` for the out-of-vocabulary id 1
            (the original token is not known), ``'<pad>'`` for a 0 inside a sequence.
        """
        check_is_fitted(self)
        sequences = check_sequences(X, tokens=True)
        names = self.get_feature_names_out()
        if (sequences.values >= len(names)).any():
            sample = int(np.argwhere(sequences.values >= len(names))[0, 0])
            raise ValueError(
                f"sample {sample} has token id {int(sequences.values[sample].max())}, but the vocabulary "
                f"has ids 0 to {len(names) - 1}"
            )
        return [names[values[:length]] for values, length in zip(sequences.values, sequences.lengths, strict=True)]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Return the token of every id.

        Parameters
        ----------
        input_features : None
            Ignored; present for API consistency.

        Returns
        -------
        tokens : ndarray of str objects of shape (n_ids,)
            Element ``i`` is the token of id ``i``: ``'<pad>'`` and ``'<unk>'`` for
            the reserved ids 0 and 1, then the vocabulary by decreasing frequency.
            Its length, ``n_ids = len(vocabulary_) + 2``, is the ``vocab_size`` of
            an embedding for these ids.
        """
        check_is_fitted(self)
        return np.asarray(Vocabulary(self.vocabulary_).symbols, dtype=object)

    def _tokenize(self, X: Iterable[str]) -> list[list]:
        """The tokens of each document, cut to ``max_length``."""
        documents, _ = check_token_sequences(X, kind="text")
        # CountVectorizer's public building block does the lowercasing and the splitting.
        analyze = CountVectorizer(
            analyzer=self.analyzer, lowercase=self.lowercase, token_pattern=self.token_pattern,
            tokenizer=self.tokenizer,
        ).build_analyzer()
        tokens = [analyze(document) for document in documents]
        if self.max_length is not None:
            cut = slice(-self.max_length, None) if self.truncation == "pre" else slice(self.max_length)
            tokens = [document[cut] for document in tokens]
        return tokens

    def _to_ids(self, tokens: list[list]) -> list[list[int]]:
        vocabulary = Vocabulary(self.vocabulary_)
        return [vocabulary.encode(document) or [vocabulary.unk_id] for document in tokens]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags


def _learn_vocabulary(tokens: list[list], *, min_df: float, max_features: int | None) -> dict:
    """Token to id (from 2, by decreasing count, ties sorted) of the tokens in ``min_df`` documents."""
    if not any(tokens):
        raise ValueError("empty vocabulary: the documents contain no tokens (check token_pattern or tokenizer)")
    min_documents = min_df if isinstance(min_df, Integral) else min_df * len(tokens)
    vocabulary = Vocabulary.learn(tokens, min_sequences=min_documents, max_size=max_features)
    if not vocabulary.token_to_id:
        raise ValueError(f"empty vocabulary: no token occurs in min_df={min_df} or more of the documents")
    return dict(vocabulary.token_to_id)


@validate_params(
    {"path": [str, os.PathLike], "words": [HasMethods("__iter__"), None]},
    prefer_skip_nested_validation=True,
)
def load_word_vectors(path: str | os.PathLike, *, words: Iterable[str] | None = None) -> dict[str, np.ndarray]:
    """Read pre-trained word vectors from a text file (GloVe or word2vec format).

    Both common text formats are read, plain or gzip-compressed (detected from the
    file's first bytes, whatever its name):

    * GloVe: one line per word, ``word v1 v2 ... vd``;
    * word2vec text (also fastText's ``.vec``): the same lines after a header line
      ``n_words d``; the number of lines must match the header.

    Fields are separated by single spaces and the file is UTF-8. The last ``d``
    fields of a line are its numbers, so words may contain spaces (as a few do in
    GloVe's 840B file). When a word occurs twice, its first vector is kept. The
    binary word2vec format is not read.

    Parameters
    ----------
    path : str or path-like
        The file.

    words : iterable of str, default=None
        Keep only these words (e.g. a vectorizer's ``vocabulary_``), to save
        memory with large files; all words when None.

    Returns
    -------
    vectors : dict of str to ndarray of shape (d,)
        The vector of every word, float32, in the order of the file.

    Raises
    ------
    ValueError
        If the file has no vectors, a line has another number of fields than the
        first or a field that is not a number, or the count of a word2vec header
        does not match.

    See Also
    --------
    embedding_matrix : Line the vectors up with a vocabulary.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn_seq.text import load_word_vectors
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "vectors.txt"
    >>> _ = path.write_text("good 0.5 1.0\\nbad -0.5 -1.0\\n", encoding="utf-8")
    >>> vectors = load_word_vectors(path)
    >>> sorted(vectors), vectors["bad"]
    (['bad', 'good'], array([-0.5, -1. ], dtype=float32))
    """
    keep = None if words is None else set(words)
    found: dict[str, int] = {}
    rows: list[np.ndarray] = []
    announced = dim = None
    n_vectors = 0
    with _open_text(path) as file:
        for line_number, line in enumerate(file, start=1):
            line = line.rstrip("\r\n ")
            if not line:
                continue
            if dim is None:
                head = line.split(" ")
                if len(head) == 2 and head[0].isdigit() and head[1].isdigit():  # word2vec header
                    announced, dim = int(head[0]), int(head[1])
                    continue
                dim = len(head) - 1
            word, vector = _parse_vector_line(line, dim, f"{path}, line {line_number}")
            n_vectors += 1
            if word not in found and (keep is None or word in keep):
                found[word] = len(rows)
                rows.append(vector)
    if not n_vectors:
        raise ValueError(f"{path} contains no word vectors")
    if announced is not None and announced != n_vectors:
        raise ValueError(f"{path}: the word2vec header announces {announced} vectors, but the file has {n_vectors}")
    matrix = np.stack(rows) if rows else np.empty((0, dim), dtype=np.float32)
    return {word: matrix[row] for word, row in found.items()}


def _open_text(path: str | os.PathLike) -> IO[str]:
    """Open a UTF-8 text file for reading, gunzipping it if it starts with gzip's magic bytes."""
    with open(path, "rb") as file:
        compressed = file.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rt", encoding="utf-8") if compressed else open(path, encoding="utf-8")


def _parse_vector_line(line: str, dim: int, where: str) -> tuple[str, np.ndarray]:
    """Split ``word v1 ... v_dim`` (the word may contain spaces) into the word and a float32 vector."""
    fields = line.rsplit(" ", dim)
    if len(fields) != dim + 1 or not fields[0]:
        raise ValueError(f"{where}: expected a word and {dim} numbers, got {len(line.split(' '))} fields")
    try:
        return fields[0], np.array(fields[1:], dtype=np.float32)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


@validate_params(
    {
        "vocabulary": [Mapping],
        "word_vectors": [HasMethods(["__getitem__", "__contains__"])],
        "unknown": [StrOptions({"normal", "zeros"})],
        "random_state": ["random_state"],
        "return_found": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def embedding_matrix(
    vocabulary: Mapping[Any, int],
    word_vectors: Any,
    *,
    unknown: str = "normal",
    random_state: Any = None,
    return_found: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Line pre-trained vectors up with a vocabulary: row ``i`` for the token of id ``i``.

    The result is the ``embedding_weights`` of an estimator reading the ids of
    that vocabulary (e.g. a :class:`SequenceVectorizer`'s ``vocabulary_``):

    * row 0 (padding) is zero;
    * the row of a token found in ``word_vectors`` is its vector;
    * every other row (the out-of-vocabulary id 1, and the tokens without a
      vector) is drawn from a normal distribution with the standard deviation of
      the found vectors' values, so that these rows start on the same scale and
      the network can learn them (unless the embedding is frozen), or is zero
      with ``unknown='zeros'``.

    Tokens are looked up as they are: lowercase them (``lowercase=True`` of the
    vectorizer) for lowercase vectors such as GloVe's.

    Parameters
    ----------
    vocabulary : mapping of token to int
        Token to id, ids from 1 up; the matrix has ``max(id) + 1`` rows.

    word_vectors : mapping of token to array-like of shape (d,)
        The vectors, e.g. from :func:`load_word_vectors`; anything with ``in``
        and ``[]`` works (a gensim ``KeyedVectors`` too).

    unknown : {'normal', 'zeros'}, default='normal'
        How the rows without a vector start.

    random_state : int, RandomState instance or None, default=None
        Seed of the random rows with ``unknown='normal'``.

    return_found : bool, default=False
        Also return which rows come from ``word_vectors``.

    Returns
    -------
    matrix : ndarray of shape (max(id) + 1, d), float32
        The embedding, row ``i`` for id ``i``.

    found : ndarray of bool of shape (max(id) + 1,)
        Only with ``return_found=True``: whether the row is a pre-trained vector.
        ``found.sum()`` is the number of vocabulary tokens that have one.

    Raises
    ------
    ValueError
        If the vocabulary is empty or uses id 0 (padding), if no token has a
        vector, or if the vectors have different sizes.

    Examples
    --------
    >>> from sklearn_seq import SequenceVectorizer
    >>> from sklearn_seq.text import embedding_matrix
    >>> vectorizer = SequenceVectorizer().fit(["good film", "bad film", "good plot"])
    >>> vectorizer.vocabulary_
    {'film': 2, 'good': 3, 'bad': 4, 'plot': 5}
    >>> vectors = {"good": [0.5, 1.0], "bad": [-0.5, -1.0], "awful": [-1.0, -1.0]}
    >>> matrix, found = embedding_matrix(vectorizer.vocabulary_, vectors, unknown="zeros",
    ...                                  return_found=True)
    >>> matrix
    array([[ 0. ,  0. ],
           [ 0. ,  0. ],
           [ 0. ,  0. ],
           [ 0.5,  1. ],
           [-0.5, -1. ],
           [ 0. ,  0. ]], dtype=float32)
    >>> f"{found.sum()} of {len(vectorizer.vocabulary_)} tokens have a vector"
    '2 of 4 tokens have a vector'
    """
    if not vocabulary:
        raise ValueError("the vocabulary is empty")
    if min(vocabulary.values()) <= _PAD:
        raise ValueError("the vocabulary uses id 0 or below; id 0 is reserved for padding")
    n_rows = max(vocabulary.values()) + 1
    pairs = [(i, np.asarray(word_vectors[token], dtype=np.float32))
             for token, i in vocabulary.items() if token in word_vectors]
    if not pairs:
        raise ValueError(
            f"none of the {len(vocabulary)} vocabulary tokens has a vector (is the case of the tokens "
            "the same as that of the vectors?)"
        )
    ids, vectors = zip(*pairs, strict=True)
    ids = list(ids)
    sizes = {vector.shape for vector in vectors}
    if len(sizes) > 1:
        raise ValueError(f"the word vectors have different shapes: {sorted(sizes)}")
    found_vectors = np.stack(vectors)
    if unknown == "zeros":
        matrix = np.zeros((n_rows, found_vectors.shape[1]), dtype=np.float32)
    else:
        scale = found_vectors.std()
        matrix = check_random_state(random_state).normal(0.0, scale, (n_rows, found_vectors.shape[1]))
        matrix = matrix.astype(np.float32)
    matrix[_PAD] = 0.0
    matrix[ids] = found_vectors
    if not return_found:
        return matrix
    found = np.zeros(n_rows, dtype=bool)
    found[ids] = True
    return matrix, found
