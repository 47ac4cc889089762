"""The parameters shared by the network estimators, each declared once.

A :class:`Parameter` holds a name, its default, its scikit-learn constraint and the
text of its docstring entry. From these declarations come the estimators'
``_parameter_constraints`` (:func:`constraints`), the shared part of their docstrings
(:func:`fill_shared_doc`) and a test that holds every explicit ``__init__`` signature to
them. scikit-learn reads the parameters from the signatures, so those stay written out.
"""

import inspect
import os
import re
import types
from dataclasses import dataclass
from numbers import Integral, Real

import torch

from ._compat import Interval, StrOptions
from .nn import INIT_SCHEMES, POOLING_MODES
from .nn.encoder import check_transformer_options

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}

CELLS = ("rnn", "lstm", "gru", "peephole_lstm", "coupled_lstm", "conv", "transformer")
# The cells with a forget gate, whose initial bias forget_bias sets.
LSTM_CELLS = ("lstm", "peephole_lstm", "coupled_lstm")
# The encoder options of every network estimator, after forget_bias in their signatures.
# The encoder options beyond the cell and its size, passed on to RecurrentEncoder as they are.
ENCODER_PARAMETERS = ("init", "residual", "layer_norm", "conv_channels", "conv_kernel_size", "num_heads")


@dataclass(frozen=True)
class Parameter:
    """One estimator parameter: its default, its constraint and its docstring entry.

    ``kind`` is the numpydoc type text; the entry's ``default=`` is read from each
    estimator's signature, so that an estimator may choose another default (the LSTM
    flavours' ``cell``) without its docstring going wrong.
    """

    name: str
    default: object
    constraint: list
    kind: str
    doc: str

    def docstring_entry(self, default):
        """The numpydoc entry of this parameter for an estimator whose default is ``default``."""
        body = "\n".join(f"        {line}".rstrip() for line in self.doc.strip("\n").splitlines())
        return f"    {self.name} : {self.kind}, default={_format_default(default)}\n{body}\n\n"


def _format_default(value):
    return f"'{value}'" if isinstance(value, str) else repr(value)


def _positive_int():
    return [Interval(Integral, 1, None, closed="left")]


_NETWORK = (
    Parameter("cell", "rnn", [StrOptions(set(CELLS))],
              "{'rnn', 'lstm', 'gru', 'peephole_lstm', 'coupled_lstm', 'conv', 'transformer'}", """
The sequence encoder: the Elman RNN (tanh), the LSTM, the GRU, the LSTM
whose gates also read the cell state (peephole connections), the LSTM whose
input gate is one minus its forget gate (coupled gates), a stack of dilated
1-D convolutions (a temporal convolution network, dilation doubling at each
layer) or a small pre-norm Transformer encoder with sinusoidal positions.
With ``bidirectional=False`` the convolutions are causal and the
Transformer's attention is masked to the past; with True every step sees the
whole sequence. See the user guide's recurrent-models page."""),
    Parameter("hidden_size", 64, [Interval(Integral, 1, None, closed="left"), list], "int or list of int", """
Hidden units per layer and direction (channels of ``'conv'``, model width of
``'transformer'``); a list gives one size per layer, and then ``num_layers``
is its length (leave ``num_layers`` at 1 or set it to that length)."""),
    Parameter("num_layers", 1, _positive_int(), "int", """
Number of stacked layers (recurrent, convolutional or Transformer, by ``cell``)."""),
    Parameter("bidirectional", False, ["boolean"], "bool", """
Also read each sequence backwards and concatenate both directions. With
``cell='conv'`` or ``'transformer'``: let each step see the steps after it
too (centred kernels, attention unmasked) instead of only those before."""),
    Parameter("pooling", "last", [StrOptions(set(POOLING_MODES))], "{'last', 'mean', 'max', 'attention'}", """
How the per-step outputs become one vector: the final state, their mean or
maximum over the valid steps, or learned additive attention (see
:meth:`attention_weights`)."""),
    Parameter("dropout", 0.0, [Interval(Real, 0, 1, closed="left")], "float", """
Dropout between stacked layers and on the encoder's outputs."""),
    Parameter("forget_bias", 1.0, [Real], "float", """
Initial LSTM forget-gate bias, as Keras sets it (PyTorch's default is 0); a
positive value lets gradients reach early steps from the start. Only the LSTM
and its variants have a forget gate: another value with another cell is an
error."""),
    Parameter("init", "keras", [StrOptions(set(INIT_SCHEMES))], "{'keras', 'torch'}", """
Initial weights. ``'keras'``, Keras's defaults: Glorot-uniform input and
output weights, orthogonal recurrent weights, zero biases, embeddings uniform
in ±0.05; they learn markedly better than PyTorch's on token input (see
:ref:`initialisation`). ``'torch'``: PyTorch's defaults (embeddings N(0, 1)).
Pre-trained ``embedding_weights`` are used as given, and ``forget_bias``
applies with both."""),
    Parameter("residual", False, ["boolean"], "bool", """
Skip connections between stacked layers: each layer from the second on adds
its input to its output (through a linear map when their sizes differ).
Needs more than one layer; the Transformer always has them."""),
    Parameter("layer_norm", False, ["boolean"], "bool", """
Normalise each layer's outputs over their features (layer normalisation),
with ``residual`` before the skip is added. The Transformer always has it."""),
    Parameter("conv_channels", None, [Interval(Integral, 1, None, closed="left"), list, None],
              "int, list of int or None", """
Channels of 1-D convolutions (+ ReLU, one layer per entry) that read the
sequence before a recurrent encoder (the CNN + RNN model, LSTM-FCN's idea);
causal unless ``bidirectional``. Only with the recurrent cells."""),
    Parameter("conv_kernel_size", 3, [Interval(Integral, 1, None, closed="left")], "int", """
Kernel size of ``conv_channels``'s convolutions and of ``cell='conv'``; another
value without either is an error."""),
    Parameter("num_heads", 4, [Interval(Integral, 1, None, closed="left")], "int", """
Attention heads of ``cell='transformer'`` (``hidden_size`` must be a
multiple); another value with another cell is an error."""),
    Parameter("embedding_dim", None, [Interval(Integral, 1, None, closed="left"), None], "int", """
When set, inputs are integer token ids (0 is padding) that a trainable
embedding of this size turns into vectors."""),
    Parameter("vocab_size", None, [Interval(Integral, 2, None, closed="left"), None], "int", """
Number of token ids with ``embedding_dim``; inferred as the largest id seen
in ``fit`` plus one when None. Needs ``embedding_dim`` or ``embedding_weights``."""),
    Parameter("embedding_weights", None, ["array-like", None], "array-like of shape (vocab_size, embedding_dim)", """
Initial embedding, e.g. pre-trained word vectors aligned with a
vectorizer's ids (:func:`~sklearn_seq.text.embedding_matrix`); row ``i`` is
the vector of token id ``i``. Implies token input; ``embedding_dim`` and
``vocab_size`` may be left None or must match its shape."""),
    Parameter("freeze_embedding", False, ["boolean"], "bool", """
Keep the embedding fixed during training (with ``embedding_weights``: the
pre-trained vectors are used as they are). Needs an embedding."""),
    Parameter("return_sequences", False, ["boolean"], "bool", """
Predict at every step (many-to-many of equal length, Keras's name): ``y``
then holds one target sequence per input sequence, of the same length
(any form of :mod:`sklearn_seq.sequences`, e.g. a list of arrays of shape
``(T_i,)`` or ``(T_i, n_outputs)``), and :meth:`predict` returns one array
per sequence. The step outputs are not pooled: ``pooling`` must stay
``'last'``."""),
)

_TRAINING = (
    Parameter("max_epochs", 20, _positive_int(), "int", """
Passes over the training data in ``fit``."""),
    Parameter("batch_size", 32, _positive_int(), "int", """
Sequences per mini-batch, in training and inference."""),
    Parameter("lr", 1e-3, [Interval(Real, 0, None, closed="neither")], "float", """
Learning rate."""),
    Parameter("optimizer", "adam", [StrOptions(set(OPTIMIZERS)), type],
              "{'adam', 'adamw', 'sgd', 'rmsprop'} or torch optimizer class", """
Optimizer of the weights."""),
    Parameter("weight_decay", 0.0, [Interval(Real, 0, None, closed="left")], "float", """
L2 penalty passed to the optimizer."""),
    Parameter("gradient_clip", None, [Interval(Real, 0, None, closed="neither"), None], "float", """
When set, gradients are rescaled so their global norm is at most this value
(the cure for exploding gradients)."""),
    Parameter("early_stopping", False, ["boolean"], "bool", """
Hold out ``validation_fraction`` of the training data (or validate on
``validation_data``), stop when the validation loss has not improved for
``n_iter_no_change`` epochs and restore the best weights. Without it, every
sample is trained on. Not with ``partial_fit``, which trains on all it is
given."""),
    Parameter("validation_fraction", 0.1, [Interval(Real, 0, 1, closed="neither")], "float", """
Share of the training data held out with ``early_stopping`` (unless
``validation_data`` is given)."""),
    Parameter("validation_data", None, [tuple, None], "tuple (X_val, y_val)", """
A fixed validation set, in the forms ``fit`` takes (``y_val`` None for the
unsupervised estimators). When set, every epoch's ``valid_loss`` (in
``history_`` and the epoch table) is the loss on it, with or without
``early_stopping``, whose stopping it then decides; nothing of the training
data is held out. It is read at each ``fit`` and ``partial_fit``: a new
value reaches a warm start."""),
    Parameter("n_iter_no_change", 5, _positive_int(), "int", """
Patience of ``early_stopping`` in epochs."""),
    Parameter("bucket_by_length", False, ["boolean"], "bool", """
Group sequences of similar length into the same mini-batch so that less
padding is carried; batch order stays random."""),
    Parameter("callbacks", None, [list, None], "list of skorch callbacks", """
Extra :mod:`skorch.callbacks` (or ``(name, callback)`` pairs), e.g. an
``LRScheduler`` or a ``Checkpoint``. They are copied at fit. Scoring
callbacks (``EpochScoring``) need a network that predicts one value per
sequence, a classifier or regressor (see :ref:`training`)."""),
    Parameter("checkpoint_dir", None, [str, os.PathLike, None], "str or path-like", """
When set, ``fit`` saves its state (weights, optimizer, history, random
generators) into this directory every ``checkpoint_every`` epochs, and a
``fit`` that starts anew and finds there the checkpoint of the same model
(class, parameters but ``max_epochs``, ``verbose``, ``device``, ``callbacks``,
and training data) resumes from it, drawing what the uninterrupted fit would
have drawn; a checkpoint of another model is an error. The files are removed
when ``fit`` ends or diverges (not when it is interrupted). Not with
``partial_fit``, nor with ``early_stopping``, whose state a resume cannot
restore."""),
    Parameter("checkpoint_every", 1, _positive_int(), "int", """
Epochs between two checkpoints of ``checkpoint_dir``."""),
    Parameter("device", "cpu", [str, torch.device], "str or torch.device", """
Torch device: ``'cpu'``, ``'cuda'``, ``'cuda:N'``, ``'mps'``, a
:class:`torch.device`, or ``'auto'``, which takes a CUDA GPU when one is
available. Checked at fit: a device this machine lacks is a ``ValueError``
that says what is available."""),
    Parameter("precision", "32", [StrOptions({"32", "bf16", "16-mixed"})], "{'32', 'bf16', '16-mixed'}", """
Numeric precision of the forward passes, through :class:`torch.autocast`:
``'32'`` computes in float32; ``'bf16'`` in bfloat16 where autocast allows
(on the CPU and on GPUs), with float32 weights and losses; ``'16-mixed'`` in
float16 with a gradient scaler, on CUDA devices only (an error elsewhere).
Inference uses the same precision, except that a ``'16-mixed'`` model
predicts in float32 off CUDA (a GPU-trained model served on a CPU)."""),
    Parameter("torch_threads", None, [Interval(Integral, 1, None, closed="left"), None], "int", """
Intra-op threads torch may use during ``fit`` and inference; the previous
count is restored afterwards. None keeps torch's count, which joblib's
worker processes already set to the cores divided by the workers (dask's
nanny sets 1: see the "Scaling up" guide)."""),
    Parameter("random_state", None, ["random_state"], "int, RandomState instance or None", """
Seeds weight initialisation, dropout and shuffling through local
generators. Pass an int for reproducible results."""),
    Parameter("verbose", 0, ["verbose"], "int", """
1 prints a progress bar per epoch and the epoch table."""),
    Parameter("warm_start", False, ["boolean"], "bool", """
When True, ``fit`` continues training the fitted network (and optimizer
state) for ``max_epochs`` more epochs instead of starting anew. The training
parameters (``lr``, ``weight_decay``, ``batch_size``, ``gradient_clip``,
``early_stopping``, ``callbacks``, ...) changed since are applied to the
fitted network; changing one that defines the network (or
``bucket_by_length``) is an error."""),
)

# How the regressors hold out their early-stopping data (forecasting windows need the latest ones).
_HOLD_OUT = (
    Parameter("validation_split", "random", [StrOptions({"random", "time"})], "{'random', 'time'}", """
Which ``validation_fraction`` of the training sequences ``early_stopping``
holds out: a seeded random sample, or the last ones in the order given.
Use ``'time'`` for windows of one series (e.g. from
:class:`~sklearn_seq.preprocessing.SlidingWindowTransformer`): a random
sample of overlapping windows leaks, since each validation window shares all
but one of its steps with the training windows around it, and the loss then
rewards memorising the series; of the last windows only the first few overlap
training steps. Needs ``early_stopping`` and no ``validation_data``."""),
)

PARAMETERS = {parameter.name: parameter for parameter in _NETWORK + _TRAINING + _HOLD_OUT}
# What every network estimator has, in signature order, after its task's own parameters.
TRAINING_PARAMETERS = tuple(parameter.name for parameter in _TRAINING)

SHARED_ATTRIBUTES_DOC = {
    "net_": """\
    net_ : skorch.NeuralNet
        The trained skorch net (callbacks, history, optimizer).

""",
    "module_": """\
    module_ : torch.nn.Module
        The trained torch module, built from :mod:`sklearn_seq.nn`.

""",
    "history_": """\
    history_ : list of dict
        One dict per epoch: ``train_loss``, ``valid_loss`` with early stopping or
        ``validation_data``, the scores of scoring callbacks, duration.

""",
    "loss_curve_": """\
    loss_curve_ : list of float
        Training loss per epoch.

""",
    "n_iter_": """\
    n_iter_ : int
        Epochs trained so far.

""",
    "n_features_in_": """\
    n_features_in_ : int
        Columns of 2-D input, else features per step (1 for token ids).

""",
    "feature_names_in_": """\
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, when fitted on a DataFrame with string column names.

""",
    "vocab_size_": """\
    vocab_size_ : int
        Number of token ids the embedding knows (only with token input).

""",
}


def constraints(*names):
    """The declared ``_parameter_constraints`` entries of ``names``."""
    return {name: PARAMETERS[name].constraint for name in names}


def set_init_params(estimator, params):
    """The body of every network estimator's ``__init__``: store each parameter as given.

    ``params`` is the ``__init__``'s ``locals()``; scikit-learn's rule is that
    ``__init__`` only assigns its arguments to attributes of the same name.
    """
    for name in inspect.signature(type(estimator).__init__).parameters:
        if name != "self":
            setattr(estimator, name, params[name])


def fill_shared_doc(cls):
    """Put the declared descriptions into ``cls``'s docstring.

    ``{shared_parameters}`` marks where the Parameters section gets the entries of
    the declared parameters of ``cls.__init__`` that the docstring does not describe
    itself (with the signature's defaults); the whole section is then ordered as the
    signature is. ``{shared_attributes}`` becomes the attributes named in
    ``cls._shared_attributes``.
    """
    doc = cls._docstring_template = cls.__doc__
    start = doc.index("    {shared_parameters}\n")
    head, rest = doc[:start], doc[start + len("    {shared_parameters}\n"):]
    own_block, *tail = re.split(r"^    Attributes\n", rest, maxsplit=1, flags=re.M)
    head, own_before = head.split("    ----------\n", 1)
    own = _doc_entries(own_before + own_block)
    signature = inspect.signature(cls.__init__).parameters
    entries = "".join(own[name] if name in own else PARAMETERS[name].docstring_entry(p.default)
                      for name, p in signature.items() if name in own or name in PARAMETERS)
    attributes = "".join(SHARED_ATTRIBUTES_DOC[name] for name in cls._shared_attributes)
    section = f"{head}    ----------\n{entries}"
    if tail:
        section += "    Attributes\n" + tail[0].replace("    {shared_attributes}\n", attributes)
    cls.__doc__ = section
    return cls


def _doc_entries(block):
    """Split numpydoc entries into ``{name: entry}``; each entry ends with one blank line."""
    entries = [entry for entry in re.split(r"\n(?=    \w+ : )", "\n" + block.strip("\n")) if entry.strip()]
    return {entry.split(" : ")[0].strip(): entry.strip("\n") + "\n\n" for entry in entries}


def cell_flavour(base, cell, summary):
    """Class decorator: make the decorated subclass of ``base`` its flavour with ``cell`` as the default cell.

    The flavour's ``__init__`` is ``base``'s code with its own defaults, so that its
    signature, which scikit-learn reads, is the real one of the function it calls; its
    docstring is ``summary`` over ``base``'s Parameters, Attributes and Examples, with the
    flavour's name in the examples and its own defaults.
    """
    def decorate(cls):
        init = base.__init__
        flavour_init = types.FunctionType(init.__code__, init.__globals__, init.__name__, init.__defaults__,
                                          init.__closure__)
        flavour_init.__kwdefaults__ = {**init.__kwdefaults__, "cell": cell}
        flavour_init.__qualname__ = f"{cls.__name__}.__init__"
        cls.__init__ = flavour_init
        sections = base._docstring_template[base._docstring_template.index("\n    Parameters\n"):]
        sections = re.sub(r"\n    See Also\n.*?(?=\n    Examples\n)", "\n", sections, flags=re.S)
        cls.__doc__ = summary + "\n" + sections.replace(base.__name__, cls.__name__)
        return fill_shared_doc(cls)
    return decorate


def layer_sizes(estimator):
    """The hidden size of each layer: ``hidden_size`` as a list, or repeated ``num_layers`` times."""
    if isinstance(estimator.hidden_size, list):
        return list(estimator.hidden_size)
    return [estimator.hidden_size] * estimator.num_layers


def check_encoder_params(estimator):
    """Refuse encoder parameters that contradict each other, or that the chosen ``cell`` does not have."""
    cell = estimator.cell
    if cell not in LSTM_CELLS and estimator.forget_bias != 1.0:
        raise ValueError(f"forget_bias={estimator.forget_bias} sets the LSTM's forget gate, but cell={cell!r}")
    for name in ("hidden_size", "conv_channels"):
        value = getattr(estimator, name)
        if isinstance(value, bool):  # an int to Python, but never a size
            raise ValueError(f"{name} must be a positive int or a list of them, got {value!r}")
        if isinstance(value, list) and (not value or not all(
                isinstance(size, Integral) and not isinstance(size, bool) and size >= 1 for size in value)):
            raise ValueError(f"{name} as a list holds one positive int per layer, got {value!r}")
    sizes = layer_sizes(estimator)
    if isinstance(estimator.hidden_size, list) and estimator.num_layers not in (1, len(sizes)):
        raise ValueError(f"hidden_size={estimator.hidden_size} gives {len(sizes)} layers, but "
                         f"num_layers={estimator.num_layers}; leave num_layers at 1 or set it to {len(sizes)}")
    if estimator.residual and len(sizes) == 1:
        raise ValueError("residual=True adds skip connections between stacked layers; set num_layers > 1 "
                         "(or a list of hidden sizes)")
    if cell == "transformer":
        check_transformer_options(sizes, estimator.num_heads, residual=estimator.residual,
                                  layer_norm=estimator.layer_norm)
    elif estimator.num_heads != 4:
        raise ValueError(f"num_heads={estimator.num_heads} sets the Transformer's attention heads, but cell={cell!r}")
    if estimator.conv_channels is not None and cell in ("conv", "transformer"):
        raise ValueError(f"conv_channels puts convolutions before a recurrent encoder, but cell={cell!r}; "
                         "cell='conv' sets its channels with hidden_size")
    if estimator.conv_kernel_size != 3 and cell != "conv" and estimator.conv_channels is None:
        raise ValueError(f"conv_kernel_size={estimator.conv_kernel_size} sets the convolutions of cell='conv' or "
                         f"of conv_channels, but cell={cell!r} and conv_channels=None")


def encoder_params(estimator):
    """The :class:`~sklearn_seq.nn.RecurrentEncoder` arguments that come from the shared encoder parameters."""
    names = ("cell", "hidden_size", "num_layers", "dropout", "forget_bias", *ENCODER_PARAMETERS)
    params = {name: getattr(estimator, name) for name in names}
    params["num_layers"] = len(layer_sizes(estimator))
    # Plain ints for torch, which refuses numpy's (what a grid made with np.arange holds).
    for name in ("hidden_size", "conv_channels"):
        if isinstance(params[name], list):
            params[name] = [int(size) for size in params[name]]
        elif params[name] is not None:
            params[name] = int(params[name])
    return params


def decoder_cell(cell):
    """The recurrent cell of a decoder that follows an encoder of ``cell``: the same, or an LSTM.

    A translator's or autoencoder's decoder runs step by step from the encoder's final
    state; the convolution and Transformer encoders have no such state to continue.
    """
    return cell if cell not in ("conv", "transformer") else "lstm"
