"""Tests of pytensor.graph.features: callbacks, History, Validator/ReplaceValidate and helpers."""

import pytest
from toy import Mul, add, fscalar, mul, neg

from pytensor.graph.features import (
    AlreadyThere,
    Bookkeeper,
    Feature,
    History,
    NodeFinder,
    PreserveVariableAttributes,
    ReplacementDidNotRemoveError,
    ReplaceValidate,
)
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.utils import InconsistencyError


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


class NoMul(Feature):
    """A validator: the graph may not contain a Mul node."""

    def __init__(self):
        self.validations = 0

    def validate(self, fgraph):
        self.validations += 1
        if any(isinstance(n.op, Mul) for n in fgraph.apply_nodes):
            raise InconsistencyError("Mul is not allowed here")


def snapshot(fg):
    return (
        list(fg.inputs),
        list(fg.outputs),
        set(fg.apply_nodes),
        set(fg.variables),
        {n: list(n.inputs) for n in fg.apply_nodes},
        {v: sorted(map(repr, cl)) for v, cl in fg.clients.items()},
    )


class TestCallbacks:
    def test_construction_imports_in_topological_order(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        z = add(a, y)
        rec = Recorder()
        fg = FunctionGraph([x, y], [z], clone=False, features=[rec])
        assert rec.calls == [
            ("attach", fg),
            ("import", a.owner, "init"),
            ("import", z.owner, "init"),
        ]

    def test_replace_callback_order_and_arguments(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        z = add(a, y)
        rec = Recorder()
        fg = FunctionGraph([x, y], [z], clone=False, features=[rec])
        rec.calls.clear()
        b = mul(x, x)
        fg.replace(a, b, reason="swap")
        assert rec.calls == [
            ("import", b.owner, "swap"),
            ("prune", a.owner, "swap"),
            ("change", z.owner, 0, a, b, "swap"),
        ]

    def test_output_change_callback(self):
        x = fscalar("x")
        z = neg(x)
        rec = Recorder()
        fg = FunctionGraph([x], [z], clone=False, features=[rec])
        rec.calls.clear()
        fg.replace(z, x, reason="r")
        (kind, node, i, old, new, reason) = rec.calls[-1]
        assert (kind, i, old, new, reason) == ("change", 0, z, x, "r")
        assert node.op.idx == 0
        assert ("prune", z.owner, "r") in rec.calls

    def test_prune_cascades(self):
        x = fscalar("x")
        a = neg(x)
        b = neg(a)
        z = add(b, x)
        rec = Recorder()
        fg = FunctionGraph([x], [z], clone=False, features=[rec])
        rec.calls.clear()
        fg.replace(b, x)
        pruned = [c[1] for c in rec.calls if c[0] == "prune"]
        assert pruned == [b.owner, a.owner]
        assert fg.apply_nodes == {z.owner}

    def test_remove_feature_detaches(self):
        x = fscalar("x")
        rec = Recorder()
        fg = FunctionGraph([x], [neg(x)], clone=False, features=[rec])
        fg.remove_feature(rec)
        assert rec.calls[-1] == ("detach", fg)
        rec.calls.clear()
        fg.replace(fg.outputs[0], x)
        assert rec.calls == []
        fg.remove_feature(rec)  # removing twice is harmless

    def test_feature_attached_once(self):
        x = fscalar("x")
        rec = Recorder()
        fg = FunctionGraph([x], [neg(x)], clone=False, features=[rec])
        fg.attach_feature(rec)
        assert [c[0] for c in rec.calls].count("attach") == 1
        assert fg.execute_callbacks_times[rec] >= 0.0

    def test_collect_callbacks(self):
        class Answer(Feature):
            def answer(self, q):
                return q * 2

        x = fscalar("x")
        f = Answer()
        fg = FunctionGraph([x], [neg(x)], clone=False, features=[f])
        assert fg.collect_callbacks("answer", 21) == {f: 42}

    def test_feature_orderings_used_by_toposort(self):
        class Before(Feature):
            def __init__(self, pairs):
                self.pairs = pairs

            def orderings(self, fgraph):
                return self.pairs

        x = fscalar("x")
        a, b = neg(x), mul(x, x)
        z = add(a, b)
        fg = FunctionGraph([x], [z], clone=False, features=[Before({a.owner: [b.owner]})])
        order = fg.toposort()
        assert order.index(b.owner) < order.index(a.owner)
        fg2 = FunctionGraph([x], [z], clone=False, features=[Before({b.owner: [a.owner]})])
        order = fg2.toposort()
        assert order.index(a.owner) < order.index(b.owner)


class TestHistory:
    def test_checkpoint_revert_restores_structure_exactly(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        b = mul(a, y)
        z = add(b, a)
        fg = FunctionGraph([x, y], [z, b], clone=False)
        before = snapshot(fg)
        chk = fg.checkpoint()
        fg.replace(a, y)
        fg.replace(b, add(x, y))
        fg.replace(z, x)
        assert snapshot(fg) != before
        fg.revert(chk)
        assert snapshot(fg) == before
        fg.check_integrity()

    def test_partial_revert(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(neg(x), y)
        fg = FunctionGraph([x, y], [z], clone=False)
        fg.replace(z.owner.inputs[0], x)
        mid = snapshot(fg)
        chk = fg.checkpoint()
        fg.replace(z, y)
        fg.revert(chk)
        assert snapshot(fg) == mid

    def test_history_declines_a_second_attach(self):
        x = fscalar("x")
        fg = FunctionGraph([x], [neg(x)], clone=False)
        h = History()
        with pytest.raises(AlreadyThere):
            h.on_attach(fg)  # ReplaceValidate (a History) is always attached
        fg.attach_feature(h)  # declined silently
        assert h not in fg._features

    def test_history_on_a_bare_graph(self):
        x = fscalar("x")
        z = neg(x)
        fg = FunctionGraph([x], [z], clone=False)
        rv = next(f for f in fg._features if isinstance(f, ReplaceValidate))
        fg.remove_feature(rv)
        assert not hasattr(fg, "checkpoint")
        h = History()
        fg.attach_feature(h)
        chk = fg.checkpoint()
        fg.replace(z, x)
        fg.revert(chk)
        assert fg.outputs == [z]
        fg.remove_feature(h)
        assert not hasattr(fg, "revert")


class TestReplaceValidate:
    def test_invalid_replacement_is_reverted(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        z = add(a, y)
        v = NoMul()
        fg = FunctionGraph([x, y], [z], clone=False, features=[v])
        before = snapshot(fg)
        with pytest.raises(InconsistencyError, match="Mul is not allowed"):
            fg.replace_all_validate([(y, x), (a, mul(x, x))], reason="bad")
        assert snapshot(fg) == before
        assert v.validations == 1
        fg.check_integrity()

    def test_valid_replacement_is_kept(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        z = add(a, y)
        fg = FunctionGraph([x, y], [z], clone=False, features=[NoMul()])
        fg.replace_validate(a, add(x, x))
        assert z.owner.inputs[0].owner.op == add
        assert fg.consistent()

    def test_error_during_replace_reverts_earlier_ones(self):
        x, y = fscalar("x"), fscalar("y")
        a, b = neg(x), neg(y)
        z = add(a, b)
        fg = FunctionGraph([x, y], [z], clone=False)
        before = snapshot(fg)
        with pytest.raises(TypeError):
            fg.replace_all_validate([(a, x), (b, 3.0)])
        assert snapshot(fg) == before

    def test_consistent(self):
        x = fscalar("x")
        fg = FunctionGraph([x], [mul(x, x)], clone=False, features=[NoMul()])
        assert not fg.consistent()
        with pytest.raises(InconsistencyError):
            fg.validate()

    def test_replace_all_validate_remove(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        z = add(a, a)
        fg = FunctionGraph([x, y], [z, a], clone=False)
        before = snapshot(fg)
        # a is still an output, so replacing z does not remove a's node.
        with pytest.raises(ReplacementDidNotRemoveError, match="did not remove Neg"):
            fg.replace_all_validate_remove([(z, y)], remove=[a.owner], reason="r")
        assert snapshot(fg) == before
        fg.replace_all_validate_remove([(z, y)], remove=[z.owner])
        assert fg.outputs == [y, a]


class TestHelpers:
    def test_bookkeeper_replays_imports(self):
        class Book(Bookkeeper):
            def __init__(self):
                self.seen = []

            def on_import(self, fgraph, node, reason):
                self.seen.append((node, reason))

            def on_prune(self, fgraph, node, reason):
                self.seen.append(("prune", node))

        x = fscalar("x")
        a = neg(x)
        z = add(a, x)
        fg = FunctionGraph([x], [z], clone=False)
        book = Book()
        fg.attach_feature(book)
        assert book.seen == [(a.owner, "on_attach"), (z.owner, "on_attach")]
        book.seen.clear()
        fg.remove_feature(book)
        assert book.seen == [("prune", a.owner), ("prune", z.owner)]

    def test_node_finder(self):
        x = fscalar("x")
        a = neg(x)
        b = neg(a)
        z = add(b, x)
        fg = FunctionGraph([x], [z], clone=False, features=[NodeFinder()])
        assert set(fg.get_nodes(neg)) == {a.owner, b.owner}
        fg.replace(b, x)
        assert fg.get_nodes(neg) == []
        assert fg.get_nodes(add) == [z.owner]
        with pytest.raises(AlreadyThere):
            NodeFinder().on_attach(fg)

    def test_preserve_variable_attributes(self):
        x = fscalar("x")
        a = neg(x)
        a.name = "a"
        z = add(a, x)
        fg = FunctionGraph([x], [z], clone=False, features=[PreserveVariableAttributes()])
        new = mul(x, x)
        fg.replace(a, new)
        assert new.name == "a"

    def test_clone_copies_features(self):
        x = fscalar("x")
        fg = FunctionGraph([x], [neg(x)], clone=False, features=[NodeFinder()])
        new = fg.clone()
        assert len(new.get_nodes(neg)) == 1
        assert hasattr(new, "replace_all_validate")
