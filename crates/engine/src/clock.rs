//! Simulated time: whole days since the first day of the run, and the calendar around them.

use std::fmt;

/// Mean length of a Gregorian year in days, used to turn durations in years into days.
pub const DAYS_PER_YEAR: f64 = 365.2425;

/// A day of simulated time: the number of whole days since the first day of the run.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub u32);

impl Day {
    /// The day `days` after this one.
    #[inline]
    #[must_use]
    pub fn plus(self, days: u32) -> Day {
        Day(self
            .0
            .checked_add(days)
            .expect("day overflow: a run longer than eleven million years"))
    }

    /// Whole days from `earlier` to `self`; zero if `earlier` is later.
    #[inline]
    #[must_use]
    pub fn since(self, earlier: Day) -> u32 {
        self.0.saturating_sub(earlier.0)
    }

    /// Years (of [`DAYS_PER_YEAR`] days) from `earlier` to `self`.
    #[inline]
    #[must_use]
    pub fn years_since(self, earlier: Day) -> f64 {
        (f64::from(self.0) - f64::from(earlier.0)) / DAYS_PER_YEAR
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "day {}", self.0)
    }
}

/// Turns [`Day`]s into Gregorian dates and years, given the year the run starts in.
///
/// Day 0 is the first of January of `start_year`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    start_year: i32,
    epoch: i64,
}

impl Calendar {
    /// A calendar whose day 0 is the first of January of `start_year`.
    #[must_use]
    pub fn new(start_year: i32) -> Calendar {
        Calendar {
            start_year,
            epoch: days_from_civil(start_year, 1, 1),
        }
    }

    /// The year the run starts in.
    #[must_use]
    pub fn start_year(&self) -> i32 {
        self.start_year
    }

    /// The first day of `year`. Years before the start map to day 0.
    #[must_use]
    pub fn year_start(&self, year: i32) -> Day {
        Day(u32::try_from(days_from_civil(year, 1, 1) - self.epoch).unwrap_or(0))
    }

    /// The calendar year `day` falls in.
    #[must_use]
    pub fn year_of(&self, day: Day) -> i32 {
        self.date_of(day).0
    }

    /// The (year, month, day of month) of `day`.
    #[must_use]
    pub fn date_of(&self, day: Day) -> (i32, u32, u32) {
        civil_from_days(self.epoch + i64::from(day.0))
    }

    /// Days in `year`.
    #[must_use]
    pub fn days_in_year(&self, year: i32) -> u32 {
        u32::try_from(days_from_civil(year + 1, 1, 1) - days_from_civil(year, 1, 1))
            .expect("a year has 365 or 366 days")
    }
}

// Howard Hinnant's algorithms ("chrono-Compatible Low-Level Date Algorithms"): exact for the
// proleptic Gregorian calendar, with no table and no floating point.
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).expect("day of month fits");
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).expect("month fits");
    let year = yoe + era * 400 + i64::from(month <= 2);
    (i32::try_from(year).expect("year fits in i32"), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips_and_knows_leap_years() {
        let calendar = Calendar::new(1952);
        assert_eq!(calendar.date_of(Day(0)), (1952, 1, 1));
        // 1952 is a leap year: 366 days.
        assert_eq!(calendar.days_in_year(1952), 366);
        assert_eq!(calendar.days_in_year(1953), 365);
        assert_eq!(calendar.days_in_year(2000), 366);
        assert_eq!(calendar.days_in_year(1900), 365);
        assert_eq!(calendar.year_start(1953), Day(366));
        assert_eq!(calendar.date_of(Day(365)), (1952, 12, 31));
        for year in 1952..2100 {
            let start = calendar.year_start(year);
            assert_eq!(calendar.date_of(start), (year, 1, 1));
            assert_eq!(
                calendar.year_of(start.plus(calendar.days_in_year(year) - 1)),
                year
            );
        }
        assert_eq!(
            calendar.year_start(1900),
            Day(0),
            "years before the start clamp to day 0"
        );
    }

    #[test]
    fn durations_in_years() {
        assert_eq!(Day(10).since(Day(3)), 7);
        assert_eq!(Day(3).since(Day(10)), 0);
        let sixteen = (16.0 * DAYS_PER_YEAR).round() as u32;
        assert!((Day(sixteen).years_since(Day(0)) - 16.0).abs() < 1e-3);
    }
}
