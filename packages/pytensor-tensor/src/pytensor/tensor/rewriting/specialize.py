"""Specialize rewrites (layer: pytensor-tensor): cheaper special cases of pow, mul and switch.

Registered in ``optdb["specialize"]`` (position 2, tags ``specialize``, ``fast_run``) under
PyTensor's names. Replacements keep the replaced variable's type, and an input is only
dropped when it cannot take part in a runtime shape check (see :func:`_droppable`).

No dot -> gemv rewrite: there is no Gemv Op in this library, and the Python backend's
``Dot`` is already one BLAS call through NumPy, so a gemv form would only add an Op
every backend must implement.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import pytensor.scalar as ps
from pytensor.graph.basic import Constant, Variable
from pytensor.graph.rewriting.basic import node_rewriter
from pytensor.graph.rewriting.db import optdb
from pytensor.tensor import math as pm
from pytensor.tensor.basic import cast
from pytensor.tensor.elemwise import DimShuffle, Elemwise
from pytensor.tensor.rewriting.stabilize import fit, scalar_constant

__all__ = ["local_mul_to_sqr", "local_pow_specialize", "local_useless_switch"]

#: Largest |n| for which x**n becomes a chain of multiplications (by squaring).
MAX_POW_CHAIN = 16


def _pow_chain(x: Variable, n: int) -> Variable:
    """``x**n`` for an integer ``n >= 2`` as squarings and multiplications."""
    result: Variable | None = None
    base = x
    while n:
        if n & 1:
            result = base if result is None else pm.mul(result, base)
        n >>= 1
        if n:
            base = pm.sqr(base)
    assert result is not None
    return result


def _pow_form(x: Variable, p: float, dtype: str) -> Variable | None:
    is_float = dtype.startswith("float") or dtype.startswith("complex")
    if p == 1:
        return x
    if p == 0.5 and is_float:
        return pm.sqrt(x)
    if p == -0.5 and is_float:
        return pm.reciprocal(pm.sqrt(x))
    if p != int(p) or not 2 <= abs(p) <= MAX_POW_CHAIN:
        return None
    if p < 0 and not is_float:
        return None  # integer ** negative integer raises in NumPy; keep that error
    chain = pm.sqr(x) if abs(p) == 2 else _pow_chain(x, int(abs(p)))
    return chain if p > 0 else pm.reciprocal(chain)


@node_rewriter([Elemwise])
def local_pow_specialize(fgraph: Any, node: Any) -> Any:
    """x**2 -> sqr(x), x**0.5 -> sqrt(x), x**-1 -> reciprocal(x), x**-0.5 -> 1/sqrt(x),
    x**1 -> x, and x**n (|n| <= 16) -> a chain of squarings and products."""
    if not isinstance(node.op.scalar_op, ps.Pow) or node.op.inplace_pattern:
        return False
    base, exponent = node.inputs
    p = scalar_constant(exponent)
    out = node.outputs[0]
    dtype = str(out.type.dtype)
    if p is None or base.type.ndim != out.type.ndim or dtype == "bool":
        return False
    if p == -1 and (dtype.startswith("float") or dtype.startswith("complex")):
        new: Variable | None = pm.reciprocal(cast(base, dtype))
    else:
        new = _pow_form(cast(base, dtype), p, dtype)
    return False if new is None else fit(out, new)


@node_rewriter([Elemwise])
def local_mul_to_sqr(fgraph: Any, node: Any) -> Any:
    """x * x -> sqr(x), so that sum(x * x) and sum(x ** 2) become the same sum(sqr(x))."""
    if not isinstance(node.op.scalar_op, ps.Mul) or node.op.inplace_pattern:
        return False
    if len(node.inputs) != 2 or node.inputs[0] is not node.inputs[1]:
        return False
    return fit(node.outputs[0], pm.sqr(node.inputs[0]))


def _constant_cond(v: Variable) -> bool | None:
    """The truth value of ``v`` if it is a constant with a single value, else None."""
    while v.owner is not None and isinstance(v.owner.op, DimShuffle):
        v = v.owner.inputs[0]
    if not isinstance(v, Constant):
        return None
    data = np.asarray(v.data)
    if data.size == 0:
        return None
    flat = data.reshape(-1)
    if not np.all(flat == flat[0]):
        return None
    return bool(flat[0])


def _droppable(dropped: Variable, kept: Variable) -> bool:
    """Whether removing ``dropped`` from an Elemwise that keeps ``kept`` loses no shape check
    and no broadcasting: in each dimension it has static length 1, or the same known length as
    ``kept``."""
    return all(
        d == 1 or (d is not None and d == k)
        for d, k in zip(dropped.type.shape, kept.type.shape, strict=True)
    )


def _same_shape(fgraph: Any, a: Variable, b: Variable, depth: int = 3) -> bool:
    """Whether ``a`` provably has the runtime shape of ``b`` (so no check between them can fail).

    True when ``a`` is ``b``, when the graph's ShapeFeature says so, or when ``a`` is an
    Elemwise whose inputs each have ``b``'s shape or static length 1 everywhere.
    """
    if a is b:
        return True
    feature = getattr(fgraph, "shape_feature", None)
    if feature is not None and hasattr(feature, "same_shape"):
        try:
            if feature.same_shape(a, b):
                return True
        except Exception:  # noqa: BLE001 (an unanswerable question is a "no")
            pass
    node = a.owner
    if depth == 0 or node is None or not isinstance(node.op, Elemwise):
        return False
    if a.type.ndim != b.type.ndim:
        return False
    return all(
        all(s == 1 for s in i.type.shape) or _same_shape(fgraph, i, b, depth - 1)
        for i in node.inputs
    )


@node_rewriter([Elemwise])
def local_useless_switch(fgraph: Any, node: Any) -> Any:
    """switch(c, a, b) -> a (or b) for a constant condition, and switch(c, a, a) -> a.

    Only when the dropped inputs cannot change the output's shape or raise a shape
    error (:func:`_droppable`, :func:`_same_shape`); the result is cast to the switch's dtype.
    """
    if not isinstance(node.op.scalar_op, ps.Switch) or node.op.inplace_pattern:
        return False
    cond, a, b = node.inputs
    out = node.outputs[0]
    if a is b:
        chosen, dropped = a, [cond]
    else:
        truth = _constant_cond(cond)
        if truth is None:
            return False
        chosen, dropped = (a, [cond, b]) if truth else (b, [cond, a])
    if chosen.type.ndim != out.type.ndim:
        return False
    if not all(
        _droppable(d, chosen) or _same_shape(fgraph, d, chosen) or _same_shape(fgraph, chosen, d)
        for d in dropped
    ):
        return False
    return fit(out, chosen)


for _name, _rewrite in [
    ("local_pow_specialize", local_pow_specialize),
    ("local_mul_to_sqr", local_mul_to_sqr),
    ("local_useless_switch", local_useless_switch),
]:
    optdb["specialize"].register(_name, _rewrite, "fast_run", "specialize")
