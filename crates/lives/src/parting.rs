//! The same clone under two rules: both lives, and where they part.
//!
//! Replicate `k` of every scenario draws from the streams keyed by (seed, `k`), and each
//! institution draws from a stream of its own, so a clone's life under another rule follows
//! the same draws until the rule first makes a difference to it. That difference is the
//! parting: the first announcement of the life that is not the same in both worlds.

use hailsham_world::{Day, Happening, Params, SPECS};

use crate::life::Life;

/// Where two lives of one clone part, and the rules that differ between their worlds.
#[derive(Clone, Debug, PartialEq)]
pub struct Parting {
    /// The number of announcements the two lives share from the start.
    pub shared: usize,
    /// The day of the first that differs (the earlier of the two lives' next announcements),
    /// or `None` if the lives are the same throughout.
    pub day: Option<Day>,
    /// The parameters (`section.key`) that differ between the two worlds, those of the
    /// institution that made the first difference first.
    pub rules: Vec<String>,
    /// How many of `rules` belong to that institution (the likely cause).
    pub causes: usize,
}

/// `happening` as text with every `PersonId(n)` replaced by that clone's lineage: what it
/// says in any world of the seed.
fn by_lineage(life: &Life, happening: &Happening) -> String {
    let text = format!("{happening:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("PersonId(") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "PersonId(".len()..];
        let end = after.find(')').unwrap_or(after.len());
        match after[..end]
            .parse::<u32>()
            .ok()
            .and_then(|id| life.fact(hailsham_world::PersonId(id)))
        {
            Some(fact) => out.push_str(&format!(
                "Lineage({}, {})",
                fact.lineage.birth_year, fact.lineage.place
            )),
            None => out.push_str(&after[..end]),
        }
        rest = &after[(end + 1).min(after.len())..];
    }
    out.push_str(rest);
    out
}

/// The scenario sections whose rules decide a kind of happening.
fn sections_of(happening: &Happening) -> &'static [&'static str] {
    use Happening as H;
    match happening {
        H::Created { .. }
        | H::Transferred { .. }
        | H::HumaneHomesClosed { .. }
        | H::Exchange { .. }
        | H::Sale { .. }
        | H::GalleryPiece { .. } => &["homes", "hailsham"],
        H::LeftHome { .. }
        | H::PossibleSearched { .. }
        | H::CoupleFormed { .. }
        | H::CoupleParted { .. }
        | H::RumourBelieved { .. } => &["halfway", "society"],
        H::TrainingBegan { .. }
        | H::CarerQualified { .. }
        | H::CarerAssigned { .. }
        | H::CarerReleased { .. }
        | H::CareerEnded { .. } => &["care"],
        H::BecameDonor { .. }
        | H::WaitingForBed { .. }
        | H::BedTaken { .. }
        | H::DonationPostponed { .. }
        | H::Donation { .. }
        | H::OrganSupplied { .. }
        | H::Completed { .. } => &["donation", "demand", "matching", "grown"],
        H::DeferralAsked { .. } => &["deferral"],
        H::Escaped { .. } | H::Found { .. } => &["escape"],
        H::Patients { .. } => &["demand", "grown"],
        H::YearEnded(_) | H::RunEnded { .. } => &["time"],
    }
}

/// Compares the lives `a` (in a world of `params_a`) and `b` (of `params_b`) of one clone.
#[must_use]
pub fn compare(a: &Life, params_a: &Params, b: &Life, params_b: &Params) -> Parting {
    // Ids differ between worlds that create clones in another order: compare the
    // announcements with every party named by lineage instead.
    let shared = a
        .events
        .iter()
        .zip(&b.events)
        .take_while(|(x, y)| x.0 == y.0 && by_lineage(a, &x.1) == by_lineage(b, &y.1))
        .count();
    let next_a = a.events.get(shared);
    let next_b = b.events.get(shared);
    let first = match (next_a, next_b) {
        (Some(x), Some(y)) => Some(if x.0 <= y.0 { x } else { y }),
        (Some(x), None) | (None, Some(x)) => Some(x),
        (None, None) => None,
    };
    let mut rules: Vec<(bool, String)> = SPECS
        .iter()
        .filter(|spec| params_a.get(spec.section, spec.key) != params_b.get(spec.section, spec.key))
        .map(|spec| {
            let cause = first.is_some_and(|(_, h)| sections_of(h).contains(&spec.section));
            (cause, spec.path())
        })
        .collect();
    // Causes first, each group in the table's order (a stable sort keeps it).
    rules.sort_by_key(|(cause, _)| !cause);
    let causes = rules.iter().filter(|(cause, _)| *cause).count();
    Parting {
        shared,
        day: first.map(|(day, _)| *day),
        rules: rules.into_iter().map(|(_, rule)| rule).collect(),
        causes,
    }
}

/// The announcement at `index` of `life` in a few words, for saying where two lives part:
/// its kind and what distinguishes it ("created: hailsham, born 1954-10-02").
#[must_use]
pub fn summary(life: &Life, index: usize) -> String {
    let Some((day, happening)) = life.events.get(index) else {
        return "nothing more".to_string();
    };
    let date = |day: Day| {
        let (y, m, d) = life.calendar.date_of(day);
        format!("{y:04}-{m:02}-{d:02}")
    };
    let detail = match happening {
        Happening::Created { home, birth, .. } => {
            format!("{}, born {}", home.as_str(), date(*birth))
        }
        Happening::LeftHome { house, .. } => life.places.house(*house).to_string(),
        Happening::Donation {
            number,
            organ,
            completing,
            ..
        } => format!(
            "number {number}, {}{}",
            organ.as_str(),
            if *completing { ", completing" } else { "" }
        ),
        Happening::CoupleFormed { first, second, .. }
        | Happening::CoupleParted { first, second, .. } => {
            let partner = if *first == life.person { second } else { first };
            format!("with clone {partner}")
        }
        Happening::CarerAssigned { donor, carer, .. } => {
            if *carer == life.person {
                format!("donor clone {donor}")
            } else {
                format!("carer clone {carer}")
            }
        }
        Happening::Completed { number, .. } => format!("at donation {number}"),
        _ => String::new(),
    };
    if detail.is_empty() {
        format!("{} on {}", happening.kind(), date(*day))
    } else {
        format!("{} on {} ({detail})", happening.kind(), date(*day))
    }
}
