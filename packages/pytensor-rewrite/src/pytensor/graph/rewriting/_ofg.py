"""Inlining of ``OpFromGraph`` nodes built with ``inline=True`` (layer: pytensor-rewrite)."""

from __future__ import annotations

from typing import Any

from pytensor.graph.basic import Apply
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import node_rewriter

__all__ = ["inline_ofg_expansion"]


@node_rewriter(None)
def inline_ofg_expansion(fgraph: FunctionGraph, node: Apply) -> Any:
    """Replace a node of an inline OpFromGraph by a copy of its inner graph.

    The outer rewrites then see (and optimise) the inner computation together
    with the rest of the graph. (It tracks every node, and imports
    OpFromGraph only when it runs: the compile layer loads the rewrite layer
    while it is itself being imported.)
    """
    if not getattr(node.op, "is_inline", False):
        return False
    from pytensor.compile.builders import OpFromGraph

    if not isinstance(node.op, OpFromGraph):
        return False
    return node.op.inline_graph(node)
