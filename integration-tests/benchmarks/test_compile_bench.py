"""Compile-time benchmarks of the tensor rewrites: how long FAST_RUN takes to rewrite and link
(a) the logp and gradient of a PyMC-like hierarchical model and (b) a sum of 100 different
elementwise terms of 5 inputs.

Run with ``nox -s bench`` or ``pytest integration-tests/benchmarks/test_compile_bench.py``;
``python integration-tests/benchmarks/test_compile_bench.py`` prints the table, and with
``--profile`` the functions that dominate the rewrite phase (cProfile).
The benchmarks report timings; they only assert that the compiled results are right.
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import pytensor
import pytensor.tensor as pt
from pytensor.compile.mode import Mode, get_default_mode
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.traversal import io_toposort

LOG_2PI = float(np.log(2 * np.pi))
N_GROUPS, N_OBS, N_PREDICTORS = 8, 40, 3


def _normal_logp(value: Any, mu: Any, sigma: Any) -> Any:
    """PyMC's Normal logp, with its parameter check written as a switch."""
    z = (value - mu) / sigma
    logp = -0.5 * z**2 - pt.log(sigma) - 0.5 * LOG_2PI
    return pt.switch(pt.gt(sigma, 0), logp, -np.inf)


def _halfnormal_logp_log(log_value: Any, sigma: float) -> Any:
    """HalfNormal(sigma) logp of ``exp(log_value)`` plus the log-Jacobian of the exp transform."""
    value = pt.exp(log_value)
    logp = 0.5 * np.log(2.0 / np.pi) - np.log(sigma) - 0.5 * (value / sigma) ** 2
    return pt.switch(pt.ge(value, 0), logp, -np.inf) + log_value


def hierarchical_model() -> tuple[list[Any], list[Any], list[np.ndarray]]:
    """Logp and gradient of a hierarchical regression, as PyMC would build them.

    mu ~ Normal(0, 5); tau ~ HalfNormal(2.5); theta_g ~ Normal(mu, tau) for 8 groups;
    beta_k ~ Normal(0, 1); sigma ~ HalfNormal(1);
    y_i ~ Normal(theta[g_i] + X_i @ beta, sigma) with every group's slice written out
    (the way PyMC models with per-group likelihoods look).
    """
    mu, log_tau, log_sigma = pt.dscalar("mu"), pt.dscalar("log_tau"), pt.dscalar("log_sigma")
    theta, beta = pt.dvector("theta"), pt.dvector("beta")
    params = [mu, log_tau, theta, beta, log_sigma]
    rng = np.random.default_rng(42)
    x_data = rng.normal(size=(N_OBS, N_PREDICTORS))
    groups = np.arange(N_OBS) % N_GROUPS
    y_data = rng.normal(size=N_OBS) + groups * 0.3
    tau, sigma = pt.exp(log_tau), pt.exp(log_sigma)
    terms = [
        _normal_logp(mu, 0.0, 5.0),
        _halfnormal_logp_log(log_tau, 2.5),
        _normal_logp(theta, mu, tau).sum(),
        _normal_logp(beta, 0.0, 1.0).sum(),
        _halfnormal_logp_log(log_sigma, 1.0),
    ]
    for g in range(N_GROUPS):
        rows = groups == g
        eta = theta[g] + pt.dot(pt.constant(x_data[rows]), beta)
        terms.append(_normal_logp(pt.constant(y_data[rows]), eta, sigma).sum())
    logp = pt.add(*terms)
    grads = pytensor.grad(logp, params)
    values = [
        np.array(0.3),
        np.array(-0.2),
        rng.normal(size=N_GROUPS),
        rng.normal(size=N_PREDICTORS),
        np.array(0.1),
    ]
    return params, [logp, *grads], values


def elemwise_sum() -> tuple[list[Any], list[Any], list[np.ndarray]]:
    """A sum of 100 different elementwise terms of 5 vectors."""
    xs = [pt.dvector(f"x{i}") for i in range(5)]
    unary: list[Callable[[Any], Any]] = [pt.exp, pt.sin, pt.cos, pt.tanh, pt.sigmoid, pt.sqr]
    terms = []
    for k in range(100):
        a, b, c = xs[k % 5], xs[(k + 1) % 5], xs[(k + 3) % 5]
        f = unary[k % len(unary)]
        terms.append(f(a * (0.01 * (k + 1)) + b) * c - (k + 1) * 0.001 * b)
    out = pt.add(*terms)
    rng = np.random.default_rng(0)
    return xs, [out], [rng.normal(size=50) for _ in xs]


GRAPHS: dict[str, Callable[[], tuple[list[Any], list[Any], list[np.ndarray]]]] = {
    "hierarchical logp+grad": hierarchical_model,
    "sum of 100 elemwise terms": elemwise_sum,
}


def count_nodes(outputs: list[Any]) -> int:
    return len(io_toposort([], outputs))


def compile_once(name: str, mode: Mode | None = None) -> dict[str, Any]:
    """Build the graph, compile it and return the timings and node counts."""
    inputs, outputs, _ = GRAPHS[name]()
    gc.collect()
    t0 = time.perf_counter()
    f = pytensor.function(inputs, outputs, mode=mode)
    total = time.perf_counter() - t0
    return {
        "function": f,
        "nodes_in": count_nodes(outputs),
        "nodes_out": len(f.maker.fgraph.apply_nodes),
        "rewrite": f.maker.rewrite_time,
        "link": f.maker.linker_time,
        "total": total,
    }


def check_against_unrewritten(name: str, f: Any) -> None:
    inputs, outputs, values = GRAPHS[name]()
    reference = pytensor.function(inputs, outputs, mode=Mode(linker="py", optimizer=None))
    for got, want in zip(f(*values), reference(*values), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


@pytest.mark.benchmark(group="compile-fast-run")
@pytest.mark.parametrize("name", list(GRAPHS))
def test_compile_time(benchmark, name: str) -> None:
    runs: list[dict[str, Any]] = []

    def compile_and_record() -> None:
        runs.append(compile_once(name))

    benchmark.pedantic(compile_and_record, rounds=3, iterations=1, warmup_rounds=1)
    best = min(runs, key=lambda r: r["total"])
    benchmark.extra_info.update(
        {k: best[k] for k in ("nodes_in", "nodes_out", "rewrite", "link", "total")}
    )
    benchmark.extra_info["rewrite_share"] = best["rewrite"] / best["total"]
    benchmark.extra_info["backend"] = best["function"].maker.linker.name
    check_against_unrewritten(name, best["function"])


def table(rounds: int = 3) -> str:
    """Best-of-``rounds`` compile timings of each graph in the default mode."""
    mode = get_default_mode()
    lines = [
        f"mode: {mode} on {mode.backend.name}",
        f"{'graph':<28}{'nodes':>7}{'-> after':>9}{'rewrite s':>11}{'link s':>9}"
        f"{'total s':>9}{'rewrite %':>11}",
    ]
    for name in GRAPHS:
        best = min((compile_once(name) for _ in range(rounds)), key=lambda r: r["total"])
        lines.append(
            f"{name:<28}{best['nodes_in']:>7}{best['nodes_out']:>9}{best['rewrite']:>11.3f}"
            f"{best['link']:>9.3f}{best['total']:>9.3f}{100 * best['rewrite'] / best['total']:>10.0f}%"
        )
    return "\n".join(lines)


def profile_rewrites(name: str, top: int = 25) -> str:
    """cProfile of the rewrite phase alone (the default mode's rewriter on a fresh graph)."""
    inputs, outputs, _ = GRAPHS[name]()
    fgraph = FunctionGraph(inputs, outputs, clone=True)
    rewriter = get_default_mode().optimizer
    prof = cProfile.Profile()
    prof.enable()
    rewriter.rewrite(fgraph)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


if __name__ == "__main__":
    print(table())
    if "--profile" in sys.argv:
        for graph in GRAPHS:
            print(f"\n=== rewrite phase of {graph} ===")
            print(profile_rewrites(graph))
