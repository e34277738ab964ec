"""Layout helpers built on DimShuffle and Reshape: transpose, flatten, expand_dims, moveaxis, ...

Layer: pytensor-tensor.

Re-exported by :mod:`pytensor.tensor.basic`, PyTensor's import path for these names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.exceptions import AxisError

from pytensor.graph.basic import Variable
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.shape import reshape, shape_padleft, shape_padright, shape_tuple

__all__ = [
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "atleast_Nd",
    "expand_dims",
    "flatten",
    "is_flat",
    "matrix_transpose",
    "moveaxis",
    "swapaxes",
    "transpose",
]


def normalize_axes(axes: Any, ndim: int, what: str, allow_repeats: bool = False) -> tuple[int, ...]:
    """``axes`` (an int or a sequence of ints, negative allowed) as non-negative ints.

    Raises AxisError when an axis is out of range.
    """
    seq = (axes,) if isinstance(axes, int | np.integer) else tuple(axes)
    out = []
    for a in seq:
        if not isinstance(a, int | np.integer) or isinstance(a, bool):
            raise TypeError(f"{what}: axes must be ints, got {a!r}")
        if not -ndim <= a < ndim:
            raise AxisError(f"{what}: axis {a} is out of range for {ndim} dimensions")
        out.append(int(a) % ndim)
    if not allow_repeats and len(set(out)) != len(out):
        raise ValueError(f"{what}: repeated axis in {seq}")
    return tuple(out)


def transpose(x: Any, axes: Sequence[int] | None = None) -> Variable:
    """``x`` with its dimensions permuted by ``axes`` (default: reversed).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.transpose(pt.tensor3("x", shape=(1, 2, 3)), (2, 0, 1)).type.shape
    (3, 1, 2)
    """
    x = as_tensor_variable(x)
    ndim = x.type.ndim
    order = (
        tuple(range(ndim - 1, -1, -1)) if axes is None else normalize_axes(axes, ndim, "transpose")
    )
    if len(order) != ndim:
        raise ValueError(
            f"transpose: axes {axes} do not list each of the {ndim} dimensions of {x} once"
        )
    if order == tuple(range(ndim)):
        return x
    out = x.dimshuffle(order)  # type: ignore[attr-defined]
    if x.name and axes is None:
        out.name = f"{x.name}.T"
    return out  # type: ignore[no-any-return]


def matrix_transpose(x: Any) -> Variable:
    """``x`` with its last two dimensions swapped (a batch of transposed matrices)."""
    x = as_tensor_variable(x)
    if x.type.ndim < 2:
        raise ValueError(
            f"matrix_transpose: {x} must have at least 2 dimensions, it has {x.type.ndim}"
        )
    return swapaxes(x, -1, -2)


def swapaxes(y: Any, axis1: int, axis2: int) -> Variable:
    """``y`` with dimensions ``axis1`` and ``axis2`` exchanged."""
    y = as_tensor_variable(y)
    a1, a2 = normalize_axes((axis1, axis2), y.type.ndim, "swapaxes", allow_repeats=True)
    order = list(range(y.type.ndim))
    order[a1], order[a2] = order[a2], order[a1]
    return transpose(y, order)


def moveaxis(a: Any, source: int | Sequence[int], destination: int | Sequence[int]) -> Variable:
    """``a`` with the ``source`` axes moved to ``destination`` (others keep their order).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.moveaxis(pt.tensor3("x", shape=(1, 2, 3)), 0, -1).type.shape
    (2, 3, 1)
    """
    a = as_tensor_variable(a)
    src = normalize_axes(source, a.type.ndim, "moveaxis (source)")
    dst = normalize_axes(destination, a.type.ndim, "moveaxis (destination)")
    if len(src) != len(dst):
        raise ValueError(
            f"moveaxis: source {source} and destination {destination} must have the same "
            "number of axes"
        )
    order = [d for d in range(a.type.ndim) if d not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return transpose(a, order)


def flatten(x: Any, ndim: int = 1) -> Variable:
    """``x`` reshaped to ``ndim`` dimensions: the first ``ndim - 1`` kept, the rest collapsed.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.flatten(pt.tensor3("x", shape=(2, 3, 4)), 2).type.shape
    (2, 12)
    """
    if ndim is None:
        ndim = 1
    x = as_tensor_variable(x)
    if ndim < 1 or (ndim > 1 and ndim > x.type.ndim):
        raise ValueError(
            f"flatten: ndim={ndim} is out of range [1, {max(x.type.ndim, 1)}] for {x} of type "
            f"{x.type}"
        )
    dims = shape_tuple(x)
    rest = x.type.shape[ndim - 1 :]
    last = math.prod(rest) if all(s is not None for s in rest) else -1  # type: ignore[arg-type]
    return reshape(x, (*dims[: ndim - 1], last), ndim=ndim)


def is_flat(var: Any, ndim: int = 1) -> bool:
    """Whether ``var`` has ``ndim`` dimensions."""
    return as_tensor_variable(var).type.ndim == ndim  # type: ignore[no-any-return]


def expand_dims(a: Any, axis: int | Sequence[int]) -> Variable:
    """``a`` with new length-1 dimensions at the positions ``axis`` of the result.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.expand_dims(pt.vector("v", shape=(3,)), (0, 2)).type.shape
    (1, 3, 1)
    """
    a = as_tensor_variable(a)
    axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
    out_ndim = a.type.ndim + len(axes)
    new = normalize_axes(axes, out_ndim, "expand_dims")
    if not new:
        return a
    it = iter(range(a.type.ndim))
    return a.dimshuffle(["x" if d in new else next(it) for d in range(out_ndim)])  # type: ignore[attr-defined,no-any-return]


def atleast_Nd(*arys: Any, n: int = 1, left: bool = True) -> Any:  # noqa: N802 (PyTensor's name)
    """Each input with at least ``n`` dimensions, padded with length-1 dimensions on the left.

    With ``left=False`` the padding is on the right.

    One input gives one tensor; several give a list.
    """
    res = []
    for ary in arys:
        t = as_tensor_variable(ary)
        if t.type.ndim < n:
            t = shape_padleft(t, n - t.type.ndim) if left else shape_padright(t, n - t.type.ndim)
        res.append(t)
    return res[0] if len(res) == 1 else res


def atleast_1d(*arys: Any, left: bool = True) -> Any:
    """Each input with at least one dimension (see :func:`atleast_Nd`)."""
    return atleast_Nd(*arys, n=1, left=left)


def atleast_2d(*arys: Any, left: bool = True) -> Any:
    """Each input with at least two dimensions (see :func:`atleast_Nd`)."""
    return atleast_Nd(*arys, n=2, left=left)


def atleast_3d(*arys: Any, left: bool = True) -> Any:
    """Each input with at least three dimensions (see :func:`atleast_Nd`)."""
    return atleast_Nd(*arys, n=3, left=left)
