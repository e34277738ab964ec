"""Ops whose output lengths depend on the data: ``Unique``, ``BinCount`` (layer: pytensor-tensor).

Their data-dependent lengths are None statically and, symbolically, the
length of the output itself. Re-exported by :mod:`pytensor.tensor.extra_ops`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import SYMBOLIC, ShapedOp
from pytensor.tensor.type import TensorType

__all__ = ["BinCount", "Unique", "bincount", "unique"]

_INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32")


def _as_tensor(x: Any, **kw: Any) -> Any:
    from pytensor.tensor.basic import as_tensor_variable

    return as_tensor_variable(x, **kw)


def _small(S: Any, n: Any) -> Any:
    """A data-dependent length bounded by ``n``: exact when ``n`` is 0 or 1, else unknown (None)."""
    return n if S.known(n) in (0, 1) else None


class _DataDependentShape:
    """Mixin of ShapedOps whose ``_output_shapes`` gives None for lengths known only at run time.

    Symbolically such a length is the length of the output itself.
    """

    _output_shapes: Any

    def infer_shape(self, fgraph: Any, node: Apply, input_shapes: Sequence[Any]) -> list[Any]:
        from pytensor.tensor.shape import Shape_i

        shapes = self._output_shapes(node.inputs, input_shapes, SYMBOLIC)
        return [
            tuple(Shape_i(d)(out) if s is None else s for d, s in enumerate(shp))
            for out, shp in zip(node.outputs, shapes, strict=True)
        ]


class Unique(_DataDependentShape, ShapedOp, Op):
    """``numpy.unique``: sorted unique values, optionally with indices, inverse indices, counts.

    The inverse indices are always 1-d (raveled when ``axis`` is None), as in
    PyTensor. The number of unique values is known only at run time.

    Parameters
    ----------
    return_index, return_inverse, return_counts
        Which extra int64 outputs to produce, in this order.
    axis
        None (flatten) or a non-negative axis along which unique slices are found.
    """

    __props__ = ("return_index", "return_inverse", "return_counts", "axis")

    def __init__(
        self,
        return_index: bool = False,
        return_inverse: bool = False,
        return_counts: bool = False,
        axis: int | None = None,
    ) -> None:
        if axis is not None and (not isinstance(axis, int | np.integer) or axis < 0):
            raise ValueError(f"Unique: axis must be None or a non-negative int, got {axis!r}")
        self.return_index = bool(return_index)
        self.return_inverse = bool(return_inverse)
        self.return_counts = bool(return_counts)
        self.axis = None if axis is None else int(axis)

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = _as_tensor(x)
        if self.axis is not None and self.axis >= x.type.ndim:
            raise np.exceptions.AxisError(
                f"{self}: axis {self.axis} is out of range for the {x.type.ndim}-d input {x}"
            )
        shapes = self.static_shapes([x])
        dtypes = [x.type.dtype] + ["int64"] * (len(shapes) - 1)
        return Apply(self, [x], [TensorType(dt, s)() for dt, s in zip(dtypes, shapes, strict=True)])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        (xs,) = input_shapes
        n = S.prod(list(xs)) if self.axis is None else xs[self.axis]
        count = _small(S, n)
        if self.axis is None:
            shapes: list[Any] = [(count,)]
        else:
            shapes = [tuple(count if d == self.axis else s for d, s in enumerate(xs))]
        if self.return_index:
            shapes.append((count,))
        if self.return_inverse:
            shapes.append((n,))
        if self.return_counts:
            shapes.append((count,))
        return shapes

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (x,) = inputs
        res = np.unique(
            x,
            return_index=self.return_index,
            return_inverse=self.return_inverse,
            return_counts=self.return_counts,
            axis=self.axis,
        )
        if not isinstance(res, tuple):
            res = (res,)
        output_storage[0][0] = np.asarray(res[0], dtype=node.outputs[0].type.dtype)
        for cell, r in zip(output_storage[1:], res[1:], strict=True):
            cell[0] = np.asarray(r, dtype="int64").reshape(-1)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Each element gets the cotangent of its unique value (the integer outputs carry none)."""
        from pytensor.tensor._extra_grad import unique_pullback

        return [unique_pullback(self, inputs[0], outputs, cotangents[0])]


def unique(
    ar: Any,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: int | None = None,
) -> Any:
    """The sorted unique elements of ``ar`` (``numpy.unique``).

    Returns one variable, or a list when extra outputs are requested (in the
    order index, inverse, counts).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> values, counts = pt.unique([3, 1, 3, 2], return_counts=True)
    >>> values.eval(), counts.eval()
    (array([1, 2, 3]), array([1, 1, 2]))
    """
    ar = _as_tensor(ar)
    if axis is not None:
        if not -ar.type.ndim <= axis < ar.type.ndim:
            raise np.exceptions.AxisError(
                f"unique: axis {axis} is out of range for the {ar.type.ndim}-d input {ar}"
            )
        axis = int(axis) % ar.type.ndim
    return Unique(return_index, return_inverse, return_counts, axis)(ar)


class BinCount(_DataDependentShape, ShapedOp, Op):
    """``numpy.bincount``: occurrences (or summed weights) of each non-negative integer in a vector.

    Inputs are ``x``, ``minlength`` (0-d integer) and optionally ``weights``.
    Without weights the output is int64; with float weights it keeps their
    dtype (float32 stays float32), other weights give float64. The output
    length, ``max(max(x) + 1, minlength)``, is known only at run time.
    """

    __props__ = ()

    def make_node(self, x: Any, minlength: Any = 0, weights: Any = None) -> Apply:  # type: ignore[override]
        x = _as_tensor(x)
        if x.type.ndim != 1 or x.type.dtype not in ("bool", *_INTS):
            raise TypeError(
                f"{self}: x ({x}) must be a vector of non-negative integers, got {x.type}"
            )
        minlength = (
            _as_tensor(minlength, dtype="int64")
            if isinstance(minlength, int | np.integer)
            else _as_tensor(minlength)
        )
        if minlength.type.ndim != 0 or minlength.type.dtype not in _INTS:
            raise TypeError(
                f"{self}: minlength ({minlength}) must be a 0-d integer, got {minlength.type}"
            )
        inputs = [x, minlength]
        dtype = "int64"
        if weights is not None:
            weights = _as_tensor(weights)
            if weights.type.ndim != 1 or weights.type.dtype.startswith("complex"):
                raise TypeError(
                    f"{self}: weights ({weights}) must be a real vector, got {weights.type}"
                )
            dtype = weights.type.dtype if weights.type.dtype.startswith("float") else "float64"
            inputs.append(weights)
        (shape,) = self.static_shapes(inputs)
        return Apply(self, inputs, [TensorType(dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        if len(inputs) == 3:
            S.equal(
                self,
                input_shapes[0][0],
                input_shapes[2][0],
                f"lengths of x ({inputs[0]}) and weights ({inputs[2]})",
            )
        if S.known(input_shapes[0][0]) == 0:
            value = S.value(inputs[1])
            return [(value if S.known(value) is None else S.const(max(S.known(value), 0)),)]
        return [(None,)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, minlength, *rest = inputs
        weights = rest[0] if rest else None
        if x.size and x.min() < 0:
            raise ValueError(f"{self}: x must be non-negative, got a minimum of {x.min()}")
        if int(minlength) < 0:
            raise ValueError(f"{self}: minlength must be non-negative, got {int(minlength)}")
        if weights is not None and weights.shape != x.shape:
            raise ValueError(
                f"{self}: weights of shape {weights.shape} do not match x of shape {x.shape}"
            )
        res = np.bincount(x.astype("int64"), weights=weights, minlength=int(minlength))
        output_storage[0][0] = np.asarray(res, dtype=node.outputs[0].type.dtype)

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True], [False]] + [[True]] * (len(node.inputs) - 2)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """To the weights: the cotangent gathered at ``x``.

        ``x`` holds integers (no gradient) and ``minlength`` only pads: disconnected.
        """
        from pytensor.gradient import disconnected_type
        from pytensor.tensor._extra_grad import bincount_pullback

        grads: list[Any] = [disconnected_type(), disconnected_type()]
        if len(inputs) == 3:
            grads.append(bincount_pullback(inputs[0], cotangents[0]))
        return grads


def bincount(
    x: Any, weights: Any = None, minlength: Any = None, assert_nonneg: bool = False
) -> Any:
    """Counts of each value in a vector of non-negative integers (``numpy.bincount``).

    Parameters
    ----------
    x
        The integer vector.
    weights
        Optional vector of the same length: sum these instead of counting.
    minlength
        Minimum number of bins (None or 0: no minimum).
    assert_nonneg
        Accepted for compatibility; negative values always raise at run time.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.bincount([0, 1, 1, 3]).eval()
    array([1, 2, 0, 1])
    """
    return BinCount()(x, 0 if minlength is None else minlength, weights)
