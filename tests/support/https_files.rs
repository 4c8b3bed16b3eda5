//! A static HTTPS file server on 127.0.0.1 and a free port, for Terraform's network mirror:
//! it serves a directory with the test PKI's server certificate and records each path asked for.
//! Include with `#[path = "support/https_files.rs"] mod https_files;` (it needs `tls`).
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::tls::TestPki;

pub struct HttpsFiles {
    base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
    handle: axum_server::Handle,
    runtime: Option<tokio::runtime::Runtime>,
}

#[derive(Clone)]
struct Served {
    root: PathBuf,
    requests: Arc<Mutex<Vec<String>>>,
}

impl HttpsFiles {
    /// Serves `root` as `https://127.0.0.1:PORT/`; stopped on drop.
    pub fn start(root: &Path, pki: &TestPki) -> HttpsFiles {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handle = axum_server::Handle::new();
        let served = Served {
            root: root.to_path_buf(),
            requests: requests.clone(),
        };
        let app = Router::new().fallback(serve_file).with_state(served);
        let (cert, key) = (pki.cert_path(), pki.key_path());
        let server_handle = handle.clone();
        runtime.block_on(async move {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .unwrap();
            let server =
                axum_server::tls_rustls::from_tcp_rustls(listener, config).handle(server_handle);
            tokio::spawn(server.serve(app.into_make_service()));
        });
        HttpsFiles {
            base_url: format!("https://127.0.0.1:{port}/"),
            requests,
            handle,
            runtime: Some(runtime),
        }
    }

    /// `https://127.0.0.1:PORT/`, with the trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The paths asked for so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for HttpsFiles {
    fn drop(&mut self) {
        self.handle.shutdown();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(std::time::Duration::from_secs(5));
        }
    }
}

async fn serve_file(State(served): State<Served>, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/').to_string();
    served.requests.lock().unwrap().push(path.clone());
    let relative = Path::new(&path);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(served.root.join(relative)).await {
        Ok(bytes) => {
            let kind = if path.ends_with(".json") {
                "application/json"
            } else {
                "application/zip"
            };
            ([(header::CONTENT_TYPE, kind)], bytes).into_response()
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
