"""The conformance suite on the C backend (see ``conformance/``), with a private cache dir.

Nodes without a C kernel run through ``perform`` inside the generated module
and count as passing; the coverage table says which Ops those are.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from conformance import BackendConformance

from pytensor.compile.mode import Mode

pytestmark = pytest.mark.c


@pytest.fixture(autouse=True, scope="module")
def _private_c_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    old = os.environ.get("PYTENSOR_CACHE_DIR")
    os.environ["PYTENSOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("pytensor-cache"))
    yield
    if old is None:
        del os.environ["PYTENSOR_CACHE_DIR"]
    else:
        os.environ["PYTENSOR_CACHE_DIR"] = old


class TestCBackendNoRewrites(BackendConformance):
    """Every Op as built, one C module per graph (no fusion, no inplace)."""

    mode = Mode(linker="c", optimizer=None)


class TestCMode(BackendConformance):
    """The "C" mode: fast_run rewrites (fused Composites, ElemwiseReduce, inplace) on C."""

    mode = Mode(linker="c", optimizer="fast_run")
