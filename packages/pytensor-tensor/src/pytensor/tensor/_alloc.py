"""Allocation and filling: alloc, zeros/ones/full/empty(_like), fill, switch, MakeVector.

Layer: pytensor-tensor.

Re-exported by :mod:`pytensor.tensor.basic`, PyTensor's import path for these names.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import singledispatch
from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
from pytensor.configdefaults import config
from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable, cast, constant
from pytensor.tensor.elemwise import scalar_elemwise
from pytensor.tensor.shape import _shape_spec_entries, _static_int, shape_tuple
from pytensor.tensor.type import TensorType, _fmt_shape, int_dtypes

__all__ = [
    "Alloc",
    "AllocEmpty",
    "MakeVector",
    "alloc",
    "empty",
    "empty_like",
    "fill",
    "full",
    "full_like",
    "get_vector_length",
    "infer_static_shape",
    "make_vector",
    "ones",
    "ones_like",
    "second",
    "switch",
    "where",
    "zeros",
    "zeros_like",
]


def infer_static_shape(
    shape: Sequence[Any] | Variable, op: Any = "infer_static_shape"
) -> tuple[list[Variable], tuple[int | None, ...]]:
    """Shape entries as integer scalar variables, and the static shape they imply.

    Returns the validated entries and a tuple of ints (constant entries) or
    None. Non-integer entries raise TypeError, negative constants ValueError.
    """
    entries = _shape_spec_entries(shape, str(op)) if isinstance(shape, Variable) else list(shape)
    out: list[Variable] = []
    static: list[int | None] = []
    for d, s in enumerate(entries):
        v = as_tensor_variable(s)
        if v.type.ndim != 0 or v.type.dtype not in int_dtypes:
            raise TypeError(
                f"{op}: shape entry {d} must be a scalar integer, got {s} of type {v.type}"
            )
        value = _static_int(v)
        if value is not None and value < 0:
            raise ValueError(f"{op}: shape entry {d} is negative ({value})")
        out.append(v)
        static.append(value)
    return out, tuple(static)


class Alloc(ShapedOp, Op):
    """A new array of the given shape filled with ``value`` (broadcast from the right).

    ``alloc(value, *shape)``. Value dimensions of static length 1 broadcast;
    the others must match the shape (checked at build time when known, else
    at run time).
    """

    __props__ = ()

    def make_node(self, value: Any, *shape: Any) -> Apply:  # type: ignore[override]
        value = as_tensor_variable(value)
        entries, static = infer_static_shape(shape, self)
        if value.type.ndim > len(entries):
            raise TypeError(
                f"{self}: value {value} has {value.type.ndim} dimensions (type {value.type}), "
                f"more than the "
                f"{len(entries)} of the requested shape"
            )
        offset = len(static) - value.type.ndim
        for j, v in enumerate(value.type.shape):
            s = static[offset + j]
            if v is not None and v != 1 and s is not None and v != s:
                raise ValueError(
                    f"{self}: value {value} of static shape {_fmt_shape(value.type.shape)} cannot "
                    f"fill the shape {_fmt_shape(static)}: dimension {j} of the value has length "
                    f"{v}, the shape wants {s}"
                )
        (out_shape,) = self.static_shapes([value, *entries])
        return Apply(self, [value, *entries], [TensorType(value.type.dtype, out_shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        value, *entries = inputs
        vs = input_shapes[0]
        out = [S.value(e) for e in entries]
        offset = len(entries) - len(vs)
        for j, v in enumerate(vs):
            if value.type.shape[j] != 1:
                out[offset + j] = S.equal(self, out[offset + j], v, f"dimension {offset + j}")
        return [tuple(out)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        v, *shape = inputs
        sh = tuple(int(s) for s in shape)
        if any(s < 0 for s in sh):
            raise ValueError(f"{self}: negative length in the requested shape {sh}")
        offset = len(sh) - v.ndim
        static = node.inputs[0].type.shape
        for j in range(v.ndim):
            if static[j] != 1 and v.shape[j] != sh[offset + j]:
                hint = (
                    "; runtime broadcasting is not allowed: declare the dimension as length 1 "
                    "(e.g. with pt.specify_broadcastable)"
                    if v.shape[j] == 1
                    else ""
                )
                raise ValueError(
                    f"{self}: value {node.inputs[0]} of shape {v.shape} cannot fill the shape "
                    f"{sh}: dimension {j} of the value has length {v.shape[j]}, the shape wants "
                    f"{sh[offset + j]}{hint}"
                )
        out = np.empty(sh, dtype=node.outputs[0].type.dtype)
        out[...] = v
        output_storage[0][0] = out

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True]] + [[False] for _ in node.inputs[1:]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent summed over the new and broadcast dimensions; the shape is disconnected."""
        from pytensor.gradient import disconnected_type

        value, *shape = inputs
        return [_sum_to_value(cotangents[0], value), *(disconnected_type() for _ in shape)]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(tangents[0], *inputs[1:])]


def _sum_to_value(g: Variable, value: Variable) -> Variable:
    """``g`` summed over its leading dimensions and where ``value`` broadcast (static length 1)."""
    from pytensor.tensor.math import sum as pt_sum

    lead = g.type.ndim - value.type.ndim
    if lead:
        g = pt_sum(g, axis=tuple(range(lead)))
    axes = tuple(
        d
        for d, (vs, gs) in enumerate(zip(value.type.shape, g.type.shape, strict=True))
        if vs == 1 and gs != 1
    )
    return pt_sum(g, axis=axes, keepdims=True) if axes else g


alloc = Alloc()


class AllocEmpty(ShapedOp, Op):
    """A new array of the given shape and ``dtype`` whose values are not initialised."""

    __props__ = ("dtype",)

    def __init__(self, dtype: str) -> None:
        self.dtype = TensorType(dtype, ()).dtype

    def make_node(self, *shape: Any) -> Apply:  # type: ignore[override]
        entries, _ = infer_static_shape(shape, self)
        (out_shape,) = self.static_shapes(entries)
        return Apply(self, entries, [TensorType(self.dtype, out_shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [tuple(S.value(e) for e in inputs)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        sh = tuple(int(s) for s in inputs)
        if any(s < 0 for s in sh):
            raise ValueError(f"{self}: negative length in the requested shape {sh}")
        output_storage[0][0] = np.empty(sh, dtype=self.dtype)

    def do_constant_folding(self, fgraph: Any, node: Apply) -> bool:
        return False

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[False] for _ in node.inputs]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Only the shape depends on the inputs: every input is disconnected."""
        from pytensor.gradient import disconnected_type

        return [disconnected_type() for _ in inputs]


def empty(shape: Any, dtype: Any = None) -> Variable:
    """A new array of ``shape`` (int, sequence or integer vector) with uninitialised values.

    ``dtype`` defaults to ``config.floatX``.
    """
    return AllocEmpty(dtype if dtype is not None else config.floatX)(
        *_shape_spec_entries(shape, "empty")
    )  # type: ignore[no-any-return]


def empty_like(prototype: Any, dtype: Any = None) -> Variable:
    """A new uninitialised array with the shape of ``prototype``.

    The dtype is that of ``prototype`` unless ``dtype`` is given.
    """
    prototype = as_tensor_variable(prototype)
    return empty(shape_tuple(prototype), dtype if dtype is not None else prototype.type.dtype)


def zeros(shape: Any, dtype: Any = None) -> Variable:
    """An array of ``shape`` filled with zeros (``dtype`` defaults to ``config.floatX``).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.zeros((2, 3), dtype="int32").eval()
    array([[0, 0, 0],
           [0, 0, 0]], dtype=int32)
    """
    dtype = dtype if dtype is not None else config.floatX
    return alloc(np.array(0, dtype=dtype), *_shape_spec_entries(shape, "zeros"))  # type: ignore[no-any-return]


def ones(shape: Any, dtype: Any = None) -> Variable:
    """An array of ``shape`` filled with ones (``dtype`` defaults to ``config.floatX``)."""
    dtype = dtype if dtype is not None else config.floatX
    return alloc(np.array(1, dtype=dtype), *_shape_spec_entries(shape, "ones"))  # type: ignore[no-any-return]


def full(shape: Any, fill_value: Any, dtype: Any = None) -> Variable:
    """An array of ``shape`` filled with ``fill_value``.

    The dtype is ``dtype`` if given, else that of ``fill_value`` as a tensor.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.full(3, 7, dtype="int64").eval()
    array([7, 7, 7])
    """
    value = as_tensor_variable(fill_value)
    if dtype is not None:
        value = cast(value, np.dtype(dtype).name if dtype != "floatX" else dtype)
    return alloc(value, *_shape_spec_entries(shape, "full"))  # type: ignore[no-any-return]


second = scalar_elemwise(
    ps.second,
    "second",
    "``b`` broadcast to the shape of ``a`` and ``b`` (``fill``: the value of b in the shape of a).",
)
fill = second

switch = scalar_elemwise(
    ps.switch, "switch", "Elementwise ``ift if cond else iff`` (NumPy's three-argument ``where``)."
)


def where(cond: Any, ift: Any = None, iff: Any = None, **kwargs: Any) -> Any:
    """Elements of ``ift`` where ``cond`` is true, else of ``iff``.

    With only ``cond``, the indices of its non-zero elements (as ``nonzero``).

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> pt.where(np.array([True, False]), 1.0, -1.0).eval()
    array([ 1., -1.], dtype=float32)
    """
    if ift is not None and iff is not None:
        return switch(cond, ift, iff, **kwargs)
    if ift is None and iff is None:
        from pytensor.tensor._ranges import nonzero

        return nonzero(cond, **kwargs)
    raise ValueError("where: give both ift and iff, or neither")


def _filled_like(model: Any, value: Any, dtype: Any) -> Variable:
    model = as_tensor_variable(model)
    dtype = (
        model.type.dtype
        if dtype is None
        else (config.floatX if dtype == "floatX" else np.dtype(dtype).name)
    )
    return fill(model, constant(value, dtype=dtype))  # type: ignore[no-any-return]


def zeros_like(model: Any, dtype: Any = None, opt: bool = False) -> Variable:
    """Zeros with the shape of ``model`` (and its dtype unless ``dtype`` is given)."""
    return _filled_like(model, 0, dtype)


def ones_like(model: Any, dtype: Any = None, opt: bool = False) -> Variable:
    """Ones with the shape of ``model`` (and its dtype unless ``dtype`` is given)."""
    return _filled_like(model, 1, dtype)


def full_like(a: Any, fill_value: Any, dtype: Any = None) -> Variable:
    """``fill_value`` broadcast to the shape of ``a``.

    As in PyTensor, the dtype is that of ``fill_value`` (as a tensor) unless
    ``dtype`` is given.
    """
    value = as_tensor_variable(fill_value)
    if dtype is not None:
        value = cast(value, np.dtype(dtype).name if dtype != "floatX" else dtype)
    return fill(a, value)  # type: ignore[no-any-return]


class MakeVector(ShapedOp, Op):
    """A vector of ``dtype`` made of scalar inputs (each converted to ``dtype`` without loss).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> a, b = pt.lscalar("a"), pt.lscalar("b")
    >>> make_vector(a, b, 3).type.shape
    (3,)
    """

    __props__ = ("dtype",)

    def __init__(self, dtype: str = "int64") -> None:
        self.dtype = TensorType(dtype, ()).dtype

    def make_node(self, *inputs: Any) -> Apply:
        converted = []
        for k, i in enumerate(inputs):
            v = as_tensor_variable(i)
            if v.type.ndim != 0:
                raise TypeError(f"{self}: input {k} ({v}) must be a scalar, got type {v.type}")
            if v.type.dtype != self.dtype:
                if ps.upcast(v.type.dtype, self.dtype) != self.dtype:
                    raise TypeError(
                        f"{self}: input {k} ({v}) of dtype {v.type.dtype} cannot be converted to "
                        f"{self.dtype} "
                        "without loss"
                    )
                v = cast(v, self.dtype)
            converted.append(v)
        (out_shape,) = self.static_shapes(converted)
        return Apply(self, converted, [TensorType(self.dtype, out_shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [(S.const(len(inputs)),)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        output_storage[0][0] = np.array(
            [np.asarray(i).item() for i in inputs], dtype=self.dtype
        ).reshape(len(inputs))

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Entry ``k`` of the cotangent for input ``k``."""
        (g,) = cotangents
        return [g[k] for k in range(len(inputs))]  # type: ignore[index]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(*tangents)]


make_vector = MakeVector()


@singledispatch
def _get_vector_length(op: Any, var: Variable) -> int:
    """The length of ``var`` (computed by ``op``) when it is known; register Ops that can tell."""
    raise ValueError(f"Length of {var} cannot be determined")


def get_vector_length(v: Any) -> int:
    """The length of the vector ``v`` when it is known at graph-build time, else ValueError.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> get_vector_length(pt.as_tensor([1, 2, 3]))
    3
    """
    v = as_tensor_variable(v)
    if v.type.ndim != 1:
        raise TypeError(f"get_vector_length: {v} is not a vector (type {v.type})")
    if v.type.shape[0] is not None:
        return int(v.type.shape[0])
    if v.owner is not None:
        return _get_vector_length(v.owner.op, v)
    raise ValueError(f"Length of {v} cannot be determined")


@_get_vector_length.register(Alloc)
def _get_vector_length_alloc(op: Alloc, var: Variable) -> int:
    n = _static_int(var.owner.inputs[1])  # type: ignore[union-attr]
    if n is None:
        raise ValueError(f"Length of {var} cannot be determined")
    return n
