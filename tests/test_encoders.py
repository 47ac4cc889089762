"""The encoders behind ``cell`` from the estimators: checks of their parameters, warm starts, generation, saving."""

import numpy as np
import pytest

import sklearn_seq
from sklearn_seq import (
    CharRNNLanguageModel,
    GRUClassifier,
    LSTMClassifier,
    RNNRegressor,
    Seq2SeqTranslator,
    SequenceAutoencoder,
    SequenceTagger,
)
from sklearn_seq._language_model import EOS

FAST = {"hidden_size": 8, "max_epochs": 2, "random_state": 0}
WORDS = ["abc", "abd", "abcd", "bcd", "b"] * 12


@pytest.fixture(scope="module")
def ragged_data():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(n, 2)) for n in rng.randint(2, 7, size=24)]
    return X, np.array([int(x[:, 0].sum() > 0) for x in X])


@pytest.mark.parametrize(("params", "message"), [
    ({"cell": "coupled_lstm", "forget_bias": 2.0}, None),
    ({"cell": "conv", "forget_bias": 2.0}, "forget_bias=2.0 sets the LSTM's forget gate, but cell='conv'"),
    ({"num_heads": 2}, "num_heads=2 sets the Transformer's attention heads, but cell='lstm'"),
    ({"cell": "transformer", "num_heads": 3}, "hidden_size=8 must be a multiple of num_heads=3"),
    ({"cell": "transformer", "num_heads": 2, "layer_norm": True}, "layer_norm=True: the Transformer's layers"),
    ({"cell": "transformer", "num_heads": 2, "hidden_size": [8, 4]}, "the Transformer's layers share one width"),
    ({"residual": True}, "residual=True adds skip connections between stacked layers"),
    ({"hidden_size": [8, 4], "num_layers": 3}, r"hidden_size=\[8, 4\] gives 2 layers, but num_layers=3"),
    ({"hidden_size": [8, 0]}, "hidden_size as a list holds one positive int per layer"),
    ({"conv_channels": [4, 2.5]}, "conv_channels as a list holds one positive int per layer"),
    ({"cell": "conv", "conv_channels": 4}, "conv_channels puts convolutions before a recurrent encoder"),
    ({"conv_kernel_size": 5}, "conv_kernel_size=5 sets the convolutions of cell='conv' or of conv_channels"),
    ({"cell": "conv", "conv_kernel_size": 5}, None),
    ({"conv_channels": 4, "conv_kernel_size": 5}, None),
])
def test_options_of_another_encoder_are_errors(ragged_data, params, message):
    X, y = ragged_data
    model = LSTMClassifier(**{**FAST, **params})
    if message is None:
        assert model.fit(X, y).score(X, y) >= 0
    else:
        with pytest.raises(ValueError, match=message):
            model.fit(X, y)


CONV = {"cell": "conv", "num_layers": 2}


@pytest.mark.parametrize(("built", "change"), [
    (CONV, {"cell": "peephole_lstm"}), (CONV, {"residual": True}), (CONV, {"layer_norm": True}),
    (CONV, {"hidden_size": [4, 4]}), (CONV, {"conv_kernel_size": 2}), ({"cell": "gru"}, {"conv_channels": 3}),
    ({"cell": "transformer", "num_heads": 2}, {"num_heads": 4}),
])
def test_encoder_parameters_are_refused_on_a_warm_start(ragged_data, built, change):
    X, y = ragged_data
    model = GRUClassifier(warm_start=True, **{**FAST, "hidden_size": 4}, **built).fit(X, y)
    (name,) = change
    with pytest.raises(ValueError, match=f"but {name} changed since it was built"):
        model.set_params(**change).fit(X, y)


@pytest.mark.parametrize("params", [{"cell": "peephole_lstm", "num_layers": 2}, {"cell": "conv", "num_layers": 2},
                                    {"cell": "transformer", "num_heads": 2},
                                    {"cell": "coupled_lstm", "hidden_size": [8, 8], "residual": True},
                                    {"cell": "gru", "conv_channels": 4}])
def test_language_model_generates_as_it_scores_with_every_encoder(params):
    """The language model's encoders are causal: one step at a time gives the batched scores."""
    model = CharRNNLanguageModel(**{"hidden_size": 8, "lr": 0.05, "max_epochs": 3, "random_state": 0, **params})
    model.fit(WORDS)
    assert model.module_.encoder.causal
    for word in ["abcd", "dab"]:
        chain = sum(np.log(model.predict_proba_next(word[:t])[model.vocabulary_[word[t]]]) for t in range(len(word)))
        chain += np.log(model.predict_proba_next(word)[EOS])
        assert model.score_samples([word, "abc"])[0] == pytest.approx(chain, rel=1e-5)
    assert len(model.sample(3, random_state=0)) == 3


def test_summary_shows_each_layer_with_its_parameters(ragged_data):
    X, y = ragged_data
    model = GRUClassifier(cell="transformer", num_layers=2, num_heads=2, **FAST).fit(X, y)
    rows = model.summary().splitlines()
    assert rows[0] == "GRUClassifier (transformer)"
    layers = {row.split(" (")[0]: int(row.split()[-1].replace(",", ""))
              for row in rows if row.startswith("transformer")}
    d = 8  # input projection 2 -> 8; each layer: attention 4d² + 4d, feed-forward 8d² + 5d, two norms 4d
    assert layers == {"transformer input": 3 * d, "transformer 0": 12 * d * d + 13 * d,
                      "transformer 1": 12 * d * d + 13 * d, "transformer norm": 2 * d}
    assert f"Total params: {sum(p.numel() for p in model.module_.parameters()):,}" in rows


def test_decoders_stay_recurrent_after_convolution_and_transformer_encoders():
    translator = Seq2SeqTranslator(cell="transformer", num_heads=2, embedding_dim=4, **FAST).fit(["ab", "ba"] * 4,
                                                                                                 ["ba", "ab"] * 4)
    assert type(translator.module_.rnn).__name__ == "LSTM"
    assert type(translator.module_.encoder.rnn).__name__ == "TransformerStack"
    autoencoder = SequenceAutoencoder(cell="peephole_lstm", **{**FAST, "hidden_size": [8, 6]}).fit(
        [np.arange(5.0)[:, None]] * 4)
    assert [layer.output_size for layer in autoencoder.module_.decoder.rnn.layers] == [6, 8]
    assert type(autoencoder.module_.decoder.rnn.layers[0].rnn).__name__ == "VariantLSTM"


def test_tagger_reads_both_sides_with_a_non_causal_transformer():
    # The tag of 'a' depends on the NEXT token: only an encoder that reads both sides gets it right.
    X, y = [["a", "b"], ["a", "c"]] * 6, [["P", "B"], ["Q", "C"]] * 6
    params = {"cell": "transformer", "num_heads": 2, "embedding_dim": 4, "min_count": 1, "lr": 0.05,
              **FAST, "max_epochs": 30}
    both_sides = SequenceTagger(**params).fit(X, y)
    past_only = SequenceTagger(**params, bidirectional=False).fit(X, y)
    assert not both_sides.module_.encoder.causal and both_sides.score(X, y) == 1.0
    assert past_only.module_.encoder.causal and past_only.score(X, y) == 0.75


def test_saved_and_loaded_variants_predict_the_same(tmp_path, ragged_data):
    X, y = ragged_data
    model = RNNRegressor(cell="peephole_lstm", hidden_size=[8, 4], residual=True, layer_norm=True, conv_channels=3,
                         max_epochs=2, random_state=0).fit(X, y.astype(float))
    sklearn_seq.save(model, tmp_path / "model")
    np.testing.assert_array_equal(sklearn_seq.load(tmp_path / "model").predict(X), model.predict(X))


def test_onnx_export_refuses_encoders_without_an_onnx_operator(tmp_path, ragged_data):
    from sklearn_seq.export import to_onnx

    X, y = ragged_data
    model = GRUClassifier(cell="conv", **FAST).fit(X, y)
    with pytest.raises(ValueError, match="cell='conv'.* has no such operator"):
        to_onnx(model, tmp_path / "model.onnx")


def test_numpy_integer_sizes_and_refused_bools():
    # What a grid made with np.arange holds.
    X = np.random.RandomState(0).normal(size=(12, 5, 2))
    y = np.arange(12) % 2
    for sizes in ({"hidden_size": np.int64(4), "conv_channels": [np.int64(3)]},
                  {"hidden_size": [np.int64(4), np.int64(3)], "conv_channels": np.int64(3)}):
        assert LSTMClassifier(**{**FAST, **sizes}).fit(X, y).predict(X).shape == (12,)
    with pytest.raises(ValueError, match="conv_channels must be a positive int or a list of them, got True"):
        LSTMClassifier(conv_channels=True, **FAST).fit(X, y)


def test_a_vector_source_refuses_sequence_encoder_options():
    V = np.random.RandomState(0).normal(size=(4, 3))
    for params in ({"cell": "conv"}, {"conv_channels": 3}, {"layer_norm": True}):
        with pytest.raises(ValueError, match="vector source is read by a linear bridge"):
            Seq2SeqTranslator(attention="none", **params, **FAST).fit(V, ["x", "y", "x", "y"])
