//! What the places of a run are called: the half-way houses and the recovery centres' towns.
//! The model numbers them; people read names. Hailsham's first three houses are the three the
//! novel names (the Cottages, where the narrator goes, and the White Mansion and Poplar Farm,
//! where others of her year go: chapter 10). Every other house has a name of the same kind, a
//! farm or an old house in the country ([`HOUSE_NAMES`], then the same names near a town, then
//! numbered), so that a story never sends anyone to "half-way house 36".

use crate::params::Params;
use crate::towns::TOWNS;

/// The houses the novel names, in index order: Hailsham's first houses.
pub const HAILSHAM_HOUSES: [&str; 3] = ["the Cottages", "the White Mansion", "Poplar Farm"];

/// Names for the houses the novel does not name, in the manner of those it does: old farms
/// and houses let to the programme (invented; the novel names only three).
pub const HOUSE_NAMES: [&str; 48] = [
    "the Grange",
    "Elm Farm",
    "the Old Rectory",
    "Larkfield",
    "Hollybush Farm",
    "the Mill House",
    "Rookery Farm",
    "Fenwick House",
    "the Limes",
    "Ash Cottages",
    "Marsh Farm",
    "the Laurels",
    "Orchard House",
    "Brook Farm",
    "the Maltings",
    "Beech Cottages",
    "Heathfield",
    "Kiln Farm",
    "the Old Vicarage",
    "Willow Farm",
    "the Barns",
    "Hill House",
    "Clover Farm",
    "the Paddocks",
    "Stone Cottages",
    "Glebe Farm",
    "the Coach House",
    "Meadow House",
    "Oak Farm",
    "the Chase",
    "Holly Cottages",
    "Manor Farm",
    "the Firs",
    "Lane End",
    "Cherry Farm",
    "the Old School House",
    "Yew Tree Farm",
    "the Stables",
    "Birch House",
    "Moor Farm",
    "the Hollies",
    "Thorn Cottages",
    "Sedge Farm",
    "the Cedars",
    "Well House",
    "Hazel Farm",
    "the Orchards",
    "Pond Cottages",
];

/// The name of the `k`-th house the novel does not name: [`HOUSE_NAMES`] in order, then each
/// again near each recovery centre's town ("the Grange, near Dover"), then numbered ("the
/// Grange 34"): every house of a run has a name of its own.
#[must_use]
pub fn house_name(k: usize) -> String {
    let base = HOUSE_NAMES[k % HOUSE_NAMES.len()];
    let round = k / HOUSE_NAMES.len();
    match round {
        0 => base.to_string(),
        r if r <= TOWNS.len() => format!("{base}, near {}", TOWNS[r - 1].name),
        r => format!("{base} {r}"),
    }
}

/// Where a couple forms or parts that is not a half-way house: at Hailsham, as students.
pub const HOUSE_HAILSHAM: u16 = u16::MAX;
/// Where a couple forms that is not a half-way house: a carer and a donor, old friends, at the
/// donor's recovery centre.
pub const HOUSE_CARE: u16 = u16::MAX - 1;

/// The names of a run's places, by the indices the model and its announcements use.
#[derive(Clone, Debug)]
pub struct Places {
    houses: Vec<String>,
    centres: Vec<&'static str>,
}

impl Places {
    /// The places of a run with `params`: `halfway.houses_hailsham` houses for Hailsham's
    /// leavers, then `halfway.houses_other` for everyone else.
    #[must_use]
    pub fn new(params: &Params) -> Places {
        let hailsham = usize::try_from(params.halfway.houses_hailsham).unwrap_or(0);
        let other = usize::try_from(params.halfway.houses_other).unwrap_or(0);
        let mut houses = Vec::with_capacity(hailsham + other);
        let mut unnamed = 0;
        for index in 0..hailsham + other {
            match HAILSHAM_HOUSES.get(index).filter(|_| index < hailsham) {
                Some(name) => houses.push((*name).to_string()),
                None => {
                    houses.push(house_name(unnamed));
                    unnamed += 1;
                }
            }
        }
        Places {
            houses,
            centres: TOWNS.iter().map(|t| t.name).collect(),
        }
    }

    /// The half-way house of index `house`.
    #[must_use]
    pub fn house(&self, house: u16) -> &str {
        match house {
            HOUSE_HAILSHAM => return "Hailsham",
            HOUSE_CARE => return "the recovery centre",
            _ => {}
        }
        self.houses
            .get(usize::from(house))
            .map_or("an unknown house", String::as_str)
    }

    /// The town of the recovery centre of index `centre`.
    #[must_use]
    pub fn centre(&self, centre: u8) -> &'static str {
        self.centres
            .get(usize::from(centre))
            .copied()
            .unwrap_or("an unknown town")
    }

    /// Half-way houses in all.
    #[must_use]
    pub fn houses(&self) -> usize {
        self.houses.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_novels_houses_come_first_then_names_of_their_kind() {
        let mut params = Params::default();
        params.halfway.houses_hailsham = 4;
        params.halfway.houses_other = 2;
        let places = Places::new(&params);
        let names: Vec<&str> = (0..6).map(|h| places.house(h)).collect();
        assert_eq!(
            names,
            [
                "the Cottages",
                "the White Mansion",
                "Poplar Farm",
                "the Grange",
                "Elm Farm",
                "the Old Rectory"
            ]
        );
        assert_eq!(places.house(6), "an unknown house");
        assert_eq!(places.houses(), 6);
        assert_eq!(places.centre(0), TOWNS[0].name);
    }

    /// Goal: every house has a name of its own, however many a scenario has.
    #[test]
    fn every_house_of_the_largest_scenario_has_a_name_of_its_own() {
        let mut params = Params::default();
        params.halfway.houses_hailsham = 100;
        params.halfway.houses_other = 65_000;
        let places = Places::new(&params);
        let mut names: Vec<&str> = (0..places.houses())
            .map(|h| places.house(u16::try_from(h).expect("fits")))
            .collect();
        assert!(names.iter().all(|n| !n.contains("half-way house")));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 65_100);
        assert_eq!(
            house_name(48),
            format!("the Grange, near {}", TOWNS[0].name)
        );
    }
}
