//! The request core: one attempt, the retry loop for idempotent calls, and the create loop that
//! adopts an object a lost POST may have created instead of sending it twice.

use super::body::{self, BodyError};
use super::error::{ClientError, ClientResult};
use super::rate_limit::RateLimiter;
use super::redact;
use super::retry::{self, Failure};
use super::ClientConfig;
use base64::Engine;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use url::Url;

/// Page size used for every list; the contract's maximum.
pub(crate) const PAGE_SIZE: usize = 1000;
/// A server that ignores `offset` must not make a list loop forever.
const MAX_PAGES: usize = 10_000;
const MAX_MESSAGE_CHARS: usize = 500;

pub(crate) struct Http {
    client: reqwest::Client,
    base: Url,
    headers: HeaderMap,
    max_retries: u32,
    limiter: Option<RateLimiter>,
    sent: AtomicU64,
    username: String,
    /// Credentials, in every form `redact::forms` knows, scrubbed from any server message.
    redact: Vec<String>,
}

/// One logical request. `template` is what logs show (`users/{id}`), never the concrete ids or body.
pub(crate) struct Call {
    pub method: Method,
    pub segments: Vec<String>,
    pub template: &'static str,
    pub query: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// Describes the target for `NotFound`, e.g. "user 6F0C…".
    pub what: String,
    /// Write-only values in the body (each in all its forms), scrubbed from server messages.
    pub secrets: Vec<String>,
}

impl Call {
    pub(crate) fn new(method: Method, template: &'static str, what: impl Into<String>) -> Self {
        Self {
            method,
            segments: Vec::new(),
            template,
            query: Vec::new(),
            body: None,
            what: what.into(),
            secrets: Vec::new(),
        }
    }

    pub(crate) fn path<I, S>(mut self, segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.segments = segments.into_iter().map(Into::into).collect();
        self
    }

    pub(crate) fn json<T: serde::Serialize>(mut self, body: &T) -> ClientResult<Self> {
        // serde_json's error text never contains the serialized values.
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ClientError::Decode(format!("cannot encode request body: {e}")))?;
        self.body = Some(bytes);
        Ok(self)
    }

    pub(crate) fn secret(mut self, value: Option<&str>) -> Self {
        if let Some(v) = value {
            self.secrets.extend(redact::forms(v));
        }
        self
    }
}

/// A 2xx answer.
pub(crate) struct Reply {
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// The documentation asks POST for `text/html` (the id as text); JSON for servers that answer `{"id"}`.
const POST_ACCEPT: &str = "text/html, application/json";

impl Reply {
    fn empty() -> Self {
        Self {
            location: None,
            body: Vec::new(),
        }
    }

    /// The body as a JSON object, for a read-modify-write.
    pub(crate) fn object(&self, template: &str) -> ClientResult<serde_json::Map<String, Value>> {
        match self.decode::<Value>(template)? {
            Value::Object(map) => Ok(map),
            _ => Err(ClientError::Decode(format!(
                "response of {template} is not a JSON object"
            ))),
        }
    }

    pub(crate) fn decode<T: DeserializeOwned>(&self, template: &str) -> ClientResult<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| ClientError::Decode(format!("response of {template}: {e}")))
    }

    /// The new object's id from `{"id": …}`, a bare id body (any content type), else the last
    /// segment of `Location`; `None` when the answer carries none of them.
    pub(crate) fn created_id(&self) -> Option<String> {
        #[derive(Deserialize)]
        struct Created {
            id: String,
        }
        if let Ok(created) = serde_json::from_slice::<Created>(&self.body) {
            return Some(created.id);
        }
        let text = String::from_utf8_lossy(&self.body);
        let text = text.trim().trim_matches('"');
        if text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(text.to_string());
        }
        self.location
            .as_deref()
            .map(|l| l.split(['?', '#']).next().unwrap_or_default())
            .and_then(|l| l.trim_end_matches('/').rsplit('/').next())
            .filter(|id| !id.is_empty())
            .map(str::to_string)
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    message: Option<String>,
    field: Option<String>,
}

impl Http {
    pub(crate) fn new(config: &ClientConfig) -> ClientResult<Self> {
        let mut base = config.base_url.clone();
        if !matches!(base.scheme(), "http" | "https") {
            return Err(ClientError::Config(format!(
                "url must start with http:// or https://, not {}://",
                base.scheme()
            )));
        }
        if base.cannot_be_a_base() || base.host().is_none() {
            return Err(ClientError::Config(
                "url must be an absolute http(s) URL with a host".into(),
            ));
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(ClientError::Config(
                "url must not contain credentials; use `username` and `password`".into(),
            ));
        }
        base.set_query(None);
        base.set_fragment(None);
        if config.username.is_empty() || config.username.contains(':') {
            return Err(ClientError::Config(
                "username must be non-empty and contain no ':'".into(),
            ));
        }
        if config.request_timeout.is_zero() {
            return Err(ClientError::Config(
                "request_timeout must be greater than zero".into(),
            ));
        }
        let limiter = match config.requests_per_second {
            None => None,
            // Slower than one request an hour is surely a mistake (and would overflow timers).
            Some(rps) if rps.is_finite() && rps >= 1.0 / 3600.0 => {
                Some(RateLimiter::new(Duration::from_secs_f64(1.0 / rps)))
            }
            Some(_) => {
                return Err(ClientError::Config(
                    "requests_per_second must be a number of at least 1/3600".into(),
                ))
            }
        };

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut key = HeaderValue::from_str(config.api_key.expose()).map_err(|_| {
            ClientError::Config("api_key contains characters not allowed in an HTTP header".into())
        })?;
        key.set_sensitive(true);
        headers.insert("x-api-key", key);
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            config.username,
            config.password.expose()
        ));
        let mut auth = HeaderValue::from_str(&format!("Basic {basic}"))
            .map_err(|_| ClientError::Config("username or password cannot be encoded".into()))?;
        auth.set_sensitive(true);
        headers.insert(AUTHORIZATION, auth);

        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(config.request_timeout)
            .connect_timeout(config.request_timeout)
            .user_agent(config.user_agent.as_str())
            .pool_max_idle_per_host(16)
            // A redirect could carry the API key to another host; the RCI never redirects.
            .redirect(reqwest::redirect::Policy::none());
        builder = crate::roots::add_system_roots(builder)?;
        if let Some(pem) = &config.ca_cert_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|_| {
                ClientError::Config("ca_cert_pem is not a valid PEM certificate".into())
            })?;
            if certs.is_empty() {
                return Err(ClientError::Config(
                    "ca_cert_pem holds no certificate".into(),
                ));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder
            .build()
            .map_err(|e| ClientError::Config(format!("cannot build the HTTP client: {e}")))?;

        let mut redact = redact::forms(config.password.expose());
        redact.extend(redact::forms(config.api_key.expose()));
        redact.extend(redact::basic_forms(
            &config.username,
            config.password.expose(),
        ));
        Ok(Self {
            client,
            base,
            headers,
            max_retries: config.max_retries,
            limiter,
            sent: AtomicU64::new(0),
            username: config.username.clone(),
            redact,
        })
    }

    pub(crate) fn requests_sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// The API user's login.
    pub(crate) fn username(&self) -> &str {
        &self.username
    }

    pub(crate) fn base_url(&self) -> &Url {
        &self.base
    }

    /// One GET with this client's auth, TLS, timeout, rate limit and counter; the answer is
    /// returned whatever its status (raw.rs, for the probe).
    pub(crate) async fn send_get(&self, call: &Call) -> Result<reqwest::Response, Failure> {
        if let Some(limiter) = &self.limiter {
            limiter.acquire().await;
        }
        self.sent.fetch_add(1, Ordering::Relaxed);
        let request = self
            .client
            .get(self.url(call))
            .headers(self.headers.clone());
        match request.send().await {
            Ok(response) => Ok(response),
            Err(e) if e.is_connect() => Err(Failure::NotSent(describe(e))),
            Err(e) => Err(Failure::Transport(describe(e))),
        }
    }

    fn url(&self, call: &Call) -> Url {
        let mut url = self.base.clone();
        {
            // `new` rejected cannot-be-a-base URLs, so this cannot fail.
            let mut path = url.path_segments_mut().expect("base URL checked in new");
            path.pop_if_empty().push("rci");
            for segment in &call.segments {
                path.push(segment);
            }
        }
        if !call.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&call.query);
        }
        url
    }

    /// One HTTP exchange. Only 2xx is `Ok`.
    async fn once(&self, call: &Call, attempt: u32) -> Result<Reply, Failure> {
        if let Some(limiter) = &self.limiter {
            limiter.acquire().await;
        }
        self.sent.fetch_add(1, Ordering::Relaxed);
        let mut headers = self.headers.clone();
        if call.method == Method::POST {
            headers.insert(ACCEPT, HeaderValue::from_static(POST_ACCEPT));
        }
        let mut request = self
            .client
            .request(call.method.clone(), self.url(call))
            .headers(headers);
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let started = Instant::now();
        let outcome = match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let header = |name| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|v: &HeaderValue| v.to_str().ok())
                        .map(str::to_string)
                };
                let retry_after = header(reqwest::header::RETRY_AFTER)
                    .as_deref()
                    .and_then(retry::parse_retry_after);
                let location = header(LOCATION);
                match body::read_capped(response, body::MAX_BODY_BYTES).await {
                    Ok(body) => Ok((status, retry_after, location, body)),
                    Err(BodyError::Interrupted(e)) => Err(Failure::Transport(describe(e))),
                    Err(BodyError::TooLarge) => Err(Failure::TooLarge(body::too_large(&format!(
                        "{} {}",
                        call.method, call.template
                    )))),
                }
            }
            // A failed connect sent nothing, so it cannot have committed a create.
            Err(e) if e.is_connect() => Err(Failure::NotSent(describe(e))),
            Err(e) => Err(Failure::Transport(describe(e))),
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let (status, retry_after, location, body) = match outcome {
            Ok(parts) => parts,
            Err(failure) => {
                tracing::debug!(method = %call.method, path = call.template, status = "transport error",
                    elapsed_ms, attempt, "rci request");
                return Err(failure);
            }
        };
        tracing::debug!(method = %call.method, path = call.template, status, elapsed_ms, attempt,
            "rci request");
        if (200..300).contains(&status) {
            return Ok(Reply { location, body });
        }
        let parsed: Option<ErrorBody> = serde_json::from_slice(&body).ok();
        let message = parsed
            .as_ref()
            .and_then(|b| b.message.clone())
            .unwrap_or_else(|| reason(status));
        Err(Failure::Status {
            status,
            message: self.scrub(message, call),
            field: parsed.and_then(|b| b.field),
            retry_after,
        })
    }

    /// Removes credentials and write-only values a server might echo back.
    /// Also bounds the length: an error page must not flood a Terraform diagnostic.
    fn scrub(&self, mut message: String, call: &Call) -> String {
        // Scrub before truncating, so a cut cannot leave the start of a secret behind.
        redact::scrub(&mut message, self.redact.iter().chain(call.secrets.iter()));
        if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
            message.truncate(cut);
            message.push('…');
        }
        message
    }

    async fn back_off(&self, call: &Call, attempt: u32, failure: &Failure) {
        let delay = retry::delay(attempt, failure.retry_after());
        tracing::debug!(method = %call.method, path = call.template, status = ?failure.status(),
            attempt, delay_ms = delay.as_millis() as u64, "rci request will be retried");
        tokio::time::sleep(delay).await;
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_retries.saturating_add(1)
    }

    /// GET, PUT and DELETE: all idempotent, so every retryable failure is simply retried.
    pub(crate) async fn execute(&self, call: &Call) -> ClientResult<Reply> {
        let mut may_have_committed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let failure = match self.once(call, attempt).await {
                Ok(reply) => return Ok(reply),
                Err(failure) => failure,
            };
            // The earlier, lost DELETE did the work: gone is what the caller wanted.
            if call.method == Method::DELETE && may_have_committed && failure.status() == Some(404)
            {
                return Ok(Reply::empty());
            }
            may_have_committed |= failure.may_have_committed();
            if attempt < self.attempts() && failure.retryable() && !retry::retries_stopped() {
                self.back_off(call, attempt, &failure).await;
                continue;
            }
            return Err(to_error(failure, call, attempt));
        }
    }

    /// POST of an object with a unique key. After a failure that may have committed, `lookup`
    /// (by that key) runs before the next attempt and its hit is adopted; a 409 on a retry and a
    /// last failed attempt are resolved the same way. Never sends a create twice blindly.
    pub(crate) async fn create<F, Fut>(&self, call: &Call, lookup: F) -> ClientResult<Created>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = ClientResult<Option<String>>>,
    {
        let mut may_have_committed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            if may_have_committed {
                if let Some(id) = resolve(call, lookup().await)? {
                    tracing::debug!(
                        path = call.template,
                        attempt,
                        "adopted object of a lost create"
                    );
                    return Ok(Created::Adopted(id));
                }
            }
            let failure = match self.once(call, attempt).await {
                Ok(reply) => return Ok(Created::New(reply)),
                Err(failure) => failure,
            };
            if failure.status() == Some(409) && may_have_committed {
                if let Some(id) = resolve(call, lookup().await)? {
                    return Ok(Created::Adopted(id));
                }
                return Err(to_error(failure, call, attempt));
            }
            may_have_committed |= failure.may_have_committed();
            if attempt < self.attempts() && failure.retryable() && !retry::retries_stopped() {
                self.back_off(call, attempt, &failure).await;
                continue;
            }
            if may_have_committed {
                if let Some(id) = resolve(call, lookup().await)? {
                    return Ok(Created::Adopted(id));
                }
            }
            return Err(to_error(failure, call, attempt));
        }
    }

    /// POST that returns the new object's id: from the answer, else (201 with no id in it) from
    /// `lookup`, so an object the server created is never left unknown to the caller.
    pub(crate) async fn create_id<F, Fut>(&self, call: &Call, lookup: F) -> ClientResult<String>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = ClientResult<Option<String>>>,
    {
        let reply = match self.create(call, &lookup).await? {
            Created::New(reply) => reply,
            Created::Adopted(id) => return Ok(id),
        };
        if let Some(id) = reply.created_id() {
            return Ok(id);
        }
        tracing::debug!(path = call.template, "create answered no id; looking it up");
        match resolve(call, lookup().await)? {
            Some(id) => Ok(id),
            None => Err(ClientError::CreateUnresolved {
                what: created_what(call),
                message: format!(
                    "POST {} succeeded without returning an id, and a lookup did not find the object",
                    call.template
                ),
            }),
        }
    }

    /// Every item of a list, `PAGE_SIZE` asked per page, until an empty page: a server may
    /// answer fewer items than asked without the list being over.
    pub(crate) async fn list<T: DeserializeOwned>(
        &self,
        segments: Vec<String>,
        template: &'static str,
        what: String,
        filters: &[(&str, &str)],
    ) -> ClientResult<Vec<T>> {
        let query: Vec<(String, String)> = filters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.list_values(segments, template, what, &query)
            .await?
            .into_iter()
            .map(|item| {
                serde_json::from_value(item)
                    .map_err(|e| ClientError::Decode(format!("response of {template}: {e}")))
            })
            .collect()
    }

    /// `list` without decoding the items, so callers can tell an absent field from a null one.
    pub(crate) async fn list_values(
        &self,
        segments: Vec<String>,
        template: &'static str,
        what: String,
        query: &[(String, String)],
    ) -> ClientResult<Vec<Value>> {
        let mut items: Vec<Value> = Vec::new();
        let mut previous: Option<Vec<Value>> = None;
        for _ in 0..MAX_PAGES {
            let mut call = Call::new(Method::GET, template, what.clone()).path(segments.clone());
            call.query = query.to_vec();
            call.query.push(("offset".into(), items.len().to_string()));
            call.query.push(("limit".into(), PAGE_SIZE.to_string()));
            let page: Vec<Value> = self.execute(&call).await?.decode(template)?;
            if page.is_empty() {
                return Ok(items);
            }
            // The same page twice: the server does not page this list (the RCI documents paging only
            // for some lists), so its first answer was the whole list.
            if previous.as_ref() == Some(&page) {
                return Ok(items);
            }
            items.extend(page.iter().cloned());
            previous = Some(page);
        }
        Err(ClientError::Decode(format!(
            "{template} did not end after {MAX_PAGES} pages"
        )))
    }
}

/// A lookup after a create that may have committed: a failed lookup leaves the outcome unknown,
/// which callers must be able to tell from a create that surely failed.
fn resolve(call: &Call, found: ClientResult<Option<String>>) -> ClientResult<Option<String>> {
    found.map_err(|e| ClientError::CreateUnresolved {
        what: created_what(call),
        message: e.to_string(),
    })
}

/// `what` names the parent for rights and memberships (for its 404); say what was created.
fn created_what(call: &Call) -> String {
    match call.template {
        "users/{id}/rights" => format!("a right of {}", call.what),
        "users/{id}/userGroups" | "users/{id}/roles" => format!("a membership ({})", call.what),
        _ => call.what.clone(),
    }
}

/// Outcome of `Http::create`.
pub(crate) enum Created {
    New(Reply),
    /// The id of an object an earlier, lost attempt created.
    Adopted(String),
}

fn to_error(failure: Failure, call: &Call, attempts: u32) -> ClientError {
    match failure {
        Failure::Transport(message) | Failure::NotSent(message) => {
            ClientError::Transport { message, attempts }
        }
        Failure::TooLarge(message) => ClientError::Decode(message),
        Failure::Status {
            status,
            message,
            field,
            ..
        } => match status {
            404 => ClientError::NotFound {
                what: call.what.clone(),
                message,
            },
            409 => ClientError::Conflict { message, field },
            401 => ClientError::Unauthorized,
            403 => ClientError::Forbidden { message },
            429 => ClientError::Throttled { attempts },
            400..=499 => ClientError::Validation {
                status,
                message,
                field,
            },
            _ => ClientError::Server {
                status,
                message,
                attempts,
            },
        },
    }
}

fn reason(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unexpected status")
        .to_string()
}

/// A transport error's kind and causes, without the URL (which is in the config anyway).
fn describe(error: reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "connection failed"
    } else if error.is_body() || error.is_decode() {
        "response body interrupted"
    } else {
        "request failed"
    };
    let error = error.without_url();
    let mut text = kind.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
