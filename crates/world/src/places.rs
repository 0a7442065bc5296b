//! What the places of a run are called: the half-way houses and the recovery centres' towns.
//! The model numbers them; people read names. Hailsham's first three houses are the three the
//! novel names (the Cottages, where the narrator goes, and the White Mansion and Poplar Farm,
//! where others of her year go: chapter 10); the rest are numbered.

use crate::params::Params;
use crate::towns::TOWNS;

/// The houses the novel names, in index order: Hailsham's first houses.
pub const HAILSHAM_HOUSES: [&str; 3] = ["the Cottages", "the White Mansion", "Poplar Farm"];

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
        for index in 0..hailsham {
            houses.push(match HAILSHAM_HOUSES.get(index) {
                Some(name) => (*name).to_string(),
                None => format!("Hailsham house {}", index + 1),
            });
        }
        for index in 0..other {
            houses.push(format!("half-way house {}", index + 1));
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
    fn the_novels_houses_come_first_then_numbers() {
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
                "Hailsham house 4",
                "half-way house 1",
                "half-way house 2"
            ]
        );
        assert_eq!(places.house(6), "an unknown house");
        assert_eq!(places.houses(), 6);
        assert_eq!(places.centre(0), TOWNS[0].name);
    }
}
