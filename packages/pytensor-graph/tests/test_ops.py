"""Tests of pytensor.compile.ops (as_op, DeepCopyOp, ViewOp) and pytensor.compile.io (In, Out)."""

import numpy as np
import pytest
from toy import ArrayType, FloatType, add, fscalar, fvector, neg

from pytensor.compile.function import function
from pytensor.compile.io import In, Out
from pytensor.compile.ops import DeepCopyOp, FromFunctionOp, as_op, deep_copy_op, view_op
from pytensor.graph.type import generic

VEC = ArrayType("float64", (None,))


def _reverse(v):
    return v[::-1].copy()


class TestAsOp:
    def test_decorated_function_runs(self):
        rev = as_op(itypes=[VEC], otypes=[VEC])(_reverse)
        assert isinstance(rev, FromFunctionOp)
        assert str(rev) == "FromFunctionOp{_reverse}"
        v = VEC("v")
        f = function([v], rev(v))
        np.testing.assert_array_equal(f(np.array([1.0, 2.0, 3.0])), [3.0, 2.0, 1.0])

    def test_multiple_outputs_and_output_filtering(self):
        @as_op(itypes=[FloatType(), FloatType()], otypes=[FloatType(), FloatType()])
        def divmod_op(a, b):
            return divmod(int(a), int(b))

        x, y = fscalar("x"), fscalar("y")
        q, r = divmod_op(x, y)
        out = function([x, y], [q, r])(7.0, 3.0)
        assert out == [2.0, 1.0] and all(isinstance(o, float) for o in out)

    def test_wrong_output_count(self):
        @as_op(itypes=[FloatType()], otypes=[FloatType(), FloatType()])
        def one(a):
            return (a,)

        x = fscalar("x")
        f = function([x], one(x))
        with pytest.raises(ValueError, match="returned 1 outputs, expected 2"):
            f(1.0)

    def test_output_type_checked(self):
        @as_op(itypes=[FloatType()], otypes=[FloatType()])
        def bad(a):
            return "not a float"

        x = fscalar("x")
        with pytest.raises(TypeError, match="float"):
            function([x], bad(x))(1.0)

    def test_make_node_checks(self):
        rev = as_op(itypes=[VEC], otypes=[VEC])(_reverse)
        with pytest.raises(TypeError, match="takes 1 inputs, got 2"):
            rev(VEC(), VEC())
        with pytest.raises(
            TypeError, match=r"input 0: Cannot convert .* to type Array\(float64, \(\?,\)\)"
        ):
            rev(fscalar("x"))

    def test_arguments_validated(self):
        with pytest.raises(TypeError, match="lists of Types"):
            as_op(itypes=VEC, otypes=[VEC])
        with pytest.raises(TypeError, match="is not a Type"):
            as_op(itypes=[float], otypes=[VEC])

    def test_equality_by_function(self):
        a = as_op(itypes=[VEC], otypes=[VEC])(_reverse)
        b = as_op(itypes=[VEC], otypes=[VEC])(_reverse)
        c = as_op(itypes=[VEC], otypes=[VEC])(lambda v: v)
        assert a == b and hash(a) == hash(b)
        assert a != c

    def test_infer_shape(self):
        rev = as_op(itypes=[VEC], otypes=[VEC], infer_shape=lambda fg, node, shapes: [shapes[0]])(
            _reverse
        )
        node = rev.make_node(VEC())
        assert rev.infer_shape(None, node, [(5,)]) == [(5,)]
        plain = as_op(itypes=[VEC], otypes=[VEC])(_reverse)
        from pytensor.graph.op import ShapeNotDefined

        with pytest.raises(ShapeNotDefined):
            plain.infer_shape(None, plain.make_node(VEC()), [(5,)])


class TestCopyAndView:
    def test_deep_copy_op(self):
        v = VEC("v")
        f = function([v], deep_copy_op(v))
        a = np.arange(3.0)
        out = f(a)
        assert not np.shares_memory(out, a)
        assert isinstance(deep_copy_op, DeepCopyOp)
        storage = [[None]]
        nested = {"a": [1, 2]}
        deep_copy_op.perform(None, [nested], storage)
        assert storage[0][0] == nested and storage[0][0]["a"] is not nested["a"]
        deep_copy_op.perform(None, [3.5], storage)
        assert storage[0][0] == 3.5

    def test_view_op(self):
        g = generic("g")
        node = view_op.make_node(g)
        assert node.outputs[0].type == generic
        storage = [[None]]
        obj = object()
        view_op.perform(node, [obj], storage)
        assert storage[0][0] is obj
        assert view_op.view_map == {0: [0]}
        # A compiled function still copies a view of its input.
        v = VEC("v")
        a = np.arange(3.0)
        assert not np.shares_memory(function([v], view_op(v))(a), a)


class TestInOut:
    def test_in_defaults(self):
        x = fscalar("x")
        i = In(x)
        assert i.name == "x" and i.update is None and not i.mutable and not i.implicit
        assert In(x, name="other").name == "other"
        assert In(x, autoname=False).name is None

    def test_in_validation(self):
        with pytest.raises(TypeError, match="needs a Variable"):
            In(1.0)
        x = fscalar("x")
        with pytest.raises(TypeError, match="name must be a string"):
            In(x, name=3)
        with pytest.raises(TypeError, match="does not fit float"):
            In(x, update=fvector("v"))

    def test_mutable_implies_borrow(self):
        v = VEC("v")
        assert In(v, mutable=True).borrow
        assert not In(v).borrow
        assert In(fscalar("x"), update=neg(fscalar("y"))).mutable

    def test_out(self):
        x = fscalar("x")
        assert Out(x).borrow is False and Out(x, borrow=True).borrow is True
        assert str(Out(x, borrow=True)) == "Out(x, borrow=True)"
        with pytest.raises(TypeError, match="needs a Variable"):
            Out(1.0)

    def test_in_str(self):
        x, y = fscalar("x"), fscalar("y")
        assert str(In(x)) == "In(x)"
        assert str(In(x, update=add(x, y))) == "In(x -> Add.0)"
