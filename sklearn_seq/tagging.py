"""Many-to-many tagging with equal lengths: one label per token (part-of-speech tagging)."""

from collections.abc import Sequence
from itertools import chain
from numbers import Integral

import numpy as np
from scipy.special import softmax
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, _fit_context
from ._parameters import (
    ENCODER_PARAMETERS,
    TRAINING_PARAMETERS,
    constraints,
    encoder_params,
    fill_shared_doc,
    set_init_params,
)
from ._targets import check_sortable_labels
from .base import BaseSequenceNet, check_partial_fit_classes
from .nn import ManyToManyNet, PerStepCrossEntropyLoss, RecurrentEncoder, WordCharEmbedding
from .sequences import IGNORED, PaddedSequences, SequenceDataset, pad_rows
from .vocabulary import Vocabulary, check_token_sequences

PAD = 0  # padding id of the word and character vocabularies (1 is the out-of-vocabulary id)

_NETWORK_PARAMS = ("cell", "hidden_size", "num_layers", "bidirectional", "dropout", "forget_bias",
                   *ENCODER_PARAMETERS, "embedding_dim")


@fill_shared_doc
class SequenceTagger(BaseSequenceNet):
    """Recurrent tagger: one label for every token of a sequence (many-to-many, equal lengths).

    Each token is embedded (by its id in a vocabulary learned at ``fit`` and,
    optionally, by its characters), a bidirectional recurrent network reads the
    sentence, and a linear layer scores the labels of every position, trained with
    the cross-entropy summed over the tokens. This is the part-of-speech tagger
    of the lecture.

    Read more in the :ref:`User Guide <tagging>`.

    Parameters
    ----------
    cell : {'rnn', 'lstm', 'gru'}, default='lstm'
        Recurrent cell.

    bidirectional : bool, default=True
        Read each sequence in both directions, so that a token's label depends on
        its left and right context.

    embedding_dim : int, default=64
        Size of the word embedding.

    min_count : int, default=2
        Tokens seen fewer times in ``fit`` get the out-of-vocabulary id. Its
        embedding is thus learned from rare words, which are what unseen words at
        prediction time resemble.

    char_embedding_dim : int, default=None
        When set, each token is also represented by a bidirectional LSTM over its
        characters (embedded with this size), which lets the tagger guess the label
        of unseen words from their spelling. ``str(token)`` gives the characters.

    char_hidden_size : int, default=32
        Hidden units per direction of the character LSTM.

    max_word_length : int, default=20
        Characters read per token; longer tokens are cut.

    {shared_parameters}
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels, sorted.

    vocabulary_ : dict
        Token to id; 0 is padding and 1 the out-of-vocabulary id.

    char_vocabulary_ : dict
        Character to id (with ``char_embedding_dim``); 0 is padding, 1 unknown.

    {shared_attributes}
    See Also
    --------
    LSTMClassifier : One label per sequence.

    Examples
    --------
    >>> from sklearn_seq import SequenceTagger
    >>> X = [["the", "dog", "runs"], ["a", "cat", "sleeps"], ["the", "cat", "runs"]] * 10
    >>> y = [["DET", "NOUN", "VERB"]] * 30
    >>> tagger = SequenceTagger(min_count=1, hidden_size=8, embedding_dim=8, lr=0.05, max_epochs=10,
    ...                         random_state=0).fit(X, y)
    >>> [list(tags) for tags in tagger.predict([["a", "dog", "sleeps"]])]
    [['DET', 'NOUN', 'VERB']]
    >>> float(tagger.score(X, y))
    1.0
    """

    _parameter_constraints: dict = {
        **constraints(*_NETWORK_PARAMS, *TRAINING_PARAMETERS),
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "char_embedding_dim": [Interval(Integral, 1, None, closed="left"), None],
        "char_hidden_size": [Interval(Integral, 1, None, closed="left")],
        "max_word_length": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, cell="lstm", hidden_size=64, num_layers=1, bidirectional=True, dropout=0.0, forget_bias=1.0,
                 init="keras", residual=False, layer_norm=False, conv_channels=None, conv_kernel_size=3, num_heads=4,
                 embedding_dim=64, min_count=2, char_embedding_dim=None, char_hidden_size=32, max_word_length=20,
                 max_epochs=20, batch_size=32, lr=1e-3, optimizer="adam", weight_decay=0.0, gradient_clip=None,
                 early_stopping=False, validation_fraction=0.1, validation_data=None, n_iter_no_change=5,
                 bucket_by_length=False, callbacks=None, checkpoint_dir=None, checkpoint_every=1,
                 device="cpu", precision="32", torch_threads=None, random_state=None, verbose=0, warm_start=False):
        set_init_params(self, locals())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train the tagger on token sequences ``X`` and their label sequences ``y``.

        Parameters
        ----------
        X : list of sequences of hashable tokens
            E.g. sentences as lists of words.
        y : list of sequences of labels
            ``y[i]`` holds one label (of any type) per token of ``X[i]``.
        sample_weight : array-like of shape (n_sequences,), default=None
            Non-negative weight of each sequence in the loss, shared by its steps:
            a batch's loss is the weighted mean over the steps of its sequences.

        Returns
        -------
        self : object
            The fitted tagger.
        """
        return super().fit(X, y, sample_weight)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one epoch on ``X, y``, starting the network on the first call.

        Parameters
        ----------
        X : list of sequences of hashable tokens
            Token sequences; the vocabulary is learned on the first call only.
        y : list of sequences of labels
            One label per token.
        classes : array-like of shape (n_classes,), default=None
            All labels, required on the first call when ``y`` does not show them all.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence in the loss, as in :meth:`fit`.

        Returns
        -------
        self : object
            The tagger.
        """
        check_partial_fit_classes(self, classes)
        return self._partial_fit(X, y, sample_weight, classes=classes)

    def predict_proba(self, X):
        """Label probabilities of every token.

        Parameters
        ----------
        X : list of sequences of hashable tokens
            Token sequences.

        Returns
        -------
        proba : list of ndarray of shape (T_i, n_classes)
            Probabilities of ``classes_`` for each token of each sequence.
        """
        return [softmax(logits, axis=1) for logits in self._per_token_logits(X)]

    def predict(self, X):
        """Most probable label of every token.

        Parameters
        ----------
        X : list of sequences of hashable tokens
            Token sequences.

        Returns
        -------
        y : list of ndarray of shape (T_i,)
            One label per token, with the input's lengths.
        """
        return [self.classes_[logits.argmax(axis=1)] for logits in self._per_token_logits(X)]

    def score(self, X, y):
        """Token accuracy: the share of tokens (over all sequences) whose label is right.

        Parameters
        ----------
        X : list of sequences of hashable tokens
            Token sequences.
        y : list of sequences of labels
            True labels, one per token.

        Returns
        -------
        accuracy : float
            Correct tokens over all tokens; padding never counts.
        """
        y = _label_sequences(y)
        X, _ = _check_tagged(X, y)
        predicted = np.concatenate(self.predict(X))
        return float(np.mean(predicted == np.concatenate([np.asarray(labels, dtype=object) for labels in y])))

    # -- hooks of BaseSequenceNet -------------------------------------------------------

    def _more_validate_params(self):
        super()._more_validate_params()
        if self.char_embedding_dim is None:
            for name, default in (("char_hidden_size", 32), ("max_word_length", 20)):
                if getattr(self, name) != default:
                    raise ValueError(f"{name}={getattr(self, name)} describes the character LSTM, which only "
                                     "char_embedding_dim switches on; set char_embedding_dim too")

    def _build_dataset(self, X, y, *, reset, classes=None):
        y = _label_sequences(y)
        X, lengths = _check_tagged(X, y)
        if reset:
            self._learn_vocabularies(X)
        return SequenceDataset(self._encode_tokens(X, lengths), self._encode_labels(y, reset=reset, classes=classes),
                               per_step=True)

    def _build_criterion(self, dataset):
        return PerStepCrossEntropyLoss(ignore_index=IGNORED)

    def _encode_labels(self, y, *, reset, classes):
        labels = np.concatenate([np.asarray(seq, dtype=object) for seq in y])
        check_sortable_labels(labels)
        if reset:
            self.classes_ = np.unique(labels if classes is None else np.asarray(classes, dtype=object))
        known = np.isin(labels, self.classes_)
        if not known.all():
            raise ValueError(f"label {labels[~known][0]!r} is not in classes_ {list(self.classes_)}")
        ids = np.searchsorted(self.classes_, labels)
        return pad_rows(np.split(ids, np.cumsum([len(seq) for seq in y])[:-1]), fill=IGNORED)

    def _build_module(self, dataset):
        input_layer, input_size, embedding = None, self.embedding_dim, {}
        if self.char_embedding_dim is None:
            embedding = {"num_embeddings": len(self.vocabulary_) + 2, "embedding_dim": self.embedding_dim}
        else:
            input_layer = WordCharEmbedding(len(self.vocabulary_) + 2, self.embedding_dim,
                                            num_chars=len(self.char_vocabulary_) + 2,
                                            char_dim=self.char_embedding_dim, char_hidden_size=self.char_hidden_size,
                                            init=self.init)
            input_size = input_layer.output_size
        encoder = RecurrentEncoder(input_size, bidirectional=self.bidirectional, **encoder_params(self), **embedding)
        return ManyToManyNet(encoder, len(self.classes_), input_layer=input_layer, init=self.init)

    # -- token encoding -----------------------------------------------------------------

    def _learn_vocabularies(self, X):
        # Decreasing count, ties in order of first occurrence: the tagger's ids since its first version.
        vocabulary = Vocabulary.learn(X, min_count=self.min_count, ties="first")
        self.vocabulary_ = dict(vocabulary.token_to_id)
        if self.char_embedding_dim is not None:
            # Characters counted once per distinct token, so frequent short words do not dominate.
            spellings = [str(token)[: self.max_word_length] for token in dict.fromkeys(chain.from_iterable(X))]
            self.char_vocabulary_ = dict(Vocabulary.learn(spellings, ties="first").token_to_id)

    def _encode_tokens(self, X, lengths):
        """Token ids ``(n, T)``, or ``(n, T, 1 + max_word_length)`` with character ids after each token id."""
        words = Vocabulary(self.vocabulary_)
        ids = pad_rows([words.encode(tokens) for tokens in X], fill=PAD)
        if self.char_embedding_dim is not None:
            chars = Vocabulary(self.char_vocabulary_)
            spelled = pad_rows([chars.encode(str(token)[: self.max_word_length]) for tokens in X for token in tokens],
                               fill=PAD, length=self.max_word_length)
            spelled = pad_rows(np.split(spelled, np.cumsum(lengths)[:-1]), fill=PAD)
            ids = np.concatenate([ids[..., None], spelled], axis=2)
        return PaddedSequences(ids, lengths)

    def _per_token_logits(self, X):
        check_is_fitted(self)
        return self._per_step_outputs(self._encode_tokens(*_check_tagged(X)))


def _label_sequences(y):
    """``y`` as a list of label sequences; a one-column DataFrame (or a Series) as its column, as X is read."""
    if hasattr(y, "columns") and getattr(y, "ndim", None) == 2:
        if y.shape[1] != 1:
            raise ValueError(f"y is a DataFrame with {y.shape[1]} columns; pass the one column that holds the label "
                             "sequences (a Series or a one-column DataFrame).")
        y = y[y.columns[0]]
    return list(y) if hasattr(y, "index") else y


def _check_tagged(X, y=None):
    """Check token sequences (and their label sequences); return the sequences as a list and their lengths."""
    X, _ = check_token_sequences(X, kind="tokens", allow_empty=False)
    lengths = np.array([len(tokens) for tokens in X], dtype=np.int64)
    if y is not None:
        if len(y) != len(X):
            raise ValueError(f"X holds {len(X)} sequences but y holds {len(y)}")
        for i, (labels, n) in enumerate(zip(y, lengths, strict=True)):
            if isinstance(labels, str) or not isinstance(labels, Sequence | np.ndarray):
                raise TypeError(f"y[{i}] must be a sequence of labels, got {type(labels).__name__}")
            if len(labels) != n:
                raise ValueError(f"sample {i} has {n} tokens but {len(labels)} labels")
    return X, lengths
