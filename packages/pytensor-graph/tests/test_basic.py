"""Tests of pytensor.graph.basic (Variable, Constant, Apply, NominalVariable, cloning)
and of Op/Type value semantics (pytensor.graph.op, pytensor.graph.utils)."""

import pickle

import numpy as np
import pytest
from toy import (
    Add,
    ArrayType,
    FloatType,
    Mul,
    Scale,
    add,
    fscalar,
    fvector,
    mul,
    neg,
    sum_diff,
)

from pytensor.graph.basic import (
    Apply,
    Constant,
    NominalVariable,
    Variable,
    clone,
    clone_get_equiv,
    equal_computations,
)
from pytensor.graph.op import Op
from pytensor.graph.traversal import ancestors, io_toposort
from pytensor.graph.type import generic
from pytensor.graph.utils import MetaObject


class TestApplyAndVariable:
    def test_apply_sets_owner_and_index(self):
        x, y = fscalar("x"), fscalar("y")
        outs = [FloatType()(), FloatType()()]
        node = Apply(Add(), [x, y], outs)
        assert [o.owner for o in outs] == [node, node]
        assert [o.index for o in outs] == [0, 1]
        assert node.inputs == [x, y]
        assert node.nin == 2 and node.nout == 2

    def test_apply_rejects_non_variables(self):
        x = fscalar("x")
        with pytest.raises(TypeError, match="Input 1 of an Apply of Add must be a Variable"):
            Apply(Add(), [x, 3.0], [FloatType()()])
        with pytest.raises(TypeError, match="Output 0"):
            Apply(Add(), [x], [1.0])

    def test_output_already_owned_raises(self):
        x = fscalar("x")
        z = neg(x)
        with pytest.raises(ValueError, match="already belongs to another node"):
            Apply(Add(), [x, x], [z])

    def test_variable_init_validates(self):
        with pytest.raises(TypeError, match="must be a Type instance"):
            Variable("float")
        with pytest.raises(TypeError, match="owner must be an Apply"):
            Variable(FloatType(), owner="node")
        with pytest.raises(TypeError, match="index must be an int"):
            Variable(FloatType(), index="0")
        with pytest.raises(TypeError, match="name must be a string"):
            Variable(FloatType(), name=3)

    def test_default_output_single(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(x, y)
        assert z.owner.default_output() is z
        assert z.owner.out is z

    def test_default_output_multi_without_default_raises(self):
        a, b = sum_diff(fscalar(), fscalar())
        with pytest.raises(ValueError, match="2 outputs and no default_output"):
            a.owner.default_output()

    def test_default_output_attribute(self):
        class SecondOut(Op):
            __props__ = ()
            default_output = 1

            def make_node(self, x):
                return Apply(self, [x], [x.type(), x.type()])

        x = fscalar("x")
        out = SecondOut()(x)
        assert out.index == 1
        assert out.owner.default_output() is out
        assert SecondOut()(x, return_list=True)[0].index == 0

    def test_default_output_out_of_range(self):
        class Bad(Op):
            __props__ = ()
            default_output = 2

            def make_node(self, x):
                return Apply(self, [x], [x.type()])

        node = Bad().make_node(fscalar())
        with pytest.raises(ValueError, match="out of range"):
            node.default_output()

    def test_op_call_name_and_return_list(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(x, y, name="z")
        assert z.name == "z"
        assert isinstance(add(x, y, return_list=True), list)
        s, d = sum_diff(x, y, name="sd")
        assert (s.name, d.name) == ("sd_0", "sd_1")

    def test_str(self):
        x = fscalar("x")
        z = add(x, fscalar())
        assert str(x) == "x"
        assert str(z) == "Add.0"
        assert str(FloatType()()) == "<float>"
        assert str(Scale(2.0)) == "Scale{factor=2.0}"
        assert str(z.owner) == "Add(x, <float>)"

    def test_variable_clone(self):
        x = fscalar("x")
        x.tag.note = "hello"
        z = add(x, x)
        zc = z.clone()
        assert zc is not z
        assert zc.owner is None and zc.index is None
        assert zc.type == z.type
        assert x.clone().name == "x"
        assert x.clone(name="y").name == "y"
        xc = x.clone()
        assert xc.tag.note == "hello"
        xc.tag.note = "changed"
        assert x.tag.note == "hello"
        assert xc.auto_name != x.auto_name

    def test_apply_clone(self):
        x, y = fscalar("x"), fscalar("y")
        node = sum_diff(x, y)[0].owner
        new = node.clone()
        assert new is not node
        assert new.op is node.op
        assert new.inputs == node.inputs
        assert all(o.owner is new for o in new.outputs)
        assert [o.index for o in new.outputs] == [0, 1]
        assert all(n is not o for n, o in zip(new.outputs, node.outputs, strict=True))
        # The original node is unchanged.
        assert all(o.owner is node for o in node.outputs)


class TestCloneWithNewInputs:
    def test_same_type(self):
        x, y = fscalar("x"), fscalar("y")
        node = add(x, y).owner
        a, b = fscalar("a"), fscalar("b")
        new = node.clone_with_new_inputs([a, b])
        assert new.inputs == [a, b]
        assert new.op is node.op
        assert node.inputs == [x, y]
        assert new.outputs[0].owner is new

    def test_strict_incompatible_type_names_both_types(self):
        x, y = fscalar("x"), fscalar("y")
        node = add(x, y).owner
        v = fvector("v", 3)
        with pytest.raises(TypeError) as info:
            node.clone_with_new_inputs([v, y])
        msg = str(info.value)
        assert "Array(float64, (3,))" in msg and "float" in msg

    def test_strict_accepts_a_more_specific_type_and_reinfers(self):
        # (3,) fits (?,) exactly; as in PyTensor the node is rebuilt, refining the output.
        node = add(fvector("a"), fvector("b")).owner
        new = node.clone_with_new_inputs([fvector("p", 3), fvector("q", 3)], strict=True)
        assert new.outputs[0].type == ArrayType("float64", (3,))

    def test_strict_rejects_a_less_specific_type(self):
        node = add(fvector("a", 3), fvector("b", 3)).owner
        with pytest.raises(TypeError, match=r"Array\(float64, \(\?,\)\).*Array\(float64, \(3,\)\)"):
            node.clone_with_new_inputs([fvector("p"), fvector("q")], strict=True)

    def test_non_strict_reinfers_through_make_node(self):
        node = add(fvector("a", 3), fvector("b", 3)).owner
        node.tag.marker = 1
        new = node.clone_with_new_inputs([fvector("p"), fvector("q")], strict=False)
        assert new.outputs[0].type == ArrayType("float64", (None,))
        assert new.tag.marker == 1
        # Non-strict still goes through make_node's checks.
        with pytest.raises(TypeError, match="needs inputs of one type"):
            node.clone_with_new_inputs([fvector("p"), fvector("q", 4)], strict=False)

    def test_wrong_number_of_inputs(self):
        node = add(fscalar(), fscalar()).owner
        with pytest.raises(ValueError, match="takes 2 inputs"):
            node.clone_with_new_inputs([fscalar()])


class TestConstant:
    def test_filters_data(self):
        c = Constant(FloatType(), 3)
        assert c.data == 3.0 and isinstance(c.data, float)
        with pytest.raises(TypeError, match="float"):
            Constant(FloatType(), "three")

    def test_signature_equal_for_equal_arrays(self):
        t = ArrayType("float64", (2,))
        c1 = Constant(t, np.array([1.0, 2.0]))
        c2 = Constant(t, np.array([1.0, 2.0]))
        assert c1 is not c2
        assert c1.signature() == c2.signature()
        assert hash(c1.signature()) == hash(c2.signature())
        assert c1.equals(c2)
        # Variables themselves hash by identity.
        assert len({c1, c2}) == 2

    def test_signature_differs(self):
        t = ArrayType("float64", (2,))
        base = Constant(t, np.array([1.0, 2.0]))
        assert base.signature() != Constant(t, np.array([1.0, 3.0])).signature()
        t32 = ArrayType("float32", (2,))
        assert base.signature() != Constant(t32, np.array([1.0, 2.0], dtype="float32")).signature()
        t2 = ArrayType("float64", (None,))
        assert base.signature() != Constant(t2, np.array([1.0, 2.0])).signature()
        assert not base.equals(Constant(t, np.array([2.0, 1.0])))

    def test_no_owner(self):
        c = Constant(FloatType(), 1.0)
        assert c.owner is None and c.index is None
        with pytest.raises(ValueError, match="cannot have an owner"):
            c.owner = add(fscalar(), fscalar()).owner
        with pytest.raises(ValueError, match="cannot have an index"):
            c.index = 0

    def test_clone_keeps_data(self):
        c = Constant(FloatType(), 2.0, name="two")
        cc = c.clone()
        assert cc is not c and cc.data == 2.0 and cc.name == "two"
        assert cc.signature() == c.signature()

    def test_str(self):
        assert str(Constant(FloatType(), 2.5)) == "2.5"
        long = Constant(ArrayType("float64", (None,)), np.arange(20.0))
        assert "..." in str(long)


class TestNominalVariable:
    def test_identity_cached_by_id_and_type(self):
        a = NominalVariable(0, FloatType())
        b = NominalVariable(0, FloatType())
        assert a is b
        assert NominalVariable(1, FloatType()) is not a
        assert NominalVariable(0, ArrayType("float64", (None,))) is not a

    def test_clone_returns_self_and_no_owner(self):
        a = NominalVariable(7, FloatType())
        assert a.clone() is a
        assert a.owner is None
        with pytest.raises(ValueError):
            a.owner = add(fscalar(), fscalar()).owner

    def test_signature_and_equals(self):
        a = NominalVariable(3, FloatType())
        assert a.signature() == (NominalVariable, 3, FloatType())
        assert a.equals(NominalVariable(3, FloatType()))
        assert not a.equals(NominalVariable(4, FloatType()))

    def test_pickle_preserves_identity(self):
        a = NominalVariable(11, FloatType())
        assert pickle.loads(pickle.dumps(a)) is a

    def test_str(self):
        assert str(NominalVariable(5, FloatType())) == "*5-<float>"

    def test_inner_graphs_built_separately_are_equal(self):
        def build():
            i = NominalVariable(100, FloatType())
            return i, mul(add(i, i), i)

        i1, o1 = build()
        i2, o2 = build()
        assert o1 is not o2
        assert equal_computations([o1], [o2])


class TestOpValueSemantics:
    def test_equality_and_hash_by_props(self):
        assert Scale(2.0) == Scale(2.0)
        assert hash(Scale(2.0)) == hash(Scale(2.0))
        assert Scale(2.0) != Scale(3.0)
        assert Add() == Add()
        assert Add() != Mul()  # same (empty) props, different classes
        assert len({Scale(1.0), Scale(1.0), Scale(2.0)}) == 2

    def test_props_helpers(self):
        s = Scale(4.0)
        assert s._props() == (4.0,)
        assert s._props_dict() == {"factor": 4.0}

    def test_without_props_compares_by_identity(self):
        class Plain(Op):
            def make_node(self, x):
                return Apply(self, [x], [x.type()])

        a, b = Plain(), Plain()
        assert a == a and a != b
        assert str(a) == "Plain"

    def test_props_must_be_tuple_of_strings(self):
        with pytest.raises(TypeError, match="must be a tuple of attribute names"):

            class BadList(Op):  # noqa: F841
                __props__ = ["a"]

        with pytest.raises(TypeError, match="must hold strings"):

            class BadItems(Op):  # noqa: F841
                __props__ = ("a", 1)

    def test_own_eq_is_kept(self):
        class Custom(MetaObject):
            __props__ = ("a",)

            def __init__(self, a):
                self.a = a

            def __eq__(self, other):
                return True

            __hash__ = object.__hash__

        assert Custom(1) == Custom(2)

    def test_type_clone_changes_props(self):
        t = ArrayType("float64", (None,))
        assert t.clone(shape=(3,)) == ArrayType("float64", (3,))
        assert t.clone("float32") == ArrayType("float32", (None,))


class TestEqualComputations:
    def test_separately_built_graphs(self):
        x, y = fscalar("x"), fscalar("y")
        assert equal_computations([mul(add(x, y), x)], [mul(add(x, y), x)])

    def test_different_op_or_structure(self):
        x, y = fscalar("x"), fscalar("y")
        assert not equal_computations([add(x, y)], [mul(x, y)])
        assert not equal_computations([add(x, y)], [add(y, x)])
        assert not equal_computations([Scale(2.0)(x)], [Scale(3.0)(x)])
        assert not equal_computations([neg(x)], [neg(neg(x))])

    def test_different_roots_need_in_xs(self):
        x, y = fscalar("x"), fscalar("y")
        a, b = fscalar("a"), fscalar("b")
        gx = add(x, mul(x, y))
        ga = add(a, mul(a, b))
        assert not equal_computations([gx], [ga])
        assert equal_computations([gx], [ga], in_xs=[x, y], in_ys=[a, b])
        # Swapping the correspondence breaks it.
        assert not equal_computations([gx], [ga], in_xs=[x, y], in_ys=[b, a])
        # A y-side input reached from an x-side variable that is not its pair.
        assert not equal_computations([add(x, y)], [add(a, b)], in_xs=[x], in_ys=[a])

    def test_in_xs_length_mismatch(self):
        x = fscalar("x")
        with pytest.raises(ValueError, match="same length"):
            equal_computations([x], [x], in_xs=[x], in_ys=[])
        with pytest.raises(ValueError, match="same length"):
            equal_computations([x], [x, x])

    def test_constants_compared_by_value(self):
        x = fscalar("x")
        t = ArrayType("float64", (2,))
        v = fvector("v", 2)
        g1 = add(v, Constant(t, np.array([1.0, 2.0])))
        g2 = add(v, Constant(t, np.array([1.0, 2.0])))
        g3 = add(v, Constant(t, np.array([1.0, 2.5])))
        assert equal_computations([g1], [g2])
        assert not equal_computations([g1], [g3])
        assert equal_computations([add(x, 1.0)], [add(x, 1.0)])
        assert not equal_computations([add(x, 1.0)], [add(x, 2.0)])

    def test_constant_vs_variable(self):
        x = fscalar("x")
        assert not equal_computations([add(x, 1.0)], [add(x, fscalar("one"))])

    def test_output_index_matters(self):
        x, y = fscalar("x"), fscalar("y")
        s1, d1 = sum_diff(x, y)
        s2, d2 = sum_diff(x, y)
        assert equal_computations([d1], [d2])
        assert not equal_computations([s1], [d2])

    def test_type_mismatch(self):
        assert not equal_computations([fvector("a", 2)], [fvector("a", 3)])

    def test_shared_subgraph_consistency(self):
        # x-side reuses one node twice; y-side has two distinct but equal nodes.
        x = fscalar("x")
        n = neg(x)
        assert equal_computations([add(n, n)], [add(neg(x), neg(x))])

    def test_symmetric(self):
        x = fscalar("x")
        n = neg(x)
        a, b = add(n, n), add(neg(x), neg(x))
        assert equal_computations([a], [b]) and equal_computations([b], [a])
        c, d = add(n, neg(n)), add(neg(x), neg(neg(x)))
        assert equal_computations([c], [d]) and equal_computations([d], [c])

    def test_repeated_equal_constants(self):
        one = Constant(FloatType(), 1.0)
        other = add(Constant(FloatType(), 1.0), Constant(FloatType(), 1.0))
        assert equal_computations([add(one, one)], [other])
        assert equal_computations([other], [add(one, one)])


class TestCloneGetEquiv:
    def test_maps_everything(self):
        x, y = fscalar("x"), fscalar("y")
        z = mul(add(x, y), 2.0)
        equiv = clone_get_equiv([x, y], [z])
        nodes = io_toposort([x, y], [z])
        for node in nodes:
            new = equiv[node]
            assert new is not node and new.op == node.op
            assert [equiv[i] for i in node.inputs] == new.inputs
            assert [equiv[o] for o in node.outputs] == new.outputs
        assert equiv[x] is not x and equiv[x].name == "x"
        const = z.owner.inputs[1]
        assert equiv[const] is not const and equiv[const].data == 2.0
        assert equal_computations([z], [equiv[z]], in_xs=[x, y], in_ys=[equiv[x], equiv[y]])

    def test_copy_flags(self):
        x = fscalar("x")
        z = add(x, 2.0)
        const = z.owner.inputs[1]
        equiv = clone_get_equiv([x], [z], copy_inputs=False, copy_orphans=False)
        assert equiv[x] is x and equiv[const] is const
        assert equiv[z] is not z

    def test_memo_is_a_replacement(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(x, x)
        equiv = clone_get_equiv([x], [z], memo={x: y})
        assert equiv[z].owner.inputs == [y, y]

    def test_clone(self):
        x = fscalar("x")
        z = neg(x)
        (xi,), (zo,) = clone([x], [z])
        assert xi is not x and zo.owner.inputs[0] is xi
        (xi,), (zo,) = clone([x], [z], copy_inputs=False)
        assert xi is x and zo.owner.inputs[0] is x

    def test_original_graph_untouched(self):
        x = fscalar("x")
        z = neg(add(x, x))
        before = list(ancestors([z]))
        clone_get_equiv([x], [z])
        assert list(ancestors([z])) == before


class TestEval:
    def test_eval_by_variable_and_name(self):
        x, y = fscalar("x"), fscalar("y")
        z = mul(add(x, y), 2.0)
        assert z.eval({x: 1.0, y: 2.0}) == 6.0
        assert z.eval({"x": 3.0, "y": 1.0}) == 8.0

    def test_eval_caches_compiled_function(self):
        x = fscalar("x")
        z = neg(x)
        z.eval({x: 1.0})
        z.eval({x: 2.0})
        assert len(z._fn_cache) == 1
        # The cache is not pickled.
        assert "_fn_cache" not in pickle.loads(pickle.dumps(z)).__dict__

    def test_eval_unknown_name(self):
        x = fscalar("x")
        with pytest.raises(ValueError, match="no input named 'q'"):
            neg(x).eval({"q": 1.0})


class TestGenericType:
    def test_generic_accepts_anything(self):
        v = generic("g")
        assert v.type.filter([1, 2]) == [1, 2]
        assert v.type.is_valid_value(object())
        assert str(generic) == "Generic"

    def test_filter_variable_constant_and_error(self):
        t = FloatType()
        c = t.filter_variable(2)
        assert isinstance(c, Constant) and c.data == 2.0
        with pytest.raises(TypeError, match=r"of type Array\(float64, \(\?,\)\) to type float"):
            t.filter_variable(fvector("v"))

    def test_is_valid_value(self):
        t = ArrayType("float64", (2,))
        assert t.is_valid_value(np.zeros(2))
        assert not t.is_valid_value(np.zeros(3))
        assert not t.is_valid_value([0.0, 0.0])  # strict: a list is not an ndarray
        assert t.is_valid_value([0.0, 0.0], strict=False)


def test_as_symbolic_passes_variables_and_apply_nodes_through():
    from pytensor.graph.basic import as_symbolic

    x = fscalar("x")
    assert as_symbolic(x) is x
    y = add(x, x)
    assert as_symbolic(y.owner) is y


def test_tag_and_auto_name_are_made_on_first_use_and_survive_cloning():
    x = fscalar("x")
    assert "tag" not in x.__dict__ and "auto_name" not in x.__dict__
    x.tag.note = "hello"
    assert x.tag.note == "hello"
    y = x.clone()
    assert y.tag.note == "hello" and y.tag is not x.tag
    assert x.auto_name != y.auto_name and x.auto_name == x.auto_name
    node = add(x, x).owner
    assert "tag" not in node.__dict__
    node.tag.marked = True
    assert node.clone().tag.marked is True
    with pytest.raises(AttributeError, match="no attribute 'missing'"):
        x.missing  # noqa: B018
