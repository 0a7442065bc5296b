//! How far each reviewer's answer holds over the plausible worlds: every assumption of the
//! model varied at once over the range `sweeps/plausible.toml` gives it, each question's
//! scenario run against `novel` in every world with the same random numbers.
//!
//! Three sweeps a question, each its own sweep in the store (so a robustness stopped
//! half-way resumes, and `questions` finds it again without running anything):
//!
//! 1. **Morris screening** of every assumption (`trajectories × (assumptions + 1)` worlds, the
//!    file's design), read on the paired difference of the judged figure: the assumptions that
//!    move it (μ* at least a tenth of the largest, at most [`SOBOL_FACTORS_MAX`]);
//! 2. **Sobol indices** of those few (Saltelli's scheme over a Sobol sequence, a base of
//!    [`SOBOL_POINTS`], the others at the novel's values), with bootstrap intervals;
//! 3. **A Latin hypercube** of [`SHARE_POINTS`] plausible worlds: in how many the paired
//!    difference gives the answer's own verdict (with Wilson's interval), set beside
//!    [`NOISE_REPLICATES`] paired replicates of the novel's own world (how often one run gives
//!    it by chance alone), and where it does not, PRIM's box over one or two assumptions
//!    (coverage and density), kept only where the reversals crowd into it.
//!
//! `novel`'s sweeps are shared by every question of the same years. What a question's
//! scenario changes keeps the scenario's value in every world (`Sweep::kept`).
//!
//! The worlds are a fifth of England's size ([`ROBUST_SCALE`]): a count's difference is
//! scaled back up (a figure that `scales`), a share or an age is taken as it is; a test holds
//! the reduced world's shares to England's, and its counts to a fifth of England's.

use std::path::Path;

use hailsham_outputs::{
    Bound, FIGURES, Ranged, Reversal, Robustness, Sensitivity, Spread, Verdict, figure_index,
    point_verdict, wilson,
};
use hailsham_scenario::{Axis, Design, Scenario, Sweep, Values};
use hailsham_sensitivity::prim;

use crate::compare::Answered;
use crate::error::RunError;
use crate::plan::{Limits, Years};
use crate::record::Recorder;
use crate::replicates::{Cancel, Progress};
use crate::sweep::{Reading, SweepPlan, Swept, sweep};

/// The plausible ranges, compiled in.
const PLAUSIBLE: &str = include_str!("../../../sweeps/plausible.toml");

/// The worlds' size against the plausible population: a fifth of England.
pub const ROBUST_SCALE: f64 = 0.2;
/// Worlds of the Latin hypercube the share is taken over.
pub const SHARE_POINTS: u32 = 256;
/// Replicates of the novel's own world (at the same scale), each paired with the question's:
/// how often one run gives another verdict by chance alone.
pub const NOISE_REPLICATES: u32 = 64;
/// The base sample of each Sobol design.
pub const SOBOL_POINTS: u32 = 32;
/// At most this many assumptions go on from screening to Sobol indices.
pub const SOBOL_FACTORS_MAX: usize = 4;
/// An assumption goes on to Sobol indices when its μ* is at least this share of the largest.
const SCREEN_SHARE: f64 = 0.1;

/// Whether `axis` is the population: the one parameter the worlds' scale is set by, and so
/// the one whose values are said at England's scale.
fn is_population(axis: &Axis) -> bool {
    (axis.spec.section, axis.spec.key) == ("homes", "population_millions")
}

/// The plausible sweep, its population scaled to [`ROBUST_SCALE`].
///
/// # Errors
/// A broken bundled file (a test reads it).
pub fn plausible() -> Result<Sweep, RunError> {
    let mut sweep = Sweep::parse(PLAUSIBLE, Path::new("<bundled>/plausible.toml"), None)
        .map_err(RunError::Scenario)?;
    for axis in &mut sweep.axes {
        if is_population(axis)
            && let Values::Range { low, high, .. } = &mut axis.values
        {
            *low *= ROBUST_SCALE;
            *high *= ROBUST_SCALE;
        }
    }
    Ok(sweep)
}

/// The plausible sweep around `base`, with `design` over `axes` (indices into the plausible
/// sweep's), what `base` changes kept.
fn around(plausible: &Sweep, base: &Scenario, design: Design, axes: Option<&[usize]>) -> Sweep {
    let mut sweep = plausible.clone();
    sweep.name = format!("robust {} ({})", base.name, design.kind());
    sweep.base = scaled(base);
    sweep.design = design;
    if let Some(axes) = axes {
        sweep.axes = axes.iter().map(|&i| plausible.axes[i].clone()).collect();
    }
    sweep.kept = base
        .changed
        .iter()
        .map(|(section, key)| format!("{section}.{key}"))
        .collect();
    sweep
}

/// `scenario` in a world of [`ROBUST_SCALE`] its size: what every robustness run starts from
/// (a sweep's population axis, where it has one, sets its own).
fn scaled(scenario: &Scenario) -> Scenario {
    let mut scaled = scenario.clone();
    scaled.params.homes.population_millions *= ROBUST_SCALE;
    scaled
}

/// Progress told once of every step, its sweeps' own plans passed by.
struct Whole<'a>(&'a dyn Progress);

impl Progress for Whole<'_> {
    fn year_done(&self) {
        self.0.year_done();
    }
}

/// What robustness found, with what it ran.
#[derive(Debug)]
pub struct Robust {
    /// Each question's robustness, in the order asked.
    pub questions: Vec<(&'static str, Robustness)>,
    /// Runs in all.
    pub runs: u64,
    /// Runs run now (the rest were in the store).
    pub ran: u64,
    /// Seconds they took.
    pub seconds: f64,
}

/// One sweep run (or read from the store) to its means.
struct Runner<'a> {
    limits: &'a Limits,
    threads: Option<usize>,
    recorder: &'a mut Recorder,
    progress: &'a dyn Progress,
    cancel: &'a Cancel,
    runs: u64,
    ran: u64,
    seconds: f64,
    /// Read what the store holds whole, and run nothing.
    stored_only: bool,
    /// The figures the questions judge: the only ones whose means a sweep keeps.
    judged: Vec<usize>,
}

impl Runner<'_> {
    /// The sweep `around`, run or read from the store; `None` when only the store may be read
    /// and it does not hold the sweep whole.
    fn run(&mut self, around: Sweep) -> Result<Option<(SweepPlan, Swept)>, RunError> {
        let mut plan = SweepPlan::new(around)?;
        plan.threads = self.threads;
        if self.stored_only
            && self
                .recorder
                .sweep_held(&plan.hash())
                .map_err(|e| RunError::output("reading", "the run store", e))?
                != Some(plan.runs())
        {
            return Ok(None);
        }
        let swept = sweep(
            &mut plan,
            self.limits,
            None,
            &self.judged,
            self.recorder,
            &Whole(self.progress),
            self.cancel,
        )?;
        self.runs += swept.runs;
        self.ran += swept.ran;
        self.seconds += swept.seconds;
        Ok(Some((plan, swept)))
    }
}

/// What a difference of figure `figure` in the worlds is multiplied by to stand for England's:
/// five for a count, one for a share, an age or a rate per head.
fn to_england(figure: usize) -> f64 {
    if FIGURES[figure].scales {
        1.0 / ROBUST_SCALE
    } else {
        1.0
    }
}

/// The paired difference of figure `figure` at each point, scaled to England.
fn differences(scenario: &Swept, novel: &Swept, figure: usize) -> Vec<f64> {
    let (Some(scenario), Some(novel)) = (scenario.figure(figure), novel.figure(figure)) else {
        return Vec::new();
    };
    scenario
        .iter()
        .zip(novel)
        .map(|(s, n)| (s - n) * to_england(figure))
        .collect()
}

/// The variance of `values` (the finite ones), with n − 1.
fn variance(values: &[f64]) -> f64 {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.len() < 2 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let n = finite.len() as f64;
    let mean = finite.iter().sum::<f64>() / n;
    finite.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

/// A parameter in a few words: its meaning's first clause, its asides in brackets left out,
/// lower-cased.
fn words(axis: &Axis) -> String {
    let first = axis
        .spec
        .meaning
        .split(';')
        .next()
        .unwrap_or(axis.spec.meaning);
    let mut plain = String::with_capacity(first.len());
    let mut depth = 0_usize;
    for c in first.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = plain.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A value of `axis` at `unit` as a sentence gives it (a population at England's scale).
fn value_text(axis: &Axis, unit: f64) -> String {
    let value = axis.at(unit);
    match value {
        hailsham_world::Value::Float(x) if is_population(axis) => {
            format!("{:.3}", x / ROBUST_SCALE)
        }
        hailsham_world::Value::Float(x) => {
            let text = format!("{x:.3}");
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        other => other.to_string(),
    }
}

/// How far each of `answered` holds, read from the store alone: `None` unless every sweep it
/// needs is whole there (as `questions --robust` leaves them).
///
/// # Errors
/// The store's, when the recorder is strict.
pub fn stored_robust(
    answered: &[Answered],
    recorder: &mut Recorder,
) -> Result<Option<Robust>, RunError> {
    if recorder.path().is_none() {
        return Ok(None);
    }
    from_store(&verdicts(answered), None, recorder)
}

/// The robustness of every question `verdicts` knows (or of `only`) from the store alone, or
/// `None` where a sweep it needs is not whole there.
fn from_store(
    verdicts: &dyn Fn(&str) -> Option<(Verdict, i64)>,
    only: Option<&str>,
    recorder: &mut Recorder,
) -> Result<Option<Robust>, RunError> {
    robustness(
        verdicts,
        only,
        None,
        &Limits::NONE,
        recorder,
        &crate::replicates::NoProgress,
        &Cancel::default(),
        true,
    )
}

/// How far the answer of `scenario` holds, with `verdict` its answer's verdict (a report's,
/// say), read from the store alone: `None` unless `scenario` is one of the bundled questions
/// (its parameters, not only its name) and `questions --robust` left every sweep it needs
/// whole there.
///
/// # Errors
/// The store's, when the recorder is strict.
pub fn stored_robustness(
    scenario: &Scenario,
    verdict: Verdict,
    recorder: &mut Recorder,
) -> Result<Option<Robustness>, RunError> {
    if recorder.path().is_none() {
        return Ok(None);
    }
    // The bundled question over the same years, its parameters, not only its name, alike.
    let end_year = scenario.params.time.end_year;
    let hash = scenario.hash();
    let mut found = None;
    for (name, asked) in crate::scenarios::asking()? {
        if name == scenario.name
            && let Ok(asked) = crate::plan::until(asked, Some(end_year))
            && asked.hash() == hash
        {
            found = Some(name);
        }
    }
    let Some(name) = found else {
        return Ok(None);
    };
    let verdicts = |asked: &str| (asked == name).then_some((verdict, end_year));
    Ok(from_store(&verdicts, Some(name), recorder)?
        .and_then(|robust| robust.questions.into_iter().next().map(|(_, r)| r)))
}

/// Each question's verdict and the end year it ran to, as `answered` gives them (`None` for a
/// question it lacks).
fn verdicts(answered: &[Answered]) -> impl Fn(&str) -> Option<(Verdict, i64)> + '_ {
    move |name| {
        answered.iter().find(|a| a.name == name).map(|a| {
            let verdict = a
                .answer
                .as_ref()
                .map_or(Verdict::Unclear, |answer| answer.verdict);
            (verdict, i64::from(a.years.end_year))
        })
    }
}

/// How far each of `answered` holds (the answers of `questions`, at the novel's values).
///
/// # Errors
/// A sweep past `limits`, or what stopped a run (the runs before it stay in the store).
pub fn robust(
    answered: &[Answered],
    threads: Option<usize>,
    limits: &Limits,
    recorder: &mut Recorder,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Robust, RunError> {
    let robust = robustness(
        &verdicts(answered),
        None,
        threads,
        limits,
        recorder,
        progress,
        cancel,
        false,
    )?;
    Ok(robust.expect("a robustness that may run always ends with one"))
}

/// The robustness of every question `verdicts` knows (or of `only`), each over the years its
/// answer ran (the end year `verdicts` gives with the verdict), run or read: `None` when
/// `stored_only` and the store lacks a sweep or a run it needs.
#[allow(clippy::too_many_arguments)]
fn robustness(
    verdicts: &dyn Fn(&str) -> Option<(Verdict, i64)>,
    only: Option<&str>,
    threads: Option<usize>,
    limits: &Limits,
    recorder: &mut Recorder,
    progress: &dyn Progress,
    cancel: &Cancel,
    stored_only: bool,
) -> Result<Option<Robust>, RunError> {
    let plausible = plausible()?;
    let Design::Morris {
        trajectories,
        levels,
    } = plausible.design
    else {
        return Err(RunError::Scenarios(
            "error: the plausible sweep's design is not Morris's\n".to_string(),
        ));
    };
    let mut asked: Vec<(&'static str, Scenario)> = Vec::new();
    for (name, scenario) in crate::scenarios::asking()? {
        if only.is_some_and(|only| only != name) {
            continue;
        }
        if let Some((_, end_year)) = verdicts(name) {
            asked.push((name, crate::plan::until(scenario, Some(end_year))?));
        }
    }
    let factors = plausible.axes.len() as u64;
    let morris_points = u64::from(trajectories) * (factors + 1);
    let sobol_points = u64::from(SOBOL_POINTS) * (SOBOL_FACTORS_MAX as u64 + 2);
    // Every question's own sweeps, at most, and novel's once for each span of years.
    let mut spans: Vec<Years> = Vec::new();
    let mut steps = 0;
    for (_, scenario) in &asked {
        let span = Years::of(&scenario.params);
        let each = morris_points + u64::from(SHARE_POINTS);
        steps += span.count() * (each + 2 * sobol_points);
        if !spans.contains(&span) {
            spans.push(span);
            steps += span.count() * each;
        }
    }
    progress.planned(steps);
    // The novel's own values, many replicates: replicate noise alone, for each pair.
    let mut noise_plans: Vec<crate::plan::Plan> = Vec::new();
    let mut noise_index: Vec<(Years, usize)> = Vec::new();
    // Each question's own plan among them, by the question's name.
    let mut noise_of: Vec<(&'static str, usize)> = Vec::new();
    for (name, scenario) in &asked {
        let span = Years::of(&scenario.params);
        if !noise_index.iter().any(|(s, _)| *s == span) {
            noise_index.push((span, noise_plans.len()));
            let mut plan = crate::plan::Plan::new(
                scaled(&crate::scenarios::baseline_for(scenario)),
                plausible.seed,
                NOISE_REPLICATES,
            );
            plan.threads = threads;
            noise_plans.push(plan);
        }
        let mut plan = crate::plan::Plan::new(scaled(scenario), plausible.seed, NOISE_REPLICATES);
        plan.threads = threads;
        noise_of.push((name, noise_plans.len()));
        noise_plans.push(plan);
    }
    if stored_only {
        for plan in &noise_plans {
            if recorder
                .stored(plan)
                .map_err(|e| RunError::output("reading", "the run store", e))?
                .is_none()
            {
                return Ok(None);
            }
        }
    }
    let judged: Vec<usize> = asked
        .iter()
        .filter_map(|(_, scenario)| {
            let declared = scenario.answer.as_ref()?;
            figure_index(&declared.yes_when.figure)
        })
        .collect();
    let noise = crate::compare::compare(
        &mut noise_plans,
        true,
        limits,
        recorder,
        &Whole(progress),
        cancel,
    )?;
    let noise_summaries: Vec<&hailsham_outputs::Summary> =
        noise.runs.iter().map(|run| &run.summary).collect();
    let noise_runs = u64::from(NOISE_REPLICATES) * noise_plans.len() as u64;
    let mut runner = Runner {
        limits,
        threads,
        recorder,
        progress,
        cancel,
        runs: 0,
        ran: 0,
        seconds: 0.0,
        stored_only,
        judged,
    };
    runner.runs += noise_runs;
    runner.ran += noise_runs - u64::from(NOISE_REPLICATES) * noise.served.len() as u64;
    let morris = Design::Morris {
        trajectories,
        levels,
    };
    let share = Design::LatinHypercube {
        points: SHARE_POINTS,
    };
    // novel's two sweeps, by span of years.
    let mut novels: Vec<(Years, Swept, Swept, SweepPlan)> = Vec::new();
    let mut questions = Vec::new();
    for (name, scenario) in &asked {
        let Some((verdict, _)) = verdicts(name) else {
            continue;
        };
        let Some(declared) = &scenario.answer else {
            continue;
        };
        let Some(figure) = figure_index(&declared.yes_when.figure) else {
            continue;
        };
        let span = Years::of(&scenario.params);
        progress.running(name);
        let novel = crate::scenarios::baseline_for(scenario);
        if !novels.iter().any(|(s, ..)| *s == span) {
            let Some((_, novel_morris)) = runner.run(around(&plausible, &novel, morris, None))?
            else {
                return Ok(None);
            };
            let Some((share_plan, novel_share)) =
                runner.run(around(&plausible, &novel, share, None))?
            else {
                return Ok(None);
            };
            novels.push((span, novel_morris, novel_share, share_plan));
        }
        let (_, novel_morris, novel_share, share_plan) =
            novels.iter().find(|(s, ..)| *s == span).expect("run above");
        let Some((morris_plan, scenario_morris)) =
            runner.run(around(&plausible, scenario, morris, None))?
        else {
            return Ok(None);
        };
        let Some((_, scenario_share)) = runner.run(around(&plausible, scenario, share, None))?
        else {
            return Ok(None);
        };
        let direction = match declared.yes_when.direction {
            hailsham_scenario::Direction::Up => hailsham_outputs::Direction::Up,
            hailsham_scenario::Direction::Down => hailsham_outputs::Direction::Down,
            hailsham_scenario::Direction::UpOrSame => hailsham_outputs::Direction::UpOrSame,
            hailsham_scenario::Direction::DownOrSame => hailsham_outputs::Direction::DownOrSame,
        };
        // Replicate noise alone: the novel's own world, replicate by replicate.
        let novel_noise = noise_index
            .iter()
            .find(|(s, _)| *s == span)
            .map_or(0, |(_, i)| *i);
        let scenario_noise = noise_of
            .iter()
            .find(|(asked, _)| asked == name)
            .map_or(novel_noise, |(_, i)| *i);
        let noise_differences: Vec<f64> = noise_summaries[scenario_noise]
            .replicates
            .iter()
            .zip(&noise_summaries[novel_noise].replicates)
            .map(|(s, n)| (s[figure] - n[figure]) * to_england(figure))
            .collect();
        // Screening: the assumptions that move the difference.
        let screened = differences(&scenario_morris, novel_morris, figure);
        let effects = match &morris_plan.reading {
            Reading::Morris(design) if screened.iter().all(|d| d.is_finite()) => {
                design.screening(&screened).ok()
            }
            _ => None,
        };
        let mut chosen: Vec<usize> = Vec::new();
        if let Some(effects) = &effects {
            let largest = effects.iter().map(|e| e.mu_star).fold(0.0, f64::max);
            let mut ranked: Vec<usize> = (0..effects.len()).collect();
            ranked.sort_by(|a, b| effects[*b].mu_star.total_cmp(&effects[*a].mu_star));
            chosen = ranked
                .into_iter()
                .filter(|&i| largest > 0.0 && effects[i].mu_star >= SCREEN_SHARE * largest)
                .take(SOBOL_FACTORS_MAX)
                .collect();
        }
        // Sobol indices of those few.
        let mut indices = Vec::new();
        let mut noise_share = None;
        if !chosen.is_empty() {
            let sobol = Design::Sobol {
                points: SOBOL_POINTS,
            };
            let Some((sobol_plan, scenario_sobol)) =
                runner.run(around(&plausible, scenario, sobol, Some(&chosen)))?
            else {
                return Ok(None);
            };
            let Some((_, novel_sobol)) =
                runner.run(around(&plausible, &novel, sobol, Some(&chosen)))?
            else {
                return Ok(None);
            };
            let outputs = differences(&scenario_sobol, &novel_sobol, figure);
            let spread = variance(&outputs);
            if spread > 0.0 {
                noise_share = Some((variance(&noise_differences) / spread).min(1.0));
            }
            if let Reading::Sobol(design) = &sobol_plan.reading
                && outputs.iter().all(|d| d.is_finite())
                && let Ok(read) = design.indices(&outputs, 1000, plausible.seed)
            {
                let ranged = |e: hailsham_sensitivity::Estimate| Ranged {
                    value: e.value,
                    low: e.low,
                    high: e.high,
                };
                for (&axis, index) in chosen.iter().zip(read) {
                    let axis = &plausible.axes[axis];
                    indices.push(Sensitivity {
                        key: axis.spec.path(),
                        words: words(axis),
                        first: ranged(index.first),
                        total: ranged(index.total),
                    });
                }
                indices.sort_by(|a, b| b.total.value.total_cmp(&a.total.value));
            }
        }
        // The share of worlds where the verdict holds, and where it reverses.
        let shared = differences(&scenario_share, novel_share, figure);
        let matters = declared.yes_when.matters;
        let reverses: Vec<bool> = shared
            .iter()
            .map(|d| point_verdict(*d, matters, direction) != verdict)
            .collect();
        let holds = reverses.iter().filter(|r| !**r).count();
        let mut spread = Spread {
            yes_finding: declared.yes_finding.clone(),
            no_finding: declared.no_finding.clone(),
            ..Spread::default()
        };
        for difference in &shared {
            match point_verdict(*difference, matters, direction) {
                Verdict::Yes => spread.yes += 1,
                Verdict::No => spread.no += 1,
                Verdict::NoDifference => spread.no_difference += 1,
                Verdict::Unclear => {}
            }
        }
        let noise_holds = noise_differences
            .iter()
            .filter(|d| point_verdict(**d, matters, direction) == verdict)
            .count();
        // PRIM's box, kept only where reversals crowd into it: at least twice as dense there
        // as over all the worlds (else the reversals are spread as chance spreads them).
        let units: Vec<Vec<f64>> = (0..share_plan.len()).map(|i| share_plan.unit(i)).collect();
        #[allow(clippy::cast_precision_loss)]
        let rate = reverses.iter().filter(|r| **r).count() as f64 / reverses.len().max(1) as f64;
        let found = prim(&units, &reverses, 0.05, 0.05, 2)
            .filter(|found| found.coverage >= 0.5 && found.density >= 2.0 * rate);
        let reversal = found.map(|found| Reversal {
            bounds: found
                .bounds
                .iter()
                .map(|&(factor, low, high)| {
                    let axis = &plausible.axes[factor];
                    Bound {
                        key: axis.spec.path(),
                        words: words(axis),
                        above: (low > 0.0).then(|| value_text(axis, low)),
                        below: (high < 1.0).then(|| value_text(axis, high)),
                    }
                })
                .collect(),
            coverage: found.coverage,
            density: found.density,
        });
        questions.push((
            *name,
            Robustness {
                scenario: scenario.name.clone(),
                verdict,
                worlds: shared.len(),
                holds,
                interval: wilson(holds, shared.len()),
                spread,
                noise: (noise_holds, noise_differences.len()),
                noise_share,
                screened: plausible.axes.len(),
                indices,
                reversal,
            },
        ));
    }
    Ok(Some(Robust {
        questions,
        runs: runner.runs,
        ran: runner.ran,
        seconds: runner.seconds,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Goal: the worlds are a fifth of England's, and what a question changes stays changed in
    /// every world. Method: the plausible sweep around `hailsham-everywhere` (which sets the
    /// Hailsham share, one of the plausible axes, to every clone): its points.
    #[test]
    fn the_worlds_are_a_fifth_of_englands_and_keep_what_the_question_changes() {
        let plausible = plausible().expect("the bundled file reads");
        let population = plausible
            .axes
            .iter()
            .find(|a| a.spec.key == "population_millions")
            .expect("population is plausible");
        let Values::Range { low, high, .. } = population.values else {
            panic!("a range");
        };
        assert!(
            (low - 43.0 * ROBUST_SCALE).abs() < 1e-9 && (high - 59.0 * ROBUST_SCALE).abs() < 1e-9
        );
        let (scenario, _) = crate::scenarios::named("hailsham-everywhere").expect("bundled");
        let sweep = around(
            &plausible,
            &scenario,
            Design::LatinHypercube { points: 8 },
            None,
        );
        assert!(sweep.kept.contains(&"homes.hailsham_share".to_string()));
        let reform = plausible
            .axes
            .iter()
            .find(|a| a.spec.key == "reform_start_year")
            .expect("plausible");
        assert_eq!(
            words(reform),
            "first year in which the humane homes take in clones"
        );
        let plan = SweepPlan::new(sweep).expect("every world can run");
        let points: Vec<_> = (0..plan.len())
            .map(|i| plan.point(i).expect("checked"))
            .collect();
        for point in &points {
            assert_eq!(point.params.homes.hailsham_share, 1.0);
            assert!(point.params.homes.population_millions < 12.0);
        }
        let differ = points
            .windows(2)
            .any(|w| w[0].params.care.carer_share != w[1].params.care.carer_share);
        assert!(differ, "the other assumptions vary");
    }

    /// Goal: without a store, or with one that holds no robustness, nothing is said.
    #[test]
    fn no_robustness_is_read_from_an_empty_store() {
        let answered: Vec<Answered> = Vec::new();
        assert!(
            stored_robust(&answered, &mut Recorder::none())
                .expect("no error")
                .is_none()
        );
    }
}
