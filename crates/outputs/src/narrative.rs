//! A paragraph in plain English, written from the numbers of a comparison.
//!
//! [`narrative`] reads one pairing of a [`Comparison`] (a scenario against the first) and says
//! which figures moved beyond replicate noise (their paired interval excludes zero), most
//! moved first by relative change, in which direction and by how much, how clearly, and what
//! did not move. It knows nothing of any scenario: every word comes from the figures' labels
//! and units and from the estimates, so a new scenario or a new figure needs no new text.
//!
//! How clearly a figure moved is judged by the ratio of the mean difference to the half-width
//! of its interval: ten or more is "far beyond replicate noise", three or more "well beyond",
//! less "beyond, if narrowly". A difference identical in every replicate has an interval of
//! no width at all and is said to be the same in every replicate.

use std::fmt::Write as _;

use crate::compare::Comparison;
use crate::figures::FIGURES;
use crate::interval::Estimate;
use crate::summary::{Style, fixed};

/// Moved figures told in a sentence each; the rest of the moved are listed briefly.
const SENTENCES_MAX: usize = 4;
/// Names listed in a brief list before "and N more".
const LISTED_MAX: usize = 6;

/// What one figure did between the two scenarios.
#[derive(Clone, Debug)]
struct Movement {
    figure: usize,
    base: f64,
    other: f64,
    difference: Estimate,
    /// `(other - base) / |base|`; infinite when the base is zero and the other is not.
    relative: f64,
}

/// The paragraph for scenario `other` (an index into `comparison.names`, at least 1) against
/// the first scenario.
///
/// Figures counted in `events` describe the simulation, not the world, and are left out.
///
/// # Panics
///
/// If `other` is 0 or not a scenario of the comparison.
#[must_use]
pub fn narrative(comparison: &Comparison, other: usize) -> String {
    assert!(
        other >= 1 && other < comparison.names.len(),
        "the scenario compared must be one of the others"
    );
    let base_name = &comparison.names[0];
    let other_name = &comparison.names[other];
    let replicates = comparison.replicates();
    let Judged {
        moved,
        within_noise,
        identical,
        missing,
    } = judge(comparison, other);
    let compared = moved.len() + within_noise.len() + identical.len();
    let mut text = String::new();
    if replicates < 2 {
        single_replicate(&mut text, base_name, other_name, within_noise, moved);
        return text;
    }
    tell_moved(&mut text, base_name, other_name, compared, &moved);
    tell_unmoved(&mut text, &within_noise, &identical);
    if !missing.is_empty() {
        tell_missing(&mut text, base_name, other_name, &missing);
    }
    let _ = write!(
        text,
        " These judgements rest on {replicates} paired replicates of each scenario, run with the \
         same random numbers; each interval is the 95% Student-t interval of the \
         replicate-by-replicate difference."
    );
    text
}

/// The figures of one pairing sorted by what they did: each as a [`Movement`] but those
/// missing, which are `(figure, base is finite, other is finite)`.
struct Judged {
    /// Beyond replicate noise, most moved first.
    moved: Vec<Movement>,
    /// Within replicate noise, most moved first.
    within_noise: Vec<Movement>,
    /// The same in every replicate.
    identical: Vec<Movement>,
    missing: Vec<(usize, bool, bool)>,
}

/// Judges each figure of scenario `other` against the first, leaving out those counted in
/// `events`.
fn judge(comparison: &Comparison, other: usize) -> Judged {
    let mut moved = Vec::new();
    let mut within_noise = Vec::new();
    let mut identical = Vec::new();
    let mut missing = Vec::new();
    for (f, figure) in FIGURES.iter().enumerate() {
        if figure.unit == "events" {
            continue;
        }
        let base = comparison.summaries[0].estimates[f].mean;
        let them = comparison.summaries[other].estimates[f].mean;
        let d = &comparison.differences[other - 1][f];
        if d.estimate.n == 0 || !base.is_finite() || !them.is_finite() {
            missing.push((f, base.is_finite(), them.is_finite()));
            continue;
        }
        let relative = if base == 0.0 {
            if them == 0.0 { 0.0 } else { f64::INFINITY }
        } else {
            (them - base) / base.abs()
        };
        let movement = Movement {
            figure: f,
            base,
            other: them,
            difference: d.estimate,
            relative,
        };
        if d.marked {
            moved.push(movement);
        } else if d.estimate.mean == 0.0
            && (d.estimate.n < 2 || (d.estimate.low == 0.0 && d.estimate.high == 0.0))
        {
            identical.push(movement);
        } else {
            within_noise.push(movement);
        }
    }
    // Most moved first; ties keep the table's order (the sort is stable).
    moved.sort_by(|a, b| b.relative.abs().total_cmp(&a.relative.abs()));
    within_noise.sort_by(|a, b| b.relative.abs().total_cmp(&a.relative.abs()));
    Judged {
        moved,
        within_noise,
        identical,
        missing,
    }
}

/// The paragraph when each scenario ran once: no change can be told from noise, so the
/// largest is given as a hint.
fn single_replicate(
    text: &mut String,
    base_name: &str,
    other_name: &str,
    within_noise: Vec<Movement>,
    moved: Vec<Movement>,
) {
    let _ = write!(
        text,
        "With a single replicate of each scenario there is no interval, so no difference \
         between {other_name} and {base_name} can be told from noise. "
    );
    let mut all: Vec<Movement> = within_noise.into_iter().chain(moved).collect();
    all.sort_by(|a, b| b.relative.abs().total_cmp(&a.relative.abs()));
    if let Some(first) = all.first() {
        let _ = write!(
            text,
            "The largest change is that {} {}; read it as a hint only.",
            FIGURES[first.figure].label,
            change_phrase(first)
        );
    }
}

/// How many of the `compared` figures moved beyond noise, a sentence for each of the most
/// moved and a brief list of the rest.
fn tell_moved(
    text: &mut String,
    base_name: &str,
    other_name: &str,
    compared: usize,
    moved: &[Movement],
) {
    if moved.is_empty() {
        let _ = write!(
            text,
            "Against {base_name}, {other_name} moves none of the {compared} figures compared \
             beyond replicate noise."
        );
        return;
    }
    let _ = write!(
        text,
        "Against {base_name}, {other_name} moves {} of the {compared} figures compared \
         beyond replicate noise.",
        count_words(moved.len())
    );
    for m in moved.iter().take(SENTENCES_MAX) {
        let _ = write!(
            text,
            " {} {}, {}.",
            capitalise(FIGURES[m.figure].label),
            change_phrase(m),
            clearness(&m.difference)
        );
    }
    let rest: Vec<String> = moved
        .iter()
        .skip(SENTENCES_MAX)
        .map(|m| format!("{} ({})", FIGURES[m.figure].label, brief_change(m)))
        .collect();
    if !rest.is_empty() {
        let _ = write!(text, " Also beyond noise: {}.", list(&rest));
    }
}

/// The figures that did not move beyond noise: within it, the same in every replicate, and
/// zero in both.
fn tell_unmoved(text: &mut String, within_noise: &[Movement], identical: &[Movement]) {
    if !within_noise.is_empty() {
        let names: Vec<String> = within_noise
            .iter()
            .map(|m| FIGURES[m.figure].label.to_string())
            .collect();
        let _ = write!(
            text,
            " Within replicate noise, with an interval that includes zero: {}.",
            list(&names)
        );
    }
    // Figures that are nothing in both (a mechanism neither scenario switches on) are told
    // apart from figures that are something, and the same, in both.
    let (zero, same): (Vec<&Movement>, Vec<&Movement>) = identical
        .iter()
        .partition(|m| m.base == 0.0 && m.other == 0.0);
    if !same.is_empty() {
        let names: Vec<String> = same
            .iter()
            .map(|m| FIGURES[m.figure].label.to_string())
            .collect();
        let _ = write!(text, " The same in every replicate: {}.", list(&names));
    }
    if !zero.is_empty() {
        let names: Vec<String> = zero
            .iter()
            .map(|m| FIGURES[m.figure].label.to_string())
            .collect();
        let _ = write!(text, " Zero in both: {}.", list(&names));
    }
}

/// The figures that cannot be compared, and for want of what: a value in the scenario (or
/// both) where it is missing.
fn tell_missing(
    text: &mut String,
    base_name: &str,
    other_name: &str,
    missing: &[(usize, bool, bool)],
) {
    let names: Vec<String> = missing
        .iter()
        .map(|(f, _, _)| FIGURES[*f].label.to_string())
        .collect();
    let absent_in: Vec<&str> = {
        let base_absent = missing.iter().any(|(_, base, _)| !base);
        let other_absent = missing.iter().any(|(_, _, them)| !them);
        let mut v = Vec::new();
        if other_absent {
            v.push(other_name);
        }
        if base_absent {
            v.push(base_name);
        }
        v
    };
    let want = if absent_in.is_empty() {
        "a replicate with a value in both".to_string()
    } else {
        format!("a value in {}", absent_in.join(" or "))
    };
    let _ = write!(
        text,
        " Not comparable, for want of {want}: {}.",
        list(&names)
    );
}

/// `fell from 3.21 to 1.00 donations (−69%)`: the direction, the two values and the relative
/// change. The past tense agrees with any label, singular or plural.
fn change_phrase(m: &Movement) -> String {
    let unit = FIGURES[m.figure].unit;
    let verb = if m.other > m.base { "rose" } else { "fell" };
    let style = Style::of(unit, m.base.abs().max(m.other.abs()));
    if unit == "share" {
        // A share moves in percentage points: a ratio of shares (×28) misleads.
        return format!(
            "{verb} from {} to {}, {}",
            style.format(m.base),
            style.format(m.other),
            points_text(m)
        );
    }
    format!(
        "{verb} from {} to {} {unit} ({})",
        style.format(m.base),
        style.format(m.other),
        relative_text(m.relative)
    )
}

/// `up 96.4 percentage points`: a share's change, from the paired difference.
fn points_text(m: &Movement) -> String {
    let change = if m.difference.mean.is_finite() {
        m.difference.mean
    } else {
        m.other - m.base
    };
    let way = if change < 0.0 { "down" } else { "up" };
    let points = (change * 100.0).abs();
    let decimals = if points >= 0.05 { 1 } else { 2 };
    format!("{way} {} percentage points", fixed(points, decimals))
}

/// How a moved figure's change is listed briefly: relative for counts, in points for shares.
fn brief_change(m: &Movement) -> String {
    if FIGURES[m.figure].unit == "share" {
        points_text(m)
    } else {
        relative_text(m.relative)
    }
}

/// `−69%`, `+4.3%`, `×8.3`, `from none`.
fn relative_text(relative: f64) -> String {
    if relative.is_infinite() {
        return "from none".to_string();
    }
    if relative >= 1.0 {
        let times = relative + 1.0;
        return if times >= 10.0 {
            format!("×{times:.0}")
        } else {
            format!("×{times:.1}")
        };
    }
    let percent = relative * 100.0;
    let magnitude = percent.abs();
    let text = if magnitude >= 9.95 {
        format!("{magnitude:.0}%")
    } else if magnitude >= 0.995 {
        format!("{magnitude:.1}%")
    } else if magnitude >= 0.00995 {
        format!("{magnitude:.2}%")
    } else {
        // Too small to print with a sign that means anything: the verb tells the direction.
        return "<0.01%".to_string();
    };
    if percent < 0.0 {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}

/// How far a marked difference stands from noise.
fn clearness(d: &Estimate) -> &'static str {
    let half = d.half_width();
    if half == 0.0 {
        return "the same difference in every replicate";
    }
    let ratio = d.mean.abs() / half;
    if ratio >= 10.0 {
        "far beyond replicate noise"
    } else if ratio >= 3.0 {
        "well beyond replicate noise"
    } else {
        "beyond replicate noise, if narrowly"
    }
}

/// `a`, `a and b`, `a, b and c`, or the first few and `and N more`. Names that hold a comma
/// themselves (`carer career, median`) are parted by semicolons instead.
fn list(names: &[String]) -> String {
    let separator = if names.iter().any(|n| n.contains(',')) {
        "; "
    } else {
        ", "
    };
    match names {
        [] => String::new(),
        [one] => one.clone(),
        _ if names.len() > LISTED_MAX => {
            let shown = &names[..LISTED_MAX];
            format!(
                "{} and {} more",
                shown.join(separator),
                names.len() - LISTED_MAX
            )
        }
        [init @ .., last] => format!("{} and {last}", init.join(separator)),
    }
}

/// Small counts in words, as prose has them.
fn count_words(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

fn capitalise(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::summary_with;

    fn comparison(
        base: &[(&str, &[f64])],
        other: &[(&str, &[f64])],
        replicates: usize,
    ) -> Comparison {
        Comparison::new(
            vec!["novel".into(), "single-harvest".into()],
            vec![
                summary_with(1.0, replicates, base),
                summary_with(1.0, replicates, other),
            ],
        )
    }

    #[test]
    fn a_large_clear_fall_is_told_first_with_both_values_and_its_size() {
        let c = comparison(
            &[
                ("donations_per_donor_mean", &[3.2, 3.25, 3.18]),
                ("clones_created", &[100.0, 104.0, 96.0]),
            ],
            &[
                ("donations_per_donor_mean", &[1.0, 1.0, 1.0]),
                ("clones_created", &[101.0, 103.0, 99.0]),
            ],
            3,
        );
        let text = narrative(&c, 1);
        assert!(
            text.contains(
                "Donations per completed donor fell from 3.21 to 1.00 donations (−69%), \
                 far beyond replicate noise."
            ),
            "{text}"
        );
        assert!(text.contains("moves one of the"), "{text}");
        assert!(text.contains("Within replicate noise"), "{text}");
        assert!(text.contains("clones created"), "{text}");
        assert!(text.contains("3 paired replicates"), "{text}");
        assert!(text.contains("The same in every replicate"), "{text}");
        assert!(!text.contains("Zero in both"), "{text}");
        assert!(!text.contains("events handled"), "{text}");
    }

    #[test]
    fn moved_figures_are_ordered_by_relative_change() {
        let c = comparison(
            &[
                ("clones_created", &[1000.0, 1010.0, 990.0]),
                ("completed_at_1_share", &[0.10, 0.11, 0.12]),
                ("carer_years_median", &[8.0, 8.1, 7.9]),
            ],
            &[
                ("clones_created", &[1100.0, 1112.0, 1088.0]),
                ("completed_at_1_share", &[1.0, 1.0, 1.0]),
                ("carer_years_median", &[4.0, 4.2, 4.1]),
            ],
            3,
        );
        let text = narrative(&c, 1);
        let first = text
            .find("Completed at 1st donation rose from 11.0% to 100.0%, up 89.0 percentage points");
        let second = text.find("Carer career, median fell from 8.0 to 4.1 years (−49%)");
        let third = text.find("Clones created rose from 1,000 to 1,100 people (+10%)");
        assert!(
            first.is_some() && second.is_some() && third.is_some(),
            "{text}"
        );
        assert!(first < second && second < third, "{text}");
        assert!(text.contains("moves three of the"), "{text}");
        assert!(
            text.contains(
                "Completed at 1st donation rose from 11.0% to 100.0%, up 89.0 percentage points, \
                 far beyond"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_narrow_move_and_a_steady_shift_are_told_as_such() {
        let c = comparison(
            &[
                ("waiting_deaths", &[100.0, 110.0, 90.0, 100.0]),
                ("gallery_pieces", &[50.0, 60.0, 55.0, 45.0]),
            ],
            &[
                ("waiting_deaths", &[110.0, 118.0, 100.0, 104.0]),
                ("gallery_pieces", &[40.0, 50.0, 45.0, 35.0]),
            ],
            4,
        );
        let text = narrative(&c, 1);
        assert!(
            text.contains("Patients died waiting rose from 100 to 108 patients (+8.0%), beyond replicate noise, if narrowly."),
            "{text}"
        );
        assert!(
            text.contains("Pieces taken to the Gallery fell from 52.5 to 42.5 pieces (−19%), the same difference in every replicate."),
            "{text}"
        );
    }

    #[test]
    fn nothing_moved_and_missing_values_are_said() {
        let c = comparison(
            &[("carer_years_median", &[8.0, 8.1, 7.9])],
            &[("carer_years_median", &[f64::NAN, f64::NAN, f64::NAN])],
            3,
        );
        let text = narrative(&c, 1);
        assert!(text.contains("moves none of the"), "{text}");
        assert!(
            text.contains("The same in every replicate: clones created"),
            "{text}"
        );
        assert!(
            text.contains(
                "Not comparable, for want of a value in single-harvest: carer career, median."
            ),
            "{text}"
        );
    }

    #[test]
    fn figures_that_are_zero_in_both_are_told_apart() {
        let c = Comparison::new(
            vec!["novel".into(), "told-plainly".into()],
            vec![summary_with(0.0, 3, &[]), summary_with(0.0, 3, &[])],
        );
        let text = narrative(&c, 1);
        assert!(text.contains(" Zero in both: clones created"), "{text}");
        assert!(!text.contains("The same in every replicate"), "{text}");
    }

    #[test]
    fn one_replicate_judges_nothing() {
        let c = comparison(
            &[("clones_created", &[1000.0])],
            &[("clones_created", &[2000.0])],
            1,
        );
        let text = narrative(&c, 1);
        assert!(text.contains("no interval"), "{text}");
        assert!(
            text.contains(
                "The largest change is that clones created rose from 1,000 to 2,000 people (×2.0)"
            ),
            "{text}"
        );
        assert!(!text.contains("beyond replicate noise"), "{text}");
    }

    #[test]
    fn relative_changes_read_naturally() {
        assert_eq!(relative_text(-0.689), "−69%");
        assert_eq!(relative_text(0.043), "+4.3%");
        assert_eq!(relative_text(0.0004), "+0.04%");
        assert_eq!(relative_text(0.00001), "<0.01%");
        assert_eq!(relative_text(7.3), "×8.3");
        assert_eq!(relative_text(19.0), "×20");
        assert_eq!(relative_text(f64::INFINITY), "from none");
        assert_eq!(relative_text(-1.0), "−100%");
        assert_eq!(list(&["a".into()]), "a");
        assert_eq!(list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        let many: Vec<String> = (0..9).map(|i| i.to_string()).collect();
        assert_eq!(list(&many), "0, 1, 2, 3, 4, 5 and 3 more");
        assert_eq!(
            list(&[
                "carer career, median".into(),
                "couples formed".into(),
                "x".into()
            ]),
            "carer career, median; couples formed and x"
        );
    }
}
