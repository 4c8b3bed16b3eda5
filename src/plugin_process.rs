//! Process set-up for the plugin binary: workarounds for known defects of tf-provider 0.2.2 that
//! need no change to the crate (see docs/development.md).

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

/// Diagnostics capture a backtrace each; under RUST_BACKTRACE=1 users would see ~30 lines of it
/// under every error.
pub fn disable_diagnostic_backtraces() {
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
}

/// A terminal Ctrl-C reaches the whole process group. Go providers ignore SIGINT and let Terraform
/// stop them through StopProvider, so in-flight creates land; we do the same.
pub fn ignore_sigint() {
    // SAFETY: installing SIG_IGN for SIGINT has no preconditions.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}

/// Logs go to stderr (Terraform shows them with TF_LOG), unless PLUGIN_LOG_FILE asks the crate to
/// log to a file itself.
pub fn init_logging() {
    if std::env::var_os("PLUGIN_LOG_FILE").is_some() {
        return;
    }
    let level = ["TF_LOG_PROVIDER_CONTACTPRO", "TF_LOG_PROVIDER", "TF_LOG"]
        .iter()
        .find_map(|name| std::env::var(name).ok())
        .map(|level| level.to_ascii_lowercase())
        .filter(|level| ["trace", "debug", "info", "warn", "error"].contains(&level.as_str()))
        .unwrap_or_else(|| "warn".into());
    let filter = tracing_subscriber::EnvFilter::new(format!("contactpro={level},warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// The crate's gRPC listener lacks TCP_NODELAY, so many RPCs stall ~40 ms (Nagle against delayed
/// ACK). Accepted sockets inherit TCP_NODELAY from the listener on Linux, and Terraform connects
/// only after reading the handshake line. So stdout goes through a pipe: a relay thread reads the
/// handshake, sets TCP_NODELAY on our listening socket, and only then passes the line on.
pub fn relay_handshake_with_nodelay() -> std::io::Result<()> {
    let mut fds = [0; 2];
    // SAFETY: pipe/dup/dup2 on descriptors we own; errors are checked.
    unsafe {
        if libc::pipe(fds.as_mut_ptr()) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let real_stdout = libc::dup(1);
        if real_stdout < 0 || libc::dup2(fds[1], 1) < 0 {
            return Err(std::io::Error::last_os_error());
        }
        libc::close(fds[1]);
        let reader = OwnedFd::from_raw_fd(fds[0]);
        let writer = File::from_raw_fd(real_stdout);
        std::thread::spawn(move || relay(reader, writer));
    }
    Ok(())
}

fn relay(reader: OwnedFd, mut writer: File) {
    let mut lines = BufReader::new(File::from(reader));
    let mut first = true;
    let mut line = String::new();
    while matches!(lines.read_line(&mut line), Ok(n) if n > 0) {
        if first {
            first = false;
            if let Some(port) = handshake_port(&line) {
                set_nodelay_on_listener(port);
            }
        }
        let _ = writer.write_all(line.as_bytes());
        let _ = writer.flush();
        line.clear();
    }
}

/// `1|6|tcp|127.0.0.1:PORT|grpc|CERT` → PORT.
pub fn handshake_port(line: &str) -> Option<u16> {
    let address = line.split('|').nth(3)?;
    address.rsplit(':').next()?.parse().ok()
}

fn set_nodelay_on_listener(port: u16) {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    for entry in entries.flatten() {
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        // SAFETY: the descriptor stays open for the duration of this borrow (it is ours and
        // the listener is never closed while serving); we only query and set options.
        let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
        let socket = socket2::SockRef::from(&borrowed);
        let listening = socket.is_listener().unwrap_or(false);
        let same_port = socket
            .local_addr()
            .ok()
            .and_then(|a| a.as_socket())
            .is_some_and(|a| a.port() == port);
        if listening && same_port {
            if let Err(e) = socket.set_nodelay(true) {
                tracing::warn!("could not set TCP_NODELAY on the plugin listener: {e}");
            }
            let _ = borrowed.as_raw_fd();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::handshake_port;

    #[test]
    fn reads_the_port_of_the_handshake() {
        assert_eq!(
            handshake_port("1|6|tcp|127.0.0.1:43211|grpc|MIIB\n"),
            Some(43211)
        );
        assert_eq!(handshake_port("garbage"), None);
    }
}
