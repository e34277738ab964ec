"""Stabilize rewrites (layer: pytensor-tensor): the erfc/erfcx products of normal-CDF logps and their gradients.

``erfcx(z) = exp(z**2) * erfc(z)`` stays finite where ``exp(z**2)`` overflows and ``erfc(z)``
underflows, so a product or quotient holding both factors is rewritten to use ``erfcx``:

* ``exp(z**2) * erfc(z)`` -> ``erfcx(z)`` (``local_erfc_exp_sqr_to_erfcx``);
* ``exp(-z**2) / erfc(z)`` -> ``1 / erfcx(z)``, the form of the gradient of ``log(erfc(z))``
  (``local_grad_log_erfc_neg``, PyTensor's name);
* ``log(c * erfc(z))`` with a positive constant ``c`` (PyMC's normal logcdf
  ``log(0.5 * erfc(-x / sqrt(2)))``) -> ``log(c) + log_erfc(z)`` in the switch form of
  ``local_log_erfc`` (``local_log_erfc_scaled``).

Products are read through Mul, TrueDiv, Reciprocal, Neg, Sqr and ``pow(., 2)`` of one dtype
and through float widening casts (the float32 gradient of ``log(erfc)`` is a float64 product
of cast factors); factors are never narrowed, so the rebuilt product is at least as precise;
the exponent of ``exp`` is compared with the square of the erfc argument by their factors, so
``neg(z) * z``, ``-sqr(z)``, ``-(z**2)`` and ``-0.5 * x * x`` (for ``z = x / sqrt(2)``) all match.
Only constants whose static shape is all ones are dropped (see ``scalar_constant``), and every
replacement keeps the replaced variable's type, so no runtime shape check is lost.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

import pytensor.scalar as ps
import pytensor.scalar.math as psm
from pytensor.graph.basic import Variable
from pytensor.graph.rewriting.basic import node_rewriter
from pytensor.graph.rewriting.db import optdb
from pytensor.tensor import math as pm
from pytensor.tensor._alloc import switch
from pytensor.tensor.basic import cast
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.rewriting.stabilize import (
    elemwise_args,
    fit,
    float_dtype,
    neg,
    psm_call,
    scalar_constant,
)

__all__ = ["local_erfc_exp_sqr_to_erfcx", "local_grad_log_erfc_neg", "local_log_erfc_scaled"]

_DEPTH = 6


class _Product:
    """``const * prod(num) / prod(den)``: a float expression read as a product of factors."""

    def __init__(
        self,
        const: float = 1.0,
        num: list[Variable] | None = None,
        den: list[Variable] | None = None,
    ):
        self.const = const
        self.num = num or []
        self.den = den or []

    def times(self, other: _Product) -> _Product:
        return _Product(self.const * other.const, self.num + other.num, self.den + other.den)

    def inverse(self) -> _Product | None:
        if self.const == 0.0:
            return None
        return _Product(1.0 / self.const, list(self.den), list(self.num))

    def same_factors(self, other: _Product) -> bool:
        return Counter(self.num) == Counter(other.num) and Counter(self.den) == Counter(other.den)


def product(v: Variable, depth: int = _DEPTH) -> _Product:
    """``v`` as a :class:`_Product`; nodes of another dtype than ``v`` are kept whole."""
    c = scalar_constant(v)
    if c is not None:
        return _Product(c)
    node = v.owner
    if depth <= 0 or node is None or not isinstance(node.op, Elemwise) or node.op.inplace_pattern:
        return _Product(1.0, [v])
    if isinstance(node.op.scalar_op, ps.Cast) and _float_upcast(node.inputs[0], v):
        return product(node.inputs[0], depth - 1)
    inputs = [i for i in node.inputs if scalar_constant(i) is None]
    if not all(i.type.dtype == v.type.dtype or _float_upcast(i, v) for i in inputs):
        return _Product(1.0, [v])
    found = _product_of_node(node.op.scalar_op, node.inputs, depth - 1)
    return _Product(1.0, [v]) if found is None else found


def _float_upcast(src: Variable, dst: Variable) -> bool:
    """Whether casting ``src`` to ``dst``'s dtype is an exact float widening (float32 -> float64)."""
    if not (float_dtype(src) and float_dtype(dst)):
        return False
    return bool(np.dtype(dst.type.dtype).itemsize >= np.dtype(src.type.dtype).itemsize)


def _product_of_node(op: Any, inputs: list[Variable], depth: int) -> _Product | None:
    if isinstance(op, ps.Mul):
        result = _Product()
        for i in inputs:
            result = result.times(product(i, depth))
        return result
    if isinstance(op, ps.Neg):
        return _Product(-1.0).times(product(inputs[0], depth))
    if isinstance(op, ps.Reciprocal):
        return product(inputs[0], depth).inverse()
    if isinstance(op, ps.TrueDiv):
        den = product(inputs[1], depth).inverse()
        return None if den is None else product(inputs[0], depth).times(den)
    if isinstance(op, ps.Sqr) or (isinstance(op, ps.Pow) and scalar_constant(inputs[1]) == 2.0):
        base = product(inputs[0], depth)
        return base.times(base)
    return None


def _is_signed_square(e: Variable, z: Variable) -> int:
    """+1 if ``e`` is ``z**2``, -1 if it is ``-z**2`` (compared factor by factor), else 0."""
    pe, pz = product(e), product(z)
    square = pz.times(pz)
    if not square.same_factors(pe) or square.const == 0.0:
        return 0
    tol = 8 * float(np.finfo(e.type.dtype).eps)
    for sign in (1, -1):
        if np.isclose(pe.const, sign * square.const, rtol=tol, atol=0.0):
            return sign
    return 0


def _erfcx_pair(p: _Product, erfc_power: int) -> _Product | None:
    """``p`` with an exp(±z**2) factor and an erfc(z) factor (in the numerator when
    ``erfc_power`` is +1, else in the denominator) merged into erfcx(z), or None."""
    sides = {1: p.num, -1: p.den}
    erfc_side = sides[erfc_power]
    for fi, f in enumerate(erfc_side):
        a = elemwise_args(f, psm.Erfc)
        if a is None or not float_dtype(f):
            continue
        for exp_power, exp_side in sides.items():
            for ei, g in enumerate(exp_side):
                e = elemwise_args(g, ps.Exp)
                if e is None or not float_dtype(g) or not float_dtype(e[0]):
                    continue
                # exp(s z**2)**exp_power * erfc(z)**erfc_power == erfcx(z)**erfc_power iff s*exp_power == erfc_power
                if _is_signed_square(e[0], a[0]) * exp_power != erfc_power:
                    continue
                num, den = list(p.num), list(p.den)
                new_sides = {1: num, -1: den}
                new_sides[erfc_power][fi] = psm_call(psm.erfcx, a[0])
                del new_sides[exp_power][ei]  # replacing fi shifted nothing
                return _Product(p.const, num, den)
    return None


def _build(p: _Product, dtype: str) -> Variable:
    factors = list(p.num)
    if p.const != 1.0 or not factors:
        factors.insert(0, pm._const(p.const, dtype))
    top = factors[0] if len(factors) == 1 else pm.mul(*factors)
    if not p.den:
        return top
    bottom = p.den[0] if len(p.den) == 1 else pm.mul(*p.den)
    return pm.true_div(top, bottom)


def _merge_erfcx(node: Any, erfc_power: int) -> Any:
    if not isinstance(node.op.scalar_op, ps.Mul | ps.TrueDiv) or node.op.inplace_pattern:
        return False
    out = node.outputs[0]
    if not float_dtype(out):
        return False
    merged = _erfcx_pair(product(out), erfc_power)
    return False if merged is None else fit(out, _build(merged, out.type.dtype))


@node_rewriter([Elemwise])
def local_erfc_exp_sqr_to_erfcx(fgraph: Any, node: Any) -> Any:
    """exp(z**2) * erfc(z) -> erfcx(z) (also erfc(z) / exp(-z**2)), other factors kept."""
    return _merge_erfcx(node, 1)


@node_rewriter([Elemwise])
def local_grad_log_erfc_neg(fgraph: Any, node: Any) -> Any:
    """c * exp(-z**2) / erfc(z) -> c / erfcx(z): the gradient of log(erfc(z)), finite for large z."""
    return _merge_erfcx(node, -1)


def stable_log_erfc(z: Variable) -> Variable:
    """switch(z < 0, log1p(-erf(z)), log(erfcx(z)) - z**2): log(erfc(z)) without underflow."""
    small = pm.log1p(neg(psm_call(psm.erf, z)))
    large = pm.sub(pm.log(psm_call(psm.erfcx, z)), pm.sqr(z))
    return switch(pm.lt(z, pm._const(0, z.type.dtype)), small, large)


@node_rewriter([Elemwise])
def local_log_erfc_scaled(fgraph: Any, node: Any) -> Any:
    """log(c * erfc(z)) -> log(c) + log_erfc(z) for a constant c > 0 (the normal logcdf)."""
    if not isinstance(node.op.scalar_op, ps.Log) or node.op.inplace_pattern:
        return False
    [arg] = node.inputs
    if not float_dtype(arg) or elemwise_args(arg, psm.Erfc) is not None:
        return False  # a bare log(erfc(z)) is local_log_erfc's
    p = product(arg)
    if p.den or len(p.num) != 1 or not p.const > 0.0 or not np.isfinite(p.const):
        return False
    [f] = p.num
    a = elemwise_args(f, psm.Erfc)
    if a is None or f.type.dtype != arg.type.dtype:
        return False
    dtype = arg.type.dtype
    new = pm.add(stable_log_erfc(cast(a[0], dtype)), pm._const(np.log(p.const), dtype))
    return fit(node.outputs[0], new)


for _name, _rewrite in [
    ("local_erfc_exp_sqr_to_erfcx", local_erfc_exp_sqr_to_erfcx),
    ("local_grad_log_erfc_neg", local_grad_log_erfc_neg),
    ("local_log_erfc_scaled", local_log_erfc_scaled),
]:
    optdb["stabilize"].register(_name, _rewrite, "fast_run", "stabilize")
