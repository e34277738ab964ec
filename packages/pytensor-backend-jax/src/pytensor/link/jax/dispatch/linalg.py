"""JAX implementations of ``pytensor.tensor.linalg`` (layer: pytensor-backend-jax).

Decompositions, solvers and summaries use ``jax.numpy.linalg``, ``jax.scipy.linalg`` and
``jax.lax.linalg``; their results match SciPy's (same LAPACK routines on CPU).
:func:`host_perform` runs an Op's ``perform`` on the host through ``jax.pure_callback``, for
Ops JAX has no routine for (none at present; third-party code may use it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl
from pytensor.graph.basic import Apply
from pytensor.link.jax.dispatch.basic import as_jax, jax_funcify, record_check, report_host, ttype
from pytensor.tensor.linalg.constructors import BlockDiagonal
from pytensor.tensor.linalg.decomposition.cholesky import Cholesky
from pytensor.tensor.linalg.decomposition.eigen import Eig, Eigh, Eigvalsh
from pytensor.tensor.linalg.decomposition.lu import LU, LUFactor, PivotToPermutations
from pytensor.tensor.linalg.decomposition.qr import QR
from pytensor.tensor.linalg.decomposition.svd import SVD
from pytensor.tensor.linalg.inverse import MatrixInverse, MatrixPinv
from pytensor.tensor.linalg.products import Expm
from pytensor.tensor.linalg.solvers.general import Solve
from pytensor.tensor.linalg.solvers.psd import CholeskySolve
from pytensor.tensor.linalg.solvers.triangular import SolveTriangular
from pytensor.tensor.linalg.summary import Det, SLogDet

__all__ = ["HOST_OPS", "host_perform"]


def _square(op: Any, a: Any, name: str = "a") -> None:
    shape = np.shape(a)
    if len(shape) != 2 or shape[0] != shape[1]:
        raise ValueError(f"{op}: input {name} must be a square matrix, got shape {shape}")


def _from_triangle(a: Any, lower: bool) -> Any:
    """The Hermitian matrix whose lower (or upper) triangle is that of ``a``."""
    tri = jnp.tril(a) if lower else jnp.triu(a)
    return tri + jnp.conj(tri.T) - jnp.diag(jnp.diag(a))


def host_perform(
    op: Any, node: Apply, out_shapes: Callable[..., Sequence[tuple[int, ...]]]
) -> Callable[..., Any]:
    """Run ``op.perform`` on the host from traced code; ``out_shapes(*input_shapes)`` gives the
    output shapes (they must follow from the input shapes)."""
    report_host(op)
    dtypes = [np.dtype(ttype(o).dtype) for o in node.outputs]

    def on_host(*vals: Any) -> tuple[np.ndarray, ...]:
        cells: list[list[Any]] = [[None] for _ in node.outputs]
        op.perform(node, [np.asarray(v) for v in vals], cells)
        return tuple(np.asarray(c[0], dtype=d) for c, d in zip(cells, dtypes, strict=True))

    def call(*xs: Any) -> Any:
        shapes = out_shapes(*[np.shape(x) for x in xs])
        result = tuple(
            jax.ShapeDtypeStruct(s, d)  # type: ignore[no-untyped-call]
            for s, d in zip(shapes, dtypes, strict=True)
        )
        outs = jax.pure_callback(on_host, result, *[as_jax(x) for x in xs])
        return outs if len(outs) > 1 else outs[0]

    return call


#: Op classes run through ``host_perform`` (none: every linalg Op has a JAX implementation).
HOST_OPS: tuple[type, ...] = ()


@jax_funcify.register(Eig)
def jax_funcify_Eig(op: Eig, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def eig(a: Any) -> Any:
        _square(op, a)
        w, v = jnp.linalg.eig(as_jax(a))
        return w, v

    return eig


@jax_funcify.register(LU)
def jax_funcify_LU(op: LU, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def lu(a: Any) -> Any:
        _square(op, a)
        a = as_jax(a)
        if op.permute_l:
            return tuple(jsl.lu(a, permute_l=True))
        if op.p_indices:
            lu_, _, perm = jax.lax.linalg.lu(a)
            n = a.shape[0]
            lower = jnp.tril(lu_, -1) + jnp.eye(n, dtype=lu_.dtype)
            return perm.astype("int64"), lower, jnp.triu(lu_)
        return tuple(jsl.lu(a))

    return lu


@jax_funcify.register(LUFactor)
def jax_funcify_LUFactor(op: LUFactor, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def lu_factor(a: Any) -> Any:
        _square(op, a)
        a = as_jax(a)
        if a.size == 0:
            return a, jnp.zeros((0,), "int32")
        factor, pivots = jsl.lu_factor(a)
        # LAPACK reports an exactly singular U (info > 0); perform then returns NaN.
        singular = jnp.any(jnp.diagonal(factor) == 0)
        return jnp.where(singular, jnp.nan, factor), pivots.astype("int32")

    return lu_factor


@jax_funcify.register(PivotToPermutations)
def jax_funcify_PivotToPermutations(
    op: PivotToPermutations, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    def pivot_to_permutations(pivots: Any) -> Any:
        pivots = as_jax(pivots).astype("int64")
        n = pivots.shape[0]
        inside = (pivots >= 0) & (pivots < n)
        first = jnp.argmin(inside) if n else 0
        record_check(
            jnp.all(inside),
            IndexError,
            f"{op}: pivot {{bad}} at position {{bad1}} is out of range for length {n}",
            (pivots[first] if n else 0, first),
        )

        def swap(i: Any, rows: Any) -> Any:
            j = jnp.clip(pivots[i], 0, max(n - 1, 0))
            ri, rj = rows[i], rows[j]
            return rows.at[i].set(rj).at[j].set(ri)

        rows = jax.lax.fori_loop(0, n, swap, jnp.arange(n, dtype="int64"))
        return rows if op.inverse else jnp.argsort(rows).astype("int64")

    return pivot_to_permutations


@jax_funcify.register(QR)
def jax_funcify_QR(op: QR, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    dtype = ttype(node.outputs[0]).dtype
    dtypes = [ttype(o).dtype for o in node.outputs]

    def qr(a: Any) -> Any:
        a = as_jax(a).astype(dtype)
        res = jsl.qr(a, mode=op.mode, pivoting=op.pivoting)
        res = res if isinstance(res, tuple | list) else (res,)
        outs = tuple(r.astype(d) for r, d in zip(res, dtypes, strict=True))
        return outs if len(outs) > 1 else outs[0]

    return qr


@jax_funcify.register(SVD)
def jax_funcify_SVD(op: SVD, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def svd(a: Any) -> Any:
        res = jnp.linalg.svd(as_jax(a), full_matrices=op.full_matrices, compute_uv=op.compute_uv)
        return tuple(res) if op.compute_uv else res

    return svd


@jax_funcify.register(Eigh)
def jax_funcify_Eigh(op: Eigh, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def eigh(a: Any) -> Any:
        _square(op, a)
        w, v = jnp.linalg.eigh(as_jax(a), UPLO=op.UPLO, symmetrize_input=False)
        return w, v

    return eigh


@jax_funcify.register(Eigvalsh)
def jax_funcify_Eigvalsh(op: Eigvalsh, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    if len(node.inputs) == 2:

        def eigvalsh_general(a: Any, b: Any) -> Any:
            _square(op, a)
            _square(op, b, "b")
            if np.shape(b) != np.shape(a):
                raise ValueError(
                    f"{op}: a (shape {np.shape(a)}) and b (shape {np.shape(b)}) must have the "
                    "same shape"
                )
            a, b = as_jax(a), as_jax(b)
            if a.size == 0:
                return jnp.zeros((0,), a.dtype)
            # a x = w b x with b = L L^H: the eigenvalues of L^-1 a L^-H.
            chol = jnp.linalg.cholesky(_from_triangle(b, op.lower))
            left = jsl.solve_triangular(chol, _from_triangle(a, op.lower), lower=True)
            c = jsl.solve_triangular(chol, jnp.conj(left.T), lower=True)
            return jnp.linalg.eigvalsh(c)

        return eigvalsh_general

    def eigvalsh(a: Any) -> Any:
        _square(op, a)
        return jnp.linalg.eigvalsh(_from_triangle(as_jax(a), op.lower))

    return eigvalsh


@jax_funcify.register(Cholesky)
def jax_funcify_Cholesky(op: Cholesky, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def cholesky(a: Any) -> Any:
        _square(op, a)
        a = as_jax(a)
        if a.size == 0:
            return a
        factor = jnp.linalg.cholesky(_from_triangle(a, op.lower))
        if not op.lower:
            factor = jnp.conj(factor.T)
        ok = jnp.all(jnp.isfinite(factor))
        if op.on_error == "raise":
            record_check(
                ok,
                np.linalg.LinAlgError,
                f"{op}: the input a (shape {a.shape}) is not positive definite (or has "
                "non-finite entries)",
            )
        return jnp.where(ok, factor, jnp.nan)

    return cholesky


@jax_funcify.register(MatrixInverse)
def jax_funcify_MatrixInverse(
    op: MatrixInverse, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    def inv(a: Any) -> Any:
        _square(op, a)
        a = as_jax(a)
        res = jnp.linalg.inv(a)
        record_check(
            jnp.all(jnp.isfinite(res)) | ~jnp.all(jnp.isfinite(a)),
            np.linalg.LinAlgError,
            f"{op}: the input a (shape {a.shape}) is singular",
        )
        return res

    return inv


@jax_funcify.register(MatrixPinv)
def jax_funcify_MatrixPinv(
    op: MatrixPinv, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    def pinv(a: Any) -> Any:
        if op.hermitian:
            _square(op, a)
        a = as_jax(a)
        if op.hermitian:
            return jnp.linalg.pinv(_from_triangle(a, True), hermitian=True)
        return jnp.linalg.pinv(a)

    return pinv


@jax_funcify.register(Det)
def jax_funcify_Det(op: Det, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def det(a: Any) -> Any:
        _square(op, a)
        a = as_jax(a)
        return jnp.ones((), a.dtype) if a.size == 0 else jnp.linalg.det(a)

    return det


@jax_funcify.register(SLogDet)
def jax_funcify_SLogDet(op: SLogDet, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def slogdet(a: Any) -> Any:
        _square(op, a)
        sign, logabsdet = jnp.linalg.slogdet(as_jax(a))
        return sign, logabsdet

    return slogdet


@jax_funcify.register(Expm)
def jax_funcify_Expm(op: Expm, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def expm(a: Any) -> Any:
        _square(op, a)
        a = as_jax(a)
        return a if a.size == 0 else jsl.expm(a)

    return expm


@jax_funcify.register(BlockDiagonal)
def jax_funcify_BlockDiagonal(
    op: BlockDiagonal, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None
    dtype = ttype(node.outputs[0]).dtype
    return lambda *ms: jsl.block_diag(*[as_jax(m).astype(dtype) for m in ms])


def _solve_shapes(op: Any, a: Any, b: Any) -> None:
    sa, sb = np.shape(a), np.shape(b)
    if sa[0] != sa[1]:
        raise ValueError(f"{op}: input a must be a square matrix, got shape {sa}")
    if sb[0] != sa[0]:
        raise ValueError(
            f"{op}: the rows of b (shape {sb}) must match a (shape {sa}): {sb[0]} != {sa[0]}"
        )


def _solver(op: Any, node: Apply, solve: Callable[[Any, Any], Any]) -> Callable[..., Any]:
    dtype = ttype(node.outputs[0]).dtype

    def solve_op(a: Any, b: Any) -> Any:
        _solve_shapes(op, a, b)
        a, b = as_jax(a).astype(dtype), as_jax(b).astype(dtype)
        if a.size == 0 or b.size == 0:
            return jnp.zeros(b.shape, dtype)
        return solve(a, b)

    return solve_op


@jax_funcify.register(Solve)
def jax_funcify_Solve(op: Solve, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    assume_a = op.assume_a

    def solve(a: Any, b: Any) -> Any:
        if assume_a == "tridiagonal":
            a = jnp.triu(jnp.tril(a, 1), -1)
        if assume_a in ("sym", "her", "pos"):
            a = _from_triangle(a, op.lower)
        x = jnp.linalg.solve(a, b)
        # SciPy fails on an exactly singular system, and perform then returns NaN.
        return jnp.where(jnp.all(jnp.isfinite(x)) | ~jnp.all(jnp.isfinite(a)), x, jnp.nan)

    return _solver(op, node, solve)


@jax_funcify.register(SolveTriangular)
def jax_funcify_SolveTriangular(
    op: SolveTriangular, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None
    return _solver(
        op,
        node,
        lambda a, b: jsl.solve_triangular(a, b, lower=op.lower, unit_diagonal=op.unit_diagonal),
    )


@jax_funcify.register(CholeskySolve)
def jax_funcify_CholeskySolve(
    op: CholeskySolve, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None

    def cho_solve(c: Any, b: Any) -> Any:
        x = jsl.cho_solve((c, op.lower), b)
        return jnp.where(jnp.all(jnp.diagonal(c) != 0), x, jnp.nan)

    return _solver(op, node, cho_solve)
