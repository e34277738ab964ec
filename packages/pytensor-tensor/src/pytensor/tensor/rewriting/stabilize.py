"""Stabilize rewrites (layer: pytensor-tensor): numerically stable forms of log/exp expressions.

Registered in ``optdb["stabilize"]`` (position 1.5, tags ``stabilize``, ``fast_run``) under
PyTensor's names where it has one. Each rewrite keeps the replaced variable's type
(dtype cast back, static shape equal or refined) and only drops constants whose static
shape is all ones, so no runtime shape check is lost.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import pytensor.scalar as ps
import pytensor.scalar.math as psm
from pytensor.graph.basic import Constant, Variable
from pytensor.graph.rewriting.basic import node_rewriter
from pytensor.graph.rewriting.db import optdb
from pytensor.tensor import math as pm
from pytensor.tensor._alloc import switch
from pytensor.tensor.basic import cast
from pytensor.tensor.elemwise import DimShuffle, Elemwise
from pytensor.tensor.math import Sum

__all__ = [
    "local_1msigmoid",
    "local_expm1",
    "local_log1p",
    "local_log1p_exp_sigmoid",
    "local_log_erfc",
    "local_log_sum_exp",
    "local_logsoftmax",
    "local_one_minus_erf",
    "logsigm_to_softplus",
]


# ---------------------------------------------------------------------------
# Matching helpers (shared with the specialize module)
# ---------------------------------------------------------------------------


def elemwise_args(v: Any, scalar_cls: type | tuple[type, ...]) -> list[Variable] | None:
    """The inputs of ``v``'s node if it is an Elemwise of ``scalar_cls`` (not in place), else None."""
    node = getattr(v, "owner", None)
    if node is None or not isinstance(node.op, Elemwise) or node.op.inplace_pattern:
        return None
    if not isinstance(node.op.scalar_op, scalar_cls):
        return None
    return list(node.inputs)


def scalar_constant(v: Any) -> float | None:
    """The value of ``v`` if it is a constant (seen through DimShuffles) whose static shape is all ones.

    Such a constant takes no part in Elemwise's runtime shape checks, so a rewrite
    may drop it without hiding a shape error.
    """
    if not all(s == 1 for s in getattr(v.type, "shape", (None,))):
        return None
    while v.owner is not None and isinstance(v.owner.op, DimShuffle):
        v = v.owner.inputs[0]
    if not isinstance(v, Constant):
        return None
    data = np.asarray(v.data)
    if data.size != 1 or data.dtype.kind not in "biuf":
        return None
    return float(data.reshape(-1)[0])


def fit(old: Variable, new: Variable) -> list[Variable] | bool:
    """``[new]`` with the type of ``old`` (cast to its dtype, static shape checked), or False."""
    if new.type.dtype != old.type.dtype:
        new = cast(new, old.type.dtype)
    if new.type.ndim != old.type.ndim:
        return False
    conv = old.type.convert_variable(new)
    return False if conv is None else [conv]


def signed_terms(v: Variable, depth: int = 4) -> tuple[float, list[tuple[int, Variable]]] | None:
    """``v`` as ``c + sum(sign * term)`` if it is an Add/Sub, else None.

    Nested Add/Sub/Neg of the same dtype are flattened; ``c`` sums the all-ones-shaped
    constants, ``terms`` are the other operands with their sign (+1/-1).
    """
    raw = _add_operands(v)
    if raw is None:
        return None
    const = 0.0
    terms: list[tuple[int, Variable]] = []
    for sign, t in raw:
        c = scalar_constant(t)
        if c is not None:
            const += sign * c
            continue
        inner = elemwise_args(t, ps.Neg)
        if inner is not None and inner[0].type.dtype == t.type.dtype:
            sign, t = -sign, inner[0]
        nested = signed_terms(t, depth - 1) if depth and t.type.dtype == v.type.dtype else None
        if nested is None:
            terms.append((sign, t))
            continue
        const += sign * nested[0]
        terms.extend((sign * s, u) for s, u in nested[1])
    return const, terms


def _add_operands(v: Variable) -> list[tuple[int, Variable]] | None:
    args = elemwise_args(v, ps.Add)
    if args is not None:
        return [(1, i) for i in args]
    args = elemwise_args(v, ps.Sub)
    if args is not None:
        return [(1, args[0]), (-1, args[1])]
    return None


def float_dtype(v: Variable) -> bool:
    return str(v.type.dtype).startswith("float")


def neg(v: Variable) -> Variable:
    """``-v``, unwrapping a double negation."""
    inner = elemwise_args(v, ps.Neg)
    return inner[0] if inner is not None else pm.neg(v)


def _single_term(v: Variable, const: float) -> tuple[int, Variable] | None:
    """``(sign, t)`` when float ``v`` is ``const + sign * t`` (a single non-constant term)."""
    if not float_dtype(v):
        return None
    parts = signed_terms(v)
    if parts is None or len(parts[1]) != 1 or parts[0] != const:
        return None
    return parts[1][0]


def _signed_sum(terms: list[tuple[int, Variable]], dtype: str) -> Variable:
    total: Variable | None = None
    for sign, t in terms:
        t = cast(t, dtype)
        if total is None:
            total = t if sign > 0 else neg(t)
        else:
            total = pm.add(total, t) if sign > 0 else pm.sub(total, t)
    assert total is not None
    return total


def _stable_log1p_of(sign: int, t: Variable, dtype: str) -> Variable | None:
    """``log1p(sign * t)`` in closed stable form for t = exp(z) or sigmoid(z), else None."""
    e = elemwise_args(t, ps.Exp)
    if e is not None:
        z = cast(e[0], dtype)
        return psm_call(psm.softplus, z) if sign > 0 else psm_call(psm.log1mexp, z)
    s = elemwise_args(t, psm.Sigmoid)
    if s is not None and sign < 0:
        return neg(psm_call(psm.softplus, cast(s[0], dtype)))
    return None


def psm_call(scalar_op: Any, *args: Variable) -> Variable:
    return Elemwise(scalar_op)(*args)  # type: ignore[no-any-return]


def _register(name: str, rewrite: Any) -> None:
    optdb["stabilize"].register(name, rewrite, "fast_run", "stabilize")


# ---------------------------------------------------------------------------
# log(1 + x) family
# ---------------------------------------------------------------------------


@node_rewriter([Elemwise])
def local_log1p(fgraph: Any, node: Any) -> Any:
    """log(1 + x) -> log1p(x), log(1 - x) -> log1p(-x); with x = ±exp(z) or -sigmoid(z)
    directly softplus(z), log1mexp(z) and -softplus(z)."""
    if not isinstance(node.op.scalar_op, ps.Log) or node.op.inplace_pattern:
        return False
    [arg] = node.inputs
    if not float_dtype(arg):
        return False
    parts = signed_terms(arg)
    if parts is None or parts[0] != 1.0 or not parts[1]:
        return False
    terms = parts[1]
    if len(terms) == 1:
        sign, t = terms[0]
        stable = _stable_log1p_of(sign, t, arg.type.dtype)
        if stable is not None:
            return fit(node.outputs[0], stable)
        if elemwise_args(t, (psm.Erf, psm.Erfc)) is not None:
            return False  # left to local_one_minus_erf, then local_log_erfc
    new = pm.log1p(_signed_sum(terms, arg.type.dtype))
    return fit(node.outputs[0], new)


@node_rewriter([Elemwise])
def local_log1p_exp_sigmoid(fgraph: Any, node: Any) -> Any:
    """log1p(exp(z)) -> softplus(z), log1p(-exp(z)) -> log1mexp(z), log1p(-sigmoid(z)) -> -softplus(z)."""
    if not isinstance(node.op.scalar_op, ps.Log1p) or node.op.inplace_pattern:
        return False
    [arg] = node.inputs
    if not float_dtype(arg):
        return False
    sign, t = 1, arg
    inner = elemwise_args(arg, ps.Neg)
    if inner is not None:
        sign, t = -1, inner[0]
    stable = _stable_log1p_of(sign, t, arg.type.dtype)
    return False if stable is None else fit(node.outputs[0], stable)


@node_rewriter([Elemwise])
def local_expm1(fgraph: Any, node: Any) -> Any:
    """exp(x) - 1 -> expm1(x) and 1 - exp(x) -> -expm1(x)."""
    if not isinstance(node.op.scalar_op, ps.Add | ps.Sub) or node.op.inplace_pattern:
        return False
    out = node.outputs[0]
    for const, want in ((-1.0, 1), (1.0, -1)):
        found = _single_term(out, const)
        if found is None or found[0] != want:
            continue
        e = elemwise_args(found[1], ps.Exp)
        if e is not None:
            new = pm.expm1(cast(e[0], out.type.dtype))
            return fit(out, new if want > 0 else neg(new))
    return False


# ---------------------------------------------------------------------------
# sigmoid, softmax, logsumexp
# ---------------------------------------------------------------------------


@node_rewriter([Elemwise])
def logsigm_to_softplus(fgraph: Any, node: Any) -> Any:
    """log(sigmoid(x)) -> -softplus(-x)."""
    if not isinstance(node.op.scalar_op, ps.Log) or node.op.inplace_pattern:
        return False
    s = elemwise_args(node.inputs[0], psm.Sigmoid)
    if s is None:
        return False
    z = cast(s[0], node.outputs[0].type.dtype)
    return fit(node.outputs[0], neg(psm_call(psm.softplus, neg(z))))


@node_rewriter([Elemwise])
def local_1msigmoid(fgraph: Any, node: Any) -> Any:
    """1 - sigmoid(x) -> sigmoid(-x)."""
    if not isinstance(node.op.scalar_op, ps.Add | ps.Sub) or node.op.inplace_pattern:
        return False
    found = _single_term(node.outputs[0], 1.0)
    if found is None or found[0] != -1:
        return False
    s = elemwise_args(found[1], psm.Sigmoid)
    if s is None:
        return False
    z = cast(s[0], node.outputs[0].type.dtype)
    return fit(node.outputs[0], psm_call(psm.sigmoid, neg(z)))


@node_rewriter([Elemwise])
def local_logsoftmax(fgraph: Any, node: Any) -> Any:
    """log(softmax(x, axis)) -> log_softmax(x, axis) (the Softmax/LogSoftmax composites)."""
    if not isinstance(node.op.scalar_op, ps.Log) or node.op.inplace_pattern:
        return False
    # Imported here: _softmax imports the compile layer, which loads this module.
    from pytensor.tensor._softmax import LogSoftmax, Softmax

    sm = node.inputs[0].owner
    if sm is None or not isinstance(sm.op, Softmax):
        return False
    [x] = sm.inputs
    new = LogSoftmax.build(x, axis=sm.op.axis)(x)
    return fit(node.outputs[0], new)


def _expand_only(op: Any) -> bool:
    return isinstance(op, DimShuffle) and not op.drop and op.shuffle == tuple(range(op.input_ndim))


def _max_shifted(v: Variable) -> bool:
    """Whether ``v`` is ``x - max(x, ...)`` (possibly with the max guarded by a switch): already stable."""
    from pytensor.tensor.math import Max

    args = elemwise_args(v, ps.Sub)
    if args is None:
        return False
    x, b = args
    for _ in range(4):
        node = b.owner
        if node is None:
            return False
        if isinstance(node.op, Max):
            return node.inputs[0] is x
        if isinstance(node.op, DimShuffle):
            b = node.inputs[0]
        elif isinstance(node.op, Elemwise) and isinstance(node.op.scalar_op, ps.Switch):
            b = node.inputs[2]
        else:
            return False
    return False


@node_rewriter([Elemwise])
def local_log_sum_exp(fgraph: Any, node: Any) -> Any:
    """log(sum(exp(x), axis)) -> max + log(sum(exp(x - max), axis)), with an infinite max taken as 0.

    A DimShuffle that only adds dimensions (``keepdims``) may sit between log and sum.
    """
    if not isinstance(node.op.scalar_op, ps.Log) or node.op.inplace_pattern:
        return False
    arg = node.inputs[0]
    expand = None
    if arg.owner is not None and _expand_only(arg.owner.op):
        expand, arg = arg.owner.op, arg.owner.inputs[0]
    sum_node = arg.owner
    if sum_node is None or type(sum_node.op) is not Sum:
        return False
    e = elemwise_args(sum_node.inputs[0], ps.Exp)
    if e is None or not float_dtype(sum_node.inputs[0]) or _max_shifted(e[0]):
        return False
    from pytensor.tensor._softmax import _safe_max

    x = cast(e[0], sum_node.inputs[0].type.dtype)
    axis = tuple(sum_node.op.axis) if sum_node.op.axis is not None else tuple(range(x.type.ndim))
    top = _safe_max(x, axis)
    summed = pm.sum(pm.exp(pm.sub(x, top)), axis=axis, keepdims=True)
    new = pm.add(pm.log(cast(summed, sum_node.outputs[0].type.dtype)), top)
    new = new.dimshuffle([d for d in range(x.type.ndim) if d not in axis])
    if expand is not None:
        new = expand(new)
    return fit(node.outputs[0], new)


# ---------------------------------------------------------------------------
# erf / erfc forms
# ---------------------------------------------------------------------------


@node_rewriter([Elemwise])
def local_one_minus_erf(fgraph: Any, node: Any) -> Any:
    """1 - erf(x) -> erfc(x), 1 + erf(x) -> erfc(-x), 1 - erfc(x) -> erf(x), erf(x) - 1 -> -erfc(x),
    erfc(x) - 1 -> -erf(x) (the forms of normal CDFs in PyMC logps)."""
    if not isinstance(node.op.scalar_op, ps.Add | ps.Sub) or node.op.inplace_pattern:
        return False
    out = node.outputs[0]
    for const in (1.0, -1.0):
        found = _single_term(out, const)
        if found is None:
            continue
        sign, t = found
        for cls, other in ((psm.Erf, psm.erfc), (psm.Erfc, psm.erf)):
            a = elemwise_args(t, cls)
            if a is None:
                continue
            z = cast(a[0], out.type.dtype)
            if cls is psm.Erf:
                # 1 - erf(z) = erfc(z); 1 + erf(z) = erfc(-z); -1 + erf(z) = -erfc(z); -1 - erf(z) = -erfc(-z)
                new = psm_call(other, z if sign != const else neg(z))
            else:
                # 1 - erfc(z) = erf(z); -1 + erfc(z) = -erf(z); other signs have no cancellation
                if const != -sign:
                    return False
                new = psm_call(other, z)
            return fit(out, new if const > 0 else neg(new))
    return False


@node_rewriter([Elemwise])
def local_log_erfc(fgraph: Any, node: Any) -> Any:
    """log(erfc(x)) -> switch(x < 0, log1p(-erf(x)), log(erfcx(x)) - x**2), finite for large x."""
    if not isinstance(node.op.scalar_op, ps.Log) or node.op.inplace_pattern:
        return False
    a = elemwise_args(node.inputs[0], psm.Erfc)
    if a is None or not float_dtype(node.inputs[0]):
        return False
    x = cast(a[0], node.inputs[0].type.dtype)
    small = pm.log1p(neg(psm_call(psm.erf, x)))
    large = pm.sub(pm.log(psm_call(psm.erfcx, x)), pm.sqr(x))
    zero = pm._const(0, x.type.dtype)
    return fit(node.outputs[0], switch(pm.lt(x, zero), small, large))


for _name, _rewrite in [
    ("local_log1p", local_log1p),
    ("local_log1p_exp_sigmoid", local_log1p_exp_sigmoid),
    ("local_expm1", local_expm1),
    ("logsigm_to_softplus", logsigm_to_softplus),
    ("local_1msigmoid", local_1msigmoid),
    ("local_logsoftmax", local_logsoftmax),
    ("local_log_sum_exp", local_log_sum_exp),
    ("local_one_minus_erf", local_one_minus_erf),
    ("local_log_erfc", local_log_erfc),
]:
    _register(_name, _rewrite)
