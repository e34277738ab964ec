"""``Composite``: a scalar graph used as one scalar Op (the unit of fusion)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.graph.basic import Apply
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.hashing import graph_hash, stable_token
from pytensor.graph.op import HasInnerGraph
from pytensor.scalar import Composite
from pytensor.tensor.elemwise import Elemwise

PY = Mode(linker="py", optimizer=None)


def xy(dtype: str = "float64") -> tuple[ps.ScalarVariable, ps.ScalarVariable]:
    t = ps.get_scalar_type(dtype)
    return t("x"), t("y")


# -- construction ---------------------------------------------------------------
def test_structure_and_types() -> None:
    x, y = xy()
    n = ps.int8("n")
    comp = Composite([x, y, n], [ps.exp(x) + y, x < n, ps.cast(n, "int32")])
    assert isinstance(comp, HasInnerGraph) and isinstance(comp, ps.ScalarOp)
    assert (comp.nin, comp.nout) == (3, 3)
    assert [t.dtype for t in comp.outputs_type] == ["float64", "bool", "int32"]
    assert [i.type.dtype for i in comp.inner_inputs] == ["float64", "float64", "int8"]
    assert comp.inner_outputs == comp.outputs == comp.fgraph.outputs
    assert isinstance(comp.fgraph, FunctionGraph)
    assert len(comp.fgraph.apply_nodes) == 4


def test_the_inner_graph_is_a_clone() -> None:
    x, y = xy()
    out = x * y
    comp = Composite([x, y], [out])
    assert comp.inner_inputs[0] is not x and comp.inner_outputs[0] is not out
    assert x.name == "x", "naming the inner inputs i0, i1 must not rename the caller's variables"
    assert [i.name for i in comp.inner_inputs] == ["i0", "i1"]


def test_bad_graphs_are_refused() -> None:
    x, y = xy()
    with pytest.raises(ValueError, match="neither an input nor a constant"):
        Composite([x], [x + y])
    with pytest.raises(TypeError, match="free root"):
        Composite([x + y], [x])
    with pytest.raises(TypeError, match="not a scalar variable"):
        Composite([pt.dvector("v")], [pt.dvector("v")])
    with pytest.raises(ValueError, match="twice"):
        Composite([x, x], [x * 2.0])
    with pytest.raises(ValueError, match="at least one output"):
        Composite([x], [])
    with pytest.raises(TypeError, match="scalar Op"):
        Composite([x], [pt.scalar_from_tensor(pt.exp(pt.tensor_from_scalar(x)))])


def test_names() -> None:
    x, y = xy()
    assert str(Composite([x, y], [ps.exp(x) + y])) == "Composite{(exp(i0) + i1)}"
    assert str(Composite([x, y], [x * y, -x])) == "Composite{(i0 * i1), (-i0)}"
    assert (
        str(Composite([x], [ps.switch(x < 0.5, x, ps.sqrt(x))]))
        == "Composite{switch((i0 < 0.5), i0, sqrt(i0))}"
    )
    big = x
    for _ in range(20):
        big = ps.exp(big)
    assert str(Composite([x], [big])) == "Composite{...}"
    assert str(Composite([x], [x + 1.0], name="my_op")) == "my_op"
    assert str(Elemwise(Composite([x, y], [x + y]))) == "Composite{(i0 + i1)}"


# -- evaluation ---------------------------------------------------------------------
def test_impl_on_scalars() -> None:
    x, y = xy()
    comp = Composite([x, y], [ps.exp(x) + y, x * y])
    a, b = comp.impl(1.0, 2.0)
    assert a == pytest.approx(np.e + 2.0) and b == 2.0
    assert isinstance(a, np.float64)
    assert comp.fn(1.0, 2.0) == comp.impl(1.0, 2.0)


def test_impl_casts_to_the_inner_input_types() -> None:
    n = ps.int8("n")
    comp = Composite([n], [n + ps.constant(np.int8(100))])
    assert comp.impl(100) == np.int8(-56), "int8 arithmetic wraps, as the inner types say"


def test_array_impl_broadcasts_and_keeps_dtypes() -> None:
    x, y = xy("float32")
    comp = Composite([x, y], [ps.exp(x) * y, x > y])
    a = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)
    b = np.array([[0.5, 1.5, 2.0]], dtype="float32")
    prod, greater = comp.array_impl(a, b)
    assert prod.dtype == "float32" and greater.dtype == "bool"
    np.testing.assert_allclose(prod, np.exp(a) * b, rtol=1e-6)
    np.testing.assert_array_equal(greater, a > b)


def test_array_impl_computes_in_the_promised_precision() -> None:
    n = ps.int8("n")
    comp = Composite([n], [ps.exp(n)])
    assert comp.outputs_type[0].dtype == "float32"
    data = np.array([3, 7, -5], dtype="int8")
    np.testing.assert_allclose(comp.array_impl(data), np.exp(data.astype("float32")), rtol=1e-6)
    np.testing.assert_allclose(comp.impl(np.int8(7)), np.exp(np.float32(7)), rtol=1e-6)


def test_constants_inside() -> None:
    x = ps.float32("x")
    comp = Composite([x], [x * ps.constant(np.float32(2.5)) + 1, ps.constant(np.float32(3.0))])
    a = np.array([1.0, 2.0], dtype="float32")
    out, const = comp.array_impl(a)
    np.testing.assert_array_equal(out, [3.5, 6.0])
    assert out.dtype == "float32"
    const[()] = 7.0  # the result is a fresh array, not the constant's storage
    assert comp.array_impl(a)[1] == 3.0


def test_outputs_never_alias_inputs_or_each_other() -> None:
    x, y = xy()
    s = x + y
    comp = Composite([x, y], [x, s, s, ps.real(y)])
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    r0, r1, r2, r3 = comp.array_impl(a, b)
    assert not np.shares_memory(r0, a) and not np.shares_memory(r3, b)
    assert not np.shares_memory(r1, r2)
    np.testing.assert_array_equal(r1, r2)


def test_floating_point_warnings_are_silent() -> None:
    x = ps.float64("x")
    comp = Composite([x], [ps.log(x) / x])
    with np.errstate(all="raise"):
        res = comp.array_impl(np.array([0.0, -1.0, 1.0]))
        scalar = comp.impl(0.0)
    assert res[0] == -np.inf and np.isnan(res[1]) and res[2] == 0.0
    assert scalar == -np.inf


def test_nested_composites_are_inlined() -> None:
    x, y = xy()
    inner = Composite([x, y], [x * y, x + y])
    a, b = xy()
    prod, total = inner(a, b)
    outer = Composite([a, b], [ps.exp(prod) - total])
    assert not any(isinstance(n.op, Composite) for n in outer.fgraph.apply_nodes)
    assert str(outer) == "Composite{(exp((i0 * i1)) - (i0 + i1))}"
    np.testing.assert_allclose(outer.impl(2.0, 3.0), np.exp(6.0) - 5.0)


def test_special_functions_inside() -> None:
    x = ps.float64("x")
    comp = Composite([x], [ps.sigmoid(x) + ps.gammaln(x)])
    import scipy.special as sp

    data = np.array([0.5, 3.0])
    np.testing.assert_allclose(comp.array_impl(data), sp.expit(data) + sp.gammaln(data), rtol=1e-14)


def test_scalar_graph_containing_a_composite_compiles() -> None:
    x, y = xy()
    comp = Composite([x, y], [x * y, x - y])
    a, b = xy()
    p, d = comp(a, b)
    f = function([a, b], [p + d], mode=PY)
    assert f(3.0, 2.0)[0] == 7.0


# -- other input types ----------------------------------------------------------------
def test_other_input_types_rebuild_the_inner_graph() -> None:
    x, y = xy()
    comp = Composite([x, y], [ps.exp(x) + y])
    f32 = ps.float32("a")
    node = comp.make_node(f32, f32)
    assert node.op is not comp and node.outputs[0].type.dtype == "float32"
    assert node.op.inputs_type == (ps.float32, ps.float32)
    assert comp.make_node(f32, f32).op is node.op, "the specialised Composite is cached"
    assert comp.make_node(ps.float64(), ps.float64()).op is comp
    assert comp.output_types([ps.int8, ps.int8])[0].dtype == "float32"
    with pytest.raises(TypeError, match="takes 2 inputs"):
        comp.make_node(f32)
    i = ps.int8("i")
    bitwise = Composite([i], [ps.invert(i)])
    with pytest.raises(TypeError, match="float32"):
        bitwise.make_node(f32)


def test_array_impl_specialises_by_input_dtype() -> None:
    x = ps.float64("x")
    comp = Composite([x], [x / 0.1])
    res = comp.array_impl(np.array([1.0], dtype="float32"))
    assert res.dtype == "float64", "float32 / float64 constant is float64"
    exact = Composite([x], [x / 4.0])
    assert exact.array_impl(np.array([1.0], dtype="float32")).dtype == "float32", (
        "4.0 is a float32 constant"
    )
    y = ps.int8("y")
    half = Composite([y], [y // 2])
    assert half.array_impl(np.array([7, -7], dtype="int16")).dtype == "int16"


# -- identity ---------------------------------------------------------------------------
def test_equality_is_structural() -> None:
    x, y = xy()
    a, b = xy()
    c1 = Composite([x, y], [ps.exp(x) + y])
    c2 = Composite([a, b], [ps.exp(a) + b])
    assert c1 == c2 and hash(c1) == hash(c2)
    assert c1 != Composite([x, y], [ps.exp(y) + x])
    assert c1 != Composite([x, y], [ps.exp(x) * y])
    assert c1 != Composite([x, y], [ps.exp(x) + y, x])
    f, g = xy("float32")
    assert c1 != Composite([f, g], [ps.exp(f) + g])
    assert c1 != ps.add
    assert len({c1, c2}) == 1
    assert Elemwise(c1) == Elemwise(c2) and hash(Elemwise(c1)) == hash(Elemwise(c2))


def test_equality_with_constants_and_shared_subgraphs() -> None:
    x = ps.float64("x")
    e = ps.exp(x)
    shared = Composite([x], [e + e])
    unshared = Composite([x], [ps.exp(x) + ps.exp(x)])
    assert shared == unshared and hash(shared) == hash(unshared)
    assert Composite([x], [x + 1.0]) == Composite([x], [x + 1.0])
    assert Composite([x], [x + 1.0]) != Composite([x], [x + 2.0])


def test_stable_token_and_graph_hash() -> None:
    x, y = xy()
    c1 = Composite([x, y], [ps.exp(x) + y])
    c2 = Composite([y, x], [ps.exp(y) + x])
    assert stable_token(c1) == stable_token(c2)
    assert stable_token(c1) != stable_token(Composite([x, y], [ps.exp(x) - y]))
    a = pt.dvector("a")
    h1 = graph_hash([Elemwise(c1)(a, a)], [a])
    h2 = graph_hash([Elemwise(c2)(a, a)], [a])
    assert h1 == h2
    assert stable_token(pickle.loads(pickle.dumps(c1))) == stable_token(c1)


def test_pickle_and_clone() -> None:
    x, y = xy()
    comp = Composite([x, y], [x * y + 1.0])
    comp.array_impl(np.ones(2), np.ones(2))  # build the cached evaluation program
    back = pickle.loads(pickle.dumps(comp))
    assert back == comp
    np.testing.assert_array_equal(back.array_impl(np.array([2.0]), np.array([3.0])), [7.0])
    clone = comp.clone()
    assert clone == comp and clone.fgraph is not comp.fgraph
    assert clone.inner_inputs[0] is not comp.inner_inputs[0]


# -- inside Elemwise ---------------------------------------------------------------------
def test_elemwise_with_several_outputs() -> None:
    x, y = xy()
    comp = Composite([x, y], [ps.exp(x) + y, x * y, x])
    a = pt.matrix("a", shape=(None, 3))
    b = pt.vector("b", dtype="float32", shape=(3,))
    outs = Elemwise(comp)(a, b)
    assert len(outs) == 3
    assert all(o.type.shape == (None, 3) and o.dtype == "float64" for o in outs)
    f = function([a, b], outs, mode=PY)
    av = np.arange(6.0).reshape(2, 3)
    bv = np.array([1.0, -1.0, 0.5], dtype="float32")
    r0, r1, r2 = f(av, bv)
    np.testing.assert_allclose(r0, np.exp(av) + bv)
    np.testing.assert_allclose(r1, av * bv)
    np.testing.assert_array_equal(r2, av)
    assert not np.shares_memory(r2, av)


def test_elemwise_composite_with_bool_and_int_outputs() -> None:
    x = ps.float32("x")
    comp = Composite([x], [x > 0, ps.cast(ps.floor(x), "int16")])
    v = pt.fvector("v")
    pos, fl = Elemwise(comp)(v)
    assert (pos.dtype, fl.dtype) == ("bool", "int16")
    r_pos, r_fl = function([v], [pos, fl], mode=PY)(np.array([-1.5, 0.0, 2.7], dtype="float32"))
    np.testing.assert_array_equal(r_pos, [False, False, True])
    np.testing.assert_array_equal(r_fl, [-2, 0, 2])
    assert r_fl.dtype == "int16"


def test_elemwise_composite_shapes_agree() -> None:
    x, y = xy()
    comp = Composite([x, y], [x + y, x * y])
    a = pt.tensor("a", shape=(None, 1, 4))
    b = pt.tensor("b", shape=(3, None))
    outs = Elemwise(comp)(a, b)
    assert outs[0].type.shape == outs[1].type.shape == (None, 3, 4)
    node = outs[0].owner
    n0, n1 = pt.lscalar("n0"), pt.lscalar("n1")
    symbolic = node.op.infer_shape(None, node, [(n0, 1, 4), (1, 3, n1)])
    assert len(symbolic) == 2
    entries = [pt.as_tensor(s, dtype="int64") for s in symbolic[0]]
    shape_fn = function([n0, n1], entries, mode=PY, on_unused_input="ignore")
    av, bv = np.ones((2, 1, 4)), np.ones((3, 4))
    values = function([a, b], outs, mode=PY)(av, bv)
    assert tuple(int(s) for s in shape_fn(2, 4)) == values[0].shape == values[1].shape == (2, 3, 4)


def test_elemwise_composite_runtime_shape_error() -> None:
    x, y = xy()
    comp = Composite([x, y], [x + y])
    a, b = pt.dvector("a"), pt.dvector("b")
    f = function([a, b], Elemwise(comp)(a, b), mode=PY)
    with pytest.raises(ValueError, match="Composite"):
        f(np.ones(3), np.ones(1))


def test_composite_node_is_an_apply_of_the_op() -> None:
    x, y = xy()
    comp = Composite([x, y], [x - y])
    node = comp.make_node(ps.float64("p"), ps.float64("q"))
    assert isinstance(node, Apply) and node.op is comp
    node = comp.make_node(ps.float64("p"), 2.0)
    assert node.inputs[1].type.dtype == "float32", "a Python float is autocast"
    assert node.op is not comp and node.op.inputs_type == (ps.float64, ps.float32)
    assert node.outputs[0].type.dtype == "float64"
    assert str(node.op) == "Composite{(i0 - i1)}"
