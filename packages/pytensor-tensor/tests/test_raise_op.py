"""``pytensor.raise_op``: CheckAndRaise, Assert and assert_op (values, errors, gradients)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.gradient import grad
from pytensor.raise_op import Assert, CheckAndRaise, assert_op

NONE = Mode(linker="py", optimizer=None)


@pytest.mark.parametrize("mode", [NONE, None], ids=["no-rewrites", "default"])
def test_value_passes_through_and_failure_raises(mode):
    x = pt.matrix("x")
    f = function([x], assert_op(x, pt.all(x > 0), x.shape[0] > 1), mode=mode)
    v = np.ones((2, 3))
    np.testing.assert_array_equal(f(v), v)
    with pytest.raises(AssertionError, match="PyTensor Assert failed!"):
        f(-v)
    with pytest.raises(AssertionError):
        f(np.ones((1, 3)))


def test_check_and_raise_raises_its_exception_type():
    x = pt.vector("x")
    op = CheckAndRaise(ValueError, "x must be non-empty")
    f = function([x], op(x, x.shape[0] > 0) + 1.0)
    np.testing.assert_array_equal(f(np.zeros(2)), np.ones(2))
    with pytest.raises(ValueError, match="x must be non-empty"):
        f(np.zeros(0))


def test_ops_are_values():
    assert Assert("a") == Assert("a") and hash(Assert("a")) == hash(Assert("a"))
    assert Assert("a") != Assert("b")
    assert CheckAndRaise(ValueError, "m") != CheckAndRaise(TypeError, "m")
    assert isinstance(assert_op, Assert) and assert_op.exc_type is AssertionError
    assert pickle.loads(pickle.dumps(Assert("m"))) == Assert("m")
    assert str(Assert("m")) == "Assert{'m'}"
    assert "ValueError" in str(CheckAndRaise(ValueError, "m"))


def test_output_type_and_view():
    x = pt.tensor("x", dtype="float32", shape=(2, None))
    y = assert_op(x, pt.all(x > 0))
    assert y.type == x.type
    assert y.owner.op.view_map == {0: [0]}


@pytest.mark.parametrize(
    "cond",
    [pt.vector("c", dtype="bool"), pt.scalar("f", dtype="float64")],
    ids=["not-scalar", "float"],
)
def test_bad_conditions_are_rejected(cond):
    with pytest.raises(TypeError, match="condition 0"):
        assert_op(pt.vector("x"), cond)


def test_bad_exception_type_is_rejected():
    with pytest.raises(TypeError, match="exc_type"):
        CheckAndRaise("not a class", "m")  # type: ignore[arg-type]


def test_gradient_flows_to_the_value_only():
    x = pt.vector("x")
    c = pt.scalar("c")
    y = assert_op(x, pt.all(x > c))
    g = grad((y**2).sum(), x)
    f = function([x, c], g, mode=NONE)
    np.testing.assert_allclose(f(np.array([1.0, 2.0]), 0.0), [2.0, 4.0])
    with pytest.raises(AssertionError):
        f(np.array([1.0, 2.0]), 5.0)  # the gradient graph keeps the check
    with pytest.raises(Exception, match="isconnected"):
        grad(y.sum(), c)
