"""Without a C compiler, everything but the C backend works, and asking for C says why
(issue 9: the compiler is optional). ``nox -s nocompiler`` also runs the py conformance
suite in an environment where ``CC`` points at nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np

SCRIPT = textwrap.dedent(
    """
    import json
    import numpy as np
    import pytensor
    import pytensor.tensor as pt
    from pytensor.link.registry import backend_status, default_backend

    x = pt.vector("x")
    f = pytensor.function([x], pt.exp(x).sum())
    report = {
        "status": {k: list(v) for k, v in backend_status().items()},
        "default": default_backend().name,
        "value": float(f(np.arange(3.0))),
    }
    for spec in ("C", "c"):
        try:
            if spec == "C":
                pytensor.function([x], x + 1, mode="C")
            else:
                pytensor.function([x], x + 1, mode=pytensor.compile.mode.Mode(linker="c"))
            report[spec] = None
        except Exception as exc:
            report[spec] = f"{type(exc).__name__}: {exc}"
    print(json.dumps(report))
    """
)


def _run_without_compiler() -> dict:
    env = {**os.environ, "CC": "/nonexistent/bin/cc"}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_a_compiler_only_the_c_backend_is_unavailable():
    report = _run_without_compiler()
    available, reason = report["status"]["c"]
    assert available is False
    assert "no C compiler found" in reason and "/nonexistent/bin/cc" in reason
    assert all(ok for name, (ok, _) in report["status"].items() if name != "c")
    assert report["default"] != "c"
    np.testing.assert_allclose(report["value"], np.exp(np.arange(3.0)).sum())


def test_asking_for_c_without_a_compiler_says_what_is_missing_and_how_to_install_it():
    report = _run_without_compiler()
    for spec in ("C", "c"):
        message = report[spec]
        assert message is not None, f"mode {spec!r} compiled without a C compiler"
        assert "no C compiler found" in message
        assert "install" in message.lower()
