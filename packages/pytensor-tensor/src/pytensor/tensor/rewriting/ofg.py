"""Late inlining of elementwise ``OpFromGraph`` nodes (layer: pytensor-tensor).

The softmax family (``Softmax``, ``LogSoftmax``, ``LogSumExp``, ``LogAddExp``),
``ElemwiseOpFromGraph`` and user ``OpFromGraph``s whose inner graphs only hold
elementwise Ops, reductions and ``DimShuffle``s stay whole through
canonicalize and stabilize (whose rewrites match them as single nodes, e.g.
``log(softmax(x)) -> log_softmax(x)``). In the ``inline_composites`` stage
(position 2.5, tags ``fast_run``, ``inline_composites``), a node is replaced
by its inner graph when an ``Elemwise`` reads one of its outputs or computes
one of its inputs, so that elementwise fusion (position 49) merges the inner
loops with their neighbours. A node with no elementwise neighbour stays one
node: a backend may have a better kernel for it. A backend that has one for
every such node excludes the ``inline_composites`` tag.
"""

from __future__ import annotations

from typing import Any

from pytensor.compile.builders import OpFromGraph
from pytensor.graph.basic import Apply
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import in2out, node_rewriter
from pytensor.graph.rewriting.db import optdb
from pytensor.tensor.elemwise import CAReduce, DimShuffle, Elemwise

__all__ = ["elementwise_body", "local_inline_composites"]

#: The inner Ops an OpFromGraph may hold to be inlined for fusion.
_INNER_OPS = (Elemwise, CAReduce, DimShuffle)


def elementwise_body(op: OpFromGraph) -> bool:
    """Whether ``op``'s inner graph only holds elementwise Ops, reductions and DimShuffles
    (or nested OpFromGraphs that do), none of them in place."""
    if op.destroy_map:
        return False
    for inner in op.fgraph.apply_nodes:
        sub = inner.op
        if getattr(sub, "destroy_map", None):
            return False
        if isinstance(sub, OpFromGraph):
            if not elementwise_body(sub):
                return False
        elif not isinstance(sub, _INNER_OPS):
            return False
    return True


def _elemwise_reader(fgraph: FunctionGraph, node: Apply) -> bool:
    """Whether an Elemwise reads an output of ``node`` (directly or through one DimShuffle)."""
    for out in node.outputs:
        for client, _ in fgraph.clients.get(out, ()):
            if isinstance(client.op, Elemwise):
                return True
            if isinstance(client.op, DimShuffle) and any(
                isinstance(c.op, Elemwise) for c, _ in fgraph.clients.get(client.outputs[0], ())
            ):
                return True
    return False


def _elemwise_feeder(node: Apply) -> bool:
    """Whether an Elemwise computes an input of ``node`` (directly or through one DimShuffle)."""
    for inp in node.inputs:
        owner = inp.owner
        if owner is not None and isinstance(owner.op, DimShuffle):
            owner = owner.inputs[0].owner
        if owner is not None and isinstance(owner.op, Elemwise):
            return True
    return False


@node_rewriter([OpFromGraph])
def local_inline_composites(fgraph: FunctionGraph, node: Apply) -> Any:
    """An elementwise OpFromGraph next to an Elemwise -> its inner graph (for fusion)."""
    op = node.op
    if not isinstance(op, OpFromGraph) or not elementwise_body(op):
        return False
    if not (_elemwise_reader(fgraph, node) or _elemwise_feeder(node)):
        return False
    new = op.inline_graph(node)
    if any(n.type != o.type for n, o in zip(new, node.outputs, strict=True)):
        return False
    return new


optdb.register(
    "inline_composites",
    in2out(local_inline_composites, name="inline_composites"),
    "fast_run",
    "inline_composites",
    position=2.5,
)
