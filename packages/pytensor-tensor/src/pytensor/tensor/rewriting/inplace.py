"""Inplace rewrites (layer: pytensor-tensor): Elemwise and the increment Ops write their
output over an input that nothing reads afterwards.

Registered in ``optdb["inplace_db"]`` (position 75, after ``add_destroy_handler``;
tags fast_run, inplace). The DestroyHandler vetoes any replacement after which
an overwritten value would still be needed. A graph input is overwritten only
when the compiled function marks it writable: FunctionMaker attaches a
:class:`~pytensor.compile.function.types.Supervisor` listing the protected
inputs, and every input not in that list was given as ``In(x, mutable=True)``
(or is a shared variable with an update). Without a Supervisor all inputs are
protected. Constants and values an Op may hand back read-only are never
overwritten.
"""

from __future__ import annotations

from typing import Any

from pytensor.compile.function.types import Supervisor
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


def _writable_input(fgraph: FunctionGraph, var: Variable, dh: Any) -> bool:
    """A graph input that the compiled function allows to be overwritten."""
    if not any(isinstance(f, Supervisor) for f in fgraph._features):
        return False
    if getattr(var.tag, "indestructible", False) or var not in fgraph.inputs:
        return False
    return var not in dh.protected(fgraph)


def _destroyable(fgraph: FunctionGraph, var: Variable) -> bool:
    """A value that may be overwritten: a fresh intermediate or a writable graph input.

    Intermediates must come from an Op known to return its own writable array.
    """
    if isinstance(var, Constant):
        return False
    dh = getattr(fgraph, "destroy_handler", None)
    if dh is None:
        return False
    if var.owner is None:
        if not _writable_input(fgraph, var, dh):
            return False
    elif not _is_writer(var.owner.op):
        return False
    if any(isinstance(c.op, Output) for c, _ in fgraph.clients.get(var, ())):
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
