"""Numba implementations of the special-function scalar Ops of ``pytensor.scalar.math``
(layer: pytensor-backend-numba).

The Ops' ``perform`` converts real inputs to the output precision and calls the
``scipy.special`` ufunc. Here the same SciPy kernels are called directly through
the C functions ``scipy.special.cython_special`` exports: SciPy's float32 loops
use the float kernel where SciPy has one (erfinv, expit, betainc, betaincinv)
and otherwise the double kernel rounded to float32, and so do these impls.
The kernels are bound by symbol name (see ``_cython_symbols``), not by address,
so compiled code that calls them can be cached across processes.
Functions SciPy has no C kernel for (Hurwitz zeta, used by polygamma) are
implemented here.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

import numpy as np

import numba
from numba import types
from pytensor.link.numba.dispatch._cython_symbols import cython_symbol
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.link.numba.dispatch.scalar import (
    converted_args,
    escape_format,
    numba_dtype_name,
    scalar_source_impl,
)
from pytensor.scalar import math as sm

__all__ = ["hurwitz_zeta", "polygamma_kernel", "scipy_kernel"]


#: Op class name -> (SciPy function, number of arguments, has a float32 kernel).
_KERNELS: dict[str, tuple[str, int, bool]] = {
    "Erf": ("erf", 1, False),
    "Erfc": ("erfc", 1, False),
    "Erfcx": ("erfcx", 1, False),
    "Erfinv": ("erfinv", 1, True),
    "Erfcinv": ("erfcinv", 1, False),
    "Owens_t": ("owens_t", 2, False),
    "Gamma": ("gamma", 1, False),
    "GammaLn": ("gammaln", 1, False),
    "Psi": ("psi", 1, False),
    "GammaInc": ("gammainc", 2, False),
    "GammaIncC": ("gammaincc", 2, False),
    "GammaIncInv": ("gammaincinv", 2, False),
    "GammaIncCInv": ("gammainccinv", 2, False),
    "J0": ("j0", 1, False),
    "J1": ("j1", 1, False),
    "Jv": ("jv", 2, False),
    "I0": ("i0", 1, False),
    "I1": ("i1", 1, False),
    "Iv": ("iv", 2, False),
    "Ive": ("ive", 2, False),
    "Kv": ("kv", 2, False),
    "Kve": ("kve", 2, False),
    "BetaInc": ("betainc", 3, True),
    "BetaIncInv": ("betaincinv", 3, True),
    "Hyp2F1": ("hyp2f1", 4, False),
}


def _capi_name(function: str, ctype: str) -> str:
    """The exported name of ``function``'s kernel on ``ctype`` ("double"/"float"), which
    for a Cython fused function is mangled as ``__pyx_fuse_<i><name>``."""
    import scipy.special.cython_special as cs

    capi = cs.__pyx_capi__
    for name, capsule in capi.items():
        if re.sub(r"^__pyx_fuse_\d+", "", name) != function:
            continue
        signature = str(capsule).split('"')[1]
        if signature.startswith(f"{ctype} (") and "complex" not in signature:
            return name
    raise LookupError(f"scipy.special.cython_special exports no {ctype} kernel of {function}")


@cache
def scipy_kernel(function: str, nargs: int, ctype: str = "double") -> Any:
    """A numba-callable external function for SciPy's C kernel of ``function``."""
    name = _capi_name(function, ctype)
    symbol = cython_symbol("special", name)
    real = types.float64 if ctype == "double" else types.float32
    # Every cpdef function takes a trailing ``int __pyx_skip_dispatch``.
    return types.ExternalFunction(symbol, real(*([real] * nargs), types.intc))


def _work_dtype(node: Any) -> str:
    out = node.outputs[0].type.dtype
    return "float64" if out == "float64" else "float32"


def _kernel_call(
    function: str, nargs: int, has_float: bool, node: Any, args: list[str]
) -> tuple[str, dict[str, Any]]:
    """Source calling SciPy's kernel on ``args`` in the precision SciPy's loop uses."""
    use_float = has_float and _work_dtype(node) == "float32"
    ctype = "float" if use_float else "double"
    ctor = "np.float32" if use_float else "np.float64"
    kernel = scipy_kernel(function, nargs, ctype)
    name = f"k_{function}_{ctype}"
    call = f"{name}({', '.join(f'{ctor}({a})' for a in args)}, 0)"
    return call, {name: kernel}


def _kernel_impl(function: str, nargs: int, has_float: bool) -> Any:
    def funcify(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
        args = [e for e, _ in converted_args(node)]
        call, env = _kernel_call(function, nargs, has_float, node, args)
        return scalar_source_impl(op, node, escape_format(call), convert=False, env=env)

    funcify.__name__ = f"numba_funcify_{function}"
    return funcify


for _name, (_function, _nargs, _has_float) in _KERNELS.items():
    numba_funcify.register(getattr(sm, _name))(_kernel_impl(_function, _nargs, _has_float))


@numba_funcify.register(sm.Chi2SF)
def numba_funcify_Chi2SF(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    x, k = (e for e, _ in converted_args(node))
    call, env = _kernel_call("chdtrc", 2, False, node, [k, x])
    return scalar_source_impl(op, node, escape_format(call), convert=False, env=env)


def _incomplete_gamma(op: Any, node: Any, regularized: str) -> NumbaImpl:
    # perform: gammaincc(k, x) * gamma(k), each rounded to the output precision first.
    k, x = (e for e, _ in converted_args(node))
    out = numba_dtype_name(_work_dtype(node))
    reg, env = _kernel_call(regularized, 2, False, node, [k, x])
    gam, env2 = _kernel_call("gamma", 1, False, node, [k])
    expr = f"{out}({reg}) * {out}({gam})"
    return scalar_source_impl(op, node, escape_format(expr), convert=False, env={**env, **env2})


@numba_funcify.register(sm.GammaU)
def numba_funcify_GammaU(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return _incomplete_gamma(op, node, "gammaincc")


@numba_funcify.register(sm.GammaL)
def numba_funcify_GammaL(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return _incomplete_gamma(op, node, "gammainc")


# Euler-Maclaurin coefficients (2k)! / B_2k of the Hurwitz zeta tail (as in Cephes).
_ZETA_A = np.array(
    [
        12.0,
        -720.0,
        30240.0,
        -1209600.0,
        47900160.0,
        -1.8924375803183791606e9,
        7.47242496e10,
        -2.950130727918164224e12,
        1.1646782814350067249e14,
        -4.5979787224074726105e15,
        1.8152105401943546773e17,
        -7.1661652561756670113e18,
    ]
)
_MACHEP = 1.11022302462515654042e-16


@numba.njit(error_model="numpy")
def hurwitz_zeta(x: float, q: float) -> float:  # noqa: C901 (one published algorithm)
    """Hurwitz zeta ``sum((k + q) ** -x, k >= 0)`` for real x > 1 (SciPy's ``zeta(x, q)``)."""
    if x == 1.0:
        return np.inf
    if x < 1.0 or x != x or q != q:
        return np.nan
    if q <= 0.0:
        if q == math.floor(q):
            return np.inf
        if x != math.floor(x):
            return np.nan
    if q > 1e8:
        return (1.0 / (x - 1.0) + 1.0 / (2.0 * q)) * q ** (1.0 - x)
    s = q**-x
    a = q
    b = 0.0
    i = 0
    while i < 9 or a <= 9.0:
        i += 1
        a += 1.0
        b = a**-x
        s += b
        if abs(b / s) < _MACHEP:
            return s
    w = a
    s += b * w / (x - 1.0)
    s -= 0.5 * b
    a = 1.0
    k = 0.0
    for j in range(12):
        a *= x + k
        b /= w
        t = a * b / _ZETA_A[j]
        s += t
        if abs(t / s) < _MACHEP:
            return s
        k += 1.0
        a *= x + k
        b /= w
        k += 1.0
    return s


@cache
def polygamma_kernel() -> Any:
    """SciPy's polygamma in float64: psi(x) for n == 0, else
    (-1)**(n+1) * gamma(n+1) * zeta(n+1, x)."""
    psi = scipy_kernel("psi", 1)
    gamma = scipy_kernel("gamma", 1)

    @numba.njit(inline="always")
    def polygamma_f64(n: float, x: float) -> float:
        if n == 0:
            return psi(x, 0)  # type: ignore[no-any-return]
        sign = -1.0 if (n + 1.0) % 2.0 != 0.0 else 1.0
        return sign * gamma(n + 1.0, 0) * hurwitz_zeta(n + 1.0, x)  # type: ignore[no-any-return]

    return polygamma_f64


@numba_funcify.register(sm.PolyGamma)
def numba_funcify_PolyGamma(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    n, x = (e for e, _ in converted_args(node))
    expr = f"polygamma_f64(np.float64({n}), np.float64({x}))"
    env = {"polygamma_f64": polygamma_kernel()}
    return scalar_source_impl(op, node, escape_format(expr), convert=False, env=env)


@numba_funcify.register(sm.TriGamma)
def numba_funcify_TriGamma(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    (x,) = (e for e, _ in converted_args(node))
    expr = f"hurwitz_zeta(2.0, np.float64({x}))"
    return scalar_source_impl(
        op, node, escape_format(expr), convert=False, env={"hurwitz_zeta": hurwitz_zeta}
    )


@numba_funcify.register(sm.Softplus)
def numba_funcify_Softplus(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    # NumPy's logaddexp(0, x): log(2) at 0, else max(x, 0) + log1p(exp(-|x|)); NaN stays.
    out = numba_dtype_name(_work_dtype(node))
    return scalar_source_impl(
        op,
        node,
        [
            "x = {0}",
            f"{out}(np.log(2.0)) if x == 0 else (x + np.log1p(np.exp(-x)) if x > 0 "
            f"else (np.log1p(np.exp(x)) if x < 0 else x))",
        ],
    )


@numba_funcify.register(sm.Log1mexp)
def numba_funcify_Log1mexp(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    real = "{0}.real" if np.dtype(node.inputs[0].type.dtype).kind == "c" else "{0}"
    return scalar_source_impl(
        op,
        node,
        [
            "x = {0}",
            f"np.log(-np.expm1(x)) if {real.format('x')} > -0.6931471805599453 "
            "else np.log1p(-np.exp(x))",
        ],
    )


@numba_funcify.register(sm.XlogX)
def numba_funcify_XlogX(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return scalar_source_impl(op, node, ["x = {0}", "x - x if x == 0 else x * np.log(x)"])


@numba_funcify.register(sm.XlogY0)
def numba_funcify_XlogY0(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return scalar_source_impl(
        op, node, ["x, y = {0}, {1}", "r = x * np.log(y)", "{out}(0) if x == 0 else r"]
    )
