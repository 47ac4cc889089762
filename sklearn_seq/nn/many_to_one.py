"""Many-to-one network: encoder, pooling over time, and a linear head."""

from __future__ import annotations

import torch
from torch import nn

from .encoder import RecurrentEncoder, layer_rows
from .init import initialize
from .pooling import SequencePooling


class ManyToOneNet(nn.Module):
    """Map each sequence to one output vector (class logits or regression values).

    Parameters
    ----------
    encoder : RecurrentEncoder
        Produces per-step outputs and the final state.
    pooling : {'last', 'mean', 'max', 'attention'}
        How per-step outputs become one vector; see :class:`SequencePooling`.
    out_features : int
        Number of logits (classes) or regression targets.
    init : {'keras', 'torch'}, default='keras'
        Initial weights of the layers this module adds (see :func:`~sklearn_seq.nn.initialize`).

    Examples
    --------
    >>> import torch
    >>> net = ManyToOneNet(RecurrentEncoder(1, 8), "attention", out_features=3)
    >>> logits, weights = net(torch.zeros(4, 6, 1), torch.tensor([6, 6, 2, 1]), return_attention=True)
    >>> tuple(logits.shape), tuple(weights.shape)
    ((4, 3), (4, 6))
    """

    def __init__(self, encoder: RecurrentEncoder, pooling: str, out_features: int, *, init: str = "keras") -> None:
        super().__init__()
        self.encoder = encoder
        self.pooling = SequencePooling(pooling, encoder.output_size)
        self.head = nn.Linear(encoder.output_size, out_features)
        initialize(self.pooling, init)
        initialize(self.head, init)

    def forward(
        self, x: torch.Tensor, lengths: torch.Tensor, return_attention: bool = False
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor | None]:
        """Return ``(batch, out_features)`` outputs, with the attention weights if asked.

        Parameters
        ----------
        x : Tensor of shape (batch, time, input_size), or (batch, time) of token ids
            Zero-padded input sequences.
        lengths : Tensor of shape (batch,)
            Number of valid steps of each sequence.
        return_attention : bool, default=False
            Also return the ``(batch, time)`` attention weights (None unless pooling is ``'attention'``).
        """
        outputs, last = self.encoder(x, lengths)
        pooled, weights = self.pooling(outputs, last, lengths)
        out = self.head(pooled)
        return (out, weights) if return_attention else out

    def layer_table(self) -> list[tuple[str, str, tuple, int]]:
        """Rows ``(name, layer type, output shape, parameter count)``; ``None`` is the batch, ``'T'`` time."""
        size = self.encoder.output_size
        return layer_rows([
            *self.encoder.layer_specs(),
            (f"pooling ({self.pooling.mode})", self.pooling, (None, size)),
            ("head", self.head, (None, self.head.out_features)),
        ])
