"""Flat and multi-dimensional indices: ``ravel_multi_index``, ``unravel_index``.

Layer: pytensor-tensor.
Re-exported by :mod:`pytensor.tensor.extra_ops`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.type import TensorType

__all__ = ["RavelMultiIndex", "UnravelIndex", "ravel_multi_index", "unravel_index"]

_INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def _as_tensor(x: Any, **kw: Any) -> Any:
    from pytensor.tensor.basic import as_tensor_variable

    return as_tensor_variable(x, **kw)


# ---------------------------------------------------------------------------
# ravel_multi_index / unravel_index
# ---------------------------------------------------------------------------


def _dims_vector(op: Any, dims: Any) -> Any:
    dims = _as_tensor(dims)
    if dims.type.ndim != 1 or dims.type.dtype not in _INTS:
        raise TypeError(f"{op}: dims {dims} must be an integer vector, got {dims.type}")
    if dims.type.shape[0] is None:
        raise ValueError(f"{op}: the number of dims ({dims}) must be known when the graph is built")
    return dims


class UnravelIndex(ShapedOp, Op):
    """Coordinate arrays of flat indices into an array of shape ``dims`` (``np.unravel_index``)."""

    __props__ = ("order",)

    def __init__(self, order: str = "C") -> None:
        if order not in ("C", "F"):
            raise ValueError(f"UnravelIndex: order must be 'C' or 'F', got {order!r}")
        self.order = order

    def make_node(self, indices: Any, dims: Any) -> Apply:  # type: ignore[override]
        indices = _as_tensor(indices)
        if indices.type.dtype not in _INTS:
            raise TypeError(f"{self}: indices {indices} must be integers, got {indices.type.dtype}")
        dims = _dims_vector(self, dims)
        shapes = self.static_shapes([indices, dims])
        return Apply(self, [indices, dims], [TensorType("int64", s)() for s in shapes])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [tuple(input_shapes[0])] * inputs[1].type.shape[0]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        indices, dims = inputs
        res = np.unravel_index(indices, tuple(int(d) for d in dims), order=self.order)
        for cell, r in zip(output_storage, res, strict=True):
            cell[0] = np.array(r, dtype="int64")

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Integer inputs and outputs: every input is disconnected."""
        return _disconnected(inputs)


def unravel_index(indices: Any, dims: Any, order: str = "C") -> tuple[Any, ...]:
    """A tuple of int64 coordinate arrays, one per dimension of ``dims``, for the flat ``indices``.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> [c.eval() for c in pt.unravel_index([5, 7], (2, 4))]
    [array([1, 1]), array([1, 3])]
    """
    res = UnravelIndex(order=order)(indices, dims, return_list=True)
    return tuple(res)


class RavelMultiIndex(ShapedOp, Op):
    """Flat indices from coordinate arrays into an array of shape ``dims``.

    Like ``numpy.ravel_multi_index``.

    Inputs are the coordinate arrays followed by ``dims``; the coordinate
    arrays broadcast against each other under the usual static rules.
    """

    __props__ = ("mode", "order")

    def __init__(self, mode: str = "raise", order: str = "C") -> None:
        if mode not in ("raise", "wrap", "clip"):
            raise ValueError(
                f"RavelMultiIndex: mode must be 'raise', 'wrap' or 'clip', got {mode!r}"
            )
        if order not in ("C", "F"):
            raise ValueError(f"RavelMultiIndex: order must be 'C' or 'F', got {order!r}")
        self.mode = mode
        self.order = order

    def make_node(self, *inp: Any) -> Apply:
        if len(inp) < 2:
            raise TypeError(f"{self}: needs at least one coordinate array and dims")
        multi = [_as_tensor(i) for i in inp[:-1]]
        for k, m in enumerate(multi):
            if m.type.dtype not in _INTS:
                raise TypeError(
                    f"{self}: coordinate array {k} ({m}) must be integers, got {m.type.dtype}"
                )
        dims = _dims_vector(self, inp[-1])
        if dims.type.shape[0] != len(multi):
            raise ValueError(
                f"{self}: {len(multi)} coordinate arrays for {dims.type.shape[0]} dims"
            )
        ndim = max(m.type.ndim for m in multi)
        multi = [
            m
            if m.type.ndim == ndim
            else m.dimshuffle(["x"] * (ndim - m.type.ndim) + list(range(m.type.ndim)))
            for m in multi
        ]
        (shape,) = self.static_shapes([*multi, dims])
        return Apply(self, [*multi, dims], [TensorType("int64", shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [S.broadcast(self, inputs[:-1], list(input_shapes[:-1]))]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        *multi, dims = inputs
        _check_no_runtime_broadcast(self, node.inputs[:-1], multi)
        res = np.ravel_multi_index(
            tuple(multi), tuple(int(d) for d in dims), mode=self.mode, order=self.order
        )
        output_storage[0][0] = np.asarray(res, dtype="int64")

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Integer inputs and outputs: every input is disconnected."""
        return _disconnected(inputs)


def _disconnected(inputs: Sequence[Variable]) -> list[Any]:
    from pytensor.gradient import disconnected_type

    return [disconnected_type() for _ in inputs]


def _check_no_runtime_broadcast(
    op: Any, variables: Sequence[Variable], values: Sequence[np.ndarray]
) -> None:
    for d in range(len(values[0].shape)):
        lengths = {
            v.shape[d] for var, v in zip(variables, values, strict=True) if var.type.shape[d] != 1
        }
        if len(lengths) > 1:
            shapes = ", ".join(str(v.shape) for v in values)
            raise ValueError(
                f"{op}: shapes {shapes} do not match at dimension {d}; only dimensions of static "
                "length 1 broadcast"
            )


def ravel_multi_index(
    multi_index: Sequence[Any], dims: Any, mode: str = "raise", order: str = "C"
) -> Any:
    """Flat int64 indices for the coordinate arrays ``multi_index`` into an array of shape ``dims``.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.ravel_multi_index(([1, 1], [1, 3]), (2, 4)).eval()
    array([5, 7])
    """
    if not isinstance(multi_index, tuple | list):
        raise TypeError(
            "ravel_multi_index: multi_index must be a tuple or list of arrays, "
            f"got {type(multi_index).__name__}"
        )
    return RavelMultiIndex(mode=mode, order=order)(*multi_index, dims)
