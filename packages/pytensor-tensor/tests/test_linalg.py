"""``pytensor.tensor.linalg``: import paths, signatures, dtypes, static shapes and bad input.

Values against NumPy/SciPy are in the conformance suite
(``integration-tests/conformance/cases_linalg.py``), gradients in
``_grad_cases_linalg.py`` (run by ``test_grad_ops.py``) and
``test_linalg_grad.py``, shapes in ``_shape_cases_linalg.py``.
"""

from __future__ import annotations

import importlib
import json
import pathlib
from typing import Any

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.tensor import linalg as la

PY = Mode(linker="py", optimizer=None)
MODES = [pytest.param(PY, id="py-no-rewrites"), pytest.param(None, id="default-mode")]
SURFACE = pathlib.Path("/work/shared/compat/pymc_pytensor_surface.json")


def _run(outputs: Any, inputs: list[Any], values: list[Any], mode: Any = PY) -> Any:
    return function(inputs, outputs, mode=mode)(*values)


# ---------------------------------------------------------------------------
# Import paths and names
# ---------------------------------------------------------------------------
def _linalg_names_pymc_uses() -> list[str]:
    if SURFACE.exists():
        names = json.loads(SURFACE.read_text())
        return sorted(n for n in names if n.startswith("pytensor.tensor.linalg"))
    return ["pytensor.tensor.linalg.cholesky"]


@pytest.mark.parametrize("path", _linalg_names_pymc_uses())
def test_every_name_pymc_uses_resolves_by_attribute(path: str) -> None:
    import pytensor

    obj: Any = pytensor
    importlib.import_module("pytensor.tensor.linalg")
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    assert obj is not None


def test_submodules_are_modules_and_not_shadowed_by_functions() -> None:
    import pytensor.tensor.linalg.decomposition as dec

    assert dec.cholesky.Cholesky is la.Cholesky  # type: ignore[attr-defined]
    assert dec.svd.SVD is la.SVD  # type: ignore[attr-defined]
    assert (
        importlib.import_module("pytensor.tensor.linalg.inverse").MatrixInverse is la.MatrixInverse
    )
    assert importlib.import_module(
        "pytensor.tensor.linalg.solvers.triangular"
    ).solve_triangular is (la.solve_triangular)


def test_all_lists_public_names_that_exist() -> None:
    for name in la.__all__:
        assert hasattr(la, name), name
    for name in ["cholesky", "solve", "solve_triangular", "cho_solve", "lu", "lu_factor",
                 "lu_solve", "inv", "pinv", "det", "slogdet", "eig", "eigh", "eigvalsh", "svd",
                 "qr", "expm", "kron", "block_diag", "norm", "matrix_power", "trace",
                 "diagonal", "matrix_dot"]:  # fmt: skip
        assert name in la.__all__, name


def test_trace_and_diagonal_are_the_tensor_functions() -> None:
    assert la.trace is pt.trace
    assert la.diagonal is pt.diagonal


# ---------------------------------------------------------------------------
# Ops are values
# ---------------------------------------------------------------------------
def test_ops_compare_by_their_parameters() -> None:
    assert la.Cholesky(lower=True) == la.Cholesky(lower=True)
    assert hash(la.Cholesky()) == hash(la.Cholesky(lower=True, on_error="nan"))
    assert la.Cholesky(lower=True) != la.Cholesky(lower=False)
    assert la.Cholesky(on_error="raise") != la.Cholesky(on_error="nan")
    assert la.Solve(assume_a="positive definite", b_ndim=1) == la.Solve(assume_a="pos", b_ndim=1)
    assert la.SolveTriangular(lower=True, b_ndim=2) != la.SolveTriangular(lower=False, b_ndim=2)
    x = pt.matrix("x")
    assert la.cholesky(x).owner.op == la.cholesky(x).owner.op
    assert isinstance(la.solve(x, x).owner.op, la.SolveBase)
    assert isinstance(la.cho_solve((x, True), x).owner.op, la.SolveBase)


def test_solve_rewrites_special_structures_into_cheaper_graphs() -> None:
    a, b = pt.matrix("a"), pt.vector("b")
    assert isinstance(la.solve(a, b, assume_a="upper triangular").owner.op, la.SolveTriangular)
    assert not isinstance(la.solve(a, b, assume_a="diagonal").owner.op, la.SolveBase)
    transposed = la.solve(a, b, transposed=True, assume_a="sym", lower=True).owner
    assert transposed.op.lower is False and transposed.op.assume_a == "sym"


# ---------------------------------------------------------------------------
# Dtypes and static shapes
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        ("float64", "float64"),
        ("float32", "float32"),
        ("int64", "float64"),
        ("int8", "float32"),
        ("float16", "float32"),
        ("bool", "float32"),
    ],  # fmt: skip
)
def test_output_dtypes_follow_lapack(dtype: str, expected: str) -> None:
    x = pt.matrix("x", dtype=dtype)
    assert la.cholesky(x).dtype == expected
    assert la.inv(x).dtype == expected
    assert la.det(x).dtype == expected
    assert [o.dtype for o in la.eigh(x)] == [expected, expected]
    assert la.svd(x, compute_uv=False).dtype == expected


def test_mixed_dtypes_promote_and_complex_outputs() -> None:
    a, b = pt.matrix("a", dtype="float32"), pt.vector("b", dtype="float64")
    assert la.solve(a, b).dtype == "float64"
    assert la.solve(a, b.astype("float32")).dtype == "float32"
    w, v = la.eig(a)
    assert (w.dtype, v.dtype) == ("complex64", "complex64")
    w, v = la.eigh(pt.matrix(dtype="complex128"))
    assert (w.dtype, v.dtype) == ("float64", "complex128")
    assert la.lu_factor(a)[1].dtype == "int32"
    assert la.lu(a, p_indices=True)[0].dtype == "int32"
    assert la.qr(a, pivoting=True)[2].dtype == "int32"


def test_static_shapes() -> None:
    a = pt.matrix("a", shape=(3, None))
    b = pt.matrix("b", shape=(None, 2))
    assert la.solve(a, b).type.shape == (3, 2)
    assert la.cholesky(a).type.shape == (3, 3)
    tall = pt.matrix("t", shape=(5, 2))
    u, s, vh = la.svd(tall)
    assert (u.type.shape, s.type.shape, vh.type.shape) == ((5, 5), (2,), (2, 2))
    u, s, vh = la.svd(tall, full_matrices=False)
    assert (u.type.shape, vh.type.shape) == ((5, 2), (2, 2))
    q, r = la.qr(tall, mode="economic")
    assert (q.type.shape, r.type.shape) == ((5, 2), (2, 2))
    assert la.qr(tall, mode="r").type.shape == (5, 2)
    assert la.pinv(tall).type.shape == (2, 5)
    assert la.block_diag(tall, pt.matrix(shape=(None, 3))).type.shape == (None, 5)
    assert la.det(a).type.shape == ()
    assert la.kron(tall, pt.matrix(shape=(2, 3))).type.shape == (10, 6)


# ---------------------------------------------------------------------------
# Bad input: named Op, named input, shapes; statically when known, else at run time
# ---------------------------------------------------------------------------
def _assert_names(exc: BaseException, *fragments: str) -> None:
    msg = str(exc)
    for f in fragments:
        assert f in msg, f"{f!r} not in {msg!r}"


def test_solve_mismatched_shapes_static() -> None:
    a = pt.matrix("a", shape=(3, 3))
    ok = la.solve(a, pt.matrix("b", shape=(3, 2)))  # control
    assert ok.type.shape == (3, 2)
    with pytest.raises(ValueError) as info:
        la.solve(a, pt.matrix("b", shape=(4, 2)))
    _assert_names(info.value, "Solve", "(4, 2)", "(3, 3)")
    with pytest.raises(ValueError) as info:
        la.solve_triangular(a, pt.vector("b", shape=(2,)))
    _assert_names(info.value, "SolveTriangular", "(2,)", "(3, 3)")
    with pytest.raises(ValueError) as info:
        la.solve(pt.matrix("a", shape=(2, 3)), pt.vector("b"))
    _assert_names(info.value, "Solve", "square", "(2, 3)")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "build",
    [
        lambda a, b: la.solve(a, b),
        lambda a, b: la.solve(a, b, assume_a="pos"),
        lambda a, b: la.solve_triangular(a, b),
        lambda a, b: la.cho_solve((a, True), b),
    ],
    ids=["Solve", "Solve-pos", "SolveTriangular", "CholeskySolve"],
)
def test_solve_mismatched_shapes_at_run_time(mode: Any, build: Any) -> None:
    a, b = pt.matrix("a"), pt.matrix("b")
    out = build(a, b)
    name = type(out.owner.op).__name__
    f = function([a, b], out, mode=mode)
    good = np.eye(3) * 2.0
    assert f(good, np.ones((3, 2))).shape == (3, 2)  # control
    with pytest.raises(ValueError) as info:
        f(good, np.ones((4, 2)))
    _assert_names(info.value, name, "(4, 2)", "(3, 3)")
    with pytest.raises(ValueError) as info:
        f(np.ones((3, 2)), np.ones((3, 2)))
    _assert_names(info.value, name, "square", "(3, 2)")


def test_det_of_non_square_static() -> None:
    assert la.det(pt.matrix(shape=(3, 3))).type.shape == ()  # control
    with pytest.raises(ValueError) as info:
        la.det(pt.matrix("x", shape=(2, 3)))
    _assert_names(info.value, "Det", "square", "(2, 3)")
    for fn_ in (la.slogdet, la.inv, la.cholesky, la.expm, la.eigh, la.lu_factor):
        with pytest.raises(ValueError, match="square"):
            fn_(pt.matrix("x", shape=(2, 3)))


@pytest.mark.parametrize("mode", MODES)
def test_det_of_non_square_at_run_time(mode: Any) -> None:
    x = pt.matrix("x")
    f = function([x], la.det(x), mode=mode)
    assert np.isclose(f(np.eye(2) * 3.0), 9.0)  # control
    with pytest.raises(ValueError) as info:
        f(np.ones((2, 3)))
    _assert_names(info.value, "Det", "square", "(2, 3)")


@pytest.mark.parametrize(
    "call",
    [la.cholesky, la.det, la.inv, la.eigh, la.svd, la.qr, la.expm, la.slogdet, la.lu, la.pinv],
    ids=lambda f: f.__name__,
)
def test_wrong_rank_is_a_type_error_naming_the_op(call: Any) -> None:
    with pytest.raises(TypeError, match="must be a matrix") as info:
        call(pt.tensor3("x"))
    assert "batched" in str(info.value)
    with pytest.raises(TypeError, match="must be a matrix"):
        call(pt.vector("x"))


def test_b_ndim_must_match_b() -> None:
    a = pt.matrix("a")
    with pytest.raises(TypeError) as info:
        la.solve(a, pt.vector("b"), b_ndim=2)
    _assert_names(info.value, "Solve", "b_ndim=2")
    with pytest.raises(TypeError, match="batched"):
        la.solve(a, pt.tensor3("b"))
    with pytest.raises(ValueError, match="b_ndim"):
        la.solve(a, pt.vector("b"), b_ndim=3)


def test_invalid_options_are_named() -> None:
    x = pt.matrix("x")
    with pytest.raises(ValueError, match="assume_a"):
        la.solve(x, x, assume_a="funny")
    with pytest.raises(ValueError, match="on_error"):
        la.cholesky(x, on_error="ignore")
    with pytest.raises(ValueError, match="trans"):
        la.solve_triangular(x, x, trans="X")
    with pytest.raises(ValueError, match="mode"):
        la.qr(x, mode="raw")
    with pytest.raises(ValueError, match="UPLO"):
        la.eigh(x, "X")
    with pytest.raises(ValueError, match="permute_l"):
        la.lu(x, permute_l=True, p_indices=True)
    with pytest.raises(TypeError, match="integer"):
        la.matrix_power(x, 1.5)
    with pytest.raises(ValueError, match="square"):
        la.matrix_power(pt.matrix(shape=(2, 3)), 2)
    with pytest.raises(ValueError, match="order"):
        la.norm(x, ord="bogus")
    with pytest.raises(ValueError, match="order"):
        la.norm(pt.vector(), ord="fro")


# ---------------------------------------------------------------------------
# Failures: on_error and singular systems
# ---------------------------------------------------------------------------
NOT_PD = np.array([[1.0, 2.0], [2.0, 1.0]])


@pytest.mark.parametrize("mode", MODES)
def test_cholesky_on_error(mode: Any) -> None:
    x = pt.matrix("x")
    nan = function([x], la.cholesky(x), mode=mode)(NOT_PD)
    assert nan.shape == (2, 2) and np.all(np.isnan(nan))
    strict = function([x], la.cholesky(x, on_error="raise"), mode=mode)
    np.testing.assert_allclose(strict(np.eye(2) * 4.0), np.eye(2) * 2.0)  # control
    with pytest.raises(np.linalg.LinAlgError) as info:
        strict(NOT_PD)
    _assert_names(info.value, "Cholesky", "not positive definite", "(2, 2)")
    with pytest.raises(np.linalg.LinAlgError):
        strict(np.array([[np.nan, 0.0], [0.0, 1.0]]))


def test_cholesky_reads_one_triangle() -> None:
    x = pt.matrix("x")
    a = np.array([[4.0, 99.0], [2.0, 5.0]])
    np.testing.assert_allclose(_run(la.cholesky(x), [x], [a]), [[2.0, 0.0], [1.0, 2.0]])
    np.testing.assert_allclose(
        _run(la.cholesky(x, lower=False), [x], [a.T]), [[2.0, 1.0], [0.0, 2.0]]
    )


@pytest.mark.parametrize("mode", MODES)
def test_singular_systems(mode: Any) -> None:
    a, b = pt.matrix("a"), pt.vector("b")
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    zero_diagonal = np.array([[1.0, 2.0], [0.0, 0.0]])
    for out, value in [
        (la.solve(a, b), singular),
        (la.solve_triangular(a, b), zero_diagonal),
        (la.solve(a, b, assume_a="pos"), NOT_PD),
        (la.cho_solve((a, True), b), zero_diagonal.T),
    ]:
        f = function([a, b], out, mode=mode)
        assert np.all(np.isfinite(f(np.eye(2), np.ones(2))))  # control
        assert np.all(np.isnan(f(value, np.ones(2)))), out.owner.op
    factor = function([a], la.lu_factor(a)[0], mode=mode)(np.zeros((2, 2)))
    assert np.all(np.isnan(factor))
    f = function([a], la.inv(a), mode=mode)
    with pytest.raises(np.linalg.LinAlgError) as info:
        f(singular)
    _assert_names(info.value, "MatrixInverse", "singular", "(2, 2)")
    sign, logdet = function([a], la.slogdet(a), mode=mode)(singular)
    assert sign == 0 and logdet == -np.inf


def test_pivot_to_permutation_checks_its_input() -> None:
    with pytest.raises(TypeError, match="integer vector"):
        la.pivot_to_permutation(pt.vector("p"))
    p = pt.ivector("p")
    f = function([p], la.pivot_to_permutation(p), mode=PY)
    with pytest.raises(IndexError, match="out of range"):
        f(np.array([3, 1], dtype="int32"))


def test_lu_solve_matches_scipy_through_the_permutation() -> None:
    import scipy.linalg

    rng = np.random.default_rng(3)
    a_val = rng.normal(size=(5, 5))
    b_val = rng.normal(size=(5, 2))
    a, b = pt.matrix("a"), pt.matrix("b")
    for trans in (False, True):
        got = _run(la.lu_solve(la.lu_factor(a), b, trans=trans), [a, b], [a_val, b_val])
        want = scipy.linalg.lu_solve(scipy.linalg.lu_factor(a_val), b_val, trans=int(trans))
        np.testing.assert_allclose(got, want, rtol=1e-10)


def test_norm_batched_and_keepdims() -> None:
    x = pt.tensor3("x")
    value = np.arange(24.0).reshape(2, 3, 4)
    got = _run(la.norm(x), [x], [value])
    np.testing.assert_allclose(got, np.linalg.norm(value, axis=(1, 2)))
    got = _run(la.norm(x, ord=1, axis=(0, 2), keepdims=True), [x], [value])
    np.testing.assert_allclose(got, np.linalg.norm(value, ord=1, axis=(0, 2), keepdims=True))
    with pytest.raises(NotImplementedError, match="batched"):
        la.norm(x, ord=2)
    with pytest.raises(ValueError, match="at least one dimension"):
        la.norm(pt.scalar())


def test_matrix_power_uses_few_products() -> None:
    from pytensor.graph.traversal import apply_ancestors

    x = pt.matrix("x")
    out = la.matrix_power(x, 16)
    dots = [n for n in apply_ancestors([out]) if type(n.op).__name__ == "Dot"]
    assert len(dots) == 4
    value = np.array([[1.0, 1.0], [0.0, 1.0]])
    np.testing.assert_allclose(_run(out, [x], [value]), np.linalg.matrix_power(value, 16))
