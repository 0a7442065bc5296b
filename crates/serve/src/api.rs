//! The routes (docs/serve.md) and what answers each. Handlers parse and check what they are
//! given, hand anything slow to a thread of its own, and answer JSON; every failure is an
//! [`ApiError`], never a panic or a request left hanging.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::stream::{self, Stream};
use hailsham_outputs::{Comparison, VERSION, changes};
use hailsham_runner::{Cancel, ParamView, Recorder, RunError, RunView};
use hailsham_scenario::{BUNDLED, Scenario};
use hailsham_sift::{NAMED, Pattern};
use hailsham_store::{RunId, StoredRun};

use serde_json::{Value, json};

use crate::AppState;
use crate::error::{ApiError, diagnostics_json};
use crate::jobs::RunState;
use crate::people::life;
use crate::present::{comparison_json, question_json, series_json, summary_json};
use crate::requests::{
    self, REPLICATES_DEFAULT, REPLICATES_MAX, SEED_DEFAULT, SiftRequest, named_scenario, until,
};

/// The largest request body: a scenario is a few kilobytes; a megabyte is already absurd.
pub const BODY_MAX: usize = 1 << 20;
/// The longest a request may wait for its answer (a sift of ten replicates takes seconds).
pub(crate) const REQUEST_MAX: Duration = Duration::from_secs(120);

type Shared = State<Arc<AppState>>;
type Reply = Result<Response, ApiError>;

/// Every route, over `state`.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/assets/{*path}", get(asset))
        .route("/api/version", get(version))
        .route("/api/scenarios", get(scenarios))
        .route("/api/scenarios/{name}", get(scenario))
        .route("/api/params", get(params))
        .route("/api/check", post(check))
        .route("/api/questions", get(questions))
        .route("/api/questions/{name}", get(question))
        .route("/api/runs", get(runs).post(submit))
        .route("/api/runs/{id}", get(run))
        .route("/api/runs/{id}/events", get(events))
        .route("/api/runs/{id}/cancel", post(cancel))
        .route("/api/sweeps", get(sweeps))
        .route("/api/sweeps/{id}", get(sweep_of))
        .route("/api/compare", get(compare))
        .route("/api/patterns", get(patterns))
        .route("/api/sift", post(sift))
        .route("/api/life/{id}", get(life_of))
        .fallback(nowhere)
        .layer(DefaultBodyLimit::max(BODY_MAX))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            crate::guard::guard,
        ))
        .with_state(state)
}

fn json_response(value: &Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// Runs `work` on a blocking thread, within [`REQUEST_MAX`].
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::time::timeout(REQUEST_MAX, tokio::task::spawn_blocking(work)).await {
        Ok(Ok(result)) => result,
        Ok(Err(failed)) => Err(ApiError::internal(format!(
            "the request failed inside the server: {failed}"
        ))),
        Err(_) => Err(ApiError::timeout(format!(
            "the request took longer than {} s",
            REQUEST_MAX.as_secs()
        ))),
    }
}

/// A request's body, or the reason it could not be read: too large, or cut short. What it
/// says is read by [`requests`].
fn body(bytes: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    bytes.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(format!("the request body is larger than {BODY_MAX} bytes"))
        } else {
            ApiError::bad_request(format!("the request body could not be read: {rejection}"))
        }
    })
}

fn query(
    query: Result<Query<std::collections::HashMap<String, String>>, QueryRejection>,
) -> Result<std::collections::HashMap<String, String>, ApiError> {
    query
        .map(|Query(q)| q)
        .map_err(|e| ApiError::bad_request(format!("the query string is malformed: {e}")))
}

/// A whole number from the query, or its default.
fn number<T: std::str::FromStr>(
    query: &std::collections::HashMap<String, String>,
    key: &str,
    default: T,
) -> Result<T, ApiError> {
    match query.get(key) {
        None => Ok(default),
        Some(text) => text.parse().map_err(|_| {
            ApiError::bad_request(format!("`{key}` must be a whole number, not `{text}`"))
        }),
    }
}

async fn index() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        crate::assets::INDEX,
    )
        .into_response()
}

async fn asset(UrlPath(path): UrlPath<String>) -> Reply {
    let Some(asset) = crate::assets::find(&path) else {
        return Err(ApiError::not_found("no such asset"));
    };
    Ok((
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        asset.bytes,
    )
        .into_response())
}

async fn nowhere() -> ApiError {
    ApiError::not_found("nothing here: the page is at / and the API under /api/ (docs/serve.md)")
}

async fn version() -> Response {
    json_response(&json!({ "version": VERSION }))
}

async fn scenarios() -> Reply {
    let listed = blocking(|| {
        let mut list = vec![json!({
            "name": "novel",
            "question": "",
            "summary": Scenario::novel().description,
        })];
        for bundled in BUNDLED {
            if bundled.name == "novel" {
                continue;
            }
            let (scenario, _) = named_scenario(bundled.name)?;
            list.push(json!({
                "name": bundled.name,
                "question": scenario.question,
                "summary": scenario.description,
                "asks": scenario.answer.is_some(),
            }));
        }
        Ok(json!({ "scenarios": list }))
    })
    .await?;
    Ok(json_response(&listed))
}

async fn scenario(UrlPath(name): UrlPath<String>) -> Reply {
    let found = blocking(move || {
        let (scenario, text) = named_scenario(&name)?;
        Ok(json!({
            "name": scenario.name,
            "question": scenario.question,
            "summary": scenario.description,
            "hash": scenario.hash(),
            "text": text,
        }))
    })
    .await?;
    Ok(json_response(&found))
}

async fn params() -> Response {
    let mut groups: Vec<(&str, Vec<ParamView>)> = Vec::new();
    for param in ParamView::all(&Scenario::novel()) {
        match groups
            .iter_mut()
            .find(|(institution, _)| *institution == param.institution)
        {
            Some((_, list)) => list.push(param),
            None => groups.push((param.institution, vec![param])),
        }
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(institution, params)| json!({ "institution": institution, "params": params }))
        .collect();
    json_response(&json!({ "groups": groups }))
}

async fn check(bytes: Result<Bytes, BytesRejection>) -> Reply {
    let text = requests::check(&body(bytes)?)?;
    let checked = blocking(move || {
        let novel = Scenario::novel();
        Ok(
            match hailsham_runner::scenarios::from_text(&text) {
                Ok(scenario) => {
                    let diff: Vec<Value> = changes(&novel.params, &scenario.params)
                        .into_iter()
                        .map(|c| json!({ "key": c.key, "novel": c.base, "value": c.value, "unit": c.unit }))
                        .collect();
                    json!({ "ok": true, "hash": scenario.hash(), "name": scenario.name, "diagnostics": [], "diff": diff })
                }
                Err(RunError::Scenario(diagnostics)) => json!({
                    "ok": false,
                    "hash": Value::Null,
                    "diagnostics": diagnostics_json(&diagnostics),
                    "diff": [],
                }),
                Err(other) => return Err(other.into()),
            },
        )
    })
    .await?;
    Ok(json_response(&checked))
}

/// A question, answered from the store where it holds both runs (the scenario and novel over
/// the same years, with `seed` and `replicates`).
fn answered(
    state: &AppState,
    scenario: &Scenario,
    seed: u64,
    replicates: u32,
    full: bool,
) -> Result<Value, ApiError> {
    let novel = hailsham_runner::scenarios::baseline_for(scenario);
    let mut recorder = Recorder::strict(Arc::clone(&state.store), "serve".to_string());
    let stored = hailsham_runner::stored_answer(scenario, seed, replicates, &mut recorder)
        .map_err(store_error)?;
    let Some(stored) = stored else {
        return Ok(question_json(&novel, scenario, None, None, full));
    };
    let mut question = question_json(
        &novel,
        scenario,
        Some(&stored.comparison),
        Some((stored.base.head.id.0, stored.other.head.id.0)),
        full,
    );
    question["seed"] = json!(seed);
    question["replicates"] = json!(replicates);
    if full {
        // How far the answer holds, where `hailsham questions --robust` left it in the store.
        let pair = [novel.clone(), scenario.clone()];
        if let Some(answer) = hailsham_outputs::answer_of(&stored.comparison, &pair, 1)
            && let Some(robustness) =
                hailsham_runner::stored_robustness(scenario, answer.verdict, &mut recorder)?
        {
            question["robustness"] = json!(hailsham_runner::RobustnessView::from(&robustness));
        }
        question["series"] = json!({
            "novel": stored_series(&stored.base),
            "scenario": stored_series(&stored.other),
        });
    }
    Ok(question)
}

fn store_error(error: hailsham_store::StoreError) -> ApiError {
    ApiError::internal(format!("the run store failed: {error}"))
}

async fn questions(
    State(state): Shared,
    q: Result<Query<std::collections::HashMap<String, String>>, QueryRejection>,
) -> Reply {
    let q = query(q)?;
    let seed = number(&q, "seed", SEED_DEFAULT)?;
    let replicates = number(&q, "replicates", REPLICATES_DEFAULT)?;
    let list = blocking(move || {
        let mut list = Vec::new();
        for (_, scenario) in hailsham_runner::scenarios::asking()? {
            list.push(answered(&state, &scenario, seed, replicates, false)?);
        }
        Ok(json!({ "questions": list, "seed": seed, "replicates": replicates }))
    })
    .await?;
    Ok(json_response(&list))
}

async fn question(
    State(state): Shared,
    UrlPath(name): UrlPath<String>,
    q: Result<Query<std::collections::HashMap<String, String>>, QueryRejection>,
) -> Reply {
    let q = query(q)?;
    let seed = number(&q, "seed", SEED_DEFAULT)?;
    let replicates = number(&q, "replicates", REPLICATES_DEFAULT)?;
    let one = blocking(move || {
        let (scenario, _) = named_scenario(&name)?;
        if scenario.answer.is_none() {
            return Err(ApiError::not_found(format!(
                "scenario `{}` asks no question",
                scenario.name
            )));
        }
        answered(&state, &scenario, seed, replicates, true)
    })
    .await?;
    Ok(json_response(&one))
}

async fn submit(State(state): Shared, bytes: Result<Bytes, BytesRejection>) -> Reply {
    let bytes = body(bytes)?;
    let submitted = blocking(move || {
        let (plan, text) = requests::run(&bytes, state.jobs.threads())?;
        state.jobs.submit(plan, &text)
    })
    .await?;
    let status = if submitted.status == "complete" {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok((
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({ "run": submitted.id.0, "status": submitted.status }).to_string(),
    )
        .into_response())
}

fn run_id(text: &str) -> Result<RunId, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(RunId)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "`{}` is not a run's number",
                text.chars().take(40).collect::<String>()
            ))
        })
}

/// The figures a sweep's page shows for each run: the headline counts and shares.
const SWEEP_FIGURES: [&str; 6] = [
    "waiting_deaths",
    "clones_created",
    "organs_supplied",
    "demand_met_share",
    "completion_age_median_years",
    "clone_life_years_lost",
];

/// The most runs of one sweep the page is sent: a sweep may hold a million.
const SWEEP_RUNS_SHOWN: usize = 500;

fn sweep_head_json(head: &hailsham_store::SweepHead) -> Value {
    json!({
        "id": head.id.0,
        "name": head.name,
        "hash": head.hash,
        "design": head.design,
        "points": head.points,
        "replicates": head.replicates,
        "runs": head.points * u64::from(head.replicates),
        "runs_done": head.runs_done,
        "version": head.version,
        "started": head.started,
    })
}

async fn sweeps(State(state): Shared) -> Reply {
    let list = blocking(move || {
        let store = state
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let heads = store.sweeps().map_err(store_error)?;
        Ok(json!({ "sweeps": heads.iter().map(sweep_head_json).collect::<Vec<_>>() }))
    })
    .await?;
    Ok(json_response(&list))
}

async fn sweep_of(State(state): Shared, UrlPath(id): UrlPath<String>) -> Reply {
    let id = hailsham_store::SweepId(run_id(&id)?.0);
    let found = blocking(move || {
        let store = state
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some((head, text)) = store.sweep_head(id).map_err(store_error)? else {
            return Err(ApiError::not_found(format!("no sweep {}", id.0)));
        };
        let indices: Vec<usize> = SWEEP_FIGURES
            .iter()
            .filter_map(|key| hailsham_outputs::figure_index(key))
            .collect();
        let runs: Vec<Value> = store
            .sweep_runs(id, SWEEP_RUNS_SHOWN)
            .map_err(store_error)?
            .iter()
            .map(|run| {
                json!({
                    "point": run.point,
                    "replicate": run.replicate,
                    "parameters": run.parameters,
                    "figures": indices
                        .iter()
                        .map(|&i| {
                            let value = run.figures[i];
                            if value.is_finite() { json!(value) } else { Value::Null }
                        })
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        let figures: Vec<Value> = indices
            .iter()
            .map(|&i| {
                let figure = &hailsham_outputs::FIGURES[i];
                json!({ "key": figure.key, "label": figure.label, "unit": figure.unit })
            })
            .collect();
        let mut sweep = sweep_head_json(&head);
        sweep["text"] = json!(text);
        sweep["figures"] = json!(figures);
        sweep["shown"] = json!(runs.len());
        sweep["list"] = json!(runs);
        Ok(sweep)
    })
    .await?;
    Ok(json_response(&found))
}

fn head_json(head: &hailsham_store::RunHead) -> Value {
    json!(RunView::from(head))
}

fn stored_series(run: &StoredRun) -> Value {
    run.series.as_ref().map_or(Value::Null, series_json)
}

async fn runs(State(state): Shared) -> Reply {
    let list = blocking(move || {
        let store = state
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let heads = store.list().map_err(store_error)?;
        let mut list: Vec<Value> = heads.iter().map(head_json).collect();
        drop(store);
        // A run this server is running says so, with its progress.
        for entry in &mut list {
            if let Some(id) = entry["id"].as_i64()
                && let Some(live) = state.jobs.live(RunId(id))
            {
                let s = live.state.borrow().clone();
                if !s.finished() {
                    entry["status"] = json!(s.status);
                    entry["progress"] = json!({ "done": s.done, "total": s.total });
                }
            }
        }
        Ok(json!({ "runs": list }))
    })
    .await?;
    Ok(json_response(&list))
}

async fn run(State(state): Shared, UrlPath(id): UrlPath<String>) -> Reply {
    let id = run_id(&id)?;
    let found = blocking(move || {
        let store = state
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(run) = store.get(id).map_err(store_error)? else {
            return Err(ApiError::not_found(format!("no run {}", id.0)));
        };
        drop(store);
        let mut json = head_json(&run.head);
        if let Some(live) = state.jobs.live(id) {
            let s = live.state.borrow().clone();
            if !s.finished() {
                json["status"] = json!(s.status);
                json["progress"] = json!({ "done": s.done, "total": s.total });
            }
        }
        if let Some(summary) = &run.summary {
            json["summary"] = summary_json(summary);
            json["series"] = stored_series(&run);
        }
        json["scenario_text"] = json!(run.scenario_text);
        Ok(json)
    })
    .await?;
    Ok(json_response(&found))
}

/// The run's progress as server-sent events: `progress` while it runs, then `complete`,
/// `failed` or `cancelled`, and the stream ends.
async fn events(State(state): Shared, UrlPath(id): UrlPath<String>) -> Result<Response, ApiError> {
    let id = run_id(&id)?;
    if let Some(live) = state.jobs.live(id) {
        let receiver = live.state.subscribe();
        let stream = progress_stream(id, receiver);
        return Ok(Sse::new(stream)
            .keep_alive(KeepAlive::default())
            .into_response());
    }
    // Not this server's: the store says how it ended.
    let head = blocking(move || {
        let store = state
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        store
            .head(id)
            .map_err(store_error)?
            .ok_or_else(|| ApiError::not_found(format!("no run {}", id.0)))
    })
    .await?;
    let status = head.status.as_str().to_string();
    let event = Event::default()
        .event(match status.as_str() {
            "complete" => "complete",
            "cancelled" => "cancelled",
            _ => "failed",
        })
        .data(json!({ "run": id.0, "status": status, "error": head.message }).to_string());
    let once = stream::iter([Ok::<Event, Infallible>(event)]);
    Ok(Sse::new(once).into_response())
}

fn progress_stream(
    id: RunId,
    receiver: tokio::sync::watch::Receiver<RunState>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    // The first state is sent at once; after it, each change, until the run ends.
    stream::unfold(
        (receiver, true, false),
        move |(mut receiver, first, ended)| async move {
            if ended {
                return None;
            }
            if !first && receiver.changed().await.is_err() {
                return None;
            }
            let state = receiver.borrow_and_update().clone();
            let event = if state.finished() {
                Event::default().event(state.status).data(
                    json!({ "run": id.0, "status": state.status, "error": state.error })
                        .to_string(),
                )
            } else {
                Event::default().event("progress").data(
                json!({ "run": id.0, "status": state.status, "done": state.done, "total": state.total })
                    .to_string(),
            )
            };
            Some((Ok(event), (receiver, false, state.finished())))
        },
    )
}

async fn cancel(State(state): Shared, UrlPath(id): UrlPath<String>) -> Reply {
    let id = run_id(&id)?;
    let Some(live) = state.jobs.live(id) else {
        return Err(ApiError::not_found(format!(
            "run {} is not running on this server",
            id.0
        )));
    };
    live.cancel.cancel();
    // A run still waiting is cancelled now, so that it gives its place in the queue back at
    // once rather than when the worker reaches it.
    let mut was_waiting = false;
    live.state.send_if_modified(|s| {
        was_waiting = s.status == "queued";
        if was_waiting {
            s.status = "cancelled";
        }
        was_waiting
    });
    if was_waiting {
        let store = Arc::clone(&state.store);
        blocking(move || {
            // The worker may reach it first and record it; either record will do.
            let _ = Recorder::strict(store, "serve".to_string()).stop(
                Some(id),
                hailsham_store::Stopped::Cancelled,
                "cancelled before it ran",
            );
            Ok(())
        })
        .await?;
    }
    let status = live.state.borrow().status;
    Ok(json_response(
        &json!({ "run": id.0, "status": status, "cancelling": true }),
    ))
}

async fn compare(
    State(state): Shared,
    q: Result<Query<std::collections::HashMap<String, String>>, QueryRejection>,
) -> Reply {
    let q = query(q)?;
    let Some(list) = q.get("runs") else {
        return Err(ApiError::bad_request("give the runs to compare: ?runs=A,B"));
    };
    let ids: Vec<RunId> = list.split(',').map(run_id).collect::<Result<_, _>>()?;
    if ids.len() < 2 || ids.len() > 10 {
        return Err(ApiError::bad_request("compare two to ten runs"));
    }
    let compared = blocking(move || {
        let store = state
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut runs = Vec::new();
        for id in &ids {
            match store.get(*id).map_err(store_error)? {
                Some(run) if run.summary.is_some() => runs.push(run),
                Some(_) => {
                    return Err(ApiError::unprocessable(format!(
                        "run {} is not complete",
                        id.0
                    )));
                }
                None => return Err(ApiError::not_found(format!("no run {}", id.0))),
            }
        }
        drop(store);
        let first = &runs[0].head;
        if let Some(other) = runs
            .iter()
            .find(|r| r.head.seed != first.seed || r.head.replicates != first.replicates)
        {
            return Err(ApiError::unprocessable(format!(
                "run {} has seed {} and {} replicates, run {} seed {} and {}: runs are compared \
                 replicate by replicate, so they must share seed and replicates",
                other.head.id.0,
                other.head.seed,
                other.head.replicates,
                first.id.0,
                first.seed,
                first.replicates
            )));
        }
        let comparison = Comparison::new(
            runs.iter().map(|r| r.head.scenario_name.clone()).collect(),
            runs.iter().filter_map(|r| r.summary.clone()).collect(),
        );
        Ok(json!({
            "base": runs[0].head.id.0,
            "runs": runs.iter().map(|r| head_json(&r.head)).collect::<Vec<_>>(),
            "figures": comparison_json(&comparison),
        }))
    })
    .await?;
    Ok(json_response(&compared))
}

async fn patterns() -> Response {
    let list: Vec<Value> = NAMED
        .iter()
        .map(|(name, text)| {
            let about = Pattern::parse(text).ok().map(|p| p.about);
            json!({ "name": name, "text": text, "doc": about })
        })
        .collect();
    json_response(&json!({ "patterns": list }))
}

async fn sift(State(state): Shared, bytes: Result<Bytes, BytesRejection>) -> Reply {
    let SiftRequest {
        pattern,
        text,
        scenario,
        seed,
        replicates,
    } = requests::sift(&body(bytes)?)?;
    let key = format!("sift {} {seed} {replicates} {text}", scenario.hash());
    let sifted = modelled(&state, key, move |state, cancel| {
        state
            .modelled
            .sift(&pattern, &scenario, seed, replicates, cancel)
    })
    .await?;
    Ok(json_response(&sifted))
}

/// The answer kept under `key`, or `work`'s, run on a blocking thread once a permit to run
/// the model is free, and kept. Others who asked for the same while this one waited read it
/// rather than run it again.
async fn modelled(
    state: &Arc<AppState>,
    key: String,
    work: impl FnOnce(&AppState, &Cancel) -> Result<Value, ApiError> + Send + 'static,
) -> Result<Value, ApiError> {
    if let Some(hit) = state.modelled.cached(&key) {
        return Ok(hit);
    }
    let permit = Arc::clone(&state.modelled.permits)
        .acquire_owned()
        .await
        .map_err(|_| ApiError::busy("the server is going down"))?;
    if let Some(hit) = state.modelled.cached(&key) {
        return Ok(hit);
    }
    // The work stops when the request does: its timeout passes, or its client goes (then this
    // future is dropped, and the guard with it).
    let cancel = Cancel::default();
    let _stop_when_dropped = StopWhenDropped(cancel.clone());
    let state = Arc::clone(state);
    blocking(move || {
        // Held by the thread doing the work, so a request that gave up frees no permit while
        // its work still runs.
        let _permit = permit;
        let value = work(&state, &cancel)?;
        state.modelled.keep(key, value.clone());
        Ok(value)
    })
    .await
}

/// Raises its flag when dropped: the model's work for a request stops with the request.
struct StopWhenDropped(Cancel);

impl Drop for StopWhenDropped {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

async fn life_of(
    State(state): Shared,
    UrlPath(id): UrlPath<String>,
    q: Result<Query<std::collections::HashMap<String, String>>, QueryRejection>,
) -> Reply {
    let q = query(q)?;
    let id: u32 = id
        .parse()
        .map_err(|_| ApiError::bad_request("a clone's id is a whole number"))?;
    let seed = number(&q, "seed", SEED_DEFAULT)?;
    let replicate = number(&q, "replicate", 0u32)?;
    if replicate >= REPLICATES_MAX {
        return Err(ApiError::bad_request("no such replicate"));
    }
    let name = q
        .get("scenario")
        .cloned()
        .unwrap_or_else(|| "novel".to_string());
    let against = q.get("against").cloned().filter(|a| !a.is_empty());
    let end_year = match q.get("end_year") {
        Some(_) => Some(number(&q, "end_year", 0i64)?),
        None => None,
    };
    let (scenario, _) = named_scenario(&name)?;
    let scenario = until(scenario, end_year)?;
    // The same clone in the other world, over the same years.
    let other = match &against {
        Some(a) => Some(until(
            named_scenario(a)?.0,
            Some(scenario.params.time.end_year),
        )?),
        None => None,
    };
    let key = format!(
        "life {} {seed} {replicate} {id} {}",
        scenario.hash(),
        other.as_ref().map(Scenario::hash).unwrap_or_default()
    );
    let told = modelled(&state, key, move |_, _| {
        life(&scenario, seed, replicate, id, other.as_ref())
    })
    .await?;
    Ok(json_response(&told))
}
