"""The conformance suite on the pure-Python reference backend (see ``conformance/``)."""

from __future__ import annotations

import pytest
from conformance import BackendConformance

from pytensor.compile.mode import Mode


@pytest.mark.py
class TestPythonBackendNoRewrites(BackendConformance):
    """``perform`` of every Op, on the graph as built."""

    mode = Mode(linker="py", optimizer=None)


@pytest.mark.py
class TestDefaultMode(BackendConformance):
    """The default mode: its rewrites and the best available backend."""
