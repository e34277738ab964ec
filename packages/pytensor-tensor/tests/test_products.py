"""tensordot, inner, batched_dot, batched_tensordot, vecdot, matvec, vecmat (and dot/matmul
batching), against NumPy: values, dtypes, static shapes, graph structure and errors."""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.graph.traversal import apply_ancestors
from pytensor.tensor.math import Dot, Matmul

PY = Mode(linker="py", optimizer=None)
RNG = np.random.default_rng(3)


def _inputs(values, static):
    return [
        pt.tensor(
            f"x{k}",
            dtype=v.dtype.name,
            shape=v.shape if static else tuple(1 if s == 1 else None for s in v.shape),
        )
        for k, v in enumerate(values)
    ]


def check(build, ref, *values, static=False, rtol=1e-12):
    """``build`` on symbolic inputs agrees with ``ref`` on the values: value, dtype, static shape."""
    ins = _inputs(values, static)
    out = build(*ins)
    result = function(ins, out, mode=PY)(*values)
    want = np.asarray(ref(*values))
    assert out.dtype == want.dtype.name, (out.dtype, want.dtype)
    assert result.shape == want.shape
    assert len(out.type.shape) == want.ndim
    assert all(s is None or s == w for s, w in zip(out.type.shape, want.shape, strict=True))
    if static:
        assert out.type.shape == want.shape
    np.testing.assert_allclose(result, want, rtol=rtol, atol=1e-12)
    return out


TENSORDOT = [
    ((2, 3, 4), (3, 4, 5), 2),
    ((2, 3, 4), (4, 3, 5), [[1, 2], [1, 0]]),
    ((2, 3, 4), (4,), [[-1], [0]]),
    ((3,), (3,), 1),
    ((2, 3), (3,), 1),
    ((2, 3), (4, 5), 0),
    ((), (3,), 0),
    ((3, 4), (3, 4), [[0, 1], [0, 1]]),
    ((2, 3), (2, 3), ([0], [0])),
    ((2, 0), (0, 3), 1),
    ((1, 3), (3, 2), 1),
    ((2, 3, 4, 5), (5, 4, 2), [[3, 2, 0], [0, 1, 2]]),
]


@pytest.mark.parametrize("static", [False, True])
@pytest.mark.parametrize(("sa", "sb", "axes"), TENSORDOT)
def test_tensordot_matches_numpy(sa, sb, axes, static):
    a, b = RNG.normal(size=sa), RNG.normal(size=sb)
    check(
        lambda x, y: pt.tensordot(x, y, axes),
        lambda x, y: np.tensordot(x, y, axes),
        a,
        b,
        static=static,
    )


def test_tensordot_is_one_dot():
    a, b = pt.tensor3("a"), pt.tensor3("b")
    out = pt.tensordot(a, b, [[1, 2], [0, 1]])
    ops = [type(n.op) for n in apply_ancestors([out])]
    assert ops.count(Dot) == 1
    assert Matmul not in ops


@pytest.mark.parametrize("dtype", ["int8", "int32", "float32", "bool"])
def test_tensordot_dtypes_follow_numpy(dtype):
    a = (np.arange(6).reshape(2, 3) % 3).astype(dtype)
    b = (np.arange(6).reshape(3, 2) % 2).astype(dtype)
    check(lambda x, y: pt.tensordot(x, y, 1), lambda x, y: np.tensordot(x, y, 1), a, b, rtol=1e-6)


def test_tensordot_errors():
    a, b = pt.tensor("a", shape=(2, 3)), pt.tensor("b", shape=(4, 5))
    with pytest.raises(
        ValueError, match=r"tensordot: the contracted dimension .* length 3 .* and 4"
    ):
        pt.tensordot(a, b, 1)
    with pytest.raises(ValueError, match="different lengths"):
        pt.tensordot(a, b, [[0, 1], [0]])
    with pytest.raises(ValueError, match="cannot sum over 3 axes"):
        pt.tensordot(a, b, 3)
    with pytest.raises(ValueError, match="tensordot"):
        pt.tensordot(a, b, [[2], [0]])
    with pytest.raises(ValueError, match="int or a pair"):
        pt.tensordot(a, b, "x")
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    fn = function([x, y], pt.tensordot(x, y, [[0, 1], [0, 1]]), mode=PY)
    with pytest.raises(AssertionError, match="SpecifyShape"):
        fn(np.ones((2, 3)), np.ones((3, 2)))  # same size once merged, but not the same lengths


@pytest.mark.parametrize(
    ("sa", "sb"), [((3,), (3,)), ((2, 3), (4, 3)), ((), (3,)), ((2, 3, 4), (4,))]
)
def test_inner_matches_numpy(sa, sb):
    check(pt.inner, np.inner, RNG.normal(size=sa), RNG.normal(size=sb))


def _batched_dot_ref(a, b):
    n = max(a.shape[0], b.shape[0])
    if n == 0:
        return np.matmul(a, b)
    return np.stack([np.dot(a[i % a.shape[0]], b[i % b.shape[0]]) for i in range(n)])


BATCHED = [
    ((4, 3), (4, 3)),
    ((4, 2, 3), (4, 3)),
    ((4, 3), (4, 3, 2)),
    ((4, 2, 3), (4, 3, 5)),
    ((4,), (4, 3)),
    ((4, 2, 3), (4,)),
    ((4,), (4,)),
    ((4, 2, 3), (4, 6, 3, 5)),
    ((4, 2, 6, 3), (4, 3, 5)),
    ((0, 2, 3), (0, 3, 2)),
]


@pytest.mark.parametrize("static", [False, True])
@pytest.mark.parametrize(("sa", "sb"), BATCHED)
def test_batched_dot_matches_loop_of_dot(sa, sb, static):
    check(pt.batched_dot, _batched_dot_ref, RNG.normal(size=sa), RNG.normal(size=sb), static=static)


def test_batched_dot_broadcasts_declared_length_one_batch():
    check(pt.batched_dot, _batched_dot_ref, RNG.normal(size=(1, 2, 3)), RNG.normal(size=(4, 3, 2)))


def test_batched_dot_is_one_matmul():
    out = pt.batched_dot(pt.tensor3("a"), pt.tensor3("b"))
    assert out.owner is not None and isinstance(out.owner.op, Matmul)


def test_batched_errors():
    with pytest.raises(TypeError, match="batched_dot: a .* has no batch axis"):
        pt.batched_dot(pt.dscalar(), pt.dvector())
    with pytest.raises(ValueError, match="batch axes"):
        pt.batched_dot(pt.tensor("a", shape=(3, 2)), pt.tensor("b", shape=(4, 2)))
    with pytest.raises(ValueError, match="axis 0 is the batch axis"):
        pt.batched_tensordot(pt.tensor3(), pt.tensor3(), [[0], [0]])
    a, b = pt.dtensor3("a"), pt.dtensor3("b")
    fn = function([a, b], pt.batched_dot(a, b), mode=PY)
    with pytest.raises(ValueError, match="Matmul: batch dimension 0"):
        fn(np.ones((3, 2, 2)), np.ones((4, 2, 2)))


@pytest.mark.parametrize(
    ("sx", "sy", "axes", "spec"),
    [
        ((4, 2, 3, 5), (4, 5, 3, 2), [[2, 3], [2, 1]], "bijk,bkjl->bil"),
        ((4, 2, 5), (4, 5, 3), 1, "bij,bjk->bik"),
        ((4, 2, 3), (4, 2, 3), 2, "bij,bij->b"),
        ((4, 3), (4, 3, 2), [[1], [1]], "bi,bij->bj"),
    ],
)
def test_batched_tensordot_matches_einsum(sx, sy, axes, spec):
    check(
        lambda x, y: pt.batched_tensordot(x, y, axes),
        lambda x, y: np.einsum(spec, x, y),
        RNG.normal(size=sx),
        RNG.normal(size=sy),
    )


def test_vecdot_matvec_vecmat():
    check(
        pt.vecdot, lambda x, y: np.sum(x * y, axis=-1), RNG.normal(size=(2, 3)), RNG.normal(size=3)
    )
    check(
        pt.matvec,
        lambda x, y: np.einsum("...ij,...j->...i", x, y),
        RNG.normal(size=(4, 2, 3)),
        RNG.normal(size=(1, 3)),
    )
    check(
        pt.vecmat,
        lambda x, y: np.einsum("...i,...ij->...j", x, y),
        RNG.normal(size=2),
        RNG.normal(size=(5, 2, 3)),
    )
    assert pt.vecdot(pt.bvector(), pt.bvector(), dtype="float32").dtype == "float32"
    assert pt.vecdot(pt.bvector(), pt.bvector()).dtype == "int8"
    assert pt.matvec(pt.dmatrix(), pt.dvector(), dtype="float32").dtype == "float32"
    with pytest.raises(ValueError, match="vecdot"):
        pt.vecdot(pt.dscalar(), pt.dvector())
    with pytest.raises(ValueError, match="matvec"):
        pt.matvec(pt.dvector(), pt.dvector())
    with pytest.raises(ValueError, match="vecmat"):
        pt.vecmat(pt.dvector(), pt.dvector())


@pytest.mark.parametrize(
    ("sa", "sb"),
    [
        ((5, 2, 3), (5, 3, 4)),
        ((1, 2, 3), (5, 3, 4)),
        ((2, 3), (5, 3, 4)),
        ((3,), (5, 3, 4)),
        ((5, 2, 3), (3,)),
    ],
)
def test_matmul_batching(sa, sb):
    check(pt.matmul, np.matmul, RNG.normal(size=sa), RNG.normal(size=sb))


def test_public_paths():
    import pytensor.tensor.math as ptm

    for name in (
        "tensordot",
        "inner",
        "batched_dot",
        "batched_tensordot",
        "vecdot",
        "matvec",
        "vecmat",
    ):
        assert getattr(pt, name) is getattr(ptm, name)
