"""Tests of the from-scratch NumPy RNN of examples/generation/numpy_char_rnn.py.

The model lives beside its gallery example (sphinx-gallery runs only the ``plot_``
scripts, so the module is shown as code and imported by the example); it is loaded
here from its path. Its BPTT gradients are compared with PyTorch's autograd in float64.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch

from sklearn_seq.datasets import load_names

_PATH = Path(__file__).resolve().parents[1] / "examples" / "generation" / "numpy_char_rnn.py"
_spec = importlib.util.spec_from_file_location("numpy_char_rnn", _PATH)
rnn = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rnn)

NAMES = load_names().data
ALPHABET = rnn.make_alphabet(NAMES)
BATCH = ["emma", "max", "christopher", "al", "jo"]  # lengths 2 to 11: padding in the batch


def _autograd_gradients(params, names):
    """Loss and gradients from PyTorch, each name run on its own (no padding, no mask)."""
    weights = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in params.items()}
    index = {char: i for i, char in enumerate(ALPHABET)}
    total, count = 0.0, 0
    for name in names:
        ids = [index[char] for char in name]
        a = torch.zeros(weights["Waa"].shape[0], dtype=torch.float64)
        for x, target in zip([0, *ids], [*ids, 0], strict=True):
            a = torch.tanh(weights["Wax"][:, x] + weights["Waa"] @ a + weights["ba"])
            total = total - torch.log_softmax(weights["Wya"] @ a + weights["by"], dim=0)[target]
            count += 1
    loss = total / count
    loss.backward()
    return loss.item(), {name: weight.grad.numpy() for name, weight in weights.items()}


def _relative_error(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


def test_encode_batch_frames_names_with_the_end_marker():
    inputs, targets, mask = rnn.encode_batch(["emma", "max"], ALPHABET)
    assert ALPHABET[0] == "." and len(ALPHABET) == 27
    np.testing.assert_array_equal(inputs, [[0, 5, 13, 13, 1], [0, 13, 1, 24, 0]])
    np.testing.assert_array_equal(targets, [[5, 13, 13, 1, 0], [13, 1, 24, 0, 0]])
    np.testing.assert_array_equal(mask, [[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])


@pytest.mark.parametrize("n_hidden", [1, 8])
def test_bptt_gradients_match_autograd(n_hidden):
    params = rnn.init_params(len(ALPHABET), n_hidden, np.random.RandomState(0))
    loss, cache = rnn.forward(params, *rnn.encode_batch(BATCH, ALPHABET))
    grads = rnn.backward(params, cache)
    expected_loss, expected = _autograd_gradients(params, BATCH)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    assert set(grads) == set(expected) == {"Wax", "Waa", "ba", "Wya", "by"}
    for name in expected:
        assert grads[name].shape == params[name].shape
        assert _relative_error(grads[name], expected[name]) < 1e-10  # measured ~3e-16
    # clipping off, or a threshold above the norm: the gradients are left as they are
    for max_norm in (None, 1e6):
        clipped, _ = rnn.clip_gradients(grads, max_norm)
        for name in expected:
            np.testing.assert_array_equal(clipped[name], grads[name])


def test_clipping_matches_torch():
    params = rnn.init_params(len(ALPHABET), 8, np.random.RandomState(1))
    _, cache = rnn.forward(params, *rnn.encode_batch(BATCH, ALPHABET))
    grads = rnn.backward(params, cache)
    _, expected = _autograd_gradients(params, BATCH)
    tensors = [torch.zeros(grad.shape, dtype=torch.float64) for grad in expected.values()]
    for tensor, name in zip(tensors, expected, strict=True):
        tensor.grad = torch.tensor(expected[name])
    expected_norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm=0.05).item()
    clipped, norm = rnn.clip_gradients(grads, 0.05)
    assert norm == pytest.approx(expected_norm, rel=1e-12)
    assert norm > 0.05
    for tensor, name in zip(tensors, expected, strict=True):
        assert _relative_error(clipped[name], tensor.grad.numpy()) < 1e-10
    assert np.sqrt(sum((g**2).sum() for g in clipped.values())) == pytest.approx(0.05, rel=1e-4)


@pytest.mark.parametrize("make_optimizer", [lambda: rnn.Adam(lr=5e-3), lambda: rnn.SGD(lr=1.0)], ids=["adam", "sgd"])
def test_training_reduces_the_loss(make_optimizer):
    rng = np.random.RandomState(0)
    params = rnn.init_params(len(ALPHABET), 32, rng)
    train, valid = NAMES[::5], NAMES[1::10]
    before = rnn.mean_loss(params, valid, ALPHABET)
    assert before == pytest.approx(np.log(27), abs=0.05)  # untrained: about uniform over 27 symbols
    history = rnn.fit(params, train, ALPHABET, make_optimizer(), n_epochs=2, rng=rng, valid=valid)
    assert len(history["train"]) == len(history["valid"]) == 2
    assert len(history["grad_norm"]) == 2 * int(np.ceil(len(train) / 32))
    # measured: Adam 2.436, SGD 2.430 nats after 2 epochs on 1,033 names (3.29 before)
    assert history["valid"][-1] < 2.5
    assert history["valid"][-1] == pytest.approx(rnn.mean_loss(params, valid, ALPHABET))


def test_sampling():
    params = rnn.init_params(len(ALPHABET), 32, np.random.RandomState(0))
    rnn.fit(params, NAMES[::3], ALPHABET, rnn.Adam(lr=1e-2), n_epochs=2, rng=np.random.RandomState(0))
    samples = rnn.sample(params, ALPHABET, 200, np.random.RandomState(0))
    assert samples == rnn.sample(params, ALPHABET, 200, np.random.RandomState(0))
    assert all(set(s) <= set(ALPHABET[1:]) for s in samples)  # letters only; an empty name is possible
    assert 5 < np.mean([len(s) for s in samples]) < 7  # measured 5.97; census names: 6.0
    # a very low temperature always takes the most probable character: all samples agree
    assert len(set(rnn.sample(params, ALPHABET, 20, np.random.RandomState(0), temperature=1e-3))) == 1
    assert len(set(samples)) > 180  # measured 198 distinct names of 200
