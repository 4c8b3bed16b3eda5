//! `make bench`: the real Terraform CLI (v1.0.3, or the one on PATH) against our provider and the emulator on
//! loopback, side by side with HashiCorp's null provider, alternating runs; prints medians.
//! See docs/performance.md for the method and recorded figures.
//!
//! Environment (defaults are issue #7's sizes):
//! - `BENCH_N_SECRETS` (1000), `BENCH_N_USERS` (500, each with a `contactpro_user_rights`),
//!   `BENCH_RUNS` (3), `BENCH_HANDSHAKES` (20).
//! - `BENCH_BASELINE_PROVIDER`: an older build of this provider; when set, the secrets scenario
//!   also runs it, in the same alternation, and a second table compares it with ours.
//! - `BENCH_TERRAFORM=path`: the Terraform on PATH instead of v1.0.3.
//!
//! Peak RSS: every provider Terraform starts is this binary re-executed in "wrap" mode
//! (`BENCH_WRAP_REAL` set), which runs the real provider as its child with inherited stdio and
//! records the child's peak RSS.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::bins::{emulator_binary, provider_binary};
use support::emulator::EmulatorProcess;
use support::rci::Rci;
use support::terraform::describe;
use support::{Terraform, TfWorkdir};

const WRAP_REAL: &str = "BENCH_WRAP_REAL";
const WRAP_RSS_DIR: &str = "BENCH_WRAP_RSS_DIR";
const NULL_SOURCE: &str = "registry.terraform.io/hashicorp/null";
const NULL_VERSION: &str = "2.1.2";
/// go-plugin refuses to start without it; Terraform sets it for every provider.
const GO_PLUGIN_COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

fn main() {
    if let Some(real) = std::env::var_os(WRAP_REAL) {
        std::process::exit(wrap(Path::new(&real)));
    }
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let n_secrets = env_usize("BENCH_N_SECRETS", 1000);
    let n_users = env_usize("BENCH_N_USERS", 500);
    let runs = env_usize("BENCH_RUNS", 3).max(1);
    let handshakes = env_usize("BENCH_HANDSHAKES", 20).max(1);
    let baseline = std::env::var_os("BENCH_BASELINE_PROVIDER").map(PathBuf::from);
    if let Some(path) = &baseline {
        assert!(
            path.is_file(),
            "BENCH_BASELINE_PROVIDER={} is not a file",
            path.display()
        );
    }

    let terraform = match std::env::var("BENCH_TERRAFORM").as_deref() {
        Ok("path") => {
            Terraform::from_path().expect("BENCH_TERRAFORM=path: no Terraform >= 1.0 on PATH")
        }
        _ => Terraform::v1_0_3(),
    };
    let null_binary = support::terraform::repo_root()
        .join(".tools/null-provider/terraform-provider-null_v2.1.2_x4");
    assert!(
        null_binary.is_file(),
        "{} is missing: run `make setup`",
        null_binary.display()
    );
    println!(
        "terraform v{} · provider {} · emulator {} · null {}",
        terraform.version,
        provider_binary().display(),
        emulator_binary().display(),
        null_binary.display()
    );
    println!(
        "N secrets = {n_secrets}, N users = {n_users} (+{n_users} user_rights), runs = {runs}, parallelism = Terraform's default (10)\n"
    );

    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let bench = Bench::new(&terraform, &rci, &emulator, &null_binary);

    let mut scenarios = Vec::new();
    if n_secrets > 0 {
        let mut secrets = Scenario::new(
            &bench,
            format!("{n_secrets} contactpro_secret"),
            secrets_tf(n_secrets),
            format!("{n_secrets} null_resource"),
            null_tf(n_secrets, 0),
            n_secrets,
        );
        secrets.baseline = baseline.as_ref().map(|path| {
            Side::new(
                &bench,
                &format!("{n_secrets} contactpro_secret, baseline build"),
                secrets_tf(n_secrets),
                Real::Contactpro(path.clone()),
                &[],
            )
        });
        scenarios.push(secrets);
    }
    if n_users > 0 {
        scenarios.push(Scenario::new(
            &bench,
            format!("{n_users} contactpro_user + {n_users} contactpro_user_rights"),
            users_tf(n_users),
            format!("{n_users} + {n_users} null_resource (same graph)"),
            null_tf(n_users, n_users),
            2 * n_users,
        ));
    }
    // Alternate: every run does each side of each scenario once, in turn.
    for run in 1..=runs {
        for scenario in &mut scenarios {
            eprintln!("run {run}/{runs}: {}", scenario.ours.label);
            scenario.ours.run_once(&bench);
            eprintln!("run {run}/{runs}: {}", scenario.null.label);
            scenario.null.run_once(&bench);
            if let Some(baseline) = &mut scenario.baseline {
                eprintln!("run {run}/{runs}: {}", baseline.label);
                baseline.run_once(&bench);
            }
        }
    }
    println!("## Terraform phases (median of {runs} runs, seconds)\n");
    print_table(&scenarios);
    if let Some(path) = &baseline {
        println!(
            "\n## Ours against the baseline build {} (median of {runs} runs)\n",
            path.display()
        );
        print_baseline_table(&scenarios);
    }

    println!("\n## Provider start to handshake (median of {handshakes}, ms)\n");
    let ours = handshake_ms(&provider_binary(), &[GO_PLUGIN_COOKIE], handshakes);
    let null = handshake_ms(&null_binary, &[GO_PLUGIN_COOKIE], handshakes);
    println!("| provider | median | min | max |");
    println!("|---|---:|---:|---:|");
    for (name, times) in [("contactpro", ours), ("null (Go)", null)] {
        let min = times.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = times.iter().cloned().fold(0.0, f64::max);
        println!("| {name} | {:.1} | {min:.1} | {max:.1} |", median(&times));
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    }
}

/// Wrap mode: run the real provider with inherited stdio, record its peak RSS (KiB) and CPU
/// time (ms) as "KIB MS" in `$BENCH_WRAP_RSS_DIR/<pid>`, exit with its status.
fn wrap(real: &Path) -> i32 {
    let mut child = match Command::new(real).args(std::env::args_os().skip(1)).spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("bench wrapper: cannot start {}: {e}", real.display());
            return 1;
        }
    };
    let dir = std::env::var_os(WRAP_RSS_DIR).map(PathBuf::from);
    let file = dir.map(|d| d.join(child.id().to_string()));
    // Terraform may kill the wrapper before the child ends: keep a running figure on disk too.
    if let Some(file) = file.clone() {
        let pid = child.id();
        std::thread::spawn(move || loop {
            if let (Some(kib), Some(ms)) = (vm_hwm_kib(pid), cpu_ms(pid)) {
                let _ = std::fs::write(&file, format!("{kib} {ms}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        });
    }
    let status = child.wait().map(|s| s.code().unwrap_or(1)).unwrap_or(1);
    let usage = children_usage();
    if let Some(file) = file {
        let _ = std::fs::write(file, format!("{} {}", usage.0, usage.1));
    }
    status
}

/// (peak RSS KiB, user + system CPU ms) of all waited-for descendants.
fn children_usage() -> (u64, u64) {
    // SAFETY: getrusage writes into the zeroed struct we pass; no other precondition.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let ms = |t: libc::timeval| t.tv_sec as u64 * 1000 + t.tv_usec as u64 / 1000;
    (
        usage.ru_maxrss as u64,
        ms(usage.ru_utime) + ms(usage.ru_stime),
    )
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// utime + stime of a live process, from /proc (clock ticks of 10 ms on Linux).
fn cpu_ms(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) * 10)
}

/// Shared set-up for every side.
struct Bench {
    terraform: Terraform,
    provider_env: Vec<(&'static str, String)>,
    null_binary: PathBuf,
    wrapper: PathBuf,
    emulator_root: String,
    emulator_pid: u32,
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
}

impl Bench {
    fn new(
        terraform: &Terraform,
        rci: &Rci,
        emulator: &EmulatorProcess,
        null_binary: &Path,
    ) -> Bench {
        Bench {
            terraform: terraform.clone(),
            provider_env: rci.provider_env(),
            null_binary: null_binary.to_path_buf(),
            wrapper: std::env::current_exe().expect("own path"),
            emulator_root: emulator.base_url().to_string(),
            emulator_pid: emulator.pid(),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            http: reqwest::Client::new(),
        }
    }

    fn reset_stats(&self) {
        let url = format!("{}/_emulator/stats", self.emulator_root);
        self.runtime.block_on(async {
            self.http.delete(&url).send().await.expect("reset stats");
        });
    }

    /// RCI requests since the last reset.
    fn api_calls(&self) -> u64 {
        let url = format!("{}/_emulator/stats", self.emulator_root);
        self.runtime.block_on(async {
            let stats: serde_json::Value = self
                .http
                .get(&url)
                .send()
                .await
                .expect("stats")
                .json()
                .await
                .expect("stats JSON");
            stats["total"].as_u64().unwrap_or(0)
        })
    }
}

#[derive(Clone, Copy)]
enum Phase {
    Apply = 0,
    Plan = 1,
    Destroy = 2,
}

impl Phase {
    const ALL: [Phase; 3] = [Phase::Apply, Phase::Plan, Phase::Destroy];

    fn name(self) -> &'static str {
        match self {
            Phase::Apply => "apply (from empty)",
            Phase::Plan => "plan (no changes)",
            Phase::Destroy => "destroy",
        }
    }

    fn args(self) -> &'static [&'static str] {
        match self {
            Phase::Apply => &["apply", "-auto-approve", "-input=false", "-no-color"],
            Phase::Plan => &["plan", "-detailed-exitcode", "-input=false", "-no-color"],
            Phase::Destroy => &["destroy", "-auto-approve", "-input=false", "-no-color"],
        }
    }
}

/// One configuration run through apply, plan and destroy, with its figures per phase.
struct Side {
    label: String,
    workdir: TfWorkdir,
    rss_dir: tempfile::TempDir,
    seconds: [Vec<f64>; 3],
    api_calls: [Vec<u64>; 3],
    rss_kib: [Vec<u64>; 3],
    /// CPU ms per phase: Terraform CLI, providers, emulator.
    cpu_ms: [Vec<(u64, u64, u64)>; 3],
}

impl Side {
    fn new(bench: &Bench, label: &str, main_tf: String, real: Real, env: &[(&str, &str)]) -> Side {
        // The mirror entry is the wrapper (this binary); it runs the real provider.
        let mut workdir = TfWorkdir::new(&bench.terraform, &bench.wrapper);
        let real = match real {
            Real::Contactpro(path) => path,
            Real::Null => {
                workdir.add_mirror_provider(NULL_SOURCE, NULL_VERSION, &bench.wrapper);
                bench.null_binary.clone()
            }
        };
        let rss_dir = tempfile::tempdir().unwrap();
        workdir.env(WRAP_REAL, &real.display().to_string());
        workdir.env(WRAP_RSS_DIR, &rss_dir.path().display().to_string());
        for (key, value) in &bench.provider_env {
            workdir.env(key, value);
        }
        for (key, value) in env {
            workdir.env(key, value);
        }
        workdir.write_main_tf(&main_tf);
        workdir.init();
        Side {
            label: label.to_string(),
            workdir,
            rss_dir,
            seconds: Default::default(),
            api_calls: Default::default(),
            rss_kib: Default::default(),
            cpu_ms: Default::default(),
        }
    }

    fn run_once(&mut self, bench: &Bench) {
        for phase in Phase::ALL {
            for entry in std::fs::read_dir(self.rss_dir.path()).unwrap().flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
            bench.reset_stats();
            let emulator_before = cpu_ms(bench.emulator_pid).unwrap_or(0);
            let children_before = children_usage().1;
            let started = Instant::now();
            let out = self.workdir.run(phase.args());
            let elapsed = started.elapsed().as_secs_f64();
            // Terraform, the wrappers and the providers are all waited-for descendants.
            let children = children_usage().1 - children_before;
            let emulator = cpu_ms(bench.emulator_pid).unwrap_or(0) - emulator_before;
            let ok = match phase {
                Phase::Plan => out.status.code() == Some(0),
                _ => out.status.success(),
            };
            assert!(
                ok,
                "{} {}: unexpected result\n{}",
                self.label,
                phase.name(),
                describe(&out)
            );
            let i = phase as usize;
            self.seconds[i].push(elapsed);
            self.api_calls[i].push(bench.api_calls());
            let (rss, provider_cpu) = self.provider_usage();
            self.rss_kib[i].push(rss);
            let terraform_cpu = children.saturating_sub(provider_cpu);
            self.cpu_ms[i].push((terraform_cpu, provider_cpu, emulator));
        }
    }

    /// Highest peak RSS and summed CPU time of the provider processes of the last phase.
    fn provider_usage(&self) -> (u64, u64) {
        let figures: Vec<(u64, u64)> = std::fs::read_dir(self.rss_dir.path())
            .unwrap()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .filter_map(|s| {
                let (kib, ms) = s.trim().split_once(' ')?;
                Some((kib.parse().ok()?, ms.parse().ok()?))
            })
            .collect();
        (
            figures.iter().map(|f| f.0).max().unwrap_or(0),
            figures.iter().map(|f| f.1).sum(),
        )
    }
}

/// The provider binary a side's wrapper runs.
enum Real {
    Contactpro(PathBuf),
    Null,
}

struct Scenario {
    ours: Side,
    null: Side,
    baseline: Option<Side>,
    instances: usize,
}

impl Scenario {
    fn new(
        bench: &Bench,
        ours_label: String,
        ours_tf: String,
        null_label: String,
        null_tf: String,
        instances: usize,
    ) -> Scenario {
        Scenario {
            ours: Side::new(
                bench,
                &ours_label,
                ours_tf,
                Real::Contactpro(provider_binary()),
                &[],
            ),
            null: Side::new(bench, &null_label, null_tf, Real::Null, &[]),
            baseline: None,
            instances,
        }
    }
}

fn print_table(scenarios: &[Scenario]) {
    println!("| ours | phase | ours (s) | null (s) | ours / null | ms per instance, ours | API calls | provider peak RSS (MB) ours / null | CPU s ours: Terraform / provider / emulator | CPU s null: Terraform / provider |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for s in scenarios {
        for phase in Phase::ALL {
            let i = phase as usize;
            let ours = median(&s.ours.seconds[i]);
            let null = median(&s.null.seconds[i]);
            let calls = median_u64(&s.ours.api_calls[i]);
            let rss_ours = max_u64(&s.ours.rss_kib[i]) as f64 / 1024.0;
            let rss_null = max_u64(&s.null.rss_kib[i]) as f64 / 1024.0;
            let (tf, provider, emulator) = median_cpu(&s.ours.cpu_ms[i]);
            let (null_tf, null_provider, _) = median_cpu(&s.null.cpu_ms[i]);
            println!(
                "| {} | {} | {ours:.2} | {null:.2} | {:.2} | {:.2} | {calls} | {rss_ours:.1} / {rss_null:.1} | {tf:.2} / {provider:.2} / {emulator:.2} | {null_tf:.2} / {null_provider:.2} |",
                s.ours.label,
                phase.name(),
                ours / null,
                ours * 1000.0 / s.instances as f64,
            );
        }
    }
}

/// Ours and the baseline build, each as a ratio to the same null runs.
fn print_baseline_table(scenarios: &[Scenario]) {
    println!("| ours | phase | ours (s) | baseline (s) | ours / baseline | ours / null | baseline / null | API calls ours / baseline | provider CPU s ours / baseline | Terraform CPU s ours / baseline |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for s in scenarios {
        let Some(baseline) = &s.baseline else {
            continue;
        };
        for phase in Phase::ALL {
            let i = phase as usize;
            let ours = median(&s.ours.seconds[i]);
            let base = median(&baseline.seconds[i]);
            let null = median(&s.null.seconds[i]);
            println!(
                "| {} | {} | {ours:.2} | {base:.2} | {:.2} | {:.2} | {:.2} | {} / {} | {:.2} / {:.2} | {:.2} / {:.2} |",
                s.ours.label,
                phase.name(),
                ours / base,
                ours / null,
                base / null,
                median_u64(&s.ours.api_calls[i]),
                median_u64(&baseline.api_calls[i]),
                median_cpu(&s.ours.cpu_ms[i]).1,
                median_cpu(&baseline.cpu_ms[i]).1,
                median_cpu(&s.ours.cpu_ms[i]).0,
                median_cpu(&baseline.cpu_ms[i]).0,
            );
        }
    }
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Median of each CPU component, in seconds.
fn median_cpu(values: &[(u64, u64, u64)]) -> (f64, f64, f64) {
    let component = |f: fn(&(u64, u64, u64)) -> u64| {
        median_u64(&values.iter().map(f).collect::<Vec<_>>()) as f64 / 1000.0
    };
    (component(|v| v.0), component(|v| v.1), component(|v| v.2))
}

fn median_u64(values: &[u64]) -> u64 {
    let mut v = values.to_vec();
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

fn max_u64(values: &[u64]) -> u64 {
    values.iter().copied().max().unwrap_or(0)
}

/// Milliseconds from spawn to the first stdout line (the handshake), `count` times.
fn handshake_ms(binary: &Path, env: &[(&str, &str)], count: usize) -> Vec<f64> {
    (0..count)
        .map(|_| {
            let mut cmd = Command::new(binary);
            cmd.env_remove("PLUGIN_CLIENT_CERT")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null());
            for (k, v) in env {
                cmd.env(k, v);
            }
            let started = Instant::now();
            let mut child = cmd.spawn().expect("start provider");
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .expect("handshake line");
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            assert!(line.contains('|'), "not a handshake: {line:?}");
            let _ = child.kill();
            let _ = child.wait();
            ms
        })
        .collect()
}

const PROVIDERS_TF: &str = r#"terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
"#;

fn secrets_tf(n: usize) -> String {
    format!(
        r#"{PROVIDERS_TF}
resource "contactpro_secret" "s" {{
  count  = {n}
  name   = "bench-secret-${{count.index}}"
  type   = "header"
  secret = "bench-value-${{count.index}}"
}}
"#
    )
}

fn users_tf(n: usize) -> String {
    // `calendar` objects are not stored by the emulator, so any id works: no lookups needed.
    format!(
        r#"{PROVIDERS_TF}
resource "contactpro_user" "u" {{
  count      = {n}
  first_name = "Bench"
  last_name  = "User${{count.index}}"
  login      = "bench.user.${{count.index}}"
}}

resource "contactpro_user_rights" "r" {{
  count   = {n}
  user_id = contactpro_user.u[count.index].id
  right {{
    object_type = "calendar"
    object_id   = "0123456789ABCDEF0123456789ABCDEF"
    access      = ["view"]
  }}
}}
"#
    )
}

/// `a` independent instances, plus `b` that each depend on one of `a` (the users + rights shape).
fn null_tf(a: usize, b: usize) -> String {
    let mut text = format!(
        r#"terraform {{
  required_providers {{
    null = {{ source = "hashicorp/null" }}
  }}
}}

resource "null_resource" "a" {{
  count = {a}
}}
"#
    );
    if b > 0 {
        text.push_str(&format!(
            r#"
resource "null_resource" "b" {{
  count    = {b}
  triggers = {{ a = null_resource.a[count.index].id }}
}}
"#
        ));
    }
    text
}
