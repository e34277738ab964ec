"""Numba kernels of the products Dot and Matmul (layer: pytensor-backend-numba).

Mirrors ``pytensor.tensor._dot``.
Float and complex products call BLAS (``?gemm``/``?gemv``) through LLVM symbols
on operands cast to the output dtype (see ``_blas_dot``; which BLAS, NumPy's bundled
OpenBLAS or SciPy's, is chosen by ``_blas_symbols`` and written into the kernel's
cache key); integer and boolean products are explicit loops in the output dtype.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.numba.dispatch._op_utils import (
    Hole,
    compile_source,
    dtype_expr,
    indent,
    node_key,
    raise_stmt,
    shape_parts,
)
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.tensor._dot import Dot, Matmul

__all__ = ["numba_funcify_Dot", "numba_funcify_Matmul"]

_BLAS_DTYPES = ("float32", "float64", "complex64", "complex128")


def _blas(dtype: str) -> tuple[int, dict[str, Any]]:
    """(BLAS integer width, kernel globals) for products of ``dtype``, its routines bound
    (``_blas_dot`` imports numba, hence lazily)."""
    if dtype not in _BLAS_DTYPES:
        return 0, {}
    from pytensor.link.numba.dispatch._blas_dot import bind_routines, blas_env
    from pytensor.link.numba.dispatch._blas_symbols import blas_bits

    bits = blas_bits()
    bind_routines(bits, dtype)
    return bits, blas_env(bits)


def _key(op: Any, node: Any, bits: int) -> str | None:
    # The BLAS width is in the generated text's symbol names: two widths, two kernels.
    return node_key(op, node, [f"blas{bits}"] if bits else [])


def _operand(name: str, var: Any, dtype: str) -> str:
    """Source of operand ``name`` in ``dtype`` (cast when the input's dtype differs)."""
    if var.type.dtype != dtype:
        return f"{name}.astype({dtype_expr(dtype)})"
    return name


def _loop_product(a: str, b: str, out: str, dtype: str) -> list[str]:
    """Lines writing the 2-d product of ``a`` and ``b`` into ``out`` (non-BLAS dtypes)."""
    zero = "False" if dtype == "bool" else f"{dtype_expr(dtype)}(0)"
    term = f"{a}[i, p] and {b}[p, j]" if dtype == "bool" else f"{a}[i, p] * {b}[p, j]"
    acc = "acc = acc or" if dtype == "bool" else "acc +="
    return [
        f"for i in range({a}.shape[0]):",
        f"    for j in range({b}.shape[1]):",
        f"        acc = {zero}",
        f"        for p in range({a}.shape[1]):",
        f"            {acc} {term}",
        f"        {out}[i, j] = acc",
    ]


def _contract_error(op_name: str, xnd: int, ynd: int, yk: str) -> str:
    return raise_stmt(
        "ValueError",
        f"{op_name}: the contracted dimensions of x (shape ",
        shape_parts("x", xnd),
        ") and y (shape ",
        shape_parts("y", ynd),
        ") differ: ",
        Hole(f"x.shape[{xnd - 1}]"),
        " != ",
        Hole(yk),
    )


@numba_funcify.register(Dot)
def numba_funcify_Dot(op: Dot, node: Any, **kwargs: Any) -> NumbaImpl:
    x, y = node.inputs
    xnd, ynd = x.type.ndim, y.type.ndim
    dtype = node.outputs[0].type.dtype
    lines = [
        f"if x.shape[{xnd - 1}] != y.shape[0]:",
        "    " + _contract_error("Dot", xnd, ynd, "y.shape[0]"),
    ]
    bits, env = _blas(dtype)
    if bits:
        from pytensor.link.numba.dispatch._blas_dot import product_lines

        ops = _operand("x", x, dtype), _operand("y", y, dtype)
        lines += [*product_lines(*ops, "out", (xnd, ynd), dtype, bits), "return out"]
    else:
        # As 2-d products: a vector x is one row, a vector y one column.
        a = ".reshape((1, x.shape[0]))" if xnd == 1 else ""
        b = ".reshape((y.shape[0], 1))" if ynd == 1 else ""
        lines += [
            f"a = np.ascontiguousarray(x){a}",
            f"b = np.ascontiguousarray(y){b}",
            f"res = np.empty((a.shape[0], b.shape[1]), {dtype_expr(dtype)})",
            *_loop_product("a", "b", "res", dtype),
        ]
        shape = {(1, 1): "()", (1, 2): "(b.shape[1],)", (2, 1): "(a.shape[0],)"}
        lines.append(
            f"return res.reshape({shape[(xnd, ynd)]})" if (xnd, ynd) != (2, 2) else "return res"
        )
    src = "\n".join(["def dot(x, y):", *indent(lines)])
    return compile_source(src, "dot", env), _key(op, node, bits)


def _batch_lines(x: Any, y: Any, nb: int) -> tuple[list[str], list[str], list[str]]:
    """Batch checks and lengths ``B{d}``; the batch index expressions of x and y."""
    xnd, ynd = x.type.ndim, y.type.ndim
    lines: list[str] = []
    xi: list[str] = []
    yi: list[str] = []
    hint = (
        " Runtime broadcasting is not allowed: declare a length-1 batch dimension in the "
        "static shape (e.g. pt.specify_broadcastable) to broadcast it."
    )
    for d in range(nb):
        jx, jy = d - (nb + 2 - xnd), d - (nb + 2 - ynd)
        sx = x.type.shape[jx] if jx >= 0 else 1
        sy = y.type.shape[jy] if jy >= 0 else 1
        lx = f"x.shape[{jx}]" if jx >= 0 else "1"
        ly = f"y.shape[{jy}]" if jy >= 0 else "1"
        lines.append(f"B{d} = {lx if sx != 1 else ly if sy != 1 else '1'}")
        if sx != 1 and sy != 1:
            msg = [
                f"Matmul: batch dimension {d} of x (shape ",
                shape_parts("x", xnd),
                ") and y (shape ",
                shape_parts("y", ynd),
                ") differs: ",
                Hole(lx),
                " != ",
                Hole(ly),
                ".",
            ]
            lines += [
                f"if {lx} != {ly}:",
                f"    if {lx} == 1 or {ly} == 1:",
                "        " + raise_stmt("ValueError", msg, hint),
                "    " + raise_stmt("ValueError", msg),
            ]
        if jx >= 0:
            xi.append(f"b{d}" if sx != 1 else "0")
        if jy >= 0:
            yi.append(f"b{d}" if sy != 1 else "0")
    return lines, xi, yi


@numba_funcify.register(Matmul)
def numba_funcify_Matmul(op: Matmul, node: Any, **kwargs: Any) -> NumbaImpl:
    x, y = node.inputs
    xnd, ynd = x.type.ndim, y.type.ndim
    nb = node.outputs[0].type.ndim - 2
    dtype = node.outputs[0].type.dtype
    lines = [
        f"if x.shape[{xnd - 1}] != y.shape[{ynd - 2}]:",
        "    " + _contract_error("Matmul", xnd, ynd, f"y.shape[{ynd - 2}]"),
    ]
    bits, env = _blas(dtype)
    if nb == 0 and bits:
        from pytensor.link.numba.dispatch._blas_dot import product_lines

        ops = _operand("x", x, dtype), _operand("y", y, dtype)
        lines += [*product_lines(*ops, "out", (2, 2), dtype, bits), "return out"]
        src = "\n".join(["def matmul(x, y):", *indent(lines)])
        return compile_source(src, "matmul", env), _key(op, node, bits)
    batch, xi, yi = _batch_lines(x, y, nb)
    lines += batch
    shape = "".join(f"B{d}, " for d in range(nb))
    lines.append(
        f"out = np.empty(({shape}x.shape[{xnd - 2}], y.shape[{ynd - 1}]), {dtype_expr(dtype)})"
    )
    a = f"x[{', '.join([*xi, ':', ':'])}]"
    b = f"y[{', '.join([*yi, ':', ':'])}]"
    o = f"out[{', '.join([*(f'b{d}' for d in range(nb)), ':', ':'])}]"
    if bits:
        from pytensor.link.numba.dispatch._blas_dot import product_into_lines

        ops = _operand(a, x, dtype), _operand(b, y, dtype)
        body = [f"o = {o}", *product_into_lines(*ops, "o", dtype, bits)]
    else:
        body = ["a = " + a, "b = " + b, "o = " + o, *_loop_product("a", "b", "o", dtype)]
    loops = [f"{'    ' * d}for b{d} in range(B{d}):" for d in range(nb)]
    lines += [*loops, *indent(body, nb), "return out"]
    src = "\n".join(["def matmul(x, y):", *indent(lines)])
    return compile_source(src, "matmul", env), _key(op, node, bits)
