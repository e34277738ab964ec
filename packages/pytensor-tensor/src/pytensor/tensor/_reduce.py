"""Statistics and index reductions: ``Argmax``, argmin, mean, var, std, ptp and
logsumexp (layer: pytensor-tensor).

Everything but ``Argmax`` is composed from existing Ops (logsumexp as the
``LogSumExp`` OpFromGraph of ``_softmax``). Re-exported by
:mod:`pytensor.tensor.math`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.type import TensorType

__all__ = ["Argmax", "argmax", "argmin", "logsumexp", "max_and_argmax", "mean", "ptp", "std", "var"]


_DISCRETE = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def _m() -> Any:
    from pytensor.tensor import math as m

    return m


class Argmax(ShapedOp, Op):
    """Index of the maximum over ``axis`` (None: all axes), as int64.

    Over several axes, the index is into those axes flattened in C order
    (over all axes: NumPy's flat index). The first occurrence wins; NaN counts
    as the maximum, as in NumPy.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.math import Argmax
    >>> Argmax(axis=(1,))(np.array([[1, 5, 2], [7, 0, 7]])).eval()
    array([1, 0])
    """

    __props__ = ("axis",)

    def __init__(self, axis: Any = None) -> None:
        if axis is not None:
            axis = (
                (int(axis),)
                if isinstance(axis, int | np.integer)
                else tuple(sorted(int(a) for a in axis))
            )
        self.axis = axis

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = as_tensor_variable(x)
        axis = _m()._axes("Argmax", x, self.axis)
        op = self if axis == self.axis else Argmax(axis)
        reduced = range(x.type.ndim) if axis is None else axis
        for a in reduced:
            if x.type.shape[a] == 0:
                raise ValueError(
                    f"Argmax: cannot take the argmax of {x} over its empty axis {a} (type {x.type})"
                )
        (shape,) = op.static_shapes([x])
        return Apply(op, [x], [TensorType("int64", shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        (xs,) = input_shapes
        axis = range(len(xs)) if self.axis is None else self.axis
        return [tuple(s for d, s in enumerate(xs) if d not in axis)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (x,) = inputs
        axis = tuple(range(x.ndim)) if self.axis is None else self.axis
        if any(x.shape[a] == 0 for a in axis):
            raise ValueError(
                f"{self}: cannot take the argmax over an empty axis (input shape {x.shape})"
            )
        keep = [d for d in range(x.ndim) if d not in axis]
        moved = np.transpose(x, keep + list(axis))
        kept_shape = moved.shape[: len(keep)]
        flat = moved.reshape((*kept_shape, math.prod(moved.shape[len(keep) :])))
        output_storage[0][0] = np.asarray(np.argmax(flat, axis=-1), dtype="int64")

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        """The index of the maximum is piecewise constant in ``x``: a zero gradient (as PyTensor).

        The output is an integer, so the differentiation machinery never needs
        this rule; a cost that reaches ``x`` only through an argmax gets a zero
        gradient for it, not a disconnected-input error.
        """
        from pytensor.tensor.basic import zeros_like

        return [zeros_like(inputs[0])]


def argmax(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Indices of the maximum along ``axis`` (int, tuple or None for the flat index), as int64.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.argmax(np.array([[1, 5, 2], [7, 0, 7]]), axis=-1).eval()
    array([1, 0])
    """
    x = as_tensor_variable(x)
    axes = _m()._axes("Argmax", x, axis)
    return _m()._keep(x, Argmax(axes)(x), axes, keepdims)


def argmin(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Indices of the minimum along ``axis`` (None: the flat index), as int64.

    Computed as the argmax of an order-reversing map of ``x``: negation for
    floats and complex numbers, bitwise not for integers and bools (which,
    unlike negation, cannot overflow).
    """
    m = _m()
    x = as_tensor_variable(x)
    axes = m._axes("Argmax", x, axis)
    flipped = m.neg(x) if np.dtype(x.dtype).kind in "fc" else m.invert(x)
    return argmax(flipped, axis=axes, keepdims=keepdims)


def max_and_argmax(a: Any, axis: Any = None, keepdims: bool = False) -> list[Any]:
    """``[max(a, axis), argmax(a, axis)]``."""
    return [_m().max(a, axis=axis, keepdims=keepdims), argmax(a, axis=axis, keepdims=keepdims)]


def _shape_i(x: Any, i: int) -> Any:
    from pytensor.tensor import shape as shape_mod

    shape_i = getattr(shape_mod, "shape_i", None)
    return shape_i(x, i) if shape_i is not None else x.shape[i]


def _count(x: Any, axes: tuple[int, ...] | None, dtype: str) -> Any:
    """The number of elements reduced over ``axes``, as a ``dtype`` tensor (constant when static)."""
    from pytensor.tensor.basic import cast

    axes = tuple(range(x.type.ndim)) if axes is None else axes
    known = math.prod(x.type.shape[a] for a in axes if x.type.shape[a] is not None)
    unknown = [_shape_i(x, a) for a in axes if x.type.shape[a] is None]
    if not unknown:
        return as_tensor_variable(np.asarray(known, dtype=dtype))
    n = unknown[0]
    for s in unknown[1:]:
        n = n * s
    n = cast(n, dtype)
    return n if known == 1 else n * as_tensor_variable(np.asarray(known, dtype=dtype))


def _real_dtype(dtype: str) -> str:
    """float32 for the single-precision family, float64 otherwise (as NumPy's mean)."""
    return "float32" if dtype in ("float16", "float32", "complex64") else "float64"


def mean(
    input: Any,
    axis: Any = None,
    dtype: str | None = None,
    op: bool = False,
    keepdims: bool = False,
    acc_dtype: str | None = None,
) -> Any:
    """Mean along ``axis`` (None: all), as ``numpy.mean``.

    Integer and bool inputs give float64; float16 is accumulated in float32.
    ``op`` is accepted for compatibility and ignored.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.mean(np.array([[1, 2], [3, 5]], dtype="int8"), axis=0).eval()
    array([2. , 3.5])
    """
    m = _m()
    x = as_tensor_variable(input)
    axes = m._axes("Mean", x, axis)
    if dtype is not None:
        sum_dtype = dtype
    elif x.dtype in _DISCRETE:
        sum_dtype = "float64"
    elif x.dtype == "float16":
        sum_dtype = "float32"
    else:
        sum_dtype = None
    s = m.sum(x, axis=axes, dtype=sum_dtype, keepdims=keepdims, acc_dtype=acc_dtype)
    out = m.true_div(s, _count(x, axes, _real_dtype(s.dtype)))
    final = dtype if dtype is not None else ("float16" if x.dtype == "float16" else out.dtype)
    if out.dtype != final:
        from pytensor.tensor.basic import cast

        out = cast(out, final)
    return out


def var(
    input: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False, corrected: bool = False
) -> Any:
    """Variance along ``axis`` (None: all), dividing by ``N - ddof``, as ``numpy.var``.

    With ``corrected=True`` the rounding error of the mean is compensated
    (the "corrected two-pass" algorithm). Complex inputs give a real variance.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.var(np.array([1.0, 2.0, 3.0, 4.0]), ddof=1).eval()
    array(1.66666667)
    """
    m = _m()
    x = as_tensor_variable(input)
    axes = m._axes("Var", x, axis)
    centered = m.sub(x, mean(x, axis=axes, keepdims=True))
    is_complex = centered.dtype.startswith("complex")
    squares = m.sqr(m.abs(centered)) if is_complex else m.sqr(centered)
    total = m.sum(squares, axis=axes, keepdims=keepdims)
    n = _count(x, axes, total.dtype)
    denom = m.sub(n, as_tensor_variable(np.asarray(ddof, dtype=total.dtype)))
    if corrected:
        s = m.sum(centered, axis=axes, keepdims=keepdims)
        s2 = m.sqr(m.abs(s)) if is_complex else m.sqr(s)
        total = m.sub(total, m.true_div(s2, n))
    return m.true_div(total, denom)


def std(
    input: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False, corrected: bool = False
) -> Any:
    """Standard deviation, ``sqrt(var(...))`` (see :func:`var`)."""
    return _m().sqrt(var(input, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected))


def ptp(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Range of values (maximum minus minimum) along ``axis``."""
    m = _m()
    return m.sub(m.max(a, axis=axis, keepdims=keepdims), m.min(a, axis=axis, keepdims=keepdims))


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``log(sum(exp(x), axis))`` without overflow, as ``scipy.special.logsumexp``.

    One ``LogSumExp`` node (an ``OpFromGraph``): the maximum along ``axis``
    is subtracted before exponentiating (an infinite maximum is replaced by 0
    so that ``inf - inf`` never appears; an all ``-inf`` lane gives ``-inf``).
    Its gradient is the softmax of ``x``. Integer inputs are cast to float.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.logsumexp(np.array([1000.0, 1000.0])).eval()
    array(1000.69314718)
    >>> pt.logsumexp(np.array([[0.0, -np.inf], [-np.inf, -np.inf]]), axis=1).eval()
    array([  0., -inf])
    """
    from pytensor.tensor._softmax import logsumexp_of

    return logsumexp_of(x, axis, keepdims)
