//! What happened: the one channel through which the model tells the world outside what it did.
//!
//! Every mechanism announces each outcome it decides as a [`Happening`], on the day it happens,
//! to the run's [`Observer`]. Nothing else leaves the model: the yearly series, the run's tally
//! and the person records are observers too ([`crate::Series`], [`crate::TallyFold`],
//! [`crate::Records`]), each one fold over the announcements, written once. A run that keeps
//! no log has an observer that ignores what it does not count; since the world is generic over
//! its observer, an announcement nobody reads compiles to nothing.
//!
//! Parties are named by [`PersonId`], the permanent id, never by the table slot a clone
//! happens to occupy: a slot is reused once its clone completes, an id never is.

use hailsham_engine::Day;

use crate::output::{BloodGroup, HomeKind, Organ, Stage};

/// A clone's permanent id: given in order of creation from 0, never reused.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonId(pub u32);

impl std::fmt::Display for PersonId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// How a donor came to a carer.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Assignment {
    /// A Hailsham carer chose their partner (novel ch. 1, 18).
    ChosenPartner = 0,
    /// A Hailsham carer chose a friend from their half-way house.
    ChosenHousemate = 1,
    /// A Hailsham carer chose someone of their Hailsham year.
    ChosenYearmate = 2,
    /// A carer with room near the donor's centre was given the donor.
    Allotted = 3,
    /// The donor had waited for a carer with room, who took them.
    FromWaiting = 4,
}

impl Assignment {
    /// Every way, in index order.
    pub const ALL: [Assignment; 5] = [
        Assignment::ChosenPartner,
        Assignment::ChosenHousemate,
        Assignment::ChosenYearmate,
        Assignment::Allotted,
        Assignment::FromWaiting,
    ];

    /// Lower-case name, for columns.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Assignment::ChosenPartner => "chosen-partner",
            Assignment::ChosenHousemate => "chosen-housemate",
            Assignment::ChosenYearmate => "chosen-yearmate",
            Assignment::Allotted => "allotted",
            Assignment::FromWaiting => "from-waiting",
        }
    }

    /// Whether a Hailsham carer chose this donor (a friend, in the novel's sense).
    #[must_use]
    pub fn chosen(self) -> bool {
        matches!(
            self,
            Assignment::ChosenPartner | Assignment::ChosenHousemate | Assignment::ChosenYearmate
        )
    }
}

/// Why a carer and a donor parted.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Release {
    /// The donor completed.
    Completion = 0,
    /// The carer was given notice (and becomes a donor).
    Notice = 1,
    /// The carer ran away.
    CarerRan = 2,
}

impl Release {
    /// Every reason, in index order.
    pub const ALL: [Release; 3] = [Release::Completion, Release::Notice, Release::CarerRan];

    /// Lower-case name, for columns.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Release::Completion => "completion",
            Release::Notice => "notice",
            Release::CarerRan => "carer-ran",
        }
    }
}

/// The state of the world at a year's end, and the flows of the year that only the model can
/// settle (levels summed over days): what the yearly series and the tally read off it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Census {
    /// The calendar year that ends.
    pub year: i32,
    /// Clones alive by [`Stage`] index; the completed entry counts every completion so far.
    /// Clones away are in none.
    pub by_stage: [u64; 5],
    /// Students on Hailsham's roll.
    pub hailsham_students: u64,
    /// Patients waiting for an organ.
    pub waiting: u64,
    /// Recovery beds held, and in all.
    pub beds_held: u64,
    /// Recovery beds in all.
    pub beds_total: u64,
    /// Donors waiting for a bed.
    pub donors_waiting_for_bed: u64,
    /// Donors with a bed and no carer.
    pub donors_without_carer: u64,
    /// Clones who ran and are not found.
    pub away: u64,
    /// Outsiders who know what the clones are.
    pub outsiders_knowing: f64,
    /// The country's population.
    pub population: f64,
    /// Carer-days at work during the year.
    pub carer_days: u64,
    /// Donor-days with a carer during the year.
    pub cared_donor_days: u64,
    /// Donor-days with a bed and no carer during the year.
    pub uncared_donor_days: u64,
    /// Kilometres driven by carers during the year.
    pub carer_km: f64,
    /// Nights carers spent away during the year ("overnights").
    pub carer_overnights: f64,
}

/// Everything the model announces. Each variant names the parties by [`PersonId`] and the
/// places by index (half-way house, recovery centre, town: see [`crate::centre_names`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Happening {
    /// A clone is created into a home, as a child.
    Created {
        /// Who.
        person: PersonId,
        /// The home.
        home: HomeKind,
        /// The day of birth.
        birth: Day,
        /// The clone's blood group.
        blood_group: BloodGroup,
        /// The place in the cohort of the birth year: with the birth year, the clone's
        /// [`crate::Lineage`], the same in every world of one seed.
        place: u32,
    },
    /// The humane homes close: this student moves to a government home.
    Transferred {
        /// Who.
        person: PersonId,
    },
    /// The humane homes, Hailsham among them, close (novel ch. 22).
    HumaneHomesClosed {
        /// Students moved to government homes.
        transferred: u32,
    },
    /// An Exchange at Hailsham: students offer work, earn tokens, buy each other's.
    Exchange {
        /// Students on the roll.
        students: u32,
        /// Pieces offered.
        pieces: u32,
        /// Tokens earned.
        tokens_awarded: u64,
        /// Tokens spent on one another's work.
        tokens_spent: u64,
    },
    /// A Sale at Hailsham.
    Sale {
        /// Tokens spent.
        tokens_spent: u64,
    },
    /// Madame takes a student's piece to the Gallery.
    GalleryPiece {
        /// The student whose work was taken.
        person: PersonId,
    },
    /// A student leaves the home at sixteen for a half-way house.
    LeftHome {
        /// Who.
        person: PersonId,
        /// The half-way house (0 to `halfway.houses_hailsham - 1` are Hailsham's).
        house: u16,
        /// Tokens held on leaving (Hailsham only).
        tokens: u16,
    },
    /// A resident goes looking for their possible.
    PossibleSearched {
        /// Who.
        person: PersonId,
        /// Whether someone who might be the possible was sighted.
        sighted: bool,
    },
    /// Two residents of a half-way house become a couple.
    CoupleFormed {
        /// One partner (the lower slot's).
        first: PersonId,
        /// The other.
        second: PersonId,
        /// The house.
        house: u16,
    },
    /// A couple comes to believe the deferral rumour (announced for each partner).
    RumourBelieved {
        /// Who.
        person: PersonId,
        /// The partner.
        partner: PersonId,
    },
    /// A couple living at a half-way house parts.
    CoupleParted {
        /// One partner.
        first: PersonId,
        /// The other.
        second: PersonId,
        /// The house.
        house: u16,
    },
    /// A resident leaves the half-way house for carer training.
    TrainingBegan {
        /// Who.
        person: PersonId,
    },
    /// A carer finishes training and starts work, from a bedsit in `town`.
    CarerQualified {
        /// Who.
        person: PersonId,
        /// The town of the carer's bedsit.
        town: u8,
    },
    /// A carer takes a donor on.
    CarerAssigned {
        /// The carer.
        carer: PersonId,
        /// The donor.
        donor: PersonId,
        /// The donor's recovery centre (a town).
        centre: u8,
        /// The carer's town.
        town: u8,
        /// How the donor came to this carer.
        how: Assignment,
    },
    /// A carer and a donor part.
    CarerReleased {
        /// The carer.
        carer: PersonId,
        /// The donor.
        donor: PersonId,
        /// Why.
        why: Release,
    },
    /// A carer's career ends: given notice (donation follows), or by running away.
    CareerEnded {
        /// Who.
        person: PersonId,
        /// Days at work (training excluded).
        career_days: u32,
        /// Kilometres driven over the career.
        km: f64,
        /// [`Release::Notice`] or [`Release::CarerRan`].
        why: Release,
    },
    /// A clone becomes a donor (from the half-way house, the end of a career, the home as a
    /// child donor, or on being brought back after running).
    BecameDonor {
        /// Who.
        person: PersonId,
    },
    /// A new donor finds no free recovery bed and waits for one.
    WaitingForBed {
        /// Who.
        person: PersonId,
    },
    /// A donor is given a bed in a recovery centre, and keeps it to the end.
    BedTaken {
        /// Who.
        person: PersonId,
        /// The centre.
        centre: u8,
        /// Beds held in the country, this one included.
        beds_held: u64,
    },
    /// A donation is put off: nobody who could take the organ waits for it.
    DonationPostponed {
        /// Who.
        person: PersonId,
        /// The number the donation would have had (1 to 4).
        number: u8,
    },
    /// A donation is made.
    Donation {
        /// The donor.
        person: PersonId,
        /// Its number in the donor's life, from 1.
        number: u8,
        /// The organ taken; when the donation takes every vital organ left, the first of them (the
        /// heart, unless nobody waits for one).
        organ: Organ,
        /// Organs taken: one, or every vital organ left that someone waits for when the donation
        /// completes on the table. A donor who completes in the recovery after it gives the rest
        /// on the day of completion.
        organs: u8,
        /// The recovery centre.
        centre: u8,
        /// The donor's carer, if any.
        carer: Option<PersonId>,
        /// Whether this donation completes the donor.
        completing: bool,
        /// The donor's age in days.
        age_days: u32,
    },
    /// One organ of a donation reaches the sick.
    OrganSupplied {
        /// The donor.
        donor: PersonId,
        /// The organ.
        organ: Organ,
        /// Whether a patient was waiting for it (otherwise it goes unused).
        transplanted: bool,
        /// The recipient's life-years gained (zero if unused).
        life_years: f64,
    },
    /// A donor completes.
    Completed {
        /// Who.
        person: PersonId,
        /// The number of the completing donation.
        number: u8,
        /// Whether completion came during the operation itself.
        during_operation: bool,
        /// The recovery centre.
        centre: u8,
        /// The carer who saw the donor through, if any.
        carer: Option<PersonId>,
        /// Age in days.
        age_days: u32,
        /// Life-years lost: the country's life expectancy less the age at completion.
        life_years_lost: f64,
    },
    /// A couple who believe the rumour ask for a deferral.
    DeferralAsked {
        /// The partner whose donations reached the asking point.
        first: PersonId,
        /// The other partner.
        second: PersonId,
        /// Whether it was granted (never in `novel`: the rumour is false).
        granted: bool,
    },
    /// A veteran or carer runs away.
    Escaped {
        /// Who.
        person: PersonId,
        /// The stage they ran from.
        stage: Stage,
    },
    /// A clone who ran is found and brought back.
    Found {
        /// Who.
        person: PersonId,
    },
    /// A day's patients for one organ: arrivals, deaths on the list, and those served at once
    /// by a grown organ.
    Patients {
        /// The organ.
        organ: Organ,
        /// New patients.
        arrivals: u64,
        /// Patients who died waiting.
        deaths: u64,
        /// New patients served by a grown organ, never joining the list.
        grown: u64,
        /// Their life-years gained.
        life_years_grown: f64,
    },
    /// The year ends: the census of the world.
    YearEnded(Census),
    /// The run ends with this clone alive (or away): the last word of their life so far.
    RunEnded {
        /// Who.
        person: PersonId,
        /// Kilometres driven as a carer, up to the end.
        carer_km: f64,
        /// Tokens held (a Hailsham student still at school).
        tokens: u16,
    },
}

/// Declares [`Kind`]: one line per kind, its variant and its name, from which the enum, its
/// list and the lookups both ways are made, so that a name is spelled once and `ALL` cannot
/// miss a variant.
macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)+) => {
        /// What kind of thing a [`Happening`] is: its variant without its fields.
        ///
        /// The kinds live here, beside the enum they name, rather than in the event log's
        /// crate, because the world's other readers need them too: a story's dump and the
        /// JSON of a life print a happening's kind, and `Happening::kind` is the one way to
        /// ask. Each name, the event log's `kind` column and the sift patterns' word, is
        /// spelled once, in the list below.
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Kind {
            $($(#[$doc])* $variant,)+
        }

        impl Kind {
            /// Every kind, in the order of [`Happening`]'s variants (a kind's index is its
            /// position here and its `as u8` value).
            pub const ALL: [Kind; [$(Kind::$variant),+].len()] = [$(Kind::$variant),+];

            /// The kind's name: the event log's `kind` column, a pattern's word.
            #[must_use]
            #[inline]
            pub const fn name(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)+
                }
            }
        }
    };
}

kinds! {
    /// [`Happening::Created`].
    Created = "created",
    /// [`Happening::Transferred`].
    Transferred = "transferred",
    /// [`Happening::HumaneHomesClosed`].
    HumaneHomesClosed = "humane-homes-closed",
    /// [`Happening::Exchange`].
    Exchange = "exchange",
    /// [`Happening::Sale`].
    Sale = "sale",
    /// [`Happening::GalleryPiece`].
    GalleryPiece = "gallery-piece",
    /// [`Happening::LeftHome`].
    LeftHome = "left-home",
    /// [`Happening::PossibleSearched`].
    PossibleSearched = "possible-searched",
    /// [`Happening::CoupleFormed`].
    CoupleFormed = "couple-formed",
    /// [`Happening::RumourBelieved`].
    RumourBelieved = "rumour-believed",
    /// [`Happening::CoupleParted`].
    CoupleParted = "couple-parted",
    /// [`Happening::TrainingBegan`].
    TrainingBegan = "training-began",
    /// [`Happening::CarerQualified`].
    CarerQualified = "carer-qualified",
    /// [`Happening::CarerAssigned`].
    CarerAssigned = "carer-assigned",
    /// [`Happening::CarerReleased`].
    CarerReleased = "carer-released",
    /// [`Happening::CareerEnded`].
    CareerEnded = "career-ended",
    /// [`Happening::BecameDonor`].
    BecameDonor = "became-donor",
    /// [`Happening::WaitingForBed`].
    WaitingForBed = "waiting-for-bed",
    /// [`Happening::BedTaken`].
    BedTaken = "bed-taken",
    /// [`Happening::DonationPostponed`].
    DonationPostponed = "donation-postponed",
    /// [`Happening::Donation`].
    Donation = "donation",
    /// [`Happening::OrganSupplied`].
    OrganSupplied = "organ-supplied",
    /// [`Happening::Completed`].
    Completed = "completed",
    /// [`Happening::DeferralAsked`].
    DeferralAsked = "deferral-asked",
    /// [`Happening::Escaped`].
    Escaped = "escaped",
    /// [`Happening::Found`].
    Found = "found",
    /// [`Happening::Patients`].
    Patients = "patients",
    /// [`Happening::RunEnded`].
    RunEnded = "run-ended",
    /// [`Happening::YearEnded`].
    YearEnded = "year-ended",
}

impl Kind {
    /// The kind named `name`, if one is.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The kind of index `index` (its `as u8` value), if one is.
    #[must_use]
    pub fn from_index(index: u8) -> Option<Kind> {
        Kind::ALL.get(usize::from(index)).copied()
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Happening {
    /// The clone this happening is about first, if it is about one: the person, the first
    /// partner, the carer, the donor of an organ.
    #[must_use]
    pub fn person(&self) -> Option<PersonId> {
        use Happening as H;
        match *self {
            H::Created { person, .. }
            | H::Transferred { person }
            | H::GalleryPiece { person }
            | H::LeftHome { person, .. }
            | H::PossibleSearched { person, .. }
            | H::RumourBelieved { person, .. }
            | H::TrainingBegan { person }
            | H::CarerQualified { person, .. }
            | H::CareerEnded { person, .. }
            | H::BecameDonor { person }
            | H::WaitingForBed { person }
            | H::BedTaken { person, .. }
            | H::DonationPostponed { person, .. }
            | H::Donation { person, .. }
            | H::Completed { person, .. }
            | H::Escaped { person, .. }
            | H::Found { person }
            | H::RunEnded { person, .. } => Some(person),
            H::CoupleFormed { first, .. }
            | H::CoupleParted { first, .. }
            | H::DeferralAsked { first, .. } => Some(first),
            H::CarerAssigned { carer, .. } | H::CarerReleased { carer, .. } => Some(carer),
            H::OrganSupplied { donor, .. } => Some(donor),
            H::HumaneHomesClosed { .. }
            | H::Exchange { .. }
            | H::Sale { .. }
            | H::Patients { .. }
            | H::YearEnded(_) => None,
        }
    }

    /// The kind of happening: its variant without its fields, named as the event log's `kind`
    /// column and the sift patterns name it ([`Kind::name`]).
    #[must_use]
    #[inline]
    pub fn kind(&self) -> Kind {
        use Happening as H;
        match self {
            H::Created { .. } => Kind::Created,
            H::Transferred { .. } => Kind::Transferred,
            H::HumaneHomesClosed { .. } => Kind::HumaneHomesClosed,
            H::Exchange { .. } => Kind::Exchange,
            H::Sale { .. } => Kind::Sale,
            H::GalleryPiece { .. } => Kind::GalleryPiece,
            H::LeftHome { .. } => Kind::LeftHome,
            H::PossibleSearched { .. } => Kind::PossibleSearched,
            H::CoupleFormed { .. } => Kind::CoupleFormed,
            H::RumourBelieved { .. } => Kind::RumourBelieved,
            H::CoupleParted { .. } => Kind::CoupleParted,
            H::TrainingBegan { .. } => Kind::TrainingBegan,
            H::CarerQualified { .. } => Kind::CarerQualified,
            H::CarerAssigned { .. } => Kind::CarerAssigned,
            H::CarerReleased { .. } => Kind::CarerReleased,
            H::CareerEnded { .. } => Kind::CareerEnded,
            H::BecameDonor { .. } => Kind::BecameDonor,
            H::WaitingForBed { .. } => Kind::WaitingForBed,
            H::BedTaken { .. } => Kind::BedTaken,
            H::DonationPostponed { .. } => Kind::DonationPostponed,
            H::Donation { .. } => Kind::Donation,
            H::OrganSupplied { .. } => Kind::OrganSupplied,
            H::Completed { .. } => Kind::Completed,
            H::DeferralAsked { .. } => Kind::DeferralAsked,
            H::Escaped { .. } => Kind::Escaped,
            H::Found { .. } => Kind::Found,
            H::Patients { .. } => Kind::Patients,
            H::RunEnded { .. } => Kind::RunEnded,
            H::YearEnded(_) => Kind::YearEnded,
        }
    }

    /// The second party, if there is one: the partner, the donor of a carer's assignment.
    #[must_use]
    pub fn other(&self) -> Option<PersonId> {
        use Happening as H;
        match *self {
            H::RumourBelieved { partner, .. } => Some(partner),
            H::CoupleFormed { second, .. }
            | H::CoupleParted { second, .. }
            | H::DeferralAsked { second, .. } => Some(second),
            H::CarerAssigned { donor, .. } | H::CarerReleased { donor, .. } => Some(donor),
            H::Donation { carer, .. } | H::Completed { carer, .. } => carer,
            // Listed, not `_`: a new variant with a second party must say so here, or the
            // event log's `other` column would silently lose it.
            H::Created { .. }
            | H::Transferred { .. }
            | H::HumaneHomesClosed { .. }
            | H::Exchange { .. }
            | H::Sale { .. }
            | H::GalleryPiece { .. }
            | H::LeftHome { .. }
            | H::PossibleSearched { .. }
            | H::TrainingBegan { .. }
            | H::CarerQualified { .. }
            | H::CareerEnded { .. }
            | H::BecameDonor { .. }
            | H::WaitingForBed { .. }
            | H::BedTaken { .. }
            | H::DonationPostponed { .. }
            | H::OrganSupplied { .. }
            | H::Escaped { .. }
            | H::Found { .. }
            | H::Patients { .. }
            | H::YearEnded(_)
            | H::RunEnded { .. } => None,
        }
    }
}

/// What the model announces to. Implementations fold the announcements into whatever they
/// keep; they never change the model, so a run's course is the same whatever observes it.
pub trait Observer {
    /// `happening` happened on `day`.
    fn observe(&mut self, day: Day, happening: &Happening);
}

/// Observes nothing.
impl Observer for () {
    #[inline]
    fn observe(&mut self, _day: Day, _happening: &Happening) {}
}

impl<A: Observer, B: Observer> Observer for (A, B) {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        self.0.observe(day, happening);
        self.1.observe(day, happening);
    }
}

impl<O: Observer> Observer for Option<O> {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        if let Some(observer) = self {
            observer.observe(day, happening);
        }
    }
}

impl<O: Observer + ?Sized> Observer for &mut O {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        (**self).observe(day, happening);
    }
}

impl<O: Observer + ?Sized> Observer for Box<O> {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        (**self).observe(day, happening);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Goal: `Kind::ALL` is every kind, each once, at its own index, and a name finds its
    /// kind again. Method: all of them.
    #[test]
    fn kinds_are_listed_in_index_order_and_found_by_name() {
        for (index, kind) in Kind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, index);
            assert_eq!(Kind::from_index(kind as u8), Some(kind));
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
            assert_eq!(kind.to_string(), kind.name());
        }
        assert_eq!(Kind::from_index(Kind::ALL.len() as u8), None);
        assert_eq!(Kind::from_name("donations"), None);
        assert_eq!(Kind::Donation.name(), "donation");
        assert_eq!(Kind::ALL.last(), Some(&Kind::YearEnded));
    }
}
