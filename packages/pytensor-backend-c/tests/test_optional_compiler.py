"""Without a C compiler the C backend is unavailable, with the reason, and nothing else breaks.

Each case runs a child process with ``CC`` pointing at nothing, or with a
``PATH`` that holds no compiler, so it works in the dev environment too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.c

CHILD = textwrap.dedent(
    """
    import numpy as np
    import pytensor
    import pytensor.tensor as pt
    from pytensor.compile.function import function
    from pytensor.link.backend import BackendError
    from pytensor.link.registry import available_backends, backend_status

    ok, reason = backend_status()["c"]
    assert not ok, reason
    print("REASON:", reason)
    assert "c" not in available_backends()
    x = pt.vector("x")
    assert function([x], 2 * x)(np.ones(2)).tolist() == [2.0, 2.0]  # the default mode
    assert function([x], 2 * x, mode="PY")(np.ones(2)).tolist() == [2.0, 2.0]
    try:
        function([x], 2 * x, mode="C")
    except BackendError as exc:
        print("ERROR:", exc)
    else:
        raise AssertionError("mode C compiled without a compiler")
    """
)


def _run(env_changes: dict[str, str | None]) -> str:
    env = dict(os.environ)
    for k, v in env_changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_cc_pointing_at_nothing(tmp_path):
    out = _run({"CC": str(tmp_path / "no-such-compiler")})
    assert "REASON: no C compiler found (looked for: $CC=" in out
    assert "ERROR: Backend 'c' is installed but unavailable: no C compiler found" in out
    assert "apt install gcc" in out and "set CC" in out


def test_no_compiler_on_path(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    out = _run({"CC": None, "PATH": str(empty)})
    assert "REASON: no C compiler found (looked for: cc, gcc, clang)" in out
    assert "ERROR: Backend 'c' is installed but unavailable" in out


def test_find_compiler_reports_what_it_looked_for(monkeypatch, tmp_path):
    from pytensor.link.c.build import find_compiler, missing_requirements

    monkeypatch.setenv("CC", str(tmp_path / "nothing"))
    assert find_compiler() == (None, [f"$CC={tmp_path / 'nothing'}"])
    assert missing_requirements().startswith("no C compiler found")
    monkeypatch.delenv("CC")
    path, looked = find_compiler()
    assert looked == ["cc", "gcc", "clang"]
