"""The lectures' movie-review example in sklearn-seq, a hand-written PyTorch loop, plain skorch and Keras 3.

The lectures' IMDB-style model, ``Embedding(10000, 32) -> SimpleRNN(32) -> Dense``, and
an ``LSTM(64)`` variant, trained on the shipped movie reviews
(:func:`sklearn_seq.datasets.load_movie_reviews`) with the same token ids in every
system: a :class:`~sklearn_seq.text.SequenceVectorizer` keeps the 9,998 most frequent
tokens of the training reviews (ids 2-9,999; 0 pads, 1 is out of vocabulary) and the
last 60 tokens of each review. The test set is a fifth of the films
(``GroupShuffleSplit`` on ``movie``): no film has reviews on both sides. Every system
trains 3 epochs of Adam (lr 1e-3) on shuffled batches of 32 and is scored by its test
accuracy.

- ``sklearn-seq``: ``RNNClassifier`` / ``LSTMClassifier`` with ``embedding_dim=32``,
  ``vocab_size=10000``, default ``init='keras'``, on the zero-padded id matrix;
- ``sklearn-seq init=torch``: the same with ``init='torch'`` (PyTorch's initialisation);
- ``torch loop``: a hand-written loop over the same network as plain PyTorch builds it
  (``nn.Embedding``, ``nn.RNN``/``nn.LSTM``, ``nn.Linear`` on each review's last valid
  step, PyTorch's default initialisation), each batch cut to its longest review, as
  sklearn-seq does;
- ``skorch``: plain ``skorch.NeuralNetClassifier`` over that same module, no internal
  validation split;
- ``keras``: Keras 3 on its torch backend, the lectures' code: ``pad_sequences`` to 60
  (zeros before each review), ``Dense(1, 'sigmoid')``, binary cross-entropy. Needs the
  ``bench`` extra (``pip install sklearn-seq[bench]``); skipped with a message without it.

Each run is a fresh subprocess that first warms its system up with one small fit (the
first fit in a process pays about a second of lazy imports inside torch), then times
``fit`` alone and reports seconds per epoch (fit time / epochs) and test accuracy. The
systems alternate within each seed, in an order rotated from seed to seed; a system's
time is the best over the seeds, its accuracy is given per seed and as a mean.

Run it from the repository root::

    python benchmarks/bench_peers.py              # about 16 minutes on 2 cores, most of it Keras
    python benchmarks/bench_peers.py --quick      # tiny sizes, about a minute; numbers are noise
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass

import numpy as np

SYSTEMS = ("sklearn-seq", "sklearn-seq init=torch", "torch loop", "skorch", "keras")
MODELS = {"rnn": 32, "lstm": 64}  # cell -> hidden units
VOCAB_SIZE, MAX_LENGTH, EMBEDDING_DIM = 10_000, 60, 32
ACCURACY_MARGIN, TIME_TARGET = 0.01, 1.05


@dataclass(frozen=True)
class Settings:
    """Sizes of one benchmark run; ``n_train``/``n_test`` None: the whole split."""

    epochs: int = 3
    batch_size: int = 32
    lr: float = 1e-3
    n_train: int | None = None
    n_test: int | None = None


FULL = Settings()
QUICK = Settings(epochs=1, n_train=256, n_test=128)
WARM_UP = Settings(epochs=1, n_train=64, n_test=32)


# -- data -------------------------------------------------------------------------------


def load_data(settings: Settings) -> dict[str, np.ndarray]:
    """Token ids of the training and test reviews, post-padded (with lengths) and pre-padded (Keras's way)."""
    from sklearn.model_selection import GroupShuffleSplit

    from sklearn_seq import SequenceVectorizer
    from sklearn_seq.datasets import load_movie_reviews

    reviews = load_movie_reviews()
    train, test = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0).split(
        reviews.data, groups=reviews.movie))
    train, test = train[: settings.n_train], test[: settings.n_test]
    vectorizer = SequenceVectorizer(max_features=VOCAB_SIZE - 2, max_length=MAX_LENGTH)
    vectorizer.fit([reviews.data[i] for i in train])
    data = {}
    for name, index in (("train", train), ("test", test)):
        ids = vectorizer.transform([reviews.data[i] for i in index])
        lengths = np.array([len(seq) for seq in ids])
        post = np.zeros((len(ids), MAX_LENGTH), dtype=np.int64)
        pre = np.zeros_like(post)
        for row, seq in enumerate(ids):
            post[row, : len(seq)] = seq
            pre[row, MAX_LENGTH - len(seq):] = seq
        data |= {f"{name}_post": post, f"{name}_pre": pre, f"{name}_lengths": lengths,
                 f"{name}_y": reviews.target[index]}
    return data


# -- the systems: each trains on the training split and returns its test accuracy ------


def run_sklearn_seq(data, cell, hidden, settings, seed, init="keras"):
    from sklearn_seq import RNNClassifier

    clf = RNNClassifier(cell=cell, hidden_size=hidden, embedding_dim=EMBEDDING_DIM, vocab_size=VOCAB_SIZE, init=init,
                        max_epochs=settings.epochs, batch_size=settings.batch_size, lr=settings.lr, random_state=seed)
    start = time.perf_counter()
    clf.fit(data["train_post"], data["train_y"])
    seconds = time.perf_counter() - start
    return seconds, clf.score(data["test_post"], data["test_y"])


def _reference_module(cell, hidden):
    import torch
    from torch import nn

    class ReviewNet(nn.Module):
        """Embedding, RNN/LSTM and a linear head on each review's last valid step, as PyTorch initialises them."""

        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCAB_SIZE, EMBEDDING_DIM, padding_idx=0)
            self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM}[cell](EMBEDDING_DIM, hidden, batch_first=True)
            self.head = nn.Linear(hidden, 2)

        def forward(self, x, lengths):
            x = x[:, : int(lengths.max())]  # the batch cut to its longest review
            outputs, _ = self.rnn(self.embedding(x))
            return self.head(outputs[torch.arange(len(x)), lengths - 1])

    return ReviewNet


def run_torch_loop(data, cell, hidden, settings, seed):
    import torch

    torch.manual_seed(seed)
    start = time.perf_counter()
    x, lengths = torch.from_numpy(data["train_post"]), torch.from_numpy(data["train_lengths"])
    y = torch.from_numpy(data["train_y"])
    model = _reference_module(cell, hidden)()
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(settings.epochs):
        for index in torch.randperm(len(x), generator=generator).split(settings.batch_size):
            optimizer.zero_grad()
            loss_fn(model(x[index], lengths[index]), y[index]).backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(data["test_post"]), torch.from_numpy(data["test_lengths"]))
    return seconds, float((logits.argmax(1).numpy() == data["test_y"]).mean())


def run_skorch(data, cell, hidden, settings, seed):
    import torch
    from skorch import NeuralNetClassifier

    torch.manual_seed(seed)
    net = NeuralNetClassifier(_reference_module(cell, hidden), criterion=torch.nn.CrossEntropyLoss,
                              optimizer=torch.optim.Adam, lr=settings.lr, batch_size=settings.batch_size,
                              max_epochs=settings.epochs, train_split=None, iterator_train__shuffle=True, verbose=0)
    start = time.perf_counter()
    net.fit({"x": data["train_post"], "lengths": data["train_lengths"]}, data["train_y"])
    seconds = time.perf_counter() - start
    predicted = net.predict({"x": data["test_post"], "lengths": data["test_lengths"]})
    return seconds, float((predicted == data["test_y"]).mean())


def run_keras(data, cell, hidden, settings, seed):
    import keras

    keras.utils.set_random_seed(seed)
    recurrent = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM}[cell](hidden)
    model = keras.Sequential([keras.Input((MAX_LENGTH,), dtype="int32"),
                              keras.layers.Embedding(VOCAB_SIZE, EMBEDDING_DIM), recurrent,
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(settings.lr), loss="binary_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(data["train_pre"], data["train_y"], epochs=settings.epochs, batch_size=settings.batch_size, verbose=0)
    seconds = time.perf_counter() - start
    predicted = (model.predict(data["test_pre"], batch_size=256, verbose=0)[:, 0] > 0.5).astype(int)
    return seconds, float((predicted == data["test_y"]).mean())


RUNNERS = {
    "sklearn-seq": run_sklearn_seq,
    "sklearn-seq init=torch": lambda *args: run_sklearn_seq(*args, init="torch"),
    "torch loop": run_torch_loop,
    "skorch": run_skorch,
    "keras": run_keras,
}


def keras_available() -> bool:
    """Whether Keras 3 imports (on its torch backend) in a subprocess."""
    probe = "import keras, sys; sys.exit(0 if keras.__version__.split('.')[0] == '3' else 1)"
    return subprocess.run([sys.executable, "-c", probe], env=_worker_env(), capture_output=True).returncode == 0


# -- one measurement per subprocess -------------------------------------------------------


def worker(system: str, model: str, settings: Settings, seed: int, threads: int) -> dict:
    """Warm ``system`` up with a small fit, then time one fit at ``settings``; what the parent parses."""
    import torch

    torch.set_num_threads(threads)
    run = RUNNERS[system]
    run(load_data(WARM_UP), model, MODELS[model], WARM_UP, seed)
    seconds, accuracy = run(load_data(settings), model, MODELS[model], settings, seed)
    return {"system": system, "model": model, "seed": seed, "seconds_per_epoch": seconds / settings.epochs,
            "accuracy": accuracy}


def _worker_env() -> dict:
    """Keras on torch, and the sklearn_seq this process imported (a checkout's, not another install's)."""
    import sklearn_seq

    root = os.path.dirname(os.path.dirname(os.path.abspath(sklearn_seq.__file__)))
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "KERAS_BACKEND": "torch", "PYTHONPATH": path}


def measure(system: str, model: str, settings: Settings, seed: int, threads: int) -> dict:
    """Run :func:`worker` in a fresh Python process and return its result."""
    command = [sys.executable, __file__, "--worker", system, "--model", model, "--seed", str(seed),
               "--threads", str(threads), "--settings", json.dumps(asdict(settings))]
    done = subprocess.run(command, env=_worker_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{system} ({model}, seed {seed}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- report ---------------------------------------------------------------------------------


def format_table(results: list[dict], model: str, systems: tuple[str, ...]) -> str:
    """One row per system: best seconds per epoch, its ratio to the hand loop's, accuracy per seed and mean."""
    rows = {system: [r for r in results if r["model"] == model and r["system"] == system] for system in systems}
    loop = min(r["seconds_per_epoch"] for r in rows["torch loop"])
    seeds = sorted({r["seed"] for r in results})
    header = ("system", "s/epoch", "x loop", *(f"acc seed {s}" for s in seeds), "acc mean")
    lines = []
    for system, runs in rows.items():
        best = min(r["seconds_per_epoch"] for r in runs)
        accuracy = {r["seed"]: r["accuracy"] for r in runs}
        lines.append((system, f"{best:.3f}", f"{best / loop:.2f}", *(f"{accuracy[s]:.3f}" for s in seeds),
                      f"{np.mean(list(accuracy.values())):.3f}"))
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [header, *lines]]
    text.insert(1, "-" * len(text[0]))
    return "\n".join([f"{model.upper()}({MODELS[model]})", *text])


def verdicts(results: list[dict], model: str, systems: tuple[str, ...]) -> list[str]:
    """The targets: accuracy >= Keras's - 0.01 (means), time per epoch <= the hand loop's x 1.05 (bests)."""
    def runs(system):
        return [r for r in results if r["model"] == model and r["system"] == system]

    ours = runs("sklearn-seq")
    time_ratio = min(r["seconds_per_epoch"] for r in ours) / min(r["seconds_per_epoch"] for r in runs("torch loop"))
    met = time_ratio <= TIME_TARGET
    lines = [f"{model}: time ours/loop {time_ratio:.2f} <= {TIME_TARGET:.2f}: {'yes' if met else 'NO'}"]
    if "keras" in systems:
        gap = np.mean([r["accuracy"] for r in ours]) - np.mean([r["accuracy"] for r in runs("keras")])
        met = gap >= -ACCURACY_MARGIN
        lines.append(f"{model}: accuracy ours - keras {gap:+.3f} >= -{ACCURACY_MARGIN:.2f}: {'yes' if met else 'NO'}")
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, about a minute (for tests)")
    parser.add_argument("--seeds", type=int, default=None, help="runs per system, seeds 0..N-1 (default 2, quick 1)")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads in every system")
    parser.add_argument("--models", default="rnn,lstm", help="comma-separated subset of rnn,lstm")
    parser.add_argument("--no-keras", action="store_true", help="leave Keras out")
    parser.add_argument("--worker", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--model", choices=tuple(MODELS), help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--settings", default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[dict]:
    args = parse_args(argv)
    settings = QUICK if args.quick else FULL
    seeds = range(args.seeds or (1 if args.quick else 2))
    systems = SYSTEMS
    if args.no_keras:
        systems = tuple(s for s in SYSTEMS if s != "keras")
    elif not keras_available():
        print("Keras 3 is not installed: skipping it (pip install 'sklearn-seq[bench]').")
        systems = tuple(s for s in SYSTEMS if s != "keras")
    models = args.models.split(",")
    print(f"{settings.epochs} epochs, batch {settings.batch_size}, Adam lr {settings.lr}, {args.threads} thread(s); "
          f"seeds {list(seeds)}; each run in its own process after a warm-up fit")
    results = []
    for seed in seeds:
        order = systems[seed % len(systems):] + systems[: seed % len(systems)]  # interleaved, rotated
        for model in models:
            for system in order:
                results.append(measure(system, model, settings, seed, args.threads))
                print(f"  {model} seed {seed} {system}: {results[-1]['seconds_per_epoch']:.3f} s/epoch, "
                      f"accuracy {results[-1]['accuracy']:.3f}", flush=True)
    for model in models:
        print()
        print(format_table(results, model, systems))
    print()
    print("\n".join(line for model in models for line in verdicts(results, model, systems)))
    return results


if __name__ == "__main__":
    cli = parse_args(sys.argv[1:])
    if cli.worker:
        print(json.dumps(worker(cli.worker, cli.model, Settings(**json.loads(cli.settings)), cli.seed, cli.threads)))
    else:
        main()
