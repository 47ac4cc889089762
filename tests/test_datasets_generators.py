"""Generators of sequence-to-sequence pairs: reversal, written dates, numbers in words."""

import datetime
import re
import sys
from collections import Counter

import pytest

from sklearn_seq.datasets import make_dates, make_number_words, make_reversal

babel_dates = pytest.importorskip("babel.dates")
num2words = pytest.importorskip("num2words").num2words

# ------------------------------------------------------------------------------------------ reversal


def test_make_reversal():
    sources, targets = make_reversal(500, min_length=2, max_length=6, n_symbols=4, random_state=0)
    assert len(sources) == len(targets) == 500
    assert all(target == source[::-1] for source, target in zip(sources, targets, strict=True))
    assert Counter(map(len, sources)).keys() == {2, 3, 4, 5, 6}
    assert set("".join(sources)) == set("abcd")
    assert make_reversal(500, min_length=2, max_length=6, n_symbols=4, random_state=0) == (sources, targets)
    assert make_reversal(500, min_length=2, max_length=6, n_symbols=4, random_state=1) != (sources, targets)
    sources, _ = make_reversal(50, min_length=3, max_length=3, alphabet="xyz", random_state=0)
    assert set("".join(sources)) == set("xyz") and set(map(len, sources)) == {3}


def test_make_reversal_rejects_bad_lengths():
    with pytest.raises(ValueError, match="min_length=5 is larger than max_length=4"):
        make_reversal(3, min_length=5, max_length=4)
    with pytest.raises(ValueError, match="alphabet must not be empty"):
        make_reversal(3, alphabet="")
    with pytest.raises(ValueError, match="n_symbols"):
        make_reversal(3, n_symbols=1)


# ------------------------------------------------------------------------------------------- dates


def _names(kind, locale):
    """``{lower-case name: number}`` of the months (1-12) and of the weekdays (Monday = 0)."""
    months = {name.lower(): number for number, name in babel_dates.get_month_names(kind, locale=locale).items()}
    days = {name.lower(): number for number, name in babel_dates.get_day_names(kind, locale=locale).items()}
    return months, days


def _parse(text, locale, pattern, start, end):
    """Read a date written with a CLDR pattern back, independently of babel's formatter.

    Field letters: y (year; 'yy' two digits), M (month: number, 'MMM' abbreviated, 'MMMM'
    wide name), d (day), E (weekday name, checked against the date). 'Y' is read as a year
    too, as a human reader would: a week-based year then shows up as a wrong year.
    """
    fields, regex = [], ""
    for match in re.finditer(r"'([^']*)'|(([A-Za-z])\3*)|(.)", pattern):
        quoted, run, _, other = match.groups()
        if run is None:
            regex += re.escape(quoted if quoted is not None else other)
            continue
        letter, width = run[0], len(run)
        if letter in "yY":
            regex += r"(\d{2})" if width == 2 else r"(\d{4})"
            fields.append("yy" if width == 2 else "year")
        elif letter == "M" and width >= 3:
            names = _names("wide" if width == 4 else "abbreviated", locale)[0]
            regex += "(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
            fields.append(("month name", names))
        elif letter in "Md":
            regex += r"(\d{1,2})"
            fields.append("month" if letter == "M" else "day")
        elif letter == "E":
            names = _names("wide" if width == 4 else "abbreviated", locale)[1]
            regex += "(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
            fields.append(("weekday", names))
        else:
            raise AssertionError(f"pattern letter {letter!r} of {pattern!r} not understood by the test")
    match = re.fullmatch(regex, text, flags=re.IGNORECASE)
    assert match, (text, pattern)
    values, weekday = {}, None
    for field, value in zip(fields, match.groups(), strict=True):
        if isinstance(field, tuple) and field[0] == "month name":
            values["month"] = field[1][value.lower()]
        elif isinstance(field, tuple):
            weekday = field[1][value.lower()]
        elif field == "yy":
            century = [c for c in (start.year // 100 * 100, end.year // 100 * 100) if start.year <= c + int(value)
                       <= end.year]
            values["year"] = century[0] + int(value)
        else:
            values[field] = int(value)
    day = datetime.date(values["year"], values["month"], values["day"])
    assert weekday is None or weekday == day.weekday(), (text, pattern)
    return day


LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "it_IT")


@pytest.mark.parametrize("new_year", [2000, 2016, 2021, 2025, 2027])
def test_make_dates_around_new_year_parse_back_to_their_targets(new_year):
    start, end = datetime.date(new_year - 1, 12, 24), datetime.date(new_year, 1, 8)
    sources, targets, formats = make_dates(400, locales=LOCALES, start=start, end=end, return_formats=True,
                                           random_state=new_year)
    for source, target, (locale, pattern, case) in zip(sources, targets, formats, strict=True):
        assert _parse(source, locale, pattern, start, end).isoformat() == target
        assert case == "as is" or source == getattr(source, case)()
    # The range does hold days whose week-based year ('YYYY') is not their calendar year.
    days = {datetime.date.fromisoformat(t) for t in targets}
    assert any(day.isocalendar()[0] != day.year for day in days)


def test_make_dates_draws_every_locale_style_and_case():
    sources, targets, formats = make_dates(3000, return_formats=True, random_state=0)
    assert Counter(locale for locale, _, _ in formats).keys() == {"en_US", "de_DE", "fr_FR"}
    assert len({pattern for _, pattern, _ in formats}) == 3 * 4 + 4  # CLDR styles + the custom patterns
    assert Counter(case for _, _, case in formats).keys() == {"as is", "lower", "upper"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", t) for t in targets)
    assert "1950-01-01" <= min(targets) and max(targets) <= "2049-12-31"
    assert len(set(targets)) > 2500  # spread over the whole century
    assert any("Dezember" in s for s in sources) and any("DÉCEMBRE" in s for s in sources)
    assert make_dates(50, random_state=0) == make_dates(50, random_state=0)
    assert make_dates(50, random_state=0) != make_dates(50, random_state=1)


def test_make_dates_rejects_bad_ranges_and_locales():
    with pytest.raises(ValueError, match="at most 100 years apart"):
        make_dates(5, start="1950-01-01", end="2050-01-01")
    with pytest.raises(ValueError, match="after end"):
        make_dates(5, start="2001-01-01", end="2000-01-01")
    with pytest.raises(ValueError, match="unknown locale 'xx_YY'"):
        make_dates(5, locales=("en_US", "xx_YY"))
    with pytest.raises(ValueError, match="locales must not be empty"):
        make_dates(5, locales=())


# ------------------------------------------------------------------------------------ number words


def test_make_number_words_pairs_the_same_number():
    spelled = {(num2words(n, lang="en"), num2words(n, lang="de")): n for n in range(1000)}
    sources, targets = make_number_words(600, max_value=999, random_state=0)
    numbers = [spelled[pair] for pair in zip(sources, targets, strict=True)]  # KeyError if any pair is wrong
    # The number of digits is uniform: short and long numbers are equally common.
    by_digits = Counter(len(str(n)) for n in numbers)
    assert by_digits.keys() == {1, 2, 3} and min(by_digits.values()) > 150
    assert ("twenty-one", "einundzwanzig") in spelled
    assert make_number_words(600, max_value=999, random_state=0) == (sources, targets)


def test_make_number_words_languages_and_range():
    spelled = {(num2words(n, lang="fr"), num2words(n, lang="en")) for n in range(1000)}
    pairs = zip(*make_number_words(200, source_lang="fr", target_lang="en", max_value=999, random_state=1), strict=True)
    assert set(pairs) <= spelled
    sources, _ = make_number_words(200, max_value=999_999, random_state=1)
    assert sum(" thousand" in s for s in sources) > 50  # four- to six-digit numbers: half of them
    sources, _ = make_number_words(300, max_value=15, random_state=2)
    assert set(sources) <= {num2words(n, lang="en") for n in range(16)}
    with pytest.raises(ValueError, match="does not know the language 'xx'"):
        make_number_words(3, target_lang="xx")


# ------------------------------------------------------------------------------- optional packages


@pytest.mark.parametrize(("function", "module"), [(make_dates, "babel.dates"), (make_number_words, "num2words")])
def test_missing_optional_package_names_the_extra(monkeypatch, function, module):
    monkeypatch.setitem(sys.modules, module, None)  # makes the import fail
    package = module.split(".")[0]
    message = rf"{function.__name__} needs the optional package '{package}': pip install 'sklearn-seq\[translation\]'"
    with pytest.raises(ImportError, match=message):
        function(3)
