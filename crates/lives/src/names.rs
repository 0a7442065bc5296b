//! Names as the novel gives them: a first name and an initial ("Kathy H."), drawn from the
//! clone's lineage so the same clone has the same name in every scenario and on every run.
//!
//! The model has no sex; a name needs one, so it is drawn with the name, from the id, and
//! decides the pronoun too. It says nothing about who pairs with whom.

use std::sync::OnceLock;

use hailsham_world::Lineage;

/// The lists, as data with their source: see the file's header.
const NAMES_CSV: &str = include_str!("../data/first-names.csv");

/// Initials as they fall in English surnames, common ones more than once.
const INITIALS: &[u8] = b"AABBBBCCCDDEFGGHHHHJKLLMMMNOPPRRSSSSTTWWW";

/// A clone's name and the pronoun that goes with it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// The first name.
    pub first: &'static str,
    /// The initial of the surname nobody uses.
    pub initial: char,
    /// Whether to say "she" (otherwise "he").
    pub she: bool,
}

impl Name {
    /// "she" or "he".
    #[must_use]
    pub fn subject(self) -> &'static str {
        if self.she { "she" } else { "he" }
    }

    /// "her" or "him".
    #[must_use]
    pub fn object(self) -> &'static str {
        if self.she { "her" } else { "him" }
    }

    /// "her" or "his".
    #[must_use]
    pub fn possessive(self) -> &'static str {
        if self.she { "her" } else { "his" }
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}.", self.first, self.initial)
    }
}

/// One decade's lists.
struct Decade {
    decade: i32,
    girls: Vec<&'static str>,
    boys: Vec<&'static str>,
}

fn decades() -> &'static [Decade] {
    static DECADES: OnceLock<Vec<Decade>> = OnceLock::new();
    DECADES.get_or_init(|| parse(NAMES_CSV))
}

/// Parses the names file: `decade,sex,name;name;...` after `#` comments and a header.
fn parse(text: &'static str) -> Vec<Decade> {
    let mut decades: Vec<Decade> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("decade,") {
            continue;
        }
        let mut fields = line.splitn(3, ',');
        let (Some(decade), Some(sex), Some(names)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Ok(decade) = decade.parse::<i32>() else {
            continue;
        };
        let names: Vec<&'static str> = names.split(';').map(str::trim).collect();
        let index = match decades.iter().position(|d| d.decade == decade) {
            Some(index) => index,
            None => {
                decades.push(Decade {
                    decade,
                    girls: Vec::new(),
                    boys: Vec::new(),
                });
                decades.len() - 1
            }
        };
        match sex {
            "girl" => decades[index].girls = names,
            "boy" => decades[index].boys = names,
            _ => {}
        }
    }
    decades.sort_by_key(|d| d.decade);
    decades
}

/// SplitMix64: a fixed, well-mixed hash of a number, the same on every platform.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The name of the clone of `lineage`: from the list of the decade of its birth year (the
/// first list before it, the last after it), drawn by its lineage, so the same clone has the
/// same name in every world of a seed (where its id may differ).
#[must_use]
pub fn name_of(lineage: Lineage) -> Name {
    let birth_year = lineage.birth_year;
    let decades = decades();
    let decade = decades
        .iter()
        .rev()
        .find(|d| d.decade <= birth_year)
        .or_else(|| decades.first())
        .expect("the names file has lists");
    let hash = mix(lineage.key() ^ 0x6e61_6d65);
    let she = hash & 1 == 0;
    let list = if she { &decade.girls } else { &decade.boys };
    // Most given names first: a skewed draw favours the top of the list, as the country did.
    let draw = (hash >> 8) % 1_000;
    let rank = ((draw * draw) / 1_000) as usize * list.len() / 1_000;
    let initial = INITIALS[((hash >> 32) % INITIALS.len() as u64) as usize] as char;
    Name {
        first: list[rank.min(list.len() - 1)],
        initial,
        she,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_parse_with_twenty_names_each() {
        let decades = decades();
        assert_eq!(
            decades.iter().map(|d| d.decade).collect::<Vec<_>>(),
            [1940, 1950, 1960, 1970, 1980, 1990]
        );
        for d in decades {
            assert_eq!(d.girls.len(), 20, "{}", d.decade);
            assert_eq!(d.boys.len(), 20, "{}", d.decade);
            assert!(d.girls.iter().chain(&d.boys).all(|n| !n.is_empty()));
        }
    }

    #[test]
    fn names_are_fixed_by_id_and_decade() {
        let a = name_of(Lineage::new(1961, 1234));
        assert_eq!(a, name_of(Lineage::new(1961, 1234)));
        assert_ne!(
            (0..50)
                .map(|p| name_of(Lineage::new(1961, p)))
                .collect::<Vec<_>>(),
            (0..50)
                .map(|p| name_of(Lineage::new(1968, p)))
                .collect::<Vec<_>>(),
            "another year's cohort, other names"
        );
        let decade = &decades()[2];
        let list = if a.she { &decade.girls } else { &decade.boys };
        assert!(list.contains(&a.first));
        // Both sexes and many names occur.
        let names: std::collections::BTreeSet<&str> = (0..2_000)
            .map(|i| name_of(Lineage::new(1975, i)).first)
            .collect();
        assert!(names.len() > 30, "{names:?}");
        let she = (0..2_000)
            .filter(|&i| name_of(Lineage::new(1975, i)).she)
            .count();
        assert!((900..1_100).contains(&she), "{she}");
        // Before the first list and after the last.
        assert!(
            decades()[0]
                .girls
                .contains(&name_of(Lineage::new(1901, 2)).first)
                || decades()[0]
                    .boys
                    .contains(&name_of(Lineage::new(1901, 2)).first)
        );
        assert!(!name_of(Lineage::new(2150, 3)).first.is_empty());
        assert_eq!(
            format!(
                "{}",
                Name {
                    first: "Kathy",
                    initial: 'H',
                    she: true
                }
            ),
            "Kathy H."
        );
    }
}
