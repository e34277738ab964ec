"""Useless-op removal, constant folding and Assert rewrites (layer: pytensor-tensor).

Each rewrite here removes a node only when the node provably computes its
input unchanged and cannot raise (DESIGN.md §4): an identity DimShuffle, a
SpecifyShape/Reshape/Alloc whose shape is already known to hold, ``x * 1``,
a cast to the same dtype, a reduction over no axis, an Assert whose
conditions are constant true. ``local_remove_all_assert`` drops every Assert
and is only in the opt-in ``unsafe`` tag.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import in2out, node_rewriter
from pytensor.graph.rewriting.db import local_useless, optdb
from pytensor.raise_op import CheckAndRaise
from pytensor.scalar._elementary import Add, Cast, Identity, Mul, Sub, TrueDiv
from pytensor.tensor._alloc import Alloc
from pytensor.tensor.basic import cast
from pytensor.tensor.elemwise import CAReduce, DimShuffle, Elemwise
from pytensor.tensor.shape import Reshape, Shape_i, SpecifyShape
from pytensor.tensor.type import TensorType

__all__ = [
    "MAX_FOLDED_SIZE",
    "constant_folding",
    "local_cut_useless_reduce",
    "local_remove_all_assert",
    "local_remove_useless_assert",
    "local_useless_alloc",
    "local_useless_cast",
    "local_useless_dimshuffle",
    "local_useless_elemwise",
    "local_useless_reshape",
    "local_useless_specify_shape",
    "topo_constant_folding",
]

#: Outputs with more elements than this (and than all the inputs together) are not folded:
#: a constant that big (e.g. an Alloc of a small value) would bloat the compiled function.
MAX_FOLDED_SIZE = 10_000


def _static_size(shape: tuple[int | None, ...]) -> int | None:
    if any(s is None for s in shape):
        return None
    return int(np.prod(shape, dtype="int64"))


def _too_big(size: int, input_size: int) -> bool:
    return size > MAX_FOLDED_SIZE and size > input_size


@node_rewriter(None)
def constant_folding(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """A node whose inputs are all constants -> its outputs as constants.

    Only if ``op.do_constant_folding`` allows it, the outputs are tensors not
    bigger than :data:`MAX_FOLDED_SIZE` elements (unless the inputs are as big),
    and computing them raises nothing (a node that would raise stays, so it
    raises at run time).
    """
    if not all(isinstance(i, Constant) for i in node.inputs):
        return False
    if not all(isinstance(o.type, TensorType) for o in node.outputs):
        return False
    if not node.op.do_constant_folding(fgraph, node):
        return False
    input_size = sum(int(np.size(i.data)) for i in node.inputs)
    for o in node.outputs:
        size = _static_size(o.type.shape)
        if size is not None and _too_big(size, input_size):
            return False
    storage: list[list[Any]] = [[None] for _ in node.outputs]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            node.op.perform(node, [i.data for i in node.inputs], storage)
            values = [o.type.filter(s[0]) for o, s in zip(node.outputs, storage, strict=True)]
    except Exception:  # noqa: BLE001 (the error, if any, is raised when the function runs)
        return False
    if any(_too_big(int(np.size(v)), input_size) for v in values):
        return False
    return [
        o.type.make_constant(np.array(v, copy=True))
        for o, v in zip(node.outputs, values, strict=True)
    ]


#: Constant folding over the whole graph, inputs first (a final pass of canonicalize).
topo_constant_folding = in2out(constant_folding, name="topo_constant_folding")


# -- shape ops whose shape is already known --------------------------------------------------
def _is_length_of(entry: Variable, x: Variable, d: int) -> bool:
    """Whether the int scalar ``entry`` is provably ``x.shape[d]``."""
    static = x.type.shape[d]
    if isinstance(entry, Constant):
        return static is not None and int(np.asarray(entry.data)) == static
    node = entry.owner
    if node is not None and isinstance(node.op, Elemwise) and isinstance(node.op.scalar_op, Cast):
        return _is_length_of(node.inputs[0], x, d)
    return (
        node is not None and isinstance(node.op, Shape_i) and node.op.i == d and node.inputs[0] is x
    )


@node_rewriter([SpecifyShape])
def local_useless_specify_shape(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """``specify_shape(x, shape)`` -> ``x`` when ``x`` is known to have that shape."""
    x, *entries = node.inputs
    if node.outputs[0].type != x.type:
        return False
    for d, e in enumerate(entries):
        if isinstance(e.type, TensorType) and not _is_length_of(e, x, d):
            return False
    return [x]


def _reshape_entries(shp: Variable, n: int) -> list[Variable] | None:
    if isinstance(shp, Constant):
        return [Constant(TensorType("int64", ()), np.asarray(v, dtype="int64")) for v in shp.data]
    if shp.owner is not None and type(shp.owner.op).__name__ == "MakeVector":
        return list(shp.owner.inputs)
    return None


@node_rewriter([Reshape])
def local_useless_reshape(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """``reshape(x, shape)`` -> ``x`` when ``shape`` is provably ``x``'s shape (of equal rank)."""
    x, shp = node.inputs
    out = node.outputs[0]
    if out.type != x.type:
        return False
    if x.type.ndim == 1 and out.type.ndim == 1:
        return [x]  # a vector reshaped to a vector (any valid shape) is itself
    entries = _reshape_entries(shp, out.type.ndim)
    if entries is None or len(entries) != x.type.ndim:
        return False
    if all(_is_length_of(e, x, d) for d, e in enumerate(entries)):
        return [x]
    return False


@node_rewriter([Alloc])
def local_useless_alloc(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """``alloc(x, *shape)`` -> ``x`` when ``shape`` is provably ``x``'s shape."""
    value, *entries = node.inputs
    if node.outputs[0].type != value.type or len(entries) != value.type.ndim:
        return False
    if all(_is_length_of(e, value, d) for d, e in enumerate(entries)):
        return [value]
    return False


@node_rewriter([DimShuffle])
def local_useless_dimshuffle(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """A DimShuffle that keeps every axis in place -> its input."""
    op = node.op
    if op.new_order == tuple(range(op.input_ndim)) and node.outputs[0].type == node.inputs[0].type:
        return [node.inputs[0]]
    return False


# -- elementwise identities -------------------------------------------------------------------
def _is_constant(v: Variable, value: float) -> bool:
    """Whether ``v`` is a constant, all of whose entries are ``value``, with only length-1 axes."""
    if not isinstance(v, Constant) or not isinstance(v.type, TensorType):
        return False
    if any(s != 1 for s in v.type.shape):
        return False
    data = np.asarray(v.data)
    return bool(data.size) and bool(np.all(data == value))


def _same_type(new: Variable, old: Variable) -> list[Variable] | bool:
    return [new] if new.type == old.type else False


@node_rewriter([Elemwise])
def local_useless_elemwise(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """``x * 1``, ``x + 0``, ``x - 0``, ``x / 1`` and ``identity(x)`` -> ``x`` (same type only).

    The constant must have only length-1 axes, so it cannot be what made the
    output bigger or what raised a shape error.
    """
    sop = node.op.scalar_op
    out = node.outputs[0]
    if isinstance(sop, Identity):
        return _same_type(node.inputs[0], out)
    if isinstance(sop, Add | Mul) and len(node.inputs) >= 2:
        neutral = 0 if isinstance(sop, Add) else 1
        rest = [i for i in node.inputs if not _is_constant(i, neutral)]
        if not rest or len(rest) == len(node.inputs):
            return False
        if len(rest) == 1:
            return _same_type(rest[0], out)
        return _same_type(node.op(*rest), out)
    if isinstance(sop, Sub | TrueDiv) and len(node.inputs) == 2:
        neutral = 0 if isinstance(sop, Sub) else 1
        if _is_constant(node.inputs[1], neutral):
            return _same_type(node.inputs[0], out)
    return False


@node_rewriter([Elemwise])
def local_useless_cast(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """A cast to the dtype the input already has -> the input."""
    if not isinstance(node.op.scalar_op, Cast):
        return False
    return _same_type(node.inputs[0], node.outputs[0])


@node_rewriter([CAReduce])
def local_cut_useless_reduce(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """A reduction over no axis -> its input (cast to the output dtype)."""
    if node.op.axis is None or len(node.op.axis) != 0:
        return False
    (x,) = node.inputs
    out = node.outputs[0]
    new = x if x.type.dtype == out.type.dtype else cast(x, out.type.dtype)
    return _same_type(new, out)


# -- asserts ----------------------------------------------------------------------------------
def _is_true_constant(c: Variable) -> bool:
    return isinstance(c, Constant) and bool(np.all(np.asarray(c.data)))


@node_rewriter([CheckAndRaise])
def local_remove_useless_assert(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """Drop the conditions of a CheckAndRaise that are constant true (and the node if none is left)."""
    value, *conds = node.inputs
    kept = [c for c in conds if not _is_true_constant(c)]
    if len(kept) == len(conds):
        return False
    if not kept:
        return [value]
    return [node.op(value, *kept)]


@node_rewriter([CheckAndRaise])
def local_remove_all_assert(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """Every CheckAndRaise -> its value: UNSAFE, failed checks no longer raise (tag ``unsafe``)."""
    return [node.inputs[0]]


def _register() -> None:
    useless = [
        ("local_useless_specify_shape", local_useless_specify_shape),
        ("local_useless_reshape", local_useless_reshape),
        ("local_useless_alloc", local_useless_alloc),
        ("local_useless_dimshuffle", local_useless_dimshuffle),
        ("local_useless_elemwise", local_useless_elemwise),
        ("local_useless_cast", local_useless_cast),
        ("local_cut_useless_reduce", local_cut_useless_reduce),
        ("local_remove_useless_assert", local_remove_useless_assert),
    ]
    for name, rw in useless:
        local_useless.register(name, rw, "fast_run", "fast_compile")
        for stage in ("canonicalize", "stabilize", "specialize"):
            optdb[stage].register(name, rw, "fast_run", "fast_compile", "useless")
    local_useless.register("constant_folding", constant_folding, "fast_run", "fast_compile")
    for stage in ("canonicalize", "stabilize", "specialize", "uncanonicalize"):
        optdb[stage].register(
            "constant_folding", constant_folding, "fast_run", "fast_compile", "constant_folding"
        )
    optdb["canonicalize"].register(
        "topo_constant_folding",
        topo_constant_folding,
        "fast_run",
        "fast_compile",
        "constant_folding",
        final_rewriter=True,
    )
    optdb.register(
        "local_remove_all_assert",
        in2out(local_remove_all_assert, name="local_remove_all_assert"),
        "unsafe",
        position=-1,
    )


_register()
