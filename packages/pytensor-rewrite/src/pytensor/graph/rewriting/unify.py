"""Patterns over graphs: pattern variables, Op patterns, matching and instantiation (layer: pytensor-rewrite).

A pattern is a nested tuple ``(op, arg, ...)`` whose head is an Op (or an
:class:`OpPattern`) and whose arguments are patterns, pattern variables
(strings, :class:`PatternVar`), variadic variables (``"*name"``) or
constants. :func:`convert_strs_to_vars` turns the tuple form into
:class:`PatternNode` trees; :func:`iter_matches` finds the ways a node
matches, trying argument orders for commutative Ops; :func:`reify_pattern`
builds the graph a pattern describes from a substitution.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

import numpy as np

from pytensor.graph.basic import Constant, Variable
from pytensor.graph.op import Op

__all__ = [
    "ConstrainedVar",
    "LiteralString",
    "OpPattern",
    "PatternNode",
    "PatternVar",
    "Substitution",
    "Var",
    "VariadicVar",
    "convert_strs_to_vars",
    "is_commutative",
    "iter_matches",
    "match_pattern",
    "pattern_to_str",
    "reify_pattern",
    "var",
]

_fresh = count()


class PatternVar:
    """A named hole in a pattern; it matches any value that satisfies ``constraint``.

    A variable that occurs twice must match the same value both times.
    """

    __slots__ = ("constraint", "token")

    def __init__(
        self, token: str | None = None, constraint: Callable[[Any], bool] | None = None
    ) -> None:
        self.token = token if token is not None else f"_v{next(_fresh)}"
        self.constraint = constraint

    def __repr__(self) -> str:
        extra = ", constraint=..." if self.constraint is not None else ""
        return f"{type(self).__name__}({self.token!r}{extra})"

    def __str__(self) -> str:
        return self.token


Var = PatternVar


def var(token: str | None = None) -> PatternVar:
    """A new pattern variable (named ``token``, or with a fresh name)."""
    return PatternVar(token)


class ConstrainedVar(PatternVar):
    """A pattern variable that only matches values for which ``constraint(value)`` is true."""

    __slots__ = ()

    def __init__(
        self, constraint: Callable[[Any], bool], token: str | None = None, prefix: str = ""
    ) -> None:
        super().__init__(token if token is not None else f"{prefix}_c{next(_fresh)}", constraint)


class VariadicVar(PatternVar):
    """Matches zero or more consecutive arguments (all leftover ones for a commutative Op).

    It binds a tuple of variables; in a replacement pattern the tuple is
    spliced into the argument list. Written ``"*name"`` in tuple patterns.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return f"*{self.token}"


@dataclass(frozen=True)
class LiteralString:
    """A string in a pattern that stands for itself rather than for a pattern variable."""

    value: str


class OpPattern:
    """Matches Ops of ``op_type`` whose listed parameters have the given values.

    A parameter value may be a pattern variable (string), which binds the
    Op's attribute, or another OpPattern for Ops parametrized by Ops.

    Examples
    --------
    >>> from pytensor.graph.rewriting._examples import Exp, Log, exp
    >>> OpPattern(Exp).match_op(exp), OpPattern(Log).match_op(exp)
    (True, False)
    """

    __slots__ = ("op_type", "parameters")

    def __init__(
        self,
        op_type: Any,
        parameters: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs and parameters is not None:
            raise ValueError("OpPattern takes parameters as a dict or as keywords, not both")
        params = kwargs if kwargs else parameters or ()
        items = params.items() if isinstance(params, Mapping) else params
        self.op_type = op_type
        self.parameters: tuple[tuple[str, Any], ...] = tuple(sorted(items, key=lambda kv: kv[0]))

    def match_op(self, op: Any) -> bool:
        """Whether ``op`` is an instance of ``op_type`` with the fixed parameter values."""
        return isinstance(op, self.op_type) and _match_op_params(self, op, {}) is not None

    def match_parameters(self, op: Any) -> bool:
        return _match_op_params(self, op, {}) is not None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OpPattern) and (self.op_type, self.parameters) == (
            other.op_type,
            other.parameters,
        )

    def __hash__(self) -> int:
        return hash(
            (
                OpPattern,
                self.op_type,
                tuple((k, id(v) if isinstance(v, PatternVar) else v) for k, v in self.parameters),
            )
        )

    def __str__(self) -> str:
        name = getattr(self.op_type, "__name__", str(self.op_type))
        args = ", ".join(f"{k}={v}" for k, v in self.parameters)
        return f"{name}{{{args}}}" if args else name

    __repr__ = __str__


class PatternNode:
    """An Op (or OpPattern) applied to argument patterns.

    ``commutative`` None means "ask the Op" (see :func:`is_commutative`).
    """

    __slots__ = ("commutative", "inputs", "op_match")

    def __init__(
        self, op_match: Op | OpPattern, inputs: Sequence[Any], commutative: bool | None = None
    ) -> None:
        self.op_match = op_match
        self.inputs = tuple(inputs)
        self.commutative = commutative
        if sum(isinstance(i, VariadicVar) for i in self.inputs) > 1 and commutative is not False:
            if commutative or is_commutative(op_match):
                raise ValueError("A commutative pattern can have at most one variadic argument")

    def __repr__(self) -> str:
        return f"PatternNode({self.op_match!r}, {self.inputs!r})"


class Substitution(dict[Any, Any]):
    """The result of a match: ``{PatternVar: value}``, also indexable by token string."""

    def __missing__(self, key: Any) -> Any:
        if isinstance(key, str):
            for k, v in self.items():
                if isinstance(k, PatternVar) and k.token == key:
                    return v
        raise KeyError(key)


def is_commutative(op: Any) -> bool:
    """Whether argument order does not matter for ``op``.

    True when the Op, or the scalar Op it applies elementwise
    (``op.scalar_op``), has a true ``commutative`` attribute.
    """
    if isinstance(op, OpPattern):
        return False
    flag = getattr(op, "commutative", None)
    if flag is None:
        flag = getattr(getattr(op, "scalar_op", None), "commutative", False)
    return bool(flag)


def convert_strs_to_vars(x: Any, var_map: dict[str, PatternVar] | None = None) -> Any:
    """Turn a tuple pattern into PatternNodes and its strings into pattern variables.

    ``"x"`` becomes a :class:`PatternVar`, ``"*xs"`` a :class:`VariadicVar`
    and ``{"pattern": "x", "constraint": f}`` a constrained variable. The
    same string always maps to the same variable (``var_map`` records them,
    so a replacement pattern converted with the same map shares them).
    """
    var_map = {} if var_map is None else var_map

    def named(token: str, constraint: Callable[[Any], bool] | None = None) -> PatternVar:
        variadic = token.startswith("*")
        name = token[1:] if variadic else token
        found = var_map.get(name)
        if found is None:
            found = VariadicVar(name, constraint) if variadic else PatternVar(name, constraint)
            var_map[name] = found
        elif constraint is not None:
            found.constraint = constraint
        if variadic != isinstance(found, VariadicVar):
            raise ValueError(
                f"Pattern variable {name!r} is used both as variadic and as a single argument"
            )
        return found

    def convert(y: Any) -> Any:
        if isinstance(y, str):
            return named(y)
        if isinstance(y, LiteralString):
            return y.value
        if isinstance(y, dict):
            pat = y.get("pattern")
            if not isinstance(pat, str):
                raise TypeError(
                    f"A constrained pattern needs a variable name as 'pattern', got {pat!r}"
                )
            return named(pat, y.get("constraint"))
        if isinstance(y, OpPattern):
            return OpPattern(
                y.op_type, [(k, convert(v) if isinstance(v, str) else v) for k, v in y.parameters]
            )
        if isinstance(y, tuple):
            if not y:
                raise ValueError("An empty tuple is not a pattern")
            head = y[0]
            if isinstance(head, OpPattern):
                head = convert(head)
            elif not isinstance(head, Op):
                raise TypeError(
                    f"A pattern tuple must start with an Op or an OpPattern, got {head!r}"
                )
            return PatternNode(head, [convert(e) for e in y[1:]])
        return y

    return convert(x)


# -- matching -----------------------------------------------------------------

_INNER = "__matched_inner__"


def _same_value(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same_value(p, q) for p, q in zip(a, b, strict=True))
    if isinstance(a, Constant) and isinstance(b, Constant):
        return a.type == b.type and bool(a.type.values_eq(a.data, b.data))
    if isinstance(a, Variable) or isinstance(b, Variable):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _bind(pvar: PatternVar, value: Any, subs: dict[Any, Any]) -> Iterator[dict[Any, Any]]:
    if pvar in subs:
        if _same_value(subs[pvar], value):
            yield subs
        return
    if pvar.constraint is not None:
        ok = pvar.constraint(list(value) if isinstance(value, tuple) else value)
        if not ok:
            return
    new = dict(subs)
    new[pvar] = value
    yield new


def _match_op_params(pattern: OpPattern, op: Any, subs: dict[Any, Any]) -> dict[Any, Any] | None:
    for key, want in pattern.parameters:
        have = getattr(op, key, _MISSING)
        if have is _MISSING:
            return None
        if isinstance(want, PatternVar):
            found = next(_bind(want, have, subs), None)
            if found is None:
                return None
            subs = found
        elif isinstance(want, OpPattern):
            if not isinstance(have, want.op_type):
                return None
            inner = _match_op_params(want, have, subs)
            if inner is None:
                return None
            subs = inner
        elif not _same_value(have, want):
            return None
    return subs


_MISSING = object()


def _match_leaf(pattern: Any, var: Variable) -> bool:
    if isinstance(pattern, Variable):
        return _same_value(pattern, var)
    if not isinstance(var, Constant):
        return False
    try:
        return bool(np.array_equiv(var.data, pattern))
    except Exception:
        return False


def _match(
    pattern: Any, var: Variable, subs: dict[Any, Any], inner: bool
) -> Iterator[dict[Any, Any]]:
    if isinstance(pattern, PatternVar):
        yield from _bind(pattern, var, subs)
    elif isinstance(pattern, PatternNode):
        node = var.owner
        if node is None or (len(node.outputs) > 1 and var is not node.outputs[0]):
            return
        for s in _match_node(pattern, node, subs):
            if inner:
                s = dict(s)
                s[_INNER] = (*s.get(_INNER, ()), var)
            yield s
    elif _match_leaf(pattern, var):
        yield subs


def _match_node(pattern: PatternNode, node: Any, subs: dict[Any, Any]) -> Iterator[dict[Any, Any]]:
    head = pattern.op_match
    if isinstance(head, OpPattern):
        if not isinstance(node.op, head.op_type):
            return
        found = _match_op_params(head, node.op, subs)
        if found is None:
            return
        subs = found
    elif node.op is not head and node.op != head:
        return
    commutative = (
        pattern.commutative if pattern.commutative is not None else is_commutative(node.op)
    )
    if commutative:
        yield from _match_unordered(pattern.inputs, list(node.inputs), subs)
    else:
        yield from _match_ordered(pattern.inputs, list(node.inputs), subs)


def _match_ordered(
    pats: Sequence[Any], args: list[Variable], subs: dict[Any, Any]
) -> Iterator[dict[Any, Any]]:
    if not pats:
        if not args:
            yield subs
        return
    first, rest = pats[0], pats[1:]
    if isinstance(first, VariadicVar):
        fixed_after = sum(not isinstance(p, VariadicVar) for p in rest)
        for k in range(len(args) - fixed_after + 1):
            for s in _bind(first, tuple(args[:k]), subs):
                yield from _match_ordered(rest, args[k:], s)
        return
    if not args:
        return
    for s in _match(first, args[0], subs, True):
        yield from _match_ordered(rest, args[1:], s)


def _match_unordered(
    pats: Sequence[Any], args: list[Variable], subs: dict[Any, Any]
) -> Iterator[dict[Any, Any]]:
    variadic = next((p for p in pats if isinstance(p, VariadicVar)), None)
    # Match the most selective sub-patterns first, plain variables last.
    fixed = sorted(
        (p for p in pats if not isinstance(p, VariadicVar)), key=lambda p: isinstance(p, PatternVar)
    )
    if len(fixed) > len(args) or (variadic is None and len(fixed) != len(args)):
        return

    def assign(k: int, used: frozenset[int], s: dict[Any, Any]) -> Iterator[dict[Any, Any]]:
        if k == len(fixed):
            leftover = tuple(a for i, a in enumerate(args) if i not in used)
            if variadic is not None:
                yield from _bind(variadic, leftover, s)
            elif not leftover:
                yield s
            return
        for i, arg in enumerate(args):
            if i not in used:
                for s2 in _match(fixed[k], arg, s, True):
                    yield from assign(k + 1, used | {i}, s2)

    yield from assign(0, frozenset(), subs)


def iter_matches(
    pattern: PatternNode,
    node: Any,
    subs: Mapping[Any, Any] | None = None,
    *,
    fgraph_clients: Mapping[Variable, Sequence[Any]] | None = None,
) -> Iterator[Substitution]:
    """Every way in which Apply ``node`` matches ``pattern``, as substitutions.

    With ``fgraph_clients`` (a graph's ``clients``), a match is only kept when
    each variable an inner sub-pattern matched has a single client. The
    substitution also holds, under a private key, the variables matched by
    inner sub-patterns (see :func:`inner_matches`).
    """
    for s in _match_node(pattern, node, dict(subs or {})):
        if fgraph_clients is not None and any(
            len(fgraph_clients.get(v, ())) > 1 for v in s.get(_INNER, ())
        ):
            continue
        yield Substitution(s)


def match_pattern(
    pattern: PatternNode,
    node: Any,
    subs: Mapping[Any, Any] | None = None,
    *,
    fgraph_clients: Mapping[Variable, Sequence[Any]] | None = None,
) -> Substitution | None:
    """The first substitution under which ``node`` matches ``pattern``, or None.

    Examples
    --------
    >>> from pytensor.graph.rewriting._examples import add, log, x, y
    >>> pat = convert_strs_to_vars((add, (log, "a"), "b"))
    >>> s = match_pattern(pat, add(y, log(x)).owner)  # add is commutative
    >>> s["a"], s["b"]
    (x, y)
    """
    return next(iter_matches(pattern, node, subs, fgraph_clients=fgraph_clients), None)


def inner_matches(subs: Mapping[Any, Any]) -> tuple[Variable, ...]:
    """The variables an inner sub-pattern matched in ``subs`` (in match order)."""
    return tuple(subs.get(_INNER, ()))


# -- instantiation ------------------------------------------------------------


def _reify_op(head: Any, subs: Mapping[Any, Any]) -> Any:
    if not isinstance(head, OpPattern):
        return head
    if not isinstance(head.op_type, type):
        raise ValueError(f"Cannot build an Op from {head}: its op_type is not a single class")
    params = {
        k: reify_pattern(v, subs) if isinstance(v, (PatternVar, OpPattern)) else v
        for k, v in head.parameters
    }
    return head.op_type(**params)


def reify_pattern(pattern: Any, subs: Mapping[Any, Any]) -> Any:
    """Build what ``pattern`` describes, with its variables replaced by their values in ``subs``."""
    if isinstance(pattern, PatternVar):
        if pattern not in subs:
            raise ValueError(
                f"The replacement pattern uses {pattern}, which the input pattern does not bind"
            )
        return subs[pattern]
    if isinstance(pattern, OpPattern):
        return _reify_op(pattern, subs)
    if isinstance(pattern, PatternNode):
        op = _reify_op(pattern.op_match, subs)
        args: list[Any] = []
        for p in pattern.inputs:
            value = reify_pattern(p, subs)
            if isinstance(p, VariadicVar):
                args.extend(value)
            else:
                args.append(value)
        return op.make_node(*args).default_output()
    return pattern


# -- printing -----------------------------------------------------------------

_INFIX = {"add": "+", "mul": "*", "sub": "-", "truediv": "/", "true_div": "/", "pow": "**"}


def _op_label(op: Any) -> str:
    if isinstance(op, OpPattern):
        return str(op)
    label = getattr(op, "pattern_label", None)
    if label is None:
        scalar = getattr(op, "scalar_op", None)
        label = str(scalar if scalar is not None else op)
        if label.isidentifier():
            label = label.lower()
    return str(label)


def pattern_to_str(pattern: Any) -> str:
    """A one-line, readable rendering of a pattern, e.g. ``log(1 + x)``.

    Examples
    --------
    >>> from pytensor.graph.rewriting._examples import add, log
    >>> pattern_to_str(convert_strs_to_vars((log, (add, 1, "x"))))
    'log(1 + x)'
    """

    def render(p: Any, operand: bool) -> str:
        if isinstance(p, PatternNode):
            label = _op_label(p.op_match)
            symbol = _INFIX.get(label)
            if symbol is not None and len(p.inputs) >= 2:
                text = f" {symbol} ".join(render(i, True) for i in p.inputs)
                return f"({text})" if operand else text
            return f"{label}({', '.join(render(i, False) for i in p.inputs)})"
        if isinstance(p, PatternVar):
            return str(p)
        if isinstance(p, Constant):
            return str(p.data)
        if isinstance(p, Variable):
            return str(p)
        if isinstance(p, tuple):
            return render(convert_strs_to_vars(p), operand)
        return str(p)

    return render(pattern, False)
