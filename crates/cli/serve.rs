//! `hailsham serve`: the page for readers, on this machine. The server itself is
//! `hailsham-serve`; here are its flags, where its store is, and opening the browser.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use crate::Failure;
use hailsham_runner::Location;

/// The port unless `--port` says otherwise.
const PORT_DEFAULT: u16 = 8370;

#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// The port to listen on (0: any free one).
    #[arg(long, default_value_t = PORT_DEFAULT)]
    pub port: u16,
    /// The address to listen on. The default answers this machine only; another address lets
    /// others on the network use the page (and run the model on this machine).
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// The run store (default as for `run`: $HAILSHAM_STORE, else the XDG data folder).
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// Open the page in the browser once the server listens.
    #[arg(long)]
    pub open: bool,
    /// Runs that may wait behind the one running; one more is answered "busy".
    #[arg(long, default_value_t = hailsham_serve::QUEUE_DEFAULT)]
    pub queue: usize,
    /// Worker threads a run uses (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// The token every request must carry (in the page's address as `?token=`, or as
    /// `Authorization: Bearer TOKEN`). A server bound beyond this machine (`--bind`) always
    /// asks for one, made at random unless given here.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Finished runs of the page the store keeps: past it the oldest are deleted (runs made
    /// on the command line never are).
    #[arg(long, value_name = "N", default_value_t = hailsham_serve::CACHE_DEFAULT.runs_max)]
    pub cached_runs: usize,
    /// Connections open at once, at most (for tests).
    #[arg(long, hide = true, default_value_t = hailsham_serve::CONNECTIONS_MAX)]
    pub connections_max: usize,
    /// Seconds a connection may stay idle before it is closed (for tests).
    #[arg(long, hide = true, default_value_t = hailsham_serve::IDLE_MAX.as_secs_f64())]
    pub idle_seconds: f64,
    /// Seconds a request's headers may take to arrive (for tests).
    #[arg(long, hide = true, default_value_t = hailsham_serve::HEADERS_MAX.as_secs_f64())]
    pub headers_seconds: f64,
}

/// A token nobody can guess: 128 bits from the system's random source, in hexadecimal.
fn random_token() -> Result<String, Failure> {
    use std::io::Read as _;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut source| source.read_exact(&mut bytes))
        .map_err(|e| {
            Failure::Usage(format!(
                "error: no random source to make a token for --bind ({e}): give one with --token\n"
            ))
        })?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

pub(crate) fn serve(args: &ServeArgs) -> Result<(), Failure> {
    let store = match crate::store::located(args.store.as_deref(), false) {
        Location::At(path) => path,
        Location::Off(why) => {
            return Err(Failure::Usage(format!(
                "error: hailsham serve keeps its runs in a run store, and there is none ({why}): \
                 give one with --store PATH\n"
            )));
        }
    };
    let beyond_loopback = !args.bind.is_loopback();
    let token = match &args.token {
        Some(token) if token.is_empty() || !token.chars().all(|c| c.is_ascii_alphanumeric()) => {
            return Err(Failure::Usage(
                "error: --token takes letters and digits only, at least one\n".to_string(),
            ));
        }
        Some(token) => Some(token.clone()),
        None if beyond_loopback => Some(random_token()?),
        None => None,
    };
    let config = hailsham_serve::Config {
        address: SocketAddr::new(args.bind, args.port),
        store: store.clone(),
        queue: args.queue,
        threads: args.threads,
        token: token.clone(),
        connections_max: args.connections_max.max(1),
        idle_max: std::time::Duration::from_secs_f64(args.idle_seconds.clamp(0.1, 3600.0)),
        headers_max: std::time::Duration::from_secs_f64(args.headers_seconds.clamp(0.1, 3600.0)),
        cache: hailsham_store::CacheLimits {
            runs_max: args.cached_runs,
            ..hailsham_serve::CACHE_DEFAULT
        },
    };
    let open = args.open;
    hailsham_serve::serve(
        &config,
        |address| {
            if beyond_loopback {
                eprintln!(
                    "warning: --bind {} lets anyone who can reach this machine on port {} use \
                     the page and run the model here; each needs the token in the address \
                     printed below",
                    address.ip(),
                    address.port()
                );
            }
            let url = match &token {
                Some(token) => format!("http://{address}/?token={token}"),
                None => format!("http://{address}/"),
            };
            eprintln!(
                "hailsham serve: the page is at {url} (Ctrl-C stops the server); runs are kept in {}",
                store.display()
            );
            if open {
                open_browser(&url);
            }
        },
        crate::interrupt::cancel(),
    )
    .map_err(|e| Failure::Output(anyhow::anyhow!("{e}")))
}

/// Asks the system to open `url` in the browser; says so if it cannot.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    let opened = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if opened.is_err() {
        eprintln!("could not open a browser ({opener}): open {url} yourself");
    }
}
