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
    start_reading(store, flags).2
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

/// Goal: a client that drips its request's headers cannot hold a connection, while one that
/// sends them at once is served. Method: a server whose headers must arrive within a second
/// and whose idle limit is a minute (so only the headers' clock can close anything); a client
/// that sends a request line and then a header line every 200 ms for 6 seconds has its
/// connection closed within about a second of its first byte, and before its 6 seconds; an
/// honest request on another connection is answered meanwhile.
#[test]
fn dripped_headers_are_cut_off_and_honest_requests_served() {
    let dir = scratch("serve-drip");
    let server = start_with(
        &dir.join("runs.sqlite"),
        &["--idle-seconds", "60", "--headers-seconds", "1"],
    );
    let mut drip = TcpStream::connect(&server.address).expect("a connection");
    let started = Instant::now();
    write!(drip, "GET /api/version HTTP/1.1\r\n").expect("a request line");
    let mut closed_after = None;
    while started.elapsed() < Duration::from_secs(6) {
        std::thread::sleep(Duration::from_millis(200));
        if drip.write_all(b"X-Drip: y\r\n").is_err() {
            closed_after = Some(started.elapsed());
            break;
        }
        drip.set_nonblocking(true).expect("non-blocking");
        let mut byte = [0u8; 1];
        let read = drip.read(&mut byte);
        drip.set_nonblocking(false).expect("blocking");
        if matches!(read, Ok(0))
            || read
                .as_ref()
                .is_err_and(|e| e.kind() != std::io::ErrorKind::WouldBlock)
        {
            closed_after = Some(started.elapsed());
            break;
        }
        if started.elapsed() > Duration::from_millis(400) && closed_after.is_none() {
            let (status, _) = request(&server, "GET", "/api/version", None);
            assert_eq!(status, 200, "an honest client is served meanwhile");
        }
    }
    let closed_after = closed_after.expect("the dripping client's connection is closed");
    assert!(
        closed_after >= Duration::from_millis(900) && closed_after < Duration::from_secs(4),
        "closed after {closed_after:?}"
    );
    drop(server);
    std::fs::remove_dir_all(&dir).ok();
}

/// Sends `raw` (a whole HTTP/1.1 request) on a new connection; the status answered, or 0 if
/// the connection closed without one.
fn raw_status(server: &Server, raw: &[u8]) -> u16 {
    let Ok(mut stream) = TcpStream::connect(&server.address) else {
        return 0;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    if stream.write_all(raw).is_err() {
        return 0;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The most memory the process `pid` has held, in MB (Linux's `VmHWM`).
fn peak_memory_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Goal: under a mix of attacks, the server stays up, bounded, and answers honest readers
/// promptly. Method: for 8 seconds on loopback, four honest readers loop over the API's
/// reads while attackers hold 150 silent connections, drip headers on 10 more, send
/// cross-origin POSTs, patterns nested 5,000 deep, bodies past 1 MiB, runs with 100 KiB of
/// comment, and sifts of the world. Every attack is refused (403, 400, 413, 422) or cut off;
/// no honest request fails; the server's peak memory stays under 300 MB; the honest readers'
/// median and 99th percentile latencies are printed (run with --nocapture to see them) and
/// the 99th held under 2 s.
#[test]
fn a_loopback_load_of_attacks_and_readers_leaves_readers_served() {
    let dir = scratch("serve-load");
    let server = start_with(
        &dir.join("runs.sqlite"),
        &["--idle-seconds", "5", "--headers-seconds", "2"],
    );
    let pid = server.child.id();
    let until = Instant::now() + Duration::from_secs(8);
    let silent: Vec<TcpStream> = (0..150)
        .filter_map(|_| TcpStream::connect(&server.address).ok())
        .collect();
    let host = server.address.clone();
    let post = |path: &str, extra: &str, body: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    };
    let deep = format!("{}x{}", "(".repeat(5_000), ")".repeat(5_000));
    let attacks: Vec<(Vec<u8>, &[u16])> = vec![
        (
            post(
                "/api/runs",
                "Origin: http://evil.example\r\n",
                r#"{"scenario":"novel"}"#,
            ),
            &[403],
        ),
        (
            post("/api/sift", "", &json!({ "pattern": deep }).to_string()),
            &[400],
        ),
        (
            post(
                "/api/check",
                "",
                &json!({ "text": "#".repeat(1_100_000) }).to_string(),
            ),
            &[413],
        ),
        (
            post(
                "/api/runs",
                "",
                &json!({ "text": format!("name = \"x\"\n# {}", "x".repeat(100 * 1024)) })
                    .to_string(),
            ),
            &[413],
        ),
        (
            post(
                "/api/sift",
                "",
                r#"{"pattern":"narrator","scenario":"world"}"#,
            ),
            &[422],
        ),
    ];
    let latencies = std::sync::Mutex::new(Vec::new());
    let failures = std::sync::Mutex::new(Vec::new());
    let attacks_sent = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for reader in 0..4 {
            let (server, latencies, failures) = (&server, &latencies, &failures);
            scope.spawn(move || {
                let paths = ["/api/version", "/api/scenarios", "/api/runs", "/api/params"];
                let mut turn = reader;
                while Instant::now() < until {
                    let path = paths[turn % paths.len()];
                    turn += 1;
                    let started = Instant::now();
                    let (status, body) = request(server, "GET", path, None);
                    let took = started.elapsed();
                    if status == 200 {
                        latencies.lock().expect("not poisoned").push(took);
                    } else {
                        failures
                            .lock()
                            .expect("not poisoned")
                            .push(format!("{path}: {status} {body}"));
                    }
                }
            });
        }
        for dripper in 0..10 {
            let server = &server;
            scope.spawn(move || {
                while Instant::now() < until {
                    let Ok(mut stream) = TcpStream::connect(&server.address) else {
                        continue;
                    };
                    let _ = write!(stream, "GET /api/runs HTTP/1.1\r\nX-{dripper}: ");
                    while Instant::now() < until && stream.write_all(b"y").is_ok() {
                        std::thread::sleep(Duration::from_millis(250));
                    }
                }
            });
        }
        for (raw, expected) in &attacks {
            let (server, failures, attacks_sent) = (&server, &failures, &attacks_sent);
            scope.spawn(move || {
                while Instant::now() < until {
                    let status = raw_status(server, raw);
                    attacks_sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if !expected.contains(&status) {
                        failures.lock().expect("not poisoned").push(format!(
                            "attack {}: {status}",
                            String::from_utf8_lossy(&raw[..40])
                        ));
                    }
                }
            });
        }
    });
    drop(silent);
    let failures = failures.into_inner().expect("not poisoned");
    assert!(
        failures.is_empty(),
        "{} failures: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    let (status, _) = request(&server, "GET", "/api/version", None);
    assert_eq!(status, 200, "the server is up after the load");
    let mut latencies = latencies.into_inner().expect("not poisoned");
    latencies.sort();
    assert!(latencies.len() > 100, "{} honest requests", latencies.len());
    let at = |share: f64| latencies[((latencies.len() - 1) as f64 * share) as usize];
    let memory = peak_memory_mb(pid).expect("Linux's /proc");
    println!(
        "load: {} honest requests in 8 s beside {} attacks (all refused), 150 silent and 10 \
         dripping connections: median {:.1} ms, p99 {:.1} ms, max {:.1} ms; server peak memory \
         {memory:.0} MB",
        latencies.len(),
        attacks_sent.into_inner(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
    );
    assert!(at(0.99) < Duration::from_secs(2), "p99 {:?}", at(0.99));
    assert!(memory < 300.0, "peak memory {memory:.0} MB");
    drop(server);
    std::fs::remove_dir_all(&dir).ok();
}

/// Starts `hailsham serve` with `flags` and reads its standard error up to the line with the
/// page's address: the lines before it, the address line, and the server (reached at
/// 127.0.0.1 when it listens on every address).
fn start_reading(store: &Path, flags: &[&str]) -> (Vec<String>, String, Server) {
    let child = Command::new(env!("CARGO_BIN_EXE_hailsham"))
        .args(["serve", "--port", "0", "--store"])
        .arg(store)
        .args(flags)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    // Owned by a `Server` at once: killed and waited for however the test ends.
    let mut server = Server {
        child,
        address: String::new(),
    };
    let mut stderr = BufReader::new(server.child.stderr.take().expect("its standard error"));
    let mut before = Vec::new();
    loop {
        let mut line = String::new();
        let read = stderr.read_line(&mut line).unwrap_or(0);
        assert!(
            read > 0,
            "the server ended before giving its address: {before:?}"
        );
        if line.contains("http://") {
            server.address = line
                .split("http://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .expect("an address")
                .replace("0.0.0.0", "127.0.0.1");
            // Keep reading standard error in the background, so the server never blocks.
            std::thread::spawn(move || {
                let mut rest = String::new();
                let _ = stderr.read_to_string(&mut rest);
            });
            return (before, line, server);
        }
        before.push(line);
    }
}

/// Goal: a server others can reach warns, and asks every request for a token nobody can
/// guess. Method: `--bind 0.0.0.0`: a warning naming the address comes before the page's
/// address, which carries a token of 32 hexadecimal digits; a request without the token is
/// refused (403), with it answered.
#[test]
fn binding_beyond_loopback_warns_and_asks_for_a_token() {
    let dir = scratch("serve-bind");
    let (before, line, server) = start_reading(&dir.join("runs.sqlite"), &["--bind", "0.0.0.0"]);
    let warning = before.join("");
    assert!(
        warning.contains("warning: --bind 0.0.0.0 lets anyone who can reach this machine"),
        "{warning}"
    );
    let token = line
        .split("?token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a token in the address")
        .to_string();
    assert!(
        token.len() == 32 && token.chars().all(|c| c.is_ascii_hexdigit()),
        "{token}"
    );
    let (status, body) = request(&server, "GET", "/api/version", None);
    assert_eq!(status, 403, "{body}");
    let (status, body) = request(&server, "GET", &format!("/api/version?token={token}"), None);
    assert_eq!(status, 200, "{body}");
    drop(server);
    std::fs::remove_dir_all(&dir).ok();
}

/// Goal: SIGTERM stops the server in the server's own words (it said "stopping at the end of
/// the simulated year", a run's words) and with the exit code of an interruption. Method: a
/// server sent SIGTERM by `kill`: its standard error says it is stopping the server, and it
/// ends within seconds.
#[test]
fn sigterm_stops_the_server_in_its_own_words() {
    let dir = scratch("serve-term");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hailsham"))
        .args(["serve", "--port", "0", "--store"])
        .arg(dir.join("runs.sqlite"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("its standard error"));
    let mut line = String::new();
    stderr.read_line(&mut line).expect("the address");
    assert!(line.contains("http://"), "{line}");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("its last words");
    let status = child.wait().expect("it ends");
    assert!(
        rest.contains("interrupted: stopping the server (runs under way are cancelled)"),
        "{rest}"
    );
    assert!(!rest.contains("simulated year"), "{rest}");
    assert!(
        status.code().is_some(),
        "ended by itself, not killed: {status:?}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
