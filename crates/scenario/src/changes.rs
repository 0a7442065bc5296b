//! Changes to a scenario given as values rather than a file: `care.carer_share = 0.3` from a
//! Python dictionary or a notebook's widget. They are checked as a file's keys are (the key,
//! its type, its range, then the rules that join parameters), and their problems are reported
//! in the same [`Diagnostics`], located in a file named [`CHANGES`] with no line: a dictionary
//! has none.

use std::path::Path;

use hailsham_world::{Params, SPECS, SetError, Value};

use crate::suggest::suggest_key;
use crate::{Diagnostic, Diagnostics, Scenario, ScenarioError};

/// The name changes go by in diagnostics.
pub const CHANGES: &str = "changes";

impl Scenario {
    /// This scenario with each of `changes` (`section.key`, value) set, checked as a
    /// scenario file's keys are; its name is kept, its hash and changed keys follow the new
    /// parameters.
    ///
    /// # Errors
    /// Every problem: a key that names no parameter (with the closest one), a value of the
    /// wrong type or out of range, values that break a rule joining parameters.
    pub fn with_changes(mut self, changes: &[(String, Value)]) -> Result<Scenario, Diagnostics> {
        let file = Path::new(CHANGES);
        let mut items = Vec::new();
        for (path, value) in changes {
            let (section, key) = path.split_once('.').unwrap_or(("", path.as_str()));
            let error = match self.params.set(section, key, *value) {
                Ok(()) => continue,
                Err(SetError::WrongType { expected }) => ScenarioError::WrongType {
                    key: path.clone(),
                    expected: expected.as_str(),
                    found: match value {
                        Value::Float(_) => "a number",
                        Value::Int(_) => "a whole number",
                        Value::Bool(_) => "true or false",
                    },
                },
                Err(SetError::OutOfRange { min, max }) => ScenarioError::OutOfRange {
                    key: path.clone(),
                    value: value.to_string(),
                    min,
                    max,
                },
                // `SetError` may grow: what it cannot place is a key it does not know.
                Err(_) => ScenarioError::UnknownKey {
                    section: section.to_string(),
                    key: key.to_string(),
                    suggestion: suggestion(path),
                },
            };
            items.push(Diagnostic::new(error, file, None, None));
        }
        if items.is_empty() {
            for problem in self.params.problems() {
                items.push(Diagnostic::new(
                    ScenarioError::inconsistent(problem),
                    file,
                    None,
                    None,
                ));
            }
        }
        if !items.is_empty() {
            return Err(Diagnostics { items });
        }
        let defaults = Params::default();
        self.changed = SPECS
            .iter()
            .filter(|spec| {
                self.params.get(spec.section, spec.key) != defaults.get(spec.section, spec.key)
            })
            .map(|spec| (spec.section, spec.key))
            .collect();
        Ok(self)
    }
}

/// The parameter `section.key` probably meant, written as `section.key`: one of the same
/// section first, else the closest of all.
fn suggestion(path: &str) -> Option<String> {
    let (section, key) = path.split_once('.').unwrap_or(("", path));
    match suggest_key(section, key)? {
        // `[care] carer_share`, another section's key: said as a changes key is written.
        other if other.starts_with('[') => Some(other.replacen('[', "", 1).replacen("] ", ".", 1)),
        same => Some(format!("{section}.{same}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str, value: Value) -> Vec<(String, Value)> {
        vec![(path.to_string(), value)]
    }

    #[test]
    fn a_change_sets_its_parameter_and_the_hash_follows() {
        let novel = Scenario::novel();
        let changed = novel
            .clone()
            .with_changes(&change("care.carer_share", Value::Float(0.3)))
            .expect("a valid change");
        assert_eq!(changed.params.care.carer_share, 0.3);
        assert_eq!(changed.changed, vec![("care", "carer_share")]);
        assert_ne!(changed.hash(), novel.hash());
        assert_eq!(changed.name, "novel");
        // A whole number is a number too, as in a file.
        let whole = novel
            .with_changes(&change("care.carer_share", Value::Int(0)))
            .expect("0 is a share");
        assert_eq!(whole.params.care.carer_share, 0.0);
    }

    #[test]
    fn a_misspelt_key_names_the_closest_parameter() {
        let error = Scenario::novel()
            .with_changes(&change("care.carer_shar", Value::Float(0.3)))
            .expect_err("no such key");
        let ScenarioError::UnknownKey { suggestion, .. } = &error.items[0].error else {
            panic!("{error}");
        };
        assert_eq!(suggestion.as_deref(), Some("care.carer_share"));
        assert!(error.render().contains("--> changes"), "{}", error.render());
        // A key of another section, written under the wrong one.
        let error = Scenario::novel()
            .with_changes(&change("homes.carer_share", Value::Float(0.3)))
            .expect_err("not in homes");
        let ScenarioError::UnknownKey { suggestion, .. } = &error.items[0].error else {
            panic!("{error}");
        };
        assert_eq!(suggestion.as_deref(), Some("care.carer_share"));
    }

    #[test]
    fn wrong_types_ranges_and_rules_are_refused_with_the_key() {
        let error = Scenario::novel()
            .with_changes(&[
                ("care.carer_share".to_string(), Value::Bool(true)),
                ("care.carer_share".to_string(), Value::Float(7.0)),
            ])
            .expect_err("two problems");
        assert_eq!(error.items.len(), 2);
        assert!(matches!(
            &error.items[0].error,
            ScenarioError::WrongType { key, expected: "a number", found: "true or false" }
                if key == "care.carer_share"
        ));
        assert!(matches!(
            &error.items[1].error,
            ScenarioError::OutOfRange { key, max, .. } if key == "care.carer_share" && *max == 1.0
        ));
        let error = Scenario::novel()
            .with_changes(&change("time.end_year", Value::Int(1940)))
            .expect_err("ends before it starts");
        assert!(matches!(
            &error.items[0].error,
            ScenarioError::Inconsistent { .. }
        ));
    }
}
