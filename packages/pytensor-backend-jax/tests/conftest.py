"""Fixtures of the JAX backend's tests."""

from __future__ import annotations

import pytest

from pytensor.compile.mode import Mode


@pytest.fixture
def jax_mode() -> Mode:
    """The JAX backend without rewrites: every Op reaches its ``jax_funcify`` implementation."""
    return Mode(linker="jax", optimizer=None)
