"""Numba kernels of the basic tensor constructors (layer: pytensor-backend-numba).

Mirrors ``pytensor.tensor.basic`` and the private modules it re-exports:
ARange, Eye, Nonzero (``_ranges``), Alloc, AllocEmpty, MakeVector (``_alloc``),
TensorFromScalar, ScalarFromTensor, Join, Split (``_join``), ExtractDiag (``_diag``).
"""

from __future__ import annotations

from typing import Any

from numpy.exceptions import AxisError

from pytensor.link.numba.dispatch._op_utils import (
    Hole,
    compile_source,
    dtype_expr,
    indent,
    node_key,
    raise_stmt,
    scalar_value_expr,
    shape_parts,
    tuple_parts,
)
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.tensor._alloc import Alloc, AllocEmpty, MakeVector
from pytensor.tensor._diag import ExtractDiag
from pytensor.tensor._join import Join, Split
from pytensor.tensor._ranges import ARange, Eye, Nonzero
from pytensor.tensor.basic import ScalarFromTensor, TensorFromScalar

__all__ = [
    "numba_funcify_ARange",
    "numba_funcify_Alloc",
    "numba_funcify_AllocEmpty",
    "numba_funcify_ExtractDiag",
    "numba_funcify_Eye",
    "numba_funcify_Join",
    "numba_funcify_MakeVector",
    "numba_funcify_Nonzero",
    "numba_funcify_ScalarFromTensor",
    "numba_funcify_Split",
    "numba_funcify_TensorFromScalar",
]


def _shape_entries(node: Any, first: int, names: list[str]) -> list[str]:
    """Lines reading the shape inputs ``names`` (from input ``first`` on) as ints ``s0, s1...``."""
    return [
        f"s{k} = int({scalar_value_expr(node.inputs[first + k], n)})" for k, n in enumerate(names)
    ]


def _negative_shape_check(op: Any, n: int) -> list[str]:
    cond = " or ".join(f"s{k} < 0" for k in range(n)) or "False"
    sh = tuple_parts([f"s{k}" for k in range(n)])
    return [
        f"if {cond}:",
        "    " + raise_stmt("ValueError", f"{op}: negative length in the requested shape ", sh),
    ]


@numba_funcify.register(ARange)
def numba_funcify_ARange(op: ARange, node: Any, **kwargs: Any) -> NumbaImpl:
    names = ["start", "stop", "step"]
    vals = [scalar_value_expr(v, n) for v, n in zip(node.inputs, names, strict=True)]
    src = "\n".join(
        [
            "def arange(start, stop, step):",
            f"    a, b, c = {vals[0]}, {vals[1]}, {vals[2]}",
            "    if c == 0:",
            "        " + raise_stmt("ValueError", f"{op}: step must not be zero"),
            f"    return np.arange(a, b, c).astype({dtype_expr(op.dtype)})",
        ]
    )
    return compile_source(src, "arange"), node_key(op, node)


@numba_funcify.register(Eye)
def numba_funcify_Eye(op: Eye, node: Any, **kwargs: Any) -> NumbaImpl:
    names = ["n", "m", "k"]
    vals = [scalar_value_expr(v, n) for v, n in zip(node.inputs, names, strict=True)]
    src = "\n".join(
        [
            "def eye(n, m, k):",
            f"    a, b, c = int({vals[0]}), int({vals[1]}), int({vals[2]})",
            "    if a < 0 or b < 0:",
            "        "
            + raise_stmt("ValueError", f"{op}: negative dimensions ", tuple_parts(["a", "b"])),
            f"    return np.eye(a, b, c, {dtype_expr(op.dtype)})",
        ]
    )
    return compile_source(src, "eye"), node_key(op, node)


@numba_funcify.register(Nonzero)
def numba_funcify_Nonzero(op: Nonzero, node: Any, **kwargs: Any) -> NumbaImpl:
    n = len(node.outputs)
    outs = ", ".join(f"idx[{d}].astype(np.int64)" for d in range(n))
    src = "\n".join(
        [
            "def nonzero(a):",
            "    idx = np.nonzero(a)",
            f"    return {outs if n > 1 else 'idx[0].astype(np.int64)'}",
        ]
    )
    return compile_source(src, "nonzero"), node_key(op, node)


@numba_funcify.register(Alloc)
def numba_funcify_Alloc(op: Alloc, node: Any, **kwargs: Any) -> NumbaImpl:
    value = node.inputs[0]
    nd = len(node.inputs) - 1
    names = [f"d{k}" for k in range(nd)]
    vnd = value.type.ndim
    offset = nd - vnd
    lines = [*_shape_entries(node, 1, names), *_negative_shape_check(op, nd)]
    sh = tuple_parts([f"s{k}" for k in range(nd)])
    hint = (
        "; runtime broadcasting is not allowed: declare the dimension as "
        "length 1 (e.g. with pt.specify_broadcastable)"
    )
    for j in range(vnd):
        if value.type.shape[j] == 1:
            continue
        msg = [
            f"{op}: value {value} of shape ",
            shape_parts("v", vnd),
            " cannot fill the shape ",
            sh,
            f": dimension {j} of the value has length ",
            Hole(f"v.shape[{j}]"),
            ", the shape wants ",
            Hole(f"s{offset + j}"),
        ]
        lines += [
            f"if v.shape[{j}] != s{offset + j}:",
            f"    if v.shape[{j}] == 1:",
            "        " + raise_stmt("ValueError", msg, hint),
            "    " + raise_stmt("ValueError", msg),
        ]
    shape_tuple = "(" + "".join(f"s{k}, " for k in range(nd)) + ")"
    lines.append(f"out = np.empty({shape_tuple}, {dtype_expr(node.outputs[0].type.dtype)})")
    lines.append("out[...] = v" if vnd else ("out.fill(v[()])" if nd else "out[()] = v[()]"))
    lines.append("return out")
    src = "\n".join([f"def alloc(v, {', '.join(names)}):", *indent(lines)])
    return compile_source(src, "alloc"), node_key(op, node, [value])


@numba_funcify.register(AllocEmpty)
def numba_funcify_AllocEmpty(op: AllocEmpty, node: Any, **kwargs: Any) -> NumbaImpl:
    nd = len(node.inputs)
    names = [f"d{k}" for k in range(nd)]
    lines = [*_shape_entries(node, 0, names), *_negative_shape_check(op, nd)]
    shape_tuple = "(" + "".join(f"s{k}, " for k in range(nd)) + ")"
    lines.append(f"return np.empty({shape_tuple}, {dtype_expr(op.dtype)})")
    src = "\n".join([f"def alloc_empty({', '.join(names)}):", *indent(lines)])
    return compile_source(src, "alloc_empty"), node_key(op, node)


@numba_funcify.register(MakeVector)
def numba_funcify_MakeVector(op: MakeVector, node: Any, **kwargs: Any) -> NumbaImpl:
    n = len(node.inputs)
    names = [f"a{k}" for k in range(n)]
    lines = [f"out = np.empty({n}, {dtype_expr(op.dtype)})"]
    lines += [f"out[{k}] = {scalar_value_expr(v, names[k])}" for k, v in enumerate(node.inputs)]
    lines.append("return out")
    src = "\n".join([f"def make_vector({', '.join(names)}):", *indent(lines)])
    return compile_source(src, "make_vector"), node_key(op, node)


@numba_funcify.register(TensorFromScalar)
def numba_funcify_TensorFromScalar(op: TensorFromScalar, node: Any, **kwargs: Any) -> NumbaImpl:
    src = "\n".join(
        [
            "def tensor_from_scalar(x):",
            f"    out = np.empty((), {dtype_expr(node.outputs[0].type.dtype)})",
            f"    out[()] = {scalar_value_expr(node.inputs[0], 'x')}",
            "    return out",
        ]
    )
    return compile_source(src, "tensor_from_scalar"), node_key(op, node)


@numba_funcify.register(ScalarFromTensor)
def numba_funcify_ScalarFromTensor(op: ScalarFromTensor, node: Any, **kwargs: Any) -> NumbaImpl:
    dt = dtype_expr(node.outputs[0].type.dtype)
    src = f"def scalar_from_tensor(x):\n    return {dt}({scalar_value_expr(node.inputs[0], 'x')})"
    return compile_source(src, "scalar_from_tensor"), node_key(op, node)


def _axis_lines(op: Any, axis_var: Any, ndim: int, msg: str) -> list[str]:
    """Lines reading the runtime axis into ``ax`` (normalised), raising AxisError when out of range."""
    return [
        f"ax = int({scalar_value_expr(axis_var, 'axis')})",
        f"if not -{ndim} <= ax < {ndim}:",
        "    " + raise_stmt("AxisError", f"{op}: axis ", Hole("ax"), msg),
        "if ax < 0:",
        f"    ax += {ndim}",
    ]


def _along(ndim: int, d: int, sl: str) -> str:
    """An index applying ``sl`` along dimension ``d`` of an ``ndim``-d array."""
    return ", ".join(sl if k == d else ":" for k in range(ndim))


@numba_funcify.register(Join)
def numba_funcify_Join(op: Join, node: Any, **kwargs: Any) -> NumbaImpl:
    axis_var, *ts = node.inputs
    n, ndim = len(ts), ts[0].type.ndim
    names = [f"t{k}" for k in range(n)]
    lines = _axis_lines(op, axis_var, ndim, f" is out of range for inputs with {ndim} dimensions")
    for k in range(1, n):
        cond = " or ".join(f"(ax != {d} and t{k}.shape[{d}] != t0.shape[{d}])" for d in range(ndim))
        lines += [
            f"if {cond}:",
            "    "
            + raise_stmt(
                "ValueError",
                f"{op}: cannot join along axis ",
                Hole("ax"),
                f": input 0 ({ts[0]}) has shape ",
                shape_parts("t0", ndim),
                f" and input {k} ({ts[k]}) has shape ",
                shape_parts(f"t{k}", ndim),
                "; the lengths must match in every dimension but the axis",
            ),
        ]
    total = " + ".join(f"t{k}.shape[ax]" for k in range(n))
    shape = ", ".join(f"({total}) if ax == {d} else t0.shape[{d}]" for d in range(ndim))
    lines.append(f"out = np.empty(({shape},), {dtype_expr(node.outputs[0].type.dtype)})")
    for d in range(ndim):
        lines.append(f"{'if' if d == 0 else 'elif'} ax == {d}:")
        lines.append("    off = 0")
        for k in range(n):
            sl = _along(ndim, d, f"off:off + t{k}.shape[{d}]")
            lines += [f"    out[{sl}] = t{k}", f"    off += t{k}.shape[{d}]"]
    lines.append("return out")
    src = "\n".join([f"def join(axis, {', '.join(names)}):", *indent(lines)])
    return compile_source(src, "join", {"AxisError": AxisError}), node_key(op, node, ts)


@numba_funcify.register(Split)
def numba_funcify_Split(op: Split, node: Any, **kwargs: Any) -> NumbaImpl:
    x, axis_var, _ = node.inputs
    ndim, n = x.type.ndim, op.len_splits
    lines = _axis_lines(op, axis_var, ndim, f" is out of range for an input with {ndim} dimensions")
    sizes = tuple_parts([f"splits[{k}]" for k in range(n)])
    lines += [
        f"if splits.shape[0] != {n}:",
        "    "
        + raise_stmt(
            "ValueError", f"{op}: ", Hole("splits.shape[0]"), f" split sizes given, expected {n}"
        ),
        "total = 0",
        "for k in range(splits.shape[0]):",
        "    if splits[k] < 0:",
        "        " + raise_stmt("ValueError", f"{op}: negative split size in ", sizes),
        "    total += splits[k]",
        "if total != x.shape[ax]:",
        "    "
        + raise_stmt(
            "ValueError",
            f"{op}: the split sizes ",
            sizes,
            " sum to ",
            Hole("total"),
            f", but input {x} has shape ",
            shape_parts("x", ndim),
            " (length ",
            Hole("x.shape[ax]"),
            " along axis ",
            Hole("ax"),
            ")",
        ),
    ]
    if n == 0:
        lines.append("return ()")
    else:
        parts = [f"p{k}" for k in range(n)]
        for d in range(ndim):
            lines.append(f"{'if' if d == 0 else 'elif'} ax == {d}:")
            lines.append("    off = 0")
            for k in range(n):
                sl = _along(ndim, d, f"off:off + splits[{k}]")
                lines += [f"    p{k} = x[{sl}].copy()", f"    off += splits[{k}]"]
        lines.append("else:")
        lines += [f"    p{k} = x.copy()" for k in range(n)]
        lines.append(f"return {', '.join(parts) if n > 1 else parts[0]}")
    src = "\n".join(["def split(x, axis, splits):", *indent(lines)])
    return compile_source(src, "split", {"AxisError": AxisError}), node_key(op, node, [x])


@numba_funcify.register(ExtractDiag)
def numba_funcify_ExtractDiag(op: ExtractDiag, node: Any, **kwargs: Any) -> NumbaImpl:
    ndim = node.inputs[0].type.ndim
    a1, a2, off = op.axis1, op.axis2, op.offset
    rest = [d for d in range(ndim) if d not in (a1, a2)]
    if off >= 0:
        length = f"max(0, min(x.shape[{a1}], x.shape[{a2}] - {off}))"
        i1, i2 = "i", f"i + {off}"
    else:
        length = f"max(0, min(x.shape[{a1}] + {off}, x.shape[{a2}]))"
        i1, i2 = f"i - {off}", "i"
    shape = "".join(f"x.shape[{d}], " for d in rest) + "n, "
    idx = ", ".join(i1 if d == a1 else i2 if d == a2 else ":" for d in range(ndim))
    target = "out[..., i]" if rest else "out[i]"
    src = "\n".join(
        [
            "def extract_diag(x):",
            f"    n = {length}",
            f"    out = np.empty(({shape}), x.dtype)",
            "    for i in range(n):",
            f"        {target} = x[{idx}]",
            "    return out",
        ]
    )
    return compile_source(src, "extract_diag"), node_key(op, node)
