//! The deferral rumour (docs/model.md §8): a couple who can show they are truly in love may have
//! their donations put off for a few years. Couples who believe it apply; the rumour is false
//! (Graeme Shimmin; novel ch. 22), so in `novel` every application is refused. The rumour was
//! thought to apply to Hailsham couples only (novel ch. 13, 16), and belief falls the more a clone
//! was told.

use hailsham_engine::Day;

use crate::draw::{chance, days};
use crate::happening::{Happening, Observer};
use crate::output::HomeKind;
use crate::people::{Slot, flag};
use crate::world::World;

impl<O: Observer> World<O> {
    /// A couple has formed at a half-way house: do they believe the rumour?
    pub(crate) fn couple_formed(&mut self, now: Day, a: Slot, b: Slot) {
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
