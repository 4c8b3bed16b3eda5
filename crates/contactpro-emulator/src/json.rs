//! Request-body extractor: JSON only, our error body on every rejection.

use axum::async_trait;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Largest accepted body; larger bodies get 413.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Like `axum::Json`, but rejections are `ApiError`s and unknown fields name the field.
pub struct JsonBody<T>(pub T);

#[async_trait]
impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the body is larger than {BODY_LIMIT} bytes"),
                )
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "cannot read the request body")
            }
        })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| parse_error(&e))
    }
}

/// Turns a serde error into a 400 naming the field when serde tells which one.
/// serde's messages never contain field values for these cases, only names.
fn parse_error(error: &serde_json::Error) -> ApiError {
    let text = error.to_string();
    let field =
        backticked(&text, "unknown field `").or_else(|| backticked(&text, "missing field `"));
    match field {
        Some(field) if text.starts_with("unknown field") => {
            ApiError::invalid(&field, "unknown field").with_field(&field)
        }
        Some(field) => ApiError::required(&field),
        None if error.is_data() => ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "a value has the wrong type (line {}, column {})",
                error.line(),
                error.column()
            ),
        ),
        None => ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "the body is not valid JSON (line {}, column {})",
                error.line(),
                error.column()
            ),
        ),
    }
}

fn backticked(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)? + prefix.len();
    let end = text[start..].find('`')? + start;
    Some(text[start..end].to_string())
}
