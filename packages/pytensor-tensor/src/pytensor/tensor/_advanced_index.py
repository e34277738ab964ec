"""Index entries of the advanced indexing Ops: types, inputs, shapes, NumPy indices (layer: pytensor-tensor).

An advanced Op (``AdvancedSubtensor``, ``AdvancedIncSubtensor``) carries an
``idx_list`` with one entry per index position, as ``Subtensor`` does:

* ``None`` -- a new axis of length 1 (``np.newaxis``), no input;
* a ``slice`` whose fields are integer scalar types (one input each) or None;
* a ``TensorType`` -- an index array input: integers of any rank (0-d
  included: next to an array, NumPy treats an integer as an array), or a
  boolean mask of any rank (it indexes as many dimensions as it has).

The index values are the node's inputs after the indexed tensor (and the
value, for the increment Ops), in ``idx_list`` order, so
``indices_from_subtensor(node.inputs[1:], op.idx_list)`` rebuilds the index.

The output shape follows NumPy: the index arrays (a mask counts as a vector of
its number of true entries) broadcast together; the broadcast dimensions
replace the first array's position when the arrays are adjacent in the index,
and go first otherwise. As everywhere in this library, index arrays broadcast
only along dimensions of static length 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
from pytensor.graph.basic import Constant, Variable
from pytensor.graph.type import Type
from pytensor.tensor._shape_calc import STATIC
from pytensor.tensor._slicing import slice_length
from pytensor.tensor.subtensor import (
    _INT_DTYPES,
    _as_scalar_index,
    _entry_key,
    _scalar_index_type,
    as_index_constant,
    index_vars_to_types,
)
from pytensor.tensor.type import TensorType, _fmt_shape

__all__: list[str] = []

#: Marks an advanced index in a list of output parts (basic parts are lengths).
_ADV = object()


def is_index_array_type(t: Any) -> bool:
    """Whether ``t`` is the type of an advanced index entry (an integer or boolean tensor)."""
    return isinstance(t, TensorType) and (t.dtype in _INT_DTYPES or t.dtype == "bool")


def _bad_index_dtype(op: Any, what: Any, dtype: str) -> TypeError:
    return TypeError(
        f"{op}: index {what} has dtype {dtype}; indices must be integers (or booleans for a mask)"
    )


def advanced_entry_type(op: str, entry: Any) -> Any:
    """The ``idx_list`` entry of an advanced Op for an index entry, a type or a variable.

    Index arrays keep their dtype and rank only (their lengths are the inputs'
    business), so Ops that index alike compare equal.
    """
    if entry is None:
        return None
    if isinstance(entry, slice):
        return index_vars_to_types(entry)
    t = entry.type if isinstance(entry, Variable) else entry
    if isinstance(t, ps.ScalarType):
        t = TensorType(t.dtype, ())
    if isinstance(t, TensorType):
        if not is_index_array_type(t):
            raise _bad_index_dtype(op, entry, t.dtype)
        return TensorType(t.dtype, (None,) * t.ndim)
    raise TypeError(f"{op}: {entry!r} is not an index entry (None, a slice or an index type)")


def entries_key(idx_list: Sequence[Any]) -> tuple[Any, ...]:
    """A hashable key of an ``idx_list`` (slices are not hashable)."""
    return tuple(_entry_key(e) for e in idx_list)


def entries_str(idx_list: Sequence[Any]) -> str:
    """A short description of an ``idx_list``: ``:``-style slices, ``i``/``b`` arrays, ``None``."""
    parts = []
    for e in idx_list:
        if e is None:
            parts.append("None")
        elif isinstance(e, slice):
            fields = ["" if f is None else "i" for f in (e.start, e.stop, e.step)]
            parts.append(":".join(fields[:2]) if e.step is None else ":".join(fields))
        else:
            kind = "bool" if e.dtype == "bool" else "int"
            parts.append(f"{kind}{e.ndim}d")
    return ", ".join(parts)


def consumed_dims(idx_list: Sequence[Any]) -> int:
    """How many dimensions of the indexed tensor the entries index."""
    n = 0
    for e in idx_list:
        if isinstance(e, slice):
            n += 1
        elif e is not None:
            n += e.ndim if e.dtype == "bool" else 1
    return n


def _flat_types(idx_list: Sequence[Any]) -> list[Type]:
    out: list[Type] = []
    for e in idx_list:
        if isinstance(e, slice):
            out.extend(f for f in (e.start, e.stop, e.step) if isinstance(f, Type))
        elif e is not None:
            out.append(e)
    return out


def _array_input(op: Any, k: int, v: Any, t: TensorType) -> Variable:
    from pytensor.tensor.basic import as_tensor_variable, constant, tensor_from_scalar

    var = v if isinstance(v, Variable) else as_tensor_variable(v)
    if isinstance(var.type, ps.ScalarType):
        var = tensor_from_scalar(var)
    if not isinstance(var.type, TensorType):
        raise TypeError(f"{op}: index input {k} ({var}) of type {var.type} is not a tensor")
    if not is_index_array_type(var.type):
        raise _bad_index_dtype(op, f"input {k} ({var})", var.type.dtype)
    if var.type.ndim != t.ndim:
        raise TypeError(
            f"{op}: index input {k} ({var}) has {var.type.ndim} dimensions, expected {t.ndim}"
        )
    if var.type.dtype != t.dtype:
        data = np.asarray(var.data) if isinstance(var, Constant) else None
        if data is not None and t.dtype != "bool" and np.array_equal(data.astype(t.dtype), data):
            return constant(data.astype(t.dtype))  # type: ignore[no-any-return]
        raise TypeError(
            f"{op}: index input {k} ({var}) has dtype {var.type.dtype}, expected {t.dtype}"
        )
    return var


def advanced_index_inputs(
    op: Any, idx_list: Sequence[Any], x: Variable, inputs: Sequence[Any]
) -> list[Variable]:
    """The index inputs of an advanced indexing node over ``x``, checked against ``idx_list``."""
    expected = _flat_types(idx_list)
    if len(inputs) != len(expected):
        raise TypeError(f"{op}: expected {len(expected)} index inputs, got {len(inputs)}")
    n = consumed_dims(idx_list)
    if n > x.type.ndim:
        raise IndexError(f"{op}: too many indices ({n}) for the {x.type.ndim}-d input {x}")
    out = []
    for k, (v, t) in enumerate(zip(inputs, expected, strict=True)):
        if isinstance(t, TensorType):
            out.append(_array_input(op, k, v, t))
            continue
        var = as_index_constant(v)
        got = _scalar_index_type(op, var)
        if got != t:
            if not isinstance(var, Constant):
                raise TypeError(
                    f"{op}: index input {k} ({var}) has dtype {got.dtype}, expected {t.dtype}"
                )
            var = ps.ScalarConstant(t, np.asarray(var.data).astype(t.dtype)[()])
        out.append(_as_scalar_index(var))
    return out


# ---------------------------------------------------------------------------
# Shapes (in a shape algebra S, see _shape_calc)
# ---------------------------------------------------------------------------


def place_parts(parts: Sequence[Any], adv_dims: Sequence[Any]) -> list[Any]:
    """Output lengths from the basic lengths in ``parts`` (``_ADV`` marks an index array).

    Adjacent index arrays put their broadcast dimensions where the first one
    is; separated ones (by a slice or a new axis) put them first.
    """
    where = [k for k, p in enumerate(parts) if p is _ADV]
    if not where:
        return list(parts)
    basic = [p for p in parts if p is not _ADV]
    if where[-1] - where[0] + 1 == len(where):
        return [*parts[: where[0]], *adv_dims, *parts[where[-1] + 1 :]]
    return [*adv_dims, *basic]


def broadcast_index_shapes(
    op: Any, shapes: Sequence[Sequence[Any]], statics: Sequence[Sequence[Any]], S: Any
) -> list[Any]:
    """The broadcast shape of the index arrays (NumPy rules, static length 1 only broadcasts)."""
    nd = max((len(s) for s in shapes), default=0)
    out: list[Any] = []
    for d in range(nd):
        cands = []
        for shp, st in zip(shapes, statics, strict=True):
            j = d - (nd - len(shp))
            if j >= 0 and st[j] != 1:
                cands.append((shp[j], st[j]))
        known = {st for _, st in cands if st is not None}
        if len(known) > 1 and not S.symbolic:
            desc = ", ".join(_fmt_shape(s) for s in statics)
            raise IndexError(
                f"{op}: the index arrays cannot be broadcast together (static shapes {desc})"
            )
        if known:
            out.append(S.const(known.pop()))
        elif cands:
            out.append(cands[0][0])
        else:
            out.append(S.const(1))
    return out


def mask_count(var: Variable, S: Any) -> Any:
    """The number of true entries of a boolean mask: an int when constant, else None or a graph."""
    if isinstance(var, Constant):
        return S.const(int(np.count_nonzero(var.data)))
    if not S.symbolic:
        return None
    from pytensor.tensor.basic import cast
    from pytensor.tensor.math import sum as pt_sum

    as_int = cast(var, "int64")
    return pt_sum(as_int) if var.type.ndim else as_int


def _dims(k: int, n: int) -> str:
    return f"the dimension {k}" if n == 1 else f"the dimensions {k}..{k + n - 1}"


def check_static_mask(op: Any, mask: Variable, x: Variable, xs: Sequence[Any], k: int) -> None:
    """A mask whose static shape differs from the dimensions it indexes raises IndexError."""
    ms = mask.type.shape
    own = tuple(xs[k : k + len(ms)])
    if any(m is not None and n is not None and m != n for m, n in zip(ms, own, strict=True)):
        raise IndexError(
            f"{op}: the boolean index {mask} of shape {_fmt_shape(ms)} does not match "
            f"{_dims(k, len(ms))} of {x} that it indexes, of shape {_fmt_shape(own)} (the "
            f"tensor has shape {_fmt_shape(tuple(xs))})"
        )


def check_static_bounds(op: Any, index: Variable, n: int | None, axis: int) -> None:
    """A constant integer index out of a known length raises IndexError naming axis, index, length."""
    if n is None or not isinstance(index, Constant):
        return
    data = np.asarray(index.data)
    bad = data[(data < -n) | (data >= n)]
    if bad.size:
        raise IndexError(
            f"{op}: index {int(bad.reshape(-1)[0])} is out of bounds for axis {axis} with size {n}"
        )


def advanced_shape(
    op: Any,
    idx_list: Sequence[Any],
    x: Variable,
    idx_vars: Sequence[Variable],
    xs: Sequence[Any],
    idx_shapes: Sequence[Any],
    S: Any,
) -> tuple[Any, ...]:
    """The shape of ``x[idx]`` (``x`` of shape ``xs``) in the algebra ``S``.

    With ``S = STATIC`` a constant index out of a known length, a mask of the
    wrong static shape and index arrays that cannot broadcast raise IndexError.
    """
    it = iter(zip(idx_vars, idx_shapes, strict=True))
    parts: list[Any] = []
    adv_shapes: list[Sequence[Any]] = []
    adv_statics: list[Sequence[Any]] = []
    k = 0
    for e in idx_list:
        if e is None:
            parts.append(S.const(1))
            continue
        if isinstance(e, slice):
            start, stop, step = (
                next(it)[0] if isinstance(f, Type) else None for f in (e.start, e.stop, e.step)
            )
            parts.append(slice_length(S, xs[k], start, stop, step, op=op, axis=k))
            k += 1
            continue
        var, shp = next(it)
        parts.append(_ADV)
        if e.dtype == "bool":
            if not S.symbolic:
                check_static_mask(op, var, x, xs, k)
            adv_shapes.append((mask_count(var, S),))
            adv_statics.append((mask_count(var, STATIC),))
            k += e.ndim
        else:
            if not S.symbolic:
                check_static_bounds(op, var, xs[k], k)
            adv_shapes.append(tuple(shp))
            adv_statics.append(var.type.shape)
            k += 1
    adv_dims = broadcast_index_shapes(op, adv_shapes, adv_statics, S)
    return (*place_parts(parts, adv_dims), *xs[k:])


# ---------------------------------------------------------------------------
# Run time: the NumPy index, checked
# ---------------------------------------------------------------------------


def _check_bounds(op: Any, index: np.ndarray, n: int, axis: int) -> None:
    if index.size == 0:
        return
    lo, hi = index.min(), index.max()
    if lo < -n or hi >= n:
        bad = lo if lo < -n else hi
        raise IndexError(f"{op}: index {int(bad)} is out of bounds for axis {axis} with size {n}")


def check_index_vector(op: Any, index: Any, n: int, axis: int = 0) -> np.ndarray:
    """An integer index array, bounds-checked against a dimension of length ``n``."""
    arr = np.asarray(index)
    _check_bounds(op, arr, n, axis)
    return arr


def _check_runtime_broadcast(
    op: Any, shapes: Sequence[tuple[int, ...]], statics: Sequence[Sequence[Any]]
) -> None:
    nd = max((len(s) for s in shapes), default=0)
    for d in range(nd):
        lengths = set()
        for shp, st in zip(shapes, statics, strict=True):
            j = d - (nd - len(shp))
            if j >= 0 and st[j] != 1:
                lengths.add(shp[j])
        if len(lengths) > 1:
            hint = (
                "; runtime broadcasting is not allowed: declare the length-1 dimension "
                "statically (e.g. with pt.specify_broadcastable)"
                if 1 in lengths
                else ""
            )
            desc = ", ".join(str(tuple(s)) for s in shapes)
            raise IndexError(
                f"{op}: the index arrays of shapes {desc} cannot be broadcast together{hint}"
            )


def _runtime_slice(op: Any, e: slice, values: Iterable[Any], axis: int) -> slice:
    it = iter(values)
    start, stop, step = (
        int(next(it)) if isinstance(f, Type) else None for f in (e.start, e.stop, e.step)
    )
    if step == 0:
        raise ValueError(f"{op}: slice step cannot be zero (axis {axis})")
    return slice(start, stop, step)


def numpy_advanced_index(
    op: Any,
    idx_list: Sequence[Any],
    x_shape: tuple[int, ...],
    index_vars: Sequence[Variable],
    values: Sequence[Any],
) -> tuple[tuple[Any, ...], tuple[int, ...]]:
    """(the checked NumPy index, the shape of the indexed region) for the index values.

    Raises IndexError naming ``op`` for an integer out of bounds (with the
    axis, the index and the length), a mask whose shape differs from the
    dimensions it indexes, and index arrays that do not broadcast; ValueError
    for a zero slice step.
    """
    it = iter(zip(index_vars, values, strict=True))
    index: list[Any] = []
    parts: list[Any] = []
    adv_shapes: list[tuple[int, ...]] = []
    adv_statics: list[Sequence[Any]] = []
    k = 0
    for e in idx_list:
        if e is None:
            index.append(None)
            parts.append(1)
        elif isinstance(e, slice):
            n_fields = sum(isinstance(f, Type) for f in (e.start, e.stop, e.step))
            fields = [next(it)[1] for _ in range(n_fields)]
            slc = _runtime_slice(op, e, fields, k)
            index.append(slc)
            parts.append(len(range(*slc.indices(x_shape[k]))))
            k += 1
        else:
            var, value = next(it)
            arr = np.asarray(value)
            parts.append(_ADV)
            if e.dtype == "bool":
                own = x_shape[k : k + arr.ndim]
                if arr.shape != own:
                    raise IndexError(
                        f"{op}: the boolean index {var} of shape {arr.shape} does not match "
                        f"{_dims(k, arr.ndim)} that it indexes, of shape {own} (the "
                        f"tensor has shape {x_shape})"
                    )
                count = int(np.count_nonzero(arr))
                adv_shapes.append((count,))
                adv_statics.append((mask_count(var, STATIC),))
                k += arr.ndim
            else:
                _check_bounds(op, arr, x_shape[k], k)
                adv_shapes.append(arr.shape)
                adv_statics.append(var.type.shape)
                k += 1
            index.append(arr)
    _check_runtime_broadcast(op, adv_shapes, adv_statics)
    adv_dims = list(np.broadcast_shapes(*adv_shapes)) if adv_shapes else []
    region = (*place_parts(parts, adv_dims), *x_shape[k:])
    return tuple(index), tuple(int(d) for d in region)
