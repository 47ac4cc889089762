import os
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, settings

# check_array_api_input needs it before scipy is first imported; `make test` sets it too.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# Property tests (tests/test_properties.py): "ci", the default, tries the same examples every run
# (derandomize) in about a minute per CI worker; HYPOTHESIS_PROFILE=explore searches ten times as long with
# fresh random examples, to look for new faults. Estimator properties run a tenth of max_examples each.
settings.register_profile("ci", max_examples=2000, derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("explore", parent=settings.get_profile("ci"), max_examples=20000, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The benchmarks, which tests/test_bench*.py run, import their shared timing helpers from beside them.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

if os.environ.get("PYTEST_XDIST_WORKER"):
    torch.set_num_threads(1)  # one thread per worker: workers already fill the cores


@pytest.fixture
def ragged_data():
    """120 univariate sequences of lengths 3-20 whose label is the sign of their mean."""
    rng = np.random.RandomState(0)
    X = [rng.normal(loc=rng.choice([-1.0, 1.0]), size=rng.randint(3, 21)) for _ in range(120)]
    y = np.array([int(x.mean() > 0) for x in X])
    return X, y

