"""C sources of the modified Bessel functions I_v, K_v (and their exponentially scaled
forms) of real order, in double precision (layer: pytensor-backend-c).

I_v: the power series (scaled so it neither overflows nor underflows) below x = 30
or where v**2 is large against x, Hankel's asymptotic expansion beyond. K_v:
Temme's series for x < 2 and Steed's continued fraction beyond, for the order
mu = v - round(v) and mu + 1, then forward recurrence up to v. J_v: the power series for x < 4, Hankel's
expansion for x > 25 where v**2 < x / 2, Miller's backward recurrence normalised
by Neumann's identity (z/2)^v = sum (v+2k) Gamma(v+k)/k! J_(v+2k)(z) elsewhere
(then forward-stable downward recurrence into negative orders). Edge values
follow SciPy (``iv(v, inf)`` and ``ive(inf, x)`` are NaN, ...).
"""

from __future__ import annotations

__all__ = ["BESSEL_I", "BESSEL_J", "BESSEL_K"]

BESSEL_I = r"""
/* I_v(x) e^(-x * scaled) by its power series; x > 0, v not a negative integer. */
static inline double pt_sf_iv_series(double v, double x, int scaled)
{
    double h = 0.5 * x, q = h * h, t0, logt0 = 0.0, sum = 1.0, r = 1.0, logscale = 0.0;
    double g = tgamma(v + 1.0), sign = 1.0;
    int use_log;
    t0 = pow(h, v) / g;
    if (scaled) t0 *= exp(-x);
    /* exp(-x) must stay a normal number for t0 to keep its precision */
    use_log = !(isfinite(t0) && fabs(t0) > 1e-290 && isfinite(g) && g != 0 && x < 700.0);
    if (use_log) {
        /* (x/2)^v / Gamma(v+1) in logarithms; the sign of Gamma(v+1) for v + 1 < 0 */
        if (v + 1.0 < 0 && fmod(floor(v + 1.0), 2.0) != 0) sign = -1.0;
        logt0 = v * log(h) - lgamma(v + 1.0) - (scaled ? x : 0.0);
    }
    for (int k = 1; k < 100000; k++) {
        r *= q / (k * (k + v));
        sum += r;
        if (fabs(sum) > 1e280) {
            sum *= 1e-280;
            r *= 1e-280;
            logscale += 644.72382603833279;  /* 280 log(10) */
        }
        if (k > -v && fabs(r) <= 1e-17 * fabs(sum)) break;
    }
    if (!use_log && logscale == 0.0) return t0 * sum;
    if (!use_log) return copysign(exp(log(fabs(t0)) + logscale + log(fabs(sum))), t0 * sum);
    return sign * copysign(exp(logt0 + logscale + log(fabs(sum))), sum);
}

/* Hankel's expansion: sqrt(2 pi x) e^(-x) I_v(x) for large x. */
static inline double pt_sf_iv_asym(double v, double x)
{
    double mu = 4.0 * v * v, term = 1.0, sum = 1.0;
    for (int k = 1; k < 200; k++) {
        double odd = 2.0 * k - 1.0, next = term * -(mu - odd * odd) / (8.0 * k * x);
        if (fabs(next) > fabs(term)) break;
        term = next;
        sum += term;
        if (fabs(term) <= 1e-17 * fabs(sum)) break;
    }
    return sum / sqrt(2.0 * M_PI * x);
}

/* I_v(x) (scaled: I_v(x) e^(-|x|)) for real v and x, SciPy's conventions. */
static inline double pt_sf_iv(double v, double x, int scaled)
{
    double sign = 1.0, res;
    if (isnan(v) || isnan(x) || isinf(x)) return NAN;
    if (isinf(v)) return scaled ? NAN : 0.0;
    if (v < 0 && v == floor(v)) v = -v; /* I_-n = I_n */
    if (x < 0) {
        if (v != floor(v)) return NAN;
        if (fmod(v, 2.0) != 0) sign = -1.0;
        x = -x;
    }
    if (x == 0) {
        if (v == 0) return 1.0;
        if (v > 0) return 0.0;
        return scaled ? NAN : INFINITY;
    }
    /* Hankel's terms first grow like (v^2 / 2x)^k / k!: only for v^2 < x */
    if (x > 30.0 && v * v < x) {
        res = pt_sf_iv_asym(v, x);
        if (!scaled) {
            /* e^x in two halves: I_v stays finite a little beyond exp's overflow */
            double e = exp(0.5 * x);
            res = (res * e) * e;
        }
    } else {
        res = pt_sf_iv_series(v, x, scaled);
    }
    return sign * res;
}
"""

BESSEL_K = r"""
/* Taylor coefficients of 1/Gamma(1 + z). */
static const double pt_sf_rgam_coef[23] = {
    1, 0.57721566490153287, -0.6558780715202539, -0.042002635034095258, 0.16653861138229153,
    -0.042197734555544299, -0.0096219715278769904, 0.0072189432466631042,
    -0.0011651675918590565, -0.00021524167411496938, 0.00012805028238811468,
    -2.013485478078649e-05, -1.2504934821522262e-06, 1.1330272320022937e-06,
    -2.0563384170050165e-07, 6.1160950970418074e-09, 5.002007641419226e-09,
    -1.1812745683586707e-09, 1.0434265797066979e-10, 7.7822543730869586e-12,
    -3.6967984229363541e-12, 5.1004703106541244e-13, -2.0579497701915403e-14};

/* Temme's series for K_mu(x), K_mu+1(x); |mu| <= 1/2, 0 < x < 2. */
static inline void pt_sf_kv_temme(double mu, double x, double *kmu, double *kmu1)
{
    double gam1 = 0.0, gam2 = 0.0, zk = 1.0, rg_plus, rg_minus;
    double h = 0.5 * x, d, e, fact, fact2, ff, sum, sum1, p, q, c, del, del1, pimu = M_PI * mu;
    /* gam1 = (1/G(1-mu) - 1/G(1+mu)) / (2 mu), gam2 = (1/G(1-mu) + 1/G(1+mu)) / 2 */
    for (int k = 0; k < 23; k++) {
        if (k % 2) gam1 -= pt_sf_rgam_coef[k] * zk / mu;
        else gam2 += pt_sf_rgam_coef[k] * zk;
        zk *= mu;
    }
    if (mu == 0) gam1 = -pt_sf_rgam_coef[1];
    rg_plus = gam2 - mu * gam1;   /* 1 / Gamma(1 + mu) */
    rg_minus = gam2 + mu * gam1;  /* 1 / Gamma(1 - mu) */
    d = -log(h);
    e = mu * d;
    fact = fabs(pimu) < 1e-15 ? 1.0 : pimu / sin(pimu);
    fact2 = fabs(e) < 1e-15 ? 1.0 : sinh(e) / e;
    ff = fact * (gam1 * cosh(e) + gam2 * fact2 * d);
    sum = ff;
    e = exp(e);
    p = 0.5 * e / rg_plus;
    q = 0.5 / (e * rg_minus);
    c = 1.0;
    d = h * h;
    sum1 = p;
    for (int i = 1; i < 500; i++) {
        ff = (i * ff + p + q) / (i * (double)i - mu * mu);
        c *= d / i;
        p /= i - mu;
        q /= i + mu;
        del = c * ff;
        sum += del;
        del1 = c * (p - i * ff);
        sum1 += del1;
        if (fabs(del) < 1e-17 * fabs(sum)) break;
    }
    *kmu = sum;
    *kmu1 = sum1 * 2.0 / x;
}

/* Steed's continued fraction: e^x K_mu(x), e^x K_mu+1(x); x >= 2. */
static inline void pt_sf_kv_steed(double mu, double x, double *kmu, double *kmu1)
{
    double b = 2.0 * (1.0 + x), d = 1.0 / b, h = d, delh = d, q1 = 0.0, q2 = 1.0;
    double a1 = 0.25 - mu * mu, q = a1, c = a1, a = -a1, s = 1.0 + q * delh, dels, qnew;
    for (int i = 2; i < 100000; i++) {
        a -= 2 * (i - 1);
        c = -a * c / i;
        qnew = (q1 - b * q2) / a;
        q1 = q2;
        q2 = qnew;
        q += c * qnew;
        b += 2.0;
        d = 1.0 / (b + a * d);
        delh = (b * d - 1.0) * delh;
        h += delh;
        dels = q * delh;
        s += dels;
        if (fabs(dels) < 1e-17 * fabs(s)) break;
    }
    *kmu = sqrt(M_PI / (2.0 * x)) / s;
    *kmu1 = *kmu * (mu + x + 0.5 - a1 * h) / x;
}

/* K_v(x) (scaled: K_v(x) e^x) for real v and x, SciPy's conventions. */
static inline double pt_sf_kv(double v, double x, int scaled)
{
    double mu, kmu, kmu1, next;
    long n;
    if (isnan(x) || x < 0) return NAN;
    if (x == 0) return INFINITY;
    if (isnan(v)) return NAN;
    if (isinf(v)) return NAN;
    if (isinf(x)) return scaled ? NAN : 0.0;
    v = fabs(v);
    n = (long)floor(v + 0.5);
    mu = v - (double)n;
    if (x < 2.0) {
        pt_sf_kv_temme(mu, x, &kmu, &kmu1);
        if (scaled) {
            double e = exp(x);
            kmu *= e;
            kmu1 *= e;
        }
    } else {
        pt_sf_kv_steed(mu, x, &kmu, &kmu1);
        if (!scaled) {
            double e = exp(-x);
            kmu *= e;
            kmu1 *= e;
        }
    }
    for (long i = 1; i <= n; i++) {
        next = (mu + i) * (2.0 / x) * kmu1 + kmu;
        kmu = kmu1;
        kmu1 = next;
        if (isinf(kmu)) return INFINITY;
    }
    return kmu;
}
"""

BESSEL_J = r"""
/* J_v(x) by its power series (x > 0 small) */
static inline double pt_sf_jv_series(double v, double x)
{
    double h = 0.5 * x, q = -h * h, g = tgamma(v + 1.0), t0, sum = 1.0, r = 1.0;
    t0 = pow(h, v) / g;
    if (!isfinite(g) || !isfinite(t0)) {
        double sign = (v + 1.0 < 0 && fmod(floor(v + 1.0), 2.0) != 0) ? -1.0 : 1.0;
        t0 = sign * exp(v * log(h) - lgamma(v + 1.0));
    }
    for (int k = 1; k < 1000; k++) {
        r *= q / (k * (k + v));
        sum += r;
        if (k > -v && fabs(r) <= 1e-17 * fabs(sum)) break;
    }
    return t0 * sum;
}

/* Hankel's expansion of J_v(x), x large against v^2 */
static inline double pt_sf_jv_asym(double v, double x)
{
    double mu = 4.0 * v * v, p = 1.0, q = 0.0, term = 1.0, phase, s, c;
    for (int k = 1; k < 400; k++) {
        double odd = 2.0 * k - 1.0, next = term * (mu - odd * odd) / (8.0 * k * x);
        if (fabs(next) > fabs(term) && k > 2) break;
        term = next;
        /* terms k = 1, 2, 3, 4, ... go to q, -p, -q, p, ... */
        switch (k % 4) {
            case 1: q += term; break;
            case 2: p -= term; break;
            case 3: q -= term; break;
            default: p += term; break;
        }
        if (fabs(term) <= 1e-17 * (fabs(p) + fabs(q))) break;
    }
    /* cos(x - phase) and sin(x - phase) from sin/cos of x itself (exact reduction) */
    phase = (0.5 * v + 0.25) * M_PI;
    s = sin(x) * cos(phase) - cos(x) * sin(phase);
    c = cos(x) * cos(phase) + sin(x) * sin(phase);
    return sqrt(2.0 / (M_PI * x)) * (p * c - q * s);
}

/* J_v(x) for x > 0, v >= 0 by Miller's algorithm; *next receives J_(v+1)(x) */
static inline double pt_sf_jv_miller(double v, double x, double *next)
{
    double v0 = v - floor(v), f1 = 0.0, f = 1e-300, sum = 0.0, d, want = 0.0, want1 = 0.0;
    long n = (long)floor(v), top, j;
    double start = fmax((double)n, x) + 40.0 + 10.0 * cbrt(x);
    top = 2 * (long)ceil(0.5 * start);
    /* d_j = Gamma(v0 + j) / j! for the Neumann weights (v0 + 2j) d_j, weight of j = 0 is Gamma(v0+1) */
    d = tgamma(v0 + 1.0);
    for (j = 1; j < top / 2; j++) d *= (v0 + j) / (j + 1.0);
    /* f_k stands for J_(v0 + k) up to a common factor; walk k from top down to 0 */
    for (long k = top; k >= 0; k--) {
        double fk;
        if (k == top) {
            fk = f;
        } else {
            fk = 2.0 * (v0 + k + 1.0) / x * f - f1;
            f1 = f;
            f = fk;
        }
        if (k == n) want = fk;
        if (k == n + 1) want1 = fk;
        if (k % 2 == 0) {
            long jj = k / 2;
            sum += (jj == 0 ? 1.0 : v0 + 2.0 * jj) * d * fk;
            if (jj > 1) d *= jj / (v0 + jj - 1.0);
            else if (jj == 1) d = tgamma(v0 + 1.0);
        }
        if (fabs(f) > 1e250) {
            f *= 1e-250;
            f1 *= 1e-250;
            sum *= 1e-250;
            want *= 1e-250;
            want1 *= 1e-250;
        }
    }
    d = pow(0.5 * x, v0) / sum;
    *next = want1 * d;
    return want * d;
}

static inline double pt_sf_jv(double v, double x)
{
    double sign = 1.0;
    if (isnan(v) || isnan(x) || isinf(x)) return NAN;
    if (isinf(v)) return x < 0 ? NAN : 0.0;
    if (x < 0) {
        if (v != floor(v)) return NAN;
        if (fmod(v, 2.0) != 0) sign = -1.0;
        x = -x;
    }
    if (v < 0 && v == floor(v)) {
        /* J_-n = (-1)^n J_n */
        if (fmod(v, 2.0) != 0) sign = -sign;
        v = -v;
    }
    if (x == 0) {
        if (v == 0) return sign;
        return v > 0 ? 0.0 : INFINITY;
    }
    if (x < 4.0 || (v < 0 && x * x < 4.0 * (1.0 - v))) return sign * pt_sf_jv_series(v, x);
    if (x > 25.0 && v * v < 0.5 * x) return sign * pt_sf_jv_asym(v, x);
    if (v >= 0) {
        double nxt;
        return sign * pt_sf_jv_miller(v, x, &nxt);
    }
    {
        /* negative non-integer order: J at v0 and v0 + 1, then down (J_-v dominates) */
        double v0 = v - floor(v), jn1, jn = pt_sf_jv_miller(v0, x, &jn1), prev;
        for (double nu = v0; nu > v + 0.5; nu -= 1.0) {
            prev = 2.0 * nu / x * jn - jn1;
            jn1 = jn;
            jn = prev;
        }
        return sign * jn;
    }
}
"""
