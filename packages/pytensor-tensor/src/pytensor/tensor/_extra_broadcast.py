"""Explicit broadcasting: ``BroadcastTo``, ``broadcast_arrays``, ``broadcast_shape``.

Layer: pytensor-tensor.

Re-exported by :mod:`pytensor.tensor.extra_ops`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.type import TensorType
from pytensor.tensor.utils import _static_int

__all__ = [
    "BroadcastTo",
    "broadcast_arrays",
    "broadcast_shape",
    "broadcast_shape_iter",
    "broadcast_to",
]

_INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def _fmt(shape: Sequence[Any]) -> str:
    return (
        "("
        + ", ".join("?" if s is None else str(s) for s in shape)
        + (",)" if len(shape) == 1 else ")")
    )


def _as_length(op: Any, v: Any, k: int) -> Variable:
    """A target length as a 0-d int64 tensor (TypeError naming ``op`` for anything else)."""
    from pytensor.tensor.basic import as_tensor_variable, cast

    if isinstance(v, bool | np.bool_):
        raise TypeError(f"{op}: length {k} of the target shape is the bool {v!r}, not an integer")
    var = (
        as_tensor_variable(v, dtype="int64")
        if isinstance(v, int | np.integer)
        else as_tensor_variable(v)
    )
    if var.type.ndim != 0 or var.type.dtype not in _INTS:
        raise TypeError(
            f"{op}: length {k} of the target shape must be a 0-d integer, "
            f"got {var} of type {var.type}"
        )
    return cast(var, "int64")


class BroadcastTo(ShapedOp, Op):
    """``numpy.broadcast_to``: ``x`` broadcast explicitly to a target shape.

    Inputs are ``x`` followed by one 0-d integer per target dimension. Unlike
    Elemwise, this Op broadcasts any dimension of ``x`` whose length is 1 at
    run time (explicit broadcasting), following NumPy's rules: ``x``'s
    dimensions align with the trailing target dimensions and each must have
    length 1 or the target length. Static lengths are refined from either side.
    The output is a new array.
    """

    __props__ = ()

    def make_node(self, x: Any, *shape: Any) -> Apply:  # type: ignore[override]
        from pytensor.tensor.basic import as_tensor_variable

        x = as_tensor_variable(x)
        dims = [_as_length(self, s, k) for k, s in enumerate(shape)]
        if x.type.ndim > len(dims):
            raise ValueError(
                f"{self}: cannot broadcast the {x.type.ndim}-d input {x} "
                f"to the {len(dims)}-d shape "
                f"{_fmt([_static_int(d) for d in dims])}"
            )
        (out,) = self.static_shapes([x, *dims])
        return Apply(self, [x, *dims], [TensorType(x.type.dtype, out)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        x, *dims = inputs
        offset = len(dims) - x.type.ndim
        out = []
        for k, d in enumerate(dims):
            length = S.value(d)
            known = S.known(length)
            if known is not None and known < 0:
                raise ValueError(
                    f"{self}: negative length {known} in the target shape (dimension {k})"
                )
            xs = x.type.shape[k - offset] if k >= offset else 1
            if xs is not None and xs != 1:
                if known is not None and known != xs:
                    targets = _fmt([_static_int(t) for t in dims])
                    raise ValueError(
                        f"{self}: cannot broadcast input {x} of static shape "
                        f"{_fmt(x.type.shape)} to shape "
                        f"{targets}: dimension {k} has length {xs}, not 1 or {known}"
                    )
                length = S.const(xs)
            out.append(length)
        return [tuple(out)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, *dims = inputs
        shape = tuple(int(d) for d in dims)
        try:
            view = np.broadcast_to(x, shape)
        except ValueError:
            raise ValueError(
                f"{self}: cannot broadcast an input of shape {x.shape} to shape {shape}: "
                "each input dimension "
                "must have length 1 or the target length"
            ) from None
        # A new, writeable array: later inplace Ops may write into the output.
        output_storage[0][0] = np.array(view, dtype=node.outputs[0].type.dtype)

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True]] + [[False]] * (len(node.inputs) - 1)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent summed over the broadcast dimensions; the target shape is disconnected."""
        from pytensor.gradient import disconnected_type
        from pytensor.tensor._extra_grad import broadcast_to_pullback

        x, *dims = inputs
        return [broadcast_to_pullback(x, cotangents[0]), *(disconnected_type() for _ in dims)]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(tangents[0], *inputs[1:])]


def _shape_entries(shape: Any) -> list[Any]:
    """The target lengths given as a tuple/list, an int, or an integer vector of static length."""
    from pytensor.tensor.basic import as_tensor_variable

    if isinstance(shape, list | tuple):
        return list(shape)
    if isinstance(shape, int | np.integer):
        return [shape]
    var = as_tensor_variable(shape)
    if var.type.ndim == 0:
        return [var]
    if var.type.ndim != 1 or var.type.shape[0] is None:
        raise ValueError(
            f"broadcast_to: the target shape {var} must be a vector of statically known length"
        )
    if isinstance(var, Constant):
        return [int(v) for v in np.asarray(var.data)]
    if var.owner is not None and type(var.owner.op).__name__ == "MakeVector":
        return list(var.owner.inputs)
    return [var[k] for k in range(var.type.shape[0])]


def broadcast_to(x: Any, shape: Any) -> Any:
    """``x`` broadcast to ``shape``, like ``numpy.broadcast_to``.

    Parameters
    ----------
    x
        The tensor to broadcast.
    shape
        The target shape: a tuple of ints and/or 0-d integer tensors, or an
        integer vector of statically known length (e.g. ``y.shape``).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> x = pt.vector("x", shape=(3,))
    >>> y = pt.broadcast_to(x, (2, 3))
    >>> y.type.shape
    (2, 3)
    >>> y.eval({x: [1.0, 2.0, 3.0]})
    array([[1., 2., 3.],
           [1., 2., 3.]])
    """
    return BroadcastTo()(x, *_shape_entries(shape))


def broadcast_arrays(*args: Any) -> list[Any]:
    """Broadcast tensors against each other.

    Elemwise rules apply: only dimensions of static length 1 broadcast.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> a, b = pt.broadcast_arrays(pt.vector("a", shape=(3,)), pt.matrix("b", shape=(2, 1)))
    >>> a.type.shape, b.type.shape
    ((2, 3), (2, 3))
    """
    import pytensor.scalar.basic as ps
    from pytensor.tensor.basic import as_tensor_variable
    from pytensor.tensor.elemwise import Elemwise

    tensors = [as_tensor_variable(a) for a in args]
    second = Elemwise(ps.second)
    out = []
    for i, a in enumerate(tensors):
        for j, other in enumerate(tensors):
            if j != i:
                a = second(other, a)
        out.append(a)
    return out


def _array_dims(a: Any) -> tuple[Any, ...]:
    from pytensor.tensor.basic import as_tensor_variable
    from pytensor.tensor.shape import Shape_i

    a = as_tensor_variable(a)
    return tuple(s if s is not None else Shape_i(d)(a) for d, s in enumerate(a.type.shape))


def _combine(lengths: list[Any], allow_runtime_broadcast: bool, shapes: Any) -> Any:
    from pytensor.tensor.basic import as_tensor_variable, cast
    from pytensor.tensor.math import maximum

    statics = [_static_int(v) for v in lengths]
    rest = [(v, s) for v, s in zip(lengths, statics, strict=True) if s != 1]
    if not rest:
        return as_tensor_variable(np.int64(1))
    known = {s for _, s in rest if s is not None}
    if len(known) > 1:
        raise ValueError(
            f"broadcast_shape: could not broadcast the shapes {shapes}: "
            f"lengths {sorted(known)} differ"
        )
    if known:
        return as_tensor_variable(np.int64(known.pop()))
    result = cast(as_tensor_variable(rest[0][0]), "int64")
    if allow_runtime_broadcast:
        for v, _ in rest[1:]:
            result = maximum(result, cast(as_tensor_variable(v), "int64"))
    return result


def broadcast_shape_iter(
    arrays: Iterable[Any], arrays_are_shapes: bool = False, allow_runtime_broadcast: bool = False
) -> tuple[Any, ...]:
    """The symbolic shape of broadcasting ``arrays``.

    ``arrays`` are tensors, or shape tuples with ``arrays_are_shapes``.

    Returns one 0-d int64 tensor per dimension. A dimension broadcasts only
    when its length is statically 1; known lengths that differ raise
    ValueError. Of several lengths unknown statically the first is used
    (they must agree at run time), or their maximum with
    ``allow_runtime_broadcast``.
    """
    arrays = list(arrays)
    shapes = [tuple(a) for a in arrays] if arrays_are_shapes else [_array_dims(a) for a in arrays]
    if not shapes:
        return ()
    ndim = max(len(s) for s in shapes)
    padded = [(1,) * (ndim - len(s)) + tuple(s) for s in shapes]
    printable = [tuple(_static_int(v) for v in s) for s in shapes]
    return tuple(
        _combine([p[d] for p in padded], allow_runtime_broadcast, printable) for d in range(ndim)
    )


def broadcast_shape(
    *arrays: Any, arrays_are_shapes: bool = False, allow_runtime_broadcast: bool = False
) -> tuple[Any, ...]:
    """The shape that broadcasting ``arrays`` gives, as a tuple of 0-d int64 tensors.

    Parameters
    ----------
    *arrays
        Tensors, or (with ``arrays_are_shapes=True``) shape tuples of ints and
        0-d integer tensors; a length that is the constant 1 broadcasts.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> [int(d.eval()) for d in pt.broadcast_shape((2, 1), (1, 3), arrays_are_shapes=True)]
    [2, 3]
    """
    return broadcast_shape_iter(
        arrays, arrays_are_shapes=arrays_are_shapes, allow_runtime_broadcast=allow_runtime_broadcast
    )
