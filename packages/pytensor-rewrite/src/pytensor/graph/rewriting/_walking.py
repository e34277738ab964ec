"""Graph rewriters that walk the nodes of a graph and apply node rewriters (layer: pytensor-rewrite)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from pytensor.graph.features import Feature
from pytensor.graph.rewriting import _replace
from pytensor.graph.rewriting._core import (
    GraphRewriter,
    NodeRewriter,
    OpToRewriterTracker,
    SequentialNodeRewriter,
)
from pytensor.graph.rewriting._profile import ChangeTracker, RewriteProfile, rewriter_name
from pytensor.graph.traversal import apply_ancestors, io_toposort

if TYPE_CHECKING:
    from pytensor.graph.basic import Apply, Variable
    from pytensor.graph.fg import FunctionGraph

__all__ = [
    "DispatchingFeature",
    "NodeProcessingGraphRewriter",
    "OpKeyGraphRewriter",
    "Updater",
    "WalkingGraphRewriter",
    "dfs_rewriter",
    "in2out",
    "out2in",
    "walking_rewriter",
]

WalkOrder = Literal["out_to_in", "in_to_out", "dfs"]

#: Stands for "the failure callback was not given": follow config.on_opt_error.
_DEFAULT: Any = object()


class Updater(Feature):
    """Forwards imports, prunes and input changes of a graph to three callables."""

    def __init__(
        self,
        importer: Callable[[Apply], Any] | None,
        pruner: Callable[[Apply], Any] | None,
        chin: Callable[..., Any] | None,
        name: str | None = None,
    ) -> None:
        self.importer, self.pruner, self.chin, self.name = importer, pruner, chin, name

    def __str__(self) -> str:
        return f"Updater{{{self.name}}}"

    def on_import(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        if self.importer is not None:
            self.importer(node)

    def on_prune(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        if self.pruner is not None:
            self.pruner(node)

    def on_change_input(
        self,
        fgraph: FunctionGraph,
        node: Apply,
        i: int,
        var: Variable,
        new_var: Variable,
        reason: str | None = None,
    ) -> None:
        if self.chin is not None:
            self.chin(node, i, var, new_var, reason)

    def on_detach(self, fgraph: FunctionGraph) -> None:
        self.importer = self.pruner = self.chin = None


#: PyTensor's name for :class:`Updater`.
DispatchingFeature = Updater


def _flatten(rewriter: NodeRewriter) -> list[NodeRewriter]:
    if isinstance(rewriter, SequentialNodeRewriter) and not rewriter.apply_all_rewrites:
        return [r for sub in rewriter.rewrites for r in _flatten(sub)]
    return [rewriter]


class NodeProcessingGraphRewriter(GraphRewriter):
    """Base of graph rewriters that apply node rewriters one node at a time.

    ``failure_callback(exc, self, pairs, node_rewriter, node)`` handles a
    node rewrite that raises, returns garbage or is vetoed; by default it
    follows ``config.on_opt_error`` (and skips DestroyHandler vetoes
    quietly); None makes every failure raise.
    """

    warn = staticmethod(_replace.warn)
    warn_inplace = staticmethod(_replace.warn_inplace)
    warn_ignore = staticmethod(_replace.warn_ignore)

    def __init__(
        self,
        node_rewriter: NodeRewriter | None = None,
        ignore_newtrees: bool = True,
        failure_callback: Callable[..., Any] | None = _DEFAULT,
    ) -> None:
        self.node_rewriter = node_rewriter
        self.ignore_newtrees = ignore_newtrees
        self.failure_callback = (
            _replace.warn_inplace if failure_callback is _DEFAULT else failure_callback
        )
        self._tracker = OpToRewriterTracker()
        if node_rewriter is not None:
            for rw in _flatten(node_rewriter):
                self._tracker.add_tracker(rw)

    @staticmethod
    def attach_updater(
        fgraph: FunctionGraph,
        importer: Callable[[Apply], Any] | None,
        pruner: Callable[[Apply], Any] | None,
        chin: Callable[..., Any] | None = None,
        name: str | None = None,
    ) -> Updater | None:
        """Attach an :class:`Updater` calling the given callables (None if all are None)."""
        if importer is None and pruner is None and chin is None:
            return None
        updater = Updater(importer, pruner, chin, name=name)
        fgraph.attach_feature(updater)
        return updater

    @staticmethod
    def detach_updater(fgraph: FunctionGraph, updater: Updater | None) -> None:
        if updater is not None:
            fgraph.remove_feature(updater)

    def process_node(
        self,
        fgraph: FunctionGraph,
        node: Apply,
        node_rewriter: NodeRewriter | None = None,
        enforce_tracks: bool = True,
        *,
        profile: RewriteProfile | None = None,
        tracker: ChangeTracker | None = None,
    ) -> bool:
        """Apply ``node_rewriter`` (default: this rewriter's) to ``node``; return whether it changed.

        ``enforce_tracks`` is accepted for compatibility: node rewriters check
        their own tracks when called directly.
        """
        rw = node_rewriter if node_rewriter is not None else self.node_rewriter
        if rw is None:
            return False
        stats = profile.stats(rw) if profile is not None else None
        return _replace.apply_node_rewrite(
            fgraph, rw, node, self.failure_callback, self, stats, tracker
        )

    def _rewrite_node(
        self, fgraph: FunctionGraph, node: Apply, profile: RewriteProfile, tracker: ChangeTracker
    ) -> list[NodeRewriter]:
        """Try every tracked rewriter on ``node`` until it leaves the graph; return those that fired."""
        fired = []
        for rw in self._tracker.get_trackers(node.op):
            if self.process_node(fgraph, node, rw, profile=profile, tracker=tracker):
                fired.append(rw)
                if node not in fgraph.apply_nodes:
                    break
        return fired

    def add_requirements(self, fgraph: FunctionGraph) -> None:
        if self.node_rewriter is not None:
            self.node_rewriter.add_requirements(fgraph)


class WalkingGraphRewriter(NodeProcessingGraphRewriter):
    """Visit every node once in topological order and apply a node rewriter to it.

    ``order="in_to_out"`` goes from the inputs to the outputs, and nodes
    created along the way are visited at the end; ``"out_to_in"`` starts at
    the outputs and visits new nodes right after they are created; ``"dfs"``
    visits each node before the nodes it depends on, depth first from the
    outputs (a parent is rewritten before its inputs are looked at). A node
    is only shown to the rewriters that track its Op.

    Examples
    --------
    >>> from pytensor.graph.fg import FunctionGraph
    >>> from pytensor.graph.rewriting._examples import exp, local_log_exp, log, x
    >>> fg = FunctionGraph([x], [log(exp(log(exp(x))))])
    >>> profile = WalkingGraphRewriter(local_log_exp, order="out_to_in").rewrite(fg)
    >>> fg.outputs
    [x]
    >>> profile.rewrites[local_log_exp].applied
    2
    """

    def __init__(
        self,
        node_rewriter: NodeRewriter,
        order: WalkOrder = "in_to_out",
        ignore_newtrees: bool = False,
        failure_callback: Callable[..., Any] | None = _DEFAULT,
    ) -> None:
        if order not in ("out_to_in", "in_to_out", "dfs"):
            raise ValueError(f"order must be 'out_to_in', 'in_to_out' or 'dfs', not {order!r}")
        if not isinstance(node_rewriter, NodeRewriter):
            raise TypeError(f"WalkingGraphRewriter needs a NodeRewriter, got {node_rewriter!r}")
        super().__init__(node_rewriter, ignore_newtrees, failure_callback)
        self.order = order

    def apply(
        self, fgraph: FunctionGraph, start_from: Sequence[Variable] | None = None
    ) -> RewriteProfile:
        prof = RewriteProfile.start(self, fgraph)
        t0 = time.perf_counter()
        roots = start_from or fgraph.outputs
        if self.order == "dfs":
            queue: deque[Apply] = deque(apply_ancestors(roots))
        else:
            queue = deque(io_toposort(fgraph.inputs, roots))
        current: list[Apply | None] = [None]

        def importer(node: Apply) -> None:
            if node is not current[0]:
                queue.append(node)

        tracker = ChangeTracker()
        fgraph.attach_feature(tracker)
        updater = self.attach_updater(
            fgraph, None if self.ignore_newtrees else importer, None, name=rewriter_name(self)
        )
        pop = queue.pop if self.order == "out_to_in" else queue.popleft
        nodes = fgraph.apply_nodes
        try:
            while queue:
                node = pop()
                if node not in nodes:
                    continue
                current[0] = node
                self._rewrite_node(fgraph, node, prof, tracker)
        finally:
            self.detach_updater(fgraph, updater)
            fgraph.remove_feature(tracker)
        prof.time = time.perf_counter() - t0
        prof.nodes_after = len(fgraph.apply_nodes)
        return prof

    def __str__(self) -> str:
        return (
            getattr(self, "name", None)
            or f"{type(self).__name__}({self.node_rewriter}, {self.order})"
        )


class OpKeyGraphRewriter(NodeProcessingGraphRewriter):
    """Apply a node rewriter to the nodes of one Op, given by ``node_rewriter.op_key()``."""

    def __init__(
        self,
        node_rewriter: NodeRewriter,
        ignore_newtrees: bool = False,
        failure_callback: Callable[..., Any] | None = _DEFAULT,
    ) -> None:
        if not hasattr(node_rewriter, "op_key"):
            raise TypeError(f"{node_rewriter} has no op_key method, which OpKeyGraphRewriter needs")
        super().__init__(node_rewriter, ignore_newtrees, failure_callback)

    def apply(self, fgraph: FunctionGraph) -> RewriteProfile:
        prof = RewriteProfile.start(self, fgraph)
        t0 = time.perf_counter()
        op = self.node_rewriter.op_key()  # type: ignore[union-attr]
        matches: Callable[[Apply], bool]
        if isinstance(op, type):
            matches = lambda n: isinstance(n.op, op)  # noqa: E731
        else:
            matches = lambda n: n.op == op  # noqa: E731
        queue = deque(n for n in io_toposort(fgraph.inputs, fgraph.outputs) if matches(n))

        def importer(node: Apply) -> None:
            if matches(node):
                queue.append(node)

        tracker = ChangeTracker()
        fgraph.attach_feature(tracker)
        updater = self.attach_updater(fgraph, None if self.ignore_newtrees else importer, None)
        try:
            while queue:
                node = queue.popleft()
                if node in fgraph.apply_nodes:
                    self.process_node(fgraph, node, profile=prof, tracker=tracker)
        finally:
            self.detach_updater(fgraph, updater)
            fgraph.remove_feature(tracker)
        prof.time = time.perf_counter() - t0
        prof.nodes_after = len(fgraph.apply_nodes)
        return prof


def walking_rewriter(
    order: WalkOrder, *node_rewriters: NodeRewriter, name: str | None = None, **kwargs: Any
) -> WalkingGraphRewriter:
    """A :class:`WalkingGraphRewriter` in ``order`` applying ``node_rewriters``.

    Several rewriters are tried in turn on each node; failures follow
    ``config.on_opt_error`` unless ``failure_callback`` is given.
    """
    return _walker(order, node_rewriters, name, **kwargs)


def _walker(
    order: WalkOrder,
    rewriters: tuple[NodeRewriter, ...],
    name: str | None,
    **kwargs: Any,
) -> WalkingGraphRewriter:
    if not rewriters:
        raise TypeError("in2out/out2in/dfs_rewriter need at least one node rewriter")
    rw = rewriters[0] if len(rewriters) == 1 else SequentialNodeRewriter(*rewriters)
    kwargs.setdefault("failure_callback", _replace.warn_inplace)
    walker = WalkingGraphRewriter(rw, order=order, **kwargs)
    walker.name = name or rewriter_name(rw)
    return walker


def in2out(
    *node_rewriters: NodeRewriter, name: str | None = None, **kwargs: Any
) -> WalkingGraphRewriter:
    """A :class:`WalkingGraphRewriter` applying ``node_rewriters`` from the inputs to the outputs.

    Examples
    --------
    >>> from pytensor.graph.rewriting._examples import local_log_exp
    >>> in2out(local_log_exp).order
    'in_to_out'
    """
    return _walker("in_to_out", node_rewriters, name, **kwargs)


def out2in(
    *node_rewriters: NodeRewriter, name: str | None = None, **kwargs: Any
) -> WalkingGraphRewriter:
    """A :class:`WalkingGraphRewriter` applying ``node_rewriters`` from the outputs to the inputs.

    Examples
    --------
    >>> from pytensor.graph.rewriting._examples import local_log_exp
    >>> out2in(local_log_exp).order
    'out_to_in'
    """
    return _walker("out_to_in", node_rewriters, name, **kwargs)


def dfs_rewriter(
    *node_rewriters: NodeRewriter, name: str | None = None, **kwargs: Any
) -> WalkingGraphRewriter:
    """A :class:`WalkingGraphRewriter` applying ``node_rewriters`` depth first from the outputs.

    Examples
    --------
    >>> from pytensor.graph.rewriting._examples import local_log_exp
    >>> dfs_rewriter(local_log_exp).order
    'dfs'
    """
    return _walker("dfs", node_rewriters, name, **kwargs)
