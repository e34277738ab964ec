"""C helpers shared by the tensor-Op kernels of the C backend (layer: pytensor-backend-c).

Private to the kernels in ``tensor_basic``, ``shape``, ``subtensor``,
``advanced_subtensor``, ``blas``, ``extra_ops``, ``sort`` and ``raise_op``.
Every support snippet here is a constant string, so the driver emits it once
however many nodes use it.
"""

from __future__ import annotations

import hashlib
import weakref
from typing import Any

# c_str: Op descriptions (``str(op)``) as C literals for error messages; they are always
# passed as a ``%s`` argument, never as a format, so ``%`` needs no doubling.
from pytensor.link.c.dispatch._support import c_string_literal as c_str

__all__ = [
    "COMMON",
    "c_str",
    "ctype",
    "dtype_of",
    "kernel",
    "typenum",
]

#: dtype name -> (C type, NumPy type number macro).
_DTYPES: dict[str, tuple[str, str]] = {
    "bool": ("npy_bool", "NPY_BOOL"),
    "int8": ("npy_int8", "NPY_INT8"),
    "int16": ("npy_int16", "NPY_INT16"),
    "int32": ("npy_int32", "NPY_INT32"),
    "int64": ("npy_int64", "NPY_INT64"),
    "uint8": ("npy_uint8", "NPY_UINT8"),
    "uint16": ("npy_uint16", "NPY_UINT16"),
    "uint32": ("npy_uint32", "NPY_UINT32"),
    "uint64": ("npy_uint64", "NPY_UINT64"),
    "float16": ("npy_half", "NPY_FLOAT16"),
    "float32": ("npy_float32", "NPY_FLOAT32"),
    "float64": ("npy_float64", "NPY_FLOAT64"),
    "complex64": ("npy_complex64", "NPY_COMPLEX64"),
    "complex128": ("npy_complex128", "NPY_COMPLEX128"),
}


def dtype_of(var: Any) -> str:
    """The dtype name of a tensor or scalar variable."""
    return str(var.type.dtype)


def ctype(dtype: str) -> str:
    """The C type of ``dtype`` (KeyError for a dtype without one)."""
    return _DTYPES[dtype][0]


def typenum(dtype: str) -> str:
    """The NumPy type-number macro of ``dtype``."""
    return _DTYPES[dtype][1]


def kernel(name: str, body: str, locals_: str = "") -> str:
    """The kernel function ``name`` with ``body`` (which returns 0, or jumps to ``fail``)."""
    return f"static int {name}(PyObject **inputs, PyObject **outputs)\n{{\n{locals_}{body}\n}}\n"


#: Helpers every tensor-Op kernel may call.
COMMON = r"""
#ifndef PTOPS_COMMON
#define PTOPS_COMMON
/* An integer from a 0-d array, a NumPy integer scalar or a Python int. */
static int ptops_as_intp(PyObject *o, npy_intp *out)
{
    if (PyArray_Check(o) && PyArray_NDIM((PyArrayObject *)o) == 0) {
        PyArrayObject *a = (PyArrayObject *)o;
        const void *p = PyArray_DATA(a);
        switch (PyArray_TYPE(a)) {
        case NPY_BYTE: *out = *(const npy_byte *)p; return 0;
        case NPY_UBYTE: *out = *(const npy_ubyte *)p; return 0;
        case NPY_SHORT: *out = *(const npy_short *)p; return 0;
        case NPY_USHORT: *out = *(const npy_ushort *)p; return 0;
        case NPY_INT: *out = *(const npy_int *)p; return 0;
        case NPY_UINT: *out = *(const npy_uint *)p; return 0;
        case NPY_LONG: *out = *(const npy_long *)p; return 0;
        case NPY_LONGLONG: *out = *(const npy_longlong *)p; return 0;
        case NPY_BOOL: *out = *(const npy_bool *)p; return 0;
        default: break;
        }
    }
    PyObject *i = PyNumber_Index(o);
    if (i == NULL) return -1;
    *out = PyLong_AsSsize_t(i);
    Py_DECREF(i);
    if (*out == -1 && PyErr_Occurred()) return -1;
    return 0;
}

/* A Python tuple of the n lengths in d (formats like a NumPy shape). */
static PyObject *ptops_tuple(const npy_intp *d, int n)
{
    PyObject *t = PyTuple_New(n);
    if (t == NULL) return NULL;
    for (int i = 0; i < n; i++) {
        PyObject *v = PyLong_FromSsize_t(d[i]);
        if (v == NULL) { Py_DECREF(t); return NULL; }
        PyTuple_SET_ITEM(t, i, v);
    }
    return t;
}

/* numpy.exceptions.AxisError (a borrowed, cached reference; ValueError if missing). */
static PyObject *ptops_axis_error(void)
{
    static PyObject *cls = NULL;
    if (cls == NULL) {
        PyObject *m = PyImport_ImportModule("numpy.exceptions");
        if (m != NULL) {
            cls = PyObject_GetAttrString(m, "AxisError");
            Py_DECREF(m);
        }
        if (cls == NULL) { PyErr_Clear(); return PyExc_ValueError; }
    }
    return cls;
}

/* o as an array of type number tn (a new reference; no copy when it already is one). */
static PyArrayObject *ptops_as_type(PyObject *o, int tn)
{
    if (PyArray_Check(o) && PyArray_TYPE((PyArrayObject *)o) == tn
        && PyArray_ISNOTSWAPPED((PyArrayObject *)o)) {
        Py_INCREF(o);
        return (PyArrayObject *)o;
    }
    return (PyArrayObject *)PyArray_FROM_OTF(o, tn, NPY_ARRAY_ALIGNED | NPY_ARRAY_FORCECAST);
}

/* A new uninitialised C-contiguous array of type number tn. */
static PyArrayObject *ptops_empty(int nd, const npy_intp *dims, int tn)
{
    return (PyArrayObject *)PyArray_EMPTY(nd, (npy_intp *)dims, tn, 0);
}

/* A view of base with the given geometry (the view keeps base alive). */
static PyArrayObject *ptops_view(PyArrayObject *base, char *data, int nd, const npy_intp *dims,
                                 const npy_intp *strides)
{
    PyArray_Descr *descr = PyArray_DESCR(base);
    Py_INCREF(descr);
    int flags = PyArray_FLAGS(base) & NPY_ARRAY_WRITEABLE;
    PyArrayObject *v = (PyArrayObject *)PyArray_NewFromDescr(
        &PyArray_Type, descr, nd, (npy_intp *)dims, (npy_intp *)strides, data, flags, NULL);
    if (v == NULL) return NULL;
    Py_INCREF(base);
    if (PyArray_SetBaseObject(v, (PyObject *)base) < 0) { Py_DECREF(v); return NULL; }
    PyArray_UpdateFlags(v, NPY_ARRAY_UPDATE_ALL);
    return v;
}
#endif
"""


def strided_binary(fname: str, ctype_: str, stmt: str) -> str:
    """A C function ``fname(dst, dst_strides, src, src_strides, shape, nd)`` running ``stmt``
    (with ``D`` and ``S``, pointers to ``ctype_`` elements) over every element of ``shape``."""
    return rf"""
static void {fname}(char *dst, const npy_intp *ds, const char *src, const npy_intp *ss,
                    const npy_intp *shape, int nd)
{{
    npy_intp idx[NPY_MAXDIMS];
    for (int d = 0; d < nd; d++) {{
        if (shape[d] == 0) return;
        idx[d] = 0;
    }}
    npy_intp n = nd ? shape[nd - 1] : 1, dsi = nd ? ds[nd - 1] : 0, ssi = nd ? ss[nd - 1] : 0;
    for (;;) {{
        char *dp = dst;
        const char *sp = src;
        for (npy_intp i = 0; i < n; i++, dp += dsi, sp += ssi) {{
            {ctype_} *D = ({ctype_} *)dp;
            const {ctype_} *S = (const {ctype_} *)sp;
            {stmt}
        }}
        int d = nd - 2;
        for (; d >= 0; d--) {{
            dst += ds[d];
            src += ss[d];
            if (++idx[d] < shape[d]) break;
            dst -= ds[d] * shape[d];
            src -= ss[d] * shape[d];
            idx[d] = 0;
        }}
        if (d < 0) return;
    }}
}}
"""


#: Broadcast strides and memory extents, for writing a value into a region.
WRITE = r"""
#ifndef PTOPS_WRITE
#define PTOPS_WRITE
/* Strides that read y (ndim <= nd, aligned right) broadcast to shape: 0 along length-1 dims. */
static void ptops_bcast_strides(PyArrayObject *y, int nd, const npy_intp *shape, npy_intp *out)
{
    int yn = PyArray_NDIM(y), off = nd - yn;
    for (int d = 0; d < nd; d++) {
        int j = d - off;
        out[d] = (j < 0 || (PyArray_DIMS(y)[j] == 1 && shape[d] != 1)) ? 0
                 : PyArray_STRIDES(y)[j];
    }
}

/* Whether the memory spans of a and b intersect (a cheap, conservative overlap test). */
static int ptops_overlap(PyArrayObject *a, PyArrayObject *b)
{
    char *lo[2], *hi[2];
    PyArrayObject *ab[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        char *p = PyArray_BYTES(ab[k]);
        lo[k] = hi[k] = p;
        if (PyArray_SIZE(ab[k]) == 0) return 0;
        for (int d = 0; d < PyArray_NDIM(ab[k]); d++) {
            npy_intp ext = (PyArray_DIMS(ab[k])[d] - 1) * PyArray_STRIDES(ab[k])[d];
            if (ext < 0) lo[k] += ext; else hi[k] += ext;
        }
        hi[k] += PyArray_ITEMSIZE(ab[k]);
    }
    return lo[0] < hi[1] && lo[1] < hi[0];
}
#endif
"""


#: Kernels whose errors name variables: token -> node, for :func:`reperform`.
_NODES: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()


def node_token(node: Any) -> str:
    """A hex token of ``node``'s Op and inputs (names included): safe to embed in C."""
    parts = [type(node.op).__qualname__, str(node.op)]
    parts += [f"{i}\1{i.type}" for i in node.inputs]
    text = "\0".join(parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def reperform(token: str, inputs: tuple[Any, ...]) -> None:
    """Run the registered node's ``perform`` on ``inputs`` (called by a failing kernel).

    ``perform`` raises the reference exception, whose message names the
    node's variables: the kernel reports that one instead of its own (which
    cannot contain names, since the C source holds no user text).
    """
    node = _NODES.get(token)
    if node is None:
        return
    storage: list[list[Any]] = [[None] for _ in node.outputs]
    node.op.perform(node, list(inputs), storage)


#: Replaces a kernel's exception by perform's one of the same type (see reperform).
REPERFORM = r"""
#ifndef PTOPS_REPERFORM
#define PTOPS_REPERFORM
static int ptops_reperform(const char *token, PyObject **inputs, int n)
{
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    if (t == NULL) {
        PyErr_SetString(PyExc_SystemError, "a C kernel failed without setting an exception");
        return -1;
    }
    PyObject *args = PyTuple_New(n), *m = NULL, *r = NULL;
    for (int i = 0; args != NULL && i < n; i++) {
        Py_INCREF(inputs[i]);
        PyTuple_SET_ITEM(args, i, inputs[i]);
    }
    if (args != NULL) m = PyImport_ImportModule("pytensor.link.c.dispatch._ops_common");
    if (m != NULL) r = PyObject_CallMethod(m, "reperform", "sO", token, args);
    Py_XDECREF(args);
    Py_XDECREF(m);
    Py_XDECREF(r);
    if (r == NULL && PyErr_ExceptionMatches(t)) {
        Py_DECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
        return -1;
    }
    PyErr_Clear();
    PyErr_Restore(t, v, tb);
    return -1;
}
#endif
"""


def make_impl(name: str, code: str, *support: str, node: Any = None) -> Any:
    """The CImpl of ``code`` (kernel ``name`` and its ``name``-prefixed helpers).

    The key leaves ``name`` out, so equal nodes share one kernel (the driver
    reuses the first node's name, whose helpers carry that same name). With
    ``node``, a failing kernel reports ``perform``'s exception (see
    :func:`reperform`); the kernel then depends on the node's variable names.
    """
    from pytensor.link.c.dispatch.basic import CImpl

    if node is not None:
        token = node_token(node)
        _NODES[token] = node
        head = f"static int {name}(PyObject **inputs, PyObject **outputs)"
        assert head in code
        code = code.replace(head, f"static int {name}_body(PyObject **inputs, PyObject **outputs)")
        code += (
            f"\n{head}\n{{\n    if ({name}_body(inputs, outputs) == 0) return 0;\n"
            f'    return ptops_reperform("{token}", inputs, {len(node.inputs)});\n}}\n'
        )
        support = (*support, REPERFORM)
    return CImpl(code=code, key=code.replace(name, "@K@"), support=(COMMON, *support))
