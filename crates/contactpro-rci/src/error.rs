//! Typed errors of the RCI client. None of them carries a request body, so no secret can leak through one.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ClientError {
    #[error("{what} was not found (HTTP 404): {message}")]
    NotFound { what: String, message: String },
    #[error("conflict (HTTP 409): {message}")]
    Conflict {
        message: String,
        field: Option<String>,
    },
    #[error("the API rejected the request (HTTP {status}): {message}")]
    Validation {
        status: u16,
        message: String,
        field: Option<String>,
    },
    #[error("the API refused the credentials (HTTP 401): check `username` and `password` (CONTACTPRO_USERNAME, CONTACTPRO_PASSWORD)")]
    Unauthorized,
    #[error("the API refused access (HTTP 403): check `api_key` (CONTACTPRO_API_KEY) and the API user's rights: {message}")]
    Forbidden { message: String },
    #[error("the API kept throttling requests (HTTP 429) after {attempts} attempts; lower `requests_per_second` or raise `max_retries`")]
    Throttled { attempts: u32 },
    #[error("the API failed (HTTP {status}) after {attempts} attempts: {message}")]
    Server {
        status: u16,
        message: String,
        attempts: u32,
    },
    #[error("could not reach the API after {attempts} attempts: {message}")]
    Transport { message: String, attempts: u32 },
    /// A create may have committed (its response was lost), and the API stayed unreachable, so
    /// the lookup that would tell could not run. The object may exist without its id known.
    #[error("it is unknown whether {what} was created: the API stopped answering before the provider could check ({message})")]
    CreateUnresolved { what: String, message: String },
    /// A 404 or 405 on an endpoint (or a sub-resource of an object that exists): this tenant's
    /// RCI lacks it. Never means the object is gone.
    #[error("this tenant does not offer `{endpoint}` (HTTP {status})")]
    Unsupported { endpoint: &'static str, status: u16 },
    #[error("the API answered with something this provider cannot read: {0}")]
    Decode(String),
    #[error("invalid client settings: {0}")]
    Config(String),
}

impl ClientError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ClientError::NotFound { .. })
    }
    pub fn is_conflict(&self) -> bool {
        matches!(self, ClientError::Conflict { .. })
    }
    /// The tenant lacks the endpoint (see `Unsupported`); state must be kept.
    pub fn is_unsupported(&self) -> bool {
        matches!(self, ClientError::Unsupported { .. })
    }
    /// The create's outcome is unknown: the object may exist (see `CreateUnresolved`).
    pub fn is_create_unresolved(&self) -> bool {
        matches!(self, ClientError::CreateUnresolved { .. })
    }
    /// The API field an error names, when it names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ClientError::Conflict { field, .. } | ClientError::Validation { field, .. } => {
                field.as_deref()
            }
            _ => None,
        }
    }
}

/// The status of an answer that says "no such resource": 404, or 405 (the path exists, the method not).
pub(crate) fn missing_status(error: &ClientError) -> Option<u16> {
    match error {
        ClientError::NotFound { .. } => Some(404),
        ClientError::Validation { status: 405, .. } => Some(405),
        _ => None,
    }
}

pub type ClientResult<T> = Result<T, ClientError>;
