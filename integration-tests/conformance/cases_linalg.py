"""Conformance cases: ``pytensor.tensor.linalg`` (decompositions, solvers, inverses, summaries).

Expected values come from NumPy/SciPy on the same inputs. Matrices that must
be symmetric positive definite or invertible are made so inside the graph
and, identically, inside ``expected`` (``x @ x.T + n I``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance._case import Case, data, fn, graph, ints

__all__ = ["CASES"]

#: Composite graphs (several factorizations/solves in a row) round differently from SciPy.
LOOSE = {"rtol": 1e-7, "atol": 1e-10}


def la(name: str) -> Any:
    return fn(f"linalg.{name}")


def _sl() -> Any:
    import scipy.linalg

    return scipy.linalg


def _spd_np(x: np.ndarray) -> np.ndarray:
    return x @ x.T + x.shape[0] * np.eye(x.shape[0])


def _spd(x: Any) -> Any:
    import pytensor.tensor as pt

    return x @ x.T + x.shape[0] * pt.identity_like(x)


SQ = data((3, 3), seed=1)
TALL = data((4, 3), seed=2)
WIDE = data((2, 4), seed=3)
RHS = data((3, 2), seed=4)
VEC = data(3, seed=5)


def _decompositions() -> list[Case]:
    return [
        graph(
            "cholesky/lower",
            lambda x: la("cholesky")(_spd(x)),
            [SQ],
            lambda x: np.linalg.cholesky(_spd_np(x)),
        ),
        graph(
            "cholesky/upper",
            lambda x: la("cholesky")(_spd(x), lower=False),
            [SQ],
            lambda x: _sl().cholesky(_spd_np(x), lower=False),
        ),
        graph(
            "cholesky/not-positive-definite-nan",
            lambda x: la("cholesky")(x - 10.0),
            [SQ],
            lambda x: np.full((3, 3), np.nan),
        ),
        graph(
            "cholesky/float32",
            lambda x: la("cholesky")(_spd(x)),
            [SQ.astype("float32")],
            lambda x: np.linalg.cholesky(_spd_np(x)),
            rtol=1e-4,
        ),
        graph("cholesky/empty", la("cholesky"), [data((0, 0))], lambda x: np.zeros((0, 0))),
        graph("lu/plu", la("lu"), [SQ], lambda x: tuple(_sl().lu(x))),
        graph(
            "lu/permute_l",
            lambda x: la("lu")(x, permute_l=True),
            [SQ],
            lambda x: tuple(_sl().lu(x, permute_l=True)),
        ),
        graph(
            "lu/p_indices",
            lambda x: la("lu")(x, p_indices=True),
            [SQ],
            lambda x: tuple(_sl().lu(x, p_indices=True)),
        ),
        graph("lu_factor/square", la("lu_factor"), [SQ], lambda x: tuple(_sl().lu_factor(x))),
        graph(
            "lu_factor/int-input",
            la("lu_factor"),
            [ints([[2, 1], [4, 3]])],
            lambda x: tuple(_sl().lu_factor(x.astype("float64"))),
        ),
        graph(
            "pivot_to_permutation/rows",
            lambda p: la("pivot_to_permutation")(p, inverse=True),
            [ints(2, 2, 2, dtype="int32")],
            lambda p: np.array([2, 0, 1]),
        ),
        graph(
            "pivot_to_permutation/inverse",
            la("pivot_to_permutation"),
            [ints(2, 2, 2, dtype="int32")],
            lambda p: np.array([1, 2, 0]),
        ),
        graph("eig/general", la("eig"), [SQ], lambda x: tuple(np.linalg.eig(x))),
        graph("eigh/lower", la("eigh"), [SQ], lambda x: tuple(np.linalg.eigh(x))),
        graph(
            "eigh/upper",
            lambda x: la("eigh")(x, "U"),
            [SQ],
            lambda x: tuple(np.linalg.eigh(x, "U")),
        ),
        graph("eigvalsh/standard", la("eigvalsh"), [SQ], lambda x: _sl().eigvalsh(x)),
        graph(
            "eigvalsh/generalized",
            lambda a, b: la("eigvalsh")(a, _spd(b), lower=False),
            [SQ, data((3, 3), seed=7)],
            lambda a, b: _sl().eigvalsh(a, _spd_np(b), lower=False),
            **LOOSE,
        ),
        graph("svd/full", la("svd"), [TALL], lambda x: tuple(np.linalg.svd(x))),
        graph(
            "svd/reduced",
            lambda x: la("svd")(x, full_matrices=False),
            [WIDE],
            lambda x: tuple(np.linalg.svd(x, full_matrices=False)),
        ),
        graph(
            "svd/values",
            lambda x: la("svd")(x, compute_uv=False),
            [TALL],
            lambda x: np.linalg.svd(x, compute_uv=False),
        ),
        graph("qr/full", la("qr"), [TALL], lambda x: tuple(_sl().qr(x))),
        graph(
            "qr/economic",
            lambda x: la("qr")(x, mode="economic"),
            [TALL],
            lambda x: tuple(_sl().qr(x, mode="economic")),
        ),
        graph(
            "qr/r-pivoting",
            lambda x: la("qr")(x, mode="r", pivoting=True),
            [WIDE],
            lambda x: tuple(_sl().qr(x, mode="r", pivoting=True)),
        ),
    ]


def _solvers() -> list[Case]:
    return [
        graph("solve/gen", la("solve"), [SQ, RHS], lambda a, b: _sl().solve(a, b)),
        graph(
            "solve/vector-transposed",
            lambda a, b: la("solve")(a, b, transposed=True),
            [SQ, VEC],
            lambda a, b: _sl().solve(a.T, b),
            **LOOSE,
        ),
        graph(
            "solve/pos",
            lambda a, b: la("solve")(_spd(a), b, assume_a="pos"),
            [SQ, RHS],
            lambda a, b: _sl().solve(_spd_np(a), b, assume_a="pos"),
        ),
        graph(
            "solve/sym-lower",
            lambda a, b: la("solve")(a, b, assume_a="sym", lower=True),
            [SQ, RHS],
            lambda a, b: _sl().solve(a, b, assume_a="sym", lower=True),
        ),
        graph(
            "solve/tridiagonal",
            lambda a, b: la("solve")(a, b, assume_a="tridiagonal"),
            [SQ + 5 * np.eye(3), VEC],
            lambda a, b: _sl().solve(a, b, assume_a="tridiagonal"),
        ),
        graph(
            "solve/diagonal",
            lambda a, b: la("solve")(a, b, assume_a="diagonal"),
            [SQ + 5 * np.eye(3), RHS],
            lambda a, b: b / np.diag(a)[:, None],
        ),
        graph(
            "solve/lower-triangular",
            lambda a, b: la("solve")(a, b, assume_a="lower triangular"),
            [SQ, RHS],
            lambda a, b: _sl().solve_triangular(a, b, lower=True),
        ),
        graph(
            "solve/singular-nan",
            la("solve"),
            [np.ones((2, 2)), data(2)],
            lambda a, b: np.full(2, np.nan),
        ),
        graph(
            "solve/empty", la("solve"), [data((0, 0)), data((0, 2))], lambda a, b: np.zeros((0, 2))
        ),
        graph(
            "solve_triangular/lower",
            lambda a, b: la("solve_triangular")(a, b, lower=True),
            [SQ, RHS],
            lambda a, b: _sl().solve_triangular(a, b, lower=True),
        ),
        graph(
            "solve_triangular/trans-unit",
            lambda a, b: la("solve_triangular")(a, b, trans="T", unit_diagonal=True),
            [SQ, VEC],
            lambda a, b: _sl().solve_triangular(a, b, trans="T", unit_diagonal=True),
        ),
        graph(
            "cho_solve/lower",
            lambda a, b: la("cho_solve")((la("cholesky")(_spd(a)), True), b),
            [SQ, RHS],
            lambda a, b: _sl().cho_solve(_sl().cho_factor(_spd_np(a), lower=True), b),
            **LOOSE,
        ),
        graph(
            "cho_solve/upper-factor",
            lambda c, b: la("cho_solve")((c, False), b),
            [np.triu(SQ) + 4 * np.eye(3), VEC],
            lambda c, b: _sl().cho_solve((c, False), b),
        ),
        graph(
            "lu_solve/plain",
            lambda a, b: la("lu_solve")(la("lu_factor")(a), b),
            [SQ, RHS],
            lambda a, b: _sl().lu_solve(_sl().lu_factor(a), b),
            **LOOSE,
        ),
        graph(
            "lu_solve/trans",
            lambda a, b: la("lu_solve")(la("lu_factor")(a), b, trans=True),
            [SQ, VEC],
            lambda a, b: _sl().lu_solve(_sl().lu_factor(a), b, trans=1),
            **LOOSE,
        ),
    ]


def _others() -> list[Case]:
    return [
        graph("inv/square", la("inv"), [SQ], np.linalg.inv),
        graph("inv/int-input", la("inv"), [ints([[2, 1], [1, 1]])], np.linalg.inv),
        graph("pinv/tall", la("pinv"), [TALL], np.linalg.pinv),
        graph(
            "pinv/hermitian",
            lambda x: la("pinv")(x, hermitian=True),
            [SQ],
            lambda x: np.linalg.pinv(x, hermitian=True),
        ),
        graph("det/square", la("det"), [SQ], np.linalg.det),
        graph("det/empty", la("det"), [data((0, 0))], np.linalg.det),
        graph("slogdet/square", la("slogdet"), [SQ], lambda x: tuple(np.linalg.slogdet(x))),
        graph(
            "slogdet/huge",
            la("slogdet"),
            [np.diag([1e200, -1e200, 1e200])],
            lambda x: tuple(np.linalg.slogdet(x)),
        ),
        graph("expm/square", la("expm"), [SQ * 0.5], lambda x: _sl().expm(x)),
        graph("kron/matrices", la("kron"), [data((2, 2)), TALL], np.kron),
        graph("kron/vector-matrix", la("kron"), [VEC, WIDE], np.kron),
        graph("kron/vectors", la("kron"), [VEC, data(2)], np.kron),
        graph(
            "block_diag/three",
            lambda a, b, c: la("block_diag")(a, b, c),
            [data((2, 2)), TALL, data((1, 3), dtype="float32")],
            lambda a, b, c: _sl().block_diag(a, b, c),
        ),
        graph(
            "matrix_dot/three",
            lambda a, b, c: la("matrix_dot")(a, b, c),
            [TALL, SQ, VEC],
            lambda a, b, c: a @ b @ c,
        ),
        graph(
            "matrix_power/7",
            lambda x: la("matrix_power")(x, 7),
            [SQ * 0.5],
            lambda x: np.linalg.matrix_power(x, 7),
            **LOOSE,
        ),
        graph("matrix_power/0", lambda x: la("matrix_power")(x, 0), [SQ], lambda x: np.eye(3)),
        graph(
            "matrix_power/negative",
            lambda x: la("matrix_power")(x, -2),
            [SQ],
            lambda x: np.linalg.matrix_power(x, -2),
            **LOOSE,
        ),
        graph("trace/linalg-matrix", la("trace"), [SQ], np.trace),
        graph(
            "diagonal/linalg-offset",
            lambda x: la("diagonal")(x, 1),
            [TALL],
            lambda x: np.diagonal(x, 1),
        ),
        graph(
            "tensorinv/ind2",
            lambda x: la("tensorinv")(x.reshape((2, 3, 6))),
            [data((6, 6), seed=9)],
            lambda x: np.linalg.tensorinv(x.reshape((2, 3, 6)), 2),
            **LOOSE,
        ),
    ]


_NORMS = [
    ("vector-default", VEC, {}),
    ("vector-inf", VEC, {"ord": np.inf}),
    ("vector-neg-inf", VEC, {"ord": -np.inf}),
    ("vector-0", np.array([0.0, 1.5, 0.0, -2.0]), {"ord": 0}),
    ("vector-1", VEC, {"ord": 1}),
    ("vector-3", VEC, {"ord": 3}),
    ("matrix-fro", TALL, {}),
    ("matrix-nuc", TALL, {"ord": "nuc"}),
    ("matrix-inf", TALL, {"ord": np.inf}),
    ("matrix-neg-inf", TALL, {"ord": -np.inf}),
    ("matrix-1", TALL, {"ord": 1}),
    ("matrix-neg-1", TALL, {"ord": -1}),
    ("matrix-2", TALL, {"ord": 2}),
    ("matrix-neg-2", TALL, {"ord": -2}),
    ("matrix-axes-swapped-1", TALL, {"ord": 1, "axis": (1, 0)}),
    ("matrix-axes-swapped-2", TALL, {"ord": 2, "axis": (1, 0)}),
    ("rows-keepdims", TALL, {"axis": 1, "keepdims": True}),
    ("matrix-keepdims", TALL, {"ord": "fro", "keepdims": True, "axis": (0, 1)}),
    ("int-input", ints([3, 4]), {}),
]


def _norm_cases() -> list[Case]:
    return [
        graph(
            f"norm/{name}",
            lambda x, kw=kw: la("norm")(x, **kw),
            [value],
            lambda x, kw=kw: np.linalg.norm(x, **kw),
            **LOOSE,
        )
        for name, value, kw in _NORMS
    ]


CASES: list[Case] = [*_decompositions(), *_solvers(), *_others(), *_norm_cases()]
