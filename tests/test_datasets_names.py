"""Tests of load_names: counts, casing, targets, frequencies and the pandas output."""

import numpy as np
import pandas as pd
import pytest

from sklearn_seq.datasets import load_names


@pytest.fixture(scope="module")
def names():
    return load_names(return_frequencies=True)


def test_counts_of_the_census_lists(names):
    assert len(names.data) == 5163
    assert len(load_names(gender="female").data) == 4275
    assert len(load_names(gender="male").data) == 1219
    assert (names.target == "both").sum() == 331
    assert (names.target == "female").sum() == 4275 - 331
    assert (names.target == "male").sum() == 1219 - 331


def test_names_are_unique_sorted_lowercase_letters(names):
    assert names.data == sorted(set(names.data))
    assert all(name.isascii() and name.isalpha() and name.islower() for name in names.data)
    lengths = [len(name) for name in names.data]
    assert (min(lengths), max(lengths)) == (2, 11)
    assert round(np.mean(lengths), 3) == 5.996
    # pandas would have read these two names as missing values
    assert {"na", "nan"} <= set(names.data)


def test_target_gives_the_lists_a_name_is_on(names):
    assert names.target_names == ["both", "female", "male"]
    lookup = dict(zip(names.data, names.target, strict=True))
    assert (lookup["linda"], lookup["douglas"], lookup["mary"]) == ("female", "male", "both")
    female = load_names(gender="female")
    assert set(female.target) == {"female", "both"}
    assert female.data == [name for name, target in lookup.items() if target != "male"]


def test_frequencies(names):
    frequencies = names.frequencies
    assert frequencies.shape == (5163, 2)
    lookup = dict(zip(names.data, frequencies, strict=True))
    np.testing.assert_array_equal(lookup["linda"], [1.035, 0.0])
    np.testing.assert_array_equal(lookup["mary"], [2.629, 0.009])
    np.testing.assert_array_equal(lookup["james"], [0.010, 3.318])
    np.testing.assert_allclose(frequencies.sum(axis=0), [89.940, 90.052], atol=1e-6)
    np.testing.assert_array_equal(frequencies > 0, np.c_[names.target != "male", names.target != "female"])
    assert "frequencies" not in load_names()


def test_as_frame():
    bunch = load_names(gender="male", return_frequencies=True, as_frame=True)
    assert isinstance(bunch.data, pd.Series) and isinstance(bunch.target, pd.Series)
    assert list(bunch.frame.columns) == ["name", "target", "female", "male"]
    assert bunch.frame.shape == (1219, 4)
    assert bunch.frame.loc[bunch.frame["male"].idxmax(), "name"] == "james"
    assert list(load_names(as_frame=True).frame.columns) == ["name", "target"]


def test_descr_states_source_and_licence(names):
    for text in ("1990", "dist.female.first", "names", "0.3.0", "public domain", "5,163"):
        assert text in names.DESCR


def test_invalid_gender():
    with pytest.raises(ValueError, match="The 'gender' parameter of load_names must be a str among"):
        load_names(gender="other")
