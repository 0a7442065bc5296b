//! [`Row`]: one announcement as the log holds it, typed, and its values in the file.

use hailsham_table::{Batch, Cell, TableError};
use hailsham_world::happening::Kind;
use hailsham_world::{HomeKind, Organ, PersonId};

use crate::columns::LogColumn;
use crate::error::DecodeError;
use crate::kinds::Detail;
use crate::words::{self, Names};

/// One row of the log besides its replicate and date, with every column typed: words are
/// the world's enums and the model's indices of places, not text. It is `Copy` and holds no
/// text, so the simulation's thread builds one per announcement without allocating; the
/// words are looked up where the row is written ([`Row::values`]) or read ([`Row::set`]).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Row {
    /// What happened.
    pub kind: Kind,
    /// The clone it is about.
    pub person: Option<PersonId>,
    /// The second party.
    pub other: Option<PersonId>,
    /// The home a clone was created into.
    pub home: Option<HomeKind>,
    /// A half-way house, by the model's index ([`Names::house`]).
    pub house: Option<u16>,
    /// A recovery centre, by index ([`Names::town`]).
    pub centre: Option<u8>,
    /// A carer's town, by the index of its recovery centre.
    pub town: Option<u8>,
    /// An organ.
    pub organ: Option<Organ>,
    /// A donation's number (or, for `patients`, what grown organs served).
    pub number: Option<i32>,
    /// An age in days.
    pub age_days: Option<i32>,
    /// A count.
    pub count: Option<i64>,
    /// A second count.
    pub count_2: Option<i64>,
    /// A yes or no.
    pub flag: Option<bool>,
    /// Kilometres, life-years or pieces.
    pub amount: Option<f64>,
    /// A word of the kind's vocabulary.
    pub detail: Option<Detail>,
}

impl Row {
    /// A row of `kind` with every other column empty.
    #[must_use]
    #[inline]
    pub const fn new(kind: Kind) -> Row {
        Row {
            kind,
            person: None,
            other: None,
            home: None,
            house: None,
            centre: None,
            town: None,
            organ: None,
            number: None,
            age_days: None,
            count: None,
            count_2: None,
            flag: None,
            amount: None,
            detail: None,
        }
    }

    /// The row's values in the order of [`crate::LOG_COLUMNS`], for replicate `replicate` on
    /// `date` (days since 1970-01-01), places named by `names`.
    ///
    /// # Panics
    /// If an id is past `i32::MAX` (the model's ids stay below 2^28).
    #[must_use]
    #[inline]
    pub fn values<'a>(&self, replicate: i32, date: i32, names: &'a Names) -> [Cell<'a>; 17] {
        let id = |p: Option<PersonId>| {
            p.map_or(Cell::Null, |p| {
                Cell::Int32(i32::try_from(p.0).expect("ids fit in i32"))
            })
        };
        let text = |t: Option<&'a str>| t.map_or(Cell::Null, Cell::Text);
        let town = |index: Option<u8>| text(index.and_then(|index| names.town(index)));
        let int = |n: Option<i32>| n.map_or(Cell::Null, Cell::Int32);
        let big = |n: Option<i64>| n.map_or(Cell::Null, Cell::Int64);
        [
            Cell::Int32(replicate),
            Cell::Date(date),
            Cell::Text(self.kind.name()),
            id(self.person),
            id(self.other),
            text(self.home.map(HomeKind::as_str)),
            text(self.house.map(|house| names.house(house))),
            town(self.centre),
            town(self.town),
            text(self.organ.map(Organ::as_str)),
            int(self.number),
            int(self.age_days),
            big(self.count),
            big(self.count_2),
            self.flag.map_or(Cell::Null, Cell::Bool),
            self.amount.map_or(Cell::Null, Cell::Float64),
            text(self.detail.map(Detail::word)),
        ]
    }

    /// Sets column `column` from `value`, as read from a file; words are looked up in
    /// `names` and, for `detail`, among the row's kind's words (so the kind comes first:
    /// [`Row::new`]). The `replicate` and `date` columns are not part of a row and are
    /// passed over; a `kind` value sets the kind.
    ///
    /// # Errors
    /// A [`DecodeError`] that names the column: a value of another type than the column's,
    /// an unknown word, a negative id.
    pub fn set(
        &mut self,
        column: LogColumn,
        value: Cell<'_>,
        names: &Names,
    ) -> Result<(), DecodeError> {
        let wrong = || DecodeError::WrongType { column };
        let text = || match value {
            Cell::Null => Ok(None),
            Cell::Text(word) => Ok(Some(word)),
            _ => Err(wrong()),
        };
        let int = || match value {
            Cell::Null => Ok(None),
            Cell::Int32(n) => Ok(Some(n)),
            _ => Err(wrong()),
        };
        let big = || match value {
            Cell::Null => Ok(None),
            Cell::Int64(n) => Ok(Some(n)),
            _ => Err(wrong()),
        };
        let kind = self.kind;
        let id = || -> Result<Option<PersonId>, DecodeError> {
            int()?
                .map(|n| {
                    u32::try_from(n)
                        .map(PersonId)
                        .map_err(|_| DecodeError::OutOfRange {
                            kind,
                            column,
                            value: f64::from(n),
                        })
                })
                .transpose()
        };
        match column {
            LogColumn::Replicate | LogColumn::Date => {}
            LogColumn::Kind => {
                let word = text()?.ok_or(DecodeError::Required { column })?;
                self.kind = words::kind(word)?;
            }
            LogColumn::Person => self.person = id()?,
            LogColumn::Other => self.other = id()?,
            LogColumn::Home => self.home = text()?.map(words::home).transpose()?,
            LogColumn::House => {
                self.house = text()?.map(|w| names.house_index(w)).transpose()?;
            }
            LogColumn::Centre | LogColumn::Town => {
                let index = text()?.map(|w| names.town_index(column, w)).transpose()?;
                if column == LogColumn::Centre {
                    self.centre = index;
                } else {
                    self.town = index;
                }
            }
            LogColumn::Organ => self.organ = text()?.map(words::organ).transpose()?,
            LogColumn::Number => self.number = int()?,
            LogColumn::AgeDays => self.age_days = int()?,
            LogColumn::Count => self.count = big()?,
            LogColumn::Count2 => self.count_2 = big()?,
            LogColumn::Flag => {
                self.flag = match value {
                    Cell::Null => None,
                    Cell::Bool(flag) => Some(flag),
                    _ => return Err(wrong()),
                };
            }
            LogColumn::Amount => {
                self.amount = match value {
                    Cell::Null => None,
                    Cell::Float64(amount) => Some(amount),
                    _ => return Err(wrong()),
                };
            }
            LogColumn::Detail => {
                self.detail = match text()? {
                    None => None,
                    Some(word) => words::detail(kind, word)?,
                };
            }
        }
        Ok(())
    }

    /// The row of a whole line of values in the order of [`crate::LOG_COLUMNS`] (a CSV
    /// line's, say): the inverse of [`Row::values`].
    ///
    /// # Errors
    /// As [`Row::set`], and [`DecodeError::Required`] for a line without a kind.
    pub fn from_values(values: &[Cell<'_>], names: &Names) -> Result<Row, DecodeError> {
        let word = match values.get(LogColumn::Kind as usize) {
            Some(Cell::Text(word)) => *word,
            Some(Cell::Null) | None => {
                return Err(DecodeError::Required {
                    column: LogColumn::Kind,
                });
            }
            Some(_) => {
                return Err(DecodeError::WrongType {
                    column: LogColumn::Kind,
                });
            }
        };
        let mut row = Row::new(words::kind(word)?);
        for (&column, &value) in LogColumn::ALL.iter().zip(values) {
            row.set(column, value, names)?;
        }
        Ok(row)
    }
}

/// A [`Row`] with its date (days since 1970-01-01): what a writer of the log batches.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct DatedRow {
    /// The day, as the `date` column holds it.
    pub date: i32,
    /// The row.
    pub row: Row,
}

/// Appends `rows`, of replicate `replicate`, to `batch` (a batch of [`crate::log_schema`]),
/// a column at a time: the values [`Row::values`] gives for each row, in a tight loop per
/// column rather than a row of [`Cell`]s per row, which is where a writer of millions of rows
/// spent its time. The file is the one those rows written one by one would give (a test
/// holds the two to the same bytes).
///
/// # Errors
/// A batch of another schema than the log's ([`TableError::WrongType`] or
/// [`TableError::NoColumnIndex`]).
///
/// # Panics
/// If an id is past `i32::MAX` (the model's ids stay below 2^28).
pub fn fill_batch(
    batch: &mut Batch,
    replicate: i32,
    rows: &[DatedRow],
    names: &Names,
) -> Result<(), TableError> {
    use LogColumn as C;
    let r = || rows.iter().map(|dated| &dated.row);
    let id = |p: Option<PersonId>| p.map(|p| i32::try_from(p.0).expect("ids fit in i32"));
    batch.int32(C::Replicate as usize, rows.iter().map(|_| Some(replicate)))?;
    batch.date(C::Date as usize, rows.iter().map(|dated| Some(dated.date)))?;
    batch.text(C::Kind as usize, r().map(|row| Some(row.kind.name())))?;
    batch.int32(C::Person as usize, r().map(|row| id(row.person)))?;
    batch.int32(C::Other as usize, r().map(|row| id(row.other)))?;
    batch.text(
        C::Home as usize,
        r().map(|row| row.home.map(HomeKind::as_str)),
    )?;
    batch.text(
        C::House as usize,
        r().map(|row| row.house.map(|house| names.house(house))),
    )?;
    batch.text(
        C::Centre as usize,
        r().map(|row| row.centre.and_then(|index| names.town(index))),
    )?;
    batch.text(
        C::Town as usize,
        r().map(|row| row.town.and_then(|index| names.town(index))),
    )?;
    batch.text(
        C::Organ as usize,
        r().map(|row| row.organ.map(Organ::as_str)),
    )?;
    batch.int32(C::Number as usize, r().map(|row| row.number))?;
    batch.int32(C::AgeDays as usize, r().map(|row| row.age_days))?;
    batch.int64(C::Count as usize, r().map(|row| row.count))?;
    batch.int64(C::Count2 as usize, r().map(|row| row.count_2))?;
    batch.bool(C::Flag as usize, r().map(|row| row.flag))?;
    batch.float64(C::Amount as usize, r().map(|row| row.amount))?;
    batch.text(
        C::Detail as usize,
        r().map(|row| row.detail.map(Detail::word)),
    )
}
