r"""
=====================================================================
The NumPy character-level RNN: forward pass, BPTT, clipping, sampling
=====================================================================

The functions of the from-scratch vanilla RNN language model that
:ref:`sphx_glr_auto_examples_generation_plot_numpy_char_rnn.py` trains on
first names. This page is the code only (it is not run here): the example imports
it, and the test suite checks its gradients against PyTorch's autograd.

Notation of the lecture: at step :math:`t` the one-hot input :math:`x^{<t>}` (the
previous character) and the previous activation :math:`a^{<t-1>}` give

.. math::

    a^{<t>} = \tanh(W_{aa} a^{<t-1>} + W_{ax} x^{<t>} + b_a), \qquad
    \hat y^{<t>} = \operatorname{softmax}(W_{ya} a^{<t>} + b_y),

with :math:`a^{<0>} = 0`. Character 0 of the alphabet, ``'.'``, marks both ends of a
name: it is the first input and the last target, so that a name of :math:`T` letters
gives :math:`T + 1` predictions. The loss is the mean cross-entropy per prediction,
:math:`-\frac{1}{N}\sum \log \hat y^{<t>}_{x^{<t+1>}}`, whose exponential is the
perplexity.

Names are processed in mini-batches padded to the longest name: padded steps
come after the end of every name, so masking their loss is enough for them to
contribute nothing to the gradients.
"""

# This page is not run (the gallery runs plot_*.py only): its card shows the unrolled RNN.
# sphinx_gallery_thumbnail_path = "_diagrams/rnn_unrolled.png"

import numpy as np

END = "."  # id 0: the start input and the end target of every name


def make_alphabet(names):
    """The end marker followed by the sorted characters of ``names``."""
    return [END, *sorted(set("".join(names)))]


def encode_batch(names, alphabet):
    """Input ids, target ids and mask of a batch, each of shape ``(batch, longest + 1)``."""
    index = {char: i for i, char in enumerate(alphabet)}
    width = max(len(name) for name in names) + 1
    inputs = np.zeros((len(names), width), dtype=np.int64)
    targets = np.zeros((len(names), width), dtype=np.int64)
    mask = np.zeros((len(names), width))
    for row, name in enumerate(names):
        ids = [index[char] for char in name]
        inputs[row, 1 : len(ids) + 1] = ids  # the input of step 0 is the end marker
        targets[row, : len(ids)] = ids  # the target of the last step is the end marker
        mask[row, : len(ids) + 1] = 1.0
    return inputs, targets, mask


def init_params(n_vocab, n_hidden, rng):
    """Weights uniform in ``(-1/sqrt(n_hidden), 1/sqrt(n_hidden))``, as PyTorch's ``nn.RNN``."""
    bound = 1 / np.sqrt(n_hidden)
    shapes = {
        "Wax": (n_hidden, n_vocab),
        "Waa": (n_hidden, n_hidden),
        "ba": (n_hidden,),
        "Wya": (n_vocab, n_hidden),
        "by": (n_vocab,),
    }
    return {name: rng.uniform(-bound, bound, size=shape) for name, shape in shapes.items()}


def _log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def forward(params, inputs, targets, mask):
    """Mean cross-entropy per predicted character, and the values the backward pass needs."""
    n_steps = inputs.shape[1]
    a = np.zeros((n_steps + 1, len(inputs), params["Waa"].shape[0]))  # a[t + 1] is a<t>, a[0] = 0
    for t in range(n_steps):
        # W_ax x<t> for a one-hot x<t> is the column of W_ax of the input character
        a[t + 1] = np.tanh(params["Wax"][:, inputs[:, t]].T + a[t] @ params["Waa"].T + params["ba"])
    log_y = _log_softmax(a[1:] @ params["Wya"].T + params["by"])  # (steps, batch, vocab)
    steps, rows = np.meshgrid(np.arange(n_steps), np.arange(len(inputs)), indexing="ij")
    n_predictions = mask.sum()
    loss = -(log_y[steps, rows, targets.T] * mask.T).sum() / n_predictions
    cache = {"inputs": inputs, "targets": targets, "mask": mask, "a": a, "log_y": log_y}
    return loss, cache


def backward(params, cache):
    """Backpropagation through time: the gradient of the loss for every parameter."""
    inputs, targets, mask, a, log_y = (cache[key] for key in ("inputs", "targets", "mask", "a", "log_y"))
    n_steps, n_rows, n_hidden = a.shape[0] - 1, a.shape[1], a.shape[2]
    # softmax + cross-entropy: dL/dz = y_hat - one_hot(target), for the predicted steps only
    dz = np.exp(log_y)
    steps, rows = np.meshgrid(np.arange(n_steps), np.arange(n_rows), indexing="ij")
    dz[steps, rows, targets.T] -= 1.0
    dz *= (mask.T / mask.sum())[:, :, None]
    grads = {"Wya": np.einsum("tbv,tbh->vh", dz, a[1:]), "by": dz.sum(axis=(0, 1))}
    da_output = dz @ params["Wya"]  # what each a<t> receives from its own prediction
    dpre = np.zeros_like(da_output)  # gradient before the tanh, step by step
    da_next = np.zeros((n_rows, n_hidden))  # what a<t> receives from step t + 1
    for t in reversed(range(n_steps)):
        dpre[t] = (da_output[t] + da_next) * (1.0 - a[t + 1] ** 2)
        da_next = dpre[t] @ params["Waa"]
    grads["Waa"] = np.einsum("tbh,tbk->hk", dpre, a[:-1])
    grads["ba"] = dpre.sum(axis=(0, 1))
    grads["Wax"] = np.zeros_like(params["Wax"])
    np.add.at(grads["Wax"].T, inputs.T.ravel(), dpre.reshape(-1, n_hidden))  # column of each input id
    return grads


def clip_gradients(grads, max_norm):
    """Rescale the gradients so that their global norm is at most ``max_norm``.

    Returns the clipped gradients and the norm before clipping. Same rule as
    ``torch.nn.utils.clip_grad_norm_``: a factor ``max_norm / (norm + 1e-6)`` when
    below 1. ``max_norm=None`` leaves the gradients as they are.
    """
    norm = np.sqrt(sum((grad**2).sum() for grad in grads.values()))
    if max_norm is None or norm <= max_norm:
        return grads, norm
    scale = max_norm / (norm + 1e-6)
    return {name: grad * scale for name, grad in grads.items()}, norm


class SGD:
    """Plain gradient descent: ``w -= lr * g``."""

    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for name, grad in grads.items():
            params[name] -= self.lr * grad


class Adam:
    """Adam (Kingma and Ba, 2015): steps scaled by running moments of the gradient."""

    def __init__(self, lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m, self.v, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        for name, grad in grads.items():
            self.m[name] = self.beta1 * self.m.get(name, 0.0) + (1 - self.beta1) * grad
            self.v[name] = self.beta2 * self.v.get(name, 0.0) + (1 - self.beta2) * grad**2
            m_hat = self.m[name] / (1 - self.beta1**self.t)
            v_hat = self.v[name] / (1 - self.beta2**self.t)
            params[name] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def mean_loss(params, names, alphabet, batch_size=512):
    """Mean cross-entropy per predicted character (nats) over ``names``; its exp is the perplexity."""
    total, count = 0.0, 0.0
    for start in range(0, len(names), batch_size):
        inputs, targets, mask = encode_batch(names[start : start + batch_size], alphabet)
        loss, _ = forward(params, inputs, targets, mask)
        total, count = total + loss * mask.sum(), count + mask.sum()
    return total / count


def fit(params, names, alphabet, optimizer, *, n_epochs, batch_size=32, max_norm=5.0, rng, valid=None):
    """Train in place with mini-batches; returns the history of losses and gradient norms.

    ``history["train"]`` and ``history["valid"]`` hold the mean loss after each epoch
    (on ``names`` and on ``valid``), ``history["grad_norm"]`` the gradient norm of every
    update, before clipping.
    """
    history = {"train": [], "valid": [], "grad_norm": []}
    for _ in range(n_epochs):
        order = rng.permutation(len(names))
        for start in range(0, len(names), batch_size):
            batch = [names[i] for i in order[start : start + batch_size]]
            _, cache = forward(params, *encode_batch(batch, alphabet))
            grads, norm = clip_gradients(backward(params, cache), max_norm)
            optimizer.step(params, grads)
            history["grad_norm"].append(norm)
        history["train"].append(mean_loss(params, names, alphabet))
        if valid is not None:
            history["valid"].append(mean_loss(params, valid, alphabet))
    return history


def sample(params, alphabet, n_samples, rng, *, temperature=1.0, max_length=20):
    """Generate names character by character, feeding each drawn character back as input.

    The next character is drawn with probabilities proportional to
    ``y_hat ** (1 / temperature)``; a name ends when the end marker is drawn or
    after ``max_length`` characters.
    """
    a = np.zeros((n_samples, params["Waa"].shape[0]))
    x = np.zeros(n_samples, dtype=np.int64)  # the end marker starts every name
    chars = np.zeros((n_samples, max_length), dtype=np.int64)
    for t in range(max_length):
        a = np.tanh(params["Wax"][:, x].T + a @ params["Waa"].T + params["ba"])
        log_y = _log_softmax((a @ params["Wya"].T + params["by"]) / temperature)
        cumulative = np.exp(log_y).cumsum(axis=1)
        x = (cumulative <= rng.random_sample(n_samples)[:, None] * cumulative[:, -1:]).sum(axis=1)
        chars[:, t] = x
    names = []
    for row in chars:
        ends = np.flatnonzero(row == 0)
        names.append("".join(alphabet[i] for i in row[: ends[0] if len(ends) else max_length]))
    return names
