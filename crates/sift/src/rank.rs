//! Matches ranked by how unusual they are, after Kreminski et al., "Select the Unexpected":
//! each match's counted person has a few properties (home, half-way house, decade of birth,
//! donations, years as a carer); a property value shared by a fraction f of all the matches
//! adds -ln f to the match's score, so the match whose properties are rarest among the
//! matches comes first. Ties go by replicate, then id, so the order is total.

use std::collections::BTreeMap;

use crate::eval::{Match, Sifted};

/// A match with its replicate and score.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked<'a> {
    /// The replicate it was found in.
    pub replicate: u32,
    /// The match.
    pub found: &'a Match,
    /// The sum over its properties of -ln(the share of matches with the same value).
    pub score: f64,
}

/// Every match of every replicate, most unusual first.
#[must_use]
pub fn rank(sifted: &[Sifted]) -> Vec<Ranked<'_>> {
    let all: Vec<(u32, &Match)> = sifted
        .iter()
        .flat_map(|s| s.matches.iter().map(move |m| (s.replicate, m)))
        .collect();
    let mut counts: Vec<BTreeMap<String, u64>> = vec![BTreeMap::new(); 5];
    for (_, m) in &all {
        for (j, (_, value)) in m.properties.pairs().into_iter().enumerate() {
            *counts[j].entry(value).or_default() += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let total = all.len() as f64;
    let mut ranked: Vec<Ranked<'_>> = all
        .iter()
        .map(|&(replicate, found)| {
            let mut score = 0.0;
            for (j, (_, value)) in found.properties.pairs().into_iter().enumerate() {
                #[allow(clippy::cast_precision_loss)]
                let share = counts[j][&value] as f64 / total;
                score -= share.ln();
            }
            Ranked {
                replicate,
                found,
                score,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.replicate.cmp(&b.replicate))
            .then(a.found.id.cmp(&b.found.id))
    });
    ranked
}
