"""Tests of pytensor.compile.builders.OpFromGraph."""

import pickle

import numpy as np
import pytest
from toy import (
    ArrayType,
    FloatType,
    Scale,
    add,
    evaluate,
    fscalar,
    fshared,
    fvector,
    mul,
    neg,
)

from pytensor.compile import builders
from pytensor.compile.builders import OpFromGraph, register_default_derivatives
from pytensor.compile.function import function
from pytensor.graph.basic import Apply, Constant, equal_computations
from pytensor.graph.hashing import UnhashableGraphError, graph_hash
from pytensor.graph.op import Op, ShapeNotDefined


class Arange(Op):
    """``[0, 1, ..., n-1]`` for a float ``n``: its output length is an input's value."""

    __props__ = ()

    def make_node(self, n):
        return Apply(self, [n], [ArrayType("float64", (None,))()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = np.arange(int(inputs[0]), dtype="float64")

    def infer_shape(self, fgraph, node, input_shapes):
        return [(node.inputs[0],)]


@pytest.fixture
def no_default_derivatives(monkeypatch):
    """Derivatives as with pytensor-graph alone (no gradient layer registered)."""
    monkeypatch.setattr(builders, "_DEFAULTS", {"pullback": None, "pushforward": None})


def two_output_ofg(**kwargs):
    x, y = fscalar("x"), fscalar("y")
    return OpFromGraph([x, y], [add(mul(x, y), x), neg(y)], **kwargs)


class TestEvaluation:
    def test_perform_matches_inner_graph(self):
        ofg = two_output_ofg()
        a, b = fscalar("a"), fscalar("b")
        o1, o2 = ofg(a, b)
        f = function([a, b], [o1, o2])
        for av, bv in [(2.0, 3.0), (-1.5, 0.5)]:
            assert f(av, bv) == [av * bv + av, -bv]
            assert f(av, bv) == evaluate(
                ofg.inner_outputs, dict(zip(ofg.inner_inputs, [av, bv], strict=True))
            )

    def test_used_twice_and_nested(self):
        x = fscalar("x")
        double = OpFromGraph([x], [add(x, x)], name="double")
        y = fscalar("y")
        quad = OpFromGraph([y], [double(double(y))], name="quad")
        a = fscalar("a")
        f = function([a], add(quad(a), double(a)))
        assert f(1.5) == 6.0 + 3.0

    def test_arrays(self):
        v = fvector("v", 3)
        ofg = OpFromGraph([v], [mul(v, v)])
        w = fvector("w", 3)
        out = function([w], ofg(w))(np.array([1.0, 2.0, 3.0]))
        np.testing.assert_array_equal(out, [1.0, 4.0, 9.0])

    def test_fn_and_inline_graph(self):
        ofg = two_output_ofg()
        assert ofg.fn(2.0, 3.0) == [8.0, -3.0]
        a, b = fscalar("a"), fscalar("b")
        node = ofg(a, b)[0].owner
        inlined = ofg.inline_graph(node)
        assert evaluate(inlined, {a: 2.0, b: 3.0}) == [8.0, -3.0]
        assert equal_computations(inlined, [add(mul(a, b), a), neg(b)])

    def test_inline_flag(self):
        assert two_output_ofg(inline=True).is_inline
        assert not two_output_ofg().is_inline
        assert str(two_output_ofg()) == "OpFromGraph{inline=False}"
        assert str(two_output_ofg(name="mine")) == "mine"


class TestMakeNode:
    def test_wrong_number_of_inputs(self):
        ofg = two_output_ofg(name="two")
        with pytest.raises(TypeError, match="two takes 2 inputs, got 1"):
            ofg(fscalar())

    def test_wrong_type(self):
        ofg = two_output_ofg(name="two")
        with pytest.raises(
            TypeError, match=r"two: input 1 has type Array\(float64, \(\?,\)\), expected float"
        ):
            ofg(fscalar(), fvector("v"))

    def test_python_values_become_constants(self):
        ofg = two_output_ofg()
        a = fscalar("a")
        o1, _ = ofg(a, 4)
        assert isinstance(o1.owner.inputs[1], Constant)
        assert function([a], o1)(2.0) == 10.0

    def test_more_specific_input_type_is_accepted(self):
        v = fvector("v")
        ofg = OpFromGraph([v], [neg(v)])
        out = ofg(fvector("w", 3))
        assert out.type == ArrayType("float64", (None,))

    def test_bad_construction(self):
        x = fscalar("x")
        with pytest.raises(TypeError, match="outputs must be a list"):
            OpFromGraph([x], neg(x))
        with pytest.raises(TypeError, match="input 0 .* is a constant"):
            OpFromGraph([Constant(FloatType(), 1.0)], [neg(x)])
        with pytest.raises(TypeError, match="input 0 is not a Variable"):
            OpFromGraph([1.0], [neg(x)])
        with pytest.raises(TypeError, match="unexpected arguments"):
            OpFromGraph([x], [neg(x)], bogus=1)


class TestSharedInputs:
    def test_shared_become_implicit_inputs(self):
        s = fshared(2.0, "s")
        x = fscalar("x")
        ofg = OpFromGraph([x], [mul(x, s)])
        assert ofg.shared_inputs == [s]
        a = fscalar("a")
        out = ofg(a)
        assert out.owner.inputs == [a, s]
        f = function([a], out)
        assert f(3.0) == 6.0
        s.set_value(5.0)
        assert f(3.0) == 15.0

    def test_strict_rejects_shared(self):
        s = fshared(2.0, "s")
        x = fscalar("x")
        with pytest.raises(TypeError, match="does not allow the shared variables"):
            OpFromGraph([x], [mul(x, s)], strict=True)


class TestInferShape:
    def test_static_shapes(self):
        v, w = fvector("v"), fvector("w")
        ofg = OpFromGraph([v, w], [add(neg(v), w), v])
        node = ofg(fvector("a"), fvector("b"))[0].owner
        assert ofg.infer_shape(None, node, [(3,), (3,)]) == [(3,), (3,)]

    def test_symbolic_shape_uses_outer_inputs(self):
        n = fscalar("n")
        ofg = OpFromGraph([n], [neg(Arange()(n))])
        m = fscalar("m")
        node = ofg(m).owner
        [(length,)] = ofg.infer_shape(None, node, [()])
        assert length is m

    def test_symbolic_shape_expression(self):
        n = fscalar("n")
        ofg = OpFromGraph([n], [Arange()(add(n, 1.0))])
        m = fscalar("m")
        node = ofg(m).owner
        [(length,)] = ofg.infer_shape(None, node, [()])
        assert equal_computations([length], [add(m, 1.0)])
        assert evaluate([length], {m: 4.0}) == [5.0]

    def test_missing_infer_shape(self):
        v = fvector("v")
        ofg = OpFromGraph([v], [Scale(2.0)(v)])
        node = ofg(fvector("a")).owner
        with pytest.raises(ShapeNotDefined, match="Scale does not define infer_shape"):
            ofg.infer_shape(None, node, [(3,)])

    def test_inner_constant_with_static_shape(self):
        v = fvector("v", 2)
        c = Constant(ArrayType("float64", (2,)), np.ones(2))
        ofg = OpFromGraph([v], [add(c, v)])
        node = ofg(fvector("a", 2)).owner
        assert ofg.infer_shape(None, node, [(2,)]) == [(2,)]


class TestDerivatives:
    def test_pullback_callable_override(self):
        calls = []

        def pullback(inputs, outputs, cotangents):
            calls.append((inputs, outputs, cotangents))
            return [cotangents[0], neg(cotangents[0])]

        x, y = fscalar("x"), fscalar("y")
        ofg = OpFromGraph([x, y], [add(x, y)], pullback_overrides=pullback)
        a, b, g = fscalar("a"), fscalar("b"), fscalar("g")
        out = ofg(a, b)
        res = ofg.pullback([a, b], [out], [g])
        assert res[0] is g and res[1].owner.op == neg and res[1].owner.inputs == [g]
        assert calls == [([a, b], [out], [g])]

    def test_pullback_per_input_list(self, no_default_derivatives):
        x, y = fscalar("x"), fscalar("y")
        g = fscalar("g")
        const = Constant(FloatType(), 0.0)
        ofg = OpFromGraph(
            [x, y],
            [mul(x, y)],
            pullback_overrides=[lambda i, o, c: mul(c[0], i[1]), const],
        )
        a, b = fscalar("a"), fscalar("b")
        res = ofg.pullback([a, b], [ofg(a, b)], [g])
        assert equal_computations([res[0]], [mul(g, b)])
        assert res[1] is const

    def test_list_with_default_entry_needs_gradient_layer(self, no_default_derivatives):
        x, y = fscalar("x"), fscalar("y")
        ofg = OpFromGraph([x, y], [mul(x, y)], pullback_overrides=[None, lambda i, o, c: c[0]])
        a, b = fscalar("a"), fscalar("b")
        with pytest.raises(NotImplementedError, match="pytensor-tensor"):
            ofg.pullback([a, b], [ofg(a, b)], [fscalar("g")])

    def test_wrong_list_length(self, no_default_derivatives):
        x, y = fscalar("x"), fscalar("y")
        ofg = OpFromGraph([x, y], [mul(x, y)], pullback_overrides=[lambda i, o, c: c[0]])
        with pytest.raises(TypeError, match="one entry per input"):
            ofg.pullback([x, y], [mul(x, y)], [fscalar("g")])

    def test_pushforward_overrides(self, no_default_derivatives):
        ofg = two_output_ofg(pushforward_overrides=lambda i, o, t: [add(t[0], t[1]), neg(t[1])])
        a, b, ta, tb = (fscalar(n) for n in ("a", "b", "ta", "tb"))
        outs = ofg(a, b)
        res = ofg.pushforward([a, b], outs, [ta, tb])
        assert equal_computations(res, [add(ta, tb), neg(tb)])
        per_output = two_output_ofg(
            pushforward_overrides=[lambda i, o, t: t[0], lambda i, o, t: t[1]]
        )
        assert per_output.pushforward([a, b], outs, [ta, tb]) == [ta, tb]
        with pytest.raises(TypeError, match="one entry per output"):
            two_output_ofg(pushforward_overrides=[None]).pushforward([a, b], outs, [ta, tb])

    def test_aliases(self):
        over = lambda i, o, c: [c[0], c[0]]  # noqa: E731
        for kw in ("lop_overrides", "grad_overrides"):
            x, y = fscalar("x"), fscalar("y")
            ofg = OpFromGraph([x, y], [add(x, y)], **{kw: over})
            g = fscalar("g")
            assert ofg.pullback([x, y], [add(x, y)], [g]) == [g, g]
        x = fscalar("x")
        ofg = OpFromGraph([x], [neg(x)], rop_overrides=lambda i, o, t: [neg(t[0])])
        t = fscalar("t")
        assert equal_computations(ofg.pushforward([x], [neg(x)], [t]), [neg(t)])

    def test_default_without_gradient_layer(self, no_default_derivatives):
        ofg = two_output_ofg()
        a, b = fscalar("a"), fscalar("b")
        outs = ofg(a, b)
        with pytest.raises(NotImplementedError, match=r"pytensor-tensor.*override"):
            ofg.pullback([a, b], outs, [fscalar(), fscalar()])
        with pytest.raises(NotImplementedError, match="default pushforward"):
            ofg.pushforward([a, b], outs, [fscalar(), fscalar()])

    def test_registered_default_is_used(self, no_default_derivatives):
        seen = []

        def fake_pullback(inputs, outputs, cotangents):
            seen.append((inputs, outputs, cotangents))
            return ["d_" + str(i) for i in inputs]

        register_default_derivatives(pullback=fake_pullback)
        ofg = two_output_ofg()
        a, b = fscalar("a"), fscalar("b")
        g1, g2 = fscalar("g1"), fscalar("g2")
        assert ofg.pullback([a, b], ofg(a, b), [g1, g2]) == ["d_a", "d_b"]
        inputs, inner_outs, cts = seen[0]
        assert inputs == [a, b] and cts == [g1, g2]
        # The default differentiates the inner graph applied to the outer inputs.
        assert equal_computations(inner_outs, [add(mul(a, b), a), neg(b)])

    def test_connection_pattern(self):
        x, y = fscalar("x"), fscalar("y")
        ofg = OpFromGraph([x, y], [neg(x), add(x, y)])
        node = ofg(fscalar(), fscalar())[0].owner
        assert ofg.connection_pattern(node) == [[True, True], [False, True]]
        given = OpFromGraph([x, y], [neg(x)], connection_pattern=[[True], [True]])
        assert given.connection_pattern(given(fscalar(), fscalar()).owner) == [[True], [True]]


class TestValueSemantics:
    def test_equal_graphs_give_equal_ops(self):
        a, b = two_output_ofg(), two_output_ofg()
        assert a == b and hash(a) == hash(b)
        x, y = fscalar("x"), fscalar("y")
        other = OpFromGraph([x, y], [add(mul(x, y), y), neg(y)])
        assert a != other
        assert a != two_output_ofg(name="named")
        assert a != two_output_ofg(inline=True)
        assert two_output_ofg(pullback_overrides=neg) != a

    def test_graph_hash_with_ofg(self):
        def outer(ofg):
            p, q = fscalar("p"), fscalar("q")
            return [ofg(p, q)[0]]

        assert graph_hash(outer(two_output_ofg())) == graph_hash(outer(two_output_ofg()))
        x, y = fscalar("x"), fscalar("y")
        different = OpFromGraph([x, y], [mul(mul(x, y), x), neg(y)])
        assert graph_hash(outer(two_output_ofg())) != graph_hash(outer(different))
        assert graph_hash(outer(two_output_ofg())) != graph_hash(outer(two_output_ofg(name="n")))

    def test_graph_hash_with_overrides_is_unhashable(self):
        ofg = two_output_ofg(pullback_overrides=lambda i, o, c: c)
        with pytest.raises(UnhashableGraphError, match="derivative overrides"):
            graph_hash(ofg(fscalar(), fscalar()))

    def test_clone(self):
        ofg = two_output_ofg()
        c = ofg.clone()
        assert c == ofg and c.fgraph is not ofg.fgraph
        assert c.inner_outputs[0] is not ofg.inner_outputs[0]
        assert c.fn(1.0, 2.0) == [3.0, -2.0]

    def test_pickle(self):
        ofg = two_output_ofg()
        ofg.fn(1.0, 1.0)  # compile the inner function; it is not pickled
        c = pickle.loads(pickle.dumps(ofg))
        assert c == ofg and c._runner is None
        assert c.fn(2.0, 3.0) == [8.0, -3.0]
        a = fscalar("a")
        f = function([a], ofg(a, 1.0)[0])
        assert pickle.loads(pickle.dumps(f))(2.0) == 4.0
