"""Sphinx configuration of the sklearn-seq documentation.

Build with ``make docs`` (``sphinx-build -W --keep-going -b html docs docs/_build/html``).
Nothing is downloaded at build time: the intersphinx inventories of scikit-learn,
NumPy, SciPy, pandas, PyTorch and skorch ship in ``_inventories/`` (written from the
installed packages by ``_inventories/make_inventories.py``), and the diagrams of the
user guide are drawn by ``_ext/diagrams.py``. Nothing is downloaded at reading time
either: the theme's fonts and scripts are bundled, equations are written into the
pages as MathML (``_ext/mathml.py``), which browsers display without JavaScript, and
the scripts sphinx-gallery's execution-time pages would load from CDNs are removed
(``_drop_cdn_scripts``). Links *to* those projects' sites are ordinary hyperlinks.

``make docs-noplot`` builds the same pages without running the examples (the
gallery then shows their code and text, no output or figures), for quick checks
of the text.
"""

import re
import sys
from pathlib import Path

import matplotlib
import torch
from docutils import nodes
from sphinx.util import logging

import sklearn_seq
import sklearn_seq.datasets
import sklearn_seq.nn
import sklearn_seq.plotting
import sklearn_seq.preprocessing
import sklearn_seq.text

matplotlib.use("Agg")  # the gallery renders figures off-screen
# The gallery's networks are tiny: one torch thread is as fast as two on an idle CPU, and
# far faster when other jobs share the cores (2 threads made the Iris example take 230 s
# instead of 9 s while a test run was going on).
torch.set_num_threads(1)

# -- Project ------------------------------------------------------------------------

project = "sklearn-seq"
author = "sklearn-seq developers"
copyright = "sklearn-seq developers, BSD-3-Clause"
version = sklearn_seq.__version__
release = version

# -- General ------------------------------------------------------------------------

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "diagrams",  # docs/_ext/diagrams.py: the user guide's figures, drawn with matplotlib
    "mathml",  # docs/_ext/mathml.py: equations as MathML, no MathJax
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
html_math_renderer = "mathml"

templates_path = ["_templates"]
exclude_patterns = ["_build", "_templates", "Thumbs.db", ".DS_Store"]
root_doc = "index"
default_role = "literal"  # `x` renders as code instead of guessing a cross-reference

# autodoc / autosummary: one generated page per public object, under docs/generated/.
autosummary_generate = True
autodoc_typehints = "none"  # types live in the numpydoc sections
autodoc_member_order = "groupwise"

# numpydoc: the autosummary templates list members; numpydoc must not list them again.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# intersphinx: local inventories only (see the module docstring), never a download.
_INVENTORIES = Path(__file__).parent / "_inventories"
intersphinx_mapping = {
    "sklearn": ("https://scikit-learn.org/stable/", str(_INVENTORIES / "sklearn.inv")),
    "numpy": ("https://numpy.org/doc/stable/", str(_INVENTORIES / "numpy.inv")),
    "scipy": ("https://docs.scipy.org/doc/scipy/", str(_INVENTORIES / "scipy.inv")),
    "pandas": ("https://pandas.pydata.org/docs/", str(_INVENTORIES / "pandas.inv")),
    "torch": ("https://docs.pytorch.org/docs/stable/", str(_INVENTORIES / "torch.inv")),
    "skorch": ("https://skorch.readthedocs.io/en/stable/", str(_INVENTORIES / "skorch.inv")),
}

# -- Gallery ------------------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Run only plot_*.py; examples/demo.py is the `make demo` script, not a gallery page.
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py|demo\.py",
    # docs/_ext/gallery_order.py: a learning order within each section and in mini-galleries
    "within_subsection_order": "gallery_order.LearningOrder",
    "minigallery_sort_order": "gallery_order.minigallery_key",
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    # Link names in the examples to this package's API pages (local, no download) and
    # collect "Examples using X" mini-galleries for the API pages.
    "doc_module": ("sklearn_seq",),
    "reference_url": {"sklearn_seq": None},
    "backreferences_dir": "generated/backreferences",
    "remove_config_comments": True,
    "show_memory": False,
    # Learning order: the first example (examples/*.py), then the recap of classical
    # machine learning, the recurrent networks' own parameters, text, semi-supervised
    # learning; sections added later come before generation and translation.
    "subsection_order": [
        "../examples/recap",
        "../examples/recurrent",
        "../examples/text",
        "../examples/semi_supervised",
        "*",
        "../examples/generation",
        "../examples/translation",
    ],
    "image_srcset": ["2x"],  # sharp figures on hi-dpi screens
    # A cell ending in `ax.set_title(...)` or `ax.legend()` would print the returned
    # matplotlib object (`Text(0.5, 1.0, ...)`, `<matplotlib.legend.Legend object at ...>`).
    "ignore_repr_types": r"matplotlib[\w.]*|mpl_toolkits[\w.]*",
}

# -- HTML ---------------------------------------------------------------------------

# pydata-sphinx-theme, as scikit-learn's: top navigation, the section's pages on the
# left, the page's own table of contents on the right. Its fonts, icons and scripts are
# bundled; the options below turn off everything that would fetch (version switcher,
# icon links, analytics).
html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-seq {release}"
html_theme_options = {
    "logo": {"text": "sklearn-seq"},
    "navbar_align": "left",
    "header_links_before_dropdown": 6,
    "navbar_end": ["theme-switcher"],
    "icon_links": [],
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "show_prev_next": True,
    "footer_start": ["copyright"],
    "footer_center": [],
    "footer_end": ["sphinx-version"],
    "pygments_light_style": "tango",
    "pygments_dark_style": "monokai",
}
# No left column where it would only repeat the top navigation, nor on the examples'
# pages, whose 120-character code lines then fit the text column at 1280 px.
html_sidebars = {"index": [], "install": [], "comparison": [], "api": [], "auto_examples/**": []}
html_css_files = ["custom.css"]
html_static_path = ["_static"]

# -- Consistency check --------------------------------------------------------------

_logger = logging.getLogger(__name__)


def _check_api_reference(app):
    """Warn (an error under -W) for any public name that api.rst does not document."""
    text = (Path(app.srcdir) / "api.rst").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\s*(?:\.\. py:data:: )?([A-Za-z_]\w*)\s*$", text, flags=re.MULTILINE))
    expected = {
        "sklearn_seq": sklearn_seq.__all__,
        "sklearn_seq.datasets": sklearn_seq.datasets.__all__,
        "sklearn_seq.nn": sklearn_seq.nn.__all__,
        "sklearn_seq.plotting": sklearn_seq.plotting.__all__,
        "sklearn_seq.preprocessing": sklearn_seq.preprocessing.__all__,
        "sklearn_seq.text": sklearn_seq.text.__all__,
    }
    for module, names in expected.items():
        for name in sorted(set(names) - documented):
            _logger.warning(f"api.rst does not document {module}.{name}, which is in {module}.__all__")


# scikit-learn's glossary, for the :term:`fit`-style references that scikit-learn's
# docstring conventions use (ours and those of the methods inherited from it).
SKLEARN_GLOSSARY = "https://scikit-learn.org/stable/glossary.html#term-{}"


def _resolve_sklearn_references(app, env, node, contnode):
    """Link :term: to scikit-learn's glossary; show scikit-learn's own :ref: labels as text.

    Docstrings inherited from scikit-learn (``set_output``, ...) refer to labels of
    scikit-learn's documentation, which this build does not have. Every other
    unresolved reference still warns, and fails the build under -W.
    """
    if node.get("refdomain") != "std":
        return None
    if node.get("reftype") == "term":
        target = node["reftarget"]
        anchor = re.sub(r"[^\w.]+", "-", target.strip().lower()).strip("-")  # as Sphinx names term anchors
        link = nodes.reference("", "", internal=False, refuri=SKLEARN_GLOSSARY.format(anchor),
                               reftitle=f"{target} in scikit-learn's glossary")
        link += contnode
        return link
    if node.get("reftype") == "ref" and "docstring of sklearn." in (node.source or ""):
        return contnode
    return None


def _skip_metadata_routing(app, what, name, obj, skip, options):
    """Leave out scikit-learn's metadata-routing methods (``set_*_request``) of every class page."""
    if name == "get_metadata_routing" or (name.startswith("set_") and name.endswith("_request")):
        return True
    return None


# The execution-time pages sphinx-gallery writes load jQuery, DataTables and Bootstrap
# from CDNs (a sortable table); offline documentation keeps the plain table.
_CDN_BLOCK = re.compile(r"\n  \.\. raw:: html\n\n(?:    .*\n|\n)*?(?=  \.\. list-table::)")


def _drop_cdn_scripts(app, docname, source):
    if docname.endswith("sg_execution_times"):
        source[0] = _CDN_BLOCK.sub("\n", source[0])


def setup(app):
    app.connect("source-read", _drop_cdn_scripts)
    app.connect("builder-inited", _check_api_reference)
    app.connect("missing-reference", _resolve_sklearn_references)
    app.connect("autodoc-skip-member", _skip_metadata_routing)
