//! Sample tallies and summaries with known figures, for the tests of this crate and of the
//! crates that render its outputs (charts, HTML). Not for programs: the numbers are made up.

use hailsham_world::{Histogram, Tally};

use crate::figures::{FIGURES, figure_index};
use crate::summary::Summary;

/// A tally with every field set by hand, so each figure has a known value.
pub fn sample_tally() -> Tally {
    let mut completion_age_days = Histogram::new(60 * 366);
    // Ten completions; 10957 is the last day short of thirty (30 years is 10957.275 days, so
    // the thirties begin at 10958) and 14610 is forty (14609.7 days).
    for age in [
        8_000, 9_000, 10_956, 10_957, 11_000, 12_000, 13_000, 14_609, 14_610, 20_000,
    ] {
        completion_age_days.add(age);
    }
    let mut career_days = Histogram::new(20 * 366);
    // Four careers; twelve years is 4382.91 days, which rounds to 4383.
    for career in [400, 2_000, 4_382, 4_383] {
        career_days.add(career);
    }
    Tally {
        clones_created: 271_430,
        alive_by_stage: [100, 20, 30, 40, 0],
        completed: 10,
        donations: 25,
        organs_supplied: [10, 5, 3, 4, 1],
        transplants: 20,
        organs_unused: 3,
        new_patients: 125,
        waiting_deaths: 5,
        new_patients_final_year: 8,
        transplants_final_year: 6,
        organs_grown_final_year: 1,
        waiting_deaths_final_year: 3,
        new_patients_since_first_donation: 20,
        waiting_deaths_since_first_donation: 4,
        organs_grown_since_first_donation: 70,
        life_years_gained: 1234.5,
        life_years_lost: 500.0,
        completion_age_days,
        completions_at_donation: [1, 2, 3, 4],
        career_days,
        first_donation_age_days: {
            let mut first = Histogram::new(60 * 366);
            for age in [7_000, 7_300, 8_000] {
                first.add(age);
            }
            first
        },
        escapes: 12,
        escapes_found: 10,
        away: 2,
        organs_grown: 77,
        donations_postponed: 5,
        carer_days: 36_524,
        cared_donor_days: 146_097,
        uncared_donor_days: 10,
        carer_km: 250_000.0,
        carer_overnights: 365.25,
        carers_last_decade: hailsham_world::CarerBooks {
            carer_days: 3_652,
            cared_donor_days: 10_956,
            carer_km: 300_000.0,
            carer_overnights: 100.0,
        },
        deferral_applications: 3,
        deferrals_granted: 0,
        couples_formed: 12,
        possible_searches: 2,
        possible_sightings: 1,
        exchanges: 4,
        sales: 8,
        tokens_awarded: 100,
        tokens_spent_exchanges: 50,
        tokens_spent_sales: 30,
        gallery_pieces: 7,
        transferred: 9,
        beds_held_max: 33,
        beds_total: 40,
        outsiders_knowing: 1_000.0,
        population: 50_000_000.0,
        events: 123_456_789,
    }
}

/// A summary whose figures are all `fill`, except the columns given (one value per
/// replicate).
pub fn summary_with(fill: f64, replicates: usize, columns: &[(&str, &[f64])]) -> Summary {
    let mut values = vec![vec![fill; FIGURES.len()]; replicates];
    for (key, column) in columns {
        let f = figure_index(key).expect("known key");
        assert_eq!(column.len(), replicates);
        for (r, value) in column.iter().enumerate() {
            values[r][f] = *value;
        }
    }
    Summary::from_replicates(values)
}
