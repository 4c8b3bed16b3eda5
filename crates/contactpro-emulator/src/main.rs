//! contactpro-emulator: parse flags, start, print the address, wait for SIGINT/SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use contactpro_emulator::{self as emulator, cli::Cli};

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let listen_fd = cli.listen_fd;
    let config = match cli.into_config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("contactpro-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let started = match listen_fd {
        None => emulator::start(config).await,
        Some(fd) => match inherited_listener(fd) {
            Ok(listener) => emulator::start_on(config, listener).await,
            Err(e) => {
                eprintln!("contactpro-emulator: --listen-fd {fd}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let running = match started {
        Ok(r) => r,
        Err(e) => {
            eprintln!("contactpro-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on {}", running.base_url());
    let _ = stdout.flush();
    wait_for_signal().await;
    tracing::info!("shutting down");
    running.shutdown().await;
    ExitCode::SUCCESS
}

/// The socket behind an inherited descriptor, a bound TCP socket, made to listen here: the
/// parent can then keep the port while no emulator runs, refusing connections meanwhile.
#[cfg(unix)]
fn inherited_listener(fd: i32) -> std::io::Result<std::net::TcpListener> {
    use std::os::fd::FromRawFd;
    if fd < 3 {
        return Err(std::io::Error::other(
            "not an inherited socket (0, 1 and 2 are stdio)",
        ));
    }
    // SAFETY: nothing else in this process uses `fd`: it was handed to us to own. A descriptor
    // that is not an open socket makes `local_addr` fail, and the error ends the process.
    let socket = unsafe { std::net::TcpStream::from_raw_fd(fd) };
    socket.local_addr()?;
    let listener = tokio::net::TcpSocket::from_std_stream(socket).listen(1024)?;
    listener.into_std()
}

/// Inheriting a socket by its descriptor number is a Unix notion (tests use it on Linux).
#[cfg(not(unix))]
fn inherited_listener(_fd: i32) -> std::io::Result<std::net::TcpListener> {
    Err(std::io::Error::other(
        "is supported on Unix only; use --listen",
    ))
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("cannot listen for SIGTERM");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

/// Windows has no SIGTERM; Ctrl-C (and Ctrl-Break) arrive through ctrl_c.
#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
