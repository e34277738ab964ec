"""C kernels of Dot and Matmul through BLAS (layer: pytensor-backend-c).

The BLAS routines are looked up by address on first use (see ``_blas_lib``):
NumPy's bundled OpenBLAS (ILP64 or LP64), else the function pointers SciPy's
``scipy.linalg.cython_blas`` exports, so no BLAS library is needed when the
module is linked. float32/float64
products run ``?gemm``/``?gemv``/``?dot`` (transposed operands are passed as
such, other layouts are copied); other dtypes use NumPy's C ``dot``/``matmul``.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.c.dispatch._ops_common import dtype_of, kernel, make_impl, typenum
from pytensor.link.c.dispatch.basic import CImpl, c_funcify
from pytensor.tensor._dot import Dot, Matmul

__all__ = ["c_funcify_Dot", "c_funcify_Matmul"]

#: BLAS function pointers, loaded once per module by ``_blas_lib.blas_pointers`` (NumPy's
#: bundled OpenBLAS, 64- or 32-bit integers, else SciPy's cython_blas capsules).
BLAS_POINTERS = r"""
#ifndef PTOPS_BLAS
#define PTOPS_BLAS
#include <limits.h>
/* dgemm sgemm dgemv sgemv ddot sdot, in _blas_lib.ROUTINES order; ptops_blas_bits is the
   width of the routines' integer arguments (64: ILP64 OpenBLAS, 32: LP64). */
static void *ptops_blas[6];
static int ptops_blas_bits;

/* Loads the BLAS pointers on first use: 0, or -1 with an exception set. */
static int ptops_blas_init(void)
{
    if (ptops_blas_bits != 0) return 0;
    PyObject *m = PyImport_ImportModule("pytensor.link.c.dispatch._blas_lib");
    if (m == NULL) return -1;
    PyObject *r = PyObject_CallMethod(m, "blas_pointers", NULL);
    Py_DECREF(m);
    if (r == NULL) return -1;
    void *p[6];
    long bits = -1;
    PyObject *addrs = PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 2 ? PyTuple_GET_ITEM(r, 1) : NULL;
    if (addrs != NULL && PyTuple_Check(addrs) && PyTuple_GET_SIZE(addrs) == 6) {
        bits = PyLong_AsLong(PyTuple_GET_ITEM(r, 0));
        for (int i = 0; i < 6 && !PyErr_Occurred(); i++) {
            p[i] = PyLong_AsVoidPtr(PyTuple_GET_ITEM(addrs, i));
            if (p[i] == NULL && !PyErr_Occurred()) bits = -1;
        }
    }
    Py_DECREF(r);
    if (PyErr_Occurred()) return -1;
    if (bits != 32 && bits != 64) {
        PyErr_SetString(PyExc_RuntimeError, "_blas_lib.blas_pointers returned an invalid result");
        return -1;
    }
    memcpy(ptops_blas, p, sizeof p);
    ptops_blas_bits = (int)bits;
    return 0;
}

/* The Fortran calling convention of both BLAS flavours: every argument by address, integers
   of BLAS_INT. The typed wrappers ptops_[ds]{gemm,gemv,dot} below copy the kernels' int
   arguments into BLAS_INT (int64_t for ILP64 routines, int otherwise). */
#define PTOPS_GEMM_CALL(BLAS_INT, C, fp, ta, tb, m, n, k, al, A, lda, B, ldb, be, Cm, ldc) do { \
    BLAS_INT m_ = m, n_ = n, k_ = k, lda_ = lda, ldb_ = ldb, ldc_ = ldc; \
    ((void (*)(char *, char *, BLAS_INT *, BLAS_INT *, BLAS_INT *, C *, C *, BLAS_INT *, C *, \
               BLAS_INT *, C *, C *, BLAS_INT *))(fp))(&ta, &tb, &m_, &n_, &k_, &al, A, &lda_, \
                                                      B, &ldb_, &be, Cm, &ldc_); } while (0)
#define PTOPS_GEMV_CALL(BLAS_INT, C, fp, t, m, n, al, A, lda, x, incx, be, y, incy) do { \
    BLAS_INT m_ = m, n_ = n, lda_ = lda, incx_ = incx, incy_ = incy; \
    ((void (*)(char *, BLAS_INT *, BLAS_INT *, C *, C *, BLAS_INT *, C *, BLAS_INT *, C *, \
               C *, BLAS_INT *))(fp))(&t, &m_, &n_, &al, A, &lda_, x, &incx_, &be, y, \
                                      &incy_); } while (0)
#define PTOPS_DOT_CALL(BLAS_INT, C, fp, out, n, x, incx, y, incy) do { \
    BLAS_INT n_ = n, incx_ = incx, incy_ = incy; \
    out = ((C (*)(BLAS_INT *, C *, BLAS_INT *, C *, BLAS_INT *))(fp))(&n_, x, &incx_, y, \
                                                                       &incy_); } while (0)
#endif
"""

#: Typed products on strided operands (strides in elements). A matrix is usable by BLAS when
#: one stride is 1 and the other a valid leading dimension; ptops_*_layout says how.
_TYPED = r"""
#ifndef PTOPS_BLAS_@T@
#define PTOPS_BLAS_@T@
static void ptops_@T@gemm(char ta, char tb, int m, int n, int k, @C@ al, @C@ *A, int lda, @C@ *B,
                          int ldb, @C@ be, @C@ *C, int ldc)
{
    if (ptops_blas_bits == 64)
        PTOPS_GEMM_CALL(int64_t, @C@, ptops_blas[@GEMM@], ta, tb, m, n, k, al, A, lda, B, ldb, be,
                        C, ldc);
    else
        PTOPS_GEMM_CALL(int, @C@, ptops_blas[@GEMM@], ta, tb, m, n, k, al, A, lda, B, ldb, be, C,
                        ldc);
}

static void ptops_@T@gemv(char t, int m, int n, @C@ al, @C@ *A, int lda, @C@ *x, int incx,
                          @C@ be, @C@ *y, int incy)
{
    if (ptops_blas_bits == 64)
        PTOPS_GEMV_CALL(int64_t, @C@, ptops_blas[@GEMM@ + 2], t, m, n, al, A, lda, x, incx, be, y,
                        incy);
    else
        PTOPS_GEMV_CALL(int, @C@, ptops_blas[@GEMM@ + 2], t, m, n, al, A, lda, x, incx, be, y,
                        incy);
}

static @C@ ptops_@T@dot(int n, @C@ *x, int incx, @C@ *y, int incy)
{
    @C@ out;
    if (ptops_blas_bits == 64)
        PTOPS_DOT_CALL(int64_t, @C@, ptops_blas[@GEMM@ + 4], out, n, x, incx, y, incy);
    else
        PTOPS_DOT_CALL(int, @C@, ptops_blas[@GEMM@ + 4], out, n, x, incx, y, incy);
    return out;
}

/* For a r x c matrix with element strides s0, s1: 'N' with *ld when row-major (the column-major
   view is its transpose), 'T' when column-major, 0 when BLAS cannot read it in place. */
static char ptops_layout_@T@(npy_intp r, npy_intp c, npy_intp s0, npy_intp s1, int *ld)
{
    if ((s1 == 1 || c <= 1) && s0 >= (c > 1 ? c : 1) && s0 <= INT_MAX) {
        *ld = (int)s0; return 'N';
    }
    if ((s0 == 1 || r <= 1) && s1 >= (r > 1 ? r : 1) && s1 <= INT_MAX) {
        *ld = (int)s1; return 'T';
    }
    if (r <= 1 && c <= 1) { *ld = 1; return 'N'; }
    return 0;
}

/* C (m x n, C-contiguous) = A (m x k) B (k x n); returns -1 when a layout is unusable. */
static int ptops_gemm_@T@(int m, int n, int k, @C@ *A, npy_intp a0, npy_intp a1, @C@ *B,
                          npy_intp b0, npy_intp b1, @C@ *C)
{
    int lda, ldb, ldc = n > 1 ? n : 1;
    if (m == 0 || n == 0) return 0;
    if (k == 0) { for (npy_intp i = 0; i < (npy_intp)m * n; i++) C[i] = 0; return 0; }
    char ta = ptops_layout_@T@(m, k, a0, a1, &lda), tb = ptops_layout_@T@(k, n, b0, b1, &ldb);
    if (!ta || !tb) return -1;
    /* Row-major C = A B is column-major C^T = B^T A^T. */
    ptops_@T@gemm(tb, ta, n, m, k, 1, B, ldb, A, lda, 0, C, ldc);
    return 0;
}

/* y (m, contiguous) = A (m x k) x (stride xs elements); -1 when a layout is unusable. */
static int ptops_gemv_@T@(int m, int k, @C@ *A, npy_intp a0, npy_intp a1, @C@ *x, npy_intp xs,
                          @C@ *y)
{
    int lda, inc = k > 1 ? (int)xs : 1;
    if (m == 0) return 0;
    if (k == 0) { for (int i = 0; i < m; i++) y[i] = 0; return 0; }
    char ta = ptops_layout_@T@(m, k, a0, a1, &lda);
    if (!ta || (k > 1 && (xs <= 0 || xs > INT_MAX))) return -1;
    /* 'N' (row-major A): BLAS sees A^T (k x m) and applies its transpose. */
    char t = ta == 'N' ? 'T' : 'N';
    int bm = ta == 'N' ? k : m, bn = ta == 'N' ? m : k;
    ptops_@T@gemv(t, bm, bn, 1, A, lda, x, inc, 0, y, 1);
    return 0;
}
#endif
"""


def _typed(dtype: str) -> str:
    t, c, gemm = ("d", "double", "0") if dtype == "float64" else ("s", "float", "1")
    return _TYPED.replace("@T@", t).replace("@C@", c).replace("@GEMM@", gemm)


_DOT_BLAS = r"""
    if (ptops_blas_init() < 0) return -1;
    PyArrayObject *x = ptops_as_type(inputs[0], @TN@), *y = ptops_as_type(inputs[1], @TN@);
    PyArrayObject *out = NULL;
    if (x == NULL || y == NULL) goto fail;
    int xn = PyArray_NDIM(x), yn = PyArray_NDIM(y);
    npy_intp kx = PyArray_DIMS(x)[xn - 1], ky = PyArray_DIMS(y)[0];
    if (kx != ky) {
        PyObject *xs = ptops_tuple(PyArray_DIMS(x), xn), *ys = ptops_tuple(PyArray_DIMS(y), yn);
        if (xs != NULL && ys != NULL)
            PyErr_Format(PyExc_ValueError, "Dot: the contracted dimensions of x (shape %R) and y "
                         "(shape %R) differ: %zd != %zd", xs, ys, kx, ky);
        Py_XDECREF(xs);
        Py_XDECREF(ys);
        goto fail;
    }
    npy_intp m = xn == 2 ? PyArray_DIMS(x)[0] : 1, n = yn == 2 ? PyArray_DIMS(y)[1] : 1;
    if (m > INT_MAX || n > INT_MAX || kx > INT_MAX) {
        outputs[0] = PyArray_MatrixProduct2((PyObject *)x, (PyObject *)y, NULL);
        Py_DECREF(x);
        Py_DECREF(y);
        return outputs[0] == NULL ? -1 : 0;
    }
    npy_intp dims[2] = {xn == 2 ? m : n, n};
    out = ptops_empty(xn + yn - 2, dims, @TN@);
    if (out == NULL) goto fail;
    const npy_intp it = sizeof(@C@);
    const npy_intp *xs = PyArray_STRIDES(x), *ys = PyArray_STRIDES(y);
    @C@ *xp = (@C@ *)PyArray_DATA(x), *yp = (@C@ *)PyArray_DATA(y), *op = (@C@ *)PyArray_DATA(out);
    int ok = 1;
    for (int attempt = 0; attempt < 2; attempt++) {
        xs = PyArray_STRIDES(x); ys = PyArray_STRIDES(y);
        xp = (@C@ *)PyArray_DATA(x); yp = (@C@ *)PyArray_DATA(y);
        int xr = xs[xn - 1] % it == 0 && (xn == 1 || xs[0] % it == 0);
        int yr = ys[0] % it == 0 && (yn == 1 || ys[1] % it == 0);
        if (xr && yr) {
            if (xn == 2 && yn == 2)
                ok = ptops_gemm_@T@(m, n, kx, xp, xs[0] / it, xs[1] / it, yp, ys[0] / it,
                                    ys[1] / it, op) == 0;
            else if (xn == 2)
                ok = ptops_gemv_@T@(m, kx, xp, xs[0] / it, xs[1] / it, yp, ys[0] / it, op) == 0;
            else if (yn == 2)
                ok = ptops_gemv_@T@(n, kx, yp, ys[1] / it, ys[0] / it, xp, xs[0] / it, op) == 0;
            else {
                int nk = (int)kx, ix = kx > 1 ? (int)(xs[0] / it) : 1;
                int iy = kx > 1 ? (int)(ys[0] / it) : 1;
                ok = ix > 0 && iy > 0;
                if (ok) *op = kx ? ptops_@T@dot(nk, xp, ix, yp, iy) : 0;
            }
        } else {
            ok = 0;
        }
        if (ok) break;
        /* An unusable layout: BLAS on C-contiguous copies. */
        PyArrayObject *xc = (PyArrayObject *)PyArray_NewCopy(x, NPY_CORDER);
        PyArrayObject *yc = (PyArrayObject *)PyArray_NewCopy(y, NPY_CORDER);
        Py_DECREF(x);
        Py_DECREF(y);
        x = xc;
        y = yc;
        if (x == NULL || y == NULL) goto fail;
    }
    if (!ok) {
        PyErr_SetString(PyExc_RuntimeError, "Dot: no BLAS layout for C-contiguous operands");
        goto fail;
    }
    Py_DECREF(x);
    Py_DECREF(y);
    outputs[0] = (PyObject *)out;
    return 0;
fail:
    Py_XDECREF(x);
    Py_XDECREF(y);
    Py_XDECREF(out);
    return -1;"""

_DOT_NUMPY = r"""
    PyArrayObject *x = (PyArrayObject *)inputs[0], *y = (PyArrayObject *)inputs[1];
    int xn = PyArray_NDIM(x), yn = PyArray_NDIM(y);
    npy_intp kx = PyArray_DIMS(x)[xn - 1], ky = PyArray_DIMS(y)[0];
    if (kx != ky) {
        PyObject *xs = ptops_tuple(PyArray_DIMS(x), xn), *ys = ptops_tuple(PyArray_DIMS(y), yn);
        if (xs != NULL && ys != NULL)
            PyErr_Format(PyExc_ValueError, "Dot: the contracted dimensions of x (shape %R) and y "
                         "(shape %R) differ: %zd != %zd", xs, ys, kx, ky);
        Py_XDECREF(xs);
        Py_XDECREF(ys);
        return -1;
    }
    PyObject *r = PyArray_MatrixProduct2((PyObject *)x, (PyObject *)y, NULL);
    if (r == NULL) return -1;
    outputs[0] = PyArray_FROM_OTF(r, @TN@, NPY_ARRAY_ENSUREARRAY | NPY_ARRAY_FORCECAST);
    Py_DECREF(r);
    return outputs[0] == NULL ? -1 : 0;"""


@c_funcify.register(Dot)
def c_funcify_Dot(op: Dot, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    dtype = dtype_of(node.outputs[0])
    tn = typenum(dtype)
    if dtype in ("float32", "float64"):
        t, c = ("d", "double") if dtype == "float64" else ("s", "float")
        body = _DOT_BLAS.replace("@T@", t).replace("@C@", c).replace("@TN@", tn)
        return make_impl(name, kernel(name, body), BLAS_POINTERS, _typed(dtype))
    return make_impl(name, kernel(name, _DOT_NUMPY.replace("@TN@", tn)))


_MATMUL_CHECKS = r"""
    PyArrayObject *x0 = (PyArrayObject *)inputs[0], *y0 = (PyArrayObject *)inputs[1];
    int xn = PyArray_NDIM(x0), yn = PyArray_NDIM(y0), nb = @NB@;
    const npy_intp *xd = PyArray_DIMS(x0), *yd = PyArray_DIMS(y0);
    if (xd[xn - 1] != yd[yn - 2]) {
        PyObject *xs = ptops_tuple(xd, xn), *ys = ptops_tuple(yd, yn);
        if (xs != NULL && ys != NULL)
            PyErr_Format(PyExc_ValueError, "Matmul: the contracted dimensions of x (shape %R) and "
                         "y (shape %R) differ: %zd != %zd", xs, ys, xd[xn - 1], yd[yn - 2]);
        Py_XDECREF(xs);
        Py_XDECREF(ys);
        return -1;
    }
    static const int xst1[] = {@XST1@}, yst1[] = {@YST1@};
    npy_intp bdims[NPY_MAXDIMS + 1];
    for (int d = 0; d < nb; d++) {
        int xj = d - (nb + 2 - xn), yj = d - (nb + 2 - yn);
        npy_intp xl = xj >= 0 ? xd[xj] : 1, yl = yj >= 0 ? yd[yj] : 1;
        int xs1 = xj < 0 || xst1[xj], ys1 = yj < 0 || yst1[yj];
        if (!xs1 && !ys1 && xl != yl) {
            PyObject *xs = ptops_tuple(xd, xn), *ys = ptops_tuple(yd, yn);
            if (xs != NULL && ys != NULL)
                PyErr_Format(PyExc_ValueError, "Matmul: batch dimension %d of x (shape %R) and y "
                             "(shape %R) differs: %zd != %zd.%s", d, xs, ys, xl, yl,
                             (xl == 1 || yl == 1) ? " Runtime broadcasting is not allowed: "
                             "declare a length-1 batch dimension in the static shape (e.g. "
                             "pt.specify_broadcastable) to broadcast it." : "");
            Py_XDECREF(xs);
            Py_XDECREF(ys);
            return -1;
        }
        bdims[d] = xs1 ? yl : xl;
    }
"""

_MATMUL_BLAS = r"""
    if (ptops_blas_init() < 0) return -1;
    PyArrayObject *x = (PyArrayObject *)PyArray_FROM_OTF((PyObject *)x0, @TN@,
                                                         NPY_ARRAY_CARRAY_RO);
    PyArrayObject *y = (PyArrayObject *)PyArray_FROM_OTF((PyObject *)y0, @TN@,
                                                         NPY_ARRAY_CARRAY_RO);
    PyArrayObject *out = NULL;
    if (x == NULL || y == NULL) goto fail;
    npy_intp m = xd[xn - 2], k = xd[xn - 1], n = yd[yn - 1];
    if (m > INT_MAX || n > INT_MAX || k > INT_MAX) {
        PyErr_SetString(PyExc_ValueError, "Matmul: matrix dimensions exceed the BLAS int range");
        goto fail;
    }
    bdims[nb] = m;
    bdims[nb + 1] = n;
    out = ptops_empty(nb + 2, bdims, @TN@);
    if (out == NULL) goto fail;
    npy_intp total = 1, idx[NPY_MAXDIMS], xoff = 0, yoff = 0;
    for (int d = 0; d < nb; d++) { total *= bdims[d]; idx[d] = 0; }
    npy_intp xmat = m * k, ymat = k * n;
    /* Element offsets of each batch dimension (0 where an operand broadcasts). */
    npy_intp xstep[NPY_MAXDIMS], ystep[NPY_MAXDIMS], xa = xmat, ya = ymat;
    for (int d = nb - 1; d >= 0; d--) {
        int xj = d - (nb + 2 - xn), yj = d - (nb + 2 - yn);
        npy_intp xl = xj >= 0 ? xd[xj] : 1, yl = yj >= 0 ? yd[yj] : 1;
        xstep[d] = xl == 1 ? 0 : xa;
        ystep[d] = yl == 1 ? 0 : ya;
        xa *= xl;
        ya *= yl;
    }
    @C@ *xp = (@C@ *)PyArray_DATA(x), *yp = (@C@ *)PyArray_DATA(y), *op = (@C@ *)PyArray_DATA(out);
    for (npy_intp b = 0; b < total; b++) {
        ptops_gemm_@T@((int)m, (int)n, (int)k, xp + xoff, k, 1, yp + yoff, n, 1, op + b * m * n);
        for (int d = nb - 1; d >= 0; d--) {
            xoff += xstep[d];
            yoff += ystep[d];
            if (++idx[d] < bdims[d]) break;
            xoff -= xstep[d] * bdims[d];
            yoff -= ystep[d] * bdims[d];
            idx[d] = 0;
        }
    }
    Py_DECREF(x);
    Py_DECREF(y);
    outputs[0] = (PyObject *)out;
    return 0;
fail:
    Py_XDECREF(x);
    Py_XDECREF(y);
    Py_XDECREF(out);
    return -1;"""

_MATMUL_NUMPY = r"""
    (void)bdims;
    PyObject *r = PyNumber_MatrixMultiply((PyObject *)x0, (PyObject *)y0);
    if (r == NULL) return -1;
    outputs[0] = PyArray_FROM_OTF(r, @TN@, NPY_ARRAY_ENSUREARRAY | NPY_ARRAY_FORCECAST);
    Py_DECREF(r);
    return outputs[0] == NULL ? -1 : 0;"""


def _flags1(var: Any) -> str:
    return ", ".join("1" if s == 1 else "0" for s in var.type.shape[:-2]) or "0"


@c_funcify.register(Matmul)
def c_funcify_Matmul(op: Matmul, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    dtype = dtype_of(node.outputs[0])
    tn = typenum(dtype)
    checks = (
        _MATMUL_CHECKS.replace("@NB@", str(node.outputs[0].type.ndim - 2))
        .replace("@XST1@", _flags1(node.inputs[0]))
        .replace("@YST1@", _flags1(node.inputs[1]))
    )
    if dtype in ("float32", "float64"):
        t, c = ("d", "double") if dtype == "float64" else ("s", "float")
        run = _MATMUL_BLAS.replace("@T@", t).replace("@C@", c).replace("@TN@", tn)
        return make_impl(name, kernel(name, checks + run), BLAS_POINTERS, _typed(dtype))
    return make_impl(name, kernel(name, checks + _MATMUL_NUMPY.replace("@TN@", tn)))
