"""The conformance suite on the numba backend (see ``conformance/``).

Compiled code goes to a temporary cache directory, set before anything is
compiled, so the suite never reads or fills the user's cache.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from conformance import BackendConformance

from pytensor.compile.mode import Mode

os.environ["PYTENSOR_NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="pytensor-numba-conformance-")


@pytest.mark.numba
class TestNumbaNoRewrites(BackendConformance):
    """Every Op's numba implementation, on the graph as built (no fusion, no inplace)."""

    mode = Mode(linker="numba", optimizer=None)


@pytest.mark.numba
class TestNumbaMode(BackendConformance):
    """The NUMBA mode: fast_run rewrites (fused Composites, ElemwiseReduce, inplace) on numba."""

    mode = Mode(linker="numba", optimizer="fast_run")
