"""Shape Ops: reading, asserting and changing the shape of tensors (layer: pytensor-tensor).

``Shape``/``Shape_i`` read shapes, ``SpecifyShape`` refines a static shape
with a run-time check, ``Reshape`` changes the shape; the padding helpers
add length-1 dimensions.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from numpy.exceptions import AxisError

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import STATIC, ShapedOp
from pytensor.tensor._type_other import NoneConst, NoneTypeT
from pytensor.tensor.basic import as_tensor_variable, constant, get_scalar_constant_value
from pytensor.tensor.exceptions import NotScalarConstantError
from pytensor.tensor.type import TensorType, _fmt_shape, int_dtypes
from pytensor.tensor.variable import TensorVariable

__all__ = [
    "Reshape",
    "Shape",
    "Shape_i",
    "SpecifyShape",
    "reshape",
    "shape",
    "shape_i",
    "shape_i_op",
    "shape_padaxis",
    "shape_padleft",
    "shape_padright",
    "shape_tuple",
    "specify_broadcastable",
    "specify_shape",
]


def _static_int(v: Any) -> int | None:
    try:
        return int(get_scalar_constant_value(v))
    except (NotScalarConstantError, TypeError, ValueError):
        return None


def _int_scalar(value: Any, op: Any, what: str) -> Variable:
    """``value`` as a 0-d integer tensor, or TypeError naming ``op`` and ``what``."""
    v = as_tensor_variable(value)
    if v.type.ndim != 0 or v.type.dtype not in int_dtypes:
        raise TypeError(f"{op}: {what} must be a scalar integer, got {value} of type {v.type}")
    return v


def _disconnected(inputs: Sequence[Variable]) -> list[Any]:
    """A disconnected gradient for each input (for outputs that only depend on shapes)."""
    from pytensor.gradient import disconnected_type

    return [disconnected_type() for _ in inputs]


class _ShapeVariable(TensorVariable):
    """The output of ``Shape``: indexing it with an int gives ``Shape_i``.

    So ``x.shape[i]`` carries the static length of dimension ``i`` when known
    (``get_scalar_constant_value`` looks through Shape_i), and ``*x.shape``
    unpacks into per-dimension lengths.
    """

    def __getitem__(self, args: Any) -> Any:
        node = self.owner
        if node is not None and isinstance(node.op, Shape) and _is_int_index(args):
            ndim = node.inputs[0].type.ndim
            i = int(args.data) if isinstance(args, Constant) else int(args)
            if not -ndim <= i < ndim:
                raise IndexError(
                    f"index {i} is out of range for the shape of {node.inputs[0]}, which has "
                    f"{ndim} dimensions"
                )
            return shape_i_op(i % ndim)(node.inputs[0])
        return super().__getitem__(args)


def _is_int_index(i: Any) -> bool:
    if isinstance(i, bool | np.bool_):
        return False
    if isinstance(i, int | np.integer):
        return True
    return (
        isinstance(i, Constant)
        and isinstance(i.type, TensorType)
        and i.type.ndim == 0
        and i.type.dtype in int_dtypes
    )


class Shape(ShapedOp, Op):
    """The shape of a tensor, as an int64 vector of static length ``ndim``.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> x = pt.matrix("x", shape=(2, None))
    >>> pt.shape(x).type.shape
    (2,)
    """

    __props__ = ()

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = as_tensor_variable(x)
        (shape,) = self.static_shapes([x])
        return Apply(self, [x], [_ShapeVariable(TensorType("int64", shape))])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [(S.const(len(input_shapes[0])),)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        output_storage[0][0] = np.asarray(np.shape(inputs[0]), dtype="int64")

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[False]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        return _disconnected(inputs)


_shape = Shape()


def shape(x: Any) -> Variable:
    """The symbolic shape of ``x`` (an int64 vector of length ``x.ndim``)."""
    return _shape(x)  # type: ignore[no-any-return]


class Shape_i(ShapedOp, Op):  # noqa: N801 (PyTensor's name)
    """The length of dimension ``i`` of a tensor, as an int64 scalar.

    A statically known length is visible to ``get_scalar_constant_value``.
    """

    __props__ = ("i",)

    def __init__(self, i: int) -> None:
        if not isinstance(i, int | np.integer) or isinstance(i, bool) or i < 0:
            raise TypeError(f"Shape_i: i must be an int >= 0, got {i!r}")
        self.i = int(i)

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = as_tensor_variable(x)
        if x.type.ndim <= self.i:
            raise ValueError(f"{self}: input {x} of type {x.type} has no dimension {self.i}")
        return Apply(self, [x], [TensorType("int64", ())()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [()]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        output_storage[0][0] = np.asarray(inputs[0].shape[self.i], dtype="int64")

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[False]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        return _disconnected(inputs)

    def __str__(self) -> str:
        return f"Shape_i{{{self.i}}}"


@cache
def shape_i_op(i: int) -> Shape_i:
    """The (shared) ``Shape_i(i)`` Op."""
    return Shape_i(i)


def shape_i(var: Any, i: int, fgraph: Any = None) -> Variable:
    """The length of dimension ``i`` of ``var`` as a symbolic int64 scalar.

    With a ``fgraph`` that has a shape feature, its shape for ``var`` is used.
    """
    if fgraph is not None and getattr(fgraph, "shape_feature", None) is not None:
        shape_of = fgraph.shape_feature.shape_of
        if var in shape_of:
            return shape_of[var][i]  # type: ignore[no-any-return]
    var = as_tensor_variable(var)
    if isinstance(var, Constant):
        return constant(np.asarray(var.data.shape[i], dtype="int64"))
    return shape_i_op(int(i))(var)  # type: ignore[no-any-return]


def shape_tuple(x: Any) -> tuple[Any, ...]:
    """The shape of ``x`` as a tuple: ints where the length is static, else Shape_i variables.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> shape_tuple(pt.matrix("x", shape=(3, None)))
    (3, Shape_i{1}.0)
    """
    x = as_tensor_variable(x)
    return tuple(s if s is not None else shape_i_op(d)(x) for d, s in enumerate(x.type.shape))


def _vector_entries(var: Variable, what: str) -> list[Any]:
    """The entries of an integer vector of known length, as ints or scalar variables."""
    from pytensor.tensor.basic import get_vector_length

    try:
        n = get_vector_length(var)
    except ValueError:
        raise ValueError(
            f"{what}: the length of the shape vector {var} is not known; "
            "give a tuple of scalars or a vector with a static length"
        ) from None
    if isinstance(var, Constant):
        return [int(v) for v in np.asarray(var.data).reshape(-1)]
    node = var.owner
    if node is not None and type(node.op).__name__ == "MakeVector":
        return list(node.inputs)
    if node is not None and isinstance(node.op, Shape):
        return list(shape_tuple(node.inputs[0]))
    return [var[k] for k in range(n)]  # type: ignore[index]


def _shape_spec_entries(shape: Any, what: str) -> list[Any]:
    """A shape given as an int, a scalar, a sequence or an integer vector, as a list of entries."""
    if isinstance(shape, Variable) and isinstance(shape.type, TensorType):
        if shape.type.ndim == 0:
            return [shape]
        if shape.type.ndim == 1:
            return _vector_entries(shape, what)
        raise ValueError(
            f"{what}: a shape must be a scalar or a vector, got {shape} of type {shape.type}"
        )
    if isinstance(shape, np.ndarray):
        if shape.ndim > 1:
            raise ValueError(
                f"{what}: a shape must be a scalar or a vector, got an array of shape {shape.shape}"
            )
        return [int(s) for s in shape.reshape(-1)]
    if isinstance(shape, Sequence) and not isinstance(shape, str):
        return list(shape)
    return [shape]


class SpecifyShape(ShapedOp, Op):
    """``x`` unchanged, with its shape asserted at run time and refined statically.

    Inputs are ``x`` and one entry per dimension: an integer scalar, or
    ``NoneConst`` for a dimension left unspecified.
    """

    __props__ = ()
    view_map = {0: [0]}

    def make_node(self, x: Any, *shape: Any) -> Apply:  # type: ignore[override]
        x = as_tensor_variable(x)
        if len(shape) != x.type.ndim:
            raise ValueError(
                f"{self}: input {x} has {x.type.ndim} dimensions (type {x.type}) but the specified "
                f"shape has {len(shape)} entries"
            )
        entries = [
            NoneConst
            if s is None or (isinstance(s, Variable) and isinstance(s.type, NoneTypeT))
            else _int_scalar(s, self, f"shape entry {d}")
            for d, s in enumerate(shape)
        ]
        (out_shape,) = self.static_shapes([x, *entries])
        return Apply(self, [x, *entries], [TensorType(x.type.dtype, out_shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        x, *entries = inputs
        xs = input_shapes[0]
        if not S.symbolic:
            self._check_static(x, entries)
        out = []
        for d, e in enumerate(entries):
            if isinstance(e.type, NoneTypeT):
                out.append(xs[d])
            else:
                out.append(S.equal(self, S.value(e), xs[d], f"dimension {d}"))
        return [tuple(out)]

    def _check_static(self, x: Variable, entries: Sequence[Variable]) -> None:
        wanted = tuple(None if isinstance(e.type, NoneTypeT) else STATIC.value(e) for e in entries)
        for d, (w, s) in enumerate(zip(wanted, x.type.shape, strict=True)):
            if w is not None and w < 0:
                raise ValueError(
                    f"{self}: dimension {d} of the specified shape {_fmt_shape(wanted)} is negative"
                )
            if w is not None and s is not None and w != s:
                raise ValueError(
                    f"{self}: input {x} has static shape {_fmt_shape(x.type.shape)}, which "
                    "contradicts the "
                    f"specified shape {_fmt_shape(wanted)} at dimension {d}"
                )

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, *shape = inputs
        if x.ndim != len(shape):
            raise AssertionError(
                f"{self}: input {node.inputs[0]} has {x.ndim} dimensions (shape {x.shape}), "
                f"expected {len(shape)}"
            )
        expected = tuple(None if s is None else int(s) for s in shape)
        if any(e is not None and e != n for e, n in zip(expected, x.shape, strict=True)):
            raise AssertionError(
                f"{self}: input {node.inputs[0]} has shape {x.shape}, expected shape "
                f"{_fmt_shape(expected)}"
            )
        output_storage[0][0] = x

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True]] + [[False]] * (len(node.inputs) - 1)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent, with the same shape assertion; the shape entries are disconnected."""
        return [self(cotangents[0], *inputs[1:]), *_disconnected(inputs[1:])]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(tangents[0], *inputs[1:])]


_specify_shape = SpecifyShape()


def specify_shape(x: Any, shape: Any) -> Variable:
    """``x`` with its shape asserted to be ``shape`` (checked at run time; refines the type).

    Parameters
    ----------
    x
        A tensor.
    shape
        An int (for a vector), a sequence with one entry per dimension (ints,
        integer scalars, or None for an unspecified length), or an integer
        vector of static length.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> x = pt.matrix("x")
    >>> pt.specify_shape(x, (None, 3)).type.shape
    (None, 3)
    """
    x = as_tensor_variable(x)
    entries = _shape_spec_entries(shape, "specify_shape")
    if len(entries) == x.type.ndim:
        static = [
            None if e is None or (isinstance(e, Variable) and isinstance(e.type, NoneTypeT)) else e
            for e in entries
        ]
        if all(
            e is None or (_static_int(e) is not None and _static_int(e) == s)
            for e, s in zip(static, x.type.shape, strict=True)
        ):
            return x
    return _specify_shape(x, *entries)  # type: ignore[no-any-return]


def specify_broadcastable(x: Any, *axes: int) -> Variable:
    """``x`` with the given axes asserted to have length 1 (so they broadcast).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.specify_broadcastable(pt.matrix("x"), 0).type.shape
    (1, None)
    """
    x = as_tensor_variable(x)
    if not axes:
        return x
    ndim = x.type.ndim
    for a in axes:
        if not isinstance(a, int | np.integer) or not -ndim <= a < ndim:
            raise AxisError(
                f"specify_broadcastable: axis {a!r} is out of range for {x} with {ndim} dimensions"
            )
    wanted = {int(a) % ndim for a in axes}
    return specify_shape(x, tuple(1 if d in wanted else None for d in range(ndim)))


class Reshape(ShapedOp, Op):
    """``x`` reshaped to the shape given by an integer vector of length ``ndim``.

    One entry may be -1: it is inferred from the size of ``x``. Static
    lengths are inferred where the sizes are known; a size that cannot match
    raises at graph-build time.
    """

    __props__ = ("ndim",)
    view_map = {0: [0]}

    def __init__(self, ndim: int) -> None:
        if not isinstance(ndim, int | np.integer) or isinstance(ndim, bool) or ndim < 0:
            raise TypeError(f"Reshape: ndim must be an int >= 0, got {ndim!r}")
        self.ndim = int(ndim)

    def __str__(self) -> str:
        return f"Reshape{{{self.ndim}}}"

    def make_node(self, x: Any, shp: Any) -> Apply:  # type: ignore[override]
        x = as_tensor_variable(x)
        shp = as_tensor_variable(shp)
        if shp.type.ndim != 1 or shp.type.dtype not in int_dtypes:
            raise TypeError(
                f"{self}: the shape input must be an integer vector, got {shp} of type {shp.type}"
            )
        if shp.type.shape[0] is not None and shp.type.shape[0] != self.ndim:
            raise ValueError(
                f"{self}: the shape input {shp} has {shp.type.shape[0]} entries, "
                f"expected {self.ndim}"
            )
        (out_shape,) = self.static_shapes([x, shp])
        return Apply(self, [x, shp], [TensorType(x.type.dtype, out_shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        x, shp = inputs
        (static,) = self._static(x, shp)
        if not S.symbolic:
            return [static]
        xs = input_shapes[0]
        entries = S.values(shp, self.ndim)
        size = S.prod(xs)
        has_static_neg = any(S.known(e) == -1 for e in entries)
        out = []
        for d, e in enumerate(entries):
            if static[d] is not None:
                out.append(static[d])
            elif S.known(e) == -1:
                others = [o for k, o in enumerate(entries) if k != d]
                out.append(S.floordiv(size, S.prod(others)))
            elif S.known(e) is not None or has_static_neg:
                out.append(e)
            else:
                from pytensor.tensor.basic import switch
                from pytensor.tensor.math import eq

                out.append(switch(eq(e, -1), S.floordiv(size, -S.prod(entries)), e))
        return [tuple(out)]

    def _static(self, x: Variable, shp: Variable) -> list[tuple[int | None, ...]]:
        entries = list(STATIC.values(shp, self.ndim))
        for d, e in enumerate(entries):
            if e is not None and e < -1:
                raise ValueError(
                    f"{self}: entry {d} of the new shape {_fmt_shape(entries)} is negative"
                )
        if sum(e == -1 for e in entries) > 1:
            raise ValueError(
                f"{self}: the new shape {_fmt_shape(entries)} has more than one -1 entry"
            )
        # Entries that are x's own (unknown) lengths cancel out of the size balance.
        matched = _matched_dims(x, shp, self.ndim)
        rest_x = [s for d, s in enumerate(x.type.shape) if d not in matched.values()]
        rest_idx = [k for k in range(self.ndim) if k not in matched]
        size = STATIC.prod(rest_x)
        out: list[int | None] = [e if e != -1 else None for e in entries]
        for k, d in matched.items():
            out[k] = x.type.shape[d]
        if size is None:
            return [tuple(out)]
        known = [entries[k] for k in rest_idx if entries[k] is not None and entries[k] != -1]
        open_idx = [k for k in rest_idx if entries[k] is None or entries[k] == -1]
        prod = int(np.prod(known, dtype=object)) if known else 1
        if not open_idx:
            if prod != size:
                self._raise_size(x, entries)
        elif len(open_idx) == 1:
            if prod == 0 or size % prod:
                if not (prod == 0 and size == 0 and entries[open_idx[0]] is None):
                    self._raise_size(x, entries)
            else:
                out[open_idx[0]] = size // prod
        return [tuple(out)]

    def _raise_size(self, x: Variable, entries: Sequence[int | None]) -> None:
        raise ValueError(
            f"{self}: cannot reshape input {x} of static shape {_fmt_shape(x.type.shape)} "
            f"into shape {_fmt_shape(entries)}: the sizes cannot match"
        )

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, shp = inputs
        if len(shp) != self.ndim:
            raise ValueError(
                f"{self}: the shape input has {len(shp)} entries, expected {self.ndim}"
            )
        new = tuple(int(s) for s in shp)
        try:
            res = np.reshape(x, new)
        except ValueError:
            raise ValueError(
                f"{self}: cannot reshape input {node.inputs[0]} of shape {x.shape} (size {x.size}) "
                f"into shape {new}"
            ) from None
        output_storage[0][0] = res

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True], [False]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent reshaped back to the input's shape; the shape input is disconnected."""
        x = inputs[0]
        return [
            reshape(cotangents[0], shape_tuple(x), ndim=x.type.ndim),
            *_disconnected(inputs[1:]),
        ]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(tangents[0], inputs[1])]


def _matched_dims(x: Variable, shp: Variable, n: int) -> dict[int, int]:
    """Entry index -> dimension d of ``x`` for entries ``Shape_i(d)(x)`` of unknown length."""
    node = shp.owner
    if node is None or type(node.op).__name__ != "MakeVector":
        return {}
    matched: dict[int, int] = {}
    for k, e in enumerate(node.inputs):
        while (
            e.owner is not None
            and type(e.owner.op).__name__ == "Elemwise"
            and type(getattr(e.owner.op, "scalar_op", None)).__name__ == "Cast"
        ):
            e = e.owner.inputs[0]
        if e.owner is not None and isinstance(e.owner.op, Shape_i) and e.owner.inputs[0] is x:
            d = e.owner.op.i
            if x.type.shape[d] is None and d not in matched.values():
                matched[k] = d
    return matched


def reshape(x: Any, newshape: Any, ndim: int | None = None) -> Variable:
    """``x`` with shape ``newshape`` (one entry may be -1).

    Parameters
    ----------
    newshape
        An int, a sequence of ints and integer scalars, or an integer vector.
    ndim
        The length of ``newshape``; needed only when it is a vector whose
        length is not known statically.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> x = pt.vector("x", shape=(6,))
    >>> y = pt.reshape(x, (2, -1))
    >>> y.type.shape
    (2, 3)
    >>> y.eval({x: np.arange(6.0)})
    array([[0., 1., 2.],
           [3., 4., 5.]])
    """
    from pytensor.tensor.basic import get_vector_length

    x = as_tensor_variable(x)
    if isinstance(newshape, int | np.integer) or (
        isinstance(newshape, Variable) and getattr(newshape.type, "ndim", None) == 0
    ):
        newshape = [newshape]
    if isinstance(newshape, list | tuple) and len(newshape) == 0:
        shp = constant(np.zeros((0,), dtype="int64"))
    else:
        shp = as_tensor_variable(newshape)
    if shp.type.ndim != 1:
        raise TypeError(f"reshape: newshape must be an int, a sequence or a vector, got {newshape}")
    if ndim is None:
        try:
            ndim = get_vector_length(shp)
        except ValueError:
            raise ValueError(
                f"reshape: the length of newshape {shp} is not known; pass ndim"
            ) from None
    return Reshape(ndim)(x, shp)  # type: ignore[no-any-return]


def shape_padleft(t: Any, n_ones: int = 1) -> Variable:
    """``t`` with ``n_ones`` length-1 dimensions added on the left.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.shape_padleft(pt.vector("v", shape=(3,)), 2).type.shape
    (1, 1, 3)
    """
    t = as_tensor_variable(t)
    if n_ones == 0:
        return t
    return t.dimshuffle(["x"] * n_ones + list(range(t.type.ndim)))  # type: ignore[attr-defined,no-any-return]


def shape_padright(t: Any, n_ones: int = 1) -> Variable:
    """``t`` with ``n_ones`` length-1 dimensions added on the right."""
    t = as_tensor_variable(t)
    if n_ones == 0:
        return t
    return t.dimshuffle(list(range(t.type.ndim)) + ["x"] * n_ones)  # type: ignore[attr-defined,no-any-return]


def shape_padaxis(t: Any, axis: int) -> Variable:
    """``t`` with a length-1 dimension inserted at position ``axis`` of the result.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.shape_padaxis(pt.matrix("m", shape=(2, 3)), -1).type.shape
    (2, 3, 1)
    """
    t = as_tensor_variable(t)
    ndim = t.type.ndim + 1
    if not isinstance(axis, int | np.integer) or not -ndim <= axis < ndim:
        raise AxisError(
            f"shape_padaxis: axis {axis!r} is out of range [-{ndim}, {ndim}) for {t} with "
            f"{ndim - 1} dimensions"
        )
    axis = int(axis) % ndim
    pattern: list[Any] = list(range(t.type.ndim))
    pattern.insert(axis, "x")
    return t.dimshuffle(pattern)  # type: ignore[attr-defined,no-any-return]
