"""Scaling up: intra-op threads, devices (a GPU-trained model on a CPU machine), mixed precision.

The tests that need CUDA are marked ``cuda`` and skip without it.
"""

import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback
from skorch.exceptions import DeviceWarning

import sklearn_seq
from sklearn_seq import GRUClassifier, LSTMClassifier, LSTMRegressor

FAST = {"hidden_size": 8, "max_epochs": 3, "lr": 0.02, "random_state": 0}
cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
no_cuda = pytest.mark.skipif(torch.cuda.is_available(), reason="simulates a machine without CUDA")


class _RecordThreads(Callback):
    def initialize(self):
        self.seen = []
        return self

    def on_batch_begin(self, net, **kwargs):
        self.seen.append(torch.get_num_threads())


def _recorded_threads(model):
    return next(callback.seen for _, callback in model.net_.callbacks_ if isinstance(callback, _RecordThreads))


def _first(output):
    return output[0] if isinstance(output, tuple) else output


def _record_forward(model, what):
    seen = []
    model.module_.register_forward_hook(lambda module, args, output: seen.append(what(output)))
    return seen


# -- torch_threads ------------------------------------------------------------------------------


def test_torch_threads_holds_during_fit_and_predict_and_is_restored(ragged_data):
    X, y = ragged_data
    before = torch.get_num_threads()
    wanted = 1 if before > 1 else 2
    recorder = _RecordThreads()
    model = GRUClassifier(torch_threads=wanted, callbacks=[recorder], **FAST).fit(X, y)
    assert set(_recorded_threads(model)) == {wanted}
    assert torch.get_num_threads() == before
    seen = _record_forward(model, lambda output: torch.get_num_threads())
    model.predict(X)
    assert set(seen) == {wanted} and torch.get_num_threads() == before


def test_torch_threads_none_keeps_torchs_count(ragged_data):
    X, y = ragged_data
    model = GRUClassifier(callbacks=[_RecordThreads()], **FAST).fit(X, y)
    assert set(_recorded_threads(model)) == {torch.get_num_threads()}


# -- precision ----------------------------------------------------------------------------------


def test_bf16_autocast_trains_on_the_cpu_and_predicts_close_to_float32(ragged_data):
    X, y = ragged_data
    params = {"hidden_size": 16, "max_epochs": 5, "lr": 0.02, "random_state": 0}
    fp32 = LSTMClassifier(**params).fit(X, y)
    bf16 = LSTMClassifier(precision="bf16", **params).fit(X, y)
    assert np.isfinite(bf16.loss_curve_).all()
    assert bf16.loss_curve_[-1] < bf16.loss_curve_[0]  # it learns
    dtypes = _record_forward(bf16, lambda output: _first(output).dtype)
    proba = bf16.predict_proba(X)
    assert set(dtypes) == {torch.bfloat16}  # inference runs under autocast too
    # bfloat16 keeps 8 bits of mantissa: the largest difference measured was 0.050 (seed 0); all labels agreed.
    np.testing.assert_allclose(proba, fp32.predict_proba(X), atol=0.08)
    assert (bf16.predict(X) == fp32.predict(X)).mean() > 0.9


def test_precision_changes_apply_to_a_fitted_network(ragged_data):
    X, y = ragged_data
    model = GRUClassifier(warm_start=True, **FAST).fit(X, y)
    model.set_params(precision="bf16")
    dtypes = _record_forward(model, lambda output: _first(output).dtype)
    model.fit(X, y)
    assert model.n_iter_ == 2 * FAST["max_epochs"] and torch.bfloat16 in dtypes


@pytest.mark.skipif(torch.cuda.is_available(), reason="float16 mixed precision is refused only without CUDA")
def test_float16_mixed_precision_is_refused_off_cuda(ragged_data):
    with pytest.raises(ValueError, match=r"precision='16-mixed' .* needs a CUDA device, but the network runs on 'cpu'"):
        GRUClassifier(precision="16-mixed", **FAST).fit(*ragged_data)


@cuda
def test_float16_mixed_precision_trains_on_cuda(ragged_data):
    X, y = ragged_data
    model = LSTMClassifier(precision="16-mixed", device="cuda", gradient_clip=1.0, **FAST).fit(X, y)
    assert np.isfinite(model.loss_curve_).all() and model.net_.grad_scaler_.get_scale() > 0
    reference = LSTMClassifier(device="cuda", gradient_clip=1.0, **FAST).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(X), atol=0.05)


# -- devices: a model trained on a GPU, used on a CPU-only machine --------------------------------


def _as_if_trained_on_cuda(model):
    """The state a fit with device='cuda' leaves, but for where the tensors are stored.

    Unpickling then takes skorch's real path for a CUDA net on a machine without CUDA
    (``get_map_location`` maps it to the CPU and warns); torch's ``map_location`` moving
    the tensors themselves is torch's, and runs for real in the cuda-marked test below.
    """
    model.set_params(device="cuda")
    model._net_params["device"] = "cuda"
    model.net_.device = "cuda"
    return model


@no_cuda
def test_a_gpu_trained_model_unpickles_and_predicts_on_a_cpu_machine(ragged_data):
    X, y = ragged_data
    model = GRUClassifier(**FAST).fit(X, y)
    expected = model.predict_proba(X)
    with pytest.warns(DeviceWarning, match="no CUDA devices are available"):
        loaded = pickle.loads(pickle.dumps(_as_if_trained_on_cuda(model)))
    assert loaded.device == "cuda" and str(loaded.net_.device) == "cpu"
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)  # no extra step
    # Training further runs on the device the estimator names: this machine lacks it, and says so.
    with pytest.raises(ValueError, match="torch sees no CUDA device on this machine"):
        loaded.set_params(warm_start=True).fit(X, y)
    loaded.set_params(device="cpu").fit(X, y)
    assert loaded.n_iter_ == 2 * FAST["max_epochs"]
    loaded.partial_fit(X, y)
    assert loaded.n_iter_ == 2 * FAST["max_epochs"] + 1 and str(loaded.net_.device) == "cpu"


@no_cuda
def test_a_gpu_trained_model_saved_weights_only_loads_on_a_cpu_machine(ragged_data, tmp_path):
    pytest.importorskip("safetensors")
    X, y = ragged_data
    model = LSTMRegressor(**FAST).fit(X, y.astype(float))
    expected = model.predict(X)
    sklearn_seq.save(_as_if_trained_on_cuda(model), tmp_path / "model.zip")
    with pytest.warns(UserWarning, match="device='cuda', but this machine lacks it: the network is loaded on the CPU"):
        loaded = sklearn_seq.load(tmp_path / "model.zip")
    np.testing.assert_array_equal(loaded.predict(X), expected)


@cuda
def test_a_cuda_model_moves_to_the_cpu_for_training_further(ragged_data):
    X, y = ragged_data
    model = GRUClassifier(device="cuda", warm_start=True, **FAST).fit(X, y)
    model.set_params(device="cpu").fit(X, y)
    assert next(model.module_.parameters()).device.type == "cpu"
    state = model.net_.optimizer_.state_dict()["state"]
    assert all(value.device.type == "cpu" for entry in state.values() for value in entry.values()
               if isinstance(value, torch.Tensor) and value.dim())


@cuda
def test_a_cuda_model_unpickles_in_a_process_without_cuda(ragged_data, tmp_path):
    X, y = ragged_data
    model = GRUClassifier(device="cuda", **FAST).fit(X, y)
    np.save(tmp_path / "X.npy", np.asarray(X, dtype=object), allow_pickle=True)
    with open(tmp_path / "model.pkl", "wb") as file:
        pickle.dump(model, file)
    script = ("import pickle, sys, numpy as np; m = pickle.load(open(sys.argv[1], 'rb')); "
              "np.save(sys.argv[3], m.predict_proba(list(np.load(sys.argv[2], allow_pickle=True))))")
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "model.pkl"), str(tmp_path / "X.npy"),
                    str(tmp_path / "proba.npy")], check=True, env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})
    np.testing.assert_allclose(np.load(tmp_path / "proba.npy"), model.predict_proba(X), atol=1e-5)



@no_cuda
def test_a_float16_gpu_model_predicts_in_float32_on_a_cpu_machine(ragged_data):
    X, y = ragged_data
    model = LSTMClassifier(**FAST).fit(X, y)  # torch's CPU LSTM has no float16 kernel
    expected = model.predict_proba(X)
    _as_if_trained_on_cuda(model).set_params(precision="16-mixed")
    model._net_params["precision"] = model.net_.precision = "16-mixed"
    with pytest.warns(DeviceWarning):
        served = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(served.predict_proba(X), expected)


def test_torch_threads_is_restored_when_fits_overlap_in_threads(ragged_data):
    from concurrent.futures import ThreadPoolExecutor

    X, y = ragged_data
    before = torch.get_num_threads()
    target = 2 if before == 1 else 1

    def fit(i):  # the second starts inside the first and ends after it
        return GRUClassifier(**{**FAST, "max_epochs": 2 + 2 * i}, torch_threads=target).fit(X, y)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(fit, range(2)))
    assert torch.get_num_threads() == before


def test_a_read_only_memory_map_is_predicted_on_without_a_copy(tmp_path):
    import tracemalloc
    import warnings

    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 5, 2)).astype(np.float32)
    model = GRUClassifier(**FAST).fit(X, (X[:, :, 0].sum(axis=1) > 0).astype(int))
    np.save(tmp_path / "X.npy", rng.normal(size=(20000, 20, 2)).astype(np.float32))
    mapped = np.load(tmp_path / "X.npy", mmap_mode="r")
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch's warning about read-only arrays included
        model.predict_proba(mapped)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 0.8 * mapped.nbytes  # measured 0.56 (masks, outputs); with a float32 copy of the input: 1.86


def test_an_indexed_cpu_device_is_refused(ragged_data):
    X, y = ragged_data
    with pytest.raises(ValueError, match="the CPU is one device without an index; use 'cpu'"):
        GRUClassifier(**FAST, device="cpu:0").fit(X, y)
