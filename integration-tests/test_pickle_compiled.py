"""Functions compiled with the full stack (rewrites included) pickle and keep working."""

from __future__ import annotations

import pickle

import numpy as np

import pytensor
import pytensor.tensor as pt


def test_fast_run_function_with_profile_round_trips_through_pickle():
    x = pt.dvector("x")
    s = pytensor.shared(np.array([1.0, 2.0]), name="s")
    f = pytensor.function([x], pt.exp(x) * s, updates={s: s + 1}, mode="FAST_RUN", profile=True)
    f(np.zeros(2))
    assert f.profile.rewriter_profile is not None
    g, s2 = pickle.loads(pickle.dumps((f, s)))
    np.testing.assert_allclose(g(np.zeros(2)), [2.0, 3.0])
    np.testing.assert_allclose(s2.get_value(), [3.0, 4.0])
    np.testing.assert_allclose(s.get_value(), [2.0, 3.0])  # the original is independent
