//! Story sifting over hailsham's event log: find the lives that fit a pattern, in the
//! tradition of Felt and Winnow, and rank them by how unusual they are.
//!
//! A pattern is text (docs/patterns.md is its guide). Each line is a statement:
//!
//! ```text
//! pattern narrator "a Hailsham carer of eleven years or more who cared for friends"
//!   q: carer-qualified ?n
//!        where home(?n) = hailsham and carer-years(?n) >= 11
//!   a: carer-assigned carer ?n donor ?f
//!        where how in (chosen-partner, chosen-housemate, chosen-yearmate)
//!          and home(?f) = hailsham
//!   c: completed ?f
//!   order q < a < c
//! ```
//!
//! - a **clause** `label: kind roles [where condition]` matches one announcement of a kind
//!   (the event log's kinds) and binds its people to variables: `carer ?n donor ?f`, or
//!   `?f` for the kind's next role, or `couple ?a ?b` (either way round) for couples;
//! - **conditions** compare attributes of the clause (`number = 2`, `how = chosen-partner`,
//!   `granted`, `year >= 1980`, `age < 30`), of another clause (`a.centre = "Dover"`),
//!   functions of a person (`home(?f)`, `house(?f)`, `born(?f)`, `donations(?f)`,
//!   `carer-years(?n)`, `completed(?f)`, `blood(?f)`), durations (`years(a, c) <= 2`) and
//!   people (`?a != ?b`, `home(?a) = home(?b)`, `partners(?a, ?b)`, `carer-of(?a, ?b)`),
//!   joined by `and`, `or`, `not` and parentheses; `in (a, b)` tests a list;
//! - `order a < b < c`: the clauses' announcements came in that order;
//! - `unless kind roles [where condition] [after a | before b | between a and b]`: no such
//!   announcement (in that window); its new variables stand for anyone;
//! - `count ?x`: count distinct `?x` (the default is the first variable).
//!
//! A line that begins with `where`, `and`, `or`, `after`, `before` or `between` goes on with
//! the statement above it; `#` starts a comment.
//!
//! Matching runs over an [`Index`] of one replicate (built live by an [`IndexBuilder`], which
//! is an [`hailsham_world::Observer`], or from a stored log by [`read_log`]): the first clause
//! through the events of its kind, the others through the events of the people already bound.
//! [`Pattern::sift`] gives a [`Sifted`]: one [`Match`] per distinct counted person, and the
//! population they are drawn from (the people who match the first clause). [`rank`] orders
//! the matches of every replicate by how unusual they are.
//!
//! ```
//! use hailsham_sift::{IndexBuilder, Pattern};
//! use hailsham_world::{Params, Replicate};
//!
//! let mut params = Params::default();
//! params.homes.population_millions = 0.5;
//! let pattern = Pattern::parse(hailsham_sift::named("ruth").unwrap()).unwrap();
//! let (_, builder) = Replicate::new(&params, 1, 0, IndexBuilder::live(&params, 0)).finish();
//! let sifted = pattern.sift(&builder.finish());
//! assert!(sifted.matches.len() as u64 <= sifted.population);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod compile;
mod error;
mod eval;
mod index;
mod live;
mod log;
mod parse;
mod rank;
mod schema;

pub use compile::Pattern;
pub use error::PatternError;
pub use eval::{Match, MatchedEvent, Properties, Sifted};
pub use index::{Index, IndexBuilder};
pub use live::LiveSift;
pub use log::{LogError, LogMetadata, Reading, log_files, read_log, read_log_with};
pub use rank::{Ranked, rank};
pub use schema::{Attr, Domain, KINDS, KindSpec, PERSON_FNS, PersonFn, RELATIONS, Ty};

/// The named patterns shipped with hailsham: name, text (`patterns/*.sift`).
pub const NAMED: [(&str, &str); 6] = [
    ("narrator", include_str!("../patterns/narrator.sift")),
    ("ruth", include_str!("../patterns/ruth.sift")),
    ("tommy", include_str!("../patterns/tommy.sift")),
    ("refused", include_str!("../patterns/refused.sift")),
    (
        "cared-for-partner",
        include_str!("../patterns/cared-for-partner.sift"),
    ),
    ("never-found", include_str!("../patterns/never-found.sift")),
];

/// The text of the named pattern `name`.
#[must_use]
pub fn named(name: &str) -> Option<&'static str> {
    NAMED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The named pattern closest to `typed`, if one is close (for "did you mean").
#[must_use]
pub fn closest_named(typed: &str) -> Option<&'static str> {
    error::closest(typed, NAMED.iter().map(|(n, _)| *n))
}

#[cfg(test)]
mod tests;
