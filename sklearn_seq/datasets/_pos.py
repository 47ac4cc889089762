"""Part-of-speech tagging corpus: the Turkish Web Treebank at the word level."""

from __future__ import annotations

from sklearn.utils import Bunch

from .._compat import StrOptions, validate_params
from ._base import read_rows

_FILE = "turkish_web_treebank.tsv.xz"

_DESCR = """\
Turkish Web Treebank: part-of-speech tags
=========================================

4,851 Turkish sentences (66,466 words) from web pages (forums, blogs, how-to
guides, reviews: 2,541 sentences) and Wikipedia (2,310), with a coarse
part-of-speech tag for every word, manually annotated (Kayadelen, Öztürel &
Bohnet, "A Gold Standard Dependency Treebank for Turkish", LREC 2020).

=========  =========  ======
subset     sentences  words
=========  =========  ======
train          3,881  52,914
dev              485   7,034
test             485   6,518
=========  =========  ======

The split is the treebank's own: in each of its two files, every 9th sentence is
in ``dev``, every 10th in ``test``, the others in ``train``. Sentences have 1 to
81 words (13.7 on average). A third of the test words (33 %) never occur in the
training sentences: Turkish is agglutinative, so most word forms are rare.

**Tags.** The 14 coarse tags of the treebank, Google's universal tag set (Petrov,
Das & McDonald, 2012) with ``PUNCT`` for punctuation and two rare extra tags:
NOUN (29,360 words), PUNCT (9,051), VERB (6,749), ADJ (6,570), ADV (2,709), ADP
(2,683), CONJ (2,674), DET (2,421), NUM (1,528), PRON (1,274), PRT (1,005), X
(430), ONOM (onomatopoeia, 9) and AFFIX (3). They are close to, but not the same
as, the UPOS tags of Universal Dependencies (e.g. ``CONJ`` and ``PRT`` where UD
has ``CCONJ`` and ``PART``).

**Words.** The treebank splits words into inflectional groups (e.g. ``Açık`` +
``la`` + ``nma`` + ``yan`` for *Açıklanmayan*, "unexplained"), each with its own
tag; the groups of a word are linked by the ``ig`` relation. Here they are joined
back into the written word, tagged with the tag of its last group (the one that
decides the word's role in the sentence: *Açıklanmayan* is an ADJ). The word
counts match the treebank's documentation.

**Source.** The CoNLL-U files ``data/web.conllu`` and ``data/wiki.conllu`` of the
``turkish-treebanks`` 1.0.0 wheel on PyPI (Google Research). Reduced to the
subset, the words and the coarse tags of each sentence: one compressed TSV (215 kB).

**Licence.** Apache License 2.0 (code and data, as stated by the treebank's
repository, github.com/google-research-datasets/turkish-treebanks). This is not
one of the Universal Dependencies Turkish treebanks, which carry Creative Commons
licences (e.g. UD_Turkish-Penn: CC BY-SA 4.0).
"""


@validate_params(
    {"subset": [StrOptions({"train", "dev", "test", "all"})], "return_X_y": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_turkish_pos(
    *, subset: str = "train", return_X_y: bool = False
) -> Bunch | tuple[list[list[str]], list[list[str]]]:
    """Load Turkish sentences with a part-of-speech tag for every word.

    The Turkish Web Treebank (web and Wikipedia sections) at the word level, with
    the treebank's train/dev/test split. A corpus for sequence tagging: ``data``
    and ``target`` are lists of sentences, each a list of words and of their tags.
    Read more in the :ref:`User Guide <text>`.

    =========  =====================================
    sentences  3,881 train, 485 dev, 485 test
    words      52,914 train, 7,034 dev, 6,518 test
    tags       14 (NOUN, VERB, ADJ, PUNCT, ...)
    =========  =====================================

    Parameters
    ----------
    subset : {'train', 'dev', 'test', 'all'}, default='train'
        Which part of the treebank's split to load; ``'all'`` gives the 4,851
        sentences in the order of the source files.

    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of list of str
            The sentences, each a list of words as written (case kept,
            punctuation as separate words).
        target : list of list of str
            The tag of every word, a list of the same length for each sentence.
        target_names : list of str
            The 14 tags of the whole treebank, sorted (whatever the subset).
        DESCR : str
            Description of the data set: source, size, tags and licence.

    (data, target) : tuple
        With ``return_X_y=True``.

    Examples
    --------
    >>> from sklearn_seq.datasets import load_turkish_pos
    >>> train = load_turkish_pos()
    >>> len(train.data), len(train.target_names)
    (3881, 14)
    >>> list(zip(train.data[1][:3], train.target[1][:3]))
    [('Açıklanmayan', 'ADJ'), ('soruların', 'NOUN'), ('müfredata', 'NOUN')]
    """
    rows = read_rows(_FILE, delimiter="\t")
    target_names = sorted({tag for row in rows for tag in row["tags"].split()})
    rows = [row for row in rows if subset in ("all", row["split"])]
    data = [row["words"].split() for row in rows]
    target = [row["tags"].split() for row in rows]
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, target_names=target_names, DESCR=_DESCR)
