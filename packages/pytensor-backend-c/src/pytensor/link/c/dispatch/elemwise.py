"""C kernels of ``Elemwise`` (fused Composite loops), ``DimShuffle``, ``CAReduce`` and
``ElemwiseReduce`` (layer: pytensor-backend-c); mirrors ``pytensor/tensor/elemwise.py``.

Scalar expressions come from ``c_funcify(scalar_op, scalar_node)``
(:class:`CScalarImpl`); a node whose scalar graph has an Op without one
returns None and runs through ``perform``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pytensor.graph.basic import Apply, Constant
from pytensor.link.c.dispatch._loops import (
    LoopInput,
    Reduction,
    ScalarProgram,
    elemwise_kernel,
    reduce_kernel,
)
from pytensor.link.c.dispatch._support import SUPPORT_ERRORS, c_literal, c_type
from pytensor.link.c.dispatch.basic import CImpl, CScalarImpl, c_funcify, set_op_class_status
from pytensor.scalar._composite import Composite
from pytensor.scalar.basic import get_scalar_type
from pytensor.tensor._elemwise_reduce import ElemwiseReduce
from pytensor.tensor.elemwise import CAReduce, DimShuffle, Elemwise

__all__ = [
    "scalar_node_impl",
    "c_funcify_CAReduce",
    "c_funcify_DimShuffle",
    "c_funcify_Elemwise",
    "c_funcify_ElemwiseReduce",
    "scalar_program",
]


def _key(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# A Composite is compiled node by node into the fused loop (see scalar_program).
set_op_class_status(Composite, "native")


def _scalar_expr(node: Apply, args: list[str]) -> tuple[str, tuple[str, ...], str] | None:
    impl = c_funcify(node.op, node)
    if not isinstance(impl, CScalarImpl):
        return None
    return "(" + impl.expr.format(*args) + ")", impl.support, impl.key


def scalar_program(
    scalar_op: Any, in_dtypes: list[str], out_dtypes: list[str]
) -> ScalarProgram | None:
    """C statements computing ``y0..`` from ``x0..`` for ``scalar_op`` on inputs of ``in_dtypes``.

    A Composite becomes one statement per inner node; None if any scalar Op
    (or dtype) has no C implementation.
    """
    if any(c_type(d) is None for d in (*in_dtypes, *out_dtypes)):
        return None
    types = tuple(get_scalar_type(d) for d in in_dtypes)
    if hasattr(scalar_op, "fgraph"):
        inner = scalar_op._for_types(types) if hasattr(scalar_op, "_for_types") else scalar_op
        fg = inner.fgraph
        names: dict[Any, str] = {v: f"x{k}" for k, v in enumerate(fg.inputs)}
        lines: list[str] = []
        support: list[str] = []
        keys: list[str] = []
        for n, node in enumerate(fg.toposort()):
            if len(node.outputs) != 1:
                return None
            args = []
            for v in node.inputs:
                if v not in names:
                    if not isinstance(v, Constant) or c_type(v.type.dtype) is None:
                        return None
                    names[v] = c_literal(v.data, v.type.dtype)
                args.append(names[v])
            got = _scalar_expr(node, args)
            out = node.outputs[0]
            ct = c_type(out.type.dtype)
            if got is None or ct is None:
                return None
            expr, sup, key = got
            lines.append(f"const {ct} t{n} = {_convert(expr, out.type.dtype)};")
            support.extend(sup)
            keys.append(key)
            names[out] = f"t{n}"
        for j, (o, dt) in enumerate(zip(fg.outputs, out_dtypes, strict=True)):
            if o not in names:
                if not isinstance(o, Constant):
                    return None
                names[o] = c_literal(o.data, o.type.dtype)
            lines.append(f"const {c_type(dt)} y{j} = {_convert(names[o], dt)};")
        return ScalarProgram(tuple(lines), tuple(support), _key(lines, keys))
    if scalar_op.nout != 1 or len(out_dtypes) != 1:
        return None
    snode = scalar_op.make_node(*[t() for t in types])
    got = _scalar_expr(snode, [f"x{k}" for k in range(len(in_dtypes))])
    if got is None:
        return None
    expr, sup, key = got
    ct = c_type(out_dtypes[0])
    lines = [f"const {ct} y0 = {_convert(expr, out_dtypes[0])};"]
    return ScalarProgram(tuple(lines), sup, _key(lines, key))


def _convert(expr: str, dtype: str) -> str:
    """``expr`` converted to the C type of ``dtype`` as NumPy casts (any nonzero is True)."""
    if dtype == "bool":
        return f"(npy_bool)(({expr}) != 0)"
    return f"({c_type(dtype)}){expr}"


def _loop_inputs(node: Apply) -> list[LoopInput] | None:
    ins = []
    for v in node.inputs:
        dtype = getattr(v.type, "dtype", None)
        shape = getattr(v.type, "shape", None)
        if dtype is None or shape is None or c_type(dtype) is None:
            return None
        ins.append(LoopInput(dtype, tuple(shape)))
    return ins


@c_funcify.register(Elemwise)
def c_funcify_Elemwise(op: Elemwise, node: Apply, **kwargs: Any) -> CImpl | None:
    """A fused loop over the broadcast shape, computing every output in one pass."""
    ins = _loop_inputs(node)
    if ins is None:
        return None
    out_dtypes = [o.type.dtype for o in node.outputs]
    prog = scalar_program(op.scalar_op, [i.dtype for i in ins], out_dtypes)
    if prog is None:
        return None
    name = kwargs["name"]
    code = elemwise_kernel(name, str(op), ins, out_dtypes, prog, dict(op.inplace_pattern))
    key = _key("Elemwise", str(op), ins, out_dtypes, prog.key, op.inplace_pattern)
    return CImpl(code, key, (SUPPORT_ERRORS, *prog.support))


def _fold(op: CAReduce, acc_dtype: str, empty_name: str) -> Reduction | None:
    """The accumulator rules of ``op`` (Sum, Prod, Max, Min, All, Any or an identity-having op)."""
    import numpy as np

    import pytensor.scalar.basic as ps
    from pytensor.tensor.math import All
    from pytensor.tensor.math import Any as AnyOp

    at = c_type(acc_dtype)
    if at is None:
        return None
    kind = np.dtype(acc_dtype).kind
    sop = op.scalar_op
    axes = tuple(op.axis) if op.axis is not None else ()
    out_dtype = ""
    base = {"acc_dtype": acc_dtype, "out_dtype": out_dtype, "axes": axes}
    if isinstance(op, All | AnyOp):
        is_all = isinstance(op, All)
        comb = "r = r && v;" if is_all else "r = r || v;"
        return Reduction(
            **base,
            init="1" if is_all else "0",
            combine=comb,
            simd_clause="",
            empty_error=None,
            convert="(y0 != 0)",
        )
    if isinstance(sop, ps.Add | ps.Mul):
        plus = isinstance(sop, ps.Add)
        if kind == "b":
            comb = "r = r || v;" if plus else "r = r && v;"
            clause = ""
        else:
            comb = "r = r + v;" if plus else "r = r * v;"
            clause = "reduction(+:r)" if plus and kind != "c" else ""
            clause = clause or ("reduction(*:r)" if not plus and kind in "iu" else "")
        return Reduction(
            **base, init="0" if plus else "1", combine=comb, simd_clause=clause, empty_error=None
        )
    if isinstance(sop, ps.Maximum | ps.Minimum) and kind in "biuf":
        big = isinstance(sop, ps.Maximum)
        if kind == "f":
            init = "(-INFINITY)" if big else "INFINITY"
            comb = f"if (v {'>' if big else '<'} r || v != v) r = v;"
        else:
            info = np.iinfo(acc_dtype) if kind in "iu" else None
            lo = "0" if info is None else c_literal(info.min, acc_dtype)
            hi = "1" if info is None else c_literal(info.max, acc_dtype)
            init = lo if big else hi
            comb = f"if (v {'>' if big else '<'} r) r = v;"
        return Reduction(**base, init=init, combine=comb, simd_clause="", empty_error=empty_name)
    return None


def _reduction(op: CAReduce, in_dtype: str, out_dtype: str, nd: int) -> Reduction | None:
    acc_dtype = op._acc_dtype(in_dtype)
    red = _fold(op, acc_dtype, str(op))
    if red is None:
        return None
    axes = tuple(op.axis) if op.axis is not None else tuple(range(nd))
    return Reduction(
        acc_dtype=acc_dtype,
        out_dtype=out_dtype,
        axes=axes,
        init=red.init,
        combine=red.combine,
        simd_clause=red.simd_clause,
        empty_error=red.empty_error,
        convert=red.convert,
    )


@c_funcify.register(CAReduce)
def c_funcify_CAReduce(op: CAReduce, node: Apply, **kwargs: Any) -> CImpl | None:
    """Reduce in one pass over the input, accumulating in the op's accumulator dtype."""
    ins = _loop_inputs(node)
    if ins is None or op.scalar_op.nfunc_spec is None and not _is_logical(op):
        return None
    out_dtype = node.outputs[0].type.dtype
    if c_type(out_dtype) is None:
        return None
    red = _reduction(op, ins[0].dtype, out_dtype, len(ins[0].shape))
    if red is None:
        return None
    prog = ScalarProgram((f"const {c_type(ins[0].dtype)} y0 = x0;",), (), "identity")
    code = reduce_kernel(kwargs["name"], str(op), ins, prog, red)
    return CImpl(code, _key("CAReduce", str(op), ins, red), (SUPPORT_ERRORS,))


def _is_logical(op: CAReduce) -> bool:
    from pytensor.tensor.math import All
    from pytensor.tensor.math import Any as AnyOp

    return isinstance(op, All | AnyOp)


@c_funcify.register(ElemwiseReduce)
def c_funcify_ElemwiseReduce(op: ElemwiseReduce, node: Apply, **kwargs: Any) -> CImpl | None:
    """Reduce while computing: the elementwise result is never stored."""
    ins = _loop_inputs(node)
    if ins is None:
        return None
    inner = op.elemwise.make_node(*node.inputs)
    mid_dtype = inner.outputs[0].type.dtype
    out_dtype = node.outputs[0].type.dtype
    if c_type(out_dtype) is None:
        return None
    prog = scalar_program(op.elemwise.scalar_op, [i.dtype for i in ins], [mid_dtype])
    nd = max((len(i.shape) for i in ins), default=0)
    red_op = op.reduce.make_node(inner.outputs[0]).op
    red = _reduction(red_op, mid_dtype, out_dtype, nd)
    if prog is None or red is None:
        return None
    code = reduce_kernel(kwargs["name"], str(op.elemwise), ins, prog, red)
    key = _key("ElemwiseReduce", str(op), ins, prog.key, red)
    return CImpl(code, key, (SUPPORT_ERRORS, *prog.support))


@c_funcify.register(DimShuffle)
def c_funcify_DimShuffle(op: DimShuffle, node: Apply, **kwargs: Any) -> CImpl | None:
    """A view: transpose, then reshape to add the broadcast dimensions."""
    name = kwargs["name"]
    nd_in = op.input_ndim
    nd_out = len(op.new_order)
    perm = ", ".join(str(p) for p in op.transposition) or "0"
    shape_lines = []
    k = 0
    for j, o in enumerate(op.new_order):
        if o == "x":
            shape_lines.append(f"    dims[{j}] = 1;")
        else:
            shape_lines.append(f"    dims[{j}] = PyArray_DIM(t, {k});")
            k += 1
    dtype = node.inputs[0].type.dtype
    code = f"""
static int {name}(PyObject **inputs, PyObject **outputs) {{
    npy_intp perm_[{nd_in + 1}] = {{{perm}}};
    PyArray_Dims perm = {{perm_, {nd_in}}};
    npy_intp dims[{nd_out + 1}];
    PyArray_Dims newshape = {{dims, {nd_out}}};
    PyArrayObject *x = pyt_as_array(inputs[0], {_npy(dtype)}, {nd_in}, "DimShuffle", 0);
    if (x == NULL) return -1;
    PyArrayObject *t = (PyArrayObject *)PyArray_Transpose(x, &perm);
    Py_DECREF(x);
    if (t == NULL) return -1;
{chr(10).join(shape_lines)}
    outputs[0] = PyArray_Newshape(t, &newshape, NPY_CORDER);
    Py_DECREF(t);
    return outputs[0] == NULL ? -1 : 0;
}}
"""
    return CImpl(code, _key("DimShuffle", op.input_ndim, op.new_order, dtype), (SUPPORT_ERRORS,))


def _npy(dtype: str) -> str:
    from pytensor.link.c.dispatch._support import npy_type

    return npy_type(dtype)


def scalar_node_impl(node: Apply, name: str) -> CImpl | None:
    """A kernel for a scalar Op applied to ``pytensor.scalar`` values (NumPy scalars in,
    NumPy scalars out, as ``ScalarOp.perform``), or None."""
    from pytensor.link.c.dispatch._support import npy_type

    in_dtypes = [v.type.dtype for v in node.inputs]
    out_dtypes = [v.type.dtype for v in node.outputs]
    prog = scalar_program(node.op, in_dtypes, out_dtypes)
    if prog is None:
        return None
    lines = [f"static int {name}(PyObject **inputs, PyObject **outputs) {{"]
    lines.append(f"    PyArrayObject *a[{len(in_dtypes) + 1}] = {{NULL}};")
    lines.append("    int status = -1;")
    for k, dt in enumerate(in_dtypes):
        lines.append(
            f'    a[{k}] = pyt_as_array(inputs[{k}], {npy_type(dt)}, 0, "scalar Op", {k});'
            f" if (a[{k}] == NULL) goto done;"
        )
    lines.append("    {")
    for k, dt in enumerate(in_dtypes):
        ct = c_type(dt)
        lines.append(f"    const {ct} x{k} = *(const {ct} *)PyArray_DATA(a[{k}]);")
    lines.extend("    " + ln for ln in prog.lines)
    lines.extend(prog.check())
    for j, dt in enumerate(out_dtypes):
        lines.append(
            f"    outputs[{j}] = PyArray_Scalar((void *)&y{j}, "
            f"PyArray_DescrFromType({npy_type(dt)}), NULL);"
        )
        lines.append(f"    if (outputs[{j}] == NULL) goto done;")
    lines.append("    }")
    lines.append("    status = 0;")
    lines.append("done:")
    lines.append(f"    for (int k = 0; k < {len(in_dtypes) + 1}; k++) Py_XDECREF(a[k]);")
    lines.append("    return status;")
    lines.append("}")
    code = "\n".join(lines) + "\n"
    return CImpl(
        code, _key("scalar", in_dtypes, out_dtypes, prog.key), (SUPPORT_ERRORS, *prog.support)
    )
