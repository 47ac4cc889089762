"""The code in the documentation's pages runs and prints what the pages say."""

import doctest
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
