"""C kernels of ``pytensor.tensor.shape``: Shape, Shape_i, Reshape, SpecifyShape
(layer: pytensor-backend-c)."""

from __future__ import annotations

from typing import Any

from pytensor.link.c.dispatch._ops_common import c_str, kernel, make_impl
from pytensor.link.c.dispatch.basic import CImpl, c_funcify
from pytensor.tensor._type_other import NoneTypeT
from pytensor.tensor.shape import Reshape, Shape, Shape_i, SpecifyShape

__all__ = [
    "c_funcify_Reshape",
    "c_funcify_Shape",
    "c_funcify_Shape_i",
    "c_funcify_SpecifyShape",
]

#: "(2, ?)"-style text of n lengths, NPY_MIN_INTP meaning unknown (matches ``_fmt_shape``).
FMT_SHAPE = r"""
#ifndef PTOPS_FMT_SHAPE
#define PTOPS_FMT_SHAPE
static PyObject *ptops_fmt_shape(const npy_intp *d, int n)
{
    PyObject *parts = PyList_New(n);
    if (parts == NULL) return NULL;
    for (int i = 0; i < n; i++) {
        PyObject *s = d[i] == NPY_MIN_INTP ? PyUnicode_FromString("?") : PyUnicode_FromFormat("%zd", d[i]);
        if (s == NULL) { Py_DECREF(parts); return NULL; }
        PyList_SET_ITEM(parts, i, s);
    }
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *inner = sep ? PyUnicode_Join(sep, parts) : NULL;
    Py_XDECREF(sep);
    Py_DECREF(parts);
    if (inner == NULL) return NULL;
    PyObject *r = PyUnicode_FromFormat(n == 1 ? "(%U,)" : "(%U)", inner);
    Py_DECREF(inner);
    return r;
}
#endif
"""


def _impl(op: Any, name: str, body: str, *support: str, node: Any = None) -> CImpl:
    return make_impl(name, kernel(name, body), *support, node=node)


@c_funcify.register(Shape)
def c_funcify_Shape(op: Shape, node: Any, **kw: Any) -> CImpl:
    body = r"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    npy_intp n = PyArray_NDIM(x);
    PyArrayObject *out = ptops_empty(1, &n, NPY_INT64);
    if (out == NULL) return -1;
    for (npy_intp i = 0; i < n; i++) ((npy_int64 *)PyArray_DATA(out))[i] = PyArray_DIMS(x)[i];
    outputs[0] = (PyObject *)out;
    return 0;"""
    return _impl(op, kw["name"], body)


@c_funcify.register(Shape_i)
def c_funcify_Shape_i(op: Shape_i, node: Any, **kw: Any) -> CImpl:
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    if (PyArray_NDIM(x) <= {op.i}) {{
        PyErr_Format(PyExc_IndexError, "%s: the input has %d dimensions", {c_str(str(op))},
                     PyArray_NDIM(x));
        return -1;
    }}
    PyArrayObject *out = ptops_empty(0, NULL, NPY_INT64);
    if (out == NULL) return -1;
    *(npy_int64 *)PyArray_DATA(out) = PyArray_DIMS(x)[{op.i}];
    outputs[0] = (PyObject *)out;
    return 0;"""
    return _impl(op, kw["name"], body)


@c_funcify.register(Reshape)
def c_funcify_Reshape(op: Reshape, node: Any, **kw: Any) -> CImpl:
    nd = op.ndim
    opname = c_str(str(op))
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    PyArrayObject *shp = ptops_as_type(inputs[1], NPY_INTP);
    if (shp == NULL) return -1;
    if (PyArray_NDIM(shp) != 1 || PyArray_DIMS(shp)[0] != {nd}) {{
        PyErr_Format(PyExc_ValueError, "%s: the shape input has %zd entries, expected %d",
                     {opname}, PyArray_SIZE(shp), {nd});
        Py_DECREF(shp);
        return -1;
    }}
    npy_intp dims[{nd} + 1];
    for (int i = 0; i < {nd}; i++)
        dims[i] = *(npy_intp *)PyArray_GETPTR1(shp, i);
    Py_DECREF(shp);
    PyArray_Dims newshape = {{dims, {nd}}};
    PyObject *res = PyArray_Newshape(x, &newshape, NPY_CORDER);
    if (res == NULL) {{
        if (!PyErr_ExceptionMatches(PyExc_ValueError)) return -1;
        PyErr_Clear();
        PyObject *xs = ptops_tuple(PyArray_DIMS(x), PyArray_NDIM(x));
        PyObject *ns = ptops_tuple(dims, {nd});
        if (xs != NULL && ns != NULL)
            PyErr_Format(PyExc_ValueError,
                         "%s: cannot reshape input of shape %R (size %zd) into shape %R",
                         {opname}, xs, PyArray_SIZE(x), ns);
        Py_XDECREF(xs);
        Py_XDECREF(ns);
        return -1;
    }}
    outputs[0] = res;
    return 0;"""
    return _impl(op, kw["name"], body, node=node)


@c_funcify.register(SpecifyShape)
def c_funcify_SpecifyShape(op: SpecifyShape, node: Any, **kw: Any) -> CImpl:
    nd = len(node.inputs) - 1
    opname = c_str(str(op))
    reads = []
    for d, var in enumerate(node.inputs[1:]):
        if isinstance(var.type, NoneTypeT):
            reads.append(f"    want[{d}] = NPY_MIN_INTP;")
        else:
            reads.append(f"    if (ptops_as_intp(inputs[{d + 1}], &want[{d}]) < 0) return -1;")
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    npy_intp want[{nd} + 1];
{chr(10).join(reads)}
    if (PyArray_NDIM(x) != {nd}) {{
        PyObject *xs = ptops_tuple(PyArray_DIMS(x), PyArray_NDIM(x));
        if (xs != NULL)
            PyErr_Format(PyExc_AssertionError,
                         "%s: input 0 has %d dimensions (shape %R), expected %d",
                         {opname}, PyArray_NDIM(x), xs, {nd});
        Py_XDECREF(xs);
        return -1;
    }}
    for (int d = 0; d < {nd}; d++) {{
        if (want[d] != NPY_MIN_INTP && want[d] != PyArray_DIMS(x)[d]) {{
            PyObject *xs = ptops_tuple(PyArray_DIMS(x), {nd});
            PyObject *ws = ptops_fmt_shape(want, {nd});
            if (xs != NULL && ws != NULL)
                PyErr_Format(PyExc_AssertionError,
                             "%s: input 0 has shape %R, expected shape %U", {opname}, xs, ws);
            Py_XDECREF(xs);
            Py_XDECREF(ws);
            return -1;
        }}
    }}
    Py_INCREF(x);
    outputs[0] = (PyObject *)x;
    return 0;"""
    return _impl(op, kw["name"], body, FMT_SHAPE, node=node)
