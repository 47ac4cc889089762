"""Real data sets shipped inside the package, and generators of sequence-to-sequence pairs.

Nothing is downloaded at run time. Every loader returns a :class:`~sklearn.utils.Bunch`
with at least ``data``, ``target`` and ``DESCR`` (source, size and licence of the shipped
file); every generator returns lists of source and target strings. Where each file came
from, and what each generator draws, is listed in ``sklearn_seq/datasets/README.md``.
"""

from ._generators import make_dates, make_number_words, make_reversal
from ._names import load_names
from ._pos import load_turkish_pos
from ._stocks import load_stock_prices
from ._text import load_bible_verses, load_movie_reviews
from ._ts import load_ts_file, load_uea_ucr

__all__: list[str] = ["load_bible_verses", "load_movie_reviews", "load_names", "load_stock_prices",
                     "load_ts_file", "load_turkish_pos", "load_uea_ucr", "make_dates", "make_number_words",
                     "make_reversal"]
