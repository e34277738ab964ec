"""The meta-package's user API: ``import pytensor`` is cheap, and its names resolve lazily
to the objects of the layers that own them."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import numpy as np
import pytest

import pytensor


def test_import_is_lazy():
    code = "import sys, pytensor; print('pytensor.tensor' in sys.modules, 'pytensor.compile' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_names_resolve_to_their_owners():
    from pytensor.compile.function import function
    from pytensor.compile.sharedvalue import shared
    from pytensor.configdefaults import config
    from pytensor.gradient import grad
    from pytensor.printing import debugprint

    assert pytensor.function is function
    assert pytensor.shared is shared
    assert pytensor.config is config
    assert pytensor.grad is grad
    assert pytensor.dprint is debugprint
    assert pytensor.__version__ == importlib.metadata.version("pytensor")


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        pytensor.no_such_name  # noqa: B018


def test_end_to_end_through_the_top_level_api():
    import pytensor.tensor as pt

    x = pt.dvector("x")
    s = pytensor.shared(np.array([1.0, 2.0, 3.0]), name="s")
    f = pytensor.function([x], pytensor.grad(pt.sum((x * s) ** 2), x))
    np.testing.assert_allclose(f(np.ones(3)), 2 * np.array([1.0, 2.0, 3.0]) ** 2)


def test_extras_pin_the_matching_distributions():
    reqs = importlib.metadata.requires("pytensor")
    version = importlib.metadata.version("pytensor")
    for extra, dist in [
        ("numba", "pytensor-backend-numba"),
        ("c", "pytensor-backend-c"),
        ("jax", "pytensor-backend-jax"),
        ("dims", "pytensor-dims"),
    ]:
        plain = [r.replace("'", "").replace('"', "") for r in reqs]
        assert f"{dist}=={version}; extra == {extra}" in plain, extra
