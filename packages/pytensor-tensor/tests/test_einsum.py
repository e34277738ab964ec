"""einsum against numpy.einsum: subscripts (ellipsis, repeated indices, implicit output),
contraction paths, dtypes, graph structure, gradients and errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.gradient import verify_grad
from pytensor.graph.traversal import apply_ancestors
from pytensor.tensor._einsum_path import UNKNOWN_LENGTH, contraction_path
from pytensor.tensor.einsum import parse_subscripts
from pytensor.tensor.math import Dot, Matmul

PY = Mode(linker="py", optimizer=None)

SUBSCRIPTS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("i,i", [(3,), (3,)]),
    ("i,j->ij", [(2,), (3,)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (5, 3, 4)]),
    ("...ij,...jk", [(5, 1, 2, 3), (4, 3, 2)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ijk,jil->kl", [(3, 4, 5), (4, 3, 2)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("ab,bc,cd,de->ae", [(2, 3), (3, 4), (4, 5), (5, 2)]),
    ("iij->ij", [(3, 3, 2)]),
    ("iji->j", [(2, 3, 2)]),
    ("iii->i", [(2, 2, 2)]),
    ("ii,jj->ij", [(2, 2), (3, 3)]),
    ("i,i,i->i", [(3,), (3,), (3,)]),
    ("i,i->", [(1,), (3,)]),
    ("i,i->i", [(1,), (3,)]),
    ("...,...->...", [(2, 1), (1, 3)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("ba", [(2, 3)]),
    ("bA,Ab", [(2, 3), (3, 2)]),
    ("i...->...", [(2, 3, 4)]),
    ("...i,...i->...", [(2, 3), (3,)]),
    ("", [()]),
    (",->", [(), ()]),
    ("i,->i", [(3,), ()]),
    ("ijkl,klm->ijm", [(2, 3, 4, 5), (4, 5, 2)]),
    ("abc,cd,dbe->ae", [(2, 3, 4), (4, 5), (5, 3, 2)]),
    ("ij,kl->ijkl", [(2, 3), (1, 2)]),
    ("a,ab,abc->abc", [(2,), (2, 3), (2, 3, 4)]),
    ("ea,fb,abcd,gc,hd->efgh", [(2, 3), (2, 3), (3, 3, 3, 3), (2, 3), (2, 3)]),
    ("ij,j->i", [(0, 3), (3,)]),
    ("ij,jk->ik", [(2, 0), (0, 3)]),
    ("bij,bj->bi", [(4, 2, 3), (4, 3)]),
    ("i j , j k -> i k", [(2, 3), (3, 4)]),
    ("...j,j...->...", [(2, 3), (3, 2)]),
    ("a...a->...", [(2, 3, 2)]),
]


def _inputs(shapes, static):
    return [
        pt.tensor(f"x{k}", shape=s if static else tuple(1 if d == 1 else None for d in s))
        for k, s in enumerate(shapes)
    ]


@pytest.mark.parametrize("optimize", ["optimal", "greedy", None])
@pytest.mark.parametrize("static", [False, True], ids=["unknown", "static"])
@pytest.mark.parametrize(("spec", "shapes"), SUBSCRIPTS, ids=[s or "empty" for s, _ in SUBSCRIPTS])
def test_matches_numpy(spec, shapes, static, optimize):
    rng = np.random.default_rng(len(spec))
    values = [rng.normal(size=s) for s in shapes]
    ins = _inputs(shapes, static)
    out = pt.einsum(spec, *ins, optimize=optimize)
    want = np.einsum(spec, *values)
    result = function(ins, out, mode=PY)(*values)
    assert result.shape == np.shape(want)
    assert all(s is None or s == w for s, w in zip(out.type.shape, np.shape(want), strict=True))
    if static:
        assert out.type.shape == np.shape(want)
    np.testing.assert_allclose(result, want, rtol=1e-12, atol=1e-12)


def test_implicit_output_order_and_ellipsis():
    assert parse_subscripts("ba", [2]) == ([("b", "a")], ("a", "b"))
    assert parse_subscripts("Ba,a", [2, 1])[1] == ("B",)
    labels, out = parse_subscripts("...ij,j...", [4, 3])
    assert labels == [(0, 1, "i", "j"), ("j", 0, 1)]
    assert out == (0, 1, "i")
    assert parse_subscripts("ij->...", [2])[1] == ()


@pytest.mark.parametrize(
    ("dtypes", "spec"),
    [
        (("int8", "int8"), "ij,jk"),
        (("int32", "float32"), "ij,jk->ki"),
        (("bool", "bool"), "ij,jk"),
        (("int16",), "ij->"),
        (("bool", "int8"), "i,i"),
        (("float32", "float32"), "bij,bjk->bik"),
    ],
)
def test_dtypes_follow_numpy(dtypes, spec):
    shapes = {"ij,jk": [(2, 3), (3, 2)], "ij,jk->ki": [(2, 3), (3, 2)], "ij->": [(2, 3)]}
    shapes["i,i"] = [(4,), (4,)]
    shapes["bij,bjk->bik"] = [(2, 2, 3), (2, 3, 2)]
    values = [
        (np.arange(math.prod(s)).reshape(s) % 3).astype(d)
        for s, d in zip(shapes[spec], dtypes, strict=True)
    ]
    ins = [
        pt.tensor(f"x{k}", dtype=d, shape=(None,) * v.ndim)
        for k, (v, d) in enumerate(zip(values, dtypes, strict=True))
    ]
    out = pt.einsum(spec, *ins)
    want = np.einsum(spec, *values)
    assert out.dtype == want.dtype.name
    np.testing.assert_allclose(function(ins, out, mode=PY)(*values), want, rtol=1e-6)


def test_contractions_are_dot_and_matmul():
    a, b, c = pt.dmatrix("a"), pt.dmatrix("b"), pt.dtensor3("c")
    out = pt.einsum("ij,jk->ik", a, b)
    assert isinstance(out.owner.op, Dot)
    assert isinstance(pt.einsum("bij,bjk->bik", c, c).owner.op, Matmul)
    chain = pt.einsum("ij,jk,kl->il", a, b, a)
    assert [type(n.op) for n in apply_ancestors([chain])].count(Dot) == 2


def _cost(path, labels, output, sizes):
    """The cost model of _einsum_path: per step, the product of the lengths of all indices."""
    current = [frozenset(lb) for lb in labels]
    total = 0
    for step in path:
        picked = [current[i] for i in step]
        rest = [c for i, c in enumerate(current) if i not in step]
        union = frozenset().union(*picked)
        total += math.prod(sizes.get(lab) or UNKNOWN_LENGTH for lab in union)
        current = [*rest, union & frozenset(output).union(*rest)]
    return total


PATH_CASES = [
    ("ij,jk,kl->il", [(2, 30), (30, 40), (40, 5)]),
    ("ab,bc,cd,de->ae", [(10, 2), (2, 30), (30, 3), (3, 20)]),
    ("ea,fb,abcd,gc,hd->efgh", [(10, 10), (10, 10), (10, 10, 10, 10), (10, 10), (10, 10)]),
    ("a,b,c,ab,bc->ac", [(5,), (6,), (7,), (5, 6), (6, 7)]),
]


@pytest.mark.parametrize(("spec", "shapes"), PATH_CASES)
def test_optimal_path_is_no_worse_than_numpy(spec, shapes):
    labels, output = parse_subscripts(spec, [len(s) for s in shapes])
    sizes = {
        lab: n for lb, s in zip(labels, shapes, strict=True) for lab, n in zip(lb, s, strict=True)
    }
    ours = contraction_path(labels, output, sizes, "optimal")
    greedy = contraction_path(labels, output, sizes, "greedy")
    theirs = np.einsum_path(spec, *[np.ones(s) for s in shapes], optimize="optimal")[0][1:]
    naive = contraction_path(labels, output, sizes, None)
    cost = {
        name: _cost(p, labels, output, sizes)
        for name, p in [("ours", ours), ("theirs", theirs), ("greedy", greedy), ("naive", naive)]
    }
    assert cost["ours"] <= min(cost["theirs"], cost["greedy"], cost["naive"])


def _all_paths(n):
    """Every sequence of pairwise contractions of n operands (numpy.einsum_path format)."""
    if n == 1:
        yield []
        return
    for pair in itertools.combinations(range(n), 2):
        for rest in _all_paths(n - 1):
            yield [pair, *rest]


def test_optimal_path_is_the_cheapest_of_all():
    labels = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "a")]
    sizes = {"a": 50, "b": 2, "c": 40, "d": 3, "e": 60}
    output = ("a", "c")
    best = contraction_path(labels, output, sizes, "optimal")
    cheapest = min(_cost(p, labels, output, sizes) for p in _all_paths(len(labels)))
    assert _cost(best, labels, output, sizes) == cheapest


def test_explicit_path_and_numpy_format():
    rng = np.random.default_rng(0)
    values = [rng.normal(size=s) for s in [(2, 3), (3, 4), (4, 5)]]
    ins = _inputs([(2, 3), (3, 4), (4, 5)], static=False)
    want = np.einsum("ij,jk,kl->il", *values)
    for path in (
        ["einsum_path", (1, 2), (0, 1)],
        [(0, 2), (0, 1)],
        [(0, 1, 2)],
        [(2,), (0, 1), (0, 1)],
    ):
        out = pt.einsum("ij,jk,kl->il", *ins, optimize=path)
        np.testing.assert_allclose(function(ins, out, mode=PY)(*values), want, rtol=1e-12)
    with pytest.raises(ValueError, match="leaves 2 operands"):
        pt.einsum("ij,jk,kl->il", *ins, optimize=[(0, 1)])
    with pytest.raises(ValueError, match="out of the"):
        pt.einsum("ij,jk,kl->il", *ins, optimize=[(0, 3), (0, 1)])
    with pytest.raises(ValueError, match="optimize must be"):
        pt.einsum("ij,jk,kl->il", *ins, optimize="fastest")


def test_many_operands_fall_back_to_greedy():
    n = 10
    spec = ",".join(f"{chr(97 + k)}{chr(98 + k)}" for k in range(n)) + f"->a{chr(97 + n)}"
    values = [np.full((2, 2), 0.5) for _ in range(n)]
    ins = _inputs([(2, 2)] * n, static=True)
    out = pt.einsum(spec, *ins)
    np.testing.assert_allclose(function(ins, out, mode=PY)(*values), np.einsum(spec, *values))


@pytest.mark.parametrize(
    ("spec", "shapes", "match"),
    [
        ("ij,jk", [(2, 3), (4, 2)], "index 'j' has length 3 in operand 0 and 4 in operand 1"),
        ("ii", [(2, 3)], "index 'i' is repeated in operand 0"),
        ("ij", [(3,)], "operand 0 has 1 dimensions but its term 'ij' names 2"),
        ("i->ii", [(3,)], "the output names 'i' more than once"),
        ("i->j", [(3,)], "the output names 'j', which no operand has"),
        ("...i->i", [(2, 3)], "no '...'"),
        ("i,i", [(3,)], "2 terms for 1 operands"),
        ("i.j", [(3, 3)], "stray '.'"),
        ("i1", [(3, 3)], "invalid subscript '1'"),
        ("i->i->i", [(3,)], "more than one '->'"),
        ("i-i", [(3,)], "'-' and '>'"),
        ("ijk", [(2, 3)], "has 2 dimensions"),
        ("...ijk", [(2, 3)], "fewer than its term"),
    ],
)
def test_bad_subscripts(spec, shapes, match):
    with pytest.raises(ValueError, match=match):
        pt.einsum(spec, *_inputs(shapes, static=True))


def test_other_bad_input():
    with pytest.raises(ValueError, match="at least one operand"):
        pt.einsum("")
    with pytest.raises(TypeError, match="subscripts must be a string"):
        pt.einsum(["i"], pt.dvector())


def test_run_time_length_checks():
    a, b = pt.dmatrix("a"), pt.dmatrix("b")
    trace = function([a], pt.einsum("ii", a), mode=PY)
    with pytest.raises(AssertionError, match="SpecifyShape"):
        trace(np.ones((2, 3)))
    merged = function([a, b], pt.einsum("ij,ij->", a, b), mode=PY)
    with pytest.raises(AssertionError, match="SpecifyShape"):
        merged(np.ones((2, 3)), np.ones((3, 2)))
    single = function([a, b], pt.einsum("ij,jk", a, b), mode=PY)
    with pytest.raises(ValueError, match="contracted dimensions"):
        single(np.ones((2, 3)), np.ones((2, 3)))
    bcast = function([a, b], pt.einsum("ij,ij->ij", a, b), mode=PY)
    with pytest.raises(ValueError, match="runtime broadcasting is not allowed"):
        bcast(np.ones((1, 3)), np.ones((2, 3)))


@pytest.mark.parametrize(
    ("spec", "shapes"),
    [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("ii->i", [(3, 3)]),
        ("...ij,...jk", [(2, 2, 3), (2, 3, 2)]),
        ("ijk,jil->kl", [(3, 2, 2), (2, 3, 2)]),
        ("ab,bc,cd->ad", [(2, 3), (3, 4), (4, 2)]),
        ("i,i->", [(3,), (3,)]),
    ],
)
def test_gradients(spec, shapes):
    rng = np.random.default_rng(1)
    verify_grad(lambda *xs: pt.einsum(spec, *xs), [rng.normal(size=s) for s in shapes])


def test_public_path():
    import pytensor.tensor.einsum as module_or_function

    assert pt.einsum is pt.math.einsum
    assert callable(module_or_function)
