"""Features: observers attached to a FunctionGraph (layer: pytensor-graph).

A feature is told when nodes are imported or pruned and when inputs change.
Validators can veto a set of changes; History can undo them.

Some features add methods to the graph they are attached to
(``fgraph.checkpoint``, ``fgraph.validate``, ``fgraph.replace_all_validate``, ...).
FunctionGraph does not declare them, since they exist only while the feature
is attached, so each use carries ``# type: ignore[attr-defined]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pytensor.graph.utils import InconsistencyError

if TYPE_CHECKING:
    from pytensor.graph.basic import Apply, Variable
    from pytensor.graph.fg import FunctionGraph

__all__ = [
    "AlreadyThere",
    "Bookkeeper",
    "Feature",
    "History",
    "NodeFinder",
    "PreserveVariableAttributes",
    "ReplaceValidate",
    "ReplacementDidNotRemoveError",
    "Validator",
]


class AlreadyThere(Exception):
    """Raised by ``on_attach`` when an equivalent feature is already attached."""


class ReplacementDidNotRemoveError(Exception):
    """A replacement was asked to remove nodes and some of them are still in the graph."""


class Feature:
    """Base class of FunctionGraph features; every callback is optional."""

    def on_attach(self, fgraph: FunctionGraph) -> None:
        """Called when attached; raise AlreadyThere to decline."""

    def on_detach(self, fgraph: FunctionGraph) -> None:
        """Called when removed."""

    def on_import(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        """Called when ``node`` becomes part of the graph."""

    def on_prune(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        """Called when ``node`` leaves the graph."""

    def on_change_input(
        self,
        fgraph: FunctionGraph,
        node: Apply,
        i: int,
        var: Variable,
        new_var: Variable,
        reason: str | None = None,
    ) -> None:
        """Called after input ``i`` of ``node`` changed from ``var`` to ``new_var``."""

    def orderings(self, fgraph: FunctionGraph) -> dict[Apply, list[Apply]]:
        """Extra ordering constraints: ``node -> nodes that must run before it``."""
        return {}

    def clone(self) -> Feature:
        """A fresh copy for a cloned graph."""
        return type(self)()


class Bookkeeper(Feature):
    """Replays imports on attach and prunes on detach, so subclasses see the whole graph."""

    def on_attach(self, fgraph: FunctionGraph) -> None:
        for node in fgraph.toposort():
            self.on_import(fgraph, node, "on_attach")

    def on_detach(self, fgraph: FunctionGraph) -> None:
        for node in fgraph.toposort():
            self.on_prune(fgraph, node, "Bookkeeper.detach")


class History(Feature):
    """Records input changes so a FunctionGraph can be reverted to a checkpoint.

    Adds ``fgraph.checkpoint()`` and ``fgraph.revert(checkpoint)``.
    """

    def __init__(self) -> None:
        self.history: dict[FunctionGraph, list[tuple[Apply, int, Variable, Variable]] | None] = {}

    def on_attach(self, fgraph: FunctionGraph) -> None:
        if hasattr(fgraph, "checkpoint") or hasattr(fgraph, "revert"):
            raise AlreadyThere("History is already attached to this graph")
        self.history[fgraph] = []
        fgraph.checkpoint = lambda: self._checkpoint(fgraph)  # type: ignore[attr-defined]
        fgraph.revert = lambda checkpoint: self.revert(fgraph, checkpoint)  # type: ignore[attr-defined]

    def clone(self) -> History:
        return History()

    def unpickle(self, fgraph: FunctionGraph) -> None:
        self.history.setdefault(fgraph, [])
        fgraph.checkpoint = lambda: self._checkpoint(fgraph)  # type: ignore[attr-defined]
        fgraph.revert = lambda checkpoint: self.revert(fgraph, checkpoint)  # type: ignore[attr-defined]

    def __getstate__(self) -> dict[str, Any]:
        return {"history": {}}

    def on_detach(self, fgraph: FunctionGraph) -> None:
        del fgraph.checkpoint  # type: ignore[attr-defined]
        del fgraph.revert  # type: ignore[attr-defined]
        del self.history[fgraph]

    def on_change_input(
        self,
        fgraph: FunctionGraph,
        node: Apply,
        i: int,
        var: Variable,
        new_var: Variable,
        reason: str | None = None,
    ) -> None:
        log = self.history.get(fgraph)
        if log is None:
            return
        log.append((node, i, var, new_var))

    def _checkpoint(self, fgraph: FunctionGraph) -> int:
        log = self.history[fgraph]
        if log is None:
            raise TypeError("History: cannot take a checkpoint while reverting")
        return len(log)

    def revert(self, fgraph: FunctionGraph, checkpoint: int) -> None:
        """Undo every change made since ``checkpoint``."""
        log = self.history[fgraph]
        assert log is not None
        self.history[fgraph] = None  # do not record the undo itself
        try:
            while len(log) > checkpoint:
                node, i, var, _ = log.pop()
                fgraph.change_node_input(
                    node, i, var, reason=f"Revert to checkpoint {checkpoint}", check=False
                )
        finally:
            self.history[fgraph] = log


class Validator(Feature):
    """Adds ``fgraph.validate()`` (features may veto) and ``fgraph.consistent()``."""

    def on_attach(self, fgraph: FunctionGraph) -> None:
        for attr in ("validate", "consistent"):
            if hasattr(fgraph, attr):
                raise AlreadyThere(f"Validator found fgraph.{attr} already defined")
        fgraph.validate = lambda: self.validate_(fgraph)  # type: ignore[attr-defined]
        fgraph.consistent = lambda: self.consistent_(fgraph)  # type: ignore[attr-defined]

    def unpickle(self, fgraph: FunctionGraph) -> None:
        fgraph.validate = lambda: self.validate_(fgraph)  # type: ignore[attr-defined]
        fgraph.consistent = lambda: self.consistent_(fgraph)  # type: ignore[attr-defined]

    def on_detach(self, fgraph: FunctionGraph) -> None:
        del fgraph.validate  # type: ignore[attr-defined]
        del fgraph.consistent  # type: ignore[attr-defined]

    def validate_(self, fgraph: FunctionGraph) -> bool:
        """Ask every feature with a ``validate`` method; any may raise InconsistencyError."""
        fgraph.execute_callbacks("validate")
        return True

    def consistent_(self, fgraph: FunctionGraph) -> bool:
        try:
            fgraph.validate()  # type: ignore[attr-defined]
        except InconsistencyError:
            return False
        return True


class ReplaceValidate(History, Validator):
    """Transactional replacement: apply several replacements, validate, or undo them all.

    Adds ``fgraph.replace_validate``, ``fgraph.replace_all_validate`` and
    ``fgraph.replace_all_validate_remove``.
    """

    _methods = ("replace_validate", "replace_all_validate", "replace_all_validate_remove")

    def on_attach(self, fgraph: FunctionGraph) -> None:
        for attr in self._methods:
            if hasattr(fgraph, attr):
                raise AlreadyThere(f"ReplaceValidate found fgraph.{attr} already defined")
        History.on_attach(self, fgraph)
        Validator.on_attach(self, fgraph)
        self.unpickle(fgraph)

    def clone(self) -> ReplaceValidate:
        return ReplaceValidate()

    def unpickle(self, fgraph: FunctionGraph) -> None:
        History.unpickle(self, fgraph)
        Validator.unpickle(self, fgraph)
        fgraph.replace_validate = lambda r, new_r, reason=None, **kw: self.replace_validate(  # type: ignore[attr-defined]
            fgraph, r, new_r, reason=reason, **kw
        )
        fgraph.replace_all_validate = lambda replacements, reason=None, **kw: (  # type: ignore[attr-defined]
            self.replace_all_validate(fgraph, replacements, reason=reason, **kw)
        )
        fgraph.replace_all_validate_remove = (  # type: ignore[attr-defined]
            lambda replacements, remove, reason=None, warn=True, **kw: (
                self.replace_all_validate_remove(
                    fgraph, replacements, remove, reason=reason, warn=warn, **kw
                )
            )
        )

    def on_detach(self, fgraph: FunctionGraph) -> None:
        History.on_detach(self, fgraph)
        Validator.on_detach(self, fgraph)
        for attr in self._methods:
            delattr(fgraph, attr)

    def replace_validate(
        self,
        fgraph: FunctionGraph,
        r: Variable,
        new_r: Variable,
        reason: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.replace_all_validate(fgraph, [(r, new_r)], reason=reason, **kwargs)

    def replace_all_validate(
        self,
        fgraph: FunctionGraph,
        replacements: Iterable[tuple[Variable, Variable]],
        reason: str | None = None,
        verbose: bool | None = None,
        **kwargs: Any,
    ) -> None:
        """Apply all replacements, then validate; on any failure undo them all and re-raise."""
        chk = fgraph.checkpoint()  # type: ignore[attr-defined]
        try:
            for r, new_r in replacements:
                fgraph.replace(r, new_r, reason=reason, verbose=verbose, **kwargs)
            fgraph.validate()  # type: ignore[attr-defined]
        except Exception:
            fgraph.revert(chk)  # type: ignore[attr-defined]
            raise

    def replace_all_validate_remove(
        self,
        fgraph: FunctionGraph,
        replacements: Iterable[tuple[Variable, Variable]],
        remove: Sequence[Apply],
        reason: str | None = None,
        warn: bool = True,
        **kwargs: Any,
    ) -> None:
        """As :meth:`replace_all_validate`, and also require that the ``remove`` nodes left the graph."""
        chk = fgraph.checkpoint()  # type: ignore[attr-defined]
        self.replace_all_validate(fgraph, replacements, reason=reason, **kwargs)
        still = [n for n in remove if n in fgraph.apply_nodes]
        if still:
            fgraph.revert(chk)  # type: ignore[attr-defined]
            raise ReplacementDidNotRemoveError(
                f"Replacement ({reason}) did not remove {', '.join(str(n) for n in still)}"
            )

    def __getstate__(self) -> dict[str, Any]:
        return {"history": {}}


class NodeFinder(Bookkeeper):
    """Indexes nodes by Op, adding ``fgraph.get_nodes(op)``."""

    def __init__(self) -> None:
        self.d: dict[Any, list[Apply]] = {}
        self.fgraph: FunctionGraph | None = None

    def on_attach(self, fgraph: FunctionGraph) -> None:
        if self.fgraph is not None:
            raise AlreadyThere("NodeFinder is already attached to a graph")
        if hasattr(fgraph, "get_nodes"):
            raise AlreadyThere("NodeFinder found fgraph.get_nodes already defined")
        self.fgraph = fgraph
        fgraph.get_nodes = self.query  # type: ignore[attr-defined]
        super().on_attach(fgraph)

    def on_detach(self, fgraph: FunctionGraph) -> None:
        self.fgraph = None
        del fgraph.get_nodes  # type: ignore[attr-defined]
        super().on_detach(fgraph)

    def on_import(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        self.d.setdefault(node.op, []).append(node)

    def on_prune(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        nodes = self.d.get(node.op, [])
        if node in nodes:
            nodes.remove(node)
        if not nodes:
            self.d.pop(node.op, None)

    def query(self, op: Any) -> list[Apply]:
        return list(self.d.get(op, []))


class PreserveVariableAttributes(Feature):
    """Copies the name of a replaced variable onto its replacement when it has none."""

    def on_change_input(
        self,
        fgraph: FunctionGraph,
        node: Apply,
        i: int,
        var: Variable,
        new_var: Variable,
        reason: str | None = None,
    ) -> None:
        if var.name is not None and new_var.name is None:
            new_var.name = var.name


class LambdaExtract:
    """Undo record of a change (kept for API compatibility of History consumers)."""

    def __init__(
        self, fgraph: FunctionGraph, node: Apply, i: int, r: Variable, reason: str | None = None
    ) -> None:
        self.fgraph, self.node, self.i, self.r, self.reason = fgraph, node, i, r, reason

    def __call__(self) -> None:
        # PyTensor's undo records pass a (tag, reason) tuple as the reason.
        self.fgraph.change_node_input(
            self.node,
            self.i,
            self.r,
            reason=("Revert", self.reason),  # type: ignore[arg-type]
            check=False,
        )
