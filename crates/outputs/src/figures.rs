//! The summary figures of one replicate, computed from its [`Tally`].
//!
//! The figures are declared once, in [`FIGURES`], in the order the summary table prints them;
//! [`figures`] returns their values in the same order, and [`groups`] gathers them under the
//! headings the table prints (each figure names its own). A figure that cannot be computed (a median of no completions, a share
//! of no patients) is NaN, never zero: the interval code skips it.

use hailsham_world::{DAYS_PER_YEAR, Histogram, Tally};

/// One summary figure: how it is named in files, in the table, what it counts, and how it is
/// computed from a replicate's tally, side by side (as Mesa's model reporters are), so that a
/// new figure is one entry here and nothing looks a figure up by its name to compute it.
#[derive(Copy, Clone, Debug)]
pub struct Figure {
    /// Stable name, for files and lookups (`completion_age_median_years`).
    pub key: &'static str,
    /// Short human phrase for the table (`age at completion, median`).
    pub label: &'static str,
    /// What the value counts: `people`, `organs`, `years`, `share` (a fraction from 0 to 1), ...
    pub unit: &'static str,
    /// The heading the table prints over it; figures of one heading stand together.
    pub group: &'static str,
    /// Its value for one replicate: NaN where it is undefined (a median of nothing).
    pub compute: fn(&Tally) -> f64,
    /// The years it covers.
    pub window: Window,
    /// Whether it grows with the population, as a count does (a share, an age or a rate per
    /// head does not): a world at a fraction of England's size gives a count at that
    /// fraction, and the same share.
    pub scales: bool,
}

/// The years a figure covers: every figure says which, so that a reader never takes a count
/// over the whole run (demand from 1952, organs from about 1970) for the programme's.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Window {
    /// Every year of the run: its flows summed, its events counted.
    Run,
    /// From the run's first donation to its end: the years the programme runs.
    FromFirstDonation,
    /// The run's final year.
    FinalYear,
    /// The run's last ten years.
    LastDecade,
    /// The run's end: a stock, counted then.
    End,
}

impl Window {
    /// The words a reader is given: `every year of the run`.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Window::Run => "every year of the run",
            Window::FromFirstDonation => "from the first donation to the end of the run",
            Window::FinalYear => "the final year of the run",
            Window::LastDecade => "the last ten years of the run",
            Window::End => "at the end of the run",
        }
    }
}

/// A heading of the summary table and the figures under it (a run of [`FIGURES`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The heading printed over the figures.
    pub heading: &'static str,
    /// Positions in [`FIGURES`] of the figures under the heading.
    pub figures: std::ops::Range<usize>,
}

/// The table's headings, each over its run of figures, derived from [`FIGURES`] so a figure is
/// declared in one place only.
#[must_use]
pub fn groups() -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (index, figure) in FIGURES.iter().enumerate() {
        match groups.last_mut() {
            Some(group) if group.heading == figure.group => group.figures.end = index + 1,
            _ => groups.push(Group {
                heading: figure.group,
                figures: index..index + 1,
            }),
        }
    }
    groups
}

const PEOPLE: &str = "People";
const ORGANS: &str = "Organs and demand";
const COMPLETION: &str = "Completion";
const DONATIONS: &str = "Donations";
const CARERS: &str = "Carers";
const SOCIETY: &str = "Rumour and society";
/// The heading of the run's own counts (events handled): no finding of the model.
pub(crate) const RUN: &str = "Run";

const fn figure(
    group: &'static str,
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    compute: fn(&Tally) -> f64,
) -> Figure {
    Figure {
        key,
        label,
        unit,
        group,
        compute,
        scales: true,
        window: Window::Run,
    }
}

impl Figure {
    /// The same figure, covering `window` rather than the whole run.
    const fn over(self, window: Window) -> Figure {
        Figure { window, ..self }
    }

    /// A figure that does not grow with the population: a share, an age, a rate per head.
    const fn per_head(self) -> Figure {
        Figure {
            scales: false,
            ..self
        }
    }
}

/// Every summary figure, in table order. [`figures`] returns values in this order.
pub static FIGURES: &[Figure] = &[
    figure(PEOPLE, "clones_created", "clones created", "people", |t| {
        count(t.clones_created)
    }),
    figure(PEOPLE, "escapes", "clones who ran away", "people", |t| {
        count(t.escapes)
    }),
    figure(
        PEOPLE,
        "escapes_found",
        "of them found and brought back",
        "people",
        |t| count(t.escapes_found),
    ),
    figure(
        PEOPLE,
        "away_at_end",
        "clones away at the end",
        "people",
        |t| count(t.away),
    )
    .over(Window::End),
    figure(
        ORGANS,
        "organs_supplied",
        "organs supplied",
        "organs",
        |t| count(t.organs_supplied.iter().sum()),
    ),
    figure(
        ORGANS,
        "transplants",
        "organs transplanted",
        "organs",
        |t| count(t.transplants),
    ),
    figure(
        ORGANS,
        "organs_unused",
        "organs taken for nobody",
        "organs",
        |t| count(t.organs_unused),
    ),
    figure(
        ORGANS,
        "demand_met_share",
        "demand met (transplants/patients)",
        "share",
        // A patient served by a grown organ is a patient whose need was met.
        |t| ratio(count(t.transplants + t.organs_grown), count(t.new_patients)),
    )
    .per_head(),
    figure(
        ORGANS,
        "demand_met_share_since_first_donation",
        "demand met, from 1st donation",
        "share",
        // Of the patients whose wait ended (served or dead) from the first donation on, the share
        // served: a share of patients, never above one, as patients listed before the first
        // donation may be served after it.
        |t| {
            let served = t.transplants + t.organs_grown_since_first_donation;
            ratio(
                count(served),
                count(served + t.waiting_deaths_since_first_donation),
            )
        },
    )
    .per_head()
    .over(Window::FromFirstDonation),
    figure(
        ORGANS,
        "demand_met_share_final_year",
        "demand met, final year",
        "share",
        // Of the patients whose wait ended in the year, the share served (patients listed in
        // earlier years may be served in it, so a share of the year's new patients could pass one).
        |t| {
            let served = t.transplants_final_year + t.organs_grown_final_year;
            ratio(count(served), count(served + t.waiting_deaths_final_year))
        },
    )
    .per_head()
    .over(Window::FinalYear),
    figure(
        ORGANS,
        "waiting_deaths",
        "patients died waiting",
        "patients",
        |t| count(t.waiting_deaths),
    ),
    figure(
        ORGANS,
        "waiting_deaths_since_first_donation",
        "deaths waiting, from 1st donation",
        "patients",
        |t| count(t.waiting_deaths_since_first_donation),
    )
    .over(Window::FromFirstDonation),
    figure(
        ORGANS,
        "organs_grown",
        "patients served by grown organs",
        "patients",
        |t| count(t.organs_grown),
    ),
    figure(
        ORGANS,
        "life_years_gained",
        "recipients' life-years gained",
        "life-years",
        |t| t.life_years_gained,
    ),
    figure(
        ORGANS,
        "clone_life_years_lost",
        "clones' own life-years lost",
        "life-years",
        |t| t.life_years_lost,
    ),
    figure(
        COMPLETION,
        "completion_age_median_years",
        "age at completion, median",
        "years",
        |t| quantile_years(&t.completion_age_days, 0.5),
    )
    .per_head(),
    figure(
        COMPLETION,
        "completion_age_p10_years",
        "age at completion, 10th pct",
        "years",
        |t| quantile_years(&t.completion_age_days, 0.1),
    )
    .per_head(),
    figure(
        COMPLETION,
        "completion_age_p90_years",
        "age at completion, 90th pct",
        "years",
        |t| quantile_years(&t.completion_age_days, 0.9),
    )
    .per_head(),
    figure(
        COMPLETION,
        "completions_in_thirties_share",
        "completions aged 30 to 39",
        "share",
        |t| {
            ratio(
                count(t.completion_age_days.count_between(days(30.0), days(40.0))),
                count(t.completion_age_days.total()),
            )
        },
    )
    .per_head(),
    figure(
        DONATIONS,
        "first_donation_age_median_years",
        "age at first donation, median",
        "years",
        |t| quantile_years(&t.first_donation_age_days, 0.5),
    )
    .per_head(),
    figure(
        DONATIONS,
        "donations_per_donor_mean",
        "donations per completed donor",
        "donations",
        |t| {
            let donations: u64 = (1..)
                .zip(t.completions_at_donation)
                .map(|(number, completions)| number * completions)
                .sum();
            ratio(count(donations), count(t.completed))
        },
    )
    .per_head(),
    figure(
        DONATIONS,
        "completed_at_1_share",
        "completed at 1st donation",
        "share",
        |t| completed_at(t, 0),
    )
    .per_head(),
    figure(
        DONATIONS,
        "completed_at_2_share",
        "completed at 2nd donation",
        "share",
        |t| completed_at(t, 1),
    )
    .per_head(),
    figure(
        DONATIONS,
        "completed_at_3_share",
        "completed at 3rd donation",
        "share",
        |t| completed_at(t, 2),
    )
    .per_head(),
    figure(
        DONATIONS,
        "completed_at_4_share",
        "completed at 4th donation",
        "share",
        |t| completed_at(t, 3),
    )
    .per_head(),
    figure(
        DONATIONS,
        "donations_postponed",
        "donations put off: nobody waiting",
        "donations",
        |t| count(t.donations_postponed),
    ),
    figure(
        DONATIONS,
        "beds_held_max",
        // Beds change hands within a year: the most held on any day is above the series'
        // year-end counts, and the label says so.
        "most beds held on any day",
        "beds",
        |t| count(t.beds_held_max),
    ),
    // Zero where nobody cares (never NaN): that is the point of scenarios without carers.
    figure(
        CARERS,
        "carer_years_worked",
        "carer-years worked",
        "years",
        |t| count(t.carer_days) / DAYS_PER_YEAR,
    ),
    figure(
        CARERS,
        "carer_years_median",
        "carer career, median",
        "years",
        |t| quantile_years(&t.career_days, 0.5),
    )
    .per_head(),
    figure(
        CARERS,
        "carer_years_min",
        "carer career, shortest",
        "years",
        |t| years(t.career_days.min()),
    )
    .per_head(),
    figure(
        CARERS,
        "carer_years_max",
        "carer career, longest",
        "years",
        |t| years(t.career_days.max()),
    )
    .per_head(),
    figure(
        CARERS,
        "carer_years_12_plus_share",
        "carer careers of 12+ years",
        "share",
        |t| {
            ratio(
                count(t.career_days.count_between(days(12.0), u32::MAX)),
                count(t.career_days.total()),
            )
        },
    )
    .per_head(),
    figure(
        CARERS,
        "donors_per_carer",
        "donors per carer at work",
        "donors",
        |t| ratio(count(t.cared_donor_days), count(t.carer_days)),
    )
    .per_head(),
    figure(
        CARERS,
        "km_per_carer_year",
        "driving per carer-year",
        "km",
        |t| ratio(t.carer_km, count(t.carer_days) / DAYS_PER_YEAR),
    )
    .per_head(),
    figure(
        CARERS,
        "overnights_per_carer_year",
        "nights away per carer-year",
        "nights",
        |t| ratio(t.carer_overnights, count(t.carer_days) / DAYS_PER_YEAR),
    )
    .per_head(),
    figure(
        CARERS,
        "donors_per_carer_last_decade",
        "donors per carer, last 10 years",
        "donors",
        |t| {
            let books = &t.carers_last_decade;
            ratio(count(books.cared_donor_days), count(books.carer_days))
        },
    )
    .per_head()
    .over(Window::LastDecade),
    figure(
        CARERS,
        "km_per_carer_year_last_decade",
        "km per carer-year, last 10 years",
        "km",
        |t| {
            let books = &t.carers_last_decade;
            ratio(books.carer_km, count(books.carer_days) / DAYS_PER_YEAR)
        },
    )
    .per_head()
    .over(Window::LastDecade),
    figure(
        SOCIETY,
        "couples_formed",
        "couples formed",
        "couples",
        |t| count(t.couples_formed),
    ),
    figure(
        SOCIETY,
        "deferral_applications",
        "deferral applications",
        "couples",
        |t| count(t.deferral_applications),
    ),
    figure(
        SOCIETY,
        "deferrals_granted",
        "deferrals granted",
        "couples",
        |t| count(t.deferrals_granted),
    ),
    figure(
        SOCIETY,
        "gallery_pieces",
        "pieces taken to the Gallery",
        "pieces",
        |t| count(t.gallery_pieces),
    ),
    figure(
        SOCIETY,
        "outsiders_knowing",
        "outsiders who know, at the end",
        "people",
        |t| t.outsiders_knowing,
    )
    .over(Window::End),
    figure(
        SOCIETY,
        "outsiders_knowing_share",
        "outsiders knowing, share at end",
        "share",
        |t| ratio(t.outsiders_knowing, t.population),
    )
    .per_head()
    .over(Window::End),
    figure(RUN, "events", "events handled", "events", |t| {
        count(t.events)
    }),
];

/// The position of the figure named `key` in [`FIGURES`].
#[must_use]
pub fn figure_index(key: &str) -> Option<usize> {
    FIGURES.iter().position(|f| f.key == key)
}

/// The summary figures of one replicate, in [`FIGURES`] order; NaN where a figure is undefined.
#[must_use]
pub fn figures(tally: &Tally) -> Vec<f64> {
    FIGURES.iter().map(|f| (f.compute)(tally)).collect()
}

/// The first whole day of `years` years and more, as the histograms count days.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn days(years: f64) -> u32 {
    // The first whole day at or past `years`: a duration of d days is `years` or more exactly
    // when d / DAYS_PER_YEAR is, as the person records' ages in years say (rounding instead
    // counted the 16 clones of England who complete on the day 30 × 365.2425 rounds to as in
    // their thirties, at 29.9993 years, and the figure and the records disagreed). The
    // callers pass small constant year counts, well inside u32.
    (years * DAYS_PER_YEAR).ceil() as u32
}

/// `numerator / denominator`, NaN when the denominator is zero (or not a number).
fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 && numerator.is_finite() && denominator.is_finite() {
        numerator / denominator
    } else {
        f64::NAN
    }
}

/// A count as a float: exact below 2^53, far beyond any count a run makes.
#[allow(clippy::cast_precision_loss)]
fn count(n: u64) -> f64 {
    n as f64
}

fn years(days: Option<u32>) -> f64 {
    days.map_or(f64::NAN, |d| f64::from(d) / DAYS_PER_YEAR)
}

fn quantile_years(histogram: &Histogram, q: f64) -> f64 {
    years(histogram.quantile(q))
}

/// The share of completed donors who completed at donation `index + 1`.
fn completed_at(t: &Tally, index: usize) -> f64 {
    ratio(count(t.completions_at_donation[index]), count(t.completed))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::samples::sample_tally;

    fn get(values: &[f64], key: &str) -> f64 {
        values[figure_index(key).expect("known key")]
    }

    #[test]
    fn keys_are_unique_and_groups_cover_figures_in_order() {
        let groups = groups();
        let covered: Vec<usize> = groups.iter().flat_map(|g| g.figures.clone()).collect();
        assert_eq!(covered, (0..FIGURES.len()).collect::<Vec<_>>());
        let mut headings: Vec<&str> = groups.iter().map(|g| g.heading).collect();
        let count = headings.len();
        headings.dedup();
        headings.sort_unstable();
        headings.dedup();
        assert_eq!(headings.len(), count, "a heading's figures stand together");
        assert_eq!(groups[0].heading, "People");
        for (i, f) in FIGURES.iter().enumerate() {
            assert_eq!(figure_index(f.key), Some(i), "duplicate key {}", f.key);
            assert!(!f.label.is_empty() && !f.unit.is_empty());
            assert!(f.label.chars().count() <= 36, "label too long: {}", f.label);
        }
    }

    /// Goal: a share of ages in a range agrees with the ages in years the person records
    /// give (days / `DAYS_PER_YEAR`), to the day. Method: completions at the days either side
    /// of 30 and of 40 years (30 years is 10,957.275 days): 10,957 days is 29.9993 years,
    /// not in the thirties; 10,958 is; 14,609 is 39.9992 years, in them; 14,610 is 40.0001,
    /// not.
    #[test]
    fn the_thirties_begin_and_end_where_ages_in_years_do() {
        let mut t = sample_tally();
        t.completion_age_days = hailsham_world::Histogram::new(43_830);
        let ages = [10_957_u32, 10_958, 14_609, 14_610];
        for age in ages {
            t.completion_age_days.add(age);
        }
        let in_thirties = ages
            .iter()
            .filter(|&&age| (30.0..40.0).contains(&(f64::from(age) / DAYS_PER_YEAR)))
            .count();
        assert_eq!(in_thirties, 2);
        assert_eq!(
            get(&figures(&t), "completions_in_thirties_share"),
            2.0 / 4.0
        );
    }

    /// Goal: every figure states the years it covers where a reader sees it: a figure over
    /// anything but the whole run says which in its label. Method: each window's words in
    /// the label of each figure that covers it.
    #[test]
    fn a_figure_not_over_the_whole_run_says_so_in_its_label() {
        let mut windows = 0;
        for figure in FIGURES {
            let says = match figure.window {
                Window::Run => continue,
                Window::FromFirstDonation => "from 1st donation",
                Window::FinalYear => "final year",
                Window::LastDecade => "last 10 years",
                Window::End => "at the end",
            };
            windows += 1;
            let label = figure.label.replace("at end", "at the end");
            assert!(label.contains(says), "{}: `{}`", figure.key, figure.label);
        }
        assert_eq!(windows, 8);
    }

    #[test]
    fn figures_of_a_hand_built_tally() {
        let t = sample_tally();
        let v = figures(&t);
        assert_eq!(v.len(), FIGURES.len());

        assert_eq!(get(&v, "clones_created"), 271_430.0);
        assert_eq!(get(&v, "organs_supplied"), 23.0);
        assert_eq!(get(&v, "transplants"), 20.0);
        assert_eq!(get(&v, "organs_unused"), 3.0);
        // Served, by transplant or grown organ, of the patients listed.
        assert_eq!(get(&v, "demand_met_share"), 97.0 / 125.0);
        // Served, of the patients whose wait ended in the final year.
        assert_eq!(get(&v, "demand_met_share_final_year"), 0.7);
        assert_eq!(
            get(&v, "demand_met_share_since_first_donation"),
            90.0 / 94.0
        );
        let nights = get(&v, "overnights_per_carer_year");
        assert!(
            (nights - 365.25 / (36_524.0 / DAYS_PER_YEAR)).abs() < 1e-12,
            "{nights}"
        );
        assert_eq!(get(&v, "clone_life_years_lost"), 500.0);
        assert_eq!(get(&v, "donors_per_carer_last_decade"), 3.0);
        assert_eq!(get(&v, "waiting_deaths"), 5.0);
        assert_eq!(get(&v, "escapes"), 12.0);
        assert_eq!(
            get(&v, "carer_years_worked"),
            count(t.carer_days) / DAYS_PER_YEAR
        );
        assert_eq!(get(&v, "escapes_found"), 10.0);
        assert_eq!(get(&v, "away_at_end"), 2.0);
        assert_eq!(get(&v, "organs_grown"), 77.0);
        assert_eq!(get(&v, "donations_postponed"), 5.0);
        // The median of three first donations is the middle one.
        assert_eq!(
            get(&v, "first_donation_age_median_years"),
            7_300.0 / DAYS_PER_YEAR
        );
        assert_eq!(get(&v, "life_years_gained"), 1234.5);

        // Nearest rank of ten values: p10 is the 1st, the median the 5th, p90 the 9th.
        assert_eq!(get(&v, "completion_age_p10_years"), 8_000.0 / DAYS_PER_YEAR);
        assert_eq!(
            get(&v, "completion_age_median_years"),
            11_000.0 / DAYS_PER_YEAR
        );
        assert_eq!(
            get(&v, "completion_age_p90_years"),
            14_610.0 / DAYS_PER_YEAR
        );
        // 11000, 12000, 13000, 14609 (10957 is 29.9993 years).
        assert_eq!(get(&v, "completions_in_thirties_share"), 0.4);

        // (1·1 + 2·2 + 3·3 + 4·4) / 10 donations.
        assert_eq!(get(&v, "donations_per_donor_mean"), 3.0);
        assert_eq!(get(&v, "completed_at_1_share"), 0.1);
        assert_eq!(get(&v, "completed_at_2_share"), 0.2);
        assert_eq!(get(&v, "completed_at_3_share"), 0.3);
        assert_eq!(get(&v, "completed_at_4_share"), 0.4);
        assert_eq!(get(&v, "beds_held_max"), 33.0);

        assert_eq!(get(&v, "carer_years_median"), 2_000.0 / DAYS_PER_YEAR);
        assert_eq!(get(&v, "carer_years_min"), 400.0 / DAYS_PER_YEAR);
        assert_eq!(get(&v, "carer_years_max"), 4_383.0 / DAYS_PER_YEAR);
        assert_eq!(get(&v, "carer_years_12_plus_share"), 0.25);
        assert_eq!(get(&v, "donors_per_carer"), 146_097.0 / 36_524.0);
        assert_eq!(
            get(&v, "km_per_carer_year"),
            250_000.0 / (36_524.0 / DAYS_PER_YEAR)
        );

        assert_eq!(get(&v, "couples_formed"), 12.0);
        assert_eq!(get(&v, "deferral_applications"), 3.0);
        assert_eq!(get(&v, "deferrals_granted"), 0.0);
        assert_eq!(get(&v, "gallery_pieces"), 7.0);
        assert_eq!(get(&v, "outsiders_knowing"), 1_000.0);
        assert_eq!(get(&v, "outsiders_knowing_share"), 1_000.0 / 50_000_000.0);
        assert_eq!(get(&v, "events"), 123_456_789.0);
    }

    #[test]
    fn undefined_figures_are_nan_not_zero() {
        let mut t = sample_tally();
        t.completed = 0;
        t.completions_at_donation = [0; 4];
        t.completion_age_days = Histogram::new(10);
        t.career_days = Histogram::new(10);
        t.new_patients = 0;
        t.new_patients_final_year = 0;
        t.transplants_final_year = 0;
        t.organs_grown_final_year = 0;
        t.waiting_deaths_final_year = 0;
        t.carer_days = 0;
        t.population = 0.0;
        let v = figures(&t);
        for key in [
            "demand_met_share",
            "demand_met_share_final_year",
            "completion_age_median_years",
            "completion_age_p10_years",
            "completion_age_p90_years",
            "completions_in_thirties_share",
            "donations_per_donor_mean",
            "completed_at_1_share",
            "completed_at_4_share",
            "carer_years_median",
            "carer_years_min",
            "carer_years_max",
            "carer_years_12_plus_share",
            "donors_per_carer",
            "km_per_carer_year",
            "outsiders_knowing_share",
        ] {
            assert!(get(&v, key).is_nan(), "{key} = {}", get(&v, key));
        }
        assert_eq!(get(&v, "clones_created"), 271_430.0);
    }
}
