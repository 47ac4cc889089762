"""Unsupervised dimensionality reduction of sequences: the recurrent autoencoder."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted

from ._compat import Interval, _fit_context
from ._parameters import (
    ENCODER_PARAMETERS,
    TRAINING_PARAMETERS,
    constraints,
    decoder_cell,
    encoder_params,
    fill_shared_doc,
    layer_sizes,
    set_init_params,
)
from .base import BaseSequenceNet
from .nn import ReconstructionLoss, RecurrentEncoder, SequenceAutoencoderNet
from .sequences import PaddedSequences, SequenceDataset, nan_padded, validate_sequences

_NETWORK_PARAMS = ("cell", "hidden_size", "num_layers", "bidirectional", "dropout", "forget_bias",
                   *ENCODER_PARAMETERS)


@fill_shared_doc
class SequenceAutoencoder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseSequenceNet):
    """Recurrent autoencoder: sequences in, fixed-size codes out, and back.

    An encoder reads each sequence and a linear layer turns its final state into a
    code of ``n_components`` numbers; a decoder reads the code at every step and
    rebuilds the sequence. Trained to minimise the squared reconstruction error,
    the codes are a non-linear counterpart of PCA's components for sequences of
    any length, usable by K-Means, an SVM or PCA downstream.

    Read more in the :ref:`User Guide <autoencoders>`.

    Parameters
    ----------
    n_components : int, default=2
        Size of the code.

    cell : {'rnn', 'lstm', 'gru'}, default='lstm'
        Recurrent cell of the encoder and the decoder.

    denoising : float, default=0.0
        Standard deviation of Gaussian noise added to the inputs during training
        (a denoising autoencoder); the target stays the clean sequence.

    {shared_parameters}
    Attributes
    ----------
    {shared_attributes}
    See Also
    --------
    sklearn.decomposition.PCA : The linear counterpart for fixed-length inputs.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq import SequenceAutoencoder
    >>> t = np.linspace(0, 2 * np.pi, 12)
    >>> X = np.sin(t + np.random.RandomState(0).uniform(0, 2 * np.pi, size=(100, 1)))  # phase-shifted waves
    >>> ae = SequenceAutoencoder(n_components=2, hidden_size=16, lr=0.02, max_epochs=40, random_state=0).fit(X)
    >>> ae.transform(X).shape
    (100, 2)
    >>> ae.score(X) > -0.05  # minus the mean squared reconstruction error
    True
    """

    _parameter_constraints: dict = {
        **constraints(*_NETWORK_PARAMS, *TRAINING_PARAMETERS),
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "denoising": [Interval(Real, 0, None, closed="left")],
    }
    _training_only_params = ("denoising",)
    _learns_targets = False
    _shared_attributes = ("net_", "module_", "history_", "loss_curve_", "n_iter_", "n_features_in_",
                          "feature_names_in_")

    def __init__(self, n_components=2, *, cell="lstm", hidden_size=64, num_layers=1, bidirectional=False, dropout=0.0,
                 forget_bias=1.0, init="keras",
                 residual=False, layer_norm=False, conv_channels=None, conv_kernel_size=3, num_heads=4,
                 denoising=0.0, max_epochs=20, batch_size=32, lr=1e-3, optimizer="adam",
                 weight_decay=0.0, gradient_clip=None, early_stopping=False, validation_fraction=0.1,
                 validation_data=None, n_iter_no_change=5, bucket_by_length=False, callbacks=None, checkpoint_dir=None,
                 checkpoint_every=1, device="cpu", precision="32", torch_threads=None, random_state=None, verbose=0,
                 warm_start=False):
        set_init_params(self, locals())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Train the autoencoder to reconstruct ``X``.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences in any numeric form of :mod:`sklearn_seq.sequences`.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_sequences,), default=None
            Non-negative weight of each sequence in the loss, shared by its steps:
            a batch's loss is the weighted mean over the steps of its sequences.

        Returns
        -------
        self : object
            The fitted autoencoder.
        """
        return super().fit(X, y, sample_weight)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Train for one epoch on ``X``, starting the network on the first call.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence in the loss, as in :meth:`fit`.

        Returns
        -------
        self : object
            The autoencoder.
        """
        return self._partial_fit(X, y, sample_weight)

    def transform(self, X):
        """Encode each sequence into its code.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.

        Returns
        -------
        codes : ndarray of shape (n_sequences, n_components)
            The codes.
        """
        check_is_fitted(self)
        sequences, _ = self._validate_sequences(X, reset=False)
        batches = self._batched_inference(sequences, lambda module, x, lengths: module.encode(x, lengths))
        return np.concatenate([codes for codes, _ in batches])

    def inverse_transform(self, X, lengths=None):
        """Decode codes back into sequences.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_components)
            Codes, e.g. from :meth:`transform`.
        lengths : array-like of int of shape (n_sequences,), default=None
            Length of each sequence to rebuild. By default: the length of the
            training sequences when they all had the same one; otherwise each
            sequence ends where the decoder's learned end-of-sequence output fires
            (probability above one half), after at most the longest training length.

        Returns
        -------
        X_original : ndarray or list of ndarray
            A 2-D array ``(n_sequences, n_timesteps)`` when fitted on 2-D input, a
            3-D array ``(n_sequences, T, n_features)`` when all lengths are equal, else
            a list of ``(T_i, n_features)`` arrays.
        """
        check_is_fitted(self)
        codes = check_array(X, dtype=np.float32)
        if codes.shape[1] != self.n_components:
            raise ValueError(f"X has {codes.shape[1]} columns, but the codes have n_components={self.n_components}")
        learned_ends = lengths is None and len(self._train_lengths) > 1
        decoded_lengths = self._decoding_lengths(lengths, len(codes))
        # Batched like sequences of one step holding the code, decoded to their own lengths.
        placeholder = PaddedSequences(codes[:, None, :], decoded_lengths)
        batches = self._batched_inference(
            placeholder, lambda module, x, batch_lengths: module.decode(x[:, 0], batch_lengths)
        )
        values = [seq for (decoded, _), _ in batches for seq in decoded]
        if learned_ends:
            decoded_lengths = np.concatenate([_first_end(end_logits) for (_, end_logits), _ in batches])
        sequences = [seq[:n] for seq, n in zip(values, decoded_lengths, strict=True)]
        if self._fitted_on_table:
            return np.stack([seq[:, 0] for seq in sequences])
        return np.stack(sequences) if len(set(decoded_lengths.tolist())) == 1 else sequences

    def score(self, X, y=None):
        """Minus the mean squared reconstruction error over all valid values (higher is better).

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`fit`.
        y : None
            Ignored.

        Returns
        -------
        score : float
            ``-mean((reconstruction - X) ** 2)`` over every step and feature.
        """
        check_is_fitted(self)
        sequences, _ = self._validate_sequences(X, reset=False)
        batches = self._batched_inference(sequences, lambda module, x, lengths: module(x, lengths)[0])
        errors = [((rebuilt[:n] - original[:n]) ** 2).ravel() for rebuilt, original, n in zip(
            (seq for decoded, _ in batches for seq in decoded), sequences.values, sequences.lengths, strict=True)]
        return -float(np.concatenate(errors).mean())

    # -- hooks of BaseSequenceNet -------------------------------------------------------

    def _build_dataset(self, X, y, *, reset):
        sequences, _ = self._validate_sequences(X, reset=reset)
        # The lengths seen in training, which decoding without lengths follows (later data included).
        previous = () if reset else self._train_lengths
        self._train_lengths = np.union1d(previous, sequences.lengths).astype(np.int64)
        return SequenceDataset(sequences, nan_padded(sequences), per_step=True)  # their own targets

    def _build_module(self, dataset):
        n_features = self._n_step_features
        params = encoder_params(self)
        encoder = RecurrentEncoder(n_features, bidirectional=self.bidirectional, **params)
        # The decoder mirrors the encoder's layers (a recurrent cell: it unrolls a code), without the convolutions.
        decoder = RecurrentEncoder(self.n_components, **{
            **params, "cell": decoder_cell(self.cell), "hidden_size": layer_sizes(self)[::-1], "conv_channels": None,
            "num_heads": 4})
        return SequenceAutoencoderNet(encoder, decoder, n_components=self.n_components, n_features=n_features,
                                      noise=self.denoising, init=self.init)

    def _build_criterion(self, dataset):
        return ReconstructionLoss()

    def _validate_sequences(self, X, *, reset):
        return validate_sequences(self, X, reset=reset)

    @property
    def _n_features_out(self):
        return self.n_components

    def _decoding_lengths(self, lengths, n_codes):
        """The given lengths, checked; else the training length, or the longest one to cut at the learned ends."""
        if lengths is None:
            return np.full(n_codes, self._train_lengths.max(), dtype=np.int64)
        lengths = check_array(lengths, ensure_2d=False, dtype=np.int64, input_name="lengths")
        if lengths.shape != (n_codes,) or lengths.min() < 1:
            raise ValueError(f"lengths must hold one positive length per code ({n_codes}), got shape {lengths.shape}")
        return lengths


def _first_end(end_logits):
    """Each row's length: up to the first step whose end logit is positive, else all its steps."""
    fired = end_logits > 0
    return np.where(fired.any(axis=1), fired.argmax(axis=1) + 1, end_logits.shape[1])
