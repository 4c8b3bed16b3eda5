//! Raw GETs for the provider's `probe`: the status, headers and body as the tenant sent them, so
//! the probe can report what a tenant offers instead of what the client would make of it.

use super::body::{self, BodyError};
use super::error::{ClientError, ClientResult};
use super::http::Call;
use super::retry::{self, Failure};
use super::RciClient;
use reqwest::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};
use reqwest::Method;

/// One answer, any status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

impl RciClient {
    /// One GET (no retries of 4xx; the client's auth, TLS, timeout, rate limit), any status
    /// returned as is. Only a transport failure, 429 or 5xx is retried, as often as the client's
    /// `max_retries` allows; the last answer is returned whatever it is.
    pub async fn get_raw(
        &self,
        path: &[&str],
        query: &[(&str, &str)],
    ) -> ClientResult<RawResponse> {
        let mut call = Call::new(Method::GET, "raw", "").path(path.iter().copied());
        call.query = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let attempts = self.http.attempts();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let failure = match self.http.send_get(&call).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let header = |name| {
                        response
                            .headers()
                            .get(name)
                            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                            .map(str::to_string)
                    };
                    let content_type = header(CONTENT_TYPE);
                    let location = header(LOCATION);
                    let retry_after = header(RETRY_AFTER)
                        .as_deref()
                        .and_then(retry::parse_retry_after);
                    match body::read_capped(response, body::MAX_BODY_BYTES).await {
                        Ok(body) => {
                            let raw = RawResponse {
                                status,
                                content_type,
                                location,
                                body,
                            };
                            if !(status == 429 || status >= 500) || attempt >= attempts {
                                return Ok(raw);
                            }
                            Failure::Status {
                                status,
                                message: String::new(),
                                field: None,
                                retry_after,
                            }
                        }
                        Err(BodyError::Interrupted(_)) => {
                            Failure::Transport("response body interrupted".into())
                        }
                        Err(BodyError::TooLarge) => {
                            let what = format!("GET {}", path.join("/"));
                            return Err(ClientError::Decode(body::too_large(&what)));
                        }
                    }
                }
                Err(failure) => failure,
            };
            if attempt >= attempts {
                let message = match failure {
                    Failure::Transport(m) | Failure::NotSent(m) | Failure::TooLarge(m) => m,
                    Failure::Status { status, .. } => format!("HTTP {status}"),
                };
                return Err(ClientError::Transport {
                    message,
                    attempts: attempt,
                });
            }
            tokio::time::sleep(retry::delay(attempt, failure.retry_after())).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClientConfig, SecretString};
    use axum::extract::{RawQuery, State};
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::IntoResponse;
    use axum::routing::get;
    use axum::Router;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    #[derive(Default)]
    struct Seen {
        hits: Mutex<Vec<(String, Option<String>, HeaderMap)>>,
    }

    fn record(seen: &Seen, route: &str, query: Option<String>, headers: HeaderMap) -> usize {
        let mut hits = seen.hits.lock().unwrap();
        hits.push((route.to_string(), query, headers));
        hits.iter().filter(|h| h.0 == route).count()
    }

    async fn start() -> (RciClient, Arc<Seen>) {
        let seen = Arc::new(Seen::default());
        let app = Router::new()
            .route(
                "/t/RI/rci/users",
                get(
                    |State(s): State<Arc<Seen>>, RawQuery(q): RawQuery, h: HeaderMap| async move {
                        record(&s, "users", q, h);
                        ([("content-type", "application/json")], r#"[{"id":"A"}]"#)
                    },
                ),
            )
            .route(
                "/t/RI/rci/secrets",
                get(|State(s): State<Arc<Seen>>, h: HeaderMap| async move {
                    record(&s, "secrets", None, h);
                    (StatusCode::NOT_FOUND, r#"{"status":404}"#)
                }),
            )
            .route(
                "/t/RI/rci/queues",
                get(|State(s): State<Arc<Seen>>, h: HeaderMap| async move {
                    match record(&s, "queues", None, h) {
                        1 => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                        _ => "[]".into_response(),
                    }
                }),
            )
            .with_state(Arc::clone(&seen));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let client = RciClient::new(ClientConfig {
            base_url: format!("http://{addr}/t/RI").parse().unwrap(),
            api_key: SecretString::new("raw-test-key"),
            username: "probe".into(),
            password: SecretString::new("raw-test-password"),
            max_retries: 2,
            request_timeout: Duration::from_secs(5),
            requests_per_second: None,
            ca_cert_pem: None,
            user_agent: "raw-test".into(),
        })
        .unwrap();
        (client, seen)
    }

    #[tokio::test]
    async fn answers_come_back_as_sent_with_the_clients_credentials() {
        let (client, seen) = start().await;
        let users = client
            .get_raw(&["users"], &[("login", "*"), ("limit", "1")])
            .await
            .unwrap();
        assert_eq!(users.status, 200);
        assert_eq!(users.content_type.as_deref(), Some("application/json"));
        assert_eq!(users.body, br#"[{"id":"A"}]"#);
        let hits = seen.hits.lock().unwrap().clone();
        assert_eq!(hits[0].1.as_deref(), Some("login=*&limit=1"));
        assert_eq!(hits[0].2["x-api-key"], "raw-test-key");
        assert_eq!(hits[0].2["accept"], "application/json");
        assert!(hits[0].2["authorization"]
            .to_str()
            .unwrap()
            .starts_with("Basic "));
    }

    #[tokio::test]
    async fn a_4xx_is_returned_at_once_and_a_5xx_is_retried() {
        let (client, seen) = start().await;
        let missing = client.get_raw(&["secrets"], &[]).await.unwrap();
        assert_eq!(missing.status, 404);
        assert_eq!(missing.body, br#"{"status":404}"#);
        let queues = client.get_raw(&["queues"], &[]).await.unwrap();
        assert_eq!(queues.status, 200);
        let hits = seen.hits.lock().unwrap();
        let count = |route: &str| hits.iter().filter(|h| h.0 == route).count();
        assert_eq!((count("secrets"), count("queues")), (1, 2));
        assert_eq!(client.requests_sent(), 3);
    }
}
