//! English towns with recovery centres, and the road distances between them.
//!
//! docs/model.md §6: recovery centres are spread across England, Dover among them (The Paladin
//! Pages; The New York Times). The novel's Kingsfield is fictional and has no place on the map, so
//! it is left out. Every town here hosts one recovery centre and carers' bedsits. Coordinates are
//! those of the town centres (degrees, WGS84), facts rather than parameters.

/// A town: name, latitude, longitude.
pub(crate) struct Town {
    pub name: &'static str,
    pub latitude: f64,
    pub longitude: f64,
}

macro_rules! towns {
    ($($name:literal $lat:literal $lon:expr;)*) => {
        pub(crate) static TOWNS: &[Town] = &[$(Town { name: $name, latitude: $lat, longitude: $lon },)*];
    };
}

towns! {
    "Dover" 51.1279 1.3134;
    "Canterbury" 51.2802 1.0789;
    "Brighton" 50.8225 (-0.1372);
    "Southampton" 50.9097 (-1.4044);
    "Portsmouth" 50.8198 (-1.0880);
    "Salisbury" 51.0688 (-1.7945);
    "Exeter" 50.7184 (-3.5339);
    "Plymouth" 50.3755 (-4.1427);
    "Bristol" 51.4545 (-2.5879);
    "Bath" 51.3811 (-2.3590);
    "Gloucester" 51.8642 (-2.2382);
    "Oxford" 51.7520 (-1.2577);
    "Reading" 51.4543 (-0.9781);
    "London" 51.5074 (-0.1278);
    "Cambridge" 52.2053 0.1218;
    "Ipswich" 52.0567 1.1482;
    "Norwich" 52.6309 1.2974;
    "Birmingham" 52.4862 (-1.8904);
    "Coventry" 52.4068 (-1.5197);
    "Shrewsbury" 52.7073 (-2.7553);
    "Leicester" 52.6369 (-1.1398);
    "Nottingham" 52.9548 (-1.1581);
    "Lincoln" 53.2307 (-0.5406);
    "Sheffield" 53.3811 (-1.4701);
    "Manchester" 53.4808 (-2.2426);
    "Liverpool" 53.4084 (-2.9916);
    "Leeds" 53.8008 (-1.5491);
    "York" 53.9600 (-1.0873);
    "Hull" 53.7676 (-0.3274);
    "Lancaster" 54.0466 (-2.8007);
    "Carlisle" 54.8925 (-2.9329);
    "Newcastle" 54.9783 (-1.6178);
}

/// Straight-line distances between towns and, for each town, the others nearest first.
pub(crate) struct Map {
    /// `km[a * n + b]`: great-circle kilometres from town a to town b.
    km: Vec<f64>,
    /// `nearest[a * n ..][..n]`: town indices by distance from a (a itself first).
    nearest: Vec<u8>,
    n: usize,
}

impl Map {
    pub fn new() -> Map {
        let n = TOWNS.len();
        assert!(n <= 255, "town indices are u8, with 255 for none");
        let mut km = vec![0.0; n * n];
        for (a, ta) in TOWNS.iter().enumerate() {
            for (b, tb) in TOWNS.iter().enumerate() {
                km[a * n + b] = haversine_km(ta, tb);
            }
        }
        let mut nearest = Vec::with_capacity(n * n);
        for a in 0..n {
            let mut order: Vec<usize> = (0..n).collect();
            // Ties broken by index, so the order is the same on every platform.
            order.sort_by(|&x, &y| km[a * n + x].total_cmp(&km[a * n + y]).then(x.cmp(&y)));
            nearest.extend(order.iter().map(|&t| u8::try_from(t).expect("n <= 255")));
        }
        Map { km, nearest, n }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn km(&self, a: u8, b: u8) -> f64 {
        self.km[a as usize * self.n + b as usize]
    }

    pub fn nearest(&self, a: u8) -> &[u8] {
        &self.nearest[a as usize * self.n..(a as usize + 1) * self.n]
    }
}

fn haversine_km(a: &Town, b: &Town) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (la, lb) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dlat = lb - la;
    let dlon = (b.longitude - a.longitude).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la.cos() * lb.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_those_of_england() {
        let map = Map::new();
        let index =
            |name: &str| u8::try_from(TOWNS.iter().position(|t| t.name == name).unwrap()).unwrap();
        let (dover, london, newcastle) = (index("Dover"), index("London"), index("Newcastle"));
        // Dover to London is about 105 km as the crow flies; London to Newcastle about 400.
        assert!(
            (map.km(dover, london) - 105.0).abs() < 10.0,
            "{}",
            map.km(dover, london)
        );
        assert!((map.km(london, newcastle) - 400.0).abs() < 15.0);
        assert_eq!(map.km(dover, dover), 0.0);
        assert_eq!(map.nearest(dover)[0], dover);
        assert_eq!(TOWNS[map.nearest(dover)[1] as usize].name, "Canterbury");
    }
}
