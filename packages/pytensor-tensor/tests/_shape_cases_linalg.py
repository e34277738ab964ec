"""Shape-consistency cases for the Ops of ``pytensor.tensor.linalg``.

``test_shape_consistency.py`` owns the table and merges these by file name.
Each Op gets a 1x1 (length-1) and, where NumPy/SciPy accept it, an empty
(0x0) case besides ordinary ones; rectangular Ops get tall and wide inputs.
"""

from __future__ import annotations

from typing import Any

import pytensor.tensor as pt
from pytensor.tensor import linalg as la


def _spd(x: Any) -> Any:
    """A symmetric positive-definite matrix with the shape of the square ``x``."""
    return x @ x.T + 4.0 * pt.identity_like(x)


def _solver_cases(Case: Any, A: Any) -> dict[str, list[Any]]:  # noqa: N803
    return {
        "Solve": [
            Case("matrix-rhs", lambda a, b: la.solve(a, b), [A(3, 3), A(3, 2)]),
            Case("vector-rhs", lambda a, b: la.solve(a, b, assume_a="sym"), [A(3, 3), A(3)]),
            Case("pos", lambda a, b: la.solve(_spd(a), b, assume_a="pos"), [A(2, 2), A(2, 4)]),
            Case("len1", lambda a, b: la.solve(a, b, transposed=True), [A(1, 1), A(1, 1)]),
            Case("empty", lambda a, b: la.solve(a, b), [A(0, 0), A(0, 3)]),
            Case("empty-rhs", lambda a, b: la.solve(a, b, assume_a="banded"), [A(2, 2), A(2, 0)]),
        ],
        "SolveTriangular": [
            Case("lower", lambda a, b: la.solve_triangular(a, b, lower=True), [A(3, 3), A(3, 2)]),
            Case("trans-vector", lambda a, b: la.solve_triangular(a, b, trans=1), [A(3, 3), A(3)]),
            Case(
                "len1", lambda a, b: la.solve_triangular(a, b, unit_diagonal=True), [A(1, 1), A(1)]
            ),
            Case("empty", lambda a, b: la.solve_triangular(a, b), [A(0, 0), A(0, 2)]),
        ],
        "CholeskySolve": [
            Case(
                "of-cholesky",
                lambda a, b: la.cho_solve((la.cholesky(_spd(a)), True), b),
                [A(3, 3), A(3, 2)],
            ),
            Case("upper-vector", lambda c, b: la.cho_solve((c, False), b), [A(2, 2), A(2)]),
            Case("len1", lambda c, b: la.cho_solve((c, True), b), [A(1, 1), A(1, 3)]),
            Case("empty", lambda c, b: la.cho_solve((c, True), b), [A(0, 0), A(0)]),
        ],
    }


def _decomposition_cases(Case: Any, A: Any, I: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    return {
        "Cholesky": [
            Case("lower", lambda a: la.cholesky(_spd(a)), [A(3, 3)]),
            Case("upper", lambda a: la.cholesky(_spd(a), lower=False), [A(2, 2)]),
            Case("len1", lambda a: la.cholesky(a * a + 1.0), [A(1, 1)]),
            Case("empty", lambda a: la.cholesky(a), [A(0, 0)]),
            Case("not-pd-nan", lambda a: la.cholesky(a - 10.0), [A(2, 2)]),
        ],
        "LU": [
            Case("plu", lambda a: la.lu(a), [A(3, 3)]),
            Case("permute_l", lambda a: la.lu(a, permute_l=True), [A(2, 2)]),
            Case("p_indices", lambda a: la.lu(a, p_indices=True), [A(1, 1)]),
        ],
        "LUFactor": [
            Case("square", lambda a: la.lu_factor(a), [A(3, 3)]),
            Case("len1", lambda a: la.lu_factor(a), [A(1, 1)]),
            Case("empty", lambda a: la.lu_factor(a), [A(0, 0)]),
        ],
        "PivotToPermutations": [
            Case("rows", lambda p: la.pivot_to_permutation(p, inverse=True), [I([2, 2, 2])]),
            Case("inverse", lambda p: la.pivot_to_permutation(p), [I([1, 1], dtype="int32")]),
            Case("len1", lambda p: la.pivot_to_permutation(p), [I([0])]),
            Case("of-lu_factor", lambda a: la.lu_solve(la.lu_factor(a), a[0]), [A(3, 3)]),
        ],
        "Eig": [
            Case("square", lambda a: la.eig(a), [A(3, 3)]),
            Case("len1", lambda a: la.eig(a), [A(1, 1)]),
            Case("empty", lambda a: la.eig(a), [A(0, 0)]),
        ],
        "Eigh": [
            Case("lower", lambda a: la.eigh(a), [A(3, 3)]),
            Case("upper", lambda a: la.eigh(a, "U"), [A(1, 1)]),
            Case("empty", lambda a: la.eigh(a), [A(0, 0)]),
        ],
        "Eigvalsh": [
            Case("standard", lambda a: la.eigvalsh(a), [A(3, 3)]),
            Case("generalized", lambda a, b: la.eigvalsh(a, _spd(b)), [A(2, 2), A(2, 2)]),
            Case("len1", lambda a: la.eigvalsh(a, lower=False), [A(1, 1)]),
            Case("empty", lambda a: la.eigvalsh(a), [A(0, 0)]),
        ],
        "SVD": [
            Case("full-tall", lambda a: la.svd(a), [A(4, 2)]),
            Case("reduced-wide", lambda a: la.svd(a, full_matrices=False), [A(2, 5)]),
            Case("values", lambda a: la.svd(a, compute_uv=False), [A(3, 3)]),
            Case("len1", lambda a: la.svd(a, full_matrices=False), [A(1, 3)]),
            Case("empty", lambda a: la.svd(a, compute_uv=False), [A(0, 2)]),
        ],
        "QR": [
            Case("full-tall", lambda a: la.qr(a), [A(4, 2)]),
            Case("economic-tall", lambda a: la.qr(a, mode="economic"), [A(4, 2)]),
            Case("economic-wide", lambda a: la.qr(a, mode="reduced", pivoting=True), [A(2, 3)]),
            Case("r", lambda a: la.qr(a, mode="r"), [A(3, 2)]),
            Case("len1", lambda a: la.qr(a, mode="economic"), [A(1, 3)]),
        ],
    }


def _other_cases(Case: Any, A: Any) -> dict[str, list[Any]]:  # noqa: N803
    return {
        "MatrixInverse": [
            Case("square", lambda a: la.inv(_spd(a)), [A(3, 3)]),
            Case("len1", lambda a: la.inv(a + 5.0), [A(1, 1)]),
            Case("empty", lambda a: la.inv(a), [A(0, 0)]),
        ],
        "MatrixPinv": [
            Case("tall", lambda a: la.pinv(a), [A(4, 2)]),
            Case("hermitian", lambda a: la.pinv(a, hermitian=True), [A(3, 3)]),
            Case("len1", lambda a: la.pinv(a), [A(1, 3)]),
            Case("empty", lambda a: la.pinv(a), [A(0, 2)]),
        ],
        "Det": [
            Case("square", lambda a: la.det(a), [A(3, 3)]),
            Case("len1", lambda a: la.det(a), [A(1, 1)]),
            Case("empty", lambda a: la.det(a), [A(0, 0)]),
        ],
        "SLogDet": [
            Case("square", lambda a: la.slogdet(a), [A(3, 3)]),
            Case("len1", lambda a: la.slogdet(a), [A(1, 1)]),
            Case("empty", lambda a: la.slogdet(a), [A(0, 0)]),
        ],
        "Expm": [
            Case("square", lambda a: la.expm(a), [A(3, 3)]),
            Case("len1", lambda a: la.expm(a), [A(1, 1)]),
            Case("empty", lambda a: la.expm(a), [A(0, 0)]),
        ],
        "BlockDiagonal": [
            Case("two", lambda a, b: la.block_diag(a, b), [A(2, 3), A(1, 2)]),
            Case("one", lambda a: la.block_diag(a), [A(2, 2)]),
            Case("with-empty", lambda a, b, c: la.block_diag(a, b, c), [A(2, 2), A(0, 3), A(1, 0)]),
            Case(
                "int-and-float", lambda a, b: la.block_diag(a, b), [A(1, 1, dtype="int8"), A(2, 2)]
            ),
        ],
    }


def shape_cases(Case: Any, A: Any, I: Any, Const: Any, Static: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    return {**_solver_cases(Case, A), **_decomposition_cases(Case, A, I), **_other_cases(Case, A)}
