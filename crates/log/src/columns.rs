//! The log's columns: their names, types and meanings ([`LOG_COLUMNS`]), and a typed name for
//! each ([`LogColumn`]) so that readers and errors say which column without spelling it.

use hailsham_table::{Column, ColumnType, Schema};

/// The columns of the event log, in order (docs/log.md lists them; a test checks).
pub const LOG_COLUMNS: [Column; 17] = [
    Column::required("replicate", ColumnType::Int32, "replicate number"),
    Column::required("date", ColumnType::Date, "the day it happened"),
    Column::required("kind", ColumnType::Text, "what happened (see docs/log.md)"),
    Column::nullable("person", ColumnType::Int32, "the clone it is about: id"),
    Column::nullable(
        "other",
        ColumnType::Int32,
        "the second party: partner, donor of a carer, carer of a donor",
    ),
    Column::nullable(
        "home",
        ColumnType::Text,
        "the home a clone was created into",
    ),
    Column::nullable(
        "house",
        ColumnType::Text,
        "half-way house: the Cottages, the White Mansion, Poplar Farm, or another by name",
    ),
    Column::nullable("centre", ColumnType::Text, "recovery centre (its town)"),
    Column::nullable("town", ColumnType::Text, "a carer's town"),
    Column::nullable("organ", ColumnType::Text, "organ"),
    Column::nullable("number", ColumnType::Int32, "donation number, from 1"),
    Column::nullable("age_days", ColumnType::Int32, "the clone's age in days"),
    Column::nullable("count", ColumnType::Int64, "a count: see the kind"),
    Column::nullable("count_2", ColumnType::Int64, "a second count: see the kind"),
    Column::nullable("flag", ColumnType::Bool, "a yes or no: see the kind"),
    Column::nullable(
        "amount",
        ColumnType::Float64,
        "km or life-years: see the kind",
    ),
    Column::nullable("detail", ColumnType::Text, "a word: see the kind"),
];

/// One column of the log, by its position in [`LOG_COLUMNS`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum LogColumn {
    /// `replicate`.
    Replicate,
    /// `date`.
    Date,
    /// `kind`.
    Kind,
    /// `person`.
    Person,
    /// `other`.
    Other,
    /// `home`.
    Home,
    /// `house`.
    House,
    /// `centre`.
    Centre,
    /// `town`.
    Town,
    /// `organ`.
    Organ,
    /// `number`.
    Number,
    /// `age_days`.
    AgeDays,
    /// `count`.
    Count,
    /// `count_2`.
    Count2,
    /// `flag`.
    Flag,
    /// `amount`.
    Amount,
    /// `detail`.
    Detail,
}

impl LogColumn {
    /// Every column, in the order of [`LOG_COLUMNS`].
    pub const ALL: [LogColumn; 17] = [
        LogColumn::Replicate,
        LogColumn::Date,
        LogColumn::Kind,
        LogColumn::Person,
        LogColumn::Other,
        LogColumn::Home,
        LogColumn::House,
        LogColumn::Centre,
        LogColumn::Town,
        LogColumn::Organ,
        LogColumn::Number,
        LogColumn::AgeDays,
        LogColumn::Count,
        LogColumn::Count2,
        LogColumn::Flag,
        LogColumn::Amount,
        LogColumn::Detail,
    ];

    /// The column's name, as the file has it: read from [`LOG_COLUMNS`], so spelled once.
    #[must_use]
    pub const fn name(self) -> &'static str {
        LOG_COLUMNS[self as usize].name
    }

    /// The column's declaration.
    #[must_use]
    pub const fn column(self) -> &'static Column {
        &LOG_COLUMNS[self as usize]
    }
}

impl std::fmt::Display for LogColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The log's schema.
///
/// # Panics
/// Never: the columns are fixed and distinct (a test checks).
#[must_use]
pub fn log_schema() -> Schema {
    Schema::new(LOG_COLUMNS.to_vec()).expect("the log's columns are distinct")
}
