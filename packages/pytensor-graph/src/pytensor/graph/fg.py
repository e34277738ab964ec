"""``FunctionGraph``: a mutable view of a graph from inputs to outputs (layer: pytensor-graph).

A FunctionGraph owns its nodes: it tracks each variable's clients, lets
rewrites replace variables, prunes what becomes unused, and tells attached
features about every change.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from pytensor.graph.basic import Apply, AtomicVariable, Variable, clone_get_equiv
from pytensor.graph.features import AlreadyThere, Feature, ReplaceValidate
from pytensor.graph.op import Op
from pytensor.graph.traversal import graph_inputs, io_toposort
from pytensor.graph.utils import MetaObject, MissingInputError, gc_paused

__all__ = ["ClientType", "FunctionGraph", "MissingInputError", "Output"]

ClientType = tuple[Apply, int]

#: Client lists longer than this get a position index (O(1) removal).
_INDEX_THRESHOLD = 16


class Output(Op):
    """Placeholder Op whose Apply nodes mark the outputs of a FunctionGraph.

    ``fgraph.clients[v]`` holds ``(output_node, 0)`` for each output slot that
    ``v`` fills, with ``output_node.op.idx`` the position of that output.
    """

    view_map = {0: [0]}
    __props__ = ("idx",)

    def __init__(self, idx: int) -> None:
        self.idx = idx

    def make_node(self, inp: Variable) -> Apply:
        return Apply(self, [inp], [])

    def perform(self, node: Apply, inputs: Any, outputs: Any) -> None:
        raise RuntimeError("Output nodes mark graph outputs and are never computed")

    def __str__(self) -> str:
        return f"output[{self.idx}]"


class FunctionGraph(MetaObject):
    """The graph between ``inputs`` and ``outputs``, with client bookkeeping.

    Parameters
    ----------
    inputs
        Root variables of the graph; defaults to every non-constant root that
        ``outputs`` depend on.
    outputs
        What the graph computes.
    features
        Features to attach (see :class:`~pytensor.graph.features.Feature`).
    clone
        Copy the graph first, so changes do not touch the caller's variables.
    update_mapping
        ``{output_index: input_index}`` for outputs that update inputs.

    Raises
    ------
    MissingInputError
        An output depends on a non-constant root that is not an input.
    """

    def __init__(
        self,
        inputs: Sequence[Variable] | None = None,
        outputs: Sequence[Variable] | None = None,
        features: Iterable[Feature] | None = None,
        clone: bool = True,
        update_mapping: dict[int, int] | None = None,
        copy_inputs: bool = True,
        copy_orphans: bool | None = None,
    ) -> None:
        if outputs is None:
            raise ValueError("FunctionGraph needs outputs")
        outputs = list(outputs)
        for i, o in enumerate(outputs):
            if not isinstance(o, Variable):
                raise TypeError(f"FunctionGraph output {i} is not a Variable: {o!r}")
        if inputs is None:
            inputs = [i for i in graph_inputs(outputs) if not isinstance(i, AtomicVariable)]
        inputs = list(inputs)
        if clone:
            if copy_orphans is None:
                copy_orphans = copy_inputs
            memo = clone_get_equiv(
                inputs, outputs, copy_inputs=copy_inputs, copy_orphans=copy_orphans
            )
            inputs = [memo[i] for i in inputs]
            outputs = [memo[o] for o in outputs]

        self.execute_callbacks_time = 0.0
        self.execute_callbacks_times: dict[Feature, float] = {}
        self._features: list[Feature] = []
        self.apply_nodes: set[Apply] = set()
        self.variables: set[Variable] = set()
        self.inputs: list[Variable] = []
        self.outputs: list[Variable] = []
        self.clients: dict[Variable, list[ClientType]] = {}
        # Positions of the clients of variables with many of them, so that
        # removing one is O(1) (a shared input can have 100k clients).
        self._client_pos: dict[Variable, dict[ClientType, int]] = {}
        self.update_mapping = update_mapping
        self.profile: Any = None

        for f in features or ():
            self.attach_feature(f)
        self.attach_feature(ReplaceValidate())
        seen: set[Variable] = set()
        for inp in inputs:
            if inp.owner is not None:
                raise ValueError(
                    f"FunctionGraph input {inp} is computed by {inp.owner.op}; inputs must be roots"
                )
            if inp in seen:
                raise ValueError(f"Variable {inp} is given twice as a FunctionGraph input")
            seen.add(inp)
            self.add_input(inp, check=False)
        for out in outputs:
            self.add_output(out, reason="init")

    # -- inputs and outputs -------------------------------------------------
    def add_input(self, var: Variable, check: bool = True) -> None:
        """Add a root variable as a new input."""
        if check and var in self.inputs:
            return
        self.inputs.append(var)
        self._setup_var(var)
        self.variables.add(var)

    def add_output(
        self, var: Variable, reason: str | None = None, import_missing: bool = False
    ) -> None:
        """Add ``var`` as a new output of the graph."""
        self.outputs.append(var)
        self.import_var(var, reason=reason, import_missing=import_missing)
        node = Output(len(self.outputs) - 1).make_node(var)
        self.add_client(var, (node, 0))

    def remove_output(self, idx: int, reason: str | None = None) -> None:
        """Remove output ``idx`` (later outputs shift down by one)."""
        out = self.outputs[idx]
        client = next(
            c for c in self.clients[out] if isinstance(c[0].op, Output) and c[0].op.idx == idx
        )
        del self.outputs[idx]
        self.remove_client(out, client, reason=reason)
        # Renumber the Output placeholders after idx.
        for j in range(idx, len(self.outputs)):
            var = self.outputs[j]
            cl = self.clients[var]
            for k, (node, pos) in enumerate(cl):
                if isinstance(node.op, Output) and node.op.idx == j + 1:
                    cl[k] = (Output(j).make_node(var), pos)
                    index = self._client_pos.get(var)
                    if index is not None:
                        del index[(node, pos)]
                        index[cl[k]] = k
                    break

    def remove_input(self, idx: int, reason: str | None = None) -> None:
        """Remove input ``idx``; it must have no clients."""
        var = self.inputs[idx]
        if self.clients.get(var):
            users = ", ".join(str(n.op) for n, _ in self.clients[var])
            raise ValueError(f"Cannot remove input {var}: it is still used by {users}")
        del self.inputs[idx]
        self.variables.discard(var)
        self.clients.pop(var, None)

    # -- clients ------------------------------------------------------------
    def _setup_var(self, var: Variable) -> None:
        self.clients.setdefault(var, [])

    def add_client(self, var: Variable, new_client: ClientType) -> None:
        """Record that ``new_client`` (a node and an input position) reads ``var``."""
        cl = self.clients[var]
        index = self._client_pos.get(var)
        if index is not None:
            index[new_client] = len(cl)
        elif len(cl) >= _INDEX_THRESHOLD:
            self._client_pos[var] = {c: k for k, c in enumerate(cl)}
            self._client_pos[var][new_client] = len(cl)
        cl.append(new_client)

    def _discard_client(self, var: Variable, cl: list[ClientType], client: ClientType) -> None:
        index = self._client_pos.get(var)
        if index is None:
            try:
                cl.remove(client)
            except ValueError:
                pass
            return
        pos = index.pop(client, None)
        if pos is None:
            return
        last = cl.pop()
        if pos < len(cl):
            cl[pos] = last
            index[last] = pos
        if not cl:
            del self._client_pos[var]

    def remove_client(
        self,
        var: Variable,
        client_to_remove: ClientType,
        reason: str | None = None,
        remove_if_empty: bool = False,
    ) -> None:
        """Forget a client of ``var``, and prune whatever that leaves unused."""
        stack = [(var, client_to_remove)]
        while stack:
            v, client = stack.pop()
            cl = self.clients.get(v)
            if cl is None:
                continue
            self._discard_client(v, cl, client)
            if cl:
                continue
            node = v.owner
            if node is None:
                if v not in self.inputs:
                    self.variables.discard(v)
                    del self.clients[v]
                continue
            if any(self.clients.get(o) for o in node.outputs):
                continue
            self.apply_nodes.discard(node)
            for o in node.outputs:
                self.variables.discard(o)
                self.clients.pop(o, None)
            self.execute_callbacks("on_prune", node, reason)
            for i, inp in enumerate(node.inputs):
                stack.append((inp, (node, i)))

    # -- importing ----------------------------------------------------------
    def import_var(
        self, var: Variable, reason: str | None = None, import_missing: bool = False
    ) -> None:
        """Make ``var`` (and whatever computes it) part of the graph."""
        if var.owner is not None and var.owner not in self.apply_nodes:
            self.import_node(var.owner, reason=reason, import_missing=import_missing)
        elif var.owner is None and var not in self.variables:
            if not isinstance(var, AtomicVariable):
                if import_missing:
                    self.add_input(var)
                else:
                    raise MissingInputError(
                        f"Variable {var} of type {var.type} is needed but is not an input of the graph",
                        variable=var,
                    )
            self._setup_var(var)
            self.variables.add(var)
        elif var not in self.variables:
            self._setup_var(var)
            self.variables.add(var)

    def import_node(
        self,
        apply_node: Apply,
        check: bool = True,
        reason: str | None = None,
        import_missing: bool = False,
    ) -> None:
        """Add ``apply_node`` and the nodes it depends on that the graph lacks."""
        with gc_paused():
            self._import_node(apply_node, check, reason, import_missing)

    def _import_node(
        self, apply_node: Apply, check: bool, reason: str | None, import_missing: bool
    ) -> None:
        new_nodes = io_toposort(self.variables, apply_node.outputs)
        if check:
            for node in new_nodes:
                for inp in node.inputs:
                    if (
                        inp.owner is None
                        and not isinstance(inp, AtomicVariable)
                        and inp not in self.variables
                    ):
                        if import_missing:
                            self.add_input(inp)
                        else:
                            raise MissingInputError(
                                f"Input {node.inputs.index(inp)} ({inp}) of {node.op} is not an input of the "
                                "graph; pass it in the inputs or give it a value",
                                variable=inp,
                            )
        for node in new_nodes:
            if node in self.apply_nodes:
                continue
            self.apply_nodes.add(node)
            for out in node.outputs:
                self._setup_var(out)
                self.variables.add(out)
            for i, inp in enumerate(node.inputs):
                if inp not in self.variables:
                    self._setup_var(inp)
                    self.variables.add(inp)
                self.add_client(inp, (node, i))
            self.execute_callbacks("on_import", node, reason)

    # -- changing -----------------------------------------------------------
    def change_node_input(
        self,
        node: Apply,
        i: int,
        new_var: Variable,
        reason: str | None = None,
        import_missing: bool = False,
        check: bool = True,
    ) -> None:
        """Make input ``i`` of ``node`` be ``new_var`` (an Output node for graph outputs)."""
        r = node.inputs[i]
        if check and not r.type.is_super(new_var.type):
            raise TypeError(
                f"Cannot replace input {i} of {node.op}: the new variable {new_var} has type "
                f"{new_var.type}, which does not fit the old type {r.type}"
            )
        if r is new_var:
            return
        # Import first: if that fails (MissingInputError) the graph is unchanged.
        self.import_var(new_var, reason=reason, import_missing=import_missing)
        if isinstance(node.op, Output):
            self.outputs[node.op.idx] = new_var
        node.inputs[i] = new_var
        self.add_client(new_var, (node, i))
        self.remove_client(r, (node, i), reason=reason)
        self.execute_callbacks("on_change_input", node, i, r, new_var, reason=reason)

    def replace(
        self,
        var: Variable,
        new_var: Variable,
        reason: str | None = None,
        verbose: bool | None = None,
        import_missing: bool = False,
    ) -> None:
        """Make every client of ``var`` read ``new_var`` instead.

        ``new_var`` must have the type of ``var`` (or one that ``var.type``
        accepts exactly); otherwise TypeError names both types.
        """
        if verbose:
            print(
                f"rewriting: rewrite {reason} replaces {var} of {var.owner} with {new_var} of {new_var.owner}"
            )
        if not isinstance(new_var, Variable):
            raise TypeError(f"replace: {new_var!r} is not a Variable")
        if new_var.type != var.type:
            converted = var.type.convert_variable(new_var)
            if converted is None:
                raise TypeError(
                    f"Cannot replace {var} of type {var.type} with {new_var} of type {new_var.type}: "
                    "the types are incompatible" + (f" (rewrite: {reason})" if reason else "")
                )
            new_var = converted
        if var not in self.variables:
            return
        for node, i in list(self.clients[var]):
            self.change_node_input(
                node, i, new_var, reason=reason, import_missing=import_missing, check=False
            )

    def replace_all(self, pairs: Iterable[tuple[Variable, Variable]], **kwargs: Any) -> None:
        """Apply :meth:`replace` to each ``(var, new_var)`` pair."""
        for var, new_var in pairs:
            self.replace(var, new_var, **kwargs)

    # -- features -----------------------------------------------------------
    def attach_feature(self, feature: Feature) -> None:
        """Attach ``feature``; it is told about every later change."""
        if feature in self._features:
            return
        attach = getattr(feature, "on_attach", None)
        if attach is not None:
            try:
                attach(self)
            except AlreadyThere:
                return
        self.execute_callbacks_times.setdefault(feature, 0.0)
        self._features.append(feature)

    def remove_feature(self, feature: Feature) -> None:
        """Detach ``feature``."""
        try:
            self._features.remove(feature)
        except ValueError:
            return
        detach = getattr(feature, "on_detach", None)
        if detach is not None:
            detach(self)

    def execute_callbacks(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Call method ``name`` of every feature that has it."""
        t0 = time.perf_counter()
        for feature in self._features:
            fn = getattr(feature, name, None)
            if fn is None:
                continue
            tf0 = time.perf_counter()
            fn(self, *args, **kwargs)
            self.execute_callbacks_times[feature] += time.perf_counter() - tf0
        self.execute_callbacks_time += time.perf_counter() - t0

    def collect_callbacks(self, name: str, *args: Any) -> dict[Feature, Any]:
        """Call method ``name`` of every feature that has it; return their results."""
        d = {}
        for feature in self._features:
            fn = getattr(feature, name, None)
            if fn is not None:
                d[feature] = fn(*args)
        return d

    # -- order and checks ---------------------------------------------------
    def orderings(self) -> dict[Apply, list[Apply]]:
        """Extra ``node -> nodes that must run before it`` constraints from the features."""
        result: dict[Apply, list[Apply]] = {}
        for feature in self._features:
            fn = getattr(feature, "orderings", None)
            if fn is None:
                continue
            for node, prereqs in fn(self).items():
                before = result.setdefault(node, [])
                before.extend(p for p in prereqs if p not in before)
        return result

    def toposort(self) -> list[Apply]:
        """The nodes of the graph, each after the nodes it depends on."""
        if len(self.apply_nodes) < 2:
            return list(self.apply_nodes)
        return io_toposort(self.inputs, self.outputs, self.orderings() or None)

    def _check_client_index(self) -> None:
        for var, index in self._client_pos.items():
            cl = self.clients.get(var, [])
            if len(index) != len(cl) or any(cl[p] != c for c, p in index.items()):
                raise ValueError(f"The client index of {var} disagrees with its clients")

    def check_integrity(self) -> None:
        """Raise if the client bookkeeping disagrees with the graph (for tests and debugging)."""
        nodes = set(io_toposort(self.inputs, self.outputs))
        if nodes != self.apply_nodes:
            raise ValueError("The graph's nodes and apply_nodes disagree")
        for node in nodes:
            for i, inp in enumerate(node.inputs):
                if inp not in self.variables:
                    raise ValueError(f"Input {i} of {node} is not among the graph's variables")
                if (node, i) not in self.clients[inp]:
                    raise ValueError(f"{(node, i)} is not recorded as a client of {inp}")
            for out in node.outputs:
                if out not in self.variables:
                    raise ValueError(f"Output {out} of {node} is not among the graph's variables")
        self._check_client_index()
        for var in self.variables:
            if var.owner is None and var not in self.inputs and not isinstance(var, AtomicVariable):
                raise ValueError(f"Undeclared input {var}")
            for node, i in self.clients[var]:
                if isinstance(node.op, Output):
                    if self.outputs[node.op.idx] is not var:
                        raise ValueError(f"Output client of {var} does not match outputs")
                    continue
                if node not in nodes or node.inputs[i] is not var:
                    raise ValueError(f"Stale client {(node, i)} of {var}")

    # -- copies -------------------------------------------------------------
    def clone(
        self, check_integrity: bool = True, clone_inner_graphs: bool = False
    ) -> FunctionGraph:
        """A copy of this graph (features that define ``clone`` are copied too)."""
        return self.clone_get_equiv(check_integrity, clone_inner_graphs=clone_inner_graphs)[0]

    def clone_get_equiv(
        self,
        check_integrity: bool = True,
        attach_feature: bool = True,
        clone_inner_graphs: bool = False,
    ) -> tuple[FunctionGraph, dict[Any, Any]]:
        """A copy of this graph and the map from old to new variables and nodes."""
        equiv = clone_get_equiv(self.inputs, self.outputs, clone_inner_graphs=clone_inner_graphs)
        if check_integrity:
            self.check_integrity()
        new = FunctionGraph(
            [equiv[i] for i in self.inputs],
            [equiv[o] for o in self.outputs],
            clone=False,
            update_mapping=dict(self.update_mapping)
            if self.update_mapping
            else self.update_mapping,
        )
        if attach_feature:
            for feature in self._features:
                cloner = getattr(feature, "clone", None)
                if cloner is not None:
                    new.attach_feature(cloner())
        return new, equiv

    def __copy__(self) -> FunctionGraph:
        return self.clone()

    def __str__(self) -> str:
        return f"FunctionGraph({', '.join(str(o) for o in self.outputs)})"

    def __repr__(self) -> str:
        return str(self)

    def __contains__(self, item: Variable | Apply) -> bool:
        if isinstance(item, Variable):
            return item in self.variables
        if isinstance(item, Apply):
            return item in self.apply_nodes
        raise TypeError(f"Cannot look up {item!r} in a FunctionGraph")

    def __getstate__(self) -> dict[str, Any]:
        # Features install lambdas on the graph; they are rebuilt by ``unpickle``.
        d = {
            k: v
            for k, v in self.__dict__.items()
            if not (callable(v) and getattr(v, "__name__", "") == "<lambda>")
        }
        d["execute_callbacks_times"] = {}
        d["execute_callbacks_time"] = 0.0
        return d

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for feature in self._features:
            self.execute_callbacks_times.setdefault(feature, 0.0)
            unpickle = getattr(feature, "unpickle", None)
            if unpickle is not None:
                unpickle(self)

    # FunctionGraphs are compared by identity (MetaObject needs __props__ for value equality).
    __hash__ = object.__hash__
    __eq__ = object.__eq__
