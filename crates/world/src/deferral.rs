//! The deferral rumour (docs/model.md §8): a couple who can show they are truly in love may have
//! their donations put off for a few years. Couples who believe it apply; the rumour is false
//! (Graeme Shimmin; novel ch. 22), so in `novel` every application is refused. The rumour was
//! thought to apply to Hailsham couples only (novel ch. 13, 16), and belief falls the more a clone
//! was told.

use hailsham_engine::Day;

use crate::draw::{chance, days};
use crate::happening::{Happening, Observer};
use crate::output::HomeKind;
use crate::people::{DATE_LAST, Slot, flag};
use crate::world::World;

impl<O: Observer> World<O> {
    /// A couple has formed at a half-way house: do they believe the rumour?
    pub(crate) fn couple_formed(&mut self, now: Day, a: Slot, b: Slot) {
        let (pa, pb) = (&self.people[a], &self.people[b]);
        let told = f64::midpoint(self.told_level(pa.home()), self.told_level(pb.home()));
        let both_hailsham = pa.home() == HomeKind::Hailsham && pb.home() == HomeKind::Hailsham;
        let deferral = &self.params.deferral;
        let reach = if both_hailsham {
            1.0
        } else {
            deferral.rumour_reach_other_homes
        };
        let believes = chance(
            &mut self.rng.deferral,
            deferral.rumour_belief_share * (1.0 - told) * reach,
        );
        self.people[a].set(flag::BELIEVES, believes);
        self.people[b].set(flag::BELIEVES, believes);
        if believes {
            let (first, second) = (self.people[a].id, self.people[b].id);
            for (person, partner) in [(first, second), (second, first)] {
                self.announce(now, Happening::RumourBelieved { person, partner });
            }
        }
    }

    /// A donor has reached the donation count at which believers apply.
    pub(crate) fn consider_deferral(&mut self, now: Day, id: Slot) {
        let person = &self.people[id];
        // Only a couple can apply: a partner who has completed cannot.
        let Some(partner) = person.living_partner() else {
            return;
        };
        if !person.has(flag::BELIEVES)
            || person.has(flag::APPLIED)
            || self.people[partner].has(flag::AWAY)
        {
            return;
        }
        let deferral = &self.params.deferral;
        if !chance(&mut self.rng.deferral, deferral.application_share) {
            return;
        }
        let granted = deferral.granted;
        let until = now.plus(days(deferral.deferral_years));
        for who in [id, partner] {
            let person = &mut self.people[who];
            person.set(flag::APPLIED, true);
            if granted {
                person.set(flag::GRANTED, true);
                // A deferral may end beyond the 179 years a date of a life holds (a long
                // deferral granted late in a long run). Such a deferral outlasts the run, and so
                // does the last date held, which lies after the run's end for anyone born in it.
                let until = person.offset_if_held(until).unwrap_or(DATE_LAST);
                self.people.rare_mut(who).deferred_until = until;
            }
        }
        let (first, second) = (self.people[id].id, self.people[partner].id);
        self.announce(
            now,
            Happening::DeferralAsked {
                first,
                second,
                granted,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::Replicate;
    use crate::params::{Params, RUN_YEARS_MAX};
    use crate::people::DATE_LAST;

    #[test]
    fn the_last_date_held_comes_after_the_longest_run() {
        // A granted deferral that would end beyond what 16 bits hold is kept as DATE_LAST:
        // that must lie after the end of any run, for anyone born in it (at day 0 or later).
        assert!(RUN_YEARS_MAX * 366 < i64::from(DATE_LAST));
    }

    /// The longest run, with the latest ages, the longest careers and waits, and the longest
    /// deferrals, granted to every couple: deferrals end beyond 179 years after birth.
    #[test]
    fn deferrals_that_end_after_the_longest_run_do_not_panic() {
        let mut params = Params::default();
        params.time.start_year = 1900;
        params.time.end_year = 1900 + RUN_YEARS_MAX;
        params.homes.population_millions = 1.0;
        params.homes.home_entry_age_years = 15.0;
        params.homes.leave_age_years = 30.0;
        params.homes.told_level_hailsham = 0.0;
        params.homes.told_level_humane_other = 0.0;
        params.homes.told_level_government = 0.0;
        params.halfway.stay_years_min = 20.0;
        params.halfway.stay_years_mode = 20.0;
        params.halfway.stay_years_max = 20.0;
        params.care.training_years = 10.0;
        params.care.career_years_min = 40.0;
        params.care.career_years_mode = 40.0;
        params.care.career_years_max = 40.0;
        params.donation.first_donation_days_mean = 3650.0;
        params.donation.recovery_days_min = 3650.0;
        params.donation.interval_days_mean = 3650.0;
        params.deferral.granted = true;
        params.deferral.deferral_years = 50.0;
        params.deferral.rumour_belief_share = 1.0;
        params.deferral.rumour_reach_other_homes = 1.0;
        params.deferral.application_share = 1.0;
        assert_eq!(params.problems(), Vec::new(), "the checker accepts it");
        let (tally, ()) = Replicate::new(&params, 1, 0, ()).finish();
        assert!(tally.deferrals_granted > 0, "deferrals were granted");
    }
}
