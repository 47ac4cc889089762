"""Encoder-decoder network for sequence-to-sequence tasks of different lengths, with optional attention."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from .attention import BahdanauAttention, LuongAttention
from .encoder import RecurrentEncoder, layer_rows
from .init import initialize
from .layers import make_rnn
from .lstm_variants import VariantLSTM

ATTENTION_MODES = ("none", "bahdanau", "luong")


class EncoderMemory(NamedTuple):
    """What the decoder reads from the source; every tensor is batch-first (rows can be selected)."""

    outputs: torch.Tensor | None  # (batch, source_len, key_size): the encoder's per-step outputs
    mask: torch.Tensor | None  # (batch, source_len) bool: True at real source steps
    projected_keys: torch.Tensor | None  # the attention's key projection, computed once per source
    summary: torch.Tensor  # (batch, summary_size): the encoder's final state, or the source vector


class DecoderState(NamedTuple):
    """The decoder's recurrent state between steps, batch-first (rows can be selected and reordered)."""

    hidden: torch.Tensor  # (batch, num_layers, hidden_size)
    cell: torch.Tensor | None  # (batch, num_layers, hidden_size) for an LSTM, else None
    feed: torch.Tensor  # (batch, hidden_size): the previous attentional vector (input feeding)


class Seq2SeqNet(nn.Module):
    """Encoder-decoder network: read a source, write target token ids one step at a time.

    The source is token ids or numeric sequences read by a :class:`RecurrentEncoder`
    (whose final state initialises the decoder through a linear bridge, and whose
    per-step outputs are attended to), or one vector per sample (``encoder=None``)
    that initialises the decoder through the bridge and is its context at every step.
    At each step the decoder embeds the previous target token, concatenates the
    previous attentional vector (input feeding, Luong et al., 2015), advances its
    recurrent cell, attends over the source with its new state as the query,
    combines state and context into the attentional vector ``tanh(W [state; context])``
    and projects it onto the target vocabulary. Without attention the context is the
    encoder's final state (or the source vector) at every step.

    Padding never changes a sentence's results: the encoder ignores steps past each
    length and padded source steps get exactly zero attention weight.

    Parameters
    ----------
    encoder : RecurrentEncoder or None
        Reads the source (with an embedding for token ids). None: the source is one
        vector of ``source_size`` features per sample.
    num_embeddings : int
        Size of the target vocabulary (embedding rows and output logits).
    embedding_dim : int
        Size of the target token embedding.
    hidden_size : int
        Hidden units of each decoder layer.
    source_size : int or None, default=None
        Features of the source vector; required when ``encoder`` is None, ignored otherwise.
    cell : {'rnn', 'lstm', 'gru', 'peephole_lstm', 'coupled_lstm'}, default='lstm'
        Recurrent cell of the decoder.
    num_layers : int, default=1
        Stacked decoder layers.
    dropout : float, default=0.0
        Dropout on the target embeddings, between decoder layers and before the output projection.
    attention : {'none', 'bahdanau', 'luong'}, default='bahdanau'
        Additive or multiplicative ("general") attention over the encoder's outputs.
    padding_idx : int, default=0
        Target id of padding (its embedding is zero).
    forget_bias : float, default=1.0
        Initial LSTM forget-gate bias of the decoder, as Keras does.
    teacher_forcing_ratio : float, default=1.0
        In training mode, the probability of feeding the true previous token rather
        than the network's own most likely one (see :meth:`forward`).
    init : {'keras', 'torch'}, default='keras'
        Initial weights of the decoder's layers (embedding, bridge, cell, attention,
        output projection; see :func:`~sklearn_seq.nn.initialize`).

    Examples
    --------
    >>> import torch
    >>> encoder = RecurrentEncoder(1, 8, num_embeddings=12, embedding_dim=4, bidirectional=True)
    >>> net = Seq2SeqNet(encoder, 10, embedding_dim=4, hidden_size=8, attention="luong")
    >>> src, src_lengths = torch.tensor([[5, 6, 7], [8, 9, 0]]), torch.tensor([3, 2])
    >>> tgt_in = torch.tensor([[1, 4, 5, 6], [1, 7, 0, 0]])  # BOS-prefixed targets
    >>> logits, attention = net(src, src_lengths, tgt_in, return_attention=True)
    >>> tuple(logits.shape), tuple(attention.shape), attention[1, :, 2].tolist()
    ((2, 4, 10), (2, 4, 3), [0.0, 0.0, 0.0, 0.0])
    """

    def __init__(
        self,
        encoder: RecurrentEncoder | None,
        num_embeddings: int,
        *,
        embedding_dim: int,
        hidden_size: int,
        source_size: int | None = None,
        cell: str = "lstm",
        num_layers: int = 1,
        dropout: float = 0.0,
        attention: str = "bahdanau",
        padding_idx: int = 0,
        forget_bias: float = 1.0,
        teacher_forcing_ratio: float = 1.0,
        init: str = "keras",
    ) -> None:
        super().__init__()
        self.teacher_forcing_ratio = teacher_forcing_ratio
        if attention not in ATTENTION_MODES:
            raise ValueError(f"attention must be one of {ATTENTION_MODES}, got {attention!r}")
        if encoder is None and source_size is None:
            raise ValueError("source_size is required when the source is a vector (encoder=None)")
        if encoder is None and attention != "none":
            raise ValueError("a vector source has no steps to attend to: use attention='none'")
        self.encoder = encoder
        context_size = source_size if encoder is None else encoder.output_size
        self.num_layers, self.hidden_size = num_layers, hidden_size
        self.embedding = nn.Embedding(num_embeddings, embedding_dim, padding_idx=padding_idx)
        self.bridge = nn.Linear(context_size, num_layers * hidden_size)
        self.rnn = make_rnn(cell, embedding_dim + hidden_size, hidden_size, num_layers=num_layers,
                            dropout=dropout if num_layers > 1 else 0.0)
        self.attention = {"none": None, "bahdanau": BahdanauAttention, "luong": LuongAttention}[attention]
        if self.attention is not None:
            self.attention = self.attention(hidden_size, context_size)
        self.combine = nn.Linear(hidden_size + context_size, hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size, num_embeddings)
        for layer in (self.embedding, self.bridge, self.rnn, self.attention, self.combine, self.head):
            if layer is not None:
                initialize(layer, init, forget_bias=forget_bias)

    def forward(
        self,
        src: torch.Tensor,
        src_lengths: torch.Tensor | None,
        tgt_in: torch.Tensor,
        *,
        teacher_forcing_ratio: float | None = None,
        generator: torch.Generator | None = None,
        return_attention: bool = False,
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        """Decode with teacher forcing and return the logits of every target step.

        Parameters
        ----------
        src : Tensor of shape (batch, source_len) of ids, (batch, source_len, n_features) or (batch, source_size)
            Padded source token ids, padded numeric sequences, or source vectors.
        src_lengths : Tensor of shape (batch,) or None
            Source lengths; ignored (may be None) for vector sources.
        tgt_in : Tensor of shape (batch, target_len)
            Decoder inputs: ``BOS`` followed by the target ids, padded.
        teacher_forcing_ratio : float, default=None
            Probability, drawn per row and step after the first, of feeding the true
            previous token rather than the network's own most likely one. None: the
            network's ``teacher_forcing_ratio`` in training mode, 1 in eval mode.
        generator : torch.Generator or None, default=None
            Source of those draws (on the CPU), for reproducible training.
        return_attention : bool, default=False
            Also return the attention weights (zeros without attention).

        Returns
        -------
        logits : Tensor of shape (batch, target_len, num_embeddings)
        attention : Tensor of shape (batch, target_len, source_len)
            Only with ``return_attention=True``.
        """
        if teacher_forcing_ratio is None:
            teacher_forcing_ratio = self.teacher_forcing_ratio if self.training else 1.0
        memory = self.encode(src, src_lengths)
        state = self.initial_state(memory)
        logits, weights = [], []
        tokens = tgt_in[:, 0]
        for t in range(tgt_in.shape[1]):
            if t > 0:
                tokens = tgt_in[:, t]
                if teacher_forcing_ratio < 1.0:
                    teach = torch.rand(len(tokens), generator=generator).to(tokens.device) < teacher_forcing_ratio
                    tokens = torch.where(teach, tokens, logits[-1].argmax(-1))
            step_logits, state, step_weights = self.step(tokens, state, memory)
            logits.append(step_logits)
            weights.append(step_weights)
        logits = torch.stack(logits, dim=1)
        if not return_attention:
            return logits
        if self.attention is None:
            source_len = 1 if memory.outputs is None else memory.outputs.shape[1]
            return logits, logits.new_zeros(logits.shape[0], logits.shape[1], source_len)
        return logits, torch.stack(weights, dim=1)

    def encode(self, src: torch.Tensor, src_lengths: torch.Tensor | None) -> EncoderMemory:
        """Read the source once; the result is what every decoding step attends to.

        Parameters
        ----------
        src : Tensor
            Sources, as for :meth:`forward`.
        src_lengths : Tensor of shape (batch,) or None
            Source lengths (None for vector sources).

        Returns
        -------
        memory : EncoderMemory
            The encoder's outputs, padding mask, projected keys and summary.
        """
        if self.encoder is None:
            return EncoderMemory(None, None, None, src)
        outputs, summary = self.encoder(src, src_lengths)
        mask = torch.arange(outputs.shape[1], device=outputs.device)[None, :] < src_lengths.to(outputs.device)[:, None]
        keys = None if self.attention is None else self.attention.project_keys(outputs)
        return EncoderMemory(outputs, mask, keys, summary)

    def initial_state(self, memory: EncoderMemory) -> DecoderState:
        """Bridge the encoder's final state (or the source vector) to the decoder's first state.

        Parameters
        ----------
        memory : EncoderMemory
            From :meth:`encode`.

        Returns
        -------
        state : DecoderState
        """
        hidden = torch.tanh(self.bridge(memory.summary)).view(-1, self.num_layers, self.hidden_size)
        cell = hidden if isinstance(self.rnn, (nn.LSTM, VariantLSTM)) else None
        return DecoderState(hidden, cell, hidden.new_zeros(hidden.shape[0], self.hidden_size))

    def step(
        self, tokens: torch.Tensor, state: DecoderState, memory: EncoderMemory
    ) -> tuple[torch.Tensor, DecoderState, torch.Tensor | None]:
        """Advance the decoder by one token per row.

        Parameters
        ----------
        tokens : Tensor of shape (batch,)
            The previous target token of every row (``BOS`` at the start).
        state : DecoderState
            From :meth:`initial_state` or the previous step.
        memory : EncoderMemory
            From :meth:`encode`, with the same rows as ``state``.

        Returns
        -------
        logits : Tensor of shape (batch, num_embeddings)
        state : DecoderState
        weights : Tensor of shape (batch, source_len), or None without attention
        """
        x = torch.cat([self.dropout(self.embedding(tokens)), state.feed], dim=-1)[:, None, :]
        hidden = state.hidden.transpose(0, 1).contiguous()
        if state.cell is None:
            outputs, hidden = self.rnn(x, hidden)
            cell = None
        else:
            outputs, (hidden, cell) = self.rnn(x, (hidden, state.cell.transpose(0, 1).contiguous()))
            cell = cell.transpose(0, 1)
        query = outputs[:, 0]
        if self.attention is None:
            context, weights = memory.summary, None
        else:
            context, weights = self.attention(query, memory.outputs, memory.mask, memory.projected_keys)
        feed = torch.tanh(self.combine(torch.cat([query, context], dim=-1)))
        return self.head(self.dropout(feed)), DecoderState(hidden.transpose(0, 1), cell, feed), weights

    def layer_table(self) -> list[tuple[str, str, tuple, int]]:
        """Rows ``(name, layer type, output shape, parameter count)``; ``None`` is the batch, ``'T'`` time."""
        encoder = [] if self.encoder is None else self.encoder.layer_specs()
        decoder = [
            ("bridge", self.bridge, (None, self.bridge.out_features)),
            ("embedding", self.embedding, (None, "T", self.embedding.embedding_dim)),
            ("rnn", self.rnn, (None, "T", self.hidden_size)),
        ]
        if self.attention is not None:
            decoder.append(("attention", self.attention, (None, "T", "S")))
        decoder += [("combine", self.combine, (None, "T", self.hidden_size)),
                    ("head", self.head, (None, "T", self.head.out_features))]
        return layer_rows([*[(f"encoder {n}", la, s) for n, la, s in encoder],
                           *[(f"decoder {n}", la, s) for n, la, s in decoder]])


def sequence_log_likelihood(
    net: Seq2SeqNet, src: torch.Tensor, src_lengths: torch.Tensor | None, targets: torch.Tensor, *,
    bos_idx: int, pad_idx: int,
) -> torch.Tensor:
    """Log-likelihood of each target given its source.

    The sum of the log-probabilities of the target tokens (``EOS`` included) under
    teacher forcing; padding is ignored. This is the unpenalised score of the same
    output under :func:`greedy_decode` or :func:`beam_search`.

    Parameters
    ----------
    net : Seq2SeqNet
        The network, in the mode (eval/train) the caller wants.
    src : Tensor
        Sources, as for :meth:`Seq2SeqNet.forward`.
    src_lengths : Tensor of shape (batch,) or None
        Source lengths (None for vector sources).
    targets : Tensor of shape (batch, target_len)
        Target ids ending in ``EOS``, padded with ``pad_idx``.
    bos_idx, pad_idx : int
        Ids of the start token and of padding.

    Returns
    -------
    log_likelihood : Tensor of shape (batch,)

    Examples
    --------
    >>> import torch
    >>> net = Seq2SeqNet(RecurrentEncoder(1, 4, num_embeddings=6, embedding_dim=3), 5, embedding_dim=3, hidden_size=4)
    >>> with torch.no_grad():
    ...     net.head.weight.zero_(), net.head.bias.zero_()  # uniform over 5 ids: log(1/5) per token
    ...     ll = sequence_log_likelihood(net, torch.tensor([[4, 5]]), torch.tensor([2]),
    ...                                  torch.tensor([[3, 2, 0]]), bos_idx=1, pad_idx=0)
    (...)
    >>> round(float(ll[0]), 4)  # two tokens (3 and EOS=2): 2 log(1/5)
    -3.2189
    """
    tgt_in = torch.cat([torch.full_like(targets[:, :1], bos_idx), targets[:, :-1]], dim=1)
    log_probs = torch.log_softmax(net(src, src_lengths, tgt_in).float(), dim=-1)
    picked = log_probs.gather(-1, targets[..., None])[..., 0]
    return picked.masked_fill(targets == pad_idx, 0.0).sum(dim=1)
