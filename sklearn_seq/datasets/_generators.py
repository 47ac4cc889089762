"""Generated sequence-to-sequence data: reversal, human-written dates, numbers in words."""

from __future__ import annotations

import datetime
import importlib
import string
from numbers import Integral
from types import ModuleType

import numpy as np
from sklearn.utils import check_random_state

from .._compat import Interval, validate_params

_EXTRA = "translation"
# Custom patterns next to each locale's CLDR short/medium/long/full formats. Day before
# month in all of them, so that none reads as another date in any locale. 'yyyy' is the
# calendar year: 'YYYY' would be the ISO week-based year, wrong for some days around new year.
_CUSTOM_PATTERNS = ("d MMM yyyy", "d MMMM yyyy", "EEE d MMM yyyy", "dd.MM.yyyy")
_STYLES = ("short", "medium", "long", "full")
_CASES = ("as is", "lower", "upper")


def _require(module: str, function: str) -> ModuleType:
    """Import an optional dependency, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"{function} needs the optional package {module.split('.')[0]!r}: "
            f"pip install 'sklearn-seq[{_EXTRA}]'"
        ) from error


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "min_length": [Interval(Integral, 1, None, closed="left")],
        "max_length": [Interval(Integral, 1, None, closed="left")],
        "n_symbols": [Interval(Integral, 2, 26, closed="both"), None],
        "alphabet": [str, None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_reversal(
    n_samples: int, *, min_length: int = 3, max_length: int = 10, n_symbols: int | None = None,
    alphabet: str | None = None, random_state=None,
) -> tuple[list[str], list[str]]:
    """Random strings and their reversal: the classic sanity task of sequence-to-sequence models.

    Parameters
    ----------
    n_samples : int
        Number of pairs.
    min_length : int, default=3
        Shortest string; lengths are drawn uniformly from ``[min_length, max_length]``.
    max_length : int, default=10
        Longest string.
    n_symbols : int, default=None
        The strings use the first ``n_symbols`` lowercase letters (10 when neither
        this nor ``alphabet`` is given).
    alphabet : str or None, default=None
        The characters to draw from (each equally likely), instead of ``n_symbols``.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw.

    Returns
    -------
    sources : list of str
        The random strings.
    targets : list of str
        Each string reversed.

    Examples
    --------
    >>> from sklearn_seq.datasets import make_reversal
    >>> sources, targets = make_reversal(2, min_length=4, max_length=6, random_state=0)
    >>> sources, targets
    (['addh', 'jdfce'], ['hdda', 'ecfdj'])
    """
    if min_length > max_length:
        raise ValueError(f"min_length={min_length} is larger than max_length={max_length}")
    if n_symbols is not None and alphabet is not None:
        raise ValueError("pass n_symbols or alphabet, not both: the alphabet sets the symbols")
    symbols = np.array(list(string.ascii_lowercase[: n_symbols or 10] if alphabet is None else alphabet))
    if len(symbols) == 0:
        raise ValueError("alphabet must not be empty")
    rng = check_random_state(random_state)
    lengths = rng.randint(min_length, max_length + 1, size=n_samples)
    sources = ["".join(rng.choice(symbols, size=length)) for length in lengths]
    return sources, [source[::-1] for source in sources]


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "locales": [tuple, list],
        "start": [datetime.date, str],
        "end": [datetime.date, str],
        "return_formats": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_dates(
    n_samples: int, *, locales=("en_US", "de_DE", "fr_FR"), start="1950-01-01", end="2049-12-31",
    return_formats: bool = False, random_state=None,
):
    """Human-written dates in several languages and styles, paired with their ISO form.

    Each date is drawn uniformly from ``[start, end]`` and written with babel
    (CLDR data) in a random locale, in one of the locale's ``short``, ``medium``,
    ``long`` or ``full`` formats or one of the patterns ``d MMM yyyy``,
    ``d MMMM yyyy``, ``EEE d MMM yyyy``, ``dd.MM.yyyy``, as is, in lower case or in
    upper case. The target is ``YYYY-MM-DD``. Short formats write two-digit years
    in some locales (``12/30/24``), which is why the range may span at most 100 years.
    Locales whose numeric formats clash (``en_US`` writes ``M/d/yy``, ``es_ES``
    ``d/M/yy``) make some sources ambiguous.

    Needs the optional package babel (``pip install 'sklearn-seq[translation]'``).

    Parameters
    ----------
    n_samples : int
        Number of pairs.
    locales : tuple or list of str, default=('en_US', 'de_DE', 'fr_FR')
        Locales (babel identifiers) drawn with equal probability.
    start : datetime.date or str, default='1950-01-01'
        First possible date (an ISO string or a date).
    end : datetime.date or str, default='2049-12-31'
        Last possible date.
    return_formats : bool, default=False
        Also return, for each source, ``(locale, pattern, case)``: the babel pattern and
        the case it was written in.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw.

    Returns
    -------
    sources : list of str
        The written dates.
    targets : list of str
        The same dates as ``YYYY-MM-DD``.
    formats : list of tuple of str
        Only with ``return_formats=True``.

    Examples
    --------
    >>> from sklearn_seq.datasets import make_dates
    >>> sources, targets = make_dates(3, random_state=0)
    >>> list(zip(sources, targets))
    [('dienstag, 25. juni 1957', '1957-06-25'), ('29 FÉVR. 2008', '2008-02-29'), ('3/29/33', '2033-03-29')]
    """
    babel, dates = _require("babel", "make_dates"), _require("babel.dates", "make_dates")
    start, end = (day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day) for day in (start, end))
    if not start <= end:
        raise ValueError(f"start={start} is after end={end}")
    if (end.year, end.month, end.day) >= (start.year + 100, start.month, start.day):
        raise ValueError("start and end may be at most 100 years apart: two-digit years would be ambiguous")
    if len(locales) == 0:
        raise ValueError("locales must not be empty")
    patterns = {}
    for locale in locales:
        try:
            standard = [dates.get_date_format(style, locale=locale).pattern for style in _STYLES]
        except (ValueError, babel.UnknownLocaleError) as error:  # ValueError: not a locale identifier at all
            raise ValueError(f"unknown locale {locale!r}") from error
        patterns[locale] = [*standard, *_CUSTOM_PATTERNS]
    rng = check_random_state(random_state)
    offsets = rng.randint(0, (end - start).days + 1, size=n_samples)
    sources, targets, formats = [], [], []
    for offset in offsets:
        day = start + datetime.timedelta(days=int(offset))
        locale = locales[rng.randint(len(locales))]
        pattern = patterns[locale][rng.randint(len(patterns[locale]))]
        case = _CASES[rng.randint(len(_CASES))]
        written = dates.format_date(day, format=pattern, locale=locale)
        sources.append({"as is": written, "lower": written.lower(), "upper": written.upper()}[case])
        targets.append(day.isoformat())
        formats.append((locale, pattern, case))
    return (sources, targets, formats) if return_formats else (sources, targets)


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "source_lang": [str],
        "target_lang": [str],
        "max_value": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_number_words(
    n_samples: int, *, source_lang: str = "en", target_lang: str = "de", max_value: int = 999_999, random_state=None,
) -> tuple[list[str], list[str]]:
    """The same whole numbers spelled out in two languages, e.g. "twenty-one" and "einundzwanzig".

    Translating them needs reordering ("twenty-one" -> "ein-und-zwanzig") and
    compounding (German writes a number below a million as one word). Numbers are
    drawn from ``[0, max_value]`` with a uniformly drawn number of digits, so short
    and long numbers are equally common. Spelled by num2words (an optional package:
    ``pip install 'sklearn-seq[translation]'``).

    Parameters
    ----------
    n_samples : int
        Number of pairs.
    source_lang : str, default='en'
        num2words language code of the sources (``'en'``, ``'de'``, ``'fr'``, ``'es'``, ``'it'``, ...).
    target_lang : str, default='de'
        num2words language code of the targets.
    max_value : int, default=999_999
        Largest number.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw.

    Returns
    -------
    sources : list of str
        The numbers in ``source_lang``.
    targets : list of str
        The same numbers in ``target_lang``.

    Examples
    --------
    >>> from sklearn_seq.datasets import make_number_words
    >>> make_number_words(2, max_value=99, random_state=1)
    (['twenty-two', 'eighty-two'], ['zweiundzwanzig', 'zweiundachtzig'])
    """
    num2words = _require("num2words", "make_number_words").num2words
    for lang in (source_lang, target_lang):
        try:
            num2words(1, lang=lang)
        except NotImplementedError as error:
            raise ValueError(f"num2words does not know the language {lang!r}") from error
    rng = check_random_state(random_state)
    digits = _digit_counts(n_samples, max_value, rng)
    low = np.where(digits == 1, 0, 10 ** (digits - 1))
    high = np.minimum(10**digits - 1, max_value)
    numbers = rng.randint(low, high + 1).tolist()
    return ([num2words(n, lang=source_lang) for n in numbers], [num2words(n, lang=target_lang) for n in numbers])


def _digit_counts(n_samples, max_value, rng):
    """Digit counts drawn uniformly, the largest one in proportion to how much of it lies below ``max_value``.

    Without that, ``max_value=1000`` would draw "one thousand" a quarter of the time. The
    partial count is thinned by rejection, so a ``max_value`` of nines draws as a plain
    uniform count.
    """
    top = len(str(max_value))
    low = 0 if top == 1 else 10 ** (top - 1)
    coverage = (max_value - low + 1) / (10**top - low)
    digits = rng.randint(1, top + 1, size=n_samples)
    while coverage < 1 and (rejected := (digits == top) & (rng.uniform(size=n_samples) >= coverage)).any():
        digits[rejected] = rng.randint(1, top + 1, size=rejected.sum())
    return digits
