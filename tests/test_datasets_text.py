"""The shipped text corpora: sizes, labels and known records."""

import re
from collections import Counter

import numpy as np
import pytest

from sklearn_seq._compat import InvalidParameterError
from sklearn_seq.datasets import load_bible_verses, load_movie_reviews, load_turkish_pos


def test_movie_reviews():
    reviews = load_movie_reviews()
    assert len(reviews.data) == len(reviews.movie) == 12752
    assert reviews.target.shape == (12752,)
    assert reviews.target_names == ["rotten", "fresh"]
    assert np.bincount(reviews.target).tolist() == [5384, 7368]
    assert len(set(reviews.movie)) == 507
    assert len(set(reviews.data)) == 12752  # exact duplicates were removed
    assert all(text == " ".join(text.split()) and text for text in reviews.data)
    assert (reviews.data[0], reviews.target[0], reviews.movie[0]) == (
        "A three-hour cinema master class.", 1, "a_grin_without_a_cat"
    )
    assert "Pang" in reviews.DESCR and "Apache License 2.0" in reviews.DESCR
    data, target = load_movie_reviews(return_X_y=True)
    assert data == reviews.data and np.array_equal(target, reviews.target)


def test_bible_verses_by_section_and_book():
    verses = load_bible_verses()
    assert len(verses.data) == len(verses.reference) == 31102
    assert verses.target_names == ["Law", "History", "Wisdom", "Prophets", "Gospels and Acts", "Epistles",
                                   "Revelation"]
    assert np.bincount(verses.target).tolist() == [5852, 7018, 4785, 5490, 4786, 2767, 404]
    assert verses.reference[0] == "Genesis 1:1"
    assert verses.data[0] == "In the beginning God created the heaven and the earth."
    i = verses.reference.index("John 3:16")
    assert verses.data[i].startswith("For God so loved the world, that he gave his only begotten Son")
    assert verses.target_names[verses.target[i]] == "Gospels and Acts"
    assert verses.target_names[verses.target[verses.reference.index("Psalms 23:1")]] == "Wisdom"
    assert "public domain" in verses.DESCR

    books = load_bible_verses(target="book")
    assert len(books.target_names) == 66
    assert (books.target_names[0], books.target_names[21], books.target_names[65]) == (
        "Genesis", "Song of Solomon", "Revelation"
    )
    counts = np.bincount(books.target)
    assert (counts.min(), counts.max()) == (13, 2461)  # 2 John, Psalms
    assert books.target_names[counts.argmax()] == "Psalms"
    data, target = load_bible_verses(target="book", return_X_y=True)
    assert data == verses.data and np.array_equal(target, books.target)


def test_bible_verses_bad_target():
    with pytest.raises(InvalidParameterError, match=re.escape("The 'target' parameter of load_bible_verses must be")):
        load_bible_verses(target="chapter")


@pytest.mark.parametrize(
    ("subset", "n_sentences", "n_words"),
    [("train", 3881, 52914), ("dev", 485, 7034), ("test", 485, 6518), ("all", 4851, 66466)],
)
def test_turkish_pos_subsets(subset, n_sentences, n_words):
    corpus = load_turkish_pos(subset=subset)
    assert len(corpus.data) == len(corpus.target) == n_sentences
    assert [len(words) for words in corpus.data] == [len(tags) for tags in corpus.target]
    assert sum(len(words) for words in corpus.data) == n_words
    assert corpus.target_names == ["ADJ", "ADP", "ADV", "AFFIX", "CONJ", "DET", "NOUN", "NUM", "ONOM", "PRON",
                                   "PRT", "PUNCT", "VERB", "X"]


def test_turkish_pos_records():
    corpus = load_turkish_pos(subset="all")
    tags = Counter(tag for sentence in corpus.target for tag in sentence)
    assert tags.most_common(3) == [("NOUN", 29360), ("PUNCT", 9051), ("VERB", 6749)]
    # The first sentence of the web section; its 8 inflectional groups are joined back into 7 words.
    assert corpus.data[0] == ["Burda", "da", "öylemi", "yoksa", "kiloyla", "mı", "?"]
    assert corpus.target[0] == ["PRON", "PRT", "VERB", "CONJ", "VERB", "PRT", "PUNCT"]
    # "Açıklanmayan" is Açık + la + nma + yan in the treebank, tagged by its last group.
    assert (corpus.data[1][0], corpus.target[1][0]) == ("Açıklanmayan", "ADJ")
    # Every 10th sentence of each file is in the test subset: the 10th of the web file is the first test one.
    assert load_turkish_pos(subset="test").data[0] == corpus.data[9]
    data, target = load_turkish_pos(subset="dev", return_X_y=True)
    assert data[0] == corpus.data[8] and target[0] == corpus.target[8]
    assert "Apache License 2.0" in load_turkish_pos().DESCR
