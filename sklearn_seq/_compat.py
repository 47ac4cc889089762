"""Every private scikit-learn name the package uses, imported in one place.

scikit-learn does not promise these names across releases. Importing them only here
means a release that moves one breaks one file, and the floor in ``pyproject.toml``
is checked against this list by the minimum-versions CI job.
"""

from sklearn.base import _fit_context
from sklearn.mixture._gaussian_mixture import (
    _compute_precision_cholesky,
    _estimate_gaussian_parameters,
    _estimate_log_gaussian_prob,
)
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    RealNotInt,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)
from sklearn.utils.metadata_routing import _raise_for_params, _routing_enabled
from sklearn.utils.validation import _check_method_params, _check_sample_weight

__all__ = [
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "RealNotInt",
    "StrOptions",
    "_check_method_params",
    "_check_sample_weight",
    "_compute_precision_cholesky",
    "_estimate_gaussian_parameters",
    "_estimate_log_gaussian_prob",
    "_fit_context",
    "_raise_for_params",
    "_routing_enabled",
    "_safe_indexing",
    "validate_parameter_constraints",
    "validate_params",
]
