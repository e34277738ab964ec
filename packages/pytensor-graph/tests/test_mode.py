"""Tests of pytensor.compile.mode: named modes, backends of modes, rewriters and tag queries."""

import importlib.metadata
import pickle

import pytest
from toy import Add, add, fscalar, mul, neg

from pytensor.compile import mode as mode_module
from pytensor.compile.function import function
from pytensor.compile.mode import (
    FAST_COMPILE,
    FAST_RUN,
    PY,
    Mode,
    NoRewrites,
    get_default_mode,
    get_mode,
    predefined_modes,
    register_mode,
)
from pytensor.configdefaults import config
from pytensor.link import registry
from pytensor.link.backend import Linker
from pytensor.link.python import PythonBackend, PythonLinker
from pytensor.link.python import backend as py_backend
from pytensor.link.registry import UnknownBackendError, default_backend, register_backend


class AddToMul:
    """A rewriter object: replaces every Add by a Mul and counts its calls."""

    def __init__(self):
        self.calls = 0
        self.graphs = []

    def rewrite(self, fgraph):
        self.calls += 1
        self.graphs.append(fgraph)
        for node in fgraph.toposort():
            if isinstance(node.op, Add):
                fgraph.replace(node.outputs[0], mul(*node.inputs), reason="add_to_mul")


class TestNamedModes:
    def test_predefined(self):
        assert get_mode("FAST_RUN") is FAST_RUN
        assert get_mode("FAST_COMPILE") is FAST_COMPILE
        assert get_mode("PY") is PY
        assert get_mode("fast_compile") is FAST_COMPILE
        assert FAST_COMPILE.linker.name == "py" and PY.linker.name == "py"
        assert isinstance(PY.linker, PythonLinker)
        assert FAST_RUN.linker.backend is default_backend()

    def test_each_mode_compiles_and_runs(self):
        x, y = fscalar("x"), fscalar("y")
        for name in ("FAST_RUN", "FAST_COMPILE", "PY"):
            assert function([x, y], add(x, mul(x, y)), mode=name)(2.0, 3.0) == 8.0

    def test_get_mode_passthrough_and_default(self):
        m = Mode(linker="py", optimizer=None)
        assert get_mode(m) is m
        assert get_mode(None) is get_default_mode()
        with config.change_flags(mode="PY"):
            assert get_default_mode() is PY
        with pytest.raises(TypeError, match="expects a Mode, a mode name or None"):
            get_mode(3)

    def test_unknown_mode_lists_registered_ones(self):
        with pytest.raises(ValueError) as info:
            get_mode("NOPE")
        msg = str(info.value)
        assert "Unknown mode 'NOPE'" in msg
        assert "FAST_COMPILE" in msg and "FAST_RUN" in msg and "PY" in msg
        assert 'pip install "pytensor[numba]"' in msg

    def test_register_mode(self):
        m = Mode(linker="py", optimizer=None)
        register_mode("MY_TEST_MODE", m)
        try:
            assert get_mode("MY_TEST_MODE") is m
            assert mode_module.MY_TEST_MODE is m
            with pytest.raises(ValueError, match="already registered"):
                register_mode("MY_TEST_MODE", Mode(linker="py"))
            m2 = Mode(linker="py", optimizer="merge")
            register_mode("MY_TEST_MODE", m2, replace=True)
            assert get_mode("MY_TEST_MODE") is m2
        finally:
            predefined_modes.pop("MY_TEST_MODE")

    def test_module_getattr(self):
        assert mode_module.FAST_RUN is FAST_RUN
        with pytest.raises(AttributeError, match="no attribute 'NOT_A_MODE'"):
            mode_module.NOT_A_MODE  # noqa: B018


class TestBackendOfMode:
    def test_unknown_backend_error_at_use(self):
        m = Mode(linker="nope")  # building it is fine
        with pytest.raises(UnknownBackendError) as info:
            m.linker  # noqa: B018
        msg = str(info.value)
        assert "Installed backends: " in msg and "py" in msg.split("Installed backends: ")[1]
        assert 'pip install "pytensor[nope]"' in msg
        x = fscalar("x")
        with pytest.raises(UnknownBackendError, match="nope"):
            function([x], neg(x), mode=m)

    def test_linker_forms(self):
        assert Mode(linker="PY").linker.name == "py"
        assert Mode(backend="py").linker.name == "py"
        assert Mode(linker=py_backend).linker.backend is py_backend
        lk = PythonLinker(allow_gc=False)
        assert Mode(linker=lk).linker is lk
        with pytest.raises(TypeError, match="backend name, Backend or Linker"):
            Mode(linker=3).linker  # noqa: B018

    def test_auto_mode_follows_config_backend(self):
        class Alt(PythonBackend):
            name = "alt_for_mode_test"
            priority = -1

        alt = Alt()
        registry._reset_for_tests()
        try:
            register_backend(alt)
            m = Mode(optimizer=None)
            assert m.linker.backend is py_backend
            with config.change_flags(backend="alt_for_mode_test"):
                assert m.linker.backend is alt
                assert get_mode("FAST_RUN").linker.backend is alt
                assert get_mode("FAST_RUN").including("tag").linker.backend is alt
            assert m.linker.backend is py_backend
            assert FAST_RUN.linker.backend is py_backend
        finally:
            registry._reset_for_tests()

    def test_clone_with_link_kwargs(self):
        m = Mode(linker="py", optimizer=None)
        c = m.clone(link_kwargs={"allow_gc": False})
        assert c.linker.options == {"allow_gc": False}
        assert m.linker.options == {}
        assert c.provided_optimizer is None


class TestRewriters:
    def test_custom_rewriter_is_used(self):
        rw = AddToMul()
        m = Mode(linker="py", optimizer=rw)
        assert m.optimizer is rw
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], add(x, y), mode=m)
        assert rw.calls == 1
        assert f(3.0, 4.0) == 12.0  # the Add became a Mul
        ops = [n.op for n in f.maker.fgraph.toposort()]
        assert ops == [mul]
        # Compiling without it keeps the Add.
        assert function([x, y], add(x, y), mode=Mode(linker="py", optimizer=None))(3.0, 4.0) == 7.0

    def test_rewriter_alias_and_one_call_per_compile(self):
        rw = AddToMul()
        m = Mode(backend="py", rewriter=rw)
        x = fscalar("x")
        function([x], add(x, x), mode=m)
        function([x], neg(x), mode=m)
        assert rw.calls == 2
        assert rw.graphs[0] is not rw.graphs[1]

    def test_rewriter_sees_a_copy(self):
        rw = AddToMul()
        x, y = fscalar("x"), fscalar("y")
        z = add(x, y)
        function([x, y], z, mode=Mode(linker="py", optimizer=rw))
        assert isinstance(z.owner.op, Add)  # the caller's graph is untouched

    def test_no_rewrites(self):
        assert isinstance(Mode(linker="py", optimizer=None).optimizer, NoRewrites)
        assert isinstance(Mode(linker="py", optimizer="None").optimizer, NoRewrites)
        assert NoRewrites().rewrite(None) is None

    def test_unknown_optimizer(self):
        with pytest.raises(ValueError, match="Unknown optimizer 'turbo'.*'fast_run'"):
            Mode(linker="py", optimizer="turbo")

    def test_default_optimizer_from_config(self):
        with config.change_flags(optimizer="fast_compile"):
            assert Mode(linker="py").provided_optimizer == "fast_compile"

    def test_including_excluding_requiring_make_new_modes(self):
        base = Mode(linker="py", optimizer="fast_run")
        inc = base.including("fusion", "extra")
        exc = inc.excluding("inplace")
        req = exc.requiring("safe")
        assert len({id(base), id(inc), id(exc), id(req)}) == 4
        assert str(base) == "Mode(linker=py, optimizer=fast_run)"
        assert str(req) == (
            "Mode(linker=py, optimizer=fast_run, include=['fusion', 'extra'], "
            "exclude=['inplace'], require=['safe'])"
        )
        assert base != inc and inc == base.including("fusion", "extra")
        assert hash(inc) == hash(base.including("fusion", "extra"))
        # The original is unchanged.
        assert base._include == () and base._exclude == ()

    def test_tag_queries_need_a_named_query(self):
        m = Mode(linker="py", optimizer=AddToMul())
        with pytest.raises(TypeError, match="need a named rewrite query"):
            m.including("fusion")

    def test_config_optimizer_flags_applied_by_get_mode(self):
        with config.change_flags(optimizer_excluding="fusion:inplace"):
            m = get_mode("FAST_RUN")
            assert m is not FAST_RUN
            assert m._exclude == ("fusion", "inplace")
            assert "exclude=['fusion', 'inplace']" in str(m)
        with config.change_flags(optimizer_including="a", optimizer_requiring="b:c"):
            m = get_mode("PY")
            assert (m._include, m._require) == (("a",), ("b", "c"))
        assert get_mode("FAST_RUN") is FAST_RUN

    def test_pickle(self):
        m = Mode(linker="py", optimizer="fast_compile").excluding("x")
        m.linker  # noqa: B018
        m2 = pickle.loads(pickle.dumps(m))
        assert m2 == m
        assert m2.linker.backend is py_backend
        rw_mode = Mode(linker=Linker(py_backend), optimizer=None)
        assert pickle.loads(pickle.dumps(rw_mode)).linker.name == "py"
        # Linker options come back by value (a backend's unchecked or fallback variants).
        opt_mode = Mode(linker=Linker(py_backend, allow_gc=False), optimizer=None)
        restored = pickle.loads(pickle.dumps(opt_mode)).linker
        assert restored.name == "py" and restored.options == {"allow_gc": False}


class TestExtensions:
    def test_failing_extension_warns(self, monkeypatch):
        bad = importlib.metadata.EntryPoint(
            name="bad_ext",
            value="pytensor_no_such_ext_xyz:setup",
            group=mode_module.EXTENSION_GROUP,
        )
        monkeypatch.setattr(mode_module.importlib.metadata, "entry_points", lambda **kw: [bad])
        monkeypatch.setitem(mode_module._state, "loaded", False)
        with pytest.warns(RuntimeWarning, match="extension 'bad_ext'.*failed to load"):
            mode_module.load_extensions()
        # Only once.
        mode_module.load_extensions()

    def test_extension_registers_modes(self, monkeypatch):
        made = Mode(linker="py", optimizer=None)

        class FakeEP:
            name = "fake"
            value = "fake:setup"

            def load(self):
                return lambda: register_mode("EXT_MODE", made)

        monkeypatch.setattr(mode_module.importlib.metadata, "entry_points", lambda **kw: [FakeEP()])
        monkeypatch.setitem(mode_module._state, "loaded", False)
        try:
            assert get_mode("EXT_MODE") is made
        finally:
            predefined_modes.pop("EXT_MODE", None)
