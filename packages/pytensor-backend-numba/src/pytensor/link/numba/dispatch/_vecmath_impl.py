"""Branch-free exp/log family for float64 and float32 that LLVM vectorizes (layer: pytensor-backend-numba).

numba calls scalar libm for ``np.exp`` & co. inside loops, which blocks SIMD;
NumPy uses SIMD kernels, so a fused loop calling libm loses to NumPy. These
functions use only arithmetic, integer bit operations (through bitcast
intrinsics) and selects, so a loop calling them vectorizes (AVX2/AVX-512).

Method (float64):

- exp, exp2: ``x = k*ln2 + r`` (Cody-Waite, ``k`` by the round-to-nearest shift
  trick), ``exp(r)`` by its Taylor polynomial to degree 13 (|r| <= ln2/2), the
  result scaled by ``2**k`` as two factors so overflow and denormal results
  are exact; x is clamped first, so inf/-inf/huge inputs need no branch.
- log, log2, log10, log1p: ``x = 2**k * z`` with z in [sqrt(2)/2, sqrt(2)),
  ``log(z)`` by fdlibm's kernel (``s = f/(2+f)`` and a degree-14 odd
  polynomial); denormals are scaled by 2**64 first; log1p adds the rounding
  error of ``1 + x``.
- expm1: ``2**k * expm1(r) + (2**k - 1)`` (exact for the k it is used for).

float32 inputs are computed in float64 and rounded once, so float32 results
are correctly rounded except in rare double-rounding cases (<= 1 ulp).
Accuracy (float64, against long-double references): <= 1 ulp on tested
ranges (tests/test_vecmath.py).
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir

import numba
from numba import types
from numba.extending import intrinsic

__all__ = [
    "vexp",
    "vexp2",
    "vexpm1",
    "vlog",
    "vlog1p",
    "vlog2",
    "vlog10",
]


@intrinsic
def _f2i(typingctx, x):  # type: ignore[no-untyped-def]
    """float64 -> int64 with the same bits."""
    if x != types.float64:
        return None

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def _i2f(typingctx, x):  # type: ignore[no-untyped-def]
    """int64 -> float64 with the same bits."""
    if x != types.int64:
        return None

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


@intrinsic
def _sel(typingctx, cond, a, b):  # type: ignore[no-untyped-def]
    """``a if cond else b`` as one LLVM ``select`` (no branch, no extra numba IR block)."""
    ta, tb = types.unliteral(a), types.unliteral(b)
    if not isinstance(cond, types.Boolean) or ta != tb:
        return None

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        va = context.cast(builder, args[1], a, ta)
        vb = context.cast(builder, args[2], b, tb)
        return builder.select(args[0], va, vb)

    return ta(cond, a, b), codegen


LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
INV_LN2 = 1.44269504088896338700e00
LN2 = 0.6931471805599453
SHIFT = 6755399441055744.0  # 1.5 * 2**52: adding it rounds to an integer in the low bits
SHIFT_BITS = 0x4338000000000000
SQRT_HALF_OFFSET = 0x3FE6A09E667F3BCD  # bits of sqrt(2)/2
MANT_MASK = 0x000FFFFFFFFFFFFF
TWO64 = 18446744073709551616.0
TINY = 2.2250738585072014e-308
INV_LN10 = 0.4342944819032518
LOG10_2_HI = 3.01029995663611771306e-01
LOG10_2_LO = 3.69423907715893078616e-13

LG1 = 6.666666666666735130e-01
LG2 = 3.999999999940941908e-01
LG3 = 2.857142874366239149e-01
LG4 = 2.222219843214978396e-01
LG5 = 1.818357216161805012e-01
LG6 = 1.531383769920937332e-01
LG7 = 1.479819860511658591e-01


@numba.njit(error_model="numpy")
def _exp_poly(r: float) -> float:
    """exp(r) - 1 - r for |r| <= 0.35 (Taylor to degree 13)."""
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    return r * r * p


@numba.njit(error_model="numpy")
def _pow2(k: int) -> float:
    """2**k for -1022 <= k <= 1023, from its bits."""
    return _i2f((k + 1023) << 52)


@numba.njit(error_model="numpy")
def _scale(p: float, ki: int) -> float:
    """p * 2**ki for |ki| <= 1100 without intermediate overflow or early underflow."""
    k1 = ki >> 1
    a = _pow2(k1)
    b = _pow2(ki - k1)
    return p * a * b


@numba.njit(error_model="numpy")
def _exp64(x: float) -> float:
    xc = _sel(x < 710.0, x, 710.0)
    xc = _sel(xc > -746.0, xc, -746.0)
    kd = xc * INV_LN2 + SHIFT
    ki = _f2i(kd) - SHIFT_BITS
    k = kd - SHIFT
    r = (xc - k * LN2_HI) - k * LN2_LO
    q = _exp_poly(r)
    p = 1.0 + (r + q)
    res = _scale(p, ki)
    return _sel(x == x, res, x)


@numba.njit(error_model="numpy")
def _exp2_64(x: float) -> float:
    xc = _sel(x < 1025.0, x, 1025.0)
    xc = _sel(xc > -1076.0, xc, -1076.0)
    kd = xc + SHIFT
    ki = _f2i(kd) - SHIFT_BITS
    r = (xc - (kd - SHIFT)) * LN2
    q = _exp_poly(r)
    p = 1.0 + (r + q)
    res = _scale(p, ki)
    return _sel(x == x, res, x)


@numba.njit(error_model="numpy")
def _expm1_64(x: float) -> float:
    xc = _sel(x < 710.0, x, 710.0)
    xc = _sel(xc > -50.0, xc, -50.0)
    kd = xc * INV_LN2 + SHIFT
    ki = _f2i(kd) - SHIFT_BITS
    k = kd - SHIFT
    r = (xc - k * LN2_HI) - k * LN2_LO
    q = _exp_poly(r)
    em = r + q
    # Moderate k: 2**k is exact and 2**k - 1 too (|k| <= 60 keeps both normal).
    kc = _sel(ki < 60, ki, 60)
    t = _pow2(kc)
    moderate = t * em + (t - 1.0)
    em1 = 1.0 + em
    large = _scale(em1, ki)
    res = _sel(ki < 60, moderate, large)
    res = _sel(x != 0.0, res, x)  # keeps -0.0
    return _sel(x == x, res, x)


@numba.njit(error_model="numpy")
def _log_parts(x: float) -> tuple[float, float, float, float]:
    """(k, f, s*(hfsq+R), hfsq) with x = 2**k (1 + f), f in [sqrt(2)/2 - 1, sqrt(2) - 1)."""
    sub = x < TINY
    xs = _sel(sub, x * TWO64, x)
    ix = _f2i(xs)
    tmp = ix - SQRT_HALF_OFFSET
    kk = tmp >> 52
    k = kk - _sel(sub, 64, 0)
    iz = ix - (kk << 52)
    f = _i2f(iz) - 1.0
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG2 + w * (LG4 + w * LG6))
    t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
    hfsq = 0.5 * f * f
    return float(k), f, s * (hfsq + t1 + t2), hfsq


@numba.njit(error_model="numpy")
def _log_special(x: float, res: float) -> float:
    """Fix up inputs outside (0, inf): nan for x < 0 or nan, -inf at 0, inf at inf."""
    res = _sel(x < np.inf, res, x)
    low = _sel(x == 0.0, -np.inf, np.nan)
    res = _sel(x > 0.0, res, low)
    return _sel(x == x, res, x)


@numba.njit(error_model="numpy")
def _log64(x: float) -> float:
    dk, f, sr, hfsq = _log_parts(x)
    res = dk * LN2_HI - ((hfsq - (sr + dk * LN2_LO)) - f)
    out = _log_special(x, res)
    return out


@numba.njit(error_model="numpy")
def _log2_64(x: float) -> float:
    dk, f, sr, hfsq = _log_parts(x)
    lz = f - (hfsq - sr)
    res = dk + lz * INV_LN2
    out = _log_special(x, res)
    return out


@numba.njit(error_model="numpy")
def _log10_64(x: float) -> float:
    dk, f, sr, hfsq = _log_parts(x)
    lz = f - (hfsq - sr)
    res = dk * LOG10_2_HI + (dk * LOG10_2_LO + lz * INV_LN10)
    out = _log_special(x, res)
    return out


@numba.njit(error_model="numpy")
def _log1p64(x: float) -> float:
    u = 1.0 + x
    dk, f, sr, hfsq = _log_parts(u)
    # u = 1 + x rounded; c/u corrects for the rounding error c = (1 + x) - u.
    c = _sel(dk > 0.0, 1.0 - (u - x), x - (u - 1.0))
    c = c / u
    res = dk * LN2_HI - ((hfsq - (sr + (dk * LN2_LO + c))) - f)
    res = _sel(u < np.inf, res, u)
    low = _sel(u == 0.0, -np.inf, np.nan)
    res = _sel(u > 0.0, res, low)
    res = _sel(x != 0.0, res, x)  # keeps -0.0
    return _sel(x == x, res, x)


for _f in (
    _exp_poly,
    _pow2,
    _scale,
    _exp64,
    _exp2_64,
    _expm1_64,
    _log_parts,
    _log_special,
    _log64,
    _log2_64,
    _log10_64,
    _log1p64,
):
    _f.__numba_inline__ = True


vexp = _exp64
vexp2 = _exp2_64
vexpm1 = _expm1_64
vlog = _log64
vlog2 = _log2_64
vlog10 = _log10_64
vlog1p = _log1p64
