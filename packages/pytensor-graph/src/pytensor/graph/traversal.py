"""Graph traversal: ancestors, inputs, toposorts and walks (layer: pytensor-graph).

Every function here is iterative, so deep graphs (a chain of 100k nodes) never
hit Python's recursion limit, and each runs in time linear in the graph size.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal, TypeVar, overload

from pytensor.graph.utils import gc_paused

if TYPE_CHECKING:
    from pytensor.graph.basic import Apply, Variable

__all__ = [
    "ancestors",
    "apply_ancestors",
    "apply_depends_on",
    "applys_between",
    "explicit_graph_inputs",
    "general_toposort",
    "get_var_by_name",
    "graph_inputs",
    "io_toposort",
    "orphans_between",
    "toposort",
    "truncated_graph_inputs",
    "variable_depends_on",
    "variables_between",
    "vars_between",
    "walk",
]

T = TypeVar("T", bound=Hashable)


class CycleError(ValueError):
    """A graph contains a cycle, so it has no topological order."""


@overload
def walk(
    nodes: Iterable[T],
    expand: Callable[[T], Iterable[T] | None],
    bfs: bool = ...,
    return_children: Literal[False] = ...,
    hash_fn: Callable[[T], Hashable] = ...,
) -> Iterator[T]: ...
@overload
def walk(
    nodes: Iterable[T],
    expand: Callable[[T], Iterable[T] | None],
    bfs: bool,
    return_children: Literal[True],
    hash_fn: Callable[[T], Hashable] = ...,
) -> Iterator[tuple[T, Iterable[T] | None]]: ...
@overload
def walk(
    nodes: Iterable[T],
    expand: Callable[[T], Iterable[T] | None],
    bfs: bool = ...,
    *,
    return_children: Literal[True],
    hash_fn: Callable[[T], Hashable] = ...,
) -> Iterator[tuple[T, Iterable[T] | None]]: ...
@overload
def walk(
    nodes: Iterable[T],
    expand: Callable[[T], Iterable[T] | None],
    bfs: bool = ...,
    return_children: bool = ...,
    hash_fn: Callable[[T], Hashable] = ...,
) -> Iterator[T] | Iterator[tuple[T, Iterable[T] | None]]: ...
def walk(
    nodes: Iterable[T],
    expand: Callable[[T], Iterable[T] | None],
    bfs: bool = True,
    return_children: bool = False,
    hash_fn: Callable[[T], Hashable] = id,
) -> Iterator[T] | Iterator[tuple[T, Iterable[T] | None]]:
    """Visit each node reachable from ``nodes`` once, expanding with ``expand``.

    Parameters
    ----------
    nodes
        Where to start.
    expand
        Returns the nodes to visit after a given node (or None).
    bfs
        Breadth-first when True, depth-first otherwise.
    return_children
        Yield ``(node, expand(node))`` pairs instead of nodes.
    hash_fn
        Identifies a node for the seen-set (identity by default).
    """
    queue: deque[T] = deque(nodes)
    pop = queue.popleft if bfs else queue.pop
    seen: set[Hashable] = set()
    while queue:
        node = pop()
        key = hash_fn(node)
        if key in seen:
            continue
        seen.add(key)
        children = expand(node)
        if return_children:
            yield node, children
        else:
            yield node
        if children:
            if bfs:
                queue.extend(children)
            else:
                queue.extend(reversed(list(children)))


def ancestors(
    graphs: Iterable[Variable], blockers: Iterable[Variable] | None = None
) -> Iterator[Variable]:
    """Yield every variable that ``graphs`` depend on, the graphs included (depth-first).

    A variable in ``blockers`` is yielded but not expanded.
    """
    blocked = set(blockers) if blockers is not None else set()

    def expand(var: Variable) -> Sequence[Variable] | None:
        if var.owner is not None and var not in blocked:
            return var.owner.inputs
        return None

    yield from walk(graphs, expand, bfs=False)


def graph_inputs(
    graphs: Iterable[Variable], blockers: Iterable[Variable] | None = None
) -> Iterator[Variable]:
    """Yield the root variables of ``graphs``: those with no owner, or in ``blockers``."""
    blocked = set(blockers) if blockers is not None else set()
    return (v for v in ancestors(graphs, blocked) if v.owner is None or v in blocked)


def explicit_graph_inputs(graph: Variable | Iterable[Variable]) -> Iterator[Variable]:
    """Yield the root variables of ``graph`` that a function must be given.

    Constants and shared variables are skipped: a compiled function reads those itself.
    """
    import sys

    from pytensor.graph.basic import Constant, Variable

    graphs = [graph] if isinstance(graph, Variable) else list(graph)
    # Shared variables exist only once pytensor.compile.sharedvalue is imported;
    # looking it up (rather than importing it) keeps the graph layer below compile.
    sharedvalue = sys.modules.get("pytensor.compile.sharedvalue")
    skip: tuple[type, ...] = (Constant,)
    if sharedvalue is not None:
        skip = (Constant, sharedvalue.SharedVariable)
    return (v for v in graph_inputs(graphs) if not isinstance(v, skip))


def truncated_graph_inputs(
    outputs: Sequence[Variable], ancestors_to_include: Iterable[Variable] | None = None
) -> list[Variable]:
    """The variables closest to ``outputs`` that do not depend on ``ancestors_to_include``.

    Walking back from ``outputs``, a variable is returned when it is one of
    ``ancestors_to_include`` (and expanded only if it depends on another of
    them), when it is a root, or when nothing it depends on is in
    ``ancestors_to_include``. The result is enough to compute ``outputs``.
    """
    include = set(ancestors_to_include) if ancestors_to_include is not None else set()
    # Which variables depend on an included ancestor: one forward pass in topological order.
    depends: dict[Variable, bool] = {}
    for node in io_toposort([], outputs):
        hit = any(i in include or depends.get(i, False) for i in node.inputs)
        for o in node.outputs:
            depends[o] = hit
    truncated: list[Variable] = []
    seen: set[Variable] = set()
    stack = list(reversed(outputs))
    while stack:
        var = stack.pop()
        if var in seen:
            continue
        seen.add(var)
        if var in include:
            truncated.append(var)
            # As in PyTensor: an included variable that depends on other included
            # ones is returned together with them (they are searched for above it).
            if depends.get(var, False):
                assert var.owner is not None  # only node outputs can depend on anything
                stack.extend(reversed(var.owner.inputs))
        elif var.owner is None or not depends.get(var, False):
            truncated.append(var)
        else:
            stack.extend(reversed(var.owner.inputs))
    return truncated


def _toposort(starts: Iterable[T], deps: Callable[[T], Iterable[T]]) -> list[T]:
    """Order every node reachable from ``starts`` so that each comes after its deps.

    Raises CycleError if the dependencies contain a cycle.
    """
    with gc_paused():
        return _toposort_impl(starts, deps)


def _toposort_impl(starts: Iterable[T], deps: Callable[[T], Iterable[T]]) -> list[T]:
    ENTERED, DONE = 1, 2
    state: dict[T, int] = {}
    order: list[T] = []
    for start in starts:
        if start in state:
            continue
        stack = [start]
        while stack:
            node = stack[-1]
            st = state.get(node)
            if st is None:
                state[node] = ENTERED
                pending = []
                for dep in deps(node):
                    dst = state.get(dep)
                    if dst is None:
                        pending.append(dep)
                    elif dst == ENTERED:
                        raise CycleError(f"The graph contains a cycle through {dep}")
                if pending:
                    stack.extend(reversed(pending))
            else:
                stack.pop()
                if st == ENTERED:
                    state[node] = DONE
                    order.append(node)
    return order


def general_toposort(
    outputs: Iterable[T],
    deps: Callable[[T], Iterable[T] | None],
    compute_deps_cache: Callable[[T], Iterable[T] | None] | None = None,
    deps_cache: dict[T, list[T]] | None = None,
    clients: dict[T, list[T]] | None = None,
) -> list[T]:
    """Topologically sort everything ``outputs`` depend on, according to ``deps``.

    ``compute_deps_cache``, ``deps_cache`` and ``clients`` are accepted for
    compatibility; ``clients``, when given, is filled with the reverse edges.
    """
    dep_fn = compute_deps_cache or deps

    def _deps(node: T) -> Iterable[T]:
        if deps_cache is not None and node in deps_cache:
            return deps_cache[node]
        d = dep_fn(node)
        d = list(d) if d else []
        if deps_cache is not None:
            deps_cache[node] = d
        return d

    order = _toposort(outputs, _deps)
    if clients is not None:
        for node in order:
            for d in _deps(node):
                clients.setdefault(d, []).append(node)
    return order


def io_toposort(
    inputs: Iterable[Variable],
    outputs: Iterable[Variable],
    orderings: dict[Apply, list[Apply]] | None = None,
    clients: dict[Variable, list[Apply]] | None = None,
) -> list[Apply]:
    """The Apply nodes between ``inputs`` and ``outputs``, each after those it depends on.

    ``orderings`` maps a node to extra nodes that must run before it.
    """
    # A set is used as given: FunctionGraph passes its (large) variable set on
    # every node import, and copying it would make rewriting quadratic.
    iset = inputs if isinstance(inputs, set | frozenset) else set(inputs)

    if orderings:

        def deps(node: Apply) -> list[Apply]:
            ds = [i.owner for i in node.inputs if i.owner is not None and i not in iset]
            ds.extend(orderings.get(node, ()))
            return ds
    else:

        def deps(node: Apply) -> list[Apply]:
            return [i.owner for i in node.inputs if i.owner is not None and i not in iset]

    starts = [o.owner for o in outputs if o.owner is not None and o not in iset]
    return _toposort(starts, deps)


def toposort(graphs: Iterable[Variable], blockers: Iterable[Variable] | None = None) -> list[Apply]:
    """The Apply nodes that ``graphs`` depend on, in topological order, stopping at ``blockers``."""
    return io_toposort(blockers or (), graphs)


def _between(
    ins: Iterable[Variable], outs: Iterable[Variable]
) -> tuple[list[Variable], set[Variable]]:
    ins_set = set(ins)
    found: list[Variable] = []

    def expand(var: Variable) -> Sequence[Variable] | None:
        # Every output of an intermediate node is in the subgraph (as in PyTensor).
        if var.owner is not None and var not in ins_set:
            return [*var.owner.inputs, *var.owner.outputs]
        return None

    for v in walk(outs, expand, bfs=False):
        found.append(v)
    return found, ins_set


def variables_between(ins: Iterable[Variable], outs: Iterable[Variable]) -> list[Variable]:
    """Every variable on a path from ``ins`` to ``outs`` (both ends included).

    All outputs of the nodes in between are included, even those not on a path to ``outs``.
    """
    return _between(ins, outs)[0]


vars_between = variables_between


def orphans_between(ins: Iterable[Variable], outs: Iterable[Variable]) -> list[Variable]:
    """Root variables that ``outs`` depend on but that are not in ``ins`` (typically constants)."""
    found, ins_set = _between(ins, outs)
    return [v for v in found if v.owner is None and v not in ins_set]


def applys_between(ins: Iterable[Variable], outs: Iterable[Variable]) -> list[Apply]:
    """The Apply nodes on a path from ``ins`` to ``outs``."""
    found, ins_set = _between(ins, outs)
    seen: set[Apply] = set()
    nodes = []
    for v in found:
        if v.owner is not None and v not in ins_set and v.owner not in seen:
            seen.add(v.owner)
            nodes.append(v.owner)
    return nodes


def apply_ancestors(
    graphs: Iterable[Variable], blockers: Iterable[Variable] | None = None
) -> Iterator[Apply]:
    """Yield each Apply node that ``graphs`` depend on, once."""
    seen: set[Apply] = set()
    for v in ancestors(graphs, blockers):
        if v.owner is not None and v.owner not in seen:
            seen.add(v.owner)
            yield v.owner


def variable_depends_on(
    variable: Variable,
    depends_on: Variable | Iterable[Variable],
    stop_search_at: Iterable[Variable] | None = None,
) -> bool:
    """Whether ``variable`` depends on ``depends_on`` (a variable or several)."""
    from pytensor.graph.basic import Variable

    targets = {depends_on} if isinstance(depends_on, Variable) else set(depends_on)
    blockers = set(stop_search_at) if stop_search_at is not None else set()
    return any(v in targets for v in ancestors([variable], blockers))


def apply_depends_on(apply: Apply, depends_on: Apply | Iterable[Apply]) -> bool:
    """Whether Apply node ``apply`` depends on the Apply node(s) ``depends_on``."""
    from pytensor.graph.basic import Apply

    targets = {depends_on} if isinstance(depends_on, Apply) else set(depends_on)
    return any(n in targets for n in apply_ancestors(apply.inputs))


def get_var_by_name(
    graphs: Iterable[Variable], target_var_id: str, ids: str = "CHAR"
) -> tuple[Variable, ...]:
    """The variables in ``graphs`` (inner graphs included) named ``target_var_id``.

    A variable matches when its ``name`` or its ``auto_name`` equals the target.
    """
    from pytensor.graph.op import HasInnerGraph

    def expand(var: Variable) -> list[Variable] | None:
        if var.owner is None:
            return None
        res = list(var.owner.inputs)
        if isinstance(var.owner.op, HasInnerGraph):
            res.extend(var.owner.op.inner_outputs)
        return res

    found: list[Variable] = []
    for v in walk(graphs, expand, bfs=False):
        if (
            getattr(v, "name", None) == target_var_id
            or getattr(v, "auto_name", None) == target_var_id
        ):
            found.append(v)
    return tuple(found)
