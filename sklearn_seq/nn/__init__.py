"""Pure PyTorch modules behind the estimators; they know nothing of scikit-learn."""

from .attention import BahdanauAttention, LuongAttention
from .autoencoder import MaskedMSELoss, ReconstructionLoss, SequenceAutoencoderNet
from .char_embedding import WordCharEmbedding
from .decoding import Hypotheses, beam_search, greedy_decode
from .encoder import ENCODER_CELLS, RecurrentEncoder
from .init import INIT_SCHEMES, initialize
from .lstm_variants import VariantLSTM
from .many_to_many import ManyToManyNet, PerStepCrossEntropyLoss
from .many_to_one import ManyToOneNet
from .pooling import POOLING_MODES, SequencePooling
from .seq2seq import ATTENTION_MODES, DecoderState, EncoderMemory, Seq2SeqNet, sequence_log_likelihood
from .weighting import WeightedCrossEntropyLoss, WeightedMSELoss, weighted_mean

__all__ = [
    "ATTENTION_MODES",
    "ENCODER_CELLS",
    "INIT_SCHEMES",
    "POOLING_MODES",
    "BahdanauAttention",
    "DecoderState",
    "EncoderMemory",
    "Hypotheses",
    "LuongAttention",
    "ManyToManyNet",
    "ManyToOneNet",
    "MaskedMSELoss",
    "PerStepCrossEntropyLoss",
    "ReconstructionLoss",
    "RecurrentEncoder",
    "SequenceAutoencoderNet",
    "Seq2SeqNet",
    "SequencePooling",
    "WeightedCrossEntropyLoss",
    "WeightedMSELoss",
    "VariantLSTM",
    "WordCharEmbedding",
    "beam_search",
    "greedy_decode",
    "initialize",
    "sequence_log_likelihood",
    "weighted_mean",
]
