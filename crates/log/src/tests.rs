use hailsham_table::Cell;
use hailsham_world::{
    Assignment, BloodGroup, Census, Day, HOUSE_CARE, HOUSE_HAILSHAM, Happening, HomeKind, Organ,
    Params, PersonId, Places, Release, Stage,
};

use super::*;

/// The day every sample happens on.
const DAY: Day = Day(12_345);

fn unlogged() -> Unlogged {
    Unlogged::new(&Params::default())
}

fn names() -> Names {
    Names::new(Places::new(&Params::default()))
}

/// One happening of `kind`, every field set to a value the log can hold and no two alike
/// where a mix-up could hide. One arm per kind: a new kind does not compile until it has a
/// sample, and then it is held to the round trip.
#[allow(clippy::too_many_lines)]
fn sample(kind: Kind) -> Happening {
    use Happening as H;
    let (a, b) = (PersonId(41), PersonId(97));
    let unlogged = unlogged();
    match kind {
        Kind::Created => H::Created {
            person: a,
            home: HomeKind::HumaneOther,
            birth: unlogged.birth(DAY),
            blood_group: BloodGroup::AB,
            place: 1_234,
        },
        Kind::Transferred => H::Transferred { person: a },
        Kind::HumaneHomesClosed => H::HumaneHomesClosed { transferred: 812 },
        // The roll is not a column (see `the_log_leaves_out_what_the_scenario_or_series_give`).
        Kind::Exchange => H::Exchange {
            students: 0,
            pieces: 140,
            tokens_awarded: 560,
            tokens_spent: 333,
        },
        Kind::Sale => H::Sale { tokens_spent: 77 },
        Kind::GalleryPiece => H::GalleryPiece { person: a },
        Kind::LeftHome => H::LeftHome {
            person: a,
            house: 1,
            tokens: 19,
        },
        Kind::PossibleSearched => H::PossibleSearched {
            person: a,
            sighted: true,
        },
        Kind::CoupleFormed => H::CoupleFormed {
            first: a,
            second: b,
            house: HOUSE_HAILSHAM,
        },
        Kind::RumourBelieved => H::RumourBelieved {
            person: a,
            partner: b,
        },
        Kind::CoupleParted => H::CoupleParted {
            first: a,
            second: b,
            house: HOUSE_CARE,
        },
        Kind::TrainingBegan => H::TrainingBegan { person: a },
        Kind::CarerQualified => H::CarerQualified { person: a, town: 5 },
        Kind::CarerAssigned => H::CarerAssigned {
            carer: a,
            donor: b,
            centre: 3,
            town: 9,
            how: Assignment::ChosenHousemate,
        },
        Kind::CarerReleased => H::CarerReleased {
            carer: a,
            donor: b,
            why: Release::Notice,
        },
        Kind::CareerEnded => H::CareerEnded {
            person: a,
            career_days: 4_017,
            km: 81_234.5,
            why: Release::CarerRan,
        },
        Kind::BecameDonor => H::BecameDonor { person: a },
        Kind::WaitingForBed => H::WaitingForBed { person: a },
        Kind::BedTaken => H::BedTaken {
            person: a,
            centre: 11,
            beds_held: 2_048,
        },
        Kind::DonationPostponed => H::DonationPostponed {
            person: a,
            number: 3,
        },
        Kind::Donation => H::Donation {
            person: a,
            number: 2,
            organ: Organ::Liver,
            organs: 1,
            centre: 7,
            carer: Some(b),
            completing: false,
            age_days: 10_950,
        },
        Kind::OrganSupplied => H::OrganSupplied {
            donor: a,
            organ: Organ::Lung,
            transplanted: true,
            life_years: 11.25,
        },
        Kind::Completed => H::Completed {
            person: a,
            number: 4,
            during_operation: true,
            centre: 2,
            carer: Some(b),
            age_days: 11_000,
            life_years_lost: unlogged.life_years_lost(11_000),
        },
        Kind::DeferralAsked => H::DeferralAsked {
            first: a,
            second: b,
            granted: true,
        },
        Kind::Escaped => H::Escaped {
            person: a,
            stage: Stage::Veteran,
        },
        Kind::Found => H::Found { person: a },
        Kind::Patients => H::Patients {
            organ: Organ::Heart,
            arrivals: 6,
            deaths: 2,
            grown: 1,
            life_years_grown: 14.5,
        },
        Kind::RunEnded => H::RunEnded {
            person: a,
            carer_km: 512.0,
            tokens: 4,
        },
        Kind::YearEnded => H::YearEnded(Census {
            year: 1990,
            ..Census::default()
        }),
    }
}

/// Goal: the writer and the readers agree on every kind. Method: each kind's sample is
/// encoded, turned into the file's values (each of its column's type, nulls only where the
/// column allows them), read back into a row, and decoded: the happening comes back equal.
/// The census alone is no row.
#[test]
fn every_kind_round_trips_through_the_file_values() {
    let (names, unlogged) = (names(), unlogged());
    let mut rows = 0;
    for kind in Kind::ALL {
        let happening = sample(kind);
        assert_eq!(happening.kind(), kind);
        let Some(row) = encode(&happening) else {
            assert_eq!(kind, Kind::YearEnded, "only the census is left out");
            assert_eq!(
                decode(DAY, &Row::new(kind), &unlogged),
                Err(DecodeError::NotLogged { kind })
            );
            continue;
        };
        assert_eq!(row.kind, kind);
        assert_eq!(
            (row.person, row.other),
            (happening.person(), happening.other())
        );
        let values = row.values(2, 9_000 + 12_345, &names);
        for (value, column) in values.iter().zip(&LOG_COLUMNS) {
            match value.kind() {
                None => assert!(column.nullable, "{kind}: `{}` is empty", column.name),
                Some(found) => assert_eq!(found, column.kind, "{kind}: `{}`", column.name),
            }
        }
        let read = Row::from_values(&values, &names).expect("the model's own row");
        assert_eq!(read, row, "{kind}: values and back");
        assert_eq!(decode(DAY, &read, &unlogged), Ok(happening), "{kind}");
        rows += 1;
    }
    assert_eq!(rows, Kind::ALL.len() - 1);
}

/// Goal: the writer's fast path writes the rows the codec gives. Method: a sample of every
/// kind (twice over, on different days, so that columns hold runs of nulls and of values) is
/// written once a row at a time from [`Row::values`] and once a batch at a time by
/// [`fill_batch`], to CSV and to Parquet: the files are byte for byte the same.
#[test]
fn a_batch_writes_the_file_that_rows_one_by_one_write() {
    use hailsham_table::{Format, TableWriter};
    let names = names();
    let rows: Vec<DatedRow> = (0..2)
        .flat_map(|round| Kind::ALL.into_iter().map(move |kind| (round, kind)))
        .filter_map(|(round, kind)| {
            let row = encode(&sample(kind))?;
            Some(DatedRow {
                date: 20_000 + round * 400 + kind as i32,
                row,
            })
        })
        .collect();
    for format in [Format::Csv, Format::Parquet] {
        let metadata = [("hailsham.version", "test")];
        let mut one_by_one = TableWriter::new(Vec::new(), log_schema(), format, &metadata)
            .expect("a table of the log's schema");
        for dated in &rows {
            one_by_one
                .write_row(&dated.row.values(3, dated.date, &names))
                .expect("a row of the log");
        }
        let mut batched = TableWriter::new(Vec::new(), log_schema(), format, &metadata)
            .expect("a table of the log's schema");
        let mut batch = batched.batch();
        // In two batches of unequal size, as a writer hands them over.
        let (first, second) = rows.split_at(rows.len() / 3);
        for part in [first, second] {
            fill_batch(&mut batch, 3, part, &names).expect("the log's schema");
            batched.write_batch(&mut batch).expect("a full batch");
        }
        let (one_by_one, batched) = (
            one_by_one.finish().expect("finished"),
            batched.finish().expect("finished"),
        );
        assert!(batched.len() > 100, "{format:?}: {} bytes", batched.len());
        assert!(one_by_one == batched, "{format:?}: the files differ");
    }
}

/// Goal: the file holds words, named as the documentation says. Method: a few rows' values.
#[test]
fn rows_hold_the_words_of_their_places_and_values() {
    let names = names();
    let text = |kind: Kind, column: LogColumn| {
        let row = encode(&sample(kind)).expect("a row");
        match row.values(0, 0, &names)[column as usize] {
            Cell::Text(word) => word.to_string(),
            other => format!("{other:?}"),
        }
    };
    assert_eq!(text(Kind::LeftHome, LogColumn::House), "the White Mansion");
    assert_eq!(text(Kind::CoupleFormed, LogColumn::House), "Hailsham");
    assert_eq!(
        text(Kind::CoupleParted, LogColumn::House),
        "the recovery centre"
    );
    assert_eq!(
        text(Kind::CarerAssigned, LogColumn::Centre),
        hailsham_world::centre_names()[3]
    );
    assert_eq!(
        text(Kind::CarerAssigned, LogColumn::Detail),
        "chosen-housemate"
    );
    assert_eq!(text(Kind::Created, LogColumn::Home), "humane-other");
    assert_eq!(text(Kind::Created, LogColumn::Detail), "AB");
    assert_eq!(text(Kind::Escaped, LogColumn::Detail), "veteran");
    assert_eq!(text(Kind::Donation, LogColumn::Kind), "donation");
    // A centre past the towns is written empty, as the model never gives one.
    let mut row = encode(&sample(Kind::BedTaken)).expect("a row");
    row.centre = Some(u8::MAX);
    assert!(matches!(
        row.values(0, 0, &names)[LogColumn::Centre as usize],
        Cell::Null
    ));
}

/// Goal: what the log does not keep is known and bounded. Method: an Exchange's roll is lost
/// (read back as 0), a day when grown organs served nobody keeps neither count nor
/// life-years, and a birth and the life-years lost come back as the scenario computes them.
#[test]
fn the_log_leaves_out_what_the_scenario_or_series_give() {
    let unlogged = unlogged();
    let exchange = Happening::Exchange {
        students: 212,
        pieces: 140,
        tokens_awarded: 560,
        tokens_spent: 333,
    };
    let row = encode(&exchange).expect("a row");
    assert_eq!(decode(DAY, &row, &unlogged), Ok(sample(Kind::Exchange)));
    let quiet = Happening::Patients {
        organ: Organ::Kidney,
        arrivals: 3,
        deaths: 0,
        grown: 0,
        life_years_grown: 0.0,
    };
    let row = encode(&quiet).expect("a row");
    assert_eq!((row.number, row.amount), (None, None));
    assert_eq!(decode(DAY, &row, &unlogged), Ok(quiet));
    // The entry age in whole days, rounded, as the model counts it.
    let params = Params::default();
    let entry = params.homes.home_entry_age_years * hailsham_world::DAYS_PER_YEAR;
    assert_eq!(f64::from(unlogged.entry_days), entry.round());
    assert_eq!(
        unlogged.birth(Day(3)).0,
        3u32.saturating_sub(unlogged.entry_days)
    );
    let lost = unlogged.life_years_lost(365 * 30);
    assert!(
        (lost
            - (params.society.life_expectancy_years
                - 365.0 * 30.0 / hailsham_world::DAYS_PER_YEAR))
            .abs()
            < 1e-9
    );
    assert_eq!(unlogged.life_years_lost(u32::MAX), 0.0, "never negative");
}

/// Goal: a row the model could not have written is refused with the column and the word or
/// number at fault. Method: one broken row of each sort.
#[test]
fn decode_errors_name_the_column_and_what_was_there() {
    let (names, unlogged) = (names(), unlogged());
    let mut donation = encode(&sample(Kind::Donation)).expect("a row");
    donation.number = None;
    assert_eq!(
        decode(DAY, &donation, &unlogged),
        Err(DecodeError::Missing {
            kind: Kind::Donation,
            column: LogColumn::Number
        })
    );
    donation.number = Some(300);
    let error = decode(DAY, &donation, &unlogged).expect_err("past a u8");
    assert_eq!(error.to_string(), "a `donation` row whose `number` is 300");
    let mut values = encode(&sample(Kind::Created))
        .expect("a row")
        .values(0, 0, &names);
    values[LogColumn::Detail as usize] = Cell::Text("Z");
    assert_eq!(
        Row::from_values(&values, &names),
        Err(DecodeError::UnknownWord {
            column: LogColumn::Detail,
            word: "Z".into()
        })
    );
    // A word of another kind's vocabulary is as unknown.
    values[LogColumn::Detail as usize] = Cell::Text("notice");
    assert!(Row::from_values(&values, &names).is_err());
    values[LogColumn::Detail as usize] = Cell::Text("O");
    values[LogColumn::Person as usize] = Cell::Int32(-4);
    let error = Row::from_values(&values, &names).expect_err("a negative id");
    assert_eq!(error.to_string(), "a `created` row whose `person` is -4");
    values[LogColumn::Person as usize] = Cell::Int64(4);
    assert_eq!(
        Row::from_values(&values, &names),
        Err(DecodeError::WrongType {
            column: LogColumn::Person
        })
    );
    values[LogColumn::Kind as usize] = Cell::Text("completd");
    let error = Row::from_values(&values, &names).expect_err("no such kind");
    assert_eq!(error.to_string(), "unknown kind `completd`");
    values[LogColumn::Kind as usize] = Cell::Null;
    assert_eq!(
        Row::from_values(&values, &names),
        Err(DecodeError::Required {
            column: LogColumn::Kind
        })
    );
    let mut house = encode(&sample(Kind::LeftHome))
        .expect("a row")
        .values(0, 0, &names);
    house[LogColumn::House as usize] = Cell::Text("Norfolk");
    let error = Row::from_values(&house, &names).expect_err("no such house");
    assert_eq!(error.to_string(), "an unknown word `Norfolk` in `house`");
    let mut exchange = encode(&sample(Kind::Exchange)).expect("a row");
    exchange.amount = Some(2.5);
    assert!(matches!(
        decode(DAY, &exchange, &unlogged),
        Err(DecodeError::OutOfRange {
            column: LogColumn::Amount,
            ..
        })
    ));
}

/// Goal: each kind has one name, found again from it, and an index that is its place in
/// `Kind::ALL`. Method: all of them.
#[test]
fn kinds_are_named_once_and_found_by_name() {
    let mut names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    for (index, kind) in Kind::ALL.into_iter().enumerate() {
        assert_eq!(kind as usize, index);
        assert_eq!(Kind::from_index(kind as u8), Some(kind));
        assert_eq!(Kind::from_name(kind.name()), Some(kind));
        assert_eq!(words::kind(kind.name()), Ok(kind));
        assert_eq!(kind.to_string(), kind.name());
        assert!(!entry(kind).documentation.is_empty());
    }
    assert_eq!(Kind::from_name("Created"), None, "names are lower case");
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Kind::ALL.len());
    assert_eq!(Kind::ALL.len(), 29);
}

/// Goal: a column's typed name is its place in the schema. Method: every column.
#[test]
fn columns_are_named_in_schema_order() {
    let schema = log_schema();
    for (index, column) in LogColumn::ALL.into_iter().enumerate() {
        assert_eq!(column as usize, index);
        assert_eq!(column.name(), LOG_COLUMNS[index].name);
        assert_eq!(column.to_string(), schema.columns()[index].name);
    }
}

/// Goal: the documentation of the log cannot drift from the log. Method: docs/log.md holds
/// the schema's table of columns and the table of kinds, each exactly as the code gives it.
#[test]
fn docs_list_every_column_and_kind() {
    let docs = include_str!("../../../docs/log.md");
    let columns = log_schema().markdown();
    assert!(
        docs.contains(&columns),
        "docs/log.md should hold:\n{columns}"
    );
    let kinds = kinds_markdown();
    assert!(docs.contains(&kinds), "docs/log.md should hold:\n{kinds}");
    for kind in Kind::ALL {
        assert!(docs.contains(&format!("| `{kind}` |")), "{kind}");
    }
}
