"""Machinery shared by the language models of :mod:`sklearn_seq.generation`: ids, framing, scoring, sampling."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, validate_parameter_constraints
from .vocabulary import FRAMED_RESERVED, Vocabulary, check_token_sequences

PAD, BOS, EOS, UNK = 0, 1, 2, 3  # reserved ids, shared by every language model
SPECIAL_SYMBOLS = FRAMED_RESERVED  # their entries in ``symbols_``: '<pad>', '<s>', '</s>', '<unk>'
_NOT_SAMPLED = [PAD, BOS, UNK]


def _check_texts(X, *, name: str = "X") -> tuple[list, bool]:
    """The sequences of ``X`` as a list, and whether they are strings: all strings or all token sequences."""
    return check_token_sequences(X, name=name, kind="text_or_tokens")


def _encode(sequences, vocabulary: dict, *, end: bool = True) -> list[np.ndarray]:
    """Ids ``[BOS, x_1, ..., x_T, EOS]`` of each sequence (no ``EOS`` if ``end=False``); unknown -> ``UNK``."""
    vocabulary = Vocabulary(vocabulary, reserved=SPECIAL_SYMBOLS)
    return [np.array(vocabulary.encode(seq, bos=True, eos=end), dtype=np.int64) for seq in sequences]


def _draw_next(log_proba: np.ndarray, temperature: float, rng: np.random.RandomState) -> np.ndarray:
    """Draw one id per row of next-symbol log-probabilities ``(n_rows, n_ids)``.

    ``PAD``, ``BOS`` and ``UNK`` are never drawn; the others are drawn with probabilities
    proportional to ``p ** (1 / temperature)``, the most probable one for ``temperature=0``.
    """
    log_proba = np.array(log_proba, dtype=np.float64)
    log_proba[:, _NOT_SAMPLED] = -np.inf
    if temperature == 0:
        return log_proba.argmax(axis=1)
    logits = log_proba / temperature
    proba = np.exp(logits - logits.max(axis=1, keepdims=True))
    cumulative = proba.cumsum(axis=1)
    threshold = rng.random_sample(len(proba)) * cumulative[:, -1]
    # the first id whose cumulative probability exceeds the threshold: never one of probability 0
    return (cumulative <= threshold[:, None]).sum(axis=1)


class _LanguageModelMixin:
    """Scoring, next-symbol probabilities and sampling shared by the language models.

    A subclass's ``fit`` calls :meth:`_set_vocabulary` (which sets ``vocabulary_``,
    ``symbols_`` and ``text_input_`` and returns the framed ids of the training
    sequences), and the subclass implements three hooks on framed ids (see the module
    docstring):

    - ``_log_likelihood(encoded)``: total log-likelihood of each framed sequence
      ``[BOS, ..., EOS]``, an array of shape ``(n_sequences,)``;
    - ``_start_generation(prefix, n_rows)``: from the ids ``[BOS, x_1, ..., x_k]`` of a
      prefix, a generation state for ``n_rows`` copies and the log-probabilities
      ``(n_rows, n_ids)`` of the next symbol;
    - ``_continue_generation(state, ids)``: the state and next-symbol log-probabilities
      after appending ``ids`` (one per row).
    """

    def _set_vocabulary(self, sequences, is_text: bool) -> list[np.ndarray]:
        """Learn ``vocabulary_``, ``symbols_`` and ``text_input_`` and return the encoded sequences."""
        vocabulary = Vocabulary.learn(sequences, reserved=SPECIAL_SYMBOLS, order="sorted")
        self.vocabulary_ = dict(vocabulary.token_to_id)
        self.symbols_ = vocabulary.symbols
        self.text_input_ = is_text
        return _encode(sequences, self.vocabulary_)

    def _check_same_kind(self, is_text: bool, name: str) -> None:
        if is_text != self.text_input_:
            fitted, given = ("strings", "token sequences") if self.text_input_ else ("token sequences", "strings")
            raise TypeError(f"{name} holds {given}, but {type(self).__name__} was fitted on {fitted}.")

    def _checked_log_likelihood(self, X) -> tuple[np.ndarray, int]:
        """Log-likelihood of each sequence of ``X`` and the number of predicted symbols."""
        check_is_fitted(self)
        sequences, is_text = _check_texts(X)
        self._check_same_kind(is_text, "X")
        encoded = _encode(sequences, self.vocabulary_)
        return self._log_likelihood(encoded), sum(len(ids) - 1 for ids in encoded)

    def score_samples(self, X) -> np.ndarray:
        """Log-likelihood of each sequence.

        Parameters
        ----------
        X : list of str or list of sequences of tokens
            Sequences of the kind seen in ``fit``. Symbols unseen in ``fit`` count as
            the unknown symbol.

        Returns
        -------
        log_likelihood : ndarray of shape (n_sequences,)
            Natural logarithm of the probability of each sequence, its end included:
            the sum of the log-probabilities of its ``T + 1`` predicted symbols.
        """
        return self._checked_log_likelihood(X)[0]

    def score(self, X, y=None) -> float:
        """Mean log-likelihood per predicted symbol (higher is better).

        The total log-likelihood of the sequences divided by their number of
        predictions: ``T + 1`` for a sequence of length ``T``, its end included.

        Parameters
        ----------
        X : list of str or list of sequences of tokens
            Sequences of the kind seen in ``fit``.

        y : None
            Ignored.

        Returns
        -------
        score : float
            Mean natural-log likelihood per predicted symbol; ``-score`` is the
            cross-entropy in nats and ``exp(-score)`` the perplexity.
        """
        log_likelihood, n_predictions = self._checked_log_likelihood(X)
        return float(log_likelihood.sum() / n_predictions)

    def perplexity(self, X) -> float:
        """Perplexity per predicted symbol, ``exp(-score(X))`` (lower is better).

        The geometric mean of the inverse probabilities of the predicted symbols: the
        number of equally likely symbols the model hesitates between, on average.

        Parameters
        ----------
        X : list of str or list of sequences of tokens
            Sequences of the kind seen in ``fit``.

        Returns
        -------
        perplexity : float
            At least 1; ``len(symbols_) - 2`` for a model that knows nothing.
        """
        return float(np.exp(-self.score(X)))

    def _encode_prefix(self, prefix) -> np.ndarray:
        if isinstance(prefix, str) and prefix == "":
            return np.array([BOS], dtype=np.int64)
        sequences, is_text = _check_texts([prefix], name="prefix")
        self._check_same_kind(is_text, "prefix")
        return _encode(sequences, self.vocabulary_, end=False)[0]

    def predict_proba_next(self, prefix="") -> np.ndarray:
        """Probabilities of the next symbol after a prefix.

        Parameters
        ----------
        prefix : str or sequence of tokens, default=''
            The beginning of a sequence; empty for the distribution of its first symbol.

        Returns
        -------
        proba : ndarray of shape (n_ids,)
            Probability of each id, ``n_ids = len(symbols_)``: ``proba[i]`` is that of
            ``symbols_[i]``, ``proba[2]`` that of the end of the sequence and
            ``proba[3]`` that of an unknown symbol; those of padding and start (ids 0
            and 1) are 0.
        """
        check_is_fitted(self)
        _, log_proba = self._start_generation(self._encode_prefix(prefix), 1)
        return np.exp(log_proba[0])

    def sample(self, n_samples=1, *, temperature=1.0, prefix="", max_length=50, random_state=None) -> list:
        """Generate sequences, one symbol at a time.

        Parameters
        ----------
        n_samples : int, default=1
            Number of sequences to generate.

        temperature : float, default=1.0
            Sharpness of the sampling: the next symbol is drawn with probabilities
            proportional to ``p ** (1 / temperature)``. 1 samples from the model,
            below 1 favours likely symbols (0 always takes the most likely one),
            above 1 flattens the distribution.

        prefix : str or sequence of tokens, default=''
            Beginning of every sample; the model continues it.

        max_length : int, default=50
            Maximum number of symbols of a sample, the prefix included: a sample that
            has not drawn the end symbol by then is cut there.

        random_state : int, RandomState instance or None, default=None
            Seed of the draws, for reproducible samples.

        Returns
        -------
        samples : list of str or list of list
            Strings for a model fitted on strings, lists of tokens otherwise; each
            starts with ``prefix``.
        """
        check_is_fitted(self)
        validate_parameter_constraints(
            {
                "n_samples": [Interval(Integral, 1, None, closed="left")],
                "temperature": [Interval(Real, 0, None, closed="left")],
                "max_length": [Interval(Integral, 1, None, closed="left")],
                "random_state": ["random_state"],
            },
            {"n_samples": n_samples, "temperature": temperature, "max_length": max_length,
             "random_state": random_state},
            caller_name=f"{type(self).__name__}.sample",
        )
        prefix_ids = self._encode_prefix(prefix)
        n_new = max_length - (len(prefix_ids) - 1)
        if n_new < 0:
            raise ValueError(f"prefix has {len(prefix_ids) - 1} symbols, more than max_length={max_length}.")
        generated = self._generate(prefix_ids, n_samples, n_new, temperature, check_random_state(random_state))
        if self.text_input_:
            return [prefix + "".join(self.symbols_[i] for i in ids) for ids in generated]
        return [[*prefix, *(self.symbols_[i] for i in ids)] for ids in generated]

    def _generate(self, prefix: np.ndarray, n_samples: int, n_new: int, temperature: float, rng) -> list[list[int]]:
        """Ids of at most ``n_new`` symbols drawn after ``prefix`` for each sample, up to its end symbol."""
        generated = np.full((n_samples, n_new), EOS, dtype=np.int64)
        active = np.ones(n_samples, dtype=bool)
        state, log_proba = self._start_generation(prefix, n_samples)
        for step in range(n_new):
            ids = _draw_next(log_proba, temperature, rng)
            active &= ids != EOS
            generated[active, step] = ids[active]
            if not active.any() or step == n_new - 1:
                break
            state, log_proba = self._continue_generation(state, ids)
        ended = np.column_stack([generated == EOS, np.ones(n_samples, dtype=bool)])
        lengths = ended.argmax(axis=1)  # the first end symbol, or n_new
        return [row[:length].tolist() for row, length in zip(generated, lengths, strict=True)]
