"""The code in the documentation's pages runs and prints what the pages say."""

import doctest
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import torch

DOCS = Path(__file__).resolve().parents[1] / "docs"
# The hand-written pages: the user guide and the top-level pages (install, comparison, ...),
# not the execution times that sphinx-gallery writes next to them.
PAGES = sorted(DOCS.glob("user_guide/*.rst")) + sorted(
    page for page in DOCS.glob("*.rst") if page.name != "sg_execution_times.rst"
)


# Pages whose code needs an optional extra (the minimum-versions environment installs none of these).
NEEDS = {"deployment": ("onnx", "onnxruntime"), "translation": ("babel", "num2words", "sacrebleu"),
         "persistence": ("safetensors",)}


@pytest.mark.parametrize("page", PAGES, ids=[page.stem for page in PAGES])
def test_user_guide_examples(page):
    for module in NEEDS.get(page.stem, ()):
        pytest.importorskip(module)
    threads = torch.get_num_threads()
    try:
        result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.ELLIPSIS
                                  | doctest.NORMALIZE_WHITESPACE, verbose=False, report=True)
    finally:
        torch.set_num_threads(threads)  # a page may set it
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {page.name}"


# The built site (`make docs`, `make docs-noplot`; CI builds it with `make docs-ci` before the tests).
HTML = DOCS / "_build" / "html"
needs_built_docs = pytest.mark.skipif(not (HTML / "index.html").exists(),
                                      reason=f"no built documentation in {HTML}: run `make docs-noplot` first")


class _LoadedResources(HTMLParser):
    """The addresses a browser fetches to display a page: scripts, styles, images, frames, media."""

    FETCHED = {"script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "source": ("src", "srcset"),
               "video": ("src", "poster"), "audio": ("src",), "embed": ("src",), "object": ("data",),
               "input": ("src",), "track": ("src",)}
    NOT_FETCHED_LINKS = {"canonical", "alternate", "next", "prev", "index", "search", "author", "license", "help"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        names = self.FETCHED.get(tag, ())
        if tag == "link" and not set((attrs.get("rel") or "").lower().split()) <= self.NOT_FETCHED_LINKS:
            names = ("href",)
        for name in names:
            for candidate in (attrs.get(name) or "").split(","):  # a srcset lists "url 2x, url 1x"
                if candidate.strip():
                    self.urls.append(candidate.split()[0])
        self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", attrs.get("style") or "")


def _is_remote(url):
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, flags=re.IGNORECASE))


@needs_built_docs
def test_built_html_loads_nothing_from_the_network():
    pages = sorted(HTML.rglob("*.html"))
    assert len(pages) > 50, f"only {len(pages)} pages in {HTML}"
    remote = []
    for page in pages:
        parser = _LoadedResources()
        parser.feed(page.read_text(encoding="utf-8"))
        remote += [f"{page.relative_to(HTML)}: {url}" for url in parser.urls if _is_remote(url)]
    for sheet in sorted(HTML.rglob("*.css")):  # fonts and images that style sheets pull in
        text = sheet.read_text(encoding="utf-8", errors="replace")
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text)
        remote += [f"{sheet.relative_to(HTML)}: {url}" for url in urls if _is_remote(url)]
    assert not remote, "the documentation loads from other hosts:\n" + "\n".join(remote[:20])


def test_remote_address_detection():
    assert _is_remote("https://cdn.example.org/x.js") and _is_remote("//cdn.example.org/x.js")
    assert not _is_remote("_static/x.js") and not _is_remote("../_static/x.js") and not _is_remote("#top")
    parser = _LoadedResources()
    parser.feed('<link rel="stylesheet" href="https://a/s.css"><link rel="canonical" href="https://a/">'
                '<img src="i.png" srcset="i.png 1x, https://b/i.png 2x"><a href="https://c/">c</a>')
    assert parser.urls == ["https://a/s.css", "i.png", "i.png", "https://b/i.png"]


def _estimators():
    from sklearn.base import BaseEstimator

    import sklearn_seq

    return [name for name in sklearn_seq.__all__
            if isinstance(getattr(sklearn_seq, name), type) and issubclass(getattr(sklearn_seq, name), BaseEstimator)]


@needs_built_docs
@pytest.mark.parametrize("name", _estimators())
def test_estimator_page_links_to_the_user_guide(name):
    page = (HTML / "generated" / f"sklearn_seq.{name}.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="reference internal" href="\.\./user_guide/\w+\.html#[\w-]+"><span[^>]*>User Guide',
                     page), f"{name}'s page has no 'Read more in the User Guide' link"
