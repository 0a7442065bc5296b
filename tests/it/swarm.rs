//! Swarm tests of the model, as TigerBeetle's simulator does it: every parameter drawn from
//! its documented range (biased to the ends), mechanisms switched on at random, small worlds
//! run to their end. Whatever `check` accepts must run without a panic (the test profile keeps
//! overflow checks and debug assertions on), and its figures must be figures: no share outside
//! 0 to 1, no negative count, quantiles in order, nothing undefined that is defined.
//! A failing draw prints the line that replays it.
//!
//! `HAILSHAM_SWARM=N` runs N draws instead of the default (the README gives the longer run);
//! `HAILSHAM_SWARM_SEED=K` replays draw K alone.

use hailsham_outputs::{FIGURES, figures};
use hailsham_world::{Kind, Params, Replicate, SPECS, Value};

/// Events after which a draw's run stops (it has run; its figures are not checked).
const EVENTS_MAX: u64 = 400_000;

/// A small pseudo-random generator for the draws (SplitMix64): the swarm must not depend on
/// the model's own generators.
struct Draws(u64);

impl Draws {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let unit = (self.next() >> 11) as f64 / (1_u64 << 53) as f64;
        unit
    }
}

/// The parameters of draw `k`: each key left at its default, or set to its minimum, its
/// maximum or a value between, with the country kept small and the run short so a draw costs
/// milliseconds.
fn draw(k: u64) -> Params {
    let mut draws = Draws(k ^ 0x0073_7761_726d);
    let mut params = Params::default();
    for spec in SPECS {
        let pick = draws.next() % 6;
        if pick >= 3 {
            continue; // half the keys keep their default
        }
        let x = match pick {
            0 => spec.min,
            1 => spec.max,
            _ => spec.min + draws.unit() * (spec.max - spec.min),
        };
        #[allow(clippy::cast_possible_truncation)]
        let value = match spec.kind {
            Kind::Float => Value::Float(x),
            Kind::Int => Value::Int(x.round() as i64),
            Kind::Bool => Value::Bool(pick == 1 || (pick == 2 && draws.unit() < 0.5)),
        };
        let _ = params.set(spec.section, spec.key, value);
    }
    // Small and short whatever was drawn: the size rules are tested elsewhere.
    params.homes.population_millions = 0.05 + draws.unit() * 0.2;
    params.time.start_year = 1952;
    params.time.end_year = 1952 + 10 + (draws.next() % 40) as i64;
    // A rule that joins keys (shares that add up to 1, a minimum below a maximum) is rarely
    // met by keys drawn apart: put the keys of each broken rule back to their defaults, so
    // that the draw keeps every extreme the rules allow.
    let defaults = Params::default();
    for _ in 0..8 {
        let problems = params.problems();
        if problems.is_empty() {
            break;
        }
        for problem in problems {
            for (section, key) in problem.keys {
                if let Some(value) = defaults.get(section, key) {
                    let _ = params.set(section, key, value);
                }
            }
        }
    }
    params
}

/// Checks the figures of one replicate; a message names the figure that is not a figure.
fn check_figures(values: &[f64]) -> Result<(), String> {
    for (figure, &value) in FIGURES.iter().zip(values) {
        if value.is_nan() {
            continue; // undefined: a median of nothing
        }
        if !value.is_finite() {
            return Err(format!("{} is {value}", figure.key));
        }
        if value < 0.0 {
            return Err(format!("{} is negative: {value}", figure.key));
        }
        // Every share is of a whole, the yearly "demand met" too (of the patients whose wait
        // ended in the year).
        if figure.unit == "share" && value > 1.0 + 1e-9 {
            return Err(format!("{} is a share above 1: {value}", figure.key));
        }
    }
    let get = |key: &str| {
        FIGURES
            .iter()
            .position(|f| f.key == key)
            .map(|i| values[i])
            .expect("a figure")
    };
    let (p10, median, p90) = (
        get("completion_age_p10_years"),
        get("completion_age_median_years"),
        get("completion_age_p90_years"),
    );
    if !(p10.is_nan() || (p10 <= median && median <= p90)) {
        return Err(format!("quantiles out of order: {p10} {median} {p90}"));
    }
    let (shortest, middle, longest) = (
        get("carer_years_min"),
        get("carer_years_median"),
        get("carer_years_max"),
    );
    if !(shortest.is_nan() || (shortest <= middle && middle <= longest)) {
        return Err(format!(
            "careers out of order: {shortest} {middle} {longest}"
        ));
    }
    let shares = [
        "completed_at_1_share",
        "completed_at_2_share",
        "completed_at_3_share",
        "completed_at_4_share",
    ];
    let total: f64 = shares.iter().map(|k| get(k)).filter(|v| !v.is_nan()).sum();
    if total > 1.0 + 1e-9 {
        return Err(format!("completion shares sum to {total}"));
    }
    Ok(())
}

fn run_draw(k: u64) -> Result<bool, String> {
    let params = draw(k);
    if !params.problems().is_empty() {
        if std::env::var("HAILSHAM_SWARM_WHY").is_ok() {
            eprintln!(
                "draw {k}: {:?}",
                params
                    .problems()
                    .iter()
                    .map(|problem| &problem.message)
                    .collect::<Vec<_>>()
            );
        }
        return Ok(false); // check refuses it: nothing to run
    }
    // A draw whose world is big for all its small country (a share of every clone kept alive
    // for decades, say) stops at an event budget: the swarm is for breadth, not size.
    let outcome = std::panic::catch_unwind(|| {
        let mut replicate = Replicate::new(&params, k, 0, ());
        while replicate.step_year().is_some() {
            if replicate.events() > EVENTS_MAX {
                return None;
            }
        }
        Some(replicate.finish())
    });
    let Some((tally, ())) = outcome.map_err(|_| "the model panicked".to_string())? else {
        return Ok(true);
    };
    if tally.completed > tally.clones_created {
        return Err("more completions than clones".to_string());
    }
    check_figures(&figures(&tally))?;
    Ok(true)
}

#[test]
fn every_scenario_check_accepts_runs_and_gives_figures() {
    let draws: u64 = std::env::var("HAILSHAM_SWARM")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let only: Option<u64> = std::env::var("HAILSHAM_SWARM_SEED")
        .ok()
        .and_then(|n| n.parse().ok());
    let mut accepted = 0;
    for k in only.map_or(0..draws, |k| k..k + 1) {
        match run_draw(k) {
            Ok(ran) => accepted += u32::from(ran),
            Err(message) => panic!(
                "swarm draw {k}: {message}\n  replay: HAILSHAM_SWARM_SEED={k} cargo test --test integration swarm"
            ),
        }
    }
    // Half the keys move at random: some draws break a rule, but most must run.
    assert!(
        only.is_some() || accepted * 3 >= u32::try_from(draws).unwrap_or(u32::MAX),
        "only {accepted} of {draws} draws ran"
    );
}

/// Metamorphic: a country twice the size makes about twice the clones, donations and
/// completions, and the same shares within noise.
#[test]
fn twice_the_country_gives_twice_the_counts_and_the_same_shares() {
    let mut one = Params::default();
    one.homes.population_millions = 2.0;
    one.time.end_year = 1990;
    let mut two = one.clone();
    two.homes.population_millions = 4.0;
    let (a, ()) = Replicate::new(&one, 5, 0, ()).finish();
    let (b, ()) = Replicate::new(&two, 5, 0, ()).finish();
    #[allow(clippy::cast_precision_loss)]
    for (name, x, y) in [
        ("clones", a.clones_created as f64, b.clones_created as f64),
        ("donations", a.donations as f64, b.donations as f64),
        ("completions", a.completed as f64, b.completed as f64),
    ] {
        let ratio = y / x;
        assert!(
            (1.9..2.1).contains(&ratio),
            "{name}: {x} against {y}, ratio {ratio}"
        );
    }
    let (fa, fb) = (figures(&a), figures(&b));
    for (figure, (x, y)) in FIGURES.iter().zip(fa.iter().zip(&fb)) {
        // A final year's share is one year's noise; the rest are the run's.
        let yearly = figure.key.ends_with("final_year");
        if figure.unit == "share" && !yearly && x.is_finite() && y.is_finite() && *x > 0.05 {
            assert!((x - y).abs() < 0.03, "{}: {x} against {y}", figure.key);
        }
    }
}
