//! What a pattern may name: the kinds of announcement, their roles (the people they bind), their
//! attributes, the words of each enumerated attribute, and the functions of a person.
//!
//! The kinds are the event log's ([`Kind`], `docs/log.md`); a kind's index in the sifter's
//! index and in a compiled pattern is its `Kind as u8`. [`KINDS`] gives each kind a pattern
//! may name its roles and attributes; a kind it leaves out (the census, which the log does
//! not hold, or a kind newer than the pattern language) is indexed all the same and can
//! simply not be named.

use hailsham_log::Kind;
use hailsham_world::{Assignment, BloodGroup, HomeKind, Organ, Release, Stage};

/// The values an enumerated attribute takes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Domain {
    /// The home a clone was created into.
    Home,
    /// Blood group.
    Blood,
    /// How a donor came to a carer.
    How,
    /// Why a carer and a donor parted, or a career ended.
    Why,
    /// An organ.
    Organ,
    /// A stage of life.
    Stage,
}

impl Domain {
    /// The words, by code.
    #[must_use]
    pub fn words(self) -> Vec<&'static str> {
        match self {
            Domain::Home => HomeKind::ALL.iter().map(|h| h.as_str()).collect(),
            Domain::Blood => BloodGroup::ALL.iter().map(|b| b.as_str()).collect(),
            Domain::How => Assignment::ALL.iter().map(|a| a.as_str()).collect(),
            Domain::Why => Release::ALL.iter().map(|r| r.as_str()).collect(),
            Domain::Organ => Organ::ALL.iter().map(|o| o.as_str()).collect(),
            Domain::Stage => Stage::ALL.iter().map(|s| s.as_str()).collect(),
        }
    }

    /// The code of `word`, if it is one of the domain's words.
    #[must_use]
    pub fn code(self, word: &str) -> Option<u8> {
        self.words()
            .iter()
            .position(|w| w.eq_ignore_ascii_case(word))
            .and_then(|p| u8::try_from(p).ok())
    }

    /// What the domain is, for messages.
    #[must_use]
    pub fn what(self) -> &'static str {
        match self {
            Domain::Home => "a home",
            Domain::Blood => "a blood group",
            Domain::How => "a way a donor came to a carer",
            Domain::Why => "a reason for parting",
            Domain::Organ => "an organ",
            Domain::Stage => "a stage",
        }
    }
}

/// The type of a value in a condition.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A number (a count, years, kilometres).
    Number,
    /// A word of a domain.
    Word(Domain),
    /// The name of a half-way house.
    House,
    /// The name of a town (a carer's, or a recovery centre's).
    Town,
    /// Yes or no.
    Flag,
    /// A person.
    Person,
}

impl Ty {
    /// The type in words, for messages.
    #[must_use]
    pub fn what(self) -> &'static str {
        match self {
            Ty::Number => "a number",
            Ty::Word(domain) => domain.what(),
            Ty::House => "a half-way house",
            Ty::Town => "a town",
            Ty::Flag => "a yes-or-no",
            Ty::Person => "a person",
        }
    }
}

/// Where an attribute's value is kept in the index.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// The event's place: a half-way house, or a recovery centre (a town).
    Place,
    /// The event's town.
    Town,
    /// The event's enumerated code.
    Code,
    /// The event's small number (a donation's).
    Number,
    /// The event's flag.
    Flag,
    /// The event's count.
    Count,
    /// The event's second count.
    Count2,
    /// The event's amount.
    Amount,
    /// The event's count, as days, in years.
    CountYears,
    /// Whether the event's code is a chosen assignment.
    Chosen,
    /// The calendar year of the event.
    Year,
    /// The first party's age in years on the day.
    Age,
    /// The first party's home.
    Home,
}

/// An attribute of a kind of announcement.
#[derive(Copy, Clone, Debug)]
pub struct Attr {
    /// Its name in a pattern.
    pub name: &'static str,
    pub(crate) source: Source,
    /// Its type.
    pub ty: Ty,
    /// What it is.
    pub doc: &'static str,
}

const fn attr(name: &'static str, source: Source, ty: Ty, doc: &'static str) -> Attr {
    Attr {
        name,
        source,
        ty,
        doc,
    }
}

/// A kind of announcement: its name, the roles its people play, and its attributes.
#[derive(Copy, Clone, Debug)]
pub struct KindSpec {
    /// The kind.
    pub kind: Kind,
    /// Its name, as the event log's `kind` column ([`Kind::name`]).
    pub name: &'static str,
    /// The roles, in order: the first is the log's `person`, the second its `other`.
    pub roles: &'static [&'static str],
    /// Whether the two parties are a couple, so that `couple ?a ?b` binds them either way.
    pub couple: bool,
    /// Attributes besides `year` and (for a kind about a person) `age`.
    pub attrs: &'static [Attr],
    /// What happened.
    pub doc: &'static str,
}

/// Attributes every kind has.
pub const YEAR: Attr = attr(
    "year",
    Source::Year,
    Ty::Number,
    "the calendar year it happened in",
);
/// The attribute every kind about a person has.
pub const AGE: Attr = attr(
    "age",
    Source::Age,
    Ty::Number,
    "the first party's age in years that day",
);

const fn kind(
    kind: Kind,
    roles: &'static [&'static str],
    attrs: &'static [Attr],
    doc: &'static str,
) -> KindSpec {
    KindSpec {
        kind,
        name: kind.name(),
        roles,
        couple: false,
        attrs,
        doc,
    }
}

const fn couple(
    kind: Kind,
    roles: &'static [&'static str],
    attrs: &'static [Attr],
    doc: &'static str,
) -> KindSpec {
    KindSpec {
        kind,
        name: kind.name(),
        roles,
        couple: true,
        attrs,
        doc,
    }
}

const HOUSE: Attr = attr("house", Source::Place, Ty::House, "the half-way house");
const CENTRE: Attr = attr(
    "centre",
    Source::Place,
    Ty::Town,
    "the recovery centre (its town)",
);
const TOWN: Attr = attr("town", Source::Town, Ty::Town, "the carer's town");
const NUMBER: Attr = attr(
    "number",
    Source::Number,
    Ty::Number,
    "the donation's number, from 1",
);
const ORGAN: Attr = attr("organ", Source::Code, Ty::Word(Domain::Organ), "the organ");

/// Every kind, in index order. `year-ended` is not among them: the log does not hold it.
pub const KINDS: [KindSpec; 28] = [
    kind(
        Kind::Created,
        &["person"],
        &[
            attr(
                "home",
                Source::Home,
                Ty::Word(Domain::Home),
                "the home created into",
            ),
            attr(
                "blood",
                Source::Code,
                Ty::Word(Domain::Blood),
                "the blood group",
            ),
        ],
        "a clone is created into a home",
    ),
    kind(
        Kind::Transferred,
        &["person"],
        &[],
        "the humane homes close: a student moves to a government home",
    ),
    kind(
        Kind::HumaneHomesClosed,
        &[],
        &[attr(
            "students",
            Source::Count,
            Ty::Number,
            "students moved",
        )],
        "the humane homes close",
    ),
    kind(
        Kind::Exchange,
        &[],
        &[
            attr("tokens-earned", Source::Count, Ty::Number, "tokens earned"),
            attr("tokens-spent", Source::Count2, Ty::Number, "tokens spent"),
            attr("pieces", Source::Amount, Ty::Number, "pieces offered"),
        ],
        "an Exchange at Hailsham",
    ),
    kind(
        Kind::Sale,
        &[],
        &[attr("tokens", Source::Count, Ty::Number, "tokens spent")],
        "a Sale at Hailsham",
    ),
    kind(
        Kind::GalleryPiece,
        &["person"],
        &[],
        "Madame takes a piece of the person's to the Gallery",
    ),
    kind(
        Kind::LeftHome,
        &["person"],
        &[
            HOUSE,
            attr("tokens", Source::Count, Ty::Number, "tokens held"),
        ],
        "the person leaves the home for a half-way house",
    ),
    kind(
        Kind::PossibleSearched,
        &["person"],
        &[attr(
            "sighted",
            Source::Flag,
            Ty::Flag,
            "someone who might be the possible was sighted",
        )],
        "the person looks for a possible",
    ),
    couple(
        Kind::CoupleFormed,
        &["first", "second"],
        &[HOUSE],
        "two residents of a half-way house become a couple",
    ),
    couple(
        Kind::RumourBelieved,
        &["person", "partner"],
        &[],
        "the person (with the partner) believes the deferral rumour",
    ),
    couple(
        Kind::CoupleParted,
        &["first", "second"],
        &[HOUSE],
        "a couple parts",
    ),
    kind(
        Kind::TrainingBegan,
        &["person"],
        &[],
        "the person leaves the half-way house for carer training",
    ),
    kind(
        Kind::CarerQualified,
        &["person"],
        &[TOWN],
        "the person starts work as a carer",
    ),
    kind(
        Kind::CarerAssigned,
        &["carer", "donor"],
        &[
            CENTRE,
            TOWN,
            attr(
                "how",
                Source::Code,
                Ty::Word(Domain::How),
                "how the donor came to the carer",
            ),
            attr(
                "chosen",
                Source::Chosen,
                Ty::Flag,
                "a Hailsham carer chose the donor: chosen-partner, chosen-housemate or \
                 chosen-yearmate",
            ),
        ],
        "a carer takes a donor on",
    ),
    kind(
        Kind::CarerReleased,
        &["carer", "donor"],
        &[attr(
            "why",
            Source::Code,
            Ty::Word(Domain::Why),
            "why they parted",
        )],
        "a carer and a donor part",
    ),
    kind(
        Kind::CareerEnded,
        &["person"],
        &[
            attr(
                "years",
                Source::CountYears,
                Ty::Number,
                "years at work (training excluded)",
            ),
            attr("days", Source::Count, Ty::Number, "days at work"),
            attr("km", Source::Amount, Ty::Number, "kilometres driven"),
            attr(
                "why",
                Source::Code,
                Ty::Word(Domain::Why),
                "notice or carer-ran",
            ),
        ],
        "a carer's career ends",
    ),
    kind(
        Kind::BecameDonor,
        &["person"],
        &[],
        "the person becomes a donor",
    ),
    kind(
        Kind::WaitingForBed,
        &["person"],
        &[],
        "the person waits for a recovery bed",
    ),
    kind(
        Kind::BedTaken,
        &["person"],
        &[
            CENTRE,
            attr(
                "beds",
                Source::Count,
                Ty::Number,
                "beds held in the country",
            ),
        ],
        "the person takes a bed in a recovery centre",
    ),
    kind(
        Kind::DonationPostponed,
        &["person"],
        &[NUMBER],
        "a donation is put off: no match waits",
    ),
    kind(
        Kind::Donation,
        &["person", "carer"],
        &[
            NUMBER,
            ORGAN,
            attr("organs", Source::Count, Ty::Number, "organs taken"),
            CENTRE,
            attr(
                "completing",
                Source::Flag,
                Ty::Flag,
                "the donation completes the donor",
            ),
        ],
        "a donation is made",
    ),
    kind(
        Kind::OrganSupplied,
        &["donor"],
        &[
            ORGAN,
            attr(
                "transplanted",
                Source::Flag,
                Ty::Flag,
                "a patient was waiting for it",
            ),
            attr(
                "life-years",
                Source::Amount,
                Ty::Number,
                "the recipient's life-years gained",
            ),
        ],
        "one organ of a donation reaches the sick",
    ),
    kind(
        Kind::Completed,
        &["person", "carer"],
        &[
            NUMBER,
            attr(
                "during-operation",
                Source::Flag,
                Ty::Flag,
                "completion came during the operation itself",
            ),
            CENTRE,
        ],
        "a donor completes",
    ),
    couple(
        Kind::DeferralAsked,
        &["first", "second"],
        &[attr(
            "granted",
            Source::Flag,
            Ty::Flag,
            "the deferral was granted",
        )],
        "a couple asks for a deferral",
    ),
    kind(
        Kind::Escaped,
        &["person"],
        &[attr(
            "stage",
            Source::Code,
            Ty::Word(Domain::Stage),
            "the stage they ran from",
        )],
        "the person runs away",
    ),
    kind(
        Kind::Found,
        &["person"],
        &[],
        "the person is found and brought back",
    ),
    kind(
        Kind::Patients,
        &[],
        &[
            ORGAN,
            attr("arrivals", Source::Count, Ty::Number, "new patients"),
            attr(
                "deaths",
                Source::Count2,
                Ty::Number,
                "patients who died waiting",
            ),
        ],
        "a day's patients for one organ",
    ),
    kind(
        Kind::RunEnded,
        &["person"],
        &[
            attr(
                "km",
                Source::Amount,
                Ty::Number,
                "kilometres driven as a carer",
            ),
            attr("tokens", Source::Count, Ty::Number, "tokens held"),
        ],
        "the run ends with the person alive",
    ),
];

/// The index (`Kind as u8`) of the kind named `name`, if a pattern may name it.
#[must_use]
pub fn kind_index(name: &str) -> Option<u8> {
    let kind = Kind::from_name(name)?;
    KINDS
        .iter()
        .any(|spec| spec.kind == kind)
        .then_some(kind as u8)
}

/// The spec of the kind of index `kind`.
///
/// # Panics
/// If a pattern may not name the kind: a compiled pattern only holds kinds of [`KINDS`].
pub(crate) fn spec(kind: u8) -> &'static KindSpec {
    KINDS
        .iter()
        .find(|spec| spec.kind as u8 == kind)
        .expect("a compiled pattern holds only kinds of KINDS")
}

impl KindSpec {
    /// The attribute `name` of this kind, with `year` and `age`.
    #[must_use]
    pub fn attr(&self, name: &str) -> Option<Attr> {
        self.attrs
            .iter()
            .copied()
            .chain(std::iter::once(YEAR))
            .chain((!self.roles.is_empty()).then_some(AGE))
            .find(|a| a.name == name)
    }

    /// Every attribute name of this kind, for messages.
    #[must_use]
    pub fn attr_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&str> = self.attrs.iter().map(|a| a.name).collect();
        names.push("year");
        if !self.roles.is_empty() {
            names.push("age");
        }
        names
    }
}

/// A function of a person, `name(?x)`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PersonFn {
    /// The home created into.
    Home,
    /// The half-way house gone to on leaving the home.
    House,
    /// The year of birth.
    Born,
    /// Donations made.
    Donations,
    /// Years at work as a carer: to the career's end, or to the end of the run.
    CarerYears,
    /// Whether the person completed.
    Completed,
    /// Blood group.
    Blood,
}

/// The functions of one person: name, function, type, what it is.
pub const PERSON_FNS: [(&str, PersonFn, Ty, &str); 7] = [
    (
        "home",
        PersonFn::Home,
        Ty::Word(Domain::Home),
        "the home the person was created into",
    ),
    (
        "house",
        PersonFn::House,
        Ty::House,
        "the half-way house the person went to on leaving the home",
    ),
    (
        "born",
        PersonFn::Born,
        Ty::Number,
        "the person's year of birth",
    ),
    (
        "donations",
        PersonFn::Donations,
        Ty::Number,
        "donations the person made",
    ),
    (
        "carer-years",
        PersonFn::CarerYears,
        Ty::Number,
        "years at work as a carer, to the career's end or the run's (0 if never a carer)",
    ),
    (
        "completed",
        PersonFn::Completed,
        Ty::Flag,
        "whether the person completed",
    ),
    (
        "blood",
        PersonFn::Blood,
        Ty::Word(Domain::Blood),
        "the person's blood group",
    ),
];

/// Relations between two people, and the function of two clauses: name, what it is.
pub const RELATIONS: [(&str, &str); 3] = [
    (
        "partners",
        "`partners(?a, ?b)`: the two ever formed a couple",
    ),
    ("carer-of", "`carer-of(?a, ?b)`: ?a was ever ?b's carer"),
    (
        "years",
        "`years(a, b)`: years from clause a to clause b (negative if b came first)",
    ),
];

/// Every function name a pattern may call, for suggestions.
pub(crate) fn function_names() -> Vec<&'static str> {
    PERSON_FNS
        .iter()
        .map(|f| f.0)
        .chain(RELATIONS.iter().map(|r| r.0))
        .collect()
}

/// Words of the language that cannot be kinds, labels or attributes.
pub(crate) const KEYWORDS: [&str; 12] = [
    "pattern", "count", "order", "unless", "where", "and", "or", "not", "in", "between", "after",
    "before",
];
