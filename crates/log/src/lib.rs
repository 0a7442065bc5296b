//! The event log's one codec: what its columns are, what each kind of row means, and how an
//! announcement becomes a row and a row becomes the announcement again.
//!
//! The model announces everything it decides as a [`Happening`]; the event log (`hailsham
//! run --log`, written by `EventLog` in hailsham-outputs) keeps each one as a row of
//! [`LOG_COLUMNS`]. Three programs read those rows back: the sifter's index (hailsham-sift),
//! the story of one life (hailsham-lives) and anyone with DuckDB. This crate is the one place
//! that knows the mapping, so the writer and the readers cannot drift apart:
//!
//! - [`Kind`] (the world's, re-exported) is a happening's variant without its fields; each
//!   kind's name, the `kind` column's word, is spelled once, in its declaration, and read
//!   with [`Kind::name`] and [`Kind::from_name`];
//! - [`entry`] documents each kind (docs/log.md's table of kinds is [`kinds_markdown`], a
//!   test checks) and says which words its `detail` column takes ([`DetailWords`]);
//! - [`Row`] is one row typed: the world's enums and the model's indices of places where
//!   the file has words. [`encode`] turns a happening into its row, [`decode`] a row back
//!   into its happening (with [`Unlogged`], the two fields the log leaves out because the
//!   scenario gives them), [`Row::values`] and [`Row::set`] go between a row and the file's
//!   values, naming places through [`Names`], and [`fill_batch`] appends many rows to a
//!   table's batch a column at a time, as the writer does;
//! - every failure to read is a [`DecodeError`] that says which column held what.
//!
//! ```
//! use hailsham_log::{Kind, Names, Row, Unlogged, decode, encode};
//! use hailsham_table::Cell;
//! use hailsham_world::{Day, Happening, Organ, Params, PersonId, Places};
//!
//! let params = Params::default();
//! let supplied = Happening::OrganSupplied {
//!     donor: PersonId(7),
//!     organ: Organ::Kidney,
//!     transplanted: true,
//!     life_years: 12.5,
//! };
//! let row = encode(&supplied).expect("every announcement but the census is a row");
//! assert_eq!(row.kind, Kind::OrganSupplied);
//! assert_eq!(row.kind.name(), "organ-supplied");
//!
//! // To the file's values and back, words and all.
//! let names = Names::new(Places::new(&params));
//! let values = row.values(0, 0, &names);
//! assert!(matches!(values[9], Cell::Text("kidney")));
//! let read = Row::from_values(&values, &names).expect("a row of the model's");
//! assert_eq!(read, row);
//! let day = Day(1000);
//! assert_eq!(decode(day, &read, &Unlogged::new(&params)), Ok(supplied));
//! ```
//!
//! The design choice: one typed [`Row`] between the happening and the file. Encoding is
//! allocation-free and word-free (the simulation's thread builds a `Copy` row of enums and
//! indices; the writing thread looks the words up), and the readers decode words once per
//! word of a column's dictionary rather than once per row, then share the typed row: the
//! sifter turns it into its index's row, the life reader into a [`Happening`]. Every `match`
//! on a kind or a variant here lists all of them, with no `_`: adding a kind of happening
//! means the variant, its [`Kind`], and its arms here ([`encode`], [`decode`], [`entry`]),
//! and the compiler refuses anything less; the tests then hold a sample of it to a round
//! trip.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod codec;
mod columns;
mod error;
mod kinds;
mod row;
pub mod words;

pub use codec::{Unlogged, decode, encode, epoch};
pub use columns::{LOG_COLUMNS, LogColumn, log_schema};
pub use error::DecodeError;
pub use hailsham_world::Happening;
pub use hailsham_world::happening::Kind;
pub use kinds::{Detail, DetailWords, KindEntry, entry, kinds_markdown};
pub use row::{DatedRow, Row, fill_batch};
pub use words::Names;

#[cfg(test)]
mod tests;
