//! Society (docs/model.md §9): the outsiders who know what the clones are. Guardians and wardens
//! in the homes and the staff of the recovery centres know; the public is told, and prefers to
//! believe, that donors are less than human, and does not ask. Members of the public come to know
//! only by recognising a clone they meet (never, in `novel`: §4, after a commenter on Vulpes
//! Libris) or by being told by someone who knows (`society.spread_per_year`, zero in `novel`), and
//! forget or die at a yearly rate.

use hailsham_engine::{DAYS_PER_YEAR, Day};

use crate::draw::poisson;
use crate::happening::Observer;
use crate::world::World;

#[derive(Default)]
pub(crate) struct Society {
    /// Members of the public who know.
    public: f64,
}

impl Society {
    /// Outsiders who know now: guardians, medical staff, and the public who know; never more
    /// than the country holds (a small country with many beds and guardians would otherwise
    /// count more knowers than people: found by the swarm tests).
    pub fn knowing<O: Observer>(&self, world: &World<O>) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let staff = world.centres.beds_held() as f64 * world.params.society.medical_staff_per_bed;
        let population = world.params.homes.population_millions * 1e6;
        (world.guardians() + staff + self.public).min(population)
    }
}

impl<O: Observer> World<O> {
    /// The year's turn of knowledge: recognitions, telling, forgetting.
    pub(crate) fn society_year_end(&mut self, end: Day) {
        let society = &self.params.society;
        let contact_years = self.flows.out_in_the_world.take(end) / DAYS_PER_YEAR;
        #[allow(clippy::cast_precision_loss)]
        let recognitions = poisson(
            &mut self.rng.society,
            contact_years * society.outsiders_met_per_year * society.recognition_share,
        ) as f64;
        let population = self.params.homes.population_millions * 1e6;
        let public = self.society.public;
        let told = public * society.spread_per_year * (1.0 - public / population).max(0.0);
        self.society.public =
            (public * (1.0 - society.forgetting_per_year) + recognitions + told).min(population);
    }
}
