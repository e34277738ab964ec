"""NumPy-like array functions: cumsum, diff, repeat, searchsorted, broadcasting, unique.

Layer: pytensor-tensor. Parts live in private modules re-exported here:
``_extra_broadcast``, ``_extra_unique`` (data-dependent lengths), ``_extra_index``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.scalar.basic import upcast
from pytensor.tensor._extra_broadcast import (
    BroadcastTo,
    broadcast_arrays,
    broadcast_shape,
    broadcast_shape_iter,
    broadcast_to,
)
from pytensor.tensor._extra_index import (
    RavelMultiIndex,
    UnravelIndex,
    ravel_multi_index,
    unravel_index,
)
from pytensor.tensor._extra_unique import BinCount, Unique, bincount, unique
from pytensor.tensor._ranges import linspace
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.type import TensorType
from pytensor.tensor.utils import normalize_reduce_axis

__all__ = [
    "BinCount",
    "BroadcastTo",
    "CumOp",
    "FillDiagonal",
    "RavelMultiIndex",
    "Repeat",
    "SearchsortedOp",
    "Unique",
    "UnravelIndex",
    "bincount",
    "broadcast_arrays",
    "broadcast_shape",
    "broadcast_shape_iter",
    "broadcast_to",
    "cumprod",
    "cumsum",
    "diff",
    "fill_diagonal",
    "flip",
    "linspace",
    "ravel_multi_index",
    "repeat",
    "searchsorted",
    "squeeze",
    "unique",
    "unravel_index",
]

_SIGNED = ("int8", "int16", "int32", "int64")
_INTS = (*_SIGNED, "uint8", "uint16", "uint32", "uint64")


def _as_tensor(x: Any, **kw: Any) -> Any:
    from pytensor.tensor.basic import as_tensor_variable

    return as_tensor_variable(x, **kw)


def _normalize_axis_index(op: str, axis: Any, ndim: int, x: Any) -> int:
    if not isinstance(axis, int | np.integer) or isinstance(axis, bool):
        raise TypeError(f"{op}: axis must be an int, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(
            f"{op}: axis {axis} is out of range for the {ndim}-d input {x}"
        )
    return int(axis) % ndim


# ---------------------------------------------------------------------------
# cumsum / cumprod
# ---------------------------------------------------------------------------


def _cum_dtype(dtype: str) -> str:
    """PyTensor keeps the input dtype (NumPy would widen small integers and booleans)."""
    return dtype


class CumOp(ShapedOp, Op):
    """Cumulative sum (``mode="add"``) or product (``mode="mul"``) along ``axis``.

    The output keeps the input dtype, as in PyTensor (NumPy widens small
    integers and booleans).

    Parameters
    ----------
    axis
        A non-negative axis of the input (``cumsum``/``cumprod`` normalise
        negative axes and flatten for ``axis=None``).
    mode
        "add" or "mul".
    """

    __props__ = ("axis", "mode")

    def __init__(self, axis: int, mode: str = "add") -> None:
        if mode not in ("add", "mul"):
            raise ValueError(f"CumOp: mode must be 'add' or 'mul', got {mode!r}")
        if not isinstance(axis, int | np.integer) or isinstance(axis, bool):
            raise TypeError(f"CumOp: axis must be an int, got {axis!r}")
        if axis < 0:
            raise ValueError(
                f"CumOp: axis must be non-negative, got {axis} (cumsum/cumprod normalise it)"
            )
        self.axis = int(axis)
        self.mode = mode

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = _as_tensor(x)
        if self.axis >= x.type.ndim:
            raise np.exceptions.AxisError(
                f"{self}: axis {self.axis} is out of range for the {x.type.ndim}-d input {x}"
            )
        (shape,) = self.static_shapes([x])
        return Apply(self, [x], [TensorType(_cum_dtype(x.type.dtype), shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [tuple(input_shapes[0])]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        fn = np.cumsum if self.mode == "add" else np.cumprod
        dtype = node.outputs[0].type.dtype
        output_storage[0][0] = np.asarray(fn(inputs[0], axis=self.axis, dtype=dtype), dtype=dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Cumsum: the reversed cumsum of the cotangent; cumprod: a formula exact with zeros."""
        from pytensor.tensor._extra_grad import cumop_pullback

        return [cumop_pullback(self, inputs[0], outputs[0], cotangents[0])]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        if self.mode != "add":
            raise NotImplementedError("cumprod: forward mode is derived from the pullback")
        return [self(tangents[0])]

    def __str__(self) -> str:
        return f"CumOp{{{self.axis}, {self.mode}}}"


def _cum(x: Any, axis: Any, mode: str) -> Any:
    x = _as_tensor(x)
    if axis is None:
        x = x.flatten() if x.type.ndim != 1 else x
        axis = 0
    else:
        axis = _normalize_axis_index(
            f"cum{'sum' if mode == 'add' else 'prod'}", axis, x.type.ndim, x
        )
    return CumOp(axis=axis, mode=mode)(x)


def cumsum(x: Any, axis: int | None = None) -> Any:
    """Cumulative sum along ``axis`` (None: of the flattened array).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.cumsum([[1, 2], [3, 4]], axis=1).eval()
    array([[1, 3],
           [3, 7]])
    """
    return _cum(x, axis, "add")


def cumprod(x: Any, axis: int | None = None) -> Any:
    """Cumulative product along ``axis`` (None: of the flattened array).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.cumprod([1.0, 2.0, 3.0]).eval()
    array([1., 2., 6.])
    """
    return _cum(x, axis, "mul")


def diff(x: Any, n: int = 1, axis: int = -1) -> Any:
    """The ``n``-th discrete difference along ``axis`` (``x[1:] - x[:-1]``, repeated).

    Bool inputs give ``x[1:] != x[:-1]``, as in NumPy.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.diff([1, 4, 9, 16], n=2).eval()
    array([2, 2])
    """
    from pytensor.tensor.math import neq

    x = _as_tensor(x)
    if not isinstance(n, int | np.integer) or n < 0:
        raise ValueError(f"diff: order n must be a non-negative int, got {n!r}")
    if x.type.ndim == 0:
        raise ValueError(f"diff: the input {x} must be at least 1-d")
    axis = _normalize_axis_index("diff", axis, x.type.ndim, x)
    head = tuple(slice(1, None) if d == axis else slice(None) for d in range(x.type.ndim))
    tail = tuple(slice(None, -1) if d == axis else slice(None) for d in range(x.type.ndim))
    for _ in range(int(n)):
        x = neq(x[head], x[tail]) if x.type.dtype == "bool" else x[head] - x[tail]
    return x


# ---------------------------------------------------------------------------
# repeat
# ---------------------------------------------------------------------------


class Repeat(ShapedOp, Op):
    """Repeat elements of ``x`` (``numpy.repeat``), flattening first when ``axis`` is None.

    ``repeats`` is a 0-d integer (same count for every element) or an
    integer vector with one count per element along the axis.
    """

    __props__ = ("axis",)

    def __init__(self, axis: int | None = None) -> None:
        if axis is not None and (not isinstance(axis, int | np.integer) or axis < 0):
            raise ValueError(f"Repeat: axis must be None or a non-negative int, got {axis!r}")
        self.axis = None if axis is None else int(axis)

    def make_node(self, x: Any, repeats: Any) -> Apply:  # type: ignore[override]
        x = _as_tensor(x)
        repeats = (
            _as_tensor(repeats, dtype="int64")
            if isinstance(repeats, int | np.integer)
            else _as_tensor(repeats)
        )
        if repeats.type.dtype not in _INTS or repeats.type.dtype == "uint64":
            raise TypeError(
                f"{self}: repeats {repeats} must have a signed or small unsigned integer dtype, "
                f"got {repeats.type.dtype}"
            )
        if repeats.type.ndim > 1:
            raise ValueError(
                f"{self}: repeats {repeats} must be 0-d or 1-d, got {repeats.type.ndim}-d"
            )
        if self.axis is not None and self.axis >= x.type.ndim:
            raise np.exceptions.AxisError(
                f"{self}: axis {self.axis} is out of range for the {x.type.ndim}-d input {x}"
            )
        values = _constant_values(repeats)
        if values is not None and np.any(values < 0):
            raise ValueError(f"{self}: repeats must be non-negative, got {values}")
        (shape,) = self.static_shapes([x, repeats])
        return Apply(self, [x, repeats], [TensorType(x.type.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        from pytensor.tensor.basic import cast
        from pytensor.tensor.math import sum as pt_sum

        x, repeats = inputs
        xs, rs = input_shapes
        n = S.prod(list(xs)) if self.axis is None else xs[self.axis]
        values = _constant_values(repeats)
        if repeats.type.ndim == 0:
            length = S.mul(n, S.value(repeats))
        elif repeats.type.shape[0] == 1:
            first = (
                S.const(int(values[0]))
                if values is not None
                else (cast(repeats[0], "int64") if S.symbolic else None)
            )
            length = S.mul(n, first)
        else:
            S.equal(self, rs[0], n, f"repeats {repeats} needs one count per element")
            if values is not None:
                length = S.const(int(values.sum()))
            else:
                length = pt_sum(cast(repeats, "int64")) if S.symbolic else None
        if self.axis is None:
            return [(length,)]
        out = list(xs)
        out[self.axis] = length
        return [tuple(out)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, repeats = inputs
        if np.any(repeats < 0):
            raise ValueError(f"{self}: repeats must be non-negative, got {repeats}")
        n = x.size if self.axis is None else x.shape[self.axis]
        # A single count applies to every element only when the repeats' static shape says so.
        if repeats.ndim == 1 and repeats.shape[0] != n and node.inputs[1].type.shape[0] != 1:
            raise ValueError(
                f"{self}: {repeats.shape[0]} repeat counts for {n} elements (input shape {x.shape})"
            )
        output_storage[0][0] = np.repeat(x, repeats, axis=self.axis)

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True], [False]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Each element gets the summed cotangent of its copies; the counts are disconnected."""
        from pytensor.gradient import disconnected_type
        from pytensor.tensor._extra_grad import repeat_pullback

        x, repeats = inputs
        return [repeat_pullback(self, x, repeats, cotangents[0]), disconnected_type()]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(tangents[0], inputs[1])]


def _constant_values(v: Variable) -> np.ndarray | None:
    from pytensor.graph.basic import Constant

    return np.asarray(v.data) if isinstance(v, Constant) else None


def repeat(x: Any, repeats: Any, axis: int | None = None) -> Any:
    """Repeat each element of ``x`` ``repeats`` times (``numpy.repeat``).

    Parameters
    ----------
    x
        The tensor.
    repeats
        An int (or 0-d integer tensor) for every element, or an integer vector
        with one count per element along ``axis``.
    axis
        The axis to repeat along; None repeats the flattened array.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.repeat([[1, 2], [3, 4]], [1, 2], axis=0).eval()
    array([[1, 2],
           [3, 4],
           [3, 4]])
    """
    x = _as_tensor(x)
    if axis is not None:
        axis = _normalize_axis_index("repeat", axis, x.type.ndim, x)
    return Repeat(axis=axis)(x, repeats)


# ---------------------------------------------------------------------------
# searchsorted
# ---------------------------------------------------------------------------


class SearchsortedOp(ShapedOp, Op):
    """Where ``v``'s elements would be inserted into the sorted vector ``x`` (``np.searchsorted``).

    Inputs are ``x``, ``v`` and optionally ``sorter`` (int indices that sort ``x``).
    The output is int64 with ``v``'s shape.
    """

    __props__ = ("side",)

    def __init__(self, side: str = "left") -> None:
        if side not in ("left", "right"):
            raise ValueError(f"SearchsortedOp: side must be 'left' or 'right', got {side!r}")
        self.side = side

    def make_node(self, x: Any, v: Any, sorter: Any = None) -> Apply:  # type: ignore[override]
        x, v = _as_tensor(x), _as_tensor(v)
        if x.type.ndim != 1:
            raise ValueError(f"{self}: the sorted array {x} must be 1-d, got {x.type}")
        inputs = [x, v]
        if sorter is not None:
            sorter = _as_tensor(sorter)
            if sorter.type.ndim != 1 or sorter.type.dtype not in _SIGNED:
                raise TypeError(
                    f"{self}: sorter {sorter} must be a signed integer vector, got {sorter.type}"
                )
            inputs.append(sorter)
        (shape,) = self.static_shapes(inputs)
        return Apply(self, inputs, [TensorType("int64", shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        if len(inputs) == 3:
            S.equal(
                self,
                input_shapes[0][0],
                input_shapes[2][0],
                f"sorter {inputs[2]} and {inputs[0]} lengths",
            )
        return [tuple(input_shapes[1])]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, v, *rest = inputs
        sorter = rest[0] if rest else None
        if sorter is not None and sorter.shape != x.shape:
            raise ValueError(
                f"{self}: sorter of shape {sorter.shape} does not match the array's shape {x.shape}"
            )
        res = np.searchsorted(x, v, side=self.side, sorter=sorter)  # type: ignore[call-overload]
        output_storage[0][0] = np.asarray(res, dtype="int64")

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Integer positions are piecewise constant in ``x`` and ``v``: zero gradients.

        The sorter (integer indices) is disconnected.
        """
        from pytensor.configdefaults import config
        from pytensor.gradient import disconnected_type
        from pytensor.tensor._alloc import zeros_like

        grads: list[Any] = [zeros_like(i, dtype=config.floatX) for i in inputs[:2]]
        return grads + [disconnected_type() for _ in inputs[2:]]

    def __str__(self) -> str:
        return f"SearchsortedOp{{{self.side}}}"


def searchsorted(x: Any, v: Any, side: str = "left", sorter: Any = None) -> Any:
    """Indices into the sorted vector ``x`` where ``v``'s values would keep it sorted.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.searchsorted([1, 2, 3, 4, 5], [-10, 10, 2, 3]).eval()
    array([0, 5, 1, 2])
    """
    return SearchsortedOp(side=side)(x, v, sorter)


# ---------------------------------------------------------------------------
# squeeze / flip
# ---------------------------------------------------------------------------


def squeeze(x: Any, axis: Any = None) -> Any:
    """Drop length-1 dimensions of ``x`` (a view).

    With ``axis=None`` every dimension of static length 1 is dropped.
    Dimensions named in ``axis`` must have static length 1: a dimension whose
    length is unknown statically is refused (declare it with
    ``specify_broadcastable``), even if it turns out to be 1 at run time.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> x = pt.tensor("x", shape=(1, 3, 1))
    >>> pt.squeeze(x).type.shape, pt.squeeze(x, axis=-1).type.shape
    ((3,), (1, 3))
    """
    x = _as_tensor(x)
    if axis is None:
        axes: tuple[int, ...] = tuple(d for d, s in enumerate(x.type.shape) if s == 1)
    else:
        try:
            axes = normalize_reduce_axis(axis, x.type.ndim) or ()
        except np.exceptions.AxisError:
            raise np.exceptions.AxisError(
                f"squeeze: axis {axis} is out of range for the {x.type.ndim}-d input {x}"
            ) from None
        if x.type.ndim == 0:
            return x
        for a in axes:
            if x.type.shape[a] != 1:
                raise ValueError(
                    f"squeeze: cannot drop dimension {a} of {x} (static shape {x.type.shape}): "
                    "only dimensions of static length 1 can be squeezed; "
                    "use pt.specify_broadcastable(x, axis) if it is 1"
                )
    if not axes:
        return x
    return x.dimshuffle([d for d in range(x.type.ndim) if d not in axes])


def flip(arr: Any, axis: Any = None) -> Any:
    """Reverse the order of elements along ``axis`` (None: every axis), as a view.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.flip([[1, 2], [3, 4]], axis=1).eval()
    array([[2, 1],
           [4, 3]])
    """
    arr = _as_tensor(arr)
    if axis is None:
        axes: tuple[int, ...] = tuple(range(arr.type.ndim))
    else:
        try:
            axes = normalize_reduce_axis(axis, arr.type.ndim) or ()
        except np.exceptions.AxisError:
            raise np.exceptions.AxisError(
                f"flip: axis {axis} is out of range for the {arr.type.ndim}-d input {arr}"
            ) from None
        if arr.type.ndim == 0:
            raise np.exceptions.AxisError(f"flip: the 0-d input {arr} has no axis {axis}")
    if not axes:
        return arr
    return arr[
        tuple(slice(None, None, -1) if d in axes else slice(None) for d in range(arr.type.ndim))
    ]


# ---------------------------------------------------------------------------
# fill_diagonal
# ---------------------------------------------------------------------------


class FillDiagonal(ShapedOp, Op):
    """A copy of ``a`` with its main diagonal set to the scalar ``val``."""

    __props__ = ()

    def make_node(self, a: Any, val: Any) -> Apply:  # type: ignore[override]
        a, val = _as_tensor(a), _as_tensor(val)
        if a.type.ndim < 2:
            raise TypeError(f"{self}: the array {a} must have at least 2 dimensions, got {a.type}")
        if val.type.ndim != 0:
            raise TypeError(f"{self}: the value {val} must be 0-d, got {val.type}")
        if upcast(a.type.dtype, val.type.dtype) != a.type.dtype:
            raise TypeError(
                f"{self}: the value {val} ({val.type.dtype}) does not fit in the array's "
                f"dtype {a.type.dtype}"
            )
        if a.type.ndim > 2:
            known = {s for s in a.type.shape if s is not None}
            if len(known) > 1:
                raise ValueError(
                    f"{self}: all dimensions of the {a.type.ndim}-d input {a} must be equal, "
                    f"got {a.type.shape}"
                )
        (shape,) = self.static_shapes([a, val])
        return Apply(self, [a, val], [TensorType(a.type.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [tuple(input_shapes[0])]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        a, val = inputs
        if a.ndim > 2 and len(set(a.shape)) > 1:
            raise ValueError(
                f"{self}: all dimensions of the {a.ndim}-d input must be equal, got shape {a.shape}"
            )
        out = a.copy()
        np.fill_diagonal(out, val)
        output_storage[0][0] = out

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """To ``a``: the cotangent off the diagonal; to ``val``: the sum over the diagonal."""
        from pytensor.tensor._extra_grad import fill_diagonal_pullback

        return list(fill_diagonal_pullback(cotangents[0]))


def fill_diagonal(a: Any, val: Any) -> Any:
    """A copy of ``a`` whose main diagonal (``a[i, i, ..., i]``) is set to ``val``.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> pt.fill_diagonal(np.zeros((2, 3)), 5.0).eval()
    array([[5., 0., 0.],
           [0., 5., 0.]])
    """
    return FillDiagonal()(a, val)
