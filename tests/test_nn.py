"""The torch modules on their own: packing, pooling masks, forget-gate bias."""

import pytest
import torch

from sklearn_seq.nn import ManyToManyNet, ManyToOneNet, RecurrentEncoder, SequencePooling


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_padding_steps_change_nothing(cell, bidirectional):
    torch.manual_seed(0)
    net = ManyToOneNet(RecurrentEncoder(2, 6, cell=cell, bidirectional=bidirectional), "mean", 3).eval()
    seq = torch.randn(1, 4, 2)
    padded = torch.cat([seq, 1e3 * torch.randn(1, 5, 2)], dim=1)  # garbage in the padding
    lengths = torch.tensor([4])
    torch.testing.assert_close(net(padded, lengths), net(seq, lengths), rtol=0, atol=0)


def test_forward_encoder_matches_packing():
    torch.manual_seed(0)
    encoder = RecurrentEncoder(3, 5, cell="lstm", num_layers=2).eval()
    x, lengths = torch.randn(3, 7, 3), torch.tensor([7, 2, 4])
    outputs, last = encoder(x, lengths)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    expected, _ = torch.nn.utils.rnn.pad_packed_sequence(encoder.rnn(packed)[0], batch_first=True)
    torch.testing.assert_close(outputs, expected)
    torch.testing.assert_close(last, encoder.rnn(packed)[1][0][-1])


def test_final_state_is_the_last_valid_output_of_each_direction():
    torch.manual_seed(0)
    encoder = RecurrentEncoder(3, 5, cell="gru", bidirectional=True)
    outputs, last = encoder(torch.randn(2, 6, 3), torch.tensor([6, 3]))
    torch.testing.assert_close(last[1, :5], outputs[1, 2, :5])  # forward direction ends at step 2
    torch.testing.assert_close(last[1, 5:], outputs[1, 0, 5:])  # backward direction ends at step 0
    assert (outputs[1, 3:] == 0).all()


def test_stacked_encoder_returns_the_top_layer():
    encoder = RecurrentEncoder(3, 4, cell="lstm", num_layers=3, dropout=0.2)
    assert encoder.rnn.num_layers == 3 and encoder.rnn.dropout == 0.2
    outputs, last = encoder.eval()(torch.randn(2, 5, 3), torch.tensor([5, 5]))
    torch.testing.assert_close(last, outputs[:, -1])


@pytest.mark.parametrize("forget_bias", [0.0, 1.0, 2.5])
def test_lstm_forget_gate_bias(forget_bias):
    lstm = RecurrentEncoder(3, 4, cell="lstm", num_layers=2, bidirectional=True, forget_bias=forget_bias).rnn
    for name, bias in lstm.named_parameters():
        if name.startswith("bias_ih"):
            assert (bias[4:8] == forget_bias).all()
        if name.startswith("bias_hh"):
            assert (bias[4:8] == 0).all()


def test_pooling_ignores_padding():
    outputs = torch.tensor([[[1.0], [3.0], [100.0]]])
    lengths = torch.tensor([2])
    assert SequencePooling("mean", 1)(outputs, None, lengths)[0].item() == 2.0
    assert SequencePooling("max", 1)(outputs, None, lengths)[0].item() == 3.0
    pooled, weights = SequencePooling("attention", 1)(outputs, None, lengths)
    assert weights[0, 2] == 0 and weights.sum().item() == pytest.approx(1.0)
    assert 1.0 <= pooled.item() <= 3.0


def test_unknown_pooling_is_rejected():
    with pytest.raises(ValueError, match="mode must be one of"):
        SequencePooling("sum", 4)


def test_embedding_reads_token_ids_with_padding_index_zero():
    encoder = RecurrentEncoder(1, 4, num_embeddings=10, embedding_dim=3)
    assert encoder.embedding.padding_idx == 0 and (encoder.embedding.weight[0] == 0).all()
    outputs, _ = encoder(torch.tensor([[4, 5, 0]]), torch.tensor([2]))
    assert outputs.shape == (1, 3, 4)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_many_to_many_step_by_step_equals_the_whole_sequence(cell):
    """Generation runs step() one symbol at a time; it must match forward() over the sequence."""
    torch.manual_seed(0)
    net = ManyToManyNet(RecurrentEncoder(1, 6, cell=cell, num_embeddings=9, embedding_dim=4), out_features=9).eval()
    tokens = torch.tensor([[3, 1, 4, 1, 5], [2, 6, 0, 0, 0]])
    whole = net(tokens, torch.tensor([5, 2]))
    state, steps = None, []
    for t in range(5):
        logits, state = net.step(tokens[:, t], state)
        steps.append(logits)
    torch.testing.assert_close(torch.stack(steps, dim=1)[0], whole[0])
    torch.testing.assert_close(torch.stack(steps, dim=1)[1, :2], whole[1, :2])


def test_many_to_many_refuses_to_step_a_bidirectional_network():
    net = ManyToManyNet(RecurrentEncoder(2, 4, bidirectional=True), out_features=3)
    with pytest.raises(ValueError, match="bidirectional network reads the whole sequence"):
        net.step(torch.zeros(1, 2))
