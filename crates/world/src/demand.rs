//! Demand (docs/model.md §7; Real figures): the sick who need an organ. Patients arrive every day
//! at the rates of real incidence (kidney failure, liver disease, heart failure...), wait, and die
//! waiting at a yearly rate unless an organ comes. Each transplant gains the recipient the
//! life-years of real transplant studies. The programme exists to serve them ("more cures for the
//! old sicknesses", novel ch. 22, quoted in a reader's review).
//!
//! The recipients are not agents: they are counted per organ in a waiting list. They are the
//! world outside the story, and counts give every figure the reports need.

use hailsham_engine::{DAYS_PER_YEAR, Day};

use crate::draw::{binomial, poisson};
use crate::happening::{Happening, Observer, PersonId};
use crate::output::{BloodGroup, Organ};
use crate::params::Params;
use crate::world::{Bookings, Event, World};

pub(crate) struct Demand {
    /// Patients waiting, by organ and (with matching) by blood group; without matching every
    /// patient stands in the first group's list.
    waiting: [[u64; 4]; 5],
    arrivals_per_day: [f64; 5],
    death_risk_per_day: [f64; 5],
    life_years: [f64; 5],
    /// Share of patients of each blood group; `[1, 0, 0, 0]` without matching.
    group_shares: [f64; 4],
    matching: bool,
}

impl Demand {
    pub fn new(params: &Params) -> Demand {
        let demand = &params.demand;
        let population = params.homes.population_millions;
        let need = [
            demand.need_kidney_per_million,
            demand.need_liver_per_million,
            demand.need_heart_per_million,
            demand.need_lung_per_million,
            demand.need_pancreas_per_million,
        ];
        let deaths = [
            demand.waiting_death_rate_kidney,
            demand.waiting_death_rate_liver,
            demand.waiting_death_rate_heart,
            demand.waiting_death_rate_lung,
            demand.waiting_death_rate_pancreas,
        ];
        let matching = &params.matching;
        Demand {
            waiting: [[0; 4]; 5],
            arrivals_per_day: need.map(|n| n * population / DAYS_PER_YEAR),
            // A yearly rate r is a daily risk of 1 - exp(-r / days a year).
            death_risk_per_day: deaths.map(|r| 1.0 - (-r / DAYS_PER_YEAR).exp()),
            life_years: [
                demand.life_years_kidney,
                demand.life_years_liver,
                demand.life_years_heart,
                demand.life_years_lung,
                demand.life_years_pancreas,
            ],
            group_shares: if matching.enabled {
                [
                    matching.share_o,
                    matching.share_a,
                    matching.share_b,
                    matching.share_ab,
                ]
            } else {
                [1.0, 0.0, 0.0, 0.0]
            },
            matching: matching.enabled,
        }
    }

    pub fn waiting_total(&self) -> u64 {
        self.waiting.iter().flatten().sum()
    }

    /// The list an organ of a donor of `group` goes to: the donor's own group if anyone waits
    /// there, else the compatible group with most waiting; `None` if nobody compatible waits.
    fn recipient_group(&self, organ: Organ, group: BloodGroup) -> Option<usize> {
        let lists = &self.waiting[organ.index()];
        if !self.matching {
            return (lists[0] > 0).then_some(0);
        }
        if lists[group as usize] > 0 {
            return Some(group as usize);
        }
        BloodGroup::ALL
            .iter()
            .filter(|&&r| group.gives_to(r) && lists[r as usize] > 0)
            .max_by_key(|&&r| (lists[r as usize], std::cmp::Reverse(r as usize)))
            .map(|&r| r as usize)
    }

    /// Whether someone who could take this donor's organ is waiting for it.
    pub fn someone_compatible_waits(&self, organ: Organ, group: BloodGroup) -> bool {
        self.recipient_group(organ, group).is_some()
    }

    /// Patients waiting who could take this donor's organ: the weight by which the sick's need
    /// steers what a living donation takes.
    pub fn compatible_waiting(&self, organ: Organ, group: BloodGroup) -> u64 {
        let lists = &self.waiting[organ.index()];
        if !self.matching {
            return lists[0];
        }
        BloodGroup::ALL
            .iter()
            .filter(|&&r| group.gives_to(r))
            .map(|&r| lists[r as usize])
            .sum()
    }
}

/// Share of new patients grown organs serve in `year`.
fn grown_share(params: &Params, year: i32) -> f64 {
    let grown = &params.grown;
    if !grown.enabled || i64::from(year) < grown.start_year {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let years_in = (i64::from(year) - grown.start_year + 1) as f64;
    let ramp = if grown.ramp_years <= 0.0 {
        1.0
    } else {
        (years_in / grown.ramp_years).min(1.0)
    };
    grown.coverage * ramp
}

impl<O: Observer> World<O> {
    pub(crate) fn demand_day(&mut self, now: Day, schedule: &mut Bookings<'_>) {
        let grown = grown_share(&self.params, self.calendar.year_of(now));
        for organ in Organ::ALL {
            let o = organ.index();
            let (mut arrivals_all, mut deaths_all, mut grown_all) = (0, 0, 0);
            let mut life_years_grown = 0.0;
            for g in 0..4 {
                let share = self.demand.group_shares[g];
                if share <= 0.0 {
                    continue;
                }
                let waiting = self.demand.waiting[o][g];
                let deaths = binomial(
                    &mut self.rng.demand,
                    waiting,
                    self.demand.death_risk_per_day[o],
                );
                let mut arrivals = poisson(
                    &mut self.rng.demand,
                    self.demand.arrivals_per_day[o] * share,
                );
                arrivals_all += arrivals;
                if grown > 0.0 {
                    // Patients served at once by a grown organ never join the list.
                    let served = binomial(&mut self.rng.demand, arrivals, grown);
                    arrivals -= served;
                    grown_all += served;
                    #[allow(clippy::cast_precision_loss)]
                    let years = served as f64 * self.demand.life_years[o];
                    life_years_grown += years;
                }
                self.demand.waiting[o][g] = waiting - deaths + arrivals;
                deaths_all += deaths;
            }
            self.announce(
                now,
                Happening::Patients {
                    organ,
                    arrivals: arrivals_all,
                    deaths: deaths_all,
                    grown: grown_all,
                    life_years_grown,
                },
            );
        }
        schedule.at(now.plus(1), Event::DemandDay);
    }

    /// One organ of `donor`, of blood group `group`, reaches the waiting lists.
    pub(crate) fn supply_one(
        &mut self,
        now: Day,
        donor: PersonId,
        organ: Organ,
        group: BloodGroup,
    ) {
        let o = organ.index();
        let recipient = self.demand.recipient_group(organ, group);
        if let Some(g) = recipient {
            self.demand.waiting[o][g] -= 1;
        }
        self.announce(
            now,
            Happening::OrganSupplied {
                donor,
                organ,
                transplanted: recipient.is_some(),
                life_years: if recipient.is_some() {
                    self.demand.life_years[o]
                } else {
                    0.0
                },
            },
        );
    }
}
