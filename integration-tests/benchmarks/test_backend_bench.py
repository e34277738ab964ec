"""Backend benchmarks: each available backend (numba, c, jax, py) against hand-written code.

- run time of a linear-regression logp and gradient (N=10,000, K=10) against
  hand-written NumPy, hand-written Numba and ``jax.jit(jax.value_and_grad(...))``;
- run time of ``exp(-(x-mu)**2/(2*s**2))*c + log1p(abs(x))`` on 1e7 float64
  against NumPy;
- call overhead of a one-node function, with and without ``trust_input``;
- cold and warm compile plus first call (a fresh process each, with an empty
  then a populated ``PYTENSOR_CACHE_DIR``) of the regression and of a 500-node
  elementwise graph, with import times reported apart.

Every figure is a ratio measured in the same run on the same machine; the
tests assert only that the results are right. Unavailable backends are
skipped with the registry's reason. Run with ``nox -s bench`` or
``pytest integration-tests/benchmarks/test_backend_bench.py`` (the compile
benchmarks are marked ``slow``); ``python integration-tests/benchmarks/test_backend_bench.py``
prints the tables (``--backends numba,c``, ``--no-compile``).
"""

from __future__ import annotations

import argparse
import atexit
import functools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import _backend_models as models  # noqa: E402
from _backend_timing import compare, run_child  # noqa: E402

from pytensor.compile.function import function  # noqa: E402

COMPILE_GRAPHS = ("regression", "long")
ONE_NODE_VALUE = np.linspace(0.0, 1.0, 8)


# ---------------------------------------------------------------------------
# What is measured (shared by the tests and the report)
# ---------------------------------------------------------------------------
@functools.cache
def _regression_refs() -> dict[str, Callable[..., Any]]:
    """Hand-written references that can run here, by name (NumPy always)."""
    x, y = models.regression_data()
    refs: dict[str, Callable[..., Any]] = {"numpy": models.regression_numpy(x, y)}
    try:
        refs["numba"] = models.regression_numba(x, y)
    except ImportError:
        pass
    try:
        jax_fn, x64 = models.regression_jax(x, y)
    except ImportError:
        pass
    else:

        def in_x64(*args: Any) -> Any:
            with x64(True):
                return _ready(jax_fn(*args))

        refs["jax"] = in_x64
    return refs


def _ready(result: Any) -> Any:
    import jax

    return jax.block_until_ready(result)


@functools.cache
def _chain_values() -> list[Any]:
    return models.chain_values()


@functools.cache
def compiled(kind: str, backend: str, trust_input: bool = False) -> Any:
    """The compiled function of ``kind`` (regression, chain, one-node) on ``backend``, once."""
    import pytensor.tensor as pt

    if kind == "regression":
        inputs, outputs = models.regression_graph()
    elif kind == "chain":
        inputs, outputs = models.chain_graph()
    else:
        x = pt.dvector("x")
        inputs, outputs = [x], pt.exp(x)
    return function(inputs, outputs, mode=models.make_mode(backend), trust_input=trust_input)


def regression_times(backend: str) -> dict[str, Any]:
    """Seconds per logp+grad call on ``backend`` and each reference, and the ratios."""
    fn = compiled("regression", backend)
    values = models.regression_values()
    check_regression(fn(*values), values)
    candidates = {backend: (fn, values)}
    candidates.update({f"ref_{k}": (f, values) for k, f in _regression_refs().items()})
    times = compare(candidates)
    out: dict[str, Any] = {"seconds": times}
    for name in _regression_refs():
        out[f"ratio_vs_{name}"] = times[backend] / times[f"ref_{name}"]
    return out


def check_regression(results: Sequence[Any], values: Sequence[Any]) -> None:
    expected = _regression_refs()["numpy"](*values)
    for got, want in zip(results, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-8)


def check_chain(result: Any, values: Sequence[Any]) -> None:
    np.testing.assert_allclose(result, models.chain_numpy(*values), rtol=1e-9, atol=1e-12)


def chain_times(backend: str) -> dict[str, Any]:
    """Seconds per call of the elementwise chain on 1e7 values, and the ratio to NumPy."""
    fn = compiled("chain", backend)
    values = _chain_values()
    check_chain(fn(*values), values)
    times = compare({backend: (fn, values), "numpy": (models.chain_numpy, values)}, rounds=3)
    return {"seconds": times, "ratio_vs_numpy": times[backend] / times["numpy"]}


def overhead_times(backend: str) -> dict[str, Any]:
    """Seconds per call of ``exp(x)`` (x of length 8), checked and with trust_input,
    and of ``np.exp`` on the same array."""
    checked, trusted = compiled("one-node", backend), compiled("one-node", backend, True)
    value = ONE_NODE_VALUE
    for f in (checked, trusted):
        np.testing.assert_allclose(f(value), np.exp(value), rtol=1e-15)
    times = compare(
        {
            "checked": (checked, [value]),
            "trust_input": (trusted, [value]),
            "numpy": (np.exp, [value]),
        }
    )
    return {"seconds": times, **{f"{k}_us": 1e6 * t for k, t in times.items()}}


def compile_times(
    backend: str, graph: str, warm_runner: Callable[..., Any] | None = None
) -> dict[str, Any]:
    """Cold (empty cache) then warm (populated cache) compile+first call, each in a new process.

    ``warm_runner(run_child, *args)`` runs the warm child (the benchmark fixture's ``pedantic``).
    """
    with tempfile.TemporaryDirectory(prefix="pytensor-bench-cache-") as tmp:
        cold = run_child(backend, graph, Path(tmp))
        cache_bytes = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
        args = (backend, graph, Path(tmp))
        warm = warm_runner(run_child, *args) if warm_runner else run_child(*args)
    for run in (cold, warm):
        assert run["max_error"] < 1e-8, f"{backend}/{graph}: wrong result ({run['max_error']})"
    return {"cold": cold, "warm": warm, "cache_bytes": cache_bytes}


# ---------------------------------------------------------------------------
# pytest-benchmark tests
# ---------------------------------------------------------------------------
@pytest.fixture(autouse=True, scope="module")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """In-process compiles cache under a temporary folder, never the user's cache."""
    old = os.environ.get("PYTENSOR_CACHE_DIR")
    os.environ["PYTENSOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("pytensor-cache"))
    yield
    if old is None:
        del os.environ["PYTENSOR_CACHE_DIR"]
    else:
        os.environ["PYTENSOR_CACHE_DIR"] = old


@pytest.fixture(params=models.BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    ok, reason = models.backend_available(request.param)
    if not ok:
        pytest.skip(f"backend {request.param!r} unavailable: {reason}")
    return str(request.param)


@pytest.mark.benchmark(group="backend-logp-grad")
def test_logp_grad_run_time(benchmark: Any, backend: str) -> None:
    result = regression_times(backend)
    benchmark.extra_info.update({k: v for k, v in result.items() if k.startswith("ratio")})
    benchmark.extra_info["seconds"] = result["seconds"]
    values = models.regression_values()
    check_regression(benchmark(compiled("regression", backend), *values), values)


@pytest.mark.benchmark(group="backend-elemwise-chain")
def test_elemwise_chain_run_time(benchmark: Any, backend: str) -> None:
    benchmark.extra_info.update(chain_times(backend))
    values = _chain_values()
    fn = compiled("chain", backend)
    check_chain(benchmark.pedantic(fn, args=tuple(values), rounds=3, iterations=1), values)


@pytest.mark.benchmark(group="backend-call-overhead")
@pytest.mark.parametrize("trust_input", [False, True], ids=["checked", "trust_input"])
def test_call_overhead(benchmark: Any, backend: str, trust_input: bool) -> None:
    result = overhead_times(backend)
    benchmark.extra_info.update({k: v for k, v in result.items() if k.endswith("_us")})
    name = "trust_input" if trust_input else "checked"
    benchmark.extra_info["ratio_vs_numpy_exp"] = (
        result["seconds"][name] / result["seconds"]["numpy"]
    )
    fn = compiled("one-node", backend, trust_input)
    np.testing.assert_allclose(benchmark(fn, ONE_NODE_VALUE), np.exp(ONE_NODE_VALUE), rtol=1e-15)


@pytest.mark.slow
@pytest.mark.benchmark(group="backend-compile")
@pytest.mark.parametrize("graph", COMPILE_GRAPHS)
def test_compile_latency(benchmark: Any, backend: str, graph: str) -> None:
    """The benchmark times the warm child process; extra_info holds the in-process phases."""

    def warm(fn: Callable[..., Any], *args: Any) -> Any:
        return benchmark.pedantic(fn, args=args, rounds=1, iterations=1)

    result = compile_times(backend, graph, warm)
    for phase in ("cold", "warm"):
        for key, value in result[phase].items():
            if key.endswith("_s") or key == "nodes":
                benchmark.extra_info[f"{phase}_{key}"] = value
    benchmark.extra_info["cache_bytes"] = result["cache_bytes"]


# ---------------------------------------------------------------------------
# `python test_backend_bench.py`: the report
# ---------------------------------------------------------------------------
def _available(names: Sequence[str]) -> list[str]:
    out = []
    for name in names:
        ok, reason = models.backend_available(name)
        if ok:
            out.append(name)
        else:
            print(f"# skipping {name}: {reason}")
    return out


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "-" if x is None else format(x, spec)


def _run_table(names: Sequence[str]) -> list[str]:
    refs = list(_regression_refs())
    lines = [
        "## logp+grad (N=10,000, K=10), time per call; chain on 1e7 float64; call overhead",
        "",
        "| backend | logp+grad µs | "
        + " | ".join(f"× {r}" for r in refs)
        + " | chain ms | × NumPy | call µs | trust_input µs |",
        "|---" * (6 + len(refs)) + "|",
    ]
    for name in names:
        row = [name]
        try:
            reg = regression_times(name)
            row += [_fmt(1e6 * reg["seconds"][name], ".0f")]
            row += [_fmt(reg[f"ratio_vs_{r}"]) for r in refs]
        except Exception as exc:  # the report goes on; the row says what failed
            row += [f"error: {type(exc).__name__}"] + ["-"] * len(refs)
        try:
            ch = chain_times(name)
            row += [_fmt(1e3 * ch["seconds"][name], ".1f"), _fmt(ch["ratio_vs_numpy"])]
        except Exception as exc:
            row += [f"error: {type(exc).__name__}", "-"]
        try:
            ov = overhead_times(name)
            row += [_fmt(ov["checked_us"]), _fmt(ov["trust_input_us"])]
        except Exception as exc:
            row += [f"error: {type(exc).__name__}", "-"]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _phases(run: dict[str, Any]) -> str:
    return f"{run['rewrite_s']:.2f}, {run['link_s']:.2f}, {run['first_call_s']:.2f}"


def _compile_table(names: Sequence[str]) -> list[str]:
    lines = [
        "## compile + first call in a new process (seconds)",
        "",
        "| backend | graph | import | plugins | dependency | cold | (rewrite, link, 1st call) "
        "| warm | (rewrite, link, 1st call) | nodes | cache |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in names:
        for graph in COMPILE_GRAPHS:
            try:
                r = compile_times(name, graph)
            except Exception as exc:
                lines.append(f"| {name} | {graph} | error: {exc.args[0] if exc.args else exc} |")
                continue
            cold, warm = r["cold"], r["warm"]
            lines.append(
                f"| {name} | {graph} | {cold['import_s']:.2f} | {cold['registry_s']:.2f} | "
                f"{cold['dependency_s']:.2f} | "
                f"{cold['compile_and_first_call_s']:.3f} | {_phases(cold)} | "
                f"{warm['compile_and_first_call_s']:.3f} | {_phases(warm)} | "
                f"{cold['nodes']} | {r['cache_bytes'] // 1024} KiB |"
            )
    return lines


def _reference_lines() -> list[str]:
    values = models.regression_values()
    refs = {k: (f, values) for k, f in _regression_refs().items()}
    times = compare(refs)
    chain = compare({"numpy": (models.chain_numpy, _chain_values())}, rounds=3)
    parts = [f"{k} {1e6 * t:.0f} µs" for k, t in times.items()]
    return [
        "references: logp+grad "
        + ", ".join(parts)
        + f"; chain NumPy {1e3 * chain['numpy']:.1f} ms",
        "",
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Backend benchmark report")
    parser.add_argument("--backends", default=",".join(models.BACKENDS))
    parser.add_argument("--no-compile", action="store_true", help="skip the subprocess part")
    args = parser.parse_args(argv)
    names = _available(args.backends.split(","))
    import datetime
    import platform

    # In-process compiles cache under a temporary folder, never the user's cache.
    cache = tempfile.mkdtemp(prefix="pytensor-bench-cache-")
    atexit.register(shutil.rmtree, cache, True)
    os.environ["PYTENSOR_CACHE_DIR"] = cache

    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"# {now}; {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}, NumPy {np.__version__}"
    )
    print("\n".join(_reference_lines()))
    print("\n".join(_run_table(names)))
    if not args.no_compile:
        print()
        print("\n".join(_compile_table(names)))


if __name__ == "__main__":
    main()
