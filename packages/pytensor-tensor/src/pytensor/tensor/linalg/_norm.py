"""``norm``: vector and matrix norms as graphs of reductions (layer: pytensor-tensor).

Re-exported by :mod:`pytensor.tensor.linalg.summary`, PyTensor's path for it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.graph.basic import Variable
from pytensor.tensor.basic import as_tensor_variable

__all__ = ["norm"]

_INF = ("inf", np.inf)
_NEG_INF = ("-inf", -np.inf)


def _float(x: Any) -> Any:
    """Integers and booleans become float64 (NumPy computes norms in floating point)."""
    from pytensor.tensor.basic import cast

    return x if x.type.dtype.startswith(("float", "complex")) else cast(x, "float64")


def _abs2(x: Any) -> Any:
    from pytensor.tensor.math import abs as pt_abs

    return pt_abs(x) ** 2 if x.type.dtype.startswith("complex") else x * x


def _vector_norm(x: Any, ord: Any, axis: int, keepdims: bool) -> Any:  # noqa: A002 (NumPy's name)
    from pytensor.tensor.basic import cast
    from pytensor.tensor.math import abs as pt_abs
    from pytensor.tensor.math import max as pt_max
    from pytensor.tensor.math import min as pt_min
    from pytensor.tensor.math import neq, sqrt
    from pytensor.tensor.math import sum as pt_sum

    if ord is None or ord == 2:
        return sqrt(pt_sum(_abs2(x), axis=axis, keepdims=keepdims))
    if ord in _INF:
        return pt_max(pt_abs(x), axis=axis, keepdims=keepdims)
    if ord in _NEG_INF:
        return pt_min(pt_abs(x), axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"norm: invalid order {ord!r} for vectors")
    if ord == 0:
        count = pt_sum(neq(x, 0), axis=axis, keepdims=keepdims)
        return cast(count, _real(x))
    if ord == 1:
        return pt_sum(pt_abs(x), axis=axis, keepdims=keepdims)
    return pt_sum(pt_abs(x) ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def _real(x: Any) -> str:
    return np.finfo(np.dtype(x.type.dtype)).dtype.name


def _singular_values(x: Any, row: int, col: int) -> Any:
    from pytensor.tensor.basic import moveaxis
    from pytensor.tensor.linalg.decomposition.svd import svd

    if x.type.ndim != 2:
        raise NotImplementedError(
            f"norm: orders 2, -2 and 'nuc' need the singular values of a matrix; x ({x}) has "
            f"{x.type.ndim} dimensions and batched SVD is not supported yet"
        )
    if (row, col) == (1, 0):
        x = moveaxis(x, 1, 0)
    return svd(x, compute_uv=False)


def _matrix_norm(x: Any, ord: Any, row: int, col: int) -> Any:  # noqa: A002 (NumPy's name)
    from pytensor.tensor.math import abs as pt_abs
    from pytensor.tensor.math import max as pt_max
    from pytensor.tensor.math import min as pt_min
    from pytensor.tensor.math import sqrt
    from pytensor.tensor.math import sum as pt_sum

    if ord in (None, "fro", "f"):
        return sqrt(pt_sum(_abs2(x), axis=(row, col)))
    if ord == "nuc":
        return pt_sum(_singular_values(x, row, col))
    if ord in (2, -2):
        s = _singular_values(x, row, col)
        return pt_max(s) if ord == 2 else pt_min(s)
    if ord in (*_INF, *_NEG_INF):  # largest (smallest) absolute row sum
        summed, other = col, row
    elif ord in (1, -1):  # largest (smallest) absolute column sum
        summed, other = row, col
    else:
        raise ValueError(f"norm: invalid order {ord!r} for matrices")
    sums = pt_sum(pt_abs(x), axis=summed)
    other -= int(other > summed)
    reduce = pt_max if ord in (1, *_INF) else pt_min
    return reduce(sums, axis=other)


def norm(
    x: Any,
    ord: float | str | None = None,  # noqa: A002 (NumPy's name)
    axis: int | tuple[int, ...] | None = None,
    keepdims: bool = False,
) -> Variable:
    """Vector or matrix norm (NumPy's ``linalg.norm``).

    Parameters
    ----------
    x
        A tensor.
    ord
        For vectors: ``None`` or 2 (Euclidean), ``inf``, ``-inf``, 0 (number
        of non-zeros), 1, or any other number ``p`` (``sum(|x|^p)^(1/p)``).
        For matrices: ``None``/``"fro"``/``"f"`` (Frobenius), ``"nuc"`` (sum
        of singular values), ``inf``/``-inf`` (max/min absolute row sum),
        1/-1 (max/min absolute column sum), 2/-2 (largest/smallest singular
        value). ``"inf"`` and ``"-inf"`` are accepted as strings.
    axis
        An int: vector norms along it. A pair: matrix norms over those axes.
        None: the last axis of a vector, the last two axes otherwise (the
        leading axes are batch dimensions, as in PyTensor).
    keepdims
        Keep the reduced axes with length 1.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import norm
    >>> norm(np.array([3.0, 4.0])).eval()
    array(5.)
    >>> norm(np.array([[1.0, -2.0], [3.0, 4.0]]), ord=1).eval()
    array(6.)
    """
    from pytensor.tensor.basic import expand_dims

    x = _float(as_tensor_variable(x))
    ndim = x.type.ndim
    if ndim == 0:
        raise ValueError(f"norm: x ({x}) must have at least one dimension")
    if axis is None:
        axis = (ndim - 1,) if ndim == 1 else (ndim - 2, ndim - 1)
    axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
    axes = tuple(_normalize(a, ndim) for a in axes)
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)  # type: ignore[no-any-return]
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(f"norm: axis must be an int or a pair of distinct ints, got {axis!r}")
    out = _matrix_norm(x, ord, *axes)
    return expand_dims(out, axes) if keepdims else out  # type: ignore[no-any-return]


def _normalize(a: Any, ndim: int) -> int:
    a = int(a)
    if not -ndim <= a < ndim:
        from numpy.exceptions import AxisError

        raise AxisError(f"norm: axis {a} is out of bounds for an array of dimension {ndim}")
    return a % ndim
