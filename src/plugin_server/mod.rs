//! Our plugin server: the go-plugin handshake with automatic mutual TLS, go-plugin's controller,
//! stdio and broker services, gRPC health, and the tfplugin6 `Provider` service, driving a
//! tf-provider `DynamicProvider` and its resources and data sources.
//!
//! Why not `tf_provider::serve`: it speaks protocol 6.5 only, its server type is private, and it
//! exits as soon as Terraform calls StopProvider, which loses replies still on their way
//! (docs/reliability.md).

mod controller;
pub mod convert;
mod handshake;
mod provider_service;
mod tls;

use std::sync::Arc;

use tokio::sync::Notify;

pub use provider_service::{ClientCapabilities, Hooks};

/// Code generated from `proto/` (see build.rs).
#[allow(clippy::all, clippy::pedantic)]
pub mod proto {
    pub mod tfplugin6 {
        tonic::include_proto!("tfplugin6");
    }
    pub mod plugin {
        tonic::include_proto!("plugin");
    }
    pub mod health {
        tonic::include_proto!("grpc.health.v1");
    }
}

/// Serves `provider` under the type-name prefix `name` until go-plugin's controller asks us to
/// shut down. StopProvider does not end serving (see [`Hooks::on_stop`]).
pub async fn serve(
    name: &str,
    provider: Box<dyn tf_provider::DynamicProvider>,
    hooks: Hooks,
) -> anyhow::Result<()> {
    handshake::check_magic_cookie()?;
    let listener = handshake::listen()?;
    let address = listener.local_addr()?;
    let tls = match handshake::client_cert_pem() {
        Some(pem) => Some(tls::ServerTls::new(&pem)?),
        None => None,
    };

    let shutdown = Arc::new(Notify::new());
    let provider = provider_service::ProviderService::new(name, provider, hooks);
    let router = tonic::transport::Server::builder()
        .add_service(proto::tfplugin6::provider_server::ProviderServer::new(
            provider,
        ))
        .add_service(controller::controller(shutdown.clone()))
        .add_service(controller::stdio())
        .add_service(controller::broker())
        .add_service(controller::health());

    let certificate = tls.as_ref().map(|t| t.certificate_der().to_vec());
    let stopped = async move { shutdown.notified().await };
    // Announce only once the server is about to accept: Terraform connects right after.
    handshake::announce(address, certificate.as_deref())?;
    match tls {
        Some(tls) => {
            let incoming = handshake::incoming_tls(listener, tls.acceptor());
            router
                .serve_with_incoming_shutdown(incoming, stopped)
                .await?
        }
        None => {
            let incoming = handshake::incoming_plain(listener);
            router
                .serve_with_incoming_shutdown(incoming, stopped)
                .await?
        }
    }
    Ok(())
}
