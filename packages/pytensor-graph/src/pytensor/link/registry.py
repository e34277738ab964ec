"""Discovery of backend plugins through the ``pytensor.backends`` entry points (layer: pytensor-graph).

Entry points are read once, lazily, on first use. A plugin that fails to
load is listed as unavailable with the reason (and a warning), never fatal.
"""

from __future__ import annotations

import importlib.metadata
import warnings

from pytensor.link.backend import Backend, BackendError

__all__ = [
    "BackendInfo",
    "UnknownBackendError",
    "available_backends",
    "backend_info",
    "backend_status",
    "default_backend",
    "get_backend",
    "installed_backends",
    "register_backend",
]

ENTRY_POINT_GROUP = "pytensor.backends"

#: Extras of the pytensor meta-package that install each known backend.
_EXTRAS = {"numba": "numba", "c": "c", "jax": "jax", "py": None}


class UnknownBackendError(BackendError, KeyError):
    """No installed backend has the requested name."""

    def __str__(self) -> str:
        return str(self.args[0])


class BackendInfo:
    """What the registry knows of one backend.

    Availability is checked on first need and remembered: a check may import the
    backend's heavy dependency (numba), which a process that never uses that
    backend should not pay for.
    """

    def __init__(
        self,
        name: str,
        backend: Backend | None,
        source: str,
        available: bool | None = None,
        reason: str = "",
    ) -> None:
        self.name = name
        self.backend = backend
        self.source = source
        self._available = available
        self._reason = reason

    def _check(self) -> None:
        if self._available is not None:
            return
        if self.backend is None:
            self._available = False
            return
        try:
            ok, reason = self.backend.is_available()
        except Exception as exc:  # a broken availability check must not break discovery
            ok, reason = False, f"availability check failed: {type(exc).__name__}: {exc}"
        self._available, self._reason = bool(ok), reason

    @property
    def available(self) -> bool:
        self._check()
        return bool(self._available)

    @property
    def reason(self) -> str:
        self._check()
        return self._reason

    @property
    def priority(self) -> int:
        return self.backend.priority if self.backend is not None else -(10**9)

    def __repr__(self) -> str:
        state = "unchecked" if self._available is None else f"available={self._available}"
        return f"BackendInfo({self.name!r}, {state}, source={self.source!r})"


_registry: dict[str, BackendInfo] | None = None


def _load() -> dict[str, BackendInfo]:
    global _registry
    if _registry is not None:
        return _registry
    found: dict[str, BackendInfo] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in found:
            continue
        source = f"{ep.value} (from {ep.dist.name if ep.dist else 'unknown distribution'})"
        try:
            backend = ep.load()
            if isinstance(backend, type):
                backend = backend()
            if not isinstance(backend, Backend):
                raise TypeError(
                    f"entry point gives {type(backend).__name__}, not a pytensor Backend"
                )
        except Exception as exc:
            reason = f"plugin failed to load: {type(exc).__name__}: {exc}"
            warnings.warn(
                f"PyTensor backend {ep.name!r} is unavailable: {reason}",
                RuntimeWarning,
                stacklevel=2,
            )
            found[ep.name] = BackendInfo(ep.name, None, source, False, reason)
            continue
        found[ep.name] = _info(backend, source)
    if "py" not in found:
        # Running from a source tree without installed metadata: the reference
        # backend ships with this distribution, so it is always there.
        from pytensor.link.python import backend as py_backend

        found["py"] = _info(py_backend, "pytensor.link.python:backend (built in)")
    _registry = found
    return found


def _info(backend: Backend, source: str) -> BackendInfo:
    return BackendInfo(backend.name, backend, source)


def register_backend(backend: Backend, replace: bool = False) -> None:
    """Register a backend object in this process (tests, or code that does not use entry points)."""
    reg = _load()
    if backend.name in reg and not replace:
        raise ValueError(f"A backend named {backend.name!r} is already registered")
    reg[backend.name] = _info(backend, f"registered in-process by {type(backend).__module__}")


def installed_backends() -> list[str]:
    """Names of every backend plugin found, available or not."""
    return sorted(_load())


def available_backends() -> list[str]:
    """Names of the backends that can be used here, best first."""
    infos = sorted(_load().values(), key=lambda i: (-i.priority, i.name))
    return [i.name for i in infos if i.available]


def backend_status() -> dict[str, tuple[bool, str]]:
    """``{name: (available, reason)}`` for every installed backend."""
    return {name: (info.available, info.reason) for name, info in sorted(_load().items())}


def backend_info(name: str) -> BackendInfo:
    """What the registry knows of the installed backend ``name``, available or not
    (its object, where it was loaded from, and on access whether it is available)."""
    info = _load().get(name)
    if info is None:
        raise UnknownBackendError(
            f"Unknown backend {name!r}. Installed backends: {', '.join(sorted(_load())) or 'none'}"
        )
    return info


def _hint(name: str) -> str:
    extra = _EXTRAS.get(name, name)
    return f'pip install "pytensor[{extra}]"' if extra else "pip install pytensor-graph"


def get_backend(name: str) -> Backend:
    """The backend called ``name``.

    Raises
    ------
    UnknownBackendError
        No such backend is installed; the message lists the installed ones
        and the extra to install.
    BackendError
        It is installed but unavailable here; the message says why.
    """
    reg = _load()
    info = reg.get(name)
    if info is None:
        installed = ", ".join(
            f"{n}{'' if i.available else ' (unavailable)'}" for n, i in sorted(reg.items())
        )
        raise UnknownBackendError(
            f"Unknown backend {name!r}. Installed backends: {installed or 'none'}. "
            f"To install it: {_hint(name)}"
        )
    if not info.available or info.backend is None:
        raise BackendError(f"Backend {name!r} is installed but unavailable: {info.reason}")
    return info.backend


def default_backend() -> Backend:
    """The best available backend (highest priority): numba, else c, else py."""
    # Best first, checking availability only as far as needed.
    for info in sorted(_load().values(), key=lambda i: (-i.priority, i.name)):
        if info.available and info.backend is not None:
            return info.backend
    raise BackendError("No PyTensor backend is available; reinstall pytensor-graph")


def _reset_for_tests() -> None:
    global _registry
    _registry = None
