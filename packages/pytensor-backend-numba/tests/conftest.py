"""Test configuration of the numba backend: compiled code goes to a temporary cache directory."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_CACHE = tempfile.mkdtemp(prefix="pytensor-numba-tests-")
os.environ["PYTENSOR_NUMBA_CACHE_DIR"] = _CACHE


@pytest.fixture(scope="session", autouse=True)
def _remove_cache_dir():
    yield
    shutil.rmtree(_CACHE, ignore_errors=True)
