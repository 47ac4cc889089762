"""Daily stock prices 2000-2013 (Quandl WIKI): the data of the forecasting example."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

from .._compat import StrOptions, validate_params
from ._base import open_data_file

_FILE = "stock_prices.csv.xz"
SYMBOLS = ("AAPL", "FB", "GOOG", "IBM", "MSFT")
FEATURE_NAMES = ["open", "high", "low", "close", "volume", "adj_close"]
_COLUMNS = {"Open": "open", "High": "high", "Low": "low", "Close": "close", "Volume": "volume",
            "Adj Close": "adj_close"}

_DESCR = """\
Daily stock prices, 2000-2013
=============================

Daily open, high, low and close prices, traded volume and adjusted close of five US
stocks, one row per trading day up to 1 March 2013:

======  =====================  ============
symbol  first day              trading days
======  =====================  ============
AAPL    2000-03-01                    3,270
FB      2012-05-18 (listing)            196
GOOG    2004-08-19 (listing)          2,148
IBM     2000-03-01                    3,270
MSFT    2000-03-01                    3,270
======  =====================  ============

AAPL, IBM and MSFT share the same 3,270 dates; GOOG's and FB's are the last 2,148
and 196 of them. There are no missing values.

**Prices.** ``open``, ``high``, ``low``, ``close`` (US dollars) and ``volume``
(shares) are as traded, not adjusted: they jump at stock splits (AAPL halves on
2000-06-21 and 2005-02-28, MSFT on 2003-02-18). ``adj_close`` is the source's close
adjusted for splits and dividends, including those after March 2013 (AAPL's 7:1
split of 2014, GOOG's 2:1 of 2014), so it is smaller than ``close`` (AAPL: 4.19
instead of 130.31 on the first day). ``adj_close`` is the series to forecast
(``target``): its returns are free of the split jumps.

**Source.** The Quandl WIKI prices (https://data.nasdaq.com/databases/WIKIP), as
extracted into ``bokeh_sampledata/_data/stocks.csv.gz`` of the PyPI package
``bokeh-sampledata`` 2026.1 (BSD-3-Clause, https://github.com/bokeh/bokeh_sampledata);
GOOG is the WIKI series ``GOOGL`` (Google's class A share). Shipped unchanged,
recompressed with xz (232 kB; 798 kB as CSV).

**Licence.** Public domain: Quandl declared the WIKI data public domain and allowed
copying and redistribution (publisher notice archived at
https://web.archive.org/web/20150411011214/https://www.quandl.com/data/WIKI), as the
licence inventory of ``bokeh-sampledata`` records. The values are provided as
supplied by the source, with no guarantee of accuracy.
"""


def _read_frame() -> pd.DataFrame:
    """The shipped file: one row per symbol and trading day, sorted by symbol then date."""
    with open_data_file(_FILE) as unpacked:
        frame = pd.read_csv(unpacked, parse_dates=["Date"], dtype={"Ticker": str, **dict.fromkeys(_COLUMNS, float)})
    return frame.rename(columns={"Ticker": "symbol", "Date": "date", **_COLUMNS})


@validate_params(
    {"symbol": [StrOptions(set(SYMBOLS))], "as_frame": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_stock_prices(*, symbol: str = "AAPL", as_frame: bool = False) -> Bunch:
    """Load the daily prices of one stock, 2000 to March 2013 (Quandl WIKI, public domain).

    Open, high, low, close, volume and adjusted close of AAPL, FB, GOOG, IBM or
    MSFT on every trading day until 1 March 2013, in date order. The target is the
    adjusted close, the series a forecaster predicts from its own past. Read more in
    the :ref:`User Guide <time_series>`.

    ==============  ==============================================
    symbols         AAPL, IBM, MSFT (3,270 days from 2000-03-01),
                    GOOG (2,148 days), FB (196 days)
    columns         open, high, low, close, volume, adj_close
    target          adj_close (split- and dividend-adjusted close)
    last day        2013-03-01
    ==============  ==============================================

    Parameters
    ----------
    symbol : {'AAPL', 'FB', 'GOOG', 'IBM', 'MSFT'}, default='AAPL'
        The stock.

    as_frame : bool, default=False
        Whether to return ``data`` and ``target`` as a pandas DataFrame and Series
        indexed by date, and both together as ``frame``.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_days, 6), or pandas DataFrame
            Columns ``open``, ``high``, ``low``, ``close`` (US dollars, as traded),
            ``volume`` (shares) and ``adj_close`` (close adjusted for later splits
            and dividends), one row per trading day in date order.
        target : ndarray of shape (n_days,), or pandas Series
            The adjusted close, ``data[:, 5]``.
        dates : ndarray of datetime64[D] of shape (n_days,)
            The trading days, increasing.
        feature_names : list of str
            ``['open', 'high', 'low', 'close', 'volume', 'adj_close']``.
        target_names : list of str
            ``['adj_close']``.
        frame : pandas DataFrame or None
            With ``as_frame=True``, the six columns indexed by ``date``; else None.
        DESCR : str
            Description of the data set: source, size and licence.

    Examples
    --------
    >>> from sklearn_seq.datasets import load_stock_prices
    >>> apple = load_stock_prices(symbol="AAPL")
    >>> apple.data.shape, str(apple.dates[0]), str(apple.dates[-1])
    ((3270, 6), '2000-03-01', '2013-03-01')
    >>> apple.data[0, :4]  # open, high, low, close on the first day
    array([118.56, 132.06, 118.5 , 130.31])
    >>> round(float(apple.target[-1]), 2)  # adjusted close on the last day
    56.14
    >>> load_stock_prices(symbol="GOOG", as_frame=True).frame.index[0]
    Timestamp('2004-08-19 00:00:00')
    """
    frame = _read_frame()
    frame = frame[frame["symbol"] == symbol].drop(columns="symbol").set_index("date").sort_index()
    values = frame[FEATURE_NAMES].to_numpy(dtype=np.float64)
    bunch = Bunch(
        data=values,
        target=values[:, FEATURE_NAMES.index("adj_close")].copy(),
        dates=frame.index.to_numpy().astype("datetime64[D]"),
        feature_names=list(FEATURE_NAMES),
        target_names=["adj_close"],
        frame=None,
        DESCR=_DESCR,
    )
    if as_frame:
        bunch.frame = frame[FEATURE_NAMES].copy()
        bunch.data = bunch.frame
        bunch.target = bunch.frame["adj_close"].copy()
    return bunch
