"""C kernels of CumOp, Repeat, BroadcastTo and Argmax (layer: pytensor-backend-c).

They drive NumPy's C routines (``PyArray_CumSum``, ``PyArray_Repeat``,
``PyArray_ArgMax``, ``PyArray_CopyInto``) after the checks ``perform`` makes,
so results (tie-breaking, NaN handling, dtypes) are NumPy's own.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.c.dispatch._ops_common import c_str, dtype_of, kernel, make_impl, typenum
from pytensor.link.c.dispatch.basic import CImpl, c_funcify
from pytensor.tensor._extra_broadcast import BroadcastTo
from pytensor.tensor._extra_index import RavelMultiIndex, UnravelIndex
from pytensor.tensor._extra_unique import BinCount
from pytensor.tensor._reduce import Argmax
from pytensor.tensor.extra_ops import CumOp, FillDiagonal, Repeat, SearchsortedOp

__all__ = [
    "c_funcify_Argmax",
    "c_funcify_BinCount",
    "c_funcify_BroadcastTo",
    "c_funcify_CumOp",
    "c_funcify_FillDiagonal",
    "c_funcify_RavelMultiIndex",
    "c_funcify_Repeat",
    "c_funcify_SearchsortedOp",
    "c_funcify_UnravelIndex",
]


@c_funcify.register(CumOp)
def c_funcify_CumOp(op: CumOp, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    tn = typenum(dtype_of(node.outputs[0]))
    fn = "PyArray_CumSum" if op.mode == "add" else "PyArray_CumProd"
    body = rf"""
    PyObject *r = {fn}((PyArrayObject *)inputs[0], {op.axis}, {tn}, NULL);
    if (r == NULL) return -1;
    outputs[0] = PyArray_FROM_OTF(r, {tn}, NPY_ARRAY_ENSUREARRAY);
    Py_DECREF(r);
    return outputs[0] == NULL ? -1 : 0;"""
    return make_impl(name, kernel(name, body))


@c_funcify.register(Repeat)
def c_funcify_Repeat(op: Repeat, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    opname = c_str(str(op))
    single = "1" if node.inputs[1].type.shape == (1,) else "0"
    axis = "NPY_RAVEL_AXIS" if op.axis is None else str(op.axis)
    n = "PyArray_SIZE(x)" if op.axis is None else f"PyArray_DIMS(x)[{op.axis}]"
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    PyArrayObject *rep = (PyArrayObject *)PyArray_FROM_OTF(inputs[1], NPY_INTP,
                                                           NPY_ARRAY_CARRAY_RO);
    if (rep == NULL) return -1;
    npy_intp nr = PyArray_SIZE(rep);
    const npy_intp *rp = (const npy_intp *)PyArray_DATA(rep);
    for (npy_intp i = 0; i < nr; i++) {{
        if (rp[i] < 0) {{
            PyObject *s = PyObject_Str(inputs[1]);
            if (s != NULL)
                PyErr_Format(PyExc_ValueError, "%s: repeats must be non-negative, got %U",
                             {opname}, s);
            Py_XDECREF(s);
            Py_DECREF(rep);
            return -1;
        }}
    }}
    npy_intp n = {n};
    if (PyArray_NDIM(rep) == 1 && nr != n && !{single}) {{
        PyObject *xs = ptops_tuple(PyArray_DIMS(x), PyArray_NDIM(x));
        if (xs != NULL)
            PyErr_Format(PyExc_ValueError, "%s: %zd repeat counts for %zd elements (input shape "
                         "%R)", {opname}, nr, n, xs);
        Py_XDECREF(xs);
        Py_DECREF(rep);
        return -1;
    }}
    outputs[0] = PyArray_Repeat(x, (PyObject *)rep, {axis});
    Py_DECREF(rep);
    return outputs[0] == NULL ? -1 : 0;"""
    return make_impl(name, kernel(name, body))


@c_funcify.register(BroadcastTo)
def c_funcify_BroadcastTo(op: BroadcastTo, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    nd = len(node.inputs) - 1
    tn = typenum(dtype_of(node.outputs[0]))
    reads = "\n".join(
        f"    if (ptops_as_intp(inputs[{i + 1}], &sh[{i}]) < 0) return -1;" for i in range(nd)
    )
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    npy_intp sh[{nd} + 1];
{reads}
    int bad = PyArray_NDIM(x) > {nd};
    for (int d = 0; d < {nd} && !bad; d++) {{
        int j = d - ({nd} - PyArray_NDIM(x));
        bad = sh[d] < 0 || (j >= 0 && PyArray_DIMS(x)[j] != 1 && PyArray_DIMS(x)[j] != sh[d]);
    }}
    if (bad) {{
        PyObject *xs = ptops_tuple(PyArray_DIMS(x), PyArray_NDIM(x)), *ss = ptops_tuple(sh, {nd});
        if (xs != NULL && ss != NULL)
            PyErr_Format(PyExc_ValueError, "%s: cannot broadcast an input of shape %R to shape %R: "
                         "each input dimension must have length 1 or the target length",
                         {c_str(str(op))}, xs, ss);
        Py_XDECREF(xs);
        Py_XDECREF(ss);
        return -1;
    }}
    PyArrayObject *out = ptops_empty({nd}, sh, {tn});
    if (out == NULL) return -1;
    if (PyArray_CopyInto(out, x) < 0) {{
        Py_DECREF(out);
        return -1;
    }}
    outputs[0] = (PyObject *)out;
    return 0;"""
    return make_impl(name, kernel(name, body))


@c_funcify.register(Argmax)
def c_funcify_Argmax(op: Argmax, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    ndim = node.inputs[0].type.ndim
    axes = list(range(ndim)) if op.axis is None else list(op.axis)
    keep = [d for d in range(ndim) if d not in axes]
    perm = ", ".join(str(d) for d in keep + axes) or "0"
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    static const int axes[] = {{{", ".join(str(a) for a in axes) or "0"}}};
    for (int i = 0; i < {len(axes)}; i++) {{
        if (PyArray_DIMS(x)[axes[i]] == 0) {{
            PyObject *xs = ptops_tuple(PyArray_DIMS(x), PyArray_NDIM(x));
            if (xs != NULL)
                PyErr_Format(PyExc_ValueError, "%s: cannot take the argmax over an empty axis "
                             "(input shape %R)", {c_str(str(op))}, xs);
            Py_XDECREF(xs);
            return -1;
        }}
    }}
    npy_intp perm[] = {{{perm}}}, dims[NPY_MAXDIMS], size = 1;
    PyArray_Dims pd = {{perm, {ndim}}};
    PyObject *moved = {ndim} ? PyArray_Transpose(x, &pd) : (Py_INCREF(x), (PyObject *)x);
    if (moved == NULL) return -1;
    for (int i = 0; i < {len(keep)}; i++) dims[i] = PyArray_DIMS(x)[perm[i]];
    for (int i = {len(keep)}; i < {ndim}; i++) size *= PyArray_DIMS(x)[perm[i]];
    dims[{len(keep)}] = size;
    PyArray_Dims nd_ = {{dims, {len(keep) + 1}}};
    PyObject *flat = PyArray_Newshape((PyArrayObject *)moved, &nd_, NPY_CORDER);
    Py_DECREF(moved);
    if (flat == NULL) return -1;
    PyObject *r = PyArray_ArgMax((PyArrayObject *)flat, {len(keep)}, NULL);
    Py_DECREF(flat);
    if (r == NULL) return -1;
    outputs[0] = PyArray_FROM_OTF(r, NPY_INT64, NPY_ARRAY_ENSUREARRAY);
    Py_DECREF(r);
    return outputs[0] == NULL ? -1 : 0;"""
    return make_impl(name, kernel(name, body))


@c_funcify.register(SearchsortedOp)
def c_funcify_SearchsortedOp(op: SearchsortedOp, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    side = "NPY_SEARCHLEFT" if op.side == "left" else "NPY_SEARCHRIGHT"
    has_sorter = len(node.inputs) == 3
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)inputs[0];
    PyObject *sorter = {"inputs[2]" if has_sorter else "NULL"};
    if (sorter != NULL && (PyArray_NDIM((PyArrayObject *)sorter) != 1
                           || PyArray_DIMS((PyArrayObject *)sorter)[0] != PyArray_DIMS(x)[0])) {{
        PyObject *ss = ptops_tuple(PyArray_DIMS((PyArrayObject *)sorter),
                                   PyArray_NDIM((PyArrayObject *)sorter));
        PyObject *xs = ptops_tuple(PyArray_DIMS(x), 1);
        if (ss != NULL && xs != NULL)
            PyErr_Format(PyExc_ValueError, "%s: sorter of shape %R does not match the array's "
                         "shape %R", {c_str(str(op))}, ss, xs);
        Py_XDECREF(ss);
        Py_XDECREF(xs);
        return -1;
    }}
    PyObject *r = PyArray_SearchSorted(x, inputs[1], {side}, sorter);
    if (r == NULL) return -1;
    outputs[0] = PyArray_FROM_OTF(r, NPY_INT64, NPY_ARRAY_ENSUREARRAY);
    Py_DECREF(r);
    return outputs[0] == NULL ? -1 : 0;"""
    return make_impl(name, kernel(name, body))


@c_funcify.register(FillDiagonal)
def c_funcify_FillDiagonal(op: FillDiagonal, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    tn = typenum(dtype_of(node.outputs[0]))
    body = rf"""
    PyArrayObject *a = (PyArrayObject *)inputs[0];
    int nd = PyArray_NDIM(a);
    const npy_intp *ad = PyArray_DIMS(a);
    for (int d = 1; nd > 2 && d < nd; d++) {{
        if (ad[d] != ad[0]) {{
            PyObject *as = ptops_tuple(ad, nd);
            if (as != NULL)
                PyErr_Format(PyExc_ValueError, "%s: all dimensions of the %d-d input must be "
                             "equal, got shape %R", {c_str(str(op))}, nd, as);
            Py_XDECREF(as);
            return -1;
        }}
    }}
    PyArrayObject *val = ptops_as_type(inputs[1], {tn});
    if (val == NULL) return -1;
    PyArrayObject *out = (PyArrayObject *)PyArray_NewCopy(a, NPY_CORDER);
    if (out == NULL) {{ Py_DECREF(val); return -1; }}
    npy_intp n = ad[0], step = 0;
    for (int d = 0; d < nd; d++) {{
        if (ad[d] < n) n = ad[d];
        step += PyArray_STRIDES(out)[d];
    }}
    for (npy_intp k = 0; k < n; k++)
        memcpy(PyArray_BYTES(out) + k * step, PyArray_DATA(val), PyArray_ITEMSIZE(out));
    Py_DECREF(val);
    outputs[0] = (PyObject *)out;
    return 0;"""
    return make_impl(name, kernel(name, body))


#: The checked dims vector of (Un)RavelIndex as intp values; errors are perform's (reperform).
_DIMS = r"""
    PyArrayObject *dv = (PyArrayObject *)PyArray_FROM_OTF(inputs[@DIMS@], NPY_INTP,
                                                          NPY_ARRAY_CARRAY_RO);
    if (dv == NULL) return -1;
    npy_intp nd = PyArray_SIZE(dv), dims[NPY_MAXDIMS], size = 1;
    if (nd != @ND@) {
        Py_DECREF(dv);
        PyErr_SetString(PyExc_ValueError, "the dims have the wrong length");
        return -1;
    }
    for (npy_intp d = 0; d < nd; d++) {
        dims[d] = ((const npy_intp *)PyArray_DATA(dv))[d];
        if (dims[d] < 0) {
            Py_DECREF(dv);
            PyErr_SetString(PyExc_ValueError, "dimensions must be non-negative");
            return -1;
        }
        size *= dims[d];
    }
    Py_DECREF(dv);
"""


@c_funcify.register(UnravelIndex)
def c_funcify_UnravelIndex(op: UnravelIndex, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    nd = len(node.outputs)
    order = "nd - 1 - j" if op.order == "C" else "j"
    body = (
        _DIMS.replace("@DIMS@", "1").replace("@ND@", str(nd))
        + rf"""
    PyArrayObject *ix = (PyArrayObject *)PyArray_FROM_OTF(inputs[0], NPY_INTP,
                                                          NPY_ARRAY_CARRAY_RO);
    if (ix == NULL) return -1;
    npy_intp n = PyArray_SIZE(ix);
    const npy_intp *p = (const npy_intp *)PyArray_DATA(ix);
    for (npy_intp i = 0; i < n; i++) {{
        if (p[i] < 0 || p[i] >= size) {{
            PyErr_Format(PyExc_ValueError, "index %zd is out of bounds for array with size %zd",
                         p[i], size);
            Py_DECREF(ix);
            return -1;
        }}
    }}
    npy_int64 *out[{nd} + 1];
    for (int d = 0; d < {nd}; d++) {{
        outputs[d] = (PyObject *)ptops_empty(PyArray_NDIM(ix), PyArray_DIMS(ix), NPY_INT64);
        if (outputs[d] == NULL) {{
            for (int j = 0; j < d; j++) Py_CLEAR(outputs[j]);
            Py_DECREF(ix);
            return -1;
        }}
        out[d] = (npy_int64 *)PyArray_DATA((PyArrayObject *)outputs[d]);
    }}
    for (npy_intp i = 0; i < n; i++) {{
        npy_intp v = p[i];
        for (npy_intp j = 0; j < nd; j++) {{
            npy_intp d = {order};
            out[d][i] = v % dims[d];
            v /= dims[d];
        }}
    }}
    Py_DECREF(ix);
    return 0;"""
    )
    return make_impl(name, kernel(name, body), node=node)


@c_funcify.register(RavelMultiIndex)
def c_funcify_RavelMultiIndex(op: RavelMultiIndex, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    k = len(node.inputs) - 1
    rank = node.outputs[0].type.ndim
    static1 = (
        ", ".join("1" if s == 1 else "0" for var in node.inputs[:-1] for s in var.type.shape) or "0"
    )
    mode = {"raise": 0, "wrap": 1, "clip": 2}[op.mode]
    weights = "nd - 1 - j" if op.order == "C" else "j"
    body = (
        _DIMS.replace("@DIMS@", str(k)).replace("@ND@", str(k))
        + rf"""
    static const int st1[] = {{{static1}}};
    PyArrayObject *m[{k}];
    npy_intp shape[NPY_MAXDIMS + 1], str_[{k}][NPY_MAXDIMS + 1], total = 1;
    int rc = -1;
    for (int i = 0; i < {k}; i++) m[i] = NULL;
    for (int i = 0; i < {k}; i++) {{
        m[i] = (PyArrayObject *)PyArray_FROM_OTF(inputs[i], NPY_INTP, NPY_ARRAY_ALIGNED);
        if (m[i] == NULL) goto done;
    }}
    for (int d = 0; d < {rank}; d++) {{
        shape[d] = -1;
        for (int i = 0; i < {k}; i++) {{
            npy_intp len = PyArray_DIMS(m[i])[d];
            if (st1[i * {rank} + d]) {{ str_[i][d] = 0; continue; }}
            if (shape[d] >= 0 && shape[d] != len) {{
                PyErr_SetString(PyExc_ValueError, "shapes do not match");
                goto done;
            }}
            shape[d] = len;
            str_[i][d] = PyArray_STRIDES(m[i])[d];
        }}
        if (shape[d] < 0) shape[d] = 1;
        total *= shape[d];
    }}
    PyArrayObject *out = ptops_empty({rank}, shape, NPY_INT64);
    if (out == NULL) goto done;
    npy_int64 *op_ = (npy_int64 *)PyArray_DATA(out);
    npy_intp idx[NPY_MAXDIMS + 1] = {{0}};
    for (npy_intp e = 0; e < total; e++) {{
        npy_intp flat = 0, w = 1;
        for (npy_intp j = 0; j < nd; j++) {{
            npy_intp d = {weights};
            const char *p = PyArray_BYTES(m[d]);
            for (int a = 0; a < {rank}; a++) p += idx[a] * str_[d][a];
            npy_intp c = *(const npy_intp *)p;
            if (c < 0 || c >= dims[d]) {{
                if ({mode} == 0) {{
                    Py_DECREF(out);
                    PyErr_SetString(PyExc_ValueError, "invalid entry in coordinates array");
                    goto done;
                }}
                if ({mode} == 1) c = dims[d] ? ((c % dims[d]) + dims[d]) % dims[d] : 0;
                else c = c < 0 ? 0 : (dims[d] ? dims[d] - 1 : 0);
            }}
            flat += c * w;
            w *= dims[d];
        }}
        op_[e] = flat;
        for (int a = {rank} - 1; a >= 0; a--) {{
            if (++idx[a] < shape[a]) break;
            idx[a] = 0;
        }}
    }}
    outputs[0] = (PyObject *)out;
    rc = 0;
done:
    for (int i = 0; i < {k}; i++) Py_XDECREF(m[i]);
    return rc;"""
    )
    return make_impl(name, kernel(name, body), node=node)


@c_funcify.register(BinCount)
def c_funcify_BinCount(op: BinCount, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    weighted = len(node.inputs) == 3
    tn = typenum(dtype_of(node.outputs[0]))
    body = rf"""
    PyArrayObject *x = (PyArrayObject *)PyArray_FROM_OTF(inputs[0], NPY_INT64,
                                                         NPY_ARRAY_CARRAY_RO | NPY_ARRAY_FORCECAST);
    PyArrayObject *w = NULL, *acc = NULL;
    if (x == NULL) return -1;
    npy_intp n = PyArray_SIZE(x), minlength, len = 0;
    const npy_int64 *xp = (const npy_int64 *)PyArray_DATA(x);
    for (npy_intp i = 0; i < n; i++) {{
        if (xp[i] < 0) {{
            PyErr_SetString(PyExc_ValueError, "BinCount: x must be non-negative");
            goto fail;
        }}
        if (xp[i] + 1 > len) len = xp[i] + 1;
    }}
    if (ptops_as_intp(inputs[1], &minlength) < 0) goto fail;
    if (minlength < 0) {{
        PyErr_SetString(PyExc_ValueError, "BinCount: minlength must be non-negative");
        goto fail;
    }}
    if (minlength > len) len = minlength;
    if ({int(weighted)}) {{
        w = (PyArrayObject *)PyArray_FROM_OTF(inputs[{2 if weighted else 0}], NPY_FLOAT64,
                                              NPY_ARRAY_CARRAY_RO | NPY_ARRAY_FORCECAST);
        if (w == NULL) goto fail;
        if (PyArray_NDIM(w) != 1 || PyArray_SIZE(w) != n) {{
            PyErr_SetString(PyExc_ValueError, "BinCount: the weights do not match x");
            goto fail;
        }}
        acc = (PyArrayObject *)PyArray_ZEROS(1, &len, NPY_FLOAT64, 0);
        if (acc == NULL) goto fail;
        double *ap = (double *)PyArray_DATA(acc);
        const double *wp = (const double *)PyArray_DATA(w);
        for (npy_intp i = 0; i < n; i++) ap[xp[i]] += wp[i];
        outputs[0] = PyArray_FROM_OTF((PyObject *)acc, {tn},
                                      NPY_ARRAY_ENSUREARRAY | NPY_ARRAY_FORCECAST);
        if (outputs[0] == NULL) goto fail;
    }} else {{
        acc = (PyArrayObject *)PyArray_ZEROS(1, &len, NPY_INT64, 0);
        if (acc == NULL) goto fail;
        npy_int64 *ap = (npy_int64 *)PyArray_DATA(acc);
        for (npy_intp i = 0; i < n; i++) ap[xp[i]] += 1;
        Py_INCREF(acc);
        outputs[0] = (PyObject *)acc;
    }}
    Py_DECREF(x);
    Py_XDECREF(w);
    Py_DECREF(acc);
    return 0;
fail:
    Py_DECREF(x);
    Py_XDECREF(w);
    Py_XDECREF(acc);
    return -1;"""
    return make_impl(name, kernel(name, body), node=node)
