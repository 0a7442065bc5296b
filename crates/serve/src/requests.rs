//! The bodies of the API's POST requests, read and checked before any work is done: JSON into
//! a typed request, a scenario's name or text into a scenario, a pattern's name or text into a
//! compiled pattern, every number within its bounds. Nothing here holds state or touches the
//! store, so the fuzz target `api` (fuzz/fuzz_targets/api.rs) throws any bytes at it through
//! [`read_post`], and the stable suite replays what it kept.

use serde::Deserialize;
use serde_json::{Value, json};

use hailsham_runner::{Limits, Outputs, Plan};
use hailsham_scenario::Scenario;
use hailsham_sift::{Pattern, closest_named, named};
use hailsham_store::SCENARIO_TEXT_MAX;

use crate::error::ApiError;

/// Seed of a request that does not say.
pub(crate) const SEED_DEFAULT: u64 = 1;
/// Replicates of a run or sift when the request does not say.
pub(crate) const REPLICATES_DEFAULT: u32 = 5;
/// The most replicates a run from the page may have.
pub(crate) const REPLICATES_MAX: u32 = 100;
/// The most replicates a sift from the page runs: each is simulated with the sifter watching.
pub(crate) const SIFT_REPLICATES_MAX: u32 = 10;

/// A JSON body of the shape `T`, or why not.
fn json_body<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(format!("the request body is not the JSON expected: {e}"))
    })
}

/// The scenario named `name`: `novel` or a bundled one; its text as a user would read it.
pub(crate) fn named_scenario(name: &str) -> Result<(Scenario, String), ApiError> {
    Ok(hailsham_runner::scenarios::named(name)?)
}

/// `scenario` run until `end_year`, if given, refused if the rules then fail.
pub(crate) fn until(scenario: Scenario, end_year: Option<i64>) -> Result<Scenario, ApiError> {
    Ok(hailsham_runner::until(scenario, end_year)?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckBody {
    text: String,
}

/// `POST /api/check`: the scenario text to check.
pub(crate) fn check(bytes: &[u8]) -> Result<String, ApiError> {
    let CheckBody { text } = json_body(bytes)?;
    Ok(text)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunBody {
    scenario: Option<String>,
    text: Option<String>,
    seed: Option<u64>,
    replicates: Option<u32>,
    end_year: Option<i64>,
}

/// `POST /api/runs`, read: the plan, sized against the page's limits on `threads`, and the
/// scenario's text as the store keeps it.
pub(crate) fn run(bytes: &[u8], threads: usize) -> Result<(Plan, String), ApiError> {
    let request: RunBody = json_body(bytes)?;
    let (scenario, text) = match (request.scenario, request.text) {
        (Some(name), None) => named_scenario(&name)?,
        (None, Some(text)) if text.len() > SCENARIO_TEXT_MAX => {
            return Err(ApiError::too_large(format!(
                "the scenario's text is {} bytes; a run records at most {SCENARIO_TEXT_MAX} \
                 (a scenario is a few kilobytes: leave long comments out)",
                text.len()
            )));
        }
        (None, Some(text)) => (hailsham_runner::scenarios::from_text(&text)?, text),
        _ => {
            return Err(ApiError::bad_request(
                "give either `scenario` (a name) or `text` (a scenario's TOML), not both",
            ));
        }
    };
    let scenario = until(scenario, request.end_year)?;
    let replicates = request.replicates.unwrap_or(REPLICATES_DEFAULT);
    if replicates == 0 || replicates > REPLICATES_MAX {
        return Err(ApiError::bad_request(format!(
            "replicates must be 1 to {REPLICATES_MAX}, not {replicates}"
        )));
    }
    let mut plan = Plan::new(scenario, request.seed.unwrap_or(SEED_DEFAULT), replicates);
    plan.check(&Limits::PAGE, Outputs::default(), threads)
        .map_err(|e| {
            ApiError::unprocessable(format!(
                "{e} (run larger worlds with `hailsham run --large`)"
            ))
        })?;
    Ok((plan, text))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiftBody {
    pattern: String,
    scenario: Option<String>,
    seed: Option<u64>,
    replicates: Option<u32>,
    end_year: Option<i64>,
}

/// `POST /api/sift`, read and checked.
pub(crate) struct SiftRequest {
    /// The pattern, compiled.
    pub(crate) pattern: Pattern,
    /// Its text (a named pattern's, for a name).
    pub(crate) text: String,
    pub(crate) scenario: Scenario,
    pub(crate) seed: u64,
    pub(crate) replicates: u32,
}

/// `POST /api/sift`: a pattern that does not parse is refused with its line, column and what
/// was expected there (and, for a lone word, the closest named pattern).
pub(crate) fn sift(bytes: &[u8]) -> Result<SiftRequest, ApiError> {
    let request: SiftBody = json_body(bytes)?;
    let text = named(&request.pattern).map_or_else(|| request.pattern.clone(), str::to_string);
    let pattern = Pattern::parse(&text).map_err(|error| {
        let (line, column) = error.line_column(&text);
        let mut e = ApiError::bad_request(format!("the pattern does not parse: {}", error.message))
            .with("line", json!(line))
            .with("column", json!(column))
            .with("expected", json!(error.expected));
        if !request.pattern.contains(char::is_whitespace) {
            e = e.help(closest_named(&request.pattern).map(|n| format!("did you mean `{n}`?")));
        }
        e
    })?;
    let replicates = request.replicates.unwrap_or(REPLICATES_DEFAULT);
    if replicates == 0 || replicates > SIFT_REPLICATES_MAX {
        return Err(ApiError::bad_request(format!(
            "a sift runs 1 to {SIFT_REPLICATES_MAX} replicates, not {replicates}"
        )));
    }
    let (scenario, _) = named_scenario(request.scenario.as_deref().unwrap_or("novel"))?;
    let scenario = until(scenario, request.end_year)?;
    Ok(SiftRequest {
        pattern,
        text,
        scenario,
        seed: request.seed.unwrap_or(SEED_DEFAULT),
        replicates,
    })
}

/// Reads `body` as the body of a POST to `path` (`/api/check`, `/api/runs` or `/api/sift`)
/// and checks it, doing none of the work: `Ok` with nothing for a request the server would
/// take on, or the status and JSON body the server would answer. A path of no POST route is
/// a 404. For the fuzz target and tests: whatever the bytes, the answer is a 4xx with a
/// message, never a panic or a 5xx. The check of a scenario's text (`/api/check`) is read
/// here as far as the scenario parser, which answers in the body, not the status.
///
/// # Errors
/// The HTTP status and the JSON body of the refusal.
pub fn read_post(path: &str, body: &[u8]) -> Result<(), (u16, Value)> {
    let refused = |error: ApiError| (error.status().as_u16(), error.body().clone());
    match path {
        "/api/check" => {
            let text = check(body).map_err(refused)?;
            // The page shows a scenario's diagnostics; a refusal of another kind is a fault.
            match hailsham_runner::scenarios::from_text(&text) {
                Ok(_) | Err(hailsham_runner::RunError::Scenario(_)) => Ok(()),
                Err(other) => Err(refused(other.into())),
            }
        }
        "/api/runs" => run(body, 2).map(|_| ()).map_err(refused),
        "/api/sift" => sift(body).map(|_| ()).map_err(refused),
        _ => Err(refused(ApiError::not_found(format!(
            "no POST route {}",
            path.chars().take(60).collect::<String>()
        )))),
    }
}
