"""Pure PyTorch modules behind the estimators; they know nothing of scikit-learn."""

from .autoencoder import MaskedMSELoss, ReconstructionLoss, SequenceAutoencoderNet
from .char_embedding import WordCharEmbedding
from .encoder import RecurrentEncoder
from .many_to_many import ManyToManyNet, PerStepCrossEntropyLoss
from .many_to_one import ManyToOneNet
from .pooling import POOLING_MODES, SequencePooling

__all__ = [
    "POOLING_MODES",
    "ManyToManyNet",
    "ManyToOneNet",
    "MaskedMSELoss",
    "PerStepCrossEntropyLoss",
    "ReconstructionLoss",
    "RecurrentEncoder",
    "SequenceAutoencoderNet",
    "SequencePooling",
    "WordCharEmbedding",
]
