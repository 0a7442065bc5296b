//! Who may talk to the server: the names it answers to, and the origin a request that changes
//! something must come from, as Jupyter and development servers guard themselves.
//!
//! Two attacks from an ordinary web page the reader happens to open while the server runs:
//!
//! - **Cross-site requests.** Any page may send a "simple" POST (`Content-Type: text/plain`,
//!   no preflight) to `http://127.0.0.1:8370/api/runs` and queue work. A browser names the
//!   page that sent it in `Origin` (and in `Sec-Fetch-Site`): a request that changes something
//!   is refused unless it comes from the server's own page, or from no page at all (a program
//!   such as `curl` sends no `Origin`).
//! - **DNS rebinding.** A page on `evil.example` whose name is made to resolve to 127.0.0.1
//!   reads the API as its own origin, so the browser sends no warning sign but the `Host` it
//!   asked for: every request whose `Host` is not one of the names the server answers to is
//!   refused, reads included (the run list holds command lines and scenario texts).
//!
//! A server bound beyond loopback (`--bind 0.0.0.0`) is reached under names it cannot list, so
//! it answers any `Host` but asks every request for its token instead: in the page's address
//! (`?token=`), after which the page's own requests carry it in a cookie the server sets, or
//! as `Authorization: Bearer TOKEN` from a program. A rebound name gets no cookie, and the
//! token is not guessable (128 bits from the system's random source).

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::ApiError;

/// The names the server answers to, once it listens, and the token every request must carry
/// when it listens beyond loopback.
#[derive(Debug, Default)]
pub(crate) struct Hosts {
    names: RwLock<Vec<String>>,
    token: Option<String>,
}

/// The cookie that carries the token for the page's own requests.
const TOKEN_COOKIE: &str = "hailsham_token";

impl Hosts {
    /// No names yet; with `token`, every request must carry it and any name is answered.
    pub(crate) fn new(token: Option<String>) -> Hosts {
        Hosts {
            names: RwLock::default(),
            token,
        }
    }

    /// Sets the names for a server listening at `address`: on a loopback address, this machine's
    /// names for it with the port; on another address, that address with the port too.
    pub(crate) fn listening(&self, address: SocketAddr) {
        let port = address.port();
        let mut names = vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        if !address.ip().is_loopback() && !address.ip().is_unspecified() {
            names.push(address.to_string());
        }
        *self
            .names
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = names;
    }

    /// Whether `host` (a `Host` header's value) is one of the names.
    fn answers_to(&self, host: &str) -> bool {
        if self.token.is_some() {
            return true;
        }
        self.names
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .any(|name| name.eq_ignore_ascii_case(host))
    }
}

/// Refuses what comes from elsewhere (see the module's documentation), before any handler runs.
pub(crate) async fn guard(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    // Decided before awaiting: what it reads borrows the request, whose body is not `Sync`.
    if let Some(refusal) = refusal(&state.hosts, &request) {
        return refusal.into_response();
    }
    let token_in_address = state
        .hosts
        .token
        .as_deref()
        .filter(|token| query_token(&request) == Some(*token))
        .map(str::to_string);
    let mut response = next.run(request).await;
    // The page opened with its token in the address keeps it in a cookie for what it asks next.
    if let Some(token) = token_in_address
        && let Ok(cookie) = header::HeaderValue::from_str(&format!(
            "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        ))
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The `token` of the request's query string, if any.
fn query_token(request: &Request) -> Option<&str> {
    request
        .uri()
        .query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
}

/// Whether `request` carries `token`: in its address, a cookie, or a bearer header.
fn carries(request: &Request, token: &str) -> bool {
    let headers = request.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(TOKEN_COOKIE)?.strip_prefix('='));
    [query_token(request), bearer, cookie]
        .into_iter()
        .flatten()
        .any(|given| given == token)
}

/// Why `request` is refused, if it is.
fn refusal(hosts: &Hosts, request: &Request) -> Option<ApiError> {
    let value_of = |name| {
        request
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap_or("\u{fffd}"))
    };
    if let Some(token) = &hosts.token
        && !carries(request, token)
    {
        return Some(ApiError::forbidden(
            "this server asks for its token: open the address it printed when it started",
        ));
    }
    let Some(host) = value_of(header::HOST) else {
        return Some(ApiError::forbidden(
            "a request must name the host it is for",
        ));
    };
    if !hosts.answers_to(host) {
        return Some(ApiError::forbidden(format!(
            "this server answers to 127.0.0.1 and localhost on its port, not `{}`",
            host.chars().take(80).collect::<String>()
        )));
    }
    let changes_something = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !changes_something {
        return None;
    }
    let own = format!("http://{host}");
    if let Some(origin) = value_of(header::ORIGIN)
        && !origin.eq_ignore_ascii_case(&own)
    {
        return Some(ApiError::forbidden(format!(
            "requests from another page are refused: `{}` is not {own}",
            origin.chars().take(80).collect::<String>()
        )));
    }
    if value_of(header::HeaderName::from_static("sec-fetch-site"))
        .is_some_and(|site| site == "cross-site" || site == "same-site")
    {
        return Some(ApiError::forbidden(
            "requests from another site are refused",
        ));
    }
    None
}
