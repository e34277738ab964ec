"""Tests of pytensor.graph.replace: clone_replace, graph_replace, vectorize_graph."""

import numpy as np
import pytest
from toy import ArrayType, add, evaluate, fscalar, fvector, mul, neg, sum_diff

from pytensor.graph.basic import Apply, Constant, equal_computations
from pytensor.graph.op import Op
from pytensor.graph.replace import (
    _vectorize_node,
    clone_replace,
    graph_replace,
    vectorize_graph,
)
from pytensor.graph.traversal import ancestors, graph_inputs


class TestCloneReplace:
    def test_replaces_and_leaves_original(self):
        x, y, w = fscalar("x"), fscalar("y"), fscalar("w")
        z = add(neg(x), y)
        before = list(ancestors([z]))
        z2 = clone_replace(z, {x: w})
        assert list(ancestors([z])) == before
        assert set(graph_inputs([z2])) == {w, y}
        assert evaluate([z2], {w: 5.0, y: 1.0}) == [-4.0]
        # Every node is a copy, untouched ones too.
        assert z2.owner is not z.owner
        assert all(v.owner is None or v.owner not in {z.owner} for v in ancestors([z2]))

    def test_replacement_using_the_replaced_variable(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(neg(x), y)
        z2 = clone_replace(z, {x: mul(x, 2.0)})
        # -(2 * x) + y, with x itself kept as the input: no recursion.
        assert set(graph_inputs([z2])) >= {x, y}
        assert evaluate([z2], {x: 3.0, y: 1.0}) == [-5.0]
        inner = z2.owner.inputs[0].owner.inputs[0]
        assert inner.owner.op == mul and inner.owner.inputs[0] is x

    def test_swap(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(x, mul(y, 2.0))
        for fn in (clone_replace, graph_replace):
            z2 = fn(z, {x: y, y: x})
            assert evaluate([z2], {x: 1.0, y: 10.0}) == [12.0]  # y + 2 * x

    def test_list_in_list_out(self):
        x, w = fscalar("x"), fscalar("w")
        outs = clone_replace([neg(x), x], [(x, w)])
        assert isinstance(outs, list) and outs[1] is w
        assert outs[0].owner.inputs[0] is w

    def test_copy_inputs_over(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(x, y)
        kept = clone_replace(z, {})
        assert kept.owner.inputs == [x, y] and kept is not z
        copied = clone_replace(z, {}, copy_inputs_over=False)
        assert copied.owner.inputs[0] is not x and copied.owner.inputs[0].name == "x"

    def test_value_replacement_becomes_constant(self):
        x, y = fscalar("x"), fscalar("y")
        z2 = clone_replace(add(x, y), {x: 4})
        c = z2.owner.inputs[0]
        assert isinstance(c, Constant) and c.data == 4.0
        assert evaluate([z2], {y: 1.0}) == [5.0]

    def test_incompatible_type_names_both(self):
        x = fscalar("x")
        with pytest.raises(TypeError) as info:
            clone_replace(neg(x), {x: fvector("v")})
        msg = str(info.value)
        assert "type float" in msg and "Array(float64, (?,))" in msg

    def test_more_specific_type_is_accepted(self):
        a = fvector("a")
        z = neg(a)
        z2 = clone_replace(z, {a: fvector("b", 3)})
        assert z2.owner.inputs[0].type == ArrayType("float64", (3,))
        assert z2.type == ArrayType("float64", (3,))  # re-inferred by make_node

    def test_same_class_type_needs_strict_false(self):
        a = fvector("a", 3)
        z = neg(a)
        with pytest.raises(TypeError, match="incompatible"):
            clone_replace(z, {a: fvector("b")})
        z2 = clone_replace(z, {a: fvector("b")}, strict=False)
        assert z2.type == ArrayType("float64", (None,))  # re-inferred by make_node

    def test_bad_arguments(self):
        x = fscalar("x")
        with pytest.raises(TypeError, match="keys must be Variables"):
            clone_replace(neg(x), {"x": x})
        with pytest.raises(TypeError, match="unexpected arguments"):
            clone_replace(neg(x), {}, nonsense=True)


class TestGraphReplace:
    def test_reuses_untouched_nodes(self):
        x, y, w = fscalar("x"), fscalar("y"), fscalar("w")
        a = neg(x)  # does not depend on y
        b = mul(a, a)  # does not depend on y
        z = add(b, y)
        z2, b2 = graph_replace([z, b], {y: w})
        assert b2 is b
        assert z2 is not z and z2.owner.inputs[0] is b and z2.owner.inputs[1] is w
        assert evaluate([z2], {x: 2.0, w: 10.0}) == [14.0]
        assert z.owner.inputs[1] is y  # original untouched

    def test_single_output_form(self):
        x, w = fscalar("x"), fscalar("w")
        z = neg(x)
        assert graph_replace(z, {x: w}).owner.inputs == [w]
        assert graph_replace(z, {}) is z

    def test_strict_missing_key(self):
        x, y = fscalar("x"), fscalar("y")
        z = neg(x)
        with pytest.raises(ValueError, match="do not depend on y"):
            graph_replace(z, {y: x})
        assert graph_replace(z, {y: x}, strict=False) is z

    def test_replacement_using_the_replaced_variable(self):
        x = fscalar("x")
        z = neg(add(x, 1.0))
        z2 = graph_replace(z, {x: mul(x, 2.0)})
        assert evaluate([z2], {x: 3.0}) == [-7.0]

    def test_nested_replacements(self):
        x = fscalar("x")
        a = neg(x)
        b = add(a, 1.0)
        z = mul(b, b)
        u, v = fscalar("u"), fscalar("v")
        z2 = graph_replace(z, {a: u, b: v})
        assert z2.owner.inputs == [v, v]

    def test_incompatible_type_names_both(self):
        x = fscalar("x")
        with pytest.raises(TypeError) as info:
            graph_replace(neg(x), {x: fvector("v", 2)})
        assert "float" in str(info.value) and "Array(float64, (2,))" in str(info.value)

    def test_multi_output_node(self):
        x, y, w = fscalar("x"), fscalar("y"), fscalar("w")
        s, d = sum_diff(x, y)
        z = mul(s, d)
        z2 = graph_replace(z, {y: w})
        assert evaluate([z2], {x: 3.0, w: 1.0}) == [8.0]
        assert z2.owner.inputs[0].owner is z2.owner.inputs[1].owner

    def test_matches_clone_replace(self):
        x, y, w = fscalar("x"), fscalar("y"), fscalar("w")
        z = add(mul(neg(x), y), y)
        assert equal_computations([graph_replace(z, {y: w})], [clone_replace(z, {y: w})])


class TestVectorizeGraph:
    def test_default_refuses_and_names_op(self):
        a = fvector("a", 3)
        with pytest.raises(NotImplementedError, match="Cannot vectorize Neg"):
            vectorize_graph(neg(a), {a: ArrayType("float64", (2, 3))("b")})

    def test_registered_vectorization(self):
        class Double(Op):
            __props__ = ()

            def make_node(self, x):
                return Apply(self, [x], [x.type()])

            def perform(self, node, inputs, output_storage):
                output_storage[0][0] = inputs[0] * 2

        @_vectorize_node.register(Double)
        def _(op, node, batched):
            return op.make_node(batched)

        double = Double()
        a = fvector("a", 3)
        c = fvector("c", 3)
        z = add(double(a), c)  # the Add does not depend on the batched input's core
        b = ArrayType("float64", (2, 3))("b")
        # The add node is not registered, so only graphs whose changed nodes are Doubles work.
        vz = vectorize_graph(double(a), {a: b})
        assert vz.type == ArrayType("float64", (2, 3))
        [value] = evaluate([vz], {b: np.arange(6.0).reshape(2, 3)})
        np.testing.assert_array_equal(value, np.arange(6.0).reshape(2, 3) * 2)
        # Nodes that do not depend on a replaced variable are reused.
        assert vectorize_graph(z, {b: b}) is z
