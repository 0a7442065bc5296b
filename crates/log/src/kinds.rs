//! What each kind of row means: the documentation of the `kind` column's values (docs/log.md
//! holds the same table, checked by a test) and which words a kind's `detail` column takes.

use hailsham_world::happening::Kind;
use hailsham_world::{Assignment, BloodGroup, Release, Stage};

/// What the log says of one kind of row.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct KindEntry {
    /// What happened, and what the generic columns (`count`, `count_2`, `flag`, `amount`,
    /// `detail`) hold: the row of docs/log.md's table of kinds.
    pub documentation: &'static str,
    /// The words the `detail` column takes, if the kind writes one.
    pub detail: Option<DetailWords>,
}

/// The vocabularies of the `detail` column: which one a row's word belongs to depends on the
/// row's kind.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum DetailWords {
    /// A blood group ([`BloodGroup`]).
    Blood,
    /// How a donor came to a carer ([`Assignment`]).
    How,
    /// Why a carer and a donor parted, or a career ended ([`Release`]).
    Why,
    /// A stage of life ([`Stage`]).
    Stage,
}

/// A word of the `detail` column, typed: one of the world's small enums.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Detail {
    /// A blood group.
    Blood(BloodGroup),
    /// How a donor came to a carer.
    How(Assignment),
    /// Why a carer and a donor parted.
    Why(Release),
    /// A stage of life.
    Stage(Stage),
}

impl Detail {
    /// The word the column holds.
    #[must_use]
    #[inline]
    pub fn word(self) -> &'static str {
        match self {
            Detail::Blood(group) => group.as_str(),
            Detail::How(how) => how.as_str(),
            Detail::Why(why) => why.as_str(),
            Detail::Stage(stage) => stage.as_str(),
        }
    }

    /// The value's index within its vocabulary (its enum's `as u8`, which is also its
    /// position in that enum's `ALL`).
    #[must_use]
    #[inline]
    pub fn code(self) -> u8 {
        match self {
            Detail::Blood(group) => group as u8,
            Detail::How(how) => how as u8,
            Detail::Why(why) => why as u8,
            Detail::Stage(stage) => stage as u8,
        }
    }

    /// The vocabulary the value belongs to.
    #[must_use]
    pub fn words(self) -> DetailWords {
        match self {
            Detail::Blood(_) => DetailWords::Blood,
            Detail::How(_) => DetailWords::How,
            Detail::Why(_) => DetailWords::Why,
            Detail::Stage(_) => DetailWords::Stage,
        }
    }
}

impl DetailWords {
    /// The value `word` names in this vocabulary, if it names one.
    #[must_use]
    pub fn parse(self, word: &str) -> Option<Detail> {
        fn find<T: Copy>(all: &[T], name: fn(T) -> &'static str, word: &str) -> Option<T> {
            all.iter().copied().find(|&value| name(value) == word)
        }
        match self {
            DetailWords::Blood => {
                find(&BloodGroup::ALL, BloodGroup::as_str, word).map(Detail::Blood)
            }
            DetailWords::How => find(&Assignment::ALL, Assignment::as_str, word).map(Detail::How),
            DetailWords::Why => find(&Release::ALL, Release::as_str, word).map(Detail::Why),
            DetailWords::Stage => find(&Stage::ALL, Stage::as_str, word).map(Detail::Stage),
        }
    }
}

/// The log's entry for `kind`. One arm per kind and no `_`: a new kind does not compile
/// until it is documented here.
#[must_use]
pub const fn entry(kind: Kind) -> KindEntry {
    const fn plain(documentation: &'static str) -> KindEntry {
        KindEntry {
            documentation,
            detail: None,
        }
    }
    const fn with(detail: DetailWords, documentation: &'static str) -> KindEntry {
        KindEntry {
            documentation,
            detail: Some(detail),
        }
    }
    match kind {
        Kind::Created => with(
            DetailWords::Blood,
            "a clone is created into `home`; `detail` blood group; `count` its place in the \
             cohort of its birth year (with the year, who it is in any world of the seed)",
        ),
        Kind::Transferred => plain("the humane homes close: a student moves to a government home"),
        Kind::HumaneHomesClosed => plain("the humane homes close; `count` students moved"),
        Kind::Exchange => plain(
            "an Exchange at Hailsham: `count` tokens earned, `count_2` spent; `amount` pieces",
        ),
        Kind::Sale => plain("a Sale at Hailsham: `count` tokens spent"),
        Kind::GalleryPiece => plain("Madame takes a piece of `person`'s to the Gallery"),
        Kind::LeftHome => {
            plain("`person` leaves the home for half-way house `house`; `count` tokens held")
        }
        Kind::PossibleSearched => {
            plain("`person` looks for a possible; `flag` someone was sighted")
        }
        Kind::CoupleFormed => plain("`person` and `other` become a couple at `house`"),
        Kind::RumourBelieved => {
            plain("`person` (with partner `other`) believes the deferral rumour")
        }
        Kind::CoupleParted => plain("`person` and `other` part at `house`"),
        Kind::TrainingBegan => plain("`person` leaves the half-way house for carer training"),
        Kind::CarerQualified => plain("`person` starts work as a carer from a bedsit in `town`"),
        Kind::CarerAssigned => with(
            DetailWords::How,
            "carer `person` takes donor `other` at `centre`, from `town`; `detail` how",
        ),
        Kind::CarerReleased => with(
            DetailWords::Why,
            "carer `person` and donor `other` part; `detail` why",
        ),
        Kind::CareerEnded => with(
            DetailWords::Why,
            "`person`'s career ends after `count` days, `amount` km; `detail` notice or \
             carer-ran",
        ),
        Kind::BecameDonor => plain("`person` becomes a donor"),
        Kind::WaitingForBed => plain("`person` waits for a recovery bed"),
        Kind::BedTaken => {
            plain("`person` takes a bed at `centre`; `count` beds held in the country")
        }
        Kind::DonationPostponed => {
            plain("donation `number` of `person` is put off: no match waits")
        }
        Kind::Donation => plain(
            "donation `number` of `person` at `centre`, carer `other`: `organ`, `count` \
             organs; `flag` it completes",
        ),
        Kind::OrganSupplied => {
            plain("an `organ` of donor `person`: `flag` transplanted, `amount` life-years gained")
        }
        Kind::Completed => plain(
            "`person` completes at donation `number`, carer `other`; `flag` during the \
             operation",
        ),
        Kind::DeferralAsked => plain("`person` and `other` ask for a deferral; `flag` granted"),
        Kind::Escaped => with(
            DetailWords::Stage,
            "`person` runs away; `detail` the stage they ran from",
        ),
        Kind::Found => plain("`person` is found and brought back"),
        Kind::Patients => plain(
            "patients for `organ`: `count` new, `count_2` died waiting; `number` served at \
             once by grown organs and `amount` their life-years",
        ),
        Kind::RunEnded => {
            plain("the run ends with `person` alive; `amount` km as a carer, `count` tokens")
        }
        Kind::YearEnded => plain("not written: the census of the year is the yearly series"),
    }
}

/// The table of kinds as docs/log.md gives it: one line per kind, in [`Kind::ALL`]'s order.
#[must_use]
pub fn kinds_markdown() -> String {
    let mut table =
        String::from("| kind | what happened, and what the generic columns hold |\n|---|---|\n");
    for kind in Kind::ALL {
        table.push_str(&format!(
            "| `{}` | {} |\n",
            kind.name(),
            entry(kind).documentation
        ));
    }
    table
}
