//! Random draws the institutions share, over the engine's streams.

use hailsham_engine::{DAYS_PER_YEAR, Stream};
use rand::RngExt;
use rand_distr::{Binomial, Distribution, Poisson};

/// Whole days in `years` years, rounded.
#[inline]
pub(crate) fn days(years: f64) -> u32 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let days = (years * DAYS_PER_YEAR).round().max(0.0) as u32;
    days
}

/// A duration in days, rounded to whole days.
#[inline]
pub(crate) fn whole_days(days: f64) -> u32 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let days = days.round().clamp(0.0, f64::from(u32::MAX / 2)) as u32;
    days
}

/// True with probability `p` (clamped to 0..=1).
#[inline]
pub(crate) fn chance(rng: &mut Stream, p: f64) -> bool {
    if p <= 0.0 {
        false
    } else if p >= 1.0 {
        true
    } else {
        rng.random::<f64>() < p
    }
}

/// A uniform real in [0, 1).
#[inline]
pub(crate) fn unit(rng: &mut Stream) -> f64 {
    rng.random::<f64>()
}

/// A uniform index below `n` (n > 0).
#[inline]
pub(crate) fn index(rng: &mut Stream, n: usize) -> usize {
    debug_assert!(n > 0);
    rng.random_range(0..n)
}

/// The triangular value on [min, max] with the given mode at uniform `u` in [0, 1).
pub(crate) fn triangular_of(u: f64, min: f64, mode: f64, max: f64) -> f64 {
    if max <= min {
        return min;
    }
    let cut = (mode - min) / (max - min);
    if u < cut {
        min + (u * (max - min) * (mode - min)).sqrt()
    } else {
        max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
    }
}

/// An exponential draw with the given mean (zero mean gives zero).
pub(crate) fn exponential(rng: &mut Stream, mean: f64) -> f64 {
    if mean <= 0.0 {
        return 0.0;
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    -mean * (1.0 - unit(rng)).ln()
}

/// A gamma draw of whole shape `stages` and the given mean: the sum of `stages` exponential
/// waits of `mean / stages` each, taken as the logarithm of a product of uniform draws (one
/// logarithm, not one per stage: the same distribution, a fraction of the cost).
pub(crate) fn gamma_stages(rng: &mut Stream, stages: u32, mean: f64) -> f64 {
    if mean <= 0.0 || stages == 0 {
        return 0.0;
    }
    let mut product = 1.0_f64;
    for _ in 0..stages {
        // 1 - u lies in (0, 1]; at most twenty factors of at least 2^-53 stay above the
        // smallest normal number, so the logarithm is finite.
        product *= 1.0 - unit(rng);
    }
    -mean / f64::from(stages) * product.max(f64::MIN_POSITIVE).ln()
}

/// A standard normal value from two uniform draws in [0, 1) (Box-Muller; one of the pair is
/// dropped so that each value costs exactly two draws).
pub(crate) fn normal_of(u1: f64, u2: f64) -> f64 {
    // 1 - u1 lies in (0, 1], so the logarithm is finite.
    (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A Poisson count with mean `lambda` (zero or less gives zero).
pub(crate) fn poisson(rng: &mut Stream, lambda: f64) -> u64 {
    if lambda <= 0.0 || !lambda.is_finite() {
        return 0;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let count = Poisson::new(lambda).map_or(0, |d| d.sample(rng) as u64);
    count
}

/// A binomial count of `n` trials with probability `p`.
pub(crate) fn binomial(rng: &mut Stream, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    Binomial::new(n, p).map_or(0, |d| d.sample(rng))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hailsham_engine::Streams;

    #[test]
    fn draws_have_the_right_shape() {
        let mut rng = Streams::new(3, 0).stream("test");
        let n = 20_000;
        let tri: Vec<f64> = (0..n)
            .map(|_| triangular_of(unit(&mut rng), 2.0, 5.0, 14.0))
            .collect();
        assert!(tri.iter().all(|&x| (2.0..=14.0).contains(&x)));
        let mean = tri.iter().sum::<f64>() / f64::from(n);
        assert!((mean - 7.0).abs() < 0.1, "triangular mean {mean}");
        let exp_mean = (0..n).map(|_| exponential(&mut rng, 365.0)).sum::<f64>() / f64::from(n);
        assert!(
            (exp_mean - 365.0).abs() < 10.0,
            "exponential mean {exp_mean}"
        );
        let normals: Vec<f64> = (0..n)
            .map(|_| normal_of(unit(&mut rng), unit(&mut rng)))
            .collect();
        let normal_mean = normals.iter().sum::<f64>() / f64::from(n);
        let normal_sd = (normals.iter().map(|x| x * x).sum::<f64>() / f64::from(n)).sqrt();
        assert!(normal_mean.abs() < 0.03 && (normal_sd - 1.0).abs() < 0.03);
        let poisson_mean =
            (0..n).map(|_| poisson(&mut rng, 4.0)).sum::<u64>() as f64 / f64::from(n);
        assert!((poisson_mean - 4.0).abs() < 0.1);
        assert_eq!(binomial(&mut rng, 10, 1.0), 10);
        assert_eq!(days(16.0), 5844);
    }
}

/// The index below `n` (n > 0) at uniform `u` in [0, 1).
#[inline]
pub(crate) fn index_of(u: f64, n: usize) -> usize {
    debug_assert!(n > 0);
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = (u * n as f64) as usize;
    i.min(n - 1)
}

/// What a clone decides for itself, drawn by its lineage ([`crate::Lineage`]) rather than from
/// an institution's stream: the same clone makes the same choice in every world of a seed as
/// long as the choice is put to it, so two scenarios' lives of one clone run alike until a
/// rule parts them. Each choice has its number.
pub(crate) mod choice {
    /// The half-way house, among those open to the clone.
    pub const HOUSE: u32 = 0;
    /// Years at the half-way house.
    pub const STAY: u32 = 1;
    /// Whether to look for a possible.
    pub const SEARCH: u32 = 2;
    /// When in the stay to look.
    pub const SEARCH_DAY: u32 = 3;
    /// Carer or donor on leaving the half-way house.
    pub const CARER: u32 = 4;
    /// Years of the career.
    pub const CAREER: u32 = 5;
    /// The carer's quality.
    pub const QUALITY: u32 = 6;
    /// The town of the carer's bedsit.
    pub const TOWN: u32 = 7;
}
