"""Generation of one C module per graph: the kernels and the driver that runs them
(layer: pytensor-backend-c).

The driver is a METH_FASTCALL CPython function bound to a context tuple
``(constants, fallbacks, on_error)``. It runs the nodes in topological order:
C kernels directly, nodes without a C implementation through a Python
callable wrapping their ``perform``. Intermediate values are released right
after their last reader; graph inputs and constants are borrowed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.fg import FunctionGraph

__all__ = ["GeneratedModule", "generate"]

_log = logging.getLogger("pytensor.link.c")


@dataclass
class GeneratedModule:
    """The C source of a graph's module and what its driver needs at run time."""

    source: str
    constants: tuple[Any, ...]
    fallbacks: tuple[Callable[..., tuple[Any, ...]], ...]
    nodes: list[Apply]
    #: Nodes running through ``perform``, with the reason.
    fallback_nodes: list[tuple[Apply, str]] = field(default_factory=list)


def _with_c_inner_graph(op: Any) -> Any:
    """A copy of an inner-graph Op (OpFromGraph, IndexedMap) whose ``fn`` is its inner graph
    compiled by the C backend; ``op`` itself if it has no such graph."""
    import copy

    from pytensor.compile.builders import InnerGraphHolder

    if not isinstance(op, InnerGraphHolder) or getattr(op, "fgraph", None) is None:
        return op
    from pytensor.link.c.linker import backend

    new = copy.copy(op)
    new._runner = backend.link(op.fgraph.clone())
    return new


def _fallback(node: Apply) -> Callable[..., tuple[Any, ...]]:
    perform = _with_c_inner_graph(node.op).perform
    n_out = len(node.outputs)

    def run(*args: Any) -> tuple[Any, ...]:
        cells: list[list[Any]] = [[None] for _ in range(n_out)]
        perform(node, list(args), cells)
        return tuple(c[0] for c in cells)

    return run


def _implement(node: Apply, name: str) -> tuple[Any, str]:
    """(CImpl or None, reason) for ``node``."""
    from pytensor.link.c.dispatch import c_funcify
    from pytensor.link.c.dispatch.basic import CImpl

    try:
        impl = c_funcify(node.op, node, name=name)
    except NotImplementedError as exc:
        return None, str(exc) or "not implemented"
    except Exception as exc:  # a bug in a kernel generator must not stop the graph compiling
        _log.warning("c backend: generating C for %s failed: %r", node.op, exc)
        return None, f"generating its C code failed: {type(exc).__name__}: {exc}"
    if isinstance(impl, CImpl):
        return impl, ""
    from pytensor.scalar.basic import ScalarOp

    if isinstance(node.op, ScalarOp):
        from pytensor.link.c.dispatch.elemwise import scalar_node_impl

        scalar_impl = scalar_node_impl(node, name)
        if scalar_impl is not None:
            return scalar_impl, ""
    from pytensor.compile.builders import InnerGraphHolder

    if isinstance(node.op, InnerGraphHolder):
        return None, "no C kernel; its inner graph is compiled by the c backend"
    return None, "no C implementation"


def _last_uses(nodes: list[Apply], keep: set[Variable]) -> list[list[Variable]]:
    last: dict[Variable, int] = {}
    for k, node in enumerate(nodes):
        for i in node.inputs:
            last[i] = k
        for o in node.outputs:
            last.setdefault(o, k)
    frees: list[list[Variable]] = [[] for _ in nodes]
    for var, k in last.items():
        if var.owner is not None and var not in keep:
            frees[k].append(var)
    return frees


def generate(fgraph: FunctionGraph, nodes: list[Apply]) -> GeneratedModule:
    """The module of ``fgraph`` with ``nodes`` (its toposort) run in order."""
    from pytensor.link.c.dispatch._support import module_prelude

    ref: dict[Variable, str] = {v: f"args[{k}]" for k, v in enumerate(fgraph.inputs)}
    constants: list[Any] = []
    fallbacks: list[Callable[..., tuple[Any, ...]]] = []
    fallback_nodes: list[tuple[Apply, str]] = []
    kernels: dict[str, str] = {}  # CImpl.key -> kernel name
    kernel_code: list[str] = []
    support: dict[str, None] = {}
    slots = 0
    body: list[str] = []
    frees = _last_uses(nodes, set(fgraph.outputs))

    def ref_of(v: Variable) -> str:
        if v not in ref:
            if not isinstance(v, Constant):
                raise ValueError(f"{v} is used before it is computed")
            ref[v] = f"PyTuple_GET_ITEM(consts, {len(constants)})"
            constants.append(v.data)
        return ref[v]

    max_in = max_out = 1
    for k, node in enumerate(nodes):
        impl, reason = _implement(node, f"pyt_k{len(kernel_code)}")
        ins = [ref_of(i) for i in node.inputs]
        max_in, max_out = max(max_in, len(ins)), max(max_out, len(node.outputs))
        body.append(f"    node = {k};")
        body.extend(f"    ins[{j}] = {r};" for j, r in enumerate(ins))
        body.extend(f"    outs[{j}] = NULL;" for j in range(len(node.outputs)))
        if impl is not None:
            name = kernels.get(impl.key)
            if name is None:
                name = kernels[impl.key] = f"pyt_k{len(kernel_code)}"
                kernel_code.append(impl.code)
                support.update(dict.fromkeys(impl.support))
            body.append(f"    if ({name}(ins, outs) != 0) goto fail;")
        else:
            fallback_nodes.append((node, reason))
            body.append(
                f"    if (pyt_call(PyTuple_GET_ITEM(fallbacks, {len(fallbacks)}), ins, "
                f"{len(ins)}, outs, {len(node.outputs)}) != 0) goto fail;"
            )
            fallbacks.append(_fallback(node))
        for j, o in enumerate(node.outputs):
            ref[o] = f"v[{slots}]"
            body.append(f"    v[{slots}] = outs[{j}];")
            slots += 1
        for var in frees[k]:
            body.append(f"    Py_CLEAR({ref[var]});")
    outs = [ref_of(o) for o in fgraph.outputs]
    source = "".join(
        [
            module_prelude(),
            _DRIVER_SUPPORT,
            *support,
            *kernel_code,
            _driver(len(fgraph.inputs), slots, max_in, max_out, body, outs),
        ]
    )
    return GeneratedModule(source, tuple(constants), tuple(fallbacks), nodes, fallback_nodes)


def _driver(
    n_in: int, slots: int, max_in: int, max_out: int, body: list[str], outs: list[str]
) -> str:
    ret = [f"    result = PyList_New({len(outs)});", "    if (result == NULL) goto fail;"]
    for j, r in enumerate(outs):
        ret.append(f"    Py_INCREF({r}); PyList_SET_ITEM(result, {j}, {r});")
    return f"""
static PyObject *pyt_run(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {{
    PyObject *consts = PyTuple_GET_ITEM(self, 0);
    PyObject *fallbacks = PyTuple_GET_ITEM(self, 1);
    PyObject *v[{slots + 1}] = {{NULL}};
    PyObject *ins[{max_in}];
    PyObject *outs[{max_out}];
    PyObject *result = NULL;
    int node = -1;
    (void)consts; (void)fallbacks; (void)ins; (void)outs;
    if (nargs != {n_in}) {{
        PyErr_Format(PyExc_TypeError, "the compiled graph takes %d inputs, got %zd", {n_in}, nargs);
        return NULL;
    }}
{chr(10).join(body)}
{chr(10).join(ret)}
    for (int k = 0; k < {slots + 1}; k++) Py_XDECREF(v[k]);
    return result;
fail:
    if (node >= 0) pyt_annotate(PyTuple_GET_ITEM(self, 2), node);
    for (int k = 0; k < {slots + 1}; k++) Py_XDECREF(v[k]);
    return NULL;
}}

static PyMethodDef pyt_run_def = {{"run", (PyCFunction)(void (*)(void))pyt_run, METH_FASTCALL, NULL}};

int pyt_make_runner(void *ctx, void *sink) {{
    PyGILState_STATE gil = PyGILState_Ensure();
    int status = -1;
    if (PyArray_API != NULL || _import_array() >= 0) {{
        PyObject *f = PyCFunction_New(&pyt_run_def, (PyObject *)ctx);
        if (f != NULL) {{
            status = PyList_Append((PyObject *)sink, f);
            Py_DECREF(f);
        }}
    }}
    if (status != 0) PyErr_Clear();
    PyGILState_Release(gil);
    return status;
}}
"""


#: Driver helpers: calling a ``perform`` fallback and annotating errors with the node.
_DRIVER_SUPPORT = r"""
static int pyt_call(PyObject *fn, PyObject **ins, int nin, PyObject **outs, int nout) {
    PyObject *r = PyObject_Vectorcall(fn, ins, nin, NULL);
    if (r == NULL) return -1;
    if (!PyTuple_Check(r) || PyTuple_GET_SIZE(r) != nout) {
        Py_DECREF(r);
        PyErr_SetString(PyExc_RuntimeError, "a perform fallback returned a wrong result");
        return -1;
    }
    for (int j = 0; j < nout; j++) {
        outs[j] = PyTuple_GET_ITEM(r, j);
        Py_INCREF(outs[j]);
    }
    Py_DECREF(r);
    return 0;
}

static void pyt_annotate(PyObject *on_error, int node) {
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    if (tb != NULL && v != NULL) PyException_SetTraceback(v, tb);
    if (v != NULL) {
        PyObject *r = PyObject_CallFunction(on_error, "Oi", v, node);
        if (r == NULL) PyErr_Clear(); else Py_DECREF(r);
    }
    PyErr_Restore(t, v, tb);
}
"""
