"""Numba kernels of the shape Ops: Shape, Shape_i, Reshape, SpecifyShape (layer: pytensor-backend-numba).

Mirrors ``pytensor.tensor.shape``.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.numba.dispatch._op_utils import (
    Hole,
    compile_source,
    indent,
    is_tensor_var,
    node_key,
    raise_stmt,
    scalar_value_expr,
    shape_parts,
    tuple_parts,
)
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.tensor.shape import Reshape, Shape, Shape_i, SpecifyShape

__all__ = [
    "numba_funcify_Reshape",
    "numba_funcify_Shape",
    "numba_funcify_Shape_i",
    "numba_funcify_SpecifyShape",
]


@numba_funcify.register(Shape)
def numba_funcify_Shape(op: Shape, node: Any, **kwargs: Any) -> NumbaImpl:
    ndim = node.inputs[0].type.ndim
    lines = [f"out = np.empty({ndim}, np.int64)"]
    lines += [f"out[{d}] = x.shape[{d}]" for d in range(ndim)]
    lines.append("return out")
    src = "\n".join(["def shape(x):", *indent(lines)])
    return compile_source(src, "shape"), node_key(op, node)


@numba_funcify.register(Shape_i)
def numba_funcify_Shape_i(op: Shape_i, node: Any, **kwargs: Any) -> NumbaImpl:
    src = "\n".join(
        [
            "def shape_i(x):",
            "    out = np.empty((), np.int64)",
            f"    out[()] = x.shape[{op.i}]",
            "    return out",
        ]
    )
    return compile_source(src, "shape_i"), node_key(op, node)


@numba_funcify.register(Reshape)
def numba_funcify_Reshape(op: Reshape, node: Any, **kwargs: Any) -> NumbaImpl:
    x = node.inputs[0]
    nd, xnd = op.ndim, x.type.ndim
    new = [f"s{k}" for k in range(nd)]
    fail = raise_stmt(
        "ValueError",
        f"{op}: cannot reshape input {x} of shape ",
        shape_parts("x", xnd),
        " (size ",
        Hole("x.size"),
        ") into shape ",
        tuple_parts(new),
    )
    lines = [
        f"if shp.shape[0] != {nd}:",
        "    "
        + raise_stmt(
            "ValueError",
            f"{op}: the shape input has ",
            Hole("shp.shape[0]"),
            f" entries, expected {nd}",
        ),
        *(f"s{k} = shp[{k}]" for k in range(nd)),
        "n_free = 0",
        "known = 1",
        "bad = False",
        f"for k in range({nd}):",
        "    s = shp[k]",
        "    if s == -1:",
        "        n_free += 1",
        "    elif s < 0:",
        "        bad = True",
        "    else:",
        "        known *= s",
        "if bad or n_free > 1:",
        f"    {fail}",
        "if n_free == 1:",
        "    if known == 0 or x.size % known != 0:",
        f"        {fail}",
        *(f"    if s{k} == -1:\n            s{k} = x.size // known" for k in range(nd)),
        "elif known != x.size:",
        f"    {fail}",
        f"return c_contiguous(x).reshape(({''.join(s + ', ' for s in new)}))",
    ]
    src = "\n".join(["def reshape(x, shp):", *indent(lines)])
    from pytensor.link.numba.dispatch._blas_dot import c_contiguous

    env = {"c_contiguous": c_contiguous}
    return compile_source(src, "reshape", env), node_key(op, node, [x])


@numba_funcify.register(SpecifyShape)
def numba_funcify_SpecifyShape(op: SpecifyShape, node: Any, **kwargs: Any) -> NumbaImpl:
    x, *entries = node.inputs
    ndim = x.type.ndim
    names = [f"e{d}" for d in range(ndim)]
    given = {d: scalar_value_expr(e, names[d]) for d, e in enumerate(entries) if is_tensor_var(e)}
    lines = [f"w{d} = int({v})" for d, v in given.items()]
    if given:
        cond = " or ".join(f"w{d} != x.shape[{d}]" for d in given)
        expected: list[Any] = ["("]
        for d in range(ndim):
            expected += [", "] if d else []
            expected.append(Hole(f"w{d}") if d in given else "?")
        expected.append(",)" if ndim == 1 else ")")
        lines += [
            f"if {cond}:",
            "    "
            + raise_stmt(
                "AssertionError",
                f"{op}: input {x} has shape ",
                shape_parts("x", ndim),
                ", expected shape ",
                expected,
            ),
        ]
    lines.append("return x")
    src = "\n".join([f"def specify_shape(x, {', '.join(names)}):", *indent(lines)])
    return compile_source(src, "specify_shape"), node_key(op, node, [x])
