//! Sobol indices by Saltelli's scheme: two independent samples `A` and `B` of the hypercube,
//! and for each factor `i` the matrix `AB_i`, `A` with its column `i` taken from `B`.

use crate::{SensitivityError, Uniform, check};

/// A Saltelli design: the points to run, and how to read their outputs as indices.
#[derive(Clone, Debug, PartialEq)]
pub struct SaltelliDesign {
    factors: usize,
    base: usize,
    /// `A` then `B`, row after row: `2 × base × factors` numbers.
    samples: Vec<f64>,
}

/// A value and its bootstrap 95% interval.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Estimate {
    /// The estimate from every point.
    pub value: f64,
    /// The 2.5th percentile of the bootstrap's estimates.
    pub low: f64,
    /// The 97.5th.
    pub high: f64,
}

/// One factor's share of the output's variance.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Index {
    /// First order: the share it explains alone.
    pub first: Estimate,
    /// Total: the share it has a hand in, alone or with others.
    pub total: Estimate,
}

impl SaltelliDesign {
    /// A design over `factors` factors with a base sample of `base` points (`base × (factors
    /// + 2)` runs in all), drawn from `seed`.
    ///
    /// # Panics
    /// If `factors` or `base` is 0.
    #[must_use]
    pub fn new(factors: usize, base: usize, seed: u64) -> SaltelliDesign {
        assert!(factors > 0 && base > 0, "a design needs factors and points");
        let mut uniform = Uniform::new(seed);
        let samples = (0..2 * base * factors).map(|_| uniform.next()).collect();
        SaltelliDesign {
            factors,
            base,
            samples,
        }
    }

    /// A design over `factors` factors whose base samples are quasi-random: `A` and `B` are
    /// the two halves of one Owen-scrambled Sobol sequence of `2 × factors` dimensions
    /// (Burley's hash-based scrambling, Joe and Kuo's direction numbers), keyed by `seed`. Low discrepancy covers the
    /// hypercube more evenly than random points, so the indices settle with fewer runs
    /// (Saltelli et al. 2010 recommend it); scrambling keeps the bootstrap's resampling of
    /// rows meaningful. A base of a power of two keeps the sequence balanced.
    ///
    /// # Panics
    /// If `factors` or `base` is 0, `factors` is more than 256 or `base` more than 2^16 (the
    /// sequence's length).
    #[must_use]
    pub fn sobol_sequence(factors: usize, base: usize, seed: u64) -> SaltelliDesign {
        assert!(factors > 0 && base > 0, "a design needs factors and points");
        assert!(
            factors <= sobol_burley::NUM_DIMENSIONS as usize && base <= 1 << 16,
            "at most 256 factors, and the sequence has 2^16 points"
        );
        // One scramble of a sequence of 2 × factors dimensions: A its first half, B its
        // second (as SALib's Saltelli sampler does), past 128 factors a second scramble.
        let mut uniform = Uniform::new(seed);
        #[allow(clippy::cast_possible_truncation)]
        let seeds = [
            (uniform.next_u64() >> 32) as u32,
            (uniform.next_u64() >> 32) as u32,
        ];
        let dimensions = sobol_burley::NUM_DIMENSIONS as usize;
        let mut samples = Vec::with_capacity(2 * base * factors);
        for half in 0..2 {
            for row in 0..base {
                for factor in 0..factors {
                    let dimension = half * factors + factor;
                    #[allow(clippy::cast_possible_truncation)]
                    let value = sobol_burley::sample(
                        row as u32,
                        (dimension % dimensions) as u32,
                        seeds[dimension / dimensions],
                    );
                    samples.push(f64::from(value));
                }
            }
        }
        SaltelliDesign {
            factors,
            base,
            samples,
        }
    }

    /// Factors, the numbers of each point.
    #[must_use]
    pub fn factors(&self) -> usize {
        self.factors
    }

    /// Points to run: `base × (factors + 2)`.
    #[must_use]
    pub fn len(&self) -> usize {
        self.base * (self.factors + 2)
    }

    /// Whether the design has no point (never: a design has factors and points).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `row` of `A` (`first`) or `B`.
    fn row(&self, first: bool, row: usize) -> &[f64] {
        let start = (if first { 0 } else { self.base } + row) * self.factors;
        &self.samples[start..start + self.factors]
    }

    /// Point `index` of the design's order: `A`'s rows, `B`'s, then `AB_0`'s, `AB_1`'s, ...
    #[must_use]
    pub fn point(&self, index: usize) -> Vec<f64> {
        let (block, row) = (index / self.base, index % self.base);
        match block {
            0 => self.row(true, row).to_vec(),
            1 => self.row(false, row).to_vec(),
            _ => {
                let factor = block - 2;
                let mut point = self.row(true, row).to_vec();
                point[factor] = self.row(false, row)[factor];
                point
            }
        }
    }

    /// Every point, in the design's order.
    pub fn points(&self) -> impl Iterator<Item = Vec<f64>> + '_ {
        (0..self.len()).map(|index| self.point(index))
    }

    /// Each factor's indices from `outputs` (one a point, in the design's order), with
    /// intervals from `resamples` bootstrap resamples of the base rows drawn from `seed`.
    ///
    /// # Errors
    /// Not one finite output a point, or outputs that do not vary.
    pub fn indices(
        &self,
        outputs: &[f64],
        resamples: usize,
        seed: u64,
    ) -> Result<Vec<Index>, SensitivityError> {
        check(outputs, self.len())?;
        // Every output is taken from the mean of them all, once, as SALib does, so that its
        // estimates and these agree on one sample.
        #[allow(clippy::cast_precision_loss)]
        let centre = outputs.iter().sum::<f64>() / outputs.len() as f64;
        let all: Vec<usize> = (0..self.base).collect();
        let estimates = self.estimate(outputs, centre, &all)?;
        let mut uniform = Uniform::new(seed);
        let mut drawn: Vec<Vec<(f64, f64)>> = vec![Vec::with_capacity(resamples); self.factors];
        let mut rows = vec![0; self.base];
        for _ in 0..resamples {
            for row in &mut rows {
                *row = uniform.below(self.base);
            }
            // A resample whose outputs happen not to vary says nothing: pass it by.
            if let Ok(again) = self.estimate(outputs, centre, &rows) {
                for (factor, pair) in again.into_iter().enumerate() {
                    drawn[factor].push(pair);
                }
            }
        }
        Ok(estimates
            .into_iter()
            .zip(drawn)
            .map(|((first, total), mut drawn)| {
                let firsts = percentiles(drawn.iter().map(|(f, _)| *f).collect(), first);
                let totals = percentiles(drawn.drain(..).map(|(_, t)| t).collect(), total);
                Index {
                    first: firsts,
                    total: totals,
                }
            })
            .collect())
    }

    /// First-order and total indices of each factor over the base rows `rows` (with
    /// repetitions, for a bootstrap resample), the outputs taken from `centre`.
    fn estimate(
        &self,
        outputs: &[f64],
        centre: f64,
        rows: &[usize],
    ) -> Result<Vec<(f64, f64)>, SensitivityError> {
        let base = self.base;
        let a = |row: usize| outputs[row];
        let b = |row: usize| outputs[base + row];
        let ab = |factor: usize, row: usize| outputs[(2 + factor) * base + row];
        #[allow(clippy::cast_precision_loss)]
        let n = rows.len() as f64;
        // The output's variance, over A and B together.
        let mean = rows.iter().map(|&r| a(r) + b(r)).sum::<f64>() / (2.0 * n);
        let variance = rows
            .iter()
            .map(|&r| (a(r) - mean).powi(2) + (b(r) - mean).powi(2))
            .sum::<f64>()
            / (2.0 * n);
        if variance <= f64::EPSILON * mean.abs().max(1.0) {
            return Err(SensitivityError::NoVariance);
        }
        Ok((0..self.factors)
            .map(|factor| {
                // Saltelli (2010): V_i = E[f(B) (f(AB_i) − f(A))], with f(B) taken from the
                // outputs' mean: the same in expectation, and far less spread when the mean is
                // large against the spread.
                let first = rows
                    .iter()
                    .map(|&r| (b(r) - centre) * (ab(factor, r) - a(r)))
                    .sum::<f64>()
                    / n;
                // Jansen (1999): V_Ti = E[(f(A) − f(AB_i))²] / 2.
                let total = rows
                    .iter()
                    .map(|&r| (a(r) - ab(factor, r)).powi(2))
                    .sum::<f64>()
                    / (2.0 * n);
                (first / variance, total / variance)
            })
            .collect())
    }
}

/// `value` with the 2.5th and 97.5th percentiles of `drawn` (nearest rank), or `value` itself
/// at both ends when there is nothing drawn.
fn percentiles(mut drawn: Vec<f64>, value: f64) -> Estimate {
    if drawn.is_empty() {
        return Estimate {
            value,
            low: value,
            high: value,
        };
    }
    drawn.sort_by(f64::total_cmp);
    let at = |q: f64| {
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss
        )]
        let rank = ((q * drawn.len() as f64).ceil() as usize).clamp(1, drawn.len());
        drawn[rank - 1]
    };
    Estimate {
        value,
        low: at(0.025),
        high: at(0.975),
    }
}
