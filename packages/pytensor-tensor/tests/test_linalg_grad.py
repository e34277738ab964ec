"""Gradients of ``pytensor.tensor.linalg`` beyond the finite-difference table.

``_grad_cases_linalg.py`` checks every Op against finite differences (via
``test_grad_ops.py``). Here: the structure of the gradients (an Op that reads
one triangle gives a gradient on that triangle), closed forms, the NaN guards
for non-unique outputs, gradients that do not exist, and second derivatives.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.gradient import NullTypeGradError, grad, verify_grad
from pytensor.tensor import linalg as la

PY = Mode(linker="py", optimizer=None)
RNG = np.random.default_rng(7)
X3 = RNG.normal(size=(3, 3))
SPD = X3 @ X3.T + 3.0 * np.eye(3)
TALL = RNG.normal(size=(4, 2))


def _grad_value(cost_of: Any, value: np.ndarray) -> np.ndarray:
    x = pt.matrix("x")
    return function([x], grad(cost_of(x), x), mode=PY)(value)  # type: ignore[no-any-return]


WEIGHTS = RNG.uniform(0.5, 1.5, size=(3, 3))


@pytest.mark.parametrize(
    ("cost_of", "triangle"),
    [
        (lambda x: pt.sum(la.cholesky(x) * WEIGHTS), np.tril),
        (lambda x: pt.sum(la.cholesky(x, lower=False) * WEIGHTS), np.triu),
        (lambda x: pt.sum(la.solve(x, WEIGHTS, assume_a="pos", lower=True)), np.tril),
        (lambda x: pt.sum(la.solve(x, WEIGHTS, assume_a="sym")), np.triu),
        (lambda x: pt.sum(la.eigh(x)[1] * WEIGHTS), np.tril),
        (lambda x: pt.sum(la.eigvalsh(x, lower=False) ** 3), np.triu),
        (lambda x: pt.sum(la.solve_triangular(x, WEIGHTS, lower=True)), np.tril),
        (lambda x: pt.sum(la.cho_solve((x, False), WEIGHTS)), np.triu),
        (lambda x: pt.sum(la.pinv(x, hermitian=True) * WEIGHTS), np.tril),
    ],
    ids=[
        "cholesky",
        "cholesky-upper",
        "solve-pos",
        "solve-sym",
        "eigh",
        "eigvalsh",
        "triangular",
        "cho_solve",
        "pinv-hermitian",
    ],  # fmt: skip
)
def test_ops_reading_one_triangle_get_a_gradient_there(cost_of: Any, triangle: Any) -> None:
    g = _grad_value(cost_of, SPD + np.triu(X3, 1))
    np.testing.assert_array_equal(g, triangle(g))
    assert np.count_nonzero(g) > 3


def test_unit_diagonal_is_not_read() -> None:
    g = _grad_value(
        lambda x: pt.sum(la.solve_triangular(x, WEIGHTS, lower=True, unit_diagonal=True)), X3
    )
    np.testing.assert_array_equal(g, np.tril(g, -1))
    g = _grad_value(lambda x: pt.sum(la.solve(x, WEIGHTS, assume_a="tridiagonal")), SPD)
    np.testing.assert_array_equal(g[0, 2], 0.0)
    np.testing.assert_array_equal(g[2, 0], 0.0)


def test_closed_forms() -> None:
    a = SPD + np.triu(X3, 1)
    inv_t = np.linalg.inv(a).T
    np.testing.assert_allclose(_grad_value(la.det, a), np.linalg.det(a) * inv_t, rtol=1e-10)
    np.testing.assert_allclose(_grad_value(lambda x: la.slogdet(x)[1], a), inv_t, rtol=1e-10)
    np.testing.assert_allclose(_grad_value(lambda x: la.slogdet(x)[0], a), np.zeros((3, 3)))
    # d trace(inv(a)) = -inv(a)^T inv(a)^T
    np.testing.assert_allclose(_grad_value(lambda x: pt.trace(la.inv(x)), a), -(inv_t @ inv_t))
    # the log-determinant through the Cholesky factor, on a symmetric input
    chol_logdet = _grad_value(lambda x: 2.0 * pt.sum(pt.log(pt.diagonal(la.cholesky(x)))), SPD)
    inv_spd = np.linalg.inv(SPD)  # symmetric; the Op reads the lower triangle
    np.testing.assert_allclose(
        chol_logdet, 2 * np.tril(inv_spd) - np.diag(np.diag(inv_spd)), rtol=1e-10
    )
    # the nuclear norm of a full-rank matrix: u @ vh
    u, _, vh = np.linalg.svd(TALL, full_matrices=False)
    np.testing.assert_allclose(_grad_value(lambda x: la.norm(x, "nuc"), TALL), u @ vh, rtol=1e-10)


def test_full_svd_and_qr_of_rectangular_matrices_guard_the_non_unique_part() -> None:
    ok = _grad_value(lambda x: pt.sum(la.svd(x)[0][:, :2] * 2.0) + pt.sum(la.svd(x)[1]), TALL)
    assert np.all(np.isfinite(ok))
    bad = _grad_value(lambda x: pt.sum(la.svd(x)[0]), TALL)
    assert np.all(np.isnan(bad))
    bad = _grad_value(lambda x: pt.sum(la.svd(x)[2]), TALL.T)
    assert np.all(np.isnan(bad))
    ok = _grad_value(lambda x: pt.sum(la.qr(x)[0][:, :2]) + pt.sum(la.qr(x)[1]), TALL)
    assert np.all(np.isfinite(ok))
    assert np.all(np.isnan(_grad_value(lambda x: pt.sum(la.qr(x)[0]), TALL)))
    # with static shapes that show a square (or wide, for qr) input, no guard is built
    from pytensor.graph.traversal import apply_ancestors

    def guarded(out: Any, x: Any) -> bool:
        return any(type(n.op).__name__ == "Any" for n in apply_ancestors([grad(pt.sum(out), x)]))

    square, wide, tall = pt.matrix(shape=(3, 3)), pt.matrix(shape=(2, 3)), pt.matrix(shape=(3, 2))
    assert not guarded(la.svd(square)[0], square)
    assert not guarded(la.qr(wide)[0], wide)
    assert guarded(la.qr(tall)[0], tall) and guarded(la.svd(wide)[2], wide)


def test_gradients_that_do_not_exist() -> None:
    x = pt.matrix("x")
    with pytest.raises(NullTypeGradError, match="Eig"):
        grad(pt.sum(pt.real(la.eig(x)[0])), x)
    nan = function([x], grad(pt.sum(la.cholesky(x)), x), mode=PY)(-np.eye(2))
    assert np.all(np.isnan(nan[np.tril_indices(2)])) and nan[0, 1] == 0.0


def test_pivots_are_disconnected() -> None:
    x = pt.matrix("x")
    lu, piv = la.lu_factor(x)
    g = grad(pt.sum(lu) + pt.sum(piv), x)
    value = function([x], g, mode=PY)(X3)
    assert value.shape == (3, 3) and np.all(np.isfinite(value))


def test_matrix_inverse_pushforward_is_its_own_rule() -> None:
    from pytensor.gradient import pushforward

    x, t = pt.matrix("x"), pt.matrix("t")
    out = pushforward(la.inv(x), x, t)
    value = function([x, t], out, mode=PY)(SPD, X3)
    inv = np.linalg.inv(SPD)
    np.testing.assert_allclose(value, -inv @ X3 @ inv, rtol=1e-10)


@pytest.mark.parametrize(
    "cost_of",
    [
        lambda x: pt.sum(pt.log(pt.diagonal(la.cholesky(x @ x.T + 3.0 * pt.eye(3))))),
        lambda x: la.slogdet(x @ x.T + pt.eye(3))[1],
        lambda x: pt.sum(la.solve(x + 4.0 * pt.eye(3), pt.ones((3,)))),
        lambda x: pt.sum(la.eigh(x + x.T)[0] ** 2),
    ],
    ids=["cholesky-logdet", "slogdet", "solve", "eigh"],
)
def test_second_derivatives(cost_of: Any) -> None:
    """The pullbacks are themselves differentiable (Hessian-vector products work)."""
    verify_grad(lambda x: grad(cost_of(x), x), [X3 * 0.5])
