//! Morris's elementary effects: each trajectory starts at a random point of a grid of `levels`
//! levels and moves one factor at a time, in a random order, by `Δ = levels / (2 (levels −
//! 1))`; the change in the output over the step, divided by it, is that factor's elementary
//! effect there. Their mean absolute value (μ*) ranks the factors; their spread (σ) says
//! whether a factor acts through others or unevenly.

use crate::{SensitivityError, Uniform, check};

/// A Morris design: `trajectories` walks of `factors + 1` points each, on a grid of `levels`.
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisDesign {
    factors: usize,
    levels: usize,
    /// Every point, trajectory after trajectory: `trajectories × (factors + 1) × factors`.
    points: Vec<f64>,
    /// For each trajectory, the factor each step moves, in order.
    moved: Vec<Vec<usize>>,
}

/// One factor's elementary effects, summed up.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Effect {
    /// The mean of their absolute values: how much the factor matters.
    pub mu_star: f64,
    /// Their mean, with signs: effects that cancel show here, not in μ*.
    pub mu: f64,
    /// Their standard deviation: a factor that acts with others, or unevenly, has a large σ.
    pub sigma: f64,
}

impl MorrisDesign {
    /// A design over `factors` factors, `trajectories` walks, on a grid of `levels` levels
    /// (even; 4 is usual), drawn from `seed`. Its points lie on the grid `0, 1/(levels − 1),
    /// ..., 1`.
    ///
    /// # Panics
    /// If `factors` or `trajectories` is 0, or `levels` is odd or below 2.
    #[must_use]
    pub fn new(factors: usize, trajectories: usize, levels: usize, seed: u64) -> MorrisDesign {
        assert!(
            factors > 0 && trajectories > 0,
            "a design needs factors and walks"
        );
        assert!(
            levels >= 2 && levels.is_multiple_of(2),
            "Morris's grid has an even number of levels"
        );
        let mut uniform = Uniform::new(seed);
        #[allow(clippy::cast_precision_loss)]
        let (step, last) = (1.0 / (levels - 1) as f64, (levels - 1) as f64);
        #[allow(clippy::cast_precision_loss)]
        let delta = levels as f64 / (2.0 * last);
        let mut points = Vec::with_capacity(trajectories * (factors + 1) * factors);
        let mut moved = Vec::with_capacity(trajectories);
        for _ in 0..trajectories {
            // A start in the lower half of the grid, so that a step of Δ up stays on it; half
            // the factors start from the upper value instead, and step down.
            #[allow(clippy::cast_precision_loss)]
            let mut point: Vec<f64> = (0..factors)
                .map(|_| {
                    let low = uniform.below(levels / 2) as f64 * step;
                    if uniform.below(2) == 0 {
                        low
                    } else {
                        low + delta
                    }
                })
                .collect();
            // The factors in a random order (Fisher–Yates).
            let mut order: Vec<usize> = (0..factors).collect();
            for i in (1..factors).rev() {
                order.swap(i, uniform.below(i + 1));
            }
            points.extend_from_slice(&point);
            for &factor in &order {
                // Up from the lower value, down from the upper.
                let lower = point[factor] + delta <= 1.0 + 1e-12;
                point[factor] += if lower { delta } else { -delta };
                points.extend_from_slice(&point);
            }
            moved.push(order);
        }
        MorrisDesign {
            factors,
            levels,
            points,
            moved,
        }
    }

    /// Points to run: `trajectories × (factors + 1)`.
    #[must_use]
    pub fn len(&self) -> usize {
        self.points.len() / self.factors
    }

    /// Whether the design has no point (never).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The grid's levels.
    #[must_use]
    pub fn levels(&self) -> usize {
        self.levels
    }

    /// Point `index`, in the design's order (trajectory after trajectory).
    #[must_use]
    pub fn point(&self, index: usize) -> &[f64] {
        &self.points[index * self.factors..(index + 1) * self.factors]
    }

    /// Every point, in the design's order.
    pub fn points(&self) -> impl Iterator<Item = &[f64]> + '_ {
        self.points.chunks(self.factors)
    }

    /// Each factor's elementary effects from `outputs` (one a point, in the design's order).
    ///
    /// # Errors
    /// Not one finite output a point.
    pub fn screening(&self, outputs: &[f64]) -> Result<Vec<Effect>, SensitivityError> {
        check(outputs, self.len())?;
        let mut effects: Vec<Vec<f64>> = vec![Vec::with_capacity(self.moved.len()); self.factors];
        for (walk, order) in self.moved.iter().enumerate() {
            let first = walk * (self.factors + 1);
            for (step, &factor) in order.iter().enumerate() {
                let (before, after) = (first + step, first + step + 1);
                let change = self.point(after)[factor] - self.point(before)[factor];
                effects[factor].push((outputs[after] - outputs[before]) / change);
            }
        }
        Ok(effects
            .into_iter()
            .map(|effects| {
                #[allow(clippy::cast_precision_loss)]
                let n = effects.len() as f64;
                let mu = effects.iter().sum::<f64>() / n;
                let mu_star = effects.iter().map(|e| e.abs()).sum::<f64>() / n;
                let sigma = if effects.len() > 1 {
                    (effects.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                } else {
                    0.0
                };
                Effect { mu_star, mu, sigma }
            })
            .collect())
    }
}
