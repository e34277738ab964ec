"""``x[...]``: parse a NumPy index and build the indexing Ops (layer: pytensor-tensor).

Basic indices (integers, slices, None, Ellipsis) give a ``Subtensor`` view
(plus a DimShuffle for new axes). An index with an integer array or a boolean
mask gives ``AdvancedSubtensor1`` (one integer vector on the first axis) or
``AdvancedSubtensor`` (anything else; integers then count as 0-d arrays, as
in NumPy). ``getitem`` is re-exported by :mod:`pytensor.tensor.subtensor`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
from pytensor.graph.basic import Variable
from pytensor.tensor._type_other import NoneTypeT
from pytensor.tensor.subtensor import _INT_DTYPES, Subtensor, flatten_index_variables
from pytensor.tensor.type import TensorType

__all__ = ["getitem"]

# Entry kinds: "none", "ellipsis", "slice", "int" (basic); "array", "mask" (advanced).
Entry = tuple[str, Any]


def _check_slice_bounds(entry: slice) -> None:
    for f in (entry.start, entry.stop, entry.step):
        if f is None:
            continue
        try:
            kind, _ = _classify(f)
        except (IndexError, TypeError):
            kind = "bad"
        if kind != "int":
            raise TypeError(
                f"Subtensor: slice bound {f!r} in {entry} is not an integer "
                "(or a 0-d integer tensor)"
            )


def _bad_dtype(entry: Any, dtype: str, ndim: int) -> IndexError:
    if ndim == 0:
        return IndexError(f"Subtensor: index {entry} has dtype {dtype}; indices must be integers")
    op = "AdvancedSubtensor1" if ndim == 1 else "AdvancedSubtensor"
    return IndexError(
        f"{op}: index {entry} has dtype {dtype}; index arrays must be integers or booleans"
    )


def _classify_variable(entry: Variable) -> Entry:
    from pytensor.tensor.basic import tensor_from_scalar

    t = entry.type
    if isinstance(t, NoneTypeT):
        return "none", None
    if isinstance(t, ps.ScalarType):
        if t.dtype in _INT_DTYPES:
            return "int", entry
        if t.dtype == "bool":
            return "mask", tensor_from_scalar(entry)
        raise _bad_dtype(entry, t.dtype, 0)
    if not isinstance(t, TensorType):
        raise IndexError(f"Subtensor: {entry} of type {t} is not a valid index")
    if t.dtype == "bool":
        return "mask", entry
    if t.dtype not in _INT_DTYPES:
        raise _bad_dtype(entry, t.dtype, t.ndim)
    return ("int" if t.ndim == 0 else "array"), entry


def _has_variable(seq: Any) -> bool:
    if isinstance(seq, Variable):
        return True
    return isinstance(seq, list | tuple) and any(_has_variable(s) for s in seq)


def _classify_sequence(entry: Any) -> Entry:
    from pytensor.tensor.basic import as_tensor_variable, constant

    if _has_variable(entry):
        return _classify_variable(as_tensor_variable(entry))
    arr = np.asarray(entry)
    if arr.dtype.kind == "f" and arr.size == 0 and not isinstance(entry, np.ndarray):
        arr = arr.astype("int64")  # NumPy reads an empty list as an empty integer index
    if arr.dtype.kind == "b":
        return "mask", constant(arr)
    if arr.dtype.kind in "iu":
        return ("int", int(arr)) if arr.ndim == 0 else ("array", constant(arr))
    raise _bad_dtype(f"{entry!r}", str(arr.dtype), arr.ndim)


def _classify(entry: Any) -> Entry:
    """The kind of an index entry and its value (a constant for literal arrays and masks)."""
    from pytensor.tensor.basic import constant

    if entry is None:
        return "none", None
    if entry is Ellipsis:
        return "ellipsis", None
    if isinstance(entry, slice):
        _check_slice_bounds(entry)
        return "slice", entry
    if isinstance(entry, bool | np.bool_):
        return "mask", constant(np.bool_(entry))
    if isinstance(entry, int | np.integer):
        return "int", entry
    if isinstance(entry, Variable):
        return _classify_variable(entry)
    if isinstance(entry, list | tuple | np.ndarray):
        return _classify_sequence(entry)
    if isinstance(entry, float | np.floating):
        raise IndexError(
            f"Subtensor: index {entry!r} is not an integer; "
            "only integers, slices, None, Ellipsis and integer or boolean arrays are valid"
        )
    raise IndexError(f"Subtensor: {entry!r} of type {type(entry).__name__} is not a valid index")


def _consumed(kind: str, value: Any) -> int:
    if kind in ("int", "slice", "array"):
        return 1
    if kind == "mask":
        return int(value.type.ndim)
    return 0


def _expand_ellipsis(entries: list[Entry], x: Variable) -> list[Entry]:
    ndim = x.type.ndim
    used = sum(_consumed(k, v) for k, v in entries)
    advanced = any(k in ("array", "mask") for k, _ in entries)
    op = "AdvancedSubtensor" if advanced else "Subtensor"
    if used > ndim:
        raise IndexError(f"{op}: too many indices for the {ndim}-d tensor {x}: {used} were given")
    kinds = [k for k, _ in entries]
    if kinds.count("ellipsis") > 1:
        raise IndexError(f"{op}: an index can only have a single ellipsis ('...')")
    if "ellipsis" not in kinds:
        return entries
    at = kinds.index("ellipsis")
    fill: list[Entry] = [("slice", slice(None))] * (ndim - used)
    return [*entries[:at], *fill, *entries[at + 1 :]]


def _is_full_slice(value: Any) -> bool:
    return isinstance(value, slice) and all(
        f is None for f in (value.start, value.stop, value.step)
    )


def _basic(x: Variable, entries: list[Entry]) -> Variable:
    real = [v for k, v in entries if k != "none"]
    while real and _is_full_slice(real[-1]):
        real.pop()
    out = x
    if real:
        idx_list, flat = flatten_index_variables(real)
        out = Subtensor(idx_list)(x, *flat)
    kinds = [k for k, _ in entries]
    if "none" not in kinds:
        return out
    order: list[Any] = []
    k = 0
    for kind in kinds:
        if kind == "none":
            order.append("x")
        elif kind == "slice":
            order.append(k)
            k += 1
    order.extend(range(k, out.type.ndim))
    return out.dimshuffle(order)  # type: ignore[attr-defined, no-any-return]


def _advanced(x: Variable, entries: list[Entry]) -> Variable:
    from pytensor.tensor._advanced_subtensor import AdvancedSubtensor, AdvancedSubtensor1
    from pytensor.tensor.basic import as_tensor_variable, tensor_from_scalar

    while entries and _is_full_slice(entries[-1][1]):
        entries = entries[:-1]
    if len(entries) == 1 and entries[0][0] == "array" and entries[0][1].type.ndim == 1:
        return AdvancedSubtensor1()(x, entries[0][1])  # type: ignore[no-any-return]
    idx_list: list[Any] = []
    inputs: list[Variable] = []
    for kind, value in entries:
        if kind == "none":
            idx_list.append(None)
        elif kind == "slice":
            types, flat = flatten_index_variables([value])
            idx_list.extend(types)
            inputs.extend(flat)
        else:
            var = value if isinstance(value, Variable) else as_tensor_variable(value)
            if isinstance(var.type, ps.ScalarType):
                var = tensor_from_scalar(var)
            idx_list.append(var.type)
            inputs.append(var)
    return AdvancedSubtensor(idx_list)(x, *inputs)  # type: ignore[no-any-return]


def getitem(x: Any, args: Any) -> Any:
    """``x[args]`` with NumPy's indexing rules.

    Basic indices (integers, slices with constant or symbolic bounds, None,
    Ellipsis) give a view of ``x``. Integer arrays (lists, NumPy arrays or
    integer tensors) and boolean masks give a copy, through
    :class:`~pytensor.tensor.subtensor.AdvancedSubtensor1` or
    :class:`~pytensor.tensor.subtensor.AdvancedSubtensor`.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> x = pt.matrix("x", shape=(3, 4))
    >>> y = x[1, None, ::2]
    >>> y.type.shape
    (1, 2)
    >>> y.eval({x: np.arange(12.0).reshape(3, 4)})
    array([[4., 6.]])
    >>> x[[0, 2], 1:].type.shape
    (2, 3)
    """
    from pytensor.tensor.basic import as_tensor_variable

    x = as_tensor_variable(x)
    if not isinstance(args, tuple):
        args = (args,)
    entries = _expand_ellipsis([_classify(a) for a in args], x)
    if any(k in ("array", "mask") for k, _ in entries):
        return _advanced(x, entries)
    return _basic(x, entries)
