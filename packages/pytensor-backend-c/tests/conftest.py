"""Fixtures of the C backend's tests: every test compiles into a private cache directory."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_c_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    old = os.environ.get("PYTENSOR_CACHE_DIR")
    os.environ["PYTENSOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("pytensor-cache"))
    yield
    if old is None:
        os.environ.pop("PYTENSOR_CACHE_DIR", None)
    else:
        os.environ["PYTENSOR_CACHE_DIR"] = old


@pytest.fixture
def c_mode():
    """The C backend without rewrites: the graph's Ops as built."""
    from pytensor.compile.mode import Mode

    return Mode(linker="c", optimizer=None)


@pytest.fixture
def c_fast_mode():
    """The C backend with the fast_run rewrites (fusion, ElemwiseReduce, inplace)."""
    from pytensor.compile.mode import Mode

    return Mode(linker="c", optimizer="fast_run")
