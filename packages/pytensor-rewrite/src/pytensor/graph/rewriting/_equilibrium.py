"""``EquilibriumGraphRewriter``: apply rewrites until none applies (layer: pytensor-rewrite)."""

from __future__ import annotations

import time
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pytensor.configdefaults import config
from pytensor.graph.rewriting import _config  # noqa: F401  (declares optdb__max_use_ratio)
from pytensor.graph.rewriting._core import GraphRewriter, NodeRewriter, RewriteWarning
from pytensor.graph.rewriting._profile import ChangeTracker, RewriteProfile, rewriter_name
from pytensor.graph.rewriting._walking import _DEFAULT, NodeProcessingGraphRewriter, _flatten
from pytensor.graph.traversal import io_toposort

if TYPE_CHECKING:
    from pytensor.graph.basic import Apply, Variable
    from pytensor.graph.fg import FunctionGraph

__all__ = ["EquilibriumGraphRewriter"]


class EquilibriumGraphRewriter(NodeProcessingGraphRewriter):
    """Apply node and graph rewriters again and again until the graph stops changing.

    Each iteration runs the graph rewriters, then walks the graph (from the
    outputs) applying the node rewriters that track each node's Op, then
    runs the ``final_rewriters``. ``cleanup_rewriters`` (typically a
    MergeOptimizer) run after every change. It stops at the first iteration
    that changes nothing.

    A set of rewrites that undo each other would loop forever: once one
    rewriter has been applied more than ``max_use_ratio`` times the number
    of nodes the graph started with, the rewriter stops and warns, naming
    the rewrites that kept firing.

    Parameters
    ----------
    rewriters
        NodeRewriters and GraphRewriters.
    failure_callback
        See :class:`NodeProcessingGraphRewriter`.
    ignore_newtrees
        Do not visit nodes created during a walk until the next iteration.
    tracks_on_change_inputs
        Visit again a node whose input was replaced.
    max_use_ratio
        Default: ``config.optdb__max_use_ratio``.
    final_rewriters, cleanup_rewriters
        GraphRewriters run at the end of each iteration, and after each change.

    Examples
    --------
    >>> from pytensor.graph.fg import FunctionGraph
    >>> from pytensor.graph.rewriting._examples import exp, local_log_exp, log, x
    >>> fg = FunctionGraph([x], [exp(log(exp(log(exp(x)))))])
    >>> _ = EquilibriumGraphRewriter([local_log_exp], max_use_ratio=10).rewrite(fg)
    >>> fg.outputs[0].owner.op, fg.outputs[0].owner.inputs
    (Exp, [x])
    """

    def __init__(
        self,
        rewriters: Sequence[NodeRewriter | GraphRewriter],
        failure_callback: Callable[..., Any] | None = _DEFAULT,
        ignore_newtrees: bool = True,
        tracks_on_change_inputs: bool = False,
        max_use_ratio: float | None = None,
        final_rewriters: Sequence[GraphRewriter] | None = None,
        cleanup_rewriters: Sequence[GraphRewriter] | None = None,
    ) -> None:
        super().__init__(None, ignore_newtrees, failure_callback)
        self.node_rewriters: list[NodeRewriter] = []
        self.global_rewriters: list[GraphRewriter] = []
        for rw in rewriters:
            if isinstance(rw, NodeRewriter):
                for sub in _flatten(rw):
                    self.node_rewriters.append(sub)
                    self._tracker.add_tracker(sub)
            elif isinstance(rw, GraphRewriter):
                self.global_rewriters.append(rw)
            else:
                raise TypeError(
                    f"EquilibriumGraphRewriter: {rw!r} is neither a NodeRewriter nor a GraphRewriter"
                )
        self.final_rewriters = list(final_rewriters or ())
        self.cleanup_rewriters = list(cleanup_rewriters or ())
        self.tracks_on_change_inputs = tracks_on_change_inputs
        self.max_use_ratio = max_use_ratio

    def get_node_rewriters(self) -> list[NodeRewriter]:
        return list(self.node_rewriters)

    def _all(self) -> list[Any]:
        return [
            *self.global_rewriters,
            *self.node_rewriters,
            *self.final_rewriters,
            *self.cleanup_rewriters,
        ]

    def add_requirements(self, fgraph: FunctionGraph) -> None:
        for rw in self._all():
            rw.add_requirements(fgraph)

    def _run_graph_rewriter(
        self, fgraph: FunctionGraph, rw: GraphRewriter, prof: RewriteProfile, tracker: ChangeTracker
    ) -> bool:
        st = prof.stats(rw)
        created, removed = tracker.created, tracker.removed
        tracker.reset()
        t0 = time.perf_counter()
        chk = fgraph.checkpoint()  # type: ignore[attr-defined]
        try:
            rw.apply(fgraph)
        except Exception as exc:
            st.failures += 1
            fgraph.revert(chk)  # type: ignore[attr-defined]
            if self.failure_callback is None:
                raise
            self.failure_callback(exc, self, [], rw, None)
            return False
        finally:
            st.time += time.perf_counter() - t0
            st.calls += 1
        if not tracker.changed:
            return False
        st.applied += 1
        st.nodes_created += tracker.created - created
        st.nodes_removed += tracker.removed - removed
        return True

    def _cleanup(self, fgraph: FunctionGraph, prof: RewriteProfile, tracker: ChangeTracker) -> bool:
        changed = False
        for rw in self.cleanup_rewriters:
            changed |= self._run_graph_rewriter(fgraph, rw, prof, tracker)
        return changed

    def apply(
        self, fgraph: FunctionGraph, start_from: Sequence[Variable] | None = None
    ) -> RewriteProfile:
        prof = RewriteProfile.start(self, fgraph)
        t_start = time.perf_counter()
        ratio = (
            self.max_use_ratio if self.max_use_ratio is not None else config.optdb__max_use_ratio
        )
        max_use = max(int(ratio * len(fgraph.apply_nodes)), 1)
        counts: dict[Any, int] = {}
        culprits: list[Any] = []
        tracker = ChangeTracker()
        fgraph.attach_feature(tracker)
        iterations = 0
        try:
            while not culprits:
                iterations += 1
                changed = False
                for rw in self.global_rewriters:
                    if self._run_graph_rewriter(fgraph, rw, prof, tracker):
                        changed = True
                        counts[rw] = counts.get(rw, 0) + 1
                        if counts[rw] > max_use:
                            culprits.append(rw)
                        self._cleanup(fgraph, prof, tracker)
                if culprits:
                    break
                changed |= self._node_pass(
                    fgraph, start_from, prof, tracker, counts, max_use, culprits
                )
                if culprits:
                    break
                for rw in self.final_rewriters:
                    changed |= self._run_graph_rewriter(fgraph, rw, prof, tracker)
                if not changed:
                    break
        finally:
            fgraph.remove_feature(tracker)
        prof.iterations = iterations
        if culprits:
            self._warn_max_use(prof, culprits, counts, ratio)
        prof.time = time.perf_counter() - t_start
        prof.nodes_after = len(fgraph.apply_nodes)
        return prof

    def _node_pass(
        self,
        fgraph: FunctionGraph,
        start_from: Sequence[Variable] | None,
        prof: RewriteProfile,
        tracker: ChangeTracker,
        counts: dict[Any, int],
        max_use: int,
        culprits: list[Any],
    ) -> bool:
        if not self.node_rewriters:
            return False
        queue: deque[Apply] = deque(io_toposort(fgraph.inputs, start_from or fgraph.outputs))
        current: list[Apply | None] = [None]

        def importer(node: Apply) -> None:
            if node is not current[0]:
                queue.append(node)

        def chin(
            node: Apply, i: int, var: Variable, new_var: Variable, reason: str | None = None
        ) -> None:
            if node is not current[0] and node in fgraph.apply_nodes:
                queue.append(node)

        updater = self.attach_updater(
            fgraph,
            None if self.ignore_newtrees else importer,
            None,
            chin if self.tracks_on_change_inputs else None,
            name=rewriter_name(self),
        )
        changed = False
        nodes = fgraph.apply_nodes
        get_trackers = self._tracker.get_trackers
        try:
            while queue:
                node = queue.pop()
                if node not in nodes:
                    continue
                current[0] = node
                for rw in get_trackers(node.op):
                    if not self.process_node(fgraph, node, rw, profile=prof, tracker=tracker):
                        continue
                    changed = True
                    counts[rw] = counts.get(rw, 0) + 1
                    if counts[rw] > max_use:
                        culprits.append(rw)
                        return True
                    self._cleanup(fgraph, prof, tracker)
                    if node not in nodes:
                        break
        finally:
            self.detach_updater(fgraph, updater)
        return changed

    def _warn_max_use(
        self, prof: RewriteProfile, culprits: list[Any], counts: dict[Any, int], ratio: float
    ) -> None:
        # Name every rewrite that fired about as often as the one that hit the limit:
        # in a cycle they all keep firing together.
        top = max(counts.values())
        busy = [rw for rw, c in sorted(counts.items(), key=lambda kv: -kv[1]) if c * 2 >= top]
        names = ", ".join(f"{rewriter_name(rw)} ({counts[rw]} times)" for rw in busy)
        msg = (
            f"{type(self).__name__} {rewriter_name(self)} stopped before reaching a fixed point: "
            f"{rewriter_name(culprits[0])} exceeded max_use_ratio={ratio:g} applications per node. "
            f"Rewrites that kept firing: {names}. They may undo each other; if the graph is just "
            "large, raise config.optdb__max_use_ratio."
        )
        prof.notes.append(msg)
        if config.on_opt_error == "raise":
            raise RuntimeError(msg)
        warnings.warn(msg, RewriteWarning, stacklevel=3)

    def print_summary(self, stream: Any = None, level: int = 0, depth: int = -1) -> None:
        import sys

        stream = stream or sys.stdout
        super().print_summary(stream, level, depth)
        if depth != 0:
            for rw in self._all():
                rw.print_summary(stream, level + 2, depth - 1)

    def __str__(self) -> str:
        return getattr(self, "name", None) or type(self).__name__
