"""C kernels of SortOp and ArgSortOp through NumPy's C sorts, so ties and NaNs order
exactly as ``perform`` (``np.sort``/``np.argsort``) does (layer: pytensor-backend-c)."""

from __future__ import annotations

from typing import Any

from pytensor.link.c.dispatch._ops_common import c_str, kernel, make_impl
from pytensor.link.c.dispatch.basic import CImpl, c_funcify
from pytensor.tensor.sort import ArgSortOp, SortOp

__all__ = ["c_funcify_ArgSortOp", "c_funcify_SortOp"]

_KINDS = {
    "quicksort": "NPY_QUICKSORT",
    "heapsort": "NPY_HEAPSORT",
    "mergesort": "NPY_STABLESORT",
    "stable": "NPY_STABLESORT",
}

_AXIS = r"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    npy_intp ax;
    if (ptops_as_intp(inputs[1], &ax) < 0) return -1;
    int nd = PyArray_NDIM(x);
    if (ax < -nd || ax >= nd) {
        PyObject *xs = ptops_tuple(PyArray_DIMS(x), nd);
        if (xs != NULL)
            PyErr_Format(PyExc_ValueError,
                         "%s: axis %zd is out of range for an input of shape %R", @OPNAME@, ax,
                         xs);
        Py_XDECREF(xs);
        return -1;
    }
    if (ax < 0) ax += nd;
"""


@c_funcify.register(SortOp)
def c_funcify_SortOp(op: SortOp, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    body = (
        _AXIS.replace("@OPNAME@", c_str(str(op)))
        + rf"""
    PyArrayObject *out = (PyArrayObject *)PyArray_NewCopy(x, NPY_KEEPORDER);
    if (out == NULL) return -1;
    if (PyArray_Sort(out, (int)ax, {_KINDS[op.kind]}) < 0) {{
        Py_DECREF(out);
        return -1;
    }}
    outputs[0] = (PyObject *)out;
    return 0;"""
    )
    return make_impl(name, kernel(name, body))


@c_funcify.register(ArgSortOp)
def c_funcify_ArgSortOp(op: ArgSortOp, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    body = (
        _AXIS.replace("@OPNAME@", c_str(str(op)))
        + rf"""
    PyObject *r = PyArray_ArgSort(x, (int)ax, {_KINDS[op.kind]});
    if (r == NULL) return -1;
    outputs[0] = PyArray_FROM_OTF(r, NPY_INT64, NPY_ARRAY_ENSUREARRAY);
    Py_DECREF(r);
    return outputs[0] == NULL ? -1 : 0;"""
    )
    return make_impl(name, kernel(name, body))
