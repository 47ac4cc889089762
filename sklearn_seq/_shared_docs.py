"""Parameter and attribute descriptions shared by the network estimators' docstrings.

Each common parameter is described once here; :func:`fill_shared_doc` writes the
descriptions of the parameters an estimator actually has into its docstring.
"""

import functools
import inspect
import re

SHARED_PARAMETERS_DOC = """\
    cell : {'rnn', 'lstm', 'gru'}
        Recurrent cell: the Elman RNN (tanh), the LSTM or the GRU.

    hidden_size : int, default=64
        Hidden units per layer and direction.

    num_layers : int, default=1
        Number of stacked recurrent layers.

    bidirectional : bool, default=False
        Also read each sequence backwards and concatenate both directions.

    pooling : {'last', 'mean', 'max', 'attention'}, default='last'
        How the per-step outputs become one vector: the final state, their mean or
        maximum over the valid steps, or learned additive attention (see
        :meth:`attention_weights`).

    dropout : float, default=0.0
        Dropout between stacked layers and on the encoder's outputs.

    forget_bias : float, default=1.0
        Initial LSTM forget-gate bias, as Keras sets it (PyTorch's default is 0); a
        positive value lets gradients reach early steps from the start. Ignored by
        the other cells.

    embedding_dim : int, default=None
        When set, inputs are integer token ids (0 is padding) that a trainable
        embedding of this size turns into vectors.

    vocab_size : int, default=None
        Number of token ids with ``embedding_dim``; inferred as the largest id seen
        in ``fit`` plus one when None.

    embedding_weights : array-like of shape (vocab_size, embedding_dim), default=None
        Initial embedding, e.g. pre-trained word vectors aligned with a
        vectorizer's ids (:func:`~sklearn_seq.text.embedding_matrix`); row ``i`` is
        the vector of token id ``i``. Implies token input; ``embedding_dim`` and
        ``vocab_size`` may be left None or must match its shape.

    freeze_embedding : bool, default=False
        Keep the embedding fixed during training (with ``embedding_weights``: the
        pre-trained vectors are used as they are).

    max_epochs : int, default=20
        Passes over the training data in ``fit``.

    batch_size : int, default=32
        Sequences per mini-batch, in training and inference.

    lr : float, default=1e-3
        Learning rate.

    optimizer : {'adam', 'adamw', 'sgd', 'rmsprop'} or torch optimizer class, default='adam'
        Optimizer of the weights.

    weight_decay : float, default=0.0
        L2 penalty passed to the optimizer.

    gradient_clip : float, default=None
        When set, gradients are rescaled so their global norm is at most this value
        (the cure for exploding gradients).

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data, stop when the
        validation loss has not improved for ``n_iter_no_change`` epochs and restore
        the best weights. Without it, every sample is trained on.

    validation_fraction : float, default=0.1
        Share of the training data held out with ``early_stopping``.

    n_iter_no_change : int, default=5
        Patience of ``early_stopping`` in epochs.

    bucket_by_length : bool, default=False
        Group sequences of similar length into the same mini-batch so that less
        padding is carried; batch order stays random.

    callbacks : list of skorch callbacks, default=None
        Extra :mod:`skorch.callbacks` (or ``(name, callback)`` pairs), e.g. an
        ``LRScheduler`` or a ``Checkpoint``. They are copied at fit.

    device : str, default='cpu'
        Torch device, e.g. ``'cpu'`` or ``'cuda'``; ``'auto'`` takes a GPU when one
        is available.

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling through local
        generators. Pass an int for reproducible results.

    verbose : int, default=0
        1 prints a progress bar per epoch and the epoch table.

    warm_start : bool, default=False
        When True, ``fit`` continues training the fitted network (and optimizer
        state) for ``max_epochs`` more epochs instead of starting anew.

"""

SHARED_ATTRIBUTES_DOC = """\
    net_ : skorch.NeuralNet
        The trained skorch net (callbacks, history, optimizer).

    module_ : torch.nn.Module
        The trained torch module, built from :mod:`sklearn_seq.nn`.

    history_ : list of dict
        One dict per epoch: ``train_loss``, ``valid_loss`` with early stopping, duration.

    loss_curve_ : list of float
        Training loss per epoch.

    n_iter_ : int
        Epochs trained so far.

    n_features_in_ : int
        Columns of 2-D input, else features per step (1 for token ids).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, when fitted on a DataFrame with string column names.

    vocab_size_ : int
        Number of token ids the embedding knows (only with token input).

"""


def _doc_entries(block):
    """Split a numpydoc block into ``{name: entry}``; each entry keeps its trailing blank line."""
    return {entry.split(" : ")[0].strip(): entry.rstrip("\n") + "\n\n"
            for entry in re.split(r"\n(?=    \w+ : )", block.strip("\n"))}


_PARAMETER_DOCS = _doc_entries(SHARED_PARAMETERS_DOC)
_ATTRIBUTE_DOCS = _doc_entries(SHARED_ATTRIBUTES_DOC)


def fill_shared_doc(cls):
    """Put the shared descriptions into ``cls``'s docstring.

    ``{shared_parameters}`` becomes the shared description of every parameter of
    ``cls.__init__`` (in signature order) that the docstring does not describe
    itself; ``{shared_attributes}`` the attributes named in ``cls._shared_attributes``.
    """
    own = cls.__doc__
    names = [name for name in inspect.signature(cls.__init__).parameters
             if name in _PARAMETER_DOCS and f"\n    {name} : " not in own]
    parameters = "".join(_PARAMETER_DOCS[name] for name in names)
    attributes = "".join(_ATTRIBUTE_DOCS[name] for name in cls._shared_attributes)
    cls.__doc__ = own.replace("    {shared_parameters}\n", parameters).replace(
        "    {shared_attributes}\n", attributes
    )
    return cls


def with_defaults(init, **defaults):
    """Return ``init`` with other defaults, keeping an explicit signature for ``get_params``."""
    signature = inspect.signature(init)
    parameters = [p.replace(default=defaults.get(name, p.default)) for name, p in signature.parameters.items()]

    @functools.wraps(init, updated=())  # not __dict__: it would copy __isabstractmethod__
    def __init__(self, **params):
        init(self, **{**defaults, **params})

    __init__.__signature__ = signature.replace(parameters=parameters)
    return __init__
