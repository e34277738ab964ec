"""Inplace rewrites (layer: pytensor-tensor): Elemwise and the increment Ops write their
output over an input that nothing reads afterwards.

Registered in ``optdb["inplace_db"]`` (position 75, after ``add_destroy_handler``;
tags fast_run, inplace). The DestroyHandler vetoes any replacement after which
an overwritten value would still be needed. Graph inputs are never
overwritten here (the graph does not say which inputs ``In(mutable=True)``
marked), nor are constants or values an Op may hand back read-only.
"""

from __future__ import annotations

from typing import Any

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.fg import FunctionGraph, Output
from pytensor.graph.op import Op
from pytensor.graph.rewriting.basic import in2out, node_rewriter
from pytensor.graph.rewriting.db import optdb
from pytensor.tensor.elemwise import Elemwise

__all__ = ["local_elemwise_inplace", "local_inc_subtensor_inplace"]

# The increment Ops are matched by name: their modules import the indexing layer, which
# may still be initialising when the rewrites are registered (during ``import pytensor.tensor``).
_INC_OPS = frozenset({"IncSubtensor", "AdvancedIncSubtensor", "AdvancedIncSubtensor1"})


def _is_writer(op: Any) -> bool:
    return isinstance(op, Elemwise) or type(op).__name__ in _INC_OPS


def _destroyable(fgraph: FunctionGraph, var: Variable) -> bool:
    """A fresh, writable intermediate: made by an Op known to return its own writable array."""
    if isinstance(var, Constant) or var.owner is None or not _is_writer(var.owner.op):
        return False
    if any(isinstance(c.op, Output) for c, _ in fgraph.clients.get(var, ())):
        return False
    dh = getattr(fgraph, "destroy_handler", None)
    if dh is None:
        return False
    root = dh.root(var)
    return root is var and not dh.has_destroyers([var])


@node_rewriter([Elemwise], inplace=True)
def local_elemwise_inplace(fgraph: FunctionGraph, node: Apply) -> Any:
    """``Elemwise`` -> the same Elemwise writing each output over a suitable input."""
    op = node.op
    if op.inplace_pattern:
        return False
    pattern: dict[int, int] = {}
    used: set[int] = set()
    for o, out in enumerate(node.outputs):
        for i, inp in enumerate(node.inputs):
            if i in used or inp.type != out.type or not _destroyable(fgraph, inp):
                continue
            if node.inputs.count(inp) > 1:
                continue  # the loop would read the value it overwrites through another input
            pattern[o] = i
            used.add(i)
            break
    if not pattern:
        return False
    new = Elemwise(op.scalar_op, inplace_pattern=pattern, name=op.name).make_node(*node.inputs)
    return new.outputs


@node_rewriter([Op], inplace=True)
def local_inc_subtensor_inplace(fgraph: FunctionGraph, node: Apply) -> Any:
    """Increment/set Ops write into ``x`` when ``x`` is a fresh intermediate."""
    op = node.op
    if type(op).__name__ not in _INC_OPS or op.inplace:
        return False
    x = node.inputs[0]
    if not _destroyable(fgraph, x) or any(i is x for i in node.inputs[1:]):
        return False
    props = op._props_dict()
    props["inplace"] = True
    if hasattr(op, "destroyhandler_tolerate_aliased"):
        props["destroyhandler_tolerate_aliased"] = op.destroyhandler_tolerate_aliased
    new_op = type(op)(**props)
    return new_op.make_node(*node.inputs).outputs


optdb["inplace_db"].register(
    "inplace_elemwise_optimizer",
    in2out(local_elemwise_inplace, ignore_newtrees=True),
    "fast_run",
    "inplace",
    position=50,
)
optdb["inplace_db"].register(
    "local_inplace_incsubtensor",
    in2out(local_inc_subtensor_inplace, ignore_newtrees=True),
    "fast_run",
    "inplace",
    position=60,
)
