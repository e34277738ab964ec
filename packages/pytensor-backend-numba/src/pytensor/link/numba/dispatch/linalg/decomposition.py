"""Numba implementations of the matrix decompositions of
``pytensor.tensor.linalg.decomposition`` (layer: pytensor-backend-numba).

Each follows its Op's ``perform``: the LAPACK routine NumPy/SciPy call (potrf,
getrf, geev, syevd/heevd, geqrf/geqp3 + orgqr/ungqr), called through
``scipy.linalg.cython_lapack``, or numba's own ``np.linalg`` where that is the
same computation (svd, eigvalsh).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from pytensor.link.numba.dispatch.basic import (
    NumbaImpl,
    error_template,
    numba_funcify,
    numba_njit,
    op_key,
)
from pytensor.link.numba.dispatch.linalg._lapack import (
    CHAR_L,
    CHAR_N,
    CHAR_U,
    CHAR_V,
    cbuf,
    fortran_copy,
    ibuf,
    lapack_routine,
    nan_like,
    square_check,
    work_size,
)
from pytensor.tensor.linalg._common import linalg_dtype
from pytensor.tensor.linalg.decomposition import cholesky as la_cholesky
from pytensor.tensor.linalg.decomposition import eigen as la_eigen
from pytensor.tensor.linalg.decomposition import lu as la_lu
from pytensor.tensor.linalg.decomposition import qr as la_qr
from pytensor.tensor.linalg.decomposition import svd as la_svd

__all__ = ["getrf_kernel", "numpy_work_dtype", "potrf_kernel", "syevd_kernel"]


def _dtype(var: Any) -> Any:
    return np.dtype(var.type.dtype).type


def numpy_work_dtype(dtype: str) -> str:
    """The precision ``numpy.linalg`` computes in: always double (complex stays complex)."""
    return "complex128" if np.dtype(dtype).kind == "c" else "float64"


@cache
def potrf_kernel(dtype: str) -> Any:
    """``factor(a_fortran, lower) -> (a with the factor, info)``; the other triangle zeroed."""
    potrf = lapack_routine("potrf", dtype, 5)

    @numba_njit
    def factor(a: Any, lower: bool) -> Any:
        n = a.shape[0]
        uplo, nn, lda, info = cbuf(CHAR_L if lower else CHAR_U), ibuf(n), ibuf(max(1, n)), ibuf(0)
        potrf(uplo.ctypes, nn.ctypes, a.ctypes, lda.ctypes, info.ctypes)
        for j in range(n):
            for i in range(n):
                if (i < j) if lower else (i > j):
                    a[i, j] = 0
        return a, info[0]

    return factor


@numba_funcify.register(la_cholesky.Cholesky)
def numba_funcify_Cholesky(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    dtype = node.outputs[0].type.dtype
    out, factor, check = np.dtype(dtype).type, potrf_kernel(dtype), square_check(op)
    lower, raise_on_error = op.lower, op.on_error == "raise"
    template = error_template(
        f"{op}: the input a (shape (",
        None,
        ", ",
        None,
        ")) is not positive definite (or has non-finite entries)",
    )

    def cholesky(a: Any) -> Any:
        check(a)
        n = a.shape[0]
        if n == 0:
            return np.empty((0, 0), out)
        result, info = factor(fortran_copy(a, out), lower)
        if info != 0 or not np.all(np.isfinite(result)):
            if raise_on_error:
                raise np.linalg.LinAlgError(template, n, n)
            return nan_like(result)
        return result

    return cholesky, op_key(op, node)


@cache
def getrf_kernel(dtype: str) -> Any:
    """``factor(a_fortran) -> (packed LU, 1-based pivots, info)``."""
    getrf = lapack_routine("getrf", dtype, 6)

    @numba_njit
    def factor(a: Any) -> Any:
        m, n = a.shape
        ipiv = np.zeros(min(m, n), np.int32)
        mm, nn, lda, info = ibuf(m), ibuf(n), ibuf(max(1, m)), ibuf(0)
        getrf(mm.ctypes, nn.ctypes, a.ctypes, lda.ctypes, ipiv.ctypes, info.ctypes)
        return a, ipiv, info[0]

    return factor


@numba_njit
def pivots_to_rows(ipiv: Any, n: int) -> Any:
    """The row order ``r`` (``a[r] == l @ u``) from LAPACK's 1-based swap list."""
    rows = np.arange(n)
    for i in range(len(ipiv)):
        j = ipiv[i] - 1
        rows[i], rows[j] = rows[j], rows[i]
    return rows


@numba_funcify.register(la_lu.LUFactor)
def numba_funcify_LUFactor(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    dtype = node.outputs[0].type.dtype
    out, factor, check = np.dtype(dtype).type, getrf_kernel(dtype), square_check(op)

    def lu_factor(a: Any) -> Any:
        check(a)
        if a.shape[0] == 0:
            return np.empty((0, 0), out), np.empty(0, np.int32)
        packed, ipiv, info = factor(fortran_copy(a, out))
        if info > 0:
            packed = nan_like(packed)
        return packed, ipiv - np.int32(1)

    return lu_factor, op_key(op, node)


@numba_njit
def split_lu(packed: Any) -> Any:
    n = packed.shape[0]
    lower = np.zeros((n, n), packed.dtype)
    upper = np.zeros((n, n), packed.dtype)
    for i in range(n):
        lower[i, i] = 1
        for j in range(n):
            if j < i:
                lower[i, j] = packed[i, j]
            else:
                upper[i, j] = packed[i, j]
    return lower, upper


@numba_funcify.register(la_lu.LU)
def numba_funcify_LU(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    dtype = node.outputs[-1].type.dtype
    out, factor, check = np.dtype(dtype).type, getrf_kernel(dtype), square_check(op)
    real = np.dtype(node.outputs[0].type.dtype).type

    @numba_njit
    def factors(a: Any) -> Any:
        check(a)
        packed, ipiv, _ = factor(fortran_copy(a, out))
        lower, upper = split_lu(packed)
        return pivots_to_rows(ipiv, a.shape[0]), lower, upper

    def lu_permute_l(a: Any) -> Any:
        rows, lower, upper = factors(a)
        pl = np.empty_like(lower)
        for i in range(len(rows)):
            for j in range(len(rows)):
                pl[rows[i], j] = lower[i, j]
        return pl, upper

    def lu_p_indices(a: Any) -> Any:
        rows, lower, upper = factors(a)
        perm = np.empty(len(rows), np.int32)
        for i in range(len(rows)):
            perm[rows[i]] = i
        return perm, lower, upper

    def lu(a: Any) -> Any:
        rows, lower, upper = factors(a)
        n = len(rows)
        p = np.zeros((n, n), real)
        for i in range(n):
            p[rows[i], i] = 1
        return p, lower, upper

    impl = lu_permute_l if op.permute_l else (lu_p_indices if op.p_indices else lu)
    return impl, op_key(op, node)


@numba_funcify.register(la_lu.PivotToPermutations)
def numba_funcify_PivotToPermutations(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    inverse = op.inverse
    template = error_template(
        f"{op}: pivot ", None, " at position ", None, " is out of range for length ", None
    )

    def pivot_to_permutation(pivots: Any) -> Any:
        n = len(pivots)
        rows = np.arange(n)
        for i in range(n):
            j = pivots[i]
            if j < 0 or j >= n:
                raise IndexError(template, j, i, n)
            rows[i], rows[j] = rows[j], rows[i]
        if inverse:
            return rows
        # argsort of a permutation is its inverse.
        perm = np.empty(n, np.int64)
        for i in range(n):
            perm[rows[i]] = i
        return perm

    return pivot_to_permutation, op_key(op, node)


@cache
def geev_kernel(dtype: str) -> Any:
    """``eig(a_fortran) -> (w, v)`` as NumPy's eig (geev, right eigenvectors), complex."""
    geev = lapack_routine("geev", dtype, 14)
    complex_input = np.dtype(dtype).kind == "c"
    cdtype = np.result_type(dtype, np.complex64).type

    @numba_njit
    def eig(a: Any) -> Any:
        n = a.shape[0]
        jobvl, jobvr, nn, lda, info = cbuf(CHAR_N), cbuf(CHAR_V), ibuf(n), ibuf(max(1, n)), ibuf(0)
        vl = np.empty((1, 1), a.dtype)
        vr = np.empty((n, n), a.dtype).T
        ldvl, ldvr, lwork = ibuf(1), ibuf(max(1, n)), ibuf(-1)
        work = np.empty(1, a.dtype)
        if complex_input:
            w = np.empty(n, a.dtype)
            rwork = np.empty(2 * n, w.real.dtype)
            for _ in range(2):  # a workspace query, then the computation
                geev(jobvl.ctypes, jobvr.ctypes, nn.ctypes, a.ctypes, lda.ctypes, w.ctypes,
                     vl.ctypes, ldvl.ctypes, vr.ctypes, ldvr.ctypes, work.ctypes, lwork.ctypes,
                     rwork.ctypes, info.ctypes)  # fmt: skip
                lwork[0] = work_size(work)
                work = np.empty(lwork[0], a.dtype)
            return info[0], w.astype(cdtype), vr.astype(cdtype)
        wr = np.empty(n, a.dtype)
        wi = np.empty(n, a.dtype)
        for _ in range(2):
            geev(jobvl.ctypes, jobvr.ctypes, nn.ctypes, a.ctypes, lda.ctypes, wr.ctypes,
                 wi.ctypes, vl.ctypes, ldvl.ctypes, vr.ctypes, ldvr.ctypes, work.ctypes,
                 lwork.ctypes, info.ctypes)  # fmt: skip
            lwork[0] = work_size(work)
            work = np.empty(lwork[0], a.dtype)
        w = np.empty(n, cdtype)
        v = np.empty((n, n), cdtype)
        j = 0
        while j < n:
            w[j] = wr[j] + 1j * wi[j]
            if wi[j] == 0 or j == n - 1:
                v[:, j] = vr[:, j]
                j += 1
                continue
            # A complex pair: columns j and j+1 hold the real and imaginary parts.
            w[j + 1] = wr[j + 1] + 1j * wi[j + 1]
            for i in range(n):
                v[i, j] = vr[i, j] + 1j * vr[i, j + 1]
                v[i, j + 1] = vr[i, j] - 1j * vr[i, j + 1]
            j += 2
        return info[0], w, v

    return eig


@numba_funcify.register(la_eigen.Eig)
def numba_funcify_Eig(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    cdtype = node.outputs[0].type.dtype
    work = numpy_work_dtype(node.inputs[0].type.dtype)
    wt, kernel, check = np.dtype(work).type, geev_kernel(work), square_check(op)
    ct = np.dtype(cdtype).type

    def eig(a: Any) -> Any:
        check(a)
        if a.shape[0] == 0:
            return np.empty(0, ct), np.empty((0, 0), ct)
        info, w, v = kernel(fortran_copy(a, wt))
        if info > 0:
            raise np.linalg.LinAlgError("Eigenvalues did not converge")
        return w.astype(ct), v.astype(ct)

    return eig, op_key(op, node)


@cache
def syevd_kernel(dtype: str) -> Any:
    """``eigh(a_fortran, lower, vectors) -> (info, w, v)`` with syevd/heevd, as NumPy's eigh
    (``v`` is meaningful only with ``vectors``)."""
    complex_input = np.dtype(dtype).kind == "c"
    evd = lapack_routine("syevd", dtype, 13 if complex_input else 11)

    @numba_njit
    def eigh(a: Any, lower: bool, vectors: bool) -> Any:
        n = a.shape[0]
        jobz, uplo = cbuf(CHAR_V if vectors else CHAR_N), cbuf(CHAR_L if lower else CHAR_U)
        nn, lda, info = ibuf(n), ibuf(max(1, n)), ibuf(0)
        w = np.empty(n, a.real.dtype)
        work, iwork, rwork = np.empty(1, a.dtype), np.empty(1, np.int32), np.empty(1, w.dtype)
        lwork, liwork, lrwork = ibuf(-1), ibuf(-1), ibuf(-1)
        for _ in range(2):  # a workspace query, then the computation
            if complex_input:
                evd(jobz.ctypes, uplo.ctypes, nn.ctypes, a.ctypes, lda.ctypes, w.ctypes,
                    work.ctypes, lwork.ctypes, rwork.ctypes, lrwork.ctypes, iwork.ctypes,
                    liwork.ctypes, info.ctypes)  # fmt: skip
            else:
                evd(jobz.ctypes, uplo.ctypes, nn.ctypes, a.ctypes, lda.ctypes, w.ctypes,
                    work.ctypes, lwork.ctypes, iwork.ctypes, liwork.ctypes, info.ctypes)  # fmt: skip
            lwork[0], liwork[0], lrwork[0] = work_size(work), max(1, iwork[0]), work_size(rwork)
            work, iwork = np.empty(lwork[0], a.dtype), np.empty(liwork[0], np.int32)
            rwork = np.empty(lrwork[0], w.dtype)
        return info[0], w, a

    return eigh


@numba_funcify.register(la_eigen.Eigh)
def numba_funcify_Eigh(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    work = numpy_work_dtype(node.inputs[0].type.dtype)
    vt, wt, worktype = _dtype(node.outputs[1]), _dtype(node.outputs[0]), np.dtype(work).type
    kernel, check, lower = syevd_kernel(work), square_check(op), op.UPLO == "L"

    def eigh(a: Any) -> Any:
        check(a)
        if a.shape[0] == 0:
            return np.empty(0, wt), np.empty((0, 0), vt)
        info, w, v = kernel(fortran_copy(a, worktype), lower, True)
        if info > 0:
            raise np.linalg.LinAlgError("Eigenvalues did not converge")
        return w.astype(wt), v.astype(vt)

    return eigh, op_key(op, node)


@cache
def sygvd_kernel(dtype: str) -> Any:
    """``eigvals(a_fortran, b_fortran, lower) -> (info, w)``: the generalized symmetric
    (Hermitian) eigenvalues with sygvd/hegvd, SciPy's default driver."""
    complex_input = np.dtype(dtype).kind == "c"
    gvd = lapack_routine("sygvd", dtype, 16 if complex_input else 14)

    @numba_njit
    def eigvals(a: Any, b: Any, lower: bool) -> Any:
        n = a.shape[0]
        itype, jobz, uplo = ibuf(1), cbuf(CHAR_N), cbuf(CHAR_L if lower else CHAR_U)
        nn, ld, info = ibuf(n), ibuf(max(1, n)), ibuf(0)
        w = np.empty(n, a.real.dtype)
        work, iwork, rwork = np.empty(1, a.dtype), np.empty(1, np.int32), np.empty(1, w.dtype)
        lwork, liwork, lrwork = ibuf(-1), ibuf(-1), ibuf(-1)
        for _ in range(2):  # a workspace query, then the computation
            if complex_input:
                gvd(itype.ctypes, jobz.ctypes, uplo.ctypes, nn.ctypes, a.ctypes, ld.ctypes,
                    b.ctypes, ld.ctypes, w.ctypes, work.ctypes, lwork.ctypes, rwork.ctypes,
                    lrwork.ctypes, iwork.ctypes, liwork.ctypes, info.ctypes)  # fmt: skip
            else:
                gvd(itype.ctypes, jobz.ctypes, uplo.ctypes, nn.ctypes, a.ctypes, ld.ctypes,
                    b.ctypes, ld.ctypes, w.ctypes, work.ctypes, lwork.ctypes, iwork.ctypes,
                    liwork.ctypes, info.ctypes)  # fmt: skip
            lwork[0], liwork[0], lrwork[0] = work_size(work), max(1, iwork[0]), work_size(rwork)
            work, iwork = np.empty(lwork[0], a.dtype), np.empty(liwork[0], np.int32)
            rwork = np.empty(lrwork[0], w.dtype)
        return info[0], w

    return eigvals


@numba_funcify.register(la_eigen.Eigvalsh)
def numba_funcify_Eigvalsh(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    out = _dtype(node.outputs[0])
    work_dtype = linalg_dtype(*[i.type.dtype for i in node.inputs])
    work = np.dtype(work_dtype).type
    standard, generalized = syevd_kernel(work_dtype), sygvd_kernel(work_dtype)
    lower, check_a, check_b = op.lower, square_check(op, "a"), square_check(op, "b")
    shape_error = error_template(
        f"{op}: a (shape (", None, ", ", None, ")) and b (shape (", None, ", ", None,
        ")) must have the same shape",
    )  # fmt: skip
    not_pd = error_template(
        "The leading minor of order ", None, " of B is not positive definite. The "
        "factorization of B could not be completed and no eigenvalues or eigenvectors "
        "were computed.",
    )  # fmt: skip

    def eigvalsh(a: Any) -> Any:
        check_a(a)
        if a.shape[0] == 0:
            return np.empty(0, out)
        info, w, _ = standard(fortran_copy(a, work), lower, False)
        if info > 0:
            raise np.linalg.LinAlgError("Eigenvalues did not converge")
        return w.astype(out)

    def eigvalsh_generalized(a: Any, b: Any) -> Any:
        check_a(a)
        check_b(b)
        if a.shape != b.shape:
            raise ValueError(shape_error, a.shape[0], a.shape[1], b.shape[0], b.shape[1])
        n = a.shape[0]
        if n == 0:
            return np.empty(0, out)
        info, w = generalized(fortran_copy(a, work), fortran_copy(b, work), lower)
        if info > n:
            raise np.linalg.LinAlgError(not_pd, info - n)
        if info > 0:
            raise np.linalg.LinAlgError("Eigenvalues did not converge")
        return w.astype(out)

    impl = eigvalsh if len(node.inputs) == 1 else eigvalsh_generalized
    return impl, op_key(op, node)


@numba_funcify.register(la_svd.SVD)
def numba_funcify_SVD(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    dtype = np.dtype(numpy_work_dtype(node.inputs[0].type.dtype)).type
    real = _dtype(node.outputs[0 if not op.compute_uv else 1])
    outs = [_dtype(o) for o in node.outputs]
    full = op.full_matrices

    def svd_values(a: Any) -> Any:
        m, n = a.shape
        if m == 0 or n == 0:
            return np.empty(0, real)
        return np.linalg.svd(a.astype(dtype), full_matrices=False)[1].astype(real)

    u_t, s_t, v_t = outs if len(outs) == 3 else (dtype, real, dtype)

    def svd(a: Any) -> Any:
        u, s, v = np.linalg.svd(a.astype(dtype), full_matrices=full)
        return u.astype(u_t), s.astype(s_t), v.astype(v_t)

    if not op.compute_uv:
        return svd_values, op_key(op, node)
    return svd, op_key(op, node)


@cache
def qr_kernels(dtype: str, pivoting: bool) -> Any:
    """``factor(a_fortran) -> (packed, tau, 1-based jpvt)`` (geqrf or geqp3) and
    ``form_q(packed_m_by_k, tau) -> q`` (orgqr/ungqr), as SciPy's qr calls them."""
    complex_input = np.dtype(dtype).kind == "c"
    geqp3 = lapack_routine("geqp3", dtype, 10 if complex_input else 9)
    geqrf = lapack_routine("geqrf", dtype, 8)
    orgqr = lapack_routine("orgqr", dtype, 9)

    @numba_njit
    def factor(a: Any) -> Any:
        m, n = a.shape
        mm, nn, lda, info, lwork = ibuf(m), ibuf(n), ibuf(max(1, m)), ibuf(0), ibuf(-1)
        tau = np.empty(min(m, n), a.dtype)
        jpvt = np.zeros(n, np.int32)
        work, rwork = np.empty(1, a.dtype), np.empty(2 * n, a.real.dtype)
        for _ in range(2):  # a workspace query, then the computation
            if not pivoting:
                geqrf(mm.ctypes, nn.ctypes, a.ctypes, lda.ctypes, tau.ctypes, work.ctypes,
                      lwork.ctypes, info.ctypes)  # fmt: skip
            elif complex_input:
                geqp3(mm.ctypes, nn.ctypes, a.ctypes, lda.ctypes, jpvt.ctypes, tau.ctypes,
                      work.ctypes, lwork.ctypes, rwork.ctypes, info.ctypes)  # fmt: skip
            else:
                geqp3(mm.ctypes, nn.ctypes, a.ctypes, lda.ctypes, jpvt.ctypes, tau.ctypes,
                      work.ctypes, lwork.ctypes, info.ctypes)  # fmt: skip
            lwork[0] = work_size(work)
            work = np.empty(lwork[0], a.dtype)
        return a, tau, jpvt

    @numba_njit
    def form_q(q: Any, tau: Any) -> Any:
        m, n = q.shape
        mm, nn, k, lda = ibuf(m), ibuf(n), ibuf(len(tau)), ibuf(max(1, m))
        info, lwork, work = ibuf(0), ibuf(-1), np.empty(1, q.dtype)
        for _ in range(2):
            orgqr(mm.ctypes, nn.ctypes, k.ctypes, q.ctypes, lda.ctypes, tau.ctypes, work.ctypes,
                  lwork.ctypes, info.ctypes)  # fmt: skip
            lwork[0] = work_size(work)
            work = np.empty(lwork[0], q.dtype)
        return q

    return factor, form_q


@numba_njit
def upper_part(packed: Any, rows: int) -> Any:
    out = np.zeros((rows, packed.shape[1]), packed.dtype)
    for i in range(rows):
        for j in range(i, packed.shape[1]):
            out[i, j] = packed[i, j]
    return out


@numba_njit
def q_input(packed: Any, cols: int) -> Any:
    """The first ``cols`` columns of the reflectors (zero-padded), Fortran-ordered."""
    m = packed.shape[0]
    q = np.zeros((cols, m), packed.dtype).T
    for j in range(min(cols, packed.shape[1])):
        q[:, j] = packed[:, j]
    return q


@numba_funcify.register(la_qr.QR)
def numba_funcify_QR(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    dtype = node.outputs[0].type.dtype
    dt = np.dtype(dtype).type
    factor, form_q = qr_kernels(dtype, op.pivoting)
    economic, op_mode_r = op.mode == "economic", op.mode == "r"

    @numba_njit
    def decompose(a: Any) -> Any:
        m, n = a.shape
        packed, tau, jpvt = factor(fortran_copy(a, dt))
        r_rows = n if (economic and m >= n) else m
        if op_mode_r:
            return packed, upper_part(packed, r_rows), tau, jpvt - np.int32(1)
        q = form_q(q_input(packed, min(m, n) if economic else m), tau)
        return q, upper_part(packed, r_rows), tau, jpvt - np.int32(1)

    def qr_r(a: Any) -> Any:
        return decompose(a)[1]

    def qr_r_pivoting(a: Any) -> Any:
        _, r, _, p = decompose(a)
        return r, p

    def qr(a: Any) -> Any:
        q, r, _, _ = decompose(a)
        return q, r

    def qr_pivoting(a: Any) -> Any:
        q, r, _, p = decompose(a)
        return q, r, p

    if op_mode_r:
        impl = qr_r_pivoting if op.pivoting else qr_r
    else:
        impl = qr_pivoting if op.pivoting else qr
    return impl, op_key(op, node)
