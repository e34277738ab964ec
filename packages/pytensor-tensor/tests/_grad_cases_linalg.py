"""Gradient cases of the linear-algebra Ops (``pytensor.tensor.linalg``).

Merged into the table of ``tests/test_grad_ops.py``, which checks that every
Op class is covered, that each case applies its Ops, and runs the pullback
and the pushforward against finite differences. Points are well conditioned:
symmetric positive-definite matrices are built inside the builders
(``x @ x.T + n I``), eigen- and singular values are distinct, and matrices
to invert are diagonally dominant. Cases on raw (unsymmetrised) inputs check
that an Op reading one triangle gets a gradient on that triangle only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _grad_case import GradCase

import pytensor.tensor as pt
from pytensor.tensor.linalg import (
    LU,
    QR,
    SVD,
    BlockDiagonal,
    Cholesky,
    CholeskySolve,
    Det,
    Eig,
    Eigh,
    Eigvalsh,
    Expm,
    LUFactor,
    MatrixInverse,
    MatrixPinv,
    PivotToPermutations,
    SLogDet,
    Solve,
    SolveTriangular,
    block_diag,
    cho_solve,
    cholesky,
    det,
    eigh,
    eigvalsh,
    expm,
    inv,
    kron,
    lu,
    lu_factor,
    lu_solve,
    matrix_power,
    norm,
    pinv,
    qr,
    slogdet,
    solve,
    solve_triangular,
    svd,
)

__all__ = ["CASES"]

_RNG = np.random.default_rng(20240607)
X3 = _RNG.normal(size=(3, 3))
X4 = _RNG.normal(size=(4, 4))
TALL = _RNG.normal(size=(4, 3))
WIDE = _RNG.normal(size=(3, 5))
B32 = _RNG.normal(size=(3, 2))
V3 = _RNG.normal(size=3)
DOMINANT = X3 + 4.0 * np.eye(3)  # well conditioned, not symmetric
SPD = X3 @ X3.T + 3.0 * np.eye(3)


def _spd(x: Any) -> Any:
    """A symmetric positive-definite matrix from any square ``x``."""
    return x @ x.T + 3.0 * pt.eye(3)


def _weighted(outputs: Any) -> Any:
    """A scalar that depends on every output differently (a test of all cotangents at once)."""
    total = 0
    for k, out in enumerate(outputs, start=1):
        total = total + k * pt.sum(out * out) + pt.sum(out)
    return total


def _case(name: str, ops: tuple[type, ...], builder: Any, *points: Any, **kw: Any) -> GradCase:
    return GradCase(name=f"linalg-{name}", op_classes=ops, builder=builder, points=points, **kw)


CHOLESKY = [
    _case("cholesky-spd", (Cholesky,), lambda x: cholesky(_spd(x)), X3),
    _case("cholesky-upper", (Cholesky,), lambda x: cholesky(_spd(x), lower=False) * 1.5, X3),
    # a raw matrix: only the lower (upper) triangle is read, so only it gets a gradient
    _case("cholesky-raw-lower", (Cholesky,), lambda a: cholesky(a), SPD + np.triu(X3, 1)),
    _case(
        "cholesky-raw-upper", (Cholesky,), lambda a: cholesky(a, lower=False), SPD + np.tril(X3, -1)
    ),
]

SOLVERS = [
    _case("solve-gen-matrix", (Solve,), lambda a, b: solve(a, b), DOMINANT, B32),
    _case("solve-gen-vector", (Solve,), lambda a, b: solve(a, b), DOMINANT, V3),
    _case("solve-transposed", (Solve,), lambda a, b: solve(a, b, transposed=True), DOMINANT, B32),
    _case("solve-pos", (Solve,), lambda x, b: solve(_spd(x), b, assume_a="pos"), X3, B32),
    _case(
        "solve-pos-raw-lower",
        (Solve,),
        lambda a, b: solve(a, b, assume_a="pos", lower=True),
        SPD + np.triu(X3, 1),
        V3,
    ),
    _case(
        "solve-her-real", (Solve,), lambda a, b: solve(a, b, assume_a="her", lower=True), SPD, B32
    ),
    _case("solve-sym-raw", (Solve,), lambda a, b: solve(a, b, assume_a="sym"), DOMINANT, B32),
    _case(
        "solve-tridiagonal",
        (Solve,),
        lambda a, b: solve(a, b, assume_a="tridiagonal"),
        DOMINANT,
        V3,
    ),
    _case("solve-banded", (Solve,), lambda a, b: solve(a, b, assume_a="banded"), DOMINANT, B32),
    _case(
        "solve-diagonal",
        (pt.Elemwise,),
        lambda a, b: solve(a, b, assume_a="diagonal"),
        DOMINANT,
        B32,
    ),
    _case(
        "solve_triangular-lower",
        (SolveTriangular,),
        lambda a, b: solve_triangular(a, b, lower=True),
        DOMINANT,
        B32,
    ),
    _case(
        "solve_triangular-trans-upper",
        (SolveTriangular,),
        lambda a, b: solve_triangular(a, b, trans="T"),
        DOMINANT,
        V3,
    ),
    _case(
        "solve_triangular-unit-diagonal",
        (SolveTriangular,),
        lambda a, b: solve_triangular(a, b, lower=True, unit_diagonal=True),
        X3,
        B32,
    ),
    _case(
        "cho_solve-lower",
        (CholeskySolve,),
        lambda c, b: cho_solve((c, True), b),
        DOMINANT,
        B32,
    ),
    _case(
        "cho_solve-upper-vector",
        (CholeskySolve,),
        lambda c, b: cho_solve((c, False), b),
        DOMINANT,
        V3,
    ),
    _case(
        "cho_solve-of-cholesky",
        (CholeskySolve, Cholesky),
        lambda x, b: cho_solve((cholesky(_spd(x)), True), b),
        X3,
        B32,
    ),
]

LU_CASES = [
    _case("lu", (LU,), lambda a: _weighted(lu(a)), X4),
    _case("lu-permute_l", (LU,), lambda a: _weighted(lu(a, permute_l=True)), X4),
    _case("lu-p_indices", (LU,), lambda a: _weighted(lu(a, p_indices=True)[1:]), X4),
    _case("lu_factor", (LUFactor,), lambda a: lu_factor(a)[0], X4),
    _case(
        "lu_solve",
        (LUFactor, SolveTriangular, PivotToPermutations),
        lambda a, b: lu_solve(lu_factor(a), b),
        X3,
        B32,
    ),
    _case(
        "lu_solve-trans", (LUFactor,), lambda a, b: lu_solve(lu_factor(a), b, trans=True), X3, V3
    ),
]

EIGEN = [
    _case("eigh-values", (Eigh,), lambda x: eigh(x + x.T)[0], X4),
    _case("eigh-vectors", (Eigh,), lambda x: _weighted(eigh(x + x.T)), X4),
    _case("eigh-raw-upper", (Eigh,), lambda a: _weighted(eigh(a, "U")), X4),
    _case("eigvalsh", (Eigvalsh,), lambda a: eigvalsh(a), X4),
    _case("eigvalsh-upper", (Eigvalsh,), lambda a: eigvalsh(a, lower=False), X4),
    _case(
        "eigvalsh-generalized",
        (Eigvalsh,),
        lambda a, x: eigvalsh(a, _spd(x)),
        X3,
        X3[::-1],
    ),
    GradCase(
        "linalg-eig",
        (Eig,),
        reason=(
            "not differentiable here: its outputs are complex, and differentiating complex "
            "outputs is not supported (the pullback is grad_not_implemented; use eigh)"
        ),
    ),
]

SVD_QR = [
    _case("svd-values", (SVD,), lambda a: svd(a, compute_uv=False), TALL),
    _case("svd-reduced-tall", (SVD,), lambda a: _weighted(svd(a, full_matrices=False)), TALL),
    _case("svd-reduced-wide", (SVD,), lambda a: _weighted(svd(a, full_matrices=False)), WIDE),
    _case("svd-full-square", (SVD,), lambda a: _weighted(svd(a)), X4),
    _case("svd-full-tall-unique-part", (SVD,), lambda a: _weighted(svd(a)[1:]), TALL),
    _case("qr-economic-tall", (QR,), lambda a: _weighted(qr(a, mode="economic")), TALL),
    _case("qr-economic-wide", (QR,), lambda a: _weighted(qr(a, mode="economic")), WIDE),
    _case("qr-full-square", (QR,), lambda a: _weighted(qr(a)), X4),
    _case("qr-full-wide", (QR,), lambda a: _weighted(qr(a)), WIDE),
    _case("qr-r", (QR,), lambda a: qr(a, mode="r"), TALL),
    _case("qr-r-wide", (QR,), lambda a: qr(a, mode="r") * 2.0, WIDE),
    _case(
        "qr-pivoting",
        (QR,),
        lambda a: _weighted(qr(a, mode="economic", pivoting=True)[:2]),
        TALL,
    ),
]

INVERSES = [
    _case("inv", (MatrixInverse,), inv, DOMINANT),
    _case("pinv-tall", (MatrixPinv,), pinv, TALL),
    _case("pinv-wide", (MatrixPinv,), pinv, WIDE),
    _case(
        "pinv-hermitian-raw", (MatrixPinv,), lambda a: pinv(a, hermitian=True), SPD + np.triu(X3, 1)
    ),
    _case("det", (Det,), det, X3),
    _case("slogdet", (SLogDet,), lambda a: slogdet(a)[1], X3),
    _case("slogdet-spd", (SLogDet,), lambda x: slogdet(_spd(x))[1] * 2.0, X3),
]

PRODUCTS = [
    _case("expm", (Expm,), expm, 0.5 * X3),
    _case("kron-matrices", (pt.Elemwise,), kron, X3[:2], TALL),
    _case("kron-vector-matrix", (pt.Elemwise,), kron, V3, X3),
    _case("block_diag", (BlockDiagonal,), lambda a, b: block_diag(a, b, a), X3[:2], TALL),
    _case("matrix_power-5", (pt.math.Dot,), lambda a: matrix_power(a, 5), 0.5 * X3),
    _case("matrix_power-neg", (MatrixPinv,), lambda a: matrix_power(a, -2), DOMINANT),
    _case("norm-fro", (pt.Elemwise,), norm, TALL),
    _case("norm-nuc", (SVD,), lambda a: norm(a, "nuc"), TALL),
    _case("norm-2", (SVD,), lambda a: norm(a, 2), WIDE),
    _case("norm-vector-3", (pt.Elemwise,), lambda v: norm(v, 3), V3),
    _case("norm-rows-inf", (pt.math.Max,), lambda a: norm(a, np.inf, axis=1), TALL),
]

NO_TEST = [
    GradCase(
        "linalg-pivot_to_permutation",
        (PivotToPermutations,),
        reason="discrete output: int64 row indices (its pullback is disconnected)",
    ),
]

CASES: list[GradCase] = [
    *CHOLESKY,
    *SOLVERS,
    *LU_CASES,
    *EIGEN,
    *SVD_QR,
    *INVERSES,
    *PRODUCTS,
    *NO_TEST,
]
