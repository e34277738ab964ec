"""Numba implementations of the elementary scalar Ops of ``pytensor.scalar.basic``
(layer: pytensor-backend-numba).

Each ``numba_funcify_<OpClass>`` generates a tiny Python function for one scalar
Apply. It reproduces ``ScalarOp.perform`` (``array_function``): an Op with a
float or complex output first converts its integer and boolean inputs to the
output's real precision, then applies the same NumPy ufunc (numba implements
the scalar ufuncs with NumPy's loops and NumPy's edge-case semantics), and the
result is cast to the output dtype. Ops with an ``array_impl`` (Add, Mul,
Identity, Cast, Second) follow that instead.

numba has no float16 on the CPU: the impl of a node with float16 inputs or output
takes and returns float32 values, and the caller (the Elemwise loop) converts
float16 elements to float32 and rounds results back (NumPy's float16 loops also
compute in float32 and round once).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import numba
from pytensor.graph.hashing import stable_token
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.scalar import _elementary as se

__all__ = [
    "compile_scalar_source",
    "converted_args",
    "escape_format",
    "numba_dtype_name",
    "scalar_key",
    "scalar_source_impl",
]


def numba_dtype_name(dtype: str) -> str:
    """The NumPy scalar constructor used in generated code for ``dtype`` (float16 -> float32)."""
    if dtype == "float16":
        return "np.float32"
    if dtype == "bool":
        return "np.bool_"
    return f"np.{dtype}"


def scalar_key(op: Any, node: Any) -> str:
    """The cache key of a scalar Apply: Op class, stable token and the node's dtypes."""
    ins = ",".join(i.type.dtype for i in node.inputs)
    outs = ",".join(o.type.dtype for o in node.outputs)
    return f"{type(op).__name__}:{stable_token(op)!r}:{ins}->{outs}"


def compile_scalar_source(
    source: str, name: str, env: dict[str, Any] | None = None
) -> Callable[..., Any]:
    """Execute generated ``source`` and return its function ``name`` (globals: np, math, env)."""
    namespace: dict[str, Any] = {"np": np, "math": math}
    if env:
        namespace.update(env)
    exec(compile(source, f"<numba scalar {name}>", "exec"), namespace)
    fn: Callable[..., Any] = namespace[name]
    fn.__numba_source__ = source  # type: ignore[attr-defined]
    return fn


def _real_dtype(dtype: str) -> str:
    return {"complex64": "float32", "complex128": "float64", "float16": "float32"}.get(dtype, dtype)


def _kind(dtype: str) -> str:
    return np.dtype(dtype).kind


def converted_args(node: Any, convert: bool = True) -> list[tuple[str, str]]:
    """``(expression, dtype)`` of each argument ``a0, a1, ...`` as the computation sees it:
    discrete inputs of a float-output node are cast to the output's real precision first
    (as ``array_function`` does) and float16 is float32."""
    out = node.outputs[0].type.dtype
    args = []
    for i, inp in enumerate(node.inputs):
        dtype = inp.type.dtype
        if convert and len(node.outputs) == 1 and _kind(out) in "fc" and _kind(dtype) in "biu":
            real = _real_dtype(out)
            args.append((f"{numba_dtype_name(real)}(a{i})", real))
        elif dtype == "float16":
            args.append((f"np.float32(a{i})", "float32"))
        else:
            args.append((f"a{i}", dtype))
    return args


_MIXED_SIGN_CMP = {
    # ufunc: (operator, result when the signed operand is negative and on the left)
    "less": ("<", True),
    "less_equal": ("<=", True),
    "greater": (">", False),
    "greater_equal": (">=", False),
    "equal": ("==", False),
    "not_equal": ("!=", True),
}


def ufunc_call(ufunc: str, args: Sequence[tuple[str, str]]) -> str:
    """Source calling ``np.<ufunc>`` on ``args`` with the loop NumPy would select.

    numba resolves mixed-type scalar ufunc calls by its own casting rules (int32 with
    float32 gives a float32 loop where NumPy uses float64), so every argument is cast
    to NumPy's loop dtype here. Raises TypeError when NumPy has no loop.
    """
    dtypes = tuple(np.dtype(d) for _, d in args)
    loop = getattr(np, ufunc).resolve_dtypes(dtypes + (None,))
    loop_in = [("float32" if d.name == "float16" else d.name) for d in loop[: len(args)]]
    if ufunc in _MIXED_SIGN_CMP and {loop_in[0][:1], loop_in[1][:1]} == {"i", "u"}:
        return _mixed_sign_compare(ufunc, args, loop_in)
    exprs = [_cast_expr(e, d, want) for (e, d), want in zip(args, loop_in, strict=True)]
    operator = _plain_operator(ufunc, loop_in)
    if operator is not None:
        return operator.format(*exprs)
    return f"np.{ufunc}({', '.join(exprs)})"


# numba lowers these operators on two operands of one float dtype to the same LLVM
# instruction as the ufunc's loop (IEEE add/sub/mul/compare), so the result is
# bit-identical and typing is much cheaper than a ufunc call. Comparisons are exact for
# any equal numeric dtypes. Division stays np.true_divide: ``/`` raises ZeroDivisionError
# in functions jitted without error_model="numpy".
_FLOAT_OPERATORS = {
    "add": "({0} + {1})",
    "subtract": "({0} - {1})",
    "multiply": "({0} * {1})",
    "negative": "(-{0})",
}
_COMPARE_OPERATORS = {
    "less": "({0} < {1})",
    "greater": "({0} > {1})",
    "less_equal": "({0} <= {1})",
    "greater_equal": "({0} >= {1})",
    "equal": "({0} == {1})",
    "not_equal": "({0} != {1})",
}


def _plain_operator(ufunc: str, loop_in: Sequence[str]) -> str | None:
    """The operator template equal to ``np.<ufunc>`` on operands of dtypes ``loop_in``."""
    if len(set(loop_in)) != 1:
        return None
    dtype = loop_in[0]
    if dtype in ("float32", "float64") and ufunc in _FLOAT_OPERATORS:
        return _FLOAT_OPERATORS[ufunc]
    if dtype in ("float32", "float64", "int64") and ufunc in _COMPARE_OPERATORS:
        return _COMPARE_OPERATORS[ufunc]
    return None


def ufunc_out_dtype(ufunc: str, args: Sequence[tuple[str, str]]) -> str:
    """The dtype of :func:`ufunc_call`'s result (float16 loops compute in float32)."""
    loop = getattr(np, ufunc).resolve_dtypes(tuple(np.dtype(d) for _, d in args) + (None,))
    name = loop[len(args)].name
    return "float32" if name == "float16" else name


_FLOAT_LITERAL = re.compile(r"(?:np\.(float32|float64)\()?(-?[0-9][0-9.e+-]*)\)?")


def _cast_expr(expr: str, dtype: str, want: str) -> str:
    """Source of ``expr`` (of ``dtype``) converted to ``want``; a float literal is folded
    to a float64 literal (numba types Python floats as float64) instead of a call."""
    if dtype == want:
        return expr
    m = _FLOAT_LITERAL.fullmatch(expr)
    if want == "float64" and m is not None and (m[1] is None) == (not expr.startswith("np.")):
        value = float(m[2])
        if m[1] == "float32":
            value = float(np.float32(value))
        if math.isfinite(value):
            return repr(value)
    return f"{numba_dtype_name(want)}({expr})"


def _mixed_sign_compare(ufunc: str, args: Sequence[tuple[str, str]], loop: list[str]) -> str:
    # NumPy compares int64 with uint64 exactly: a negative signed value is below every
    # unsigned one; otherwise both fit uint64.
    op, neg_left = _MIXED_SIGN_CMP[ufunc]
    (left, _), (right, _) = args
    if loop[0].startswith("i"):
        return f"({neg_left} if {left} < 0 else np.uint64({left}) {op} np.uint64({right}))"
    neg_right = not neg_left if op not in ("==", "!=") else neg_left
    return f"({neg_right} if {right} < 0 else np.uint64({left}) {op} np.uint64({right}))"


def raising_impl(op: Any, node: Any, exc: Exception) -> NumbaImpl:
    """An impl raising ``exc`` (type and message) at run time, as ``perform`` would."""
    name = f"numba_scalar_{type(op).__name__}_raises"
    params = ", ".join(f"a{i}" for i in range(len(node.inputs)))
    source = f"def {name}({params}):\n    raise {type(exc).__name__}({str(exc)!r})\n"
    env = {type(exc).__name__: type(exc)}
    return compile_scalar_source(source, name, env), scalar_key(op, node)


#: Dtypes that numba's scalar arithmetic keeps as they are (narrower integers may widen).
_EXACT_EXPR_DTYPES = ("float32", "float64", "complex64", "complex128", "int64", "bool")


def scalar_source_impl(
    op: Any,
    node: Any,
    expr: str | Sequence[str],
    *,
    convert: bool = True,
    cast_out: bool = True,
    env: dict[str, Any] | None = None,
    expr_dtype: str | None = None,
) -> NumbaImpl:
    """Build ``(impl, key)`` from an expression template over the (converted) inputs.

    ``expr`` is formatted with the argument expressions as ``{0}, {1}, ...`` (and
    ``{out}`` for the output constructor); a sequence is the body's lines, the last
    being the returned expression. ``expr_dtype``, when given, is the dtype numba
    infers for the expression: the output cast is left out when it is the output's.
    """
    name = f"numba_scalar_{type(op).__name__}"
    args = [e for e, _ in converted_args(node, convert)]
    out_dtype = node.outputs[0].type.dtype
    out_ctor = numba_dtype_name(out_dtype)
    lines = [expr] if isinstance(expr, str) else list(expr)
    lines = [line.format(*args, out=out_ctor) for line in lines]
    if expr_dtype == out_dtype and out_dtype in _EXACT_EXPR_DTYPES:
        cast_out = False
    result = f"{out_ctor}({lines[-1]})" if cast_out else lines[-1]
    params = ", ".join(f"a{i}" for i in range(len(node.inputs)))
    body = "".join(f"    {line}\n" for line in lines[:-1])
    source = f"def {name}({params}):\n{body}    return {result}\n"
    return compile_scalar_source(source, name, env), scalar_key(op, node)


def _ufunc_impl(ufunc: str) -> Callable[..., NumbaImpl]:
    def funcify(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
        args = converted_args(node)
        try:
            call = ufunc_call(ufunc, args)
        except TypeError as exc:  # e.g. bitwise_and(int64, uint64): perform raises too
            return raising_impl(op, node, exc)
        return scalar_source_impl(
            op, node, escape_format(call), convert=False, expr_dtype=ufunc_out_dtype(ufunc, args)
        )

    return funcify


def escape_format(source: str) -> str:
    """``source`` with its braces doubled, to pass through ``str.format`` unchanged."""
    return source.replace("{", "{{").replace("}", "}}")


# Unary and binary Ops that are exactly a NumPy ufunc after input conversion.
_UFUNC_OPS = {
    "Neg": "negative",
    "Reciprocal": "reciprocal",
    "Sqrt": "sqrt",
    "Cos": "cos",
    "Sin": "sin",
    "Tan": "tan",
    "ArcCos": "arccos",
    "ArcSin": "arcsin",
    "ArcTan": "arctan",
    "Cosh": "cosh",
    "Sinh": "sinh",
    "Tanh": "tanh",
    "ArcCosh": "arccosh",
    "ArcSinh": "arcsinh",
    "ArcTanh": "arctanh",
    "Deg2Rad": "deg2rad",
    "Rad2Deg": "rad2deg",
    "Floor": "floor",
    "Ceil": "ceil",
    "Trunc": "trunc",
    "RoundHalfToEven": "rint",
    "Sub": "subtract",
    "LT": "less",
    "GT": "greater",
    "LE": "less_equal",
    "GE": "greater_equal",
    "EQ": "equal",
    "NEQ": "not_equal",
    "AND": "bitwise_and",
    "OR": "bitwise_or",
    "XOR": "bitwise_xor",
    "ArcTan2": "arctan2",
    "Hypot": "hypot",
}

for _name, _ufunc in _UFUNC_OPS.items():
    numba_funcify.register(getattr(se, _name))(_ufunc_impl(_ufunc))


def _in_dtype(node: Any, i: int = 0) -> str:
    return str(node.inputs[i].type.dtype)


@numba_funcify.register(se.Abs)
def numba_funcify_Abs(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    expr = "{0}" if _in_dtype(node) == "bool" else "np.absolute({0})"
    return scalar_source_impl(op, node, expr)


@numba_funcify.register(se.Sign)
def numba_funcify_Sign(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    kind = _kind(_in_dtype(node))
    if kind == "u":
        return scalar_source_impl(op, node, "1 if {0} > 0 else 0")
    if kind == "i":
        return scalar_source_impl(op, node, "1 if {0} > 0 else (-1 if {0} < 0 else 0)")
    # NumPy's sign of -0.0 is +0.0; NaN stays NaN.
    return scalar_source_impl(
        op, node, "1.0 if {0} > 0 else (-1.0 if {0} < 0 else ({0} if {0} != {0} else 0.0))"
    )


@numba_funcify.register(se.Sqr)
def numba_funcify_Sqr(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    (_, dtype), *_ = converted_args(node)
    exact = dtype if dtype in ("float32", "float64") else None  # bool * bool is int64
    return scalar_source_impl(op, node, "{0} * {0}", expr_dtype=exact)


@numba_funcify.register(se.RoundHalfAwayFromZero)
def numba_funcify_RoundHalfAwayFromZero(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    # Same formula as the Op's impl (floor(x + 0.5) / ceil(x - 0.5)), including its
    # result for the float just below 0.5.
    return scalar_source_impl(
        op, node, "np.floor({0} + 0.5) if {0} >= 0 else np.ceil({0} - 0.5)", cast_out=True
    )


@numba_funcify.register(se.IsNan)
def numba_funcify_IsNan(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    expr = "False" if _kind(_in_dtype(node)) in "biu" else "np.isnan({0})"
    return scalar_source_impl(op, node, expr)


@numba_funcify.register(se.IsInf)
def numba_funcify_IsInf(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    expr = "False" if _kind(_in_dtype(node)) in "biu" else "np.isinf({0})"
    return scalar_source_impl(op, node, expr)


@numba_funcify.register(se.Invert)
def numba_funcify_Invert(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    expr = "not {0}" if _in_dtype(node) == "bool" else "np.invert({0})"
    return scalar_source_impl(op, node, expr)


@numba_funcify.register(se.LogicalNot)
def numba_funcify_LogicalNot(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return scalar_source_impl(op, node, "{0} == 0", convert=False)


@numba_funcify.register(se.Real)
def numba_funcify_Real(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    expr = "{0}.real" if _kind(_in_dtype(node)) == "c" else "{0}"
    return scalar_source_impl(op, node, expr, convert=False)


@numba_funcify.register(se.Imag)
def numba_funcify_Imag(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    expr = "{0}.imag" if _kind(_in_dtype(node)) == "c" else "0"
    return scalar_source_impl(op, node, expr, convert=False)


@numba_funcify.register(se.Angle)
def numba_funcify_Angle(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    if _kind(_in_dtype(node)) == "c":
        return scalar_source_impl(op, node, "np.arctan2({0}.imag, {0}.real)")
    # np.angle of a real number is arctan2(0, x): pi for negative numbers and -0.0.
    return scalar_source_impl(op, node, "np.arctan2({out}(0), {0})")


@numba_funcify.register(se.Conj)
def numba_funcify_Conj(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    expr = "np.conjugate({0})" if _kind(_in_dtype(node)) == "c" else "{0}"
    return scalar_source_impl(op, node, expr, convert=False)


@numba_funcify.register(se.Identity)
def numba_funcify_Identity(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return scalar_source_impl(op, node, "{0}", convert=False)


@numba_funcify.register(se.Second)
def numba_funcify_Second(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return scalar_source_impl(op, node, "{1}", convert=False)


@numba_funcify.register(se.Cast)
def numba_funcify_Cast(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    src, dst = _in_dtype(node), node.outputs[0].type.dtype
    if _kind(src) == "c" and _kind(dst) == "b":
        expr = "{0} != 0"
    elif _kind(src) == "c" and _kind(dst) != "c":
        # NumPy's astype drops the imaginary part (with a ComplexWarning).
        expr = "{0}.real"
    elif _kind(src) == "f" and _kind(dst) == "b":
        expr = "{0} != 0"
    else:
        expr = "{0}"
    return scalar_source_impl(op, node, expr, convert=False)


def _variadic(op: Any, node: Any, ufunc: str) -> NumbaImpl:
    # array_impl folds left with NumPy's promotion at every step, without the
    # int -> float pre-conversion of array_function.
    args = converted_args(node, convert=False)
    expr, dtype = args[0]
    for arg in args[1:]:
        loop = getattr(np, ufunc).resolve_dtypes((np.dtype(dtype), np.dtype(arg[1]), None))
        expr, dtype = ufunc_call(ufunc, [(expr, dtype), arg]), loop[2].name
        dtype = "float32" if dtype == "float16" else dtype
    return scalar_source_impl(op, node, escape_format(expr), convert=False, expr_dtype=dtype)


@numba_funcify.register(se.Add)
def numba_funcify_Add(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return _variadic(op, node, "add")


@numba_funcify.register(se.Mul)
def numba_funcify_Mul(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return _variadic(op, node, "multiply")


@numba.njit(inline="always")
def float_divmod(a: Any, b: Any) -> tuple[Any, Any]:
    """NumPy's float floor-division and remainder (npy_divmod), signs of zero included."""
    mod = np.fmod(a, b)
    if b == 0:
        return np.true_divide(a, b), mod
    div = (a - mod) / b
    if mod != 0:
        if (b < 0) != (mod < 0):
            mod += b
            div -= 1
    else:
        mod = np.copysign(mod * 0, b)
    if div != 0:
        floordiv = np.floor(div)
        if div - floordiv > 0.5:
            floordiv += 1
    else:
        floordiv = np.copysign(div * 0, np.true_divide(a, b))
    return floordiv, mod


@numba.njit(inline="always")
def complex_power(a: Any, b: Any) -> Any:
    """NumPy's complex power at a zero base: 1 for a zero exponent, 0 for an exponent with
    a positive real part, NaN otherwise; elsewhere the complex ``pow``."""
    if b == 0:
        return b - b + 1
    if a == 0:
        if b.real > 0:
            return a - a
        return a - a + complex(np.nan, np.nan)
    return np.power(a, b)


@numba.njit(inline="always")
def int_power(base: Any, exp: Any) -> Any:
    """Integer power by squaring, wrapping on overflow like NumPy's integer loops."""
    if exp < 0:
        raise ValueError("Integers to negative integer powers are not allowed.")
    result = base - base + 1
    while exp > 0:
        if exp & 1:
            result *= base
        base *= base
        exp >>= 1
    return result


def _is_float_out(node: Any) -> bool:
    return _kind(node.outputs[0].type.dtype) in "fc"


@numba.njit(inline="always")
def int_floor_divide(a: Any, b: Any) -> Any:
    """NumPy's integer floor division on 64-bit operands: 0 for a zero divisor and a
    wrapping ``MIN // -1`` (the machine division would trap on both)."""
    if b == 0:
        return a - a
    if b == -1:
        return -a
    return a // b


@numba.njit(inline="always")
def int_remainder(a: Any, b: Any) -> Any:
    """NumPy's integer remainder (sign of the divisor) on 64-bit operands, 0 for b in (0, -1)."""
    if b == 0 or b == -1:
        return a - a
    return a % b


@numba.njit(inline="always")
def uint_floor_divide(a: Any, b: Any) -> Any:
    return a - a if b == 0 else a // b


@numba.njit(inline="always")
def uint_remainder(a: Any, b: Any) -> Any:
    return a - a if b == 0 else a % b


_INT_HELPERS = {
    "int_floor_divide": int_floor_divide,
    "int_remainder": int_remainder,
    "uint_floor_divide": uint_floor_divide,
    "uint_remainder": uint_remainder,
}


def _int_division(op: Any, node: Any, which: str) -> NumbaImpl:
    # Computed in the 64-bit type of the output's signedness: the quotient and the
    # remainder of narrower types are exact there, and the final cast wraps like NumPy.
    unsigned = node.outputs[0].type.dtype.startswith("uint")
    wide = "np.uint64" if unsigned else "np.int64"
    helper = ("uint_" if unsigned else "int_") + which
    return scalar_source_impl(op, node, f"{helper}({wide}({{0}}), {wide}({{1}}))", env=_INT_HELPERS)


@numba_funcify.register(se.IntDiv)
def numba_funcify_IntDiv(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    if _is_float_out(node):
        return scalar_source_impl(
            op, node, "float_divmod({0}, {1})[0]", env={"float_divmod": float_divmod}
        )
    return _int_division(op, node, "floor_divide")


@numba_funcify.register(se.Mod)
def numba_funcify_Mod(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    if _is_float_out(node):
        return scalar_source_impl(
            op, node, "float_divmod({0}, {1})[1]", env={"float_divmod": float_divmod}
        )
    return _int_division(op, node, "remainder")


@numba_funcify.register(se.Pow)
def numba_funcify_Pow(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    out = node.outputs[0].type.dtype
    if _kind(out) == "c":
        ctor = numba_dtype_name(out)
        args = [f"{ctor}({e})" for e, _ in converted_args(node)]
        return scalar_source_impl(
            op,
            node,
            escape_format(f"complex_power({args[0]}, {args[1]})"),
            convert=False,
            env={"complex_power": complex_power},
        )
    if _is_float_out(node):
        return _ufunc_impl("power")(op, node)
    # Integer (or all-bool -> int8) power computed in the 64-bit type of the output's
    # signedness; wrapping mod 2**64 then casting equals NumPy's narrower wrapping.
    wide = "np.uint64" if out.startswith("uint") else "np.int64"
    return scalar_source_impl(
        op, node, f"int_power({wide}({{0}}), {wide}({{1}}))", env={"int_power": int_power}
    )


@numba_funcify.register(se.Clip)
def numba_funcify_Clip(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return scalar_source_impl(op, node, "np.minimum(np.maximum({0}, {1}), {2})")


@numba_funcify.register(se.Switch)
def numba_funcify_Switch(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return scalar_source_impl(
        op, node, "{out}({1}) if {0} else {out}({2})", cast_out=False, convert=False
    )


@numba.njit(inline="always")
def complex_divide(a: Any, b: Any) -> Any:
    """NumPy's complex division (Smith's method; a zero divisor gives inf/nan parts)."""
    ar, ai, br, bi = a.real, a.imag, b.real, b.imag
    abs_br, abs_bi = abs(br), abs(bi)
    if abs_br >= abs_bi:
        if abs_br == 0 and abs_bi == 0:
            return complex(np.true_divide(ar, abs_br), np.true_divide(ai, abs_br))
        rat = np.true_divide(bi, br)
        scl = np.true_divide(1.0, br + bi * rat)
        return complex((ar + ai * rat) * scl, (ai - ar * rat) * scl)
    rat = np.true_divide(br, bi)
    scl = np.true_divide(1.0, bi + br * rat)
    return complex((ar * rat + ai) * scl, (ai * rat - ar) * scl)


@numba_funcify.register(se.TrueDiv)
def numba_funcify_TrueDiv(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    out = node.outputs[0].type.dtype
    if _kind(out) != "c":
        return _ufunc_impl("true_divide")(op, node)
    # Both operands in the output's complex type, then NumPy's algorithm in that precision.
    ctor = numba_dtype_name(out)
    args = [f"{ctor}({e})" for e, _ in converted_args(node)]
    return scalar_source_impl(
        op,
        node,
        escape_format(f"complex_divide({args[0]}, {args[1]})"),
        convert=False,
        env={"complex_divide": complex_divide},
    )


def _extremum(op: Any, node: Any, ufunc: str, cmp: str) -> NumbaImpl:
    args = converted_args(node)
    if _kind(node.outputs[0].type.dtype) != "f":
        return _ufunc_impl(ufunc)(op, node)
    # NumPy: NaN propagates; of two equal values (0.0 and -0.0) the float32/64 loops
    # return the second, the float16 loop the first.
    if node.outputs[0].type.dtype == "float16":
        cmp += "="
    ctor = numba_dtype_name(node.outputs[0].type.dtype)
    a, b = (f"{ctor}({e})" for e, _ in args)
    return scalar_source_impl(
        op,
        node,
        ["x, y = " + escape_format(f"{a}, {b}"), f"x if (x {cmp} y or x != x) else y"],
        convert=False,
    )


@numba_funcify.register(se.Maximum)
def numba_funcify_Maximum(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return _extremum(op, node, "maximum", ">")


@numba_funcify.register(se.Minimum)
def numba_funcify_Minimum(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    return _extremum(op, node, "minimum", "<")
