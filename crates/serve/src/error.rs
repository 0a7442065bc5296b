//! What can go wrong: [`ServeError`] stops the server from starting; [`ApiError`] is one
//! request's answer, always JSON with a message.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hailsham_scenario::Diagnostics;
use serde_json::{Value, json};

/// Why the server could not start or went down.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The run store could not be opened.
    #[error("cannot open the run store {}: {source}", path.display())]
    Store {
        /// The store's file.
        path: PathBuf,
        /// What the store said.
        source: hailsham_store::StoreError,
    },
    /// The address could not be listened on.
    #[error("cannot listen on {address}: {source} (is another server on that port? try --port)")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// The runtime or a thread could not start.
    #[error("the server could not run: {0}")]
    Runtime(std::io::Error),
}

/// One request's failure: an HTTP status and a JSON body `{ "error", "help"?, ... }`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: json!({ "error": message.into() }),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    pub(crate) fn busy(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    pub(crate) fn too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, message)
    }

    pub(crate) fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    pub(crate) fn timeout(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::GATEWAY_TIMEOUT, message)
    }

    /// The HTTP status.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> &Value {
        &self.body
    }

    /// Adds a suggestion (`"help"`).
    pub(crate) fn help(mut self, help: Option<String>) -> ApiError {
        if let Some(help) = help {
            self.body["help"] = json!(help);
        }
        self
    }

    /// Adds a field to the body.
    pub(crate) fn with(mut self, key: &str, value: Value) -> ApiError {
        self.body[key] = value;
        self
    }

    /// A scenario that does not load or validate: 422 with its diagnostics.
    pub(crate) fn scenario(diagnostics: &Diagnostics) -> ApiError {
        ApiError::unprocessable("the scenario does not validate")
            .with("diagnostics", diagnostics_json(diagnostics))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// A scenario's diagnostics as the page shows them: the same messages as `hailsham check`.
/// An error of the library boundary in the page's terms: a scenario's problems located, a
/// name that is no scenario's with the closest, a plan past its limits, an end year that
/// breaks a rule.
impl From<hailsham_runner::RunError> for ApiError {
    fn from(error: hailsham_runner::RunError) -> ApiError {
        use hailsham_runner::RunError;
        match &error {
            RunError::Scenario(diagnostics) => ApiError::scenario(diagnostics),
            RunError::NoScenario { argument, closest } => ApiError::not_found(format!(
                "no scenario `{}`",
                argument.chars().take(60).collect::<String>()
            ))
            .help(closest.map(|name| format!("did you mean `{name}`?"))),
            RunError::Until { .. } | RunError::TooLarge { .. } => {
                ApiError::unprocessable(error.to_string())
            }
            RunError::Cancelled => ApiError::busy("the server is going down"),
            _ => ApiError::internal(error.to_string()),
        }
    }
}

pub(crate) fn diagnostics_json(diagnostics: &Diagnostics) -> Value {
    Value::Array(
        diagnostics
            .items
            .iter()
            .map(|d| {
                json!({
                    "line": d.line,
                    "column": d.column,
                    "key": d.error.key(),
                    "message": d.error.to_string(),
                    "help": d.error.help(),
                    "source_line": d.source_line,
                })
            })
            .collect(),
    )
}
