"""Sequence layers behind ``RecurrentEncoder``'s ``cell``: stacks with skips and norms, convolutions, a Transformer.

Every module here maps ``(x, lengths)`` to batch-first outputs in which padding never
reaches a valid step, and zeroes the steps past each length.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .lstm_variants import VariantLSTM

RECURRENT_CELLS = ("rnn", "lstm", "gru", "peephole_lstm", "coupled_lstm")


def valid_steps(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """``(batch, time, 1)`` mask, True at the steps before each sequence's length."""
    return (torch.arange(x.shape[1], device=x.device)[None, :] < lengths.to(x.device)[:, None])[..., None]


def make_rnn(cell: str, input_size: int, hidden_size: int, **kwargs) -> nn.Module:
    """The batch-first recurrent module of ``cell`` (``num_layers``, ``bidirectional``, ``dropout`` in ``kwargs``)."""
    if cell in ("peephole_lstm", "coupled_lstm"):
        return VariantLSTM(input_size, hidden_size, peephole=cell == "peephole_lstm", coupled=cell == "coupled_lstm",
                           **kwargs)
    return {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](input_size, hidden_size, batch_first=True, **kwargs)


def run_rnn(rnn: nn.Module, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """The outputs of a batch-first recurrent module over padded ``x``, zero past each length."""
    padded = bool((lengths < x.shape[1]).any())
    if isinstance(rnn, VariantLSTM):
        outputs = rnn(x, lengths=lengths if padded else None)[0]
    elif rnn.bidirectional and padded:
        # The backward direction must start at each sequence's own end: pack.
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        return pad_packed_sequence(rnn(packed)[0], batch_first=True, total_length=x.shape[1])[0]
    else:
        # Padding after a sequence's end cannot reach its earlier steps in a forward
        # pass, and an unpacked batch runs 3-4x faster on CPU (fused kernels).
        outputs = rnn(x)[0]
    return outputs * valid_steps(x, lengths) if padded else outputs


class RecurrentLayer(nn.Module):
    """One recurrent layer (any of ``RECURRENT_CELLS``) as a stack member."""

    def __init__(self, cell: str, input_size: int, hidden_size: int, bidirectional: bool) -> None:
        super().__init__()
        self.rnn = make_rnn(cell, input_size, hidden_size, bidirectional=bidirectional)
        self.output_size = hidden_size * (2 if bidirectional else 1)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return run_rnn(self.rnn, x, lengths)


class ConvLayer(nn.Module):
    """1-D convolution + ReLU over time; causal (only past steps) or centred.

    The steps past each length are zeroed before convolving, so a centred
    convolution sees at a sequence's end exactly the zeros it would see without padding.
    """

    def __init__(self, input_size: int, channels: int, kernel_size: int, *, dilation: int = 1,
                 causal: bool = True) -> None:
        super().__init__()
        self.conv = nn.Conv1d(input_size, channels, kernel_size, dilation=dilation)
        span = (kernel_size - 1) * dilation
        self.padding = (span, 0) if causal else (span // 2, span - span // 2)
        self.output_size = channels

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        x = (x * valid_steps(x, lengths)).transpose(1, 2)
        return torch.relu(self.conv(nn.functional.pad(x, self.padding))).transpose(1, 2)


class SequenceStack(nn.Module):
    """Stacked sequence layers with optional skip connections and layer normalisation.

    Layer ``k`` maps ``x_k`` to ``y_k = f_k(x_k)``; with ``layer_norm`` ``y_k =
    LayerNorm(y_k)``; with ``residual``, from the second layer on, ``y_k = y_k + P_k x_k``
    where ``P_k`` is the identity, or a linear map when the sizes differ. Dropout acts
    between layers.

    Parameters
    ----------
    layers : list of nn.Module
        Modules mapping ``(x, lengths)`` to ``(batch, time, output_size)``, each with ``output_size``.
    input_size : int
        Features per step of the first layer's input.
    residual : bool, default=False
        Skip connections between stacked layers.
    layer_norm : bool, default=False
        Normalise each layer's outputs over their features.
    dropout : float, default=0.0
        Dropout on the outputs of every layer but the last, in training.
    bidirectional : bool, default=False
        Whether the outputs are two recurrent directions' halves (for the final state).
    hidden_size : int or None, default=None
        Units per direction of the top layer; its ``output_size`` when None.
    """

    def __init__(self, layers: list[nn.Module], input_size: int, *, residual: bool = False, layer_norm: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, hidden_size: int | None = None) -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        sizes = [input_size] + [layer.output_size for layer in layers]
        self.norms = nn.ModuleList(nn.LayerNorm(size) for size in sizes[1:]) if layer_norm else None
        self.skips = None
        if residual:
            self.skips = nn.ModuleList(
                nn.Identity() if before == after else nn.Linear(before, after, bias=False)
                for before, after in zip(sizes[1:-1], sizes[2:], strict=True)
            )
        self.dropout = dropout
        self.input_size, self.output_size = input_size, sizes[-1]
        self.bidirectional = bidirectional
        self.hidden_size = hidden_size or sizes[-1]

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        for k, layer in enumerate(self.layers):
            y = layer(x, lengths)
            if self.norms is not None:
                y = self.norms[k](y)
            if self.skips is not None and k > 0:
                y = y + self.skips[k - 1](x)
            if k < len(self.layers) - 1 and self.dropout > 0:
                y = nn.functional.dropout(y, self.dropout, self.training)
            x = y
        return x * valid_steps(x, lengths)


def sinusoidal_positions(length: int, size: int, device: torch.device | None = None) -> torch.Tensor:
    """Vaswani et al.'s ``(length, size)`` position codes: sines and cosines of geometric frequencies."""
    position = torch.arange(length, device=device, dtype=torch.float32)[:, None]
    frequency = torch.exp(torch.arange(0, size, 2, device=device, dtype=torch.float32) * (-math.log(10000.0) / size))
    codes = torch.zeros(length, size, device=device)
    codes[:, 0::2] = torch.sin(position * frequency)
    codes[:, 1::2] = torch.cos(position * frequency)[:, :size // 2]
    return codes


class TransformerStack(nn.Module):
    """A small Transformer encoder: input projection, positions, pre-norm layers, final norm.

    Padded steps are masked out of the attention (they are never keys); with ``causal``
    a step attends to itself and earlier steps only, as a language model must.

    Parameters
    ----------
    input_size : int
        Features per step.
    d_model : int
        Width of the layers (``hidden_size``); a multiple of ``num_heads``.
    num_layers : int
        Encoder layers (self-attention + feed-forward of width ``4 * d_model``).
    num_heads : int
        Attention heads.
    dropout : float, default=0.0
        Dropout inside the layers.
    causal : bool, default=False
        Mask the future.
    positions : {'sinusoidal', 'learned'}, default='sinusoidal'
        Fixed sinusoidal codes, or a trained embedding of each position.
    max_length : int or None, default=None
        Longest sequence, required with ``positions='learned'``.
    """

    def __init__(self, input_size: int, d_model: int, num_layers: int, num_heads: int, *, dropout: float = 0.0,
                 causal: bool = False, positions: str = "sinusoidal", max_length: int | None = None) -> None:
        super().__init__()
        if positions not in ("sinusoidal", "learned"):
            raise ValueError(f"positions must be 'sinusoidal' or 'learned', got {positions!r}")
        if positions == "learned" and max_length is None:
            raise ValueError("learned positions need max_length")
        self.input = nn.Linear(input_size, d_model)
        self.positions = nn.Embedding(max_length, d_model) if positions == "learned" else None
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, num_heads, 4 * d_model, dropout, batch_first=True, norm_first=True)
            for _ in range(num_layers)
        )
        self.norm = nn.LayerNorm(d_model)
        self.causal = causal
        self.input_size, self.output_size, self.hidden_size = input_size, d_model, d_model
        self.bidirectional = False  # one output, not two directions' halves

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        length = x.shape[1]
        h = self.input(x)
        if self.positions is None:
            h = h + sinusoidal_positions(length, h.shape[2], h.device)
        else:
            h = h + self.positions(torch.arange(length, device=x.device))
        valid = valid_steps(x, lengths)
        padding = ~valid[..., 0]
        mask = None
        if self.causal:
            mask = torch.ones(length, length, dtype=torch.bool, device=x.device).triu(1)
        for layer in self.layers:
            h = layer(h, src_mask=mask, src_key_padding_mask=padding)
        return self.norm(h) * valid
