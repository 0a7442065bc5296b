//! The serializable counterparts of the boundary's results: one shape per result, used by the
//! command line's `--format json` and by the page's API alike, so the two cannot drift apart.
//! The internal types (a store's `RunHead`) carry no serde of their own; a figure's shape is
//! `summary.json`'s ([`FigureView`], written by `hailsham-outputs`).

use hailsham_outputs::FigureView;
use hailsham_scenario::Scenario;
use hailsham_store::{RunHead, StoredRun};
use hailsham_world::{Kind, SPECS, Value};
use serde::Serialize;

/// A stored run's head: what it ran, how it stands, where its log is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunView {
    /// Its id in the store.
    pub id: i64,
    /// What asked for it: the command line as typed, or `serve`.
    pub command: String,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario's hash.
    pub hash: String,
    /// The master seed.
    pub seed: u64,
    /// Replicates.
    pub replicates: u32,
    /// The first calendar year.
    pub start_year: i32,
    /// The year the run ends at.
    pub end_year: i32,
    /// The version of hailsham that ran it.
    pub version: String,
    /// queued, running, complete, failed, cancelled or interrupted.
    pub status: &'static str,
    /// Why it failed, was cancelled or interrupted.
    pub message: Option<String>,
    /// When it began (or was queued), UTC, ISO 8601.
    pub started: String,
    /// When it ended, UTC, ISO 8601.
    pub finished: Option<String>,
    /// The folder of its event log, if it wrote one.
    pub log: Option<String>,
}

impl From<&RunHead> for RunView {
    fn from(head: &RunHead) -> RunView {
        RunView {
            id: head.id.0,
            command: head.command.clone(),
            scenario: head.scenario_name.clone(),
            hash: head.scenario_hash.clone(),
            seed: head.seed,
            replicates: head.replicates,
            start_year: head.start_year,
            end_year: head.end_year,
            version: head.version.clone(),
            status: head.status.as_str(),
            message: head.message.clone(),
            started: head.started.clone(),
            finished: head.finished.clone(),
            log: head.log_dir.as_ref().map(|dir| dir.display().to_string()),
        }
    }
}

/// A stored run whole: its head, the scenario's text, and its figures when complete.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredRunView {
    /// Its head.
    #[serde(flatten)]
    pub head: RunView,
    /// The scenario as TOML text that loads to the same parameters.
    pub scenario_text: String,
    /// Every figure, when the run is complete.
    pub figures: Option<Vec<FigureView>>,
}

impl From<&StoredRun> for StoredRunView {
    fn from(run: &StoredRun) -> StoredRunView {
        StoredRunView {
            head: RunView::from(&run.head),
            scenario_text: run.scenario_text.clone(),
            figures: run.summary.as_ref().map(FigureView::all),
        }
    }
}

/// One parameter of the model, with its meaning, unit, range, tag and source, and its value in
/// a scenario: what `hailsham params` lists and the page's editor shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamView {
    /// `section.key`.
    pub key: String,
    /// The institution it belongs to (its section).
    pub institution: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// Its value in the scenario asked about (`novel` for the defaults).
    pub default: Option<serde_json::Value>,
    /// The smallest value allowed.
    pub min: f64,
    /// The largest value allowed.
    pub max: f64,
    /// `number`, `integer` or `bool`.
    pub kind: &'static str,
    /// canon, novel, inferred or assumption.
    pub tag: &'static str,
    /// Where it comes from.
    pub source: &'static str,
    /// Whether the scenario changes it from `novel`.
    #[serde(skip)]
    pub changed: bool,
}

impl ParamView {
    /// Every parameter, in the table's order, with its value in `scenario`.
    #[must_use]
    pub fn all(scenario: &Scenario) -> Vec<ParamView> {
        SPECS
            .iter()
            .map(|spec| ParamView {
                key: spec.path(),
                institution: spec.section,
                meaning: spec.meaning,
                unit: spec.unit,
                default: scenario
                    .params
                    .get(spec.section, spec.key)
                    .map(|value| match value {
                        Value::Float(x) => serde_json::json!(x),
                        Value::Int(n) => serde_json::json!(n),
                        Value::Bool(b) => serde_json::json!(b),
                    }),
                min: spec.min,
                max: spec.max,
                kind: match spec.kind {
                    Kind::Float => "number",
                    Kind::Int => "integer",
                    Kind::Bool => "bool",
                },
                tag: spec.tag.as_str(),
                source: spec.source,
                changed: scenario.changed.contains(&(spec.section, spec.key)),
            })
            .collect()
    }
}

/// The reviewers' questions answered, as the command line's `questions --format json` prints
/// them and Python reads them: each question with its verdict, finding and sentences, and how
/// far it holds where `robust` says.
#[must_use]
pub fn questions_view(
    answered: &[crate::Answered],
    robust: &[(&'static str, hailsham_outputs::Robustness)],
    asking: &crate::Asking,
) -> serde_json::Value {
    let questions: Vec<serde_json::Value> = answered
        .iter()
        .map(|item| {
            let robustness = robust
                .iter()
                .find(|(name, _)| *name == item.name)
                .and_then(|(_, r)| serde_json::to_value(RobustnessView::from(r)).ok());
            serde_json::json!({
                "scenario": item.name,
                "question": item.question,
                "source": item.source,
                "start_year": item.years.start_year,
                "end_year": item.years.end_year,
                "verdict": item.answer.as_ref().map(|a| a.verdict.as_str()),
                "finding": item.answer.as_ref().map(|a| a.finding.clone()),
                "answer": item.answer.as_ref().map(hailsham_outputs::Answer::first_sentence),
                "sentences": item.answer.as_ref().map(|a| a.sentences.clone()),
                "robustness": robustness,
            })
        })
        .collect();
    serde_json::json!({
        "seed": asking.seed,
        "replicates": asking.replicates,
        "against": "novel",
        "version": hailsham_outputs::VERSION,
        "questions": questions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hailsham_store::{RunId, Status};

    /// Goal: every parameter is listed once, with the scenario's value and what it changed.
    #[test]
    fn parameters_are_listed_with_their_values_and_changes() {
        let novel = ParamView::all(&Scenario::novel());
        assert_eq!(novel.len(), SPECS.len());
        assert!(novel.iter().all(|p| !p.changed && p.default.is_some()));
        let (escape, _) = crate::scenarios::named("escape").expect("bundled");
        let changed: Vec<String> = ParamView::all(&escape)
            .into_iter()
            .filter(|p| p.changed)
            .map(|p| p.key)
            .collect();
        assert!(!changed.is_empty());
        assert!(
            changed
                .iter()
                .all(|key| key.starts_with("escape.") || key.contains('.'))
        );
    }

    /// Goal: the view names what the page and the command line read, and nothing internal.
    #[test]
    fn a_run_view_says_log_and_status_in_words() {
        let head = RunHead {
            id: RunId(3),
            command: "hailsham run --log".into(),
            scenario_name: "novel".into(),
            scenario_hash: "abc".into(),
            seed: 1,
            replicates: 5,
            start_year: 1952,
            end_year: 2000,
            version: "0.1.0".into(),
            status: Status::Complete,
            message: None,
            pid: 42,
            started: "2026-12-07T12:00:00Z".into(),
            finished: None,
            log_dir: Some("/tmp/out".into()),
        };
        let json = serde_json::to_value(RunView::from(&head)).expect("serializes");
        assert_eq!(json["log"], "/tmp/out");
        assert_eq!(json["status"], "complete");
        assert_eq!(json["scenario"], "novel");
        assert!(json.get("pid").is_none() && json.get("log_dir").is_none());
    }
}

/// How far an answer holds, for programs and the page: the sentence and every number behind
/// it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RobustnessView {
    /// The sentence `questions` prints under the answer.
    pub sentence: String,
    /// The verdict tested (`yes`, `no`, `no-difference` or `unclear`).
    pub verdict_tested: &'static str,
    /// Plausible worlds tried.
    pub worlds: usize,
    /// Of them, those where the verdict holds.
    pub holds: usize,
    /// Their share.
    pub share: f64,
    /// Worlds whose one run gives yes, no and no difference that matters.
    pub spread: [usize; 3],
    /// Its 95% interval (Wilson's), low and high.
    pub interval: [f64; 2],
    /// Single paired runs of the novel's own world that give the verdict, and how many ran.
    pub noise: [usize; 2],
    /// The share of the difference's variance that replicate noise accounts for.
    pub noise_share_of_variance: Option<f64>,
    /// Assumptions screened.
    pub screened: usize,
    /// The assumptions that move the difference most, the largest total index first.
    pub indices: Vec<IndexView>,
    /// Where the answer reverses, if a box of one or two assumptions holds the reversals.
    pub reversal: Option<ReversalView>,
}

/// One assumption's Sobol indices: each `[value, low, high]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndexView {
    /// The parameter, `section.key`.
    pub parameter: String,
    /// What it is, in a few words.
    pub words: String,
    /// First-order index and its 95% bootstrap interval.
    pub first: [f64; 3],
    /// Total index and its interval.
    pub total: [f64; 3],
}

/// PRIM's box.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReversalView {
    /// Each assumption bounded: `parameter`, `above` and `below` (either may be absent).
    pub bounds: Vec<BoundView>,
    /// The share of the reversals inside the box.
    pub coverage: f64,
    /// The share of the worlds inside it that reverse.
    pub density: f64,
}

/// One assumption's range in PRIM's box.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoundView {
    /// The parameter, `section.key`.
    pub parameter: String,
    /// Above this value, if bounded below.
    pub above: Option<String>,
    /// Below this value, if bounded above.
    pub below: Option<String>,
}

impl From<&hailsham_outputs::Robustness> for RobustnessView {
    fn from(robustness: &hailsham_outputs::Robustness) -> RobustnessView {
        let ranged = |r: &hailsham_outputs::Ranged| [r.value, r.low, r.high];
        RobustnessView {
            sentence: robustness.sentence(),
            verdict_tested: robustness.verdict.as_str(),
            worlds: robustness.worlds,
            holds: robustness.holds,
            share: robustness.share(),
            spread: [
                robustness.spread.yes,
                robustness.spread.no,
                robustness.spread.no_difference,
            ],
            interval: [robustness.interval.0, robustness.interval.1],
            noise: [robustness.noise.0, robustness.noise.1],
            noise_share_of_variance: robustness.noise_share,
            screened: robustness.screened,
            indices: robustness
                .indices
                .iter()
                .map(|index| IndexView {
                    parameter: index.key.clone(),
                    words: index.words.clone(),
                    first: ranged(&index.first),
                    total: ranged(&index.total),
                })
                .collect(),
            reversal: robustness.reversal.as_ref().map(|reversal| ReversalView {
                bounds: reversal
                    .bounds
                    .iter()
                    .map(|bound| BoundView {
                        parameter: bound.key.clone(),
                        above: bound.above.clone(),
                        below: bound.below.clone(),
                    })
                    .collect(),
                coverage: reversal.coverage,
                density: reversal.density,
            }),
        }
    }
}
