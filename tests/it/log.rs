//! The event log and the observation channel: the log reconciles with the tally, reads back
//! from Parquet as it was written in CSV, is the same on any number of threads, and every
//! life's announcements follow the line of life.

use std::collections::HashMap;

use hailsham_outputs::EventLog;
use hailsham_runner::{Cancel, NoProgress, ReplicateObserver, Request};
use hailsham_table::{Format, read_parquet};
use hailsham_world::{
    Day, Happening, Observer, Params, PersonId, Places, Release, Replicate, Stage, Tally,
};
use proptest::prelude::*;

/// A small country with every mechanism on: escape, granted deferrals, matching.
fn everything_on(population_millions: f64) -> Params {
    let mut p = Params::default();
    p.homes.population_millions = population_millions;
    p.escape.rate_per_year = 0.1;
    p.deferral.granted = true;
    p.matching.enabled = true;
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    p
}

/// One replicate's log, in `format`, and its tally.
fn logged(params: &Params, seed: u64, format: Format) -> (Vec<u8>, Tally) {
    let calendar = hailsham_world::Calendar::new(params.time.start_year as i32);
    let log = EventLog::new(
        Vec::new(),
        format,
        0,
        calendar,
        Places::new(params),
        &[("seed", "test")],
    )
    .expect("log");
    let (tally, mut log) = Replicate::new(params, seed, 0, log).finish();
    log.flush(true).expect("written");
    (log.into_inner().expect("finished"), tally)
}

/// Goal: the log holds everything the tally counts. Method: count rows by kind (and by
/// column) in the CSV log and compare with the tally's own figures, exactly.
#[test]
fn the_log_reconciles_with_the_tally() {
    let params = everything_on(0.4);
    let (csv, tally) = logged(&params, 5, Format::Csv);
    let text = String::from_utf8(csv).expect("utf8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (kind, number, organ, flag) = (
        column("kind"),
        column("number"),
        column("organ"),
        column("flag"),
    );
    let mut kinds: HashMap<String, u64> = HashMap::new();
    let mut completed_at = [0_u64; 4];
    let mut supplied: HashMap<String, u64> = HashMap::new();
    let mut transplants = 0;
    let mut granted = 0;
    for line in lines {
        // No text the log writes holds a comma (kinds, towns, organs, words).
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), header.len(), "{line}");
        *kinds.entry(fields[kind].to_string()).or_default() += 1;
        match fields[kind] {
            "completed" => completed_at[fields[number].parse::<usize>().unwrap() - 1] += 1,
            "organ-supplied" => {
                *supplied.entry(fields[organ].to_string()).or_default() += 1;
                transplants += u64::from(fields[flag] == "true");
            }
            "deferral-asked" => granted += u64::from(fields[flag] == "true"),
            _ => {}
        }
    }
    let count = |k: &str| kinds.get(k).copied().unwrap_or(0);
    assert_eq!(count("created"), tally.clones_created);
    assert_eq!(count("completed"), tally.completed);
    assert_eq!(completed_at, tally.completions_at_donation);
    assert_eq!(count("donation"), tally.donations);
    assert_eq!(count("couple-formed"), tally.couples_formed);
    assert_eq!(count("deferral-asked"), tally.deferral_applications);
    assert_eq!(granted, tally.deferrals_granted);
    assert_eq!(count("escaped"), tally.escapes);
    assert_eq!(count("found"), tally.escapes_found);
    assert_eq!(count("donation-postponed"), tally.donations_postponed);
    assert_eq!(count("gallery-piece"), tally.gallery_pieces);
    assert_eq!(transplants, tally.transplants);
    for o in hailsham_world::Organ::ALL {
        assert_eq!(
            supplied.get(o.as_str()).copied().unwrap_or(0),
            tally.organs_supplied[o.index()],
            "{}",
            o.as_str()
        );
    }
    // Everyone created either completed or is still there at the end.
    assert_eq!(
        count("created"),
        count("completed") + count("run-ended"),
        "each life ends once in the log"
    );
    assert!(
        tally.escapes > 0 && tally.escapes_found > 0,
        "the mechanisms ran"
    );
    assert!(count("carer-qualified") > 0 && count("carer-assigned") > 0);
}

/// Goal: Parquet holds what CSV holds. Method: the same run written both ways; the Parquet
/// file, read back with the parquet crate's own reader and rendered as CSV, equals the CSV.
#[test]
fn the_parquet_log_reads_back_as_the_csv_log() {
    let params = everything_on(0.1);
    let (csv, _) = logged(&params, 2, Format::Csv);
    let (parquet, _) = logged(&params, 2, Format::Parquet);
    let table = read_parquet(parquet).expect("reads");
    assert_eq!(table.metadata_value("seed"), Some("test"));
    assert!(table.rows.len() > 10_000);
    assert_eq!(table.to_csv(), String::from_utf8(csv).expect("utf8"));
}

/// Goal: logs do not depend on threads. Method: three replicates on one thread and on three;
/// each replicate's Parquet log byte for byte.
#[test]
fn logs_are_byte_identical_on_one_thread_and_three() {
    let params = everything_on(0.1);
    let calendar = hailsham_world::Calendar::new(1952);
    let request = Request::new(&params, 8, 3);
    let logs = |threads: usize| -> Vec<Vec<u8>> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let outcomes = hailsham_runner::replicates::run(
            &request,
            &pool,
            |r| {
                Ok(EventLog::new(
                    Vec::new(),
                    Format::Parquet,
                    r,
                    calendar,
                    Places::new(&params),
                    &[],
                )?)
            },
            &NoProgress,
            &Cancel::default(),
        )
        .expect("runs");
        outcomes
            .into_iter()
            .map(|o| o.observer.into_inner().expect("finished"))
            .collect()
    };
    let (one, three) = (logs(1), logs(3));
    assert_eq!(one.len(), 3);
    assert_ne!(one[0], one[1], "replicates differ");
    assert!(one == three, "the logs differ between one thread and three");
}

/// Every announcement of a run, in order.
#[derive(Default)]
struct Everything(Vec<(Day, Happening)>);

impl Observer for Everything {
    fn observe(&mut self, day: Day, happening: &Happening) {
        self.0.push((day, happening.clone()));
    }
}

/// The stage an announcement puts its person in, if it moves them.
fn stage_after(happening: &Happening) -> Option<Stage> {
    match happening {
        Happening::Created { .. } => Some(Stage::Student),
        Happening::LeftHome { .. } => Some(Stage::Veteran),
        Happening::TrainingBegan { .. } => Some(Stage::Carer),
        Happening::BecameDonor { .. } => Some(Stage::Donor),
        Happening::Completed { .. } => Some(Stage::Completed),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Goal: the channel tells each life as the line of life goes. Method: over seeds and
    /// mechanisms, every life's announcements come in day order, move its stage only forward,
    /// never follow its completion; every donor a carer takes is a donor that day, and every
    /// carer who takes one is at work.
    #[test]
    fn every_life_is_announced_in_order(
        seed in 0_u64..1_000,
        escape in proptest::bool::ANY,
        deferral in proptest::bool::ANY,
        matching in proptest::bool::ANY,
    ) {
        let mut p = Params::default();
        p.homes.population_millions = 0.05;
        p.escape.rate_per_year = if escape { 0.2 } else { 0.0 };
        p.deferral.granted = deferral;
        p.matching.enabled = matching;
        let (_, log) = Replicate::new(&p, seed, 0, Everything::default()).finish();
        let mut stage: HashMap<PersonId, Stage> = HashMap::new();
        let mut last_day: HashMap<PersonId, Day> = HashMap::new();
        let mut working: HashMap<PersonId, bool> = HashMap::new();
        let mut previous = Day(0);
        for (day, happening) in &log.0 {
            prop_assert!(*day >= previous, "announcements come in day order");
            previous = *day;
            let parties = [happening.person(), happening.other()];
            for person in parties.into_iter().flatten() {
                if !matches!(happening, Happening::OrganSupplied { .. })
                    && stage.get(&person) == Some(&Stage::Completed)
                    && !matches!(happening, Happening::CarerReleased { why: Release::Completion, .. })
                {
                    prop_assert!(
                        matches!(happening, Happening::Completed { .. }) && parties[0] != Some(person),
                        "{person} appears after completing: {happening:?}"
                    );
                }
                last_day.insert(person, *day);
            }
            if let (Some(person), Some(next)) = (happening.person(), stage_after(happening)) {
                if let Some(&now) = stage.get(&person) {
                    prop_assert!(next > now, "{person}: {now:?} -> {next:?} goes back");
                }
                stage.insert(person, next);
            }
            match happening {
                Happening::CarerQualified { person, .. } => { working.insert(*person, true); }
                Happening::CareerEnded { person, .. } => { working.insert(*person, false); }
                Happening::CarerAssigned { carer, donor, .. } => {
                    prop_assert_eq!(stage.get(donor), Some(&Stage::Donor), "the donor is a donor");
                    prop_assert_eq!(working.get(carer), Some(&true), "the carer is at work");
                }
                Happening::Donation { person, number, .. } => {
                    prop_assert_eq!(stage.get(person), Some(&Stage::Donor));
                    prop_assert!(i64::from(*number) <= p.donation.donations_max);
                }
                Happening::Completed { person, .. } => {
                    prop_assert!(last_day.contains_key(person));
                }
                _ => {}
            }
        }
    }
}
