"""Tests of Join/concatenate/stack, Split, roll and tile (pytensor.tensor.basic)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.exceptions import AxisError
from test_shape_consistency import A, Case, I, Static, run_case, shaped_op_classes

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.tensor.basic import Join, MakeVector, Split
from pytensor.tensor.type import TensorType


def _eval(
    out: object, inputs: list[object] | None = None, values: list[object] | None = None
) -> np.ndarray:
    return function(inputs or [], out)(*(values or []))  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------
# Join / concatenate
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dt_a", "dt_b"),
    [
        ("float64", "float64"),
        ("float32", "int8"),
        ("int16", "int32"),
        ("bool", "bool"),
        ("bool", "uint8"),
        ("complex64", "float32"),
        ("int64", "float32"),
    ],
)
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_matches_numpy(dt_a: str, dt_b: str, axis: int) -> None:
    a = pt.matrix("a", dtype=dt_a)
    b = pt.matrix("b", dtype=dt_b)
    va = (np.arange(6).reshape(2, 3) % 2).astype(dt_a)
    vb = (np.arange(6).reshape(2, 3) % 3).astype(dt_b)
    out = pt.concatenate([a, b], axis=axis)
    assert isinstance(out.owner.op, Join)
    expected = np.concatenate([va, vb], axis=axis)
    res = _eval(out, [a, b], [va, vb])
    assert out.type.dtype == expected.dtype.name == res.dtype.name
    np.testing.assert_array_equal(res, expected)


def test_join_static_shapes() -> None:
    x = pt.matrix("x", shape=(2, 3))
    y = pt.matrix("y", shape=(4, None))
    z = pt.matrix("z", shape=(None, None))
    assert pt.join(0, x, y).type.shape == (6, 3)
    assert pt.join(0, x, z).type.shape == (None, 3)
    assert pt.join(1, x, pt.matrix(shape=(2, 0))).type.shape == (2, 3)
    assert pt.join(-1, x, z).type.shape == (2, None)
    assert pt.concatenate([x]) is x
    # A length-1 dimension is not broadcast: every input must have length 1 there.
    assert pt.join(0, pt.matrix(shape=(None, 1)), pt.matrix(shape=(2, None))).type.shape == (
        None,
        1,
    )


def test_join_symbolic_axis() -> None:
    x, y = pt.matrix("x", shape=(2, 3)), pt.matrix("y", shape=(2, 3))
    ax = pt.lscalar("ax")
    out = pt.join(ax, x, y)
    assert out.type.shape == (None, None)
    f = function([ax, x, y], out)
    vx, vy = np.zeros((2, 3)), np.ones((2, 3))
    for a in (0, 1, -2):
        np.testing.assert_array_equal(f(a, vx, vy), np.concatenate([vx, vy], axis=a))
    with pytest.raises(AxisError, match="Join: axis 2 is out of range"):
        f(2, vx, vy)


def test_join_mismatched_shapes_raise_at_build_time() -> None:
    x = pt.matrix("x", shape=(2, 3))
    y = pt.matrix("y", shape=(2, 4))
    with pytest.raises(
        ValueError,
        match=r"Join: cannot join along axis 0: input 0 \(x\) has static shape \(2, 3\) "
        r"and input 1 \(y\) has "
        r"static shape \(2, 4\)",
    ):
        pt.concatenate([x, y], axis=0)
    assert pt.concatenate([x, y], axis=1).type.shape == (2, 7)


def test_join_mismatched_shapes_raise_at_run_time() -> None:
    x, y = pt.matrix("x"), pt.matrix("y")
    f = function([x, y], pt.concatenate([x, y]))
    assert f(np.zeros((1, 3)), np.zeros((2, 3))).shape == (3, 3)
    with pytest.raises(
        ValueError,
        match=r"Join: cannot join along axis 0: input 0 \(x\) has shape \(1, 3\) and "
        r"input 1 \(y\) has shape \(2, 4\)",
    ):
        f(np.zeros((1, 3)), np.zeros((2, 4)))


def test_join_bad_inputs() -> None:
    with pytest.raises(
        TypeError,
        match="Join: all inputs must have the same number of dimensions.*input 1 \\(v\\) has 1",
    ):
        pt.join(0, pt.matrix("m"), pt.vector("v"))
    with pytest.raises(TypeError, match="Join: cannot join 0-d tensors"):
        pt.join(0, pt.scalar(), pt.scalar())
    with pytest.raises(AxisError, match="Join: axis 2 is out of range"):
        pt.join(2, pt.matrix(), pt.matrix())
    with pytest.raises(TypeError, match="Join: axis must be a scalar integer"):
        pt.join(0.5, pt.matrix(), pt.matrix())
    with pytest.raises(ValueError, match="Join: no tensors"):
        Join()(0)
    with pytest.raises(TypeError, match=r"concatenate\(\[x, y\]\)"):
        pt.concatenate(pt.matrix(), pt.matrix())  # type: ignore[arg-type]


def test_concatenate_empty_and_axis_none() -> None:
    a, b = np.zeros((0, 2)), np.ones((3, 2))
    np.testing.assert_array_equal(_eval(pt.concatenate([a, b])), np.concatenate([a, b]))
    np.testing.assert_array_equal(
        _eval(pt.concatenate([a, b], axis=None)), np.concatenate([a, b], axis=None)
    )


# ---------------------------------------------------------------------------
# stack and friends
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_stack_matches_numpy(axis: int) -> None:
    vals = [np.arange(6.0).reshape(2, 3) + k for k in range(3)]
    xs = [pt.matrix(f"x{k}", shape=(2, 3)) for k in range(3)]
    out = pt.stack(xs, axis=axis)
    expected = np.stack(vals, axis=axis)
    assert out.type.shape == expected.shape
    np.testing.assert_array_equal(_eval(out, xs, vals), expected)


def test_stack_scalars_is_make_vector() -> None:
    a, b = pt.fscalar("a"), pt.iscalar("b")
    out = pt.stack([a, b, 2])
    assert isinstance(out.owner.op, MakeVector)
    assert out.type == TensorType("float64", (3,))
    np.testing.assert_array_equal(_eval(out, [a, b], [1.5, 4]), [1.5, 4.0, 2.0])
    assert pt.stack([np.float32(1.0), np.array(2, dtype="float32")]).type.dtype == "float32"
    with pytest.raises(AxisError, match="stack: axis 1"):
        pt.stack([a, b], axis=1)
    with pytest.raises(ValueError, match="stack: no tensors"):
        pt.stack([])
    with pytest.raises(TypeError, match="stack: the first argument must be a sequence"):
        pt.stack(a)  # type: ignore[arg-type]


def test_stack_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="Join: cannot join"):
        pt.stack([pt.vector(shape=(2,)), pt.vector(shape=(3,))])


def test_as_tensor_of_nested_lists_with_variables() -> None:
    a, b = pt.dscalar("a"), pt.dscalar("b")
    m = pt.as_tensor_variable([[a, 1.0], [2.0, b]])
    assert m.type.shape == (2, 2)
    np.testing.assert_array_equal(_eval(m, [a, b], [5.0, 6.0]), [[5.0, 1.0], [2.0, 6.0]])
    np.testing.assert_array_equal(
        _eval(pt.stacklists([[a, b], [b, a]]), [a, b], [1.0, 2.0]), [[1.0, 2.0], [2.0, 1.0]]
    )


def test_numpy_style_stacks() -> None:
    v1, v2 = np.array([1, 2]), np.array([3, 4])
    m1, m2 = np.arange(4).reshape(2, 2), np.arange(4, 8).reshape(2, 2)
    np.testing.assert_array_equal(_eval(pt.hstack([v1, v2])), np.hstack([v1, v2]))
    np.testing.assert_array_equal(_eval(pt.hstack([m1, m2])), np.hstack([m1, m2]))
    np.testing.assert_array_equal(_eval(pt.vstack([v1, v2])), np.vstack([v1, v2]))
    np.testing.assert_array_equal(_eval(pt.vstack([m1, m2])), np.vstack([m1, m2]))
    np.testing.assert_array_equal(_eval(pt.dstack([v1, v2])), np.dstack([v1, v2]))
    np.testing.assert_array_equal(_eval(pt.dstack([m1, m2])), np.dstack([m1, m2]))
    np.testing.assert_array_equal(_eval(pt.horizontal_stack(m1, m2)), np.hstack([m1, m2]))
    np.testing.assert_array_equal(_eval(pt.vertical_stack(m1, m2)), np.vstack([m1, m2]))
    with pytest.raises(ValueError, match="horizontal_stack: all inputs must have 2 dimensions"):
        pt.horizontal_stack(v1, v2)
    with pytest.raises(ValueError, match="vertical_stack: needs at least two"):
        pt.vertical_stack(m1)


# ---------------------------------------------------------------------------
# Split
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
def test_split_matches_numpy(dtype: str) -> None:
    val = (np.arange(12).reshape(3, 4) % 2).astype(dtype)
    x = pt.matrix("x", dtype=dtype, shape=(3, 4))
    parts = pt.split(x, [1, 0, 3], 3, axis=1)
    assert all(isinstance(p.owner.op, Split) for p in parts)
    assert [p.type.shape for p in parts] == [(3, 1), (3, 0), (3, 3)]
    res = function([x], parts)(val)
    for got, exp in zip(res, np.split(val, [1, 1], axis=1), strict=True):
        np.testing.assert_array_equal(got, exp)
        assert got.dtype == np.dtype(dtype)


def test_split_symbolic_sizes_and_axis() -> None:
    x = pt.matrix("x")
    s = pt.lvector("s")
    ax = pt.lscalar("ax")
    a, b = pt.split(x, s, 2, axis=ax)
    f = function([x, s, ax], [a, b])
    val = np.arange(12.0).reshape(3, 4)
    got = f(val, np.array([1, 2]), 0)
    np.testing.assert_array_equal(got[0], val[:1])
    np.testing.assert_array_equal(got[1], val[1:])
    got = f(val, np.array([3, 1]), -1)
    np.testing.assert_array_equal(got[1], val[:, 3:])
    single = pt.split(x, [3], 1)
    assert single.type.ndim == 2


def test_split_bad_sizes_at_build_time() -> None:
    x = pt.matrix("x", shape=(3, 4))
    with pytest.raises(
        ValueError,
        match=r"Split\{2\}: the split sizes \(1, 2\) sum to 3 \(not 4, the length of axis 1",
    ):
        pt.split(x, [1, 2], 2, axis=1)
    with pytest.raises(ValueError, match=r"Split\{2\}: negative split size"):
        pt.split(x, [-1, 5], 2, axis=1)
    with pytest.raises(ValueError, match=r"Split\{3\}: 2 split sizes given, expected 3"):
        pt.split(x, [1, 2], 3)
    with pytest.raises(AxisError, match=r"Split\{2\}: axis 2 is out of range"):
        pt.split(x, [1, 2], 2, axis=2)
    with pytest.raises(TypeError, match=r"Split\{2\}: the split sizes must be an integer vector"):
        pt.split(x, [1.0, 2.0], 2)
    with pytest.raises(TypeError, match=r"Split\{1\}: cannot split the 0-d tensor"):
        pt.split(pt.scalar(), [1], 1)


def test_split_bad_sizes_at_run_time() -> None:
    x = pt.matrix("x")
    s = pt.lvector("s")
    f = function([x, s], pt.split(x, s, 2, axis=0))
    with pytest.raises(
        ValueError,
        match=r"Split\{2\}: the split sizes \(1, 1\) sum to 2, but input x has shape \(3, 4\)",
    ):
        f(np.zeros((3, 4)), np.array([1, 1]))
    with pytest.raises(ValueError, match=r"Split\{2\}: negative split size"):
        f(np.zeros((3, 4)), np.array([-1, 4]))
    with pytest.raises(ValueError, match=r"Split\{2\}: 3 split sizes given"):
        f(np.zeros((3, 4)), np.array([1, 1, 1]))


# ---------------------------------------------------------------------------
# roll / tile
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("shape", "shift", "axis"),
    [
        ((5,), 2, None),
        ((5,), -7, 0),
        ((2, 3), 1, None),
        ((2, 3), 4, 1),
        ((2, 3), -1, 0),
        ((2, 3), (1, 2), (0, 1)),
        ((0, 3), 2, 0),
        ((), 3, None),
    ],
)
def test_roll_matches_numpy(shape: tuple[int, ...], shift: object, axis: object) -> None:
    val = np.arange(int(np.prod(shape)), dtype="int32").reshape(shape)
    x = pt.tensor("x", dtype="int32", shape=shape)
    out = pt.roll(x, shift, axis)
    assert out.type == x.type
    np.testing.assert_array_equal(_eval(out, [x], [val]), np.roll(val, shift, axis))


def test_roll_symbolic_shift() -> None:
    x = pt.matrix("x", shape=(3, None))
    s = pt.lscalar("s")
    out = pt.roll(x, s, axis=1)
    assert out.type.shape == (3, None)
    f = function([x, s], out)
    val = np.arange(12.0).reshape(3, 4)
    for shift in (0, 1, -3, 9):
        np.testing.assert_array_equal(f(val, shift), np.roll(val, shift, axis=1))
    with pytest.raises(AxisError, match="roll: axis 2"):
        pt.roll(x, 1, 2)


@pytest.mark.parametrize(
    ("shape", "reps"),
    [
        ((2,), 3),
        ((2, 3), (2, 1)),
        ((2, 3), (2,)),
        ((2,), (2, 2, 2)),
        ((1, 2), (0, 2)),
        ((), (2, 3)),
    ],
)
def test_tile_matches_numpy(shape: tuple[int, ...], reps: object) -> None:
    val = np.arange(int(np.prod(shape)), dtype="float32").reshape(shape)
    x = pt.tensor("x", dtype="float32", shape=shape)
    out = pt.tile(x, reps)
    expected = np.tile(val, reps)
    assert out.type.shape == expected.shape and out.type.dtype == "float32"
    np.testing.assert_array_equal(_eval(out, [x], [val]), expected)


def test_tile_symbolic_reps() -> None:
    x = pt.matrix("x")
    r = pt.lscalar("r")
    f = function([x, r], pt.tile(x, (r, 2)))
    val = np.arange(4.0).reshape(2, 2)
    np.testing.assert_array_equal(f(val, 3), np.tile(val, (3, 2)))
    numpy_reps = pt.tile(x, (np.int64(2), np.int32(1)))
    np.testing.assert_array_equal(_eval(numpy_reps, [x], [val]), np.tile(val, (2, 1)))
    reps = pt.lvector("reps", shape=(2,))
    g = function([x, reps], pt.tile(x, reps))
    np.testing.assert_array_equal(g(val, np.array([1, 3])), np.tile(val, (1, 3)))
    with pytest.raises(ValueError, match="tile: .*length"):
        pt.tile(x, pt.lvector("unknown"))
    with pytest.raises(TypeError, match="tile: repetitions must be integers"):
        pt.tile(x, (1.5, 2))
    with pytest.raises(ValueError, match="tile: negative repetitions"):
        pt.tile(x, (-1, 2))


# ---------------------------------------------------------------------------
# One shape definition per Op: static == symbolic == computed
# ---------------------------------------------------------------------------
SHAPE_CASES: dict[str, list[Case]] = {
    "Join": [
        Case("axis1-empty-len1", lambda x, y: pt.concatenate([x, y], axis=1), [A(2, 1), A(2, 0)]),
        Case("symbolic-axis", lambda x, y, a: pt.join(a, x, y), [A(2, 3), A(2, 3), I(-1)]),
        Case("stack", lambda x, y: pt.stack([x, y], axis=1), [A(1, 3), A(1, 3)]),
    ],
    "Split": [
        Case("constant-sizes", lambda x: pt.split(x, [1, 2], 2, axis=1), [A(2, 3)]),
        Case(
            "symbolic-axis",
            lambda x, a, s: pt.split(x, s, 2, axis=a),
            [A(2, 3), I(1), Static(I([3, 0]))],
        ),
        Case(
            "symbolic-axis0",
            lambda x, a, s: pt.split(x, s, 2, axis=a),
            [A(2, 1), I(0), Static(I([1, 1]))],
        ),
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
