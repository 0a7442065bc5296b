//! What a clone is born with: frailty and talent. Fixed at creation, read seldom, so they are
//! drawn again from the clone's lineage (birth year and place in the cohort) whenever needed rather than stored in the table
//! of people, where they would cost every living clone eight bytes for the whole run.

use hailsham_engine::{Keyed, Streams};

use crate::draw::normal_of;
use crate::params::Params;

pub(crate) struct Nature {
    draws: Keyed,
    frailty_sigma: f64,
}

impl Nature {
    pub fn new(params: &Params, streams: &Streams) -> Nature {
        Nature {
            draws: streams.keyed("nature"),
            frailty_sigma: params.donation.frailty_sigma,
        }
    }

    /// Multiplies the donor's completion risks: lognormal with median 1 (docs/model.md §6).
    /// `key` is the clone's [`crate::Lineage`] key, so a clone is as frail in every world.
    pub fn frailty(&self, key: u64) -> f64 {
        let normal = normal_of(self.draws.unit(key, 0), self.draws.unit(key, 1));
        (self.frailty_sigma * normal).exp()
    }

    /// Artistic talent, uniform in [0, 1): what a Hailsham student's work owes to more than luck.
    pub fn talent(&self, key: u64) -> f64 {
        self.draws.unit(key, 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frailty_is_lognormal_with_median_one_and_talent_uniform() {
        let mut params = Params::default();
        params.donation.frailty_sigma = 0.5;
        let nature = Nature::new(&params, &Streams::new(3, 0));
        let mut logs: Vec<f64> = (0..20_000).map(|id| nature.frailty(id).ln()).collect();
        logs.sort_by(f64::total_cmp);
        let median = logs[10_000];
        let sd = (logs.iter().map(|x| x * x).sum::<f64>() / 20_000.0).sqrt();
        assert!(median.abs() < 0.02, "median of ln frailty {median}");
        assert!((sd - 0.5).abs() < 0.02, "sd of ln frailty {sd}");
        assert_eq!(
            nature.frailty(17),
            nature.frailty(17),
            "a clone's frailty is fixed"
        );
        let talents: Vec<f64> = (0..20_000).map(|id| nature.talent(id)).collect();
        assert!(talents.iter().all(|t| (0.0..1.0).contains(t)));
        let mean = talents.iter().sum::<f64>() / 20_000.0;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
    }
}
