"""Initial weights: Keras's scheme tensor by tensor, PyTorch's kept as drawn, and every estimator following ``init``."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from sklearn_seq import (
    CharRNNLanguageModel,
    LSTMClassifier,
    RNNClassifier,
    Seq2SeqTranslator,
    SequenceAutoencoder,
    SequenceTagger,
)
from sklearn_seq.datasets import make_reversal
from sklearn_seq.nn import RecurrentEncoder, initialize


def _glorot_limit(weight):
    fan_out, fan_in = weight.shape[0], weight.shape[1]
    receptive = weight[0, 0].numel()  # kernel size of a convolution, 1 for a matrix
    return math.sqrt(6 / ((fan_in + fan_out) * receptive))


def _assert_glorot(weight):
    weight = weight.detach()
    limit = _glorot_limit(weight)
    assert float(weight.abs().max()) <= limit
    assert float(weight.std()) == pytest.approx(limit / math.sqrt(3), rel=0.1)  # the uniform's standard deviation


def _assert_orthonormal_columns(weight):
    weight = weight.detach()
    torch.testing.assert_close(weight.T @ weight, torch.eye(weight.shape[1]), atol=1e-5, rtol=0)


@pytest.mark.parametrize("cell, gates", [(nn.LSTM, 4), (nn.GRU, 3), (nn.RNN, 1)])
def test_keras_scheme_on_every_layer_and_direction_of_a_recurrent_layer(cell, gates):
    torch.manual_seed(0)
    rnn = initialize(cell(40, 32, num_layers=2, bidirectional=True), forget_bias=1.0)
    names = {name for name, _ in rnn.named_parameters()}
    assert len(names) == 16  # 2 layers x 2 directions x (2 weights + 2 biases)
    for name, tensor in rnn.named_parameters():
        if name.startswith("weight_ih"):
            assert tensor.shape == (gates * 32, 40 if name.startswith("weight_ih_l0") else 64)
            _assert_glorot(tensor)  # over all gates at once: a = sqrt(6 / (n_in + gates * hidden))
        elif name.startswith("weight_hh"):
            _assert_orthonormal_columns(tensor)  # Keras's (hidden, gates * hidden) kernel, transposed
        elif name.startswith("bias_ih") and cell is nn.LSTM:
            expected = torch.zeros(4 * 32)
            expected[32:64] = 1.0  # the forget gate, second in PyTorch's order i, f, g, o
            torch.testing.assert_close(tensor, expected, atol=0, rtol=0)
        else:
            assert not tensor.any(), name


def test_keras_scheme_on_embeddings_linear_layers_convolutions_and_attention():
    torch.manual_seed(0)
    model = nn.ModuleDict({"embedding": nn.Embedding(5000, 32, padding_idx=0), "linear": nn.Linear(64, 48),
                           "conv": nn.Conv1d(16, 24, kernel_size=3), "attention": nn.MultiheadAttention(32, 4)})
    initialize(model)
    embedding = model["embedding"].weight.detach()
    assert not embedding[0].any()  # padding stays zero
    assert float(embedding.abs().max()) <= 0.05
    assert float(embedding[1:].std()) == pytest.approx(0.05 / math.sqrt(3), rel=0.02)
    for layer in (model["linear"], model["conv"]):
        _assert_glorot(layer.weight)
        assert not layer.bias.any()
    attention = model["attention"]
    for block in attention.in_proj_weight.chunk(3):  # query, key, value: each its own (32, 32) Glorot draw
        assert float(block.detach().abs().max()) <= math.sqrt(6 / 64)
    assert not attention.in_proj_bias.any() and not attention.out_proj.bias.any()


def test_torch_scheme_keeps_pytorchs_weights_and_sets_only_the_forget_bias():
    torch.manual_seed(3)
    expected = nn.LSTM(4, 8)
    torch.manual_seed(3)
    lstm = initialize(nn.LSTM(4, 8), "torch", forget_bias=2.0)
    for (name, got), want in zip(lstm.named_parameters(), expected.parameters(), strict=True):
        if name.startswith("bias"):
            torch.testing.assert_close(got[:8], want[:8], atol=0, rtol=0)
            torch.testing.assert_close(got[16:], want[16:], atol=0, rtol=0)
            assert got[8:16].tolist() == ([2.0] * 8 if name == "bias_ih_l0" else [0.0] * 8)
        else:
            torch.testing.assert_close(got, want, atol=0, rtol=0)
    with pytest.raises(ValueError, match="scheme must be one of"):
        initialize(nn.Linear(2, 2), "xavier")


def test_pretrained_embedding_is_kept_and_a_trained_one_follows_the_scheme():
    weights = torch.randn(30, 6)
    encoder = RecurrentEncoder(1, 8, embedding_weights=weights.clone())
    torch.testing.assert_close(encoder.embedding.weight, weights, atol=0, rtol=0)
    torch.manual_seed(0)
    keras = RecurrentEncoder(1, 8, num_embeddings=30, embedding_dim=6).embedding.weight.detach()
    torch.manual_seed(0)
    pytorch = RecurrentEncoder(1, 8, num_embeddings=30, embedding_dim=6, init="torch").embedding.weight.detach()
    assert float(keras.abs().max()) <= 0.05 and float(pytorch.std()) > 0.5


def _untrained(estimator, X, y=None):
    """Fit for one epoch with a learning rate too small to move a weight visibly: the initial weights."""
    return estimator.set_params(max_epochs=1, lr=1e-9, random_state=0).fit(X, y)


def _token_reviews():
    rng = np.random.RandomState(0)
    return [list(rng.randint(1, 50, size=rng.randint(2, 9))) for _ in range(40)], rng.randint(2, size=40)


def _estimators():
    tokens, labels = _token_reviews()
    words = [["the", "cat", "sat"], ["a", "dog", "ran", "far"]] * 5
    tags = [["D", "N", "V"], ["D", "N", "V", "A"]] * 5
    sources, targets = make_reversal(20, min_length=2, max_length=4, random_state=0)
    waves = [np.sin(np.linspace(0, 3, n))[:, None] for n in range(4, 14)]
    return [
        (LSTMClassifier(embedding_dim=8, hidden_size=8, pooling="attention", bidirectional=True), tokens, labels),
        (SequenceTagger(embedding_dim=8, hidden_size=8, char_embedding_dim=4, char_hidden_size=4, min_count=1),
         words, tags),
        (CharRNNLanguageModel(embedding_dim=8, hidden_size=8), ["abcab", "bca", "cab"], None),
        (Seq2SeqTranslator(embedding_dim=8, hidden_size=8, bidirectional=True), sources, targets),
        (SequenceAutoencoder(n_components=2, hidden_size=8), waves, None),
    ]


@pytest.mark.parametrize("index", range(5), ids=["classifier", "tagger", "language_model", "translator",
                                                 "autoencoder"])
def test_every_layer_an_estimator_builds_follows_init(index):
    estimator, X, y = _estimators()[index]
    module = _untrained(estimator, X, y).module_
    kinds = set()
    for layer in module.modules():
        if isinstance(layer, nn.Embedding):
            kinds.add("embedding")
            assert float(layer.weight.detach().abs().max()) <= 0.05 + 1e-6
        elif isinstance(layer, nn.Linear):
            kinds.add("linear")
            assert float(layer.weight.detach().abs().max()) <= _glorot_limit(layer.weight) + 1e-6
        elif isinstance(layer, nn.RNNBase):
            kinds.add("recurrent")
            for name, tensor in layer.named_parameters():
                if name.startswith("weight_hh"):
                    tensor = tensor.detach()
                    torch.testing.assert_close(tensor.T @ tensor, torch.eye(tensor.shape[1]), atol=1e-4, rtol=0)
    assert {"linear", "recurrent"} <= kinds
    # init='torch': PyTorch's N(0, 1) embeddings, non-orthogonal recurrent weights.
    module = _untrained(estimator.set_params(init="torch"), X, y).module_
    rnn = next(layer for layer in module.modules() if isinstance(layer, nn.RNNBase))
    weight = rnn.weight_hh_l0.detach()
    gram = weight.T @ weight
    assert not torch.allclose(gram, torch.eye(gram.shape[0]), atol=1e-2)


def test_init_is_seeded_with_the_rest_of_the_fit():
    X, y = _token_reviews()
    first, second = (RNNClassifier(embedding_dim=4, hidden_size=4, max_epochs=1, random_state=5).fit(X, y)
                     for _ in range(2))
    for a, b in zip(first.module_.parameters(), second.module_.parameters(), strict=True):
        torch.testing.assert_close(a, b, atol=0, rtol=0)


def test_the_translator_decoder_follows_init():
    # The decoder (embedding, recurrent layer, head) is the translator's own: init='torch' reaches it too.
    from sklearn_seq import Seq2SeqTranslator

    params = {"max_epochs": 1, "lr": 1e-12, "hidden_size": 8, "random_state": 0}
    torch_init = Seq2SeqTranslator(init="torch", **params).fit(["a b", "b a"], ["x", "y"])
    keras_init = Seq2SeqTranslator(**params).fit(["a b", "b a"], ["x", "y"])
    assert torch_init.module_.embedding.weight[1:].std() > 0.5  # N(0, 1)
    assert keras_init.module_.embedding.weight[1:].abs().max() <= 0.05
    assert torch_init.module_.head.bias.abs().max() > 0.01 > 1e-6 > keras_init.module_.head.bias.abs().max()
