"""Conformance cases: Jacobians and Hessians of expressions of run-time length (IndexedMap)."""

from __future__ import annotations

import numpy as np

from conformance._case import Case, data, fn, graph

__all__ = ["CASES"]


def _jacobian_of_vector(x: np.ndarray) -> np.ndarray:
    # d/dx_j exp(x_i) sum(x**2) = delta_ij exp(x_i) S + exp(x_i) 2 x_j
    return np.diag(np.exp(x) * np.sum(x**2)) + np.exp(x)[:, None] * 2 * x[None, :]


def _jacobian_of_product(w: np.ndarray, v: np.ndarray) -> np.ndarray:
    # d (W v)_i / d W_jk = delta_ij v_k
    return np.einsum("ij,k->ijk", np.eye(w.shape[0]), v)


def _jacobian_of_outer(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    # d a_i sin(x_j) / d x_k = a_i cos(x_j) delta_jk
    return np.einsum("i,jk->ijk", a, np.diag(np.cos(x)))


def _hessian_of_matrix(w: np.ndarray) -> np.ndarray:
    # sum(W**3): H[i, j, k, l] = 6 W_ij delta_ik delta_jl
    return np.einsum("ij,ik,jl->ijkl", 6 * w, np.eye(w.shape[0]), np.eye(w.shape[1]))


CASES: list[Case] = [
    graph(
        "jacobian/runtime-vector",
        lambda x: fn("jacobian")(fn("exp")(x) * fn("sum")(x**2), x),
        [data(5, seed=1)],
        _jacobian_of_vector,
        rtol=1e-12,
    ),
    graph(
        "jacobian/runtime-matrix-wrt",
        lambda w, v: fn("jacobian")(fn("dot")(w, v), w),
        [data((3, 2), seed=2), data(2, seed=3)],
        _jacobian_of_product,
    ),
    graph(
        "jacobian/runtime-matrix-expression",
        lambda a, x: fn("jacobian")(fn("outer")(a, fn("sin")(x)), x),
        [data(2, seed=4), data(3, seed=5)],
        _jacobian_of_outer,
        rtol=1e-12,
    ),
    graph(
        "jacobian/runtime-empty",
        lambda x, w: fn("jacobian")(x * fn("sum")(w), w),
        [np.zeros(0), data(3, seed=6)],
        lambda x, w: np.zeros((0, 3)),
    ),
    graph(
        "hessian/runtime-vector",
        lambda x: fn("hessian")(fn("sum")(x**3) + fn("sum")(x) ** 2, x),
        [data(4, seed=7)],
        lambda x: np.diag(6 * x) + 2.0,
        rtol=1e-12,
    ),
    graph(
        "hessian/runtime-matrix",
        lambda w: fn("hessian")(fn("sum")(w**3), w),
        [data((2, 3), seed=8)],
        _hessian_of_matrix,
        rtol=1e-12,
    ),
]
