"""Masked attention of a decoder over encoder states: additive (Bahdanau) and multiplicative (Luong)."""

from __future__ import annotations

import torch
from torch import nn


class _MaskedAttention(nn.Module):
    """Shared part: keys are projected once per source, scores are masked before the softmax."""

    def project_keys(self, keys: torch.Tensor) -> torch.Tensor:
        """Precompute the part of the scores that depends on the keys only (once per source, not per step).

        Parameters
        ----------
        keys : Tensor of shape (batch, source_len, key_size)
            The encoder's outputs.

        Returns
        -------
        projected : Tensor of shape (batch, source_len, score_size)
            The keys where the scores are computed (the hidden layer of the additive
            score, the query space of the multiplicative one).
        """
        return self.key_layer(keys)

    def forward(
        self, query: torch.Tensor, keys: torch.Tensor, mask: torch.Tensor, projected_keys: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Attend from one query per row to that row's keys.

        Parameters
        ----------
        query : Tensor of shape (batch, query_size)
            The decoder's current state.
        keys : Tensor of shape (batch, source_len, key_size)
            The encoder's outputs (also the values that are averaged).
        mask : bool Tensor of shape (batch, source_len)
            True at real source steps, False at padding.
        projected_keys : Tensor or None, default=None
            ``project_keys(keys)``, when already computed.

        Returns
        -------
        context : Tensor of shape (batch, key_size)
            The weighted average of the keys.
        weights : Tensor of shape (batch, source_len)
            The attention weights: each row sums to 1 and padding gets exactly 0.
        """
        if projected_keys is None:
            projected_keys = self.project_keys(keys)
        scores = self._scores(query, projected_keys).masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return torch.bmm(weights[:, None, :], keys)[:, 0], weights


class BahdanauAttention(_MaskedAttention):
    """Additive attention: ``score(q, k) = v' tanh(W_q q + W_k k)`` (Bahdanau et al., 2015).

    Parameters
    ----------
    query_size : int
        Size of the decoder state that asks.
    key_size : int
        Size of each encoder output.
    hidden_size : int or None, default=None
        Size of the hidden layer of the score; ``query_size`` when None.

    Examples
    --------
    >>> import torch
    >>> attention = BahdanauAttention(4, 6)
    >>> keys, mask = torch.randn(2, 3, 6), torch.tensor([[True, True, True], [True, False, False]])
    >>> context, weights = attention(torch.randn(2, 4), keys, mask)
    >>> tuple(context.shape), weights[1].tolist()
    ((2, 6), [1.0, 0.0, 0.0])
    """

    def __init__(self, query_size: int, key_size: int, hidden_size: int | None = None) -> None:
        super().__init__()
        hidden_size = query_size if hidden_size is None else hidden_size
        self.key_layer = nn.Linear(key_size, hidden_size, bias=False)
        self.query_layer = nn.Linear(query_size, hidden_size, bias=False)
        self.energy = nn.Linear(hidden_size, 1, bias=False)

    def _scores(self, query: torch.Tensor, projected_keys: torch.Tensor) -> torch.Tensor:
        return self.energy(torch.tanh(projected_keys + self.query_layer(query)[:, None, :]))[..., 0]


class LuongAttention(_MaskedAttention):
    """Multiplicative ("general") attention: ``score(q, k) = q' W k`` (Luong et al., 2015).

    Parameters
    ----------
    query_size : int
        Size of the decoder state that asks.
    key_size : int
        Size of each encoder output.

    Examples
    --------
    >>> import torch
    >>> attention = LuongAttention(4, 6)
    >>> context, weights = attention(torch.randn(2, 4), torch.randn(2, 3, 6), torch.ones(2, 3, dtype=torch.bool))
    >>> tuple(context.shape), [round(s, 5) for s in weights.sum(dim=1).tolist()]
    ((2, 6), [1.0, 1.0])
    """

    def __init__(self, query_size: int, key_size: int) -> None:
        super().__init__()
        self.key_layer = nn.Linear(key_size, query_size, bias=False)

    def _scores(self, query: torch.Tensor, projected_keys: torch.Tensor) -> torch.Tensor:
        return torch.bmm(projected_keys, query[:, :, None])[..., 0]
