//! What a story must agree with: every sentence checked against the announcements it tells.
//! The stories' property test runs it on lives of random worlds, and an integration test on
//! a thousand lives read from a stored log; a reader's tool could run it too.

use std::collections::BTreeSet;

use hailsham_world::{Happening, PersonId};

use crate::{Life, Story, name_of};

/// Fails the check with a message unless `condition` holds.
macro_rules! ensure {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+));
        }
    };
}

/// Fails the check unless the two are equal.
macro_rules! ensure_eq {
    ($left:expr, $right:expr, $($message:tt)+) => {
        let (left, right) = (&$left, &$right);
        if left != right {
            return Err(format!("{left:?} is not {right:?}: {}", format!($($message)+)));
        }
    };
    ($left:expr, $right:expr) => {
        let (left, right) = (&$left, &$right);
        if left != right {
            return Err(format!("{left:?} is not {right:?}"));
        }
    };
}

/// Four-digit years in `text`.
fn years_in(text: &str) -> Vec<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse().ok())
        .filter(|y| (1900..2400).contains(y))
        .collect()
}

/// Checks every sentence of `story`, told of `life`, against its sources: each year it names is a
/// year of a source (or the birth year, or the year after the run's end for its last
/// words); each "First I." it names is a party of a source; each age "at N" or "aged N" is
/// the clone's age on a source's day; every donation of the clone is told once.
pub fn check_story(life: &Life, story: &Story) -> Result<(), String> {
    let own = life.own();
    let birth_year = life.calendar.year_of(own.birth);
    let mut told = BTreeSet::new();
    for sentence in story.paragraphs.iter().flatten() {
        ensure!(!sentence.sources.is_empty(), "{}", sentence.text);
        let mut years: BTreeSet<i32> = BTreeSet::new();
        let mut parties: BTreeSet<PersonId> = BTreeSet::new();
        let mut ages: BTreeSet<u32> = BTreeSet::new();
        for &index in &sentence.sources {
            ensure!(
                told.insert(index),
                "announcement {index} ({:?}) told twice, again in {:?}",
                life.events[index].1,
                sentence.text
            );
            let (day, happening) = &life.events[index];
            let year = life.calendar.year_of(*day);
            years.extend([year, year + 1]);
            parties.extend(happening.person());
            parties.extend(happening.other());
            if let Happening::CoupleFormed { first, second, .. }
            | Happening::CoupleParted { first, second, .. } = happening
            {
                parties.extend([*first, *second]);
            }
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            ages.insert((f64::from(day.since(own.birth)) / hailsham_world::DAYS_PER_YEAR) as u32);
        }
        years.insert(birth_year);
        for year in years_in(&sentence.text) {
            ensure!(
                years.contains(&year),
                "{year} in {:?} ({years:?})",
                sentence.text
            );
        }
        let names: BTreeSet<String> = parties
            .iter()
            .filter_map(|p| life.fact(*p))
            .flat_map(|f| {
                let name = name_of(f.lineage);
                [name.to_string(), name.first.to_string()]
            })
            .collect();
        let words: Vec<&str> = sentence.text.split_whitespace().collect();
        for pair in words.windows(2) {
            let initial = pair[1].trim_end_matches([',', '.', ';', ':']);
            if initial.len() == 1
                && initial.chars().all(|c| c.is_ascii_uppercase())
                && pair[1].starts_with(initial)
                && pair[1][1..].starts_with('.')
            {
                let full = format!("{} {initial}.", pair[0]);
                ensure!(names.contains(&full), "{full} in {:?}", sentence.text);
            }
        }
        for pair in words.windows(2) {
            if (pair[0] == "at" || pair[0] == "aged")
                && let Ok(age) = pair[1]
                    .trim_end_matches([',', '.', ':', ';'])
                    .parse::<u32>()
            {
                ensure!(
                    ages.contains(&age),
                    "age {age} in {:?} ({ages:?})",
                    sentence.text
                );
            }
        }
    }
    // Time runs forward: a sentence that names a year before the latest one told says it
    // is looking back.
    let mut latest: Option<i32> = None;
    for sentence in story.paragraphs.iter().flatten() {
        let years = years_in(&sentence.text);
        if let (Some(&earliest), Some(latest)) = (years.iter().min(), latest) {
            let text = sentence.text.to_lowercase();
            ensure!(
                earliest >= latest || text.contains("back in") || text.contains("earlier"),
                "{earliest} after {latest}, not said to look back: {:?}",
                sentence.text
            );
        }
        if let Some(&most) = years.iter().max() {
            latest = Some(latest.map_or(most, |l: i32| l.max(most)));
        }
    }
    // How the completion came is told as the log has it: on the table or days later; at
    // the fourth donation, the last, or at an earlier one, by its complications.
    for sentence in story.paragraphs.iter().flatten() {
        for &index in &sentence.sources {
            let (
                _,
                Happening::Completed {
                    person,
                    number,
                    during_operation,
                    ..
                },
            ) = &life.events[index]
            else {
                continue;
            };
            if *person != life.person {
                continue;
            }
            let text = &sentence.text;
            if *during_operation {
                let days_later = text.contains(" days later") || text.contains(" day later");
                ensure!(text.contains("on the table") && !days_later, "{text}");
            } else {
                let days_later = text.contains(" days later") || text.contains(" day later");
                ensure!(days_later && !text.contains("on the table"), "{text}");
            }
            ensure_eq!(*number >= 4, text.contains("the last"), "{}", text);
        }
    }
    let donations = life
        .events
        .iter()
        .filter(|(_, h)| matches!(h, Happening::Donation { person, .. } if *person == life.person))
        .count();
    let told_donations = story
        .paragraphs
        .iter()
        .flatten()
        .filter(|s| s.text.contains(" donation"))
        .filter(|s| s.sources.iter().any(|&i| matches!(life.events[i].1, Happening::Donation { person, .. } if person == life.person)))
        .count();
    ensure_eq!(donations, told_donations);
    Ok(())
}
