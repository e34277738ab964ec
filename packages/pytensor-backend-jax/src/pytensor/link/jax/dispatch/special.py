"""JAX implementations of the special functions of ``pytensor.scalar.math``
(layer: pytensor-backend-jax).

Where ``jax.scipy.special`` has the function it is used; a few are written with ``jnp``
(the inverses of the regularized incomplete gamma and beta functions are in
``_inverse_special``). The Bessel functions of real order, which JAX lacks, call SciPy on
the host through ``jax.pure_callback``: correct under ``jit`` and ``vmap``, not
differentiable by JAX, and reported as ``"perform"`` in the coverage table (see
``HOST_FUNCTIONS``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import jax
import jax.numpy as jnp
import jax.scipy.special as jss
import pytensor.scalar.math as psm
from pytensor.link.jax.dispatch import _inverse_special

__all__ = ["HOST_FUNCTIONS", "SPECIAL_FUNCTIONS"]


def _host(name: str) -> Callable[..., Any]:
    """SciPy's ``name`` called on the host, elementwise, from traced code."""

    def call(*values: Any) -> Any:
        import scipy.special as sp  # type: ignore[import-untyped]

        broadcast = jnp.broadcast_arrays(*values)
        dtype = jnp.result_type(*broadcast)
        if not jnp.issubdtype(dtype, jnp.inexact):
            dtype = jnp.float64
        xs = [x.astype(dtype) for x in broadcast]
        out = jax.ShapeDtypeStruct(xs[0].shape, dtype)  # type: ignore[no-untyped-call]
        fn = getattr(sp, name)

        def on_host(*vals: Any) -> np.ndarray:
            return np.asarray(fn(*vals), dtype=dtype)

        return jax.pure_callback(on_host, out, *xs, vmap_method="broadcast_all")

    call.__name__ = f"host_{name}"
    return call


def _erfcinv(x: Any) -> Any:
    return -jss.ndtri(x / 2) / np.sqrt(2.0)


def _trigamma(x: Any) -> Any:
    return jss.polygamma(1, x)


def _polygamma(n: Any, x: Any) -> Any:
    dtype = jnp.result_type(x, jnp.float32) if jnp.issubdtype(x.dtype, jnp.inexact) else "float64"
    return jss.polygamma(jnp.asarray(n).astype("int64"), jnp.asarray(x).astype(dtype))


def _chi2sf(x: Any, k: Any) -> Any:
    return jss.gammaincc(k / 2, x / 2)


def _gammau(k: Any, x: Any) -> Any:
    return jss.gammaincc(k, x) * jss.gamma(k)


def _gammal(k: Any, x: Any) -> Any:
    return jss.gammainc(k, x) * jss.gamma(k)


def _bessel_j01(x: Any) -> Any:
    """(J0(x), J1(x)) from JAX's recurrence, which is NaN at 0 (where they are 1 and 0)."""
    x = jnp.asarray(x)
    dtype = x.dtype if jnp.issubdtype(x.dtype, jnp.inexact) else jnp.dtype("float64")
    # JAX's recurrence fails (NaN) in float32: compute in float64.
    x = x.astype("float64")
    zero = x == 0
    j = jss.bessel_jn(jnp.where(zero, 1.0, x), v=1)
    return jnp.where(zero, 1.0, j[0]).astype(dtype), jnp.where(zero, 0.0, j[1]).astype(dtype)


def _j0(x: Any) -> Any:
    return _bessel_j01(x)[0]


def _j1(x: Any) -> Any:
    return _bessel_j01(x)[1]


#: Functions computed by SciPy on the host (no JAX implementation).
HOST_FUNCTIONS: dict[type, Callable[..., Any]] = {
    psm.Jv: _host("jv"),
    psm.Iv: _host("iv"),
    psm.Ive: _host("ive"),
    psm.Kv: _host("kv"),
    psm.Kve: _host("kve"),
}

SPECIAL_FUNCTIONS: dict[type, Callable[..., Any]] = {
    psm.Erf: jss.erf,
    psm.Erfc: jss.erfc,
    psm.Erfcx: jss.erfcx,
    psm.Erfinv: jss.erfinv,
    psm.Erfcinv: _erfcinv,
    psm.Owens_t: jss.owens_t,
    psm.Gamma: jss.gamma,
    psm.GammaLn: jss.gammaln,
    psm.Psi: jss.digamma,
    psm.TriGamma: _trigamma,
    psm.PolyGamma: _polygamma,
    psm.Chi2SF: _chi2sf,
    psm.GammaInc: jss.gammainc,
    psm.GammaIncC: jss.gammaincc,
    psm.GammaU: _gammau,
    psm.GammaL: _gammal,
    psm.I0: jss.i0,
    psm.J0: _j0,
    psm.J1: _j1,
    psm.Hyp2F1: jss.hyp2f1,
    psm.I1: jss.i1,
    psm.Sigmoid: jss.expit,
    psm.BetaInc: jss.betainc,
    psm.GammaIncInv: _inverse_special.gammaincinv,
    psm.GammaIncCInv: _inverse_special.gammainccinv,
    psm.BetaIncInv: _inverse_special.betaincinv,
    **HOST_FUNCTIONS,
}
