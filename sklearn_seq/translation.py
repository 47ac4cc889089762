"""Sequence to sequence of different lengths: the encoder-decoder translator.

An encoder reads the whole source into a context; a decoder writes the output one
token at a time, each step fed the token before it, until it writes the end symbol.
With attention the decoder looks back at every encoder state at every step, instead
of one summary vector. The source may be text, token lists, numeric sequences (any
form of :mod:`sklearn_seq.sequences`) or one vector per sample (a 2-D array: the
vector starts the decoder, as in image captioning).
"""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.utils.validation import check_is_fitted, validate_data
from torch.utils.data import Dataset

from ._compat import Interval, RealNotInt, StrOptions, _fit_context
from ._parameters import (
    ENCODER_PARAMETERS,
    PARAMETERS,
    TRAINING_PARAMETERS,
    constraints,
    decoder_cell,
    encoder_params,
    fill_shared_doc,
    layer_sizes,
    set_init_params,
)
from .base import BaseSequenceNet
from .nn import (
    ATTENTION_MODES,
    PerStepCrossEntropyLoss,
    RecurrentEncoder,
    Seq2SeqNet,
    beam_search,
    greedy_decode,
    sequence_log_likelihood,
)
from .sequences import PaddedSequences, check_sequences, fixed_size_batches, fixed_size_indices, pad_rows
from .vocabulary import FRAMED_RESERVED, Vocabulary, check_token_sequences

_NETWORK_PARAMETERS = ("cell", "hidden_size", "num_layers", "bidirectional", "dropout", "forget_bias",
                       *ENCODER_PARAMETERS, "embedding_dim")
_ANALYZERS = {"char": list, "word": str.split}
_JOINERS = {"char": "".join, "word": " ".join}
_METRICS = ("exact", "bleu", "chrf")
# The options of a sequence encoder (the decoder ignores them), at their defaults.
_SEQUENCE_ENCODER_DEFAULTS = {name: PARAMETERS[name].default for name in ENCODER_PARAMETERS if name != "init"}


@fill_shared_doc
class Seq2SeqTranslator(BaseSequenceNet):
    """Encoder-decoder network that maps a sequence to a sequence of another length, with attention.

    Sources and targets are strings (read as characters or words), token lists, or,
    on the source side, numbers: numeric sequences are read by the recurrent
    encoder, and a 2-D array ``(n_samples, n_features)`` is one vector per sample
    that starts the decoder (the lectures' image captioning; ``attention='none'``
    and ``bidirectional=False`` then). Each side has its own vocabulary (reserved ids:
    padding 0, start 1, end 2, unknown 3); unknown source tokens map to the unknown
    id. Training maximises the likelihood of each target token given the source and
    the target tokens before it (teacher forcing); prediction decodes greedily or
    with a beam, in batches whose results never depend on the other sentences.

    Read more in the :ref:`User Guide <translation>`.

    Parameters
    ----------
    analyzer : {'char', 'word'}, default='char'
        How source strings become tokens: their characters, or their
        whitespace-separated words (case and punctuation kept).

    target_analyzer : {'char', 'word'}, default=None
        The same for target strings; None: ``analyzer``. Predictions join the
        tokens back with nothing (``'char'``) or one space (``'word'``).

    share_vocabulary : bool, default=False
        One vocabulary for both sides (learned from both), e.g. when sources and
        targets are in one language. Needs text or token sources and the same
        analyzer on both sides.

    min_count : int, default=1
        Tokens seen fewer times in ``fit`` (on their side) get the unknown id.

    {shared_parameters}
    attention : {'none', 'bahdanau', 'luong'}, default='bahdanau'
        How the decoder looks at the encoder's states: not at all (the encoder's
        final state is its context at every step), additive attention
        ``v^T tanh(W q + U k)`` (Bahdanau et al., 2015) or multiplicative
        "general" attention ``q^T W k`` (Luong et al., 2015). Padding gets exactly
        zero weight.

    teacher_forcing_ratio : float, default=1.0
        In training, the probability of feeding the decoder the true previous
        token rather than its own most likely one (drawn per token, seeded by
        ``random_state``); 1 is plain teacher forcing.

    beam_size : int, default=1
        Hypotheses kept per sentence when decoding; 1 is greedy decoding.

    length_penalty : float, default=1.0
        Beam search ranks finished hypotheses by ``log p / length ** length_penalty``
        (the end symbol counted in the length, as in fairseq); 0 ranks by
        likelihood, which favours short outputs.

    max_output_length : int, float or None, default=None
        Most tokens an output may have before its end symbol: an int is an absolute
        cap; a float a multiple of each source's length (rounded up; not for vector
        sources); None twice the longest target seen in ``fit``.

    Attributes
    ----------
    source_type_ : {'text', 'tokens', 'sequence', 'vector'}
        What ``fit`` read as sources: strings, token lists, numeric sequences or
        one vector per sample.

    target_text_ : bool
        Whether the targets were strings (predictions are then strings).

    source_vocabulary_ : Vocabulary or None
        Source token <-> id (text and token sources).

    target_vocabulary_ : Vocabulary
        Target token <-> id; the same object as ``source_vocabulary_`` with
        ``share_vocabulary=True``.

    n_features_in_ : int
        Numbers per step (numeric sequences) or per vector (vector sources).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, when fitted on a DataFrame of vectors with string column names.

    {shared_attributes}
    See Also
    --------
    sklearn_seq.nn.Seq2SeqNet : The torch module, usable alone.
    sklearn_seq.plotting.plot_attention : Draws :meth:`translate`'s attention.

    Examples
    --------
    >>> from sklearn_seq import Seq2SeqTranslator
    >>> from sklearn_seq.datasets import make_reversal
    >>> X, y = make_reversal(300, min_length=2, max_length=4, random_state=0)
    >>> X[0], y[0]
    ('jb', 'bj')
    >>> model = Seq2SeqTranslator(hidden_size=32, lr=0.02, max_epochs=15, random_state=0).fit(X, y)
    >>> model.predict(["abcd", "dcab"])
    ['dcba', 'bacd']
    >>> X_test, y_test = make_reversal(200, min_length=2, max_length=4, random_state=1)
    >>> model.score(X_test, y_test) > 0.85  # exact matches on unseen strings
    True
    """

    _parameter_constraints: dict = {
        **constraints(*_NETWORK_PARAMETERS, *TRAINING_PARAMETERS),
        "analyzer": [StrOptions(set(_ANALYZERS))],
        "target_analyzer": [StrOptions(set(_ANALYZERS)), None],
        "share_vocabulary": ["boolean"],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "attention": [StrOptions(set(ATTENTION_MODES))],
        "teacher_forcing_ratio": [Interval(Real, 0, 1, closed="both")],
        "beam_size": [Interval(Integral, 1, None, closed="left")],
        "length_penalty": [Interval(Real, 0, None, closed="left")],
        "max_output_length": [Interval(Integral, 1, None, closed="left"),
                              Interval(RealNotInt, 0, None, closed="neither"), None],
    }
    _shared_attributes = ("net_", "module_", "history_", "loss_curve_", "n_iter_")
    _inference_params = ("beam_size", "length_penalty", "max_output_length")
    _module_attributes = ("teacher_forcing_ratio",)

    def __init__(self, *, analyzer="char", target_analyzer=None, share_vocabulary=False, min_count=1, cell="lstm",
                 hidden_size=64, num_layers=1, bidirectional=False, dropout=0.0, forget_bias=1.0, init="keras",
                 residual=False, layer_norm=False, conv_channels=None, conv_kernel_size=3, num_heads=4,
                 embedding_dim=32,
                 attention="bahdanau", teacher_forcing_ratio=1.0, beam_size=1, length_penalty=1.0,
                 max_output_length=None, max_epochs=20, batch_size=32, lr=1e-3, optimizer="adam", weight_decay=0.0,
                 gradient_clip=None, early_stopping=False, validation_fraction=0.1, validation_data=None,
                 n_iter_no_change=5, bucket_by_length=False, callbacks=None, checkpoint_dir=None, checkpoint_every=1,
                 device="cpu", precision="32", torch_threads=None, random_state=None, verbose=0, warm_start=False):
        set_init_params(self, locals())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train the encoder-decoder on source sequences ``X`` and their targets ``y``.

        Parameters
        ----------
        X : list of str, list of token sequences, numeric sequences, or array of shape (n_samples, n_features)
            Sources: strings, token lists, numeric sequences (3-D array or list of
            arrays), or one vector per sample (2-D numeric array).
        y : list of str or list of token sequences
            Targets, one non-empty sequence per source.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each pair in the loss, shared by its target tokens:
            a batch's loss is the weighted mean over the tokens of its targets.

        Returns
        -------
        self : object
            The fitted translator.
        """
        return super().fit(X, y, sample_weight)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train one epoch on ``X, y``; the first call learns the vocabularies.

        Parameters
        ----------
        X : list of str, list of token sequences, numeric sequences, or array of shape (n_samples, n_features)
            Sources, as in :meth:`fit`.
        y : list of str or list of token sequences
            Targets, as in :meth:`fit`; tokens absent from the first call's are unknown.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each pair in the loss, as in :meth:`fit`.

        Returns
        -------
        self : object
            The translator, trained one more epoch.
        """
        return self._partial_fit(X, y, sample_weight)

    # -- decoding -----------------------------------------------------------------------

    def predict(self, X):
        """The most likely translation of each source (greedy or beam search).

        Parameters
        ----------
        X : list of str, list of token sequences, numeric sequences, or array of shape (n_samples, n_features)
            Sources, in the form used in :meth:`fit`.

        Returns
        -------
        y : list of str or list of list
            One output per source: a string when fitted on string targets, else a
            list of tokens.
        """
        return self.translate(X)

    def translate(self, X, *, n_best=1, return_attention=False):
        """Decode each source, optionally into several hypotheses and with its attention.

        Parameters
        ----------
        X : list of str, list of token sequences, numeric sequences, or array of shape (n_samples, n_features)
            Sources, in the form used in :meth:`fit`.
        n_best : int, default=1
            Hypotheses per source, best first; at most ``beam_size``.
        return_attention : bool, default=False
            Also return the attention matrix of every output.

        Returns
        -------
        outputs : list
            One output per source (a string, or a list of tokens) with
            ``n_best=1``; else one list of up to ``n_best`` outputs per source
            (fewer when the cap leaves fewer distinct outputs).
        attention : list of ndarray of shape (n_output_tokens + 1, source_length)
            Only with ``return_attention=True``, nested as ``outputs``: the weights
            each output step (its tokens, then the end symbol) put on each source
            token; each row sums to 1 (all zero without attention).
        """
        check_is_fitted(self)
        self._validate_params()  # the decoding parameters may have changed since fit
        self._check_decoding_params()
        if not isinstance(n_best, Integral) or not 1 <= n_best <= self.beam_size:
            raise ValueError(f"n_best must be an int from 1 to beam_size={self.beam_size}, got {n_best!r}")
        sources = self._source_sequences(X, reset=False)
        tokens, attention = [], []
        for hypotheses, lengths, n_valid in self._decoded_batches(sources, n_best, return_attention):
            for row in range(n_valid):
                # A slot the beam could not fill (score -inf: e.g. a cap shorter than beam_size outputs) is left out.
                filled = torch.isfinite(hypotheses.scores[row]).cpu().numpy()
                kept = [ids[ids != self.target_vocabulary_.pad_id]
                        for ids in hypotheses.tokens[row].cpu().numpy()[filled]]
                tokens.append([self.target_vocabulary_.decode(ids, stop_at_eos=True) for ids in kept])
                if return_attention:
                    weights = hypotheses.attention[row].double().cpu().numpy()
                    attention.append([w[: len(ids), : int(lengths[row])]
                                      for w, ids in zip(weights[filled], kept, strict=True)])
        outputs = [[self._as_output(hypothesis) for hypothesis in hypotheses] for hypotheses in tokens]
        if n_best == 1:
            outputs, attention = [hyps[0] for hyps in outputs], [weights[0] for weights in attention]
        return (outputs, attention) if return_attention else outputs

    def _decoded_batches(self, sources, n_best, return_attention):
        """Yield ``(Hypotheses with a (batch, n_best, ...) layout, source lengths, n_valid)`` per fixed-size batch."""
        module, device = self.module_.eval(), self._fitted_device()
        vocabulary = self.target_vocabulary_
        # The unknown id is never written: it would print as '<unk>' inside the output.
        ids = {"bos_idx": vocabulary.bos_id, "eos_idx": vocabulary.eos_id, "pad_idx": vocabulary.pad_id,
               "unk_idx": vocabulary.unk_id, "min_length": 1}  # no target is empty, so no output is
        with self._inference_context():
            for x, lengths, n_valid in fixed_size_batches(sources, self.batch_size):
                src, lengths = self._source_batch(x).to(device), lengths.to(device)
                caps = self._output_caps(lengths)
                if self.beam_size == 1:
                    hypotheses = greedy_decode(module, src, lengths, max_length=caps, return_attention=return_attention,
                                               **ids)
                    hypotheses = type(hypotheses)(*(None if part is None else part[:, None] for part in hypotheses))
                else:
                    hypotheses = beam_search(module, src, lengths, beam_size=self.beam_size, max_length=caps,
                                             length_penalty=self.length_penalty, n_best=n_best,
                                             return_attention=return_attention, **ids)
                yield hypotheses, lengths, n_valid

    def _output_caps(self, source_lengths):
        if self.max_output_length is None:
            return 2 * self._longest_target
        if isinstance(self.max_output_length, Integral):
            return self.max_output_length
        if self.source_type_ == "vector":
            raise ValueError(f"max_output_length={self.max_output_length} is relative to the source's length, "
                             "which a vector source does not have; pass an int")
        return torch.ceil(self.max_output_length * source_lengths.double()).long()

    def score_samples(self, X, y):
        """Log-likelihood of each target given its source.

        Parameters
        ----------
        X : list of str, list of token sequences, numeric sequences, or array of shape (n_samples, n_features)
            Sources, in the form used in :meth:`fit`.
        y : list of str or list of token sequences
            Targets, in the form used in :meth:`fit`.

        Returns
        -------
        log_likelihood : ndarray of shape (n_samples,)
            The natural-log probability the model gives to each target (its end
            symbol included); unknown target tokens count as the unknown id.
        """
        check_is_fitted(self)
        sources = self._source_sequences(X, reset=False)
        targets = torch.from_numpy(self._target_ids(self._target_tokens(y, len(sources.lengths), reset=False)))
        values, lengths = torch.from_numpy(sources.values), torch.from_numpy(sources.lengths)
        module, device = self.module_.eval(), self._fitted_device()
        vocabulary = self.target_vocabulary_
        scores = []
        with self._inference_context():
            for index, n_valid in fixed_size_indices(len(lengths), self.batch_size):
                src = self._source_batch(values[index, : int(lengths[index].max())])
                batch_targets = targets[index, : int((targets[index] != vocabulary.pad_id).sum(1).max())]
                log_likelihood = sequence_log_likelihood(module, src.to(device), lengths[index].to(device),
                                                         batch_targets.to(device), bos_idx=vocabulary.bos_id,
                                                         pad_idx=vocabulary.pad_id)
                scores.append(log_likelihood[:n_valid].double().cpu().numpy())
        return np.concatenate(scores)

    def score(self, X, y, *, metric="exact"):
        """How well the predictions of ``X`` match ``y``.

        Parameters
        ----------
        X : list of str, list of token sequences, numeric sequences, or array of shape (n_samples, n_features)
            Sources, in the form used in :meth:`fit`.
        y : list of str or list of token sequences
            Reference targets.
        metric : {'exact', 'bleu', 'chrf'}, default='exact'
            ``'exact'``: the share of outputs whose tokens equal the reference's;
            ``'bleu'``: corpus BLEU from sacrebleu over the translator's tokens
            (characters with a ``'char'`` target analyzer, whose 4-grams are then
            character 4-grams); ``'chrf'``: sacrebleu's corpus chrF of the output
            strings. Both are on sacrebleu's 0-100 scale and need the
            ``translation`` extra.

        Returns
        -------
        score : float
            Higher is better.
        """
        if metric not in _METRICS:
            raise ValueError(f"metric must be one of {_METRICS}, got {metric!r}")
        check_is_fitted(self)
        predicted = self.predict(X)
        references = self._target_tokens(y, len(predicted), reset=False)
        if metric == "exact":
            return float(np.mean([self._tokens_of(p) == list(r) for p, r in zip(predicted, references, strict=True)]))
        sacrebleu = _import_sacrebleu()
        hypotheses = [self._tokens_of(p) for p in predicted]
        if metric == "bleu":  # n-grams of our tokens (characters with analyzer='char'), not sacrebleu's words
            return float(sacrebleu.corpus_bleu([_spaced(h) for h in hypotheses], [[_spaced(r) for r in references]],
                                               tokenize="none").score)
        return float(sacrebleu.corpus_chrf([self._as_text(h) for h in hypotheses],
                                           [[self._as_text(r) for r in references]]).score)

    # -- hooks of BaseSequenceNet -------------------------------------------------------

    def _build_dataset(self, X, y, *, reset):
        if reset:
            self.source_type_ = _source_type(X)
        source_tokens = self._source_tokens(X) if self.source_type_ in ("text", "tokens") else None
        n_samples = len(source_tokens) if source_tokens is not None else len(check_sequences(X).lengths)
        target_tokens = self._target_tokens(y, n_samples, reset=reset)
        longest = max(len(tokens) for tokens in target_tokens)
        if reset:
            self._check_data_params(self.target_text_)
            self._learn_vocabularies(source_tokens, target_tokens)
            self._longest_target = longest
        else:  # later data may hold longer targets: the default output cap follows them
            self._longest_target = max(self._longest_target, longest)
        sources = self._source_sequences(X, reset=reset, tokens=source_tokens)
        return _PairDataset(sources, self._target_ids(target_tokens), vector=self.source_type_ == "vector",
                            bos_id=self.target_vocabulary_.bos_id, pad_id=self.target_vocabulary_.pad_id)

    def _build_module(self, dataset):
        common = encoder_params(self)
        encoder, source_size = None, None
        if self.source_type_ == "vector":
            source_size = self.n_features_in_
        elif self.source_type_ == "sequence":
            encoder = RecurrentEncoder(self.n_features_in_, bidirectional=self.bidirectional, **common)
        else:
            encoder = RecurrentEncoder(1, bidirectional=self.bidirectional,
                                       num_embeddings=len(self.source_vocabulary_), embedding_dim=self.embedding_dim,
                                       **common)
        # The decoder is a plain stack of the encoder's recurrent cell (an LSTM after 'conv' or 'transformer'),
        # as wide as the encoder's top layer; residual, layer_norm and the convolutions are the encoder's.
        sizes = layer_sizes(self)
        return Seq2SeqNet(encoder, len(self.target_vocabulary_), embedding_dim=self.embedding_dim,
                          hidden_size=sizes[-1], source_size=source_size, attention=self.attention,
                          padding_idx=self.target_vocabulary_.pad_id,
                          teacher_forcing_ratio=self.teacher_forcing_ratio, cell=decoder_cell(self.cell),
                          num_layers=len(sizes), dropout=self.dropout, forget_bias=self.forget_bias,
                          init=self.init)

    def _build_criterion(self, dataset):
        return PerStepCrossEntropyLoss(ignore_index=self.target_vocabulary_.pad_id)

    def _more_validate_params(self):
        super()._more_validate_params()
        target_analyzer = self.target_analyzer or self.analyzer
        if self.share_vocabulary and target_analyzer != self.analyzer:
            raise ValueError(f"share_vocabulary=True needs one analyzer for both sides, got analyzer={self.analyzer!r} "
                             f"and target_analyzer={target_analyzer!r}")
        self._check_decoding_params()

    def _check_decoding_params(self):
        if self.beam_size == 1 and self.length_penalty != 1.0:
            raise ValueError(f"length_penalty={self.length_penalty} ranks the hypotheses of a beam search, but "
                             "beam_size=1 decodes greedily; set beam_size > 1 or leave length_penalty at 1.0")

    def _check_data_params(self, target_text):
        """Refuse parameters that the kinds of sources and targets just read leave without effect."""
        if self.source_type_ != "text" and self.analyzer != "char":
            raise ValueError(f"analyzer={self.analyzer!r} cuts source strings, but X holds {self.source_type_} "
                             "sources; leave analyzer at 'char'")
        if not target_text and self.target_analyzer is not None:
            raise ValueError(f"target_analyzer={self.target_analyzer!r} cuts target strings, but y holds token "
                             "sequences; leave target_analyzer at None")
        if self.source_type_ == "vector":
            relative = isinstance(self.max_output_length, Real) and not isinstance(self.max_output_length, Integral)
            if self.attention != "none" or self.bidirectional or relative:
                raise ValueError("a vector source has no steps to read in both directions, to attend to or to "
                                 "measure an output against: set attention='none', bidirectional=False and an "
                                 "int (or None) max_output_length, or pass numeric sequences")
            encoder_options = [name for name, default in _SEQUENCE_ENCODER_DEFAULTS.items()
                               if getattr(self, name) != default] + (["cell"] if self.cell in ("conv", "transformer")
                                                                    else [])
            if encoder_options:
                raise ValueError(f"a vector source is read by a linear bridge, not by a sequence encoder: "
                                 f"{', '.join(encoder_options)} would have no effect; leave them at their defaults "
                                 "(cell chooses the decoder's cell among 'rnn', 'lstm', 'gru' and the LSTM variants)")

    # -- sources and targets ------------------------------------------------------------

    def _source_tokens(self, X):
        samples, is_text = check_token_sequences(X, name="X", allow_empty=False)
        return _tokenized(samples, is_text, _ANALYZERS[self.analyzer], "X")

    def _target_tokens(self, y, n_samples, *, reset):
        samples, is_text = check_token_sequences(y, name="y", allow_empty=False)
        if len(samples) != n_samples:
            raise ValueError(f"X holds {n_samples} sources but y holds {len(samples)} targets")
        if reset:
            self.target_text_ = is_text
        elif is_text != self.target_text_:
            raise TypeError(f"y holds {'strings' if is_text else 'token sequences'}, but the translator was fitted "
                            f"on {'strings' if self.target_text_ else 'token sequences'}")
        return _tokenized(samples, is_text, _ANALYZERS[self.target_analyzer or self.analyzer], "y")

    def _learn_vocabularies(self, source_tokens, target_tokens):
        learn = {"reserved": FRAMED_RESERVED, "min_count": self.min_count}
        if self.share_vocabulary:
            if source_tokens is None:
                raise ValueError("share_vocabulary=True needs text or token sources, not numbers")
            self.source_vocabulary_ = self.target_vocabulary_ = Vocabulary.learn(source_tokens + target_tokens,
                                                                                 **learn)
            return
        self.target_vocabulary_ = Vocabulary.learn(target_tokens, **learn)
        self.source_vocabulary_ = None if source_tokens is None else Vocabulary.learn(source_tokens, **learn)

    def _source_sequences(self, X, *, reset, tokens=None):
        """The sources as padded sequences: token ids, numbers, or vectors as sequences of one step."""
        if not reset and _source_type(X) != self.source_type_:
            raise TypeError(f"X holds {_source_type(X)} sources, but the translator was fitted on "
                            f"{self.source_type_} sources")
        if self.source_type_ in ("text", "tokens"):
            tokens = self._source_tokens(X) if tokens is None else tokens
            ids = [self.source_vocabulary_.encode(sample) for sample in tokens]
            return PaddedSequences(pad_rows(ids, fill=self.source_vocabulary_.pad_id),
                                   np.array([len(sample) for sample in ids], dtype=np.int64))
        if self.source_type_ == "vector":  # a table: column names and counts as for any estimator
            table = validate_data(self, X, reset=reset, dtype=[np.float32, np.float64])
            return check_sequences(table[:, None, :])
        sequences = check_sequences(X)
        if reset:
            self.n_features_in_ = sequences.n_features
        elif sequences.n_features != self.n_features_in_:
            raise ValueError(f"X has {sequences.n_features} features, but the translator was fitted with "
                             f"{self.n_features_in_}")
        return sequences

    def _source_batch(self, x):
        return x[:, 0] if self.source_type_ == "vector" else x

    def _target_ids(self, target_tokens):
        return pad_rows([self.target_vocabulary_.encode(tokens, eos=True) for tokens in target_tokens],
                        fill=self.target_vocabulary_.pad_id)

    def _as_output(self, tokens):
        return _JOINERS[self.target_analyzer or self.analyzer](tokens) if self.target_text_ else tokens

    def _tokens_of(self, output):
        return _ANALYZERS[self.target_analyzer or self.analyzer](output) if self.target_text_ else list(output)

    def _as_text(self, tokens):
        return self._as_output([str(token) for token in tokens]) if self.target_text_ else _spaced(tokens)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.target_tags.required = True
        return tags


class _PairDataset(Dataset):
    """Sources and target ids served as batches ``({'src', 'src_lengths', 'tgt_in'}, targets)``.

    Both sides are cut to the batch's longest sequence; ``tgt_in`` is the targets
    shifted right behind the start id, what the decoder reads under teacher forcing.
    ``lengths`` (the sources') is what the batch sampler groups by; ``sample_weight``,
    when set, joins each batch's dict as in :class:`~sklearn_seq.sequences.SequenceDataset`.
    """

    def __init__(self, sources: PaddedSequences, targets: np.ndarray, *, vector: bool, bos_id: int,
                 pad_id: int) -> None:
        self.values = torch.from_numpy(sources.values)
        self.lengths = torch.from_numpy(sources.lengths)
        self.y = torch.from_numpy(targets)
        self.target_lengths = (self.y != pad_id).sum(dim=1)
        self.vector = vector
        self.bos_id = bos_id
        self.sample_weight: torch.Tensor | None = None

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, index):
        return self.__getitems__([index])

    def __getitems__(self, indices):
        index = torch.as_tensor(indices)
        lengths = self.lengths[index]
        src = self.values[index, 0] if self.vector else self.values[index, : int(lengths.max())]
        targets = self.y[index, : int(self.target_lengths[index].max())]
        tgt_in = torch.cat([torch.full_like(targets[:, :1], self.bos_id), targets[:, :-1]], dim=1)
        inputs = {"src": src, "src_lengths": lengths, "tgt_in": tgt_in}
        if self.sample_weight is not None:
            inputs["sample_weight"] = self.sample_weight[index]
        return inputs, targets


def _source_type(X):
    """'vector' (2-D numeric array), 'sequence' (numeric sequences), 'text' or 'tokens'."""
    if sp.issparse(X):
        raise TypeError("sparse input is not supported; pass a dense array, a list of strings or of sequences")
    array = X.to_numpy() if hasattr(X, "columns") else X
    if isinstance(array, np.ndarray) and array.dtype.kind in "biuf":
        if array.ndim not in (2, 3):
            raise ValueError(f"a numeric X must be 2-D (one vector per sample) or 3-D (sequences), got "
                             f"{array.ndim} dimensions")
        return "vector" if array.ndim == 2 else "sequence"
    if isinstance(X, list | tuple) and len(X) and isinstance(X[0], np.ndarray) and X[0].dtype.kind == "f":
        return "sequence"  # arrays of integers, like lists of them, are token ids
    return "text" if check_token_sequences(X, name="X")[1] else "tokens"


def _tokenized(samples, is_text, analyze, name):
    """The tokens of each sample: strings cut by ``analyze``, token sequences as lists."""
    tokens = [analyze(sample) if is_text else list(sample) for sample in samples]
    for i, sample in enumerate(tokens):
        if not sample:
            raise ValueError(f"{name}[{i}] has no token: {samples[i]!r}")
    return tokens


def _spaced(tokens):
    return " ".join(str(token) for token in tokens)


def _import_sacrebleu():
    try:
        import sacrebleu
    except ImportError as error:
        raise ImportError("BLEU and chrF come from sacrebleu: pip install 'sklearn-seq[translation]'") from error
    return sacrebleu
