"""C kernels of the special-function scalar Ops of :mod:`pytensor.scalar.math`
(layer: pytensor-backend-c).

libm covers erf, erfc, gamma, gammaln, j0 and j1; the other functions are this
package's own C implementations (series, continued fractions, asymptotic
expansions, quadrature, Newton iterations) in ``_special_c``, ``_special_bessel_c``,
``_special_gammainc_c`` and ``_special_beta_c``, computed in double precision (as
SciPy's float32 loops mostly do) and rounded to the output dtype. Hyp2F1 calls
SciPy's exported C ``hyp2f1`` through a pointer found at run time
(``_special_hyp2f1``), so its values are SciPy's. The functions ``perform``
evaluates as NumPy expressions (softplus, log1mexp, sigmoid, xlogx, xlogy0) are
computed the same way, in the output's precision. Ops without an implementation
accurate to about 1e-12 (relative, float64) would get ``None`` and run through
``perform``: see ``UNIMPLEMENTED`` (empty now).
"""

from __future__ import annotations

from typing import Any

import pytensor.scalar.math as psm
from pytensor.link.c.dispatch import _special_c as sc
from pytensor.link.c.dispatch._scalar_c import (
    CTYPES,
    build,
    cast,
    flit,
    in_dtypes,
    libm,
    out_dtype,
    supported,
)
from pytensor.link.c.dispatch._special_bessel_c import BESSEL_I, BESSEL_J, BESSEL_K
from pytensor.link.c.dispatch._special_beta_c import BETAINC, BETAINCINV
from pytensor.link.c.dispatch._special_gammainc_c import GAMMAINC, GAMMAINCINV
from pytensor.link.c.dispatch._special_hyp2f1 import HYP2F1
from pytensor.link.c.dispatch._support import SCALAR_ERROR
from pytensor.link.c.dispatch.basic import CScalarImpl, c_funcify, set_op_class_status

__all__ = [
    "UNIMPLEMENTED",
    "c_funcify_Hyp2F1",
    "c_funcify_NumpyExpression",
    "c_funcify_Special",
]

#: Special-function Ops that run through ``perform`` (no accurate C version yet).
UNIMPLEMENTED: tuple[type, ...] = ()


def _double_args(node: Any) -> list[str]:
    """The inputs as doubles (SciPy computes the float32 loops of these in double)."""
    return [cast(f"x{k}", d, "float64") for k, d in enumerate(in_dtypes(node))]


def _special(op: Any, node: Any, call: str, support: tuple[str, ...]) -> CScalarImpl | None:
    if not supported(node):
        return None
    out = out_dtype(node)
    args = _double_args(node)
    if isinstance(op, psm.GammaU | psm.GammaL):
        # perform multiplies SciPy's Q (or P) by gamma(k), each rounded to the output dtype.
        q = cast(call.format(*args), "float64", out)
        body = f"return {q} * {cast(f'tgamma({args[0]})', 'float64', out)};"
    else:
        body = f"return {cast(call.format(*args), 'float64', out)};"
    return build(op, node, type(op).__name__.lower(), body, extra=support)


# Op class -> (C call on the inputs as doubles, the support snippets it needs, in order).
_SPECIAL: dict[type, tuple[str, tuple[str, ...]]] = {
    psm.Erf: ("erf({0})", ()),
    psm.Erfc: ("erfc({0})", ()),
    psm.Erfcx: ("pt_sf_erfcx({0})", (sc.ERFCX,)),
    psm.Erfinv: ("pt_sf_erfinv({0})", (sc.ERFCX, sc.ERFINV)),
    psm.Erfcinv: ("pt_sf_erfcinv({0})", (sc.ERFCX, sc.ERFINV)),
    psm.Gamma: ("tgamma({0})", ()),
    psm.GammaLn: ("pt_sf_gammaln({0})", (sc.GAMMALN,)),
    psm.Psi: ("pt_sf_psi({0})", (sc.PSI,)),
    psm.TriGamma: ("pt_sf_zeta(2.0, {0})", (sc.ZETA,)),
    psm.PolyGamma: ("pt_sf_polygamma({0}, {1})", (sc.PSI, sc.ZETA, sc.POLYGAMMA)),
    psm.GammaInc: ("pt_sf_gammainc({0}, {1}, 0)", (GAMMAINC,)),
    psm.GammaIncC: ("pt_sf_gammainc({0}, {1}, 1)", (GAMMAINC,)),
    psm.GammaU: ("pt_sf_gammainc({0}, {1}, 1)", (GAMMAINC,)),
    psm.GammaL: ("pt_sf_gammainc({0}, {1}, 0)", (GAMMAINC,)),
    psm.GammaIncInv: ("pt_sf_gammaincinv({0}, {1}, 0)", (GAMMAINC, GAMMAINCINV)),
    psm.GammaIncCInv: ("pt_sf_gammaincinv({0}, {1}, 1)", (GAMMAINC, GAMMAINCINV)),
    psm.Chi2SF: ("pt_sf_gammainc(0.5 * {1}, 0.5 * {0}, 1)", (GAMMAINC,)),
    psm.I0: ("pt_sf_iv(0.0, {0}, 0)", (BESSEL_I,)),
    psm.I1: ("pt_sf_iv(1.0, {0}, 0)", (BESSEL_I,)),
    psm.Iv: ("pt_sf_iv({0}, {1}, 0)", (BESSEL_I,)),
    psm.Ive: ("pt_sf_iv({0}, {1}, 1)", (BESSEL_I,)),
    psm.Kv: ("pt_sf_kv({0}, {1}, 0)", (BESSEL_K,)),
    psm.Kve: ("pt_sf_kv({0}, {1}, 1)", (BESSEL_K,)),
    psm.BetaInc: ("pt_sf_betainc({0}, {1}, {2})", (GAMMAINC, BETAINC)),
    psm.BetaIncInv: ("pt_sf_betaincinv({0}, {1}, {2})", (GAMMAINC, BETAINC, BETAINCINV)),
    psm.Owens_t: ("pt_sf_owens_t({0}, {1})", (sc.OWENS_T,)),
    psm.Jv: ("pt_sf_jv({0}, {1})", (BESSEL_J,)),
    psm.J0: ("pt_sf_j0({0})", (sc.BESSEL_J01,)),
    psm.J1: ("pt_sf_j1({0})", (sc.BESSEL_J01,)),
}


def _register_special() -> None:
    for cls in _SPECIAL:
        c_funcify.register(cls)(c_funcify_Special)


def c_funcify_Special(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """A special function computed by C functions of doubles (see ``_SPECIAL``)."""
    entry = next((v for k, v in _SPECIAL.items() if isinstance(op, k)), None)
    if entry is None:
        return None
    return _special(op, node, *entry)


_register_special()


@c_funcify.register(psm.Hyp2F1)
def c_funcify_Hyp2F1(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """SciPy's double ``hyp2f1`` called through a pointer looked up on first use.

    Mirrors ``perform``: the inputs are converted to the output dtype, then (SciPy's
    float32 loop) to double; the double result is rounded to the output dtype.
    Without SciPy installed the node runs through ``perform`` (which raises its ImportError).
    """
    import importlib.util

    if not supported(node) or importlib.util.find_spec("scipy") is None:
        return None
    out = out_dtype(node)
    args = [cast(cast(f"x{k}", d, out), out, "float64") for k, d in enumerate(in_dtypes(node))]
    call = "pt_sf_hyp2f1(" + ", ".join(args) + ")"
    body = f"return {cast(call, 'float64', out)};"
    return build(op, node, "hyp2f1", body, extra=(SCALAR_ERROR, HYP2F1))


# -- functions perform computes with NumPy expressions in the output's precision -------------
def _softplus(out: str) -> str:
    """NumPy's ``logaddexp(0, x)``."""
    t = CTYPES[out]
    lg, ex = libm("log1p", out), libm("exp", out)
    return (
        f"{t} x = x0c;\n"
        f"if (x == 0) return {flit('0.69314718055994530942', out)};\n"
        f"if (-x > 0) return {lg}({ex}(x));\n"
        f"if (-x <= 0) return x + {lg}({ex}(-x));\n"
        "return -x;"
    )


def _log1mexp(out: str) -> str:
    t = CTYPES[out]
    # The branch test compares with the float64 constant -log(2), also for float32 x.
    return (
        f"{t} x = x0c;\n"
        "if ((double)x > -0.69314718055994530942)\n"
        f"    return {libm('log', out)}(-{libm('expm1', out)}(x));\n"
        f"return {libm('log1p', out)}(-{libm('exp', out)}(x));"
    )


def _sigmoid(out: str) -> str:
    """SciPy's expit, ``1 / (1 + exp(-x))``, in the precision of the output."""
    t = CTYPES[out]
    return (
        f"{t} x = x0c;\nreturn {flit('1.0', out)} / ({flit('1.0', out)} + {libm('exp', out)}(-x));"
    )


def _xlogx(out: str) -> str:
    t = CTYPES[out]
    return f"{t} x = x0c;\nreturn x == 0 ? ({t})0 : x * {libm('log', out)}(x);"


def _xlogy0(out: str) -> str:
    t = CTYPES[out]
    return f"{t} x = x0c, y = x1c;\nreturn x == 0 ? ({t})0 : x * {libm('log', out)}(y);"


_NUMPY_EXPR = {
    psm.Softplus: _softplus,
    psm.Log1mexp: _log1mexp,
    psm.Sigmoid: _sigmoid,
    psm.XlogX: _xlogx,
    psm.XlogY0: _xlogy0,
}


@c_funcify.register(psm.Softplus)
@c_funcify.register(psm.Log1mexp)
@c_funcify.register(psm.Sigmoid)
@c_funcify.register(psm.XlogX)
@c_funcify.register(psm.XlogY0)
def c_funcify_NumpyExpression(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """Functions that ``perform`` evaluates as NumPy expressions in the output dtype."""
    if not supported(node):
        return None
    out = out_dtype(node)
    body = next(f for k, f in _NUMPY_EXPR.items() if isinstance(op, k))(out)
    for k, d in enumerate(in_dtypes(node)):
        body = body.replace(f"x{k}c", cast(f"x{k}", d, out))
    return build(op, node, type(op).__name__.lower(), body)


for _cls in UNIMPLEMENTED:
    set_op_class_status(_cls, "perform")
