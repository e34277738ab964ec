"""Derivatives of the elementary scalar Ops (layer: pytensor-tensor).

Each rule is written once over a namespace ``m`` that is either the scalar
or the tensor function set, so ``Elemwise`` can apply a scalar Op's pullback
directly to tensor variables.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["attach_derivatives", "namespace_of"]


class _Namespace:
    """Functions by name, from pytensor.scalar or pytensor.tensor, plus a few helpers."""

    def __init__(self, tensor: bool) -> None:
        self.tensor = tensor

    def __getattr__(self, name: str) -> Any:
        if self.tensor:
            from pytensor.tensor import basic
            from pytensor.tensor import math as tmath

            return getattr(tmath, name, None) or getattr(basic, name)
        import pytensor.scalar.basic as ps
        import pytensor.scalar.math as psm

        found = getattr(ps, name, None)
        return found if found is not None else getattr(psm, name)

    def zeros_like(self, x: Any) -> Any:
        if self.tensor:
            from pytensor.tensor.basic import zeros_like

            return zeros_like(x)
        import pytensor.scalar.basic as ps

        return ps.second(x, ps.constant(0, dtype=x.type.dtype))

    def as_float(self, cond: Any, like: Any) -> Any:
        """A boolean condition as 0/1 in the dtype of ``like``."""
        return self.cast(cond, like.type.dtype)


_TENSOR = _Namespace(True)
_SCALAR = _Namespace(False)


def namespace_of(x: Any) -> _Namespace:
    from pytensor.scalar.basic import ScalarType

    return _SCALAR if isinstance(x.type, ScalarType) else _TENSOR


Rule = Callable[[Sequence[Any], Sequence[Any], Sequence[Any], _Namespace], list[Any]]

_LN2, _LN10 = math.log(2.0), math.log(10.0)


def _u(f: Callable[[Any, Any, Any, _Namespace], Any]) -> Rule:
    return lambda ins, outs, gs, m: [f(ins[0], outs[0], gs[0], m)]


UNARY: dict[str, Rule] = {
    "Neg": _u(lambda x, o, g, m: -g),
    "Abs": _u(lambda x, o, g, m: g * m.sign(x)),
    "Sign": _u(lambda x, o, g, m: m.zeros_like(x)),
    "Reciprocal": _u(lambda x, o, g, m: -g * o * o),
    "Exp": _u(lambda x, o, g, m: g * o),
    "Exp2": _u(lambda x, o, g, m: g * o * _LN2),
    "Expm1": _u(lambda x, o, g, m: g * (o + 1)),
    "Log": _u(lambda x, o, g, m: g / x),
    "Log2": _u(lambda x, o, g, m: g / (x * _LN2)),
    "Log10": _u(lambda x, o, g, m: g / (x * _LN10)),
    "Log1p": _u(lambda x, o, g, m: g / (x + 1)),
    "Sqrt": _u(lambda x, o, g, m: g * 0.5 / o),
    "Sqr": _u(lambda x, o, g, m: g * x * 2),
    "Cos": _u(lambda x, o, g, m: -g * m.sin(x)),
    "Sin": _u(lambda x, o, g, m: g * m.cos(x)),
    "Tan": _u(lambda x, o, g, m: g * (o * o + 1)),
    "ArcCos": _u(lambda x, o, g, m: -g / m.sqrt(1 - x * x)),
    "ArcSin": _u(lambda x, o, g, m: g / m.sqrt(1 - x * x)),
    "ArcTan": _u(lambda x, o, g, m: g / (x * x + 1)),
    "Cosh": _u(lambda x, o, g, m: g * m.sinh(x)),
    "Sinh": _u(lambda x, o, g, m: g * m.cosh(x)),
    "Tanh": _u(lambda x, o, g, m: g * (1 - o * o)),
    "ArcCosh": _u(lambda x, o, g, m: g / m.sqrt(x * x - 1)),
    "ArcSinh": _u(lambda x, o, g, m: g / m.sqrt(x * x + 1)),
    "ArcTanh": _u(lambda x, o, g, m: g / (1 - x * x)),
    "Deg2Rad": _u(lambda x, o, g, m: g * (math.pi / 180.0)),
    "Rad2Deg": _u(lambda x, o, g, m: g * (180.0 / math.pi)),
    "Floor": _u(lambda x, o, g, m: m.zeros_like(x)),
    "Ceil": _u(lambda x, o, g, m: m.zeros_like(x)),
    "Trunc": _u(lambda x, o, g, m: m.zeros_like(x)),
    "RoundHalfToEven": _u(lambda x, o, g, m: m.zeros_like(x)),
    "RoundHalfAwayFromZero": _u(lambda x, o, g, m: m.zeros_like(x)),
    "Identity": _u(lambda x, o, g, m: g),
    "Real": _u(lambda x, o, g, m: g),
    "Conj": _u(lambda x, o, g, m: g),
}


def _add(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    return [gs[0]] * len(ins)


def _mul(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    res = []
    for k in range(len(ins)):
        others = [x for j, x in enumerate(ins) if j != k]
        term = gs[0]
        for o in others:
            term = term * o
        res.append(term)
    return res


def _pow(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    x, y = ins
    g = gs[0]
    return [g * y * x ** (y - 1), g * outs[0] * m.log(x)]


def _extremum(
    ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace
) -> list[Any]:
    o, g = outs[0], gs[0]
    return [g * m.as_float(m.eq(o, x), g) for x in ins]


def _clip(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    x, lo, hi = ins
    g = gs[0]
    inside = m.and_(m.ge(x, lo), m.le(x, hi))
    return [
        g * m.as_float(inside, g),
        g * m.as_float(m.lt(x, lo), g),
        g * m.as_float(m.gt(x, hi), g),
    ]


def _switch(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    from pytensor.gradient import disconnected_type

    c, a, b = ins
    g = gs[0]
    zero = m.zeros_like(g)
    return [disconnected_type(), m.switch(c, g, zero), m.switch(c, zero, g)]


def _second(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    from pytensor.gradient import disconnected_type

    return [disconnected_type(), gs[0]]


def _cast(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    x = ins[0]
    return [m.cast(gs[0], x.type.dtype)]


BINARY: dict[str, Rule] = {
    "Add": _add,
    "Mul": _mul,
    "Sub": lambda ins, outs, gs, m: [gs[0], -gs[0]],
    "TrueDiv": lambda ins, outs, gs, m: [gs[0] / ins[1], -gs[0] * outs[0] / ins[1]],
    "IntDiv": lambda ins, outs, gs, m: [m.zeros_like(ins[0]), m.zeros_like(ins[1])],
    "Mod": lambda ins, outs, gs, m: [gs[0], -gs[0] * m.floor(ins[0] / ins[1])],
    "Pow": _pow,
    "Maximum": _extremum,
    "Minimum": _extremum,
    "ArcTan2": lambda ins, outs, gs, m: [
        gs[0] * ins[1] / (ins[0] * ins[0] + ins[1] * ins[1]),
        -gs[0] * ins[0] / (ins[0] * ins[0] + ins[1] * ins[1]),
    ],
    "Hypot": lambda ins, outs, gs, m: [gs[0] * ins[0] / outs[0], gs[0] * ins[1] / outs[0]],
    "Clip": _clip,
    "Switch": _switch,
    "Second": _second,
    "Cast": _cast,
}


_SQRT_PI = math.sqrt(math.pi)

SPECIAL: dict[str, Rule] = {
    "Sigmoid": _u(lambda x, o, g, m: g * o * (1 - o)),
    "Softplus": _u(lambda x, o, g, m: g * m.sigmoid(x)),
    "Log1mexp": _u(lambda x, o, g, m: -g / m.expm1(-x)),
    "Erf": _u(lambda x, o, g, m: g * (2.0 / _SQRT_PI) * m.exp(-x * x)),
    "Erfc": _u(lambda x, o, g, m: -g * (2.0 / _SQRT_PI) * m.exp(-x * x)),
    "Erfcx": _u(lambda x, o, g, m: g * (2 * x * o - 2.0 / _SQRT_PI)),
    "Erfinv": _u(lambda x, o, g, m: g * (_SQRT_PI / 2) * m.exp(o * o)),
    "Erfcinv": _u(lambda x, o, g, m: -g * (_SQRT_PI / 2) * m.exp(o * o)),
    "GammaLn": _u(lambda x, o, g, m: g * m.psi(x)),
    "Gamma": _u(lambda x, o, g, m: g * o * m.psi(x)),
    "Psi": _u(lambda x, o, g, m: g * m.tri_gamma(x)),
    "I0": _u(lambda x, o, g, m: g * m.i1(x)),
    "J0": _u(lambda x, o, g, m: -g * m.j1(x)),
    "XlogX": _u(lambda x, o, g, m: g * (m.log(x) + 1)),
    "XlogY0": lambda ins, outs, gs, m: [gs[0] * m.log(ins[1]), gs[0] * ins[0] / ins[1]],
}


def attach_derivatives(namespace: dict[str, Any], rules: dict[str, Rule] | None = None) -> None:
    """Give each Op class in ``namespace`` named in ``rules`` (default: the elementary ones) its ``pullback``."""
    for name, rule in (rules if rules is not None else {**UNARY, **BINARY}).items():
        cls = namespace[name]

        def pullback(
            self: Any,
            inputs: Sequence[Any],
            outputs: Sequence[Any],
            cotangents: Sequence[Any],
            _r: Rule = rule,
        ) -> list[Any]:
            return _r(
                inputs, outputs, cotangents, namespace_of(inputs[0] if inputs else outputs[0])
            )

        pullback.__doc__ = f"Pullback of {name}."
        cls.pullback = pullback
