"""Training overhead of ``LSTMClassifier.fit`` against hand-written PyTorch loops.

Three comparisons, each timed side by side in one run and reported as a ratio:

1. ``fixed``: ``LSTMClassifier.fit`` on a 3-D array of equal-length sequences against a
   plain PyTorch loop over the same data: ``nn.LSTM(batch_first=True)`` then ``nn.Linear``
   on the final hidden state, Adam with the same learning rate, ``CrossEntropyLoss``,
   shuffled mini-batches of the same size, the same number of epochs. Target: ours /
   reference <= 1.05.
2. ``ragged``: the same on a list of sequences whose lengths follow a skewed (lognormal)
   distribution, most short and a few long. The reference does what a PyTorch user
   tuning for CPU does: ``pad_sequence`` per batch, the LSTM unpacked over the batch, each
   sequence's output read at its last valid step (``pack_padded_sequence`` gives the same
   result but runs 3-4x slower on CPU, see ``--pack``). Both sides draw their shuffles
   from the same seed, so they train on identical batches. Target: ours / reference <= 1.05.
3. ``bucketing``: ``LSTMClassifier(bucket_by_length=True)`` on the skewed data against a
   loop that pads every batch to the global maximum length and runs the LSTM unpacked,
   reading each sequence's output at its last valid step. Target: speed-up (reference /
   ours) >= 1.5.

Each side's time runs from numpy input to a trained network (ours includes input
validation and building the skorch net). The sides alternate (ours, reference, ours,
...) and the best of ``--repeats`` runs of each is kept. Both use the same
``torch.set_num_threads``.

Run it from the repository root::

    python benchmarks/bench_training_overhead.py            # 1-2 minutes on 2 idle cores
    python benchmarks/bench_training_overhead.py --quick    # tiny sizes, a few seconds; ratios are noise
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass

import numpy as np
import torch
from _timing import Case, best_times, other_cpu_seconds, shuffle_seed
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

from sklearn_seq import LSTMClassifier


@dataclass(frozen=True)
class Scale:
    """Sizes of one benchmark run."""

    n_sequences: int
    n_timesteps: int  # of the fixed-length data
    median_length: int  # of the skewed data
    max_length: int  # cap of the skewed data
    n_features: int
    n_classes: int
    hidden_size: int
    epochs: int
    batch_size: int = 32
    lr: float = 1e-3


FULL = Scale(n_sequences=2000, n_timesteps=50, median_length=20, max_length=400, n_features=8, n_classes=3,
             hidden_size=64, epochs=5)
QUICK = Scale(n_sequences=96, n_timesteps=10, median_length=5, max_length=40, n_features=2, n_classes=2,
              hidden_size=8, epochs=1)




# -- data -------------------------------------------------------------------------------


def make_fixed(scale: Scale, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Equal-length sequences ``(n_sequences, n_timesteps, n_features)`` with a class-dependent mean."""
    y = rng.integers(scale.n_classes, size=scale.n_sequences)
    means = rng.normal(scale=0.5, size=(scale.n_classes, scale.n_features))
    X = rng.normal(size=(scale.n_sequences, scale.n_timesteps, scale.n_features)) + means[y][:, None, :]
    return X.astype(np.float32), y


def make_skewed(scale: Scale, rng: np.random.Generator) -> tuple[list[np.ndarray], np.ndarray]:
    """Sequences of lognormal lengths (most short, a few up to ``max_length``) with a class-dependent mean."""
    lengths = rng.lognormal(np.log(scale.median_length), 0.8, size=scale.n_sequences).astype(int)
    lengths = np.clip(lengths, 2, scale.max_length)
    lengths[0] = scale.max_length  # the global maximum is the cap, whatever the draw
    y = rng.integers(scale.n_classes, size=scale.n_sequences)
    means = rng.normal(scale=0.5, size=(scale.n_classes, scale.n_features))
    X = [rng.normal(size=(n, scale.n_features)) + means[label] for n, label in zip(lengths, y, strict=True)]
    return [x.astype(np.float32) for x in X], y


# -- the two sides ----------------------------------------------------------------------


def fit_ours(X, y, scale: Scale, *, seed: int, bucket_by_length: bool = False) -> LSTMClassifier:
    """Train ``LSTMClassifier`` with the benchmark's settings."""
    clf = LSTMClassifier(hidden_size=scale.hidden_size, max_epochs=scale.epochs, batch_size=scale.batch_size,
                         lr=scale.lr, bucket_by_length=bucket_by_length, random_state=seed)
    return clf.fit(X, y)


class ReferenceLSTM(nn.Module):
    """``nn.LSTM`` then ``nn.Linear`` on each sequence's last valid step, packed or not."""

    def __init__(self, n_features: int, hidden_size: int, n_classes: int, *, pack: bool) -> None:
        super().__init__()
        self.lstm = nn.LSTM(n_features, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)
        self.pack = pack

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        if self.pack:
            _, (h_n, _) = self.lstm(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
            return self.head(h_n[-1])
        outputs, _ = self.lstm(x)
        return self.head(outputs[torch.arange(len(x)), lengths - 1])


def fit_reference(X, y, scale: Scale, *, seed: int, pad_to: str, pack: bool) -> ReferenceLSTM:
    """Train :class:`ReferenceLSTM` with a plain loop.

    ``pad_to='global'`` pads all sequences once to the longest (for equal lengths, a
    stack) and indexes batches out of it; ``pad_to='batch'`` pads each batch to its own
    longest sequence with ``pad_sequence``.
    """
    torch.manual_seed(seed)
    sequences = [torch.from_numpy(x) for x in X]
    lengths = torch.tensor([len(s) for s in sequences])
    targets = torch.from_numpy(np.asarray(y, dtype=np.int64))
    padded = pad_sequence(sequences, batch_first=True) if pad_to == "global" else None
    model = ReferenceLSTM(sequences[0].shape[1], scale.hidden_size, scale.n_classes, pack=pack)
    optimizer = torch.optim.Adam(model.parameters(), lr=scale.lr)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(shuffle_seed(seed))
    model.train()
    for _ in range(scale.epochs):
        for index in torch.randperm(len(sequences), generator=generator).split(scale.batch_size):
            x = padded[index] if padded is not None else pad_sequence([sequences[i] for i in index], batch_first=True)
            optimizer.zero_grad()
            loss = loss_fn(model(x, lengths[index]), targets[index])
            loss.backward()
            optimizer.step()
    return model




# -- timing and report ------------------------------------------------------------------






def warm_up(seed: int) -> None:
    """Run every side once at tiny scale: the first optimizer built imports torch._dynamo (seconds)."""
    for case in make_cases(QUICK, seed):
        case.ours()
        case.reference()




def make_cases(scale: Scale, seed: int, *, pack: bool = False) -> list[Case]:
    """The three comparisons on freshly drawn data; ``pack``: the ragged reference packs its batches."""
    rng = np.random.default_rng(seed)
    X_fixed, y_fixed = make_fixed(scale, rng)
    X_skewed, y_skewed = make_skewed(scale, rng)
    lengths = np.array([len(x) for x in X_skewed])
    skewed = f"{scale.n_sequences} seqs, lengths {lengths.min()}-{lengths.max()} (median {np.median(lengths):.0f})"
    return [
        Case("fixed", f"{scale.n_sequences} x {scale.n_timesteps} steps x {scale.n_features}, vs plain LSTM loop",
             lambda: fit_ours(X_fixed, y_fixed, scale, seed=seed),
             lambda: fit_reference(X_fixed, y_fixed, scale, seed=seed, pad_to="global", pack=False),
             speedup=False, target=1.05),
        Case("ragged", f"{skewed}, vs per-batch pad{' + pack' if pack else ''} on the same batches",
             lambda: fit_ours(X_skewed, y_skewed, scale, seed=seed),
             lambda: fit_reference(X_skewed, y_skewed, scale, seed=seed, pad_to="batch", pack=pack),
             speedup=False, target=1.05),
        Case("bucketing", f"{skewed}, bucket_by_length=True vs padding to the global max, unpacked",
             lambda: fit_ours(X_skewed, y_skewed, scale, seed=seed, bucket_by_length=True),
             lambda: fit_reference(X_skewed, y_skewed, scale, seed=seed, pad_to="global", pack=False),
             speedup=True, target=1.5),
    ]


def format_table(rows: list[tuple[Case, float, float]]) -> str:
    """Plain-text table: case, ours (s), reference (s), ratio, target, met."""
    header = ("case", "ours (s)", "reference (s)", "ratio", "target", "met")
    lines = []
    for case, ours, reference in rows:
        ratio = reference / ours if case.speedup else ours / reference
        met = ratio >= case.target if case.speedup else ratio <= case.target
        target = f"ref/ours >= {case.target:.2f}" if case.speedup else f"ours/ref <= {case.target:.2f}"
        lines.append((case.name, f"{ours:.3f}", f"{reference:.3f}", f"{ratio:.3f}", target, "yes" if met else "NO"))
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [header, *lines]]
    text.insert(1, "-" * len(text[0]))
    legend = [f"  {case.name}: {case.description}" for case, _, _ in rows]
    return "\n".join(text + ["", *legend])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes that run in a few seconds (for tests)")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per side (default 3, quick 1)")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads(), help="torch.set_num_threads")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pack", action="store_true", help="the ragged reference packs its batches")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[tuple[Case, float, float]]:
    args = parse_args(argv)
    scale = QUICK if args.quick else FULL
    repeats = args.repeats or (1 if args.quick else 3)
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads on {os.cpu_count()} CPUs; "
          f"LSTM hidden {scale.hidden_size}, batch {scale.batch_size}, {scale.epochs} epochs, Adam lr {scale.lr}; "
          f"best of {repeats}")
    warm_up(args.seed)
    start, others = time.perf_counter(), other_cpu_seconds()
    rows = [(case, *best_times(case, repeats)) for case in make_cases(scale, args.seed, pack=args.pack)]
    others = (other_cpu_seconds() - others) / (time.perf_counter() - start)
    print(format_table(rows))
    print(f"\nOther processes kept {others:.2f} of {os.cpu_count()} CPUs busy meanwhile.")
    if others > os.cpu_count() - args.threads + 0.1:
        print("WARNING: they took cores the benchmark's threads needed, so the timings are unreliable (oneDNN's "
              "OpenMP threads stall whenever a core is taken); rerun when idle or with --threads 1.")
    return rows


if __name__ == "__main__":
    main()
