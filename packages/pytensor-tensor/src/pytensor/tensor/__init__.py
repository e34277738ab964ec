"""The tensor library: NumPy-like symbolic arrays (layer: pytensor-tensor).

``import pytensor.tensor as pt`` gives the constructors (``pt.vector``),
conversion (``pt.as_tensor_variable``), elementwise math, reductions, shape
and construction functions. Each submodule lists its public names in
``__all__``; they are all re-exported here.
"""

from __future__ import annotations

from pytensor.tensor import basic, elemwise, extra_ops, math, shape, sort, subtensor, type, variable  # noqa: A004
from pytensor.tensor.basic import *  # noqa: F403
from pytensor.tensor.elemwise import *  # noqa: F403
from pytensor.tensor.exceptions import *  # noqa: F403
from pytensor.tensor.extra_ops import *  # noqa: F403
from pytensor.tensor.math import *  # noqa: F403
from pytensor.tensor.shape import *  # noqa: F403
from pytensor.tensor.sort import *  # noqa: F403
from pytensor.tensor.subtensor import *  # noqa: F403
from pytensor.tensor.type import *  # noqa: F403
from pytensor.tensor.variable import TensorConstant, TensorVariable
from pytensor.tensor import sharedvar as _sharedvar  # noqa: E402,F401 (registers the shared() constructor)

TensorLike = TensorVariable | TensorConstant | float | int | complex | list | tuple

__all__ = sorted(
    set(basic.__all__) | set(elemwise.__all__) | set(extra_ops.__all__) | set(math.__all__)
    | set(shape.__all__) | set(sort.__all__) | set(subtensor.__all__) | set(type.__all__)
    | {"TensorConstant", "TensorVariable", "TensorLike"}
)
