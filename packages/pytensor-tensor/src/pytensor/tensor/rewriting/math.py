"""Canonical forms of elementwise arithmetic (layer: pytensor-tensor): flattened sums and
products with constants combined, like terms collected and inverse pairs cancelled.

Every rewrite keeps the replaced variable's type, and keeps the runtime shape checks of the
terms it drops by re-attaching them with ``second`` (``fill``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import pytensor.scalar as ps
from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.rewriting.basic import node_rewriter
from pytensor.graph.rewriting.db import optdb
from pytensor.tensor.basic import cast, constant, second, switch
from pytensor.tensor.elemwise import DimShuffle, Elemwise
from pytensor.tensor.math import add, ge, mul, neg, reciprocal, sub, true_div

__all__ = [
    "local_add_canonizer",
    "local_exp_log",
    "local_mul_canonizer",
    "local_neg_neg",
    "restore_type",
]

_TAGS = ("fast_run", "fast_compile")


def _register(name: str, rewriter: Any, *extra: str) -> None:
    optdb["canonicalize"].register(name, rewriter, *_TAGS, *extra)


def scalar_op_of(var: Variable, classes: Any) -> Apply | None:
    """The owner of ``var`` if it is a (not in-place) Elemwise whose scalar Op is one of ``classes``."""
    node = var.owner
    if node is None or not isinstance(node.op, Elemwise) or node.op.inplace_pattern:
        return None
    return node if isinstance(node.op.scalar_op, classes) else None


def constant_data(var: Variable) -> np.ndarray | None:
    """The value of a constant, looking through the DimShuffles that pad constants in Elemwise."""
    if isinstance(var, Constant):
        return np.asarray(var.data)
    node = var.owner
    if (
        node is not None
        and isinstance(node.op, DimShuffle)
        and isinstance(node.inputs[0], Constant)
    ):
        storage: list[list[Any]] = [[None]]
        node.op.perform(node, [np.asarray(node.inputs[0].data)], storage)
        return np.asarray(storage[0][0])
    return None


def restore_type(new: Variable, old: Variable, dropped: Sequence[Variable] = ()) -> Variable | None:
    """``new`` made a valid replacement of ``old``, or None.

    Each of ``dropped`` (terms that no longer appear in ``new``) is re-attached with
    ``second``, so its shape still takes part in the runtime broadcast check; then the dtype
    is restored with ``cast``. The static shape must end up equal to ``old``'s or more specific.
    """
    for v in dropped:
        new = second(v, new)
    new = cast(new, old.type.dtype)
    if new.type.ndim < old.type.ndim:
        new = new.dimshuffle(["x"] * (old.type.ndim - new.type.ndim) + list(range(new.type.ndim)))
    if new.type.ndim != old.type.ndim:
        return None
    for o, n in zip(old.type.shape, new.type.shape, strict=True):
        if o is not None and o != n:
            return None
    return new


def _numeric(dtype: str) -> bool:
    return dtype != "bool"


def _expand(
    fgraph: Any, node: Apply, classes: Any, dtype: str
) -> tuple[list[tuple[Any, int]], int]:
    """Flatten ``node`` into ``(term, sign)`` pairs; also return how many nodes were absorbed.

    A nested node is absorbed only when it has the same output dtype and no other client, so
    flattening neither changes an intermediate dtype nor duplicates work.
    """
    terms: list[tuple[Any, int]] = []
    absorbed = 0
    stack: list[tuple[Apply, int]] = [(node, 1)]
    while stack:
        cur, sign = stack.pop()
        op = cur.op.scalar_op
        signs = [sign] * len(cur.inputs)
        if isinstance(op, ps.Sub | ps.TrueDiv):
            signs = [sign, -sign]
        elif isinstance(op, ps.Neg | ps.Reciprocal):
            signs = [-sign]
        for inp, s in zip(cur.inputs, signs, strict=True):
            inner = scalar_op_of(inp, classes)
            if (
                inner is not None
                and inp.type.dtype == dtype
                and len(fgraph.clients.get(inp, ())) == 1
            ):
                absorbed += 1
                stack.append((inner, s))
            else:
                terms.append((inp, s))
    return terms, absorbed


def _combine_constants(consts: list[tuple[np.ndarray, int]], dtype: str, is_add: bool) -> Any:
    with np.errstate(all="ignore"):
        acc = np.asarray(0 if is_add else 1, dtype=dtype)
        for data, s in consts:
            val = data.astype(dtype)
            if is_add:
                acc = acc + val if s > 0 else acc - val
            else:
                acc = acc * val if s > 0 else acc / val
        return np.asarray(acc).astype(dtype)


def _coefficient(fgraph: Any, term: Variable, dtype: str) -> tuple[Variable, Any]:
    """``(u, k)`` when ``term`` is ``k * u`` for a real single-valued constant ``k``."""
    mnode = scalar_op_of(term, ps.Mul)
    if mnode is None or len(mnode.inputs) != 2 or term.type.dtype != dtype:
        return term, 1
    if len(fgraph.clients.get(term, ())) != 1:
        return term, 1
    for i in (0, 1):
        data, other = constant_data(mnode.inputs[i]), mnode.inputs[1 - i]
        if data is None or data.size != 1 or data.dtype.kind == "c" or other.type != term.type:
            continue
        k = data.reshape(()).item()
        if data.dtype.kind in "iub" or float(k).is_integer():
            k = int(k)
        return other, k
    return term, 1


def _group(terms: list[Variable], op: Any) -> Variable | None:
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else op(*terms)


def _split_constants(
    terms: list[tuple[Any, int]],
) -> tuple[list[tuple[np.ndarray, int]], list[tuple[Any, int]]]:
    consts, others = [], []
    for t, s in terms:
        data = constant_data(t)
        if data is not None:
            consts.append((data, s))
        else:
            others.append((t, s))
    return consts, others


def _constant_term(acc: np.ndarray, identity: int, dtype: str) -> tuple[Any, list[Variable]]:
    """The combined constant as a term (None when it is the identity) and what to fill with."""
    if np.all(acc == identity):
        dropped = [constant(acc, dtype=dtype)] if any(d != 1 for d in acc.shape) else []
        return None, dropped
    return constant(acc, dtype=dtype), []


@node_rewriter([Elemwise])
def local_add_canonizer(fgraph: Any, node: Apply) -> list[Variable] | None:
    """Flatten nested ``add``/``sub``/``neg``; combine constants; collect like terms (``x + x -> 2*x``).

    ``x - x`` becomes zeros of ``x``'s shape, ``second(x, 0)``. The result is
    ``add(P)``, ``sub(add(P), add(N))`` or ``neg(add(N))``.
    """
    if scalar_op_of(node.outputs[0], ps.Add | ps.Sub | ps.Neg) is None:
        return None
    out = node.outputs[0]
    dtype = out.type.dtype
    if not _numeric(dtype):
        return None
    terms, absorbed = _expand(fgraph, node, ps.Add | ps.Sub | ps.Neg, dtype)
    consts, others = _split_constants(terms)
    coef: dict[Variable, Any] = {}
    for t, s in others:
        u, k = _coefficient(fgraph, t, dtype)
        coef[u] = coef.get(u, 0) + s * k
    acc = _combine_constants(consts, dtype, is_add=True)
    cterm, dropped = _constant_term(acc, 0, dtype)
    pos: list[Variable] = [] if cterm is None else [cterm]
    negs: list[Variable] = []
    for u, k in coef.items():
        v = cast(u, dtype)
        if k == 0:
            dropped.append(u)
        elif abs(k) != 1:
            (pos if k > 0 else negs).append(mul(constant(abs(k), dtype=dtype), v))
        else:
            (pos if k > 0 else negs).append(v)
    expected = (len(pos) > 1) + (len(negs) > 1) + bool(negs)
    merged = len(others) > len(coef) or any(k == 0 for k in coef.values())
    if not (1 + absorbed > expected or merged or len(consts) > 1 or (consts and cterm is None)):
        return None
    p, n = _group(pos, add), _group(negs, add)
    if p is not None and n is not None:
        new = sub(p, n)
    elif n is not None:
        new = neg(n)
    else:
        new = p if p is not None else constant(np.zeros(acc.shape, dtype=dtype))
    res = restore_type(new, out, dropped)
    return None if res is None else [res]


@node_rewriter([Elemwise])
def local_mul_canonizer(fgraph: Any, node: Apply) -> list[Variable] | None:
    """Flatten nested ``mul``/``true_div``/``reciprocal``; combine constants; cancel ``x*y/y``.

    Division is only absorbed for float and complex results. The result is ``mul(N)``,
    ``true_div(mul(N), mul(D))`` or ``reciprocal(mul(D))``. A zero constant factor is kept
    (``0 * inf`` is NaN).
    """
    out = node.outputs[0]
    dtype = out.type.dtype
    if not _numeric(dtype):
        return None
    classes: Any = ps.Mul | ps.TrueDiv | ps.Reciprocal if dtype[0] in "fc" else ps.Mul
    if scalar_op_of(out, classes) is None:
        return None
    terms, absorbed = _expand(fgraph, node, classes, dtype)
    consts, others = _split_constants(terms)
    power: dict[Variable, int] = {}
    for t, s in others:
        power[t] = power.get(t, 0) + s
    acc = _combine_constants(consts, dtype, is_add=False)
    cterm, dropped = _constant_term(acc, 1, dtype)
    num: list[Variable] = [] if cterm is None else [cterm]
    den: list[Variable] = []
    for u, k in power.items():
        if k == 0:
            dropped.append(u)
        (num if k > 0 else den).extend([cast(u, dtype)] * abs(k))
    cancelled = sum(abs(k) for k in power.values()) < len(others)
    expected = (len(num) > 1) + (len(den) > 1) + bool(den)
    if not (1 + absorbed > expected or cancelled or len(consts) > 1 or (consts and cterm is None)):
        return None
    n, d = _group(num, mul), _group(den, mul)
    if n is not None and d is not None:
        new = true_div(n, d)
    elif d is not None:
        new = reciprocal(d)
    else:
        new = n if n is not None else constant(np.ones(acc.shape, dtype=dtype))
    res = restore_type(new, out, dropped)
    return None if res is None else [res]


@node_rewriter([Elemwise])
def local_neg_neg(fgraph: Any, node: Apply) -> list[Variable] | None:
    """``-(-x) -> x`` (exact, also for wrapping integers)."""
    if scalar_op_of(node.outputs[0], ps.Neg) is None:
        return None
    inner = scalar_op_of(node.inputs[0], ps.Neg)
    if inner is None or inner.inputs[0].type != node.outputs[0].type:
        return None
    return [inner.inputs[0]]


def _nan_outside(cond: Variable, value: Variable, dtype: str) -> Variable:
    return switch(cond, value, constant(np.asarray(np.nan, dtype=dtype)))


@node_rewriter([Elemwise])
def local_exp_log(fgraph: Any, node: Apply) -> list[Variable] | None:
    """Inverse pairs: ``log(exp(x)) -> x``, ``log1p(expm1(x)) -> x``, and the domain-keeping
    ``exp(log(x)) -> switch(x >= 0, x, nan)``, ``exp(log1p(x)) -> switch(x >= -1, x + 1, nan)``,
    ``expm1(log1p(x)) -> switch(x >= -1, x, nan)``. Real floating results only.
    """
    out = node.outputs[0]
    dtype = out.type.dtype
    if dtype[0] != "f":
        return None
    outer = scalar_op_of(out, ps.Log | ps.Log1p | ps.Exp | ps.Expm1)
    if outer is None:
        return None
    pairs = {
        ps.Log: ps.Exp,
        ps.Log1p: ps.Expm1,
        ps.Exp: ps.Log | ps.Log1p,
        ps.Expm1: ps.Log1p,
    }
    inner = scalar_op_of(node.inputs[0], pairs[type(outer.op.scalar_op)])
    if inner is None or inner.outputs[0].type.dtype != dtype:
        return None
    x = inner.inputs[0]
    if x.type.dtype[0] == "c":
        return None
    xf = cast(x, dtype)
    outer_op, inner_op = outer.op.scalar_op, inner.op.scalar_op
    if isinstance(outer_op, ps.Log | ps.Log1p):
        new = xf
    elif isinstance(inner_op, ps.Log):
        new = _nan_outside(ge(xf, 0), xf, dtype)
    elif isinstance(outer_op, ps.Exp):
        new = _nan_outside(ge(xf, -1), add(xf, constant(np.asarray(1, dtype=dtype))), dtype)
    else:
        new = _nan_outside(ge(xf, -1), xf, dtype)
    res = restore_type(new, out)
    return None if res is None else [res]


_register("local_add_canonizer", local_add_canonizer)
_register("local_mul_canonizer", local_mul_canonizer)
_register("local_neg_neg", local_neg_neg)
_register("local_exp_log", local_exp_log)
