"""Many-to-many network: an encoder and a linear head applied at every step."""

from __future__ import annotations

import torch
from torch import nn

from .encoder import RecurrentEncoder, layer_rows
from .init import initialize
from .weighting import WeightedCrossEntropyLoss


class ManyToManyNet(nn.Module):
    """Map each step of a sequence to an output vector (tag logits, next-symbol logits).

    Parameters
    ----------
    encoder : RecurrentEncoder
        Produces the per-step outputs.
    out_features : int
        Outputs per step, e.g. the number of tags or of symbols.
    input_layer : torch.nn.Module or None, default=None
        Applied to the inputs before the encoder, e.g. a :class:`WordCharEmbedding`.
    init : {'keras', 'torch'}, default='keras'
        Initial weights of the layers this module adds (see :func:`~sklearn_seq.nn.initialize`).

    Examples
    --------
    >>> import torch
    >>> net = ManyToManyNet(RecurrentEncoder(1, 8, num_embeddings=10, embedding_dim=4), out_features=10)
    >>> tuple(net(torch.tensor([[3, 4, 5], [6, 0, 0]]), torch.tensor([3, 1])).shape)
    (2, 3, 10)
    >>> logits, state = net.step(torch.tensor([3, 6]))  # one step of generation
    >>> tuple(logits.shape)
    (2, 10)
    """

    def __init__(
        self, encoder: RecurrentEncoder, out_features: int, *, input_layer: nn.Module | None = None,
        init: str = "keras",
    ) -> None:
        super().__init__()
        self.input_layer = input_layer
        self.encoder = encoder
        self.head = nn.Linear(encoder.output_size, out_features)
        initialize(self.head, init)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Return ``(batch, time, out_features)`` outputs; rows past a sequence's length are the head's bias.

        Parameters
        ----------
        x : Tensor of shape (batch, time, ...) or (batch, time) of token ids
            Zero-padded inputs, as ``input_layer`` (or else the encoder) takes them.
        lengths : Tensor of shape (batch,)
            Number of valid steps of each sequence.
        """
        if self.input_layer is not None:
            x = self.input_layer(x)
        outputs, _ = self.encoder(x, lengths)
        return self.head(outputs)

    def step(self, x: torch.Tensor, state: object = None) -> tuple[torch.Tensor, object]:
        """Advance a forward-only network by one step, for generation.

        Parameters
        ----------
        x : Tensor of shape (batch,) of token ids, or (batch, input_size)
            The current input of every sequence.
        state : object, default=None
            The state returned by the previous call (see :meth:`RecurrentEncoder.step`); None starts anew.

        Returns
        -------
        outputs : Tensor of shape (batch, out_features)
            The outputs for this step.
        state : object
            The state to pass to the next call.
        """
        x = x[:, None]
        if self.input_layer is not None:
            x = self.input_layer(x)
        outputs, state = self.encoder.step(x, state)
        return self.head(self.encoder.dropout(outputs)), state

    def layer_table(self) -> list[tuple[str, str, tuple, int]]:
        """Rows ``(name, layer type, output shape, parameter count)``; ``None`` is the batch, ``'T'`` time."""
        specs = self.encoder.layer_specs()
        if self.input_layer is not None:
            specs.insert(0, ("input", self.input_layer, (None, "T", self.encoder.input_size)))
        return layer_rows([*specs, ("head", self.head, (None, "T", self.head.out_features))])


class PerStepCrossEntropyLoss(WeightedCrossEntropyLoss):
    """Cross-entropy over ``(batch, time, classes)`` logits; targets equal to ``ignore_index`` (padding) are skipped.

    Examples
    --------
    >>> import torch
    >>> loss = PerStepCrossEntropyLoss()
    >>> logits = torch.zeros(1, 3, 4)
    >>> float(loss(logits, torch.tensor([[2, 0, -100]])))  # uniform over 4 classes: log 4
    1.3862943649291992
    """

    def forward(self, input: torch.Tensor, target: torch.Tensor,  # noqa: A002 (torch's name)
                sample_weight: torch.Tensor | None = None) -> torch.Tensor:
        """Return the mean cross-entropy over the steps whose target is not ``ignore_index``.

        Parameters
        ----------
        input : Tensor of shape (batch, time, n_classes)
            Logits of every step.
        target : Tensor of shape (batch, time)
            Class index of every step; ``ignore_index`` marks padding.
        sample_weight : Tensor of shape (batch,), default=None
            Weight of each sequence, shared by its steps (see :func:`weighted_mean`).
        """
        return super().forward(input.transpose(1, 2), target, sample_weight)
