r"""Language models: one-to-many generation of sequences of symbols (characters or tokens).

A language model assigns a probability to a whole sequence through the chain rule,
:math:`p(x_1, \dots, x_T) = \prod_{t=1}^{T+1} p(x_t \mid x_{<t})`, where :math:`x_{T+1}` is
the end-of-sequence symbol, and generates new sequences by drawing one symbol after the
other from these conditional distributions.

**Conventions shared by every language model of this module**

- **Input.** ``fit``, ``score`` and ``score_samples`` take a list (or 1-D array, or
  Series) of sequences: either strings, whose symbols are their characters, or sequences
  of hashable tokens (words, ints). ``sample`` returns strings for a model fitted on
  strings and lists of tokens otherwise.
- **Ids.** The vocabulary (``vocabulary_``, symbol -> id) holds the sorted symbols of the
  training data from id 4 on. Ids 0 to 3 are reserved: ``PAD`` (0, padding of batches,
  never predicted), ``BOS`` (1, start of sequence: the context of the first symbol,
  never predicted), ``EOS`` (2, end of sequence: predicted after the last symbol) and
  ``UNK`` (3: any symbol absent from the training data). ``symbols_`` lists the symbol
  of every id (``'<pad>'``, ``'<s>'``, ``'</s>'``, ``'<unk>'`` for the reserved ones).
- **Framing.** A sequence :math:`x_1 \dots x_T` is encoded as ``[BOS, x_1, ..., x_T, EOS]``;
  its predicted symbols are :math:`x_1, \dots, x_T` and the end symbol: :math:`T + 1`
  predictions, so the model also learns where sequences end.
- **Score.** ``score_samples(X)`` is the total natural-log likelihood of each sequence
  (the sum over its :math:`T + 1` predictions), ``score(X)`` the mean log-likelihood per
  predicted symbol over all sequences (their total log-likelihood divided by the total
  number of predictions: higher is better, the scikit-learn convention), and
  ``perplexity(X) = exp(-score(X))``.
- **Unknown symbols** at score time are mapped to ``UNK``, whose probability is what the
  model reserves for unseen symbols (the smoothing mass of an n-gram model).
- **Sampling** draws from the next-symbol distribution with ``PAD``, ``BOS`` and ``UNK``
  removed, sharpened by a temperature: :math:`p_i^{1/\tau} / \sum_j p_j^{1/\tau}`,
  ``temperature=0`` taking the most probable symbol. A sample ends when ``EOS`` is drawn
  or when it reaches ``max_length`` symbols (the prefix included).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_parameter_constraints
from sklearn.utils.validation import check_is_fitted

__all__ = ["NGramLanguageModel"]

PAD, BOS, EOS, UNK = 0, 1, 2, 3  # reserved ids, shared by every language model
SPECIAL_SYMBOLS = ("<pad>", "<s>", "</s>", "<unk>")  # their entries in ``symbols_``
_NOT_SAMPLED = [PAD, BOS, UNK]


def _check_texts(X, *, name: str = "X") -> tuple[list, bool]:
    """Validate a collection of sequences: strings, or sequences of hashable tokens.

    Returns the sequences as a list (strings kept, token sequences as tuples of Python
    scalars) and whether they are strings. Empty sequences are allowed; an empty
    collection, a bare string, non-sequence items and a mix of strings and token
    sequences are not.
    """
    if isinstance(X, str | bytes):
        raise TypeError(
            f"{name} must be a list of sequences (strings or token lists), got a single "
            f"{type(X).__name__}; wrap it in a list: [{X!r}]."
        )
    if isinstance(X, Mapping) or not hasattr(X, "__iter__"):
        raise TypeError(f"{name} must be a list of sequences (strings or token lists), got {type(X).__name__}.")
    sequences = list(X)
    if not sequences:
        raise ValueError(f"{name} is empty: at least one sequence is required.")
    is_text = isinstance(sequences[0], str)
    for i, seq in enumerate(sequences):
        if isinstance(seq, str) != is_text:
            raise TypeError(
                f"{name} mixes strings and token sequences: {name}[0] is of type {type(sequences[0]).__name__} "
                f"and {name}[{i}] of type {type(seq).__name__}."
            )
        if is_text:
            continue
        if isinstance(seq, bytes | Mapping) or not isinstance(seq, list | tuple | np.ndarray):
            raise TypeError(
                f"{name}[{i}] must be a string or a sequence (list, tuple, 1-D array) of tokens, "
                f"got {type(seq).__name__}."
            )
        if isinstance(seq, np.ndarray) and seq.ndim != 1:
            raise ValueError(f"{name}[{i}] must be a 1-D sequence of tokens, got an array of shape {np.shape(seq)}.")
        tokens = tuple(token.item() if isinstance(token, np.generic) else token for token in seq)
        for j, token in enumerate(tokens):
            if token is None or not isinstance(token, Hashable):
                raise TypeError(f"{name}[{i}][{j}] is not a valid token: got {token!r}; tokens are hashable values.")
        sequences[i] = tokens
    return sequences, is_text


def _build_vocabulary(sequences) -> dict:
    """Map each symbol of ``sequences`` to an id, sorted, from ``len(SPECIAL_SYMBOLS)`` on."""
    symbols = sorted({symbol for seq in sequences for symbol in seq}, key=lambda s: (type(s).__name__, s))
    return {symbol: i for i, symbol in enumerate(symbols, start=len(SPECIAL_SYMBOLS))}


def _encode(sequences, vocabulary: dict, *, end: bool = True) -> list[np.ndarray]:
    """Ids ``[BOS, x_1, ..., x_T, EOS]`` of each sequence (no ``EOS`` if ``end=False``); unknown -> ``UNK``."""
    tail = [EOS] if end else []
    return [np.array([BOS, *(vocabulary.get(s, UNK) for s in seq), *tail], dtype=np.int64) for seq in sequences]


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
        self.vocabulary_ = _build_vocabulary(sequences)
        self.symbols_ = [*SPECIAL_SYMBOLS, *self.vocabulary_]
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


def _kneser_ney(counts: list[dict], context: tuple, discount: float, uniform: np.ndarray) -> np.ndarray:
    """Interpolated Kneser-Ney distribution of the next id after ``context``.

    From the uniform distribution up, each known suffix ``h`` of the context (shortest
    first) mixes its discounted counts with the distribution of the shorter suffix:
    ``p(w|h) = (max(c(h, w) - D, 0) + D * N(h) * p(w|h')) / c(h)``, with ``N(h)`` the
    number of distinct ids seen after ``h``.
    """
    proba = uniform
    for length in range(len(context) + 1):
        table = counts[length].get(context[len(context) - length :])
        if table is None:  # unseen context: so are the longer ones
            break
        total = table.sum()
        proba = (np.maximum(table - discount, 0.0) + discount * np.count_nonzero(table) * proba) / total
    return proba


def _ngram_tables(encoded: list[np.ndarray], order: int, n_ids: int) -> list[dict]:
    """Count tables, indexed by context length: ``tables[k][h]`` counts the ids after the context ``h``.

    ``tables[order - 1]`` holds the raw counts of the ``order``-grams (the context padded
    with ``BOS``); each shorter one the Kneser-Ney continuation counts: for a context
    ``h`` and id ``w``, the number of distinct ids ``v`` seen before ``h w``.
    """
    top: dict[tuple, np.ndarray] = {}
    for ids in encoded:
        padded = [BOS] * (order - 1) + ids[1:].tolist()
        for t in range(order - 1, len(padded)):
            context = tuple(padded[t - order + 1 : t])
            if context not in top:
                top[context] = np.zeros(n_ids)
            top[context][padded[t]] += 1
    tables = [top]
    for _ in range(order - 1):
        lower: dict[tuple, np.ndarray] = {}
        for context, table in tables[0].items():
            if context[1:] not in lower:
                lower[context[1:]] = np.zeros(n_ids)
            lower[context[1:]] += table > 0
        tables.insert(0, lower)
    return tables


class NGramLanguageModel(_LanguageModelMixin, BaseEstimator):
    """Smoothed n-gram language model of sequences of characters or tokens.

    The probability of the next symbol depends only on the ``order - 1`` symbols
    before it (fewer at the start of a sequence, padded with a start symbol). The
    counts of the training data are smoothed so that unseen n-grams, the end of
    sequence and unknown symbols keep some probability. This is the classic baseline
    of a recurrent language model such as ``CharRNNLanguageModel``; both follow the
    conventions of :mod:`sklearn_seq.generation` (start and end symbols, ``score`` per
    predicted symbol).

    Read more in the :ref:`User Guide <language_models>`.

    Parameters
    ----------
    order : int, default=3
        The ``n`` of the n-grams: each symbol is predicted from the ``order - 1``
        before it. 1 ignores the context (unigram model).

    smoothing : {'kneser_ney', 'add_k'}, default='kneser_ney'
        How the counts become probabilities.

        - ``'kneser_ney'``: interpolated Kneser-Ney. ``discount`` is subtracted
          from every seen count and the mass freed goes to the distribution of the
          context one symbol shorter, which counts in how many distinct contexts
          a symbol appears rather than how often (down to a uniform distribution
          over the symbols, the end symbol and the unknown symbol).
        - ``'add_k'``: additive (Lidstone) smoothing, Laplace's for ``alpha=1``:
          ``(count + alpha) / (total + alpha * V)`` over the ``V`` predictable
          symbols (vocabulary, end and unknown), without backing off to shorter
          contexts.

    alpha : float, default=1.0
        Pseudo-count added to every count by ``smoothing='add_k'``; ignored
        otherwise.

    discount : float, default=0.75
        Absolute discount of ``smoothing='kneser_ney'``, in (0, 1]; ignored
        otherwise.

    Attributes
    ----------
    vocabulary_ : dict
        Symbol -> id, symbols sorted, ids from 4 on (ids 0 to 3 are padding, start,
        end and unknown).

    symbols_ : list
        Symbol of every id: ``['<pad>', '<s>', '</s>', '<unk>', ...vocabulary]``;
        the columns of :meth:`predict_proba_next`.

    text_input_ : bool
        Whether the model was fitted on strings (``sample`` then returns strings).

    counts_ : list of dict
        ``counts_[k]`` maps each context of ``k`` ids to an array of shape
        ``(len(symbols_),)``: the counts of the next id for ``k = order - 1``, the
        continuation counts of Kneser-Ney (number of distinct preceding ids) for the
        shorter contexts.

    See Also
    --------
    sklearn_seq.generation : the conventions shared by the language models.

    Examples
    --------
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn_seq import NGramLanguageModel
    >>> from sklearn_seq.datasets import load_names
    >>> train, test = train_test_split(load_names().data, test_size=0.1, random_state=0)
    >>> lm = NGramLanguageModel(order=5, discount=0.9).fit(train)
    >>> round(lm.perplexity(test), 2)
    6.6
    >>> lm.sample(5, random_state=0)
    ['lis', 'nel', 'luettie', 'lynna', 'jeandra']
    >>> proba = lm.predict_proba_next("mari")
    >>> [(lm.symbols_[i], round(float(proba[i]), 2)) for i in proba.argsort()[::-1][:3]]
    [('a', 0.25), ('e', 0.22), ('s', 0.15)]
    >>> lm.sample(3, prefix="jo", temperature=0.5, random_state=0)
    ['jona', 'josephine', 'joris']
    """

    _parameter_constraints: dict = {
        "order": [Interval(Integral, 1, None, closed="left")],
        "smoothing": [StrOptions({"kneser_ney", "add_k"})],
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "discount": [Interval(Real, 0, 1, closed="right")],
    }

    def __init__(self, order=3, *, smoothing="kneser_ney", alpha=1.0, discount=0.75):
        self.order = order
        self.smoothing = smoothing
        self.alpha = alpha
        self.discount = discount

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Count the n-grams of the training sequences.

        Parameters
        ----------
        X : list of str or list of sequences of tokens
            Training sequences: strings (symbols are characters) or sequences of
            hashable tokens.

        y : None
            Ignored.

        Returns
        -------
        self : NGramLanguageModel
            The fitted model.
        """
        sequences, is_text = _check_texts(X)
        encoded = self._set_vocabulary(sequences, is_text)
        self.counts_ = _ngram_tables(encoded, self.order, len(self.symbols_))
        return self

    def _next_proba(self, context: tuple) -> np.ndarray:
        """Distribution of the next id after ``context`` (the ``order - 1`` previous ids)."""
        n_ids = len(self.symbols_)
        predictable = np.arange(n_ids) > BOS
        if self.smoothing == "add_k":
            table = self.counts_[-1].get(context, np.zeros(n_ids))
            return (table + self.alpha * predictable) / (table.sum() + self.alpha * predictable.sum())
        return _kneser_ney(self.counts_, context, self.discount, predictable / predictable.sum())

    def _log_proba_contexts(self, contexts: list[tuple]) -> np.ndarray:
        """Next-id log-probabilities ``(len(contexts), n_ids)``, each distinct context computed once."""
        index = {context: i for i, context in enumerate(dict.fromkeys(contexts))}
        with np.errstate(divide="ignore"):  # log(0) = -inf for padding and start
            table = np.log(np.array([self._next_proba(context) for context in index]))
        return table[[index[context] for context in contexts]]

    def _context(self, ids) -> tuple:
        """The last ``order - 1`` ids of a prefix ``[BOS, ...]``, padded with ``BOS``."""
        return tuple([BOS] * (self.order - 1) + ids[1:].tolist())[len(ids) - 1 :]

    def _log_likelihood(self, encoded: list[np.ndarray]) -> np.ndarray:
        contexts = [self._context(ids[:t]) for ids in encoded for t in range(1, len(ids))]
        targets = np.concatenate([ids[1:] for ids in encoded])
        log_proba = self._log_proba_contexts(contexts)[np.arange(len(targets)), targets]
        owner = np.repeat(np.arange(len(encoded)), [len(ids) - 1 for ids in encoded])
        return np.bincount(owner, weights=log_proba, minlength=len(encoded))

    def _start_generation(self, prefix: np.ndarray, n_rows: int):
        contexts = [self._context(prefix)] * n_rows
        return contexts, self._log_proba_contexts(contexts)

    def _continue_generation(self, contexts: list[tuple], ids: np.ndarray):
        contexts = [(*context, int(i))[1:] if context else () for context, i in zip(contexts, ids, strict=True)]
        return contexts, self._log_proba_contexts(contexts)
