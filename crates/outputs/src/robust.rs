//! How far an answer holds over the plausible worlds, said in a sentence a reader can check.
//!
//! The runner runs each question's scenario and `novel` in many plausible worlds (every
//! assumption of the model drawn from the range `sweeps/plausible.toml` gives it) and hands
//! this module what it found: in how many worlds the paired difference of the judged figure
//! gives the answer's own verdict ([`crate::point_verdict`]), how much of that difference each
//! assumption accounts for (Sobol indices), and, where the answer reverses, the one or two
//! assumptions whose ranges hold the reversals (PRIM's box). [`Robustness::sentence`] says it:
//!
//! > It holds in 90% (86% to 93%) of 256 plausible worlds, against 100% (94% to 100%) of single
//! > runs of the novel's own world; where it reverses, it is mostly where
//! > `donation.completion_risk_2` (chance that a donor completes at the second donation) is
//! > above 0.35 (that range holds 80% of the reversals, and 70% of the worlds in it reverse).
//!
//! Single runs are noisier than the paired replicates an answer rests on, so the share is set
//! beside the share of single paired runs of the novel's own world that give the verdict:
//! chance is never passed off as an assumption's doing.

use std::fmt::Write as _;

use crate::answer::Verdict;

/// A value and its 95% interval.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Ranged {
    /// The estimate.
    pub value: f64,
    /// The interval's low end.
    pub low: f64,
    /// Its high end.
    pub high: f64,
}

impl Ranged {
    /// `0.41 (0.21 to 0.81)`: as every table of indices prints one.
    #[must_use]
    pub fn text(&self) -> String {
        format!("{:.2} ({:.2} to {:.2})", self.value, self.low, self.high)
    }
}

/// One assumption's share of the variance of the judged figure's difference.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    /// The parameter, `section.key`.
    pub key: String,
    /// What it is, in a few words.
    pub words: String,
    /// First-order Sobol index, with its bootstrap interval.
    pub first: Ranged,
    /// Total Sobol index, with its bootstrap interval.
    pub total: Ranged,
}

/// One side or both of one assumption's range where the answer reverses.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// The parameter, `section.key`.
    pub key: String,
    /// What it is, in a few words.
    pub words: String,
    /// Above this value (`None`: from the bottom of its plausible range).
    pub above: Option<String>,
    /// Below this value (`None`: to the top of its plausible range).
    pub below: Option<String>,
}

/// Where an answer reverses: PRIM's box over one or two assumptions.
#[derive(Clone, Debug, PartialEq)]
pub struct Reversal {
    /// The assumptions and their ranges, the one narrowed most first.
    pub bounds: Vec<Bound>,
    /// The share of all reversals that lie in the box.
    pub coverage: f64,
    /// The share of the worlds in the box that reverse.
    pub density: f64,
}

/// How far one question's answer holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Robustness {
    /// The question's scenario.
    pub scenario: String,
    /// The verdict tested: the answer's at the novel's own values.
    pub verdict: Verdict,
    /// Plausible worlds tried.
    pub worlds: usize,
    /// Of them, those where the verdict holds.
    pub holds: usize,
    /// The share's 95% interval (Wilson's).
    pub interval: (f64, f64),
    /// Replicate noise alone: of single paired runs of the novel's own world (as many
    /// replicates, at the worlds' scale), those that give the verdict, and how many ran.
    pub noise: (usize, usize),
    /// The share of the difference's variance over the Sobol design that replicate noise
    /// alone accounts for (`None` where the difference did not vary).
    pub noise_share: Option<f64>,
    /// Assumptions screened (Morris) before the indices were estimated.
    pub screened: usize,
    /// The assumptions that matter most, with their Sobol indices, the largest total first;
    /// empty where the difference does not vary.
    pub indices: Vec<Sensitivity>,
    /// How the worlds answer, one run each: the findings for yes and for no in the question's
    /// words, and how many worlds give yes, no and no difference that matters; what an
    /// answer the model cannot tell at the novel's values is told with.
    pub spread: Spread,
    /// Where the answer reverses, if it ever does and PRIM finds a box that holds at least
    /// half the reversals, twice as densely as all the worlds do.
    pub reversal: Option<Reversal>,
}

/// How the plausible worlds answer, one paired run each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spread {
    /// The finding for yes, in the question's words (`couples in love gain years of life`).
    pub yes_finding: String,
    /// The finding for no.
    pub no_finding: String,
    /// Worlds whose run gives yes.
    pub yes: usize,
    /// Worlds whose run gives no.
    pub no: usize,
    /// Worlds whose run gives no difference that matters.
    pub no_difference: usize,
}

/// Wilson's 95% interval for `successes` of `trials`.
#[must_use]
pub fn wilson(successes: usize, trials: usize) -> (f64, f64) {
    if trials == 0 {
        return (f64::NAN, f64::NAN);
    }
    #[allow(clippy::cast_precision_loss)]
    let (k, n) = (successes as f64, trials as f64);
    let z = 1.959_963_984_540_054_f64;
    let p = k / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    // At the ends the interval reaches them exactly, whatever the rounding.
    let low = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if successes == trials {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

/// A share as a reader reads it: whole percents, or one decimal near the ends.
fn percent(share: f64) -> String {
    let value = share * 100.0;
    if value > 99.0 && value < 100.0 || value > 0.0 && value < 1.0 {
        format!("{value:.1}%")
    } else {
        format!("{value:.0}%")
    }
}

impl Robustness {
    /// The share of worlds where the verdict holds.
    #[must_use]
    pub fn share(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let share = self.holds as f64 / self.worlds.max(1) as f64;
        share
    }

    /// Whether the worlds reverse the verdict more often than replicate noise alone does in
    /// the novel's own world (the two intervals apart).
    #[must_use]
    pub fn beyond_noise(&self) -> bool {
        self.interval.1 < wilson(self.noise.0, self.noise.1).0
    }

    /// How far the answer holds, in one sentence (with a second on what moves it most).
    #[must_use]
    pub fn sentence(&self) -> String {
        let (low, high) = self.interval;
        let (noise_low, noise_high) = wilson(self.noise.0, self.noise.1);
        #[allow(clippy::cast_precision_loss)]
        let noise = self.noise.0 as f64 / self.noise.1.max(1) as f64;
        #[allow(clippy::cast_precision_loss)]
        let of = |count: usize| percent(count as f64 / self.worlds.max(1) as f64);
        let mut text = if self.verdict == Verdict::Unclear {
            let spread = &self.spread;
            format!(
                "The model cannot tell at the novel's own values; across {} plausible worlds, one \
                 run each, {} find that {}, {} that {}, and {} no difference that matters",
                self.worlds,
                of(spread.yes),
                spread.yes_finding,
                of(spread.no),
                spread.no_finding,
                of(spread.no_difference)
            )
        } else if self.holds == self.worlds {
            format!(
                "It holds in every one of {} plausible worlds ({} to {})",
                self.worlds,
                percent(low),
                percent(high)
            )
        } else {
            let chance = if self.beyond_noise() {
                "against"
            } else {
                "as it does in"
            };
            format!(
                "It holds in {} ({} to {}) of {} plausible worlds, {chance} {} ({} to {}) of \
                 single runs of the novel's own world",
                percent(self.share()),
                percent(low),
                percent(high),
                self.worlds,
                percent(noise),
                percent(noise_low),
                percent(noise_high)
            )
        };
        if self.verdict != Verdict::Unclear && self.holds < self.worlds {
            match &self.reversal {
                Some(reversal) => {
                    let ranges: Vec<String> = reversal
                        .bounds
                        .iter()
                        .map(|bound| {
                            let range = match (&bound.above, &bound.below) {
                                (Some(above), Some(below)) => {
                                    format!("between {above} and {below}")
                                }
                                (Some(above), None) => format!("above {above}"),
                                (None, Some(below)) => format!("below {below}"),
                                (None, None) => "anywhere in its range".to_string(),
                            };
                            format!("`{}` ({}) is {range}", bound.key, bound.words)
                        })
                        .collect();
                    let _ = write!(
                        text,
                        "; where it reverses, it is mostly where {} (that range holds {} of the \
                         reversals, and {} of the worlds in it reverse)",
                        ranges.join(" and "),
                        percent(reversal.coverage),
                        percent(reversal.density)
                    );
                }
                None if !self.beyond_noise() => text.push_str(
                    ": where it does not, the chance of one run decides it, not the assumptions",
                ),
                None => text.push_str(
                    "; the worlds where it reverses share no range of one or two assumptions",
                ),
            }
        }
        text.push('.');
        if self.verdict == Verdict::Unclear {
            return text;
        }
        if let Some(noise) = self.noise_share
            && noise > 0.5
        {
            let _ = write!(
                text,
                " Replicate noise alone accounts for {} of the difference's variance across the \
                 worlds tried for Sobol indices, so the indices cannot single out an assumption.",
                percent(noise)
            );
            return text;
        }
        if let Some(first) = self.indices.first() {
            let _ = write!(
                text,
                " Of the {} assumptions screened, `{}` ({}) moves the difference most: {} of its \
                 variance is its doing, alone or with others (total Sobol index {:.2}, {:.2} to \
                 {:.2}).",
                self.screened,
                first.key,
                first.words,
                percent(first.total.value.clamp(0.0, 1.0)),
                first.total.value,
                first.total.low,
                first.total.high
            );
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn robustness(holds: usize, reversal: Option<Reversal>) -> Robustness {
        Robustness {
            scenario: "single-harvest".to_string(),
            verdict: Verdict::Yes,
            worlds: 256,
            holds,
            interval: wilson(holds, 256),
            spread: Spread {
                yes_finding: "taking everything at once saves more of the sick".to_string(),
                no_finding: "it saves none of them".to_string(),
                yes: holds,
                no: 256 - holds,
                no_difference: 0,
            },
            noise: (64, 64),
            noise_share: Some(0.05),
            screened: 79,
            indices: vec![Sensitivity {
                key: "donation.completion_risk_2".to_string(),
                words: "chance that a donor completes at the second donation".to_string(),
                first: Ranged {
                    value: 0.5,
                    low: 0.4,
                    high: 0.6,
                },
                total: Ranged {
                    value: 0.62,
                    low: 0.5,
                    high: 0.74,
                },
            }],
            reversal,
        }
    }

    /// Goal: the interval is Wilson's, as the textbooks have it.
    #[test]
    fn wilson_intervals_are_the_textbooks() {
        let (low, high) = wilson(81, 263);
        assert!(
            (low - 0.2553).abs() < 1e-3 && (high - 0.3662).abs() < 1e-3,
            "{low} {high}"
        );
        let (low, high) = wilson(256, 256);
        assert!(high == 1.0 && (low - 0.9852).abs() < 1e-3, "{low}");
    }

    /// Goal: the sentence says the share with its interval, the reversal's ranges with coverage
    /// and density, and the assumption that matters most with its index.
    #[test]
    fn the_sentence_says_share_reversal_and_what_moves_it() {
        let reversal = Reversal {
            bounds: vec![Bound {
                key: "donation.completion_risk_2".to_string(),
                words: "chance that a donor completes at the second donation".to_string(),
                above: Some("0.35".to_string()),
                below: None,
            }],
            coverage: 0.8,
            density: 0.7,
        };
        let text = robustness(230, Some(reversal)).sentence();
        assert!(
            text.starts_with("It holds in 90% (86% to 93%) of 256 plausible worlds, against 100% (94% to 100%) of single runs of the novel's own world; where it reverses, it is mostly where `donation.completion_risk_2` (chance that a donor completes at the second donation) is above 0.35 (that range holds 80% of the reversals, and 70% of the worlds in it reverse)."),
            "{text}"
        );
        assert!(
            text.contains("Of the 79 assumptions screened, `donation.completion_risk_2`"),
            "{text}"
        );
        assert!(
            text.contains("total Sobol index 0.62, 0.50 to 0.74"),
            "{text}"
        );
        let every = robustness(256, None).sentence();
        assert!(
            every.starts_with("It holds in every one of 256 plausible worlds (99% to 100%)."),
            "{every}"
        );
        let mut noisy = robustness(175, None);
        noisy.noise = (43, 64);
        noisy.noise_share = Some(0.9);
        let text = noisy.sentence();
        assert!(
            text.starts_with("It holds in 68% (62% to 74%) of 256 plausible worlds, as it does in 67% (55% to 77%) of single runs of the novel's own world: where it does not, the chance of one run decides it, not the assumptions. Replicate noise alone accounts for 90% of the difference's variance across the worlds tried for Sobol indices, so the indices cannot single out an assumption."),
            "{text}"
        );
        let mut unclear = robustness(100, None);
        unclear.verdict = Verdict::Unclear;
        unclear.spread.no_difference = 56;
        unclear.spread.no = 100;
        assert!(
            unclear.sentence().starts_with(
                "The model cannot tell at the novel's own values; across 256 plausible worlds, one \
                 run each, 39% find that taking everything at once saves more of the sick, 39% that \
                 it saves none of them, and 22% no difference that matters."
            ),
            "{}",
            unclear.sentence()
        );
        assert!(!unclear.sentence().contains("Sobol"));
    }
}
