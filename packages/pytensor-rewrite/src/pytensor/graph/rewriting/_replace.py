"""Applying one node rewrite safely: check what it returned, replace, report (layer: pytensor-rewrite).

Every graph rewriter that runs node rewriters goes through
:func:`apply_node_rewrite`, so error handling (``config.on_opt_error``),
type checks, verbose printing and per-rewrite statistics are the same
everywhere.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pytensor.configdefaults import config
from pytensor.graph.basic import Apply, Variable
from pytensor.graph.rewriting._core import RewriteWarning
from pytensor.graph.rewriting._profile import rewriter_name
from pytensor.graph.utils import InconsistencyError

if TYPE_CHECKING:
    from pytensor.graph.fg import FunctionGraph
    from pytensor.graph.rewriting._core import NodeRewriter
    from pytensor.graph.rewriting._profile import ChangeTracker, RewriterStats

__all__ = [
    "InvalidReplacementError",
    "apply_node_rewrite",
    "expression_str",
    "report_failure",
    "warn",
    "warn_ignore",
    "warn_inplace",
]

FailureCallback = Callable[[BaseException, Any, Any, Any, Apply | None], Any]


class InvalidReplacementError(TypeError):
    """A node rewrite returned something that cannot replace the node's outputs.

    Wrong number of replacements, a non-Variable, or a Variable whose type
    differs from the one it replaces. The message names the rewrite, the
    node and (for type errors) both types.
    """


def expression_str(var: Any, depth: int = 3) -> str:
    """A one-line rendering of the expression computing ``var``, cut at ``depth``."""
    if not isinstance(var, Variable):
        return repr(var)
    if var.owner is None or var.name is not None:
        return str(var)
    if depth <= 0:
        return "..."
    node = var.owner
    args = ", ".join(expression_str(i, depth - 1) for i in node.inputs)
    suffix = f".{var.index}" if len(node.outputs) > 1 else ""
    return f"{node.op}({args}){suffix}"


def report_failure(exc: BaseException, rewriter: Any, node: Apply | None) -> None:
    """Report a failed rewrite according to ``config.on_opt_error`` (raise, warn, pdb, ignore)."""
    mode = config.on_opt_error
    where = f" on node {expression_str(node.outputs[0], 2) if node is not None and node.outputs else node}"
    if mode == "raise":
        if not isinstance(exc, InvalidReplacementError):
            exc.add_note(f"Raised by rewrite {rewriter_name(rewriter)}{where}")
        raise exc
    if mode == "pdb":
        import pdb

        pdb.post_mortem(exc.__traceback__)
        return
    if mode == "warn":
        warnings.warn(
            f"Rewrite {rewriter_name(rewriter)} failed{where} and was skipped "
            f"({type(exc).__name__}: {exc}); the node was left unchanged. "
            "Set config.on_opt_error='raise' to get the traceback.",
            RewriteWarning,
            stacklevel=2,
        )


def warn(
    exc: BaseException, nav: Any, repl_pairs: Any, node_rewriter: Any, node: Apply | None
) -> None:
    """Failure callback that follows ``config.on_opt_error``."""
    report_failure(exc, node_rewriter, node)


def warn_inplace(
    exc: BaseException, nav: Any, repl_pairs: Any, node_rewriter: Any, node: Apply | None
) -> None:
    """As :func:`warn`, but a replacement vetoed by a feature (InconsistencyError) is skipped quietly.

    Inplace rewrites are expected to be refused by the DestroyHandler when
    they would overwrite a value that is still needed.
    """
    if isinstance(exc, InconsistencyError):
        return
    report_failure(exc, node_rewriter, node)


def warn_ignore(
    exc: BaseException, nav: Any, repl_pairs: Any, node_rewriter: Any, node: Apply | None
) -> None:
    """Failure callback that ignores every failure."""


def _bad(rewriter: Any, node: Apply, msg: str) -> InvalidReplacementError:
    where = expression_str(node.outputs[0], 2) if node.outputs else str(node)
    return InvalidReplacementError(f"Rewrite {rewriter_name(rewriter)} applied to {where}: {msg}")


def _pairs(
    fgraph: FunctionGraph, rewriter: Any, node: Apply, out: Any
) -> tuple[list[tuple[Variable, Variable]], list[Apply]]:
    """Turn a rewrite's answer into checked ``(old, new)`` pairs and nodes to remove."""
    remove: list[Apply] = []
    if isinstance(out, dict):
        out = dict(out)
        for r in out.pop("remove", ()):
            owner = r.owner if isinstance(r, Variable) else r
            if owner is not None:
                remove.append(owner)
        olds, news = list(out.keys()), list(out.values())
    elif isinstance(out, (list, tuple)):
        olds, news = list(node.outputs), list(out)
        if len(news) != len(olds):
            raise _bad(rewriter, node, f"returned {len(news)} replacements for {len(olds)} outputs")
    else:
        raise _bad(
            rewriter,
            node,
            f"returned {type(out).__name__} {out!r}; expected False, a list or a dict",
        )
    pairs = []
    for k, (old, new) in enumerate(zip(olds, news, strict=True)):
        if not isinstance(old, Variable) or old not in fgraph.variables:
            raise _bad(
                rewriter, node, f"asked to replace {old!r}, which is not a variable of the graph"
            )
        if new is None:
            if fgraph.clients.get(old):
                raise _bad(rewriter, node, f"gave None for output {k} ({old}), which is still used")
            continue
        if not isinstance(new, Variable):
            raise _bad(
                rewriter,
                node,
                f"replacement {k} is a {type(new).__name__} ({new!r}), not a Variable",
            )
        if new is old:
            continue
        if new.type != old.type:
            converted = old.type.convert_variable(new)
            if converted is None:
                raise _bad(
                    rewriter,
                    node,
                    f"replacement {k} has type {new.type}, which does not fit the type {old.type} "
                    f"of the variable it replaces ({old})",
                )
            new = converted
        pairs.append((old, new))
    return pairs, remove


def apply_node_rewrite(
    fgraph: FunctionGraph,
    rewriter: NodeRewriter,
    node: Apply,
    failure_callback: FailureCallback | None = warn_inplace,
    nav: Any = None,
    stats: RewriterStats | None = None,
    tracker: ChangeTracker | None = None,
) -> bool:
    """Try ``rewriter`` on ``node`` and make the replacements it proposes.

    Returns whether the graph changed. A rewrite that raises, returns
    garbage or is vetoed by a feature is passed to ``failure_callback``
    (None: the error propagates); in every such case the graph is left as
    it was.
    """
    t0 = time.perf_counter()
    created = tracker.created if tracker is not None else 0
    removed = tracker.removed if tracker is not None else 0
    changed = False
    try:
        try:
            out = rewriter.transform(fgraph, node)
            if out is False or out is None:
                return False
            pairs, remove = _pairs(fgraph, rewriter, node, out)
        except Exception as exc:
            if stats is not None:
                stats.failures += 1
            if failure_callback is None:
                raise
            failure_callback(exc, nav, [(o, None) for o in node.outputs], rewriter, node)
            return False
        if not pairs:
            return False
        if config.optimizer_verbose:
            for old, new in pairs:
                print(
                    f"rewriting: {rewriter_name(rewriter)}: {expression_str(old)} -> {expression_str(new)}"
                )
        try:
            if remove:
                replace_remove = fgraph.replace_all_validate_remove  # type: ignore[attr-defined]
                replace_remove(pairs, remove, reason=rewriter_name(rewriter), warn=False)
            else:
                fgraph.replace_all_validate(pairs, reason=rewriter_name(rewriter))  # type: ignore[attr-defined]
        except Exception as exc:
            if failure_callback is None:
                raise
            if stats is not None and not isinstance(exc, InconsistencyError):
                stats.failures += 1
            failure_callback(exc, nav, pairs, rewriter, node)
            return False
        changed = True
        return True
    finally:
        if stats is not None:
            stats.calls += 1
            stats.time += time.perf_counter() - t0
            if changed:
                stats.applied += 1
                if tracker is not None:
                    stats.nodes_created += tracker.created - created
                    stats.nodes_removed += tracker.removed - removed
