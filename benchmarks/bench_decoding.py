"""Decoding throughput and fit overhead of ``Seq2SeqTranslator`` against hand-written PyTorch.

One date model (``make_dates``: human-written dates in three locales -> ISO; a character
model with a bidirectional LSTM encoder and Bahdanau attention) is trained, then two
tables are measured side by side in one run:

1. Decoding, with the SAME trained module on the same held-out sources:

   - ``greedy``: ``predict`` (``beam_size=1``, batched 256 sentences at a time) against
     decoding one sentence at a time as the PyTorch seq2seq tutorial does: a Python loop
     over sentences, each encoded alone (``module.encode``/``initial_state``) and
     decoded step by step (``module.step``, argmax) until the end symbol. Target:
     speed-up (reference time / ours) >= 10.
   - ``beam5``: ``predict`` with ``beam_size=5`` (batched) against ``beam_search``
     called once per sentence with a batch of one. No target (the issue sets none).

   Both sides start from strings and end in strings (encoding with the fitted
   vocabularies, decoding back to text); the run also reports how many per-sentence
   outputs equal the batched ones (all, unless a near-tie rounds differently).

2. Fit: ``Seq2SeqTranslator.fit`` from strings against a hand-written training loop
   from the same strings: the same ``Seq2SeqNet`` built directly (same seed, so the
   same initial weights), the same ids (``Vocabulary.learn``), the same shuffled batches
   (``torch.randperm`` from the estimator's shuffling seed), each cut to its longest
   source and target, teacher forcing, cross-entropy ignoring padding, Adam with the
   same learning rate and epochs. Target: ours / reference <= 1.10.

Every system runs once first (warm-up); then the sides alternate (ours, reference,
ours, ...) and the best of ``--repeats`` runs of each is kept, under the same
``torch.set_num_threads``.

Run it from the repository root::

    python benchmarks/bench_decoding.py --threads 2    # about 5 minutes on 2 idle cores
    python benchmarks/bench_decoding.py --quick        # a reversal model, seconds; ratios are rough
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass

import torch
from _timing import Case, best_times, other_cpu_seconds, shuffle_seed
from torch import nn

from sklearn_seq import Seq2SeqTranslator
from sklearn_seq.datasets import make_dates, make_reversal
from sklearn_seq.nn import RecurrentEncoder, Seq2SeqNet, beam_search
from sklearn_seq.vocabulary import BOS, EOS, PAD, UNK, Vocabulary

RESERVED = (PAD, BOS, EOS, UNK)  # the translator's reserved ids 0-3


@dataclass(frozen=True)
class Scale:
    """Sizes of one benchmark run."""

    task: str  # 'dates' or 'reversal'
    n_train: int
    n_test: int
    hidden_size: int
    embedding_dim: int
    epochs: int
    batch_size: int  # of training
    lr: float
    max_output_length: int  # tokens before the end symbol, on both sides
    decode_batch: int = 256
    beam_size: int = 5


FULL = Scale("dates", n_train=10_000, n_test=1000, hidden_size=64, embedding_dim=32, epochs=3, batch_size=64,
             lr=0.005, max_output_length=20)
QUICK = Scale("reversal", n_train=300, n_test=256, hidden_size=32, embedding_dim=16, epochs=15, batch_size=32,
              lr=0.02, max_output_length=12)




def make_data(scale: Scale, seed: int) -> tuple[list[str], list[str], list[str], list[str]]:
    """Training and held-out pairs ``X, y, X_test, y_test`` of the scale's task."""
    if scale.task == "dates":
        X, y = make_dates(scale.n_train + scale.n_test, random_state=seed)
    else:
        X, y = make_reversal(scale.n_train + scale.n_test, min_length=2, max_length=4, random_state=seed)
    return X[: scale.n_train], y[: scale.n_train], X[scale.n_train :], y[scale.n_train :]


# -- fit: the estimator and the hand-written loop ---------------------------------------


def make_translator(scale: Scale, seed: int) -> Seq2SeqTranslator:
    return Seq2SeqTranslator(hidden_size=scale.hidden_size, embedding_dim=scale.embedding_dim, bidirectional=True,
                             attention="bahdanau", max_epochs=scale.epochs, batch_size=scale.batch_size, lr=scale.lr,
                             max_output_length=scale.max_output_length, random_state=seed)




def build_net(scale: Scale, n_source: int, n_target: int) -> Seq2SeqNet:
    """The translator's network for character sources: bidirectional LSTM encoder, Bahdanau attention."""
    encoder = RecurrentEncoder(1, scale.hidden_size, bidirectional=True, num_embeddings=n_source,
                               embedding_dim=scale.embedding_dim)
    return Seq2SeqNet(encoder, n_target, embedding_dim=scale.embedding_dim, hidden_size=scale.hidden_size,
                      attention="bahdanau", padding_idx=RESERVED.index(PAD))


def padded_ids(vocabulary: Vocabulary, texts: list[str], *, eos: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """Character ids of ``texts`` padded into one ``(n, longest)`` tensor, and their lengths."""
    rows = [vocabulary.encode(list(text), eos=eos) for text in texts]
    ids = torch.full((len(rows), max(map(len, rows))), vocabulary.pad_id, dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
    return ids, torch.tensor([len(row) for row in rows])


def fit_reference(X: list[str], y: list[str], scale: Scale, *, seed: int) -> tuple[Seq2SeqNet, list[float]]:
    """Train :func:`build_net` with a plain teacher-forcing loop; return it and each epoch's mean loss."""
    source_vocabulary = Vocabulary.learn([list(x) for x in X], reserved=RESERVED)
    target_vocabulary = Vocabulary.learn([list(t) for t in y], reserved=RESERVED)
    src, src_lengths = padded_ids(source_vocabulary, X, eos=False)
    tgt, tgt_lengths = padded_ids(target_vocabulary, y, eos=True)
    torch.manual_seed(shuffle_seed(seed))
    model = build_net(scale, len(source_vocabulary), len(target_vocabulary))
    optimizer = torch.optim.Adam(model.parameters(), lr=scale.lr)
    loss_fn = nn.CrossEntropyLoss(ignore_index=target_vocabulary.pad_id)
    generator = torch.Generator().manual_seed(shuffle_seed(seed))
    model.train()
    epoch_losses = []
    for _ in range(scale.epochs):
        total = 0.0
        for index in torch.randperm(len(X), generator=generator).split(scale.batch_size):
            lengths = src_lengths[index]
            targets = tgt[index, : int(tgt_lengths[index].max())]
            tgt_in = torch.cat([torch.full_like(targets[:, :1], target_vocabulary.bos_id), targets[:, :-1]], dim=1)
            optimizer.zero_grad()
            logits = model(src[index, : int(lengths.max())], lengths, tgt_in)
            loss = loss_fn(logits.transpose(1, 2), targets)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        epoch_losses.append(total / len(X))
    return model, epoch_losses


# -- decoding one sentence at a time (the tutorial's way) -------------------------------


def greedy_one_by_one(model: Seq2SeqTranslator, sources: list[str]) -> list[str]:
    """Decode each source alone, step by step, with the fitted module (as the PyTorch tutorial does)."""
    module, source_vocabulary, target_vocabulary = model.module_.eval(), model.source_vocabulary_, \
        model.target_vocabulary_
    outputs = []
    with torch.no_grad():
        for text in sources:
            src = torch.tensor([source_vocabulary.encode(list(text))])
            memory = module.encode(src, torch.tensor([src.shape[1]]))
            state = module.initial_state(memory)
            token = torch.tensor([target_vocabulary.bos_id])
            ids = []
            for _ in range(model.max_output_length):
                logits, state, _ = module.step(token, state, memory)
                token = logits.argmax(dim=-1)
                if token.item() == target_vocabulary.eos_id:
                    break
                ids.append(token.item())
            outputs.append("".join(target_vocabulary.decode(ids)))
    return outputs


def beam_one_by_one(model: Seq2SeqTranslator, sources: list[str]) -> list[str]:
    """Beam-search each source alone: :func:`beam_search` with a batch of one, the model's settings."""
    module, source_vocabulary, target_vocabulary = model.module_.eval(), model.source_vocabulary_, \
        model.target_vocabulary_
    special = {"bos_idx": target_vocabulary.bos_id, "eos_idx": target_vocabulary.eos_id,
               "pad_idx": target_vocabulary.pad_id}
    outputs = []
    for text in sources:
        src = torch.tensor([source_vocabulary.encode(list(text))])
        best = beam_search(module, src, torch.tensor([src.shape[1]]), beam_size=model.beam_size,
                           max_length=model.max_output_length, length_penalty=model.length_penalty, **special)
        outputs.append("".join(target_vocabulary.decode(best.tokens[0, 0].tolist(), stop_at_eos=True)))
    return outputs


def batched_predict(model: Seq2SeqTranslator, sources: list[str], *, beam_size: int,
                    batch_size: int) -> list[str]:
    """The estimator's own batched decoding."""
    return model.set_params(beam_size=beam_size, batch_size=batch_size).predict(sources)


def decoding_cases(model: Seq2SeqTranslator, sources: list[str], scale: Scale) -> list[Case]:
    """Greedy and beam decoding of ``sources``, batched (ours) and one sentence at a time (reference)."""
    n = len(sources)

    def one_by_one(beam_size, decode):
        return lambda: decode(model.set_params(beam_size=beam_size), sources)

    return [
        Case("greedy", f"{n} sentences: predict at batch {scale.decode_batch} vs a loop of step-by-step decodes",
             lambda: batched_predict(model, sources, beam_size=1, batch_size=scale.decode_batch),
             one_by_one(1, greedy_one_by_one), speedup=True, target=10.0),
        Case(f"beam{scale.beam_size}", f"{n} sentences: predict(beam_size={scale.beam_size}) at batch "
             f"{scale.decode_batch} vs beam_search on one sentence at a time",
             lambda: batched_predict(model, sources, beam_size=scale.beam_size, batch_size=scale.decode_batch),
             one_by_one(scale.beam_size, beam_one_by_one), speedup=True, target=None),
    ]


def fit_case(X: list[str], y: list[str], scale: Scale, seed: int) -> Case:
    return Case("fit", f"{len(X)} {scale.task} pairs, {scale.epochs} epochs: Seq2SeqTranslator.fit vs a plain loop",
                lambda: make_translator(scale, seed).fit(X, y), lambda: fit_reference(X, y, scale, seed=seed),
                speedup=False, target=1.10)


def agreement(model: Seq2SeqTranslator, sources: list[str], scale: Scale) -> dict[str, int]:
    """How many one-by-one outputs equal the batched ones, for greedy and beam."""
    greedy = batched_predict(model, sources, beam_size=1, batch_size=scale.decode_batch)
    beam = batched_predict(model, sources, beam_size=scale.beam_size, batch_size=scale.decode_batch)
    return {"greedy": sum(a == b for a, b in zip(greedy, greedy_one_by_one(model.set_params(beam_size=1), sources),
                                                 strict=True)),
            f"beam{scale.beam_size}": sum(a == b for a, b in zip(
                beam, beam_one_by_one(model.set_params(beam_size=scale.beam_size), sources), strict=True))}


# -- timing and report ------------------------------------------------------------------






def ratio_and_verdict(case: Case, ours: float, reference: float) -> tuple[float, str, str]:
    """The case's ratio, its target as text and whether it is met ('-' without a target)."""
    ratio = reference / ours if case.speedup else ours / reference
    quotient, comparison = ("ref/ours", ">=") if case.speedup else ("ours/ref", "<=")
    if case.target is None:
        return ratio, f"{quotient} (none)", "-"
    met = ratio >= case.target if case.speedup else ratio <= case.target
    return ratio, f"{quotient} {comparison} {case.target:.2f}", "yes" if met else "NO"


def format_table(rows: list[tuple[Case, float, float]], *, n_sentences: int | None = None) -> str:
    """Plain-text table: case, ours (s), reference (s), [sentences/s of each,] ratio, target, met."""
    header = ["case", "ours (s)", "reference (s)", "ratio", "target", "met"]
    if n_sentences is not None:
        header[3:3] = ["ours (sent/s)", "reference (sent/s)"]
    lines = []
    for case, ours, reference in rows:
        ratio, target, met = ratio_and_verdict(case, ours, reference)
        rates = [] if n_sentences is None else [f"{n_sentences / ours:.0f}", f"{n_sentences / reference:.0f}"]
        lines.append([case.name, f"{ours:.3f}", f"{reference:.3f}", *rates, f"{ratio:.3f}", target, met])
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [header, *lines]]
    text.insert(1, "-" * len(text[0]))
    legend = [f"  {case.name}: {case.description}" for case, _, _ in rows]
    return "\n".join(text + ["", *legend])




def warm_up(seed: int) -> None:
    """Run every system once at tiny scale: the first optimizer and the first decode pay one-off costs."""
    X, y, X_test, _ = make_data(QUICK, seed)
    fit = fit_case(X[:64], y[:64], QUICK, seed)
    fit.ours()
    fit.reference()
    model = make_translator(QUICK, seed).set_params(max_epochs=1).fit(X[:64], y[:64])
    for case in decoding_cases(model, X_test[:8], QUICK):
        case.ours()
        case.reference()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small reversal model, seconds (for tests)")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per side (default 3, quick 1)")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads(), help="torch.set_num_threads")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Run both tables.

    Returns ``{'decoding': rows, 'fit': rows, 'same_outputs': {case name: count}}``, each
    row ``(case, ours_s, reference_s)``; ``same_outputs`` counts the held-out sources whose
    one-by-one output equals the batched one.
    """
    args = parse_args(argv)
    scale = QUICK if args.quick else FULL
    repeats = args.repeats or (1 if args.quick else 3)
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads on {os.cpu_count()} CPUs; {scale.task}: "
          f"{scale.n_train} training pairs, bidirectional LSTM {scale.hidden_size}, Bahdanau attention, embeddings "
          f"{scale.embedding_dim}, batch {scale.batch_size}, {scale.epochs} epochs, Adam lr {scale.lr}; best of "
          f"{repeats}")
    warm_up(args.seed)
    X, y, X_test, y_test = make_data(scale, args.seed)
    start, others = time.perf_counter(), other_cpu_seconds()
    model = make_translator(scale, args.seed).fit(X, y)
    print(f"\nDecoding {len(X_test)} held-out sources (exact match {model.score(X_test, y_test):.3f}):")
    decoding = [(case, *best_times(case, repeats)) for case in decoding_cases(model, X_test, scale)]
    print(format_table(decoding, n_sentences=len(X_test)))
    same = agreement(model, X_test, scale)
    print("  one-by-one outputs equal to the batched ones: "
          + ", ".join(f"{name} {count}/{len(X_test)}" for name, count in same.items()))
    print("\nFit:")
    case = fit_case(X, y, scale, args.seed)
    fit = [(case, *best_times(case, repeats))]
    print(format_table(fit))
    others = (other_cpu_seconds() - others) / (time.perf_counter() - start)
    print(f"\nOther processes kept {others:.2f} of {os.cpu_count()} CPUs busy meanwhile.")
    if others > os.cpu_count() - args.threads + 0.1:
        print("WARNING: they took cores the benchmark's threads needed, so the timings are unreliable; rerun when "
              "idle or with --threads 1.")
    return {"decoding": decoding, "fit": fit, "same_outputs": same}


if __name__ == "__main__":
    main()
