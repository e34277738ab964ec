"""Inlining of ``OpFromGraph`` nodes built with ``inline=True`` (layer: pytensor-rewrite)."""

from __future__ import annotations

from typing import Any

from pytensor.compile.builders import OpFromGraph
from pytensor.graph.basic import Apply
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import node_rewriter

__all__ = ["inline_ofg_expansion"]


@node_rewriter([OpFromGraph])
def inline_ofg_expansion(fgraph: FunctionGraph, node: Apply) -> Any:
    """Replace a node of an inline OpFromGraph by a copy of its inner graph.

    The outer rewrites then see (and optimise) the inner computation together
    with the rest of the graph.
    """
    op = node.op
    if not isinstance(op, OpFromGraph) or not op.is_inline:
        return False
    return op.inline_graph(node)
