"""``DestroyHandler``: keeps inplace Ops from overwriting values that are still needed (layer: pytensor-rewrite).

An Op's ``destroy_map`` says which inputs it overwrites and its
``view_map`` which outputs alias an input. The DestroyHandler follows those
aliases, vetoes (in ``validate``) any change after which a destroyed value
would still be read later, belongs to a protected input or a constant, or
is a graph output, and orders each destroyer after every other reader of
the memory it overwrites (``orderings``).

PyTensor keeps this module at ``pytensor.graph.destroyhandler``; here it
lives with the rewrite engine, its only user.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.features import AlreadyThere, Bookkeeper
from pytensor.graph.fg import Output
from pytensor.graph.traversal import CycleError, apply_depends_on, io_toposort
from pytensor.graph.utils import InconsistencyError

if TYPE_CHECKING:
    from pytensor.graph.fg import FunctionGraph

__all__ = ["DestroyHandler", "fast_inplace_check"]


def _view_pairs(node: Apply) -> list[tuple[Variable, Variable]]:
    """``(output, viewed input)`` for every output of ``node`` that is a view."""
    pairs = []
    for o_idx, i_idxs in node.op.view_map.items():
        if len(i_idxs) != 1:
            raise NotImplementedError(
                f"{node.op}: an output that views several inputs ({i_idxs}) is not supported "
                "by the DestroyHandler"
            )
        pairs.append((node.outputs[o_idx], node.inputs[i_idxs[0]]))
    return pairs


class DestroyHandler(Bookkeeper):
    """Feature that makes inplace rewriting safe.

    Parameters
    ----------
    do_imports_on_attach
        Index the nodes already in the graph when attached.
    algo
        Accepted for compatibility with PyTensor; there is one algorithm.
    protect_inputs
        True to forbid overwriting any input of the graph, or the graph
        inputs that must not be overwritten. Constants and variables whose
        ``tag.indestructible`` is true are always protected, as are the
        variables listed in the ``protected`` attribute of any other feature
        (e.g. the compile layer's Supervisor).

    Notes
    -----
    When attached it adds ``fgraph.destroyers(var)`` (the nodes that
    overwrite ``var``'s memory), ``fgraph.has_destroyers(vars)`` and
    ``fgraph.destroy_handler``.

    Examples
    --------
    >>> from pytensor.graph.fg import FunctionGraph
    >>> from pytensor.graph.rewriting._examples import exp, exp_inplace, log, x
    >>> e = exp(x)
    >>> fg = FunctionGraph([x], [log(e), exp(e)], clone=False)
    >>> fg.attach_feature(DestroyHandler())
    >>> fg.replace_validate(fg.outputs[1], exp_inplace(e))  # log(e) can run first
    >>> [n.op for n in fg.toposort()]
    [Exp, Log, ExpInplace]
    """

    def __init__(
        self,
        do_imports_on_attach: bool = True,
        algo: Any = None,
        protect_inputs: bool | Iterable[Variable] = False,
    ) -> None:
        self.fgraph: FunctionGraph | None = None
        self.do_imports_on_attach = do_imports_on_attach
        self.algo = algo
        self.protect_inputs = (
            protect_inputs if isinstance(protect_inputs, bool) else list(protect_inputs)
        )
        self.view_i: dict[Variable, Variable] = {}
        self.view_o: dict[Variable, set[Variable]] = {}
        self.destroyer_nodes: dict[Apply, None] = {}
        self._stale = True

    # -- bookkeeping ----------------------------------------------------------
    def on_attach(self, fgraph: FunctionGraph) -> None:
        if self.fgraph is fgraph or hasattr(fgraph, "destroy_handler"):
            raise AlreadyThere("A DestroyHandler is already attached to this graph")
        if self.fgraph is not None:
            raise ValueError("A DestroyHandler serves one graph only; make a new one")
        self.fgraph = fgraph
        self.unpickle(fgraph)
        if self.do_imports_on_attach:
            for node in io_toposort(fgraph.inputs, fgraph.outputs):
                self.on_import(fgraph, node, "on_attach")

    def unpickle(self, fgraph: FunctionGraph) -> None:
        fgraph.destroy_handler = self  # type: ignore[attr-defined]
        fgraph.destroyers = self.destroyers  # type: ignore[attr-defined]
        fgraph.has_destroyers = self.has_destroyers  # type: ignore[attr-defined]

    def on_detach(self, fgraph: FunctionGraph) -> None:
        for attr in ("destroy_handler", "destroyers", "has_destroyers"):
            if hasattr(fgraph, attr):
                delattr(fgraph, attr)
        self.fgraph = None
        self.view_i.clear()
        self.view_o.clear()
        self.destroyer_nodes.clear()

    def clone(self) -> DestroyHandler:
        return DestroyHandler(self.do_imports_on_attach, self.algo, self.protect_inputs)

    def on_import(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        if node.op.destroy_map:
            self.destroyer_nodes[node] = None
        for out, inp in _view_pairs(node):
            self.view_i[out] = inp
            self.view_o.setdefault(inp, set()).add(out)
        self._stale = True

    def on_prune(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        self.destroyer_nodes.pop(node, None)
        for out, inp in _view_pairs(node):
            self.view_i.pop(out, None)
            views = self.view_o.get(inp)
            if views is not None:
                views.discard(out)
                if not views:
                    del self.view_o[inp]
        self._stale = True

    def on_change_input(
        self,
        fgraph: FunctionGraph,
        node: Apply,
        i: int,
        var: Variable,
        new_var: Variable,
        reason: str | None = None,
    ) -> None:
        self._stale = True
        if isinstance(node.op, Output):
            return
        for o_idx, i_idxs in node.op.view_map.items():
            if i_idxs and i_idxs[0] == i:
                out = node.outputs[o_idx]
                self.view_i[out] = new_var
                old = self.view_o.get(var)
                if old is not None:
                    old.discard(out)
                    if not old:
                        del self.view_o[var]
                self.view_o.setdefault(new_var, set()).add(out)

    # -- queries --------------------------------------------------------------
    def root(self, var: Variable) -> Variable:
        """The variable whose memory ``var`` views (``var`` itself if it is not a view)."""
        while var in self.view_i:
            var = self.view_i[var]
        return var

    def aliases(self, root: Variable) -> list[Variable]:
        """``root`` and every variable that is a view of it, directly or not."""
        found = [root]
        queue = deque([root])
        while queue:
            for v in self.view_o.get(queue.popleft(), ()):
                found.append(v)
                queue.append(v)
        return found

    def _destroyed_roots(self) -> dict[Variable, Apply]:
        roots: dict[Variable, Apply] = {}
        for d in self.destroyer_nodes:
            for i_idxs in d.op.destroy_map.values():
                for i in i_idxs:
                    roots.setdefault(self.root(d.inputs[i]), d)
        return roots

    def destroyers(self, var: Variable) -> list[Apply]:
        """The nodes that overwrite the memory of ``var``."""
        root = self.root(var)
        return [
            d
            for d in self.destroyer_nodes
            if any(self.root(d.inputs[i]) is root for ii in d.op.destroy_map.values() for i in ii)
        ]

    def has_destroyers(self, protected_list: Iterable[Variable]) -> bool:
        """Whether the memory of any of these variables is overwritten by some node."""
        roots = self._destroyed_roots()
        return any(self.root(v) in roots for v in protected_list)

    def protected(self, fgraph: FunctionGraph) -> set[Variable]:
        """Variables that may never be overwritten (besides constants and indestructible ones)."""
        prot: set[Variable] = set()
        if self.protect_inputs is True:
            prot.update(fgraph.inputs)
        elif self.protect_inputs:
            prot.update(self.protect_inputs)
        for f in fgraph._features:
            extra = getattr(f, "protected", None)
            if extra is not None and not callable(extra):
                prot.update(extra)
        return prot

    # -- checks ---------------------------------------------------------------
    def _check_destroyed(
        self, fgraph: FunctionGraph, d: Apply, i: int, root: Variable, prot: set[Variable]
    ) -> None:
        what = None
        if isinstance(root, Constant):
            what = "a constant"
        elif getattr(root.tag, "indestructible", False):
            what = "marked indestructible"
        elif root in prot:
            what = "a protected input"
        if what is not None:
            raise InconsistencyError(
                f"{d.op} would overwrite input {i} ({d.inputs[i]}), whose memory belongs to {root}, {what}"
            )

    @staticmethod
    def _tolerated(d: Apply, i: int, j: int) -> bool:
        op = d.op
        if (i, j) in getattr(op, "destroyhandler_tolerate_aliased", ()):
            return True
        same = (i, j) in getattr(op, "destroyhandler_tolerate_same", ())
        return same and d.inputs[i] is d.inputs[j]

    def orderings(self, fgraph: FunctionGraph) -> dict[Apply, list[Apply]]:
        """``destroyer -> nodes that must run before it``: every other reader of the memory it overwrites.

        Raises InconsistencyError when no order can make the graph correct.
        """
        if not self.destroyer_nodes:
            return {}
        prot = self.protected(fgraph)
        owner_of: dict[Variable, Apply] = {}
        before: dict[Apply, list[Apply]] = {}
        for d in self.destroyer_nodes:
            readers: dict[Apply, None] = {}
            for i_idxs in d.op.destroy_map.values():
                for i in i_idxs:
                    root = self.root(d.inputs[i])
                    other = owner_of.setdefault(root, d)
                    if other is not d:
                        raise InconsistencyError(
                            f"{root} would be overwritten by two nodes: {other.op} and {d.op}"
                        )
                    self._check_destroyed(fgraph, d, i, root, prot)
                    for alias in self.aliases(root):
                        for client, j in fgraph.clients.get(alias, ()):
                            if client is d:
                                if j != i and not self._tolerated(d, i, j):
                                    raise InconsistencyError(
                                        f"{d.op} overwrites input {i} while also reading the same memory "
                                        f"through input {j}"
                                    )
                            elif isinstance(client.op, Output):
                                raise InconsistencyError(
                                    f"{d.op} would overwrite {alias}, which is output {client.op.idx} of the graph"
                                )
                            else:
                                readers[client] = None
            if readers:
                before[d] = list(readers)
        return before

    def validate(self, fgraph: FunctionGraph) -> bool:
        """Raise InconsistencyError unless some order of the nodes overwrites no needed value."""
        if not self.destroyer_nodes or not self._stale:
            return True
        before = self.orderings(fgraph)
        if before:
            try:
                io_toposort(fgraph.inputs, fgraph.outputs, before)
            except CycleError:
                raise InconsistencyError(self._explain_cycle(before)) from None
        self._stale = False
        return True

    @staticmethod
    def _explain_cycle(before: dict[Apply, list[Apply]]) -> str:
        for d, readers in before.items():
            for r in readers:
                if apply_depends_on(r, d):
                    return (
                        f"{d.op} would overwrite a value that {r.op} reads, but {r.op} needs the result "
                        f"of {d.op}, so it cannot run first"
                    )
        return "The inplace operations cannot be ordered so that no value is overwritten while still needed"


def fast_inplace_check(fgraph: FunctionGraph, inputs: Iterable[Variable]) -> list[Variable]:
    """The variables among ``inputs`` that an inplace Op could overwrite right now.

    Leaves out constants, graph outputs, protected variables and variables
    whose memory something already overwrites.
    """
    dh: DestroyHandler | None = getattr(fgraph, "destroy_handler", None)
    prot = dh.protected(fgraph) if dh is not None else set()
    outputs = set(fgraph.outputs)
    out = []
    for v in inputs:
        if isinstance(v, Constant) or v in outputs or v in prot:
            continue
        if dh is not None and dh.has_destroyers([v]):
            continue
        out.append(v)
    return out
