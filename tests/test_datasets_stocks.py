"""Tests of load_stock_prices: shapes, dates, known values of the shipped file, the pandas output."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from sklearn_seq.datasets import load_stock_prices
from sklearn_seq.datasets._base import open_data_file

DAYS = {"AAPL": 3270, "FB": 196, "GOOG": 2148, "IBM": 3270, "MSFT": 3270}


def test_shipped_file_is_the_source_csv():
    """The decompressed file is byte for byte the CSV of bokeh-sampledata 2026.1 (README.md)."""
    with open_data_file("stock_prices.csv.xz") as unpacked:
        digest = hashlib.sha256(unpacked.read()).hexdigest()
    assert digest == "e73fe05d106b7da1abe8f947264c514afd02cef5c9db4864b9437c84d6bd6069"


@pytest.mark.parametrize("symbol", sorted(DAYS))
def test_shapes_dates_and_target(symbol):
    stock = load_stock_prices(symbol=symbol)
    n_days = DAYS[symbol]
    assert stock.data.shape == (n_days, 6) and stock.target.shape == (n_days,)
    assert stock.dates.shape == (n_days,) and stock.dates.dtype == np.dtype("datetime64[D]")
    assert np.all(np.diff(stock.dates) > np.timedelta64(0, "D"))  # strictly increasing trading days
    assert str(stock.dates[-1]) == "2013-03-01"
    assert stock.feature_names == ["open", "high", "low", "close", "volume", "adj_close"]
    assert stock.target_names == ["adj_close"] and stock.frame is None
    np.testing.assert_array_equal(stock.target, stock.data[:, 5])
    assert np.isfinite(stock.data).all() and (stock.data > 0).all()
    open_, high, low, close = stock.data[:, :4].T
    assert np.all(low <= np.minimum(open_, close)) and np.all(high >= np.maximum(open_, close))
    assert "Public domain" in stock.DESCR and "bokeh-sampledata" in stock.DESCR


def test_known_values():
    apple = load_stock_prices(symbol="AAPL")
    assert str(apple.dates[0]) == "2000-03-01"
    np.testing.assert_array_equal(apple.data[0, :5], [118.56, 132.06, 118.5, 130.31, 9616100])
    assert apple.target[0] == pytest.approx(4.186662803811, abs=1e-12)
    np.testing.assert_array_equal(apple.data[-1, :5], [438.0, 438.1799, 429.98, 430.47, 19730300])
    assert apple.target[-1] == pytest.approx(56.137353095488, abs=1e-12)
    ibm = load_stock_prices(symbol="IBM")
    np.testing.assert_array_equal(ibm.data[0, :4], [102.0, 105.5, 100.06, 100.25])
    assert str(load_stock_prices(symbol="GOOG").dates[0]) == "2004-08-19"
    assert str(load_stock_prices(symbol="FB").dates[0]) == "2012-05-18"


def test_close_is_unadjusted_and_adj_close_is_not():
    """AAPL's 2:1 splits halve the close, not the adjusted close: their ratio jumps only there."""
    apple = load_stock_prices(symbol="AAPL")
    ratio = apple.data[:, 3] / apple.target
    jumps = np.flatnonzero(np.abs(np.diff(np.log(ratio))) > 0.02) + 1
    assert [str(apple.dates[day]) for day in jumps] == ["2000-06-21", "2005-02-28"]
    np.testing.assert_allclose(ratio[jumps] / ratio[jumps - 1], 0.5, atol=1e-3)


def test_the_symbols_share_their_dates():
    apple = load_stock_prices(symbol="AAPL").dates
    for symbol in ("IBM", "MSFT"):
        np.testing.assert_array_equal(load_stock_prices(symbol=symbol).dates, apple)
    for symbol in ("GOOG", "FB"):
        dates = load_stock_prices(symbol=symbol).dates
        np.testing.assert_array_equal(dates, apple[-len(dates):])


def test_as_frame():
    stock = load_stock_prices(symbol="MSFT", as_frame=True)
    assert isinstance(stock.frame, pd.DataFrame) and stock.data is stock.frame
    assert list(stock.frame.columns) == stock.feature_names and stock.frame.index.name == "date"
    assert isinstance(stock.frame.index, pd.DatetimeIndex) and stock.frame.index.is_monotonic_increasing
    assert isinstance(stock.target, pd.Series) and stock.target.name == "adj_close"
    np.testing.assert_array_equal(stock.target.to_numpy(), load_stock_prices(symbol="MSFT").target)
    np.testing.assert_array_equal(stock.frame.index.to_numpy().astype("datetime64[D]"), stock.dates)


def test_unknown_symbol():
    with pytest.raises(ValueError, match="'symbol' parameter"):
        load_stock_prices(symbol="TSLA")
