//! Demand (world.md §6; figures.md): the sick who need an organ. Patients arrive every day at
//! the rates of real incidence (kidney failure, liver disease, heart failure...), wait, and die
//! waiting at a yearly rate unless an organ comes. Each transplant gains the recipient the
//! life-years of real transplant studies. The programme exists to serve them ("more cures for
//! the old sicknesses", seed 004).
//!
//! The recipients are not agents: they are counted per organ in a waiting list. They are the
//! world outside the story, and counts give every figure the reports need.

use hailsham_engine::{DAYS_PER_YEAR, Day, Schedule};

use crate::draw::{binomial, poisson};
use crate::output::Organ;
use crate::params::Params;
use crate::world::{Event, World};

pub(crate) struct Demand {
    waiting: [u64; 5],
    arrivals_per_day: [f64; 5],
    death_risk_per_day: [f64; 5],
    life_years: [f64; 5],
}

impl Demand {
    pub fn new(p: &Params) -> Demand {
        let d = &p.demand;
        let population = p.homes.population_millions;
        let need = [
            d.need_kidney_per_million,
            d.need_liver_per_million,
            d.need_heart_per_million,
            d.need_lung_per_million,
            d.need_pancreas_per_million,
        ];
        let deaths = [
            d.waiting_death_rate_kidney,
            d.waiting_death_rate_liver,
            d.waiting_death_rate_heart,
            d.waiting_death_rate_lung,
            d.waiting_death_rate_pancreas,
        ];
        Demand {
            waiting: [0; 5],
            arrivals_per_day: need.map(|n| n * population / DAYS_PER_YEAR),
            // A yearly rate r is a daily risk of 1 - exp(-r / days a year).
            death_risk_per_day: deaths.map(|r| 1.0 - (-r / DAYS_PER_YEAR).exp()),
            life_years: [
                d.life_years_kidney,
                d.life_years_liver,
                d.life_years_heart,
                d.life_years_lung,
                d.life_years_pancreas,
            ],
        }
    }

    pub fn waiting_total(&self) -> u64 {
        self.waiting.iter().sum()
    }
}

impl World {
    pub(crate) fn demand_day(&mut self, now: Day, schedule: &mut Schedule<'_, Event>) {
        for organ in Organ::ALL {
            let o = organ.index();
            let deaths = binomial(
                &mut self.rng.demand,
                self.demand.waiting[o],
                self.demand.death_risk_per_day[o],
            );
            let arrivals = poisson(&mut self.rng.demand, self.demand.arrivals_per_day[o]);
            self.demand.waiting[o] = self.demand.waiting[o] - deaths + arrivals;
            self.year.waiting_deaths += deaths;
            self.year.new_patients += arrivals;
            self.tally.waiting_deaths += deaths;
            self.tally.new_patients += arrivals;
        }
        schedule.at(now.plus(1), Event::DemandDay);
    }

    /// One organ reaches the waiting list: the first patient waiting receives it.
    pub(crate) fn supply_one(&mut self, organ: Organ) {
        let o = organ.index();
        self.year.organs_supplied[o] += 1;
        self.tally.organs_supplied[o] += 1;
        if self.demand.waiting[o] > 0 {
            self.demand.waiting[o] -= 1;
            self.year.transplants += 1;
            self.tally.transplants += 1;
            self.year.life_years_gained += self.demand.life_years[o];
            self.tally.life_years_gained += self.demand.life_years[o];
        } else {
            self.year.organs_unused += 1;
            self.tally.organs_unused += 1;
        }
    }
}
