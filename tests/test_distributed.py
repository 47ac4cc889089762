"""Grid searches on a dask.distributed cluster through joblib's dask backend."""

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_seq import GRUClassifier

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
def test_a_search_on_a_local_dask_cluster_reproduces_the_sequential_scores(ragged_data):
    X, y = ragged_data
    # A pipeline, so that what travels to the workers is more than one estimator.
    pipeline = make_pipeline(FunctionTransformer(lambda sequences: [2.0 * s for s in sequences]),
                             GRUClassifier(hidden_size=4, max_epochs=3, random_state=0))
    search = GridSearchCV(pipeline, {"gruclassifier__lr": [0.005, 0.05], "gruclassifier__hidden_size": [4, 8]},
                          cv=2, scoring="neg_log_loss")
    sequential = clone(search).fit(X, y)
    with (distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None) as cluster,
          distributed.Client(cluster) as client,
          distributed.get_task_stream(client) as tasks,
          joblib.parallel_backend("dask")):
        on_cluster = clone(search).fit(X, y)
    assert len({task["worker"] for task in tasks.data}) == 2  # both workers fitted
    for key in ("mean_test_score", "split0_test_score", "split1_test_score"):
        np.testing.assert_array_equal(on_cluster.cv_results_[key], sequential.cv_results_[key])
    assert on_cluster.best_params_ == sequential.best_params_
    np.testing.assert_array_equal(on_cluster.predict_proba(X), sequential.predict_proba(X))
