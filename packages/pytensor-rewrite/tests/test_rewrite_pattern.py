"""PatternNodeRewriter and the matcher: nested patterns, commutativity, variadic args, constraints."""

from __future__ import annotations

import pytest
from rewrite_toy import (
    Add,
    ElemOp,
    Exp,
    Log,
    Log1p,
    add,
    exp,
    log,
    log1p,
    mul,
    neg,
    ops_of,
    run,
    scalar,
    scalars,
    sqr,
    sub,
)

from pytensor.graph.basic import Constant
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import PatternNodeRewriter, in2out
from pytensor.graph.rewriting.unify import (
    ConstrainedVar,
    OpPattern,
    convert_strs_to_vars,
    iter_matches,
    match_pattern,
    pattern_to_str,
)

LOG1P = PatternNodeRewriter((log, (add, 1, "x")), (log1p, "x"))


def rewrite(rw, *outputs_fn, n_inputs=2, values=(0.3, 0.6)):
    names = " ".join("xyzw"[:n_inputs])
    ins = scalars(names)
    fg = FunctionGraph(ins, [f(*ins) for f in outputs_fn])
    before = run(fg, *values[:n_inputs])
    in2out(rw).rewrite(fg)
    assert run(fg, *values[:n_inputs]) == pytest.approx(before)
    return fg


def test_str_is_one_readable_line():
    assert str(LOG1P) == "log(1 + x) -> log1p(x)"
    nested = PatternNodeRewriter(
        (mul, (add, "x", "y"), (sub, "x", "y")), (sub, (sqr, "x"), (sqr, "y"))
    )
    assert str(nested) == "(x + y) * (x - y) -> sqr(x) - sqr(y)"
    assert str(PatternNodeRewriter((add, "x", "*rest"), "x", name="keep_first")) == "keep_first"


def test_basic_rewrite_and_structure():
    fg = rewrite(LOG1P, lambda x, y: log(add(1.0, x)))
    [node] = fg.apply_nodes
    assert isinstance(node.op, Log1p) and node.inputs == [fg.inputs[0]]


def test_commutative_match_either_order():
    fg = rewrite(LOG1P, lambda x, y: log(add(x, 1.0)))
    assert ops_of(fg) == ["Log1p"]


def test_constant_must_match():
    fg = rewrite(LOG1P, lambda x, y: log(add(x, 2.0)))
    assert ops_of(fg) == ["Add", "Log"]


def test_non_commutative_order_matters():
    rw = PatternNodeRewriter((sub, "x", 0), "x")
    fg = rewrite(rw, lambda x, y: sub(x, 0.0), lambda x, y: sub(0.0, y))
    assert [n.op for n in fg.toposort()] == [sub]
    assert fg.outputs[0] is fg.inputs[0]


def test_repeated_variable_must_bind_same_value():
    rw = PatternNodeRewriter((sub, "x", "x"), 0.0)
    fg = rewrite(rw, lambda x, y: sub(x, x), lambda x, y: sub(x, y))
    assert isinstance(fg.outputs[0], Constant) and fg.outputs[0].data == 0.0
    assert fg.outputs[1].owner.op == sub


def test_commutative_three_args_nested():
    # add(a, log(exp(b)), c) with a pattern that names the log anywhere among the arguments
    rw = PatternNodeRewriter((add, (log, (exp, "x")), "*rest"), (add, "x", "*rest"))
    fg = rewrite(rw, lambda x, y: add(y, log(exp(x)), neg(y)))
    [add_node] = [n for n in fg.apply_nodes if isinstance(n.op, Add)]
    assert add_node.inputs[0] is fg.inputs[0]
    assert len(add_node.inputs) == 3
    assert ops_of(fg).count("Log") == 0


def test_variadic_in_ordered_args():
    rw = PatternNodeRewriter((sub, (add, "*xs"), (add, "*xs")), 0.0)
    from pytensor.graph.rewriting.unify import PatternNode

    pat = convert_strs_to_vars((add, "a", "*rest", "b"))
    pat = PatternNode(pat.op_match, pat.inputs, commutative=False)
    x, y, z = scalars("x y z")
    s = match_pattern(pat, add(x, y, z, x).owner)
    assert s["a"] is x and s["b"] is x and s["rest"] == (y, z)
    s = match_pattern(pat, add(x, y).owner)
    assert s["rest"] == ()
    fg = rewrite(rw, lambda x, y: sub(add(x, y), add(x, y)))
    assert isinstance(fg.outputs[0], Constant)


def test_variadic_empty_and_all_matches():
    x, y = scalars("x y")
    pat = convert_strs_to_vars((add, (log, "a"), "*rest"))
    node = add(log(x), log(y)).owner
    found = [(s["a"], s["rest"]) for s in iter_matches(pat, node)]
    assert (x, (node.inputs[1],)) in found and (y, (node.inputs[0],)) in found
    s = match_pattern(pat, add(log(x)).owner)
    assert s["rest"] == ()


def test_constraints():
    positive = {"pattern": "c", "constraint": lambda v: isinstance(v, Constant) and v.data > 0}
    rw = PatternNodeRewriter((log, (mul, positive, "x")), (add, (log, "c"), (log, "x")))
    fg = rewrite(
        rw, lambda x, y: log(mul(x, 3.0)), lambda x, y: log(mul(neg(x), -3.0)), values=(0.5, 0.7)
    )
    kinds = [type(o.owner.op).__name__ for o in fg.outputs]
    assert kinds == ["Add", "Log"]
    assert str(rw) == "log(c * x) -> log(c) + log(x)"


def test_constrained_var_object():
    is_input = ConstrainedVar(lambda v: v.owner is None, token="leaf")
    rw = PatternNodeRewriter((exp, (log, is_input)), is_input)
    fg = rewrite(rw, lambda x, y: exp(log(x)), lambda x, y: exp(log(exp(y))))
    assert fg.outputs[0] is fg.inputs[0]
    assert isinstance(fg.outputs[1].owner.op, Exp)


def test_replacement_reuses_matched_subgraph():
    rw = PatternNodeRewriter((add, (exp, "x"), (exp, "x")), (mul, 2.0, (exp, "x")))

    def shared_arg(x, y):
        e = neg(x)
        return add(exp(e), exp(e))

    fg = rewrite(rw, shared_arg)
    out = fg.outputs[0].owner
    assert out.op == mul
    assert out.inputs[1].owner.inputs[0].owner.op == neg


def test_multiple_clients_blocks_by_default():
    x_in = []

    def both(x, y):
        inner = add(1.0, x)
        x_in.append(inner)
        return add(log(inner), inner)

    fg = rewrite(LOG1P, both)
    assert "Log1p" not in ops_of(fg)
    allow = PatternNodeRewriter((log, (add, 1, "x")), (log1p, "x"), allow_multiple_clients=True)
    fg = rewrite(allow, both)
    assert "Log1p" in ops_of(fg)


def test_op_pattern_with_parameter_binding():
    class Scale(ElemOp):
        __props__ = ("factor",)

        def __init__(self, factor):
            self.factor = factor

        def compute(self, a):
            return a * self.factor

    # Scale(f)(Scale(1)(x)) -> Scale(f)(x): the replacement Op is built from the bound parameter.
    drop_unit = PatternNodeRewriter(
        (OpPattern(Scale, factor="f"), (OpPattern(Scale, factor=1.0), "x")),
        (OpPattern(Scale, factor="f"), "x"),
    )
    fg = rewrite(
        drop_unit, lambda x, y: Scale(3.0)(Scale(1.0)(x)), lambda x, y: Scale(3.0)(Scale(2.0)(y))
    )
    assert [n.op.factor for n in fg.toposort()] == [3.0, 2.0, 3.0]
    square = PatternNodeRewriter(
        (OpPattern(Scale, factor="f"), (OpPattern(Scale, factor="f"), "x")),
        lambda fgraph, node, s: Scale(s["f"] ** 2)(s["x"]),
    )
    fg = rewrite(
        square, lambda x, y: Scale(2.0)(Scale(2.0)(x)), lambda x, y: Scale(2.0)(Scale(3.0)(y))
    )
    assert sorted(n.op.factor for n in fg.apply_nodes) == [2.0, 3.0, 4.0]
    x, y = scalars("x y")
    pat = convert_strs_to_vars((OpPattern(Scale, factor="f"), (OpPattern(Scale, factor="f"), "x")))
    assert match_pattern(pat, Scale(2.0)(Scale(2.0)(x)).owner)["f"] == 2.0
    assert match_pattern(pat, Scale(2.0)(Scale(3.0)(x)).owner) is None
    assert pattern_to_str(pat) == "Scale{factor=f}(Scale{factor=f}(x))"


def test_callable_replacement():
    def double(fgraph, node, subs):
        return mul(2.0, subs["x"])

    rw = PatternNodeRewriter((add, "x", "x"), double)
    assert str(rw) == "x + x -> double"
    fg = rewrite(rw, lambda x, y: add(y, y))
    assert fg.outputs[0].owner.op == mul


def test_unbound_replacement_variable_is_an_error():
    with pytest.raises(ValueError, match="z"):
        PatternNodeRewriter((log, "x"), (exp, "z"))
    with pytest.raises(TypeError):
        PatternNodeRewriter("x", "x")


def test_type_mismatch_does_not_apply():
    from rewrite_toy import VectorType

    rw = PatternNodeRewriter((log, "x"), lambda fg, node, s: VectorType(3)("v"))
    fg = rewrite(rw, lambda x, y: log(x))
    assert ops_of(fg) == ["Log"]


def test_tracks_default_to_head_op():
    assert LOG1P.tracks() == [log]
    rw = PatternNodeRewriter((OpPattern(Log), "x"), (exp, "x"))
    assert isinstance(rw.tracks()[0], OpPattern)


def test_constant_in_pattern_as_variable():
    two = Constant(scalar, 2.0)
    rw = PatternNodeRewriter((mul, two, "x"), (add, "x", "x"))
    fg = rewrite(rw, lambda x, y: mul(x, 2.0))
    assert fg.outputs[0].owner.op == add


def test_match_pattern_single_client_option():
    x, y = scalars("x y")
    inner = log(x)
    out = add(exp(inner), inner)
    fg = FunctionGraph([x, y], [out], clone=False)
    pat = convert_strs_to_vars((add, (exp, "a"), "b"))
    assert match_pattern(pat, out.owner)["a"] is inner
    # exp(log(x)) has a single client; log(x) is matched by the variable "a", not a sub-pattern.
    assert match_pattern(pat, out.owner, fgraph_clients=fg.clients) is not None
    pat2 = convert_strs_to_vars((add, (exp, (log, "a")), "b"))
    assert match_pattern(pat2, out.owner, fgraph_clients=fg.clients) is None
    assert match_pattern(pat2, out.owner)["a"] is x
