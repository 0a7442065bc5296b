//! `hailsham life ID`: one clone's life as a short story, and the same clone under another
//! scenario, side by side.

use std::io::{self, Write};
use std::path::Path;

use hailsham_lives::{Life, Parting, Story, to_json};
use hailsham_runner::{Against, Told};
use hailsham_scenario::Scenario;
use hailsham_world::SPECS;

use crate::Failure;
use crate::args::{LifeArgs, LifeFormat};
use crate::params::load;

/// Width of the story on a terminal; each column of a side-by-side pair is half of it.
const WIDTH: usize = 78;

/// The seed of a re-run when none is given, as for `run`.
const SEED_DEFAULT: u64 = 1;

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
    let (scenario, seed, told) = told(args)?;
    // A stored run's years are the log's; the other world is run over the same years.
    let until = match &args.log {
        Some(_) => Some(scenario.params.time.end_year),
        None => args.until,
    };
    let against = match &args.against {
        Some(name) => Some(hailsham_runner::until(load(Some(name))?, until)?),
        None => None,
    };
    let mut out = io::stdout().lock();
    let Some(other) = against else {
        write_one(&mut out, args, &told.life, &told.story)?;
        return Ok(());
    };
    // The same clone: the same lineage, whatever its id in the other world.
    let Against {
        told: other_told,
        parting,
        words,
    } = hailsham_runner::against(&told, &scenario, &other, seed, args.replicate)?;
    let worlds = [(&scenario, &told), (&other, &other_told)];
    if args.format == LifeFormat::Json {
        write_against_json(&mut out, worlds, &parting)?;
        return Ok(());
    }
    // One clone, named once: the same lineage has its own id in each world.
    let own = told.life.own();
    let name = hailsham_lives::name_of(own.lineage);
    let (here, there) = (told.life.person, other_told.life.person);
    let ids = if here == there {
        format!("clone {here} in both worlds")
    } else {
        format!(
            "clone {here} in {}, {there} in {}: ids follow the order of creation, and the \
             worlds create clones in another order",
            scenario.name, other.name
        )
    };
    for line in textwrap(
        &format!(
            "{name}, born in {} ({ids})",
            told.life.calendar.year_of(own.birth)
        ),
        WIDTH,
    ) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    let half = (WIDTH - 2) / 2;
    let untitled = |story: &hailsham_lives::Story| {
        let text = story.to_text(half);
        text.split_once('\n')
            .map_or(text.clone(), |(_, rest)| rest.trim_start().to_string())
    };
    let left = format!("in {}:\n\n{}", scenario.name, untitled(&told.story));
    let right = format!("in {}:\n\n{}", other.name, untitled(&other_told.story));
    write!(out, "{}", side_by_side(&left, &right, half))?;
    writeln!(out)?;
    let words = parting_words(words, &parting, &scenario, &other, &told.life);
    for line in textwrap(&words, WIDTH) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The scenario, seed and told life the arguments ask for: read from a stored run's log with
/// `--log`, else run again.
fn told(args: &LifeArgs) -> Result<(Scenario, u64, Told), Failure> {
    Ok(match &args.log {
        Some(dir) => {
            let stored = hailsham_runner::stored_life(
                dir,
                args.replicate,
                args.id,
                args.seed,
                args.scenario.as_deref(),
                Path::new(""),
            )?;
            (stored.scenario, stored.seed, stored.told)
        }
        None => {
            let scenario = hailsham_runner::until(load(args.scenario.as_deref())?, args.until)?;
            let seed = args.seed.unwrap_or(SEED_DEFAULT);
            let told = hailsham_runner::life(&scenario, seed, args.replicate, args.id)?;
            (scenario, seed, told)
        }
    })
}

/// One life in one world, as JSON, as the story, or as the story with the announcement
/// behind each sentence (`--explain`).
fn write_one(out: &mut impl Write, args: &LifeArgs, life: &Life, story: &Story) -> io::Result<()> {
    match args.format {
        LifeFormat::Json => {
            let json = to_json(life, story);
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json).expect("json")
            )
        }
        LifeFormat::Text if args.explain => {
            write!(out, "{}", hailsham_lives::Explainer::new(life).story(story))
        }
        LifeFormat::Text => write!(out, "{}", story.to_text(WIDTH)),
    }
}

/// The same clone's two lives as one JSON document, with where they part.
fn write_against_json(
    out: &mut impl Write,
    [(scenario, told), (other, other_told)]: [(&Scenario, &Told); 2],
    parting: &Parting,
) -> io::Result<()> {
    let json = serde_json::json!({
        "scenarios": [scenario.name, other.name],
        "lives": [
            to_json(&told.life, &told.story),
            to_json(&other_told.life, &other_told.story)
        ],
        "shared_announcements": parting.shared,
        "parting": parting.day.map(|day| {
            let (y, m, d) = told.life.calendar.date_of(day);
            format!("{y:04}-{m:02}-{d:02}")
        }),
        "rules": parting.rules,
        "causes": parting.causes,
    });
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&json).expect("json")
    )
}

/// Where the lives part, in words, with the rules that parted them (each with its value in
/// both worlds), or, if no rule of the institution that made the difference changed, the
/// rules that differ and how the difference reached the clone.
fn parting_words(
    mut words: String,
    parting: &Parting,
    scenario: &Scenario,
    other: &Scenario,
    life: &Life,
) -> String {
    if parting.day.is_none() || parting.rules.is_empty() {
        return words;
    }
    let describe = |rule: &String| {
        let spec = SPECS.iter().find(|s| s.path() == *rule);
        let value = |params: &hailsham_world::Params| {
            spec.and_then(|s| params.get(s.section, s.key))
                .map_or_else(String::new, |v| v.to_string())
        };
        // The rule in words, its key after it for those who would change it.
        let meaning = spec.map_or_else(String::new, |s| {
            // Its first clause: what follows a semicolon qualifies it, and would break the
            // list the rules are joined in.
            let mut meaning = s
                .meaning
                .split(';')
                .next()
                .unwrap_or(s.meaning)
                .trim()
                .to_string();
            if let Some(first) = meaning.get(..1) {
                meaning.replace_range(..1, &first.to_lowercase());
            }
            meaning
        });
        format!(
            "{meaning}: {} in {}, {} in {} (`{rule}`)",
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
        return words;
    }
    // No rule of the institution that made the difference changed: the change came to this
    // clone through the rest of the world.
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
    words
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
