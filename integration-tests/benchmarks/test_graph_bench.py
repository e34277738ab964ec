"""Graph-layer benchmarks: construction, toposort and clone of chain and tree graphs
of 1k, 10k and 100k nodes (time per node should stay flat: linear growth), and the
call overhead of a compiled one-node function against a plain Python call.

Run with ``nox -s bench`` or ``pytest integration-tests/benchmarks/test_graph_bench.py``;
``python integration-tests/benchmarks/test_graph_bench.py`` prints the ratio table.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _graph_toys import add, chain, fscalar, tree  # noqa: E402

from pytensor.compile.function import function  # noqa: E402
from pytensor.compile.mode import Mode  # noqa: E402
from pytensor.graph.basic import clone_get_equiv  # noqa: E402
from pytensor.graph.traversal import io_toposort  # noqa: E402

SIZES = [1_000, 10_000, 100_000]
SHAPES = {"chain": chain, "tree": tree}


def _inputs(shape: str, built: tuple) -> list:
    return [built[0]] if shape == "chain" else built[0]


@pytest.mark.benchmark(group="graph-construct")
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("shape", SHAPES)
def test_construct(benchmark, shape: str, n: int) -> None:
    benchmark.extra_info["nodes"] = n
    _, out = benchmark.pedantic(SHAPES[shape], args=(n,), rounds=3, iterations=1)
    assert out.owner is not None


@pytest.mark.benchmark(group="graph-toposort")
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("shape", SHAPES)
def test_toposort(benchmark, shape: str, n: int) -> None:
    built = SHAPES[shape](n)
    benchmark.extra_info["nodes"] = n
    order = benchmark.pedantic(
        io_toposort, args=(_inputs(shape, built), [built[1]]), rounds=3, iterations=1
    )
    assert len(order) == n


@pytest.mark.benchmark(group="graph-clone")
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("shape", SHAPES)
def test_clone(benchmark, shape: str, n: int) -> None:
    built = SHAPES[shape](n)
    benchmark.extra_info["nodes"] = n
    equiv = benchmark.pedantic(
        clone_get_equiv, args=(_inputs(shape, built), [built[1]]), rounds=3, iterations=1
    )
    assert equiv[built[1]] is not built[1]


def _plain(a: float, b: float) -> float:
    return a + b


_filter = fscalar.filter


def _plain_checked(a: float, b: float) -> float:
    """The same work with the same input checks a compiled function does."""
    return _filter(a, False, None) + _filter(b, False, None)


@pytest.mark.benchmark(group="call-overhead")
def test_call_plain_python(benchmark) -> None:
    assert benchmark(_plain, 1.0, 2.0) == 3.0


@pytest.mark.benchmark(group="call-overhead")
def test_call_plain_python_checked(benchmark) -> None:
    assert benchmark(_plain_checked, 1.0, 2.0) == 3.0


@pytest.mark.benchmark(group="call-overhead")
@pytest.mark.parametrize("trust_input", [False, True])
def test_call_compiled_one_node(benchmark, trust_input: bool) -> None:
    x, y = fscalar("x"), fscalar("y")
    f = function([x, y], add(x, y), mode=Mode(linker="py", optimizer=None), trust_input=trust_input)
    assert benchmark(f, 1.0, 2.0) == 3.0


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def report() -> None:
    """Print per-node times and the 100k/1k ratio (1.0 means perfectly linear)."""
    print(
        f"{'operation':<22}{'1k us/node':>12}{'10k us/node':>13}{'100k us/node':>14}{'ratio 100k/1k':>15}"
    )
    for shape, build in SHAPES.items():
        rows: dict[str, list[float]] = {"construct": [], "toposort": [], "clone": []}
        for n in SIZES:
            rows["construct"].append(_best(lambda n=n, build=build: build(n)) / n * 1e6)
            built = build(n)
            ins, out = _inputs(shape, built), built[1]
            rows["toposort"].append(_best(lambda i=ins, o=out: io_toposort(i, [o])) / n * 1e6)
            rows["clone"].append(_best(lambda i=ins, o=out: clone_get_equiv(i, [o])) / n * 1e6)
        for op, per in rows.items():
            print(
                f"{shape + ' ' + op:<22}{per[0]:>12.3f}{per[1]:>13.3f}{per[2]:>14.3f}{per[2] / per[0]:>15.2f}"
            )
    x, y = fscalar("x"), fscalar("y")
    n_calls = 200_000
    for trust in (False, True):
        f = function([x, y], add(x, y), mode=Mode(linker="py", optimizer=None), trust_input=trust)
        t_f = _best(lambda f=f: [f(1.0, 2.0) for _ in range(n_calls)]) / n_calls
        t_p = _best(lambda: [_plain(1.0, 2.0) for _ in range(n_calls)]) / n_calls
        t_c = _best(lambda: [_plain_checked(1.0, 2.0) for _ in range(n_calls)]) / n_calls
        print(
            f"call overhead (trust_input={trust}): compiled {t_f * 1e9:.0f} ns; plain Python "
            f"{t_p * 1e9:.0f} ns (ratio {t_f / t_p:.1f}x); plain Python with the same input checks "
            f"{t_c * 1e9:.0f} ns (ratio {t_f / t_c:.1f}x)"
        )


if __name__ == "__main__":
    report()
