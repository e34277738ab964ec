"""Elementwise math, special functions, reductions and products of tensors (layer: pytensor-tensor).

Every scalar Op of :mod:`pytensor.scalar` has an elementwise tensor function
here. Statistics (mean, var, argmax, logsumexp) live in ``_reduce``, products
in ``_dot`` (dot, matmul) and ``_products`` (tensordot, batched_dot, ...), and
einsum and pad in their modules; all are re-exported from this module.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
import pytensor.scalar.math as psm
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.elemwise import CAReduce, Elemwise, _normalize_axis, scalar_elemwise

__all__ = [
    "All",
    "Any",
    "Argmax",
    "Dot",
    "Matmul",
    "Max",
    "Min",
    "Prod",
    "Sum",
    "abs",
    "abs_",
    "add",
    "all",
    "allclose",
    "and_",
    "angle",
    "any",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "argmax",
    "argmin",
    "batched_dot",
    "batched_tensordot",
    "betainc",
    "betaincinv",
    "betaln",
    "bitwise_and",
    "bitwise_not",
    "bitwise_or",
    "bitwise_xor",
    "ceil",
    "ceil_intdiv",
    "chi2sf",
    "clip",
    "conj",
    "conjugate",
    "cos",
    "cosh",
    "deg2rad",
    "dense_dot",
    "digamma",
    "divmod",
    "dot",
    "einsum",
    "eq",
    "equal",
    "erf",
    "erfc",
    "erfcinv",
    "erfcx",
    "erfinv",
    "exp",
    "exp2",
    "expit",
    "expm1",
    "floor",
    "floor_div",
    "gamma",
    "gammainc",
    "gammaincc",
    "gammainccinv",
    "gammaincinv",
    "gammal",
    "gammaln",
    "gammau",
    "ge",
    "greater",
    "greater_equal",
    "gt",
    "hyp2f1",
    "hypot",
    "i0",
    "i1",
    "imag",
    "inner",
    "int_div",
    "invert",
    "iround",
    "isclose",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "iv",
    "ive",
    "j0",
    "j1",
    "jv",
    "kv",
    "kve",
    "largest",
    "le",
    "less",
    "less_equal",
    "log",
    "log10",
    "log1mexp",
    "log1p",
    "log1pexp",
    "log2",
    "logaddexp",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logit",
    "logsumexp",
    "lt",
    "matmul",
    "matvec",
    "max",
    "max_and_argmax",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mod",
    "mul",
    "nan_to_num",
    "neg",
    "neq",
    "not_equal",
    "or_",
    "outer",
    "pad",
    "owens_t",
    "polygamma",
    "pow",
    "power",
    "prod",
    "psi",
    "ptp",
    "rad2deg",
    "real",
    "reciprocal",
    "round",
    "round_half_away_from_zero",
    "round_half_to_even",
    "sgn",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "smallest",
    "softplus",
    "sqr",
    "sqrt",
    "square",
    "std",
    "sub",
    "sum",
    "tan",
    "tanh",
    "tensor_copy",
    "tensordot",
    "tri_gamma",
    "true_div",
    "true_divide",
    "trunc",
    "var",
    "variadic_add",
    "variadic_mul",
    "vecdot",
    "vecmat",
    "xlogx",
    "xlogy0",
    "xor",
]


def _special(name: str) -> Any:
    op = getattr(psm, name)
    summary = (type(op).__doc__ or name).strip().splitlines()[0]
    doc = f"{summary}\n\nApplied elementwise, with broadcasting (``pytensor.scalar.{name}``)."
    return scalar_elemwise(op, name, doc)


# Elementwise versions of the elementary scalar Ops.
neg = scalar_elemwise(ps.neg, "neg")
abs = scalar_elemwise(ps.abs, "abs")  # noqa: A001 (NumPy's name)
sign = scalar_elemwise(ps.sign, "sign")
reciprocal = scalar_elemwise(ps.reciprocal, "reciprocal")
exp = scalar_elemwise(ps.exp, "exp")
exp2 = scalar_elemwise(ps.exp2, "exp2")
expm1 = scalar_elemwise(ps.expm1, "expm1")
log = scalar_elemwise(ps.log, "log")
log2 = scalar_elemwise(ps.log2, "log2")
log10 = scalar_elemwise(ps.log10, "log10")
log1p = scalar_elemwise(ps.log1p, "log1p")
sqrt = scalar_elemwise(ps.sqrt, "sqrt")
sqr = scalar_elemwise(ps.sqr, "sqr")
cos = scalar_elemwise(ps.cos, "cos")
sin = scalar_elemwise(ps.sin, "sin")
tan = scalar_elemwise(ps.tan, "tan")
arccos = scalar_elemwise(ps.arccos, "arccos")
arcsin = scalar_elemwise(ps.arcsin, "arcsin")
arctan = scalar_elemwise(ps.arctan, "arctan")
cosh = scalar_elemwise(ps.cosh, "cosh")
sinh = scalar_elemwise(ps.sinh, "sinh")
tanh = scalar_elemwise(ps.tanh, "tanh")
arccosh = scalar_elemwise(ps.arccosh, "arccosh")
arcsinh = scalar_elemwise(ps.arcsinh, "arcsinh")
arctanh = scalar_elemwise(ps.arctanh, "arctanh")
deg2rad = scalar_elemwise(ps.deg2rad, "deg2rad")
rad2deg = scalar_elemwise(ps.rad2deg, "rad2deg")
floor = scalar_elemwise(ps.floor, "floor")
ceil = scalar_elemwise(ps.ceil, "ceil")
trunc = scalar_elemwise(ps.trunc, "trunc")
round_half_to_even = scalar_elemwise(ps.round_half_to_even, "round_half_to_even")
round_half_away_from_zero = scalar_elemwise(
    ps.round_half_away_from_zero, "round_half_away_from_zero"
)
isnan = scalar_elemwise(ps.isnan, "isnan")
isinf = scalar_elemwise(ps.isinf, "isinf")
invert = scalar_elemwise(ps.invert, "invert")
logical_not = scalar_elemwise(ps.logical_not, "logical_not")
real = scalar_elemwise(ps.real, "real")
imag = scalar_elemwise(ps.imag, "imag")
angle = scalar_elemwise(ps.angle, "angle")
conj = scalar_elemwise(ps.conj, "conj")
add = scalar_elemwise(ps.add, "add")
mul = scalar_elemwise(ps.mul, "mul")
sub = scalar_elemwise(ps.sub, "sub")
true_div = scalar_elemwise(ps.true_div, "true_div")
int_div = scalar_elemwise(ps.int_div, "int_div")
mod = scalar_elemwise(ps.mod, "mod")
pow = scalar_elemwise(ps.pow, "pow")  # noqa: A001 (NumPy's name)
maximum = scalar_elemwise(ps.maximum, "maximum")
minimum = scalar_elemwise(ps.minimum, "minimum")
lt = scalar_elemwise(ps.lt, "lt")
gt = scalar_elemwise(ps.gt, "gt")
le = scalar_elemwise(ps.le, "le")
ge = scalar_elemwise(ps.ge, "ge")
eq = scalar_elemwise(ps.eq, "eq")
neq = scalar_elemwise(ps.neq, "neq")
and_ = scalar_elemwise(ps.and_, "and_")
or_ = scalar_elemwise(ps.or_, "or_")
xor = scalar_elemwise(ps.xor, "xor")
arctan2 = scalar_elemwise(ps.arctan2, "arctan2")
hypot = scalar_elemwise(ps.hypot, "hypot")
clip = scalar_elemwise(ps.clip, "clip")

# Elementwise versions of the special-function scalar Ops (docstrings from the Op classes).
erf = _special("erf")
erfc = _special("erfc")
erfcx = _special("erfcx")
erfinv = _special("erfinv")
erfcinv = _special("erfcinv")
owens_t = _special("owens_t")
gamma = _special("gamma")
gammaln = _special("gammaln")
psi = _special("psi")
tri_gamma = _special("tri_gamma")
polygamma = _special("polygamma")
chi2sf = _special("chi2sf")
gammainc = _special("gammainc")
gammaincc = _special("gammaincc")
gammaincinv = _special("gammaincinv")
gammainccinv = _special("gammainccinv")
gammau = _special("gammau")
gammal = _special("gammal")
j0 = _special("j0")
j1 = _special("j1")
jv = _special("jv")
i0 = _special("i0")
i1 = _special("i1")
iv = _special("iv")
ive = _special("ive")
kv = _special("kv")
kve = _special("kve")
sigmoid = _special("sigmoid")
softplus = _special("softplus")
log1mexp = _special("log1mexp")
xlogx = _special("xlogx")
xlogy0 = _special("xlogy0")
betainc = _special("betainc")
betaincinv = _special("betaincinv")
hyp2f1 = _special("hyp2f1")

tensor_copy = scalar_elemwise(
    ps.identity, "tensor_copy", "A copy of a tensor (elementwise identity)."
)
_switch = Elemwise(ps.switch)

abs_ = abs
sgn = sign
square = sqr
power = pow
true_divide = true_div
floor_div = int_div
bitwise_and = and_
bitwise_or = or_
bitwise_xor = xor
bitwise_not = invert
conjugate = conj
greater = gt
greater_equal = ge
less = lt
less_equal = le
equal = eq
not_equal = neq
digamma = psi
expit = sigmoid
log1pexp = softplus


def _const(value: Any, dtype: str) -> Any:
    """A constant of exactly ``dtype`` (Python floats would otherwise become float64)."""
    return as_tensor_variable(np.asarray(value, dtype=dtype))


def logical_and(a: Any, b: Any) -> Any:
    """Elementwise logical and (inputs are read as booleans)."""
    return and_(neq(a, 0), neq(b, 0))


def logical_or(a: Any, b: Any) -> Any:
    """Elementwise logical or (inputs are read as booleans)."""
    return or_(neq(a, 0), neq(b, 0))


def logical_xor(a: Any, b: Any) -> Any:
    """Elementwise logical xor (inputs are read as booleans)."""
    return xor(neq(a, 0), neq(b, 0))


def round(a: Any, mode: str | None = None) -> Any:  # noqa: A001 (PyTensor's name)
    """Round to the nearest integer, elementwise.

    Parameters
    ----------
    mode
        ``"half_to_even"`` (default, as NumPy) or ``"half_away_from_zero"``.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.round([0.5, 1.5, -2.5]).eval()
    array([ 0.,  2., -2.])
    >>> pt.round([0.5, 1.5, -2.5], mode="half_away_from_zero").eval()
    array([ 1.,  2., -3.])
    """
    if mode is None or mode == "half_to_even":
        return round_half_to_even(a)
    if mode == "half_away_from_zero":
        return round_half_away_from_zero(a)
    raise ValueError(f"round: unknown mode {mode!r}; use 'half_to_even' or 'half_away_from_zero'")


def iround(a: Any, mode: str | None = None) -> Any:
    """``round(a, mode)`` cast to int64."""
    from pytensor.tensor.basic import cast

    return cast(round(a, mode), "int64")


def isposinf(x: Any) -> Any:
    """Whether each element is +inf."""
    x = as_tensor_variable(x)
    return and_(isinf(x), gt(x, 0))


def isneginf(x: Any) -> Any:
    """Whether each element is -inf."""
    x = as_tensor_variable(x)
    return and_(isinf(x), lt(x, 0))


def isclose(
    a: Any, b: Any, rtol: float = 1.0e-5, atol: float = 1.0e-8, equal_nan: bool = False
) -> Any:
    """Elementwise ``abs(a - b) <= atol + rtol * abs(b)``, as ``numpy.isclose``.

    Infinities are close only to the same infinity; NaNs are close to each
    other only with ``equal_nan=True``.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.isclose([1.0, 1.0, float("nan")], [1.0 + 1e-9, 1.1, float("nan")]).eval()
    array([ True, False, False])
    """
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    diff = abs(sub(a, b))
    tol = add(atol, mul(rtol, abs(b)))
    finite = and_(invert(isinf(a)), invert(isinf(b)))
    close = _switch(finite, le(diff, tol), eq(a, b))
    if equal_nan:
        close = or_(close, and_(isnan(a), isnan(b)))
    return close


def allclose(
    a: Any, b: Any, rtol: float = 1.0e-5, atol: float = 1.0e-8, equal_nan: bool = False
) -> Any:
    """Whether all elements are close (see :func:`isclose`); a 0-d bool tensor."""
    return all(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def nan_to_num(
    x: Any, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Any:
    """Replace NaN by ``nan`` and +-inf by ``posinf``/``neginf`` (default: the dtype's largest finite values).

    Integer and bool tensors are returned unchanged; complex tensors are
    treated part by part, as in NumPy.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.nan_to_num(np.array([np.nan, np.inf, 1.0]), posinf=9.0).eval()
    array([0., 9., 1.])
    """
    x = as_tensor_variable(x)
    kind = np.dtype(x.dtype).kind
    if kind in "biu":
        return x
    if kind == "c":
        re = nan_to_num(real(x), nan, posinf, neginf)
        im = nan_to_num(imag(x), nan, posinf, neginf)
        return add(re, mul(im, _const(1j, x.dtype)))
    info = np.finfo(x.dtype)
    hi = info.max if posinf is None else posinf
    lo = info.min if neginf is None else neginf
    x = _switch(isnan(x), _const(nan, x.dtype), x)
    x = _switch(isposinf(x), _const(hi, x.dtype), x)
    return _switch(isneginf(x), _const(lo, x.dtype), x)


def _fold(fn: Any, args: tuple[Any, ...], what: str) -> Any:
    if not args:
        raise TypeError(f"{what} needs at least one input")
    result = as_tensor_variable(args[0])
    for a in args[1:]:
        result = fn(result, as_tensor_variable(a))
    return result


def smallest(*args: Any) -> Any:
    """Elementwise smallest of the inputs (``a if a < b else b``, pairwise from the left)."""
    return _fold(lambda a, b: _switch(lt(a, b), a, b), args, "smallest")


def largest(*args: Any) -> Any:
    """Elementwise largest of the inputs (``a if a > b else b``, pairwise from the left)."""
    return _fold(lambda a, b: _switch(gt(a, b), a, b), args, "largest")


def variadic_add(*args: Any) -> Any:
    """``add(*args)``; a single input is returned as it is, no input gives the constant 0."""
    if not args:
        return as_tensor_variable(np.asarray(0, dtype="int8"))
    if len(args) == 1:
        return as_tensor_variable(args[0])
    return add(*args)


def variadic_mul(*args: Any) -> Any:
    """``mul(*args)``; a single input is returned as it is, no input gives the constant 1."""
    if not args:
        return as_tensor_variable(np.asarray(1, dtype="int8"))
    if len(args) == 1:
        return as_tensor_variable(args[0])
    return mul(*args)


def ceil_intdiv(a: Any, b: Any) -> Any:
    """Integer division rounded up, ``ceil(a / b)``, for integer inputs."""
    from pytensor.tensor.basic import cast

    q = int_div(a, b)
    return add(q, cast(neq(mod(a, b), 0), q.dtype))


def divmod(x: Any, y: Any) -> tuple[Any, Any]:  # noqa: A001 (PyTensor's name)
    """``(x // y, x % y)``, elementwise."""
    return int_div(x, y), mod(x, y)


def logaddexp(*xs: Any) -> Any:
    """``log(exp(x0) + exp(x1) + ...)`` elementwise, without overflow or underflow.

    Two or more inputs become one ``LogAddExp`` node (an OpFromGraph of
    ``max(a, b) + log1p(exp(-|a - b|))``, folded over the inputs), whose
    gradient for input ``i`` is ``exp(x_i - out)``. Integer inputs are cast to
    float; a single input is returned unchanged.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.logaddexp(np.float64(1000.0), np.float64(1000.0)).eval()
    array(1000.69314718)
    >>> pt.logaddexp(np.float64(-np.inf), np.float64(-np.inf)).eval()
    array(-inf)
    """
    if not xs:
        raise TypeError("logaddexp needs at least one input")
    if len(xs) == 1:
        return as_tensor_variable(xs[0])
    from pytensor.tensor._softmax import logaddexp_of

    return logaddexp_of(xs)


# -- reductions ------------------------------------------------------------------------------
def _sum_dtype(in_dtype: str) -> str:
    if in_dtype in ("bool", "int8", "int16", "int32"):
        return "int64"
    if in_dtype in ("uint8", "uint16", "uint32"):
        return "uint64"
    return in_dtype


class Sum(CAReduce):
    """Sum over ``axis``; small integer and bool inputs sum to int64 (uint64 for unsigned)."""

    __props__ = ("axis", "dtype", "acc_dtype")

    def __init__(
        self, axis: Any = None, dtype: str | None = None, acc_dtype: str | None = None
    ) -> None:
        super().__init__(ps.add, axis=axis, dtype=dtype, acc_dtype=acc_dtype)

    def _default_dtype(self, in_dtype: str) -> str:
        return _sum_dtype(in_dtype)


class Prod(CAReduce):
    """Product over ``axis``; small integer and bool inputs multiply in int64 (uint64 for unsigned)."""

    __props__ = ("axis", "dtype", "acc_dtype", "no_zeros_in_input")

    def __init__(
        self,
        axis: Any = None,
        dtype: str | None = None,
        acc_dtype: str | None = None,
        no_zeros_in_input: bool = False,
    ) -> None:
        super().__init__(ps.mul, axis=axis, dtype=dtype, acc_dtype=acc_dtype)
        self.no_zeros_in_input = no_zeros_in_input

    def _default_dtype(self, in_dtype: str) -> str:
        return _sum_dtype(in_dtype)


class Max(CAReduce):
    """Maximum over ``axis`` (NaN if any element is NaN)."""

    __props__ = ("axis",)

    def __init__(self, axis: Any = None) -> None:
        super().__init__(ps.scalar_maximum, axis=axis)


class Min(CAReduce):
    """Minimum over ``axis`` (NaN if any element is NaN)."""

    __props__ = ("axis",)

    def __init__(self, axis: Any = None) -> None:
        super().__init__(ps.scalar_minimum, axis=axis)


class All(CAReduce):
    """Whether all elements along ``axis`` are true."""

    __props__ = ("axis",)

    def __init__(self, axis: Any = None) -> None:
        super().__init__(ps.and_, axis=axis)

    def _default_dtype(self, in_dtype: str) -> str:
        return "bool"

    def perform(self, node: Any, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = np.asarray(np.all(inputs[0], axis=self.axis))


class Any(CAReduce):  # noqa: F811 (PyTensor's name shadows typing.Any only at run time)
    """Whether any element along ``axis`` is true."""

    __props__ = ("axis",)

    def __init__(self, axis: Any = None) -> None:
        super().__init__(ps.or_, axis=axis)

    def _default_dtype(self, in_dtype: str) -> str:
        return "bool"

    def perform(self, node: Any, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = np.asarray(np.any(inputs[0], axis=self.axis))


def _axes(opname: str, x: Any, axis: Any) -> tuple[int, ...] | None:
    """``axis`` normalised for ``x`` (None stays None); errors name the Op and the input."""
    if axis is None:
        return None
    if isinstance(axis, list):
        axis = tuple(axis)
    return _normalize_axis(opname, axis, x.type.ndim, what=f"input {x} (type {x.type})")


def _keep(x: Any, out: Any, axis: Any, keepdims: bool) -> Any:
    """``out`` (a reduction of ``x`` over ``axis``) with the reduced axes put back as length 1."""
    if not keepdims:
        return out
    axes = _normalize_axis("keepdims", axis, x.ndim)
    pattern: list[Any] = []
    k = 0
    for d in range(x.ndim):
        if d in axes:
            pattern.append("x")
        else:
            pattern.append(k)
            k += 1
    return out.dimshuffle(pattern)


def _reduce(op_cls: Any, opname: str, x: Any, axis: Any, keepdims: bool, **kwargs: Any) -> Any:
    x = as_tensor_variable(x)
    axes = _axes(opname, x, axis)
    return _keep(x, op_cls(axis=axes, **kwargs)(x), axes, keepdims)


def sum(
    input: Any,
    axis: Any = None,
    dtype: str | None = None,
    keepdims: bool = False,  # noqa: A001
    acc_dtype: str | None = None,
) -> Any:
    """Sum of the elements along ``axis`` (int, tuple or None for all), as ``numpy.sum``.

    Bool and small integers sum to int64 (uint64 for unsigned) unless ``dtype`` says otherwise.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.sum(np.ones((2, 3), dtype="int8"), axis=-1).eval()
    array([3, 3])
    """
    return _reduce(Sum, "Sum", input, axis, keepdims, dtype=dtype, acc_dtype=acc_dtype)


def prod(
    input: Any,
    axis: Any = None,
    dtype: str | None = None,
    keepdims: bool = False,
    acc_dtype: str | None = None,
    no_zeros_in_input: bool = False,
) -> Any:
    """Product of the elements along ``axis`` (None: all), as ``numpy.prod``."""
    return _reduce(
        Prod,
        "Prod",
        input,
        axis,
        keepdims,
        dtype=dtype,
        acc_dtype=acc_dtype,
        no_zeros_in_input=no_zeros_in_input,
    )


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Maximum along ``axis`` (None: all); NaN wins, and an empty axis is an error, as in NumPy."""
    return _reduce(Max, "Max", x, axis, keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Minimum along ``axis`` (None: all); NaN wins, and an empty axis is an error, as in NumPy."""
    return _reduce(Min, "Min", x, axis, keepdims)


def all(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Whether all elements along ``axis`` are true."""
    return _reduce(All, "All", x, axis, keepdims)


def any(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Whether any element along ``axis`` is true."""
    return _reduce(Any, "Any", x, axis, keepdims)


from pytensor.tensor._dot import Dot, Matmul, _dot, _matmul, dense_dot, dot, matmul, outer  # noqa: E402,F401
from pytensor.tensor._elemwise_ofg import ElemwiseOpFromGraph  # noqa: E402,F401
from pytensor.tensor._products import (  # noqa: E402
    batched_dot,
    batched_tensordot,
    inner,
    matvec,
    tensordot,
    vecdot,
    vecmat,
)
from pytensor.tensor._reduce import (  # noqa: E402
    Argmax,
    argmax,
    argmin,
    logsumexp,
    max_and_argmax,
    mean,
    ptp,
    std,
    var,
)
from pytensor.tensor.einsum import einsum  # noqa: E402
from pytensor.tensor.pad import pad  # noqa: E402
from pytensor.tensor.special import betaln, logit  # noqa: E402

__all__.append("ElemwiseOpFromGraph")
