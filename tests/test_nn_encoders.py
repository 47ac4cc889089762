"""The encoders behind ``cell``: the LSTM variants' equations, padding, causality, stacking options."""

import pytest
import torch

from sklearn_seq.nn import ManyToManyNet, RecurrentEncoder, VariantLSTM

NEW_ENCODERS = [
    {"cell": "peephole_lstm"},
    {"cell": "coupled_lstm"},
    {"cell": "conv", "num_layers": 3},
    {"cell": "transformer", "num_layers": 2, "num_heads": 2},
    {"cell": "lstm", "num_layers": 2, "residual": True, "layer_norm": True},
    {"cell": "gru", "hidden_size": [6, 4]},
    {"cell": "coupled_lstm", "hidden_size": [6, 4], "residual": True},
    {"cell": "rnn", "conv_channels": [5, 3], "conv_kernel_size": 2},
]


def _step_by_hand(x, h, c, w_ih, w_hh, b, w_ch, coupled):
    """One step of the lectures' equations, written gate by gate (H = hidden units)."""
    hidden = h.shape[-1]
    z = x @ w_ih.T + h @ w_hh.T + b
    gate = dict(zip("fgo" if coupled else "ifgo", z.split(hidden, dim=-1), strict=True))
    peep = dict(zip("fo" if coupled else "ifo", w_ch.split(hidden), strict=True)) if w_ch is not None else {}
    f = torch.sigmoid(gate["f"] + (c @ peep["f"].T if peep else 0))  # f_t = σ(W_f·[C_{t-1}, h_{t-1}, x_t] + b_f)
    candidate = torch.tanh(gate["g"])  # C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)
    if coupled:
        c_new = f * c + (1 - f) * candidate  # C_t = f_t * C_{t-1} + (1 - f_t) * C̃_t
    else:
        i = torch.sigmoid(gate["i"] + (c @ peep["i"].T if peep else 0))  # i_t = σ(W_i·[C_{t-1}, h_{t-1}, x_t] + b_i)
        c_new = f * c + i * candidate
    o = torch.sigmoid(gate["o"] + (c_new @ peep["o"].T if peep else 0))  # o_t = σ(W_o·[C_t, h_{t-1}, x_t] + b_o)
    return o * torch.tanh(c_new), c_new


@pytest.mark.parametrize(("peephole", "coupled"), [(True, False), (False, True), (True, True), (False, False)])
def test_variant_step_follows_the_lectures_equations(peephole, coupled):
    torch.manual_seed(0)
    lstm = VariantLSTM(3, 5, peephole=peephole, coupled=coupled).double()
    x, h0, c0 = torch.randn(4, 2, 3, dtype=torch.float64), torch.randn(1, 4, 5, dtype=torch.float64), \
        torch.randn(1, 4, 5, dtype=torch.float64)
    outputs, (h, c) = lstm(x, (h0, c0))
    p = dict(lstm.named_parameters())
    expected_h, expected_c = h0[0], c0[0]
    for t in range(2):
        expected_h, expected_c = _step_by_hand(x[:, t], expected_h, expected_c, p["weight_ih_l0"], p["weight_hh_l0"],
                                               p["bias_ih_l0"] + p["bias_hh_l0"], p.get("weight_ch_l0"), coupled)
        torch.testing.assert_close(outputs[:, t], expected_h, rtol=0, atol=1e-6)
    torch.testing.assert_close(h[0], expected_h, rtol=0, atol=1e-6)
    torch.testing.assert_close(c[0], expected_c, rtol=0, atol=1e-6)


def test_variant_without_peepholes_and_coupling_is_torch_lstm():
    torch.manual_seed(0)
    reference = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True, batch_first=True)
    lstm = VariantLSTM(3, 5, 2, bidirectional=True)
    lstm.load_state_dict(reference.state_dict())  # the same parameter names and shapes
    x, lengths = torch.randn(4, 7, 3), torch.tensor([7, 3, 5, 1])
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    expected, (h, c) = reference(packed)
    expected = torch.nn.utils.rnn.pad_packed_sequence(expected, batch_first=True)[0]
    outputs, (h_n, c_n) = lstm(x, lengths=lengths)
    valid = (torch.arange(7)[None] < lengths[:, None])[..., None]
    torch.testing.assert_close(outputs * valid, expected, rtol=0, atol=1e-6)
    torch.testing.assert_close(h_n, h, rtol=0, atol=1e-6)
    torch.testing.assert_close(c_n, c, rtol=0, atol=1e-6)


def test_coupled_lstm_has_three_gates_and_its_forget_bias():
    encoder = RecurrentEncoder(3, 4, cell="coupled_lstm", bidirectional=True, forget_bias=2.0)
    assert encoder.rnn.weight_ih_l0_reverse.shape == (12, 3)
    assert (encoder.rnn.bias_ih_l0[:4] == 2.0).all() and (encoder.rnn.bias_hh_l0[:4] == 0).all()
    assert not (encoder.rnn.bias_ih_l0[4:] == 2.0).all()


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("params", NEW_ENCODERS, ids=str)
def test_padding_or_garbage_past_each_length_changes_nothing(params, bidirectional):
    torch.manual_seed(0)
    encoder = RecurrentEncoder(2, params.get("hidden_size", 4),
                               bidirectional=bidirectional, **{k: v for k, v in params.items() if k != "hidden_size"})
    encoder.eval()
    x, lengths = torch.randn(3, 6, 2), torch.tensor([6, 4, 2])
    outputs, final = encoder(x, lengths)
    garbage = torch.cat([x, 1e3 * torch.randn(3, 5, 2)], dim=1)
    garbage[1, 4:6], garbage[2, 2:6] = 1e3, -1e3
    outputs_g, final_g = encoder(garbage, lengths)
    torch.testing.assert_close(outputs_g[:, :6], outputs, rtol=0, atol=1e-5)
    torch.testing.assert_close(final_g, final, rtol=0, atol=1e-5)
    assert (outputs_g[1, 4:] == 0).all() and (outputs_g[2, 2:] == 0).all()
    for row in range(3):  # each sequence alone, unpadded
        alone, alone_final = encoder(x[row:row + 1, :lengths[row]], lengths[row:row + 1])
        torch.testing.assert_close(alone[0], outputs[row, :lengths[row]], rtol=0, atol=1e-5)
        torch.testing.assert_close(alone_final[0], final[row], rtol=0, atol=1e-5)


@pytest.mark.parametrize("params", NEW_ENCODERS, ids=str)
def test_causal_encoders_step_as_they_read_the_whole_sequence(params):
    torch.manual_seed(0)
    hidden = params.get("hidden_size", 4)
    encoder = RecurrentEncoder(1, hidden, num_embeddings=7, embedding_dim=3,
                               **{k: v for k, v in params.items() if k != "hidden_size"})
    net = ManyToManyNet(encoder, out_features=7).eval()
    tokens = torch.tensor([[3, 4, 5, 6], [2, 2, 1, 3]])
    whole = net(tokens, torch.tensor([4, 4]))
    state = None
    for t in range(4):
        logits, state = net.step(tokens[:, t], state)
        torch.testing.assert_close(logits, whole[:, t], rtol=0, atol=1e-5)
    # Causal: a later step never changes an earlier output.
    changed = tokens.clone()
    changed[:, 2:] = 1
    torch.testing.assert_close(net(changed, torch.tensor([4, 4]))[:, :2], whole[:, :2], rtol=0, atol=1e-5)


@pytest.mark.parametrize("cell", ["conv", "transformer"])
def test_non_causal_encoders_see_later_steps_and_refuse_to_step(cell):
    torch.manual_seed(0)
    encoder = RecurrentEncoder(1, 4, cell=cell, num_heads=2, bidirectional=True, num_embeddings=7,
                               embedding_dim=3).eval()
    tokens = torch.tensor([[3, 4, 5, 6]])
    changed = torch.tensor([[3, 4, 5, 1]])
    assert not torch.allclose(encoder(tokens, torch.tensor([4]))[0][0, 2],
                              encoder(changed, torch.tensor([4]))[0][0, 2])
    with pytest.raises(ValueError, match="cannot run step by step"):
        ManyToManyNet(encoder, 7).step(torch.tensor([3]))


def test_stack_options_change_the_layers():
    encoder = RecurrentEncoder(3, [8, 8, 6], cell="lstm", residual=True, layer_norm=True, bidirectional=True)
    assert encoder.output_size == 12 and len(encoder.rnn.layers) == 3
    names = [name for name, _, _ in encoder.layer_specs()]
    # Skip connections: identity from layer 0 to 1, a projection from 16 to 12 features into layer 2.
    assert names == ["rnn 0", "rnn 0 norm", "rnn 1", "rnn 1 norm", "rnn 2", "rnn 2 norm", "rnn 2 skip"]
    x = torch.randn(2, 5, 3)
    y0 = encoder.rnn.norms[0](encoder.rnn.layers[0](x, torch.tensor([5, 5])))
    y1 = encoder.rnn.norms[1](encoder.rnn.layers[1](y0, torch.tensor([5, 5]))) + y0
    expected = encoder.rnn.norms[2](encoder.rnn.layers[2](y1, torch.tensor([5, 5]))) + encoder.rnn.skips[1](y1)
    torch.testing.assert_close(encoder(x, torch.tensor([5, 5]))[0], expected)


def test_conv_cell_dilations_grow_and_the_front_end_is_causal_when_forward_only():
    encoder = RecurrentEncoder(2, 4, cell="conv", num_layers=3, conv_kernel_size=2)
    assert [layer.conv.dilation[0] for layer in encoder.rnn.layers] == [1, 2, 4]
    assert [layer.padding for layer in encoder.rnn.layers] == [(1, 0), (2, 0), (4, 0)]
    front = RecurrentEncoder(2, 4, conv_channels=[3, 5], conv_kernel_size=3, bidirectional=True).conv
    assert [layer.padding for layer in front.layers] == [(1, 1), (1, 1)]


@pytest.mark.parametrize(("params", "message"), [
    ({"cell": "transformer", "residual": True}, "always have skip connections"),
    ({"cell": "transformer", "hidden_size": [8, 4]}, "share one width"),
    ({"cell": "transformer", "hidden_size": 6, "num_heads": 4}, "multiple of num_heads"),
    ({"cell": "conv", "conv_channels": 3}, "before a recurrent encoder"),
])
def test_encoder_refuses_options_of_other_encoders(params, message):
    with pytest.raises(ValueError, match=message):
        RecurrentEncoder(2, params.pop("hidden_size", 8), **params)
