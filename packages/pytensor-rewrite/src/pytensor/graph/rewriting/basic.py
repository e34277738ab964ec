"""The rewriters: node and graph rewriters, walkers, equilibrium, merge and patterns (layer: pytensor-rewrite).

This is PyTensor's ``pytensor.graph.rewriting.basic``; the classes are
defined in private modules of this package and collected here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pytensor.graph.basic import Variable
from pytensor.graph.rewriting._core import (
    FromFunctionGraphRewriter,
    FromFunctionNodeRewriter,
    GraphRewriter,
    NodeRewriter,
    OpToRewriterTracker,
    Rewriter,
    RewriteWarning,
    SequentialGraphRewriter,
    SequentialNodeRewriter,
    graph_rewriter,
    inplace_graph_rewriter,
    node_rewriter,
)
from pytensor.graph.rewriting._equilibrium import EquilibriumGraphRewriter
from pytensor.graph.rewriting._merge import (
    MergeFeature,
    MergeOptimizer,
    merge_optimizer,
    pre_constant_merge,
)
from pytensor.graph.rewriting._pattern import (
    PatternNodeRewriter,
    RemovalNodeRewriter,
    SubstitutionNodeRewriter,
)
from pytensor.graph.rewriting._profile import ChangeTracker, RewriteProfile, RewriterStats
from pytensor.graph.rewriting._replace import InvalidReplacementError, apply_node_rewrite
from pytensor.graph.rewriting._walking import (
    DispatchingFeature,
    NodeProcessingGraphRewriter,
    OpKeyGraphRewriter,
    Updater,
    WalkingGraphRewriter,
    dfs_rewriter,
    in2out,
    out2in,
    walking_rewriter,
)

if TYPE_CHECKING:
    from pytensor.graph.fg import FunctionGraph

__all__ = [
    "ChangeTracker",
    "DispatchingFeature",
    "EquilibriumGraphRewriter",
    "FromFunctionGraphRewriter",
    "FromFunctionNodeRewriter",
    "GraphRewriter",
    "InvalidReplacementError",
    "MergeFeature",
    "MergeOptimizer",
    "NodeProcessingGraphRewriter",
    "NodeRewriter",
    "OpKeyGraphRewriter",
    "OpToRewriterTracker",
    "PatternNodeRewriter",
    "RemovalNodeRewriter",
    "RewriteProfile",
    "RewriteWarning",
    "Rewriter",
    "RewriterStats",
    "SequentialGraphRewriter",
    "SequentialNodeRewriter",
    "SubstitutionNodeRewriter",
    "Updater",
    "WalkingGraphRewriter",
    "apply_node_rewrite",
    "check_stack_trace",
    "copy_stack_trace",
    "dfs_rewriter",
    "graph_rewriter",
    "in2out",
    "inherit_stack_trace",
    "inplace_graph_rewriter",
    "merge_optimizer",
    "node_rewriter",
    "out2in",
    "pre_constant_merge",
    "pre_greedy_node_rewriter",
    "walking_rewriter",
]


def copy_stack_trace(
    from_var: Variable | Sequence[Variable], to_var: Variable | Sequence[Variable]
) -> None:
    """Give ``to_var`` the creation traces (``tag.trace``) of ``from_var``, so errors point at user code."""
    sources = [from_var] if isinstance(from_var, Variable) else list(from_var)
    traces: list[Any] = []
    for v in sources:
        traces.extend(getattr(v.tag, "trace", ()))
    targets = [to_var] if isinstance(to_var, Variable) else list(to_var)
    for v in targets:
        existing = list(getattr(v.tag, "trace", ()))
        v.tag.trace = existing + [t for t in traces if t not in existing]


@contextlib.contextmanager
def inherit_stack_trace(from_var: Variable | Sequence[Variable]) -> Iterator[None]:
    """Context manager kept for PyTensor compatibility.

    PyTensor copies ``from_var``'s creation traces onto variables built in
    the block. This graph layer records no creation traces by default, so
    there is nothing to copy; call :func:`copy_stack_trace` explicitly when
    traces matter.
    """
    yield


def check_stack_trace(
    fgraph: FunctionGraph, ops_to_check: Any = "last", bug_print: str = "raise"
) -> bool:
    """Whether the outputs of the checked nodes carry a creation trace.

    ``ops_to_check`` is "last" (the nodes computing the graph outputs),
    "all", an Op class or instance, or a tuple of them.
    """
    if ops_to_check == "last":
        nodes = [o.owner for o in fgraph.outputs if o.owner is not None]
    elif ops_to_check == "all":
        nodes = list(fgraph.apply_nodes)
    else:
        checks = ops_to_check if isinstance(ops_to_check, tuple) else (ops_to_check,)
        classes = tuple(c for c in checks if isinstance(c, type))
        nodes = [
            n
            for n in fgraph.apply_nodes
            if (classes and isinstance(n.op, classes)) or n.op in checks
        ]
    return all(getattr(o.tag, "trace", None) for n in nodes for o in n.outputs)


def pre_greedy_node_rewriter(
    fgraph: FunctionGraph, rewrites: Sequence[NodeRewriter], out: Variable
) -> Variable:
    """Apply node rewrites to the graph of ``out`` before it is inserted into ``fgraph``.

    Nodes already in ``fgraph`` are left alone; each new node is given to
    the rewrites (inputs first), and the first one that returns a
    replacement wins. Returns the rewritten ``out``.
    """
    from pytensor.graph.traversal import io_toposort

    tracker = OpToRewriterTracker()
    for rw in rewrites:
        tracker.add_tracker(rw)
    memo: dict[Variable, Variable] = {}
    for node in io_toposort(list(fgraph.variables), [out]):
        if node in fgraph.apply_nodes:
            continue
        inputs = [memo.get(i, i) for i in node.inputs]
        work = node
        if any(a is not b for a, b in zip(inputs, node.inputs, strict=True)):
            work = node.clone_with_new_inputs(inputs)
        final: Sequence[Variable] = work.outputs
        for rw in tracker.get_trackers(work.op):
            ret = rw.transform(fgraph, work)
            if isinstance(ret, (list, tuple)) and len(ret) == len(work.outputs):
                final = ret
                break
        for old, new in zip(node.outputs, final, strict=True):
            if new is not old:
                memo[old] = new
    return memo.get(out, out)
