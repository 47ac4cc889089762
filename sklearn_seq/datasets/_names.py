"""First names of the 1990 US census: the data of the lecture's character-level language model."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

from .._compat import StrOptions, validate_params
from ._base import read_rows

_FILE = "census_first_names.csv.xz"
_GENDERS = ("female", "male")

_DESCR = """\
US census first names (1990)
============================

The first names of the 1990 US census name lists: 4,275 female names and 1,219 male
names, 331 of which are on both lists, 5,163 distinct names in all. They are 2 to 11
letters long (A-Z only, 6.0 on average) and are returned lowercase. This is the data
set of the classic character-level language-model exercise.

**Target.** Which list a name is on: ``'female'``, ``'male'`` or ``'both'``
(whatever the ``gender`` option).

**Frequencies** (``return_frequencies=True``). The census file gives, for every name,
the per cent of the sampled female (respectively male) population who bear it; 0.0
stands for a name absent from that list. The female frequencies add up to 89.9 %,
the male ones to 90.1 %: the lists keep the names covering 90 % of each population.

**Source.** The US Census Bureau's 1990 name files ``dist.female.first`` and
``dist.male.first``, as shipped in the ``names`` 0.3.0 source distribution on PyPI
(``names/dist.female.first`` and ``names/dist.male.first``, MIT-licensed package,
https://github.com/treyhunner/names). Reduced to one compressed CSV of the names
with their two frequencies (18 kB).

**Licence.** Works of the US federal government are in the public domain.
"""


def _read_rows() -> list[tuple[str, float, float]]:
    """Rows ``(NAME, female_percent, male_percent)`` of the shipped file, alphabetical."""
    return [
        (row["name"], float(row["female_percent"] or 0.0), float(row["male_percent"] or 0.0))
        for row in read_rows(_FILE, encoding="ascii")
    ]


@validate_params(
    {
        "gender": [StrOptions({"all", *_GENDERS})],
        "return_frequencies": ["boolean"],
        "as_frame": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_names(*, gender: str = "all", return_frequencies: bool = False, as_frame: bool = False) -> Bunch:
    """Load the first names of the 1990 US census (5,163 names).

    The union of the census's female list (4,275 names) and male list (1,219 names),
    331 names being on both. Names are lowercase ASCII letters, 2 to 11 of them, in
    alphabetical order. Read more in the :ref:`User Guide <language_models>`.

    ================  ==========================================
    names (all)       5,163
    female / male     4,275 / 1,219 (331 on both lists)
    alphabet          26 letters, lowercase
    length            2 to 11 letters
    ================  ==========================================

    Parameters
    ----------
    gender : {'all', 'female', 'male'}, default='all'
        Which names to return: the union of both lists, or one list (the names of
        that list that are also on the other one included).

    return_frequencies : bool, default=False
        Whether to add the census frequencies to the result as ``frequencies``.

    as_frame : bool, default=False
        Whether to return ``data``, ``target`` and ``frequencies`` as pandas objects,
        and all of them together as the DataFrame ``frame``.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str of length n_names, or pandas Series
            The names, lowercase (``'mary'``), in alphabetical order.
        target : ndarray of str of shape (n_names,), or pandas Series
            Which census list each name is on: ``'female'``, ``'male'`` or
            ``'both'``.
        target_names : list of str
            ``['both', 'female', 'male']``.
        frequencies : ndarray of shape (n_names, 2), or pandas DataFrame
            Only with ``return_frequencies=True``. Per cent of the female (column
            0, ``'female'``) and of the male (column 1, ``'male'``) population of
            the census sample bearing the name; 0.0 where the name is not on that
            list.
        frame : pandas DataFrame
            Only with ``as_frame=True``: columns ``name``, ``target`` and, with
            ``return_frequencies=True``, ``female`` and ``male``.
        DESCR : str
            Description of the data set: source, size and licence.

    Examples
    --------
    >>> from sklearn_seq.datasets import load_names
    >>> names = load_names()
    >>> len(names.data), names.data[:3]
    (5163, ['aaron', 'abbey', 'abbie'])
    >>> names.target[:3]
    array(['both', 'female', 'female'], dtype='<U6')
    >>> male = load_names(gender="male", return_frequencies=True)
    >>> len(male.data), male.data[male.frequencies[:, 1].argmax()]
    (1219, 'james')
    """
    rows = _read_rows()
    if gender != "all":
        column = 1 + _GENDERS.index(gender)
        rows = [row for row in rows if row[column] > 0]
    names = [name.lower() for name, _, _ in rows]
    frequencies = np.array([[female, male] for _, female, male in rows], dtype=np.float64).reshape(-1, 2)
    target = np.where(
        (frequencies > 0).all(axis=1), "both", np.where(frequencies[:, 0] > 0, "female", "male")
    )
    bunch = Bunch(data=names, target=target, target_names=["both", *_GENDERS], DESCR=_DESCR)
    if return_frequencies:
        bunch.frequencies = frequencies
    if as_frame:
        bunch.data = pd.Series(names, name="name")
        bunch.target = pd.Series(target, name="target")
        columns = [bunch.data, bunch.target]
        if return_frequencies:
            bunch.frequencies = pd.DataFrame(frequencies, columns=list(_GENDERS))
            columns.append(bunch.frequencies)
        bunch.frame = pd.concat(columns, axis=1)
    return bunch
