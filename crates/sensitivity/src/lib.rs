//! How far an answer holds over the model's assumptions: the two standard methods of global
//! sensitivity analysis, over the unit hypercube, knowing nothing of the model.
//!
//! A caller maps each point of a design (a row of numbers in [0, 1), one a factor) onto the
//! plausible range of an assumption, runs the model at it, and hands back one output a point,
//! in the design's order. Then:
//!
//! - [`MorrisDesign`] and [`MorrisDesign::screening`]: Morris's elementary effects along
//!   random one-at-a-time trajectories, cheap (`trajectories × (factors + 1)` runs), to tell
//!   the assumptions that matter from those that do not;
//! - [`SaltelliDesign`] and [`SaltelliDesign::indices`]: first-order and total Sobol indices
//!   by Saltelli's scheme (`base × (factors + 2)` runs; Saltelli 2010's estimator for the
//!   first order, Jansen's for the total), each with a bootstrap 95% interval;
//! - [`grid`], [`random`] and [`latin_hypercube`]: designs that only explore, for sweeps;
//! - [`prim`]: scenario discovery, the box of one or two factors where an outcome of interest
//!   (an answer that reverses) concentrates, with its coverage and density.
//!
//! Both are reproducible: a design is drawn from its seed alone (xoshiro256++), and the
//! bootstrap's resamples from theirs, so the same seed gives the same numbers on any machine.
//!
//! ```
//! use hailsham_sensitivity::SaltelliDesign;
//!
//! // y = 4 x0 + x1: x0 carries 16/17 of the variance, x1 1/17, x2 none.
//! let design = SaltelliDesign::new(3, 4096, 7);
//! let outputs: Vec<f64> = design.points().map(|x| 4.0 * x[0] + x[1]).collect();
//! let indices = design.indices(&outputs, 100, 11).expect("outputs that vary");
//! assert!((indices[0].first.value - 16.0 / 17.0).abs() < 0.05);
//! assert!(indices[2].total.value.abs() < 0.01);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod designs;
mod morris;
mod prim;
mod sobol;

pub use designs::{grid, latin_hypercube, random};
pub use morris::{Effect, MorrisDesign};
pub use prim::{PrimBox, prim};
pub use sobol::{Estimate, Index, SaltelliDesign};

use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Why indices could not be computed from the outputs given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SensitivityError {
    /// Not one output for each point of the design.
    #[error("the design has {expected} points, but {given} outputs were given")]
    Outputs {
        /// Points in the design.
        expected: usize,
        /// Outputs given.
        given: usize,
    },
    /// An output is not a finite number.
    #[error("output {index} is not a finite number ({value})")]
    NotFinite {
        /// Its place in the design's order.
        index: usize,
        /// What it was.
        value: f64,
    },
    /// The outputs do not vary: there is no variance to share out.
    #[error("the outputs do not vary, so no part of their variance can be put down to a factor")]
    NoVariance,
}

/// The design's random numbers: uniform in [0, 1), 53 bits each.
pub(crate) struct Uniform(Xoshiro256PlusPlus);

impl Uniform {
    pub(crate) fn new(seed: u64) -> Uniform {
        Uniform(Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    pub(crate) fn next(&mut self) -> f64 {
        // The top 53 bits as the mantissa of a number in [0, 1): every value equally likely.
        #[allow(clippy::cast_precision_loss)]
        let unit = (self.0.next_u64() >> 11) as f64 / (1_u64 << 53) as f64;
        unit
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A whole number in `0..bound` (bound > 0), without the bias of a plain modulo worth
    /// speaking of at the bounds used here (at most millions against 2^64).
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        let bound = bound as u64;
        usize::try_from(self.0.next_u64() % bound).expect("below a usize bound")
    }
}

/// Checks that `outputs` has one finite value for each of `expected` points.
pub(crate) fn check(outputs: &[f64], expected: usize) -> Result<(), SensitivityError> {
    if outputs.len() != expected {
        return Err(SensitivityError::Outputs {
            expected,
            given: outputs.len(),
        });
    }
    match outputs.iter().position(|value| !value.is_finite()) {
        Some(index) => Err(SensitivityError::NotFinite {
            index,
            value: outputs[index],
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
