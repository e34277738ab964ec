"""C kernels of the elementary scalar Ops of :mod:`pytensor.scalar.basic`
(layer: pytensor-backend-c).

Each kernel reproduces what the Op's ``perform`` computes through NumPy:
inputs of an Op with a floating output are first converted to that output
dtype (as :func:`pytensor.scalar.basic.array_function` does), integer
arithmetic wraps around, integer division and remainder follow Python's signs
(and give 0 for a zero divisor), floats follow NumPy's ``divmod`` algorithm,
``maximum``/``minimum``/``clip`` propagate NaN. Complex numbers: see
:mod:`._scalar_complex`; float16 nodes get no kernel (``None``: the node runs
through ``perform``). An integer power whose exponent may be negative reports
NumPy's ``ValueError`` through the scalar error channel (``_support.SCALAR_ERROR``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
from pytensor.link.c.dispatch._scalar_c import (
    CTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    UINT_DTYPES,
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
from pytensor.link.c.dispatch._support import SCALAR_ERROR, c_string_literal
from pytensor.link.c.dispatch.basic import CScalarImpl, c_funcify

__all__ = [
    "c_funcify_Arith",
    "c_funcify_Cast",
    "c_funcify_Clip",
    "c_funcify_Compare",
    "c_funcify_DivMod",
    "c_funcify_Pow",
    "c_funcify_Switch",
    "c_funcify_Unary",
]


def _casted(node: Any) -> list[str]:
    """The inputs ``x0, x1, ...`` converted to the output dtype."""
    out = out_dtype(node)
    return [cast(f"x{k}", d, out) for k, d in enumerate(in_dtypes(node))]


def _wrap(expr: str, out: str) -> str:
    """``expr`` computed in the unsigned type of ``out``'s width, back to ``out`` (wraps)."""
    return f"(({CTYPES[out]})({expr}))"


# -- arithmetic computed in the output dtype --------------------------------------------
def _add_mul(op: Any, node: Any, sym: str) -> str:
    out = out_dtype(node)
    args = _casted(node)
    if out == "bool":
        return "return " + (" | " if sym == "+" else " & ").join(args) + ";"
    if out in FLOAT_DTYPES:
        return "return " + f" {sym} ".join(args) + ";"
    u = unsigned_of(out)
    return "return " + _wrap(f" {sym} ".join(f"({u}){a}" for a in args), out) + ";"


def _minmax(out: str, args: list[str], sym: str) -> str:
    a, b = args
    if out == "bool":
        return f"return {a} {'|' if sym == '>' else '&'} {b};"
    lines = [f"{CTYPES[out]} a = {a}, b = {b};"]
    if out in FLOAT_DTYPES:
        # NumPy returns a NaN first argument, else b unless a is strictly beyond it.
        lines.append(f"return (isnan(a) || a {sym} b) ? a : b;")
    else:
        lines.append(f"return (a {sym} b) ? a : b;")
    return "\n".join(lines)


def _arith_body(op: Any, node: Any) -> str | None:
    out = out_dtype(node)
    args = _casted(node)
    u = unsigned_of(out)
    if isinstance(op, ps.Add):
        return _add_mul(op, node, "+")
    if isinstance(op, ps.Mul):
        return _add_mul(op, node, "*")
    if isinstance(op, ps.Sub):
        if out in FLOAT_DTYPES:
            return f"return {args[0]} - {args[1]};"
        return f"return {_wrap(f'({u}){args[0]} - ({u}){args[1]}', out)};"
    if isinstance(op, ps.TrueDiv):
        return f"return {args[0]} / {args[1]};" if out in FLOAT_DTYPES else None
    if isinstance(op, ps.Maximum):
        return _minmax(out, args, ">")
    if isinstance(op, ps.Minimum):
        return _minmax(out, args, "<")
    if isinstance(op, ps.AND | ps.OR | ps.XOR):
        if out in FLOAT_DTYPES:
            return None
        sym = {ps.AND: "&", ps.OR: "|", ps.XOR: "^"}[type(op)]
        return f"return ({CTYPES[out]})({args[0]} {sym} {args[1]});"
    if isinstance(op, ps.Hypot | ps.ArcTan2):
        if out not in FLOAT_DTYPES:
            return None
        fn = libm("hypot" if isinstance(op, ps.Hypot) else "atan2", out)
        return f"return {fn}({args[0]}, {args[1]});"
    if isinstance(op, ps.Second):
        return f"return {cast('x1', in_dtypes(node)[1], out)};"
    return None


@c_funcify.register(ps.Add)
@c_funcify.register(ps.Mul)
@c_funcify.register(ps.Sub)
@c_funcify.register(ps.TrueDiv)
@c_funcify.register(ps.Maximum)
@c_funcify.register(ps.Minimum)
@c_funcify.register(ps.AND)
@c_funcify.register(ps.OR)
@c_funcify.register(ps.XOR)
@c_funcify.register(ps.Hypot)
@c_funcify.register(ps.ArcTan2)
@c_funcify.register(ps.Second)
def c_funcify_Arith(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """Binary/variadic arithmetic, min/max, bitwise logic, hypot, arctan2, second."""
    if has_complex(node):
        return complex_impl(op, node)
    if not supported(node):
        return None
    body = _arith_body(op, node)
    if body is None:
        return None
    return build(op, node, type(op).__name__.lower(), body)


# -- integer division and remainder ----------------------------------------------------
def _fdivmod(dtype: str) -> str:
    """NumPy's float ``divmod``: fmod, sign fix-up, then snap the quotient to an integer."""
    t = CTYPES[dtype]
    s = "f" if dtype == "float32" else ""
    one, half, zero = flit("1.0", dtype), flit("0.5", dtype), flit("0.0", dtype)
    return f"""static inline {t} pt_s_fdivmod_{dtype}({t} a, {t} b, {t} *modulus)
{{
    {t} mod = fmod{s}(a, b), div, floordiv;
    if (b == {zero}) {{
        *modulus = mod;
        return a / b;
    }}
    div = (a - mod) / b;
    if (mod != {zero}) {{
        if (isless(b, {zero}) != isless(mod, {zero})) {{
            mod += b;
            div -= {one};
        }}
    }} else {{
        mod = copysign{s}({zero}, b);
    }}
    if (div != {zero}) {{
        floordiv = floor{s}(div);
        if (isgreater(div - floordiv, {half}))
            floordiv += {one};
    }} else {{
        floordiv = copysign{s}({zero}, a / b);
    }}
    *modulus = mod;
    return floordiv;
}}
"""


def _int_divmod_body(out: str, args: list[str], want_div: bool) -> str:
    t = CTYPES[out]
    lines = [f"{t} a = {args[0]}, b = {args[1]};", "if (b == 0) return 0;"]
    if out in INT_DTYPES:
        # a / -1 overflows for the minimum value (a trap on x86): NumPy wraps.
        u = unsigned_of(out)
        if want_div:
            lines += [
                f"if (b == -1) return ({t})(-({u})a);",
                f"{t} q = a / b;",
                "if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;",
                "return q;",
            ]
        else:
            lines += [
                "if (b == -1) return 0;",
                f"{t} r = a % b;",
                "if (r != 0 && ((r < 0) != (b < 0))) r += b;",
                "return r;",
            ]
    else:
        lines.append(f"return ({t})(a {'/' if want_div else '%'} b);")
    return "\n".join(lines)


@c_funcify.register(ps.IntDiv)
@c_funcify.register(ps.Mod)
def c_funcify_DivMod(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """Floor division and remainder with Python's sign rules (NumPy's floor_divide/mod)."""
    if not supported(node):
        return None
    out = out_dtype(node)
    want_div = isinstance(op, ps.IntDiv)
    name = "intdiv" if want_div else "mod"
    if out in FLOAT_DTYPES:
        a, b = _casted(node)
        t = CTYPES[out]
        pick = "return d;" if want_div else "return m;"
        body = f"{t} m;\n{t} d = pt_s_fdivmod_{out}({a}, {b}, &m);\n(void)d; (void)m;\n{pick}"
        return build(op, node, name, body, extra=(_fdivmod(out),))
    if out == "bool":
        a, b = (cast(f"x{k}", d, "int8") for k, d in enumerate(in_dtypes(node)))
        # True // True is 1, anything // False is 0 and x % y is always 0 on {0, 1}.
        body = f"return (npy_bool)({a} & {b});" if want_div else "return 0;"
        return build(op, node, name, body)
    return build(op, node, name, _int_divmod_body(out, _casted(node), want_div))


# -- power --------------------------------------------------------------------------------
#: NumPy's error for an integer raised to a negative integer power.
NEGATIVE_POWER = "Integers to negative integer powers are not allowed."


def _nonnegative_exponent(node: Any) -> bool:
    """Whether the exponent can never be negative (NumPy raises for negative integer powers)."""
    exponent = node.inputs[1]
    if exponent.type.dtype in ("bool", *UINT_DTYPES):
        return True
    data = getattr(exponent, "data", None)
    return data is not None and bool(np.all(np.asarray(data) >= 0))


@c_funcify.register(ps.Pow)
def c_funcify_Pow(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """Power: libm ``pow`` for floats, exponentiation by squaring (wrapping) for integers.

    NumPy raises ``ValueError`` for negative integer powers: unless the exponent
    is known to be non-negative, the function reports it through the scalar
    error channel (``_support.SCALAR_ERROR``) and the loop raises after it ends.
    """
    if not supported(node):
        return None
    out = out_dtype(node)
    a, b = _casted(node)
    if out in FLOAT_DTYPES:
        return build(op, node, "pow", f"return {libm('pow', out)}({a}, {b});")
    t, u = CTYPES[out], unsigned_of(out)
    checked = not _nonnegative_exponent(node)
    guard = [f"if (e < 0) {{ pyt_scalar_error = {c_string_literal(NEGATIVE_POWER)}; return 0; }}"]
    body = "\n".join(
        [
            f"{u} base = ({u}){a}, result = 1;",
            f"{t} e = {b};",
            *(guard if checked else []),
            "while (e > 0) {",
            "    if (e & 1) result *= base;",
            "    base *= base;",
            "    e >>= 1;",
            "}",
            f"return ({t})result;",
        ]
    )
    if checked:
        return build(op, node, "pow_checked", body, extra=(SCALAR_ERROR,))
    return build(op, node, "pow", body)


# -- comparisons --------------------------------------------------------------------------
_CMP = {ps.LT: "<", ps.GT: ">", ps.LE: "<=", ps.GE: ">=", ps.EQ: "==", ps.NEQ: "!="}


@c_funcify.register(ps.LT)
@c_funcify.register(ps.GT)
@c_funcify.register(ps.LE)
@c_funcify.register(ps.GE)
@c_funcify.register(ps.EQ)
@c_funcify.register(ps.NEQ)
def c_funcify_Compare(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """Comparisons in NumPy's common type; signed against uint64 compares exactly (as NumPy 2)."""
    if has_complex(node):
        return complex_impl(op, node)
    if not supported(node):
        return None
    sym = _CMP[type(op)]
    a_t, b_t = in_dtypes(node)
    if {a_t, b_t} & {"uint64"} and {a_t, b_t} & set(INT_DTYPES):
        # Three-way comparison of a signed value s with an unsigned u.
        if a_t == "uint64":
            order = "(x1 < 0) ? 1 : ((npy_uint64)x1 < x0 ? 1 : ((npy_uint64)x1 > x0 ? -1 : 0))"
        else:
            order = "(x0 < 0) ? -1 : ((npy_uint64)x0 < x1 ? -1 : ((npy_uint64)x0 > x1 ? 1 : 0))"
        body = f"int c = {order};\nreturn (npy_bool)(c {sym} 0);"
        return build(op, node, type(op).__name__.lower(), body)
    common = np.result_type(a_t, b_t).name
    if common not in CTYPES:
        return None
    body = f"return (npy_bool)({cast('x0', a_t, common)} {sym} {cast('x1', b_t, common)});"
    return build(op, node, type(op).__name__.lower(), body)


# -- ternary --------------------------------------------------------------------------------
@c_funcify.register(ps.Switch)
def c_funcify_Switch(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """``a if cond else b``; a NaN condition counts as true (as NumPy's where)."""
    if has_complex(node):
        return complex_impl(op, node)
    if not supported(node):
        return None
    out = out_dtype(node)
    dts = in_dtypes(node)
    body = f"return x0 ? {cast('x1', dts[1], out)} : {cast('x2', dts[2], out)};"
    return build(op, node, "switch", body)


@c_funcify.register(ps.Clip)
def c_funcify_Clip(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """NumPy's clip: ``min(max(x, lo), hi)``, NaN in any argument gives NaN."""
    if not supported(node):
        return None
    out = out_dtype(node)
    x, lo, hi = _casted(node)
    t = CTYPES[out]
    if out in FLOAT_DTYPES:
        body = (
            f"{t} v = {x}, lo = {lo}, hi = {hi};\n"
            "v = isnan(v) ? v : (v > lo ? v : lo);\n"
            "return isnan(v) ? v : (v < hi ? v : hi);"
        )
    else:
        body = f"{t} v = {x}, lo = {lo}, hi = {hi};\nv = v > lo ? v : lo;\nreturn v < hi ? v : hi;"
    return build(op, node, "clip", body)


@c_funcify.register(ps.Cast)
def c_funcify_Cast(op: Any, node: Any, **kwargs: Any) -> CScalarImpl | None:
    """NumPy ``astype``: truncation towards zero, wrap-around like x86 NumPy out of range."""
    if has_complex(node):
        return complex_impl(op, node)
    if not supported(node):
        return None
    return build(op, node, "cast", f"return {cast('x0', in_dtypes(node)[0], out_dtype(node))};")


from pytensor.link.c.dispatch._scalar_unary import c_funcify_Unary  # noqa: E402
