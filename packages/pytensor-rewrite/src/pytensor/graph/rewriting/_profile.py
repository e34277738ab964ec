"""Rewrite profiles: time, applications and node churn per rewriter (layer: pytensor-rewrite).

Every graph rewriter's ``apply`` returns a :class:`RewriteProfile`; nested
rewriters nest their profiles, and ``str(profile)`` prints the tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pytensor.graph.features import Feature

if TYPE_CHECKING:
    from pytensor.graph.basic import Apply, Variable
    from pytensor.graph.fg import FunctionGraph

__all__ = ["ChangeTracker", "RewriteProfile", "RewriterStats", "rewriter_name"]


def rewriter_name(rewriter: Any) -> str:
    """The name a rewriter is reported under: its db name, its function name, or its class."""
    name = getattr(rewriter, "name", None) or getattr(rewriter, "__name__", None)
    if not name:
        name = (
            str(rewriter)
            if getattr(type(rewriter), "__str__", None) is not object.__str__
            else type(rewriter).__name__
        )
    return str(name)


@dataclass
class RewriterStats:
    """What one node (or graph) rewriter did during a run.

    ``calls`` counts attempts, ``applied`` the attempts that changed the graph;
    ``nodes_created`` and ``nodes_removed`` count Apply nodes that entered and
    left the graph because of this rewriter's replacements.
    """

    name: str
    time: float = 0.0
    calls: int = 0
    applied: int = 0
    nodes_created: int = 0
    nodes_removed: int = 0
    failures: int = 0

    def add(self, other: RewriterStats) -> None:
        self.time += other.time
        self.calls += other.calls
        self.applied += other.applied
        self.nodes_created += other.nodes_created
        self.nodes_removed += other.nodes_removed
        self.failures += other.failures


@dataclass
class RewriteProfile:
    """The profile of one run of a graph rewriter.

    Attributes
    ----------
    name, kind
        The rewriter's name and class name.
    time
        Seconds spent in the run.
    nodes_before, nodes_after
        Number of Apply nodes in the graph before and after.
    iterations
        Passes made (equilibrium rewriters; 1 otherwise).
    rewrites
        ``{rewriter: RewriterStats}`` for the node rewriters this run applied.
    children
        Profiles of nested graph rewriters, in the order they ran.
    notes
        Remarks such as "stopped: max_use_ratio exceeded by ...".
    """

    name: str
    kind: str
    time: float = 0.0
    nodes_before: int = 0
    nodes_after: int = 0
    iterations: int = 1
    rewrites: dict[Any, RewriterStats] = field(default_factory=dict)
    children: list[RewriteProfile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, rewriter: Any, fgraph: FunctionGraph) -> RewriteProfile:
        n = len(fgraph.apply_nodes)
        return cls(
            name=rewriter_name(rewriter),
            kind=type(rewriter).__name__,
            nodes_before=n,
            nodes_after=n,
        )

    def stats(self, rewriter: Any) -> RewriterStats:
        """The (created on demand) stats entry of ``rewriter``."""
        st = self.rewrites.get(rewriter)
        if st is None:
            st = self.rewrites[rewriter] = RewriterStats(rewriter_name(rewriter))
        return st

    def walk(self) -> Iterator[RewriteProfile]:
        """This profile and every nested one, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def totals(self) -> dict[str, RewriterStats]:
        """Stats per rewriter name, summed over the whole tree of profiles."""
        out: dict[str, RewriterStats] = {}
        for prof in self.walk():
            for st in prof.rewrites.values():
                agg = out.setdefault(st.name, RewriterStats(st.name))
                agg.add(st)
        return out

    @property
    def applied(self) -> int:
        """Number of replacements made in this run and the nested ones."""
        return sum(st.applied for st in self.totals().values())

    def summary(self, level: int = 0) -> str:
        """A readable multi-line report, indented by ``level`` steps."""
        pad = "  " * level
        label = self.kind if self.name == self.kind else f"{self.kind} {self.name}"
        head = f"{pad}{label}: {self.time:.4f}s, {self.nodes_before} -> {self.nodes_after} nodes"
        if self.iterations != 1:
            head += f", {self.iterations} iterations"
        lines = [head]
        lines.extend(f"{pad}  note: {n}" for n in self.notes)
        if self.rewrites:
            width = max(12, *(len(st.name) for st in self.rewrites.values()))
            lines.append(
                f"{pad}  {'rewrite':<{width}}  {'time (s)':>9}  {'calls':>7}  {'applied':>7}"
                f"  {'created':>7}  {'removed':>7}"
            )
            ordered = sorted(self.rewrites.values(), key=lambda s: (-s.time, s.name))
            for st in ordered:
                fail = f"  ({st.failures} failed)" if st.failures else ""
                lines.append(
                    f"{pad}  {st.name:<{width}}  {st.time:>9.6f}  {st.calls:>7}  {st.applied:>7}"
                    f"  {st.nodes_created:>7}  {st.nodes_removed:>7}{fail}"
                )
        for child in self.children:
            lines.append(child.summary(level + 1))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


class ChangeTracker(Feature):
    """Counts the nodes a graph gains and loses, and whether anything changed.

    Rewriters attach one while they run, read ``created``/``removed`` around
    each replacement, and detach it afterwards.
    """

    def __init__(self) -> None:
        self.changed = False
        self.created = 0
        self.removed = 0

    def reset(self) -> None:
        self.changed = False

    def on_import(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        self.changed = True
        self.created += 1

    def on_prune(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        self.changed = True
        self.removed += 1

    def on_change_input(
        self,
        fgraph: FunctionGraph,
        node: Apply,
        i: int,
        var: Variable,
        new_var: Variable,
        reason: str | None = None,
    ) -> None:
        self.changed = True

    def clone(self) -> ChangeTracker:
        return ChangeTracker()
