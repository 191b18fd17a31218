"""pps_sdk: describe Latvian public services, validate them and publish them to the catalogue."""

from importlib.metadata import PackageNotFoundError, version

from .errors import (FormatError, MalformedError, ModelError, PPSError, Problem, TransitionError, UnreadableError,
                     UnwritableError)
from .formats import dump, load, loads, register_format
from .model import *  # noqa: F403  (the models are the SDK's vocabulary)
from .model import __all__ as _model_names

try:
    __version__ = version("pps_sdk")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["FormatError", "MalformedError", "ModelError", "PPSError", "Problem", "TransitionError", "UnreadableError",
           "UnwritableError", "dump",
           "load", "loads", "register_format", "__version__", *_model_names]
