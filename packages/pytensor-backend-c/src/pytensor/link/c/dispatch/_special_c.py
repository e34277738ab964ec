"""C sources of the special functions (double precision) used by
:mod:`pytensor.link.c.dispatch.scalar_math` (layer: pytensor-backend-c).

Each constant is one support snippet; a snippet only calls libm and the
snippets listed before it in the kernel's ``support`` tuple. Edge values
(NaN, infinities, poles, arguments outside the domain) follow SciPy's results.
Methods: psi by upward recurrence to an asymptotic series (and a Taylor series
at its positive root), Hurwitz zeta by Euler-Maclaurin summation, erfcx from
libm's erfc with an exactly split ``exp(x**2)`` (asymptotic series beyond 26),
the inverse error functions by Newton's method on libm's erf/erfc, Owen's T by
Gauss-Legendre quadrature (|a| <= 1) and the reflection T(h, a) + T(ah, 1/a).
"""

from __future__ import annotations

__all__ = [
    "BESSEL_J01",
    "ERFCX",
    "ERFINV",
    "GAMMALN",
    "OWENS_T",
    "POLYGAMMA",
    "PSI",
    "ZETA",
]

GAMMALN = r"""
static inline double pt_sf_gammaln(double x)
{
    /* SciPy: gammaln(-inf) is -inf (libm's lgamma gives +inf). */
    if (isinf(x)) return x;
    return lgamma(x);
}
"""

BESSEL_J01 = r"""
static inline double pt_sf_j0(double x) { return isinf(x) ? NAN : j0(x); }
static inline double pt_sf_j1(double x) { return isinf(x) ? NAN : j1(x); }
"""

PSI = r"""
/* Taylor coefficients of psi at its positive root x0 = hi + lo: (-1)^(n+1) zeta(n+1, x0). */
static const double pt_sf_psi_root_coef[18] = {
    0.96767224544762143, -0.44276316898359214, 0.25849976095565119, -0.16394270544240658,
    0.10782405069126239, -0.072199561256454756, 0.048804288164143145, -0.033161126474847376,
    0.022597648232218125, -0.015424765904948968, 0.010538791616612182, -0.0072045343863568747,
    0.0049267813957298576, -0.0033698016554393317, 0.0023051263267349301,
    -0.0015769367714301987, 0.0010788252019162975, -0.00073807093899600602};

static inline double pt_sf_psi_asym(double x)
{
    /* psi(x) ~ log(x) - 1/(2x) - sum B_2k / (2k x^2k), for x >= 10. */
    double z = 1.0 / (x * x);
    double s = z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132
               - z * (691.0 / 32760 - z * (1.0 / 12 - z * (3617.0 / 8160))))))));
    return log(x) - 0.5 / x - s;
}

static inline double pt_sf_psi(double x)
{
    if (isnan(x) || x == INFINITY) return x;
    if (x == 0) return -1.0 / x; /* -inf at +0, +inf at -0 (SciPy) */
    if (x < 0) {
        double r, cot;
        if (x == floor(x)) return NAN;
        /* reflection psi(x) = psi(1 - x) - pi cot(pi x); cot(pi r) for r = x mod 1, exactly */
        r = x - floor(x);
        cot = r <= 0.5 ? 1.0 / tan(M_PI * r) : -1.0 / tan(M_PI * (1.0 - r));
        return pt_sf_psi(1.0 - x) - M_PI * cot;
    }
    {
        double t = (x - 1.4616321449683622) - 9.549995429965697e-17;
        if (fabs(t) < 0.1) {
            double s = 0.0;
            for (int k = 17; k >= 0; k--) s = (s + pt_sf_psi_root_coef[k]) * t;
            return s;
        }
    }
    {
        double acc = 0.0;
        while (x < 10.0) {
            acc += 1.0 / x;
            x += 1.0;
        }
        return pt_sf_psi_asym(x) - acc;
    }
}
"""

ZETA = r"""
/* B_2j / (2j)! for the Euler-Maclaurin correction terms. */
static const double pt_sf_zeta_em[13] = {
    0.083333333333333329, -0.0013888888888888889, 3.3068783068783071e-05,
    -8.2671957671957675e-07, 2.08767569878681e-08, -5.2841901386874932e-10,
    1.3382536530684679e-11, -3.3896802963225827e-13, 8.5860620562778452e-15,
    -2.1748686985580619e-16, 5.5090028283602295e-18, -1.3954464685812522e-19,
    3.5347070396294673e-21};

/* Hurwitz zeta sum_{k>=0} (q + k)^-s, s > 1 (SciPy's zeta(s, q), also for negative q). */
static inline double pt_sf_zeta(double s, double q)
{
    double sum = 0.0, a, term, fac, apow, a2;
    if (isnan(s) || isnan(q)) return NAN;
    if (s == 1.0) return INFINITY;
    if (s < 1.0) return NAN;
    if (q <= 0.0 && q == floor(q)) return INFINITY;
    if (q == INFINITY) return 0.0;
    if (q < -1e7) return NAN; /* too many direct terms; SciPy loops on them */
    a = q;
    /* direct terms up to a >= 10 (at least 10 of them), stopping early when negligible */
    for (int k = 0; k < 10 || a < 10.0; k++) {
        term = pow(a, -s);
        sum += term;
        a += 1.0;
        if (k >= 10 && fabs(term) <= 1e-17 * fabs(sum)) return sum;
    }
    /* Euler-Maclaurin tail at a */
    apow = pow(a, -s);
    sum += a * apow / (s - 1.0) + 0.5 * apow;
    a2 = 1.0 / (a * a);
    fac = s * apow / a; /* s (s+1) ... (s+2j-2) a^(-s-2j+1) for j = 1 */
    for (int j = 0; j < 13; j++) {
        term = pt_sf_zeta_em[j] * fac;
        sum += term;
        if (fabs(term) <= 1e-17 * fabs(sum)) break;
        fac *= (s + 2 * j + 1) * (s + 2 * j + 2) * a2;
    }
    return sum;
}
"""

POLYGAMMA = r"""
static inline double pt_sf_polygamma(double n, double x)
{
    /* SciPy: (-1)^(n+1) gamma(n+1) zeta(n+1, x), psi(x) for n == 0 */
    double sign;
    if (n == 0) return pt_sf_psi(x);
    if (isnan(n) || n != floor(n)) return NAN;
    sign = fmod(n, 2.0) == 0.0 ? -1.0 : 1.0;
    return sign * tgamma(n + 1.0) * pt_sf_zeta(n + 1.0, x);
}
"""

ERFCX = r"""
/* exp(x*x) with x*x split exactly into hi + lo (exp(hi) (1 + lo)). */
static inline double pt_sf_expx2(double x)
{
    double hi = x * x, lo = fma(x, x, -hi), e = exp(hi);
    return isinf(e) ? e : e + e * lo;
}

static inline double pt_sf_erfcx(double x)
{
    if (isnan(x)) return x;
    if (x < 26.0) {
        if (x < -26.7) return INFINITY;
        return pt_sf_expx2(x) * erfc(x);
    }
    {
        /* erfcx(x) ~ 1/(x sqrt(pi)) sum (-1)^k (2k-1)!! / (2x^2)^k */
        double z = 0.5 / (x * x), term = 1.0, sum = 1.0;
        for (int k = 1; k < 30; k++) {
            term *= -(2 * k - 1) * z;
            sum += term;
            if (fabs(term) < 1e-17) break;
        }
        return sum / (x * 1.7724538509055160273);
    }
}
"""

ERFINV = r"""
/* x >= 0 with erfc(x) == z, 0 < z <= 0.5: Newton's method on log(erfc). */
static inline double pt_sf_erfcinv_small(double z)
{
    double t = -log(z), x = sqrt(t - 0.5 * log(M_PI * t)), lz = log(z);
    if (!(x > 0.3)) x = 0.3;
    for (int it = 0; it < 60; it++) {
        double lerfc = x < 26.0 ? log(erfc(x)) : log(pt_sf_erfcx(x)) - x * x;
        double dx = (lerfc - lz) * 0.88622692545275801365 * pt_sf_erfcx(x);
        x += dx;
        if (fabs(dx) <= 1e-16 * x) break;
    }
    return x;
}

/* 0 <= y <= 0.5: Newton's method on erf from the Maclaurin series of erfinv. */
static inline double pt_sf_erfinv_small(double y)
{
    double z = 0.88622692545275801365 * y, z2 = z * z;
    double x = z * (1.0 + z2 * (1.0 / 3 + z2 * (7.0 / 30 + z2 * (127.0 / 630))));
    for (int it = 0; it < 20 && x != 0; it++) {
        double dx = (erf(x) - y) * 0.88622692545275801365 * exp(x * x);
        x -= dx;
        if (fabs(dx) <= 1e-16 * x) break;
    }
    return x;
}

static inline double pt_sf_erfinv(double y)
{
    double ay = fabs(y), x;
    if (isnan(y) || ay > 1.0) return NAN;
    if (ay == 1.0) return copysign(INFINITY, y);
    if (y == 0) return y;
    x = ay <= 0.5 ? pt_sf_erfinv_small(ay) : pt_sf_erfcinv_small(1.0 - ay);
    return copysign(x, y);
}

static inline double pt_sf_erfcinv(double z)
{
    if (isnan(z) || z < 0.0 || z > 2.0) return NAN;
    if (z == 0.0) return INFINITY;
    if (z == 2.0) return -INFINITY;
    if (z < 0.5) return pt_sf_erfcinv_small(z);
    if (z <= 1.5) return -pt_sf_erfinv(z - 1.0); /* z - 1 is exact here */
    return -pt_sf_erfcinv_small(2.0 - z);
}
"""

OWENS_T = r"""
/* 20-point Gauss-Legendre rule on [-1, 1] (the positive half; the rule is symmetric) */
static const double pt_sf_gl_x[10] = {
    0.076526521133497338, 0.22778585114164507, 0.37370608871541955, 0.51086700195082713,
    0.63605368072651502, 0.7463319064601508, 0.83911697182221878, 0.91223442825132595,
    0.96397192727791381, 0.993128599185095};
static const double pt_sf_gl_w[10] = {
    0.15275338713072628, 0.14917298647260424, 0.1420961093183824, 0.13168863844917689,
    0.11819453196151861, 0.10193011981724071, 0.083276741576704713, 0.06267204833410879,
    0.040601429800386446, 0.017614007139150893};

/* T(h, a) for h >= 0, 0 <= a <= 1: exp(-h^2/2)/(2 pi) int_0^a exp(-h^2 x^2/2)/(1+x^2) dx */
static inline double pt_sf_owens_t_quad(double h, double a)
{
    /* the Gaussian factor is below 1e-40 beyond 13.6 / h; panels no wider than 1 / h */
    double end = h > 0 ? fmin(a, 13.6 / h) : a, width = h > 1 ? 1.0 / h : 1.0, sum = 0.0;
    int panels = (int)ceil(end / width);
    double hh = 0.5 * h * h;
    if (panels < 1) panels = 1;
    width = end / panels;
    for (int p = 0; p < panels; p++) {
        double mid = (p + 0.5) * width, half = 0.5 * width, part = 0.0;
        for (int k = 0; k < 10; k++) {
            double x1 = mid - half * pt_sf_gl_x[k], x2 = mid + half * pt_sf_gl_x[k];
            part += pt_sf_gl_w[k] * (exp(-hh * x1 * x1) / (1.0 + x1 * x1)
                                     + exp(-hh * x2 * x2) / (1.0 + x2 * x2));
        }
        sum += part * half;
    }
    return exp(-hh) * sum / (2.0 * M_PI);
}

static inline double pt_sf_owens_t(double h, double a)
{
    double ah, qh, qah, res;
    if (isnan(h) || isnan(a)) return NAN;
    if (a < 0) return -pt_sf_owens_t(h, -a);
    h = fabs(h);
    if (isinf(h) || a == 0) return 0.0;
    if (isinf(a)) return 0.25 * erfc(h * M_SQRT1_2);
    if (a <= 1.0) return pt_sf_owens_t_quad(h, a);
    /* T(h, a) = (Q(h) + Q(ah)) / 2 - Q(h) Q(ah) - T(ah, 1/a), Q the normal upper tail */
    ah = a * h;
    qh = 0.5 * erfc(h * M_SQRT1_2);
    qah = 0.5 * erfc(ah * M_SQRT1_2);
    res = 0.5 * (qh + qah) - qh * qah - pt_sf_owens_t_quad(ah, 1.0 / a);
    return res;
}
"""
