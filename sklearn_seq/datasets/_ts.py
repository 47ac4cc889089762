"""The UEA/UCR ``.ts`` format of the time-series classification and regression archives.

A ``.ts`` file is a header of ``@tag value`` lines (and ``#`` or ``%`` comments), an
``@data`` line, then one case per line: its dimensions (channels) separated by ``:``,
the values of a dimension by ``,``, the class label or regression target last, ``?``
for a missing value. Written after aeon's ``load_from_ts_file``, smaller, stricter
(where aeon reads a malformed line as something else, this reader refuses it) and
with errors that name the line. aeon's reader lowercases the labels; this one keeps
them as the ``@classLabel`` line declares them.
"""

from __future__ import annotations

import io
import math
import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO, Any

import numpy as np
from sklearn.utils import Bunch

from .._compat import HasMethods, StrOptions, validate_params
from ._base import open_data_file

_BOOLEAN_TAGS = ("timestamps", "missing", "univariate", "equallength", "targetlabel")
_TAGS = (*_BOOLEAN_TAGS, "problemname", "dimensions", "serieslength", "classlabel", "data")
_ALIASES = {"dimension": "dimensions"}  # aeon's writer spells it @dimension
# Tags of other writers (the MAT Java tools) that describe but do not change how the cases are read.
_FOREIGN_TAGS = ("name", "dimensiontypes", "dimensiondistances")
# A ':' between dimensions, not one inside a "(timestamp,value)" pair.
_DIMENSION_SEPARATOR = re.compile(r":(?![^(]*\))")
# One "(timestamp,value)" pair and the ',' (or the end) after it.
_PAIR = re.compile(r"\s*\(([^(),]*),([^(),]*)\)\s*(,|$)")
# A field of plain decimals ('?' and aeon's 'NaN' for missing values): a fast check before float().
_NUMERIC_FIELD = re.compile(r"[0-9eE+\-.?,NnAa \t]*")
_DECIMAL = re.compile(r"[ \t]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t]*")
_MISSING = ("?", "nan")  # aeon writes missing values as NaN
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes the encoding could not decode (surrogateescape)

UEA_UCR_DATASETS = ("BasicMotions", "JapaneseVowels")
_SHIPPED = """

**Source.** The file ``{name}/{name}_{split}.ts`` of the wheel of the PyPI package
``aeon`` 1.6.0 (BSD-3-Clause, https://github.com/aeon-toolkit/aeon), a copy of the
UEA/UCR time series classification archive's file
(https://www.timeseriesclassification.com), shipped unchanged, compressed with xz.
Where each file came from, and its licence, is in ``sklearn_seq/datasets/README.md``.
"""


@validate_params(
    {"file": [str, os.PathLike, HasMethods(["read"])], "encoding": [str]},
    prefer_skip_nested_validation=True,
)
def load_ts_file(file: str | os.PathLike | IO, *, encoding: str = "utf-8-sig") -> Bunch:
    """Read a time-series file in the UEA/UCR ``.ts`` format.

    The format of the UEA and UCR classification archives and of the Monash
    regression archive (https://www.timeseriesclassification.com), written by
    aeon and sktime. Univariate and multivariate, equal and unequal lengths,
    class labels, regression targets or none; ``?`` (or ``NaN``, as aeon writes
    it) marks a missing value.
    The series come back in this package's ragged layout, one ``(T_i, n_channels)``
    array per case, ready for any estimator. Read more in the :ref:`User Guide
    <time_series_files>`.

    Parameters
    ----------
    file : str, path-like or file object
        The ``.ts`` file: a path, or a file opened in text or binary mode (any
        object with a ``read`` method, e.g. a ``tempfile.NamedTemporaryFile``).
    encoding : str, default='utf-8-sig'
        Encoding of a path or of a binary file; the default reads UTF-8 (hence
        ASCII) with or without a byte order mark.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of ndarray of shape (T_i, n_channels)
            One float64 array per case (line): its steps in rows, its dimensions
            (channels) in columns; NaN where the file has ``?``. Trailing
            steps are kept as the file has them: in a file padded to equal
            lengths with ``?``, ``np.stack(data)`` is a 3-D array whose trailing
            all-NaN steps the estimators read as padding.
        target : ndarray of shape (n_cases,) or None
            The class labels (str) when the header says ``@classLabel true``,
            the regression targets (float64) with ``@targetLabel true``, else None.
            A ``?`` target is NaN, as in aeon: drop those cases before ``fit``,
            which refuses a NaN target.
        target_names : list of str or None
            The class labels the ``@classLabel`` line declares, in its order.
        timestamps : list of ndarray of shape (T_i,) or None
            With ``@timeStamps true``, the time stamp (str) of every step of each
            case; else None.
        problem_name : str or None
            The ``@problemName``.
        DESCR : str
            The problem name, the file's own comments and its size.

    Raises
    ------
    ValueError
        For a malformed file, naming the line: a header without ``@data``, an unknown,
        repeated, ill-valued or contradictory tag, a case with another number of
        dimensions than the header or the first case, dimensions of unequal lengths,
        a length other than ``@seriesLength``, a value that is not a finite decimal
        number (or ``?`` where ``@missing false`` forbids it), time stamps that are
        not a list of ``(stamp,value)`` pairs, a label that ``@classLabel`` does not
        declare, or bytes that are not text in ``encoding``.
    TypeError
        If ``file`` is not a path or a file object.

    Warns
    -----
    UserWarning
        For a tag of another writer that this reader ignores (``@name``,
        ``@dimensionTypes``, ``@dimensionDistances``) and for a repeated
        ``@problemName`` (the last one is kept).

    Examples
    --------
    >>> import io
    >>> from sklearn_seq.datasets import load_ts_file
    >>> text = '''@problemName Toy
    ... @univariate false
    ... @dimensions 2
    ... @equalLength false
    ... @classLabel true up down
    ... @data
    ... 1,2,3:4,5,6:up
    ... 3,?:1,0:down
    ... '''
    >>> toy = load_ts_file(io.StringIO(text))
    >>> toy.data[0]
    array([[1., 4.],
           [2., 5.],
           [3., 6.]])
    >>> toy.data[1], toy.target
    (array([[ 3.,  1.],
           [nan,  0.]]), array(['up', 'down'], dtype='<U4'))
    """
    with _text_lines(file, encoding) as lines:
        numbered = _numbered(lines, encoding)
        header, comments = _read_header(numbered)
        cases, targets, stamps = _read_cases(numbered, header)
    return _bunch(header, comments, cases, targets, stamps)


@validate_params(
    {"name": [StrOptions(set(UEA_UCR_DATASETS))], "split": [StrOptions({"train", "test"})],
     "return_X_y": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_uea_ucr(name: str, *, split: str = "train",
                 return_X_y: bool = False) -> Bunch | tuple[list[np.ndarray], np.ndarray]:
    """Load a multivariate classification problem of the UEA archive shipped with the package.

    Two small problems of the UEA multivariate time series classification
    archive (Bagnall et al., 2018), read by :func:`load_ts_file` from copies
    shipped inside the package, with the archive's train/test split:

    ==============  ===========  ========  ==========  =======  ==================
    name            train, test  channels  lengths     classes  what
    ==============  ===========  ========  ==========  =======  ==================
    BasicMotions    40, 40       6         100         4        smart-watch motion
    JapaneseVowels  270, 370     12        7 to 29     9        speaker of a vowel
    ==============  ===========  ========  ==========  =======  ==================

    Read more in the :ref:`User Guide <time_series_files>`.

    Parameters
    ----------
    name : {'BasicMotions', 'JapaneseVowels'}
        The problem.
    split : {'train', 'test'}, default='train'
        The archive's training or test cases.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        As :func:`load_ts_file` returns it; ``DESCR`` also says where the file came from.
    (data, target) : tuple
        With ``return_X_y=True``.

    Examples
    --------
    >>> from sklearn_seq.datasets import load_uea_ucr
    >>> motions = load_uea_ucr("BasicMotions", split="test")
    >>> len(motions.data), motions.data[0].shape, motions.target_names
    (40, (100, 6), ['Standing', 'Running', 'Walking', 'Badminton'])
    >>> vowels = load_uea_ucr("JapaneseVowels")
    >>> min(map(len, vowels.data)), max(map(len, vowels.data)), vowels.data[0].shape[1]
    (7, 26, 12)
    """
    with open_data_file(f"{name}_{split.upper()}.ts.xz") as unpacked:
        bunch = load_ts_file(unpacked)
    if return_X_y:
        return bunch.data, bunch.target
    bunch.DESCR += _SHIPPED.format(name=name, split=split.upper())
    return bunch


@contextmanager
def _text_lines(file: Any, encoding: str) -> Iterator[IO[str]]:
    """The lines of a path or of a text or binary file object; bytes it cannot decode become surrogates."""
    if isinstance(file, (str, os.PathLike)):
        with open(file, encoding=encoding, errors="surrogateescape") as stream:
            yield stream
    elif isinstance(file.read(0), str):  # text files need not derive from io.TextIOBase (tempfile's do not)
        yield file
    else:
        text = io.TextIOWrapper(file, encoding=encoding, errors="surrogateescape")
        try:
            yield text
        finally:
            text.detach()  # leave the caller's binary file open


def _numbered(lines: IO[str], encoding: str) -> Iterator[tuple[int, str]]:
    """The lines numbered from 1, without a byte order mark; undecodable bytes refused, naming the line."""
    number = 0
    try:
        for number, line in enumerate(lines, start=1):
            if _UNDECODABLE.search(line):
                raise ValueError(f"line {number}: bytes that are not {encoding} text; pass the file's encoding")
            yield number, line.removeprefix("\ufeff") if number == 1 else line
    except UnicodeDecodeError as exc:  # a text file opened with strict decoding, which reads ahead by chunks
        raise ValueError(f"after line {number}: {exc}; open the file with its encoding, or pass its path or "
                         "the file in binary mode for the exact line") from None


def _read_header(numbered: Iterator[tuple[int, str]]) -> tuple[dict[str, Any], list[str]]:
    """The header's tags (lowercased names) and comment lines, up to and including ``@data``."""
    header: dict[str, Any] = {}
    where: dict[str, int] = {}  # the line of each tag, for the errors
    comments = []
    for number, raw in numbered:
        line = raw.strip()
        if line.startswith(("#", "%")):
            comments.append(line.lstrip("#%").strip())
            continue
        if not line:
            continue
        if not line.startswith("@"):
            raise ValueError(f"line {number}: expected a @tag or a comment before @data, got {line[:40]!r}")
        spelled, *rest = line[1:].split(maxsplit=1) or [""]
        tag, value = _ALIASES.get(spelled.lower(), spelled.lower()), rest[0] if rest else ""
        if tag in _FOREIGN_TAGS:
            warnings.warn(f"line {number}: @{spelled} ignored: it does not change how the cases are read",
                          UserWarning, stacklevel=4)
            continue
        if tag not in _TAGS:
            raise ValueError(f"line {number}: unknown tag @{tag}; the .ts header tags are "
                             + ", ".join(f"@{known}" for known in _TAGS))
        if tag == "data":
            if value:
                raise ValueError(f"line {number}: @data takes no value; the cases start on the next line")
            _check_header(header, where)
            return header, comments
        if tag in where and tag != "problemname":
            raise ValueError(f"line {number}: @{spelled} again (first on line {where[tag]}); a tag is given once")
        if tag in where:  # aeon's own UnitTest files name their problem twice
            warnings.warn(f"line {number}: a second @{spelled}; keeping {value!r}", UserWarning, stacklevel=4)
        header[tag] = _tag_value(number, tag, value)
        where[tag] = number
    raise ValueError("the file has no @data line: it ends before its first case")


def _tag_value(number: int, tag: str, value: str) -> Any:
    if tag in _BOOLEAN_TAGS:
        if value.lower() not in ("true", "false"):
            raise ValueError(f"line {number}: @{tag} must be true or false, got {value!r}")
        return value.lower() == "true"
    if tag in ("dimensions", "serieslength"):
        if not (value.isascii() and value.isdigit()) or int(value) == 0:
            raise ValueError(f"line {number}: @{tag} must be a positive integer, got {value!r}")
        return int(value)
    if tag == "classlabel":
        flag, *labels = value.split() or [""]
        if flag.lower() not in ("true", "false"):
            raise ValueError(f"line {number}: @classLabel must start with true or false, got {value!r}")
        if flag.lower() == "true" and not labels:
            raise ValueError(f"line {number}: @classLabel true must list the class labels")
        twice = [label for i, label in enumerate(labels) if label in labels[:i]]
        if twice:
            raise ValueError(f"line {number}: @classLabel declares the label {twice[0]!r} twice")
        return labels if flag.lower() == "true" else None
    return value  # problemname


def _check_header(header: dict[str, Any], where: dict[str, int]) -> None:
    if header.get("classlabel") and header.get("targetlabel"):
        raise ValueError(f"lines {where['classlabel']} and {where['targetlabel']}: the header declares both "
                         "@classLabel true and @targetLabel true; a case has one target")
    if header.get("univariate") and header.get("dimensions", 1) != 1:
        raise ValueError(f"lines {where['univariate']} and {where['dimensions']}: the header says @univariate "
                         f"true but @dimensions {header['dimensions']}")


def _read_cases(numbered: Iterator[tuple[int, str]], header: dict[str, Any]):
    """Every case as a ``(T_i, n_channels)`` array, its target string and its time stamps."""
    has_target = bool(header.get("classlabel") or header.get("targetlabel"))
    timestamps, missing = header.get("timestamps", False), header.get("missing", True)
    n_channels = 1 if header.get("univariate") else header.get("dimensions")
    length = header.get("serieslength") if header.get("equallength") else None
    length_from = "@seriesLength" if length else "the first case's"
    cases, targets, stamps = [], [], []
    for number, raw in numbered:
        line = raw.strip()
        if not line or line.startswith(("#", "%")):
            continue
        # Without time stamps no ':' hides inside a pair: a plain split, linear in the line's length.
        fields = _DIMENSION_SEPARATOR.split(line) if timestamps else line.split(":")
        if has_target:
            if len(fields) < 2:
                raise ValueError(f"line {number}: the case has no target after its values (a last ':' field)")
            targets.append(_target(number, fields.pop().strip(), header))
        elif len(fields) > 1 and not fields[-1].strip():
            fields.pop()  # aeon's writer ends an unlabelled case with ':'
        if n_channels is None:
            n_channels = len(fields)
        elif len(fields) != n_channels:
            hint = ("; is the header missing @classLabel/@targetLabel?"
                    if not has_target and len(fields) == n_channels + 1 else "")
            raise ValueError(f"line {number}: the case has {len(fields)} dimensions, expected {n_channels} "
                             f"(from the header or the first case){hint}")
        values, case_stamps = _case(number, fields, timestamps, missing)
        if header.get("equallength"):
            length = length or len(values)
            if len(values) != length:
                raise ValueError(f"line {number}: the case has {len(values)} steps, but the header declares "
                                 f"equal lengths ({length_from} {length})")
        cases.append(values)
        stamps.append(case_stamps)
    if not cases:
        raise ValueError("the file has no case after its @data line")
    return cases, targets, stamps


def _case(number: int, fields: list[str], timestamps: bool, missing: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """One line's dimensions as a ``(T, n_channels)`` float array (and its time stamps)."""
    channels, stamps = [], None
    for d, field in enumerate(fields):
        if timestamps:
            pairs = _pairs(number, d, field)
            times, raw_values = np.array([p[0].strip() for p in pairs]), [p[1] for p in pairs]
            if stamps is not None and not np.array_equal(times, stamps):
                raise ValueError(f"line {number}: dimension {d} has other time stamps than dimension 0")
            stamps = times
        else:
            raw_values = field.split(",")
        channels.append(_channel(number, d, raw_values, missing))
        if len(channels[d]) != len(channels[0]):
            raise ValueError(f"line {number}: dimension {d} has {len(channels[d])} values but dimension 0 has "
                             f"{len(channels[0])}; the dimensions of a case have one length")
    return np.array(channels, dtype=np.float64).T, stamps


def _pairs(number: int, d: int, field: str) -> list[tuple[str, str]]:
    """The ``(stamp, value)`` pairs of a field that is nothing but a comma-separated list of them."""
    pairs, start = [], 0
    while True:
        match = _PAIR.match(field, start)
        if match is None:
            raise ValueError(f"line {number}: dimension {d} holds no (timestamp,value) pair at "
                             f"{field[start:start + 30]!r}; a time-stamped dimension is a comma-separated "
                             "list of (timestamp,value) pairs")
        pairs.append(match.group(1, 2))
        if not match.group(3):  # the end of the field, not a ','
            return pairs
        start = match.end()


def _channel(number: int, d: int, raw_values: list[str], missing: bool) -> list[float]:
    """One dimension's values, NaN where missing; anything but a finite decimal (or a missing value) refused."""
    joined = ",".join(raw_values)
    has_missing = "?" in joined or "n" in joined or "N" in joined  # faster than a regex search
    if _NUMERIC_FIELD.fullmatch(joined) and (missing or not has_missing):
        with suppress(ValueError):  # a malformed number: _refuse names it
            values = ([math.nan if v.strip().lower() in _MISSING else float(v) for v in raw_values] if has_missing
                      else list(map(float, raw_values)))
            if math.inf not in values and -math.inf not in values:
                return values
    _refuse(number, d, raw_values, missing)


def _refuse(number: int, d: int, raw_values: list[str], missing: bool) -> None:
    """Raise the error that names the first value of a dimension that is not a finite decimal."""
    for t, text in enumerate(raw_values):
        if text.strip().lower() in _MISSING:
            if not missing:
                raise ValueError(f"line {number}: dimension {d} has the missing value {text.strip()!r} at step "
                                 f"{t}, but the header says @missing false")
        elif not _DECIMAL.fullmatch(text):
            raise ValueError(f"line {number}: dimension {d} holds a value that is not a number or '?': {text!r} "
                             f"at step {t} (a decimal such as 1.5 or -2e-3)")
        elif not math.isfinite(float(text)):
            raise ValueError(f"line {number}: dimension {d} holds {text!r} at step {t}, beyond float64's range")


def _target(number: int, value: str, header: dict[str, Any]) -> str | float:
    labels = header.get("classlabel")
    if labels:
        if value not in labels:
            raise ValueError(f"line {number}: class label {value!r} is not declared by @classLabel "
                             f"({' '.join(labels)})")
        return value
    if value.lower() in _MISSING:  # NaN as in aeon; fit refuses it, so the docs say to drop the case
        if not header.get("missing", True):
            raise ValueError(f"line {number}: the regression target is missing ({value!r}), but the header "
                             "says @missing false")
        return math.nan
    if not _DECIMAL.fullmatch(value) or not math.isfinite(float(value)):
        raise ValueError(f"line {number}: regression target {value!r} is not a number (a finite decimal, "
                         "or ? when missing)")
    return float(value)


def _bunch(header: dict[str, Any], comments: list[str], cases: list[np.ndarray], targets: list,
           stamps: list) -> Bunch:
    name = header.get("problemname")
    lengths = [len(case) for case in cases]
    size = (f"{len(cases)} case{'s' if len(cases) > 1 else ''}, {cases[0].shape[1]} dimension(s), "
            + (f"length {lengths[0]}" if min(lengths) == max(lengths) else f"lengths {min(lengths)} to {max(lengths)}"))
    title = name or "Time series (.ts file)"
    descr = re.sub(r"\n{3,}", "\n\n", "\n".join([title, "=" * len(title), "", *comments, "", size + "."]))
    labels = header.get("classlabel")
    if labels:
        target = np.array(targets, dtype=str)
    elif header.get("targetlabel"):
        target = np.array(targets, dtype=np.float64)
    else:
        target = None
    return Bunch(data=cases, target=target, target_names=list(labels) if labels else None,
                 timestamps=stamps if header.get("timestamps") else None, problem_name=name, DESCR=descr)
