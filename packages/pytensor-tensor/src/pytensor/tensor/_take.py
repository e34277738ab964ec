"""``take`` and ``take_along_axis``: composites of indexing (layer: pytensor-tensor).

Re-exported by :mod:`pytensor.tensor.subtensor`. Both build ``x[...]`` graphs,
so they need no Op, no backend code and no gradient of their own.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.graph.basic import Variable
from pytensor.tensor.subtensor import _INT_DTYPES

__all__ = ["take", "take_along_axis"]

_MODES = ("raise", "wrap", "clip")


def _int_indices(what: str, indices: Any) -> Variable:
    from pytensor.tensor.basic import as_tensor_variable

    if isinstance(indices, list | tuple) and len(indices) == 0:
        indices = np.zeros(0, dtype="int64")
    indices = as_tensor_variable(indices)
    if indices.type.dtype not in _INT_DTYPES:
        raise IndexError(
            f"{what}: indices {indices} have dtype {indices.type.dtype}; they must be integers"
        )
    return indices  # type: ignore[no-any-return]


def _axis(what: str, axis: Any, ndim: int) -> int:
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise TypeError(f"{what}: axis must be an integer or None, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{what}: axis {axis} is out of bounds for a {ndim}-d tensor")
    return int(axis) % ndim


def take(a: Any, indices: Any, axis: int | None = None, mode: str = "raise") -> Variable:
    """Elements of ``a`` at ``indices`` along ``axis`` (of the flattened ``a`` when None), as
    ``np.take``.

    Parameters
    ----------
    a
        The tensor to take from.
    indices
        Integer indices of any rank; the result has ``a.shape[:axis] +
        indices.shape + a.shape[axis + 1:]``.
    axis
        The axis to take along; None flattens ``a`` first.
    mode
        ``"raise"``: an index out of bounds raises IndexError (naming the axis,
        the index and the length); ``"wrap"``: indices wrap around;
        ``"clip"``: indices are clipped to ``[0, n - 1]`` (so negative indices
        give the first element).

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> a = pt.dmatrix("a")
    >>> pt.take(a, [[0, 2]], axis=1).eval({a: np.arange(6.0).reshape(2, 3)})
    array([[[0., 2.]],
    <BLANKLINE>
           [[3., 5.]]])
    >>> pt.take(a, [5, -1, 7], mode="clip").eval({a: np.arange(6.0).reshape(2, 3)})
    array([5., 0., 5.])
    """
    from pytensor.tensor.basic import as_tensor_variable, flatten
    from pytensor.tensor.math import clip

    if mode not in _MODES:
        raise ValueError(f"take: mode must be one of {_MODES}, got {mode!r}")
    a = as_tensor_variable(a)
    indices = _int_indices("take", indices)
    if axis is None:
        a, axis = flatten(a, 1), 0
    axis = _axis("take", axis, a.type.ndim)
    if mode != "raise":
        n = a.shape[axis]  # type: ignore[attr-defined]
        if mode == "clip":
            indices = clip(indices, 0, n - 1)
        else:
            indices = indices % n  # type: ignore[operator]
    return a[(slice(None),) * axis + (indices,)]  # type: ignore[index, no-any-return]


def take_along_axis(arr: Any, indices: Any, axis: int | None = 0) -> Variable:
    """Values of ``arr`` at ``indices`` along ``axis``, matching the other dimensions, as
    ``np.take_along_axis``.

    ``indices`` has the rank of ``arr``; along ``axis`` it holds the positions
    to take (any number of them), along every other dimension it has
    ``arr``'s length or static length 1. With ``axis=None``, ``arr`` is
    flattened and ``indices`` must be a vector. Pairs naturally with
    ``argsort``.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> x = pt.dmatrix("x")
    >>> order = pt.argsort(x, axis=1)
    >>> pt.take_along_axis(x, order, axis=1).eval({x: np.array([[3.0, 1.0, 2.0]])})
    array([[1., 2., 3.]])
    """
    from pytensor.tensor._ranges import arange
    from pytensor.tensor.basic import as_tensor_variable, flatten
    from pytensor.tensor.shape import shape_tuple

    arr = as_tensor_variable(arr)
    indices = _int_indices("take_along_axis", indices)
    if axis is None:
        if indices.type.ndim != 1:
            raise ValueError(
                f"take_along_axis: with axis=None the indices must be a vector, got "
                f"{indices.type.ndim} dimensions"
            )
        arr, axis = flatten(arr, 1), 0
    ndim = arr.type.ndim
    if indices.type.ndim != ndim:
        raise ValueError(
            f"take_along_axis: the indices ({indices.type.ndim}-d) and the array ({ndim}-d) "
            "must have the same number of dimensions"
        )
    axis = _axis("take_along_axis", axis, ndim)
    dims = shape_tuple(arr)
    index: list[Any] = []
    for d in range(ndim):
        if d == axis:
            index.append(indices)
            continue
        pattern = ["x"] * ndim
        pattern[d] = 0
        index.append(arange(dims[d], dtype="int64").dimshuffle(pattern))
    return arr[tuple(index)]  # type: ignore[index, no-any-return]
