"""Sorting: ``sort`` and ``argsort`` along an axis (layer: pytensor-tensor)."""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.type import TensorType

__all__ = ["ArgSortOp", "SortOp", "argsort", "sort"]

KIND = typing.Literal["quicksort", "mergesort", "heapsort", "stable"]
KIND_VALUES: tuple[str, ...] = typing.get_args(KIND)


def _parse_sort_args(kind: str | None, order: Any, stable: bool | None) -> str:
    if order is not None:
        raise ValueError(
            "sort/argsort: the order argument (for structured arrays) does not apply to tensors"
        )
    if stable is not None and kind is not None:
        raise ValueError("sort/argsort: give kind or stable, not both")
    if stable:
        return "stable"
    kind = "quicksort" if kind is None else kind
    if kind not in KIND_VALUES:
        raise ValueError(f"sort/argsort: kind must be one of {KIND_VALUES}, got {kind!r}")
    return kind


class _SortBase:
    """Shared checks of SortOp and ArgSortOp: inputs are (array, axis) with a 0-d integer axis.

    A plain mixin (not a ShapedOp itself), so that only the concrete Ops are ShapedOps.
    """

    kind: str

    def __init__(self, kind: str = "quicksort") -> None:
        if kind not in KIND_VALUES:
            raise ValueError(
                f"{type(self).__name__}: kind must be one of {KIND_VALUES}, got {kind!r}"
            )
        self.kind = kind

    def _out_dtype(self, x: Variable) -> str:
        raise NotImplementedError

    def make_node(self, input: Any, axis: Any = -1) -> Apply:  # type: ignore[override]
        from pytensor.tensor.basic import as_tensor_variable
        from pytensor.tensor.utils import _static_int

        x = as_tensor_variable(input)
        if axis is None:
            raise TypeError(
                f"{self}: axis=None is handled by sort()/argsort(), which flatten the input first"
            )
        axis = (
            as_tensor_variable(axis, dtype="int64")
            if isinstance(axis, int | np.integer)
            else as_tensor_variable(axis)
        )
        if axis.type.ndim != 0 or axis.type.dtype not in ("int8", "int16", "int32", "int64"):
            raise TypeError(
                f"{self}: the axis must be a 0-d signed integer tensor, "
                f"got {axis} of type {axis.type}"
            )
        if x.type.ndim == 0:
            raise ValueError(f"{self}: cannot sort the 0-d input {x} along an axis (use axis=None)")
        static_axis = _static_int(axis)
        if static_axis is not None and not -x.type.ndim <= static_axis < x.type.ndim:
            raise ValueError(
                f"{self}: axis {static_axis} is out of range for the {x.type.ndim}-d input {x}"
            )
        (shape,) = self.static_shapes([x, axis])
        return Apply(self, [x, axis], [TensorType(self._out_dtype(x), shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [tuple(input_shapes[0])]

    def _axis(self, x: np.ndarray, axis: Any) -> int:
        a = int(axis)
        if not -x.ndim <= a < x.ndim:
            raise ValueError(f"{self}: axis {a} is out of range for an input of shape {x.shape}")
        return a


class SortOp(_SortBase, ShapedOp, Op):
    """A sorted copy of an array along an axis (``numpy.sort``).

    Inputs are the array and a 0-d integer axis. NaNs sort to the end, as in
    NumPy; complex numbers sort by real part, then imaginary part.

    Parameters
    ----------
    kind
        "quicksort", "mergesort", "heapsort" or "stable"; "mergesort" and
        "stable" keep equal elements in their original order.
    """

    __props__ = ("kind",)

    def _out_dtype(self, x: Variable) -> str:
        return x.type.dtype  # type: ignore[no-any-return]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, axis = inputs
        res = np.sort(x, axis=self._axis(x, axis), kind=self.kind)  # type: ignore[call-overload]
        output_storage[0][0] = np.asarray(res, dtype=node.outputs[0].type.dtype)

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True], [False]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent scattered back through ``argsort``; the axis is disconnected."""
        from pytensor.gradient import disconnected_type
        from pytensor.tensor._extra_grad import sort_pullback

        x, axis = inputs
        return [sort_pullback(self, x, axis, cotangents[0]), disconnected_type()]

    def __str__(self) -> str:
        return f"SortOp{{{self.kind}}}"


class ArgSortOp(_SortBase, ShapedOp, Op):
    """The int64 indices that sort an array along an axis (``numpy.argsort``).

    Inputs are the array and a 0-d integer axis.

    Parameters
    ----------
    kind
        "quicksort", "mergesort", "heapsort" or "stable".
    """

    __props__ = ("kind",)

    def _out_dtype(self, x: Variable) -> str:
        return "int64"

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, axis = inputs
        res = np.argsort(x, axis=self._axis(x, axis), kind=self.kind)  # type: ignore[call-overload]
        output_storage[0][0] = np.asarray(res, dtype="int64")

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True], [False]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Indices are piecewise constant in the values: a zero gradient; the axis is disconnected."""
        from pytensor.configdefaults import config
        from pytensor.gradient import disconnected_type
        from pytensor.tensor._alloc import zeros_like

        return [zeros_like(inputs[0], dtype=config.floatX), disconnected_type()]

    def __str__(self) -> str:
        return f"ArgSortOp{{{self.kind}}}"


def _prepare(a: Any, axis: Any) -> tuple[Any, Any]:
    from pytensor.tensor.basic import as_tensor_variable

    a = as_tensor_variable(a)
    if axis is None:
        return a.flatten(), 0
    return a, axis


def sort(
    a: Any,
    axis: Any = -1,
    kind: str | None = None,
    order: Any = None,
    *,
    stable: bool | None = None,
) -> Any:
    """A sorted copy of ``a`` along ``axis``.

    Parameters
    ----------
    a
        The tensor to sort.
    axis
        The axis to sort along (an int or a 0-d integer tensor); None sorts the
        flattened array.
    kind
        "quicksort" (default), "mergesort", "heapsort" or "stable".
    order
        Accepted for NumPy compatibility; must be None.
    stable
        True is the same as ``kind="stable"``.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> x = pt.dvector("x")
    >>> pt.sort(x).eval({x: np.array([3.0, np.nan, 1.0])})
    array([ 1.,  3., nan])
    """
    kind = _parse_sort_args(kind, order, stable)
    a, axis = _prepare(a, axis)
    return SortOp(kind)(a, axis)


def argsort(
    a: Any,
    axis: Any = -1,
    kind: str | None = None,
    order: Any = None,
    *,
    stable: bool | None = None,
) -> Any:
    """The int64 indices that sort ``a`` along ``axis``.

    Parameters are as for :func:`sort`.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> x = pt.dvector("x")
    >>> pt.argsort(x).eval({x: np.array([3.0, 1.0, 2.0])})
    array([1, 2, 0])
    """
    kind = _parse_sort_args(kind, order, stable)
    a, axis = _prepare(a, axis)
    return ArgSortOp(kind)(a, axis)
