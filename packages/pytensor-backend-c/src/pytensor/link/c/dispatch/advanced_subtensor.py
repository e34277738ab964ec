"""C kernels of advanced indexing: AdvancedSubtensor1 and AdvancedIncSubtensor1 (typed
gather/scatter loops), AdvancedSubtensor and AdvancedIncSubtensor (layer: pytensor-backend-c).

For the general Ops the kernel checks the index in C exactly as
``numpy_advanced_index`` does (bounds, mask shapes, runtime broadcasting,
zero steps), computes the region shape, and hands the checked index tuple to
NumPy's own C indexing (``PyObject_GetItem``/``SetItem``, ``np.add.at`` for
accumulating increments), which defines the placement rules ``perform`` uses.
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
from pytensor.link.c.dispatch.subtensor import CHECK_VALUE, add_statement, static1
from pytensor.tensor._advanced_inc_subtensor import AdvancedIncSubtensor, AdvancedIncSubtensor1
from pytensor.tensor._advanced_index import mask_count
from pytensor.tensor._advanced_subtensor import AdvancedSubtensor, AdvancedSubtensor1
from pytensor.tensor._shape_calc import STATIC

__all__ = [
    "c_funcify_AdvancedIncSubtensor",
    "c_funcify_AdvancedIncSubtensor1",
    "c_funcify_AdvancedSubtensor",
    "c_funcify_AdvancedSubtensor1",
]

#: Bounds check of an integer index array (converted to intp): perform's IndexError.
BOUNDS = r"""
#ifndef PTOPS_BOUNDS
#define PTOPS_BOUNDS
/* A new intp copy/reference of the index o, checked against length n of axis. */
static PyArrayObject *ptops_checked_index(PyObject *o, npy_intp n, int axis, const char *opname)
{
    PyArrayObject *a = ptops_as_type(o, NPY_INTP);
    if (a == NULL) return NULL;
    npy_intp size = PyArray_SIZE(a);
    if (size == 0) return a;
    if (!PyArray_IS_C_CONTIGUOUS(a)) {
        PyArrayObject *c = (PyArrayObject *)PyArray_NewCopy(a, NPY_CORDER);
        Py_DECREF(a);
        if (c == NULL) return NULL;
        a = c;
    }
    const npy_intp *p = (const npy_intp *)PyArray_DATA(a);
    npy_intp lo = p[0], hi = p[0];
    for (npy_intp i = 1; i < size; i++) {
        if (p[i] < lo) lo = p[i];
        if (p[i] > hi) hi = p[i];
    }
    if (lo < -n || hi >= n) {
        PyErr_Format(PyExc_IndexError, "%s: index %zd is out of bounds for axis %d with size %zd",
                     opname, lo < -n ? lo : hi, axis, n);
        Py_DECREF(a);
        return NULL;
    }
    return a;
}
#endif
"""


def _a1_loop(name: str, dtype: str, stmt: str) -> str:
    """``NAME_rows``: ``stmt`` over rows ``k`` of a gather (``di`` NULL, ``si`` the index) or a
    scatter (``si`` NULL, ``di`` the index); rows that are flat after merging dimensions run as
    one tight loop, others through the strided ``NAME_row``."""
    c = ctype(dtype)
    rows = rf"""
static void {name}_rows(char *dst, npy_intp drow, const npy_intp *di, const char *src,
                        npy_intp srow, const npy_intp *si, npy_intp nrows, npy_intp len0,
                        const npy_intp *ds, const npy_intp *ss, const npy_intp *shape, int nd)
{{
    npy_intp sh[NPY_MAXDIMS], dst_[NPY_MAXDIMS], sst[NPY_MAXDIMS];
    int m = 0;
    for (int d = 0; d < nd; d++) {{
        if (shape[d] == 0) return;
        if (shape[d] == 1) continue;
        if (m > 0 && ds[d] * shape[d] == dst_[m - 1] && ss[d] * shape[d] == sst[m - 1]) {{
            sh[m - 1] *= shape[d];
            dst_[m - 1] = ds[d];
            sst[m - 1] = ss[d];
            continue;
        }}
        sh[m] = shape[d];
        dst_[m] = ds[d];
        sst[m++] = ss[d];
    }}
    npy_intp n = m ? sh[0] : 1, dstep = m ? dst_[0] : 0, sstep = m ? sst[0] : 0;
    for (npy_intp k = 0; k < nrows; k++) {{
        npy_intp dk = di ? (di[k] < 0 ? di[k] + len0 : di[k]) : k;
        npy_intp sk = si ? (si[k] < 0 ? si[k] + len0 : si[k]) : k;
        char *dp = dst + dk * drow;
        const char *sp = src + sk * srow;
        if (m > 1) {{
            {name}_row(dp, dst_, sp, sst, sh, m);
            continue;
        }}
        if ({int(stmt == "*D = *S;")} && dstep == sizeof({c}) && sstep == sizeof({c})) {{
            memcpy(dp, sp, n * sizeof({c}));
            continue;
        }}
        for (npy_intp j = 0; j < n; j++, dp += dstep, sp += sstep) {{
            {c} *D = ({c} *)dp;
            const {c} *S = (const {c} *)sp;
            {stmt}
        }}
    }}
}}
"""
    return strided_binary(f"{name}_row", c, stmt) + rows


@c_funcify.register(AdvancedSubtensor1)
def c_funcify_AdvancedSubtensor1(op: AdvancedSubtensor1, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    int nd = PyArray_NDIM(x);
    const npy_intp *xd = PyArray_DIMS(x), *xs = PyArray_STRIDES(x);
    PyArrayObject *ix = ptops_checked_index(inputs[1], xd[0], 0, {c_str(str(op))});
    if (ix == NULL) return -1;
    npy_intp dims[NPY_MAXDIMS], m = PyArray_SIZE(ix);
    dims[0] = m;
    for (int d = 1; d < nd; d++) dims[d] = xd[d];
    PyArrayObject *out = ptops_empty(nd, dims, PyArray_TYPE(x));
    if (out == NULL) {{ Py_DECREF(ix); return -1; }}
    const npy_intp *p = (const npy_intp *)PyArray_DATA(ix), *os = PyArray_STRIDES(out);
    {name}_rows(PyArray_BYTES(out), os[0], NULL, PyArray_BYTES(x), xs[0], p, m, xd[0], os + 1,
                xs + 1, dims + 1, nd - 1);
    Py_DECREF(ix);
    outputs[0] = (PyObject *)out;
    return 0;"""
    code = _a1_loop(name, dtype_of(node.outputs[0]), "*D = *S;") + kernel(name, body)
    return make_impl(name, code, BOUNDS)


def _copy_or_alias(inplace: bool) -> str:
    if inplace:
        return "Py_INCREF(x);\n    out = x;"
    return "out = (PyArrayObject *)PyArray_NewCopy(x, NPY_CORDER);\n    if (out == NULL) return -1;"


@c_funcify.register(AdvancedIncSubtensor1)
def c_funcify_AdvancedIncSubtensor1(
    op: AdvancedIncSubtensor1, node: Any, **kw: Any
) -> CImpl | None:
    name = kw["name"]
    dtype = dtype_of(node.outputs[0])
    stmt = "*D = *S;" if op.set_instead_of_inc else add_statement(dtype)
    if stmt is None:
        return None
    verb = "set" if op.set_instead_of_inc else "increment"
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0], *y = (PyArrayObject *)inputs[1];
    PyArrayObject *out, *ix = NULL, *src = NULL;
    static const int ystatic1[] = {static1(node.inputs[1])};
    const char *opname = {c_str(str(op))};
    {_copy_or_alias(op.inplace)}
    int nd = PyArray_NDIM(out);
    const npy_intp *xd = PyArray_DIMS(out), *xs = PyArray_STRIDES(out);
    ix = ptops_checked_index(inputs[2], xd[0], 0, opname);
    if (ix == NULL) goto fail;
    npy_intp region[NPY_MAXDIMS], ys[NPY_MAXDIMS], m = PyArray_SIZE(ix);
    region[0] = m;
    for (int d = 1; d < nd; d++) region[d] = xd[d];
    if (ptops_check_value(y, ystatic1, nd, region, opname, "{verb}") < 0) goto fail;
    src = ptops_overlap(out, y) ? (PyArrayObject *)PyArray_NewCopy(y, NPY_CORDER) : y;
    if (src == NULL) goto fail;
    if (src == y) Py_INCREF(src);
    ptops_bcast_strides(src, nd, region, ys);
    {name}_rows(PyArray_BYTES(out), xs[0], (const npy_intp *)PyArray_DATA(ix),
                PyArray_BYTES(src), ys[0], NULL, m, xd[0], xs + 1, ys + 1, region + 1, nd - 1);
    Py_DECREF(ix);
    Py_DECREF(src);
    outputs[0] = (PyObject *)out;
    return 0;
fail:
    Py_XDECREF(ix);
    Py_XDECREF(src);
    Py_DECREF(out);
    return -1;"""
    code = _a1_loop(name, dtype, stmt) + kernel(name, body)
    return make_impl(name, code, BOUNDS, WRITE, CHECK_VALUE, node=node)


# ---------------------------------------------------------------------------
# The general Ops: the checked NumPy index, built in C
# ---------------------------------------------------------------------------

#: The runtime broadcast check of the index arrays (``_check_runtime_broadcast``) and their
#: broadcast shape. shapes/statics hold n shapes of rank ranks[i], padded to NPY_MAXDIMS.
ADV_BROADCAST = r"""
#ifndef PTOPS_ADV_BROADCAST
#define PTOPS_ADV_BROADCAST
static int ptops_adv_broadcast(int n, const int *ranks, npy_intp (*shapes)[NPY_MAXDIMS],
                               const npy_intp (*statics)[NPY_MAXDIMS], const char *opname,
                               npy_intp *out, int *out_nd)
{
    int nd = 0;
    for (int i = 0; i < n; i++) if (ranks[i] > nd) nd = ranks[i];
    for (int d = 0; d < nd; d++) {
        npy_intp len = -1;
        int bad = 0, has_one = 0;
        out[d] = 1;
        for (int i = 0; i < n; i++) {
            int j = d - (nd - ranks[i]);
            if (j < 0 || statics[i][j] == 1) continue;
            if (len >= 0 && shapes[i][j] != len) bad = 1;
            if (shapes[i][j] == 1) has_one = 1;
            if (len < 0) len = shapes[i][j];
            out[d] = shapes[i][j];
        }
        if (!bad) continue;
        PyObject *parts = PyList_New(n);
        for (int i = 0; parts != NULL && i < n; i++) {
            PyObject *t = ptops_tuple(shapes[i], ranks[i]);
            PyObject *s = t ? PyObject_Str(t) : NULL;
            Py_XDECREF(t);
            if (s == NULL) { Py_CLEAR(parts); break; }
            PyList_SET_ITEM(parts, i, s);
        }
        PyObject *sep = parts ? PyUnicode_FromString(", ") : NULL;
        PyObject *desc = sep ? PyUnicode_Join(sep, parts) : NULL;
        if (desc != NULL)
            PyErr_Format(PyExc_IndexError,
                         "%s: the index arrays of shapes %U cannot be broadcast together%s",
                         opname, desc, has_one ? "; runtime broadcasting is not allowed: declare "
                         "the length-1 dimension statically (e.g. with pt.specify_broadcastable)"
                         : "");
        Py_XDECREF(sep);
        Py_XDECREF(parts);
        Py_XDECREF(desc);
        return -1;
    }
    *out_nd = nd;
    return 0;
}
#endif
"""


def _slice_entry(e: slice, t: int, k: int, pos: int) -> tuple[str, int]:
    fields = []
    for var in (e.start, e.stop, e.step):
        if isinstance(var, Type):
            fields.append(f"idx[{pos}]")
            pos += 1
        else:
            fields.append("NULL")
    start, stop, step = fields
    code = rf"""
    {{
        npy_intp v[3] = {{0, 0, 1}};
        PyObject *f[3] = {{{start}, {stop}, {step}}}, *o[3] = {{NULL, NULL, NULL}};
        for (int j = 0; j < 3; j++) {{
            if (f[j] == NULL) {{ o[j] = Py_None; Py_INCREF(Py_None); continue; }}
            if (ptops_as_intp(f[j], &v[j]) < 0) goto fail_slice{t};
            o[j] = PyLong_FromSsize_t(v[j]);
            if (o[j] == NULL) goto fail_slice{t};
        }}
        if (f[2] != NULL && v[2] == 0) {{
            PyErr_Format(PyExc_ValueError, "%s: slice step cannot be zero (axis %d)", opname, {k});
            goto fail_slice{t};
        }}
        Py_ssize_t start = f[0] ? v[0] : (v[2] < 0 ? PY_SSIZE_T_MAX : 0);
        Py_ssize_t stop = f[1] ? v[1] : (v[2] < 0 ? PY_SSIZE_T_MIN : PY_SSIZE_T_MAX);
        parts[{t}] = PySlice_AdjustIndices(xd[{k}], &start, &stop, v[2]);
        PyObject *s = PySlice_New(o[0], o[1], o[2]);
        if (s == NULL) goto fail_slice{t};
        PyTuple_SET_ITEM(index, {t}, s);
        for (int j = 0; j < 3; j++) Py_DECREF(o[j]);
        goto done_slice{t};
fail_slice{t}:
        for (int j = 0; j < 3; j++) Py_XDECREF(o[j]);
        goto fail;
done_slice{t}:;
    }}"""
    return code, pos


def _int_array_entry(t: int, k: int, pos: int, n_adv: int, var: Any) -> str:
    statics = ", ".join("-1" if s is None else str(s) for s in var.type.shape) or "0"
    return rf"""
    {{
        PyArrayObject *a = ptops_checked_index(idx[{pos}], xd[{k}], {k}, opname);
        if (a == NULL) goto fail;
        PyTuple_SET_ITEM(index, {t}, (PyObject *)a);
        ranks[{n_adv}] = PyArray_NDIM(a);
        static const npy_intp st[] = {{{statics}}};
        for (int j = 0; j < PyArray_NDIM(a); j++) {{
            shapes[{n_adv}][j] = PyArray_DIMS(a)[j];
            statics[{n_adv}][j] = st[j];
        }}
    }}"""


def _mask_entry(t: int, k: int, pos: int, n_adv: int, var: Any) -> str:
    m = var.type.ndim
    count = mask_count(var, STATIC)
    dims_text = f"the dimension {k}" if m == 1 else f"the dimensions {k}..{k + m - 1}"
    return rf"""
    {{
        PyArrayObject *a = (PyArrayObject *)idx[{pos}];
        int bad = PyArray_NDIM(a) != {m} || {k} + {m} > nd;
        for (int j = 0; j < {m} && !bad; j++) bad = PyArray_DIMS(a)[j] != xd[{k} + j];
        if (bad) {{
            int own_n = nd - {k} < {m} ? (nd - {k} > 0 ? nd - {k} : 0) : {m};
            PyObject *as = ptops_tuple(PyArray_DIMS(a), PyArray_NDIM(a));
            PyObject *os = ptops_tuple(xd + ({k} < nd ? {k} : nd), own_n);
            PyObject *xs_ = ptops_tuple(xd, nd);
            if (as != NULL && os != NULL && xs_ != NULL)
                PyErr_Format(PyExc_IndexError, "%s: the boolean index of shape %R does not match "
                             "%s that it indexes, of shape %R (the tensor has shape %R)", opname,
                             as, "{dims_text}", os, xs_);
            Py_XDECREF(as);
            Py_XDECREF(os);
            Py_XDECREF(xs_);
            goto fail;
        }}
        npy_intp count = PyArray_CountNonzero(a);
        if (count < 0) goto fail;
        Py_INCREF(a);
        PyTuple_SET_ITEM(index, {t}, (PyObject *)a);
        ranks[{n_adv}] = 1;
        shapes[{n_adv}][0] = count;
        statics[{n_adv}][0] = {-1 if count is None else count};
    }}"""


def _place_parts(idx_list: Any, k_end: int) -> str:
    """C filling ``region``/``rnd`` from ``parts`` and the broadcast ``adv`` (``place_parts``)."""
    where = [t for t, e in enumerate(idx_list) if e is not None and not isinstance(e, slice)]
    lines = []
    basic = [t for t, e in enumerate(idx_list) if e is None or isinstance(e, slice)]
    if not where:
        order = [("part", t) for t in range(len(idx_list))]
    elif where[-1] - where[0] + 1 == len(where):
        order = [("part", t) for t in range(where[0])]
        order += [("adv", None)]
        order += [("part", t) for t in range(where[-1] + 1, len(idx_list))]
    else:
        order = [("adv", None)] + [("part", t) for t in basic]
    for kind, t in order:
        if kind == "adv":
            lines.append("    for (int j = 0; j < adv_nd; j++) region[r++] = adv[j];")
        else:
            lines.append(f"    region[r++] = parts[{t}];")
    lines.append(f"    for (int d = {k_end}; d < nd; d++) region[r++] = xd[d];")
    return "\n".join(lines)


def index_function(fname: str, op: Any, index_vars: Any) -> str:
    """C ``int fname(x, idx, opname, &index, region, &rnd)``: the checked index tuple and the
    region shape of ``x[idx_list]`` (as ``numpy_advanced_index``)."""
    entries = []
    k = pos = n_adv = 0
    for t, e in enumerate(op.idx_list):
        if e is None:
            entries.append(
                f"    Py_INCREF(Py_None);\n    PyTuple_SET_ITEM(index, {t}, Py_None);\n"
                f"    parts[{t}] = 1;"
            )
        elif isinstance(e, slice):
            code, pos = _slice_entry(e, t, k, pos)
            entries.append(code)
            k += 1
        elif e.dtype == "bool":
            entries.append(_mask_entry(t, k, pos, n_adv, index_vars[pos]))
            k += e.ndim
            pos += 1
            n_adv += 1
        else:
            entries.append(_int_array_entry(t, k, pos, n_adv, index_vars[pos]))
            k += 1
            pos += 1
            n_adv += 1
    n = len(op.idx_list)
    return rf"""
static int {fname}(PyArrayObject *x, PyObject **idx, const char *opname, PyObject **index_out,
                   npy_intp *region, int *rnd)
{{
    const npy_intp *xd = PyArray_DIMS(x);
    int nd = PyArray_NDIM(x), r = 0, adv_nd = 0;
    npy_intp parts[{n} + 1], adv[NPY_MAXDIMS];
    npy_intp shapes[{n_adv} + 1][NPY_MAXDIMS], statics[{n_adv} + 1][NPY_MAXDIMS];
    int ranks[{n_adv} + 1];
    (void)idx; (void)shapes; (void)statics; (void)ranks; (void)xd; (void)parts;
    PyObject *index = PyTuple_New({n});
    if (index == NULL) return -1;
{"".join(entries)}
    if (ptops_adv_broadcast({n_adv}, ranks, shapes, (const npy_intp (*)[NPY_MAXDIMS])statics,
                            opname, adv, &adv_nd) < 0) goto fail;
{_place_parts(op.idx_list, k)}
    *rnd = r;
    *index_out = index;
    return 0;
fail:
    Py_DECREF(index);
    return -1;
}}
"""


_SUPPORT = (BOUNDS, ADV_BROADCAST, WRITE)


@c_funcify.register(AdvancedSubtensor)
def c_funcify_AdvancedSubtensor(op: AdvancedSubtensor, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    PyObject *index;
    npy_intp region[NPY_MAXDIMS];
    int rnd;
    if ({name}_index(x, inputs + 1, {c_str(str(op))}, &index, region, &rnd) < 0) return -1;
    PyObject *res = PyObject_GetItem((PyObject *)x, index);
    Py_DECREF(index);
    if (res == NULL) return -1;
    PyArrayObject *out = (PyArrayObject *)PyArray_FROM_O(res);
    Py_DECREF(res);
    if (out == NULL) return -1;
    if (ptops_overlap(out, x)) {{
        PyObject *c = PyArray_NewCopy(out, NPY_CORDER);
        Py_DECREF(out);
        if (c == NULL) return -1;
        out = (PyArrayObject *)c;
    }}
    outputs[0] = (PyObject *)out;
    return 0;"""
    code = index_function(f"{name}_index", op, node.inputs[1:]) + kernel(name, body)
    mask = any(
        e is not None and not isinstance(e, slice) and e.dtype == "bool" for e in op.idx_list
    )
    return make_impl(name, code, *_SUPPORT, node=node if mask else None)


#: ``np.add`` (a borrowed, cached reference).
NP_ADD = r"""
#ifndef PTOPS_NP_ADD
#define PTOPS_NP_ADD
static PyObject *ptops_np_add(void)
{
    static PyObject *add = NULL;
    if (add == NULL) {
        PyObject *np = PyImport_ImportModule("numpy");
        if (np == NULL) return NULL;
        add = PyObject_GetAttrString(np, "add");
        Py_DECREF(np);
    }
    return add;
}
#endif
"""


def _adv_write(op: Any) -> str:
    if op.set_instead_of_inc:
        return "    if (PyObject_SetItem((PyObject *)out, index, (PyObject *)y) < 0) goto fail;"
    if op.ignore_duplicates:
        return r"""
    {
        PyObject *r = PyObject_GetItem((PyObject *)out, index), *s = NULL;
        if (r != NULL) s = PyNumber_InPlaceAdd(r, (PyObject *)y);
        int bad = s == NULL || PyObject_SetItem((PyObject *)out, index, s) < 0;
        Py_XDECREF(r);
        Py_XDECREF(s);
        if (bad) goto fail;
    }"""
    return r"""
    {
        PyObject *add = ptops_np_add();
        PyObject *r = add ? PyObject_CallMethod(add, "at", "OOO", out, index, y) : NULL;
        if (r == NULL) goto fail;
        Py_DECREF(r);
    }"""


@c_funcify.register(AdvancedIncSubtensor)
def c_funcify_AdvancedIncSubtensor(op: AdvancedIncSubtensor, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    verb = "set" if op.set_instead_of_inc else "increment"
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0], *y = (PyArrayObject *)inputs[1], *out;
    PyObject *index = NULL;
    static const int ystatic1[] = {static1(node.inputs[1])};
    const char *opname = {c_str(str(op))};
    npy_intp region[NPY_MAXDIMS];
    int rnd;
    {_copy_or_alias(op.inplace)}
    if ({name}_index(out, inputs + 2, opname, &index, region, &rnd) < 0) goto fail;
    if (ptops_check_value(y, ystatic1, rnd, region, opname, "{verb}") < 0) goto fail;
{_adv_write(op)}
    Py_DECREF(index);
    outputs[0] = (PyObject *)out;
    return 0;
fail:
    Py_XDECREF(index);
    Py_DECREF(out);
    return -1;"""
    code = index_function(f"{name}_index", op, node.inputs[2:]) + kernel(name, body)
    return make_impl(name, code, *_SUPPORT, CHECK_VALUE, NP_ADD, node=node)
