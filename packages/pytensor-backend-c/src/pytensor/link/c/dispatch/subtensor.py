"""C kernels of basic indexing: Subtensor (a view) and IncSubtensor (set/increment a region)
(layer: pytensor-backend-c).

The region of ``x`` selected by ``idx_list`` is computed in C (bounds checks,
slice clamping like Python's ``slice.indices``) as a strided view; writes go
through a typed strided loop.
"""

from __future__ import annotations

from typing import Any

from pytensor.graph.type import Type
from pytensor.link.c.dispatch._ops_common import (
    WRITE,
    c_str,
    ctype,
    dtype_of,
    kernel,
    make_impl,
    strided_binary,
)
from pytensor.link.c.dispatch.basic import CImpl, c_funcify
from pytensor.tensor._inc_subtensor import IncSubtensor
from pytensor.tensor.subtensor import Subtensor

__all__ = ["add_statement", "c_funcify_IncSubtensor", "c_funcify_Subtensor", "region_function"]


def _slice_code(axis: int, e: slice, pos: int) -> tuple[str, int]:
    """C that narrows dimension ``axis`` by the slice ``e`` (its fields from ``idx[pos...]``)."""
    reads = []
    names = []
    for field, var in zip(("start", "stop", "step"), (e.start, e.stop, e.step), strict=True):
        if isinstance(var, Type):
            reads.append(f"        if (ptops_as_intp(idx[{pos}], &{field}_v) < 0) return -1;")
            names.append(f"has_{field} = 1;")
            pos += 1
    setters = "\n".join(f"{r}\n        {n}" for r, n in zip(reads, names, strict=True))
    code = rf"""
    {{
        npy_intp start_v = 0, stop_v = 0, step_v = 1;
        int has_start = 0, has_stop = 0, has_step = 0;
{setters}
        (void)has_step;
        if (step_v == 0) {{
            PyErr_Format(PyExc_ValueError, "%s: slice step cannot be zero (axis %d)", opname,
                         {axis});
            return -1;
        }}
        Py_ssize_t start = has_start ? start_v : (step_v < 0 ? PY_SSIZE_T_MAX : 0);
        Py_ssize_t stop = has_stop ? stop_v : (step_v < 0 ? PY_SSIZE_T_MIN : PY_SSIZE_T_MAX);
        npy_intp len = PySlice_AdjustIndices(xd[{axis}], &start, &stop, step_v);
        if (len > 0) *data += start * xs[{axis}];
        dims[k] = len;
        strides[k++] = xs[{axis}] * step_v;
    }}"""
    return code, pos


def _int_code(axis: int, pos: int) -> str:
    return rf"""
    {{
        npy_intp i, n = xd[{axis}];
        if (ptops_as_intp(idx[{pos}], &i) < 0) return -1;
        if (i < -n || i >= n) {{
            PyErr_Format(PyExc_IndexError, "%s: index %zd is out of bounds for axis %d with size "
                         "%zd", opname, i, {axis}, n);
            return -1;
        }}
        if (i < 0) i += n;
        *data += i * xs[{axis}];
    }}"""


def region_function(fname: str, idx_list: Any) -> str:
    """C ``int fname(x, idx, opname, &data, &nd, dims, strides)``: the region ``x[idx_list]``."""
    parts = []
    pos = 0
    for axis, e in enumerate(idx_list):
        if isinstance(e, slice):
            code, pos = _slice_code(axis, e, pos)
            parts.append(code)
        else:
            parts.append(_int_code(axis, pos))
            pos += 1
    n = len(idx_list)
    return rf"""
static int {fname}(PyArrayObject *x, PyObject **idx, const char *opname, char **data, int *nd,
                   npy_intp *dims, npy_intp *strides)
{{
    const npy_intp *xd = PyArray_DIMS(x), *xs = PyArray_STRIDES(x);
    int k = 0;
    *data = PyArray_BYTES(x);
    (void)idx; (void)opname;
{"".join(parts)}
    for (int d = {n}; d < PyArray_NDIM(x); d++) {{
        dims[k] = xd[d];
        strides[k++] = xs[d];
    }}
    *nd = k;
    return 0;
}}
"""


@c_funcify.register(Subtensor)
def c_funcify_Subtensor(op: Subtensor, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    region = region_function(f"{name}_region", op.idx_list)
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    char *data;
    int nd;
    npy_intp dims[NPY_MAXDIMS], strides[NPY_MAXDIMS];
    if ({name}_region(x, inputs + 1, {c_str(str(op))}, &data, &nd, dims, strides) < 0)
        return -1;
    PyArrayObject *v = ptops_view(x, data, nd, dims, strides);
    if (v == NULL) return -1;
    outputs[0] = (PyObject *)v;
    return 0;"""
    code = region + kernel(name, body)
    return make_impl(name, code)


def add_statement(dtype: str) -> str | None:
    """The C statement ``*D += *S`` for ``dtype`` as NumPy adds (None: no plain C form)."""
    if dtype == "bool":
        return "*D = (npy_bool)(*D || *S);"
    if dtype == "float16":
        return None
    return "*D += *S;"


#: Checks the value's shape against the region (the runtime rule of ``check_value_runtime``).
CHECK_VALUE = r"""
#ifndef PTOPS_CHECK_VALUE
#define PTOPS_CHECK_VALUE
/* ystatic1[j]: dimension j of the value has static length 1. */
static int ptops_check_value(PyArrayObject *y, const int *ystatic1, int nd, const npy_intp *region,
                             const char *opname, const char *verb)
{
    int yn = PyArray_NDIM(y), off = nd - yn, bad = off < 0, hint = 0;
    const npy_intp *yd = PyArray_DIMS(y);
    for (int j = 0; j < yn && !bad; j++)
        bad = !ystatic1[j] && yd[j] != region[off + j];
    if (!bad) return 0;
    for (int j = 0; j < yn && off >= 0; j++)
        hint |= yd[j] == 1 && !ystatic1[j] && region[off + j] != 1;
    PyObject *rs = ptops_tuple(region, nd), *ys = ptops_tuple(yd, yn);
    if (rs != NULL && ys != NULL)
        PyErr_Format(PyExc_ValueError,
                     "%s: cannot %s the region of input 0 of shape %R with the value of shape "
                     "%R%s", opname, verb, rs, ys,
                     hint ? "; runtime broadcasting is not allowed: declare the value's dimension "
                            "as length 1 (e.g. with pt.specify_broadcastable)" : "");
    Py_XDECREF(rs);
    Py_XDECREF(ys);
    return -1;
}
#endif
"""


def write_region(name: str, op: Any, node: Any) -> tuple[str, str]:
    """(support code, C statements) writing ``y`` into the view ``r`` of ``out``.

    The statements use ``out``, ``r`` (the region), ``y``, and jump to ``fail``.
    """
    dtype = dtype_of(node.outputs[0])
    stmt = None if op.set_instead_of_inc else add_statement(dtype)
    if op.set_instead_of_inc:
        return "", "    if (PyArray_CopyInto(r, y) < 0) goto fail;"
    if stmt is None:
        return "", (
            "    {\n        PyObject *s = PyNumber_InPlaceAdd((PyObject *)r, (PyObject *)y);\n"
            "        if (s == NULL) goto fail;\n        Py_DECREF(s);\n    }"
        )
    fn = strided_binary(f"{name}_add", ctype(dtype), stmt)
    code = rf"""
    {{
        PyArrayObject *src = y;
        if (ptops_overlap(r, y)) {{
            src = (PyArrayObject *)PyArray_NewCopy(y, NPY_CORDER);
            if (src == NULL) goto fail;
        }} else {{
            Py_INCREF(src);
        }}
        npy_intp ys[NPY_MAXDIMS];
        ptops_bcast_strides(src, PyArray_NDIM(r), PyArray_DIMS(r), ys);
        {name}_add(PyArray_BYTES(r), PyArray_STRIDES(r), PyArray_BYTES(src), ys,
                   PyArray_DIMS(r), PyArray_NDIM(r));
        Py_DECREF(src);
    }}"""
    return fn, code


def static1(var: Any) -> str:
    """A C initializer of flags: dimension j of ``var`` has static length 1."""
    return "{" + (", ".join("1" if s == 1 else "0" for s in var.type.shape) or "0") + "}"


@c_funcify.register(IncSubtensor)
def c_funcify_IncSubtensor(op: IncSubtensor, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    region = region_function(f"{name}_region", op.idx_list)
    support, write = write_region(name, op, node)
    verb = "set" if op.set_instead_of_inc else "increment"
    copy = (
        "Py_INCREF(x);\n    out = x;"
        if op.inplace
        else "out = (PyArrayObject *)PyArray_NewCopy(x, NPY_CORDER);\n    if (out == NULL) return -1;"
    )
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0], *y = (PyArrayObject *)inputs[1];
    PyArrayObject *out, *r = NULL;
    static const int ystatic1[] = {static1(node.inputs[1])};
    const char *opname = {c_str(str(op))};
    char *data;
    int nd;
    npy_intp dims[NPY_MAXDIMS], strides[NPY_MAXDIMS];
    {copy}
    if ({name}_region(out, inputs + 2, opname, &data, &nd, dims, strides) < 0) goto fail;
    if (ptops_check_value(y, ystatic1, nd, dims, opname, "{verb}") < 0) goto fail;
    r = ptops_view(out, data, nd, dims, strides);
    if (r == NULL) goto fail;
{write}
    Py_DECREF(r);
    outputs[0] = (PyObject *)out;
    return 0;
fail:
    Py_XDECREF(r);
    Py_DECREF(out);
    return -1;"""
    code = region + support + kernel(name, body)
    return make_impl(name, code, WRITE, CHECK_VALUE, node=node)


# The advanced-indexing kernels register on import; dispatch/__init__ imports this module.
from pytensor.link.c.dispatch import advanced_subtensor as _advanced_subtensor  # noqa: E402, F401
