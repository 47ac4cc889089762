"""Attention, the encoder-decoder network and its batched decoders (pure torch, no estimator)."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from sklearn_seq.datasets import make_reversal
from sklearn_seq.nn import (
    BahdanauAttention,
    LuongAttention,
    RecurrentEncoder,
    Seq2SeqNet,
    beam_search,
    greedy_decode,
    sequence_log_likelihood,
)

PAD, BOS, EOS = 0, 1, 2
IDS = {"bos_idx": BOS, "eos_idx": EOS, "pad_idx": PAD}
N_SYMBOLS = 8
VOCAB = 3 + N_SYMBOLS  # PAD, BOS, EOS, then the letters


def _pad(rows, value=PAD):
    """Stack lists of ids (or float arrays) into a padded tensor and their lengths."""
    rows = [torch.as_tensor(row) for row in rows]
    return nn.utils.rnn.pad_sequence(rows, batch_first=True, padding_value=value), torch.tensor([len(r) for r in rows])


def _encode(strings, *, end=False):
    return _pad([[ord(c) - ord("a") + 3 for c in s] + ([EOS] if end else []) for s in strings])


def _decode(tokens):
    return ["".join(chr(t - 3 + ord("a")) for t in row if t > EOS) for row in tokens.tolist()]


def _teacher_inputs(targets):
    """``BOS`` then the targets shifted right: the decoder's inputs under teacher forcing."""
    return torch.cat([torch.full_like(targets[:, :1], BOS), targets[:, :-1]], dim=1).masked_fill(targets == PAD, PAD)


def _net(attention="bahdanau", *, cell="gru", bidirectional=False, source="tokens", num_layers=1, seed=0):
    # PyTorch's initialisation: the decoding properties below were measured on these nets, and the
    # reversal recipe was tuned for them (with init='keras' it reached 0.55 and 0.99 greedy accuracy
    # on seeds 0 and 1, against 1.0 and 1.0); tests/test_nn_init.py covers the schemes themselves.
    torch.manual_seed(seed)
    encoder = None
    if source == "tokens":
        encoder = RecurrentEncoder(1, 16, cell=cell, bidirectional=bidirectional, num_layers=num_layers,
                                   num_embeddings=VOCAB, embedding_dim=8, init="torch")
    elif source == "sequence":
        encoder = RecurrentEncoder(3, 16, cell=cell, bidirectional=bidirectional, num_layers=num_layers, init="torch")
    return Seq2SeqNet(encoder, VOCAB, embedding_dim=8, hidden_size=16, cell=cell, num_layers=num_layers,
                      attention=attention, source_size=5 if source == "vector" else None, init="torch").eval()


# ----------------------------------------------------------------------------------------- attention


@pytest.mark.parametrize("attention", [BahdanauAttention(6, 10), LuongAttention(6, 10)], ids=["bahdanau", "luong"])
def test_attention_gives_padding_exactly_zero_weight(attention):
    generator = torch.Generator().manual_seed(0)
    keys = torch.randn(3, 7, 10, generator=generator)
    query = torch.randn(3, 6, generator=generator)
    lengths = torch.tensor([7, 3, 1])
    mask = torch.arange(7)[None, :] < lengths[:, None]
    context, weights = attention(query, keys, mask)
    assert weights.shape == (3, 7) and context.shape == (3, 10)
    assert torch.equal(weights[~mask], torch.zeros(int((~mask).sum())))
    assert bool((weights[mask] > 0).all())
    torch.testing.assert_close(weights.sum(dim=1), torch.ones(3), atol=1e-6, rtol=0)
    torch.testing.assert_close(context, torch.einsum("bs,bsk->bk", weights, keys))
    assert weights[2].tolist() == [1.0] + [0.0] * 6
    # Whatever the padded keys hold, the result is the same.
    garbage = keys.masked_fill(~mask[..., None], 1e4)
    context_garbage, weights_garbage = attention(query, garbage, mask)
    assert torch.equal(weights_garbage, weights)
    torch.testing.assert_close(context_garbage, context, atol=1e-6, rtol=0)


# ------------------------------------------------------------------------------------------- network


@pytest.mark.parametrize("attention", ["none", "bahdanau", "luong"])
@pytest.mark.parametrize(("source", "cell", "bidirectional", "num_layers"),
                         [("tokens", "lstm", True, 2), ("tokens", "rnn", False, 1), ("sequence", "gru", True, 1),
                          ("vector", "lstm", False, 2)])
def test_seq2seq_net_shapes(attention, source, cell, bidirectional, num_layers):
    if source == "vector" and attention != "none":
        with pytest.raises(ValueError, match="attention='none'"):
            _net(attention, source=source, cell=cell)
        return
    net = _net(attention, source=source, cell=cell, bidirectional=bidirectional, num_layers=num_layers)
    if source == "tokens":
        src, lengths = _pad([[3, 4, 5, 6], [7, 8]])
    elif source == "sequence":
        src, lengths = _pad([torch.randn(4, 3), torch.randn(2, 3)], value=0.0)
    else:
        src, lengths = torch.randn(2, 5), None
    tgt_in = torch.tensor([[BOS, 3, 4], [BOS, 5, PAD]])
    logits, weights = net(src, lengths, tgt_in, return_attention=True)
    assert logits.shape == (2, 3, VOCAB)
    assert weights.shape == (2, 3, 1 if source == "vector" else 4)
    if attention == "none":
        assert not weights.any()
    else:
        torch.testing.assert_close(weights.sum(dim=2), torch.ones(2, 3), atol=1e-6, rtol=0)
        assert not weights[1, :, 2:].any()  # the second source has 2 steps
    assert torch.equal(net(src, lengths, tgt_in), logits)
    names = [row[0] for row in net.layer_table()]
    assert ("attention" in " ".join(names)) == (attention != "none")


def test_seq2seq_net_rejects_bad_configurations():
    with pytest.raises(ValueError, match="attention must be one of"):
        Seq2SeqNet(None, 5, embedding_dim=2, hidden_size=2, source_size=3, attention="dot")
    with pytest.raises(ValueError, match="source_size is required"):
        Seq2SeqNet(None, 5, embedding_dim=2, hidden_size=2, attention="none")


def test_teacher_forcing_ratio_is_reproducible_with_a_generator():
    net = _net("luong")
    src, lengths = _encode(["abcdef", "gha"])
    targets, _ = _encode(["fedcba", "ahg"], end=True)
    tgt_in = _teacher_inputs(targets)
    forced = net(src, lengths, tgt_in)
    assert torch.equal(net(src, lengths, tgt_in, teacher_forcing_ratio=1.0), forced)
    first = net(src, lengths, tgt_in, teacher_forcing_ratio=0.0, generator=torch.Generator().manual_seed(3))
    second = net(src, lengths, tgt_in, teacher_forcing_ratio=0.0, generator=torch.Generator().manual_seed(3))
    assert torch.equal(first, second)
    # The first step always reads BOS; later steps read the network's own guesses, not the targets.
    assert torch.equal(first[:, 0], forced[:, 0])
    assert not torch.allclose(first[:, 1:], forced[:, 1:])
    # Ratio 0 is free running: the same as feeding the greedy outputs.
    own = torch.cat([tgt_in[:, :1], first.argmax(-1)[:, :-1]], dim=1)
    torch.testing.assert_close(net(src, lengths, own), first)


def test_sequence_log_likelihood_sums_target_log_probs_and_ignores_padding():
    net = _net("bahdanau")
    src, lengths = _encode(["abc", "defgh"])
    targets, target_lengths = _encode(["cba", "hgfed"], end=True)
    with torch.no_grad():
        log_likelihood = sequence_log_likelihood(net, src, lengths, targets, **{"bos_idx": BOS, "pad_idx": PAD})
        log_probs = torch.log_softmax(net(src, lengths, _teacher_inputs(targets)), dim=-1)
        by_hand = [float(sum(log_probs[i, t, targets[i, t]] for t in range(int(target_lengths[i])))) for i in range(2)]
        more_padding = torch.cat([targets, torch.full((2, 3), PAD)], dim=1)
        padded = sequence_log_likelihood(net, src, lengths, more_padding, bos_idx=BOS, pad_idx=PAD)
    np.testing.assert_allclose(log_likelihood.numpy(), by_hand, rtol=1e-5)
    torch.testing.assert_close(padded, log_likelihood)
    assert bool((log_likelihood < 0).all())


# --------------------------------------------------------------------------------- batch invariance


def _alone_and_batched(net, short, long, short_target, long_target):
    (src, lengths), (targets, _) = _encode([short, long]), _encode([short_target, long_target], end=True)
    tgt_in = _teacher_inputs(targets)
    n_src, n_tgt = len(short), len(short_target) + 1
    with torch.no_grad():
        alone = net(src[:1, :n_src], lengths[:1], tgt_in[:1, :n_tgt], return_attention=True)
        batched = net(src, lengths, tgt_in, return_attention=True)
    return alone, batched, n_src, n_tgt


@pytest.mark.parametrize("attention", ["none", "bahdanau", "luong"])
@pytest.mark.parametrize(("cell", "bidirectional"), [("lstm", True), ("gru", False), ("rnn", True)])
def test_logits_do_not_depend_on_a_longer_neighbour(attention, cell, bidirectional):
    net = _net(attention, cell=cell, bidirectional=bidirectional, num_layers=2)
    long = "hgfedcbaabcdefghhgfedcbaabcdefgh"
    (logits, weights), (batch_logits, batch_weights), n_src, n_tgt = _alone_and_batched(
        net, "abcd", long, "dcba", long[::-1])
    torch.testing.assert_close(batch_logits[0, :n_tgt], logits[0], atol=1e-4, rtol=0)
    torch.testing.assert_close(batch_weights[0, :n_tgt, :n_src], weights[0], atol=1e-5, rtol=0)
    assert not batch_weights[0, :, n_src:].any()  # exactly zero on the neighbour's extra steps


def test_numeric_sequence_source_does_not_depend_on_a_longer_neighbour():
    net = _net("bahdanau", source="sequence", cell="lstm", bidirectional=True)
    generator = torch.Generator().manual_seed(1)
    short, long = torch.randn(3, 3, generator=generator), torch.randn(20, 3, generator=generator)
    src, lengths = _pad([short, long], value=0.0)
    tgt_in = torch.tensor([[BOS, 4, 5, PAD, PAD], [BOS, 6, 7, 8, 9]])
    with torch.no_grad():
        alone = net(short[None], lengths[:1], tgt_in[:1, :3])
        batched = net(src, lengths, tgt_in)
        greedy_alone = greedy_decode(net, short[None], lengths[:1], max_length=6, **IDS)
        greedy_batched = greedy_decode(net, src, lengths, max_length=6, **IDS)
    torch.testing.assert_close(batched[0, :3], alone[0], atol=1e-4, rtol=0)
    width = greedy_alone.tokens.shape[1]
    assert torch.equal(greedy_batched.tokens[0, :width], greedy_alone.tokens[0])
    assert not greedy_batched.tokens[0, width:].any()


def _decodes_agree(net, strings, *, beam_size, length_penalty=0.0):
    """Decode every string alone and all of them in one batch; assert the outputs are identical."""
    src, lengths = _encode(strings)
    caps = 2 * lengths

    def decode(rows):
        if beam_size == 1:
            return greedy_decode(net, src[rows, : int(lengths[rows].max())], lengths[rows], max_length=caps[rows],
                                 return_attention=True, **IDS)
        return beam_search(net, src[rows, : int(lengths[rows].max())], lengths[rows], beam_size=beam_size,
                           max_length=caps[rows], length_penalty=length_penalty, n_best=beam_size,
                           return_attention=True, **IDS)

    batched = decode(torch.arange(len(strings)))
    for i in range(len(strings)):
        alone = decode(torch.tensor([i]))
        width, n_src = alone.tokens.shape[-1], int(lengths[i])
        assert torch.equal(batched.tokens[i, ..., :width], alone.tokens[0]), strings[i]
        assert not batched.tokens[i, ..., width:].any()
        torch.testing.assert_close(batched.scores[i], alone.scores[0], atol=1e-5, rtol=0)
        torch.testing.assert_close(batched.attention[i, ..., :width, :n_src], alone.attention[0], atol=1e-5, rtol=0)
        assert not batched.attention[i, ..., n_src:].any()
    return batched


@pytest.mark.parametrize("attention", ["none", "bahdanau", "luong"])
@pytest.mark.parametrize("beam_size", [1, 4])
def test_untrained_decoding_does_not_depend_on_the_batch(attention, beam_size):
    net = _net(attention, cell="lstm", bidirectional=True)
    strings = ["ab", "hgfedcbaabcdefghhgfedcba", "cde", "a", "fedcbahg"]
    _decodes_agree(net, strings, beam_size=beam_size, length_penalty=1.0)


# ------------------------------------------------------------------------------------ decoding rules


class _TwoStepModel(nn.Module):
    """A stub decoder with known probabilities, over ids PAD, BOS, EOS and 'a' (3).

    After BOS: EOS 0.45, 'a' 0.55. After 'a': EOS 0.8, 'a' 0.2. So "EOS" has
    log-likelihood log 0.45 (length 1) and "a EOS" log 0.44 (length 2).
    """

    def encode(self, src, src_lengths):
        return src

    def initial_state(self, memory):
        return torch.zeros(len(memory), 1)

    def step(self, tokens, state, memory):
        after_bos = torch.tensor([0.0, 0.0, 0.45, 0.55]).log()
        after_a = torch.tensor([0.0, 0.0, 0.8, 0.2]).log()
        return torch.where((tokens == BOS)[:, None], after_bos, after_a), state, None


@pytest.mark.parametrize(("length_penalty", "expected"), [
    (0.0, [([EOS, PAD], math.log(0.45)), ([3, EOS], math.log(0.44))]),
    (1.0, [([3, EOS], math.log(0.44) / 2), ([EOS, PAD], math.log(0.45))]),
])
def test_beam_scores_with_length_penalty_by_hand(length_penalty, expected):
    src = torch.zeros(3, 1)
    out = beam_search(_TwoStepModel(), src, None, beam_size=2, max_length=5, length_penalty=length_penalty, n_best=2,
                      **IDS)
    for sentence in range(3):  # three identical sentences decoded side by side
        assert out.tokens[sentence].tolist() == [tokens for tokens, _ in expected]
        np.testing.assert_allclose(out.scores[sentence].numpy(), [score for _, score in expected], rtol=1e-6)
    greedy = greedy_decode(_TwoStepModel(), src, None, max_length=5, **IDS)  # 'a' (0.55) then EOS (0.8)
    assert greedy.tokens.tolist() == [[3, EOS]] * 3
    np.testing.assert_allclose(greedy.scores.numpy(), [math.log(0.44)] * 3, rtol=1e-6)
    # A cap of 0 tokens forces EOS at once; its score is still the model's log-probability of EOS.
    capped = beam_search(_TwoStepModel(), src, None, beam_size=2, max_length=0, **IDS)
    assert capped.tokens.tolist() == [[[EOS]]] * 3
    np.testing.assert_allclose(capped.scores.numpy(), [[math.log(0.45)]] * 3, rtol=1e-6)


def test_n_best_must_fit_in_the_beam():
    with pytest.raises(ValueError, match="n_best must be between 1 and beam_size=2"):
        beam_search(_TwoStepModel(), torch.zeros(1, 1), None, beam_size=2, n_best=3, max_length=3, **IDS)
    with pytest.raises(ValueError, match="non-negative"):
        greedy_decode(_TwoStepModel(), torch.zeros(1, 1), None, max_length=-1, **IDS)


def _never_ending(attention="bahdanau"):
    net = _net(attention, cell="lstm", bidirectional=True)
    with torch.no_grad():
        net.head.bias[EOS] = -1e4  # the network itself never ends: only the caps do
    return net


@pytest.mark.parametrize("beam_size", [1, 3])
def test_relative_max_length_is_respected(beam_size):
    net = _never_ending()
    strings = ["abc", "a", "abcdefgh", "ab"]
    src, lengths = _encode(strings)
    caps = 2 * lengths
    caps[3] = 0
    if beam_size == 1:
        out = greedy_decode(net, src, lengths, max_length=caps, **IDS)
        tokens, scores = out.tokens[:, None], out.scores[:, None]
    else:
        tokens, scores, _ = beam_search(net, src, lengths, beam_size=beam_size, n_best=beam_size, max_length=caps,
                                        **IDS)
    assert tokens.shape == (4, beam_size, int(caps.max()) + 1)
    # Each output is as long as its own cap allows, then the forced EOS.
    assert torch.equal((tokens[:3] != PAD).sum(dim=2), (caps[:3] + 1)[:, None].expand(-1, beam_size))
    assert torch.equal(tokens[:3].gather(2, caps[:3, None, None].expand(-1, beam_size, 1))[..., 0],
                       torch.full((3, beam_size), EOS))
    assert bool(torch.isfinite(scores[:3]).all())
    # A cap of 0 leaves one possible output, EOS; the other slots of the n-best list stay empty.
    assert tokens[3, 0].tolist() == [EOS] + [PAD] * int(caps.max())
    assert not tokens[3, 1:].any() and bool(torch.isneginf(scores[3, 1:]).all())


@pytest.mark.parametrize("attention", ["none", "luong"])
def test_beam_size_one_is_greedy(attention):
    net = _net(attention, cell="gru", bidirectional=True, seed=4)
    src, lengths = _encode(["abcabc", "h", "gfedcba", "bb"])
    greedy = greedy_decode(net, src, lengths, max_length=3 * lengths, return_attention=True, **IDS)
    for length_penalty in (0.0, 1.0):
        beam = beam_search(net, src, lengths, beam_size=1, max_length=3 * lengths, length_penalty=length_penalty,
                           return_attention=True, **IDS)
        assert torch.equal(beam.tokens[:, 0], greedy.tokens)
        torch.testing.assert_close(beam.attention[:, 0], greedy.attention)
    # Without a penalty the scores are the same log-likelihoods.
    torch.testing.assert_close(beam.scores[:, 0] * (greedy.tokens != PAD).sum(1), greedy.scores, atol=1e-5, rtol=0)


def test_finished_hypotheses_are_frozen():
    net = _net("bahdanau", cell="lstm", bidirectional=True, seed=2)
    src, lengths = _encode(["abcdef", "ba", "hhhhhhhhhhh", "c"])
    caps = 2 * lengths
    greedy = greedy_decode(net, src, lengths, max_length=caps, return_attention=True, **IDS)
    beam = beam_search(net, src, lengths, beam_size=3, n_best=3, max_length=caps, length_penalty=0.6,
                       return_attention=True, **IDS)
    out_lengths = (greedy.tokens != PAD).sum(dim=1)
    assert len(set(out_lengths.tolist())) > 1  # sentences finish at different steps
    for tokens, attention in ((greedy.tokens[:, None], greedy.attention[:, None]), (beam.tokens, beam.attention)):
        ended = (tokens == EOS).cumsum(dim=2) - (tokens == EOS).long()  # steps after the EOS
        assert bool((tokens[ended > 0] == PAD).all())  # after EOS: padding only
        assert not attention[ended > 0].any()
        assert bool(((tokens == EOS).sum(dim=2) == 1).all())
        live = tokens != PAD
        torch.testing.assert_close(attention.sum(dim=3)[live], torch.ones(int(live.sum())), atol=1e-5, rtol=0)
    # The scores are the log-likelihoods of the outputs (penalised for the beam): nothing
    # was added to a hypothesis's score after it ended.
    with torch.no_grad():
        greedy_ll = sequence_log_likelihood(net, src, lengths, greedy.tokens, bos_idx=BOS, pad_idx=PAD)
        flat = beam.tokens.reshape(-1, beam.tokens.shape[2])
        beam_ll = sequence_log_likelihood(net, src.repeat_interleave(3, 0), lengths.repeat_interleave(3), flat,
                                          bos_idx=BOS, pad_idx=PAD).view(4, 3)
    torch.testing.assert_close(greedy.scores, greedy_ll, atol=1e-5, rtol=0)
    penalty = (beam.tokens != PAD).sum(dim=2).float() ** 0.6
    torch.testing.assert_close(beam.scores * penalty, beam_ll, atol=1e-5, rtol=0)
    # n-best lists: best first, distinct hypotheses, the beam's best never worse than greedy.
    assert bool((beam.scores[:, :-1] >= beam.scores[:, 1:]).all())
    for hypotheses in beam.tokens.tolist():
        assert len({tuple(h) for h in hypotheses}) == 3
    assert bool((beam_ll[:, 0] / penalty[:, 0] >= greedy.scores / out_lengths.float() ** 0.6 - 1e-5).all())


# ------------------------------------------------------------------------------- a trained network


@pytest.fixture(scope="module")
def reversal_net():
    """A bidirectional-LSTM encoder-decoder with additive attention, trained on reversal (~5 s on 1 thread)."""
    sources, targets = make_reversal(1500, min_length=3, max_length=8, n_symbols=N_SYMBOLS, random_state=0)
    src, lengths = _encode(sources)
    target_ids, _ = _encode(targets, end=True)
    tgt_in = _teacher_inputs(target_ids)
    torch.manual_seed(0)
    net = _net("bahdanau", cell="lstm", bidirectional=True)
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
    generator = torch.Generator().manual_seed(0)
    for _ in range(8):
        for batch in torch.randperm(len(sources), generator=generator).split(64):
            n_src, n_tgt = int(lengths[batch].max()), int((target_ids[batch] != PAD).sum(1).max())
            logits = net(src[batch, :n_src], lengths[batch], tgt_in[batch, :n_tgt])
            loss = nn.functional.cross_entropy(logits.transpose(1, 2), target_ids[batch, :n_tgt], ignore_index=PAD)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return net.eval()


def test_trained_network_reverses_held_out_strings(reversal_net):
    sources, targets = make_reversal(300, min_length=3, max_length=8, n_symbols=N_SYMBOLS, random_state=1)
    src, lengths = _encode(sources)
    greedy = greedy_decode(reversal_net, src, lengths, max_length=2 * lengths, **IDS)
    beam = beam_search(reversal_net, src, lengths, beam_size=4, max_length=2 * lengths, **IDS)
    assert np.mean([p == t for p, t in zip(_decode(greedy.tokens), targets, strict=True)]) >= 0.95
    assert np.mean([p == t for p, t in zip(_decode(beam.tokens[:, 0]), targets, strict=True)]) >= 0.95
    # Its attention runs along the anti-diagonal: output step i looks at source step n - 1 - i.
    out = greedy_decode(reversal_net, *_encode(["abcdefgh"]), max_length=16, return_attention=True, **IDS)
    assert out.attention[0, :8].argmax(dim=1).tolist() == list(range(7, -1, -1))


@pytest.mark.parametrize("beam_size", [1, 4])
def test_trained_decoding_does_not_depend_on_the_batch(reversal_net, beam_size):
    sources, _ = make_reversal(24, min_length=1, max_length=8, n_symbols=N_SYMBOLS, random_state=2)
    sources += ["abcdefghabcdefghabcdefgh"]  # far longer than anything seen in training
    batched = _decodes_agree(reversal_net, sources, beam_size=beam_size, length_penalty=0.6)
    assert len(set(_decode(batched.tokens[:, 0] if beam_size > 1 else batched.tokens))) > 20  # non-trivial outputs
