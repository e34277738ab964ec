"""Helpers around rewriting: ``rewrite_graph`` and graph comparisons (layer: pytensor-rewrite)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

from pytensor.graph.basic import Apply, Variable, equal_computations
from pytensor.graph.fg import FunctionGraph, Output

__all__ = ["get_clients_at_depth", "is_same_graph", "rewrite_graph"]


@overload
def rewrite_graph(
    graph: Variable,
    include: Sequence[str] = ...,
    custom_rewrite: Any = ...,
    clone: bool = ...,
    **kwargs: Any,
) -> Variable: ...
@overload
def rewrite_graph(
    graph: Sequence[Variable],
    include: Sequence[str] = ...,
    custom_rewrite: Any = ...,
    clone: bool = ...,
    **kwargs: Any,
) -> list[Variable]: ...
@overload
def rewrite_graph(
    graph: FunctionGraph,
    include: Sequence[str] = ...,
    custom_rewrite: Any = ...,
    clone: bool = ...,
    **kwargs: Any,
) -> FunctionGraph: ...
def rewrite_graph(
    graph: Variable | Sequence[Variable] | FunctionGraph,
    include: Sequence[str] = ("canonicalize",),
    custom_rewrite: Any = None,
    clone: bool = False,
    **kwargs: Any,
) -> Variable | list[Variable] | FunctionGraph:
    """Apply the rewrites of ``optdb`` selected by ``include`` (and ``kwargs``) to a graph.

    Parameters
    ----------
    graph
        A variable, a list of variables, or a FunctionGraph (changed in place).
    include
        Tags of the rewrites to apply.
    custom_rewrite
        A graph rewriter applied afterwards.
    clone
        Copy the graph first instead of rewriting the given variables' graph.
    **kwargs
        More fields of the :class:`~pytensor.graph.rewriting.db.RewriteDatabaseQuery`
        (``exclude``, ``require``, ...).

    Returns
    -------
    The rewritten graph, in the form it was given.

    Examples
    --------
    >>> from pytensor.graph.rewriting._examples import exp, log, local_log_exp, x
    >>> from pytensor.graph.rewriting.basic import in2out
    >>> out = rewrite_graph(exp(log(exp(x))), custom_rewrite=in2out(local_log_exp))
    >>> out.owner.op, out.owner.inputs
    (Exp, [x])
    """
    from pytensor.graph.rewriting._optdb import optdb
    from pytensor.graph.rewriting.db import RewriteDatabaseQuery

    if isinstance(graph, FunctionGraph):
        fgraph = graph
    else:
        outputs: list[Variable] = list(graph) if isinstance(graph, (list, tuple)) else [graph]  # type: ignore[list-item]
        fgraph = FunctionGraph(outputs=outputs, clone=clone)
    optdb.query(RewriteDatabaseQuery(include=include, **kwargs)).rewrite(fgraph)
    if custom_rewrite is not None:
        custom_rewrite.rewrite(fgraph)
    if isinstance(graph, FunctionGraph):
        return fgraph
    if isinstance(graph, (list, tuple)):
        return list(fgraph.outputs)
    return fgraph.outputs[0]


def is_same_graph(
    var1: Variable, var2: Variable, givens: dict[Variable, Variable] | None = None
) -> bool:
    """Whether ``var1`` and ``var2`` compute the same thing, reading ``givens`` keys as their values."""
    givens = dict(givens or {})
    return equal_computations([var1], [var2], in_xs=list(givens), in_ys=list(givens.values()))


def get_clients_at_depth(fgraph: FunctionGraph, node: Apply, depth: int) -> Iterator[Apply]:
    """The nodes that read ``node``'s outputs through exactly ``depth`` steps (1: direct clients)."""
    frontier = [node]
    for _ in range(depth):
        nxt: dict[Apply, None] = {}
        for n in frontier:
            for out in n.outputs:
                for client, _ in fgraph.clients.get(out, ()):
                    if not isinstance(client.op, Output):
                        nxt[client] = None
        frontier = list(nxt)
    yield from frontier
