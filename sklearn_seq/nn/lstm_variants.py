"""The lectures' LSTM variants: peephole connections and coupled input/forget gates.

With ``peephole=True`` the gates also read the cell state, as the lectures write them
(a full matrix on the cell state, not Gers and Schmidhuber's diagonal)::

    f_t = σ(W_f·[C_{t-1}, h_{t-1}, x_t] + b_f)
    i_t = σ(W_i·[C_{t-1}, h_{t-1}, x_t] + b_i)
    o_t = σ(W_o·[C_t, h_{t-1}, x_t] + b_o)

With ``coupled=True`` one gate decides both what to forget and what to write:
``C_t = f_t * C_{t-1} + (1 - f_t) * C̃_t`` (there is no input gate). With both off the
module computes exactly what :class:`torch.nn.LSTM` computes, with the same parameters.
"""

from __future__ import annotations

import math

import torch
from torch import nn


# Plain Python on purpose: torch.jit.script made this loop 1.3x slower in processor time (torch 2.13, CPU).
def _recurrence(
    xw: torch.Tensor, w_rec: torch.Tensor, w_co: torch.Tensor | None, h: torch.Tensor, c: torch.Tensor,
    valid: torch.Tensor | None, coupled: bool,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Run one layer and direction over ``xw`` (the inputs' gate terms, biases included).

    Per step one matmul gives every gate's recurrent term: ``[h, C] @ w_rec`` with
    peepholes (``w_rec`` then has zero columns where a gate does not read ``C_{t-1}``),
    else ``h @ w_rec``. The output gate's peephole reads ``C_t``, known only after the
    cell update: a second, ``H × H`` matmul (``w_co``). Past a sequence's end (``valid``
    False) the state is carried unchanged, so the final state is the last valid one.
    """
    hidden = h.shape[-1]
    outputs: list[torch.Tensor] = []
    for t in range(xw.shape[1]):
        state = h if w_co is None else torch.cat([h, c], dim=1)
        gates = xw[:, t] + state @ w_rec
        if coupled:
            forget = torch.sigmoid(gates[:, :hidden])
            candidate = torch.tanh(gates[:, hidden:2 * hidden])
            out_gate = gates[:, 2 * hidden:]
            c_new = forget * c + (1 - forget) * candidate
        else:
            write = torch.sigmoid(gates[:, :hidden])
            forget = torch.sigmoid(gates[:, hidden:2 * hidden])
            candidate = torch.tanh(gates[:, 2 * hidden:3 * hidden])
            out_gate = gates[:, 3 * hidden:]
            c_new = forget * c + write * candidate
        if w_co is not None:
            out_gate = out_gate + c_new @ w_co
        h_new = torch.sigmoid(out_gate) * torch.tanh(c_new)
        if valid is not None:
            keep = valid[:, t, None]
            h_new, c_new = torch.where(keep, h_new, h), torch.where(keep, c_new, c)
        h, c = h_new, c_new
        outputs.append(h)
    return torch.stack(outputs, dim=1), h, c


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each sequence of a batch-first ``x`` within its own length; padding stays in place.

    Applying it twice gives ``x`` back, so a backward direction runs as a forward one
    over reversed sequences and its outputs are reversed back.
    """
    steps = torch.arange(x.shape[1], device=x.device)[None, :]
    lengths = lengths.to(x.device)[:, None]
    index = torch.where(steps < lengths, lengths - 1 - steps, steps)
    return x.gather(1, index[..., None].expand(-1, -1, x.shape[2]))


class VariantLSTM(nn.Module):
    """LSTM with optional peephole connections and coupled input/forget gates (batch first).

    Parameters follow :class:`torch.nn.LSTM`'s names and layout, so that weights move
    between the two and initialisers that know torch's names cover them:
    ``weight_ih_l{k}[_reverse]`` ``(G·H, input)``, ``weight_hh_l{k}[_reverse]``
    ``(G·H, H)``, ``bias_ih_l{k}[_reverse]`` and ``bias_hh_l{k}[_reverse]`` ``(G·H,)``,
    gates stacked along the rows in PyTorch's order: ``i, f, g, o`` (``G = 4``), or
    ``f, g, o`` when coupled (``G = 3``). The peephole weights ``weight_ch_l{k}[_reverse]``
    ``(P·H, H)`` hold the rows of the gates that read the cell state, in the same order:
    ``i, f, o`` (``P = 3``), or ``f, o`` when coupled.

    Parameters
    ----------
    input_size : int
        Features per step.
    hidden_size : int
        Hidden units per layer and direction.
    num_layers : int, default=1
        Stacked layers.
    bidirectional : bool, default=False
        Also run each sequence backwards (from its own end when ``lengths`` are given).
    dropout : float, default=0.0
        Dropout on the outputs of every layer but the last, in training.
    peephole : bool, default=False
        Let the gates read the cell state (see the module docstring).
    coupled : bool, default=False
        Couple the input gate to the forget gate: ``i_t = 1 - f_t``.

    Examples
    --------
    >>> import torch
    >>> lstm = VariantLSTM(3, 4, peephole=True, coupled=True, bidirectional=True)
    >>> outputs, (h, c) = lstm(torch.zeros(2, 5, 3), lengths=torch.tensor([5, 2]))
    >>> tuple(outputs.shape), tuple(h.shape), tuple(lstm.weight_ch_l0.shape)
    ((2, 5, 8), (2, 2, 4), (8, 4))
    """

    def __init__(
        self, input_size: int, hidden_size: int, num_layers: int = 1, *, bidirectional: bool = False,
        dropout: float = 0.0, peephole: bool = False, coupled: bool = False,
    ) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bidirectional, self.dropout, self.peephole, self.coupled = bidirectional, dropout, peephole, coupled
        self.n_gates = 3 if coupled else 4
        # The rows of the forget gate (for its initial bias).
        self.forget_rows = slice(0, hidden_size) if coupled else slice(hidden_size, 2 * hidden_size)
        directions = 2 if bidirectional else 1
        rows = self.n_gates * hidden_size
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else hidden_size * directions
            for suffix in self._suffixes(layer):
                self.register_parameter(f"weight_ih{suffix}", nn.Parameter(torch.empty(rows, layer_input)))
                self.register_parameter(f"weight_hh{suffix}", nn.Parameter(torch.empty(rows, hidden_size)))
                self.register_parameter(f"bias_ih{suffix}", nn.Parameter(torch.empty(rows)))
                self.register_parameter(f"bias_hh{suffix}", nn.Parameter(torch.empty(rows)))
                if peephole:
                    peep_rows = (self.n_gates - 1) * hidden_size
                    self.register_parameter(f"weight_ch{suffix}", nn.Parameter(torch.empty(peep_rows, hidden_size)))
        self.reset_parameters()

    def _suffixes(self, layer: int) -> tuple[str, ...]:
        return (f"_l{layer}", f"_l{layer}_reverse") if self.bidirectional else (f"_l{layer}",)

    def reset_parameters(self) -> None:
        """PyTorch's LSTM initialisation: every weight and bias uniform in ``±1/sqrt(hidden_size)``."""
        bound = 1 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            nn.init.uniform_(weight, -bound, bound)

    def _recurrent_matrices(self, suffix: str) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``w_rec`` and ``w_co`` of :func:`_recurrence`, transposed for ``state @ w``."""
        w_hh = getattr(self, f"weight_hh{suffix}")
        if not self.peephole:
            return w_hh.t(), None
        hidden = self.hidden_size
        w_ch = getattr(self, f"weight_ch{suffix}")
        # The cell-state columns: each reading gate's rows before the output gate, zero for the candidate.
        before_candidate = w_ch[:hidden * (self.n_gates - 3)]  # i (absent when coupled)
        forget = w_ch[hidden * (self.n_gates - 3):hidden * (self.n_gates - 2)]
        zeros = w_ch.new_zeros(2 * hidden, hidden)  # candidate and output gate rows
        cell_columns = torch.cat([before_candidate, forget, zeros], dim=0)
        return torch.cat([w_hh, cell_columns], dim=1).t(), w_ch[-hidden:].t()

    def forward(
        self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None,
        lengths: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """Return the top layer's outputs ``(batch, time, directions * H)`` and the final ``(h_n, c_n)``.

        Parameters
        ----------
        x : Tensor of shape (batch, time, input_size)
            Input sequences, batch first.
        state : tuple of Tensor of shape (num_layers * directions, batch, hidden_size), default=None
            Initial ``(h_0, c_0)`` as :class:`torch.nn.LSTM` takes them; zeros when None.
        lengths : Tensor of shape (batch,), default=None
            Valid steps of each sequence: the backward direction starts at each one's own
            end and ``(h_n, c_n)`` is each one's last valid state. None: every step is valid.
        """
        directions = 2 if self.bidirectional else 1
        batch = x.shape[0]
        if state is None:
            zeros = x.new_zeros(self.num_layers * directions, batch, self.hidden_size)
            state = (zeros, zeros)
        valid = None
        if lengths is not None:
            valid = torch.arange(x.shape[1], device=x.device)[None, :] < lengths.to(x.device)[:, None]
        h_n, c_n = [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction, suffix in enumerate(self._suffixes(layer)):
                reverse = direction == 1
                inputs = x
                if reverse:
                    inputs = reverse_padded(x, lengths) if lengths is not None else x.flip(1)
                xw = (inputs @ getattr(self, f"weight_ih{suffix}").t() + getattr(self, f"bias_ih{suffix}")
                      + getattr(self, f"bias_hh{suffix}"))
                w_rec, w_co = self._recurrent_matrices(suffix)
                index = layer * directions + direction
                out, h, c = _recurrence(xw, w_rec, w_co, state[0][index], state[1][index], valid, self.coupled)
                if reverse:
                    out = reverse_padded(out, lengths) if lengths is not None else out.flip(1)
                outputs.append(out)
                h_n.append(h)
                c_n.append(c)
            x = torch.cat(outputs, dim=2) if directions == 2 else outputs[0]
            if layer < self.num_layers - 1 and self.dropout > 0:
                x = nn.functional.dropout(x, self.dropout, self.training)
        return x, (torch.stack(h_n), torch.stack(c_n))

    def extra_repr(self) -> str:
        return (f"{self.input_size}, {self.hidden_size}, num_layers={self.num_layers}, "
                f"bidirectional={self.bidirectional}, peephole={self.peephole}, coupled={self.coupled}")
