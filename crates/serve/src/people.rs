//! The people of a run for the page: sifting a scenario for a pattern, and telling one
//! clone's life (with the people it names, and the same clone under another scenario).
//!
//! Both run the model (an England replicate takes a fraction of a second), so they run on
//! tokio's blocking threads behind a semaphore, and what they give is kept in a small cache:
//! a class that opens the same life thirty times runs it once.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use hailsham_lives::{Life, name_of, to_json};
use hailsham_outputs::estimate;
use hailsham_runner::{Cancel, Limits, Outputs, Plan, RunError};
use hailsham_scenario::Scenario;
use hailsham_sift::{Pattern, Sifted, rank};
use hailsham_world::{Happening, PersonId};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::present::estimate_json;

/// Matches listed.
const MATCHES_SHOWN: usize = 50;
/// Answers kept.
const CACHE_ENTRIES: usize = 256;

/// A bounded cache, oldest out first.
struct Cache {
    entries: HashMap<String, Value>,
    order: VecDeque<String>,
}

impl Cache {
    fn get(&self, key: &str) -> Option<Value> {
        self.entries.get(key).cloned()
    }

    fn put(&mut self, key: String, value: Value) {
        if self.entries.contains_key(&key) {
            return;
        }
        if self.order.len() >= CACHE_ENTRIES
            && let Some(old) = self.order.pop_front()
        {
            self.entries.remove(&old);
        }
        self.order.push_back(key.clone());
        self.entries.insert(key, value);
    }
}

/// Sifting and lives, with their cache and the semaphore that bounds them.
pub(crate) struct Modelled {
    cache: Mutex<Cache>,
    /// Model runs at once for sifts and lives: one per core. Each permit is held by the
    /// blocking thread doing the work until the work has stopped, not by the request.
    pub(crate) permits: Arc<tokio::sync::Semaphore>,
    pool: Option<rayon::ThreadPool>,
}

impl Modelled {
    pub(crate) fn new() -> Modelled {
        Modelled {
            cache: Mutex::new(Cache {
                entries: HashMap::new(),
                order: VecDeque::new(),
            }),
            permits: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, usize::from),
            )),
            pool: rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("hailsham-sift-{i}"))
                .build()
                .ok(),
        }
    }

    pub(crate) fn cached(&self, key: &str) -> Option<Value> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
    }

    pub(crate) fn keep(&self, key: String, value: Value) {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .put(key, value);
    }

    /// `pattern` over `replicates` replicates of `scenario` run with `seed`.
    pub(crate) fn sift(
        &self,
        pattern: &Pattern,
        scenario: &Scenario,
        seed: u64,
        replicates: u32,
        cancel: &Cancel,
    ) -> Result<Value, ApiError> {
        let Some(pool) = &self.pool else {
            return Err(ApiError::internal("no threads to sift on"));
        };
        // Sized like a run, within the page's limits, which also give it its budget.
        let mut plan = Plan::new(scenario.clone(), seed, replicates);
        plan.check(
            &Limits::PAGE,
            Outputs::default(),
            pool.current_num_threads(),
        )?;
        let sifted =
            hailsham_runner::sift(&plan, pattern, pool, &hailsham_runner::NoProgress, cancel)
                .map_err(|e| match e {
                    RunError::Cancelled => ApiError::timeout("the sift was stopped"),
                    e => ApiError::internal(format!("the sift's run failed: {e}")),
                })?;
        Ok(sift_json(pattern, scenario, seed, &sifted.sifted))
    }
}

#[allow(clippy::cast_precision_loss)]
fn sift_json(pattern: &Pattern, scenario: &Scenario, seed: u64, sifted: &[Sifted]) -> Value {
    let counts: Vec<f64> = sifted.iter().map(|s| s.matches.len() as f64).collect();
    let populations: Vec<f64> = sifted.iter().map(|s| s.population as f64).collect();
    let shares: Vec<f64> = sifted.iter().map(Sifted::share).collect();
    let ranked = rank(sifted);
    let matches: Vec<Value> = ranked
        .iter()
        .take(MATCHES_SHOWN)
        .enumerate()
        .map(|(i, r)| {
            let m = r.found;
            let properties: Vec<String> = m
                .properties
                .pairs()
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            let people: serde_json::Map<String, Value> = m
                .people
                .iter()
                .map(|(name, id)| (name.clone(), json!(id)))
                .collect();
            json!({
                "rank": i + 1,
                "replicate": r.replicate,
                "id": m.id,
                "rarity": r.score,
                "properties": properties,
                "people": people,
                "life": format!(
                    "#/life/{}?scenario={}&seed={seed}&replicate={}",
                    m.id, scenario.name, r.replicate
                ),
            })
        })
        .collect();
    json!({
        "pattern": { "name": pattern.name, "about": pattern.about, "text": pattern.text },
        "scenario": scenario.name,
        "seed": seed,
        "count": estimate_json(&estimate(&counts), "people", false),
        "population": estimate_json(&estimate(&populations), "people", false),
        "share": estimate_json(&estimate(&shares), "share", false),
        "per_replicate": sifted.iter().map(|s| s.matches.len()).collect::<Vec<_>>(),
        "total": ranked.len(),
        "matches": matches,
    })
}

/// Clone `id`'s life in replicate `replicate` of `scenario` with `seed`, and, with `against`,
/// the same clone (the same lineage) in that scenario.
pub(crate) fn life(
    scenario: &Scenario,
    seed: u64,
    replicate: u32,
    id: u32,
    against: Option<&Scenario>,
) -> Result<Value, ApiError> {
    // One replicate, sized like a run within the page's limits.
    let mut plan = Plan::new(scenario.clone(), seed, 1);
    plan.check(&Limits::PAGE, Outputs::default(), 1)?;
    let told = hailsham_runner::life(scenario, seed, replicate, id).map_err(not_found)?;
    let mut json = told_json(&told.life, &told.story, scenario, seed, replicate);
    if let Some(other) = against {
        let against =
            hailsham_runner::against(&told, scenario, other, seed, replicate).map_err(not_found)?;
        let date = |day: hailsham_world::Day| {
            let (y, m, d) = told.life.calendar.date_of(day);
            format!("{y:04}-{m:02}-{d:02}")
        };
        json["against"] = json!({
            "life": told_json(&against.told.life, &against.told.story, other, seed, replicate),
            "shared_announcements": against.parting.shared,
            "parting": against.parting.day.map(date),
            "rules": against.parting.rules,
            "causes": against.parting.causes,
            "words": against.words,
        });
    }
    Ok(json)
}

/// A clone the run never made, or never named: not found.
fn not_found(error: hailsham_runner::RunError) -> ApiError {
    ApiError::not_found(error.to_string())
}

/// A life as `hailsham life --format json` gives it, with where it ran and the people its
/// story names, each a link to their own life.
fn told_json(
    life: &Life,
    story: &hailsham_lives::Story,
    scenario: &Scenario,
    seed: u64,
    replicate: u32,
) -> Value {
    let mut json = to_json(life, story);
    json["scenario"] = json!(scenario.name);
    json["seed"] = json!(seed);
    json["replicate"] = json!(replicate);
    json["text"] = json!(story.to_text(72));
    let own_home = life.own().home;
    let mut people: Vec<Value> = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    for (_, happening) in &life.events {
        let Some((other, role)) = other_of(life.person, happening) else {
            continue;
        };
        if seen.contains(&other.0) {
            continue;
        }
        seen.push(other.0);
        let Some(fact) = life.fact(other) else {
            continue;
        };
        people.push(json!({
            "id": other.0,
            "name": name_of(fact.lineage).to_string(),
            "role": role,
            "home": fact.home.as_str(),
            "same_home": fact.home == own_home,
            "life": format!(
                "#/life/{}?scenario={}&seed={seed}&replicate={replicate}",
                other.0, scenario.name
            ),
        }));
    }
    json["people"] = Value::Array(people);
    json
}

/// The other person an announcement names, and who they are to `person`.
fn other_of(person: PersonId, happening: &Happening) -> Option<(PersonId, &'static str)> {
    let other = match happening.person() {
        Some(p) if p == person => happening.other()?,
        Some(p) => p,
        None => return None,
    };
    if other == person {
        return None;
    }
    let role = match happening {
        Happening::CarerAssigned { carer, .. } | Happening::CarerReleased { carer, .. } => {
            if *carer == person { "donor" } else { "carer" }
        }
        Happening::CoupleFormed { .. }
        | Happening::CoupleParted { .. }
        | Happening::DeferralAsked { .. } => "partner",
        _ => "other",
    };
    Some((other, role))
}
