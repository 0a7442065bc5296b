//! The named patterns over small worlds: their counts equal counts computed here, by plain
//! loops over the raw announcements; and sifting a live run equals sifting the Parquet log
//! that run writes.

use std::collections::{BTreeMap, BTreeSet};

use hailsham_outputs::EventLog;
use hailsham_sift::{IndexBuilder, Pattern, Sifted, read_log};
use hailsham_table::Format;
use hailsham_world::ReplicateObserver;
use hailsham_world::{
    Calendar, DAYS_PER_YEAR, Day, Happening, HomeKind, Observer, Params, Places, Replicate,
};

/// Every announcement, in order.
#[derive(Default)]
struct Everything(Vec<(Day, Happening)>);

impl Observer for Everything {
    fn observe(&mut self, day: Day, happening: &Happening) {
        self.0.push((day, happening.clone()));
    }
}

fn small(escape: bool) -> Params {
    let mut params = Params::default();
    // Large enough for a narrator: careers of eleven years or more are rare, as the novel has it.
    params.homes.population_millions = 20.0;
    if escape {
        params.escape.rate_per_year = 0.1;
    }
    params
}

fn ids(sifted: &Sifted) -> BTreeSet<u32> {
    sifted.matches.iter().map(|m| m.id).collect()
}

/// The counted people of each named pattern, by loops over the announcements.
#[allow(clippy::too_many_lines)]
fn by_hand(log: &[(Day, Happening)]) -> BTreeMap<&'static str, BTreeSet<u32>> {
    use Happening as H;
    let mut home: BTreeMap<u32, HomeKind> = BTreeMap::new();
    let mut qualified: BTreeMap<u32, (usize, u32)> = BTreeMap::new();
    let mut career_end: BTreeMap<u32, u32> = BTreeMap::new();
    let mut completion: BTreeMap<u32, (usize, u32)> = BTreeMap::new();
    let mut couples: BTreeSet<(u32, u32)> = BTreeSet::new();
    let end = log.iter().map(|(d, _)| d.0).max().unwrap_or(0);
    for (seq, (day, happening)) in log.iter().enumerate() {
        match *happening {
            H::Created {
                person, home: h, ..
            } => {
                home.insert(person.0, h);
            }
            H::CarerQualified { person, .. } => {
                qualified.entry(person.0).or_insert((seq, day.0));
            }
            H::CareerEnded { person, .. } => {
                career_end.insert(person.0, day.0);
            }
            H::Completed { person, .. } => {
                completion.insert(person.0, (seq, day.0));
            }
            H::CoupleFormed { first, second, .. } => {
                couples.insert((first.0, second.0));
                couples.insert((second.0, first.0));
            }
            _ => {}
        }
    }
    let hailsham = |p: u32| home.get(&p) == Some(&HomeKind::Hailsham);
    let carer_years = |p: u32| {
        let Some(&(_, start)) = qualified.get(&p) else {
            return 0.0;
        };
        let stop = career_end
            .get(&p)
            .copied()
            .or_else(|| completion.get(&p).map(|c| c.1))
            .unwrap_or(end);
        f64::from(i32::try_from(stop).unwrap_or(0) - i32::try_from(start).unwrap_or(0))
            / DAYS_PER_YEAR
    };
    let mut out: BTreeMap<&'static str, BTreeSet<u32>> = BTreeMap::new();
    for name in [
        "narrator",
        "ruth",
        "tommy",
        "refused",
        "cared-for-partner",
        "never-found",
    ] {
        out.insert(name, BTreeSet::new());
    }
    let mut last_escape: BTreeMap<u32, usize> = BTreeMap::new();
    let mut last_found: BTreeMap<u32, usize> = BTreeMap::new();
    for (seq, (_, happening)) in log.iter().enumerate() {
        match *happening {
            H::CarerAssigned {
                carer, donor, how, ..
            } => {
                let (n, f) = (carer.0, donor.0);
                if hailsham(n)
                    && carer_years(n) >= 11.0
                    && qualified.get(&n).is_some_and(|q| q.0 < seq)
                    && how.chosen()
                    && hailsham(f)
                    && completion.get(&f).is_some_and(|c| c.0 > seq)
                {
                    out.get_mut("narrator").map(|s| s.insert(n));
                }
                if how == hailsham_world::Assignment::ChosenPartner || couples.contains(&(n, f)) {
                    out.get_mut("cared-for-partner").map(|s| s.insert(n));
                }
            }
            H::Completed { person, number, .. } if number == 2 && hailsham(person.0) => {
                out.get_mut("ruth").map(|s| s.insert(person.0));
            }
            H::Donation { person, number, .. } if number == 4 && hailsham(person.0) => {
                out.get_mut("tommy").map(|s| s.insert(person.0));
            }
            H::DeferralAsked { first, granted, .. } if !granted => {
                out.get_mut("refused").map(|s| s.insert(first.0));
            }
            H::Escaped { person, .. } => {
                last_escape.insert(person.0, seq);
            }
            H::Found { person } => {
                last_found.insert(person.0, seq);
            }
            _ => {}
        }
    }
    for (&p, &escaped) in &last_escape {
        if last_found.get(&p).is_none_or(|&found| found < escaped) {
            out.get_mut("never-found").map(|s| s.insert(p));
        }
    }
    out
}

#[test]
fn the_named_patterns_count_what_loops_over_the_announcements_count() {
    for escape in [false, true] {
        let params = small(escape);
        let observer = (Everything::default(), IndexBuilder::live(&params, 0));
        let (_, (everything, builder)) = Replicate::new(&params, 11, 0, observer).finish();
        let index = builder.finish();
        let expected = by_hand(&everything.0);
        for (name, want) in &expected {
            let pattern =
                Pattern::parse(hailsham_sift::named(name).expect("named")).expect("compiles");
            let sifted = pattern.sift(&index);
            let got = ids(&sifted);
            assert_eq!(&got, want, "{name} (escape {escape})");
            assert!(sifted.population >= got.len() as u64, "{name}");
        }
        eprintln!(
            "escape {escape}: {:?}",
            expected
                .iter()
                .map(|(n, s)| (*n, s.len()))
                .collect::<Vec<_>>()
        );
        // The counts are not empty where the world has such lives.
        let size = |name: &str| expected[name].len();
        assert!(size("ruth") > 0 && size("tommy") > 0);
        // Eleven years of caring are rare; where clones may run, a small world can have none.
        assert!(escape || size("narrator") > 0);
        assert!(size("cared-for-partner") > 0 && size("refused") > 0);
        assert_eq!(size("never-found") > 0, escape, "escape is off in novel");
    }
}

#[test]
fn sifting_a_live_run_equals_sifting_its_stored_log() {
    let dir = std::env::temp_dir().join(format!("hailsham-sift-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    for escape in [false, true] {
        let params = small(escape);
        let replicate = 2;
        let calendar = Calendar::new(i32::try_from(params.time.start_year).expect("a year"));
        let log = EventLog::new(
            Vec::new(),
            Format::Parquet,
            replicate,
            calendar,
            Places::new(&params),
            &[("scenario", "test"), ("seed", "5")],
        )
        .expect("a log");
        let observer = (IndexBuilder::live(&params, replicate), log);
        let (_, (builder, mut log)) = Replicate::new(&params, 5, replicate, observer).finish();
        log.flush(true).expect("the log is written");
        let bytes = log.into_inner().expect("the log's bytes");
        let path = dir.join(format!("log-{replicate:03}.parquet"));
        std::fs::write(&path, bytes).expect("written");
        let live = builder.finish();
        let (stored, metadata) = read_log(&path).expect("the log reads back");
        assert_eq!(metadata.seed, Some(5));
        assert_eq!(metadata.scenario.as_deref(), Some("test"));
        assert_eq!(stored.replicate, replicate);
        assert_eq!(stored.len(), live.len(), "every announcement is a row");
        assert_eq!(stored.people(), live.people());
        assert_eq!(stored.end_day, live.end_day);
        for (name, text) in hailsham_sift::NAMED {
            let pattern = Pattern::parse(text).expect("compiles");
            let (a, b) = (pattern.sift(&live), pattern.sift(&stored));
            assert_eq!(a, b, "{name} (escape {escape})");
        }
        // Patterns that read ages, births, houses, towns and years.
        for text in [
            "d: donation ?x where age < 25 and year >= 1990",
            "l: left-home ?x where house = \"the Cottages\" and born(?x) >= 1960",
            "a: carer-assigned carer ?c donor ?d where house(?c) = house(?d)",
            "a: carer-assigned carer ?c donor ?d where centre != town",
            "q: carer-qualified ?c where town = \"Dover\"",
            "o: organ-supplied ?x where organ = kidney and transplanted",
            "e: career-ended ?x where km > 50000 and why = notice",
        ] {
            let pattern = Pattern::parse(text).expect("compiles");
            let (a, b) = (pattern.sift(&live), pattern.sift(&stored));
            assert!(!a.matches.is_empty(), "{text} matches somebody");
            assert_eq!(a, b, "{text}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_without_logs_and_a_file_that_is_not_one_are_errors() {
    let dir = std::env::temp_dir().join(format!("hailsham-sift-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let error = hailsham_sift::log_files(&dir).expect_err("no logs");
    assert!(error.to_string().contains("holds no event log"), "{error}");
    std::fs::write(dir.join("log-000.parquet"), b"not parquet").expect("written");
    let files = hailsham_sift::log_files(&dir).expect("one file");
    let error = read_log(&files[0]).expect_err("not parquet");
    assert!(error.to_string().contains("cannot read"), "{error}");
    let missing = dir.join("nowhere");
    assert!(hailsham_sift::log_files(&missing).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Reading speed of a stored log, split into the column reader alone and the whole index:
/// `HAILSHAM_LOG=out/novel/log-000.parquet cargo test -p hailsham-sift --release --test named
/// -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn reading_a_stored_log() {
    let Ok(path) = std::env::var("HAILSHAM_LOG") else {
        eprintln!("set HAILSHAM_LOG to a log-NNN.parquet");
        return;
    };
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let mut reader = hailsham_table::ParquetColumns::open(&path).expect("opens");
        let mut rows = 0;
        while let Some(group) = reader.next_group() {
            let group = group.expect("reads");
            rows += group.rows;
            reader.recycle(group);
        }
        let columns = started.elapsed();
        let started = std::time::Instant::now();
        let (index, _) = read_log(std::path::Path::new(&path)).expect("a log");
        let whole = started.elapsed();
        let pattern =
            Pattern::parse(hailsham_sift::named("narrator").expect("named")).expect("compiles");
        let started = std::time::Instant::now();
        let sifted = pattern.sift(&index);
        let matching = started.elapsed();
        eprintln!(
            "{rows} rows: columns alone {:.3} s; read into the index {:.3} s; narrator matched \
             in {:.4} s ({} matches)",
            columns.as_secs_f64(),
            whole.as_secs_f64(),
            matching.as_secs_f64(),
            sifted.matches.len()
        );
    }
}
