//! A life told in English: a small grammar over the life's announcements.
//!
//! The story walks the life in order and turns each episode (a childhood, a half-way house, a
//! career, the donations) into sentences. Each kind of sentence has several phrasings; which
//! one is said is drawn from the clone's id and the sentence's place in the story (so a story
//! is the same on every run), and what came before changes what follows: a year already named
//! is "that year", a house already named is "there", a carer already introduced is named
//! without introduction. Every sentence keeps the indices of the announcements it tells, for
//! `--explain`.

use std::collections::BTreeSet;

use hailsham_world::{DAYS_PER_YEAR, Day, Happening, HomeKind, Organ, PersonId, Release, Stage};

use crate::life::Life;
use crate::names::{Name, mix, name_of};

/// One sentence and the announcements it tells (indices into [`Life::events`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence, capitalised and ending in a full stop.
    pub text: String,
    /// The announcements it tells.
    pub sources: Vec<usize>,
}

/// A life as a short story: a title and paragraphs of sentences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Story {
    /// The clone's name and id, as a heading.
    pub title: String,
    /// Paragraphs, each a run of sentences: childhood, the half-way house, the carer's work,
    /// the donations and the end.
    pub paragraphs: Vec<Vec<Sentence>>,
}

impl Story {
    /// The story as plain text: the title, a blank line, the paragraphs separated by blank
    /// lines, each wrapped at `width` columns.
    #[must_use]
    pub fn to_text(&self, width: usize) -> String {
        let mut out = format!("{}\n", self.title);
        for paragraph in &self.paragraphs {
            out.push('\n');
            let text: Vec<&str> = paragraph.iter().map(|s| s.text.as_str()).collect();
            out.push_str(&wrap(&text.join(" "), width));
        }
        out
    }

    /// Words in the story (the title excluded).
    #[must_use]
    pub fn words(&self) -> usize {
        self.paragraphs
            .iter()
            .flatten()
            .map(|s| s.text.split_whitespace().count())
            .sum()
    }
}

/// `text` wrapped at `width` columns, each line ending in a newline.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let length = word.chars().count();
        if line > 0 && line + 1 + length > width {
            out.push('\n');
            line = 0;
        }
        if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += length;
    }
    out.push('\n');
    out
}

/// The months' names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const ORDINALS: [&str; 8] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
];

const NUMBERS: [&str; 13] = [
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

/// A small count in words, a larger one in digits.
fn count(n: usize) -> String {
    NUMBERS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

fn ordinal(n: u8) -> &'static str {
    ORDINALS
        .get(usize::from(n).saturating_sub(1))
        .copied()
        .unwrap_or("next")
}

fn organ_phrase(organ: Organ) -> &'static str {
    match organ {
        Organ::Kidney => "a kidney",
        Organ::Liver => "part of the liver",
        Organ::Heart => "the heart",
        Organ::Lung => "a lung",
        Organ::Pancreas => "the pancreas",
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Joins names as English does: `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What someone was to the clone when the story met them.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    /// A partner, at a half-way house or late.
    Partner,
    /// The clone's carer.
    Carer,
    /// A donor in the clone's care.
    Donor,
}

impl Role {
    fn words(self, her: &str) -> String {
        match self {
            Role::Partner => format!("once {her} partner"),
            Role::Carer => format!("once {her} carer"),
            Role::Donor => format!("once one of {her} donors"),
        }
    }
}

/// The teller: the life, the clone's name, and what has been said so far.
struct Teller<'a> {
    life: &'a Life,
    name: Name,
    draws: u64,
    /// The year the last sentence named, so the next can say "that year".
    year: Option<i32>,
    /// The latest year any sentence has reached: a later sentence about an earlier year says
    /// it is looking back ("back in 1974"), so that time never runs backwards unannounced.
    latest: Option<i32>,
    /// People already introduced: named again without "from Hailsham" or "a carer".
    introduced: BTreeSet<PersonId>,
    /// What each person was when the story first met them, and the roles they have been
    /// recalled in since: one who returns as something else is recalled by who they were
    /// ("Tommy, once her partner,"), once.
    roles: std::collections::BTreeMap<PersonId, Role>,
    recalled: BTreeSet<(PersonId, Role)>,
    paragraphs: Vec<Vec<Sentence>>,
    current: Vec<Sentence>,
}

impl<'a> Teller<'a> {
    fn new(life: &'a Life) -> Teller<'a> {
        let own = life.own();
        let name = name_of(own.lineage);
        let mut introduced = BTreeSet::new();
        introduced.insert(life.person);
        Teller {
            life,
            name,
            draws: 0,
            year: None,
            latest: None,
            introduced,
            roles: std::collections::BTreeMap::new(),
            recalled: BTreeSet::new(),
            paragraphs: Vec::new(),
            current: Vec::new(),
        }
    }

    /// One of `n` phrasings: drawn from the id and the count of draws so far.
    fn pick(&mut self, n: usize) -> usize {
        self.draws += 1;
        let hash = mix(self.life.lineage.key().wrapping_mul(0x1000_0000_01b3) ^ self.draws);
        (hash % n as u64) as usize
    }

    fn say(&mut self, text: String, sources: Vec<usize>) {
        // A name introduced with its home ends in a comma ("Tommy D., from Hailsham,"), which
        // gives way to whatever stop follows it.
        let text = text
            .replace(",.", ".")
            .replace(",;", ";")
            .replace(",:", ":")
            .replace(",,", ",");
        let mut text = capitalise(text.trim().trim_end_matches(','));
        if !text.ends_with('.') {
            text.push('.');
        }
        self.current.push(Sentence { text, sources });
    }

    fn paragraph(&mut self) {
        if !self.current.is_empty() {
            self.paragraphs.push(std::mem::take(&mut self.current));
        }
    }

    fn year_of(&self, day: Day) -> i32 {
        self.life.calendar.year_of(day)
    }

    /// When something happened, relative to what was last said: "that same year", "in the
    /// spring of 1979", "in March 1979".
    ///
    /// A day in a year before the latest the story has reached is told as looking back:
    /// "back in the autumn of 1974", "earlier, in 1974".
    fn when(&mut self, day: Day) -> String {
        let (year, month, _) = self.life.calendar.date_of(day);
        let said = self.year;
        self.year = Some(year);
        let back = self.latest.is_some_and(|latest| year < latest);
        self.latest = Some(self.latest.map_or(year, |latest| latest.max(year)));
        if said == Some(year) && !back {
            return ["that same year", "later that year", "that year"][self.pick(3)].to_string();
        }
        let month_name = MONTHS[(month as usize).saturating_sub(1).min(11)];
        let season = match month {
            3..=5 => "spring",
            6..=8 => "summer",
            9..=11 => "autumn",
            _ => "winter",
        };
        if back {
            return match self.pick(3) {
                0 => format!("back in {month_name} {year}"),
                1 => format!("back in the {season} of {year}"),
                _ => format!("earlier, in {year}"),
            };
        }
        match self.pick(3) {
            0 => format!("in {month_name} {year}"),
            1 => format!("in the {season} of {year}"),
            _ => format!("in {year}"),
        }
    }

    fn age(&self, day: Day) -> u32 {
        let birth = self.life.own().birth;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let years = (f64::from(day.since(birth)) / DAYS_PER_YEAR) as u32;
        years
    }

    /// Another clone's name as `role` (see [`Teller::person`]); one met before as something
    /// else is recalled by who they were, the first time they return as this.
    fn person_as(&mut self, id: PersonId, role: Role) -> String {
        let first_met = *self.roles.entry(id).or_insert(role);
        let name = self.person(id);
        if first_met != role && self.recalled.insert((id, role)) {
            let her = self.name.possessive();
            let name = name.trim_end_matches(',');
            return format!("{name}, {},", first_met.words(her));
        }
        name
    }

    /// Another clone's name, introduced the first time: "Tommy D., from Hailsham".
    fn person(&mut self, id: PersonId) -> String {
        let Some(fact) = self.life.fact(id) else {
            return format!("clone {id}");
        };
        let name = name_of(fact.lineage);
        if !self.introduced.insert(id) {
            return name.first.to_string();
        }
        let own = self.life.own();
        if fact.home == HomeKind::Hailsham && own.home == HomeKind::Hailsham {
            format!("{name}, from Hailsham,")
        } else {
            name.to_string()
        }
    }

    fn home_phrase(&mut self, home: HomeKind) -> &'static str {
        match home {
            HomeKind::Hailsham => [
                "at Hailsham",
                "at Hailsham, in the countryside of the south",
            ][self.pick(2)],
            HomeKind::HumaneOther => [
                "at one of the other humane homes like Hailsham",
                "at a small humane home",
            ][self.pick(2)],
            HomeKind::Government => [
                "in one of the large government homes",
                "in a government home, far from anything like Hailsham",
            ][self.pick(2)],
        }
    }
}

/// Tells `life` as a short story.
#[must_use]
pub fn tell(life: &Life) -> Story {
    let mut t = Teller::new(life);
    let title = format!("{} (clone {})", t.name, life.person);
    // One paragraph for each part of a life, told in this order: the draws that vary the
    // wording follow it, so the same life is always told in the same words.
    for part in [childhood, halfway_house, care, donations] {
        part(&mut t, life);
        t.paragraph();
    }
    Story {
        title,
        paragraphs: t.paragraphs,
    }
}

/// Childhood: born, grown up at a home, the Gallery, a transfer when the humane homes
/// closed, leaving at sixteen.
fn childhood(t: &mut Teller<'_>, life: &Life) {
    let events = &life.events;
    let own = life.own();
    let she = t.name.subject();
    let her = t.name.possessive();
    let created = events
        .iter()
        .position(|(_, h)| matches!(h, Happening::Created { .. }));
    if let Some(index) = created {
        let (year, month, _) = life.calendar.date_of(own.birth);
        let home = t.home_phrase(own.home);
        let text = match t.pick(2) {
            0 => format!(
                "{} was born in {} {year} and grew up {home}",
                t.name,
                MONTHS[(month as usize).saturating_sub(1).min(11)]
            ),
            _ => format!("{} grew up {home}, born in {year}", t.name),
        };
        t.year = Some(year);
        t.say(text, vec![index]);
    }
    let pieces: Vec<usize> = indices(events, |h| matches!(h, Happening::GalleryPiece { .. }));
    if let Some(&first) = pieces.first() {
        let day = events[first].0;
        let when = t.when(day);
        let text = if pieces.len() == 1 {
            [
                format!("{when} Madame took one of {her} pictures away for the Gallery"),
                format!(
                    "{when}, to {her} surprise, Madame chose a piece of {her} work for the Gallery"
                ),
            ][t.pick(2)]
            .clone()
        } else {
            format!(
                "Madame took {} pieces of {her} work for the Gallery, the first {when}",
                count(pieces.len())
            )
        };
        t.say(text, pieces);
    }
    if let Some(index) = position(events, |h| matches!(h, Happening::Transferred { .. })) {
        let when = t.when(events[index].0);
        t.say(
            format!("when the humane homes closed, {when}, {she} was moved to a government home"),
            vec![index],
        );
    }
    if let Some(index) = position(events, |h| matches!(h, Happening::LeftHome { .. })) {
        let (day, Happening::LeftHome { house, tokens, .. }) = &events[index] else {
            unreachable!("matched above");
        };
        let when = t.when(*day);
        let place = life.places.house(*house).to_string();
        let mut text = match t.pick(2) {
            0 => format!("{when}, at sixteen, {she} left for {place}"),
            _ => format!("at sixteen {she} went to live at {place}, {when}"),
        };
        if own.home == HomeKind::Hailsham && *tokens > 0 {
            text.push_str(&format!(
                ", taking {} tokens saved from the Exchanges",
                thousands(u64::from(*tokens))
            ));
        }
        t.say(text, vec![index]);
    }
}

/// The half-way house: couples formed and parted (many told as one sentence, so a long
/// life stays a short story), the search for a possible, the rumour of deferrals.
fn halfway_house(t: &mut Teller<'_>, life: &Life) {
    let events = &life.events;
    let she = t.name.subject();
    let her = t.name.possessive();
    // The half-way house. Many couples are told as one sentence, so a long life stays a
    // short story.
    let couples = indices(events, |h| {
        matches!(
            h,
            Happening::CoupleFormed { .. } | Happening::CoupleParted { .. }
        )
    });
    let formed: Vec<usize> = couples
        .iter()
        .copied()
        .filter(|&i| matches!(events[i].1, Happening::CoupleFormed { .. }))
        .collect();
    let many = formed.len() > 2;
    if many {
        let partner_of = |i: usize| match events[i].1 {
            Happening::CoupleFormed { first, second, .. } => {
                if first == life.person {
                    second
                } else {
                    first
                }
            }
            _ => life.person,
        };
        let (first, last) = (formed[0], formed[formed.len() - 1]);
        let when = t.when(events[first].0);
        let first_name = t.person_as(partner_of(first), Role::Partner);
        let last_name = t.person_as(partner_of(last), Role::Partner);
        let last_year = t.year_of(events[last].0);
        t.year = Some(last_year);
        t.latest = Some(t.latest.map_or(last_year, |latest| latest.max(last_year)));
        t.say(
            format!(
                "{when} {she} and {first_name} became a couple, the first of {} partners; the last, from {last_year}, was {last_name}",
                count(formed.len())
            ),
            couples.clone(),
        );
    }
    for (index, (day, happening)) in events.iter().enumerate() {
        if many && couples.contains(&index) {
            continue;
        }
        match *happening {
            Happening::CoupleFormed { first, second, .. } => {
                let partner = if first == life.person { second } else { first };
                let when = t.when(*day);
                let partner = t.person_as(partner, Role::Partner);
                let text = match t.pick(3) {
                    0 => format!("{when} {she} and {partner} became a couple"),
                    1 => format!("{when} {she} started going with {partner}"),
                    _ => format!("{when} {partner} became {her} partner"),
                };
                t.say(text, vec![index]);
            }
            Happening::CoupleParted { first, second, .. } => {
                let partner = if first == life.person { second } else { first };
                let when = t.when(*day);
                let partner = t.person_as(partner, Role::Partner);
                let text = match t.pick(2) {
                    0 => format!("{when} {she} and {partner} split up"),
                    _ => format!("it ended with {partner} {when}"),
                };
                t.say(text, vec![index]);
            }
            Happening::PossibleSearched { sighted, .. } => {
                let when = t.when(*day);
                let text = if sighted {
                    format!(
                        "{when} {she} went looking for {her} possible, and someone was seen who might have been the one {she} was copied from"
                    )
                } else {
                    format!("{when} {she} went looking for {her} possible, and found nobody")
                };
                t.say(text, vec![index]);
            }
            Happening::RumourBelieved { partner, .. } => {
                let partner = t.person_as(partner, Role::Partner);
                let text = [
                    format!(
                        "{she} and {partner} came to believe the rumour: that a couple truly in love could have their donations put off for a few years"
                    ),
                    format!(
                        "like others before them, {she} and {partner} heard of deferrals for couples in love, and believed it"
                    ),
                    format!(
                        "because they were in love, {she} and {partner} let themselves believe what the older ones whispered: that couples like them could be given a few years more"
                    ),
                    format!(
                        "{she} and {partner} heard talk of deferrals, and, though nobody could say who had ever had one, they believed it"
                    ),
                    format!(
                        "the rumour reached {she} and {partner} too: a couple who could prove they were truly in love might put off their donations, so they held on to it"
                    ),
                ][t.pick(5)]
                .clone();
                t.say(text, vec![index]);
            }
            _ => {}
        }
    }
}

/// The carer's work: training, qualifying, the donors cared for, the career's end.
fn care(t: &mut Teller<'_>, life: &Life) {
    let events = &life.events;
    let she = t.name.subject();
    let her = t.name.possessive();
    if let Some(index) = position(events, |h| matches!(h, Happening::TrainingBegan { .. })) {
        let when = t.when(events[index].0);
        let text = match t.pick(4) {
            0 => format!("{when} {she} left to train as a carer"),
            1 => format!("{when} {she} put in for carer training, and left"),
            2 => format!("{her} training as a carer began {when}"),
            _ => format!("{when} {she} was sent to train as a carer"),
        };
        t.say(text, vec![index]);
    }
    if let Some(index) = position(events, |h| matches!(h, Happening::CarerQualified { .. })) {
        let (day, Happening::CarerQualified { town, .. }) = &events[index] else {
            unreachable!("matched above");
        };
        let when = t.when(*day);
        let town = life.places.centre(*town);
        let text = match t.pick(2) {
            0 => format!("{when} {she} started work as a carer, from a bedsit in {town}"),
            _ => format!("from a bedsit in {town} {she} began work as a carer {when}"),
        };
        t.say(text, vec![index]);
    }
    donors_cared_for(t, life);
    if let Some(index) = position(events, |h| matches!(h, Happening::CareerEnded { .. })) {
        let (
            day,
            Happening::CareerEnded {
                career_days,
                km,
                why,
                ..
            },
        ) = &events[index]
        else {
            unreachable!("matched above");
        };
        let years = f64::from(*career_days) / DAYS_PER_YEAR;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (whole, km) = (years.round() as usize, km.round() as u64);
        let span = if whole <= 1 {
            "barely a year".to_string()
        } else {
            format!("{} years", count(whole))
        };
        let when = t.when(*day);
        let text = match why {
            Release::CarerRan => format!("after {span} of it, {when}, {she} ran"),
            _ => match t.pick(2) {
                _ if km == 0 => format!(
                    "{when}, after {span} with no donor of {her} own to care for, {she} was given {her} notice"
                ),
                0 => format!(
                    "{when}, after {span} and {} km of driving, {she} was given {her} notice",
                    thousands(km)
                ),
                _ => format!(
                    "{her} notice came {when}, after {span} as a carer and {} km on the roads",
                    thousands(km)
                ),
            },
        };
        t.say(text, vec![index]);
    }
}

/// The donors a carer looked after: how many, in which towns, and the friends the carer
/// asked for (with one who completed in their care).
fn donors_cared_for(t: &mut Teller<'_>, life: &Life) {
    let events = &life.events;
    let she = t.name.subject();
    let her = t.name.possessive();
    let assigned = indices(
        events,
        |h| matches!(h, Happening::CarerAssigned { carer, .. } if *carer == life.person),
    );
    if assigned.is_empty() {
        return;
    }
    let mut towns: Vec<&str> = Vec::new();
    let mut friends: Vec<(PersonId, usize)> = Vec::new();
    for &index in &assigned {
        if let Happening::CarerAssigned {
            donor, centre, how, ..
        } = events[index].1
        {
            let town = life.places.centre(centre);
            if !towns.contains(&town) {
                towns.push(town);
            }
            if how.chosen() && !friends.iter().any(|(d, _)| *d == donor) {
                friends.push((donor, index));
            }
        }
    }
    // Partners, past or present, among the donors are told each on their own, whether the
    // carer asked for them or was given them, with their completion in her care: for a
    // carer, nothing in the work matters more (the novel's narrator and Tommy, ch. 20-23).
    let partners: BTreeSet<PersonId> = events
        .iter()
        .filter_map(|(_, h)| match *h {
            Happening::CoupleFormed { first, second, .. } => {
                Some(if first == life.person { second } else { first })
            }
            _ => None,
        })
        .collect();
    let mut close: Vec<(PersonId, usize)> = Vec::new();
    for &index in &assigned {
        if let Happening::CarerAssigned { donor, .. } = events[index].1
            && partners.contains(&donor)
            && !close.iter().any(|(d, _)| *d == donor)
        {
            close.push((donor, index));
        }
    }
    // The donors told on their own are cited there; the sentence of the work cites the rest
    // (and is left out when none is left, as for a carer whose only donor was her partner).
    let detailed: Vec<usize> = close
        .iter()
        .take(2)
        .map(|(_, index)| *index)
        .chain(
            friends
                .iter()
                .filter(|(donor, _)| !close.iter().any(|(d, _)| d == donor))
                .take(3)
                .map(|(_, index)| *index),
        )
        .collect();
    let rest: Vec<usize> = assigned
        .iter()
        .copied()
        .filter(|index| !detailed.contains(index))
        .collect();
    let shown: Vec<String> = towns.iter().take(4).map(|t| (*t).to_string()).collect();
    let places = if towns.len() > 4 {
        let others = towns.len() - 4;
        format!(
            "{} and {} other town{}",
            shown.join(", "),
            count(others),
            if others == 1 { "" } else { "s" }
        )
    } else {
        and_list(&shown)
    };
    let donors = assigned.len();
    let text = match t.pick(2) {
        0 => format!(
            "as a carer {she} looked after {} donor{}, at the recovery centre{} in {places}",
            count(donors),
            if donors == 1 { "" } else { "s" },
            if towns.len() == 1 { "" } else { "s" }
        ),
        _ if towns.len() == 1 => format!(
            "{she} cared for {} donor{} in all, at the recovery centre in {places}",
            count(donors),
            if donors == 1 { "" } else { "s" }
        ),
        _ => format!(
            "{she} cared for {} donor{} in all, driving between {places}",
            count(donors),
            if donors == 1 { "" } else { "s" }
        ),
    };
    if !rest.is_empty() {
        t.say(text, rest);
    }
    let in_care = |donor: PersonId| {
        events.iter().position(|(_, h)| {
            matches!(h, Happening::Completed { person, carer: Some(carer), .. }
                if *person == donor && *carer == life.person)
        })
    };
    for &(donor, index) in close.iter().take(2) {
        let (day, Happening::CarerAssigned { how, .. }) = &events[index] else {
            unreachable!("an assignment");
        };
        let when = t.when(*day);
        let name = t.person_as(donor, Role::Donor);
        let Some(other) = life.fact(donor).map(|fact| name_of(fact.lineage)) else {
            continue;
        };
        let why = if how.chosen() {
            format!("because {she} asked for {}", other.object())
        } else {
            "though nobody had asked".to_string()
        };
        let mut sources = vec![index];
        let mut text = format!("{when} {name} became one of {her} donors, {why}");
        if let Some(at) = in_care(donor) {
            let ended = t.when(events[at].0);
            text.push_str(&format!(
                "; {} completed in {her} care {ended}",
                other.subject()
            ));
            sources.push(at);
        }
        t.say(text, sources);
    }
    let friends: Vec<(PersonId, usize)> = friends
        .into_iter()
        .filter(|(donor, _)| !close.iter().any(|(d, _)| d == donor))
        .collect();
    if !friends.is_empty() {
        let mut names = Vec::new();
        let mut sources = Vec::new();
        let mut completed = Vec::new();
        for (donor, index) in friends.iter().take(3) {
            names.push(t.person_as(*donor, Role::Donor));
            sources.push(*index);
            if let (Some(at), Some(fact)) = (in_care(*donor), life.fact(*donor)) {
                completed.push(name_of(fact.lineage).first.to_string());
                sources.push(at);
            }
        }
        let mut text = if close.is_empty() {
            format!(
                "among them, because {she} asked for them, {}",
                and_list(&names)
            )
        } else {
            format!("{she} asked for others too: {}", and_list(&names))
        };
        match completed.len() {
            0 => {}
            1 => text.push_str(&format!("; {} completed while in {her} care", completed[0])),
            _ => text.push_str(&format!(
                "; {} completed while in {her} care",
                and_list(&completed)
            )),
        }
        t.say(text, sources);
    }
}

/// Donations, and the end. A carer's life also holds the donations of the donors in their
/// care (as their second party); those were told with the carer's work.
fn donations(t: &mut Teller<'_>, life: &Life) {
    let events = &life.events;
    let she = t.name.subject();
    let her = t.name.possessive();
    // Announcements already told with an earlier one.
    let mut told: Vec<usize> = Vec::new();
    // Donations, and the end. A carer's life also holds the donations of the donors in their
    // care (as their second party); those were told with the carer's work.
    for (index, (day, happening)) in events.iter().enumerate() {
        let own_or_shared = happening.person() == Some(life.person)
            || matches!(happening, Happening::DeferralAsked { .. });
        if !own_or_shared || told.contains(&index) {
            continue;
        }
        match *happening {
            Happening::BecameDonor { .. }
                if !events
                    .iter()
                    .any(|(_, h)| matches!(h, Happening::CareerEnded { .. })) =>
            {
                let when = t.when(*day);
                t.say(
                    format!("{when} {she} became a donor, at {}", t.age(*day)),
                    vec![index],
                );
            }
            Happening::WaitingForBed { .. } => {
                t.say(
                    format!(
                        "there was no bed for {} at first, and {she} waited",
                        t.name.object()
                    ),
                    vec![index],
                );
            }
            Happening::BedTaken { centre, .. } => {
                let town = life.places.centre(centre);
                // After a wait for a bed, the bed is what came: said so.
                let waited = index > 0
                    && matches!(events[index - 1].1, Happening::WaitingForBed { person } if person == life.person);
                let text = if waited {
                    let months = day.since(events[index - 1].0) / 30;
                    match (months, t.pick(2)) {
                        (0, _) => format!("within weeks a bed came free at {town}"),
                        (_, 0) => format!(
                            "a bed came free for {} at {town} after {} month{}",
                            t.name.object(),
                            count(months as usize),
                            if months == 1 { "" } else { "s" }
                        ),
                        _ => format!(
                            "{} month{} later a room at the recovery centre in {town} was ready for {}",
                            capitalise(&count(months as usize)),
                            if months == 1 { "" } else { "s" },
                            t.name.object()
                        ),
                    }
                } else {
                    match t.pick(5) {
                        0 => format!("{she} was given a room at the recovery centre in {town}"),
                        1 => format!("{her} recovery centre was at {town}"),
                        2 => format!("the centre they sent {} to was at {town}", t.name.object()),
                        3 => format!("{she} went into the recovery centre at {town}"),
                        _ => format!("{town} was where {her} recovery centre was"),
                    }
                };
                t.say(text, vec![index]);
            }
            Happening::DonationPostponed { .. } => postponed(t, life, index, &mut told),
            Happening::Donation { .. } => donation(t, life, index, &mut told),
            Happening::DeferralAsked {
                first,
                second,
                granted,
            } => {
                let partner = if first == life.person { second } else { first };
                let when = t.when(*day);
                let partner = t.person_as(partner, Role::Partner);
                let text = if granted {
                    format!("{when} {she} and {partner} asked for a deferral, and were given it")
                } else {
                    match t.pick(2) {
                        0 => format!(
                            "{when} {she} and {partner} went to ask for a deferral; there had never been any such thing"
                        ),
                        _ => format!(
                            "{when} {she} and {partner} asked for their deferral, and were told the rumour was not true"
                        ),
                    }
                };
                t.say(text, vec![index]);
            }
            Happening::Escaped { stage, .. } => {
                let when = t.when(*day);
                let from = match stage {
                    Stage::Carer => "from {her} work as a carer",
                    _ => "from the half-way house",
                }
                .replace("{her}", her);
                t.say(format!("{when} {she} ran away {from}"), vec![index]);
            }
            Happening::Found { .. } => {
                let when = t.when(*day);
                t.say(
                    format!("{when} {she} was found and brought back"),
                    vec![index],
                );
            }
            Happening::Completed {
                number,
                during_operation,
                ..
            } => {
                let age = t.age(*day);
                let text = if during_operation {
                    format!(
                        "{she} completed during the operation, aged {age}, at {her} {} donation",
                        ordinal(number)
                    )
                } else {
                    match t.pick(2) {
                        0 => format!(
                            "{she} completed after {her} {} donation, {}, aged {age}",
                            ordinal(number),
                            t.when(*day)
                        ),
                        _ => format!(
                            "{} {she} completed, {age} years old, after {} donation{}",
                            t.when(*day),
                            count(usize::from(number)),
                            if number == 1 { "" } else { "s" }
                        ),
                    }
                };
                t.say(text, vec![index]);
            }
            Happening::RunEnded { .. } => {
                let stage = stage_at_end(life.person, events);
                let age = t.age(*day);
                // The run stops at the start of its end year.
                let year = t.year_of(life.end) + 1;
                let what = match stage {
                    Stage::Student => "still at the home",
                    Stage::Veteran => "still at the half-way house",
                    Stage::Carer => "still a carer",
                    Stage::Donor => "a donor still",
                    Stage::Completed => "gone",
                };
                t.say(
                    format!("when the story stops, in {year}, {she} is {age}, and {what}"),
                    vec![index],
                );
            }
            _ => {}
        }
    }
}

/// A postponed donation: every postponement of the same donation told at once, as one
/// sentence, and marked `told`.
fn postponed(t: &mut Teller<'_>, life: &Life, index: usize, told: &mut Vec<usize>) {
    let events = &life.events;
    let her = t.name.possessive();
    let (day, Happening::DonationPostponed { number, .. }) = &events[index] else {
        unreachable!("called on a postponement");
    };
    let number = *number;
    // Every postponement of this donation, told once.
    let again: Vec<usize> = events
        .iter()
        .enumerate()
        .skip(index)
        .filter(|(_, (_, h))| {
            matches!(h, Happening::DonationPostponed { person, number: n }
                    if *person == life.person && *n == number)
        })
        .map(|(i, _)| i)
        .collect();
    told.extend(again.iter().copied());
    let times = again.len();
    let text = if times == 1 {
        format!(
            "{her} {} donation was put off, for want of anyone waiting who could take the organ",
            ordinal(number)
        )
    } else {
        let last = events[again[times - 1]].0;
        let years = f64::from(last.since(*day)) / DAYS_PER_YEAR;
        format!(
            "{her} {} donation was put off {} times over {}, for want of anyone waiting who could take the organ",
            ordinal(number),
            count(times),
            if years < 1.0 {
                "less than a year".to_string()
            } else {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let whole = years.round() as usize;
                format!("{} year{}", count(whole), if whole == 1 { "" } else { "s" })
            }
        )
    };
    t.say(text, again);
}

/// A donation, with the completion it brings in the same sentence (marked `told`).
fn donation(t: &mut Teller<'_>, life: &Life, index: usize, told: &mut Vec<usize>) {
    let events = &life.events;
    let she = t.name.subject();
    let her = t.name.possessive();
    let (
        day,
        Happening::Donation {
            number,
            organ,
            carer,
            completing,
            ..
        },
    ) = &events[index]
    else {
        unreachable!("called on a donation");
    };
    let (number, organ, carer, completing) = (*number, *organ, *carer, *completing);
    let when = t.when(*day);
    let carer_text = match carer {
        Some(carer) => {
            let name = t.person_as(carer, Role::Carer);
            // Before a colon only the first form reads well.
            let choice = if completing { 0 } else { t.pick(2) };
            [
                format!(", with {name} as {her} carer"),
                format!("; {name} was {her} carer"),
            ][choice]
                .clone()
        }
        None => ", with no carer".to_string(),
    };
    // The completion this donation brings is told in the same sentence.
    let completion = completing
        .then(|| {
            events.iter().enumerate().skip(index + 1).find(|(_, (_, h))| {
                    matches!(h, Happening::Completed { person, .. } if *person == life.person)
                })
        })
        .flatten();
    let mut sources = vec![index];
    let text = if completing {
        // How it came, as the log has it: the fourth donation is the last, and takes what is
        // left; an earlier one ends the life by its complications, on the table (everything
        // left is taken there) or in the recovery after it (one organ taken, the rest on the
        // day of completion).
        let (during, end_day) = match completion {
            Some((
                completed,
                (
                    end_day,
                    Happening::Completed {
                        during_operation, ..
                    },
                ),
            )) => {
                sources.push(completed);
                told.push(completed);
                (Some(*during_operation), *end_day)
            }
            _ => (None, *day),
        };
        let later = end_day.since(*day);
        let after = format!(
            "{} day{} later",
            count(later as usize),
            if later == 1 { "" } else { "s" }
        );
        let head = format!(
            "{her} {} donation came {when}, at {}{carer_text}",
            ordinal(number),
            t.age(*day),
        );
        let fourth = number >= 4;
        match (fourth, during) {
            (true, Some(true) | None) => format!(
                "{head}: it was the last, so they took what was left, and {she} completed on the \
                 table"
            ),
            (true, Some(false)) => format!(
                "{head}: it was the last, and {she} completed {after}, in the recovery centre"
            ),
            (false, Some(true)) => {
                let taken = if number == 1 { "everything at once" } else { "everything that was left" };
                [
                    format!(
                        "{head}: there were complications on the table, so they took {taken}, \
                         and {she} completed there"
                    ),
                    format!(
                        "{head}, and it went wrong on the table: they took {taken}, and {she} \
                         completed"
                    ),
                ][t.pick(2)]
                .clone()
            }
            (false, Some(false) | None) => [
                format!(
                    "{head}: they took {}, and though it was only {her} {}, the recovery went \
                     badly and {she} completed {after}",
                    organ_phrase(organ),
                    ordinal(number)
                ),
                format!(
                    "{head}: they took {}, but {she} never recovered from it, and completed {after}",
                    organ_phrase(organ)
                ),
            ][t.pick(2)]
            .clone(),
        }
    } else {
        match t.pick(2) {
            0 => format!(
                "{her} {} donation, {}, was {when}{carer_text}",
                ordinal(number),
                organ_phrase(organ)
            ),
            _ => format!(
                "{when} {she} gave {} at {her} {} donation{carer_text}",
                organ_phrase(organ),
                ordinal(number)
            ),
        }
    };
    t.say(text, sources);
}

/// The stage a life had reached by its last announcement (its own: a carer's life also holds
/// the completions of the donors in its care).
fn stage_at_end(person: PersonId, events: &[(Day, Happening)]) -> Stage {
    let mut stage = Stage::Student;
    for (_, happening) in events.iter().filter(|(_, h)| h.person() == Some(person)) {
        stage = match happening {
            Happening::LeftHome { .. } => Stage::Veteran,
            Happening::TrainingBegan { .. } => Stage::Carer,
            Happening::BecameDonor { .. } => Stage::Donor,
            Happening::Completed { .. } => Stage::Completed,
            _ => stage,
        };
    }
    stage
}

fn position(events: &[(Day, Happening)], f: impl Fn(&Happening) -> bool) -> Option<usize> {
    events.iter().position(|(_, h)| f(h))
}

fn indices(events: &[(Day, Happening)], f: impl Fn(&Happening) -> bool) -> Vec<usize> {
    events
        .iter()
        .enumerate()
        .filter(|(_, (_, h))| f(h))
        .map(|(i, _)| i)
        .collect()
}
