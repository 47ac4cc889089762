"""The UEA/UCR .ts reader, the shipped archive problems and the channels-first converters."""

import io
import re
from pathlib import Path

import numpy as np
import pytest

from sklearn_seq import GRUClassifier
from sklearn_seq.datasets import load_ts_file, load_uea_ucr
from sklearn_seq.interop import from_channels_first, to_channels_first

UNIVARIATE = """\
# Two short series.
# A second comment line.
@problemName Tiny
@timeStamps false
@missing false
@univariate true
@equalLength true
@seriesLength 3
@classLabel true a b
@data
1,2,3:a
4.5,-5,6e1:b
"""

MULTIVARIATE_REGRESSION = """\
@problemName Multi
@univariate false
@dimensions 2
@equalLength false
@targetLabel true
@data
1,2,3:10,20,30:0.5
4,5:40,50:-1.25
"""


def _write(tmp_path, text, name="x.ts"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_univariate_equal_length_classification(tmp_path):
    bunch = load_ts_file(_write(tmp_path, UNIVARIATE))
    assert [case.shape for case in bunch.data] == [(3, 1), (3, 1)]
    np.testing.assert_array_equal(bunch.data[1][:, 0], [4.5, -5.0, 60.0])
    assert bunch.data[0].dtype == np.float64
    np.testing.assert_array_equal(bunch.target, ["a", "b"])
    assert bunch.target_names == ["a", "b"]
    assert bunch.problem_name == "Tiny"
    assert bunch.timestamps is None
    assert "A second comment line." in bunch.DESCR
    assert "2 cases, 1 dimension(s), length 3." in bunch.DESCR


def test_multivariate_unequal_length_regression(tmp_path):
    bunch = load_ts_file(str(_write(tmp_path, MULTIVARIATE_REGRESSION)))
    np.testing.assert_array_equal(bunch.data[0], [[1, 10], [2, 20], [3, 30]])
    np.testing.assert_array_equal(bunch.data[1], [[4, 40], [5, 50]])
    assert bunch.target.dtype == np.float64
    np.testing.assert_array_equal(bunch.target, [0.5, -1.25])
    assert bunch.target_names is None
    assert "lengths 2 to 3" in bunch.DESCR


def test_missing_values_become_nan_and_unlabelled_files_have_no_target():
    text = "@univariate false\n@dimensions 2\n@classLabel false\n@data\n1,?,3:?,5,6\n"
    bunch = load_ts_file(io.StringIO(text))
    np.testing.assert_array_equal(bunch.data[0], [[1, np.nan], [np.nan, 5], [3, 6]])
    assert bunch.target is None and bunch.target_names is None and bunch.problem_name is None


def test_tags_are_case_insensitive_and_labels_keep_their_case():
    """Tags in any case, separated from their values by any whitespace; labels as declared."""
    text = "@problemname\tLower\n@UNIVARIATE  TRUE\n@classlabel true Standing Running\n@DATA\n1,2:Running\n"
    bunch = load_ts_file(io.StringIO(text))
    assert bunch.problem_name == "Lower"
    np.testing.assert_array_equal(bunch.target, ["Running"])


def test_timestamped_cases_keep_their_stamps():
    text = ("@timeStamps true\n@univariate false\n@dimensions 2\n@classLabel true 1 2\n@data\n"
            "(2007-01-01 00:00:00,241.97),(2007-01-01 00:01:00,?):(2007-01-01 00:00:00,1),"
            "(2007-01-01 00:01:00,2):2\n")
    bunch = load_ts_file(io.StringIO(text))
    np.testing.assert_array_equal(bunch.data[0], [[241.97, 1], [np.nan, 2]])
    np.testing.assert_array_equal(bunch.timestamps[0], ["2007-01-01 00:00:00", "2007-01-01 00:01:00"])
    np.testing.assert_array_equal(bunch.target, ["2"])


def test_path_text_and_binary_files_read_the_same(tmp_path):
    path = _write(tmp_path, UNIVARIATE)
    binary = io.BytesIO(UNIVARIATE.encode())
    for bunch in (load_ts_file(path), load_ts_file(io.StringIO(UNIVARIATE)), load_ts_file(binary)):
        np.testing.assert_array_equal(np.stack(bunch.data), [[[1], [2], [3]], [[4.5], [-5], [60]]])
    assert not binary.closed  # the caller's file stays open


HEADER = "@univariate false\n@dimensions 2\n@classLabel true a b\n@data\n"


@pytest.mark.parametrize(("text", "message"), [
    ("@problemName X\n@classLabel true a\n", "no @data line"),
    ("@problemName X\n@colour blue\n@data\n1:a\n", "line 2: unknown tag @colour"),
    ("@\n@data\n", "line 1: unknown tag @;"),
    ("@problemName X\nhello\n@data\n", "line 2: expected a @tag"),
    ("@data now\n", "line 1: @data takes no value"),
    ("@univariate maybe\n@data\n", "line 1: @univariate must be true or false"),
    ("@dimensions two\n@data\n", "line 1: @dimensions must be a positive integer"),
    ("@classLabel true\n@data\n", "line 1: @classLabel true must list the class labels"),
    ("@classLabel yes a b\n@data\n", "line 1: @classLabel must start with true or false"),
    ("@classLabel true a\n@targetLabel true\n@data\n", "both @classLabel true and @targetLabel true"),
    ("@univariate true\n@dimensions 3\n@data\n", "@univariate true but @dimensions 3"),
    (HEADER, "no case after its @data line"),
    (HEADER + "1,2:3,4:a\n1,2:b\n", "line 6: the case has 1 dimensions, expected 2"),
    (HEADER + "1,2:3,4:c\n", "line 5: class label 'c' is not declared by @classLabel (a b)"),
    (HEADER + "1,2:3,x:a\n", "line 5: dimension 1 holds a value that is not a number"),
    (HEADER + "1,2:3:a\n", "line 5: dimension 1 has 1 values but dimension 0 has 2"),
    ("@classLabel true a\n@data\n1,2,3\n", "line 3: the case has no target"),
    ("@targetLabel true\n@data\n1,2:high\n", "line 3: regression target 'high' is not a number"),
    ("@equalLength true\n@seriesLength 3\n@classLabel false\n@data\n1,2\n", "line 5: the case has 2 steps"),
    ("@equalLength true\n@classLabel false\n@data\n1,2\n\n1,2,3\n", "line 6: the case has 3 steps"),
    ("@timeStamps true\n@classLabel false\n@data\n1,2\n", "line 4: dimension 0 holds no (timestamp,value)"),
    ("@timeStamps true\n@classLabel false\n@data\n(1,2):(2,3)\n", "line 4: dimension 1 has other time stamps"),
])
def test_malformed_files_name_the_line(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        load_ts_file(io.StringIO(text))


@pytest.mark.parametrize(("name", "split", "n_cases", "n_channels", "lengths", "n_classes"), [
    ("BasicMotions", "train", 40, 6, (100, 100), 4),
    ("BasicMotions", "test", 40, 6, (100, 100), 4),
    ("JapaneseVowels", "train", 270, 12, (7, 26), 9),
    ("JapaneseVowels", "test", 370, 12, (7, 29), 9),
])
def test_shipped_problems(name, split, n_cases, n_channels, lengths, n_classes):
    bunch = load_uea_ucr(name, split=split)
    assert len(bunch.data) == len(bunch.target) == n_cases
    assert {case.shape[1] for case in bunch.data} == {n_channels}
    assert (min(map(len, bunch.data)), max(map(len, bunch.data))) == lengths
    assert sorted(set(bunch.target)) == sorted(bunch.target_names) and len(bunch.target_names) == n_classes
    assert bunch.problem_name == name
    assert f"{name}/{name}_{split.upper()}.ts" in bunch.DESCR
    assert all(np.isfinite(case).all() for case in bunch.data)


def test_shipped_values_and_class_balance():
    motions = load_uea_ucr("BasicMotions")
    assert motions.data[0][:3, 0].tolist() == [0.079106, 0.079106, -0.903497]  # the file's first values
    assert dict(zip(*np.unique(motions.target, return_counts=True), strict=True)) == dict.fromkeys(
        ["Badminton", "Running", "Standing", "Walking"], 10)
    vowels = load_uea_ucr("JapaneseVowels")
    assert np.unique(vowels.target, return_counts=True)[1].tolist() == [30] * 9


def test_bad_names_and_splits_are_refused():
    with pytest.raises(ValueError, match="name"):
        load_uea_ucr("GunPoint")
    with pytest.raises(ValueError, match="split"):
        load_uea_ucr("BasicMotions", split="all")


# Converters


def test_channels_first_arrays_round_trip():
    X = np.arange(2 * 3 * 5, dtype=float).reshape(2, 3, 5)  # 2 cases, 3 channels, 5 points
    ours = from_channels_first(X)
    assert ours.shape == (2, 5, 3) and ours.flags.c_contiguous
    np.testing.assert_array_equal(ours[1, :, 2], X[1, 2])
    np.testing.assert_array_equal(to_channels_first(ours), X)


def test_channels_first_lists_round_trip():
    cases = [np.arange(10.0).reshape(2, 5), np.arange(6.0).reshape(2, 3)]
    ours = from_channels_first(cases)
    assert [case.shape for case in ours] == [(5, 2), (3, 2)]
    back = to_channels_first(ours)
    assert isinstance(back, list)
    for case, original in zip(back, cases, strict=True):
        np.testing.assert_array_equal(case, original)


def test_to_channels_first_reads_every_numeric_form():
    np.testing.assert_array_equal(to_channels_first(np.array([[1.0, 2.0], [3.0, 4.0]])), [[[1, 2]], [[3, 4]]])
    padded = np.array([[[1.0], [2.0], [3.0]], [[4.0], [np.nan], [np.nan]]])  # second sequence: 1 step
    ragged = to_channels_first(padded)
    assert [case.shape for case in ragged] == [(1, 3), (1, 1)]
    assert [case.shape for case in to_channels_first([[1.0, 2.0, 3.0], [4.0]])] == [(1, 3), (1, 1)]
    equal = to_channels_first(np.array([np.zeros((4, 2)), np.ones((4, 2))], dtype=object)[:, None][:, 0])
    assert equal.shape == (2, 2, 4)


@pytest.mark.parametrize(("convert", "X", "message"), [
    (from_channels_first, np.zeros((3, 4)), "X has 2 dimensions"),
    (from_channels_first, [np.zeros((2, 3)), np.zeros(3)], "case 1 has shape (3,)"),
    (from_channels_first, [np.zeros((2, 3)), np.zeros((3, 3))], "case 1 has 3 channels, but case 0 has 2"),
    (to_channels_first, np.zeros((2, 3, 4, 5)), "X has 4 dimensions"),
    (to_channels_first, [np.zeros((3, 2)), np.zeros((4, 3))], "sequence 1 has 3 features per step"),
    (to_channels_first, [np.zeros((3, 2)), np.zeros((0, 2))], "sequence 1 has shape (0, 2)"),
])
def test_converters_refuse_bad_shapes(convert, X, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        convert(X)


def test_the_axis_order_trap_and_its_fix():
    """An aeon array fits without error but as n_channels steps; converted, as the series it is."""
    motions = load_uea_ucr("BasicMotions")
    motions.data, motions.target = motions.data[::4], motions.target[::4]  # 10 cases, every class
    X_aeon = to_channels_first(motions.data)
    assert X_aeon.shape == (10, 6, 100)
    params = dict(hidden_size=4, max_epochs=1, random_state=0)
    assert GRUClassifier(**params).fit(X_aeon, motions.target).n_features_in_ == 100  # the trap
    fixed = GRUClassifier(**params).fit(from_channels_first(X_aeon), motions.target)
    ragged = GRUClassifier(**params).fit(motions.data, motions.target)
    assert fixed.n_features_in_ == 6
    np.testing.assert_array_equal(fixed.predict_proba(motions.data), ragged.predict_proba(motions.data))


# Agreement with aeon's own reader, on every .ts file its wheel ships


def _aeon_files():
    datasets = pytest.importorskip("aeon.datasets")
    return sorted((Path(datasets.__file__).parent / "data").rglob("*.ts"))


def test_agrees_with_aeon_on_its_shipped_files():
    files = _aeon_files()
    from aeon.datasets import load_from_ts_file

    assert len(files) >= 20  # univariate and multivariate, unequal lengths, regression, time stamps
    for path in files:
        X, y = load_from_ts_file(str(path))
        bunch = load_ts_file(path)
        assert len(bunch.data) == len(X), path.name
        for ours, theirs in zip(bunch.data, X, strict=True):
            np.testing.assert_array_equal(ours, np.asarray(theirs).T, err_msg=path.name)
        if bunch.target is None:
            assert len(y) == 0, path.name
        elif bunch.target.dtype.kind == "f":
            np.testing.assert_array_equal(bunch.target, y, err_msg=path.name)
        else:  # aeon lowercases the labels
            np.testing.assert_array_equal(np.char.lower(bunch.target), y, err_msg=path.name)


def test_shipped_problems_agree_with_aeons_loaders():
    pytest.importorskip("aeon")
    from aeon.datasets import load_basic_motions, load_japanese_vowels

    for loader, name in ((load_basic_motions, "BasicMotions"), (load_japanese_vowels, "JapaneseVowels")):
        for split in ("train", "test"):
            X, y = loader(split=split)
            bunch = load_uea_ucr(name, split=split)
            np.testing.assert_array_equal(np.char.lower(bunch.target), y)
            for ours, theirs in zip(to_channels_first(bunch.data), X, strict=True):
                np.testing.assert_array_equal(ours, theirs)


# Files of other writers, and lines the reader must refuse rather than misread


def test_reads_what_aeons_writer_writes(tmp_path):
    """aeon writes @dimension, NaN for a missing value and a trailing ':' when there is no target."""
    pytest.importorskip("aeon")
    from aeon.datasets._data_writers import save_to_ts_file

    X = [np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]]), np.array([[7.0, 8.0], [9.0, 0.5]])]  # aeon's np-list
    save_to_ts_file(X, np.array(["a", "b"]), path=str(tmp_path), problem_name="Labelled",
                    label_type="classification")
    save_to_ts_file(X, path=str(tmp_path), problem_name="Unlabelled")
    labelled, unlabelled = load_ts_file(tmp_path / "Labelled.ts"), load_ts_file(tmp_path / "Unlabelled.ts")
    for bunch in (labelled, unlabelled):
        for ours, theirs in zip(bunch.data, X, strict=True):
            np.testing.assert_array_equal(ours, theirs.T)
    np.testing.assert_array_equal(labelled.target, ["a", "b"])
    assert unlabelled.target is None


def test_foreign_tags_warn_and_a_repeated_problem_name_keeps_the_last():
    text = "@name X\n@problemName A\n@problemName B\n@dimensionTypes Time\n@classLabel false\n@data\n1,2\n"
    with pytest.warns(UserWarning) as record:
        bunch = load_ts_file(io.StringIO(text))
    assert [str(w.message) for w in record] == [
        "line 1: @name ignored: it does not change how the cases are read",
        "line 3: a second @problemName; keeping 'B'",
        "line 4: @dimensionTypes ignored: it does not change how the cases are read"]
    assert bunch.problem_name == "B"


def test_missing_regression_targets_nan_labels_with_brackets_and_a_byte_order_mark(tmp_path):
    """A '?' target is NaN (as in aeon); a label may hold ')' or ':'-free text; a BOM is no tag."""
    path = tmp_path / "bom.ts"
    path.write_bytes("\ufeff@targetLabel true\n@data\n1,2:?\n3,NaN:2.5\n".encode())
    bunch = load_ts_file(path)
    np.testing.assert_array_equal(bunch.target, [np.nan, 2.5])
    np.testing.assert_array_equal(bunch.data[1][:, 0], [3, np.nan])
    labels = load_ts_file(io.StringIO("\ufeff@classLabel true a) b(\n@data\n1,2:a)\n3,4:b(\n"))
    np.testing.assert_array_equal(labels.target, ["a)", "b("])


def test_file_objects_without_text_io_base(tmp_path):
    import tempfile

    with tempfile.NamedTemporaryFile("w+") as named, tempfile.SpooledTemporaryFile(mode="w+") as spooled, \
            tempfile.SpooledTemporaryFile(mode="w+b") as binary:
        for file in (named, spooled):
            file.write(UNIVARIATE)
            file.seek(0)
        binary.write(UNIVARIATE.encode())
        binary.seek(0)
        for file in (named, spooled, binary):
            np.testing.assert_array_equal(load_ts_file(file).target, ["a", "b"])


@pytest.mark.parametrize("file", [None, 3, UNIVARIATE.splitlines(), b"x.ts"])
def test_other_arguments_are_a_type_error(file):
    with pytest.raises(TypeError, match="'file' parameter of load_ts_file must be an instance of 'str'"):
        load_ts_file(file)


def test_undecodable_bytes_name_the_line(tmp_path):
    path = tmp_path / "latin1.ts"
    path.write_bytes(("@classLabel true a b\n@data\n" + "1,2:a\n" * 5000 + "1,2:b\n").encode() + b"\xe9\n")
    with pytest.raises(ValueError, match=re.escape("line 5004: bytes that are not utf-8-sig text")):
        load_ts_file(path)
    with pytest.raises(ValueError, match="line 5004: bytes"):
        load_ts_file(io.BytesIO(path.read_bytes()))
    with open(path, encoding="utf-8") as strict, pytest.raises(ValueError, match=r"after line \d+: 'utf-8' codec"):
        load_ts_file(strict)  # a text file that decodes strictly fails in its own read-ahead


TIMESTAMPED = "@timeStamps true\n@classLabel true a\n@data\n"


@pytest.mark.parametrize(("text", "message"), [
    (TIMESTAMPED + "(1,2),3,(2,4):a\n", "line 4: dimension 0 holds no (timestamp,value) pair at '3,(2,4)'"),
    (TIMESTAMPED + "(1,2),(2,3:a\n", "line 4: dimension 0 holds no (timestamp,value) pair at '(2,3'"),
    (TIMESTAMPED + "(1,2)xyz(2,3):a\n", "line 4: dimension 0 holds no (timestamp,value) pair at '(1,2)xyz"),
    (TIMESTAMPED + "(1,2,3),(2,4):a\n", "line 4: dimension 0 holds no (timestamp,value) pair at '(1,2,3)"),
    (TIMESTAMPED + "(1,2),:a\n", "line 4: dimension 0 holds no (timestamp,value) pair at ''"),
    (HEADER + "1,2:3,abc:a\n", "line 5: dimension 1 holds a value that is not a number or '?': 'abc' at step 1"),
    (HEADER + "1,2:3,inf:a\n", "'inf' at step 1"),
    (HEADER + "1,2:3,1_000:a\n", "'1_000' at step 1"),
    (HEADER + "\u0661,2:3,4:a\n", "dimension 0 holds a value that is not a number or '?': '\u0661' at step 0"),
    (HEADER + "1,2:3,:a\n", "'' at step 1"),
    (HEADER + "1,2:1e400,4:a\n", "line 5: dimension 1 holds '1e400' at step 0, beyond float64's range"),
    ("@missing false\n" + HEADER + "1,?:3,4:a\n", "line 6: dimension 0 has the missing value '?' at step 1, but "
     "the header says @missing false"),
    ("@missing false\n@targetLabel true\n@data\n1,2:?\n", "line 4: the regression target is missing ('?')"),
    ("@targetLabel true\n@data\n1,2:-inf\n", "regression target '-inf' is not a number"),
    ("@targetLabel true\n@data\n1,2:1e999\n", "regression target '1e999' is not a number"),
    ("@dimensions \u00b2\n@data\n", "line 1: @dimensions must be a positive integer, got '\u00b2'"),
    ("@classLabel true a b a\n@data\n", "line 1: @classLabel declares the label 'a' twice"),
    ("@univariate true\n@missing true\n@univariate true\n@data\n", "line 3: @univariate again (first on line 1)"),
    ("@dimension 2\n@dimensions 2\n@data\n", "line 2: @dimensions again (first on line 1)"),
    ("@classLabel true a\n\n@targetLabel true\n@data\n", "lines 1 and 3: the header declares both"),
    ("@dimensions 3\n@univariate true\n@data\n", "lines 2 and 1: the header says @univariate true but @dimensions 3"),
    ("@univariate true\n@classLabel false\n@data\n1,2:a\n", "line 4: the case has 2 dimensions, expected 1 (from "
     "the header or the first case); is the header missing @classLabel/@targetLabel?"),
    ("@equalLength true\n@classLabel false\n@data\n1,2\n1,2,3\n", "line 5: the case has 3 steps, but the header "
     "declares equal lengths (the first case's 2)"),
    ("@equalLength true\n@seriesLength 2\n@classLabel false\n@data\n1,2,3\n", "line 5: the case has 3 steps, but "
     "the header declares equal lengths (@seriesLength 2)"),
])
def test_lines_that_would_be_misread_are_refused(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        load_ts_file(io.StringIO(text))


def test_descr_and_return_x_y():
    bunch = load_ts_file(io.StringIO("# first\n#\n#\n#\n# second\n@classLabel false\n@data\n1,2\n"))
    assert bunch.DESCR == ("Time series (.ts file)\n======================\n\nfirst\n\nsecond\n\n"
                           "1 case, 1 dimension(s), length 2.")
    X, y = load_uea_ucr("BasicMotions", return_X_y=True)
    bunch = load_uea_ucr("BasicMotions")
    np.testing.assert_array_equal(y, bunch.target)
    np.testing.assert_array_equal(np.stack(X), np.stack(bunch.data))


@pytest.mark.parametrize(("convert", "X", "error", "message"), [
    (from_channels_first, np.full((2, 3, 4), "a"), TypeError, "X has dtype <U1; the series must be real numbers"),
    (from_channels_first, np.zeros((2, 3, 4), dtype=complex), TypeError, "X has dtype complex128"),
    (from_channels_first, np.zeros((2, 0, 5)), ValueError, "X has shape (2, 0, 5); a case needs at least one"),
    (from_channels_first, [np.zeros((2, 0))], ValueError, "case 0 has shape (2, 0)"),
    (from_channels_first, ["abc"], TypeError, "case 0 has dtype <U3"),
    (from_channels_first, [], ValueError, "X is an empty list"),
    (from_channels_first, [np.array([["a", None]], dtype=object)], TypeError, "case 0 is not an array of real"),
    (to_channels_first, np.array([["a", "b"]]), TypeError, "X holds strings"),
    (to_channels_first, np.full((2, 3, 4), "a"), TypeError, "X holds strings"),
    (to_channels_first, np.zeros((2, 3, 4), dtype=complex), TypeError, "X has dtype complex128"),
    (to_channels_first, [np.zeros(3, dtype=complex), np.zeros(2)], TypeError, "sequence 0 has dtype complex128"),
    (to_channels_first, [], ValueError, "X holds no sequence"),
    (to_channels_first, np.zeros((2, 3, 0)), ValueError, "X has shape (2, 3, 0)"),
    (to_channels_first, np.full((2, 3, 1), np.nan), ValueError, "sequence 0 has no step: every step is NaN"),
])
def test_converters_refuse_what_is_not_real_numbers_or_holds_nothing(convert, X, error, message):
    with pytest.raises(error, match=re.escape(message)):
        convert(X)


def test_converters_return_float64_and_keep_empty_arrays_shaped():
    assert from_channels_first(np.ones((2, 3, 4), dtype=bool)).dtype == np.float64
    assert all(case.dtype == np.float64 for case in from_channels_first([np.ones((2, 3), dtype=np.int8)]))
    two_d = to_channels_first(np.array([[1, 2], [3, 4]], dtype=np.int8))
    assert two_d.dtype == np.float64 and two_d.shape == (2, 1, 2)
    assert to_channels_first(np.zeros((2, 4, 3), dtype=np.float32)).dtype == np.float64
    assert to_channels_first(np.zeros((0, 3, 5))).shape == (0, 5, 3)
    assert from_channels_first(np.zeros((0, 5, 3))).shape == (0, 3, 5)
    # Trailing NaN padding of a 2-D table is dropped as the input layer drops it; other NaN stay.
    ragged = to_channels_first(np.array([[1.0, np.nan, 3.0], [4.0, np.nan, np.nan]]))
    np.testing.assert_array_equal(ragged[0], [[1.0, np.nan, 3.0]])
    np.testing.assert_array_equal(ragged[1], [[4.0]])


def test_trailing_missing_steps_of_an_equal_length_file_stack_into_padding():
    """As the docs say: np.stack(data) of a file padded with trailing '?' is padding the input layer reads."""
    from sklearn_seq.sequences import check_sequences

    text = "@univariate false\n@dimensions 2\n@equalLength true\n@seriesLength 3\n@classLabel false\n@data\n" \
           "1,2,3:4,5,6\n1,?,?:2,?,?\n"
    bunch = load_ts_file(io.StringIO(text))
    assert [case.shape for case in bunch.data] == [(3, 2), (3, 2)]
    assert check_sequences(np.stack(bunch.data)).lengths.tolist() == [3, 1]
