"""Semi-supervised learning: a generative model fitted by EM, and self-training around any classifier."""

from ._gmm import SemiSupervisedGMM
from ._self_training import SelfTrainingClassifier

__all__ = ["SelfTrainingClassifier", "SemiSupervisedGMM"]
