//! Starts the Contact Pro emulator binary for a test, as a child process on a free port.
//!
//! The test process binds the port and keeps the socket for the emulator's whole life; the
//! emulator gets it as an inherited descriptor (`--listen-fd 3`) and listens on it. A restart
//! hands the same socket to the new process, so no other test can take the port in between
//! (re-binding a fixed port after a kill would race with every parallel test that binds port 0).
//! When the emulator is killed the socket stops listening (`connect(AF_UNSPEC)`), so until the
//! next emulator listens, clients see "connection refused" as from a crashed server, yet the
//! port stays bound to us.
use std::io::{BufRead, BufReader, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use super::bins::emulator_binary;

const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// The emulator binary on a free port with its SQLite file in a temp dir; killed on drop.
pub struct EmulatorProcess {
    child: Child,
    socket: OwnedFd,
    base_url: String,
    data_dir: tempfile::TempDir,
    extra_args: Vec<String>,
    env: Vec<(String, String)>,
    stderr: Arc<Mutex<String>>,
}

impl EmulatorProcess {
    pub fn start() -> EmulatorProcess {
        Self::start_with_args(&[])
    }

    /// Extra command-line flags, e.g. fault injection.
    pub fn start_with_args(args: &[&str]) -> EmulatorProcess {
        Self::start_with_env(args, &[])
    }

    /// Extra flags and environment, e.g. `RUST_LOG=contactpro_emulator=debug` for a request log
    /// on stderr (`stderr_output`).
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> EmulatorProcess {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let data_dir = tempfile::tempdir().expect("temp dir");
        let extra_args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let socket = exclusive_loopback_socket();
        let (child, base_url, stderr) =
            spawn(&db_path(data_dir.path()), &extra_args, &env, &socket);
        EmulatorProcess {
            child,
            socket,
            base_url,
            data_dir,
            extra_args,
            env,
            stderr,
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `127.0.0.1:PORT`
    pub fn addr(&self) -> &str {
        self.base_url.trim_start_matches("http://")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn db_path(&self) -> PathBuf {
        db_path(self.data_dir.path())
    }

    pub fn stderr_output(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// SIGKILL, as a crash: nothing is flushed or closed cleanly. The port stays ours but
    /// refuses connections until `restart`.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        unlisten(&self.socket);
    }

    /// Kills and starts again on the same database and the same socket (so the same port), so
    /// a configured provider can keep its endpoint.
    pub fn restart(&mut self) {
        let args = self.extra_args.clone();
        self.restart_with_args(args);
    }

    /// As `restart`, with other flags: the same tenant served, for example, by another profile.
    pub fn restart_with_args(&mut self, args: Vec<String>) {
        self.extra_args = args;
        self.kill();
        set_reuse_address(&self.socket, true);
        let (child, base_url, stderr) =
            spawn(&self.db_path(), &self.extra_args, &self.env, &self.socket);
        self.child = child;
        self.base_url = base_url;
        self.stderr = stderr;
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn db_path(dir: &Path) -> PathBuf {
    dir.join("db.sqlite")
}

/// A listening socket on a free loopback port, bound by its number and without SO_REUSEADDR:
/// Linux keeps an explicitly bound port through `unlisten` (a port from `bind(…:0)` would be
/// released), and without SO_REUSEADDR no other socket may bind it while ours does not listen.
/// The port comes from below the kernel's ephemeral range, which `bind(…:0)` of parallel tests
/// draws from; a port someone holds fails `bind` atomically and the next one is tried.
fn exclusive_loopback_socket() -> OwnedFd {
    let ephemeral_low: u16 = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|range| range.split_whitespace().next()?.parse().ok())
        .unwrap_or(32768);
    let (low, high) = (10_000u16, ephemeral_low.max(10_001));
    let span = u32::from(high - low);
    let seed = std::process::id()
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
    for attempt in 0..span.min(2000) {
        let port = low + ((seed.wrapping_add(attempt.wrapping_mul(7919))) % span) as u16;
        match bind_exclusive(port) {
            Ok(listener) => return listener,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => panic!("bind 127.0.0.1:{port}: {e}"),
        }
    }
    panic!("no free loopback port in {low}..{high}");
}

fn bind_exclusive(port: u16) -> std::io::Result<OwnedFd> {
    let last_error = std::io::Error::last_os_error;
    // SAFETY: plain socket calls on a descriptor we create and own from the start.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(last_error());
        }
        let socket = OwnedFd::from_raw_fd(fd);
        let mut address: libc::sockaddr_in = std::mem::zeroed();
        address.sin_family = libc::AF_INET as libc::sa_family_t;
        address.sin_port = port.to_be();
        address.sin_addr.s_addr = u32::from(std::net::Ipv4Addr::LOCALHOST).to_be();
        let address_size = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        let address = &address as *const libc::sockaddr_in as *const libc::sockaddr;
        if libc::bind(fd, address, address_size) != 0 {
            return Err(last_error());
        }
        set_reuse_address(&socket, true);
        Ok(socket)
    }
}

/// SO_REUSEADDR on only while an emulator serves: the connections it accepts inherit it, so
/// their TIME_WAIT remnants do not block the next `listen`; while it is off (down), no socket can
/// bind the port beside ours. (Bound first without it, so the port's bucket never allows a
/// "fast reuse".)
fn set_reuse_address(socket: &OwnedFd, on: bool) {
    let value: libc::c_int = on.into();
    // SAFETY: setsockopt with a c_int option value and its size, on our own socket.
    let done = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_REUSEADDR,
            &value as *const libc::c_int as *const libc::c_void,
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(done, 0, "SO_REUSEADDR: {}", std::io::Error::last_os_error());
}

/// Stops a listening socket from accepting without closing it: the pending connections are
/// reset, new ones refused, and the port stays bound (Linux: a disconnect of a listening socket).
fn unlisten(socket: &OwnedFd) {
    // SAFETY: an all-zero sockaddr with family AF_UNSPEC, passed with its size, to our own socket.
    let done = unsafe {
        let mut address: libc::sockaddr = std::mem::zeroed();
        address.sa_family = libc::AF_UNSPEC as libc::sa_family_t;
        libc::connect(
            socket.as_raw_fd(),
            &address,
            std::mem::size_of::<libc::sockaddr>() as libc::socklen_t,
        )
    };
    assert_eq!(done, 0, "unlisten: {}", std::io::Error::last_os_error());
    set_reuse_address(socket, false);
}

/// Starts the binary on `socket` (as its fd 3) and waits for `listening on http://HOST:PORT`.
fn spawn(
    db: &Path,
    extra: &[String],
    env: &[(String, String)],
    socket: &OwnedFd,
) -> (Child, String, Arc<Mutex<String>>) {
    let binary = emulator_binary();
    let fd = socket.as_raw_fd();
    let mut command = Command::new(&binary);
    command
        .env_remove("RUST_LOG")
        .envs(env.iter().map(|(k, v)| (k, v)));
    // SAFETY: dup2 is async-signal-safe; the copy at 3 lacks FD_CLOEXEC, so the emulator gets it.
    unsafe {
        command.pre_exec(move || {
            // dup2 onto itself would keep FD_CLOEXEC: clear it instead.
            let done = if fd == 3 {
                libc::fcntl(3, libc::F_SETFD, 0)
            } else {
                libc::dup2(fd, 3)
            };
            if done < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command
        .args(["--listen-fd", "3"])
        .arg("--data")
        .arg(db)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
    let stderr = collect(child.stderr.take().unwrap());
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        // Keep draining so the emulator never blocks on a full pipe.
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    let line = rx.recv_timeout(STARTUP_TIMEOUT).unwrap_or_default();
    match line.trim().strip_prefix("listening on ") {
        Some(url) if url.starts_with("http") => (child, url.to_string(), stderr),
        _ => {
            let _ = child.kill();
            let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
            std::thread::sleep(Duration::from_millis(100));
            panic!(
                "emulator did not print `listening on http://HOST:PORT` (first line {line:?}, process {status})\nstderr:\n{}",
                stderr.lock().unwrap()
            );
        }
    }
}

fn collect(mut pipe: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let buf = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&buf);
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
    buf
}
