"""C kernels of the compile layer's Ops: ``DeepCopyOp`` and ``ViewOp`` (layer: pytensor-backend-c);
mirrors ``pytensor/compile/ops.py``."""

from __future__ import annotations

from typing import Any

from pytensor.compile.ops import DeepCopyOp, ViewOp
from pytensor.graph.basic import Apply
from pytensor.link.c.dispatch.basic import CImpl, c_funcify

__all__ = ["c_funcify_DeepCopyOp", "c_funcify_ViewOp"]


@c_funcify.register(DeepCopyOp)
def c_funcify_DeepCopyOp(op: DeepCopyOp, node: Apply, **kwargs: Any) -> CImpl | None:
    """A copy of an ndarray input (same layout as ``ndarray.copy``); other values go to perform."""
    if not hasattr(node.inputs[0].type, "ndim") or not hasattr(node.inputs[0].type, "shape"):
        return None
    name = kwargs["name"]
    code = f"""
static int {name}(PyObject **inputs, PyObject **outputs) {{
    PyObject *x = inputs[0];
    if (PyArray_Check(x)) {{
        outputs[0] = PyArray_NewCopy((PyArrayObject *)x, NPY_CORDER);
        return outputs[0] == NULL ? -1 : 0;
    }}
    if (PyArray_IsScalar(x, Generic) || PyLong_Check(x) || PyFloat_Check(x) || PyComplex_Check(x)
        || PyUnicode_Check(x) || x == Py_None) {{
        Py_INCREF(x);
        outputs[0] = x;
        return 0;
    }}
    PyObject *m = PyImport_ImportModule("copy");
    if (m == NULL) return -1;
    outputs[0] = PyObject_CallMethod(m, "deepcopy", "O", x);
    Py_DECREF(m);
    return outputs[0] == NULL ? -1 : 0;
}}
"""
    return CImpl(code, "DeepCopyOp/ndarray")


@c_funcify.register(ViewOp)
def c_funcify_ViewOp(op: ViewOp, node: Apply, **kwargs: Any) -> CImpl:
    """The input itself."""
    name = kwargs["name"]
    code = f"""
static int {name}(PyObject **inputs, PyObject **outputs) {{
    Py_INCREF(inputs[0]);
    outputs[0] = inputs[0];
    return 0;
}}
"""
    return CImpl(code, "ViewOp")
