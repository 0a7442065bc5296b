//! `hailsham life ID`: one clone's life as a short story, and the same clone under another
//! scenario, side by side.

use std::io::{self, Write};
use std::path::Path;

use hailsham_lives::{Life, ReadLifeError, Story, Whom, compare, summary, tell, to_json};
use hailsham_scenario::Scenario;
use hailsham_world::{PersonId, SPECS};

use crate::Failure;
use crate::args::{LifeArgs, LifeFormat};
use crate::params::load;

/// Width of the story on a terminal; each column of a side-by-side pair is half of it.
const WIDTH: usize = 78;

/// The seed of a re-run when none is given, as for `run`.
const SEED_DEFAULT: u64 = 1;

/// A metadata.json is a few hundred bytes; a larger file is not a run's.
const METADATA_BYTES_MAX: u64 = 1 << 20;

fn witness(scenario: &Scenario, seed: u64, args: &LifeArgs, whom: Whom) -> Result<Life, Failure> {
    Life::witness(&scenario.params, seed, args.replicate, whom).map_err(|e| {
        Failure::Scenario(format!(
            "error: {e} (scenario `{}`, seed {seed}, replicate {})\n",
            scenario.name, args.replicate
        ))
    })
}

/// What a run's metadata.json says of it.
struct Stored {
    scenario: String,
    files: Vec<String>,
    hash: String,
    seed: u64,
    end_year: i64,
}

fn output(message: String) -> Failure {
    Failure::Output(anyhow::anyhow!(message))
}

/// Reads `dir/metadata.json`, refusing a folder that is not a hailsham run's.
fn stored_metadata(dir: &Path) -> Result<Stored, Failure> {
    let path = dir.join("metadata.json");
    let not_a_run = |why: &str| {
        output(format!(
            "{} is not the output of a hailsham run ({why}): write one with `hailsham run --out {} --log`",
            dir.display(),
            dir.display()
        ))
    };
    if !dir.is_dir() {
        return Err(output(format!("no folder {}", dir.display())));
    }
    let size = std::fs::metadata(&path)
        .map_err(|_| not_a_run("no metadata.json"))?
        .len();
    if size > METADATA_BYTES_MAX {
        return Err(not_a_run("its metadata.json is too large to be a run's"));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| output(format!("cannot read {}: {e}", path.display())))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| output(format!("{} is not JSON: {e}", path.display())))?;
    let field = |key: &str| {
        json.get(key).ok_or_else(|| {
            output(format!(
                "{} is not a hailsham run's metadata: it has no `{key}`",
                path.display()
            ))
        })
    };
    let text_of = |key: &str| -> Result<String, Failure> {
        field(key)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| output(format!("{}: `{key}` is not text", path.display())))
    };
    Ok(Stored {
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
            .ok_or_else(|| output(format!("{}: `seed` is not a seed", path.display())))?,
        end_year: field("end_year")?
            .as_i64()
            .ok_or_else(|| output(format!("{}: `end_year` is not a year", path.display())))?,
    })
}

/// The life of `args.id` read from the log in `dir`, with the scenario and seed it ran with.
fn stored(args: &LifeArgs, dir: &Path) -> Result<(Scenario, u64, Life), Failure> {
    let metadata = stored_metadata(dir)?;
    if let Some(seed) = args.seed
        && seed != metadata.seed
    {
        return Err(Failure::Usage(format!(
            "error: --seed {seed} is not the seed of the run in {} (seed {}); leave --seed out \
             to use the log's\n",
            dir.display(),
            metadata.seed
        )));
    }
    // The scenario as given, else the file the run read last (the scenario itself, after its
    // bases), else the run's scenario by name.
    let argument = match &args.scenario {
        Some(scenario) => Some(scenario.clone()),
        None => match metadata.files.last() {
            Some(file) if Path::new(file).is_file() => Some(file.clone()),
            _ if metadata.scenario == "novel" => None,
            _ => Some(metadata.scenario.clone()),
        },
    };
    let scenario = load(argument.as_deref())?;
    let scenario = hailsham_runner::until(scenario, Some(metadata.end_year))?;
    let hash = scenario.hash();
    if hash != metadata.hash {
        return Err(Failure::Scenario(format!(
            "error: the run in {} was of scenario `{}` (hash {}), but `{}` now resolves to \
             hash {}: the scenario changed since the run; name the file the run read\n",
            dir.display(),
            metadata.scenario,
            &metadata.hash[..metadata.hash.len().min(12)],
            scenario.name,
            &hash[..12]
        )));
    }
    let path = dir.join(format!("log-{:03}.parquet", args.replicate));
    if !path.is_file() {
        let held = match hailsham_sift::log_files(dir) {
            Ok(files) => format!(
                "it holds {} log file{}",
                files.len(),
                if files.len() == 1 { "" } else { "s" }
            ),
            Err(_) => "the run was written without --log".to_string(),
        };
        return Err(output(format!(
            "no event log {} for replicate {}: {held}",
            path.display(),
            args.replicate
        )));
    }
    let seed = metadata.seed.to_string();
    let footer = [("scenario_hash", hash.as_str()), ("seed", seed.as_str())];
    let life = Life::from_log(&path, &scenario.params, &footer, PersonId(args.id)).map_err(
        |e| match e {
            ReadLifeError::Life(e) => Failure::Scenario(format!(
                "error: {e} (scenario `{}`, seed {}, replicate {}, log {})\n",
                scenario.name,
                metadata.seed,
                args.replicate,
                path.display()
            )),
            e => output(e.to_string()),
        },
    )?;
    Ok((scenario, metadata.seed, life))
}

/// The date and the announcement, for `--explain`.
fn announcement(life: &Life, index: usize) -> String {
    let (day, happening) = &life.events[index];
    let (y, m, d) = life.calendar.date_of(*day);
    format!("{y:04}-{m:02}-{d:02}  {}  {happening:?}", happening.kind())
}

fn explain(out: &mut impl Write, life: &Life, story: &Story) -> io::Result<()> {
    writeln!(out, "{}", story.title)?;
    for paragraph in &story.paragraphs {
        writeln!(out)?;
        for sentence in paragraph {
            writeln!(out, "{}", sentence.text)?;
            for &index in &sentence.sources {
                writeln!(out, "    | {}", announcement(life, index))?;
            }
        }
    }
    Ok(())
}

/// Two texts in two columns.
fn side_by_side(left: &str, right: &str, width: usize) -> String {
    let left: Vec<&str> = left.lines().collect();
    let right: Vec<&str> = right.lines().collect();
    let mut out = String::new();
    for row in 0..left.len().max(right.len()) {
        let l = left.get(row).copied().unwrap_or("");
        let r = right.get(row).copied().unwrap_or("");
        let pad = width.saturating_sub(l.chars().count());
        let line = format!("{l}{}  {r}", " ".repeat(pad));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub(crate) fn life(args: &LifeArgs) -> Result<(), Failure> {
    let (scenario, seed, life) = match &args.log {
        Some(dir) => stored(args, dir)?,
        None => {
            let scenario = hailsham_runner::until(load(args.scenario.as_deref())?, args.until)?;
            let seed = args.seed.unwrap_or(SEED_DEFAULT);
            let life = witness(&scenario, seed, args, Whom::Id(PersonId(args.id)))?;
            (scenario, seed, life)
        }
    };
    // A stored run's years are the log's; the other world is run over the same years.
    let until = match &args.log {
        Some(_) => Some(scenario.params.time.end_year),
        None => args.until,
    };
    let against = match &args.against {
        Some(name) => Some(hailsham_runner::until(load(Some(name))?, until)?),
        None => None,
    };
    let story = tell(&life);
    let mut out = io::stdout().lock();
    let Some(other) = against else {
        match args.format {
            LifeFormat::Json => {
                let json = to_json(&life, &story);
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&json).expect("json")
                )?;
            }
            LifeFormat::Text if args.explain => explain(&mut out, &life, &story)?,
            LifeFormat::Text => write!(out, "{}", story.to_text(WIDTH))?,
        }
        return Ok(());
    };
    // The same clone: the same lineage, whatever its id in the other world.
    let other_life = witness(&other, seed, args, Whom::Lineage(life.lineage))?;
    let other_story = tell(&other_life);
    let parting = compare(&life, &scenario.params, &other_life, &other.params);
    if args.format == LifeFormat::Json {
        let json = serde_json::json!({
            "scenarios": [scenario.name, other.name],
            "lives": [to_json(&life, &story), to_json(&other_life, &other_story)],
            "shared_announcements": parting.shared,
            "parting": parting.day.map(|day| {
                let (y, m, d) = life.calendar.date_of(day);
                format!("{y:04}-{m:02}-{d:02}")
            }),
            "rules": parting.rules,
            "causes": parting.causes,
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json).expect("json")
        )?;
        return Ok(());
    }
    let half = (WIDTH - 2) / 2;
    let left = format!("in {}:\n\n{}", scenario.name, story.to_text(half));
    let right = format!("in {}:\n\n{}", other.name, other_story.to_text(half));
    write!(out, "{}", side_by_side(&left, &right, half))?;
    writeln!(out)?;
    let mut words = match parting.day {
        None => format!(
            "The two lives are the same: whatever {} changes, it made no difference to this clone.",
            other.name
        ),
        Some(day) => {
            let (y, m, d) = life.calendar.date_of(day);
            format!(
                "The two lives share their first {} announcements and part on {y:04}-{m:02}-{d:02}: \
                 in {} the next is {}; in {}, {}.",
                parting.shared,
                scenario.name,
                summary(&life, parting.shared),
                other.name,
                summary(&other_life, parting.shared)
            )
        }
    };
    if parting.day.is_some() && !parting.rules.is_empty() {
        let describe = |rule: &String| {
            let spec = SPECS.iter().find(|s| s.path() == *rule);
            let value = |p: &hailsham_world::Params| {
                spec.and_then(|s| p.get(s.section, s.key))
                    .map_or_else(String::new, |v| v.to_string())
            };
            format!(
                "{rule} ({} in {}, {} in {})",
                value(&scenario.params),
                scenario.name,
                value(&other.params),
                other.name
            )
        };
        if parting.causes > 0 {
            let causes: Vec<String> = parting.rules[..parting.causes]
                .iter()
                .map(describe)
                .collect();
            words.push_str(&format!(
                " The rule that parted them: {}.",
                causes.join("; ")
            ));
        } else {
            // No rule of the institution that made the difference changed: the change came to
            // this clone through the rest of the world.
            let rules: Vec<String> = parting.rules.iter().take(4).map(describe).collect();
            let created = matches!(
                life.events.get(parting.shared),
                Some((_, hailsham_world::Happening::Created { .. }))
            );
            words.push_str(&format!(
                " No rule of the institution that made that difference changed; the worlds differ \
                 in {}{}, and the difference reached this clone through the rest of the world{}.",
                rules.join("; "),
                if parting.rules.len() > 4 {
                    " and more"
                } else {
                    ""
                },
                if created {
                    ": each year's cohort of clones is sized to the organs a donor is expected to \
                     give, so a rule that changes what a donor gives changes who is created, and \
                     the same id names another clone"
                } else {
                    ""
                }
            ));
        }
    }
    for line in textwrap(&words, WIDTH) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn textwrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
