"""Rewrite-engine benchmarks: an equilibrium of twenty node rewrites with merge as cleanup,
on graphs of 1k, 10k and 100k nodes. Time per node should stay flat (linear growth).

Run with ``nox -s bench`` or ``pytest integration-tests/benchmarks/test_rewrite_bench.py``;
``python integration-tests/benchmarks/test_rewrite_bench.py`` prints the per-node table and
the 100k/1k ratio.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _rewrite_toys import build, rewrites  # noqa: E402

from pytensor.graph.fg import FunctionGraph  # noqa: E402
from pytensor.graph.rewriting.basic import EquilibriumGraphRewriter, MergeOptimizer  # noqa: E402

SIZES = [1_000, 10_000, 100_000]


def equilibrium() -> EquilibriumGraphRewriter:
    return EquilibriumGraphRewriter(
        rewrites(), ignore_newtrees=False, cleanup_rewriters=[MergeOptimizer()]
    )


def _fresh(n: int) -> tuple[tuple[FunctionGraph], dict]:
    fg = build(n)
    gc.collect()
    return (fg,), {}


@pytest.mark.benchmark(group="rewrite-equilibrium")
@pytest.mark.parametrize(
    "n", [pytest.param(s, marks=pytest.mark.slow) if s >= 100_000 else s for s in SIZES]
)
def test_equilibrium(benchmark, n: int) -> None:
    rw = equilibrium()
    nodes = len(build(n).apply_nodes)
    prof = benchmark.pedantic(
        rw.rewrite, setup=lambda: _fresh(n), rounds=1 if n >= 100_000 else 3, iterations=1
    )
    benchmark.extra_info["nodes"] = nodes
    benchmark.extra_info["replacements"] = prof.applied
    benchmark.extra_info["us_per_node"] = benchmark.stats.stats.min / nodes * 1e6
    assert prof.nodes_after < nodes
    assert not prof.notes  # reached a fixed point


@pytest.mark.benchmark(group="rewrite-merge")
@pytest.mark.parametrize(
    "n", [pytest.param(s, marks=pytest.mark.slow) if s >= 100_000 else s for s in SIZES]
)
def test_merge(benchmark, n: int) -> None:
    nodes = len(build(n).apply_nodes)
    prof = benchmark.pedantic(
        MergeOptimizer().rewrite,
        setup=lambda: _fresh(n),
        rounds=1 if n >= 100_000 else 3,
        iterations=1,
    )
    benchmark.extra_info["nodes"] = nodes
    benchmark.extra_info["us_per_node"] = benchmark.stats.stats.min / nodes * 1e6
    assert prof.nodes_after < nodes


def report() -> None:
    """Print time per node for each size and the 100k/1k ratio (1.0 means perfectly linear)."""
    print(
        f"{'operation':<24}{'1k us/node':>12}{'10k us/node':>13}{'100k us/node':>14}{'ratio 100k/1k':>15}"
    )
    rows: dict[str, list[float]] = {"equilibrium (20 + merge)": [], "merge only": []}
    for n in SIZES:
        for label, make in (
            ("equilibrium (20 + merge)", equilibrium),
            ("merge only", MergeOptimizer),
        ):
            best = float("inf")
            for _ in range(1 if n >= 100_000 else 3):
                (fg,), _ = _fresh(n)
                nodes = len(fg.apply_nodes)
                t0 = time.perf_counter()
                make().rewrite(fg)
                best = min(best, time.perf_counter() - t0)
            rows[label].append(best / nodes * 1e6)
    for label, per in rows.items():
        print(f"{label:<24}{per[0]:>12.2f}{per[1]:>13.2f}{per[2]:>14.2f}{per[2] / per[0]:>15.2f}")


if __name__ == "__main__":
    report()
