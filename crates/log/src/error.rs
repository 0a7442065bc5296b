//! Why a row of the log does not decode.

use hailsham_world::happening::Kind;

use crate::columns::LogColumn;

/// Why a row (or one of its words) is not one the model could have written. Each says which
/// column was wrong and, where there is one, the word or number found there; a reader adds
/// where the row is.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DecodeError {
    /// The `kind` column holds a word that names no kind.
    #[error("unknown kind `{word}`")]
    UnknownKind {
        /// The word found.
        word: String,
    },
    /// A column every row fills (`replicate`, `date`, `kind`) is empty.
    #[error("a row without `{column}`")]
    Required {
        /// The empty column.
        column: LogColumn,
    },
    /// A row of a kind the log never holds (the census of a year: the yearly series).
    #[error("a `{kind}` row, which the log never holds")]
    NotLogged {
        /// The kind.
        kind: Kind,
    },
    /// A column the row's kind fills is empty.
    #[error("a `{kind}` row without `{column}`")]
    Missing {
        /// The row's kind.
        kind: Kind,
        /// The empty column.
        column: LogColumn,
    },
    /// A text column holds a word that is none of its words (for `detail`, none of the row
    /// kind's words).
    #[error("an unknown word `{word}` in `{column}`")]
    UnknownWord {
        /// The column.
        column: LogColumn,
        /// The word found.
        word: String,
    },
    /// A number out of the range of the field it stands for (a negative id, a donation
    /// number past 255, a count of pieces that is not whole).
    #[error("a `{kind}` row whose `{column}` is {value}")]
    OutOfRange {
        /// The row's kind.
        kind: Kind,
        /// The column.
        column: LogColumn,
        /// The number found.
        value: f64,
    },
    /// A value of another type than the column's (a reader's mistake, or another file).
    #[error("a value of the wrong type in `{column}`")]
    WrongType {
        /// The column.
        column: LogColumn,
    },
}
