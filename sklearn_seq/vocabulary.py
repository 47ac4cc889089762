"""One vocabulary and one input check for every estimator that reads tokens.

:class:`Vocabulary` numbers the symbols of token sequences (words, characters, any
hashable value) after a few reserved ids; :class:`~sklearn_seq.SequenceVectorizer`,
:class:`~sklearn_seq.SequenceTagger` and the language models of
:mod:`sklearn_seq.generation` all learn theirs with it. :func:`check_token_sequences`
validates their inputs: a collection of strings or of token sequences, given as a list,
tuple, array, pandas Series or one-column DataFrame.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import chain
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = ["Vocabulary", "check_token_sequences"]

PAD, BOS, EOS, UNK = "<pad>", "<s>", "</s>", "<unk>"  # the reserved symbols that encode and decode know
FRAMED_RESERVED = (PAD, BOS, EOS, UNK)  # of the models that frame sequences: language models, translator


def _sort_key(symbol: Any) -> tuple[str, Any]:
    """Sort symbols of different types (ints and strings) without comparing them to each other."""
    return type(symbol).__name__, symbol


class Vocabulary:
    """Symbol <-> id mapping: reserved symbols first, then the known tokens.

    Ids ``0 .. len(reserved) - 1`` are the reserved symbols, in the order given; the
    tokens follow from ``len(reserved)`` on. Four reserved names have a role:
    ``'<pad>'`` (padding), ``'<s>'`` and ``'</s>'`` (start and end of a sequence, for
    :meth:`encode`'s framing and :meth:`decode`'s stop) and ``'<unk>'`` (the id of
    every token outside the vocabulary). The reserved symbols are names only: a
    token of the data equal to one of them is an ordinary token.

    Build one from the tokens in id order, or learn it from sequences with
    :meth:`learn`. It is plain Python and pickles.

    Parameters
    ----------
    tokens : iterable of hashable or mapping of hashable to int, default=()
        The tokens, numbered in this order from ``len(reserved)``; a mapping (e.g. a
        fitted ``vocabulary_``) must hold exactly these ids, in order.

    reserved : sequence of str, default=('<pad>', '<unk>')
        The reserved symbols, ids from 0. The language models and the translator
        use ``FRAMED_RESERVED = ('<pad>', '<s>', '</s>', '<unk>')``.

    Attributes
    ----------
    reserved : tuple of str
        The reserved symbols.

    See Also
    --------
    check_token_sequences : The input check of the estimators that read tokens.

    Examples
    --------
    >>> from sklearn_seq.vocabulary import FRAMED_RESERVED, Vocabulary
    >>> vocab = Vocabulary.learn([["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat"]], max_size=3)
    >>> vocab.token_to_id
    mappingproxy({'cat': 2, 'sat': 3, 'the': 4})
    >>> vocab.encode(["the", "dog", "sat"])
    [4, 1, 3]
    >>> vocab.decode([4, 1, 3])
    ['the', '<unk>', 'sat']
    >>> lm = Vocabulary.learn(["abba", "cab"], reserved=FRAMED_RESERVED, order="sorted")
    >>> lm.symbols
    ['<pad>', '<s>', '</s>', '<unk>', 'a', 'b', 'c']
    >>> lm.encode("cad", bos=True, eos=True)
    [1, 6, 4, 3, 2]
    >>> lm.decode([1, 6, 4, 2, 0, 0], stop_at_eos=True, skip=("<s>",))
    ['c', 'a']
    """

    def __init__(self, tokens: Iterable[Hashable] | Mapping[Hashable, int] = (), *,
                 reserved: Sequence[str] = (PAD, UNK)) -> None:
        self.reserved = tuple(reserved)
        if len(set(self.reserved)) != len(self.reserved):
            raise ValueError(f"the reserved symbols must differ from each other, got {self.reserved}")
        start = len(self.reserved)
        if isinstance(tokens, Mapping):
            if list(tokens.values()) != list(range(start, start + len(tokens))):
                raise ValueError(f"the ids of a mapping must be {start}, {start + 1}, ... in order")
            tokens = list(tokens)
        else:
            tokens = list(tokens)
            if len(set(tokens)) != len(tokens):
                raise ValueError("the tokens must differ from each other")
        self._token_to_id = {token: i for i, token in enumerate(tokens, start=start)}
        self._symbols = [*self.reserved, *tokens]

    @classmethod
    def learn(
        cls,
        sequences: Iterable[Iterable[Hashable]],
        *,
        reserved: Sequence[str] = (PAD, UNK),
        min_count: int = 1,
        min_sequences: float = 1,
        max_size: int | None = None,
        order: str = "frequency",
        ties: str = "sorted",
    ) -> Vocabulary:
        """Learn the vocabulary of token sequences (strings are sequences of characters).

        Parameters
        ----------
        sequences : iterable of iterables of hashable
            The training sequences.

        min_count : int, default=1
            Keep only the tokens that occur at least this many times in all.

        min_sequences : float, default=1
            Keep only the tokens found in at least this many sequences (a float is
            compared as it is: ``SequenceVectorizer`` passes ``min_df * n_documents``).

        max_size : int, default=None
            Keep at most this many tokens (reserved symbols not counted), the most
            frequent ones, ties broken as ``ties`` says; all when None.

        order : {'frequency', 'sorted'}, default='frequency'
            Number the tokens by decreasing count (``'frequency'``), or in sorted order
            (``'sorted'``: grouped by type name, e.g. all ints before all strings,
            then by value).

        ties : {'sorted', 'first'}, default='sorted'
            Order of tokens of equal count with ``order='frequency'``: sorted as with
            ``order='sorted'`` (the same ids whatever the order of the sequences), or
            in the order of their first occurrence.

        Returns
        -------
        vocabulary : Vocabulary
            Reserved symbols, then the kept tokens.
        """
        if order not in ("frequency", "sorted") or ties not in ("sorted", "first"):
            raise ValueError(f"order must be 'frequency' or 'sorted' and ties 'sorted' or 'first', "
                             f"got order={order!r}, ties={ties!r}")
        sequences = sequences if isinstance(sequences, list) else list(sequences)
        counts = Counter(chain.from_iterable(sequences))
        kept = [token for token, count in counts.items() if count >= min_count]
        if min_sequences > 1:
            in_sequences = Counter(chain.from_iterable(set(sequence) for sequence in sequences))
            kept = [token for token in kept if in_sequences[token] >= min_sequences]
        if order == "sorted" or ties == "sorted":
            kept.sort(key=_sort_key)
        if order == "frequency":
            kept.sort(key=counts.__getitem__, reverse=True)  # stable: ties keep their order
        return cls(kept[:max_size], reserved=reserved)

    # -- mapping access -----------------------------------------------------------------

    @property
    def token_to_id(self) -> Mapping[Hashable, int]:
        """Read-only token -> id mapping of the tokens (the reserved symbols left out)."""
        return MappingProxyType(self._token_to_id)

    @property
    def symbols(self) -> list:
        """The symbol of every id: the reserved symbols, then the tokens."""
        return list(self._symbols)

    def __len__(self) -> int:
        """Number of ids, reserved ones included: the rows of an embedding of these ids."""
        return len(self._symbols)

    def __contains__(self, token: Any) -> bool:
        """Whether ``token`` is one of the tokens (not a reserved symbol)."""
        try:
            return token in self._token_to_id
        except TypeError:  # unhashable
            return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and self._symbols == other._symbols and self.reserved == other.reserved

    def __repr__(self) -> str:
        return f"Vocabulary({len(self._token_to_id)} tokens, reserved={self.reserved})"

    def _reserved_id(self, symbol: str) -> int | None:
        return self.reserved.index(symbol) if symbol in self.reserved else None

    @property
    def pad_id(self) -> int | None:
        """Id of ``'<pad>'``, None without it."""
        return self._reserved_id(PAD)

    @property
    def bos_id(self) -> int | None:
        """Id of ``'<s>'``, None without it."""
        return self._reserved_id(BOS)

    @property
    def eos_id(self) -> int | None:
        """Id of ``'</s>'``, None without it."""
        return self._reserved_id(EOS)

    @property
    def unk_id(self) -> int | None:
        """Id of ``'<unk>'``, None without it."""
        return self._reserved_id(UNK)

    # -- encoding -----------------------------------------------------------------------

    def encode(self, tokens: Iterable[Hashable], *, bos: bool = False, eos: bool = False) -> list[int]:
        """Ids of a sequence: ``'<unk>'``'s for unknown tokens, optionally framed.

        Parameters
        ----------
        tokens : iterable of hashable
            The sequence (a string is a sequence of characters).
        bos, eos : bool, default=False
            Put the id of ``'<s>'`` before the sequence, that of ``'</s>'`` after it.

        Returns
        -------
        ids : list of int
        """
        head = [self._framing_id(BOS)] if bos else []
        tail = [self._framing_id(EOS)] if eos else []
        unknown = self.unk_id
        lookup = self._token_to_id
        if unknown is None:
            missing = next((token for token in tokens if token not in lookup), None)
            if missing is not None:
                raise ValueError(f"token {missing!r} is not in the vocabulary, which has no '<unk>' symbol")
            return [*head, *(lookup[token] for token in tokens), *tail]
        return [*head, *(lookup.get(token, unknown) for token in tokens), *tail]

    def _framing_id(self, symbol: str) -> int:
        if symbol not in self.reserved:
            raise ValueError(f"framing needs the reserved symbol {symbol!r}; the vocabulary reserves {self.reserved}")
        return self.reserved.index(symbol)

    def decode(self, ids: Iterable[int], *, stop_at_eos: bool = False, skip: Iterable[str] = ()) -> list:
        """Symbols of a sequence of ids.

        Parameters
        ----------
        ids : iterable of int
            Ids, e.g. from :meth:`encode` or a network's predictions.
        stop_at_eos : bool, default=False
            End at the first ``'</s>'`` (left out), as a decoder's output ends there.
        skip : iterable of str, default=()
            Reserved symbols to leave out, e.g. ``('<s>', '<pad>')``.

        Returns
        -------
        symbols : list
            The symbol of every id (reserved symbols by their names).
        """
        skip_ids = {self._framing_id(symbol) for symbol in skip}
        eos = self._framing_id(EOS) if stop_at_eos else None
        symbols = []
        for i in ids:
            i = int(i)
            if i == eos:
                break
            if not 0 <= i < len(self._symbols):
                raise ValueError(f"id {i} is outside the vocabulary's ids 0 to {len(self._symbols) - 1}")
            if i not in skip_ids:
                symbols.append(self._symbols[i])
        return symbols


# -- the input check --------------------------------------------------------------------

# What each kind of input holds (``units``) and what one sample must be (``item``).
# ``'text'``: documents (SequenceVectorizer); ``'tokens'``: token sequences, a string being
# an error (SequenceTagger); ``'text_or_tokens'``: all strings (read as characters) or all
# token sequences (the language models, the translator). Messages name sample i "X[i]".
_KINDS = {
    "text": ("documents (strings)", "a string"),
    "tokens": ("token sequences", "a sequence (list, tuple, 1-D array) of tokens"),
    "text_or_tokens": ("sequences (strings or token lists)",
                       "a string or a sequence (list, tuple, 1-D array) of tokens"),
}


def check_token_sequences(X: Any, *, name: str = "X", kind: str = "text_or_tokens",
                          allow_empty: bool = True) -> tuple[list, bool]:
    """Validate a collection of strings or of token sequences and return it as a list.

    ``X`` is a list, tuple, 1-D array, pandas Series, or a one-column DataFrame (read as
    its column) of samples; a bare string, a mapping and a wider DataFrame are errors.
    Tokens are hashable values other than None; numpy scalars become Python scalars.
    Errors name the sample.

    Parameters
    ----------
    X : iterable
        The collection.
    name : str, default='X'
        How messages call it.
    kind : {'text', 'tokens', 'text_or_tokens'}, default='text_or_tokens'
        What a sample is: a string (``'text'``), a sequence of tokens (``'tokens'``),
        or either, all samples alike (``'text_or_tokens'``).
    allow_empty : bool, default=True
        Whether a sample may have no token.

    Returns
    -------
    samples : list
        Strings as they are, token sequences as tuples.
    is_text : bool
        Whether the samples are strings.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_seq.vocabulary import check_token_sequences
    >>> check_token_sequences(pd.Series([["a", "b"], ["c"]]), kind="tokens")
    ([('a', 'b'), ('c',)], False)
    >>> check_token_sequences(pd.DataFrame({"text": ["ab", "c"]}))
    (['ab', 'c'], True)
    """
    units, item = _KINDS[kind]
    if isinstance(X, str | bytes):
        raise TypeError(f"{name} must be a list of {units}, got a single {type(X).__name__}; wrap it in a list: "
                        f"[{X!r}].")
    if hasattr(X, "columns") and getattr(X, "ndim", None) == 2:  # a DataFrame: its only column
        if X.shape[1] != 1:
            raise ValueError(f"{name} is a DataFrame with {X.shape[1]} columns; pass the one column that "
                             f"holds the {units} (a Series or a one-column DataFrame).")
        X = X[X.columns[0]]
    elif _is_string_column(X) and kind != "tokens":  # what DataFrame.to_numpy() gives: read it as the DataFrame
        X = X[:, 0]
    if isinstance(X, Mapping) or not isinstance(X, Iterable) or getattr(X, "ndim", 1) == 0:
        raise TypeError(f"{name} must be a list of {units}, got {type(X).__name__}.")
    samples = list(X)
    if not samples:
        raise ValueError(f"{name} is empty: at least one sequence is required.")
    is_text = kind == "text" or (kind == "text_or_tokens" and isinstance(samples[0], str))
    for i, seq in enumerate(samples):
        ref = f"{name}[{i}]"
        a_sequence = isinstance(seq, Sequence | np.ndarray)  # a string, or tokens
        if kind == "text_or_tokens" and a_sequence and isinstance(seq, str) != is_text:
            raise TypeError(
                f"{name} mixes strings and token sequences: {name}[0] is of type {type(samples[0]).__name__} "
                f"and {ref} of type {type(seq).__name__}."
            )
        if is_text and not isinstance(seq, str):
            raise TypeError(f"{ref} must be a string, got {type(seq).__name__}.")
        if not is_text:
            samples[i] = seq = _checked_tokens(seq, ref, item)
        if not allow_empty and len(seq) == 0:
            raise ValueError(f"{ref} is empty")
    return samples, is_text


def _is_string_column(X: Any) -> bool:
    """Whether ``X`` is a 2-D array of one column of strings."""
    return isinstance(X, np.ndarray) and X.ndim == 2 and X.shape[1] == 1 and len(X) > 0 and isinstance(X[0, 0], str)


def _checked_tokens(seq: Any, ref: str, item: str) -> tuple:
    """One token sequence as a tuple of Python scalars."""
    if isinstance(seq, str | bytes | Mapping) or not isinstance(seq, Sequence | np.ndarray):
        raise TypeError(f"{ref} must be {item}, got {type(seq).__name__}.")
    if isinstance(seq, np.ndarray) and seq.ndim != 1:
        raise ValueError(f"{ref} must be a 1-D sequence of tokens, got an array of shape {seq.shape}.")
    tokens = tuple(token.item() if isinstance(token, np.generic) else token for token in seq)
    for j, token in enumerate(tokens):
        if not _is_token(token):
            raise TypeError(f"{ref}[{j}] is not a valid token: got {token!r}; tokens are hashable values other "
                            "than None.")
    return tokens


def _is_token(token: Any) -> bool:
    if token is None:
        return False
    try:
        hash(token)
    except TypeError:
        return False
    return True
