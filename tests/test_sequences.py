"""The input layer: every accepted form, padding, bucketing, and the error for each bad input."""

import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch

from sklearn_seq import LSTMClassifier, LSTMRegressor
from sklearn_seq.sequences import (
    LengthBucketBatchSampler,
    SequenceDataset,
    check_sequences,
    fixed_size_batches,
    sequence_loader,
)


def test_ragged_univariate_and_multivariate_are_padded_with_lengths():
    uni = check_sequences([np.arange(3.0), np.arange(1.0)])
    assert uni.values.shape == (2, 3, 1) and uni.values.dtype == np.float32
    assert uni.lengths.tolist() == [3, 1]
    np.testing.assert_array_equal(uni.values[1, :, 0], [0.0, 0.0, 0.0])

    multi = check_sequences(np.array([np.ones((4, 2)), np.ones((2, 2))], dtype=object))
    assert multi.values.shape == (2, 4, 2) and multi.lengths.tolist() == [4, 2]
    assert multi.n_features == 2


def test_trailing_nan_steps_are_padding():
    X = np.ones((2, 4, 3))
    X[1, 2:] = np.nan
    seqs = check_sequences(X)
    assert seqs.lengths.tolist() == [4, 2]
    assert np.isfinite(seqs.values).all()


def test_2d_array_is_univariate_sequences():
    seqs = check_sequences(np.arange(6.0).reshape(2, 3))
    assert seqs.values.shape == (2, 3, 1) and seqs.lengths.tolist() == [3, 3]


def test_equal_length_lists_are_a_regular_array():
    np.testing.assert_array_equal(
        check_sequences([[1.0, 2.0], [3.0, 4.0]]).values, check_sequences(np.array([[1.0, 2.0], [3.0, 4.0]])).values
    )


def test_token_forms_agree():
    padded = check_sequences(np.array([[3, 4, 5], [6, 0, 0]]), tokens=True)
    ragged = check_sequences([[3, 4, 5], [6]], tokens=True)
    assert padded.values.dtype == np.int64 and padded.lengths.tolist() == [3, 1]
    np.testing.assert_array_equal(padded.values, ragged.values)
    np.testing.assert_array_equal(padded.lengths, ragged.lengths)


@pytest.mark.parametrize(
    ("X", "error", "message"),
    [
        ([np.ones((3, 2)), np.ones((4, 3))], ValueError, "sample 1 has 3 features per step, but sample 0 has 2"),
        ([np.ones(3), np.ones(0)], ValueError, "sample 1 is an empty sequence"),
        ([np.ones(3), np.array([1.0, np.nan, 2.0])], ValueError, "sample 1 contains NaN or infinity at step 1"),
        ([np.ones(3), np.array([1.0, 2.0, np.inf])], ValueError, "sample 1 contains NaN or infinity at step 2"),
        ([np.ones(3), "a sentence"], TypeError, "sample 1 is a string; turn raw text into token ids first"),
        ([np.ones(3), {"a": 1}], TypeError, "sample 1 has dtype object; sequences must be numeric"),
        ([np.ones(3), np.ones((2, 2, 2))], ValueError, "sample 1 has 3 dimensions; expected (T_i,) or (T_i, n_"),
        ([np.ones(3), 4.0], ValueError, "sample 1 is a scalar"),
        ([], ValueError, "X contains no sequences"),
        (np.ones((2, 3, 4, 5)), ValueError, "X has 4 dimensions; expected (n_sequences, n_timesteps)"),
        (sp.csr_matrix(np.ones((3, 4))), TypeError, "sparse input is not supported"),
        ([np.ones(3), sp.csr_matrix(np.ones((3, 1)))], TypeError, "sample 1: sparse input is not supported"),
    ],
)
def test_bad_sequences_raise_naming_the_sample(X, error, message):
    with pytest.raises(error, match=re.escape(message)):
        check_sequences(X)


def test_nan_inside_a_3d_sequence_is_an_error():
    X = np.ones((3, 4, 2))
    X[2, 1, 0] = np.nan  # not a whole trailing step
    with pytest.raises(ValueError, match=re.escape("sample 2 contains NaN or infinity at step 1; only trailing")):
        check_sequences(X)
    X[2] = np.nan
    with pytest.raises(ValueError, match=re.escape("sample 2 is an empty sequence (every step is NaN)")):
        check_sequences(X)


@pytest.mark.parametrize(
    ("X", "error", "message"),
    [
        ([[1, 2], [1.5, 2.0]], TypeError, "sample 1 has dtype float64; token ids must be integers"),
        ([[1, 2], [3, -1]], ValueError, "sample 1 has a negative token id"),
        (np.array([[1, 2], [0, 0]]), ValueError, "sample 1 is an empty sequence (only padding ids 0)"),
        (np.array([[1.0, 2.0]]), TypeError, "token ids must be integers, got dtype float64"),
        ([[1, 2], [[1, 2]]], ValueError, "sample 1 has shape (1, 2); token sequences must be 1-D"),
    ],
)
def test_bad_tokens_raise(X, error, message):
    with pytest.raises(error, match=re.escape(message)):
        check_sequences(X, tokens=True)


def test_estimators_report_bad_input_and_step_features():
    model = LSTMRegressor(hidden_size=4, max_epochs=1, random_state=0)
    with pytest.raises(TypeError, match="sparse input is not supported"):
        model.fit(sp.csr_matrix(np.ones((4, 3))), np.ones(4))
    with pytest.raises(ValueError, match=re.escape("sample 2 is an empty sequence")):
        model.fit([np.ones(2), np.ones(3), []], np.ones(3))
    model.fit([np.ones((2, 3)), np.ones((5, 3))], [0.0, 1.0])
    assert model.n_features_in_ == 3
    with pytest.raises(ValueError, match="X has 2 features per step, but LSTMRegressor was fitted with 3"):
        model.predict([np.ones((2, 2))])
    with pytest.raises(ValueError, match="X has 2 sequences but y has 3 samples"):
        model.fit([np.ones(2), np.ones(3)], [1.0, 2.0, 3.0])


def test_2d_fit_keeps_the_tabular_contract():
    X, y = np.random.RandomState(0).normal(size=(20, 5)), np.arange(20) % 2
    model = LSTMClassifier(hidden_size=4, max_epochs=1, random_state=0).fit(X, y)
    assert model.n_features_in_ == 5
    with pytest.raises(ValueError, match="X has 4 features, but LSTMClassifier is expecting 5"):
        model.predict(X[:, :4])
    # Univariate sequences of another length are still welcome in ragged form.
    assert model.predict([X[0, :4], X[1]]).shape == (2,)


def test_dataframe_sets_feature_names():
    X = pd.DataFrame(np.random.RandomState(0).normal(size=(20, 3)), columns=["t0", "t1", "t2"])
    model = LSTMClassifier(hidden_size=4, max_epochs=1, random_state=0).fit(X, np.arange(20) % 2)
    np.testing.assert_array_equal(model.feature_names_in_, ["t0", "t1", "t2"])
    model.fit(X.to_numpy(), np.arange(20) % 2)
    assert not hasattr(model, "feature_names_in_")


def test_dataset_batches_are_trimmed_to_their_longest_sequence():
    dataset = SequenceDataset(check_sequences([np.ones(9), np.ones(2), np.ones(3)]), np.arange(3))
    x, y = dataset.__getitems__([1, 2])
    assert x["x"].shape == (2, 3, 1) and x["lengths"].tolist() == [2, 3] and y.tolist() == [1, 2]


def test_bucketing_sampler_covers_every_index_once_and_groups_lengths():
    lengths = np.random.RandomState(0).lognormal(2, 1, size=1000).astype(int) + 1
    def sampler(bucket_by_length):
        generator = torch.Generator().manual_seed(0)
        return LengthBucketBatchSampler(lengths, 16, shuffle=True, bucket_by_length=bucket_by_length,
                                        generator=generator)

    plain, bucketed = sampler(False), sampler(True)
    for batches in (list(plain), list(bucketed)):
        assert len(batches) == len(plain) == 63
        assert sorted(torch.cat(batches).tolist()) == list(range(1000))

    def padded_steps(batches):
        return sum(len(b) * lengths[b.numpy()].max() for b in batches)

    assert padded_steps(sampler(True)) < 0.6 * padded_steps(sampler(False))
    assert all(torch.equal(a, b) for a, b in zip(sampler(True), sampler(True), strict=True))


def test_loader_over_a_subset_uses_the_subset_lengths():
    dataset = SequenceDataset(check_sequences([np.ones(n) for n in (5, 1, 4, 2)]), np.arange(4))
    loader = sequence_loader(torch.utils.data.Subset(dataset, [1, 3]), batch_size=2)
    (x, y), = list(loader)
    assert x["x"].shape == (2, 2, 1) and y.tolist() == [1, 3]


def test_fixed_size_batches_fill_the_last_batch():
    seqs = check_sequences(np.arange(10.0).reshape(5, 2))
    batches = list(fixed_size_batches(seqs, 4))
    assert [x.shape[0] for x, _, _ in batches] == [4, 4]
    assert [n for _, _, n in batches] == [4, 1]
    np.testing.assert_array_equal(batches[1][0][:, :, 0], np.tile([[8.0, 9.0]], (4, 1)))


@pytest.mark.parametrize("tokens", [False, True])
def test_a_series_or_one_column_frame_of_sequences_is_read_as_the_list(tokens):
    pd = pytest.importorskip("pandas")
    rows = [[3, 4, 5], [6, 7]] if tokens else [np.arange(3.0), np.arange(2.0)]
    expected = check_sequences(rows, tokens=tokens)
    for X in (pd.Series(rows, index=[10, 20]), pd.DataFrame({"ids": rows})):
        got = check_sequences(X, tokens=tokens)
        np.testing.assert_array_equal(got.values, expected.values)
        np.testing.assert_array_equal(got.lengths, expected.lengths)


@pytest.mark.parametrize("tokens", [False, True])
def test_a_one_column_object_array_of_sequences_is_read_as_its_column(tokens):
    # Was: numpy's "setting an array element with a sequence" for DataFrame({"s": sequences}).to_numpy().
    pd = pytest.importorskip("pandas")
    rows = [[3, 4, 5], [6, 7]] if tokens else [np.arange(3.0), np.arange(2.0)]
    got = check_sequences(pd.DataFrame({"s": rows}).to_numpy(), tokens=tokens)
    expected = check_sequences(rows, tokens=tokens)
    np.testing.assert_array_equal(got.values, expected.values)
    assert got.lengths.tolist() == [3, 2]


@pytest.mark.parametrize(("X", "kind"), [((np.ones(3) for _ in range(2)), "generator"), ({0: np.ones(3)}, "dict"),
                                         ({1.0, 2.0}, "set")])
def test_an_iterator_mapping_or_set_is_refused_naming_the_accepted_forms(X, kind):
    with pytest.raises(TypeError, match=f"X is a {kind}; pass the samples as an array, a list of arrays"):
        check_sequences(X)


def test_a_sample_without_steps_says_so():
    with pytest.raises(ValueError, match=re.escape("sample 0 is an empty sequence (it has no steps)")):
        check_sequences([np.empty((0, 2))])


def test_a_frame_without_columns_is_named():
    pd = pytest.importorskip("pandas")
    with pytest.raises(ValueError, match="DataFrame without columns"):
        check_sequences(pd.DataFrame())
