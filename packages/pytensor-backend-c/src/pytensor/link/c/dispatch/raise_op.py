"""C kernel of CheckAndRaise/Assert (layer: pytensor-backend-c).

The exception class and message are user data: they never enter the C
source. The kernel only embeds a hex token; when a condition is false it calls
:func:`raise_checked` with that token, which raises the registered
``exc_type(msg)`` exactly as ``perform`` does.
"""

from __future__ import annotations

import hashlib
from typing import Any, NoReturn

from pytensor.link.c.dispatch._ops_common import kernel, make_impl
from pytensor.link.c.dispatch.basic import CImpl, c_funcify
from pytensor.raise_op import CheckAndRaise

__all__ = ["c_funcify_CheckAndRaise", "raise_checked"]

#: token -> (exception class, message); filled when kernels are generated.
_CHECKS: dict[str, tuple[type[BaseException], str]] = {}


def _token(op: CheckAndRaise) -> str:
    cls = op.exc_type
    text = f"{cls.__module__}.{cls.__qualname__}\0{op.msg}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def raise_checked(token: str) -> NoReturn:
    """Raise the exception registered under ``token`` (called by the generated C)."""
    found = _CHECKS.get(token)
    if found is None:
        raise AssertionError("CheckAndRaise: a check failed (its exception is not registered)")
    exc_type, msg = found
    raise exc_type(msg)


#: Calls raise_checked(token); always returns -1 with the exception set.
RAISE_CHECKED = r"""
#ifndef PTOPS_RAISE_CHECKED
#define PTOPS_RAISE_CHECKED
static int ptops_raise_checked(const char *token)
{
    PyObject *m = PyImport_ImportModule("pytensor.link.c.dispatch.raise_op");
    if (m == NULL) return -1;
    PyObject *r = PyObject_CallMethod(m, "raise_checked", "s", token);
    Py_DECREF(m);
    Py_XDECREF(r);
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_AssertionError, "CheckAndRaise: a check failed");
    return -1;
}

/* Whether the 0-d (or any) array c is all true, for bool and integer dtypes. */
static int ptops_all_true(PyObject *o)
{
    if (PyArray_Check(o) && PyArray_NDIM((PyArrayObject *)o) == 0
        && (PyArray_ISINTEGER((PyArrayObject *)o) || PyArray_ISBOOL((PyArrayObject *)o))) {
        const unsigned char *p = (const unsigned char *)PyArray_DATA((PyArrayObject *)o);
        for (int i = 0; i < PyArray_ITEMSIZE((PyArrayObject *)o); i++)
            if (p[i]) return 1;
        return 0;
    }
    PyObject *a = PyArray_FROM_O(o);
    if (a == NULL) return -1;
    npy_intp n = PyArray_SIZE((PyArrayObject *)a);
    npy_intp nz = PyArray_CountNonzero((PyArrayObject *)a);
    Py_DECREF(a);
    return nz < 0 ? -1 : nz == n;
}
#endif
"""


@c_funcify.register(CheckAndRaise)
def c_funcify_CheckAndRaise(op: CheckAndRaise, node: Any, **kw: Any) -> CImpl:
    name = kw["name"]
    token = _token(op)
    _CHECKS[token] = (op.exc_type, op.msg)
    n = len(node.inputs) - 1
    body = rf"""
    for (int i = 1; i <= {n}; i++) {{
        int ok = ptops_all_true(inputs[i]);
        if (ok < 0) return -1;
        if (!ok) return ptops_raise_checked("{token}");
    }}
    Py_INCREF(inputs[0]);
    outputs[0] = inputs[0];
    return 0;"""
    return make_impl(name, kernel(name, body), RAISE_CHECKED)
