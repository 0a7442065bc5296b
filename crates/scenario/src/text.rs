//! A scenario as the text of a file that loads to the same parameters: what the run store
//! keeps of a scenario run from the command line, whatever chain of files it came from.

use std::fmt::Write as _;

use hailsham_world::Params;

use crate::Scenario;

impl Scenario {
    /// The scenario as TOML that loads, from any directory and with no base, to the same
    /// parameters and so the same [`Scenario::hash`]: its `name`, then every value that
    /// differs from `novel`'s, one `section.key = value` a line in the parameter table's
    /// order. Words (`description`, `question`, `[answer]`) are left out: they change no
    /// parameter.
    #[must_use]
    pub fn resolved_toml(&self) -> String {
        let mut text = format!("name = {}\n", crate::novel::toml_string(&self.name));
        let novel = Params::default();
        for ((spec, value), (_, default)) in self.params.values().zip(novel.values()) {
            if value != default {
                // Writing to a String cannot fail.
                let _ = writeln!(text, "{}.{} = {value}", spec.section, spec.key);
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{BUNDLED, Scenario};

    fn reloaded(scenario: &Scenario) -> Scenario {
        match Scenario::parse(&scenario.resolved_toml(), Path::new("resolved.toml")) {
            Ok(again) => again,
            Err(diagnostics) => panic!(
                "{}:\n{}\n{}",
                scenario.name,
                scenario.resolved_toml(),
                diagnostics.render()
            ),
        }
    }

    #[test]
    fn the_resolved_text_loads_to_the_same_parameters() {
        let novel = Scenario::novel();
        assert_eq!(novel.resolved_toml(), "name = \"novel\"\n");
        let mut changed = 0;
        for bundled in BUNDLED {
            let mut scenario = bundled.load().expect("bundled scenarios load");
            // What `--until` does after loading is kept too.
            scenario.params.time.end_year = 1990;
            let again = reloaded(&scenario);
            assert_eq!(again.params, scenario.params, "{}", bundled.name);
            assert_eq!(again.hash(), scenario.hash(), "{}", bundled.name);
            assert_eq!(again.name, scenario.name);
            changed += scenario.resolved_toml().lines().count() - 1;
        }
        assert!(
            changed > BUNDLED.len(),
            "the scenarios change values: {changed}"
        );
    }

    #[test]
    fn any_name_survives_as_a_toml_string() {
        let mut scenario = Scenario::novel();
        scenario.name = "Kathy's \"world\"\\ of\n\tHailsham \u{7}é".to_string();
        assert_eq!(reloaded(&scenario).name, scenario.name);
    }
}
