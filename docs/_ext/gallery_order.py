"""The order of the example gallery: a path for learning, not the alphabet.

``sphinx_gallery_conf`` (docs/conf.py) sorts the examples of each section with
:class:`LearningOrder`, and the mini-galleries (the landing page's "start here" path,
the "Examples using X" lists of the API pages) with :func:`minigallery_key`. Examples
not named here follow those that are, in alphabetical order.
"""

from pathlib import Path

LEARNING_ORDER = [
    # first steps, and the recap of classical machine learning
    "plot_iris_sequences.py",
    "plot_iris_recap.py",
    "plot_autoencoder_vs_pca.py",
    "plot_stock_sequences.py",
    "plot_stock_prices.py",
    "plot_vanishing_gradients.py",
    # the recurrent networks' own parameters
    "plot_stacked_bidirectional.py",
    "plot_attention_pooling.py",
    "plot_word_embeddings.py",
    # text
    "plot_sentiment.py",
    "plot_topics.py",
    "plot_pos_tagging.py",
    # semi-supervised learning
    "plot_iris_few_labels.py",
    "plot_unlabeled_data_can_hurt.py",
    "plot_self_training_text.py",
    # generation, then translation
    "plot_numpy_char_rnn.py",
    "numpy_char_rnn.py",
    "plot_names_generation.py",
    "plot_number_words.py",
    "plot_dates.py",
    "plot_digit_captions.py",
]


def _rank(filename):
    name = Path(filename).name
    return (LEARNING_ORDER.index(name) if name in LEARNING_ORDER else len(LEARNING_ORDER), name)


def minigallery_key(path):
    """Sort key of an example's path in a mini-gallery."""
    return _rank(path)


class LearningOrder:
    """Sort key of the examples within a gallery section (sphinx-gallery passes their file names)."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        return _rank(filename)

    def __repr__(self):  # sphinx-gallery compares configurations by their repr
        return f"<{type(self).__name__}>"
