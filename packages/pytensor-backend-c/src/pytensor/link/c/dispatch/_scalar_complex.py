"""C kernels of the elementary scalar Ops on complex numbers (layer: pytensor-backend-c).

Only the Ops whose NumPy loops are simple formulas get a kernel: sums,
differences and the schoolbook product (as NumPy computes them), negation,
square, conjugate, real/imaginary part, modulus, argument, ``exp`` (libm's
``cexp``, which NumPy also uses), equality and conversions to complex. The
others (division, powers, logarithms, ...) return ``None`` and run through
``perform``.
"""

from __future__ import annotations

from typing import Any

import pytensor.scalar.basic as ps
from pytensor.link.c.dispatch._scalar_c import (
    COMPLEX_DTYPES,
    CTYPES,
    build,
    in_dtypes,
    libm,
    out_dtype,
)
from pytensor.link.c.dispatch.basic import CScalarImpl

__all__ = ["complex_impl", "has_complex"]

COMPLEX_INCLUDE = "#include <complex.h>\n"
_REAL = {"complex64": "float32", "complex128": "float64"}


def has_complex(node: Any) -> bool:
    return any(v.type.dtype in COMPLEX_DTYPES for v in (*node.inputs, *node.outputs))


def _to_complex(k: int, src: str, dst: str) -> str | None:
    """Input ``x<k>`` of dtype ``src`` as the complex ``dst`` (None for float16)."""
    if src == dst:
        return f"x{k}"
    if src not in CTYPES:
        return None
    return f"(({CTYPES[dst]})(x{k}))"


def _pair(values: list[str], out: str, op: str) -> str:
    """C statements folding ``values`` (complex expressions) with +, - or * as NumPy does."""
    real = CTYPES[_REAL[out]]
    mk = "CMPLXF" if out == "complex64" else "CMPLX"
    lines = [f"{CTYPES[out]} r = {values[0]};"]
    for v in values[1:]:
        lines.append(f"{{ {CTYPES[out]} b = {v};")
        lines.append(
            f"  {real} ar = creal{'f' if out == 'complex64' else ''}(r), ai = cimag"
            f"{'f' if out == 'complex64' else ''}(r);"
        )
        lines.append(
            f"  {real} br = creal{'f' if out == 'complex64' else ''}(b), bi = cimag"
            f"{'f' if out == 'complex64' else ''}(b);"
        )
        if op == "*":
            lines.append(f"  r = {mk}(ar * br - ai * bi, ar * bi + ai * br); }}")
        else:
            lines.append(f"  r = {mk}(ar {op} br, ai {op} bi); }}")
    lines.append("return r;")
    return "\n".join(lines)


def _complex_out(op: Any, node: Any, out: str, args: list[str]) -> str | None:
    f = "f" if out == "complex64" else ""
    mk = "CMPLXF" if out == "complex64" else "CMPLX"
    if isinstance(op, ps.Add | ps.Sub | ps.Mul):
        sym = "+" if isinstance(op, ps.Add) else "-" if isinstance(op, ps.Sub) else "*"
        return _pair(args, out, sym)
    if isinstance(op, ps.Sqr):
        # NumPy's SIMD square fuses the products (visible when a square overflows).
        real = CTYPES[_REAL[out]]
        return (
            f"{CTYPES[out]} v = {args[0]};\n"
            f"{real} re = creal{f}(v), im = cimag{f}(v);\n"
            f"return {mk}(fma{f}(re, re, -(im * im)), fma{f}(re, im, im * re));"
        )
    if isinstance(op, ps.Neg):
        return f"{CTYPES[out]} v = {args[0]};\nreturn {mk}(-creal{f}(v), -cimag{f}(v));"
    if isinstance(op, ps.Conj):
        return f"return conj{f}({args[0]});"
    if isinstance(op, ps.Exp):
        return f"return cexp{f}({args[0]});"
    if isinstance(op, ps.Identity | ps.Cast):
        return f"return {args[0]};"
    if isinstance(op, ps.Second):
        return f"return {args[1]};"
    if isinstance(op, ps.Switch):
        return f"return x0 ? {args[1]} : {args[2]};"
    return None


def _real_out(op: Any, src: str, out: str) -> str | None:
    """Ops from one complex input of dtype ``src`` to the real ``out``."""
    if _REAL[src] != out:
        return None
    f = "f" if src == "complex64" else ""
    body = {
        ps.Real: f"return creal{f}(x0);",
        ps.Imag: f"return cimag{f}(x0);",
        ps.Abs: f"return {libm('hypot', out)}(creal{f}(x0), cimag{f}(x0));",
        ps.Angle: f"return {libm('atan2', out)}(cimag{f}(x0), creal{f}(x0));",
    }
    return next((b for cls, b in body.items() if isinstance(op, cls)), None)


def complex_impl(op: Any, node: Any) -> CScalarImpl | None:
    """The kernel of ``node`` (with a complex input or output), or None."""
    ins, out = in_dtypes(node), out_dtype(node)
    if out in COMPLEX_DTYPES:
        args = [_to_complex(k, d, out) for k, d in enumerate(ins)]
        if any(a is None for a in args):
            return None
        body = _complex_out(op, node, out, args)  # type: ignore[arg-type]
    elif out == "bool" and isinstance(op, ps.EQ | ps.NEQ):
        common = "complex128" if "complex128" in ins or "float64" in ins else "complex64"
        if any(d not in CTYPES for d in ins) or any(d.startswith(("int", "uint")) for d in ins):
            return None
        a, b = (_to_complex(k, d, common) for k, d in enumerate(ins))
        body = f"return (npy_bool)({a} {'==' if isinstance(op, ps.EQ) else '!='} {b});"
    elif isinstance(op, ps.Second) and ins[1] == out:
        body = "return x1;"
    elif len(ins) == 1 and ins[0] in COMPLEX_DTYPES:
        body = _real_out(op, ins[0], out)
    else:
        body = None
    if body is None:
        return None
    return build(op, node, type(op).__name__.lower(), body, extra=(COMPLEX_INCLUDE,))
