//! Load benchmark for contactpro-emulator: starts it in-process on loopback (file database, no faults)
//! and measures GET users/{id} and POST users throughput with concurrent keep-alive clients.
//! Run with `cargo run --release --bin contactpro-emulator-load -- --seconds 5 --concurrency 32`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use contactpro_emulator::{self as emulator, EmulatorConfig, DEFAULT_ADMIN_PASSWORD};
use serde_json::{json, Value};

#[derive(Parser)]
struct Args {
    /// Seconds per phase.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Database file (default: a new file in the temp directory).
    #[arg(long)]
    data: Option<String>,
}

struct Phase {
    ok: AtomicU64,
    failed: AtomicU64,
}

async fn run_phase<F, Fut>(name: &str, args: &Args, work: F)
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let phase = Arc::new(Phase {
        ok: AtomicU64::new(0),
        failed: AtomicU64::new(0),
    });
    let work = Arc::new(work);
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..args.concurrency {
        let (phase, work) = (phase.clone(), work.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                let counter = if work(worker, n).await {
                    &phase.ok
                } else {
                    &phase.failed
                };
                counter.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ok = phase.ok.load(Ordering::Relaxed);
    println!(
        "{name}: {ok} ok, {} failed in {elapsed:.2} s = {:.0} requests/s (concurrency {})",
        phase.failed.load(Ordering::Relaxed),
        ok as f64 / elapsed,
        args.concurrency
    );
}

/// Whether the response had the expected status; reads the body so the connection is reused.
async fn ok(result: reqwest::Result<reqwest::Response>, expected: u16) -> bool {
    match result {
        Ok(resp) => resp.status().as_u16() == expected && resp.bytes().await.is_ok(),
        Err(_) => false,
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let data = args.data.clone().unwrap_or_else(|| {
        let path = std::env::temp_dir().join(format!(
            "contactpro-emulator-load-{}.db",
            std::process::id()
        ));
        path.to_string_lossy().into_owned()
    });
    let config = EmulatorConfig {
        data: data.clone(),
        ..EmulatorConfig::for_tests()
    };
    let running = emulator::start(config).await.expect("emulator starts");
    let rci = format!("{}/demo/RI/rci", running.base_url());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .unwrap();
    let request = {
        let client = client.clone();
        move |method: reqwest::Method, url: String| {
            client
                .request(method, url)
                .header("x-api-key", "demo-api-key")
                .basic_auth("admin", Some(DEFAULT_ADMIN_PASSWORD))
        }
    };
    let users: Value = request(reqwest::Method::GET, format!("{rci}/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = users[0]["id"].as_str().unwrap().to_string();
    println!("emulator at {} (database {data})", running.base_url());

    let (r, url) = (request.clone(), format!("{rci}/users/{id}"));
    run_phase("GET users/{id}", &args, move |_, _| {
        let send = r(reqwest::Method::GET, url.clone()).send();
        async move { ok(send.await, 200).await }
    })
    .await;

    let (r, url) = (request.clone(), format!("{rci}/users"));
    let run = std::process::id();
    run_phase("POST users", &args, move |worker, n| {
        let body = json!({"firstName": "Load", "surname": "Test", "login": format!("load.{run}.{worker}.{n}")});
        let send = r(reqwest::Method::POST, url.clone()).json(&body).send();
        async move { ok(send.await, 201).await }
    })
    .await;

    running.shutdown().await;
    if args.data.is_none() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{data}{suffix}"));
        }
    }
}
