"""Helpers of the code generators: escaped string literals (compiled and read back), C literals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pytensor.link.c import build, cache
from pytensor.link.c.dispatch._support import c_literal, c_string_literal, c_type

pytestmark = pytest.mark.c

NASTY = [
    "",
    'a "quoted" word',
    "back\\slash\\",
    "new\nline\r\ttab",
    "*/ int evil = 1; /*",
    "// comment",
    "??= trigraph ??/",
    "é ∑ 🙂 non-ASCII",
    "\x00nul\x01\x7f",
    "%s %d %R format",
    "\\0\\x41\\101",
]


def _readback_source(literals: list[str], values: list[str]) -> str:
    items = "\n".join(
        f"    PyList_SET_ITEM(r, {k}, PyUnicode_DecodeUTF8({lit}, sizeof({lit}) - 1, NULL));"
        for k, lit in enumerate(literals)
    )
    consts = "\n".join(f"    {v};" for v in values)
    return f"""
#include <Python.h>
#include <math.h>
#include <complex.h>
#include <numpy/arrayobject.h>
static PyObject *pyt_run(PyObject *self, PyObject *const *args, Py_ssize_t n) {{
    PyObject *r = PyList_New({len(literals)});
{items}
    PyObject *v = PyList_New(0);
{consts}
    return Py_BuildValue("NN", r, v);
}}
static PyMethodDef pyt_def = {{"run", (PyCFunction)(void (*)(void))pyt_run, METH_FASTCALL, NULL}};
int pyt_make_runner(void *ctx, void *sink) {{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *f = PyCFunction_New(&pyt_def, (PyObject *)ctx);
    int s = f == NULL ? -1 : PyList_Append((PyObject *)sink, f);
    Py_XDECREF(f);
    PyGILState_Release(g);
    return s;
}}
"""


CONSTANTS = [
    (1.5, "float64"),
    (-0.0, "float64"),
    (math.inf, "float64"),
    (-math.inf, "float32"),
    (math.nan, "float64"),
    (5e-324, "float64"),
    (0.1, "float32"),
    (-(2**63), "int64"),
    (2**64 - 1, "uint64"),
    (-128, "int8"),
    (True, "bool"),
    (complex(1.5, -2.0), "complex128"),
]


def _append(value: object, dtype: str) -> str:
    lit = c_literal(value, dtype)
    kind = np.dtype(dtype).kind
    if kind == "c":
        return f"PyList_Append(v, PyComplex_FromDoubles(creal({lit}), cimag({lit})))"
    if kind == "f":
        return f"PyList_Append(v, PyFloat_FromDouble((double){lit}))"
    if kind == "u":
        return f"PyList_Append(v, PyLong_FromUnsignedLongLong({lit}))"
    return f"PyList_Append(v, PyLong_FromLongLong((long long){lit}))"


def test_literals_compile_to_the_original_text_and_values():
    literals = [c_string_literal(s) for s in NASTY]
    for lit in literals:
        body = lit[1:-1]
        assert '"' not in body and "\n" not in body and "*/" not in body.replace("\\", "")
        assert all(0x20 <= ord(ch) < 0x7F for ch in lit)
    src = _readback_source(literals, [_append(v, d) for v, d in CONSTANTS])
    mod, _ = cache.get_module(src, build.toolchain())
    texts, values = build.make_runner(mod, ())()
    assert texts == NASTY
    for got, (value, dtype) in zip(values, CONSTANTS, strict=True):
        want = np.asarray(value, dtype=dtype)[()]
        if isinstance(got, float) and math.isnan(got):
            assert np.isnan(want)
        else:
            assert got == want, (value, dtype, got)
            if dtype.startswith("float") and got == 0:
                assert math.copysign(1, got) == math.copysign(1, float(want))


def test_c_types_cover_the_computing_dtypes():
    assert c_type("float64") == "double" and c_type("float32") == "float"
    assert c_type("bool") == "npy_bool" and c_type("int8") == "npy_int8"
    assert c_type("float16") is None
