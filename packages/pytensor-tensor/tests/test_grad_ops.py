"""Gradients of every Op of pytensor.scalar and pytensor.tensor (issue 5, section 4).

Every Op class defined under ``pytensor.scalar`` or ``pytensor.tensor`` must
be covered by a case of ``GRAD_CASES`` (elementwise, special functions,
reductions, products; this file) or ``STRUCTURAL_CASES`` (shape, construction,
joins, sort, indexing; ``_grad_cases_structural.py``): either a check of its
pullback (``verify_grad``) and of its pushforward against finite differences,
or an entry saying why it has no gradient test. See ``_grad_case.py`` for the
format.
"""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np
import pytest
from _grad_case import GradCase

import pytensor.scalar as ps
import pytensor.scalar.basic as psb
import pytensor.scalar.math as psm
import pytensor.tensor as pt
from pytensor.gradient import verify_grad, verify_pushforward
from pytensor.graph.op import Op
from pytensor.graph.traversal import io_toposort
from pytensor.scalar._elementary import _Variadic
from pytensor.tensor._softmax import LogAddExp, LogSumExp
from pytensor.tensor.elemwise import CAReduce, DimShuffle, Elemwise
from pytensor.tensor.math import All, Any, Argmax, Dot, Matmul, Max, Min, Prod, Sum
from pytensor.tensor.special import beta, betaln, factorial, logit, poch


def _contributed_cases() -> list[GradCase]:
    """Cases from every ``_grad_cases_*.py`` beside this file (``CASES`` or ``STRUCTURAL_CASES``)."""
    import pathlib

    found: list[GradCase] = []
    for path in sorted(pathlib.Path(__file__).parent.glob("_grad_cases_*.py")):
        module = importlib.import_module(path.stem)
        found.extend(getattr(module, "CASES", None) or module.STRUCTURAL_CASES)
    return found


STRUCTURAL_CASES = _contributed_cases()


def _v(*values: float) -> np.ndarray:
    return np.array(values, dtype="float64")


def _m(rows: list[list[float]]) -> np.ndarray:
    return np.array(rows, dtype="float64")


X3 = _v(0.3, -0.7, 1.4)
POS3 = _v(0.4, 1.3, 2.6)
UNIT3 = _v(0.2, -0.55, 0.8)  # inside (-1, 1)
PROB3 = _v(0.15, 0.45, 0.8)  # inside (0, 1)
NEG3 = _v(-0.2, -0.9, -3.1)
OFF_GRID3 = _v(0.3, -1.2, 2.65)  # away from integers and half-integers


def _unary(name: str, op_cls: type, fn: object, point: np.ndarray = X3, **kw: object) -> GradCase:
    return GradCase(name, (op_cls, Elemwise), fn, (point,), **kw)  # type: ignore[arg-type]


# -- elementary scalar Ops, applied elementwise ---------------------------------------------
ELEMENTARY_UNARY = [
    _unary("neg", ps.Neg, pt.neg),
    _unary("abs", ps.Abs, pt.abs),
    _unary("sign", ps.Sign, pt.sign),
    _unary("reciprocal", ps.Reciprocal, pt.reciprocal),
    _unary("exp", ps.Exp, pt.exp),
    _unary("exp2", ps.Exp2, pt.exp2),
    _unary("expm1", ps.Expm1, pt.expm1),
    _unary("log", ps.Log, pt.log, POS3),
    _unary("log2", ps.Log2, pt.log2, POS3),
    _unary("log10", ps.Log10, pt.log10, POS3),
    _unary("log1p", ps.Log1p, pt.log1p, UNIT3),
    _unary("sqrt", ps.Sqrt, pt.sqrt, POS3),
    _unary("sqr", ps.Sqr, pt.sqr),
    _unary("cos", ps.Cos, pt.cos),
    _unary("sin", ps.Sin, pt.sin),
    _unary("tan", ps.Tan, pt.tan),
    _unary("arccos", ps.ArcCos, pt.arccos, UNIT3),
    _unary("arcsin", ps.ArcSin, pt.arcsin, UNIT3),
    _unary("arctan", ps.ArcTan, pt.arctan),
    _unary("cosh", ps.Cosh, pt.cosh),
    _unary("sinh", ps.Sinh, pt.sinh),
    _unary("tanh", ps.Tanh, pt.tanh),
    _unary("arccosh", ps.ArcCosh, pt.arccosh, POS3 + 1.0),
    _unary("arcsinh", ps.ArcSinh, pt.arcsinh),
    _unary("arctanh", ps.ArcTanh, pt.arctanh, UNIT3),
    _unary("deg2rad", ps.Deg2Rad, pt.deg2rad),
    _unary("rad2deg", ps.Rad2Deg, pt.rad2deg),
    _unary("floor", ps.Floor, pt.floor, OFF_GRID3),
    _unary("ceil", ps.Ceil, pt.ceil, OFF_GRID3),
    _unary("trunc", ps.Trunc, pt.trunc, OFF_GRID3),
    _unary("round_half_to_even", ps.RoundHalfToEven, pt.round, OFF_GRID3),
    _unary(
        "round_half_away_from_zero",
        ps.RoundHalfAwayFromZero,
        pt.round_half_away_from_zero,
        OFF_GRID3,
    ),
    _unary("identity", ps.Identity, pt.tensor_copy),
    _unary("real_of_real", ps.Real, pt.real),
    _unary("imag_of_real", ps.Imag, pt.imag),
    _unary("angle_of_real", ps.Angle, pt.angle),
    _unary("conj_of_real", ps.Conj, pt.conj),
    # float64 -> float32 -> float64 is the identity up to float32 rounding: a
    # larger step keeps the rounding error out of the finite differences.
    _unary("cast", ps.Cast, lambda x: pt.cast(pt.cast(x, "float32"), "float64") * 2, eps=1e-3),
]

COL = _m([[0.5], [-1.5]])  # broadcasts against (2, 3)
A23 = _m([[0.3, -0.7, 1.1], [2.0, -1.3, 0.6]])
B23 = _m([[1.2, 0.4, -0.9], [0.7, 1.6, -0.25]])
ELEMENTARY_NARY = [
    GradCase("add3", (ps.Add, _Variadic, Elemwise), lambda a, b, c: a + b + c, (A23, B23, COL)),
    GradCase("mul3", (ps.Mul, Elemwise), lambda a, b, c: a * b * c, (A23, B23, COL)),
    GradCase("sub_broadcast", (ps.Sub, Elemwise), pt.sub, (A23, COL)),
    GradCase("true_div", (ps.TrueDiv, Elemwise), pt.true_div, (A23, B23)),
    GradCase("int_div", (ps.IntDiv, Elemwise), pt.int_div, (_v(2.3, 5.7, -3.1), _v(1.1, 2.0, 1.3))),
    GradCase("mod", (ps.Mod, Elemwise), pt.mod, (_v(2.3, 5.7, -3.1), _v(1.1, 2.0, 1.3))),
    GradCase("pow", (ps.Pow, Elemwise), pt.pow, (POS3, X3)),
    GradCase("maximum", (ps.Maximum, Elemwise), pt.maximum, (A23, B23)),
    GradCase("minimum", (ps.Minimum, Elemwise), pt.minimum, (A23, B23)),
    GradCase("arctan2", (ps.ArcTan2, Elemwise), pt.arctan2, (A23, B23)),
    GradCase("hypot", (ps.Hypot, Elemwise), pt.hypot, (A23, B23)),
    GradCase(
        "clip",
        (ps.Clip, Elemwise),
        pt.clip,
        (_v(0.5, -2.0, 3.0, 0.1), _v(-1.0, -1.5, -1.0, -0.5), _v(1.0, 1.0, 2.0, 0.5)),
    ),
    GradCase(
        "switch",
        (ps.Switch, Elemwise),
        lambda a, b: pt.switch(np.array([True, False, True]), a * 2, b * 3),
        (X3, POS3),
    ),
    GradCase("second", (ps.Second, Elemwise), lambda a, b: pt.second(a, b) * a, (A23, COL)),
]


# -- special functions --------------------------------------------------------------------------
def _special(name: str, op_cls: type, fn: object, *points: np.ndarray, **kw: object) -> GradCase:
    return GradCase(name, (op_cls, Elemwise), fn, points, **kw)  # type: ignore[arg-type]


SPECIAL = [
    _special("erf", psm.Erf, pt.erf, X3),
    _special("erfc", psm.Erfc, pt.erfc, X3),
    _special("erfcx", psm.Erfcx, pt.erfcx, X3),
    _special("erfinv", psm.Erfinv, pt.erfinv, UNIT3),
    _special("erfcinv", psm.Erfcinv, pt.erfcinv, UNIT3 + 1.0),
    _special("owens_t", psm.Owens_t, pt.owens_t, X3, _v(0.5, -1.2, 2.0)),
    _special("gamma", psm.Gamma, pt.gamma, POS3),
    _special("gammaln", psm.GammaLn, pt.gammaln, POS3),
    _special("psi", psm.Psi, pt.psi, POS3),
    _special("tri_gamma", psm.TriGamma, pt.tri_gamma, POS3),
    _special("polygamma", psm.PolyGamma, lambda x: pt.polygamma(3, x), POS3),
    _special("chi2sf", psm.Chi2SF, lambda x: pt.chi2sf(x, 3.0), POS3),
    _special("gammainc", psm.GammaInc, lambda x: pt.gammainc(2.5, x), POS3),
    _special("gammaincc", psm.GammaIncC, lambda x: pt.gammaincc(2.5, x), POS3),
    _special("gammaincinv", psm.GammaIncInv, lambda y: pt.gammaincinv(2.5, y), PROB3),
    _special("gammainccinv", psm.GammaIncCInv, lambda y: pt.gammainccinv(2.5, y), PROB3),
    _special("gammau", psm.GammaU, lambda x: pt.gammau(2.5, x), POS3),
    _special("gammal", psm.GammaL, lambda x: pt.gammal(2.5, x), POS3),
    _special("j0", psm.J0, pt.j0, X3),
    _special("j1", psm.J1, pt.j1, X3),
    _special("jv", psm.Jv, lambda x: pt.jv(1.5, x), POS3),
    _special("i0", psm.I0, pt.i0, X3),
    _special("i1", psm.I1, pt.i1, X3),
    _special("iv", psm.Iv, lambda x: pt.iv(1.5, x), POS3),
    _special("ive", psm.Ive, lambda x: pt.ive(1.5, x), _v(0.4, -1.3, 2.6)),
    _special("kv", psm.Kv, lambda x: pt.kv(1.5, x), POS3),
    _special("kve", psm.Kve, lambda x: pt.kve(1.5, x), POS3),
    _special("sigmoid", psm.Sigmoid, pt.sigmoid, X3),
    _special("softplus", psm.Softplus, pt.softplus, _v(-30.0, 0.3, 25.0)),
    _special("log1mexp", psm.Log1mexp, pt.log1mexp, NEG3),
    _special("xlogx", psm.XlogX, pt.xlogx, POS3),
    _special("xlogy0", psm.XlogY0, pt.xlogy0, X3, POS3),
    _special("betainc", psm.BetaInc, lambda x: pt.betainc(2.0, 3.5, x), PROB3),
    _special("betaincinv", psm.BetaIncInv, lambda y: pt.betaincinv(2.0, 3.5, y), PROB3),
    _special("hyp2f1", psm.Hyp2F1, lambda z: pt.hyp2f1(0.5, 1.5, 2.5, z), UNIT3),
]


# -- Composite ----------------------------------------------------------------------------------
def _composite_single(a: object, b: object) -> object:
    x, y = ps.float64("x"), ps.float64("y")
    inner = ps.Composite([x, y], [ps.exp(x) * y + ps.sin(y) / (x * x + 1.0)])
    return Elemwise(inner)(a, b)


def _composite_multi(a: object, b: object) -> object:
    x, y = ps.float64("x"), ps.float64("y")
    shared = ps.tanh(x * y)
    inner = ps.Composite([x, y], [shared + ps.log(ps.abs(y)), shared * x, ps.gt(x, y)])
    first, second, mask = Elemwise(inner)(a, b)
    return first * 2.0 - second * pt.cast(mask, "float64")


COMPOSITE = [
    GradCase("composite", (ps.Composite, Elemwise), _composite_single, (A23, COL)),
    GradCase(
        "composite_multi_output", (ps.Composite, ps.GT, Elemwise), _composite_multi, (A23, B23)
    ),
]


# -- reductions, statistics and products ---------------------------------------------------------
M34 = _m([[0.3, -1.2, 2.2, 0.9], [1.7, 0.4, -0.6, 1.05], [-2.1, 0.8, 1.3, -0.35]])
M34_POS = np.abs(M34) + 0.2
REDUCTIONS = [
    GradCase("sum_axis0", (Sum,), lambda x: pt.sum(x, axis=0), (M34,)),
    GradCase("sum_all_keepdims", (Sum,), lambda x: pt.sum(x, keepdims=True), (M34,)),
    GradCase("prod_axis1", (Prod,), lambda x: pt.prod(x, axis=1), (M34,)),
    GradCase(
        "prod_no_zeros", (Prod,), lambda x: pt.prod(x, axis=0, no_zeros_in_input=True), (M34,)
    ),
    GradCase("max_axis1", (Max,), lambda x: pt.max(x, axis=1), (M34,)),
    GradCase("min_axis0", (Min,), lambda x: pt.min(x, axis=0), (M34,)),
    GradCase("max_all", (Max,), pt.max, (M34,)),
    GradCase("careduce_add", (CAReduce,), lambda x: CAReduce(ps.add, axis=(0, 1))(x), (M34,)),
    GradCase("careduce_maximum", (CAReduce,), lambda x: CAReduce(ps.maximum, axis=(1,))(x), (M34,)),
    GradCase("mean", (Sum, Elemwise), lambda x: pt.mean(x, axis=1), (M34,)),
    GradCase("var_ddof1", (Sum, Elemwise), lambda x: pt.var(x, axis=0, ddof=1), (M34,)),
    GradCase("std", (Sum, Elemwise), lambda x: pt.std(x, axis=1), (M34,)),
    GradCase("logsumexp", (LogSumExp,), lambda x: pt.logsumexp(x, axis=1), (M34,)),
    GradCase("ptp", (Max, Min), lambda x: pt.ptp(x, axis=0), (M34,)),
    GradCase("logaddexp", (LogAddExp,), pt.logaddexp, (A23, B23)),
    GradCase("largest", (ps.Switch, ps.GT), pt.largest, (A23, B23, B23 * 0.5 + 0.1)),
    GradCase("smallest", (ps.Switch, ps.LT), pt.smallest, (A23, B23)),
    GradCase("nan_to_num", (ps.Switch, ps.IsNan), pt.nan_to_num, (X3,)),
    GradCase("logit", (Elemwise,), logit, (PROB3,)),
    GradCase("betaln", (Elemwise,), betaln, (POS3, POS3[::-1])),
    GradCase("beta", (Elemwise,), beta, (POS3, POS3[::-1])),
    GradCase("poch", (Elemwise,), poch, (POS3, POS3[::-1])),
    GradCase("factorial", (Elemwise,), factorial, (POS3,)),
]

V3 = _v(0.5, -1.0, 2.0)
V4 = _v(1.5, 0.2, -0.7, 1.1)
PRODUCTS = [
    GradCase("dot_vv", (Dot,), pt.dot, (V4, V4[::-1])),
    GradCase("dot_mv", (Dot,), pt.dot, (M34, V4)),
    GradCase("dot_vm", (Dot,), pt.dot, (V3, M34)),
    GradCase("dot_mm", (Dot, DimShuffle), lambda a, b: pt.dot(a, b.T), (M34, M34_POS)),
    GradCase(
        "matmul_batched",
        (Matmul,),
        pt.matmul,
        (np.stack([M34, M34_POS]), np.stack([M34.T, M34_POS.T[:, ::-1]])),
    ),
    GradCase(
        "matmul_broadcast_batch",
        (Matmul,),
        pt.matmul,
        (M34[None], np.stack([M34.T, M34_POS.T])),
    ),
    GradCase("matmul_vector", (Matmul, DimShuffle), pt.matmul, (V3, M34)),
    GradCase("outer", (Elemwise, DimShuffle), pt.outer, (V3, V4)),
    GradCase(
        "dimshuffle",
        (DimShuffle,),
        lambda x: x.dimshuffle(1, "x", 0) * np.arange(1.0, 13.0).reshape(4, 1, 3),
        (M34,),
    ),
    GradCase(
        "dimshuffle_drop",
        (DimShuffle,),
        lambda x: x.dimshuffle(1) * 3.0,
        (_m([[0.5, -1.5, 2.0]]),),
    ),
    GradCase(
        "tensor_scalar_roundtrip",
        (pt.basic.TensorFromScalar, pt.basic.ScalarFromTensor),
        lambda x: pt.tensor_from_scalar(pt.scalar_from_tensor(x) * 3.0),
        (np.array(0.7),),
    ),
]


# -- Ops without a gradient test ------------------------------------------------------------------
def _no_test(op_classes: tuple[type, ...], reason: str) -> GradCase:
    return GradCase(
        "no_test_" + "_".join(c.__name__ for c in op_classes), op_classes, reason=reason
    )


NO_TEST = [
    _no_test(
        (ps.LT, ps.GT, ps.LE, ps.GE, ps.EQ, ps.NEQ, ps.IsNan, ps.IsInf, ps.LogicalNot),
        "discrete output: a boolean (the gradient through it is zero; see test_grad_elemwise)",
    ),
    _no_test(
        (ps.AND, ps.OR, ps.XOR, ps.Invert),
        "discrete output: bitwise and logical Ops take and give integers or booleans",
    ),
    _no_test((All, Any), "discrete output: a boolean reduction"),
    _no_test((Argmax,), "discrete output: an int64 index (its pullback is zero)"),
    _no_test(
        (psb.ScalarOp, psb.UnaryScalarOp, psb.BinaryScalarOp, _Variadic),
        "abstract: base classes of the scalar Ops",
    ),
    _no_test(
        (psm._ArrayFunctionOp, psm._Unary, psm._Binary),
        "abstract: base classes of the special-function Ops",
    ),
]

GRAD_CASES: list[GradCase] = [
    *ELEMENTARY_UNARY,
    *ELEMENTARY_NARY,
    *SPECIAL,
    *COMPOSITE,
    *REDUCTIONS,
    *PRODUCTS,
    *NO_TEST,
]
ALL_CASES: list[GradCase] = [*GRAD_CASES, *STRUCTURAL_CASES]
DIFFERENTIABLE = [c for c in ALL_CASES if c.differentiable]


def _all_op_classes() -> set[type]:
    """Every Op class defined in a module of pytensor.scalar or pytensor.tensor."""
    import pytensor.scalar
    import pytensor.tensor

    for pkg in (pytensor.scalar, pytensor.tensor):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            importlib.import_module(info.name)
    found: set[type] = set()
    stack = [Op]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    return {c for c in found if c.__module__.startswith(("pytensor.scalar", "pytensor.tensor"))}


def _op_classes_in(outputs: list[object]) -> set[type]:
    """Op classes applied in the graph, including the scalar Ops inside Elemwise and Composite."""
    found: set[type] = set()
    for node in io_toposort([], outputs):  # type: ignore[arg-type]
        found.add(type(node.op))
        scalar_op = getattr(node.op, "scalar_op", None)
        if scalar_op is None:
            continue
        found.add(type(scalar_op))
        inner = getattr(scalar_op, "fgraph", None)
        if inner is not None:
            found.update(type(n.op) for n in inner.apply_nodes)
    return found


def _mro_closure(classes: set[type]) -> set[type]:
    return {base for c in classes for base in c.__mro__}


def test_case_names_are_unique():
    names = [c.name for c in ALL_CASES]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_every_op_class_has_a_gradient_case():
    covered = {cls for case in ALL_CASES for cls in case.op_classes}
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in _all_op_classes() - covered)
    assert not missing, (
        "These Op classes have no gradient case (add a GradCase, or an entry saying why "
        f"there is no gradient test): {missing}"
    )


def _build(case: GradCase) -> tuple[list[object], object]:
    from pytensor.tensor.type import TensorType

    inputs = [
        TensorType(p.dtype, shape=tuple(1 if s == 1 else None for s in p.shape))()
        for p in case.points
    ]
    return inputs, case.builder(*inputs)  # type: ignore[misc]


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=lambda c: c.name)
def test_case_applies_its_ops(case: GradCase):
    _, out = _build(case)
    present = _mro_closure(_op_classes_in([out]))
    absent = [c.__name__ for c in case.op_classes if c not in present]
    assert not absent, f"case {case.name} does not apply {absent}"


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=lambda c: c.name)
def test_pullback_against_finite_differences(case: GradCase):
    verify_grad(
        case.builder,  # type: ignore[arg-type]
        list(case.points),
        abs_tol=case.abs_tol,
        rel_tol=case.rel_tol,
        eps=case.eps,
    )


@pytest.mark.parametrize("case", [c for c in DIFFERENTIABLE if c.pushforward], ids=lambda c: c.name)
def test_pushforward_against_finite_differences(case: GradCase):
    verify_pushforward(
        case.builder,  # type: ignore[arg-type]
        list(case.points),
        abs_tol=case.abs_tol,
        rel_tol=case.rel_tol,
        eps=case.eps,
    )


def test_the_op_collector_finds_ops_of_every_kind():
    found = _all_op_classes()
    for cls in (ps.Exp, psm.Hyp2F1, ps.Composite, Elemwise, CAReduce, Sum, Argmax, Dot):
        assert cls in found


def _discrete_claims() -> list[tuple[type, object]]:
    f, i, b = pt.dvector(), pt.bvector(), pt.vector(dtype="bool")
    return [
        *[(type(op.owner.op.scalar_op), op) for op in (f < f, f > f, f <= f, f >= f)],
        *[(type(op.owner.op.scalar_op), op) for op in (pt.eq(f, f), pt.neq(f, f))],
        *[(type(op.owner.op.scalar_op), op) for op in (pt.isnan(f), pt.isinf(f))],
        (ps.LogicalNot, pt.logical_not(f)),
        *[(type(op.owner.op.scalar_op), op) for op in (i & i, i | i, i ^ i, ~i)],
        (All, pt.all(b)),
        (Any, pt.any(b)),
        (Argmax, pt.argmax(f)),
    ]


def test_ops_said_to_have_a_discrete_output_do():
    claimed = {
        cls
        for case in NO_TEST
        if case.reason is not None and case.reason.startswith("discrete output")
        for cls in case.op_classes
    }
    checked = dict(_discrete_claims())
    assert claimed <= set(checked), sorted(c.__name__ for c in claimed - set(checked))
    for cls, out in checked.items():
        assert type(out.owner.op) is cls or type(out.owner.op.scalar_op) is cls
        assert out.dtype.startswith(("int", "uint", "bool")), (cls.__name__, out.dtype)
