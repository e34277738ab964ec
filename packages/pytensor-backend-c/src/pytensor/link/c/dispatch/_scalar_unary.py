"""C kernels of the unary elementary scalar Ops: negation, abs, sign, libm functions,
rounding, NaN/inf tests, bitwise/logical not, real/imag/angle/conj of real numbers
(layer: pytensor-backend-c). Registered by :mod:`pytensor.link.c.dispatch.scalar`.
"""

from __future__ import annotations

from typing import Any

import pytensor.scalar.basic as ps
from pytensor.link.c.dispatch._scalar_c import (
    CTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    build,
    cast,
    flit,
    in_dtypes,
    libm,
    out_dtype,
    supported,
    unsigned_of,
)
from pytensor.link.c.dispatch._scalar_complex import complex_impl, has_complex
from pytensor.link.c.dispatch.basic import CScalarImpl, c_funcify

__all__ = ["c_funcify_Unary"]

# Op class name -> libm function (float output, input converted to it first).
_LIBM = {
    "Exp": "exp",
    "Exp2": "exp2",
    "Expm1": "expm1",
    "Log": "log",
    "Log2": "log2",
    "Log10": "log10",
    "Log1p": "log1p",
    "Sqrt": "sqrt",
    "Cos": "cos",
    "Sin": "sin",
    "Tan": "tan",
    "ArcCos": "acos",
    "ArcSin": "asin",
    "ArcTan": "atan",
    "Cosh": "cosh",
    "Sinh": "sinh",
    "Tanh": "tanh",
    "ArcCosh": "acosh",
    "ArcSinh": "asinh",
    "ArcTanh": "atanh",
    "Floor": "floor",
    "Ceil": "ceil",
    "Trunc": "trunc",
    "RoundHalfToEven": "rint",
}
_PI = "3.14159265358979323846"


def _float_body(name: str, out: str, a: str) -> str | None:
    if name in _LIBM:
        return f"return {libm(_LIBM[name], out)}({a});"
    if name == "Reciprocal":
        return f"return {flit('1.0', out)} / {a};"
    if name == "Deg2Rad":
        return f"return {a} * ({flit(_PI, out)} / {flit('180.0', out)});"
    if name == "Rad2Deg":
        return f"return {a} * ({flit('180.0', out)} / {flit(_PI, out)});"
    if name == "RoundHalfAwayFromZero":
        # perform runs the Python impl per element: float32 values are computed as doubles.
        return (
            f"double v = (double){a};\n"
            f"return ({CTYPES[out]})(v >= 0 ? floor(v + 0.5) : ceil(v - 0.5));"
        )
    if name == "Angle":
        return f"return {libm('atan2', out)}({flit('0.0', out)}, {a});"
    if name == "Abs":
        return f"return {libm('fabs', out)}({a});"
    if name == "Neg":
        return f"return -{a};"
    if name == "Sqr":
        return f"{CTYPES[out]} v = {a};\nreturn v * v;"
    if name == "Sign":
        t = CTYPES[out]
        return f"{t} v = {a};\nreturn v > 0 ? ({t})1 : (v < 0 ? ({t})-1 : (v == 0 ? ({t})0 : v));"
    return None


def _int_body(name: str, out: str, a: str) -> str | None:
    """Integer/bool output; ``a`` is the input converted to ``out``."""
    t, u = CTYPES[out], unsigned_of(out)
    signed = out in INT_DTYPES
    if name == "Neg":
        return f"return ({t})(-({u}){a});"
    if name == "Abs":
        if not signed:
            return f"return {a};"
        return f"{t} v = {a};\nreturn v < 0 ? ({t})(-({u})v) : v;"
    if name == "Sqr":
        if out == "bool":
            return f"return {a};"
        return f"{u} v = ({u}){a};\nreturn ({t})(v * v);"
    if name == "Sign":
        if signed:
            return f"{t} v = {a};\nreturn ({t})((v > 0) - (v < 0));"
        return f"return ({t})({a} > 0);"
    if name == "Invert":
        return f"return (npy_bool)!{a};" if out == "bool" else f"return ({t})~{a};"
    if name in ("Identity", "Real", "Conj"):
        return f"return {a};"
    if name == "Imag":
        return "return 0;"
    return None


_OTHERS = (
    "Neg",
    "Abs",
    "Sign",
    "Sqr",
    "Reciprocal",
    "Deg2Rad",
    "Rad2Deg",
    "RoundHalfAwayFromZero",
    "IsNan",
    "IsInf",
    "Invert",
    "LogicalNot",
    "Real",
    "Imag",
    "Angle",
    "Conj",
    "Identity",
)


def c_funcify_Unary(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """The unary elementary Ops of ``pytensor.scalar.basic`` (``_LIBM`` and ``_OTHERS``)."""
    if has_complex(node):
        return complex_impl(op, node)
    if not supported(node) or len(node.inputs) != 1:
        return None
    name = type(op).__name__
    (src,) = in_dtypes(node)
    out = out_dtype(node)
    if name in ("IsNan", "IsInf"):
        if src not in FLOAT_DTYPES:
            return build(op, node, name.lower(), "return 0;")
        return build(op, node, name.lower(), f"return (npy_bool)({name.lower()}(x0) != 0);")
    if name == "LogicalNot":
        return build(op, node, "logicalnot", "return (npy_bool)!x0;")
    if name == "Imag" and out in FLOAT_DTYPES:
        return build(op, node, "imag", f"return {flit('0.0', out)};")
    a = cast("x0", src, out)
    if out in FLOAT_DTYPES:
        body = _float_body(name, out, a)
        if body is None and name in ("Identity", "Real", "Conj"):
            body = f"return {a};"
    else:
        body = _int_body(name, out, a)
    if body is None:
        return None
    return build(op, node, name.lower(), body)


for _name in (*_LIBM, *_OTHERS):
    c_funcify.register(getattr(ps, _name))(c_funcify_Unary)
del _name
