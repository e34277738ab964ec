"""Graph replacement: ``clone_replace``, ``graph_replace`` and ``vectorize_graph`` (layer: pytensor-graph)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import singledispatch
from typing import Any

from pytensor.graph.basic import Apply, Variable, clone_get_equiv
from pytensor.graph.op import Op
from pytensor.graph.traversal import graph_inputs, io_toposort, truncated_graph_inputs

__all__ = ["clone_replace", "graph_replace", "vectorize_graph", "vectorize_node"]

ReplaceTypes = Mapping[Variable, Variable] | Iterable[tuple[Variable, Variable]]


def _pairs(replace: ReplaceTypes | None) -> list[tuple[Variable, Variable]]:
    if replace is None:
        return []
    items = list(replace.items()) if isinstance(replace, Mapping) else list(replace)
    pairs = []
    for k, v in items:
        if not isinstance(k, Variable):
            raise TypeError(f"Replacement keys must be Variables, got {k!r}")
        if not isinstance(v, Variable):
            v = k.type.filter_variable(v)
        pairs.append((k, v))
    return pairs


def _as_list(outputs: Variable | Sequence[Variable]) -> tuple[list[Variable], bool]:
    """``outputs`` as a list, and whether it was a single variable."""
    if isinstance(outputs, Variable):
        return [outputs], True
    return list(outputs), False


def _check_type(old: Variable, new: Variable, strict: bool) -> Variable:
    if old.type == new.type:
        return new
    converted = old.type.convert_variable(new)
    if converted is not None:
        return converted
    if not strict and old.type.in_same_class(new.type):
        return new
    raise TypeError(
        f"Cannot replace {old} of type {old.type} with {new} of type {new.type}: the types are incompatible"
    )


def clone_replace(
    output: Variable | Sequence[Variable],
    replace: ReplaceTypes | None = None,
    **rebuild_kwds: Any,
) -> Any:
    """Copy the graph of ``output`` with the variables in ``replace`` swapped.

    Parameters
    ----------
    output
        A variable or a list of variables.
    replace
        ``{old: new}`` (or pairs). ``new`` must have the type of ``old``, or a
        type ``old.type`` accepts exactly (``strict=False`` also allows a
        type of the same class, re-inferring the types downstream).
    rebuild_kwds
        ``strict`` (default True) and ``copy_inputs_over`` (default True:
        roots that are not replaced are kept, not copied).

    Returns
    -------
    The new variable or list of variables, matching the form of ``output``.
    """
    strict = rebuild_kwds.pop("strict", True)
    copy_inputs_over = rebuild_kwds.pop("copy_inputs_over", True)
    if rebuild_kwds:
        raise TypeError(f"clone_replace got unexpected arguments {sorted(rebuild_kwds)}")
    outputs, single = _as_list(output)
    pairs = [(k, _check_type(k, v, strict)) for k, v in _pairs(replace)]
    # Replace in two steps (old -> placeholder -> new) so that a replacement
    # that uses an old variable (x -> 2 * x) does not recurse into itself.
    placeholders = [(k, k.type()) for k, _ in pairs]
    memo: dict[Any, Any] = {k: p for k, p in placeholders}
    roots = list(graph_inputs(outputs, blockers=[k for k, _ in pairs]))
    if copy_inputs_over:
        for r in roots:
            memo.setdefault(r, r)
    step1 = clone_get_equiv(
        roots,
        outputs,
        copy_inputs=not copy_inputs_over,
        copy_orphans=not copy_inputs_over,
        memo=memo,
    )
    mid = [step1[o] for o in outputs]
    memo2: dict[Any, Any] = {p: v for (k, p), (_, v) in zip(placeholders, pairs, strict=True)}
    roots2 = list(graph_inputs(mid))
    for r in roots2:
        memo2.setdefault(r, r)
    step2 = clone_get_equiv(roots2, mid, copy_inputs=False, copy_orphans=False, memo=memo2)
    new = [step2[m] for m in mid]
    return new[0] if single else new


def graph_replace(
    outputs: Variable | Sequence[Variable],
    replace: ReplaceTypes | None = None,
    *,
    strict: bool = True,
) -> Any:
    """Replace variables in the graph of ``outputs``, rebuilding only what depends on them.

    Unlike :func:`clone_replace`, nodes that do not depend on a replaced
    variable are reused, not copied. A replaced variable that the outputs do
    not depend on raises ValueError in strict mode.
    """
    outs, single = _as_list(outputs)
    pairs = [(k, _check_type(k, v, strict)) for k, v in _pairs(replace)]
    if not pairs:
        return outputs if single else outs
    olds = [k for k, _ in pairs]
    needed = set(truncated_graph_inputs(outs, olds))
    missing = [k for k in olds if k not in needed]
    if missing and strict:
        raise ValueError(
            f"graph_replace: the outputs do not depend on {', '.join(str(m) for m in missing)}"
        )
    memo: dict[Any, Any] = dict(pairs)
    for node in io_toposort(olds, outs):
        new_inputs = [memo.get(i, i) for i in node.inputs]
        if all(n is o for n, o in zip(new_inputs, node.inputs, strict=True)):
            continue
        new_node = node.clone_with_new_inputs(new_inputs, strict=False)
        for o, n in zip(node.outputs, new_node.outputs, strict=True):
            memo[o] = n
    new = [memo.get(o, o) for o in outs]
    return new[0] if single else new


@singledispatch
def _vectorize_node(op: Op, node: Apply, *batched_inputs: Variable) -> Apply:
    """Return a node that computes ``node`` over inputs with extra leading (batch) dimensions.

    Layers that define Ops register implementations; this default refuses.
    """
    raise NotImplementedError(
        f"Cannot vectorize {op}: no vectorization is registered for {type(op).__name__}"
    )


def vectorize_node(node: Apply, *batched_inputs: Variable) -> Apply:
    """Vectorize one node, reusing it when no input changed."""
    if all(b is i for b, i in zip(batched_inputs, node.inputs, strict=True)):
        return node
    return _vectorize_node(node.op, node, *batched_inputs)


def vectorize_graph(
    outputs: Variable | Sequence[Variable],
    replace: Mapping[Variable, Variable],
) -> Any:
    """Rebuild ``outputs`` for batched replacements of some of their inputs.

    Each key of ``replace`` is a core variable; its value has the same core
    dimensions plus leading batch dimensions. Nodes that depend on a replaced
    variable are vectorized through the ``_vectorize_node`` registry.
    """
    outs, single = _as_list(outputs)
    memo: dict[Any, Any] = dict(replace)
    roots = list(truncated_graph_inputs(outs, list(replace)))
    for node in io_toposort(roots, outs):
        new_inputs = [memo.get(i, i) for i in node.inputs]
        new_node = vectorize_node(node, *new_inputs)
        for o, n in zip(node.outputs, new_node.outputs, strict=True):
            memo[o] = n
    new = [memo.get(o, o) for o in outs]
    return new[0] if single else new
