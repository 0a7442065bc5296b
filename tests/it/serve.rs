//! `hailsham serve` as a process: it starts on a free port, answers over a real socket, and a
//! server killed at any moment, during a run or while it writes one, loses no finished run:
//! restarted, every finished run is there with the same figures, and the one that was in
//! progress is marked interrupted, never shown complete.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cli::scratch;

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `hailsham serve` on a free port with the store `store`; waits for its address.
fn start(store: &Path) -> Server {
    start_with(store, &[])
}

/// The same, with more flags.
fn start_with(store: &Path, flags: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hailsham"))
        .args(["serve", "--port", "0", "--store"])
        .arg(store)
        .args(flags)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let stderr = child.stderr.take().expect("its standard error");
    let mut line = String::new();
    BufReader::new(stderr)
        .read_line(&mut line)
        .expect("a first line");
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("the address in {line:?}"))
        .to_string();
    Server { child, address }
}

/// One HTTP/1.1 request: the status and the body as JSON.
fn request(server: &Server, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let mut stream = TcpStream::connect(&server.address).expect("a connection");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a timeout");
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.address,
        body.len()
    )
    .expect("the request is sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let status: u16 = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status in {answer:?}"));
    let text = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    (
        status,
        serde_json::from_str(text).unwrap_or(Value::String(text.to_string())),
    )
}

fn wait_for(server: &Server, id: i64, wanted: &[&str]) -> Value {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let (_, run) = request(server, "GET", &format!("/api/runs/{id}"), None);
        if wanted.iter().any(|w| run["status"] == *w) {
            return run;
        }
        assert!(
            Instant::now() < deadline,
            "run {id} never became {wanted:?}: {run}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn kill(mut server: Server) {
    server.child.kill().expect("SIGKILL");
    let status = server.child.wait().expect("it ends");
    assert_eq!(status.code(), None, "killed by a signal");
}

#[test]
fn a_killed_server_loses_no_finished_run_and_marks_the_one_in_progress() {
    let dir = scratch("serve-killed");
    let store = dir.join("runs.sqlite");
    let server = start(&store);
    let (status, page) = request(&server, "GET", "/", None);
    assert_eq!(status, 200);
    assert!(page.as_str().is_some_and(|p| p.contains("<html")));
    // A finished run, to find intact after every kill.
    let small = json!({ "scenario": "novel", "seed": 5, "replicates": 2, "end_year": 1970 });
    let (status, accepted) = request(&server, "POST", "/api/runs", Some(&small));
    assert_eq!(status, 202, "{accepted}");
    let first = accepted["run"].as_i64().expect("an id");
    let finished = wait_for(&server, first, &["complete"]);
    // Killed while a run runs.
    let long = json!({ "scenario": "novel", "seed": 6, "replicates": 8 });
    let (_, accepted) = request(&server, "POST", "/api/runs", Some(&long));
    let running = accepted["run"].as_i64().expect("an id");
    wait_for(&server, running, &["running"]);
    kill(server);
    let server = start(&store);
    let (_, again) = request(&server, "GET", &format!("/api/runs/{first}"), None);
    assert_eq!(again["status"], "complete");
    assert_eq!(
        again["summary"], finished["summary"],
        "the finished run is intact"
    );
    assert_eq!(again["series"], finished["series"]);
    let (_, interrupted) = request(&server, "GET", &format!("/api/runs/{running}"), None);
    assert_eq!(interrupted["status"], "interrupted", "{interrupted}");
    assert!(
        interrupted.get("summary").is_none(),
        "no figures for a run that did not finish"
    );
    // Killed at moments around the end of runs, while it writes them or just after: each
    // run is then complete with every figure, or not complete with none.
    let mut server = server;
    for (k, delay) in [150_u64, 300, 450, 600].into_iter().enumerate() {
        let run = json!({ "scenario": "novel", "seed": 20 + k, "replicates": 1, "end_year": 1975 });
        let (_, accepted) = request(&server, "POST", "/api/runs", Some(&run));
        let id = accepted["run"].as_i64().expect("an id");
        std::thread::sleep(Duration::from_millis(delay));
        kill(server);
        server = start(&store);
        let (_, after) = request(&server, "GET", &format!("/api/runs/{id}"), None);
        match after["status"].as_str() {
            Some("complete") => {
                let figures = after["summary"].as_array().expect("figures");
                assert_eq!(figures.len(), hailsham_outputs::FIGURES.len());
                let years = after["series"]["years"].as_array().expect("a series");
                assert_eq!(years.len(), 1975 - 1952);
            }
            Some("interrupted") => assert!(after.get("summary").is_none(), "{after}"),
            other => panic!("run {id} is {other:?} after a kill"),
        }
        let (_, first_again) = request(&server, "GET", &format!("/api/runs/{first}"), None);
        assert_eq!(first_again["summary"], finished["summary"]);
    }
    // The same request as the finished run is served from the store, not run again.
    let (status, served) = request(&server, "POST", "/api/runs", Some(&small));
    assert_eq!(status, 200);
    assert_eq!(served, json!({ "run": first, "status": "complete" }));
    // The command line reads the same store.
    let listed = Command::new(env!("CARGO_BIN_EXE_hailsham"))
        .args(["runs", "--format", "json", "--store"])
        .arg(&store)
        .output()
        .expect("runs");
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.contains("interrupted"), "{listed}");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Goal: silent connections cannot take the server from everyone else, and a request that
/// computes for a while is not cut off. Method: a server allowing four connections, idle for
/// at most a second; four connections opened and left silent; an honest request is still
/// answered once the silent ones are closed (within seconds), each silent one sees its
/// connection closed, and a sift of three replicates (longer than the idle second) is answered.
#[test]
fn silent_connections_are_closed_and_others_are_served() {
    let dir = scratch("serve-silent");
    let server = start_with(
        &dir.join("runs.sqlite"),
        &["--connections-max", "4", "--idle-seconds", "1"],
    );
    let mut silent: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(&server.address).expect("a connection"))
        .collect();
    let started = Instant::now();
    let (status, version) = request(&server, "GET", "/api/version", None);
    assert_eq!(status, 200, "{version}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    for stream in &mut silent {
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("a timeout");
        let mut byte = [0u8; 1];
        let read = stream.read(&mut byte);
        assert!(
            matches!(read, Ok(0)) || read.is_err(),
            "a silent connection is closed: {read:?}"
        );
    }
    let (status, sifted) = request(
        &server,
        "POST",
        "/api/sift",
        Some(&json!({ "pattern": "narrator", "replicates": 3 })),
    );
    assert_eq!(status, 200, "{sifted}");
    assert!(sifted["count"]["n"] == 3, "{sifted}");
    drop(server);
    std::fs::remove_dir_all(&dir).ok();
}
