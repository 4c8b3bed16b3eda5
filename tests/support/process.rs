//! Every subprocess a test runs to completion goes through here: it runs in its own process
//! group under a deadline, and when it overstays, the whole group is killed and the test fails
//! naming what hung and its last output, instead of hanging the suite.
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// For one Terraform command: the slowest legitimate one (the 150-resource apply under faults)
/// took under a minute on the 2-core machine under load. `TEST_COMMAND_DEADLINE_SECS` overrides.
pub const TERRAFORM: Duration = Duration::from_secs(300);
/// For a quick tool call (`terraform version`, `git ls-files`, a probe run).
pub const QUICK: Duration = Duration::from_secs(60);
/// How long output pipes may stay open after the process exited (a grandchild holding them).
const PIPE_GRACE: Duration = Duration::from_secs(10);
/// How much of each stream a failure message shows.
const TAIL: usize = 4000;

/// `deadline`, unless `TEST_COMMAND_DEADLINE_SECS` says otherwise (e.g. on a slower machine).
pub fn deadline(default: Duration) -> Duration {
    std::env::var("TEST_COMMAND_DEADLINE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(default)
}

/// Runs `cmd` to its end (stdin closed, output captured) within `limit`; see the module comment.
pub fn output_within(cmd: &mut Command, what: &str, limit: Duration) -> Output {
    cmd.process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    wait_within(child, what, limit)
}

/// Waits for a child started with piped stdout and stderr (and, so that the kill reaches its
/// children too, as leader of its own process group).
pub fn wait_within(mut child: Child, what: &str, limit: Duration) -> Output {
    let limit = deadline(limit);
    let started = Instant::now();
    let (done_tx, done_rx) = mpsc::channel();
    let stdout = drain(child.stdout.take(), done_tx.clone());
    let stderr = drain(child.stderr.take(), done_tx);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < limit => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => hung(&mut child, what, limit, &stdout, &stderr),
            Err(e) => panic!("waiting for {what}: {e}"),
        }
    };
    // Both readers end when every holder of the pipes has exited.
    for _ in 0..2 {
        if done_rx.recv_timeout(PIPE_GRACE).is_err() {
            kill_group(&child);
            let _ = done_rx.recv_timeout(PIPE_GRACE);
        }
    }
    Output {
        status,
        stdout: take(&stdout),
        stderr: take(&stderr),
    }
}

fn hung(
    child: &mut Child,
    what: &str,
    limit: Duration,
    stdout: &Arc<Mutex<Vec<u8>>>,
    stderr: &Arc<Mutex<Vec<u8>>>,
) -> ! {
    kill_group(child);
    let _ = child.kill();
    let _ = child.wait();
    // Let the readers take in the last bytes the killed processes wrote.
    std::thread::sleep(Duration::from_millis(200));
    panic!(
        "{what} (pid {}) was still running after {} s and was killed with its process group \
         (raise TEST_COMMAND_DEADLINE_SECS if the machine is just slow)\n--- last stdout ---\n{}\n--- last stderr ---\n{}",
        child.id(),
        limit.as_secs(),
        tail(&take(stdout)),
        tail(&take(stderr))
    );
}

/// SIGKILL to the child's process group (a no-op when the child does not lead one).
pub fn kill_group(child: &Child) {
    let pid = child.id() as libc::pid_t;
    // SAFETY: getpgid and killpg only read or signal; the group is the child's own.
    unsafe {
        if libc::getpgid(pid) == pid {
            libc::killpg(pid, libc::SIGKILL);
        }
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>, done: mpsc::Sender<()>) -> Arc<Mutex<Vec<u8>>> {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&buf);
    std::thread::spawn(move || {
        if let Some(mut pipe) = pipe {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        }
        let _ = done.send(());
    });
    buf
}

fn take(buf: &Arc<Mutex<Vec<u8>>>) -> Vec<u8> {
    buf.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The last `TAIL` bytes, as text.
pub fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let cut = text.len().saturating_sub(TAIL);
    let cut = (cut..=text.len())
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    text[cut..].to_string()
}

/// Panics with how to install `tool` when it is not on PATH.
pub fn require_tool(tool: &str, install: &str) {
    let found = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "this test needs `{tool}`, which is not on PATH: {install}"
    );
}

/// Panics with what to enable when this machine cannot open IPv6 sockets (a test reaches
/// 127.0.0.1 through the v4-mapped `[::ffff:127.0.0.1]`).
pub fn require_ipv6() {
    if let Err(e) = std::net::TcpListener::bind("[::]:0") {
        panic!(
            "this test needs IPv6 sockets, which fail here ({e}): enable IPv6, e.g. \
             `sysctl -w net.ipv6.conf.all.disable_ipv6=0`, or run the test elsewhere"
        );
    }
}
