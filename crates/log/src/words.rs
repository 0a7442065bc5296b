//! The words of the text columns, both ways: what the model's values and indices are called in
//! the log, and which value a word read back names. Errors say the column and the word.

use hailsham_world::happening::Kind;
use hailsham_world::{HOUSE_CARE, HOUSE_HAILSHAM, HomeKind, Organ, Places};

use crate::columns::LogColumn;
use crate::error::DecodeError;
use crate::kinds::{Detail, entry};

fn unknown(column: LogColumn, word: &str) -> DecodeError {
    DecodeError::UnknownWord {
        column,
        word: word.to_string(),
    }
}

/// The kind a `kind` word names.
///
/// # Errors
/// [`DecodeError::UnknownKind`] if it names none.
pub fn kind(word: &str) -> Result<Kind, DecodeError> {
    Kind::from_name(word).ok_or_else(|| DecodeError::UnknownKind {
        word: word.to_string(),
    })
}

/// The home a `home` word names.
///
/// # Errors
/// [`DecodeError::UnknownWord`] if it names none.
pub fn home(word: &str) -> Result<HomeKind, DecodeError> {
    HomeKind::ALL
        .into_iter()
        .find(|home| home.as_str() == word)
        .ok_or_else(|| unknown(LogColumn::Home, word))
}

/// The organ an `organ` word names.
///
/// # Errors
/// [`DecodeError::UnknownWord`] if it names none.
pub fn organ(word: &str) -> Result<Organ, DecodeError> {
    Organ::ALL
        .into_iter()
        .find(|organ| organ.as_str() == word)
        .ok_or_else(|| unknown(LogColumn::Organ, word))
}

/// What a `detail` word says on a row of `kind`: `None` for a kind that writes no detail
/// (its `detail` column is not read).
///
/// # Errors
/// [`DecodeError::UnknownWord`] if the word is none of the kind's.
pub fn detail(kind: Kind, word: &str) -> Result<Option<Detail>, DecodeError> {
    match entry(kind).detail {
        None => Ok(None),
        Some(words) => words
            .parse(word)
            .map(Some)
            .ok_or_else(|| unknown(LogColumn::Detail, word)),
    }
}

/// The names of a run's places, by the model's indices, and the indices of names read back:
/// half-way houses (which depend on the scenario) and recovery centres' towns (which do not).
#[derive(Clone, Debug)]
pub struct Names {
    places: Places,
    centres: Vec<&'static str>,
}

impl Names {
    /// The names of the places of a run.
    #[must_use]
    pub fn new(places: Places) -> Names {
        Names {
            places,
            centres: hailsham_world::centre_names(),
        }
    }

    /// The places named.
    #[must_use]
    pub fn places(&self) -> &Places {
        &self.places
    }

    /// The name of house `index` (Hailsham and the recovery centre included, where couples
    /// also form).
    #[must_use]
    #[inline]
    pub fn house(&self, index: u16) -> &str {
        self.places.house(index)
    }

    /// The town of recovery centre `index`, if there is one (the log writes a null for an
    /// index past the towns, which the model never gives).
    #[must_use]
    #[inline]
    pub fn town(&self, index: u8) -> Option<&'static str> {
        self.centres.get(usize::from(index)).copied()
    }

    /// The index of the house named `word`.
    ///
    /// # Errors
    /// [`DecodeError::UnknownWord`] if this run has no such house.
    pub fn house_index(&self, word: &str) -> Result<u16, DecodeError> {
        [HOUSE_HAILSHAM, HOUSE_CARE]
            .into_iter()
            .chain((0..self.places.houses()).filter_map(|h| u16::try_from(h).ok()))
            .find(|&h| self.places.house(h) == word)
            .ok_or_else(|| unknown(LogColumn::House, word))
    }

    /// The index of the town named `word`, read from `column` (`centre` or `town`).
    ///
    /// # Errors
    /// [`DecodeError::UnknownWord`] if no recovery centre stands there.
    pub fn town_index(&self, column: LogColumn, word: &str) -> Result<u8, DecodeError> {
        town_index(&self.centres, column, word)
    }
}

/// The index of the town named `word` among `towns` (the centres' towns in index order, as
/// [`hailsham_world::centre_names`] gives them), read from `column`.
///
/// # Errors
/// [`DecodeError::UnknownWord`] if it is none of them.
pub fn town_index(towns: &[&str], column: LogColumn, word: &str) -> Result<u8, DecodeError> {
    towns
        .iter()
        .position(|town| *town == word)
        .and_then(|index| u8::try_from(index).ok())
        .ok_or_else(|| unknown(column, word))
}
