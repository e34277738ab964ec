"""The numba impls of the linear-algebra Ops agree with their ``perform`` (NumPy/SciPy).

Each case builds one Op application, compiles its ``numba_funcify`` impl and
compares every output (values, dtype, shape) with ``perform`` on the same inputs,
including the NaN results of singular systems and the Ops' error messages.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.link.numba.dispatch import linalg as _registrations  # noqa: E402,F401
from pytensor.link.numba.dispatch.basic import (
    format_runtime_error,
    numba_funcify,
    numba_njit,
)
from pytensor.tensor import linalg as la

pytestmark = pytest.mark.numba

RNG = np.random.default_rng(42)
SQ = RNG.normal(size=(4, 4))
RHS = RNG.normal(size=(4, 2))
TALL = RNG.normal(size=(5, 3))
WIDE = RNG.normal(size=(2, 4))
SPD = SQ @ SQ.T + 4 * np.eye(4)
SQ32 = SQ.astype("float32")
CSQ = SQ + 1j * RNG.normal(size=(4, 4))
HPD = CSQ @ CSQ.conj().T + 4 * np.eye(4)


def m(name: str = "m", dtype: str = "float64") -> Any:
    return pt.matrix(name, dtype=dtype)


def v(name: str = "v", dtype: str = "float64") -> Any:
    return pt.vector(name, dtype=dtype)


def _outputs(x: Any) -> list[Any]:
    return list(x) if isinstance(x, list | tuple) else [x]


CASES: dict[str, tuple[Any, list[np.ndarray]]] = {
    "cholesky": (lambda: la.cholesky(m()), [SPD]),
    "cholesky-upper": (lambda: la.cholesky(m(), lower=False), [SPD]),
    "cholesky-not-pd-nan": (lambda: la.cholesky(m()), [SQ]),
    "cholesky-float32": (lambda: la.cholesky(m(dtype="float32")), [SPD.astype("float32")]),
    "cholesky-empty": (lambda: la.cholesky(m()), [np.zeros((0, 0))]),
    "lu": (lambda: la.lu(m()), [SQ]),
    "lu-permute_l": (lambda: la.lu(m(), permute_l=True), [SQ]),
    "lu-p_indices": (lambda: la.lu(m(), p_indices=True), [SQ]),
    "lu_factor": (lambda: la.lu_factor(m()), [SQ]),
    "lu_factor-int": (lambda: la.lu_factor(m(dtype="int64")), [np.array([[2, 1], [4, 3]])]),
    "lu_factor-singular": (lambda: la.lu_factor(m()), [np.ones((3, 3))]),
    "pivot_to_permutation": (
        lambda: la.pivot_to_permutation(v(dtype="int32"), inverse=True),
        [np.array([2, 2, 3, 3], np.int32)],
    ),
    "pivot_to_permutation-inverse": (
        lambda: la.pivot_to_permutation(v(dtype="int32")),
        [np.array([2, 2, 3, 3], np.int32)],
    ),
    "eig": (lambda: la.eig(m()), [SQ]),
    "eig-float32": (lambda: la.eig(m(dtype="float32")), [SQ32]),
    "eigh": (lambda: la.eigh(m()), [SQ]),
    "eigh-upper": (lambda: la.eigh(m(), "U"), [SQ]),
    "eigvalsh": (lambda: la.eigvalsh(m()), [SQ]),
    "eigvalsh-generalized": (lambda: la.eigvalsh(m(), m("b"), lower=False), [SQ, SPD]),
    "svd": (lambda: la.svd(m()), [TALL]),
    "svd-reduced": (lambda: la.svd(m(), full_matrices=False), [WIDE]),
    "svd-values": (lambda: la.svd(m(), compute_uv=False), [TALL]),
    "qr": (lambda: la.qr(m()), [TALL]),
    "qr-wide": (lambda: la.qr(m()), [WIDE]),
    "qr-economic": (lambda: la.qr(m(), mode="economic"), [TALL]),
    "qr-r-pivoting": (lambda: la.qr(m(), mode="r", pivoting=True), [WIDE]),
    "qr-pivoting": (lambda: la.qr(m(), pivoting=True), [TALL]),
    "solve": (lambda: la.solve(m(), m("b")), [SQ, RHS]),
    "solve-vector": (lambda: la.solve(m(), v()), [SQ, RHS[:, 0]]),
    "solve-pos": (lambda: la.solve(m(), m("b"), assume_a="pos"), [SPD, RHS]),
    "solve-sym": (lambda: la.solve(m(), m("b"), assume_a="sym", lower=True), [SQ, RHS]),
    "solve-tridiagonal": (
        lambda: la.solve(m(), v(), assume_a="tridiagonal"),
        [SQ + 5 * np.eye(4), RHS[:, 0]],
    ),
    "solve-banded": (lambda: la.solve(m(), v(), assume_a="banded"), [SQ, RHS[:, 0]]),
    "solve-singular-nan": (lambda: la.solve(m(), v()), [np.ones((2, 2)), np.ones(2)]),
    "solve-empty": (lambda: la.solve(m(), m("b")), [np.zeros((0, 0)), np.zeros((0, 2))]),
    "solve-float32": (
        lambda: la.solve(m(dtype="float32"), m("b", "float32")),
        [SQ32, RHS.astype("float32")],
    ),
    "solve_triangular": (lambda: la.solve_triangular(m(), m("b"), lower=True), [SQ, RHS]),
    "solve_triangular-trans-unit": (
        lambda: la.solve_triangular(m(), v(), trans="T", unit_diagonal=True),
        [SQ, RHS[:, 0]],
    ),
    "solve_triangular-singular-nan": (
        lambda: la.solve_triangular(m(), v()),
        [np.triu(SQ) * [[1, 1, 1, 1], [1, 0, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], RHS[:, 0]],
    ),
    "cho_solve": (
        lambda: la.cho_solve((m(), True), m("b")),
        [np.linalg.cholesky(SPD), RHS],
    ),
    "cho_solve-upper-vector": (
        lambda: la.cho_solve((m(), False), v()),
        [np.triu(SQ) + 4 * np.eye(4), RHS[:, 0]],
    ),
    "inv": (lambda: la.inv(m()), [SQ]),
    "inv-int": (lambda: la.inv(m(dtype="int64")), [np.array([[2, 1], [1, 1]])]),
    "inv-float32": (lambda: la.inv(m(dtype="float32")), [SQ32]),
    "pinv": (lambda: la.pinv(m()), [TALL]),
    "pinv-hermitian": (lambda: la.pinv(m(), hermitian=True), [SQ + SQ.T]),
    "det": (lambda: la.det(m()), [SQ]),
    "det-empty": (lambda: la.det(m()), [np.zeros((0, 0))]),
    "slogdet": (lambda: la.slogdet(m()), [SQ]),
    "slogdet-huge": (lambda: la.slogdet(m()), [np.diag([1e200, -1e200, 1e200])]),
    "expm": (lambda: la.expm(m()), [SQ * 0.5]),
    "expm-scaled": (lambda: la.expm(m()), [SQ * 3.0]),
    "complex-eig": (lambda: la.eig(m(dtype="complex128")), [CSQ]),
    "complex-eigh-upper": (lambda: la.eigh(m(dtype="complex128"), "U"), [CSQ]),
    "complex-eigvalsh-generalized": (
        lambda: la.eigvalsh(m(dtype="complex128"), m("b", "complex128")),
        [CSQ, HPD],
    ),
    "complex-qr-pivoting": (lambda: la.qr(m(dtype="complex128"), pivoting=True), [CSQ]),
    "complex-solve-her": (
        lambda: la.solve(m(dtype="complex128"), m("b", "complex128"), assume_a="her"),
        [HPD, RHS + 0j],
    ),
    "block_diag": (
        lambda: la.block_diag(m(), m("b"), m("c", "float32")),
        [SQ, RHS, np.ones((1, 3), "float32")],
    ),
}


def compiled(outputs: Any) -> tuple[Any, Any]:
    node = _outputs(outputs)[0].owner
    impl, key = numba_funcify(node.op, node)
    assert key is not None and key.startswith(type(node.op).__name__)
    return node, numba_njit(impl)


def perform(node: Any, values: list[np.ndarray]) -> list[np.ndarray]:
    storage: list[list[Any]] = [[None] for _ in node.outputs]
    node.op.perform(node, values, storage)
    return [np.asarray(s[0]) for s in storage]


@pytest.mark.parametrize("name", sorted(CASES))
def test_linalg_op_matches_perform(name: str) -> None:
    build, values = CASES[name]
    node, fn = compiled(build())
    got = fn(*values)
    got = list(got) if isinstance(got, tuple) else [got]
    expected = perform(node, values)
    assert len(got) == len(expected)
    for g, e, out in zip(got, expected, node.outputs, strict=True):
        g = np.asarray(g)
        assert g.dtype == e.dtype == np.dtype(out.type.dtype)
        assert g.shape == e.shape
        single = np.finfo(e.dtype).bits <= 32 if e.dtype.kind in "fc" else False
        rtol, atol = (1e-4, 1e-5) if single else (1e-10, 1e-12)
        np.testing.assert_allclose(g, e, rtol=rtol, atol=atol, equal_nan=True, err_msg=name)


def test_every_linalg_op_class_is_registered() -> None:
    import importlib
    import pkgutil

    from pytensor.tensor._shape_calc import ShapedOp

    package = importlib.import_module("pytensor.tensor.linalg")
    for info in pkgutil.walk_packages(package.__path__, "pytensor.tensor.linalg."):
        importlib.import_module(info.name)
    default = numba_funcify.dispatch(object)
    stack, missing = [ShapedOp], []
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("pytensor.tensor.linalg") and not cls.__name__.startswith("_"):
            if numba_funcify.dispatch(cls) is default:
                missing.append(cls.__name__)
    assert not missing


def runtime_error(fn: Any, *args: Any) -> BaseException:
    with pytest.raises(Exception) as info:  # noqa: PT011 (the type is checked below)
        fn(*args)
    return format_runtime_error(info.value) or info.value


def perform_error(node: Any, *args: Any) -> BaseException:
    with pytest.raises(Exception) as info:  # noqa: PT011
        perform(node, list(args))
    return info.value


@pytest.mark.parametrize(
    ("build", "args"),
    [
        (lambda: la.inv(m()), [np.ones((2, 3))]),
        (lambda: la.inv(m()), [np.ones((3, 3))]),
        (lambda: la.cholesky(m(), on_error="raise"), [SQ]),
        (lambda: la.solve(m(), m("b")), [SQ, np.ones((3, 2))]),
        (lambda: la.solve(m(), v()), [SQ, np.ones(3)]),
        (lambda: la.det(m()), [np.ones((2, 3))]),
        (lambda: la.pivot_to_permutation(v(dtype="int32")), [np.array([0, 5], np.int32)]),
    ],
    ids=["inv-non-square", "inv-singular", "cholesky-raise", "solve-rows", "solve-rows-vector",
         "det-non-square", "pivot-out-of-range"],
)  # fmt: skip
def test_runtime_errors_match_perform(build: Any, args: list[np.ndarray]) -> None:
    node, fn = compiled(build())
    got, expected = runtime_error(fn, *args), perform_error(node, *args)
    assert type(got) is type(expected)
    assert str(got) == str(expected)
