"""Run a gallery example as the documentation build does, for the tests that check its numbers."""

import runpy
from pathlib import Path

import matplotlib
import torch

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_example(path):
    """Run ``examples/<path>`` with off-screen figures and return its global variables."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    threads = torch.get_num_threads()
    try:
        return runpy.run_path(str(EXAMPLES / path))
    finally:
        torch.set_num_threads(threads)  # the example sets one thread
        plt.close("all")
