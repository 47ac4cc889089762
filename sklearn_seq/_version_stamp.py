"""The package version in every pickled estimator, and a warning when a pickle comes from another one.

scikit-learn stamps its own estimators' pickles with its version (``_sklearn_version``)
and warns when one is loaded by another release; it does so only for classes under
``sklearn.``. :class:`VersionStampMixin` does the same for this package's estimators.
"""

import inspect
import warnings

_KEY = "_sklearn_seq_version"


class VersionStampMixin:
    """Stamp pickles with the sklearn-seq version; warn when unpickling another version's estimator.

    Put it before :class:`~sklearn.base.BaseEstimator` among the bases, so that both
    methods run before scikit-learn's.
    """

    def __getstate__(self):
        from . import __version__  # the package is fully imported by the time anything pickles

        state = super().__getstate__()
        return {**state, _KEY: __version__}

    def __setstate__(self, state):
        from . import __version__

        original = state.pop(_KEY, "unknown (older than version stamps)")
        if original != __version__:
            warnings.warn(
                f"Unpickling {type(self).__name__} saved by sklearn-seq {original} with sklearn-seq "
                f"{__version__}: its fitted state may not fit this version's code; refit it, or save it "
                "with sklearn_seq.save, whose files say which versions can read them",
                UserWarning,
                stacklevel=2,
            )
        super().__setstate__(state)
        # A parameter added to the package since the pickle was made takes its default.
        for name, parameter in inspect.signature(type(self)).parameters.items():
            if name not in vars(self) and parameter.default is not parameter.empty:
                setattr(self, name, parameter.default)
