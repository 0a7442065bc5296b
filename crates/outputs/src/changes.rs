//! What a scenario changes: the parameters whose values differ from the scenario it is set
//! against, in the parameter table's order, with their units and meanings.

use hailsham_world::{Params, SPECS};

/// A parameter whose value differs between the two scenarios of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// `section.key`.
    pub key: String,
    /// The value in the scenario compared against (usually `novel`).
    pub base: String,
    /// The value in the scenario reported on.
    pub value: String,
    /// The parameter's unit.
    pub unit: &'static str,
    /// What the parameter means.
    pub meaning: &'static str,
}

/// The parameters whose values differ between `base` and `other`, in the parameter table's
/// order. Against `novel`, these are the keys a scenario's chain changes.
#[must_use]
pub fn changes(base: &Params, other: &Params) -> Vec<Change> {
    SPECS
        .iter()
        .filter_map(|spec| {
            let from = base.get(spec.section, spec.key)?;
            let to = other.get(spec.section, spec.key)?;
            (from != to).then(|| Change {
                key: spec.path(),
                base: from.to_string(),
                value: to.to_string(),
                unit: spec.unit,
                meaning: spec.meaning,
            })
        })
        .collect()
}
