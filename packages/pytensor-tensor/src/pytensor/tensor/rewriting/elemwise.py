"""Lifting of views through Elemwise and sinking of fills (layer: pytensor-tensor, canonicalize).

DimShuffle and Subtensor move below an Elemwise (so it computes only what is kept and other
rewrites see through it); ``second`` moves up and disappears where the shape is already implied.
"""

from __future__ import annotations

from typing import Any

import pytensor.scalar as ps
from pytensor.graph.basic import Apply, Variable
from pytensor.graph.rewriting.basic import node_rewriter
from pytensor.graph.rewriting.db import optdb
from pytensor.tensor.basic import second
from pytensor.tensor.elemwise import DimShuffle, Elemwise
from pytensor.tensor.subtensor import Subtensor

__all__ = [
    "local_dimshuffle_lift",
    "local_fill_sink",
    "local_subtensor_of_elemwise",
    "local_useless_fill",
]


def _single_use_elemwise(fgraph: Any, var: Variable) -> Apply | None:
    node = var.owner
    if node is None or not isinstance(node.op, Elemwise) or node.op.inplace_pattern:
        return None
    if len(node.outputs) != 1 or len(fgraph.clients.get(var, ())) != 1:
        return None
    return node


def _compose(inner: DimShuffle, outer: DimShuffle) -> list[Any]:
    return ["x" if o == "x" else inner.new_order[o] for o in outer.new_order]


def _valid(new: Variable, old: Variable) -> bool:
    if new.type.dtype != old.type.dtype or new.type.ndim != old.type.ndim:
        return False
    return all(o is None or o == n for o, n in zip(old.type.shape, new.type.shape, strict=True))


@node_rewriter([DimShuffle])
def local_dimshuffle_lift(fgraph: Any, node: Apply) -> list[Variable] | None:
    """``ds(ds(x)) -> ds'(x)`` (``x`` itself when the composition is the identity), and
    ``ds(elemwise(a, b)) -> elemwise(ds(a), ds(b))`` when the Elemwise has no other client.

    Dimensions a DimShuffle drops have static length 1 in every input, so the Elemwise's
    runtime shape checks are the same before and after.
    """
    (inp,) = node.inputs
    out = node.outputs[0]
    owner = inp.owner
    if owner is not None and isinstance(owner.op, DimShuffle):
        order = _compose(owner.op, node.op)
        base = owner.inputs[0]
        if order == list(range(base.type.ndim)) and base.type == out.type:
            return [base]
        new = base.dimshuffle(order)
        return [new] if _valid(new, out) else None
    enode = _single_use_elemwise(fgraph, inp)
    if enode is None:
        return None
    try:
        new_inputs = [i.dimshuffle(node.op.new_order) for i in enode.inputs]
    except ValueError:
        return None
    new = enode.op(*new_inputs)
    return [new] if _valid(new, out) else None


def _static_ones(var: Variable) -> bool:
    return all(s == 1 for s in var.type.shape)


@node_rewriter([Subtensor])
def local_subtensor_of_elemwise(fgraph: Any, node: Apply) -> list[Variable] | None:
    """``elemwise(a, b)[idx] -> elemwise(a[idx], b[idx])``: compute only the selected part.

    Safe only where the Elemwise's shape checks are not lost: every input either has static
    length 1 everywhere (it becomes a 0-d broadcast value) or matches the output's shape,
    i.e. there is one such input, or all of them have the same fully known static shape.
    """
    enode = _single_use_elemwise(fgraph, node.inputs[0])
    if enode is None:
        return None
    out_shape = enode.outputs[0].type.shape
    full = [i for i in enode.inputs if not _static_ones(i)]
    if not full:
        return None
    same_known = None not in out_shape and all(i.type.shape == out_shape for i in full)
    if len(full) > 1 and not same_known:
        return None
    idx = node.inputs[1:]
    new_inputs = [
        node.op(i, *idx) if not _static_ones(i) else i.dimshuffle([]) if i.type.ndim else i
        for i in enode.inputs
    ]
    new = enode.op(*new_inputs)
    return [new] if _valid(new, node.outputs[0]) else None


def _is_second(var: Variable) -> Apply | None:
    node = var.owner
    if node is None or not isinstance(node.op, Elemwise) or node.op.inplace_pattern:
        return None
    return node if isinstance(node.op.scalar_op, ps.Second) else None


def _shape_implied(model: Variable, value: Variable) -> bool:
    """Whether ``second(model, value)`` cannot fail and has ``value``'s shape."""
    if model is value:
        return True
    for m, v in zip(model.type.shape, value.type.shape, strict=True):
        if m != 1 and (m is None or m != v):
            return False
    return True


@node_rewriter([Elemwise])
def local_useless_fill(fgraph: Any, node: Apply) -> list[Variable] | None:
    """``second(a, b) -> b`` when ``a``'s shape is statically known to fit in ``b``'s."""
    if _is_second(node.outputs[0]) is None:
        return None
    model, value = node.inputs
    out = node.outputs[0]
    if value.type != out.type or not _shape_implied(model, value):
        return None
    return [value]


@node_rewriter([Elemwise])
def local_fill_sink(fgraph: Any, node: Apply) -> list[Variable] | None:
    """``f(second(a, b), c) -> second(a, f(b, c))``: fills move towards the outputs, where
    ``local_useless_fill`` can drop them. Every input pair is still checked at run time.
    """
    if node.op.inplace_pattern or len(node.outputs) != 1 or _is_second(node.outputs[0]):
        return None
    for k, inp in enumerate(node.inputs):
        fnode = _is_second(inp)
        if fnode is None or len(fgraph.clients.get(inp, ())) != 1:
            continue
        model, value = fnode.inputs
        inputs = list(node.inputs)
        inputs[k] = value
        new = second(model, node.op(*inputs))
        if _valid(new, node.outputs[0]):
            return [new]
    return None


_TAGS = ("fast_run", "fast_compile")
optdb["canonicalize"].register("local_dimshuffle_lift", local_dimshuffle_lift, *_TAGS)
optdb["canonicalize"].register("local_subtensor_of_elemwise", local_subtensor_of_elemwise, *_TAGS)
optdb["canonicalize"].register("local_useless_fill", local_useless_fill, *_TAGS, "useless")
optdb["canonicalize"].register("local_fill_sink", local_fill_sink, *_TAGS)
