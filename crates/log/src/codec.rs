//! The codec proper: a [`Happening`] to its [`Row`] ([`encode`]) and a row back to its
//! happening ([`decode`]). Each is one `match` with an arm per variant or kind and no `_`, so a
//! new kind of happening does not compile until both directions place it.

use hailsham_world::happening::Kind;
use hailsham_world::{DAYS_PER_YEAR, Day, Happening, Params};

use crate::columns::LogColumn;
use crate::error::DecodeError;
use crate::kinds::Detail;
use crate::row::Row;

/// An unsigned count in the log's signed 64-bit column, saturating (no count comes near).
fn big(n: u64) -> Option<i64> {
    Some(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The row of `happening`, or `None` for the one announcement the log does not hold (the
/// census of a year, which is the yearly series). It allocates nothing. `inline` lets the
/// writer's crate inline it into its observer, as it could the writer's own code before.
#[must_use]
#[inline]
pub fn encode(happening: &Happening) -> Option<Row> {
    use Happening as H;
    let mut row = Row::new(happening.kind());
    row.person = happening.person();
    row.other = happening.other();
    let age = |days: u32| i32::try_from(days).ok();
    match *happening {
        H::Created {
            home,
            blood_group,
            place,
            ..
        } => {
            row.home = Some(home);
            row.detail = Some(Detail::Blood(blood_group));
            row.count = Some(i64::from(place));
        }
        H::HumaneHomesClosed { transferred } => row.count = Some(i64::from(transferred)),
        H::Exchange {
            pieces,
            tokens_awarded,
            tokens_spent,
            // The roll is the year's series, not the log's.
            students: _,
        } => {
            row.count = big(tokens_awarded);
            row.count_2 = big(tokens_spent);
            row.amount = Some(f64::from(pieces));
        }
        H::Sale { tokens_spent } => row.count = big(tokens_spent),
        H::LeftHome { house, tokens, .. } => {
            row.house = Some(house);
            row.count = Some(i64::from(tokens));
        }
        H::PossibleSearched { sighted, .. } => row.flag = Some(sighted),
        H::CoupleFormed { house, .. } | H::CoupleParted { house, .. } => row.house = Some(house),
        H::CarerQualified { town, .. } => row.town = Some(town),
        H::CarerAssigned {
            centre, town, how, ..
        } => {
            row.centre = Some(centre);
            row.town = Some(town);
            row.detail = Some(Detail::How(how));
        }
        H::CarerReleased { why, .. } => row.detail = Some(Detail::Why(why)),
        H::CareerEnded {
            career_days,
            km,
            why,
            ..
        } => {
            row.count = Some(i64::from(career_days));
            row.amount = Some(km);
            row.detail = Some(Detail::Why(why));
        }
        H::BedTaken {
            centre, beds_held, ..
        } => {
            row.centre = Some(centre);
            row.count = big(beds_held);
        }
        H::DonationPostponed { number, .. } => row.number = Some(i32::from(number)),
        H::Donation {
            number,
            organ,
            organs,
            centre,
            completing,
            age_days,
            ..
        } => {
            row.number = Some(i32::from(number));
            row.organ = Some(organ);
            row.count = Some(i64::from(organs));
            row.centre = Some(centre);
            row.flag = Some(completing);
            row.age_days = age(age_days);
        }
        H::OrganSupplied {
            organ,
            transplanted,
            life_years,
            ..
        } => {
            row.organ = Some(organ);
            row.flag = Some(transplanted);
            row.amount = Some(life_years);
        }
        H::Completed {
            number,
            during_operation,
            centre,
            age_days,
            // Computed again on reading ([`Unlogged::life_years_lost`]).
            life_years_lost: _,
            ..
        } => {
            row.number = Some(i32::from(number));
            row.flag = Some(during_operation);
            row.centre = Some(centre);
            row.age_days = age(age_days);
        }
        H::DeferralAsked { granted, .. } => row.flag = Some(granted),
        H::Escaped { stage, .. } => row.detail = Some(Detail::Stage(stage)),
        H::Patients {
            organ,
            arrivals,
            deaths,
            grown,
            life_years_grown,
        } => {
            row.organ = Some(organ);
            row.count = big(arrivals);
            row.count_2 = big(deaths);
            // The patients grown organs served: a count, kept exact in an integer column;
            // empty (with their life-years) on the days there were none.
            row.number = (grown > 0).then(|| i32::try_from(grown).unwrap_or(i32::MAX));
            row.amount = (grown > 0).then_some(life_years_grown);
        }
        H::RunEnded {
            carer_km, tokens, ..
        } => {
            row.amount = Some(carer_km);
            row.count = Some(i64::from(tokens));
        }
        H::YearEnded(_) => return None,
        // The parties are the whole of these.
        H::Transferred { .. }
        | H::GalleryPiece { .. }
        | H::RumourBelieved { .. }
        | H::TrainingBegan { .. }
        | H::BecameDonor { .. }
        | H::WaitingForBed { .. }
        | H::Found { .. } => {}
    }
    Some(row)
}

/// The fields of an announcement that are not columns, computed on reading as the model
/// computes them from the scenario.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Unlogged {
    /// Days from birth to creation: `homes.home_entry_age_years` in whole days, rounded.
    pub entry_days: u32,
    /// `society.life_expectancy_years`.
    pub life_expectancy_years: f64,
}

impl Unlogged {
    /// What the log leaves out of a run of `params`.
    #[must_use]
    pub fn new(params: &Params) -> Unlogged {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let entry_days = (params.homes.home_entry_age_years * DAYS_PER_YEAR)
            .round()
            .max(0.0) as u32;
        Unlogged {
            entry_days,
            life_expectancy_years: params.society.life_expectancy_years,
        }
    }

    /// The birth of a clone created on `created`.
    #[must_use]
    pub fn birth(&self, created: Day) -> Day {
        Day(created.0.saturating_sub(self.entry_days))
    }

    /// The life-years lost by a completion at `age_days`.
    #[must_use]
    pub fn life_years_lost(&self, age_days: u32) -> f64 {
        (self.life_expectancy_years - f64::from(age_days) / DAYS_PER_YEAR).max(0.0)
    }
}

/// Reads the fields of one row for [`decode`]: each names its column in the error.
struct Fields<'a> {
    row: &'a Row,
}

impl Fields<'_> {
    fn missing(&self, column: LogColumn) -> DecodeError {
        DecodeError::Missing {
            kind: self.row.kind,
            column,
        }
    }

    fn out_of_range(&self, column: LogColumn, value: f64) -> DecodeError {
        DecodeError::OutOfRange {
            kind: self.row.kind,
            column,
            value,
        }
    }

    fn need<T>(&self, value: Option<T>, column: LogColumn) -> Result<T, DecodeError> {
        value.ok_or_else(|| self.missing(column))
    }

    fn person(&self) -> Result<hailsham_world::PersonId, DecodeError> {
        self.need(self.row.person, LogColumn::Person)
    }

    fn other(&self) -> Result<hailsham_world::PersonId, DecodeError> {
        self.need(self.row.other, LogColumn::Other)
    }

    /// An integer column as the field's type.
    #[allow(clippy::cast_precision_loss)]
    fn fits<T: TryFrom<i64>>(
        &self,
        value: Option<i64>,
        column: LogColumn,
    ) -> Result<T, DecodeError> {
        let n = self.need(value, column)?;
        T::try_from(n).map_err(|_| self.out_of_range(column, n as f64))
    }

    fn count<T: TryFrom<i64>>(&self) -> Result<T, DecodeError> {
        self.fits(self.row.count, LogColumn::Count)
    }

    fn count_2<T: TryFrom<i64>>(&self) -> Result<T, DecodeError> {
        self.fits(self.row.count_2, LogColumn::Count2)
    }

    fn number(&self) -> Result<u8, DecodeError> {
        self.fits(self.row.number.map(i64::from), LogColumn::Number)
    }

    fn age_days(&self) -> Result<u32, DecodeError> {
        self.fits(self.row.age_days.map(i64::from), LogColumn::AgeDays)
    }

    fn house(&self) -> Result<u16, DecodeError> {
        self.need(self.row.house, LogColumn::House)
    }

    fn centre(&self) -> Result<u8, DecodeError> {
        self.need(self.row.centre, LogColumn::Centre)
    }

    fn town(&self) -> Result<u8, DecodeError> {
        self.need(self.row.town, LogColumn::Town)
    }

    fn organ(&self) -> Result<hailsham_world::Organ, DecodeError> {
        self.need(self.row.organ, LogColumn::Organ)
    }

    fn flag(&self) -> Result<bool, DecodeError> {
        self.need(self.row.flag, LogColumn::Flag)
    }

    fn amount(&self) -> Result<f64, DecodeError> {
        self.need(self.row.amount, LogColumn::Amount)
    }

    /// A whole, non-negative amount (the pieces of an Exchange).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    fn whole_amount(&self) -> Result<u32, DecodeError> {
        let amount = self.amount()?;
        if amount.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&amount) {
            Ok(amount as u32)
        } else {
            Err(self.out_of_range(LogColumn::Amount, amount))
        }
    }

    fn detail(&self) -> Result<Detail, DecodeError> {
        self.need(self.row.detail, LogColumn::Detail)
    }

    /// The detail of the vocabulary `pick` takes; another vocabulary's word is as unknown
    /// as a word of none.
    fn detail_as<T>(&self, pick: fn(Detail) -> Option<T>) -> Result<T, DecodeError> {
        let detail = self.detail()?;
        pick(detail).ok_or_else(|| DecodeError::UnknownWord {
            column: LogColumn::Detail,
            word: detail.word().to_string(),
        })
    }
}

/// The announcement of `row`, made on `day` of the run: the inverse of [`encode`]. The
/// fields the log does not hold are computed by `unlogged` (a clone's birth, the life-years
/// lost at completion) or, for an Exchange's `students` (the roll, which is the yearly
/// series'), given as 0.
///
/// # Errors
/// A [`DecodeError`] naming the first column the kind needs that is empty or out of range,
/// or [`DecodeError::NotLogged`] for a kind the log never holds.
#[allow(clippy::too_many_lines)]
pub fn decode(day: Day, row: &Row, unlogged: &Unlogged) -> Result<Happening, DecodeError> {
    use Happening as H;
    let f = Fields { row };
    Ok(match row.kind {
        Kind::Created => H::Created {
            person: f.person()?,
            home: f.need(row.home, LogColumn::Home)?,
            birth: unlogged.birth(day),
            blood_group: f.detail_as(|d| match d {
                Detail::Blood(group) => Some(group),
                _ => None,
            })?,
            place: f.count()?,
        },
        Kind::Transferred => H::Transferred {
            person: f.person()?,
        },
        Kind::HumaneHomesClosed => H::HumaneHomesClosed {
            transferred: f.count()?,
        },
        Kind::Exchange => H::Exchange {
            students: 0,
            pieces: f.whole_amount()?,
            tokens_awarded: f.count()?,
            tokens_spent: f.count_2()?,
        },
        Kind::Sale => H::Sale {
            tokens_spent: f.count()?,
        },
        Kind::GalleryPiece => H::GalleryPiece {
            person: f.person()?,
        },
        Kind::LeftHome => H::LeftHome {
            person: f.person()?,
            house: f.house()?,
            tokens: f.count()?,
        },
        Kind::PossibleSearched => H::PossibleSearched {
            person: f.person()?,
            sighted: f.flag()?,
        },
        Kind::CoupleFormed => H::CoupleFormed {
            first: f.person()?,
            second: f.other()?,
            house: f.house()?,
        },
        Kind::RumourBelieved => H::RumourBelieved {
            person: f.person()?,
            partner: f.other()?,
        },
        Kind::CoupleParted => H::CoupleParted {
            first: f.person()?,
            second: f.other()?,
            house: f.house()?,
        },
        Kind::TrainingBegan => H::TrainingBegan {
            person: f.person()?,
        },
        Kind::CarerQualified => H::CarerQualified {
            person: f.person()?,
            town: f.town()?,
        },
        Kind::CarerAssigned => H::CarerAssigned {
            carer: f.person()?,
            donor: f.other()?,
            centre: f.centre()?,
            town: f.town()?,
            how: f.detail_as(|d| match d {
                Detail::How(how) => Some(how),
                _ => None,
            })?,
        },
        Kind::CarerReleased => H::CarerReleased {
            carer: f.person()?,
            donor: f.other()?,
            why: f.detail_as(why)?,
        },
        Kind::CareerEnded => H::CareerEnded {
            person: f.person()?,
            career_days: f.count()?,
            km: f.amount()?,
            why: f.detail_as(why)?,
        },
        Kind::BecameDonor => H::BecameDonor {
            person: f.person()?,
        },
        Kind::WaitingForBed => H::WaitingForBed {
            person: f.person()?,
        },
        Kind::BedTaken => H::BedTaken {
            person: f.person()?,
            centre: f.centre()?,
            beds_held: f.count()?,
        },
        Kind::DonationPostponed => H::DonationPostponed {
            person: f.person()?,
            number: f.number()?,
        },
        Kind::Donation => H::Donation {
            person: f.person()?,
            number: f.number()?,
            organ: f.organ()?,
            organs: f.count()?,
            centre: f.centre()?,
            carer: row.other,
            completing: f.flag()?,
            age_days: f.age_days()?,
        },
        Kind::OrganSupplied => H::OrganSupplied {
            donor: f.person()?,
            organ: f.organ()?,
            transplanted: f.flag()?,
            life_years: f.amount()?,
        },
        Kind::Completed => {
            let age_days = f.age_days()?;
            H::Completed {
                person: f.person()?,
                number: f.number()?,
                during_operation: f.flag()?,
                centre: f.centre()?,
                carer: row.other,
                age_days,
                life_years_lost: unlogged.life_years_lost(age_days),
            }
        }
        Kind::DeferralAsked => H::DeferralAsked {
            first: f.person()?,
            second: f.other()?,
            granted: f.flag()?,
        },
        Kind::Escaped => H::Escaped {
            person: f.person()?,
            stage: f.detail_as(|d| match d {
                Detail::Stage(stage) => Some(stage),
                _ => None,
            })?,
        },
        Kind::Found => H::Found {
            person: f.person()?,
        },
        Kind::Patients => H::Patients {
            organ: f.organ()?,
            arrivals: f.count()?,
            deaths: f.count_2()?,
            // Empty on a day grown organs served nobody.
            grown: match row.number {
                None => 0,
                Some(_) => f.fits(row.number.map(i64::from), LogColumn::Number)?,
            },
            life_years_grown: row.amount.unwrap_or(0.0),
        },
        Kind::RunEnded => H::RunEnded {
            person: f.person()?,
            carer_km: f.amount()?,
            tokens: f.count()?,
        },
        Kind::YearEnded => return Err(DecodeError::NotLogged { kind: row.kind }),
    })
}

fn why(detail: Detail) -> Option<hailsham_world::Release> {
    match detail {
        Detail::Why(why) => Some(why),
        _ => None,
    }
}

/// The `date` of the first day of a run on `calendar` (1 January of its first year), as days
/// since 1970-01-01: a row of day `d` of the run is dated `epoch + d`. `None` for a year past
/// the calendar's range, which validated parameters never give.
#[must_use]
pub fn epoch(calendar: hailsham_world::Calendar) -> Option<i32> {
    hailsham_table::days_from_civil(i64::from(calendar.start_year()), 1, 1)
}
