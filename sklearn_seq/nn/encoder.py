"""Sequence encoder: optional embedding and convolutions, then recurrent layers, a TCN or a Transformer."""

from __future__ import annotations

import torch
from torch import nn

from .init import initialize
from .layers import (
    RECURRENT_CELLS,
    ConvLayer,
    RecurrentLayer,
    SequenceStack,
    TransformerStack,
    make_rnn,
    run_rnn,
)
from .lstm_variants import VariantLSTM

ENCODER_CELLS = (*RECURRENT_CELLS, "conv", "transformer")


class RecurrentEncoder(nn.Module):
    """Encode padded sequences with a recurrent network, a temporal convolution network or a Transformer.

    Padding never reaches a sequence's result. A forward-only recurrent encoder runs
    over the batch (trimmed to its longest sequence) and masks the steps past each
    length; a bidirectional one starts its backward direction at each sequence's own
    end (packing the batch for torch's cells). Convolutions see zeros past each end and
    attention never looks at padded steps.

    ``bidirectional`` also says what the non-recurrent encoders may see: False makes
    convolutions causal and the Transformer's attention masked to the past, so that a
    step's output never depends on later steps (what a language model needs); True lets
    every step see both sides.

    Parameters
    ----------
    input_size : int
        Features per step; ignored when ``num_embeddings`` is set.
    hidden_size : int or list of int
        Hidden units per direction and layer (channels of ``'conv'``, model width of
        ``'transformer'``); a list gives one size per layer.
    cell : {'rnn', 'lstm', 'gru', 'peephole_lstm', 'coupled_lstm', 'conv', 'transformer'}, default='lstm'
        ``'rnn'`` is the Elman network with a tanh activation; ``'peephole_lstm'`` and
        ``'coupled_lstm'`` are the lectures' LSTM variants (:class:`VariantLSTM`);
        ``'conv'`` stacks 1-D convolutions whose dilation doubles at each layer (a
        temporal convolution network); ``'transformer'`` is a small pre-norm Transformer
        encoder with sinusoidal positions.
    num_layers : int, default=1
        Number of stacked layers (the length of ``hidden_size`` when it is a list).
    bidirectional : bool, default=False
        Recurrent cells: also run the sequence backwards and concatenate both directions.
        ``'conv'`` and ``'transformer'``: let each step see later steps too.
    dropout : float, default=0.0
        Dropout between stacked layers and on the encoder's outputs.
    forget_bias : float, default=1.0
        Initial LSTM forget-gate bias (``b_ih + b_hh``), as Keras does; ignored by cells
        without a forget gate.
    num_embeddings : int or None, default=None
        Vocabulary size. When set, inputs are integer token ids embedded by a trainable
        :class:`~torch.nn.Embedding` whose index 0 is padding.
    embedding_dim : int or None, default=None
        Size of the token embedding; required with ``num_embeddings``.
    embedding_weights : Tensor of shape (num_embeddings, embedding_dim) or None, default=None
        Initial embedding (e.g. pre-trained word vectors); sets ``num_embeddings`` and
        ``embedding_dim`` when those are None.
    freeze_embedding : bool, default=False
        Exclude the embedding from training.
    init : {'keras', 'torch'}, default='keras'
        Initial weights: Keras's defaults (see :func:`~sklearn_seq.nn.initialize`;
        ``embedding_weights`` are kept as given) or PyTorch's.
    residual : bool, default=False
        Skip connections between stacked layers (not for ``'transformer'``, which has its own).
    layer_norm : bool, default=False
        Normalise each layer's outputs (not for ``'transformer'``, which has its own).
    conv_channels : int, list of int or None, default=None
        Channels of 1-D convolutions (+ ReLU) applied before a recurrent encoder, one
        layer per entry (the lectures' CNN + RNN).
    conv_kernel_size : int, default=3
        Kernel size of those convolutions and of ``'conv'``.
    num_heads : int, default=4
        Attention heads of ``'transformer'``.

    Examples
    --------
    >>> import torch
    >>> encoder = RecurrentEncoder(3, 8, cell="gru", bidirectional=True)
    >>> outputs, last = encoder(torch.zeros(2, 5, 3), torch.tensor([5, 2]))
    >>> tuple(outputs.shape), tuple(last.shape)
    ((2, 5, 16), (2, 16))
    >>> encoder = RecurrentEncoder(3, [8, 6], cell="peephole_lstm", residual=True, layer_norm=True, conv_channels=4)
    >>> tuple(encoder(torch.zeros(2, 5, 3), torch.tensor([5, 2]))[1].shape)
    (2, 6)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int | list[int],
        *,
        cell: str = "lstm",
        num_layers: int = 1,
        bidirectional: bool = False,
        dropout: float = 0.0,
        forget_bias: float = 1.0,
        num_embeddings: int | None = None,
        embedding_dim: int | None = None,
        embedding_weights: torch.Tensor | None = None,
        freeze_embedding: bool = False,
        init: str = "keras",
        residual: bool = False,
        layer_norm: bool = False,
        conv_channels: int | list[int] | None = None,
        conv_kernel_size: int = 3,
        num_heads: int = 4,
    ) -> None:
        super().__init__()
        if cell not in ENCODER_CELLS:
            raise ValueError(f"cell must be one of {ENCODER_CELLS}, got {cell!r}")
        self.embedding = None
        if embedding_weights is not None:
            self.embedding = nn.Embedding.from_pretrained(embedding_weights, freeze=freeze_embedding, padding_idx=0)
        elif num_embeddings is not None:
            self.embedding = nn.Embedding(num_embeddings, embedding_dim, padding_idx=0)
            self.embedding.weight.requires_grad_(not freeze_embedding)
        if self.embedding is not None:
            input_size = self.embedding.embedding_dim
        self.input_size = input_size
        self.causal = not bidirectional
        self.conv = None
        if conv_channels is not None:
            if cell not in RECURRENT_CELLS:
                raise ValueError(f"conv_channels puts convolutions before a recurrent encoder, but cell={cell!r}")
            channels = [conv_channels] if isinstance(conv_channels, int) else list(conv_channels)
            layers = _conv_layers(input_size, channels, conv_kernel_size, self.causal, dilated=False)
            self.conv = SequenceStack(layers, input_size)
            input_size = channels[-1]
        sizes = list(hidden_size) if isinstance(hidden_size, (list, tuple)) else [hidden_size] * num_layers
        self.rnn = _sequence_model(cell, input_size, sizes, bidirectional=bidirectional, dropout=dropout,
                                   residual=residual, layer_norm=layer_norm, kernel_size=conv_kernel_size,
                                   num_heads=num_heads)
        self.dropout = nn.Dropout(dropout)
        self.output_size = getattr(self.rnn, "output_size", sizes[-1] * (2 if bidirectional else 1))
        if embedding_weights is None and self.embedding is not None:
            initialize(self.embedding, init)
        for layers in (self.conv, self.rnn):
            if layers is not None:
                initialize(layers, init, forget_bias=forget_bias)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return per-step outputs ``(batch, time, output_size)`` and the final state ``(batch, output_size)``.

        Outputs past a sequence's length are zero. The final state is the output at the
        last valid step; for a bidirectional recurrent encoder, the forward direction's
        output there concatenated with the backward direction's output at the first step.

        Parameters
        ----------
        x : Tensor of shape (batch, time, input_size), or (batch, time) of token ids
            Zero-padded input sequences.
        lengths : Tensor of shape (batch,)
            Number of valid steps of each sequence.
        """
        if self.embedding is not None:
            x = self.embedding(x)
        lengths = lengths.to(x.device)
        outputs = self._encode(x, lengths)
        padded = bool((lengths < x.shape[1]).any())
        return self.dropout(outputs), self.dropout(self._final_state(outputs, lengths, padded))

    def _encode(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        if self.conv is not None:
            x = self.conv(x, lengths)
        if isinstance(self.rnn, (nn.RNNBase, VariantLSTM)):
            return run_rnn(self.rnn, x, lengths)
        return self.rnn(x, lengths)

    def step(self, x: torch.Tensor, state: object = None) -> tuple[torch.Tensor, object]:
        """Advance a causal encoder by one step, for generation.

        A plain recurrent encoder carries its recurrent state. The others (convolutions,
        Transformer, skip connections or normalisation between layers) carry the inputs
        read so far and encode them again at each step, which their causality makes
        equal to the whole sequence's outputs.

        Parameters
        ----------
        x : Tensor of shape (batch, 1, input_size), or (batch, 1) of token ids
            The current step of every sequence.
        state : object, default=None
            What the previous call returned; None starts anew.

        Returns
        -------
        outputs : Tensor of shape (batch, output_size)
            The encoder's outputs at this step (before dropout).
        state : object
            To pass to the next call.
        """
        if not self.causal:
            raise ValueError("a bidirectional network reads the whole sequence; it cannot run step by step")
        if self.embedding is not None:
            x = self.embedding(x)
        if self.conv is None and isinstance(self.rnn, (nn.RNNBase, VariantLSTM)):
            outputs, state = self.rnn(x, state)
            return outputs[:, 0], state
        history = x if state is None else torch.cat([state, x], dim=1)
        lengths = torch.full((x.shape[0],), history.shape[1], dtype=torch.long, device=x.device)
        return self._encode(history, lengths)[:, -1], history

    def layer_specs(self) -> list[tuple[str, nn.Module, tuple]]:
        """``(name, layer, output shape)`` of the encoder's layers, for a network's summary table."""
        specs = []
        if self.embedding is not None:
            specs.append(("embedding", self.embedding, (None, "T", self.embedding.embedding_dim)))
        if self.conv is not None:
            specs += _stack_specs("conv", self.conv)
        if isinstance(self.rnn, TransformerStack):
            specs += _transformer_specs(self.rnn)
        elif isinstance(self.rnn, SequenceStack):
            specs += _stack_specs("conv" if isinstance(self.rnn.layers[0], ConvLayer) else "rnn", self.rnn)
        else:
            specs.append(("rnn", self.rnn, (None, "T", self.output_size)))
        if self.dropout.p > 0:
            specs.append(("dropout", self.dropout, (None, "T", self.output_size)))
        return specs

    def _final_state(self, outputs: torch.Tensor, lengths: torch.Tensor, padded: bool) -> torch.Tensor:
        hidden = self.rnn.hidden_size
        if padded:
            forward = outputs[torch.arange(lengths.shape[0], device=outputs.device), lengths - 1, :hidden]
        else:  # plain slicing: cheaper than a gather, in the backward pass too
            forward = outputs[:, -1, :hidden]
        if not self.rnn.bidirectional:
            return forward
        return torch.cat([forward, outputs[:, 0, hidden:]], dim=-1)


def _conv_layers(input_size: int, channels: list[int], kernel_size: int, causal: bool, *,
                 dilated: bool) -> list[nn.Module]:
    sizes = [input_size, *channels]
    return [ConvLayer(sizes[k], sizes[k + 1], kernel_size, dilation=2 ** k if dilated else 1, causal=causal)
            for k in range(len(channels))]


def check_transformer_options(sizes: list[int], num_heads: int, *, residual: bool, layer_norm: bool) -> None:
    """Refuse options a Transformer stack cannot honour: it has its own skips and norms, one width."""
    for name, value in (("residual", residual), ("layer_norm", layer_norm)):
        if value:
            raise ValueError(f"{name}=True: the Transformer's layers always have skip connections and layer "
                             "normalisation (pre-norm); leave it False")
    if len(set(sizes)) > 1:
        raise ValueError(f"the Transformer's layers share one width, got hidden_size={sizes}")
    if sizes[0] % num_heads:
        raise ValueError(f"hidden_size={sizes[0]} must be a multiple of num_heads={num_heads} "
                         "(each head reads an equal share of the width)")


def _sequence_model(cell: str, input_size: int, sizes: list[int], *, bidirectional: bool, dropout: float,
                    residual: bool, layer_norm: bool, kernel_size: int, num_heads: int) -> nn.Module:
    """The module behind ``cell``: torch's or our RNN when nothing needs the layers apart, else a stack."""
    if cell == "transformer":
        check_transformer_options(sizes, num_heads, residual=residual, layer_norm=layer_norm)
        return TransformerStack(input_size, sizes[0], len(sizes), num_heads, dropout=dropout,
                                causal=not bidirectional)
    if cell == "conv":
        layers = _conv_layers(input_size, sizes, kernel_size, not bidirectional, dilated=True)
        return SequenceStack(layers, input_size, residual=residual, layer_norm=layer_norm, dropout=dropout)
    if residual or layer_norm or len(set(sizes)) > 1:
        directions = 2 if bidirectional else 1
        inputs = [input_size] + [size * directions for size in sizes[:-1]]
        layers = [RecurrentLayer(cell, n_in, size, bidirectional) for n_in, size in zip(inputs, sizes, strict=True)]
        return SequenceStack(layers, input_size, residual=residual, layer_norm=layer_norm, dropout=dropout,
                             bidirectional=bidirectional, hidden_size=sizes[-1])
    return make_rnn(cell, input_size, sizes[0], num_layers=len(sizes), bidirectional=bidirectional,
                    dropout=dropout if len(sizes) > 1 else 0.0)


def _stack_specs(prefix: str, stack: SequenceStack) -> list[tuple[str, nn.Module, tuple]]:
    specs = []
    for k, layer in enumerate(stack.layers):
        shape = (None, "T", layer.output_size)
        specs.append((f"{prefix} {k}", layer.rnn if isinstance(layer, RecurrentLayer) else layer.conv, shape))
        if stack.norms is not None:
            specs.append((f"{prefix} {k} norm", stack.norms[k], shape))
        if stack.skips is not None and k > 0 and not isinstance(stack.skips[k - 1], nn.Identity):
            specs.append((f"{prefix} {k} skip", stack.skips[k - 1], shape))
    return specs


def _transformer_specs(stack: TransformerStack) -> list[tuple[str, nn.Module, tuple]]:
    shape = (None, "T", stack.output_size)
    specs = [("transformer input", stack.input, shape)]
    if stack.positions is not None:
        specs.append(("transformer positions", stack.positions, shape))
    specs += [(f"transformer {k}", layer, shape) for k, layer in enumerate(stack.layers)]
    return [*specs, ("transformer norm", stack.norm, shape)]


def layer_rows(specs: list[tuple[str, nn.Module, tuple]]) -> list[tuple[str, str, tuple, int]]:
    """Turn ``(name, layer, output shape)`` specs into summary rows with types and parameter counts."""
    return [(name, type(layer).__name__, shape, sum(p.numel() for p in layer.parameters()))
            for name, layer, shape in specs]

