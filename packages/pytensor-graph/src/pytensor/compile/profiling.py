"""``ProfileStats``: where a compiled function spends its time (layer: pytensor-graph)."""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any, TextIO

__all__ = ["ProfileStats"]


class ProfileStats:
    """Timings of one compiled function: compile phases, calls, and per-node time when the backend reports it."""

    def __init__(self, atexit_print: bool = False, name: str | None = None, **kwargs: Any) -> None:
        self.name = name
        self.compile_time = 0.0
        self.rewrite_time = 0.0
        self.linker_time = 0.0
        self.fct_call_time = 0.0
        self.fct_callcount = 0
        self.apply_time: dict[Any, float] = defaultdict(float)
        self.apply_callcount: dict[Any, int] = defaultdict(int)
        #: What the mode's rewriter returned (the rewrite layer returns a per-rewrite profile).
        self.rewriter_profile: Any = None

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        if state.get("rewriter_profile") is not None:
            state["rewriter_profile"] = str(
                state["rewriter_profile"]
            )  # keep the report, not the rewriters
        return state

    def record_node(self, node: Any, seconds: float) -> None:
        self.apply_time[node] += seconds
        self.apply_callcount[node] += 1

    def summary(
        self, file: TextIO | None = None, n_apply_to_print: int = 15, **kwargs: Any
    ) -> None:
        """Print the timings."""
        out = file or sys.stdout
        print(f"Function profile: {self.name or '<unnamed>'}", file=out)
        print(
            f"  compile time: {self.compile_time:.6f}s "
            f"(rewrites {self.rewrite_time:.6f}s, linking {self.linker_time:.6f}s)",
            file=out,
        )
        per_call = self.fct_call_time / self.fct_callcount if self.fct_callcount else 0.0
        print(
            f"  calls: {self.fct_callcount}, total {self.fct_call_time:.6f}s, {per_call * 1e6:.2f}us per call",
            file=out,
        )
        if self.rewriter_profile is not None:
            print("  rewrites:", file=out)
            for line in str(self.rewriter_profile).splitlines():
                print(f"    {line}", file=out)
        if self.apply_time:
            print("  slowest nodes (total time, calls, node):", file=out)
            ranked = sorted(self.apply_time.items(), key=lambda kv: -kv[1])[:n_apply_to_print]
            for node, t in ranked:
                print(f"    {t:.6f}s  {self.apply_callcount[node]:6d}  {node}", file=out)
