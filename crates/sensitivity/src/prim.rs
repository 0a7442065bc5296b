//! Scenario discovery by PRIM, the patient rule induction method (Friedman and Fisher 1999),
//! as the EMA Workbench uses it: the box of the hypercube, over one or two factors, where an
//! outcome of interest (an answer that reverses) concentrates.
//!
//! Peeling starts from the whole hypercube and, step by step, cuts the slice (a share `alpha`
//! of the points still inside) off one side of one factor that leaves the highest share of
//! points of interest inside; it stops when too few points remain. Of the boxes peeled, the
//! densest that still covers at least half the points of interest is kept, then reduced to
//! the one or two factors it narrowed most, the others let go again (and the second let go
//! too unless it makes the box half again as dense, keeping most of its coverage): a box a
//! reader can say in a sentence. With fewer than twenty points of interest, the box bounds one
//! factor at most. Its **coverage** is the share of all points of interest that it holds; its
//! **density**, the share of the points it holds that are of interest.

/// Points of interest below which a box bounds one factor at most.
const FEW: usize = 20;

/// A box found by PRIM: the factors it bounds, with coverage and density over the points.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimBox {
    /// Each bounded factor with its bounds in [0, 1]: `(factor, low, high)`, the factor
    /// narrowed most first. A bound at 0 or 1 is no bound on that side.
    pub bounds: Vec<(usize, f64, f64)>,
    /// Points of interest inside, over all points of interest.
    pub coverage: f64,
    /// Points of interest inside, over all points inside.
    pub density: f64,
    /// Points inside.
    pub inside: usize,
}

/// The box where `outcome` (one a point) concentrates among `points` (rows in [0, 1]), over at
/// most `factors_max` factors, peeling `alpha` of the points at a time until fewer than
/// `support_min` of them remain; `None` when no point is of interest, or every point is.
///
/// # Panics
/// If `points` and `outcome` differ in length, or `alpha` is not between 0 and 1.
#[must_use]
pub fn prim(
    points: &[Vec<f64>],
    outcome: &[bool],
    alpha: f64,
    support_min: f64,
    factors_max: usize,
) -> Option<PrimBox> {
    assert_eq!(points.len(), outcome.len(), "one outcome a point");
    assert!(alpha > 0.0 && alpha < 1.0, "peel a share of the points");
    let interesting = outcome.iter().filter(|o| **o).count();
    if interesting == 0 || interesting == outcome.len() {
        return None;
    }
    let factors = points.first().map_or(0, Vec::len);
    let mut bounds = vec![(0.0_f64, 1.0_f64); factors];
    let mut inside: Vec<usize> = (0..points.len()).collect();
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let support_least = ((support_min * points.len() as f64).ceil() as usize).max(1);
    let mut peeled = vec![(bounds.clone(), measure(&inside, outcome, interesting))];
    let mut values = Vec::with_capacity(points.len());
    while inside.len() > support_least {
        // The best cut of this step: (density after, factor, low side, bound).
        let mut best: Option<(f64, usize, bool, f64)> = None;
        // A factor indexes every point's row and the box's bounds alike.
        #[allow(clippy::needless_range_loop)]
        for factor in 0..factors {
            values.clear();
            values.extend(inside.iter().map(|&i| points[i][factor]));
            values.sort_by(f64::total_cmp);
            #[allow(
                clippy::cast_precision_loss,
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss
            )]
            let step = ((alpha * values.len() as f64).ceil() as usize).clamp(1, values.len() - 1);
            for low_side in [true, false] {
                let bound = if low_side {
                    values[step]
                } else {
                    values[values.len() - 1 - step]
                };
                let kept = |i: &usize| {
                    let x = points[*i][factor];
                    if low_side { x >= bound } else { x <= bound }
                };
                let count = inside.iter().filter(|i| kept(i)).count();
                if count == inside.len() || count < support_least {
                    continue;
                }
                let hits = inside.iter().filter(|i| kept(i) && outcome[**i]).count();
                #[allow(clippy::cast_precision_loss)]
                let density = hits as f64 / count as f64;
                if best.is_none_or(|(d, ..)| density > d) {
                    best = Some((density, factor, low_side, bound));
                }
            }
        }
        let Some((_, factor, low_side, bound)) = best else {
            break;
        };
        if low_side {
            bounds[factor].0 = bound;
        } else {
            bounds[factor].1 = bound;
        }
        inside.retain(|&i| {
            let x = points[i][factor];
            bounds[factor].0 <= x && x <= bounds[factor].1
        });
        peeled.push((bounds.clone(), measure(&inside, outcome, interesting)));
    }
    // The densest box that still holds half the points of interest.
    let (chosen, _) = peeled
        .iter()
        .filter(|(_, (coverage, _))| *coverage >= 0.5)
        .max_by(|a, b| a.1.1.total_cmp(&b.1.1))
        .or_else(|| peeled.first())?;
    let mut narrowed: Vec<(usize, f64, f64)> = chosen
        .iter()
        .enumerate()
        .filter(|(_, (low, high))| *low > 0.0 || *high < 1.0)
        .map(|(factor, (low, high))| (factor, *low, *high))
        .collect();
    narrowed.sort_by(|a, b| (a.2 - a.1).total_cmp(&(b.2 - b.1)).then(a.0.cmp(&b.0)));
    // With few points of interest, a second factor would fit their chance positions.
    narrowed.truncate(if interesting < FEW { 1 } else { factors_max });
    let held = |bounds: &[(usize, f64, f64)]| -> Vec<usize> {
        (0..points.len())
            .filter(|&i| {
                bounds.iter().all(|&(factor, low, high)| {
                    low <= points[i][factor] && points[i][factor] <= high
                })
            })
            .collect()
    };
    // A further factor earns its place only by making the box clearly denser (half again)
    // while keeping most of what it covers: peeling on a few hundred points also trims
    // factors that matter nothing, by chance.
    while narrowed.len() > 1 {
        let (coverage, density) = measure(&held(&narrowed), outcome, interesting);
        let fewer = &narrowed[..narrowed.len() - 1];
        let (coverage_fewer, density_fewer) = measure(&held(fewer), outcome, interesting);
        if density >= 1.5 * density_fewer && coverage >= 0.8 * coverage_fewer {
            break;
        }
        narrowed.pop();
    }
    let held = held(&narrowed);
    let (coverage, density) = measure(&held, outcome, interesting);
    Some(PrimBox {
        bounds: narrowed,
        coverage,
        density,
        inside: held.len(),
    })
}

/// (coverage, density) of the points `inside`.
fn measure(inside: &[usize], outcome: &[bool], interesting: usize) -> (f64, f64) {
    let hits = inside.iter().filter(|i| outcome[**i]).count();
    #[allow(clippy::cast_precision_loss)]
    let coverage = hits as f64 / interesting as f64;
    #[allow(clippy::cast_precision_loss)]
    let density = if inside.is_empty() {
        0.0
    } else {
        hits as f64 / inside.len() as f64
    };
    (coverage, density)
}
