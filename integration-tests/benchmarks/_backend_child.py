"""Child process of the compile benchmarks: import, build, compile and call one graph once.

``python _backend_child.py <backend> <graph>`` (graph: ``regression`` or ``long``)
prints one JSON line with the phases timed inside this process:
``import_s`` (pytensor.tensor and pytensor.compile), ``registry_s`` (loading the
backend plugins and their availability checks), ``dependency_s`` (the backend's
heavy dependency, numba, jax or cffi, if the registry has not imported it yet), ``build_s`` (the graph, with its
gradient), ``compile_s`` (``function(...)``; of which ``rewrite_s`` and ``link_s``),
``first_call_s``, and ``max_error`` against the hand-written NumPy reference.
The parent sets ``PYTENSOR_CACHE_DIR`` to an empty or populated folder.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

import numpy as np

#: The heavy dependency each backend imports lazily, imported and timed apart.
DEPENDENCY = {"numba": "numba", "jax": "jax", "c": "cffi", "py": None}


def main(backend: str, graph: str) -> dict[str, float | str]:
    t0 = time.perf_counter()
    import pytensor.tensor  # noqa: F401
    from pytensor.compile.function import function
    from pytensor.link import registry

    ta = time.perf_counter()
    # Loads every plugin and runs its availability check (which may import its dependency).
    registry.get_backend(backend)
    t1 = time.perf_counter()
    dep = DEPENDENCY.get(backend)
    if dep is not None:
        importlib.import_module(dep)
    t2 = time.perf_counter()

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _backend_models as models

    if graph == "regression":
        inputs, outputs = models.regression_graph()
        values = models.regression_values()
    else:
        inputs, output = models.long_graph()
        outputs, values = [output], models.long_values()
    t3 = time.perf_counter()
    fn = function(inputs, outputs, mode=models.make_mode(backend))
    t4 = time.perf_counter()
    results = fn(*values)
    t5 = time.perf_counter()

    if graph == "regression":
        expected = models.regression_numpy(*models.regression_data())(*values)
    else:
        expected = (models.long_numpy(*values),)
    error = max(
        float(np.abs(np.asarray(r) - e).max() / max(1.0, np.abs(e).max()))
        for r, e in zip(results, expected, strict=True)
    )
    return {
        "backend": backend,
        "graph": graph,
        "import_s": ta - t0,
        "registry_s": t1 - ta,
        "dependency_s": t2 - t1,
        "build_s": t3 - t2,
        "compile_s": t4 - t3,
        "rewrite_s": float(getattr(fn.maker, "rewrite_time", float("nan"))),
        "link_s": float(getattr(fn.maker, "linker_time", float("nan"))),
        "first_call_s": t5 - t4,
        "compile_and_first_call_s": t5 - t3,
        "nodes": len(fn.maker.fgraph.apply_nodes),
        "max_error": error,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
