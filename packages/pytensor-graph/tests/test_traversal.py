"""Tests of pytensor.graph.traversal: walks, ancestors, inputs, toposorts, dependencies."""

import random

import numpy as np
import pytest
from toy import ArrayType, FloatType, add, fscalar, mul, neg, sum_diff

from pytensor.compile.builders import OpFromGraph
from pytensor.compile.sharedvalue import SharedVariable, shared
from pytensor.graph.basic import Apply, Constant, clone_get_equiv
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.traversal import (
    CycleError,
    ancestors,
    apply_ancestors,
    apply_depends_on,
    applys_between,
    explicit_graph_inputs,
    general_toposort,
    get_var_by_name,
    graph_inputs,
    io_toposort,
    orphans_between,
    toposort,
    truncated_graph_inputs,
    variable_depends_on,
    variables_between,
    walk,
)

DEEP = 100_000


def reachable_vars(outputs, blockers=()):
    """Brute-force reference: every variable the outputs depend on (inclusive)."""
    blockers = set(blockers)
    found = set()
    todo = list(outputs)
    while todo:
        v = todo.pop()
        if v in found:
            continue
        found.add(v)
        if v.owner is not None and v not in blockers:
            todo.extend(v.owner.inputs)
    return found


def random_dag(seed, n_roots=4, n_nodes=60):
    """A random graph of toy Ops; returns (roots, all variables, chosen outputs)."""
    rng = random.Random(seed)
    roots = [fscalar(f"r{k}") for k in range(n_roots)]
    pool = list(roots) + [Constant(FloatType(), 1.5)]
    for _ in range(n_nodes):
        kind = rng.choice(["add", "mul", "neg", "sd"])
        if kind == "neg":
            pool.append(neg(rng.choice(pool)))
        elif kind == "sd":
            pool.extend(sum_diff(rng.choice(pool), rng.choice(pool)))
        else:
            op = add if kind == "add" else mul
            pool.append(op(rng.choice(pool), rng.choice(pool)))
    owned = [v for v in pool if v.owner is not None]
    outputs = rng.sample(owned, 3)
    return roots, pool, outputs


def chain(n, x=None):
    x = fscalar("x") if x is None else x
    out = x
    for _ in range(n):
        out = neg(out)
    return x, out


def assert_topological(order, outputs, inputs=()):
    pos = {node: k for k, node in enumerate(order)}
    assert len(pos) == len(order), "a node appears twice"
    inputs = set(inputs)
    for node in order:
        for i in node.inputs:
            if i.owner is not None and i not in inputs:
                assert pos[i.owner] < pos[node]
    expected = {v.owner for v in reachable_vars(outputs, inputs) if v.owner is not None}
    expected -= {v.owner for v in inputs if v.owner is not None and v.owner not in expected}
    ref = set()
    for v in reachable_vars(outputs, inputs):
        if v.owner is not None and v not in inputs:
            ref.add(v.owner)
    assert set(order) == ref


class TestWalk:
    graph = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}

    def test_bfs_and_dfs(self):
        expand = self.graph.__getitem__
        assert list(walk(["a"], expand, bfs=True)) == ["a", "b", "c", "d"]
        assert list(walk(["a"], expand, bfs=False)) == ["a", "b", "d", "c"]

    def test_return_children(self):
        pairs = list(walk(["a"], self.graph.__getitem__, return_children=True))
        assert pairs[0] == ("a", ["b", "c"])
        assert dict(pairs) == self.graph

    def test_each_node_once(self):
        assert list(walk(["d", "d"], self.graph.__getitem__)) == ["d"]


class TestAncestorsAndInputs:
    def test_ancestors_matches_reference(self):
        roots, pool, outs = random_dag(0)
        found = list(ancestors(outs))
        assert len(found) == len(set(found))
        assert set(found) == reachable_vars(outs)
        assert found[0] in outs

    def test_ancestors_depth_first(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        z = add(a, y)
        assert list(ancestors([z])) == [z, a, x, y]

    def test_blockers(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        z = add(a, y)
        assert set(ancestors([z], blockers=[a])) == {z, a, y}
        assert set(graph_inputs([z], blockers=[a])) == {a, y}

    def test_graph_inputs(self):
        roots, pool, outs = random_dag(1)
        expected = {v for v in reachable_vars(outs) if v.owner is None}
        found = list(graph_inputs(outs))
        assert len(found) == len(set(found)) and set(found) == expected

    def test_explicit_graph_inputs_skips_constants_and_shared(self):
        x = fscalar("x")
        z = add(x, 3.0)
        assert list(explicit_graph_inputs(z)) == [x]
        assert list(explicit_graph_inputs([z, x])) == [x]
        g = mul(x, Constant(FloatType(), 2.0))
        assert list(explicit_graph_inputs([g])) == [x]
        # A shared variable is read implicitly by a compiled function: not explicit.
        s = shared(np.zeros(2), name="s")
        v = ArrayType("float64", (None,))("v")
        sv = SharedVariable(v.type, np.zeros(2), name="sv")
        h = add(v, sv)
        assert list(explicit_graph_inputs([h])) == [v]
        assert list(explicit_graph_inputs([s])) == []

    def test_variable_and_apply_depends_on(self):
        x, y, w = fscalar("x"), fscalar("y"), fscalar("w")
        a = neg(x)
        z = add(a, y)
        assert variable_depends_on(z, x)
        assert variable_depends_on(z, [w, y])
        assert not variable_depends_on(z, w)
        assert variable_depends_on(z, z)
        assert not variable_depends_on(z, x, stop_search_at=[a])
        assert apply_depends_on(z.owner, a.owner)
        assert not apply_depends_on(a.owner, z.owner)

    def test_apply_ancestors(self):
        x = fscalar("x")
        s, d = sum_diff(x, x)
        z = add(s, d)
        assert list(apply_ancestors([z])) == [z.owner, s.owner]

    def test_get_var_by_name(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        a.name = "a"
        z = add(a, y)
        assert get_var_by_name([z], "a") == (a,)
        assert get_var_by_name([z], "x") == (x,)
        assert get_var_by_name([z], "nope") == ()
        assert get_var_by_name([z], z.auto_name) == (z,)

    def test_get_var_by_name_looks_into_inner_graphs(self):
        i = fscalar("i")
        inner = neg(i)
        inner.name = "inner_neg"
        ofg = OpFromGraph([i], [inner])
        out = ofg(fscalar("x"))
        found = get_var_by_name([out], "inner_neg")
        assert len(found) == 1
        assert found[0] in ofg.inner_outputs
        assert found[0].owner.op == neg


class TestBetween:
    def test_applys_between(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        b = mul(a, y)
        z = add(b, x)
        assert set(applys_between([x, y], [z])) == {a.owner, b.owner, z.owner}
        assert set(applys_between([b], [z])) == {z.owner}

    def test_variables_between(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        z = add(a, y)
        assert set(variables_between([x], [z])) == {x, y, a, z}
        assert set(variables_between([a], [z])) == {a, y, z}

    def test_variables_between_includes_sibling_outputs(self):
        # As in PyTensor: all outputs of an intermediate node are in the subgraph.
        x, y = fscalar("x"), fscalar("y")
        s, d = sum_diff(x, y)
        z = neg(s)
        assert set(variables_between([x, y], [z])) == {x, y, s, d, z}

    def test_orphans_between(self):
        x, y = fscalar("x"), fscalar("y")
        c = Constant(FloatType(), 1.0)
        z = add(add(x, y), c)
        assert set(orphans_between([x], [z])) == {y, c}


class TestTruncatedGraphInputs:
    """The examples of PyTensor's docstring: (parenthesised) variables are returned,
    ``c`` are ancestors to include, ``o`` outputs, ``n`` other variables."""

    def test_no_ancestors_to_include(self):
        # n - n - (o)
        n0 = fscalar("n0")
        o = neg(neg(n0))
        assert truncated_graph_inputs([o]) == [o]
        assert truncated_graph_inputs([o, o]) == [o]

    def test_one_ancestor_to_include(self):
        # n - (c) - o
        n = fscalar("n")
        c = neg(n)
        o = neg(c)
        assert truncated_graph_inputs([o], [c]) == [c]

    def test_two_nested_ancestors_both_returned(self):
        # (c) - (c) - o
        c0 = fscalar("c0")
        c1 = neg(c0)
        o = neg(c1)
        assert set(truncated_graph_inputs([o], [c0, c1])) == {c0, c1}

    def test_additional_variables(self):
        #    (c) - n - o
        # n - (n) -'
        c = fscalar("c")
        n1 = neg(c)
        n2 = fscalar("n2")
        n3 = neg(n2)
        o = add(n1, n3)
        assert set(truncated_graph_inputs([o], [c])) == {c, n3}

    def test_disconnected_ancestor_not_returned(self):
        # (c) - n - o
        #  c
        c = fscalar("c")
        o = neg(neg(c))
        other = fscalar("other_c")
        assert truncated_graph_inputs([o], [c, other]) == [c]

    def test_disconnected_output_returned(self):
        # (c) - (c) - o
        # (o)
        c0 = fscalar("c0")
        c1 = neg(c0)
        o1 = neg(c1)
        o2 = fscalar("o2")
        assert set(truncated_graph_inputs([o1, o2], [c0, c1])) == {c0, c1, o2}

    def test_output_that_is_an_ancestor_to_include(self):
        # n - (c) - (o/c)
        n = fscalar("n")
        c = neg(n)
        o = neg(c)
        assert set(truncated_graph_inputs([o], [c, o])) == {o, c}

    def test_result_suffices_to_compute_outputs(self):
        roots, pool, outs = random_dag(5)
        include = [v for v in pool if v.owner is not None][:5]
        cut = truncated_graph_inputs(outs, include)
        assert set(graph_inputs(outs, blockers=cut)) <= set(cut) | {
            v for v in pool if isinstance(v, Constant)
        }


class TestToposort:
    @pytest.mark.parametrize("seed", range(8))
    def test_random_dag(self, seed):
        roots, pool, outs = random_dag(seed)
        order = io_toposort(roots, outs)
        assert_topological(order, outs)
        assert set(toposort(outs)) == set(order)

    def test_inputs_block(self):
        x = fscalar("x")
        a = neg(x)
        b = neg(a)
        z = add(b, a)
        assert io_toposort([a], [z]) == [b.owner, z.owner]
        assert toposort([z], blockers=[b]) == [a.owner, z.owner]
        assert toposort([z], blockers=[b, a]) == [z.owner]

    def test_orderings(self):
        x = fscalar("x")
        a, b = neg(x), mul(x, x)
        z = add(a, b)
        order = io_toposort([x], [z], orderings={a.owner: [b.owner]})
        assert order.index(b.owner) < order.index(a.owner) < order.index(z.owner)
        order = io_toposort([x], [z], orderings={b.owner: [a.owner]})
        assert order.index(a.owner) < order.index(b.owner)

    def test_orderings_cycle(self):
        x = fscalar("x")
        a = neg(x)
        b = neg(a)
        with pytest.raises(CycleError):
            io_toposort([x], [b], orderings={a.owner: [b.owner]})

    def test_cycle_detected(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(x, y)
        w = neg(z)
        z.owner.inputs[0] = w  # z now depends on itself through w
        with pytest.raises(CycleError, match="cycle"):
            io_toposort([x, y], [w])
        with pytest.raises(ValueError):
            toposort([w])
        # Walks terminate on cyclic graphs.
        assert set(ancestors([w])) == {w, z, y}

    def test_general_toposort(self):
        deps = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}
        clients = {}
        order = general_toposort(["a"], deps.__getitem__, clients=clients)
        assert order[0] == "d" and order[-1] == "a"
        assert set(order) == {"a", "b", "c", "d"}
        assert sorted(clients["d"]) == ["b", "c"]
        with pytest.raises(CycleError):
            general_toposort(["a"], {"a": ["b"], "b": ["a"]}.__getitem__)

    def test_multi_output_node_once(self):
        x = fscalar("x")
        s, d = sum_diff(x, x)
        assert io_toposort([x], [s, d]) == [s.owner]


@pytest.fixture(scope="module")
def deep():
    return chain(DEEP)


class TestDeepGraphs:
    """Nothing recurses: chains of 100k nodes work under the default recursion limit."""

    def test_toposort(self, deep):
        x, out = deep
        order = io_toposort([x], [out])
        assert len(order) == DEEP
        assert order[0].inputs[0] is x and order[-1] is out.owner

    def test_ancestors_and_inputs(self, deep):
        x, out = deep
        assert sum(1 for _ in ancestors([out])) == DEEP + 1
        assert list(graph_inputs([out])) == [x]
        assert variable_depends_on(out, x)

    def test_clone_get_equiv(self, deep):
        x, out = deep
        equiv = clone_get_equiv([x], [out])
        new = equiv[out]
        assert new is not out
        n, v = 0, new
        while v.owner is not None:
            v = v.owner.inputs[0]
            n += 1
        assert n == DEEP and v is equiv[x]

    def test_function_graph(self, deep):
        x, out = deep
        fg = FunctionGraph([x], [out], clone=False)
        assert len(fg.apply_nodes) == DEEP
        assert len(fg.toposort()) == DEEP

    def test_truncated_and_between(self, deep):
        x, out = deep
        mid = out
        for _ in range(10):
            mid = mid.owner.inputs[0]
        assert truncated_graph_inputs([out], [mid]) == [mid]
        assert len(applys_between([x], [out])) == DEEP


def test_array_graph_toposort():
    t = ArrayType("float64", (3,))
    v = Constant(t, np.ones(3))
    a = t("a")
    z = add(mul(a, v), a)
    order = io_toposort([a], [z])
    assert [n.op for n in order] == [mul.__class__(), add.__class__()]
    assert isinstance(order[0], Apply)
