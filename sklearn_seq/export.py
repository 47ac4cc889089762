"""Export fitted sequence classifiers and regressors to ONNX, for serving without Python's training stack."""

import copy
import json
import warnings

import torch
from sklearn.utils.validation import check_is_fitted
from torch import nn

from . import __version__
from .classification import RNNClassifier
from .regression import RNNRegressor

__all__ = ["to_onnx"]


def to_onnx(estimator, path, *, opset=17):
    """Write a fitted sequence classifier or regressor to an ONNX file.

    The graph takes two inputs with dynamic batch and time axes:

    - ``values``: float32 ``(batch, time, features)`` sequences, or int64
      ``(batch, time)`` token ids for an estimator with an embedding layer (2-D
      training data has one feature per step). Steps past a sequence's length are
      ignored, whatever they hold (zeros, NaN, or token id 0);
    - ``lengths``: int64 ``(batch,)``, the number of valid steps of each sequence (at least one).

    and gives one output:

    - classifiers: ``probabilities``, float32 ``(batch, n_classes)``, equal to
      ``predict_proba`` (columns in the order of ``classes_``);
    - regressors: ``predictions``, float32 ``(batch,)`` for one target or
      ``(batch, n_outputs)``, equal to ``predict``. With ``return_sequences=True``
      the output has a time axis after the batch one, NaN past each sequence's length.

    The model's metadata (``metadata_props``) records the estimator's class, its
    ``classes_`` as JSON, the inputs' meaning and the package version.

    Parameters
    ----------
    estimator : RNNClassifier or RNNRegressor
        A fitted many-to-one classifier or regressor (or one of its LSTM and GRU
        flavours): cell 'rnn', 'lstm' or 'gru', stacked or bidirectional, any
        pooling, numeric or token input. The other encoders (the LSTM variants,
        'conv', 'transformer', residual, layer_norm, per-layer sizes,
        conv_channels) have no ONNX recurrent operator and are refused.
    path : str or path-like
        Where to write the ``.onnx`` file.
    opset : int, default=17
        The ONNX operator set version to target.

    Returns
    -------
    path : str or path-like
        The ``path`` given.

    Raises
    ------
    TypeError
        For another estimator (tagger, language model, translator, autoencoder):
        only the classifiers and regressors are exported.
    ImportError
        When the ``onnx`` package is missing (``pip install "sklearn-seq[export]"``).

    Examples
    --------
    >>> import numpy as np
    >>> import os, tempfile
    >>> from sklearn_seq import GRUClassifier
    >>> from sklearn_seq.export import to_onnx
    >>> rng = np.random.RandomState(0)
    >>> X = [rng.normal(size=(n, 2)) for n in (3, 5, 4, 2)]
    >>> clf = GRUClassifier(hidden_size=4, max_epochs=1, random_state=0).fit(X, [0, 1, 0, 1])
    >>> import pytest; onnxruntime = pytest.importorskip("onnxruntime")  # the export extra
    >>> path = to_onnx(clf, os.path.join(tempfile.mkdtemp(), "gru.onnx"))
    >>> session = onnxruntime.InferenceSession(path)
    >>> values = np.zeros((2, 5, 2), dtype=np.float32)  # a padded batch of the first two
    >>> values[0, :3], values[1] = X[0], X[1]
    >>> (proba,) = session.run(None, {"values": values, "lengths": np.array([3, 5])})
    >>> np.allclose(proba, clf.predict_proba(X[:2]), atol=1e-5)
    True
    """
    graph, output_name, output_meaning = _export_graph(estimator)
    onnx = _import_onnx()
    token_input = graph.token_input
    values = torch.zeros((3, 4) if token_input else (3, 4, estimator.module_.encoder.rnn.input_size),
                         dtype=torch.int64 if token_input else torch.float32)
    lengths = torch.tensor([4, 2, 3], dtype=torch.int64)
    with warnings.catch_warnings():
        # torch.export (dynamo=True) unrolls recurrent layers over time, which fixes the time
        # axis; the legacy TorchScript exporter maps them to ONNX's RNN, LSTM and GRU operators
        # instead. Its warnings are for the maintainers (its deprecation) or about cases that
        # cannot arise here: torch's own checks of shapes, a helper torch itself deprecated, a
        # default initial state (ours is computed from the input's batch size), and negative
        # indices (lengths - 1 is not).
        warnings.filterwarnings("ignore", message="You are using the legacy TorchScript-based ONNX export")
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning, module="torch.nn.modules.rnn")
        warnings.filterwarnings("ignore", message="The feature will be removed", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message="Exporting a model to ONNX with a batch_size other than 1")
        warnings.filterwarnings("ignore", message="Exporting aten::index operator of advanced indexing")
        torch.onnx.export(
            graph, (values, lengths), str(path), input_names=["values", "lengths"], output_names=[output_name],
            dynamic_axes={"values": {0: "batch", 1: "time"}, "lengths": {0: "batch"},
                          output_name: {0: "batch", 1: "time"} if graph.per_step else {0: "batch"}},
            opset_version=opset, dynamo=False,
        )
    model = onnx.load(str(path))
    meanings = {
        "values": ("int64 (batch, time) token ids" if token_input else "float32 (batch, time, features) sequences")
        + "; steps past a sequence's length are ignored",
        "lengths": "int64 (batch,) number of valid steps of each sequence (>= 1)",
        output_name: output_meaning,
    }
    for value in [*model.graph.input, *model.graph.output]:
        value.doc_string = meanings[value.name]
    metadata = {"estimator": type(estimator).__name__, "sklearn_seq_version": __version__,
                **{f"input:{name}": meanings[name] for name in ("values", "lengths")},
                f"output:{output_name}": output_meaning}
    if isinstance(estimator, RNNClassifier):
        metadata["classes"] = json.dumps(estimator.classes_.tolist())
    onnx.helper.set_model_props(model, metadata)
    model.doc_string = f"{type(estimator).__name__} exported by sklearn-seq {__version__}"
    onnx.save(model, str(path))
    return path


def _import_onnx():
    try:
        import onnx
    except ImportError as error:
        raise ImportError(
            'to_onnx needs the onnx package; install the export extra: pip install "sklearn-seq[export]"'
        ) from error
    return onnx


def _export_graph(estimator):
    """The export-friendly module computing ``estimator``'s outputs, its output's name and meaning."""
    if not isinstance(estimator, RNNClassifier | RNNRegressor):
        raise TypeError(
            f"to_onnx exports the many-to-one classifiers and regressors (RNNClassifier, LSTMClassifier, "
            f"GRUClassifier, RNNRegressor, LSTMRegressor, GRURegressor), got {type(estimator).__name__}"
        )
    check_is_fitted(estimator)
    encoder = estimator.module_.encoder
    if not isinstance(encoder.rnn, nn.RNNBase) or encoder.conv is not None:
        raise ValueError(
            f"to_onnx maps torch's RNN, LSTM and GRU layers to ONNX's recurrent operators; this network's encoder "
            f"(cell={estimator.cell!r}, residual, layer_norm, a list of hidden sizes or conv_channels) has no such "
            "operator: export the plain 'rnn', 'lstm' or 'gru' encoders"
        )
    if isinstance(estimator, RNNClassifier):
        post_processing, name = "softmax", "probabilities"
        meaning = "float32 (batch, n_classes) as predict_proba, columns in the order of the metadata's classes"
    else:
        one = estimator.n_outputs_ == 1
        post_processing, name = ("squeeze" if one else None), "predictions"
        shape = "(batch,)" if one else "(batch, n_outputs)"
        if estimator.return_sequences:
            shape = shape.replace("batch,", "batch, time,").replace(",)", ")")
        meaning = f"float32 {shape} as predict" + (", NaN past each sequence's length" * estimator.return_sequences)
    # A copy on the CPU, in eval mode: the estimator's own network is left as it was.
    module = copy.deepcopy(estimator.module_).cpu().eval()
    return _OnnxGraph(module, post_processing).eval(), name, meaning


class _OnnxGraph(nn.Module):
    """A fitted network's forward pass without packed sequences, which ONNX cannot express.

    A bidirectional encoder packs its batch so that the backward direction starts at
    each sequence's own end. Here each layer and direction runs as a one-layer RNN of
    the same weights, the backward one on every sequence reversed within its length
    (a gather), which gives the packed pass's numbers on any padding.
    """

    def __init__(self, module, post_processing):
        super().__init__()
        self.module = module
        self.post_processing = post_processing
        encoder = module.encoder
        self.token_input = encoder.embedding is not None
        self.per_step = not hasattr(module, "pooling")
        self.layers = nn.ModuleList(
            nn.ModuleList(_single_layer(encoder.rnn, layer, reverse)
                          for reverse in ((False, True) if encoder.rnn.bidirectional else (False,)))
            for layer in range(encoder.rnn.num_layers)
        )

    def forward(self, values, lengths):
        encoder = self.module.encoder
        steps = torch.arange(values.shape[1], device=values.device)
        valid = steps[None, :] < lengths[:, None]
        # Padding may hold NaN (the package's convention for arrays) or any token id: zero it,
        # as the estimator pads, since masking multiplies and NaN * 0 is NaN.
        if self.token_input:
            x = encoder.embedding(torch.where(valid, values, torch.zeros_like(values)))
        else:
            x = torch.where(valid[..., None], values, torch.zeros_like(values))
        # Step t of a sequence reversed within its length; padding stays where it is.
        reverse = torch.where(valid, lengths[:, None] - 1 - steps[None, :], steps[None, :])
        reverse = reverse[..., None].expand(-1, -1, encoder.rnn.hidden_size)
        # An explicit initial state: the exporter would fix a default one's batch size.
        hidden = values.new_zeros((1, values.shape[0], encoder.rnn.hidden_size), dtype=torch.float32)
        state = (hidden, hidden) if isinstance(encoder.rnn, nn.LSTM) else hidden
        for directions in self.layers:
            outputs = [directions[0](x, state)[0]]
            if len(directions) == 2:
                backward = directions[1](torch.gather(x, 1, reverse[..., :1].expand(-1, -1, x.shape[2])), state)[0]
                outputs.append(torch.gather(backward, 1, reverse))
            x = torch.cat(outputs, dim=-1)
        outputs = x * valid[..., None]
        if self.per_step:
            out = self.module.head(outputs)
            out = torch.where(valid[..., None], out, torch.full_like(out, float("nan")))
        else:
            pooled, _ = self.module.pooling(outputs, encoder._final_state(outputs, lengths, True), lengths)
            out = self.module.head(pooled)
        if self.post_processing == "softmax":
            return torch.softmax(out, dim=-1)
        return out.squeeze(-1) if self.post_processing == "squeeze" else out


def _single_layer(rnn, layer, reverse):
    """A one-layer, one-direction copy of ``layer`` of ``rnn`` (its backward direction if ``reverse``)."""
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    weight_ih = getattr(rnn, f"weight_ih{suffix}")
    kwargs = {"nonlinearity": rnn.nonlinearity} if isinstance(rnn, nn.RNN) else {}
    single = type(rnn)(weight_ih.shape[1], rnn.hidden_size, batch_first=True, bias=rnn.bias, **kwargs)
    single.load_state_dict({name: getattr(rnn, name.replace("_l0", suffix)) for name, _ in single.named_parameters()})
    return single.eval()
