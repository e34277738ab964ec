"""Derived differentiation tools: jacobian, hessian, gradient-modifying Ops and
verify_grad (layer: pytensor-tensor). Public through :mod:`pytensor.gradient`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from pytensor.compile.ops import ViewOp
from pytensor.graph.basic import Apply, Variable

__all__ = [
    "disconnected_grad",
    "grad_clip",
    "grad_scale",
    "hessian",
    "hessian_vector_product",
    "jacobian",
    "subgraph_grad",
    "verify_grad",
    "verify_pushforward",
    "zero_grad",
]


class _GradModifier(ViewOp):
    """Identity in the forward pass; subclasses change the gradient that flows back.

    Forward mode sees the identity: the tangent passes unchanged (as PyTensor's
    ``ViewOp.R_op``), unless a subclass says otherwise.
    """

    __props__: tuple[str, ...] = ()

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        from pytensor.tensor.basic import as_tensor_variable

        x = as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [tangents[0]]


class ZeroGrad(_GradModifier):
    """Forward: identity. Backward: zero (and a zero tangent forward)."""

    __props__ = ()

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        from pytensor.tensor.basic import zeros_like

        return [zeros_like(inputs[0])]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        from pytensor.tensor.basic import zeros_like

        return [zeros_like(outputs[0])]


class DisconnectedGrad(_GradModifier):
    """Forward: identity. Backward: the input is treated as disconnected."""

    __props__ = ()

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        from pytensor.gradient import disconnected_type

        return [disconnected_type()]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [None]  # a constant for differentiation, in both directions

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[False]]


class GradClip(_GradModifier):
    """Forward: identity. Backward: the cotangent clipped to [clip_lower_bound, clip_upper_bound]."""

    __props__ = ("clip_lower_bound", "clip_upper_bound")

    def __init__(self, clip_lower_bound: float, clip_upper_bound: float) -> None:
        if clip_upper_bound < clip_lower_bound:
            raise ValueError(
                f"GradClip: upper bound {clip_upper_bound} < lower bound {clip_lower_bound}"
            )
        self.clip_lower_bound = float(clip_lower_bound)
        self.clip_upper_bound = float(clip_upper_bound)

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        from pytensor.tensor.math import clip

        return [clip(cotangents[0], self.clip_lower_bound, self.clip_upper_bound)]


class GradScale(_GradModifier):
    """Forward: identity. Backward: the cotangent times ``multiplier``."""

    __props__ = ("multiplier",)

    def __init__(self, multiplier: float) -> None:
        self.multiplier = float(multiplier)

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        return [cotangents[0] * self.multiplier]


_zero_grad = ZeroGrad()
_disconnected_grad = DisconnectedGrad()


def zero_grad(x: Any) -> Variable:
    """``x`` in the forward pass; its gradient is zero."""
    return _zero_grad(x)  # type: ignore[no-any-return]


def disconnected_grad(x: Any) -> Variable:
    """``x`` in the forward pass; gradients treat it as a constant (disconnected)."""
    return _disconnected_grad(x)  # type: ignore[no-any-return]


def grad_clip(x: Any, lower_bound: float, upper_bound: float) -> Variable:
    """``x`` in the forward pass; the gradient flowing back through it is clipped."""
    return GradClip(lower_bound, upper_bound)(x)  # type: ignore[no-any-return]


def grad_scale(x: Any, multiplier: float) -> Variable:
    """``x`` in the forward pass; the gradient flowing back through it is scaled."""
    return GradScale(multiplier)(x)  # type: ignore[no-any-return]


#: Expressions with at most this many elements (known statically) get their Jacobian as
#: stacked pullbacks, a plain graph the rewrites optimise; longer ones and those whose
#: length is known only at run time loop over the rows (IndexedMap).
JACOBIAN_UNROLL_MAX = 16


def jacobian(
    expression: Variable,
    wrt: Variable | Sequence[Variable],
    consider_constant: Sequence[Variable] | None = None,
    disconnected_inputs: str = "raise",
    vectorize: bool = False,
) -> Any:
    """The Jacobian of ``expression`` with respect to ``wrt``.

    The result for each ``w`` in ``wrt`` has shape ``expression.shape +
    w.shape``: entry ``[i..., j...]`` is the derivative of ``expression[i...]``
    with respect to ``w[j...]`` (for a 0-d expression, its gradient).

    Parameters
    ----------
    expression
        A float tensor of any number of dimensions; its shape may be known only
        at run time.
    wrt
        A variable or a list of them; the result has the same form.
    consider_constant, disconnected_inputs
        As for :func:`pytensor.gradient.grad`.
    vectorize
        Accepted for compatibility with PyTensor, where it chooses between scan
        and a vectorised graph. Both settings give the same values here: a
        short expression of static length gets one pullback per element,
        stacked; otherwise one loop (an ``IndexedMap`` node) pulls back one
        one-hot cotangent per element, computing what does not depend on the
        element once, outside the loop.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> from pytensor.gradient import jacobian
    >>> x = pt.dvector("x")
    >>> jacobian(x ** 2, x).eval({x: np.array([1.0, 3.0])})
    array([[2., 0.],
           [0., 6.]])
    """
    from pytensor.gradient import DisconnectedInputError, grad
    from pytensor.tensor.basic import as_tensor_variable

    expression = as_tensor_variable(expression)
    if not expression.type.dtype.startswith(("float", "complex")):
        raise TypeError(
            f"jacobian: the expression {expression} has dtype {expression.type.dtype}; only "
            "float expressions are differentiable"
        )
    wrt_list: list[Any] = list(wrt) if isinstance(wrt, list | tuple) else [wrt]
    kwargs: dict[str, Any] = dict(
        consider_constant=consider_constant, disconnected_inputs=disconnected_inputs
    )
    try:
        if expression.type.ndim == 0:
            res = [grad(expression, w, **kwargs) for w in wrt_list]
        else:
            res = _jacobian_of_array(expression, wrt_list, **kwargs)
    except DisconnectedInputError as exc:
        raise DisconnectedInputError(f"jacobian of {expression}: {exc}") from None
    return res if isinstance(wrt, list | tuple) else res[0]


def _jacobian_of_array(expression: Any, wrt: list[Any], **kwargs: Any) -> list[Any]:
    from pytensor.gradient import pullback
    from pytensor.tensor._jacobian import jacobian_rows
    from pytensor.tensor.basic import as_tensor_variable, stack
    from pytensor.tensor.shape import shape_tuple

    static = expression.type.shape
    n = int(np.prod(static)) if None not in static else None
    if n is not None and n <= JACOBIAN_UNROLL_MAX:
        # Row i is the pullback of the one-hot cotangent e_i: no indexing needed.
        eye = np.eye(n, dtype=expression.type.dtype).reshape((n, *static))
        rows_of = [pullback(expression, wrt, as_tensor_variable(e), **kwargs) for e in eye]
        res: list[Any] = [
            stack([rows[k] for rows in rows_of])
            if n
            else as_tensor_variable(np.zeros((0,), dtype=w.type.dtype)).reshape(
                (0, *shape_tuple(w))
            )
            for k, w in enumerate(wrt)
        ]
    else:
        res = jacobian_rows(expression, wrt, **kwargs)
    if expression.type.ndim == 1:
        return res
    return [
        jac.reshape((*shape_tuple(expression), *shape_tuple(w)))
        for jac, w in zip(res, wrt, strict=True)
    ]


def hessian(
    cost: Variable,
    wrt: Variable | Sequence[Variable],
    consider_constant: Sequence[Variable] | None = None,
    disconnected_inputs: str = "raise",
) -> Any:
    """The Hessian of a scalar ``cost`` with respect to each ``wrt`` variable.

    The result for ``w`` has shape ``w.shape + w.shape`` (the Jacobian of the
    gradient); the length of ``w`` may be known only at run time.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> from pytensor.gradient import hessian
    >>> x = pt.dvector("x")
    >>> hessian((x ** 3).sum(), x).eval({x: np.array([1.0, 2.0])})
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    from pytensor.gradient import grad

    wrt_list: list[Any] = list(wrt) if isinstance(wrt, list | tuple) else [wrt]
    res = []
    for w in wrt_list:
        g = grad(
            cost, w, consider_constant=consider_constant, disconnected_inputs=disconnected_inputs
        )
        # w may influence the cost only linearly: its gradient need not depend on it.
        res.append(
            jacobian(g, w, consider_constant=consider_constant, disconnected_inputs="ignore")
        )
    return res if isinstance(wrt, list | tuple) else res[0]


def hessian_vector_product(
    cost: Variable, wrt: Variable | Sequence[Variable], p: Any, **grad_kwargs: Any
) -> Any:
    """``H p`` for the Hessian H of ``cost`` at ``wrt``, without forming H."""
    from pytensor.gradient import grad
    from pytensor.tensor.math import sum as pt_sum

    wrt_list = list(wrt) if isinstance(wrt, list | tuple) else [wrt]
    ps = list(p) if isinstance(p, list | tuple) else [p]
    if len(ps) != len(wrt_list):
        raise ValueError(
            f"hessian_vector_product: {len(wrt_list)} wrt variables but {len(ps)} vectors"
        )
    gs = grad(cost, wrt_list, **grad_kwargs)
    total = None
    for g, v in zip(gs, ps, strict=True):
        term = pt_sum(g * v)
        total = term if total is None else total + term
    res = grad(total, wrt_list, disconnected_inputs="ignore")
    return res if isinstance(wrt, list | tuple) else res[0]


def subgraph_grad(
    wrt: Sequence[Variable],
    end: Sequence[Variable],
    start: Mapping[Variable, Variable] | None = None,
    cost: Variable | None = None,
    details: bool = False,
) -> Any:
    """Backpropagate through a part of a graph, from ``cost`` and/or the ``start`` gradients.

    Returns the gradients with respect to ``wrt`` and to ``end`` (to continue
    the backpropagation further down); with ``details=True`` also the
    separate contributions of ``start`` and ``cost``.
    """
    from pytensor.gradient import grad

    if cost is None and not start:
        raise ValueError("subgraph_grad: give a cost, start gradients, or both")
    targets = list(wrt) + list(end)
    kw = dict(disconnected_inputs="ignore", return_disconnected="zero")
    total = grad(cost, targets, known_grads=dict(start or {}), **kw)
    wrt_grads, end_grads = total[: len(wrt)], total[len(wrt) :]
    if not details:
        return wrt_grads, end_grads
    from_start = grad(None, list(wrt), known_grads=dict(start), **kw) if start else []
    from_cost = grad(cost, list(wrt), **kw) if cost is not None else []
    return wrt_grads, end_grads, from_start, from_cost


_EPS = {"float64": 1e-7, "float32": 3e-4, "float16": 1e-1}
_TOL = {"float64": 1e-4, "float32": 1e-2, "float16": 5e-2}


def _numeric_grad(
    f: Callable[..., float], values: list[np.ndarray], eps: float
) -> list[np.ndarray]:
    grads = []
    for k, v in enumerate(values):
        g = np.zeros(v.shape, dtype="float64")
        flat = v.reshape(-1)
        for j in range(flat.size):
            orig = flat[j]
            flat[j] = orig + eps
            up = f(*values)
            flat[j] = orig - eps
            down = f(*values)
            flat[j] = orig
            g.reshape(-1)[j] = (up - down) / (2 * eps)
        grads.append(g)
        values[k] = v
    return grads


def verify_grad(
    fun: Callable[..., Any],
    pt: Sequence[Any],
    n_tests: int = 2,
    rng: np.random.Generator | np.random.RandomState | None = None,
    eps: float | None = None,
    out_type: Any = None,
    abs_tol: float | None = None,
    rel_tol: float | None = None,
    mode: Any = None,
    cast_to_output_type: bool = False,
    no_debug_ref: bool = True,
) -> None:
    """Check the gradient of ``fun`` at the point ``pt`` against central finite differences.

    ``fun`` maps symbolic inputs (one per array in ``pt``) to one output. A
    random projection of the output makes it a scalar cost; its analytic
    gradient must match the numeric one within dtype-dependent tolerances
    (an element passes when its absolute or its relative error is small
    enough). Raises GradientError otherwise.
    """
    from pytensor.compile.function import function
    from pytensor.gradient import GradientError, grad
    from pytensor.tensor.basic import as_tensor_variable
    from pytensor.tensor.math import sum as pt_sum

    values = [np.array(p, copy=True, order="C") for p in pt]
    inputs = _float_inputs(values, "verify_grad")
    if rng is None:
        rng = np.random.default_rng(42)
    out = fun(*inputs)
    if isinstance(out, list | tuple):
        raise TypeError("verify_grad: fun must return a single variable")
    out = as_tensor_variable(out)

    worst = max((v.dtype.name for v in values), key=lambda d: _EPS.get(d, 1.0))
    eps = eps if eps is not None else _EPS.get(worst, 1e-7)
    abs_tol = abs_tol if abs_tol is not None else _TOL.get(worst, 1e-4)
    rel_tol = rel_tol if rel_tol is not None else _TOL.get(worst, 1e-4)

    for _test in range(n_tests):
        shape_fn = function(inputs, out.shape, mode=mode, on_unused_input="ignore")
        proj_value = rng.random(tuple(shape_fn(*values))) + 0.5
        proj = as_tensor_variable(
            proj_value.astype(out.type.dtype if out.type.dtype.startswith("float") else "float64")
        )
        cost = pt_sum(out * proj)
        cost_fn = function(inputs, cost, mode=mode, on_unused_input="ignore")
        grads = grad(cost, inputs, disconnected_inputs="ignore")
        grad_fn = function(inputs, grads, mode=mode, on_unused_input="ignore")
        analytic = [np.asarray(g, dtype="float64") for g in grad_fn(*values)]
        numeric = _numeric_grad(lambda *a, fn=cost_fn: float(fn(*a)), values, eps)
        for k, (a, n) in enumerate(zip(analytic, numeric, strict=True)):
            abs_err = np.abs(a - n)
            rel_err = abs_err / np.maximum(np.abs(a) + np.abs(n), 1e-8)
            bad = (abs_err > abs_tol) & (rel_err > rel_tol)
            if np.any(bad) or a.shape != n.shape:
                raise GradientError(k, a, n, abs_err, rel_err, abs_tol, rel_tol)


def _float_inputs(values: list[np.ndarray], what: str) -> list[Any]:
    from pytensor.tensor.type import TensorType

    for k, v in enumerate(values):
        if v.dtype.kind not in "f":
            raise TypeError(
                f"{what}: point {k} has dtype {v.dtype}; only float inputs can be checked"
            )
    return [
        TensorType(v.dtype, shape=tuple(1 if s == 1 else None for s in v.shape))(f"input {k}")
        for k, v in enumerate(values)
    ]


def verify_pushforward(
    fun: Callable[..., Any],
    pt: Sequence[Any],
    n_tests: int = 2,
    rng: np.random.Generator | None = None,
    eps: float | None = None,
    abs_tol: float | None = None,
    rel_tol: float | None = None,
    mode: Any = None,
) -> None:
    """Check the pushforward (Jacobian-vector product) of ``fun`` at ``pt`` against finite differences.

    For random tangents ``t``, ``pushforward(fun(*x), x, t)`` must match the
    central difference ``(fun(x + eps t) - fun(x - eps t)) / (2 eps)`` within
    dtype-dependent tolerances. Raises GradientError otherwise. The
    counterpart of :func:`verify_grad` for forward mode.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> from pytensor.gradient import verify_pushforward
    >>> verify_pushforward(lambda x: pt.exp(x) * x, [np.array([0.1, -0.5])])
    """
    from pytensor.compile.function import function
    from pytensor.gradient import GradientError, pushforward
    from pytensor.tensor.basic import as_tensor_variable

    values = [np.array(p, copy=True, order="C") for p in pt]
    inputs = _float_inputs(values, "verify_pushforward")
    out = as_tensor_variable(fun(*inputs))
    tangents = [i.type(f"tangent {k}") for k, i in enumerate(inputs)]
    jvp_fn = function(
        [*inputs, *tangents],
        pushforward(out, inputs, tangents),
        mode=mode,
        on_unused_input="ignore",
    )
    out_fn = function(inputs, out, mode=mode, on_unused_input="ignore")
    worst = max((v.dtype.name for v in values), key=lambda d: _EPS.get(d, 1.0))
    eps = eps if eps is not None else _EPS.get(worst, 1e-7)
    abs_tol = abs_tol if abs_tol is not None else _TOL.get(worst, 1e-4)
    rel_tol = rel_tol if rel_tol is not None else _TOL.get(worst, 1e-4)
    rng = rng if rng is not None else np.random.default_rng(42)
    for _test in range(n_tests):
        ts = [(rng.random(v.shape) + 0.5).astype(v.dtype) for v in values]
        analytic = np.asarray(jvp_fn(*values, *ts), dtype="float64")
        up = np.asarray(out_fn(*[v + eps * t for v, t in zip(values, ts, strict=True)]), "float64")
        down = np.asarray(
            out_fn(*[v - eps * t for v, t in zip(values, ts, strict=True)]), "float64"
        )
        numeric = (up - down) / (2 * eps)
        abs_err = np.abs(analytic - numeric)
        rel_err = abs_err / np.maximum(np.abs(analytic) + np.abs(numeric), 1e-8)
        if analytic.shape != numeric.shape or np.any((abs_err > abs_tol) & (rel_err > rel_tol)):
            raise GradientError(0, analytic, numeric, abs_err, rel_err, abs_tol, rel_tol)
