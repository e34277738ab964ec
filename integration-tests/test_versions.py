"""Lockstep versioning: every distribution carries the root VERSION and pins it."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_sync_version():
    spec = importlib.util.spec_from_file_location(
        "sync_version", ROOT / "scripts" / "sync_version.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sync_version = _load_sync_version()
VERSION = sync_version.read_version(ROOT)


def _project(dist: str) -> dict:
    with open(ROOT / "packages" / dist / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def test_all_distributions_in_lockstep():
    assert sync_version.find_mismatches(ROOT) == {}


def test_every_distribution_is_known():
    names = set(sync_version.internal_names(ROOT))
    assert names == {
        "pytensor",
        "pytensor-graph",
        "pytensor-rewrite",
        "pytensor-tensor",
        "pytensor-backend-numba",
        "pytensor-backend-c",
        "pytensor-backend-jax",
        "pytensor-dims",
    }


@pytest.mark.parametrize(
    ("extra", "dists"),
    [
        ("numba", {"pytensor-backend-numba"}),
        ("c", {"pytensor-backend-c"}),
        ("jax", {"pytensor-backend-jax"}),
        ("dims", {"pytensor-dims"}),
        (
            "all",
            {
                "pytensor-backend-numba",
                "pytensor-backend-c",
                "pytensor-backend-jax",
                "pytensor-dims",
            },
        ),
    ],
)
def test_meta_extras_pin_matching_distributions(extra, dists):
    extras = _project("pytensor")["optional-dependencies"]
    assert set(extras[extra]) == {f"{dist}=={VERSION}" for dist in dists}


def test_check_mode_reports_a_mismatch(tmp_path):
    (tmp_path / "VERSION").write_text("9.9.9\n")
    package = tmp_path / "packages" / "pytensor-graph"
    package.mkdir(parents=True)
    text = (ROOT / "packages" / "pytensor-graph" / "pyproject.toml").read_text()
    (package / "pyproject.toml").write_text(text)
    mismatches = sync_version.find_mismatches(tmp_path)
    assert list(mismatches) == ["packages/pytensor-graph/pyproject.toml"]
    sync_version.sync(tmp_path)
    assert sync_version.find_mismatches(tmp_path) == {}
