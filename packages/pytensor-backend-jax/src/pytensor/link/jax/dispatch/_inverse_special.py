"""Inverses of the regularized incomplete gamma and beta functions in ``jnp`` (JAX has none)
(layer: pytensor-backend-jax).

Each solves ``f(x) = target`` for a monotone ``f`` by Newton steps safeguarded by bisection:
a bracket ``[lo, hi]`` always holds the root, and a Newton step that leaves it is replaced
by the midpoint, so every iteration makes progress and the fixed iteration count reaches
float64 precision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.special as jss

__all__ = ["betaincinv", "gammainccinv", "gammaincinv"]

_ITERATIONS = 100


def _solve(
    f: Callable[[Any], Any],
    slope: Callable[[Any], Any],
    target: Any,
    lo: Any,
    hi: Any,
    increasing: bool,
) -> Any:
    def step(_: Any, state: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
        x, lo, hi = state
        gap = f(x) - target
        below = gap < 0 if increasing else gap > 0
        lo = jnp.where(below, x, lo)
        hi = jnp.where(below, hi, x)
        newton = x - gap / slope(x)
        ok = jnp.isfinite(newton) & (newton > lo) & (newton < hi)
        # Bisect geometrically while the bracket spans orders of magnitude (tiny roots).
        wide = (lo <= 0) | (hi > 4 * lo)
        mid = jnp.where(wide, jnp.where(lo > 0, jnp.sqrt(lo * hi), hi * 2.0**-20), 0.5 * (lo + hi))
        return jnp.where(ok, newton, mid), lo, hi

    x0 = 0.5 * (lo + hi)
    x, _, _ = jax.lax.fori_loop(0, _ITERATIONS, step, (x0, lo, hi))
    return x


def _gamma_upper_bound(a: Any, inside: Callable[[Any], Any]) -> Any:
    """A point past the root: doubling from ``a + 1`` until ``inside(hi)`` is False."""

    def grow(_: Any, hi: Any) -> Any:
        return jnp.where(inside(hi), 2 * hi, hi)

    return jax.lax.fori_loop(0, 64, grow, a + 1.0)


def _gamma_density(a: Any, x: Any) -> Any:
    return jnp.exp((a - 1) * jnp.log(x) - x - jss.gammaln(a))


def _float(*values: Any) -> list[Any]:
    xs = jnp.broadcast_arrays(*[jnp.asarray(x) for x in values])
    dtype = jnp.result_type(*xs)
    if not jnp.issubdtype(dtype, jnp.inexact):
        dtype = jnp.dtype("float64")
    return [x.astype(dtype) for x in xs]


def _gamma_root(a: Any, p: Any, q: Any) -> Any:
    """``x`` with ``gammainc(a, x) = p``, equivalently ``gammaincc(a, x) = q``: solved with
    the function whose target is the smaller one, so tail values keep their precision."""
    upper = q < p
    target = jnp.where(upper, -q, p)

    def f(x: Any) -> Any:  # increasing in x in both branches
        return jnp.where(upper, -jss.gammaincc(a, x), jss.gammainc(a, x))

    def slope(x: Any) -> Any:
        return _gamma_density(a, x)

    hi = _gamma_upper_bound(a, lambda h: f(h) < target)
    return _solve(f, slope, target, jnp.zeros_like(a), hi, increasing=True)


def gammaincinv(a: Any, p: Any) -> Any:
    """``x`` with ``gammainc(a, x) = p``."""
    a, p = _float(a, p)
    x = _gamma_root(a, p, 1 - p)
    x = jnp.where(p == 0, 0.0, jnp.where(p == 1, jnp.inf, x))
    return jnp.where((p < 0) | (p > 1) | (a <= 0), jnp.nan, x)


def gammainccinv(a: Any, q: Any) -> Any:
    """``x`` with ``gammaincc(a, x) = q``."""
    a, q = _float(a, q)
    x = _gamma_root(a, 1 - q, q)
    x = jnp.where(q == 1, 0.0, jnp.where(q == 0, jnp.inf, x))
    return jnp.where((q < 0) | (q > 1) | (a <= 0), jnp.nan, x)


def betaincinv(a: Any, b: Any, p: Any) -> Any:
    """``x`` in [0, 1] with ``betainc(a, b, x) = p``."""
    a, b, p = _float(a, b, p)
    # For p > 0.5 solve the mirrored problem betainc(b, a, y) = 1 - p, x = 1 - y (exact
    # subtraction), so that x near 1 keeps its precision.
    upper = p > 0.5
    a1, b1 = jnp.where(upper, b, a), jnp.where(upper, a, b)
    target = jnp.where(upper, 1 - p, p)

    def density(y: Any) -> Any:
        return jnp.exp((a1 - 1) * jnp.log(y) + (b1 - 1) * jnp.log1p(-y) - jss.betaln(a1, b1))

    y = _solve(
        lambda y: jss.betainc(a1, b1, y),
        density,
        target,
        jnp.zeros_like(p),
        jnp.ones_like(p),
        increasing=True,
    )
    x = jnp.where(upper, 1 - y, y)
    x = jnp.where(p == 0, 0.0, jnp.where(p == 1, 1.0, x))
    return jnp.where((p < 0) | (p > 1) | (a <= 0) | (b <= 0), jnp.nan, x)
