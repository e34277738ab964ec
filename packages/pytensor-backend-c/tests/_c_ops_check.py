"""Test helper for the tensor-Op kernels: compile a graph on the C backend (no rewrites) and on
the Python reference backend, and compare results or errors on many input values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.link.c.linker import link_info

C_MODE = Mode(linker="c", optimizer=None)
PY_MODE = Mode(linker="py", optimizer=None)


def _tol(dtype: np.dtype) -> float:
    return 1e-5 if dtype in (np.float32, np.complex64, np.float16) else 1e-12


def compile_pair(inputs: Sequence[Any], outputs: Any, native: Iterable[type] = ()) -> Any:
    """(C function, Python function); asserts nodes of the ``native`` Op classes run in C."""
    fc = function(list(inputs), outputs, mode=C_MODE, on_unused_input="ignore")
    fp = function(list(inputs), outputs, mode=PY_MODE, on_unused_input="ignore")
    native = tuple(native)
    if native:
        fallback = [n.op for n in link_info(fc.vm).fallback_nodes if isinstance(n.op, native)]
        assert not fallback, f"these nodes fell back to perform: {fallback}"
    return fc, fp


def _copy(values: Sequence[Any]) -> list[Any]:
    return [np.copy(v) if isinstance(v, np.ndarray) else v for v in values]


def _call(f: Any, values: Sequence[Any]) -> tuple[Any, BaseException | None]:
    try:
        return f(*values), None
    except Exception as exc:  # noqa: BLE001 (compared below)
        return None, exc


def assert_same(fc: Any, fp: Any, *values: Any) -> Any:
    """Run both functions on (copies of) ``values``: equal outputs (neither may raise).

    Returns the C outputs. The inputs must be left unchanged.
    """
    result = _compare(fc, fp, values)
    assert not isinstance(result, BaseException), f"both backends raised {result!r}"
    return result


def _message(exc: BaseException) -> str:
    return str(exc).split("\nRaised while computing")[0]


def assert_error(fc: Any, fp: Any, *values: Any) -> BaseException:
    """Both functions raise on ``values`` the same exception type and message; returns C's."""
    _, perr = _call(fp, _copy(values))
    result = _compare(fc, fp, values)
    assert isinstance(result, BaseException), "no error raised"
    assert perr is not None and _message(result) == _message(perr), (
        f"C says {_message(result)!r}, py says {_message(perr)!r}"
    )
    return result


def _compare(fc: Any, fp: Any, values: Sequence[Any]) -> Any:
    originals = _copy(values)
    want, perr = _call(fp, _copy(values))
    c_values = list(values)
    got, cerr = _call(fc, c_values)
    for v, o in zip(c_values, originals, strict=True):
        np.testing.assert_array_equal(v, o, err_msg="the C backend changed an input")
    if perr is not None or cerr is not None:
        assert type(perr) is type(cerr), f"py raised {perr!r}, C raised {cerr!r}"
        return cerr
    outs_w = want if isinstance(want, list) else [want]
    outs_g = got if isinstance(got, list) else [got]
    for k, (w, g) in enumerate(zip(outs_w, outs_g, strict=True)):
        w, g = np.asarray(w), np.asarray(g)
        assert g.dtype == w.dtype, f"output {k}: dtype {g.dtype}, expected {w.dtype}"
        assert g.shape == w.shape, f"output {k}: shape {g.shape}, expected {w.shape}"
        if g.dtype.kind in "fc":
            np.testing.assert_allclose(g, w, rtol=_tol(g.dtype), atol=0, equal_nan=True)
        else:
            np.testing.assert_array_equal(g, w)
    return got


def strided(a: np.ndarray) -> list[np.ndarray]:
    """``a`` as C-contiguous, Fortran, reversed and every-other-element views (same values)."""
    a = np.asarray(a)
    out = [np.ascontiguousarray(a), np.asfortranarray(a)]
    if a.ndim:
        rev = np.flip(np.flip(a).copy())
        out.append(rev)
        wide = np.repeat(a, 2, axis=-1)[..., ::2]
        out.append(wide)
    return out
