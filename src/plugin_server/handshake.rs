//! go-plugin's side of the process: the magic cookie, the listener, the handshake line on
//! stdout, and the accepted connections (TCP_NODELAY, then TLS when Terraform asked for it).

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};

use anyhow::{bail, Context};
use base64::Engine;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;

const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// go-plugin's core protocol version, then the plugin protocol (tfplugin6).
const CORE_PROTOCOL_VERSION: u32 = 1;
const APP_PROTOCOL_VERSION: u32 = 6;

/// Started by hand, a plugin says so instead of waiting for a client that never comes.
pub fn check_magic_cookie() -> anyhow::Result<()> {
    if std::env::var(MAGIC_COOKIE_KEY).as_deref() != Ok(MAGIC_COOKIE_VALUE) {
        bail!(
            "This binary is a plugin. These are not meant to be executed directly. \
             Please execute the program that consumes these plugins, which will load \
             any plugins automatically"
        );
    }
    Ok(())
}

/// Terraform's client certificate (PEM), given only when it wants automatic mutual TLS.
pub fn client_cert_pem() -> Option<String> {
    std::env::var("PLUGIN_CLIENT_CERT")
        .ok()
        .filter(|pem| !pem.trim().is_empty())
}

/// The first free port of PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT on loopback (any port when unset).
pub fn listen() -> anyhow::Result<TcpListener> {
    let port = |name: &str| -> anyhow::Result<Option<u16>> {
        std::env::var(name)
            .ok()
            .map(|v| v.parse().with_context(|| format!("{name} is not a port")))
            .transpose()
    };
    let listener = match (port("PLUGIN_MIN_PORT")?, port("PLUGIN_MAX_PORT")?) {
        (None, None) => std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?,
        (min, max) => {
            let (min, max) = (min.unwrap_or(1025), max.unwrap_or(u16::MAX));
            (min.min(max)..=max.max(min))
                .find_map(|p| std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, p)).ok())
                .context("no free port between PLUGIN_MIN_PORT and PLUGIN_MAX_PORT")?
        }
    };
    listener.set_nonblocking(true)?;
    Ok(TcpListener::from_std(listener)?)
}

/// `1|6|tcp|127.0.0.1:PORT|grpc|CERT`: Terraform connects once it has read this line.
pub fn announce(address: SocketAddr, certificate_der: Option<&[u8]>) -> anyhow::Result<()> {
    let cert = certificate_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|tcp|{address}|grpc|{cert}"
    )?;
    out.flush()?;
    Ok(())
}

/// Accepted connections, each with TCP_NODELAY: without it many RPCs stall ~40 ms (Nagle against
/// delayed ACK).
pub fn incoming_plain(listener: TcpListener) -> ReceiverStream<std::io::Result<TcpStream>> {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let accepted = listener.accept().await.map(|(stream, _)| stream);
            let accepted = accepted.and_then(|stream| stream.set_nodelay(true).map(|()| stream));
            if tx.send(accepted).await.is_err() {
                return;
            }
        }
    });
    ReceiverStream::new(rx)
}

/// Accepted connections after their TLS handshake. A handshake that fails (no or a wrong client
/// certificate) drops that connection only; each runs on its own task so a slow one blocks none.
pub fn incoming_tls(
    listener: TcpListener,
    acceptor: TlsAcceptor,
) -> ReceiverStream<std::io::Result<TlsStream<TcpStream>>> {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!("plugin listener: {e}");
                    continue;
                }
            };
            if let Err(e) = stream.set_nodelay(true) {
                tracing::warn!("could not set TCP_NODELAY: {e}");
            }
            if tx.is_closed() {
                return;
            }
            let (acceptor, tx) = (acceptor.clone(), tx.clone());
            tokio::spawn(async move {
                match acceptor.accept(stream).await {
                    Ok(tls) => {
                        let _ = tx.send(Ok(tls)).await;
                    }
                    Err(e) => tracing::warn!("refused a plugin connection: TLS handshake: {e}"),
                }
            });
        }
    });
    ReceiverStream::new(rx)
}
