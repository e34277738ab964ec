"""Tests of pytensor.compile.function: calling conventions, input checks, updates, givens,
aliasing, copies, pickling and compile-time errors."""

import pickle

import numpy as np
import pytest
from toy import (
    ArrayType,
    Count,
    add,
    ashared,
    fscalar,
    fshared,
    fvector,
    inc_inplace,
    mul,
    neg,
    sum_diff,
    view,
)

from pytensor.compile.function import function
from pytensor.compile.function.types import Function, Supervisor, UnusedInputError
from pytensor.compile.io import In, Out
from pytensor.compile.mode import Mode
from pytensor.compile.profiling import ProfileStats
from pytensor.graph.basic import Constant
from pytensor.graph.utils import InconsistencyError, MissingInputError

PY = Mode(linker="py", optimizer=None)


def vec(name, length=None, dtype="float64"):
    return fvector(name, length, dtype)


class TestCalling:
    def test_positional_and_keyword(self):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], add(mul(x, 10.0), y))
        assert f(1.0, 2.0) == 12.0
        assert f(x=1.0, y=2.0) == 12.0
        assert f(y=2.0, x=1.0) == 12.0
        assert f(1.0, y=2.0) == 12.0
        assert isinstance(f, Function)

    def test_wrong_count(self):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], add(x, y), name="f2")
        with pytest.raises(TypeError, match=r"function 'f2' takes 2 argument\(s\) \(x, y\) but 3"):
            f(1.0, 2.0, 3.0)
        with pytest.raises(TypeError, match=r"missing argument 1 \('y'\)"):
            f(1.0)
        with pytest.raises(TypeError, match="unexpected keyword argument 'z'; input names: x, y"):
            f(1.0, 2.0, z=3.0)
        with pytest.raises(TypeError, match="multiple values for argument 'x'"):
            f(1.0, x=2.0)

    def test_bad_value_names_the_input(self):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], add(x, y), name="f2")
        with pytest.raises(TypeError, match=r"Bad input argument 1 \('y'\) to function 'f2'.*str"):
            f(1.0, "two")
        with pytest.raises(TypeError, match=r"Bad input argument 0 \('x'\)"):
            f(x=None, y=1.0)

    def test_int_accepted_for_float(self):
        x = fscalar("x")
        f = function([x], neg(x))
        out = f(3)
        assert out == -3.0 and isinstance(out, float)

    def test_wrong_dtype_no_silent_downcast(self):
        v = vec("v", dtype="float32")
        f = function([v], neg(v))
        with pytest.raises(TypeError, match=r"Bad input argument 0 \('v'\).*no silent downcast"):
            f(np.array([1.5, 2.5]))  # float64 -> float32 loses precision
        # A safe upcast is fine.
        np.testing.assert_array_equal(f(np.array([1, 2], dtype="int8")), [-1.0, -2.0])
        assert f(np.array([1, 2], dtype="int8")).dtype == np.float32

    def test_allow_input_downcast(self):
        v = vec("v", dtype="float32")
        f = function([v], neg(v), allow_input_downcast=True)
        out = f(np.array([1.5, 2.5]))
        assert out.dtype == np.float32
        np.testing.assert_array_equal(out, [-1.5, -2.5])

    def test_wrong_ndim(self):
        v = vec("v")
        f = function([v], neg(v))
        with pytest.raises(
            TypeError, match=r"Bad input argument 0 \('v'\).*expects 1 dimension\(s\), got 2"
        ):
            f(np.zeros((2, 2)))

    def test_wrong_static_shape(self):
        v = vec("v", 3)
        f = function([v], neg(v))
        with pytest.raises(ValueError, match=r"Bad input argument 0 \('v'\).*\(3,\), got \(4,\)"):
            f(np.zeros(4))
        np.testing.assert_array_equal(f(np.arange(3.0)), [-0.0, -1.0, -2.0])

    def test_strict_input(self):
        v = vec("v")
        f = function([In(v, strict=True)], neg(v))
        with pytest.raises(TypeError, match="strict"):
            f([1.0, 2.0])
        np.testing.assert_array_equal(f(np.ones(2)), [-1.0, -1.0])

    def test_single_vs_list_outputs(self):
        x = fscalar("x")
        assert function([x], neg(x))(2.0) == -2.0
        assert function([x], [neg(x)])(2.0) == [-2.0]
        assert function([x], [neg(x), mul(x, x)])(3.0) == [-3.0, 9.0]
        assert function([x], Out(neg(x)))(2.0) == -2.0
        assert function([x], [], on_unused_input="ignore")(2.0) == []

    def test_output_subset(self):
        x = fscalar("x")
        f = function([x], [neg(x), mul(x, x), add(x, 1.0)])
        assert f(3.0, output_subset=[2, 0]) == [4.0, -3.0]

    def test_multi_output_node(self):
        x, y = fscalar("x"), fscalar("y")
        s, d = sum_diff(x, y)
        assert function([x, y], [d, s])(5.0, 2.0) == [3.0, 7.0]

    def test_constant_output(self):
        f = function([], Constant(ArrayType("float64", (2,)), np.array([1.0, 2.0])))
        a = f()
        a[0] = 100.0
        np.testing.assert_array_equal(f(), [1.0, 2.0])

    def test_in_value_default(self):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, In(y, value=10.0)], add(x, y))
        assert f(1.0) == 11.0
        assert f(1.0, 2.0) == 3.0
        assert f(1.0, y=5.0) == 6.0

    def test_stateful_input(self):
        # In(x, value=..., update=...): the update becomes the value used when x is omitted.
        x, y = fscalar("x"), fscalar("y")
        f = function([In(x, value=1.0, update=add(x, 1.0)), y], add(x, y))
        assert f(y=0.0) == 1.0
        assert f(y=0.0) == 2.0
        assert f(5.0, 0.0) == 5.0  # a given value is used, and updated
        assert f(y=0.0) == 6.0
        g = f.copy(delete_updates=True)
        assert g(y=0.0) == 1.0 and g(y=0.0) == 1.0

    def test_in_name(self):
        x = fscalar()
        f = function([In(x, name="first")], neg(x))
        assert f(first=2.0) == -2.0


class TestUnusedInputs:
    def test_raise_names_input(self):
        x, y = fscalar("x"), fscalar("y")
        with pytest.raises(UnusedInputError, match=r"y \(position 1\)"):
            function([x, y], neg(x))

    def test_warn(self):
        x, y = fscalar("x"), fscalar("y")
        with pytest.warns(UserWarning, match=r"y \(position 1\)"):
            f = function([x, y], neg(x), on_unused_input="warn")
        assert f(1.0, 99.0) == -1.0

    def test_ignore(self):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], neg(x), on_unused_input="ignore")
        assert f(1.0, 99.0) == -1.0
        with pytest.raises(TypeError, match="missing argument 1"):
            f(1.0)


class TestGivens:
    def test_givens_substitute(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(x, 1.0)
        f = function([y], z, givens={x: mul(y, 2.0)})
        assert f(3.0) == 7.0

    def test_givens_list_of_pairs_and_shared(self):
        x, y = fscalar("x"), fscalar("y")
        s = fshared(5.0, "s")
        f = function([y], add(x, y), givens=[(x, s)])
        assert f(1.0) == 6.0
        s.set_value(10.0)
        assert f(1.0) == 11.0

    def test_givens_wrong_type(self):
        x = fscalar("x")
        with pytest.raises(TypeError, match="float"):
            function([], neg(x), givens={x: vec("v")})


class TestUpdates:
    def test_updates(self):
        s = fshared(0.0, "s")
        x = fscalar("x")
        f = function([x], s, updates={s: add(s, x)})
        assert f(2.0) == 0.0  # outputs are computed before updates are written
        assert s.get_value() == 2.0
        assert f(3.0) == 2.0
        assert s.get_value() == 5.0

    def test_updates_as_pairs(self):
        s = fshared(1.0, "s")
        f = function([], [], updates=[(s, mul(s, 2.0))])
        f()
        f()
        assert s.get_value() == 4.0

    def test_default_update(self):
        s = fshared(0.0, "s")
        s.default_update = add(s, 1.0)
        f = function([], s)
        assert [f(), f(), f()] == [0.0, 1.0, 2.0]
        assert s.get_value() == 3.0

    def test_explicit_update_overrides_default(self):
        s = fshared(0.0, "s")
        s.default_update = add(s, 1.0)
        f = function([], s, updates={s: add(s, 10.0)})
        f()
        assert s.get_value() == 10.0

    def test_no_default_updates(self):
        s, t = fshared(0.0, "s"), fshared(0.0, "t")
        s.default_update = add(s, 1.0)
        t.default_update = add(t, 1.0)
        out = add(s, t)
        function([], out, no_default_updates=True)()
        assert (s.get_value(), t.get_value()) == (0.0, 0.0)
        function([], out, no_default_updates=[s])()
        assert (s.get_value(), t.get_value()) == (0.0, 1.0)
        function([], out)()
        assert (s.get_value(), t.get_value()) == (1.0, 2.0)

    def test_default_update_reading_another_shared(self):
        s, step = fshared(0.0, "s"), fshared(5.0, "step")
        s.default_update = add(s, step)
        f = function([], s)
        f()
        f()
        assert s.get_value() == 10.0
        assert set(f.get_shared()) == {s, step}

    def test_update_errors(self):
        s = fshared(0.0, "s")
        x = fscalar("x")
        with pytest.raises(TypeError, match="not a shared variable"):
            function([x], x, updates={x: add(x, 1.0)})
        with pytest.raises(TypeError, match="does not fit the shared variable's type float"):
            function([], s, updates={s: vec("v")})
        with pytest.raises(ValueError, match="more than one update"):
            function([], s, updates=[(s, add(s, 1.0)), (s, add(s, 2.0))])

    def test_output_that_is_also_an_update(self):
        a = ashared(np.zeros(3), "a")
        new = add(a, Constant(a.type, np.ones(3)))
        f = function([], new, updates={a: new})
        out = f()
        np.testing.assert_array_equal(out, np.ones(3))
        np.testing.assert_array_equal(a.get_value(), np.ones(3))
        assert not np.shares_memory(out, a.get_value(borrow=True))
        f()
        np.testing.assert_array_equal(out, np.ones(3))  # a later call does not overwrite it

    def test_array_update_is_not_aliased(self):
        a = ashared(np.zeros(3), "a")
        f = function([], a, updates={a: add(a, Constant(a.type, np.ones(3)))})
        first = f()
        second = f()
        np.testing.assert_array_equal(first, np.zeros(3))
        np.testing.assert_array_equal(second, np.ones(3))
        assert not np.shares_memory(first, a.get_value(borrow=True))


class TestAliasing:
    def test_output_never_aliases_input(self):
        v = vec("v")
        f = function([v], v)
        a = np.arange(3.0)
        out = f(a)
        np.testing.assert_array_equal(out, a)
        assert not np.shares_memory(out, a)

    def test_view_output_is_copied(self):
        v = vec("v")
        f = function([v], view(v))
        a = np.arange(3.0)
        assert not np.shares_memory(f(a), a)

    def test_borrowed_output_may_alias(self):
        v = vec("v")
        f = function([In(v, borrow=True)], Out(view(v), borrow=True))
        a = np.arange(3.0)
        assert np.shares_memory(f(a), a)

    def test_duplicated_outputs_are_distinct(self):
        v = vec("v")
        z = neg(v)
        f = function([v], [z, z])
        a, b = f(np.arange(3.0))
        np.testing.assert_array_equal(a, b)
        assert not np.shares_memory(a, b)

    def test_shared_value_is_not_returned(self):
        s = ashared(np.arange(3.0), "s")
        f = function([], s)
        out = f()
        out[0] = 100.0
        assert s.get_value(borrow=True)[0] == 0.0

    def test_input_not_modified(self):
        v = vec("v")
        f = function([v], [neg(v), v])
        a = np.arange(3.0)
        f(a)
        np.testing.assert_array_equal(a, np.arange(3.0))


class TestTrustInput:
    def test_trust_input_skips_checks(self):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], add(x, y))
        assert isinstance(f(1, 2), float)
        f.trust_input = True
        out = f(1, 2)  # ints go through unconverted
        assert out == 3 and isinstance(out, int)

    def test_trust_input_argument(self):
        v = vec("v", 3)
        f = function([v], neg(v), trust_input=True)
        np.testing.assert_array_equal(f(np.zeros(4)), np.zeros(4))  # no shape check
        assert f.trust_input


class TestCopy:
    def test_copy_swap(self):
        s1, s2 = fshared(1.0, "s1"), fshared(100.0, "s2")
        x = fscalar("x")
        f = function([x], add(s1, x), updates={s1: add(s1, 1.0)})
        g = f.copy(swap={s1: s2})
        assert g(1.0) == 101.0
        assert s2.get_value() == 101.0 and s1.get_value() == 1.0
        assert f(1.0) == 2.0
        assert s1.get_value() == 2.0 and s2.get_value() == 101.0

    def test_copy_swap_errors(self):
        s1 = fshared(1.0, "s1")
        f = function([], add(s1, 1.0))
        with pytest.raises(TypeError, match="cannot swap s1 of type float"):
            f.copy(swap={s1: ashared(np.zeros(2), "arr")})
        with pytest.raises(ValueError, match="not used by this function"):
            f.copy(swap={fshared(0.0, "other"): fshared(0.0, "o2")})

    def test_copy_delete_updates(self):
        s = fshared(0.0, "s")
        f = function([], s, updates={s: add(s, 1.0)})
        g = f.copy(delete_updates=True)
        g()
        g()
        assert s.get_value() == 0.0
        f()
        assert s.get_value() == 1.0

    def test_copy_name(self):
        x = fscalar("x")
        f = function([x], neg(x), name="orig")
        assert f.copy().name == "orig"
        assert f.copy(name="new").name == "new"


class TestPickle:
    def test_pickle_with_shared_and_updates(self):
        s = fshared(0.0, "s")
        x = fscalar("x")
        f = function([x], add(s, x), updates={s: add(s, x)})
        f(1.0)
        f2, s2 = pickle.loads(pickle.dumps((f, s)))
        assert s2 is not s and s2.get_value() == 1.0
        # The unpickled function reads and updates the unpickled shared variable.
        assert f2.get_shared()[0].container is s2.container
        assert f2(2.0) == 3.0
        assert s2.get_value() == 3.0 and s.get_value() == 1.0
        s2.set_value(10.0)
        assert f2(0.0) == 10.0
        assert f(0.0) == 1.0

    def test_pickle_keeps_options(self):
        x = fscalar("x")
        f = function(
            [x, In(fscalar("y"), value=2.0)], add(x, x), name="p", on_unused_input="ignore"
        )
        g = pickle.loads(pickle.dumps(f))
        assert g.name == "p"
        assert g(3.0) == 6.0


class TestGraphErrors:
    def test_cycle(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(x, y)
        w = neg(z)
        z.owner.inputs[1] = w
        with pytest.raises(ValueError, match="cycle"):
            function([x], w)

    def test_disconnected_graph(self):
        x, y = fscalar("x"), fscalar("y")
        with pytest.raises(MissingInputError, match=r"depend on y \(type float\)") as info:
            function([x], add(x, y), name="g")
        assert info.value.variable is y
        assert "function 'g'" in str(info.value)

    def test_bad_inputs(self):
        x = fscalar("x")
        s = fshared(0.0, "s")
        with pytest.raises(TypeError, match="is a shared variable"):
            function([s], s)
        with pytest.raises(TypeError, match="is a constant"):
            function([Constant(x.type, 1.0)], x)
        with pytest.raises(TypeError, match="inputs must be root variables"):
            function([neg(x)], x)
        with pytest.raises(ValueError, match="given twice"):
            function([x, x], x)
        with pytest.raises(TypeError, match="must be a list or tuple"):
            function(x, x)
        with pytest.raises(TypeError, match="output 0 must be a Variable"):
            function([x], [1.0])


class TestDestroy:
    """The graph layer's own checks (no rewriter: a rewrite layer may add its own)."""

    def test_destroying_a_non_mutable_input_is_rejected(self):
        v = vec("v")
        with pytest.raises(InconsistencyError, match="non-mutable input v"):
            function([v], inc_inplace(v), mode=PY)

    def test_destroying_through_a_view_is_rejected(self):
        v = vec("v")
        with pytest.raises(InconsistencyError, match="IncInplace"):
            function([v], inc_inplace(view(v)), mode=PY)

    def test_destroying_a_constant_is_rejected(self):
        c = Constant(ArrayType("float64", (2,)), np.zeros(2))
        with pytest.raises(InconsistencyError, match="the constant"):
            function([], inc_inplace(c), mode=PY)

    def test_mutable_input_allowed(self):
        v = vec("v")
        f = function([In(v, mutable=True)], inc_inplace(v), mode=PY)
        a = np.zeros(3)
        out = f(a)
        np.testing.assert_array_equal(out, np.ones(3))

    @pytest.mark.parametrize("reader_first", [True, False])
    def test_readers_run_before_the_overwrite(self, reader_first):
        v = vec("v")
        outs = [neg(v), inc_inplace(v)] if reader_first else [inc_inplace(v), neg(v)]
        f = function([In(v, mutable=True)], outs, mode=PY)
        res = f(np.zeros(2))
        negated, incremented = res if reader_first else res[::-1]
        np.testing.assert_array_equal(negated, [-0.0, -0.0])
        np.testing.assert_array_equal(incremented, [1.0, 1.0])

    def test_reader_of_a_view_runs_before_the_overwrite(self):
        v = vec("v")
        f = function([In(v, mutable=True)], [inc_inplace(view(v)), neg(view(v))], mode=PY)
        inc, negated = f(np.zeros(2))
        np.testing.assert_array_equal(inc, [1.0, 1.0])
        np.testing.assert_array_equal(negated, [-0.0, -0.0])

    def test_overwritten_intermediate_read_elsewhere(self):
        v = vec("v")
        n = neg(v)
        f = function([v], [inc_inplace(n), mul(n, n)], mode=PY)
        inc, square = f(np.ones(2))
        np.testing.assert_array_equal(inc, [0.0, 0.0])
        np.testing.assert_array_equal(square, [1.0, 1.0])

    def test_chained_overwrites_are_fine(self):
        v = vec("v")
        f = function([In(v, mutable=True)], inc_inplace(inc_inplace(v)), mode=PY)
        np.testing.assert_array_equal(f(np.zeros(2)), [2.0, 2.0])

    @pytest.mark.parametrize("kind", ["two_destroyers", "needed_after"])
    def test_impossible_orders_are_rejected(self, kind):
        v = vec("v")
        outs = (
            [inc_inplace(v), inc_inplace(v)] if kind == "two_destroyers" else add(inc_inplace(v), v)
        )
        with pytest.raises(InconsistencyError, match="overwritten in place"):
            function([In(v, mutable=True)], outs, mode=PY)

    def test_destroying_a_computed_value_is_fine(self):
        v = vec("v")
        f = function([v], inc_inplace(neg(v)), mode=PY)
        a = np.arange(3.0)
        np.testing.assert_array_equal(f(a), [1.0, 0.0, -1.0])
        np.testing.assert_array_equal(a, np.arange(3.0))


class TestSupervisor:
    """FunctionMaker lists the inputs that must not be overwritten before it rewrites."""

    @staticmethod
    def _supervisor(f):
        found = [ft for ft in f.maker.fgraph._features if isinstance(ft, Supervisor)]
        assert len(found) == 1
        return found[0]

    def test_protected_lists_the_non_mutable_inputs(self):
        v, w, d = vec("v"), vec("w"), vec("d")
        kept, updated = ashared(np.zeros(2), "kept"), ashared(np.zeros(2), "updated")
        f = function(
            [In(v, mutable=True), w, In(d, value=np.zeros(2), mutable=True)],
            [add(add(v, w), add(d, kept))],
            updates={updated: neg(updated)},
            mode=PY,
        )
        prot = self._supervisor(f).protected
        assert set(prot) == {w, d, kept}
        assert all(x in f.maker.fgraph.inputs for x in prot)

    def test_attached_before_rewriting_and_kept(self):
        seen = []

        class Spy:
            def rewrite(self, fgraph):
                seen.append([type(ft).__name__ for ft in fgraph._features])

        v = vec("v")
        function([v], neg(v), mode=Mode(linker="py", optimizer=Spy()))
        assert "Supervisor" in seen[0]

    def test_clone_and_pickle_keep_the_list(self):
        v, w = vec("v"), vec("w")
        f = function([In(v, mutable=True), w], add(v, w), mode=PY)
        sup = self._supervisor(f)
        assert sup.clone().protected == sup.protected == [w]
        g = pickle.loads(pickle.dumps(f))
        assert [x.name for x in self._supervisor(g).protected] == ["w"]
        np.testing.assert_array_equal(g(np.ones(2), np.ones(2)), [2.0, 2.0])

    def test_mutable_input_is_overwritten(self):
        v = vec("v")
        f = function([In(v, mutable=True)], Out(inc_inplace(v), borrow=True), mode=PY)
        a = np.zeros(3)
        out = f(a)
        assert np.shares_memory(out, a)
        np.testing.assert_array_equal(a, np.ones(3))

    def test_input_with_a_default_is_protected(self):
        v = vec("v")
        with pytest.raises(InconsistencyError, match="non-mutable input v"):
            function([In(v, value=np.zeros(2), mutable=True)], inc_inplace(v), mode=PY)

    def test_updated_shared_value_may_be_overwritten(self):
        s = ashared(np.zeros(2), "s")
        f = function([], [], updates={s: inc_inplace(s)}, mode=PY)
        for k in range(1, 4):
            f()
            np.testing.assert_array_equal(s.get_value(), [k, k])

    def test_shared_without_update_is_protected(self):
        s = ashared(np.zeros(2), "s")
        with pytest.raises(InconsistencyError, match="non-mutable input s"):
            function([], inc_inplace(s), mode=PY)

    def test_aliased_arguments_are_copied_before_the_overwrite(self):
        v, w = vec("v"), vec("w")
        f = function([In(v, mutable=True), w], [neg(w), inc_inplace(v)], mode=PY)
        a = np.arange(3.0)
        negated, inc = f(a, a)
        np.testing.assert_array_equal(negated, -np.arange(3.0))
        np.testing.assert_array_equal(inc, np.arange(3.0) + 1)
        np.testing.assert_array_equal(a, np.arange(3.0))
        b = np.arange(3.0)
        f(b, np.zeros(3))
        np.testing.assert_array_equal(b, np.arange(3.0) + 1)

    def test_shared_value_aliased_by_an_argument_is_not_overwritten(self):
        s = ashared(np.arange(2.0), "s")
        v = vec("v")
        f = function([In(v, mutable=True)], add(inc_inplace(v), s), mode=PY)
        np.testing.assert_array_equal(f(s.get_value(borrow=True)), [1.0, 3.0])
        np.testing.assert_array_equal(s.get_value(), [0.0, 1.0])


class TestProfile:
    def test_profile_records_calls(self, capsys):
        x = fscalar("x")
        f = function([x], neg(x), profile=True, name="prof")
        assert isinstance(f.profile, ProfileStats)
        for k in range(3):
            f(float(k))
        assert f.profile.fct_callcount == 3
        assert f.profile.fct_call_time > 0.0
        assert f.profile.compile_time > 0.0
        f.profile.summary()
        out = capsys.readouterr().out
        assert "Function profile: prof" in out and "calls: 3" in out

    def test_profile_object(self):
        prof = ProfileStats(name="mine")
        x = fscalar("x")
        f = function([x], neg(x), profile=prof)
        f(1.0)
        assert f.profile is prof and prof.fct_callcount == 1

    def test_no_profile_by_default(self):
        x = fscalar("x")
        assert function([x], neg(x)).profile is None


def test_function_maker_fgraph_and_str():
    x = fscalar("x")
    c = Count("c")
    f = function([x], c(x), name="named")
    assert f.maker.fgraph.outputs[0].owner.op == c
    assert "named" in str(f) and "1 nodes" in str(f)
    assert f(1.0) == 2.0 and c.calls == 1
