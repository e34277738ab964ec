"""The flags of ``pytensor.config`` that the core layers read (layer: pytensor-graph).

Higher layers and backends declare their own flags with ``config.add`` when
imported; the ones PyMC reads are declared here so they always exist.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys

import numpy as np

from pytensor.configparser import (
    BoolParam,
    DeviceParam,
    EnumStr,
    IntParam,
    PyTensorConfigParser,
    StrParam,
    _env_flags,
    _rc_files,
)

__all__ = ["config", "default_compiledir"]


def default_compiledir() -> str:
    """Per-user cache folder, named after the platform, Python and NumPy versions."""
    base = os.environ.get("PYTENSOR_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.join(os.path.expanduser("~"), ".cache")),
        "pytensor",
    )
    tag = "-".join(
        [
            platform.system().lower(),
            platform.machine() or "unknown",
            f"py{sys.version_info.major}{sys.version_info.minor}",
            f"np{np.__version__}",
        ]
    )
    return os.path.join(base, f"compiledir_{tag}")


def _default_cxx() -> str:
    return shutil.which("g++") or shutil.which("c++") or shutil.which("clang++") or ""


def _declare(config: PyTensorConfigParser) -> None:
    add = config.add
    add(
        "floatX",
        "Default float dtype for new variables and Python floats.",
        EnumStr("float64", ["float32", "float16"]),
    )
    add("intX", "Default integer dtype.", EnumStr("int64", ["int32", "int16", "int8"]))
    add(
        "warn_float64",
        "What to do when a float64 variable is created: ignore, warn, raise or pdb.",
        EnumStr("ignore", ["warn", "raise", "pdb"]),
    )
    add(
        "cast_policy",
        "How Python scalars are cast in arithmetic (custom or numpy+floatX).",
        EnumStr("custom", ["numpy+floatX"]),
    )
    add(
        "mode",
        "Default compilation mode: a registered mode name such as FAST_RUN, FAST_COMPILE, "
        "NUMBA, C, JAX or PY.",
        StrParam("FAST_RUN"),
    )
    add(
        "backend",
        "Default backend: 'auto' picks the best installed one (numba, else c, else py).",
        StrParam("auto"),
    )
    add(
        "linker",
        "PyTensor's name for the backend flag; 'auto' defers to config.backend.",
        StrParam("auto"),
    )
    add(
        "optimizer",
        "Default rewrite query of the default mode (fast_run, fast_compile, None).",
        EnumStr("o4", ["o3", "o2", "o1", "unsafe", "fast_run", "fast_compile", "merge", "None"]),
    )
    add(
        "optimizer_excluding",
        "Rewrite tags removed from the default mode (colon separated).",
        StrParam(""),
    )
    add(
        "optimizer_including",
        "Rewrite tags added to the default mode (colon separated).",
        StrParam(""),
    )
    add(
        "optimizer_requiring",
        "Rewrite tags required by the default mode (colon separated).",
        StrParam(""),
    )
    add("optimizer_verbose", "Print every rewrite that fires.", BoolParam(False))
    add(
        "on_opt_error",
        "What to do when a rewrite raises: warn, raise, pdb or ignore.",
        EnumStr("warn", ["raise", "pdb", "ignore"]),
    )
    add(
        "on_unused_input",
        "What function() does with an unused input: raise, warn or ignore.",
        EnumStr("raise", ["warn", "ignore"]),
    )
    add(
        "exception_verbosity",
        "How much of the graph errors at run time show: low or high.",
        EnumStr("low", ["high"]),
    )
    add(
        "compute_test_value",
        "Test values are not supported; kept for compatibility (off only).",
        EnumStr("off", []),
    )
    add(
        "allow_gc",
        "Free intermediate results as soon as they are no longer needed.",
        BoolParam(True),
    )
    add("check_input", "Check the inputs of compiled functions.", BoolParam(True))
    add("profile", "Profile every compiled function.", BoolParam(False))
    add("unpickle_function", "Recompile functions when they are unpickled.", BoolParam(True))
    add(
        "reoptimize_unpickled_function",
        "Rewrite again the graphs of unpickled functions.",
        BoolParam(False),
    )
    add("traceback__limit", "Stack depth recorded on created variables (0: none).", IntParam(0))
    add("device", "Only 'cpu' is supported.", DeviceParam("cpu"))
    add(
        "deterministic",
        "Prefer deterministic implementations (default or more).",
        EnumStr("default", ["more"]),
    )
    add(
        "base_compiledir",
        "Folder that holds the compile caches.",
        StrParam(os.path.dirname(default_compiledir())),
    )
    add(
        "compiledir",
        "Folder of the compile cache of this platform and library versions.",
        StrParam(default_compiledir()),
    )
    add("cxx", "The C compiler the C backend uses ('' disables it).", StrParam(_default_cxx()))
    add("gcc__cxxflags", "Extra flags for the C compiler.", StrParam(""))
    add("numba__fastmath", "Let the Numba backend use fast-math.", BoolParam(True))
    add("numba__cache", "Let the Numba backend cache compiled code on disk.", BoolParam(True))


config = PyTensorConfigParser(flags=_env_flags(), rc_files=_rc_files())
_declare(config)
