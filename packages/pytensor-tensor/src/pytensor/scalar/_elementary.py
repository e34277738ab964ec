"""The elementary scalar Ops: arithmetic, comparisons, logic, exp/log, trigonometry,
rounding, casts, clip and switch (layer: pytensor-tensor).

Each Op computes one element in ``impl`` and names its NumPy ufunc in
``nfunc_spec``, which ``Elemwise`` uses on whole arrays.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply
from pytensor.scalar.basic import (
    BinaryScalarOp,
    ScalarOp,
    ScalarType,
    UnaryScalarOp,
    as_scalar,
    bool_out,
    complex_types,
    discrete_types,
    float_types,
    get_scalar_type,
    same_out,
    same_out_nobool,
    transfer_type,
    upcast,
    upcast_out,
    upcast_out_no_complex,
    upcast_out_nobool,
    upgrade_to_float,
    upgrade_to_float_no_complex,
)

__all__ = [
    "AND",
    "EQ",
    "GE",
    "GT",
    "LE",
    "LT",
    "NEQ",
    "OR",
    "XOR",
    "Abs",
    "Add",
    "Angle",
    "ArcCos",
    "ArcCosh",
    "ArcSin",
    "ArcSinh",
    "ArcTan",
    "ArcTan2",
    "ArcTanh",
    "Cast",
    "Ceil",
    "Clip",
    "Conj",
    "Cos",
    "Cosh",
    "Deg2Rad",
    "Exp",
    "Exp2",
    "Expm1",
    "Floor",
    "Hypot",
    "Identity",
    "Imag",
    "IntDiv",
    "Invert",
    "IsInf",
    "IsNan",
    "Log",
    "Log10",
    "Log1p",
    "Log2",
    "LogicalNot",
    "Maximum",
    "Minimum",
    "Mod",
    "Mul",
    "Neg",
    "Pow",
    "Rad2Deg",
    "Real",
    "Reciprocal",
    "RoundHalfAwayFromZero",
    "RoundHalfToEven",
    "Second",
    "Sign",
    "Sin",
    "Sinh",
    "Sqr",
    "Sqrt",
    "Sub",
    "Switch",
    "Tan",
    "Tanh",
    "TrueDiv",
    "Trunc",
    "abs",
    "add",
    "and_",
    "angle",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "cast",
    "ceil",
    "clip",
    "conj",
    "cos",
    "cosh",
    "deg2rad",
    "eq",
    "exp",
    "exp2",
    "expm1",
    "floor",
    "ge",
    "gt",
    "hypot",
    "identity",
    "imag",
    "int_div",
    "invert",
    "isinf",
    "isnan",
    "le",
    "log",
    "log10",
    "log1p",
    "log2",
    "logical_not",
    "lt",
    "maximum",
    "minimum",
    "mod",
    "mul",
    "neg",
    "neq",
    "or_",
    "pow",
    "rad2deg",
    "real",
    "reciprocal",
    "round_half_away_from_zero",
    "round_half_to_even",
    "scalar_maximum",
    "scalar_minimum",
    "second",
    "sign",
    "sin",
    "sinh",
    "sqr",
    "sqrt",
    "sub",
    "switch",
    "tan",
    "tanh",
    "true_div",
    "trunc",
    "xor",
]


def _int_or_bool_out(*types: ScalarType) -> tuple[ScalarType, ...]:
    bad = [t.dtype for t in types if t not in discrete_types]
    if bad:
        raise TypeError(
            f"bitwise and logical-bit operations need integer or bool inputs, got {', '.join(bad)}"
        )
    return upcast_out(*types)


def _int_or_bool_same(t: ScalarType) -> tuple[ScalarType, ...]:
    return _int_or_bool_out(t)


def _float_or_complex(t: ScalarType) -> tuple[ScalarType, ...]:
    return upgrade_to_float(t)


def _real_out(t: ScalarType) -> tuple[ScalarType, ...]:
    if t.dtype == "complex64":
        return (get_scalar_type("float32"),)
    if t.dtype == "complex128":
        return (get_scalar_type("float64"),)
    return (t,)


def _no_complex_same(t: ScalarType) -> tuple[ScalarType, ...]:
    if t in complex_types:
        raise TypeError("This operation is not defined on complex numbers")
    return (t,)


def _angle_out(t: ScalarType) -> tuple[ScalarType, ...]:
    """The argument of a complex number is real; real inputs follow the usual float upgrade."""
    if t in complex_types:
        return _real_out(t)
    return upgrade_to_float(t)


def _conj_out(t: ScalarType) -> tuple[ScalarType, ...]:
    return (get_scalar_type("int8"),) if t.dtype == "bool" else (t,)


def _sign_out(t: ScalarType) -> tuple[ScalarType, ...]:
    if t in complex_types:
        raise TypeError("sign is not defined on complex numbers")
    return same_out_nobool(t)


def _round_float_only(t: ScalarType) -> tuple[ScalarType, ...]:
    if t not in float_types:
        raise TypeError(f"rounding to nearest is only defined on floats, got {t.dtype}")
    return (t,)


def _rounding_out(t: ScalarType) -> tuple[ScalarType, ...]:
    """Rounding keeps floats; integers and bools become floats as in NumPy's ufuncs."""
    if t in complex_types:
        raise TypeError("Rounding is not defined on complex numbers")
    if t in float_types:
        return (t,)
    return upgrade_to_float(t)


def _make_unary(
    name: str, nfunc: str | None, rule: Any, impl: Any, doc: str
) -> type[UnaryScalarOp]:
    cls = type(
        name,
        (UnaryScalarOp,),
        {
            "nfunc_spec": (nfunc, 1, 1) if nfunc else None,
            "impl": lambda self, x, _f=impl: _f(x),
            "__doc__": doc,
            "__module__": __name__,
        },
    )
    cls._default_rule = staticmethod(rule)  # type: ignore[attr-defined]
    return cls


def _np(fname: str) -> Any:
    return getattr(np, fname)


# name, numpy function, output rule, doc
_UNARY = [
    ("Neg", "negative", same_out_nobool, "Negation, -x."),
    ("Abs", "absolute", _real_out, "Absolute value (the modulus for complex numbers)."),
    ("Sign", "sign", _sign_out, "Sign: -1, 0 or 1 (NaN for NaN)."),
    ("Reciprocal", "reciprocal", upgrade_to_float, "1 / x."),
    ("Exp", "exp", upgrade_to_float, "e ** x."),
    ("Exp2", "exp2", upgrade_to_float, "2 ** x."),
    ("Expm1", "expm1", upgrade_to_float, "exp(x) - 1, accurate for small x."),
    ("Log", "log", upgrade_to_float, "Natural logarithm."),
    ("Log2", "log2", upgrade_to_float, "Base-2 logarithm."),
    ("Log10", "log10", upgrade_to_float, "Base-10 logarithm."),
    ("Log1p", "log1p", upgrade_to_float, "log(1 + x), accurate for small x."),
    ("Sqrt", "sqrt", upgrade_to_float, "Square root."),
    ("Sqr", "square", same_out, "x * x."),
    ("Cos", "cos", upgrade_to_float, "Cosine."),
    ("Sin", "sin", upgrade_to_float, "Sine."),
    ("Tan", "tan", upgrade_to_float, "Tangent."),
    ("ArcCos", "arccos", upgrade_to_float, "Inverse cosine."),
    ("ArcSin", "arcsin", upgrade_to_float, "Inverse sine."),
    ("ArcTan", "arctan", upgrade_to_float, "Inverse tangent."),
    ("Cosh", "cosh", upgrade_to_float, "Hyperbolic cosine."),
    ("Sinh", "sinh", upgrade_to_float, "Hyperbolic sine."),
    ("Tanh", "tanh", upgrade_to_float, "Hyperbolic tangent."),
    ("ArcCosh", "arccosh", upgrade_to_float, "Inverse hyperbolic cosine."),
    ("ArcSinh", "arcsinh", upgrade_to_float, "Inverse hyperbolic sine."),
    ("ArcTanh", "arctanh", upgrade_to_float, "Inverse hyperbolic tangent."),
    ("Deg2Rad", "deg2rad", upgrade_to_float_no_complex, "Degrees to radians."),
    ("Rad2Deg", "rad2deg", upgrade_to_float_no_complex, "Radians to degrees."),
    ("Floor", "floor", _rounding_out, "Largest integer <= x."),
    ("Ceil", "ceil", _rounding_out, "Smallest integer >= x."),
    ("Trunc", "trunc", _rounding_out, "Integer part of x (towards zero)."),
    (
        "RoundHalfToEven",
        "round",
        _round_float_only,
        "Round to nearest, ties to even (NumPy's round).",
    ),
    ("IsNan", "isnan", bool_out, "Whether x is NaN."),
    ("IsInf", "isinf", bool_out, "Whether x is +-inf."),
    ("Invert", "invert", _int_or_bool_same, "Bitwise not (logical not for bools)."),
    ("LogicalNot", "logical_not", bool_out, "Logical not."),
    ("Real", "real", _real_out, "Real part."),
    ("Imag", "imag", _real_out, "Imaginary part."),
    ("Angle", "angle", _angle_out, "Argument of a complex number."),
    ("Conj", "conjugate", _conj_out, "Complex conjugate."),
]

_g = globals()
for _name, _nf, _rule, _doc in _UNARY:
    _g[_name] = _make_unary(_name, _nf, _rule, _np(_nf), _doc)


def _round_half_away(x: Any) -> Any:
    return np.where(np.asarray(x) >= 0, np.floor(np.asarray(x) + 0.5), np.ceil(np.asarray(x) - 0.5))


RoundHalfAwayFromZero = _make_unary(
    "RoundHalfAwayFromZero",
    None,
    _round_float_only,
    _round_half_away,
    "Round to nearest, ties away from zero.",
)


class Identity(UnaryScalarOp):
    """Returns its input."""

    def impl(self, x: Any) -> Any:
        return x

    def array_impl(self, x: Any) -> Any:
        return np.array(x, copy=True)


class _FixedOut:
    """Output type rule that always gives ``o_type`` (a value, so Ops using it pickle and hash)."""

    __props__ = ("o_type",)

    def __init__(self, o_type: ScalarType) -> None:
        self.o_type = o_type

    def __call__(self, *types: ScalarType) -> tuple[ScalarType, ...]:
        return (self.o_type,)

    def __eq__(self, other: object) -> builtins.bool:
        return type(self) is type(other) and self.o_type == other.o_type  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.o_type))


class Cast(UnaryScalarOp):
    """Conversion to the dtype of ``o_type`` (NumPy's casting, truncating floats to ints)."""

    __props__ = ("o_type", "name")

    def __init__(self, o_type: ScalarType, name: str | None = None) -> None:
        if not isinstance(o_type, ScalarType):
            raise TypeError(f"Cast needs a ScalarType, got {o_type!r}")
        super().__init__(_FixedOut(o_type), name=name or f"convert_to_{o_type.dtype}")
        self.o_type = o_type

    def impl(self, x: Any) -> Any:
        return np.asarray(x).astype(self.o_type.dtype)

    def array_impl(self, x: Any) -> Any:
        return np.asarray(x).astype(self.o_type.dtype)


class _Variadic(ScalarOp):
    """An associative, commutative Op over any number (>= 1) of inputs."""

    commutative = True
    associative = True
    ufunc_name = ""

    def array_impl(self, *inputs: Any) -> Any:
        f = getattr(np, self.ufunc_name)
        result = inputs[0]
        for x in inputs[1:]:
            result = f(result, x)
        return result if len(inputs) > 1 else np.array(result, copy=True)


class Add(_Variadic):
    """Sum of its inputs."""

    identity = 0
    ufunc_name = "add"
    nfunc_spec = ("add", 2, 1)

    def impl(self, *inputs: Any) -> Any:
        return builtins.sum(inputs[1:], inputs[0])


class Mul(_Variadic):
    """Product of its inputs."""

    identity = 1
    ufunc_name = "multiply"
    nfunc_spec = ("multiply", 2, 1)

    def impl(self, *inputs: Any) -> Any:
        return math.prod(inputs[1:], start=inputs[0])


def _binary(name: str, nfunc: str, rule: Any, doc: str, **attrs: Any) -> type[BinaryScalarOp]:
    f = _np(nfunc)
    cls = type(
        name,
        (BinaryScalarOp,),
        {
            "nfunc_spec": (nfunc, 2, 1),
            "impl": lambda self, a, b, _f=f: _f(a, b),
            "__doc__": doc,
            "__module__": __name__,
            **attrs,
        },
    )
    cls._default_rule = staticmethod(rule)  # type: ignore[attr-defined]
    return cls


def _true_div_out(*types: ScalarType) -> tuple[ScalarType, ...]:
    """Integers divide into ``config.floatX`` (as PyTensor); otherwise the usual promotion."""
    if all(t in discrete_types for t in types):
        from pytensor.configdefaults import config

        return (get_scalar_type(config.floatX),)
    return upcast_out(*types)


def _int_div_out(*types: ScalarType) -> tuple[ScalarType, ...]:
    if any(t in complex_types for t in types):
        raise TypeError("Integer division is not defined on complex numbers")
    return upcast_out(*types)


def _pow_out(*types: ScalarType) -> tuple[ScalarType, ...]:
    """NumPy's promotion, except that all-boolean inputs give int8 (as NumPy's arithmetic)."""
    if all(t.dtype == "bool" for t in types):
        return (get_scalar_type("int8"),)
    return upcast_out(*types)


Sub = _binary("Sub", "subtract", upcast_out_nobool, "a - b.")
TrueDiv = _binary("TrueDiv", "true_divide", _true_div_out, "a / b, always a float result.")
IntDiv = _binary("IntDiv", "floor_divide", _int_div_out, "a // b (floor division, as in Python).")
Mod = _binary("Mod", "mod", upcast_out_no_complex, "a % b, with the sign of b (as in Python).")
Pow = _binary("Pow", "power", _pow_out, "a ** b.")
Maximum = _binary(
    "Maximum",
    "maximum",
    upcast_out,
    "Larger of a and b (NaN if either is NaN).",
    commutative=True,
    associative=True,
)
Minimum = _binary(
    "Minimum",
    "minimum",
    upcast_out,
    "Smaller of a and b (NaN if either is NaN).",
    commutative=True,
    associative=True,
)
LT = _binary("LT", "less", bool_out, "a < b.")
GT = _binary("GT", "greater", bool_out, "a > b.")
LE = _binary("LE", "less_equal", bool_out, "a <= b.")
GE = _binary("GE", "greater_equal", bool_out, "a >= b.")
EQ = _binary("EQ", "equal", bool_out, "a == b.", commutative=True)
NEQ = _binary("NEQ", "not_equal", bool_out, "a != b.", commutative=True)
AND = _binary(
    "AND",
    "bitwise_and",
    _int_or_bool_out,
    "Bitwise and (logical and for bools).",
    commutative=True,
    associative=True,
)
OR = _binary(
    "OR",
    "bitwise_or",
    _int_or_bool_out,
    "Bitwise or (logical or for bools).",
    commutative=True,
    associative=True,
)
XOR = _binary(
    "XOR",
    "bitwise_xor",
    _int_or_bool_out,
    "Bitwise xor (logical xor for bools).",
    commutative=True,
    associative=True,
)
ArcTan2 = _binary("ArcTan2", "arctan2", upgrade_to_float_no_complex, "Angle of the point (b, a).")
Hypot = _binary("Hypot", "hypot", upgrade_to_float_no_complex, "sqrt(a**2 + b**2).")


class Second(BinaryScalarOp):
    """Returns its second input (``fill``: the value of b, in the shape of a)."""

    def impl(self, a: Any, b: Any) -> Any:
        return b

    def array_impl(self, a: Any, b: Any) -> Any:
        return np.array(
            np.broadcast_to(b, np.broadcast_shapes(np.shape(a), np.shape(b))), copy=True
        )


class Clip(ScalarOp):
    """x limited to [lo, hi] (NumPy's clip)."""

    nin = 3
    nfunc_spec = ("clip", 3, 1)

    def impl(self, x: Any, lo: Any, hi: Any) -> Any:
        return np.clip(x, lo, hi)


class Switch(ScalarOp):
    """``a if cond else b``, elementwise (NumPy's where)."""

    nin = 3
    nfunc_spec = ("where", 3, 1)

    def make_node(self, cond: Any, a: Any, b: Any) -> Apply:
        cond = as_scalar(cond)
        return super().make_node(cond, a, b)

    def impl(self, cond: Any, a: Any, b: Any) -> Any:
        return a if cond else b


def _switch_out(cond: ScalarType, a: ScalarType, b: ScalarType) -> tuple[ScalarType, ...]:
    return (get_scalar_type(upcast(a.dtype, b.dtype)),)


def _clip_out(x: ScalarType, lo: ScalarType, hi: ScalarType) -> tuple[ScalarType, ...]:
    if any(t in complex_types for t in (x, lo, hi)):
        raise TypeError("clip is not defined on complex numbers")
    return (get_scalar_type(upcast(x.dtype, lo.dtype, hi.dtype)),)


def _instance(cls: type[ScalarOp], name: str, rule: Any = None) -> Any:
    return cls(rule if rule is not None else cls._default_rule, name=name)  # type: ignore[attr-defined]


neg = _instance(_g["Neg"], "neg")
abs = _instance(_g["Abs"], "abs")  # noqa: A001 (PyTensor's name)
sign = _instance(_g["Sign"], "sign")
reciprocal = _instance(_g["Reciprocal"], "reciprocal")
exp = _instance(_g["Exp"], "exp")
exp2 = _instance(_g["Exp2"], "exp2")
expm1 = _instance(_g["Expm1"], "expm1")
log = _instance(_g["Log"], "log")
log2 = _instance(_g["Log2"], "log2")
log10 = _instance(_g["Log10"], "log10")
log1p = _instance(_g["Log1p"], "log1p")
sqrt = _instance(_g["Sqrt"], "sqrt")
sqr = _instance(_g["Sqr"], "sqr")
cos = _instance(_g["Cos"], "cos")
sin = _instance(_g["Sin"], "sin")
tan = _instance(_g["Tan"], "tan")
arccos = _instance(_g["ArcCos"], "arccos")
arcsin = _instance(_g["ArcSin"], "arcsin")
arctan = _instance(_g["ArcTan"], "arctan")
cosh = _instance(_g["Cosh"], "cosh")
sinh = _instance(_g["Sinh"], "sinh")
tanh = _instance(_g["Tanh"], "tanh")
arccosh = _instance(_g["ArcCosh"], "arccosh")
arcsinh = _instance(_g["ArcSinh"], "arcsinh")
arctanh = _instance(_g["ArcTanh"], "arctanh")
deg2rad = _instance(_g["Deg2Rad"], "deg2rad")
rad2deg = _instance(_g["Rad2Deg"], "rad2deg")
floor = _instance(_g["Floor"], "floor")
ceil = _instance(_g["Ceil"], "ceil")
trunc = _instance(_g["Trunc"], "trunc")
round_half_to_even = _instance(_g["RoundHalfToEven"], "round_half_to_even")
round_half_away_from_zero = _instance(RoundHalfAwayFromZero, "round_half_away_from_zero")
isnan = _instance(_g["IsNan"], "isnan")
isinf = _instance(_g["IsInf"], "isinf")
invert = _instance(_g["Invert"], "invert")
logical_not = _instance(_g["LogicalNot"], "logical_not")
real = _instance(_g["Real"], "real")
imag = _instance(_g["Imag"], "imag")
angle = _instance(_g["Angle"], "angle")
conj = _instance(_g["Conj"], "conj")
identity = Identity(same_out, name="identity")
add = Add(upcast_out, name="add")
mul = Mul(upcast_out, name="mul")
sub = _instance(Sub, "sub")
true_div = _instance(TrueDiv, "true_div")
int_div = _instance(IntDiv, "int_div")
mod = _instance(Mod, "mod")
pow = _instance(Pow, "pow")  # noqa: A001 (PyTensor's name)
scalar_maximum = maximum = _instance(Maximum, "maximum")
scalar_minimum = minimum = _instance(Minimum, "minimum")
lt = _instance(LT, "lt")
gt = _instance(GT, "gt")
le = _instance(LE, "le")
ge = _instance(GE, "ge")
eq = _instance(EQ, "eq")
neq = _instance(NEQ, "neq")
and_ = _instance(AND, "and_")
or_ = _instance(OR, "or_")
xor = _instance(XOR, "xor")
arctan2 = _instance(ArcTan2, "arctan2")
hypot = _instance(Hypot, "hypot")
second = Second(transfer_type(1), name="second")
clip = Clip(_clip_out, name="clip")
switch = Switch(_switch_out, name="switch")

_casts: dict[str, Cast] = {}


def cast(x: Any, dtype: str) -> Any:
    """``x`` converted to ``dtype`` (returned unchanged when it already has that dtype)."""
    x = as_scalar(x)
    if dtype == "floatX":
        from pytensor.configdefaults import config

        dtype = config.floatX
    dtype = np.dtype(dtype).name
    if x.type.dtype == dtype:
        return x
    op = _casts.get(dtype)
    if op is None:
        op = _casts[dtype] = Cast(get_scalar_type(dtype))
    return op(x)


from pytensor.scalar._derivatives import attach_derivatives  # noqa: E402

attach_derivatives(globals())
