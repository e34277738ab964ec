"""The work measured by test_backend_bench.py, as PyTensor graphs and as hand-written references.

Each benchmark graph has a NumPy reference written by hand (the same math, no
PyTensor), and the regression also has hand-written Numba and
``jax.jit(jax.value_and_grad(...))`` versions. Numba and JAX are imported only
inside the functions that need them, so this module imports without them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "BACKENDS",
    "CHAIN_SIZE",
    "K",
    "N",
    "backend_available",
    "chain_graph",
    "chain_numpy",
    "chain_values",
    "long_graph",
    "long_numpy",
    "long_values",
    "make_mode",
    "regression_data",
    "regression_graph",
    "regression_jax",
    "regression_numba",
    "regression_numpy",
    "regression_values",
]

#: The backends compared, in report order.
BACKENDS = ("numba", "c", "jax", "py")
N, K = 10_000, 10
CHAIN_SIZE = 10_000_000
LONG_NODES = 500
LOG_2PI = math.log(2 * math.pi)


def backend_available(name: str) -> tuple[bool, str]:
    """Whether the backend ``name`` is installed and usable here, and if not, why."""
    from pytensor.link import registry

    status = registry.backend_status()
    if name not in status:
        return False, f"backend {name!r} is not installed (installed: {sorted(status)})"
    ok, reason = status[name]
    return ok, reason or ""


def make_mode(name: str) -> Any:
    """The default rewrites (``fast_run``, with the backend's tags) on backend ``name``."""
    from pytensor.compile.mode import Mode

    return Mode(linker=name, optimizer="fast_run")


# ---------------------------------------------------------------------------
# Linear regression: y ~ Normal(X @ beta + a, exp(log_sigma)); logp and its gradient
# ---------------------------------------------------------------------------
def regression_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, K))
    y = x @ rng.normal(size=K) + 0.5 + rng.normal(scale=0.7, size=N)
    return x, y


def regression_values() -> list[Any]:
    """(beta, a, log_sigma) away from the optimum, so every gradient entry is nonzero."""
    return [np.linspace(-0.5, 0.5, K), np.array(0.1), np.array(-0.2)]


def regression_graph() -> tuple[list[Any], list[Any]]:
    """Inputs (beta, a, log_sigma) and outputs [logp, dlogp/dbeta, dlogp/da, dlogp/dlog_sigma].

    The data are constants, as PyMC builds observed values into the graph.
    """
    import pytensor.tensor as pt
    from pytensor.gradient import grad

    x, y = regression_data()
    beta, a, log_sigma = pt.dvector("beta"), pt.dscalar("a"), pt.dscalar("log_sigma")
    sigma = pt.exp(log_sigma)
    mu = pt.dot(pt.constant(x), beta) + a
    z = (pt.constant(y) - mu) / sigma
    logp = (-0.5 * z**2 - log_sigma - 0.5 * LOG_2PI).sum()
    params = [beta, a, log_sigma]
    return params, [logp, *grad(logp, params)]


def regression_numpy(x: np.ndarray, y: np.ndarray) -> Callable[..., tuple[Any, ...]]:
    """Hand-written NumPy: the logp and the analytic gradient, one pass each."""
    n = x.shape[0]

    def logp_grad(beta: np.ndarray, a: Any, log_sigma: Any) -> tuple[Any, ...]:
        inv_sigma = np.exp(-log_sigma)
        r = (y - (x @ beta + a)) * inv_sigma
        rr = r @ r
        rs = r * inv_sigma
        logp = -0.5 * rr - n * log_sigma - 0.5 * n * LOG_2PI
        return logp, x.T @ rs, rs.sum(), rr - n

    return logp_grad


def regression_numba(x: np.ndarray, y: np.ndarray) -> Callable[..., tuple[Any, ...]]:
    """Hand-written Numba: one fused loop over the residuals between two BLAS products."""
    import numba

    @numba.njit(cache=False)
    def kernel(x: Any, y: Any, beta: Any, a: float, log_sigma: float) -> Any:  # pragma: no cover
        n = x.shape[0]
        inv_sigma = math.exp(-log_sigma)
        mu = x @ beta
        rs = np.empty(n)
        rr = 0.0
        srs = 0.0
        for i in range(n):
            r = (y[i] - mu[i] - a) * inv_sigma
            rr += r * r
            rs[i] = r * inv_sigma
            srs += rs[i]
        logp = -0.5 * rr - n * log_sigma - 0.5 * n * LOG_2PI
        return logp, x.T @ rs, srs, rr - n

    def logp_grad(beta: np.ndarray, a: Any, log_sigma: Any) -> tuple[Any, ...]:
        return kernel(x, y, beta, float(a), float(log_sigma))  # type: ignore[no-any-return]

    logp_grad(*regression_values())  # compile outside any timing
    return logp_grad


def regression_jax(x: np.ndarray, y: np.ndarray) -> tuple[Callable[..., Any], Any]:
    """``jax.jit(jax.value_and_grad(logp, argnums=(0, 1, 2)))`` and the x64 context to call it in.

    float64 is enabled only inside ``jax.enable_x64(True)`` (never globally).
    """
    import jax
    import jax.numpy as jnp

    def logp(beta: Any, a: Any, log_sigma: Any, x: Any, y: Any) -> Any:
        z = (y - (x @ beta + a)) / jnp.exp(log_sigma)
        return jnp.sum(-0.5 * z**2 - log_sigma - 0.5 * LOG_2PI)

    with jax.enable_x64(True):
        fn = jax.jit(jax.value_and_grad(logp, argnums=(0, 1, 2)))
        xd, yd = jax.device_put(x), jax.device_put(y)

        def logp_grad(beta: Any, a: Any, log_sigma: Any) -> Any:
            return fn(beta, a, log_sigma, xd, yd)

        jax.block_until_ready(logp_grad(*regression_values()))
    return logp_grad, jax.enable_x64


# ---------------------------------------------------------------------------
# Elementwise chain on 1e7 float64
# ---------------------------------------------------------------------------
def chain_graph() -> tuple[list[Any], Any]:
    """``exp(-(x-mu)**2/(2*s**2))*c + log1p(abs(x))`` of a vector ``x`` and scalars."""
    import pytensor.tensor as pt

    x, mu, s, c = pt.dvector("x"), pt.dscalar("mu"), pt.dscalar("s"), pt.dscalar("c")
    out = pt.exp(-((x - mu) ** 2) / (2 * s**2)) * c + pt.log1p(pt.abs(x))
    return [x, mu, s, c], out


def chain_values(size: int = CHAIN_SIZE) -> list[Any]:
    rng = np.random.default_rng(1)
    return [rng.normal(size=size), np.array(0.3), np.array(1.7), np.array(2.5)]


def chain_numpy(x: np.ndarray, mu: Any, s: Any, c: Any) -> np.ndarray:
    """What a NumPy user writes: one temporary per operation."""
    return np.exp(-((x - mu) ** 2) / (2 * s**2)) * c + np.log1p(np.abs(x))


# ---------------------------------------------------------------------------
# A 500-node elementwise graph (cold compile)
# ---------------------------------------------------------------------------
_UNARY = ("sin", "cos", "tanh", "sigmoid", "arctan")
_BINARY = ("add", "mul", "sub")


def _steps() -> list[tuple[str, str]]:
    # Each step is one unary node then one binary node with the second input.
    return [(_UNARY[k % len(_UNARY)], _BINARY[k % len(_BINARY)]) for k in range(LONG_NODES // 2)]


def long_graph() -> tuple[list[Any], Any]:
    """``LONG_NODES`` elementwise nodes of two vectors: a chain of unary and binary Ops."""
    import pytensor.tensor as pt

    x, y = pt.dvector("x"), pt.dvector("y")
    acc = x
    for unary, binary in _steps():
        acc = getattr(pt, unary)(acc)
        acc = getattr(pt, binary)(acc, y)
    return [x, y], acc


def long_numpy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    unary = {
        "sin": np.sin,
        "cos": np.cos,
        "tanh": np.tanh,
        "sigmoid": lambda v: 1.0 / (1.0 + np.exp(-v)),
        "arctan": np.arctan,
    }
    binary = {"add": np.add, "mul": np.multiply, "sub": np.subtract}
    acc = x
    for u, b in _steps():
        acc = binary[b](unary[u](acc), y)
    return acc


def long_values() -> list[np.ndarray]:
    rng = np.random.default_rng(2)
    return [rng.normal(size=1000), rng.normal(size=1000)]
