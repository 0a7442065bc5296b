//! `hailsham life` as a reader types it.

use crate::cli::hailsham;

/// Goal: a life is told, as text, with its sources, and as data; the same twice.
#[test]
fn a_life_is_told_as_text_with_sources_and_as_json() {
    let args = ["life", "1848", "--until", "1995"];
    let text = hailsham(&args);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("(clone 1848)"), "{}", text.stdout);
    let words = text.stdout.split_whitespace().count();
    assert!(
        (60..=450).contains(&words),
        "{words} words:\n{}",
        text.stdout
    );
    assert_eq!(hailsham(&args).stdout, text.stdout, "the same story twice");

    let explained = hailsham(&["life", "1848", "--until", "1995", "--explain"]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    assert!(explained.stdout.contains("    | "), "{}", explained.stdout);
    assert!(explained.stdout.contains("created"), "{}", explained.stdout);

    let json = hailsham(&["life", "1848", "--until", "1995", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(value["id"], 1848);
    let events = value["events"].as_array().expect("events");
    assert_eq!(events[0]["kind"], "created");
    // Every sentence's sources index the events.
    for paragraph in value["paragraphs"].as_array().expect("paragraphs") {
        for sentence in paragraph.as_array().expect("sentences") {
            for source in sentence["sources"].as_array().expect("sources") {
                assert!((source.as_u64().expect("index") as usize) < events.len());
            }
        }
    }
}

/// Goal: the same clone under another rule, side by side, with where they part.
#[test]
fn a_life_against_another_scenario_says_where_they_part() {
    let result = hailsham(&[
        "life",
        "1848",
        "--against",
        "single-harvest",
        "--until",
        "1995",
    ]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stdout.contains("in novel:"), "{}", result.stdout);
    assert!(
        result.stdout.contains("in single-harvest:"),
        "{}",
        result.stdout
    );
    assert!(result.stdout.contains("part on"), "{}", result.stdout);
    // The rule in words, with its key.
    assert!(
        result.stdout.contains("(`donation.donations_max`)"),
        "{}",
        result.stdout
    );
    // One clone, named once above both stories, with its id in each world.
    let first = result.stdout.lines().next().expect("a header");
    assert!(
        first.contains("born in") && first.contains("clone 1848"),
        "{first}"
    );
    // The stories beneath it carry no titles of their own, with two ids for one clone.
    assert_eq!(
        result.stdout.matches("(clone ").count(),
        1,
        "{}",
        result.stdout
    );
}

/// Goal: an id no clone has is refused clearly.
#[test]
fn an_unknown_clone_is_refused() {
    let result = hailsham(&["life", "99999999", "--until", "1960"]);
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(
        result.stderr.contains("no clone 99999999"),
        "{}",
        result.stderr
    );
}

/// A small country's run with its event log, in a folder of its own: (folder, scenario file).
fn stored_run(name: &str) -> (std::path::PathBuf, String) {
    let dir = crate::cli::scratch(name);
    let scenario = dir.join("small.toml");
    std::fs::write(
        &scenario,
        "name = \"small\"\nbase = \"novel.toml\"\n\n[homes]\npopulation_millions = 6.0\n",
    )
    .expect("scenario written");
    let scenario = scenario.display().to_string();
    let out = dir.join("out");
    let out_text = out.display().to_string();
    let run = hailsham(&[
        "run", &scenario, "-r", "2", "--seed", "3", "-q", "--out", &out_text, "--log",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (out, scenario)
}

/// The first id in replicate 1's person records whose row satisfies `fits`.
fn first_id(out: &std::path::Path, fits: impl Fn(&dyn Fn(&str) -> bool) -> bool) -> String {
    use hailsham_table::OwnedCell;
    let table = hailsham_table::read_parquet_file(out.join("people-001.parquet")).expect("reads");
    let column = |name: &str| {
        table
            .columns
            .iter()
            .position(|c| c.name == name)
            .expect("a column of the person records")
    };
    let (id, home, stage, carer_start, completion, donations) = (
        column("id"),
        column("home"),
        column("stage"),
        column("carer_start"),
        column("completion"),
        column("donations"),
    );
    for row in &table.rows {
        let has = |what: &str| match what {
            "hailsham" => row[home] == OwnedCell::Text("hailsham".into()),
            "carer" => row[carer_start] != OwnedCell::Null,
            "completed" => row[completion] != OwnedCell::Null,
            "donated" => !matches!(row[donations], OwnedCell::Int32(0)),
            "alive" => !matches!(&row[stage], OwnedCell::Text(s) if s == "completed"),
            _ => false,
        };
        if fits(&has) {
            let OwnedCell::Int32(value) = row[id] else {
                panic!("ids are Int32")
            };
            return value.to_string();
        }
    }
    panic!("no clone fits in {}", out.display());
}

/// Goal: a life read from the stored log is the life the re-run tells, byte for byte, as
/// text, with its sources and as data: a Hailsham carer, a donor who completed, a carer and
/// donor alive at the end, and a clone of the first days.
#[test]
fn a_life_from_the_stored_log_is_the_life_the_rerun_tells() {
    let (out, scenario) = stored_run("life-log");
    let out_text = out.display().to_string();
    let ids = [
        first_id(&out, |has| {
            has("hailsham") && has("carer") && has("completed")
        }),
        first_id(&out, |has| {
            has("donated") && has("completed") && !has("hailsham")
        }),
        first_id(&out, |has| has("alive") && has("carer") && has("donated")),
        first_id(&out, |has| has("alive") && !has("carer")),
        "0".to_string(),
    ];
    for id in &ids {
        for extra in [&[][..], &["--explain"][..], &["--format", "json"][..]] {
            let mut rerun = vec!["life", id, &scenario, "--seed", "3", "--replicate", "1"];
            rerun.extend(extra);
            let mut stored = vec!["life", id, "--log", &out_text, "--replicate", "1"];
            stored.extend(extra);
            let (rerun, stored) = (hailsham(&rerun), hailsham(&stored));
            assert_eq!(rerun.code, 0, "{}", rerun.stderr);
            assert_eq!(stored.code, 0, "{}", stored.stderr);
            assert!(!stored.stdout.is_empty());
            assert_eq!(stored.stdout, rerun.stdout, "clone {id} {extra:?}");
        }
    }
    // The other world is run; the stored life is the left-hand one.
    let against = hailsham(&[
        "life",
        &ids[0],
        "--log",
        &out_text,
        "--replicate",
        "1",
        "--against",
        "single-harvest",
    ]);
    assert_eq!(against.code, 0, "{}", against.stderr);
    assert!(against.stdout.contains("in small:"), "{}", against.stdout);
    assert!(
        against.stdout.contains("in single-harvest:"),
        "{}",
        against.stdout
    );

    // What does not fit a stored log is refused, with the file or flag named.
    let refused = |args: &[&str], code: i32, words: &str| {
        let result = hailsham(args);
        assert_eq!(result.code, code, "{args:?}: {}", result.stderr);
        assert!(result.stderr.contains(words), "{args:?}: {}", result.stderr);
    };
    refused(
        &["life", "0", "--log", &out_text, "--until", "1990"],
        2,
        "--until",
    );
    refused(
        &["life", "0", "--log", &out_text, "--seed", "4"],
        2,
        "seed 3",
    );
    refused(
        &["life", "0", "--log", &out_text, "--replicate", "2"],
        4,
        "log-002.parquet",
    );
    refused(
        &["life", "99999999", "--log", &out_text],
        3,
        "no clone 99999999",
    );
    refused(&["life", "0", "--log", &out_text, "novel"], 3, "hash");
    let elsewhere = out.with_file_name("nothing-here");
    let elsewhere_text = elsewhere.display().to_string();
    refused(&["life", "0", "--log", &elsewhere_text], 4, "nothing-here");
    std::fs::create_dir_all(&elsewhere).expect("folder");
    refused(&["life", "0", "--log", &elsewhere_text], 4, "metadata.json");
    // A truncated log, and a file that is not Parquet at all.
    let log = out.join("log-001.parquet");
    let bytes = std::fs::read(&log).expect("log");
    std::fs::write(&log, &bytes[..bytes.len() / 2]).expect("truncated");
    refused(
        &["life", "0", "--log", &out_text, "--replicate", "1"],
        4,
        "log-001.parquet",
    );
    std::fs::write(&log, "replicate,date\n").expect("foreign");
    refused(
        &["life", "0", "--log", &out_text, "--replicate", "1"],
        4,
        "log-001.parquet",
    );
    // A Parquet file of other columns: the person records under the log's name.
    std::fs::copy(out.join("people-001.parquet"), &log).expect("copied");
    refused(
        &["life", "0", "--log", &out_text, "--replicate", "1"],
        4,
        "not an event log",
    );
}

/// The clone a told life follows.
fn found_person(told: &hailsham_runner::Told) -> hailsham_world::PersonId {
    told.life.person
}

/// Goal: the event a pattern matched is told in the matched life's story. Method: the named
/// patterns over a small England; for each of the most unusual matches of each, the life of
/// the counted clone is told, and some sentence of it cites an announcement of each matched
/// kind on each matched day that the life holds (a match may bind announcements of others,
/// such as a friend's completion elsewhere, which are not this life's to tell).
#[test]
fn the_event_a_pattern_matched_is_told() {
    use hailsham_runner::{Cancel, NoProgress, Plan};
    let mut scenario = hailsham_scenario::Scenario::novel();
    scenario.params.homes.population_millions = 8.0;
    let plan = Plan::new(scenario.clone(), 1, 2);
    let pool = hailsham_runner::thread_pool(None).expect("a pool");
    let mut checked = 0;
    for (name, _) in hailsham_sift::NAMED {
        let pattern = hailsham_runner::pattern(name, std::path::Path::new("")).expect("named");
        let sifted = hailsham_runner::sift(&plan, &pattern, &pool, &NoProgress, &Cancel::default())
            .expect("sifted");
        for ranked in hailsham_sift::rank(&sifted.sifted).iter().take(6) {
            let found = ranked.found;
            let told =
                hailsham_runner::life(&scenario, 1, ranked.replicate, found.id).expect("the life");
            let cited: Vec<usize> = told
                .story
                .paragraphs
                .iter()
                .flatten()
                .flat_map(|s| s.sources.iter().copied())
                .collect();
            for event in &found.events {
                let held: Vec<usize> = told
                    .life
                    .events
                    .iter()
                    .enumerate()
                    .filter(|(_, (day, h))| {
                        let (y, m, d) = told.life.calendar.date_of(*day);
                        hailsham_table::days_from_civil(i64::from(y), m, d) == Some(event.date)
                            && h.kind().name() == event.kind
                    })
                    .map(|(i, _)| i)
                    .collect();
                if held.is_empty() {
                    continue;
                }
                // The sentence that tells it names the other party, if it has one.
                let sentences: Vec<&hailsham_lives::Sentence> =
                    told.story.paragraphs.iter().flatten().collect();
                for &i in &held {
                    let (_, happening) = &told.life.events[i];
                    let other = [happening.person(), happening.other()]
                        .into_iter()
                        .flatten()
                        .find(|p| *p != found_person(&told));
                    let (Some(other), Some(sentence)) =
                        (other, sentences.iter().find(|s| s.sources.contains(&i)))
                    else {
                        continue;
                    };
                    let fact = told.life.fact(other).expect("a party's fact");
                    let first = hailsham_lives::name_of(fact.lineage).first;
                    assert!(
                        sentence.text.contains(first),
                        "{name}: the matched {} is told without naming {first}: {:?}",
                        event.kind,
                        sentence.text
                    );
                }
                assert!(
                    held.iter().any(|i| cited.contains(i)),
                    "{name}: clone {} in replicate {}: the matched {} of day {} is not told:\n{}",
                    found.id,
                    ranked.replicate,
                    event.kind,
                    event.date,
                    told.story.to_text(100)
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} matched events checked");
}

/// A sentence's shape: its words with names, places, numbers and months put aside, so that
/// "In 1972 she gave a kidney" and "In 1984 he gave a kidney" have one shape. A word that
/// starts with a capital after the sentence's first is a name or a place.
fn shape(sentence: &str) -> String {
    use hailsham_lives::MONTHS;
    sentence
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            if bare.chars().any(|c| c.is_ascii_digit()) {
                "9".to_string()
            } else if MONTHS.contains(&bare) {
                "M".to_string()
            } else if i > 0 && bare.chars().next().is_some_and(char::is_uppercase) {
                "X".to_string()
            } else {
                // She and he tell alike.
                match bare.to_lowercase().as_str() {
                    "he" => "she".to_string(),
                    "his" | "him" => "her".to_string(),
                    other => other.to_string(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Goal: twenty lives read together are stories, not one record twenty times. Method: the
/// lives the named patterns find first (their most unusual matches, as a reader would be
/// shown them), twenty of them; the share of their sentences whose shape (see [`shape`])
/// another of the twenty also has must be under half.
#[test]
fn twenty_lives_read_together_vary() {
    use hailsham_runner::{Cancel, NoProgress, Plan};
    let mut scenario = hailsham_scenario::Scenario::novel();
    scenario.params.homes.population_millions = 8.0;
    let plan = Plan::new(scenario.clone(), 1, 2);
    let pool = hailsham_runner::thread_pool(None).expect("a pool");
    let mut lives: Vec<Vec<String>> = Vec::new();
    'patterns: for round in 0..6 {
        for (name, _) in hailsham_sift::NAMED {
            let pattern = hailsham_runner::pattern(name, std::path::Path::new("")).expect("named");
            let sifted =
                hailsham_runner::sift(&plan, &pattern, &pool, &NoProgress, &Cancel::default())
                    .expect("sifted");
            let ranked = hailsham_sift::rank(&sifted.sifted);
            let Some(pick) = ranked.get(round) else {
                continue;
            };
            let told = hailsham_runner::life(&scenario, 1, pick.replicate, pick.found.id)
                .expect("the life");
            lives.push(
                told.story
                    .paragraphs
                    .iter()
                    .flatten()
                    .map(|s| shape(&s.text))
                    .collect(),
            );
            if lives.len() == 20 {
                break 'patterns;
            }
        }
    }
    assert_eq!(lives.len(), 20);
    let (mut shared, mut sentences) = (0, 0);
    for (i, life) in lives.iter().enumerate() {
        for sentence in life {
            sentences += 1;
            if lives
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && other.contains(sentence))
            {
                shared += 1;
            }
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let share = f64::from(shared) / f64::from(sentences);
    println!("{shared} of {sentences} sentences share their shape with another life's: {share:.3}");
    if std::env::var_os("HAILSHAM_SHAPES").is_some() {
        let mut counts: std::collections::BTreeMap<&String, usize> =
            std::collections::BTreeMap::new();
        for life in &lives {
            for sentence in life {
                *counts.entry(sentence).or_default() += 1;
            }
        }
        let mut counts: Vec<_> = counts.into_iter().filter(|(_, n)| *n > 1).collect();
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        for (shape, n) in counts.iter().take(25) {
            println!("{n:3}  {shape}");
        }
    }
    assert!(
        share < 0.5,
        "{shared} of {sentences} sentences share their shape ({share:.3})"
    );
}

/// Goal: every fact of every sentence of a thousand lives agrees with the log. Method: one
/// replicate of a small England written with its log; the first thousand clones' lives read
/// back from it and told, each story checked by `hailsham_lives::check::check_story` (years,
/// ages, names, completions and how they came, time order, every donation told once).
#[test]
fn a_thousand_lives_agree_with_the_stored_log() {
    let dir = crate::cli::scratch("thousand-lives");
    let scenario = dir.join("small.toml");
    std::fs::write(
        &scenario,
        "name = \"small\"\nbase = \"novel.toml\"\n\n[homes]\npopulation_millions = 3.0\n",
    )
    .expect("scenario written");
    let out = dir.join("run");
    let ran = crate::cli::hailsham(&[
        "run",
        scenario.to_str().expect("a path"),
        "-r",
        "1",
        "--out",
        out.to_str().expect("a path"),
        "--log",
        "--no-records",
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let argument = scenario.to_str().expect("a path");
    let mut problems = Vec::new();
    for id in 0..1000 {
        let stored = hailsham_runner::stored_life(
            &out,
            0,
            id,
            None,
            Some(argument),
            std::path::Path::new(""),
        )
        .expect("every clone of the first thousand is in the log");
        if let Err(problem) =
            hailsham_lives::check::check_story(&stored.told.life, &stored.told.story)
        {
            problems.push(format!("clone {id}: {problem}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} lives disagree with the log:\n{}",
        problems.len(),
        problems[..problems.len().min(5)].join("\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
