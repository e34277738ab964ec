"""Rewrites of one shape into another: patterns, Op substitution and Op removal (layer: pytensor-rewrite)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pytensor.graph.basic import Variable
from pytensor.graph.op import Op
from pytensor.graph.rewriting._core import NodeRewriter, TrackType, track_matcher
from pytensor.graph.rewriting.unify import (
    OpPattern,
    PatternNode,
    PatternVar,
    convert_strs_to_vars,
    inner_matches,
    iter_matches,
    pattern_to_str,
    reify_pattern,
)

if TYPE_CHECKING:
    from pytensor.graph.basic import Apply
    from pytensor.graph.fg import FunctionGraph

__all__ = ["PatternNodeRewriter", "RemovalNodeRewriter", "SubstitutionNodeRewriter"]


def _vars_in(pattern: Any) -> set[PatternVar]:
    found: set[PatternVar] = set()
    stack = [pattern]
    while stack:
        p = stack.pop()
        if isinstance(p, PatternVar):
            found.add(p)
        elif isinstance(p, PatternNode):
            stack.append(p.op_match)
            stack.extend(p.inputs)
        elif isinstance(p, OpPattern):
            stack.extend(v for _, v in p.parameters)
    return found


class PatternNodeRewriter(NodeRewriter):
    """Replace every sub-graph matching ``in_pattern`` with ``out_pattern``.

    Patterns are nested tuples ``(op, arg, ...)``: arguments are patterns,
    strings naming pattern variables, ``"*name"`` for a run of arguments,
    ``{"pattern": "x", "constraint": f}`` for a variable that only matches
    when ``f(value)`` is true, or constants. Arguments of commutative Ops
    (add, mul) match in any order. The replacement may reuse anything the
    input pattern bound, whole matched sub-graphs included; it may also be
    a function ``f(fgraph, node, subs)`` returning the new variable.

    Parameters
    ----------
    in_pattern, out_pattern
        The patterns.
    allow_multiple_clients
        Also rewrite when an inner node of the match is used outside it
        (that duplicates its computation); off by default.
    name
        Name in profiles and messages (default: the pattern as text).
    tracks
        What to track instead of the head Op of ``in_pattern``.
    get_nodes
        ``f(fgraph, node)`` returning the nodes to try instead of ``node``.
    values_eq_approx
        Set on the replacement's ``tag.values_eq_approx``.
    allow_cast
        When the replacement's type has another ``dtype`` than the output it
        replaces, cast it (with its ``astype`` method) instead of giving up.

    Examples
    --------
    >>> from pytensor.graph.fg import FunctionGraph
    >>> from pytensor.graph.rewriting._examples import add, log, log1p, x
    >>> rw = PatternNodeRewriter((log, (add, 1, "x")), (log1p, "x"))
    >>> print(rw)
    log(1 + x) -> log1p(x)
    >>> fg = FunctionGraph([x], [log(add(x, 1.0))])
    >>> rw.transform(fg, fg.outputs[0].owner)
    [Log1p.0]
    """

    def __init__(
        self,
        in_pattern: Any,
        out_pattern: Any,
        allow_multiple_clients: bool = False,
        name: str | None = None,
        tracks: Sequence[TrackType] = (),
        get_nodes: Callable[[FunctionGraph, Apply], Sequence[Apply]] | None = None,
        values_eq_approx: Callable[..., bool] | None = None,
        allow_cast: bool = True,
    ) -> None:
        var_map: dict[str, PatternVar] = {}
        self.in_pattern = convert_strs_to_vars(in_pattern, var_map)
        if not isinstance(self.in_pattern, PatternNode):
            raise TypeError(f"in_pattern must be a tuple (op, ...), got {in_pattern!r}")
        self.out_pattern = (
            out_pattern if callable(out_pattern) else convert_strs_to_vars(out_pattern, var_map)
        )
        if not callable(self.out_pattern):
            unbound = _vars_in(self.out_pattern) - _vars_in(self.in_pattern)
            if unbound:
                names = ", ".join(sorted(v.token for v in unbound))
                raise ValueError(
                    f"The replacement pattern uses variables the input pattern does not bind: {names}"
                )
        self.allow_multiple_clients = allow_multiple_clients
        head = self.in_pattern.op_match
        self._tracks: list[TrackType] = list(tracks) if tracks else [head]
        self._head_matches = track_matcher([head])
        self.get_nodes = get_nodes
        self.values_eq_approx = values_eq_approx
        self.allow_cast = allow_cast
        if name:
            self.__name__ = name

    def tracks(self) -> list[TrackType]:
        return self._tracks

    def op_key(self) -> Any:
        return self.in_pattern.op_match

    def _clients_ok(self, fgraph: FunctionGraph, node: Apply, subs: Any) -> bool:
        inner = inner_matches(subs)
        if not inner:
            return True
        matched = {node} | {v.owner for v in inner}
        return all(client in matched for v in inner for client, _ in fgraph.clients.get(v, ()))

    def transform(
        self,
        fgraph: FunctionGraph,
        node: Apply,
        enforce_tracks: bool = True,
        get_nodes: bool = True,
    ) -> Any:
        if get_nodes and self.get_nodes is not None:
            for real in self.get_nodes(fgraph, node):
                if real is node:
                    continue
                ret = self.transform(fgraph, real, enforce_tracks, get_nodes=False)
                if ret is not False and ret is not None:
                    return dict(zip(real.outputs, ret, strict=True))
            return False
        if len(node.outputs) != 1 or not self._head_matches(node.op):
            return False
        for subs in iter_matches(self.in_pattern, node):
            if self.allow_multiple_clients or self._clients_ok(fgraph, node, subs):
                break
        else:
            return False
        if callable(self.out_pattern):
            ret = self.out_pattern(fgraph, node, subs)
        else:
            ret = reify_pattern(self.out_pattern, subs)
        if ret is None or ret is False:
            return False
        [old] = node.outputs
        if not isinstance(ret, Variable):
            ret = old.type.filter_variable(ret)
        if ret.type != old.type:
            converted = old.type.convert_variable(ret)
            dtype = getattr(old.type, "dtype", None)
            if (
                converted is None
                and self.allow_cast
                and dtype is not None
                and hasattr(ret, "astype")
            ):
                converted = old.type.convert_variable(ret.astype(dtype))
            if converted is None:
                return False
            ret = converted
        if self.values_eq_approx is not None:
            ret.tag.values_eq_approx = self.values_eq_approx
        return [ret]

    def __str__(self) -> str:
        name = getattr(self, "__name__", None)
        if name:
            return str(name)
        out = self.out_pattern
        rhs = getattr(out, "__name__", "<function>") if callable(out) else pattern_to_str(out)
        return f"{pattern_to_str(self.in_pattern)} -> {rhs}"

    def __repr__(self) -> str:
        return f"PatternNodeRewriter({self})"


class SubstitutionNodeRewriter(NodeRewriter):
    """Replace every node of ``op1`` with ``op2`` applied to the same inputs."""

    def __init__(self, op1: Op, op2: Op, transfer_tags: bool = True) -> None:
        self.op1, self.op2, self.transfer_tags = op1, op2, transfer_tags

    def tracks(self) -> list[TrackType]:
        return [self.op1]

    def transform(self, fgraph: FunctionGraph, node: Apply, *args: Any, **kwargs: Any) -> Any:
        if node.op != self.op1:
            return False
        new_node = self.op2.make_node(*node.inputs)
        if self.transfer_tags:
            new_node.tag = node.tag.__class__().update(node.tag).update(new_node.tag)
        return list(new_node.outputs)

    def __str__(self) -> str:
        return f"{self.op1} -> {self.op2}"


class RemovalNodeRewriter(NodeRewriter):
    """Remove nodes of a one-input, one-output ``op``: ``op(x)`` becomes ``x``."""

    def __init__(self, op: Op) -> None:
        self.op = op

    def tracks(self) -> list[TrackType]:
        return [self.op]

    def transform(self, fgraph: FunctionGraph, node: Apply, *args: Any, **kwargs: Any) -> Any:
        if node.op != self.op or len(node.inputs) != 1 or len(node.outputs) != 1:
            return False
        return [node.inputs[0]]

    def __str__(self) -> str:
        return f"{self.op}(x) -> x"
