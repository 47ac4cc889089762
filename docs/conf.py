"""Sphinx configuration of the sklearn-seq documentation.

Build with ``make docs`` (``sphinx-build -W --keep-going -b html docs docs/_build/html``).
Nothing is downloaded at build time: no intersphinx inventories, and the gallery
only links to this package's own API pages.
"""

import re
from pathlib import Path

import matplotlib
import torch
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

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

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

# -- Gallery ------------------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Run only plot_*.py; examples/demo.py is the `make demo` script, not a gallery page.
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py|demo\.py",
    "within_subsection_order": "FileNameSortKey",
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    # Link names in the examples to this package's API pages (local, no download) and
    # collect "Examples using X" mini-galleries for the API pages.
    "doc_module": ("sklearn_seq",),
    "reference_url": {"sklearn_seq": None},
    "backreferences_dir": "generated/backreferences",
    "remove_config_comments": True,
    "show_memory": False,
}

# -- HTML ---------------------------------------------------------------------------

html_theme = "alabaster"
html_title = f"sklearn-seq {release}"
html_theme_options = {
    "description": "Recurrent sequence models as scikit-learn estimators",
    "fixed_sidebar": True,
    "page_width": "1100px",
    "sidebar_width": "230px",
}
html_static_path = []

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


def setup(app):
    app.connect("builder-inited", _check_api_reference)
