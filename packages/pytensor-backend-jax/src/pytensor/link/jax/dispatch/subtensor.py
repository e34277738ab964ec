"""JAX implementations of indexing: ``Subtensor``, ``IncSubtensor`` and the advanced forms
(layer: pytensor-backend-jax), mirroring ``pytensor/tensor/subtensor.py``.

Slice bounds and boolean masks set the output shape, so they must be known at trace time.
Integer indices may be runtime values: their bounds are checked inside the compiled function
(JAX itself would clamp them) and raise the same IndexError as ``perform``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import jax.numpy as jnp
from pytensor.graph.basic import Apply
from pytensor.graph.type import Type
from pytensor.link.jax.dispatch.basic import (
    as_jax,
    is_concrete,
    jax_funcify,
    needs_static,
    record_check,
    static_int,
    static_value,
    ttype,
)
from pytensor.tensor._advanced_index import _ADV, _check_runtime_broadcast, place_parts
from pytensor.tensor._inc_subtensor import check_value_runtime
from pytensor.tensor.subtensor import (
    AdvancedIncSubtensor,
    AdvancedIncSubtensor1,
    AdvancedSubtensor,
    AdvancedSubtensor1,
    IncSubtensor,
    Subtensor,
)

__all__ = [
    "jax_funcify_AdvancedIncSubtensor",
    "jax_funcify_AdvancedIncSubtensor1",
    "jax_funcify_AdvancedSubtensor",
    "jax_funcify_AdvancedSubtensor1",
    "jax_funcify_IncSubtensor",
    "jax_funcify_Subtensor",
]


def check_bounds(op: Any, index: Any, n: int, axis: int) -> None:
    """IndexError (``perform``'s message) for an integer index outside ``[-n, n)``."""
    msg = f"{op}: index {{bad}} is out of bounds for axis {axis} with size {n}"
    if is_concrete(index):
        arr = np.asarray(index)
        if arr.size == 0:
            return
        lo, hi = arr.min(), arr.max()
        if lo < -n or hi >= n:
            bad = lo if lo < -n else hi
            raise IndexError(msg.replace("{bad}", str(int(bad))))
        return
    if np.size(index) == 0:
        return
    lo, hi = jnp.min(index), jnp.max(index)
    record_check((lo >= -n) & (hi < n), IndexError, msg, jnp.where(lo < -n, lo, hi))


def _slice_positions(idx_list: Sequence[Any], first: int) -> list[int]:
    """Input positions of the slice fields of ``idx_list`` (index inputs start at ``first``)."""
    out, k = [], first
    for e in idx_list:
        if isinstance(e, slice):
            for f in (e.start, e.stop, e.step):
                if isinstance(f, Type):
                    out.append(k)
                    k += 1
        elif isinstance(e, Type):
            k += 1
    return out


def _basic_index(
    op: Any, idx_list: Sequence[Any], xshape: Any, values: Sequence[Any]
) -> tuple[Any, ...]:
    it = iter(values)

    def one(f: Any) -> Any:
        return next(it) if isinstance(f, Type) else f

    index: list[Any] = []
    for axis, e in enumerate(idx_list):
        if isinstance(e, slice):
            fields = [one(f) for f in (e.start, e.stop, e.step)]
            fields = [None if f is None else static_int(f, op, "a slice bound") for f in fields]
            if fields[2] == 0:
                raise ValueError(f"{op}: slice step cannot be zero (axis {axis})")
            index.append(slice(*fields))
        else:
            k = one(e)
            check_bounds(op, k, xshape[axis], axis)
            index.append(int(np.asarray(k)) if is_concrete(k) else as_jax(k))
    return tuple(index)


@jax_funcify.register(Subtensor)
def jax_funcify_Subtensor(
    op: Subtensor, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    idx_list = op.idx_list

    def subtensor(x: Any, *values: Any) -> Any:
        return as_jax(x)[_basic_index(op, idx_list, np.shape(x), values)]

    return needs_static(subtensor, *_slice_positions(idx_list, 1))


def _inc(out: Any, index: Any, y: Any, set_instead: bool, dtype: str) -> Any:
    y = as_jax(y).astype(dtype)
    return out.at[index].set(y) if set_instead else out.at[index].add(y)


@jax_funcify.register(IncSubtensor)
def jax_funcify_IncSubtensor(
    op: IncSubtensor, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None
    idx_list = op.idx_list
    dtype = ttype(node.outputs[0]).dtype

    def inc_subtensor(x: Any, y: Any, *values: Any) -> Any:
        x = as_jax(x)
        index = _basic_index(op, idx_list, x.shape, values)
        region = np.empty(x.shape, dtype="int8")[_static_proxy(index)].shape
        check_value_runtime(op, op._verb, node, region, np.shape(y))
        return _inc(x, index, y, op.set_instead_of_inc, dtype)

    return needs_static(inc_subtensor, *_slice_positions(idx_list, 2))


def _static_proxy(index: tuple[Any, ...]) -> tuple[Any, ...]:
    """The index with runtime integers replaced by 0 (for computing the region's shape)."""
    return tuple(0 if not isinstance(i, slice | int) and i is not None else i for i in index)


@jax_funcify.register(AdvancedSubtensor1)
def jax_funcify_AdvancedSubtensor1(
    op: AdvancedSubtensor1, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    def advanced_subtensor1(x: Any, ilist: Any) -> Any:
        check_bounds(op, ilist, np.shape(x)[0], 0)
        return jnp.take(as_jax(x), as_jax(ilist), axis=0, mode="wrap")

    return advanced_subtensor1


@jax_funcify.register(AdvancedIncSubtensor1)
def jax_funcify_AdvancedIncSubtensor1(
    op: AdvancedIncSubtensor1, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None
    dtype = ttype(node.outputs[0]).dtype

    def advanced_inc_subtensor1(x: Any, y: Any, ilist: Any) -> Any:
        xshape = np.shape(x)
        check_bounds(op, ilist, xshape[0], 0)
        check_value_runtime(op, op._verb, node, (np.size(ilist), *xshape[1:]), np.shape(y))
        return _inc(as_jax(x), as_jax(ilist), y, op.set_instead_of_inc, dtype)

    return advanced_inc_subtensor1


def _advanced_index(
    op: Any,
    idx_list: Sequence[Any],
    xshape: tuple[int, ...],
    index_vars: Sequence[Any],
    values: Sequence[Any],
) -> tuple[tuple[Any, ...], tuple[int, ...]]:
    """(the JAX index, the region's shape), checked as ``numpy_advanced_index`` checks."""
    it = iter(zip(index_vars, values, strict=True))
    index: list[Any] = []
    parts: list[Any] = []
    shapes: list[tuple[int, ...]] = []
    statics: list[Any] = []
    k = 0
    for e in idx_list:
        if e is None:
            index.append(None)
            parts.append(1)
        elif isinstance(e, slice):
            fields = [
                static_int(next(it)[1], op, "a slice bound") if isinstance(f, Type) else None
                for f in (e.start, e.stop, e.step)
            ]
            if fields[2] == 0:
                raise ValueError(f"{op}: slice step cannot be zero (axis {k})")
            slc = slice(*fields)
            index.append(slc)
            parts.append(len(range(*slc.indices(xshape[k]))))
            k += 1
        else:
            var, value = next(it)
            parts.append(_ADV)
            if e.dtype == "bool":
                arr = static_value(value, op, f"the boolean index {var} (it sets the shape)")
                if arr.ndim == 0:
                    # A 0-d mask adds an axis of length 1 (True) or 0 (False), as in NumPy.
                    shapes.append((int(bool(arr)),))
                    statics.append((int(bool(arr)),))
                    index.append(bool(arr))
                    continue
                own = xshape[k : k + arr.ndim]
                if arr.shape != own:
                    raise IndexError(
                        f"{op}: the boolean index {var} of shape {arr.shape} does not match "
                        f"{_dims(k, arr.ndim)} that it indexes, of shape {own} (the tensor has "
                        f"shape {xshape})"
                    )
                from pytensor.tensor._advanced_index import mask_count
                from pytensor.tensor._shape_calc import STATIC

                shapes.append((int(np.count_nonzero(arr)),))
                statics.append((mask_count(var, STATIC),))
                index.extend(np.nonzero(arr))
                k += arr.ndim
                continue
            check_bounds(op, value, xshape[k], k)
            shapes.append(np.shape(value))
            statics.append(ttype(var).shape)
            index.append(np.asarray(value) if is_concrete(value) else value)
            k += 1
    _check_runtime_broadcast(op, shapes, statics)
    adv = list(np.broadcast_shapes(*shapes)) if shapes else []
    region = (*place_parts(parts, adv), *xshape[k:])
    return tuple(index), tuple(int(d) for d in region)


def _dims(k: int, n: int) -> str:
    return f"the dimension {k}" if n == 1 else f"the dimensions {k}..{k + n - 1}"


def _mask_positions(idx_list: Sequence[Any], first: int) -> list[int]:
    out, k = [], first
    for e in idx_list:
        if isinstance(e, slice):
            k += sum(isinstance(f, Type) for f in (e.start, e.stop, e.step))
        elif e is not None:
            if getattr(e, "dtype", None) == "bool":
                out.append(k)
            k += 1
    return out


@jax_funcify.register(AdvancedSubtensor)
def jax_funcify_AdvancedSubtensor(
    op: AdvancedSubtensor, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None
    idx_list = op.idx_list
    index_vars = node.inputs[1:]

    def advanced_subtensor(x: Any, *values: Any) -> Any:
        index, _ = _advanced_index(op, idx_list, np.shape(x), index_vars, values)
        return as_jax(x)[index]

    static = _slice_positions(idx_list, 1) + _mask_positions(idx_list, 1)
    return needs_static(advanced_subtensor, *static)


def _masked_write(op: AdvancedIncSubtensor, node: Apply) -> Callable[..., Any] | None:
    """``x[mask] = y`` (or ``+=``) with one boolean mask and a 0-d ``y``: a ``where``, whose
    shape does not depend on the mask, so the mask may be a runtime value."""
    (entry,) = op.idx_list if len(op.idx_list) == 1 else (None,)
    if getattr(entry, "dtype", None) != "bool" or ttype(node.inputs[1]).ndim != 0:
        return None
    dtype = ttype(node.outputs[0]).dtype
    mask_var = node.inputs[2]

    def masked_write(x: Any, y: Any, mask: Any) -> Any:
        x, y, mask = as_jax(x), as_jax(y).astype(dtype), as_jax(mask)
        own = x.shape[: mask.ndim]
        if mask.shape != own:
            raise IndexError(
                f"{op}: the boolean index {mask_var} of shape {mask.shape} does not match "
                f"{_dims(0, mask.ndim)} that it indexes, of shape {own} (the tensor has shape "
                f"{x.shape})"
            )
        m = jnp.reshape(mask, mask.shape + (1,) * (x.ndim - mask.ndim))
        return jnp.where(m, y, x) if op.set_instead_of_inc else jnp.where(m, x + y, x)

    return masked_write


@jax_funcify.register(AdvancedIncSubtensor)
def jax_funcify_AdvancedIncSubtensor(
    op: AdvancedIncSubtensor, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None
    masked = _masked_write(op, node)
    if masked is not None:
        return masked
    idx_list = op.idx_list
    index_vars = node.inputs[2:]
    dtype = ttype(node.outputs[0]).dtype

    def advanced_inc_subtensor(x: Any, y: Any, *values: Any) -> Any:
        index, region = _advanced_index(op, idx_list, np.shape(x), index_vars, values)
        check_value_runtime(op, op._verb, node, region, np.shape(y))
        return _inc(as_jax(x), index, y, op.set_instead_of_inc, dtype)

    static = _slice_positions(idx_list, 2) + _mask_positions(idx_list, 2)
    return needs_static(advanced_inc_subtensor, *static)
