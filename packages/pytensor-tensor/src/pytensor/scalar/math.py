"""Special-function scalar Ops: gamma and error functions, Bessel functions,
incomplete gamma/beta functions, sigmoid, softplus, ... (layer: pytensor-tensor).

Each Op computes with SciPy (``nfunc_spec`` names the ``scipy.special``
function) or with a numerically careful NumPy expression where SciPy has none.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from pytensor.scalar.basic import (
    BinaryScalarOp,
    ScalarOp,
    ScalarType,
    UnaryScalarOp,
    discrete_types,
    get_scalar_type,
    upgrade_to_float,
    upgrade_to_float_no_complex,
)

__all__ = [
    "BetaInc",
    "BetaIncInv",
    "Chi2SF",
    "Erf",
    "Erfc",
    "Erfcinv",
    "Erfcx",
    "Erfinv",
    "Gamma",
    "GammaInc",
    "GammaIncC",
    "GammaIncCInv",
    "GammaIncInv",
    "GammaL",
    "GammaLn",
    "GammaU",
    "Hyp2F1",
    "I0",
    "I1",
    "Iv",
    "Ive",
    "J0",
    "J1",
    "Jv",
    "Kv",
    "Kve",
    "Log1mexp",
    "Owens_t",
    "PolyGamma",
    "Psi",
    "Sigmoid",
    "Softplus",
    "TriGamma",
    "XlogX",
    "XlogY0",
    "betainc",
    "betaincinv",
    "chi2sf",
    "erf",
    "erfc",
    "erfcinv",
    "erfcx",
    "erfinv",
    "gamma",
    "gammainc",
    "gammaincc",
    "gammainccinv",
    "gammaincinv",
    "gammal",
    "gammaln",
    "gammau",
    "hyp2f1",
    "i0",
    "i1",
    "iv",
    "ive",
    "j0",
    "j1",
    "jv",
    "kv",
    "kve",
    "log1mexp",
    "owens_t",
    "polygamma",
    "psi",
    "sigmoid",
    "softplus",
    "tri_gamma",
    "xlogx",
    "xlogy0",
]


def _special(name: str) -> Any:
    """``scipy.special.<name>``, imported on first use (SciPy is slow to import)."""
    return getattr(importlib.import_module("scipy.special"), name)


def _real_float(dtype: str) -> str:
    return {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype)


class _ArrayFunctionOp(ScalarOp):
    """A scalar Op computed by a vectorised NumPy/SciPy function ``_compute``.

    Real inputs are converted to the (real) output dtype before the call, so
    the computation runs in the precision the output type promises (NumPy
    alone would compute ``int8`` inputs in float16, SciPy in float64, and a
    float32 input mixed with an int32 one partly in float32). ``impl`` and ``array_impl`` share that path, so scalar and
    elementwise results agree exactly.
    """

    def _compute(self, *args: Any) -> Any:
        return _special(self.nfunc_spec[0].rpartition(".")[2])(*args)  # type: ignore[index]

    def array_impl(self, *inputs: Any) -> Any:
        arrays = [np.asarray(x) for x in inputs]
        (out_type,) = self.output_types([get_scalar_type(a.dtype.name) for a in arrays])
        work = _real_float(out_type.dtype)
        args = [a.astype(work) if a.dtype.kind in "biuf" and a.dtype != work else a for a in arrays]
        with np.errstate(all="ignore"):
            return np.asarray(self._compute(*args), dtype=out_type.dtype)

    def impl(self, *inputs: Any) -> Any:
        return self.array_impl(*inputs)[()]


class _Unary(_ArrayFunctionOp, UnaryScalarOp):
    pass


class _Binary(_ArrayFunctionOp, BinaryScalarOp):
    pass


# -- output type rules --------------------------------------------------------
def _polygamma_rule(n: ScalarType, x: ScalarType) -> tuple[ScalarType, ...]:
    if n not in discrete_types:
        raise TypeError(f"polygamma: the order n must be an integer, got {n.dtype}")
    return upgrade_to_float_no_complex(x)


# -- error functions --------------------------------------------------------------
class Erf(_Unary):
    """Error function, ``2/sqrt(pi) * integral(exp(-t**2), t=0..x)``."""

    nfunc_spec = ("scipy.special.erf", 1, 1)


class Erfc(_Unary):
    """Complementary error function, ``1 - erf(x)``, accurate for large x."""

    nfunc_spec = ("scipy.special.erfc", 1, 1)


class Erfcx(_Unary):
    """Scaled complementary error function, ``exp(x**2) * erfc(x)``, without overflow for large x."""

    nfunc_spec = ("scipy.special.erfcx", 1, 1)


class Erfinv(_Unary):
    """Inverse of ``erf`` on (-1, 1)."""

    nfunc_spec = ("scipy.special.erfinv", 1, 1)


class Erfcinv(_Unary):
    """Inverse of ``erfc`` on (0, 2)."""

    nfunc_spec = ("scipy.special.erfcinv", 1, 1)


class Owens_t(_Binary):  # noqa: N801 (PyTensor's name)
    """Owen's T function ``T(h, a)``."""

    nfunc_spec = ("scipy.special.owens_t", 2, 1)


# -- gamma family -------------------------------------------------------------------
class Gamma(_Unary):
    """Gamma function."""

    nfunc_spec = ("scipy.special.gamma", 1, 1)


class GammaLn(_Unary):
    """Logarithm of the absolute value of the gamma function."""

    nfunc_spec = ("scipy.special.gammaln", 1, 1)


class Psi(_Unary):
    """Digamma function, the derivative of ``gammaln``."""

    nfunc_spec = ("scipy.special.psi", 1, 1)


class TriGamma(_Unary):
    """Trigamma function, the second derivative of ``gammaln``."""

    def _compute(self, x: Any) -> Any:
        return _special("polygamma")(1, x).astype(x.dtype, copy=False)


class PolyGamma(_Binary):
    """Polygamma function of integer order ``n``: the (n+1)-th derivative of ``gammaln``."""

    nfunc_spec = ("scipy.special.polygamma", 2, 1)

    def _compute(self, n: Any, x: Any) -> Any:
        return np.asarray(_special("polygamma")(n, x)).astype(x.dtype, copy=False)


class Chi2SF(_Binary):
    """Survival function of the chi-squared distribution, ``chi2sf(x, k)``."""

    nfunc_spec = ("scipy.special.chdtrc", 2, 1)

    def _compute(self, x: Any, k: Any) -> Any:
        return _special("chdtrc")(k, x)


class GammaInc(_Binary):
    """Regularized lower incomplete gamma function ``P(k, x)``."""

    nfunc_spec = ("scipy.special.gammainc", 2, 1)


class GammaIncC(_Binary):
    """Regularized upper incomplete gamma function ``Q(k, x) = 1 - P(k, x)``."""

    nfunc_spec = ("scipy.special.gammaincc", 2, 1)


class GammaIncInv(_Binary):
    """Inverse of ``gammainc`` in its second argument."""

    nfunc_spec = ("scipy.special.gammaincinv", 2, 1)


class GammaIncCInv(_Binary):
    """Inverse of ``gammaincc`` in its second argument."""

    nfunc_spec = ("scipy.special.gammainccinv", 2, 1)


class GammaU(_Binary):
    """Upper incomplete gamma function ``Gamma(k) * Q(k, x)`` (not regularized)."""

    def _compute(self, k: Any, x: Any) -> Any:
        return _special("gammaincc")(k, x) * _special("gamma")(k)


class GammaL(_Binary):
    """Lower incomplete gamma function ``Gamma(k) * P(k, x)`` (not regularized)."""

    def _compute(self, k: Any, x: Any) -> Any:
        return _special("gammainc")(k, x) * _special("gamma")(k)


# -- Bessel functions -----------------------------------------------------------------
class J0(_Unary):
    """Bessel function of the first kind of order 0."""

    nfunc_spec = ("scipy.special.j0", 1, 1)


class J1(_Unary):
    """Bessel function of the first kind of order 1."""

    nfunc_spec = ("scipy.special.j1", 1, 1)


class Jv(_Binary):
    """Bessel function of the first kind of real order ``v``."""

    nfunc_spec = ("scipy.special.jv", 2, 1)


class I0(_Unary):
    """Modified Bessel function of the first kind of order 0."""

    nfunc_spec = ("scipy.special.i0", 1, 1)


class I1(_Unary):
    """Modified Bessel function of the first kind of order 1."""

    nfunc_spec = ("scipy.special.i1", 1, 1)


class Iv(_Binary):
    """Modified Bessel function of the first kind of real order ``v``."""

    nfunc_spec = ("scipy.special.iv", 2, 1)


class Ive(_Binary):
    """Exponentially scaled modified Bessel function of the first kind, ``iv(v, x) * exp(-abs(real(x)))``."""

    nfunc_spec = ("scipy.special.ive", 2, 1)


class Kv(_Binary):
    """Modified Bessel function of the second kind of real order ``v``."""

    nfunc_spec = ("scipy.special.kv", 2, 1)


class Kve(_Binary):
    """Exponentially scaled modified Bessel function of the second kind, ``kv(v, x) * exp(x)``."""

    nfunc_spec = ("scipy.special.kve", 2, 1)


# -- logistic family and friends ------------------------------------------------------------
class Sigmoid(_Unary):
    """Logistic sigmoid ``1 / (1 + exp(-x))`` (expit), without overflow for any x."""

    nfunc_spec = ("scipy.special.expit", 1, 1)


class Softplus(_Unary):
    """``log(1 + exp(x))`` (log1pexp), accurate and without overflow for any x.

    Computed as ``max(x, 0) + log1p(exp(-abs(x)))`` (NumPy's ``logaddexp(0, x)``).
    """

    def _compute(self, x: Any) -> Any:
        return np.logaddexp(np.zeros((), dtype=x.dtype), x)


class Log1mexp(_Unary):
    """``log(1 - exp(x))`` for x <= 0, accurate over the whole range.

    Uses ``log(-expm1(x))`` near zero (x > -log 2) and ``log1p(-exp(x))``
    below, following Maechler (2012), "Accurately computing log(1 - exp(-|a|))".
    Positive x gives NaN and 0 gives -inf. For complex x the branch follows
    the real part.
    """

    def _compute(self, x: Any) -> Any:
        near_zero = np.real(x) > -np.log(2.0)
        return np.where(near_zero, np.log(-np.expm1(x)), np.log1p(-np.exp(x)))


class XlogX(_Unary):
    """``x * log(x)``, with the limit value 0 at x = 0."""

    def _compute(self, x: Any) -> Any:
        return np.where(x == 0, np.zeros((), dtype=x.dtype), x * np.log(x))


class XlogY0(_Binary):
    """``x * log(y)``, defined as 0 wherever x = 0 (whatever y is)."""

    def _compute(self, x: Any, y: Any) -> Any:
        res = x * np.log(y)
        return np.where(x == 0, np.zeros((), dtype=res.dtype), res)


# -- incomplete beta and hypergeometric ------------------------------------------------------
class BetaInc(_ArrayFunctionOp):
    """Regularized incomplete beta function ``I_x(a, b)``."""

    nin = 3
    nfunc_spec = ("scipy.special.betainc", 3, 1)


class BetaIncInv(_ArrayFunctionOp):
    """Inverse of ``betainc`` in ``x``: the x with ``betainc(a, b, x) == y``."""

    nin = 3
    nfunc_spec = ("scipy.special.betaincinv", 3, 1)


class Hyp2F1(_ArrayFunctionOp):
    """Gaussian hypergeometric function ``2F1(a, b; c; z)``."""

    nin = 4
    nfunc_spec = ("scipy.special.hyp2f1", 4, 1)


# Only log1mexp and xlogx accept complex numbers; SciPy has no complex version of
# most special functions (or only in some arguments), so the others refuse
# complex inputs when the graph is built rather than when it runs.
_no_complex = upgrade_to_float_no_complex

erf = Erf(_no_complex, name="erf")
erfc = Erfc(_no_complex, name="erfc")
erfcx = Erfcx(_no_complex, name="erfcx")
erfinv = Erfinv(_no_complex, name="erfinv")
erfcinv = Erfcinv(_no_complex, name="erfcinv")
owens_t = Owens_t(_no_complex, name="owens_t")
gamma = Gamma(_no_complex, name="gamma")
gammaln = GammaLn(_no_complex, name="gammaln")
psi = Psi(_no_complex, name="psi")
tri_gamma = TriGamma(_no_complex, name="tri_gamma")
polygamma = PolyGamma(_polygamma_rule, name="polygamma")
chi2sf = Chi2SF(_no_complex, name="chi2sf")
gammainc = GammaInc(_no_complex, name="gammainc")
gammaincc = GammaIncC(_no_complex, name="gammaincc")
gammaincinv = GammaIncInv(_no_complex, name="gammaincinv")
gammainccinv = GammaIncCInv(_no_complex, name="gammainccinv")
gammau = GammaU(_no_complex, name="gammau")
gammal = GammaL(_no_complex, name="gammal")
j0 = J0(_no_complex, name="j0")
j1 = J1(_no_complex, name="j1")
jv = Jv(_no_complex, name="jv")
i0 = I0(_no_complex, name="i0")
i1 = I1(_no_complex, name="i1")
iv = Iv(_no_complex, name="iv")
ive = Ive(_no_complex, name="ive")
kv = Kv(_no_complex, name="kv")
kve = Kve(_no_complex, name="kve")
sigmoid = Sigmoid(_no_complex, name="sigmoid")
softplus = Softplus(_no_complex, name="softplus")
log1mexp = Log1mexp(upgrade_to_float, name="log1mexp")
xlogx = XlogX(upgrade_to_float, name="xlogx")
xlogy0 = XlogY0(_no_complex, name="xlogy0")
betainc = BetaInc(_no_complex, name="betainc")
betaincinv = BetaIncInv(_no_complex, name="betaincinv")
hyp2f1 = Hyp2F1(_no_complex, name="hyp2f1")


from pytensor.scalar._derivatives import SPECIAL, attach_derivatives  # noqa: E402

attach_derivatives(globals(), SPECIAL)
