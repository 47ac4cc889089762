"""Access to the data files shipped in ``sklearn_seq/datasets/data``."""

from __future__ import annotations

import csv
import io
import lzma
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def data_file(name: str) -> Traversable:
    """Return the shipped data file ``name``, raising a clear error if the install lacks it."""
    path = resources.files(__package__).joinpath("data", name)
    if not path.is_file():
        raise FileNotFoundError(
            f"Data file {name!r} is missing from {__package__}/data: the installation is incomplete "
            "(reinstall sklearn-seq)."
        )
    return path


@contextmanager
def open_data_file(name: str) -> Iterator[IO[bytes]]:
    """Open the shipped xz-compressed file ``name`` as a decompressed binary stream."""
    with data_file(name).open("rb") as raw, lzma.open(raw) as unpacked:
        yield unpacked


def read_rows(name: str, *, delimiter: str = ",", encoding: str = "utf-8") -> list[dict[str, str]]:
    """The rows of the shipped xz-compressed delimited file ``name``, as dicts keyed by its header.

    Read with :mod:`csv`, not pandas, so that every value stays the string it is: pandas
    would read names such as NA and NAN as missing values.
    """
    with open_data_file(name) as unpacked:
        return list(csv.DictReader(io.TextIOWrapper(unpacked, encoding=encoding), delimiter=delimiter))
