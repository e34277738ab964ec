"""The tensor library: NumPy-like symbolic arrays (layer: pytensor-tensor).

``import pytensor.tensor as pt`` gives the constructors (``pt.vector``),
conversion (``pt.as_tensor_variable``), elementwise math, reductions, shape
and construction functions. Each submodule lists its public names in
``__all__``; they are all re-exported here.
"""

from __future__ import annotations

import sys as _sys

from pytensor.graph.basic import Variable  # noqa: F401 (PyTensor re-exports it here)
from pytensor.tensor import (  # noqa: F401 (submodules, imported for their side effects and paths)
    basic,
    elemwise,
    exceptions,
    extra_ops,
    math,
    shape,
    sharedvar,
    sort,
    subtensor,
    type,
    type_other,
    utils,
    variable,
)
from pytensor.tensor.basic import *  # noqa: F403
from pytensor.tensor.elemwise import *  # noqa: F403
from pytensor.tensor.exceptions import *  # noqa: F403
from pytensor.tensor.extra_ops import *  # noqa: F403
from pytensor.tensor.math import *  # noqa: F403
from pytensor.tensor.shape import *  # noqa: F403
from pytensor.tensor.sort import *  # noqa: F403
from pytensor.tensor.subtensor import *  # noqa: F403
from pytensor.tensor.type import *  # noqa: F403
from pytensor.tensor.type_other import *  # noqa: F403
from pytensor.tensor.variable import TensorConstant, TensorVariable

TensorLike = TensorVariable | TensorConstant | float | int | complex | list | tuple
inf = float("inf")

_MODULES = (
    "basic",
    "elemwise",
    "exceptions",
    "extra_ops",
    "math",
    "shape",
    "sort",
    "subtensor",
    "type",
    "type_other",
)


def __getattr__(name: str) -> object:
    # Differentiation lives in pytensor.gradient (same distribution); PyTensor
    # also exposes grad and jacobian here. Resolved lazily to keep imports light.
    if name in ("grad", "jacobian", "hessian"):
        import pytensor.gradient as _gradient

        return getattr(_gradient, name)
    if name == "linalg":  # PyTensor's ``pt.linalg``; imported on first use
        import importlib

        return importlib.import_module("pytensor.tensor.linalg")
    raise AttributeError(f"module 'pytensor.tensor' has no attribute {name!r}")


# ``shape`` and ``sort`` are both submodules and functions (the star imports
# above rebind the names to the functions), so read the modules from sys.modules.
__all__ = sorted(
    {name for _mod in _MODULES for name in _sys.modules[f"pytensor.tensor.{_mod}"].__all__}
    | {
        "TensorConstant",
        "TensorVariable",
        "TensorLike",
        "Variable",
        "grad",
        "jacobian",
        "hessian",
        "inf",
    }
)
