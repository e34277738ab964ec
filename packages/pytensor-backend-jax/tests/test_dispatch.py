"""The dispatch registry: third-party Ops, missing implementations, and values JAX needs
when it traces (shapes, lengths)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.graph.basic import Apply
from pytensor.graph.op import Op
from pytensor.link.backend import MissingImplementationError
from pytensor.link.jax.dispatch import StaticValueError, jax_funcify


class Cube(Op):
    """A toy third-party Op: ``x ** 3``."""

    __props__ = ()

    def make_node(self, x):
        x = pt.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0] ** 3


class NoJax(Op):
    """An Op with no JAX implementation."""

    __props__ = ()
    make_node = Cube.make_node
    perform = Cube.perform


@jax_funcify.register(Cube)
def jax_funcify_Cube(op, node=None, **kw):
    return lambda x: jnp.power(x, 3)


def test_a_third_party_op_runs_through_its_registration(jax_mode):
    x = pt.dvector("x")
    f = function([x], Cube()(x) + 1, mode=jax_mode)
    np.testing.assert_allclose(f(np.array([1.0, 2.0])), [2.0, 9.0])


def test_an_op_without_implementation_fails_at_compile_time_naming_it(jax_mode):
    x = pt.dvector("x")
    with pytest.raises(MissingImplementationError, match="jax backend cannot run NoJax"):
        function([x], NoJax()(x), mode=jax_mode)


def test_shapes_from_input_shapes_are_static(jax_mode):
    x = pt.dmatrix("x")
    out = [
        x.reshape((x.shape[0] * x.shape[1],)),
        pt.arange(x.shape[1]),
        pt.zeros((x.shape[0], 2)),
        pt.eye(x.shape[0]),
    ]
    flat, ar, zeros, eye = function([x], out, mode=jax_mode)(np.ones((2, 3)))
    assert flat.shape == (6,) and zeros.shape == (2, 2)
    np.testing.assert_array_equal(ar, [0, 1, 2])
    np.testing.assert_array_equal(eye, np.eye(2))


def test_integer_inputs_that_set_shapes_compile_once_per_value(jax_mode):
    n = pt.lscalar("n")
    f = function([n], pt.arange(n) * 2, mode=jax_mode)
    np.testing.assert_array_equal(f(3), [0, 2, 4])
    np.testing.assert_array_equal(f(2), [0, 2])
    np.testing.assert_array_equal(f(3), [0, 2, 4])


def test_shapes_from_float_values_fail_at_compile_time_naming_op_and_input(jax_mode):
    x = pt.dvector("x")
    length = pt.cast(x.sum(), "int64")
    with pytest.raises(StaticValueError, match=r"cannot run ARange.*graph input x"):
        function([x], pt.arange(length), mode=jax_mode)
    m = pt.dmatrix("m")
    with pytest.raises(StaticValueError, match=r"Nonzero.*graph input m"):
        function([m], pt.nonzero(m)[0], mode=jax_mode)


def test_reshape_errors_match_perform(jax_mode):
    x = pt.dvector("x")
    f = function([x], x.reshape((2, 3)), mode=jax_mode)
    with pytest.raises(ValueError, match=r"cannot reshape input x of shape \(5,\)"):
        f(np.ones(5))


def test_host_functions_are_reported_and_correct(jax_mode, caplog):
    import scipy.special as sp

    from pytensor.link.jax.dispatch import basic

    basic._reported.clear()
    v, x = pt.dvector("v"), pt.dvector("x")
    with caplog.at_level("WARNING", logger="pytensor.link.jax"):
        f = function([v, x], pt.kv(v, x), mode=jax_mode)
    assert "on the host" in caplog.text
    vv, xv = np.array([0.5, 1.5]), np.array([1.0, 2.0])
    np.testing.assert_allclose(f(vv, xv), sp.kv(vv, xv), rtol=1e-12)
