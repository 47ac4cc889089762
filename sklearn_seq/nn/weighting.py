"""Per-sample weights in the losses: a weighted mean that keeps each loss's own normalisation.

A loss is a sum of weighted element losses ``L`` (one per sample, or one per step or
output of a sample; ``c * l`` for element weight ``c``) divided by a sum of element
weights ``c`` (1 per valid element, or the class weight of its target). A sample weight
``w_i`` multiplies both for every element of sample ``i``: the loss of a batch is
``sum(w_i * L) / sum(w_i * c)``. All-one weights give the unweighted loss, a zero
weight drops the sample, and a sequence's steps all carry its weight.
"""

from __future__ import annotations

import torch
from torch import nn


def weighted_mean(losses: torch.Tensor, element_weight: torch.Tensor, sample_weight: torch.Tensor) -> torch.Tensor:
    """``sum(w_i * L) / sum(w_i * c)`` over a batch; 0 when every weight of the batch is 0.

    ``L`` are the element losses already multiplied by their element weights ``c``, as
    torch's losses return them with ``reduction='none'`` (with class weights, label
    smoothing weighs each class's term by its own weight: not ``c`` times one loss).

    Parameters
    ----------
    losses : Tensor of shape (batch, ...)
        Element losses times their element weights, finite everywhere (0 where ``element_weight`` is 0).
    element_weight : Tensor of shape (batch, ...)
        Weight of each element in the unweighted mean (1, 0 for padding, or a class weight).
    sample_weight : Tensor of shape (batch,)
        Weight of each sample, shared by its elements.

    Examples
    --------
    >>> import torch
    >>> losses = torch.tensor([[1.0, 3.0], [10.0, 0.0]])
    >>> valid = torch.tensor([[1.0, 1.0], [1.0, 0.0]])  # the second sample has one step
    >>> float(weighted_mean(losses, valid, torch.tensor([1.0, 0.0])))  # the second sample dropped
    2.0
    """
    sample_weight = sample_weight.to(losses.dtype).reshape(-1, *([1] * (losses.dim() - 1)))
    # A batch of zero weights contributes nothing (not 0 / 0).
    total = (sample_weight * element_weight).sum().clamp(min=torch.finfo(losses.dtype).tiny)
    return (sample_weight * losses).sum() / total


def _mean_reduction_only(loss: nn.Module) -> None:
    """Refuse a ``reduction`` other than the weighted mean these losses compute."""
    if loss.reduction != "mean":
        raise ValueError(f"{type(loss).__name__} takes reduction='mean' only (a weighted mean over the batch), "
                         f"got reduction={loss.reduction!r}")


class WeightedCrossEntropyLoss(nn.CrossEntropyLoss):
    """:class:`torch.nn.CrossEntropyLoss` (mean reduction) that also takes a weight per sample.

    All-one sample weights give torch's loss, class weights and label smoothing included;
    another ``reduction`` than ``'mean'`` is refused.

    Examples
    --------
    >>> import torch
    >>> loss = WeightedCrossEntropyLoss()
    >>> logits, target = torch.tensor([[0.0, 0.0], [9.0, -9.0]]), torch.tensor([0, 0])
    >>> round(float(loss(logits, target, sample_weight=torch.tensor([1.0, 0.0]))), 4)  # log 2, the first alone
    0.6931
    """

    def forward(self, input: torch.Tensor, target: torch.Tensor,  # noqa: A002 (torch's name)
                sample_weight: torch.Tensor | None = None) -> torch.Tensor:
        """Return the (class- and sample-) weighted mean cross-entropy of the targets not ``ignore_index``.

        Parameters
        ----------
        input : Tensor of shape (batch, n_classes) or (batch, n_classes, time)
            Logits.
        target : Tensor of shape (batch,) or (batch, time)
            Class indices; ``ignore_index`` marks padding.
        sample_weight : Tensor of shape (batch,), default=None
            Weight of each sample (all its steps); None weighs them equally.
        """
        _mean_reduction_only(self)
        valid = target != self.ignore_index
        losses = nn.functional.cross_entropy(input, target, weight=self.weight, reduction="none",
                                             ignore_index=self.ignore_index, label_smoothing=self.label_smoothing)
        element_weight = valid.to(losses.dtype)
        if self.weight is not None:
            element_weight = element_weight * self.weight[torch.where(valid, target, 0)]
        if sample_weight is None:
            sample_weight = torch.ones(len(target), dtype=losses.dtype, device=losses.device)
        return weighted_mean(losses, element_weight, sample_weight)


class WeightedMSELoss(nn.MSELoss):
    """:class:`torch.nn.MSELoss` (mean reduction) that also takes a weight per sample.

    All-one sample weights give torch's loss; another ``reduction`` than ``'mean'`` is refused.

    Examples
    --------
    >>> import torch
    >>> loss = WeightedMSELoss()
    >>> float(loss(torch.tensor([[1.0], [5.0]]), torch.zeros(2, 1), sample_weight=torch.tensor([3.0, 1.0])))
    7.0
    """

    def forward(self, input: torch.Tensor, target: torch.Tensor,  # noqa: A002 (torch's name)
                sample_weight: torch.Tensor | None = None) -> torch.Tensor:
        """Return the mean squared error, each sample's outputs weighted by its weight.

        Parameters
        ----------
        input, target : Tensor of shape (batch, n_outputs)
            Predictions and targets.
        sample_weight : Tensor of shape (batch,), default=None
            Weight of each sample; None weighs them equally.
        """
        _mean_reduction_only(self)
        losses = (input - target) ** 2
        if sample_weight is None:
            sample_weight = torch.ones(len(losses), dtype=losses.dtype, device=losses.device)
        return weighted_mean(losses, torch.ones_like(losses), sample_weight)
