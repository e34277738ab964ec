"""Lifting of Reshape through Elemwise (layer: pytensor-tensor, canonicalize).

``reshape(elemwise(a, b), s)`` becomes ``elemwise(reshape(a, s), reshape(b, s))``, so the
Reshape meets the producers of ``a`` and ``b``, where ``local_reshape_chain``, the DimShuffle
rewrites and fusion can combine it with them.

Safety (DESIGN.md §4): reshaping the inputs before the Elemwise must not change which
lengths it compares. An input whose static shape is all ones (or 0-d) broadcasts against
anything and is made 0-d instead of reshaped. Every other input must have the Elemwise
output's full shape, and this is only known when there is exactly one such input, or all of
them are the same variable or have the same fully static shape: two inputs of unknown shapes
(2, 3) and (3, 2) both reshaped to (6,) would agree and the error would disappear.
"""

from __future__ import annotations

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import node_rewriter
from pytensor.graph.rewriting.db import optdb
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.shape import Reshape, specify_shape

__all__ = ["local_reshape_lift"]


def _all_ones(var: Variable) -> bool:
    """Whether ``var`` broadcasts against any shape (0-d, or static length 1 everywhere)."""
    return all(s == 1 for s in var.type.shape)


def _lift_is_safe(enode: Apply) -> bool:
    """Whether the Elemwise's length checks survive reshaping its non-broadcast inputs."""
    full = list(dict.fromkeys(i for i in enode.inputs if not _all_ones(i)))
    if not full:
        return False  # only broadcast values: nothing to reshape
    if len(full) == 1:
        return True  # the others have length 1 everywhere: no lengths are compared
    out_shape = enode.outputs[0].type.shape
    return None not in out_shape and all(i.type.shape == out_shape for i in full)


def _fit_type(new: Variable, old: Variable) -> Variable | None:
    """``new`` with ``old``'s type (or a refinement of it), or None if they are incompatible."""
    if new.type == old.type or old.type.is_super(new.type):
        return new
    if new.type.dtype != old.type.dtype or new.type.ndim != old.type.ndim:
        return None
    if not new.type.is_super(old.type):
        return None
    fitted = specify_shape(new, old.type.shape)
    return fitted if fitted.type == old.type else None


@node_rewriter([Reshape])
def local_reshape_lift(fgraph: FunctionGraph, node: Apply) -> list[Variable] | None:
    """``reshape(elemwise(a, b), s)`` -> ``elemwise(reshape(a, s), reshape(b, s))``.

    Only when the Reshape is the Elemwise's sole client, and the Elemwise's inputs provably
    have its output's shape or broadcast from length 1 (see the module docstring). Inputs of
    length 1 everywhere become 0-d, which the Elemwise broadcasts to the new rank.
    """
    x, shp = node.inputs
    enode = x.owner
    if enode is None or not isinstance(enode.op, Elemwise) or enode.op.inplace_pattern:
        return None
    if len(enode.outputs) != 1 or len(fgraph.clients.get(x, ())) != 1:
        return None
    if not _lift_is_safe(enode):
        return None
    new_inputs = [
        (i.dimshuffle([]) if i.type.ndim else i) if _all_ones(i) else node.op(i, shp)
        for i in enode.inputs
    ]
    try:
        new = enode.op(*new_inputs)
    except (TypeError, ValueError):
        return None
    fitted = _fit_type(new, node.outputs[0])
    return None if fitted is None else [fitted]


optdb["canonicalize"].register("local_reshape_lift", local_reshape_lift, "fast_run", "fast_compile")
