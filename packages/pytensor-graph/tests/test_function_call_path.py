"""Tests of the generated call path of Function (pytensor.compile.function._call) and of the
optional ``DirectCall`` a runner may offer: every call gives what the general path gives."""

import copy
import inspect
import pickle
import weakref

import numpy as np
import pytest
from toy import add, fscalar, fshared, fvector, inc_inplace, mul, neg, sum_diff

from pytensor.compile.function import function
from pytensor.compile.function._call import direct_call_of
from pytensor.compile.function.types import Function
from pytensor.compile.io import In
from pytensor.compile.mode import Mode
from pytensor.compile.profiling import ProfileStats
from pytensor.graph.basic import Constant
from pytensor.link.backend import Backend, DirectCall, DirectOutput, Linker
from pytensor.link.python import backend as py_backend

PY = Mode(linker="py", optimizer=None)
#: Appended by DirectBackend's DirectCall: the fast path must pass it on every call.
TOKEN = object()


class WrappedError(RuntimeError):
    """What DirectBackend's on_error turns an exception of its compiled function into."""


class DirectBackend(Backend):
    """Runs graphs on the py backend, offering a DirectCall that differs from the runner's list:
    a bare value for one output, a tuple otherwise, an extra argument, converted floats and
    constant outputs taken from the plan. ``calls`` counts runner and fn calls."""

    name = "direct-test"

    def __init__(self) -> None:
        self.calls = {"runner": 0, "fn": 0}

    def link(self, fgraph, **options):
        inner = py_backend.link(fgraph)
        computed = [k for k, o in enumerate(fgraph.outputs) if not isinstance(o, Constant)]
        single = len(computed) == 1
        calls = self.calls

        def fn(*args):
            calls["fn"] += 1
            assert args[-1] is TOKEN
            outs = inner(*args[:-1])
            if any(isinstance(v, float) and v < -1e6 for v in outs):
                raise ValueError("huge negative value")
            picked = [outs[k] for k in computed]
            return picked[0] if single else tuple(picked)

        outputs = tuple(
            DirectOutput(None, o.data)
            if isinstance(o, Constant)
            else DirectOutput(0 if single else computed.index(k), convert=np.float64)
            for k, o in enumerate(fgraph.outputs)
        )

        def on_error(exc):
            raise WrappedError(f"wrapped: {exc}") from None

        plan = DirectCall(fn, (TOKEN,), outputs, single=single, on_error=on_error)

        def runner(*args):
            calls["runner"] += 1
            try:
                r = fn(*args, TOKEN)
            except Exception as exc:
                on_error(exc)
            return [
                o.value if o.index is None else o.convert(r if single else r[o.index])
                for o in outputs
            ]

        runner.direct_call = plan
        return runner


@pytest.fixture(params=["py", "direct"])
def mode(request):
    if request.param == "py":
        return PY
    return Mode(linker=Linker(DirectBackend()), optimizer=None)


def general(f, *args, **kwargs):
    """The reference: the general call path of the same Function."""
    return f._call_general(*args, **kwargs)


class TestSameAsGeneralPath:
    def test_single_output(self, mode):
        x = fscalar("x")
        f = function([x], add(mul(x, 2.0), 1.0), mode=mode)
        assert f(3.0) == general(f, 3.0) == 7.0
        assert f(x=3.0) == 7.0

    def test_several_outputs_and_subset(self, mode):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], [add(x, y), mul(x, y), neg(x)], mode=mode)
        assert f(2.0, 5.0) == general(f, 2.0, 5.0) == [7.0, 10.0, -2.0]
        assert f(2.0, 5.0, output_subset=[2, 0]) == [-2.0, 7.0]
        assert f(2.0, y=5.0) == [7.0, 10.0, -2.0]

    def test_multi_output_op(self, mode):
        x, y = fscalar("x"), fscalar("y")
        s, d = sum_diff(x, y)
        f = function([x, y], [d, s], mode=mode)
        assert f(5.0, 3.0) == general(f, 5.0, 3.0) == [2.0, 8.0]

    def test_updates(self, mode):
        s = fshared(1.0, "s")
        x = fscalar("x")
        f = function([x], [s, mul(s, x)], updates={s: add(s, x)}, mode=mode)
        assert f(2.0) == [1.0, 2.0]
        assert s.get_value() == 3.0
        assert general(f, 2.0) == [3.0, 6.0]
        assert s.get_value() == 5.0

    def test_no_inputs(self, mode):
        s = fshared(0.0, "s")
        f = function([], s, updates={s: add(s, 1.0)}, mode=mode)
        assert [f(), f(), general(f)] == [0.0, 1.0, 2.0]
        assert s.get_value() == 3.0

    def test_defaults_and_stateful_inputs(self, mode):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, In(y, value=10.0)], add(x, y), mode=mode)
        assert f(1.0) == 11.0
        assert f(1.0, 2.0) == 3.0
        acc = fscalar("acc")
        g = function([x, In(acc, value=0.0, update=add(acc, x))], acc, mode=mode)
        assert [g(1.0), g(2.0), g(3.0)] == [0.0, 1.0, 3.0]
        assert g.__call__ == g._call_general  # stateful inputs take the general path

    def test_constant_output(self, mode):
        x = fscalar("x")
        f = function([x], [neg(x), Constant(x.type, 4.0)], mode=mode)
        assert f(1.0) == general(f, 1.0) == [-1.0, 4.0]

    def test_overwritten_input_is_copied_when_aliased(self, mode):
        v, w = fvector("v"), fvector("w")
        f = function([In(v, mutable=True), w], [inc_inplace(v), neg(w)], mode=mode)
        a = np.zeros(2)
        inc, negated = f(a, a)  # the same array twice: v is copied before the overwrite
        np.testing.assert_array_equal(inc, [1.0, 1.0])
        np.testing.assert_array_equal(negated, [-0.0, -0.0])
        np.testing.assert_array_equal(a, [0.0, 0.0])
        b = np.zeros(2)
        f(b, np.zeros(2))  # not aliased: overwritten in place, as allowed
        np.testing.assert_array_equal(b, [1.0, 1.0])
        assert hasattr(f.__call__, "source")  # the generated path, not the general one

    def test_unpacked_list_output(self, mode):
        x = fscalar("x")
        f = function([x], [neg(x)], mode=mode)
        assert f(1.0) == general(f, 1.0) == [-1.0]


class TestErrors:
    def test_argument_errors_name_the_function(self, mode):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], add(x, y), name="f2", mode=mode)
        with pytest.raises(TypeError, match=r"function 'f2' takes 2 argument\(s\) \(x, y\) but 3"):
            f(1.0, 2.0, 3.0)
        with pytest.raises(TypeError, match=r"missing argument 1 \('y'\)"):
            f(1.0)
        with pytest.raises(TypeError, match="unexpected keyword argument 'z'; input names: x, y"):
            f(1.0, 2.0, z=3.0)

    def test_bad_value_names_the_input(self, mode):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], add(x, y), mode=mode)
        with pytest.raises(TypeError, match=r"Bad input argument 1 \('y'\)"):
            f(1.0, "two")

    def test_trust_input_skips_checks_and_can_be_toggled(self, mode):
        x = fvector("x", length=3)
        f = function([x], neg(x), mode=mode)
        four = np.arange(4.0)
        with pytest.raises(ValueError, match=r"Bad input argument 0 \('x'\).*static shape"):
            f(four)
        f.trust_input = True
        np.testing.assert_array_equal(f(four), -four)  # no check
        f.trust_input = False
        with pytest.raises(ValueError, match="Bad input argument 0"):
            f(four)

    def test_on_error_of_the_direct_call(self):
        b = DirectBackend()
        x = fscalar("x")
        f = function([x], mul(x, 1e7), mode=Mode(linker=Linker(b), optimizer=None))
        for trust in (False, True):
            f.trust_input = trust
            with pytest.raises(WrappedError, match="wrapped: huge negative value"):
                f(-1.0)


class TestDirectCall:
    def test_runner_frame_is_skipped(self):
        b = DirectBackend()
        x = fscalar("x")
        f = function([x], neg(x), mode=Mode(linker=Linker(b), optimizer=None))
        out = f(2.0)
        assert out == -2.0 and type(out) is np.float64
        assert b.calls == {"runner": 0, "fn": 1}
        assert f.vm(2.0) == [-2.0]  # the runner still works on its own
        assert b.calls == {"runner": 1, "fn": 2}

    def test_plan_must_describe_every_output(self):
        def runner(*args):
            return [1.0]

        runner.direct_call = DirectCall(runner, (), (DirectOutput(0), DirectOutput(1)))
        with pytest.raises(ValueError, match="describes 2 outputs, the graph has 1"):
            direct_call_of(runner, 1)

    def test_plain_runner_gets_a_default_plan(self):
        def runner(*args):
            return list(args)

        plan = direct_call_of(runner, 2)
        assert plan.fn is runner and plan.extra_args == () and not plan.single
        assert [o.index for o in plan.outputs] == [0, 1]


class TestFunctionObject:
    def test_copy_pickle_and_attributes(self, mode):
        s = fshared(0.0, "s")
        x = fscalar("x")
        f = function([x], add(s, x), updates={s: add(s, x)}, mode=PY, name="acc")
        assert isinstance(f, Function) and type(f) is Function and callable(f)
        assert "acc" in repr(f) and f.maker.fgraph is not None and callable(f.vm)
        assert f.__call__(1.0) == 1.0 and s.get_value() == 1.0
        s.set_value(0.0)
        assert "output_subset" in str(inspect.signature(f))
        g = f.copy(delete_updates=True)
        assert g(1.0) == 1.0 and s.get_value() == 0.0
        assert copy.copy(f)(1.0) == 1.0 and s.get_value() == 1.0
        f.trust_input = True
        h = pickle.loads(pickle.dumps(f))
        assert h.trust_input and h.name == "acc"
        assert h(2.0) == 3.0  # the unpickled shared variable is a copy of s
        k = f.copy(swap={s: fshared(10.0, "t")})
        assert k(1.0) == 11.0 and s.get_value() == 1.0

    def test_profile_goes_through_the_general_path(self):
        x = fscalar("x")
        f = function([x], neg(x), mode=PY)
        f.profile = ProfileStats(name="late")
        f(1.0)
        f(2.0)
        assert f.profile.fct_callcount == 2
        f.profile = None
        assert f(3.0) == -3.0

    def test_no_reference_cycle(self, mode):
        s = fshared(0.0, "s")
        x = fscalar("x")
        f = function([x], add(s, x), updates={s: add(s, x)}, mode=mode)
        f(1.0)
        ref = weakref.ref(f)
        call = f.__call__
        del f
        assert ref() is None  # freed by reference counting, no garbage collection needed
        with pytest.raises(ReferenceError, match="was deleted"):
            call(x=1.0)
