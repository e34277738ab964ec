"""C kernels of the allocation, conversion, range and join Ops of ``pytensor.tensor``
(Alloc, AllocEmpty, MakeVector, TensorFromScalar, ScalarFromTensor, ARange, Eye,
Join, Split, ExtractDiag) (layer: pytensor-backend-c).

Error messages follow ``perform`` but never contain variable names (the C
source holds no user text): where ``perform`` names an input, the kernel says
which input by position.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.c.dispatch._ops_common import c_str, dtype_of, kernel, make_impl, typenum
from pytensor.link.c.dispatch.basic import CImpl, c_funcify
from pytensor.tensor._alloc import Alloc, AllocEmpty, MakeVector
from pytensor.tensor._diag import ExtractDiag
from pytensor.tensor._join import Join, Split
from pytensor.tensor._ranges import ARange, Eye, Nonzero
from pytensor.tensor.basic import ScalarFromTensor, TensorFromScalar

__all__ = [
    "c_funcify_ARange",
    "c_funcify_Alloc",
    "c_funcify_AllocEmpty",
    "c_funcify_Eye",
    "c_funcify_ExtractDiag",
    "c_funcify_Join",
    "c_funcify_MakeVector",
    "c_funcify_Nonzero",
    "c_funcify_ScalarFromTensor",
    "c_funcify_Split",
    "c_funcify_TensorFromScalar",
]

_NEGATIVE_SHAPE = r"""
    for (int i = 0; i < @ND@; i++) {
        if (sh[i] < 0) {
            PyObject *t = ptops_tuple(sh, @ND@);
            if (t != NULL)
                PyErr_Format(PyExc_ValueError, "%s: negative length in the requested shape %R",
                             @OPNAME@, t);
            Py_XDECREF(t);
            return -1;
        }
    }"""


def _impl(name: str, body: str, *support: str, node: Any = None) -> CImpl:
    return make_impl(name, kernel(name, body), *support, node=node)


def _read_shape(first: int, nd: int, opname: str) -> str:
    reads = "\n".join(
        f"    if (ptops_as_intp(inputs[{first + i}], &sh[{i}]) < 0) return -1;" for i in range(nd)
    )
    check = _NEGATIVE_SHAPE.replace("@ND@", str(nd)).replace("@OPNAME@", opname)
    return f"    npy_intp sh[{nd} + 1];\n{reads}\n{check}\n"


@c_funcify.register(Alloc)
def c_funcify_Alloc(op: Alloc, node: Any, **kw: Any) -> CImpl:
    nd = node.outputs[0].type.ndim
    vstatic = node.inputs[0].type.shape
    opname = c_str(str(op))
    bcast = ", ".join("1" if s == 1 else "0" for s in vstatic) or "0"
    tn = typenum(dtype_of(node.outputs[0]))
    body = (
        _read_shape(1, nd, opname)
        + rf"""
    PyArrayObject *v = (PyArrayObject *)inputs[0];
    static const int vb[] = {{{bcast}}};
    int vnd = PyArray_NDIM(v), offset = {nd} - vnd;
    for (int j = 0; j < vnd && j < {len(vstatic)}; j++) {{
        npy_intp vj = PyArray_DIMS(v)[j];
        if (!vb[j] && vj != sh[offset + j]) {{
            PyObject *vs = ptops_tuple(PyArray_DIMS(v), vnd), *ss = ptops_tuple(sh, {nd});
            if (vs != NULL && ss != NULL)
                PyErr_Format(PyExc_ValueError,
                    "%s: value of shape %R cannot fill the shape %R: dimension %d of the value "
                    "has length %zd, the shape wants %zd%s", {opname}, vs, ss, j, vj,
                    sh[offset + j], vj == 1 ? "; runtime broadcasting is not allowed: declare "
                    "the dimension as length 1 (e.g. with pt.specify_broadcastable)" : "");
            Py_XDECREF(vs);
            Py_XDECREF(ss);
            return -1;
        }}
    }}
    PyArrayObject *out = ptops_empty({nd}, sh, {tn});
    if (out == NULL) return -1;
    if (PyArray_CopyInto(out, v) < 0) {{
        Py_DECREF(out);
        return -1;
    }}
    outputs[0] = (PyObject *)out;
    return 0;"""
    )
    return _impl(kw["name"], body, node=node)


@c_funcify.register(AllocEmpty)
def c_funcify_AllocEmpty(op: AllocEmpty, node: Any, **kw: Any) -> CImpl:
    nd = len(node.inputs)
    body = (
        _read_shape(0, nd, c_str(str(op)))
        + rf"""
    PyArrayObject *out = ptops_empty({nd}, sh, {typenum(op.dtype)});
    if (out == NULL) return -1;
    outputs[0] = (PyObject *)out;
    return 0;"""
    )
    return _impl(kw["name"], body)


@c_funcify.register(MakeVector)
def c_funcify_MakeVector(op: MakeVector, node: Any, **kw: Any) -> CImpl:
    n = len(node.inputs)
    tn = typenum(op.dtype)
    body = rf"""
    npy_intp n = {n};
    PyArrayObject *out = ptops_empty(1, &n, {tn});
    if (out == NULL) return -1;
    npy_intp size = PyArray_ITEMSIZE(out);
    for (int i = 0; i < {n}; i++) {{
        PyArrayObject *a = ptops_as_type(inputs[i], {tn});
        if (a == NULL) {{ Py_DECREF(out); return -1; }}
        memcpy(PyArray_BYTES(out) + i * size, PyArray_DATA(a), size);
        Py_DECREF(a);
    }}
    outputs[0] = (PyObject *)out;
    return 0;"""
    return _impl(kw["name"], body)


@c_funcify.register(TensorFromScalar)
def c_funcify_TensorFromScalar(op: TensorFromScalar, node: Any, **kw: Any) -> CImpl:
    tn = typenum(dtype_of(node.outputs[0]))
    body = rf"""
    PyObject *out = PyArray_FROM_OTF(inputs[0], {tn},
                                     NPY_ARRAY_ENSURECOPY | NPY_ARRAY_FORCECAST | NPY_ARRAY_DEFAULT);
    if (out == NULL) return -1;
    outputs[0] = out;
    return 0;"""
    return _impl(kw["name"], body)


@c_funcify.register(ScalarFromTensor)
def c_funcify_ScalarFromTensor(op: ScalarFromTensor, node: Any, **kw: Any) -> CImpl:
    body = r"""
    PyArrayObject *a = (PyArrayObject *)inputs[0];
    PyObject *out = PyArray_ToScalar(PyArray_DATA(a), a);
    if (out == NULL) return -1;
    outputs[0] = out;
    return 0;"""
    return _impl(kw["name"], body)


@c_funcify.register(ARange)
def c_funcify_ARange(op: ARange, node: Any, **kw: Any) -> CImpl:
    body = rf"""
    PyObject *v[3] = {{NULL, NULL, NULL}};
    int rc = -1;
    for (int i = 0; i < 3; i++) {{
        PyArrayObject *a = (PyArrayObject *)inputs[i];
        v[i] = PyArray_GETITEM(a, PyArray_DATA(a));
        if (v[i] == NULL) goto done;
    }}
    int zero = PyObject_Not(v[2]);
    if (zero < 0) goto done;
    if (zero) {{
        PyErr_Format(PyExc_ValueError, "%s: step must not be zero", {c_str(str(op))});
        goto done;
    }}
    outputs[0] = PyArray_ArangeObj(v[0], v[1], v[2], PyArray_DescrFromType({typenum(op.dtype)}));
    if (outputs[0] != NULL) rc = 0;
done:
    for (int i = 0; i < 3; i++) Py_XDECREF(v[i]);
    return rc;"""
    return _impl(kw["name"], body)


@c_funcify.register(Eye)
def c_funcify_Eye(op: Eye, node: Any, **kw: Any) -> CImpl:
    body = rf"""
    npy_intp n, m, k;
    if (ptops_as_intp(inputs[0], &n) < 0 || ptops_as_intp(inputs[1], &m) < 0
        || ptops_as_intp(inputs[2], &k) < 0) return -1;
    if (n < 0 || m < 0) {{
        PyErr_Format(PyExc_ValueError, "%s: negative dimensions (%zd, %zd)", {c_str(str(op))},
                     n, m);
        return -1;
    }}
    npy_intp dims[2] = {{n, m}};
    PyArrayObject *out = (PyArrayObject *)PyArray_ZEROS(2, dims, {typenum(op.dtype)}, 0);
    if (out == NULL) return -1;
    npy_intp size = PyArray_ITEMSIZE(out);
    char *first = NULL;
    for (npy_intp i = 0; i < n; i++) {{
        npy_intp j = i + k;
        if (j < 0 || j >= m) continue;
        char *p = PyArray_BYTES(out) + (i * m + j) * size;
        if (first == NULL) {{
            PyObject *one = PyLong_FromLong(1);
            int bad = one == NULL || PyArray_SETITEM(out, p, one) < 0;
            Py_XDECREF(one);
            if (bad) {{ Py_DECREF(out); return -1; }}
            first = p;
        }} else {{
            memcpy(p, first, size);
        }}
    }}
    outputs[0] = (PyObject *)out;
    return 0;"""
    return _impl(kw["name"], body)


_JOIN = r"""
    npy_intp ax;
    if (ptops_as_intp(inputs[0], &ax) < 0) return -1;
    PyArrayObject **ts = (PyArrayObject **)(inputs + 1);
    int nd = PyArray_NDIM(ts[0]);
    if (ax < -nd || ax >= nd) {
        PyErr_Format(ptops_axis_error(),
                     "%s: axis %zd is out of range for inputs with %d dimensions", @OPNAME@, ax, nd);
        return -1;
    }
    if (ax < 0) ax += nd;
    npy_intp dims[NPY_MAXDIMS];
    for (int d = 0; d < nd; d++) dims[d] = PyArray_DIMS(ts[0])[d];
    for (int k = 1; k < @NT@; k++) {
        int bad = PyArray_NDIM(ts[k]) != nd;
        for (int d = 0; d < nd && !bad; d++)
            bad = d != ax && PyArray_DIMS(ts[k])[d] != dims[d];
        if (bad) {
            PyObject *s0 = ptops_tuple(dims, nd);
            PyObject *sk = ptops_tuple(PyArray_DIMS(ts[k]), PyArray_NDIM(ts[k]));
            if (s0 != NULL && sk != NULL)
                PyErr_Format(PyExc_ValueError,
                    "%s: cannot join along axis %zd: input 0 has shape %R and input %d has shape "
                    "%R; the lengths must match in every dimension but the axis",
                    @OPNAME@, ax, s0, k, sk);
            Py_XDECREF(s0);
            Py_XDECREF(sk);
            return -1;
        }
        dims[ax] += PyArray_DIMS(ts[k])[ax];
    }
    PyArrayObject *out = ptops_empty(nd, dims, @TN@);
    if (out == NULL) return -1;
    char *at = PyArray_BYTES(out);
    for (int k = 0; k < @NT@; k++) {
        dims[ax] = PyArray_DIMS(ts[k])[ax];
        PyArrayObject *dst = ptops_view(out, at, nd, dims, PyArray_STRIDES(out));
        if (dst == NULL || PyArray_CopyInto(dst, ts[k]) < 0) {
            Py_XDECREF(dst);
            Py_DECREF(out);
            return -1;
        }
        Py_DECREF(dst);
        at += dims[ax] * PyArray_STRIDES(out)[ax];
    }
    outputs[0] = (PyObject *)out;
    return 0;"""


@c_funcify.register(Join)
def c_funcify_Join(op: Join, node: Any, **kw: Any) -> CImpl:
    body = (
        _JOIN.replace("@OPNAME@", c_str(str(op)))
        .replace("@NT@", str(len(node.inputs) - 1))
        .replace("@TN@", typenum(dtype_of(node.outputs[0])))
    )
    return _impl(kw["name"], body, node=node)


_SPLIT = r"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    int nd = PyArray_NDIM(x);
    npy_intp ax;
    if (ptops_as_intp(inputs[1], &ax) < 0) return -1;
    if (ax < -nd || ax >= nd) {
        PyErr_Format(ptops_axis_error(),
                     "%s: axis %zd is out of range for an input with %d dimensions", @OPNAME@, ax,
                     nd);
        return -1;
    }
    if (ax < 0) ax += nd;
    PyArrayObject *sp = ptops_as_type(inputs[2], NPY_INTP);
    if (sp == NULL) return -1;
    if (PyArray_SIZE(sp) != @NS@) {
        PyErr_Format(PyExc_ValueError, "%s: %zd split sizes given, expected %d", @OPNAME@,
                     PyArray_SIZE(sp), @NS@);
        Py_DECREF(sp);
        return -1;
    }
    npy_intp sizes[@NS@ + 1], total = 0;
    int negative = 0;
    for (int i = 0; i < @NS@; i++) {
        sizes[i] = *(npy_intp *)PyArray_GETPTR1(sp, i);
        negative |= sizes[i] < 0;
        total += sizes[i];
    }
    Py_DECREF(sp);
    if (negative) {
        PyObject *t = PySequence_Tuple(inputs[2]);
        if (t != NULL)
            PyErr_Format(PyExc_ValueError, "%s: negative split size in %R", @OPNAME@, t);
        Py_XDECREF(t);
        return -1;
    }
    if (total != PyArray_DIMS(x)[ax]) {
        PyObject *t = ptops_tuple(sizes, @NS@), *xs = ptops_tuple(PyArray_DIMS(x), nd);
        if (t != NULL && xs != NULL)
            PyErr_Format(PyExc_ValueError,
                "%s: the split sizes %R sum to %zd, but input 0 has shape %R (length %zd along "
                "axis %zd)", @OPNAME@, t, total, xs, PyArray_DIMS(x)[ax], ax);
        Py_XDECREF(t);
        Py_XDECREF(xs);
        return -1;
    }
    npy_intp dims[NPY_MAXDIMS];
    for (int d = 0; d < nd; d++) dims[d] = PyArray_DIMS(x)[d];
    char *at = PyArray_BYTES(x);
    for (int i = 0; i < @NS@; i++) {
        dims[ax] = sizes[i];
        outputs[i] = (PyObject *)ptops_view(x, at, nd, dims, PyArray_STRIDES(x));
        if (outputs[i] == NULL) {
            for (int j = 0; j < i; j++) Py_CLEAR(outputs[j]);
            return -1;
        }
        at += sizes[i] * PyArray_STRIDES(x)[ax];
    }
    return 0;"""


@c_funcify.register(Split)
def c_funcify_Split(op: Split, node: Any, **kw: Any) -> CImpl:
    body = _SPLIT.replace("@OPNAME@", c_str(str(op))).replace("@NS@", str(op.len_splits))
    return _impl(kw["name"], body, node=node)


@c_funcify.register(ExtractDiag)
def c_funcify_ExtractDiag(op: ExtractDiag, node: Any, **kw: Any) -> CImpl:
    a1, a2, off = op.axis1, op.axis2, op.offset
    finish = (
        "PyArray_CLEARFLAGS(v, NPY_ARRAY_WRITEABLE);\n    outputs[0] = (PyObject *)v;"
        if op.view
        else "outputs[0] = PyArray_NewCopy(v, NPY_CORDER);\n    Py_DECREF(v);\n"
        "    if (outputs[0] == NULL) return -1;"
    )
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    int nd = PyArray_NDIM(x), k = 0;
    const npy_intp *xd = PyArray_DIMS(x), *xs = PyArray_STRIDES(x);
    npy_intp dims[NPY_MAXDIMS], strides[NPY_MAXDIMS];
    for (int d = 0; d < nd; d++) {{
        if (d == {a1} || d == {a2}) continue;
        dims[k] = xd[d];
        strides[k++] = xs[d];
    }}
    npy_intp off = {off}, n1 = xd[{a1}], n2 = xd[{a2}], len;
    char *data = PyArray_BYTES(x);
    if (off >= 0) {{
        len = n2 - off < n1 ? n2 - off : n1;
        if (len > 0) data += off * xs[{a2}];
    }} else {{
        len = n1 + off < n2 ? n1 + off : n2;
        if (len > 0) data -= off * xs[{a1}];
    }}
    dims[k] = len > 0 ? len : 0;
    strides[k] = xs[{a1}] + xs[{a2}];
    PyArrayObject *v = ptops_view(x, data, nd - 1, dims, strides);
    if (v == NULL) return -1;
    {finish}
    return 0;"""
    return _impl(kw["name"], body)


@c_funcify.register(Nonzero)
def c_funcify_Nonzero(op: Nonzero, node: Any, **kw: Any) -> CImpl:
    n = len(node.outputs)
    body = rf"""
    PyObject *t = PyArray_Nonzero((PyArrayObject *)inputs[0]);
    if (t == NULL) return -1;
    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != {n}) {{
        Py_DECREF(t);
        PyErr_SetString(PyExc_RuntimeError, "Nonzero: unexpected result of PyArray_Nonzero");
        return -1;
    }}
    for (int i = 0; i < {n}; i++) {{
        outputs[i] = PyArray_FROM_OTF(PyTuple_GET_ITEM(t, i), NPY_INT64, NPY_ARRAY_ENSUREARRAY);
        if (outputs[i] == NULL) {{
            for (int j = 0; j < i; j++) Py_CLEAR(outputs[j]);
            Py_DECREF(t);
            return -1;
        }}
    }}
    Py_DECREF(t);
    return 0;"""
    return _impl(kw["name"], body)
