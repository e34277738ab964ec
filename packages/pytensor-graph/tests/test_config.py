"""Tests of pytensor.configparser and pytensor.configdefaults (flags, environment, change_flags)."""

import os
import subprocess
import sys

import pytest

from pytensor.configdefaults import config
from pytensor.configparser import (
    BoolParam,
    ConfigError,
    EnumStr,
    FloatParam,
    IntParam,
    PyTensorConfigParser,
    StrParam,
    change_flags,
    parse_flags,
)


def run_python(code, flags=None, rc=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTENSOR")}
    env["PYTENSORRC"] = rc if rc is not None else os.devnull
    if flags is not None:
        env["PYTENSOR_FLAGS"] = flags
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT_FLAGS = (
    "from pytensor.configdefaults import config\n"
    "print(config.floatX, config.on_unused_input, config.allow_gc, config.mode)\n"
)


class TestEnvironment:
    def test_pytensor_flags(self):
        res = run_python(PRINT_FLAGS, flags="floatX=float32, on_unused_input=warn,allow_gc=False")
        assert res.returncode == 0, res.stderr
        assert res.stdout.split() == ["float32", "warn", "False", "FAST_RUN"]

    def test_defaults_without_flags(self):
        res = run_python(PRINT_FLAGS)
        assert res.returncode == 0, res.stderr
        assert res.stdout.split() == ["float64", "raise", "True", "FAST_RUN"]

    def test_rc_file_and_flags_precedence(self, tmp_path):
        rc = tmp_path / "pytensorrc"
        rc.write_text("[global]\nfloatX = float16\nmode = PY\n\n[gcc]\ncxxflags = -O3\n")
        code = PRINT_FLAGS + "print(config.gcc__cxxflags)\n"
        res = run_python(code, rc=str(rc))
        assert res.returncode == 0, res.stderr
        assert res.stdout.split() == ["float16", "raise", "True", "PY", "-O3"]
        res = run_python(code, rc=str(rc), flags="floatX=float32")
        assert res.stdout.split()[0] == "float32"  # the environment wins over the rc file

    def test_invalid_value_in_environment(self):
        res = run_python(PRINT_FLAGS, flags="floatX=float128")
        assert res.returncode != 0
        assert "ConfigError" in res.stderr
        assert "'floatX'" in res.stderr and "float64, float32, float16" in res.stderr

    def test_malformed_environment(self):
        res = run_python(PRINT_FLAGS, flags="floatX")
        assert res.returncode != 0
        assert "'floatX' is not of the form name=value" in res.stderr

    def test_parse_flags(self):
        assert parse_flags("a=1, b = x,,c=d=e") == {"a": "1", "b": "x", "c": "d=e"}
        assert parse_flags("") == {}
        with pytest.raises(ConfigError, match="not of the form name=value"):
            parse_flags("a=1,b")


class TestParser:
    def test_pending_flags_are_applied_on_declaration(self):
        cfg = PyTensorConfigParser(flags={"answer": "42", "later": "x"})
        cfg.add("answer", "An int.", IntParam(0))
        assert cfg.answer == 42
        assert cfg.unknown_flags() == ["later"]
        cfg.add("later", "A string.", StrParam("y"))
        assert cfg.later == "x" and cfg.unknown_flags() == []

    def test_declared_twice(self):
        cfg = PyTensorConfigParser()
        cfg.add("a", "doc", IntParam(1))
        with pytest.raises(AttributeError, match="already declared"):
            cfg.add("a", "doc", IntParam(2))

    def test_invalid_pending_value(self):
        cfg = PyTensorConfigParser(flags={"level": "high"})
        with pytest.raises(ConfigError, match="'level'.*valid values: low, mid"):
            cfg.add("level", "doc", EnumStr("low", ["mid"]))

    def test_param_kinds(self):
        cfg = PyTensorConfigParser()
        cfg.add("b", "doc", BoolParam(False))
        cfg.add("f", "doc", FloatParam(1.5))
        cfg.add("s", "doc", StrParam("abc", validate=lambda v: v.islower()))
        cfg.add("frozen", "doc", IntParam(3, mutable=False))
        for text, expected in [("yes", True), ("0", False), ("On", True), (True, True), (0, False)]:
            cfg.b = text
            assert cfg.b is expected
        cfg.f = "2.5"
        assert cfg.f == 2.5
        with pytest.raises(ConfigError, match=r"flag 'b'.*valid values: True, False"):
            cfg.b = "maybe"
        with pytest.raises(ConfigError, match="flag 'f'"):
            cfg.f = "fast"
        with pytest.raises(ConfigError, match="Invalid value 'ABC' for config flag 's'"):
            cfg.s = "ABC"
        with pytest.raises(ConfigError, match="'frozen' cannot be changed"):
            cfg.frozen = 4
        assert cfg.frozen == 3

    def test_describe_and_contains(self):
        cfg = PyTensorConfigParser()
        cfg.add("alpha", "The first flag.", IntParam(1))
        assert "alpha" in cfg and "beta" not in cfg
        assert "alpha" in dir(cfg)
        assert "alpha = 1\n    The first flag." in cfg.describe()

    def test_callable_default(self):
        cfg = PyTensorConfigParser()
        cfg.add("dyn", "doc", StrParam(lambda: "computed"))
        assert cfg.dyn == "computed"


class TestGlobalConfig:
    def test_defaults(self):
        assert config.floatX in ("float64", "float32", "float16")
        assert "compiledir" in config and "backend" in config
        assert config.device == "cpu"

    def test_invalid_values_name_flag_and_options(self):
        with pytest.raises(ConfigError) as info:
            config.floatX = "float128"
        assert "'floatX'" in str(info.value) and "float64, float32, float16" in str(info.value)
        with pytest.raises(ConfigError, match="'on_unused_input'.*raise, warn, ignore"):
            config.on_unused_input = "explode"
        with pytest.raises(ConfigError, match="'traceback__limit'"):
            config.traceback__limit = "many"
        with pytest.raises(ConfigError, match="'device' cannot be changed"):
            config.device = "cuda"

    def test_unknown_flag(self):
        with pytest.raises(AttributeError, match="no flag 'not_a_flag'"):
            config.not_a_flag  # noqa: B018
        with pytest.raises(AttributeError, match="no flag 'not_a_flag'"):
            config.not_a_flag = 1
        with pytest.raises(AttributeError, match="no flag 'not_a_flag'"):
            config.change_flags(not_a_flag=1)


class TestChangeFlags:
    def test_context_manager_restores(self):
        before = config.floatX
        with config.change_flags(floatX="float16") as ctx:
            assert config.floatX == "float16"
            assert ctx is not None
        assert config.floatX == before

    def test_restores_on_exception(self):
        before = (config.floatX, config.on_unused_input)
        with pytest.raises(RuntimeError):
            with config.change_flags(floatX="float16", on_unused_input="ignore"):
                raise RuntimeError("boom")
        assert (config.floatX, config.on_unused_input) == before

    def test_decorator_restores(self):
        before = config.on_unused_input

        @config.change_flags(on_unused_input="warn")
        def inside():
            return config.on_unused_input

        @change_flags({"on_unused_input": "ignore"})
        def failing():
            raise KeyError(config.on_unused_input)

        assert inside() == "warn"
        assert config.on_unused_input == before
        with pytest.raises(KeyError, match="ignore"):
            failing()
        assert config.on_unused_input == before
        assert inside.__name__ == "inside"

    def test_nesting_and_reuse(self):
        before = config.floatX
        ctx = config.change_flags(floatX="float32")
        with ctx:
            with config.change_flags(floatX="float16"):
                assert config.floatX == "float16"
            assert config.floatX == "float32"
            with ctx:
                assert config.floatX == "float32"
            assert config.floatX == "float32"
        assert config.floatX == before

    def test_invalid_value_changes_nothing(self):
        before = (config.floatX, config.on_unused_input)
        with pytest.raises(ConfigError, match="'on_unused_input'"):
            with config.change_flags(floatX="float16", on_unused_input="bad"):
                pass  # pragma: no cover
        assert (config.floatX, config.on_unused_input) == before

    def test_converts_values(self):
        with config.change_flags(allow_gc="no"):
            assert config.allow_gc is False
