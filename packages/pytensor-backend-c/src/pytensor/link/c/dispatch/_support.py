"""Shared helpers of the C code generators: C types of dtypes, safe string literals,
and C support snippets used by several kernels (layer: pytensor-backend-c).

Invariant: generated C never contains text taken from user data (variable
names, Op strings, messages) except through :func:`c_string_literal`.
"""

from __future__ import annotations

__all__ = [
    "C_TYPES",
    "NPY_TYPES",
    "SCALAR_ERROR",
    "SUPPORT_ERRORS",
    "c_string_literal",
    "c_type",
    "npy_type",
]

#: C type of one element of each NumPy dtype the C backend computes with.
#: float16 is absent: nodes with float16 values run through ``perform``.
C_TYPES: dict[str, str] = {
    "bool": "npy_bool",
    "int8": "npy_int8",
    "int16": "npy_int16",
    "int32": "npy_int32",
    "int64": "npy_int64",
    "uint8": "npy_uint8",
    "uint16": "npy_uint16",
    "uint32": "npy_uint32",
    "uint64": "npy_uint64",
    "float32": "float",
    "float64": "double",
    "complex64": "float _Complex",
    "complex128": "double _Complex",
}

#: NumPy type numbers (C enum names) of the same dtypes.
NPY_TYPES: dict[str, str] = {
    "bool": "NPY_BOOL",
    "int8": "NPY_INT8",
    "int16": "NPY_INT16",
    "int32": "NPY_INT32",
    "int64": "NPY_INT64",
    "uint8": "NPY_UINT8",
    "uint16": "NPY_UINT16",
    "uint32": "NPY_UINT32",
    "uint64": "NPY_UINT64",
    "float16": "NPY_FLOAT16",
    "float32": "NPY_FLOAT32",
    "float64": "NPY_FLOAT64",
    "complex64": "NPY_COMPLEX64",
    "complex128": "NPY_COMPLEX128",
}


def c_type(dtype: str) -> str | None:
    """The C element type of ``dtype``, or None when the C backend does not compute with it."""
    return C_TYPES.get(str(dtype))


def npy_type(dtype: str) -> str:
    """The ``NPY_*`` type number of ``dtype`` (KeyError for dtypes NumPy's C API lacks)."""
    return NPY_TYPES[str(dtype)]


def c_string_literal(text: str) -> str:
    """A C string literal (with its quotes) whose bytes are the UTF-8 encoding of ``text``.

    Every byte outside printable ASCII, and the quote, backslash, ``?``
    (trigraphs) and ``/`` (so no ``*/`` or ``//`` appears even if the literal
    lands in a comment), is written as a three-digit octal escape: no input can
    end the literal or change the meaning of the code around it.

    Examples
    --------
    >>> c_string_literal('say "hi"\\n')
    '"say \\\\042hi\\\\042\\\\012"'
    """
    out = ['"']
    for byte in str(text).encode("utf-8"):
        ch = chr(byte)
        if 0x20 <= byte < 0x7F and ch not in '"\\?/':
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    out.append('"')
    return "".join(out)


#: The error channel of scalar functions, which are per-element expressions and cannot raise:
#: a function that meets an input NumPy rejects (a negative integer power) stores the
#: ValueError text in ``pyt_scalar_error`` and returns any value; the kernel running the loop
#: calls ``pyt_raise_scalar_error`` after it. Thread-local because long loops run without
#: the GIL. Invariant: a scalar function that sets the flag lists this snippet in its
#: support, which is how the loop generators know to check it (``ScalarProgram.can_fail``).
SCALAR_ERROR = r"""
#ifndef PYT_SCALAR_ERROR
#define PYT_SCALAR_ERROR
static _Thread_local const char *pyt_scalar_error;

/* 0, or -1 with the ValueError a scalar function reported during the loop (flag cleared). */
static int pyt_raise_scalar_error(void) {
    const char *msg = pyt_scalar_error;
    if (msg == NULL) return 0;
    pyt_scalar_error = NULL;
    PyErr_SetString(PyExc_ValueError, msg);
    return -1;
}
#endif
"""


#: Error helpers shared by kernels: the broadcast error of Elemwise, with the
#: message of ``Elemwise.perform``, built from the run-time shapes.
SUPPORT_ERRORS = r"""
static PyObject *pyt_shape_tuple(PyArrayObject *a) {
    int nd = PyArray_NDIM(a);
    PyObject *t = PyTuple_New(nd);
    if (t == NULL) return NULL;
    for (int d = 0; d < nd; d++) {
        PyObject *v = PyLong_FromSsize_t(PyArray_DIM(a, d));
        if (v == NULL) { Py_DECREF(t); return NULL; }
        PyTuple_SET_ITEM(t, d, v);
    }
    return t;
}

/* ValueError of Elemwise._check_runtime_shapes: inputs `first` and `k` disagree at dim `d`.
   `statics[i]` is the text of input i's static shape. */
static void pyt_broadcast_error(const char *op, PyArrayObject **arrs, int first, int k, int d,
                                const char *const *statics) {
    npy_intp n = PyArray_DIM(arrs[k], d), length = PyArray_DIM(arrs[first], d);
    PyObject *s1 = pyt_shape_tuple(arrs[first]);
    PyObject *s2 = pyt_shape_tuple(arrs[k]);
    if (s1 == NULL || s2 == NULL) { Py_XDECREF(s1); Py_XDECREF(s2); return; }
    if (n == 1 || length == 1) {
        int small = (n == 1) ? k : first;
        PyErr_Format(PyExc_ValueError,
            "%s: shapes %R (input %d) and %R (input %d) do not match at dimension %d. "
            "Input %d has length 1 there but its static shape %s does not say so, and runtime "
            "broadcasting is not allowed: declare the dimension as length 1 (e.g. shape=(1, ...) "
            "when creating the variable, or pt.specify_broadcastable(x, %d))",
            op, s1, first, s2, k, d, small, statics[small], d);
    } else {
        PyErr_Format(PyExc_ValueError,
            "%s: shapes %R (input %d) and %R (input %d) do not match at dimension %d. "
            "The lengths must be equal", op, s1, first, s2, k, d);
    }
    Py_DECREF(s1);
    Py_DECREF(s2);
}

/* The value of a kernel input as an ndarray of `typenum` with `ndim` dims (new reference). */
static PyArrayObject *pyt_as_array(PyObject *v, int typenum, int ndim, const char *op, int i) {
    PyArrayObject *a;
    if (PyArray_Check(v) && PyArray_TYPE((PyArrayObject *)v) == typenum
        && PyArray_ISALIGNED((PyArrayObject *)v) && PyArray_ISNOTSWAPPED((PyArrayObject *)v)) {
        Py_INCREF(v);
        a = (PyArrayObject *)v;
    } else {
        a = (PyArrayObject *)PyArray_FromAny(v, PyArray_DescrFromType(typenum), 0, 0,
                                             NPY_ARRAY_ALIGNED, NULL);
        if (a == NULL) return NULL;
    }
    if (PyArray_NDIM(a) != ndim) {
        PyErr_Format(PyExc_ValueError, "%s: input %d has %d dimensions, expected %d", op, i,
                     PyArray_NDIM(a), ndim);
        Py_DECREF(a);
        return NULL;
    }
    return a;
}
"""


def c_literal(value: object, dtype: str) -> str:
    """A C expression of type ``c_type(dtype)`` with the value ``value`` (inf/nan included)."""

    import numpy as np

    ctype = C_TYPES[str(dtype)]
    v = np.asarray(value, dtype=dtype)[()]
    kind = np.dtype(dtype).kind
    if kind == "b":
        return f"(({ctype}){int(bool(v))})"
    if kind in "iu":
        iv = int(v)
        if kind == "u":
            return f"(({ctype}){iv}ULL)"
        if iv == -(2**63):
            return f"(({ctype})(-9223372036854775807LL - 1))"
        return f"(({ctype}){iv}LL)"
    if kind == "f":
        return f"(({ctype}){_c_double(float(v))})"
    if kind == "c":
        base = "double" if dtype == "complex128" else "float"
        re, im = _c_double(float(v.real)), _c_double(float(v.imag))
        return f"(({ctype})(CMPLX{'F' if base == 'float' else ''}({re}, {im})))"
    raise TypeError(f"no C literal for dtype {dtype}")  # pragma: no cover


def _c_double(x: float) -> str:
    import math

    if math.isnan(x):
        return "NAN"
    if math.isinf(x):
        return "INFINITY" if x > 0 else "(-INFINITY)"
    return f"({float.hex(x)})" if x != 0 or math.copysign(1, x) > 0 else "(-0.0)"


#: Functions glibc's libmvec has vector versions of. glibc declares them SIMD-enabled
#: only under -ffast-math; declaring them again lets gcc vectorize loops calling them
#: while keeping IEEE semantics (libmvec's accuracy is within 4 ulp).
LIBMVEC_FUNCS = (
    "acos acosh asin asinh atan atanh cbrt cos cosh erf erfc exp exp10 exp2 expm1 log log10 "
    "log1p log2 sin sinh tan tanh"
).split()
LIBMVEC_FUNCS2 = ("atan2", "hypot", "pow")


def module_prelude() -> str:
    """Includes and the SIMD declarations of libm functions, at the top of every module."""
    lines = [
        "#include <Python.h>",
        "#include <numpy/arrayobject.h>",
        "#include <math.h>",
        "#include <complex.h>",
        "#include <string.h>",
        "#include <stdint.h>",
        "#if defined(PYT_LIBMVEC) && defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)",
        '#define PYT_SIMD __attribute__((simd("notinbranch")))',
    ]
    for f in LIBMVEC_FUNCS:
        lines.append(f"PYT_SIMD double {f}(double); PYT_SIMD float {f}f(float);")
    for f in LIBMVEC_FUNCS2:
        lines.append(f"PYT_SIMD double {f}(double, double); PYT_SIMD float {f}f(float, float);")
    lines.append("#endif")
    return "\n".join(lines) + "\n"
