"""The code in the user guide runs and prints what the pages say."""

import doctest
from pathlib import Path

import pytest
import torch

GUIDE = sorted((Path(__file__).resolve().parents[1] / "docs" / "user_guide").glob("*.rst"))


@pytest.mark.parametrize("page", GUIDE, ids=[page.stem for page in GUIDE])
def test_user_guide_examples(page):
    threads = torch.get_num_threads()
    try:
        result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.ELLIPSIS
                                  | doctest.NORMALIZE_WHITESPACE, verbose=False, report=True)
    finally:
        torch.set_num_threads(threads)  # a page may set it
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {page.name}"
