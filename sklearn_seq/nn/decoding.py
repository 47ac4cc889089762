"""Batched greedy and beam-search decoding of an encoder-decoder network.

Both decoders run the whole batch at once (a loop over time steps, none over
sentences) and keep every sentence's computation in its own rows, so a sentence's
output never depends on the other sentences of its batch. The network needs three
methods (as :class:`Seq2SeqNet` has): ``encode(src, src_lengths) -> memory``,
``initial_state(memory) -> state`` and ``step(tokens, state, memory) -> (logits,
state, attention weights or None)``, where memory and state are batch-first
tensors or (named) tuples of them.
"""

from __future__ import annotations

from typing import NamedTuple

import torch

from .seq2seq import Seq2SeqNet


class Hypotheses(NamedTuple):
    """Decoded outputs: ids ending in ``EOS`` and padded, their scores and attention."""

    tokens: torch.Tensor  # greedy: (batch, T); beam: (batch, n_best, T)
    scores: torch.Tensor  # greedy: (batch,); beam: (batch, n_best)
    attention: torch.Tensor | None  # tokens' shape + (source_len,); None unless asked for


def _select_rows(tree, index: torch.Tensor):
    """Rows ``index`` of every tensor of a (named) tuple of batch-first tensors (None stays None)."""
    if tree is None:
        return None
    if isinstance(tree, torch.Tensor):
        return tree.index_select(0, index)
    return type(tree)(*(_select_rows(item, index) for item in tree))


def _caps(max_length: int | torch.Tensor, batch: int, device: torch.device) -> torch.Tensor:
    """Per-sentence caps on the number of tokens before ``EOS``, as a ``(batch,)`` long tensor."""
    caps = torch.as_tensor(max_length, dtype=torch.long, device=device).expand(batch)
    if bool((caps < 0).any()):
        raise ValueError("max_length must be non-negative")
    return caps


def _log_probs(logits: torch.Tensor, at_cap: torch.Tensor, *, bos_idx: int, eos_idx: int, pad_idx: int,
               unk_idx: int | None, too_short: torch.Tensor) -> torch.Tensor:
    """The model's log-probabilities, with ``BOS``/``PAD`` never chosen and only ``EOS`` allowed at a cap.

    Forbidden ids are set to -inf without renormalising, so that a hypothesis's score
    stays the model's log-likelihood of it.
    """
    log_probs = torch.log_softmax(logits.float(), dim=-1)
    vocab = torch.arange(log_probs.shape[-1], device=log_probs.device)
    never = (vocab == bos_idx) | (vocab == pad_idx) | (vocab == (-1 if unk_idx is None else unk_idx))
    forbidden = (never[None, :] | (at_cap[:, None] & (vocab != eos_idx)[None, :])
                 | ((too_short & ~at_cap)[:, None] & (vocab == eos_idx)[None, :]))
    return log_probs.masked_fill(forbidden, float("-inf"))


@torch.no_grad()
def greedy_decode(
    net: Seq2SeqNet,
    src: torch.Tensor,
    src_lengths: torch.Tensor | None,
    *,
    max_length: int | torch.Tensor,
    bos_idx: int,
    eos_idx: int,
    pad_idx: int,
    unk_idx: int | None = None,
    min_length: int = 0,
    return_attention: bool = False,
) -> Hypotheses:
    """Decode a batch by choosing the most likely token at every step.

    Parameters
    ----------
    net : Seq2SeqNet
        The network (put it in eval mode first).
    src : Tensor
        Sources, as for :meth:`Seq2SeqNet.forward`.
    src_lengths : Tensor of shape (batch,) or None
        Source lengths (None for vector sources).
    max_length : int or Tensor of shape (batch,)
        Most tokens before ``EOS``, for all sentences or per sentence (e.g. twice
        each source's length); at the cap ``EOS`` is forced.
    bos_idx, eos_idx, pad_idx : int
        Start, end and padding ids. ``BOS`` and ``PAD`` are never produced.
    unk_idx : int, default=None
        Id of the unknown token, never produced when given.
    min_length : int, default=0
        Fewest tokens before ``EOS`` (unless a cap is smaller), e.g. 1 when no
        target is empty.
    return_attention : bool, default=False
        Also return each output's attention weights.

    Returns
    -------
    Hypotheses
        ``tokens`` of shape ``(batch, T)``: the outputs, ``EOS`` included, then
        ``PAD``; ``scores`` of shape ``(batch,)``: their log-likelihoods (a finished
        sentence's score stays frozen); ``attention`` of shape ``(batch, T,
        source_len)`` (rows after ``EOS`` are zero) or None.

    Examples
    --------
    >>> import torch
    >>> from sklearn_seq.nn import RecurrentEncoder, Seq2SeqNet
    >>> _ = torch.manual_seed(0)
    >>> net = Seq2SeqNet(RecurrentEncoder(1, 8, num_embeddings=6, embedding_dim=4), 6, embedding_dim=4,
    ...                  hidden_size=8).eval()
    >>> out = greedy_decode(net, torch.tensor([[4, 5, 3], [5, 0, 0]]), torch.tensor([3, 1]), max_length=4,
    ...                     bos_idx=1, eos_idx=2, pad_idx=0, return_attention=True)
    >>> out.tokens.shape[0], tuple(out.scores.shape), out.attention.shape[2]
    (2, (2,), 3)
    """
    batch = src.shape[0]
    memory = net.encode(src, src_lengths)
    state = net.initial_state(memory)
    caps = _caps(max_length, batch, src.device)
    tokens = torch.full((batch,), bos_idx, dtype=torch.long, device=src.device)
    finished = torch.zeros(batch, dtype=torch.bool, device=src.device)
    scores = torch.zeros(batch, device=src.device)
    outputs, attention = [], []
    for t in range(int(caps.max()) + 1):
        logits, state, weights = net.step(tokens, state, memory)
        best, tokens = _log_probs(logits, t >= caps, bos_idx=bos_idx, eos_idx=eos_idx, pad_idx=pad_idx,
                                  unk_idx=unk_idx, too_short=torch.full_like(caps, t < min_length, dtype=torch.bool)
                                  ).max(dim=-1)
        tokens = tokens.masked_fill(finished, pad_idx)
        scores = scores + best.masked_fill(finished, 0.0)
        outputs.append(tokens)
        if return_attention and weights is not None:
            attention.append(weights.masked_fill(finished[:, None], 0.0))
        finished = finished | (tokens == eos_idx)
        if bool(finished.all()):
            break
    tokens = torch.stack(outputs, dim=1)
    if not return_attention:
        return Hypotheses(tokens, scores, None)
    if not attention:  # no attention in the network
        return Hypotheses(tokens, scores, scores.new_zeros(batch, tokens.shape[1], _source_len(memory)))
    return Hypotheses(tokens, scores, torch.stack(attention, dim=1))


def _padded_to(tensor: torch.Tensor, steps: int, fill: float) -> torch.Tensor:
    """``tensor`` of shape ``(batch, n, t, ...)`` padded with ``fill`` to ``steps`` along its third axis."""
    padded = tensor.new_full((*tensor.shape[:2], steps, *tensor.shape[3:]), fill)
    padded[:, :, : tensor.shape[2]] = tensor
    return padded


def _source_len(memory) -> int:
    """Source steps of a batch (1 for vector sources), for the all-zero attention of a network without it."""
    outputs = getattr(memory, "outputs", None)
    return 1 if outputs is None else outputs.shape[1]


@torch.no_grad()
def beam_search(
    net: Seq2SeqNet,
    src: torch.Tensor,
    src_lengths: torch.Tensor | None,
    *,
    beam_size: int,
    max_length: int | torch.Tensor,
    bos_idx: int,
    eos_idx: int,
    pad_idx: int,
    unk_idx: int | None = None,
    min_length: int = 0,
    length_penalty: float = 0.0,
    n_best: int = 1,
    return_attention: bool = False,
) -> Hypotheses:
    """Decode a batch with beam search; every sentence keeps its own ``beam_size`` hypotheses.

    At every step each live hypothesis is extended by every token and the
    ``2 * beam_size`` best extensions of a sentence (by summed log-probability) are
    kept as candidates. Candidates that end in ``EOS`` among its best ``beam_size``
    are finished: they leave the beam with their score frozen at
    ``log_likelihood / length ** length_penalty`` (``length`` counts ``EOS``, as
    fairseq does) and take one of the sentence's ``beam_size`` places for finished
    hypotheses if they beat the worst one there. The best ``beam_size`` other
    candidates form the next beam. A sentence stops at its cap (where ``EOS`` is
    forced), or once its finished hypotheses all score at least as well as its best
    live one would if it ended now. (Stopping at the first ``beam_size`` finished
    hypotheses, as fairseq does, lets unlikely early endings crowd out the likely
    long output: on number words it lost 15 points of exact match to greedy.)

    Parameters
    ----------
    net : Seq2SeqNet
        The network (put it in eval mode first).
    src : Tensor
        Sources, as for :meth:`Seq2SeqNet.forward`.
    src_lengths : Tensor of shape (batch,) or None
        Source lengths (None for vector sources).
    beam_size : int
        Hypotheses kept per sentence.
    max_length : int or Tensor of shape (batch,)
        Most tokens before ``EOS``, for all sentences or per sentence.
    bos_idx, eos_idx, pad_idx : int
        Start, end and padding ids. ``BOS`` and ``PAD`` are never produced.
    unk_idx : int, default=None
        Id of the unknown token, never produced when given.
    min_length : int, default=0
        Fewest tokens before ``EOS`` (unless a cap is smaller), e.g. 1 when no
        target is empty.
    length_penalty : float, default=0.0
        Exponent alpha of the length normalisation; 0 ranks by log-likelihood,
        1 by log-likelihood per token; larger favours longer outputs.
    n_best : int, default=1
        Hypotheses returned per sentence, best first (at most ``beam_size``).
    return_attention : bool, default=False
        Also return each hypothesis's attention weights.

    Returns
    -------
    Hypotheses
        ``tokens`` of shape ``(batch, n_best, T)`` (``EOS`` included, then ``PAD``),
        ``scores`` of shape ``(batch, n_best)`` (length-penalised, descending; -inf for
        slots the search could not fill), ``attention`` of shape ``(batch, n_best, T,
        source_len)`` or None.

    Examples
    --------
    >>> import torch
    >>> from sklearn_seq.nn import RecurrentEncoder, Seq2SeqNet
    >>> _ = torch.manual_seed(0)
    >>> net = Seq2SeqNet(RecurrentEncoder(1, 8, num_embeddings=6, embedding_dim=4), 6, embedding_dim=4,
    ...                  hidden_size=8).eval()
    >>> out = beam_search(net, torch.tensor([[4, 5, 3], [5, 0, 0]]), torch.tensor([3, 1]), beam_size=3,
    ...                   max_length=4, bos_idx=1, eos_idx=2, pad_idx=0, n_best=2)
    >>> tuple(out.scores.shape), bool((out.scores[:, 0] >= out.scores[:, 1]).all())
    ((2, 2), True)
    """
    if not 1 <= n_best <= beam_size:
        raise ValueError(f"n_best must be between 1 and beam_size={beam_size}, got {n_best}")
    batch, k, device = src.shape[0], beam_size, src.device
    memory = _select_rows(net.encode(src, src_lengths), torch.arange(batch, device=device).repeat_interleave(k))
    state = net.initial_state(memory)
    caps = _caps(max_length, batch, device)
    steps = int(caps.max()) + 1
    rows = torch.arange(batch, device=device)[:, None]
    # Live beam: only the first hypothesis exists at the start (the others are -inf).
    scores = torch.full((batch, k), float("-inf"), device=device)
    scores[:, 0] = 0.0
    tokens = torch.full((batch * k,), bos_idx, dtype=torch.long, device=device)
    history = torch.zeros(batch, k, 0, dtype=torch.long, device=device)
    history_attention = None
    # Finished hypotheses: up to k per sentence, with their frozen penalised scores.
    done_tokens = torch.full((batch, k, steps), pad_idx, dtype=torch.long, device=device)
    done_scores = torch.full((batch, k), float("-inf"), device=device)
    done_attention = None
    stopped = torch.zeros(batch, dtype=torch.bool, device=device)
    for t in range(steps):
        logits, state, weights = net.step(tokens, state, memory)
        log_probs = _log_probs(logits, (t >= caps).repeat_interleave(k), bos_idx=bos_idx, eos_idx=eos_idx,
                               pad_idx=pad_idx, unk_idx=unk_idx,
                               too_short=torch.full((batch * k,), t < min_length, device=device))
        vocab = log_probs.shape[-1]
        candidates = (scores[:, :, None] + log_probs.view(batch, k, vocab)).view(batch, k * vocab)
        cand_scores, cand_index = candidates.topk(min(2 * k, k * vocab), dim=1)
        cand_beam, cand_token = cand_index // vocab, cand_index % vocab
        cand_history = torch.cat([history[rows, cand_beam], cand_token[..., None]], dim=2)
        cand_attention = None
        if return_attention and weights is not None:
            weights = weights.view(batch, k, 1, -1)
            if history_attention is None:
                history_attention = weights.new_zeros(batch, k, 0, weights.shape[-1])
                done_attention = weights.new_zeros(batch, k, steps, weights.shape[-1])
            cand_attention = torch.cat([history_attention, weights], dim=2)[rows, cand_beam]
        is_eos = cand_token == eos_idx
        # EOS candidates among a sentence's best k compete with its finished hypotheses for the k places.
        finish = is_eos & torch.isfinite(cand_scores) & ~stopped[:, None]
        finish[:, k:] = False
        ended = torch.where(finish, cand_scores / float(t + 1) ** length_penalty, float("-inf"))
        done_scores, best = torch.cat([done_scores, ended], dim=1).topk(k, dim=1)
        ended_tokens = _padded_to(cand_history.masked_fill(~finish[..., None], pad_idx), steps, pad_idx)
        done_tokens = torch.cat([done_tokens, ended_tokens], dim=1)[rows, best]
        if cand_attention is not None:
            ended_attention = _padded_to(cand_attention.masked_fill(~finish[..., None, None], 0.0), steps, 0.0)
            done_attention = torch.cat([done_attention, ended_attention], dim=1)[rows, best]
        # A sentence stops at its cap, or when its k finished hypotheses all score at least as well as its
        # best live one would if it ended now (the heuristic of Hugging Face's beam search).
        live_best = torch.where(is_eos, float("-inf"), cand_scores).max(dim=1).values / float(t + 1) ** length_penalty
        full = torch.isfinite(done_scores).all(dim=1)
        stopped |= (full & (done_scores[:, -1] >= live_best)) | (t >= caps)
        if bool(stopped.all()):
            break
        # The next beam: the best k candidates that did not end (a stable sort keeps score order).
        keep = torch.sort(is_eos.to(torch.int8), dim=1, stable=True).indices[:, :k]
        scores = cand_scores.gather(1, keep)
        beam = cand_beam.gather(1, keep)
        history = cand_history[rows, keep]
        if cand_attention is not None:
            history_attention = cand_attention[rows, keep]
        tokens = cand_token.gather(1, keep).view(-1)
        state = _select_rows(state, (rows * k + beam).view(-1))
    order = done_scores.sort(dim=1, descending=True, stable=True).indices[:, :n_best]
    tokens = done_tokens[rows, order]
    length = int((tokens != pad_idx).sum(dim=2).max())
    tokens, scores = tokens[:, :, :length], done_scores.gather(1, order)
    if not return_attention:
        return Hypotheses(tokens, scores, None)
    if done_attention is None:  # no attention in the network
        return Hypotheses(tokens, scores, scores.new_zeros(*tokens.shape, _source_len(memory)))
    return Hypotheses(tokens, scores, done_attention[rows, order, :length])
