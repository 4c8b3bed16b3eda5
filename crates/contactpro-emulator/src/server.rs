//! Builds the router and serves it (HTTP or HTTPS) with a connection-dropping gate for lost responses.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::Service;

use super::access;
use super::auth;
use super::error::ApiError;
use super::faults::{self, DropConnection};
use super::json::BODY_LIMIT;
use super::routes;
use super::state::AppState;
use super::stats;

/// The full application: RCI under both base paths, emulator endpoints, JSON errors everywhere.
pub fn app(state: AppState) -> Router {
    // Layers run bottom-up on the way in: stats, then faults, then auth, then the handler.
    let rci = routes::rci(state.profile)
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            access::enforce,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
        .route_layer(middleware::from_fn_with_state(state.clone(), stats::count));
    // Added after the layers: answered like an unknown path, without credentials.
    let rci = routes::not_offered(rci, state.profile);
    Router::new()
        .nest("/:tenant/RI/rci", rci.clone())
        .nest("/:tenant/ecfs/RI/rci", rci)
        .merge(routes::emulator::router(&state))
        .fallback(|uri: axum::http::Uri| async move { routes::no_such_resource(uri.path()) })
        .layer(middleware::from_fn(json_errors))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// Rewrites axum's plain-text rejections (405, bad path or query) into the JSON error body.
async fn json_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let mut message = String::from_utf8_lossy(&text).trim().to_string();
    if message.is_empty() {
        message = status.canonical_reason().unwrap_or("error").to_string();
    }
    let mut rewritten = ApiError::new(status, message).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rewritten.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rewritten
}

/// Error that makes hyper close the connection without writing a response.
#[derive(Debug, thiserror::Error)]
#[error("response deliberately dropped (lost-response fault)")]
pub struct Dropped;

/// Wraps the router: a response marked `DropConnection` becomes a service error, which hyper
/// answers by closing the connection. The handler has committed by then.
#[derive(Clone)]
pub struct DropGate(pub Router);

impl<B> Service<Request<B>> for DropGate
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Dropped;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Dropped>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let mut router = self.0.clone();
        let req = req.map(Body::new);
        Box::pin(async move {
            let response = match router.call(req).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            if response.extensions().get::<DropConnection>().is_some() {
                return Err(Dropped);
            }
            Ok(response)
        })
    }
}

/// Hands every new connection a clone of the gate.
#[derive(Clone)]
pub struct MakeGate(pub DropGate);

impl Service<SocketAddr> for MakeGate {
    type Response = DropGate;
    type Error = Infallible;
    type Future = std::future::Ready<Result<DropGate, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _addr: SocketAddr) -> Self::Future {
        std::future::ready(Ok(self.0.clone()))
    }
}
