//! Starts the Contact Pro emulator binary for a test, as a child process on a free port.
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use super::bins::emulator_binary;

const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// The emulator binary on a free port with its SQLite file in a temp dir; killed on drop.
pub struct EmulatorProcess {
    child: Child,
    base_url: String,
    data_dir: tempfile::TempDir,
    extra_args: Vec<String>,
    stderr: Arc<Mutex<String>>,
}

impl EmulatorProcess {
    pub fn start() -> EmulatorProcess {
        Self::start_with_args(&[])
    }

    /// Extra command-line flags, e.g. fault injection.
    pub fn start_with_args(args: &[&str]) -> EmulatorProcess {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let extra_args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let (child, base_url, stderr) =
            spawn(&db_path(data_dir.path()), &extra_args, "127.0.0.1:0");
        EmulatorProcess {
            child,
            base_url,
            data_dir,
            extra_args,
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

    /// SIGKILL, as a crash: nothing is flushed or closed cleanly.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills and starts again on the same database and the same port, so a
    /// configured provider can keep its endpoint.
    pub fn restart(&mut self) {
        let args = self.extra_args.clone();
        self.restart_with_args(args);
    }

    /// As `restart`, with other flags: the same tenant served, for example, by another profile.
    pub fn restart_with_args(&mut self, args: Vec<String>) {
        self.extra_args = args;
        self.kill();
        let addr = self.addr().to_string();
        let (child, base_url, stderr) = spawn(&self.db_path(), &self.extra_args, &addr);
        self.child = child;
        self.base_url = base_url;
        self.stderr = stderr;
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

fn db_path(dir: &Path) -> PathBuf {
    dir.join("db.sqlite")
}

/// Starts the binary and waits for `listening on http://HOST:PORT` on stdout.
fn spawn(db: &Path, extra: &[String], listen: &str) -> (Child, String, Arc<Mutex<String>>) {
    let binary = emulator_binary();
    let mut child = Command::new(&binary)
        .arg("--listen")
        .arg(listen)
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
