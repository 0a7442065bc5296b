//! `hailsham serve`: a page on the reader's own machine, over the model and a run store.
//!
//! The server is one more front end beside the command line: it resolves scenarios, runs
//! them through the library runner and reads and writes runs through `hailsham-store`, and
//! turns what they give into JSON for the page (docs/serve.md). It owns no model and no
//! figure of its own: the numbers come from `hailsham-report`, the stories from
//! `hailsham-lives`, the matches from `hailsham-sift`.
//!
//! - [`api`] maps each route to what answers it, and every error to a JSON message;
//! - [`requests`] reads and checks the POST bodies before any work (pure, and fuzzed);
//! - [`jobs`] is the bounded queue of runs, one worker thread, progress and cancelling;
//! - [`present`] turns summaries, series, comparisons and answers into the page's JSON;
//! - [`people`] sifts and tells lives for the page;
//! - [`assets`] holds the page itself, compiled into the binary: no network is needed.
//!
//! Everything the model does runs on threads of its own (the run worker, or tokio's
//! blocking pool behind a semaphore), never on the threads that answer requests, so a
//! long run never stalls a page load.

mod api;
mod assets;
mod connections;
mod error;
mod guard;
mod jobs;
mod people;
mod present;
pub mod requests;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use hailsham_store::Store;

pub use api::router;
pub use connections::{CONNECTIONS_MAX, HEADERS_MAX, IDLE_MAX};
pub use error::ServeError;

/// How the server is set up.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen: 127.0.0.1 unless the user says otherwise.
    pub address: SocketAddr,
    /// The run store's file.
    pub store: PathBuf,
    /// Runs that may wait behind the one running; one more is answered "busy".
    pub queue: usize,
    /// Threads a run's replicates use (default: one per core).
    pub threads: Option<usize>,
    /// The token every request must carry, for a server others can reach (bound beyond
    /// loopback); `None` answers this machine's own names only.
    pub token: Option<String>,
    /// Connections open at once, at most ([`CONNECTIONS_MAX`] unless a test says otherwise).
    pub connections_max: usize,
    /// How long a connection may stay idle before it is closed ([`IDLE_MAX`]).
    pub idle_max: std::time::Duration,
    /// How long a request's headers may take to arrive ([`HEADERS_MAX`]).
    pub headers_max: std::time::Duration,
    /// How many of the page's finished runs the store keeps ([`CACHE_DEFAULT`]): past it the
    /// oldest are deleted. Runs made by the command line are never deleted.
    pub cache: hailsham_store::CacheLimits,
}

/// The page's runs the store keeps, unless the user says otherwise: the newest 500, holding
/// at most 5,000 replicates between them (docs/store.md says what that takes on disk).
pub const CACHE_DEFAULT: hailsham_store::CacheLimits = hailsham_store::CacheLimits {
    runs_max: 500,
    replicates_max: 5_000,
};

/// Runs that may wait behind the running one, unless the user says otherwise.
pub const QUEUE_DEFAULT: usize = 4;

/// What every request shares.
pub struct AppState {
    store: Arc<Mutex<Store>>,
    jobs: jobs::Jobs,
    modelled: people::Modelled,
    /// The names the server answers to (`Host`), once it listens.
    hosts: guard::Hosts,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}

impl AppState {
    /// Opens the store and starts the run worker.
    ///
    /// # Errors
    /// If the store cannot be opened, or the worker or its threads cannot start.
    pub fn new(config: &Config) -> Result<Arc<AppState>, ServeError> {
        let store = Store::open(&config.store).map_err(|source| ServeError::Store {
            path: config.store.clone(),
            source,
        })?;
        let store = Arc::new(Mutex::new(store));
        let jobs = jobs::Jobs::start(
            Arc::clone(&store),
            config.queue,
            config.threads,
            config.cache,
        )?;
        Ok(Arc::new(AppState {
            store,
            jobs,
            modelled: people::Modelled::new(),
            hosts: guard::Hosts::new(config.token.clone()),
        }))
    }

    /// Tells the server the address it listens at, so that it answers to that address's
    /// names and no other (see `guard.rs`). [`serve`] calls it once bound; until then every
    /// request is refused.
    pub fn listening(&self, address: SocketAddr) {
        self.hosts.listening(address);
    }
}

/// Serves the page at `config.address` until `stop` is raised (the command line raises it on
/// Ctrl-C or SIGTERM); `ready` is told the address once the server listens (port 0 picks a
/// free one). Runs still going when it stops are cancelled, and marked so in the store.
///
/// # Errors
/// If the store cannot be opened or the address cannot be bound.
pub fn serve(
    config: &Config,
    ready: impl FnOnce(SocketAddr),
    stop: hailsham_runner::Cancel,
) -> Result<(), ServeError> {
    let state = AppState::new(config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("hailsham-serve")
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.address)
            .await
            .map_err(|source| ServeError::Bind {
                address: config.address,
                source,
            })?;
        let address = listener.local_addr().map_err(ServeError::Runtime)?;
        state.listening(address);
        ready(address);
        let app = router(Arc::clone(&state));
        let stopped = async move {
            while !stop.is_cancelled() {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            // Runs still going are stopped (and marked so), which also ends the event
            // streams that follow them: the server can then close every connection.
            state.jobs.cancel_all();
        };
        let listener = connections::Bounded::new(
            listener,
            config.connections_max,
            connections::Clocks {
                idle_max: config.idle_max,
                headers_max: config.headers_max,
            },
        );
        axum::serve(listener, app)
            .with_graceful_shutdown(stopped)
            .await
            .map_err(ServeError::Runtime)?;
        Ok(())
    })
}
