"""Derivatives of the scalar Ops (layer: pytensor-tensor).

Each rule is written once over a namespace ``m`` that is either the scalar
or the tensor function set, so ``Elemwise`` can apply a scalar Op's pullback
directly to tensor variables. A rule returns, per input, a variable, or one
of the markers :func:`not_implemented` / :func:`undefined`, which the Op's
``pullback`` turns into a NullType gradient naming the Op and the input.

Complex numbers follow PyTensor's convention: the gradient of a real cost C
with respect to ``z = x + iy`` is ``dC/dx + i dC/dy``. Only the rules listed
in ``COMPLEX_SAFE`` honour it; the others give a not-implemented gradient for
complex inputs rather than a wrong number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["attach_derivatives", "namespace_of", "not_implemented", "undefined"]


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


class _Null:
    """A marker returned by a rule for a gradient that is not implemented or undefined."""

    def __init__(self, kind: str, comment: str) -> None:
        self.kind = kind
        self.comment = comment


def not_implemented(comment: str = "") -> Any:
    """Marker: the gradient with respect to this input is not implemented."""
    return _Null("not_implemented", comment)


def undefined(comment: str = "") -> Any:
    """Marker: the gradient with respect to this input does not exist mathematically."""
    return _Null("undefined", comment)


def _resolve(op: Any, k: int, x: Any, g: Any) -> Any:
    if not isinstance(g, _Null):
        return g
    from pytensor.gradient import grad_not_implemented, grad_undefined

    make = grad_not_implemented if g.kind == "not_implemented" else grad_undefined
    return make(op, k, x, g.comment)


def _is_complex(x: Any) -> bool:
    return str(getattr(x.type, "dtype", "")).startswith("complex")


Rule = Callable[[Sequence[Any], Sequence[Any], Sequence[Any], _Namespace], list[Any]]

_LN2, _LN10 = math.log(2.0), math.log(10.0)


def _u(f: Callable[[Any, Any, Any, _Namespace], Any]) -> Rule:
    return lambda ins, outs, gs, m: [f(ins[0], outs[0], gs[0], m)]


def _zeros(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    """Piecewise-constant functions (rounding) and discrete outputs: a zero gradient."""
    return [m.zeros_like(x) for x in ins]


# -- the complex-aware elementary rules -------------------------------------------------
def _abs(x: Any, o: Any, g: Any, m: _Namespace) -> Any:
    if _is_complex(x):
        # d|z|/dx + i d|z|/dy = z / |z|
        return m.cast(g, x.type.dtype) * x / m.cast(o, x.type.dtype)
    return g * m.sign(x)


def _angle(x: Any, o: Any, g: Any, m: _Namespace) -> Any:
    if _is_complex(x):
        # d arg(z)/dx + i d arg(z)/dy = (-y + i x) / |z|**2 = i z / |z|**2
        r2 = m.sqr(m.real(x)) + m.sqr(m.imag(x))
        return m.cast(g / r2, x.type.dtype) * x * 1j
    return m.zeros_like(x)


def _real(x: Any, o: Any, g: Any, m: _Namespace) -> Any:
    return m.cast(g, x.type.dtype) if _is_complex(x) else g


def _imag(x: Any, o: Any, g: Any, m: _Namespace) -> Any:
    return m.cast(g, x.type.dtype) * 1j if _is_complex(x) else m.zeros_like(x)


def _conj(x: Any, o: Any, g: Any, m: _Namespace) -> Any:
    return m.conj(g) if _is_complex(x) else g


UNARY: dict[str, Rule] = {
    "Neg": _u(lambda x, o, g, m: -g),
    "Abs": _u(_abs),
    "Sign": _zeros,
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
    "Floor": _zeros,
    "Ceil": _zeros,
    "Trunc": _zeros,
    "RoundHalfToEven": _zeros,
    "RoundHalfAwayFromZero": _zeros,
    "Identity": _u(lambda x, o, g, m: g),
    "Real": _u(_real),
    "Imag": _u(_imag),
    "Angle": _u(_angle),
    "Conj": _u(_conj),
}

#: Ops with a boolean or integer output (and bitwise Ops on integers): their
#: gradient is zero. The differentiation machinery never needs to call these
#: rules (it treats discrete outputs as zero-gradient), but a direct call of
#: the pullback must not fail.
DISCRETE: dict[str, Rule] = {
    name: _zeros
    for name in (
        "IsNan",
        "IsInf",
        "Invert",
        "LogicalNot",
        "LT",
        "GT",
        "LE",
        "GE",
        "EQ",
        "NEQ",
        "AND",
        "OR",
        "XOR",
    )
}


def _add(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    return [gs[0]] * len(ins)


def _conj_if_complex(x: Any, m: _Namespace) -> Any:
    return m.conj(x) if _is_complex(x) else x


def _mul(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    res = []
    for k in range(len(ins)):
        others = [x for j, x in enumerate(ins) if j != k]
        term = gs[0]
        for o in others:
            term = term * _conj_if_complex(o, m)
        res.append(term)
    return res


def _true_div(
    ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace
) -> list[Any]:
    g, b, o = gs[0], _conj_if_complex(ins[1], m), _conj_if_complex(outs[0], m)
    return [g / b, -g * o / b]


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
    x, g = ins[0], gs[0]
    if _is_complex(g) and not _is_complex(x):
        # real -> complex: only the real part of the cotangent flows back.
        g = m.real(g)
    return [m.cast(g, x.type.dtype)]


BINARY: dict[str, Rule] = {
    "Add": _add,
    "Mul": _mul,
    "Sub": lambda ins, outs, gs, m: [gs[0], -gs[0]],
    "TrueDiv": _true_div,
    "IntDiv": _zeros,
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

#: Rules that are correct for complex inputs (see the module docstring).
COMPLEX_SAFE = frozenset(
    {"Neg", "Add", "Sub", "Mul", "TrueDiv", "Identity", "Real", "Imag", "Angle", "Conj", "Abs"}
    | {"Cast", "Second", "Switch", *DISCRETE}
)


# -- special functions -----------------------------------------------------------------------
_SQRT_PI = math.sqrt(math.pi)
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_NO_PARAM = "(only the derivative with respect to the argument x is implemented)"


def _in_out_dtype(ins: Sequence[Any], outs: Sequence[Any], m: _Namespace) -> list[Any]:
    """The inputs cast to the output dtype: the derivative is computed in the precision of the
    function (a float32 constant parameter would otherwise make gammaln(k) float32)."""
    dtype = outs[0].type.dtype
    return [m.cast(x, dtype) for x in ins]


def _owens_t(
    ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace
) -> list[Any]:
    h, a = _in_out_dtype(ins, outs, m)
    g = gs[0]
    gh = -g * m.exp(-h * h / 2) * m.erf(a * h / math.sqrt(2.0)) / (2 * _SQRT_2PI)
    ga = g * m.exp(-h * h * (1 + a * a) / 2) / ((1 + a * a) * (2 * math.pi))
    return [gh, ga]


def _gamma_density(k: Any, x: Any, m: _Namespace) -> Any:
    """``x**(k-1) exp(-x)``: the derivative of the lower incomplete gamma function in x."""
    return m.exp((k - 1) * m.log(x) - x)


def _lower_gamma_rule(sign: int, regularized: bool) -> Rule:
    """d/dx of P(k, x) (+1, regularized), Q(k, x) (-1, regularized), gammal (+1), gammau (-1)."""

    def rule(
        ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace
    ) -> list[Any]:
        k, x = _in_out_dtype(ins, outs, m)
        d = _gamma_density(k, x, m)
        if regularized:
            d = d / m.exp(m.gammaln(k))
        return [not_implemented(_NO_PARAM), gs[0] * d * sign]

    return rule


def _gamma_inv_rule(sign: int) -> Rule:
    """d/dy of the inverse in x of P(k, x) = y (+1) or Q(k, x) = y (-1): 1 / (dP/dx at x)."""

    def rule(
        ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace
    ) -> list[Any]:
        k, x = _in_out_dtype(ins[:1], outs, m)[0], outs[0]
        return [
            not_implemented(_NO_PARAM),
            gs[0] * m.exp(x - (k - 1) * m.log(x) + m.gammaln(k)) * sign,
        ]

    return rule


def _chi2sf(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    # chi2sf(x, k) = Q(k/2, x/2)
    x, k = _in_out_dtype(ins, outs, m)
    half_k = k / 2
    d = m.exp((half_k - 1) * m.log(x / 2) - x / 2 - m.gammaln(half_k)) / 2
    return [-gs[0] * d, not_implemented("(the derivative in the degrees of freedom k)")]


def _polygamma(
    ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace
) -> list[Any]:
    n, x = ins
    # n is an integer order: the machinery gives integer inputs a zero gradient.
    return [m.zeros_like(n), gs[0] * m.polygamma(n + 1, x)]


def _bessel_rule(name: str, sign: int, scaled: int = 0) -> Rule:
    """d/dx of a Bessel function of order v from the recurrence (f(v-1, x) +- f(v+1, x)) / 2.

    ``sign`` is -1 for jv (J' = (J[v-1] - J[v+1]) / 2), +1 for iv and -1 for kv
    (K' = -(K[v-1] + K[v+1]) / 2). ``scaled`` adds the derivative of the
    exponential factor of ive (-sign(x) * ive) and kve (+kve).
    """

    def rule(
        ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace
    ) -> list[Any]:
        v, x = _in_out_dtype(ins, outs, m)
        f = getattr(m, name)
        if name == "jv":
            d = (f(v - 1, x) - f(v + 1, x)) / 2
        else:
            d = (f(v - 1, x) + f(v + 1, x)) * (0.5 * sign)
        if scaled == -1:
            d = d - m.sign(x) * outs[0]
        elif scaled == 1:
            d = d + outs[0]
        return [not_implemented("(the derivative in the order v)"), gs[0] * d]

    return rule


def _log_beta(a: Any, b: Any, m: _Namespace) -> Any:
    return m.gammaln(a) + m.gammaln(b) - m.gammaln(a + b)


def _betainc(
    ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace
) -> list[Any]:
    a, b, x = _in_out_dtype(ins, outs, m)
    d = m.exp((a - 1) * m.log(x) + (b - 1) * m.log1p(-x) - _log_beta(a, b, m))
    return [not_implemented(_NO_PARAM), not_implemented(_NO_PARAM), gs[0] * d]


def _betaincinv(
    ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace
) -> list[Any]:
    a, b = _in_out_dtype(ins[:2], outs, m)
    x = outs[0]
    d = m.exp(_log_beta(a, b, m) - (a - 1) * m.log(x) - (b - 1) * m.log1p(-x))
    return [not_implemented("(only the derivative in y)"), not_implemented(), gs[0] * d]


def _hyp2f1(ins: Sequence[Any], outs: Sequence[Any], gs: Sequence[Any], m: _Namespace) -> list[Any]:
    a, b, c, z = _in_out_dtype(ins, outs, m)
    d = a * b / c * m.hyp2f1(a + 1, b + 1, c + 1, z)
    why = "(only the derivative in z is implemented)"
    return [not_implemented(why), not_implemented(why), not_implemented(why), gs[0] * d]


SPECIAL: dict[str, Rule] = {
    "Sigmoid": _u(lambda x, o, g, m: g * o * (1 - o)),
    "Softplus": _u(lambda x, o, g, m: g * m.sigmoid(x)),
    "Log1mexp": _u(lambda x, o, g, m: -g / m.expm1(-x)),
    "Erf": _u(lambda x, o, g, m: g * (2.0 / _SQRT_PI) * m.exp(-x * x)),
    "Erfc": _u(lambda x, o, g, m: -g * (2.0 / _SQRT_PI) * m.exp(-x * x)),
    "Erfcx": _u(lambda x, o, g, m: g * (2 * x * o - 2.0 / _SQRT_PI)),
    "Erfinv": _u(lambda x, o, g, m: g * (_SQRT_PI / 2) * m.exp(o * o)),
    "Erfcinv": _u(lambda x, o, g, m: -g * (_SQRT_PI / 2) * m.exp(o * o)),
    "Owens_t": _owens_t,
    "GammaLn": _u(lambda x, o, g, m: g * m.psi(x)),
    "Gamma": _u(lambda x, o, g, m: g * o * m.psi(x)),
    "Psi": _u(lambda x, o, g, m: g * m.tri_gamma(x)),
    "TriGamma": _u(lambda x, o, g, m: g * m.polygamma(2, x)),
    "PolyGamma": _polygamma,
    "Chi2SF": _chi2sf,
    "GammaInc": _lower_gamma_rule(1, regularized=True),
    "GammaIncC": _lower_gamma_rule(-1, regularized=True),
    "GammaL": _lower_gamma_rule(1, regularized=False),
    "GammaU": _lower_gamma_rule(-1, regularized=False),
    "GammaIncInv": _gamma_inv_rule(1),
    "GammaIncCInv": _gamma_inv_rule(-1),
    "I0": _u(lambda x, o, g, m: g * m.i1(x)),
    "I1": _u(lambda x, o, g, m: g * (m.i0(x) + m.iv(2, x)) / 2),
    "J0": _u(lambda x, o, g, m: -g * m.j1(x)),
    "J1": _u(lambda x, o, g, m: g * (m.j0(x) - m.jv(2, x)) / 2),
    "Jv": _bessel_rule("jv", -1),
    "Iv": _bessel_rule("iv", 1),
    "Ive": _bessel_rule("ive", 1, scaled=-1),
    "Kv": _bessel_rule("kv", -1),
    "Kve": _bessel_rule("kve", -1, scaled=1),
    "XlogX": _u(lambda x, o, g, m: g * (m.log(x) + 1)),
    "XlogY0": lambda ins, outs, gs, m: [gs[0] * m.log(ins[1]), gs[0] * ins[0] / ins[1]],
    "BetaInc": _betainc,
    "BetaIncInv": _betaincinv,
    "Hyp2F1": _hyp2f1,
}


def attach_derivatives(namespace: dict[str, Any], rules: dict[str, Rule] | None = None) -> None:
    """Give each Op class in ``namespace`` named in ``rules`` (default: the elementary ones) its ``pullback``."""
    default = {**UNARY, **DISCRETE, **BINARY}
    for name, rule in (rules if rules is not None else default).items():
        cls = namespace[name]

        def pullback(
            self: Any,
            inputs: Sequence[Any],
            outputs: Sequence[Any],
            cotangents: Sequence[Any],
            _r: Rule = rule,
            _complex_ok: bool = name in COMPLEX_SAFE,
        ) -> list[Any]:
            if not _complex_ok and any(_is_complex(v) for v in (*inputs, *outputs)):
                return [
                    _resolve(self, k, x, not_implemented("(complex inputs)"))
                    for k, x in enumerate(inputs)
                ]
            m = namespace_of(inputs[0] if inputs else outputs[0])
            grads = _r(inputs, outputs, cotangents, m)
            return [
                _resolve(self, k, x, g) for k, (x, g) in enumerate(zip(inputs, grads, strict=True))
            ]

        pullback.__doc__ = f"Pullback of {name}."
        cls.pullback = pullback
