"""The best round of self-training, kept so that it can be restored after the rounds that follow it."""

import copy
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Snapshot:
    """A fitted estimator as it was after one round, to be restored after later rounds refit it."""

    estimator: object
    attributes: dict | None = None  # the network's attributes then (references)
    weights: dict | None = None  # the network's module weights then (copies)


def snapshot(estimator):
    """Keep ``estimator``'s current fit: a network by its weights, anything else by a copy.

    A network (one with a torch ``module_``) is kept by a copy of ``module_.state_dict()`` and
    references to its attributes: a cold refit replaces those attributes rather than changing
    them, and a warm one trains the same module further, which the copied weights undo. Copying
    the whole estimator would also copy its optimiser state, history and callbacks every round
    the score improves. Other estimators are copied whole: their fitted state is small, and
    references would not keep it, since scikit-learn estimators may refit in place (a
    ``Pipeline`` its last step, a warm-started ``MLPClassifier`` its ``coefs_``).
    """
    module = getattr(estimator, "module_", None)
    if isinstance(module, torch.nn.Module):
        weights = {name: tensor.detach().clone() for name, tensor in module.state_dict().items()}
        return Snapshot(estimator, dict(vars(estimator)), weights)
    return Snapshot(copy.deepcopy(estimator))


def restore(kept):
    """The estimator of the snapshot ``kept``, with the fit it had then.

    Only a network's weights go back: after warm starts, which train one net further, its
    history and optimiser state stay those of the last round.
    """
    estimator = kept.estimator
    if kept.weights is not None:
        vars(estimator).clear()
        vars(estimator).update(kept.attributes)
        estimator.module_.load_state_dict(kept.weights)
    return estimator
