"""Tests of pytensor.link.registry: entry-point discovery, availability and selection."""

import importlib.metadata

import pytest
from toy import add, fscalar

from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.link import registry
from pytensor.link.backend import Backend, BackendError, Linker
from pytensor.link.python import PythonBackend
from pytensor.link.python import backend as py_backend
from pytensor.link.registry import (
    UnknownBackendError,
    available_backends,
    backend_status,
    default_backend,
    get_backend,
    installed_backends,
    register_backend,
)

_real_entry_points = importlib.metadata.entry_points


def _graph_layer_entry_points(group=None, **kw):
    """The real entry points, minus the backend plugins other distributions install."""
    eps = _real_entry_points(group=group, **kw)
    if group != registry.ENTRY_POINT_GROUP:
        return eps
    return [ep for ep in eps if ep.dist is None or ep.dist.name == "pytensor-graph"]


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch):
    """Every test starts from a registry rebuilt from this layer's own entry points
    (so a workspace with the numba/C/JAX plugins installed sees what a bare
    pytensor-graph install sees), and leaves one rebuilt from all of them."""
    monkeypatch.setattr(registry.importlib.metadata, "entry_points", _graph_layer_entry_points)
    registry._reset_for_tests()
    yield
    monkeypatch.undo()
    registry._reset_for_tests()


class CountingBackend(PythonBackend):
    """Runs graphs like the Python backend and counts how often it links."""

    def __init__(self, name, priority=0, available=(True, "")):
        self.name = name
        self.priority = priority
        self._available = available
        self.links = 0

    def is_available(self):
        return self._available

    def link(self, fgraph, **options):
        self.links += 1
        return super().link(fgraph, **options)

    def make_linker(self, **options):
        return Linker(self, **options)


def fake_entry_points(*extra):
    real = importlib.metadata.entry_points

    def entry_points(**kwargs):
        found = list(real(**kwargs))
        if kwargs.get("group") == registry.ENTRY_POINT_GROUP:
            found.extend(extra)
        return found

    return entry_points


def ep(name, value):
    return importlib.metadata.EntryPoint(name=name, value=value, group=registry.ENTRY_POINT_GROUP)


class TestDiscovery:
    def test_python_backend_is_installed(self):
        assert "py" in installed_backends()
        assert "py" in available_backends()
        assert get_backend("py") is py_backend
        assert backend_status()["py"] == (True, "")

    def test_broken_plugin_is_listed_unavailable(self, monkeypatch):
        monkeypatch.setattr(
            registry.importlib.metadata,
            "entry_points",
            fake_entry_points(ep("broken", "pytensor_no_such_module_xyz:backend")),
        )
        registry._reset_for_tests()
        with pytest.warns(RuntimeWarning, match="'broken' is unavailable: plugin failed to load"):
            names = installed_backends()
        assert "broken" in names and "py" in names
        ok, reason = backend_status()["broken"]
        assert not ok
        assert "ModuleNotFoundError" in reason and "pytensor_no_such_module_xyz" in reason
        assert "broken" not in available_backends()
        with pytest.raises(
            BackendError, match="'broken' is installed but unavailable: plugin failed"
        ):
            get_backend("broken")
        # Discovery does not break the other backends.
        assert get_backend("py") is py_backend

    def test_plugin_that_is_not_a_backend(self, monkeypatch):
        monkeypatch.setattr(
            registry.importlib.metadata,
            "entry_points",
            fake_entry_points(ep("odd", "math:pi")),
        )
        registry._reset_for_tests()
        with pytest.warns(RuntimeWarning, match="not a pytensor Backend"):
            status = backend_status()
        assert status["odd"][0] is False

    def test_plugin_class_is_instantiated(self, monkeypatch):
        monkeypatch.setattr(
            registry.importlib.metadata,
            "entry_points",
            fake_entry_points(ep("pyclass", "pytensor.link.python:PythonBackend")),
        )
        registry._reset_for_tests()
        # The class's own name is "py"; the registry lists it under the entry point's name.
        assert isinstance(registry._load()["pyclass"].backend, PythonBackend)

    def test_discovery_is_lazy_and_cached(self, monkeypatch):
        calls = []
        real = importlib.metadata.entry_points

        def counting(**kwargs):
            calls.append(kwargs.get("group"))
            return real(**kwargs)

        monkeypatch.setattr(registry.importlib.metadata, "entry_points", counting)
        registry._reset_for_tests()
        assert calls == []
        installed_backends()
        available_backends()
        get_backend("py")
        assert calls.count(registry.ENTRY_POINT_GROUP) == 1


class TestRegistration:
    def test_register_backend(self):
        b = CountingBackend("counting")
        register_backend(b)
        assert get_backend("counting") is b
        with pytest.raises(ValueError, match="already registered"):
            register_backend(CountingBackend("counting"))
        b2 = CountingBackend("counting")
        register_backend(b2, replace=True)
        assert get_backend("counting") is b2

    def test_registered_backend_compiles_functions(self):
        b = CountingBackend("counting")
        register_backend(b)
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], add(x, y), mode=Mode(linker="counting", optimizer=None))
        assert f(1.0, 2.0) == 3.0
        assert b.links == 1
        assert f.maker.linker.backend is b

    def test_unavailable_backend_reason(self):
        register_backend(
            CountingBackend("cc", available=(False, "no C compiler found (looked for: gcc)"))
        )
        assert backend_status()["cc"] == (False, "no C compiler found (looked for: gcc)")
        with pytest.raises(BackendError, match=r"no C compiler found \(looked for: gcc\)"):
            get_backend("cc")
        with pytest.raises(BackendError, match="no C compiler found"):
            Mode(linker="cc").linker  # noqa: B018

    def test_failing_availability_check(self):
        class Broken(CountingBackend):
            def is_available(self):
                raise OSError("probe crashed")

        register_backend(Broken("broken"))
        ok, reason = backend_status()["broken"]
        assert not ok and reason == "availability check failed: OSError: probe crashed"

    def test_default_backend_is_highest_priority_available(self):
        assert default_backend() is py_backend
        register_backend(CountingBackend("fast", priority=10, available=(False, "missing")))
        assert default_backend() is py_backend
        mid = CountingBackend("mid", priority=5)
        register_backend(mid)
        assert default_backend() is mid
        assert available_backends()[:2] == ["mid", "py"]

    def test_unknown_backend(self):
        with pytest.raises(UnknownBackendError) as info:
            get_backend("nope")
        msg = str(info.value)
        assert "Unknown backend 'nope'" in msg
        assert "Installed backends: py" in msg
        assert 'pip install "pytensor[nope]"' in msg
        assert isinstance(info.value, KeyError) and isinstance(info.value, BackendError)

    def test_unknown_backend_lists_unavailable_ones(self):
        register_backend(CountingBackend("cc", available=(False, "no compiler")))
        with pytest.raises(UnknownBackendError, match=r"cc \(unavailable\)"):
            get_backend("jaxx")

    def test_install_hints(self):
        assert registry._hint("numba") == 'pip install "pytensor[numba]"'
        assert registry._hint("c") == 'pip install "pytensor[c]"'
        assert registry._hint("py") == "pip install pytensor-graph"


def test_backend_protocol_defaults():
    class Minimal(Backend):
        name = "minimal"

    b = Minimal()
    assert b.is_available() == (True, "")
    assert repr(b) == "<Minimal 'minimal'>"
    with pytest.raises(NotImplementedError):
        b.link(None)
    linker = b.make_linker(opt=1)
    assert linker.backend is b and linker.options == {"opt": 1} and linker.name == "minimal"
    assert linker.clone(opt=2).options == {"opt": 2}
    assert linker == Linker(b, opt=1) and linker != Linker(b, opt=2)


def test_availability_is_checked_only_when_needed():
    """A backend's availability check may import a heavy dependency: asking for another
    backend, or for the default when a better one is available, must not run it."""
    checks = []

    class Probed(CountingBackend):
        def is_available(self):
            checks.append(self.name)
            return super().is_available()

    register_backend(Probed("low", priority=-5))
    register_backend(Probed("high", priority=7))
    assert get_backend("py") is py_backend
    assert installed_backends() == ["high", "low", "py"]
    assert checks == []
    assert default_backend().name == "high"
    assert checks == ["high"]
    assert available_backends() == ["high", "py", "low"]
    assert sorted(checks) == ["high", "low"]  # each checked once, then remembered


def test_backend_info_describes_unavailable_backends_too():
    register_backend(CountingBackend("cc", available=(False, "no compiler")))
    info = registry.backend_info("cc")
    assert info.backend is not None and info.backend.name == "cc"
    assert (info.available, info.reason) == (False, "no compiler")
    with pytest.raises(UnknownBackendError, match="Unknown backend 'nope'"):
        registry.backend_info("nope")
