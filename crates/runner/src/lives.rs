//! One clone's life told: witnessed in a run of its replicate, or read back from the event
//! log a run stored; and the same clone (the same lineage) under another scenario, with where
//! the two lives part.

use std::path::Path;

use hailsham_lives::{Life, Parting, ReadLifeError, Story, Whom, compare, summary, tell};
use hailsham_scenario::Scenario;
use hailsham_world::PersonId;

use crate::error::RunError;

/// A life and its story.
#[derive(Debug)]
pub struct Told {
    /// The announcements naming the clone, and the facts of those they name.
    pub life: Life,
    /// The story told from them.
    pub story: Story,
}

/// Clone `id`'s life in replicate `replicate` of `scenario` run with `seed`, told.
///
/// # Errors
/// [`RunError::NoLife`] when the replicate created no clone of that id.
pub fn life(scenario: &Scenario, seed: u64, replicate: u32, id: u32) -> Result<Told, RunError> {
    witness(scenario, seed, replicate, Whom::Id(PersonId(id)))
}

fn witness(scenario: &Scenario, seed: u64, replicate: u32, whom: Whom) -> Result<Told, RunError> {
    let life =
        Life::witness(&scenario.params, seed, replicate, whom).map_err(|e| RunError::NoLife {
            message: format!(
                "{e} (scenario `{}`, seed {seed}, replicate {replicate})",
                scenario.name
            ),
        })?;
    let story = tell(&life);
    Ok(Told { life, story })
}

/// The same clone under another scenario, and where the two lives part.
#[derive(Debug)]
pub struct Against {
    /// The clone's life in the other scenario.
    pub told: Told,
    /// Where the two lives part, and the rules that differ.
    pub parting: Parting,
    /// Where they part, in words.
    pub words: String,
}

/// The life of `told`'s clone (the same lineage) in replicate `replicate` of `other` run with
/// `seed`, set against its life in `scenario`.
///
/// # Errors
/// [`RunError::NoLife`] when `other` never creates that clone.
pub fn against(
    told: &Told,
    scenario: &Scenario,
    other: &Scenario,
    seed: u64,
    replicate: u32,
) -> Result<Against, RunError> {
    let other_told = witness(other, seed, replicate, Whom::Lineage(told.life.lineage))?;
    let parting = compare(
        &told.life,
        &scenario.params,
        &other_told.life,
        &other.params,
    );
    let words = match parting.day {
        None => format!(
            "The two lives are the same: whatever {} changes, it made no difference to this clone.",
            other.name
        ),
        Some(day) => {
            let (y, m, d) = told.life.calendar.date_of(day);
            format!(
                "The two lives share their first {} announcements and part on {y:04}-{m:02}-{d:02}: \
                 in {} the next is {}; in {}, {}.",
                parting.shared,
                scenario.name,
                summary(&told.life, parting.shared),
                other.name,
                summary(&other_told.life, parting.shared)
            )
        }
    };
    Ok(Against {
        told: other_told,
        parting,
        words,
    })
}

/// A life read back from a stored run's log, with the scenario and seed the run had.
#[derive(Debug)]
pub struct StoredLife {
    /// The scenario, as it resolves now (its hash checked against the run's).
    pub scenario: Scenario,
    /// The run's seed.
    pub seed: u64,
    /// The life and its story.
    pub told: Told,
}

/// A metadata.json is a few hundred bytes; a larger file is not a run's.
const METADATA_BYTES_MAX: u64 = 1 << 20;

/// What a run's metadata.json says of it.
struct RunMetadata {
    scenario: String,
    files: Vec<String>,
    hash: String,
    seed: u64,
    end_year: i64,
}

fn not_a_run(message: String) -> RunError {
    RunError::NotARun { message }
}

/// Reads `dir/metadata.json`, refusing a folder that is not a hailsham run's.
fn run_metadata(dir: &Path) -> Result<RunMetadata, RunError> {
    let path = dir.join("metadata.json");
    let refused = |why: &str| {
        not_a_run(format!(
            "{} is not the output of a hailsham run ({why}): write one with `hailsham run --out {} --log`",
            dir.display(),
            dir.display()
        ))
    };
    if !dir.is_dir() {
        return Err(not_a_run(format!("no folder {}", dir.display())));
    }
    let size = std::fs::metadata(&path)
        .map_err(|_| refused("no metadata.json"))?
        .len();
    if size > METADATA_BYTES_MAX {
        return Err(refused("its metadata.json is too large to be a run's"));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| not_a_run(format!("cannot read {}: {e}", path.display())))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| not_a_run(format!("{} is not JSON: {e}", path.display())))?;
    let field = |key: &str| {
        json.get(key).ok_or_else(|| {
            not_a_run(format!(
                "{} is not a hailsham run's metadata: it has no `{key}`",
                path.display()
            ))
        })
    };
    let text_of = |key: &str| -> Result<String, RunError> {
        field(key)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| not_a_run(format!("{}: `{key}` is not text", path.display())))
    };
    Ok(RunMetadata {
        scenario: text_of("scenario")?,
        files: field("scenario_files")?
            .as_array()
            .map(|files| {
                files
                    .iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        hash: text_of("scenario_hash")?,
        seed: field("seed")?
            .as_u64()
            .ok_or_else(|| not_a_run(format!("{}: `seed` is not a seed", path.display())))?,
        end_year: field("end_year")?
            .as_i64()
            .ok_or_else(|| not_a_run(format!("{}: `end_year` is not a year", path.display())))?,
    })
}

/// Clone `id`'s life read from the log of replicate `replicate` that a run stored in `dir`,
/// told. The scenario is `argument` if given, else the file the run read last (the scenario
/// itself, after its bases), else the run's scenario by name, found as
/// [`crate::scenarios::find`] finds it from `directory`; its hash must be the run's. A `seed`
/// given must be the run's.
///
/// # Errors
/// [`RunError::NotARun`] for a folder that is not a run's or holds no such log,
/// [`RunError::Mismatch`] for a seed that is not the run's, [`RunError::ScenarioChanged`]
/// when the scenario no longer resolves to the run's hash, [`RunError::NoLife`] when the log
/// names no such clone.
pub fn stored_life(
    dir: &Path,
    replicate: u32,
    id: u32,
    seed: Option<u64>,
    argument: Option<&str>,
    directory: &Path,
) -> Result<StoredLife, RunError> {
    let metadata = run_metadata(dir)?;
    if let Some(seed) = seed
        && seed != metadata.seed
    {
        return Err(RunError::Mismatch {
            message: format!(
                "--seed {seed} is not the seed of the run in {} (seed {}); leave --seed out to \
                 use the log's",
                dir.display(),
                metadata.seed
            ),
        });
    }
    let argument = match argument {
        Some(argument) => Some(argument.to_string()),
        None => match metadata.files.last() {
            Some(file) if directory.join(file).is_file() => Some(file.clone()),
            _ if metadata.scenario == "novel" => None,
            _ => Some(metadata.scenario.clone()),
        },
    };
    let scenario = crate::scenarios::find(argument.as_deref(), directory)?;
    read_stored(dir, &metadata, replicate, id, scenario)
}

/// As [`stored_life`], for a front end that holds the run's scenario already resolved (one
/// made with changes, which no name or file gives back).
///
/// # Errors
/// As [`stored_life`].
pub fn stored_life_of(
    dir: &Path,
    replicate: u32,
    id: u32,
    scenario: Scenario,
) -> Result<StoredLife, RunError> {
    let metadata = run_metadata(dir)?;
    read_stored(dir, &metadata, replicate, id, scenario)
}

/// Clone `id`'s life read from replicate `replicate`'s log in the run folder `dir`, told with
/// `scenario`, which must resolve to the run's hash.
fn read_stored(
    dir: &Path,
    metadata: &RunMetadata,
    replicate: u32,
    id: u32,
    scenario: Scenario,
) -> Result<StoredLife, RunError> {
    let scenario = crate::plan::until(scenario, Some(metadata.end_year))?;
    let hash = scenario.hash();
    if hash != metadata.hash {
        return Err(RunError::ScenarioChanged {
            message: format!(
                "the run in {} was of scenario `{}` (hash {}), but `{}` now resolves to hash {}: \
                 the scenario changed since the run; name the file the run read",
                dir.display(),
                metadata.scenario,
                &metadata.hash[..metadata.hash.len().min(12)],
                scenario.name,
                &hash[..12]
            ),
        });
    }
    let path = dir.join(format!("log-{replicate:03}.parquet"));
    if !path.is_file() {
        let held = match hailsham_sift::log_files(dir) {
            Ok(files) => format!(
                "it holds {} log file{}",
                files.len(),
                if files.len() == 1 { "" } else { "s" }
            ),
            Err(_) => "the run was written without --log".to_string(),
        };
        return Err(not_a_run(format!(
            "no event log {} for replicate {replicate}: {held}",
            path.display()
        )));
    }
    let seed_text = metadata.seed.to_string();
    let footer = [
        ("scenario_hash", hash.as_str()),
        ("seed", seed_text.as_str()),
    ];
    let life =
        Life::from_log(&path, &scenario.params, &footer, PersonId(id)).map_err(|e| match e {
            ReadLifeError::Life(e) => RunError::NoLife {
                message: format!(
                    "{e} (scenario `{}`, seed {}, replicate {replicate}, log {})",
                    scenario.name,
                    metadata.seed,
                    path.display()
                ),
            },
            e => not_a_run(e.to_string()),
        })?;
    let story = tell(&life);
    Ok(StoredLife {
        scenario,
        seed: metadata.seed,
        told: Told { life, story },
    })
}
