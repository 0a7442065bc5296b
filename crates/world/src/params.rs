//! Every number of the model, in one table: name, meaning, unit, tag, source, range, default.
//!
//! The table is written once, in the `params!` invocation below. From it come the [`Params`]
//! struct the model reads, the `novel` defaults, the [`SPECS`] list that `hailsham params`
//! prints and scenario validation checks against, and the by-name [`Params::get`] and
//! [`Params::set`] that scenario files go through. Docs, CLI and model cannot disagree.
//!
//! Sources name the rule in `docs/model.md` (§ numbers), the reviews by the site or paper that
//! published them, the novel's chapters, or the real figures (docs/model.md, Real figures).

use std::fmt;

/// Where a parameter's default comes from (the tags of docs/model.md).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tag {
    /// Stated in the reviews; the `novel` scenario must honour it.
    Canon,
    /// Stated in the novel itself; honoured like canon.
    Novel,
    /// Follows from canon facts.
    Inferred,
    /// The novel is silent; the model needs a number.
    Assumption,
}

impl Tag {
    /// The tag as docs/model.md writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Tag::Canon => "canon",
            Tag::Novel => "novel",
            Tag::Inferred => "inferred",
            Tag::Assumption => "assumption",
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of a parameter's value.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A real number (an integer is accepted too).
    Float,
    /// A whole number.
    Int,
    /// `true` or `false`.
    Bool,
}

impl Kind {
    /// How a scenario file's reader should name the expected type.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Float => "a number",
            Kind::Int => "a whole number",
            Kind::Bool => "true or false",
        }
    }
}

/// A parameter value, as read from a scenario file or shown by `hailsham params`.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Value {
    /// A real number.
    Float(f64),
    /// A whole number.
    Int(i64),
    /// A flag.
    Bool(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // `{:?}` keeps a ".0" on whole floats, so the TOML type survives a round trip.
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// One row of the parameter table.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ParamSpec {
    /// The TOML table the key lives in, e.g. `"care"`.
    pub section: &'static str,
    /// The key, e.g. `"career_years_median"`.
    pub key: &'static str,
    /// The value's type.
    pub kind: Kind,
    /// Unit, in words (`"years"`, `"share"`, `"donors"`).
    pub unit: &'static str,
    /// canon, novel, inferred or assumption.
    pub tag: Tag,
    /// Where the default comes from.
    pub source: &'static str,
    /// What the parameter means, in one sentence.
    pub meaning: &'static str,
    /// Smallest allowed value (inclusive).
    pub min: f64,
    /// Largest allowed value (inclusive).
    pub max: f64,
}

impl ParamSpec {
    /// `section.key`.
    #[must_use]
    pub fn path(&self) -> String {
        format!("{}.{}", self.section, self.key)
    }
}

/// Why [`Params::set`] refused a value.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SetError {
    /// No parameter has that section and key.
    UnknownKey,
    /// The value has the wrong type.
    WrongType {
        /// The type the parameter takes.
        expected: Kind,
    },
    /// The value lies outside the parameter's range (or is not finite).
    OutOfRange {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
}

/// A rule that ties several parameters together and that a scenario broke.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The parameters involved, as (section, key); the first is the one to point at.
    pub keys: Vec<(&'static str, &'static str)>,
    /// What is wrong, in words.
    pub message: String,
}

/// Conversion between a Rust field type and [`Value`]; implemented for `f64`, `i64`, `bool`.
trait ParamType: Sized + Copy {
    const KIND: Kind;
    fn to_value(self) -> Value;
    fn from_value(value: Value) -> Option<Self>;
    fn as_f64(self) -> f64;
}

impl ParamType for f64 {
    const KIND: Kind = Kind::Float;
    fn to_value(self) -> Value {
        Value::Float(self)
    }
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Float(x) => Some(x),
            #[allow(clippy::cast_precision_loss)] // scenario integers are small
            Value::Int(i) => Some(i as f64),
            Value::Bool(_) => None,
        }
    }
    fn as_f64(self) -> f64 {
        self
    }
}

impl ParamType for i64 {
    const KIND: Kind = Kind::Int;
    fn to_value(self) -> Value {
        Value::Int(self)
    }
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }
    #[allow(clippy::cast_precision_loss)]
    fn as_f64(self) -> f64 {
        self as f64
    }
}

impl ParamType for bool {
    const KIND: Kind = Kind::Bool;
    fn to_value(self) -> Value {
        Value::Bool(self)
    }
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
    fn as_f64(self) -> f64 {
        f64::from(u8::from(self))
    }
}

macro_rules! params {
    ($(
        $(#[doc = $section_doc:literal])*
        [$section:ident: $Section:ident] {
            $(
                $key:ident: $ty:ty = $default:expr,
                    $unit:literal, $tag:ident, [$min:expr, $max:expr],
                    $meaning:literal,
                    $source:literal;
            )*
        }
    )*) => {
        /// All parameters of a scenario, one field per TOML table.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Params {
            $(
                $(#[doc = $section_doc])*
                pub $section: $Section,
            )*
        }

        $(
            $(#[doc = $section_doc])*
            #[derive(Clone, Debug, PartialEq)]
            pub struct $Section {
                $(
                    #[doc = $meaning]
                    #[doc = ""]
                    #[doc = concat!("Unit: ", $unit, ". Tag: ", stringify!($tag), ". Source: ", $source, ".")]
                    pub $key: $ty,
                )*
            }
        )*

        impl Default for Params {
            /// The `novel` scenario: the world as the novel has it.
            fn default() -> Params {
                Params { $( $section: $Section { $( $key: $default, )* }, )* }
            }
        }

        /// Each table's name and description (its doc lines, joined), in table order.
        pub static SECTION_DOCS: &[(&str, &str)] = &[
            $( (stringify!($section), concat!($($section_doc, " "),*)), )*
        ];

        /// Every parameter, in the order of the table (the order `hailsham params` prints).
        pub static SPECS: &[ParamSpec] = &[
            $( $(
                ParamSpec {
                    section: stringify!($section),
                    key: stringify!($key),
                    kind: <$ty as ParamType>::KIND,
                    unit: $unit,
                    tag: Tag::$tag,
                    source: $source,
                    meaning: $meaning,
                    min: $min as f64,
                    max: $max as f64,
                },
            )* )*
        ];

        impl Params {
            /// The value of `section.key`, or `None` if there is no such parameter.
            #[must_use]
            pub fn get(&self, section: &str, key: &str) -> Option<Value> {
                match (section, key) {
                    $( $( (stringify!($section), stringify!($key)) =>
                        Some(ParamType::to_value(self.$section.$key)), )* )*
                    _ => None,
                }
            }

            /// Sets `section.key` to `value`, checking its type and range.
            ///
            /// # Errors
            /// [`SetError`] if the key is unknown, the type wrong or the value out of range.
            pub fn set(&mut self, section: &str, key: &str, value: Value) -> Result<(), SetError> {
                match (section, key) {
                    $( $( (stringify!($section), stringify!($key)) => {
                        let parsed = <$ty as ParamType>::from_value(value)
                            .ok_or(SetError::WrongType { expected: <$ty as ParamType>::KIND })?;
                        let x = ParamType::as_f64(parsed);
                        let (min, max) = ($min as f64, $max as f64);
                        if !x.is_finite() || x < min || x > max {
                            return Err(SetError::OutOfRange { min, max });
                        }
                        self.$section.$key = parsed;
                        Ok(())
                    } )* )*
                    _ => Err(SetError::UnknownKey),
                }
            }
        }
    };
}

params! {
    /// Time: when the programme starts and how long the run lasts (docs/model.md §0).
    [time: Time] {
        start_year: i64 = 1952, "year", Canon, [1900, 2100],
            "First year of the programme: clones are born from this year on",
            "docs/model.md §0: the programme grew out of breakthroughs of the early 1950s (Graeme \
            Shimmin's review; novel ch. 22)";
        end_year: i64 = 2000, "year", Inferred, [1901, 2300],
            "The run stops at the start of this year (override with --until)",
            "docs/model.md §0: the story's present is the late 1990s (Graeme Shimmin; Books on \
            Tour; Vulpes Libris), so the default runs to about 2000";
    }

    /// Homes: creation of cohorts, Hailsham and the other humane homes, the government homes,
    /// what guardians tell (docs/model.md §1, §2).
    [homes: Homes] {
        population_millions: f64 = 49.0, "million people", Assumption, [0.001, 100000.0],
            "Population of the country the programme serves; demand and recovery beds scale with it",
            "England in the late 1990s, about 49 million (ONS mid-year estimates; the UK's 58-59 \
            million in docs/model.md, Real figures)";
        demand_coverage_target: f64 = 1.0, "share", Assumption, [0.0, 10.0],
            "Cohorts are sized so that, once grown, their organs would meet this share of the expected demand",
            "docs/model.md §7: the programme is built to serve the sick (a reader's review; novel \
            ch. 22); planners aim to meet demand in full";
        programme_ramp_years: f64 = 15.0, "years", Assumption, [0.0, 100.0],
            "Cohort sizes grow linearly from nothing to the full size over this many years after the start",
            "assumption: a new programme does not reach full size at once";
        home_entry_age_years: f64 = 5.0, "years of age", Assumption, [0.0, 15.0],
            "Age at which a clone is created into a home (the model's first day of each life)",
            "the novel shows no clone before the home years; Hailsham's youngest pupils are small children (novel ch. 2-3)";
        leave_age_years: f64 = 16.0, "years of age", Canon, [1.0, 30.0],
            "Age at which every clone leaves its home for a half-way house",
            "docs/model.md §1: leaving the home at sixteen (Vulpes Libris; Graeme Shimmin)";
        hailsham_share: f64 = 0.008, "share of a cohort", Assumption, [0.0, 1.0],
            "Share of each cohort raised at Hailsham while it is open",
            "docs/model.md §2: Hailsham is small and exclusive (Common Sense Media; Graeme \
            Shimmin); about fifty a year out of several thousand";
        humane_other_share: f64 = 0.02, "share of a cohort", Assumption, [0.0, 1.0],
            "Share of each cohort raised in the reform movement's other humane homes while they are open",
            "docs/model.md §2: Hailsham had a few sister homes in a small reform movement (novel \
            ch. 22)";
        reform_start_year: i64 = 1958, "year", Assumption, [1900, 2300],
            "First year in which the humane homes (Hailsham among them) take in clones",
            "assumption: the reform movement came some years after the programme began (novel ch. 22)";
        humane_close_year: i64 = 1993, "year", Assumption, [1900, 2300],
            "Year in which the humane homes close and their students move to government homes",
            "docs/model.md §2: Hailsham closes while the narrator is a carer (Graeme Shimmin; a \
            reader's review), i.e. between about 1988 and 1999";
        told_level_hailsham: f64 = 0.3, "share of the truth", Assumption, [0.0, 1.0],
            "How much of their future Hailsham students have understood when they leave (0 nothing, 1 told plainly)",
            "docs/model.md §2: told and not told (The Comenian; Vulpes Libris); Miss Lucy's plain \
            telling was the exception (The Independent; a reader's review)";
        told_level_humane_other: f64 = 0.3, "share of the truth", Assumption, [0.0, 1.0],
            "How much students of the other humane homes have understood when they leave",
            "assumption: the reform movement's homes followed Hailsham's practice (novel ch. 22)";
        told_level_government: f64 = 0.5, "share of the truth", Assumption, [0.0, 1.0],
            "How much students of the large government homes have understood when they leave",
            "assumption: homes with no reason to shelter them tell more, and more bluntly (Graeme \
            Shimmin: inhumane conditions elsewhere)";
        students_per_guardian: f64 = 12.0, "students", Assumption, [1.0, 1000.0],
            "Students per guardian (or warden) in every home; guardians are outsiders who know",
            "assumption: a boarding school's ratio of staff to pupils";
    }

    /// Life at Hailsham: tokens, Exchanges, Sales, Madame's Gallery (docs/model.md §3).
    [hailsham: Hailsham] {
        couple_age_years: f64 = 13.0, "years of age", Assumption, [0.0, 30.0],
            "Age from which Hailsham students pair off as couples",
            "docs/model.md §3: couples form among the senior students at Hailsham (novel ch. 5-9: \
            the narrator's friends are a couple before they leave)";
        couple_formation_per_year: f64 = 0.3, "per year", Assumption, [0.0, 50.0],
            "Yearly rate at which a single senior Hailsham student pairs off",
            "assumption: fewer than at the half-way houses, where the residents are older and freer";
        couple_breakup_per_year: f64 = 0.5, "per year", Assumption, [0.0, 50.0],
            "Yearly rate at which a Hailsham couple parts",
            "assumption: the novel's first couple part and make up more than once (novel ch. 6-9)";
        exchanges_per_year: i64 = 4, "Exchanges a year", Novel, [0, 12],
            "Exchanges held at Hailsham each year (students buy each other's work with tokens)",
            "docs/model.md §3: Exchanges four times a year (novel ch. 2); tokens and Exchanges \
            (Common Sense Media; The Paladin Pages)";
        sales_per_year: i64 = 12, "Sales a year", Novel, [0, 52],
            "Sales held at Hailsham each year (a van brings second-hand goods, bought with tokens)",
            "docs/model.md §3: a Sale once a month (novel ch. 4); Sales (Common Sense Media; The \
            Paladin Pages)";
        pieces_per_exchange: f64 = 2.0, "pieces of work", Assumption, [0.0, 20.0],
            "Pieces of work each student offers at an Exchange (a fraction is a chance of one more)",
            "assumption";
        tokens_per_piece: f64 = 3.0, "tokens", Assumption, [0.0, 1000.0],
            "Tokens a guardian awards for an average piece accepted for an Exchange (better work earns more)",
            "assumption";
        exchange_spend_share: f64 = 0.5, "share of tokens", Assumption, [0.0, 1.0],
            "Share of their tokens students spend buying others' work at an Exchange",
            "assumption";
        sale_spend_share: f64 = 0.3, "share of tokens", Assumption, [0.0, 1.0],
            "Share of their tokens students spend at a Sale",
            "assumption";
        madame_visits_per_year: i64 = 2, "visits a year", Assumption, [0, 12],
            "Madame's visits to Hailsham each year; at each she takes the best work of the last Exchange",
            "docs/model.md §3: Madame takes the best art to the Gallery (Graeme Shimmin; Vulpes \
            Libris; a reader's review); how often is not said";
        gallery_share: f64 = 0.05, "share of pieces", Assumption, [0.0, 1.0],
            "Share of the last Exchange's pieces Madame takes to the Gallery, the best first",
            "assumption";
    }

    /// Half-way houses: the Cottages and the others (docs/model.md §4).
    [halfway: Halfway] {
        houses_hailsham: i64 = 3, "houses", Novel, [1, 100],
            "Half-way houses among which each Hailsham year is split (the Cottages, the White Mansion, Poplar Farm)",
            "docs/model.md §4: several such places, a Hailsham year split among them (novel ch. \
            10)";
        houses_other: i64 = 40, "houses", Assumption, [1, 65000],
            "Half-way houses for clones from every other home",
            "assumption: enough houses for a few hundred residents each";
        stay_years_min: f64 = 1.5, "years", Inferred, [0.0, 20.0],
            "Shortest stay at a half-way house (triangular distribution)",
            "docs/model.md §1: about two years (novel ch. 10); training near nineteen or twenty";
        stay_years_mode: f64 = 2.0, "years", Novel, [0.0, 20.0],
            "Most common stay at a half-way house",
            "docs/model.md §1: the essay meant to take about two years (novel ch. 10)";
        stay_years_max: f64 = 3.5, "years", Inferred, [0.0, 20.0],
            "Longest stay at a half-way house",
            "docs/model.md §1: carer training starts near nineteen or twenty (inferred: 31 minus \
            eleven or twelve)";
        couple_formation_per_year: f64 = 0.6, "per year", Assumption, [0.0, 50.0],
            "Rate at which a single resident pairs with another single resident of the same house",
            "docs/model.md §4: couples form at the Cottages (Graeme Shimmin; Vulpes Libris); the \
            rate is an assumption";
        couple_breakup_per_year: f64 = 0.3, "per year", Assumption, [0.0, 50.0],
            "Rate at which a couple at a half-way house splits up",
            "assumption";
        possible_search_share: f64 = 0.3, "share of residents", Assumption, [0.0, 1.0],
            "Share of residents who go looking for their possible",
            "docs/model.md §4: residents search for possibles (The Paladin Pages; The \
            Independent)";
        possible_sighting_share: f64 = 0.2, "share of searches", Assumption, [0.0, 1.0],
            "Share of searches that end with a sighting of someone who might be the possible",
            "docs/model.md §4 (The Paladin Pages); the sighting proves nothing (novel ch. 14)";
    }

    /// Carers: training, careers, caseloads, driving (docs/model.md §5).
    [care: Care] {
        carer_share: f64 = 0.55, "share of clones", Assumption, [0.0, 1.0],
            "Share of clones who train as carers before becoming donors; the rest go straight to donation",
            "docs/model.md §1: most are carers first (The Comenian), some never are (a reader's \
            review). Not many more than half: with most clones caring for years and donors \
            lasting years, more carers would leave each with fewer than the several donors the \
            narrator has (docs/model.md §5)";
        training_years: f64 = 0.5, "years", Assumption, [0.0, 10.0],
            "Carer training, from leaving the half-way house to the first donor",
            "docs/model.md §1: carer in training, then carer (The Comenian); its length is not \
            given";
        career_years_min: f64 = 2.0, "years", Novel, [0.1, 40.0],
            "Shortest carer career (careers are drawn from a triangular distribution of their logarithm, from the shortest through the most common to the longest)",
            "docs/model.md §1: some good carers are stopped after two or three years (novel ch. \
            1)";
        career_years_mode: f64 = 4.5, "years", Assumption, [0.1, 40.0],
            "Most common carer career length",
            "docs/model.md §1: careers spread from about two to fourteen years, twelve being \
            unusually long (novel ch. 1; The New York Times; Literary Hub). Spread on a log \
            scale, as notice can come at any time and few last long: median about 4.9 years, \
            about 1% twelve or more";
        career_years_max: f64 = 14.0, "years", Novel, [0.1, 40.0],
            "Longest carer career",
            "docs/model.md §1: one poor carer lasted fourteen years (novel ch. 1)";
        reach_towns: i64 = 6, "towns", Assumption, [1, 255],
            "A donor's carer is sought first among the carers of one town drawn from this many nearest the centre (its own among them), then from the centre outwards",
            "docs/model.md §5: carers drive between centres across the country (Graeme Shimmin); \
            the narrator's donors lie in several towns (novel ch. 1)";
        overnight_beyond_km: f64 = 120.0, "km", Assumption, [0.0, 10000.0],
            "One-way road distance beyond which a carer visits a donor on trips with a night away (an overnight) instead of driving back the same day",
            "docs/model.md §5: carers sleep in overnights when far from their bedsits (Graeme \
            Shimmin; novel ch. 1); about two hours' drive";
        overnight_trips_per_week: f64 = 1.0, "trips a week", Assumption, [0.0, 14.0],
            "Trips a week to a far donor, each with one night away; the week's visits are made on them (at most the visits a week)",
            "assumption: a carer who must stay over sees a far donor once a week";
        caseload_donors_max: i64 = 5, "donors", Assumption, [1, 100],
            "Most donors one carer looks after at once",
            "docs/model.md §5: caseload per carer is an assumption";
        visits_per_donor_per_week: f64 = 2.0, "visits a week", Assumption, [0.0, 14.0],
            "Visits a carer pays each of their donors every week, driving from their bedsit and back",
            "docs/model.md §5: carers drive between centres and sleep in overnights (The \
            Independent); visit rate assumed";
        local_trip_km: f64 = 15.0, "km", Assumption, [0.0, 500.0],
            "Road kilometres from a bedsit to a recovery centre in the same town (added to every trip)",
            "assumption: centres stand outside towns, as the novel's do (Kingsfield, Dover: novel ch. 18-19)";
        road_km_per_straight_km: f64 = 1.3, "ratio", Assumption, [1.0, 3.0],
            "Road distance per kilometre of straight-line distance between towns",
            "assumption: typical circuity of English roads";
        km_per_year_max: f64 = 60000.0, "km a year", Assumption, [1000.0, 1000000.0],
            "Most a carer drives in a year: a caseload whose visits would take more is visited less often, each donor alike, with fewer nights away",
            "docs/model.md §5: carers drive long distances, tens of thousands of kilometres a \
            year (novel ch. 1, 2); the narrator drives long days, but not 300 km every day for \
            a decade (a reader's check of the lives): about the most a driver does for a living";
        late_couple_share: f64 = 0.2, "share", Assumption, [0.0, 1.0],
            "Chance that a Hailsham carer and the old friend they choose as a donor, both without a living partner, become a couple",
            "docs/model.md §5: the narrator becomes the partner of the friend she cares for, late \
            (novel ch. 20-22)";
        hailsham_choice_share: f64 = 0.5, "share", Assumption, [0.0, 1.0],
            "Chance that a Hailsham carer with room chooses a Hailsham donor of their own year, friends first",
            "docs/model.md §5: a Hailsham carer may choose some donors; the narrator chose her \
            friends (The Paladin Pages; novel ch. 1)";
        quality_effect: f64 = 0.2, "share of risk", Assumption, [0.0, 1.0],
            "How much the best carer lowers a donor's risk of completing at a donation (0: carers make no difference)",
            "docs/model.md §5: a good carer's donors do better (The New York Times; the \
            narrator's own claim)";
    }

    /// Donations, recovery centres, completion (docs/model.md §6).
    [donation: Donation] {
        donations_max: i64 = 4, "donations", Canon, [1, 4],
            "Most donations a donor makes; the last one always completes",
            "docs/model.md §1, §6: up to four donations (Graeme Shimmin; a reader's review)";
        completion_risk_1: f64 = 0.03, "probability", Assumption, [0.0, 1.0],
            "Risk that an average donor completes at the first donation",
            "docs/model.md §6: risk per donation is an assumption; kept low so completions before \
            the second are rare";
        completion_risk_2: f64 = 0.15, "probability", Assumption, [0.0, 1.0],
            "Risk that an average donor completes at the second donation",
            "docs/model.md §1: two of the narrator's friends complete at their second (novel ch. \
            18, 19): some do";
        completion_risk_3: f64 = 0.45, "probability", Assumption, [0.0, 1.0],
            "Risk that an average donor completes at the third donation",
            "docs/model.md §1: completion usually at or after the third or fourth (Books on Tour; \
            a reader's review)";
        frailty_sigma: f64 = 0.5, "log-scale sd", Assumption, [0.0, 3.0],
            "Spread of donors' frailty (lognormal, median 1), which multiplies their completion risks",
            "docs/model.md §6: weaker donors complete earlier (Graeme Shimmin; a reader's review)";
        on_table_share: f64 = 0.5, "share of completions", Assumption, [0.0, 1.0],
            "Share of completions before the last donation that happen during the operation, which then takes every vital organ left; the rest come in the recovery after it, when the rest is taken (the last donation always completes on the table)",
            "docs/model.md §1: of two friends who complete at their second donation, one does so \
            during it (novel ch. 18, 19)";
        first_donation_days_mean: f64 = 365.0, "days", Assumption, [0.0, 3650.0],
            "Mean wait from becoming a donor, with a bed, to the first donation (spread as the waits between donations are)",
            "assumption: notice of the first donation comes months after the carer years end, as the \
            novel's friends wait in their centres (novel ch. 17-19)";
        recovery_days_min: f64 = 42.0, "days", Assumption, [0.0, 3650.0],
            "Shortest time between two donations: the recovery from the operation",
            "docs/model.md, Real figures: a kidney donor recovers in about six weeks (Segev, JAMA \
            2010)";
        interval_days_mean: f64 = 1000.0, "days", Assumption, [0.0, 3650.0],
            "Mean time from one donation to the next: the recovery minimum plus a wait spread as a sum of `interval_stages` exponential waits",
            "assumption: the novel's donors recover for many months and one friend's donations \
            span years (novel ch. 17-22)";
        interval_stages: i64 = 6, "stages", Assumption, [1, 20],
            "How evenly the waits before and between donations are spread: the wait (beyond the recovery) is a sum of this many exponential waits (1: exponential; more: closer to the mean)",
            "assumption: a donor is called back when the sick need them and the donor is well, \
            so waits of many years are rare";
        retry_days: f64 = 90.0, "days", Assumption, [1.0, 3650.0],
            "Wait before a donation put off is tried again: nobody waited for what it would take (or, with matching, nobody compatible)",
            "assumption: docs/model.md §6, no organ is taken that no patient waits for";
        child_donors: bool = false, "flag", Canon, [0, 1],
            "Whether clones become donors straight from the home as children, skipping the half-way house and care",
            "docs/model.md §1: donation follows the home, the half-way house and usually care \
            (Graeme Shimmin; Vulpes Libris); `child-donors` asks otherwise (a commenter on Vulpes \
            Libris)";
        child_donor_age_years: f64 = 10.0, "years of age", Assumption, [1.0, 30.0],
            "Age at which child donors become donors, where `child_donors` is on (it must be below the leaving age)",
            "assumption: a child old enough for an adult's organ to be taken (a commenter on \
            Vulpes Libris)";
        recovery_beds_per_million: f64 = 1000.0, "beds per million people", Assumption, [0.0, 1000000.0],
            "Recovery-centre beds per million people, shared evenly among the centres; donors hold a bed from notice to completion",
            "docs/model.md §6: centres with a number of beds; sized so beds rarely run short in \
            `novel`";
        living_share_kidney: f64 = 0.70, "share", Assumption, [0.0, 1.0],
            "Share of donations before the last that take a kidney",
            "docs/model.md, Real figures: UK transplants by organ 2013/14 without heart (NHSBT): \
            kidney 3,257 of 4,660";
        living_share_liver: f64 = 0.20, "share", Assumption, [0.0, 1.0],
            "Share of donations before the last that take part of the liver (it regrows)",
            "docs/model.md, Real figures: liver 924 of 4,660 (NHSBT 2013/14); a lobe regrows in \
            6-8 weeks";
        living_share_lung: f64 = 0.05, "share", Assumption, [0.0, 1.0],
            "Share of donations before the last that take a lung lobe",
            "docs/model.md, Real figures: lung 218 of 4,660 (NHSBT 2013/14)";
        living_share_pancreas: f64 = 0.05, "share", Assumption, [0.0, 1.0],
            "Share of donations before the last that take part of the pancreas (once only)",
            "docs/model.md, Real figures: pancreas 261 of 4,660 (NHSBT 2013/14)";
    }

    /// Demand: the sick who need organs (docs/model.md §7; Real figures).
    [demand: Demand] {
        need_kidney_per_million: f64 = 118.0, "people per million a year", Assumption, [0.0, 100000.0],
            "New patients a year who need a kidney",
            "docs/model.md, Real figures: new kidney failure, 118 per million a year (UK Renal \
            Registry, 2016)";
        need_liver_per_million: f64 = 220.0, "people per million a year", Assumption, [0.0, 100000.0],
            "New patients a year who need a liver",
            "docs/model.md, Real figures: more than 40 liver deaths a day in the UK (British \
            Liver Trust), about 220 per million a year";
        need_heart_per_million: f64 = 300.0, "people per million a year", Assumption, [0.0, 100000.0],
            "New patients a year who need a heart",
            "docs/model.md, Real figures: 200,000 new heart failure diagnoses a year in the UK \
            (about 3,000 per million); a tenth assumed advanced";
        need_lung_per_million: f64 = 100.0, "people per million a year", Assumption, [0.0, 100000.0],
            "New patients a year who need a lung",
            "assumption: a third of the heart figure, as lung and heart transplants are of like \
            number today (NHSBT; docs/model.md, Real figures)";
        need_pancreas_per_million: f64 = 40.0, "people per million a year", Assumption, [0.0, 100000.0],
            "New patients a year who need a pancreas",
            "assumption: scaled from pancreas against kidney transplants today (NHSBT, 261 \
            against 3,257; docs/model.md, Real figures)";
        waiting_death_rate_kidney: f64 = 0.10, "per year", Assumption, [0.0, 10.0],
            "Yearly risk of dying while waiting for a kidney (dialysis bridges the wait)",
            "docs/model.md, Real figures: about 400 of 7,000 listed die a year today (NHSBT), \
            raised for an unselected list";
        waiting_death_rate_liver: f64 = 0.50, "per year", Assumption, [0.0, 10.0],
            "Yearly risk of dying while waiting for a liver",
            "assumption: no bridge therapy; the liver deaths of docs/model.md, Real figures";
        waiting_death_rate_heart: f64 = 0.50, "per year", Assumption, [0.0, 10.0],
            "Yearly risk of dying while waiting for a heart",
            "assumption: advanced heart failure";
        waiting_death_rate_lung: f64 = 0.40, "per year", Assumption, [0.0, 10.0],
            "Yearly risk of dying while waiting for a lung",
            "assumption";
        waiting_death_rate_pancreas: f64 = 0.05, "per year", Assumption, [0.0, 10.0],
            "Yearly risk of dying while waiting for a pancreas (insulin bridges the wait)",
            "assumption";
        life_years_kidney: f64 = 4.4, "life-years per transplant", Assumption, [0.0, 100.0],
            "Life-years a recipient gains from a kidney",
            "docs/model.md, Real figures: Rana, JAMA Surgery 2015";
        life_years_liver: f64 = 4.3, "life-years per transplant", Assumption, [0.0, 100.0],
            "Life-years a recipient gains from a liver",
            "docs/model.md, Real figures: Rana, JAMA Surgery 2015";
        life_years_heart: f64 = 4.9, "life-years per transplant", Assumption, [0.0, 100.0],
            "Life-years a recipient gains from a heart",
            "docs/model.md, Real figures: Rana, JAMA Surgery 2015";
        life_years_lung: f64 = 2.6, "life-years per transplant", Assumption, [0.0, 100.0],
            "Life-years a recipient gains from a lung",
            "docs/model.md, Real figures: Rana, JAMA Surgery 2015";
        life_years_pancreas: f64 = 2.4, "life-years per transplant", Assumption, [0.0, 100.0],
            "Life-years a recipient gains from a pancreas",
            "docs/model.md, Real figures: Rana, JAMA Surgery 2015";
    }

    /// The deferral rumour (docs/model.md §8).
    [deferral: Deferral] {
        rumour_belief_share: f64 = 0.7, "share of couples", Assumption, [0.0, 1.0],
            "Share of Hailsham couples, told nothing, who believe the rumour; scaled down by how much they were told",
            "docs/model.md §8: the rumour of deferrals for couples in love (Graeme Shimmin; The \
            Comenian; Vulpes Libris)";
        rumour_reach_other_homes: f64 = 0.001, "ratio", Assumption, [0.0, 1.0],
            "How far the rumour reaches couples not both from Hailsham, against Hailsham couples (it is rarely heard elsewhere)",
            "docs/model.md §8: the rumour was thought to apply to Hailsham couples only (novel \
            ch. 13, 16), and only Hailsham students could find Madame (ch. 22); small enough that \
            at least three in four couples who ask are from Hailsham";
        application_share: f64 = 0.5, "share of believers", Assumption, [0.0, 1.0],
            "Share of believing couples who apply for a deferral",
            "assumption; the narrator and her friend apply (novel ch. 22)";
        apply_at_donation: i64 = 3, "donations", Novel, [0, 4],
            "A believing couple applies when one of them has made this many donations (0: on becoming a donor)",
            "the narrator and her friend apply after his third donation (novel ch. 21-22)";
        granted: bool = false, "flag", Canon, [0, 1],
            "Whether deferrals are really granted",
            "docs/model.md §8: the rumour is false; there never were deferrals (Graeme Shimmin; \
            novel ch. 22)";
        deferral_years: f64 = 3.0, "years", Canon, [0.0, 50.0],
            "Length of a deferral, where granted: donations wait this long",
            "docs/model.md §8: a deferral of a few years (The Comenian; Vulpes Libris)";
    }

    /// Escape (docs/model.md §10): clones out in the world could run, since nobody outside
    /// recognised them (§4); in the novel none does.
    [escape: Escape] {
        rate_per_year: f64 = 0.0, "per year", Canon, [0.0, 10.0],
            "Yearly rate at which a veteran or carer who was told everything runs away; scaled by how much they were told",
            "docs/model.md §10: nobody runs in the novel, which the commenters on Vulpes Libris \
            ask about";
        found_share: f64 = 0.9, "share of escapes", Assumption, [0.0, 1.0],
            "Share of those who run who are found and brought back, to become donors at once",
            "assumption: a country that keeps the programme secret hunts for those who leave it";
        found_days_mean: f64 = 180.0, "days", Assumption, [1.0, 36500.0],
            "Mean time (exponential) until a clone who ran is found",
            "assumption";
    }

    /// Blood-group matching between donor and recipient (docs/model.md §12; Real figures).
    [matching: Matching] {
        enabled: bool = false, "flag", Assumption, [0, 1],
            "Whether an organ must match the recipient's ABO blood group; a donation waits until someone compatible waits for it",
            "docs/model.md §12, §13 `matching` (a commenter on Vulpes Libris); the novel never \
            mentions matching";
        share_o: f64 = 0.44, "share", Assumption, [0.0, 1.0],
            "Share of group O among clones and patients",
            "docs/model.md, Real figures: UK ABO, O 44% (Welsh Blood Service)";
        share_a: f64 = 0.42, "share", Assumption, [0.0, 1.0],
            "Share of group A",
            "docs/model.md, Real figures: UK ABO, A 42%";
        share_b: f64 = 0.10, "share", Assumption, [0.0, 1.0],
            "Share of group B",
            "docs/model.md, Real figures: UK ABO, B 10%";
        share_ab: f64 = 0.04, "share", Assumption, [0.0, 1.0],
            "Share of group AB",
            "docs/model.md, Real figures: UK ABO, AB 4%";
    }

    /// Organs grown by another technology (docs/model.md §11; `grown-organs`, §13).
    [grown: Grown] {
        enabled: bool = false, "flag", Assumption, [0, 1],
            "Whether organs grown without clones become available",
            "docs/model.md §11, §13 `grown-organs` (a commenter on Vulpes Libris): a society that \
            can clone could grow organs";
        start_year: i64 = 2005, "year", Assumption, [1900, 2300],
            "First year grown organs serve patients; no clone born from this year on is created",
            "assumption";
        ramp_years: f64 = 10.0, "years", Assumption, [0.0, 100.0],
            "Years over which grown organs come to serve their full share of new patients",
            "assumption";
        coverage: f64 = 1.0, "share of new patients", Assumption, [0.0, 1.0],
            "Share of new patients grown organs serve once fully available",
            "assumption";
    }

    /// Society: the outsiders who know what the clones are (docs/model.md §9).
    [society: Society] {
        medical_staff_per_bed: f64 = 1.0, "people per bed", Assumption, [0.0, 100.0],
            "Medical staff per recovery-centre bed in use; they all know what the donors are",
            "docs/model.md §9: medical staff know (assumption for the number)";
        outsiders_met_per_year: f64 = 20.0, "people a year", Assumption, [0.0, 10000.0],
            "Outsiders a veteran or carer meets closely enough to be recognised each year",
            "docs/model.md §4, §5: residents travel; carers drive the country (Vulpes Libris; The \
            Independent)";
        recognition_share: f64 = 0.0, "probability", Canon, [0.0, 1.0],
            "Chance that an outsider who meets a clone realises what they are",
            "docs/model.md §4: nobody outside recognised them as clones (a commenter on Vulpes \
            Libris)";
        spread_per_year: f64 = 0.0, "people a year", Assumption, [0.0, 1000.0],
            "Others each knowing outsider tells each year (among those who do not know yet)",
            "docs/model.md §9: people prefer not to ask (Vulpes Libris; The Paladin Pages): \
            nobody spreads it";
        life_expectancy_years: f64 = 81.25, "years", Assumption, [0.0, 150.0],
            "Life expectancy at birth of the country's people, against which a clone's life-years lost are counted (life expectancy less the age at completion)",
            "docs/model.md, Real figures: ONS national life tables, 79.4 years for men and 83.1 \
            for women (2017-19), their mean";
        forgetting_per_year: f64 = 0.02, "per year", Assumption, [0.0, 1.0],
            "Yearly share of knowing members of the public who die, emigrate or stop believing",
            "assumption: about one in fifty a year, an adult's remaining lifetime";
    }
}

/// The longest run, in years: every date of a life fits in 16 bits of days since birth.
pub const RUN_YEARS_MAX: i64 = 179;

/// The most half-way houses a run can have: a clone's house is kept in 16 bits, with
/// `u16::MAX` for none, so indices run from 0 to 65,534. The ranges of `houses_hailsham` and
/// `houses_other` keep their sum below it; the rule in [`Params::problems`] guards callers that
/// build [`Params`] without [`Params::set`].
pub const HALFWAY_HOUSES_MAX: i64 = u16::MAX as i64;

/// The problems [`Params::problems`]'s rules find, in the order the rules run.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    /// Records `message` about `keys` unless the rule holds (`ok`).
    fn check(&mut self, ok: bool, keys: &[(&'static str, &'static str)], message: String) {
        if !ok {
            self.0.push(Problem {
                keys: keys.to_vec(),
                message,
            });
        }
    }
}

impl Params {
    /// Checks the rules that tie parameters together. An empty list means the set is coherent.
    #[must_use]
    pub fn problems(&self) -> Vec<Problem> {
        // Section by section, in this order: the order in which problems are reported.
        let mut problems = Problems::default();
        self.check_time(&mut problems);
        self.check_homes(&mut problems);
        self.check_halfway(&mut problems);
        self.check_care(&mut problems);
        self.check_donation(&mut problems);
        self.check_matching(&mut problems);
        self.check_clones_fit(&mut problems);
        self.check_deferral(&mut problems);
        problems.0
    }

    /// A run ends after it starts, within the years a life's dates can hold.
    fn check_time(&self, problems: &mut Problems) {
        let time = &self.time;
        problems.check(
            time.end_year > time.start_year,
            &[("time", "end_year"), ("time", "start_year")],
            format!(
                "end_year ({}) must come after start_year ({})",
                time.end_year, time.start_year
            ),
        );
        problems.check(
            time.end_year - time.start_year <= RUN_YEARS_MAX,
            &[("time", "end_year"), ("time", "start_year")],
            format!(
                "a run may last at most {RUN_YEARS_MAX} years (dates of a life are kept as days since birth in 16 bits); {} to {} is {}",
                time.start_year,
                time.end_year,
                time.end_year - time.start_year
            ),
        );
    }

    /// The humane homes' shares fit in a cohort; clones enter a home before they leave it.
    fn check_homes(&self, problems: &mut Problems) {
        let homes = &self.homes;
        problems.check(
            homes.hailsham_share + homes.humane_other_share <= 1.0,
            &[("homes", "humane_other_share"), ("homes", "hailsham_share")],
            format!(
                "hailsham_share + humane_other_share is {}; the humane homes cannot take more than the whole cohort",
                homes.hailsham_share + homes.humane_other_share
            ),
        );
        problems.check(
            homes.home_entry_age_years < homes.leave_age_years,
            &[
                ("homes", "home_entry_age_years"),
                ("homes", "leave_age_years"),
            ],
            format!(
                "home_entry_age_years ({}) must be below leave_age_years ({})",
                homes.home_entry_age_years, homes.leave_age_years
            ),
        );
    }

    /// The houses fit in 16 bits; the stay's triangle is ordered.
    fn check_halfway(&self, problems: &mut Problems) {
        let halfway = &self.halfway;
        problems.check(
            halfway.houses_hailsham.saturating_add(halfway.houses_other) <= HALFWAY_HOUSES_MAX,
            &[("halfway", "houses_other"), ("halfway", "houses_hailsham")],
            format!(
                "houses_hailsham + houses_other is {}; a run can tell at most {HALFWAY_HOUSES_MAX} half-way houses apart (a clone's house is kept in 16 bits)",
                halfway.houses_hailsham.saturating_add(halfway.houses_other)
            ),
        );
        problems.check(
            halfway.stay_years_min <= halfway.stay_years_mode
                && halfway.stay_years_mode <= halfway.stay_years_max,
            &[
                ("halfway", "stay_years_mode"),
                ("halfway", "stay_years_min"),
                ("halfway", "stay_years_max"),
            ],
            format!(
                "stay years must satisfy min <= mode <= max; got {} <= {} <= {}",
                halfway.stay_years_min, halfway.stay_years_mode, halfway.stay_years_max
            ),
        );
    }

    /// The career's triangle is ordered.
    fn check_care(&self, problems: &mut Problems) {
        let care = &self.care;
        problems.check(
            care.career_years_min <= care.career_years_mode
                && care.career_years_mode <= care.career_years_max,
            &[
                ("care", "career_years_mode"),
                ("care", "career_years_min"),
                ("care", "career_years_max"),
            ],
            format!(
                "career years must satisfy min <= mode <= max; got {} <= {} <= {}",
                care.career_years_min, care.career_years_mode, care.career_years_max
            ),
        );
    }

    /// The living donations' shares make a whole; recovery fits in the interval between
    /// donations; there is a bed; child donors start in the home.
    fn check_donation(&self, problems: &mut Problems) {
        let (donation, homes) = (&self.donation, &self.homes);
        let living = donation.living_share_kidney
            + donation.living_share_liver
            + donation.living_share_lung
            + donation.living_share_pancreas;
        problems.check(
            (living - 1.0).abs() < 1e-6,
            &[
                ("donation", "living_share_kidney"),
                ("donation", "living_share_liver"),
                ("donation", "living_share_lung"),
                ("donation", "living_share_pancreas"),
            ],
            format!("the living_share_* keys must add up to 1; they add up to {living}"),
        );
        problems.check(
            donation.interval_days_mean >= donation.recovery_days_min,
            &[
                ("donation", "interval_days_mean"),
                ("donation", "recovery_days_min"),
            ],
            format!(
                "interval_days_mean ({}) cannot be shorter than recovery_days_min ({})",
                donation.interval_days_mean, donation.recovery_days_min
            ),
        );
        problems.check(
            donation.recovery_beds_per_million * homes.population_millions >= 1.0,
            &[
                ("donation", "recovery_beds_per_million"),
                ("homes", "population_millions"),
            ],
            "recovery_beds_per_million x population_millions gives less than one bed".to_string(),
        );
        problems.check(
            !donation.child_donors || donation.child_donor_age_years < homes.leave_age_years,
            &[
                ("donation", "child_donor_age_years"),
                ("homes", "leave_age_years"),
            ],
            format!(
                "child_donor_age_years ({}) must be below leave_age_years ({}): child donors start in the home",
                donation.child_donor_age_years, homes.leave_age_years
            ),
        );
        problems.check(
            !donation.child_donors || donation.child_donor_age_years > homes.home_entry_age_years,
            &[
                ("donation", "child_donor_age_years"),
                ("homes", "home_entry_age_years"),
            ],
            format!(
                "child_donor_age_years ({}) must be above home_entry_age_years ({})",
                donation.child_donor_age_years, homes.home_entry_age_years
            ),
        );
    }

    /// The blood groups' shares make a whole.
    fn check_matching(&self, problems: &mut Problems) {
        let matching = &self.matching;
        let groups = matching.share_o + matching.share_a + matching.share_b + matching.share_ab;
        problems.check(
            (groups - 1.0).abs() < 1e-6,
            &[
                ("matching", "share_o"),
                ("matching", "share_a"),
                ("matching", "share_b"),
                ("matching", "share_ab"),
            ],
            format!("the blood-group shares must add up to 1; they add up to {groups}"),
        );
    }

    /// The clones a run can create fit in the slots a `PackedEvent` can name.
    fn check_clones_fit(&self, problems: &mut Problems) {
        let time = &self.time;
        // No cohort is larger than a full one, plus one for rounding: a bound on the clones a
        // run creates, and so on the slots it uses.
        let years = time.end_year - time.start_year + 1;
        #[allow(clippy::cast_precision_loss)]
        let created_most = (crate::homes::cohort_full(self) + 1.0) * years as f64;
        problems.check(
            created_most < f64::from(crate::world::SLOTS_MAX),
            &[("homes", "population_millions"), ("time", "end_year")],
            format!(
                "this run could create up to {created_most:.0} clones, more than the {} a run can hold; lower population_millions or shorten the run",
                crate::world::SLOTS_MAX
            ),
        );
    }

    /// Someone is left to apply for a deferral before the last donation.
    fn check_deferral(&self, problems: &mut Problems) {
        let (deferral, donation) = (&self.deferral, &self.donation);
        problems.check(
            deferral.apply_at_donation < donation.donations_max,
            &[
                ("deferral", "apply_at_donation"),
                ("donation", "donations_max"),
            ],
            format!(
                "apply_at_donation ({}) must be below donations_max ({}): nobody is left to apply after the last",
                deferral.apply_at_donation, donation.donations_max
            ),
        );
    }

    /// The spec of `section.key`, if it exists.
    #[must_use]
    pub fn spec(section: &str, key: &str) -> Option<&'static ParamSpec> {
        SPECS
            .iter()
            .find(|spec| spec.section == section && spec.key == key)
    }

    /// The description of table `section` on one line, if the table exists.
    #[must_use]
    pub fn section_doc(section: &str) -> Option<String> {
        SECTION_DOCS
            .iter()
            .find(|(name, _)| *name == section)
            .map(|(_, doc)| doc.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The table names, in order.
    #[must_use]
    pub fn sections() -> Vec<&'static str> {
        let mut sections: Vec<&'static str> = Vec::new();
        for spec in SPECS {
            if sections.last() != Some(&spec.section) {
                sections.push(spec.section);
            }
        }
        sections
    }

    /// Every parameter as (spec, value), in table order.
    pub fn values(&self) -> impl Iterator<Item = (&'static ParamSpec, Value)> + '_ {
        SPECS.iter().map(|spec| {
            (
                spec,
                self.get(spec.section, spec.key)
                    .expect("every spec has a field"),
            )
        })
    }

    /// A stable text of every value, one `section.key = value` a line: what the scenario hash
    /// is taken over, so two files that resolve to the same parameters hash alike.
    #[must_use]
    pub fn canonical_text(&self) -> String {
        let mut text = String::new();
        for (spec, value) in self.values() {
            text.push_str(&format!("{}.{} = {}\n", spec.section, spec.key, value));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn novel_defaults_are_coherent_and_in_range() {
        let params = Params::default();
        assert_eq!(params.problems(), Vec::<Problem>::new());
        for (spec, value) in params.values() {
            let mut copy = params.clone();
            assert_eq!(
                copy.set(spec.section, spec.key, value),
                Ok(()),
                "{} default out of range",
                spec.path()
            );
        }
    }

    #[test]
    fn specs_are_unique_and_documented() {
        for (i, a) in SPECS.iter().enumerate() {
            assert!(
                !a.meaning.is_empty() && !a.source.is_empty() && !a.unit.is_empty(),
                "{}",
                a.path()
            );
            assert!(a.min <= a.max, "{}", a.path());
            for b in &SPECS[i + 1..] {
                assert!(a.path() != b.path(), "duplicate {}", a.path());
            }
        }
        assert!(Params::sections().contains(&"care"));
    }

    #[test]
    fn set_checks_type_and_range() {
        let mut params = Params::default();
        assert_eq!(params.set("care", "carer_share", Value::Float(0.5)), Ok(()));
        assert_eq!(params.care.carer_share, 0.5);
        assert_eq!(
            params.set("care", "carer_share", Value::Int(1)),
            Ok(()),
            "integers are numbers"
        );
        assert_eq!(
            params.set("care", "carer_share", Value::Bool(true)),
            Err(SetError::WrongType {
                expected: Kind::Float
            })
        );
        assert_eq!(
            params.set("care", "carer_share", Value::Float(1.5)),
            Err(SetError::OutOfRange { min: 0.0, max: 1.0 })
        );
        assert_eq!(
            params.set("care", "carer_share", Value::Float(f64::NAN)),
            Err(SetError::OutOfRange { min: 0.0, max: 1.0 })
        );
        assert_eq!(
            params.set("donation", "donations_max", Value::Float(3.0)),
            Err(SetError::WrongType {
                expected: Kind::Int
            })
        );
        assert_eq!(
            params.set("care", "nope", Value::Int(1)),
            Err(SetError::UnknownKey)
        );
    }

    /// Every range's ends, one key at a time, in a small country over a few years: what the
    /// rules accept runs without a panic (a range wider than a run can take shows here).
    #[test]
    fn every_range_end_the_rules_accept_runs() {
        let mut base = Params::default();
        base.homes.population_millions = 0.5;
        base.time.end_year = 1966;
        let mut ran = 0;
        for spec in SPECS {
            for end in [spec.min, spec.max] {
                #[allow(clippy::cast_possible_truncation)]
                let value = match spec.kind {
                    Kind::Float => Value::Float(end),
                    Kind::Int => Value::Int(end as i64),
                    Kind::Bool => Value::Bool(end != 0.0),
                };
                let mut params = base.clone();
                assert_eq!(
                    params.set(spec.section, spec.key, value),
                    Ok(()),
                    "{}",
                    spec.path()
                );
                if !params.problems().is_empty() {
                    continue;
                }
                let result = std::panic::catch_unwind(|| {
                    let _ = crate::Replicate::new(&params, 1, 0, ()).finish();
                });
                assert!(result.is_ok(), "{} = {value} panicked", spec.path());
                ran += 1;
            }
        }
        assert!(ran > SPECS.len(), "most ends run: {ran}");
    }

    #[test]
    fn cross_rules_name_their_keys() {
        let mut params = Params::default();
        params.care.career_years_mode = 20.0;
        let problems = params.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].keys[0], ("care", "career_years_mode"));
    }
}
