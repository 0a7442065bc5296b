//! Properties that hold for every seed and every coherent set of parameters.
//!
//! Method: proptest draws a small country with random rules (few beds, few carers, one to four
//! donations, deferrals granted or not...), runs it, and checks the records. The model also
//! checks its own books at every year end (counts by stage, beds, caseloads), in debug builds
//! against a full scan of the table; a broken book panics and fails the case.

use hailsham_world::{Params, Stage};
use proptest::prelude::*;

use crate::run;

fn any_params() -> impl Strategy<Value = Params> {
    let core = (
        (
            0.05_f64..0.4,
            0.0_f64..1.0,
            1_i64..=4,
            0.0_f64..0.6,
            0.0_f64..0.9,
            1_i64..=8,
        ),
        (
            20.0_f64..600.0,
            0.0_f64..1.0,
            any::<bool>(),
            0.0_f64..6.0,
            1.0_f64..10.0,
            0.0_f64..3.0,
        ),
    );
    // The rules a scenario may switch on: running away, blood groups, child donors, grown organs.
    let rules = (
        0.0_f64..0.5,
        0.0_f64..1.0,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        1960_i64..2000,
    );
    (core, rules).prop_map(
        |(
            (
                (population, carer_share, donations_max, risk_1, risk_3, caseload),
                (beds, belief, granted, deferral, career_mode, frailty),
            ),
            (escape_rate, told, matching, child_donors, grown, grown_year),
        )| {
            let mut params = Params::default();
            params.homes.population_millions = population;
            params.homes.programme_ramp_years = 5.0;
            params.homes.told_level_government = told;
            params.care.carer_share = carer_share;
            params.care.caseload_donors_max = caseload;
            params.care.career_years_mode = career_mode.max(params.care.career_years_min);
            params.donation.donations_max = donations_max;
            params.donation.completion_risk_1 = risk_1;
            params.donation.completion_risk_3 = risk_3;
            params.donation.frailty_sigma = frailty;
            params.donation.recovery_beds_per_million = beds;
            params.donation.child_donors = child_donors;
            params.deferral.rumour_belief_share = belief;
            params.deferral.granted = granted;
            params.deferral.deferral_years = deferral;
            params.deferral.apply_at_donation =
                params.deferral.apply_at_donation.min(donations_max - 1);
            params.halfway.couple_formation_per_year = 3.0;
            params.escape.rate_per_year = escape_rate;
            params.escape.found_days_mean = 60.0;
            params.matching.enabled = matching;
            params.grown.enabled = grown;
            params.grown.start_year = grown_year;
            params
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn lives_move_forward_and_the_books_balance(params in any_params(), seed in any::<u64>()) {
        prop_assert!(params.problems().is_empty(), "{:?}", params.problems());
        let run = run(&params, seed, 0);
        let t = &run.tally;
        // Created = alive + completed + away: running for good is the only other exit.
        prop_assert_eq!(t.clones_created, t.alive_by_stage.iter().sum::<u64>() + t.completed + t.away);
        prop_assert_eq!(run.records.len() as u64, t.clones_created, "one record per life");
        prop_assert!(t.escapes_found <= t.escapes);
        prop_assert_eq!(t.escapes - t.escapes_found, t.away, "every escape is found or still away");
        let away_records = run.records.iter().filter(|r| r.escaped.is_some() && r.returned.is_none()).count();
        prop_assert_eq!(away_records as u64, t.away, "each clone away has one record, with no return");
        let mut ids: Vec<u32> = run.records.iter().map(|r| r.id.0).collect();
        ids.sort_unstable();
        ids.dedup();
        prop_assert_eq!(ids.len() as u64, t.clones_created, "ids are unique, every life written once");
        prop_assert!(t.beds_held_max <= t.beds_total);
        for r in &run.records {
            // Stage order never goes back: the days of a life only move forward.
            let days = [Some(r.created), r.left_home, r.carer_training, r.carer_start, r.carer_end, r.donor_start];
            let mut last = r.birth;
            for day in days.into_iter().flatten() {
                prop_assert!(day >= last, "person {} goes back in time: {:?}", r.id, r);
                last = day;
            }
            for d in &r.donations {
                prop_assert!(d.day >= last, "donations follow the donor stage: {:?}", r);
                last = d.day;
            }
            if let Some(returned) = r.returned {
                prop_assert!(r.escaped.is_some_and(|e| e <= returned), "only those who ran come back, later");
                prop_assert_eq!(r.donor_start, Some(returned), "those brought back donate");
            }
            if let Some(c) = r.completion {
                prop_assert!(c >= last);
                prop_assert!(!r.donations.is_empty(), "everyone who completes was a donor first");
                prop_assert_eq!(r.stage, Stage::Completed);
            }
            prop_assert!(r.donations.len() as i64 <= params.donation.donations_max, "no donor exceeds the maximum");
            if r.donations.len() as i64 == params.donation.donations_max {
                prop_assert!(r.stage == Stage::Completed || r.completion.is_none(), "the last donation completes");
            }
            // A stage's dates are set exactly when it was reached.
            prop_assert_eq!(r.left_home.is_some(), r.stage > Stage::Student);
            prop_assert_eq!(r.donor_start.is_some(), r.stage >= Stage::Donor);
            if !params.deferral.granted {
                prop_assert!(!r.deferral_granted);
            }
        }
        for row in &run.rows {
            prop_assert!(row.beds_held <= row.beds_total);
        }
    }
}
