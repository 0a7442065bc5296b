//! The deferral rumour (world.md §7): a couple who can show they are truly in love may have
//! their donations put off for a few years. Couples who believe it apply; the rumour is false
//! (seed 000; novel ch. 22), so in `novel` every application is refused. The rumour was thought
//! to apply to Hailsham couples only (novel ch. 13, 16), and belief falls the more a clone was
//! told.

use hailsham_engine::Day;

use crate::draw::{chance, days};
use crate::output::HomeKind;
use crate::people::{NONE, flag};
use crate::world::World;

impl World {
    /// A couple has formed at a half-way house: do they believe the rumour?
    pub(crate) fn couple_formed(&mut self, a: u32, b: u32) {
        let (pa, pb) = (&self.people[a], &self.people[b]);
        let told = f64::midpoint(self.told_level(pa.home()), self.told_level(pb.home()));
        let both_hailsham = pa.home() == HomeKind::Hailsham && pb.home() == HomeKind::Hailsham;
        let d = &self.p.deferral;
        let reach = if both_hailsham {
            1.0
        } else {
            d.rumour_reach_other_homes
        };
        let believes = chance(
            &mut self.rng.deferral,
            d.rumour_belief_share * (1.0 - told) * reach,
        );
        self.people[a].set(flag::BELIEVES, believes);
        self.people[b].set(flag::BELIEVES, believes);
    }

    /// A donor has reached the donation count at which believers apply.
    pub(crate) fn consider_deferral(&mut self, now: Day, id: u32) {
        let person = &self.people[id];
        let partner = person.partner;
        // Only a couple can apply: a partner who has completed cannot.
        if !person.has(flag::BELIEVES)
            || person.has(flag::APPLIED)
            || partner == NONE
            || person.has(flag::PARTNER_GONE)
            || self.people[partner].has(flag::AWAY)
        {
            return;
        }
        let d = &self.p.deferral;
        if !chance(&mut self.rng.deferral, d.application_share) {
            return;
        }
        let granted = d.granted;
        let until = now.plus(days(d.deferral_years));
        for who in [id, partner] {
            let person = &mut self.people[who];
            person.set(flag::APPLIED, true);
            if granted {
                person.set(flag::GRANTED, true);
                let until = person.offset(until);
                self.people.rare_mut(who).deferred_until = until;
            }
        }
        self.tally.deferral_applications += 1;
        self.year.deferral_applications += 1;
        self.tally.deferrals_granted += u64::from(granted);
    }
}
