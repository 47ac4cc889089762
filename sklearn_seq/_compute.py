"""Where and how the arithmetic runs: devices, intra-op threads, numeric precision, moving a fitted net.

The engine (:mod:`sklearn_seq.base`) enters :func:`compute_context` around every fit and
inference, so that ``torch_threads`` and ``precision`` hold while torch computes and
nothing global stays changed afterwards.
"""

import threading
from contextlib import contextmanager, nullcontext

import torch
from skorch.dataset import unpack_data
from skorch.utils import TeeGenerator, to_device

# The autocast dtype of each ``precision``; None computes in float32.
PRECISIONS = {"32": None, "bf16": torch.bfloat16, "16-mixed": torch.float16}


def check_precision(precision, device):
    """Refuse float16 mixed precision where torch cannot train with it (its CPU kernels lack fp16 LSTMs)."""
    if precision == "16-mixed" and torch.device(device).type != "cuda":
        raise ValueError(
            f"precision='16-mixed' (float16 autocast with a gradient scaler) needs a CUDA device, but the network "
            f"runs on {device!r}; use precision='bf16', which also runs on the CPU, or '32'"
        )


_THREADS_LOCK = threading.Lock()
_threads_users = 0  # blocks inside torch_threads now, across threads
_threads_before = None  # torch's count before the first of them


@contextmanager
def torch_threads(n_threads):
    """Let torch use ``n_threads`` intra-op threads inside the block, then restore the previous count.

    None keeps torch's count: in joblib's loky workers that is already the machine's
    cores divided by the workers (loky sets ``OMP_NUM_THREADS``); dask's nanny sets it
    to 1. The count is process-wide: when blocks overlap in several threads, the last
    to enter sets it and the last to leave restores the count from before the first.
    """
    global _threads_users, _threads_before
    if n_threads is None:
        yield
        return
    with _THREADS_LOCK:
        if _threads_users == 0:
            _threads_before = torch.get_num_threads()
        _threads_users += 1
        torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        with _THREADS_LOCK:
            _threads_users -= 1
            if _threads_users == 0:
                torch.set_num_threads(_threads_before)


def autocast(device, precision):
    """``torch.autocast`` on ``device`` for ``precision``; a no-op for ``'32'``."""
    dtype = PRECISIONS[precision]
    if dtype is None or (precision == "16-mixed" and torch.device(device).type != "cuda"):
        # float16 is for CUDA (training there is refused elsewhere): a '16-mixed' model served on a
        # CPU-only machine predicts in float32, since torch's CPU LSTM has no float16 kernel.
        return nullcontext()
    return torch.autocast(torch.device(device).type, dtype=dtype)


@contextmanager
def compute_context(estimator, device):
    """The estimator's ``torch_threads`` and ``precision`` on ``device``, for a fit or an inference."""
    with torch_threads(estimator.torch_threads), autocast(device, estimator.precision):
        yield


def move_net(net, device):
    """Move a fitted skorch ``net`` (module, loss, optimizer state) to ``device``, through skorch's public API."""
    net.set_params(device=device)
    to_device(net.module_, device)
    to_device(net.criterion_, device)
    # torch's Optimizer.load_state_dict moves the state (Adam's moments) to its parameters' device.
    net.optimizer_.load_state_dict(net.optimizer_.state_dict())


class AutocastSteps:
    """skorch hooks that run a net's forward passes under ``torch.autocast`` for ``precision``.

    A mixin for skorch's nets (see :mod:`sklearn_seq._nets`), in the documented way to
    change skorch's training step: overrides of the public ``infer``,
    ``train_step_single`` and ``train_step``. Outputs leave the autocast region
    as float32, so losses, callbacks and predictions see full-precision values; with
    ``'16-mixed'`` a :class:`torch.amp.GradScaler` scales the loss before ``backward`` and
    unscales the gradients before the callbacks (gradient clipping) see them.
    """

    def __init__(self, *args, precision="32", **kwargs):
        super().__init__(*args, **kwargs)
        self.precision = precision

    def infer(self, x, **fit_params):
        with autocast(self.device, self.precision):
            y_pred = super().infer(x, **fit_params)
        return _as_float32(y_pred)

    def train_step_single(self, batch, **fit_params):
        if self.precision != "16-mixed":
            return super().train_step_single(batch, **fit_params)
        self.module_.train()
        self.criterion_.train()
        x, y = unpack_data(batch)
        y_pred = self.infer(x, **fit_params)
        loss = self.get_loss(y_pred, y, X=x, training=True)
        self._grad_scaler().scale(loss).backward()
        return {"loss": loss, "y_pred": y_pred}

    def train_step(self, batch, **fit_params):
        if self.precision != "16-mixed":
            return super().train_step(batch, **fit_params)
        # GradScaler cannot step an optimizer through skorch's closure; the same order, without it.
        scaler = self._grad_scaler()
        self.optimizer_.zero_grad()
        step = self.train_step_single(batch, **fit_params)
        scaler.unscale_(self.optimizer_)
        self.notify("on_grad_computed", named_parameters=TeeGenerator(self.get_all_learnable_params()),
                    batch=batch, training=True)
        scaler.step(self.optimizer_)  # skipped when a gradient overflowed
        scaler.update()
        return step

    def _grad_scaler(self):
        if getattr(self, "grad_scaler_", None) is None:
            self.grad_scaler_ = torch.amp.GradScaler(torch.device(self.device).type)
        return self.grad_scaler_


def _as_float32(outputs):
    """Floating tensors of ``outputs`` (a tensor, or a tuple of tensors or None) as float32."""
    if isinstance(outputs, tuple):
        return tuple(_as_float32(out) for out in outputs)
    if isinstance(outputs, torch.Tensor) and outputs.is_floating_point():
        return outputs.float()
    return outputs


def check_device(device):
    """``device`` as given, once torch can use it on this machine; else a ValueError that says what it has."""
    try:
        kind = torch.device(device)
    except (RuntimeError, TypeError, ValueError):  # torch's own messages list its internal backends
        kind = None
    if kind is None or kind.type not in ("cpu", "cuda", "mps"):
        raise ValueError(f"device={device!r} is not a device sklearn_seq can use; expected 'cpu', 'cuda', "
                         "'cuda:N', 'mps', 'auto' or a torch.device of one of these types")
    if kind.type == "cpu" and kind.index is not None:  # skorch cannot map its pickles back to 'cpu:N'
        raise ValueError(f"device={device!r}: the CPU is one device without an index; use 'cpu'")
    if kind.type == "cuda":
        n_gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if n_gpus == 0:
            raise ValueError(f"device={device!r} but torch sees no CUDA device on this machine "
                             "(torch.cuda.is_available() is False); use 'cpu' or 'auto'")
        if kind.index is not None and kind.index >= n_gpus:
            raise ValueError(f"device={device!r} but torch sees {n_gpus} CUDA device(s) on this machine: "
                             f"{', '.join(f'cuda:{i}' for i in range(n_gpus))}")
    if kind.type == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"device={device!r} but torch's MPS backend (Apple GPUs) is not available on this "
                         "machine (torch.backends.mps.is_available() is False); use 'cpu' or 'auto'")
    return device


def lacks_accelerator(device):
    """Whether ``device`` names a CUDA or MPS device that this machine does not have."""
    try:
        kind = torch.device(device)
    except (RuntimeError, TypeError, ValueError):
        return False  # 'auto', or not a device name at all: check_device's to report
    if kind.type == "cuda":
        return not torch.cuda.is_available() or (kind.index or 0) >= torch.cuda.device_count()
    return kind.type == "mps" and not torch.backends.mps.is_available()


def usable_device(estimator):
    """Whether the estimator's ``device`` is one this machine has."""
    try:
        estimator._torch_device()
    except ValueError:
        return False
    return True


def same_device(a, b):
    """Whether two device names mean the same device ('cuda' and 'cuda:0' do)."""
    a, b = torch.device(a), torch.device(b)
    return (a.type, a.index or 0) == (b.type, b.index or 0)
