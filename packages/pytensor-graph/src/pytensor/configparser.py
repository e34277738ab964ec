"""The configuration registry behind ``pytensor.config`` (layer: pytensor-graph).

Flags are declared with :meth:`PyTensorConfigParser.add`; values come from
their defaults, the ``PYTENSORRC`` file(s) and the ``PYTENSOR_FLAGS``
environment variable (later wins), and can be changed temporarily with
:meth:`PyTensorConfigParser.change_flags`.
"""

from __future__ import annotations

import configparser as _stdlib_configparser
import functools
import os
import warnings
from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "BoolParam",
    "ConfigParam",
    "ConfigError",
    "DeviceParam",
    "EnumStr",
    "FloatParam",
    "IntParam",
    "PyTensorConfigParser",
    "StrParam",
    "change_flags",
    "parse_flags",
]


class ConfigError(ValueError):
    """A configuration flag got an invalid value, or an unknown flag was used."""


class ConfigParam:
    """A flag: its default, how to convert and check a value, and whether it may change after start."""

    def __init__(
        self,
        default: Any,
        apply: Callable[[Any], Any] | None = None,
        validate: Callable[[Any], bool] | None = None,
        mutable: bool = True,
    ) -> None:
        self.default = default
        self._apply = apply
        self._validate = validate
        self.mutable = mutable
        self.name = ""
        self.doc = ""

    def convert(self, value: Any) -> Any:
        if self._apply is not None:
            try:
                value = self._apply(value)
            except (TypeError, ValueError) as exc:
                # Name the flag (int("abc") alone would not say which one).
                raise ConfigError(
                    f"Invalid value {value!r} for config flag {self.name!r}: {exc}"
                ) from None
        if self._validate is not None and not self._validate(value):
            raise ConfigError(f"Invalid value {value!r} for config flag {self.name!r}")
        return value


class EnumStr(ConfigParam):
    """A string flag restricted to a set of options (the first one is the default)."""

    def __init__(self, default: str, options: Sequence[str] = (), mutable: bool = True) -> None:
        self.all = (default, *options)
        super().__init__(default, mutable=mutable)

    def convert(self, value: Any) -> Any:
        if value not in self.all:
            raise ConfigError(
                f"Invalid value {value!r} for config flag {self.name!r}; valid values: {', '.join(map(str, self.all))}"
            )
        return value


class StrParam(ConfigParam):
    def __init__(
        self, default: str, validate: Callable[[Any], bool] | None = None, mutable: bool = True
    ) -> None:
        super().__init__(default, apply=str, validate=validate, mutable=mutable)


class IntParam(ConfigParam):
    def __init__(
        self, default: int, validate: Callable[[Any], bool] | None = None, mutable: bool = True
    ) -> None:
        super().__init__(default, apply=int, validate=validate, mutable=mutable)


class FloatParam(ConfigParam):
    def __init__(
        self, default: float, validate: Callable[[Any], bool] | None = None, mutable: bool = True
    ) -> None:
        super().__init__(default, apply=float, validate=validate, mutable=mutable)


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ConfigError(
        f"Cannot read {value!r} as a boolean; valid values: True, False, 1, 0, yes, no, on, off"
    )


class BoolParam(ConfigParam):
    def __init__(self, default: bool, mutable: bool = True) -> None:
        super().__init__(default, apply=_to_bool, mutable=mutable)


class DeviceParam(EnumStr):
    """The device flag; only ``cpu`` is supported."""

    def __init__(self, default: str = "cpu", mutable: bool = False) -> None:
        super().__init__(default, (), mutable=mutable)


def parse_flags(text: str) -> dict[str, str]:
    """Parse ``"a=1,b=x"`` (the PYTENSOR_FLAGS format) into a dict."""
    flags: dict[str, str] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        if "=" not in item:
            raise ConfigError(f"PYTENSOR_FLAGS entry {item!r} is not of the form name=value")
        key, value = item.split("=", 1)
        flags[key.strip()] = value.strip()
    return flags


class PyTensorConfigParser:
    """Holds every flag; read flags as attributes (``config.floatX``)."""

    def __init__(self, flags: dict[str, str] | None = None, rc_files: Sequence[str] = ()) -> None:
        object.__setattr__(self, "_params", {})
        object.__setattr__(self, "_values", {})
        pending: dict[str, str] = {}
        for path in rc_files:
            pending.update(self._read_rc(path))
        pending.update(flags or {})
        object.__setattr__(self, "_pending", pending)

    @staticmethod
    def _read_rc(path: str) -> dict[str, str]:
        parser = _stdlib_configparser.ConfigParser()
        parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep case: floatX
        if not parser.read(os.path.expanduser(path)):
            return {}
        out: dict[str, str] = {}
        for section in parser.sections():
            for key, value in parser.items(section):
                name = key if section == "global" else f"{section}__{key}"
                out[name] = value
        return out

    def add(self, name: str, doc: str, param: ConfigParam, in_c_key: bool = True) -> None:
        """Declare flag ``name``. Its value is taken from the environment if given there."""
        if name in self._params:
            raise AttributeError(f"Config flag {name!r} is already declared")
        param.name = name
        param.doc = doc
        self._params[name] = param
        if name in self._pending:
            self._values[name] = param.convert(self._pending.pop(name))
        else:
            default = param.default() if callable(param.default) else param.default
            self._values[name] = param.convert(default) if default is not None else None

    def __getattr__(self, name: str) -> Any:
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        raise AttributeError(f"pytensor.config has no flag {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        param = self._params.get(name)
        if param is None:
            raise AttributeError(f"pytensor.config has no flag {name!r}; cannot set it")
        if not param.mutable:
            raise ConfigError(f"Config flag {name!r} cannot be changed after start-up")
        self._values[name] = param.convert(value)

    def __contains__(self, name: str) -> bool:
        return name in self._params

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._params))

    def unknown_flags(self) -> list[str]:
        """Flags set in the environment that no layer has declared (yet)."""
        return sorted(self._pending)

    def describe(self) -> str:
        """A listing of every flag, its value and its documentation."""
        return "\n".join(
            f"{name} = {self._values[name]!r}\n    {self._params[name].doc}"
            for name in sorted(self._params)
        )

    def change_flags(self, *args: Any, **kwargs: Any) -> _ChangeFlagsDecorator:
        """Context manager (and decorator) that sets flags and restores them on exit.

        Examples
        --------
        >>> from pytensor.configdefaults import config
        >>> with config.change_flags(floatX="float32"):
        ...     config.floatX
        'float32'
        """
        return _ChangeFlagsDecorator(self, *args, **kwargs)


class _ChangeFlagsDecorator:
    def __init__(self, cfg: PyTensorConfigParser, *args: Any, **kwargs: Any) -> None:
        flags: dict[str, Any] = {}
        for a in args:
            flags.update(a)
        flags.update(kwargs)
        for name in flags:
            if name not in cfg:
                raise AttributeError(f"pytensor.config has no flag {name!r}")
        self.cfg = cfg
        self.flags = flags
        self._saved: list[dict[str, Any]] = []

    def __enter__(self) -> _ChangeFlagsDecorator:
        self._saved.append({name: getattr(self.cfg, name) for name in self.flags})
        try:
            for name, value in self.flags.items():
                self.cfg._values[name] = self.cfg._params[name].convert(value)
        except Exception:
            self.cfg._values.update(self._saved.pop())
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cfg._values.update(self._saved.pop())

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return wrapper


def change_flags(*args: Any, **kwargs: Any) -> _ChangeFlagsDecorator:
    """``pytensor.config.change_flags`` as a free function."""
    from pytensor.configdefaults import config

    return config.change_flags(*args, **kwargs)


def _env_flags() -> dict[str, str]:
    return parse_flags(os.environ.get("PYTENSOR_FLAGS", ""))


def _rc_files() -> list[str]:
    default = os.path.join("~", ".pytensorrc")
    return [p for p in os.environ.get("PYTENSORRC", default).split(os.pathsep) if p]


def _warn_unknown(cfg: PyTensorConfigParser) -> None:
    if cfg.unknown_flags():
        warnings.warn(f"Unknown PYTENSOR_FLAGS: {', '.join(cfg.unknown_flags())}", stacklevel=2)
