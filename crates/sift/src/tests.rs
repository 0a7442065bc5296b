//! The language: a table of patterns with the people they must match on a small log built by
//! hand, and a table of broken patterns with the place and the words of their message.

use hailsham_world::{
    Assignment, BloodGroup, Day, Happening as H, HomeKind, Observer, Organ, Params, PersonId,
    Release, Stage,
};

use crate::{Index, IndexBuilder, Pattern};

const YEAR: u32 = 365;

fn p(id: u32) -> PersonId {
    PersonId(id)
}

/// Kathy (0), Tommy (1) and Ruth (2) of Hailsham; 3, 4 and 5 of a government home.
fn log() -> Vec<(u32, H)> {
    let mut log = Vec::new();
    for (id, home) in [
        (0, HomeKind::Hailsham),
        (1, HomeKind::Hailsham),
        (2, HomeKind::Hailsham),
        (3, HomeKind::Government),
        (4, HomeKind::Government),
        (5, HomeKind::Government),
    ] {
        log.push((
            5 * YEAR,
            H::Created {
                person: p(id),
                home,
                birth: Day(0),
                blood_group: BloodGroup::O,
                place: id,
            },
        ));
    }
    for (id, house) in [(0, 0), (1, 0), (2, 0), (3, 10), (4, 10), (5, 11)] {
        log.push((
            16 * YEAR,
            H::LeftHome {
                person: p(id),
                house,
                tokens: 0,
            },
        ));
    }
    let donation = |person, number, completing| H::Donation {
        person: p(person),
        number,
        organ: Organ::Kidney,
        organs: 1,
        centre: 0,
        carer: Some(p(0)),
        completing,
        age_days: 0,
    };
    let completed = |person, number| H::Completed {
        person: p(person),
        number,
        during_operation: false,
        centre: 0,
        carer: Some(p(0)),
        age_days: 0,
        life_years_lost: 0.0,
    };
    let assigned = |carer, donor, how| H::CarerAssigned {
        carer: p(carer),
        donor: p(donor),
        centre: 3,
        town: 4,
        how,
    };
    log.extend([
        (
            6000,
            H::CoupleFormed {
                first: p(2),
                second: p(1),
                house: 0,
            },
        ),
        (
            6500,
            H::CoupleParted {
                first: p(2),
                second: p(1),
                house: 0,
            },
        ),
        (
            7000,
            H::CarerQualified {
                person: p(0),
                town: 3,
            },
        ),
        (
            7000,
            H::CarerQualified {
                person: p(3),
                town: 4,
            },
        ),
        (
            8000,
            H::CarerQualified {
                person: p(1),
                town: 4,
            },
        ),
        (9000, assigned(0, 2, Assignment::ChosenHousemate)),
        (9050, assigned(1, 2, Assignment::Allotted)),
        (9100, donation(2, 1, false)),
        (9500, donation(2, 2, true)),
        (9500, completed(2, 2)),
        (
            9600,
            H::CoupleFormed {
                first: p(0),
                second: p(1),
                house: 0,
            },
        ),
        (10000, assigned(0, 1, Assignment::ChosenPartner)),
        (10000, assigned(3, 4, Assignment::Allotted)),
        (10100, donation(1, 1, false)),
        (10200, donation(4, 1, false)),
        (
            10500,
            H::DeferralAsked {
                first: p(1),
                second: p(0),
                granted: false,
            },
        ),
        (10600, donation(1, 2, false)),
        (11000, donation(1, 3, false)),
        (
            11115,
            H::CareerEnded {
                person: p(0),
                career_days: 4115,
                km: 1000.0,
                why: Release::Notice,
            },
        ),
        (11500, donation(1, 4, true)),
        (11500, completed(1, 4)),
        (
            12000,
            H::Escaped {
                person: p(3),
                stage: Stage::Carer,
            },
        ),
        (
            12000,
            H::Escaped {
                person: p(5),
                stage: Stage::Veteran,
            },
        ),
        (12100, H::Found { person: p(5) }),
        (12500, H::Found { person: p(3) }),
        (
            13000,
            H::Escaped {
                person: p(3),
                stage: Stage::Carer,
            },
        ),
    ]);
    for id in [0, 3, 4, 5] {
        log.push((
            18000,
            H::RunEnded {
                person: p(id),
                carer_km: 0.0,
                tokens: 0,
            },
        ));
    }
    log
}

fn index() -> Index {
    let params = Params::default();
    let mut builder = IndexBuilder::live(&params, 0);
    for (day, happening) in log() {
        builder.observe(Day(day), &happening);
    }
    builder.finish()
}

fn matches(pattern: &str, index: &Index) -> Vec<u32> {
    let pattern = match Pattern::parse(pattern) {
        Ok(p) => p,
        Err(e) => panic!("{}", e.render("test", pattern)),
    };
    pattern.sift(index).matches.iter().map(|m| m.id).collect()
}

#[test]
fn patterns_match_what_they_say() {
    let index = index();
    let town = hailsham_world::centre_names()[3];
    let centre_pattern = format!("a: carer-assigned ?c ?d where centre = \"{town}\"");
    let table: Vec<(&str, &str, Vec<u32>)> = vec![
        ("a kind", "c: completed ?x", vec![1, 2]),
        ("a number", "c: completed ?x where number >= 2", vec![1, 2]),
        ("no label", "completed ?x where number = 4", vec![1]),
        (
            "a role by name",
            "a: carer-assigned donor ?d",
            vec![1, 2, 4],
        ),
        (
            "a word",
            "a: carer-assigned ?c ?d where how = chosen-partner",
            vec![0],
        ),
        (
            "a list",
            "a: carer-assigned ?c ?d where how in (allotted, from-waiting)",
            vec![1, 3],
        ),
        ("a flag", "a: carer-assigned ?c ?d where chosen", vec![0]),
        (
            "not a flag",
            "d: deferral-asked ?a ?b where not granted",
            vec![1],
        ),
        (
            "not, or, parentheses",
            "d: donation ?x where not completing and (number = 1 or number = 3)",
            vec![1, 2, 4],
        ),
        (
            "a person's home",
            "a: carer-assigned carer ?c donor ?d where home(?d) = hailsham",
            vec![0, 1],
        ),
        (
            "the same home",
            "a: carer-assigned carer ?c donor ?d where home(?c) = home(?d)",
            vec![0, 1, 3],
        ),
        (
            "the same half-way house",
            "a: carer-assigned carer ?c donor ?d where house(?c) = house(?d)",
            vec![0, 1, 3],
        ),
        (
            "a house by name",
            "l: left-home ?x where house = \"the Cottages\"",
            vec![0, 1, 2],
        ),
        (
            "a person's house by name",
            "c: completed ?x where house(?x) = \"the cottages\"",
            vec![1, 2],
        ),
        (
            "the same birth year",
            "a: carer-assigned carer ?c donor ?d where born(?c) = born(?d) and born(?c) = 1952",
            vec![0, 1, 3],
        ),
        ("an age", "d: donation ?x where age >= 30", vec![1]),
        ("a year", "c: completed ?x where year = 1978", vec![2]),
        ("a town", &centre_pattern, vec![0, 1, 3]),
        (
            "donations",
            "r: run-ended ?x where donations(?x) = 1",
            vec![4],
        ),
        (
            "carer years",
            "q: carer-qualified ?n where carer-years(?n) >= 11",
            vec![0, 3],
        ),
        (
            "completed",
            "l: left-home ?x where completed(?x)",
            vec![1, 2],
        ),
        (
            "years at work",
            "e: career-ended ?n where years > 11 and years < 11.5",
            vec![0],
        ),
        (
            "years between clauses",
            "q: carer-qualified ?n\ne: career-ended ?n where years(q, e) > 11",
            vec![0],
        ),
        (
            "an attribute of another clause",
            "a: carer-assigned carer ?c donor ?d\nc: completed ?d where a.how = chosen-housemate",
            vec![0],
        ),
        (
            "partners",
            "a: carer-assigned carer ?c donor ?d where partners(?c, ?d)",
            vec![0, 1],
        ),
        (
            "carer of",
            "c: completed person ?d carer ?c where carer-of(?c, ?d)",
            vec![1, 2],
        ),
        (
            "people differ",
            "a: carer-assigned carer ?c donor ?d\nb: carer-assigned carer ?c donor ?e where ?d != ?e",
            vec![0],
        ),
        (
            "a join through a person",
            "a: carer-assigned carer ?c donor ?d\nc: completed ?d\norder a < c",
            vec![0, 1],
        ),
        (
            "order",
            "c: completed ?x\nf: couple-formed couple ?x ?y\norder f < c",
            vec![1, 2],
        ),
        (
            "order the other way",
            "c: completed ?x\nf: couple-formed couple ?x ?y\norder c < f",
            vec![],
        ),
        (
            "a couple either way",
            "f: couple-formed couple ?a ?b where home(?a) = hailsham",
            vec![0, 1, 2],
        ),
        (
            "count another variable",
            "a: carer-assigned carer ?c donor ?d\ncount ?d",
            vec![1, 2, 4],
        ),
        ("unless, never", "e: escaped ?x\nunless found ?x", vec![]),
        (
            "unless after",
            "e: escaped ?x\nunless found ?x after e",
            vec![3],
        ),
        (
            "unless with a variable of its own",
            "f: couple-formed couple ?a ?b\nunless couple-parted couple ?a ?z after f",
            vec![0, 1],
        ),
        (
            "unless before",
            "c: completed ?x\nunless carer-assigned carer ?_ donor ?x before c",
            vec![],
        ),
        (
            "unless between",
            "a: carer-assigned carer ?c donor ?d\nc: completed ?d\norder a < c\n\
             unless donation ?d where number = 3 between a and c",
            vec![0, 1],
        ),
        (
            "continued lines and comments",
            "# who completed at two\nc: completed ?x # a comment\n   where home(?x) = hailsham\n   and number = 2",
            vec![2],
        ),
    ];
    for (what, pattern, expected) in table {
        assert_eq!(matches(pattern, &index), expected, "{what}: {pattern}");
    }
}

#[test]
fn the_named_patterns_match_the_hand_built_log() {
    let index = index();
    let expected: [(&str, Vec<u32>, u64); 6] = [
        ("narrator", vec![0], 2),
        ("ruth", vec![2], 2),
        ("tommy", vec![1], 2),
        ("refused", vec![1], 1),
        ("cared-for-partner", vec![0, 1], 3),
        ("never-found", vec![3], 2),
    ];
    for (name, ids, population) in expected {
        let text = crate::named(name).unwrap_or_default();
        let pattern = match Pattern::parse(text) {
            Ok(p) => p,
            Err(e) => panic!("{}", e.render(name, text)),
        };
        assert_eq!(pattern.name, name);
        assert!(pattern.about.is_some(), "{name} says what it is");
        let sifted = pattern.sift(&index);
        let got: Vec<u32> = sifted.matches.iter().map(|m| m.id).collect();
        assert_eq!(got, ids, "{name}");
        assert_eq!(sifted.population, population, "{name}: population");
    }
}

#[test]
fn a_match_names_its_people_events_and_properties() {
    let index = index();
    let pattern = Pattern::parse(crate::named("narrator").unwrap_or_default()).expect("parses");
    let sifted = pattern.sift(&index);
    let m = &sifted.matches[0];
    assert_eq!(m.people, [("n".to_string(), 0), ("f".to_string(), 2)]);
    let kinds: Vec<&str> = m.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["carer-qualified", "carer-assigned", "completed"]);
    assert!(m.events.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(m.properties.home, "hailsham");
    assert_eq!(m.properties.house, "the Cottages");
    assert_eq!(m.properties.born, "1950s");
    assert_eq!(m.properties.carer_years, "10-14");
    assert_eq!(m.properties.donations, 0);
}

/// (pattern, line, column, words of the message, words of what was expected or the help).
#[test]
fn broken_patterns_say_where_and_what_was_expected() {
    let table: [(&str, usize, usize, &str, &str); 26] = [
        (
            "c: completd ?x",
            1,
            4,
            "unknown kind `completd`",
            "did you mean `completed`?",
        ),
        (
            "c: completed ?x where nubmer = 2",
            1,
            23,
            "`completed` has no attribute `nubmer`",
            "did you mean `number`?",
        ),
        (
            "c: completed ?x where number = two",
            1,
            32,
            "`two` is compared with a number",
            "a number",
        ),
        (
            "a: carer-assigned ?c ?d where how = chosen-partnr",
            1,
            37,
            "`chosen-partnr` is not a way a donor came to a carer",
            "did you mean `chosen-partner`?",
        ),
        (
            "c: completed ?x\norder c < d",
            2,
            11,
            "no clause is labelled `d`",
            "label of a clause",
        ),
        (
            "c: completed ?x where home(?y) = hailsham",
            1,
            28,
            "`?y` is bound by no clause",
            "",
        ),
        (
            "c: completed ?x where",
            1,
            22,
            "unexpected the end of the pattern",
            "a value",
        ),
        (
            "c: completed ?x number = 2",
            1,
            24,
            "unexpected `=`",
            "conditions follow `where`",
        ),
        (
            "c: completed ?x where numbr(?x) = 2",
            1,
            23,
            "unknown function `numbr`",
            "a function of a person",
        ),
        (
            "c: completed ?x where home(?x) < hailsham",
            1,
            32,
            "`<` compares numbers",
            "`=` or `!=`",
        ),
        ("", 1, 1, "a pattern needs at least one clause", "a clause"),
        (
            "c: completed \"?x",
            1,
            14,
            "a name in quotes is not closed",
            "closing",
        ),
        (
            "c: completed ?x where home(?x) = hailshm",
            1,
            34,
            "`hailshm` is not a home",
            "did you mean `hailsham`?",
        ),
        (
            "c: completed ?x ?y ?z",
            1,
            20,
            "one ?variable too many",
            "roles of `completed`",
        ),
        (
            "d: deferral-asked couple ?a ?b\nd: completed ?a",
            2,
            1,
            "a second clause labelled `d`",
            "its own",
        ),
        (
            "e: escaped ?x\nunless found ?x after f",
            2,
            23,
            "no clause is labelled `f`",
            "did you mean `e`?",
        ),
        (
            "c: completed ?x where house = \"the Cottages\"",
            1,
            23,
            "`completed` has no attribute `house`",
            "`house` is a person's",
        ),
        (
            "h: humane-homes-closed",
            1,
            4,
            "binds nobody to count",
            "?variable",
        ),
        (
            "c: completed ?x where granted",
            1,
            23,
            "`completed` has no attribute `granted`",
            "`during-operation`",
        ),
        (
            "c: completed ?x donr ?y",
            1,
            17,
            "`completed` has no role `donr`",
            "roles of `completed`",
        ),
        (
            "where number = 2",
            1,
            1,
            "`where` with no clause above it",
            "belongs to a clause",
        ),
        (
            "c: completed ?x where number = 2 and",
            1,
            37,
            "unexpected the end of the pattern",
            "a value",
        ),
        (
            "c: completed ?x where (number = 2",
            1,
            34,
            "unexpected",
            "`)`",
        ),
        (
            "c: completed ?x @",
            1,
            17,
            "unexpected character `@`",
            "a word",
        ),
        (
            "c: completed ?x where centre = \"Dovr\"",
            1,
            32,
            "is not a town with a recovery centre",
            "a town's name",
        ),
        (
            "c: completed ?x where home(?x) = blood(?x)",
            1,
            23,
            "a home is compared with a blood group",
            "a home on both sides",
        ),
    ];
    for (pattern, line, column, message, hint) in table {
        let error = match Pattern::parse(pattern) {
            Ok(_) => panic!("`{pattern}` should not compile"),
            Err(e) => e,
        };
        let rendered = error.render("test.sift", pattern);
        assert_eq!(
            error.line_column(pattern),
            (line, column),
            "{pattern}\n{rendered}"
        );
        assert!(error.message.contains(message), "{pattern}\n{rendered}");
        let extra = format!(
            "{} {}",
            error.expected.clone().unwrap_or_default(),
            error.help.clone().unwrap_or_default()
        );
        assert!(
            extra.contains(hint),
            "{pattern}: `{hint}` not in\n{rendered}"
        );
        assert!(rendered.starts_with("error: "), "{rendered}");
        assert!(
            rendered.contains(&format!("--> test.sift:{line}:{column}\n")),
            "{rendered}"
        );
    }
}

#[test]
fn a_huge_pattern_fails_quickly() {
    let huge = format!("c: {} ?x", "completed".repeat(100_000));
    let started = std::time::Instant::now();
    let error = Pattern::parse(&huge).expect_err("no such kind");
    let rendered = error.render("huge", &huge);
    assert!(
        rendered.lines().all(|l| l.chars().count() < 200),
        "cut lines"
    );
    assert!(started.elapsed().as_secs() < 5);
}

/// The table of each person's events (a counting sort) holds every event under its first
/// party and under its second if another, in event order. Method: random events over a few hundred people
/// (none, one or both parties; a person twice in one event), against that one pass.
#[test]
fn each_persons_events_are_the_ones_a_single_pass_finds() {
    use crate::index::{NONE, person_table};
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    for people in [0_usize, 1, 2, 3, 301] {
        let events = 5_000;
        let mut person = Vec::with_capacity(events);
        let mut other = Vec::with_capacity(events);
        for _ in 0..events {
            let pick = |r: u64| {
                if people == 0 || r.is_multiple_of(5) {
                    NONE
                } else {
                    u32::try_from(r % people as u64).expect("small")
                }
            };
            let a = pick(next(1_000_003));
            let b = if next(7) == 0 {
                a
            } else {
                pick(next(1_000_003))
            };
            person.push(a);
            other.push(b);
        }
        let mut expected: Vec<Vec<u32>> = vec![Vec::new(); people];
        for (event, (&a, &b)) in person.iter().zip(&other).enumerate() {
            let event = u32::try_from(event).expect("small");
            if a != NONE {
                expected[a as usize].push(event);
            }
            if b != NONE && b != a {
                expected[b as usize].push(event);
            }
        }
        let (start, table) = person_table(&person, &other, people);
        assert_eq!(start.len(), people + 1);
        for (p, events) in expected.iter().enumerate() {
            let got = &table[start[p] as usize..start[p + 1] as usize];
            assert_eq!(got, events.as_slice(), "person {p} of {people}");
        }
        assert_eq!(table.len(), expected.iter().map(Vec::len).sum::<usize>());
    }
}

/// The hand-built log written as the event log writes it, through the codec, into a Parquet
/// file at `path`; `edit` may spoil a row's values first.
fn write_stored(path: &std::path::Path, edit: impl Fn(usize, &mut [hailsham_table::Cell<'_>])) {
    let params = Params::default();
    let names = hailsham_log::Names::new(hailsham_world::Places::new(&params));
    let calendar = hailsham_world::Calendar::new(1952);
    let epoch = hailsham_log::epoch(calendar).expect("a year of the calendar");
    let file = std::fs::File::create(path).expect("a file");
    let mut table = hailsham_table::TableWriter::new(
        file,
        hailsham_log::log_schema(),
        hailsham_table::Format::Parquet,
        &[],
    )
    .expect("a table");
    let rows = log()
        .into_iter()
        .filter_map(|(day, h)| Some((day, hailsham_log::encode(&h)?)));
    for (i, (day, row)) in rows.enumerate() {
        let date = epoch + i32::try_from(day).expect("a day of the run");
        let mut values = row.values(0, date, &names);
        edit(i, &mut values);
        table.write_row(&values).expect("a row of the log's types");
    }
    table.finish().expect("written");
}

/// Goal: a stored log and a live run of the same announcements sift alike, since both come
/// through the codec's row. Method: the hand-built log, written through the codec and read
/// back, against the live index: the same announcements and people, and every named pattern
/// finds the same people in the same population.
#[test]
fn the_hand_built_log_stored_sifts_as_it_does_live() {
    let path =
        std::env::temp_dir().join(format!("hailsham-sift-hand-{}.parquet", std::process::id()));
    write_stored(&path, |_, _| {});
    let (stored, _) = crate::read_log(&path).expect("a log of the model's rows");
    let _ = std::fs::remove_file(&path);
    let live = index();
    assert_eq!(stored.len(), live.len());
    assert_eq!(stored.people(), live.people());
    for (name, text) in crate::NAMED {
        let pattern = Pattern::parse(text).expect("a named pattern parses");
        let (a, b) = (pattern.sift(&live), pattern.sift(&stored));
        let ids = |s: &crate::Sifted| s.matches.iter().map(|m| m.id).collect::<Vec<u32>>();
        assert_eq!(ids(&a), ids(&b), "{name}");
        assert_eq!(a.population, b.population, "{name}");
    }
}

/// Goal: a row the model could not have written is refused with its row, its column and what
/// it held. Method: the hand-built log stored with one word spoilt: a blood group, then a kind.
#[test]
fn a_stored_row_the_model_could_not_write_is_refused_with_its_place() {
    use hailsham_log::{DecodeError, LogColumn};
    use hailsham_table::Cell;

    let path =
        std::env::temp_dir().join(format!("hailsham-sift-bad-{}.parquet", std::process::id()));
    write_stored(&path, |i, values| {
        if i == 4 {
            values[LogColumn::Detail as usize] = Cell::Text("Q");
        }
    });
    let blood = crate::read_log(&path).map(|_| ());
    write_stored(&path, |i, values| {
        if i == 7 {
            values[LogColumn::Kind as usize] = Cell::Text("completd");
        }
    });
    let kind = crate::read_log(&path).map(|_| ());
    let _ = std::fs::remove_file(&path);
    match blood {
        Err(crate::LogError::Row { row, source, .. }) => {
            assert_eq!(row, 4);
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
    let error = kind.expect_err("an unknown kind");
    assert!(
        error
            .to_string()
            .ends_with("row 7: unknown kind `completd`"),
        "{error}"
    );
}

/// Goal: no pattern can overflow the stack (one of ten thousand `not`s, or a thousand
/// parentheses, aborted the process). Method: conditions nested past the bound are refused
/// with a located error, quickly; nested to the bound they parse and compile.
#[test]
fn conditions_nested_past_the_bound_are_refused_where_they_go_past() {
    let deep = |opening: &str, closing: &str, times: usize| {
        format!(
            "c: completed ?x where {}number = 2{}",
            opening.repeat(times),
            closing.repeat(times)
        )
    };
    for pattern in [deep("not ", "", 10_000), deep("(", ")", 1_000)] {
        let started = std::time::Instant::now();
        let error = Pattern::parse(&pattern).expect_err("too deep");
        assert!(
            error.message.contains("nested more than 64 deep"),
            "{}",
            error.message
        );
        let (line, column) = error.line_column(&pattern);
        assert_eq!(line, 1);
        assert!(column > 20, "located where it goes past: column {column}");
        assert!(started.elapsed().as_secs() < 5);
    }
    let at_the_bound = deep("(", ")", crate::parse::NESTING_MAX);
    assert!(Pattern::parse(&at_the_bound).is_ok(), "64 deep parses");
    let nots = deep("not not ", "", crate::parse::NESTING_MAX / 2);
    assert!(Pattern::parse(&nots).is_ok(), "64 nots parse");
}
