//! Plain designs over the unit hypercube, for sweeps that only explore: a full grid, points
//! drawn at random, and a Latin hypercube (random, but with each factor's range cut into as
//! many strata as there are points and each stratum hit once, so that few points still cover
//! every factor's whole range).

use crate::Uniform;

/// Every combination of `levels[i]` evenly spaced values of each factor `i`: `0` and `1` and
/// the values between (a factor of one level sits at `0.5`), the last factor varying fastest.
/// `levels.iter().product()` points.
///
/// # Panics
/// If a factor has no level.
#[must_use]
pub fn grid(levels: &[usize]) -> Vec<Vec<f64>> {
    assert!(levels.iter().all(|&n| n > 0), "every factor needs a level");
    let value = |level: usize, of: usize| {
        #[allow(clippy::cast_precision_loss)]
        let value = if of == 1 {
            0.5
        } else {
            level as f64 / (of - 1) as f64
        };
        value
    };
    let mut points = vec![Vec::with_capacity(levels.len())];
    for &of in levels {
        points = points
            .into_iter()
            .flat_map(|point| {
                (0..of).map(move |level| {
                    let mut next = point.clone();
                    next.push(value(level, of));
                    next
                })
            })
            .collect();
    }
    points
}

/// `points` points drawn uniformly at random in [0, 1)^`factors` from `seed`.
#[must_use]
pub fn random(factors: usize, points: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut uniform = Uniform::new(seed);
    (0..points)
        .map(|_| (0..factors).map(|_| uniform.next()).collect())
        .collect()
}

/// A Latin hypercube of `points` points in [0, 1)^`factors` from `seed`: for each factor the
/// range is cut into `points` equal strata, and each stratum holds exactly one point, at a
/// random place in it; the strata of different factors are paired at random.
#[must_use]
pub fn latin_hypercube(factors: usize, points: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut uniform = Uniform::new(seed);
    let mut design = vec![Vec::with_capacity(factors); points];
    #[allow(clippy::cast_precision_loss)]
    let width = 1.0 / points.max(1) as f64;
    for _ in 0..factors {
        // The strata in a random order (Fisher–Yates), one to each point.
        let mut strata: Vec<usize> = (0..points).collect();
        for i in (1..points).rev() {
            strata.swap(i, uniform.below(i + 1));
        }
        for (point, stratum) in design.iter_mut().zip(strata) {
            #[allow(clippy::cast_precision_loss)]
            let value = (stratum as f64 + uniform.next()) * width;
            // Rounding may reach 1 at the top stratum's top: keep inside [0, 1).
            point.push(value.min(1.0 - f64::EPSILON));
        }
    }
    design
}
