"""The pure-Python reference backend: runs each node's ``perform`` in order (layer: pytensor-graph).

Graphs without lazy Ops become one generated straight-line Python function
(or a compact interpreter loop for very large graphs) that frees each
intermediate value right after its last use. Graphs with lazy Ops (such as
IfElse) are evaluated on demand, so an untaken branch is never computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, cast

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import OutputStorageType
from pytensor.link.backend import Backend, Linker, MissingImplementationError, Runner

__all__ = ["PythonBackend", "PythonLinker", "backend"]

#: Graphs with more nodes than this run through the interpreter loop instead of generated code.
CODEGEN_MAX_NODES = 1000


class _LazyOp(Protocol):
    """What an Op with ``lazy = True`` provides: it asks for input ``i`` through ``get_input(i)``."""

    def lazy_perform(
        self, node: Apply, get_input: Callable[[int], Any], output_storage: OutputStorageType
    ) -> None: ...


def _add_node_note(exc: BaseException, node: Apply) -> None:
    inputs = ", ".join(f"{i} <{i.type}>" for i in node.inputs)
    exc.add_note(f"Raised while computing {node.op} applied to ({inputs}) on the py backend")


def _check_perform(node: Apply) -> None:
    perform = getattr(type(node.op), "perform", None)
    from pytensor.graph.op import Op

    if perform is None or perform is Op.perform:
        if not getattr(node.op, "lazy", False):
            raise MissingImplementationError("py", node, "the Op defines no perform method")


def _last_uses(nodes: Sequence[Apply], keep: set[Variable]) -> list[list[Variable]]:
    """For each node, the variables whose last reader it is (and that are not kept).

    An output that no node reads is freed right after the node that makes it.
    """
    last: dict[Variable, int] = {}
    for k, node in enumerate(nodes):
        for i in node.inputs:
            last[i] = k
        for o in node.outputs:
            last.setdefault(o, k)
    frees: list[list[Variable]] = [[] for _ in nodes]
    for var, k in last.items():
        if var not in keep and not isinstance(var, Constant):
            frees[k].append(var)
    return frees


def _codegen(fgraph: FunctionGraph, nodes: list[Apply], allow_gc: bool) -> Runner:
    names: dict[Variable, str] = {}
    env: dict[str, Any] = {"_add_node_note": _add_node_note}
    for k, inp in enumerate(fgraph.inputs):
        names[inp] = f"a{k}"
    n_const = 0

    def name_of(var: Variable) -> str:
        nonlocal n_const
        if var not in names:
            if not isinstance(var, Constant):
                raise ValueError(f"Variable {var} is used before it is computed")
            names[var] = f"k{n_const}"
            env[names[var]] = var.data
            n_const += 1
        return names[var]

    keep = set(fgraph.outputs)
    frees = _last_uses(nodes, keep) if allow_gc else [[] for _ in nodes]
    body: list[str] = []
    for k, node in enumerate(nodes):
        env[f"n{k}"] = node
        env[f"p{k}"] = node.op.perform
        ins = ", ".join(name_of(i) for i in node.inputs)
        cells = [f"c{k}_{j}" for j in range(len(node.outputs))]
        body.append(f"        _k = {k}")
        if cells:
            body.append("        " + "; ".join(f"{c} = [None]" for c in cells))
        body.append(f"        p{k}(n{k}, [{ins}], [{', '.join(cells)}])")
        for j, out in enumerate(node.outputs):
            names[out] = f"v{k}_{j}"
            body.append(f"        v{k}_{j} = c{k}_{j}[0]")
        # The cells go too: they would keep every intermediate alive until the end.
        dels = [*cells, *(names[v] for v in frees[k] if names.get(v, "").startswith("v"))]
        if dels:
            body.append(f"        del {', '.join(dels)}")
    outs = ", ".join(name_of(o) for o in fgraph.outputs)
    args = ", ".join(f"a{k}" for k in range(len(fgraph.inputs)))
    src = [f"def runner({args}):", "    _k = -1", "    try:"]
    src.extend(body)
    src.append(f"        return [{outs}]")
    src.append("    except Exception as exc:")
    src.append("        if _k >= 0:")
    src.append("            _add_node_note(exc, _nodes[_k])")
    src.append("        raise")
    env["_nodes"] = nodes
    code = "\n".join(src)
    exec(compile(code, f"<pytensor py backend: {len(nodes)} nodes>", "exec"), env)
    runner: Runner = env["runner"]
    runner.source = code  # type: ignore[attr-defined]  # the generated code, for debugging
    return runner


def _interpreter(fgraph: FunctionGraph, nodes: list[Apply], allow_gc: bool) -> Runner:
    slot: dict[Variable, int] = {}
    for k, inp in enumerate(fgraph.inputs):
        slot[inp] = k
    consts: list[tuple[int, Any]] = []
    for node in nodes:
        for i in node.inputs:
            if i not in slot and isinstance(i, Constant):
                slot[i] = len(slot)
                consts.append((slot[i], i.data))
        for o in node.outputs:
            slot[o] = len(slot)
    for o in fgraph.outputs:
        if o not in slot and isinstance(o, Constant):
            slot[o] = len(slot)
            consts.append((slot[o], o.data))
    n_slots = len(slot)
    n_in = len(fgraph.inputs)
    keep = set(fgraph.outputs)
    frees = _last_uses(nodes, keep) if allow_gc else [[] for _ in nodes]
    program = [
        (
            node.op.perform,
            node,
            tuple(slot[i] for i in node.inputs),
            tuple(slot[o] for o in node.outputs),
            tuple(slot[v] for v in frees[k]),
        )
        for k, node in enumerate(nodes)
    ]
    out_slots = [slot[o] for o in fgraph.outputs]

    def runner(*args: Any) -> list[Any]:
        store: list[Any] = [None] * n_slots
        store[:n_in] = args
        for s, value in consts:
            store[s] = value
        for perform, node, ins, outs, free in program:
            cells = [[None] for _ in outs]
            try:
                perform(node, [store[i] for i in ins], cells)
            except Exception as exc:
                _add_node_note(exc, node)
                raise
            for s, cell in zip(outs, cells, strict=True):
                store[s] = cell[0]
            for s in free:
                store[s] = None
        return [store[s] for s in out_slots]

    return runner


def _lazy(fgraph: FunctionGraph) -> Runner:
    """Demand-driven evaluation: a lazy Op asks for the inputs it needs through a getter."""
    inputs = list(fgraph.inputs)
    outputs = list(fgraph.outputs)

    def runner(*args: Any) -> list[Any]:
        memo: dict[Variable, Any] = dict(zip(inputs, args, strict=True))

        def run(node: Apply) -> None:
            cells: list[list[Any]] = [[None] for _ in node.outputs]
            try:
                if getattr(node.op, "lazy", False):
                    lazy_op = cast(_LazyOp, node.op)
                    lazy_op.lazy_perform(node, lambda i: demand(node.inputs[i]), cells)
                else:
                    node.op.perform(node, [memo[i] for i in node.inputs], cells)
            except Exception as exc:
                _add_node_note(exc, node)
                raise
            for o, cell in zip(node.outputs, cells, strict=True):
                memo[o] = cell[0]

        def demand(var: Variable) -> Any:
            stack = [var]
            while stack:
                v = stack[-1]
                if v in memo:
                    stack.pop()
                    continue
                if isinstance(v, Constant):
                    memo[v] = v.data
                    stack.pop()
                    continue
                node = v.owner
                if node is None:
                    raise ValueError(f"Variable {v} has no value and no owner")
                if not getattr(node.op, "lazy", False):
                    missing = [i for i in node.inputs if i not in memo]
                    if missing:
                        stack.extend(missing)
                        continue
                stack.pop()
                run(node)
            return memo[var]

        return [demand(o) for o in outputs]

    return runner


class PythonBackend(Backend):
    """Runs every node through its Op's ``perform`` method, in Python.

    It is always available and is the reference the other backends are
    checked against.
    """

    name = "py"
    priority = 0
    extra = None

    def link(self, fgraph: FunctionGraph, allow_gc: bool | None = None, **options: Any) -> Runner:
        from pytensor.configdefaults import config

        if allow_gc is None:
            allow_gc = config.allow_gc
        nodes = fgraph.toposort()
        for node in nodes:
            _check_perform(node)
        if any(getattr(n.op, "lazy", False) for n in nodes):
            return _lazy(fgraph)
        if len(nodes) <= CODEGEN_MAX_NODES:
            return _codegen(fgraph, nodes, allow_gc)
        return _interpreter(fgraph, nodes, allow_gc)

    def make_linker(self, **options: Any) -> Linker:
        return PythonLinker(self, **options)

    def op_status(self, op_class: type) -> str:
        from pytensor.graph.op import Op

        perform = getattr(op_class, "perform", None)
        lazy = getattr(op_class, "lazy", False)
        return (
            "native" if lazy or (perform is not None and perform is not Op.perform) else "missing"
        )


class PythonLinker(Linker):
    """The Linker of the Python backend (``mode.linker`` of the PY modes)."""

    def __init__(self, backend_: Backend | None = None, **options: Any) -> None:
        super().__init__(backend_ if backend_ is not None else backend, **options)


backend = PythonBackend()
