"""Common-subexpression elimination: ``MergeFeature`` and ``MergeOptimizer`` (layer: pytensor-rewrite).

Two Apply nodes are the same computation when they apply equal Ops to the
same input variables; two constants are the same when their
``merge_signature()`` is equal. The feature keeps an index of both as the
graph changes, so each merge pass only looks at what changed since the
last one.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.features import AlreadyThere, Feature
from pytensor.graph.fg import Output
from pytensor.graph.rewriting._core import GraphRewriter
from pytensor.graph.rewriting._profile import RewriteProfile
from pytensor.graph.traversal import ancestors, io_toposort
from pytensor.graph.utils import InconsistencyError

if TYPE_CHECKING:
    from pytensor.graph.fg import FunctionGraph

__all__ = ["MergeFeature", "MergeOptimizer", "merge_optimizer", "pre_constant_merge"]


class _NodeKey:
    """``(op, inputs)`` with its hash computed once (Op hashes walk their props)."""

    __slots__ = ("hash", "inputs", "op")

    def __init__(self, op: Any, inputs: tuple[Variable, ...]) -> None:
        self.op = op
        self.inputs = inputs
        self.hash = hash((op, inputs))

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _NodeKey)
            and self.hash == other.hash
            and self.inputs == other.inputs
            and (self.op is other.op or self.op == other.op)
        )


def _node_key(node: Apply) -> Hashable | None:
    """What identifies the computation of ``node`` (None: never merge it)."""
    if node.op.destroy_map:
        # Two nodes that overwrite their inputs are two different writes.
        return None
    try:
        return _NodeKey(node.op, tuple(node.inputs))
    except TypeError:  # an Op with unhashable props is never merged
        return None


def _overwritten(fgraph: FunctionGraph, node: Apply) -> bool:
    """Whether some node overwrites an output of ``node`` (merging would hand it to two readers)."""
    for out in node.outputs:
        for client, i in fgraph.clients.get(out, ()):
            if any(i in idxs for idxs in client.op.destroy_map.values()):
                return True
    return False


def _const_key(c: Constant) -> Hashable | None:
    try:
        sig = (type(c), c.merge_signature())
        hash(sig)
    except Exception:
        return None
    return sig


class MergeFeature(Feature):
    """Index of the graph's nodes and constants by what they compute.

    It records candidate pairs ``(duplicate, original)`` as they appear
    (on import and when an input changes); :class:`MergeOptimizer` then
    replaces each duplicate with its original. The first node or constant
    seen with a given key is the one kept.
    """

    def __init__(self) -> None:
        self.fgraph: FunctionGraph | None = None
        self.key_of: dict[Apply, Hashable] = {}
        self.node_of: dict[Hashable, Apply] = {}
        self.const_of: dict[Hashable, Constant] = {}
        self.pending: deque[tuple[Any, Any]] = deque()
        self.refused: set[tuple[Any, Any]] = set()

    def on_attach(self, fgraph: FunctionGraph) -> None:
        if self.fgraph is not None or hasattr(fgraph, "merge_feature"):
            raise AlreadyThere("A MergeFeature is already attached")
        self.fgraph = fgraph
        fgraph.merge_feature = self  # type: ignore[attr-defined]
        for node in io_toposort(fgraph.inputs, fgraph.outputs):
            self.on_import(fgraph, node, "on_attach")
        for out in fgraph.outputs:
            if isinstance(out, Constant):
                self._see_constant(out)

    def on_detach(self, fgraph: FunctionGraph) -> None:
        self.fgraph = None
        del fgraph.merge_feature  # type: ignore[attr-defined]
        self.key_of.clear()
        self.node_of.clear()
        self.const_of.clear()
        self.pending.clear()

    def clone(self) -> MergeFeature:
        return MergeFeature()

    def _see_constant(self, c: Constant) -> None:
        key = _const_key(c)
        if key is None:
            return
        first = self.const_of.get(key)
        if first is None:
            self.const_of[key] = c
        elif first is not c:
            self.pending.append((c, first))

    def _index(self, node: Apply) -> None:
        key = _node_key(node)
        if key is None:
            return
        self.key_of[node] = key
        first = self.node_of.get(key)
        if first is None:
            self.node_of[key] = node
        elif first is not node:
            self.pending.append((node, first))

    def _unindex(self, node: Apply) -> None:
        key = self.key_of.pop(node, None)
        if key is not None and self.node_of.get(key) is node:
            del self.node_of[key]

    def on_import(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        for inp in node.inputs:
            if isinstance(inp, Constant):
                self._see_constant(inp)
        self._index(node)

    def on_prune(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        self._unindex(node)

    def on_change_input(
        self,
        fgraph: FunctionGraph,
        node: Apply,
        i: int,
        var: Variable,
        new_var: Variable,
        reason: str | None = None,
    ) -> None:
        if isinstance(new_var, Constant):
            self._see_constant(new_var)
        if isinstance(node.op, Output) or node not in fgraph.apply_nodes:
            return
        self._unindex(node)
        self._index(node)

    def next_pair(self, fgraph: FunctionGraph) -> tuple[Any, Any] | None:
        """The next ``(duplicate, original)`` pair that is still valid, or None."""
        while self.pending:
            dup, orig = self.pending.popleft()
            if (dup, orig) in self.refused:
                continue
            if isinstance(dup, Constant):
                if dup in fgraph.variables and orig in fgraph.variables and fgraph.clients.get(dup):
                    return dup, orig
                if dup in fgraph.variables and orig not in fgraph.variables:
                    # The original left the graph: the duplicate takes over its key.
                    key = _const_key(dup)
                    if key is not None and self.const_of.get(key) is orig:
                        self.const_of[key] = dup
                continue
            if dup not in fgraph.apply_nodes:
                continue
            key = self.key_of.get(dup)
            if key is not None and orig in fgraph.apply_nodes and self.key_of.get(orig) == key:
                return dup, orig
            # The pair went stale: index the duplicate again under its current key.
            self._unindex(dup)
            self._index(dup)
        return None


class MergeOptimizer(GraphRewriter):
    """Merge equal constants and identical Apply nodes (common-subexpression elimination).

    The first run on a graph attaches a :class:`MergeFeature`; later runs
    only process what changed since, so running it after every rewrite (as
    an equilibrium cleanup) stays cheap.

    Examples
    --------
    >>> from pytensor.graph.fg import FunctionGraph
    >>> from pytensor.graph.rewriting._examples import add, exp, x
    >>> fg = FunctionGraph([x], [add(exp(x), exp(x))])
    >>> len(fg.apply_nodes)
    3
    >>> _ = MergeOptimizer().rewrite(fg)
    >>> len(fg.apply_nodes)
    2
    """

    def add_requirements(self, fgraph: FunctionGraph) -> None:
        if not hasattr(fgraph, "merge_feature"):
            fgraph.attach_feature(MergeFeature())

    def apply(self, fgraph: FunctionGraph) -> RewriteProfile:
        prof = RewriteProfile.start(self, fgraph)
        t0 = time.perf_counter()
        feature: MergeFeature | None = getattr(fgraph, "merge_feature", None)
        if feature is None:
            self.add_requirements(fgraph)
            feature = fgraph.merge_feature  # type: ignore[attr-defined]
        st = prof.stats(self)
        while True:
            pair = feature.next_pair(fgraph)
            if pair is None:
                break
            dup, orig = pair
            before = len(fgraph.apply_nodes)
            st.calls += 1
            if isinstance(dup, Constant):
                pairs = [(dup, orig)]
            else:
                pairs = list(zip(dup.outputs, orig.outputs, strict=True))
                if (
                    any(a.type != b.type for a, b in pairs)
                    or _overwritten(fgraph, dup)
                    or _overwritten(fgraph, orig)
                ):
                    feature.refused.add((dup, orig))
                    continue
            try:
                fgraph.replace_all_validate(pairs, reason="MergeOptimizer")  # type: ignore[attr-defined]
            except InconsistencyError:
                feature.refused.add((dup, orig))
                continue
            st.applied += 1
            st.nodes_removed += max(before - len(fgraph.apply_nodes), 0)
        st.time = time.perf_counter() - t0
        prof.time = st.time
        prof.nodes_after = len(fgraph.apply_nodes)
        return prof

    def __str__(self) -> str:
        return getattr(self, "name", None) or "MergeOptimizer"


def merge_optimizer(fgraph: FunctionGraph) -> RewriteProfile:
    """Run a MergeOptimizer on ``fgraph``."""
    prof: RewriteProfile = MergeOptimizer().rewrite(fgraph)
    return prof


def pre_constant_merge(fgraph: FunctionGraph, variables: Sequence[Variable]) -> list[Variable]:
    """Make the constants in the graphs of ``variables`` be those already in ``fgraph``.

    Meant for variables built by a rewrite and not yet in the graph: an
    equal constant already in ``fgraph`` is used instead of a new copy.
    The graphs are changed in place; the (possibly replaced) variables are
    returned.
    """
    known: dict[Hashable, Constant] = {}
    for v in fgraph.variables:
        if isinstance(v, Constant):
            key = _const_key(v)
            if key is not None:
                known.setdefault(key, v)
    seen: set[Apply] = set()

    def canonical(v: Variable) -> Variable:
        if isinstance(v, Constant):
            key = _const_key(v)
            if key is not None:
                return known.setdefault(key, v)
        return v

    for node in _owners(ancestors(variables, blockers=list(fgraph.variables))):
        if node in seen or node in fgraph.apply_nodes:
            continue
        seen.add(node)
        node.inputs = [canonical(i) for i in node.inputs]
    return [canonical(v) for v in variables]


def _owners(variables: Iterable[Variable]) -> Iterable[Apply]:
    for v in variables:
        if v.owner is not None:
            yield v.owner
