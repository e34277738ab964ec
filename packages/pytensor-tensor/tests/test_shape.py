"""Tests of pytensor.tensor.shape: Shape, Shape_i, SpecifyShape, Reshape and the padding helpers."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.exceptions import AxisError
from test_shape_consistency import A, Case, I, Static, run_case, shaped_op_classes

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.tensor._type_other import NoneConst, NoneTypeT
from pytensor.tensor.basic import get_scalar_constant_value
from pytensor.tensor.exceptions import NotScalarConstantError
from pytensor.tensor.shape import Reshape, Shape, Shape_i, SpecifyShape, shape_i, shape_tuple
from pytensor.tensor.type import TensorType

DTYPES = ["float64", "float32", "int8", "uint16", "bool", "complex128"]


def _value(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    return np.asarray(np.arange(int(np.prod(shape))).reshape(shape) % 3, dtype=dtype)


# ---------------------------------------------------------------------------
# Shape / Shape_i / shape_tuple
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (1, 3), (2, 0, 1)])
def test_shape_value_and_type(dtype: str, shape: tuple[int, ...]) -> None:
    x = pt.tensor("x", dtype=dtype, shape=(None,) * len(shape))
    s = pt.shape(x)
    assert isinstance(s.owner.op, Shape)
    assert s.type == TensorType("int64", (len(shape),))
    out = function([x], s)(_value(shape, dtype))
    np.testing.assert_array_equal(out, np.array(shape, dtype="int64"))
    assert out.dtype == np.int64


def test_shape_method_is_the_shape_op() -> None:
    x = pt.matrix("x")
    assert isinstance(x.shape.owner.op, Shape)
    np.testing.assert_array_equal(x.shape.eval({x: np.zeros((2, 5))}), [2, 5])


@pytest.mark.parametrize("i", [0, 1, 2])
def test_shape_i_value(i: int) -> None:
    x = pt.tensor3("x")
    out = Shape_i(i)(x)
    assert out.type == TensorType("int64", ())
    assert int(out.eval({x: np.zeros((4, 0, 1))})) == (4, 0, 1)[i]


def test_shape_i_static_length_is_a_constant_value() -> None:
    x = pt.matrix("x", shape=(3, None))
    assert int(get_scalar_constant_value(shape_i(x, 0))) == 3
    with pytest.raises(NotScalarConstantError):
        get_scalar_constant_value(shape_i(x, 1))
    # SpecifyShape refines the static shape, so the length becomes known.
    y = pt.specify_shape(x, (None, 7))
    assert int(get_scalar_constant_value(shape_i(y, 1))) == 7


def test_indexing_a_shape_with_an_int_gives_shape_i() -> None:
    x = pt.tensor3("x", shape=(3, None, 1))
    first, last = x.shape[0], x.shape[-1]
    assert isinstance(first.owner.op, Shape_i) and first.owner.op.i == 0
    assert last.owner.op == Shape_i(2)
    assert int(get_scalar_constant_value(first)) == 3
    assert int(get_scalar_constant_value(last)) == 1
    with pytest.raises(NotScalarConstantError):
        get_scalar_constant_value(x.shape[1])
    # Unpacking gives one length per dimension; a slice is still a Subtensor.
    assert [d.owner.op for d in x.shape] == [Shape_i(0), Shape_i(1), Shape_i(2)]
    np.testing.assert_array_equal(x.shape[1:].eval({x: np.zeros((3, 5, 1))}), [5, 1])
    assert pt.alloc(0.0, *x.shape).type.shape == (3, None, 1)
    with pytest.raises(IndexError, match="index 3 is out of range for the shape of x"):
        x.shape[3]


def test_shape_i_of_constant_is_constant() -> None:
    c = pt.constant(np.zeros((2, 5)))
    assert int(get_scalar_constant_value(shape_i(c, 1))) == 5


def test_shape_i_bad_dimension_names_the_op() -> None:
    with pytest.raises(ValueError, match=r"Shape_i\{2\}.*has no dimension 2"):
        Shape_i(2)(pt.matrix("x"))
    with pytest.raises(TypeError, match="Shape_i"):
        Shape_i(-1)


def test_shape_tuple_mixes_static_ints_and_symbolic_lengths() -> None:
    x = pt.tensor3("x", shape=(2, None, 1))
    st = shape_tuple(x)
    assert st[0] == 2 and st[2] == 1
    assert isinstance(st[1].owner.op, Shape_i) and st[1].owner.op.i == 1
    assert int(st[1].eval({x: np.zeros((2, 6, 1))})) == 6
    assert shape_tuple(pt.scalar()) == ()


def test_shape_ops_are_values() -> None:
    assert Shape_i(1) == Shape_i(1) and hash(Shape_i(1)) == hash(Shape_i(1))
    assert Shape_i(1) != Shape_i(0)
    assert Reshape(2) == Reshape(2) and Reshape(2) != Reshape(3)


# ---------------------------------------------------------------------------
# SpecifyShape
# ---------------------------------------------------------------------------
def test_specify_shape_with_none_entries() -> None:
    x = pt.matrix("x")
    y = pt.specify_shape(x, (None, 3))
    assert isinstance(y.owner.op, SpecifyShape)
    assert y.type.shape == (None, 3)
    assert y.owner.inputs[1] is NoneConst and isinstance(y.owner.inputs[1].type, NoneTypeT)
    val = np.ones((5, 3))
    np.testing.assert_array_equal(function([x], y)(val), val)


@pytest.mark.parametrize("dtype", DTYPES)
def test_specify_shape_keeps_dtype_and_values(dtype: str) -> None:
    x = pt.tensor("x", dtype=dtype, shape=(None, None))
    y = pt.specify_shape(x, (2, 0))
    assert y.type == TensorType(dtype, (2, 0))
    out = function([x], y)(np.zeros((2, 0), dtype=dtype))
    assert out.shape == (2, 0) and out.dtype == np.dtype(dtype)


def test_specify_shape_accepts_int_for_vector_and_symbolic_entries() -> None:
    v = pt.vector("v")
    assert pt.specify_shape(v, 4).type.shape == (4,)
    n = pt.lscalar("n")
    y = pt.specify_shape(pt.matrix("x"), (n, 2))
    assert y.type.shape == (None, 2)
    f = function([y.owner.inputs[0], n], y)
    assert f(np.zeros((3, 2)), 3).shape == (3, 2)
    with pytest.raises(
        AssertionError, match=r"SpecifyShape: input x has shape \(3, 2\), expected shape \(4, 2\)"
    ):
        f(np.zeros((3, 2)), 4)


def test_specify_shape_from_a_vector_of_static_length() -> None:
    x = pt.matrix("x")
    y = pt.specify_shape(x, pt.as_tensor([2, 3]))
    assert y.type.shape == (2, 3)
    s = pt.lvector("s", shape=(2,))
    z = pt.specify_shape(x, pt.stack([s.sum(), 5]))
    assert z.type.shape == (None, 5)
    with pytest.raises(ValueError, match="length of the shape vector"):
        pt.specify_shape(x, pt.lvector("w"))


def test_specify_shape_with_nothing_new_returns_the_input() -> None:
    x = pt.matrix("x", shape=(2, None))
    assert pt.specify_shape(x, (2, None)) is x
    assert pt.specify_shape(x, (None, None)) is x
    assert pt.specify_shape(x, [NoneConst, None]) is x


def test_specify_shape_contradicting_static_shape_raises_at_build_time() -> None:
    x = pt.matrix("x", shape=(2, 3))
    with pytest.raises(
        ValueError, match=r"SpecifyShape: input x has static shape \(2, 3\).*\(2, 4\)"
    ):
        pt.specify_shape(x, (2, 4))
    with pytest.raises(ValueError, match="SpecifyShape.*negative"):
        pt.specify_shape(pt.vector("v"), (-1,))


def test_specify_shape_mismatch_raises_at_run_time() -> None:
    x = pt.matrix("x")
    f = function([x], pt.specify_shape(x, (None, 3)))
    with pytest.raises(
        AssertionError, match=r"SpecifyShape: input x has shape \(2, 4\), expected shape \(\?, 3\)"
    ):
        f(np.zeros((2, 4)))


def test_specify_shape_bad_entries() -> None:
    x = pt.matrix("x")
    with pytest.raises(ValueError, match="SpecifyShape: input x has 2 dimensions.*3 entries"):
        SpecifyShape()(x, 1, 2, 3)
    with pytest.raises(TypeError, match="SpecifyShape: shape entry 0 must be a scalar integer"):
        pt.specify_shape(x, (1.5, None))
    with pytest.raises(TypeError, match="SpecifyShape: shape entry 1"):
        pt.specify_shape(x, (None, pt.dscalar("d")))


def test_convert_variable_uses_specify_shape() -> None:
    x = pt.matrix("x")
    target = TensorType("float64", (2, None))
    y = target.convert_variable(x)
    assert isinstance(y.owner.op, SpecifyShape)
    assert y.type == target


def test_specify_broadcastable() -> None:
    x = pt.tensor3("x")
    y = pt.specify_broadcastable(x, 0, -1)
    assert y.type.shape == (1, None, 1)
    assert y.type.broadcastable == (True, False, True)
    f = function([x], y)
    assert f(np.zeros((1, 4, 1))).shape == (1, 4, 1)
    with pytest.raises(AssertionError, match="SpecifyShape"):
        f(np.zeros((2, 4, 1)))
    assert pt.specify_broadcastable(x) is x
    with pytest.raises(AxisError, match="specify_broadcastable: axis 3"):
        pt.specify_broadcastable(x, 3)


def test_specify_broadcastable_enables_broadcasting() -> None:
    x, y = pt.matrix("x"), pt.matrix("y")
    z = pt.specify_broadcastable(x, 0) + y
    out = function([x, y], z)(np.ones((1, 3)), np.ones((2, 3)))
    np.testing.assert_array_equal(out, np.full((2, 3), 2.0))


# ---------------------------------------------------------------------------
# Reshape
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    ("shape", "newshape"),
    [
        ((2, 3), (3, 2)),
        ((2, 3), (-1,)),
        ((6,), (1, -1, 2)),
        ((1, 1), ()),
        ((), (1, 1)),
        ((0, 3), (-1, 3)),
        ((2, 0), (0, 5)),
    ],
)
def test_reshape_matches_numpy(
    dtype: str, shape: tuple[int, ...], newshape: tuple[int, ...]
) -> None:
    x = pt.tensor("x", dtype=dtype, shape=(None,) * len(shape))
    y = pt.reshape(x, newshape)
    val = _value(shape, dtype)
    expected = val.reshape(newshape)
    out = function([x], y)(val)
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == np.dtype(dtype) and y.type.dtype == dtype


def test_reshape_static_shape_infers_minus_one() -> None:
    x = pt.tensor3("x", shape=(2, 3, 4))
    assert pt.reshape(x, (-1, 4)).type.shape == (6, 4)
    assert pt.reshape(x, (4, -1, 2)).type.shape == (4, 3, 2)
    assert x.reshape((24,)).type.shape == (24,)
    n = pt.lscalar("n")
    # One unknown entry with a known size: it can only be size / (product of the others).
    assert pt.reshape(x, (n, 6)).type.shape == (4, 6)
    assert pt.reshape(pt.matrix("m"), (n, -1)).type.shape == (None, None)


def test_reshape_static_shape_cancels_the_inputs_own_lengths() -> None:
    x = pt.tensor3("x", shape=(None, 3, 4))
    y = pt.reshape(x, (shape_tuple(x)[0], -1))
    assert y.type.shape == (None, 12)
    assert pt.flatten(x, 2).type.shape == (None, 12)
    assert pt.flatten(pt.tensor3("t", shape=(None, 1, 1)), 2).type.shape == (None, 1)


def test_reshape_with_symbolic_entries() -> None:
    x = pt.matrix("x")
    n = pt.lscalar("n")
    y = pt.reshape(x, (n, -1))
    f = function([x, n], y)
    assert f(np.zeros((4, 3)), 2).shape == (2, 6)
    with pytest.raises(ValueError, match=r"Reshape\{2\}: cannot reshape"):
        f(np.zeros((4, 3)), -1)  # two -1 entries
    # A symbolic entry may itself be -1 at run time.
    g = function([x, n], pt.reshape(x, (n, 3)))
    assert g(np.zeros((4, 3)), -1).shape == (4, 3)


def test_reshape_with_a_vector_shape() -> None:
    x = pt.matrix("x")
    s = pt.lvector("s")
    with pytest.raises(ValueError, match="pass ndim"):
        pt.reshape(x, s)
    y = pt.reshape(x, s, ndim=3)
    assert y.type.ndim == 3
    f = function([x, s], y)
    assert f(np.zeros((2, 6)), np.array([3, -1, 2])).shape == (3, 2, 2)
    with pytest.raises(
        ValueError, match=r"Reshape\{3\}: the shape input has 2 entries, expected 3"
    ):
        f(np.zeros((2, 6)), np.array([3, 4]))
    # reshape to another variable's shape
    other = pt.tensor3("o")
    z = pt.reshape(x, other.shape)
    assert z.type.ndim == 3
    np.testing.assert_array_equal(
        function([x, other], z)(np.arange(6.0).reshape(2, 3), np.zeros((3, 1, 2))),
        np.arange(6.0).reshape(3, 1, 2),
    )


def test_reshape_incompatible_static_size_raises_at_build_time() -> None:
    x = pt.matrix("x", shape=(2, 3))
    with pytest.raises(
        ValueError,
        match=r"Reshape\{2\}: cannot reshape input x of static shape \(2, 3\) into shape \(4, 2\)",
    ):
        pt.reshape(x, (4, 2))
    with pytest.raises(ValueError, match=r"Reshape\{2\}.*\(4, -1\)"):
        pt.reshape(x, (4, -1))
    with pytest.raises(ValueError, match=r"Reshape\{2\}.*\(4, \?\)"):
        pt.reshape(x, (4, pt.lscalar("n")))
    with pytest.raises(ValueError, match="more than one -1"):
        pt.reshape(x, (-1, -1))
    with pytest.raises(ValueError, match="negative"):
        pt.reshape(x, (-2, -3))
    with pytest.raises(ValueError, match=r"Reshape\{2\}"):
        pt.reshape(pt.matrix("e", shape=(0, 3)), (0, -1))


def test_reshape_incompatible_size_raises_at_run_time() -> None:
    x = pt.matrix("x")
    f = function([x], pt.reshape(x, (4, -1)))
    assert f(np.zeros((2, 6))).shape == (4, 3)
    with pytest.raises(
        ValueError,
        match=r"Reshape\{2\}: cannot reshape input x of shape \(2, 3\).*into shape \(4, -1\)",
    ):
        f(np.zeros((2, 3)))


def test_reshape_bad_shape_input() -> None:
    x = pt.matrix("x")
    with pytest.raises(TypeError, match=r"Reshape\{1\}: the shape input must be an integer vector"):
        Reshape(1)(x, pt.dvector("d"))
    with pytest.raises(ValueError, match=r"Reshape\{3\}: the shape input .* has 2 entries"):
        Reshape(3)(x, pt.as_tensor([1, 2]))
    with pytest.raises(TypeError, match="Reshape: ndim"):
        Reshape(-1)


def test_reshape_accepts_an_int() -> None:
    x = pt.matrix("x", shape=(2, 3))
    assert pt.reshape(x, 6).type.shape == (6,)


# ---------------------------------------------------------------------------
# Padding
# ---------------------------------------------------------------------------
def test_shape_padleft_and_padright() -> None:
    v = pt.vector("v", shape=(3,))
    assert pt.shape_padleft(v).type.shape == (1, 3)
    assert pt.shape_padleft(v, 0) is v
    assert pt.shape_padright(v, 2).type.shape == (3, 1, 1)
    out = pt.shape_padright(v, 2).eval({v: np.arange(3.0)})
    np.testing.assert_array_equal(out, np.arange(3.0)[:, None, None])


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_shape_padaxis_matches_expand_dims(axis: int) -> None:
    m = pt.matrix("m", shape=(2, 3))
    val = np.arange(6.0).reshape(2, 3)
    out = pt.shape_padaxis(m, axis)
    assert out.type.shape == np.expand_dims(val, axis).shape
    np.testing.assert_array_equal(out.eval({m: val}), np.expand_dims(val, axis))


def test_shape_padaxis_out_of_range() -> None:
    with pytest.raises(AxisError, match="shape_padaxis: axis 3"):
        pt.shape_padaxis(pt.matrix("m"), 3)
    with pytest.raises(AxisError, match="shape_padaxis: axis -4"):
        pt.shape_padaxis(pt.matrix("m"), -4)


# ---------------------------------------------------------------------------
# One shape definition per Op: static == symbolic == computed
# ---------------------------------------------------------------------------
SHAPE_CASES: dict[str, list[Case]] = {
    "Shape": [
        Case("3d-empty-len1", pt.shape, [A(2, 0, 1)]),
        Case("0d", pt.shape, [A()]),
    ],
    "Shape_i": [
        Case("empty", lambda x: shape_i(x, 1), [A(2, 0)]),
        Case("len1", lambda x: shape_i(x, 0), [A(1, 4)]),
    ],
    "SpecifyShape": [
        Case(
            "none-entry",
            lambda x: pt.specify_shape(x, (None, 3)),
            [A(2, 3)],
            variants=("ones", "unknown"),
        ),
        Case("symbolic-entry", lambda x, n: pt.specify_shape(x, (n, None)), [A(0, 1), I(0)]),
        Case(
            "broadcastable",
            lambda x: pt.specify_broadcastable(x, 0),
            [A(1, 2)],
            variants=("unknown",),
        ),
    ],
    "Reshape": [
        Case("minus-one", lambda x: pt.reshape(x, (-1, 2)), [A(3, 2, 1)]),
        Case("to-0d", lambda x: pt.reshape(x, ()), [A(1, 1)]),
        Case("from-0d", lambda x: pt.reshape(x, (1, 1, 1)), [A()]),
        Case("empty", lambda x: pt.reshape(x, (-1, 3)), [A(2, 0, 3)]),
        Case("symbolic-n", lambda x, n: pt.reshape(x, (n, -1)), [A(3, 4), I(2)]),
        Case("symbolic-is-minus-one", lambda x, n: pt.reshape(x, (n, 3)), [A(3, 4), I(-1)]),
        Case("vector-shape", lambda x, s: pt.reshape(x, s, ndim=2), [A(3, 4), Static(I([6, -1]))]),
        Case("other-shape", lambda x, y: pt.reshape(x, pt.shape(y)), [A(3, 4), A(2, 6)]),
        Case("flatten-keep", lambda x: pt.flatten(x, 2), [A(2, 0, 3)]),
    ],
}


def _shape_params() -> list[object]:
    classes = shaped_op_classes()
    return [
        pytest.param(classes[name], case, variant, id=f"{name}-{case.id}-{variant}")
        for name, cases in SHAPE_CASES.items()
        for case in cases
        for variant in case.variants
    ]


@pytest.mark.parametrize(("cls", "case", "variant"), _shape_params())
def test_static_symbolic_and_computed_shapes_agree(cls: type, case: Case, variant: str) -> None:
    run_case(cls, case, variant)
