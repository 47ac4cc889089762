"""Reduce per-step encoder outputs to one vector per sequence (many-to-one)."""

from __future__ import annotations

import torch
from torch import nn

POOLING_MODES = ("last", "mean", "max", "attention")


class SequencePooling(nn.Module):
    """Pool encoder outputs over time, ignoring padding.

    Parameters
    ----------
    mode : {'last', 'mean', 'max', 'attention'}
        ``'last'`` takes the encoder's final state; ``'mean'`` and ``'max'`` pool the
        per-step outputs over the valid steps; ``'attention'`` learns additive
        attention weights ``a_t = softmax_t(v^T tanh(W h_t))`` and returns ``sum_t a_t h_t``.
    size : int
        Size of one step's encoder output.

    Examples
    --------
    >>> import torch
    >>> pooling = SequencePooling("mean", 4)
    >>> outputs = torch.ones(2, 3, 4)
    >>> pooled, weights = pooling(outputs, outputs[:, -1], torch.tensor([3, 1]))
    >>> tuple(pooled.shape), weights
    ((2, 4), None)
    """

    def __init__(self, mode: str, size: int) -> None:
        super().__init__()
        if mode not in POOLING_MODES:
            raise ValueError(f"mode must be one of {POOLING_MODES}, got {mode!r}")
        self.mode = mode
        self.score = None
        if mode == "attention":
            self.score = nn.Sequential(nn.Linear(size, size), nn.Tanh(), nn.Linear(size, 1, bias=False))

    def forward(
        self, outputs: torch.Tensor, last: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Return the pooled ``(batch, size)`` tensor and the attention weights ``(batch, time)`` or None.

        Parameters
        ----------
        outputs : Tensor of shape (batch, time, size)
            The encoder's per-step outputs.
        last : Tensor of shape (batch, size)
            The encoder's final state, returned as it is by ``'last'``.
        lengths : Tensor of shape (batch,)
            Number of valid steps of each sequence; later steps are ignored.
        """
        if self.mode == "last":
            return last, None
        valid = torch.arange(outputs.shape[1], device=outputs.device)[None, :] < lengths.to(outputs.device)[:, None]
        if self.mode == "mean":
            summed = (outputs * valid[..., None]).sum(dim=1)
            return summed / valid.sum(dim=1, keepdim=True), None
        if self.mode == "max":
            return outputs.masked_fill(~valid[..., None], float("-inf")).amax(dim=1), None
        scores = self.score(outputs).squeeze(-1).masked_fill(~valid, float("-inf"))
        weights = torch.softmax(scores, dim=1)
        return torch.bmm(weights[:, None, :], outputs).squeeze(1), weights
