"""Scalar types and scalar Ops: the element-level operations that ``Elemwise``
maps over tensors (layer: pytensor-tensor).

``pytensor.scalar`` re-exports the public names of :mod:`pytensor.scalar.basic`
(types, elementary Ops, ``Composite``) and :mod:`pytensor.scalar.math`
(special functions).
"""

from __future__ import annotations

from pytensor.scalar import basic, math  # noqa: A004
from pytensor.scalar.basic import *  # noqa: F403
from pytensor.scalar.basic import (  # noqa: F401 (public in PyTensor, not in basic.__all__)
    ALL_DTYPES,
    COMPLEX,
    DISCRETE_DTYPES,
    FLOAT,
    INT,
    UINT,
    bool,
    complex64,
    complex128,
    convert,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
)
from pytensor.scalar.math import *  # noqa: F403

__all__ = sorted(
    set(basic.__all__)
    | set(math.__all__)
    | {
        "bool",
        "complex64",
        "complex128",
        "convert",
        "float16",
        "float32",
        "float64",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
    }
)
