//! Every endpoint of `hailsham serve`, through the router itself (no socket): what it answers
//! to good requests, and the status and message of bad ones (malformed JSON, unknown
//! parameters, values out of range, huge bodies, paths that try to leave the assets).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use hailsham_serve::{AppState, Config, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

struct Server {
    state: Arc<AppState>,
    dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn server(name: &str, queue: usize) -> Server {
    server_with_token(name, queue, None)
}

fn server_with_token(name: &str, queue: usize, token: Option<&str>) -> Server {
    let dir = std::env::temp_dir().join(format!("hailsham-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let config = Config {
        address: "127.0.0.1:0".parse().expect("an address"),
        store: dir.join("runs.sqlite"),
        queue,
        threads: Some(1),
        token: token.map(str::to_string),
        connections_max: hailsham_serve::CONNECTIONS_MAX,
        idle_max: hailsham_serve::IDLE_MAX,
        headers_max: hailsham_serve::HEADERS_MAX,
        cache: hailsham_serve::CACHE_DEFAULT,
    };
    let state = AppState::new(&config).expect("the server starts");
    state.listening(ADDRESS.parse().expect("an address"));
    Server { state, dir }
}

/// Where the servers of these tests say they listen: the names their requests use.
const ADDRESS: &str = "127.0.0.1:8370";

/// The status, and the body as JSON (or as a string, if it is not JSON).
async fn call(
    server: &Server,
    method: &str,
    uri: &str,
    body: Option<Vec<u8>>,
) -> (StatusCode, Value) {
    call_with(server, method, uri, body, &[("host", ADDRESS)]).await
}

/// A request with the headers given (and no others but its content type).
async fn call_with(
    server: &Server,
    method: &str,
    uri: &str,
    body: Option<Vec<u8>>,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(body.map_or_else(Body::empty, Body::from))
        .expect("a request");
    let response = router(Arc::clone(&server.state))
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    let text = String::from_utf8_lossy(&bytes).to_string();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get(server: &Server, uri: &str) -> (StatusCode, Value) {
    call(server, "GET", uri, None).await
}

async fn post(server: &Server, uri: &str, body: &Value) -> (StatusCode, Value) {
    call(server, "POST", uri, Some(body.to_string().into_bytes())).await
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

fn error_of(body: &Value) -> &str {
    body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("an error message in {body}"))
}

#[test]
fn the_page_and_its_assets_come_from_the_binary_and_nothing_else() {
    runtime().block_on(async {
        let s = server("assets", 4);
        let (status, page) = get(&s, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.as_str().is_some_and(|p| p.contains("<html")), "{page}");
        let (status, _) = get(&s, "/assets/app.js").await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = get(&s, "/assets/vendor/uPlot.iife.min.js").await;
        assert_eq!(status, StatusCode::OK);
        for escape in [
            "/assets/../Cargo.toml",
            "/assets/%2e%2e/%2e%2e/Cargo.toml",
            "/assets/..%2f..%2fCargo.toml",
            "/assets//etc/passwd",
            "/assets/vendor/../../src/lib.rs",
        ] {
            let (status, body) = get(&s, escape).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{escape}: {body}");
        }
        let (status, body) = get(&s, "/no/such/page").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(error_of(&body).contains("/api/"));
    });
}

#[test]
fn parameters_scenarios_and_patterns_are_listed() {
    runtime().block_on(async {
        let s = server("lists", 4);
        let (status, params) = get(&s, "/api/params").await;
        assert_eq!(status, StatusCode::OK);
        let all: Vec<&Value> = params["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .flat_map(|g| g["params"].as_array().expect("params").iter())
            .collect();
        assert_eq!(all.len(), hailsham_world::SPECS.len());
        let share = all
            .iter()
            .find(|p| p["key"] == "care.carer_share")
            .expect("care.carer_share");
        assert_eq!(share["kind"], "number");
        assert_eq!(share["default"], json!(0.55));
        assert!(share["source"].as_str().is_some_and(|s| !s.is_empty()));
        let (_, scenarios) = get(&s, "/api/scenarios").await;
        let names: Vec<&str> = scenarios["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .filter_map(|s| s["name"].as_str())
            .collect();
        assert_eq!(names[0], "novel");
        assert!(names.contains(&"single-harvest"));
        let (status, one) = get(&s, "/api/scenarios/single-harvest").await;
        assert_eq!(status, StatusCode::OK);
        assert!(one["text"].as_str().is_some_and(|t| t.contains("[answer]")));
        let (status, missing) = get(&s, "/api/scenarios/single-harvets").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(missing["help"], "did you mean `single-harvest`?");
        let (_, patterns) = get(&s, "/api/patterns").await;
        assert_eq!(patterns["patterns"].as_array().map(Vec::len), Some(6));
    });
}

#[test]
fn a_scenario_is_checked_with_the_messages_of_hailsham_check() {
    runtime().block_on(async {
        let s = server("check", 4);
        let (status, good) = post(
            &s,
            "/api/check",
            &json!({ "text": "[care]\ncarer_share = 0.3\n" }),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(good["ok"], true);
        assert_eq!(good["diff"][0]["key"], "care.carer_share");
        assert_eq!(good["diff"][0]["value"], "0.3");
        let (_, bad) = post(
            &s,
            "/api/check",
            &json!({ "text": "[care]\ncarer_share = 7\n" }),
        )
        .await;
        assert_eq!(bad["ok"], false);
        let d = &bad["diagnostics"][0];
        assert_eq!(d["key"], "care.carer_share");
        assert_eq!(d["line"], 2);
        assert!(
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("out of range")),
            "{d}"
        );
        let (_, misspelt) = post(
            &s,
            "/api/check",
            &json!({ "text": "[care]\ncarer_shar = 0.3\n" }),
        )
        .await;
        assert!(
            misspelt["diagnostics"][0]["help"]
                .as_str()
                .is_some_and(|h| h.contains("carer_share")),
            "{misspelt}"
        );
        // A base may only be a bundled scenario: no file is read for the page.
        let (_, file) = post(
            &s,
            "/api/check",
            &json!({ "text": "base = \"/etc/passwd\"\n" }),
        )
        .await;
        assert_eq!(file["ok"], false, "{file}");
    });
}

#[test]
fn bad_bodies_get_a_status_and_a_message() {
    runtime().block_on(async {
        let s = server("bodies", 4);
        let (status, body) = call(&s, "POST", "/api/check", Some(b"{not json".to_vec())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(error_of(&body).contains("not the JSON expected"));
        let (status, body) = post(&s, "/api/check", &json!({ "txt": "" })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(error_of(&body).contains("unknown field `txt`"), "{body}");
        let huge = json!({ "text": "#".repeat(2 << 20) });
        let (status, body) = post(&s, "/api/check", &huge).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(error_of(&body).contains("larger than"));
        let (status, body) = post(
            &s,
            "/api/runs",
            &json!({ "scenario": "novel", "replicates": 0 }),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(error_of(&body).contains("replicates"));
        let (status, body) =
            post(&s, "/api/runs", &json!({ "scenario": "novel", "text": "" })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let (status, body) = post(&s, "/api/runs", &json!({ "scenario": "nove" })).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["help"], "did you mean `novel`?");
        let (status, body) = post(
            &s,
            "/api/runs",
            &json!({ "text": "[homes]\npopulation_millions = 1e9\n" }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["diagnostics"].is_array());
        let (status, body) = post(&s, "/api/runs", &json!({ "scenario": "world" })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(error_of(&body).contains("million clones"));
        let (status, _) = get(&s, "/api/runs/abc").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = get(&s, "/api/runs/999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = get(&s, "/api/compare?runs=1").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, body) = get(&s, "/api/questions?seed=x").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(error_of(&body).contains("seed"));
        let (status, body) = post(
            &s,
            "/api/sift",
            &json!({ "pattern": "c: completed ?x where number = " }),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["line"], 1, "{body}");
        assert!(body["column"].as_u64().is_some());
        let (status, body) = post(&s, "/api/sift", &json!({ "pattern": "narator" })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["help"], "did you mean `narrator`?", "{body}");
    });
}

/// A run waits for its turn, runs, is stored; the same request again is served from the
/// store; its events say it is complete; a question answers once both its runs are stored.
#[test]
fn a_run_is_queued_run_stored_and_served_again_from_the_store() {
    runtime().block_on(async {
        let s = server("runs", 4);
        let request = json!({ "scenario": "novel", "seed": 3, "replicates": 2, "end_year": 1975 });
        let (status, accepted) = post(&s, "/api/runs", &request).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{accepted}");
        let id = accepted["run"].as_i64().expect("a run id");
        let mut run = Value::Null;
        for _ in 0..600 {
            let (_, now) = get(&s, &format!("/api/runs/{id}")).await;
            if now["status"] == "complete" {
                run = now;
                break;
            }
            assert!(now["status"] != "failed", "{now}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(
            run["status"], "complete",
            "the run finished within a minute"
        );
        assert_eq!(run["replicates"], 2);
        let figures = run["summary"].as_array().expect("figures");
        assert_eq!(figures.len(), hailsham_outputs::FIGURES.len());
        let created = figures
            .iter()
            .find(|f| f["key"] == "clones_created")
            .expect("clones created");
        assert!(created["mean"].as_f64().is_some_and(|n| n > 0.0));
        assert!(created["low"].as_f64() <= created["mean"].as_f64());
        let years = run["series"]["years"].as_array().expect("years");
        assert_eq!(years.first(), Some(&json!(1952)));
        let (status, again) = post(&s, "/api/runs", &request).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again, json!({ "run": id, "status": "complete" }));
        let (status, events) = get(&s, &format!("/api/runs/{id}/events")).await;
        assert_eq!(status, StatusCode::OK);
        let text = events.as_str().expect("an event stream");
        assert!(text.contains("event: complete"), "{text}");
        let (_, list) = get(&s, "/api/runs").await;
        assert_eq!(list["runs"][0]["id"], id);
        assert_eq!(list["runs"][0]["command"], "serve");
        let (status, cancelled) = post(&s, &format!("/api/runs/{id}/cancel"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{cancelled}");
        assert_eq!(
            cancelled["status"], "complete",
            "a finished run stays finished"
        );
    });
}

/// One runs and `queue` wait: one more is told the server is busy, never queued unbounded.
#[test]
fn past_the_queue_a_run_is_told_busy() {
    runtime().block_on(async {
        let s = server("busy", 1);
        let mut statuses = Vec::new();
        for seed in 0..3 {
            let (status, body) = post(
                &s,
                "/api/runs",
                &json!({ "scenario": "novel", "seed": 100 + seed, "replicates": 4 }),
            )
            .await;
            statuses.push((status, body));
        }
        assert_eq!(statuses[0].0, StatusCode::ACCEPTED);
        assert_eq!(statuses[1].0, StatusCode::ACCEPTED);
        assert_eq!(
            statuses[2].0,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            statuses[2].1
        );
        assert!(error_of(&statuses[2].1).starts_with("busy"));
        // The waiting run, cancelled, gives its place back at once: another is accepted
        // while the first still runs.
        let waiting = statuses[1].1["run"].as_i64().expect("an id");
        let (status, body) = post(&s, &format!("/api/runs/{waiting}/cancel"), &json!({})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["status"], "cancelled", "{body}");
        let (status, body) = post(
            &s,
            "/api/runs",
            &json!({ "scenario": "novel", "seed": 200, "replicates": 4 }),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        statuses[2] = (status, body);
        // Cancelled, the runs end as cancelled (the one cancelled while waiting has ended,
        // and is the store's to tell).
        for index in [0, 2] {
            let id = statuses[index].1["run"].as_i64().expect("an id");
            let (status, _) = post(&s, &format!("/api/runs/{id}/cancel"), &json!({})).await;
            assert_eq!(status, StatusCode::OK);
        }
        for (_, body) in &statuses {
            let id = body["run"].as_i64().expect("an id");
            let mut last = Value::Null;
            for _ in 0..300 {
                let (_, now) = get(&s, &format!("/api/runs/{id}")).await;
                last = now;
                if last["status"] == "cancelled" {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            assert_eq!(last["status"], "cancelled", "{last}");
        }
    });
}

/// A life is told with the people it names, each a link; the same clone under another
/// scenario comes with where the two lives part; sifting finds matches with an interval.
#[test]
fn lives_and_sifting_for_the_page() {
    runtime().block_on(async {
        let s = server("people", 4);
        let (status, sifted) = post(
            &s,
            "/api/sift",
            &json!({ "pattern": "ruth", "seed": 1, "replicates": 2, "end_year": 1990 }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{sifted}");
        assert_eq!(sifted["per_replicate"].as_array().map(Vec::len), Some(2));
        let count = sifted["count"]["mean"].as_f64().expect("a count");
        let per: f64 = sifted["per_replicate"]
            .as_array()
            .expect("counts")
            .iter()
            .filter_map(Value::as_f64)
            .sum::<f64>()
            / 2.0;
        assert!((count - per).abs() < 1e-9);
        let first = &sifted["matches"][0];
        let id = first["id"].as_u64().expect("a match");
        let replicate = first["replicate"].as_u64().expect("its replicate");
        let (status, life) = get(
            &s,
            &format!("/api/life/{id}?scenario=novel&seed=1&replicate={replicate}&end_year=1990&against=single-harvest"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{life}");
        assert_eq!(life["id"], id);
        assert!(life["paragraphs"].as_array().is_some_and(|p| !p.is_empty()));
        let people = life["people"].as_array().expect("people");
        assert!(!people.is_empty(), "a Ruth has a carer or a partner");
        for person in people {
            assert!(person["life"].as_str().is_some_and(|l| l.starts_with("#/life/")));
        }
        assert_eq!(life["against"]["life"]["scenario"], "single-harvest");
        assert!(life["against"]["words"].as_str().is_some());
        let (status, missing) = get(&s, "/api/life/99999999?end_year=1960").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        let (status, _) = get(&s, "/api/life/-4").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, body) = get(&s, "/api/life/1?end_year=soon").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(error_of(&body).contains("end_year"), "{body}");
        let (status, body) = get(&s, "/api/life/1?against=single-harvets").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["help"], "did you mean `single-harvest`?");
    });
}

/// Goal: a web page the reader happens to open cannot drive the server, nor read it through a
/// name rebound to this machine. Method: a simple cross-site POST (text/plain, no preflight),
/// one marked cross-site by the browser, a read under a foreign Host: all refused with 403 and
/// nothing queued; the page's own origin and a program with no Origin are served.
#[tokio::test]
async fn requests_from_other_origins_and_foreign_hosts_are_refused() {
    let server = server("origins", 2);
    let run = json!({ "scenario": "novel", "replicates": 1, "end_year": 1960 })
        .to_string()
        .into_bytes();
    let refused = [
        vec![("host", ADDRESS), ("origin", "http://evil.example")],
        vec![("host", ADDRESS), ("origin", "http://127.0.0.1:9999")],
        vec![("host", ADDRESS), ("sec-fetch-site", "cross-site")],
        vec![("host", "evil.example:8370")],
        vec![],
    ];
    for headers in &refused {
        let (status, body) =
            call_with(&server, "POST", "/api/runs", Some(run.clone()), headers).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}: {body}");
        assert!(
            error_of(&body).contains("refused") || error_of(&body).contains("host"),
            "{body}"
        );
    }
    let (status, _) = call_with(
        &server,
        "GET",
        "/api/runs",
        None,
        &[("host", "evil.example:8370")],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a rebound name reads nothing"
    );
    let (_, listed) = get(&server, "/api/runs").await;
    assert_eq!(
        listed["runs"].as_array().map(Vec::len),
        Some(0),
        "nothing was queued"
    );

    let own = [("host", ADDRESS), ("origin", "http://127.0.0.1:8370")];
    let (status, body) = call_with(&server, "POST", "/api/runs", Some(run.clone()), &own).await;
    assert_eq!(
        status,
        StatusCode::ACCEPTED,
        "the page's own origin: {body}"
    );
    let (status, _) = call_with(
        &server,
        "GET",
        "/api/version",
        None,
        &[("host", "localhost:8370")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "localhost is this machine too");
}

/// Goal: a server others can reach serves only those who hold its token. Method: a server
/// with a token: nothing without it or with another, the page with it in its address (which
/// sets the cookie the page's own requests then carry), a program with it as a bearer; any
/// Host name, since such a server is reached under names it cannot list.
#[tokio::test]
async fn beyond_loopback_every_request_needs_the_token() {
    let server = server_with_token("token", 2, Some("5eca11"));
    let host = ("host", "192.168.1.20:8370");
    let refused: [&[(&str, &str)]; 3] = [
        &[host],
        &[host, ("authorization", "Bearer wrong")],
        &[host, ("cookie", "hailsham_token=wrong")],
    ];
    for headers in refused {
        let (status, body) = call_with(&server, "GET", "/api/runs", None, headers).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}: {body}");
        assert!(error_of(&body).contains("token"), "{body}");
    }
    let (status, _) = call_with(&server, "GET", "/api/version?token=wrong", None, &[host]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The page opened with its token keeps it in a cookie.
    let request = Request::builder()
        .uri("/?token=5eca11")
        .header("host", "192.168.1.20:8370")
        .body(Body::empty())
        .expect("a request");
    let response = router(Arc::clone(&server.state))
        .oneshot(request)
        .await
        .expect("the router answers");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .expect("a cookie");
    assert!(cookie.starts_with("hailsham_token=5eca11;"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    let served: [&[(&str, &str)]; 2] = [
        &[host, ("cookie", "other=1; hailsham_token=5eca11")],
        &[host, ("authorization", "Bearer 5eca11")],
    ];
    for headers in served {
        let (status, body) = call_with(&server, "GET", "/api/runs", None, headers).await;
        assert_eq!(status, StatusCode::OK, "{headers:?}: {body}");
    }
}

/// Goal: sifts and lives are sized like runs. Method: the `world` scenario (a hundred
/// Englands, about 19 million clones a replicate) is refused for a sift and for a life with
/// the page's limit in the message, before any model runs.
#[tokio::test]
async fn sifts_and_lives_past_the_pages_limits_are_refused() {
    let server = server("sizes", 2);
    let (status, body) = post(
        &server,
        "/api/sift",
        &json!({ "pattern": "narrator", "scenario": "world", "replicates": 1 }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(error_of(&body).contains("million clones"), "{body}");
    let (status, body) = get(&server, "/api/life/0?scenario=world").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(error_of(&body).contains("million clones"), "{body}");
}

/// Goal: no client fills the disk with a scenario's comments. Method: a run whose scenario
/// text is the novel's with 100 KiB of comment is refused with `413` and the bound in the
/// message, and no run is recorded; the same text without the padding is accepted.
#[tokio::test]
async fn a_scenario_text_past_the_stores_bound_is_refused() {
    let server = server("text-bound", 2);
    let text = "name = \"padded\"\n[time]\nend_year = 1953\n[homes]\npopulation_millions = 0.05\n";
    let padded = format!("{text}# {}\n", "x".repeat(100 * 1024));
    let (status, body) = post(&server, "/api/runs", &json!({ "text": padded })).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(
        error_of(&body).contains(&hailsham_store::SCENARIO_TEXT_MAX.to_string()),
        "{body}"
    );
    let (_, runs) = get(&server, "/api/runs").await;
    assert_eq!(runs["runs"].as_array().map(Vec::len), Some(0), "{runs}");
    let (status, body) = post(
        &server,
        "/api/runs",
        &json!({ "text": text, "replicates": 1 }),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
}
