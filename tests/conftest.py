import os

import numpy as np
import pytest
import torch

# check_array_api_input needs it before scipy is first imported; `make test` sets it too.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

if os.environ.get("PYTEST_XDIST_WORKER"):
    torch.set_num_threads(1)  # one thread per worker: workers already fill the cores


@pytest.fixture
def ragged_data():
    """120 univariate sequences of lengths 3-20 whose label is the sign of their mean."""
    rng = np.random.RandomState(0)
    X = [rng.normal(loc=rng.choice([-1.0, 1.0]), size=rng.randint(3, 21)) for _ in range(120)]
    y = np.array([int(x.mean() > 0) for x in X])
    return X, y

