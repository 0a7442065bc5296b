//! Statistics over replicates: the mean of a figure and a 95% interval for it.
//!
//! Replicates of one scenario differ only in their random streams, so their figures are
//! independent draws from one distribution. The interval is Student's t interval of the mean,
//! `mean ± t(0.975, n - 1) · sd / √n`: with the handful of replicates a run usually has, the
//! normal quantile 1.96 would make it far too narrow.
//!
//! Sums run in input (replicate) order, so the same values always give bit-identical results.

/// The mean of a figure over replicates, with a 95% interval of the mean.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Estimate {
    /// The mean of the finite values; NaN when there are none.
    pub mean: f64,
    /// Lower end of the 95% interval of the mean; NaN with fewer than two finite values.
    pub low: f64,
    /// Upper end of the 95% interval of the mean; NaN with fewer than two finite values.
    pub high: f64,
    /// Finite values the estimate rests on (NaN and infinite values are skipped).
    pub n: usize,
}

impl Estimate {
    /// Half the width of the interval; NaN when the interval is undefined.
    #[must_use]
    pub fn half_width(&self) -> f64 {
        (self.high - self.low) / 2.0
    }

    /// The estimate with its interval's ends held within `[low, high]`, the values the
    /// quantity can take.
    ///
    /// Clamping is honest here: the t-interval is symmetric about the mean by construction,
    /// while a share lies in [0, 1] and a count is never negative, so near a bound (a share of
    /// 99.5% over five replicates) the symmetric interval spills past what the quantity can
    /// be. Its part beyond the bound covers no possible value; cutting it off changes nothing
    /// the interval says about possible values. The mean, an average of values within the
    /// bounds, is within them already and is left as it is.
    #[must_use]
    pub fn clamped(self, (low, high): (f64, f64)) -> Estimate {
        let hold = |value: f64| {
            if value.is_finite() {
                value.clamp(low, high)
            } else {
                value
            }
        };
        Estimate {
            low: hold(self.low),
            high: hold(self.high),
            ..self
        }
    }
}

/// Units of figures that are never negative: counts of people, organs, patients, donations,
/// couples, beds, pieces, nights and events, and sums of years and kilometres.
pub const NON_NEGATIVE_UNITS: [&str; 13] = [
    "people",
    "organs",
    "patients",
    "life-years",
    "years",
    "donations",
    "beds",
    "donors",
    "km",
    "nights",
    "couples",
    "pieces",
    "events",
];

/// The values a figure of `unit` can take: [0, 1] for a `share`, [0, ∞) for the units of
/// [`NON_NEGATIVE_UNITS`], anything for a unit not known to be bounded.
#[must_use]
pub fn bounds(unit: &str) -> (f64, f64) {
    if unit == "share" {
        (0.0, 1.0)
    } else if NON_NEGATIVE_UNITS.contains(&unit) {
        (0.0, f64::INFINITY)
    } else {
        (f64::NEG_INFINITY, f64::INFINITY)
    }
}

/// The values a paired difference of figures of `unit` can take: [-1, 1] for shares (two
/// shares differ by a whole at most); a difference of counts can take either sign, unbounded.
#[must_use]
pub fn difference_bounds(unit: &str) -> (f64, f64) {
    if unit == "share" {
        (-1.0, 1.0)
    } else {
        (f64::NEG_INFINITY, f64::INFINITY)
    }
}

/// The mean of the finite `values` and the 95% Student t interval of that mean.
///
/// NaN and infinite values are skipped and not counted in `n`. With one finite value the
/// interval is undefined (`low` and `high` are NaN); with none, every field but `n` is NaN.
#[must_use]
pub fn estimate(values: &[f64]) -> Estimate {
    let mut n = 0_usize;
    let mut sum = 0.0;
    for &value in values.iter().filter(|v| v.is_finite()) {
        n += 1;
        sum += value;
    }
    if n == 0 {
        return Estimate {
            mean: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
            n: 0,
        };
    }
    #[allow(clippy::cast_precision_loss)] // Replicates number far fewer than 2^53.
    let count = n as f64;
    let mean = sum / count;
    if n == 1 {
        return Estimate {
            mean,
            low: f64::NAN,
            high: f64::NAN,
            n,
        };
    }
    // Two passes rather than a running sum of squares: the deviations are small beside the
    // values for counts in the hundreds of thousands, and the one-pass formula would cancel.
    let mut squares = 0.0;
    for &value in values.iter().filter(|v| v.is_finite()) {
        let deviation = value - mean;
        squares += deviation * deviation;
    }
    let sd = (squares / (count - 1.0)).sqrt();
    let half = t_975(n - 1) * sd / count.sqrt();
    // A sum of finite values can still overflow to infinity; report that as undefined.
    if !mean.is_finite() || !half.is_finite() {
        return Estimate {
            mean: if mean.is_finite() { mean } else { f64::NAN },
            low: f64::NAN,
            high: f64::NAN,
            n,
        };
    }
    Estimate {
        mean,
        low: mean - half,
        high: mean + half,
        n,
    }
}

/// The 0.975 quantile of Student's t for degrees of freedom 1 to 30, as printed in the tables.
const T_975_TABLE: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, // 1-10
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, // 11-20
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042, // 21-30
];

/// Table points past 30 (degrees of freedom, quantile), ending at infinity as the normal 1.960.
const T_975_TAIL: [(f64, f64); 8] = [
    (30.0, 2.042),
    (40.0, 2.021),
    (50.0, 2.009),
    (60.0, 2.000),
    (80.0, 1.990),
    (100.0, 1.984),
    (120.0, 1.980),
    (f64::INFINITY, 1.960),
];

/// The 0.975 quantile of Student's t with `df` degrees of freedom: the factor of a two-sided
/// 95% interval.
///
/// Exact table values (to three decimals) for 1 to 30 and at 40, 50, 60, 80, 100 and 120;
/// between table points, linear in `1 / df`, which is how the tables are meant to be read and
/// is accurate to the third decimal; tends to 1.960. NaN for `df == 0`.
#[must_use]
pub fn t_975(df: usize) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    if df <= T_975_TABLE.len() {
        return T_975_TABLE[df - 1];
    }
    #[allow(clippy::cast_precision_loss)] // Past 2^53 the quantile is 1.96 to any precision.
    let df = df as f64;
    let x = 1.0 / df;
    for pair in T_975_TAIL.windows(2) {
        let (df_low, t_low) = pair[0];
        let (df_high, t_high) = pair[1];
        if df <= df_high {
            let x_low = 1.0 / df_low;
            let x_high = 1.0 / df_high; // 0 at infinity.
            return t_high + (t_low - t_high) * (x - x_high) / (x_low - x_high);
        }
    }
    unreachable!("the last table point is at infinity")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_975_matches_the_table() {
        assert!(t_975(0).is_nan());
        let expected = [
            (1, 12.706),
            (2, 4.303),
            (3, 3.182),
            (4, 2.776),
            (5, 2.571),
            (6, 2.447),
            (7, 2.365),
            (8, 2.306),
            (9, 2.262),
            (10, 2.228),
            (15, 2.131),
            (20, 2.086),
            (25, 2.060),
            (30, 2.042),
            (40, 2.021),
            (50, 2.009),
            (60, 2.000),
            (80, 1.990),
            (100, 1.984),
            (120, 1.980),
        ];
        for (df, t) in expected {
            assert!(
                (t_975(df) - t).abs() < 1e-12,
                "df {df}: {} != {t}",
                t_975(df)
            );
        }
    }

    #[test]
    fn t_975_falls_monotonically_towards_the_normal_quantile() {
        // Goal: interpolation never rises between table points and never crosses 1.96.
        let mut previous = t_975(1);
        for df in 2..10_000 {
            let t = t_975(df);
            assert!(t <= previous, "df {df}: {t} > {previous}");
            assert!(t > 1.96, "df {df}: {t}");
            previous = t;
        }
        assert!((t_975(usize::MAX) - 1.96).abs() < 1e-9);
        // The true value at 35 is 2.030; linear in 1/df gives it to the third decimal.
        assert!((t_975(35) - 2.030).abs() < 0.001, "{}", t_975(35));
    }

    #[test]
    fn estimate_of_one_to_five() {
        let e = estimate(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.n, 5);
        assert_eq!(e.mean, 3.0);
        let half = 2.776 * 2.5_f64.sqrt() / 5.0_f64.sqrt();
        assert!((e.high - 3.0 - half).abs() < 1e-12, "{e:?}");
        assert!((3.0 - e.low - half).abs() < 1e-12, "{e:?}");
        assert!((e.half_width() - half).abs() < 1e-12);
    }

    #[test]
    fn estimate_skips_nan_and_infinity() {
        let e = estimate(&[f64::NAN, 1.0, f64::INFINITY, 2.0, 3.0, f64::NEG_INFINITY]);
        assert_eq!(e.n, 3);
        assert_eq!(e.mean, 2.0);
        let half = 4.303 * 1.0 / 3.0_f64.sqrt();
        assert!((e.high - 2.0 - half).abs() < 1e-12, "{e:?}");
    }

    #[test]
    fn estimate_of_one_or_no_values() {
        let one = estimate(&[f64::NAN, 7.5]);
        assert_eq!(one.n, 1);
        assert_eq!(one.mean, 7.5);
        assert!(one.low.is_nan() && one.high.is_nan());

        for values in [&[][..], &[f64::NAN, f64::NAN][..]] {
            let none = estimate(values);
            assert_eq!(none.n, 0);
            assert!(none.mean.is_nan() && none.low.is_nan() && none.high.is_nan());
        }
    }

    #[test]
    fn estimate_of_equal_values_has_zero_width() {
        let e = estimate(&[4.0; 6]);
        assert_eq!((e.mean, e.low, e.high, e.n), (4.0, 4.0, 4.0, 6));
    }

    #[test]
    fn estimate_does_not_overflow_into_infinity() {
        let e = estimate(&[f64::MAX, f64::MAX]);
        assert_eq!(e.n, 2);
        assert!(
            e.mean.is_nan() && e.low.is_nan() && e.high.is_nan(),
            "{e:?}"
        );
    }

    #[test]
    fn a_share_interval_stays_within_nought_and_one() {
        // Four replicates at 100% and one at 90%: the symmetric interval reaches past 100%.
        let values = [1.0, 1.0, 1.0, 1.0, 0.9];
        let raw = estimate(&values);
        assert!(raw.high > 1.0, "the case tested: {raw:?}");
        let held = raw.clamped(bounds("share"));
        assert_eq!((held.mean, held.high, held.n), (raw.mean, 1.0, 5));
        assert_eq!(held.low, raw.low, "the other end is not moved");
        // And below zero.
        let low = estimate(&[0.0, 0.0, 0.0, 0.02]).clamped(bounds("share"));
        assert_eq!(low.low, 0.0);
        assert!(low.high > 0.0 && low.high < 1.0);
    }

    #[test]
    fn a_count_interval_is_never_negative_and_a_difference_may_be() {
        let raw = estimate(&[0.0, 0.0, 0.0, 3.0]);
        assert!(raw.low < 0.0, "the case tested: {raw:?}");
        for unit in NON_NEGATIVE_UNITS {
            let held = raw.clamped(bounds(unit));
            assert_eq!((held.low, held.high), (0.0, raw.high), "{unit}");
        }
        assert_eq!(raw.clamped(difference_bounds("people")), raw);
        let shares = estimate(&[-1.0, -1.0, -0.8]).clamped(difference_bounds("share"));
        assert_eq!(shares.low, -1.0);
        // Undefined ends stay undefined; an unknown unit is not bounded.
        let one = estimate(&[7.0]).clamped(bounds("share"));
        assert!(one.low.is_nan() && one.high.is_nan());
        assert_eq!(raw.clamped(bounds("degrees")), raw);
    }

    /// Every figure's unit is known to be a share or never negative, so every interval the
    /// tables print is clamped: a figure with a new unit must be placed in
    /// [`NON_NEGATIVE_UNITS`] (or be known to take negative values, and be listed here).
    #[test]
    fn every_figure_unit_has_known_bounds() {
        const SIGNED_UNITS: [&str; 0] = [];
        for figure in crate::FIGURES {
            assert!(
                figure.unit == "share"
                    || NON_NEGATIVE_UNITS.contains(&figure.unit)
                    || SIGNED_UNITS.contains(&figure.unit),
                "figure `{}` has unit `{}`: say in interval.rs whether it can be negative",
                figure.key,
                figure.unit
            );
        }
    }

    #[test]
    fn estimate_is_bit_identical_on_repeat() {
        let values: Vec<f64> = (0..1000)
            .map(|i| (f64::from(i) * 0.1).sin() * 1e6)
            .collect();
        let a = estimate(&values);
        let b = estimate(&values);
        assert_eq!(a.mean.to_bits(), b.mean.to_bits());
        assert_eq!(a.low.to_bits(), b.low.to_bits());
        assert_eq!(a.high.to_bits(), b.high.to_bits());
    }
}
