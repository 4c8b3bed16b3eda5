//! Our plugin server: the go-plugin handshake with automatic mutual TLS, go-plugin's controller,
//! stdio and broker services, gRPC health, and the tfplugin6 `Provider` service, driving a
//! tf-provider `DynamicProvider` and its resources and data sources, and our own ephemeral
//! resources (`ephemeral`: tf-provider has none).
//!
//! Why not `tf_provider::serve`: it speaks protocol 6.5 only, its server type is private, and it
//! exits as soon as Terraform calls StopProvider, which loses replies still on their way
//! (docs/reliability.md).

mod controller;
pub mod convert;
pub mod ephemeral;
mod handshake;
mod provider_service;
mod tls;

use std::time::Duration;

use tokio::sync::watch;

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

    let (shutdown, shutting_down) = watch::channel(false);
    let provider = provider_service::ProviderService::new(name, provider, hooks);
    let router = tonic::transport::Server::builder()
        .add_service(proto::tfplugin6::provider_server::ProviderServer::new(
            provider,
        ))
        .add_service(controller::controller(shutdown))
        .add_service(controller::stdio())
        .add_service(controller::broker())
        .add_service(controller::health());

    let certificate = tls.as_ref().map(|t| t.certificate_der().to_vec());
    let stopped = requested(shutting_down.clone());
    // Announce only once the server is about to accept: Terraform connects right after.
    handshake::announce(address, certificate.as_deref())?;
    let serving = async move {
        match tls {
            Some(tls) => {
                let incoming = handshake::incoming_tls(listener, tls.acceptor());
                router.serve_with_incoming_shutdown(incoming, stopped).await
            }
            None => {
                let incoming = handshake::incoming_plain(listener);
                router.serve_with_incoming_shutdown(incoming, stopped).await
            }
        }
    };
    // A graceful stop waits for open streams (stdio, broker) that only the client can end; go-plugin
    // closes its connection right after Shutdown, and kills us 2 s later anyway.
    let deadline = async {
        requested(shutting_down).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    tokio::select! {
        served = serving => served?,
        () = deadline => tracing::debug!("connections still open 1 s after Shutdown: exiting"),
    }
    Ok(())
}

/// Resolves once the controller's Shutdown arrived.
async fn requested(mut shutdown: watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|requested| *requested).await;
}
