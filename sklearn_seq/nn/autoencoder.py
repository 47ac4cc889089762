"""Sequence autoencoder: encode a sequence into a fixed-size code, decode the code back."""

from __future__ import annotations

import torch
from torch import nn

from .encoder import RecurrentEncoder, layer_rows
from .init import initialize
from .weighting import weighted_mean


class SequenceAutoencoderNet(nn.Module):
    """Encoder, linear code, and a decoder that unrolls the code back into a sequence.

    The decoder reads the code at every step (for as many steps as the input
    had); a linear layer maps its outputs to the input's features, and another one
    to a logit that the sequence ends at that step (the end-of-sequence symbol of a
    language model, for real-valued steps), so that a code can be decoded without
    being told its length.

    Parameters
    ----------
    encoder : RecurrentEncoder
        Reads the input sequence; its final state becomes the code.
    decoder : RecurrentEncoder
        Forward-only network whose input at every step is the code.
    n_components : int
        Size of the code.
    n_features : int
        Features per step of the reconstruction.
    noise : float, default=0.0
        Standard deviation of the Gaussian noise added to the inputs in training
        mode (a denoising autoencoder).
    init : {'keras', 'torch'}, default='keras'
        Initial weights of the layers this module adds (see :func:`~sklearn_seq.nn.initialize`).

    Examples
    --------
    >>> import torch
    >>> net = SequenceAutoencoderNet(RecurrentEncoder(2, 8), RecurrentEncoder(3, 8), n_components=3, n_features=2)
    >>> x, lengths = torch.zeros(4, 6, 2), torch.tensor([6, 5, 2, 1])
    >>> values, end_logits = net(x, lengths)
    >>> tuple(net.encode(x, lengths).shape), tuple(values.shape), tuple(end_logits.shape)
    ((4, 3), (4, 6, 2), (4, 6))
    """

    def __init__(
        self, encoder: RecurrentEncoder, decoder: RecurrentEncoder, *, n_components: int, n_features: int,
        noise: float = 0.0, init: str = "keras",
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.code = nn.Linear(encoder.output_size, n_components)
        self.decoder = decoder
        self.head = nn.Linear(decoder.output_size, n_features)
        # The end has its own recurrent reader of the code and of the decoder's outputs, which it does not
        # train: sharing them cost 3-number codes of ragged waves 5 times the squared error (0.29 vs 0.06).
        self.end_reader = nn.GRU(n_components + decoder.output_size, decoder.output_size, batch_first=True)
        self.end = nn.Linear(decoder.output_size, 1)
        for layer in (self.code, self.head, self.end_reader, self.end):
            initialize(layer, init)
        self.noise = noise

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Reconstruct ``(batch, time, n_features)`` inputs, with ``(batch, time)`` end-of-sequence logits.

        Steps past a sequence's length are meaningless.

        Parameters
        ----------
        x : Tensor of shape (batch, time, n_features)
            Zero-padded input sequences.
        lengths : Tensor of shape (batch,)
            Number of valid steps of each sequence.
        """
        if self.training and self.noise > 0:
            x = x + self.noise * torch.randn_like(x)
        return self.decode(self.encode(x, lengths), lengths)

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Return the ``(batch, n_components)`` codes.

        Parameters
        ----------
        x : Tensor of shape (batch, time, n_features)
            Zero-padded input sequences.
        lengths : Tensor of shape (batch,)
            Number of valid steps of each sequence.
        """
        return self.code(self.encoder(x, lengths)[1])

    def decode(self, code: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Unroll codes into ``(batch, max(lengths), n_features)`` sequences, with ``(batch, max(lengths))`` end logits.

        The decoder runs forward only, so a step's output never depends on how many
        steps follow: decoding further and cutting gives the same values.

        Parameters
        ----------
        code : Tensor of shape (batch, n_components)
            Codes, as :meth:`encode` returns them.
        lengths : Tensor of shape (batch,)
            Number of steps to decode for each code.
        """
        steps = code[:, None, :].expand(-1, int(lengths.max()), -1)
        outputs = self.decoder(steps, lengths)[0]
        end_states, _ = self.end_reader(torch.cat([steps, outputs], dim=2).detach())
        return self.head(outputs), self.end(end_states)[..., 0]

    def layer_table(self) -> list[tuple[str, str, tuple, int]]:
        """Rows ``(name, layer type, output shape, parameter count)``; ``None`` is the batch, ``'T'`` time."""
        return layer_rows([
            *[(f"encoder {name}", layer, shape) for name, layer, shape in self.encoder.layer_specs()],
            ("code", self.code, (None, self.code.out_features)),
            *[(f"decoder {name}", layer, shape) for name, layer, shape in self.decoder.layer_specs()],
            ("head", self.head, (None, "T", self.head.out_features)),
            ("end reader", self.end_reader, (None, "T", self.end_reader.hidden_size)),
            ("end", self.end, (None, "T", 1)),
        ])


class MaskedMSELoss(nn.Module):
    """Mean squared error over the target values that are not NaN (NaN marks padding).

    Examples
    --------
    >>> import torch
    >>> target = torch.tensor([[1.0, float("nan")]])
    >>> float(MaskedMSELoss()(torch.tensor([[3.0, 100.0]]), target))
    4.0
    """

    def forward(self, input: torch.Tensor, target: torch.Tensor,  # noqa: A002 (torch's name)
                sample_weight: torch.Tensor | None = None) -> torch.Tensor:
        """Return the mean squared error over the entries where ``target`` is not NaN.

        Parameters
        ----------
        input : Tensor of shape (batch, time, n_features)
            Reconstructions.
        target : Tensor of shape (batch, time, n_features)
            Values to reconstruct; NaN marks padding.
        sample_weight : Tensor of shape (batch,), default=None
            Weight of each sequence, shared by its entries (see :func:`~sklearn_seq.nn.weighting.weighted_mean`).
        """
        valid = ~torch.isnan(target)
        if sample_weight is None:
            return nn.functional.mse_loss(input[valid], target[valid])
        losses = torch.where(valid, input - torch.nan_to_num(target), 0) ** 2
        return weighted_mean(losses, valid.to(losses.dtype), sample_weight)


class ReconstructionLoss(nn.Module):
    """Masked squared error of the values plus the cross-entropy of the end-of-sequence logits.

    NaN targets mark padding: they are skipped, and the last step that is not NaN is
    the one whose end logit should fire.

    Examples
    --------
    >>> import torch
    >>> target = torch.tensor([[[1.0], [2.0], [float("nan")]]])
    >>> values, end_logits = torch.tensor([[[1.0], [2.0], [9.0]]]), torch.tensor([[-50.0, 50.0, 0.0]])
    >>> round(float(ReconstructionLoss()((values, end_logits), target)), 6)  # right values, confident right end
    0.0
    """

    def __init__(self) -> None:
        super().__init__()
        self.values = MaskedMSELoss()

    def forward(self, input: tuple[torch.Tensor, torch.Tensor], target: torch.Tensor,  # noqa: A002
                sample_weight: torch.Tensor | None = None) -> torch.Tensor:
        """The loss of one batch.

        Parameters
        ----------
        input : tuple of Tensor
            The network's ``(batch, time, n_features)`` values and ``(batch, time)`` end logits.
        target : Tensor of shape (batch, time, n_features)
            The sequences, NaN past each one's end.
        sample_weight : Tensor of shape (batch,), default=None
            Weight of each sequence in both terms, shared by its steps.

        Returns
        -------
        loss : Tensor
            The masked squared error plus the end's binary cross-entropy.
        """
        values, end_logits = input
        valid = ~torch.isnan(target[..., 0])
        ends = valid & ~torch.cat([valid[:, 1:], torch.zeros_like(valid[:, :1])], dim=1)
        if sample_weight is None:
            end_loss = nn.functional.binary_cross_entropy_with_logits(end_logits[valid],
                                                                      ends[valid].to(end_logits.dtype))
        else:
            losses = nn.functional.binary_cross_entropy_with_logits(end_logits, ends.to(end_logits.dtype),
                                                                    reduction="none")
            end_loss = weighted_mean(torch.where(valid, losses, 0), valid.to(losses.dtype), sample_weight)
        return self.values(values, target, sample_weight) + end_loss
