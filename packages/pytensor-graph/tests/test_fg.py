"""Tests of pytensor.graph.fg.FunctionGraph.

Construction, clients, replace, pruning, clone and pickling.
"""

import pickle
import random

import numpy as np
import pytest
from toy import ArrayType, FloatType, add, fscalar, fvector, mul, neg, sum_diff

from pytensor.graph.basic import Constant, equal_computations
from pytensor.graph.features import Feature
from pytensor.graph.fg import FunctionGraph, Output
from pytensor.graph.traversal import io_toposort, variable_depends_on
from pytensor.graph.utils import MissingInputError


def reference_clients(fg):
    """Clients recomputed from scratch (non-output clients only), as sets."""
    ref = {}
    for node in io_toposort(fg.inputs, fg.outputs):
        for i, inp in enumerate(node.inputs):
            ref.setdefault(inp, set()).add((node, i))
    return ref


def fg_clients(fg):
    return {
        var: {c for c in cl if not isinstance(c[0].op, Output)}
        for var, cl in fg.clients.items()
        if any(not isinstance(c[0].op, Output) for c in cl)
    }


class Recorder(Feature):
    def __init__(self):
        self.calls = []

    def on_attach(self, fgraph):
        self.calls.append(("attach", fgraph))

    def on_detach(self, fgraph):
        self.calls.append(("detach", fgraph))

    def on_import(self, fgraph, node, reason):
        self.calls.append(("import", node, reason))

    def on_prune(self, fgraph, node, reason):
        self.calls.append(("prune", node, reason))

    def on_change_input(self, fgraph, node, i, var, new_var, reason=None):
        self.calls.append(("change", node, i, var, new_var, reason))


class TestConstruction:
    def test_clone_true_copies(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(neg(x), y)
        fg = FunctionGraph([x, y], [z])
        assert fg.inputs[0] is not x and fg.inputs[0].name == "x"
        assert fg.outputs[0] is not z
        assert equal_computations(fg.outputs, [z], in_xs=fg.inputs, in_ys=[x, y])
        assert z.owner.inputs[1] is y  # caller's graph untouched

    def test_clone_false_uses_variables(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(neg(x), y)
        fg = FunctionGraph([x, y], [z], clone=False)
        assert fg.inputs == [x, y] and fg.outputs == [z]
        assert fg.apply_nodes == {z.owner, z.owner.inputs[0].owner}
        assert z in fg and z.owner in fg and fscalar() not in fg

    def test_default_inputs_are_non_constant_roots(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(mul(x, 2.0), y)
        fg = FunctionGraph(outputs=[z], clone=False)
        assert set(fg.inputs) == {x, y}

    def test_missing_input_names_variable(self):
        x, y = fscalar("x"), fscalar("y")
        with pytest.raises(MissingInputError, match=r"\(y\)") as info:
            FunctionGraph([x], [add(x, y)], clone=False)
        assert info.value.variable is y
        with pytest.raises(MissingInputError, match=r"\(y\)"):
            FunctionGraph([x], [add(x, y)])

    def test_bad_inputs(self):
        x = fscalar("x")
        z = neg(x)
        with pytest.raises(ValueError, match="inputs must be roots"):
            FunctionGraph([z], [neg(z)], clone=False)
        with pytest.raises(ValueError, match="given twice"):
            FunctionGraph([x, x], [z], clone=False)
        with pytest.raises(TypeError, match="output 0 is not a Variable"):
            FunctionGraph([x], [1.0])
        with pytest.raises(ValueError, match="needs outputs"):
            FunctionGraph([x])

    def test_clients(self):
        x, y = fscalar("x"), fscalar("y")
        n = neg(x)
        z = add(n, y)
        w = mul(n, n)
        fg = FunctionGraph([x, y], [z, w], clone=False)
        assert fg.clients[x] == [(n.owner, 0)]
        assert set(fg.clients[n]) == {(z.owner, 0), (w.owner, 0), (w.owner, 1)}
        ((out_node, pos),) = fg.clients[z]
        assert isinstance(out_node.op, Output) and out_node.op.idx == 0 and pos == 0
        assert fg.clients[w][0][0].op.idx == 1
        fg.check_integrity()

    def test_output_used_twice(self):
        x = fscalar("x")
        z = neg(x)
        fg = FunctionGraph([x], [z, z], clone=False)
        assert sorted(c[0].op.idx for c in fg.clients[z]) == [0, 1]
        fg.check_integrity()

    def test_constant_and_input_outputs(self):
        x = fscalar("x")
        c = Constant(FloatType(), 1.0)
        fg = FunctionGraph([x], [x, c], clone=False)
        assert fg.apply_nodes == set()
        assert c in fg.variables
        assert fg.toposort() == []


class TestReplace:
    def test_replace_updates_clients_and_prunes(self):
        x, y = fscalar("x"), fscalar("y")
        n = neg(x)
        z = add(n, y)
        rec = Recorder()
        fg = FunctionGraph([x, y], [z], clone=False, features=[rec])
        rec.calls.clear()
        fg.replace(n, x, reason="test")
        assert z.owner.inputs == [x, y]
        assert n.owner not in fg.apply_nodes and n not in fg.variables
        assert fg.clients[x] == [(z.owner, 0)]
        assert n not in fg.clients
        assert ("prune", n.owner, "test") in rec.calls
        fg.check_integrity()

    def test_replace_an_output(self):
        x = fscalar("x")
        z = neg(x)
        fg = FunctionGraph([x], [z], clone=False)
        w = mul(x, x)
        fg.replace(z, w)
        assert fg.outputs == [w]
        assert fg.apply_nodes == {w.owner}
        fg.check_integrity()

    def test_wrong_type_names_both_types(self):
        x = fscalar("x")
        z = neg(x)
        fg = FunctionGraph([x], [z], clone=False)
        with pytest.raises(TypeError) as info:
            fg.replace(z, fvector("v", 2), reason="my_rewrite")
        msg = str(info.value)
        assert "type float" in msg and "Array(float64, (2,))" in msg and "my_rewrite" in msg
        fg.check_integrity()
        with pytest.raises(TypeError, match="not a Variable"):
            fg.replace(z, 3.0)

    def test_replace_with_a_more_specific_type(self):
        a = fvector("a")
        z = neg(a)
        fg = FunctionGraph([a], [z], clone=False)
        c = Constant(ArrayType("float64", (2,)), np.ones(2))
        fg.replace(z, c)
        assert fg.outputs == [c]

    def test_replace_with_a_less_specific_type_fails(self):
        a = fvector("a", 2)
        z = neg(a)
        fg = FunctionGraph([a], [z], clone=False)
        with pytest.raises(TypeError, match="incompatible"):
            fg.replace(z, fvector("b"))

    def test_replace_missing_input(self):
        x, y = fscalar("x"), fscalar("y")
        z = neg(x)
        fg = FunctionGraph([x], [z], clone=False)
        with pytest.raises(MissingInputError) as info:
            fg.replace(z, add(x, y))
        assert info.value.variable is y
        fg.check_integrity()
        fg.replace(z, add(x, y), import_missing=True)
        assert fg.inputs == [x, y]
        fg.check_integrity()

    def test_replace_variable_not_in_graph_is_a_no_op(self):
        x = fscalar("x")
        z = neg(x)
        fg = FunctionGraph([x], [z], clone=False)
        fg.replace(fscalar("other"), x)
        assert fg.outputs == [z]

    def test_replace_all(self):
        x, y = fscalar("x"), fscalar("y")
        a, b = neg(x), neg(y)
        z = add(a, b)
        fg = FunctionGraph([x, y], [z], clone=False)
        fg.replace_all([(a, x), (b, y)])
        assert z.owner.inputs == [x, y]
        assert fg.apply_nodes == {z.owner}

    def test_change_node_input_checks_type(self):
        x = fscalar("x")
        z = neg(x)
        fg = FunctionGraph([x], [z], clone=False)
        with pytest.raises(TypeError, match="does not fit the old type float"):
            fg.change_node_input(z.owner, 0, fvector("v"))

    @pytest.mark.parametrize("seed", range(5))
    def test_random_replacements_keep_bookkeeping_exact(self, seed):
        rng = random.Random(seed)
        roots = [fscalar(f"r{k}") for k in range(3)]
        pool = list(roots)
        for _ in range(40):
            op = rng.choice([add, mul, "neg", "sd"])
            if op == "neg":
                pool.append(neg(rng.choice(pool)))
            elif op == "sd":
                pool.extend(sum_diff(rng.choice(pool), rng.choice(pool)))
            else:
                pool.append(op(rng.choice(pool), rng.choice(pool)))
        outputs = [pool[-1], pool[-5]]
        fg = FunctionGraph(roots, outputs, clone=False)
        for _ in range(30):
            in_graph = [v for v in fg.variables if v.owner is not None]
            if not in_graph:
                break
            old = rng.choice(in_graph)
            candidates = [v for v in pool if v is not old and not variable_depends_on(v, old)]
            new = rng.choice(candidates)
            fg.replace(old, new)
            fg.check_integrity()
            assert fg_clients(fg) == reference_clients(fg)
            assert fg.apply_nodes == set(io_toposort(fg.inputs, fg.outputs))
            expected_vars = set(fg.inputs)
            for node in fg.apply_nodes:
                expected_vars.update(node.inputs)
                expected_vars.update(node.outputs)
            expected_vars.update(fg.outputs)
            assert fg.variables == expected_vars

    def test_replace_keeps_shared_subgraph(self):
        x = fscalar("x")
        n = neg(x)
        z1 = add(n, x)
        z2 = mul(n, x)
        fg = FunctionGraph([x], [z1, z2], clone=False)
        fg.replace(z1, x)
        # n is still used by z2, so it stays.
        assert n.owner in fg.apply_nodes and z1.owner not in fg.apply_nodes
        fg.check_integrity()


class TestOutputsAndInputs:
    def test_remove_output(self):
        x, y = fscalar("x"), fscalar("y")
        a, b, c = neg(x), neg(y), add(x, y)
        fg = FunctionGraph([x, y], [a, b, c], clone=False)
        fg.remove_output(1)
        assert fg.outputs == [a, c]
        assert b.owner not in fg.apply_nodes
        ((node, _),) = fg.clients[c]
        assert node.op.idx == 1
        fg.check_integrity()
        # Replacing the renumbered output lands in the right slot.
        fg.replace(c, mul(x, y))
        assert fg.outputs[1].owner.op == mul
        fg.check_integrity()

    def test_add_output(self):
        x = fscalar("x")
        fg = FunctionGraph([x], [neg(x)], clone=False)
        w = mul(x, x)
        fg.add_output(w)
        assert fg.outputs[1] is w and w.owner in fg.apply_nodes
        fg.check_integrity()

    def test_remove_input(self):
        x, y = fscalar("x"), fscalar("y")
        fg = FunctionGraph([x, y], [neg(x)], clone=False)
        with pytest.raises(ValueError, match="still used by Neg"):
            fg.remove_input(0)
        fg.remove_input(1)
        assert fg.inputs == [x] and y not in fg.variables
        fg.check_integrity()


class TestCloneAndPickle:
    def test_clone_preserves_structure(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(mul(neg(x), y), 2.0)
        fg = FunctionGraph([x, y], [z, y], clone=False)
        new, equiv = fg.clone_get_equiv()
        assert equal_computations(new.outputs, fg.outputs, in_xs=new.inputs, in_ys=fg.inputs)
        assert len(new.apply_nodes) == len(fg.apply_nodes)
        assert {equiv[n] for n in fg.apply_nodes} == new.apply_nodes
        new.check_integrity()
        # The copy is independent.
        new.replace(new.outputs[0], new.inputs[0])
        assert fg.outputs[0] is z and len(fg.apply_nodes) == 3
        assert new.clone().outputs[0] is not new.outputs[0]

    def test_clone_keeps_update_mapping(self):
        x = fscalar("x")
        fg = FunctionGraph([x], [neg(x), x], update_mapping={1: 0})
        assert fg.clone().update_mapping == {1: 0}

    def test_pickle_round_trip_and_replace_all_validate(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(neg(x), y)
        fg = FunctionGraph([x, y], [z])
        fg2 = pickle.loads(pickle.dumps(fg))
        fg2.check_integrity()
        assert equal_computations(fg2.outputs, fg.outputs, in_xs=fg2.inputs, in_ys=fg.inputs)
        assert [i.name for i in fg2.inputs] == ["x", "y"]
        n2 = fg2.outputs[0].owner.inputs[0]
        fg2.replace_all_validate([(n2, fg2.inputs[0])], reason="after pickle")
        assert fg2.outputs[0].owner.inputs == fg2.inputs
        assert len(fg2.apply_nodes) == 1
        chk = fg2.checkpoint()
        fg2.replace_validate(fg2.outputs[0], fg2.inputs[1])
        fg2.revert(chk)
        assert fg2.outputs[0].owner.op == add
        fg2.check_integrity()
        # The original is untouched.
        assert len(fg.apply_nodes) == 2

    def test_str_and_contains_errors(self):
        x = fscalar("x")
        fg = FunctionGraph([x], [neg(x)], clone=False)
        assert str(fg) == "FunctionGraph(Neg.0)"
        with pytest.raises(TypeError):
            3 in fg  # noqa: B015


def test_check_integrity_detects_corruption():
    x, y = fscalar("x"), fscalar("y")
    z = add(x, y)
    fg = FunctionGraph([x, y], [z], clone=False)
    fg.clients[y].clear()
    with pytest.raises(ValueError, match="not recorded as a client"):
        fg.check_integrity()


def test_many_clients_use_the_position_index_consistently():
    """A variable with many clients gets an O(1)-removal index; it must track every change."""
    x = fscalar("x")
    terms = [add(x, fscalar(f"c{k}")) for k in range(60)]
    total = terms[0]
    for t in terms[1:]:
        total = add(total, t)
    fg = FunctionGraph(None, [total], clone=False)
    assert x in fg._client_pos  # past the threshold
    rng = random.Random(0)
    order = list(range(60))
    rng.shuffle(order)
    for k in order[:40]:
        node = terms[k].owner
        fg.replace(terms[k], neg(node.inputs[1]), reason="test")
        fg.check_integrity()
    remaining = {n for n, _ in fg.clients[x]}
    assert remaining == {terms[k].owner for k in order[40:]}
    for k in order[40:]:
        fg.replace(terms[k], neg(terms[k].owner.inputs[1]), reason="test")
    fg.check_integrity()
    assert fg.clients.get(x, []) == [] and x not in fg._client_pos
