"""Access to the data files shipped in ``sklearn_seq/datasets/data``."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

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
