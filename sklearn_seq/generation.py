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

from numbers import Integral, Real

import numpy as np
import torch
from scipy.special import log_softmax
from sklearn.base import BaseEstimator

from ._compat import Interval, StrOptions, _fit_context
from ._language_model import BOS, PAD, _check_texts, _encode, _LanguageModelMixin
from ._parameters import (
    ENCODER_PARAMETERS,
    TRAINING_PARAMETERS,
    constraints,
    encoder_params,
    fill_shared_doc,
    set_init_params,
)
from ._version_stamp import VersionStampMixin
from .base import BaseSequenceNet
from .nn import ManyToManyNet, PerStepCrossEntropyLoss, RecurrentEncoder
from .sequences import IGNORED, PaddedSequences, SequenceDataset, pad_rows

__all__ = ["CharRNNLanguageModel", "NGramLanguageModel"]

_NETWORK_PARAMS = ("cell", "hidden_size", "num_layers", "dropout", "forget_bias", *ENCODER_PARAMETERS,
                   "embedding_dim")


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


class NGramLanguageModel(_LanguageModelMixin, VersionStampMixin, BaseEstimator):
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


@fill_shared_doc
class CharRNNLanguageModel(_LanguageModelMixin, BaseSequenceNet):
    """Recurrent language model of sequences of characters or tokens (one-to-many).

    The network reads a sequence one symbol at a time, starting from the start
    symbol, and predicts the next symbol at every step: the input of step ``t`` is
    the symbol of step ``t - 1``, so the same sequence, shifted by one, is both the
    input and the target. It is trained with the cross-entropy of every prediction
    (the negative of :meth:`score`) and generates by feeding each drawn symbol back
    as the next input. This is the character-level model of the lecture (there a
    vanilla RNN, ``cell='rnn'``), with the conventions of
    :mod:`sklearn_seq.generation`.

    Read more in the :ref:`User Guide <language_models>`.

    Parameters
    ----------
    cell : {'rnn', 'lstm', 'gru'}, default='lstm'
        Recurrent cell: the Elman RNN (tanh), the LSTM or the GRU.

    embedding_dim : int, default=32
        Size of the learned vector of each symbol. The lecture's one-hot input times
        the input weights is such an embedding, of the size of the hidden layer.

    {shared_parameters}
    Attributes
    ----------
    vocabulary_ : dict
        Symbol -> id, symbols sorted, ids from 4 on (ids 0 to 3 are padding, start,
        end and unknown).

    symbols_ : list
        Symbol of every id: ``['<pad>', '<s>', '</s>', '<unk>', ...vocabulary]``;
        the columns of :meth:`predict_proba_next` and the network's outputs.

    text_input_ : bool
        Whether the model was fitted on strings (``sample`` then returns strings).

    {shared_attributes}
    See Also
    --------
    NGramLanguageModel : The counting baseline, with the same interface.

    Notes
    -----
    The network has an output for every id, but padding and the start symbol are
    never a target: their outputs are removed and the others renormalised, so that
    :meth:`predict_proba_next` gives them probability 0 as the n-gram model does.
    ``bidirectional`` is not a parameter: a model that reads the future cannot
    predict it.

    Examples
    --------
    >>> from sklearn_seq import CharRNNLanguageModel
    >>> words = ["abc", "abd", "abcd", "bcd"] * 20
    >>> lm = CharRNNLanguageModel(hidden_size=16, lr=0.05, max_epochs=15, random_state=0).fit(words)
    >>> round(lm.perplexity(words), 1)  # the four words are equally frequent
    1.4
    >>> sorted(set(lm.sample(20, random_state=0)))
    ['abc', 'abcd', 'abd', 'bcd']
    """

    _parameter_constraints: dict = constraints(*_NETWORK_PARAMS, *TRAINING_PARAMETERS)
    _learns_targets = False

    def __init__(self, *, cell="lstm", hidden_size=64, num_layers=1, dropout=0.0, forget_bias=1.0, init="keras",
                 residual=False, layer_norm=False, conv_channels=None, conv_kernel_size=3, num_heads=4,
                 embedding_dim=32,
                 max_epochs=20, batch_size=32, lr=1e-3, optimizer="adam", weight_decay=0.0, gradient_clip=None,
                 early_stopping=False, validation_fraction=0.1, validation_data=None, n_iter_no_change=5,
                 bucket_by_length=False, callbacks=None, checkpoint_dir=None, checkpoint_every=1,
                 device="cpu", precision="32", torch_threads=None, random_state=None, verbose=0, warm_start=False):
        set_init_params(self, locals())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = False
        tags.input_tags.string = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Train the network to predict every next symbol of the training sequences.

        Parameters
        ----------
        X : list of str or list of sequences of tokens
            Training sequences: strings (symbols are characters) or sequences of
            hashable tokens.

        y : None
            Ignored.
        sample_weight : array-like of shape (n_sequences,), default=None
            Non-negative weight of each sequence in the loss, shared by its steps:
            a batch's loss is the weighted mean over the steps of its sequences.

        Returns
        -------
        self : CharRNNLanguageModel
            The fitted model.
        """
        return super().fit(X, None, sample_weight)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Train one more epoch; the first call learns the vocabulary.

        Parameters
        ----------
        X : list of str or list of sequences of tokens
            Training sequences; symbols absent from the first call's sequences count
            as the unknown symbol.

        y : None
            Ignored.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence in the loss, as in :meth:`fit`.

        Returns
        -------
        self : CharRNNLanguageModel
            The model.
        """
        return self._partial_fit(X, None, sample_weight)

    # -- hooks of BaseSequenceNet -------------------------------------------------------

    def _build_dataset(self, X, y, *, reset):
        sequences, is_text = _check_texts(X)
        if reset:
            encoded = self._set_vocabulary(sequences, is_text)
        else:
            self._check_same_kind(is_text, "X")
            encoded = _encode(sequences, self.vocabulary_)
        # The targets: each sequence's symbols after the start, padded with IGNORED.
        targets = pad_rows([ids[1:] for ids in encoded], fill=IGNORED)
        return SequenceDataset(_shifted_inputs(encoded), targets, per_step=True)

    def _build_module(self, dataset):
        n_ids = len(self.symbols_)
        # Forward only: the convolutions are causal and the Transformer's attention is masked to the past.
        encoder = RecurrentEncoder(1, **encoder_params(self), num_embeddings=n_ids, embedding_dim=self.embedding_dim)
        return ManyToManyNet(encoder, n_ids, init=self.init)

    def _build_criterion(self, dataset):
        return PerStepCrossEntropyLoss(ignore_index=IGNORED)

    # -- hooks of _LanguageModelMixin ---------------------------------------------------

    def _log_likelihood(self, encoded):
        logits = self._per_step_outputs(_shifted_inputs(encoded))
        return np.array([_next_log_proba(out)[np.arange(len(ids) - 1), ids[1:]].sum()
                         for out, ids in zip(logits, encoded, strict=True)])

    def _start_generation(self, prefix, n_rows):
        state, log_proba = None, None
        for symbol in prefix:
            state, log_proba = self._continue_generation(state, np.full(n_rows, symbol))
        return state, log_proba

    def _continue_generation(self, state, ids):
        self.module_.eval()
        with self._inference_context():
            logits, state = self.module_.step(torch.as_tensor(ids, device=self._fitted_device()), state)
        return state, _next_log_proba(logits.double().cpu().numpy())


def _shifted_inputs(encoded):
    """The network's inputs: each framed sequence without its end symbol, padded with ``PAD``."""
    inputs = [ids[:-1] for ids in encoded]
    return PaddedSequences(pad_rows(inputs, fill=PAD), np.array([len(ids) for ids in inputs], dtype=np.int64))


def _next_log_proba(logits):
    """Log-probabilities of the next id from the network's logits ``(..., n_ids)``, float64.

    Padding and start are never targets: they get probability 0 and the other ids
    share the whole mass.
    """
    logits = np.array(logits, dtype=np.float64)
    logits[..., [PAD, BOS]] = -np.inf
    return log_softmax(logits, axis=-1)
