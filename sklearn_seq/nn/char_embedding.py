"""Word representations from a word embedding and a character BiLSTM over each word."""

from __future__ import annotations

import torch
from torch import nn

from .encoder import RecurrentEncoder
from .init import initialize


class WordCharEmbedding(nn.Module):
    """Embed each word by its id and by its characters, read by a bidirectional LSTM.

    The character representation of a word is the concatenation of the forward
    LSTM's state after the last character and the backward LSTM's state after the
    first one (Lample et al., 2016). Words never seen in training still get a
    meaningful vector from their spelling (suffixes, capitals, digits).

    Parameters
    ----------
    num_words : int
        Word vocabulary size; id 0 is padding.
    word_dim : int
        Size of the word embedding.
    num_chars : int
        Character vocabulary size; id 0 is padding.
    char_dim : int
        Size of the character embedding.
    char_hidden_size : int
        Hidden units of each direction of the character LSTM.
    init : {'keras', 'torch'}, default='keras'
        Initial weights of both embeddings and of the LSTM (see :func:`~sklearn_seq.nn.initialize`).

    Examples
    --------
    >>> import torch
    >>> layer = WordCharEmbedding(10, 4, num_chars=20, char_dim=3, char_hidden_size=5)
    >>> x = torch.tensor([[[4, 7, 8, 0], [2, 9, 0, 0]]])  # 1 sentence, 2 words: id then char ids
    >>> tuple(layer(x).shape), layer.output_size
    ((1, 2, 14), 14)
    """

    def __init__(
        self, num_words: int, word_dim: int, *, num_chars: int, char_dim: int, char_hidden_size: int,
        init: str = "keras",
    ) -> None:
        super().__init__()
        self.words = initialize(nn.Embedding(num_words, word_dim, padding_idx=0), init)
        self.chars = RecurrentEncoder(
            1, char_hidden_size, cell="lstm", bidirectional=True, num_embeddings=num_chars, embedding_dim=char_dim,
            init=init,
        )
        self.output_size = word_dim + self.chars.output_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map ``(batch, time, 1 + max_chars)`` ids (word id, then character ids) to ``(batch, time, output_size)``.

        Parameters
        ----------
        x : Tensor of shape (batch, time, 1 + max_chars)
            For each word: its id, then the ids of its characters, zero-padded.
        """
        words = self.words(x[..., 0])
        chars = x[..., 1:].reshape(-1, x.shape[-1] - 1)
        n_chars = (chars > 0).sum(dim=1)
        spelled = n_chars > 0  # padding steps have no characters
        by_spelling = torch.zeros(len(chars), self.chars.output_size, device=x.device)
        if bool(spelled.any()):
            n_spelled = n_chars[spelled]
            _, last = self.chars(chars[spelled, : int(n_spelled.max())], n_spelled)
            by_spelling = by_spelling.index_put((spelled.nonzero()[:, 0],), last)
        return torch.cat([words, by_spelling.reshape(*x.shape[:2], -1)], dim=-1)
