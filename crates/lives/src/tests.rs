//! Stories agree with the announcements they tell.

use hailsham_world::{Happening, Params, PersonId};
use proptest::prelude::*;

use crate::check::check_story;
use crate::{Life, Whom, compare, name_of, tell};

/// A small country with every mechanism on.
fn everything_on() -> Params {
    let mut params = Params::default();
    params.homes.population_millions = 0.3;
    params.escape.rate_per_year = 0.1;
    params.matching.enabled = true;
    assert!(params.problems().is_empty(), "{:?}", params.problems());
    params
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Goal: a story says only what happened. Method: lives of random ids and seeds in a
    /// world with every mechanism on, each sentence checked against its announcements.
    #[test]
    fn stories_agree_with_their_announcements(seed in 0u64..1_000, ids in proptest::collection::vec(0u32..1_000, 8)) {
        let params = everything_on();
        for id in ids {
            // A country of 0.3 million makes about 1,200 clones: every id here is one.
            let life = Life::witness(&params, seed, 0, Whom::Id(PersonId(id))).expect("the clone exists");
            check_story(&life, &tell(&life)).map_err(TestCaseError::fail)?;
            let story = tell(&life);
            prop_assert!(story.words() <= 450, "{} words", story.words());
            prop_assert_eq!(&story, &tell(&life), "the same story twice");
        }
    }
}

/// Goal: the same world gives the same life; an unknown id is an error, not a panic.
#[test]
fn the_same_world_does_not_part_and_unknown_ids_are_refused() {
    let params = everything_on();
    let a = Life::witness(&params, 4, 0, Whom::Id(PersonId(123))).expect("a life");
    let b = Life::witness(&params, 4, 0, Whom::Id(PersonId(123))).expect("a life");
    let parting = compare(&a, &params, &b, &params);
    assert_eq!(parting.day, None);
    assert_eq!(parting.shared, a.events.len());
    assert!(parting.rules.is_empty());
    let error =
        Life::witness(&params, 4, 0, Whom::Id(PersonId(u32::MAX - 1))).expect_err("no such clone");
    assert!(error.to_string().contains("no clone"), "{error}");
}

/// Goal: a clone is the same clone in a world that makes more clones. Method: a second world
/// with a larger cohort each year; the clone found there by lineage has another id but the
/// same birth, home and name, and the same creation announcement; the ids differ for most.
#[test]
fn the_same_lineage_is_the_same_clone_in_a_bigger_world() {
    let small = everything_on();
    let mut big = small.clone();
    big.homes.population_millions = small.homes.population_millions * 1.5;
    assert!(big.problems().is_empty(), "{:?}", big.problems());
    let mut other_ids = 0;
    for id in (0..600).step_by(37) {
        let a = Life::witness(&small, 9, 0, Whom::Id(PersonId(id))).expect("a clone");
        let b = Life::witness(&big, 9, 0, Whom::Lineage(a.lineage)).expect("the same clone");
        assert_eq!(a.lineage, b.lineage);
        assert_eq!(a.own().birth, b.own().birth);
        assert_eq!(a.own().home, b.own().home);
        assert_eq!(name_of(a.lineage), name_of(b.lineage));
        let parting = compare(&a, &small, &b, &big);
        assert!(parting.shared >= 1, "clone {id}: created alike");
        other_ids += usize::from(a.person != b.person);
    }
    assert!(
        other_ids > 8,
        "a bigger world gives most clones other ids ({other_ids})"
    );
}

/// Writes a log by hand: `rows`, each a line of the log's values, as Parquet at `path`.
fn write_log(path: &std::path::Path, rows: &[[hailsham_table::Cell<'_>; 17]]) {
    let file = std::fs::File::create(path).expect("a file");
    let mut table = hailsham_table::TableWriter::new(
        file,
        hailsham_log::log_schema(),
        hailsham_table::Format::Parquet,
        &[],
    )
    .expect("a table");
    for row in rows {
        table.write_row(row).expect("a row of the log's types");
    }
    table.finish().expect("written");
}

/// Goal: a row the model could not have written is refused with its row, its column and
/// what it held. Method: a log of two rows written by hand (a creation, then the clone
/// becoming a donor), first with a blood group that is no word of the model's, then with
/// the second row's kind misspelt.
#[test]
fn a_row_the_model_could_not_write_is_refused_with_its_place_and_word() {
    use hailsham_log::{DecodeError, LogColumn, Names, Row, Unlogged, encode};
    use hailsham_table::Cell;
    use hailsham_world::{BloodGroup, Calendar, Day, HomeKind, Places};

    use crate::ReadLifeError;

    let params = Params::default();
    let names = Names::new(Places::new(&params));
    let epoch = hailsham_log::epoch(Calendar::new(1952)).expect("a year of the calendar");
    let created = Happening::Created {
        person: PersonId(0),
        home: HomeKind::Hailsham,
        // The birth is not a column: it comes back as the entry age gives it.
        birth: Unlogged::new(&params).birth(Day(0)),
        blood_group: BloodGroup::A,
        place: 0,
    };
    let donor = Happening::BecameDonor {
        person: PersonId(0),
    };
    let row = |happening: &Happening| -> Row { encode(happening).expect("a row") };
    let (first, second) = (row(&created), row(&donor));
    let path =
        std::env::temp_dir().join(format!("hailsham-lives-bad-{}.parquet", std::process::id()));
    let read = || Life::from_log(&path, &params, &[], PersonId(0));

    let mut bad_blood = first.values(0, epoch, &names);
    bad_blood[LogColumn::Detail as usize] = Cell::Text("Q");
    write_log(&path, &[bad_blood, second.values(0, epoch + 6000, &names)]);
    match read() {
        Err(ReadLifeError::Row { row, source, .. }) => {
            assert_eq!(row, 0);
            assert_eq!(
                source,
                DecodeError::UnknownWord {
                    column: LogColumn::Detail,
                    word: "Q".into()
                }
            );
        }
        other => panic!("expected a refused row, got {other:?}"),
    }

    let mut misspelt = second.values(0, epoch + 6000, &names);
    misspelt[LogColumn::Kind as usize] = Cell::Text("became-donr");
    write_log(&path, &[first.values(0, epoch, &names), misspelt]);
    let error = read().expect_err("an unknown kind");
    assert!(
        error
            .to_string()
            .ends_with("row 1: unknown kind `became-donr`"),
        "{error}"
    );

    // And the two rows as the model writes them are a life: born, then a donor.
    write_log(
        &path,
        &[
            first.values(0, epoch, &names),
            second.values(0, epoch + 6000, &names),
        ],
    );
    let life = read().expect("a life");
    let _ = std::fs::remove_file(&path);
    assert_eq!(life.events, [(Day(0), created), (Day(6000), donor)]);
}

/// Goal: `--explain` says each announcement in words: people by name and id, places by name,
/// ages in years, never the model's debug values. Method: every announcement of twenty lives
/// of a world with every mechanism on.
#[test]
fn every_announcement_is_explained_in_words() {
    let params = everything_on();
    for id in (0..2_000).step_by(100) {
        let Ok(life) = Life::witness(&params, 5, 0, Whom::Id(PersonId(id))) else {
            continue;
        };
        let explainer = crate::Explainer::new(&life);
        let own = format!("{} ({id})", crate::name_of(life.lineage));
        for index in 0..life.events.len() {
            let words = explainer.announcement(index);
            for debug in ["PersonId(", "Some(", "None", "65535", "Day(", "{", "::"] {
                assert!(!words.contains(debug), "{debug} in {words}");
            }
            assert!(words.contains(&own), "{own} in {words}");
            assert!(
                words.as_bytes()[..10]
                    .iter()
                    .filter(|b| **b == b'-')
                    .count()
                    == 2,
                "dated: {words}"
            );
        }
    }
}

/// Goal: a life's JSON names everyone in it: each event's other party by name as well as id,
/// and a list of the people met, each with name, home, birth year and what they were to this
/// clone (partner, carer, donor). Method: twenty lives of a world with every mechanism on.
#[test]
fn a_lifes_json_names_its_people_and_what_they_were() {
    let params = everything_on();
    let mut relations_seen = std::collections::BTreeSet::new();
    for id in (0..2_000).step_by(100) {
        let Ok(life) = Life::witness(&params, 5, 0, Whom::Id(PersonId(id))) else {
            continue;
        };
        let json = crate::to_json(&life, &crate::tell(&life));
        let people = json["people"].as_array().expect("a list of people");
        for event in json["events"].as_array().expect("events") {
            let Some(other) = event["other"].as_u64() else {
                continue;
            };
            let person = people
                .iter()
                .find(|p| p["id"].as_u64() == Some(other))
                .unwrap_or_else(|| panic!("{other} met but not listed: {event}"));
            assert_eq!(event["other_name"], person["name"], "{event}");
            assert!(
                person["name"].as_str().is_some_and(|n| n.ends_with('.')),
                "{person}"
            );
        }
        for person in people {
            for relation in person["relations"].as_array().expect("relations") {
                relations_seen.insert(relation.as_str().expect("a word").to_string());
            }
        }
    }
    for relation in ["partner", "carer", "donor"] {
        assert!(
            relations_seen.contains(relation),
            "{relation} in {relations_seen:?}"
        );
    }
}
