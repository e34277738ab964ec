"""Indexing: ``Subtensor`` (basic indices, a view) and the index helpers (layer: pytensor-tensor).

PyTensor's path for every indexing name. The rest lives in private modules
re-exported here: ``IncSubtensor``, ``set_subtensor`` and ``inc_subtensor``
(``_inc_subtensor``); ``AdvancedSubtensor1`` and ``AdvancedSubtensor``
(``_advanced_subtensor``); their increment Ops (``_advanced_inc_subtensor``);
``take`` and ``take_along_axis`` (``_take``); and ``x[...]`` (``_getitem``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.op import Op
from pytensor.graph.type import Type
from pytensor.tensor._shape_calc import STATIC, ShapedOp
from pytensor.tensor._slicing import (
    get_canonical_form_slice,
    slice_length,
)
from pytensor.tensor.exceptions import AdvancedIndexingError, NotScalarConstantError
from pytensor.tensor.type import TensorType

__all__ = [
    "AdvancedIncSubtensor",
    "AdvancedIncSubtensor1",
    "AdvancedSubtensor",
    "AdvancedSubtensor1",
    "IncSubtensor",
    "Subtensor",
    "as_index_constant",
    "as_index_literal",
    "basic_shape",
    "flatten_index_variables",
    "get_canonical_form_slice",
    "get_constant_idx",
    "get_idx_list",
    "get_slice_elements",
    "inc_subtensor",
    "index_vars_to_types",
    "indices_from_subtensor",
    "set_subtensor",
    "slice_len",
    "take",
    "take_along_axis",
    "unflatten_index_variables",
]

_INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


# ---------------------------------------------------------------------------
# Index entries: conversion between Python values, constants and idx_list types
# ---------------------------------------------------------------------------


def as_index_constant(a: Any) -> Any:
    """Python ints of an index as int64 scalar constants (also in slices); variables pass.

    ``None`` stays ``None``; anything else goes through ``as_tensor_variable``.
    """
    if a is None or isinstance(a, Variable):
        return a
    if isinstance(a, slice):
        return slice(
            as_index_constant(a.start), as_index_constant(a.stop), as_index_constant(a.step)
        )
    if isinstance(a, int | np.integer) and not isinstance(a, bool | np.bool_):
        return ps.ScalarConstant(ps.int64, np.int64(a))
    from pytensor.tensor.basic import as_tensor_variable

    return as_tensor_variable(a)


def as_index_literal(idx: Any) -> Any:
    """The Python value of an index entry (int, slice of ints/None, or None).

    The inverse of :func:`as_index_constant`; raises NotScalarConstantError for
    an entry whose value is not known at graph-build time.
    """
    if idx is None or (isinstance(idx, int | np.integer) and not isinstance(idx, bool | np.bool_)):
        return idx
    if isinstance(idx, slice):
        return slice(
            as_index_literal(idx.start), as_index_literal(idx.stop), as_index_literal(idx.step)
        )
    if not isinstance(idx, Variable):
        raise TypeError(f"not an index entry: {idx!r}")
    if isinstance(idx, Constant):
        data = np.asarray(idx.data)
        if data.ndim == 0 and data.dtype.kind in "iu":
            return int(data)
        raise NotScalarConstantError(f"{idx} is not an integer scalar constant")
    if idx.owner is not None and type(idx.owner.op).__name__ in (
        "ScalarFromTensor",
        "TensorFromScalar",
    ):
        return as_index_literal(idx.owner.inputs[0])
    raise NotScalarConstantError(f"{idx} is not a constant index")


def _scalar_index_type(op: Any, entry: Any) -> ps.ScalarType:
    """The scalar type of an integer index variable, or TypeError naming ``op``."""
    t = entry.type
    if isinstance(t, ps.ScalarType) or (isinstance(t, TensorType) and t.ndim == 0):
        if t.dtype in _INT_DTYPES:
            return ps.get_scalar_type(t.dtype)
        raise TypeError(f"{op}: index {entry} has dtype {t.dtype}; indices must be integers")
    raise TypeError(f"{op}: index {entry} of type {t} is not a 0-d integer; {_ADVANCED_HINT}")


def index_vars_to_types(entry: Any, slice_ok: bool = True) -> Any:
    """The idx_list entry of an index entry: an integer scalar type, a slice of those, or None.

    Integer variables and types (scalar or 0-d tensor) map to their scalar
    type. Raw Python ints raise TypeError (their values are node inputs, not
    part of the Op); anything else raises AdvancedIndexingError.
    """
    if entry is None:
        return entry
    if isinstance(entry, TensorType) and entry.ndim == 0 and entry.dtype in _INT_DTYPES:
        return ps.get_scalar_type(entry.dtype)
    if isinstance(entry, ps.ScalarType) and entry.dtype in _INT_DTYPES:
        return entry
    if slice_ok and isinstance(entry, slice):
        fields = (entry.start, entry.stop, entry.step)
        return slice(*(index_vars_to_types(f, slice_ok=False) for f in fields))
    if isinstance(entry, Variable):
        return _scalar_index_type("Subtensor", entry)
    if isinstance(entry, int | np.integer):
        raise TypeError(
            f"Subtensor: idx_list holds index types, not values; pass {entry!r} as an input"
        )
    raise AdvancedIndexingError(f"Subtensor: {entry!r} is not a basic index entry")


def flatten_index_variables(indices: Iterable[Any]) -> tuple[tuple[Any, ...], list[Variable]]:
    """Split index entries into an ``idx_list`` (types) and the flat list of index variables.

    Python ints become int64 constants; ``None`` slice fields stay ``None``.
    """
    idx_list: list[Any] = []
    flat: list[Variable] = []

    def one(v: Any) -> Any:
        if v is None:
            return None
        var = as_index_constant(v)
        t = _scalar_index_type("Subtensor", var)
        flat.append(_as_scalar_index(var))
        return t

    for entry in indices:
        if isinstance(entry, slice):
            idx_list.append(slice(one(entry.start), one(entry.stop), one(entry.step)))
        else:
            idx_list.append(one(entry))
    return tuple(idx_list), flat


def unflatten_index_variables(
    flat_indices: Sequence[Any], idx_list: Sequence[Any]
) -> tuple[Any, ...]:
    """Index entries (variables, slices of variables) from ``idx_list`` and the flat inputs."""
    it = iter(list(flat_indices))

    def one(t: Any) -> Any:
        return next(it) if isinstance(t, Type) else t

    out = tuple(
        slice(one(e.start), one(e.stop), one(e.step)) if isinstance(e, slice) else one(e)
        for e in idx_list
    )
    return out


def indices_from_subtensor(
    op_indices: Iterable[Any], idx_list: Sequence[Any] | None
) -> tuple[Any, ...]:
    """The index entries of a Subtensor node (from ``node.inputs[1:]`` and ``op.idx_list``)."""
    op_indices = list(op_indices)
    if not idx_list:
        return tuple(op_indices)
    return unflatten_index_variables(op_indices, idx_list)


def get_idx_list(inputs: Sequence[Any], idx_list: Sequence[Any]) -> tuple[Any, ...]:
    """The index entries of a Subtensor node from all its inputs (the indexed tensor first)."""
    return indices_from_subtensor(inputs[1:], idx_list)


def get_constant_idx(
    idx_list: Sequence[Any],
    inputs: Sequence[Any],
    allow_partial: bool = False,
    only_process_constants: bool = False,
    elemwise: bool = True,
) -> list[Any]:
    """The index entries of a Subtensor node as Python ints and slices.

    Entries whose value is unknown raise NotScalarConstantError, or with
    ``allow_partial`` are returned as the variables themselves.
    """
    from pytensor.tensor.basic import get_scalar_constant_value

    def value(v: Any) -> Any:
        if v is None:
            return None
        try:
            return int(
                get_scalar_constant_value(
                    v, elemwise=elemwise, only_process_constants=only_process_constants
                )
            )
        except NotScalarConstantError:
            if allow_partial:
                return v
            raise

    out: list[Any] = []
    for e in get_idx_list(inputs, idx_list):
        out.append(
            slice(value(e.start), value(e.stop), value(e.step))
            if isinstance(e, slice)
            else value(e)
        )
    return out


def get_slice_elements(
    idxs: Sequence[Any], cond: Any = lambda x: isinstance(x, Variable)
) -> list[Any]:
    """The entries of ``idxs`` (looking inside slices) that satisfy ``cond``."""
    out: list[Any] = []
    for e in idxs:
        fields = (e.start, e.stop, e.step) if isinstance(e, slice) else (e,)
        out.extend(f for f in fields if cond(f))
    return out


def slice_len(slc: slice, n: Any) -> Any:
    """The length of ``x[slc]`` for a dimension of length ``n`` (an int, or an int64 tensor)."""
    from pytensor.tensor._shape_calc import SYMBOLIC

    fields = [as_index_constant(f) for f in (slc.start, slc.stop, slc.step)]
    return slice_length(SYMBOLIC, n, *fields)


def basic_shape(shape: Sequence[Any], indices: Sequence[Any]) -> tuple[Any, ...]:
    """The shape of basic indexing with slices and ``None`` (new axes) applied to ``shape``."""
    out: list[Any] = []
    k = 0
    for idx in indices:
        if idx is None:
            out.append(1)
        elif isinstance(idx, slice):
            out.append(slice_len(idx, shape[k]))
            k += 1
        else:
            raise TypeError(f"basic_shape: {idx!r} is not a slice or None")
    return tuple(out)


def _as_scalar_index(v: Any) -> Variable:
    """An integer index variable (scalar or 0-d tensor) as a scalar variable."""
    if isinstance(v.type, ps.ScalarType):
        return v  # type: ignore[no-any-return]
    if isinstance(v, Constant):
        return ps.ScalarConstant(ps.get_scalar_type(v.type.dtype), np.asarray(v.data)[()])
    from pytensor.tensor.basic import scalar_from_tensor

    return scalar_from_tensor(v)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------
# The Op
# ---------------------------------------------------------------------------


def _entry_key(e: Any) -> Any:
    return ("slice", e.start, e.stop, e.step) if isinstance(e, slice) else e


def _entry_str(e: Any) -> str:
    if isinstance(e, slice):
        parts = ["" if f is None else "i" for f in (e.start, e.stop, e.step)]
        return ":".join(parts[:2]) if e.step is None else ":".join(parts)
    return "i"


class Subtensor(ShapedOp, Op):
    """Basic indexing ``x[idx]`` with integers and slices, as a view of ``x``.

    Parameters
    ----------
    idx_list
        One entry per indexed dimension (leading dimensions): an integer
        scalar type for an integer index, or a ``slice`` whose fields are such
        types or None. The index values themselves are the node's inputs
        after ``x``, in order.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> x = pt.matrix("x", shape=(10, 5))
    >>> x[1:3].type.shape, x[::2, 0].type.shape
    ((2, 5), (5,))
    """

    __props__ = ("idx_list",)
    view_map = {0: [0]}

    def __init__(self, idx_list: Iterable[Any]) -> None:
        self.idx_list = tuple(index_vars_to_types(e) for e in idx_list)
        for e in self.idx_list:
            if e is None:
                raise TypeError(
                    "Subtensor: idx_list entries are integer types or slices "
                    "(add new axes with DimShuffle)"
                )

    def __hash__(self) -> int:
        return hash((type(self), tuple(_entry_key(e) for e in self.idx_list)))

    def make_node(self, x: Any, *inputs: Any) -> Apply:  # type: ignore[override]
        from pytensor.tensor.basic import as_tensor_variable

        x = as_tensor_variable(x)
        idx_vars = _index_inputs(self, self.idx_list, x, inputs)
        (shape,) = self.static_shapes([x, *idx_vars])
        return Apply(self, [x, *idx_vars], [TensorType(x.type.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [_region_shape(self, self.idx_list, inputs[1:], input_shapes[0], S)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, *values = inputs
        # The trailing Ellipsis makes NumPy return a 0-d view rather than a scalar.
        output_storage[0][0] = x[_numpy_index(self, self.idx_list, x, values)]

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True]] + [[False]] * (len(node.inputs) - 1)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent written into zeros of the input's shape; indices are disconnected."""
        from pytensor.gradient import disconnected_type
        from pytensor.tensor._inc_subtensor import IncSubtensor
        from pytensor.tensor.basic import zeros_like

        x, *idx = inputs
        gx = IncSubtensor(self.idx_list)(zeros_like(x), cotangents[0], *idx)
        return [gx] + [disconnected_type() for _ in idx]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(tangents[0], *inputs[1:])]

    def __str__(self) -> str:
        return f"Subtensor{{{', '.join(_entry_str(e) for e in self.idx_list)}}}"


def _index_inputs(
    op: Any, idx_list: Sequence[Any], x: Variable, inputs: Sequence[Any]
) -> list[Variable]:
    """The index inputs of an indexing node over ``x``, checked against ``idx_list``.

    Python ints and 0-d integer tensors become scalar variables of the type
    ``idx_list`` expects (constants are converted when the value fits).
    Errors name ``op``.
    """
    expected = [t for t in get_slice_elements(idx_list, lambda f: isinstance(f, Type))]
    if len(inputs) != len(expected):
        raise TypeError(f"{op}: expected {len(expected)} index inputs, got {len(inputs)}")
    if len(idx_list) > x.type.ndim:
        raise IndexError(
            f"{op}: too many indices ({len(idx_list)}) for the {x.type.ndim}-d input {x}"
        )
    idx_vars = []
    for k, (v, t) in enumerate(zip(inputs, expected, strict=True)):
        var = as_index_constant(v)
        got = _scalar_index_type(op, var)
        if got != t:
            value = np.asarray(var.data)[()] if isinstance(var, Constant) else None
            if value is not None and np.asarray(value).astype(t.dtype) == value:
                var = ps.ScalarConstant(t, np.asarray(value).astype(t.dtype)[()])
            else:
                raise TypeError(
                    f"{op}: index input {k} ({var}) has dtype {got.dtype}, expected {t.dtype}"
                )
        idx_vars.append(_as_scalar_index(var))
    return idx_vars


def _region_shape(
    op: Any, idx_list: Sequence[Any], idx_vars: Sequence[Variable], xs: Sequence[Any], S: Any
) -> tuple[Any, ...]:
    """The shape of ``x[idx]`` for ``x`` of shape ``xs``, in the shape algebra ``S``.

    With ``S = STATIC`` a constant integer index out of a known length raises
    IndexError naming ``op``.
    """
    entries = unflatten_index_variables(list(idx_vars), idx_list)
    out: list[Any] = []
    for axis, e in enumerate(entries):
        if isinstance(e, slice):
            out.append(slice_length(S, xs[axis], e.start, e.stop, e.step, op=op, axis=axis))
        elif not S.symbolic:
            _check_static_index(op, e, xs[axis], axis)
    out.extend(xs[len(entries) :])
    return tuple(out)


def _numpy_index(
    op: Any, idx_list: Sequence[Any], x: np.ndarray, values: Sequence[Any]
) -> tuple[Any, ...]:
    """The NumPy basic index (ending with Ellipsis, so a 0-d result stays a view) for the values.

    Raises ValueError for a zero step and IndexError for an integer out of
    bounds, naming ``op``.
    """
    entries = unflatten_index_variables(values, idx_list)
    index: list[Any] = []
    for axis, e in enumerate(entries):
        if isinstance(e, slice):
            if e.step is not None and int(e.step) == 0:
                raise ValueError(f"{op}: slice step cannot be zero (axis {axis})")
            index.append(slice(*(None if f is None else int(f) for f in (e.start, e.stop, e.step))))
        else:
            k, n = int(e), x.shape[axis]
            if not -n <= k < n:
                raise IndexError(f"{op}: index {k} is out of bounds for axis {axis} with size {n}")
            index.append(k)
    return (*index, Ellipsis)


def _check_static_index(op: Any, e: Variable, n: int | None, axis: int) -> None:
    k = STATIC.value(e)
    if k is not None and n is not None and not -n <= k < n:
        raise IndexError(f"{op}: index {k} is out of bounds for axis {axis} with size {n}")


_ADVANCED_HINT = (
    "Subtensor takes basic indices only; index arrays and masks go through "
    "AdvancedSubtensor (x[...] chooses)"
)


# These modules build on the helpers above.
from pytensor.tensor._advanced_inc_subtensor import (  # noqa: E402
    AdvancedIncSubtensor,
    AdvancedIncSubtensor1,
)
from pytensor.tensor._advanced_subtensor import AdvancedSubtensor, AdvancedSubtensor1  # noqa: E402
from pytensor.tensor._getitem import getitem  # noqa: E402, F401 (TensorVariable.__getitem__)
from pytensor.tensor._inc_subtensor import (  # noqa: E402
    IncSubtensor,
    inc_subtensor,
    set_subtensor,
)
from pytensor.tensor._take import take, take_along_axis  # noqa: E402
