"""Tensor shared variables and their ``shared()`` constructors (layer: pytensor-tensor).

Importing this module registers the constructors with
``pytensor.compile.sharedvalue.shared_constructor``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.compile.sharedvalue import SharedVariable, shared_constructor
from pytensor.tensor.type import TensorType
from pytensor.tensor.variable import _tensor_py_operators

__all__ = [
    "ScalarSharedVariable",
    "SharedVariable",
    "TensorSharedVariable",
    "scalar_constructor",
    "tensor_constructor",
]


class TensorSharedVariable(_tensor_py_operators, SharedVariable):
    """A shared variable holding an ndarray; it has the tensor operators and methods.

    Its value is checked against its type on every ``set_value``: the dtype
    is never silently downcast, and the number of dimensions and any static
    lengths must match.
    """

    def __repr__(self) -> str:
        return str(self)


class ScalarSharedVariable(TensorSharedVariable):
    """A shared variable holding a 0-d array (``shared()`` of a Python or NumPy number)."""


def _static_shape(value: np.ndarray, shape: Any, broadcastable: Any) -> tuple[int | None, ...]:
    if broadcastable is not None:
        if shape is not None:
            raise TypeError("shared(): give shape or broadcastable, not both")
        shape = tuple(1 if b else None for b in broadcastable)
    if shape is None:
        return (None,) * value.ndim
    shape = tuple(shape)
    if len(shape) != value.ndim:
        raise ValueError(
            f"shared(): shape {shape} has {len(shape)} entries but the value has "
            f"{value.ndim} dimensions "
            f"(shape {value.shape})"
        )
    return shape


def tensor_constructor(
    value: Any,
    name: str | None = None,
    strict: bool = False,
    allow_downcast: bool | None = None,
    borrow: bool = False,
    shape: Any = None,
    target: str = "cpu",
    broadcastable: Any = None,
) -> TensorSharedVariable:
    """A TensorSharedVariable holding the ndarray ``value``.

    The static shape is unknown in every dimension unless ``shape`` is
    given, because a shared variable's value can be replaced by one of
    another shape. Raises TypeError for a value that is not an ndarray, so
    that ``shared()`` tries its other constructors.

    Parameters
    ----------
    borrow
        Use ``value`` itself as the storage instead of a copy.
    shape
        Static shape to declare (ints or None); the value must match it.
    broadcastable
        Older spelling of ``shape``: True means length 1, False unknown.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.compile.sharedvalue import shared
    >>> s = shared(np.zeros((2, 3)), name="s")
    >>> s.type.shape, shared(np.zeros((2, 3)), shape=(2, None)).type.shape
    ((None, None), (2, None))
    """
    if target != "cpu":
        raise TypeError(f"tensor_constructor: unsupported target {target!r} (only 'cpu')")
    if not isinstance(value, np.ndarray):
        raise TypeError(f"tensor_constructor needs an ndarray, got {type(value).__name__}")
    ttype = TensorType(value.dtype, shape=_static_shape(value, shape, broadcastable))
    stored = value if borrow else value.copy()
    return TensorSharedVariable(
        type=ttype, value=stored, strict=strict, allow_downcast=allow_downcast, name=name
    )


def scalar_constructor(
    value: Any,
    name: str | None = None,
    strict: bool = False,
    allow_downcast: bool | None = None,
    borrow: bool = False,
    target: str = "cpu",
) -> ScalarSharedVariable:
    """A 0-d ScalarSharedVariable holding a Python or NumPy number.

    The dtype is NumPy's for the value: Python ints give int64, floats
    float64, complex complex128, bools bool; NumPy scalars keep theirs.

    Examples
    --------
    >>> from pytensor.compile.sharedvalue import shared
    >>> shared(1.0).type.dtype, shared(3).type.dtype
    ('float64', 'int64')
    """
    if target != "cpu":
        raise TypeError(f"scalar_constructor: unsupported target {target!r} (only 'cpu')")
    if not isinstance(value, int | float | complex | np.number | np.bool_):
        raise TypeError(f"scalar_constructor needs a number, got {type(value).__name__}")
    arr = np.array(value, dtype=getattr(value, "dtype", None))
    ttype = TensorType(arr.dtype, shape=())
    return ScalarSharedVariable(
        type=ttype, value=arr, strict=strict, allow_downcast=allow_downcast, name=name
    )


shared_constructor(tensor_constructor)
shared_constructor(scalar_constructor)
