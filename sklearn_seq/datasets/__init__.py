"""Real data sets shipped inside the package: nothing is downloaded at run time.

Every loader returns a :class:`~sklearn.utils.Bunch` with at least ``data``,
``target`` and ``DESCR`` (source, size and licence of the shipped file). Where each
file came from is listed in ``sklearn_seq/datasets/README.md``.
"""

from ._names import load_names
from ._pos import load_turkish_pos
from ._stocks import load_stock_prices
from ._text import load_bible_verses, load_movie_reviews

__all__: list[str] = ["load_bible_verses", "load_movie_reviews", "load_names", "load_stock_prices",
                     "load_turkish_pos"]
