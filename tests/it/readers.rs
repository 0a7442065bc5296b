//! The world as its readers know it: where readers of the novel look first (the carers' work, the
//! harvest, the rumour and the couples), `novel` must agree with the book (docs/model.md §5-§8).
//!
//! Method: one England run of `novel` at seed 11, the seed these targets were first measured on,
//! watched by the person records and by a witness of the announcements that the records do not
//! keep (which centre each carer's donors lie in, which day each heart was taken, where couples
//! formed). Each test checks one target, with its figure and its bound.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use hailsham_outputs::{figure_index, figures};
use hailsham_world::{
    Day, HOUSE_CARE, HOUSE_HAILSHAM, Happening, HomeKind, Observer, Organ, Params, PersonId,
    PersonRecord, Records, Replicate, Tally, YearRow,
};

/// What the records do not keep, taken from the announcements.
#[derive(Default)]
struct Witness {
    /// The centres of each carer's donors.
    centres_of_carer: HashMap<PersonId, HashSet<u8>>,
    /// The day each donor's heart was taken.
    heart_taken: HashMap<PersonId, Day>,
    completed_on: HashMap<PersonId, Day>,
    /// Couples formed and parted, by where.
    formed_at: HashMap<u16, u64>,
    parted_at_hailsham: u64,
    /// Each person's couples, in order: where each formed.
    couples_of: HashMap<PersonId, Vec<u16>>,
    /// The couples who asked for a deferral.
    asked: Vec<(PersonId, PersonId)>,
}

impl Observer for Witness {
    fn observe(&mut self, day: Day, happening: &Happening) {
        match *happening {
            Happening::CarerAssigned { carer, centre, .. } => {
                self.centres_of_carer
                    .entry(carer)
                    .or_default()
                    .insert(centre);
            }
            Happening::OrganSupplied {
                donor,
                organ: Organ::Heart,
                ..
            } => {
                assert!(
                    self.heart_taken.insert(donor, day).is_none(),
                    "donor {donor:?} gave a second heart"
                );
            }
            Happening::Completed { person, .. } => {
                self.completed_on.insert(person, day);
            }
            Happening::CoupleFormed {
                first,
                second,
                house,
            } => {
                *self.formed_at.entry(house).or_default() += 1;
                for who in [first, second] {
                    self.couples_of.entry(who).or_default().push(house);
                }
            }
            Happening::CoupleParted { house, .. } if house == HOUSE_HAILSHAM => {
                self.parted_at_hailsham += 1;
            }
            Happening::DeferralAsked { first, second, .. } => self.asked.push((first, second)),
            _ => {}
        }
    }
}

struct Seen {
    rows: Vec<YearRow>,
    records: Vec<PersonRecord>,
    tally: Tally,
    witness: Witness,
}

fn novel() -> &'static Seen {
    static SEEN: OnceLock<Seen> = OnceLock::new();
    SEEN.get_or_init(|| {
        let observers = (Records::default(), Witness::default());
        let mut simulation = Replicate::new(&Params::default(), 11, 0, observers);
        let (mut rows, mut records) = (Vec::new(), Vec::new());
        while let Some(row) = simulation.step_year() {
            records.extend(simulation.observer().0.drain());
            rows.push(row);
        }
        let (tally, (mut last, witness)) = simulation.finish();
        records.extend(last.drain());
        Seen {
            rows,
            records,
            tally,
            witness,
        }
    })
}

fn figure(tally: &Tally, key: &str) -> f64 {
    figures(tally)[figure_index(key).expect("a figure of the table")]
}

fn nineties(rows: &[YearRow]) -> impl Iterator<Item = &YearRow> {
    rows.iter().filter(|r| (1990..=1999).contains(&r.year))
}

#[test]
fn carers_in_the_nineties_look_after_two_to_five_donors_each() {
    let seen = novel();
    let cared: u64 = nineties(&seen.rows).map(|r| r.cared_donor_days).sum();
    let working: u64 = nineties(&seen.rows).map(|r| r.carer_days).sum();
    let per_carer = cared as f64 / working as f64;
    assert!(
        (2.0..=5.0).contains(&per_carer),
        "donors per carer at work in the 1990s: {per_carer:.2}"
    );
    // The summary's figure of the run's last ten years, 1990 to 1999, is the same.
    let figure = figure(&seen.tally, "donors_per_carer_last_decade");
    assert!(
        (figure - per_carer).abs() < 1e-9,
        "{figure} against {per_carer}"
    );
}

#[test]
fn carers_drive_tens_of_thousands_of_kilometres_a_year_with_overnights() {
    let seen = novel();
    let km: f64 = nineties(&seen.rows).map(|r| r.carer_km).sum();
    let nights: f64 = nineties(&seen.rows).map(|r| r.carer_overnights).sum();
    let carer_years = nineties(&seen.rows)
        .map(|r| r.carer_days as f64)
        .sum::<f64>()
        / 365.25;
    let km_a_year = km / carer_years;
    assert!(
        (15_000.0..=50_000.0).contains(&km_a_year),
        "km per carer-year in the 1990s: {km_a_year:.0}"
    );
    let nights_a_year = nights / carer_years;
    assert!(
        (5.0..=150.0).contains(&nights_a_year),
        "nights away per carer-year in the 1990s: {nights_a_year:.1}"
    );
}

#[test]
fn almost_every_finished_career_had_donors_in_several_towns() {
    let seen = novel();
    let finished: Vec<&PersonRecord> = seen
        .records
        .iter()
        .filter(|r| r.carer_end.is_some())
        .collect();
    assert!(
        finished.len() > 10_000,
        "{} finished careers",
        finished.len()
    );
    let without = finished.iter().filter(|r| r.donors_cared == 0).count();
    let share_without = without as f64 / finished.len() as f64;
    assert!(
        share_without <= 0.02,
        "finished careers without a donor: {share_without:.4}"
    );
    let with_several = finished.iter().filter(|r| r.donors_cared >= 3);
    let (mut spread, mut all) = (0, 0);
    for r in with_several {
        all += 1;
        let towns = seen
            .witness
            .centres_of_carer
            .get(&r.id)
            .map_or(0, HashSet::len);
        spread += usize::from(towns >= 2);
    }
    let share = spread as f64 / all as f64;
    assert!(
        share >= 0.8,
        "careers of three or more donors with donors in two towns or more: {share:.3}"
    );
}

#[test]
fn the_heart_is_taken_last_and_completion_is_that_day() {
    let seen = novel();
    let w = &seen.witness;
    assert!(w.heart_taken.len() > 10_000);
    for (donor, day) in &w.heart_taken {
        assert_eq!(
            w.completed_on.get(donor),
            Some(day),
            "donor {donor:?} gave a heart and did not complete that day"
        );
    }
    // And nobody lives on after it: everyone alive at the end has a heart.
    for r in seen.records.iter().filter(|r| r.completion.is_none()) {
        assert!(
            !w.heart_taken.contains_key(&r.id),
            "{:?} is alive without a heart",
            r.id
        );
    }
}

#[test]
fn no_organ_is_taken_for_nobody() {
    let t = &novel().tally;
    assert_eq!(figure(t, "organs_unused"), 0.0);
    assert_eq!(t.organs_unused, 0);
    assert!(t.transplants > 100_000);
}

#[test]
fn deaths_waiting_are_also_counted_from_the_first_donation() {
    let t = &novel().tally;
    let all = figure(t, "waiting_deaths");
    let since = figure(t, "waiting_deaths_since_first_donation");
    assert!(
        since > 0.0 && since < 0.8 * all,
        "deaths from the first donation {since} of {all}: the early years, before any clone \
         could give, are left out"
    );
    let met = figure(t, "demand_met_share_since_first_donation");
    assert!((0.0..=1.0).contains(&met) && met > figure(t, "demand_met_share"));
}

#[test]
fn the_clones_life_years_lost_stand_beside_the_recipients_gained() {
    let seen = novel();
    let expectancy = Params::default().society.life_expectancy_years;
    let expected: f64 = seen
        .records
        .iter()
        .filter_map(|r| Some(expectancy - crate::years(r.birth, r.completion?)))
        .sum();
    let lost = figure(&seen.tally, "clone_life_years_lost");
    assert!(
        (lost - expected).abs() < 1e-6 * expected,
        "life-years lost {lost}, from the records {expected}"
    );
    // Each completion costs the clone about fifty years of life.
    let per_clone = lost / seen.tally.completed as f64;
    assert!((40.0..=65.0).contains(&per_clone), "{per_clone}");
}

#[test]
fn three_in_four_couples_who_ask_for_a_deferral_are_from_hailsham() {
    let seen = novel();
    let home: HashMap<PersonId, HomeKind> = seen.records.iter().map(|r| (r.id, r.home)).collect();
    let asked = &seen.witness.asked;
    assert!(asked.len() >= 10, "{} applications", asked.len());
    let hailsham = asked
        .iter()
        .filter(|(a, b)| home[a] == HomeKind::Hailsham && home[b] == HomeKind::Hailsham)
        .count();
    let share = hailsham as f64 / asked.len() as f64;
    assert!(
        share >= 0.75,
        "Hailsham couples among applicants: {share:.2} of {}",
        asked.len()
    );
}

#[test]
fn couples_form_at_hailsham_part_and_form_again_later() {
    let w = &novel().witness;
    let at_hailsham = w.formed_at.get(&HOUSE_HAILSHAM).copied().unwrap_or(0);
    assert!(
        at_hailsham > 100,
        "couples formed at Hailsham: {at_hailsham}"
    );
    assert!(w.parted_at_hailsham > 0, "no Hailsham couple parted");
    let again = w
        .couples_of
        .values()
        .filter(|couples| couples.len() >= 2 && couples[0] == HOUSE_HAILSHAM)
        .count();
    assert!(
        again > 10,
        "a first couple at Hailsham, another later: {again}"
    );
    let late = w.formed_at.get(&HOUSE_CARE).copied().unwrap_or(0);
    assert!(
        late > 0,
        "no carer and donor, old friends, became a couple late"
    );
}
