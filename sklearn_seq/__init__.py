"""sklearn-seq: recurrent sequence models as scikit-learn estimators."""

from ._persistence import load, save
from .classification import GRUClassifier, LSTMClassifier, RNNClassifier
from .decomposition import SequenceAutoencoder
from .generation import CharRNNLanguageModel, NGramLanguageModel
from .preprocessing import SlidingWindowTransformer
from .regression import GRURegressor, LSTMRegressor, RNNRegressor
from .semi_supervised import SelfTrainingClassifier, SemiSupervisedGMM
from .tagging import SequenceTagger
from .text import SequenceVectorizer
from .translation import Seq2SeqTranslator

__version__ = "0.1.0"

__all__ = [
    "CharRNNLanguageModel",
    "GRUClassifier",
    "GRURegressor",
    "LSTMClassifier",
    "LSTMRegressor",
    "NGramLanguageModel",
    "RNNClassifier",
    "RNNRegressor",
    "SelfTrainingClassifier",
    "SemiSupervisedGMM",
    "Seq2SeqTranslator",
    "SequenceAutoencoder",
    "SequenceTagger",
    "SequenceVectorizer",
    "SlidingWindowTransformer",
    "__version__",
    "load",
    "save",
]
