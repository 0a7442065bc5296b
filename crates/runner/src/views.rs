//! The serializable counterparts of the boundary's results: one shape per result, used by the
//! command line's `--format json` and by the page's API alike, so the two cannot drift apart.
//! The internal types (a store's `RunHead`) carry no serde of their own; a figure's shape is
//! `summary.json`'s ([`FigureView`], written by `hailsham-outputs`).

use hailsham_outputs::FigureView;
use hailsham_store::{RunHead, StoredRun};
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

#[cfg(test)]
mod tests {
    use super::*;
    use hailsham_store::{RunId, Status};

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
