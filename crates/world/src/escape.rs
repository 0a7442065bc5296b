//! Escape (docs/model.md §10): clones out in the world, veterans and carers, drive about the
//! country and nobody outside recognises them (§4; a commenter on Vulpes Libris), so the reviewers
//! ask why none runs. In `novel` none does (`escape.rate_per_year` is zero). Where running is
//! possible, its rate scales with how much a clone was told: one who never understood their future
//! has nothing to run from. Most who run are found and brought back, to become donors at once; the
//! rest are away for good.
//!
//! A clone's escape is booked once, when they arrive at the half-way house, for a day drawn
//! from the rate; if they are no longer out in the world by then, the booking lapses.

use hailsham_engine::Day;

use crate::draw::{chance, exponential, whole_days};
use crate::happening::{Happening, Observer, Release};
use crate::output::Stage;
use crate::people::{NO_DATE, Slot, flag};
use crate::world::{Bookings, Event, World};

impl<O: Observer> World<O> {
    /// Books the day this clone would run, if running is possible at all.
    pub(crate) fn book_escape(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        let rate = self.params.escape.rate_per_year * self.told_level(self.people[id].home());
        if rate <= 0.0 {
            return;
        }
        let wait = whole_days(exponential(
            &mut self.rng.escape,
            hailsham_engine::DAYS_PER_YEAR / rate,
        ));
        let day = now.plus(wait);
        if let Some(offset) = self.people[id].offset_if_held(day) {
            self.people.rare_mut(id).escape_day = offset;
            schedule.at(day, Event::Escape(id));
        }
    }

    pub(crate) fn escape(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        let person = &self.people[id];
        let booked = person.day(self.people.rare(id).escape_day) == Some(now);
        let out =
            matches!(person.stage(), Stage::Veteran | Stage::Carer) && !person.has(flag::AWAY);
        if !booked || !out {
            return; // the booking lapsed: they left the world outside first
        }
        if self.people[id].has(flag::WORKING) {
            self.close_desk(now, id, Release::CarerRan);
        }
        let stage = self.people.run_away(id);
        // A veteran or carer (checked above): they leave the clones out in the world.
        self.flows.out_in_the_world.add(now, -1.0);
        let person = self.people[id].id;
        self.announce(now, Happening::Escaped { person, stage });
        if chance(&mut self.rng.escape, self.params.escape.found_share) {
            let wait = whole_days(exponential(
                &mut self.rng.escape,
                self.params.escape.found_days_mean,
            ))
            .max(1);
            schedule.at(now.plus(wait), Event::Found(id));
        } else {
            // Away for good: nothing more is booked for them.
            self.people.rare_mut(id).escape_day = NO_DATE;
        }
    }

    /// A clone who ran is found and brought back: donation begins at once.
    pub(crate) fn found(&mut self, now: Day, id: Slot, schedule: &mut Bookings<'_>) {
        // Back in the counts at the stage they left, then on to donation (never backwards).
        self.people.bring_back(id);
        let found = self.people[id].id;
        self.announce(now, Happening::Found { person: found });
        self.flows.out_in_the_world.add(now, 1.0);
        // The day of return is the first day as a donor, so the record can derive it.
        self.become_donor(now, id, schedule);
    }
}
